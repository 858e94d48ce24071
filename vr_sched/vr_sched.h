/* SPDX-License-Identifier: GPL-2.0 */
/* vr_sched internals shared between its source files. */
#ifndef _VR_SCHED_H
#define _VR_SCHED_H

#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <net/netlink.h>
#include <pvr/vr_sched_api.h>

struct genl_info;
struct netlink_callback;
struct nlattr;
struct sk_buff;

/* Scheduling policy and parameters, as in the VR_SCHED_A_SCHED_* nest. */
struct vr_thread_sched {
	u32 policy;		/* enum vr_sched_thread_policy */
	s32 nice;
	u32 prio;
	u64 runtime;		/* ns */
	u64 deadline;		/* ns */
	u64 period;		/* ns */
};

/* What a rule or a worker-set request changes. */
struct vr_thread_cfg {
	bool has_cpus;
	bool has_sched;
	cpumask_var_t cpus;
	struct vr_thread_sched sched;
};

struct vr_rule {
	u32 id;
	/* Match: 0 / empty / 0 mean "any". */
	u8 dir;
	char comm[TASK_COMM_LEN];
	pid_t pid;
	struct vr_thread_cfg cfg;
};

/* registry.c: workers and rules under vr_lock, links under RTNL. */
extern struct mutex vr_lock;
extern struct xarray vr_workers;	/* id -> struct vr_worker */
extern struct xarray vr_rules;		/* id -> struct vr_rule */
extern unsigned int vr_workers_gen;	/* Protected by vr_lock. */
extern unsigned int vr_rules_gen;	/* Protected by vr_lock. */
extern struct list_head vr_links;	/* Protected by RTNL. */
extern unsigned int vr_links_gen;	/* Protected by RTNL. */

int vr_registry_init(void);
void vr_registry_exit(void);
int vr_rule_add(struct vr_rule *rule, struct netlink_ext_ack *extack);
struct vr_rule *vr_rule_remove(u32 id);
void vr_rule_free(struct vr_rule *rule);
struct vr_link *vr_link_find(const struct net_device *dev);

/* sched.c */
int vr_thread_cfg_init(struct vr_thread_cfg *cfg);
void vr_thread_cfg_destroy(struct vr_thread_cfg *cfg);
int vr_thread_cfg_parse(struct vr_thread_cfg *cfg, const struct nlattr *cpus,
			const struct nlattr *sched,
			struct netlink_ext_ack *extack);
int vr_thread_apply(struct task_struct *task, const struct cpumask *cpus,
		    const struct vr_thread_sched *sched,
		    struct netlink_ext_ack *extack);
void vr_thread_get_sched(struct task_struct *task, struct vr_thread_sched *s);
int vr_nl_put_sched(struct sk_buff *skb, int attr,
		    const struct vr_thread_sched *s);

/* netlink.c */
extern const struct nla_policy vr_sched_nl_policy[VR_SCHED_A_SCHED_MAX + 1];
int __init vr_netlink_init(void);
void vr_netlink_exit(void);
void vr_nl_notify_worker(struct vr_worker *w, u8 cmd);
void vr_nl_notify_link(struct vr_link *link, u8 cmd);

#endif /* _VR_SCHED_H */
