/* SPDX-License-Identifier: GPL-2.0 */
/*
 * macvtap_mq internals shared between its source files.
 *
 * Object lifetime: struct mvq_dev is the private area of a macvtap_mq net
 * device (macvlan_dev first, as macvlan requires). Its config and per-CPU
 * counters are allocated in newlink and freed in dellink, after the rx
 * handler is unregistered (which waits for every running handler) and the
 * vr_sched link is unregistered (which vr_sched only uses under RTNL).
 * The adaptive controller's state (struct mvq_aqm) lives as long as the
 * config; its work is cancelled before the tap queues go (see aqm.c).
 * The tap queues belong to tap.ko: each open fd holds its queue, the device
 * holds a reference on every attached queue until tap_del_queues().
 *
 * Locking: the fast path takes no lock of ours. It reads the config through
 * RCU; writers hold RTNL, publish a new config with rcu_assign_pointer() and
 * free the old one after a grace period. Queue slots (tap->taps[],
 * tap->numvtaps) are RCU/RTNL as tap.c defines them. Enqueue takes the
 * ring's own producer lock, as ptr_ring_produce() does.
 */
#ifndef _MACVTAP_MQ_H
#define _MACVTAP_MQ_H

#include <linux/if_macvlan.h>
#include <linux/if_tap.h>
#include <linux/u64_stats_sync.h>
#include <pvr/vr_sched_api.h>

#define MVQ_WEIGHT_MAX		1000

/* Adaptive queue length: ranges and defaults (Documentation/macvtap_mq.rst). */
#define MVQ_TARGET_US_MAX	1000000
#define MVQ_TARGET_US_DEFAULT	50
#define MVQ_INTERVAL_US_MIN	1000
#define MVQ_INTERVAL_US_MAX	1000000
#define MVQ_INTERVAL_US_DEFAULT	10000
#define MVQ_LIMIT_MIN_DEFAULT	32

/* Immutable once published; replaced as a whole under RTNL. */
struct mvq_config {
	struct rcu_head rcu;
	u32 policy;			/* enum vr_sched_link_policy */
	u32 limit;			/* packets; 0 = ring size (no early drop) */
	bool skip_full;
	u16 nweights;			/* 0 = none set (wrr acts as rr) */
	u32 weights[MAX_TAP_QUEUES];
	u32 qmode;			/* enum vr_sched_link_qmode */
	u32 target_us;			/* adaptive: target queue delay */
	u32 limit_min;			/* adaptive: bounds of the limit, */
	u32 limit_max;			/* packets, min <= max */
	u32 interval_us;		/* adaptive: update interval */
	u32 wrr_len;			/* length of one wrr cycle */
	u8 wrr_slot[];			/* queue slot of each cycle position */
};

struct mvq_qstats {
	u64_stats_t enqueued;
	u64_stats_t early_drops;
	u64_stats_t full_drops;
};

/* Per CPU; written only by the rx handler of that CPU. */
struct mvq_pcpu {
	struct u64_stats_sync syncp;
	struct mvq_qstats q[MAX_TAP_QUEUES];	/* by queue slot */
};

struct mvq_dev {
	struct macvlan_dev vlan;	/* must stay first */
	struct tap_dev tap;
	struct vr_link link;
	struct mvq_config __rcu *cfg;	/* written under RTNL */
	struct mvq_pcpu __percpu *stats;
	struct mvq_aqm *aqm;		/* newlink to dellink, see aqm.c */
	atomic_t next;			/* rr/wrr position, lockless */
};

static inline struct mvq_dev *mvq_from_tap(struct tap_dev *tap)
{
	return container_of(tap, struct mvq_dev, tap);
}

/* rx.c */
rx_handler_result_t mvq_handle_frame(struct sk_buff **pskb);
unsigned int mvq_queue_occupancy(struct tap_queue *q);

/* aqm.c */
struct mvq_aqm;
int mvq_aqm_init(struct mvq_dev *mvq);
void mvq_aqm_free(struct mvq_dev *mvq);
void mvq_aqm_start(struct mvq_dev *mvq, const struct mvq_config *cfg);
void mvq_aqm_stop(struct mvq_dev *mvq);
void mvq_aqm_reschedule(struct mvq_dev *mvq, const struct mvq_config *cfg);
u32 mvq_aqm_limit(const struct mvq_dev *mvq, unsigned int slot);
void mvq_aqm_ran_empty(struct mvq_dev *mvq, unsigned int slot);
void mvq_aqm_queue_stats(struct mvq_dev *mvq, const struct mvq_config *cfg,
			 unsigned int slot, struct vr_queue_stats *st);

/* config.c */
extern const struct vr_link_ops mvq_link_ops;
int mvq_config_init(struct mvq_dev *mvq);
void mvq_config_free(struct mvq_dev *mvq);
void mvq_get_config(struct mvq_dev *mvq, struct vr_link_config *cfg);
int mvq_set_config(struct mvq_dev *mvq, const struct vr_link_config *cfg,
		   u32 changed, struct netlink_ext_ack *extack);
const char *mvq_policy_name(u32 policy);
int mvq_policy_parse(const char *s, u32 *policy);
const char *mvq_qmode_name(u32 qmode);
int mvq_qmode_parse(const char *s, u32 *qmode);
void mvq_slot_counters(struct mvq_dev *mvq, unsigned int slot,
		       struct vr_queue_stats *st);
u32 mvq_ring_size(const struct mvq_dev *mvq);

/* main.c: module parameters, the defaults of new links */
u32 mvq_default_policy(void);
u32 mvq_default_limit(void);
bool mvq_default_skip_full(void);
u32 mvq_default_qmode(void);

/* sysfs.c */
extern const struct attribute_group mvq_sysfs_group;

#endif /* _MACVTAP_MQ_H */
