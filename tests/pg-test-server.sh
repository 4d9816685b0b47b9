# Starts and stops a throwaway PostgreSQL cluster on 127.0.0.1 for the drill tests.
# Sourced by test.sh and usable on a laptop:  source tests/pg-test-server.sh && pg_test_server_start
# Exports KEYVAULT_TEST_PG (an Npgsql connection string) for the tests; without it those tests skip (fail in CI).

pg_test_server_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    echo "pg-test-server: PostgreSQL is not installed (apt-get install postgresql); drill database tests will not run" >&2
    return 0
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/keyvault-pg.XXXXXX)
  chown postgres "$PG_TEST_DIR" 2>/dev/null || true
  # A free port, so a server a developer already runs is left alone.
  local port=${PG_TEST_PORT:-55432}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  local as=""
  [ "$(id -u)" = "0" ] && as="runuser -u postgres --"
  $as "$bindir/initdb" -D "$PG_TEST_DIR/data" -A trust -U postgres >/dev/null
  $as "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR" -l "$PG_TEST_DIR/log" -w start >/dev/null
  export PG_TEST_BINDIR="$bindir"
  export KEYVAULT_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "pg-test-server: PostgreSQL running on 127.0.0.1:$port" >&2
}

pg_test_server_stop() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    local as=""
    [ "$(id -u)" = "0" ] && as="runuser -u postgres --"
    $as "$PG_TEST_BINDIR/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
