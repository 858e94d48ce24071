// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for vr_sched's generic netlink family: vr_sched/
 * netlink.c, sched.c and registry.c compiled unchanged (through
 * nl_shim.h), driven by a sequence of requests as genetlink would deliver
 * them, against a fake kernel holding workers (fake tasks), links (fake
 * macvtap_mq link ops) and devices in two network namespaces.
 *
 * Input: records of
 *	u8 sel, u8 ctl, u8 nth, u16 len (LE), len bytes
 * sel <= VR_SCHED_CMD_MAX is a generic netlink command whose attributes
 * are the len bytes; a larger sel is a data-plane event (a worker
 * registers or goes, a link is renamed, announced, or its queues change).
 * ctl: bit 0 dump, bit 1 monitor listeners present, bit 2 request from
 * the second namespace, bits 3-4 a refusal of the fake kernel (1 the
 * scheduler refuses the policy, 2 the CPUs, 3 the link kind refuses the
 * config; in dumps, bit 3 changes the dumped objects between two parts),
 * bits 5-6 which errno, bit 7 small dump buffers. nth: the nth allocation
 * of the call fails (0: none), as failslab's fail-nth.
 *
 * The harness parses attributes with the op's policy and maxattr in
 * strict mode, as genetlink does for these ops (no GENL_DONT_VALIDATE_*
 * flags, resv_start_op 0). Invariants (abort = finding):
 *  - no sanitizer report, WARN, lock assertion, or lock misuse;
 *  - every error is a negative errno; every error other than -ENOMEM and
 *    -EMSGSIZE carries an extack message;
 *  - an op that failed left workers, rules and links exactly as they were;
 *  - an op that changed an object bumped that object type's generation
 *    (so dumps in progress are flagged NLM_F_DUMP_INTR);
 *  - objects are always valid: tasks get only values the scheduler
 *    accepts (nice -20..19, rt prio 1..99 for fifo/rr only, deadline
 *    parameters in the kernel's bounds), a deadline task may run on every
 *    active CPU, CPU masks are non-empty and possible, rules have an
 *    action; what set_config receives is in the documented ranges, with
 *    @changed naming exactly the fields that differ from get_config;
 *  - every reply, dump part and notification parses back in strict mode
 *    against the UAPI attribute trees and matches the object it reports;
 *  - a dump ends, lists each object once in id/list order when nothing
 *    changed, is flagged NLM_F_DUMP_INTR exactly when something changed
 *    between its parts, and fails only with -EMSGSIZE or -ENOMEM.
 */
#include <assert.h>

#include <linux/threads.h>

#include "vr_sched.h"

void fuzz_registry_reset(void);
extern unsigned int fuzz_fail_nth, fuzz_failed;

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "nl_fuzz: invariant failed at %s:%d: %s\n",	\
			__FILE__, __LINE__, #c);			\
		abort();						\
	}								\
} while (0)

/* ------------------------------------------------------- fake kernel */

unsigned int nr_cpu_ids = 12;
static struct cpumask possible_mask, online_mask, active_mask;
const struct cpumask *const cpu_possible_mask = &possible_mask;
const struct cpumask *const cpu_online_mask = &online_mask;
const struct cpumask *const cpu_active_mask = &active_mask;

struct net init_net = { .id = 1 };
static struct net other_net = { .id = 2 };

static bool quiet = true;

void fuzz_warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "nl_fuzz: WARN_ON(%s) at %s:%d\n", cond, file, line);
	abort();
}

void fuzz_printk(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* What the fake kernel refuses during the current call (ctl bits 3-6). */
static struct {
	unsigned int what;	/* 1 sched, 2 cpus, 3 link config */
	int err;
} refuse;

static const int refuse_errno[] = { -EBUSY, -EPERM, -EINVAL, -ENOMEM };

/* --------------------------------------------------- workers (tasks) */

#define NWORKERS	6

struct fake_worker {
	struct vr_worker w;
	struct task_struct task;
	bool registered;
};

static struct fake_worker workers[NWORKERS];

static const char *const comms[] = { "router1", "router2", "vpp" };

static bool task_valid(const struct task_struct *t)
{
	switch (t->policy) {
	case SCHED_NORMAL:
	case SCHED_BATCH:
	case SCHED_IDLE:
		if (t->rt_priority)
			return false;
		break;
	case SCHED_FIFO:
	case SCHED_RR:
		if (t->rt_priority < 1 || t->rt_priority > 99)
			return false;
		break;
	case SCHED_DEADLINE:
		if (t->rt_priority || !t->dl.dl_runtime ||
		    t->dl.dl_runtime > t->dl.dl_deadline ||
		    t->dl.dl_deadline > t->dl.dl_period)
			return false;
		/* Admission control spans the root domain (sched.c). */
		if (!cpumask_subset(cpu_active_mask, &t->cpus_mask))
			return false;
		break;
	default:
		return false;
	}
	return t->nice >= MIN_NICE && t->nice <= MAX_NICE &&
	       t->cpus_ptr == &t->cpus_mask && !cpumask_empty(&t->cpus_mask) &&
	       cpumask_subset(&t->cpus_mask, cpu_possible_mask);
}

/*
 * The scheduler's checks of sched_setattr_nocheck() (which skips the
 * permission and user-space-only checks, not these). A nice value out of
 * range is not checked there: it would corrupt the task, so it is a
 * finding here.
 */
int sched_setattr_nocheck(struct task_struct *p, const struct sched_attr *a)
{
	int pol = (int)a->sched_policy;
	bool rt = pol == SCHED_FIFO || pol == SCHED_RR;
	u64 period;

	CHECK(a->size == sizeof(*a));
	if (refuse.what == 1)
		return refuse.err;
	if (pol != SCHED_NORMAL && pol != SCHED_BATCH && pol != SCHED_IDLE &&
	    pol != SCHED_FIFO && pol != SCHED_RR && pol != SCHED_DEADLINE)
		return -EINVAL;
	if (a->sched_flags)
		return -EINVAL;
	if (a->sched_priority > 99 || rt != (a->sched_priority != 0))
		return -EINVAL;
	if (pol == SCHED_NORMAL || pol == SCHED_BATCH)
		CHECK(a->sched_nice >= MIN_NICE && a->sched_nice <= MAX_NICE);
	if (pol == SCHED_DEADLINE) {
		period = a->sched_period ?: a->sched_deadline;
		/* __checkparam_dl(), default sched_deadline_period_{min,max}_us */
		if (!a->sched_deadline || a->sched_runtime < 1024 ||
		    (a->sched_deadline | period) & (1ULL << 63) ||
		    a->sched_runtime > a->sched_deadline ||
		    a->sched_deadline > period ||
		    period < 100000ULL || period > 4194304000ULL)
			return -EINVAL;
		p->dl.dl_runtime = a->sched_runtime;
		p->dl.dl_deadline = a->sched_deadline;
		p->dl.dl_period = period;
	} else {
		memset(&p->dl, 0, sizeof(p->dl));
	}
	p->policy = (unsigned int)pol;
	p->rt_priority = a->sched_priority;
	if (pol == SCHED_NORMAL || pol == SCHED_BATCH)
		p->nice = a->sched_nice;
	return 0;
}

/* As the kernel's: refused when no CPU of the mask is active. */
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *mask)
{
	unsigned int c;
	bool any = false;

	if (refuse.what == 2) {
		refuse.what = 0;	/* the first call only: restores work */
		return -EINVAL;
	}
	for (c = 0; c < nr_cpu_ids; c++)
		any |= cpumask_test_cpu(c, mask) && cpumask_test_cpu(c, cpu_active_mask);
	if (!any)
		return -EINVAL;
	cpumask_copy(&p->cpus_mask, mask);
	return 0;
}

/* ----------------------------------------------------- links, devices */

#define NLINKS		4
#define NQUEUES_MAX	8

struct fake_link {
	struct vr_link link;
	struct net_device dev;
	struct vr_link_config cfg;
	unsigned int nqueues;
	u8 enabled[NQUEUES_MAX];
	u32 ring;
	bool registered;
	unsigned int set_calls;
};

static struct fake_link links[NLINKS];
static struct net_device plain_dev;	/* a device that is not a link */

static struct fake_link *to_fake(struct vr_link *link)
{
	return container_of(link, struct fake_link, link);
}

static void fl_get_config(struct vr_link *link, struct vr_link_config *cfg)
{
	ASSERT_RTNL();
	memcpy(cfg, &to_fake(link)->cfg, sizeof(*cfg));
}

static unsigned int fl_nenabled(const struct fake_link *fl)
{
	unsigned int i, n = 0;

	for (i = 0; i < fl->nqueues; i++)
		n += fl->enabled[i];
	return n;
}

/* The adaptive queue mode (AQ) fields, when the API has them. */
#ifdef VR_LINK_CFG_QMODE
#define FL_QMODE_BITS	(VR_LINK_CFG_QMODE | VR_LINK_CFG_TARGET |	\
			 VR_LINK_CFG_LIMIT_MIN | VR_LINK_CFG_LIMIT_MAX |	\
			 VR_LINK_CFG_INTERVAL)
#else
#define FL_QMODE_BITS	0
#endif
#define FL_KNOWN_BITS	(VR_LINK_CFG_POLICY | VR_LINK_CFG_LIMIT |	\
			 VR_LINK_CFG_SKIP_FULL | VR_LINK_CFG_WEIGHTS |	\
			 FL_QMODE_BITS)

/* A link config within the documented ranges (API header, UAPI). */
static bool cfg_valid(const struct vr_link_config *c, u32 ring)
{
	unsigned int q;

	if (c->policy < 1 || c->policy > VR_SCHED_POLICY_MAX ||
	    c->limit < 1 || c->limit > ring || c->skip_full > 1 ||
	    c->nweights > VR_LINK_MAX_QUEUES)
		return false;
	for (q = 0; q < c->nweights; q++)
		if (c->weights[q] < 1 || c->weights[q] > 1000)
			return false;
#ifdef VR_LINK_CFG_QMODE
	if (c->qmode < 1 || c->qmode > VR_SCHED_QMODE_MAX ||
	    c->target_us < 1 || c->target_us > 1000000 ||
	    c->limit_min < 1 || c->limit_min > c->limit_max ||
	    c->limit_max > ring ||
	    c->interval_us < 1000 || c->interval_us > 1000000)
		return false;
#endif
	return true;
}

static int fl_set_config(struct vr_link *link, const struct vr_link_config *in,
			 u32 changed, struct netlink_ext_ack *extack)
{
	struct fake_link *fl = to_fake(link);
	struct vr_link_config same;
	unsigned int i, ne = fl_nenabled(fl);

	ASSERT_RTNL();
	fl->set_calls++;
	/* @changed names what differs from get_config, nothing else. */
	CHECK(changed && !(changed & ~FL_KNOWN_BITS));
	memcpy(&same, in, sizeof(same));
	if (changed & VR_LINK_CFG_POLICY)
		same.policy = fl->cfg.policy;
	if (changed & VR_LINK_CFG_LIMIT)
		same.limit = fl->cfg.limit;
	if (changed & VR_LINK_CFG_SKIP_FULL)
		same.skip_full = fl->cfg.skip_full;
	if (changed & VR_LINK_CFG_WEIGHTS) {
		same.nweights = fl->cfg.nweights;
		memcpy(same.weights, fl->cfg.weights, sizeof(same.weights));
	}
#ifdef VR_LINK_CFG_QMODE
	if (changed & VR_LINK_CFG_QMODE)
		same.qmode = fl->cfg.qmode;
	if (changed & VR_LINK_CFG_TARGET)
		same.target_us = fl->cfg.target_us;
	if (changed & VR_LINK_CFG_LIMIT_MIN)
		same.limit_min = fl->cfg.limit_min;
	if (changed & VR_LINK_CFG_LIMIT_MAX)
		same.limit_max = fl->cfg.limit_max;
	if (changed & VR_LINK_CFG_INTERVAL)
		same.interval_us = fl->cfg.interval_us;
#endif
	CHECK(!memcmp(&same, &fl->cfg, sizeof(same)));
	/* What netlink validated: the documented ranges. */
	if (changed & VR_LINK_CFG_POLICY)
		CHECK(in->policy >= 1 && in->policy <= VR_SCHED_POLICY_MAX);
	if (changed & VR_LINK_CFG_LIMIT)
		CHECK(in->limit >= 1);
	if (changed & VR_LINK_CFG_SKIP_FULL)
		CHECK(in->skip_full <= 1);
	if (changed & VR_LINK_CFG_WEIGHTS) {
		CHECK(in->nweights >= 1 && in->nweights <= VR_LINK_MAX_QUEUES);
		CHECK(!ne || in->nweights == ne);
		for (i = 0; i < in->nweights; i++)
			CHECK(in->weights[i] >= 1 && in->weights[i] <= 1000);
	}
#ifdef VR_LINK_CFG_QMODE
	if (changed & VR_LINK_CFG_QMODE)
		CHECK(in->qmode >= 1 && in->qmode <= VR_SCHED_QMODE_MAX);
	if (changed & VR_LINK_CFG_TARGET)
		CHECK(in->target_us >= 1 && in->target_us <= 1000000);
	if (changed & VR_LINK_CFG_LIMIT_MIN)
		CHECK(in->limit_min >= 1);
	if (changed & VR_LINK_CFG_LIMIT_MAX)
		CHECK(in->limit_max >= 1);
	if (changed & VR_LINK_CFG_INTERVAL)
		CHECK(in->interval_us >= 1000 && in->interval_us <= 1000000);
#endif
	/* What the link kind checks itself. */
	if (!cfg_valid(in, fl->ring)) {
		NL_SET_ERR_MSG(extack, "out of the link's range (ring size, limit-min <= limit-max)");
		return -ERANGE;
	}
	if (refuse.what == 3) {
		NL_SET_ERR_MSG(extack, "refused by the fake link kind");
		return refuse.err;
	}
	memcpy(&fl->cfg, in, sizeof(fl->cfg));
	return 0;
}

static unsigned int fl_queue_count(struct vr_link *link)
{
	ASSERT_RTNL();
	return to_fake(link)->nqueues;
}

static void fl_queue_stats(struct vr_link *link, unsigned int q,
			   struct vr_queue_stats *st)
{
	struct fake_link *fl = to_fake(link);

	ASSERT_RTNL();
	CHECK(q < fl->nqueues);
	st->enqueued = 1000 + q;
	st->early_drops = q;
	st->full_drops = 2 * q;
	st->occupancy = q % 3;
	st->enabled = fl->enabled[q];
#ifdef VR_LINK_CFG_QMODE
	st->eff_limit = fl->cfg.limit;
	st->drain_rate = 1000 * q;
	st->delay_us = q;
	st->stale_drops = 3 * q;
#endif
}

static const struct vr_link_ops fl_ops = {
	.get_config	= fl_get_config,
	.set_config	= fl_set_config,
	.queue_count	= fl_queue_count,
	.queue_stats	= fl_queue_stats,
};

static bool dev_visible(const struct net_device *d, const struct net *net)
{
	return d->net == net && d->reg_state == NETREG_REGISTERED;
}

struct net_device *__dev_get_by_index(struct net *net, int ifindex)
{
	unsigned int i;

	ASSERT_RTNL();
	if (dev_visible(&plain_dev, net) && plain_dev.ifindex == ifindex)
		return &plain_dev;
	for (i = 0; i < NLINKS; i++)
		if (dev_visible(&links[i].dev, net) && links[i].dev.ifindex == ifindex)
			return &links[i].dev;
	return NULL;
}

struct net_device *__dev_get_by_name(struct net *net, const char *name)
{
	unsigned int i;

	ASSERT_RTNL();
	if (dev_visible(&plain_dev, net) && !strcmp(plain_dev.name, name))
		return &plain_dev;
	for (i = 0; i < NLINKS; i++)
		if (dev_visible(&links[i].dev, net) && !strcmp(links[i].dev.name, name))
			return &links[i].dev;
	return NULL;
}

static struct notifier_block *netdev_nb;

int register_netdevice_notifier(struct notifier_block *nb)
{
	netdev_nb = nb;
	return 0;
}

int unregister_netdevice_notifier(struct notifier_block *nb)
{
	CHECK(netdev_nb == nb);
	netdev_nb = NULL;
	return 0;
}

static void netdev_event(unsigned long event, struct net_device *dev)
{
	struct netdev_notifier_info info = { .dev = dev };

	rtnl_lock();
	netdev_nb->notifier_call(netdev_nb, event, &info);
	rtnl_unlock();
}

/* ------------------------------------------------------ genetlink side */

static struct genl_family *family;
static bool listeners;
static struct sock req_sock;

int genl_register_family(struct genl_family *f)
{
	f->id = 0x20;
	family = f;
	return 0;
}

int genl_unregister_family(const struct genl_family *f)
{
	CHECK(family == f);
	family = NULL;
	return 0;
}

int genl_has_listeners(const struct genl_family *f, struct net *net,
		       unsigned int group)
{
	(void)net;
	CHECK(f == family && group < f->n_mcgrps);
	return listeners;
}

static void check_messages(const struct sk_buff *skb, u8 want_cmd);

#define MAX_REPLIES	4
static struct sk_buff *replies[MAX_REPLIES];
static unsigned int nreplies, nnotifs;

int genlmsg_reply(struct sk_buff *skb, struct genl_info *info)
{
	CHECK(info && info->family == family);
	CHECK(nreplies < MAX_REPLIES);
	replies[nreplies++] = skb;
	return 0;
}

static int multicast(const struct genl_family *f, struct sk_buff *skb,
		     unsigned int group)
{
	CHECK(f == family && group < f->n_mcgrps);
	check_messages(skb, 0);
	nnotifs++;
	kfree_skb(skb);
	return 0;
}

int genlmsg_multicast_allns(const struct genl_family *f, struct sk_buff *skb,
			    u32 portid, unsigned int group)
{
	(void)portid;
	return multicast(f, skb, group);
}

int genlmsg_multicast_netns(const struct genl_family *f, struct net *net,
			    struct sk_buff *skb, u32 portid, unsigned int group,
			    gfp_t flags)
{
	(void)portid;
	(void)flags;
	CHECK(net == &init_net || net == &other_net);
	return multicast(f, skb, group);
}

/* ------------------------------------------------- reply parse-back */

static const struct nla_policy stats_reply_policy[VR_SCHED_A_STATS_MAX + 1] = {
	[VR_SCHED_A_STATS_PACKETS]	= { .type = NLA_U64 },
	[VR_SCHED_A_STATS_BYTES]	= { .type = NLA_U64 },
	[VR_SCHED_A_STATS_WAKEUPS]	= { .type = NLA_U64 },
	[VR_SCHED_A_STATS_BUSY_NS]	= { .type = NLA_U64 },
};

/* The answer tree of WORKER_GET (UAPI header); SCHED as in requests. */
static const struct nla_policy worker_reply_policy[VR_SCHED_A_WORKER_MAX + 1] = {
	[VR_SCHED_A_WORKER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_WORKER_DIR]		= NLA_POLICY_RANGE(NLA_U32, 1, VR_SCHED_DIR_MAX),
	[VR_SCHED_A_WORKER_OWNER_PID]	= { .type = NLA_U32 },
	[VR_SCHED_A_WORKER_OWNER_COMM]	= { .type = NLA_NUL_STRING, .len = TASK_COMM_LEN - 1 },
	[VR_SCHED_A_WORKER_DEV_ID]	= { .type = NLA_U32 },
	[VR_SCHED_A_WORKER_KIND]	= { .type = NLA_NUL_STRING },
	[VR_SCHED_A_WORKER_TID]		= { .type = NLA_U32 },
	[VR_SCHED_A_WORKER_CPUS]	= { .type = NLA_NUL_STRING, .len = 1023 },
	[VR_SCHED_A_WORKER_SCHED]	= NLA_POLICY_NESTED(vr_sched_nl_policy),
	[VR_SCHED_A_WORKER_STATS]	= NLA_POLICY_NESTED(stats_reply_policy),
};

static const struct nla_policy queue_reply_policy[VR_SCHED_A_QUEUE_MAX + 1] = {
	[VR_SCHED_A_QUEUE_INDEX]	= NLA_POLICY_MAX(NLA_U32, VR_LINK_MAX_QUEUES - 1),
	[VR_SCHED_A_QUEUE_ENQUEUED]	= { .type = NLA_U64 },
	[VR_SCHED_A_QUEUE_EARLY_DROPS]	= { .type = NLA_U64 },
	[VR_SCHED_A_QUEUE_FULL_DROPS]	= { .type = NLA_U64 },
	[VR_SCHED_A_QUEUE_OCCUPANCY]	= { .type = NLA_U32 },
	[VR_SCHED_A_QUEUE_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
#ifdef VR_LINK_CFG_QMODE
	[VR_SCHED_A_QUEUE_EFF_LIMIT]	= { .type = NLA_U32 },
	[VR_SCHED_A_QUEUE_DRAIN_RATE]	= { .type = NLA_U32 },
	[VR_SCHED_A_QUEUE_DELAY_US]	= { .type = NLA_U32 },
	[VR_SCHED_A_QUEUE_STALE_DROPS]	= { .type = NLA_U64 },
#endif
};

#ifdef VR_LINK_CFG_QMODE
static struct netlink_range_validation target_range = { .min = 1, .max = 1000000 };
static struct netlink_range_validation interval_range = { .min = 1000, .max = 1000000 };
#endif

static const struct nla_policy link_reply_policy[VR_SCHED_A_LINK_MAX + 1] = {
	[VR_SCHED_A_LINK_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_NAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VR_SCHED_A_LINK_MODE]		= { .type = NLA_U32 },
	[VR_SCHED_A_LINK_POLICY]	= NLA_POLICY_RANGE(NLA_U32, 1, VR_SCHED_POLICY_MAX),
	[VR_SCHED_A_LINK_LIMIT]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_SKIP_FULL]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VR_SCHED_A_LINK_WEIGHT]	= NLA_POLICY_RANGE(NLA_U32, 1, 1000),
	[VR_SCHED_A_LINK_QUEUE]		= NLA_POLICY_NESTED(queue_reply_policy),
#ifdef VR_LINK_CFG_QMODE
	[VR_SCHED_A_LINK_QMODE]		= NLA_POLICY_RANGE(NLA_U32, 1, VR_SCHED_QMODE_MAX),
	[VR_SCHED_A_LINK_TARGET_US]	= NLA_POLICY_FULL_RANGE(NLA_U32, &target_range),
	[VR_SCHED_A_LINK_LIMIT_MIN]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_LIMIT_MAX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_INTERVAL_US]	= NLA_POLICY_FULL_RANGE(NLA_U32, &interval_range),
#endif
};

static const struct genl_ops *find_op(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < family->n_ops; i++)
		if (family->ops[i].cmd == cmd)
			return &family->ops[i];
	return NULL;
}

static u32 policy_to_kernel(u32 p)
{
	static const u32 map[] = {
		[VR_SCHED_THREAD_POLICY_OTHER] = SCHED_NORMAL,
		[VR_SCHED_THREAD_POLICY_FIFO] = SCHED_FIFO,
		[VR_SCHED_THREAD_POLICY_RR] = SCHED_RR,
		[VR_SCHED_THREAD_POLICY_DEADLINE] = SCHED_DEADLINE,
		[VR_SCHED_THREAD_POLICY_BATCH] = SCHED_BATCH,
		[VR_SCHED_THREAD_POLICY_IDLE] = SCHED_IDLE,
	};

	CHECK(p >= 1 && p < ARRAY_SIZE(map));
	return map[p];
}

static void check_cpus_attr(const struct nlattr *a, const struct cpumask *want)
{
	struct cpumask m;

	CHECK(a);
	CHECK(!cpulist_parse(nla_data(a), &m));
	CHECK(cpumask_equal(&m, want));
}

/* A SCHED nest against a policy/params set (kernel or vr_sched form). */
static void check_sched_attr(const struct nlattr *nest, u32 kpolicy, int nice,
			     u32 prio, const struct sched_dl_entity *dl)
{
	struct nlattr *tb[VR_SCHED_A_SCHED_MAX + 1];

	CHECK(nest);
	CHECK(!nla_parse_nested(tb, VR_SCHED_A_SCHED_MAX, nest,
				vr_sched_nl_policy, NULL));
	CHECK(tb[VR_SCHED_A_SCHED_POLICY]);
	CHECK(policy_to_kernel(nla_get_u32(tb[VR_SCHED_A_SCHED_POLICY])) == kpolicy);
	if (kpolicy == SCHED_NORMAL || kpolicy == SCHED_BATCH)
		CHECK(tb[VR_SCHED_A_SCHED_NICE] &&
		      nla_get_s32(tb[VR_SCHED_A_SCHED_NICE]) == nice);
	if (kpolicy == SCHED_FIFO || kpolicy == SCHED_RR)
		CHECK(tb[VR_SCHED_A_SCHED_PRIO] &&
		      nla_get_u32(tb[VR_SCHED_A_SCHED_PRIO]) == prio);
	if (kpolicy == SCHED_DEADLINE)
		CHECK(tb[VR_SCHED_A_SCHED_RUNTIME] && tb[VR_SCHED_A_SCHED_DEADLINE] &&
		      tb[VR_SCHED_A_SCHED_PERIOD] &&
		      nla_get_u64(tb[VR_SCHED_A_SCHED_RUNTIME]) == dl->dl_runtime &&
		      nla_get_u64(tb[VR_SCHED_A_SCHED_DEADLINE]) == dl->dl_deadline &&
		      nla_get_u64(tb[VR_SCHED_A_SCHED_PERIOD]) == dl->dl_period);
}

/* Strict parse of a message's attributes; a refusal is a finding. */
static void parse_back(struct nlattr **tb, unsigned int maxtype,
		       const struct nlmsghdr *nlh, const struct nla_policy *policy)
{
	struct netlink_ext_ack ext = {};

	if (__nla_parse(tb, (int)maxtype, nlmsg_attrdata(nlh, GENL_HDRLEN),
			nlmsg_attrlen(nlh, GENL_HDRLEN), policy,
			NL_VALIDATE_STRICT, &ext)) {
		fprintf(stderr, "nl_fuzz: message of cmd %u does not parse back: %s (attribute %d)\n",
			((struct genlmsghdr *)nlmsg_data(nlh))->cmd,
			ext._msg ?: "?", ext.bad_attr ? nla_type(ext.bad_attr) : -1);
		abort();
	}
}

static void check_worker_msg(const struct nlmsghdr *nlh)
{
	struct nlattr *tb[VR_SCHED_A_WORKER_MAX + 1];
	struct fake_worker *fw = NULL;
	unsigned int i;
	u32 id;

	parse_back(tb, VR_SCHED_A_WORKER_MAX, nlh, worker_reply_policy);
	for (i = VR_SCHED_A_WORKER_ID; i <= VR_SCHED_A_WORKER_MAX; i++)
		CHECK(tb[i]);
	id = nla_get_u32(tb[VR_SCHED_A_WORKER_ID]);
	for (i = 0; i < NWORKERS; i++)
		if (workers[i].registered && workers[i].w.id == id)
			fw = &workers[i];
	/* A DEL notification reports a worker on its way out. */
	if (!fw)
		return;
	CHECK(nla_get_u32(tb[VR_SCHED_A_WORKER_TID]) == (u32)fw->task.pid);
	CHECK(nla_get_u32(tb[VR_SCHED_A_WORKER_DIR]) == fw->w.dir);
	check_cpus_attr(tb[VR_SCHED_A_WORKER_CPUS], &fw->task.cpus_mask);
	check_sched_attr(tb[VR_SCHED_A_WORKER_SCHED], fw->task.policy,
			 fw->task.nice, fw->task.rt_priority, &fw->task.dl);
}

static void check_rule_msg(const struct nlmsghdr *nlh)
{
	const struct genl_ops *op = find_op(VR_SCHED_CMD_RULE_GET);
	struct nlattr *tb[VR_SCHED_A_RULE_MAX + 1];
	struct vr_thread_sched *s;
	struct vr_rule *rule;

	/* A rule reads back as a valid request (its own policy). */
	parse_back(tb, op->maxattr, nlh, op->policy);
	CHECK(tb[VR_SCHED_A_RULE_ID]);
	rule = xa_load(&vr_rules, nla_get_u32(tb[VR_SCHED_A_RULE_ID]));
	CHECK(rule);
	CHECK(!!tb[VR_SCHED_A_RULE_DIR] == !!rule->dir);
	CHECK(!tb[VR_SCHED_A_RULE_DIR] || nla_get_u32(tb[VR_SCHED_A_RULE_DIR]) == rule->dir);
	CHECK(!!tb[VR_SCHED_A_RULE_PID] == !!rule->pid);
	CHECK(!tb[VR_SCHED_A_RULE_PID] ||
	      nla_get_u32(tb[VR_SCHED_A_RULE_PID]) == (u32)rule->pid);
	CHECK(!!tb[VR_SCHED_A_RULE_COMM] == !!rule->comm[0]);
	CHECK(!tb[VR_SCHED_A_RULE_COMM] ||
	      !strcmp(nla_data(tb[VR_SCHED_A_RULE_COMM]), rule->comm));
	CHECK(!!tb[VR_SCHED_A_RULE_CPUS] == rule->cfg.has_cpus);
	if (rule->cfg.has_cpus)
		check_cpus_attr(tb[VR_SCHED_A_RULE_CPUS], rule->cfg.cpus);
	CHECK(!!tb[VR_SCHED_A_RULE_SCHED] == rule->cfg.has_sched);
	if (rule->cfg.has_sched) {
		struct sched_dl_entity dl;

		s = &rule->cfg.sched;
		dl.dl_runtime = s->runtime;
		dl.dl_deadline = s->deadline;
		dl.dl_period = s->period;
		check_sched_attr(tb[VR_SCHED_A_RULE_SCHED], policy_to_kernel(s->policy),
				 s->nice, s->prio, &dl);
	}
}

static void check_link_msg(const struct nlmsghdr *nlh)
{
	struct nlattr *tb[VR_SCHED_A_LINK_MAX + 1], *a, *qtb[VR_SCHED_A_QUEUE_MAX + 1];
	struct fake_link *fl = NULL;
	unsigned int i, nw = 0, nq = 0;
	int rem;

	parse_back(tb, VR_SCHED_A_LINK_MAX, nlh, link_reply_policy);
	CHECK(tb[VR_SCHED_A_LINK_IFINDEX] && tb[VR_SCHED_A_LINK_NAME] &&
	      tb[VR_SCHED_A_LINK_POLICY] && tb[VR_SCHED_A_LINK_LIMIT] &&
	      tb[VR_SCHED_A_LINK_SKIP_FULL] && tb[VR_SCHED_A_LINK_MODE]);
	for (i = 0; i < NLINKS; i++)
		if (!strcmp(links[i].dev.name, nla_data(tb[VR_SCHED_A_LINK_NAME])))
			fl = &links[i];
	CHECK(fl);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_IFINDEX]) == (u32)fl->dev.ifindex);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_POLICY]) == fl->cfg.policy);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT]) == fl->cfg.limit);
	CHECK(nla_get_u8(tb[VR_SCHED_A_LINK_SKIP_FULL]) == fl->cfg.skip_full);
#ifdef VR_LINK_CFG_QMODE
	CHECK(tb[VR_SCHED_A_LINK_QMODE] && tb[VR_SCHED_A_LINK_TARGET_US] &&
	      tb[VR_SCHED_A_LINK_LIMIT_MIN] && tb[VR_SCHED_A_LINK_LIMIT_MAX] &&
	      tb[VR_SCHED_A_LINK_INTERVAL_US]);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_QMODE]) == fl->cfg.qmode);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_TARGET_US]) == fl->cfg.target_us);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT_MIN]) == fl->cfg.limit_min);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT_MAX]) == fl->cfg.limit_max);
	CHECK(nla_get_u32(tb[VR_SCHED_A_LINK_INTERVAL_US]) == fl->cfg.interval_us);
#endif
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if (nla_type(a) == VR_SCHED_A_LINK_WEIGHT) {
			CHECK(nw < fl->cfg.nweights);
			CHECK(nla_get_u32(a) == fl->cfg.weights[nw]);
			nw++;
		}
		if (nla_type(a) == VR_SCHED_A_LINK_QUEUE) {
			CHECK(!nla_parse_nested(qtb, VR_SCHED_A_QUEUE_MAX, a,
						queue_reply_policy, NULL));
			CHECK(qtb[VR_SCHED_A_QUEUE_INDEX] &&
			      nla_get_u32(qtb[VR_SCHED_A_QUEUE_INDEX]) == nq);
			CHECK(qtb[VR_SCHED_A_QUEUE_ENABLED] &&
			      nla_get_u8(qtb[VR_SCHED_A_QUEUE_ENABLED]) == fl->enabled[nq]);
			nq++;
		}
	}
	CHECK(nw == fl->cfg.nweights && nq == fl->nqueues);
}

/* Messages of one skb: well formed, of our family, each parsing back. */
static void check_messages(const struct sk_buff *skb, u8 want_cmd)
{
	const struct nlmsghdr *nlh = (const void *)skb->data;
	int rem = (int)skb->len;

	CHECK(skb->len <= skb->size);
	for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		const struct genlmsghdr *gh = nlmsg_data(nlh);

		CHECK(nlh->nlmsg_type == family->id);
		CHECK(nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN);
		CHECK(gh->version == VR_SCHED_GENL_VERSION && !gh->reserved);
		CHECK(!want_cmd || gh->cmd == want_cmd);
		switch (gh->cmd) {
		case VR_SCHED_CMD_WORKER_GET:
		case VR_SCHED_CMD_WORKER_NEW_NTF:
		case VR_SCHED_CMD_WORKER_DEL_NTF:
			check_worker_msg(nlh);
			break;
		case VR_SCHED_CMD_RULE_ADD:
		case VR_SCHED_CMD_RULE_GET:
			check_rule_msg(nlh);
			break;
		case VR_SCHED_CMD_LINK_GET:
		case VR_SCHED_CMD_LINK_NEW_NTF:
		case VR_SCHED_CMD_LINK_DEL_NTF:
		case VR_SCHED_CMD_LINK_CHANGE_NTF:
			check_link_msg(nlh);
			break;
		default:
			CHECK(!"unexpected command in a message");
		}
	}
	CHECK(rem == 0);
}

/* ------------------------------------------------------ state checks */

struct rule_snap {
	u32 id;
	u8 dir;
	char comm[TASK_COMM_LEN];
	pid_t pid;
	bool has_cpus, has_sched;
	struct cpumask cpus;
	struct vr_thread_sched sched;
};

#define MAX_RULES	64

struct snapshot {
	struct task_struct tasks[NWORKERS];
	bool registered[NWORKERS];
	struct vr_link_config cfg[NLINKS];
	struct rule_snap rules[MAX_RULES];
	unsigned int nrules;
	unsigned int workers_gen, rules_gen, links_gen;
};

static void snapshot(struct snapshot *s)
{
	struct vr_rule *rule;
	unsigned long id;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < NWORKERS; i++) {
		s->tasks[i] = workers[i].task;
		s->registered[i] = workers[i].registered;
	}
	for (i = 0; i < NLINKS; i++)
		s->cfg[i] = links[i].cfg;
	xa_for_each(&vr_rules, id, rule) {
		struct rule_snap *r = &s->rules[s->nrules++];

		CHECK(s->nrules <= MAX_RULES);
		r->id = rule->id;
		r->dir = rule->dir;
		memcpy(r->comm, rule->comm, sizeof(r->comm));
		r->pid = rule->pid;
		r->has_cpus = rule->cfg.has_cpus;
		r->has_sched = rule->cfg.has_sched;
		cpumask_copy(&r->cpus, rule->cfg.cpus);
		r->sched = rule->cfg.sched;
	}
	s->workers_gen = vr_workers_gen;
	s->rules_gen = vr_rules_gen;
	s->links_gen = vr_links_gen;
}

static bool tasks_same(const struct snapshot *a, const struct snapshot *b)
{
	unsigned int i;

	for (i = 0; i < NWORKERS; i++)
		if (memcmp(&a->tasks[i], &b->tasks[i], sizeof(a->tasks[i])) ||
		    a->registered[i] != b->registered[i])
			return false;
	return true;
}

static bool rules_same(const struct snapshot *a, const struct snapshot *b)
{
	unsigned int i;

	if (a->nrules != b->nrules)
		return false;
	for (i = 0; i < a->nrules; i++)
		if (memcmp(&a->rules[i], &b->rules[i], sizeof(a->rules[i])))
			return false;
	return true;
}

static bool links_same(const struct snapshot *a, const struct snapshot *b)
{
	return !memcmp(a->cfg, b->cfg, sizeof(a->cfg));
}

static bool sched_valid(const struct vr_thread_sched *s)
{
	switch (s->policy) {
	case VR_SCHED_THREAD_POLICY_OTHER:
	case VR_SCHED_THREAD_POLICY_BATCH:
		return s->nice >= MIN_NICE && s->nice <= MAX_NICE && !s->prio;
	case VR_SCHED_THREAD_POLICY_IDLE:
		return !s->nice && !s->prio;
	case VR_SCHED_THREAD_POLICY_FIFO:
	case VR_SCHED_THREAD_POLICY_RR:
		return s->prio >= 1 && s->prio <= 99 && !s->nice;
	case VR_SCHED_THREAD_POLICY_DEADLINE:
		return s->runtime >= 1024 && s->runtime <= s->deadline &&
		       s->deadline <= s->period && s->period <= 4194304000ULL;
	}
	return false;
}

static void check_objects(void)
{
	struct vr_rule *rule;
	unsigned long id;
	unsigned int i;

	for (i = 0; i < NWORKERS; i++) {
		if (!workers[i].registered)
			continue;
		CHECK(task_valid(&workers[i].task));
		CHECK(xa_load(&vr_workers, workers[i].w.id) == &workers[i].w);
	}
	xa_for_each(&vr_rules, id, rule) {
		CHECK(rule->id == id);
		CHECK(rule->cfg.has_cpus || rule->cfg.has_sched);
		CHECK(rule->dir <= VR_SCHED_DIR_MAX);
		CHECK(memchr(rule->comm, 0, sizeof(rule->comm)));
		/* Fits a pid_t, and pid_max can never exceed it. */
		CHECK(rule->pid >= 0 && rule->pid <= PID_MAX_LIMIT);
		if (rule->cfg.has_cpus)
			CHECK(!cpumask_empty(rule->cfg.cpus) &&
			      cpumask_subset(rule->cfg.cpus, cpu_online_mask));
		if (rule->cfg.has_sched)
			CHECK(sched_valid(&rule->cfg.sched));
	}
	for (i = 0; i < NLINKS; i++)
		CHECK(cfg_valid(&links[i].cfg, links[i].ring));
}

/* ------------------------------------------------------------- setup */

static void world_init(void)
{
	unsigned int c;

	for (c = 0; c < nr_cpu_ids; c++) {
		cpumask_set_cpu(c, &possible_mask);
		if (c < 10)
			cpumask_set_cpu(c, &online_mask);
		if (c < 9)		/* CPU 9 is going down: online, not active */
			cpumask_set_cpu(c, &active_mask);
	}
	req_sock.net = &init_net;
	CHECK(!vr_registry_init());
	CHECK(!vr_netlink_init());
	CHECK(family && family->n_ops);
}

static void worker_register(unsigned int i, u8 seed)
{
	struct fake_worker *fw = &workers[i];
	struct task_struct *t = &fw->task;

	if (fw->registered)
		return;
	memset(fw, 0, sizeof(*fw));
	t->pid = 1000 + (pid_t)i;
	t->policy = SCHED_NORMAL;
	t->cpus_ptr = &t->cpus_mask;
	cpumask_copy(&t->cpus_mask, cpu_possible_mask);
	if (seed & 0x80) {	/* a deadline worker, on every CPU */
		t->policy = SCHED_DEADLINE;
		t->dl.dl_runtime = 100000;
		t->dl.dl_deadline = 500000;
		t->dl.dl_period = 1000000;
	} else if (seed & 0x40) {
		t->policy = SCHED_FIFO;
		t->rt_priority = 1 + seed % 99;
	}
	fw->w.task = t;
	fw->w.dir = 1 + (seed & 1);
	fw->w.owner_pid = 100 * (1 + (seed >> 1) % 3);
	snprintf(fw->w.owner_comm, sizeof(fw->w.owner_comm), "%s",
		 comms[(seed >> 1) % 3]);
	fw->w.dev_id = i;
	fw->w.kind = "vhost_split";
	if (!vr_worker_register(&fw->w))
		fw->registered = true;
}

static void worker_unregister(unsigned int i)
{
	if (!workers[i].registered)
		return;
	vr_worker_unregister(&workers[i].w);
	workers[i].registered = false;
}

static void link_setup(unsigned int i)
{
	static const struct {
		const char *name;
		int ifindex;
		struct net *net;
		u8 reg_state;
		unsigned int nq;
		u32 ring;
	} tmpl[NLINKS] = {
		{ "mvq0", 2, &init_net, NETREG_REGISTERED, 4, 256 },
		{ "mvq1", 3, &init_net, NETREG_REGISTERED, 0, 1000 },
		{ "mvq2", 2, &other_net, NETREG_REGISTERED, 2, 500 },
		{ "mvq3", 5, &init_net, NETREG_UNINITIALIZED, 1, 64 },
	};
	struct fake_link *fl = &links[i];
	unsigned int q;

	memset(fl, 0, sizeof(*fl));
	snprintf(fl->dev.name, sizeof(fl->dev.name), "%s", tmpl[i].name);
	fl->dev.ifindex = tmpl[i].ifindex;
	fl->dev.net = tmpl[i].net;
	fl->dev.reg_state = tmpl[i].reg_state;
	fl->nqueues = tmpl[i].nq;
	fl->ring = tmpl[i].ring;
	for (q = 0; q < fl->nqueues; q++)
		fl->enabled[q] = q != 2;
	fl->cfg.mode = 4;	/* MACVLAN_MODE_BRIDGE */
	fl->cfg.policy = VR_SCHED_POLICY_HASH;
	fl->cfg.limit = fl->ring;
#ifdef VR_LINK_CFG_QMODE
	fl->cfg.qmode = VR_SCHED_QMODE_STATIC;
	fl->cfg.target_us = 1000;
	fl->cfg.limit_min = 1;
	fl->cfg.limit_max = fl->ring;
	fl->cfg.interval_us = 10000;
#endif
	fl->link.dev = &fl->dev;
	fl->link.ops = &fl_ops;
	rtnl_lock();
	CHECK(!vr_link_register(&fl->link));
	rtnl_unlock();
	fl->registered = true;
}

static void world_reset(void)
{
	unsigned int i;

	fuzz_registry_reset();
	for (i = 0; i < 3; i++)
		worker_register(i, (u8)(i == 2 ? 0x85 : i * 2));
	memset(&plain_dev, 0, sizeof(plain_dev));
	snprintf(plain_dev.name, sizeof(plain_dev.name), "eth0");
	plain_dev.ifindex = 1;
	plain_dev.net = &init_net;
	plain_dev.reg_state = NETREG_REGISTERED;
	for (i = 0; i < NLINKS; i++)
		link_setup(i);
}

static void world_teardown(void)
{
	struct vr_rule *rule;
	unsigned long id;
	unsigned int i;

	for (i = 0; i < NWORKERS; i++)
		worker_unregister(i);
	rtnl_lock();
	for (i = 0; i < NLINKS; i++) {
		if (links[i].registered)
			vr_link_unregister(&links[i].link);
		links[i].registered = false;
	}
	rtnl_unlock();
	mutex_lock(&vr_lock);
	xa_for_each(&vr_rules, id, rule)
		vr_rule_free(vr_rule_remove(id));
	mutex_unlock(&vr_lock);
	CHECK(xa_empty(&vr_workers) && xa_empty(&vr_rules) && list_empty(&vr_links));
}

/* ------------------------------------------------------------ events */

enum { EV_WORKER_REG, EV_WORKER_UNREG, EV_LINK_RENAME, EV_LINK_QUEUES,
       EV_LINK_ANNOUNCE, NEVENTS };

static void run_event_one(unsigned int ev, struct fake_link *fl, u8 a, u8 b)
{
	switch (ev) {
	case EV_WORKER_REG:
		worker_register(a % NWORKERS, b);
		break;
	case EV_WORKER_UNREG:
		worker_unregister(a % NWORKERS);
		break;
	case EV_LINK_RENAME:
		snprintf(fl->dev.name, sizeof(fl->dev.name), "mvq%u%c",
			 a % NLINKS, 'a' + b % 26);
		netdev_event(NETDEV_CHANGENAME, &fl->dev);
		break;
	case EV_LINK_QUEUES:
		fl->nqueues = b % (NQUEUES_MAX + 1);
		fl->enabled[b % NQUEUES_MAX] ^= 1;
		rtnl_lock();
		vr_link_notify(&fl->link);
		rtnl_unlock();
		break;
	case EV_LINK_ANNOUNCE:
		if (fl->dev.reg_state == NETREG_REGISTERED)
			break;
		fl->dev.reg_state = NETREG_REGISTERED;
		netdev_event(NETDEV_REGISTER, &fl->dev);
		break;
	}
}

/* The data-plane side, with allocation failures as in requests. */
static void run_event(unsigned int ev, u8 ctl, u8 nth, const u8 *p, size_t len)
{
	u8 a = len > 0 ? p[0] : 0, b = len > 1 ? p[1] : 0;
	struct fake_link *fl = &links[a % NLINKS];

	listeners = ctl & 2;
	fuzz_fail_nth = nth;
	run_event_one(ev, fl, a, b);
	fuzz_fail_nth = 0;
	CHECK(!fuzz_rtnl.held && !vr_lock.held);
}

/* ------------------------------------------------------------- dumps */

/* Ids (workers, rules) or links listed by the parts of one dump. */
struct dump_seen {
	unsigned long ids[64];
	unsigned int n;
	bool intr;
};

static void dump_collect(const struct sk_buff *skb, struct dump_seen *seen)
{
	const struct nlmsghdr *nlh = (const void *)skb->data;
	int rem = (int)skb->len;

	for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		const struct genlmsghdr *gh = nlmsg_data(nlh);
		const struct nlattr *a = nlmsg_attrdata(nlh, GENL_HDRLEN);

		CHECK(nlh->nlmsg_flags & NLM_F_MULTI);
		seen->intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
		CHECK(seen->n < ARRAY_SIZE(seen->ids));
		/* The first attribute is the id (or the ifindex). */
		CHECK(nlmsg_attrlen(nlh, GENL_HDRLEN) >= NLA_HDRLEN);
		CHECK(nla_type(a) == (gh->cmd == VR_SCHED_CMD_LINK_GET ?
				      VR_SCHED_A_LINK_IFINDEX : VR_SCHED_A_WORKER_ID));
		seen->ids[seen->n++] = nla_get_u32(a);
	}
}

static void dump_expect(u8 cmd, struct net *net, const struct dump_seen *seen)
{
	unsigned long id;
	unsigned int n = 0, i;
	void *e;

	switch (cmd) {
	case VR_SCHED_CMD_WORKER_GET:
		xa_for_each(&vr_workers, id, e)
			CHECK(n < seen->n && seen->ids[n++] == id);
		break;
	case VR_SCHED_CMD_RULE_GET:
		xa_for_each(&vr_rules, id, e)
			CHECK(n < seen->n && seen->ids[n++] == id);
		break;
	case VR_SCHED_CMD_LINK_GET:
		/* Registration order = list order here. */
		for (i = 0; i < NLINKS; i++)
			if (links[i].registered && dev_visible(&links[i].dev, net))
				CHECK(n < seen->n &&
				      seen->ids[n++] == (unsigned long)links[i].dev.ifindex);
		break;
	}
	CHECK(n == seen->n);
}

/* Change the dumped objects between two parts of a dump (ctl bit 3). */
static bool dump_change(u8 cmd, u8 seed)
{
	struct vr_rule *rule;
	unsigned int i;

	switch (cmd) {
	case VR_SCHED_CMD_WORKER_GET:
		for (i = 0; i < NWORKERS && workers[i].registered; i++)
			;
		if (i < NWORKERS)
			worker_register(i, seed);
		else
			worker_unregister(seed % NWORKERS);
		return true;
	case VR_SCHED_CMD_RULE_GET:
		rule = kzalloc(sizeof(*rule), GFP_KERNEL);
		CHECK(rule && !vr_thread_cfg_init(&rule->cfg));
		cpumask_set_cpu(seed % 9, rule->cfg.cpus);
		rule->cfg.has_cpus = true;
		mutex_lock(&vr_lock);
		CHECK(!vr_rule_add(rule, NULL));
		mutex_unlock(&vr_lock);
		return true;
	case VR_SCHED_CMD_LINK_GET:
		rtnl_lock();
		vr_link_notify(&links[seed % NLINKS].link);
		rtnl_unlock();
		return true;
	}
	return false;
}

static void run_dump(const struct genl_ops *op, const struct nlmsghdr *nlh,
		     struct sk_buff *in, u8 ctl, u8 nth)
{
	struct netlink_ext_ack ext = {};
	struct netlink_callback cb = { .skb = in, .nlh = nlh, .extack = &ext };
	unsigned int size = ctl & 0x80 ? 64 + nth * 8U : NLMSG_GOODSIZE;
	struct dump_seen seen = {};
	bool changed = false;
	unsigned int parts;
	int ret = 0;

	for (parts = 0; parts < 1000; parts++) {
		struct sk_buff *out = alloc_skb(size, GFP_KERNEL);

		CHECK(out);
		out->sk = in->sk;
		fuzz_fail_nth = parts == 0 ? nth : 0;
		ret = op->dumpit(out, &cb);
		fuzz_fail_nth = 0;
		CHECK(!fuzz_rtnl.held && !vr_lock.held);
		check_messages(out, op->cmd);
		dump_collect(out, &seen);
		CHECK(ret <= 0 || (unsigned int)ret == out->len);
		kfree_skb(out);
		if (ret <= 0)
			break;
		if (parts == 0 && (ctl & 8))
			changed = dump_change(op->cmd, nth);
	}
	CHECK(parts < 1000);		/* a dump ends */
	/* netlink checks the consistency once more on NLMSG_DONE. */
	if (!ret && cb.prev_seq && cb.seq != cb.prev_seq)
		seen.intr = true;
	if (!quiet)
		fprintf(stderr, "nl_fuzz: dump of cmd %u: %d, %u objects in %u parts%s\n",
			op->cmd, ret, seen.n, parts + 1, seen.intr ? ", interrupted" : "");
	if (ret < 0) {
		CHECK(ret == -EMSGSIZE || ret == -ENOMEM);
		return;
	}
	/* A change between two parts is flagged; no change, no flag. */
	CHECK(seen.intr == changed);
	if (!changed)
		dump_expect(op->cmd, in->sk->net, &seen);
}

/* -------------------------------------------------------------- doit */

static u32 seq;

static void run_request(u8 cmd, u8 ctl, u8 nth, const u8 *attrs, size_t len)
{
	const struct genl_ops *op = find_op(cmd);
	struct netlink_ext_ack ext = {};
	struct nlattr **tb = NULL;
	struct snapshot before, after;
	struct sk_buff in = { .sk = &req_sock, .nlcb.portid = 4242 };
	struct genl_info info = {};
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;
	unsigned int i;
	int err;

	if (!op)
		return;		/* genetlink answers -EOPNOTSUPP */
	if ((ctl & 1) && !op->dumpit)
		return;
	if (!(ctl & 1) && !op->doit)
		return;

	/* The request as it arrives: exactly its bytes (ASan catches overreads). */
	nlh = malloc(NLMSG_HDRLEN + GENL_HDRLEN + len);
	CHECK(nlh);
	nlh->nlmsg_len = (u32)(NLMSG_HDRLEN + GENL_HDRLEN + len);
	nlh->nlmsg_type = (u16)family->id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | ((ctl & 1) ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++seq;
	nlh->nlmsg_pid = 4242;
	gh = nlmsg_data(nlh);
	gh->cmd = cmd;
	gh->version = VR_SCHED_GENL_VERSION;
	gh->reserved = 0;
	memcpy((char *)gh + GENL_HDRLEN, attrs, len);
	req_sock.net = ctl & 4 ? &other_net : &init_net;
	listeners = ctl & 2;

	/* genetlink's parse: the op's policy and maxattr, strict. */
	tb = calloc(op->maxattr + 1, sizeof(*tb));
	CHECK(tb);
	err = __nla_parse(tb, (int)op->maxattr, nlmsg_attrdata(nlh, GENL_HDRLEN),
			  nlmsg_attrlen(nlh, GENL_HDRLEN), op->policy,
			  NL_VALIDATE_STRICT, &ext);
	if (err) {
		if (!quiet)
			fprintf(stderr, "nl_fuzz: cmd %u: refused by the policy: %d: %s\n",
				cmd, err, ext._msg ?: "");
		CHECK(err < 0 && ext._msg);
		goto out;
	}
	if (ctl & 1) {
		run_dump(op, nlh, &in, ctl, nth);
		goto out;
	}

	info.snd_seq = nlh->nlmsg_seq;
	info.snd_portid = nlh->nlmsg_pid;
	info.family = family;
	info.nlhdr = nlh;
	info.genlhdr = gh;
	info.attrs = tb;
	info._net = req_sock.net;
	info.extack = &ext;

	snapshot(&before);
	for (i = 0; i < NLINKS; i++)
		links[i].set_calls = 0;
	nreplies = 0;
	nnotifs = 0;
	fuzz_failed = 0;
	refuse.what = (ctl >> 3) & 3;
	refuse.err = refuse_errno[(ctl >> 5) & 3];
	fuzz_fail_nth = nth;

	err = op->doit(&in, &info);

	fuzz_fail_nth = 0;
	refuse.what = 0;
	if (!quiet)
		fprintf(stderr, "nl_fuzz: cmd %u ctl %#x nth %u: %d%s%s (%u replies, %u notifications)\n",
			cmd, ctl, nth, err, ext._msg ? ": " : "", ext._msg ?: "",
			nreplies, nnotifs);
	snapshot(&after);
	CHECK(!fuzz_rtnl.held && !vr_lock.held);
	CHECK(err <= 0 && err >= -MAX_ERRNO);
	if (err && err != -ENOMEM && err != -EMSGSIZE)
		CHECK(ext._msg);
	/* A get's answer is sized for the object: it always fits. */
	if (err == -EMSGSIZE && (cmd == VR_SCHED_CMD_WORKER_GET ||
				 cmd == VR_SCHED_CMD_RULE_GET ||
				 cmd == VR_SCHED_CMD_LINK_GET))
		CHECK(0);
	if (err) {
		CHECK(tasks_same(&before, &after));
		CHECK(rules_same(&before, &after));
		CHECK(links_same(&before, &after));
		CHECK(!nreplies);
	}
	/* A change is visible to dumps in progress. */
	if (!tasks_same(&before, &after))
		CHECK(after.workers_gen != before.workers_gen);
	if (!rules_same(&before, &after))
		CHECK(after.rules_gen != before.rules_gen);
	if (!links_same(&before, &after))
		CHECK(after.links_gen != before.links_gen);
	for (i = 0; i < nreplies; i++) {
		check_messages(replies[i], 0);
		kfree_skb(replies[i]);
	}
	/* Gets answer; rule add answers unless its answer could not be built. */
	if (!err && (cmd == VR_SCHED_CMD_WORKER_GET || cmd == VR_SCHED_CMD_RULE_GET ||
		     cmd == VR_SCHED_CMD_LINK_GET ||
		     (cmd == VR_SCHED_CMD_RULE_ADD && !fuzz_failed)))
		CHECK(nreplies == 1);
	if (cmd == VR_SCHED_CMD_RULE_ADD && !err)
		CHECK(after.nrules == before.nrules + 1);
	if (cmd == VR_SCHED_CMD_RULE_DEL && !err)
		CHECK(after.nrules + 1 == before.nrules);
	/* A link set that succeeded went through set_config once, and its
	 * listeners heard of it (unless the notification's allocation failed).
	 */
	if (cmd == VR_SCHED_CMD_LINK_SET && !err) {
		unsigned int calls = 0;

		for (i = 0; i < NLINKS; i++)
			calls += links[i].set_calls;
		CHECK(calls == 1);
		if (listeners && !fuzz_failed)
			CHECK(nnotifs == 1);
	}
out:
	free(tb);
	free(nlh);
}

/* ----------------------------------------------------------- libFuzzer */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	quiet = !getenv("NL_FUZZ_VERBOSE");
	world_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int steps = 0;

	world_reset();
	check_objects();
	while (size >= 5 && steps++ < 16) {
		u8 sel = data[0], ctl = data[1], nth = data[2];
		size_t len = data[3] | (size_t)data[4] << 8;

		data += 5;
		size -= 5;
		if (len > size)
			len = size;
		if (sel <= VR_SCHED_CMD_MAX)
			run_request(sel, ctl, nth, data, len);
		else
			run_event((sel - VR_SCHED_CMD_MAX - 1) % NEVENTS, ctl, nth,
				  data, len);
		check_objects();
		data += len;
		size -= len;
	}
	world_teardown();
	return 0;
}
