#!/usr/bin/env bash
# The whole suite: type-check, lint, build, unit + integration (Vitest), e2e (Playwright).
# Every stage runs even when an earlier one failed, so one run shows every problem; a failed
# stage is announced as it fails (before the next stage starts), and the exit code is non-zero
# if any stage failed. Playwright runs last, so the output ends with its own summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
stage() {
  local name=$1
  shift
  echo "== $name"
  "$@"
  local code=$?
  if [ "$code" -ne 0 ]; then
    failed+=("$name")
    echo "!! $name failed (exit $code); the other stages still run, and npm test will exit non-zero."
  fi
}

stage typecheck npm run -s typecheck
stage lint npm run -s lint
stage build npm run -s build

# Vitest and Playwright share one private D-Bus session with a throwaway, unlocked keyring.
# The inner script reports which of the two failed through its exit code (100 + bit 1 for
# vitest, bit 2 for playwright), so each is named here; any other code is the session's own.
scripts/with-keyring.sh bash -c '
  code=0
  echo "== vitest (unit + integration)"
  npx vitest run || { code=$((code | 1)); echo "!! vitest failed; the e2e stage still runs, and npm test will exit non-zero."; }
  echo "== playwright (e2e)"
  npx playwright test || code=$((code | 2))
  [ $code -eq 0 ] || exit $((100 + code))
'
code=$?
if [ "$code" -ge 100 ] && [ "$code" -le 103 ]; then
  [ $(((code - 100) & 1)) -ne 0 ] && failed+=("vitest")
  [ $(((code - 100) & 2)) -ne 0 ] && failed+=("playwright")
elif [ "$code" -ne 0 ]; then
  failed+=("keyring session")
  echo "!! the private keyring session could not run the tests (exit $code): see the message above."
fi

# Nothing is printed after Playwright's summary: the failures were announced above.
[ ${#failed[@]} -eq 0 ]
