#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-selftests.sh [DIR...]: run every executable test_* below the given
# directories (default: selftests/) and print one KTAP report, each test
# file a subtest. Runs inside the VM (scripts/vm.sh sets PVR_* and loads the
# modules). Writes "pass fail skip" to $PVR_VM_RES/counts when set, and exits
# 0 only if something passed and nothing failed.
#
# Counting: every top-level TAP line of a test is one test point ("ok",
# "not ok", "ok ... # SKIP"). A test that exits non-zero (other than 4) without
# printing "not ok" counts as one failure; a test that exits 4 with no points
# counts as one skip; a test that exceeds PVR_TEST_TIMEOUT (default 600 s) is
# killed and fails.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
[ $# -gt 0 ] || set -- selftests
tmo=${PVR_TEST_TIMEOUT:-600}

mapfile -t tests < <(find "$@" \( -path '*/kmod' -o -path '*/fixtures' \) -prune -o -type f -name 'test_*' \
	-perm -u+x -print | sort)

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	n=$((n + 1))
	log=$(mktemp)
	start=$(date +%s)
	# Into a file, streamed from there while the test runs (a long test
	# shows its progress): a process the test leaves behind cannot hold
	# up the runner as it would a pipe.
	timeout --kill-after=10 "$tmo" "$t" >"$log" 2>&1 </dev/null &
	tpid=$!
	tail -n +1 -s 0.5 -f --pid="$tpid" "$log" | sed -u 's/^/    /'
	wait "$tpid"
	rc=$?
	dur=$(($(date +%s) - start))
	p=$(grep -cE '^ok [0-9]+' "$log" | head -n1)
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$log" | head -n1)
	f=$(grep -cE '^not ok [0-9]+' "$log" | head -n1)
	p=$((p - s))
	rm -f "$log"
	note=""
	case "$rc" in
	0) ;;
	4) [ $((p + s + f)) -eq 0 ] && s=1 ;;
	124|137) note=" (timed out after ${tmo}s)"; f=$((f + 1)) ;;
	*) [ "$f" -eq 0 ] && { note=" (exit $rc)"; f=1; } ;;
	esac
	if [ "$rc" = 0 ] && [ $((p + s)) -eq 0 ]; then
		note=" (no test point)"
		f=$((f + 1))
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "not ok $n $t$note # ${dur}s"
	elif [ "$rc" = 4 ]; then
		echo "ok $n $t # SKIP all points skipped (${dur}s)"
	else
		echo "ok $n $t # ${dur}s"
	fi
done
echo "# $(uname -r): $pass passed, $fail failed, $skip skipped"
[ -n "${PVR_VM_RES:-}" ] && echo "$pass $fail $skip" >"$PVR_VM_RES/counts"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
