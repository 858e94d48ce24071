#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the demo VM (see scripts/demo.sh).
set -u
echo "== kernel: $(uname -r)"
echo "== pvr modules loaded"
lsmod | grep -E '^(vr_sched|vhost_split|macvtap_mq) ' || true
for m in vr_sched vhost_split macvtap_mq; do
	[ -d /sys/module/$m ] || { echo "demo: $m is not loaded"; exit 1; }
done
echo
echo "Full test suite: make check. Documentation: Documentation/index.rst"
