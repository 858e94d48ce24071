#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build (or reuse) the pvr debug kernel from Debian's
# linux-source-6.12 tarball with debug/debug.config (KASAN, UBSAN, lockdep,
# kmemleak, fault injection) and print the path of its build tree.
#
# The tree is cached outside the repository, in $PVR_CACHE (default
# /var/lib/pvr), keyed by the tarball's package version and the sha256 of
# the fragment, so a second run skips the build. Not /var/cache: virtme-ng
# mounts a tmpfs over it in the guest, which then cannot see the tree's
# modules (modprobe: "Module tun not found").
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
[ -e "$tarball" ] || { echo "debug-kernel: $tarball missing (run make deps)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || stat -c %Y "$tarball")
key=$( (echo "$srcver"; cat "$top/debug/debug.config") | sha256sum | cut -c1-16)
cache=${PVR_CACHE:-/var/lib/pvr}/debug-kernel/$key
tree=$cache/linux-source-6.12

if [ -e "$cache/done" ]; then
	echo "$tree"
	exit 0
fi

log() { echo "debug-kernel: $*" >&2; }
rm -rf "$cache"
mkdir -p "$cache"
log "extracting $tarball (source $srcver) into $cache"
tar -xJf "$tarball" -C "$cache"
cd "$tree"
log "configuring: virtme-ng minimal config + debug/debug.config"
vng --kconfig >/dev/null 2>&1
scripts/kconfig/merge_config.sh -m .config "$top/debug/debug.config" >/dev/null
make -s olddefconfig
for opt in KASAN PROVE_LOCKING DEBUG_KMEMLEAK FAILSLAB UBSAN IPV6 USER_NS; do
	grep -q "^CONFIG_$opt=y" .config || { log "CONFIG_$opt did not stick"; exit 1; }
done
for opt in NET_SCH_INGRESS NET_CLS_MATCHALL NET_ACT_MIRRED; do
	grep -Eq "^CONFIG_$opt=[ym]" .config || { log "CONFIG_$opt did not stick"; exit 1; }
done
log "building with $(nproc) jobs (about 30-60 minutes on 2 cores)"
start=$(date +%s)
make -s -j"$(nproc)" bzImage modules >"$cache/build.log" 2>&1 ||
	{ tail -n 30 "$cache/build.log" >&2; exit 1; }
log "built in $(($(date +%s) - start)) s"
touch "$cache/done"
echo "$tree"
