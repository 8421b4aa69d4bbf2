#!/usr/bin/env bash
# What a test run leaves behind. Runs a command (default: `npm test`) with TMPDIR set to a fresh, empty
# directory (Node's os.tmpdir(), and so Jest, Nx, the spawned stacks and their workers, follow it), then
# lists what is left in it, grouped by prefix, and what the run added to the checkout (`git status`).
# Tool caches meant to outlive a run (Jest's `jest_*`, tsx's `tsx-*`) are shown apart and do not count.
# Exits 1 when anything else is left (or when the command fails), 0 when the run left nothing.
#   tools/scripts/test-leftovers.sh                        # the whole npm test
#   tools/scripts/test-leftovers.sh npx nx test local-aws  # any command
# With KEEP_LEFTOVERS=1 the directory is kept for a look (its path is printed); otherwise it is removed.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- npm test

dir=$(mktemp -d "${TMPDIR:-/tmp}/imgpipe-leftovers.XXXXXX")
git status --porcelain --ignored | sort > "$dir.before"
started=$(date +%s)
echo "test-leftovers: TMPDIR=$dir $*" >&2
TMPDIR=$dir "$@"
status=$?
echo "test-leftovers: the command exited with $status after $(($(date +%s) - started)) s" >&2

# One line per entry: its name with the random part mkdtemp adds (the last 6 characters after a
# separator) cut off, so 30 `imgpipe-store-XXXXXX` read as one prefix with a count.
prefixes() { sed -E 's/[-_.][A-Za-z0-9]{6}$//' | sort | uniq -c | sort -rn; }
caches=$(cd "$dir" && ls -A | grep -E '^(jest_[A-Za-z0-9]+|tsx-[0-9]+)$')
left=$(cd "$dir" && ls -A | grep -vE '^(jest_[A-Za-z0-9]+|tsx-[0-9]+)$')
git status --porcelain --ignored | sort | comm -13 "$dir.before" - > "$dir.added"
rm -f "$dir.before"

[ -z "$caches" ] || printf 'tool caches (kept between runs, not counted):\n%s\n' "$(printf '%s\n' "$caches" | prefixes)"
if [ -n "$left" ]; then
  printf 'left in the temp dir:\n%s\n' "$(printf '%s\n' "$left" | prefixes)"
  status=1
fi
# Build outputs the run made (dist/, Nx's cache, .tsbuildinfo) are ignored by git and expected.
if grep -v '^!! ' "$dir.added" > "$dir.untracked"; then
  printf 'added to the checkout (not ignored by git):\n%s\n' "$(cat "$dir.untracked")"
  status=1
fi
ignored=$(grep '^!! ' "$dir.added" | cut -c4- | sed -E 's#^([^/]*/[^/]*/?).*#\1#' | sort | uniq -c)
[ -z "$ignored" ] || printf 'ignored by git, added by the run (build outputs and caches):\n%s\n' "$ignored"
rm -f "$dir.added" "$dir.untracked"

if [ "${KEEP_LEFTOVERS:-}" = 1 ]; then
  echo "test-leftovers: kept $dir" >&2
else
  rm -rf "$dir"
fi
[ $status -ne 0 ] || echo 'test-leftovers: nothing left behind' >&2
exit $status
