#!/usr/bin/env bash
# The WebGPU tests run the kernel on SwiftShader (Chromium's CPU Vulkan driver, shipped in Debian's chromium
# package) through the Vulkan loader (Debian's libvulkan1).
set -euo pipefail
bash "$(dirname "$0")/e2e/ensure-chromium.sh"
# not `ldconfig -p | grep -q`: under pipefail, grep stopping at the first match fails ldconfig (SIGPIPE) and the pipe
grep -q 'libvulkan\.so\.1' < <(ldconfig -p) || bash "$(dirname "$0")/apt-install.sh" libvulkan1 'the WebGPU tests'
