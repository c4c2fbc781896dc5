#!/usr/bin/env bash
# One SEAL experiment on the default model, end to end through seald and sealctl:
# tune a scaling strategy on generated samples of one seed, then evaluate the base model and
# the tuned one on held-out samples of another seed, and print both accuracies with a 95%
# Wilson interval. Tuning and evaluation both prime the answer (the task's answer prefix opens
# the assistant turn), so train and test read the same format. Defaults: LongEval lines at ~670
# tokens, 50 training samples, SEAL-H with the paper's settings, 40 evaluation samples.
#
#   scripts/tune-experiment.sh                      # builds release binaries first
#   BIN=.build/debug TASK=passkey TOKENS=1000 STRATEGY=channelwise scripts/tune-experiment.sh
#
# Environment: BIN (binaries and plugins; default: release build), TASK, TOKENS, SAMPLES,
# EVAL_SAMPLES, STRATEGY, LR (empty: the strategy's default), MAX_TOKENS, TRAIN_SEED, EVAL_SEED,
# EXTENSION and EXTENSION_PARAMS (e.g. EXTENSION=self-extend EXTENSION_PARAMS="--param group=4 --param window=1024").
set -euo pipefail
cd "$(dirname "$0")/.."
task=${TASK:-lines}; tokens=${TOKENS:-670}; samples=${SAMPLES:-50}; evals=${EVAL_SAMPLES:-40}
strategy=${STRATEGY:-headwise}; max_tokens=${MAX_TOKENS:-32}; train_seed=${TRAIN_SEED:-1}; eval_seed=${EVAL_SEED:-2}
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
private_seald seal-experiment
ctl() { "$BIN/sealctl" "$@"; }
last_artifact() { python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; print(lines[-1]["artifacts"][0])'; }

extension=()
if [ -n "${EXTENSION:-}" ]; then extension=(--extension "$EXTENSION"); fi
# shellcheck disable=SC2206
extension_params=(${EXTENSION_PARAMS:-})
eval_extension=()
if [ -n "${EXTENSION:-}" ]; then
  eval_extension=(--extension "$EXTENSION")
  for ((i = 1; i < ${#extension_params[@]}; i += 2)); do eval_extension+=(--extension-param "${extension_params[$i]}"); done
fi

echo "== tune: $strategy on $samples $task samples of ~$tokens tokens (seed $train_seed) =="
start=$(date +%s)
ctl tune --task "$task" --samples "$samples" --tokens "$tokens" --seed "$train_seed" --strategy "$strategy" \
  ${LR:+--learning-rate "$LR"} "${extension[@]}" "${extension_params[@]}" --name "experiment" --wait
tune_seconds=$(( $(date +%s) - start ))
scale=$(ctl --json scales list | python3 -c 'import json,sys; print(sorted([a for a in json.load(sys.stdin) if a["name"] == "experiment"], key=lambda a: a["created_at"])[-1]["id"])')
echo "== held-out data: $evals $task samples of ~$tokens tokens (seed $eval_seed) =="
heldout=$(ctl --json data create --task "$task" --samples "$evals" --tokens "$tokens" --seed "$eval_seed" --prime-answer --wait | last_artifact)
echo "== base =="
base=$(ctl --json eval run --dataset "$heldout" --max-tokens "$max_tokens" "${eval_extension[@]}" --wait | last_artifact)
echo "== tuned ($scale) =="
tuned=$(ctl --json eval run --dataset "$heldout" --scale-set "$scale" --max-tokens "$max_tokens" "${eval_extension[@]}" --wait | last_artifact)
for report in "$base" "$tuned"; do ctl --json eval show "$report" > "$work/$report.json"; done
ctl --json scales show "$scale" > "$work/$scale.json" 2>/dev/null || true
python3 - "$work/$base.json" "$work/$tuned.json" "$work/state/artifacts/$scale.json" "$tune_seconds" <<'PY'
import json, math, sys
def wilson(k, n, z=1.96):
    if n == 0: return (0.0, 0.0)
    p = k / n; d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d; h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))
rows = []
for label, path in (("base", sys.argv[1]), ("tuned", sys.argv[2])):
    report = json.load(open(path))
    k, n = report["correct"], report["total"]
    lo, hi = wilson(k, n)
    rows.append(f"{label:6s} {k:3d}/{n:<3d} = {k / n:5.1%}  (95% Wilson {lo:5.1%} .. {hi:5.1%})")
training = json.load(open(sys.argv[3]))["training"]
curve = training["loss_curve"]; first = sum(curve[:10]) / max(1, len(curve[:10])); last = sum(curve[-10:]) / max(1, len(curve[-10:]))
print("\n".join(rows))
print(f"answer loss, mean of the first / last 10 steps: {first:.3f} -> {last:.3f}; {training['steps']} steps, "
      f"{training['tokens']} tokens, tuning job {training['wall_seconds']:.0f} s (command {sys.argv[4]} s)")
PY
