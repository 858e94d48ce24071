// SPDX-License-Identifier: GPL-2.0
/*
 * macvtap_mq: a macvlan-based link kind whose queues are genuine tap queues
 * (tap.ko), like macvtap, but whose receive path spreads frames over the
 * queues by policy (rr, hash, wrr, skip-full) and drops early at a per-link
 * queue limit. See Documentation/macvtap_mq.rst.
 *
 * Lifetime: the char device region and class live from module init to
 * exit; each link's /dev/tap<ifindex> node from NETDEV_REGISTER to
 * NETDEV_UNREGISTER (the netdev notifier, as macvtap does); the link's
 * config, counters and vr_sched registration from newlink to dellink. Open
 * fds hold a reference on this module (the cdev owner), and tap.ko makes
 * them fail cleanly once the link is gone.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "macvtap_mq.h"

/* Offloads a vnet header reader takes until it says otherwise (TUNSETOFFLOAD). */
#define MVQ_TUN_OFFLOADS	(NETIF_F_HW_CSUM | NETIF_F_TSO_ECN | \
				 NETIF_F_TSO | NETIF_F_TSO6)

/* ------------------------------------------------------ module parameters */

static u32 mvq_param_policy = VR_SCHED_POLICY_RR;
static u32 mvq_param_qmode = VR_SCHED_QMODE_STATIC;
static unsigned int default_limit;
static bool default_skip_full;

static int mvq_param_policy_set(const char *val, const struct kernel_param *kp)
{
	u32 policy;
	int err;

	err = mvq_policy_parse(val, &policy);
	if (err)
		return err;
	WRITE_ONCE(mvq_param_policy, policy);
	return 0;
}

static int mvq_param_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  mvq_policy_name(READ_ONCE(mvq_param_policy)));
}

static const struct kernel_param_ops mvq_param_policy_ops = {
	.set	= mvq_param_policy_set,
	.get	= mvq_param_policy_get,
};

static int mvq_param_qmode_set(const char *val, const struct kernel_param *kp)
{
	u32 qmode;
	int err;

	err = mvq_qmode_parse(val, &qmode);
	if (err)
		return err;
	WRITE_ONCE(mvq_param_qmode, qmode);
	return 0;
}

static int mvq_param_qmode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  mvq_qmode_name(READ_ONCE(mvq_param_qmode)));
}

static const struct kernel_param_ops mvq_param_qmode_ops = {
	.set	= mvq_param_qmode_set,
	.get	= mvq_param_qmode_get,
};

module_param_cb(default_policy, &mvq_param_policy_ops, NULL, 0644);
MODULE_PARM_DESC(default_policy, "Queue policy of new links: rr, hash or wrr (default rr)");
module_param(default_limit, uint, 0644);
MODULE_PARM_DESC(default_limit, "Queue limit of new links in packets, 0 = ring size (default 0)");
module_param(default_skip_full, bool, 0644);
MODULE_PARM_DESC(default_skip_full, "Skip full queues on new links (default off)");
module_param_cb(default_qmode, &mvq_param_qmode_ops, NULL, 0644);
MODULE_PARM_DESC(default_qmode, "Queue-length mode of new links: static or adaptive (default static)");

u32 mvq_default_policy(void)
{
	return READ_ONCE(mvq_param_policy);
}

u32 mvq_default_limit(void)
{
	return READ_ONCE(default_limit);
}

bool mvq_default_skip_full(void)
{
	return READ_ONCE(default_skip_full);
}

u32 mvq_default_qmode(void)
{
	return READ_ONCE(mvq_param_qmode);
}

/* ------------------------------------------------------------ tap glue */

static dev_t mvq_major;
static struct cdev mvq_cdev;

/*
 * The tap class devices have no parent: under the net device they would
 * take the directory name "macvtap_mq" that the config attributes use.
 * Their drvdata is the net device (set before device_add()).
 */
static const void *mvq_net_namespace(PVR_CLASS_NS_CONST struct device *d)
{
	const struct net_device *dev = dev_get_drvdata(d);

	return dev_net(dev);
}

static struct class mvq_class = {
	.name		= "macvtap_mq",
	.ns_type	= &net_ns_type_operations,
	.namespace	= mvq_net_namespace,
};

static void mvq_count_tx_dropped(struct tap_dev *tap)
{
	this_cpu_inc(mvq_from_tap(tap)->vlan.pcpu_stats->tx_dropped);
}

static void mvq_count_rx_dropped(struct tap_dev *tap)
{
	dev_core_stats_rx_dropped_inc(tap->dev);
}

static void mvq_update_features(struct tap_dev *tap,
				netdev_features_t features)
{
	struct mvq_dev *mvq = mvq_from_tap(tap);

	mvq->vlan.set_features = features;
	netdev_update_features(mvq->vlan.dev);
}

/* ------------------------------------------------------------ link ops */

static int mvq_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct mvq_dev *mvq = netdev_priv(dev);
	int err;

	INIT_LIST_HEAD(&mvq->tap.queue_list);
	mvq->tap.tap_features = MVQ_TUN_OFFLOADS;
	mvq->tap.count_tx_dropped = mvq_count_tx_dropped;
	mvq->tap.count_rx_dropped = mvq_count_rx_dropped;
	mvq->tap.update_features = mvq_update_features;

	mvq->link.dev = dev;
	mvq->link.ops = &mvq_link_ops;
	err = mvq_config_init(mvq);
	if (err)
		goto err_config;
	err = vr_link_register(&mvq->link);
	if (err)
		goto err_vr_link;
	err = netdev_rx_handler_register(dev, mvq_handle_frame, mvq);
	if (err)
		goto err_rx_handler;
	/* Last: what it does cannot be undone from here. */
	err = macvlan_common_newlink(src_net, dev, tb, data, extack);
	if (err)
		goto err_macvlan;
	mvq->tap.dev = dev;
	return 0;

err_macvlan:
	netdev_rx_handler_unregister(dev);
err_rx_handler:
	vr_link_unregister(&mvq->link);
err_vr_link:
	mvq_config_free(mvq);
err_config:
	return err;
}

static void mvq_dellink(struct net_device *dev, struct list_head *head)
{
	struct mvq_dev *mvq = netdev_priv(dev);

	netdev_rx_handler_unregister(dev);	/* waits for running handlers */
	vr_link_unregister(&mvq->link);
	mvq_aqm_stop(mvq);			/* before the queues go */
	tap_del_queues(&mvq->tap);
	mvq_config_free(mvq);
	macvlan_dellink(dev, head);
}

static void mvq_setup(struct net_device *dev)
{
	macvlan_common_setup(dev);
	dev->tx_queue_len = TUN_READQ_SIZE;
	dev->sysfs_groups[0] = &mvq_sysfs_group;
}

static struct net *mvq_link_net(const struct net_device *dev)
{
	return dev_net(macvlan_dev_real_dev(dev));
}

static struct rtnl_link_ops mvq_rtnl_ops __read_mostly = {
	.kind		= "macvtap_mq",
	.setup		= mvq_setup,
	.newlink	= mvq_newlink,
	.dellink	= mvq_dellink,
	.get_link_net	= mvq_link_net,
	.priv_size	= sizeof(struct mvq_dev),
};

/* --------------------------------------------------- /dev/tap<ifindex> */

static int mvq_node_create(struct net_device *dev, const char *name)
{
	struct mvq_dev *mvq = netdev_priv(dev);
	struct device *classdev;
	int err;

	err = tap_get_minor(mvq_major, &mvq->tap);
	if (err)
		goto err_minor;
	classdev = device_create(&mvq_class, NULL,
				 MKDEV(MAJOR(mvq_major), mvq->tap.minor), dev,
				 "%s", name);
	if (IS_ERR(classdev)) {
		err = PTR_ERR(classdev);
		goto err_device;
	}
	err = sysfs_create_link(&dev->dev.kobj, &classdev->kobj, name);
	if (err)
		goto err_link;
	return 0;

err_link:
	device_destroy(&mvq_class, MKDEV(MAJOR(mvq_major), mvq->tap.minor));
err_device:
	tap_free_minor(mvq_major, &mvq->tap);
err_minor:
	return err;
}

static void mvq_node_destroy(struct net_device *dev, const char *name)
{
	struct mvq_dev *mvq = netdev_priv(dev);

	if (!mvq->tap.minor)	/* NETDEV_REGISTER failed */
		return;
	sysfs_remove_link(&dev->dev.kobj, name);
	device_destroy(&mvq_class, MKDEV(MAJOR(mvq_major), mvq->tap.minor));
	tap_free_minor(mvq_major, &mvq->tap);
}

static int mvq_device_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mvq_dev *mvq;
	char name[IFNAMSIZ];

	if (dev->rtnl_link_ops != &mvq_rtnl_ops)
		return NOTIFY_DONE;
	mvq = netdev_priv(dev);
	snprintf(name, sizeof(name), "tap%d", dev->ifindex);

	switch (event) {
	case NETDEV_REGISTER:
		return notifier_from_errno(mvq_node_create(dev, name));
	case NETDEV_UNREGISTER:
		mvq_node_destroy(dev, name);
		break;
	case NETDEV_CHANGE_TX_QUEUE_LEN:
		if (tap_queue_resize(&mvq->tap))
			return NOTIFY_BAD;
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block mvq_notifier = {
	.notifier_call	= mvq_device_event,
};

/* ------------------------------------------------------------- module */

static int __init mvq_init(void)
{
	int err;

	err = tap_create_cdev(&mvq_cdev, &mvq_major, "macvtap_mq", THIS_MODULE);
	if (err)
		goto err_cdev;
	err = class_register(&mvq_class);
	if (err)
		goto err_class;
	err = register_netdevice_notifier(&mvq_notifier);
	if (err)
		goto err_notifier;
	err = macvlan_link_register(&mvq_rtnl_ops);
	if (err)
		goto err_link;
	return 0;

err_link:
	unregister_netdevice_notifier(&mvq_notifier);
err_notifier:
	class_unregister(&mvq_class);
err_class:
	tap_destroy_cdev(mvq_major, &mvq_cdev);
err_cdev:
	return err;
}

static void __exit mvq_exit(void)
{
	rtnl_link_unregister(&mvq_rtnl_ops);	/* dellinks every link */
	unregister_netdevice_notifier(&mvq_notifier);
	class_unregister(&mvq_class);
	tap_destroy_cdev(mvq_major, &mvq_cdev);
}

module_init(mvq_init);
module_exit(mvq_exit);
MODULE_ALIAS_RTNL_LINK("macvtap_mq");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multi-queue macvtap with rr/hash/wrr queue policies and early drop");
MODULE_AUTHOR("pvr developers");
