#!/usr/bin/env python3
"""Passkey retrieval across context-extension methods, driven through sealctl.

For each length and depth a passkey dataset is made (`sealctl data create --task passkey`),
then evaluated greedily under each method (`sealctl eval run --extension ...`). Prints a
markdown table of accuracy per method and length (and per depth), with the wall time.

Needs a running seald with the default model loaded (or --socket). Example (small run):

    Tools/bench/passkey_table.py --lengths 8000 12000 16000 --depths 0.1 0.5 0.9 --samples 1

Methods are `name` or `name:k=v,k=v` (`none` = no extension: beyond the trained window the
daemon refuses the prompt, reported as "refused").
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

DEFAULT_METHODS = ["none", "linear", "ntk", "yarn", "self-extend:group=4,window=1024", "self-extend:group=8,window=512"]


def sealctl(args: list[str], socket: str | None) -> dict:
    command = ["sealctl", "--json"] + (["--socket", socket] if socket else []) + args
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else {}


def method_args(spec: str) -> tuple[str, list[str]]:
    name, _, params = spec.partition(":")
    if name == "none":
        return "none", []
    args = ["--extension", name]
    for pair in filter(None, params.split(",")):
        args += ["--extension-param", pair]
    return spec, args


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=int, nargs="+", default=[8000, 12000, 16000])
    parser.add_argument("--depths", type=float, nargs="+", default=[0.1, 0.5, 0.9],
                        help="where the key sits, as a fraction of the filler (passkey's depth is in percent)")
    parser.add_argument("--samples", type=int, default=1, help="samples per (length, depth)")
    parser.add_argument("--methods", nargs="+", default=DEFAULT_METHODS)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=12)
    parser.add_argument("--socket")
    a = parser.parse_args()

    start = time.time()
    results: dict[tuple[str, int, float], str] = {}
    for length in a.lengths:
        for depth in a.depths:
            made = sealctl(["data", "create", "--task", "passkey", "--samples", str(a.samples), "--tokens", str(length),
                            "--seed", str(a.seed), "--param", "depth_mode=fixed",
                            "--param", f"depth={depth * 100:g}", "--wait"], a.socket)
            dataset = (made.get("artifacts") or [None])[0]
            if not dataset:
                raise RuntimeError(f"no dataset made: {made}")
            for spec in a.methods:
                label, extra = method_args(spec)
                t0 = time.time()
                try:
                    job = sealctl(["eval", "run", "--dataset", dataset, "--max-tokens", str(a.max_tokens), "--wait"] + extra,
                                  a.socket)
                    report = sealctl(["eval", "show", job["artifacts"][0]], a.socket)
                    cell = f"{report['correct']}/{report['total']}"
                except (RuntimeError, KeyError, IndexError) as error:
                    cell = "refused" if "window" in str(error) or "context" in str(error) else f"error: {error}"[:60]
                results[(label, length, depth)] = cell
                print(f"{label:38s} {length:6d} depth {depth:.1f}: {cell}  ({time.time() - t0:.0f}s)", file=sys.stderr,
                      flush=True)

    labels = [method_args(spec)[0] for spec in a.methods]
    print(f"| method | " + " | ".join(f"{n} tokens (depths {', '.join(f'{d:.0%}' for d in a.depths)})" for n in a.lengths) + " |")
    print("|---|" + "---|" * len(a.lengths))
    for label in labels:
        row = []
        for length in a.lengths:
            row.append(" / ".join(results[(label, length, d)] for d in a.depths))
        print(f"| {label} | " + " | ".join(row) + " |")
    print(f"\n{a.samples} sample(s) per cell and depth, greedy, max {a.max_tokens} new tokens; "
          f"wall time {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
