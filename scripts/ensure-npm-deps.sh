#!/usr/bin/env bash
# Installs the npm packages when they are missing or the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.letterbox-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
  exit 0
fi
echo "[letterbox] installing npm packages (npm ci)…"
# Playwright drives Debian's Chromium; its own browser download cannot work on a closed network.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
