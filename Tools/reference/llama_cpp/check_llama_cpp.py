#!/usr/bin/env python3
"""Manual check (not run by CI, which has no llama.cpp): llama.cpp loads a merged export and
computes the model seal folded.

Usage: check_llama_cpp.py LLAMA_CPP_DIR SOURCE.gguf MERGED.gguf

LLAMA_CPP_DIR is a llama.cpp source tree whose `build/` holds libllama (cmake -B build
-DBUILD_SHARED_LIBS=ON && cmake --build build --target llama). The script compiles
last_logits.cpp against it, then compares llama.cpp's last-position logits with the independent
numpy reference (llama_reference.py, float64) for the source model and for the merged one. The
source's difference is llama.cpp's own quantized-arithmetic noise; the merged file's difference
must stay at that level (and the argmax agree), while the scales themselves move the logits.

Status: written but NOT yet run. llama.cpp (0.3.36's vendored tree, ~190 C++ files) could not be
built on the shared 2-core development machine in the time available; the merged GGUF is checked
in CI by the `gguf` package (check_merged_export.py) and by seal's own loader instead.
"""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from gguf_to_hf_tokenizer import tokenizer_from_gguf  # noqa: E402
from llama_reference import all_logits, load_gguf  # noqa: E402

PROMPT = "The capital of France is Paris. The capital of Germany is"


def build(llama_dir: str) -> str:
    binary = os.path.join(llama_dir, "build", "seal_last_logits")
    if not os.path.exists(binary):
        subprocess.run(["g++", "-O2", "-std=c++17", os.path.join(HERE, "last_logits.cpp"), "-o", binary,
                        "-I", os.path.join(llama_dir, "include"), "-I", os.path.join(llama_dir, "ggml", "include"),
                        "-L", os.path.join(llama_dir, "build", "bin"), "-lllama", "-lggml", "-lggml-base",
                        "-Wl,-rpath," + os.path.join(llama_dir, "build", "bin")], check=True)
    return binary


def llama_cpp_logits(binary: str, model: str, tokens: list[int]) -> np.ndarray:
    out = subprocess.run([binary, model, *map(str, tokens)], check=True, capture_output=True, text=True).stdout
    return np.array([float(x) for x in out.split()], dtype=np.float64)


def reference_logits(model: str, tokens: list[int]) -> np.ndarray:
    cfg, w = load_gguf(model)
    return all_logits(cfg, w, tokens)[-1]


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    llama_dir, source, merged = sys.argv[1:4]
    binary = build(llama_dir)
    tokens = tokenizer_from_gguf(source).encode(PROMPT, add_special_tokens=False).ids
    ls, lm = llama_cpp_logits(binary, source, tokens), llama_cpp_logits(binary, merged, tokens)
    rs, rm = reference_logits(source, tokens), reference_logits(merged, tokens)
    noise_source = np.max(np.abs(ls - rs))
    noise_merged = np.max(np.abs(lm - rm))
    effect = np.max(np.abs(rm - rs))
    print(f"{len(tokens)} tokens; max |llama.cpp - numpy|: source {noise_source:.4f}, merged {noise_merged:.4f}; "
          f"max |merged - source| (numpy, the scales' effect): {effect:.4f}")
    print(f"argmax llama.cpp merged {int(np.argmax(lm))}, numpy merged {int(np.argmax(rm))}; "
          f"llama.cpp source {int(np.argmax(ls))}, numpy source {int(np.argmax(rs))}")
    ok = int(np.argmax(lm)) == int(np.argmax(rm)) and noise_merged <= 2 * noise_source + 0.05 and effect > 2 * noise_merged
    print("llama.cpp check", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
