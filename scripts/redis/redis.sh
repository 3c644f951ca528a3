#!/usr/bin/env bash
# Debian's redis-server on 127.0.0.1, from this project's own config, stopped by its PID.
# Usage: redis.sh install|start|stop|reset|status|env   (REDIS_PORT, default 16379; REDIS_STATE_DIR, default .data/redis)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/debian-packages.sh
. "$REPO/scripts/lib/debian-packages.sh"
PORT="${REDIS_PORT:-16379}"
STATE="$(realpath -m -- "${REDIS_STATE_DIR:-$REPO/.data/redis-$PORT}")"

say() { printf 'redis: %s\n' "$*"; }
die() { printf 'redis: error: %s\n' "$*" >&2; exit 1; }
server_bin() { command -v redis-server 2>/dev/null || echo /usr/bin/redis-server; }
redis_pid() { recorded_pid "$STATE/redis.pid" '/redis-(server|check-rdb)( \(deleted\))?$'; }

# Answers PING on our port: the server we started is ready (a test waits for this, not a sleep).
ping() {
  node -e '
    const s = require("net").connect(+process.argv[1], "127.0.0.1");
    s.setTimeout(1000, () => process.exit(1));
    s.on("error", () => process.exit(1));
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1));
  ' "$PORT"
}

cmd_start() {
  ensure_debian_packages redis redis-server || die "could not install redis-server"
  if redis_pid >/dev/null; then say "already running on 127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$STATE"
  sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$STATE|g" "$HERE/redis.conf.in" >"$STATE/redis.conf"
  rm -f "$STATE/redis.pid"
  "$(server_bin)" "$STATE/redis.conf" || die "redis-server did not start (see $STATE/redis.log)"
  local i
  for i in $(seq 1 100); do
    if ping 2>/dev/null && redis_pid >/dev/null; then say "running on 127.0.0.1:$PORT (pid $(redis_pid))"; return 0; fi
    sleep 0.1
  done
  tail -n 20 "$STATE/redis.log" >&2 || true
  die "redis-server did not answer on 127.0.0.1:$PORT"
}

cmd_stop() {
  local pid
  pid="$(redis_pid || true)"
  [ -n "$pid" ] || { say "not running"; return 0; }
  kill -TERM "$pid"
  wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STATE/redis.pid"
  say "stopped"
}

case "${1:-}" in
  install) ensure_debian_packages redis redis-server || die "could not install redis-server" ;;
  start) cmd_start ;;
  reset) cmd_stop >/dev/null; rm -rf -- "$STATE"; say "state removed" ;;
  stop) cmd_stop ;;
  status) if pid="$(redis_pid)"; then say "running on 127.0.0.1:$PORT (pid $pid)"; else say "not running"; exit 1; fi ;;
  env) printf 'export LETTERBOX_REDIS_URL=%q\n' "redis://127.0.0.1:$PORT/0" ;;
  *) echo "usage: $0 install|start|stop|reset|status|env  (REDIS_PORT=$PORT)" >&2; exit 2 ;;
esac
