#!/usr/bin/env bash
# The queue tests run a real redis-server (Debian's package). Installs it when it is missing, so `npm test`
# is all a fresh Debian machine needs.
set -euo pipefail
[ -x /usr/bin/redis-server ] && exit 0
echo "Installing Debian's redis-server for the queue tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
