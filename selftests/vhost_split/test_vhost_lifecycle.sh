#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device life cycle on stock /dev/vhost-net and /dev/vhost-split: RESET_OWNER
# and reuse, backend detach/attach under traffic, two devices at once (and
# one of each kind), dirty logging (every page the device wrote has its
# bit set), the owner killed during traffic, and forwarding between two
# devices (a router stand-in, checked frame by frame by rawpkt), and the
# macvtap and AF_PACKET backends.
#
#   netns: vtl0, vtl1: taps with a tc mirred loop (loopback cases)
#          rawpkt -> vtf0 -> [dev A] vnetdrv forward [dev B] -> vtf1 -> rawpkt
#          macvtap vtmv0 (passthru) on veth vtv0 <-> vtv1 (mirred loop)
#          AF_PACKET on veth vtp0 <-> vtp1 (mirred loop)
set -u
. "$(dirname "$0")/lib.sh"
vt_need_programs

ktap_plan 21
vt_ns_setup || exit 1
trap vt_cleanup EXIT
for t in vtl0 vtl1; do vt_tap $t loop || exit 1; done
for t in vtf0 vtf1; do vt_tap $t || exit 1; done
vt_veth_loop vtv0 vtv1 || exit 1
vt_veth_loop vtp0 vtp1 || exit 1
mvt=$(vt_macvtap vtv0 vtmv0) || exit 1
trap 'vt_cleanup; rm -f "$mvt"' EXIT

for dev in $VT_DEVS; do
	d=$(vt_devname "$dev")
	vt_run "$d reset-owner-and-reuse" "$dev" loopback --tap vtl0 \
		--count 300 --reset
	vt_run "$d backend-detach-attach-under-traffic" "$dev" loopback \
		--tap vtl0 --count 600 --detach 3 --size 60,1514
	vt_run "$d two-devices-at-once" "$dev" loopback --tap vtl0 --tap vtl1 \
		--count 400
	vt_run "$d dirty-log" "$dev" loopback --tap vtl0 --count 300 --log \
		--size 60,1514 --regions 3
	vt_run "$d dirty-log-gso" "$dev" loopback --tap vtl0 --count 20 --log \
		--gso --size 60,65000 --timeout 15000
	vt_run "$d owner-killed-during-traffic" "$dev" ownerkill --tap vtl0
	vt_run "$d after-owner-kill-new-device-works" "$dev" loopback \
		--tap vtl0 --count 100
	vt_forward "$d forward-two-devices" "$dev" 2000
	vt_run "$d macvtap-backend-loopback" "$dev" loopback --backend macvtap \
		--tap "$mvt" --count 300 --size 60,1514
	vt_run "$d af-packet-backend-loopback" "$dev" loopback --backend packet \
		--vhost-hdr --tap vtp0 --count 300 --size 60,1514
done
if [ -c /dev/vhost-split ]; then
	vt_run "vhost-net and vhost-split at once" /dev/vhost-net loopback \
		--dev2 /dev/vhost-split --tap vtl0 --tap vtl1 --count 400
else
	ktap_fail "vhost-net and vhost-split at once # /dev/vhost-split missing"
fi
ktap_finish
