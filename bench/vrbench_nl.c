// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: the vr_sched generic netlink family (include/uapi/linux/
 * vr_sched.h, Documentation/netlink/specs/vr_sched.yaml): rules for the
 * routers' vhost workers and the ingress link's per-queue counters. The
 * socket is opened in the bench's network namespace, where the links are;
 * rules are host-wide.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vr_sched.h>

#include "vrbench.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/*
 * The per-queue attributes and the names vrctl -j -s link show gives them;
 * the CSV's queue_drop_kinds and queue_state use these names (sorted). A
 * new *_drops attribute belongs in the drop table: every drop kind other
 * than full_drops counts as an early drop.
 */
const char *const queue_drop_names[N_QUEUE_DROPS] = {
	[QD_EARLY] = "early_drops",
	[QD_FULL] = "full_drops",
	[QD_STALE] = "stale_drops",
};

static const int queue_drop_attrs[N_QUEUE_DROPS] = {
	[QD_EARLY] = VR_SCHED_A_QUEUE_EARLY_DROPS,
	[QD_FULL] = VR_SCHED_A_QUEUE_FULL_DROPS,
	[QD_STALE] = VR_SCHED_A_QUEUE_STALE_DROPS,
};

/* Controller state: every other numeric field but index and enqueued. */
const char *const queue_state_names[N_QUEUE_STATES] = {
	[QS_DELAY_US] = "delay_us",
	[QS_DRAIN_PPS] = "drain_pps",
	[QS_EFF_LIMIT] = "eff_limit",
};

static const int queue_state_attrs[N_QUEUE_STATES] = {
	[QS_DELAY_US] = VR_SCHED_A_QUEUE_DELAY_US,
	[QS_DRAIN_PPS] = VR_SCHED_A_QUEUE_DRAIN_RATE,
	[QS_EFF_LIMIT] = VR_SCHED_A_QUEUE_EFF_LIMIT,
};

static struct mnl_socket *nl;
static uint16_t family_id;
static uint32_t seq;

typedef int (*msg_cb)(const struct nlmsghdr *nlh, void *data);

struct attr_table {
	const struct nlattr **a;
	unsigned int max;
};

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->a[type] = attr;
	return MNL_CB_OK;
}

/* Length-checked, as vrctl reads them: a missing attribute reads as 0. */
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

static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	unsigned int off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

static int request_failed(const char *what, const struct nlmsghdr *nlh,
			  int error)
{
	const char *msg = extack_msg(nlh);

	if (msg)
		return fail("%s: %s (%s)", what, msg, strerror(-error));
	return fail("%s: %s", what, strerror(-error));
}

/*
 * Send @nlh and read its answer: data messages go to @cb, the ack (or
 * NLMSG_DONE) ends it. @what names the request in an error.
 */
static int transact(struct nlmsghdr *nlh, const char *what, msg_cb cb,
		    void *data)
{
	static char buf[1 << 16];
	uint32_t portid = mnl_socket_get_portid(nl);
	uint32_t rseq = nlh->nlmsg_seq;
	const struct nlmsghdr *m;
	ssize_t len;
	int rest;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return fail("%s: netlink send: %s", what, strerror(errno));
	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EINTR && !bench_stop)
				continue;
			return fail("%s: netlink receive: %s", what,
				    strerror(errno));
		}
		m = (const struct nlmsghdr *)buf;
		rest = len;
		for (; mnl_nlmsg_ok(m, rest); m = mnl_nlmsg_next(m, &rest)) {
			if (m->nlmsg_seq != rseq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(m);

				if (e->error)
					return request_failed(what, m,
							      e->error);
				return BENCH_OK;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				int e = 0;

				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					memcpy(&e, mnl_nlmsg_get_payload(m),
					       sizeof(e));
				if (e)
					return request_failed(what, m, e);
				return BENCH_OK;
			}
			if (cb && cb(m, data))
				return BENCH_ERR;
		}
	}
}

static struct nlmsghdr *put_request(char *buf, uint16_t type, uint8_t cmd,
				    uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[CTRL_ATTR_MAX + 1] = { 0 };
	struct attr_table t = { a, CTRL_ATTR_MAX };

	(void)data;
	mnl_attr_parse(nlh, GENL_HDRLEN, attr_table_cb, &t);
	family_id = get_uint(a[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

/* Opened on first use; a vr_sched loaded later is found on the next one. */
static int nl_open(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int one = 1;

	if (nl && family_id)
		return BENCH_OK;
	if (!nl) {
		nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
		if (!nl)
			return fail("generic netlink socket: %s",
				    strerror(errno));
		if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			int err = errno;

			vrs_close();
			return fail("generic netlink bind: %s", strerror(err));
		}
		/*
		 * Extended acks carry the kernel's reason for a refusal; a
		 * kernel without them still answers, only less helpfully,
		 * so their absence is not an error.
		 */
		(void)mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one,
					    sizeof(one));
		(void)mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one,
					    sizeof(one));
		seq = time(NULL);
	}
	nlh = put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VR_SCHED_GENL_NAME);
	if (transact(nlh, "generic netlink family lookup", family_cb, NULL) ||
	    !family_id)
		return fail("generic netlink family %s not found (is vr_sched loaded?)",
			    VR_SCHED_GENL_NAME);
	return BENCH_OK;
}

void vrs_close(void)
{
	if (nl)
		mnl_socket_close(nl);
	nl = NULL;
	family_id = 0;
}

/* ---------------------------------------------------------------- rules */

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_RULE_MAX + 1] = { 0 };
	struct attr_table t = { a, VR_SCHED_A_RULE_MAX };
	int64_t *id = data;

	mnl_attr_parse(nlh, GENL_HDRLEN, attr_table_cb, &t);
	if (a[VR_SCHED_A_RULE_ID])
		*id = get_uint(a[VR_SCHED_A_RULE_ID]);
	return 0;
}

/* RULE_ADD answers with the rule it added: its id is what RULE_DEL takes. */
int vrs_rule_add(const char *dir, const char *cpus, uint32_t *id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[160];
	struct nlmsghdr *nlh;
	int64_t got = -1;

	if (strcmp(dir, "any"))
		snprintf(what, sizeof(what), "vr_sched rule add dir %s cpus %s",
			 dir, cpus);
	else
		snprintf(what, sizeof(what), "vr_sched rule add cpus %s", cpus);
	if (nl_open())
		return BENCH_ERR;
	nlh = put_request(buf, family_id, VR_SCHED_CMD_RULE_ADD,
			  VR_SCHED_GENL_VERSION);
	if (!strcmp(dir, "rx"))
		mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_DIR, VR_SCHED_DIR_RX);
	else if (!strcmp(dir, "tx"))
		mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_DIR, VR_SCHED_DIR_TX);
	mnl_attr_put_strz(nlh, VR_SCHED_A_RULE_CPUS, cpus);
	if (transact(nlh, what, rule_cb, &got))
		return BENCH_ERR;
	if (got < 0)
		return fail("%s: the answer carries no rule id", what);
	*id = got;
	return BENCH_OK;
}

int vrs_rule_del(uint32_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[64];
	struct nlmsghdr *nlh;

	snprintf(what, sizeof(what), "vr_sched rule del %u", id);
	if (nl_open())
		return BENCH_ERR;
	nlh = put_request(buf, family_id, VR_SCHED_CMD_RULE_DEL,
			  VR_SCHED_GENL_VERSION);
	mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_ID, id);
	return transact(nlh, what, NULL, NULL);
}

/* ---------------------------------------------------------------- links */

struct queue_list {
	struct queue_stat *q;
	size_t n;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a[VR_SCHED_A_QUEUE_MAX + 1];
	struct attr_table t = { a, VR_SCHED_A_QUEUE_MAX };
	struct queue_list *ql = data;
	const struct nlattr *attr;
	struct queue_stat *q;
	unsigned int i;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != VR_SCHED_A_LINK_QUEUE)
			continue;
		memset(a, 0, sizeof(a));
		mnl_attr_parse_nested(attr, attr_table_cb, &t);
		ql->q = xrealloc(ql->q, (ql->n + 1) * sizeof(*ql->q));
		q = &ql->q[ql->n];
		memset(q, 0, sizeof(*q));
		q->pos = ql->n++;
		q->index = get_uint(a[VR_SCHED_A_QUEUE_INDEX]);
		q->enqueued = get_uint(a[VR_SCHED_A_QUEUE_ENQUEUED]);
		q->occupancy = get_uint(a[VR_SCHED_A_QUEUE_OCCUPANCY]);
		for (i = 0; i < N_QUEUE_DROPS; i++)
			q->drops[i] = get_uint(a[queue_drop_attrs[i]]);
		for (i = 0; i < N_QUEUE_STATES; i++)
			q->state[i] = get_uint(a[queue_state_attrs[i]]);
	}
	return 0;
}

static int queue_cmp(const void *x, const void *y)
{
	const struct queue_stat *a = x, *b = y;

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* LINK_GET by name: one nest per queue, sorted here by queue index. */
int vrs_link_queues(const char *name, struct queue_stat **qs, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[64];
	struct queue_list ql = { NULL, 0 };
	struct nlmsghdr *nlh;

	*qs = NULL;
	*n = 0;
	snprintf(what, sizeof(what), "vr_sched link show %s", name);
	if (nl_open())
		return BENCH_ERR;
	nlh = put_request(buf, family_id, VR_SCHED_CMD_LINK_GET,
			  VR_SCHED_GENL_VERSION);
	mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, name);
	if (transact(nlh, what, link_cb, &ql)) {
		free(ql.q);
		return BENCH_ERR;
	}
	if (ql.n)
		qsort(ql.q, ql.n, sizeof(*ql.q), queue_cmp);
	*qs = ql.q;
	*n = ql.n;
	return BENCH_OK;
}
