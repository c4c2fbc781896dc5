"""Context-extension plans from the published formulas, independent of seal's C plugins.

Written from the papers and the Hugging Face ``rope_scaling`` definitions (vectorised numpy,
float64), never from the plugins' code. Used by make_extension_fixtures.py to write
Tests/Fixtures/parity/rope-plans.json, which SealPluginsTests compares the plugins against.

Every function returns ``(inv_freq, attention_factor, effective_context)`` for the RoPE of a model
with base ``theta``, ``dim`` rotary dimensions and trained context ``L``, asked to reach ``n``.
"""
from __future__ import annotations

import math

import numpy as np


def base_inv_freq(theta: float, dim: int) -> np.ndarray:
    return 1.0 / theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim)


def auto_factor(factor: float, n: int, L: int) -> float:
    return factor if factor != 0 else max(1.0, n / L)


def linear(theta, dim, L, n, factor=0.0):
    s = auto_factor(factor, n, L)
    reach = max(n, L) if factor == 0 else round(L * s)
    return base_inv_freq(theta, dim) / s, 1.0, reach


def ntk(theta, dim, L, n, factor=0.0, original_max_position_embeddings=0):
    L0 = original_max_position_embeddings or L
    s = auto_factor(factor, n, L0)
    reach = L0 * s
    if factor == 0:
        reach = max(reach, n)
    return base_inv_freq(theta * s ** (dim / (dim - 2)), dim), 1.0, int(reach + 0.5)


def dynamic_ntk(theta, dim, L, n, factor=2.0, original_max_position_embeddings=0):
    """HF "dynamic", with n the length the request will reach (fixed for the request)."""
    L0 = original_max_position_embeddings or L
    base = theta
    if n > L0:
        base = theta * ((factor * n / L0) - (factor - 1)) ** (dim / (dim - 2))
    return base_inv_freq(base, dim), 1.0, int(max(n, L, L0))


def yarn(theta, dim, L, n, factor=0.0, original_max_position_embeddings=0, beta_fast=32.0, beta_slow=1.0,
         attention_factor=0.0):
    """YaRN (Peng et al. 2023) as HF's _compute_yarn_parameters (floor/ceil of the correction dims)."""
    L0 = original_max_position_embeddings or L
    s = auto_factor(factor, n, L0)

    def correction_dim(rotations):
        return (dim * math.log(L0 / (rotations * 2 * math.pi))) / (2 * math.log(theta))

    low = max(math.floor(correction_dim(beta_fast)), 0)
    high = min(math.ceil(correction_dim(beta_slow)), dim - 1)
    if low == high:
        high += 0.001
    ramp = np.clip((np.arange(dim // 2, dtype=np.float64) - low) / (high - low), 0, 1)
    extrapolation_weight = 1 - ramp
    pos_freqs = theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    inv = (1.0 / (s * pos_freqs)) * (1 - extrapolation_weight) + (1.0 / pos_freqs) * extrapolation_weight
    a = attention_factor or (0.1 * math.log(s) + 1 if s > 1 else 1.0)
    reach = L0 * s
    if factor == 0:
        reach = max(reach, n)
    return inv, a, int(reach + 0.5)


def llama3(theta, dim, L, n, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
           original_max_position_embeddings=0):
    """HF _compute_llama3_parameters."""
    L0 = original_max_position_embeddings or L
    inv = base_inv_freq(theta, dim)
    low_wavelen, high_wavelen = L0 / low_freq_factor, L0 / high_freq_factor
    wavelen = 2 * math.pi / inv
    out = np.where(wavelen > low_wavelen, inv / factor, inv)
    smooth = (L0 / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed = (1 - smooth) * out / factor + smooth * out
    medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
    return np.where(medium, smoothed, out), 1.0, int(L0 * factor + 0.5)


def self_extend_params(L, n, group=0, window=0):
    W = window or min(1024, L // 2)
    G = group
    if G == 0:
        G = max(1, math.ceil((max(n, L) - W) / (L - W)))
    return G, W


def self_extend(theta, dim, L, n, group=0, window=0):
    G, W = self_extend_params(L, n, group, window)
    return base_inv_freq(theta, dim), 1.0, (L - W) * G + W


def self_extend_positions(i: int, j: int, G: int, W: int) -> tuple[int, int]:
    """RoPE positions (query, key) of the pair query i, key j <= i (Jin et al. 2024, two maps)."""
    if i - j < W:
        return i, j
    return i // G + W - W // G, j // G


METHODS = {"linear": linear, "ntk": ntk, "dynamic-ntk": dynamic_ntk, "yarn": yarn, "llama3": llama3,
           "self-extend": self_extend}
