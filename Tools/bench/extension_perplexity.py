#!/usr/bin/env python3
"""Runs `seal-run perplexity` once per position method (scripts/extension-perplexity.sh) and
prints a Markdown table: perplexity with its standard error, the scored tokens, and each run's
wall and CPU time (the child process's user + system time, from getrusage)."""
import argparse
import json
import resource
import subprocess
import sys
import time


def arguments(method, context, window_context):
    """seal-run options and the row label for one METHODS word."""
    if method == "none":
        return ["--context", str(window_context)], "plain RoPE, inside the window"
    if method == "lift-window":
        return ["--context", str(context), "--lift-window"], "plain RoPE, window lifted"
    name, _, params = method.partition(":")
    options = ["--context", str(context), "--extension", name]
    for pair in filter(None, params.split(",")):
        options += ["--extension-param", pair]
    return options, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--context", type=int, required=True)
    ap.add_argument("--window-context", type=int, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("methods", nargs="+")
    a = ap.parse_args()
    print("| positions | context | PPL | scored tokens | wall s | CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |", flush=True)
    for method in a.methods:
        options, label = arguments(method, a.context, a.window_context)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        run = subprocess.run([f"{a.bin}/seal-run", "perplexity", "--threads", str(a.threads), "--plugin-directory", a.bin,
                              *options, "--chunks", "1", "--json", a.text], capture_output=True, text=True)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if run.returncode != 0:
            message = run.stderr.strip().splitlines()[0] if run.stderr.strip() else f"exit {run.returncode}"
            print(f"| {label or method} | {options[1]} | refused: {message} | - | {wall:.0f} | {cpu:.0f} |", flush=True)
            continue
        report = json.loads(run.stdout)
        e = report["estimate"]
        se = e.get("standardError")
        ppl = f"{e['perplexity']:.3f}" + (f" ± {se:.3f}" if se is not None else "")
        row = f"{label} ({report['positions']})" if label else report["positions"]
        print(f"| {row} | {report['context']} | {ppl} | {e['scoredTokens']} | {wall:.0f} | {cpu:.0f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
