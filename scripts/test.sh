#!/usr/bin/env bash
# The whole suite: type-check, lint, build, unit + integration (Vitest), e2e (Playwright).
# Playwright runs last so the output ends with its own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"; npm run -s typecheck
echo "== lint"; npm run -s lint
echo "== build"; npm run -s build
scripts/with-keyring.sh bash -c '
  set -e
  echo "== vitest (unit + integration)"; npx vitest run
  echo "== playwright (e2e)"; npx playwright test
'
