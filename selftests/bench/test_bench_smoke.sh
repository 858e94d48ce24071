#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of vrbench (bench/guest.py): every configuration of
# bench/configs.txt runs one short point at a low fixed rate. Asserts only
# that each configuration ran and produced numbers (a forwarded rate above
# zero, CPU per packet), not how large they are: the benchmark itself is
# `make bench`. A configuration the bench reports as FAILED fails here.
#
#   pktgen -> gen0 ==veth== gen1 -> in0 (macvtap | macvtap_mq)
#          -> N x vnetdrv forward (vhost-net | vhost-split)
#          -> eg0 (macvtap) -> out0 ==veth== sink0 (counted)
set -u
top=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/selftests/lib/ktap.sh"

tmp=$(mktemp -d /tmp/bench-smoke.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
configs=$(sed -e 's/#.*//' "$top/bench/configs.txt" | awk 'NF { print $1 }')
n=$(echo "$configs" | wc -l)
ktap_plan $((n + 1))

if [ ! -x "$top/selftests/vhost_split/vnetdrv" ]; then
	ktap_fail "vnetdrv is built (make tools)"
	for c in $configs; do ktap_fail "$c ran"; done
	ktap_finish
fi
timeout 500 /usr/bin/python3 "$top/bench/guest.py" --mode smoke \
	--out "$tmp" >"$tmp/log" 2>&1
rc=$?
sed 's/^/# /' "$tmp/log"
if [ -s "$tmp/results.csv" ]; then
	ktap_ok "bench ran and wrote results.csv (exit $rc)"
else
	ktap_fail "bench ran and wrote results.csv (exit $rc)"
fi
for c in $configs; do
	# status ok, offered and forwarded rates > 0, worker ns/pkt a number
	if /usr/bin/python3 - "$tmp/results.csv" "$c" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["config"] == sys.argv[2]]
ok = bool(rows)
for r in rows:
    try:
        ok &= r["status"] == "ok" and float(r["offered_pps"]) > 0 and \
            float(r["forwarded_pps"]) > 0 and float(r["worker_ns_per_pkt"]) >= 0
    except (ValueError, KeyError):
        ok = False
    print("# %s: offered %s forwarded %s pps, worker %s ns/pkt %s %s" % (
        r["config"], r.get("offered_pps"), r.get("forwarded_pps"),
        r.get("worker_ns_per_pkt"), r["status"], r.get("note", "")))
sys.exit(0 if ok else 1)
PY
	then
		ktap_ok "$c produced numbers"
	else
		ktap_fail "$c produced numbers"
	fi
done
ktap_finish
