#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests (.ci/run calls this before npm test).
# Installs it with apt-get when it is missing and we are root; otherwise says how to install it.
set -euo pipefail
# shellcheck source=../../../tools/scripts/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/scripts/apt-install.sh"

if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then
  echo "chromium: using CHROMIUM_PATH=${CHROMIUM_PATH}"
  exit 0
fi
for name in chromium chromium-browser; do
  if path="$(command -v "$name" 2>/dev/null)"; then
    echo "chromium: found ${path}"
    exit 0
  fi
done

apt_install chromium 'install Chromium and set CHROMIUM_PATH' chromium
echo "chromium: at $(command -v chromium)"
