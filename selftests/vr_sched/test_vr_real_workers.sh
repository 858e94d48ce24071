#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vr_sched with real vhost_split workers: a rule added first tunes the RX
# worker of a device whose owner starts later, before its first packet;
# the workers show up, can be tuned and disappear with their owner.
#
#   owner (python3, comm vrtreal-PID) -- open /dev/vhost-split, SET_OWNER
#        `-- vhs-rx-PID (rule: cpus 1, fifo 30)   vhs-tx-PID (no rule)
#
# Needs vr_sched and vhost_split loaded (the runner does it), root.
set -u

ROOT=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/selftests/lib/ktap.sh"
V="$ROOT/tools/vrctl/vrctl"
COMM=vrtreal-$$
MON=/tmp/vrr-mon-$$.json
FIFO=/tmp/vrr-fifo-$$

cleanup() {
	[ -n "${monpid:-}" ] && kill "$monpid" 2>/dev/null
	[ -n "${owner:-}" ] && kill "$owner" 2>/dev/null
	[ -n "${rule:-}" ] && "$V" rule del "$rule" 2>/dev/null
	rm -f "$MON" "$FIFO"
}
trap cleanup EXIT

# Workers of owner PID as "id dir tid" lines.
workers_of() {
	"$V" -j worker show | python3 -c "
import json, sys
for w in json.load(sys.stdin):
    if w['owner_pid'] == $1 and w['kind'] == 'vhost_split':
        print(w['id'], w['dir'], w['tid'])"
}

ktap_plan 9

if [ ! -c /dev/vhost-split ]; then
	ktap_fail "/dev/vhost-split exists (vhost_split loaded)"
	ktap_finish
fi
rule=$("$V" -j rule add dir rx comm "$COMM" cpus 1 policy fifo prio 30 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
ktap_check "rule added before the device exists (id $rule)" [ -n "$rule" ]

"$V" -j monitor > "$MON" &
monpid=$!
sleep 1
mkfifo "$FIFO"
python3 - "$COMM" > "$FIFO" <<'EOF' &
import ctypes, fcntl, os, sys, time
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)  # PR_SET_NAME
fd = os.open('/dev/vhost-split', os.O_RDWR)
fcntl.ioctl(fd, 0xAF01)                                     # VHOST_SET_OWNER
print('ready', flush=True)
time.sleep(120)
EOF
owner=$!
read -r -t 30 ready < "$FIFO"
ktap_check "owner opened /dev/vhost-split and set itself owner" [ "${ready:-}" = ready ]

mapfile -t ws < <(workers_of "$owner")
ktap_check "two workers (rx, tx) registered for the owner: ${ws[*]}" \
	bash -c "[ ${#ws[@]} = 2 ] && printf '%s\n' '${ws[0]:-}' '${ws[1]:-}' | awk '{print \$2}' | sort | tr '\n' ' ' | grep -qx 'rx tx '"
rx=$(printf '%s\n' "${ws[@]}" | awk '$2 == "rx"') tx=$(printf '%s\n' "${ws[@]}" | awk '$2 == "tx"')
rxid=${rx%% *} rxtid=${rx##* } txid=${tx%% *} txtid=${tx##* }
ktap_check "rule applied to the rx worker: chrt FIFO 30" \
	bash -c "chrt -p $rxtid | grep -q 'policy: SCHED_FIFO' && chrt -p $rxtid | grep -q 'priority: 30'"
ktap_check "rule applied to the rx worker: Cpus_allowed_list 1" \
	grep -q "^Cpus_allowed_list:[[:space:]]*1\$" "/proc/$rxtid/status"
ktap_check "tx worker untouched (SCHED_OTHER)" \
	bash -c "chrt -p $txtid | grep -q 'policy: SCHED_OTHER'"
"$V" worker set "$txid" policy rr prio 5
ktap_check "worker set on a real tx worker -> chrt SCHED_RR 5" \
	bash -c "chrt -p $txtid | grep -q 'policy: SCHED_RR' && chrt -p $txtid | grep -q 'priority: 5'"

kill "$owner"; wait "$owner" 2>/dev/null; owner=
sleep 1
ktap_check "the owner's exit unregisters both workers" \
	bash -c "! '$V' worker show | grep -Eq '^worker ($rxid|$txid) '"
kill "$monpid"; wait "$monpid" 2>/dev/null; monpid=
ktap_check "monitor saw new and del for both workers" \
	python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$MON') if l.strip()]
got = sorted((e['event'], e['id']) for e in ev if e['id'] in ($rxid, $txid))
want = sorted([('worker new', $rxid), ('worker new', $txid), ('worker del', $rxid), ('worker del', $txid)])
sys.exit(0 if got == want else print(got) or 1)"
ktap_finish
