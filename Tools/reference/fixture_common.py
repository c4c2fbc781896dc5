"""Helpers shared by the fixture generators (evaluation of one case, number formatting)."""
from __future__ import annotations

import json
import os

import numpy as np

import llama_reference as R

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.environ.get("SEAL_MODELS_DIR", os.path.join(ROOT, "models"))


def num(x: float) -> float:
    """9 significant digits: enough to round-trip a float32, stable across reruns."""
    return float(f"{float(x):.9g}")


def probe_ids(vocab_size: int, n: int = 256, seed: int = 1234) -> list:
    rng = np.random.default_rng(seed)
    return sorted(int(i) for i in rng.choice(vocab_size, size=min(n, vocab_size), replace=False))


def top_k(logits: np.ndarray, k: int) -> list:
    order = np.argsort(-logits, kind="stable")[:k]  # ties: lower id first
    return [[int(i), num(logits[i])] for i in order]


def evaluate_case(cfg, w64, w32, name, tokens, positions, *, n_greedy=0, probes=None, topk=40,
                  full_logits=False, extra_tokens=()):
    """Compute one fixture case.

    positions: indices into ``tokens`` whose next-token logits are recorded.
    extra_tokens: appended after ``tokens`` for one teacher-forced full forward (used by the passkey
    case); the argmax after each prefix is returned in ``teacher_forced``.
    """
    tokens = [int(t) for t in tokens]
    positions = sorted(set(int(p) for p in positions))
    assert positions and positions[-1] == len(tokens) - 1, "positions must include the last token"
    seq = tokens + [int(t) for t in extra_tokens]
    h64 = R.forward(cfg, w64, seq)
    L64 = R.logits_at(cfg, w64, h64, positions)
    h32 = R.forward(cfg, w32, tokens)
    L32 = R.logits_at(cfg, w32, h32, positions).astype(np.float64)
    case = {"name": name, "tokens": tokens, "positions": positions}
    logits = {}
    for j, p in enumerate(positions):
        if full_logits:
            logits[str(p)] = [num(x) for x in L64[j]]
        else:
            logits[str(p)] = {
                "top": top_k(L64[j], topk),
                "probe_ids": probes,
                "probe_logits": [num(L64[j][i]) for i in probes],
            }
    case["logits_full" if full_logits else "logits"] = logits
    case["argmax"] = {str(p): int(np.argmax(L64[j])) for j, p in enumerate(positions)}
    case["max_abs_logit"] = num(np.abs(L64).max())
    case["float32_noise_max_abs"] = num(np.abs(L64 - L32).max())
    if extra_tokens:
        n = len(tokens)
        rows = list(range(n - 1, n - 1 + len(extra_tokens)))
        Lx = R.logits_at(cfg, w64, h64, rows)
        case["teacher_forced"] = {
            "continuation": [int(t) for t in extra_tokens],
            "argmax": [int(np.argmax(r)) for r in Lx],
            "margins": [num(np.sort(r)[-1] - np.sort(r)[-2]) for r in Lx],
        }
    if n_greedy:
        g64, m64 = R.greedy(cfg, w64, tokens, n_greedy)
        g32, _ = R.greedy(cfg, w32, tokens, n_greedy)
        # Self-check: the KV-cached greedy path must agree with a full recompute.
        hf = R.forward(cfg, w64, tokens + g64[:-1])
        Lf = R.logits_at(cfg, w64, hf, range(len(tokens) - 1, len(tokens) - 1 + len(g64)))
        assert [int(np.argmax(r)) for r in Lf] == g64, f"{name}: cached greedy != full recompute"
        case["greedy"] = g64
        case["greedy_margins"] = [num(m) for m in m64]
        case["greedy_min_margin"] = num(min(m64))
        case["float32_greedy_matches"] = g32 == g64
    return case


def write_json(path: str, doc: dict, indent=None) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=indent, separators=(",", ":") if indent is None else None)
        f.write("\n")
