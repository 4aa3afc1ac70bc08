#!/usr/bin/env bash
# Install (if missing) and start what the test suite needs: PostgreSQL, headless Chromium, Java 17.
# Source it: it exports NEWSRIGHTS_TEST_PG_URL, NEWSRIGHTS_CHROMIUM and JAVA_HOME for pytest.
# Safe to run again: an already running test cluster is reused.
set -u
NR_SERVICES_DIR=${NR_SERVICES_DIR:-/tmp/newsrights-services}
PG_PORT=${NR_PG_PORT:-55432}
mkdir -p "$NR_SERVICES_DIR"

_apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
    echo "services: cannot install $* (need root and apt-get)" >&2; return 1
  fi
  if [ ! -f "$NR_SERVICES_DIR/.apt-updated" ]; then
    apt-get update -qq >/dev/null 2>&1 && touch "$NR_SERVICES_DIR/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}

# --- PostgreSQL -------------------------------------------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "services: installing PostgreSQL" >&2
  _apt_install postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/postgres" ]; then
  PGDATA="$NR_SERVICES_DIR/pgdata"
  RUNAS=()
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd -r -m postgres
    chown -R postgres "$NR_SERVICES_DIR" 2>/dev/null
    chmod 755 "$NR_SERVICES_DIR"
    RUNAS=(runuser -u postgres --)
  fi
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      "${RUNAS[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$NR_SERVICES_DIR/initdb.log" 2>&1 \
        || "${RUNAS[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >>"$NR_SERVICES_DIR/initdb.log" 2>&1
    fi
    "${RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$NR_SERVICES_DIR/pg.log" -w -t 60 \
      -o "-p $PG_PORT -k $NR_SERVICES_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  for db in newsrights_test; do
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
      || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  done
  export NEWSRIGHTS_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/newsrights_test"
  echo "services: PostgreSQL on 127.0.0.1:$PG_PORT" >&2
else
  echo "services: PostgreSQL not available" >&2
fi

# --- Chromium ---------------------------------------------------------------
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "services: installing Chromium" >&2
  _apt_install chromium
  CHROMIUM=$(command -v chromium || true)
fi
[ -n "$CHROMIUM" ] && export NEWSRIGHTS_CHROMIUM="$CHROMIUM" && echo "services: Chromium at $CHROMIUM" >&2

# --- CJK font (evidence comparison PDFs) ---------------------------------------
source "$(dirname "${BASH_SOURCE[0]}")/font.sh"

# --- Java (for Spark local mode) ---------------------------------------------
if ! command -v java >/dev/null; then
  echo "services: installing Java" >&2
  _apt_install openjdk-17-jre-headless
fi
if command -v java >/dev/null; then
  JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
  export JAVA_HOME
  echo "services: Java at $JAVA_HOME" >&2
fi
