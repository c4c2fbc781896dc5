#!/usr/bin/env bash
# The SEAL result on the default model (docs/results.md), end to end through a release seald
# and sealctl --json: tune SEAL-H and SEAL-C on generated LongEval `lines` samples of one seed
# (answer primed, the paper's settings), then evaluate the base model and every tuned model on the
# same held-out samples of another seed at each length (and, with EXTENSION, beyond the window
# with a context-extension method), and print the table with 95% Wilson intervals, the paired
# comparison with the base (exact McNemar test on the discordant samples), the tuning wall times
# and the heatmaps.
#
#   scripts/seal-results.sh     # the full plan (builds release binaries first); hours on 2 busy cores
#   SAMPLES=50 EVAL_SAMPLES=32 LENGTHS="400 670" JOBS=4 nice -n 10 scripts/seal-results.sh
#                               # docs/results.md's first table
#
# Environment: BIN (binaries and plugins; default: release build), TASK (lines), TRAIN_TOKENS
# (670), SAMPLES (50), LENGTHS (evaluation lengths, "670 1300"), EVAL_SAMPLES (60), MAX_TOKENS
# (16), TRAIN_SEED (1), EVAL_SEED (2), THREADS (BLAS threads per job, 1), JOBS (jobs at once, 3),
# IMAGES (where the heatmaps go, docs/images), RESULTS_JSON (the table as JSON; default in the
# run's temporary directory).
# MODELS: the tuned models, space-separated `LABEL=STRATEGY[,TUNE-OPTION...]` (no spaces inside;
#   options are `sealctl tune` options written as --name=value), default
#   "SEAL-H=headwise SEAL-C=channelwise" (the paper's settings); e.g. "SEAL-H/b8=headwise,--batch-size=8".
# EXTENSION: a context-extension plugin and its parameters for the rows beyond the window, e.g.
#   "self-extend group=4 window=1024"; EXT_LENGTHS (evaluation lengths for those rows),
#   EXT_SAMPLES (held-out samples per such length, default EVAL_SAMPLES), EXT_MODELS (which models
#   get those rows: "base" and labels of MODELS; default all). The scales are the ones tuned
#   above (inside the window, without the extension) unless a model's options say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
task=${TASK:-lines}; train_tokens=${TRAIN_TOKENS:-670}; samples=${SAMPLES:-50}; evals=${EVAL_SAMPLES:-60}
lengths=${LENGTHS:-"670 1300"}; max_tokens=${MAX_TOKENS:-16}; train_seed=${TRAIN_SEED:-1}; eval_seed=${EVAL_SEED:-2}
images=${IMAGES:-docs/images}; models=${MODELS:-"SEAL-H=headwise SEAL-C=channelwise"}
extension=${EXTENSION:-}; ext_lengths=${EXT_LENGTHS:-}; ext_samples=${EXT_SAMPLES:-$evals}
if [ -n "$extension" ] && [ -z "$ext_lengths" ]; then echo "EXTENSION needs EXT_LENGTHS" >&2; exit 2; fi
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
OPENBLAS_NUM_THREADS=${THREADS:-1} private_seald seal-results "  threads: ${THREADS:-1}" "limits:" \
  "  max_concurrent_jobs: ${JOBS:-3}"
ctl() { "$BIN/sealctl" "$@"; }
# The last line of a `--json ... --wait` stream is the finished job; its first artifact is the product.
product() { python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; job=lines[-1]
assert job["state"] == "succeeded", job; print(job["artifacts"][0])'; }
: > "$work/runs.tsv"

# The extension as sealctl options, and its row label ("self-extend group=4 window=1024" ->
# "self-extend(group=4,window=1024)").
ext_options=(); ext_label=""
if [ -n "$extension" ]; then
  read -r -a ext_words <<< "$extension"
  ext_options=(--extension "${ext_words[0]}")
  for p in "${ext_words[@]:1}"; do ext_options+=(--extension-param "$p"); done
  ext_label="${ext_words[0]}"; params="${ext_words[*]:1}"; [ -n "$params" ] && ext_label+="(${params// /,})"
fi

# Held-out data first: a different seed, answer primed as in training, one dataset per length,
# shared by every model so the comparison is paired.
# A length only the extension rows use gets their (smaller) sample count.
declare -A heldout
in_list() { case " $2 " in *" $1 "*) true;; *) false;; esac; }
for length in $lengths $ext_lengths; do
  [ -n "${heldout[$length]:-}" ] && continue
  count=$evals
  if in_list "$length" "$ext_lengths" && ! in_list "$length" "$lengths"; then count=$ext_samples; fi
  heldout[$length]=$(ctl --json data create --task "$task" --samples "$count" --tokens "$length" --seed "$eval_seed" \
    --prime-answer --wait | product)
  echo "held-out $task ~$length tokens ($count samples): ${heldout[$length]}"
done

# The daemon runs JOBS jobs at once (one compute thread each): the tuning jobs and the base
# model's evaluations start together; each tuned model is evaluated as soon as its scales exist.
submit() { ctl --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
follow() { ctl --json jobs follow "$1" | product; }
ext_wanted() { [ -n "$extension" ] && in_list "$1" "${EXT_MODELS:-base $labels}"; }
declare -A tune_job eval_job
labels=""
for spec in $models; do
  label=${spec%%=*}; rest=${spec#*=}; IFS=, read -r -a words <<< "$rest"
  strategy=${words[0]}; labels+=" $label"
  tune_job[$label]=$(submit tune --task "$task" --samples "$samples" --tokens "$train_tokens" --seed "$train_seed" \
    --strategy "$strategy" --prime-answer "${words[@]:1}" --name "results-$label")
  echo "tune $label ($strategy ${words[*]:1}): $samples $task samples of ~$train_tokens tokens (seed $train_seed), answer primed: ${tune_job[$label]}"
done
for length in $lengths; do
  eval_job[base/$length]=$(submit eval run --dataset "${heldout[$length]}" --max-tokens "$max_tokens")
done
if ext_wanted base; then
  for length in $ext_lengths; do
    eval_job[base+ext/$length]=$(submit eval run --dataset "${heldout[$length]}" --max-tokens "$max_tokens" "${ext_options[@]}")
  done
fi
for label in $labels; do
  scale=$(follow "${tune_job[$label]}")
  echo -e "tune\t$label\t$scale\t0" >> "$work/runs.tsv"
  file=${label//[^A-Za-z0-9.-]/_}  # labels may hold '/', file names may not
  svg="$images/results-$task-$file.svg"
  ctl scales show "$scale" --svg "$svg" > "$work/scales-$file.txt"
  echo "scale set $label: $scale; heatmap $svg"
  for length in $lengths; do
    eval_job[$label/$length]=$(submit eval run --dataset "${heldout[$length]}" --scale-set "$scale" --max-tokens "$max_tokens")
  done
  if ext_wanted "$label"; then
    for length in $ext_lengths; do
      eval_job[$label+ext/$length]=$(submit eval run --dataset "${heldout[$length]}" --scale-set "$scale" \
        --max-tokens "$max_tokens" "${ext_options[@]}")
    done
  fi
done
# eval lines: model label, length, report, the label of the row it is compared with.
record() {
  local key=$1 row=$2 length=$3 baseline=$4 report
  [ -n "${eval_job[$key/$length]:-}" ] || return 0
  report=$(follow "${eval_job[$key/$length]}")
  ctl --json eval show "$report" > "$work/$report.json"
  echo -e "eval\t$row\t$length\t$report\t$baseline" >> "$work/runs.tsv"
  echo "eval $row at ~$length tokens: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["correct"], "/", r["total"])' "$work/$report.json")"
}
for length in $lengths; do
  for label in base $labels; do record "$label" "$label" "$length" base; done
done
for length in $ext_lengths; do
  for label in base $labels; do
    row="$ext_label + $label"; [ "$label" = base ] && row="$ext_label alone"
    record "$label+ext" "$row" "$length" "$ext_label alone"
  done
done

python3 Tools/results/seal_table.py --runs "$work/runs.tsv" --reports "$work" --state "$work/state" \
  --json "${RESULTS_JSON:-$work/results.json}"
