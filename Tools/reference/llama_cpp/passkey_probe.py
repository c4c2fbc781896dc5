#!/usr/bin/env python3
"""Passkey retrieval by seal and by llama.cpp on the same prompt tokens.

Usage: passkey_probe.py LLAMA_DIR MODEL.gguf SOCKET [--lengths 1500 3000] [--depths 10 50 90]
                        [--samples 1] [--max-tokens 10] [--seed 1]

A running seald (SOCKET, admin access) makes primed passkey samples (`passkey` task, fixed depth)
and tokenizes each prompt as its evaluation renders it (ChatML with SmolLM2's default system
message, the answer prefix opening the assistant turn; the token count is checked against the
sample's own). Both engines then decode greedily from those exact token ids: seald through
`/api/generate` with `prompt_tokens`, llama.cpp (LLAMA_DIR from fetch_llama_cpp.sh) with its own
KV cache. Where retrieval fails in both, the model fails; where only seal fails, seal has a bug.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from check_llama_cpp import load_llama_cpp, tokenizer_from_gguf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from seald_http import call, primed_prompt_tokens  # noqa: E402


def samples(sock: str, length: int, depth: int, count: int, seed: int) -> list[dict]:
    job = call(sock, "POST", "/api/jobs", {"kind": "dataset", "dataset": {
        "task": "passkey", "samples": count, "target_tokens": length, "seed": seed, "prime_answer": True,
        "parameters": {"depth_mode": "fixed", "depth": depth}}})
    while job["state"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(0.5)
        job = call(sock, "GET", f"/api/jobs/{job['id']}")
    if job["state"] != "succeeded":
        raise SystemExit(f"dataset job: {job}")
    return call(sock, "GET", f"/api/artifacts/{job['artifacts'][0]}/content")["samples"]


def llama_greedy(ffi, lib, model, tokens: list[int], count: int) -> list[int]:
    params = lib.llama_context_default_params()
    params.n_ctx = len(tokens) + count + 8
    params.n_batch = params.n_ubatch = 512
    params.n_threads = params.n_threads_batch = 2
    ctx = lib.llama_init_from_model(model, params)
    vocab = lib.llama_vocab_n_tokens(lib.llama_model_get_vocab(model))
    batch = lib.llama_batch_init(512, 0, 1)
    out: list[int] = []
    try:
        def run(ids: list[int], start: int):
            batch.n_tokens = len(ids)
            for i, token in enumerate(ids):
                batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, start + i, 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = 1 if i == len(ids) - 1 else 0
            if lib.llama_decode(ctx, batch) != 0:
                raise SystemExit("llama_decode failed")
        for start in range(0, len(tokens), 512):
            run(tokens[start:start + 512], start)
        position = len(tokens)
        for _ in range(count):
            row = ffi.buffer(lib.llama_get_logits_ith(ctx, -1), 4 * vocab)
            logits = memoryview(row).cast("f")
            best = max(range(vocab), key=logits.__getitem__)
            out.append(best)
            run([best], position)
            position += 1
    finally:
        lib.llama_batch_free(batch)
        lib.llama_free(ctx)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("llama_dir")
    parser.add_argument("model")
    parser.add_argument("socket")
    parser.add_argument("--lengths", type=int, nargs="+", default=[1500, 3000])
    parser.add_argument("--depths", type=int, nargs="+", default=[10, 50, 90])
    parser.add_argument("--samples", type=int, default=1)
    parser.add_argument("--max-tokens", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ffi, lib = load_llama_cpp(args.llama_dir)
    model = lib.llama_model_load_from_file(args.model.encode(), lib.llama_model_default_params())
    if model == ffi.NULL:
        raise SystemExit(f"llama.cpp could not load {args.model}")
    tokenizer = tokenizer_from_gguf(args.model)
    print("| tokens | depth | key | seal | llama.cpp |\n| --- | --- | --- | --- | --- |")
    tally = {"seal": 0, "llama.cpp": 0, "n": 0}
    for length in args.lengths:
        for depth in args.depths:
            for sample in samples(args.socket, length, depth, args.samples, args.seed):
                ids = primed_prompt_tokens(args.socket, sample)
                seal = call(args.socket, "POST", "/api/generate",
                            {"prompt_tokens": ids, "max_tokens": args.max_tokens, "temperature": 0})["text"]
                theirs = llama_greedy(ffi, lib, model, ids, args.max_tokens)
                llama = tokenizer.decode(theirs)
                tally["n"] += 1
                tally["seal"] += sample["answer"] in seal
                tally["llama.cpp"] += sample["answer"] in llama
                print(f"| {len(ids)} | {depth}% | {sample['answer']} | {seal.strip()!r} | {llama.strip()!r} |", flush=True)
    lib.llama_model_free(model)
    print(f"\nretrieved: seal {tally['seal']}/{tally['n']}, llama.cpp {tally['llama.cpp']}/{tally['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
