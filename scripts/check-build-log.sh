#!/usr/bin/env bash
# Fails when a `next build` log holds a warning: a clean build prints none (issue 10), so a new one
# — Turbopack's "Dynamic filesystem access causes tracing of the whole project", Edge-runtime API
# use in instrumentation.ts ("Ecmascript file had an error"), a config warning (⚠) — stops the run
# while it is still easy to find. Usage: check-build-log.sh LOG
#
# One notice is about the checkout, not the code: a fresh clone (CI's, a new machine's) has no
# `.next/cache`, and Next says "⚠ No build cache found" on every first build. It is left out.
set -euo pipefail
log="${1:?usage: check-build-log.sh LOG}"
warnings="$(grep -Evi 'No build cache found' "$log" | grep -Ei -A3 'warning|⚠|had an error' || true)"
if [ -n "$warnings" ]; then
  echo "next build printed warnings (a clean build prints none):" >&2
  printf '%s\n' "$warnings" >&2
  exit 1
fi
