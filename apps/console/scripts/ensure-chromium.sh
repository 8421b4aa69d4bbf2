#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests (.ci/run calls this before npm test).
# Installs it with apt-get when it is missing and we are root; otherwise says how to install it.
set -euo pipefail

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

if [[ "$(id -u)" -ne 0 ]]; then
  echo "chromium: not installed; as root run: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not installed and apt-get is not available; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi

echo "chromium: installing Debian's chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "chromium: installed $(command -v chromium)"
