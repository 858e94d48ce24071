// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: per configuration, the ingress and egress links, the private
 * device nodes of their taps, and the configuration's vr_sched rules.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vrbench.h"

/*
 * A private device node for the link's tap. /dev/tap<ifindex> is named
 * after an ifindex, unique only per namespace: while a link of another
 * namespace with the same ifindex exists (e.g. one a leftover process
 * keeps alive), /dev/tapN is ITS node and a router opening it would attach
 * to a queue nobody sends to.
 */
static int tap_node(struct setup *s, const char *dev, char *node, size_t len)
{
	char path[128], devno[64];
	unsigned int major, minor;
	uint64_t ifindex;
	char extra;

	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", dev);
	if (read_u64(path, &ifindex))
		return BENCH_ERR;
	snprintf(path, sizeof(path), "/sys/class/net/%s/tap%llu/dev", dev,
		 (unsigned long long)ifindex);
	if (read_text(path, devno, sizeof(devno))) {
		char *why = xstrdup(bench_error());

		fail("%s: no tap device number: %s", dev, why);
		free(why);
		return BENCH_ERR;
	}
	if (sscanf(devno, "%u:%u%c", &major, &minor, &extra) < 2)
		return fail("%s: no tap device number: %s reads '%s'", dev,
			    path, devno);
	snprintf(node, len, "%s/%s", s->nodes, dev);
	if (mknod(node, 0600 | S_IFCHR, makedev(major, minor)))
		return fail("mknod %s: %s", node, strerror(errno));
	return BENCH_OK;
}

/*
 * Until linkwatch has seen the carrier the link may sit on the noop qdisc,
 * which drops what the routers send: wait (bounded) for it.
 */
static int wait_up(const char *dev)
{
	char path[128], state[32];
	int i;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", dev);
	for (i = 0; i < 100; i++) {
		if (!read_text(path, state, sizeof(state)) &&
		    !strncmp(state, "up", 2) &&
		    (state[2] == '\n' || state[2] == '\0'))
			return BENCH_OK;
		if (nap(0.05))
			return BENCH_ERR;
	}
	log_line("vrbench: %s is not up after 5 s", dev);
	return BENCH_OK;
}

static int make_links(struct setup *s)
{
	const struct bench_config *c = s->cfg;
	const char *vdev = vhost_dev_path(c->dev);
	char path[256], num[32], *why;
	size_t i;
	int rc;

	if (!path_exists(vdev))
		return fail("%s does not exist (module not loaded?)", vdev);
	rc = RUN_QUIET("ip", "link", "add", "link", GEN_RX, "name", ING,
		       "address", ING_MAC, "type", c->link);
	if (rc < 0)
		return BENCH_ERR;
	if (rc) {
		why = xstrdup(bench_error());
		fail("cannot create a %s link: %s", c->link, why);
		free(why);
		return BENCH_ERR;
	}
	s->have_ing = true;
	if (RUN("ip", "link", "add", "link", OUT_TX, "name", EGR, "type",
		"macvtap"))
		return BENCH_ERR;
	s->have_egr = true;
	if (c->has_txqueuelen && c->txqueuelen) {
		snprintf(num, sizeof(num), "%ld", c->txqueuelen);
		if (RUN("ip", "link", "set", ING, "txqueuelen", num))
			return BENCH_ERR;
	}
	if (RUN("ip", "link", "set", ING, "up") ||
	    RUN("ip", "link", "set", EGR, "up"))
		return BENCH_ERR;
	if (wait_up(ING) || wait_up(EGR))
		return BENCH_ERR;
	for (i = 0; i < c->n_mq; i++) {
		if (strcmp(c->link, "macvtap_mq"))
			return fail("mq.%s needs link=macvtap_mq",
				    c->mq[i].attr);
		snprintf(path, sizeof(path), "/sys/class/net/%s/macvtap_mq/%s",
			 ING, c->mq[i].attr);
		if (!path_exists(path))
			return fail("macvtap_mq has no '%s' attribute",
				    c->mq[i].attr);
		if (write_file(path, c->mq[i].val))
			return BENCH_ERR;
	}
	if (tap_node(s, ING, s->ing_tap, sizeof(s->ing_tap)) ||
	    tap_node(s, EGR, s->egr_tap, sizeof(s->egr_tap)))
		return BENCH_ERR;
	return BENCH_OK;
}

/* Added before the routers start: vr_sched applies them to new workers. */
static int add_rules(struct setup *s)
{
	const struct bench_config *c = s->cfg;
	uint32_t id;
	size_t i;

	for (i = 0; i < c->n_rule; i++) {
		if (vrs_rule_add(c->rule[i].dir, c->rule[i].cpus, &id))
			return BENCH_ERR;
		s->rule_ids = xrealloc(s->rule_ids,
				       (s->n_rules + 1) * sizeof(*s->rule_ids));
		s->rule_ids[s->n_rules++] = id;
	}
	return BENCH_OK;
}

int setup_open(struct setup *s, const struct bench_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	snprintf(s->nodes, sizeof(s->nodes), "/tmp/vrbench-nodes.XXXXXX");
	if (!mkdtemp(s->nodes)) {
		int err = errno;

		s->nodes[0] = '\0';
		return fail("mkdtemp /tmp/vrbench-nodes.XXXXXX: %s",
			    strerror(err));
	}
	if (make_links(s) || add_rules(s)) {
		setup_close(s);
		return BENCH_ERR;
	}
	return BENCH_OK;
}

/* Undo what setup_open did; what fails here is reported, not fatal. */
void setup_close(struct setup *s)
{
	char *pending = error_save();
	size_t i;

	for (i = 0; i < s->n_rules; i++)
		if (vrs_rule_del(s->rule_ids[i]))
			warn_line("vrbench: %s", bench_error());
	free(s->rule_ids);
	s->rule_ids = NULL;
	s->n_rules = 0;
	if (s->have_ing && RUN_QUIET("ip", "link", "del", ING) < 0)
		warn_line("vrbench: ip link del %s: %s", ING, bench_error());
	if (s->have_egr && RUN_QUIET("ip", "link", "del", EGR) < 0)
		warn_line("vrbench: ip link del %s: %s", EGR, bench_error());
	s->have_ing = s->have_egr = false;
	if (!s->nodes[0]) {
		error_restore(BENCH_OK, pending);
		return;
	}
	if (s->ing_tap[0] && unlink(s->ing_tap) && errno != ENOENT)
		warn_line("vrbench: unlink %s: %s", s->ing_tap,
			  strerror(errno));
	if (s->egr_tap[0] && unlink(s->egr_tap) && errno != ENOENT)
		warn_line("vrbench: unlink %s: %s", s->egr_tap,
			  strerror(errno));
	if (rmdir(s->nodes))
		warn_line("vrbench: rmdir %s: %s", s->nodes, strerror(errno));
	s->nodes[0] = s->ing_tap[0] = s->egr_tap[0] = '\0';
	error_restore(BENCH_OK, pending);
}

void setup_queue_stats(const struct setup *s, struct queue_stat **qs,
		       size_t *n)
{
	*qs = NULL;
	*n = 0;
	if (strcmp(s->cfg->link, "macvtap_mq"))
		return;
	if (vrs_link_queues(ING, qs, n) && debug_enabled())
		log_line("vrbench-debug: %s", bench_error());
}
