#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Queue limit (early drop), skip-full, config changes under traffic, sysfs
# validation and the module parameters of macvtap_mq.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap mvq_cleanup EXIT
ktap_plan 10
mvq_setup

# 1. A reader that does not read: the queue stops at the limit and the
# excess is dropped early, counted in rx_dropped exactly.
# Per-queue counters come from vr_sched (vrctl) when it is built.
VRCTL=$PVR_ROOT/tools/vrctl/vrctl
d0=$(rx_dropped)
out=$(nsx timeout 120 "$DRV" open "$TAP" 1 write $SYS/limit 20 \
	send veth1 "$MAC" 100 sh "$VRCTL -s link show pvr0 2>&1" drain print)
d1=$(rx_dropped)
c=$(counts_of "$out")
ktap_diag "limit 20, 100 sent: read $c, rx_dropped +$((d1 - d0))"
if [ "$c" = 20 ] && [ $((d1 - d0)) = 80 ]; then
	ktap_ok "limit: occupancy stops at 20, early drops == excess (80)"
else
	ktap_fail "limit: occupancy stops at 20, early drops == excess (80)"
fi
if [ ! -x "$VRCTL" ]; then
	ktap_skip "per-queue counters via vr_sched" "tools/vrctl/vrctl not built"
else
	q=$(grep -E '^ +queue 0 ' <<<"$out")
	ktap_diag "vrctl: $q"
	if grep -qE 'queue 0 enabled enqueued 20 early_drops 80 full_drops 0 occupancy 20 eff_limit 20 ' <<<"$q"; then
		ktap_ok "per-queue counters: enqueued 20, early drops 80, occupancy 20"
	else
		ktap_diag "$out"
		ktap_fail "per-queue counters: enqueued 20, early drops 80, occupancy 20"
	fi
fi

# 2. skip-full: the excess moves to the other queue first (hash sends the
# flow to one queue), without it that queue drops.
d0=$(rx_dropped)
out=$(nsx timeout 120 "$DRV" open "$TAP" 2 write $SYS/policy hash \
	write $SYS/skip_full 1 send veth1 "$MAC" 30 cat "/sys/class/net/pvr0/statistics/rx_dropped" \
	drain print write $SYS/skip_full 0 send veth1 "$MAC" 30 drain print)
d1=$(rx_dropped)
c1=$(grep '^counts' <<<"$out" | head -n1 | cut -d' ' -f2- | tr ' ' '\n' | sort -n | xargs)
c2=$(counts_of "$out" | tr ' ' '\n' | sort -n | xargs)
mid=$(grep '^cat ' <<<"$out" | awk '{print $3}')
ktap_diag "skip-full on: $c1 (drops +$((mid - d0))); off: $c2 (drops +$((d1 - mid)))"
if [ "$c1" = "10 20" ] && [ "$mid" = "$d0" ]; then
	ktap_ok "skip-full: excess goes to the next queue, nothing dropped"
else
	ktap_fail "skip-full: excess goes to the next queue, nothing dropped"
fi
if [ "$c2" = "0 20" ] && [ $((d1 - mid)) = 10 ]; then
	ktap_ok "strict: without skip-full the excess is dropped early"
else
	ktap_fail "strict: without skip-full the excess is dropped early"
fi

# 3. Policy, limit, weights and skip-full flipped while traffic flows:
# every frame sent is either read or counted as a drop. The reader reads
# for 7 s, then on until its queues stay empty for 1 s: a frame still
# queued when it closes them would be freed by tap uncounted (a sender that
# starts late on a slow kernel left 15 there).
nsx "$DRV" write $SYS/limit 500 write $SYS/policy rr >/dev/null
d0=$(rx_dropped)
p0=$(nsx cat /sys/class/net/pvr0/statistics/rx_packets)
v0=$(rx_dropped veth0)
nsx timeout 60 "$DRV" open "$TAP" 3 readfor 7000 drain 1000 print >"/tmp/$NS.reader" &
rpid=$!
sleep 1
nsx timeout 60 "$DRV" sendfor veth1 "$MAC" 4000 >"/tmp/$NS.sender" &
spid=$!
flips=0
while kill -0 $spid 2>/dev/null; do
	for v in "policy hash" "limit 5" "policy wrr" "weights 3,2,1" \
		 "skip_full 1" "limit 300" "policy rr" "skip_full 0" "limit 40"; do
		set -- $v
		echo "$2" | nsx tee "$SYS/$1" >/dev/null && flips=$((flips + 1))
	done
done
wait $spid
wait $rpid
d1=$(rx_dropped)
p1=$(nsx cat /sys/class/net/pvr0/statistics/rx_packets)
v1=$(rx_dropped veth0)
sent=$(awk '/^sent/ {print $2}' "/tmp/$NS.sender")
got=$(sum "$(counts_of "$(cat "/tmp/$NS.reader")")")
# Frames that reached pvr0 (rx_packets, counted by macvlan before our rx
# handler) are each either read or counted in pvr0's rx_dropped. Frames
# the veth backlog dropped under TCG never reached pvr0 (veth0 rx_dropped).
ktap_diag "flips $flips: sent $sent, veth0 dropped $((v1 - v0)), pvr0 rx $((p1 - p0)), read $got, pvr0 dropped $((d1 - d0))"
rm -f "/tmp/$NS.reader" "/tmp/$NS.sender"
if [ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$flips" -ge 9 ] &&
   [ $((p1 - p0)) -gt 0 ] && [ $((got + d1 - d0)) = $((p1 - p0)) ]; then
	ktap_ok "runtime changes: every frame read or counted as dropped"
else
	ktap_fail "runtime changes: every frame read or counted as dropped"
fi

# 4. Bad sysfs input, with 3 queues open (ring size 500).
out=$(nsx "$DRV" open "$TAP" 3 \
	write $SYS/policy bogus write $SYS/policy "" \
	write $SYS/limit 0 write $SYS/limit 501 write $SYS/limit abc \
	write $SYS/limit 99999999999 write $SYS/skip_full 2 \
	write $SYS/weights 1,2 write $SYS/weights 0,1,1 \
	write $SYS/weights 1001,1,1 write $SYS/weights a,b,c write $SYS/weights ,)
want="policy bogus 22
limit 0 34
limit 501 34
limit abc 22
limit 99999999999 34
skip_full 2 22
weights 1,2 22
weights 0,1,1 34
weights 1001,1,1 34
weights a,b,c 22
weights , 22"
bad=0
while read -r attr val err; do
	grep -q "^write $SYS/$attr $val errno $err\$" <<<"$out" || {
		ktap_diag "expected errno $err for $attr='$val'"; bad=1; }
done <<<"$want"
[ "$(nsx cat $SYS/limit)" = 40 ] || [ "$(nsx cat $SYS/limit)" = 500 ] || bad=1
if [ $bad = 0 ]; then
	ktap_ok "sysfs: bad values refused with EINVAL/ERANGE, config unchanged"
else
	ktap_diag "$out"
	ktap_fail "sysfs: bad values refused with EINVAL/ERANGE, config unchanged"
fi

# 5. Writes need root: the files are 0644.
if command -v setpriv >/dev/null; then
	if nsx setpriv --reuid 65534 --regid 65534 --clear-groups \
		sh -c "echo hash > $SYS/policy" 2>/dev/null; then
		ktap_fail "sysfs: unprivileged write refused"
	else
		ktap_ok "sysfs: unprivileged write refused"
	fi
else
	ktap_skip "sysfs: unprivileged write refused" "setpriv (util-linux) missing"
fi

# 6. Module parameters are the defaults of new links.
P=/sys/module/macvtap_mq/parameters
old_p=$(cat $P/default_policy) old_l=$(cat $P/default_limit) old_s=$(cat $P/default_skip_full)
echo hash >$P/default_policy && echo 35 >$P/default_limit && echo 1 >$P/default_skip_full
nsx ip link add link veth0 name pvr1 type macvtap_mq
got="$(nsx cat /sys/class/net/pvr1/macvtap_mq/policy) $(nsx cat /sys/class/net/pvr1/macvtap_mq/limit) $(nsx cat /sys/class/net/pvr1/macvtap_mq/skip_full)"
nsx ip link del pvr1
echo "$old_p" >$P/default_policy; echo "$old_l" >$P/default_limit; echo "$old_s" >$P/default_skip_full
ktap_diag "new link with defaults hash/35/1: $got"
[ "$got" = "hash 35 1" ] && ktap_ok "module parameters: defaults of new links" ||
	ktap_fail "module parameters: defaults of new links"
if echo bogus >$P/default_policy 2>/dev/null; then
	ktap_fail "module parameters: bad default_policy refused"
else
	ktap_ok "module parameters: bad default_policy refused"
fi
ktap_finish
