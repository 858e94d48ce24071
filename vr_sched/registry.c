// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of the objects the data-plane modules expose: worker threads
 * (vhost_split) and multi-queue links (macvtap_mq).
 *
 * Lifetime: registered objects are owned by the registering module; the
 * registry only links them into a list. Workers are protected by
 * vr_workers_lock (a mutex: registration applies scheduling rules, which
 * sleeps); links by the RTNL lock. Unregistering takes the same lock, so no
 * reader can still see an object once its unregister call returns.
 */
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>

#include "vr_sched.h"

static DEFINE_MUTEX(vr_workers_lock);
static LIST_HEAD(vr_workers);		/* Protected by vr_workers_lock. */
static DEFINE_IDA(vr_worker_ids);
static LIST_HEAD(vr_links);		/* Protected by RTNL. */

int vr_worker_register(struct vr_worker *w)
{
	int id;

	if (WARN_ON_ONCE(!w->task || !w->dir || w->dir > VR_SCHED_DIR_MAX))
		return -EINVAL;

	id = ida_alloc_min(&vr_worker_ids, 1, GFP_KERNEL);
	if (id < 0)
		return id;
	w->id = id;
	u64_stats_init(&w->stats.syncp);

	mutex_lock(&vr_workers_lock);
	list_add_tail(&w->list, &vr_workers);
	mutex_unlock(&vr_workers_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vr_worker_register);

void vr_worker_unregister(struct vr_worker *w)
{
	mutex_lock(&vr_workers_lock);
	list_del(&w->list);
	mutex_unlock(&vr_workers_lock);
	ida_free(&vr_worker_ids, w->id);
}
EXPORT_SYMBOL_GPL(vr_worker_unregister);

int vr_link_register(struct vr_link *link)
{
	ASSERT_RTNL();
	if (WARN_ON_ONCE(!link->dev || !link->ops))
		return -EINVAL;
	list_add_tail(&link->list, &vr_links);
	return 0;
}
EXPORT_SYMBOL_GPL(vr_link_register);

void vr_link_unregister(struct vr_link *link)
{
	ASSERT_RTNL();
	list_del(&link->list);
}
EXPORT_SYMBOL_GPL(vr_link_unregister);

void vr_link_notify(struct vr_link *link)
{
	ASSERT_RTNL();
}
EXPORT_SYMBOL_GPL(vr_link_notify);

int vr_registry_init(void)
{
	return 0;
}

void vr_registry_exit(void)
{
	/* Data-plane modules depend on us: nothing can be registered now. */
	WARN_ON(!list_empty(&vr_workers));
	WARN_ON(!list_empty(&vr_links));
	ida_destroy(&vr_worker_ids);
}
