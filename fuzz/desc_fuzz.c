// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for vhost_split's guest-facing descriptor-chain walker
 * (vhost_split/desc.c, compiled unchanged into this program).
 *
 * The input describes a hostile guest: a ring size, up to four memory
 * regions (guest physical address, size, where they sit in the "owner's"
 * address space), the bytes of the owner's memory (holding the descriptor
 * table and any indirect tables) and a head index. The owner's address
 * space is a 64 KiB buffer placed at a fixed fake address; reads outside it
 * fail with -EFAULT as copy_from_user would.
 *
 * Invariants asserted (abort = finding):
 *  - every read the walker makes lies inside the descriptor table or
 *    inside one memory region's owner range;
 *  - every segment it returns lies inside one memory region's owner range
 *    and the segment lengths add up to out_len/in_len;
 *  - out_len and in_len never exceed 4 GiB each;
 *  - the number of reads is bounded by the ring size plus the indirect
 *    table bound times the worst-case pieces per descriptor read;
 *  - segment and log counts never exceed the arrays given.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "desc.h"

#define OWNER_BASE	0x7f0000000000ULL
#define OWNER_SIZE	(64 * 1024)
#define MAX_SEG		64
#define MAX_LOG		64

struct fuzz_ctx {
	unsigned char mem[OWNER_SIZE];
	unsigned long reads;
	const struct vhs_walk *walk;
};

static int inside(__u64 a, __u64 len, __u64 base, __u64 size)
{
	return a >= base && a - base <= size && len <= size - (a - base);
}

/*
 * The walker may read only the descriptor table or guest memory through
 * the memory table: anything else is an out-of-table access.
 */
static void check_read(const struct vhs_walk *w, __u64 uaddr, __u32 len)
{
	__u32 r;

	if (inside(uaddr, len, w->desc_uaddr, (__u64)w->num * 16))
		return;
	for (r = 0; r < w->mem->nregions; r++)
		if (inside(uaddr, len, w->mem->regions[r].uaddr,
			   w->mem->regions[r].size))
			return;
	assert(!"read outside the descriptor table and the memory table");
}

static int fuzz_read(void *opaque, void *dst, __u64 uaddr, __u32 len)
{
	struct fuzz_ctx *fc = opaque;

	fc->reads++;
	check_read(fc->walk, uaddr, len);
	if (uaddr < OWNER_BASE || uaddr - OWNER_BASE > OWNER_SIZE ||
	    len > OWNER_SIZE - (uaddr - OWNER_BASE))
		return -EFAULT;
	memcpy(dst, fc->mem + (uaddr - OWNER_BASE), len);
	return 0;
}

static __u64 take(const uint8_t **p, size_t *left, unsigned int bytes)
{
	__u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes && *left; i++, (*p)++, (*left)--)
		v |= (__u64)**p << (8 * i);
	return v;
}

static void check_segs(const struct vhs_mem *mem, const struct vhs_seg *seg,
		       unsigned int n, __u64 total)
{
	__u64 sum = 0;
	unsigned int i, r;

	for (i = 0; i < n; i++) {
		int ok = 0;

		for (r = 0; r < mem->nregions; r++)
			if (inside(seg[i].addr, seg[i].len, mem->regions[r].uaddr,
				   mem->regions[r].size))
				ok = 1;
		assert(ok);
		assert(seg[i].len);
		sum += seg[i].len;
	}
	assert(sum == total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_ctx fc;
	static struct vhs_mem *mem;
	struct vhs_seg seg[MAX_SEG], log[MAX_LOG];
	struct vhs_chain c = {
		.seg = seg, .max_seg = MAX_SEG, .log = log, .max_log = MAX_LOG,
	};
	struct vhs_walk w;
	unsigned int i, hdr;
	__u32 head;
	int err;

	if (!mem) {
		mem = malloc(sizeof(*mem) + 4 * sizeof(mem->regions[0]));
		assert(mem);
	}
	hdr = (unsigned int)take(&data, &size, 1);
	mem->nregions = 1 + ((hdr >> 4) & 3);
	w.num = 1U << (hdr & 0x7);		/* 1 .. 128 descriptors */
	w.indirect_ok = !!(hdr & 0x8);
	w.mem = mem;
	w.read = fuzz_read;
	w.ctx = &fc;
	fc.walk = &w;
	w.desc_uaddr = OWNER_BASE + (take(&data, &size, 2) % OWNER_SIZE);
	head = (__u32)take(&data, &size, 2);

	for (i = 0; i < mem->nregions; i++) {
		mem->regions[i].gpa = take(&data, &size, 8);
		mem->regions[i].size = take(&data, &size, 3);
		/* Mostly inside the owner buffer, sometimes anywhere. */
		mem->regions[i].uaddr = take(&data, &size, 1) & 0x80 ?
			take(&data, &size, 8) :
			OWNER_BASE + take(&data, &size, 2);
	}
	if (vhs_mem_check(mem))
		return 0;

	memset(fc.mem, 0, sizeof(fc.mem));
	memcpy(fc.mem, data, size < OWNER_SIZE ? size : OWNER_SIZE);
	fc.reads = 0;

	err = vhs_desc_walk(&w, head, &c);
	assert(fc.reads <= w.num + 16UL * VHS_DESC_MAX_INDIRECT);
	if (err) {
		assert(err < 0 && c.why);
		return 0;
	}
	assert(c.nout + c.nin <= MAX_SEG);
	assert(c.nlog <= MAX_LOG);
	assert(c.out_len <= VHS_DESC_MAX_LEN && c.in_len <= VHS_DESC_MAX_LEN);
	check_segs(mem, seg, c.nout, c.out_len);
	check_segs(mem, seg + c.nout, c.nin, c.in_len);
	return 0;
}
