#!/usr/bin/env python3
"""Passkey retrieval across context-extension methods, driven through sealctl.

For each method and length one grid job runs (`sealctl eval grid --task passkey`) over the
depths, greedily; consecutive prompts of a job share their filler up to the key, and the
daemon reuses that prefix's KV state (exact; `--no-prefix-reuse` turns it off to compare).
Prints a markdown table of correct/total per method, length and depth, with the wall time
of every job and of the whole run.

Needs a running seald with the default model loaded (or --socket). Example (small run):

    Tools/bench/passkey_table.py --lengths 8000 12000 16000 --depths 90 50 10 --samples 1

Depths are percent of the filler before the key (0 = start); they run in the order given
(deepest first shares the longest prefix with what follows). Methods are `name` or
`name:k=v,k=v`, optionally `@n,n` to run that method at those lengths only (a long prefill
costs minutes on a small machine; cells not run are shown as "not run"); `none` = no
extension: a length beyond the trained window is refused by the daemon by design, and shown
as such rather than measured.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

DEFAULT_METHODS = ["none", "linear", "ntk", "yarn", "self-extend:group=4,window=1024", "self-extend:group=8,window=512"]


class Refused(Exception):
    """The daemon refused the job before running it (e.g. beyond the window)."""


def sealctl(args: list[str], socket: str | None) -> dict:
    command = ["sealctl", "--json"] + (["--socket", socket] if socket else []) + args
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        message = done.stderr.strip() or done.stdout.strip()
        if "window" in message:
            raise Refused(message)
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {message}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else {}


def split_spec(spec: str, lengths: list[int]) -> tuple[str, list[int]]:
    method, at, only = spec.partition("@")
    return method, ([int(n) for n in only.split(",")] if at else lengths)


def method_args(spec: str) -> list[str]:
    name, _, params = spec.partition(":")
    if name == "none":
        return []
    args = ["--extension", name]
    for pair in filter(None, params.split(",")):
        args += ["--extension-param", pair]
    return args


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=int, nargs="+", default=[8000, 12000, 16000])
    parser.add_argument("--depths", type=float, nargs="+", default=[90, 50, 10],
                        help="percent of the filler before the key, run in this order")
    parser.add_argument("--samples", type=int, default=1, help="samples per (length, depth) cell")
    parser.add_argument("--methods", nargs="+", default=DEFAULT_METHODS)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=12)
    parser.add_argument("--window", type=int, default=8192, help="the model's trained window, for the refusal label")
    parser.add_argument("--no-prefix-reuse", action="store_true", help="prefill every prompt in full (to measure the saving)")
    parser.add_argument("--socket")
    a = parser.parse_args()

    start = time.time()
    cells: dict[tuple[str, int, float], str] = {}
    times: dict[tuple[str, int], str] = {}
    counts = [0, 0]  # prompt tokens reused, prompt tokens
    specs = [split_spec(spec, a.lengths) for spec in a.methods]
    try:
        run(a, specs, cells, times, counts)
    except KeyboardInterrupt:
        print("stopped: the cells not finished are shown as such (cancel the running job with `sealctl jobs cancel`)",
              file=sys.stderr)
    depths = sorted(a.depths)
    print("| method | length | " + " | ".join(f"depth {d:g}%" for d in depths) + " | job wall time |")
    print("|---|---:|" + "---|" * len(depths) + "---:|")
    for spec, _ in specs:
        for length in a.lengths:
            print(f"| {spec} | {length:,} | " + " | ".join(cells.get((spec, length, d), "stopped") for d in depths)
                  + f" | {times.get((spec, length), '-')} |")
    print(f"\n{a.samples} sample(s) per cell, greedy, max {a.max_tokens} new tokens, seed {a.seed}; "
          f"prefix reuse {'off' if a.no_prefix_reuse else 'on'} ({counts[0]:,} of {counts[1]:,} prompt tokens reused); "
          f"total wall time {time.time() - start:.0f} s")
    return 0


def run(a, specs, cells, times, counts) -> None:
    for spec, lengths in specs:
        for length in a.lengths:
            if length not in lengths:
                for depth in a.depths:
                    cells[(spec, length, depth)] = "not run"
                times[(spec, length)] = "-"
                continue
            t0 = time.time()
            args = ["eval", "grid", "--task", "passkey", "--lengths", str(length),
                    "--depths", ",".join(f"{d:g}" for d in a.depths), "--samples", str(a.samples),
                    "--seed", str(a.seed), "--max-tokens", str(a.max_tokens), "--name", f"passkey-table {spec} {length}",
                    "--wait"] + method_args(spec) + (["--no-prefix-reuse"] if a.no_prefix_reuse else [])
            try:
                job = sealctl(args, a.socket)
                if job.get("state") != "succeeded" or not job.get("artifacts"):
                    raise RuntimeError(f"job {job.get('id')} {job.get('state')}: {job.get('error') or job.get('summary')}")
                report = sealctl(["eval", "show", job["artifacts"][0]], a.socket)
                for cell in report["cells"]:
                    r = cell["result"]
                    cells[(spec, length, cell["depth"])] = f"{r['correct']}/{r['total']}"
                summary = job.get("summary") or ""
                if "prefix reuse kept " in summary:
                    kept, _, rest = summary.split("prefix reuse kept ")[1].partition(" of ")
                    counts[0] += int(kept)
                    counts[1] += int(rest.split()[0])
                times[(spec, length)] = f"{time.time() - t0:.0f} s"
            except Refused:
                for depth in a.depths:
                    cells[(spec, length, depth)] = f"refused (beyond {a.window:,} window)"
                times[(spec, length)] = "-"
            except RuntimeError as error:
                # One failed job (or a daemon that went away) must not lose the cells already measured.
                print(f"{spec} {length}: {error}", file=sys.stderr, flush=True)
                for depth in a.depths:
                    cells[(spec, length, depth)] = "error (see log)"
                times[(spec, length)] = f"{time.time() - t0:.0f} s"
            print(f"{spec:34s} {length:6d}: " + " ".join(cells[(spec, length, d)] for d in a.depths)
                  + f"  ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
