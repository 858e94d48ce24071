// SPDX-License-Identifier: GPL-2.0
/*
 * The vr_sched generic netlink family (spec:
 * Documentation/netlink/specs/vr_sched.yaml, UAPI: <linux/vr_sched.h>).
 *
 * Ops run in parallel (no genl_mutex). Worker and rule ops hold vr_lock for
 * their whole run, link ops hold RTNL; see registry.c. Dumps keep their
 * cursor in cb->args[0] (next worker/rule id, or the number of links of the
 * namespace already sent) and flag NLM_F_DUMP_INTR through
 * genl_dump_check_consistent() when the generation counter of the dumped
 * objects changed between two parts of one dump.
 *
 * Permissions: workers and rules are host-wide, so changing them needs
 * CAP_NET_ADMIN in the initial user namespace (GENL_ADMIN_PERM); links
 * belong to a network namespace and follow ip link (GENL_UNS_ADMIN_PERM).
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sched/prio.h>
#include <linux/slab.h>
#include <linux/threads.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vr_sched.h"

#define VR_CPULIST_MAX		1023
#define VR_WEIGHT_MAX		1000
#define VR_TARGET_US_MAX	1000000
#define VR_INTERVAL_US_MIN	1000
#define VR_INTERVAL_US_MAX	1000000
#define VR_DL_MIN_NS		1024ULL		/* kernel DL_SCALE granularity */
#define VR_DL_MAX_NS		4194304000ULL	/* default period max, 2^22 us */

static struct genl_family vr_genl_family;

/* Not const: 6.1's NLA_POLICY_FULL_RANGE() takes a mutable pointer. */
static struct netlink_range_validation vr_dl_range = {
	.min = VR_DL_MIN_NS,
	.max = VR_DL_MAX_NS,
};

/* pid_max cannot exceed PID_MAX_LIMIT (4194304 on 64-bit). */
static struct netlink_range_validation vr_pid_range = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

static struct netlink_range_validation vr_target_us_range = {
	.min = 1,
	.max = VR_TARGET_US_MAX,
};

static struct netlink_range_validation vr_interval_us_range = {
	.min = VR_INTERVAL_US_MIN,
	.max = VR_INTERVAL_US_MAX,
};

const struct nla_policy vr_sched_nl_policy[VR_SCHED_A_SCHED_MAX + 1] = {
	[VR_SCHED_A_SCHED_POLICY]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   VR_SCHED_THREAD_POLICY_MAX),
	[VR_SCHED_A_SCHED_NICE]		= NLA_POLICY_RANGE(NLA_S32, MIN_NICE,
							   MAX_NICE),
	[VR_SCHED_A_SCHED_PRIO]		= NLA_POLICY_RANGE(NLA_U32, 1,
							   MAX_RT_PRIO - 1),
	[VR_SCHED_A_SCHED_RUNTIME]	= NLA_POLICY_FULL_RANGE(NLA_U64,
								&vr_dl_range),
	[VR_SCHED_A_SCHED_DEADLINE]	= NLA_POLICY_FULL_RANGE(NLA_U64,
								&vr_dl_range),
	[VR_SCHED_A_SCHED_PERIOD]	= NLA_POLICY_FULL_RANGE(NLA_U64,
								&vr_dl_range),
};

static const struct nla_policy vr_worker_nl_policy[VR_SCHED_A_WORKER_MAX + 1] = {
	[VR_SCHED_A_WORKER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_WORKER_CPUS]	= { .type = NLA_NUL_STRING,
					    .len = VR_CPULIST_MAX },
	[VR_SCHED_A_WORKER_SCHED]	= NLA_POLICY_NESTED(vr_sched_nl_policy),
};

static const struct nla_policy vr_rule_nl_policy[VR_SCHED_A_RULE_MAX + 1] = {
	[VR_SCHED_A_RULE_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_RULE_DIR]		= NLA_POLICY_RANGE(NLA_U32, 1,
							   VR_SCHED_DIR_MAX),
	[VR_SCHED_A_RULE_COMM]		= { .type = NLA_NUL_STRING,
					    .len = TASK_COMM_LEN - 1 },
	[VR_SCHED_A_RULE_PID]		= NLA_POLICY_FULL_RANGE(NLA_U32,
								&vr_pid_range),
	[VR_SCHED_A_RULE_CPUS]		= { .type = NLA_NUL_STRING,
					    .len = VR_CPULIST_MAX },
	[VR_SCHED_A_RULE_SCHED]		= NLA_POLICY_NESTED(vr_sched_nl_policy),
};

static const struct nla_policy vr_link_nl_policy[VR_SCHED_A_LINK_MAX + 1] = {
	[VR_SCHED_A_LINK_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_NAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[VR_SCHED_A_LINK_POLICY]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   VR_SCHED_POLICY_MAX),
	[VR_SCHED_A_LINK_LIMIT]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_SKIP_FULL]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VR_SCHED_A_LINK_WEIGHT]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   VR_WEIGHT_MAX),
	[VR_SCHED_A_LINK_QMODE]		= NLA_POLICY_RANGE(NLA_U32, 1,
							   VR_SCHED_QMODE_MAX),
	[VR_SCHED_A_LINK_TARGET_US]	= NLA_POLICY_FULL_RANGE(NLA_U32,
								&vr_target_us_range),
	[VR_SCHED_A_LINK_LIMIT_MIN]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_LIMIT_MAX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VR_SCHED_A_LINK_INTERVAL_US]	= NLA_POLICY_FULL_RANGE(NLA_U32,
								&vr_interval_us_range),
};

/* A required attribute, with an extack message naming it. */
#define vr_nl_require(info, attr, msg) ({			\
	struct genl_info *__info = (info);			\
	int __err = 0;						\
	if (!__info->attrs[attr]) {				\
		NL_SET_ERR_MSG(__info->extack, msg);		\
		__err = -EINVAL;				\
	}							\
	__err;							\
})

/* ---------------------------------------------------------------- workers */

static int vr_nl_put_stats(struct sk_buff *skb, struct vr_worker *w)
{
	u64 packets, bytes, wakeups, busy;
	struct nlattr *nest;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&w->stats.syncp);
		packets = u64_stats_read(&w->stats.packets);
		bytes = u64_stats_read(&w->stats.bytes);
		wakeups = u64_stats_read(&w->stats.wakeups);
		busy = u64_stats_read(&w->stats.busy_ns);
	} while (u64_stats_fetch_retry(&w->stats.syncp, start));

	nest = nla_nest_start(skb, VR_SCHED_A_WORKER_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VR_SCHED_A_STATS_PACKETS, packets,
			      VR_SCHED_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_STATS_BYTES, bytes,
			      VR_SCHED_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_STATS_WAKEUPS, wakeups,
			      VR_SCHED_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_STATS_BUSY_NS, busy,
			      VR_SCHED_A_STATS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vr_nl_put_cpus(struct sk_buff *skb, int attr,
			  const struct cpumask *mask)
{
	char *list;
	int err;

	list = kasprintf(GFP_KERNEL, "%*pbl", cpumask_pr_args(mask));
	if (!list)
		return -ENOMEM;
	err = nla_put_string(skb, attr, list);
	kfree(list);
	return err;
}

static int vr_nl_fill_worker(struct sk_buff *skb, struct vr_worker *w,
			     u32 portid, u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb)
{
	struct vr_thread_sched sched;
	void *hdr;
	int err;

	lockdep_assert_held(&vr_lock);
	hdr = genlmsg_put(skb, portid, seq, &vr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	vr_thread_get_sched(w->task, &sched);
	err = -EMSGSIZE;
	if (nla_put_u32(skb, VR_SCHED_A_WORKER_ID, w->id) ||
	    nla_put_u32(skb, VR_SCHED_A_WORKER_DIR, w->dir) ||
	    nla_put_u32(skb, VR_SCHED_A_WORKER_OWNER_PID, w->owner_pid) ||
	    nla_put_string(skb, VR_SCHED_A_WORKER_OWNER_COMM, w->owner_comm) ||
	    nla_put_u32(skb, VR_SCHED_A_WORKER_DEV_ID, w->dev_id) ||
	    nla_put_string(skb, VR_SCHED_A_WORKER_KIND,
			   w->kind ?: "unknown") ||
	    nla_put_u32(skb, VR_SCHED_A_WORKER_TID, task_pid_nr(w->task)))
		goto err_cancel;
	err = vr_nl_put_cpus(skb, VR_SCHED_A_WORKER_CPUS, w->task->cpus_ptr);
	if (err)
		goto err_cancel;
	err = -EMSGSIZE;
	if (vr_nl_put_sched(skb, VR_SCHED_A_WORKER_SCHED, &sched) ||
	    vr_nl_put_stats(skb, w))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return err;
}

static struct vr_worker *vr_nl_worker_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VR_SCHED_A_WORKER_ID];
	struct vr_worker *w;

	lockdep_assert_held(&vr_lock);
	w = xa_load(&vr_workers, nla_get_u32(attr));
	if (!w)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no worker with this id");
	return w;
}

static int vr_nl_worker_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vr_worker *w;
	struct sk_buff *msg;
	int err;

	err = vr_nl_require(info, VR_SCHED_A_WORKER_ID, "worker id missing");
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&vr_lock);
	w = vr_nl_worker_lookup(info);
	err = w ? vr_nl_fill_worker(msg, w, info->snd_portid, info->snd_seq,
				    0, VR_SCHED_CMD_WORKER_GET, NULL) : -ENOENT;
	mutex_unlock(&vr_lock);
	if (err)
		goto err_fill;
	return genlmsg_reply(msg, info);

err_fill:
	nlmsg_free(msg);
	return err;
}

static int vr_nl_worker_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct vr_worker *w;
	unsigned long id;
	int err = 0;

	mutex_lock(&vr_lock);
	cb->seq = vr_workers_gen;
	xa_for_each_start(&vr_workers, id, w, cb->args[0]) {
		err = vr_nl_fill_worker(skb, w, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					VR_SCHED_CMD_WORKER_GET, cb);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&vr_lock);
	/* A worker that does not fit an empty message is an error, not EOF. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int vr_nl_worker_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vr_thread_cfg cfg;
	struct vr_worker *w;
	int err;

	err = vr_nl_require(info, VR_SCHED_A_WORKER_ID, "worker id missing");
	if (err)
		return err;
	if (!info->attrs[VR_SCHED_A_WORKER_CPUS] &&
	    !info->attrs[VR_SCHED_A_WORKER_SCHED]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give cpus and/or sched");
		return -EINVAL;
	}
	err = vr_thread_cfg_init(&cfg);
	if (err)
		return err;
	err = vr_thread_cfg_parse(&cfg, info->attrs[VR_SCHED_A_WORKER_CPUS],
				  info->attrs[VR_SCHED_A_WORKER_SCHED],
				  info->extack);
	if (err)
		goto out_cfg;

	mutex_lock(&vr_lock);
	w = vr_nl_worker_lookup(info);
	if (w) {
		err = vr_thread_apply(w->task,
				      cfg.has_cpus ? cfg.cpus : NULL,
				      cfg.has_sched ? &cfg.sched : NULL,
				      info->extack);
		if (!err)
			vr_workers_gen++;
	} else {
		err = -ENOENT;
	}
	mutex_unlock(&vr_lock);
out_cfg:
	vr_thread_cfg_destroy(&cfg);
	return err;
}

void vr_nl_notify_worker(struct vr_worker *w, u8 cmd)
{
	struct sk_buff *msg;

	lockdep_assert_held(&vr_lock);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (vr_nl_fill_worker(msg, w, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	/* Workers are host-wide: every namespace may watch them. */
	genlmsg_multicast_allns(&vr_genl_family, msg, 0, 0);
}

/* ------------------------------------------------------------------ rules */

static int vr_nl_fill_rule(struct sk_buff *skb, struct vr_rule *rule,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	void *hdr;
	int err = -EMSGSIZE;

	lockdep_assert_held(&vr_lock);
	hdr = genlmsg_put(skb, portid, seq, &vr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, VR_SCHED_A_RULE_ID, rule->id))
		goto err_cancel;
	if (rule->dir && nla_put_u32(skb, VR_SCHED_A_RULE_DIR, rule->dir))
		goto err_cancel;
	if (rule->comm[0] &&
	    nla_put_string(skb, VR_SCHED_A_RULE_COMM, rule->comm))
		goto err_cancel;
	if (rule->pid && nla_put_u32(skb, VR_SCHED_A_RULE_PID, rule->pid))
		goto err_cancel;
	if (rule->cfg.has_cpus) {
		err = vr_nl_put_cpus(skb, VR_SCHED_A_RULE_CPUS, rule->cfg.cpus);
		if (err)
			goto err_cancel;
		err = -EMSGSIZE;
	}
	if (rule->cfg.has_sched &&
	    vr_nl_put_sched(skb, VR_SCHED_A_RULE_SCHED, &rule->cfg.sched))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return err;
}

static int vr_nl_rule_parse(struct vr_rule *rule, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;

	if (tb[VR_SCHED_A_RULE_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VR_SCHED_A_RULE_ID],
				    "the kernel picks the rule id");
		return -EINVAL;
	}
	if (!tb[VR_SCHED_A_RULE_CPUS] && !tb[VR_SCHED_A_RULE_SCHED]) {
		NL_SET_ERR_MSG(info->extack, "rule has no action: give cpus and/or sched");
		return -EINVAL;
	}
	if (tb[VR_SCHED_A_RULE_DIR])
		rule->dir = nla_get_u32(tb[VR_SCHED_A_RULE_DIR]);
	if (tb[VR_SCHED_A_RULE_PID])
		rule->pid = nla_get_u32(tb[VR_SCHED_A_RULE_PID]);
	if (tb[VR_SCHED_A_RULE_COMM])
		nla_strscpy(rule->comm, tb[VR_SCHED_A_RULE_COMM],
			    sizeof(rule->comm));
	return vr_thread_cfg_parse(&rule->cfg, tb[VR_SCHED_A_RULE_CPUS],
				   tb[VR_SCHED_A_RULE_SCHED], info->extack);
}

static int vr_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vr_rule *rule;
	struct sk_buff *msg;
	int err;

	rule = kzalloc(sizeof(*rule), GFP_KERNEL);
	if (!rule)
		return -ENOMEM;
	err = vr_thread_cfg_init(&rule->cfg);
	if (err)
		goto err_cfg;
	err = vr_nl_rule_parse(rule, info);
	if (err)
		goto err_parse;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_parse;
	}

	mutex_lock(&vr_lock);
	err = vr_rule_add(rule, info->extack);
	if (err)
		goto err_add;
	/* The rule is live now; a reply that does not fit is not a failure. */
	if (vr_nl_fill_rule(msg, rule, info->snd_portid, info->snd_seq, 0,
			    VR_SCHED_CMD_RULE_ADD, NULL)) {
		mutex_unlock(&vr_lock);
		nlmsg_free(msg);
		return 0;
	}
	mutex_unlock(&vr_lock);
	return genlmsg_reply(msg, info);

err_add:
	mutex_unlock(&vr_lock);
	nlmsg_free(msg);
err_parse:
	vr_thread_cfg_destroy(&rule->cfg);
err_cfg:
	kfree(rule);
	return err;
}

static int vr_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vr_rule *rule;
	int err;

	err = vr_nl_require(info, VR_SCHED_A_RULE_ID, "rule id missing");
	if (err)
		return err;
	mutex_lock(&vr_lock);
	rule = vr_rule_remove(nla_get_u32(info->attrs[VR_SCHED_A_RULE_ID]));
	mutex_unlock(&vr_lock);
	if (!rule) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VR_SCHED_A_RULE_ID],
				    "no rule with this id");
		return -ENOENT;
	}
	vr_rule_free(rule);
	return 0;
}

static int vr_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VR_SCHED_A_RULE_ID];
	struct vr_rule *rule;
	struct sk_buff *msg;
	int err;

	err = vr_nl_require(info, VR_SCHED_A_RULE_ID, "rule id missing");
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vr_lock);
	rule = xa_load(&vr_rules, nla_get_u32(attr));
	if (rule) {
		err = vr_nl_fill_rule(msg, rule, info->snd_portid,
				      info->snd_seq, 0, VR_SCHED_CMD_RULE_GET,
				      NULL);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no rule with this id");
		err = -ENOENT;
	}
	mutex_unlock(&vr_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vr_nl_rule_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct vr_rule *rule;
	unsigned long id;
	int err = 0;

	mutex_lock(&vr_lock);
	cb->seq = vr_rules_gen;
	xa_for_each_start(&vr_rules, id, rule, cb->args[0]) {
		err = vr_nl_fill_rule(skb, rule, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      VR_SCHED_CMD_RULE_GET, cb);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&vr_lock);
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ------------------------------------------------------------------ links */

/* The size of a link message with @cfg, read from the link under RTNL. */
static size_t vr_nl_link_size(struct vr_link *link,
			      const struct vr_link_config *cfg)
{
	unsigned int nq = min(link->ops->queue_count(link), VR_LINK_MAX_QUEUES);
	unsigned int nw = min_t(unsigned int, cfg->nweights, VR_LINK_MAX_QUEUES);

	/*
	 * ifindex mode policy limit qmode target min max interval; the
	 * weights are counted apart from the queues: a link may hold weights
	 * for queues that are not (or no longer) attached.
	 */
	return nla_total_size(sizeof(u32)) * 9 +
	       nla_total_size(IFNAMSIZ) + nla_total_size(sizeof(u8)) +
	       nw * nla_total_size(sizeof(u32)) +
	       nq * (nla_total_size(0) +		/* queue nest */
		     nla_total_size(sizeof(u32)) * 5 +
		     nla_total_size_64bit(sizeof(u64)) * 4 +
		     nla_total_size(sizeof(u8)));
}

static int vr_nl_put_queue(struct sk_buff *skb, unsigned int index,
			   const struct vr_queue_stats *qs)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VR_SCHED_A_LINK_QUEUE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VR_SCHED_A_QUEUE_INDEX, index) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_QUEUE_ENQUEUED, qs->enqueued,
			      VR_SCHED_A_QUEUE_PAD) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_QUEUE_EARLY_DROPS,
			      qs->early_drops, VR_SCHED_A_QUEUE_PAD) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_QUEUE_FULL_DROPS,
			      qs->full_drops, VR_SCHED_A_QUEUE_PAD) ||
	    nla_put_u32(skb, VR_SCHED_A_QUEUE_OCCUPANCY, qs->occupancy) ||
	    nla_put_u8(skb, VR_SCHED_A_QUEUE_ENABLED, qs->enabled) ||
	    nla_put_u32(skb, VR_SCHED_A_QUEUE_EFF_LIMIT, qs->eff_limit) ||
	    nla_put_u32(skb, VR_SCHED_A_QUEUE_DRAIN_RATE, qs->drain_rate) ||
	    nla_put_u32(skb, VR_SCHED_A_QUEUE_DELAY_US, qs->delay_us) ||
	    nla_put_u64_64bit(skb, VR_SCHED_A_QUEUE_STALE_DROPS,
			      qs->stale_drops, VR_SCHED_A_QUEUE_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Read @link's configuration into @cfg (scratch space, not on the stack). */
static void vr_nl_link_config(struct vr_link *link, struct vr_link_config *cfg)
{
	ASSERT_RTNL();
	memset(cfg, 0, sizeof(*cfg));
	link->ops->get_config(link, cfg);
}

/* @cfg is @link's configuration, read under the RTNL held since. */
static int vr_nl_fill_link(struct sk_buff *skb, struct vr_link *link,
			   const struct vr_link_config *cfg, u32 portid,
			   u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	struct vr_queue_stats qs;
	unsigned int i, n;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &vr_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, VR_SCHED_A_LINK_IFINDEX, link->dev->ifindex) ||
	    nla_put_string(skb, VR_SCHED_A_LINK_NAME, link->dev->name) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_MODE, cfg->mode) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_POLICY, cfg->policy) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_LIMIT, cfg->limit) ||
	    nla_put_u8(skb, VR_SCHED_A_LINK_SKIP_FULL, cfg->skip_full) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_QMODE, cfg->qmode) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_TARGET_US, cfg->target_us) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_LIMIT_MIN, cfg->limit_min) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_LIMIT_MAX, cfg->limit_max) ||
	    nla_put_u32(skb, VR_SCHED_A_LINK_INTERVAL_US, cfg->interval_us))
		goto err_cancel;
	for (i = 0; i < min_t(unsigned int, cfg->nweights, VR_LINK_MAX_QUEUES); i++)
		if (nla_put_u32(skb, VR_SCHED_A_LINK_WEIGHT, cfg->weights[i]))
			goto err_cancel;
	n = min(link->ops->queue_count(link), VR_LINK_MAX_QUEUES);
	for (i = 0; i < n; i++) {
		memset(&qs, 0, sizeof(qs));
		link->ops->queue_stats(link, i, &qs);
		if (vr_nl_put_queue(skb, i, &qs))
			goto err_cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* One link message (a get answer or a notification), sized for @link. */
static struct sk_buff *vr_nl_link_msg(struct vr_link *link,
				      struct vr_link_config *cfg, u32 portid,
				      u32 seq, u8 cmd)
{
	struct sk_buff *msg;
	int err;

	vr_nl_link_config(link, cfg);
	msg = genlmsg_new(vr_nl_link_size(link, cfg), GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	err = vr_nl_fill_link(msg, link, cfg, portid, seq, 0, cmd, NULL);
	if (err) {
		nlmsg_free(msg);
		return ERR_PTR(err);
	}
	return msg;
}

static struct vr_link *vr_nl_link_lookup(struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[VR_SCHED_A_LINK_IFINDEX];
	struct nlattr *name = info->attrs[VR_SCHED_A_LINK_NAME];
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	struct vr_link *link;

	ASSERT_RTNL();
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
	} else if (name) {
		dev = __dev_get_by_name(net, nla_data(name));
	} else {
		NL_SET_ERR_MSG(info->extack, "link ifindex or name missing");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex ?: name,
				    "no such device in this network namespace");
		return ERR_PTR(-ENODEV);
	}
	link = vr_link_find(dev);
	if (!link) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex ?: name,
				    "device is not a macvtap_mq link");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return link;
}

static int vr_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vr_link_config *cfg;
	struct vr_link *link;
	struct sk_buff *msg;
	int err;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	rtnl_lock();
	link = vr_nl_link_lookup(info);
	if (IS_ERR(link)) {
		err = PTR_ERR(link);
		goto err_lookup;
	}
	msg = vr_nl_link_msg(link, cfg, info->snd_portid, info->snd_seq,
			     VR_SCHED_CMD_LINK_GET);
	rtnl_unlock();
	kfree(cfg);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);

err_lookup:
	rtnl_unlock();
	kfree(cfg);
	return err;
}

static int vr_nl_link_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct vr_link_config *cfg;
	struct vr_link *link;
	long idx = 0;
	int err = 0;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	rtnl_lock();
	cb->seq = vr_links_gen;
	list_for_each_entry(link, &vr_links, list) {
		if (!net_eq(dev_net(link->dev), net) ||
		    link->dev->reg_state != NETREG_REGISTERED)
			continue;
		if (idx++ < cb->args[0])
			continue;
		vr_nl_link_config(link, cfg);
		err = vr_nl_fill_link(skb, link, cfg,
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      VR_SCHED_CMD_LINK_GET, cb);
		if (err)
			break;
		cb->args[0] = idx;
	}
	rtnl_unlock();
	kfree(cfg);
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * Weights come one attribute per queue. With queues attached their count
 * must match the enabled queues; the link kind checks the rest.
 */
static int vr_nl_link_parse_weights(struct genl_info *info,
				    struct vr_link *link,
				    struct vr_link_config *cfg)
{
	unsigned int n = 0, nenabled = 0, i, nq;
	struct nlattr *first = NULL, *nla;
	struct vr_queue_stats qs;
	int rem;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) != VR_SCHED_A_LINK_WEIGHT)
			continue;
		if (!first)
			first = nla;
		if (n == VR_LINK_MAX_QUEUES) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla, "too many weights");
			return -EINVAL;
		}
		cfg->weights[n++] = nla_get_u32(nla);
	}
	if (!first)
		return 0;
	nq = min(link->ops->queue_count(link), VR_LINK_MAX_QUEUES);
	for (i = 0; i < nq; i++) {
		memset(&qs, 0, sizeof(qs));
		link->ops->queue_stats(link, i, &qs);
		nenabled += !!qs.enabled;
	}
	if (nenabled && n != nenabled) {
		NL_SET_ERR_MSG_ATTR(info->extack, first,
				    "weight count differs from the link's enabled queue count (one weight per queue)");
		return -EINVAL;
	}
	cfg->nweights = n;
	return 1;
}

/* The queue-length mode and its parameters; returns the changed bits. */
static u32 vr_nl_link_parse_qmode(struct nlattr **tb,
				  struct vr_link_config *cfg)
{
	u32 changed = 0;

	if (tb[VR_SCHED_A_LINK_QMODE]) {
		cfg->qmode = nla_get_u32(tb[VR_SCHED_A_LINK_QMODE]);
		changed |= VR_LINK_CFG_QMODE;
	}
	if (tb[VR_SCHED_A_LINK_TARGET_US]) {
		cfg->target_us = nla_get_u32(tb[VR_SCHED_A_LINK_TARGET_US]);
		changed |= VR_LINK_CFG_TARGET;
	}
	if (tb[VR_SCHED_A_LINK_LIMIT_MIN]) {
		cfg->limit_min = nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT_MIN]);
		changed |= VR_LINK_CFG_LIMIT_MIN;
	}
	if (tb[VR_SCHED_A_LINK_LIMIT_MAX]) {
		cfg->limit_max = nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT_MAX]);
		changed |= VR_LINK_CFG_LIMIT_MAX;
	}
	if (tb[VR_SCHED_A_LINK_INTERVAL_US]) {
		cfg->interval_us = nla_get_u32(tb[VR_SCHED_A_LINK_INTERVAL_US]);
		changed |= VR_LINK_CFG_INTERVAL;
	}
	return changed;
}

static int vr_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vr_link_config *cfg;
	struct vr_link *link;
	u32 changed = 0;
	int err;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	rtnl_lock();
	link = vr_nl_link_lookup(info);
	if (IS_ERR(link)) {
		err = PTR_ERR(link);
		goto out_unlock;
	}
	link->ops->get_config(link, cfg);
	if (tb[VR_SCHED_A_LINK_POLICY]) {
		cfg->policy = nla_get_u32(tb[VR_SCHED_A_LINK_POLICY]);
		changed |= VR_LINK_CFG_POLICY;
	}
	if (tb[VR_SCHED_A_LINK_LIMIT]) {
		cfg->limit = nla_get_u32(tb[VR_SCHED_A_LINK_LIMIT]);
		changed |= VR_LINK_CFG_LIMIT;
	}
	if (tb[VR_SCHED_A_LINK_SKIP_FULL]) {
		cfg->skip_full = nla_get_u8(tb[VR_SCHED_A_LINK_SKIP_FULL]);
		changed |= VR_LINK_CFG_SKIP_FULL;
	}
	changed |= vr_nl_link_parse_qmode(tb, cfg);
	err = vr_nl_link_parse_weights(info, link, cfg);
	if (err < 0)
		goto out_unlock;
	if (err > 0)
		changed |= VR_LINK_CFG_WEIGHTS;
	if (!changed) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give policy, limit, skip-full, weights, qmode or its parameters");
		err = -EINVAL;
		goto out_unlock;
	}
	err = link->ops->set_config(link, cfg, changed, info->extack);
	if (!err)
		vr_link_notify(link);
out_unlock:
	rtnl_unlock();
	kfree(cfg);
	return err;
}

void vr_nl_notify_link(struct vr_link *link, u8 cmd)
{
	struct net *net = dev_net(link->dev);
	struct vr_link_config *cfg;
	struct sk_buff *msg;

	ASSERT_RTNL();
	if (!genl_has_listeners(&vr_genl_family, net, 0))
		return;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return;
	msg = vr_nl_link_msg(link, cfg, 0, 0, cmd);
	kfree(cfg);
	if (!IS_ERR(msg))
		genlmsg_multicast_netns(&vr_genl_family, net, msg, 0, 0,
					GFP_KERNEL);
}

/* ----------------------------------------------------------------- family */

static const struct genl_ops vr_genl_ops[] = {
	{
		.cmd	= VR_SCHED_CMD_WORKER_GET,
		.doit	= vr_nl_worker_get_doit,
		.dumpit	= vr_nl_worker_get_dumpit,
		.policy	= vr_worker_nl_policy,
		.maxattr = VR_SCHED_A_WORKER_MAX,
	},
	{
		.cmd	= VR_SCHED_CMD_WORKER_SET,
		.doit	= vr_nl_worker_set_doit,
		.policy	= vr_worker_nl_policy,
		.maxattr = VR_SCHED_A_WORKER_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= VR_SCHED_CMD_RULE_ADD,
		.doit	= vr_nl_rule_add_doit,
		.policy	= vr_rule_nl_policy,
		.maxattr = VR_SCHED_A_RULE_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= VR_SCHED_CMD_RULE_DEL,
		.doit	= vr_nl_rule_del_doit,
		.policy	= vr_rule_nl_policy,
		.maxattr = VR_SCHED_A_RULE_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= VR_SCHED_CMD_RULE_GET,
		.doit	= vr_nl_rule_get_doit,
		.dumpit	= vr_nl_rule_get_dumpit,
		.policy	= vr_rule_nl_policy,
		.maxattr = VR_SCHED_A_RULE_MAX,
	},
	{
		.cmd	= VR_SCHED_CMD_LINK_GET,
		.doit	= vr_nl_link_get_doit,
		.dumpit	= vr_nl_link_get_dumpit,
		.policy	= vr_link_nl_policy,
		.maxattr = VR_SCHED_A_LINK_MAX,
	},
	{
		.cmd	= VR_SCHED_CMD_LINK_SET,
		.doit	= vr_nl_link_set_doit,
		.policy	= vr_link_nl_policy,
		.maxattr = VR_SCHED_A_LINK_MAX,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group vr_genl_mcgrps[] = {
	{ .name = VR_SCHED_MCGRP_MONITOR },
};

static struct genl_family vr_genl_family __ro_after_init = {
	.name		= VR_SCHED_GENL_NAME,
	.version	= VR_SCHED_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.parallel_ops	= true,
	.ops		= vr_genl_ops,
	.n_ops		= ARRAY_SIZE(vr_genl_ops),
	.mcgrps		= vr_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vr_genl_mcgrps),
};

int __init vr_netlink_init(void)
{
	return genl_register_family(&vr_genl_family);
}

void vr_netlink_exit(void)
{
	genl_unregister_family(&vr_genl_family);
}
