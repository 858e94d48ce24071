/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory table and descriptor-chain walker of vhost_split.
 *
 * Everything here is guest controlled input: the memory table comes from the
 * owner (VHOST_SET_MEM_TABLE), the descriptor table and indirect tables from
 * the guest. This file and desc.c use nothing but fixed-size types, errno
 * values and the split-ring constants of <linux/virtio_ring.h>, and read
 * guest memory only through the vhs_walk.read callback, so the very same
 * sources build as a userspace fuzz target (a shim provides le16_to_cpu(),
 * le32_to_cpu() and le64_to_cpu() when __KERNEL__ is not defined).
 */
#ifndef _VHS_DESC_H
#define _VHS_DESC_H

#include <linux/errno.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>
#ifdef __KERNEL__
#include <asm/byteorder.h>
#endif

/* Longest chain (direct plus indirect descriptors) the walker follows. */
#define VHS_DESC_MAX_CHAIN	1024U
/* Largest indirect table, in descriptors (same bound as the ring size). */
#define VHS_DESC_MAX_INDIRECT	32768U
/* A chain carries at most this many bytes in each direction (virtio spec). */
#define VHS_DESC_MAX_LEN	0xffffffffULL

/* One guest memory region: guest physical range -> owner's virtual address. */
struct vhs_mem_region {
	__u64 gpa;
	__u64 size;
	__u64 uaddr;
};

struct vhs_mem {
	__u32 nregions;
	struct vhs_mem_region regions[];
};

/* One contiguous piece of a buffer: a host user address or a guest address. */
struct vhs_seg {
	__u64 addr;
	__u64 len;
};

/* Descriptor as laid out in guest memory (split ring, little endian). */
struct vhs_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

/* How to reach the ring being walked. */
struct vhs_walk {
	const struct vhs_mem *mem;
	__u64 desc_uaddr;	/* descriptor table, owner's virtual address */
	__u32 num;		/* ring size, a power of two <= 32768 */
	int indirect_ok;	/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	/* Copy @len bytes at owner address @uaddr to @dst; 0 or -EFAULT. */
	int (*read)(void *ctx, void *dst, __u64 uaddr, __u32 len);
	void *ctx;
};

/*
 * Result of a walk. The caller provides the arrays. seg[0..nout) are the
 * device-readable pieces (owner addresses), seg[nout..nout+nin) the
 * device-writable ones; log[0..nlog) are the guest physical ranges of the
 * writable descriptors (for dirty logging), filled only when log != NULL.
 */
struct vhs_chain {
	struct vhs_seg *seg;
	unsigned int max_seg;
	struct vhs_seg *log;
	unsigned int max_log;

	unsigned int nout;
	unsigned int nin;
	unsigned int nlog;
	__u64 out_len;
	__u64 in_len;
	const char *why;	/* reason of the last failure, for the log */
};

int vhs_mem_check(const struct vhs_mem *mem);
const struct vhs_mem_region *vhs_mem_find(const struct vhs_mem *mem, __u64 gpa);
int vhs_mem_read(const struct vhs_walk *w, void *dst, __u64 gpa, __u32 len);
int vhs_desc_walk(const struct vhs_walk *w, __u32 head, struct vhs_chain *c);

#endif /* _VHS_DESC_H */
