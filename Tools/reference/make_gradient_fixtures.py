#!/usr/bin/env python3
"""Scale-gradient fixture for the real default model, by automatic differentiation.

An independent reference for the Swift reverse-mode engine (Sources/SealTuning/Backward):
a functional float64 forward pass of SmolLM2-135M-Instruct (weights dequantized by the
`gguf` package, shared loader in llama_reference.py), differentiated by the `autograd`
package with respect to the per-channel multipliers on every head's attention output
(before o_proj). Loss: mean cross-entropy over the answer tokens (the prompt is masked).

Two position plans: plain RoPE, and Self-Extend (group G, neighbour window W: distances
< W keep their positions, farther ones use key j // G and query i // G + W - W // G, the
two logit maps merged before one softmax).

The scales are not stored: scale[l][c] = float32(1 + 0.2 * sin(0.37 * (l * q + c))), q the
query width, rebuilt the same way by the Swift test.

    python3 Tools/reference/make_gradient_fixtures.py   # writes Tests/Fixtures/gradients/smollm2-scale-gradients.json

Needs numpy, gguf, tokenizers and autograd (requirements.txt); ~1 minute on one core.
"""
from __future__ import annotations

import math
import os
import sys

import autograd.numpy as anp
import numpy as np
from autograd import value_and_grad

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import llama_reference as R  # noqa: E402
from fixture_common import MODELS, ROOT, write_json  # noqa: E402
from gguf_to_hf_tokenizer import tokenizer_from_gguf  # noqa: E402

MODEL = "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = os.path.join(ROOT, "Tests", "Fixtures", "gradients", "smollm2-scale-gradients.json")
PROMPT = ("<|im_start|>user\nThere is a pass key hidden in this text. The grass is green. "
          "The sky is blue. The pass key is 48213. Remember it. The sun is yellow. "
          "What is the pass key?<|im_end|>\n<|im_start|>assistant\n")
ANSWER = "The pass key is 48213.<|im_end|>"
SELF_EXTEND = (4, 16)  # G, W


def scales_for(cfg: R.Config) -> np.ndarray:
    q = cfg.n_heads * cfg.head_dim
    index = np.arange(cfg.n_layers * q, dtype=np.float64)
    return (1 + 0.2 * np.sin(0.37 * index)).astype(np.float32).astype(np.float64).reshape(cfg.n_layers, q)


def rotate(x, positions, cfg: R.Config):
    """x: (T, H, hd) -> rotated copy (functional, for autograd); positions: (T,) ints."""
    n_rot = cfg.n_rot
    inv = 1.0 / cfg.rope_theta ** (np.arange(0, n_rot, 2, dtype=np.float64) / n_rot)
    ang = positions.astype(np.float64)[:, None] * inv[None, :]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    rest = x[..., n_rot:]
    if cfg.rope_layout == R.ROPE_ADJACENT:
        x0, x1 = x[..., 0:n_rot:2], x[..., 1:n_rot:2]
        rotated = anp.reshape(anp.stack([x0 * c - x1 * s, x0 * s + x1 * c], axis=-1), x0.shape[:-1] + (n_rot,))
    else:
        h = n_rot // 2
        x0, x1 = x[..., :h], x[..., h:n_rot]
        rotated = anp.concatenate([x0 * c - x1 * s, x0 * s + x1 * c], axis=-1)
    return anp.concatenate([rotated, rest], axis=-1)


def bands(n: int, self_extend):
    """[(mask (T, T) of distances the band owns, query positions, key positions)]."""
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    distance = i - j
    pos = np.arange(n)
    if self_extend is None:
        return [(distance >= 0, pos, pos)]
    g, w = self_extend
    return [((distance >= 0) & (distance < w), pos, pos),
            (distance >= w, pos // g + w - w // g, pos // g)]


def loss_fn(cfg: R.Config, w: R.Weights, tokens, answer_start: int, self_extend):
    n = len(tokens) - 1  # the last token is only a target
    hd, H, KV = cfg.head_dim, cfg.n_heads, cfg.n_kv_heads
    per = H // KV
    plan = bands(n, self_extend)
    causal = np.tril(np.ones((n, n), dtype=bool))
    targets = np.asarray(tokens[1:], dtype=np.int64)
    rows = np.arange(answer_start - 1, n)

    def norm(x, weight):
        return x / anp.sqrt(anp.mean(x * x, axis=-1, keepdims=True) + cfg.rms_eps) * weight

    def loss(scales):
        x = w.tok_embd[np.asarray(tokens[:n])]
        for l, L in enumerate(w.layers):
            h = norm(x, L.attn_norm)
            q = h @ L.wq.T + (0 if L.bq is None else L.bq)
            k = h @ L.wk.T + (0 if L.bk is None else L.bk)
            v = h @ L.wv.T + (0 if L.bv is None else L.bv)
            q = anp.reshape(q, (n, H, hd))
            k = anp.reshape(k, (n, KV, hd))
            v = anp.reshape(v, (n, KV, hd))
            rotated = [(mask, rotate(q, qp, cfg), rotate(k, kp, cfg)) for mask, qp, kp in plan]
            heads = []
            for head in range(H):
                g = head // per
                logits = 0
                for mask, qr, kr in rotated:
                    logits = logits + anp.where(mask, (qr[:, head, :] @ kr[:, g, :].T) / math.sqrt(hd), 0.0)
                logits = anp.where(causal, logits, -1e30)
                logits = logits - anp.max(logits, axis=1, keepdims=True)
                p = anp.exp(logits)
                p = p / anp.sum(p, axis=1, keepdims=True)
                heads.append(p @ v[:, g, :])
            attention = anp.concatenate(heads, axis=1) * scales[l]
            x = x + attention @ L.wo.T
            h = norm(x, L.ffn_norm)
            gate = h @ L.w_gate.T
            x = x + ((gate / (1 + anp.exp(-gate))) * (h @ L.w_up.T)) @ L.w_down.T
        z = norm(x[rows], w.out_norm)
        logits = z @ w.lm_head.T
        m = anp.max(logits, axis=1, keepdims=True)
        lse = anp.log(anp.sum(anp.exp(logits - m), axis=1)) + m[:, 0]
        picked = anp.sum(logits * (np.arange(cfg.vocab_size)[None, :] == targets[rows][:, None]), axis=1)
        return anp.mean(lse - picked)

    return loss


def main():
    path = os.path.join(MODELS, MODEL)
    cfg, w = R.load_gguf(path, dtype=np.float64)
    tokenizer = tokenizer_from_gguf(path)
    prompt = tokenizer.encode(PROMPT, add_special_tokens=False).ids
    answer = tokenizer.encode(ANSWER, add_special_tokens=False).ids
    tokens = prompt + answer
    scales = scales_for(cfg)
    cases = []
    for name, self_extend in (("rope", None), ("self-extend", SELF_EXTEND)):
        value, grad = value_and_grad(loss_fn(cfg, w, tokens, len(prompt), self_extend))(scales)
        print(f"{name}: {len(tokens)} tokens, answer from {len(prompt)}, loss {value:.6f}, "
              f"max |grad| {np.abs(grad).max():.3e}", flush=True)
        case = {"name": name, "loss": float(value),
                "gradient": [[float(f"{g:.6g}") for g in layer] for layer in grad]}
        if self_extend:
            case["self_extend"] = {"group": self_extend[0], "window": self_extend[1]}
        cases.append(case)
    write_json(OUT, {
        "model": MODEL,
        "generator": "Tools/reference/make_gradient_fixtures.py (numpy float64 + autograd)",
        "scales": "float32(1 + 0.2 * sin(0.37 * (layer * query_dimension + channel)))",
        "prompt": PROMPT, "answer": ANSWER,
        "tokens": tokens, "answer_start": len(prompt),
        "cases": cases,
    })
    print("wrote", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
