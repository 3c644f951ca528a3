#!/usr/bin/env bash
# npm test: installs what is missing, then lint, types, unit, integration (real Dovecot + Postfix)
# and end-to-end tests (Debian's Chromium) — all of them, against a mail stack of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

# Whatever the caller's environment, this run is CI: a stray .only in a test fails it.
export CI="${CI:-1}"

# Each step says when it began (seconds since the run started), so a slow step shows in the log:
# the whole run has a budget of 20 minutes on a two-core machine.
step() { printf '\n\033[1m== %s\033[0m (at %d s)\n' "$*" "$SECONDS"; }
mkdir -p .data

# Steps that run side by side write to a log each; the log is printed when the step is waited for,
# so the output reads as if they ran one after another.
declare -A job_pid=()
in_background() {
  local name="$1"
  shift
  "$@" >".data/test-$name.log" 2>&1 &
  job_pid[$name]=$!
}
# Waits for a background step, prints its log, and returns its exit status.
finish() {
  local name="$1" status=0
  wait "${job_pid[$name]}" || status=$?
  step "$name (finished)"
  cat ".data/test-$name.log"
  [ "$status" -eq 0 ] || printf '\n%s failed (exit %d)\n' "$name" "$status" >&2
  return "$status"
}

# npm's packages and Debian's at once: npm downloads and compiles better-sqlite3 (minutes on a fresh
# clone) while apt installs what the tests run (one after another: apt holds one lock).
step "installing what is missing: npm packages, and Debian's packages beside them"
in_background npm-packages bash scripts/ensure-npm-deps.sh
debian_status=0
{
  bash scripts/ensure-chromium.sh &&
    bash scripts/mail-stack/mail-stack.sh install &&
    bash scripts/redis/redis.sh install &&
    bash scripts/nginx/nginx.sh install &&
    # Malformed and torture-test messages from Debian packages: unit tests parse them, integration
    # tests append them to a folder and open each one.
    bash scripts/fetch-mime-corpus.sh .data/mime-corpus
} || debian_status=$?
finish npm-packages
[ "$debian_status" -eq 0 ] || { echo "installing Debian's packages failed" >&2; exit "$debian_status"; }
export LETTERBOX_MIME_CORPUS="$PWD/.data/mime-corpus"

# Lint, types and unit tests use the CPU and nothing else: on two cores, side by side they take
# about half as long as one after another.
step "lint, type check and unit tests (side by side)"
in_background lint npx eslint --max-warnings 0 .
in_background types npx tsc --noEmit
in_background unit npx vitest run --project unit
static_status=0
finish lint || static_status=1
finish types || static_status=1
finish unit || static_status=1
[ "$static_status" -eq 0 ] || exit 1

# A stack of its own, on other ports, so tests never disturb a running demo.
# LETTERBOX_TEST_PORTS="IMAP SMTP APP" moves all three, for two checkouts testing side by side.
# POP3 and POP3S may follow as a fourth and fifth value; without them they are derived from the IMAP
# port (24143 gives 24110 and 24995), so a three-value setting still keeps checkouts apart.
read -r imap_port smtp_port app_port pop3_port pop3s_port <<<"${LETTERBOX_TEST_PORTS:-24143 24587 3100}"
export MAIL_STATE_DIR="$PWD/.data/mail-test" MAIL_IMAP_PORT="$imap_port" MAIL_SMTP_PORT="$smtp_port" MAIL_TEST_MODE=1
export MAIL_POP3_PORT="${pop3_port:-$((imap_port - 33))}" MAIL_POP3S_PORT="${pop3s_port:-$((imap_port + 852))}"
export E2E_PORT="$app_port"
# Attachments uploaded by the tests wait here, not in the OS temp dir, and go with every run.
export MAIL_UPLOAD_DIR="$PWD/.data/uploads-test"
# The store (sessions, address book, …) of the tests' app and integration tests: SQLite, anew each run.
export LETTERBOX_DATA_DIR="$PWD/.data/store-test"
unset LETTERBOX_REDIS_URL
rm -rf -- "$MAIL_UPLOAD_DIR" "$LETTERBOX_DATA_DIR"
bash scripts/mail-stack/mail-stack.sh reset >/dev/null
# Redis for the shared-store tests (lib/store): by default 236 above the IMAP port (24379, 27379, …),
# so each checkout's LETTERBOX_TEST_PORTS moves it too.
export REDIS_PORT="${LETTERBOX_TEST_REDIS_PORT:-$((imap_port + 236))}" REDIS_STATE_DIR="$PWD/.data/redis-test"
# nginx in front of two app instances (e2e/two-instances.spec.ts): 63 below the IMAP port (24080, …).
export NGINX_PORT="${LETTERBOX_TEST_NGINX_PORT:-$((imap_port - 63))}"
bash scripts/redis/redis.sh reset >/dev/null
trap 'bash scripts/mail-stack/mail-stack.sh stop >/dev/null 2>&1 || true; bash scripts/redis/redis.sh stop >/dev/null 2>&1 || true; bash scripts/nginx/nginx.sh stop >/dev/null 2>&1 || true' EXIT
step "redis"
bash scripts/redis/redis.sh start
step "mail stack"
bash scripts/mail-stack/mail-stack.sh start
bash scripts/mail-stack/mail-stack.sh seed
eval "$(bash scripts/mail-stack/mail-stack.sh env)"
export AUTH_SECRET="test-secret-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"

# The production build for the end-to-end tests runs beside the integration tests: they mostly wait
# on Dovecot and Postfix, the build mostly computes, so on two cores this saves about two minutes.
# Next's telemetry has nowhere to go on a closed network, and its first-run notice is noise in the log.
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .data
step "build (in the background) and integration tests"
npx next build >.data/next-build.log 2>&1 &
build_pid=$!
integration_status=0
npx vitest run --project integration || integration_status=$?
build_status=0
wait "$build_pid" || build_status=$?
step "build"
cat .data/next-build.log
[ "$integration_status" -eq 0 ] || { echo "integration tests failed" >&2; exit "$integration_status"; }
[ "$build_status" -eq 0 ] || { echo "next build failed" >&2; exit "$build_status"; }
# A clean build prints no warning: scripts/check-build-log.sh fails the run when one comes back.
bash scripts/check-build-log.sh .data/next-build.log
step "end-to-end tests"
# Two runs, so that a failure in the first still lets the second run (a failed dependency would skip
# it): the hostile corpus beside the specs that leave the servers alone, then the specs that stop
# and restart servers, alone (playwright.config.ts says why).
e2e_status=0
npx playwright test --project "hostile corpus" --project suite || e2e_status=$?
step "end-to-end tests that stop and restart servers"
npx playwright test --project "servers stopped and restarted" --no-deps || e2e_status=$?
step "done"
exit "$e2e_status"
