#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages tdxsim needs, only those that are missing.
# Works as root (CI, containers) or through sudo (a workstation).
set -euo pipefail

# linux-source-6.12 (and xz-utils to unpack it) is the kernel tree whose own
# TDX host code the kernel suite compiles and runs (tools/kernel); bookworm
# ships it through its security updates.
# clang and libclang-rt-14-dev (libFuzzer and the sanitizer runtimes) build
# the fuzz harnesses for CI's fixed libFuzzer run (tools/fuzz/run-fixed.sh).
packages=(gcc libc6-dev libcapstone-dev libyaml-dev libcmocka-dev meson
	  ninja-build pkg-config python3 valgrind binutils linux-source-6.12 xz-utils
	  clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
