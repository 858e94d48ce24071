// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory of the test driver: 1..VNET_MAX_REGIONS mmap'ed regions,
 * back to back in guest-physical space starting at VNET_GPA_BASE, but each
 * in its own mapping separated by an inaccessible guard page, so a device
 * that assumes a buffer crossing a region boundary is contiguous in the
 * owner's address space faults instead of silently reading the wrong bytes.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "vnet.h"

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

int gmem_init(struct gmem *gm, unsigned int nregions, uint64_t total)
{
	uint64_t rsize, span;
	uint8_t *base;
	unsigned int i;

	if (!nregions || nregions > VNET_MAX_REGIONS)
		return -EINVAL;
	memset(gm, 0, sizeof(*gm));
	rsize = round_up(total / nregions + 1, VNET_PAGE);
	span = nregions * (rsize + VNET_PAGE);
	base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	for (i = 0; i < nregions; i++) {
		uint8_t *p = base + i * (rsize + VNET_PAGE);

		if (mmap(p, rsize, PROT_READ | PROT_WRITE, MAP_PRIVATE |
			 MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			return -errno;
		gm->r[i].hva = p;
		gm->r[i].size = rsize;
		gm->r[i].gpa = VNET_GPA_BASE + i * rsize;
	}
	gm->nregions = nregions;
	gm->end = VNET_GPA_BASE + nregions * rsize;
	gm->brk = VNET_GPA_BASE;
	return 0;
}

void gmem_free(struct gmem *gm)
{
	unsigned int i;

	for (i = 0; i < gm->nregions; i++)
		munmap(gm->r[i].hva, gm->r[i].size);
	gm->nregions = 0;
}

static struct gmem_region *gmem_find(struct gmem *gm, uint64_t gpa);

/*
 * Page-aligned allocations (rings, indirect tables) never straddle a region
 * boundary; byte-aligned ones (buffer pools) may, and are meant to.
 */
uint64_t gmem_alloc(struct gmem *gm, uint64_t size, uint64_t align)
{
	uint64_t gpa = round_up(gm->brk, align);
	struct gmem_region *r = gmem_find(gm, gpa);

	if (align >= VNET_PAGE && r && gpa + size > r->gpa + r->size &&
	    size <= r->size)
		gpa = r->gpa + r->size;

	if (gpa + size > gm->end || gpa + size < gpa)
		return 0;
	gm->brk = gpa + size;
	return gpa;
}

/* Free everything allocated after brk, zeroing it for the next user. */
void gmem_release(struct gmem *gm, uint64_t brk)
{
	unsigned int i;

	for (i = 0; i < gm->nregions; i++) {
		struct gmem_region *r = &gm->r[i];
		uint64_t s = brk > r->gpa ? brk : r->gpa;
		uint64_t e = gm->brk < r->gpa + r->size ? gm->brk :
			     r->gpa + r->size;

		if (s < e)
			memset(r->hva + (s - r->gpa), 0, e - s);
	}
	gm->brk = brk;
}

static struct gmem_region *gmem_find(struct gmem *gm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < gm->nregions; i++)
		if (gpa >= gm->r[i].gpa && gpa - gm->r[i].gpa < gm->r[i].size)
			return &gm->r[i];
	return NULL;
}

/* Host address of [gpa, gpa + len) if it lies inside one region. */
void *gmem_hva(struct gmem *gm, uint64_t gpa, uint64_t len)
{
	struct gmem_region *r = gmem_find(gm, gpa);

	if (!r || len > r->size - (gpa - r->gpa))
		return NULL;
	return r->hva + (gpa - r->gpa);
}

bool gmem_straddles(struct gmem *gm, uint64_t gpa, uint64_t len)
{
	return len && !gmem_hva(gm, gpa, len);
}

static int gmem_copy(struct gmem *gm, uint64_t gpa, void *buf, size_t len,
		     bool to_guest)
{
	uint8_t *b = buf;

	while (len) {
		struct gmem_region *r = gmem_find(gm, gpa);
		uint64_t off, n;

		if (!r)
			return -EFAULT;
		off = gpa - r->gpa;
		n = r->size - off;
		if (n > len)
			n = len;
		if (to_guest)
			memcpy(r->hva + off, b, n);
		else
			memcpy(b, r->hva + off, n);
		b += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int gmem_write(struct gmem *gm, uint64_t gpa, const void *src, size_t len)
{
	return gmem_copy(gm, gpa, (void *)src, len, true);
}

int gmem_read(struct gmem *gm, uint64_t gpa, void *dst, size_t len)
{
	return gmem_copy(gm, gpa, dst, len, false);
}

static uint64_t vq_mem_needed(const struct vnet_opts *o, size_t bufsz)
{
	uint64_t num = o->ring, stride = round_up(bufsz, 64) + 64;

	return 3 * round_up(16 * num + 8, VNET_PAGE) +
	       round_up(num * VNET_MAX_SEGS * 16, VNET_PAGE) +
	       num * stride + 4 * VNET_PAGE;
}

uint64_t vnet_mem_needed(const struct vnet_opts *o, unsigned int ndev)
{
	return ndev * (vq_mem_needed(o, o->rx_bufsz) +
		       vq_mem_needed(o, o->tx_bufsz)) + VNET_PAGE;
}
