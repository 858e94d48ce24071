#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot a throwaway VM (Debian 6.12 kernel unless PVR_DEMO_KERNEL
# says otherwise), build a 3-router Parallel Virtual Router in it (macvtap_mq
# round robin + vhost_split, vr_sched rules pinning the workers), send
# traffic and show what an operator looks at; then a short rate sweep, drawn
# as text here and as a PNG in out/demo/<timestamp>/. Exits non-zero as soon
# as a piece does not work (scripts/demo-guest.sh checks each step).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
k=${PVR_DEMO_KERNEL:-6.12}
kver=$("$top/scripts/kernels.sh" | grep -E "^${k//./\\.}\." | head -n1)
[ -n "$kver" ] || kver=$k

fail() {
	echo "demo: FAILED: $*" >&2
	exit 1
}

for m in vr_sched vhost_split macvtap_mq; do
	[ -e "$top/.build/$kver/$m/$m.ko" ] || fail "$m.ko is not built for $kver (make all-kernels)"
done
for f in tools/vrctl/vrctl selftests/vhost_split/vnetdrv; do
	[ -x "$top/$f" ] || fail "$f is not built (make tools)"
done

out=$top/out/demo/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out" || exit 1
echo "demo: booting $kver in a throwaway VM (TCG unless KVM is usable; about a minute)"
"$top/scripts/vm.sh" -k "$kver" --timeout 900 --out "$out/vm" -- \
	"scripts/demo-guest.sh \$PVR_VM_RES/demo"
rc=$?
[ "$rc" = 0 ] || fail "the demo VM exited with $rc (guest log and dmesg in $out/vm)"
cp "$out/vm/demo/results.csv" "$out/vm/demo/meta.json" "$out/" ||
	fail "the demo sweep left no results"
echo
echo "==== forwarded vs offered, 3-router PVR (routers: userspace stand-in for router VMs)"
"$top/bench/vrreport" --demo "$out" || fail "could not draw the plot"
cat <<EOF

demo: done. Results and plot: $out
  Full benchmark, stock vs pvr, CSV + plots + ratio table:
    make bench          (bench/run.sh; make bench-quick for a short run)
  How it is measured and what the numbers mean: Documentation/benchmarks.rst
  Operating pvr (vrctl, rules, links):           Documentation/admin-guide.rst
EOF
