#!/usr/bin/env bash
# npm run demo: everything from a fresh Debian machine to a running Letterbox with sample mail.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-npm-deps.sh
bash scripts/mail-stack/mail-stack.sh start
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
# Seed once: what the user did in an earlier demo (mail sent, folders made) survives a restart.
if [ ! -f "$MAIL_STATE_DIR/seed-manifest.json" ]; then
  bash scripts/mail-stack/mail-stack.sh seed
else
  echo "[letterbox] keeping the demo mail from the last run (fresh sample mail: bash scripts/mail-stack/mail-stack.sh seed)"
fi

if [ ! -f .env.local ] || ! grep -q '^AUTH_SECRET=' .env.local; then
  echo "AUTH_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" >> .env.local
  chmod 600 .env.local
fi
# The mail server settings follow the local stack; the secret stays as generated.
grep -v -E '^(MAIL_IMAP_URL|MAIL_SMTP_URL|MAIL_TLS_INSECURE)=' .env.local > .env.local.tmp || true
{
  cat .env.local.tmp
  echo "MAIL_IMAP_URL=$MAIL_IMAP_URL"
  echo "MAIL_SMTP_URL=$MAIL_SMTP_URL"
  echo "MAIL_TLS_INSECURE=$MAIL_TLS_INSECURE"
} > .env.local
rm -f .env.local.tmp

npx next build
PORT="${PORT:-3000}"
HOST="${HOST:-127.0.0.1}"
cat <<MSG

  Letterbox is starting at http://$HOST:$PORT

  Demo logins (password after the slash):
    alice@example.test / alice-password   (a few hundred sample messages)
    bob@example.test   / bob-password
    carol@example.test / carol-password

  Stop with Ctrl-C; the mail server keeps running until: npm run mail:stop

MSG
export AUTH_TRUST_HOST=1
exec npx next start -p "$PORT" -H "$HOST"
