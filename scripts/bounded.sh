#!/usr/bin/env bash
# bounded.sh SECONDS COMMAND...: runs COMMAND; past SECONDS it prints every thread's stack of
# every process in the command's tree (gdb), kills the tree and fails. A hung test then costs
# minutes and leaves a diagnosis in the log, instead of silently eating the whole CI budget.
set -uo pipefail
limit="$1"; shift
setsid "$@" &
leader=$!
deadline=$(( $(date +%s) + limit ))
while kill -0 "$leader" 2>/dev/null; do
  if (( $(date +%s) >= deadline )); then
    echo "bounded.sh: '$*' still running after ${limit} s: stacks of its processes follow" >&2
    for pid in $(pgrep -s "$leader"); do
      echo "=== pid $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)" >&2
      if command -v gdb >/dev/null; then
        timeout 300 gdb -p "$pid" -batch -nx -iex "set debuginfod enabled off" \
          -ex "thread apply all bt 30" 2>/dev/null | grep -E '^(Thread|#)' | cut -c1-240 >&2
      fi
    done
    kill -KILL -- "-$leader" 2>/dev/null
    wait "$leader" 2>/dev/null
    echo "bounded.sh: '$*' killed after ${limit} s (a hang): see the stacks above" >&2
    exit 124
  fi
  sleep 2
done
wait "$leader"
