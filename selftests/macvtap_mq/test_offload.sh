#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GSO and checksum handling: UDP GSO (UDP_SEGMENT) and checksum-offload
# datagrams from veth1 reach a macvtap_mq queue and a stock macvtap queue
# on the same lower device; both readers must see the same frames (count,
# payload bytes, GSO frames, partial checksums, valid checksums) with and
# without vnet header offloads.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap mvq_cleanup EXIT
ktap_plan 8
mvq_setup
nsx ip link add link veth0 name mvt0 type macvtap
nsx ip link set mvt0 up
MTAP=/dev/tap$(nsx cat /sys/class/net/mvt0/ifindex)
for _ in $(seq 50); do [ -c "$MTAP" ] && break; sleep 0.1; done
nsx ip addr add 10.99.0.1/24 dev veth1
nsx ip neigh replace 10.99.0.2 lladdr "$MAC" dev veth1 nud permanent
nsx ip neigh replace 10.99.0.3 lladdr "$(nsx cat /sys/class/net/mvt0/address)" dev veth1 nud permanent

# TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6 (the USO
# bits exist from 6.2; older kernels refuse the mask, then CSUM|TSO only).
OFF_ALL=0x67
OFF_OLD=0x7

# run MODE... : both devices, 5 GSO sends of 4000 bytes in 1000-byte
# segments and 20 plain 1000-byte datagrams; prints the two queue lines.
run() {
	nsx timeout 120 "$DRV" open "$TAP" 1 "$@" open "$MTAP" 1 "$@" \
		udp 10.99.0.2 5 4000 1000 udp 10.99.0.3 5 4000 1000 \
		udp 10.99.0.2 20 1000 udp 10.99.0.3 20 1000 drain print
}

check() {
	local name=$1 out=$2 q0 q1
	q0=$(grep '^queue 0 ' <<<"$out" | cut -d' ' -f3-)
	q1=$(grep '^queue 1 ' <<<"$out" | cut -d' ' -f3-)
	ktap_diag "$name macvtap_mq: $q0"
	ktap_diag "$name macvtap:    $q1"
	set -- $q0
	# frames N payload B gso G partial P csum_ok K csum_bad X ...
	if [ -n "$q0" ] && [ "$q0" = "$q1" ] && [ "$4" = 40000 ] && [ "${12}" = 0 ]; then
		ktap_ok "$name: same frames as stock macvtap, all payload, no bad checksum"
	else
		ktap_fail "$name: same frames as stock macvtap, all payload, no bad checksum"
	fi
}

out=$(run novnet)
check "no vnet header" "$out"
set -- $(grep '^queue 0 ' <<<"$out" | cut -d' ' -f3-)
[ "$2" = 40 ] && [ "${10}" = 40 ] && ktap_ok "no vnet header: segmented to 40 frames, checksums complete" ||
	ktap_fail "no vnet header: segmented to 40 frames, checksums complete"

out=$(run)
check "vnet header, default offloads" "$out"

out=$(run offload $OFF_ALL)
if grep -q "offload $OFF_ALL errno" <<<"$out"; then
	out=$(run offload $OFF_OLD)
	ktap_diag "USO offloads refused by this kernel, using CSUM|TSO"
fi
check "vnet header, TUNSETOFFLOAD" "$out"
set -- $(grep '^queue 0 ' <<<"$out" | cut -d' ' -f3-)
[ "$8" -gt 0 ] && ktap_ok "offloads: partial checksums passed to the reader ($8 frames)" ||
	ktap_fail "offloads: partial checksums passed to the reader"

out=$(run offload 0)
check "vnet header, offloads off" "$out"

# Hostile frames: random vnet headers (bogus GSO/checksum metadata),
# ethertypes, lengths, into readers with and without vnet headers, on both
# links. Nothing may crash or leak (the VM runner checks the kernel log);
# afterwards both links still deliver a clean flow completely.
MMAC=$(nsx cat /sys/class/net/mvt0/address)
out=$(nsx timeout 200 "$DRV" open "$TAP" 1 novnet open "$TAP" 1 \
	open "$MTAP" 1 novnet open "$MTAP" 1 \
	fuzz veth1 "$MAC" 3000 fuzz veth1 "$MMAC" 1000 drain print \
	send veth1 "$MAC" 100 send veth1 "$MMAC" 100 drain print)
ktap_diag "$(grep '^fuzz' <<<"$out" | tr '\n' ' ')"
c=$(counts_of "$out")
ktap_diag "clean flow afterwards: $c"
if grep -q "accepted" <<<"$out" && [ "$(grep -c '^counts' <<<"$out")" = 2 ]; then
	ktap_ok "hostile frames: handled, readers keep working"
else
	ktap_fail "hostile frames: handled, readers keep working"
fi
set -- $c
[ $(($1 + $2)) = 100 ] && [ $(($3 + $4)) = 100 ] &&
	ktap_ok "hostile frames: links deliver a clean flow afterwards" ||
	ktap_fail "hostile frames: links deliver a clean flow afterwards"
ktap_finish
