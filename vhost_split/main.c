// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_split: the /dev/vhost-split character device and its ioctls, the
 * vhost-net ABI of <linux/vhost.h> with stock vhost-net's errnos.
 *
 * Lifetime and locking are described in vhs.h. Every ioctl runs under
 * dev->mutex; what it changes in a virtqueue it changes under that vq's
 * mutex, which quiesces the vq's worker (see vhs.h). Workers are stopped
 * only with no vq mutex held. All ioctl input is checked here before it
 * reaches a worker; ring contents are checked by the workers (desc.c).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vhs.h"

static bool alias_vhost_net;
module_param(alias_vhost_net, bool, 0444);
MODULE_PARM_DESC(alias_vhost_net,
		 "Register as /dev/vhost-net (misc minor 238) instead of /dev/vhost-split");

static unsigned short max_mem_regions = 64;
module_param(max_mem_regions, ushort, 0444);
MODULE_PARM_DESC(max_mem_regions, "Maximum regions in a memory table (default 64)");

static DEFINE_IDA(vhs_dev_ids);
static const struct vhs_mem vhs_no_mem;

static void vhs_mem_free(const struct vhs_mem *mem)
{
	if (mem != &vhs_no_mem)
		kvfree(mem);
}

static int vhs_check_owner(struct vhs_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	return dev->mm == current->mm ? 0 : -EPERM;
}

/* Configuration of a fresh or reset virtqueue. */
static void vhs_vq_reset(struct vhs_vq *vq)
{
	vq->num = 1;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->log_used = false;
	vq->log_addr = 0;
	vq->last_avail_idx = 0;
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->signalled_used = 0;
	vq->signalled_used_valid = false;
	vq->used_flags = 0;
	vq->broken = false;
	vq->busyloop_timeout = 0;
	vq->acked_features = 0;
	vq->vhost_hlen = 0;
	vq->sock_hlen = 0;
	vq->mem = &vhs_no_mem;
	vq->log_base = NULL;
	vq->log_ctx = NULL;
	vq->kick = NULL;
	vq->call_ctx = NULL;
	vq->err_ctx = NULL;
	vq->sock = NULL;
	vq->rx_ring = NULL;
	vq->rxq.head = 0;
	vq->rxq.tail = 0;
	vq->nheads = 0;
}

/*
 * Stop everything the owner set up and return the device to its state
 * after open(): polls first (their callbacks wake the workers), then the
 * workers, then the references they were using.
 */
static void vhs_dev_stop(struct vhs_dev *dev)
{
	struct socket *socks[VHS_NVQS];
	int i;

	lockdep_assert_held(&dev->mutex);
	for (i = 0; i < VHS_NVQS; i++) {
		struct vhs_vq *vq = &dev->vqs[i];

		mutex_lock(&vq->mutex);
		vhs_poll_stop(&vq->kick_poll);
		vhs_poll_stop(&vq->sock_poll);
		vhs_rxq_unconsume(vq);
		socks[i] = vq->sock;
		vq->sock = NULL;
		mutex_unlock(&vq->mutex);
	}
	vhs_workers_stop(dev);

	for (i = 0; i < VHS_NVQS; i++) {
		struct vhs_vq *vq = &dev->vqs[i];

		if (socks[i])
			sockfd_put(socks[i]);
		if (vq->kick)
			fput(vq->kick);
		if (vq->call_ctx)
			eventfd_ctx_put(vq->call_ctx);
		if (vq->err_ctx)
			eventfd_ctx_put(vq->err_ctx);
		vhs_vq_reset(vq);
	}
	if (dev->log_ctx)
		eventfd_ctx_put(dev->log_ctx);
	dev->log_ctx = NULL;
	dev->log_base = NULL;
	vhs_mem_free(dev->mem);
	dev->mem = (struct vhs_mem *)&vhs_no_mem;
	dev->features = 0;
	if (dev->mm)
		mmput(dev->mm);
	dev->mm = NULL;
	dev->owner_tgid = 0;
}

static int vhs_open(struct inode *inode, struct file *f)
{
	struct vhs_dev *dev;
	int i, id;

	dev = kvzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return -ENOMEM;
	id = ida_alloc(&vhs_dev_ids, GFP_KERNEL);
	if (id < 0) {
		kvfree(dev);
		return id;
	}
	dev->id = id;
	mutex_init(&dev->mutex);
	dev->mem = (struct vhs_mem *)&vhs_no_mem;
	for (i = 0; i < VHS_NVQS; i++) {
		struct vhs_vq *vq = &dev->vqs[i];

		vq->dev = dev;
		vq->index = i;
		vq->dir = i == VHS_VQ_RX ? VR_SCHED_DIR_RX : VR_SCHED_DIR_TX;
		mutex_init(&vq->mutex);
		init_completion(&vq->ready);
		vhs_poll_init(&vq->kick_poll, vq, EPOLLIN);
		vhs_poll_init(&vq->sock_poll, vq,
			      i == VHS_VQ_RX ? EPOLLIN : EPOLLOUT);
		vhs_vq_reset(vq);
	}
	f->private_data = dev;
	return 0;
}

static int vhs_release(struct inode *inode, struct file *f)
{
	struct vhs_dev *dev = f->private_data;

	mutex_lock(&dev->mutex);
	vhs_dev_stop(dev);
	mutex_unlock(&dev->mutex);
	ida_free(&vhs_dev_ids, dev->id);
	kvfree(dev);
	return 0;
}

static long vhs_set_owner(struct vhs_dev *dev)
{
	int err;

	mutex_lock(&dev->mutex);
	if (dev->mm) {
		err = -EBUSY;
		goto out;
	}
	dev->mm = get_task_mm(current);
	if (!dev->mm) {
		err = -EINVAL;
		goto out;
	}
	dev->owner = current;
	dev->owner_tgid = task_tgid_nr(current);
	err = vhs_workers_start(dev);
	dev->owner = NULL;
	if (err) {
		mmput(dev->mm);
		dev->mm = NULL;
		dev->owner_tgid = 0;
	}
out:
	mutex_unlock(&dev->mutex);
	return err;
}

static long vhs_reset_owner(struct vhs_dev *dev)
{
	int err;

	mutex_lock(&dev->mutex);
	err = vhs_check_owner(dev);
	if (!err)
		vhs_dev_stop(dev);
	mutex_unlock(&dev->mutex);
	return err;
}

static bool vhs_dev_running(struct vhs_dev *dev)
{
	return dev->vqs[VHS_VQ_RX].sock || dev->vqs[VHS_VQ_TX].sock;
}

static bool vhs_dev_log_access_ok(struct vhs_dev *dev, const struct vhs_mem *mem)
{
	int i;

	for (i = 0; i < VHS_NVQS; i++)
		if (dev->vqs[i].sock &&
		    !vhs_mem_log_access_ok(mem, dev->vqs[i].log_base))
			return false;
	return true;
}

static long vhs_set_features(struct vhs_dev *dev, u64 features)
{
	size_t hdr_len, vhost_hlen = 0, sock_hlen = 0;
	int i;

	hdr_len = (features & ((1ULL << VIRTIO_NET_F_MRG_RXBUF) |
			       (1ULL << VIRTIO_F_VERSION_1))) ?
		  sizeof(struct virtio_net_hdr_mrg_rxbuf) :
		  sizeof(struct virtio_net_hdr);
	if (features & (1ULL << VHOST_NET_F_VIRTIO_NET_HDR))
		vhost_hlen = hdr_len;
	else
		sock_hlen = hdr_len;

	mutex_lock(&dev->mutex);
	if ((features & (1ULL << VHOST_F_LOG_ALL)) &&
	    !vhs_dev_log_access_ok(dev, dev->mem)) {
		mutex_unlock(&dev->mutex);
		return -EFAULT;
	}
	for (i = 0; i < VHS_NVQS; i++) {
		struct vhs_vq *vq = &dev->vqs[i];

		mutex_lock(&vq->mutex);
		vq->acked_features = features;
		vq->vhost_hlen = vhost_hlen;
		vq->sock_hlen = sock_hlen;
		mutex_unlock(&vq->mutex);
	}
	dev->features = features;
	mutex_unlock(&dev->mutex);
	return 0;
}

static long vhs_set_backend(struct vhs_dev *dev, unsigned int index, int fd)
{
	struct socket *sock, *oldsock = NULL;
	struct ptr_ring *oldring;
	struct vhs_vq *vq;
	int err;

	mutex_lock(&dev->mutex);
	err = vhs_check_owner(dev);
	if (err)
		goto out;
	if (index >= VHS_NVQS) {
		err = -ENOBUFS;
		goto out;
	}
	vq = &dev->vqs[array_index_nospec(index, VHS_NVQS)];
	mutex_lock(&vq->mutex);
	if (!vhs_vq_access_ok(vq)) {
		err = -EFAULT;
		goto out_vq;
	}
	sock = vhs_get_socket(fd);
	if (IS_ERR(sock)) {
		err = PTR_ERR(sock);
		goto out_vq;
	}
	if (sock == vq->sock) {
		/* Same backend again: drop the reference just taken. */
		if (sock)
			sockfd_put(sock);
		goto out_vq;
	}

	vhs_poll_stop(&vq->sock_poll);
	vhs_rxq_unconsume(vq);
	oldsock = vq->sock;
	oldring = vq->rx_ring;
	vq->sock = sock;
	vq->rx_ring = sock && index == VHS_VQ_RX ? vhs_get_tap_ring(sock) : NULL;
	if (sock) {
		err = vhs_vq_init_access(vq);
		if (err)
			goto err_init;
	}
	/* The worker starts socket polling once it has drained the socket. */
	vhs_vq_queue_work(vq);
	mutex_unlock(&vq->mutex);
	if (oldsock)
		sockfd_put(oldsock);
	mutex_unlock(&dev->mutex);
	return 0;

err_init:
	vq->sock = oldsock;
	vq->rx_ring = oldring;
	if (oldsock)
		vhs_vq_queue_work(vq);
	sockfd_put(sock);
out_vq:
	mutex_unlock(&vq->mutex);
out:
	mutex_unlock(&dev->mutex);
	return err;
}

static long vhs_set_mem_table(struct vhs_dev *dev, struct vhost_memory __user *m)
{
	struct vhost_memory_region *regions;
	const struct vhs_mem *old;
	struct vhost_memory hdr;
	struct vhs_mem *mem;
	long err = -EFAULT;
	u32 i;

	if (copy_from_user(&hdr, m, offsetof(struct vhost_memory, regions)))
		return -EFAULT;
	if (hdr.padding)
		return -EOPNOTSUPP;
	if (hdr.nregions > max_mem_regions)
		return -E2BIG;

	regions = kvcalloc(hdr.nregions, sizeof(*regions), GFP_KERNEL_ACCOUNT);
	mem = kvzalloc(struct_size(mem, regions, hdr.nregions), GFP_KERNEL_ACCOUNT);
	if (!regions || !mem) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(regions, m->regions, hdr.nregions * sizeof(*regions)))
		goto out;
	mem->nregions = hdr.nregions;
	for (i = 0; i < hdr.nregions; i++) {
		mem->regions[i].gpa = regions[i].guest_phys_addr;
		mem->regions[i].size = regions[i].memory_size;
		mem->regions[i].uaddr = regions[i].userspace_addr;
	}
	/*
	 * Stock refuses here only guest ranges that wrap (so a zero-sized
	 * region at 0 passes); the rest (vhs_mem_check(), user addresses) is
	 * checked once a backend is attached, before any worker walks it.
	 */
	for (i = 0; i < mem->nregions; i++)
		if (mem->regions[i].gpa + mem->regions[i].size - 1 < mem->regions[i].gpa)
			goto out;
	/* As stock: idle rings are checked when their backend is attached. */
	if (vhs_dev_running(dev) && !vhs_mem_access_ok(mem))
		goto out;
	if ((dev->features & (1ULL << VHOST_F_LOG_ALL)) &&
	    !vhs_dev_log_access_ok(dev, mem))
		goto out;

	old = dev->mem;
	dev->mem = mem;
	for (i = 0; i < VHS_NVQS; i++) {
		mutex_lock(&dev->vqs[i].mutex);
		dev->vqs[i].mem = mem;
		mutex_unlock(&dev->vqs[i].mutex);
	}
	mem = (struct vhs_mem *)old;
	err = 0;
out:
	vhs_mem_free(mem);
	kvfree(regions);
	return err;
}

static long vhs_set_log_base(struct vhs_dev *dev, u64 __user *argp)
{
	void __user *base;
	long err = 0;
	u64 p;
	int i;

	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	if ((u64)(unsigned long)p != p)
		return -EFAULT;
	base = (void __user *)(unsigned long)p;
	for (i = 0; i < VHS_NVQS; i++) {
		struct vhs_vq *vq = &dev->vqs[i];

		mutex_lock(&vq->mutex);
		/* An idle ring is checked when its backend is attached. */
		if (vq->sock && !vhs_vq_log_access_ok(vq, base))
			err = -EFAULT;
		else
			vq->log_base = base;
		mutex_unlock(&vq->mutex);
	}
	dev->log_base = base;
	return err;
}

static long vhs_set_log_fd(struct vhs_dev *dev, int __user *argp)
{
	struct eventfd_ctx *ctx;
	int fd, i;

	if (get_user(fd, argp))
		return -EFAULT;
	ctx = fd == VHOST_FILE_UNBIND ? NULL : eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	swap(ctx, dev->log_ctx);
	for (i = 0; i < VHS_NVQS; i++) {
		mutex_lock(&dev->vqs[i].mutex);
		dev->vqs[i].log_ctx = dev->log_ctx;
		mutex_unlock(&dev->vqs[i].mutex);
	}
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

/* Device-wide ioctls, owner only; -ENOIOCTLCMD for the rest. */
static long vhs_dev_ioctl(struct vhs_dev *dev, unsigned int cmd, void __user *argp)
{
	long err;

	lockdep_assert_held(&dev->mutex);
	err = vhs_check_owner(dev);
	if (err)
		return err;
	switch (cmd) {
	case VHOST_SET_MEM_TABLE:
		return vhs_set_mem_table(dev, argp);
	case VHOST_SET_LOG_BASE:
		return vhs_set_log_base(dev, argp);
	case VHOST_SET_LOG_FD:
		return vhs_set_log_fd(dev, argp);
	default:
		return -ENOIOCTLCMD;
	}
}

static long vhs_vring_set_addr(struct vhs_vq *vq, void __user *argp)
{
	struct vhost_vring_addr a;
	void __user *desc, *avail, *used;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~(1U << VHOST_VRING_F_LOG))
		return -EOPNOTSUPP;
	if ((u64)(unsigned long)a.desc_user_addr != a.desc_user_addr ||
	    (u64)(unsigned long)a.used_user_addr != a.used_user_addr ||
	    (u64)(unsigned long)a.avail_user_addr != a.avail_user_addr)
		return -EFAULT;
	if ((a.avail_user_addr & (VRING_AVAIL_ALIGN_SIZE - 1)) ||
	    (a.used_user_addr & (VRING_USED_ALIGN_SIZE - 1)) ||
	    (a.log_guest_addr & (VRING_USED_ALIGN_SIZE - 1)))
		return -EINVAL;

	desc = (void __user *)(unsigned long)a.desc_user_addr;
	avail = (void __user *)(unsigned long)a.avail_user_addr;
	used = (void __user *)(unsigned long)a.used_user_addr;
	/* A running ring is checked now, an idle one at SET_BACKEND. */
	if (vq->sock) {
		if (!vhs_ring_access_ok(vq, vq->num, desc, avail, used))
			return -EINVAL;
		if ((a.flags & (1U << VHOST_VRING_F_LOG)) &&
		    vhs_has(vq, VHOST_F_LOG_ALL) &&
		    !access_ok((u8 __user *)vq->log_base +
			       a.log_guest_addr / VHS_LOG_PAGE / 8, 1))
			return -EINVAL;
	}
	vq->log_used = !!(a.flags & (1U << VHOST_VRING_F_LOG));
	vq->log_addr = a.log_guest_addr;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	return 0;
}

static long vhs_vring_set_kick(struct vhs_vq *vq, void __user *argp)
{
	struct vhost_vring_file f;
	struct file *file, *old;
	long err = 0;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	file = f.fd == VHOST_FILE_UNBIND ? NULL : eventfd_fget(f.fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file == vq->kick) {
		old = file;
	} else {
		vhs_poll_stop(&vq->kick_poll);
		old = vq->kick;
		vq->kick = file;
		if (file)
			err = vhs_poll_start(&vq->kick_poll, file);
	}
	if (old)
		fput(old);
	return err;
}

static long vhs_vring_set_ctx(struct eventfd_ctx **slot, void __user *argp)
{
	struct vhost_vring_file f;
	struct eventfd_ctx *ctx;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	ctx = f.fd == VHOST_FILE_UNBIND ? NULL : eventfd_ctx_fdget(f.fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	swap(ctx, *slot);
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

static long vhs_vring_ioctl_locked(struct vhs_vq *vq, unsigned int idx,
				   unsigned int cmd, void __user *argp)
{
	struct vhost_vring_state s;

	lockdep_assert_held(&vq->mutex);
	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		/* No resizing under a running backend, as stock. */
		if (vq->sock)
			return -EBUSY;
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		if (!s.num || s.num > 0xffff || (s.num & (s.num - 1)))
			return -EINVAL;
		vq->num = s.num;
		return 0;
	case VHOST_SET_VRING_ADDR:
		return vhs_vring_set_addr(vq, argp);
	case VHOST_SET_VRING_BASE:
		if (vq->sock)
			return -EBUSY;
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		if (s.num > 0xffff)
			return -EINVAL;
		vq->last_avail_idx = s.num;
		vq->avail_idx = s.num;
		return 0;
	case VHOST_GET_VRING_BASE:
		s.index = idx;
		s.num = vq->last_avail_idx;
		return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
	case VHOST_SET_VRING_KICK:
		return vhs_vring_set_kick(vq, argp);
	case VHOST_SET_VRING_CALL:
		return vhs_vring_set_ctx(&vq->call_ctx, argp);
	case VHOST_SET_VRING_ERR:
		return vhs_vring_set_ctx(&vq->err_ctx, argp);
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		vq->busyloop_timeout = s.num;
		return 0;
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		s.index = idx;
		s.num = vq->busyloop_timeout;
		return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
	default:
		return -ENOIOCTLCMD;
	}
}

static long vhs_vring_ioctl(struct vhs_dev *dev, unsigned int cmd, void __user *argp)
{
	struct vhs_vq *vq;
	long err;
	u32 idx;

	/* Every vring argument starts with the ring index. */
	if (get_user(idx, (u32 __user *)argp))
		return -EFAULT;
	if (idx >= VHS_NVQS)
		return -ENOBUFS;
	idx = array_index_nospec(idx, VHS_NVQS);
	vq = &dev->vqs[idx];
	mutex_lock(&vq->mutex);
	err = vhs_vring_ioctl_locked(vq, idx, cmd, argp);
	mutex_unlock(&vq->mutex);
	return err;
}

static long vhs_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct vhs_dev *dev = f->private_data;
	void __user *argp = (void __user *)arg;
	u64 __user *featurep = argp;
	struct vhost_vring_file backend;
	u64 features;
	long err;

	switch (cmd) {
	case VHOST_NET_SET_BACKEND:
		if (copy_from_user(&backend, argp, sizeof(backend)))
			return -EFAULT;
		return vhs_set_backend(dev, backend.index, backend.fd);
	case VHOST_GET_FEATURES:
		features = VHS_FEATURES;
		return copy_to_user(featurep, &features, sizeof(features)) ? -EFAULT : 0;
	case VHOST_SET_FEATURES:
		if (copy_from_user(&features, featurep, sizeof(features)))
			return -EFAULT;
		if (features & ~VHS_FEATURES)
			return -EOPNOTSUPP;
		return vhs_set_features(dev, features);
	case VHOST_GET_BACKEND_FEATURES:
		features = 0;
		return copy_to_user(featurep, &features, sizeof(features)) ? -EFAULT : 0;
	case VHOST_SET_BACKEND_FEATURES:
		if (copy_from_user(&features, featurep, sizeof(features)))
			return -EFAULT;
		return features ? -EOPNOTSUPP : 0;
	case VHOST_RESET_OWNER:
		return vhs_reset_owner(dev);
	case VHOST_SET_OWNER:
		return vhs_set_owner(dev);
	default:
		mutex_lock(&dev->mutex);
		err = vhs_dev_ioctl(dev, cmd, argp);
		if (err == -ENOIOCTLCMD)
			err = vhs_vring_ioctl(dev, cmd, argp);
		mutex_unlock(&dev->mutex);
		return err;
	}
}

static const struct file_operations vhs_fops = {
	.owner		= THIS_MODULE,
	.open		= vhs_open,
	.release	= vhs_release,
	.unlocked_ioctl	= vhs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vhs_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vhost-split",
	.fops	= &vhs_fops,
};

static int __init vhs_init(void)
{
	int err;

	if (alias_vhost_net) {
		vhs_misc.minor = VHOST_NET_MINOR;
		vhs_misc.name = "vhost-net";
	}
	err = misc_register(&vhs_misc);
	if (err == -EBUSY && alias_vhost_net)
		pr_err("misc minor %d (vhost-net) is taken: unload vhost_net before loading with alias_vhost_net=1\n",
		       VHOST_NET_MINOR);
	else if (err)
		pr_err("cannot register /dev/%s: %d\n", vhs_misc.name, err);
	return err;
}

static void __exit vhs_exit(void)
{
	misc_deregister(&vhs_misc);
	ida_destroy(&vhs_dev_ids);
}

module_init(vhs_init);
module_exit(vhs_exit);
MODULE_DESCRIPTION("vhost-net compatible device with separate RX and TX workers");
MODULE_LICENSE("GPL");
