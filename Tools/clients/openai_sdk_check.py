#!/usr/bin/env python3
"""Drives seald with the `openai` Python SDK, as users do: completions, chat,
streaming, log-probabilities and echo (the request lm-evaluation-harness sends for
log-likelihoods), and a refused field. Over the Unix socket (an httpx transport
with `uds=`) or over TCP (a base URL, e.g. through seald-tcp.socket's proxy).

Prints one `ok NAME` or `FAIL NAME: why` line per check and a closing
`N passed, M failed` line; exits non-zero when any check fails.

    openai_sdk_check.py --socket /run/seal/seald.sock
    openai_sdk_check.py --base-url http://127.0.0.1:11435
"""
import argparse
import math
import sys

import openai

try:  # openai >= 3 is built on httpx2; earlier versions on httpx.
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx


def clients(args):
    """The SDK client and a plain HTTP client for seal's native routes, same transport."""
    if args.socket:
        transport = lambda: httpx.HTTPTransport(uds=args.socket)  # noqa: E731
        root = "http://localhost"
    else:
        transport = lambda: httpx.HTTPTransport()  # noqa: E731
        root = args.base_url.rstrip("/")
    sdk = openai.OpenAI(base_url=root + "/v1", api_key="unused", max_retries=0, timeout=120,
                        http_client=openai.DefaultHttpxClient(transport=transport()))
    raw = httpx.Client(base_url=root, transport=transport(), timeout=120)
    return sdk, raw


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket", help="seald's Unix socket")
    where.add_argument("--base-url", help="http://HOST:PORT of a TCP proxy in front of seald")
    args = parser.parse_args()
    sdk, raw = clients(args)
    results = []

    def check(name, function):
        try:
            function()
            results.append(True)
            print(f"ok {name}", flush=True)
        except Exception as error:  # report every failure, keep checking
            results.append(False)
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)

    model = sdk.models.list().data[0].id
    prompt = "The capital of France is"

    def completion():
        reply = sdk.completions.create(model=model, prompt=prompt, max_tokens=6, temperature=0)
        choice = reply.choices[0]
        assert reply.object == "text_completion" and choice.text, reply
        assert choice.finish_reason in ("stop", "length"), choice.finish_reason
        assert reply.usage.completion_tokens >= 1, reply.usage

    def streamed_completion():
        whole = sdk.completions.create(model=model, prompt=prompt, max_tokens=6, temperature=0).choices[0].text
        pieces = [chunk.choices[0].text for chunk in
                  sdk.completions.create(model=model, prompt=prompt, max_tokens=6, temperature=0, stream=True)
                  if chunk.choices]
        assert len(pieces) >= 2 and "".join(pieces) == whole, (pieces, whole)

    def chat():
        reply = sdk.chat.completions.create(model=model, max_tokens=12, temperature=0,
                                            messages=[{"role": "user", "content": "What is the capital of France?"}])
        assert reply.choices[0].message.role == "assistant" and reply.choices[0].message.content, reply

    def streamed_chat():
        messages = [{"role": "user", "content": "Say hello."}]
        whole = sdk.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0)
        text = whole.choices[0].message.content
        deltas = [chunk.choices[0].delta.content or "" for chunk in
                  sdk.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0, stream=True,
                                              stream_options={"include_usage": True})
                  if chunk.choices]
        assert "".join(deltas) == text, (deltas, text)

    def chat_logprobs():
        reply = sdk.chat.completions.create(model=model, max_tokens=5, temperature=0, logprobs=True, top_logprobs=3,
                                            messages=[{"role": "user", "content": "Say hello."}])
        content = reply.choices[0].logprobs.content
        assert len(content) == reply.usage.completion_tokens, (len(content), reply.usage)
        for entry in content:
            assert entry.logprob <= 0 and len(entry.top_logprobs) == 3, entry
            # Greedy: the chosen token is the most likely one.
            assert abs(entry.top_logprobs[0].logprob - entry.logprob) < 1e-9, entry

    def streamed_logprobs():
        # Each chunk carries its tokens' entries; together they are the unstreamed answer's.
        messages = [{"role": "user", "content": "Say hello."}]
        whole = sdk.chat.completions.create(model=model, messages=messages, max_tokens=6, temperature=0,
                                            logprobs=True, top_logprobs=2).choices[0].logprobs.content
        streamed = [entry for chunk in
                    sdk.chat.completions.create(model=model, messages=messages, max_tokens=6, temperature=0,
                                                logprobs=True, top_logprobs=2, stream=True)
                    if chunk.choices and chunk.choices[0].logprobs for entry in chunk.choices[0].logprobs.content]
        assert [(e.token, e.logprob) for e in streamed] == [(e.token, e.logprob) for e in whole], (streamed, whole)
        legacy = sdk.completions.create(model=model, prompt=prompt, max_tokens=6, temperature=0, logprobs=1).choices[0].logprobs
        pieces = [chunk.choices[0].logprobs for chunk in
                  sdk.completions.create(model=model, prompt=prompt, max_tokens=6, temperature=0, logprobs=1, stream=True)
                  if chunk.choices and chunk.choices[0].logprobs]
        assert [t for p in pieces for t in p.tokens] == legacy.tokens, (pieces, legacy)
        assert [o for p in pieces for o in p.text_offset] == legacy.text_offset, (pieces, legacy)

    def harness_loglikelihood():
        # lm-evaluation-harness `local-completions`: token-id prompts, echo, one alternative.
        context = raw.post("/api/tokenize", json={"text": "The capital of France is"}).json()["tokens"]
        continuation = raw.post("/api/tokenize", json={"text": " Paris", "add_special_tokens": False}).json()["tokens"]
        other = raw.post("/api/tokenize", json={"text": "Two plus two is four"}).json()["tokens"]
        reply = sdk.completions.create(model=model, prompt=[context + continuation, other], max_tokens=1,
                                       logprobs=1, echo=True, temperature=0, seed=1234)
        assert [choice.index for choice in reply.choices] == [0, 1], reply.choices
        for choice, ids in zip(reply.choices, [context + continuation, other]):
            lp = choice.logprobs
            assert len(lp.tokens) == len(ids) + 1 == len(lp.token_logprobs) == len(lp.top_logprobs) == len(lp.text_offset)
            assert lp.token_logprobs[0] is None and lp.top_logprobs[0] is None
            assert all(value <= 0 for value in lp.token_logprobs[1:]), lp.token_logprobs
            assert lp.text_offset == sorted(lp.text_offset)
        # The harness sums the continuation's positions; /api/score computes the same from one prefill.
        echoed = sum(reply.choices[0].logprobs.token_logprobs[len(context):len(context) + len(continuation)])
        score = raw.post("/api/score", json={"context_tokens": context, "continuation_tokens": continuation}).json()
        assert math.isclose(echoed, score["logprob"], abs_tol=1e-3), (echoed, score)
        assert score["greedy"] is True, score  # " Paris" is the model's first choice here

    def refused_field():
        try:
            sdk.completions.create(model=model, prompt=prompt, max_tokens=2, n=2)
        except openai.UnprocessableEntityError as error:
            assert "'n'" in str(error), error
            return
        raise AssertionError("n=2 was not refused")

    for name, function in [("completion", completion), ("streamed completion", streamed_completion),
                           ("chat", chat), ("streamed chat", streamed_chat), ("chat logprobs", chat_logprobs),
                           ("streamed logprobs", streamed_logprobs),
                           ("harness log-likelihood", harness_loglikelihood), ("refused field", refused_field)]:
        check(name, function)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
