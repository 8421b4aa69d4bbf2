#!/usr/bin/env bash
# Makes sure Debian's butteraugli (Google's perceptual image distance) is installed: the image
# library's quality gate (libs/image/tests/quality-gate.spec.ts) and the bench's quality column use
# it. `.ci/run` calls this before `npm test`. Installs it with apt-get when missing and we are root.
set -euo pipefail

if path="$(command -v "${IMGPIPE_BUTTERAUGLI:-butteraugli}" 2>/dev/null)"; then
  echo "butteraugli: found ${path}"
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "butteraugli: not installed; as root run: apt-get update && apt-get install -y butteraugli" >&2
  exit 1
fi
echo "butteraugli: installing Debian's butteraugli with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq butteraugli >/dev/null
echo "butteraugli: installed $(command -v butteraugli)"
