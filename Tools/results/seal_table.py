#!/usr/bin/env python3
"""Turns a scripts/seal-results.sh run into the results table of docs/results.md.

Reads the run list (runs.tsv: `tune <label> <scale-set> <seconds>` and
`eval <row> <length> <report> [<baseline row>]` lines, tab-separated; rows appear in the table in
the order of their first line; several reports of one row and length, e.g. on datasets of two
seeds, are pooled, and samples are paired by dataset and index), the eval reports (<report>.json, as `sealctl --json eval
show` prints them) and the scale sets' stored content (state/artifacts/<id>.json). Prints a
Markdown table: accuracy per length with the 95% Wilson interval, and for each tuned model the
paired comparison with the base on the same samples (wins/losses and the exact two-sided McNemar
p-value; the baseline is the `base` row unless the line names another, e.g. an extension alone
for the extension + SEAL rows); then the tuning runs (steps, tokens, wall time, answer loss first/last 10 steps).
"""
import argparse
import json
import math
import os
import re


def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def mcnemar(wins, losses):
    """Exact two-sided binomial test of wins vs losses (discordant pairs), p = 1/2."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(0, min(wins, losses) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def misses(report, state):
    """Wrong answers whose number is another value of the record (a retrieval error) vs not."""
    prompts = {}
    for name in {x["dataset"] for x in report["results"]}:
        dataset = json.load(open(os.path.join(state, "artifacts", name + ".json")))
        prompts.update({(name, s["index"]): s["prompt"] for s in dataset["samples"]})
    other = foreign = 0
    for x in report["results"]:
        if x["correct"]:
            continue
        numbers = re.findall(r"\d+", x["output"])
        if numbers and f"<{numbers[-1]}>" in prompts[(x["dataset"], x["index"])]:
            other += 1
        else:
            foreign += 1
    return other, foreign


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--reports", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--json")
    a = ap.parse_args()
    tunes, evals, baselines, models = {}, {}, {}, []
    for line in open(a.runs):
        f = line.rstrip("\n").split("\t")
        if f[0] == "tune":
            tunes[f[1]] = (f[2], int(f[3]))
        elif f[0] == "eval":
            report = json.load(open(os.path.join(a.reports, f[3] + ".json")))
            for x in report["results"]:
                x["dataset"] = report["dataset"]
            pooled = evals.setdefault((f[1], int(f[2])), {"correct": 0, "total": 0, "results": []})
            pooled["correct"] += report["correct"]
            pooled["total"] += report["total"]
            pooled["results"] += report["results"]
            baselines[f[1]] = f[4] if len(f) > 4 else "base"
            if f[1] not in models:
                models.append(f[1])
    lengths = sorted({length for _, length in evals})
    out = {"cells": [], "tuning": []}
    def mean_tokens(L):
        r = next(evals[(m, L)] for m in models if (m, L) in evals)["results"]
        return sum(x["prompt_tokens"] for x in r) // len(r)
    header = "| model | " + " | ".join(f"~{mean_tokens(L)} tokens" for L in lengths) + " |"
    print(header)
    print("| --- |" + " --- |" * len(lengths))
    for m in models:
        cells = []
        for L in lengths:
            r = evals.get((m, L))
            if r is None:
                cells.append("-")
                continue
            k, n = r["correct"], r["total"]
            lo, hi = wilson(k, n)
            cell = f"{k}/{n} = {k / n:.2f} ({lo:.2f}-{hi:.2f})"
            other, foreign = misses(r, a.state)
            row = {"model": m, "length": L, "correct": k, "total": n, "low": lo, "high": hi,
                   "wrong_other_line": other, "wrong_not_in_record": foreign}
            reference = baselines[m]
            if m != reference and (reference, L) in evals:
                base = {(x["dataset"], x["index"]): x["correct"] for x in evals[(reference, L)]["results"]}
                wins = sum(1 for x in r["results"] if x["correct"] and not base.get((x["dataset"], x["index"]), False))
                losses = sum(1 for x in r["results"] if not x["correct"] and base.get((x["dataset"], x["index"]), False))
                p = mcnemar(wins, losses)
                cell += f"; +{wins}/-{losses} vs {reference}, p={p:.2g}"
                row.update(baseline=reference, wins=wins, losses=losses, p=p)
            cells.append(cell)
            out["cells"].append(row)
        print(f"| {m} | " + " | ".join(cells) + " |")
    print()
    for row in out["cells"]:
        print(f"{row['model']} at {row['length']}: of {row['total'] - row['correct']} wrong answers, "
              f"{row['wrong_other_line']} are another line's value, {row['wrong_not_in_record']} are not in the record")
    print()
    for label, (scale, _) in tunes.items():
        t = json.load(open(os.path.join(a.state, "artifacts", scale + ".json")))["training"]
        curve = t["loss_curve"]
        first = sum(curve[:10]) / max(1, len(curve[:10]))
        last = sum(curve[-10:]) / max(1, len(curve[-10:]))
        lr = t["hyperparameters"].get("learning_rate")
        print(f"{label} ({scale}): {t['steps']} steps, {t['tokens']} tokens, lr {lr}, "
              f"tuning job {t['wall_seconds']:.0f} s, "
              f"answer loss first/last 10 steps {first:.3f} -> {last:.3f}")
        out["tuning"].append({"model": label, "hyperparameters": t["hyperparameters"], "scale_set": scale, "steps": t["steps"], "tokens": t["tokens"],
                              "learning_rate": lr, "wall_seconds": t["wall_seconds"], "loss_first10": first,
                              "loss_last10": last})
    if a.json:
        json.dump(out, open(a.json, "w"), indent=1)
        print(f"results: {a.json}")


if __name__ == "__main__":
    main()
