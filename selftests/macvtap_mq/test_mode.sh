#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# macvlan mode of macvtap_mq links: vepa by default, IFLA_MACVLAN_MODE
# (sent over raw rtnetlink, as stock ip cannot) sets it, bad modes refused.
set -u
. "$(dirname "$0")/lib.sh"
mvq_require
trap mvq_cleanup EXIT
ktap_plan 4
mvq_setup
NL=$MVQ_DIR/nlmode.py
m=$(nsx python3 "$NL" get pvr0)
[ "$m" = vepa ] && ktap_ok "default mode is vepa" || ktap_fail "default mode is vepa (got $m)"
nsx python3 "$NL" add veth0 pvr1 bridge >/dev/null
m=$(nsx python3 "$NL" get pvr1)
[ "$m" = bridge ] && ktap_ok "IFLA_MACVLAN_MODE bridge" || ktap_fail "IFLA_MACVLAN_MODE bridge (got $m)"
nsx python3 "$NL" add veth0 pvr2 private >/dev/null
m=$(nsx python3 "$NL" get pvr2)
[ "$m" = private ] && ktap_ok "IFLA_MACVLAN_MODE private" || ktap_fail "IFLA_MACVLAN_MODE private (got $m)"
out=$(nsx python3 "$NL" add veth0 pvr3 3)
if [ "$out" = "error 22" ] && ! nsx ip link show pvr3 >/dev/null 2>&1; then
	ktap_ok "invalid mode refused with EINVAL"
else
	ktap_fail "invalid mode refused with EINVAL (got '$out')"
fi
ktap_finish
