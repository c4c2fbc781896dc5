#!/usr/bin/env bash
# Measures how long seald takes to stop on SIGTERM while an eval job runs and a client
# follows the job's events (as `sealctl eval run --wait` does), then restarts it and
# reports the job's state once it finishes (issue 6: stop promptly, resume from checkpoint).
# Usage: Tools/bench/stop_during_job.sh [BIN_DIR]   (default .build/debug; builds nothing)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-$PWD/.build/debug}"
model="$PWD/models/SmolLM2-135M-Instruct.Q4_1.gguf"
work="$(mktemp -d /tmp/seal-stop.XXXXXX)"
cat > "$work/seald.yaml" <<YAML
socket:
  path: $work/seald.sock
  mode: "0600"
state_directory: $work/state
plugins:
  directories: ["$bin"]
model:
  path: $model
YAML
sock="$work/seald.sock"
api() { curl -s --unix-socket "$sock" "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
start() {
  "$bin/seald" --config "$work/seald.yaml" >> "$work/seald.log" 2>&1 &
  daemon=$!
  for _ in $(seq 1 300); do api http://localhost/api/status 2>/dev/null | grep -q '"model":{' && return; sleep 0.2; done
  echo "seald did not start; log in $work/seald.log" >&2; exit 1
}
wait_job() {
  for _ in $(seq 1 1500); do
    state="$(api "http://localhost/api/jobs/$1" | field "d['state']")"
    case "$state" in succeeded|failed|cancelled) echo "$state"; return;; esac
    sleep 0.2
  done
  echo "timeout"
}
start
made="$(api -H 'Content-Type: application/json' -d '{"kind":"dataset","dataset":{"task":"passkey","samples":8,"target_tokens":400,"seed":5}}' http://localhost/api/jobs)"
dataset_job="$(echo "$made" | field "d['id']")"
[ "$(wait_job "$dataset_job")" = succeeded ] || { echo "dataset job failed" >&2; exit 1; }
dataset="$(api "http://localhost/api/jobs/$dataset_job" | field "d['artifacts'][0]")"
job="$(api -H 'Content-Type: application/json' -d "{\"kind\":\"eval\",\"eval\":{\"dataset\":\"$dataset\",\"max_tokens\":24}}" http://localhost/api/jobs | field "d['id']")"
curl -s -N --unix-socket "$sock" "http://localhost/api/jobs/$job/events" > "$work/events.txt" &
follower=$!
for _ in $(seq 1 600); do
  done_count="$(api "http://localhost/api/jobs/$job" | field "d['progress']['completed']")"
  [ "$done_count" -ge 1 ] && break
  sleep 0.05
done
t0=$(date +%s.%N)
kill -TERM "$daemon"
wait "$daemon" || true
t1=$(date +%s.%N)
echo "stop_seconds=$(python3 -c "print(round($t1-$t0,2))") completed_before_stop=$done_count of 8"
kill "$follower" 2>/dev/null || true
start
echo "after_restart_state=$(wait_job "$job")"
kill -TERM "$daemon"; wait "$daemon" || true
echo "log: $work/seald.log"
