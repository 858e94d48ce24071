#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interop with a real vhost-kernel client: dpdk-testpmd with virtio-user
# over /dev/vhost-split (and over stock /dev/vhost-net in the same run),
# tap backend, macswap forwarding. rawpkt sends paced frames into the tap
# and counts what testpmd sends back, checking every frame (MACs swapped,
# rest byte for byte); any loss at the paced rate fails. On a slow kernel
# (PVR_TEST_SLOW=F, the debug kernel of make check-debug) the rate is
# divided and the start wait multiplied by F: the check is the same.
#
#   netns: rawpkt -> tap vtd0 -> vhost dev -> virtio_user0 (testpmd macswap)
#          rawpkt <- tap vtd0 <- vhost dev <-
set -u
. "$(dirname "$0")/lib.sh"
vt_need_programs

slow=${PVR_TEST_SLOW:-1}
case "$slow" in
''|*[!0-9]*|0) echo "# PVR_TEST_SLOW must be a positive integer"; exit 1 ;;
esac
N=${VT_DPDK_COUNT:-3000}
PPS=${VT_DPDK_PPS:-$((1500 / slow))}
ktap_plan 4
if ! command -v dpdk-testpmd >/dev/null; then
	echo "# dpdk-testpmd not installed (package dpdk)"
	exit 1
fi
vt_ns_setup || exit 1
tpid=""
cleanup() {
	[ -n "$tpid" ] && kill -9 "$tpid" 2>/dev/null
	vt_cleanup
}
trap cleanup EXIT

# pmd_ready LOG: testpmd created its tap and started forwarding.
pmd_ready() {
	ip -n "$VT_NS" link show vtd0 >/dev/null 2>&1 &&
		grep -q "Port 0: link state\|forwarding packets\|Start automatic" "$1"
}

run_pmd() {
	local dev=$1 d log cnt i rc
	d=$(vt_devname "$dev")
	if [ ! -c "$dev" ]; then
		ktap_fail "$d testpmd starts # $dev missing"
		ktap_fail "$d testpmd macswap $N frames at $PPS pps, no loss # $dev missing"
		return
	fi
	log=$(mktemp) cnt=$(mktemp)
	ip netns exec "$VT_NS" timeout $((180 * slow + 120)) dpdk-testpmd -l 0,1 --no-huge -m 256 \
		--no-pci --no-shconf --file-prefix "vt$$" \
		--vdev="virtio_user0,path=$dev,queues=1,queue_size=256,iface=vtd0" \
		-- --forward-mode=macswap --auto-start --stats-period 2 \
		--rxd=256 --txd=256 --total-num-mbufs=8192 >"$log" 2>&1 &
	tpid=$!
	# A wall-clock deadline, generous: under TCG testpmd's EAL start takes
	# 30-120 s (it loads its drivers from the shared 9p root and touches
	# 256 MB), more beside another VM or on a slow kernel.
	local until=$((SECONDS + 180 * slow))
	while [ "$SECONDS" -lt "$until" ] && ! pmd_ready "$log"; do
		kill -0 "$tpid" 2>/dev/null || break
		sleep 0.2
	done
	if ! kill -0 "$tpid" 2>/dev/null || ! pmd_ready "$log"; then
		sed 's/^/# testpmd: /' "$log" | tail -30
		# Where it waits, if it still runs (a kernel wait or a spin).
		for c in $(pgrep -f "file-prefix vt$$"); do
			for t in /proc/"$c"/task/*; do
				echo "# testpmd thread ${t##*/} $(cat "$t/comm" 2>/dev/null):" \
					"state $(awk '{print $3}' "$t/stat" 2>/dev/null)" \
					"wchan $(cat "$t/wchan" 2>/dev/null)"
			done
		done
		ktap_fail "$d testpmd starts within $((180 * slow)) s"
		ktap_fail "$d testpmd macswap $N frames at $PPS pps, no loss # testpmd did not start"
		kill -9 "$tpid" 2>/dev/null
		pkill -9 -f "file-prefix vt$$" 2>/dev/null
		wait "$tpid" 2>/dev/null
		tpid=""
		rm -f "$log" "$cnt"
		return
	fi
	ktap_ok "$d testpmd starts within $((180 * slow)) s"
	ip -n "$VT_NS" link set vtd0 up
	sleep 1
	timeout 120 ip netns exec "$VT_NS" "$VT_RAW" count vtd0 "$N" 60000 \
		macswap >"$cnt" 2>&1 &
	local cpid=$!
	for i in $(seq 100); do
		grep -q listening "$cnt" && break
		sleep 0.1
	done
	ip netns exec "$VT_NS" "$VT_RAW" send vtd0 "$N" "$PPS" | sed 's/^/# send: /'
	wait $cpid
	rc=$?
	sed 's/^/# count: /' "$cnt"
	kill -INT "$tpid"
	for i in $(seq 50); do
		kill -0 "$tpid" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	tpid=""
	grep -E "RX-packets|TX-packets|RX-dropped|Throughput" "$log" | tail -6 | sed 's/^/# testpmd: /'
	ktap_check "$d testpmd macswap $N frames at $PPS pps, no loss" test "$rc" -eq 0
	rm -f "$log" "$cnt"
	ip -n "$VT_NS" link del vtd0 2>/dev/null
}

for dev in $VT_DEVS; do
	run_pmd "$dev"
done
ktap_finish
