#!/bin/sh
# Generates sealctl's reference documentation from its ArgumentParser definitions:
#   docs/man/sealctl*.1         man pages, one per command (generate-manual from swift-argument-parser)
#   docs/completions/sealctl.*  bash, zsh and fish completion scripts
# Works offline. Run it after changing sealctl's commands and commit the output.
#
# This runs the argument-parser `generate-manual` tool directly on the built sealctl, which is what
# `swift package plugin generate-manual` does, except that the plugin first builds every product
# of the package (seald, the plugins, ...) and documents every ArgumentParser tool.
set -eu
cd "$(dirname "$0")/.."

scratch=${SEAL_SCRATCH_PATH:-.build-cli}
# A fixed date keeps the pages reproducible: the last commit's, unless SOURCE_DATE_EPOCH says otherwise.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
date=$(date -u -d "@$epoch" +%Y-%m-%d 2>/dev/null || date -u -r "$epoch" +%Y-%m-%d)

swift build --scratch-path "$scratch" --product sealctl
swift build --scratch-path "$scratch" --product generate-manual
bin=$(swift build --scratch-path "$scratch" --show-bin-path)

rm -rf docs/man docs/completions
mkdir -p docs/man docs/completions
"$bin/generate-manual" "$bin/sealctl" --multi-page --section 1 --date "$date" \
    --authors "The seal authors" --output-directory docs/man
for shell in bash zsh fish; do
    "$bin/sealctl" --generate-completion-script "$shell" > "docs/completions/sealctl.$shell"
done
echo "wrote $(ls docs/man | wc -l) man pages to docs/man and completions to docs/completions"
