#!/usr/bin/env bash
# Runs every test of the solution (unit, component and end-to-end) and ends with "N passed, N failed".
# Installs what the tests need when it is missing: Debian's chromium for the Playwright tests, and Debian's ffmpeg
# (ffprobe and ffmpeg) for media processing, the sqlite3 shell (the database must stay usable from it), and Debian's
# postgresql server, of which the tests start a private cluster (scripts/test-services.sh), stopped at the end whatever happens;
# nodejs and npm, which install and run s3rver, the local S3-compatible server the storage tests use (same script).
# The unit tests run twice: on SQLite, then on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages the tests need: ${missing[*]}"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "Could not install ${missing[*]}. Install them as root ('apt-get install -y ${missing[*]}') and run ./test.sh again."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

services=$(mktemp -d /tmp/vodconsole-services-XXXXXX)
stop_services() { scripts/test-services.sh stop "$services"; rm -rf "$services"; }
trap stop_services EXIT
if ! service_exports=$(scripts/test-services.sh start "$services"); then
  echo "Could not start the servers the tests need (see above)."
  echo "0 passed, 1 failed"
  exit 1
fi
eval "$service_exports"

results="$PWD/TestResults"
rm -rf "$results"
dotnet test --solution VodConsole.sln --report-trx --results-directory "$results" --filter-not-trait "Database=PostgresOnly" "$@"
status=$?
# The unit tests again on PostgreSQL (each console gets a database of its own on the private cluster), all but the few
# about SQLite itself (its shell, file and PRAGMAs: the SqliteOnly trait). Their own TRX file, so both runs count below.
VODCONSOLE_TEST_DATABASE=Postgres dotnet test --project tests/VodConsole.Tests --no-build --report-trx \
  --report-trx-filename VodConsole.Tests.Postgres.trx --results-directory "$results" --filter-not-trait "Database=SqliteOnly" "$@"
postgres_status=$?
[ "$status" -ne 0 ] || status=$postgres_status

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$failed" -gt 0 ]; then
  # The servers' logs above can push a failure's details out of a CI excerpt: name each failed test again, last.
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    awk -v run="$(basename "$trx" .trx)" 'BEGIN { RS = "<UnitTestResult " }
      # Only a result whose own tag says Failed (the run summary after the last result says so too).
      substr($0, 1, index($0, ">")) ~ /outcome="Failed"/ {
        match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11)
        message = ""; if (match($0, /<Message>[^<]*/)) message = substr($0, RSTART + 9, RLENGTH - 9)
        gsub(/&lt;/, "<", message); gsub(/&gt;/, ">", message); gsub(/&quot;/, "\"", message); gsub(/&apos;/, "\047", message); gsub(/&amp;/, "\\&", message)
        print "  " name " (" run ")"
        lines = split(message, line, "\n"); for (i = 1; i <= lines && i <= 12; i++) print "      " line[i]
      }' "$trx"
  done
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status (a build error, or a test host that crashed): see above."
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
