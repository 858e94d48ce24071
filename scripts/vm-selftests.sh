#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-selftests.sh KVER|TREE...: for each kernel, boot it (scripts/vm.sh), load
# the modules, run every selftest, unload, check the kernel log. Prints per
# kernel one line "N passed, N failed, N skipped" and a grand total; exits 0
# only if every kernel ran tests, none failed, and the VM checks passed.
# Then proves the runner itself can fail (scripts/test-runner.sh).
#
# A debug tree (make check-debug) is booted three times, each boot a group
# of test directories with its own kernel-log, kmemleak and unload verdict:
# fault injection alone (it sweeps every allocation of every setup path and
# gets PVR_FI_TIMEOUT, default 3600 s), then macvtap_mq + bench + soak, then
# the rest (vhost_split, vr_sched and any new directory). One boot of the
# whole suite would not fit a VM timeout: the debug kernel is 2-5x slower.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- $("$top/scripts/kernels.sh")
[ $# -gt 0 ] || { echo "vm-selftests: no supported kernel installed" >&2; exit 1; }

tp=0 tf=0 ts=0 bad=0 summary=""

# boot NAME KERNEL DIR...: one VM, the tests below DIR...; adds its counts.
boot() {
	local name=$1 k=$2 out rc p f s line
	shift 2
	out=$top/.build/results/$name
	rm -rf "$out"
	echo "=== selftests on $name${*:+: $*} ==="
	"$top/scripts/vm.sh" -k "$k" --kdebug --out "$out" -- scripts/run-selftests.sh "$@"
	rc=$?
	if [ -s "$out/counts" ]; then
		read -r p f s <"$out/counts"
	else
		p=0 f=1 s=0
	fi
	# A VM-level failure (dmesg report, unload failure, crash) is a failure
	# even if every test point passed.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	[ "$p" -gt 0 ] || { echo "vm-selftests: no test passed on $name" >&2; bad=1; }
	[ "$rc" = 0 ] || bad=1
	line="$name: $p passed, $f failed, $s skipped"
	echo "$line"
	summary="$summary$line"$'\n'
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
}

for k in "$@"; do
	if [ ! -d "$k" ]; then
		boot "$k" "$k"
		continue
	fi
	name=debug-$(cat "$k/include/config/kernel.release")
	mid="selftests/macvtap_mq selftests/bench selftests/soak"
	rest=""
	for d in "$top"/selftests/*/; do
		d=selftests/$(basename "$d")
		case " selftests/faultinject $mid " in *" $d "*) continue ;; esac
		rest="$rest $d"
	done
	PVR_TEST_TIMEOUT=${PVR_FI_TIMEOUT:-3600} PVR_VM_TIMEOUT=$((${PVR_FI_TIMEOUT:-3600} + 900)) \
		boot "$name-faultinject" "$k" selftests/faultinject
	# shellcheck disable=SC2086 # word lists
	boot "$name-macvtap_mq" "$k" $mid
	# shellcheck disable=SC2086
	boot "$name-rest" "$k" $rest
done

# The runner's self-test proves the runner can fail; it needs a stock
# kernel (a debug tree's KASAN reports a red zone overwrite differently), so
# it runs on the first stock kernel given, else the first one installed.
rk=""
for k in "$@"; do
	[ -d "$k" ] || { rk=$k; break; }
done
[ -n "$rk" ] || rk=$("$top/scripts/kernels.sh" | head -n1)
echo "=== runner self-test on $rk ==="
rlog=$top/.build/results/runner-self-test.log
mkdir -p "${rlog%/*}"
"$top/scripts/test-runner.sh" "$rk" 2>&1 | tee "$rlog"
rrc=${PIPESTATUS[0]}
if read -r p f s < <(sed -n 's/^# totals: pass:\([0-9]*\) fail:\([0-9]*\) skip:\([0-9]*\)$/\1 \2 \3/p' "$rlog") &&
   [ "$rrc" = 0 ] && [ "$f" = 0 ] && [ "$p" -gt 0 ]; then
	tp=$((tp + p)) ts=$((ts + s))
	summary="${summary}runner self-test: $p passed, 0 failed, $s skipped"$'\n'
else
	tf=$((tf + 1)) bad=1
	summary="${summary}runner self-test: FAILED (exit $rrc)"$'\n'
fi

echo "=== summary ==="
printf '%s' "$summary"
echo "total: $tp passed, $tf failed, $ts skipped"
[ "$bad" = 0 ] && [ "$tf" = 0 ]
