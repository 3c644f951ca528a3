#!/usr/bin/env bash
# npm run load -- --users N [--duration S]: simulated users against one instance (scripts/load/run.mjs).
# A mail stack of its own with N load accounts and raised Dovecot limits (MAIL_LOAD_LIMITS, in the
# stack's own config), a fresh SQLite store, loopback only. LOAD_PORTS="IMAP SMTP APP" moves it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-npm-deps.sh
users=10
prev=""
for a in "$@"; do
  [ "$prev" = "--users" ] && users="$a"
  prev="$a"
done
read -r load_imap load_smtp load_app <<<"${LOAD_PORTS:-35143 35587 3190}"
export MAIL_STATE_DIR="$PWD/.data/mail-load" MAIL_IMAP_PORT="$load_imap" MAIL_SMTP_PORT="$load_smtp" MAIL_TEST_MODE=1
export MAIL_LOAD_LIMITS=1 MAIL_LOAD_USERS=$(( users > 200 ? users : 200 ))
export LOAD_APP_PORT="$load_app" LETTERBOX_DATA_DIR="$PWD/.data/store-load" MAIL_UPLOAD_DIR="$PWD/.data/uploads-load"
# Idle IMAP connections close after 10 s, so the run can see memory and connections return after sign-out.
export MAIL_IMAP_IDLE_MS=10000
unset LETTERBOX_REDIS_URL
rm -rf -- "$LETTERBOX_DATA_DIR" "$MAIL_UPLOAD_DIR"
# The accounts file is written once per state folder: a new folder when more users are wanted.
if [ -f "$MAIL_STATE_DIR/users" ] && [ "$(grep -c '^load' "$MAIL_STATE_DIR/users")" -lt "$MAIL_LOAD_USERS" ]; then
  bash scripts/mail-stack/mail-stack.sh reset >/dev/null
fi
trap 'bash scripts/mail-stack/mail-stack.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/mail-stack/mail-stack.sh start >/dev/null
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
export AUTH_SECRET="load-secret-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
[ "${LOAD_SKIP_BUILD:-0}" = 1 ] || npx next build
# The app writes a heap snapshot on SIGUSR2, which run.mjs asks for before and after the users
# (LOAD_HEAP_SNAPSHOTS=0 skips them: each costs a few seconds of the app's time).
export LOAD_HEAP_SNAPSHOTS="${LOAD_HEAP_SNAPSHOTS:-1}"
NODE_OPTIONS="${NODE_OPTIONS:-} --heapsnapshot-signal=SIGUSR2" node scripts/load/run.mjs "$@"
