#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vr_sched links: vrctl link show/set on a macvtap_mq link, checked against
# the link's sysfs files and its per-queue counters under traffic; refusals,
# per-namespace visibility, permissions, monitor and the stock ynl CLI.
#
#   python AF_PACKET --> vrlb-PID ==veth== vrla-PID --> vrm-PID (macvtap_mq)
#                                                      |-- queue 0 (fd, unread)
#                                                      |-- queue 1 (fd, unread)
#                                                      `-- queue 2 (fd, unread)
#
# Needs vr_sched and macvtap_mq loaded (the runner does it), root. Without
# a working "ip link add ... type macvtap_mq" this test FAILS.
set -u

ROOT=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/selftests/lib/ktap.sh"
V="$ROOT/tools/vrctl/vrctl"
A=vrla-$$ B=vrlb-$$ M=vrm-$$ M2=vrn-$$
NS=vrl-ns-$$
MON=/tmp/vrl-mon-$$.json

cleanup() {
	[ -n "${monpid:-}" ] && kill "$monpid" 2>/dev/null
	exec 7<&- 8<&- 9<&- 2>/dev/null
	ip link del "$M2" 2>/dev/null
	ip link del "$M" 2>/dev/null
	ip link del "$A" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -f "$MON"
}
trap cleanup EXIT

err_has() {
	local msg=$1 out
	shift
	out=$("$@" 2>&1) && { ktap_diag "unexpected success: $*"; return 1; }
	echo "$out" | grep -qF -- "$msg" || { ktap_diag "got: $out"; return 1; }
}

# lj FIELD: the value after FIELD in "vrctl link show"; lq FIELD: the
# per-queue values from "vrctl -s link show" (awk: python is slow in TCG).
lj() {
	"$V" link show "$M" |
		awk -v f="$1" '{ for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }'
}
lq() {
	"$V" -s link show "$M" |
		awk -v f="$1" '$1 == "queue" { for (i = 1; i < NF; i++) if ($i == f) printf "%s ", $(i + 1) }'
}

ktap_plan 25

ip link add "$A" type veth peer name "$B" || { ktap_fail "veth pair"; ktap_finish; }
if ! ip link add link "$A" name "$M" type macvtap_mq; then
	ktap_fail "ip link add type macvtap_mq (needed for every link test)"
	ktap_finish
fi
ktap_ok "ip link add type macvtap_mq"
ip link set "$A" up; ip link set "$B" up; ip link set "$M" up
IDX=$(cat "/sys/class/net/$M/ifindex")
exec 7<>"/dev/tap$IDX" 8<>"/dev/tap$IDX" 9<>"/dev/tap$IDX"

ktap_check "link show names the link with 3 queues" \
	bash -c "'$V' link show $M | grep -q '^link $IDX $M mode .* queues 3\$'"
ktap_check "link dump lists it" bash -c "'$V' link show | grep -q ' $M '"
ktap_check "link show -j agrees with sysfs policy/limit" \
	python3 -c "
import json, subprocess, sys
l = json.loads(subprocess.check_output(['$V', '-j', 'link', 'show', '$M']))[0]
sysfs = lambda f: open('/sys/class/net/$M/macvtap_mq/' + f).read().strip()
sys.exit(not (l['policy'] == sysfs('policy') and str(l['limit']) == sysfs('limit')
              and len(l['queues']) == 3 and l['ifindex'] == $IDX))"

"$V" link set "$M" policy wrr limit 50 skip-full on weights 2,1,1
ktap_check "link set policy wrr -> sysfs" grep -qx wrr "/sys/class/net/$M/macvtap_mq/policy"
ktap_check "link set limit 50 -> sysfs" grep -qx 50 "/sys/class/net/$M/macvtap_mq/limit"
ktap_check "link set skip-full on -> sysfs" grep -qx 1 "/sys/class/net/$M/macvtap_mq/skip_full"
ktap_check "link set weights 2,1,1 -> sysfs" \
	bash -c "tr -d ' \n' < /sys/class/net/$M/macvtap_mq/weights | grep -qx '2,1,1'"
ktap_check "link show reports what was set" \
	bash -c "'$V' link show $M | grep -q 'policy wrr limit 50 skip-full on weights 2,1,1 queues 3'"
echo rr > "/sys/class/net/$M/macvtap_mq/policy"
ktap_check "a sysfs change shows in link show" [ "$(lj policy)" = rr ] ||
	ktap_diag "vrctl: $(lj policy), sysfs: $(cat /sys/class/net/$M/macvtap_mq/policy)"

ktap_check "refused: 2 weights for 3 queues" \
	err_has "weight count" "$V" link set "$M" weights 1,1
ktap_check "refused: weight 0" err_has "out of range" "$V" link set "$M" weights 0,1,1
ktap_check "refused: limit 0" err_has "out of range" "$V" link set "$M" limit 0
ktap_check "refused: limit beyond the ring" \
	err_has "limit must be" "$V" link set "$M" limit 100000000
ktap_check "refused: not a macvtap_mq link" \
	err_has "not a macvtap_mq link" "$V" link set "$A" limit 10
ktap_check "refused: unknown device" \
	err_has "no such device" "$V" link set nosuchdev0 limit 10
# The mode is a macvlan attribute changed through rtnetlink; a kind
# without changelink refuses or ignores it, and vrctl must say so.
cur=$(lj mode) new=vepa
[ "$cur" = vepa ] && new=bridge
if "$V" link set "$M" mode "$new" 2>/tmp/vrl-mode-$$; then
	ktap_check "link set mode $new (was $cur) applied" [ "$(lj mode)" = "$new" ]
else
	ktap_check "link set mode $new refused with an error: $(cat /tmp/vrl-mode-$$)" \
		bash -c "grep -q '^Error: ' /tmp/vrl-mode-$$ && '$V' link show $M | grep -q ' mode $cur '"
fi
rm -f /tmp/vrl-mode-$$

# Traffic: 300 frames to the link's MAC, round robin over 3 unread queues
# with limit 5: every queue takes 5, the rest is dropped early.
"$V" link set "$M" policy rr limit 5 skip-full off
MAC=$(cat "/sys/class/net/$M/address")
python3 - "$B" "$MAC" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
f = bytes.fromhex(sys.argv[2].replace(':', '')) + bytes.fromhex('02aabbccddee') + b'\x08\x00' + bytes(46)
for _ in range(300):
    s.send(f)
EOF
sleep 1
enq=$(lq enqueued) early=$(lq early_drops)
ktap_check "rr spreads frames over all 3 queues (enqueued: $enq)" \
	bash -c "for n in $enq; do [ \$n -gt 0 ] || exit 1; done"
ktap_check "limit 5 drops early (early_drops: $early)" \
	bash -c "s=0; for n in $early; do s=\$((s + n)); done; [ \$s -gt 0 ]"
ktap_check "link show -s prints per-queue counters" \
	bash -c "'$V' -s link show $M | grep -q 'queue 0 enabled enqueued [1-9]'"

ip netns add "$NS"
ktap_check "other netns: link not listed and not settable" \
	bash -c "[ -z \"\$(ip netns exec $NS '$V' link show)\" ] && ! ip netns exec $NS '$V' link set $M limit 9 2>/dev/null"
NOCAP="setpriv --inh-caps=-net_admin --bounding-set=-net_admin"
ktap_check "without CAP_NET_ADMIN: link show allowed, link set refused" \
	bash -c "$NOCAP '$V' link show $M >/dev/null && ! $NOCAP '$V' link set $M limit 9 2>/dev/null"

"$V" -j monitor > "$MON" &
monpid=$!
sleep 1
"$V" link set "$M" limit 7
ip link add link "$A" name "$M2" type macvtap_mq
# With no queue attached, weights may be set ahead of time: 64 of them.
# Their answer and notification must be sized for the weights, not for
# the (zero) queues (a bug the netlink fuzz target found).
W64=$(seq -s, 1 64)
ktap_check "64 weights ahead of time on a link without queues: set and show" \
	bash -c "'$V' link set $M2 weights $W64 &&
		'$V' link show $M2 | grep -q ' weights $W64 queues 0'"
ip link del "$M2"
sleep 1
kill "$monpid"; wait "$monpid" 2>/dev/null; monpid=
ktap_check "monitor: link change, link new, link change (64 weights), link del" \
	python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$MON') if l.strip()]
got = [(e['event'], e['name']) for e in ev]
want = [('link change', '$M'), ('link new', '$M2'), ('link change', '$M2'),
        ('link del', '$M2')]
sys.exit(0 if got == want and ev[0]['limit'] == 7 and
         ev[2]['weights'] == list(range(1, 65)) else print(got) or 1)"

YNL=$ROOT/.build/ynl/linux-source-6.12
out=$(PYTHONDONTWRITEBYTECODE=1 python3 "$YNL/tools/net/ynl/cli.py" \
	--spec "$ROOT/Documentation/netlink/specs/vr_sched.yaml" \
	--schema "$YNL/Documentation/netlink/genetlink-c.yaml" \
	--dump link-get --output-json 2>&1)
ktap_check "stock ynl cli dumps the link with our spec" \
	python3 -c "
import json, sys
ls = [l for l in json.loads(sys.argv[1]) if l['name'] == '$M']
assert ls and ls[0]['ifindex'] == $IDX and ls[0]['limit'] == 7 and len(ls[0]['queue']) == 3, ls
" "$out" || ktap_diag "ynl: $out"
ktap_finish
