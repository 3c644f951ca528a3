#!/usr/bin/env bash
# Debian's nginx on 127.0.0.1 as a round-robin load balancer in front of app instances, from this
# project's own config, stopped by its PID.
# Usage: nginx.sh install|start|stop|status
#   NGINX_PORT (default 18080), NGINX_UPSTREAMS ("127.0.0.1:3101 127.0.0.1:3102" by default)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/debian-packages.sh
. "$REPO/scripts/lib/debian-packages.sh"
PORT="${NGINX_PORT:-18080}"
UPSTREAMS="${NGINX_UPSTREAMS:-127.0.0.1:3101 127.0.0.1:3102}"
# nginx's workers run as nobody and write request bodies under the state folder, so it lives where
# nobody can reach it, not under a private home directory.
STATE="/var/tmp/letterbox-nginx-$PORT"

say() { printf 'nginx: %s\n' "$*"; }
die() { printf 'nginx: error: %s\n' "$*" >&2; exit 1; }
nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }
nginx_pid() { recorded_pid "$STATE/nginx.pid" '/nginx( \(deleted\))?$'; }

cmd_start() {
  ensure_debian_packages nginx nginx || die "could not install nginx"
  if nginx_pid >/dev/null; then cmd_stop >/dev/null; fi
  mkdir -p "$STATE"/{client_body,proxy,fastcgi,uwsgi,scgi}
  chown -R nobody:nogroup "$STATE"/{client_body,proxy,fastcgi,uwsgi,scgi}
  local servers="" u
  for u in $UPSTREAMS; do servers+="    server $u max_fails=1 fail_timeout=10s;"$'\n'; done
  local conf="$STATE/nginx.conf"
  sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$STATE|g" "$HERE/nginx.conf.in" | awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' >"$conf"
  "$(nginx_bin)" -t -q -c "$conf" -p "$STATE" -g "error_log $STATE/error.log;" || die "nginx refused the config ($conf)"
  "$(nginx_bin)" -c "$conf" -p "$STATE" -g "error_log $STATE/error.log;" || die "nginx did not start (see $STATE/error.log)"
  local i
  for i in $(seq 1 50); do
    if nginx_pid >/dev/null; then say "running on 127.0.0.1:$PORT → $UPSTREAMS (pid $(nginx_pid))"; return 0; fi
    sleep 0.1
  done
  die "nginx did not write its PID (see $STATE/error.log)"
}

cmd_stop() {
  local pid
  pid="$(nginx_pid || true)"
  [ -n "$pid" ] || { say "not running"; return 0; }
  kill -QUIT "$pid"
  wait_pid_gone "$pid" || kill -TERM "$pid" 2>/dev/null || true
  wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STATE/nginx.pid"
  say "stopped"
}

case "${1:-}" in
  install) ensure_debian_packages nginx nginx || die "could not install nginx" ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) if pid="$(nginx_pid)"; then say "running on 127.0.0.1:$PORT (pid $pid)"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status  (NGINX_PORT=$PORT)" >&2; exit 2 ;;
esac
