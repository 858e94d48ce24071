# SPDX-License-Identifier: GPL-2.0
#
# vrbench plot: forwarded vs offered packet rate, one curve per configuration
# (the style of the paper's figures 2, 5, 13-15 and 18). bench/vrreport
# calls it with:
#   gnuplot -e "term='pngcairo'; out='F.png'; ttl='...'; files='a.dat b.dat';
#               names='a b'; ycol=3; ylab='...'" bench/plot.gp
# Data files: offered_pps forwarded_pps worker_ns_per_pkt router_ns_per_pkt
# (one point a line).
# term='dumb' draws the same plot as text (out='' for stdout).

if (!exists("term")) term = 'pngcairo'
if (!exists("ycol")) ycol = 2
if (!exists("ylab")) ylab = 'forwarded rate (kpps)'
if (!exists("yscale")) yscale = 1000.0

if (term eq 'dumb') {
	set terminal dumb size 79,24
} else {
	if (term eq 'pngcairo') {
		set terminal pngcairo size 900,600 font ',10'
	} else {
		set terminal png size 900,600
	}
}
if (strlen(out) > 0) set output out

set title ttl noenhanced
set xlabel 'offered rate (kpps, 64-byte frames)'
set ylabel ylab
set key top left noenhanced
set grid
set xrange [0:*]
set yrange [0:*]
set datafile separator whitespace
if (ycol == 2 && term ne 'dumb') {
	# forwarded = offered: the line a lossless router would follow
	plot for [i=1:words(files)] word(files, i) using ($1/1000):(column(ycol)/yscale) \
		with linespoints lw 2 pt (i+5) title word(names, i), \
		x with lines dt 2 lc rgb 'gray' title 'offered'
} else {
	plot for [i=1:words(files)] word(files, i) using ($1/1000):(column(ycol)/yscale) \
		with linespoints title word(names, i)
}
