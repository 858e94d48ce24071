// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: the configuration file (bench/configs.txt) and the modes.
 *
 * One configuration per line: a name, then key=value options. An unknown
 * key is an error, so a typo cannot silently measure the wrong thing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vrbench.h"

static const struct {
	const char *name, *path;
} vhost_devs[] = {
	{ "vhost-net", "/dev/vhost-net" },
	{ "vhost-split", "/dev/vhost-split" },
};

static const char *const link_kinds[] = { "macvtap", "macvtap_mq" };

static const char *const plain_keys[] = {
	"dev", "link", "routers", "rule", "txqueuelen", "ring", "plot",
	"router_cpus",
};

const char *vhost_dev_path(const char *dev)
{
	size_t i;

	for (i = 0; dev && i < ARRAY_SIZE(vhost_devs); i++)
		if (!strcmp(dev, vhost_devs[i].name))
			return vhost_devs[i].path;
	return NULL;
}

static bool is_link_kind(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < ARRAY_SIZE(link_kinds); i++)
		if (!strcmp(kind, link_kinds[i]))
			return true;
	return false;
}

static bool is_plain_key(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plain_keys); i++)
		if (!strcmp(key, plain_keys[i]))
			return true;
	return false;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
config_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long parse_long(const char *where, const char *key, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end)
		config_error("%s: %s=%s is not an integer", where, key, v);
	return n;
}

/*
 * A CPU list as taskset -c and the kernel take it ("1", "0-1", "0,2-3"):
 * exits on anything else, on an empty set and on CPUs beyond CPU_SETSIZE.
 */
static void parse_cpu_list(const char *where, const char *v, cpu_set_t *set)
{
	const char *p = v;
	char *end;
	long lo, hi;

	CPU_ZERO(set);
	for (;;) {
		errno = 0;
		lo = strtol(p, &end, 10);
		if (errno || end == p || *p == '-' || *p == '+')
			break;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (errno || end == p || *p == '-' || *p == '+')
				break;
		}
		if (lo < 0 || hi < lo || hi >= CPU_SETSIZE)
			break;
		for (; lo <= hi; lo++)
			CPU_SET(lo, set);
		if (!*end)
			return;
		if (*end != ',')
			break;
		p = end + 1;
	}
	config_error("%s: router_cpus=%s is not a CPU list (e.g. 1 or 0-1)",
		     where, v);
}

static void parse_option(struct bench_config *c, const char *where,
			 char *opt)
{
	char *k = opt, *v = strchr(opt, '='), *cpus;

	if (!v || !v[1])
		config_error("%s: '%s' is not key=value", where, opt);
	*v++ = '\0';
	if (!strncmp(k, "mq.", 3) && k[3]) {
		c->mq = xrealloc(c->mq, (c->n_mq + 1) * sizeof(*c->mq));
		c->mq[c->n_mq].attr = xstrdup(k + 3);
		c->mq[c->n_mq].val = xstrdup(v);
		c->n_mq++;
	} else if (!is_plain_key(k)) {
		config_error("%s: unknown key '%s'", where, k);
	} else if (!strcmp(k, "rule")) {
		cpus = strchr(v, ':');
		if (cpus)
			*cpus++ = '\0';
		if ((strcmp(v, "rx") && strcmp(v, "tx") && strcmp(v, "any")) ||
		    !cpus || !*cpus)
			config_error("%s: rule is DIR:CPUS", where);
		c->rule = xrealloc(c->rule, (c->n_rule + 1) * sizeof(*c->rule));
		c->rule[c->n_rule].dir = xstrdup(v);
		c->rule[c->n_rule].cpus = xstrdup(cpus);
		c->n_rule++;
	} else if (!strcmp(k, "plot")) {
		/* like Python's split(","): empty names stay */
		char *p = v, *comma;

		while (c->n_plot)
			free(c->plot[--c->n_plot]);
		for (;;) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			c->plot = xrealloc(c->plot,
					   (c->n_plot + 1) * sizeof(*c->plot));
			c->plot[c->n_plot++] = xstrdup(p);
			if (!comma)
				break;
			p = comma + 1;
		}
	} else if (!strcmp(k, "routers")) {
		c->routers = parse_long(where, k, v);
	} else if (!strcmp(k, "ring")) {
		c->ring = parse_long(where, k, v);
	} else if (!strcmp(k, "txqueuelen")) {
		c->txqueuelen = parse_long(where, k, v);
		c->has_txqueuelen = true;
	} else if (!strcmp(k, "router_cpus")) {
		parse_cpu_list(where, v, &c->router_set);
		free(c->router_cpus);
		c->router_cpus = xstrdup(v);
	} else if (!strcmp(k, "dev")) {
		free(c->dev);
		c->dev = xstrdup(v);
	} else {
		free(c->link);
		c->link = xstrdup(v);
	}
}

struct bench_config *parse_configs(const char *path, size_t *n)
{
	static const char *const blanks = " \t\r\n\v\f";
	struct bench_config *cfgs = NULL, *c;
	char *line = NULL, *tok, *save, *hash, where[4200];
	size_t cap = 0, lineno = 0;
	FILE *f;

	*n = 0;
	f = fopen(path, "re");
	if (!f)
		config_error("vrbench: %s: %s", path, strerror(errno));
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		tok = strtok_r(line, blanks, &save);
		if (!tok)
			continue;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		cfgs = xrealloc(cfgs, (*n + 1) * sizeof(*cfgs));
		c = &cfgs[(*n)++];
		memset(c, 0, sizeof(*c));
		c->name = xstrdup(tok);
		c->routers = 1;
		c->ring = 256;
		while ((tok = strtok_r(NULL, blanks, &save)))
			parse_option(c, where, tok);
		if (!vhost_dev_path(c->dev) || !is_link_kind(c->link))
			config_error("%s: dev= and link= are required", where);
		if (c->routers < 1 || c->routers > MAX_ROUTERS)
			config_error("%s: routers must be 1..%d", where,
				     MAX_ROUTERS);
		if (!strcmp(c->link, "macvtap") && c->routers > 1)
			config_error("%s: stock macvtap spreads by flow hash: use macvtap_mq for several routers",
				     where);
		errno = 0;
	}
	if (errno || ferror(f))
		config_error("vrbench: read %s: %s", path,
			     strerror(errno ? errno : EIO));
	free(line);
	fclose(f);
	return cfgs;
}

void free_configs(struct bench_config *cfgs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct bench_config *c = &cfgs[i];

		for (j = 0; j < c->n_mq; j++) {
			free(c->mq[j].attr);
			free(c->mq[j].val);
		}
		for (j = 0; j < c->n_rule; j++) {
			free(c->rule[j].dir);
			free(c->rule[j].cpus);
		}
		for (j = 0; j < c->n_plot; j++)
			free(c->plot[j]);
		free(c->mq);
		free(c->rule);
		free(c->plot);
		free(c->name);
		free(c->dev);
		free(c->link);
		free(c->router_cpus);
	}
	free(cfgs);
}

/* ------------------------------------------------------------- modes */

static const double full_grid[] = { 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0 };
static const double quick_grid[] = { 0.5, 1.5 };
static const double repeat_grid[] = { 1.0, 2.0 };
static const long smoke_rates[] = { 2000 };
static const long demo_rates[] = { 500, 1000, 2000, 4000, 8000 };

static const struct bench_mode modes[] = {
	/* grid: multiples of the saturation rate found by calibration */
	{ .name = "full", .grid = full_grid,
	  .n_grid = ARRAY_SIZE(full_grid), .warmup = 1.0,
	  .window = 2.0, .extend = 2, .overload = true },
	{ .name = "quick", .grid = quick_grid,
	  .n_grid = ARRAY_SIZE(quick_grid), .warmup = 0.5,
	  .window = 1.5, .extend = 1, .overload = true },
	/*
	 * How repeatable a point is: saturation and 2x saturation, every
	 * configuration once per round, six rounds, so that a drift of the
	 * host's speed touches each configuration alike.
	 */
	{ .name = "repeat", .grid = repeat_grid,
	  .n_grid = ARRAY_SIZE(repeat_grid), .warmup = 1.0,
	  .window = 2.0, .extend = 0, .overload = false, .rounds = 6 },
	/* selftests: one fixed low rate per configuration, no calibration */
	{ .name = "smoke", .fixed = smoke_rates,
	  .n_fixed = ARRAY_SIZE(smoke_rates), .warmup = 0.3,
	  .window = 0.7, .extend = 0, .overload = false },
	/*
	 * make demo: a short doubling sweep of one configuration (2 s
	 * windows: under TCG frames in flight vary by ~100 between reads)
	 */
	{ .name = "demo", .fixed = demo_rates,
	  .n_fixed = ARRAY_SIZE(demo_rates), .warmup = 1.0,
	  .window = 2.0, .extend = 0, .overload = false },
};

const struct bench_mode *find_mode(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(name, modes[i].name))
			return &modes[i];
	return NULL;
}
