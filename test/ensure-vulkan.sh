#!/usr/bin/env bash
# The WebGPU tests run the kernel on SwiftShader (Chromium's CPU Vulkan driver, shipped in Debian's chromium
# package) through the Vulkan loader (Debian's libvulkan1). Installs what is missing, so `npm test` is all
# a fresh Debian machine needs.
set -euo pipefail
bash "$(dirname "$0")/e2e/ensure-chromium.sh"
ldconfig -p | grep -q 'libvulkan\.so\.1' && exit 0
echo "Installing Debian's libvulkan1 for the WebGPU tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libvulkan1 >/dev/null
