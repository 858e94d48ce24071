#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (prints, asserts nothing): vnetdrv's forwarding loop over two
# devices, stock /dev/vhost-net vs /dev/vhost-split in the same run.
#
#   rawpkt send -> vtf0 -> [dev A RX] vnetdrv forward [dev B TX] -> vtf1
#   (--bidir: also vtf1 -> B RX -> A TX -> vtf0)
#
# Reports forwarded packets/s and the CPU time of the device's worker
# threads per forwarded packet (utime+stime from /proc/<tid>/stat of
# "vhost-<pid>" for stock, "vhs-rx-<pid>"/"vhs-tx-<pid>" for split), then
# split/stock ratios. Under TCG (no KVM) absolute numbers mean nothing and
# even ratios are distorted: the guest has 2 emulated vCPUs shared by the
# traffic source, the driver and the workers. Quote only ratios, only from
# one run, and only as indicative until measured on a KVM host.
#
# usage: bench_fwd.sh [PACKETS] [PPS]   (run as root, e.g. in scripts/vm.sh)
# The source is paced (PPS offered per direction; 0 = as fast as it can).
set -u
. "$(dirname "$0")/lib.sh"
N=${1:-30000}
PPS=${2:-10000}
HZ=$(getconf CLK_TCK)
vt_need_programs
vt_ns_setup || exit 1
trap vt_cleanup EXIT
vt_tap vtf0 || exit 1
vt_tap vtf1 || exit 1

# worker_tids PID DEV: TIDs of the device workers serving owner PID
worker_tids() {
	local pid=$1 re f
	case $2 in
	*vhost-net) re="^vhost-$pid\$" ;;
	*) re="^vhs-(rx|tx)-$pid\$" ;;
	esac
	for f in /proc/[0-9]*/task/[0-9]*/comm; do
		grep -qE "$re" "$f" 2>/dev/null && { f=${f%/comm}; echo "${f##*/}"; }
	done | sort -u
}

# tid_ticks TID: utime+stime of one thread (empty if gone)
tid_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

declare -A PPSR CPP
run() {
	local dev=$1 mode=$2 log pid tids t0 t1 pk ns i extra=""
	[ "$mode" = bidir ] && extra=--bidir
	log=$(mktemp)
	ip netns exec "$VT_NS" "$VT_DRV" forward --dev "$dev" --tap vtf0 \
		--tap vtf1 --count 0 --timeout 2000 --duration 120000 --no-drop $extra \
		>"$log" 2>&1 &
	pid=$!
	for i in $(seq 100); do grep -q ready "$log" && break; sleep 0.1; done
	sleep 0.5
	mapfile -t tids < <(worker_tids "$pid" "$dev")
	declare -A before=()
	for i in "${tids[@]}"; do before[$i]=$(tid_ticks "$i"); done
	if [ "$mode" = bidir ]; then
		ip netns exec "$VT_NS" "$VT_RAW" send vtf0 $((N / 2)) "$PPS" >/dev/null &
		ip netns exec "$VT_NS" "$VT_RAW" send vtf1 $((N / 2)) "$PPS" >/dev/null
		wait %2 2>/dev/null
	else
		ip netns exec "$VT_NS" "$VT_RAW" send vtf0 "$N" "$PPS" >/dev/null
	fi
	t0=0 t1=0
	for i in "${tids[@]}"; do
		local a=${before[$i]:-} b
		b=$(tid_ticks "$i")
		[ -n "$a" ] && [ -n "$b" ] || continue
		t0=$((t0 + a)) t1=$((t1 + b))
	done
	wait "$pid"
	pk=$(grep -o '"packets":[0-9]*' "$log" | cut -d: -f2)
	ns=$(grep -o '"elapsed_ns":[0-9]*' "$log" | cut -d: -f2)
	echo "# $(basename "$dev") $mode: workers ${#tids[@]} (${tids[*]}), $(grep mode "$log")"
	PPSR[$dev,$mode]=$(awk -v p="${pk:-0}" -v n="${ns:-0}" 'BEGIN { printf "%.0f", n ? p * 1e9 / n : 0 }')
	CPP[$dev,$mode]=$(awk -v c=$((t1 - t0)) -v p="${pk:-0}" -v hz="$HZ" \
		'BEGIN { printf "%.2f", p ? c * 1e6 / hz / p : 0 }')
	rm -f "$log"
}

echo "# bench_fwd: $N packets offered at $PPS pps (0 = max), kernel $(uname -r)"
for mode in uni bidir; do
	for dev in $VT_DEVS; do
		[ -c "$dev" ] || { echo "# $dev missing"; continue; }
		run "$dev" "$mode"
	done
done
printf '%-8s %-16s %12s %16s\n' mode device pkts/s "worker us/pkt"
for mode in uni bidir; do
	for dev in $VT_DEVS; do
		[ -n "${PPSR[$dev,$mode]:-}" ] || continue
		printf '%-8s %-16s %12s %16s\n' "$mode" "$(basename "$dev")" \
			"${PPSR[$dev,$mode]}" "${CPP[$dev,$mode]}"
	done
	s=/dev/vhost-split k=/dev/vhost-net
	if [ -n "${PPSR[$s,$mode]:-}" ] && [ -n "${PPSR[$k,$mode]:-}" ]; then
		awk -v a="${PPSR[$s,$mode]}" -v b="${PPSR[$k,$mode]}" \
		    -v c="${CPP[$s,$mode]}" -v d="${CPP[$k,$mode]}" -v m="$mode" \
		    'BEGIN { r = "n/a"; if (d > 0) r = sprintf("%.2f", c / d);
			     printf "%-8s ratio split/stock: pkts/s %.2f, worker CPU per packet %s\n",
			     m, b ? a / b : 0, r }'
	fi
done
echo "# TCG caveat: emulated CPUs, traffic source and driver share 2 vCPUs; ratios only, indicative only."
