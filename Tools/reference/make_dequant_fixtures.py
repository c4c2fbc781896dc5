#!/usr/bin/env python3
"""Write Tests/Fixtures/dequant/<TYPE>.json: raw GGML blocks and their gguf.quants.dequantize output.

For every type: 4 blocks of seeded random bytes (F16/BF16: 4 x 64 elements of chosen finite
values), with every fp16 scale field (d, dmin, m) overwritten by a finite, moderate random value
(|x| in [2^-10, 2^-1], random sign; dmin/m also random sign) so that no NaN/Inf appears. Byte
offsets of the fp16 fields are listed in the fixture ("fp16_fields") for documentation.

"expected" holds the float32 results written as the exact decimal of the float32 value (json
float64 repr), so parsing as Double and converting to Float is exact.
"""
from __future__ import annotations

import base64
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as QT
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "dequant")

N_BLOCKS = 4
# byte offsets (within a block) of fp16 scale fields, from the ggml block layouts:
FP16_FIELDS = {
    "Q4_0": [0],          # d, qs[16]                                  18 B / 32
    "Q4_1": [0, 2],       # d, m, qs[16]                               20 B / 32
    "Q5_0": [0],          # d, qh[4], qs[16]                           22 B / 32
    "Q5_1": [0, 2],       # d, m, qh[4], qs[16]                        24 B / 32
    "Q8_0": [0],          # d, qs[32] int8                             34 B / 32
    "Q2_K": [80, 82],     # scales[16], qs[64], d, dmin                84 B / 256
    "Q3_K": [108],        # hmask[32], qs[64], scales[12], d           110 B / 256
    "Q4_K": [0, 2],       # d, dmin, scales[12], qs[128]               144 B / 256
    "Q5_K": [0, 2],       # d, dmin, scales[12], qh[32], qs[128]       176 B / 256
    "Q6_K": [208],        # ql[128], qh[64], scales[16] int8, d        210 B / 256
}
LAYOUT = {
    "Q4_0": "d:f16, qs[16] (low nibbles = elements 0..15, high nibbles = 16..31), x = d*(q-8)",
    "Q4_1": "d:f16, m:f16, qs[16] (low nibbles 0..15, high 16..31), x = d*q + m",
    "Q5_0": "d:f16, qh:u32 LE (bit j = 5th bit of element j), qs[16], x = d*(q-16)",
    "Q5_1": "d:f16, m:f16, qh:u32 LE, qs[16], x = d*q + m",
    "Q8_0": "d:f16, qs[32]:i8, x = d*q",
    "Q2_K": "scales[16] (low nibble scale, high nibble min), qs[64], d:f16, dmin:f16",
    "Q3_K": "hmask[32], qs[64], scales[12] (16 6-bit scales, offset 32), d:f16",
    "Q4_K": "d:f16, dmin:f16, scales[12] (8 6-bit scale/min pairs), qs[128]",
    "Q5_K": "d:f16, dmin:f16, scales[12], qh[32], qs[128]",
    "Q6_K": "ql[128], qh[64], scales[16]:i8, d:f16, x = d*scale*(q-32)",
}
TYPES = ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K"]


def moderate_f16(rng, n):
    mag = 2.0 ** rng.uniform(-10, -1, size=n)
    sign = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    return (mag * sign).astype(np.float16)


def f16_values(rng, n):
    v = (rng.standard_normal(n) * 2.0).astype(np.float16)
    # exercise special encodings: zeros, subnormals, extremes of the finite range
    special = np.array([0.0, -0.0, 6.0e-8, -6.0e-8, 6.1e-5, 1.0e-6, 65504.0, -65504.0, 1.0, -1.0, 0.5, 3.140625],
                       dtype=np.float16)
    v[: len(special)] = special
    return v


def bf16_values(rng, n):
    f = (rng.standard_normal(n) * 4.0).astype(np.float32)
    special = np.array([0.0, -0.0, 1e-40, -1e-40, 1.0, -1.0, 3.0e38, -3.0e38, 1.17549435e-38, 65536.5],
                       dtype=np.float32)
    f[: len(special)] = special
    u = f.view(np.uint32)
    # round to nearest even into bf16
    u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    return u


def make(name: str) -> dict | None:
    qt = QT[name]
    block_elems, block_bytes = GGML_QUANT_SIZES[qt]
    try:  # is this type supported by gguf.quants at all?
        dequantize(np.zeros((1, block_bytes), dtype=np.uint8), qt)
    except NotImplementedError:
        return None
    rng = np.random.default_rng(20240611 + int(qt))
    if name == "F16":
        n = 64 * N_BLOCKS
        raw = f16_values(rng, n).view(np.uint8)
        data = raw.view(np.float16)
    elif name == "BF16":
        n = 64 * N_BLOCKS
        raw = bf16_values(rng, n).view(np.uint8)
        data = raw
    else:
        raw = rng.integers(0, 256, size=(N_BLOCKS, block_bytes), dtype=np.uint8)
        for off in FP16_FIELDS[name]:
            raw[:, off:off + 2] = moderate_f16(rng, N_BLOCKS).view(np.uint8).reshape(N_BLOCKS, 2)
        raw = raw.reshape(-1)
        data = raw.reshape(1, -1)
    out = dequantize(data, qt)
    out = np.asarray(out, dtype=np.float32).reshape(-1)
    assert np.all(np.isfinite(out)), name
    n_elems = out.size
    doc = {
        "type": name,
        "ggml_type_id": int(qt),
        "block_elements": int(block_elems),
        "block_bytes": int(block_bytes),
        "n_blocks": int(raw.size // block_bytes),
        "n_elements": int(n_elems),
        "generator": "Tools/reference/make_dequant_fixtures.py",
        "reference": f"gguf.quants.dequantize (gguf {gguf_version()})",
        "raw_base64": base64.b64encode(raw.tobytes()).decode("ascii"),
        "expected": [float(x) for x in out],
    }
    if name in FP16_FIELDS:
        doc["fp16_fields"] = FP16_FIELDS[name]
        doc["layout"] = LAYOUT[name]
    return doc


def gguf_version() -> str:
    try:
        from importlib.metadata import version
        return version("gguf")
    except Exception:  # pragma: no cover
        return "unknown"


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in TYPES:
        doc = make(name)
        if doc is None:
            print(f"skip {name}: gguf.quants cannot dequantize it")
            continue
        path = os.path.join(OUT_DIR, f"{name}.json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=0)
            f.write("\n")
        print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
