#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh VERSION KVER...: prove the dkms package builds for every
# given kernel. Works on a temporary copy of the package sources registered
# under a private version (VERSION+check), so an installed pvr is never
# touched; everything is removed afterwards.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
ver=${1:?usage: dkms-build.sh VERSION KVER...}
shift
[ $# -gt 0 ] || { echo "dkms-build: no supported kernel installed" >&2; exit 1; }
command -v dkms >/dev/null || { echo "dkms-build: dkms missing (run make deps)" >&2; exit 1; }

cver="$ver+check"
src=/usr/src/pvr-$cver
cleanup() {
	dkms remove -m pvr -v "$cver" --all >/dev/null 2>&1 || true
	rm -rf "$src" "/var/lib/dkms/pvr/$cver"
}
trap cleanup EXIT
cleanup

mkdir -p "$src"
cp -a "$top/Kbuild" "$top/compat" "$top/include" "$top/vr_sched" \
	"$top/vhost_split" "$top/macvtap_mq" "$src/"
sed "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$cver\"/" "$top/dkms.conf" >"$src/dkms.conf"
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod*' \) -delete

dkms add -m pvr -v "$cver" >/dev/null
for k in "$@"; do
	echo "  dkms build pvr/$cver for $k"
	if ! dkms build -m pvr -v "$cver" -k "$k" >/tmp/pvr-dkms.log 2>&1; then
		cat /tmp/pvr-dkms.log
		cat "/var/lib/dkms/pvr/$cver/build/make.log" 2>/dev/null || true
		echo "dkms-build: FAILED for $k" >&2
		exit 1
	fi
	for m in vr_sched vhost_split macvtap_mq; do
		if ! ls "/var/lib/dkms/pvr/$cver/$k/x86_64/module/$m.ko"* >/dev/null 2>&1; then
			echo "dkms-build: $m.ko missing for $k" >&2
			exit 1
		fi
	done
done
echo "dkms-build: pvr builds with dkms for: $*"
