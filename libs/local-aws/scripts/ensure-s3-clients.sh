#!/usr/bin/env bash
# Makes sure Debian's AWS CLI v2 (`awscli`) and boto3 (`python3-boto3`) are installed for the local
# engine's S3 client suite (libs/local-aws/tests/clients). .ci/run calls this before npm test; quick when both are there.
# Checks Debian's own paths, not PATH: a pyenv shim named `aws` may be first on PATH and not work.
set -euo pipefail
# shellcheck source=../../../tools/scripts/apt-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../tools/scripts/apt-install.sh"

missing=()
if [[ -n "${IMGPIPE_AWS_CLI:-}" && -x "${IMGPIPE_AWS_CLI}" ]]; then
  echo "s3 clients: using IMGPIPE_AWS_CLI=${IMGPIPE_AWS_CLI}"
elif [[ -x /usr/bin/aws ]] && /usr/bin/aws --version >/dev/null 2>&1; then
  echo "s3 clients: found /usr/bin/aws"
else
  missing+=(awscli)
fi
if /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1; then
  echo "s3 clients: found boto3 for /usr/bin/python3"
else
  missing+=(python3-boto3)
fi
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

apt_install 's3 clients' 'install them (or set IMGPIPE_AWS_CLI)' "${missing[@]}"
