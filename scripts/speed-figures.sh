#!/bin/sh
# The README's speed figures (issue 10): fp32 decode as a fraction of the read bandwidth the same
# run measures, bf16 and q8_0 decode as multiples of that run's fp32 decode, prefill as fractions of
# that run's sgemm, and each storage's peak memory. The machine is shared, so the bench runs RUNS
# times (short runs); every run's figures are printed with its load average, then the best of each
# figure over the runs (each still a ratio within one run). Release build:
#
#   swift build -c release --product seal-run && scripts/speed-figures.sh [runs] [model]
#
# PREFILL (default "512 8192"), STEPS (decode steps, default 32) and SEAL_THREADS (default 2) adjust it.
set -eu
cd "$(dirname "$0")/.."
run=.build/release/seal-run
runs=${1:-3}
model=${2:+--model $2}
threads=${SEAL_THREADS:-2}
prefill=${PREFILL:-512 8192}
steps=${STEPS:-32}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
    # shellcheck disable=SC2086
    nice -n 10 "$run" bench $model --threads "$threads" --prefill $prefill --decode-context 128 \
        --decode-steps "$steps" --weights f32 --compare-weights bf16 q8_0 --json > "$out/run$i.json"
    i=$((i + 1))
done
python3 - "$out" "$runs" <<'PY'
import json, sys
folder, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{folder}/run{i}.json")) for i in range(1, runs + 1)]
best = {}
def note(key, value, run):
    if value is not None and (key not in best or value > best[key][0]):
        best[key] = (value, run)
for n, r in enumerate(reports, 1):
    print(f"run {n}: load {r['loadAverageBefore']} -> {r['loadAverageAfter']}; sgemm {r['sgemmGFLOPS']:.1f} GFLOP/s, "
          f"read {r['readGBps']:.1f} GB/s, OpenBLAS {r['blasCore']} x{r['blasThreads']}")
    for s in r["storages"]:
        parts = [f"  {s['storage']:5} {s['weightMB']:4.0f} MB, peak RSS {s['peakResidentMB']:4.0f} MB"]
        note(f"{s['storage']} peak MB (lowest)", -s["peakResidentMB"], n)
        for p in s["prefill"]:
            parts.append(f"prefill {p['tokens']} {p['tokensPerSecond']:.0f} tok/s = {100 * p['fractionOfSgemm']:.1f}% sgemm")
            note(f"{s['storage']} prefill {p['tokens']} / sgemm", p["fractionOfSgemm"], n)
        for d, ratio in zip(s["decode"], s.get("decodeRatioToF32", [])):
            parts.append(f"decode {d['tokensPerSecond']:.2f} tok/s = {100 * d['fractionOfReadBandwidth']:.1f}% read BW"
                         + (f", {ratio:.2f}x f32" if ratio is not None else ""))
            note(f"{s['storage']} decode / read BW", d["fractionOfReadBandwidth"], n)
            if s["storage"] != "f32" and ratio is not None:
                note(f"{s['storage']} decode x f32", ratio, n)
        print("; ".join(parts))
print("best over the runs (each a ratio within one run):")
for key, (value, n) in sorted(best.items()):
    load = reports[n - 1]["loadAverageBefore"]
    if key.endswith("(lowest)"):
        print(f"  {key}: {-value:.0f} (run {n}, load {load})")
    elif "x f32" in key:
        print(f"  {key}: {value:.2f} (run {n}, load {load})")
    else:
        print(f"  {key}: {100 * value:.1f}% (run {n}, load {load})")
PY
