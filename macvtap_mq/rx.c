// SPDX-License-Identifier: GPL-2.0
/*
 * Receive fast path: pick a tap queue by policy, apply the queue limit,
 * then hand the frame to the queue with the GSO/checksum treatment the
 * reader's offload settings require (what tap_handle_frame() does for
 * stock macvtap).
 *
 * Runs in softirq context under rcu_read_lock() with no lock of ours: the
 * config is an RCU-published immutable struct, the rr/wrr position is an
 * atomic counter, counters are per CPU, the adaptive limit of a queue is
 * one READ_ONCE() (aqm.c computes it off the fast path), and a frame that
 * finds an adaptive queue empty sets one bit, once per controller interval.
 * The only lock taken is the ring's producer lock, for the occupancy check
 * and the produce as one step.
 */
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/skbuff.h>
#include <net/gso.h>
#include <net/sock.h>

#include "macvtap_mq.h"

/* What a tap reader always takes; vnet header readers add tap_features. */
#define MVQ_BASE_FEATURES	(NETIF_F_GSO | NETIF_F_SG | NETIF_F_FRAGLIST)

enum mvq_verdict {
	MVQ_QUEUED,
	MVQ_EARLY,	/* refused by the queue limit */
	MVQ_FULL,	/* refused by the ring */
};

/*
 * Unread entries in @r. Caller holds the producer lock, so producer, size
 * and queue are stable; consumer_head only moves forward (towards a lower
 * count) under us, so a stale value errs on the side of a higher count.
 */
static unsigned int mvq_ring_count(struct ptr_ring *r)
{
	int n;

	lockdep_assert_held(&r->producer_lock);
	if (unlikely(!r->size))
		return 0;
	n = r->producer - READ_ONCE(r->consumer_head);
	if (n < 0)
		n += r->size;
	else if (!n && r->queue[r->producer])
		n = r->size;
	return n;
}

unsigned int mvq_queue_occupancy(struct tap_queue *q)
{
	struct ptr_ring *r = &q->ring;
	unsigned int n;

	spin_lock_bh(&r->producer_lock);
	n = mvq_ring_count(r);
	spin_unlock_bh(&r->producer_lock);
	return n;
}

/*
 * Queue @skb unless the ring holds @limit frames or is full. With
 * @was_empty (adaptive mode), also tell whether it found the ring empty:
 * the controller's sign that the reader caught up.
 */
static enum mvq_verdict mvq_enqueue(struct tap_queue *q, struct sk_buff *skb,
				    u32 limit, bool *was_empty)
{
	struct ptr_ring *r = &q->ring;
	enum mvq_verdict v = MVQ_QUEUED;
	unsigned int n = 0;

	spin_lock(&r->producer_lock);
	/* A limit at or above the ring size is the ring's own tail drop. */
	if (limit >= r->size)
		limit = 0;
	if (limit || was_empty)
		n = mvq_ring_count(r);
	if (limit && n >= limit)
		v = MVQ_EARLY;
	else if (__ptr_ring_produce(r, skb))
		v = MVQ_FULL;
	spin_unlock(&r->producer_lock);
	if (was_empty)
		*was_empty = !n;

	if (v == MVQ_QUEUED)
		wake_up_interruptible_poll(sk_sleep(&q->sk),
					   EPOLLIN | EPOLLRDNORM | EPOLLRDBAND);
	return v;
}

static void mvq_count(struct mvq_dev *mvq, unsigned int slot,
		      enum mvq_verdict v)
{
	struct mvq_pcpu *s = this_cpu_ptr(mvq->stats);

	u64_stats_update_begin(&s->syncp);
	switch (v) {
	case MVQ_QUEUED:
		u64_stats_inc(&s->q[slot].enqueued);
		break;
	case MVQ_EARLY:
		u64_stats_inc(&s->q[slot].early_drops);
		break;
	case MVQ_FULL:
		u64_stats_inc(&s->q[slot].full_drops);
		break;
	}
	u64_stats_update_end(&s->syncp);
}

/* The starting queue slot, 0..n-1, for one frame. */
static unsigned int mvq_pick(struct mvq_dev *mvq,
			     const struct mvq_config *cfg,
			     struct sk_buff *skb, unsigned int n)
{
	u32 pos;

	switch (cfg->policy) {
	case VR_SCHED_POLICY_HASH:
		return reciprocal_scale(skb_get_hash(skb), n);
	case VR_SCHED_POLICY_WRR:
		/* Weights describe exactly n queues, else plain rr. */
		if (cfg->nweights == n && cfg->wrr_len) {
			pos = (u32)atomic_inc_return(&mvq->next);
			return cfg->wrr_slot[pos % cfg->wrr_len];
		}
		fallthrough;
	default:
		pos = (u32)atomic_inc_return(&mvq->next);
		return pos % n;
	}
}

/*
 * Queue @skb on slot @start, or with skip-full on the next enabled slot
 * that takes it. Only queues with the same vnet header setting as @start
 * are candidates: @skb was prepared for that reader type. A drop is
 * counted on @start.
 */
static void mvq_deliver(struct mvq_dev *mvq, const struct mvq_config *cfg,
			struct sk_buff *skb, unsigned int start,
			unsigned int n, unsigned int vnet)
{
	bool adaptive = cfg->qmode == VR_SCHED_QMODE_ADAPTIVE, empty = false;
	unsigned int tries = cfg->skip_full ? n : 1;
	enum mvq_verdict first = MVQ_FULL;
	struct tap_queue *q;
	unsigned int i, slot;
	enum mvq_verdict v;

	for (i = 0, slot = start; i < tries; i++, slot++) {
		if (slot >= n)
			slot = 0;
		q = rcu_dereference(mvq->tap.taps[slot]);
		if (!q || (READ_ONCE(q->flags) & IFF_VNET_HDR) != vnet)
			continue;
		v = mvq_enqueue(q, skb,
				adaptive ? mvq_aqm_limit(mvq, slot) : cfg->limit,
				adaptive ? &empty : NULL);
		if (v == MVQ_QUEUED) {
			mvq_count(mvq, slot, v);
			if (empty)
				mvq_aqm_ran_empty(mvq, slot);
			return;
		}
		if (!i)
			first = v;
	}
	mvq_count(mvq, start, first);
	dev_core_stats_rx_dropped_inc(mvq->vlan.dev);
	kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
}

rx_handler_result_t mvq_handle_frame(struct sk_buff **pskb)
{
	netdev_features_t features = MVQ_BASE_FEATURES;
	struct sk_buff *skb = *pskb, *segs, *next;
	enum skb_drop_reason reason;
	const struct mvq_config *cfg;
	unsigned int n, start, vnet;
	struct tap_queue *q;
	struct mvq_dev *mvq;

	mvq = rcu_dereference(skb->dev->rx_handler_data);
	if (!mvq)
		return RX_HANDLER_PASS;
	cfg = rcu_dereference(mvq->cfg);
	/* numvtaps is a hint (tap.c updates it under RTNL); slots are RCU. */
	n = READ_ONCE(mvq->tap.numvtaps);
	if (!cfg || !n || n > MAX_TAP_QUEUES)
		return RX_HANDLER_PASS;
	start = mvq_pick(mvq, cfg, skb, n);
	q = rcu_dereference(mvq->tap.taps[start]);
	if (!q)
		return RX_HANDLER_PASS;

	vnet = READ_ONCE(q->flags) & IFF_VNET_HDR;
	if (vnet)
		features |= READ_ONCE(mvq->tap.tap_features);

	skb_push(skb, ETH_HLEN);
	if (netif_needs_gso(skb, features)) {
		segs = __skb_gso_segment(skb, features, false);
		if (IS_ERR(segs)) {
			reason = SKB_DROP_REASON_SKB_GSO_SEG;
			goto drop;
		}
		if (segs) {
			consume_skb(skb);
			skb_list_walk_safe(segs, skb, next) {
				skb_mark_not_on_list(skb);
				mvq_deliver(mvq, cfg, skb, start, n, vnet);
			}
			return RX_HANDLER_CONSUMED;
		}
	} else if (skb->ip_summed == CHECKSUM_PARTIAL &&
		   !(features & NETIF_F_CSUM_MASK) && skb_checksum_help(skb)) {
		/* Readers without offloads get a complete checksum. */
		reason = SKB_DROP_REASON_SKB_CSUM;
		goto drop;
	}
	mvq_deliver(mvq, cfg, skb, start, n, vnet);
	return RX_HANDLER_CONSUMED;

drop:
	dev_core_stats_rx_dropped_inc(mvq->vlan.dev);
	kfree_skb_reason(skb, reason);
	return RX_HANDLER_CONSUMED;
}
