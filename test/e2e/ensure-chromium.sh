#!/usr/bin/env bash
# The end-to-end suite drives Debian's Chromium (playwright-core downloads no browser).
set -euo pipefail
[ -x /usr/bin/chromium ] || bash "$(dirname "$0")/../apt-install.sh" chromium 'the end-to-end tests'
