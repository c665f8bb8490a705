#!/usr/bin/env bash
# The .npz the CLI writes is checked by loading it with NumPy (Debian's python3-numpy, for /usr/bin/python3).
set -euo pipefail
/usr/bin/python3 -c 'import numpy' 2>/dev/null || bash "$(dirname "$0")/apt-install.sh" python3-numpy 'the snapshot tests'
