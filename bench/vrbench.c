// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench, guest side: forwarded vs offered packet rate, stock vs pvr.
 *
 * Runs as root inside the test VM (scripts/vm.sh) with the pvr modules
 * loaded. Creates a private network namespace and, per configuration of
 * bench/configs.txt, this topology (all veths and links in the namespace):
 *
 *    pktgen --> gen0 ==veth== gen1 --> in0 (macvtap | macvtap_mq)
 *                                       | queue 0 ... queue N-1: /dev/tap<in0>,
 *                                       v  opened once per router
 *                              router 0 ... router N-1   (vnetdrv forward:
 *                                       |   DMAC rewrite, TTL--, csum update)
 *                                       v  /dev/tap<eg0>, one queue per router
 *                    sink0 ==veth== out0 <-- eg0 (stock macvtap)
 *                      ^ counts forwarded frames
 *
 * Each router is `vnetdrv forward` (selftests/vhost_split): a userspace
 * virtio-net driver driving two vhost devices (vhost-net or vhost-split),
 * standing in for a router VM. It is NOT a VM: no vCPU, no guest kernel.
 *
 * Per offered rate: start the routers, start pktgen (64-byte frames, 60
 * bytes plus FCS, one UDP flow, rate-controlled), let it settle, then count
 * over a measurement window (vrbench_measure.c).
 *
 * Output: progress lines on stdout, results.csv and meta.json in --out
 * (read by bench/vrreport). Exit status: 0 when every configuration
 * measured every point, 1 when one FAILED or had a void point (or the run
 * could not start), 2 on a usage error.
 *
 * Files: vrbench_config.c (configurations, modes), vrbench_setup.c (links,
 * tap nodes, rules), vrbench_nl.c (vr_sched netlink), vrbench_pktgen.c,
 * vrbench_routers.c, vrbench_measure.c, vrbench_out.c (CSV, JSON),
 * vrbench_util.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vrbench.h"

extern char **environ;

/*
 * A router ends this many seconds after its last packet (that is how the
 * routers end after pktgen stops). A router whose vCPU time or vhost worker
 * is starved that long in overload (normal under TCG) ends inside the
 * window: the point is measured again with a longer idle time (ROUTER_IDLE
 * times 2, then 4); after that the point is void.
 */
#define ROUTER_IDLE	1.5
#define STALL_RETRIES	2

struct options {
	const char *mode;
	const char *configs;
	const char *only;
	const char *out;
	const char *vnetdrv;
	bool inner;
};

struct bench {
	const struct options *opt;
	const struct bench_mode *mode;
	FILE *csv;
	struct row **rows;	/* every emitted row */
	size_t n_rows;
	char **stalls;		/* every router stall, for meta.json */
	size_t n_stalls;
	bool write_failed;
};

static bool stopping(const struct bench *b)
{
	return bench_stop || b->write_failed;
}

/* -------------------------------------------------------------- points */

static void emit(struct bench *b, struct row *row)
{
	const char *name = row->c[F_CONFIG].s, *note = row->c[F_NOTE].s;
	char worker[32];

	b->rows = xrealloc(b->rows, (b->n_rows + 1) * sizeof(*b->rows));
	b->rows[b->n_rows++] = row;
	if (!b->write_failed && csv_write_row(b->csv, row)) {
		warn_line("vrbench: %s", bench_error());
		b->write_failed = true;
	}
	if (!note)
		note = "";
	if (row_is(row, F_STATUS, "void")) {
		log_line("vrbench: %-13s point at %lld pps void: %s", name,
			 row->c[F_TARGET_PPS].i, note);
		return;
	}
	if (!row_is(row, F_STATUS, "ok")) {
		log_line("vrbench: %-13s FAILED: %s", name, note);
		return;
	}
	if (row->c[F_WORKER_NS_PER_PKT].kind == CELL_INT)
		snprintf(worker, sizeof(worker), "%lld",
			 row->c[F_WORKER_NS_PER_PKT].i);
	else
		snprintf(worker, sizeof(worker), "-");
	log_line("vrbench: [%3zu] %-13s %-5.5s target %8.0f  offered %8.0f pps  forwarded %8.0f pps (%5.1f%%)  drops early/full/router %.0f/%.0f/%.0f  worker %s ns/pkt%s%s%s",
		 b->n_rows, name, row->c[F_PHASE].s,
		 row_num(row, F_TARGET_PPS), row_num(row, F_OFFERED_PPS),
		 row_num(row, F_FORWARDED_PPS),
		 100 * row_num(row, F_FWD_RATIO),
		 row_num(row, F_DROP_IN_EARLY_PPS),
		 row_num(row, F_DROP_IN_FULL_PPS),
		 row_num(row, F_DROP_ROUTER_PPS), worker,
		 *note ? "  [" : "", note, *note ? "]" : "");
}

static void emit_failed(struct bench *b, const struct bench_config *cfg,
			const char *why)
{
	struct row *row = row_new();

	row_str(row, F_CONFIG, cfg->name);
	row_str(row, F_PHASE, "-");
	row_int(row, F_ROUTERS, cfg->routers);
	row_str(row, F_STATUS, "FAILED");
	row_str(row, F_NOTE, why);
	emit(b, row);
}

/*
 * One point, measured again (longer router idle time) when a router
 * stalled; *out is NULL for a void point.
 */
static int point(struct bench *b, const struct bench_config *cfg,
		 struct setup *s, struct pktgen *pg, double rate,
		 const char *phase, struct row **out)
{
	long pps = (long)rate;
	double idle = ROUTER_IDLE;
	struct row *row = NULL;
	char *why = NULL;
	int attempt, ret = BENCH_OK;

	*out = NULL;
	for (attempt = 0; attempt <= STALL_RETRIES; attempt++) {
		ret = measure(cfg, s, pg, b->opt->vnetdrv, pps, b->mode, phase,
			      idle, &row);
		if (ret != BENCH_STALL)
			break;
		free(why);
		why = xstrdup(bench_error());
		b->stalls = xrealloc(b->stalls,
				     (b->n_stalls + 1) * sizeof(*b->stalls));
		b->stalls[b->n_stalls++] = xasprintf("%s %ld pps idle %.1f s: %s",
						     cfg->name, pps, idle, why);
		idle *= 2;
		if (attempt < STALL_RETRIES)
			log_line("vrbench: %s at %ld pps: %s; measuring the point again (router idle time %.1f s)",
				 cfg->name, pps, why, idle);
	}
	if (ret == BENCH_STALL) {
		row = row_new();
		row_str(row, F_CONFIG, cfg->name);
		row_str(row, F_PHASE, phase);
		row_int(row, F_ROUTERS, cfg->routers);
		row_int(row, F_TARGET_PPS, pps);
		row_str(row, F_STATUS, "void");
		row_str(row, F_NOTE, why);
		emit(b, row);
		ret = BENCH_OK;
		row = NULL;
	} else if (ret == BENCH_OK) {
		if (attempt)
			row_note(row, "measured at attempt %d (router idle time %.1f s)",
				 attempt + 1, idle);
		emit(b, row);
	}
	free(why);
	*out = row;
	return ret;
}

/* Coarse doubling pass on the first configuration: saturation. */
static int calibrate(struct bench *b, const struct bench_config *cfg,
		     struct pktgen *pg, double *sat)
{
	double best = 0, fwd;
	struct row *row;
	struct setup s;
	long rate;
	int ret = BENCH_OK;

	if (setup_open(&s, cfg))
		return BENCH_ERR;
	for (rate = 1000; rate <= 256000 && !stopping(b); rate *= 2) {
		ret = point(b, cfg, &s, pg, rate, "calibrate", &row);
		if (ret)
			break;
		if (!row)
			continue;
		fwd = row_num(row, F_FORWARDED_PPS);
		if (fwd > best)
			best = fwd;
		if (fwd < 0.8 * row_num(row, F_OFFERED_PPS) ||
		    row_num(row, F_GEN_LIMITED))
			break;
	}
	setup_close(&s);
	if (ret)
		return ret;
	if (bench_stop)
		return fail("interrupted");
	if (best <= 0)
		return fail("%s forwarded nothing during calibration",
			    cfg->name);
	*sat = best;
	return BENCH_OK;
}

struct done {
	struct row **rows;
	size_t n;
};

static int sweep_point(struct bench *b, const struct bench_config *cfg,
		       struct setup *s, struct pktgen *pg, double rate,
		       const char *phase, struct done *done)
{
	struct row *row;

	if (stopping(b))
		return fail("interrupted");
	if (point(b, cfg, s, pg, rate, phase, &row))
		return BENCH_ERR;
	if (row) {
		done->rows = xrealloc(done->rows,
				      (done->n + 1) * sizeof(*done->rows));
		done->rows[done->n++] = row;
	}
	return BENCH_OK;
}

static int sweep_points(struct bench *b, const struct bench_config *cfg,
			struct setup *s, struct pktgen *pg, double sat,
			struct done *done)
{
	const struct bench_mode *m = b->mode;
	double peak = 0, tgt, off;
	struct row *last;
	char phase[16];
	size_t i, j;
	bool near;
	int ext, mult;

	for (i = 0; i < m->n_fixed; i++)
		if (sweep_point(b, cfg, s, pg, m->fixed[i], "sweep", done))
			return BENCH_ERR;
	for (i = 0; i < m->n_grid; i++)
		if (sweep_point(b, cfg, s, pg, m->grid[i] * sat, "sweep", done))
			return BENCH_ERR;
	/* Still forwarding (nearly) everything: push further. */
	for (ext = 0; ext < m->extend && done->n; ext++) {
		last = done->rows[done->n - 1];
		if (row_num(last, F_FWD_RATIO) < 0.9 ||
		    row_num(last, F_GEN_LIMITED))
			break;
		if (sweep_point(b, cfg, s, pg,
				row_num(last, F_TARGET_PPS) * 1.5, "sweep",
				done))
			return BENCH_ERR;
	}
	if (!done->n)
		return fail("every point was void (routers stopped)");
	if (!m->overload)
		return BENCH_OK;
	for (i = 0; i < done->n; i++)
		if (row_num(done->rows[i], F_FORWARDED_PPS) > peak)
			peak = row_num(done->rows[i], F_FORWARDED_PPS);
	for (mult = 2; mult <= 3; mult++) {
		tgt = mult * peak;
		near = false;
		for (j = 0; j < done->n; j++) {
			off = row_num(done->rows[j], F_OFFERED_PPS);
			if ((off > tgt ? off - tgt : tgt - off) < 0.1 * tgt)
				near = true;
		}
		if (near)
			continue;
		snprintf(phase, sizeof(phase), "overload%d", mult);
		if (sweep_point(b, cfg, s, pg, tgt, phase, done))
			return BENCH_ERR;
	}
	return BENCH_OK;
}

/*
 * The fixed rates, then the grid (multiples of the saturation rate), then
 * 1.5x steps while it still forwards >= 90 %, then 2x and 3x its own peak.
 */
static int sweep(struct bench *b, const struct bench_config *cfg,
		 struct pktgen *pg, double sat)
{
	struct done done = { NULL, 0 };
	struct setup s;
	int ret;

	if (setup_open(&s, cfg))
		return BENCH_ERR;
	ret = sweep_points(b, cfg, &s, pg, sat, &done);
	setup_close(&s);
	free(done.rows);
	return ret;
}

/* ------------------------------------------------------------ the run */

static int topology(void)
{
	static const char *const devs[] = { GEN_TX, GEN_RX, OUT_TX, SINK };
	size_t i;

	if (RUN("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1") ||
	    RUN("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1") ||
	    RUN("ip", "link", "set", "lo", "up") ||
	    RUN("ip", "link", "add", GEN_TX, "type", "veth", "peer", "name",
		GEN_RX) ||
	    RUN("ip", "link", "add", OUT_TX, "type", "veth", "peer", "name",
		SINK) ||
	    RUN("ip", "link", "set", SINK, "address", SINK_MAC))
		return BENCH_ERR;
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		if (RUN("ip", "link", "set", devs[i], "up"))
			return BENCH_ERR;
	return BENCH_OK;
}

static void utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct meta {
	const char *kernel, *mode;
	long cpus;
	const struct bench_config *cfgs;
	size_t n_cfgs;
	char started[32], finished[32];
	bool have_sat;
	double sat;
};

/* meta.json, in the layout of Python's json.dump(meta, f, indent=1). */
static int write_meta(const char *dir, const struct meta *m,
		      const struct bench *b)
{
	struct json_writer w = { 0 };
	char *path = xasprintf("%s/meta.json", dir);
	size_t i, j;
	int ret = BENCH_OK;

	w.f = fopen(path, "we");
	if (!w.f) {
		ret = fail("open %s: %s", path, strerror(errno));
		free(path);
		return ret;
	}
	json_open(&w, NULL, '{');
	json_string(&w, "kernel", m->kernel);
	json_string(&w, "mode", m->mode);
	json_int(&w, "cpus", m->cpus);
	json_int(&w, "frame_bytes", FRAME + 4);
	json_string(&w, "caveat", CAVEAT);
	json_open(&w, "configs", '[');
	for (i = 0; i < m->n_cfgs; i++) {
		const struct bench_config *c = &m->cfgs[i];

		json_open(&w, NULL, '{');
		json_string(&w, "name", c->name);
		json_open(&w, "mq", '[');
		for (j = 0; j < c->n_mq; j++) {
			json_open(&w, NULL, '[');
			json_string(&w, NULL, c->mq[j].attr);
			json_string(&w, NULL, c->mq[j].val);
			json_close(&w, ']');
		}
		json_close(&w, ']');
		json_open(&w, "rule", '[');
		for (j = 0; j < c->n_rule; j++) {
			json_open(&w, NULL, '[');
			json_string(&w, NULL, c->rule[j].dir);
			json_string(&w, NULL, c->rule[j].cpus);
			json_close(&w, ']');
		}
		json_close(&w, ']');
		json_open(&w, "plot", '[');
		for (j = 0; j < c->n_plot; j++)
			json_string(&w, NULL, c->plot[j]);
		json_close(&w, ']');
		json_int(&w, "routers", c->routers);
		json_int(&w, "ring", c->ring);
		if (c->has_txqueuelen)
			json_int(&w, "txqueuelen", c->txqueuelen);
		else
			json_null(&w, "txqueuelen");
		json_string(&w, "dev", c->dev);
		json_string(&w, "link", c->link);
		if (c->router_cpus)
			json_string(&w, "router_cpus", c->router_cpus);
		else
			json_null(&w, "router_cpus");
		json_close(&w, '}');
	}
	json_close(&w, ']');
	json_string(&w, "started", m->started);
	/* the saturation is one of the forwarded_pps values: 1 decimal */
	if (m->have_sat)
		json_float(&w, "saturation_pps", m->sat, 1);
	else
		json_null(&w, "saturation_pps");
	/* Every router stall (measured again or void), for the report. */
	json_open(&w, "stalls", '[');
	for (i = 0; i < b->n_stalls; i++)
		json_string(&w, NULL, b->stalls[i]);
	json_close(&w, ']');
	json_string(&w, "finished", m->finished);
	json_close(&w, '}');
	if (ferror(w.f))
		ret = fail("write %s: %s", path, strerror(errno ? errno : EIO));
	if (fclose(w.f) && !ret)
		ret = fail("close %s: %s", path, strerror(errno));
	free(path);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Configurations with a point that is not ok (FAILED or void). */
static bool report_failed(const struct bench *b)
{
	char **names = xcalloc(b->n_rows, sizeof(*names)), *list, *t;
	size_t n = 0, i;

	for (i = 0; i < b->n_rows; i++)
		if (!row_is(b->rows[i], F_STATUS, "ok"))
			names[n++] = b->rows[i]->c[F_CONFIG].s;
	if (!n) {
		free(names);
		return false;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	list = xstrdup(names[0]);
	for (i = 1; i < n; i++) {
		if (!strcmp(names[i], names[i - 1]))
			continue;
		t = xasprintf("%s, %s", list, names[i]);
		free(list);
		list = t;
	}
	log_line("vrbench: FAILED configurations: %s", list);
	free(list);
	free(names);
	return true;
}

/*
 * Move the configurations --only names to the front (in file order) and
 * return how many; exit if one is unknown.
 */
static size_t select_configs(struct bench_config *cfgs, size_t n,
			     const char *only)
{
	char *want = xstrdup(only), *comma, *p, *unknown = NULL, *t;
	struct bench_config tmp;
	size_t nn = 0, i, j, kept = 0;
	char **names = NULL;
	bool found;

	/* like Python's split(","): every piece, empty ones too */
	for (p = want; ; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		names = xrealloc(names, (nn + 1) * sizeof(*names));
		names[nn++] = p;
		if (!comma)
			break;
	}
	qsort(names, nn, sizeof(*names), name_cmp);
	for (i = 0; i < nn; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		for (found = false, j = 0; j < n && !found; j++)
			found = !strcmp(cfgs[j].name, names[i]);
		if (found)
			continue;
		t = unknown ? xasprintf("%s,%s", unknown, names[i]) :
			      xstrdup(names[i]);
		free(unknown);
		unknown = t;
	}
	if (unknown) {
		fprintf(stderr, "vrbench: unknown configuration(s): %s\n",
			unknown);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		for (found = false, j = 0; j < nn && !found; j++)
			found = !strcmp(cfgs[i].name, names[j]);
		if (!found)
			continue;
		tmp = cfgs[kept];
		cfgs[kept++] = cfgs[i];
		cfgs[i] = tmp;
	}
	free(names);
	free(want);
	return kept;
}

static void run_configs(struct bench *b, struct bench_config *cfgs,
			size_t n, struct pktgen *pg, struct meta *meta)
{
	const struct bench_mode *m = b->mode;
	int rounds = m->rounds > 1 ? m->rounds : 1, round;
	bool *failed = xcalloc(n + 1, sizeof(*failed));
	double sat = 0;
	char *why;
	size_t i;

	if (m->n_grid) {
		if (calibrate(b, &cfgs[0], pg, &sat)) {
			if (bench_stop)
				return;
			log_line("vrbench: calibration on %s failed: %s",
				 cfgs[0].name, bench_error());
			sat = 0;
		} else {
			meta->have_sat = true;
			meta->sat = sat;
			log_line("vrbench: saturation of %s: %.0f pps; sweep from %.0f pps",
				 cfgs[0].name, sat, m->grid[0] * sat);
		}
	}
	for (round = 1; round <= rounds && !stopping(b); round++) {
		if (rounds > 1)
			log_line("vrbench: round %d of %d", round, rounds);
		for (i = 0; i < n && !stopping(b); i++) {
			if (failed[i])
				continue;
			if (m->n_grid && !meta->have_sat) {
				emit_failed(b, &cfgs[i],
					    "no saturation rate (calibration failed)");
				failed[i] = true;
				continue;
			}
			if (!sweep(b, &cfgs[i], pg, sat))
				continue;
			if (bench_stop)
				break;
			why = xstrdup(bench_error());
			emit_failed(b, &cfgs[i], why);
			free(why);
			failed[i] = true;
		}
	}
	free(failed);
}

static int inner(const struct options *o)
{
	struct bench b = { .opt = o, .mode = find_mode(o->mode) };
	struct bench_config *cfgs;
	struct meta meta = { 0 };
	struct pktgen pg;
	struct utsname uts;
	size_t total, n, i;
	char *path;
	int rc = 0;

	cfgs = parse_configs(o->configs, &total);
	n = total;
	if (o->only)
		n = select_configs(cfgs, n, o->only);
	if (!n) {
		fprintf(stderr, "vrbench: no configurations in %s\n",
			o->configs);
		return 1;
	}
	catch_stop_signals();
	if (topology()) {
		fprintf(stderr, "vrbench: %s\n", bench_error());
		return 1;
	}
	if (uname(&uts)) {
		fprintf(stderr, "vrbench: uname: %s\n", strerror(errno));
		return 1;
	}
	meta.kernel = uts.release;
	meta.mode = o->mode;
	meta.cpus = sysconf(_SC_NPROCESSORS_ONLN);
	meta.cfgs = cfgs;
	meta.n_cfgs = n;
	utc_now(meta.started, sizeof(meta.started));
	log_line("vrbench: %s", CAVEAT);
	log_line("vrbench: kernel %s, %ld vCPUs, mode %s, %zu configurations",
		 meta.kernel, meta.cpus, o->mode, n);

	path = xasprintf("%s/results.csv", o->out);
	b.csv = fopen(path, "we");
	if (!b.csv) {
		fprintf(stderr, "vrbench: open %s: %s\n", path,
			strerror(errno));
		free(path);
		return 1;
	}
	free(path);
	if (csv_write_header(b.csv) || pg_init(&pg)) {
		fprintf(stderr, "vrbench: %s\n", bench_error());
		fclose(b.csv);
		return 1;
	}

	run_configs(&b, cfgs, n, &pg, &meta);

	if (pg_reset(&pg))
		warn_line("vrbench: %s", bench_error());
	vrs_close();
	if (fclose(b.csv) && !b.write_failed) {
		warn_line("vrbench: close results.csv: %s", strerror(errno));
		b.write_failed = true;
	}
	if (bench_stop) {
		log_line("vrbench: interrupted (signal %d)", (int)bench_stop);
		rc = 128 + bench_stop;
	} else {
		utc_now(meta.finished, sizeof(meta.finished));
		if (write_meta(o->out, &meta, &b)) {
			warn_line("vrbench: %s", bench_error());
			rc = 1;
		}
		if (report_failed(&b) || b.write_failed)
			rc = 1;
	}
	for (i = 0; i < b.n_rows; i++)
		row_free(b.rows[i]);
	free(b.rows);
	for (i = 0; i < b.n_stalls; i++)
		free(b.stalls[i]);
	free(b.stalls);
	free_configs(cfgs, total);
	return rc;
}

/* ---------------------------------------------- namespace, command line */

static pid_t child_pid;

/*
 * Everything runs in a private network namespace, which `ip netns exec`
 * also gives a private /sys view (the links' sysfs files): this program
 * runs itself again in it with --inner, and deletes the namespace after.
 */
static int outer(const char *self, int argc, char **argv)
{
	char ns[32], **args;
	bool forwarded = false;
	int i, ret, wstatus, rc;

	snprintf(ns, sizeof(ns), "pvrbench-%d", (int)getpid());
	if (RUN("ip", "netns", "add", ns)) {
		fprintf(stderr, "vrbench: %s\n", bench_error());
		return 1;
	}
	args = xcalloc(argc + 6, sizeof(*args));
	args[0] = "ip";
	args[1] = "netns";
	args[2] = "exec";
	args[3] = ns;
	args[4] = (char *)self;
	args[5] = "--inner";
	for (i = 1; i < argc; i++)
		args[5 + i] = argv[i];
	catch_stop_signals();
	ret = posix_spawnp(&child_pid, "ip", NULL, NULL, args, environ);
	free(args);
	if (ret) {
		fprintf(stderr, "vrbench: ip netns exec: %s\n", strerror(ret));
		RUN_QUIET("ip", "netns", "del", ns);
		return 1;
	}
	/* ip netns exec execs us: a signal for the run goes to child_pid */
	while (waitpid(child_pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "vrbench: waitpid: %s\n",
				strerror(errno));
			wstatus = 1 << 8;
			break;
		}
		if (bench_stop && !forwarded) {
			kill(child_pid, bench_stop);
			forwarded = true;
		}
	}
	rc = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
	     128 + WTERMSIG(wstatus);
	if (RUN_QUIET("ip", "netns", "del", ns))
		warn_line("vrbench: ip netns del %s: %s", ns, bench_error());
	if (bench_stop)
		rc = 128 + bench_stop;
	return rc;
}

static int mkdir_p(const char *dir)
{
	char *path = xstrdup(dir), *p, c;
	int ret = 0;

	for (p = path + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			ret = -1;
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: vrbench --out DIR [--mode demo|full|quick|repeat|smoke]\n"
"               [--configs FILE]\n"
"               [--only CFG[,CFG...]] [--vnetdrv PATH]\n"
"\n"
"vrbench, guest side: forwarded vs offered packet rate, stock vs pvr.\n"
"Runs as root in the test VM with the pvr modules loaded; writes\n"
"results.csv and meta.json into DIR.\n"
"\n"
"  --mode     full (default), quick, repeat (1x and 2x saturation, six\n"
"             interleaved rounds), smoke (selftests), demo (make demo)\n"
"  --configs  configuration file (default: bench/configs.txt)\n"
"  --only     comma-separated configuration names\n"
"  --out      writable result directory (required)\n"
"  --vnetdrv  the router program (default: selftests/vhost_split/vnetdrv)\n");
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	usage(stderr);
	fprintf(stderr, "vrbench: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "configs", required_argument, NULL, 'c' },
		{ "only", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'O' },
		{ "vnetdrv", required_argument, NULL, 'v' },
		{ "inner", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char self[PATH_MAX], scratch[PATH_MAX], **args;
	struct options o = { .mode = "full" };
	char *def_configs, *def_vnetdrv, *top;
	ssize_t n;
	int c, rc;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr, "vrbench: readlink /proc/self/exe: %s\n",
			strerror(errno));
		return 1;
	}
	self[n] = '\0';
	/* bench/vrbench: the checkout is two levels up */
	snprintf(scratch, sizeof(scratch), "%s", self);
	top = xstrdup(dirname(dirname(scratch)));
	def_configs = xasprintf("%s/bench/configs.txt", top);
	def_vnetdrv = xasprintf("%s/selftests/vhost_split/vnetdrv", top);
	free(top);
	o.configs = def_configs;
	o.vnetdrv = def_vnetdrv;

	/* getopt_long permutes argv: the namespace child gets the original */
	args = xcalloc(argc + 1, sizeof(*args));
	memcpy(args, argv, argc * sizeof(*args));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o.mode = optarg;
			break;
		case 'c':
			o.configs = optarg;
			break;
		case 'o':
			o.only = optarg;
			break;
		case 'O':
			o.out = optarg;
			break;
		case 'v':
			o.vnetdrv = optarg;
			break;
		case 'I':
			o.inner = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			usage_error("argument %s: expected one argument",
				    argv[optind - 1]);
		default:
			usage_error("unrecognized argument: %s",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unrecognized argument: %s", argv[optind]);
	if (!find_mode(o.mode))
		usage_error("argument --mode: invalid choice: '%s' (choose from demo, full, quick, repeat, smoke)",
			    o.mode);
	if (!o.out)
		usage_error("the following arguments are required: %s",
			    "--out");
	if (access(o.vnetdrv, X_OK)) {
		fprintf(stderr, "vrbench: %s is not built (make tools)\n",
			o.vnetdrv);
		return 1;
	}
	if (mkdir_p(o.out)) {
		fprintf(stderr, "vrbench: mkdir %s: %s\n", o.out,
			strerror(errno));
		return 1;
	}
	if (o.inner)
		rc = inner(&o);
	else
		rc = outer(self, argc, args);
	free(args);
	free(def_configs);
	free(def_vnetdrv);
	return rc;
}
