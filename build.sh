#!/usr/bin/env bash
# Datum.Contacts build script. Needs only the .NET 10 SDK; installs and starts the PostgreSQL server its tests
# need by itself (see "PostgreSQL for the tests" below).
#
#   ./build.sh test         build with warnings as errors, run every test, print "N passed, N failed, N skipped"
#   ./build.sh postgres     start a throwaway PostgreSQL 15 server, print its DATUM_CONTACTS_POSTGRES, wait for Ctrl-C
#   ./build.sh build        build everything in Release with warnings as errors
#   ./build.sh quickstart   run the quickstart sample
#   ./build.sh bench [args] run the benchmarks (default: short job, all benchmarks); starts a throwaway PostgreSQL
#                           server for the PostgreSQL benchmarks when DATUM_CONTACTS_POSTGRES is not set
#   ./build.sh bench ef-scale [sizes]
#                           the EF Core store at scale (README, "EF Core store at scale"): every EfScale* benchmark on
#                           SQLite and PostgreSQL at the sizes given (default 100000,1000000), then ef-list-memory
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

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL for the tests. `./build.sh test` hands the tests a server through DATUM_CONTACTS_POSTGRES, an Npgsql
# connection string:
#   1. Already set (a host's or CI's server, whose user may create databases): passed to the tests unchanged; the
#      tests create their own database when it names none, and drop it at the end.
#   2. Otherwise this script runs a throwaway PostgreSQL 15 cluster:
#      - the server binaries of /usr/lib/postgresql/15/bin (or $DATUM_CONTACTS_PG_BIN); when missing, as root,
#        `apt-get install postgresql-15` (falling back to the `postgresql` package), logged to
#        artifacts/postgres/install.log;
#      - `initdb -A trust -U postgres` (locale C.UTF-8, else C) into a fresh mktemp -d, owned by the `postgres` OS
#        user when running as root (pg_ctl refuses root), created as a system user if absent;
#      - `pg_ctl start` listening on 127.0.0.1 only, on the first free port from 55432 up, with its socket in the
#        temp dir and fsync off (the data is thrown away), so it never touches a cluster on 5432;
#      - one empty database per run, datum_contacts_test_<hex>, exported as
#        Host=127.0.0.1;Port=<port>;Database=<db>;Username=postgres;Pooling=true;Maximum Pool Size=50
#      and afterwards (also on failure or Ctrl-C) drops the database, stops the cluster (-m immediate) and removes
#      the temp dir; setup.log and server.log stay in artifacts/postgres. The tests' exit code is kept.
#   3. When no server can be installed or started: with CI=true an error before any test runs; otherwise a warning,
#      DATUM_CONTACTS_POSTGRES stays unset and the PostgreSQL tests fail saying so, by design.
# `./build.sh postgres` starts the same throwaway server alone, prints its export line and runs until Ctrl-C.
# ---------------------------------------------------------------------------------------------------------------
PG_VERSION=15
PG_FIRST_PORT=55432
PG_LOGS="$ROOT/artifacts/postgres"
PG_BIN="" PG_TMP="" PG_DATA="" PG_PORT="" PG_PID="" PG_DB="" PG_LOCALE=""

# Finds initdb, pg_ctl, postgres and psql: in $DATUM_CONTACTS_PG_BIN or version 15's; with "any", in the newest
# installed version too (what the `postgresql` package brings when there is no postgresql-15 to install).
pg_find_bin() {
  local dir candidates=("${DATUM_CONTACTS_PG_BIN:-}" "/usr/lib/postgresql/$PG_VERSION/bin")
  if [ "${1:-}" = any ]; then
    while IFS= read -r dir; do candidates+=("$dir"); done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  fi
  for dir in "${candidates[@]}"; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && [ -x "$dir/psql" ]; then
      PG_BIN="$dir"
      return 0
    fi
  done
  return 1
}

pg_install() {
  local log="$PG_LOGS/install.log"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL $PG_VERSION is not installed, and installing it needs root and apt-get" >&2
    return 1
  fi
  echo "PostgreSQL: installing postgresql-$PG_VERSION with apt-get (log: ${log#"$ROOT"/})"
  local apt=(apt-get -q -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
  {
    "${apt[@]}" update &&
      { DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "postgresql-$PG_VERSION" ||
        DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends postgresql; }
  } >"$log" 2>&1
}

# Runs a server command as the cluster's owner: the postgres OS user when we are root, else ourselves.
pg_as_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    (cd "$PG_TMP" && env LC_ALL=C "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd "$PG_TMP" && runuser -u postgres -- env LC_ALL=C "$@")
  else
    (cd "$PG_TMP" && su -s /bin/bash postgres -c "env LC_ALL=C $(printf '%q ' "$@")")
  fi
}

pg_sql() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$PG_PORT user=postgres dbname=${2:-postgres} connect_timeout=5" -c "$1"
}

pg_port_free() {
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; then
    return 1
  fi
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the throwaway cluster; sets PG_TMP, PG_DATA, PG_PORT and PG_PID.
pg_start() {
  local log="$PG_LOGS/setup.log" locale port _
  PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/datum-contacts-postgres.XXXXXX")" || return 1
  PG_DATA="$PG_TMP/data"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
      useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql --shell /bin/bash postgres >>"$log" 2>&1 || return 1
    fi
    chown postgres: "$PG_TMP" || return 1
  fi
  for locale in C.UTF-8 C; do
    if pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres --encoding=UTF8 --locale="$locale" >>"$log" 2>&1; then
      PG_LOCALE="$locale"
      break
    fi
    rm -rf "$PG_DATA"
  done
  [ -n "$PG_LOCALE" ] || return 1
  port="${DATUM_CONTACTS_PG_PORT:-$PG_FIRST_PORT}"
  for _ in 1 2 3 4 5; do # another process may take the port between the check and the bind
    while ! pg_port_free "$port"; do
      port=$((port + 1))
      [ "$port" -lt $((PG_FIRST_PORT + 200)) ] || return 1
    done
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/server.log" -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >>"$log" 2>&1; then
      PG_PORT="$port"
      break
    fi
    port=$((port + 1))
  done
  [ -n "$PG_PORT" ] || return 1
  PG_PID="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
  for _ in $(seq 30); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 1 && return 0
    sleep 1
  done
  return 1
}

# Whether our postmaster (pid $1) still runs.
pg_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  case "$stat" in
    *"(postgres) Z"*) return 1 ;;
    *"(postgres) "*) return 0 ;;
    *) return 1 ;;
  esac
}

# Drops the database, stops the cluster and removes its temp dir; safe to call again. Prints nothing (the test
# summary stays the last line) except when our server would not stop.
pg_stop() {
  local tmp="$PG_TMP" log="$PG_LOGS/setup.log"
  [ -n "$tmp" ] || return 0
  PG_TMP=""
  if [ -n "$PG_DB" ]; then
    pg_sql "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >>"$log" 2>&1 || true
    PG_DB=""
  fi
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    PG_TMP="$tmp" pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >>"$log" 2>&1 || true
  fi
  if [ -n "$PG_PID" ]; then
    # pg_ctl returns once the pid file is gone, a moment before the postmaster has exited.
    for _ in $(seq 50); do
      pg_alive "$PG_PID" || break
      sleep 0.1
    done
    if pg_alive "$PG_PID"; then
      kill -KILL "$PG_PID" 2>/dev/null || true
      echo "PostgreSQL: killed the test server (pid $PG_PID), which did not stop" >&2
    fi
    PG_PID=""
  fi
  cp "$tmp/server.log" "$PG_LOGS/server.log" 2>/dev/null || true
  rm -rf "$tmp"
}

# Installs if needed, starts the cluster and creates the run's database; on failure cleans up and returns 1.
pg_up() {
  local began=$SECONDS
  mkdir -p "$PG_LOGS"
  : >"$PG_LOGS/setup.log"
  trap 'status=$?; pg_stop || true; exit "$status"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  if ! pg_find_bin; then
    pg_install || true
    if ! pg_find_bin any; then
      echo "PostgreSQL server binaries not found after installing (see ${PG_LOGS#"$ROOT"/}/install.log)" >&2
      return 1
    fi
  fi
  if ! pg_start; then
    echo "PostgreSQL did not start (see ${PG_LOGS#"$ROOT"/}/setup.log and server.log):" >&2
    tail -n 15 "$PG_LOGS/setup.log" "$PG_TMP/server.log" >&2 2>/dev/null || true
    pg_stop
    return 1
  fi
  PG_DB="datum_contacts_test_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  if ! pg_sql "CREATE DATABASE $PG_DB" >>"$PG_LOGS/setup.log" 2>&1; then
    echo "PostgreSQL started but CREATE DATABASE failed (see ${PG_LOGS#"$ROOT"/}/setup.log)" >&2
    PG_DB=""
    pg_stop
    return 1
  fi
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, database $PG_DB (locale $PG_LOCALE, ready in $((SECONDS - began)) s)"
}

# Sets DATUM_CONTACTS_POSTGRES for the test run, as the comment block above says.
provide_postgres() {
  if [ -n "${DATUM_CONTACTS_POSTGRES:-}" ]; then
    echo "PostgreSQL: using the server of DATUM_CONTACTS_POSTGRES as given"
    return 0
  fi
  if pg_up; then
    export DATUM_CONTACTS_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=postgres;Pooling=true;Maximum Pool Size=50"
    return 0
  fi
  unset DATUM_CONTACTS_POSTGRES
  case "${CI:-}" in
    true | TRUE | True | 1)
      echo "error: CI needs a PostgreSQL server for the tests and none could be installed or started; set DATUM_CONTACTS_POSTGRES to use an existing one" >&2
      exit 1
      ;;
  esac
  echo "warning: no PostgreSQL server; the PostgreSQL tests will fail (set DATUM_CONTACTS_POSTGRES to use an existing one)" >&2
}

# ./build.sh postgres: a throwaway server for developers, until Ctrl-C.
postgres_server() {
  pg_up || exit 1
  echo "export DATUM_CONTACTS_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=postgres;Pooling=true;Maximum Pool Size=50'"
  echo "psql: $PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres $PG_DB    (Ctrl-C stops the server and deletes its data)"
  while :; do sleep 1; done
}

test_all() {
  rm -rf "$RESULTS"
  mkdir -p "$RESULTS"
  build
  provide_postgres
  local status=0
  dotnet test Datum.Contacts.sln -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" || status=$?
  pg_stop
  summarize || status=1
  return "$status"
}

# ./build.sh bench [args]: BenchmarkDotNet's arguments (default: every benchmark, short job). When they may select the
# PostgreSQL benchmarks (an argument mentions postgres, or is the filter '*') and DATUM_CONTACTS_POSTGRES is not set,
# a throwaway server is started for the run as for the tests, and stopped afterwards (its data goes with it, so the
# benchmarks load their 1,000,000 contacts again on the next run).
bench() {
  local args=("$@") arg postgres=false status=0
  if [ "${1:-}" = ef-scale ]; then
    # The seeded databases are cached: SQLite files in artifacts/ef-scale, PostgreSQL template databases on the
    # server (kept between runs only when DATUM_CONTACTS_POSTGRES names a server that outlives the run).
    export DATUM_EF_SCALE_SIZES="${2:-100000,1000000}"
    provide_postgres
    dotnet run --project benchmarks/Datum.Contacts.Benchmarks -c Release -- --filter '*EfScale*' || status=$?
    dotnet run --project benchmarks/Datum.Contacts.Benchmarks -c Release -- ef-list-memory || status=$?
    pg_stop
    return "$status"
  fi
  [ "${#args[@]}" -gt 0 ] || args=(--filter '*' --job short)
  for arg in "${args[@]}"; do
    case "$arg" in
      *[Pp]ostgres* | '*') postgres=true ;;
    esac
  done
  [ "$postgres" = false ] || provide_postgres
  dotnet run --project benchmarks/Datum.Contacts.Benchmarks -c Release -- "${args[@]}" || status=$?
  pg_stop
  return "$status"
}

# Sourcing this file (to try its functions) defines them and runs nothing.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return 0
fi

case "${1:-test}" in
  test) test_all ;;
  postgres) postgres_server ;;
  build) build ;;
  quickstart) shift; dotnet run --project samples/Datum.Contacts.Samples.Quickstart -c "$CONFIGURATION" -- "$@" ;;
  bench) shift; bench "$@" ;;
  # Release packages are deterministic: ContinuousIntegrationBuild maps build paths to /_/ in DLLs and PDBs.
  pack) dotnet pack Datum.Contacts.sln -c Release -warnaserror -nologo -o artifacts/packages -p:ContinuousIntegrationBuild=true ;;
  *) echo "usage: $0 {test|build|quickstart|bench|pack|postgres}" >&2; exit 2 ;;
esac
