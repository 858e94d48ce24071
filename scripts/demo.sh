#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot a throwaway VM with a Debian kernel and show pvr working.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
k=${PVR_DEMO_KERNEL:-$("$top/scripts/kernels.sh" | tail -n1)}
echo "demo: booting $k in a throwaway VM (TCG unless KVM is usable)"
"$top/scripts/vm.sh" -k "$k" -- scripts/demo-guest.sh
