#!/usr/bin/env python3
"""Build a Hugging Face ``tokenizers.Tokenizer`` from the tokenizer metadata in a GGUF file.

Supported vocabularies:

* ``tokenizer.ggml.model == "gpt2"`` (byte-level BPE). Tokens and merges come straight from the
  GGUF. The pre-tokenizer depends on ``tokenizer.ggml.pre``; implemented: ``smollm`` (and the
  other StarCoder-style ones that share it), which is
  ``Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]``
  — every digit is its own pre-token, then the GPT-2 regex. Decoder: ByteLevel.

* ``tokenizer.ggml.model == "llama"`` (SentencePiece BPE with scores, Llama-2 style). Converted
  the way HF's ``LlamaConverter`` does it: a BPE model whose merges are every split (left, right)
  of a vocabulary piece into two pieces that are both in the vocabulary, ranked by the score of
  the merged piece (highest first; ties keep vocabulary order, then (id(left), id(right))),
  ``byte_fallback=True`` with the ``<0xNN>`` tokens, ``fuse_unk=True``; normalizer
  ``Sequence[Prepend("▁"), Replace(" ", "▁")]``; no pre-tokenizer; decoder
  ``Sequence[Replace("▁", " "), ByteFallback, Fuse, Strip(" ", 1, 0)]``.

GGUF token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. Unknown and
control tokens become *special* added tokens (so their literal text inside an input string is
matched as the special token, which is HF's default); user-defined tokens become non-special
added tokens.

Usage: python3 gguf_to_hf_tokenizer.py MODEL.gguf [out/tokenizer.json]
"""
from __future__ import annotations

import sys

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers

TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED, TOKEN_UNUSED, TOKEN_BYTE = 1, 2, 3, 4, 5, 6

# llama.cpp pre-tokenizer names whose regex is "\p{N}" (single digits) followed by the GPT-2 regex.
_DIGITS_THEN_GPT2 = {"smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"}
_GPT2_ONLY = {"gpt-2", "default", "phi-2", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de", "mpt", "olmo", "jais"}


def _field(reader, key, default=None):
    f = reader.fields.get(key)
    return default if f is None else f.contents()


def read_gguf_vocab(path: str) -> dict:
    from gguf import GGUFReader
    r = GGUFReader(path)
    meta = {
        "model": _field(r, "tokenizer.ggml.model"),
        "pre": _field(r, "tokenizer.ggml.pre"),
        "tokens": _field(r, "tokenizer.ggml.tokens"),
        "token_type": _field(r, "tokenizer.ggml.token_type"),
        "scores": _field(r, "tokenizer.ggml.scores"),
        "merges": _field(r, "tokenizer.ggml.merges"),
        "bos": _field(r, "tokenizer.ggml.bos_token_id"),
        "eos": _field(r, "tokenizer.ggml.eos_token_id"),
        "unk": _field(r, "tokenizer.ggml.unknown_token_id"),
    }
    return meta


def _added_tokens(tokens, token_type):
    specials, user = [], []
    for i, (t, ty) in enumerate(zip(tokens, token_type)):
        if ty in (TOKEN_CONTROL, TOKEN_UNKNOWN):
            specials.append(AddedToken(t, special=True, normalized=False))
        elif ty == TOKEN_USER_DEFINED:
            user.append(AddedToken(t, special=False, normalized=False))
    return specials, user


def build_gpt2(meta: dict) -> Tokenizer:
    tokens = meta["tokens"]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == len(tokens), "duplicate tokens"
    merges = []
    for m in meta["merges"]:
        a, b = m.split(" ")
        merges.append((a, b))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None, fuse_unk=False, byte_fallback=False))
    pre = meta["pre"] or "default"
    if pre in _DIGITS_THEN_GPT2:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ])
    elif pre in _GPT2_ONLY:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        raise NotImplementedError(f"gpt2 pre-tokenizer {pre!r} not implemented")
    tok.decoder = decoders.ByteLevel()
    specials, user = _added_tokens(tokens, meta["token_type"])
    tok.add_special_tokens(specials)
    if user:
        tok.add_tokens(user)
    return tok


def spm_merges(tokens, scores) -> list:
    """HF LlamaConverter-style merges from a SentencePiece vocabulary with scores."""
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = []  # (left, right, score) in vocabulary order of the merged piece
    for piece, score in zip(tokens, scores):
        local = []
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab:
                local.append((left, right, score))
        local.sort(key=lambda x: (vocab[x[0]], vocab[x[1]]))
        merges.extend(local)
    merges.sort(key=lambda x: x[2], reverse=True)  # stable: ties keep the order above
    return [(a, b) for a, b, _ in merges]


def build_llama_spm(meta: dict) -> Tokenizer:
    tokens, scores, types = meta["tokens"], meta["scores"], meta["token_type"]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == len(tokens), "duplicate tokens"
    unk_id = meta["unk"] if meta["unk"] is not None else 0
    merges = spm_merges(tokens, scores)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=tokens[unk_id], fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = None
    tok.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0),
    ])
    specials, user = _added_tokens(tokens, types)
    tok.add_special_tokens(specials)
    if user:
        tok.add_tokens(user)
    return tok


def tokenizer_from_gguf(path: str) -> Tokenizer:
    meta = read_gguf_vocab(path)
    if meta["model"] == "gpt2":
        return build_gpt2(meta)
    if meta["model"] == "llama":
        return build_llama_spm(meta)
    raise NotImplementedError(f"tokenizer.ggml.model {meta['model']!r}")


def _main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    tok = tokenizer_from_gguf(sys.argv[1])
    if len(sys.argv) > 2:
        tok.save(sys.argv[2])
    for s in ["Hello world", "The capital of Germany is", "1234567 don't"]:
        enc = tok.encode(s, add_special_tokens=False)
        print(repr(s), enc.ids, enc.tokens)


if __name__ == "__main__":
    _main()
