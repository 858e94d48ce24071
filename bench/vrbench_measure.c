// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: one measured point. Start the routers, start pktgen, let it
 * settle, then count over a measurement window: offered (gen0 tx +
 * tx_dropped), forwarded (sink0 rx), drops by location, CPU time of the
 * vhost worker threads and of the routers.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrbench.h"

/* ------------------------------------------------------------ threads */

struct worker_thread {
	pid_t tid;
	const char *label;	/* vhost (vhost-net), rx or tx (vhost-split) */
};

struct threads {
	struct worker_thread *t;
	size_t n;
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * The label of a thread named like the vhost worker of one of @pids:
 * "vhost-<owner>" (vhost-net), "vhs-rx-<owner>", "vhs-tx-<owner>".
 */
static const char *worker_label(const char *comm, const struct routers *rs)
{
	static const struct {
		const char *prefix, *label;
	} kinds[] = {
		{ "vhost-", "vhost" }, { "vhs-rx-", "rx" }, { "vhs-tx-", "tx" },
	};
	char name[32];
	unsigned int i, k;

	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			snprintf(name, sizeof(name), "%s%d", kinds[k].prefix,
				 (int)rs->r[i].pid);
			if (!strcmp(comm, name))
				return kinds[k].label;
		}
	}
	return NULL;
}

/*
 * The vhost worker threads serving the routers: kernel threads of their
 * own (vhost-net on 6.1) or threads of the owner (vhost_task, vhost_split),
 * so every task of every process is looked at.
 */
static void find_threads(const struct routers *rs, struct threads *th)
{
	char path[600], comm[64];
	struct dirent *p, *t;
	const char *label;
	DIR *proc, *task;
	size_t n;

	th->t = NULL;
	th->n = 0;
	proc = opendir("/proc");
	if (!proc) {
		warn_line("vrbench: opendir /proc: %s", strerror(errno));
		return;
	}
	while ((p = readdir(proc))) {
		if (!all_digits(p->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		task = opendir(path);
		if (!task)
			continue;	/* it exited meanwhile */
		while ((t = readdir(task))) {
			if (!all_digits(t->d_name))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/comm",
				 p->d_name, t->d_name);
			if (read_text(path, comm, sizeof(comm)))
				continue;
			n = strcspn(comm, "\n");
			comm[n] = '\0';
			label = worker_label(comm, rs);
			if (!label)
				continue;
			th->t = xrealloc(th->t, (th->n + 1) * sizeof(*th->t));
			th->t[th->n].tid = atoi(t->d_name);
			th->t[th->n].label = label;
			th->n++;
		}
		closedir(task);
	}
	closedir(proc);
}

/* CPU time of one thread in ns (schedstat, else utime+stime). */
static bool cpu_ns(pid_t tid, uint64_t *ns)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long tck;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)tid,
		 (int)tid);
	if (!read_text(path, buf, sizeof(buf)) &&
	    sscanf(buf, "%" SCNu64, ns) == 1)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)tid,
		 (int)tid);
	if (read_text(path, buf, sizeof(buf)))
		return false;
	p = strrchr(buf, ')');
	tck = sysconf(_SC_CLK_TCK);
	/* after the name: state is field 3, utime and stime 14 and 15 */
	if (!p || tck <= 0 ||
	    sscanf(p + 1, " %*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
		   &ut, &st) != 2)
		return false;
	*ns = (ut + st) * (1000000000ULL / tck);
	return true;
}

static void cpus_allowed(pid_t tid, char *buf, size_t len)
{
	static const char key[] = "Cpus_allowed_list:";
	char path[64], status[8192], *line, *end;

	snprintf(buf, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (read_text(path, status, sizeof(status)))
		return;
	line = strstr(status, key);
	if (!line)
		return;
	line += strlen(key);
	line += strspn(line, " \t");
	end = line + strcspn(line, " \t\n");
	*end = '\0';
	snprintf(buf, len, "%s", line);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "rx:0 tx:1 ...": each worker's allowed CPUs, sorted. */
static char *worker_cpus(const struct threads *th)
{
	char **items = xcalloc(th->n, sizeof(*items)), cpus[256];
	char *all = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < th->n; i++) {
		cpus_allowed(th->t[i].tid, cpus, sizeof(cpus));
		items[i] = xasprintf("%s:%s", th->t[i].label, cpus);
	}
	qsort(items, th->n, sizeof(*items), str_cmp);
	for (i = 0; i < th->n; i++) {
		t = xasprintf("%s%s%s", all, i ? " " : "", items[i]);
		free(all);
		free(items[i]);
		all = t;
	}
	free(items);
	return all;
}

/* ----------------------------------------------------------- counters */

struct snapshot {
	double t;
	uint64_t gen_tx, gen_drop, in_drop, egr_drop, sink, sink_drop;
	struct queue_stat *queues;
	size_t nq;		/* 0: no per-queue numbers */
	bool worker_ok, router_ok;	/* false: a thread vanished */
	uint64_t worker, router;	/* CPU ns, summed */
};

static int sum_stats(uint64_t *sum, const char *dev1, const char *name1,
		     const char *dev2, const char *name2)
{
	uint64_t a, b = 0;

	if (dev_stat(dev1, name1, &a) || (dev2 && dev_stat(dev2, name2, &b)))
		return BENCH_ERR;
	*sum = a + b;
	return BENCH_OK;
}

static int snapshot(struct snapshot *s, const struct setup *st,
		    const struct threads *th, const struct routers *rs)
{
	uint64_t ns;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->t = now_s();
	if (sum_stats(&s->gen_tx, GEN_TX, "tx_packets", GEN_TX, "tx_dropped") ||
	    sum_stats(&s->gen_drop, GEN_TX, "tx_dropped", GEN_RX, "rx_dropped") ||
	    sum_stats(&s->in_drop, ING, "rx_dropped", NULL, NULL) ||
	    sum_stats(&s->egr_drop, EGR, "tx_dropped", OUT_TX, "tx_dropped") ||
	    sum_stats(&s->sink, SINK, "rx_packets", NULL, NULL) ||
	    sum_stats(&s->sink_drop, SINK, "rx_dropped", NULL, NULL))
		return BENCH_ERR;
	setup_queue_stats(st, &s->queues, &s->nq);
	s->worker_ok = s->router_ok = true;
	for (i = 0; i < th->n; i++) {
		if (cpu_ns(th->t[i].tid, &ns))
			s->worker += ns;
		else
			s->worker_ok = false;
	}
	for (i = 0; i < rs->n; i++) {
		if (cpu_ns(rs->r[i].pid, &ns))
			s->router += ns;
		else
			s->router_ok = false;
	}
	if (debug_enabled())
		log_line("vrbench-debug: t %.3f gen_tx %" PRIu64 " gen_drop %" PRIu64
			 " in_drop %" PRIu64 " egr_drop %" PRIu64 " sink %" PRIu64
			 " sink_drop %" PRIu64 " queues %zu worker %s%" PRIu64
			 " router %s%" PRIu64, s->t, s->gen_tx, s->gen_drop,
			 s->in_drop, s->egr_drop, s->sink, s->sink_drop, s->nq,
			 s->worker_ok ? "" : "(vanished) ", s->worker,
			 s->router_ok ? "" : "(vanished) ", s->router);
	return BENCH_OK;
}

/*
 * Wait (bounded) until pktgen has really started and frames reach the
 * sink: under TCG starting pktgen and the routers' first packets take
 * hundreds of ms, and a window opened before the pipeline flows counts
 * that backlog as forwarded inside it (more out than in).
 */
static int flowing(uint64_t gen0, uint64_t sink0, double limit)
{
	double deadline = now_s() + limit;
	uint64_t gen, sink;

	while (now_s() < deadline) {
		if (sum_stats(&gen, GEN_TX, "tx_packets", GEN_TX, "tx_dropped") ||
		    dev_stat(SINK, "rx_packets", &sink))
			return BENCH_ERR;
		if (gen > gen0 && sink > sink0)
			return BENCH_OK;
		if (nap(0.02))
			return BENCH_ERR;
	}
	return BENCH_OK;
}

/* "a/b/c" of one number per queue. */
static char *per_queue(const struct queue_stat *q, size_t n,
		       uint64_t (*get)(const struct queue_stat *q, size_t k),
		       size_t k, const struct queue_stat *base)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = get(&q[i], k) - (base ? get(&base[i], k) : 0);

		t = xasprintf("%s%s%" PRId64, s, i ? "/" : "", (int64_t)v);
		free(s);
		s = t;
	}
	return s;
}

static uint64_t q_enqueued(const struct queue_stat *q, size_t k)
{
	(void)k;
	return q->enqueued;
}

static uint64_t q_occupancy(const struct queue_stat *q, size_t k)
{
	(void)k;
	return q->occupancy;
}

static uint64_t q_drop(const struct queue_stat *q, size_t k)
{
	return q->drops[k];
}

static uint64_t q_early(const struct queue_stat *q, size_t k)
{
	uint64_t sum = 0;

	(void)k;
	for (k = 0; k < N_QUEUE_DROPS; k++)
		if (k != QD_FULL)
			sum += q->drops[k];
	return sum;
}

static uint64_t q_state(const struct queue_stat *q, size_t k)
{
	return q->state[k];
}

/* The per-queue columns, from the counters at the window's ends. */
static void queue_columns(struct row *row, const struct snapshot *a,
			  const struct snapshot *b)
{
	uint64_t early = 0, full = 0, kind;
	char *s, *t, *list;
	size_t i, k;
	double dt = b->t - a->t;

	list = per_queue(b->queues, b->nq, q_enqueued, 0, a->queues);
	row_str(row, F_QUEUE_ENQUEUED, list);
	free(list);
	list = per_queue(b->queues, b->nq, q_early, 0, a->queues);
	row_str(row, F_QUEUE_EARLY, list);
	free(list);
	list = per_queue(b->queues, b->nq, q_drop, QD_FULL, a->queues);
	row_str(row, F_QUEUE_FULL, list);
	free(list);
	for (i = 0; i < b->nq; i++) {
		early += q_early(&b->queues[i], 0) - q_early(&a->queues[i], 0);
		full += b->queues[i].drops[QD_FULL] -
			a->queues[i].drops[QD_FULL];
	}
	row_float(row, F_DROP_IN_EARLY_PPS, (int64_t)early / dt, 1);
	row_float(row, F_DROP_IN_FULL_PPS, (int64_t)full / dt, 1);
	/* the window's drops by kind, "early_drops=N full_drops=N ..." */
	s = xstrdup("");
	for (k = 0; k < N_QUEUE_DROPS; k++) {
		kind = 0;
		for (i = 0; i < b->nq; i++)
			kind += b->queues[i].drops[k] - a->queues[i].drops[k];
		t = xasprintf("%s%s%s=%" PRId64, s, k ? " " : "",
			      queue_drop_names[k], (int64_t)kind);
		free(s);
		s = t;
	}
	row_str(row, F_QUEUE_DROP_KINDS, s);
	free(s);
	list = per_queue(b->queues, b->nq, q_occupancy, 0, NULL);
	row_str(row, F_QUEUE_OCC, list);
	free(list);
	/* controller state at the window's end, "eff_limit=a/b/c ..." */
	s = xstrdup("");
	for (k = 0; k < N_QUEUE_STATES; k++) {
		list = per_queue(b->queues, b->nq, q_state, k, NULL);
		t = xasprintf("%s%s%s=%s", s, k ? " " : "",
			      queue_state_names[k], list);
		free(list);
		free(s);
		s = t;
	}
	row_str(row, F_QUEUE_STATE, s);
	free(s);
}

/* ------------------------------------------------------------ a point */

static void snapshot_free(struct snapshot *s)
{
	free(s->queues);
	s->queues = NULL;
	s->nq = 0;
}

static int stall_error(struct routers *rs, const struct snapshot *end)
{
	char *why = NULL, *occ;
	int ret;

	routers_stall_report(rs, &why);
	if (end->nq) {
		occ = per_queue(end->queues, end->nq, q_occupancy, 0, NULL);
		note_append(&why, "queue occupancy at the window's end %s",
			    occ);
		free(occ);
	}
	ret = stall("a router ended inside the window: %s", why ? why : "");
	free(why);
	return ret;
}

int measure(const struct bench_config *cfg, struct setup *s,
	    struct pktgen *pg, const char *vnetdrv, long rate,
	    const struct bench_mode *m, const char *phase, double idle,
	    struct row **out)
{
	struct router_result res[MAX_ROUTERS] = { 0 };
	uint64_t t0_gen = 0, t0_sink = 0, t1_gen = 0, t1_sink = 0;
	uint64_t rx = 0, errs = 0;
	struct snapshot a = { 0 }, b = { 0 };
	struct threads th = { NULL, 0 };
	unsigned int want, i, killed = 0;
	struct routers rs;
	struct row *row;
	double dt, rd = 0;
	long duration_ms;
	char *cpus;
	int ret;

	*out = NULL;
	row = row_new();
	row_str(row, F_CONFIG, cfg->name);
	row_str(row, F_PHASE, phase);
	row_int(row, F_ROUTERS, cfg->routers);
	row_int(row, F_TARGET_PPS, rate);
	row_str(row, F_STATUS, "ok");
	row_str(row, F_NOTE, "");
	/*
	 * The routers end `idle` s after their last packet, i.e. after
	 * pktgen stops; the duration only bounds a run that goes wrong. (A
	 * fixed duration does not work: under overload the guest's
	 * userspace, this program included, is starved and the window ends
	 * late.)
	 */
	duration_ms = (long)((m->warmup + m->window + 120) * 1000);
	ret = pg_setup(pg, rate);
	if (ret)
		goto out_row;
	ret = routers_start(&rs, vnetdrv, cfg, s->ing_tap, s->egr_tap,
			    duration_ms, idle);
	if (ret)
		goto out_row;

	find_threads(&rs, &th);
	want = (strcmp(cfg->dev, "vhost-net") ? 4 : 2) * cfg->routers;
	if (th.n != want)
		row_note(row, "found %zu worker threads, expected %u", th.n,
			 want);
	cpus = worker_cpus(&th);
	row_str(row, F_WORKER_CPUS, cpus);
	free(cpus);
	ret = sum_stats(&t0_gen, GEN_TX, "tx_packets", GEN_TX, "tx_dropped");
	if (!ret)
		ret = dev_stat(SINK, "rx_packets", &t0_sink);
	if (!ret)
		ret = pg_start(pg);
	if (!ret)
		ret = flowing(t0_gen, t0_sink, 5.0);
	if (!ret)
		ret = nap(m->warmup);
	if (!ret)
		ret = snapshot(&a, s, &th, &rs);
	if (ret)
		goto out_stop;
	if (a.nq && a.nq != (size_t)cfg->routers) {
		ret = fail("%s has %zu queues attached, expected one per router (%ld)",
			   ING, a.nq, cfg->routers);
		goto out_stop;
	}
	ret = nap(m->window);
	if (!ret)
		ret = snapshot(&b, s, &th, &rs);
	if (ret)
		goto out_stop;
	if (!routers_alive(&rs)) {
		ret = stall_error(&rs, &b);
		goto out_stop;
	}
	ret = pg_stop(pg);
	if (!ret)
		ret = routers_finish(&rs, idle + 5, res);
	if (!ret)
		ret = sum_stats(&t1_gen, GEN_TX, "tx_packets", GEN_TX,
				"tx_dropped");
	if (!ret)
		ret = dev_stat(SINK, "rx_packets", &t1_sink);
	killed = rs.killed;
	if (!ret && killed)
		row_note(row, "%u router(s) without traffic stopped by the bench",
			 killed);
out_stop:
	if (ret) {
		char *pending = error_save();

		pg_stop(pg);
		ret = error_restore(ret, pending);
	} else {
		ret = pg_stop(pg);
	}
	routers_close(&rs);
	free(th.t);
	if (ret)
		goto out_row;

	/*
	 * Whole-point accounting (pktgen start to routers' end): the sink can
	 * never get more than was sent, nor more than the routers received.
	 */
	for (i = 0; i < (unsigned int)cfg->routers; i++)
		rx += res[i].packets;
	row_int(row, F_TOTAL_OFFERED, (long long)(t1_gen - t0_gen));
	row_int(row, F_TOTAL_FORWARDED, (long long)(t1_sink - t0_sink));
	row_int(row, F_TOTAL_ROUTER_RX, (long long)rx);
	if (t1_sink - t0_sink > t1_gen - t0_gen ||
	    (!killed && t1_sink - t0_sink > rx)) {
		row_str(row, F_STATUS, "FAILED");
		row_note(row, "accounting: sink got %" PRIu64 " frames, pktgen sent %" PRIu64
			 ", routers received %" PRIu64, t1_sink - t0_sink,
			 t1_gen - t0_gen, rx);
	}

	dt = b.t - a.t;
	row_float(row, F_WINDOW_S, dt, 3);
	row_float(row, F_OFFERED_PPS, (double)(b.gen_tx - a.gen_tx) / dt, 1);
	row_float(row, F_FORWARDED_PPS, (double)(b.sink - a.sink) / dt, 1);
	row_float(row, F_FWD_RATIO, (double)(b.sink - a.sink) /
		  (b.gen_tx - a.gen_tx > 1 ? b.gen_tx - a.gen_tx : 1), 4);
	row_float(row, F_DROP_GEN_PPS, (double)(b.gen_drop - a.gen_drop) / dt, 1);
	row_float(row, F_DROP_IN_DEV_PPS, (double)(b.in_drop - a.in_drop) / dt, 1);
	row_float(row, F_DROP_EGRESS_PPS, (double)(b.egr_drop - a.egr_drop) / dt, 1);
	row_float(row, F_DROP_SINK_PPS, (double)(b.sink_drop - a.sink_drop) / dt, 1);
	if (!strcmp(cfg->link, "macvtap")) {
		/* Stock macvtap has no early drop: every drop is a full ring. */
		row_float(row, F_DROP_IN_EARLY_PPS, 0.0, 1);
		row_float(row, F_DROP_IN_FULL_PPS,
			  row_num(row, F_DROP_IN_DEV_PPS), 1);
	} else if (a.nq && b.nq && a.nq == b.nq) {
		queue_columns(row, &a, &b);
	}
	/* Routers count TX ring full (and non-IPv4) drops over their whole run. */
	for (i = 0; i < (unsigned int)cfg->routers; i++) {
		if (res[i].elapsed_ns)
			rd += res[i].drops * 1e9 / res[i].elapsed_ns;
		errs += res[i].dev_errors + res[i].lost_calls;
	}
	row_float(row, F_DROP_ROUTER_PPS, rd, 1);
	if (!a.worker_ok || !b.worker_ok || !a.router_ok || !b.router_ok) {
		row_note(row, "a thread vanished during the window: no CPU numbers");
	} else {
		int64_t worker = b.worker - a.worker, router = b.router - a.router;
		uint64_t fwd = b.sink - a.sink;

		if (fwd > 0) {
			row_int(row, F_WORKER_NS_PER_PKT,
				py_round_int((double)worker / fwd));
			row_int(row, F_ROUTER_NS_PER_PKT,
				py_round_int((double)router / fwd));
		}
		row_float(row, F_WORKER_CPU, worker / dt / 1e9, 3);
		row_float(row, F_ROUTER_CPU, router / dt / 1e9, 3);
	}
	row_int(row, F_GEN_LIMITED,
		rate && row_num(row, F_OFFERED_PPS) < 0.85 * rate);
	if (errs)
		row_note(row, "router saw %" PRIu64 " device errors/lost calls",
			 errs);
	ret = BENCH_OK;
	*out = row;
	row = NULL;
out_row:
	snapshot_free(&a);
	snapshot_free(&b);
	row_free(row);
	return ret;
}
