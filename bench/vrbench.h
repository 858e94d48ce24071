/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrbench, guest side: forwarded vs offered packet rate, stock vs pvr.
 * Declarations shared by the vrbench*.c files; see vrbench.c for what the
 * program does.
 */
#ifndef VRBENCH_H
#define VRBENCH_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Printed at the start of every run and stored in meta.json: the numbers
 * must never be read as those of real router VMs.
 */
#define CAVEAT "routers are vnetdrv forward processes, a userspace stand-in " \
	"for router VMs; under TCG only ratios within one run mean anything"

/* The topology (one private network namespace, see vrbench.c). */
#define GEN_TX		"gen0"	/* pktgen sends here */
#define GEN_RX		"gen1"	/* its veth peer, lower device of ING */
#define OUT_TX		"out0"	/* lower device of EGR */
#define SINK		"sink0"	/* its veth peer: counts forwarded frames */
#define ING		"in0"	/* ingress macvtap | macvtap_mq */
#define EGR		"eg0"	/* egress stock macvtap */
#define ING_MAC		"02:00:00:00:01:01"
#define SINK_MAC	"02:00:00:00:02:02"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Frame size given to pktgen: 60 bytes, 64 on a wire with the FCS. */
#define FRAME		60
#define MAX_ROUTERS	8

/* ------------------------------------------------------------- errors */

/*
 * What a step that can fail returns. BENCH_ERR: this configuration cannot
 * run; BENCH_STALL: a router's run ended inside the measurement window, the
 * point is void. The reason is in bench_error().
 */
enum { BENCH_OK = 0, BENCH_ERR = -1, BENCH_STALL = -2 };

int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int stall(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *bench_error(void);
/*
 * Cleanup after a failure may fail too; the first reason is the one to
 * report: save it before, restore it (and return @code) after.
 */
char *error_save(void);
int error_restore(int code, char *saved);

/* Set by SIGINT/SIGTERM: every wait ends, the run cleans up and stops. */
extern volatile sig_atomic_t bench_stop;
void catch_stop_signals(void);
bool debug_enabled(void);

void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die_oom(void) __attribute__((noreturn));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append "; " + text to a note (NULL or "" start a new one). */
void note_append(char **note, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* -------------------------------------------------------------- time */

double now_s(void);		/* CLOCK_MONOTONIC */
int nap(double seconds);	/* BENCH_ERR only when interrupted */

/* ---------------------------------------------------- files, commands */

int write_file(const char *path, const char *val);
int read_text(const char *path, char *buf, size_t len);
int read_u64(const char *path, uint64_t *val);
int dev_stat(const char *dev, const char *name, uint64_t *val);
bool path_exists(const char *path);

/*
 * Run a program (PATH lookup) and wait for it; stdout and stderr are
 * captured. With @check, a non-zero exit is an error whose message is the
 * command and what it printed (stderr, else stdout); without, the exit
 * code is returned and bench_error() holds only what it printed. Returns
 * the exit code (>= 0) or BENCH_ERR.
 */
int run_argv(bool check, const char *const argv[]);
#define RUN(...) run_argv(true, (const char *const[]){ __VA_ARGS__, NULL })
#define RUN_QUIET(...) run_argv(false, (const char *const[]){ __VA_ARGS__, NULL })

/* "N" for an exit code, "-N" for a signal (as Python's returncode). */
void fmt_exit_status(char *buf, size_t len, bool exited, int wstatus);

/* ----------------------------------------------------- configurations */

struct mq_attr {
	char *attr, *val;
};

struct rule_spec {
	char *dir;	/* rx, tx or any */
	char *cpus;
};

struct bench_config {
	char *name;
	struct mq_attr *mq;
	size_t n_mq;
	struct rule_spec *rule;
	size_t n_rule;
	char **plot;
	size_t n_plot;
	long routers, ring;
	long txqueuelen;
	bool has_txqueuelen;
	char *dev, *link;	/* keys of DEVS and LINKS */
	char *router_cpus;	/* as given, or NULL: the routers' CPUs */
	cpu_set_t router_set;	/* router_cpus parsed */
};

/* Exits with a message on any error in the file. */
struct bench_config *parse_configs(const char *path, size_t *n);
void free_configs(struct bench_config *cfgs, size_t n);
const char *vhost_dev_path(const char *dev);	/* "vhost-net" -> /dev/... */

/* ------------------------------------------------------------- modes */

struct bench_mode {
	const char *name;
	const double *grid;	/* multiples of the saturation rate */
	size_t n_grid;
	const long *fixed;	/* fixed rates, pps */
	size_t n_fixed;
	double warmup, window;	/* seconds */
	int extend;		/* 1.5x steps while still forwarding */
	bool overload;		/* 2x and 3x the peak at the end */
	int rounds;		/* every configuration this often, interleaved */
};

const struct bench_mode *find_mode(const char *name);

/* ------------------------------------------------------------ results */

/* The columns of results.csv, in their order. */
enum field {
	F_CONFIG, F_PHASE, F_ROUTERS, F_TARGET_PPS, F_OFFERED_PPS,
	F_FORWARDED_PPS, F_FWD_RATIO, F_DROP_GEN_PPS, F_DROP_IN_EARLY_PPS,
	F_DROP_IN_FULL_PPS, F_DROP_IN_DEV_PPS, F_DROP_ROUTER_PPS,
	F_DROP_EGRESS_PPS, F_DROP_SINK_PPS, F_QUEUE_ENQUEUED, F_QUEUE_EARLY,
	F_QUEUE_FULL, F_WORKER_NS_PER_PKT, F_ROUTER_NS_PER_PKT, F_WORKER_CPU,
	F_ROUTER_CPU, F_WORKER_CPUS, F_GEN_LIMITED, F_WINDOW_S, F_STATUS,
	F_NOTE, F_QUEUE_DROP_KINDS, F_QUEUE_OCC, F_QUEUE_STATE,
	F_TOTAL_OFFERED, F_TOTAL_FORWARDED, F_TOTAL_ROUTER_RX,
	NFIELDS
};

enum cell_kind { CELL_UNSET, CELL_STR, CELL_INT, CELL_FLOAT };

struct cell {
	enum cell_kind kind;
	int decimals;		/* CELL_FLOAT: rounded to this many */
	long long i;
	double f;
	char *s;
};

/* One point (one line of results.csv); an unset cell is an empty field. */
struct row {
	struct cell c[NFIELDS];
};

extern const char *const field_names[NFIELDS];

struct row *row_new(void);
void row_free(struct row *r);
void row_str(struct row *r, enum field f, const char *s);
void row_int(struct row *r, enum field f, long long v);
/* Stores Python's round(v, decimals): the number a reader gets back. */
void row_float(struct row *r, enum field f, double v, int decimals);
bool row_is(const struct row *r, enum field f, const char *s);
double row_num(const struct row *r, enum field f);	/* 0 when unset */
void row_note(struct row *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

double py_round(double v, int decimals);
long long py_round_int(double v);
/* Python's repr of a float rounded to @decimals (e.g. "7400.0"). */
void fmt_float(char *buf, size_t len, double v, int decimals);

int csv_write_header(FILE *f);
int csv_write_row(FILE *f, const struct row *r);

/* A JSON writer in the layout of Python's json.dump(indent=1). */
struct json_writer {
	FILE *f;
	int depth;
	unsigned int count[16];
};

void json_open(struct json_writer *w, const char *key, char bracket);
void json_close(struct json_writer *w, char bracket);
void json_string(struct json_writer *w, const char *key, const char *s);
void json_int(struct json_writer *w, const char *key, long long v);
void json_float(struct json_writer *w, const char *key, double v,
		int decimals);
void json_null(struct json_writer *w, const char *key);

/* ------------------------------------------------------------ pktgen */

struct pktgen {
	pid_t start_pid;	/* child blocked in the "start" write, or 0 */
	unsigned int ndevs;
};

int pg_init(struct pktgen *pg);
int pg_setup(struct pktgen *pg, long rate);
int pg_start(struct pktgen *pg);
int pg_stop(struct pktgen *pg);
int pg_reset(struct pktgen *pg);

/* ------------------------------------------------------------ vr_sched */

/*
 * Per-queue counters of a macvtap_mq link, named as vrctl -j -s link show
 * names them. Every drop kind other than full_drops counts as early.
 */
enum queue_drop { QD_EARLY, QD_FULL, QD_STALE, N_QUEUE_DROPS };
enum queue_state { QS_DELAY_US, QS_DRAIN_PPS, QS_EFF_LIMIT, N_QUEUE_STATES };
extern const char *const queue_drop_names[N_QUEUE_DROPS];
extern const char *const queue_state_names[N_QUEUE_STATES];

struct queue_stat {
	uint64_t index, enqueued, occupancy;
	uint64_t drops[N_QUEUE_DROPS];
	uint64_t state[N_QUEUE_STATES];
	unsigned int pos;	/* order in the answer */
};

int vrs_rule_add(const char *dir, const char *cpus, uint32_t *id);
int vrs_rule_del(uint32_t id);
int vrs_link_queues(const char *name, struct queue_stat **qs, size_t *n);
void vrs_close(void);

/* ------------------------------------------------------- links, rules */

/* The ingress and egress links (and vr_sched rules) of one config. */
struct setup {
	const struct bench_config *cfg;
	uint32_t *rule_ids;
	size_t n_rules;
	bool have_ing, have_egr;
	char nodes[64];		/* private directory of the tap nodes */
	char ing_tap[128], egr_tap[128];
};

int setup_open(struct setup *s, const struct bench_config *cfg);
void setup_close(struct setup *s);
/*
 * Per-queue counters of the ingress macvtap_mq, sorted by queue index;
 * *n = 0 (no numbers) for a stock macvtap or when vr_sched cannot say.
 */
void setup_queue_stats(const struct setup *s, struct queue_stat **qs,
		       size_t *n);

/* ------------------------------------------------------------ routers */

struct router_result {
	uint64_t packets, elapsed_ns, drops, lost_calls, dev_errors;
};

struct router {
	pid_t pid;
	int out_fd;		/* its stdout, or -1 at EOF */
	int err_fd;		/* its stderr, /tmp/vrbench-router-N.err */
	char *out;		/* what it printed so far */
	size_t out_len;
	bool exited;
	int wstatus;
};

struct routers {
	struct router r[MAX_ROUTERS];
	unsigned int n;
	unsigned int killed;	/* idle routers the bench stopped */
	double idle;
};

int routers_start(struct routers *rs, const char *vnetdrv,
		  const struct bench_config *cfg, const char *ing_tap,
		  const char *egr_tap, long duration_ms, double idle);
bool routers_alive(struct routers *rs);
int routers_finish(struct routers *rs, double timeout,
		   struct router_result *res);
void routers_close(struct routers *rs);
/* Why routers ended inside the window, appended to *out. */
void routers_stall_report(struct routers *rs, char **out);

/* ---------------------------------------------------------- measuring */

int measure(const struct bench_config *cfg, struct setup *s,
	    struct pktgen *pg, const char *vnetdrv, long rate,
	    const struct bench_mode *m, const char *phase, double idle,
	    struct row **out);

#endif /* VRBENCH_H */
