#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it and `.ci/run` after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_TUI=false
npx nx run-many -t lint typecheck build test --output-style=static
