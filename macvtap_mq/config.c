// SPDX-License-Identifier: GPL-2.0
/*
 * Per-link configuration (policy, queue limit, skip-full, wrr weights, the
 * queue-length mode and its controller's parameters) and the vr_sched link
 * ops. The config is immutable once published: a change
 * builds a new one under RTNL, publishes it with rcu_assign_pointer() and
 * frees the old one after a grace period, so the rx path reads it with no
 * lock and always sees a consistent set. sysfs and vr_sched's netlink both
 * go through mvq_set_config(), so they validate the same way.
 */
#include <linux/gcd.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/ptr_ring.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "macvtap_mq.h"

static const char * const mvq_policy_names[] = {
	[VR_SCHED_POLICY_RR]	= "rr",
	[VR_SCHED_POLICY_HASH]	= "hash",
	[VR_SCHED_POLICY_WRR]	= "wrr",
};

const char *mvq_policy_name(u32 policy)
{
	if (policy < 1 || policy > VR_SCHED_POLICY_MAX)
		return "unknown";
	return mvq_policy_names[policy];
}

int mvq_policy_parse(const char *s, u32 *policy)
{
	u32 i;

	/* sysfs_match_string() stops at the unused entry 0. */
	for (i = 1; i <= VR_SCHED_POLICY_MAX; i++) {
		if (sysfs_streq(s, mvq_policy_names[i])) {
			*policy = i;
			return 0;
		}
	}
	return -EINVAL;
}

static const char * const mvq_qmode_names[] = {
	[VR_SCHED_QMODE_STATIC]		= "static",
	[VR_SCHED_QMODE_ADAPTIVE]	= "adaptive",
};

const char *mvq_qmode_name(u32 qmode)
{
	if (qmode < 1 || qmode > VR_SCHED_QMODE_MAX)
		return "unknown";
	return mvq_qmode_names[qmode];
}

int mvq_qmode_parse(const char *s, u32 *qmode)
{
	u32 i;

	for (i = 1; i <= VR_SCHED_QMODE_MAX; i++) {
		if (sysfs_streq(s, mvq_qmode_names[i])) {
			*qmode = i;
			return 0;
		}
	}
	return -EINVAL;
}

u32 mvq_ring_size(const struct mvq_dev *mvq)
{
	return READ_ONCE(mvq->link.dev->tx_queue_len);
}

static struct mvq_config *mvq_config_alloc(u32 wrr_len)
{
	struct mvq_config *c;

	c = kvzalloc(struct_size(c, wrr_slot, wrr_len), GFP_KERNEL);
	if (c)
		c->wrr_len = wrr_len;
	return c;
}

/* One wrr cycle in weight units, after dividing out the common factor. */
static u32 mvq_wrr_len(const u32 *weights, unsigned int n, u32 *div)
{
	unsigned int i;
	u32 g = 0, len = 0;

	for (i = 0; i < n; i++)
		g = g ? gcd(g, weights[i]) : weights[i];
	for (i = 0; i < n; i++)
		len += weights[i] / g;
	*div = g;
	return len;
}

/*
 * Smooth weighted round robin (as nginx does it): each position, every
 * queue gains its weight and the richest one is picked and pays the total.
 * Spreads each queue's share evenly over the cycle (2:1:1 -> 0 1 2 0).
 */
static int mvq_wrr_fill(struct mvq_config *c, u32 div)
{
	unsigned int n = c->nweights, i, best;
	u32 pos;
	s32 *cur;

	cur = kcalloc(n, sizeof(*cur), GFP_KERNEL);
	if (!cur)
		return -ENOMEM;
	for (pos = 0; pos < c->wrr_len; pos++) {
		best = 0;
		for (i = 0; i < n; i++) {
			cur[i] += c->weights[i] / div;
			if (cur[i] > cur[best])
				best = i;
		}
		cur[best] -= c->wrr_len;
		c->wrr_slot[pos] = best;
	}
	kfree(cur);
	return 0;
}

static int mvq_validate(struct mvq_dev *mvq, const struct vr_link_config *in,
			u32 changed, struct netlink_ext_ack *extack)
{
	unsigned int nq = mvq->tap.numvtaps, i;

	if (changed & ~(VR_LINK_CFG_POLICY | VR_LINK_CFG_LIMIT |
			VR_LINK_CFG_SKIP_FULL | VR_LINK_CFG_WEIGHTS |
			VR_LINK_CFG_QMODE | VR_LINK_CFG_TARGET |
			VR_LINK_CFG_LIMIT_MIN | VR_LINK_CFG_LIMIT_MAX |
			VR_LINK_CFG_INTERVAL)) {
		NL_SET_ERR_MSG_MOD(extack, "unknown config field");
		return -EOPNOTSUPP;
	}
	if ((changed & VR_LINK_CFG_POLICY) &&
	    (in->policy < 1 || in->policy > VR_SCHED_POLICY_MAX)) {
		NL_SET_ERR_MSG_MOD(extack, "policy must be rr, hash or wrr");
		return -EINVAL;
	}
	if ((changed & VR_LINK_CFG_LIMIT) &&
	    (in->limit < 1 || in->limit > mvq_ring_size(mvq))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "limit must be 1..ring size (txqueuelen)");
		return -ERANGE;
	}
	if ((changed & VR_LINK_CFG_SKIP_FULL) && in->skip_full > 1) {
		NL_SET_ERR_MSG_MOD(extack, "skip-full must be 0 or 1");
		return -EINVAL;
	}
	if ((changed & VR_LINK_CFG_QMODE) &&
	    (in->qmode < 1 || in->qmode > VR_SCHED_QMODE_MAX)) {
		NL_SET_ERR_MSG_MOD(extack, "qmode must be static or adaptive");
		return -EINVAL;
	}
	if ((changed & VR_LINK_CFG_TARGET) &&
	    (in->target_us < 1 || in->target_us > MVQ_TARGET_US_MAX)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "target-us must be 1..1000000 (1 us to 1 s)");
		return -ERANGE;
	}
	if ((changed & VR_LINK_CFG_INTERVAL) &&
	    (in->interval_us < MVQ_INTERVAL_US_MIN ||
	     in->interval_us > MVQ_INTERVAL_US_MAX)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "interval-us must be 1000..1000000 (1 ms to 1 s)");
		return -ERANGE;
	}
	if ((changed & VR_LINK_CFG_LIMIT_MIN) &&
	    (in->limit_min < 1 || in->limit_min > mvq_ring_size(mvq))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "limit-min must be 1..ring size (txqueuelen)");
		return -ERANGE;
	}
	if ((changed & VR_LINK_CFG_LIMIT_MAX) &&
	    (in->limit_max < 1 || in->limit_max > mvq_ring_size(mvq))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "limit-max must be 1..ring size (txqueuelen)");
		return -ERANGE;
	}
	if (!(changed & VR_LINK_CFG_WEIGHTS))
		return 0;
	/* With no queue attached yet, weights may be set ahead of time. */
	if (in->nweights < 1 || in->nweights > MAX_TAP_QUEUES ||
	    (nq && in->nweights != nq)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "need one weight per enabled queue");
		return -EINVAL;
	}
	for (i = 0; i < in->nweights; i++) {
		if (in->weights[i] < 1 || in->weights[i] > MVQ_WEIGHT_MAX) {
			NL_SET_ERR_MSG_MOD(extack, "weights must be 1..1000");
			return -ERANGE;
		}
	}
	return 0;
}

/* Start, stop or retime the controller after @c replaced @old. */
static void mvq_qmode_switch(struct mvq_dev *mvq, const struct mvq_config *old,
			     const struct mvq_config *c)
{
	bool was = old->qmode == VR_SCHED_QMODE_ADAPTIVE;
	bool is = c->qmode == VR_SCHED_QMODE_ADAPTIVE;

	ASSERT_RTNL();
	if (!was && is)
		mvq_aqm_start(mvq, c);
	else if (was && !is)
		mvq_aqm_stop(mvq);
	else if (is && c->interval_us != old->interval_us)
		mvq_aqm_reschedule(mvq, c);
}

int mvq_set_config(struct mvq_dev *mvq, const struct vr_link_config *in,
		   u32 changed, struct netlink_ext_ack *extack)
{
	struct mvq_config *old, *c;
	u32 len, div = 1;
	int err;

	ASSERT_RTNL();
	old = rtnl_dereference(mvq->cfg);
	if (!old)
		return -ENODEV;
	err = mvq_validate(mvq, in, changed, extack);
	if (err)
		return err;

	if (changed & VR_LINK_CFG_WEIGHTS)
		len = mvq_wrr_len(in->weights, in->nweights, &div);
	else
		len = old->wrr_len;
	c = mvq_config_alloc(len);
	if (!c)
		return -ENOMEM;
	c->policy = changed & VR_LINK_CFG_POLICY ? in->policy : old->policy;
	c->limit = changed & VR_LINK_CFG_LIMIT ? in->limit : old->limit;
	c->skip_full = changed & VR_LINK_CFG_SKIP_FULL ? in->skip_full :
							  old->skip_full;
	c->qmode = changed & VR_LINK_CFG_QMODE ? in->qmode : old->qmode;
	c->target_us = changed & VR_LINK_CFG_TARGET ? in->target_us :
						       old->target_us;
	c->limit_min = changed & VR_LINK_CFG_LIMIT_MIN ? in->limit_min :
							  old->limit_min;
	c->limit_max = changed & VR_LINK_CFG_LIMIT_MAX ? in->limit_max :
							  old->limit_max;
	c->interval_us = changed & VR_LINK_CFG_INTERVAL ? in->interval_us :
							   old->interval_us;
	if (c->limit_min > c->limit_max) {
		NL_SET_ERR_MSG_MOD(extack, "limit-min must not exceed limit-max");
		kvfree(c);
		return -EINVAL;
	}
	if (changed & VR_LINK_CFG_WEIGHTS) {
		c->nweights = in->nweights;
		memcpy(c->weights, in->weights,
		       in->nweights * sizeof(in->weights[0]));
		err = mvq_wrr_fill(c, div);
		if (err) {
			kvfree(c);
			return err;
		}
	} else {
		c->nweights = old->nweights;
		memcpy(c->weights, old->weights, sizeof(c->weights));
		memcpy(c->wrr_slot, old->wrr_slot, len);
	}
	rcu_assign_pointer(mvq->cfg, c);
	mvq_qmode_switch(mvq, old, c);
	kvfree_rcu(old, rcu);
	return 0;
}

void mvq_get_config(struct mvq_dev *mvq, struct vr_link_config *out)
{
	const struct mvq_config *c;
	u32 ring = mvq_ring_size(mvq);

	memset(out, 0, sizeof(*out));
	out->mode = mvq->vlan.mode;
	rcu_read_lock();
	c = rcu_dereference(mvq->cfg);
	if (c) {
		out->policy = c->policy;
		out->limit = c->limit && c->limit < ring ? c->limit : ring;
		out->skip_full = c->skip_full;
		out->nweights = c->nweights;
		memcpy(out->weights, c->weights,
		       c->nweights * sizeof(c->weights[0]));
		out->qmode = c->qmode;
		out->target_us = c->target_us;
		out->limit_min = c->limit_min;
		out->limit_max = c->limit_max;
		out->interval_us = c->interval_us;
	}
	rcu_read_unlock();
}

int mvq_config_init(struct mvq_dev *mvq)
{
	struct mvq_config *c;
	u32 limit;

	c = mvq_config_alloc(0);
	if (!c)
		return -ENOMEM;
	mvq->stats = alloc_percpu(struct mvq_pcpu);
	if (!mvq->stats)
		goto err_stats;
	if (mvq_aqm_init(mvq))
		goto err_aqm;
	c->policy = mvq_default_policy();
	limit = mvq_default_limit();
	/* 0, or not below the ring: no early drop, the ring tail-drops. */
	c->limit = limit < mvq_ring_size(mvq) ? limit : 0;
	c->skip_full = mvq_default_skip_full();
	c->qmode = mvq_default_qmode();
	c->target_us = MVQ_TARGET_US_DEFAULT;
	c->interval_us = MVQ_INTERVAL_US_DEFAULT;
	c->limit_max = mvq_ring_size(mvq) ?: 1;
	c->limit_min = min_t(u32, MVQ_LIMIT_MIN_DEFAULT, c->limit_max);
	atomic_set(&mvq->next, -1);
	RCU_INIT_POINTER(mvq->cfg, c);
	if (c->qmode == VR_SCHED_QMODE_ADAPTIVE)
		mvq_aqm_start(mvq, c);
	return 0;

err_aqm:
	free_percpu(mvq->stats);
	mvq->stats = NULL;
err_stats:
	kvfree(c);
	return -ENOMEM;
}

/* The rx handler must be gone (netdev_rx_handler_unregister() waited). */
void mvq_config_free(struct mvq_dev *mvq)
{
	struct mvq_config *c = rtnl_dereference(mvq->cfg);

	mvq_aqm_stop(mvq);
	mvq_aqm_free(mvq);
	RCU_INIT_POINTER(mvq->cfg, NULL);
	if (c)
		kvfree_rcu(c, rcu);	/* sysfs readers hold rcu_read_lock */
	free_percpu(mvq->stats);
	mvq->stats = NULL;
}

/* ------------------------------------------------------ vr_sched link ops */

static struct mvq_dev *mvq_from_link(struct vr_link *link)
{
	return container_of(link, struct mvq_dev, link);
}

static void mvq_op_get_config(struct vr_link *link, struct vr_link_config *cfg)
{
	mvq_get_config(mvq_from_link(link), cfg);
}

static int mvq_op_set_config(struct vr_link *link,
			     const struct vr_link_config *cfg, u32 changed,
			     struct netlink_ext_ack *extack)
{
	return mvq_set_config(mvq_from_link(link), cfg, changed, extack);
}

/* Enabled queues first (slots 0..numvtaps-1), then detached ones. */
static unsigned int mvq_op_queue_count(struct vr_link *link)
{
	ASSERT_RTNL();
	return mvq_from_link(link)->tap.numqueues;
}

void mvq_slot_counters(struct mvq_dev *mvq, unsigned int slot,
		       struct vr_queue_stats *st)
{
	const struct mvq_pcpu *s;
	u64 enq, early, full;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(mvq->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			enq = u64_stats_read(&s->q[slot].enqueued);
			early = u64_stats_read(&s->q[slot].early_drops);
			full = u64_stats_read(&s->q[slot].full_drops);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->enqueued += enq;
		st->early_drops += early;
		st->full_drops += full;
	}
}

/*
 * Counters belong to a queue slot (tap's queue index), not to an fd: when
 * a queue detaches, tap.c moves the last enabled queue into its slot.
 * Detached queues report their occupancy only.
 */
static void mvq_op_queue_stats(struct vr_link *link, unsigned int queue,
			       struct vr_queue_stats *st)
{
	struct mvq_dev *mvq = mvq_from_link(link);
	unsigned int nv = mvq->tap.numvtaps, k = 0;
	const struct mvq_config *cfg;
	struct tap_queue *q;

	ASSERT_RTNL();
	memset(st, 0, sizeof(*st));
	cfg = rtnl_dereference(mvq->cfg);
	if (!mvq->stats || !cfg || nv > MAX_TAP_QUEUES)
		return;
	if (queue < nv) {
		q = rtnl_dereference(mvq->tap.taps[queue]);
		st->enabled = 1;
		mvq_slot_counters(mvq, queue, st);
		if (q)
			st->occupancy = mvq_queue_occupancy(q);
		mvq_aqm_queue_stats(mvq, cfg, queue, st);
		return;
	}
	list_for_each_entry(q, &mvq->tap.queue_list, next) {
		if (q->enabled)
			continue;
		if (k++ == queue - nv) {
			st->occupancy = mvq_queue_occupancy(q);
			return;
		}
	}
}

const struct vr_link_ops mvq_link_ops = {
	.get_config	= mvq_op_get_config,
	.set_config	= mvq_op_set_config,
	.queue_count	= mvq_op_queue_count,
	.queue_stats	= mvq_op_queue_stats,
};
