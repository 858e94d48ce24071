#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vrbench: forwarded vs offered packet rate, stock vhost-net/macvtap vs pvr,
# every configuration of bench/configs.txt measured in ONE VM run.
#
#   bench/run.sh [--quick|--repeat|--smoke] [--kernel 6.1|6.12]
#                [--only CFG[,CFG]] [--out DIR] [--not-before HH:MM]
#
# Boots the VM (scripts/vm.sh; TCG here, KVM where usable), runs
# bench/vrbench in it, prints one progress line per measured point, then
# writes into out/bench/<UTC timestamp>/ (or --out): results.csv (one row
# per point), meta.json, ratios.txt and ratios.json (the ratio table), one
# PNG per plot group and the VM's dmesg (vm/).
#
# --repeat measures every configuration at 1x and 2x the saturation rate in
# six interleaved rounds; the report adds the median and spread of each
# repeated point (how far one run's ratios can be trusted).
#
# --not-before makes the booted guest wait until that UTC time before it
# measures (on a shared machine: boot early, load the CPUs later).
#
# The routers are vnetdrv forward processes (selftests/vhost_split), a
# userspace stand-in for router VMs. Under TCG only the ratios between
# configurations measured in the same run mean anything.
#
# Exit status: 0 when every configuration ran and the plots were drawn,
# 1 when a configuration FAILED (its reason is in the table) or the VM
# reported a kernel problem, 2 on a usage or setup error.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
mode=full
kernel=6.12
only=""
out=""
wait_cmd=""

usage() {
	sed -n '/^#   bench/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--quick) mode=quick; shift ;;
	--smoke) mode=smoke; shift ;;
	--repeat) mode=repeat; shift ;;
	--kernel|-k) kernel=${2:?}; shift 2 ;;
	--only) only=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--not-before)
		hm=${2:?}; shift 2
		[[ $hm =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || usage
		wait_cmd="while [ \$(date -u +%H%M) -lt ${hm/:/} ]; do sleep 5; done; "
		;;
	-h|--help) usage ;;
	*) echo "bench: unknown argument '$1'" >&2; usage ;;
	esac
done

kver=$("$top/scripts/kernels.sh" | grep -E "^${kernel//./\\.}\." | head -n1)
[ -n "$kver" ] || kver=$kernel
for m in vr_sched vhost_split macvtap_mq; do
	[ -e "$top/.build/$kver/$m/$m.ko" ] || {
		echo "bench: $m.ko not built for '$kver' (make all-kernels)" >&2
		exit 2
	}
done
[ -x "$top/selftests/vhost_split/vnetdrv" ] || {
	echo "bench: selftests/vhost_split/vnetdrv not built (make tools)" >&2
	exit 2
}
[ -x "$top/tools/vrctl/vrctl" ] ||
	echo "bench: tools/vrctl/vrctl not built: configurations with rules" \
		"will FAIL and per-queue drops are not reported" >&2

[ -n "$out" ] || out=$top/out/bench/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

case $mode in
full|repeat) vmto=5400 ;;
*) vmto=1800 ;;
esac

echo "bench: $mode run on $kver; results in $out"
echo "bench: routers are a userspace stand-in for router VMs (vnetdrv forward);"
echo "bench: TCG numbers are only meaningful as ratios within one run"
"$top/scripts/vm.sh" -k "$kver" --mem 2G --timeout "$vmto" --out "$out/vm" -- \
	"${wait_cmd}bench/vrbench --mode $mode ${only:+--only $only} --out \$PVR_VM_RES/bench"
rc=$?

if [ ! -s "$out/vm/bench/results.csv" ]; then
	echo "bench: the VM produced no results (exit $rc); see $out/vm" >&2
	exit 1
fi
cp "$out/vm/bench/results.csv" "$out/vm/bench/meta.json" "$out/" 2>/dev/null
echo
"$top/bench/vrreport" "$out" || rc=1
echo
echo "bench: CSV $out/results.csv; ratio table $out/ratios.txt (.json)"
[ "$rc" = 0 ] || echo "bench: FAILED (exit $rc)"
exit "$rc"
