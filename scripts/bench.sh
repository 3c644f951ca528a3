#!/usr/bin/env bash
# npm run bench: fills a folder with 100,000 messages and measures the app against raw imapflow, and
# beside Roundcube in the same browser (scripts/bench/roundcube.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-npm-deps.sh
# BENCH_MAIL_PORTS="IMAP SMTP" moves the stack, like LETTERBOX_TEST_PORTS for npm test.
read -r bench_imap bench_smtp <<<"${BENCH_MAIL_PORTS:-34143 34587}"
export MAIL_STATE_DIR="$PWD/.data/mail-bench" MAIL_IMAP_PORT="$bench_imap" MAIL_SMTP_PORT="$bench_smtp" MAIL_TEST_MODE=1
# POP3 ports follow the IMAP port (34110, 34995), away from the demo stack's.
export MAIL_POP3_PORT="$((bench_imap - 33))" MAIL_POP3S_PORT="$((bench_imap + 852))"
# The folder's full-text index is built once, in the background at the lowest priority
# (scripts/bench/common.mjs): no indexer-worker at full priority started by the bench's own saves.
export MAIL_FTS_AUTOINDEX=0
# The stack is stopped at the end only if this run started it, and not while the full-text index
# is still being built in the background (it resumes where it stopped, but a finished one is cheaper).
started_stack=0
if ! bash scripts/mail-stack/mail-stack.sh status >/dev/null 2>&1; then started_stack=1; fi
# Roundcube (BENCH_ONLY=roundcube) likewise: stopped at the end only if this run started it.
started_roundcube=0
finish() {
  local pid
  if [ "$started_roundcube" = 1 ]; then bash scripts/roundcube/roundcube.sh stop >/dev/null 2>&1 || true; fi
  pid="$(cat "$MAIL_STATE_DIR"/bench-fts-*.pid 2>/dev/null | head -n 1 || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "[bench] the full-text index is still being built (pid $pid, nice 19); the mail stack stays up." >&2
    echo "[bench] BENCH_ONLY=search npm run bench measures the search rows once it is done." >&2
  elif [ "$started_stack" = 1 ]; then
    bash scripts/mail-stack/mail-stack.sh stop >/dev/null 2>&1 || true
  fi
}
trap finish EXIT
bash scripts/mail-stack/mail-stack.sh start
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
export AUTH_SECRET="bench-secret-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
# BENCH_BUILD=0 reuses the production build in .next (when only the bench scripts changed).
if [ "${BENCH_BUILD:-1}" != 0 ] || [ ! -f .next/BUILD_ID ]; then npx next build; fi
# BENCH_ONLY=run|search|cache|browser|outbox|roundcube runs that part alone (outbox needs no
# 100,000-message folder; search is run's search rows, which wait for the full-text index,
# BENCH_FTS_WAIT_MIN).
only() { [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = "$1" ]; }
if only run; then node scripts/bench/run.mjs; fi
if [ "${BENCH_ONLY:-}" = search ]; then BENCH_SEARCH_ONLY=1 node scripts/bench/run.mjs; fi
# The list cache: warm and cold first page and page 1,000 of the same folder against the floor.
if only cache; then node scripts/bench/cache.mjs; fi
# The browser's side (issue 14): navigation and click to paint in headless Chromium, beside the floor.
if only browser; then
  bash scripts/ensure-chromium.sh
  node scripts/bench/browser.mjs
fi
# The outbox: Send → recipient's INBOX against direct nodemailer submission, and 1,000 waiting messages.
if only outbox; then node scripts/bench/outbox.mjs; fi
# Beside Roundcube (issue 14): Debian's Roundcube on the same Dovecot and folder (php-fpm behind
# nginx, scripts/roundcube), first rows and click → body painted in the same Chromium as the app.
if only roundcube; then
  bash scripts/ensure-chromium.sh
  if ! bash scripts/roundcube/roundcube.sh status >/dev/null 2>&1; then started_roundcube=1; fi
  bash scripts/roundcube/roundcube.sh start
  eval "$(bash scripts/roundcube/roundcube.sh env)"
  node scripts/bench/roundcube.mjs
fi
