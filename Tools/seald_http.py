"""A running seald over its Unix socket, for the Python tools (no dependencies).

`call` sends one JSON request; `primed_prompt_tokens` renders a primed sample as seald's
evaluation renders it for SmolLM2 (ChatML with the model's default system message, the answer
prefix opening the assistant turn) and checks the token count against the sample's own, so a
tool that scores or decodes those ids sees exactly the evaluated prompt.
"""
from __future__ import annotations

import http.client
import json
import socket

SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=3600)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(sock: str, method: str, path: str, body=None):
    connection = UnixConnection(sock)
    connection.request(method, path, body=None if body is None else json.dumps(body),
                       headers={"Content-Type": "application/json"})
    reply = connection.getresponse()
    data = reply.read()
    if reply.status >= 300:
        raise SystemExit(f"{method} {path}: {reply.status} {data[:400]!r}")
    return json.loads(data) if data else None


def primed_prompt_tokens(sock: str, sample: dict) -> list[int]:
    text = (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{sample['prompt']}<|im_end|>\n"
            f"<|im_start|>assistant\n{sample.get('answer_prefix') or ''}")
    ids = call(sock, "POST", "/api/tokenize", {"text": text, "add_special_tokens": False, "parse_special_tokens": True})["tokens"]
    if len(ids) != sample["prompt_tokens"]:
        raise SystemExit(f"rendered {len(ids)} tokens, the sample says {sample['prompt_tokens']}: template differs")
    return ids
