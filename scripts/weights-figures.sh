#!/bin/sh
# The figures of the README's "Weight storage" section, from a release build:
# decode speed of each weight storage measured in one process (ratios to that run's read
# bandwidth and to its fp32 decode), then the perplexity of each storage on a text every
# Debian system has. Prints `uptime` before and after: on a shared machine the speeds are noisy.
#
#   swift build -c release && scripts/weights-figures.sh [model]
set -eu
cd "$(dirname "$0")/.."
run=.build/release/seal-run
text=/usr/share/common-licenses/GPL-3
model=${1:+--model $1}
threads=${SEAL_THREADS:-2}
uptime
# shellcheck disable=SC2086
nice -n 10 "$run" bench $model --threads "$threads" --prefill 512 --decode-context 128 --decode-steps 64 \
    --weights f32 --compare-weights bf16 q8_0
for storage in f32 bf16 q8_0; do
    echo "perplexity, $storage weights:"
    # shellcheck disable=SC2086
    nice -n 10 "$run" perplexity $model --threads "$threads" --weights "$storage" "$text" 2>/dev/null
done
uptime
