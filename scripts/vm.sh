#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a supported Debian kernel with virtme-ng and run a command in it with
# the freshly built pvr modules loaded.
#
#   scripts/vm.sh [-k 6.1|6.12|RELEASE|TREE] [--no-load] [--mem SIZE] [--out DIR]
#                 [--timeout SECONDS] [--kdebug] -- COMMAND...
#
# The guest shares the host's filesystem (read-only, /tmp is private); the
# command runs as root in the repository root. It prints the command's
# output and exits with its exit code, or 1 when the guest's kernel log
# shows a warning, oops, lockdep, hung-task, refcount, KASAN or UBSAN report
# (after the boot), when loading or unloading our modules failed, or when the
# VM did not finish. --out keeps the guest's dmesg and results in DIR.
# PVR_VM_MEM and PVR_VM_TIMEOUT size the VM; every PVR_TEST_* variable is
# passed on to the guest (PVR_TEST_TIMEOUT: run-selftests.sh's timeout per
# test; PVR_TEST_SLOW: how many times slower than a stock kernel the guest
# kernel is, for tests that pace traffic or wait for a start).
#
# --kdebug turns on the memory checks a distribution kernel has built in:
# SLUB debugging (sanity checks, red zones, poisoning, owner tracking) and,
# where compiled in (6.12), KFENCE sampling. Test runs use it; benchmarks do
# not (it slows the allocator). The debug kernel (a TREE) has KASAN instead.
#
# KVM is used only when kvm_intel or kvm_amd is loaded on the host;
# otherwise TCG (--disable-kvm). At most two VMs run at once machine-wide.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
kver=""
load=1
mem=${PVR_VM_MEM:-2G}
out=""
timeout=${PVR_VM_TIMEOUT:-2400}
kdebug=0

while [ $# -gt 0 ]; do
	case "$1" in
	-k) kver=$2; shift 2 ;;
	--no-load) load=0; shift ;;
	--mem) mem=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kdebug) kdebug=1; shift ;;
	--) shift; break ;;
	*) echo "vm.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "vm.sh: no command given" >&2; exit 2; }

kernels=$("$top/scripts/kernels.sh")
image=""
# A kernel build tree (the debug kernel): boot its bzImage, modules from it.
if [ -n "$kver" ] && [ -d "$kver" ] && [ -e "$kver/include/config/kernel.release" ]; then
	image=$(cd "$kver" && pwd)
	kver=$(cat "$image/include/config/kernel.release")
fi
[ -n "$image" ] || case "$kver" in
"") kver=$(echo "$kernels" | head -n1) ;;
*.*.*) ;;
*) kver=$(echo "$kernels" | grep -E "^${kver//./\\.}\." | head -n1) ;;
esac
if [ -z "$image" ] && { [ -z "$kver" ] || [ ! -e "/boot/vmlinuz-$kver" ]; }; then
	echo "vm.sh: kernel '$kver' not installed (installed: $(echo $kernels)); run make deps" >&2
	exit 2
fi

append=()
if [ -n "$image" ]; then
	kdebug=0
else
	image=/boot/vmlinuz-$kver
fi
[ "$kdebug" = 0 ] || append=(--append "slub_debug=FZPU kfence.sample_interval=5")

kvm_opt=--disable-kvm
if [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; then
	kvm_opt=""
fi

# Two slots machine-wide: TCG guests are CPU hungry.
exec 9>/tmp/pvr-vm-slot0.lock
if ! flock -n 9; then
	exec 9>/tmp/pvr-vm-slot1.lock
	if ! flock -n 9; then
		echo "vm.sh: waiting for a free VM slot" >&2
		while :; do
			exec 9>/tmp/pvr-vm-slot0.lock
			flock -n 9 && break
			exec 9>/tmp/pvr-vm-slot1.lock
			flock -n 9 && break
			sleep 2
		done
	fi
fi

mkdir -p "$top/.build/vm-runs"
res=$(mktemp -d "$top/.build/vm-runs/run.XXXXXX")
chmod 755 "$res"
trap '[ -n "$out" ] || rm -rf "$res"' EXIT
# The guest starts with a fresh environment: pass on the runner's knobs.
{
	while IFS= read -r v; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done < <(compgen -v PVR_TEST_)
	printf '%s\n' "$*"
} >"$res/cmd.sh"

echo "vm.sh: booting $kver (${kvm_opt:+TCG, }2 vCPUs, $mem${append:+, slab debug})" >&2
# Through pipes: QEMU opens the guest's stdout and stderr by their /proc
# paths (file chardevs, O_TRUNC) and would truncate a log file our caller
# redirected us to.
timeout --kill-after=30 "$timeout" \
	vng -r "$image" $kvm_opt --cpus 2 --memory "$mem" "${append[@]}" \
	--qemu-opts='-cpu max' --rwdir="$res=$res" -- \
	"$top/scripts/vm-guest.sh" "$res" "$load" </dev/null 2> >(cat >&2) | cat
vrc=${PIPESTATUS[0]}

rc=1
if [ ! -e "$res/rc" ]; then
	echo "vm.sh: the VM did not finish (vng exit $vrc)" >&2
else
	rc=$(cat "$res/rc")
	if [ -s "$res/load-errors" ]; then
		echo "vm.sh: module load/unload failed:" >&2
		sed 's/^/  /' "$res/load-errors" >&2
		rc=1
	fi
	if ! "$top/scripts/dmesg-check.sh" "$res/dmesg"; then
		rc=1
	fi
fi
if [ -n "$out" ]; then
	mkdir -p "$out"
	cp -a "$res"/. "$out"/
fi
exit "$rc"
