#!/usr/bin/env bash
# The SEAL result on the default model (docs/results.md), end to end through a release seald
# and sealctl --json: tune SEAL-H and SEAL-C on generated LongEval `lines` samples of one seed
# (answer primed, the paper's settings), then evaluate the base model, SEAL-H and SEAL-C on the
# same held-out samples of another seed at each length, and print the table with 95% Wilson
# intervals, the paired comparison with the base (exact McNemar test on the discordant samples),
# the tuning wall times and the heatmaps.
#
#   scripts/seal-results.sh     # the full plan (builds release binaries first); hours on 2 busy cores
#   SAMPLES=30 EVAL_SAMPLES=32 LENGTHS="400 670" JOBS=4 nice -n 10 scripts/seal-results.sh
#                               # docs/results.md's run: 45 minutes on the loaded 2-core machine
#
# Environment: BIN (binaries and plugins; default: release build), TASK (lines), TRAIN_TOKENS
# (670), SAMPLES (50), LENGTHS (evaluation lengths, "670 1300"), EVAL_SAMPLES (60), MAX_TOKENS
# (16), TRAIN_SEED (1), EVAL_SEED (2), LR_H / LR_C (empty: the paper's 1e-2 / 2e-2), THREADS (BLAS
# threads per job, 1), JOBS (jobs at once, 3), IMAGES (where the heatmaps go, docs/images),
# RESULTS_JSON (the table as JSON; default in the run's temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
task=${TASK:-lines}; train_tokens=${TRAIN_TOKENS:-670}; samples=${SAMPLES:-50}; evals=${EVAL_SAMPLES:-60}
lengths=${LENGTHS:-"670 1300"}; max_tokens=${MAX_TOKENS:-16}; train_seed=${TRAIN_SEED:-1}; eval_seed=${EVAL_SEED:-2}
images=${IMAGES:-docs/images}
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
OPENBLAS_NUM_THREADS=${THREADS:-1} private_seald seal-results "  threads: ${THREADS:-1}" "limits:" \
  "  max_concurrent_jobs: ${JOBS:-3}"
ctl() { "$BIN/sealctl" "$@"; }
# The last line of a `--json ... --wait` stream is the finished job; its first artifact is the product.
product() { python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; job=lines[-1]
assert job["state"] == "succeeded", job; print(job["artifacts"][0])'; }
: > "$work/runs.tsv"

# Held-out data first: a different seed, answer primed as in training, one dataset per length,
# shared by every model so the comparison is paired.
declare -A heldout
for length in $lengths; do
  heldout[$length]=$(ctl --json data create --task "$task" --samples "$evals" --tokens "$length" --seed "$eval_seed" \
    --prime-answer --wait | product)
  echo "held-out $task ~$length tokens: ${heldout[$length]}"
done

# The daemon runs JOBS jobs at once (one compute thread each): both tuning jobs and the base
# model's evaluations start together; each tuned model is evaluated as soon as its scales exist.
submit() { ctl --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
follow() { ctl --json jobs follow "$1" | product; }
declare -A tune_job eval_job
for strategy in headwise channelwise; do
  lr=""; if [ "$strategy" = headwise ]; then lr=${LR_H:-}; else lr=${LR_C:-}; fi
  tune_job[$strategy]=$(submit tune --task "$task" --samples "$samples" --tokens "$train_tokens" --seed "$train_seed" \
    --strategy "$strategy" --prime-answer ${lr:+--learning-rate "$lr"} --name "results-$strategy")
  echo "tune $strategy: $samples $task samples of ~$train_tokens tokens (seed $train_seed), answer primed: ${tune_job[$strategy]}"
done
for length in $lengths; do
  eval_job[base/$length]=$(submit eval run --dataset "${heldout[$length]}" --max-tokens "$max_tokens")
done
for strategy in headwise channelwise; do
  scale=$(follow "${tune_job[$strategy]}")
  echo -e "tune\t$strategy\t$scale\t0" >> "$work/runs.tsv"
  ctl scales show "$scale" --svg "$images/results-$task-$strategy.svg" > "$work/scales-$strategy.txt"
  echo "scale set $scale; heatmap $images/results-$task-$strategy.svg"
  for length in $lengths; do
    eval_job[$strategy/$length]=$(submit eval run --dataset "${heldout[$length]}" --scale-set "$scale" --max-tokens "$max_tokens")
  done
done
for length in $lengths; do
  for model in base headwise channelwise; do
    report=$(follow "${eval_job[$model/$length]}")
    ctl --json eval show "$report" > "$work/$report.json"
    echo -e "eval\t$model\t$length\t$report" >> "$work/runs.tsv"
    echo "eval $model at ~$length tokens: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["correct"], "/", r["total"])' "$work/$report.json")"
  done
done

python3 Tools/results/seal_table.py --runs "$work/runs.tsv" --reports "$work" --state "$work/state" \
  --json "${RESULTS_JSON:-$work/results.json}"
