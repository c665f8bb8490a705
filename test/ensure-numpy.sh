#!/usr/bin/env bash
# The .npz the CLI writes is checked by loading it with NumPy (Debian's python3-numpy, for /usr/bin/python3).
# Installs it when it is missing, so `npm test` is all a fresh Debian machine needs.
set -euo pipefail
/usr/bin/python3 -c 'import numpy' 2>/dev/null && exit 0
echo "Installing Debian's python3-numpy for the snapshot tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy >/dev/null
