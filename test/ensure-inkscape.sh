#!/usr/bin/env bash
# An SVG export is checked by drawing it in Inkscape (Debian's package), the editor slides are made with,
# and in librsvg's rsvg-convert, which draws SVG for much else (GNOME, ImageMagick, pandoc).
set -euo pipefail
[ -x /usr/bin/inkscape ] || bash "$(dirname "$0")/apt-install.sh" inkscape 'the SVG export tests'
[ -x /usr/bin/rsvg-convert ] || bash "$(dirname "$0")/apt-install.sh" librsvg2-bin 'the SVG export tests'
