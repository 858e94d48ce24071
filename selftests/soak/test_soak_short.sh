#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The soak (selftests/soak/soak-guest.sh, make soak) cut to 40 s for the
# VM selftest suite: 3 routers behind a macvtap_mq link under pktgen
# overload while the configuration churns, then the packet accounting,
# the slab comparison and the process checks, one KTAP point each.
dir=$(cd "$(dirname "$0")" && pwd)
exec "$dir/soak-guest.sh" --seconds "${PVR_SOAK_SECONDS:-40}" --idle-ms 8000 \
	--churn-ms 700-1500 --rate "${PVR_SOAK_RATE:-4000}" --ktap \
	--out "${PVR_VM_RES:-/tmp}/soak-short-$$"
