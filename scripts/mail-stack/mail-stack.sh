#!/usr/bin/env bash
# Letterbox local mail stack: Dovecot (IMAP + POP3 + LMTP + SASL) and Postfix (submission) on 127.0.0.1,
# run from this project's own config templates with all state under $MAIL_STATE_DIR.
# Usage: mail-stack.sh install|start|stop|status|reset|seed|fill|env — see README.md beside this file.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: keep '&' literal in ${var//pat/repl}

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# Installing Debian packages without starting their daemons, and trusting a recorded PID: shared
# with scripts/redis and scripts/nginx.
# shellcheck source=../lib/debian-packages.sh
. "$REPO/scripts/lib/debian-packages.sh"
# shellcheck source=../lib/state-dir.sh
. "$REPO/scripts/lib/state-dir.sh"
STATE="$(realpath -m -- "${MAIL_STATE_DIR:-$REPO/.data/mail}")"

# The daemons' unprivileged users must be able to walk down to the state dir (scripts/lib/state-dir.sh).
STATE="$(reachable_state_dir "$STATE" letterbox)"
IMAP_PORT="${MAIL_IMAP_PORT:-14143}"
SMTP_PORT="${MAIL_SMTP_PORT:-14587}"
# POP3 with STLS (RFC 2595) and POP3S (implicit TLS): the source mailboxes of POP3 fetching (issue 12).
POP3_PORT="${MAIL_POP3_PORT:-14110}"
POP3S_PORT="${MAIL_POP3S_PORT:-14995}"
TEST_MODE="${MAIL_TEST_MODE:-0}"
DOMAIN="example.test"
# Demo accounts: login (full address) and password. Documented in README.md.
# dave's mailbox is the demo's POP3 source: alice fetches it over POP3 into a folder of her own.
# erin is for e2e/two-instances.spec.ts alone, so its connections never meet the suite's others.
# frank is for the live-updates tests alone: mail is delivered to him while tabs watch his Inbox.
# iris is for e2e/hostile.spec.ts alone: it runs beside the rest of the suite, so it shares no
# mailbox and no per-user connection limit with the other specs.
# hana's server looks like Courier's or Cyrus's: her personal namespace (RFC 2342) is "INBOX." with
# "." as delimiter, so every folder is INBOX.Something (tests/integration/unusual-servers.test.ts).
# gina has none of the special-use folders of dovecot.conf.in: her tests make "Sent Items" and the
# like, which carry no special-use attribute, as on a server without SPECIAL-USE (RFC 6154).
ACCOUNTS=("alice:alice-password" "bob:bob-password" "carol:carol-password" "outside:outside-password" "dave:dave-password" "erin:erin-password" "frank:frank-password" "gina:gina-password" "hana:hana-password" "iris:iris-password")
# Per-user Dovecot settings, as userdb extra fields of the users file.
declare -A ACCOUNT_USERDB_FIELDS=(
  [hana]="userdb_namespace/inbox/prefix=INBOX. userdb_namespace/inbox/separator=."
  [gina]="userdb_namespace/inbox/mailbox/Drafts/auto=no userdb_namespace/inbox/mailbox/Sent/auto=no userdb_namespace/inbox/mailbox/Archive/auto=no userdb_namespace/inbox/mailbox/Junk/auto=no userdb_namespace/inbox/mailbox/Trash/auto=no"
)
# There is no way out of this closed network: mail to any address outside $DOMAIN is delivered to
# this mailbox instead (postfix-main.cf.in), so replying to seeded mail works in the demo.
CATCH_ALL="outside@$DOMAIN"
# dovecot-fts-xapian: Dovecot's full-text index, so a body search over 100,000 messages is a lookup,
# not a read of every message (issue 11); the app also works, slower, on servers without one.
PACKAGES=(openssl dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-fts-xapian postfix)
VMAIL_USER="vmail"

DOVECOT_CONF="$STATE/dovecot.conf"
POSTFIX_DIR="$STATE/postfix"
DOVECOT_BASE="$STATE/dovecot/run"

say() { printf 'mail-stack: %s\n' "$*"; }
die() { printf 'mail-stack: error: %s\n' "$*" >&2; exit 1; }

# Debian puts the daemons in /usr/sbin, which a non-root PATH may lack.
find_bin() {
  local name="$1" p
  shift
  p="$(command -v "$name" 2>/dev/null || true)"
  if [ -z "$p" ]; then
    for p in "$@" ""; do [ -n "$p" ] && [ -x "$p" ] && break; done
  fi
  printf '%s' "$p"
}
DOVECOT_BIN="$(find_bin dovecot /usr/sbin/dovecot)"
DOVEADM_BIN="$(find_bin doveadm /usr/bin/doveadm)"
POSTFIX_BIN="$(find_bin postfix /usr/sbin/postfix)"
OPENSSL_BIN="$(find_bin openssl /usr/bin/openssl)"

require_root() {
  [ "$(id -u)" = 0 ] || die "this needs root (it installs packages and runs Dovecot/Postfix with their own users)"
}

# --- install -------------------------------------------------------------------------------------

cmd_install() {
  local p missing=0
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing=1
  done
  [ "$missing" = 0 ] && return 0
  require_root
  # Postfix's package asks what kind of mail system this is; ours runs from its own config.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  ensure_debian_packages mail-stack "${PACKAGES[@]}" || die "apt-get install failed"
  DOVECOT_BIN="$(find_bin dovecot /usr/sbin/dovecot)"
  DOVEADM_BIN="$(find_bin doveadm /usr/bin/doveadm)"
  POSTFIX_BIN="$(find_bin postfix /usr/sbin/postfix)"
  OPENSSL_BIN="$(find_bin openssl /usr/bin/openssl)"
  say "installed: $(dpkg-query -W -f='${Package} ${Version}  ' dovecot-core postfix)"
}

# --- process bookkeeping -------------------------------------------------------------------------

dovecot_pid() { recorded_pid "$STATE/dovecot.pid" '/dovecot( \(deleted\))?$'; }
postfix_pid() { recorded_pid "$STATE/postfix.pid" '/postfix/(sbin/)?master( \(deleted\))?$'; }

# Processes of this stack: Dovecot/Postfix executables whose working directory lies in the state
# dir (both masters chdir there and their children inherit it). Never matched by name alone.
stack_processes() {
  local d pid exe cwd
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    case "$exe" in
      */dovecot | */dovecot/* | */postfix/*) ;;
      *) continue ;;
    esac
    cwd="$(readlink "$d/cwd" 2>/dev/null)" || continue
    case "$cwd/" in "$STATE"/*) printf '%s\n' "$pid" ;; esac
  done
}

# Reads the first line a server sends on connect: "* OK" for IMAP, "220" for SMTP.
greeting() {
  local port="$1" line=""
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    IFS= read -r -t 3 line <&3 || exit 1
    printf '%s' "${line%$'\r'}"
    exec 3>&-
  ) 2>/dev/null
}

wait_for_greeting() {
  local name="$1" port="$2" want="$3" i line
  for i in $(seq 1 100); do
    line="$(greeting "$port" || true)"
    if [[ "$line" == "$want"* ]]; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- state and config ----------------------------------------------------------------------------

ensure_vmail() {
  if ! getent group "$VMAIL_USER" >/dev/null; then groupadd --system "$VMAIL_USER"; fi
  if ! getent passwd "$VMAIL_USER" >/dev/null; then
    useradd --system --gid "$VMAIL_USER" --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \
      --comment "Letterbox virtual mail" "$VMAIL_USER"
  fi
  VMAIL_UID="$(id -u "$VMAIL_USER")"
  VMAIL_GID="$(getent group "$VMAIL_USER" | cut -d: -f3)"
}

# Dovecot's imap/lmtp processes (vmail) and Postfix's (postfix) open sockets and mail in the state
# dir: every parent directory must be searchable by them (not the case under /root, for instance).
check_reachable() {
  local u sock="$DOVECOT_BASE/anvil-auth-penalty"
  [ "${#sock}" -lt 100 ] || die "state dir path too long for Unix sockets ($sock): use a shorter MAIL_STATE_DIR"
  command -v setpriv >/dev/null || return 0
  for u in "$VMAIL_USER" postfix dovecot; do
    if ! setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- test -x "$STATE/mail" 2>/dev/null; then
      die "user '$u' cannot reach $STATE: a parent directory is not searchable by others (e.g. under /root). Move the checkout or set MAIL_STATE_DIR to a world-searchable place."
    fi
  done
}

# Fills @NAME@ placeholders of a template from the current shell variables.
render() {
  local template="$1" out="$2" text
  text="$(<"$template")"
  text="${text//@STATE@/$STATE}"
  text="${text//@INSTANCE@/$INSTANCE}"
  text="${text//@IMAP_PORT@/$IMAP_PORT}"
  text="${text//@SMTP_PORT@/$SMTP_PORT}"
  text="${text//@POP3_PORT@/$POP3_PORT}"
  text="${text//@POP3S_PORT@/$POP3S_PORT}"
  text="${text//@VMAIL_UID@/$VMAIL_UID}"
  text="${text//@VMAIL_GID@/$VMAIL_GID}"
  text="${text//@DOMAIN@/$DOMAIN}"
  text="${text//@TEST_MODE_SETTINGS@/$TEST_MODE_SETTINGS}"
  printf '%s\n' "$text" >"$out.tmp"
  mv -f "$out.tmp" "$out"
}

prepare_state() {
  ensure_vmail
  # Short, stable per-state-dir name: Dovecot's instance_name and Postfix's syslog_name.
  INSTANCE="letterbox-$(printf '%s' "$STATE" | md5sum | cut -c1-8)"
  umask 022
  mkdir -p "$STATE" "$STATE/tls" "$DOVECOT_BASE" "$STATE/dovecot/lib" "$POSTFIX_DIR" \
    "$STATE/postfix-queue" "$STATE/postfix-data" "$STATE/mail/vmail/$DOMAIN"
  chmod 755 "$STATE" "$STATE/dovecot" "$STATE/mail"
  chown "$VMAIL_UID:$VMAIL_GID" "$STATE/mail/vmail" "$STATE/mail/vmail/$DOMAIN"
  chmod 750 "$STATE/mail/vmail"
  chown root:root "$STATE/postfix-queue"
  chown postfix:postfix "$STATE/postfix-data"

  check_reachable

  if [ ! -s "$STATE/tls/cert.pem" ] || [ ! -s "$STATE/tls/key.pem" ]; then
    say "generating a self-signed TLS certificate for mail.$DOMAIN"
    "$OPENSSL_BIN" req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -subj "/CN=mail.$DOMAIN/O=Letterbox local mail stack" \
      -addext "subjectAltName=DNS:mail.$DOMAIN,DNS:localhost,IP:127.0.0.1" \
      -keyout "$STATE/tls/key.pem" -out "$STATE/tls/cert.pem" >/dev/null 2>&1 || die "openssl could not make the certificate"
    chmod 600 "$STATE/tls/key.pem"
    chmod 644 "$STATE/tls/cert.pem"
  fi

  # Virtual users: passwd-file shared by passdb and userdb, readable by Dovecot's auth processes.
  # Accounts added to ACCOUNTS since the state dir was made are appended; existing ones are kept.
  local acct user pass hash
  touch "$STATE/users"
  cp "$STATE/users" "$STATE/users.tmp"
  for acct in "${ACCOUNTS[@]}"; do
    user="${acct%%:*}@$DOMAIN"
    pass="${acct#*:}"
    grep -q "^$user:" "$STATE/users.tmp" && continue
    hash="$("$DOVEADM_BIN" pw -s SHA512-CRYPT -p "$pass")"
    printf '%s:%s::::::%s\n' "$user" "$hash" "${ACCOUNT_USERDB_FIELDS[${acct%%:*}]:-}" >>"$STATE/users.tmp"
  done
  # npm run load: MAIL_LOAD_USERS=N adds load1 … loadN (password load-password), one hash for all.
  if [ "${MAIL_LOAD_USERS:-0}" -gt 0 ] && ! grep -q "^load${MAIL_LOAD_USERS}@$DOMAIN:" "$STATE/users.tmp"; then
    hash="$("$DOVEADM_BIN" pw -s SHA512-CRYPT -p load-password)"
    for user in $(seq 1 "$MAIL_LOAD_USERS"); do
      grep -q "^load$user@$DOMAIN:" "$STATE/users.tmp" || printf 'load%s@%s:%s::::::\n' "$user" "$DOMAIN" "$hash" >>"$STATE/users.tmp"
    done
  fi
  mv -f "$STATE/users.tmp" "$STATE/users"
  chown root:dovecot "$STATE/users"
  chmod 640 "$STATE/users"

  # Postfix learns the valid recipients from the same list (texthash: no postmap needed).
  cut -d: -f1 "$STATE/users" | sed 's/$/ OK/' >"$POSTFIX_DIR/vmailbox"
  # Every address outside $DOMAIN (a regexp table: no postmap needed) goes to the catch-all.
  printf '# Generated by mail-stack.sh: mail to any address outside %s is delivered to %s.\n!/@%s$/ %s\n' \
    "$DOMAIN" "$CATCH_ALL" "${DOMAIN//./\\.}" "$CATCH_ALL" >"$POSTFIX_DIR/outside"
  [ -f "$POSTFIX_DIR/virtual" ] || printf 'postmaster@%s alice@%s\nabuse@%s alice@%s\n' "$DOMAIN" "$DOMAIN" "$DOMAIN" "$DOMAIN" >"$POSTFIX_DIR/virtual"

  if [ "$TEST_MODE" = 1 ]; then
    # Tests log in with wrong passwords on purpose: no failure delay, no auth penalty. The limit of
    # 10 connections per user and address stays, as on real servers: the app must live within it.
    TEST_MODE_SETTINGS="# MAIL_TEST_MODE=1: no delay after a failed login, no anvil auth penalty.
auth_failure_delay = 0
# auth_failure_delay = 0 still answers failures on a 0.5 s timer tick; a failed lookup that ends in a
# passdb with nodelay is answered at once. This one is reached only when passwd-file did not succeed.
passdb {
  driver = static
  deny = yes
  args = nodelay=yes
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# The same server on two more addresses that advertise less, for the tests of the app's fallbacks:
# 127.0.0.2 has no SORT, ESORT, PREVIEW or SNIPPET; 127.0.0.3 has SORT (RFC 5256) without ESORT and
# the older SNIPPET=FUZZY instead of PREVIEW (RFC 8970). 127.0.0.4 is a plain IMAP4rev1 server: no
# SPECIAL-USE (RFC 6154), LIST-STATUS (RFC 5819), MOVE (RFC 6851), UIDPLUS (RFC 4315), CONDSTORE
# (RFC 7162), LIST-EXTENDED, ESEARCH or SORT, and LIST answers without special-use attributes.
service imap-login {
  inet_listener imap-basic {
    address = 127.0.0.2
    port = $IMAP_PORT
  }
  inet_listener imap-sort {
    address = 127.0.0.3
    port = $IMAP_PORT
  }
  inet_listener imap-plain {
    address = 127.0.0.4
    port = $IMAP_PORT
  }
}
local 127.0.0.2 {
  protocol imap {
    imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT CHILDREN UIDPLUS MOVE SPECIAL-USE LIST-EXTENDED LIST-STATUS ESEARCH CONDSTORE
  }
}
local 127.0.0.3 {
  protocol imap {
    imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT CHILDREN UIDPLUS MOVE SPECIAL-USE LIST-EXTENDED LIST-STATUS ESEARCH CONDSTORE SORT SNIPPET=FUZZY
  }
}
local 127.0.0.4 {
  protocol imap {
    imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT CHILDREN
  }
}"
  else
    TEST_MODE_SETTINGS="# Demo mode: Dovecot's default failed-login delay and auth penalty stay on."
  fi
  if [ "${MAIL_LOAD_LIMITS:-0}" = 1 ]; then
    # npm run load: hundreds of simulated users from one address. Dovecot's defaults (100 processes
    # per service, 10 connections per user and address) would cap the load test, not the app.
    TEST_MODE_SETTINGS+="
# MAIL_LOAD_LIMITS=1 (npm run load): raised limits, in this stack's own config only.
default_process_limit = 1500
default_client_limit = 6000
mail_max_userip_connections = 20"
  fi
  if [ "${MAIL_FTS_AUTOINDEX:-1}" = 0 ]; then
    # npm run bench builds the 100,000-message folder's full-text index once, in the background at
    # the lowest priority; with autoindex on, the bench's own APPENDs would have an indexer-worker
    # (at full priority) index the rest of the folder. Searches still index what is missing first.
    TEST_MODE_SETTINGS+="
# MAIL_FTS_AUTOINDEX=0 (npm run bench): no indexing queued after a save.
plugin {
  fts_autoindex = no
}"
  fi
  render "$HERE/dovecot.conf.in" "$DOVECOT_CONF"
  render "$HERE/postfix-main.cf.in" "$POSTFIX_DIR/main.cf"
  render "$HERE/postfix-master.cf.in" "$POSTFIX_DIR/master.cf"
  cat >"$STATE/stack.env" <<EOF
IMAP_PORT=$IMAP_PORT
SMTP_PORT=$SMTP_PORT
POP3_PORT=$POP3_PORT
POP3S_PORT=$POP3S_PORT
TEST_MODE=$TEST_MODE
EOF
}

# --- start / stop / status -----------------------------------------------------------------------

print_endpoints() {
  say "IMAP       imap://127.0.0.1:$IMAP_PORT (STARTTLS)"
  say "submission smtp://127.0.0.1:$SMTP_PORT (STARTTLS, AUTH PLAIN/LOGIN)"
  say "POP3       pop3://127.0.0.1:$POP3_PORT (STLS), pop3s://127.0.0.1:$POP3S_PORT"
  say "state      $STATE"
}

load_recorded_ports() {
  if [ -f "$STATE/stack.env" ]; then
    IMAP_PORT="$(sed -n 's/^IMAP_PORT=//p' "$STATE/stack.env")"
    SMTP_PORT="$(sed -n 's/^SMTP_PORT=//p' "$STATE/stack.env")"
    # A stack started before POP3 was added recorded no POP3 ports: keep the requested ones.
    POP3_PORT="$(sed -n 's/^POP3_PORT=//p' "$STATE/stack.env" | grep . || printf '%s' "$POP3_PORT")"
    POP3S_PORT="$(sed -n 's/^POP3S_PORT=//p' "$STATE/stack.env" | grep . || printf '%s' "$POP3S_PORT")"
  fi
}

cmd_start() {
  cmd_install
  require_root
  local dpid ppid
  dpid="$(dovecot_pid || true)"
  ppid="$(postfix_pid || true)"
  if [ -n "$dpid" ] && [ -n "$ppid" ]; then
    local want_mode="$TEST_MODE" ports_wanted="$IMAP_PORT/$SMTP_PORT" mode
    load_recorded_ports
    mode="$(sed -n 's/^TEST_MODE=//p' "$STATE/stack.env" 2>/dev/null || true)"
    say "already running (dovecot pid $dpid, postfix pid $ppid)"
    if [ "${mode:-0}" != "$want_mode" ] || [ "$ports_wanted" != "$IMAP_PORT/$SMTP_PORT" ]; then
      say "warning: it runs with MAIL_TEST_MODE=${mode:-0} on ports $IMAP_PORT/$SMTP_PORT; stop it first to change that" >&2
    fi
    print_endpoints
    return 0
  fi
  if [ -n "$dpid" ] || [ -n "$ppid" ]; then
    say "only half of the stack is running; restarting it"
    cmd_stop >/dev/null
  fi
  [ -x "$DOVECOT_BIN" ] && [ -x "$POSTFIX_BIN" ] && [ -x "$DOVEADM_BIN" ] || die "dovecot/postfix binaries not found"
  port_busy "$IMAP_PORT" && die "port $IMAP_PORT is already in use (set MAIL_IMAP_PORT)"
  port_busy "$SMTP_PORT" && die "port $SMTP_PORT is already in use (set MAIL_SMTP_PORT)"
  port_busy "$POP3_PORT" && die "port $POP3_PORT is already in use (set MAIL_POP3_PORT)"
  port_busy "$POP3S_PORT" && die "port $POP3S_PORT is already in use (set MAIL_POP3S_PORT)"

  prepare_state

  # Dovecot keeps the stderr it was started with: give it a file, never a pipe.
  rm -f "$STATE/dovecot.pid"
  "$DOVECOT_BIN" -c "$DOVECOT_CONF" </dev/null >>"$STATE/dovecot.stderr.log" 2>&1 ||
    { show_logs dovecot; die "dovecot did not start"; }
  if ! wait_for_greeting imap "$IMAP_PORT" "* OK"; then
    show_logs dovecot
    die "dovecot does not answer on 127.0.0.1:$IMAP_PORT"
  fi
  if ! wait_for_greeting pop3 "$POP3_PORT" "+OK"; then
    show_logs dovecot
    die "dovecot does not answer POP3 on 127.0.0.1:$POP3_PORT"
  fi
  cp "$DOVECOT_BASE/master.pid" "$STATE/dovecot.pid"

  # postfix start: "check" creates and fixes the queue directories, then master starts.
  rm -f "$STATE/postfix.pid"
  "$POSTFIX_BIN" -c "$POSTFIX_DIR" start </dev/null >>"$STATE/postfix.stderr.log" 2>&1 ||
    { show_logs postfix; die "postfix did not start"; }
  if ! wait_for_greeting smtp "$SMTP_PORT" "220"; then
    show_logs postfix
    die "postfix does not answer on 127.0.0.1:$SMTP_PORT"
  fi
  tr -dc '0-9' <"$STATE/postfix-queue/pid/master.pid" >"$STATE/postfix.pid"

  say "started (dovecot pid $(cat "$STATE/dovecot.pid"), postfix pid $(cat "$STATE/postfix.pid"))$([ "$TEST_MODE" = 1 ] && echo ' in test mode')"
  print_endpoints
}

# On failure: the last log lines. Postfix's own commands log to stderr only when it is a terminal
# (else to syslog, which this machine may not have), so its check is re-run under script(1).
show_logs() {
  local f
  for f in "$STATE/$1.stderr.log" "$STATE/$1.log"; do
    [ -s "$f" ] && { echo "--- $f" && tail -n 20 "$f"; } >&2
  done
  if [ "$1" = postfix ] && command -v script >/dev/null; then
    script -qec "$(printf '%q -c %q check' "$POSTFIX_BIN" "$POSTFIX_DIR")" /dev/null >&2 </dev/null || true
  fi
  return 0
}

wait_gone() {
  local pid="$1" i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

cmd_stop() {
  local dpid ppid pids pid i
  dpid="$(dovecot_pid || true)"
  ppid="$(postfix_pid || true)"
  # Both are told first and awaited after: Dovecot's master alone takes ~3 s to wind down.
  # (SIGTERM to the recorded master PID is what `dovecot stop` does, minus its blocking wait.)
  if [ -n "$ppid" ]; then
    "$POSTFIX_BIN" -c "$POSTFIX_DIR" stop </dev/null >>"$STATE/postfix.stderr.log" 2>&1 || kill -TERM "$ppid" 2>/dev/null || true
  fi
  if [ -n "$dpid" ]; then kill -TERM "$dpid" 2>/dev/null || true; fi
  if [ -n "$ppid" ] && ! wait_gone "$ppid"; then kill -KILL "$ppid" 2>/dev/null || true; fi
  if [ -n "$dpid" ] && ! wait_gone "$dpid"; then kill -KILL "$dpid" 2>/dev/null || true; fi
  # Children leave once their master is gone; wait for them, then end stragglers by PID.
  for i in $(seq 1 50); do
    mapfile -t pids < <(stack_processes)
    [ "${#pids[@]}" -eq 0 ] && break
    [ "$i" = 30 ] && for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    [ "$i" = 45 ] && for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.1
  done
  rm -f "$STATE/dovecot.pid" "$STATE/postfix.pid"
  if [ -n "$dpid$ppid" ]; then say "stopped"; else say "not running"; fi
}

# Fault tests: only the SMTP side goes away (and comes back), Dovecot keeps serving IMAP.
cmd_smtp_stop() {
  local ppid
  ppid="$(postfix_pid || true)"
  [ -n "$ppid" ] || { say "postfix is not running"; return 0; }
  "$POSTFIX_BIN" -c "$POSTFIX_DIR" stop </dev/null >>"$STATE/postfix.stderr.log" 2>&1 || kill -TERM "$ppid" 2>/dev/null || true
  wait_gone "$ppid" || kill -KILL "$ppid" 2>/dev/null || true
  rm -f "$STATE/postfix.pid"
  say "postfix stopped"
}

cmd_smtp_start() {
  require_root
  [ -n "$(postfix_pid || true)" ] && { say "postfix already running"; return 0; }
  [ -n "$(dovecot_pid || true)" ] || die "dovecot is not running (mail-stack.sh start)"
  load_recorded_ports
  "$POSTFIX_BIN" -c "$POSTFIX_DIR" start </dev/null >>"$STATE/postfix.stderr.log" 2>&1 ||
    { show_logs postfix; die "postfix did not start"; }
  wait_for_greeting smtp "$SMTP_PORT" "220" || { show_logs postfix; die "postfix does not answer on 127.0.0.1:$SMTP_PORT"; }
  tr -dc '0-9' <"$STATE/postfix-queue/pid/master.pid" >"$STATE/postfix.pid"
  say "postfix started (pid $(cat "$STATE/postfix.pid"))"
}

# Fault tests: Dovecot alone goes away (and comes back); Postfix keeps accepting submissions.
cmd_imap_stop() {
  local dpid pid round
  dpid="$(dovecot_pid || true)"
  [ -n "$dpid" ] || { say "dovecot is not running"; return 0; }
  # The master is held first, so it forks no imap process while the list below is taken: one forked
  # for a connection that logged in meanwhile would be missed, and an imap process outlives its
  # master, serving its client as if nothing had happened (a fault test then sees no fault).
  kill -STOP "$dpid" 2>/dev/null || true
  # The master and all its children at once: the master alone waits seconds for busy imap
  # processes, and a server that stops drops its connections.
  for round in 1 2 3 4 5; do
    local pids=()
    for pid in $(stack_processes); do
      case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */dovecot | */dovecot/*) pids+=("$pid") ;; esac
    done
    [ "${#pids[@]}" -eq 0 ] && break
    kill -TERM "${pids[@]}" 2>/dev/null || true
    kill -CONT "$dpid" 2>/dev/null || true
    for pid in "${pids[@]}"; do wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true; done
  done
  rm -f "$STATE/dovecot.pid"
  say "dovecot stopped"
}

cmd_imap_start() {
  require_root
  [ -n "$(dovecot_pid || true)" ] && { say "dovecot already running"; return 0; }
  [ -s "$DOVECOT_CONF" ] || die "no dovecot.conf yet (mail-stack.sh start)"
  load_recorded_ports
  "$DOVECOT_BIN" -c "$DOVECOT_CONF" </dev/null >>"$STATE/dovecot.stderr.log" 2>&1 || { show_logs dovecot; die "dovecot did not start"; }
  wait_for_greeting imap "$IMAP_PORT" "* OK" || { show_logs dovecot; die "dovecot does not answer on 127.0.0.1:$IMAP_PORT"; }
  cp "$DOVECOT_BASE/master.pid" "$STATE/dovecot.pid"
  say "dovecot started (pid $(cat "$STATE/dovecot.pid"))"
}

# Fault tests: kills the imap process serving the client connection whose local port is PORT, as
# the kernel's OOM killer would (SIGKILL unless SIGNAL says otherwise). Dovecot's login line records
# each connection's client port (rport) and its imap process (mpid); the newest line for the port wins.
cmd_imap_kill() {
  local port="${1:-}" signal="${2:-KILL}" mpid exe
  [[ "$port" =~ ^[0-9]+$ ]] || die "usage: mail-stack.sh imap-kill CLIENT_PORT [SIGNAL]"
  mpid="$(grep -a "Login: .* rport=$port, " "$STATE/dovecot.log" 2>/dev/null | tail -n 1 | sed -n 's/.* mpid=\([0-9]*\).*/\1/p')"
  [ -n "$mpid" ] || die "no login from client port $port in $STATE/dovecot.log"
  exe="$(readlink "/proc/$mpid/exe" 2>/dev/null || true)"
  # grep without -q: with pipefail, -q stopping early would fail the pipeline on SIGPIPE.
  [[ "$exe" == */dovecot/imap ]] && stack_processes | grep -x "$mpid" >/dev/null || die "imap process $mpid of port $port is not running"
  kill "-$signal" "$mpid"
  say "killed imap process $mpid (client port $port) with SIG$signal"
}

cmd_status() {
  local dpid ppid rc=0
  load_recorded_ports
  dpid="$(dovecot_pid || true)"
  ppid="$(postfix_pid || true)"
  if [ -n "$dpid" ]; then echo "dovecot: running (pid $dpid, IMAP 127.0.0.1:$IMAP_PORT, POP3 $POP3_PORT, POP3S $POP3S_PORT)"; else echo "dovecot: stopped"; rc=3; fi
  if [ -n "$ppid" ]; then echo "postfix: running (pid $ppid, submission 127.0.0.1:$SMTP_PORT)"; else echo "postfix: stopped"; rc=3; fi
  echo "state: $STATE"
  return $rc
}

cmd_reset() {
  cmd_stop
  case "$STATE" in
    / | "$REPO" | "$HOME" | "") die "refusing to delete $STATE" ;;
  esac
  rm -rf -- "$STATE"
  say "deleted $STATE"
}

shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

cmd_env() {
  if [ -n "$(dovecot_pid || true)" ]; then load_recorded_ports; fi
  echo "export MAIL_IMAP_URL=$(shquote "imap://127.0.0.1:$IMAP_PORT")"
  echo "export MAIL_SMTP_URL=$(shquote "smtp://127.0.0.1:$SMTP_PORT")"
  echo "export MAIL_TLS_INSECURE=1"
  echo "export MAIL_POP3_PORT=$(shquote "$POP3_PORT")"
  echo "export MAIL_POP3S_PORT=$(shquote "$POP3S_PORT")"
  echo "export MAIL_STATE_DIR=$(shquote "$STATE")"
  echo "export MAIL_DOVEADM=$(shquote "$DOVEADM_BIN -c $DOVECOT_CONF")"
  if [ "$(sed -n 's/^TEST_MODE=//p' "$STATE/stack.env" 2>/dev/null || echo "$TEST_MODE")" = 1 ]; then
    echo "export MAIL_IMAP_BASIC_URL=$(shquote "imap://127.0.0.2:$IMAP_PORT")"
    echo "export MAIL_IMAP_SORT_URL=$(shquote "imap://127.0.0.3:$IMAP_PORT")"
    echo "export MAIL_IMAP_PLAIN_URL=$(shquote "imap://127.0.0.4:$IMAP_PORT")"
  fi
}

# seed and fill write maildir files and then ask Dovecot (doveadm) to index them; doveadm needs the
# Dovecot auth service for user lookups, so a stopped stack is started for the job and stopped after.
with_stack() {
  local was_running=1 rc=0
  if [ -z "$(dovecot_pid || true)" ] || [ -z "$(postfix_pid || true)" ]; then
    was_running=0
    cmd_start >/dev/null
  fi
  ensure_vmail
  MAIL_STATE_DIR="$STATE" MAIL_DOVEADM_BIN="$DOVEADM_BIN" MAIL_DOVECOT_CONF="$DOVECOT_CONF" \
    MAIL_VMAIL_UID="$VMAIL_UID" MAIL_VMAIL_GID="$VMAIL_GID" MAIL_DOMAIN="$DOMAIN" "$@" || rc=$?
  if [ "$was_running" = 0 ]; then cmd_stop >/dev/null; fi
  return $rc
}

cmd_seed() {
  require_root
  with_stack node "$HERE/seed.mjs" "$@"
}

cmd_fill() {
  require_root
  [ $# -ge 2 ] || die "usage: mail-stack.sh fill [--no-full-text] USER FOLDER COUNT | fill --big-attachment USER FOLDER"
  with_stack node "$HERE/fill.mjs" "$@"
}

cmd_selftest() {
  [ -n "$(dovecot_pid || true)" ] && [ -n "$(postfix_pid || true)" ] || die "the stack is not running (mail-stack.sh start)"
  load_recorded_ports
  local mode
  mode="$(sed -n 's/^TEST_MODE=//p' "$STATE/stack.env" 2>/dev/null || true)"
  MAIL_IMAP_PORT="$IMAP_PORT" MAIL_SMTP_PORT="$SMTP_PORT" MAIL_TEST_MODE="${mode:-0}" node "$HERE/selftest.mjs"
}

usage() {
  cat <<EOF
usage: $(basename "$0") COMMAND
  install                 install the Debian packages it needs (dovecot with IMAP and POP3, postfix, openssl) if missing
  start                   start Dovecot (IMAP, POP3) + Postfix on 127.0.0.1 (installs first; no-op if running)
  stop                    stop both (by recorded PID / their own pid files)
  status                  running/stopped for each (exit 3 unless both run)
  reset                   stop and delete the state dir
  seed                    (re)create the demo mailboxes' content
  fill USER FOLDER COUNT  put COUNT generated messages into FOLDER
  fill --big-attachment USER FOLDER   add one message with a 25 MB attachment
  env                     print the export lines for the app and tests
  smtp-stop / smtp-start  stop or start Postfix alone, by its recorded PID (fault tests)
  imap-stop / imap-start  stop or start Dovecot alone (fault tests)
  imap-kill PORT [SIGNAL] kill the imap process serving the client connection from local PORT (fault tests)
  selftest                check the running stack over IMAP and SMTP (login, folders, delivery, rejects)
state: \$MAIL_STATE_DIR (default <repo>/.data/mail); ports: \$MAIL_IMAP_PORT (14143), \$MAIL_SMTP_PORT (14587),
\$MAIL_POP3_PORT (14110, STLS), \$MAIL_POP3S_PORT (14995);
\$MAIL_TEST_MODE=1 at start disables the failed-login delay and auth penalty.
EOF
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  seed) cmd_seed "$@" ;;
  fill) cmd_fill "$@" ;;
  env) cmd_env ;;
  selftest) cmd_selftest ;;
  smtp-stop) cmd_smtp_stop ;;
  smtp-start) cmd_smtp_start ;;
  imap-stop) cmd_imap_stop ;;
  imap-start) cmd_imap_start ;;
  imap-kill) cmd_imap_kill "$@" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
