#!/usr/bin/env bash
# Builds the kernel harnesses against Sources/CSealKernels (with clang -O2, as the package does)
# and runs them: decode products for every weight storage (in huge-page slabs, then in malloc
# memory), then decode attention over 8,160 cached positions for both cache types. On a shared host, run builds alternately and compare
# within a run: the memory bandwidth itself moves (26-55 GB/s here within an hour).
#   Tools/bench/kernels/run.sh [THREADS]
set -euo pipefail
[ -x /opt/swift/usr/bin/clang ] && PATH=/opt/swift/usr/bin:$PATH
cd "$(dirname "$0")/../../.."
threads=${1:-2}
out=$(mktemp -d /tmp/seal-kernel-bench.XXXXXX)
cc=${CC:-clang}   # SwiftPM compiles the kernels with clang; gcc built a 40% slower attention here
src=Sources/CSealKernels
for bench in matvec_bench attend_bench; do
  "$cc" -O2 -I"$src/include" -I"$src" "$src"/*.c "Tools/bench/kernels/$bench.c" -o "$out/$bench" -lpthread -lm
done
for storage in 0 1 2; do
  "$out/matvec_bench" "$storage" "$threads"        # weights in huge-page slabs, as the model holds them
  "$out/matvec_bench" "$storage" "$threads" heap   # the same in malloc memory, for comparison
done
for cache in 0 1; do "$out/attend_bench" "$cache" "$threads" 8160; done
rm -rf "$out"
