#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stock vhost-net as the consumer of a macvtap_mq queue: SET_BACKEND takes
# the fd and 100 frames sent into the link land in the RX virtqueue.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap mvq_cleanup EXIT
ktap_plan 2
[ -c /dev/vhost-net ] || modprobe vhost_net 2>/dev/null
mvq_setup
if [ ! -c /dev/vhost-net ]; then
	ktap_skip "vhost-net backend" "/dev/vhost-net missing (vhost_net not available)"
	ktap_skip "vhost-net forwards" "/dev/vhost-net missing (vhost_net not available)"
	ktap_finish
fi
out=$(nsx timeout 60 "$MVQ_DIR/vhostchk" "$TAP" veth1 "$MAC" 100)
rc=$?
ktap_diag "$(tr '\n' ' ' <<<"$out")"
grep -q "^backend rc 0" <<<"$out" && ktap_ok "vhost-net: SET_BACKEND accepts a macvtap_mq fd" ||
	ktap_fail "vhost-net: SET_BACKEND accepts a macvtap_mq fd"
[ $rc = 0 ] && ktap_ok "vhost-net: 100 frames through the queue into the RX virtqueue" ||
	ktap_fail "vhost-net: 100 frames through the queue into the RX virtqueue"
ktap_finish
