#!/usr/bin/env bash
# The end-to-end suite drives Debian's Chromium (playwright-core downloads no browser). Installs it
# when it is missing, so `npm test` is all a fresh Debian machine needs.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "Installing Debian's chromium for the end-to-end tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
