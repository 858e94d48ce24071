#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl over every pvr kernel source file. The
# script is taken at run time from Debian's linux-source tarball (the newest
# supported series first) and cached in .build/checkpatch; it is never
# committed. Fails on any error, warning or check.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$top/.build/checkpatch
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	tarball=""
	for t in /usr/src/linux-source-6.12.tar.xz /usr/src/linux-source-6.1.tar.xz; do
		[ -e "$t" ] && { tarball=$t; break; }
	done
	[ -n "$tarball" ] || { echo "style: no linux-source tarball (run make deps)" >&2; exit 1; }
	base=$(basename "$tarball" .tar.xz)
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" --strip-components=1 \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
fi

cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'vr_sched/*.[ch]' 'vhost_split/*.[ch]' 'macvtap_mq/*.[ch]' \
	'compat/*.[ch]' 'include/*.h' 'selftests/*/kmod/*.[ch]' | sort -u)
bad=0
for f in "${files[@]}"; do
	[ -e "$f" ] || continue
	if ! out=$("$cache/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES -f "$f" 2>&1); then
		echo "$out" | grep -v '^total:' || true
		bad=1
	elif echo "$out" | grep -qE '(WARNING|ERROR|CHECK):'; then
		echo "$out"
		bad=1
	fi
done
if [ "$bad" = 0 ]; then
	echo "style: checkpatch clean (${#files[@]} files)"
fi
exit "$bad"
