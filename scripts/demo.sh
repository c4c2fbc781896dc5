#!/usr/bin/env bash
# The main job, as far as it exists: build seal in release mode, start seald with
# the default model (SmolLM2-135M-Instruct) on a private socket, and drive it with
# sealctl: status, a chat answer, a passkey-retrieval dataset and its evaluation at
# two context lengths, with and without linear position interpolation.
# (SEAL tuning itself arrives with the next release; the jobs here are the round
# it will plug into.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
swift build -c release
bin="$(swift build -c release --show-bin-path)"

work="$(mktemp -d /tmp/seal-demo.XXXXXX)"
cat > "$work/seald.yaml" <<YAML
socket:
  path: $work/seald.sock
  mode: "0600"
state_directory: $work/state
plugins:
  directories: ["$bin"]
model:
  path: $PWD/models/SmolLM2-135M-Instruct.Q4_1.gguf
YAML
"$bin/seald" --config "$work/seald.yaml" > "$work/seald.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null || true; echo "daemon log: $work/seald.log"' EXIT
export SEAL_SOCKET="$work/seald.sock"
for _ in $(seq 1 100); do "$bin/sealctl" status >/dev/null 2>&1 && break; sleep 0.2; done

echo "== sealctl status =="
"$bin/sealctl" status
echo "== sealctl chat =="
"$bin/sealctl" chat -m "What is the capital of Germany? Answer in one sentence." --temperature 0 --max-tokens 40
echo "== sealctl plugins =="
"$bin/sealctl" plugins list

for tokens in 1000 3000; do
  echo "== passkey retrieval, ~$tokens-token prompts =="
  dataset=$("$bin/sealctl" --json data create --task passkey --samples 8 --tokens "$tokens" --seed 1 --wait \
    | python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; print(lines[-1]["artifacts"][0])')
  "$bin/sealctl" eval run --dataset "$dataset" --max-tokens 16 --wait
done
echo "== results =="
"$bin/sealctl" eval list
