// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the objects the data-plane modules expose, worker threads
 * (vhost_split) and multi-queue links (macvtap_mq), and of the rules that
 * tune workers when they register.
 *
 * Lifetime: registered workers and links are owned by the registering
 * module; the registry only indexes them. Rules are owned by the registry:
 * created by RULE_ADD, freed by RULE_DEL or at module unload.
 *
 * Locking: workers, rules and their generation counters are protected by
 * vr_lock, a mutex because applying rules sleeps. Netlink readers and
 * writers of workers and rules hold it for the whole operation, and
 * vr_worker_unregister() takes it, so no reader can see a worker once its
 * unregister call has returned. Links and vr_links_gen are protected by the
 * RTNL lock, which the link API requires of its callers and which netlink
 * takes around every vr_link_ops call. The two are never nested.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "vr_sched.h"

DEFINE_MUTEX(vr_lock);			/* Workers, rules, their counters. */
DEFINE_XARRAY_ALLOC1(vr_workers);	/* Protected by vr_lock. */
DEFINE_XARRAY_ALLOC1(vr_rules);		/* Protected by vr_lock. */
/* Dump generations start at 1: genl_dump_check_consistent() ignores 0. */
unsigned int vr_workers_gen = 1;	/* Protected by vr_lock. */
unsigned int vr_rules_gen = 1;		/* Protected by vr_lock. */
static u32 vr_worker_next_id;		/* Protected by vr_lock. */
static u32 vr_rule_next_id;		/* Protected by vr_lock. */
LIST_HEAD(vr_links);			/* Protected by RTNL. */
unsigned int vr_links_gen = 1;		/* Protected by RTNL. */

static bool vr_rule_matches(const struct vr_rule *rule,
			    const struct vr_worker *w)
{
	if (rule->dir && rule->dir != w->dir)
		return false;
	if (rule->pid && rule->pid != w->owner_pid)
		return false;
	if (rule->comm[0] && strncmp(rule->comm, w->owner_comm, TASK_COMM_LEN))
		return false;
	return true;
}

/*
 * Matching rules apply in ascending id order; each sets the fields it has,
 * so the last matching rule with CPUs decides the CPUs and the last one
 * with a policy decides the policy. Both are then applied at once.
 */
static void vr_worker_apply_rules(struct vr_worker *w)
{
	const struct vr_thread_sched *sched = NULL;
	const struct cpumask *cpus = NULL;
	struct netlink_ext_ack extack = {};
	struct vr_rule *rule;
	unsigned long id;
	int err;

	lockdep_assert_held(&vr_lock);
	xa_for_each(&vr_rules, id, rule) {
		if (!vr_rule_matches(rule, w))
			continue;
		if (rule->cfg.has_cpus)
			cpus = rule->cfg.cpus;
		if (rule->cfg.has_sched)
			sched = &rule->cfg.sched;
	}
	if (!cpus && !sched)
		return;
	err = vr_thread_apply(w->task, cpus, sched, &extack);
	if (err)
		pr_warn_ratelimited("worker %u (tid %d): rules not applied: %s (%d)\n",
				    w->id, task_pid_nr(w->task),
				    extack._msg ?: "error", err);
}

int vr_worker_register(struct vr_worker *w)
{
	u32 id;
	int err;

	if (WARN_ON_ONCE(!w->task || !w->dir || w->dir > VR_SCHED_DIR_MAX))
		return -EINVAL;

	u64_stats_init(&w->stats.syncp);
	INIT_LIST_HEAD(&w->list);

	mutex_lock(&vr_lock);
	err = xa_alloc_cyclic(&vr_workers, &id, w, xa_limit_32b,
			      &vr_worker_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_alloc;
	w->id = id;
	vr_worker_apply_rules(w);
	vr_workers_gen++;
	vr_nl_notify_worker(w, VR_SCHED_CMD_WORKER_NEW_NTF);
	mutex_unlock(&vr_lock);
	return 0;

err_alloc:
	mutex_unlock(&vr_lock);
	return err;
}
EXPORT_SYMBOL_GPL(vr_worker_register);

void vr_worker_unregister(struct vr_worker *w)
{
	mutex_lock(&vr_lock);
	vr_nl_notify_worker(w, VR_SCHED_CMD_WORKER_DEL_NTF);
	xa_erase(&vr_workers, w->id);
	vr_workers_gen++;
	mutex_unlock(&vr_lock);
}
EXPORT_SYMBOL_GPL(vr_worker_unregister);

int vr_rule_add(struct vr_rule *rule, struct netlink_ext_ack *extack)
{
	u32 id;
	int err;

	lockdep_assert_held(&vr_lock);
	err = xa_alloc_cyclic(&vr_rules, &id, rule, xa_limit_32b,
			      &vr_rule_next_id, GFP_KERNEL);
	if (err < 0) {
		NL_SET_ERR_MSG(extack, "no free rule id");
		return err;
	}
	rule->id = id;
	vr_rules_gen++;
	return 0;
}

struct vr_rule *vr_rule_remove(u32 id)
{
	struct vr_rule *rule;

	lockdep_assert_held(&vr_lock);
	rule = xa_erase(&vr_rules, id);
	if (rule)
		vr_rules_gen++;
	return rule;
}

void vr_rule_free(struct vr_rule *rule)
{
	if (!rule)
		return;
	vr_thread_cfg_destroy(&rule->cfg);
	kfree(rule);
}

struct vr_link *vr_link_find(const struct net_device *dev)
{
	struct vr_link *link;

	ASSERT_RTNL();
	list_for_each_entry(link, &vr_links, list)
		if (link->dev == dev)
			return link;
	return NULL;
}

int vr_link_register(struct vr_link *link)
{
	ASSERT_RTNL();
	if (WARN_ON_ONCE(!link->dev || !link->ops))
		return -EINVAL;
	list_add_tail(&link->list, &vr_links);
	vr_links_gen++;
	/*
	 * A link kind registers from its newlink, before the device is: then
	 * the NETDEV_REGISTER notifier below announces it, with its ifindex.
	 */
	if (link->dev->reg_state == NETREG_REGISTERED)
		vr_nl_notify_link(link, VR_SCHED_CMD_LINK_NEW_NTF);
	return 0;
}
EXPORT_SYMBOL_GPL(vr_link_register);

void vr_link_unregister(struct vr_link *link)
{
	ASSERT_RTNL();
	vr_nl_notify_link(link, VR_SCHED_CMD_LINK_DEL_NTF);
	list_del(&link->list);
	vr_links_gen++;
}
EXPORT_SYMBOL_GPL(vr_link_unregister);

void vr_link_notify(struct vr_link *link)
{
	ASSERT_RTNL();
	vr_links_gen++;
	if (link->dev->reg_state == NETREG_REGISTERED)
		vr_nl_notify_link(link, VR_SCHED_CMD_LINK_CHANGE_NTF);
}
EXPORT_SYMBOL_GPL(vr_link_notify);

static int vr_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vr_link *link;

	ASSERT_RTNL();
	if (event != NETDEV_REGISTER && event != NETDEV_CHANGENAME)
		return NOTIFY_DONE;
	link = vr_link_find(dev);
	if (!link)
		return NOTIFY_DONE;
	vr_links_gen++;
	vr_nl_notify_link(link, event == NETDEV_REGISTER ?
			  VR_SCHED_CMD_LINK_NEW_NTF :
			  VR_SCHED_CMD_LINK_CHANGE_NTF);
	return NOTIFY_OK;
}

static struct notifier_block vr_netdev_nb = {
	.notifier_call = vr_netdev_event,
};

int vr_registry_init(void)
{
	return register_netdevice_notifier(&vr_netdev_nb);
}

void vr_registry_exit(void)
{
	struct vr_rule *rule;
	unsigned long id;

	unregister_netdevice_notifier(&vr_netdev_nb);
	/* Data-plane modules depend on us: nothing can be registered now. */
	WARN_ON(!xa_empty(&vr_workers));
	WARN_ON(!list_empty(&vr_links));
	xa_for_each(&vr_rules, id, rule) {
		xa_erase(&vr_rules, id);
		vr_rule_free(rule);
	}
	xa_destroy(&vr_rules);
	xa_destroy(&vr_workers);
}
