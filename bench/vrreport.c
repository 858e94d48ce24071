// SPDX-License-Identifier: GPL-2.0
/*
 * vrreport: the vrbench report, ratio table (text, rst, JSON) and gnuplot
 * plots.
 *
 *   bench/vrreport RESULT_DIR [--ascii GROUP]
 *   bench/vrreport --demo RESULT_DIR
 *
 * Reads RESULT_DIR/results.csv and meta.json (written by the guest-side
 * driver) and writes ratios.txt, ratios.rst, ratios.json, plot data
 * (data/NAME.dat) and one PNG per plot group (plot= in bench/configs.txt),
 * drawn by bench/plot.gp. Every ratio comes from numbers measured in this
 * one run; a ratio whose inputs are missing or FAILED is printed as such,
 * never estimated. --ascii also draws one group as text on stdout; --demo
 * prints make demo's table, a text plot and draws demo.png instead.
 *
 * Exit status: 0 when every configuration was measured (and, with --demo,
 * a plot was drawn), 1 when one FAILED or stopped early, a plot failed or
 * an input is unreadable, 2 on a usage error.
 *
 * The outputs were byte for byte those of the former bench/report.py,
 * until an overload point the generator fell short of stopped counting as
 * 2x/3x (n/a instead); selftests/bench/check_report.sh holds the reference
 * outputs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrreport.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * (label, numerator config, denominator config, what): peak = peak
 * forwarded rate, worker/router ns per forwarded packet at the peak.
 */
enum what { PEAK, WORKER_CPU, ROUTER_CPU };

static const struct {
	const char *label, *a, *b;
	enum what what;
} RATIOS[] = {
	{ "split/stock peak (monolithic)", "split-mono", "stock-mono", PEAK },
	{ "PVR rr 2 routers / split monolithic peak", "pvr-rr2", "split-mono",
	  PEAK },
	{ "PVR rr 3 routers / split monolithic peak", "pvr-rr3", "split-mono",
	  PEAK },
	{ "PVR rr 3 routers / stock monolithic peak", "pvr-rr3", "stock-mono",
	  PEAK },
	{ "PVR hash, 1 flow, 3 routers / PVR rr 3 routers peak", "pvr-hash3",
	  "pvr-rr3", PEAK },
	{ "placement: separate / shared CPU peak", "place-sep", "place-shared",
	  PEAK },
	{ "worker CPU per packet split/stock", "split-mono", "stock-mono",
	  WORKER_CPU },
	{ "router CPU per packet split/stock", "split-mono", "stock-mono",
	  ROUTER_CPU },
};

static const char *const WHAT_KEY[] = {
	[PEAK] = "peak_pps",
	[WORKER_CPU] = "worker_ns_per_pkt",
	[ROUTER_CPU] = "router_ns_per_pkt",
};

/*
 * Adaptive queue length (issue 7): each adaptive configuration (default
 * target; 5 ms, the default before 2026-12-06; 15 ms in older runs)
 * against the static limits, for a monolithic router, a 3-router PVR, and
 * a monolithic router sharing one CPU with stock vhost-net's worker (the
 * paper's figure 13). Printed when the adaptive configuration is in the
 * run.
 */
static const struct {
	const char *what, *ada, *statics[4], *big;
} ADAPTIVE[] = {
	{ "monolithic", "adaptive-mono",
	  { "limit-35", "limit-50", "limit-110", "limit-500" }, "limit-500" },
	{ "3-router PVR", "adaptive-pvr3",
	  { "pvr3-limit-35", "pvr3-limit-50", "pvr3-limit-110",
	    "pvr3-limit-500" }, "pvr3-limit-500" },
	{ "monolithic", "adaptive15-mono",
	  { "limit-35", "limit-50", "limit-110", "limit-500" }, NULL },
	{ "3-router PVR", "adaptive15-pvr3",
	  { "pvr3-limit-35", "pvr3-limit-50", "pvr3-limit-110",
	    "pvr3-limit-500" }, NULL },
	{ "monolithic", "adaptive5ms-mono",
	  { "limit-35", "limit-50", "limit-110", "limit-500" }, NULL },
	{ "3-router PVR", "adaptive5ms-pvr3",
	  { "pvr3-limit-35", "pvr3-limit-50", "pvr3-limit-110",
	    "pvr3-limit-500" }, NULL },
	{ "one CPU", "samecore-adaptive",
	  { "samecore-limit-35", "samecore-limit-50", "samecore-limit-110",
	    "samecore-limit-500" }, "samecore-limit-500" },
};

static const struct {
	const char *group, *title;
} TITLES[] = {
	{ "mono", "Monolithic router: stock vhost-net vs vhost_split" },
	{ "pvr", "Parallel Virtual Routers (macvtap_mq) vs monolithic" },
	{ "qlimit", "Queue limit under overload (1 router, macvtap_mq)" },
	{ "qlimit3", "Queue limit under overload (3-router PVR, macvtap_mq rr)" },
	{ "qsame", "Queue limit, router and stock vhost-net on one CPU (paper fig. 13)" },
	{ "place", "Worker placement via vr_sched rules" },
	{ "demo", "make demo: 3-router PVR (macvtap_mq rr + vhost_split)" },
};

#define SUBTITLE "routers: userspace stand-in for router VMs; TCG: compare ratios"
#define DEFAULT_CAVEAT "routers are a userspace stand-in for router VMs"

struct point {
	double off, fwd;
	const struct csv_row *r;
	size_t idx;
};

/* Python float or None */
struct optnum {
	bool set;
	double v;
};

enum status { ST_OK, ST_PARTIAL, ST_FAILED };
static const char *const STATUS[] = { "ok", "partial", "FAILED" };

struct summ {
	const char *name;
	enum status status;
	const char *reason;
	long void_points;
	struct point *pts;
	size_t npts;
	double peak, peak_off;
	struct optnum wns, rns;
	bool has_at[2];
	double at_off[2], at_fwd[2];
	char *dat;		/* data file, when not FAILED */
};

struct config {			/* one entry of meta.json's configs */
	const char *name;
	const struct jval *plot;	/* J_ARR of J_STR, or NULL */
};

/* a list of lines to print, each of which may hold newlines */
struct lines {
	char **v;
	size_t n;
};

static void lines_add(struct lines *l, char *s)
{
	if (!(l->n & (l->n + 1)))
		l->v = xrealloc(l->v, 2 * (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = s;
}

static void lines_print(const char *prefix, struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		printf("%s%s\n", prefix, l->v[i]);
		free(l->v[i]);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct group {
	const char *name;
	const char **names;
	size_t n;
};

struct report {
	const char *dir;
	char *csv_path, *meta_path;
	struct csv csv;
	struct jval *meta;
	struct config *cfg;
	size_t ncfg;
	struct summ *s;
	size_t ns;
	struct jval *ratios;
	const struct jval *stalls;	/* J_ARR of J_STR, or NULL */
	char *here;			/* directory of this program */
	struct repeat *rep;		/* points repeated, see repeats() */
	size_t nrep;
};

/* One target rate of one configuration, measured REPEAT_MIN times or more. */
struct repeat {
	const char *name;
	double target, off, med, lo, hi;	/* off: median offered */
	size_t n;
};

#define REPEAT_MIN	3

/* ------------------------------------------------------------- inputs */

static struct optnum num(const char *s)
{
	struct optnum n = { 0 };

	n.set = py_float(s, &n.v);
	return n;
}

/* meta.get(key, dflt) printed with %s */
static char *meta_str(struct report *R, const char *key, const char *dflt)
{
	struct jval *v = jobj_get(R->meta, key);
	struct sbuf b = { 0 };

	if (!v)
		return xstrdup(dflt);
	py_str(&b, v);
	return sb_steal(&b);
}

static void load_meta(struct report *R)
{
	struct jval *cfgs, *plot, *c;
	size_t len, i, k;
	bool fatal;
	char *buf, *err;

	R->meta = jnew(J_OBJ);
	buf = read_file(R->meta_path, &len);
	if (!buf) {
		warn("%s: %s: no configuration order, plot groups or run details",
		     R->meta_path, strerror(errno));
		return;
	}
	c = json_parse(buf, len, &err, &fatal);
	free(buf);
	if (fatal)
		die("%s: %s", R->meta_path, err);
	if (!c) {
		warn("%s: %s: ignored (no configuration order, plot groups or run details)",
		     R->meta_path, err);
		return;
	}
	if (c->type != J_OBJ)
		die("%s: not a JSON object", R->meta_path);
	R->meta = c;

	cfgs = jobj_get(c, "configs");
	if (cfgs && cfgs->type != J_ARR)
		die("%s: \"configs\" is not a list", R->meta_path);
	R->ncfg = cfgs ? cfgs->n : 0;
	R->cfg = xmalloc((R->ncfg + 1) * sizeof(*R->cfg));
	for (i = 0; i < R->ncfg; i++) {
		struct jval *e = cfgs->v[i], *name = jobj_get(e, "name");

		if (e->type != J_OBJ)
			die("%s: configs[%zu] is not an object", R->meta_path, i);
		if (!name || name->type != J_STR)
			die("%s: configs[%zu] has no \"name\" string",
			    R->meta_path, i);
		plot = jobj_get(e, "plot");
		if (plot && plot->type != J_ARR)
			die("%s: configs[%zu] (%s): \"plot\" is not a list",
			    R->meta_path, i, name->str);
		for (k = 0; plot && k < plot->n; k++)
			if (plot->v[k]->type != J_STR)
				die("%s: configs[%zu] (%s): plot[%zu] is not a string",
				    R->meta_path, i, name->str, k);
		R->cfg[i].name = name->str;
		R->cfg[i].plot = plot;
	}

	/* meta.get("stalls") or [] */
	R->stalls = jobj_get(c, "stalls");
	if (!jtruthy(R->stalls)) {
		R->stalls = NULL;
	} else {
		if (R->stalls->type != J_ARR)
			die("%s: \"stalls\" is not a list", R->meta_path);
		for (k = 0; k < R->stalls->n; k++)
			if (R->stalls->v[k]->type != J_STR)
				die("%s: stalls[%zu] is not a string",
				    R->meta_path, k);
	}
}

static bool in_plot(const struct config *c, const char *group)
{
	size_t k;

	for (k = 0; c->plot && k < c->plot->n; k++)
		if (!strcmp(c->plot->v[k]->str, group))
			return true;
	return false;
}

/* -------------------------------------------------------------- summary */

static struct summ *find(struct report *R, const char *name)
{
	size_t i;

	for (i = 0; i < R->ns; i++)
		if (!strcmp(R->s[i].name, name))
			return &R->s[i];
	return NULL;
}

static int cmp_off(const void *pa, const void *pb)
{
	const struct point *a = pa, *b = pb;

	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Forwarded rate measured at `load` offered: the overload point if one
 * was run there and the generator offered at least 85 % of the load, else
 * the nearest measured point within 15 %, else none (never extrapolated).
 * An overload point the generator fell short of (pktgen at its limit: the
 * row's gen_limited) is not that load: using it would call a point near
 * saturation "overload".
 */
static bool at_load(struct report *R, struct summ *s, double load, int mult,
		    double *off, double *fwd)
{
	char phase[16];
	bool best = false;
	size_t i;

	snprintf(phase, sizeof(phase), "overload%d", mult);
	for (i = 0; i < s->npts; i++) {
		struct point *p = &s->pts[i];

		if (!strcmp(csv_get(&R->csv, p->r, "phase"), phase) &&
		    p->off >= 0.85 * load) {
			*off = p->off;
			*fwd = p->fwd;
			return true;
		}
		if (py_true(p->off) && fabs(p->off - load) <= 0.15 * load) {
			if (!best || fabs(p->off - load) < fabs(*off - load)) {
				best = true;
				*off = p->off;
				*fwd = p->fwd;
			}
		}
	}
	return best;
}

static double rate(struct report *R, const struct csv_row *r, const char *col,
		   const char *name)
{
	const char *v = csv_get(&R->csv, r, col);
	struct optnum n = num(v);

	/* a rate that is no number (or NaN) cannot be sorted or compared */
	if (!n.set || isnan(n.v))
		die("%s:%lu: %s: status ok but %s '%s' is not a number",
		    R->csv_path, r->line, name, col, v);
	return n.v;
}

static void summarize(struct report *R)
{
	const struct csv *t = &R->csv;
	const char **order;
	size_t norder = 0, i, j, nok;

	order = xmalloc((R->ncfg + t->nrows + 1) * sizeof(*order));
	for (i = 0; i < R->ncfg; i++)
		order[norder++] = R->cfg[i].name;
	for (i = 0; i < t->nrows; i++) {
		const char *c = csv_get(t, &t->rows[i], "config");

		for (j = 0; j < norder && strcmp(order[j], c); j++)
			;
		if (j == norder)
			order[norder++] = c;
	}
	R->s = xmalloc((norder + 1) * sizeof(*R->s));
	for (i = 0; i < norder; i++) {
		const struct csv_row *bad = NULL;
		struct summ *s;
		size_t peak;

		if (find(R, order[i]))
			continue;	/* listed twice: one entry */
		s = &R->s[R->ns++];
		memset(s, 0, sizeof(*s));
		s->name = order[i];
		s->reason = "";
		s->pts = xmalloc((t->nrows + 1) * sizeof(*s->pts));
		nok = 0;
		for (j = 0; j < t->nrows; j++) {
			const struct csv_row *r = &t->rows[j];
			const char *st;

			if (strcmp(csv_get(t, r, "config"), s->name))
				continue;
			st = csv_get(t, r, "status");
			if (!strcmp(st, "void")) {
				s->void_points++;
			} else if (strcmp(st, "ok")) {
				if (!bad)
					bad = r;
			} else {
				s->pts[nok].r = r;
				s->pts[nok].idx = nok;
				nok++;
			}
		}
		if (!nok) {
			s->status = ST_FAILED;
			s->reason = bad ? csv_get(t, bad, "note") : "no valid point";
			continue;
		}
		if (bad) {
			/* Measured points stay valid; the run stopped early. */
			s->status = ST_PARTIAL;
			s->reason = xasprintf("stopped after %zu points: %s", nok,
					      csv_get(t, bad, "note"));
		}
		for (j = 0; j < nok; j++) {
			s->pts[j].off = rate(R, s->pts[j].r, "offered_pps", s->name);
			s->pts[j].fwd = rate(R, s->pts[j].r, "forwarded_pps",
					     s->name);
		}
		s->npts = nok;
		qsort(s->pts, nok, sizeof(*s->pts), cmp_off);
		for (peak = 0, j = 1; j < nok; j++)
			if (s->pts[j].fwd > s->pts[peak].fwd)
				peak = j;
		s->peak = s->pts[peak].fwd;
		s->peak_off = s->pts[peak].off;
		s->wns = num(csv_opt(t, s->pts[peak].r, "worker_ns_per_pkt"));
		s->rns = num(csv_opt(t, s->pts[peak].r, "router_ns_per_pkt"));
		for (j = 0; j < 2; j++)
			s->has_at[j] = at_load(R, s, (double)(j + 2) * s->peak,
					       (int)j + 2, &s->at_off[j],
					       &s->at_fwd[j]);
	}
	free(order);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* Sorts v. */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Target rates a configuration was measured at REPEAT_MIN times or more
 * (bench/run.sh --repeat): the median, lowest and highest forwarded rate.
 * How far apart they are is how much one run's ratio can be trusted.
 * Points without a numeric target_pps are left out.
 */
static void repeats(struct report *R)
{
	struct optnum *tg;
	double *fwd, *off;
	size_t i, j, k, n;

	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];

		if (s->status == ST_FAILED)
			continue;
		tg = xmalloc((s->npts + 1) * sizeof(*tg));
		fwd = xmalloc((s->npts + 1) * sizeof(*fwd));
		off = xmalloc((s->npts + 1) * sizeof(*off));
		for (j = 0; j < s->npts; j++)
			tg[j] = num(csv_get(&R->csv, s->pts[j].r, "target_pps"));
		for (j = 0; j < s->npts; j++) {
			struct repeat p = { .name = s->name, .target = tg[j].v };

			if (!tg[j].set)
				continue;
			for (k = 0; k < j; k++)	/* first of its target? */
				if (tg[k].set && tg[k].v == tg[j].v)
					break;
			if (k < j)
				continue;
			for (n = 0, k = j; k < s->npts; k++)
				if (tg[k].set && tg[k].v == tg[j].v) {
					fwd[n] = s->pts[k].fwd;
					off[n++] = s->pts[k].off;
				}
			if (n < REPEAT_MIN)
				continue;
			p.n = n;
			p.off = median(off, n);
			p.med = median(fwd, n);		/* fwd is sorted now */
			p.lo = fwd[0];
			p.hi = fwd[n - 1];
			R->rep = xrealloc(R->rep, (R->nrep + 1) *
					  sizeof(*R->rep));
			R->rep[R->nrep++] = p;
		}
		free(tg);
		free(fwd);
		free(off);
	}
}

/* (highest - lowest) / median of a repeated point */
static char *spread(const struct repeat *p)
{
	return py_true(p->med) ? py_fixed((p->hi - p->lo) / p->med, 2)
			       : xstrdup("n/a");
}

/* s.get(key) of the Python summary, as a float or None */
static struct optnum summ_get(const struct summ *s, enum what w)
{
	struct optnum n = { 0 };

	if (s->status == ST_FAILED)
		return n;
	if (w == PEAK) {
		n.set = true;
		n.v = s->peak;
		return n;
	}
	return w == WORKER_CPU ? s->wns : s->rns;
}

/* ---------------------------------------------------------------- ratios */

static struct jval *jnum_or_null(struct optnum n)
{
	return n.set ? jfloat(n.v) : jnew(J_NULL);
}

static void ratio_table(struct report *R)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(RATIOS); i++) {
		struct summ *sa = find(R, RATIOS[i].a), *sb = find(R, RATIOS[i].b);
		const char *key = WHAT_KEY[RATIOS[i].what];
		struct jval *e = jnew(J_OBJ);
		struct optnum va, vb;

		jobj_set(e, "ratio", jstr(RATIOS[i].label));
		jobj_set(e, "numerator", jstr(RATIOS[i].a));
		jobj_set(e, "denominator", jstr(RATIOS[i].b));
		jarr_add(R->ratios, e);
		if (!sa || !sb) {
			jobj_set(e, "value", jnew(J_NULL));
			jobj_set(e, "why", jstr("not measured in this run"));
			continue;
		}
		if (sa->status == ST_FAILED || sb->status == ST_FAILED) {
			jobj_set(e, "value", jnew(J_NULL));
			jobj_set(e, "why", jstr(xasprintf("FAILED: %s",
				sa->status == ST_FAILED ? RATIOS[i].a : RATIOS[i].b)));
			continue;
		}
		va = summ_get(sa, RATIOS[i].what);
		vb = summ_get(sb, RATIOS[i].what);
		if (!va.set || !py_true(va.v) || !vb.set || !py_true(vb.v)) {
			jobj_set(e, "value", jnew(J_NULL));
			jobj_set(e, "why", jstr(xasprintf("no %s measured", key)));
			continue;
		}
		jobj_set(e, "value", jfloat(py_round3(va.v / vb.v)));
		jobj_set(e, "numerator_value", jfloat(va.v));
		jobj_set(e, "denominator_value", jfloat(vb.v));
		if (sa->status != ST_OK && sb->status != ST_OK)
			jobj_set(e, "why", jstr(xasprintf("partial: %s,%s",
				RATIOS[i].a, RATIOS[i].b)));
		else if (sa->status != ST_OK || sb->status != ST_OK)
			jobj_set(e, "why", jstr(xasprintf("partial: %s",
				sa->status != ST_OK ? RATIOS[i].a : RATIOS[i].b)));
	}
}

static struct jval *entry(const char *label, const char *ada,
			  const char *target, const struct optnum *n,
			  double den, const char *why)
{
	struct jval *e = jnew(J_OBJ);

	jobj_set(e, "ratio", jstr(label));
	jobj_set(e, "numerator", jstr(ada));
	jobj_set(e, "target", jstr(target));
	jobj_set(e, "value", jnew(J_NULL));
	if (why) {
		jobj_set(e, "why", jstr(why));
	} else if (n && n->set && py_true(den)) {
		jobj_set(e, "value", jfloat(py_round3(n->v / den)));
		jobj_set(e, "numerator_value", jfloat(n->v));
		jobj_set(e, "denominator_value", jfloat(den));
	} else {
		jobj_set(e, "why", jstr("not measured"));
	}
	return e;
}

static bool usable(const struct summ *s)
{
	return s && s->status != ST_FAILED && py_true(s->peak);
}

/*
 * Issue 7: adaptive peak / best static peak, and forwarded at 2x and 3x
 * the saturation load / peak for adaptive and the 500 limit.
 */
static void adaptive_ratios(struct report *R)
{
	size_t first = R->ratios->n, i, k;

	for (i = 0; i < ARRAY_SIZE(ADAPTIVE); i++) {
		const char *ada = ADAPTIVE[i].ada, *names[2];
		struct summ *sa = find(R, ada), *best = NULL, *st;
		struct sbuf missing = { 0 };
		struct jval *e;
		char *label;
		int n, mult;

		if (!sa)
			continue;
		for (k = 0; k < ARRAY_SIZE(ADAPTIVE[i].statics); k++) {
			st = find(R, ADAPTIVE[i].statics[k]);
			if (usable(st)) {
				if (!best || st->peak > best->peak)
					best = st;
			} else {
				sb_printf(&missing, "%s%s", missing.len ? "," : "",
					  ADAPTIVE[i].statics[k]);
			}
		}
		label = xasprintf("%s: %s peak / best static peak",
				  ADAPTIVE[i].what, ada);
		if (!usable(sa)) {
			e = entry(label, ada, ">= 1.00", NULL, 0,
				  xasprintf("FAILED: %s", ada));
		} else if (!best) {
			e = entry(label, ada, ">= 1.00", NULL, 0,
				  "no static limit measured");
		} else {
			struct optnum pk = { true, sa->peak };

			e = entry(xasprintf("%s (%s)", label, best->name), ada,
				  ">= 1.00", &pk, best->peak, NULL);
			jobj_set(e, "denominator", jstr(best->name));
			if (missing.len)
				jobj_set(e, "why", jstr(xasprintf("without %s",
								  missing.s)));
		}
		jarr_add(R->ratios, e);
		names[0] = ada;
		names[1] = ADAPTIVE[i].big;
		for (n = 0; n < 2 && names[n]; n++) {
			struct summ *s = find(R, names[n]);
			const char *tgt = n == 0 ? ">= 0.97" : "";

			for (mult = 2; mult <= 3; mult++) {
				struct optnum at = { 0 };

				label = xasprintf("%s: %s at %dx saturation / its peak",
						  ADAPTIVE[i].what, names[n], mult);
				if (!usable(s)) {
					jarr_add(R->ratios, entry(label, ada, tgt,
						NULL, 0, !s ? "not measured" :
						xasprintf("FAILED: %s", names[n])));
					continue;
				}
				if (s->has_at[mult - 2]) {
					at.set = true;
					at.v = s->at_fwd[mult - 2];
				}
				e = entry(label, ada, tgt, &at, s->peak, NULL);
				jobj_set(e, "numerator", jstr(names[n]));
				jobj_set(e, "denominator", jstr(names[n]));
				if (!at.set)
					jobj_set(e, "why", jstr(xasprintf(
						"no point offered %dx", mult)));
				jarr_add(R->ratios, e);
			}
		}
		free(missing.s);
	}
	for (i = first; i < R->ratios->n; i++) {
		struct jval *e = R->ratios->v[i], *why = jobj_get(e, "why");

		if (jobj_get(e, "value")->type != J_NULL && jtruthy(why))
			jobj_set(e, "why", jstr(xasprintf("partial: %s",
							  why->str)));
	}
}

/* ---------------------------------------------------------------- text */

static char *fmt_k(double v)
{
	return py_fixed(v / 1000, 1);
}

/* forwarded at 2x / 3x relative to the peak */
static char *rel(const struct summ *s, int k)
{
	if (!s->has_at[k] || !py_true(s->peak))
		return xstrdup("n/a");
	return py_fixed(s->at_fwd[k] / s->peak, 2);
}

static char *ns(struct optnum n)
{
	return n.set && py_true(n.v) ? py_fixed(n.v, 0) : xstrdup("-");
}

/* the value column of a ratio entry */
static char *ratio_value(const struct jval *e, bool rst)
{
	const struct jval *v = jobj_get(e, "value"), *why = jobj_get(e, "why");
	const struct jval *tgt = jobj_get(e, "target");
	struct sbuf b = { 0 };
	char *f;

	if (v->type == J_NULL) {
		sb_add(&b, why->str);
	} else {
		f = py_fixed(v->num, 2);
		sb_add(&b, f);
		free(f);
		if (jtruthy(why))
			sb_printf(&b, " (%s)", why->str);
	}
	if (!rst && jtruthy(tgt))
		sb_printf(&b, "   [target %s]", tgt->str);
	return sb_steal(&b);
}

static char *text_report(struct report *R)
{
	struct sbuf b = { 0 }, notes = { 0 };
	char *k = meta_str(R, "kernel", "?"), *c = meta_str(R, "cpus", "?");
	char *m = meta_str(R, "mode", "?"), *st = meta_str(R, "started", "?");
	char *cav = meta_str(R, "caveat", DEFAULT_CAVEAT);
	size_t i;
	int w = 14;	/* the name column: as wide as the longest name */

	for (i = 0; i < R->ns; i++)
		if ((int)strlen(R->s[i].name) > w)
			w = (int)strlen(R->s[i].name);
	sb_printf(&b, "vrbench results (kernel %s, %s vCPUs, mode %s, %s)\n",
		  k, c, m, st);
	sb_printf(&b, "NOTE: %s.\n\n", cav);
	sb_printf(&b, "%-*s %9s %9s %9s %9s %10s %10s  %s\n", w,
		  "configuration", "peak", "@offered", "2x/peak", "3x/peak",
		  "worker", "router", "");
	sb_printf(&b, "%-*s %9s %9s %9s %9s %10s %10s\n", w, "", "kpps",
		  "kpps", "", "", "ns/pkt", "ns/pkt");
	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];
		char *col[6];
		size_t j;

		if (s->status == ST_FAILED) {
			sb_pad(&b, s->name, w, true);
			sb_printf(&b, " FAILED: %s\n", s->reason);
			continue;
		}
		if (s->status == ST_PARTIAL)
			sb_printf(&notes, "  * %s: %s\n", s->name, s->reason);
		if (s->void_points)
			sb_printf(&notes, "  * %s: %ld void point(s) (a router stopped inside the window) left out\n",
				  s->name, s->void_points);
		col[0] = fmt_k(s->peak);
		col[1] = fmt_k(s->peak_off);
		col[2] = rel(s, 0);
		col[3] = rel(s, 1);
		col[4] = ns(s->wns);
		col[5] = ns(s->rns);
		sb_pad(&b, s->name, w, true);
		for (j = 0; j < 6; j++) {
			sb_addc(&b, ' ');
			sb_pad(&b, col[j], j < 4 ? 9 : 10, false);
			free(col[j]);
		}
		sb_addc(&b, '\n');
	}
	if (notes.len)
		sb_add(&b, notes.s);
	sb_add(&b, "\n2x/peak, 3x/peak: forwarded rate at 2x and 3x the configuration's saturation load, relative to its peak; n/a: no point offered that load (the generator fell short).\n");
	sb_add(&b, "ns/pkt: CPU time of the vhost worker threads / of the router processes per forwarded packet, at the peak point.\n");
	sb_add(&b, "\nRatios (same run):\n");
	w = 64;
	for (i = 0; i < R->ratios->n; i++)
		if ((int)strlen(jobj_get(R->ratios->v[i], "ratio")->str) > w)
			w = (int)strlen(jobj_get(R->ratios->v[i], "ratio")->str);
	for (i = 0; i < R->ratios->n; i++) {
		const struct jval *e = R->ratios->v[i];
		char *v = ratio_value(e, false);

		sb_add(&b, "  ");
		sb_pad(&b, jobj_get(e, "ratio")->str, w, true);
		sb_printf(&b, " %s\n", v);
		free(v);
	}
	if (R->nrep) {
		w = 14;
		for (i = 0; i < R->nrep; i++)
			if ((int)strlen(R->rep[i].name) > w)
				w = (int)strlen(R->rep[i].name);
		sb_printf(&b, "\nRepeated points (forwarded kpps at one target rate: median, lowest, highest; spread = (highest - lowest) / median):\n");
		sb_printf(&b, "  %-*s %9s %9s %3s %9s %9s %9s %7s\n", w,
			  "configuration", "target", "offered", "n", "median",
			  "lowest", "highest", "spread");
		for (i = 0; i < R->nrep; i++) {
			const struct repeat *p = &R->rep[i];
			char *col[6] = {
				fmt_k(p->target), fmt_k(p->off), fmt_k(p->med),
				fmt_k(p->lo), fmt_k(p->hi), spread(p),
			};
			size_t j;

			sb_printf(&b, "  %-*s %9s %9s %3zu %9s %9s %9s %7s\n",
				  w, p->name, col[0], col[1], p->n, col[2],
				  col[3], col[4], col[5]);
			for (j = 0; j < 6; j++)
				free(col[j]);
		}
	}
	if (R->stalls) {
		sb_printf(&b, "\nRouter stalls (point measured again with a longer router idle time, or void after %d tries): %zu\n",
			  3, R->stalls->n);
		for (i = 0; i < R->stalls->n; i++)
			sb_printf(&b, "  - %s\n", R->stalls->v[i]->str);
	}
	free(notes.s);
	free(k);
	free(c);
	free(m);
	free(st);
	free(cav);
	return sb_steal(&b);
}

/* reStructuredText simple table; cells[row * ncol + col], row 0 the header */
static void rst_table(struct sbuf *b, char **cells, size_t nrows, size_t ncol)
{
	size_t *w = xmalloc(ncol * sizeof(*w)), r, c, k;
	struct sbuf sep = { 0 }, line = { 0 };

	sb_reset(&sep);
	for (c = 0; c < ncol; c++) {
		w[c] = 0;
		for (r = 0; r < nrows; r++) {
			size_t n = utf8_width(cells[r * ncol + c]);

			if (n > w[c])
				w[c] = n;
		}
		if (c)
			sb_addc(&sep, ' ');
		for (k = 0; k < w[c]; k++)
			sb_addc(&sep, '=');
	}
	sb_printf(b, "%s\n", sep.s);
	for (r = 0; r < nrows; r++) {
		sb_reset(&line);
		for (c = 0; c < ncol; c++) {
			if (c)
				sb_addc(&line, ' ');
			sb_pad(&line, cells[r * ncol + c], w[c], true);
		}
		py_rstrip(line.s);
		sb_printf(b, "%s\n", line.s);
		if (!r)
			sb_printf(b, "%s\n", sep.s);
	}
	sb_printf(b, "%s\n", sep.s);
	free(sep.s);
	free(line.s);
	free(w);
}

static char *rst_report(struct report *R)
{
	static const char *const hdr[] = {
		"configuration", "peak kpps", "at offered kpps", "2x / peak",
		"3x / peak", "worker ns/pkt", "router ns/pkt",
	};
	const size_t nc = ARRAY_SIZE(hdr);
	struct sbuf b = { 0 };
	char **cells, *st = meta_str(R, "started", "?");
	char *k = meta_str(R, "kernel", "?"), *m = meta_str(R, "mode", "?");
	size_t i, j, n;

	sb_printf(&b, ".. measured %s, kernel %s, mode %s\n\n", st, k, m);
	free(st);
	free(k);
	free(m);
	cells = xmalloc((R->ns + 1) * nc * sizeof(*cells));
	for (j = 0; j < nc; j++)
		cells[j] = xstrdup(hdr[j]);
	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];
		char **row = &cells[(i + 1) * nc];

		row[0] = xstrdup(s->name);
		if (s->status == ST_FAILED) {
			row[1] = xasprintf("FAILED: %s", s->reason);
			for (j = 2; j < nc; j++)
				row[j] = xstrdup("");
			continue;
		}
		row[1] = fmt_k(s->peak);
		row[2] = fmt_k(s->peak_off);
		row[3] = rel(s, 0);
		row[4] = rel(s, 1);
		row[5] = ns(s->wns);
		row[6] = ns(s->rns);
	}
	rst_table(&b, cells, R->ns + 1, nc);
	for (j = 0; j < (R->ns + 1) * nc; j++)
		free(cells[j]);
	free(cells);
	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];

		if (s->status == ST_PARTIAL)
			sb_printf(&b, "\n* ``%s``: %s\n", s->name, s->reason);
		if (s->void_points)
			sb_printf(&b, "\n* ``%s``: %ld void point(s) left out (a router stopped inside the window)\n",
				  s->name, s->void_points);
	}
	sb_addc(&b, '\n');
	n = R->ratios->n + 1;
	cells = xmalloc(n * 3 * sizeof(*cells));
	cells[0] = xstrdup("ratio (same run)");
	cells[1] = xstrdup("value");
	cells[2] = xstrdup("target");
	for (i = 0; i < R->ratios->n; i++) {
		const struct jval *e = R->ratios->v[i];
		const struct jval *tgt = jobj_get(e, "target");

		cells[(i + 1) * 3] = xstrdup(jobj_get(e, "ratio")->str);
		cells[(i + 1) * 3 + 1] = ratio_value(e, true);
		cells[(i + 1) * 3 + 2] = xstrdup(tgt ? tgt->str : "");
	}
	rst_table(&b, cells, n, 3);
	for (j = 0; j < n * 3; j++)
		free(cells[j]);
	free(cells);
	if (R->nrep) {
		static const char *const rh[] = {
			"configuration", "target kpps", "offered kpps", "n",
			"median kpps", "lowest", "highest", "spread",
		};
		const size_t rc = ARRAY_SIZE(rh);

		sb_addc(&b, '\n');
		cells = xmalloc((R->nrep + 1) * rc * sizeof(*cells));
		for (j = 0; j < rc; j++)
			cells[j] = xstrdup(rh[j]);
		for (i = 0; i < R->nrep; i++) {
			const struct repeat *p = &R->rep[i];
			char **row = &cells[(i + 1) * rc];

			row[0] = xstrdup(p->name);
			row[1] = fmt_k(p->target);
			row[2] = fmt_k(p->off);
			row[3] = xasprintf("%zu", p->n);
			row[4] = fmt_k(p->med);
			row[5] = fmt_k(p->lo);
			row[6] = fmt_k(p->hi);
			row[7] = spread(p);
		}
		rst_table(&b, cells, R->nrep + 1, rc);
		for (j = 0; j < (R->nrep + 1) * rc; j++)
			free(cells[j]);
		free(cells);
	}
	return sb_steal(&b);
}

static struct jval *json_report(struct report *R)
{
	struct jval *js = jnew(J_OBJ), *confs = jnew(J_ARR), *v;
	static const char *const keys[] = { "kernel", "mode", "caveat" };
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		v = jobj_get(R->meta, keys[k]);
		jobj_set(js, keys[k], v ? v : jnew(J_NULL));
	}
	jobj_set(js, "ratios", R->ratios);
	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];
		struct jval *c = jnew(J_OBJ);

		jobj_set(c, "name", jstr(s->name));
		jobj_set(c, "status", jstr(STATUS[s->status]));
		jobj_set(c, "reason", jstr(s->reason));
		jobj_set(c, "void_points", jint(s->void_points));
		if (s->status != ST_FAILED) {
			struct optnum pk = { true, s->peak };
			struct optnum po = { true, s->peak_off };

			jobj_set(c, "peak_pps", jnum_or_null(pk));
			jobj_set(c, "peak_offered_pps", jnum_or_null(po));
			jobj_set(c, "worker_ns_per_pkt", jnum_or_null(s->wns));
			jobj_set(c, "router_ns_per_pkt", jnum_or_null(s->rns));
			for (k = 0; k < 2; k++) {
				struct jval *at = jnew(J_NULL);

				if (s->has_at[k]) {
					at = jnew(J_OBJ);
					jobj_set(at, "offered_pps",
						 jfloat(s->at_off[k]));
					jobj_set(at, "forwarded_pps",
						 jfloat(s->at_fwd[k]));
				}
				jobj_set(c, k ? "at3x" : "at2x", at);
			}
		}
		jarr_add(confs, c);
	}
	jobj_set(js, "configurations", confs);
	if (R->nrep) {
		struct jval *reps = jnew(J_ARR);

		for (i = 0; i < R->nrep; i++) {
			const struct repeat *p = &R->rep[i];
			struct jval *e = jnew(J_OBJ);

			jobj_set(e, "name", jstr(p->name));
			jobj_set(e, "target_pps", jfloat(p->target));
			jobj_set(e, "n", jint((long)p->n));
			jobj_set(e, "offered_median_pps", jfloat(p->off));
			jobj_set(e, "forwarded_median_pps", jfloat(p->med));
			jobj_set(e, "forwarded_lowest_pps", jfloat(p->lo));
			jobj_set(e, "forwarded_highest_pps", jfloat(p->hi));
			jarr_add(reps, e);
		}
		jobj_set(js, "repeats", reps);
	}
	return js;
}

/* -------------------------------------------------------------- outputs */

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fwrite(text, 1, len, f) != len || fclose(f))
		die("%s: write: %s", path, strerror(errno));
}

static void write_data(struct report *R)
{
	char *dd = path_join(R->dir, "data");
	struct stat stb;
	size_t i, j;

	if (mkdir(dd, 0777) && (errno != EEXIST || stat(dd, &stb) ||
				!S_ISDIR(stb.st_mode)))
		die("%s: %s", dd, errno == EEXIST ? "not a directory" :
		    strerror(errno));
	for (i = 0; i < R->ns; i++) {
		struct summ *s = &R->s[i];
		struct sbuf b = { 0 };
		char *name;

		if (s->status == ST_FAILED)
			continue;
		sb_add(&b, "# offered_pps forwarded_pps worker_ns_per_pkt router_ns_per_pkt\n");
		for (j = 0; j < s->npts; j++) {
			char *off = py_repr(s->pts[j].off);
			char *fwd = py_repr(s->pts[j].fwd);
			const char *w = csv_opt(&R->csv, s->pts[j].r,
						"worker_ns_per_pkt");
			const char *r = csv_opt(&R->csv, s->pts[j].r,
						"router_ns_per_pkt");

			sb_printf(&b, "%s %s %s %s\n", off, fwd,
				  w && *w ? w : "NaN", r && *r ? r : "NaN");
			free(off);
			free(fwd);
		}
		name = xasprintf("%s.dat", s->name);
		s->dat = path_join(dd, name);
		free(name);
		write_file(s->dat, b.s, b.len);
		free(b.s);
	}
	free(dd);
}

/* ------------------------------------------------------------- gnuplot */

/* shutil.which("gnuplot") != None */
static bool have_gnuplot(void)
{
	const char *path = getenv("PATH"), *p, *q;
	struct stat st;
	bool found = false;

	if (!path)
		path = "/bin:/usr/bin";
	for (p = path; !found; p = q + 1) {
		char *f;

		q = strchr(p, ':');
		if (!q)
			q = p + strlen(p);
		f = q == p ? xstrdup("gnuplot") :
			xasprintf("%.*s/gnuplot", (int)(q - p), p);
		found = !access(f, X_OK) && !stat(f, &st) && !S_ISDIR(st.st_mode);
		free(f);
		if (!*q)
			break;
	}
	return found;
}

/* universal newlines, as text=True reads a child's output */
static void crlf(struct sbuf *b)
{
	size_t i, j;

	for (i = j = 0; i < b->len; i++) {
		if (b->s[i] == '\r') {
			b->s[j++] = '\n';
			if (i + 1 < b->len && b->s[i + 1] == '\n')
				i++;
		} else {
			b->s[j++] = b->s[i];
		}
	}
	b->len = j;
	b->s[j] = 0;
}

/* Run argv, collecting stdout and stderr; true when it exited with 0. */
static bool run(char *const argv[], struct sbuf *out, struct sbuf *err)
{
	int po[2], pe[2], status;
	struct pollfd fds[2];
	struct sbuf *dst[2] = { out, err };
	char chunk[16384];
	ssize_t n;
	pid_t pid;
	int open_fds = 2, i;

	sb_reset(out);
	sb_reset(err);
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "vrreport: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fds[0].fd = po[0];
	fds[1].fd = pe[0];
	fds[0].events = fds[1].events = POLLIN;
	while (open_fds) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			sb_addn(dst[i], chunk, (size_t)n);
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	crlf(out);
	crlf(err);
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

/*
 * Draw files (curve names) with bench/plot.gp: "" when done, the error
 * otherwise; with term "dumb" the text plot.
 */
static char *gnuplot(struct report *R, const char *term, const char *out,
		     const char *title, const char *const *files,
		     const char *const *names, size_t n, const char *extra)
{
	struct sbuf e = { 0 }, o = { 0 }, err = { 0 };
	char *argv[5], *gp;
	const char *p;
	size_t i;
	bool ok;

	if (!have_gnuplot())
		return xstrdup("gnuplot not installed");
	/* ttl in double quotes: gnuplot turns its \\n into a line break */
	sb_printf(&e, "term='%s'; out='%s'; ttl=\"", term, out);
	for (p = title; *p; p++)
		if (*p != '"')
			sb_addc(&e, *p);
	sb_add(&e, "\"; files='");
	for (i = 0; i < n; i++)
		sb_printf(&e, "%s%s", i ? " " : "", files[i]);
	sb_add(&e, "'; names='");
	for (i = 0; i < n; i++)
		sb_printf(&e, "%s%s", i ? " " : "", names[i]);
	sb_printf(&e, "'; %s", extra);
	gp = path_join(R->here, "plot.gp");
	argv[0] = "gnuplot";
	argv[1] = "-e";
	argv[2] = e.s;
	argv[3] = gp;
	argv[4] = NULL;
	ok = run(argv, &o, &err);
	free(e.s);
	free(gp);
	if (!ok) {
		free(o.s);
		p = py_strip(err.s);
		memmove(err.s, p, strlen(p) + 1);
		return err.s;
	}
	free(err.s);
	if (!strcmp(term, "dumb"))
		return o.s;
	free(o.s);
	return xstrdup("");
}

static const char *png_term(void)
{
	struct sbuf o = { 0 }, e = { 0 };
	char *const argv[] = { "gnuplot", "-e", "set terminal", NULL };
	bool cairo;

	run(argv, &o, &e);
	cairo = strstr(o.s, "pngcairo") || strstr(e.s, "pngcairo");
	free(o.s);
	free(e.s);
	return cairo ? "pngcairo" : "png";
}

static const char *title_of(const char *group)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(TITLES); i++)
		if (!strcmp(TITLES[i].group, group))
			return TITLES[i].title;
	return group;
}

static void add_name(struct group *g, const char *name)
{
	if (!(g->n & (g->n + 1)))
		g->names = xrealloc(g->names, 2 * (g->n + 1) * sizeof(*g->names));
	g->names[g->n++] = name;
}

/* the measured (non-FAILED) configurations among names, their files */
static size_t measured(struct report *R, const struct group *g,
		       const char **names, const char **files)
{
	size_t i, n = 0;

	for (i = 0; i < g->n; i++) {
		struct summ *s = find(R, g->names[i]);

		if (s && s->dat) {
			names[n] = g->names[i];
			files[n++] = s->dat;
		}
	}
	return n;
}

/* Plot groups in meta.json's order: made and errors, one line each. */
static void plots(struct report *R, struct lines *made, struct lines *errs)
{
	const char **names, **files, *term;
	struct group *g;
	size_t ng = 0, i, j, k, n;
	struct group *mono = NULL;
	char *kernel, *title, *out, *err, *png;

	for (i = 0, n = 0; i < R->ncfg; i++)
		n += R->cfg[i].plot ? R->cfg[i].plot->n : 0;
	g = xmalloc((n + 1) * sizeof(*g));
	for (i = 0; i < R->ncfg; i++) {
		const struct jval *plot = R->cfg[i].plot;

		for (k = 0; plot && k < plot->n; k++) {
			for (j = 0; j < ng && strcmp(g[j].name, plot->v[k]->str); j++)
				;
			if (j == ng) {
				memset(&g[ng], 0, sizeof(g[ng]));
				g[ng++].name = plot->v[k]->str;
			}
			add_name(&g[j], R->cfg[i].name);
		}
	}
	if (!have_gnuplot()) {
		lines_add(errs, xstrdup("gnuplot not installed: no plots"));
		goto out;
	}
	term = png_term();
	kernel = meta_str(R, "kernel", "?");
	names = xmalloc((R->ncfg + 1) * sizeof(*names));
	files = xmalloc((R->ncfg + 1) * sizeof(*files));
	for (j = 0; j < ng; j++) {
		if (!strcmp(g[j].name, "mono"))
			mono = &g[j];
		n = measured(R, &g[j], names, files);
		if (!n)
			continue;
		png = xasprintf("%s.png", g[j].name);
		out = path_join(R->dir, png);
		title = xasprintf("%s\\n%s (%s)", title_of(g[j].name), SUBTITLE,
				  kernel);
		err = gnuplot(R, term, out, title, files, names, n, "");
		if (*err)
			lines_add(errs, xasprintf("%s: %s", g[j].name, err));
		else
			lines_add(made, xstrdup(out));
		free(err);
		free(title);
		free(out);
		free(png);
	}
	/* CPU per packet of the vhost workers, monolithic configurations. */
	n = mono ? measured(R, mono, names, files) : 0;
	if (n) {
		out = path_join(R->dir, "cpu.png");
		err = gnuplot(R, term, out,
			      "vhost worker CPU per forwarded packet\\n" SUBTITLE,
			      files, names, n,
			      "ycol=3; yscale=1.0; ylab='worker CPU (ns/packet)'");
		if (*err)
			lines_add(errs, xasprintf("cpu: %s", err));
		else
			lines_add(made, xstrdup(out));
		free(err);
		free(out);
	}
	free(names);
	free(files);
	free(kernel);
out:
	for (j = 0; j < ng; j++)
		free(g[j].names);
	free(g);
}

/* ----------------------------------------------------------------- main */

static char *program_dir(const char *argv0)
{
	size_t cap = 256;
	ssize_t n;
	char *buf, *slash;

	for (;;) {
		buf = xmalloc(cap);
		n = readlink("/proc/self/exe", buf, cap);
		if (n < 0) {
			free(buf);
			buf = xstrdup(strchr(argv0, '/') ? argv0 : "./vrreport");
			break;
		}
		if ((size_t)n < cap) {
			buf[n] = 0;
			break;
		}
		free(buf);
		cap *= 2;
	}
	slash = strrchr(buf, '/');
	if (slash == buf)
		slash[1] = 0;
	else
		*slash = 0;
	return buf;
}

static void load(struct report *R, const char *dir, const char *argv0)
{
	R->dir = dir;
	R->csv_path = path_join(dir, "results.csv");
	R->meta_path = path_join(dir, "meta.json");
	R->here = program_dir(argv0);
	csv_load(&R->csv, R->csv_path);
	load_meta(R);
	summarize(R);
	repeats(R);
}

static int failed_any(struct report *R)
{
	size_t i;

	for (i = 0; i < R->ns; i++)
		if (R->s[i].status != ST_OK)
			return 1;
	return 0;
}

static int finish(int rc)
{
	if (fflush(stdout) || ferror(stdout))
		die("stdout: %s", strerror(errno));
	return rc;
}

static int demo(struct report *R)
{
	const struct csv *t = &R->csv;
	struct lines made = { 0 }, errs = { 0 };
	const char **names, **files;
	size_t i, n = 0;
	char *txt;
	int rc;

	printf("%-10s %12s %14s %9s %12s %10s\n", "config", "offered pps",
	       "forwarded pps", "ratio", "worker ns/pkt", "delivered");
	for (i = 0; i < t->nrows; i++) {
		const struct csv_row *r = &t->rows[i];
		const char *cfg = csv_get(t, r, "config");
		struct sbuf b = { 0 };
		struct optnum off, fwd, v[3];
		static const char *const cols[] = {
			"offered_pps", "forwarded_pps", "fwd_ratio"
		};
		const char *w;
		char *f[3];
		size_t k;

		if (strcmp(csv_get(t, r, "status"), "ok")) {
			sb_pad(&b, cfg, 10, true);
			printf("%s %s: %s\n", b.s, csv_get(t, r, "status"),
			       csv_get(t, r, "note"));
			free(b.s);
			continue;
		}
		for (k = 0; k < 3; k++) {
			v[k] = num(csv_get(t, r, cols[k]));
			if (!v[k].set)
				die("%s:%lu: %s: status ok but %s '%s' is not a number",
				    R->csv_path, r->line, cfg, cols[k],
				    csv_get(t, r, cols[k]));
		}
		off = num(csv_opt(t, r, "total_offered"));
		fwd = num(csv_opt(t, r, "total_forwarded"));
		w = csv_get(t, r, "worker_ns_per_pkt");
		f[0] = py_fixed_w(v[0].v, 12, 0);
		f[1] = py_fixed_w(v[1].v, 14, 0);
		f[2] = py_fixed_w(100 * v[2].v, 8, 0);
		sb_pad(&b, cfg, 10, true);
		sb_printf(&b, " %s %s %s%% ", f[0], f[1], f[2]);
		sb_pad(&b, *w ? w : "-", 12, false);
		sb_addc(&b, ' ');
		if (off.set && py_true(off.v) && fwd.set) {
			char *d = py_fixed(100 * fwd.v / off.v, 0);
			char *d2 = xasprintf("%s%%", d);

			sb_pad(&b, d2, 9, false);
			free(d);
			free(d2);
		} else {
			sb_pad(&b, "-", 9, false);
		}
		printf("%s\n", b.s);
		free(b.s);
		for (k = 0; k < 3; k++)
			free(f[k]);
	}
	printf("ratio: over the measurement window (frames in flight at its ends make it\n"
	       "wobble); delivered: every frame pktgen sent during the point vs what reached\n"
	       "the sink.\n");
	write_data(R);
	names = xmalloc((R->ns + 1) * sizeof(*names));
	files = xmalloc((R->ns + 1) * sizeof(*files));
	for (i = 0; i < R->ns; i++) {
		if (R->s[i].dat) {
			names[n] = R->s[i].name;
			files[n++] = R->s[i].dat;
		}
	}
	if (!n)
		return finish(1);
	plots(R, &made, &errs);
	txt = gnuplot(R, "dumb", "", title_of("demo"), files, names, n, "");
	printf("%s\n", txt);
	free(txt);
	rc = failed_any(R) || errs.n || !made.n;
	lines_print("plot: ", &made);
	lines_print("plot error: ", &errs);
	free(names);
	free(files);
	return finish(rc);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vrreport [-h] [--ascii GROUP] [--demo] dir\n");
}

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	usage(stderr);
	fprintf(stderr, "vrreport: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* --name or a unique abbreviation of it, as argparse takes it */
static bool opt_is(const char *arg, size_t len, const char *name)
{
	static const char *const all[] = { "--ascii", "--demo", "--help" };
	size_t i, hits = 0;

	if (len < 3 || strncmp(arg, name, len))
		return false;
	for (i = 0; i < ARRAY_SIZE(all); i++)
		hits += !strncmp(arg, all[i], len);
	if (hits > 1)
		usage_error("ambiguous option: %s", arg);
	return true;
}

int main(int argc, char **argv)
{
	struct report R = { 0 };
	struct lines made = { 0 }, errs = { 0 };
	const char *dir = NULL, *ascii = NULL;
	bool opt_demo = false, dashdash = false;
	char *txt, *rst;
	struct sbuf js = { 0 };
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);

		if (dashdash || a[0] != '-' || !a[1]) {
			if (dir)
				usage_error("unrecognized arguments: %s", a);
			dir = a;
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || opt_is(a, len, "--help")) {
			usage(stdout);
			printf("\nvrbench report: ratio table (text + JSON) and gnuplot plots.\n\n"
			       "positional arguments:\n  dir\n\noptions:\n"
			       "  -h, --help     show this help message and exit\n"
			       "  --ascii GROUP  also draw this plot group as text on stdout\n"
			       "  --demo         make demo: the points, a text plot and demo.png\n");
			return 0;
		} else if (opt_is(a, len, "--ascii")) {
			if (eq)
				ascii = eq + 1;
			else if (i + 1 < argc && argv[i + 1][0] != '-')
				ascii = argv[++i];
			else
				usage_error("argument --ascii: expected one argument");
		} else if (opt_is(a, len, "--demo") && !eq) {
			opt_demo = true;
		} else {
			usage_error("unrecognized arguments: %s", a);
		}
	}
	if (!dir)
		usage_error("the following arguments are required: dir");

	R.ratios = jnew(J_ARR);
	load(&R, dir, argv[0]);
	if (opt_demo)
		return demo(&R);

	ratio_table(&R);
	adaptive_ratios(&R);
	txt = text_report(&R);
	rst = rst_report(&R);
	json_dump(&js, json_report(&R), 0);
	write_file(path_join(dir, "ratios.txt"), txt, strlen(txt));
	write_file(path_join(dir, "ratios.rst"), rst, strlen(rst));
	write_file(path_join(dir, "ratios.json"), js.s, js.len);
	write_data(&R);
	plots(&R, &made, &errs);
	fputs(txt, stdout);
	rc = failed_any(&R) || errs.n;
	lines_print("plot: ", &made);
	lines_print("plot error: ", &errs);
	if (ascii) {
		const char **names = xmalloc((R.ncfg + 1) * sizeof(*names));
		const char **files = xmalloc((R.ncfg + 1) * sizeof(*files));
		size_t n = 0, k;

		for (k = 0; k < R.ncfg; k++) {
			struct summ *s = find(&R, R.cfg[k].name);

			if (in_plot(&R.cfg[k], ascii) && s && s->dat) {
				names[n] = R.cfg[k].name;
				files[n++] = s->dat;
			}
		}
		if (n) {
			char *t = gnuplot(&R, "dumb", "", title_of(ascii), files,
					  names, n, "");

			printf("%s\n", t);
			free(t);
		}
		free(names);
		free(files);
	}
	free(txt);
	free(rst);
	free(js.s);
	return finish(rc);
}
