#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Positive matrix: vnetdrv loopback (TX -> tap -> tc mirred -> same tap ->
# RX, every frame compared byte for byte) with each feature on and off,
# 60-byte and 64 KiB GSO frames, chained/indirect/multi-region buffers, on
# the stock /dev/vhost-net and on /dev/vhost-split in the same run.
#
#   netns: [vnetdrv] <-> /dev/vhost-{net,split} <-> tap vtl0 (mirred loop)
set -u
. "$(dirname "$0")/lib.sh"
vt_need_programs

cases=(
	"default|--count 300"
	"no-version1|--count 300 --no-version1"
	"no-mrg-rxbuf|--count 300 --no-mrg"
	"no-event-idx|--count 300 --no-event-idx"
	"no-indirect-chains|--count 300 --no-indirect --segs 3 --size 60,1514"
	"indirect-chains|--count 300 --segs 4 --size 60,1514"
	"legacy-all-off|--count 300 --no-version1 --no-mrg --no-event-idx --no-indirect"
	"vhost-net-hdr|--count 300 --vhost-hdr --size 60,1514"
	"sizes-60-1514|--count 300 --size 60,61,1000,1514"
	"gso-64k-mrg|--count 40 --gso --size 60,65000 --timeout 15000"
	"gso-64k-big-buffers|--count 40 --gso --size 60,65000 --no-mrg --timeout 15000"
	"gso-64k-no-event-idx-indirect|--count 40 --gso --size 65000 --no-event-idx --segs 8 --timeout 15000"
	"buffers-span-regions|--count 300 --regions 4 --size 60,1514"
	"ring-1024|--count 600 --ring 1024 --size 60"
	"ring-64|--count 300 --ring 64 --size 60"
)

ktap_plan $((${#cases[@]} * 2))
vt_ns_setup || exit 1
trap vt_cleanup EXIT
vt_tap vtl0 loop || exit 1

for dev in $VT_DEVS; do
	for c in "${cases[@]}"; do
		name=${c%%|*}
		args=${c#*|}
		# shellcheck disable=SC2086
		if vt_run "$(vt_devname "$dev") loopback $name" "$dev" \
			loopback --tap vtl0 $args; then
			case $name in
			buffers-span-regions)
				echo "$VT_OUT" | grep -q '"straddling":[1-9]' ||
					ktap_diag "WARNING: no buffer straddled a region"
				;;
			esac
		fi
	done
done
ktap_finish
