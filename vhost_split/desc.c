// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory table checks and the split-ring descriptor-chain walker.
 *
 * All input is hostile: region sizes and addresses, descriptor addresses,
 * lengths, flags and next links, indirect tables. The walker bounds every
 * loop (a chain may not visit more descriptors than the ring or indirect
 * table holds, which also catches loops), checks every guest range against
 * the memory table without wrapping, and keeps each direction's total below
 * 4 GiB. Built into the module and, unchanged, into a userspace fuzz target:
 * keep it free of kernel-only helpers (see desc.h).
 */
#include "desc.h"

static int vhs_chain_fail(struct vhs_chain *c, int err, const char *why)
{
	c->why = why;
	return err;
}

/* A region must be non-empty and wrap neither in guest nor owner space. */
int vhs_mem_check(const struct vhs_mem *mem)
{
	__u32 i;

	for (i = 0; i < mem->nregions; i++) {
		const struct vhs_mem_region *r = &mem->regions[i];

		if (!r->size)
			return -EFAULT;
		if (r->gpa + r->size - 1 < r->gpa)
			return -EFAULT;
		if (r->uaddr + r->size - 1 < r->uaddr)
			return -EFAULT;
	}
	return 0;
}

/* First region holding @gpa (overlapping regions are accepted, as stock). */
const struct vhs_mem_region *vhs_mem_find(const struct vhs_mem *mem, __u64 gpa)
{
	__u32 i;

	for (i = 0; i < mem->nregions; i++) {
		const struct vhs_mem_region *r = &mem->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

/* Translate a guest range to owner-address pieces appended to @seg. */
static int vhs_mem_map(const struct vhs_mem *mem, __u64 gpa, __u64 len,
		       struct vhs_seg *seg, unsigned int max, unsigned int *n)
{
	if (len && gpa + len - 1 < gpa)
		return -EFAULT;

	while (len) {
		const struct vhs_mem_region *r = vhs_mem_find(mem, gpa);
		__u64 off, chunk;

		if (!r)
			return -EFAULT;
		if (*n >= max)
			return -ENOBUFS;
		off = gpa - r->gpa;
		chunk = r->size - off;
		if (chunk > len)
			chunk = len;
		seg[*n].addr = r->uaddr + off;
		seg[*n].len = chunk;
		(*n)++;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

/* Read a guest range that may span several regions. */
int vhs_mem_read(const struct vhs_walk *w, void *dst, __u64 gpa, __u32 len)
{
	unsigned char *p = dst;

	if (len && gpa + len - 1 < gpa)
		return -EFAULT;

	while (len) {
		const struct vhs_mem_region *r = vhs_mem_find(w->mem, gpa);
		__u64 off, chunk;

		if (!r)
			return -EFAULT;
		off = gpa - r->gpa;
		chunk = r->size - off;
		if (chunk > len)
			chunk = len;
		if (w->read(w->ctx, p, r->uaddr + off, (__u32)chunk))
			return -EFAULT;
		p += chunk;
		gpa += chunk;
		len -= (__u32)chunk;
	}
	return 0;
}

static int vhs_chain_add(const struct vhs_walk *w, const struct vhs_desc *d,
			 struct vhs_chain *c)
{
	__u16 flags = le16_to_cpu(d->flags);
	__u64 gpa = le64_to_cpu(d->addr);
	__u32 len = le32_to_cpu(d->len);
	unsigned int n = c->nout + c->nin;
	int err;

	if (flags & VRING_DESC_F_WRITE) {
		c->in_len += len;
		if (c->in_len > VHS_DESC_MAX_LEN)
			return vhs_chain_fail(c, -EINVAL, "writable chain longer than 4 GiB");
		if (c->log && len) {
			if (c->nlog >= c->max_log)
				return vhs_chain_fail(c, -ENOBUFS, "too many writable descriptors");
			c->log[c->nlog].addr = gpa;
			c->log[c->nlog].len = len;
			c->nlog++;
		}
		err = vhs_mem_map(w->mem, gpa, len, c->seg, c->max_seg, &n);
		c->nin = n - c->nout;
	} else {
		if (c->nin)
			return vhs_chain_fail(c, -EINVAL,
					      "readable descriptor after a writable one");
		c->out_len += len;
		if (c->out_len > VHS_DESC_MAX_LEN)
			return vhs_chain_fail(c, -EINVAL, "readable chain longer than 4 GiB");
		err = vhs_mem_map(w->mem, gpa, len, c->seg, c->max_seg, &n);
		c->nout = n;
	}
	if (err == -ENOBUFS)
		return vhs_chain_fail(c, err, "chain has too many pieces");
	if (err)
		return vhs_chain_fail(c, err, "descriptor address outside guest memory");
	return 0;
}

static int vhs_walk_indirect(const struct vhs_walk *w,
			     const struct vhs_desc *ind, struct vhs_chain *c)
{
	__u64 base = le64_to_cpu(ind->addr);
	__u32 len = le32_to_cpu(ind->len);
	__u32 n, i = 0, count = 0;
	struct vhs_desc d;
	int err;

	if (!len || len % sizeof(d))
		return vhs_chain_fail(c, -EINVAL, "indirect table length not a multiple of 16");
	n = len / sizeof(d);
	if (n > VHS_DESC_MAX_INDIRECT)
		return vhs_chain_fail(c, -EINVAL, "indirect table too long");
	if (base + len - 1 < base)
		return vhs_chain_fail(c, -EFAULT, "indirect table wraps");

	for (;;) {
		__u16 flags;

		if (++count > n)
			return vhs_chain_fail(c, -ELOOP, "indirect chain loops");
		if (vhs_mem_read(w, &d, base + (__u64)i * sizeof(d), sizeof(d)))
			return vhs_chain_fail(c, -EFAULT, "indirect table outside guest memory");
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT)
			return vhs_chain_fail(c, -EINVAL, "nested indirect descriptor");
		err = vhs_chain_add(w, &d, c);
		if (err)
			return err;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16_to_cpu(d.next);
		if (i >= n)
			return vhs_chain_fail(c, -EINVAL, "indirect next index out of range");
	}
}

/*
 * Walk the chain starting at @head. Returns 0 with @c filled, or a negative
 * errno with c->why set; on failure the ring is to be treated as broken.
 */
int vhs_desc_walk(const struct vhs_walk *w, __u32 head, struct vhs_chain *c)
{
	__u32 i = head, count = 0;
	struct vhs_desc d;
	int err;

	c->nout = 0;
	c->nin = 0;
	c->nlog = 0;
	c->out_len = 0;
	c->in_len = 0;
	c->why = (const char *)0;

	if (head >= w->num)
		return vhs_chain_fail(c, -EINVAL, "head index out of range");

	for (;;) {
		__u16 flags;

		if (++count > w->num)
			return vhs_chain_fail(c, -ELOOP, "chain longer than the ring (loop)");
		if (w->read(w->ctx, &d, w->desc_uaddr + (__u64)i * sizeof(d), sizeof(d)))
			return vhs_chain_fail(c, -EFAULT, "descriptor table unreadable");
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			if (!w->indirect_ok)
				return vhs_chain_fail(c, -EINVAL,
						      "indirect descriptor not negotiated");
			if (flags & VRING_DESC_F_NEXT)
				return vhs_chain_fail(c, -EINVAL, "indirect descriptor with NEXT");
			return vhs_walk_indirect(w, &d, c);
		}
		err = vhs_chain_add(w, &d, c);
		if (err)
			return err;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16_to_cpu(d.next);
		if (i >= w->num)
			return vhs_chain_fail(c, -EINVAL, "next index out of range");
	}
}
