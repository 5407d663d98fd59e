#!/usr/bin/env bash
# Debian's Chromium for the browser tests (a test tool's own browser download cannot work here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
[ "$(id -u)" = 0 ] || { echo "install Debian's chromium package (needs root): apt-get install chromium" >&2; exit 1; }
echo "installing Chromium from Debian's packages" >&2
DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
