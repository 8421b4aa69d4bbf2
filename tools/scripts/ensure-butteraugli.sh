#!/usr/bin/env bash
# Makes sure Debian's butteraugli (Google's perceptual image distance) is installed: the image
# library's quality gate (libs/image/tests/quality-gate.spec.ts) and the bench's quality column use
# it. `.ci/run` calls this before `npm test`. Installs it with apt-get when missing and we are root.
set -euo pipefail
# shellcheck source=./apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

if path="$(command -v "${IMGPIPE_BUTTERAUGLI:-butteraugli}" 2>/dev/null)"; then
  echo "butteraugli: found ${path}"
  exit 0
fi
apt_install butteraugli 'install butteraugli and set IMGPIPE_BUTTERAUGLI' butteraugli
echo "butteraugli: at $(command -v butteraugli)"
