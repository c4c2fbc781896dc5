#!/usr/bin/env bash
# Issue 8's passkey table (docs/context-extension.md): starts a private release seald (one BLAS
# thread per job, JOBS jobs at once) and runs Tools/bench/passkey_table.py against it with the
# arguments given, printing the machine's load before and after.
#
#   JOBS=2 nice -n 10 scripts/passkey-table.sh --lengths 8000 12000 16000 --jobs 2 --deadline 10:45
#
# Environment: BIN (binaries and plugins; default: build the release binaries), JOBS (the
# daemon's max_concurrent_jobs, 2; pass the same --jobs to the script), THREADS (BLAS threads
# per job, 1).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
export OPENBLAS_NUM_THREADS=${THREADS:-1}
private_seald passkey-table "  threads: ${THREADS:-1}" "limits:" "  max_concurrent_jobs: ${JOBS:-2}"
export PATH="$BIN:$PATH"
echo "start $(date -u +%H:%M:%S) UTC, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 Tools/bench/passkey_table.py "$@"
echo "end $(date -u +%H:%M:%S) UTC, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
