// SPDX-License-Identifier: GPL-2.0
/*
 * vr_raw: hand-built, malformed vr_sched requests on a raw generic
 * netlink socket. Each one must be refused with the expected errno and an
 * extack message, and the family must keep answering afterwards.
 * Needs vr_sched loaded and at least one worker (vr_sched_test.ko), and
 * CAP_NET_ADMIN (the refusals must come from validation, not permissions).
 *
 * "vr_raw dump N ADD_WORKER_PATH" checks dumps instead: with N workers
 * registered, a worker dump read through a small buffer must come in
 * several parts holding every worker once, in id order; and a second dump,
 * during which a worker is added (by writing "rx" to ADD_WORKER_PATH), must
 * be flagged NLM_F_DUMP_INTR.
 */
#include <errno.h>
#include <stdbool.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vr_sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/ktap.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define ALIGN4(x) (((x) + 3U) & ~3U)

struct req {
	struct nlmsghdr *nlh;
	char buf[8192];
};

static int fd;
static uint16_t family;
static uint32_t seq = 1;
static char errmsg[256];

static void req_init(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, sizeof(r->buf));
	r->nlh = (struct nlmsghdr *)r->buf;
	r->nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nlh->nlmsg_seq = ++seq;
	g = (struct genlmsghdr *)(r->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
}

/* Append an attribute whose header claims @claimed bytes of payload. */
static struct nlattr *put_raw(struct req *r, uint16_t type, const void *data,
			      unsigned int len, unsigned int claimed)
{
	struct nlattr *a = (struct nlattr *)(r->buf + r->nlh->nlmsg_len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + claimed;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh->nlmsg_len += ALIGN4(NLA_HDRLEN + len);
	return a;
}

static struct nlattr *put(struct req *r, uint16_t type, const void *data,
			  unsigned int len)
{
	return put_raw(r, type, data, len, len);
}

static void put_u32(struct req *r, uint16_t type, uint32_t v)
{
	put(r, type, &v, sizeof(v));
}

static void put_u64(struct req *r, uint16_t type, uint64_t v)
{
	put(r, type, &v, sizeof(v));
}

static struct nlattr *nest_start(struct req *r, uint16_t type)
{
	return put(r, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct req *r, struct nlattr *nest)
{
	nest->nla_len = r->buf + r->nlh->nlmsg_len - (char *)nest;
}

/* Send, wait for the ack; returns the (negative) error, fills errmsg. */
static int xfer(struct req *r, uint32_t *first_u32)
{
	char buf[16384];
	struct nlmsghdr *nlh;
	ssize_t len;

	errmsg[0] = 0;
	if (send(fd, r->buf, r->nlh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != r->nlh->nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				struct nlattr *a;
				int rem, off;

				if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
					return e->error;
				off = sizeof(*e);
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				a = (struct nlattr *)((char *)e + off);
				rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - off;
				while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= rem) {
					if (a->nla_type == NLMSGERR_ATTR_MSG)
						snprintf(errmsg, sizeof(errmsg), "%.*s",
							 (int)(a->nla_len - NLA_HDRLEN),
							 (char *)a + NLA_HDRLEN);
					rem -= ALIGN4(a->nla_len);
					a = (struct nlattr *)((char *)a + ALIGN4(a->nla_len));
				}
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (first_u32 && nlh->nlmsg_type == family) {
				/* First attribute of the first answer. */
				struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);

				*first_u32 = *(uint32_t *)((char *)a + NLA_HDRLEN);
				first_u32 = NULL;
			}
		}
	}
}

static void resolve_family(void)
{
	char buf[8192];
	struct req r;
	struct nlmsghdr *nlh;
	ssize_t len;

	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put(&r, CTRL_ATTR_FAMILY_NAME, VR_SCHED_GENL_NAME,
	    sizeof(VR_SCHED_GENL_NAME));
	r.nlh->nlmsg_flags &= ~NLM_F_ACK;
	if (send(fd, r.buf, r.nlh->nlmsg_len, 0) < 0)
		return;
	len = recv(fd, buf, sizeof(buf), 0);
	nlh = (struct nlmsghdr *)buf;
	if (len > 0 && NLMSG_OK(nlh, len) && nlh->nlmsg_type == GENL_ID_CTRL) {
		struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
		int rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				family = *(uint16_t *)((char *)a + NLA_HDRLEN);
			rem -= ALIGN4(a->nla_len);
			a = (struct nlattr *)((char *)a + ALIGN4(a->nla_len));
		}
	}
}

/*
 * One worker dump through a 4 KiB buffer (so the kernel builds small
 * parts). Returns the number of parts, fills ids[], sets *intr when a
 * message carried NLM_F_DUMP_INTR; with @add_path, adds a worker after
 * the first part.
 */
static int dump_workers(uint32_t *ids, unsigned int max, unsigned int *n,
			bool *intr, const char *add_path)
{
	char buf[4096];
	struct nlmsghdr *nlh;
	int parts = 0, sk;
	struct req r;
	ssize_t len;

	*n = 0;
	*intr = false;
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sk < 0)
		return -1;
	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, NLM_F_DUMP);
	if (send(sk, r.buf, r.nlh->nlmsg_len, 0) < 0)
		goto err;
	for (;;) {
		len = recv(sk, buf, sizeof(buf), 0);
		if (len <= 0)
			goto err;
		parts++;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE) {
				close(sk);
				return parts;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR)
				goto err;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (*n < max) {
				struct nlattr *a = (struct nlattr *)
					((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);

				ids[(*n)++] = *(uint32_t *)((char *)a + NLA_HDRLEN);
			}
		}
		if (parts == 1 && add_path) {
			int fd = open(add_path, O_WRONLY);

			if (fd < 0 || write(fd, "rx", 2) != 2)
				ktap_diag("add a worker via %s: %s", add_path,
					  strerror(errno));
			if (fd >= 0)
				close(fd);
		}
	}
err:
	close(sk);
	return -1;
}

static int dump_main(unsigned int want, const char *add_path)
{
	uint32_t ids[1024];
	unsigned int n, i;
	bool intr, sorted = true;
	int parts;

	ktap_plan(3);
	parts = dump_workers(ids, 1024, &n, &intr, NULL);
	for (i = 1; i < n; i++)
		sorted &= ids[i] > ids[i - 1];
	ktap_test(parts >= 2, "dump came in %d parts", parts);
	ktap_test(n == want && sorted && !intr,
		  "dump restarted from its cursor: %u workers (want %u), ascending ids, not interrupted",
		  n, want);
	parts = dump_workers(ids, 1024, &n, &intr, add_path);
	ktap_test(parts >= 2 && intr,
		  "a worker added during a %d-part dump flags NLM_F_DUMP_INTR", parts);
	return ktap_finish();
}

static void expect(struct req *r, int want, const char *name)
{
	int err = xfer(r, NULL);

	ktap_test(err == want && errmsg[0], "%s: errno %d (want %d) extack \"%s\"",
		  name, -err, -want, errmsg);
}

int main(int argc, char **argv)
{
	uint32_t worker = 0, one = 1;
	struct nlattr *nest;
	char big[2000];
	struct req r;
	int err;

	if (argc == 4 && !strcmp(argv[1], "dump")) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		resolve_family();
		if (!family)
			return KTAP_EXIT_FAIL;
		return dump_main(strtoul(argv[2], NULL, 0), argv[3]);
	}
	ktap_plan(17);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one))) {
		ktap_diag("netlink socket: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}
	resolve_family();
	if (!family) {
		ktap_diag("family %s not found", VR_SCHED_GENL_NAME);
		return KTAP_EXIT_FAIL;
	}
	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, NLM_F_DUMP);
	err = xfer(&r, &worker);
	if (!ktap_test(!err && worker, "a worker to aim at (id %u)", worker))
		return ktap_finish();

	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	put_u32(&r, 200, 1);
	expect(&r, -EINVAL, "unknown attribute type 200");

	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, 0);
	put(&r, VR_SCHED_A_WORKER_ID, &worker, 2);
	expect(&r, -EINVAL, "truncated u32 (2 bytes)");

	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, 0);
	put_u64(&r, VR_SCHED_A_WORKER_ID, worker);
	expect(&r, -EINVAL, "oversized u32 (8 bytes)");

	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, 0);
	put_raw(&r, VR_SCHED_A_WORKER_ID, &worker, 4, 64);
	expect(&r, -EINVAL, "attribute length beyond the message");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	memset(big, '1', sizeof(big));
	big[sizeof(big) - 1] = 0;
	put(&r, VR_SCHED_A_WORKER_CPUS, big, sizeof(big));
	expect(&r, -EINVAL, "oversized cpus string (2000 bytes)");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	put(&r, VR_SCHED_A_WORKER_CPUS, "0", 1);	/* no NUL */
	expect(&r, -EINVAL, "cpus string without NUL");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	put_u32(&r, VR_SCHED_A_WORKER_TID, 1);
	expect(&r, -EINVAL, "read-only attribute (tid) in worker-set");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	nest = nest_start(&r, VR_SCHED_A_WORKER_SCHED);
	put_u32(&r, VR_SCHED_A_SCHED_POLICY, VR_SCHED_THREAD_POLICY_OTHER);
	put_u32(&r, 99, 0);
	nest_end(&r, nest);
	expect(&r, -EINVAL, "unknown attribute inside sched nest");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	nest = nest_start(&r, VR_SCHED_A_WORKER_SCHED);
	put_u32(&r, VR_SCHED_A_SCHED_POLICY, 7);
	nest_end(&r, nest);
	expect(&r, -ERANGE, "thread policy 7 out of range");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	nest = nest_start(&r, VR_SCHED_A_WORKER_SCHED);
	put_u32(&r, VR_SCHED_A_SCHED_POLICY, VR_SCHED_THREAD_POLICY_DEADLINE);
	put_u64(&r, VR_SCHED_A_SCHED_RUNTIME, 100);
	put_u64(&r, VR_SCHED_A_SCHED_DEADLINE, 1000000);
	nest_end(&r, nest);
	expect(&r, -ERANGE, "deadline runtime below 1024 ns");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	nest = nest_start(&r, VR_SCHED_A_WORKER_SCHED);
	put_u32(&r, VR_SCHED_A_SCHED_POLICY, VR_SCHED_THREAD_POLICY_OTHER);
	nest_end(&r, nest);
	expect(&r, -EINVAL, "worker-set without id");

	req_init(&r, family, VR_SCHED_CMD_WORKER_SET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	expect(&r, -EINVAL, "worker-set with nothing to set");

	req_init(&r, family, VR_SCHED_CMD_RULE_ADD, 0);
	put_u32(&r, VR_SCHED_A_RULE_DIR, VR_SCHED_DIR_RX);
	expect(&r, -EINVAL, "rule without action");

	req_init(&r, family, VR_SCHED_CMD_RULE_ADD, 0);
	put_u32(&r, VR_SCHED_A_RULE_ID, 5);
	put(&r, VR_SCHED_A_RULE_CPUS, "0", 2);
	expect(&r, -EINVAL, "rule with a caller-chosen id");

	req_init(&r, family, VR_SCHED_CMD_RULE_ADD, 0);
	put(&r, VR_SCHED_A_RULE_COMM, "0123456789abcdefXYZ", 20);
	put(&r, VR_SCHED_A_RULE_CPUS, "0", 2);
	expect(&r, -EINVAL, "rule comm longer than 15 bytes");

	/* Still alive and answering. */
	req_init(&r, family, VR_SCHED_CMD_WORKER_GET, 0);
	put_u32(&r, VR_SCHED_A_WORKER_ID, worker);
	ktap_test(xfer(&r, NULL) == 0, "family still answers a valid request");
	close(fd);
	return ktap_finish();
}
