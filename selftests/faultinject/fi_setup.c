// SPDX-License-Identifier: GPL-2.0
/*
 * fi_setup: drive pvr's setup paths under fault injection (fail-nth).
 *
 *   fi_setup vhost DEVICE TAPNAME   open, SET_OWNER, SET_MEM_TABLE, vring
 *                                   setup and backend attach of a vhost-net
 *                                   compatible DEVICE, with a tap backend
 *   fi_setup link LOWER             create a macvtap_mq link on LOWER
 *                                   (rtnetlink), open its queue, delete it
 *   fi_setup netlink DEVICE LOWER   vr_sched generic netlink: link set
 *                                   (policy, limit) on a macvtap_mq link on
 *                                   LOWER, rule add, rule del, worker set
 *                                   (cpus, sched) on a worker of DEVICE
 *
 * For every step it makes the 1st, 2nd, 3rd ... fault-injection point the
 * step reaches fail (/proc/thread-self/fail-nth), until the step completes
 * with no point left to fail. Each injected failure must surface as a clean
 * error return (any negative errno; the step is then retried from scratch)
 * or be absorbed (the step succeeds: the kernel had a fallback); after the
 * sweep the full sequence must still work. Leaks and warnings are judged by
 * the VM runner (kmemleak, dmesg) and by the module unloading afterwards.
 * Output: TAP, one point per step. With FI_SETUP_DRY set and no fail-nth,
 * every step runs once without injection (to test this program itself on
 * a kernel without fault injection).
 */
#include <errno.h>
#include <net/if.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/vhost.h>
#include <linux/vr_sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "../lib/ktap.h"

#define MAX_NTH		2000
#define RING		256
#define MEM_SIZE	(1 << 20)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int nth_fd = -1;
static bool dry;	/* FI_SETUP_DRY: no injection, each step runs once */

static void nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (dry)
		return;
	if (pwrite(nth_fd, buf, len, 0) != len) {
		perror("fail-nth write");
		exit(KTAP_EXIT_FAIL);
	}
}

/* Remaining count: non-zero means the armed point was never reached. */
static unsigned int nth_disarm(void)
{
	char buf[16] = "";
	unsigned int left;

	if (dry)
		return 1;
	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0) {
		perror("fail-nth read");
		exit(KTAP_EXIT_FAIL);
	}
	left = (unsigned int)strtoul(buf, NULL, 10);
	nth_arm(0);
	return left;
}

/* ------------------------------------------------------------- vhost */

struct vh {
	const char *dev, *tap;
	void *mem;
	int fd, tapfd, kick, call;
};

static int tap_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void vh_close(struct vh *v)
{
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

/* The steps, each building on the previous ones. 0 or -errno. */
static int vh_step(struct vh *v, int step)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} mt = { .m.nregions = 1 };
	uint64_t base = (uint64_t)(uintptr_t)v->mem, features;
	struct vhost_vring_addr addr;
	struct vhost_vring_file f;
	struct vhost_vring_state st;
	unsigned int q;

	switch (step) {
	case 0:
		v->fd = open(v->dev, O_RDWR);
		return v->fd < 0 ? -errno : 0;
	case 1:
		return ioctl(v->fd, VHOST_SET_OWNER) ? -errno : 0;
	case 2:
		if (ioctl(v->fd, VHOST_GET_FEATURES, &features))
			return -errno;
		features &= (1ULL << 32) | (1ULL << 15);	/* VERSION_1, MRG_RXBUF */
		if (ioctl(v->fd, VHOST_SET_FEATURES, &features))
			return -errno;
		mt.r.guest_phys_addr = 0;
		mt.r.memory_size = MEM_SIZE;
		mt.r.userspace_addr = base;
		return ioctl(v->fd, VHOST_SET_MEM_TABLE, &mt) ? -errno : 0;
	case 3:
		for (q = 0; q < 2; q++) {
			st.index = q;
			st.num = RING;
			if (ioctl(v->fd, VHOST_SET_VRING_NUM, &st))
				return -errno;
			st.num = 0;
			if (ioctl(v->fd, VHOST_SET_VRING_BASE, &st))
				return -errno;
			memset(&addr, 0, sizeof(addr));
			addr.index = q;
			addr.desc_user_addr = base + q * 0x10000;
			addr.avail_user_addr = addr.desc_user_addr + 16 * RING;
			addr.used_user_addr = addr.desc_user_addr + 0x8000;
			if (ioctl(v->fd, VHOST_SET_VRING_ADDR, &addr))
				return -errno;
			f.index = q;
			f.fd = v->kick;
			if (ioctl(v->fd, VHOST_SET_VRING_KICK, &f))
				return -errno;
			f.fd = v->call;
			if (ioctl(v->fd, VHOST_SET_VRING_CALL, &f))
				return -errno;
		}
		return 0;
	case 4:
		for (q = 0; q < 2; q++) {
			f.index = q;
			f.fd = v->tapfd;
			if (ioctl(v->fd, VHOST_NET_SET_BACKEND, &f))
				return -errno;
		}
		return 0;
	}
	return -EINVAL;
}

static const char *const vh_names[] = {
	"device open", "SET_OWNER", "SET_FEATURES + SET_MEM_TABLE",
	"vring setup", "backend attach",
};

/*
 * Sweep one step: for n = 1, 2, ... redo steps 0..step-1 cleanly, arm
 * fail-nth = n, run the step, disarm. Stops when the step completed without
 * reaching the nth point. Returns the number of points failed, or -1 when
 * a clean redo failed (state was corrupted by an earlier failure).
 */
static int vh_sweep(struct vh *v, int step, unsigned int *absorbed)
{
	unsigned int n, left;
	int i, err;

	*absorbed = 0;
	for (n = 1; n <= MAX_NTH; n++) {
		for (i = 0; i < step; i++) {
			err = vh_step(v, i);
			if (err) {
				ktap_diag("%s: clean redo of '%s' failed: %s after %u injections",
					  vh_names[step], vh_names[i], strerror(-err), n - 1);
				vh_close(v);
				return -1;
			}
		}
		nth_arm(n);
		err = vh_step(v, step);
		left = nth_disarm();
		vh_close(v);
		if (left)		/* ran to the end with no point left */
			return err ? -1 : (int)(n - 1);
		if (!err)
			(*absorbed)++;
	}
	ktap_diag("%s: still injecting after %u points", vh_names[step], MAX_NTH);
	return -1;
}

static int run_vhost(const char *dev, const char *tapname)
{
	struct vh v = { .dev = dev, .tap = tapname, .fd = -1 };
	unsigned int absorbed;
	int step, n, err;

	v.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	v.tapfd = tap_open(tapname);
	v.kick = eventfd(0, EFD_NONBLOCK);
	v.call = eventfd(0, EFD_NONBLOCK);
	if (v.mem == MAP_FAILED || v.tapfd < 0 || v.kick < 0 || v.call < 0) {
		ktap_diag("setup failed: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}

	ktap_plan(6);
	for (step = 0; step < 5; step++) {
		n = vh_sweep(&v, step, &absorbed);
		ktap_test(n >= 0, "%s on %s: %d allocation failures injected, each a clean error (%u absorbed)",
			  vh_names[step], dev, n, absorbed);
	}
	/* After all of that, the whole sequence still works. */
	err = 0;
	for (step = 0; step < 5 && !err; step++)
		err = vh_step(&v, step);
	ktap_test(!err, "%s works after the sweep (%s)", dev, err ? strerror(-err) : "ok");
	vh_close(&v);
	close(v.tapfd);
	return ktap_finish();
}

/* -------------------------------------------------------------- link */

static int rtnl_link(struct mnl_socket *nl, int cmd, const char *name,
		     unsigned int lower)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *li;
	uint32_t seq = (uint32_t)time(NULL);
	int ret;

	nlh->nlmsg_type = cmd;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (cmd == RTM_NEWLINK ? NLM_F_CREATE | NLM_F_EXCL : 0);
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (cmd == RTM_NEWLINK) {
		mnl_attr_put_u32(nlh, IFLA_LINK, lower);
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvtap_mq");
		mnl_attr_nest_end(nlh, li);
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, seq, mnl_socket_get_portid(nl), NULL, NULL);
	return ret < 0 ? -errno : 0;
}

static int queue_open(const char *name)
{
	char path[64];
	unsigned int idx = if_nametoindex(name);
	int fd;

	if (!idx)
		return -ENODEV;
	snprintf(path, sizeof(path), "/dev/tap%u", idx);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int run_link(const char *lowername)
{
	unsigned int lower = if_nametoindex(lowername), n, left, absorbed;
	const char *name = "pvrfi0";
	struct mnl_socket *nl;
	int err, i, ok;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!lower || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ktap_diag("setup failed: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}
	ktap_plan(3);
	for (i = 0; i < 2; i++) {
		ok = 0;
		absorbed = 0;
		for (n = 1; n <= MAX_NTH; n++) {
			if (i == 1 && rtnl_link(nl, RTM_NEWLINK, name, lower)) {
				ktap_diag("clean link creation failed after %u injections", n - 1);
				break;
			}
			nth_arm(n);
			err = i == 0 ? rtnl_link(nl, RTM_NEWLINK, name, lower) :
				       queue_open(name);
			left = nth_disarm();
			/* Whatever happened, the link must be deletable or gone. */
			rtnl_link(nl, RTM_DELLINK, name, 0);
			if (if_nametoindex(name)) {
				ktap_diag("link still present after delete");
				break;
			}
			if (left) {
				ok = !err;
				break;
			}
			if (!err)
				absorbed++;
		}
		ktap_test(ok, "%s: %u allocation failures injected, each a clean error (%u absorbed)",
			  i == 0 ? "macvtap_mq link creation" : "macvtap_mq queue open",
			  n - 1, absorbed);
	}
	err = rtnl_link(nl, RTM_NEWLINK, name, lower);
	if (!err)
		err = queue_open(name);
	ktap_test(!err, "link creation and queue open work after the sweep (%s)",
		  err ? strerror(-err) : "ok");
	rtnl_link(nl, RTM_DELLINK, name, 0);
	mnl_socket_close(nl);
	return ktap_finish();
}

/* ----------------------------------------------------------- netlink */

#define NL_TAG		"fi-nomatch"	/* comm of our rules: matches no worker */
#define NL_LINK		"pvrfi1"

struct gnl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	/* Last request: sent, but its answer never came (the kernel could
	 * not allocate it and reported ENOBUFS): it may have been applied.
	 */
	bool answer_lost;
};

#define TB_MAX		31	/* above every VR_SCHED_A_*_MAX */

struct tb {
	const struct nlattr *a[TB_MAX + 1];
	unsigned int max;
};

static int tb_cb(const struct nlattr *a, void *data)
{
	struct tb *t = data;

	if (mnl_attr_get_type(a) <= t->max)
		t->a[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void tb_parse(struct tb *t, unsigned int max, const struct nlmsghdr *nlh)
{
	memset(t, 0, sizeof(*t));
	t->max = max < TB_MAX ? max : TB_MAX;
	mnl_attr_parse(nlh, GENL_HDRLEN, tb_cb, t);
}

static void tb_parse_nested(struct tb *t, unsigned int max,
			    const struct nlattr *nest)
{
	memset(t, 0, sizeof(*t));
	t->max = max < TB_MAX ? max : TB_MAX;
	if (nest)
		mnl_attr_parse_nested(nest, tb_cb, t);
}

static uint32_t tb_u32(const struct tb *t, unsigned int type)
{
	const struct nlattr *a = t->a[type];

	return a && mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) : 0;
}

static const char *tb_str(const struct tb *t, unsigned int type)
{
	const struct nlattr *a = t->a[type];

	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ?
	       mnl_attr_get_str(a) : "";
}

static struct nlmsghdr *gnl_msg(struct gnl *g, char *buf, uint16_t type,
				uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = VR_SCHED_GENL_VERSION;
	return nlh;
}

typedef void (*gnl_cb_t)(const struct nlmsghdr *nlh, void *data);

/*
 * Send @nlh and read its answer: data messages go to @cb, the ack or
 * NLMSG_DONE ends it. 0 or -errno (a send failure, the kernel's error, or
 * a receive failure: then g->answer_lost).
 */
static int gnl_talk(struct gnl *g, const struct nlmsghdr *nlh, gnl_cb_t cb,
		    void *data)
{
	static char buf[1 << 16];
	const struct nlmsghdr *m;
	ssize_t len;
	int rest;

	g->answer_lost = false;
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(g->nl, buf, sizeof(buf));
		if (len < 0) {
			g->answer_lost = errno == ENOBUFS;
			return -errno;
		}
		rest = (int)len;
		for (m = (void *)buf; mnl_nlmsg_ok(m, rest);
		     m = mnl_nlmsg_next(m, &rest)) {
			if (m->nlmsg_seq != nlh->nlmsg_seq)
				continue;	/* left over from a lost answer */
			if (m->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)
					mnl_nlmsg_get_payload(m))->error;
			if (m->nlmsg_type == NLMSG_DONE)
				return mnl_nlmsg_get_payload_len(m) >= sizeof(int) ?
				       *(const int *)mnl_nlmsg_get_payload(m) : 0;
			if (cb)
				cb(m, data);
		}
	}
}

static void family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(a);
}

static int gnl_open(struct gnl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct timeval tv = { .tv_sec = 5 };
	struct nlmsghdr *nlh;
	int err;

	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl || mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(g->nl), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)))
		return -errno;
	nlh = gnl_msg(g, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VR_SCHED_GENL_NAME);
	err = gnl_talk(g, nlh, family_cb, &g->family);
	return err ?: (g->family ? 0 : -ENOENT);
}

/* What the steps look at, read back with clean (uninjected) requests. */
struct nl_state {
	uint32_t policy, limit;			/* link */
	char cpus[64];				/* worker */
	uint32_t sched, nice;			/* worker */
	unsigned int ntagged;			/* rules with NL_TAG */
	uint32_t tagged_id;			/* the last of them */
};

struct nlfi {
	struct gnl g;
	uint32_t worker;	/* id of one worker of our vhost device */
	char online[64];	/* the online CPU list */
	uint32_t rule;		/* the rule RULE_DEL is run on */
	struct nl_state before, want;
};

static void link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_state *s = data;
	struct tb t;

	tb_parse(&t, VR_SCHED_A_LINK_MAX, nlh);
	s->policy = tb_u32(&t, VR_SCHED_A_LINK_POLICY);
	s->limit = tb_u32(&t, VR_SCHED_A_LINK_LIMIT);
}

static int link_state(struct nlfi *f, struct nl_state *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_LINK_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, NL_LINK);
	return gnl_talk(&f->g, nlh, link_cb, s);
}

static void worker_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_state *s = data;
	struct tb t, st;

	tb_parse(&t, VR_SCHED_A_WORKER_MAX, nlh);
	snprintf(s->cpus, sizeof(s->cpus), "%s",
		 tb_str(&t, VR_SCHED_A_WORKER_CPUS));
	tb_parse_nested(&st, VR_SCHED_A_SCHED_MAX, t.a[VR_SCHED_A_WORKER_SCHED]);
	s->sched = tb_u32(&st, VR_SCHED_A_SCHED_POLICY);
	s->nice = tb_u32(&st, VR_SCHED_A_SCHED_NICE);
}

static int worker_state(struct nlfi *f, struct nl_state *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_WORKER_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VR_SCHED_A_WORKER_ID, f->worker);
	return gnl_talk(&f->g, nlh, worker_cb, s);
}

static void rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_state *s = data;
	struct tb t;

	tb_parse(&t, VR_SCHED_A_RULE_MAX, nlh);
	if (strcmp(tb_str(&t, VR_SCHED_A_RULE_COMM), NL_TAG))
		return;
	s->ntagged++;
	s->tagged_id = tb_u32(&t, VR_SCHED_A_RULE_ID);
}

static int rule_state(struct nlfi *f, struct nl_state *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	s->ntagged = 0;
	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_RULE_GET, NLM_F_DUMP);
	return gnl_talk(&f->g, nlh, rule_cb, s);
}

static int rule_add(struct nlfi *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_RULE_ADD, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VR_SCHED_A_RULE_COMM, NL_TAG);
	mnl_attr_put_strz(nlh, VR_SCHED_A_RULE_CPUS, "0");
	return gnl_talk(&f->g, nlh, NULL, NULL);
}

static int rule_del(struct nlfi *f, uint32_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_RULE_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VR_SCHED_A_RULE_ID, id);
	return gnl_talk(&f->g, nlh, NULL, NULL);
}

/* Delete every rule of ours; returns how many there were, or -errno. */
static int rules_flush(struct nlfi *f)
{
	struct nl_state s;
	int n = 0, err;

	for (;;) {
		err = rule_state(f, &s);
		if (err)
			return err;
		if (!s.ntagged)
			return n;
		err = rule_del(f, s.tagged_id);
		if (err)
			return err;
		n++;
	}
}

/*
 * One step: prep (clean requests) records the state before and the state
 * the request wants; run is the request under injection; check reads the
 * state back and judges it against run's result. An error must leave the
 * state as it was; success must give the wanted state; a lost answer
 * (ENOBUFS on receive) may give either, never a mix.
 */
struct nl_step {
	const char *name;
	int (*prep)(struct nlfi *f);
	int (*run)(struct nlfi *f);
	int (*check)(struct nlfi *f, int err);
};

static int judge(const char *what, int err, bool lost, bool was_before,
		 bool is_wanted)
{
	if (err && !lost && !was_before) {
		ktap_diag("%s: failed (%s) but changed the state", what,
			  strerror(-err));
		return -1;
	}
	if (!err && !is_wanted) {
		ktap_diag("%s: succeeded but the state is not the requested one",
			  what);
		return -1;
	}
	if (!was_before && !is_wanted) {
		ktap_diag("%s: state is neither the old nor the requested one (%s)",
			  what, err ? strerror(-err) : "ok");
		return -1;
	}
	return 0;
}

static int link_prep(struct nlfi *f)
{
	int err = link_state(f, &f->before);

	f->want = f->before;
	f->want.policy = f->before.policy == VR_SCHED_POLICY_RR ?
			 VR_SCHED_POLICY_HASH : VR_SCHED_POLICY_RR;
	f->want.limit = f->before.limit == 64 ? 32 : 64;
	return err;
}

static int link_run(struct nlfi *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_LINK_SET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VR_SCHED_A_LINK_NAME, NL_LINK);
	mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_POLICY, f->want.policy);
	mnl_attr_put_u32(nlh, VR_SCHED_A_LINK_LIMIT, f->want.limit);
	return gnl_talk(&f->g, nlh, NULL, NULL);
}

static int link_check(struct nlfi *f, int err)
{
	bool lost = f->g.answer_lost;
	struct nl_state s;

	if (link_state(f, &s))
		return -1;
	return judge("link set", err, lost,
		     s.policy == f->before.policy && s.limit == f->before.limit,
		     s.policy == f->want.policy && s.limit == f->want.limit);
}

static int rule_add_prep(struct nlfi *f)
{
	int n = rules_flush(f);

	return n < 0 ? n : 0;
}

static int rule_add_run(struct nlfi *f)
{
	return rule_add(f);
}

static int rule_add_check(struct nlfi *f, int err)
{
	bool lost = f->g.answer_lost;
	int n = rules_flush(f);

	if (n < 0)
		return -1;
	return judge("rule add", err, lost, n == 0, n == 1);
}

static int rule_del_prep(struct nlfi *f)
{
	int err = rule_add_prep(f);

	if (!err)
		err = rule_add(f);
	if (!err)
		err = rule_state(f, &f->before);
	f->rule = f->before.tagged_id;
	return err ?: (f->before.ntagged == 1 ? 0 : -EEXIST);
}

static int rule_del_run(struct nlfi *f)
{
	return rule_del(f, f->rule);
}

static int rule_del_check(struct nlfi *f, int err)
{
	bool lost = f->g.answer_lost;
	int n = rules_flush(f);

	if (n < 0)
		return -1;
	return judge("rule del", err, lost, n == 1, n == 0);
}

static int worker_prep(struct nlfi *f)
{
	int err = worker_state(f, &f->before);

	f->want = f->before;
	snprintf(f->want.cpus, sizeof(f->want.cpus), "%s",
		 strcmp(f->before.cpus, "0") ? "0" : f->online);
	if (f->before.sched == VR_SCHED_THREAD_POLICY_OTHER) {
		f->want.sched = VR_SCHED_THREAD_POLICY_BATCH;
		f->want.nice = 5;
	} else {
		f->want.sched = VR_SCHED_THREAD_POLICY_OTHER;
		f->want.nice = 0;
	}
	return err;
}

static int worker_run(struct nlfi *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_WORKER_SET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, VR_SCHED_A_WORKER_ID, f->worker);
	mnl_attr_put_strz(nlh, VR_SCHED_A_WORKER_CPUS, f->want.cpus);
	nest = mnl_attr_nest_start(nlh, VR_SCHED_A_WORKER_SCHED);
	mnl_attr_put_u32(nlh, VR_SCHED_A_SCHED_POLICY, f->want.sched);
	mnl_attr_put_u32(nlh, VR_SCHED_A_SCHED_NICE, f->want.nice);
	mnl_attr_nest_end(nlh, nest);
	return gnl_talk(&f->g, nlh, NULL, NULL);
}

static bool worker_same(const struct nl_state *a, const struct nl_state *b)
{
	return !strcmp(a->cpus, b->cpus) && a->sched == b->sched &&
	       a->nice == b->nice;
}

static int worker_check(struct nlfi *f, int err)
{
	bool lost = f->g.answer_lost;
	struct nl_state s;

	if (worker_state(f, &s))
		return -1;
	return judge("worker set", err, lost, worker_same(&s, &f->before),
		     worker_same(&s, &f->want));
}

static const struct nl_step nl_steps[] = {
	{ "link set (policy, limit)", link_prep, link_run, link_check },
	{ "rule add", rule_add_prep, rule_add_run, rule_add_check },
	{ "rule del", rule_del_prep, rule_del_run, rule_del_check },
	{ "worker set (cpus, sched)", worker_prep, worker_run, worker_check },
};

/* As vh_sweep(), with the state judged after every injection. */
static int nl_sweep(struct nlfi *f, const struct nl_step *st,
		    unsigned int *absorbed, unsigned int *lost)
{
	unsigned int n, left;
	bool was_lost;
	int err;

	*absorbed = *lost = 0;
	for (n = 1; n <= MAX_NTH; n++) {
		err = st->prep(f);
		if (err) {
			ktap_diag("%s: clean preparation failed: %s after %u injections",
				  st->name, strerror(-err), n - 1);
			return -1;
		}
		nth_arm(n);
		err = st->run(f);
		left = nth_disarm();
		was_lost = f->g.answer_lost;	/* check() talks to the kernel */
		if (st->check(f, err))
			return -1;
		if (left) {
			if (err)
				ktap_diag("%s: failed with no injection: %s",
					  st->name, strerror(-err));
			return err ? -1 : (int)(n - 1);
		}
		if (!err)
			(*absorbed)++;
		else if (was_lost)
			(*lost)++;
	}
	ktap_diag("%s: still injecting after %u points", st->name, MAX_NTH);
	return -1;
}

static void find_worker_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tb t;

	tb_parse(&t, VR_SCHED_A_WORKER_MAX, nlh);
	if (tb_u32(&t, VR_SCHED_A_WORKER_OWNER_PID) == (uint32_t)getpid() &&
	    !strcmp(tb_str(&t, VR_SCHED_A_WORKER_KIND), "vhost_split"))
		*(uint32_t *)data = tb_u32(&t, VR_SCHED_A_WORKER_ID);
}

static int nl_setup(struct nlfi *f, struct mnl_socket *rt, unsigned int lower)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	FILE *on;
	int err;

	on = fopen("/sys/devices/system/cpu/online", "r");
	if (!on || !fgets(f->online, sizeof(f->online), on))
		return -errno;
	fclose(on);
	f->online[strcspn(f->online, "\n")] = 0;
	err = gnl_open(&f->g);
	if (err)
		return err;
	nlh = gnl_msg(&f->g, buf, f->g.family, VR_SCHED_CMD_WORKER_GET, NLM_F_DUMP);
	err = gnl_talk(&f->g, nlh, find_worker_cb, &f->worker);
	if (err)
		return err;
	if (!f->worker)
		return -ESRCH;
	return rtnl_link(rt, RTM_NEWLINK, NL_LINK, lower);
}

static int run_netlink(const char *dev, const char *lowername)
{
	unsigned int lower = if_nametoindex(lowername), absorbed, lost, i;
	struct nlfi f = { .worker = 0 };
	struct mnl_socket *rt;
	int vfd, n, err;

	vfd = open(dev, O_RDWR);
	rt = mnl_socket_open(NETLINK_ROUTE);
	if (vfd < 0 || ioctl(vfd, VHOST_SET_OWNER) || !lower || !rt ||
	    mnl_socket_bind(rt, 0, MNL_SOCKET_AUTOPID) < 0) {
		ktap_diag("setup failed: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}
	err = nl_setup(&f, rt, lower);
	if (err) {
		ktap_diag("vr_sched setup failed: %s", strerror(-err));
		rtnl_link(rt, RTM_DELLINK, NL_LINK, 0);
		return KTAP_EXIT_FAIL;
	}

	ktap_plan(ARRAY_SIZE(nl_steps) + 1);
	for (i = 0; i < ARRAY_SIZE(nl_steps); i++) {
		n = nl_sweep(&f, &nl_steps[i], &absorbed, &lost);
		ktap_test(n >= 0, "vr_sched %s: %d allocation failures injected, each a clean error leaving the state unchanged (%u absorbed, %u answers lost)",
			  nl_steps[i].name, n, absorbed, lost);
	}
	/* After all of that, every request still works. */
	err = 0;
	for (i = 0; i < ARRAY_SIZE(nl_steps) && !err; i++) {
		err = nl_steps[i].prep(&f);
		if (!err)
			err = nl_steps[i].run(&f);
		if (!err)
			err = nl_steps[i].check(&f, 0) ? -EPROTO : 0;
	}
	ktap_test(!err, "vr_sched requests work after the sweep (%s)",
		  err ? strerror(-err) : "ok");
	rules_flush(&f);
	rtnl_link(rt, RTM_DELLINK, NL_LINK, 0);
	mnl_socket_close(rt);
	mnl_socket_close(f.g.nl);
	close(vfd);
	return ktap_finish();
}

int main(int argc, char **argv)
{
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	dry = nth_fd < 0 && getenv("FI_SETUP_DRY");
	if (nth_fd < 0 && !dry) {
		ktap_plan(1);
		ktap_skip("fault injection", "kernel without CONFIG_FAULT_INJECTION (no fail-nth); make check-debug runs this");
		return ktap_finish();
	}
	if (argc == 4 && !strcmp(argv[1], "vhost"))
		return run_vhost(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "link"))
		return run_link(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "netlink"))
		return run_netlink(argv[2], argv[3]);
	fprintf(stderr, "usage: fi_setup vhost DEVICE TAPNAME | link LOWER | netlink DEVICE LOWER\n");
	return KTAP_EXIT_FAIL;
}
