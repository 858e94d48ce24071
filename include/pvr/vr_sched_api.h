/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vr_sched registration API.
 *
 * The data-plane modules (vhost_split, macvtap_mq) make their worker threads
 * and their multi-queue links visible to, and tunable by, the vr_sched
 * control plane through this header. vr_sched loads on its own; the
 * data-plane modules depend on it through these exported symbols.
 *
 * Object lifetime: the registering module embeds struct vr_worker or struct
 * vr_link in an object of its own and keeps it alive, and its fields that are
 * documented as "set before register" unchanged, until the matching
 * unregister call has returned. Unregister waits for every netlink or sysfs
 * reader that may be looking at the object (the registry lock is taken), so
 * after it returns vr_sched holds no reference to it.
 *
 * Locking: workers are kept under vr_sched's worker mutex (callers must be
 * able to sleep); links are kept under the RTNL lock, which callers of
 * vr_link_register()/vr_link_unregister() must hold, and which vr_sched holds
 * around every vr_link_ops call.
 */
#ifndef _PVR_VR_SCHED_API_H
#define _PVR_VR_SCHED_API_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/vr_sched.h>

struct netlink_ext_ack;

/* ---------------------------------------------------------------- workers */

/*
 * Counters of one worker thread. Written only by the worker itself (one
 * writer, so no lock; readers use the u64_stats retry loop).
 */
struct vr_worker_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t wakeups;
	u64_stats_t busy_ns;
	struct u64_stats_sync syncp;
};

struct vr_worker {
	/* Set before vr_worker_register(), constant until unregister. */
	struct task_struct *task;	/* the worker thread; owner holds a ref */
	u8 dir;				/* enum vr_sched_dir */
	pid_t owner_pid;		/* tgid of the device owner, init ns */
	char owner_comm[TASK_COMM_LEN];
	u32 dev_id;			/* id of the device the worker serves */
	const char *kind;		/* module name, e.g. "vhost_split" */

	/* Written by the worker thread only (vr_worker_account()). */
	struct vr_worker_stats stats;

	/* Private to vr_sched. Protected by the worker registry mutex. */
	u32 id;
	struct list_head list;
};

/*
 * Register @w, give it a unique id and apply the scheduling rules that match
 * it to @w->task (affinity and policy) before returning, so a worker that
 * registers before handling its first packet runs under those rules from the
 * start. Rule application failures are logged and do not fail registration.
 * Sleeps. Returns 0 or a negative errno.
 */
int vr_worker_register(struct vr_worker *w);
void vr_worker_unregister(struct vr_worker *w);

/* Called by the worker thread after a batch of work. */
static inline void vr_worker_account(struct vr_worker *w, u64 packets,
				     u64 bytes, u64 busy_ns)
{
	u64_stats_update_begin(&w->stats.syncp);
	u64_stats_add(&w->stats.packets, packets);
	u64_stats_add(&w->stats.bytes, bytes);
	u64_stats_add(&w->stats.busy_ns, busy_ns);
	u64_stats_update_end(&w->stats.syncp);
}

static inline void vr_worker_wakeup(struct vr_worker *w)
{
	u64_stats_update_begin(&w->stats.syncp);
	u64_stats_inc(&w->stats.wakeups);
	u64_stats_update_end(&w->stats.syncp);
}

/* ------------------------------------------------------------------ links */

#define VR_LINK_MAX_QUEUES	256

/* Bits of the @changed mask of vr_link_ops.set_config. */
#define VR_LINK_CFG_POLICY	BIT(0)
#define VR_LINK_CFG_LIMIT	BIT(1)
#define VR_LINK_CFG_SKIP_FULL	BIT(2)
#define VR_LINK_CFG_WEIGHTS	BIT(3)
#define VR_LINK_CFG_QMODE	BIT(4)
#define VR_LINK_CFG_TARGET	BIT(5)
#define VR_LINK_CFG_LIMIT_MIN	BIT(6)
#define VR_LINK_CFG_LIMIT_MAX	BIT(7)
#define VR_LINK_CFG_INTERVAL	BIT(8)

struct vr_link_config {
	u32 mode;			/* MACVLAN_MODE_*, read only here */
	u32 policy;			/* enum vr_sched_link_policy */
	u32 limit;			/* packets, 1..ring size */
	u8 skip_full;
	u16 nweights;			/* == number of queues when set */
	u32 weights[VR_LINK_MAX_QUEUES];
	/* Queue-length mode and the adaptive controller's parameters. */
	u32 qmode;			/* enum vr_sched_link_qmode */
	u32 target_us;			/* target queue delay, us */
	u32 limit_min;			/* packets, 1..limit_max */
	u32 limit_max;			/* packets, limit_min..ring size */
	u32 interval_us;		/* controller update interval, us */
};

struct vr_queue_stats {
	u64 enqueued;
	u64 early_drops;		/* refused by the queue limit */
	u64 full_drops;			/* refused because the ring was full */
	u32 occupancy;			/* packets in the ring now */
	u8 enabled;			/* in the rotation */
	u32 eff_limit;			/* packets, the limit applied now */
	u32 drain_rate;			/* pps, adaptive mode, 0 = unknown */
	u32 delay_us;			/* occupancy / drain_rate, adaptive */
	u64 stale_drops;		/* head-dropped: the reader stalled */
};

struct vr_link;

/* Every op is called with the RTNL lock held. */
struct vr_link_ops {
	void (*get_config)(struct vr_link *link, struct vr_link_config *cfg);
	/*
	 * Validate and apply the fields named in @changed (VR_LINK_CFG_*),
	 * all or nothing. Refusals set an extack message and return -EINVAL
	 * (or -ERANGE, -EOPNOTSUPP ...).
	 */
	int (*set_config)(struct vr_link *link, const struct vr_link_config *cfg,
			  u32 changed, struct netlink_ext_ack *extack);
	unsigned int (*queue_count)(struct vr_link *link);
	void (*queue_stats)(struct vr_link *link, unsigned int queue,
			    struct vr_queue_stats *stats);
};

struct vr_link {
	/* Set before vr_link_register(), constant until unregister. */
	struct net_device *dev;
	const struct vr_link_ops *ops;

	/* Private to vr_sched. Protected by RTNL. */
	struct list_head list;
};

/* Both need the RTNL lock. */
int vr_link_register(struct vr_link *link);
void vr_link_unregister(struct vr_link *link);

/* Tell vr_sched (and its monitor listeners) the link's config changed. */
void vr_link_notify(struct vr_link *link);

#endif /* _PVR_VR_SCHED_API_H */
