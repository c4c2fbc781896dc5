#!/usr/bin/env bash
# Head analysis of the default model, end to end through seald and sealctl: zero each of the
# 270 attention heads of SmolLM2-135M in turn and measure the answer loss and accuracy of a task
# at two lengths; print the most helpful and most harmful heads and write the layer x head
# heatmaps and the quadrant scatter. Defaults: LongEval lines at ~500 and ~1500 tokens, 2
# samples per length, answer primed, one BLAS thread (the machine is shared).
#
#   scripts/heads-experiment.sh                      # builds release binaries first
#   BIN=.build/release TASK=passkey LENGTHS=500,1500 SAMPLES=2 OUT=docs/images scripts/heads-experiment.sh
#
# Environment: BIN, TASK, LENGTHS (short,long), SAMPLES (per length), SEED, MAX_TOKENS, LAYERS
# (e.g. 0,1: only those layers' heads), MAX_SECONDS (stop after the baseline if the measured cost
# is higher), THREADS (BLAS threads, default 1), OUT (where the SVGs go; default the work dir).
set -euo pipefail
cd "$(dirname "$0")/.."
task=${TASK:-lines}; lengths=${LENGTHS:-500,1500}; samples=${SAMPLES:-2}; seed=${SEED:-7}
max_tokens=${MAX_TOKENS:-12}; threads=${THREADS:-1}
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
private_seald seal-heads "  threads: $threads"
out=${OUT:-$work}
mkdir -p "$out"

echo "== heads: $task at $lengths tokens, $samples samples per length (seed $seed), uptime: $(uptime) =="
start=$(date +%s)
"$BIN/sealctl" heads run --task "$task" --lengths "$lengths" --samples "$samples" --seed "$seed" --max-tokens "$max_tokens" \
  ${LAYERS:+--layers "$LAYERS"} ${MAX_SECONDS:+--max-seconds "$MAX_SECONDS"} --name "heads-$task" --top 10 --wait \
  --heatmap "$out/heads-$task-long.svg" --scatter "$out/heads-$task-scatter.svg"
report=$("$BIN/sealctl" --json heads list | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin), key=lambda a: a["created_at"])[-1]["id"])')
"$BIN/sealctl" heads show "$report" --top 0 --heatmap "$out/heads-$task-short.svg" --heatmap-length short > /dev/null
"$BIN/sealctl" --json heads show "$report" > "$out/heads-$task.json"
echo "== wall time $(( $(date +%s) - start )) s; uptime: $(uptime) =="
