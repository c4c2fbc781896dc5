#!/usr/bin/env bash
# Attack run (issue 6): starts the already built debug seald with the default model on a
# private socket, runs the HTTP attack classes (Tools/attack/http_attack.py) and a
# property-based run of docs/openapi.yaml with schemathesis (Tools/attack/openapi_fuzz.py)
# against it, and always stops it. Builds nothing: run `swift build` first.
# SEAL_ATTACK_ONLY=class,class runs only those classes; SEAL_FUZZ_EXAMPLES sets the
# schemathesis examples per operation (default 20; 0 skips that run).
# Exit status 0 only when every class passed, schemathesis found no server error, and
# the daemon was still running (not killed by a signal) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SEAL_BIN:-$PWD/.build/debug}"
model="$PWD/models/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -x "$bin/seald" ] || { echo "attack: $bin/seald is missing: run swift build first" >&2; exit 1; }
[ -f "$model" ] || { echo "attack: $model is missing: run scripts/fetch-models.sh" >&2; exit 1; }
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install --quiet "schemathesis==4.32.5"

work="$(mktemp -d /tmp/seal-attack.XXXXXX)"
# Short deadlines, a small cap, one generation slot and a short queue, and a 512-token
# window: each class shows its limit within seconds, and the worst generation is short.
cat > "$work/seald.yaml" <<YAML
socket:
  path: $work/seald.sock
  mode: "0600"
state_directory: $work/state
plugins:
  directories: ["$bin"]
model:
  path: $model
  context_length: 512
limits:
  max_concurrent_generations: 1
  max_queued_generations: 2
  request_timeout_seconds: 120
server:
  head_timeout_seconds: 2
  body_timeout_seconds: 2
  max_connections: 256
YAML
"$bin/seald" --config "$work/seald.yaml" > "$work/seald.log" 2>&1 &
daemon=$!
stop_daemon() {
  if kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$daemon" 2>/dev/null || true
  fi
  wait "$daemon" 2>/dev/null || true
  echo "attack: daemon log in $work/seald.log"
}
trap stop_daemon EXIT

for _ in $(seq 1 300); do
  curl -sf --unix-socket "$work/seald.sock" http://localhost/api/status 2>/dev/null | grep -q '"model":{' && break
  kill -0 "$daemon" 2>/dev/null || { echo "attack: seald exited at start" >&2; tail -20 "$work/seald.log" >&2; exit 1; }
  sleep 0.2
done

status=0
echo "== HTTP attack classes =="
timeout 900 python3 Tools/attack/http_attack.py --socket "$work/seald.sock" --pid "$daemon" \
  --head-timeout 2 --body-timeout 2 --flood 600 --report "$work/attack.json" \
  ${SEAL_ATTACK_ONLY:+--only "$SEAL_ATTACK_ONLY"} || status=1
if kill -0 "$daemon" 2>/dev/null && [ "${SEAL_FUZZ_EXAMPLES:-20}" != 0 ]; then
  echo "== schemathesis property run of docs/openapi.yaml =="
  timeout 900 python3 Tools/attack/openapi_fuzz.py --socket "$work/seald.sock" --max-examples "${SEAL_FUZZ_EXAMPLES:-20}" \
    --report-dir "$work/schemathesis" || status=1
fi
if ! kill -0 "$daemon" 2>/dev/null; then
  code=0; wait "$daemon" || code=$?
  echo "attack: seald is gone (exit status $code$([ "$code" -gt 128 ] && echo ", signal $((code - 128))"))" >&2
  tail -30 "$work/seald.log" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "attack: all passed" || echo "attack: FAILED (see above)"
exit "$status"
