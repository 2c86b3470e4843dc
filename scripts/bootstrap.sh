#!/usr/bin/env bash
# Fresh machine to running app: system packages, npm dependencies, then `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=$(grep -v '^#' scripts/system-packages.txt | tr '\n' ' ')
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing system packages: $packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $packages >/dev/null
else
  echo "Not a Debian/Ubuntu machine: install the equivalents of these packages yourself: $packages"
fi
ELECTRON_SKIP_BINARY_DOWNLOAD=${ELECTRON_SKIP_BINARY_DOWNLOAD:-1} npm ci --no-audit --no-fund
exec npm start -- "$@"
