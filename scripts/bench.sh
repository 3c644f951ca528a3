#!/usr/bin/env bash
# npm run bench: fills a folder with 100,000 messages and measures the app against raw imapflow.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-npm-deps.sh
# BENCH_MAIL_PORTS="IMAP SMTP" moves the stack, like LETTERBOX_TEST_PORTS for npm test.
read -r bench_imap bench_smtp <<<"${BENCH_MAIL_PORTS:-34143 34587}"
export MAIL_STATE_DIR="$PWD/.data/mail-bench" MAIL_IMAP_PORT="$bench_imap" MAIL_SMTP_PORT="$bench_smtp" MAIL_TEST_MODE=1
# POP3 ports follow the IMAP port (34110, 34995), away from the demo stack's.
export MAIL_POP3_PORT="$((bench_imap - 33))" MAIL_POP3S_PORT="$((bench_imap + 852))"
trap 'bash scripts/mail-stack/mail-stack.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/mail-stack/mail-stack.sh start
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
export AUTH_SECRET="bench-secret-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
npx next build
# BENCH_ONLY=run|cache|browser|outbox runs that part alone (outbox needs no 100,000-message folder).
only() { [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = "$1" ]; }
if only run; then node scripts/bench/run.mjs; fi
# The list cache: warm and cold first page and page 1,000 of the same folder against the floor.
if only cache; then node scripts/bench/cache.mjs; fi
# The browser's side (issue 14): navigation and click to paint in headless Chromium, beside the floor.
if only browser; then
  bash scripts/ensure-chromium.sh
  node scripts/bench/browser.mjs
fi
# The outbox: Send → recipient's INBOX against direct nodemailer submission, and 1,000 waiting messages.
if only outbox; then node scripts/bench/outbox.mjs; fi
