#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile guest: for each case of vnetdrv's hostile mode a victim device's
# ring is filled with one kind of garbage (descriptor outside the memory
# table, zero-length and 4 GiB chains, loops, chains longer than the ring,
# INDIRECT+NEXT, nested indirect, indirect length not a multiple of 16,
# avail index jump, head out of range, read-only used ring, guest memory
# unmapped). Must-error cases have to signal VHOST_SET_VRING_ERR's eventfd;
# in every case a second device must still pass traffic while the victim is
# open, and nothing may hang (bounded waits, alarm) or oops (vm.sh checks
# dmesg). Run on stock /dev/vhost-net and /dev/vhost-split.
set -u
. "$(dirname "$0")/lib.sh"
vt_need_programs
vt_ns_setup || exit 1
trap vt_cleanup EXIT
vt_tap vth0 || exit 1
vt_tap vth1 loop || exit 1

mapfile -t cases < <("$VT_DRV" list-hostile | awk '{ print $1 }')
ktap_plan $((${#cases[@]} * 2))
for dev in $VT_DEVS; do
	for c in "${cases[@]}"; do
		VT_TMO=90 vt_run "$(vt_devname "$dev") hostile $c" "$dev" \
			hostile --tap vth0 --tap vth1 --case "$c"
	done
done
ktap_finish
