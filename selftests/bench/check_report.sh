#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side regression test of bench/vrreport, the benchmark's report (no
# VM: it only reads result files). Each directory of report-fixtures/ is one
# benchmark run: its inputs, results.csv and meta.json as the guest-side
# driver writes them (meta.json may be missing), and the outputs the report
# must make of them, byte for byte: ratios.txt, ratios.rst, ratios.json,
# data/*.dat, stdout (the result directory written as @DIR@, gnuplot's text
# plots left out: they depend on the gnuplot version) and exit-status;
# "args" holds the options of the run. The expected outputs were written by
# bench/report.py, the Python program vrreport replaced. vrreport runs on a
# copy of the inputs; three test points per fixture: the files, stdout and
# exit status, the PNGs. Then damaged inputs must end in an error naming
# the file (exit 1), never a crash or a made-up report.
#
#   selftests/bench/check_report.sh            # needs bench/vrreport (make tools)
#   selftests/bench/check_report.sh --update   # rewrite the expected outputs
#
# --update is for an intended change of the report's output: review the
# diff it leaves before committing it. VRREPORT="prog args" runs another
# implementation instead of bench/vrreport.
set -u
top=${PVR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/selftests/lib/ktap.sh"

fx=$top/selftests/bench/report-fixtures
read -r -a report <<<"${VRREPORT:-$top/bench/vrreport}"
update=0
[ "${1:-}" = --update ] && update=1

tmp=$(mktemp -d /tmp/check-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# stdout without gnuplot's text plots (a form feed up to the next plot line)
# and with the result directory as @DIR@
normalize() {
	awk 'index($0, "\f") { skip = 1 } /^plot( error)?: / { skip = 0 } !skip' |
		sed "s|$1|@DIR@|g"
}

mapfile -t fixtures < <(cd "$fx" && ls -d -- */ | tr -d /)
damaged=6
ktap_plan $((${#fixtures[@]} * 3 + damaged))

if [ ! -x "${report[0]}" ] && ! command -v "${report[0]}" >/dev/null; then
	for f in "${fixtures[@]}"; do
		for t in files "stdout and exit status" plots; do
			ktap_fail "$f: $t (${report[0]} not built: make tools)"
		done
	done
	for ((i = 0; i < damaged; i++)); do
		ktap_fail "damaged input $i (${report[0]} not built: make tools)"
	done
	ktap_finish
fi
have_gnuplot=0
command -v gnuplot >/dev/null && have_gnuplot=1

# run NAME SRC: the report on a copy of SRC's inputs in $tmp/NAME
run() {
	local d=$tmp/$1 args=()

	mkdir -p "$d"
	cp "$2/results.csv" "$d/" 2>/dev/null
	[ -e "$2/meta.json" ] && cp "$2/meta.json" "$d/"
	[ -e "$2/args" ] && read -r -a args <"$2/args"
	"${report[@]}" "$d" "${args[@]}" >"$tmp/$1.stdout" 2>"$tmp/$1.stderr"
	echo $? >"$tmp/$1.rc"
}

for f in "${fixtures[@]}"; do
	exp=$fx/$f
	d=$tmp/$f
	run "$f" "$exp"
	normalize "$d" <"$tmp/$f.stdout" >"$tmp/$f.out"
	sed 's/^/# /' "$tmp/$f.stderr"
	if [ "$update" = 1 ]; then
		rm -rf "$exp/data" "$exp"/ratios.*
		cp -r "$d/data" "$exp/" 2>/dev/null
		cp "$d"/ratios.* "$exp/" 2>/dev/null
		cp "$tmp/$f.out" "$exp/stdout"
		cp "$tmp/$f.rc" "$exp/exit-status"
	fi

	# 1: every output file, none missing, none extra
	mapfile -t outs < <( (cd "$exp" && ls ratios.* data/* 2>/dev/null
			      cd "$d" && ls ratios.* data/* 2>/dev/null) | sort -u)
	bad=()
	for o in "${outs[@]}"; do
		cmp -s "$exp/$o" "$d/$o" || bad+=("$o")
	done
	for o in "${bad[@]}"; do
		diff -u "$exp/$o" "$d/$o" 2>&1 | head -20 | sed 's/^/# /'
	done
	if [ ${#outs[@]} = 0 ]; then
		ktap_fail "$f: no output file"
	elif [ ${#bad[@]} = 0 ]; then
		ktap_ok "$f: ${#outs[@]} output files as expected ($(ls "$d" | grep -c '^ratios\.') ratios.*, $(ls "$d/data" | wc -l) data/*.dat)"
	else
		ktap_fail "$f: differ: ${bad[*]}"
	fi

	# 2: stdout and exit status (gnuplot decides the plot lines)
	if [ "$have_gnuplot" = 0 ]; then
		ktap_skip "$f: stdout and exit status" "gnuplot is not installed"
	elif cmp -s "$exp/stdout" "$tmp/$f.out" &&
	     cmp -s "$exp/exit-status" "$tmp/$f.rc"; then
		ktap_ok "$f: stdout and exit status ($(cat "$tmp/$f.rc")) as expected"
	else
		diff -u "$exp/stdout" "$tmp/$f.out" | head -20 | sed 's/^/# /'
		ktap_fail "$f: stdout or exit status (expected $(cat "$exp/exit-status"), got $(cat "$tmp/$f.rc")) differ"
	fi

	# 3: each plot stdout names is a PNG
	mapfile -t pngs < <(sed -n 's|^plot: @DIR@/||p' "$exp/stdout")
	missing=()
	for p in "${pngs[@]}"; do
		[ "$(head -c 4 "$d/$p" 2>/dev/null | tail -c 3)" = PNG ] ||
			missing+=("$p")
	done
	if [ "$have_gnuplot" = 0 ]; then
		ktap_skip "$f: plots" "gnuplot is not installed"
	elif [ ${#missing[@]} = 0 ]; then
		ktap_ok "$f: ${#pngs[@]} PNG plots drawn"
	else
		ktap_fail "$f: not drawn: ${missing[*]}"
	fi
done

# Damaged inputs, made from the full fixture: exit 1 and an error that
# names the file; a damaged meta.json is only a warning, as the run's
# results stand without it.
src=$fx/full
# damaged NAME WHAT EXPECT-RC GREP-STDERR: after $tmp/NAME-in was prepared
damaged() {
	local name=$1 what=$2 want=$3 pat=$4 got

	run "$name" "$tmp/$name-in"
	got=$(cat "$tmp/$name.rc")
	sed 's/^/# /' "$tmp/$name.stderr"
	if [ "$got" = "$want" ] && grep -q -- "$pat" "$tmp/$name.stderr"; then
		ktap_ok "damaged input: $what: exit $got, reported"
	else
		ktap_fail "damaged input: $what: exit $got (want $want), stderr without '$pat'"
	fi
}
prep() {
	mkdir -p "$tmp/$1-in"
	cp "$src/results.csv" "$src/meta.json" "$tmp/$1-in/"
}
prep cut
head -c -40 "$src/results.csv" >"$tmp/cut-in/results.csv"
damaged cut "results.csv cut inside its last record" 1 "results.csv:[0-9]*: .*truncated"
prep quote
printf '%s\n' 'stock-mono,sweep,1,1000,"994.4' >>"$tmp/quote-in/results.csv"
damaged quote "results.csv ending inside quotes" 1 "results.csv:[0-9]*: quoted field not closed"
prep utf8
printf 'stock-mono,\xff\n' >>"$tmp/utf8-in/results.csv"
damaged utf8 "results.csv not UTF-8" 1 "results.csv:[0-9]*: not UTF-8"
prep nocsv
rm "$tmp/nocsv-in/results.csv"
damaged nocsv "no results.csv" 1 "results.csv: No such file"
prep meta
head -c 300 "$src/meta.json" >"$tmp/meta-in/meta.json"
damaged meta "meta.json cut short (a warning; the report is made)" \
	"$(cat "$src/exit-status")" "meta.json: line [0-9]* column [0-9]*: .*ignored"
[ -s "$tmp/meta/ratios.txt" ] || ktap_diag "no ratios.txt without meta.json"
prep metatype
echo '["not", "an", "object"]' >"$tmp/metatype-in/meta.json"
damaged metatype "meta.json not an object" 1 "meta.json: not a JSON object"

ktap_finish
