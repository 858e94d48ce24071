#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioctl misuse: every case of vnetdrv's misuse mode (ioctls before
# SET_OWNER, SET_OWNER twice and from a second process, bad VRING_NUM,
# overlapping/zero/overflowing memory regions, misaligned ring addresses,
# backend fds that are not supported sockets, unknown ioctls ...) must
# return on /dev/vhost-split exactly what it returns on stock
# /dev/vhost-net in the same run. Stock itself is checked against the
# errnos it is known to return for the cases the issue names.
set -u
. "$(dirname "$0")/lib.sh"
vt_need_programs
vt_ns_setup || exit 1
trap vt_cleanup EXIT
vt_tap vtm0 || exit 1

declare -A known=(
	[mem-table-before-owner]=EPERM [vring-num-before-owner]=EPERM
	[backend-before-owner]=EPERM [set-owner-twice]=EBUSY
	[set-owner-second-process]=EBUSY [mem-table-second-process]=EPERM
	[vring-num-not-power-of-2]=EINVAL [vring-num-65536]=EINVAL
	[vring-num-zero]=EINVAL [vring-num-32768]=0
	[vring-addr-avail-misaligned]=EINVAL [vring-addr-used-misaligned]=EINVAL
	[backend-eventfd]=ENOTSOCK [backend-udp-socket]=ENOTSOCK
	[vring-num-while-running]=EBUSY [vring-addr-valid]=0
)

stock=$(vt_drv misuse --tap vtm0 --dev /dev/vhost-net 2>&1)
rc=$?
mapfile -t names < <(echo "$stock" | awk '$1 == "misuse" { print $2 }')
ktap_plan $((${#names[@]} * 2 + 1))
echo "$stock" | sed 's/^/# stock: /'
ktap_check "stock vhost-net misuse run completed" test $rc -eq 0
for n in "${names[@]}"; do
	got=$(echo "$stock" | awk -v n="$n" '$2 == n { print $3 }')
	if [ -n "${known[$n]:-}" ] && [ "${known[$n]}" != "$got" ]; then
		ktap_fail "vhost-net $n: $got, expected ${known[$n]}"
	else
		ktap_ok "vhost-net $n: $got"
	fi
done
if [ -c /dev/vhost-split ]; then
	split=$(vt_drv misuse --tap vtm0 --dev /dev/vhost-split 2>&1)
	echo "$split" | sed 's/^/# split: /'
else
	split=""
fi
for n in "${names[@]}"; do
	want=$(echo "$stock" | awk -v n="$n" '$2 == n { print $3 }')
	got=$(echo "$split" | awk -v n="$n" '$2 == n { print $3 }')
	if [ -z "$split" ]; then
		ktap_fail "vhost-split $n # /dev/vhost-split missing"
	elif [ "$got" = "$want" ]; then
		ktap_ok "vhost-split $n: $got (stock $want)"
	else
		ktap_fail "vhost-split $n: ${got:-no result}, stock returns $want"
	fi
done
ktap_finish
