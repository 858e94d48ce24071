#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the installed supported kernels (6.1 and 6.12 series, amd64), one
# release per line, oldest series first; only those with both an image in
# /boot and a build tree (headers). With --series, print "6.1 6.12" style
# series names of the supported set instead (for error messages).
set -eu
SERIES="6.1 6.12"
if [ "${1:-}" = --series ]; then
	echo "$SERIES"
	exit 0
fi
for s in $SERIES; do
	best=""
	for d in /lib/modules/"$s".*-amd64; do
		[ -e "$d/build/Makefile" ] || continue
		r=${d##*/}
		[ -e "/boot/vmlinuz-$r" ] || continue
		best=$r
	done
	# The newest of each series (glob order is lexical; fine within a series).
	[ -n "$best" ] && echo "$best"
done
exit 0
