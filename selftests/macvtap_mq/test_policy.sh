#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Queue selection policies of macvtap_mq: rr exact to +-1 for 1,2,3,4,8
# queues, hash keeps one flow on one queue, wrr 2:1:1, detach/attach.
# One flow of 3000 frames each time; pvr0's rings hold 4000 so nothing is
# dropped while the reader waits for the sender to finish.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap mvq_cleanup EXIT
ktap_plan 10
mvq_setup 4000

for n in 1 2 3 4 8; do
	out=$(nsx timeout 120 "$DRV" open "$TAP" $n send veth1 "$MAC" 3000 drain print)
	c=$(counts_of "$out")
	ktap_diag "rr n=$n counts: $c"
	if [ "$(sum "$c")" = 3000 ] && all_within "$c" $((3000 / n)) 1; then
		ktap_ok "rr: 3000 frames over $n queues, each 3000/$n +-1"
	else
		ktap_fail "rr: 3000 frames over $n queues, each 3000/$n +-1"
	fi
done

out=$(nsx timeout 120 "$DRV" open "$TAP" 3 write $SYS/policy hash \
	send veth1 "$MAC" 3000 drain print)
c=$(counts_of "$out")
ktap_diag "hash counts: $c"
nz=$(tr ' ' '\n' <<<"$c" | grep -vc '^0$')
if grep -q "policy hash errno 0" <<<"$out" && [ "$(sum "$c")" = 3000 ] && [ "$nz" = 1 ]; then
	ktap_ok "hash: one flow lands on one queue"
else
	ktap_fail "hash: one flow lands on one queue"
fi

out=$(nsx timeout 120 "$DRV" open "$TAP" 3 write $SYS/policy wrr \
	write $SYS/weights 2,1,1 send veth1 "$MAC" 3000 drain print)
c=$(counts_of "$out")
ktap_diag "wrr 2:1:1 counts: $c"
set -- $c
if [ "$(sum "$c")" = 3000 ] && within "$1" 1500 1 && within "$2" 750 1 &&
   within "$3" 750 1 && [ "$(nsx cat $SYS/weights)" = 2,1,1 ]; then
	ktap_ok "wrr: weights 2,1,1 give 1500/750/750 +-1"
else
	ktap_fail "wrr: weights 2,1,1 give 1500/750/750 +-1"
fi

# Detach queue 1: rr over the two left; re-attach: back to three.
out=$(nsx timeout 120 "$DRV" open "$TAP" 3 write $SYS/policy rr \
	detach 1 send veth1 "$MAC" 3000 drain print \
	attach 1 send veth1 "$MAC" 3000 drain print)
c1=$(grep '^counts' <<<"$out" | head -n1 | cut -d' ' -f2-)
c2=$(counts_of "$out")
ktap_diag "detached queue 1: $c1; re-attached: $c2"
set -- $c1
if grep -q "detach 1 rc 0" <<<"$out" && [ "$2" = 0 ] &&
   within "$1" 1500 1 && within "$3" 1500 1; then
	ktap_ok "detach: a detached queue leaves the rotation"
else
	ktap_fail "detach: a detached queue leaves the rotation"
fi
if grep -q "attach 1 rc 0" <<<"$out" && [ "$(sum "$c2")" = 3000 ] &&
   all_within "$c2" 1000 1; then
	ktap_ok "attach: a re-attached queue rejoins the rotation"
else
	ktap_fail "attach: a re-attached queue rejoins the rotation"
fi
# The tap limit: 256 queues open, the 257th is refused.
out=$(nsx timeout 120 "$DRV" open "$TAP" 256 open "$TAP" 1 2>&1)
if grep -q "^open $TAP 256" <<<"$out" && grep -q "Device or resource busy" <<<"$out"; then
	ktap_ok "256 queues open, the 257th refused (EBUSY)"
else
	ktap_diag "$out"
	ktap_fail "256 queues open, the 257th refused (EBUSY)"
fi
ktap_finish
