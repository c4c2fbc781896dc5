#!/usr/bin/env bash
# The test command: installs what the tests need, fetches the models, builds, and
# runs the suites in three groups (unit and numerics; the HTTP server; the real
# daemon end to end), so timing-sensitive server tests never share the two cores
# with a running model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
python3 -m pip install --quiet "openapi-spec-validator==0.9.0" 2>/dev/null || true
python3 -m pip install --quiet -r Tools/reference/requirements.txt  # gguf/tokenizers/numpy: the merged-export check
swift build --build-tests
swift test --skip-build --filter "SealFormatsTests|SealTokenizerTests|SealModelTests|SealGenerationTests|SealPluginsTests|SealConfigTests|SealServiceTests|SealTuningTests|SealctlTests"
swift test --skip-build --filter "SealServerTests"
swift test --skip-build --filter "SealEndToEndTests"
