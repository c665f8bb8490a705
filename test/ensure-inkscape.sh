#!/usr/bin/env bash
# An SVG export is checked by drawing it in Inkscape (Debian's package), the editor slides are made with.
set -euo pipefail
[ -x /usr/bin/inkscape ] || bash "$(dirname "$0")/apt-install.sh" inkscape 'the SVG export tests'
