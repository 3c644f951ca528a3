#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (Playwright launches it by path).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
echo "[letterbox] installing Debian's chromium…"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
}
command -v chromium >/dev/null
