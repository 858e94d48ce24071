// SPDX-License-Identifier: GPL-2.0
/*
 * vrctl: show and tune pvr worker threads, rules and macvtap_mq links
 * through the vr_sched generic netlink family (iproute2 style).
 * See Documentation/vrctl.rst or "vrctl help".
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vr_sched.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static bool opt_json, opt_stats;
static struct mnl_socket *nl;
static uint16_t family_id;
static uint32_t monitor_grp;
static uint32_t seq;

/* ------------------------------------------------------------------ util */

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vrctl: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vrctl: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (try \"vrctl help\")\n");
	va_end(ap);
	exit(2);
}

static uint64_t parse_u64(const char *s, const char *what, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		usage_err("invalid %s \"%s\"", what, s);
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		usage_err("invalid %s \"%s\"", what, s);
	return v;
}

static int32_t parse_s32(const char *s, const char *what)
{
	long v;
	char *end;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || !*s || *end || v < INT32_MIN || v > INT32_MAX)
		usage_err("invalid %s \"%s\"", what, s);
	return v;
}

/* "170ms", "200us", "1s", "5000ns"; a bare number is nanoseconds. */
static uint64_t parse_time_ns(const char *s, const char *what)
{
	static const struct { const char *sfx; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { "", 1 },
	};
	unsigned long long v;
	unsigned int i;
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		usage_err("invalid %s \"%s\"", what, s);
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		usage_err("invalid %s \"%s\"", what, s);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].sfx))
			continue;
		if (v > UINT64_MAX / units[i].mul)
			usage_err("%s \"%s\" too large", what, s);
		return v * units[i].mul;
	}
	usage_err("invalid %s unit in \"%s\" (ns, us, ms or s)", what, s);
}

static bool matches(const char *arg, const char *word)
{
	return !strcmp(arg, word);
}

/* ------------------------------------------------------------------ json */

/* A tiny streaming JSON writer: enough for flat objects and arrays. */
static int jdepth;
static bool jfirst[16];

static void jsep(void)
{
	if (jdepth > 0 && !jfirst[jdepth])
		putchar(',');
	if (jdepth > 0)
		jfirst[jdepth] = false;
}

static void jstring(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void jkey(const char *k)
{
	jsep();
	if (k) {
		jstring(k);
		putchar(':');
	}
}

static void jopen(const char *k, char c)
{
	jkey(k);
	putchar(c);
	jfirst[++jdepth] = true;
}

static void jclose(char c)
{
	putchar(c);
	jdepth--;
}

static void jstr(const char *k, const char *v)
{
	jkey(k);
	jstring(v);
}

static void ju64(const char *k, uint64_t v)
{
	jkey(k);
	printf("%" PRIu64, v);
}

static void js64(const char *k, int64_t v)
{
	jkey(k);
	printf("%" PRId64, v);
}

static void jbool(const char *k, bool v)
{
	jkey(k);
	printf(v ? "true" : "false");
}

/* -------------------------------------------------------------- netlink */

struct tb {
	const struct nlattr **a;
	unsigned int max;
};

static int tb_cb(const struct nlattr *attr, void *data)
{
	struct tb *tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= tb->max)
		tb->a[type] = attr;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **a,
			 unsigned int max)
{
	struct tb tb = { a, max };

	memset(a, 0, (max + 1) * sizeof(*a));
	mnl_attr_parse_nested(nest, tb_cb, &tb);
}

static void parse_genl(const struct nlmsghdr *nlh, const struct nlattr **a,
		       unsigned int max)
{
	struct tb tb = { a, max };

	memset(a, 0, (max + 1) * sizeof(*a));
	mnl_attr_parse(nlh, GENL_HDRLEN, tb_cb, &tb);
}

/* Length-checked getters: a short attribute reads as 0 / "". */
static uint64_t get_uint(const struct nlattr *a)
{
	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		return mnl_attr_get_u64(a);
	}
	return 0;
}

static int32_t get_s32(const struct nlattr *a)
{
	if (!a || mnl_attr_get_payload_len(a) != 4)
		return 0;
	return (int32_t)mnl_attr_get_u32(a);
}

static const char *get_str(const struct nlattr *a)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return "";
	return mnl_attr_get_str(a);
}

static void print_extack(const struct nlmsghdr *nlh, int error)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	const char *msg = NULL;
	unsigned int off;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				msg = mnl_attr_get_str(attr);
		}
	}
	if (msg)
		fprintf(stderr, "Error: %s (%s)\n", msg, strerror(-error));
	else
		fprintf(stderr, "Error: %s\n", strerror(-error));
}

typedef void (*msg_cb_t)(const struct nlmsghdr *nlh, void *data);

/*
 * Receive the answer to request @rseq: data messages go to @cb, the final
 * ack or NLMSG_DONE ends it. Returns 0 or the negative errno the kernel
 * reported (after printing its extack message).
 */
static int nl_recv(uint32_t rseq, msg_cb_t cb, void *data)
{
	static char buf[1 << 16];
	uint32_t portid = mnl_socket_get_portid(nl);
	const struct nlmsghdr *nlh;
	ssize_t len;
	int rest;

	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0)
			die("netlink receive: %s", strerror(errno));
		nlh = (const struct nlmsghdr *)buf;
		rest = len;
		for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
			if (nlh->nlmsg_seq != rseq || nlh->nlmsg_pid != portid)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error)
					print_extack(nlh, e->error);
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int e = 0;

				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
					e = *(int *)mnl_nlmsg_get_payload(nlh);
				if (e)
					print_extack(nlh, e);
				return e;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				fprintf(stderr, "vrctl: dump interrupted by a change, listing may be inconsistent\n");
			if (cb)
				cb(nlh, data);
		}
	}
}

static int nl_send(struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("netlink send: %s", strerror(errno));
	return nlh->nlmsg_seq;
}

static struct nlmsghdr *genl_msg(char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VR_SCHED_GENL_VERSION;
	return nlh;
}

static void family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[CTRL_ATTR_MAX + 1], *grp, *g[CTRL_ATTR_MCAST_GRP_MAX + 1];

	(void)data;
	parse_genl(nlh, a, CTRL_ATTR_MAX);
	family_id = get_uint(a[CTRL_ATTR_FAMILY_ID]);
	if (!a[CTRL_ATTR_MCAST_GROUPS])
		return;
	mnl_attr_for_each_nested(grp, a[CTRL_ATTR_MCAST_GROUPS]) {
		parse_nested(grp, g, CTRL_ATTR_MCAST_GRP_MAX);
		if (!strcmp(get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    VR_SCHED_MCGRP_MONITOR))
			monitor_grp = get_uint(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static void nl_open(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("generic netlink socket: %s", strerror(errno));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	seq = time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VR_SCHED_GENL_NAME);
	nl_send(nlh);
	if (nl_recv(nlh->nlmsg_seq, family_cb, NULL) || !family_id)
		die("generic netlink family %s not found (is vr_sched loaded?)",
		    VR_SCHED_GENL_NAME);
}

/* ------------------------------------------------------------ names */

static const char *const dir_names[] = {
	[VR_SCHED_DIR_RX] = "rx", [VR_SCHED_DIR_TX] = "tx",
};

static const char *const thread_policy_names[] = {
	[VR_SCHED_THREAD_POLICY_OTHER] = "other",
	[VR_SCHED_THREAD_POLICY_FIFO] = "fifo",
	[VR_SCHED_THREAD_POLICY_RR] = "rr",
	[VR_SCHED_THREAD_POLICY_DEADLINE] = "deadline",
	[VR_SCHED_THREAD_POLICY_BATCH] = "batch",
	[VR_SCHED_THREAD_POLICY_IDLE] = "idle",
};

static const char *const link_policy_names[] = {
	[VR_SCHED_POLICY_RR] = "rr",
	[VR_SCHED_POLICY_HASH] = "hash",
	[VR_SCHED_POLICY_WRR] = "wrr",
};

static const char *const link_qmode_names[] = {
	[VR_SCHED_QMODE_STATIC] = "static",
	[VR_SCHED_QMODE_ADAPTIVE] = "adaptive",
};

static const struct { const char *name; uint32_t val; } mode_names[] = {
	{ "private", MACVLAN_MODE_PRIVATE }, { "vepa", MACVLAN_MODE_VEPA },
	{ "bridge", MACVLAN_MODE_BRIDGE }, { "passthru", MACVLAN_MODE_PASSTHRU },
	{ "source", MACVLAN_MODE_SOURCE },
};

#define NAME_OF(tab, v) \
	((v) < sizeof(tab) / sizeof(tab[0]) && (tab)[v] ? (tab)[v] : "unknown")

static unsigned int lookup(const char *const *tab, unsigned int n,
			   const char *s, const char *what)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		if (tab[i] && matches(s, tab[i]))
			return i;
	usage_err("unknown %s \"%s\"", what, s);
}

static const char *mode_name(uint32_t m)
{
	unsigned int i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (mode_names[i].val == m)
			return mode_names[i].name;
	return "unknown";
}

/* --------------------------------------------------------- sched attrs */

struct sched_args {
	bool has;
	uint32_t policy;
	bool has_nice, has_prio, has_runtime, has_deadline, has_period;
	int32_t nice;
	uint32_t prio;
	uint64_t runtime, deadline, period;
};

/* Consume "policy P", "nice N", "prio N", "runtime T", ...; returns args used. */
static int parse_sched_arg(int argc, char **argv, struct sched_args *s)
{
	if (argc < 2)
		return 0;
	if (matches(argv[0], "policy")) {
		s->has = true;
		s->policy = lookup(thread_policy_names,
				   sizeof(thread_policy_names) / sizeof(thread_policy_names[0]),
				   argv[1], "policy");
	} else if (matches(argv[0], "nice")) {
		s->has_nice = true;
		s->nice = parse_s32(argv[1], "nice");
	} else if (matches(argv[0], "prio")) {
		s->has_prio = true;
		s->prio = parse_u64(argv[1], "prio", UINT32_MAX);
	} else if (matches(argv[0], "runtime")) {
		s->has_runtime = true;
		s->runtime = parse_time_ns(argv[1], "runtime");
	} else if (matches(argv[0], "deadline")) {
		s->has_deadline = true;
		s->deadline = parse_time_ns(argv[1], "deadline");
	} else if (matches(argv[0], "period")) {
		s->has_period = true;
		s->period = parse_time_ns(argv[1], "period");
	} else {
		return 0;
	}
	return 2;
}

static void put_sched(struct nlmsghdr *nlh, int type, const struct sched_args *s)
{
	struct nlattr *nest;

	if (!s->has) {
		if (s->has_nice || s->has_prio || s->has_runtime ||
		    s->has_deadline || s->has_period)
			usage_err("scheduling parameters need a policy");
		return;
	}
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put_u32(nlh, VR_SCHED_A_SCHED_POLICY, s->policy);
	if (s->has_nice)
		mnl_attr_put_u32(nlh, VR_SCHED_A_SCHED_NICE, (uint32_t)s->nice);
	if (s->has_prio)
		mnl_attr_put_u32(nlh, VR_SCHED_A_SCHED_PRIO, s->prio);
	if (s->has_runtime)
		mnl_attr_put_u64(nlh, VR_SCHED_A_SCHED_RUNTIME, s->runtime);
	if (s->has_deadline)
		mnl_attr_put_u64(nlh, VR_SCHED_A_SCHED_DEADLINE, s->deadline);
	if (s->has_period)
		mnl_attr_put_u64(nlh, VR_SCHED_A_SCHED_PERIOD, s->period);
	mnl_attr_nest_end(nlh, nest);
}

static void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns && ns % 1000000000 == 0)
		snprintf(buf, len, "%" PRIu64 "s", ns / 1000000000);
	else if (ns && ns % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64 "ms", ns / 1000000);
	else if (ns && ns % 1000 == 0)
		snprintf(buf, len, "%" PRIu64 "us", ns / 1000);
	else
		snprintf(buf, len, "%" PRIu64 "ns", ns);
}

static void print_sched(const struct nlattr *nest)
{
	const struct nlattr *a[VR_SCHED_A_SCHED_MAX + 1];
	uint32_t policy;
	char b1[32], b2[32], b3[32];

	if (!nest)
		return;
	parse_nested(nest, a, VR_SCHED_A_SCHED_MAX);
	policy = get_uint(a[VR_SCHED_A_SCHED_POLICY]);
	if (opt_json) {
		jstr("policy", NAME_OF(thread_policy_names, policy));
		if (a[VR_SCHED_A_SCHED_NICE])
			js64("nice", get_s32(a[VR_SCHED_A_SCHED_NICE]));
		if (a[VR_SCHED_A_SCHED_PRIO])
			ju64("prio", get_uint(a[VR_SCHED_A_SCHED_PRIO]));
		if (a[VR_SCHED_A_SCHED_RUNTIME])
			ju64("runtime_ns", get_uint(a[VR_SCHED_A_SCHED_RUNTIME]));
		if (a[VR_SCHED_A_SCHED_DEADLINE])
			ju64("deadline_ns", get_uint(a[VR_SCHED_A_SCHED_DEADLINE]));
		if (a[VR_SCHED_A_SCHED_PERIOD])
			ju64("period_ns", get_uint(a[VR_SCHED_A_SCHED_PERIOD]));
		return;
	}
	printf(" policy %s", NAME_OF(thread_policy_names, policy));
	if (a[VR_SCHED_A_SCHED_NICE])
		printf(" nice %d", get_s32(a[VR_SCHED_A_SCHED_NICE]));
	if (a[VR_SCHED_A_SCHED_PRIO])
		printf(" prio %" PRIu64, get_uint(a[VR_SCHED_A_SCHED_PRIO]));
	if (a[VR_SCHED_A_SCHED_RUNTIME]) {
		fmt_ns(b1, sizeof(b1), get_uint(a[VR_SCHED_A_SCHED_RUNTIME]));
		fmt_ns(b2, sizeof(b2), get_uint(a[VR_SCHED_A_SCHED_DEADLINE]));
		fmt_ns(b3, sizeof(b3), get_uint(a[VR_SCHED_A_SCHED_PERIOD]));
		printf(" runtime %s deadline %s period %s", b1, b2, b3);
	}
}

/* --------------------------------------------------------------- workers */

static void print_worker(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_WORKER_MAX + 1];
	const struct nlattr *s[VR_SCHED_A_STATS_MAX + 1];
	const char *prefix = data;

	parse_genl(nlh, a, VR_SCHED_A_WORKER_MAX);
	memset(s, 0, sizeof(s));
	if (a[VR_SCHED_A_WORKER_STATS])
		parse_nested(a[VR_SCHED_A_WORKER_STATS], s, VR_SCHED_A_STATS_MAX);
	if (opt_json) {
		jopen(NULL, '{');
		if (prefix)
			jstr("event", prefix);
		ju64("id", get_uint(a[VR_SCHED_A_WORKER_ID]));
		jstr("dir", NAME_OF(dir_names, get_uint(a[VR_SCHED_A_WORKER_DIR])));
		ju64("tid", get_uint(a[VR_SCHED_A_WORKER_TID]));
		ju64("owner_pid", get_uint(a[VR_SCHED_A_WORKER_OWNER_PID]));
		jstr("owner_comm", get_str(a[VR_SCHED_A_WORKER_OWNER_COMM]));
		ju64("dev_id", get_uint(a[VR_SCHED_A_WORKER_DEV_ID]));
		jstr("kind", get_str(a[VR_SCHED_A_WORKER_KIND]));
		jstr("cpus", get_str(a[VR_SCHED_A_WORKER_CPUS]));
		print_sched(a[VR_SCHED_A_WORKER_SCHED]);
		if (opt_stats || prefix) {
			jopen("stats", '{');
			ju64("packets", get_uint(s[VR_SCHED_A_STATS_PACKETS]));
			ju64("bytes", get_uint(s[VR_SCHED_A_STATS_BYTES]));
			ju64("wakeups", get_uint(s[VR_SCHED_A_STATS_WAKEUPS]));
			ju64("busy_ns", get_uint(s[VR_SCHED_A_STATS_BUSY_NS]));
			jclose('}');
		}
		jclose('}');
		if (prefix) {
			putchar('\n');
			fflush(stdout);
		}
		return;
	}
	if (prefix)
		printf("[%s] ", prefix);
	printf("worker %" PRIu64 " dir %s tid %" PRIu64 " owner %" PRIu64 "/%s dev %" PRIu64 " kind %s cpus %s",
	       get_uint(a[VR_SCHED_A_WORKER_ID]),
	       NAME_OF(dir_names, get_uint(a[VR_SCHED_A_WORKER_DIR])),
	       get_uint(a[VR_SCHED_A_WORKER_TID]),
	       get_uint(a[VR_SCHED_A_WORKER_OWNER_PID]),
	       get_str(a[VR_SCHED_A_WORKER_OWNER_COMM]),
	       get_uint(a[VR_SCHED_A_WORKER_DEV_ID]),
	       get_str(a[VR_SCHED_A_WORKER_KIND]),
	       get_str(a[VR_SCHED_A_WORKER_CPUS]));
	print_sched(a[VR_SCHED_A_WORKER_SCHED]);
	printf("\n");
	if (opt_stats)
		printf("    packets %" PRIu64 " bytes %" PRIu64 " wakeups %" PRIu64 " busy_ns %" PRIu64 "\n",
		       get_uint(s[VR_SCHED_A_STATS_PACKETS]),
		       get_uint(s[VR_SCHED_A_STATS_BYTES]),
		       get_uint(s[VR_SCHED_A_STATS_WAKEUPS]),
		       get_uint(s[VR_SCHED_A_STATS_BUSY_NS]));
	fflush(stdout);
}

/* "show" of any object: a do request for one id, or a dump. */
static int do_show(uint8_t cmd, int id_attr, const char *id, msg_cb_t cb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = genl_msg(buf, cmd, id ? 0 : NLM_F_DUMP);
	if (id)
		mnl_attr_put_u32(nlh, id_attr, parse_u64(id, "id", UINT32_MAX));
	if (opt_json)
		jopen(NULL, '[');
	err = nl_recv(nl_send(nlh), cb, NULL);
	if (opt_json) {
		jclose(']');
		putchar('\n');
	}
	return err ? 1 : 0;
}

static int cmd_worker(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct sched_args s = { 0 };
	struct nlmsghdr *nlh;
	const char *cpus = NULL;
	int n;

	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list")) {
		if (argc > 2)
			usage_err("worker show takes at most one id");
		return do_show(VR_SCHED_CMD_WORKER_GET, VR_SCHED_A_WORKER_ID,
			       argc == 2 ? argv[1] : NULL, print_worker);
	}
	if (!matches(argv[0], "set"))
		usage_err("unknown worker command \"%s\"", argv[0]);
	if (argc < 2)
		usage_err("worker set needs an id");
	nlh = genl_msg(buf, VR_SCHED_CMD_WORKER_SET, 0);
	mnl_attr_put_u32(nlh, VR_SCHED_A_WORKER_ID,
			 parse_u64(argv[1], "id", UINT32_MAX));
	argc -= 2;
	argv += 2;
	while (argc > 0) {
		if (argc >= 2 && matches(argv[0], "cpus")) {
			cpus = argv[1];
			n = 2;
		} else {
			n = parse_sched_arg(argc, argv, &s);
		}
		if (!n)
			usage_err("unknown or incomplete argument \"%s\"", argv[0]);
		argc -= n;
		argv += n;
	}
	if (!cpus && !s.has)
		usage_err("worker set needs cpus and/or policy");
	if (cpus)
		mnl_attr_put_strz(nlh, VR_SCHED_A_WORKER_CPUS, cpus);
	put_sched(nlh, VR_SCHED_A_WORKER_SCHED, &s);
	return nl_recv(nl_send(nlh), NULL, NULL) ? 1 : 0;
}

/* ----------------------------------------------------------------- rules */

static void print_rule(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_RULE_MAX + 1];

	(void)data;
	parse_genl(nlh, a, VR_SCHED_A_RULE_MAX);
	if (opt_json) {
		jopen(NULL, '{');
		ju64("id", get_uint(a[VR_SCHED_A_RULE_ID]));
		if (a[VR_SCHED_A_RULE_DIR])
			jstr("dir", NAME_OF(dir_names, get_uint(a[VR_SCHED_A_RULE_DIR])));
		if (a[VR_SCHED_A_RULE_COMM])
			jstr("comm", get_str(a[VR_SCHED_A_RULE_COMM]));
		if (a[VR_SCHED_A_RULE_PID])
			ju64("pid", get_uint(a[VR_SCHED_A_RULE_PID]));
		if (a[VR_SCHED_A_RULE_CPUS])
			jstr("cpus", get_str(a[VR_SCHED_A_RULE_CPUS]));
		print_sched(a[VR_SCHED_A_RULE_SCHED]);
		jclose('}');
		return;
	}
	printf("rule %" PRIu64, get_uint(a[VR_SCHED_A_RULE_ID]));
	if (a[VR_SCHED_A_RULE_DIR])
		printf(" dir %s", NAME_OF(dir_names, get_uint(a[VR_SCHED_A_RULE_DIR])));
	if (a[VR_SCHED_A_RULE_COMM])
		printf(" comm %s", get_str(a[VR_SCHED_A_RULE_COMM]));
	if (a[VR_SCHED_A_RULE_PID])
		printf(" pid %" PRIu64, get_uint(a[VR_SCHED_A_RULE_PID]));
	if (!a[VR_SCHED_A_RULE_DIR] && !a[VR_SCHED_A_RULE_COMM] &&
	    !a[VR_SCHED_A_RULE_PID])
		printf(" any");
	if (a[VR_SCHED_A_RULE_CPUS])
		printf(" cpus %s", get_str(a[VR_SCHED_A_RULE_CPUS]));
	print_sched(a[VR_SCHED_A_RULE_SCHED]);
	printf("\n");
}

static int cmd_rule(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct sched_args s = { 0 };
	struct nlmsghdr *nlh;
	int n, err;

	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list")) {
		if (argc > 2)
			usage_err("rule show takes at most one id");
		return do_show(VR_SCHED_CMD_RULE_GET, VR_SCHED_A_RULE_ID,
			       argc == 2 ? argv[1] : NULL, print_rule);
	}
	if (matches(argv[0], "del") || matches(argv[0], "delete")) {
		if (argc != 2)
			usage_err("rule del needs exactly one id");
		nlh = genl_msg(buf, VR_SCHED_CMD_RULE_DEL, 0);
		mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_ID,
				 parse_u64(argv[1], "id", UINT32_MAX));
		return nl_recv(nl_send(nlh), NULL, NULL) ? 1 : 0;
	}
	if (!matches(argv[0], "add"))
		usage_err("unknown rule command \"%s\"", argv[0]);
	nlh = genl_msg(buf, VR_SCHED_CMD_RULE_ADD, 0);
	argc--;
	argv++;
	while (argc > 0) {
		n = 2;
		if (argc >= 2 && matches(argv[0], "dir"))
			mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_DIR,
					 lookup(dir_names, 3, argv[1], "dir"));
		else if (argc >= 2 && matches(argv[0], "comm"))
			mnl_attr_put_strz(nlh, VR_SCHED_A_RULE_COMM, argv[1]);
		else if (argc >= 2 && matches(argv[0], "pid"))
			mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_PID,
					 parse_u64(argv[1], "pid", UINT32_MAX));
		else if (argc >= 2 && matches(argv[0], "cpus"))
			mnl_attr_put_strz(nlh, VR_SCHED_A_RULE_CPUS, argv[1]);
		else if (matches(argv[0], "any"))
			n = 1;
		else
			n = parse_sched_arg(argc, argv, &s);
		if (!n)
			usage_err("unknown or incomplete argument \"%s\"", argv[0]);
		argc -= n;
		argv += n;
	}
	put_sched(nlh, VR_SCHED_A_RULE_SCHED, &s);
	if (opt_json)
		jopen(NULL, '[');
	err = nl_recv(nl_send(nlh), print_rule, NULL);
	if (opt_json) {
		jclose(']');
		putchar('\n');
	}
	return err ? 1 : 0;
}

/* ----------------------------------------------------------------- links */

static void print_link(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_LINK_MAX + 1];
	const struct nlattr *q[VR_SCHED_A_QUEUE_MAX + 1];
	const char *prefix = data;
	const struct nlattr *attr;
	unsigned int nq = 0, nw = 0;

	parse_genl(nlh, a, VR_SCHED_A_LINK_MAX);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == VR_SCHED_A_LINK_QUEUE)
			nq++;
	}
	if (opt_json) {
		jopen(NULL, '{');
		if (prefix)
			jstr("event", prefix);
		ju64("ifindex", get_uint(a[VR_SCHED_A_LINK_IFINDEX]));
		jstr("name", get_str(a[VR_SCHED_A_LINK_NAME]));
		jstr("mode", mode_name(get_uint(a[VR_SCHED_A_LINK_MODE])));
		jstr("policy", NAME_OF(link_policy_names, get_uint(a[VR_SCHED_A_LINK_POLICY])));
		ju64("limit", get_uint(a[VR_SCHED_A_LINK_LIMIT]));
		jbool("skip_full", get_uint(a[VR_SCHED_A_LINK_SKIP_FULL]));
		jstr("qmode", NAME_OF(link_qmode_names, get_uint(a[VR_SCHED_A_LINK_QMODE])));
		ju64("target_us", get_uint(a[VR_SCHED_A_LINK_TARGET_US]));
		ju64("limit_min", get_uint(a[VR_SCHED_A_LINK_LIMIT_MIN]));
		ju64("limit_max", get_uint(a[VR_SCHED_A_LINK_LIMIT_MAX]));
		ju64("interval_us", get_uint(a[VR_SCHED_A_LINK_INTERVAL_US]));
		jopen("weights", '[');
		mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(attr) == VR_SCHED_A_LINK_WEIGHT)
				ju64(NULL, get_uint(attr));
		jclose(']');
		jopen("queues", '[');
	} else {
		if (prefix)
			printf("[%s] ", prefix);
		printf("link %" PRIu64 " %s mode %s policy %s limit %" PRIu64 " skip-full %s weights ",
		       get_uint(a[VR_SCHED_A_LINK_IFINDEX]),
		       get_str(a[VR_SCHED_A_LINK_NAME]),
		       mode_name(get_uint(a[VR_SCHED_A_LINK_MODE])),
		       NAME_OF(link_policy_names, get_uint(a[VR_SCHED_A_LINK_POLICY])),
		       get_uint(a[VR_SCHED_A_LINK_LIMIT]),
		       get_uint(a[VR_SCHED_A_LINK_SKIP_FULL]) ? "on" : "off");
		mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(attr) == VR_SCHED_A_LINK_WEIGHT)
				printf("%s%" PRIu64, nw++ ? "," : "", get_uint(attr));
		printf("%s queues %u\n", nw ? "" : "-", nq);
		printf("    qmode %s target-us %" PRIu64 " limit-min %" PRIu64 " limit-max %" PRIu64 " interval-us %" PRIu64 "\n",
		       NAME_OF(link_qmode_names, get_uint(a[VR_SCHED_A_LINK_QMODE])),
		       get_uint(a[VR_SCHED_A_LINK_TARGET_US]),
		       get_uint(a[VR_SCHED_A_LINK_LIMIT_MIN]),
		       get_uint(a[VR_SCHED_A_LINK_LIMIT_MAX]),
		       get_uint(a[VR_SCHED_A_LINK_INTERVAL_US]));
	}
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != VR_SCHED_A_LINK_QUEUE)
			continue;
		parse_nested(attr, q, VR_SCHED_A_QUEUE_MAX);
		if (opt_json) {
			jopen(NULL, '{');
			ju64("index", get_uint(q[VR_SCHED_A_QUEUE_INDEX]));
			jbool("enabled", get_uint(q[VR_SCHED_A_QUEUE_ENABLED]));
			ju64("enqueued", get_uint(q[VR_SCHED_A_QUEUE_ENQUEUED]));
			ju64("early_drops", get_uint(q[VR_SCHED_A_QUEUE_EARLY_DROPS]));
			ju64("full_drops", get_uint(q[VR_SCHED_A_QUEUE_FULL_DROPS]));
			ju64("occupancy", get_uint(q[VR_SCHED_A_QUEUE_OCCUPANCY]));
			ju64("eff_limit", get_uint(q[VR_SCHED_A_QUEUE_EFF_LIMIT]));
			ju64("drain_pps", get_uint(q[VR_SCHED_A_QUEUE_DRAIN_RATE]));
			ju64("delay_us", get_uint(q[VR_SCHED_A_QUEUE_DELAY_US]));
			ju64("stale_drops", get_uint(q[VR_SCHED_A_QUEUE_STALE_DROPS]));
			jclose('}');
		} else if (opt_stats) {
			printf("    queue %" PRIu64 " %s enqueued %" PRIu64 " early_drops %" PRIu64 " full_drops %" PRIu64 " occupancy %" PRIu64
			       " eff_limit %" PRIu64 " drain_pps %" PRIu64 " delay_us %" PRIu64 " stale_drops %" PRIu64 "\n",
			       get_uint(q[VR_SCHED_A_QUEUE_INDEX]),
			       get_uint(q[VR_SCHED_A_QUEUE_ENABLED]) ? "enabled" : "detached",
			       get_uint(q[VR_SCHED_A_QUEUE_ENQUEUED]),
			       get_uint(q[VR_SCHED_A_QUEUE_EARLY_DROPS]),
			       get_uint(q[VR_SCHED_A_QUEUE_FULL_DROPS]),
			       get_uint(q[VR_SCHED_A_QUEUE_OCCUPANCY]),
			       get_uint(q[VR_SCHED_A_QUEUE_EFF_LIMIT]),
			       get_uint(q[VR_SCHED_A_QUEUE_DRAIN_RATE]),
			       get_uint(q[VR_SCHED_A_QUEUE_DELAY_US]),
			       get_uint(q[VR_SCHED_A_QUEUE_STALE_DROPS]));
		}
	}
	if (opt_json) {
		jclose(']');
		jclose('}');
		if (prefix)
			putchar('\n');
	}
	fflush(stdout);
}

static void put_weights(struct nlmsghdr *nlh, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy)
		die("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_WEIGHT,
				 parse_u64(tok, "weight", UINT32_MAX));
	free(copy);
}

/* The mode is a macvlan attribute: set it with rtnetlink changelink. */
static int set_link_mode(const char *dev, const char *mode)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *rt = nl;
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	unsigned int i, ifindex;
	uint32_t val = 0;
	int one = 1, err;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (matches(mode, mode_names[i].name))
			val = mode_names[i].val;
	if (!val)
		usage_err("unknown mode \"%s\"", mode);
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		die("cannot find device \"%s\"", dev);

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink socket: %s", strerror(errno));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvtap_mq");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, val);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	err = nl_recv(nl_send(nlh), NULL, NULL);
	mnl_socket_close(nl);
	nl = rt;
	return err;
}

static void link_mode_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_LINK_MAX + 1];

	parse_genl(nlh, a, VR_SCHED_A_LINK_MAX);
	*(uint32_t *)data = get_uint(a[VR_SCHED_A_LINK_MODE]);
}

static uint32_t get_link_mode(const char *dev)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint32_t mode = 0;

	nlh = genl_msg(buf, VR_SCHED_CMD_LINK_GET, 0);
	mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, dev);
	if (nl_recv(nl_send(nlh), link_mode_cb, &mode))
		exit(1);
	return mode;
}

/*
 * rtnetlink silently ignores IFLA_INFO_DATA for a kind without a policy,
 * so check that the mode really changed.
 */
static int set_link_mode_checked(const char *dev, const char *mode)
{
	uint32_t got;

	if (set_link_mode(dev, mode))
		return 1;
	got = get_link_mode(dev);
	if (strcmp(mode_name(got), mode)) {
		fprintf(stderr, "Error: the kernel ignored the mode: the link is still in mode %s (its kind does not support changing the mode)\n",
			mode_name(got));
		return 1;
	}
	return 0;
}

static int cmd_link(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	const char *mode = NULL, *dev;
	bool any = false;
	int err;

	if (argc == 0 || matches(argv[0], "show") || matches(argv[0], "list")) {
		if (argc > 2)
			usage_err("link show takes at most one device");
		nlh = genl_msg(buf, VR_SCHED_CMD_LINK_GET, argc == 2 ? 0 : NLM_F_DUMP);
		if (argc == 2)
			mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, argv[1]);
		if (opt_json)
			jopen(NULL, '[');
		err = nl_recv(nl_send(nlh), print_link, NULL);
		if (opt_json) {
			jclose(']');
			putchar('\n');
		}
		return err ? 1 : 0;
	}
	if (!matches(argv[0], "set"))
		usage_err("unknown link command \"%s\"", argv[0]);
	if (argc < 2)
		usage_err("link set needs a device");
	dev = argv[1];
	nlh = genl_msg(buf, VR_SCHED_CMD_LINK_SET, 0);
	mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, dev);
	for (argc -= 2, argv += 2; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2)
			usage_err("argument \"%s\" needs a value", argv[0]);
		if (matches(argv[0], "policy")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_POLICY,
					 lookup(link_policy_names, 4, argv[1], "policy"));
		} else if (matches(argv[0], "limit")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_LIMIT,
					 parse_u64(argv[1], "limit", UINT32_MAX));
		} else if (matches(argv[0], "skip-full")) {
			if (!matches(argv[1], "on") && !matches(argv[1], "off"))
				usage_err("skip-full takes on or off");
			mnl_attr_put_u8(nlh, VR_SCHED_A_LINK_SKIP_FULL,
					matches(argv[1], "on"));
		} else if (matches(argv[0], "weights")) {
			put_weights(nlh, argv[1]);
		} else if (matches(argv[0], "qmode")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_QMODE,
					 lookup(link_qmode_names, 3, argv[1], "qmode"));
		} else if (matches(argv[0], "target-us")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_TARGET_US,
					 parse_u64(argv[1], "target-us", UINT32_MAX));
		} else if (matches(argv[0], "limit-min")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_LIMIT_MIN,
					 parse_u64(argv[1], "limit-min", UINT32_MAX));
		} else if (matches(argv[0], "limit-max")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_LIMIT_MAX,
					 parse_u64(argv[1], "limit-max", UINT32_MAX));
		} else if (matches(argv[0], "interval-us")) {
			mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_INTERVAL_US,
					 parse_u64(argv[1], "interval-us", UINT32_MAX));
		} else if (matches(argv[0], "mode")) {
			mode = argv[1];
			continue;
		} else {
			usage_err("unknown argument \"%s\"", argv[0]);
		}
		any = true;
	}
	if (!any && !mode)
		usage_err("link set needs policy, limit, skip-full, weights, qmode (and its parameters) or mode");
	if (mode && set_link_mode_checked(dev, mode))
		return 1;
	if (!any)
		return 0;
	return nl_recv(nl_send(nlh), NULL, NULL) ? 1 : 0;
}

/* --------------------------------------------------------------- monitor */

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (nlh->nlmsg_type != family_id)
		return MNL_CB_OK;
	switch (g->cmd) {
	case VR_SCHED_CMD_WORKER_NEW_NTF:
		print_worker(nlh, "worker new");
		break;
	case VR_SCHED_CMD_WORKER_DEL_NTF:
		print_worker(nlh, "worker del");
		break;
	case VR_SCHED_CMD_LINK_NEW_NTF:
		print_link(nlh, "link new");
		break;
	case VR_SCHED_CMD_LINK_DEL_NTF:
		print_link(nlh, "link del");
		break;
	case VR_SCHED_CMD_LINK_CHANGE_NTF:
		print_link(nlh, "link change");
		break;
	}
	return MNL_CB_OK;
}

static int cmd_monitor(int argc, char **argv)
{
	static char buf[1 << 16];
	ssize_t len;

	(void)argv;
	if (argc)
		usage_err("monitor takes no arguments");
	if (!monitor_grp)
		die("the %s family has no %s group", VR_SCHED_GENL_NAME,
		    VR_SCHED_MCGRP_MONITOR);
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &monitor_grp,
				  sizeof(monitor_grp)) < 0)
		die("join the monitor group: %s", strerror(errno));
	if (!opt_json)
		printf("# monitoring %s\n", VR_SCHED_GENL_NAME);
	else
		jdepth = 0;
	fflush(stdout);
	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "vrctl: monitor overrun, events lost\n");
				continue;
			}
			die("netlink receive: %s", strerror(errno));
		}
		mnl_cb_run(buf, len, 0, 0, monitor_cb, NULL);
	}
}

/* ------------------------------------------------------------------ main */

static void help(FILE *f)
{
	fprintf(f,
"Usage: vrctl [-j] [-s] OBJECT COMMAND [ARGS]\n"
"  -j   JSON output     -s   counters (worker packets, link queues)\n"
"\n"
"  vrctl worker show [ID]\n"
"  vrctl worker set ID [cpus LIST] [policy POLICY [PARAMS]]\n"
"  vrctl rule add [dir rx|tx] [comm COMM] [pid PID] [cpus LIST]\n"
"                 [policy POLICY [PARAMS]]\n"
"  vrctl rule del ID\n"
"  vrctl rule show [ID]\n"
"  vrctl link show [DEV]\n"
"  vrctl link set DEV [policy rr|hash|wrr] [limit N] [skip-full on|off]\n"
"                 [weights W0,W1,...] [mode private|vepa|bridge|passthru|source]\n"
"                 [qmode static|adaptive] [target-us N] [limit-min N]\n"
"                 [limit-max N] [interval-us N]\n"
"  vrctl monitor\n"
"  vrctl help\n"
"\n"
"  LIST    cpu list, e.g. 2-3,6\n"
"  POLICY  other [nice N] | batch [nice N] | idle | fifo prio N | rr prio N |\n"
"          deadline runtime T deadline T [period T]\n"
"  T       time: 170ms, 200us, 1s, 5000ns (a bare number is ns)\n"
"  qmode   adaptive: per-queue limit = drain rate x target-us (target queue\n"
"          delay), within limit-min..limit-max packets, updated every\n"
"          interval-us; static: the fixed limit\n"
"\n"
"Rules match workers when they start (all given matches must hold; no match\n"
"means any worker) and apply in ascending id order, later rules overriding\n"
"the cpus or policy an earlier one set. Changes need CAP_NET_ADMIN.\n");
}

int main(int argc, char **argv)
{
	const char *obj;
	int c, ret;

	/* Like "ip", take -j and -s before the object; also accept them last. */
	while (argc > 2 && (matches(argv[argc - 1], "-s") ||
			    matches(argv[argc - 1], "-j"))) {
		if (matches(argv[--argc], "-s"))
			opt_stats = true;
		else
			opt_json = true;
	}
	while ((c = getopt(argc, argv, "+jsh")) != -1) {
		switch (c) {
		case 'j':
			opt_json = true;
			break;
		case 's':
			opt_stats = true;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		help(stderr);
		return 2;
	}
	obj = argv[0];
	if (matches(obj, "help")) {
		help(stdout);
		return 0;
	}
	nl_open();
	if (matches(obj, "worker") || matches(obj, "workers"))
		ret = cmd_worker(argc - 1, argv + 1);
	else if (matches(obj, "rule") || matches(obj, "rules"))
		ret = cmd_rule(argc - 1, argv + 1);
	else if (matches(obj, "link") || matches(obj, "links"))
		ret = cmd_link(argc - 1, argv + 1);
	else if (matches(obj, "monitor"))
		ret = cmd_monitor(argc - 1, argv + 1);
	else
		usage_err("unknown object \"%s\"", obj);
	mnl_socket_close(nl);
	return ret;
}
