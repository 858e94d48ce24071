// SPDX-License-Identifier: GPL-2.0
/*
 * Adaptive queue length ("qmode adaptive"): a per-queue early-drop limit
 * set from the queue's measured drain rate and a target queue delay.
 *
 * The reader of a tap queue may be a vhost worker we do not own (stock
 * vhost-net), so everything is measured from the enqueue side. The rx fast
 * path only compares the ring's occupancy with READ_ONCE(eff_limit[slot]).
 * A delayed work runs every interval_us and, per enabled queue slot:
 *
 *  - sums the slot's per-CPU enqueue counter and reads its occupancy; the
 *    frames drained in the interval are the enqueued delta minus the
 *    occupancy delta (the controller's own head drops are taken out of the
 *    previous occupancy);
 *  - when the queue held frames at both ends of the interval, or more
 *    frames arrived (enqueued or refused) than the reader took plus 1/4
 *    ("behind"), the reader was the bottleneck: the interval joins a
 *    measurement cycle, which ends once it holds MVQ_RATE_CYCLE_PKTS
 *    drained frames or MVQ_RATE_CYCLE_INTERVALS intervals, and gives one
 *    drain rate sample (one division per queue per cycle). A reader that
 *    takes 64 frames per visit makes a single interval's count jump by
 *    64; a cycle of 512 frames bounds that error to 1/8;
 *  - the drain rate is the largest of the last MVQ_RATE_WIN samples (a
 *    windowed maximum, as BBR estimates bottleneck bandwidth). A sample
 *    is a lower bound of what the reader can do: it is low whenever the
 *    reader ran dry during the cycle, which a short limit itself causes
 *    on a host whose reader is descheduled for a while. An average would
 *    follow those samples down, cut the limit further and spiral to
 *    limit_min (measured: 0.53 of the peak at 3x overload); the maximum
 *    forgets them, and still follows a reader that really slowed down
 *    within MVQ_RATE_WIN cycles;
 *  - an interval is overloaded when the queue has not run empty for
 *    MVQ_STANDING_US (a frame that finds it empty sets a bit in
 *    emptied[], which the work reads and clears) and the reader is
 *    behind or the queue stands at 3/4 of rate * target or more; or when
 *    the reader is behind and the queue refused frames (a cut queue in
 *    overload, which a batch reader empties at every visit). A reader
 *    that keeps up in batches, behind in every interval between two
 *    visits, is not overload;
 *  - overload that persists (MVQ_OVERLOAD_SCORE) sets the limit to
 *    clamp(rate * target, limit_min, limit_max); once it has faded the
 *    limit grows back by 1/8 per interval up to limit_max, so bursts at
 *    low load find room and only a persistent overload runs with the
 *    short, delay-sized queue;
 *  - a queue that holds frames while its reader drained none for
 *    MVQ_STALL_FACTOR * max(target, interval), at least 250 ms, is
 *    stalled: its limit drops
 *    to limit_min and the work head-drops everything in it every
 *    interval (stale_drops, rx_dropped) until the reader drains again.
 *    Other queues are not affected.
 *
 * Lifetime: struct mvq_aqm is allocated with the link's config in newlink
 * and freed in dellink. The work is queued when the mode becomes adaptive
 * (newlink with the default qmode, or mvq_set_config()) and re-queues
 * itself while the published config says adaptive; mvq_aqm_stop() cancels
 * it synchronously on a switch to static and in dellink before the tap
 * queues are released, so no work runs or stays queued past dellink (and
 * so past module unload, which dellinks every link).
 *
 * Locking: the work takes no lock of ours and never RTNL, so RTNL holders
 * may cancel it synchronously. It reads the config and the queue slots
 * under RCU (tap.c frees a queue only after a grace period), reads the
 * occupancy under the ring's producer lock and head-drops under its
 * consumer lock from process context, as tap's and vhost's readers take
 * it. Slot state is written by the work only; mvq_aqm_start() resets it
 * under RTNL while the work is cancelled. eff_limit[], rate and the stale
 * drop counters are read locklessly by the rx path and the stats;
 * emptied[] is set with atomic bit operations by the rx path and cleared
 * with test_and_clear_bit() by the work, so no "ran empty" is lost.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/ptr_ring.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "macvtap_mq.h"

/*
 * A reader that drained nothing for this many max(target, interval), and
 * at least MVQ_STALL_MIN_US: a vCPU preempted on a busy host is back well
 * within a quarter second, a stopped consumer is not.
 */
#define MVQ_STALL_FACTOR	8
#define MVQ_STALL_MIN_US	250000
/*
 * Overload score: +1 per overloaded interval (up to twice the threshold),
 * -1 per other interval. The limit is cut while the score is at least
 * MVQ_OVERLOAD_SCORE, held below that, and grows back only at 0. So
 * overload must persist for MVQ_OVERLOAD_SCORE intervals to cut (a reader
 * that pauses for a few intervals is not overload), and a short lull in
 * a persistent overload does not reopen the queue.
 */
#define MVQ_OVERLOAD_SCORE	8
/*
 * A queue that has not run empty for this long (CoDel's interval; at
 * least two update intervals) stands: its reader has not caught up once.
 */
#define MVQ_STANDING_US		100000
#define MVQ_FLUSH_BATCH		64
/* Drain rate measurement: cycle length and the windowed maximum's span. */
#define MVQ_RATE_CYCLE_PKTS	512
#define MVQ_RATE_CYCLE_INTERVALS 8
#define MVQ_RATE_WIN		8

struct mvq_aqm_slot {
	/* Written by the work only. */
	u64 prev_enq;
	u64 prev_drops;			/* early + full drops */
	u32 prev_occ;
	int prev_head;			/* ring consumer_head */
	u32 over;			/* overload score */
	u64 stall_us;
	u64 busy_us;			/* since the queue last ran empty */
	u64 cyc_drained;		/* measurement cycle so far */
	u64 cyc_us;
	u32 cyc_n;			/* its intervals */
	u32 win[MVQ_RATE_WIN];		/* last samples, pps; 0 = none */
	unsigned int win_pos;
	bool valid;
	bool stalled;
	/* Written by the work, read locklessly by the stats. */
	u32 rate;			/* pps, max of win[]; 0 = not measured */
	atomic64_t stale_drops;		/* kept across mode switches */
};

struct mvq_aqm {
	/* Written by the work (and mvq_aqm_start()), read by the rx path. */
	u32 eff_limit[MAX_TAP_QUEUES];
	/* Set by the rx path (a frame found the queue empty), cleared by the work. */
	DECLARE_BITMAP(emptied, MAX_TAP_QUEUES);
	struct mvq_dev *mvq;
	struct delayed_work work;
	ktime_t last;			/* work only */
	struct mvq_aqm_slot slot[MAX_TAP_QUEUES];
};

struct mvq_aqm_params {
	u32 target_us, lmin, lmax, interval_us;
};

u32 mvq_aqm_limit(const struct mvq_dev *mvq, unsigned int slot)
{
	return READ_ONCE(mvq->aqm->eff_limit[slot]);
}

/*
 * From the rx path: a frame found queue @slot empty, so its reader had
 * caught up. Tested first so that an idle-most-of-the-time queue writes
 * the shared word once per interval, not once per frame.
 */
void mvq_aqm_ran_empty(struct mvq_dev *mvq, unsigned int slot)
{
	unsigned long *bits = mvq->aqm->emptied;

	if (!test_bit(slot, bits))
		set_bit(slot, bits);
}

/* Head-drop everything in @q; returns the number of frames dropped. */
static unsigned int mvq_aqm_flush(struct mvq_dev *mvq, struct tap_queue *q,
				  unsigned int max)
{
	void *batch[MVQ_FLUSH_BATCH];
	unsigned int total = 0;
	int i, n;

	while (total < max) {
		n = ptr_ring_consume_batched(&q->ring, batch,
					     min_t(unsigned int, max - total,
						   MVQ_FLUSH_BATCH));
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			kfree_skb(batch[i]);
			dev_core_stats_rx_dropped_inc(mvq->vlan.dev);
		}
		total += n;
	}
	return total;
}

/* Forget every drain rate sample: measure afresh. */
static void mvq_aqm_rate_reset(struct mvq_aqm_slot *s)
{
	memset(s->win, 0, sizeof(s->win));
	s->win_pos = 0;
	s->cyc_drained = 0;
	s->cyc_us = 0;
	s->cyc_n = 0;
	WRITE_ONCE(s->rate, 0);
}

/* Add an interval in which the reader was the bottleneck. */
static void mvq_aqm_rate_add(struct mvq_aqm_slot *s, u64 drained,
			     u64 elapsed_us)
{
	u32 rate = 0;
	u64 sample;
	unsigned int k;

	s->cyc_drained += drained;
	s->cyc_us += elapsed_us;
	if (s->cyc_drained < MVQ_RATE_CYCLE_PKTS &&
	    ++s->cyc_n < MVQ_RATE_CYCLE_INTERVALS)
		return;
	sample = div64_u64(s->cyc_drained * USEC_PER_SEC, s->cyc_us);
	s->win[s->win_pos] = min_t(u64, sample, U32_MAX);
	s->win_pos = (s->win_pos + 1) % MVQ_RATE_WIN;
	s->cyc_drained = 0;
	s->cyc_us = 0;
	s->cyc_n = 0;
	for (k = 0; k < MVQ_RATE_WIN; k++)
		rate = max(rate, s->win[k]);
	WRITE_ONCE(s->rate, rate);
}

static u32 mvq_aqm_target_pkts(u32 rate, const struct mvq_aqm_params *p)
{
	u64 pk;

	if (!rate)
		return p->lmax;
	pk = div_u64((u64)rate * p->target_us, USEC_PER_SEC);
	return clamp_t(u64, pk, p->lmin, p->lmax);
}

/*
 * Overload in one interval. The reader fell behind the arrivals while the
 * queue had not run empty for MVQ_STANDING_US or refused frames, or the
 * queue stood that long at 3/4 of the target or more. "Behind" alone
 * would take a reader that keeps up in batches for overload: in the
 * intervals between its visits it takes nothing while frames arrive. A
 * standing queue alone would let a cut queue grow back in overload: a
 * reader that takes 64 frames a visit empties a short queue every time.
 */
static bool mvq_aqm_overloaded(const struct mvq_aqm_slot *s, bool behind,
			       bool refused, u32 occ, u32 target,
			       const struct mvq_aqm_params *p)
{
	u64 standing = max_t(u64, MVQ_STANDING_US, 2ULL * p->interval_us);

	if (s->busy_us >= standing)
		return behind || min(occ, s->prev_occ) >= target - target / 4;
	return behind && refused;
}

static void mvq_aqm_slot_update(struct mvq_dev *mvq, unsigned int i,
				struct tap_queue *q, u64 elapsed_us,
				const struct mvq_aqm_params *p)
{
	struct mvq_aqm_slot *s = &mvq->aqm->slot[i];
	u32 eff = READ_ONCE(mvq->aqm->eff_limit[i]), target, occ, dropped;
	struct vr_queue_stats st = {};
	u64 stall_bound, drops, arrived;
	bool behind, emptied;
	s64 drained;
	int head;

	mvq_slot_counters(mvq, i, &st);
	occ = mvq_queue_occupancy(q);
	head = READ_ONCE(q->ring.consumer_head);
	emptied = test_and_clear_bit(i, mvq->aqm->emptied);
	drops = st.early_drops + st.full_drops;
	if (!s->valid) {
		s->valid = true;
		goto out;
	}
	if (emptied || !occ)
		s->busy_us = 0;
	else
		s->busy_us += elapsed_us;
	arrived = (st.enqueued - s->prev_enq) + (drops - s->prev_drops);
	drained = (s64)(st.enqueued - s->prev_enq) + s->prev_occ - occ;
	if (drained < 0)	/* slots moved (a queue detached) */
		drained = 0;
	/* More arrived than the reader took: it is the bottleneck. */
	behind = arrived > (u64)drained + drained / 4;

	if (((s->prev_occ && occ) || behind) && elapsed_us)
		mvq_aqm_rate_add(s, drained, elapsed_us);

	/*
	 * The consumer position, not the counter delta, tells whether the
	 * reader took anything: the counters and the occupancy are not read
	 * atomically, so the delta is off by a frame or two.
	 */
	stall_bound = (u64)MVQ_STALL_FACTOR * max(p->target_us, p->interval_us);
	stall_bound = max_t(u64, stall_bound, MVQ_STALL_MIN_US);
	if (head != s->prev_head) {
		s->stall_us = 0;
		s->stalled = false;
	} else if (occ) {
		s->stall_us += elapsed_us;
		if (s->stall_us >= stall_bound)
			s->stalled = true;
	}
	if (s->stalled) {
		mvq_aqm_rate_reset(s);		/* measure afresh when it wakes */
		eff = p->lmin;
		WRITE_ONCE(mvq->aqm->eff_limit[i], eff);
		dropped = mvq_aqm_flush(mvq, q, occ + p->lmax);
		if (dropped) {
			atomic64_add(dropped, &s->stale_drops);
			occ = mvq_queue_occupancy(q);
			head = READ_ONCE(q->ring.consumer_head);
		}
		s->over = 0;
		goto out;
	}

	target = mvq_aqm_target_pkts(s->rate, p);
	if (s->rate && mvq_aqm_overloaded(s, behind, drops != s->prev_drops,
					  occ, target, p))
		s->over = min(s->over + 1, 2 * MVQ_OVERLOAD_SCORE);
	else if (s->over)
		s->over--;
	if (s->over >= MVQ_OVERLOAD_SCORE)
		eff = target;
	else if (!s->over && eff < p->lmax)
		eff += eff / 8 + 1;
	eff = clamp(eff, p->lmin, p->lmax);
	WRITE_ONCE(mvq->aqm->eff_limit[i], eff);
out:
	s->prev_enq = st.enqueued;
	s->prev_drops = drops;
	s->prev_occ = occ;
	s->prev_head = head;
}

/* A slot starts over: no sample, not stalled, the queue at @lmax. */
static void mvq_aqm_slot_reset(struct mvq_aqm *a, unsigned int i, u32 lmax)
{
	struct mvq_aqm_slot *s = &a->slot[i];

	s->valid = false;
	s->stalled = false;
	s->stall_us = 0;
	s->busy_us = 0;
	s->over = 0;
	mvq_aqm_rate_reset(s);
	clear_bit(i, a->emptied);
	WRITE_ONCE(a->eff_limit[i], lmax);
}

static void mvq_aqm_work(struct work_struct *work)
{
	struct mvq_aqm *a = container_of(to_delayed_work(work), struct mvq_aqm,
					 work);
	struct mvq_dev *mvq = a->mvq;
	const struct mvq_config *cfg;
	struct mvq_aqm_params p;
	ktime_t now = ktime_get();
	u64 elapsed_us = ktime_us_delta(now, a->last);
	unsigned int n, i;
	struct tap_queue *q;

	rcu_read_lock();
	cfg = rcu_dereference(mvq->cfg);
	if (!cfg || cfg->qmode != VR_SCHED_QMODE_ADAPTIVE) {
		rcu_read_unlock();
		return;
	}
	p.target_us = cfg->target_us;
	p.lmin = cfg->limit_min;
	p.lmax = cfg->limit_max;
	p.interval_us = cfg->interval_us;
	n = READ_ONCE(mvq->tap.numvtaps);
	if (n > MAX_TAP_QUEUES)
		n = 0;
	for (i = 0; i < n; i++) {
		q = rcu_dereference(mvq->tap.taps[i]);
		if (q)
			mvq_aqm_slot_update(mvq, i, q, elapsed_us, &p);
	}
	rcu_read_unlock();
	/* Slots out of the rotation start over when a queue takes them. */
	for (; i < MAX_TAP_QUEUES && a->slot[i].valid; i++)
		mvq_aqm_slot_reset(a, i, p.lmax);
	a->last = now;
	queue_delayed_work(system_wq, &a->work,
			   usecs_to_jiffies(p.interval_us));
}

/* Reset the controller and start it; the work must not be running. */
void mvq_aqm_start(struct mvq_dev *mvq, const struct mvq_config *cfg)
{
	struct mvq_aqm *a = mvq->aqm;
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < MAX_TAP_QUEUES; i++)
		mvq_aqm_slot_reset(a, i, cfg->limit_max);
	a->last = ktime_get();
	queue_delayed_work(system_wq, &a->work,
			   usecs_to_jiffies(cfg->interval_us));
}

void mvq_aqm_stop(struct mvq_dev *mvq)
{
	if (mvq->aqm)
		cancel_delayed_work_sync(&mvq->aqm->work);
}

/* A changed interval applies now rather than after the old one. */
void mvq_aqm_reschedule(struct mvq_dev *mvq, const struct mvq_config *cfg)
{
	ASSERT_RTNL();
	mod_delayed_work(system_wq, &mvq->aqm->work,
			 usecs_to_jiffies(cfg->interval_us));
}

void mvq_aqm_queue_stats(struct mvq_dev *mvq, const struct mvq_config *cfg,
			 unsigned int slot, struct vr_queue_stats *st)
{
	struct mvq_aqm_slot *s = &mvq->aqm->slot[slot];
	u32 ring = mvq_ring_size(mvq), rate;

	st->stale_drops = atomic64_read(&s->stale_drops);
	if (cfg->qmode != VR_SCHED_QMODE_ADAPTIVE) {
		st->eff_limit = cfg->limit && cfg->limit < ring ? cfg->limit
								: ring;
		return;
	}
	st->eff_limit = min(READ_ONCE(mvq->aqm->eff_limit[slot]), ring);
	rate = READ_ONCE(s->rate);
	st->drain_rate = rate;
	if (rate)
		st->delay_us = min_t(u64, U32_MAX,
				     div_u64((u64)st->occupancy * USEC_PER_SEC,
					     rate));
}

int mvq_aqm_init(struct mvq_dev *mvq)
{
	struct mvq_aqm *a;

	a = kvzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->mvq = mvq;
	INIT_DELAYED_WORK(&a->work, mvq_aqm_work);
	mvq->aqm = a;
	return 0;
}

/* After mvq_aqm_stop(). */
void mvq_aqm_free(struct mvq_dev *mvq)
{
	kvfree(mvq->aqm);
	mvq->aqm = NULL;
}
