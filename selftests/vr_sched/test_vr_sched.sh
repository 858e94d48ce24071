#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vr_sched workers, rules, monitor, permissions, malformed input and the
# stock ynl CLI, driven through vrctl and checked independently in /proc,
# with chrt and through the test module's own record of each worker's state
# at its first batch.
#
#   vr_sched.ko <-- vr_sched_test.ko: dummy kthread workers "vrt-rx-N",
#        |          registered from the thread before its first batch
#        +-- genl "vr_sched" <-- vrctl / vr_raw / ynl cli.py
#
# Needs: vr_sched loaded (the runner does it), PVR_TESTMOD_DIR, root.
set -u

ROOT=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/selftests/lib/ktap.sh"
V="$ROOT/tools/vrctl/vrctl"
P=/sys/module/vr_sched_test/parameters
NS=vrs-ns-$$
OWNER=/tmp/vrtowner-$$
MON=/tmp/vr-mon-$$.json

cleanup() {
	[ -n "${monpid:-}" ] && kill "$monpid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	for id in $("$V" rule show 2>/dev/null | awk '{print $2}'); do
		"$V" rule del "$id" 2>/dev/null
	done
	[ -d "$P" ] && rmmod vr_sched_test 2>/dev/null
	rm -f "$OWNER" "$MON"
	echo 1 > /sys/devices/system/cpu/cpu1/online 2>/dev/null
}
trap cleanup EXIT

# wj ID FIELD: the value after FIELD in "vrctl -s worker show ID" (python
# startups are slow under TCG, so the text output is parsed with awk).
wj() {
	"$V" -s worker show "$1" |
		awk -v f="$2" '{ for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }'
}

# The newest worker's id.
last_worker() {
	"$V" worker show | awk '{ print $2 }' | sort -n | tail -n 1
}

# first_* fields the test module recorded for worker ID.
first() {
	sed -n "s/^id=$1 .*$2=\([^ ]*\).*/\1/p" "$P/workers"
}

# err_has MSG CMD...: the command fails and prints MSG (the kernel's extack).
err_has() {
	local msg=$1 out
	shift
	out=$("$@" 2>&1) && { ktap_diag "unexpected success: $*"; return 1; }
	echo "$out" | grep -qF -- "$msg" || { ktap_diag "got: $out"; return 1; }
}

sched_is() {	# TID "SCHED_FIFO" PRIO
	local out
	out=$(chrt -p "$1") || return 1
	echo "$out" | grep -q "policy: $2\$" &&
		echo "$out" | grep -q "priority: $3\$" ||
		{ ktap_diag "chrt: $out"; return 1; }
}

ktap_plan 48

[ -x "$V" ] || { ktap_diag "build tools/vrctl first"; exit 1; }
if ! insmod "$PVR_TESTMOD_DIR/vr_sched/vr_sched_test.ko" nworkers=2; then
	ktap_fail "load vr_sched_test.ko"
	ktap_finish
fi
ktap_ok "load vr_sched_test.ko with 2 workers"

# --------------------------------------------------------------- show
ids=$("$V" -j worker show | python3 -c \
	'import json,sys; print(" ".join(str(w["id"]) for w in json.load(sys.stdin) if w["kind"] == "vr_sched_test"))')
set -- $ids
W1=${1:-0} W2=${2:-0}
ktap_check "worker show -j lists the 2 test workers ($ids)" [ $# -eq 2 ]
T1=$(wj "$W1" tid) T2=$(wj "$W2" tid)
ktap_check "worker tids match the module's own ($T1 $T2)" \
	grep -q "^id=$W1 tid=$T1 dir=rx" "$P/workers"
ktap_check "worker show text names dir, tid, owner, kind" \
	bash -c "'$V' worker show $W1 | grep -q 'worker $W1 dir rx tid $T1 owner [0-9]*/insmod dev [0-9]* kind vr_sched_test cpus'"
ktap_check "thread comm is vrt-rx-N" grep -q '^vrt-rx-' "/proc/$T1/comm"

p1=$(wj "$W1" packets) k1=$(wj "$W1" wakeups)
sleep 1
p2=$(wj "$W1" packets) k2=$(wj "$W1" wakeups) b2=$(wj "$W1" busy_ns) y2=$(wj "$W1" bytes)
ktap_check "counters move: packets $p1 -> $p2, wakeups $k1 -> $k2" \
	[ "$p2" -gt "$p1" -a "$k2" -gt "$k1" ]
ktap_check "bytes = 256 x packets, busy_ns > 0 ($y2, $b2)" \
	[ "$y2" -ge $((p2 * 256)) -a "$b2" -gt 0 ]
ktap_check "worker show -s prints counters" \
	bash -c "'$V' -s worker show $W1 | grep -q 'packets [0-9]* bytes'"

# ---------------------------------------------------------------- set
"$V" worker set "$W1" cpus 1
ktap_check "worker set cpus 1 -> /proc Cpus_allowed_list 1" \
	grep -q "^Cpus_allowed_list:[[:space:]]*1\$" "/proc/$T1/status"
"$V" worker set "$W1" policy fifo prio 50
ktap_check "worker set policy fifo prio 50 -> chrt" sched_is "$T1" SCHED_FIFO 50
"$V" worker set "$W1" cpus 0-1 policy rr prio 7
ktap_check "worker set cpus 0-1 policy rr prio 7 -> chrt and /proc" \
	bash -c "chrt -p $T1 | grep -q 'policy: SCHED_RR' && grep -q '^Cpus_allowed_list:[[:space:]]*0-1\$' /proc/$T1/status"
"$V" worker set "$W1" policy other nice -5
ktap_check "worker set policy other nice -5 -> chrt, /proc/stat nice" \
	bash -c "chrt -p $T1 | grep -q 'policy: SCHED_OTHER' && [ \$(awk '{print \$19}' /proc/$T1/stat) = -5 ]"
ktap_check "worker show reports policy other nice -5" \
	bash -c "'$V' worker show $W1 | grep -q 'cpus 0-1 policy other nice -5'"
# The online check needs an offline CPU; CPU hotplug is an environment
# capability (absent or refused in some VMs), not a vr_sched feature.
# Before any deadline test: reserved bandwidth makes hotplug fail (EBUSY).
if hp=$(echo 0 2>&1 > /sys/devices/system/cpu/cpu1/online); then
	ktap_check "refused: offline cpu 1" \
		err_has "not online" "$V" worker set "$W2" cpus 1
	echo 1 > /sys/devices/system/cpu/cpu1/online
else
	ktap_skip "refused: offline cpu 1" "cannot offline cpu1 here: ${hp:-no error text}"
fi
"$V" worker set "$W1" policy deadline runtime 1ms deadline 10ms period 20ms
ktap_check "worker set policy deadline 1ms/10ms/20ms -> chrt" \
	bash -c "chrt -p $T1 | grep -q 'SCHED_DEADLINE' && chrt -p $T1 | grep -q '1000000/10000000/20000000'"
ktap_check "worker show reports the reservation" \
	bash -c "'$V' worker show $W1 | grep -q 'policy deadline runtime 1ms deadline 10ms period 20ms'"

# ------------------------------------------------------------ refusals
ktap_check "refused: cpus narrowed on a deadline worker" \
	err_has "every active CPU" "$V" worker set "$W1" cpus 1
"$V" worker set "$W2" cpus 1
ktap_check "refused: deadline on a worker pinned to cpu 1" \
	err_has "every active CPU" "$V" worker set "$W2" policy deadline runtime 1ms deadline 10ms
"$V" worker set "$W2" cpus 0-1
"$V" worker set "$W1" policy deadline runtime 1s deadline 1s period 1s
ktap_check "refused: admission control (2 x 100% on 2 CPUs at 95%)" \
	err_has "DEADLINE admission control refused" "$V" worker set "$W2" \
		policy deadline runtime 1s deadline 1s period 1s
"$V" worker set "$W1" policy other
ktap_check "refused: runtime > deadline" \
	err_has "runtime exceeds the deadline" "$V" worker set "$W2" \
		policy deadline runtime 20ms deadline 10ms period 30ms
ktap_check "refused: deadline > period" \
	err_has "deadline exceeds the period" "$V" worker set "$W2" \
		policy deadline runtime 1ms deadline 30ms period 20ms
ktap_check "refused: fifo prio 100 (out of range)" \
	err_has "out of range" "$V" worker set "$W2" policy fifo prio 100
ktap_check "refused: fifo without prio" \
	err_has "need a prio" "$V" worker set "$W2" policy fifo
ktap_check "refused: nice 20" err_has "out of range" "$V" worker set "$W2" policy other nice 20
ktap_check "refused: prio with policy other" \
	err_has "not valid for this policy" "$V" worker set "$W2" policy other prio 5
ktap_check "refused: cpus 4096 (beyond possible)" \
	err_has "invalid CPU list" "$V" worker set "$W2" cpus 4096
ktap_check "refused: rule pid above PID_MAX_LIMIT (4194304)" \
	err_has "out of range" "$V" rule add pid 4194305 cpus 0
ktap_check "refused: unknown worker id" err_has "no worker with this id" "$V" worker set 999999 cpus 0
ktap_check "malformed and oversized attributes refused (vr_raw)" \
	bash -c "'$ROOT/selftests/vr_sched/vr_raw' | sed 's/^/# raw: /'; exit \${PIPESTATUS[0]}"

# -------------------------------------------------------------- rules
"$V" rule add dir rx cpus 1 policy fifo prio 40 >/dev/null
"$V" rule add dir tx comm "vrtowner-$$" policy rr prio 20 >/dev/null
ktap_check "rule show lists 2 rules in id order" \
	bash -c "'$V' rule show | awk '{print \$4}' | tr '\n' ' ' | grep -qx 'rx tx '"
echo rx > "$P/add_worker"
W3=$(last_worker)
ktap_check "rx rule applied before the first batch (fifo 40 on cpu 1)" \
	[ "$(first "$W3" first_policy)/$(first "$W3" first_prio)/$(first "$W3" first_cpus)" = 1/40/1 ]
T3=$(wj "$W3" tid)
ktap_check "rx rule visible with chrt too" sched_is "$T3" SCHED_FIFO 40
cp /bin/sh "$OWNER"
"$OWNER" -c "echo tx > $P/add_worker"
W4=$(last_worker)
ktap_check "comm rule matched worker of owner vrtowner-$$ (rr 20 at first batch)" \
	[ "$(first "$W4" first_policy)/$(first "$W4" first_prio)" = 2/20 ]
echo tx > "$P/add_worker"
W5=$(last_worker)
ktap_check "no rule for a tx worker of another owner (other at first batch)" \
	[ "$(first "$W5" first_policy)" = 0 ]
# Later rules override the fields they set: cpus from rule 3, policy from
# rule 4 (pid match), nothing from rule 1 survives.
"$V" rule add cpus 0 >/dev/null
R4=$("$V" rule add pid $$ policy other nice 5 | awk '{ print $2 }')
echo rx > "$P/add_worker"
W6=$(last_worker)
ktap_check "rules apply in id order, later fields override (other nice 5, cpu 0)" \
	[ "$(first "$W6" first_policy)/$(first "$W6" first_nice)/$(first "$W6" first_cpus)" = 0/5/0 ]
"$V" rule del "$R4"
ktap_check "rule del removes it; deleting it again is refused" \
	err_has "no rule with this id" "$V" rule del "$R4"

# ------------------------------------------------------------ monitor
"$V" -j monitor > "$MON" &
monpid=$!
sleep 1
echo rx > "$P/add_worker"
W7=$(last_worker)
echo "$W7" > "$P/del_worker"
sleep 1
kill "$monpid"; wait "$monpid" 2>/dev/null; monpid=
ktap_check "monitor: worker new then worker del for worker $W7" \
	python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$MON') if l.strip()]
got = [(e['event'], e['id']) for e in ev]
sys.exit(0 if got == [('worker new', $W7), ('worker del', $W7)] else print(got) or 1)"

# -------------------------------------------------------- permissions
NOCAP="setpriv --inh-caps=-net_admin --bounding-set=-net_admin"
ktap_check "without CAP_NET_ADMIN: worker show allowed" \
	bash -c "$NOCAP '$V' worker show $W1 | grep -q 'worker $W1'"
ktap_check "without CAP_NET_ADMIN: rule show allowed" \
	bash -c "$NOCAP '$V' rule show | grep -q '^rule '"
ktap_check "without CAP_NET_ADMIN: worker set refused (EPERM)" \
	err_has "Operation not permitted" $NOCAP "$V" worker set "$W1" cpus 0
ktap_check "without CAP_NET_ADMIN: rule add refused" \
	err_has "Operation not permitted" $NOCAP "$V" rule add cpus 0
ip netns add "$NS"
ktap_check "other netns: workers are visible (host-wide)" \
	bash -c "ip netns exec $NS '$V' worker show $W1 | grep -q 'worker $W1'"
ktap_check "root of a new user+net namespace: worker set refused" \
	err_has "Operation not permitted" unshare -Urn "$V" worker set "$W1" cpus 0

# ----------------------------------------------------------------- ynl
YNL=$ROOT/.build/ynl/linux-source-6.12
if [ -r "$YNL/tools/net/ynl/cli.py" ]; then
	out=$(PYTHONDONTWRITEBYTECODE=1 python3 "$YNL/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/vr_sched.yaml" \
		--schema "$YNL/Documentation/netlink/genetlink-c.yaml" \
		--dump worker-get --output-json 2>&1)
	ktap_check "stock ynl cli dumps workers with our spec" \
		python3 -c "
import json, sys
ws = json.loads(sys.argv[1])
w = [x for x in ws if x['id'] == $W1][0]
assert w['tid'] == $T1 and w['dir'] == 'rx' and w['kind'] == 'vr_sched_test', w
assert w['stats']['packets'] > 0 and w['sched']['policy'] == 'other', w
" "$out" || ktap_diag "ynl: $out"
	out=$(PYTHONDONTWRITEBYTECODE=1 python3 "$YNL/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/vr_sched.yaml" \
		--no-schema \
		--do rule-add --json '{"dir": "tx", "cpus": "0", "sched": {"policy": "fifo", "prio": 3}}' \
		--output-json 2>&1)
	ktap_check "stock ynl cli adds a rule (enums and nests by spec)" \
		bash -c "'$V' rule show | grep -q 'dir tx cpus 0 policy fifo prio 3'" || ktap_diag "ynl: $out"
else
	ktap_fail "stock ynl cli: $YNL missing (run make -C selftests/vr_sched on the host)"
	ktap_fail "stock ynl cli adds a rule"
fi

# Dumps in several parts: 30 more workers (rules gone, so they stay
# SCHED_OTHER) and a reader with a small buffer.
for id in $("$V" rule show | awk '{print $2}'); do "$V" rule del "$id"; done
for i in $(seq 30); do echo rx > "$P/add_worker"; done
nw=$("$V" worker show | wc -l)
ktap_check "restartable, consistent worker dumps ($nw workers, vr_raw dump)" \
	bash -c "'$ROOT/selftests/vr_sched/vr_raw' dump $nw $P/add_worker | sed 's/^/# dump: /'; exit \${PIPESTATUS[0]}"

ktap_check "unload vr_sched_test with workers running" rmmod vr_sched_test
ktap_check "workers unregistered on unload" \
	bash -c "[ -z \"\$('$V' worker show | grep vr_sched_test)\" ]"
ktap_finish
