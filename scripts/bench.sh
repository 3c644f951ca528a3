#!/usr/bin/env bash
# npm run bench: fills a folder with 100,000 messages and measures the app against raw imapflow.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-npm-deps.sh
export MAIL_STATE_DIR="$PWD/.data/mail-bench" MAIL_IMAP_PORT=34143 MAIL_SMTP_PORT=34587 MAIL_TEST_MODE=1
trap 'bash scripts/mail-stack/mail-stack.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/mail-stack/mail-stack.sh start
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
export AUTH_SECRET="bench-secret-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
npx next build
node scripts/bench/run.mjs
