#!/usr/bin/env python3
"""llama.cpp loads a merged SEAL export and computes the live-scaled model.

Usage: check_llama_cpp.py LLAMA_DIR SOURCE.gguf MERGED.gguf SCALES.json

LLAMA_DIR holds a prebuilt llama.cpp CPU module and its ABI shim (fetch_llama_cpp.sh writes them
to .build/llama-cpp). SCALES.json: per layer, the multipliers of o_proj's input columns (heads x
head_dim), as folded into MERGED.gguf.

llama.cpp (not seal's code) evaluates one prompt with SOURCE and with MERGED; the independent
float64 numpy reference (llama_reference.py) evaluates SOURCE plainly and with the scales applied
live to each head's attention output. Compared over every position's logits (max and root-mean-square of the differences):
  noise   = llama.cpp(SOURCE) - numpy(SOURCE)          llama.cpp's own quantized arithmetic
  error   = llama.cpp(MERGED) - numpy_live(SOURCE)     the export against live scaling
  effect  = numpy_live(SOURCE) - numpy(SOURCE)         how far the scales move the logits
llama.cpp quantizes activations (Q8) before quantized matmuls but not before the F32 folded
o_proj, and its error grows with the logits' size, so `error` is held against `effect` rather
than against `noise`: passes when rms(error) <= 0.2 rms(effect) and max(error) <= 0.3 max(effect)
(the export is far nearer live scaling than the unscaled model is, so a missing, transposed or
misplaced fold fails), and the greedy next token of llama.cpp(MERGED) equals numpy_live's at every
position where numpy_live's top two differ by more than 2 max(noise). Exit status 0 when it passes.
"""
from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from gguf_to_hf_tokenizer import tokenizer_from_gguf  # noqa: E402
from llama_reference import forward, load_gguf, logits_at  # noqa: E402

PROMPT = ("Below is a record of lines. line torpid-kid: REGISTER_CONTENT is <31415>\n"
          "line dreary-farm: REGISTER_CONTENT is <27182>\nTell me the REGISTER_CONTENT in line torpid-kid.")


def load_llama_cpp(directory: str):
    ctypes.CDLL(os.path.join(directory, "libcxa_shim.so"), mode=ctypes.RTLD_GLOBAL)
    spec = importlib.util.spec_from_file_location("_llama_cpp_cpu", os.path.join(directory, "_llama_cpp_cpu.so"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.lib.llama_backend_init()
    return module.ffi, module.lib


def llama_cpp_logits(ffi, lib, path: str, tokens: list[int]) -> np.ndarray:
    """Logits (len(tokens), vocab) of llama.cpp's evaluation of `tokens` from position 0."""
    model = lib.llama_model_load_from_file(path.encode(), lib.llama_model_default_params())
    if model == ffi.NULL:
        raise SystemExit(f"llama.cpp could not load {path}")
    params = lib.llama_context_default_params()
    params.n_ctx = params.n_batch = params.n_ubatch = max(64, len(tokens))
    params.n_threads = params.n_threads_batch = 1
    ctx = lib.llama_init_from_model(model, params)
    if ctx == ffi.NULL:
        raise SystemExit("llama.cpp could not make a context")
    batch = lib.llama_batch_init(len(tokens), 0, 1)
    try:
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, i, 1, 1
            batch.seq_id[i][0] = 0
        if lib.llama_decode(ctx, batch) != 0:
            raise SystemExit("llama_decode failed")
        vocab = lib.llama_vocab_n_tokens(lib.llama_model_get_vocab(model))
        rows = [np.frombuffer(ffi.buffer(lib.llama_get_logits_ith(ctx, i), 4 * vocab), dtype=np.float32)
                for i in range(len(tokens))]
        return np.array(rows, dtype=np.float64)
    finally:
        lib.llama_batch_free(batch)
        lib.llama_free(ctx)
        lib.llama_model_free(model)


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    directory, source, merged, scales_file = sys.argv[1:5]
    ffi, lib = load_llama_cpp(directory)
    cfg, w = load_gguf(source)
    scales = np.asarray(json.load(open(scales_file)), dtype=np.float64).reshape(cfg.n_layers, cfg.n_heads, cfg.head_dim)
    tokens = tokenizer_from_gguf(source).encode(PROMPT, add_special_tokens=False).ids
    rows = range(len(tokens))
    plain = logits_at(cfg, w, forward(cfg, w, tokens), rows)
    live = logits_at(cfg, w, forward(cfg, w, tokens, head_scales=scales), rows)
    from_source, from_merged = llama_cpp_logits(ffi, lib, source, tokens), llama_cpp_logits(ffi, lib, merged, tokens)
    def size(d):
        return float(np.max(np.abs(d))), float(np.sqrt(np.mean(d * d)))
    noise, noise_rms = size(from_source - plain)
    error, error_rms = size(from_merged - live)
    effect, effect_rms = size(live - plain)
    top2 = np.sort(live, axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > 2 * noise
    agree = np.argmax(from_merged, axis=1) == np.argmax(live, axis=1)
    print(f"{len(tokens)} tokens; logit differences, max / rms: llama.cpp source vs numpy {noise:.4f} / {noise_rms:.4f}; "
          f"llama.cpp merged vs numpy live scaling {error:.4f} / {error_rms:.4f}; "
          f"the scales' effect {effect:.4f} / {effect_rms:.4f}")
    print(f"greedy token of llama.cpp merged = live scaling at {int(np.sum(agree & clear))}/{int(np.sum(clear))} "
          f"positions with a clear winner ({int(np.sum(agree))}/{len(tokens)} in all)")
    ok = error_rms <= 0.2 * effect_rms and error <= 0.3 * effect and bool(np.all(agree[clear]))
    print("llama.cpp check", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
