// SPDX-License-Identifier: GPL-2.0
/*
 * Driver side of a split virtqueue (virtio 1.x section 2.7), little endian
 * (x86: legacy native endian == little endian). Descriptor table, avail ring
 * and used ring each start on their own page of guest memory so a test can
 * mprotect() one of them. Buffer i of a queue always lives at
 * pool_gpa + i * stride; with several regions some buffers straddle a
 * region boundary (counted in vq->straddling).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vnet.h"

#define mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)

static inline uint16_t rd16(const volatile uint16_t *p)
{
	return *p;
}

static uint64_t pages(uint64_t v)
{
	return (v + VNET_PAGE - 1) / VNET_PAGE * VNET_PAGE;
}

int vq_setup(struct vq *vq, struct gmem *gm, unsigned int idx,
	     const struct vnet_opts *o)
{
	unsigned int num = o->ring, i;

	memset(vq, 0, sizeof(*vq));
	vq->idx = idx;
	vq->num = num;
	vq->segs = o->segs ? o->segs : 1;
	if (vq->segs > VNET_MAX_SEGS)
		vq->segs = VNET_MAX_SEGS;
	vq->event_idx = o->event_idx;
	vq->indirect = o->indirect;
	vq->bufsz = idx == VNET_RX ? o->rx_bufsz : o->tx_bufsz;
	vq->stride = (vq->bufsz + 63) / 64 * 64 + 64;
	vq->desc_gpa = gmem_alloc(gm, pages(16ULL * num), VNET_PAGE);
	vq->avail_gpa = gmem_alloc(gm, pages(6 + 2ULL * num), VNET_PAGE);
	vq->used_gpa = gmem_alloc(gm, pages(6 + 8ULL * num), VNET_PAGE);
	vq->ind_gpa = gmem_alloc(gm, 16ULL * VNET_MAX_SEGS * num, VNET_PAGE);
	vq->pool_gpa = gmem_alloc(gm, (uint64_t)vq->stride * num, 64);
	if (!vq->desc_gpa || !vq->avail_gpa || !vq->used_gpa || !vq->ind_gpa ||
	    !vq->pool_gpa)
		return -ENOMEM;
	vq->desc = gmem_hva(gm, vq->desc_gpa, 16ULL * num);
	vq->avail = gmem_hva(gm, vq->avail_gpa, 6 + 2ULL * num);
	vq->used = gmem_hva(gm, vq->used_gpa, 6 + 8ULL * num);
	if (!vq->desc || !vq->avail || !vq->used)
		return -ENOMEM;	/* a ring straddles a region: grow regions */
	vq->heads = calloc(num, sizeof(*vq->heads));
	if (!vq->heads)
		return -ENOMEM;
	for (i = 0; i < num; i++) {
		vq->desc[i].next = (i + 1) % num;
		if (gmem_straddles(gm, vq_buf_gpa(vq, i), vq->bufsz))
			vq->straddling++;
	}
	vq->num_free = num;
	vq->free_head = 0;
	vq->kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vq->call = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vq->err = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vq->kick < 0 || vq->call < 0 || vq->err < 0)
		return -errno;
	return 0;
}

uint64_t vq_buf_gpa(const struct vq *vq, uint32_t buf)
{
	return vq->pool_gpa + (uint64_t)buf * vq->stride;
}

static void vq_fill_desc(struct vring_desc *d, uint64_t addr, uint32_t len,
			 uint16_t flags)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
}

/* Post buffer 'buf' (first len bytes) as one chain; returns the head. */
int vq_add(struct vq *vq, struct gmem *gm, uint32_t buf, uint32_t len,
	   bool write)
{
	unsigned int nseg = vq->segs, i, need;
	uint64_t gpa = vq_buf_gpa(vq, buf);
	uint16_t wflag = write ? VRING_DESC_F_WRITE : 0;
	uint32_t seglen, off = 0;
	uint16_t head, cur;

	if (len < nseg * 2)
		nseg = 1;
	need = (vq->indirect && nseg > 1) ? 1 : nseg;
	if (vq->num_free < need)
		return -ENOSPC;
	seglen = len / nseg;
	head = vq->free_head;
	if (need == 1 && nseg > 1) {
		uint64_t tgpa = vq->ind_gpa + 16ULL * VNET_MAX_SEGS * head;
		struct vring_desc *t = gmem_hva(gm, tgpa, 16ULL * nseg);

		if (!t)
			return -EFAULT;
		for (i = 0; i < nseg; i++) {
			uint32_t l = i == nseg - 1 ? len - off : seglen;

			vq_fill_desc(&t[i], gpa + off, l, wflag |
				     (i < nseg - 1 ? VRING_DESC_F_NEXT : 0));
			t[i].next = i + 1;
			off += l;
		}
		vq_fill_desc(&vq->desc[head], tgpa, 16 * nseg,
			     VRING_DESC_F_INDIRECT);
		cur = head;
	} else {
		cur = head;
		for (i = 0; i < nseg; i++) {
			uint32_t l = i == nseg - 1 ? len - off : seglen;

			vq_fill_desc(&vq->desc[cur], gpa + off, l, wflag |
				     (i < nseg - 1 ? VRING_DESC_F_NEXT : 0));
			off += l;
			if (i < nseg - 1)
				cur = vq->desc[cur].next;
		}
	}
	vq->free_head = vq->desc[cur].next;
	vq->num_free -= need;
	vq->heads[head].buf = buf;
	vq->heads[head].ndesc = need;
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	vq->avail_idx++;
	return head;
}

void vq_publish(struct vq *vq)
{
	wmb();
	*(volatile uint16_t *)&vq->avail->idx = vq->avail_idx;
}

bool vq_kick_needed(struct vq *vq)
{
	uint16_t old = vq->kicked_idx, new = vq->avail_idx;
	bool need;

	mb();
	if (vq->event_idx)
		need = vring_need_event(rd16((uint16_t *)&vq->used->ring[vq->num]),
					new, old);
	else
		need = !(rd16(&vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	vq->kicked_idx = new;
	return need;
}

int vq_kick(struct vq *vq)
{
	uint64_t one = 1;

	vq->kicks++;
	return write(vq->kick, &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
}

bool vq_has_used(struct vq *vq)
{
	uint16_t idx = rd16(&vq->used->idx);

	rmb();
	return idx != vq->last_used;
}

/* Returns the buffer index of the next used element, -EAGAIN if none. */
int vq_get_used(struct vq *vq, uint32_t *len)
{
	struct vring_used_elem e;
	uint16_t i, cur, n;

	if (!vq_has_used(vq))
		return -EAGAIN;
	e = vq->used->ring[vq->last_used % vq->num];
	vq->last_used++;
	if (e.id >= vq->num || !vq->heads[e.id].ndesc)
		return -EIO;	/* device returned a head we do not own */
	n = vq->heads[e.id].ndesc;
	cur = e.id;
	for (i = 1; i < n; i++)
		cur = vq->desc[cur].next;
	vq->desc[cur].next = vq->free_head;
	vq->free_head = e.id;
	vq->num_free += n;
	vq->heads[e.id].ndesc = 0;
	*len = e.len;
	return vq->heads[e.id].buf;
}

/* Ask for a call when the next used element is published. */
void vq_want_call(struct vq *vq)
{
	if (vq->event_idx)
		*(volatile uint16_t *)&vq->avail->ring[vq->num] = vq->last_used;
	else
		*(volatile uint16_t *)&vq->avail->flags = 0;
	mb();
}

int efd_wait(int fd, unsigned int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;
	int r = poll(&p, 1, ms);

	if (r <= 0)
		return r;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return 1;
}

/*
 * Wait for used elements: 1 = there are some, 0 = timeout, -ETIME = used
 * elements appeared but the call eventfd never fired (a lost notification).
 */
int vq_wait(struct vq *vq, unsigned int ms)
{
	vq_want_call(vq);
	if (vq_has_used(vq)) {
		efd_wait(vq->call, 0);
		return 1;
	}
	if (efd_wait(vq->call, ms) > 0) {
		vq->calls++;
		return 1;
	}
	if (!vq_has_used(vq))
		return 0;
	if (efd_wait(vq->call, 2000) > 0) {
		vq->calls++;
		return 1;
	}
	return -ETIME;
}
