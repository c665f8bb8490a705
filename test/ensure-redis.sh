#!/usr/bin/env bash
# The queue tests run a real redis-server (Debian's package).
set -euo pipefail
[ -x /usr/bin/redis-server ] || bash "$(dirname "$0")/apt-install.sh" redis-server 'the queue tests'
