#!/usr/bin/env bash
# Datum.Contacts build script. Needs only the .NET 10 SDK (and, once store adapters that use a server land,
# installs and starts what their tests need by itself).
#
#   ./build.sh test         build with warnings as errors, run every test, print "N passed, N failed, N skipped"
#   ./build.sh build        build everything in Release with warnings as errors
#   ./build.sh quickstart   run the quickstart sample
#   ./build.sh bench [args] run the benchmarks (default: short job, all benchmarks)
#   ./build.sh pack         create the NuGet packages in artifacts/packages
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$ROOT/artifacts/test-results"

build() {
  dotnet build Datum.Contacts.sln -c "$CONFIGURATION" -warnaserror -nologo -v:minimal
}

# Sums the counters of every TRX file into one line: "N passed, N failed, N skipped".
summarize() {
  local passed=0 failed=0 skipped=0 counters value
  shopt -s nullglob
  local files=("$RESULTS"/*.trx)
  shopt -u nullglob
  for file in "${files[@]}"; do
    counters="$(grep -o '<Counters [^>]*>' "$file" || true)"
    [ -n "$counters" ] || continue
    local total=0 executed=0
    for attr in total executed passed failed error timeout aborted; do
      value="$(sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p" <<<"$counters")"
      value="${value:-0}"
      case "$attr" in
        total) total=$value ;;
        executed) executed=$value ;;
        passed) passed=$((passed + value)) ;;
        *) failed=$((failed + value)) ;;
      esac
    done
    # xunit reports skipped tests as neither executed nor failed.
    skipped=$((skipped + total - executed))
  done
  if [ "${#files[@]}" -eq 0 ]; then
    echo "no test results were written to $RESULTS" >&2
    failed=$((failed + 1))
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

test_all() {
  rm -rf "$RESULTS"
  mkdir -p "$RESULTS"
  build
  local status=0
  dotnet test Datum.Contacts.sln -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" || status=$?
  summarize || status=1
  return "$status"
}

case "${1:-test}" in
  test) test_all ;;
  build) build ;;
  quickstart) shift; dotnet run --project samples/Datum.Contacts.Samples.Quickstart -c "$CONFIGURATION" -- "$@" ;;
  bench) shift; dotnet run --project benchmarks/Datum.Contacts.Benchmarks -c Release -- "${@:---filter * --job short}" ;;
  pack) dotnet pack Datum.Contacts.sln -c Release -warnaserror -nologo -o artifacts/packages ;;
  *) echo "usage: $0 {test|build|quickstart|bench|pack}" >&2; exit 2 ;;
esac
