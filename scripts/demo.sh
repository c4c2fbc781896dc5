#!/usr/bin/env bash
# The main job, as far as it exists: build seal in release mode and let the
# default model (SmolLM2-135M-Instruct) answer a question and continue a prompt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
swift build -c release --product seal-run
bin="$(swift build -c release --show-bin-path)/seal-run"
echo "== chat (greedy) =="
"$bin" generate --chat "What is the capital of Germany? Answer in one sentence." --temperature 0 --max-tokens 48 --verbose
echo "== completion (sampled, seed 7) =="
"$bin" generate --prompt "The three most useful things to know about Linux services are" --max-tokens 64 --seed 7 --verbose
