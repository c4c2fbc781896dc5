#!/usr/bin/env python3
"""Independent structural check of a merged SEAL export (scales folded into o_proj).

Usage: check_merged_export.py SOURCE.gguf MERGED.gguf SCALES.json [HF_DIR]

SCALES.json: per layer, the multipliers of o_proj's input columns (heads x head_dim).
Checks, with the `gguf` package's reader and dequantizers (not seal's code):
  * MERGED.gguf parses; its metadata equals SOURCE's (plus `seal.*` provenance keys);
  * same tensors, order, shapes and types, except attn_output (F32 or F16);
  * every other tensor's bytes are identical;
  * attn_output == dequantized source attn_output * scales per input column (rtol 1e-6 F32, 2e-3 F16).
With HF_DIR: model.safetensors (parsed by hand, numpy) holds transformers' names with the source
weights (Q/K rows un-permuted from llama.cpp's layout) and the folded o_proj; config.json matches;
tokenizer.json loads with `tokenizers` and encodes like gguf_to_hf_tokenizer.py's reference; the
numpy reference (llama_reference.py) gives the same logits from MERGED.gguf and from HF_DIR.
Exit status 0 when all checks pass.
"""
from __future__ import annotations

import json
import os
import struct
import sys

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_reference import all_logits, gguf_field, gguf_tensor, load_gguf, load_hf  # noqa: E402

failures: list[str] = []


def check(condition: bool, message: str) -> None:
    if not condition:
        failures.append(message)


def unpermute(w: np.ndarray, heads: int) -> np.ndarray:
    """Inverse of llama.cpp's convert permute: GGUF row 2i+j of a head -> HF row j*d/2+i."""
    rows = w.shape[0]
    d = rows // heads
    rest = w.shape[1:]
    return w.reshape(heads, d // 2, 2, *rest).swapaxes(1, 2).reshape(rows, *rest)


def read_safetensors(path: str) -> tuple[dict, dict]:
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        base = 8 + length
        meta = header.pop("__metadata__", {})
        tensors = {}
        for name, info in header.items():
            check(info["dtype"] == "F32", f"{name}: dtype {info['dtype']}, expected F32")
            start, end = info["data_offsets"]
            f.seek(base + start)
            data = np.frombuffer(f.read(end - start), dtype="<f4").astype(np.float64)
            tensors[name] = data.reshape(info["shape"])
    return tensors, meta


def main() -> int:
    if len(sys.argv) not in (4, 5):
        print(__doc__)
        return 2
    source_path, merged_path, scales_path = sys.argv[1:4]
    hf_dir = sys.argv[4] if len(sys.argv) == 5 else None
    source, merged = GGUFReader(source_path), GGUFReader(merged_path)
    with open(scales_path) as f:
        scales = [np.asarray(layer, dtype=np.float64) for layer in json.load(f)]

    merged_keys = [k for k in merged.fields if not k.startswith("seal.") and not k.startswith("GGUF.")]
    source_keys = [k for k in source.fields if not k.startswith("GGUF.")]
    check(merged_keys == source_keys, f"metadata keys differ: {set(source_keys) ^ set(merged_keys)}")
    for key in source_keys:
        if key in merged.fields:
            check(gguf_field(source, key) == gguf_field(merged, key), f"metadata {key} differs")
    check(len(source.tensors) == len(merged.tensors), "tensor count differs")

    folded = {}
    for a, b in zip(source.tensors, merged.tensors):
        check(a.name == b.name, f"tensor order differs at {a.name} / {b.name}")
        check(list(a.shape) == list(b.shape), f"{a.name}: shape {list(a.shape)} -> {list(b.shape)}")
        if a.name.endswith(".attn_output.weight"):
            layer = int(a.name.split(".")[1])
            check(b.tensor_type in (GGMLQuantizationType.F32, GGMLQuantizationType.F16),
                  f"{a.name}: folded type {b.tensor_type.name}")
            expected = gguf_tensor(a, np.float64) * scales[layer][None, :]
            got = gguf_tensor(b, np.float64)
            rtol = 1e-6 if b.tensor_type == GGMLQuantizationType.F32 else 2e-3
            check(np.allclose(got, expected, rtol=rtol, atol=1e-7 if rtol < 1e-3 else 1e-4),
                  f"{a.name}: max |diff| {np.max(np.abs(got - expected)):.3g}")
            folded[layer] = got
        else:
            check(a.tensor_type == b.tensor_type, f"{a.name}: type {a.tensor_type.name} -> {b.tensor_type.name}")
            check(bytes(a.data.tobytes()) == bytes(b.data.tobytes()), f"{a.name}: bytes differ")
    print(f"gguf: {len(merged.tensors)} tensors, {len(merged_keys)} metadata keys, "
          f"{len(folded)} folded o_proj ({merged.tensors[0].tensor_type.name} first tensor)")

    if hf_dir:
        check_hf(source, folded, hf_dir)

    for message in failures[:40]:
        print("FAIL:", message)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


def check_hf(source: GGUFReader, folded: dict, hf_dir: str) -> None:
    arch = gguf_field(source, "general.architecture")
    heads = int(gguf_field(source, f"{arch}.attention.head_count"))
    kv_heads = int(gguf_field(source, f"{arch}.attention.head_count_kv"))
    layers = int(gguf_field(source, f"{arch}.block_count"))
    with open(os.path.join(hf_dir, "config.json")) as f:
        config = json.load(f)
    check(config["num_hidden_layers"] == layers and config["num_attention_heads"] == heads
          and config["num_key_value_heads"] == kv_heads, "config.json shape fields")
    tensors, meta = read_safetensors(os.path.join(hf_dir, "model.safetensors"))
    check(meta.get("format") == "pt", "safetensors metadata format != pt")
    by_name = {t.name: t for t in source.tensors}
    names = {"token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
             "output.weight": "lm_head.weight"}
    per_layer = {"attn_norm.weight": "input_layernorm.weight", "attn_q.weight": "self_attn.q_proj.weight",
                 "attn_k.weight": "self_attn.k_proj.weight", "attn_v.weight": "self_attn.v_proj.weight",
                 "attn_output.weight": "self_attn.o_proj.weight", "ffn_norm.weight": "post_attention_layernorm.weight",
                 "ffn_gate.weight": "mlp.gate_proj.weight", "ffn_up.weight": "mlp.up_proj.weight",
                 "ffn_down.weight": "mlp.down_proj.weight"}
    for layer in range(layers):
        for g, h in per_layer.items():
            names[f"blk.{layer}.{g}"] = f"model.layers.{layer}.{h}"
    expected_names = {h for g, h in names.items() if g in by_name}
    check(set(tensors) == expected_names, f"safetensors names differ: {sorted(set(tensors) ^ expected_names)[:6]}")
    for g, h in names.items():
        if g not in by_name or h not in tensors:
            continue
        if g.endswith("attn_output.weight"):
            expected = folded[int(g.split(".")[1])]
        else:
            expected = gguf_tensor(by_name[g], np.float64)
            if g.endswith("attn_q.weight"):
                expected = unpermute(expected, heads)
            elif g.endswith("attn_k.weight"):
                expected = unpermute(expected, kv_heads)
        got = tensors[h]
        check(got.shape == expected.shape, f"{h}: shape {got.shape} vs {expected.shape}")
        if got.shape == expected.shape:
            check(np.allclose(got, expected, rtol=1e-6, atol=1e-7), f"{h}: max |diff| {np.max(np.abs(got - expected)):.3g}")
    print(f"hf: {len(tensors)} tensors match the source (Q/K un-permuted, o_proj folded)")

    from gguf_to_hf_tokenizer import tokenizer_from_gguf
    from tokenizers import Tokenizer
    exported = Tokenizer.from_file(os.path.join(hf_dir, "tokenizer.json"))
    reference = tokenizer_from_gguf(sys.argv[1])
    samples = ["Hello world", "The capital of Germany is", "1234567 don't", "naïve café 東京\n\tx  y",
               "<|im_start|>user\nHi<|im_end|>"]
    for text in samples:
        a = exported.encode(text, add_special_tokens=False).ids
        b = reference.encode(text, add_special_tokens=False).ids
        check(a == b, f"tokenizer.json encodes {text!r} as {a[:12]}, reference {b[:12]}")
        check(exported.decode(a) == reference.decode(b), f"tokenizer.json decodes {text!r} differently")
    with open(os.path.join(hf_dir, "tokenizer_config.json")) as f:
        tok_config = json.load(f)
    if "tokenizer.chat_template" in source.fields:
        check(tok_config.get("chat_template") == gguf_field(source, "tokenizer.chat_template"), "chat_template differs")
    print(f"tokenizer.json: {exported.get_vocab_size()} tokens, {len(samples)} samples encode like the reference")

    # The numpy reference reads both exports with its own loaders (GGUF: adjacent-pair RoPE on
    # permuted rows; HF: halves on transformers' rows): the two must be the same model.
    tokens = reference.encode("The capital of Germany is Berlin. The capital of France is", add_special_tokens=False).ids[:12]
    cfg_g, w_g = load_gguf(sys.argv[2], dtype=np.float32)
    from_gguf = all_logits(cfg_g, w_g, tokens)[-1]
    del w_g
    cfg_h, w_h = load_hf(hf_dir, dtype=np.float32)
    from_hf = all_logits(cfg_h, w_h, tokens)[-1]
    difference = float(np.max(np.abs(from_gguf - from_hf)))
    check(difference < 1e-3, f"numpy reference: merged GGUF and HF logits differ by {difference:.3g}")
    print(f"numpy reference: merged GGUF vs HF directory, {len(tokens)} tokens: max |logit difference| {difference:.2g}")


if __name__ == "__main__":
    sys.exit(main())
