#!/usr/bin/env bash
# The test command: installs what the tests need, fetches the models, runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/fetch-models.sh
swift build --build-tests
swift test --skip-build
