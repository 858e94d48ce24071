#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the demo VM (see scripts/demo.sh), as root, with the pvr
# modules loaded. Builds a 3-router Parallel Virtual Router and shows what an
# operator looks at. Fails (non-zero) as soon as a piece does not work.
#
#   pktgen -> gen0 ==veth== gen1 -> pvr0 (macvtap_mq, policy rr)
#                                    | queue 0     | queue 1     | queue 2
#                                 router 0      router 1      router 2
#                                 (vnetdrv forward over /dev/vhost-split)
#                                    |             |             |
#                  sink0 ==veth== out0 <- egr0 (macvtap) <-------+
#
# The routers are vnetdrv, a userspace virtio-net driver standing in for
# router VMs (QEMU would pass the same /dev/vhost-split fd with vhostfd=).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
res=${1:-/tmp/pvr-demo}
mkdir -p "$res"
VRCTL=$top/tools/vrctl/vrctl
VNETDRV=$top/selftests/vhost_split/vnetdrv
NS=pvrdemo-$$
PG=/proc/net/pktgen
RATE=${PVR_DEMO_RATE:-1500}
rules=()
nodes=$(mktemp -d /tmp/pvr-demo-nodes.XXXXXX)

die() {
	echo "demo: FAILED: $*" >&2
	exit 1
}

step() {
	echo
	echo "==== $*"
}

# Print a command, then run it in the demo namespace.
show() {
	echo "# $*"
	ip netns exec "$NS" "$@"
}

# Stop every process still inside the demo namespace (the routers): a
# router left running keeps the namespace, its links and /dev/tapN names
# alive, and holds module references past the demo.
stop_ns_procs() {
	local left
	[ -e "/var/run/netns/$NS" ] || return 0  # iproute2 NETNS_RUN_DIR
	ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
	for _ in $(seq 50); do
		left=$(ip netns pids "$NS" 2>/dev/null) || left=""
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	echo "demo: processes $left ignored SIGTERM; killing them" >&2
	echo "$left" | xargs -r kill -9 2>/dev/null
	sleep 0.5
	[ -z "$(ip netns pids "$NS" 2>/dev/null)" ]
}

cleanup() {
	set +e
	[ -e "$PG/pgctrl" ] && ip netns exec "$NS" sh -c "echo stop > $PG/pgctrl" 2>/dev/null
	stop_ns_procs
	wait 2>/dev/null
	for r in "${rules[@]}"; do "$VRCTL" rule del "$r" >/dev/null 2>&1; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$nodes"
	true
}
trap cleanup EXIT

for f in "$VRCTL" "$VNETDRV"; do
	[ -x "$f" ] || die "$f is not built (make tools)"
done
step "kernel $(uname -r), $(nproc) vCPUs; pvr modules:"
for m in vr_sched vhost_split macvtap_mq; do
	[ -d /sys/module/$m ] || die "module $m is not loaded"
done
lsmod | grep -E '^(vr_sched|vhost_split|macvtap_mq) '
[ -c /dev/vhost-split ] || die "/dev/vhost-split does not exist"

nsx() { ip netns exec "$NS" "$@"; }
ip netns add "$NS"
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link add gen0 type veth peer name gen1
nsx ip link add out0 type veth peer name sink0
nsx ip link set sink0 address 02:00:00:00:02:02
for d in lo gen0 gen1 out0 sink0; do nsx ip link set "$d" up; done

step "a multi-queue macvtap_mq link on the ingress veth, round robin"
show ip link add link gen1 name pvr0 address 02:00:00:00:01:01 type macvtap_mq ||
	die "cannot create a macvtap_mq link"
show ip link add link out0 name egr0 type macvtap
nsx ip link set pvr0 up
nsx ip link set egr0 up
show "$VRCTL" link set pvr0 policy rr || die "vrctl link set failed"
# /dev/tap<ifindex> is named after an ifindex, which is only unique per
# namespace: a node of that name may belong to a link of another namespace
# that still exists. Open a private node made from the link's own device
# number instead (what /dev/tapN is when nothing else is around).
tapnode() {
	local idx devno
	idx=$(nsx cat "/sys/class/net/$1/ifindex")
	devno=$(nsx cat "/sys/class/net/$1/tap$idx/dev") || die "$1 has no tap device"
	mknod "$nodes/$1" c "${devno%%:*}" "${devno##*:}" || die "mknod for $1 failed"
	echo "$nodes/$1 (/dev/tap$idx, $devno)" >&2
	echo "$nodes/$1"
}
ing=$(tapnode pvr0)
egr=$(tapnode egr0)

step "vr_sched rules: RX workers on CPU 0, TX workers on CPU 1 (every VM started from now on)"
for spec in rx:0 tx:1; do
	dir=${spec%:*} cpu=${spec#*:}
	echo "# vrctl rule add dir $dir cpus $cpu"
	out=$("$VRCTL" -j rule add dir "$dir" cpus "$cpu") || die "vrctl rule add failed"
	id=$(echo "$out" | jq -er 'if type == "array" then .[0] else . end | .id') ||
		die "no rule id in: $out"
	rules+=("$id")
done
"$VRCTL" rule show

step "three routers, each opening $ing once (one queue each) and the egress tap"
for i in 0 1 2; do
	echo "# vnetdrv forward --dev /dev/vhost-split --backend macvtap --tap $ing --tap $egr"
	# ip netns exec execs the router: $! is the router itself
	ip netns exec "$NS" "$VNETDRV" forward --dev /dev/vhost-split --backend macvtap \
		--tap "$ing" --tap "$egr" --dst-mac 02:00:00:00:02:02 \
		--count 0 --duration 120000 --timeout 120000 >"$res/router$i.json" 2>"$res/router$i.err" &
	rpid[i]=$!
done
for i in 0 1 2; do
	for _ in $(seq 100); do
		grep -q ready "$res/router$i.json" 2>/dev/null && break
		kill -0 "${rpid[i]}" 2>/dev/null || die "router $i exited: $(cat "$res/router$i.err")"
		sleep 0.1
	done
	grep -q ready "$res/router$i.json" || die "router $i did not start"
done

step "pktgen: $RATE pps of 64-byte frames, one UDP flow, into gen0"
nsx sh -c "echo rem_device_all > $PG/kpktgend_0; echo add_device gen0 > $PG/kpktgend_0"
for c in "count 0" "clone_skb 0" "pkt_size 60" "dst_mac 02:00:00:00:01:01" \
	"dst 198.18.1.1" "src_min 198.18.0.1" "src_max 198.18.0.1" "ratep $RATE"; do
	nsx sh -c "echo '$c' > $PG/gen0" || die "pktgen: $c"
done
# Offered (gen0 sent) and forwarded (sink0 received) read back to back,
# then the time: both counters cover the same window.
counters() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	nsx sh -c 'read -r a </sys/class/net/gen0/statistics/tx_packets
		read -r b </sys/class/net/sink0/statistics/rx_packets
		echo "$a $b $(date +%s.%N)"'
}
nsx sh -c "echo start > $PG/pgctrl" &
pg=$!
sleep 1	# the pipeline fills; measure the steady state
read -r tx0 rx0 t0 <<<"$(counters)"
sleep 5
read -r tx1 rx1 t1 <<<"$(counters)"

# JSON for the checks first, while the routers surely still run.
nsx "$VRCTL" -j -s link show pvr0 >"$res/link.json"
"$VRCTL" -j worker show >"$res/workers.json"
step "vrctl -s worker show: 3 routers x (RX + TX) x 2 ports, placed by the rules"
"$VRCTL" -s worker show
step "vrctl -s link show pvr0: per-queue counters of the round-robin split"
nsx "$VRCTL" -s link show pvr0

nsx sh -c "echo stop > $PG/pgctrl"
wait "$pg" 2>/dev/null || true

step "offered vs forwarded (a 5 s window after 1 s of warm-up) and the checks"
# The link and worker JSON is vrctl's (-j): a list of one object for link.
checks() {
	local ok=0 first='if type == "array" then .[0] else . end'

	awk -v tx0="$tx0" -v tx1="$tx1" -v rx0="$rx0" -v rx1="$rx1" \
		-v t0="$t0" -v t1="$t1" 'BEGIN {
		dt = t1 - t0
		off = (tx1 - tx0) / dt
		fwd = (rx1 - rx0) / dt
		printf "offered %.0f pps, forwarded %.0f pps (%.0f%%) over %.1f s\n",
			off, fwd, 100 * fwd / (off > 1 ? off : 1), dt
		if (fwd > 1.02 * off)
			print "note: more out than in: frames queued before the window left during it"
		exit !(fwd > 0)
	}' || { echo "demo: nothing was forwarded"; ok=1; }
	echo "per-queue enqueued: $(jq -r "$first"' | [.queues[].enqueued] |
		"[" + (map(tostring) | join(", ")) + "]"' "$res/link.json") (round robin: equal within 1 %)"
	if ! jq -e "$first"' | [.queues[].enqueued] | length == 3 and min > 0' \
		"$res/link.json" >/dev/null; then
		echo "demo: expected 3 queues that all received traffic"
		ok=1
	elif ! jq -e "$first"' | [.queues[].enqueued] |
		max - min <= ([2, 0.01 * add] | max)' "$res/link.json" >/dev/null; then
		echo "demo: queues are not balanced"
		ok=1
	fi
	# the CPU lists of the workers by direction: {"rx":["0"],"tx":["1"]}
	local by_dir='reduce .[] as $w ({}; .[$w.dir // "none"] += [$w.cpus]) |
		map_values(unique)'
	echo "worker CPUs by direction: $(jq -c "$by_dir" "$res/workers.json")"
	if ! jq -e "$by_dir"' | .rx == ["0"] and .tx == ["1"]' \
		"$res/workers.json" >/dev/null; then
		echo "demo: the rules did not place the workers"
		ok=1
	fi
	return "$ok"
}
checks || die "checks failed"
stop_ns_procs || die "the routers did not stop"
wait 2>/dev/null || true
for r in "${rules[@]}"; do "$VRCTL" rule del "$r" >/dev/null; done
rules=()
ip netns del "$NS"

step "a short sweep of the same PVR for the plot (bench/vrbench, demo configuration)"
"$top/bench/vrbench" --mode demo \
	--configs "$top/bench/demo-configs.txt" --out "$res" || die "the sweep failed"

# The namespaces go away asynchronously (cleanup_net); the modules can be
# unloaded once the last link and vhost device of the demo are gone.
for _ in $(seq 100); do
	[ "$(cat /sys/module/macvtap_mq/refcnt /sys/module/vhost_split/refcnt | sort -u)" = 0 ] && break
	sleep 0.2
done
for m in macvtap_mq vhost_split; do
	n=$(cat /sys/module/$m/refcnt)
	[ "$n" = 0 ] && continue
	echo "demo: $m still has $n reference(s) 20 s after the demo; open files:" >&2
	for f in /proc/[0-9]*/fd/*; do
		t=$(readlink "$f" 2>/dev/null) || continue
		case $t in
		*vhost*|*tap*|*pvr-demo*|*vrbench*) echo "  $f -> $t" >&2 ;;
		esac
	done
	die "module references left behind"
done
echo
echo "demo: done"
