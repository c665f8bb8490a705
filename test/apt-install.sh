#!/usr/bin/env bash
# Installs one Debian package a tier of the tests needs (`apt-install.sh PACKAGE WHAT-FOR`), as root or
# through sudo: each ensure-*.sh checks for what it needs and calls this only when it is missing, so
# `npm test` is all a fresh Debian machine needs.
set -euo pipefail
echo "Installing Debian's $1 for $2..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null
