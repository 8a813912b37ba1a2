#!/usr/bin/env bash
# The one command that sets up a fresh Debian machine and runs every check and test.
# Ends with a plain "N passed, N failed" line; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()

step() {
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

bash scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/docker-test-env.sh || { echo "0 passed, 1 failed"; exit 1; }
npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }

step "build" npm run build
# Built once here: the tests' global set-up then skips building the same tree again.
[ "$failed" -eq 0 ] && export FUNSCRIBE_PREBUILT=1
step "lint" npm run lint
step "typecheck" npm run typecheck

# Each test counts once, including those a failed beforeAll, import or global set-up kept from running
# (scripts/count-tests.mjs); vitest's own summary and JSON report leave those out or count them as skipped.
record=.cache/test-outcomes.json
rm -f "$record"
npx vitest run --reporter=default --reporter=./scripts/test-outcomes-reporter.mjs
vitest_rc=$?

if [ -f "$record" ] && counts=$(node scripts/count-tests.mjs "$record"); then
  read -r vpassed vfailed <<<"$counts"
  passed=$((passed + vpassed))
  failed=$((failed + vfailed))
  if [ "$vitest_rc" -ne 0 ] && [ "$vfailed" -eq 0 ]; then failed=$((failed + 1)); failures+=("vitest exit $vitest_rc"); fi
else
  failed=$((failed + 1))
  failures+=("vitest left no outcome record")
fi

if [ ${#failures[@]} -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
