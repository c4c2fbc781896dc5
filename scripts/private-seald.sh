# Sourced by scripts/demo.sh and the experiment scripts: builds the release binaries unless BIN
# names them, then starts a private seald with the default model on a socket in a fresh
# temporary directory, and stops it when the calling script exits.
#
#   private_seald PREFIX [LINE...]   # LINEs are appended to the config after the model's path,
#                                    # e.g. "  threads: 1" "limits:" "  max_concurrent_jobs: 3"
# Sets BIN (absolute), work (the directory: state, config, seald.log) and exports SEAL_SOCKET.
private_seald() {
  local prefix=$1
  shift
  if [ -n "${BIN:-}" ]; then BIN="$(cd "$BIN" && pwd)"; else
    scripts/fetch-models.sh
    swift build -c release
    BIN="$(swift build -c release --show-bin-path)"
  fi
  work="$(mktemp -d "/tmp/$prefix.XXXXXX")"
  {
    printf 'socket:\n  path: %s/seald.sock\n  mode: "0600"\nstate_directory: %s/state\n' "$work" "$work"
    printf 'plugins:\n  directories: ["%s"]\nmodel:\n  path: %s/models/SmolLM2-135M-Instruct.Q4_1.gguf\n' "$BIN" "$PWD"
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi
  } > "$work/seald.yaml"
  "$BIN/seald" --config "$work/seald.yaml" > "$work/seald.log" 2>&1 &
  seald_pid=$!
  trap 'kill $seald_pid 2>/dev/null; wait $seald_pid 2>/dev/null || true; echo "state and daemon log: $work"' EXIT
  export SEAL_SOCKET="$work/seald.sock"
  for _ in $(seq 1 150); do "$BIN/sealctl" status >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "seald did not start; its log: $work/seald.log" >&2
  return 1
}
