#!/usr/bin/env bash
# The main job, as far as it exists: build seal in release mode, start seald with
# the default model (SmolLM2-135M-Instruct) on a private socket, and drive it with
# sealctl: status, a chat answer, the plugins, then a small SEAL round: a short SEAL-C
# tuning job, retrieval accuracy of the base and the tuned model on held-out samples at
# three context lengths (two grids and their difference), and the scale set's heatmap.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
private_seald seal-demo
bin=$BIN

echo "== sealctl status =="
"$bin/sealctl" status
echo "== sealctl chat =="
"$bin/sealctl" chat -m "What is the capital of Germany? Answer in one sentence." --temperature 0 --max-tokens 40
echo "== sealctl plugins =="
"$bin/sealctl" plugins list

# The small SEAL round: learn SEAL-C scales (one multiplier per head channel, the strategy that
# lifts this model in docs/results.md) on a few generated samples, then compare the base model with
# the tuned one on held-out samples of a different seed, both with the answer primed as tuning
# trains it. (The full result is docs/results.md, made by scripts/seal-results.sh.)
task=passkey; tokens=1000
if "$bin/sealctl" plugins list | grep -qw lines; then task=lines; tokens=670; fi
echo "== SEAL tuning: SEAL-C on 20 $task samples of ~$tokens tokens =="
"$bin/sealctl" tune --task "$task" --samples 20 --tokens "$tokens" --seed 1 --strategy channelwise \
  --name "demo-$task-seal-c" --wait
scale=$("$bin/sealctl" --json scales list \
  | python3 -c 'import json,sys; sets=[a for a in json.load(sys.stdin) if a["name"].startswith("demo-")]; print(sorted(sets, key=lambda a: a["created_at"])[-1]["id"])')
# Held-out samples (seed 2) at three lengths x two answer depths, 4 per cell, base then tuned;
# the grids print their tables, and their reports' ids are found by the jobs' names.
report_of() {
  "$bin/sealctl" --json jobs list \
    | python3 -c 'import json,sys; jobs=[j for j in json.load(sys.stdin) if j.get("name")==sys.argv[1]]; print(jobs[-1]["artifacts"][0])' "$1"
}
grid=(eval grid --task "$task" --lengths 400,670,1000 --depths 25,75 --samples 4 --seed 2 --prime-answer --max-tokens 24)
echo "== base model: held-out accuracy by context length (columns) and answer depth (rows) =="
"$bin/sealctl" "${grid[@]}" --name demo-base-grid --wait
echo "== tuned (scale set $scale) on the same samples =="
"$bin/sealctl" "${grid[@]}" --scale-set "$scale" --name demo-tuned-grid --wait
echo "== tuned minus base, in points =="
"$bin/sealctl" eval diff "$(report_of demo-base-grid)" "$(report_of demo-tuned-grid)" --svg "$work/seal-gain.svg"
echo "gain heatmap: $work/seal-gain.svg"
echo "== the learned scales =="
"$bin/sealctl" scales show "$scale" --svg "$work/$scale-heatmap.svg"
echo "heatmap (layer x head): $work/$scale-heatmap.svg"
