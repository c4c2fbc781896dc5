#!/usr/bin/env bash
# Installs the system packages seal builds against (Debian 12). Needs root or sudo.
set -euo pipefail
sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
packages=(libopenblas-dev libsystemd-dev pkg-config curl systemd gdb)  # gdb: stacks of a hung test (scripts/bounded.sh)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null || { echo "install-deps: the Swift 6 toolchain is needed (swift.org); put it on PATH" >&2; exit 1; }
