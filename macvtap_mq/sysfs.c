// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/<dev>/macvtap_mq/{policy,limit,skip_full,weights,qmode,
 * target_us,limit_min,limit_max,interval_us}.
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

/* Apply @changed from @cfg under RTNL, as vr_sched's netlink does. */
static int mvq_apply(struct device *d, const struct vr_link_config *cfg,
		     u32 changed)
{
	struct net_device *dev = to_net_dev(d);
	struct mvq_dev *mvq = netdev_priv(dev);
	int err;

	if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (!rtnl_trylock())
		return restart_syscall();
	if (READ_ONCE(dev->reg_state) == NETREG_REGISTERED)
		err = mvq_set_config(mvq, cfg, changed, NULL);
	else
		err = -ENODEV;
	if (!err)
		vr_link_notify(&mvq->link);
	rtnl_unlock();
	return err;
}

static ssize_t mvq_store(struct device *d, const char *buf, size_t len,
			 mvq_parse_t parse, u32 changed)
{
	struct vr_link_config *cfg;
	int err;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	err = parse(buf, cfg);
	if (!err)
		err = mvq_apply(d, cfg, changed);
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

static ssize_t qmode_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct vr_link_config *cfg;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	ret = cfg->policy ? sysfs_emit(buf, "%s\n", mvq_qmode_name(cfg->qmode))
			  : -ENODEV;
	kfree(cfg);
	return ret;
}

static int mvq_parse_qmode(const char *buf, struct vr_link_config *cfg)
{
	return mvq_qmode_parse(buf, &cfg->qmode);
}

static ssize_t qmode_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	return mvq_store(d, buf, len, mvq_parse_qmode, VR_LINK_CFG_QMODE);
}

/*
 * Decimal u32 fields of struct vr_link_config (the adaptive controller's
 * parameters); ranges are mvq_set_config()'s business.
 */
struct mvq_u32_attr {
	struct device_attribute attr;
	size_t off;			/* in struct vr_link_config */
	u32 bit;			/* VR_LINK_CFG_* */
};

static ssize_t mvq_u32_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	const struct mvq_u32_attr *a = container_of(attr, struct mvq_u32_attr,
						    attr);
	struct vr_link_config *cfg;
	ssize_t ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mvq_get_config(mvq_from_device(d), cfg);
	ret = cfg->policy ? sysfs_emit(buf, "%u\n",
				       *(u32 *)((char *)cfg + a->off))
			  : -ENODEV;
	kfree(cfg);
	return ret;
}

static ssize_t mvq_u32_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	const struct mvq_u32_attr *a = container_of(attr, struct mvq_u32_attr,
						    attr);
	struct vr_link_config *cfg;
	int err;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	/* Overflowing numbers are out of range (-ERANGE) too. */
	err = kstrtou32(buf, 0, (u32 *)((char *)cfg + a->off));
	if (!err)
		err = mvq_apply(d, cfg, a->bit);
	kfree(cfg);
	return err ? err : len;
}

#define MVQ_U32_ATTR(_name, _off, _bit)					\
	struct mvq_u32_attr dev_attr_##_name = {			\
		.attr	= __ATTR(_name, 0644, mvq_u32_show, mvq_u32_store), \
		.off	= _off,						\
		.bit	= _bit,						\
	}

static MVQ_U32_ATTR(target_us, offsetof(struct vr_link_config, target_us),
		    VR_LINK_CFG_TARGET);
static MVQ_U32_ATTR(limit_min, offsetof(struct vr_link_config, limit_min),
		    VR_LINK_CFG_LIMIT_MIN);
static MVQ_U32_ATTR(limit_max, offsetof(struct vr_link_config, limit_max),
		    VR_LINK_CFG_LIMIT_MAX);
static MVQ_U32_ATTR(interval_us, offsetof(struct vr_link_config, interval_us),
		    VR_LINK_CFG_INTERVAL);

static DEVICE_ATTR_RW(policy);
static DEVICE_ATTR_RW(limit);
static DEVICE_ATTR_RW(skip_full);
static DEVICE_ATTR_RW(weights);
static DEVICE_ATTR_RW(qmode);

static struct attribute *mvq_sysfs_attrs[] = {
	&dev_attr_policy.attr,
	&dev_attr_limit.attr,
	&dev_attr_skip_full.attr,
	&dev_attr_weights.attr,
	&dev_attr_qmode.attr,
	&dev_attr_target_us.attr.attr,
	&dev_attr_limit_min.attr.attr,
	&dev_attr_limit_max.attr.attr,
	&dev_attr_interval_us.attr.attr,
	NULL
};

const struct attribute_group mvq_sysfs_group = {
	.name	= "macvtap_mq",
	.attrs	= mvq_sysfs_attrs,
};
