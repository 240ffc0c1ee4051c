#!/usr/bin/env bash
# Single-node KRaft Apache Kafka 3.9 for local development and tests, no Docker needed.
#   deploy/kafka.sh start|stop|status
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA (<repo>/.stack/kafka),
#      KAFKA_HEAP_OPTS (-Xms256m -Xmx512m), KAFKA_START_TIMEOUT (60 s), KAFKA_STOP_TIMEOUT (30 s).
# Broker jars come from Maven Central via deploy/kafka/pom.xml into deploy/kafka/lib (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CTRL="${KAFKA_CONTROLLER_PORT:-9093}"
DATA="${KAFKA_DATA:-$REPO/.stack/kafka}"
HEAP="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
LIB="$REPO/deploy/kafka/lib"
PIDFILE="$DATA/kafka.pid"
OUT="$DATA/kafka.out"        # JVM stdout/stderr (errors only, see log4j.properties)
LOG="$DATA/server.log"       # broker log
CONF="$DATA/server.properties"
LOGDIR="$DATA/data"

log() { echo "kafka.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  # Prints the broker pid if the pid file names a live kafka.Kafka process.
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

fetch_jars() {
  if compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIB/slf4j-reload4j-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed once to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { log "a JDK/JRE 17+ (java) is needed"; exit 1; }
  log "fetching Kafka broker jars from Maven Central into deploy/kafka/lib ..."
  mvn -q -B -f "$REPO/deploy/kafka/pom.xml" dependency:copy-dependencies
}

write_config() {
  mkdir -p "$DATA" "$LOGDIR"
  cat >"$CONF" <<PROPS
# Written by deploy/kafka.sh; edits are overwritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CTRL
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CTRL
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$LOGDIR
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Accept oversized events (up to 8 MiB) so intake can reject them with a precise reason
# instead of the producer failing; intake itself caps events at MAX_MESSAGE_BYTES (1 MB).
message.max.bytes=8388608
log.retention.hours=168
PROPS
}

format_storage() {
  if [[ -f "$LOGDIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  cluster_id="$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  log "formatting $LOGDIR (cluster id $cluster_id)"
  java -cp "$LIB/*" -Dlog4j.configuration="file:$REPO/deploy/kafka/log4j.properties" \
    -Dkafka.logs.dir="$DATA" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" >>"$OUT" 2>&1 \
    || { log "storage format failed:"; tail -n 30 "$OUT" >&2; exit 1; }
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$PORT"
    return 0
  fi
  for p in "$PORT" "$CTRL"; do
    if port_open "$p"; then
      log "port $p is already in use by another process:"; ss -ltnp "sport = :$p" >&2 || true
      exit 1
    fi
  done
  fetch_jars
  write_config
  format_storage
  local t0=$SECONDS
  : >"$OUT"
  # setsid: own session, so a Ctrl-C in the calling terminal does not hit the broker directly.
  # shellcheck disable=SC2086
  setsid nohup java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dkafka.logs.dir="$DATA" \
    -Dlog4j.configuration="file:$REPO/deploy/kafka/log4j.properties" \
    -cp "$LIB/*" kafka.Kafka "$CONF" >>"$OUT" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  # Ready = the broker logged its start-up completion and the listener accepts connections.
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during start-up; last lines of $OUT and $LOG:"
      tail -n 30 "$OUT" >&2 || true; tail -n 40 "$LOG" >&2 || true
      rm -f "$PIDFILE"; exit 1
    fi
    if grep -q 'Kafka Server started' "$LOG" 2>/dev/null && port_open "$PORT"; then
      break
    fi
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      log "broker not ready after ${START_TIMEOUT}s; last lines of $LOG:"
      tail -n 40 "$LOG" >&2 || true; tail -n 20 "$OUT" >&2 || true
      stop || true
      exit 1
    fi
    sleep 0.2
  done
  log "started (pid $pid) on 127.0.0.1:$PORT in $((SECONDS - t0))s; data $DATA, log $LOG"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    if port_open "$PORT"; then
      log "not started by this script, but something listens on $PORT:"; ss -ltnp "sport = :$PORT" >&2 || true
      return 1
    fi
    log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= STOP_TIMEOUT )); then
      log "no exit after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  local n=0
  while port_open "$PORT" || port_open "$CTRL"; do
    (( n++ >= 25 )) && { log "ports $PORT/$CTRL still open after stop"; return 1; }
    sleep 0.2
  done
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)" && port_open "$PORT"; then
    echo "kafka: running (pid $pid) on 127.0.0.1:$PORT, data $DATA"
  else
    echo "kafka: not running (127.0.0.1:$PORT)"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
