// SPDX-License-Identifier: GPL-2.0
/*
 * vr_sched: control plane of the pvr module suite (workers, rules, links).
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "vr_sched.h"

static int __init vr_sched_init(void)
{
	int err;

	err = vr_registry_init();
	if (err)
		goto err_registry;
	err = vr_netlink_init();
	if (err)
		goto err_netlink;
	pr_info("loaded\n");
	return 0;

err_netlink:
	vr_registry_exit();
err_registry:
	return err;
}

static void __exit vr_sched_exit(void)
{
	vr_netlink_exit();
	vr_registry_exit();
}

module_init(vr_sched_init);
module_exit(vr_sched_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pvr control plane: worker scheduling and queue tuning");
MODULE_AUTHOR("pvr developers");
MODULE_ALIAS_GENL_FAMILY(VR_SCHED_GENL_NAME);
