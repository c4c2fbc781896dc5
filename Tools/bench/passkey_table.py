#!/usr/bin/env python3
"""Passkey retrieval across context-extension methods, driven through sealctl.

For each method and length one grid job runs (`sealctl eval grid --task passkey`) over the
depths, greedily; consecutive prompts of a job share their filler up to the key, and the
daemon reuses that prefix's KV state (exact; `--no-prefix-reuse` turns it off to compare).
Prints a markdown table of correct/total per method, length and depth, with the wall time
of every job and of the whole run.

Needs a running seald with the default model loaded (or --socket); `scripts/passkey-table.sh`
starts a private one and runs this script against it. Example (small run):

    Tools/bench/passkey_table.py --lengths 8000 12000 16000 --depths 90 50 10 --samples 1

Depths are percent of the filler before the key (0 = start); they run in the order given
(deepest first shares the longest prefix with what follows). Methods are `name` or
`name:k=v,k=v`, optionally `@n,n` to run that method at those lengths only (a long prefill
costs minutes on a small machine; cells not run are shown as "not run"); `none` = no
extension: a length beyond the trained window is refused by the daemon by design, and shown
as such rather than measured. Jobs start in the order of --methods (then --lengths; list a
method twice with different `@` lengths to order its lengths among other methods), `--jobs`
of them at once (the daemon's limits.max_concurrent_jobs must allow as many). With
`--deadline HH:MM` (UTC) no job starts after that time and a job still running then is
cancelled; the cells it finished are kept, the others are shown as "stopped".
"""
from __future__ import annotations

import argparse
import datetime
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time

DEFAULT_METHODS = ["none", "linear", "ntk", "yarn", "self-extend:group=4,window=1024", "self-extend:group=8,window=512"]
# A grid job's progress message after each sample: "cell 2/3 (12000 tokens, depth 50%): 1/1 correct".
PROGRESS = re.compile(r"\((\d+) tokens, depth ([0-9.]+)%\): (\d+)/(\d+) correct")


class Refused(Exception):
    """The daemon refused the job before running it (e.g. beyond the window)."""


def sealctl(args: list[str], socket: str | None) -> dict:
    command = ["sealctl", "--json"] + (["--socket", socket] if socket else []) + args
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
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


def deadline_of(text: str | None) -> float | None:
    """`HH:MM` (UTC) as a Unix time: today's, or tomorrow's when that has passed."""
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    now = datetime.datetime.now(datetime.timezone.utc)
    at = now.replace(hour=int(hours), minute=int(minutes), second=0, microsecond=0)
    if at <= now:
        at += datetime.timedelta(days=1)
    return at.timestamp()


class Table:
    """The cells and job times, shared by the worker threads."""

    def __init__(self, a) -> None:
        self.a = a
        self.lock = threading.Lock()
        self.cells: dict[tuple[str, int, float], str] = {}
        self.times: dict[tuple[str, int], str] = {}
        self.counts = [0, 0]  # prompt tokens reused, prompt tokens
        self.running: dict[tuple[str, int], str] = {}  # job id of each running (method, length)
        self.started: set[tuple[str, int]] = set()

    def fill(self, spec: str, length: int, label: str, only_missing: bool = False) -> None:
        with self.lock:
            for depth in self.a.depths:
                if not only_missing or (spec, length, depth) not in self.cells:
                    self.cells[(spec, length, depth)] = label

    def progress(self, spec: str, length: int, message: str) -> None:
        match = PROGRESS.search(message)
        if match and int(match.group(1)) == length:
            correct, total = int(match.group(3)), int(match.group(4))
            label = f"{correct}/{total}" + ("" if total == self.a.samples else " (partial)")
            with self.lock:
                self.cells[(spec, length, float(match.group(2)))] = label

    def render(self, specs, start: float) -> str:
        depths = sorted(self.a.depths)
        rows = ["| method | length | " + " | ".join(f"depth {d:g}%" for d in depths) + " | job wall time |",
                "|---|---:|" + "---|" * len(depths) + "---:|"]
        for spec in dict.fromkeys(spec for spec, _ in specs):  # a method may be listed once per length
            for length in self.a.lengths:
                rows.append(f"| {spec} | {length:,} | "
                            + " | ".join(self.cells.get((spec, length, d), "stopped" if (spec, length) in self.started
                                                        else "not run (time)") for d in depths)
                            + f" | {self.times.get((spec, length), '-')} |")
        a = self.a
        rows.append(f"\n{a.samples} sample(s) per cell, greedy, max {a.max_tokens} new tokens, seed {a.seed}, "
                    f"answer {'primed' if a.prime_answer else 'not primed'}, {a.jobs} job(s) at once; "
                    f"prefix reuse {'off' if a.no_prefix_reuse else 'on'} ({self.counts[0]:,} of {self.counts[1]:,} "
                    f"prompt tokens reused); total wall time {time.time() - start:.0f} s")
        return "\n".join(rows)


def run_job(a, table: Table, spec: str, length: int) -> None:
    t0 = time.time()
    args = ["eval", "grid", "--task", "passkey", "--lengths", str(length),
            "--depths", ",".join(f"{d:g}" for d in a.depths), "--samples", str(a.samples),
            "--seed", str(a.seed), "--max-tokens", str(a.max_tokens), "--name", f"passkey-table {spec} {length}",
            "--wait"] + method_args(spec) + (["--no-prefix-reuse"] if a.no_prefix_reuse else []) \
        + (["--prime-answer"] if a.prime_answer else [])
    command = ["sealctl", "--json"] + (["--socket", a.socket] if a.socket else []) + args
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    job: dict = {}
    assert process.stdout is not None
    for line in process.stdout:
        try:
            job = json.loads(line)
        except json.JSONDecodeError:
            continue
        with table.lock:
            table.running[(spec, length)] = job.get("id", "")
        table.progress(spec, length, (job.get("progress") or {}).get("message", ""))
    error = process.stderr.read() if process.stderr else ""
    process.wait()
    with table.lock:
        table.running.pop((spec, length), None)
    try:
        if process.returncode != 0 and not job:
            if "window" in error:
                raise Refused(error.strip())
            raise RuntimeError(f"sealctl failed ({process.returncode}): {error.strip()}")
        if job.get("state") != "succeeded" or not job.get("artifacts"):
            raise RuntimeError(f"job {job.get('id')} {job.get('state')}: {job.get('error') or job.get('summary')}")
        report = sealctl(["eval", "show", job["artifacts"][0]], a.socket)
        for cell in report["cells"]:
            r = cell["result"]
            with table.lock:
                table.cells[(spec, length, cell["depth"])] = f"{r['correct']}/{r['total']}"
        summary = job.get("summary") or ""
        if "prefix reuse kept " in summary:
            kept, _, rest = summary.split("prefix reuse kept ")[1].partition(" of ")
            with table.lock:
                table.counts[0] += int(kept)
                table.counts[1] += int(rest.split()[0])
        table.times[(spec, length)] = f"{time.time() - t0:.0f} s"
    except Refused as refusal:
        print(f"{spec} {length}: refused: {refusal}", file=sys.stderr, flush=True)
        table.fill(spec, length, f"refused (beyond {a.window:,} window)")
        table.times[(spec, length)] = "-"
    except RuntimeError as failure:
        # One failed or cancelled job must not lose the cells already measured.
        print(f"{spec} {length}: {failure}", file=sys.stderr, flush=True)
        table.fill(spec, length, "stopped", only_missing=True)
        table.times[(spec, length)] = f"{time.time() - t0:.0f} s (stopped)"
    print(f"{spec:34s} {length:6d}: " + " ".join(table.cells.get((spec, length, d), "?") for d in a.depths)
          + f"  ({time.time() - t0:.0f} s, {time.strftime('%H:%M:%S', time.gmtime())} UTC)", file=sys.stderr, flush=True)


def worker(a, table: Table, work: queue.Queue, deadline: float | None) -> None:
    while True:
        try:
            spec, length = work.get_nowait()
        except queue.Empty:
            return
        if deadline is not None and time.time() >= deadline:
            table.fill(spec, length, "not run (time)")
            continue
        with table.lock:
            table.started.add((spec, length))
        run_job(a, table, spec, length)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=int, nargs="+", default=[8000, 12000, 16000])
    parser.add_argument("--depths", type=float, nargs="+", default=[90, 50, 10],
                        help="percent of the filler before the key, run in this order")
    parser.add_argument("--samples", type=int, default=1, help="samples per (length, depth) cell")
    parser.add_argument("--methods", nargs="+", default=DEFAULT_METHODS)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=12)
    parser.add_argument("--prime-answer", action="store_true",
                        help="open the answer with the task's prefix, so a miss is a retrieval miss, not a format one")
    parser.add_argument("--jobs", type=int, default=1, help="grid jobs at once")
    parser.add_argument("--deadline", help="HH:MM UTC: start no job after it, cancel the ones still running then")
    parser.add_argument("--window", type=int, default=8192, help="the model's trained window, for the refusal label")
    parser.add_argument("--no-prefix-reuse", action="store_true", help="prefill every prompt in full (to measure the saving)")
    parser.add_argument("--socket")
    a = parser.parse_args()
    if not 1 <= a.jobs <= 16:
        parser.error("--jobs must be in 1...16")

    start = time.time()
    deadline = deadline_of(a.deadline)
    table = Table(a)
    specs = [split_spec(spec, a.lengths) for spec in a.methods]
    work: queue.Queue = queue.Queue()
    queued = [(spec, length) for spec, lengths in specs for length in a.lengths if length in lengths]
    for job in dict.fromkeys(queued):
        work.put(job)
    for spec, _ in specs:
        for length in a.lengths:
            if (spec, length) not in queued:
                table.fill(spec, length, "not run")
                table.times[(spec, length)] = "-"
    threads = [threading.Thread(target=worker, args=(a, table, work, deadline), daemon=True) for _ in range(a.jobs)]
    for thread in threads:
        thread.start()
    cancelled = False
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    try:
        while any(thread.is_alive() for thread in threads):
            time.sleep(2)
            if deadline is not None and time.time() >= deadline and not cancelled:
                cancelled = True
                cancel_running(a, table, "the deadline passed")
    except KeyboardInterrupt:
        cancel_running(a, table, "interrupted")
        for thread in threads:
            thread.join(timeout=30)
    with table.lock:
        print(table.render(specs, start))
    return 0


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def cancel_running(a, table: Table, why: str) -> None:
    with table.lock:
        running = dict(table.running)
    for (spec, length), job in running.items():
        print(f"{why}: cancelling {spec} {length} (job {job}); its finished cells are kept", file=sys.stderr, flush=True)
        if job:
            subprocess.run(["sealctl"] + (["--socket", a.socket] if a.socket else []) + ["jobs", "cancel", job],
                           capture_output=True, text=True)


if __name__ == "__main__":
    sys.exit(main())
