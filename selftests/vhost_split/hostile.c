// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile guest and ioctl misuse.
 *
 * hostile: one victim device per case, with its own guest memory, whose TX
 * (or RX) ring is filled with one kind of garbage, then kicked. Outcome:
 * "err" (VHOST_SET_VRING_ERR's eventfd fired), "used" (the device consumed
 * the chain and returned it), "stall" (neither within the wait). While the
 * victim is still open a second, healthy device must pass loopback traffic,
 * and closing the victim must not hang (the caller bounds us with alarm()).
 * Cases marked must_err have to end in "err" on stock vhost-net and on
 * vhost-split alike; the others are malformed-but-survivable chains where
 * stock vhost-net drops or tolerates the buffer, so any outcome passes as
 * long as the host survives and the healthy device works.
 *
 * misuse: each ioctl abuse on a fresh fd; prints "case errno-name" lines so
 * a script can compare two devices.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "vnet.h"

struct hcase {
	const char *name;
	bool must_err;
	bool rx;		/* abuse the RX ring (needs a frame sent in) */
	void (*craft)(struct vdev *d, struct vq *vq, struct gmem *g);
};

static uint64_t frame_gpa(struct vq *vq, struct gmem *g, size_t hl)
{
	static uint8_t f[128];
	uint64_t gpa = vq_buf_gpa(vq, 0);
	size_t len = frame_build(f + hl, 60, 0, false);

	memset(f, 0, hl);
	gmem_write(g, gpa, f, hl + len);
	return gpa;
}

static void put_desc(struct vring_desc *t, unsigned int i, uint64_t addr,
		     uint32_t len, uint16_t flags, uint16_t next)
{
	t[i].addr = addr;
	t[i].len = len;
	t[i].flags = flags;
	t[i].next = next;
}

static void push(struct vq *vq, uint16_t head)
{
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	vq->avail_idx++;
	vq_publish(vq);
}

static void c_oob(struct vdev *d, struct vq *vq, struct gmem *g)
{
	(void)d;
	put_desc(vq->desc, 0, g->end + (1ULL << 30), 72, 0, 0);
	push(vq, 0);
}

static void c_zero_len(struct vdev *d, struct vq *vq, struct gmem *g)
{
	(void)d;
	put_desc(vq->desc, 0, vq_buf_gpa(vq, 0), 0, 0, 0);
	(void)g;
	push(vq, 0);
}

/* RX chain of num descriptors totalling exactly 4 GiB (u32 sum wraps to 0) */
static void c_4g(struct vdev *d, struct vq *vq, struct gmem *g)
{
	uint32_t each = (uint32_t)((1ULL << 32) / vq->num);
	unsigned int i;

	(void)d;
	for (i = 0; i < vq->num; i++)
		put_desc(vq->desc, i, g->r[0].gpa, each, VRING_DESC_F_WRITE |
			 (i + 1 < vq->num ? VRING_DESC_F_NEXT : 0), i + 1);
	push(vq, 0);
}

static void c_loop(struct vdev *d, struct vq *vq, struct gmem *g)
{
	uint64_t gpa = frame_gpa(vq, g, d->hdr_len);

	put_desc(vq->desc, 0, gpa, 8, VRING_DESC_F_NEXT, 1);
	put_desc(vq->desc, 1, gpa + 8, 8, VRING_DESC_F_NEXT, 0);
	push(vq, 0);
}

/* Every descriptor chained, the last one pointing back into the middle. */
static void c_longer_than_ring(struct vdev *d, struct vq *vq, struct gmem *g)
{
	uint64_t gpa = frame_gpa(vq, g, d->hdr_len);
	unsigned int i;

	for (i = 0; i < vq->num; i++)
		put_desc(vq->desc, i, gpa, 1, VRING_DESC_F_NEXT,
			 i + 1 < vq->num ? i + 1 : 1);
	push(vq, 0);
}

static uint64_t ind_table(struct vq *vq, struct gmem *g, struct vring_desc **t)
{
	*t = gmem_hva(g, vq->ind_gpa, 16 * VNET_MAX_SEGS);
	return vq->ind_gpa;
}

static void c_indirect_next(struct vdev *d, struct vq *vq, struct gmem *g)
{
	uint64_t gpa = frame_gpa(vq, g, d->hdr_len);
	struct vring_desc *t;
	uint64_t tg = ind_table(vq, g, &t);

	put_desc(t, 0, gpa, d->hdr_len + 60, 0, 0);
	put_desc(vq->desc, 0, tg, 16, VRING_DESC_F_INDIRECT |
		 VRING_DESC_F_NEXT, 1);
	put_desc(vq->desc, 1, gpa, 8, 0, 0);
	push(vq, 0);
}

static void c_nested_indirect(struct vdev *d, struct vq *vq, struct gmem *g)
{
	struct vring_desc *t;
	uint64_t tg = ind_table(vq, g, &t);

	(void)d;
	put_desc(t, 0, tg + 256, 16, VRING_DESC_F_INDIRECT, 0);
	put_desc(t, 16, frame_gpa(vq, g, d->hdr_len), 72, 0, 0);
	put_desc(vq->desc, 0, tg, 16, VRING_DESC_F_INDIRECT, 0);
	push(vq, 0);
}

static void c_indirect_len(struct vdev *d, struct vq *vq, struct gmem *g)
{
	struct vring_desc *t;
	uint64_t tg = ind_table(vq, g, &t);

	put_desc(t, 0, frame_gpa(vq, g, d->hdr_len), 72, 0, 0);
	put_desc(vq->desc, 0, tg, 24, VRING_DESC_F_INDIRECT, 0);
	push(vq, 0);
}

static void c_avail_jump(struct vdev *d, struct vq *vq, struct gmem *g)
{
	unsigned int i;

	(void)d;
	put_desc(vq->desc, 0, frame_gpa(vq, g, d->hdr_len), 72, 0, 0);
	for (i = 0; i < vq->num; i++)
		vq->avail->ring[i] = 0;
	vq->avail_idx += vq->num + 7;
	vq_publish(vq);
}

static void c_head_oob(struct vdev *d, struct vq *vq, struct gmem *g)
{
	put_desc(vq->desc, 0, frame_gpa(vq, g, d->hdr_len), 72, 0, 0);
	push(vq, vq->num + 5);
}

static void c_used_ro(struct vdev *d, struct vq *vq, struct gmem *g)
{
	put_desc(vq->desc, 0, frame_gpa(vq, g, d->hdr_len), d->hdr_len + 60,
		 0, 0);
	mprotect(vq->used, VNET_PAGE, PROT_READ);
	push(vq, 0);
}

static void c_unmapped(struct vdev *d, struct vq *vq, struct gmem *g)
{
	unsigned int i;

	put_desc(vq->desc, 0, frame_gpa(vq, g, d->hdr_len), d->hdr_len + 60,
		 0, 0);
	push(vq, 0);
	for (i = 0; i < g->nregions; i++)
		munmap(g->r[i].hva, g->r[i].size);
	g->nregions = 0;
}

static const struct hcase hcases[] = {
	{ "desc-outside-memory", true, false, c_oob },
	{ "zero-length", false, false, c_zero_len },
	{ "4g-chain", false, true, c_4g },
	{ "chain-loop", true, false, c_loop },
	{ "chain-longer-than-ring", true, false, c_longer_than_ring },
	{ "indirect-and-next", false, false, c_indirect_next },
	{ "nested-indirect", true, false, c_nested_indirect },
	{ "indirect-len-not-16n", true, false, c_indirect_len },
	{ "avail-idx-jump", true, false, c_avail_jump },
	{ "head-out-of-range", true, false, c_head_oob },
	{ "used-ring-read-only", true, false, c_used_ro },
	{ "memory-unmapped", true, false, c_unmapped },
};

static int send_frame_on(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	uint8_t f[128];
	size_t len = frame_build(f, 60, 1, false);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	sll.sll_ifindex = if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, f, 6);
	r = sendto(fd, f, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	close(fd);
	return r < 0 ? -errno : 0;
}

static int run_case(const struct vnet_opts *o, const struct hcase *hc,
		    const char *tap, const char *tap2)
{
	struct gmem vg;
	struct vdev d;
	struct vq *vq;
	uint64_t mem = vnet_mem_needed(o, 1);
	uint16_t used0;
	int err, bfd, healthy = -1, r;
	const char *outcome;

	if (hc->rx && mem < (1ULL << 32) / o->ring + (1 << 20))
		mem = (1ULL << 32) / o->ring + (1 << 20);
	if (gmem_init(&vg, 1, mem))
		return 1;
	if (vdev_open(&d, o->dev, &vg) || vdev_setup(&d, o)) {
		fprintf(stderr, "hostile: cannot set up %s\n", o->dev);
		return 1;
	}
	bfd = vnet_backend_open("tap", tap, d.hdr_len, o->vhost_hdr, false);
	if (bfd < 0 || vdev_set_backend(&d, bfd)) {
		fprintf(stderr, "hostile: backend %s: %s\n", tap,
			strerror(bfd < 0 ? -bfd : errno));
		return 1;
	}
	vq = &d.vq[hc->rx ? VNET_RX : VNET_TX];
	used0 = vq->used->idx;
	hc->craft(&d, vq, &vg);
	vq_kick(vq);
	if (hc->rx)
		send_frame_on(tap);
	err = efd_wait(vq->err, 3000);
	/* do not touch the used ring of the unmapped case */
	if (err > 0)
		outcome = "err";
	else if (vg.nregions && vq->used->idx != used0)
		outcome = "used";
	else
		outcome = "stall";
	if (tap2)
		healthy = vnet_healthy_loopback(o->dev, tap2, 50);
	r = (hc->must_err && err <= 0) || (tap2 && healthy != 0);
	printf("hostile %s dev=%s outcome=%s must_err=%d healthy_device=%s result=%s\n",
	       hc->name, o->dev, outcome, hc->must_err,
	       healthy < 0 ? "not-run" : healthy ? "FAILED" : "ok",
	       r ? "FAIL" : "ok");
	fflush(stdout);
	vdev_close(&d);
	close(bfd);
	gmem_free(&vg);
	return r;
}

int mode_hostile(const struct vnet_opts *o, const char *kind,
		 const char *tap, const char *tap2, const char *which)
{
	unsigned int i;
	int fails = 0, ran = 0;

	if (!tap || strcmp(kind, "tap")) {
		fprintf(stderr, "hostile: needs --tap VICTIM [--tap HEALTHY]\n");
		return 2;
	}
	alarm(60);
	for (i = 0; i < sizeof(hcases) / sizeof(hcases[0]); i++) {
		if (strcmp(which, "all") && strcmp(which, hcases[i].name))
			continue;
		if (hcases[i].craft == c_nested_indirect ||
		    hcases[i].craft == c_indirect_len ||
		    hcases[i].craft == c_indirect_next) {
			if (!o->indirect)
				continue;
		}
		fails += run_case(o, &hcases[i], tap, tap2);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "hostile: no case named %s\n", which);
		return 2;
	}
	return fails ? 1 : 0;
}

void hostile_list(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(hcases) / sizeof(hcases[0]); i++)
		printf("%s %s\n", hcases[i].name,
		       hcases[i].must_err ? "must_err" : "survive");
}
