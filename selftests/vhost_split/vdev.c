// SPDX-License-Identifier: GPL-2.0
/*
 * Device side setup: the ioctl sequence QEMU uses for a vhost-net backend
 * (SET_OWNER, features, memory table, per vring NUM/BASE/ADDR/KICK/CALL/ERR,
 * then NET_SET_BACKEND), backend fds (tap, macvtap, AF_PACKET) and the dirty
 * log bitmap.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>

#include "vnet.h"

int vdev_open(struct vdev *d, const char *path, struct gmem *gm)
{
	memset(d, 0, sizeof(*d));
	d->backend = -1;
	d->path = path;
	d->gm = gm;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	return d->fd < 0 ? -errno : 0;
}

#define VIOC(d, req, arg, what) do {					\
	if (ioctl((d)->fd, req, arg) < 0) {				\
		int __e = errno;					\
		fprintf(stderr, "vnetdrv: %s: %s: %s\n", (d)->path, what, \
			strerror(__e));					\
		return -__e;						\
	}								\
} while (0)

static int vdev_set_mem(struct vdev *d)
{
	struct gmem *gm = d->gm;
	struct vhost_memory *m;
	unsigned int i;
	int r = 0;

	m = calloc(1, sizeof(*m) + gm->nregions * sizeof(m->regions[0]));
	if (!m)
		return -ENOMEM;
	m->nregions = gm->nregions;
	for (i = 0; i < gm->nregions; i++) {
		m->regions[i].guest_phys_addr = gm->r[i].gpa;
		m->regions[i].memory_size = gm->r[i].size;
		m->regions[i].userspace_addr = (uintptr_t)gm->r[i].hva;
	}
	if (ioctl(d->fd, VHOST_SET_MEM_TABLE, m) < 0) {
		r = -errno;
		fprintf(stderr, "vnetdrv: %s: SET_MEM_TABLE: %s\n", d->path,
			strerror(errno));
	}
	free(m);
	return r;
}

static int vdev_setup_vring(struct vdev *d, struct vq *vq)
{
	struct vhost_vring_state s = { .index = vq->idx, .num = vq->num };
	struct vhost_vring_addr a = {
		.index = vq->idx,
		.desc_user_addr = (uintptr_t)vq->desc,
		.avail_user_addr = (uintptr_t)vq->avail,
		.used_user_addr = (uintptr_t)vq->used,
	};
	struct vhost_vring_file f = { .index = vq->idx };

	if (d->log) {
		a.flags = 1 << VHOST_VRING_F_LOG;
		a.log_guest_addr = vq->used_gpa;
	}
	VIOC(d, VHOST_SET_VRING_NUM, &s, "SET_VRING_NUM");
	s.num = 0;
	VIOC(d, VHOST_SET_VRING_BASE, &s, "SET_VRING_BASE");
	VIOC(d, VHOST_SET_VRING_ADDR, &a, "SET_VRING_ADDR");
	f.fd = vq->kick;
	VIOC(d, VHOST_SET_VRING_KICK, &f, "SET_VRING_KICK");
	f.fd = vq->call;
	VIOC(d, VHOST_SET_VRING_CALL, &f, "SET_VRING_CALL");
	f.fd = vq->err;
	VIOC(d, VHOST_SET_VRING_ERR, &f, "SET_VRING_ERR");
	return 0;
}

int vdev_setup(struct vdev *d, const struct vnet_opts *o)
{
	uint64_t want, have;
	int r, i;

	/*
	 * VIRTIO_F_ANY_LAYOUT and VHOST_NET_F_VIRTIO_NET_HDR share bit 27:
	 * for vhost-net it means "the device adds/strips the vnet header"
	 * (--vhost-hdr), so it is only requested with that mode.
	 */
	want = 0;
	if (o->version1)
		want |= 1ULL << VIRTIO_F_VERSION_1;
	if (o->mrg)
		want |= 1ULL << VIRTIO_NET_F_MRG_RXBUF;
	if (o->event_idx)
		want |= 1ULL << VIRTIO_RING_F_EVENT_IDX;
	if (o->indirect)
		want |= 1ULL << VIRTIO_RING_F_INDIRECT_DESC;
	if (o->vhost_hdr)
		want |= 1ULL << VHOST_NET_F_VIRTIO_NET_HDR;
	if (o->log)
		want |= 1ULL << VHOST_F_LOG_ALL;
	d->hdr_len = (o->mrg || o->version1) ?
		     sizeof(struct virtio_net_hdr_mrg_rxbuf) :
		     sizeof(struct virtio_net_hdr);
	d->vhost_hdr = o->vhost_hdr;

	VIOC(d, VHOST_SET_OWNER, NULL, "SET_OWNER");
	VIOC(d, VHOST_GET_FEATURES, &have, "GET_FEATURES");
	if ((want & have) != want) {
		fprintf(stderr, "vnetdrv: %s: features %#llx not offered (offered %#llx)\n",
			d->path, (unsigned long long)(want & ~have),
			(unsigned long long)have);
		return -EOPNOTSUPP;
	}
	if (o->log) {
		uint64_t base;

		d->log_size = ((d->gm->end / VNET_PAGE + 63) / 64) * 8;
		d->log = mmap(NULL, d->log_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (d->log == MAP_FAILED) {
			d->log = NULL;
			return -ENOMEM;
		}
		base = (uintptr_t)d->log;
		VIOC(d, VHOST_SET_LOG_BASE, &base, "SET_LOG_BASE");
	}
	d->features = want;
	VIOC(d, VHOST_SET_FEATURES, &want, "SET_FEATURES");
	r = vdev_set_mem(d);
	if (r)
		return r;
	for (i = 0; i < 2; i++) {
		r = vq_setup(&d->vq[i], d->gm, i, o);
		if (r) {
			fprintf(stderr, "vnetdrv: vq setup: %s\n", strerror(-r));
			return r;
		}
		r = vdev_setup_vring(d, &d->vq[i]);
		if (r)
			return r;
	}
	return 0;
}

int vdev_set_backend(struct vdev *d, int fd)
{
	struct vhost_vring_file f = { .fd = fd };

	for (f.index = 0; f.index < 2; f.index++)
		VIOC(d, VHOST_NET_SET_BACKEND, &f, "NET_SET_BACKEND");
	return 0;
}

/* 0 if every page of [gpa, gpa + len) is marked dirty, else -1. */
int vdev_log_check(struct vdev *d, uint64_t gpa, uint64_t len)
{
	uint64_t pg;

	if (!len)
		return 0;
	for (pg = gpa / VNET_PAGE; pg <= (gpa + len - 1) / VNET_PAGE; pg++) {
		if (pg / 8 >= d->log_size)
			return -1;
		if (!(__atomic_load_n(&d->log[pg / 8], __ATOMIC_RELAXED) &
		      (1u << (pg % 8))))
			return -1;
	}
	return 0;
}

void vdev_close(struct vdev *d)
{
	int i;

	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	for (i = 0; i < 2; i++) {
		struct vq *vq = &d->vq[i];

		if (vq->kick > 0)
			close(vq->kick);
		if (vq->call > 0)
			close(vq->call);
		if (vq->err > 0)
			close(vq->err);
		vq->kick = vq->call = vq->err = -1;
		free(vq->heads);
		vq->heads = NULL;
	}
	if (d->log)
		munmap(d->log, d->log_size);
	d->log = NULL;
}

static int tap_config(int fd, size_t hdr_len, bool vnet_hdr, bool offload)
{
	int sz = hdr_len;
	unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	if (!vnet_hdr)
		return 0;
	if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
		return -errno;
	if (offload && ioctl(fd, TUNSETOFFLOAD, off) < 0)
		return -errno;
	return 0;
}

int tap_open(const char *name, size_t hdr_len, bool vnet_hdr, bool offload)
{
	struct ifreq ifr = { 0 };
	int fd, r;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		goto err;
	r = tap_config(fd, hdr_len, vnet_hdr, offload);
	if (r) {
		errno = -r;
		goto err;
	}
	return fd;
err:
	r = -errno;
	close(fd);
	return r;
}

int macvtap_open(const char *path, size_t hdr_len, bool offload)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = tap_config(fd, hdr_len, true, offload);
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

int packet_open(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno ? errno : ENODEV;

		close(fd);
		return -e;
	}
	return fd;
}

/* kind: tap (name = interface), macvtap (name = /dev/tapN), packet. */
int vnet_backend_open(const char *kind, const char *name, size_t hdr_len,
		      bool vhost_hdr, bool offload)
{
	if (!strcmp(kind, "tap"))
		return tap_open(name, hdr_len, !vhost_hdr, offload);
	if (!strcmp(kind, "macvtap")) {
		if (vhost_hdr)
			return -EINVAL;
		return macvtap_open(name, hdr_len, offload);
	}
	if (!strcmp(kind, "packet")) {
		if (!vhost_hdr)
			return -EINVAL;	/* AF_PACKET vnet hdr is 10 bytes on 6.1 */
		return packet_open(name);
	}
	return -EINVAL;
}
