#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it and `.ci/run` after `npm ci`:
# formatting (one formatter), lint (with the architecture's import rules), type checks, builds and every project's tests
# (the infra's offline Terraform plan and the console's browser tests among them), then the
# reliability suite in its quick mode (`npm run test:reliability` runs it whole).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_TUI=false
npx prettier --check . --log-level warn
npx nx run-many -t lint typecheck build test --output-style=static
RELIABILITY_MODE=quick npx nx run local-stack:test-reliability --output-style=static
