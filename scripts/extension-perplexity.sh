#!/usr/bin/env bash
# Perplexity past the trained window, per context-extension method: the default model on a long
# text every Debian machine has (GPL-2, LGPL-2.1 and GPL-3 from /usr/share/common-licenses, one
# after the other: about 17,500 tokens), one chunk of CONTEXT tokens scored on its second half
# as llama.cpp's perplexity tool does, so every scored token sees at least CONTEXT/2 tokens.
# Plain RoPE with the window lifted shows what happens past the window without a method; each
# method's row shows how well it holds the model there. Prints a Markdown table with the wall
# and CPU time of each row.
#
#   scripts/extension-perplexity.sh                 # builds seal-run (release) first
#   BIN=.build/release CONTEXT=16384 nice -n 10 scripts/extension-perplexity.sh
#
# Environment: BIN (where seal-run and the plugins are), CONTEXT (16384), THREADS (OpenBLAS
# threads, 1), METHODS (space-separated: `lift-window`, `none` (plain RoPE at WINDOW_CONTEXT
# tokens, inside the window), or `plugin[:k=v,k=v]`).
set -euo pipefail
cd "$(dirname "$0")/.."
context=${CONTEXT:-16384}; threads=${THREADS:-1}
methods=${METHODS:-"none lift-window linear ntk yarn self-extend:group=4,window=1024 self-extend:group=8,window=512"}
window_context=${WINDOW_CONTEXT:-8192}
if [ -z "${BIN:-}" ]; then
  scripts/fetch-models.sh
  swift build -c release --product seal-run
  BIN="$(swift build -c release --show-bin-path)"
fi
text="$(mktemp /tmp/extension-perplexity.XXXXXX.txt)"
trap 'rm -f "$text"' EXIT
for licence in GPL-2 LGPL-2.1 GPL-3; do cat "/usr/share/common-licenses/$licence"; echo; done > "$text"

python3 Tools/bench/extension_perplexity.py --bin "$BIN" --text "$text" --context "$context" \
  --window-context "$window_context" --threads "$threads" $methods
