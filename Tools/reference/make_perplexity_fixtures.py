#!/usr/bin/env python3
"""Write Tests/Fixtures/perplexity/smollm2.json: perplexity as llama.cpp's tool computes it.

An independent check of `PerplexityRun` (Sources/SealGeneration/Perplexity.swift). The text is
tokenized with the HF `tokenizers` library (tokenizer rebuilt from the GGUF metadata), BOS
prepended when the GGUF says the tokenizer adds one; it is cut into whole chunks of CONTEXT
tokens, each chunk's first token replaced by BOS (when added), each chunk evaluated from scratch
by the numpy float64 reference (llama_reference.py); the logits at positions CONTEXT//2 ..
CONTEXT-2 predict the next token; the negative log-likelihoods (log-softmax in float64) are
averaged; PPL = exp(mean) and its error = PPL * sqrt(var / (n - 1)), as llama.cpp prints them.
"""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import llama_reference as R  # noqa: E402
from fixture_common import MODELS, ROOT, num, write_json  # noqa: E402
from gguf_to_hf_tokenizer import tokenizer_from_gguf  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "Fixtures", "perplexity", "smollm2.json")
CONTEXT = 64
CHUNKS = 3
# Written for this fixture (no licence question): plain prose, long enough for three chunks.
TEXT = (
    "The lighthouse keeper climbed the spiral stairs every evening at dusk. He carried a small "
    "can of oil, a cloth for the lens, and a notebook in which he wrote the weather, the ships he "
    "saw and the hour the lamp was lit. In winter the wind came from the north and the stairs were "
    "cold; in summer the gulls nested on the gallery and complained when he opened the door. His "
    "daughter, who lived in the village below, visited on Sundays with bread and news. She told him "
    "about the new harbour wall, the school that had lost its roof in a storm, and the price of fish, "
    "which rose every year. He listened, nodded, and wrote some of it down. When the lamp was "
    "replaced by an automatic light, the keeper stayed on for a year to watch it work. Then he "
    "moved to the village, where he repaired clocks and radios, and where children asked him what "
    "the sea looked like at night from the top of the tower. He told them it looked like nothing "
    "at all, and then, when the beam swept round, like everything at once."
)


def negative_log_likelihoods(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    top = logits.max(axis=1, keepdims=True)
    lse = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    return lse - logits[np.arange(len(targets)), targets]


def main():
    path = os.path.join(MODELS, "SmolLM2-135M-Instruct.Q4_1.gguf")
    tok = tokenizer_from_gguf(path)
    cfg, w = R.load_gguf(path, np.float64)
    from gguf import GGUFReader
    reader = GGUFReader(path)
    add_bos = bool(R.gguf_field(reader, "tokenizer.ggml.add_bos_token", False))
    bos = R.gguf_field(reader, "tokenizer.ggml.bos_token_id", None)
    ids = tok.encode(TEXT, add_special_tokens=False).ids
    if add_bos and bos is not None:
        ids = [int(bos)] + ids
    assert len(ids) >= CONTEXT * CHUNKS, f"text has {len(ids)} tokens, needs {CONTEXT * CHUNKS}"
    first = CONTEXT // 2
    per_chunk, everything = [], []
    for c in range(CHUNKS):
        chunk = list(ids[c * CONTEXT:(c + 1) * CONTEXT])
        if add_bos and bos is not None:
            chunk[0] = int(bos)
        logits = R.all_logits(cfg, w, chunk)
        nll = negative_log_likelihoods(logits[first:CONTEXT - 1], np.asarray(chunk[first + 1:CONTEXT]))
        everything.extend(nll.tolist())
        n = len(everything)
        mean = float(np.mean(everything))
        ppl = float(np.exp(mean))
        var = float(np.mean(np.square(everything)) - mean * mean)
        per_chunk.append({"chunks": c + 1, "scored_tokens": n, "mean_nll": num(mean), "perplexity": num(ppl),
                          "standard_error": num(ppl * np.sqrt(var / (n - 1)))})
        print(f"[{c + 1}] ppl {ppl:.6f}", flush=True)
    write_json(OUT, {
        "generator": "Tools/reference/make_perplexity_fixtures.py",
        "reference": "numpy float64 forward over gguf.quants.dequantize; HF tokenizers",
        "model": "SmolLM2-135M-Instruct.Q4_1.gguf",
        "context": CONTEXT,
        "add_bos": add_bos,
        "text": TEXT,
        "tokens": ids,
        "running": per_chunk,
    }, indent=1)
    print("wrote", os.path.relpath(OUT, ROOT), flush=True)


if __name__ == "__main__":
    main()
