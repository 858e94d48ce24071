#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: traffic through a 3-router PVR for a while (default 10 minutes)
# while the configuration keeps changing, in one VM, then a verdict.
#
#   scripts/soak.sh [--minutes N] [--kernel 6.1|6.12] [--rate PPS]
#                   [--seed N] [--out DIR]
#
# The guest side is selftests/soak/soak-guest.sh (topology, churn list,
# accounting: see Documentation/soak.rst). scripts/vm.sh adds the kernel
# side of the verdict: any WARNING/BUG/lockdep/KASAN/UBSAN/hung-task line,
# a kmemleak report (when the kernel has kmemleak) or a module that does not
# unload fails the run. Logs (churn log with timestamps, per-router JSON,
# the guest's dmesg, summary.json) go to out/soak/<UTC timestamp>-<kernel>/
# or --out.
#
# Exit status: 0 pass, 1 fail, 2 usage or setup error.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
minutes=10
kernel=6.12
rate=""
seed=""
out=""

usage() {
	sed -n '/^#   scripts\/soak/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--minutes) minutes=${2:?}; shift 2 ;;
	--kernel|-k) kernel=${2:?}; shift 2 ;;
	--rate) rate=${2:?}; shift 2 ;;
	--seed) seed=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	*) echo "soak: unknown argument '$1'" >&2; usage ;;
	esac
done
for v in "$minutes" $rate $seed; do
	case "$v" in ''|*[!0-9]*) echo "soak: '$v' is not a number" >&2; usage ;; esac
done
[ "$minutes" -ge 1 ] && [ "$minutes" -le 600 ] ||
	{ echo "soak: --minutes must be 1..600" >&2; exit 2; }

kver=$("$top/scripts/kernels.sh" | grep -E "^${kernel//./\\.}\." | head -n1)
[ -n "$kver" ] || { echo "soak: kernel '$kernel' is not installed" >&2; exit 2; }
for m in vr_sched vhost_split macvtap_mq; do
	[ -e "$top/.build/$kver/$m/$m.ko" ] ||
		{ echo "soak: $m.ko not built for $kver (make all-kernels)" >&2; exit 2; }
done
for p in tools/vrctl/vrctl selftests/vhost_split/vnetdrv selftests/soak/vqchurn; do
	[ -x "$top/$p" ] || { echo "soak: $p not built (make tools)" >&2; exit 2; }
done
[ -n "$out" ] || out=$top/out/soak/$(date -u +%Y%m%dT%H%M%SZ)-$kernel
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

seconds=$((minutes * 60))
args="--seconds $seconds${rate:+ --rate $rate}${seed:+ --seed $seed}"
# boot, setup, the run, router drain and teardown, kmemleak scans
timeout=$((seconds + 900))
echo "soak: $minutes min on $kver, logs in $out"
"$top/scripts/vm.sh" -k "$kver" --mem 2G --timeout "$timeout" --out "$out/vm" -- \
	"selftests/soak/soak-guest.sh $args --out \$PVR_VM_RES/soak" 2>&1 |
	tee "$out/console.log"
rc=${PIPESTATUS[0]}
[ -d "$out/vm/soak" ] && mv "$out/vm/soak"/* "$out"/ 2>/dev/null
guest=fail
grep -q '"verdict":"pass"' "$out/summary.json" 2>/dev/null && guest=pass
kernel_ok=yes
"$top/scripts/dmesg-check.sh" "$out/vm/dmesg" >/dev/null 2>&1 || kernel_ok=no
unload_ok=yes
[ -s "$out/vm/load-errors" ] && unload_ok=no
leaks=0
[ -s "$out/vm/kmemleak" ] && leaks=$(grep -c unreferenced "$out/vm/kmemleak")
kml="not in this kernel"
[ -e "$out/vm/kmemleak" ] && kml="$leaks suspected leaks"
echo
echo "soak verdict ($kver, $minutes min):"
printf '  %-34s %s\n' "guest checks (accounting, slab...)" "$guest" \
	"kernel log clean" "$kernel_ok" \
	"modules loaded and unloaded" "$unload_ok" \
	"kmemleak" "$kml"
if [ "$rc" -eq 0 ] && [ "$guest" = pass ]; then
	echo "soak: PASS ($out)"
	exit 0
fi
echo "soak: FAIL ($out)"
exit 1
