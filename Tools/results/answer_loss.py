#!/usr/bin/env python3
"""Held-out answer loss of the base model and of tuned scale sets, through a running seald.

Usage: answer_loss.py SOCKET DATASET_ID [SCALE_SET ...] [--samples N] [--extension PLUGIN k=v ...]

For each sample of a primed dataset artifact, the prompt is rendered as the evaluation renders it
(ChatML with SmolLM2's default system message, the answer prefix opening the assistant turn; the
token count is checked against the sample's own), and `/api/score` gives the log-likelihood of the
rest of the label (" 31415.") under the plain model and under each scale set. Prints, per model,
the mean answer loss (nats per answer token, the quantity tuning lowers), how many samples score
lower than the base, the loss of the decision token alone (the answer's first digit: once it is
chosen, the rest of the number is copied from the record), and how many samples greedy decoding
would answer exactly. A scale set that
lowers this loss but not the exact-match accuracy moved probability towards the answer without
making it the most likely one.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from seald_http import call, primed_prompt_tokens  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("socket")
    parser.add_argument("dataset")
    parser.add_argument("scale_sets", nargs="*")
    parser.add_argument("--samples", type=int, default=0, help="first N samples (0: all)")
    parser.add_argument("--extension", nargs="+", metavar="ARG", help="plugin, then its k=v parameters")
    args = parser.parse_args()
    samples = call(args.socket, "GET", f"/api/artifacts/{args.dataset}/content")["samples"]
    if args.samples:
        samples = samples[:args.samples]
    extension = None
    if args.extension:
        params = {}
        for pair in args.extension[1:]:
            key, _, value = pair.partition("=")
            params[key] = int(value) if value.lstrip("-").isdigit() else float(value)
        extension = {"plugin": args.extension[0], "parameters": params}
    models = ["none"] + args.scale_sets
    losses = {m: [] for m in models}
    decisions = {m: [] for m in models}
    greedy = {m: 0 for m in models}
    for sample in samples:
        prefix = sample.get("answer_prefix") or ""
        if not prefix or not sample["label"].startswith(prefix):
            raise SystemExit(f"sample {sample['index']}: the dataset must be primed (answer prefix opening the label)")
        ids = primed_prompt_tokens(args.socket, sample)
        continuation = sample["label"][len(prefix):]
        for m in models:
            body = {"context_tokens": ids, "continuation": continuation, "scale_set": m}
            if extension:
                body["context_extension"] = extension
            reply = call(args.socket, "POST", "/api/score", body)
            losses[m].append(-reply["logprob"] / len(reply["tokens"]))
            first_digit = next(t for t in reply["tokens"] if any(c.isdigit() for c in t["text"]))
            decisions[m].append(-first_digit["logprob"])
            greedy[m] += bool(reply["greedy"])
        print(f"sample {sample['index']}: " + ", ".join(f"{m} {losses[m][-1]:.3f}" for m in models), file=sys.stderr, flush=True)
    n = len(samples)
    base = losses["none"]
    print("| model | mean answer loss (nats/token) | lower than base | first-digit loss (nats) | lower than base | greedy answer right |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for m in models:
        lower = "-" if m == "none" else f"{sum(a < b for a, b in zip(losses[m], base))}/{n}"
        lower_decision = "-" if m == "none" else f"{sum(a < b for a, b in zip(decisions[m], decisions['none']))}/{n}"
        print(f"| {'base' if m == 'none' else m} | {sum(losses[m]) / n:.4f} | {lower} | {sum(decisions[m]) / n:.4f} | "
              f"{lower_decision} | {greedy[m]}/{n} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
