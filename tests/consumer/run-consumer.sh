#!/bin/sh
# SPDX-License-Identifier: MIT
# Install libtdxsim into a temporary prefix, then build and run a program
# against it using nothing but pkg-config: proof that the installed headers
# and tdxsim.pc are enough to use the library.
set -eu
meson=$1 build=$2 srcdir=$3 fixture=$4 sanitize=$5

if [ "$sanitize" != none ]; then
	echo "skipped: sanitizer build (the consumer is built without sanitizers)"
	exit 77
fi
cc=${CC:-cc}
command -v pkg-config >/dev/null || { echo "pkg-config missing"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DESTDIR="$tmp/root" "$meson" install -C "$build" --no-rebuild --quiet >/dev/null

pc=$(find "$tmp/root" -name tdxsim.pc | head -n 1)
[ -n "$pc" ] || { echo "tdxsim.pc was not installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
# Point the .pc file's prefix at the staged install.
export PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
flags="--define-variable=prefix=$tmp/root$prefix"
cflags=$(pkg-config $flags --cflags tdxsim)
libs=$(pkg-config $flags --libs tdxsim)
libdir=$(pkg-config $flags --variable=libdir tdxsim)

$cc -std=c11 -Wall -Wextra -Werror $cflags "$srcdir/consumer.c" -o "$tmp/consumer" $libs
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/consumer" "$fixture")
echo "$out"
case "$out" in
*"emr-canonical-tdx-135: 40 E820 entries, 5 CMRs"*) echo "1 passed, 0 failed" ;;
*) echo "unexpected output"; echo "0 passed, 1 failed"; exit 1 ;;
esac
