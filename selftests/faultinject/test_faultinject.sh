#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation-failure injection over pvr's setup paths (fail-nth; needs a
# kernel with CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC: the
# debug kernel of make check-debug; skipped with the reason elsewhere).
#
#   vhost_split: device open, SET_OWNER, SET_MEM_TABLE, vring setup,
#                backend attach (tap fitap0)
#   macvtap_mq:  link creation on a veth (fiv0), queue open
#   vr_sched:    generic netlink link set (macvtap_mq link pvrfi1 on fiv0),
#                rule add, rule del, worker set (a vhost_split worker);
#                each error must leave the state as it was
#
# Leaks and warnings are judged by the runner (kmemleak, dmesg, unload).
dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/../lib/ktap.sh"

if [ ! -e /proc/self/fail-nth ]; then
	ktap_plan 1
	ktap_skip "fault injection" "kernel without CONFIG_FAULT_INJECTION (no fail-nth); make check-debug runs this"
	ktap_finish
fi

cleanup() {
	ip link del fiv0 2>/dev/null
	ip link del pvrfi0 2>/dev/null
	ip link del pvrfi1 2>/dev/null
	for a in failslab fail_page_alloc; do
		[ -d /sys/kernel/debug/$a ] && echo Y >/sys/kernel/debug/$a/ignore-gfp-wait
	done
}
trap cleanup EXIT

# Let sleeping allocations fail too (the default spares them).
for a in failslab fail_page_alloc; do
	d=/sys/kernel/debug/$a
	[ -d $d ] || continue
	echo N >$d/ignore-gfp-wait
	echo 0 >$d/verbose
	[ -e $d/ignore-gfp-highmem ] && echo N >$d/ignore-gfp-highmem
done

ip link add fiv0 type veth peer name fiv1 || exit 1
ip link set fiv0 up

# Each fi_setup run prints its own TAP; re-number into one stream as it
# comes (the plan goes last), so a run cut short by the runner's timeout
# still shows how far each sweep got.
n=0 rc=0
echo "TAP version 13"
while IFS= read -r line; do
	case "$line" in
	"ok "*|"not ok "*)
		n=$((n + 1))
		echo "$line" | sed -E "s/^(not )?ok [0-9]+/\1ok $n/"
		;;
	"#"*) echo "$line" ;;
	rc=*) [ "${line#rc=}" = 0 ] || rc=1 ;;
	esac
done < <( { "$dir/fi_setup" vhost /dev/vhost-split fitap0; echo "rc=$?"; \
	"$dir/fi_setup" link fiv0; echo "rc=$?"; \
	"$dir/fi_setup" netlink /dev/vhost-split fiv0; echo "rc=$?"; } 2>&1)
echo "1..$n"
exit $rc
