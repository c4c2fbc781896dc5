#!/bin/sh
# The figures of the README's KV cache paragraph, from a release build: decode after 8,192
# tokens with the f32 and the f16 KV cache measured in one process (as a ratio, with each
# session's memory), for fp32 and Q8_0 weights; then the GPL-3 perplexity of each weight
# storage with each cache type. Prints `uptime` between runs: on a shared machine the speeds are noisy.
#
#   swift build -c release && scripts/kv-cache-figures.sh [model]
set -eu
cd "$(dirname "$0")/.."
run=.build/release/seal-run
text=/usr/share/common-licenses/GPL-3
model=${1:+--model $1}
threads=${SEAL_THREADS:-2}
export OPENBLAS_NUM_THREADS="$threads"
for weights in f32 q8_0; do
    uptime
    # shellcheck disable=SC2086
    nice -n 10 "$run" bench $model --threads "$threads" --weights "$weights" --prefill 512 --decode-context 8192 \
        --decode-steps 32 --compare-kv-cache
done
uptime
for weights in ${SEAL_PERPLEXITY_WEIGHTS:-f32 bf16 q8_0}; do
    for cache in f32 f16; do
        echo "perplexity, $weights weights, $cache KV cache:"
        # shellcheck disable=SC2086
        nice -n 10 "$run" perplexity $model --threads "$threads" --weights "$weights" --kv-cache "$cache" "$text" 2>/dev/null | tail -1
    done
done
uptime
