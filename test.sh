#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with the .NET 10 SDK, starts a throwaway
# PostgreSQL on 127.0.0.1:5544, then runs every test project. Any suite that cannot run fails the script.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
[ -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ] || need_apt+=(fonts-liberation2)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
command -v chromium >/dev/null || { echo "chromium is missing and could not be installed" >&2; exit 1; }

# axe-core (the browser suite's accessibility scan), pinned by tests/browser-tools/package-lock.json; never shipped with the app.
log "npm ci (tests/browser-tools)"
npm ci --prefix tests/browser-tools --no-audit --no-fund --loglevel=error

log "PostgreSQL 15 on 127.0.0.1:${ADINTEL_TEST_PG_PORT:-5544}"
. scripts/test-postgres.sh

log "build"
dotnet tool restore >/dev/null
dotnet build AdIntel.sln -c Release -nologo -v q

# The browser suite reads this to fail (not skip) when Chromium is missing.
export ADINTEL_CHROMIUM=/usr/bin/chromium

failed=0
failures=()
total_passed=0
total_failed=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "test $name"
  trx_dir="$root/TestResults/$name"
  rm -rf "$trx_dir" "$trx_dir.log"; mkdir -p "$root/TestResults"
  set +e
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=results.trx" \
    --logger "console;verbosity=normal" --results-directory "$trx_dir" >"$trx_dir.log" 2>&1
  status=$?
  set -e
  tail -n 3 "$trx_dir.log"
  counters=$(grep -o '<Counters [^>]*>' "$trx_dir/results.trx" 2>/dev/null || true)
  attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(attr total); passed=$(attr passed); fails=$(attr failed); skipped=$(attr notExecuted)
  total=${total:-0}; passed=${passed:-0}; fails=${fails:-0}; skipped=${skipped:-0}
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + fails))
  if [ "$status" -ne 0 ] || [ "$total" -eq 0 ] || [ "$skipped" -ne 0 ]; then
    echo "FAILED: $name (exit $status, $total tests, $fails failed, $skipped skipped)"; failed=1
    failures+=("$trx_dir.log")
  else
    echo "ok: $name ($passed passed)"
  fi
done

# The failing tests with their messages, last, where a short CI excerpt shows them.
for log_file in "${failures[@]}"; do
  log "failures in $(basename "$log_file" .log)"
  grep -E -A 14 "^\s*(Failed|Skipped) [A-Za-z]" "$log_file" | grep -v -E "^\s*(at |Stack Trace:|--- End of)" | head -n 80 || true
  grep -E "Build FAILED|error [A-Z]+[0-9]+|Test Run Aborted|The active test run was aborted" "$log_file" | head -n 20 || true
done

echo
echo "$total_passed passed, $total_failed failed"
exit $failed
