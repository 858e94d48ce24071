#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes: link deletion and lower-device removal while fds are open and
# traffic flows, module unload with links present (and under traffic),
# unload refused while a queue fd is open. The VM runner checks dmesg for
# warnings, leaks and refcount reports afterwards.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap 'mvq_cleanup; [ -d /sys/module/macvtap_mq ] || insmod "$KO" 2>/dev/null' EXIT
KO=${PVR_KO_DIR:-$PVR_ROOT/.build/$(uname -r)}/macvtap_mq/macvtap_mq.ko
ktap_plan 7

# 1. Delete the link while two queues are open and frames flow.
mvq_setup
nsx timeout 60 "$DRV" open "$TAP" 2 readfor 8000 getif 0 print \
	>"/tmp/$NS.r" 2>&1 &
rpid=$!
nsx timeout 60 "$DRV" sendfor veth1 "$MAC" 3000 >/dev/null 2>&1 &
spid=$!
sleep 1.5
nsx ip link del pvr0
wait $rpid; rrc=$?
wait $spid
ktap_diag "$(grep -E '^(getif|counts)' "/tmp/$NS.r" | tr '\n' ' ')"
if [ $rrc = 0 ] && grep -q "^getif 0 errno 67" "/tmp/$NS.r" &&
   ! nsx ip link show pvr0 >/dev/null 2>&1 && [ ! -e "$TAP" ]; then
	ktap_ok "link deleted under traffic with fds open; fds then get ENOLINK"
else
	ktap_fail "link deleted under traffic with fds open; fds then get ENOLINK"
fi

# 2. Remove the lower device the same way.
nsx ip link add link veth0 name pvr0 type macvtap_mq && nsx ip link set pvr0 up
TAP=/dev/tap$(nsx cat /sys/class/net/pvr0/ifindex)
MAC=$(nsx cat /sys/class/net/pvr0/address)
for _ in $(seq 50); do [ -c "$TAP" ] && break; sleep 0.1; done
nsx timeout 60 "$DRV" open "$TAP" 2 readfor 8000 getif 1 print >"/tmp/$NS.r" 2>&1 &
rpid=$!
nsx timeout 60 "$DRV" sendfor veth1 "$MAC" 3000 >/dev/null 2>&1 &
spid=$!
sleep 1.5
nsx ip link del veth0
wait $rpid; rrc=$?
wait $spid
if [ $rrc = 0 ] && grep -q "^getif 1 errno 67" "/tmp/$NS.r" &&
   ! nsx ip link show pvr0 >/dev/null 2>&1; then
	ktap_ok "lower device removed under traffic: link gone, fds get ENOLINK"
else
	ktap_fail "lower device removed under traffic: link gone, fds get ENOLINK"
fi
rm -f "/tmp/$NS.r"

# 3. Unload refused while a queue fd is open (the cdev pins the module).
nsx ip link add veth0 type veth peer name veth1
nsx ip link add link veth0 name pvr0 type macvtap_mq
nsx ip link add link veth0 name pvr1 type macvtap_mq
for d in veth0 veth1 pvr0 pvr1; do nsx ip link set "$d" up; done
# Both links run the adaptive controller (a delayed work) during the unload.
for d in pvr0 pvr1; do
	echo adaptive | nsx tee /sys/class/net/$d/macvtap_mq/qmode >/dev/null
done
TAP=/dev/tap$(nsx cat /sys/class/net/pvr0/ifindex)
MAC=$(nsx cat /sys/class/net/pvr0/address)
for _ in $(seq 50); do [ -c "$TAP" ] && break; sleep 0.1; done
exec 7<>"$TAP"
if rmmod macvtap_mq 2>/dev/null; then
	ktap_fail "unload refused while a queue fd is open"
	insmod "$KO"
else
	ktap_ok "unload refused while a queue fd is open"
fi
exec 7>&-

# 4. Unload with two links present while frames flow into them.
nsx timeout 60 "$DRV" sendfor veth1 "$MAC" 2500 >/dev/null 2>&1 &
spid=$!
sleep 1
if rmmod macvtap_mq; then
	ktap_ok "unload with links present (adaptive controller running) under traffic"
else
	ktap_fail "unload with links present (adaptive controller running) under traffic"
fi
wait $spid
if ! nsx ip link show pvr0 >/dev/null 2>&1 && ! nsx ip link show pvr1 >/dev/null 2>&1; then
	ktap_ok "unload removed every macvtap_mq link"
else
	ktap_fail "unload removed every macvtap_mq link"
fi
insmod "$KO"
if nsx ip link add link veth0 name pvr0 type macvtap_mq &&
   nsx test -d /sys/class/net/pvr0/macvtap_mq; then
	ktap_ok "reload: links can be created again"
else
	ktap_fail "reload: links can be created again"
fi

# 5. Netns teardown with a link and an open fd: dellink runs from netns exit.
TAP=/dev/tap$(nsx cat /sys/class/net/pvr0/ifindex)
for _ in $(seq 50); do [ -c "$TAP" ] && break; sleep 0.1; done
echo adaptive | nsx tee /sys/class/net/pvr0/macvtap_mq/qmode >/dev/null
exec 7<>"$TAP"
ip netns del "$NS"
for _ in $(seq 100); do [ -e "$TAP" ] || break; sleep 0.1; done
exec 7>&-
if [ ! -e "$TAP" ]; then
	ktap_ok "netns deletion with an open fd removes the link"
else
	ktap_fail "netns deletion with an open fd removes the link"
fi
ktap_finish
