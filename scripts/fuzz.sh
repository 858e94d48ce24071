#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh SECONDS [TARGET...]: build every libFuzzer target fuzz/<name>_fuzz.c
# (or the TARGETs named: desc, nl) with ASan and UBSan, kernel sources
# compiled unchanged through fuzz/shim.h (and, for nl, fuzz/nl_shim.h with
# the stand-in headers of fuzz/include), and run each for SECONDS, starting
# from the committed corpus fuzz/corpus/<name>.
# New corpus entries and crash artifacts go to .build/fuzz/<name>/, never
# into the repository. Then replays fuzz/findings/<name>-* (inputs that
# reproduced bugs found earlier). Fails on any crash, leak, sanitizer report
# or failed invariant.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
out=$top/.build/fuzz
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Werror -include $top/fuzz/shim.h"

# Which kernel source each target compiles, and its include path.
declare -A SRCS=(
	[desc]="$top/vhost_split/desc.c"
	[nl]="$top/vr_sched/netlink.c $top/vr_sched/sched.c $top/fuzz/nl_registry.c $top/fuzz/nl_shim.c"
)
# Kernel code is built with the kernel's W=1 set, which has no
# -Wunused-parameter, -Wsign-compare or -Wmissing-field-initializers.
declare -A INCS=(
	[desc]="-I$top/vhost_split"
	[nl]="-D_GNU_SOURCE -I$top/fuzz/include -I$top/include -I$top/vr_sched -include $top/fuzz/nl_shim.h
		-Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers"
)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${!SRCS[@]}")

rc=0
for t in "${targets[@]}"; do
	[ -n "${SRCS[$t]:-}" ] || { echo "fuzz: no target $t" >&2; exit 1; }
	d=$out/$t
	mkdir -p "$d/corpus"
	# shellcheck disable=SC2086
	$CC $CFLAGS ${INCS[$t]} ${SRCS[$t]} "$top/fuzz/${t}_fuzz.c" -o "$d/${t}_fuzz"
	cp -n "$top/fuzz/corpus/$t"/* "$d/corpus/" 2>/dev/null || true
	echo "fuzz: $t for ${secs}s"
	if "$d/${t}_fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$d/" -print_final_stats=1 "$d/corpus" \
		>"$d/log" 2>&1; then
		runs=$(grep -E '^stat::number_of_executed_units' "$d/log" | awk '{print $2}')
		cov=$(grep -E 'DONE +cov:' "$d/log" | sed -E 's/.*cov: ([0-9]+).*/\1/')
		echo "fuzz: $t ok: ${runs:-?} inputs, coverage ${cov:-?} edges, no finding"
	else
		tail -n 40 "$d/log"
		echo "fuzz: $t FOUND A PROBLEM (artifacts in $d)" >&2
		rc=1
	fi
	# Inputs that reproduced a bug found earlier: regression tests.
	for f in "$top/fuzz/findings/$t"-*; do
		[ -e "$f" ] || continue
		if "$d/${t}_fuzz" "$f" >"$d/replay.log" 2>&1; then
			echo "fuzz: $t: ${f##*/} passes"
		else
			grep -m1 -E "invariant|ERROR|WARN" "$d/replay.log" >&2 || true
			echo "fuzz: $t: ${f##*/} STILL FAILS" >&2
			rc=1
		fi
	done
done
exit "$rc"
