#!/usr/bin/env bash
# Installs the npm packages when they are missing or the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.letterbox-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  exit 0
fi
echo "[letterbox] installing npm packages…"
# `npm install`, not `npm ci`: the registry reachable here omits other platforms' optional
# binaries (@next/swc-darwin-*, …), so the lock file cannot list them and `npm ci` refuses it.
# With an unchanged lock file `npm install` installs exactly the locked versions.
# Playwright drives Debian's Chromium; its own browser download cannot work on a closed network.
# better-sqlite3 has no prebuilt binary reachable here and compiles from source: JOBS=max lets
# node-gyp compile SQLite's amalgamation and the binding on both cores at once.
JOBS=max PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
touch "$stamp"
