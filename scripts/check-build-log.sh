#!/usr/bin/env bash
# Fails when a `next build` log holds a warning: a clean build prints none (issue 10), so a new one
# — Turbopack's "Dynamic filesystem access causes tracing of the whole project", Edge-runtime API
# use in instrumentation.ts ("Ecmascript file had an error"), a config warning (⚠) — stops the run
# while it is still easy to find. Usage: check-build-log.sh LOG
set -euo pipefail
log="${1:?usage: check-build-log.sh LOG}"
if grep -Eqi 'warning|⚠|had an error' "$log"; then
  echo "next build printed warnings (a clean build prints none):" >&2
  grep -Ei -A3 'warning|⚠|had an error' "$log" >&2
  exit 1
fi
