#!/usr/bin/env bash
# The main job, as far as it exists: build seal in release mode, start seald with
# the default model (SmolLM2-135M-Instruct) on a private socket, and drive it with
# sealctl: status, a chat answer, a passkey-retrieval dataset and its evaluation at
# two context lengths, then a small SEAL round: a short SEAL-C tuning job, base vs
# tuned accuracy on held-out samples of another seed, and the scale set's heatmap.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
# shellcheck source=scripts/private-seald.sh
. scripts/private-seald.sh
private_seald seal-demo
bin=$BIN

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

# The small SEAL round: learn SEAL-C scales (one multiplier per head channel, the strategy that
# lifts this model in docs/results.md) on a few generated samples, then compare the base model with
# the tuned one on held-out samples of a different seed, both with the answer primed as tuning
# trains it. (The full result is docs/results.md, made by scripts/seal-results.sh.)
task=passkey; tokens=1000; eval_tokens=1000
if "$bin/sealctl" plugins list | grep -qw lines; then task=lines; tokens=670; eval_tokens=400; fi
echo "== SEAL tuning: SEAL-C on 20 $task samples of ~$tokens tokens =="
"$bin/sealctl" tune --task "$task" --samples 20 --tokens "$tokens" --seed 1 --strategy channelwise \
  --name "demo-$task-seal-c" --wait
scale=$("$bin/sealctl" --json scales list \
  | python3 -c 'import json,sys; sets=[a for a in json.load(sys.stdin) if a["name"].startswith("demo-")]; print(sorted(sets, key=lambda a: a["created_at"])[-1]["id"])')
heldout=$("$bin/sealctl" --json data create --task "$task" --samples 16 --tokens "$eval_tokens" --seed 2 --prime-answer --wait \
  | python3 -c 'import json,sys; lines=[json.loads(l) for l in sys.stdin if l.strip()]; print(lines[-1]["artifacts"][0])')
echo "== base model on 16 held-out samples (seed 2, ~$eval_tokens tokens) =="
"$bin/sealctl" eval run --dataset "$heldout" --max-tokens 24 --wait
echo "== tuned (scale set $scale) on the same samples =="
"$bin/sealctl" eval run --dataset "$heldout" --scale-set "$scale" --max-tokens 24 --wait
echo "== the learned scales =="
"$bin/sealctl" scales show "$scale" --svg "$work/$scale-heatmap.svg"
echo "heatmap (layer x head): $work/$scale-heatmap.svg"
echo "== results =="
"$bin/sealctl" eval list
