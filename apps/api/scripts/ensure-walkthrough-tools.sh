#!/usr/bin/env bash
# Makes sure curl and jq are installed: README's curl walkthrough of the image API uses both, and its
# test (apps/api/tests/readme-walkthrough.spec.ts) runs the walkthrough as written.
# .ci/run calls this before npm test; quick when both are there.
set -euo pipefail

missing=()
for tool in curl jq; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "walkthrough tools: found $tool"
  else
    missing+=("$tool")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "walkthrough tools: missing ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "walkthrough tools: missing ${missing[*]} and apt-get is not available; install them" >&2
  exit 1
fi
echo "walkthrough tools: installing Debian's ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "walkthrough tools: installed ${missing[*]}"
