#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the virtme-ng guest (started by scripts/vm.sh): loads the stock
# dependencies and our freshly built modules, runs the command from
# RESDIR/cmd.sh, unloads our modules and leaves rc, dmesg and load-errors in
# RESDIR for the host to judge.
set -u
res=$1
load=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

export PVR_ROOT=$top
export PVR_KVER=$(uname -r)
export PVR_KO_DIR=$top/.build/$PVR_KVER
export PVR_TESTMOD_DIR=$PVR_KO_DIR/testmods
export PVR_VM_RES=$res
MODS="vr_sched vhost_split macvtap_mq"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
echo 30 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
echo 1 >/proc/sys/kernel/hung_task_all_cpu_backtrace 2>/dev/null
: >"$res/load-errors"

for m in tun tap macvlan macvtap vhost_net veth pktgen; do
	modprobe -q "$m" 2>>"$res/load-errors"
done
# Leaks from before our modules are not ours.
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
echo "pvr-vm: start" >/dev/kmsg

if [ "$load" = 1 ]; then
	for m in $MODS; do
		ko=$PVR_KO_DIR/$m/$m.ko
		[ -e "$ko" ] || continue
		insmod "$ko" 2>>"$res/load-errors" ||
			echo "insmod $m failed" >>"$res/load-errors"
	done
fi

bash "$res/cmd.sh"
echo $? >"$res/rc.tmp"

# Unload ours in reverse order; a module that will not go means a leaked
# reference, which is a failure.
for m in $(echo $MODS | tr ' ' '\n' | tac); do
	[ -d "/sys/module/$m" ] || continue
	rmmod "$m" 2>>"$res/load-errors" ||
		echo "rmmod $m failed (leaked reference?)" >>"$res/load-errors"
done
for m in /sys/module/pvr_*; do
	[ -d "$m" ] && { rmmod "${m##*/}" 2>>"$res/load-errors" ||
		echo "rmmod ${m##*/} failed" >>"$res/load-errors"; }
done
if [ -w /sys/kernel/debug/kmemleak ]; then
	# An object must be unreferenced for a while and seen by two scans.
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$res/kmemleak"
	[ -s "$res/kmemleak" ] && echo "kmemleak: $(grep -c unreferenced "$res/kmemleak") new suspected memory leaks" >/dev/kmsg
fi
echo "pvr-vm: end" >/dev/kmsg
dmesg >"$res/dmesg"
mv "$res/rc.tmp" "$res/rc"
sync
