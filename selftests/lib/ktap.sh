# SPDX-License-Identifier: GPL-2.0
# Minimal KTAP/TAP helpers for pvr selftests (shell). Source it, call
# ktap_plan N, then ktap_ok/ktap_fail/ktap_skip per test point, and end
# with ktap_finish, which exits with the kselftest code:
#   0 all passed, 1 something failed, 4 everything was skipped.

KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_NUM=0

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_diag() {
	echo "# $*"
}

ktap_ok() {
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM $*"
}

ktap_fail() {
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NUM $*"
}

# ktap_skip NAME REASON: the reason is mandatory.
ktap_skip() {
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM $1 # SKIP ${2:?a skip needs a reason}"
}

# ktap_check NAME COMMAND...: one test point from a command's exit status.
ktap_check() {
	local name=$1
	shift
	if "$@"; then
		ktap_ok "$name"
	else
		ktap_fail "$name"
	fi
}

ktap_finish() {
	echo "# totals: pass:$KTAP_PASS fail:$KTAP_FAIL skip:$KTAP_SKIP"
	if [ "$KTAP_FAIL" -gt 0 ]; then
		exit 1
	elif [ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ]; then
		exit 4
	elif [ "$KTAP_PASS" -eq 0 ]; then
		echo "# no test point ran"
		exit 1
	fi
	exit 0
}
