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
step "lint" npm run lint
step "typecheck" npm run typecheck

mkdir -p .cache
report=.cache/vitest-report.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_rc=$?

if [ -f "$report" ]; then
  read -r vpassed vfailed < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const failedSuites = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + failedSuites);
  ' "$report")
  passed=$((passed + vpassed))
  failed=$((failed + vfailed))
  if [ "$vitest_rc" -ne 0 ] && [ "$vfailed" -eq 0 ]; then failed=$((failed + 1)); failures+=("vitest exit $vitest_rc"); fi
else
  failed=$((failed + 1))
  failures+=("vitest produced no report")
fi

if [ ${#failures[@]} -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
