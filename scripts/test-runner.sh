#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-runner.sh [KVER]: prove the test runner can fail. In one VM boot:
#   1. a fixture suite whose points all pass must make run-selftests.sh
#      exit 0 (positive control);
#   2. a fixture suite with one "not ok" must make it exit non-zero;
#   3. a deliberate kernel WARNING (selftests/runner/kmod) must make
#      scripts/vm.sh fail the run, and the warning must be what it reports;
#   4. with --kdebug (as the selftest runs boot), a deliberate one-byte
#      overflow of a kmalloc object must be reported by the allocator's
#      checks and listed by the runner.
# Prints TAP; exits 0 only if all four hold.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib/ktap.sh"
k=${1:-}
out=$top/.build/results/runner-selftest
rm -rf "$out"
mkdir -p "$(dirname "$out")"

"$top/scripts/vm.sh" ${k:+-k "$k"} --no-load --kdebug --out "$out" -- '
	scripts/run-selftests.sh selftests/runner/fixtures/pass >$PVR_VM_RES/pass.log 2>&1
	echo $? >$PVR_VM_RES/pass.rc
	scripts/run-selftests.sh selftests/runner/fixtures/fail >$PVR_VM_RES/fail.log 2>&1
	echo $? >$PVR_VM_RES/fail.rc
	insmod $PVR_TESTMOD_DIR/runner/pvr_warn_test.ko trigger=1 redzone=1
	exit 0' >"$out.log" 2>&1
vmrc=$?

ktap_plan 4
ktap_check "runner passes a passing suite" \
	test "$(cat "$out/pass.rc" 2>/dev/null)" = 0
ktap_check "runner fails a suite with a not ok" \
	test "$(cat "$out/fail.rc" 2>/dev/null)" = 1
if [ "$vmrc" != 0 ] && grep -q 'pvr_warn_test: deliberate warning' "$out/dmesg" 2>/dev/null &&
   grep -q 'kernel reports in the guest log' "$out.log"; then
	ktap_ok "VM run fails on a kernel WARNING"
else
	ktap_diag "vm.sh exit $vmrc; log in $out.log"
	ktap_fail "VM run fails on a kernel WARNING"
fi
if grep -q 'pvr_warn_test: wrote one byte past' "$out/dmesg" 2>/dev/null &&
   grep -Eq '^  .*BUG kmalloc-[0-9]+ \(' "$out.log"; then
	ktap_ok "VM run with --kdebug reports a slab red zone overwrite"
else
	ktap_diag "no allocator report listed; log in $out.log, dmesg in $out/dmesg"
	ktap_fail "VM run with --kdebug reports a slab red zone overwrite"
fi
ktap_finish
