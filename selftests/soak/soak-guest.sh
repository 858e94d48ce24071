#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pvr soak, guest side: traffic through a 3-router PVR for a while, with the
# configuration changing under it, then an exact packet accounting, a slab
# comparison and a verdict. Runs as root inside the test VM (scripts/vm.sh)
# with the pvr modules loaded; scripts/soak.sh (make soak) and
# selftests/soak/test_soak_short.sh start it.
#
#   soak-guest.sh [--seconds N] [--rate PPS] [--seed N] [--out DIR]
#                 [--churn-ms MIN-MAX] [--idle-ms MS] [--ktap]
#
#   pktgen --> gen0 ==veth== gen1 --> in0 (macvtap_mq, txqueuelen 256)
#                                      | rr | hash | wrr, limit, skip-full
#          +---------------+-----------+--------------+------------------+
#       queue 0         queue 1     queue 2          queue 3
#       router 0        router 1    router 2         vqchurn (vhost_split,
#       (vnetdrv forward over /dev/vhost-split:      backend and queue
#        DMAC rewrite, TTL--, csum)                   detached/attached)
#          |               |           |
#          +---------------+-----------+--> eg0 (stock macvtap)
#                                            |
#                          sink0 ==veth== out0    sink0 counts
#
# Everything lives in a private netns. The churn loop runs every
# --churn-ms (random in the range), in shuffled rounds so every kind of
# change happens once per round, and logs each change with a timestamp.
# Output: a human table, one "SOAK_JSON {...}" line, KTAP with --ktap;
# logs and per-process JSON in --out. Exit 0 pass, 1 fail.
set -u

top=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/selftests/lib/ktap.sh"
VRCTL=$top/tools/vrctl/vrctl
VNETDRV=$top/selftests/vhost_split/vnetdrv
VQCHURN=$top/selftests/soak/vqchurn
DEV=/dev/vhost-split
PG=/proc/net/pktgen

seconds=600
rate=4000
seed=$$
churn_min=1000
churn_max=3000
IDLE_MS=10000		# a router ends this long after its last packet
ktap=0
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--idle-ms) IDLE_MS=$2; shift 2 ;;
	--churn-ms) churn_min=${2%-*}; churn_max=${2#*-}; shift 2 ;;
	--ktap) ktap=1; shift ;;
	*) echo "soak-guest: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
for v in "$seconds" "$rate" "$seed" "$churn_min" "$churn_max" "$IDLE_MS"; do
	case "$v" in ''|*[!0-9]*) echo "soak-guest: '$v' is not a number" >&2; exit 2 ;; esac
done
[ "$seconds" -ge 10 ] && [ "$rate" -ge 100 ] && [ "$churn_min" -ge 100 ] &&
	[ "$churn_max" -ge "$churn_min" ] ||
	{ echo "soak-guest: need --seconds >= 10, --rate >= 100, 100 <= MIN <= MAX" >&2; exit 2; }
[ -n "$out" ] || out=${PVR_VM_RES:-/tmp}/soak
mkdir -p "$out" || exit 1
RANDOM=$seed

NS=pvrsoak-$$-$RANDOM
ING_MAC=02:00:00:00:01:01
SINK_MAC=02:00:00:00:02:02
NROUTERS=3
RING=256
TXQLEN=256
FLOWS=64		# UDP source ports, so hash spreads over the queues

# shellcheck disable=SC2317
nsx() { ip netns exec "$NS" "$@"; }
now() { date +%s.%3N; }
clog() { echo "$(now) $*" >>"$out/churn.log"; }
say() { [ "$ktap" = 1 ] && echo "# $*" || echo "$*"; }

declare -a rpid rgen
declare -A kinds_ok kinds_err
rules=()
qpid=""
pgpid=""
kills=0
stale=0
unexpected=0
router_exits=0
router_starts=0

cleanup() {
	[ -e "$PG/pgctrl" ] && nsx sh -c "echo stop > $PG/pgctrl" 2>/dev/null
	local p
	for p in "${rpid[@]}" $qpid; do
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for p in "${rules[@]}"; do "$VRCTL" rule del "$p" >/dev/null 2>&1; done
	ip netns del "$NS" 2>/dev/null
	rm -f "/tmp/$NS-in0" "/tmp/$NS-eg0"
	true
}
trap cleanup EXIT

NCHECKS=8
die_setup() {
	local i
	say "soak: setup failed: $*"
	if [ "$ktap" = 1 ]; then
		for i in $(seq "$NCHECKS"); do ktap_fail "check $i # setup failed: $*"; done
		ktap_finish
	fi
	exit 1
}

# slab_kb: Slab, SUnreclaim (kB) after dropping what the kernel can drop.
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { s = $2 } /^SUnreclaim:/ { u = $2 } END { print s, u }' /proc/meminfo
}

# tapnode NAME: a private char device node for NAME's tap (from sysfs: a
# netns ifindex need not match a /dev/tapN node of the init netns).
tapnode() {
	local dev node=/tmp/$NS-$1
	dev=$(nsx sh -c "cat /sys/class/net/$1/tap*/dev /sys/class/net/$1/macvtap/tap*/dev 2>/dev/null | head -n1")
	[ -n "$dev" ] || return 1
	rm -f "$node"
	mknod "$node" c "${dev%:*}" "${dev#*:}" || return 1
	echo "$node"
}

# wait_ready PID FILE: the process printed {"ready":true}
wait_ready() {
	local i
	for i in $(seq 200); do
		grep -q '"ready"' "$2" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_router I: a new incarnation of router I (its own JSON file).
start_router() {
	local i=$1 g=$((${rgen[$1]:--1} + 1)) left
	rgen[i]=$g
	left=$(( (t_end - $(date +%s)) * 1000 + 240000 ))
	ip netns exec "$NS" nice -n 19 "$VNETDRV" forward --dev "$DEV" --backend macvtap --tap "$ING" \
		--tap "$EGR" --ring "$RING" --dst-mac "$SINK_MAC" --count 0 \
		--no-drop --duration "$left" --timeout "$IDLE_MS" \
		>"$out/router$i.$g.json" 2>"$out/router$i.$g.err" &
	rpid[i]=$!
	router_starts=$((router_starts + 1))
	wait_ready "${rpid[i]}" "$out/router$i.$g.json"
}

pktgen_setup() {
	local n i d share
	n=$(( (rate * 150 + 999999) / 1000000 ))	# >= 150 us gap per device
	[ "$n" -ge 1 ] || n=1
	PG_DEVS=()
	nsx sh -c "echo rem_device_all > $PG/kpktgend_0" || return 1
	sleep 0.2
	for i in $(seq 0 $((n - 1))); do
		d=gen0@$i
		PG_DEVS+=("$d")
		nsx sh -c "echo 'add_device $d' > $PG/kpktgend_0" || return 1
		share=$(( rate / n + (i < rate % n ? 1 : 0) ))
		for c in "count 0" "clone_skb 0" "pkt_size 60" "dst_mac $ING_MAC" \
			"dst 198.18.1.1" "src_min 198.18.0.1" "src_max 198.18.0.1" \
			"udp_src_min 1000" "udp_src_max $((1000 + FLOWS - 1))" \
			"udp_dst_min 9" "udp_dst_max 9" "ratep $share"; do
			nsx sh -c "echo '$c' > $PG/$d" || return 1
		done
	done
}

# pktgen_sent: "SOFAR ERRORS" summed over the devices. sofar counts the
# frames gen0 accepted, errors the ones its xmit refused (a veth drop
# returns NET_XMIT_DROP): pktgen tried sofar + errors.
pktgen_sent() {
	local d s=0 e=0 v w
	for d in "${PG_DEVS[@]}"; do
		read -r v w < <(nsx sed -n 's/.*pkts-sofar: \([0-9]*\) *errors: \([0-9]*\).*/\1 \2/p' "$PG/$d" | head -n1)
		s=$((s + ${v:-0}))
		e=$((e + ${w:-0}))
	done
	echo "$s $e"
}

st() { nsx cat "/sys/class/net/$1/statistics/$2"; }

# ------------------------------------------------------------------ churn

# run_churn KIND DESCRIPTION COMMAND...: log it, count success/failure.
run_churn() {
	local kind=$1 desc=$2 msg rc
	shift 2
	msg=$("$@" 2>&1)
	rc=$?
	CHURN_OUT=$msg
	if [ $rc -eq 0 ]; then
		kinds_ok[$kind]=$(( ${kinds_ok[$kind]:-0} + 1 ))
		clog "$kind $desc: ok"
	else
		kinds_err[$kind]=$(( ${kinds_err[$kind]:-0} + 1 ))
		unexpected=$((unexpected + 1))
		clog "$kind $desc: FAILED rc=$rc: $(echo "$msg" | tr '\n' ' ')"
	fi
	return $rc
}

pick() { local a=("$@"); echo "${a[RANDOM % ${#a[@]}]}"; }
# weights must match the number of enabled queues, which the churn itself
# changes (router kills, vqchurn queue detach): one weight per enabled queue
# now; a refusal because the count changed in between is not a failure.
nq_enabled() {
	nsx "$VRCTL" -j link show in0 |
		jq '(if type == "array" then .[0] else . end) | [.queues[] | select(.enabled)] | length'
}
rnd_weights() {
	local n=${1:-1} w i
	[ "$n" -ge 1 ] || n=1
	w=$((RANDOM % 8 + 1))
	for ((i = 1; i < n; i++)); do w+=",$((RANDOM % 8 + 1))"; done
	echo "$w"
}

# weights_refused KIND DESC NQ: the last run_churn failed; if the enabled
# queue count is no longer NQ, count it as stale instead of a failure.
weights_refused() {
	local now
	now=$(nq_enabled)
	[ "$now" != "$3" ] || return 0
	kinds_err[$1]=$(( ${kinds_err[$1]} - 1 ))
	unexpected=$((unexpected - 1))
	stale=$((stale + 1))
	clog "$1 $2: refused because the enabled queue count changed ($3 -> $now): not a failure"
}
rnd_limit() { pick 4 16 32 50 64 128 "$TXQLEN"; }
rnd_sched() { pick "policy other" "policy other nice 5" "policy fifo prio $((RANDOM % 40 + 1))" "policy rr prio $((RANDOM % 40 + 1))"; }

churn_link_vrctl() {
	local p args nq=""
	p=$(pick rr hash wrr)
	args=(policy "$p" limit "$(rnd_limit)" skip-full "$(pick on off)" qmode "$(pick static adaptive)")
	if [ "$p" = wrr ]; then
		nq=$(nq_enabled)
		args+=(weights "$(rnd_weights "$nq")")
	fi
	run_churn link-vrctl "${args[*]}" nsx "$VRCTL" link set in0 "${args[@]}" ||
		{ [ -n "$nq" ] && weights_refused link-vrctl "${args[*]}" "$nq"; }
}

churn_link_sysfs() {
	local f v sys=/sys/class/net/in0/macvtap_mq nq=""
	f=$(pick policy limit skip_full weights qmode)
	case $f in
	qmode) v=$(pick static adaptive) ;;
	policy) v=$(pick rr hash wrr) ;;
	limit) v=$(rnd_limit) ;;
	skip_full) v=$(pick 0 1) ;;
	weights) nq=$(nq_enabled); v=$(rnd_weights "$nq") ;;
	esac
	run_churn link-sysfs "$f=$v" nsx sh -c "echo $v > $sys/$f" ||
		{ [ -n "$nq" ] && weights_refused link-sysfs "$f=$v" "$nq"; }
}

churn_rule_add() {
	local dir cpus sch id
	dir=$(pick rx tx)
	cpus=$(pick 0 1 0-1)
	sch=$(rnd_sched)
	# shellcheck disable=SC2086
	run_churn rule-add "dir $dir cpus $cpus $sch" \
		"$VRCTL" -j rule add dir "$dir" cpus "$cpus" $sch || return
	id=$(jq -r 'if type == "array" then .[0].id else .id end' <<<"$CHURN_OUT" 2>/dev/null)
	if [ -n "$id" ] && [ "$id" != null ]; then
		rules+=("$id")
		clog "rule-add: id $id"
	fi
}

churn_rule_del() {
	local id
	# nothing to delete: add a plain rule first, so every round deletes one
	[ ${#rules[@]} -gt 0 ] || churn_rule_add
	[ ${#rules[@]} -gt 0 ] || return
	id=${rules[0]}
	rules=("${rules[@]:1}")
	run_churn rule-del "id $id" "$VRCTL" rule del "$id"
}

churn_worker_set() {
	local ids id s msg rc
	ids=$("$VRCTL" -j worker show | jq -r '.[].id' 2>/dev/null)
	[ -n "$ids" ] || { clog "worker-set: no workers listed"; unexpected=$((unexpected + 1)); return; }
	# shellcheck disable=SC2086
	id=$(pick $ids)
	s=$(rnd_sched)
	# shellcheck disable=SC2086
	msg=$("$VRCTL" worker set "$id" cpus "$(pick 0 1 0-1)" $s 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		kinds_ok[worker-set]=$(( ${kinds_ok[worker-set]:-0} + 1 ))
		clog "worker-set id $id $s: ok"
	elif ! "$VRCTL" -j worker show | jq -e ".[] | select(.id == $id)" >/dev/null 2>&1; then
		# the worker ended between the listing and the set (a router
		# was killed): not an error
		stale=$((stale + 1))
		clog "worker-set id $id: gone meanwhile ($msg)"
	else
		kinds_err[worker-set]=$(( ${kinds_err[worker-set]:-0} + 1 ))
		unexpected=$((unexpected + 1))
		clog "worker-set id $id $s: FAILED rc=$rc: $msg"
	fi
}

churn_signal() {
	local kind=$1 sig=$2
	if kill -0 "$qpid" 2>/dev/null && kill "-$sig" "$qpid"; then
		kinds_ok[$kind]=$(( ${kinds_ok[$kind]:-0} + 1 ))
		clog "$kind: SIG$sig to vqchurn"
	else
		kinds_err[$kind]=$(( ${kinds_err[$kind]:-0} + 1 ))
		unexpected=$((unexpected + 1))
		clog "$kind: vqchurn is gone"
	fi
}

churn_router_kill() {
	local i=$((RANDOM % NROUTERS))
	kill -9 "${rpid[i]}" 2>/dev/null
	wait "${rpid[i]}" 2>/dev/null
	kills=$((kills + 1))
	clog "router-kill: router $i (pid ${rpid[i]}, incarnation ${rgen[i]}) SIGKILL"
	if start_router "$i"; then
		kinds_ok[router-kill]=$(( ${kinds_ok[router-kill]:-0} + 1 ))
		clog "router-kill: router $i restarted (pid ${rpid[i]}, incarnation ${rgen[i]})"
	else
		kinds_err[router-kill]=$(( ${kinds_err[router-kill]:-0} + 1 ))
		unexpected=$((unexpected + 1))
		clog "router-kill: router $i did not restart: $(tail -c 300 "$out/router$i.${rgen[i]}.err")"
	fi
}

# A router that ended by itself (idle timeout, error) is restarted; its
# JSON still counts.
check_routers() {
	local i
	for i in $(seq 0 $((NROUTERS - 1))); do
		kill -0 "${rpid[i]}" 2>/dev/null && continue
		wait "${rpid[i]}" 2>/dev/null
		router_exits=$((router_exits + 1))
		clog "router $i (incarnation ${rgen[i]}) ended by itself: $(tail -n1 "$out/router$i.${rgen[i]}.json") $(tail -c 200 "$out/router$i.${rgen[i]}.err")"
		start_router "$i" || { unexpected=$((unexpected + 1)); clog "router $i did not restart"; }
	done
}

KINDS=(link-vrctl link-sysfs rule-add rule-del worker-set backend queue router-kill)
churn_one() {
	case $1 in
	link-vrctl) churn_link_vrctl ;;
	link-sysfs) churn_link_sysfs ;;
	rule-add) churn_rule_add ;;
	rule-del) churn_rule_del ;;
	worker-set) churn_worker_set ;;
	backend) churn_signal backend USR1 ;;
	queue) churn_signal queue USR2 ;;
	router-kill) churn_router_kill ;;
	esac
}

# ------------------------------------------------------------------ setup

[ "$ktap" = 1 ] && ktap_plan "$NCHECKS"
# The guest's CPUs are saturated by the traffic on purpose: the churn loop
# runs at nice -19 so it keeps its pace; the routers and vqchurn are started
# back at nice 0 (nice -n 19 from -19).
renice -n -19 $$ >/dev/null

for f in "$VRCTL" "$VNETDRV" "$VQCHURN"; do
	[ -x "$f" ] || die_setup "$f is not built (make tools)"
done
for m in vr_sched vhost_split macvtap_mq; do
	[ -d /sys/module/$m ] || die_setup "module $m is not loaded"
done
[ -c "$DEV" ] || die_setup "$DEV missing"
modprobe -q pktgen 2>/dev/null
command -v jq >/dev/null || die_setup "jq is not installed"
: >"$out/churn.log"

read -r slab0 sunrec0 <<<"$(slab_kb)"
cp /proc/slabinfo "$out/slabinfo.start" 2>/dev/null

# provisional end for the routers' --duration; the real one is set when
# the traffic starts (setup takes tens of seconds under TCG)
t_end=$(( $(date +%s) + seconds + 240 ))
ip netns add "$NS" || die_setup "ip netns add"
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link add gen0 type veth peer name gen1 || die_setup "veth gen"
nsx ip link add out0 type veth peer name sink0 || die_setup "veth sink"
nsx ip link set sink0 address "$SINK_MAC"
nsx ip link add link gen1 name in0 address "$ING_MAC" type macvtap_mq ||
	die_setup "ip link add type macvtap_mq"
nsx ip link set in0 txqueuelen "$TXQLEN"
nsx ip link add link out0 name eg0 type macvtap || die_setup "ip link add type macvtap"
for d in lo gen0 gen1 out0 sink0 in0 eg0; do nsx ip link set "$d" up; done
nsx "$VRCTL" link set in0 policy rr limit 64 skip-full off >/dev/null ||
	die_setup "vrctl link set"
ING=$(tapnode in0) || die_setup "no tap node for in0"
EGR=$(tapnode eg0) || die_setup "no tap node for eg0"
for i in $(seq 0 $((NROUTERS - 1))); do
	start_router "$i" || die_setup "router $i did not start: $(cat "$out/router$i.0.err")"
done
ip netns exec "$NS" nice -n 19 "$VQCHURN" --dev "$DEV" --tap "$ING" --idle 1500 >"$out/vqchurn.json" 2>"$out/vqchurn.err" &
qpid=$!
wait_ready "$qpid" "$out/vqchurn.json" || die_setup "vqchurn did not start: $(cat "$out/vqchurn.err")"
nsx test -d "$PG" || die_setup "pktgen not available in the netns"
pktgen_setup || die_setup "pktgen setup"

say "soak: $seconds s, $rate pps offered (64-byte frames, $FLOWS UDP flows), $NROUTERS routers + vqchurn, seed $seed, churn every $churn_min-$churn_max ms; logs in $out"
clog "start: seed $seed rate $rate seconds $seconds"
nsx sh -c "echo start > $PG/pgctrl" 2>"$out/pktgen.err" &
pgpid=$!
t_end=$(( $(date +%s) + seconds ))

# ------------------------------------------------------------------ churn loop
rounds=0
actions=0
# A short run keeps churning until every kind ran: up to 100 s past its
# end (a debug kernel needs ~10 s per action), inside the routers' 240 s
# margin on their --duration (which also covers the setup before t_end).
missing_kind() {
	local k
	for k in "${KINDS[@]}"; do [ "${kinds_ok[$k]:-0}${kinds_err[$k]:-0}" != 00 ] || return 0; done
	return 1
}
t_hard=$((t_end + 100))
while [ "$(date +%s)" -lt "$t_end" ] || { missing_kind && [ "$(date +%s)" -lt "$t_hard" ]; }; do
	# shellcheck disable=SC2207
	order=($(printf '%s\n' "${KINDS[@]}" | shuf --random-source=<(yes "$seed.$rounds")))
	for k in "${order[@]}"; do
		[ "$(date +%s)" -lt "$t_end" ] || { missing_kind && [ "$(date +%s)" -lt "$t_hard" ]; } || break
		ms=$((churn_min + RANDOM % (churn_max - churn_min + 1)))
		sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
		check_routers
		churn_one "$k"
		actions=$((actions + 1))
	done
	rounds=$((rounds + 1))
done
check_routers

# ------------------------------------------------------------------ stop
clog "stop: traffic"
nsx sh -c "echo stop > $PG/pgctrl"
wait "$pgpid" 2>/dev/null
sleep 1
# vqchurn: attach everything, detach the queue, drain, report
kill -TERM "$qpid" 2>/dev/null
wait "$qpid"
qrc=$?
qpid=""
# The rings are drained by now and the routers still wait for IDLE_MS
# without traffic: snapshot the queue counters while the queues exist.
nsx "$VRCTL" -j -s link show in0 >"$out/link.json"
alive=0
for i in $(seq 0 $((NROUTERS - 1))); do kill -0 "${rpid[i]}" 2>/dev/null && alive=$((alive + 1)); done
clog "stop: queue counters read, $alive routers alive"
deadline=$(( $(date +%s) + IDLE_MS / 1000 + 30 ))
end_kills=0
for i in $(seq 0 $((NROUTERS - 1))); do
	while kill -0 "${rpid[i]}" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
		sleep 0.5
	done
	if kill -0 "${rpid[i]}" 2>/dev/null; then
		kill -9 "${rpid[i]}"
		end_kills=$((end_kills + 1))
		clog "router $i did not end by itself: SIGKILL"
	fi
	wait "${rpid[i]}" 2>/dev/null
done
rpid=()
clog "stop: routers ended"

read -r pg_sofar pg_errors <<<"$(pktgen_sent)"
sent=$((pg_sofar + pg_errors))
eg_qdisc=$(nsx tc -s qdisc show dev eg0 | sed -n 's/.*dropped \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
declare -A S
for d in gen0 gen1 in0 eg0 out0 sink0; do
	for c in rx_packets tx_packets rx_dropped tx_dropped; do
		S[$d.$c]=$(st "$d" "$c")
	done
done
nsx ip -s -s link show >"$out/ip-link.txt" 2>&1
"$VRCTL" -j -s worker show >"$out/workers.json" 2>&1

# Router results: every incarnation that ended by itself printed one line.
r_pkts=0 r_drops=0 r_errs=0 r_json=0
for f in "$out"/router*.json; do
	l=$(grep '"mode":"forward"' "$f" | tail -n1)
	[ -n "$l" ] || continue
	r_json=$((r_json + 1))
	r_pkts=$((r_pkts + $(echo "$l" | jq .packets)))
	r_drops=$((r_drops + $(echo "$l" | jq .drops)))
	r_errs=$((r_errs + $(echo "$l" | jq '.lost_calls + .dev_errors')))
done
ql=$(grep '"mode":"vqchurn"' "$out/vqchurn.json" | tail -n1)
qj=${ql:-'{}'}
q_recv=$(jq '.received // 0' <<<"$qj")
q_errs=$(jq '(.dev_errors // 0) + (.op_errors // 0)' <<<"$qj")
q_bc=$(jq '.backend_cycles // 0' <<<"$qj")
q_qc=$(jq '.queue_cycles // 0' <<<"$qj")
lj=$(jq 'if type == "array" then .[0] else . end' "$out/link.json" 2>/dev/null)
q_enq=$(echo "$lj" | jq '[.queues[].enqueued] | add // 0')
q_early=$(echo "$lj" | jq '[.queues[].early_drops] | add // 0')
q_full=$(echo "$lj" | jq '[.queues[].full_drops] | add // 0')
q_occ=$(echo "$lj" | jq '[.queues[].occupancy] | add // 0')
q_stale=$(echo "$lj" | jq '[.queues[].stale_drops // 0] | add // 0')
q_n=$(echo "$lj" | jq '.queues | length')

# ------------------------------------------------------------------ teardown
for id in "${rules[@]}"; do "$VRCTL" rule del "$id" >/dev/null 2>&1; done
rules=()
ip netns del "$NS"
rm -f "$ING" "$EGR"
# netns cleanup and RCU frees are asynchronous: give them time.
for _ in $(seq 30); do
	ip netns list | grep -q "^$NS" || break
	sleep 0.2
done
sleep 3
read -r slab1 sunrec1 <<<"$(slab_kb)"
sleep 2
read -r slab1 sunrec1 <<<"$(slab_kb)"
cp /proc/slabinfo "$out/slabinfo.end" 2>/dev/null

# ------------------------------------------------------------------ verdict
# One veth drop shows as gen0 tx_dropped AND gen1 rx_dropped: count it once.
# A drop below eg0 (out0, sink0) is also an eg0 tx_dropped (macvlan counts
# a failed xmit to its lower device), so eg0 alone, plus its qdisc.
veth_drops=${S[gen0.tx_dropped]}
egress_drops=$(( ${S[eg0.tx_dropped]} + eg_qdisc ))
fwd=${S[sink0.rx_packets]}
in_drops=${S[in0.rx_dropped]}
not_taken=$(( ${S[gen1.rx_packets]} - ${S[in0.rx_packets]} ))
counted=$(( fwd + veth_drops + not_taken + in_drops + r_drops + egress_drops + q_recv ))
lost=$(( sent - counted ))
lost_bound=$(( (kills + end_kills) * (TXQLEN + 2 * RING) ))
slab_tol=$(( sunrec0 / 20 > 4096 ? sunrec0 / 20 : 4096 ))
slab_delta=$(( sunrec1 - sunrec0 ))

checks=()
chk() { checks+=("$1|$2|$3"); }
[ "$fwd" -gt 0 ]; chk "traffic forwarded" $? "sink0 rx $fwd of $sent sent"
miss=""
for k in "${KINDS[@]}"; do [ "${kinds_ok[$k]:-0}" -gt 0 ] || miss+=" $k"; done
[ -z "$miss" ]; chk "every churn kind ran" $? "${miss:+missing:$miss}"
[ "$unexpected" -eq 0 ]; chk "churn: no unexpected failure" $? "$unexpected failed (see churn.log), $stale stale (worker gone, queue count changed)"
[ "$r_errs" -eq 0 ] && [ "$q_errs" -eq 0 ] && [ -n "$ql" ] && [ "$qrc" -eq 0 ]
chk "routers and vqchurn: no device errors or lost calls" $? "router lost_calls+dev_errors $r_errs, vqchurn errors $q_errs (exit $qrc)"
[ "${S[gen0.tx_packets]}" -eq "$pg_sofar" ] && [ "${S[gen0.tx_dropped]}" -eq "$pg_errors" ] &&
	[ "${S[gen1.rx_packets]}" -eq "${S[gen0.tx_packets]}" ]
chk "veth: pktgen sofar == gen0 tx, errors == gen0 tx_dropped, gen1 rx == gen0 tx" $? "sofar $pg_sofar errors $pg_errors gen0 tx ${S[gen0.tx_packets]} dropped ${S[gen0.tx_dropped]} gen1 rx ${S[gen1.rx_packets]}"
[ "$q_occ" -eq 0 ] && [ "${q_n:-0}" -ge "$NROUTERS" ]
chk "queues drained at the end" $? "occupancy $q_occ over ${q_n:-0} queues listed ($alive routers were alive, $NROUTERS expected)"
if [ $((kills + end_kills)) -eq 0 ]; then
	[ "$lost" -eq 0 ]
else
	[ "$lost" -ge 0 ] && [ "$lost" -le "$lost_bound" ]
fi
chk "sent == forwarded + counted drops + vqchurn + lost at kills" $? "lost $lost, bound $lost_bound for $((kills + end_kills)) kills"
[ "$slab_delta" -le "$slab_tol" ]
chk "slab (SUnreclaim) back to start" $? "start $sunrec0 kB end $sunrec1 kB delta $slab_delta kB tolerance $slab_tol kB"

say ""
say "soak: $seconds s, seed $seed, $actions churn actions in $rounds rounds, $kills router kills (+$end_kills at the end), $router_exits self-ended, $stale stale (worker gone, queue count changed)"
say "churn kinds (ok/failed):$(for k in "${KINDS[@]}"; do printf ' %s %s/%s' "$k" "${kinds_ok[$k]:-0}" "${kinds_err[$k]:-0}"; done); vqchurn backend cycles $q_bc, queue cycles $q_qc"
say ""
say "  accounting (packets)"
say "$(printf '  %-44s %12s' 'sent (pktgen pkts-sofar + errors)' "$sent")"
say "$(printf '  %-44s %12s' 'forwarded (sink0 rx_packets)' "$fwd")"
say "$(printf '  %-44s %12s' 'veth drops (gen0 tx_dropped)' "$veth_drops")"
say "$(printf '  %-44s %12s' 'not taken by in0 (gen1 rx - in0 rx)' "$not_taken")"
say "$(printf '  %-44s %12s' 'in0 rx_dropped' "$in_drops")"
say "$(printf '  %-44s %12s' '  of which queue early_drops (live slots)' "$q_early")"
say "$(printf '  %-44s %12s' '  of which queue full_drops (live slots)' "$q_full")"
say "$(printf '  %-44s %12s' '  of which queue stale_drops (live slots)' "$q_stale")"
say "$(printf '  %-44s %12s' 'router drops (JSON drops)' "$r_drops")"
say "$(printf '  %-44s %12s' 'egress drops (eg0 tx_dropped + eg0 qdisc)' "$egress_drops")"
say "$(printf '  %-44s %12s' '  of which seen at out0 tx / sink0 rx' "${S[out0.tx_dropped]} / ${S[sink0.rx_dropped]}")"
say "$(printf '  %-44s %12s' 'read by vqchurn' "$q_recv")"
say "$(printf '  %-44s %12s' 'lost at router kills (remainder)' "$lost")"
say "$(printf '  %-44s %12s' "  bound: kills x (txqueuelen + 2 x ring)" "$lost_bound")"
say "$(printf '  %-44s %12s' 'router forwarded (JSON, ended routers)' "$r_pkts")"
say "$(printf '  %-44s %12s' 'in0 rx_packets / queue enqueued (live)' "${S[in0.rx_packets]} / $q_enq")"
say "$(printf '  %-44s %12s' 'slab SUnreclaim start/end kB' "$sunrec0 / $sunrec1")"
say "$(printf '  %-44s %12s' 'slab total start/end kB' "$slab0 / $slab1")"
say ""

nfail=0
json_checks=""
[ "${#checks[@]}" -eq "$NCHECKS" ] || echo "soak-guest: internal: ${#checks[@]} checks, plan says $NCHECKS" >&2
for c in "${checks[@]}"; do
	IFS='|' read -r name rc why <<<"$c"
	[ "$rc" -eq 0 ] || nfail=$((nfail + 1))
	json_checks+=$(jq -cn --arg n "$name" --argjson ok "$([ "$rc" -eq 0 ] && echo true || echo false)" --arg w "$why" '{name:$n, ok:$ok, detail:$w}'),
	if [ "$ktap" = 1 ]; then
		[ "$rc" -eq 0 ] && ktap_ok "$name # $why" || ktap_fail "$name # $why"
	else
		printf '  %-4s %s (%s)\n' "$([ "$rc" -eq 0 ] && echo PASS || echo FAIL)" "$name" "$why"
	fi
done
summary=$(jq -cn --argjson seconds "$seconds" --argjson rate "$rate" --argjson seed "$seed" \
	--argjson sent "$sent" --argjson forwarded "$fwd" --argjson veth_drops "$veth_drops" \
	--argjson not_taken "$not_taken" --argjson in0_rx_dropped "$in_drops" \
	--argjson early "$q_early" --argjson full "$q_full" --argjson stale_q "$q_stale" --argjson router_drops "$r_drops" \
	--argjson egress_drops "$egress_drops" --argjson vqchurn "$q_recv" \
	--argjson lost_at_kills "$lost" --argjson lost_bound "$lost_bound" \
	--argjson kills "$kills" --argjson end_kills "$end_kills" \
	--argjson self_ended "$router_exits" --argjson actions "$actions" \
	--argjson unexpected "$unexpected" --argjson stale "$stale" \
	--argjson sunreclaim_start "$sunrec0" --argjson sunreclaim_end "$sunrec1" \
	--argjson slab_tol "$slab_tol" --argjson checks "[${json_checks%,}]" \
	--argjson failed "$nfail" \
	'{seconds:$seconds, rate:$rate, seed:$seed, sent:$sent, forwarded:$forwarded,
	  veth_drops:$veth_drops, not_taken:$not_taken, in0_rx_dropped:$in0_rx_dropped,
	  queue_early_drops:$early, queue_full_drops:$full, queue_stale_drops:$stale_q, router_drops:$router_drops,
	  egress_drops:$egress_drops, vqchurn_received:$vqchurn,
	  lost_at_kills:$lost_at_kills, lost_bound:$lost_bound, kills:$kills,
	  end_kills:$end_kills, self_ended:$self_ended, churn_actions:$actions,
	  churn_failures:$unexpected, stale_worker_ids:$stale,
	  sunreclaim_kb:[$sunreclaim_start, $sunreclaim_end], slab_tolerance_kb:$slab_tol,
	  checks:$checks, verdict:(if $failed == 0 then "pass" else "fail" end)}')
echo "$summary" >"$out/summary.json"
say "SOAK_JSON $summary"
if [ "$ktap" = 1 ]; then
	ktap_finish
fi
[ "$nfail" -eq 0 ] && { echo "soak: PASS"; exit 0; }
echo "soak: FAIL ($nfail checks)"
exit 1
