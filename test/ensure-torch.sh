#!/usr/bin/env bash
# The exported PyTorch scripts are run by PyTorch itself (Debian's python3-torch, for /usr/bin/python3).
set -euo pipefail
/usr/bin/python3 -c 'import torch' 2>/dev/null || bash "$(dirname "$0")/apt-install.sh" python3-torch 'the PyTorch export tests'
