/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vr_sched: generic netlink control plane of the pvr module suite.
 *
 * The family and its attribute trees are specified in
 * Documentation/netlink/specs/vr_sched.yaml; this header follows the spec
 * (vr_sched/check-spec.py verifies it). Family VR_SCHED_GENL_NAME, version
 * VR_SCHED_GENL_VERSION, multicast group VR_SCHED_MCGRP_MONITOR.
 *
 * Permissions: reads are open to everybody. Workers and rules are host-wide
 * (visible from every network namespace); changing them needs CAP_NET_ADMIN
 * in the initial user namespace. Links belong to a network namespace and
 * are only seen and changed through a socket of that namespace; changing
 * them needs CAP_NET_ADMIN in the user namespace owning it.
 *
 * Attribute trees of the commands ("R" request, "A" answer):
 *
 * VR_SCHED_CMD_WORKER_GET
 *   R do:   VR_SCHED_A_WORKER_ID (u32)
 *   R dump: nothing
 *   A:      VR_SCHED_A_WORKER_ID          u32
 *           VR_SCHED_A_WORKER_DIR         u32, enum vr_sched_dir
 *           VR_SCHED_A_WORKER_OWNER_PID   u32, initial pid namespace
 *           VR_SCHED_A_WORKER_OWNER_COMM  string
 *           VR_SCHED_A_WORKER_DEV_ID      u32
 *           VR_SCHED_A_WORKER_KIND        string
 *           VR_SCHED_A_WORKER_TID         u32, initial pid namespace
 *           VR_SCHED_A_WORKER_CPUS        string, cpu list ("2-3,6")
 *           VR_SCHED_A_WORKER_SCHED       nest, enum vr_sched_a_sched:
 *               VR_SCHED_A_SCHED_POLICY   u32, enum vr_sched_thread_policy
 *               VR_SCHED_A_SCHED_NICE     s32 (other, batch)
 *               VR_SCHED_A_SCHED_PRIO     u32 (fifo, rr)
 *               VR_SCHED_A_SCHED_RUNTIME  u64 ns (deadline)
 *               VR_SCHED_A_SCHED_DEADLINE u64 ns (deadline)
 *               VR_SCHED_A_SCHED_PERIOD   u64 ns (deadline)
 *           VR_SCHED_A_WORKER_STATS       nest, enum vr_sched_a_stats:
 *               VR_SCHED_A_STATS_PACKETS, _BYTES, _WAKEUPS, _BUSY_NS  u64
 *
 * VR_SCHED_CMD_WORKER_SET (CAP_NET_ADMIN, initial user namespace)
 *   R:      VR_SCHED_A_WORKER_ID     u32, required
 *           VR_SCHED_A_WORKER_CPUS   string, cpu list, subset of the online
 *                                    CPUs the thread may run on
 *           VR_SCHED_A_WORKER_SCHED  nest: POLICY required; NICE -20..19
 *                                    (other, batch); PRIO 1..99 required
 *                                    (fifo, rr); RUNTIME and DEADLINE
 *                                    required, PERIOD optional (= DEADLINE)
 *                                    (deadline), runtime <= deadline <=
 *                                    period, each 1024 ns..4194304000 ns
 *   At least one of CPUS and SCHED. Applied to the live thread, all or
 *   nothing.
 *
 * VR_SCHED_CMD_WORKER_NEW_NTF, VR_SCHED_CMD_WORKER_DEL_NTF (monitor)
 *   A:      as WORKER_GET, sent to every network namespace
 *
 * VR_SCHED_CMD_RULE_ADD (CAP_NET_ADMIN, initial user namespace)
 *   R:      VR_SCHED_A_RULE_DIR    u32, enum vr_sched_dir      (match)
 *           VR_SCHED_A_RULE_COMM   string, <= 15 bytes         (match)
 *           VR_SCHED_A_RULE_PID    u32, owner tgid             (match)
 *           VR_SCHED_A_RULE_CPUS   string, cpu list            (action)
 *           VR_SCHED_A_RULE_SCHED  nest, as WORKER_SET         (action)
 *   At least one action. A: the rule, as RULE_GET.
 *
 * VR_SCHED_CMD_RULE_DEL (CAP_NET_ADMIN, initial user namespace)
 *   R:      VR_SCHED_A_RULE_ID     u32, required
 *
 * VR_SCHED_CMD_RULE_GET
 *   R do:   VR_SCHED_A_RULE_ID; dump: nothing, rules in ascending id order
 *   A:      VR_SCHED_A_RULE_ID, _DIR, _COMM, _PID, _CPUS, _SCHED (the
 *           attributes the rule was added with)
 *
 * VR_SCHED_CMD_LINK_GET
 *   R do:   VR_SCHED_A_LINK_IFINDEX u32 or VR_SCHED_A_LINK_NAME string
 *   R dump: nothing (links of the socket's network namespace)
 *   A:      VR_SCHED_A_LINK_IFINDEX    u32
 *           VR_SCHED_A_LINK_NAME       string
 *           VR_SCHED_A_LINK_MODE       u32, MACVLAN_MODE_*
 *           VR_SCHED_A_LINK_POLICY     u32, enum vr_sched_link_policy
 *           VR_SCHED_A_LINK_LIMIT      u32
 *           VR_SCHED_A_LINK_SKIP_FULL  u8
 *           VR_SCHED_A_LINK_WEIGHT     u32, one per queue, in queue order
 *           VR_SCHED_A_LINK_QUEUE      nest, one per queue, enum
 *                                      vr_sched_a_queue:
 *               VR_SCHED_A_QUEUE_INDEX      u32
 *               VR_SCHED_A_QUEUE_ENQUEUED   u64
 *               VR_SCHED_A_QUEUE_EARLY_DROPS u64
 *               VR_SCHED_A_QUEUE_FULL_DROPS u64
 *               VR_SCHED_A_QUEUE_OCCUPANCY  u32
 *               VR_SCHED_A_QUEUE_ENABLED    u8
 *               VR_SCHED_A_QUEUE_EFF_LIMIT  u32, packets: the limit
 *                                           enqueue applies now (the
 *                                           static limit, or the
 *                                           adaptive controller's)
 *               VR_SCHED_A_QUEUE_DRAIN_RATE u32, pps, adaptive only: the
 *                                           drain rate measured while
 *                                           the queue was backlogged
 *               VR_SCHED_A_QUEUE_DELAY_US   u32, adaptive only:
 *                                           occupancy / drain rate
 *               VR_SCHED_A_QUEUE_STALE_DROPS u64, head-dropped from a
 *                                           queue whose reader stalled
 *           VR_SCHED_A_LINK_QMODE      u32, enum vr_sched_link_qmode
 *           VR_SCHED_A_LINK_TARGET_US  u32, adaptive: target queue delay
 *           VR_SCHED_A_LINK_LIMIT_MIN  u32, adaptive: lower bound, packets
 *           VR_SCHED_A_LINK_LIMIT_MAX  u32, adaptive: upper bound, packets
 *           VR_SCHED_A_LINK_INTERVAL_US u32, adaptive: update interval
 *
 * VR_SCHED_CMD_LINK_SET (CAP_NET_ADMIN, owning user namespace)
 *   R:      VR_SCHED_A_LINK_IFINDEX or VR_SCHED_A_LINK_NAME, required
 *           VR_SCHED_A_LINK_POLICY     u32, 1..VR_SCHED_POLICY_MAX
 *           VR_SCHED_A_LINK_LIMIT      u32, >= 1
 *           VR_SCHED_A_LINK_SKIP_FULL  u8, 0 or 1
 *           VR_SCHED_A_LINK_WEIGHT     u32 1..1000, exactly one per queue
 *           VR_SCHED_A_LINK_QMODE      u32, 1..VR_SCHED_QMODE_MAX
 *           VR_SCHED_A_LINK_TARGET_US  u32, 1..1000000
 *           VR_SCHED_A_LINK_LIMIT_MIN  u32, 1..ring size, <= LIMIT_MAX
 *           VR_SCHED_A_LINK_LIMIT_MAX  u32, 1..ring size
 *           VR_SCHED_A_LINK_INTERVAL_US u32, 1000..1000000
 *   All or nothing. The mode is set with rtnetlink (IFLA_MACVLAN_MODE).
 *
 * VR_SCHED_CMD_LINK_NEW_NTF, _DEL_NTF, _CHANGE_NTF (monitor)
 *   A:      as LINK_GET, sent to the link's network namespace
 */
#ifndef _UAPI_LINUX_VR_SCHED_H
#define _UAPI_LINUX_VR_SCHED_H

#define VR_SCHED_GENL_NAME	"vr_sched"
#define VR_SCHED_GENL_VERSION	1

/* Direction of a vhost_split worker thread. */
enum vr_sched_dir {
	VR_SCHED_DIR_RX = 1,	/* backend socket -> guest */
	VR_SCHED_DIR_TX,	/* guest -> backend socket */

	__VR_SCHED_DIR_MAX,
	VR_SCHED_DIR_MAX = __VR_SCHED_DIR_MAX - 1
};

/* Queue selection policy of a macvtap_mq link. */
enum vr_sched_link_policy {
	VR_SCHED_POLICY_RR = 1,	/* per-packet round robin */
	VR_SCHED_POLICY_HASH,	/* flow hash, as macvtap */
	VR_SCHED_POLICY_WRR,	/* weighted round robin */

	__VR_SCHED_POLICY_MAX,
	VR_SCHED_POLICY_MAX = __VR_SCHED_POLICY_MAX - 1
};

/* Queue-length mode of a macvtap_mq link. */
enum vr_sched_link_qmode {
	VR_SCHED_QMODE_STATIC = 1,	/* early drop at the fixed limit */
	VR_SCHED_QMODE_ADAPTIVE,	/* limit = drain rate * target delay */

	__VR_SCHED_QMODE_MAX,
	VR_SCHED_QMODE_MAX = __VR_SCHED_QMODE_MAX - 1
};

/* Scheduling policy of a worker thread. */
enum vr_sched_thread_policy {
	VR_SCHED_THREAD_POLICY_OTHER = 1,	/* SCHED_OTHER, nice */
	VR_SCHED_THREAD_POLICY_FIFO,		/* SCHED_FIFO, prio */
	VR_SCHED_THREAD_POLICY_RR,		/* SCHED_RR, prio */
	VR_SCHED_THREAD_POLICY_DEADLINE,	/* SCHED_DEADLINE (CBS) */
	VR_SCHED_THREAD_POLICY_BATCH,		/* SCHED_BATCH, nice */
	VR_SCHED_THREAD_POLICY_IDLE,		/* SCHED_IDLE */

	__VR_SCHED_THREAD_POLICY_MAX,
	VR_SCHED_THREAD_POLICY_MAX = __VR_SCHED_THREAD_POLICY_MAX - 1
};

enum vr_sched_a_sched {
	VR_SCHED_A_SCHED_POLICY = 1,
	VR_SCHED_A_SCHED_NICE,
	VR_SCHED_A_SCHED_PRIO,
	VR_SCHED_A_SCHED_RUNTIME,
	VR_SCHED_A_SCHED_DEADLINE,
	VR_SCHED_A_SCHED_PERIOD,
	VR_SCHED_A_SCHED_PAD,

	__VR_SCHED_A_SCHED_MAX,
	VR_SCHED_A_SCHED_MAX = __VR_SCHED_A_SCHED_MAX - 1
};

enum vr_sched_a_stats {
	VR_SCHED_A_STATS_PACKETS = 1,
	VR_SCHED_A_STATS_BYTES,
	VR_SCHED_A_STATS_WAKEUPS,
	VR_SCHED_A_STATS_BUSY_NS,
	VR_SCHED_A_STATS_PAD,

	__VR_SCHED_A_STATS_MAX,
	VR_SCHED_A_STATS_MAX = __VR_SCHED_A_STATS_MAX - 1
};

enum vr_sched_a_worker {
	VR_SCHED_A_WORKER_ID = 1,
	VR_SCHED_A_WORKER_DIR,
	VR_SCHED_A_WORKER_OWNER_PID,
	VR_SCHED_A_WORKER_OWNER_COMM,
	VR_SCHED_A_WORKER_DEV_ID,
	VR_SCHED_A_WORKER_KIND,
	VR_SCHED_A_WORKER_TID,
	VR_SCHED_A_WORKER_CPUS,
	VR_SCHED_A_WORKER_SCHED,
	VR_SCHED_A_WORKER_STATS,

	__VR_SCHED_A_WORKER_MAX,
	VR_SCHED_A_WORKER_MAX = __VR_SCHED_A_WORKER_MAX - 1
};

enum vr_sched_a_rule {
	VR_SCHED_A_RULE_ID = 1,
	VR_SCHED_A_RULE_DIR,
	VR_SCHED_A_RULE_COMM,
	VR_SCHED_A_RULE_PID,
	VR_SCHED_A_RULE_CPUS,
	VR_SCHED_A_RULE_SCHED,

	__VR_SCHED_A_RULE_MAX,
	VR_SCHED_A_RULE_MAX = __VR_SCHED_A_RULE_MAX - 1
};

enum vr_sched_a_queue {
	VR_SCHED_A_QUEUE_INDEX = 1,
	VR_SCHED_A_QUEUE_ENQUEUED,
	VR_SCHED_A_QUEUE_EARLY_DROPS,
	VR_SCHED_A_QUEUE_FULL_DROPS,
	VR_SCHED_A_QUEUE_OCCUPANCY,
	VR_SCHED_A_QUEUE_ENABLED,
	VR_SCHED_A_QUEUE_PAD,
	VR_SCHED_A_QUEUE_EFF_LIMIT,
	VR_SCHED_A_QUEUE_DRAIN_RATE,
	VR_SCHED_A_QUEUE_DELAY_US,
	VR_SCHED_A_QUEUE_STALE_DROPS,

	__VR_SCHED_A_QUEUE_MAX,
	VR_SCHED_A_QUEUE_MAX = __VR_SCHED_A_QUEUE_MAX - 1
};

enum vr_sched_a_link {
	VR_SCHED_A_LINK_IFINDEX = 1,
	VR_SCHED_A_LINK_NAME,
	VR_SCHED_A_LINK_MODE,
	VR_SCHED_A_LINK_POLICY,
	VR_SCHED_A_LINK_LIMIT,
	VR_SCHED_A_LINK_SKIP_FULL,
	VR_SCHED_A_LINK_WEIGHT,
	VR_SCHED_A_LINK_QUEUE,
	VR_SCHED_A_LINK_QMODE,
	VR_SCHED_A_LINK_TARGET_US,
	VR_SCHED_A_LINK_LIMIT_MIN,
	VR_SCHED_A_LINK_LIMIT_MAX,
	VR_SCHED_A_LINK_INTERVAL_US,

	__VR_SCHED_A_LINK_MAX,
	VR_SCHED_A_LINK_MAX = __VR_SCHED_A_LINK_MAX - 1
};

enum vr_sched_cmd {
	VR_SCHED_CMD_WORKER_GET = 1,
	VR_SCHED_CMD_WORKER_SET,
	VR_SCHED_CMD_WORKER_NEW_NTF,
	VR_SCHED_CMD_WORKER_DEL_NTF,
	VR_SCHED_CMD_RULE_ADD,
	VR_SCHED_CMD_RULE_DEL,
	VR_SCHED_CMD_RULE_GET,
	VR_SCHED_CMD_LINK_GET,
	VR_SCHED_CMD_LINK_SET,
	VR_SCHED_CMD_LINK_NEW_NTF,
	VR_SCHED_CMD_LINK_DEL_NTF,
	VR_SCHED_CMD_LINK_CHANGE_NTF,

	__VR_SCHED_CMD_MAX,
	VR_SCHED_CMD_MAX = __VR_SCHED_CMD_MAX - 1
};

#define VR_SCHED_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_VR_SCHED_H */
