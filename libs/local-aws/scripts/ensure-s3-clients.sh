#!/usr/bin/env bash
# Makes sure Debian's AWS CLI v2 (`awscli`) and boto3 (`python3-boto3`) are installed for the local
# engine's S3 client suite (libs/local-aws/tests/clients). .ci/run calls this before npm test; quick when both are there.
# Checks Debian's own paths, not PATH: a pyenv shim named `aws` may be first on PATH and not work.
set -euo pipefail

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

if [[ "$(id -u)" -ne 0 ]]; then
  echo "s3 clients: missing ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "s3 clients: missing ${missing[*]} and apt-get is not available; install them (or set IMGPIPE_AWS_CLI)" >&2
  exit 1
fi
echo "s3 clients: installing Debian's ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "s3 clients: installed ${missing[*]}"
