#!/usr/bin/env bash
# The main job, as far as it exists: build seal in release mode, start seald with
# the default model (SmolLM2-135M-Instruct) on a private socket, and drive it with
# sealctl: status, a chat answer, a passkey-retrieval dataset and its evaluation at
# two context lengths, then a small SEAL round: a short SEAL-H tuning job, base vs
# tuned accuracy on held-out samples of another seed, and the scale set's heatmap.
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

# The small SEAL round: learn SEAL-H scales on a few generated samples, then compare the
# base model with the tuned one on samples of a different seed. (The full experiment, with
# 50 training samples and 40 evaluation samples, is in the README.)
task=passkey; tokens=1000
if "$bin/sealctl" plugins list | grep -qw lines; then task=lines; tokens=670; fi
echo "== SEAL tuning: SEAL-H on 16 $task samples of ~$tokens tokens =="
"$bin/sealctl" tune --task "$task" --samples 16 --tokens "$tokens" --seed 1 --strategy headwise \
  --learning-rate 0.02 --name "demo-$task-seal-h" --wait
scale=$("$bin/sealctl" --json scales list \
  | python3 -c 'import json,sys; sets=[a for a in json.load(sys.stdin) if a["name"].startswith("demo-")]; print(sorted(sets, key=lambda a: a["created_at"])[-1]["id"])')
heldout=$("$bin/sealctl" --json data create --task "$task" --samples 12 --tokens "$tokens" --seed 2 --wait \
  | python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; print(lines[-1]["artifacts"][0])')
echo "== base model on 12 held-out samples (seed 2) =="
"$bin/sealctl" eval run --dataset "$heldout" --max-tokens 24 --wait
echo "== tuned (scale set $scale) on the same samples =="
"$bin/sealctl" eval run --dataset "$heldout" --scale-set "$scale" --max-tokens 24 --wait
echo "== the learned scales =="
"$bin/sealctl" scales show "$scale" --svg "$work/$scale-heatmap.svg"
echo "heatmap (layer x head): $work/$scale-heatmap.svg"
echo "== results =="
"$bin/sealctl" eval list
