#!/usr/bin/env bash
# Runs the demo-store tests (demo generator, planner, metrics, rules, reports, pages) with the apps' clock pinned to each given
# day, or to the calendar sweep's days when none is given:
#   scripts/test-on-date.sh                 # every day of the sweep
#   scripts/test-on-date.sh 2028-02-29      # one day
# Uses ADINTEL_TEST_POSTGRES when set, else starts a throwaway PostgreSQL like test.sh (run as root).
# Tests that talk to the Shopify and Meta fakes check real timestamps, so they are not part of this run.
set -euo pipefail
cd "$(dirname "$0")/.."

days=("$@")
if [ ${#days[@]} -eq 0 ]; then
  days=("$(TZ=America/New_York date +%F)" 2028-02-29 2027-03-14 2027-11-07 2026-11-27 2026-12-24 2027-01-01 2027-02-03 2027-01-05)
fi
if [ -z "${ADINTEL_TEST_POSTGRES:-}" ]; then
  . scripts/test-postgres.sh
fi

dotnet build tests/AdIntel.Web.Tests -c Release -nologo -v q
filter="FullyQualifiedName~AdIntel.Web.Tests.Demo.|FullyQualifiedName~AdIntel.Web.Tests.Brain.|FullyQualifiedName~AdIntel.Web.Tests.Metrics.|FullyQualifiedName~AdIntel.Web.Tests.Rules.|FullyQualifiedName~AdIntel.Web.Tests.Reports.|FullyQualifiedName~AdIntel.Web.Tests.Pages."
failed=()
for day in "${days[@]}"; do
  printf '\n== demo-store tests as of %s\n' "$day"
  if ! ADINTEL_TEST_TODAY=$day dotnet test tests/AdIntel.Web.Tests -c Release --no-build -nologo --filter "$filter"; then
    failed+=("$day")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED on: ${failed[*]}"
  exit 1
fi
echo "passed on: ${days[*]}"
