#!/usr/bin/env python3
"""Independent numpy reference for llama-family decoder-only transformers.

This module is the ground truth the Swift engine is compared against. It is
deliberately simple: plain numpy, float64 by default, and no code shared with
the Swift sources. It supports

  * weights from a GGUF file (any tensor type that ``gguf.quants.dequantize``
    understands), architectures ``llama`` (Q/K rows stored permuted, RoPE on
    ADJACENT pairs) and ``qwen2``/``qwen3``-style NEOX rope (RoPE on HALVES);
  * weights from a Hugging Face directory (``config.json`` + ``*.safetensors``,
    single file or sharded through ``model.safetensors.index.json``); HF keeps
    the original Q/K row order, so RoPE rotates HALVES (x[i], x[i + d/2]);
  * optional q/k/v biases (qwen2), tied embeddings, grouped-query attention.

Computation (per token, per layer)::

    h   = x + Wo · Attn(RoPE(Wq·n1 + bq), RoPE(Wk·n1 + bk), Wv·n1 + bv),   n1 = RMSNorm(x) * w_attn_norm
    out = h + Wdown · (silu(Wgate·n2) * (Wup·n2)),                         n2 = RMSNorm(h) * w_ffn_norm
    logits = LMHead · (RMSNorm(out_last) * w_out_norm)

RMSNorm(x) = x / sqrt(mean(x^2) + eps); attention is causal, softmax scale
1/sqrt(head_dim); query head h reads KV head h // (n_heads / n_kv_heads).

Orientation: every matrix in ``Weights`` has numpy shape (out_features,
in_features) and is applied as ``x @ W.T``. A GGUF tensor with ggml shape
``[ne0=in, ne1=out]`` is stored row-major with ne0 fastest, so it dequantizes
to exactly that (out, in) numpy array; HF Linear weights are (out, in) too.
Embedding tables are (vocab, d_model) in both formats.
"""
from __future__ import annotations

import json
import math
import os
import struct
from dataclasses import dataclass, field, replace
from typing import Optional

import numpy as np

__all__ = [
    "Config", "Weights", "load_gguf", "load_hf", "forward", "logits_at",
    "greedy", "KVCache", "permute_hf_to_gguf", "read_safetensors", "cast_weights",
    "self_extend_positions", "gguf_field", "gguf_tensor",
]

ROPE_ADJACENT = "adjacent"   # pairs (x[2i], x[2i+1])      — llama.cpp LLAMA_ROPE_TYPE_NORM
ROPE_HALVES = "halves"       # pairs (x[i], x[i + n_rot/2]) — HF rotate_half / NEOX


@dataclass
class Config:
    arch: str
    n_layers: int
    d_model: int
    n_heads: int
    n_kv_heads: int
    head_dim: int
    ffn_dim: int
    vocab_size: int
    rope_theta: float
    rms_eps: float
    rope_layout: str
    n_rot: int                       # rotated dims per head (== head_dim unless partial rotary)
    tied_embeddings: bool
    qkv_bias: bool
    bos_token_id: Optional[int] = None
    eos_token_ids: list = field(default_factory=list)
    source: str = ""

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Layer:
    attn_norm: np.ndarray
    wq: np.ndarray
    wk: np.ndarray
    wv: np.ndarray
    wo: np.ndarray
    ffn_norm: np.ndarray
    w_gate: np.ndarray
    w_up: np.ndarray
    w_down: np.ndarray
    bq: Optional[np.ndarray] = None
    bk: Optional[np.ndarray] = None
    bv: Optional[np.ndarray] = None


@dataclass
class Weights:
    tok_embd: np.ndarray          # (vocab, d_model)
    layers: list
    out_norm: np.ndarray          # (d_model,)
    lm_head: np.ndarray           # (vocab, d_model); the same object as tok_embd when tied


def cast_weights(w: Weights, dtype) -> Weights:
    """Copy of ``w`` with every array converted to ``dtype`` (ties preserved)."""
    def c(a):
        return None if a is None else np.ascontiguousarray(a, dtype=dtype)
    emb = c(w.tok_embd)
    head = emb if w.lm_head is w.tok_embd else c(w.lm_head)
    layers = [Layer(**{k: c(getattr(L, k)) for k in L.__dataclass_fields__}) for L in w.layers]
    return Weights(tok_embd=emb, layers=layers, out_norm=c(w.out_norm), lm_head=head)


# --------------------------------------------------------------------------------------
# GGUF loading
# --------------------------------------------------------------------------------------

_GGUF_ROPE_LAYOUT = {
    # llama.cpp rope type per architecture: NORM (adjacent pairs) vs NEOX (halves).
    "llama": ROPE_ADJACENT,
    "mistral": ROPE_ADJACENT,
    "granite": ROPE_ADJACENT,
    "qwen2": ROPE_HALVES,
    "qwen3": ROPE_HALVES,
}


def gguf_field(reader, key, default=None):
    """The value of metadata `key` of a gguf.GGUFReader, or `default` when the file lacks it."""
    f = reader.fields.get(key)
    if f is None:
        return default
    return f.contents()


def gguf_tensor(t, dtype) -> np.ndarray:
    """A GGUF tensor dequantized by the gguf package, as a row-major numpy array of `dtype`."""
    from gguf.quants import dequantize
    arr = dequantize(t.data, t.tensor_type)
    # ggml shape is [ne0, ne1, ...] with ne0 fastest => numpy shape is reversed.
    np_shape = tuple(int(n) for n in reversed(list(t.shape)))
    arr = np.asarray(arr).reshape(np_shape)
    return np.ascontiguousarray(arr, dtype=dtype)


def load_gguf(path: str, dtype=np.float64) -> tuple[Config, Weights]:
    from gguf import GGUFReader
    r = GGUFReader(path)
    arch = gguf_field(r, "general.architecture")
    if arch not in _GGUF_ROPE_LAYOUT:
        raise NotImplementedError(f"unsupported GGUF architecture {arch!r}")
    g = lambda k, d=None: gguf_field(r, f"{arch}.{k}", d)
    d_model = int(g("embedding_length"))
    n_heads = int(g("attention.head_count"))
    n_kv = int(g("attention.head_count_kv", n_heads))
    head_dim = int(g("attention.key_length", d_model // n_heads))
    tensors = {t.name: t for t in r.tensors}
    vocab = int(tensors["token_embd.weight"].shape[1])
    eos = gguf_field(r, "tokenizer.ggml.eos_token_id")
    eot = gguf_field(r, "tokenizer.ggml.eot_token_id")
    cfg = Config(
        arch=arch,
        n_layers=int(g("block_count")),
        d_model=d_model,
        n_heads=n_heads,
        n_kv_heads=n_kv,
        head_dim=head_dim,
        ffn_dim=int(g("feed_forward_length")),
        vocab_size=vocab,
        # llama.cpp default when the key is absent is 10000.
        rope_theta=float(g("rope.freq_base", 10000.0)),
        rms_eps=float(g("attention.layer_norm_rms_epsilon")),
        rope_layout=_GGUF_ROPE_LAYOUT[arch],
        n_rot=int(g("rope.dimension_count", head_dim)),
        tied_embeddings="output.weight" not in tensors,
        qkv_bias="blk.0.attn_q.bias" in tensors,
        bos_token_id=gguf_field(r, "tokenizer.ggml.bos_token_id"),
        eos_token_ids=sorted({int(x) for x in (eos, eot) if x is not None}),
        source=os.path.basename(path),
    )
    if g("rope.scaling.type") not in (None, "none"):
        raise NotImplementedError("rope scaling is not supported by the reference")

    def T(name):
        return gguf_tensor(tensors[name], dtype)

    def opt(name):
        return T(name) if name in tensors else None

    layers = []
    for i in range(cfg.n_layers):
        p = f"blk.{i}."
        layers.append(Layer(
            attn_norm=T(p + "attn_norm.weight"),
            wq=T(p + "attn_q.weight"), wk=T(p + "attn_k.weight"),
            wv=T(p + "attn_v.weight"), wo=T(p + "attn_output.weight"),
            ffn_norm=T(p + "ffn_norm.weight"),
            w_gate=T(p + "ffn_gate.weight"), w_up=T(p + "ffn_up.weight"),
            w_down=T(p + "ffn_down.weight"),
            bq=opt(p + "attn_q.bias"), bk=opt(p + "attn_k.bias"), bv=opt(p + "attn_v.bias"),
        ))
    emb = T("token_embd.weight")
    head = emb if cfg.tied_embeddings else T("output.weight")
    w = Weights(tok_embd=emb, layers=layers, out_norm=T("output_norm.weight"), lm_head=head)
    _check_shapes(cfg, w)
    return cfg, w


# --------------------------------------------------------------------------------------
# Hugging Face (safetensors) loading — hand-written reader, no `safetensors` package
# --------------------------------------------------------------------------------------

def _bf16_to_f32(raw: np.ndarray) -> np.ndarray:
    return (raw.astype(np.uint32) << 16).view(np.float32)


def read_safetensors(path: str) -> dict:
    """Parse a .safetensors file: u64 LE header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack_from("<Q", blob, 0)
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = blob[base + b: base + e]
        shape = tuple(info["shape"])
        dt = info["dtype"]
        if dt == "F32":
            a = np.frombuffer(raw, dtype="<f4")
        elif dt == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif dt == "BF16":
            a = _bf16_to_f32(np.frombuffer(raw, dtype="<u2"))
        elif dt == "F64":
            a = np.frombuffer(raw, dtype="<f8")
        else:
            raise NotImplementedError(f"safetensors dtype {dt}")
        out[name] = a.reshape(shape)
    return out


def load_hf(model_dir: str, dtype=np.float64) -> tuple[Config, Weights]:
    with open(os.path.join(model_dir, "config.json")) as f:
        c = json.load(f)
    idx = os.path.join(model_dir, "model.safetensors.index.json")
    tensors = {}
    if os.path.exists(idx):
        with open(idx) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    for fn in files:
        tensors.update(read_safetensors(os.path.join(model_dir, fn)))
    if c.get("rope_scaling"):
        raise NotImplementedError("rope scaling is not supported by the reference")
    d_model = int(c["hidden_size"])
    n_heads = int(c["num_attention_heads"])
    head_dim = int(c.get("head_dim") or d_model // n_heads)
    eos = c.get("eos_token_id")
    eos = [] if eos is None else (list(eos) if isinstance(eos, list) else [eos])
    tied = "lm_head.weight" not in tensors
    cfg = Config(
        arch=c.get("model_type", "llama"),
        n_layers=int(c["num_hidden_layers"]),
        d_model=d_model,
        n_heads=n_heads,
        n_kv_heads=int(c.get("num_key_value_heads") or n_heads),
        head_dim=head_dim,
        ffn_dim=int(c["intermediate_size"]),
        vocab_size=int(c["vocab_size"]),
        rope_theta=float(c.get("rope_theta", 10000.0)),
        rms_eps=float(c.get("rms_norm_eps", 1e-6)),
        rope_layout=ROPE_HALVES,
        n_rot=int(head_dim * float(c.get("partial_rotary_factor", 1.0))),
        tied_embeddings=tied,
        qkv_bias="model.layers.0.self_attn.q_proj.bias" in tensors,
        bos_token_id=c.get("bos_token_id"),
        eos_token_ids=eos,
        source=os.path.basename(os.path.normpath(model_dir)),
    )

    def T(name):
        return np.ascontiguousarray(tensors[name], dtype=dtype)

    def opt(name):
        return T(name) if name in tensors else None

    layers = []
    for i in range(cfg.n_layers):
        p = f"model.layers.{i}."
        layers.append(Layer(
            attn_norm=T(p + "input_layernorm.weight"),
            wq=T(p + "self_attn.q_proj.weight"), wk=T(p + "self_attn.k_proj.weight"),
            wv=T(p + "self_attn.v_proj.weight"), wo=T(p + "self_attn.o_proj.weight"),
            ffn_norm=T(p + "post_attention_layernorm.weight"),
            w_gate=T(p + "mlp.gate_proj.weight"), w_up=T(p + "mlp.up_proj.weight"),
            w_down=T(p + "mlp.down_proj.weight"),
            bq=opt(p + "self_attn.q_proj.bias"), bk=opt(p + "self_attn.k_proj.bias"),
            bv=opt(p + "self_attn.v_proj.bias"),
        ))
    emb = T("model.embed_tokens.weight")
    head = emb if tied else T("lm_head.weight")
    w = Weights(tok_embd=emb, layers=layers, out_norm=T("model.norm.weight"), lm_head=head)
    _check_shapes(cfg, w)
    return cfg, w


def _check_shapes(cfg: Config, w: Weights) -> None:
    D, H, KV, hd, F, V = cfg.d_model, cfg.n_heads, cfg.n_kv_heads, cfg.head_dim, cfg.ffn_dim, cfg.vocab_size
    assert H % KV == 0, (H, KV)
    assert w.tok_embd.shape == (V, D), w.tok_embd.shape
    assert w.lm_head.shape == (V, D), w.lm_head.shape
    assert w.out_norm.shape == (D,)
    for L in w.layers:
        assert L.wq.shape == (H * hd, D), L.wq.shape
        assert L.wk.shape == (KV * hd, D), L.wk.shape
        assert L.wv.shape == (KV * hd, D), L.wv.shape
        assert L.wo.shape == (D, H * hd), L.wo.shape
        assert L.w_gate.shape == (F, D) and L.w_up.shape == (F, D), (L.w_gate.shape, L.w_up.shape)
        assert L.w_down.shape == (D, F), L.w_down.shape
        assert L.attn_norm.shape == (D,) and L.ffn_norm.shape == (D,)


def permute_hf_to_gguf(w: np.ndarray, n_heads: int) -> np.ndarray:
    """Reorder Q/K rows (or bias entries) from HF 'halves' order to GGUF 'adjacent' order.

    Within each head, HF row (half h in {0,1}, index i) moves to row 2*i + h, so the HF pair
    (i, i + d/2) becomes the adjacent pair (2i, 2i + 1). This is what llama.cpp's converter
    does for llama-arch models; applying it lets adjacent-pair RoPE reproduce HF exactly.
    """
    shape = w.shape
    return w.reshape(n_heads, 2, shape[0] // n_heads // 2, *shape[1:]).swapaxes(1, 2).reshape(shape)


# --------------------------------------------------------------------------------------
# Forward pass
# --------------------------------------------------------------------------------------

class KVCache:
    """Per-layer keys (post-RoPE) and values, shape (n_tokens, n_kv_heads, head_dim)."""

    def __init__(self, n_layers: int):
        self.k = [None] * n_layers
        self.v = [None] * n_layers

    @property
    def length(self) -> int:
        return 0 if self.k[0] is None else self.k[0].shape[0]


def rms_norm(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def silu(x: np.ndarray) -> np.ndarray:
    return x / (1.0 + np.exp(-x))


def rope_tables(positions: np.ndarray, n_rot: int, theta: float, dtype,
                scale: float = 1.0, factor: float = 1.0):
    """cos/sin of shape (T, n_rot/2), angle[t, i] = pos_t * theta^(-2i/n_rot).

    In float64 mode the angles are computed in float64. In float32 mode they are computed in
    float32 on purpose, to mimic what a float32 engine does (this dominates the float32 noise
    at long positions).

    Extensions (both off by default, and then the computation is exactly the one above):
      * ``scale`` s != 1: linear position interpolation, inv_freq_i / s (same as pos -> pos / s).
      * ``factor`` a != 1: YaRN-style attention factor, cos and sin are both multiplied by a.
        Applied to q and k this multiplies the rotated part of every q·k logit by a^2.
    """
    i = np.arange(n_rot // 2, dtype=dtype)
    inv_freq = np.asarray(theta, dtype=dtype) ** (-(2 * i) / np.asarray(n_rot, dtype=dtype))
    if scale != 1.0:
        inv_freq = inv_freq / np.asarray(scale, dtype=dtype)
    ang = positions.astype(dtype)[:, None] * inv_freq[None, :]
    cos, sin = np.cos(ang), np.sin(ang)
    if factor != 1.0:
        f = np.asarray(factor, dtype=dtype)
        cos, sin = cos * f, sin * f
    return cos, sin


def apply_rope(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, layout: str, n_rot: int) -> np.ndarray:
    """x: (T, n_heads, head_dim). Rotates the first n_rot dims of every head."""
    out = x.copy()
    c = cos[:, None, :]
    s = sin[:, None, :]
    if layout == ROPE_ADJACENT:
        x0 = x[..., 0:n_rot:2]
        x1 = x[..., 1:n_rot:2]
        out[..., 0:n_rot:2] = x0 * c - x1 * s
        out[..., 1:n_rot:2] = x0 * s + x1 * c
    elif layout == ROPE_HALVES:
        h = n_rot // 2
        x0 = x[..., :h]
        x1 = x[..., h:n_rot]
        out[..., :h] = x0 * c - x1 * s
        out[..., h:n_rot] = x0 * s + x1 * c
    else:
        raise ValueError(layout)
    return out


def _attention(q, k, v, q_pos, k_pos, n_heads, n_kv):
    """q: (T, H, hd); k, v: (S, KV, hd). Causal: query at position p sees keys at positions <= p."""
    T, _, hd = q.shape
    g = n_heads // n_kv
    scale = 1.0 / math.sqrt(hd)
    mask = k_pos[None, :] > q_pos[:, None]              # (T, S) True = masked
    out = np.empty_like(q)
    for j in range(n_kv):
        kj = k[:, j, :]                                 # (S, hd)
        vj = v[:, j, :]
        for h in range(j * g, (j + 1) * g):
            s = (q[:, h, :] @ kj.T) * q.dtype.type(scale)   # (T, S)
            s[mask] = -np.inf
            s = s - s.max(axis=-1, keepdims=True)
            p = np.exp(s)
            p /= p.sum(axis=-1, keepdims=True)
            out[:, h, :] = p @ vj
    return out


def self_extend_positions(n: int, group: int, window: int):
    """Grouped RoPE positions of Self-Extend (Jin et al. 2024) for a sequence of n tokens.

    Returns (q_pos, k_pos): query i -> i // G + W - W // G, key j -> j // G (floor division).
    They are used for the pairs with i - j >= W; the pairs with i - j < W use the normal
    positions (i, j).
    """
    i = np.arange(n)
    return i // group + window - window // group, i // group


def _attention_self_extend(q, k, qg, kg, v, q_pos, k_pos, n_heads, n_kv, window):
    """Self-Extend attention. q/k are rotated at the normal positions, qg/kg at the grouped ones.

    Per (query i, key j): logit = q_i·k_j if i - j < window else qg_i·kg_j (both times
    1/sqrt(head_dim)); the merged logits go through one causal softmax. Same loop and operation
    order as ``_attention``, so a merge that always picks the normal logits is bit-identical to it.
    """
    T, _, hd = q.shape
    g = n_heads // n_kv
    scale = 1.0 / math.sqrt(hd)
    mask = k_pos[None, :] > q_pos[:, None]              # (T, S) True = masked
    neighbour = (q_pos[:, None] - k_pos[None, :]) < window
    out = np.empty_like(q)
    for j in range(n_kv):
        kj = k[:, j, :]
        kgj = kg[:, j, :]
        vj = v[:, j, :]
        for h in range(j * g, (j + 1) * g):
            s = (q[:, h, :] @ kj.T) * q.dtype.type(scale)
            sg = (qg[:, h, :] @ kgj.T) * q.dtype.type(scale)
            s = np.where(neighbour, s, sg)
            s[mask] = -np.inf
            s = s - s.max(axis=-1, keepdims=True)
            p = np.exp(s)
            p /= p.sum(axis=-1, keepdims=True)
            out[:, h, :] = p @ vj
    return out


def forward(cfg: Config, w: Weights, tokens, cache: Optional[KVCache] = None, *,
            rope_scale: float = 1.0, attn_factor: float = 1.0, head_scales=None,
            self_extend: Optional[tuple] = None) -> np.ndarray:
    """Run the decoder stack over ``tokens`` and return final-normed hidden states (T, d_model).

    With ``cache`` None this is a full recompute starting at position 0. With a cache the tokens
    are placed after the cached ones and the cache is extended in place.

    Optional variations of the forward pass (all off by default; then nothing changes):
      * ``rope_scale`` s: linear position interpolation, RoPE inv_freq divided by s.
      * ``attn_factor`` a: cos and sin of RoPE multiplied by a, for q and k (logits times a^2).
      * ``head_scales``: array (n_layers, n_heads, head_dim); the attention output of layer l,
        query head h, channel c is multiplied by head_scales[l, h, c] before the output projection.
      * ``self_extend`` (G, W): Self-Extend with group size G and neighbour window W, see
        ``self_extend_positions`` and ``_attention_self_extend``. Full recompute only (no cache).
    """
    dtype = w.tok_embd.dtype
    tokens = np.asarray(tokens, dtype=np.int64)
    T = tokens.shape[0]
    start = 0 if cache is None else cache.length
    pos = np.arange(start, start + T)
    cos, sin = rope_tables(pos, cfg.n_rot, cfg.rope_theta, dtype, rope_scale, attn_factor)
    if self_extend is not None:
        if cache is not None:
            raise NotImplementedError("self_extend is implemented for a full recompute only")
        se_group, se_window = (int(x) for x in self_extend)
        assert se_group >= 1 and se_window >= 1, self_extend
        gq_pos, gk_pos = self_extend_positions(T, se_group, se_window)
        cos_gq, sin_gq = rope_tables(gq_pos, cfg.n_rot, cfg.rope_theta, dtype, rope_scale, attn_factor)
        cos_gk, sin_gk = rope_tables(gk_pos, cfg.n_rot, cfg.rope_theta, dtype, rope_scale, attn_factor)
    if head_scales is not None:
        head_scales = np.asarray(head_scales, dtype=dtype)
        assert head_scales.shape == (cfg.n_layers, cfg.n_heads, cfg.head_dim), head_scales.shape
    H, KV, hd = cfg.n_heads, cfg.n_kv_heads, cfg.head_dim
    x = w.tok_embd[tokens].astype(dtype)
    for li, L in enumerate(w.layers):
        n = rms_norm(x, L.attn_norm, cfg.rms_eps)
        q = n @ L.wq.T
        k = n @ L.wk.T
        v = n @ L.wv.T
        if L.bq is not None:
            q = q + L.bq
        if L.bk is not None:
            k = k + L.bk
        if L.bv is not None:
            v = v + L.bv
        if self_extend is not None:
            qg = apply_rope(q.reshape(T, H, hd), cos_gq, sin_gq, cfg.rope_layout, cfg.n_rot)
            kg = apply_rope(k.reshape(T, KV, hd), cos_gk, sin_gk, cfg.rope_layout, cfg.n_rot)
        q = apply_rope(q.reshape(T, H, hd), cos, sin, cfg.rope_layout, cfg.n_rot)
        k = apply_rope(k.reshape(T, KV, hd), cos, sin, cfg.rope_layout, cfg.n_rot)
        v = v.reshape(T, KV, hd)
        if cache is not None:
            if cache.k[li] is not None:
                k = np.concatenate([cache.k[li], k], axis=0)
                v = np.concatenate([cache.v[li], v], axis=0)
            cache.k[li], cache.v[li] = k, v
        k_pos = np.arange(k.shape[0])
        if self_extend is not None:
            a = _attention_self_extend(q, k, qg, kg, v, pos, k_pos, H, KV, se_window)
        else:
            a = _attention(q, k, v, pos, k_pos, H, KV)
        if head_scales is not None:
            a = a * head_scales[li][None, :, :]
        x = x + a.reshape(T, H * hd) @ L.wo.T
        n = rms_norm(x, L.ffn_norm, cfg.rms_eps)
        x = x + (silu(n @ L.w_gate.T) * (n @ L.w_up.T)) @ L.w_down.T
    return rms_norm(x, w.out_norm, cfg.rms_eps)


def logits_at(cfg: Config, w: Weights, hidden: np.ndarray, rows) -> np.ndarray:
    """Logits (len(rows), vocab) for the given rows of ``forward``'s output."""
    return hidden[np.asarray(rows, dtype=np.int64)] @ w.lm_head.T


def all_logits(cfg: Config, w: Weights, tokens) -> np.ndarray:
    h = forward(cfg, w, tokens)
    return logits_at(cfg, w, h, range(len(tokens)))


def greedy(cfg: Config, w: Weights, tokens, n_new: int, stop_ids=()):
    """Greedy decoding with a KV cache. Ties break to the lowest token id (np.argmax).

    Returns (new_ids, margins) where margins[i] = top1 - top2 logit at step i. Generation does not
    stop at EOS unless ``stop_ids`` is given.
    """
    cache = KVCache(cfg.n_layers)
    h = forward(cfg, w, tokens, cache)
    logits = logits_at(cfg, w, h, [h.shape[0] - 1])[0]
    out, margins = [], []
    for step in range(n_new):
        nxt = int(np.argmax(logits))
        top2 = np.partition(logits, -2)[-2:]
        margins.append(float(top2[1] - top2[0]))
        out.append(nxt)
        if nxt in stop_ids or step == n_new - 1:
            break
        h = forward(cfg, w, [nxt], cache)
        logits = logits_at(cfg, w, h, [0])[0]
    return out, margins


def _main():
    import argparse
    ap = argparse.ArgumentParser(description="numpy llama reference: print top tokens / greedy ids")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--gguf")
    src.add_argument("--hf")
    ap.add_argument("--ids", required=True, help="comma-separated prompt token ids")
    ap.add_argument("--greedy", type=int, default=0)
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    cfg, w = load_gguf(a.gguf) if a.gguf else load_hf(a.hf)
    ids = [int(x) for x in a.ids.split(",") if x.strip()]
    h = forward(cfg, w, ids)
    lg = logits_at(cfg, w, h, [len(ids) - 1])[0]
    order = np.argsort(-lg, kind="stable")[: a.top]
    print(json.dumps({"config": cfg.to_json(), "top": [[int(i), float(lg[i])] for i in order]}, indent=1))
    if a.greedy:
        print(json.dumps({"greedy": greedy(cfg, w, ids, a.greedy)[0]}))


if __name__ == "__main__":
    _main()
