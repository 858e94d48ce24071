// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/<dev>/macvtap_mq/{policy,limit,skip_full,weights}.
 *
 * Reads look at the published config under RCU. Writes need CAP_NET_ADMIN
 * in the device's netns, parse the text here and leave every range check
 * to mvq_set_config() (the same function vr_sched's netlink uses), under
 * RTNL. Syntax errors are -EINVAL; range errors come from mvq_set_config()
 * (-EINVAL or -ERANGE). The group lives as long as the net device's
 * kobject; the config is gone after dellink, so both sides check for it.
 */
#include <linux/capability.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "macvtap_mq.h"

static struct mvq_dev *mvq_from_device(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

typedef int (*mvq_parse_t)(const char *buf, struct vr_link_config *cfg);

static ssize_t mvq_store(struct device *d, const char *buf, size_t len,
			 mvq_parse_t parse, u32 changed)
{
	struct net_device *dev = to_net_dev(d);
	struct mvq_dev *mvq = netdev_priv(dev);
	struct vr_link_config *cfg;
	int err;

	if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	err = parse(buf, cfg);
	if (err)
		goto out;
	if (!rtnl_trylock()) {
		err = restart_syscall();
		goto out;
	}
	if (READ_ONCE(dev->reg_state) == NETREG_REGISTERED)
		err = mvq_set_config(mvq, cfg, changed, NULL);
	else
		err = -ENODEV;
	if (!err)
		vr_link_notify(&mvq->link);
	rtnl_unlock();
out:
	kfree(cfg);
	return err ? err : len;
}

static int mvq_parse_policy(const char *buf, struct vr_link_config *cfg)
{
	return mvq_policy_parse(buf, &cfg->policy);
}

static int mvq_parse_limit(const char *buf, struct vr_link_config *cfg)
{
	/* Overflowing numbers are out of range (-ERANGE) too. */
	return kstrtou32(buf, 0, &cfg->limit);
}

static int mvq_parse_skip_full(const char *buf, struct vr_link_config *cfg)
{
	return kstrtou8(buf, 0, &cfg->skip_full);
}

/* "2,1,1": one decimal weight per enabled queue, in queue order. */
static int mvq_parse_weights(const char *buf, struct vr_link_config *cfg)
{
	char *s, *p, *tok;
	int err = 0;

	s = kstrdup(buf, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	p = strim(s);
	if (!*p)
		err = -EINVAL;
	while (!err && (tok = strsep(&p, ",")) != NULL) {
		if (cfg->nweights == VR_LINK_MAX_QUEUES) {
			err = -EINVAL;
			break;
		}
		err = kstrtou32(strim(tok), 10, &cfg->weights[cfg->nweights++]);
	}
	kfree(s);
	return err;
}

static ssize_t policy_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct vr_link_config *cfg;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	ret = cfg->policy ? sysfs_emit(buf, "%s\n", mvq_policy_name(cfg->policy))
			  : -ENODEV;
	kfree(cfg);
	return ret;
}

static ssize_t policy_store(struct device *d, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	return mvq_store(d, buf, len, mvq_parse_policy, VR_LINK_CFG_POLICY);
}

static ssize_t limit_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct vr_link_config *cfg;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	ret = cfg->policy ? sysfs_emit(buf, "%u\n", cfg->limit) : -ENODEV;
	kfree(cfg);
	return ret;
}

static ssize_t limit_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	return mvq_store(d, buf, len, mvq_parse_limit, VR_LINK_CFG_LIMIT);
}

static ssize_t skip_full_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct vr_link_config *cfg;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	ret = cfg->policy ? sysfs_emit(buf, "%u\n", cfg->skip_full) : -ENODEV;
	kfree(cfg);
	return ret;
}

static ssize_t skip_full_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	return mvq_store(d, buf, len, mvq_parse_skip_full,
			 VR_LINK_CFG_SKIP_FULL);
}

static ssize_t weights_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct vr_link_config *cfg;
	unsigned int i;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	if (!cfg->policy) {
		ret = -ENODEV;
		goto out;
	}
	ret = 0;
	for (i = 0; i < cfg->nweights; i++)
		ret += sysfs_emit_at(buf, ret, "%s%u", i ? "," : "",
				     cfg->weights[i]);
	ret += sysfs_emit_at(buf, ret, "\n");
out:
	kfree(cfg);
	return ret;
}

static ssize_t weights_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	return mvq_store(d, buf, len, mvq_parse_weights, VR_LINK_CFG_WEIGHTS);
}

static DEVICE_ATTR_RW(policy);
static DEVICE_ATTR_RW(limit);
static DEVICE_ATTR_RW(skip_full);
static DEVICE_ATTR_RW(weights);

static struct attribute *mvq_sysfs_attrs[] = {
	&dev_attr_policy.attr,
	&dev_attr_limit.attr,
	&dev_attr_skip_full.attr,
	&dev_attr_weights.attr,
	NULL
};

const struct attribute_group mvq_sysfs_group = {
	.name	= "macvtap_mq",
	.attrs	= mvq_sysfs_attrs,
};
