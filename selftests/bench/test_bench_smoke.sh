#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of vrbench (bench/vrbench): every configuration of
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
# A minute under the runner's per-test timeout (longer on the debug
# kernel, where it takes ~10 minutes), so the results can still be read.
tmo=$((${PVR_TEST_TIMEOUT:-600} - 60))
timeout "$tmo" "$top/bench/vrbench" --mode smoke --out "$tmp" >"$tmp/log" 2>&1
rc=$?
sed 's/^/# /' "$tmp/log"
if [ -s "$tmp/results.csv" ]; then
	ktap_ok "bench ran and wrote results.csv (exit $rc)"
else
	ktap_fail "bench ran and wrote results.csv (exit $rc)"
fi
# awk: each CSV record (RFC 4180 quoting, CRLF line ends, a quoted field
# may span lines) in cell[<column name>], then the caller's rules
csv_rows='
function isnum(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?$/ }
function split_record(line, out,    n, i, ch, f, q) {
	n = 0; f = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		ch = substr(line, i, 1)
		if (q) {
			if (ch == "\"" && substr(line, i + 1, 1) == "\"") { f = f ch; i++ }
			else if (ch == "\"") q = 0
			else f = f ch
		} else if (ch == "\"") q = 1
		else if (ch == ",") { out[++n] = f; f = "" }
		else f = f ch
	}
	out[++n] = f
	return n
}
{
	sub(/\r$/, "")
	rec = (pending == "" ? $0 : pending "\n" $0)
	if (gsub(/"/, "\"", rec) % 2) { pending = rec; next }
	pending = ""
	n = split_record(rec, f)
	if (!ncol) {
		for (i = 1; i <= n; i++)
			name[i] = f[i]
		ncol = n
		next
	}
	delete cell
	for (i = 1; i <= ncol; i++)
		cell[name[i]] = f[i]
}
'
for c in $configs; do
	# status ok, offered and forwarded rates > 0, worker ns/pkt a number
	if awk -v want="$c" "$csv_rows"' {
		if (cell["config"] != want)
			next
		rows++
		good = cell["status"] == "ok" && isnum(cell["offered_pps"]) &&
			cell["offered_pps"] + 0 > 0 &&
			isnum(cell["forwarded_pps"]) &&
			cell["forwarded_pps"] + 0 > 0 &&
			isnum(cell["worker_ns_per_pkt"]) &&
			cell["worker_ns_per_pkt"] + 0 >= 0
		if (!good)
			bad++
		note = cell["note"]
		gsub(/\n/, " ", note)	# one TAP comment line
		printf "# %s: offered %s forwarded %s pps, worker %s ns/pkt %s %s\n",
			cell["config"], cell["offered_pps"], cell["forwarded_pps"],
			cell["worker_ns_per_pkt"], cell["status"], note
	}
	END { exit !(rows && !bad) }' "$tmp/results.csv"
	then
		ktap_ok "$c produced numbers"
	else
		ktap_fail "$c produced numbers"
	fi
done
ktap_finish
