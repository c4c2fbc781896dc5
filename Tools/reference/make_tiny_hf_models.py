#!/usr/bin/env python3
"""Write tiny random Hugging Face model directories under Tests/Fixtures/hf/.

  tiny-llama   LlamaForCausalLM,   F32,  single model.safetensors, untied lm_head, GQA 4q/2kv, head_dim 8
  tiny-qwen2   Qwen2ForCausalLM,   BF16, 2 shards + model.safetensors.index.json, q/k/v biases, tied embeddings
  tiny-mistral MistralForCausalLM, F16,  single model.safetensors, untied lm_head, GQA 4q/1kv

Each directory holds config.json, the safetensors weights (written by hand: u64 LE header length,
JSON header padded with spaces to a multiple of 8, raw little-endian data), tokenizer.json (a
byte-level BPE trained with `tokenizers` on a fixed corpus, vocab size == config vocab_size),
tokenizer_config.json and reference.json (full logits at every prompt position + 16 greedy tokens,
computed by llama_reference.load_hf, i.e. reading back the files just written).

As an internal cross-check the HF weights are also permuted into GGUF order
(llama_reference.permute_hf_to_gguf) and run with adjacent-pair RoPE; the result must match the
HF-order/halves-RoPE run to ~1e-12 ("rope_layout_crosscheck_max_abs").
"""
from __future__ import annotations

import dataclasses
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
import tokenizers  # noqa: E402

import llama_reference as R  # noqa: E402
from fixture_common import ROOT, evaluate_case, num, write_json  # noqa: E402

OUT_ROOT = os.path.join(ROOT, "Tests", "Fixtures", "hf")
GENERATOR = "Tools/reference/make_tiny_hf_models.py"

TRAIN_CORPUS = """\
Once upon a time there was a little robot who lived in a small town by the sea.
Every morning the robot walked to the harbor and counted the boats: one, two, three, four, five.
The fishermen said hello, and the robot said hello back. "Hello!" it said. "How are you today?"
def add(a, b):
    return a + b

for i in range(10):
    print(add(i, i * 2))
The quick brown fox jumps over the lazy dog. The lazy dog sleeps in the sun.
Numbers: 0 1 2 3 4 5 6 7 8 9 10 42 100 1234 3.14 2.718
Il était une fois un petit chat. Der kleine Hund spielt im Garten. El sol brilla.
The capital of France is Paris. The capital of Germany is Berlin. The capital of Italy is Rome.
{"name": "tiny", "layers": 2, "hidden": 32, "heads": [4, 2]}
She said: it's a beautiful day, isn't it? We'll see, they'd say, you're right.
"""

SPECS = {
    "tiny-llama": dict(
        arch="LlamaForCausalLM", model_type="llama", vocab=320, hidden=32, layers=2, heads=4, kv=2,
        head_dim=8, explicit_head_dim=True, ffn=48, tied=False, bias=False, dtype="F32", shards=1,
        rope_theta=10000.0, eps=1e-5, seed=101, specials=["<s>", "</s>"], bos="<s>", eos="</s>",
    ),
    "tiny-qwen2": dict(
        arch="Qwen2ForCausalLM", model_type="qwen2", vocab=352, hidden=32, layers=2, heads=4, kv=2,
        head_dim=8, explicit_head_dim=False, ffn=48, tied=True, bias=True, dtype="BF16", shards=2,
        rope_theta=1000000.0, eps=1e-6, seed=202, specials=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        bos=None, eos="<|endoftext|>",
    ),
    "tiny-mistral": dict(
        arch="MistralForCausalLM", model_type="mistral", vocab=384, hidden=32, layers=2, heads=4, kv=1,
        head_dim=8, explicit_head_dim=False, ffn=64, tied=False, bias=False, dtype="F16", shards=1,
        rope_theta=1000000.0, eps=1e-5, seed=303, specials=["<unk>", "<s>", "</s>"], bos="<s>", eos="</s>",
    ),
}

PROMPTS = [
    "The capital of France is",
    "def add(a, b):",
]


# ------------------------------------------------------------------ safetensors writer

def to_bf16_bits(a: np.ndarray) -> np.ndarray:
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    r = (u + 0x7FFF + ((u >> 16) & 1)) >> 16  # round to nearest even
    return r.astype(np.uint16)


def encode_tensor(a: np.ndarray, dtype: str) -> bytes:
    if dtype == "F32":
        return np.ascontiguousarray(a, dtype="<f4").tobytes()
    if dtype == "F16":
        return np.ascontiguousarray(a, dtype="<f2").tobytes()
    if dtype == "BF16":
        return to_bf16_bits(a).astype("<u2").tobytes()
    raise ValueError(dtype)


def write_safetensors(path: str, tensors: dict, dtype: str) -> int:
    header = {"__metadata__": {"format": "pt"}}
    blobs, off = [], 0
    for name in sorted(tensors):
        b = encode_tensor(tensors[name], dtype)
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    return off


# ------------------------------------------------------------------ tokenizer

def train_tokenizer(vocab_size: int, specials: list) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=1, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(TRAIN_CORPUS.splitlines(keepends=True), trainer=trainer)
    assert tok.get_vocab_size() == vocab_size, (tok.get_vocab_size(), vocab_size)
    return tok


# ------------------------------------------------------------------ weights

def make_weights(s: dict) -> dict:
    rng = np.random.default_rng(s["seed"])
    D, H, KV, hd, F, V = s["hidden"], s["heads"], s["kv"], s["head_dim"], s["ffn"], s["vocab"]

    def lin(out_f, in_f, gain=1.0):
        return (rng.standard_normal((out_f, in_f)) * gain / np.sqrt(in_f)).astype(np.float32)

    def norm(n):
        return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)

    t = {"model.embed_tokens.weight": (rng.standard_normal((V, D)) * (0.5 if s["tied"] else 1.0)).astype(np.float32)}
    for i in range(s["layers"]):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = norm(D)
        t[p + "self_attn.q_proj.weight"] = lin(H * hd, D, 1.5)
        t[p + "self_attn.k_proj.weight"] = lin(KV * hd, D, 1.5)
        t[p + "self_attn.v_proj.weight"] = lin(KV * hd, D)
        t[p + "self_attn.o_proj.weight"] = lin(D, H * hd)
        if s["bias"]:
            t[p + "self_attn.q_proj.bias"] = (0.5 * rng.standard_normal(H * hd)).astype(np.float32)
            t[p + "self_attn.k_proj.bias"] = (0.5 * rng.standard_normal(KV * hd)).astype(np.float32)
            t[p + "self_attn.v_proj.bias"] = (0.5 * rng.standard_normal(KV * hd)).astype(np.float32)
        t[p + "post_attention_layernorm.weight"] = norm(D)
        t[p + "mlp.gate_proj.weight"] = lin(F, D)
        t[p + "mlp.up_proj.weight"] = lin(F, D)
        t[p + "mlp.down_proj.weight"] = lin(D, F)
    t["model.norm.weight"] = norm(D)
    if not s["tied"]:
        t["lm_head.weight"] = lin(V, D, 2.5)
    return t


def make_config(s: dict, tok: Tokenizer) -> dict:
    torch_dtype = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[s["dtype"]]
    c = {
        "architectures": [s["arch"]],
        "model_type": s["model_type"],
        "vocab_size": s["vocab"],
        "hidden_size": s["hidden"],
        "intermediate_size": s["ffn"],
        "num_hidden_layers": s["layers"],
        "num_attention_heads": s["heads"],
        "num_key_value_heads": s["kv"],
        "hidden_act": "silu",
        "max_position_embeddings": 256,
        "rms_norm_eps": s["eps"],
        "rope_theta": s["rope_theta"],
        "rope_scaling": None,
        "tie_word_embeddings": s["tied"],
        "torch_dtype": torch_dtype,
        "bos_token_id": tok.token_to_id(s["bos"]) if s["bos"] else None,
        "eos_token_id": tok.token_to_id(s["eos"]),
        "initializer_range": 0.02,
        "use_cache": True,
    }
    if s["explicit_head_dim"]:
        c["head_dim"] = s["head_dim"]
    if s["model_type"] == "llama":
        c.update({"attention_bias": False, "mlp_bias": False, "pretraining_tp": 1})
    if s["model_type"] == "qwen2":
        c.update({"use_sliding_window": False, "sliding_window": 256, "max_window_layers": s["layers"],
                  "attention_dropout": 0.0})
    if s["model_type"] == "mistral":
        c.update({"sliding_window": None, "attention_dropout": 0.0})
    return c


def shard(tensors: dict, n: int) -> list:
    """Split by layer: shard 0 = embeddings + first half of the layers, shard 1 = the rest."""
    if n == 1:
        return [tensors]
    a, b = {}, {}
    for k, v in tensors.items():
        if k.startswith("model.embed_tokens") or k.startswith("model.layers.0."):
            a[k] = v
        else:
            b[k] = v
    return [a, b]


def build(name: str, s: dict) -> None:
    d = os.path.join(OUT_ROOT, name)
    os.makedirs(d, exist_ok=True)
    for fn in os.listdir(d):  # stale files from an earlier layout
        if fn.endswith(".safetensors") or fn.endswith(".index.json"):
            os.remove(os.path.join(d, fn))
    tok = train_tokenizer(s["vocab"], s["specials"])
    tok.save(os.path.join(d, "tokenizer.json"))
    tc = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": s["bos"], "eos_token": s["eos"],
          "add_bos_token": s["bos"] is not None, "model_max_length": 256}
    write_json(os.path.join(d, "tokenizer_config.json"), tc, indent=2)
    cfg_json = make_config(s, tok)
    write_json(os.path.join(d, "config.json"), cfg_json, indent=2)

    tensors = make_weights(s)
    parts = shard(tensors, s["shards"])
    if len(parts) == 1:
        write_safetensors(os.path.join(d, "model.safetensors"), parts[0], s["dtype"])
    else:
        weight_map, total = {}, 0
        for i, part in enumerate(parts):
            fn = f"model-{i + 1:05d}-of-{len(parts):05d}.safetensors"
            total += write_safetensors(os.path.join(d, fn), part, s["dtype"])
            for k in part:
                weight_map[k] = fn
        write_json(os.path.join(d, "model.safetensors.index.json"),
                   {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, indent=2)

    # ---- reference, from the files just written
    cfg, w64 = R.load_hf(d, np.float64)
    w32 = R.cast_weights(w64, np.float32)
    bos = [cfg_json["bos_token_id"]] if cfg_json["bos_token_id"] is not None else []
    rng = np.random.default_rng(s["seed"] + 1)
    inputs = [("prompt-" + str(i), bos + tok.encode(p).ids) for i, p in enumerate(PROMPTS)]
    inputs.append(("random-ids", [int(x) for x in rng.integers(0, cfg.vocab_size, size=7)]))
    inputs.append(("single-token", [int(rng.integers(0, cfg.vocab_size))]))
    cases = []
    for cname, ids in inputs:
        c = evaluate_case(cfg, w64, w32, cname, ids, range(len(ids)), n_greedy=16, full_logits=True)
        if cname.startswith("prompt"):
            c = {"name": c.pop("name"), "text": PROMPTS[int(cname.split("-")[1])], **c}
        cases.append(c)

    # cross-check: GGUF-order Q/K + adjacent-pair RoPE == HF-order + halves RoPE
    wg = R.cast_weights(w64, np.float64)
    for L in wg.layers:
        L.wq = R.permute_hf_to_gguf(L.wq, cfg.n_heads)
        L.wk = R.permute_hf_to_gguf(L.wk, cfg.n_kv_heads)
        if L.bq is not None:
            L.bq = R.permute_hf_to_gguf(L.bq, cfg.n_heads)
            L.bk = R.permute_hf_to_gguf(L.bk, cfg.n_kv_heads)
    cg = dataclasses.replace(cfg, rope_layout=R.ROPE_ADJACENT)
    ids = inputs[0][1]
    diff = float(np.abs(R.all_logits(cfg, w64, ids) - R.all_logits(cg, wg, ids)).max())
    assert diff < 1e-9, diff

    ref = {
        "model": name,
        "generator": GENERATOR,
        "reference": "numpy float64 forward (llama_reference.load_hf) over the safetensors in this directory",
        "tokenizers_version": tokenizers.__version__,
        "config": cfg.to_json(),
        "tokenization_note": ("prompt cases = ([bos] if the config has one) + tokenizer.json encoding of 'text' "
                              "without special tokens"),
        "greedy_note": "greedy = argmax (ties -> lowest id), exactly 16 new tokens, EOS does not stop generation",
        "rope_layout_crosscheck_max_abs": num(diff),
        "max_abs_logit": max(c["max_abs_logit"] for c in cases),
        "float32_noise_max_abs": max(c["float32_noise_max_abs"] for c in cases),
        "cases": cases,
    }
    write_json(os.path.join(d, "reference.json"), ref)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"wrote Tests/Fixtures/hf/{name}: {size} bytes, float32 noise {ref['float32_noise_max_abs']}, "
          f"max|logit| {ref['max_abs_logit']}, min greedy margin {min(c['greedy_min_margin'] for c in cases)}")
    assert size < 300_000, size


def main():
    for name, s in SPECS.items():
        build(name, s)


if __name__ == "__main__":
    main()
