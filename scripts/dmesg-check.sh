#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dmesg-check.sh FILE: exit 1 (and print the lines) if the kernel log in FILE
# shows a report that must fail a test run; 0 otherwise. Only the part after
# the "pvr-vm: start" marker counts when the marker is present, so reports
# from before our modules were involved are shown but do not fail the run.
set -u
f=${1:?usage: dmesg-check.sh FILE}
[ -r "$f" ] || { echo "dmesg-check: no kernel log at $f" >&2; exit 1; }

pat='WARNING:|BUG:|BUG [^ ]+ \(|KFENCE|Oops|general protection|possible recursive locking|circular locking|suspicious RCU usage|hung_task|blocked for more than|refcount_t|UBSAN|KASAN|kmemleak: [0-9]+ new suspected|unreferenced object'

if grep -q 'pvr-vm: start' "$f"; then
	before=$(sed '/pvr-vm: start/,$d' "$f" | grep -E "$pat")
	after=$(sed -n '/pvr-vm: start/,$p' "$f" | grep -E "$pat")
else
	before=""
	after=$(grep -E "$pat" "$f")
fi
if [ -n "$before" ]; then
	echo "dmesg-check: reports during boot (not ours, not counted):" >&2
	echo "$before" | sed 's/^/  /' >&2
fi
if [ -n "$after" ]; then
	echo "dmesg-check: kernel reports in the guest log (run fails):" >&2
	echo "$after" | sed 's/^/  /' >&2
	exit 1
fi
exit 0
