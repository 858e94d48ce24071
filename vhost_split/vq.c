// SPDX-License-Identifier: GPL-2.0
/*
 * Split-ring access for vhost_split: avail/used rings, notification
 * suppression both ways (flags or EVENT_IDX), batched used updates, dirty
 * logging, and the poll glue that wakes a worker.
 *
 * Every function touching a ring is called with vq->mutex held, either by
 * the worker (running in the owner's mm via kthread_use_mm) or by an ioctl
 * of the owner (whose mm it is). Ring memory is the owner's user memory and
 * may be changed, unmapped or made read-only at any time: every access is a
 * checked user access and a failure breaks the virtqueue (vhs_vq_fail).
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/virtio_byteorder.h>

#include "vhs.h"

static u16 vhs16(__virtio16 v)
{
	return __virtio16_to_cpu(true, v);
}

static __virtio16 cpu_to_vhs16(u16 v)
{
	return __cpu_to_virtio16(true, v);
}

/* Stop the ring after a guest or owner error; the owner hears of it. */
int vhs_vq_fail(struct vhs_vq *vq, int err, const char *why)
{
	lockdep_assert_held(&vq->mutex);
	if (!vq->broken)
		pr_err_ratelimited("dev %u %s vq: %s (%d), ring stopped\n",
				   vq->dev->id, vq->index == VHS_VQ_RX ? "rx" : "tx",
				   why, err);
	vq->broken = true;
	if (vq->err_ctx)
		eventfd_signal(vq->err_ctx);
	return err;
}

static int vhs_read_user(void *ctx, void *dst, u64 uaddr, u32 len)
{
	if ((u64)(unsigned long)uaddr != uaddr)
		return -EFAULT;
	if (copy_from_user(dst, (void __user *)(unsigned long)uaddr, len))
		return -EFAULT;
	return 0;
}

static int vhs_read_avail_idx(struct vhs_vq *vq, u16 *idx)
{
	__virtio16 v;

	if (get_user(v, &vq->avail->idx))
		return -EFAULT;
	*idx = vhs16(v);
	return 0;
}

/* Refresh the cached avail index; -errno when the ring is bad. */
static int vhs_refresh_avail(struct vhs_vq *vq)
{
	u16 idx;

	if (vhs_read_avail_idx(vq, &idx))
		return vhs_vq_fail(vq, -EFAULT, "avail index unreadable");
	if ((u16)(idx - vq->last_avail_idx) > vq->num)
		return vhs_vq_fail(vq, -EINVAL, "avail index moved by more than the ring size");
	vq->avail_idx = idx;
	return 0;
}

/*
 * Take the next available chain into @c. Returns its head, vq->num when the
 * ring is empty, or a negative errno after breaking the ring.
 */
int vhs_get_desc(struct vhs_vq *vq, struct vhs_chain *c)
{
	struct vhs_walk w;
	__virtio16 h;
	u16 head;
	int err;

	lockdep_assert_held(&vq->mutex);
	if (vq->broken)
		return -EIO;
	if (vq->avail_idx == vq->last_avail_idx) {
		err = vhs_refresh_avail(vq);
		if (err)
			return err;
		if (vq->avail_idx == vq->last_avail_idx)
			return vq->num;
		/* Read the entries only after seeing the index move. */
		smp_rmb();
	}
	if (get_user(h, &vq->avail->ring[vq->last_avail_idx & (vq->num - 1)]))
		return vhs_vq_fail(vq, -EFAULT, "avail ring unreadable");
	head = vhs16(h);

	w.mem = vq->mem;
	w.desc_uaddr = (unsigned long)vq->desc;
	w.num = vq->num;
	w.indirect_ok = vhs_has(vq, VIRTIO_RING_F_INDIRECT_DESC);
	w.read = vhs_read_user;
	w.ctx = NULL;
	err = vhs_desc_walk(&w, head, c);
	if (err)
		return vhs_vq_fail(vq, err, c->why);
	vq->last_avail_idx++;
	return head;
}

bool vhs_avail_empty(struct vhs_vq *vq)
{
	u16 idx;

	if (vq->avail_idx != vq->last_avail_idx)
		return false;
	if (vhs_read_avail_idx(vq, &idx))
		return false;	/* let the next vhs_get_desc() report it */
	return idx == vq->avail_idx;
}

static int vhs_log_used(struct vhs_vq *vq, u64 offset, u64 len)
{
	if (!vq->log_used || !vhs_has(vq, VHOST_F_LOG_ALL) || !vq->log_base)
		return 0;
	return vhs_log_write(vq, vq->log_addr + offset, len);
}

static int vhs_write_used_flags(struct vhs_vq *vq)
{
	if (put_user(cpu_to_vhs16(vq->used_flags), &vq->used->flags))
		return vhs_vq_fail(vq, -EFAULT, "used ring not writable");
	return vhs_log_used(vq, offsetof(struct vring_used, flags), sizeof(u16));
}

static int vhs_write_avail_event(struct vhs_vq *vq)
{
	__virtio16 __user *ev = (__virtio16 __user *)&vq->used->ring[vq->num];

	if (put_user(cpu_to_vhs16(vq->avail_idx), ev))
		return vhs_vq_fail(vq, -EFAULT, "used ring not writable");
	return vhs_log_used(vq, offsetof(struct vring_used, ring[vq->num]), sizeof(u16));
}

/* Ask the guest not to kick: we are going to look at the ring anyway. */
void vhs_disable_notify(struct vhs_vq *vq)
{
	lockdep_assert_held(&vq->mutex);
	if (vq->broken || vhs_has(vq, VIRTIO_RING_F_EVENT_IDX) ||
	    (vq->used_flags & VRING_USED_F_NO_NOTIFY))
		return;
	vq->used_flags |= VRING_USED_F_NO_NOTIFY;
	vhs_write_used_flags(vq);
}

/* Ask for kicks again. True if buffers arrived meanwhile: go on polling. */
bool vhs_enable_notify(struct vhs_vq *vq)
{
	u16 idx;

	lockdep_assert_held(&vq->mutex);
	if (vq->broken)
		return false;
	if (vhs_has(vq, VIRTIO_RING_F_EVENT_IDX)) {
		if (vhs_write_avail_event(vq))
			return false;
	} else if (vq->used_flags & VRING_USED_F_NO_NOTIFY) {
		vq->used_flags &= ~VRING_USED_F_NO_NOTIFY;
		if (vhs_write_used_flags(vq))
			return false;
	}
	/* Publish the flag/event before re-reading the index. */
	smp_mb();
	if (vhs_read_avail_idx(vq, &idx)) {
		vhs_vq_fail(vq, -EFAULT, "avail index unreadable");
		return false;
	}
	return idx != vq->avail_idx;
}

void vhs_add_used(struct vhs_vq *vq, u32 head, u32 len)
{
	struct vring_used_elem *e = &vq->heads[vq->nheads++];

	e->id = __cpu_to_virtio32(true, head);
	e->len = __cpu_to_virtio32(true, len);
}

/* Publish the batched used entries (wrapping as often as needed). */
int vhs_flush_used(struct vhs_vq *vq)
{
	u16 old = vq->last_used_idx, new = old + vq->nheads;
	unsigned int done = 0;

	lockdep_assert_held(&vq->mutex);
	if (!vq->nheads || vq->broken) {
		vq->nheads = 0;
		return vq->broken ? -EIO : 0;
	}
	while (done < vq->nheads) {
		unsigned int slot = (u16)(old + done) & (vq->num - 1);
		unsigned int n = min(vq->nheads - done, vq->num - slot);

		if (copy_to_user(&vq->used->ring[slot], &vq->heads[done],
				 n * sizeof(vq->heads[0]))) {
			vq->nheads = 0;
			return vhs_vq_fail(vq, -EFAULT, "used ring not writable");
		}
		vhs_log_used(vq, offsetof(struct vring_used, ring[slot]),
			     n * sizeof(vq->heads[0]));
		done += n;
	}
	vq->nheads = 0;
	/* Entries before the index that exposes them. */
	smp_wmb();
	if (put_user(cpu_to_vhs16(new), &vq->used->idx))
		return vhs_vq_fail(vq, -EFAULT, "used ring not writable");
	vhs_log_used(vq, offsetof(struct vring_used, idx), sizeof(u16));
	vq->last_used_idx = new;
	/* The guest has not looked for a whole wrap: forget the event base. */
	if (unlikely((u16)(new - vq->signalled_used) < (u16)(new - old)))
		vq->signalled_used_valid = false;
	return 0;
}

static bool vhs_need_notify(struct vhs_vq *vq)
{
	__virtio16 v;
	u16 old, new;
	bool valid;

	/* Flush the used index before reading the guest's wishes. */
	smp_mb();
	if (vhs_has(vq, VIRTIO_F_NOTIFY_ON_EMPTY) && vhs_avail_empty(vq))
		return true;
	if (!vhs_has(vq, VIRTIO_RING_F_EVENT_IDX)) {
		if (get_user(v, &vq->avail->flags))
			return true;
		return !(vhs16(v) & VRING_AVAIL_F_NO_INTERRUPT);
	}
	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new = vq->last_used_idx;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (unlikely(!valid))
		return true;
	if (get_user(v, &vq->avail->ring[vq->num]))
		return true;
	return vring_need_event(vhs16(v), new, old);
}

/* End of a batch: publish used entries and call the guest if it wants. */
void vhs_flush_and_signal(struct vhs_vq *vq)
{
	u16 before = vq->last_used_idx;

	lockdep_assert_held(&vq->mutex);
	vhs_flush_used(vq);
	if (vq->broken || before == vq->last_used_idx)
		return;
	if (vq->call_ctx && vhs_need_notify(vq))
		eventfd_signal(vq->call_ctx);
}

/* ------------------------------------------------------------ dirty log */

static int vhs_log_page(void __user *log_base, u64 page)
{
	unsigned long uaddr = (unsigned long)log_base + page / 8;
	unsigned int bit = (uaddr & ~PAGE_MASK) * 8 + page % 8;
	struct page *pg;
	void *kaddr;

	if (pin_user_pages_fast(uaddr, 1, FOLL_WRITE, &pg) != 1)
		return -EFAULT;
	kaddr = kmap_local_page(pg);
	/* Atomic: the owner clears bits concurrently while migrating. */
	set_bit(bit, kaddr);
	kunmap_local(kaddr);
	unpin_user_pages_dirty_lock(&pg, 1, true);
	return 0;
}

/* Mark the guest pages of [gpa, gpa + len) dirty in the owner's bitmap. */
int vhs_log_write(struct vhs_vq *vq, u64 gpa, u64 len)
{
	u64 page, last;

	if (!len)
		return 0;
	if (gpa + len - 1 < gpa)
		return vhs_vq_fail(vq, -EFAULT, "dirty log range wraps");
	last = (gpa + len - 1) / VHS_LOG_PAGE;
	for (page = gpa / VHS_LOG_PAGE; page <= last; page++)
		if (vhs_log_page(vq->log_base, page))
			return vhs_vq_fail(vq, -EFAULT, "dirty log not writable");
	if (vq->log_ctx)
		eventfd_signal(vq->log_ctx);
	return 0;
}

/* ------------------------------------------------------ access checks */

static size_t vhs_avail_size(struct vhs_vq *vq, u32 num)
{
	return struct_size(vq->avail, ring, num) +
	       (vhs_has(vq, VIRTIO_RING_F_EVENT_IDX) ? sizeof(u16) : 0);
}

static size_t vhs_used_size(struct vhs_vq *vq, u32 num)
{
	return struct_size(vq->used, ring, num) +
	       (vhs_has(vq, VIRTIO_RING_F_EVENT_IDX) ? sizeof(u16) : 0);
}

bool vhs_mem_log_access_ok(const struct vhs_mem *mem, void __user *log_base)
{
	u32 i;

	if (!mem)
		return true;
	for (i = 0; i < mem->nregions; i++) {
		const struct vhs_mem_region *r = &mem->regions[i];
		u64 first = r->gpa / VHS_LOG_PAGE / 8;
		u64 last = (r->gpa + r->size - 1) / VHS_LOG_PAGE / 8;

		if (!access_ok((u8 __user *)log_base + first, last - first + 1))
			return false;
	}
	return true;
}

bool vhs_vq_log_access_ok(struct vhs_vq *vq, void __user *log_base)
{
	u64 len = vhs_used_size(vq, vq->num);

	if (!vhs_has(vq, VHOST_F_LOG_ALL))
		return true;
	if (!vhs_mem_log_access_ok(vq->mem, log_base))
		return false;
	if (!vq->log_used)
		return true;
	return access_ok((u8 __user *)log_base + vq->log_addr / VHS_LOG_PAGE / 8,
			 (len + VHS_LOG_PAGE * 8 - 1) / VHS_LOG_PAGE / 8 + 1);
}

/* Rings readable/writable where the owner says they are (as stock). */
bool vhs_ring_access_ok(struct vhs_vq *vq, u32 num, void __user *desc,
			void __user *avail, void __user *used)
{
	return access_ok(desc, (size_t)num * sizeof(struct vring_desc)) &&
	       access_ok(avail, vhs_avail_size(vq, num)) &&
	       access_ok(used, vhs_used_size(vq, num));
}

/*
 * The table is sound (desc.c's precondition) and every region lies in user
 * space. Required before a worker may walk the table: checked when a
 * backend is attached and when a table replaces one in use.
 */
bool vhs_mem_access_ok(const struct vhs_mem *mem)
{
	u32 i;

	if (vhs_mem_check(mem))
		return false;
	for (i = 0; i < mem->nregions; i++) {
		u64 uaddr = mem->regions[i].uaddr;

		if ((u64)(unsigned long)uaddr != uaddr ||
		    !access_ok((void __user *)(unsigned long)uaddr,
			       mem->regions[i].size))
			return false;
	}
	return true;
}

bool vhs_vq_access_ok(struct vhs_vq *vq)
{
	return vhs_ring_access_ok(vq, vq->num, vq->desc, vq->avail, vq->used) &&
	       vhs_mem_access_ok(vq->mem) &&
	       vhs_vq_log_access_ok(vq, vq->log_base);
}

/* A backend is being attached: sync with the ring as the guest left it. */
int vhs_vq_init_access(struct vhs_vq *vq)
{
	__virtio16 idx;

	lockdep_assert_held(&vq->mutex);
	vq->broken = false;
	vq->signalled_used_valid = false;
	vq->nheads = 0;
	if (put_user(cpu_to_vhs16(vq->used_flags), &vq->used->flags))
		return -EFAULT;
	if (get_user(idx, &vq->used->idx))
		return -EFAULT;
	vq->last_used_idx = vhs16(idx);
	return 0;
}

/* ----------------------------------------------------------------- poll */

void vhs_vq_queue_work(struct vhs_vq *vq)
{
	if (!test_and_set_bit(VHS_WORK_QUEUED, &vq->work) && vq->worker)
		wake_up_process(vq->worker);
}

static int vhs_poll_wake(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct vhs_poll *p = container_of(wait, struct vhs_poll, wait);

	if (!(key_to_poll(key) & p->mask))
		return 0;
	vhs_vq_queue_work(p->vq);
	return 0;
}

static void vhs_poll_queue_proc(struct file *file, wait_queue_head_t *wqh,
				poll_table *pt)
{
	struct vhs_poll *p = container_of(pt, struct vhs_poll, table);

	p->wqh = wqh;
	add_wait_queue(wqh, &p->wait);
}

void vhs_poll_init(struct vhs_poll *p, struct vhs_vq *vq, __poll_t mask)
{
	init_waitqueue_func_entry(&p->wait, vhs_poll_wake);
	init_poll_funcptr(&p->table, vhs_poll_queue_proc);
	p->mask = mask;
	p->vq = vq;
	p->wqh = NULL;
}

int vhs_poll_start(struct vhs_poll *p, struct file *file)
{
	__poll_t mask;

	if (p->wqh)
		return 0;
	mask = vfs_poll(file, &p->table);
	if (mask & p->mask)
		vhs_vq_queue_work(p->vq);
	if (mask & EPOLLERR) {
		vhs_poll_stop(p);
		return -EINVAL;
	}
	return 0;
}

void vhs_poll_stop(struct vhs_poll *p)
{
	if (p->wqh) {
		remove_wait_queue(p->wqh, &p->wait);
		p->wqh = NULL;
	}
}
