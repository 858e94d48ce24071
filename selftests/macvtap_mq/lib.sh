# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared setup of the macvtap_mq selftests. Topology, in a private netns:
#
#   mvqdrv send/udp --> veth1 ==== veth0 --> pvr0 (macvtap_mq) --> /dev/tapN
#                                        \-> mvt0 (stock macvtap, some tests)
#
# IPv6 is off in the netns so no stray frame enters the queue rotation.

MVQ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PVR_ROOT=${PVR_ROOT:-$(cd "$MVQ_DIR/../.." && pwd)}
. "$PVR_ROOT/selftests/lib/ktap.sh"
DRV=$MVQ_DIR/mvqdrv
NS=mvq-$(basename "$0" .sh)-$$

nsx() { ip netns exec "$NS" "$@"; }

mvq_cleanup() {
	ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}

mvq_require() {
	local why=""
	[ -x "$DRV" ] || why="mvqdrv not built (make -C selftests/macvtap_mq)"
	[ -d /sys/module/macvtap_mq ] || why="macvtap_mq.ko is not loaded"
	if [ -n "$why" ]; then
		ktap_plan 1
		ktap_skip "$(basename "$0")" "$why"
		ktap_finish
	fi
}

# mvq_setup [TXQUEUELEN]: netns, veth pair, pvr0; sets TAP, MAC, SYS.
mvq_setup() {
	ip netns add "$NS" || exit 1
	nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	nsx ip link add veth0 type veth peer name veth1 || exit 1
	nsx ip link add link veth0 name pvr0 type macvtap_mq || exit 1
	[ -n "${1:-}" ] && nsx ip link set pvr0 txqueuelen "$1"
	for d in veth0 veth1 pvr0; do nsx ip link set "$d" up; done
	TAP=/dev/tap$(nsx cat /sys/class/net/pvr0/ifindex)
	MAC=$(nsx cat /sys/class/net/pvr0/address)
	SYS=/sys/class/net/pvr0/macvtap_mq
	for _ in $(seq 50); do [ -c "$TAP" ] && break; sleep 0.1; done
}

# counts_of OUTPUT: the "counts" line's numbers (last one printed).
counts_of() { grep '^counts' <<<"$1" | tail -n1 | cut -d' ' -f2-; }

# within A B TOL: |A - B| <= TOL
within() { local d=$(($1 - $2)); [ ${d#-} -le "$3" ]; }

# all_within "C1 C2 ..." EXPECT TOL
all_within() {
	local c
	for c in $1; do within "$c" "$2" "$3" || return 1; done
}

sum() { local s=0 c; for c in $1; do s=$((s + c)); done; echo $s; }

rx_dropped() { nsx cat /sys/class/net/"${1:-pvr0}"/statistics/rx_dropped; }
