#!/usr/bin/env bash
# Roundcube (Debian's 1.6 package) on 127.0.0.1 for the bench's side-by-side comparison (issue 14):
# php-fpm behind nginx, both from this project's own config with all state under the state dir,
# against the bench's mail stack, stopped by their PIDs. Never part of npm test.
# Usage: roundcube.sh install|start|stop|status|check|env
#   ROUNDCUBE_PORT (default 3950), ROUNDCUBE_STATE_DIR (default $PWD/.data/roundcube-bench),
#   ROUNDCUBE_PHP_WORKERS (default 4), ROUNDCUBE_SOURCE_ADDRESS (default 127.0.0.5); the mail
#   stack's env (MAIL_IMAP_URL, MAIL_SMTP_URL, as `mail-stack.sh env` prints it), else 127.0.0.1 on
#   MAIL_IMAP_PORT / MAIL_SMTP_PORT.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: keep '&' literal in ${var//pat/repl}

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/debian-packages.sh
. "$REPO/scripts/lib/debian-packages.sh"
# shellcheck source=../lib/state-dir.sh
. "$REPO/scripts/lib/state-dir.sh"
STATE="$(realpath -m -- "${ROUNDCUBE_STATE_DIR:-$PWD/.data/roundcube-bench}")"
# PHP's workers (www-data) and nginx's (nobody) must walk down to the state dir (scripts/lib/state-dir.sh).
STATE="$(reachable_state_dir "$STATE" letterbox-roundcube)"
PORT="${ROUNDCUBE_PORT:-3950}"
WORKERS="${ROUNDCUBE_PHP_WORKERS:-4}"
# The loopback address Roundcube connects to the mail servers from (config.inc.php.in says why).
SOURCE="${ROUNDCUBE_SOURCE_ADDRESS:-127.0.0.5}"
# roundcube-core pulls PHP, apache2-bin and libapache2-mod-php, but no web server daemon.
PACKAGES=(roundcube-core roundcube-sqlite3 php-cli php-fpm php-sqlite3 nginx)
# Debian's public tree of Roundcube (index.php and symlinks to skins, scripts and plugins) and
# its schema; INSTALL_PATH is /var/lib/roundcube, read only.
PUBLIC=/var/lib/roundcube/public_html
SCHEMA=/usr/share/roundcube/SQL/sqlite.initial.sql
DEFAULTS=/etc/roundcube/defaults.inc.php
USER_CHECK="alice@example.test"
PASS_CHECK="${ROUNDCUBE_CHECK_PASS:-alice-password}"

say() { printf 'roundcube: %s\n' "$*"; }
die() { printf 'roundcube: error: %s\n' "$*" >&2; exit 1; }
require_root() { [ "$(id -u)" = 0 ] || die "this needs root (it installs packages and runs PHP as www-data)"; }

fpm_bin() { find /usr/sbin -maxdepth 1 -name 'php-fpm*' 2>/dev/null | sort -V | tail -n 1; }
nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }
fpm_pid() { recorded_pid "$STATE/php-fpm.pid" '/php-fpm[0-9.]*( \(deleted\))?$'; }
nginx_pid() { recorded_pid "$STATE/nginx.pid" '/nginx( \(deleted\))?$'; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The mail stack's URLs in Roundcube's form: tls:// is STARTTLS on the plain port (what the stack
# offers, RFC 3501 and RFC 3207), ssl:// implicit TLS.
roundcube_host() {
  local url="$1"
  case "$url" in
    imaps://* | smtps://*) printf 'ssl://%s' "${url#*://}" ;;
    *://*) printf 'tls://%s' "${url#*://}" ;;
    *) die "not a mail server URL: $url" ;;
  esac
}
IMAP_HOST="$(roundcube_host "${MAIL_IMAP_URL:-imap://127.0.0.1:${MAIL_IMAP_PORT:-14143}}")"
SMTP_HOST="$(roundcube_host "${MAIL_SMTP_URL:-smtp://127.0.0.1:${MAIL_SMTP_PORT:-14587}}")"

cmd_install() {
  local p absent=0
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || absent=1
  done
  [ "$absent" = 0 ] && return 0
  require_root
  # roundcube-core would have dbconfig-common make and configure a database, and ask about a web
  # server: this Roundcube runs with a database and server of its own (prepare_state).
  debconf-set-selections <<'EOF'
roundcube-core roundcube/dbconfig-install boolean false
roundcube-core roundcube/dbconfig-upgrade boolean false
roundcube-core roundcube/dbconfig-reinstall boolean false
roundcube-core roundcube/database-type select sqlite3
roundcube-core roundcube/reconfigure-webserver multiselect
roundcube-core roundcube/restart-webserver boolean false
EOF
  ensure_debian_packages roundcube "${PACKAGES[@]}" || die "apt-get install failed"
  say "installed: $(dpkg-query -W -f='${Package} ${Version}  ' roundcube-core php-fpm)"
}

# Fills @NAME@ placeholders of a template.
render() {
  local template="$1" out="$2" text
  text="$(<"$template")"
  text="${text//@STATE@/$STATE}"
  text="${text//@PORT@/$PORT}"
  text="${text//@WORKERS@/$WORKERS}"
  text="${text//@IMAP_HOST@/$IMAP_HOST}"
  text="${text//@SMTP_HOST@/$SMTP_HOST}"
  text="${text//@DES_KEY@/$DES_KEY}"
  text="${text//@SOURCE@/$SOURCE}"
  printf '%s\n' "$text" >"$out.tmp"
  mv -f "$out.tmp" "$out"
}

prepare_state() {
  umask 022
  mkdir -p "$STATE"/{config,db,temp,logs,run} "$STATE"/nginx/{client_body,proxy,fastcgi,uwsgi,scgi}
  [ "${#STATE}" -lt 90 ] || die "state dir path too long for a Unix socket ($STATE): set a shorter ROUNDCUBE_STATE_DIR"
  if [ ! -f "$SCHEMA" ] || [ ! -f "$DEFAULTS" ] || [ ! -f "$PUBLIC/index.php" ]; then
    die "Roundcube's files are not where Debian puts them ($SCHEMA, $DEFAULTS, $PUBLIC)"
  fi
  # Roundcube's cookie and session encryption key: random, kept for the state dir's life.
  if [ ! -s "$STATE/des_key" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 >"$STATE/des_key")
  fi
  DES_KEY="$(<"$STATE/des_key")"
  render "$HERE/config.inc.php.in" "$STATE/config/config.inc.php"
  # Debian's defaults and MIME map, read in place (RCUBE_CONFIG_DIR replaces /etc/roundcube whole).
  ln -sfn "$DEFAULTS" "$STATE/config/defaults.inc.php"
  ln -sfn /etc/roundcube/mimetypes.php "$STATE/config/mimetypes.php"
  chown -R root:www-data "$STATE/config"
  chmod 750 "$STATE/config"
  chmod 640 "$STATE/config/config.inc.php"
  render "$HERE/php-fpm.conf.in" "$STATE/php-fpm.conf"
  render "$HERE/nginx.conf.in" "$STATE/nginx.conf"
  # A database of its own, from Roundcube's schema (SQLite needs the folder writable for its journal).
  if [ ! -s "$STATE/db/roundcube.sqlite" ]; then
    # shellcheck disable=SC2016 # PHP's variables, not the shell's
    php -r '$db = new PDO("sqlite:" . $argv[1]); $db->exec(file_get_contents($argv[2])) !== false || exit(1);' \
      "$STATE/db/roundcube.sqlite.tmp" "$SCHEMA" || die "could not create Roundcube's database from $SCHEMA"
    mv -f "$STATE/db/roundcube.sqlite.tmp" "$STATE/db/roundcube.sqlite"
  fi
  chown -R www-data:www-data "$STATE/db" "$STATE/temp" "$STATE/logs"
  chmod 750 "$STATE/db" "$STATE/temp"
  chown -R nobody:nogroup "$STATE/nginx"
}

# The login page answers, and alice can sign in: a redirect to the mail task with an auth cookie.
cmd_check() {
  local base="http://127.0.0.1:$PORT" jar page token headers
  jar="$(mktemp)"
  page="$(curl -fsS -c "$jar" -b "$jar" "$base/?_task=login")" || { rm -f "$jar"; die "no login page at $base (see $STATE/logs)"; }
  token="$(printf '%s' "$page" | sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p' | head -n 1)"
  [ -n "$token" ] || { rm -f "$jar"; die "the login page at $base has no request token (see $STATE/logs)"; }
  headers="$(curl -sS -o /dev/null -D - -c "$jar" -b "$jar" \
    --data-urlencode "_token=$token" --data-urlencode "_task=login" --data-urlencode "_action=login" \
    --data-urlencode "_timezone=UTC" --data-urlencode "_user=$USER_CHECK" --data-urlencode "_pass=$PASS_CHECK" \
    "$base/?_task=login")"
  rm -f "$jar"
  if ! grep -qi '^location:.*_task=mail' <<<"$headers"; then
    tail -n 5 "$STATE/logs/errors.log" 2>/dev/null >&2 || true
    die "signing in as $USER_CHECK failed (is the mail stack up on ${IMAP_HOST#*://}? see $STATE/logs/errors.log)"
  fi
  say "login page answers and $USER_CHECK signs in"
}

cmd_start() {
  cmd_install
  require_root
  local fpm npid ppid i
  ppid="$(fpm_pid || true)"
  npid="$(nginx_pid || true)"
  if [ -n "$ppid" ] && [ -n "$npid" ]; then
    say "already running on http://127.0.0.1:$PORT (php-fpm pid $ppid, nginx pid $npid)"
    return 0
  fi
  if [ -n "$ppid$npid" ]; then
    say "only half of it is running; restarting"
    cmd_stop >/dev/null
  fi
  port_busy "$PORT" && die "port $PORT is already in use (set ROUNDCUBE_PORT)"
  fpm="$(fpm_bin)"
  if [ -z "$fpm" ] || [ ! -x "$fpm" ]; then die "php-fpm not found in /usr/sbin"; fi
  prepare_state

  "$fpm" -t -y "$STATE/php-fpm.conf" >/dev/null 2>&1 || { "$fpm" -t -y "$STATE/php-fpm.conf" >&2 || true; die "php-fpm refused its config ($STATE/php-fpm.conf)"; }
  rm -f "$STATE/php-fpm.pid"
  "$fpm" -y "$STATE/php-fpm.conf" </dev/null >>"$STATE/logs/php-fpm.stderr.log" 2>&1 || die "php-fpm did not start (see $STATE/logs/php-fpm.log)"
  for i in $(seq 1 50); do
    [ -S "$STATE/run/php-fpm.sock" ] && fpm_pid >/dev/null && break
    [ "$i" = 50 ] && die "php-fpm did not open its socket (see $STATE/logs/php-fpm.log)"
    sleep 0.1
  done

  "$(nginx_bin)" -t -q -c "$STATE/nginx.conf" -p "$STATE" -g "error_log $STATE/logs/nginx-error.log;" || die "nginx refused its config ($STATE/nginx.conf)"
  "$(nginx_bin)" -c "$STATE/nginx.conf" -p "$STATE" -g "error_log $STATE/logs/nginx-error.log;" || die "nginx did not start (see $STATE/logs/nginx-error.log)"
  for i in $(seq 1 50); do
    nginx_pid >/dev/null && break
    [ "$i" = 50 ] && die "nginx did not write its PID (see $STATE/logs/nginx-error.log)"
    sleep 0.1
  done
  cmd_check
  say "running on http://127.0.0.1:$PORT: $(server_description) → IMAP $IMAP_HOST from $SOURCE"
  say "state      $STATE"
}

# What serves it, for the bench's output: the package, PHP's SAPI and workers, opcache as FPM reads its ini.
server_description() {
  local fpm
  fpm="$(fpm_bin)"
  printf 'Roundcube %s, nginx + %s (%s static workers, opcache %s)' \
    "$(dpkg-query -W -f='${Version}' roundcube-core 2>/dev/null || echo '?')" "$(basename "${fpm:-php-fpm}")" "$WORKERS" \
    "$("${fpm:-false}" -i 2>/dev/null | sed -n 's/^opcache.enable => \([^ ]*\) => .*/\1/p' | head -n 1 | grep . || echo '?')"
}

stop_pid() {
  local pid="$1" sig="$2"
  kill "-$sig" "$pid" 2>/dev/null || return 0
  wait_pid_gone "$pid" || kill -TERM "$pid" 2>/dev/null || true
  wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  local ppid npid
  npid="$(nginx_pid || true)"
  ppid="$(fpm_pid || true)"
  [ -n "$npid" ] && stop_pid "$npid" QUIT
  # php-fpm's master ends its workers on SIGQUIT (graceful) or SIGTERM.
  [ -n "$ppid" ] && stop_pid "$ppid" QUIT
  rm -f "$STATE/nginx.pid" "$STATE/php-fpm.pid"
  if [ -n "$ppid$npid" ]; then say "stopped"; else say "not running"; fi
}

cmd_status() {
  local ppid npid
  ppid="$(fpm_pid || true)"
  npid="$(nginx_pid || true)"
  if [ -n "$ppid" ] && [ -n "$npid" ]; then
    say "running on http://127.0.0.1:$PORT (php-fpm pid $ppid, nginx pid $npid), state $STATE"
    return 0
  fi
  say "not running${ppid:+ (php-fpm pid $ppid alone)}${npid:+ (nginx pid $npid alone)}"
  return 3
}

shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

cmd_env() {
  echo "export ROUNDCUBE_URL=$(shquote "http://127.0.0.1:$PORT")"
  echo "export ROUNDCUBE_SERVER=$(shquote "$(server_description)")"
  echo "export ROUNDCUBE_STATE_DIR=$(shquote "$STATE")"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  check) cmd_check ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 install|start|stop|status|check|env  (ROUNDCUBE_PORT=$PORT, state $STATE)" >&2
    exit 2
    ;;
esac
