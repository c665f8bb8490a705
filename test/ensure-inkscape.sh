#!/usr/bin/env bash
# An SVG export is checked by drawing it in Inkscape (Debian's package), the editor slides are made with.
# Installs it when it is missing, so `npm test` is all a fresh Debian machine needs.
set -euo pipefail
[ -x /usr/bin/inkscape ] && exit 0
echo "Installing Debian's inkscape for the SVG export tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq inkscape >/dev/null
