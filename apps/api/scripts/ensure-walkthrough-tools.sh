#!/usr/bin/env bash
# Makes sure curl, jq and zsh are installed: README's curl walkthrough of the image API uses curl and jq,
# and its test (apps/api/tests/readme-walkthrough.spec.ts) runs the walkthrough as written, its polling
# step in bash and in zsh (the block is meant to be pasted into either).
# .ci/run calls this before npm test; quick when all are there.
set -euo pipefail
# shellcheck source=../../../tools/scripts/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/scripts/apt-install.sh"

missing=()
for tool in curl jq zsh; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "walkthrough tools: found $tool"
  else
    missing+=("$tool")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

apt_install 'walkthrough tools' 'install them' "${missing[@]}"
