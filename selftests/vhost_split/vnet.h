/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnetdrv: a userspace virtio-net "guest" driving a vhost-net compatible
 * character device (/dev/vhost-net or /dev/vhost-split) through the ioctl
 * ABI of <linux/vhost.h>.
 *
 * Object lifetime: one struct gmem (the guest memory: mmap'ed regions laid
 * out back to back in guest-physical space, deliberately NOT contiguous in
 * our address space) is shared by every device of the process. A struct
 * vdev owns its two split virtqueues (RX = 0, TX = 1), their eventfds and
 * its backend fd. Single threaded except where a mode says otherwise
 * (owner-kill forks; nothing is shared across the fork but the fds).
 */
#ifndef VNET_H
#define VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#define VNET_MAX_REGIONS	32
#define VNET_RX			0
#define VNET_TX			1
#define VNET_MAX_SEGS		64
#define VNET_PAGE		4096ULL
#define VNET_GPA_BASE		0x40000000ULL

struct gmem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
};

struct gmem {
	unsigned int nregions;
	struct gmem_region r[VNET_MAX_REGIONS];
	uint64_t end;		/* first GPA after the last region */
	uint64_t brk;		/* bump allocator, GPA */
};

struct vnet_opts {
	const char *dev;
	unsigned int ring;
	bool version1, mrg, event_idx, indirect, vhost_hdr, log;
	unsigned int segs;	/* descriptors per buffer (1 = contiguous) */
	size_t rx_bufsz;	/* capacity of one RX buffer, hdr included */
	size_t tx_bufsz;	/* capacity of one TX buffer, hdr included */
	unsigned int timeout_ms;
};

struct vq_head {
	uint32_t buf;		/* buffer index in the pool */
	uint16_t ndesc;		/* ring descriptors held (0 = free) */
	uint16_t pad;
};

struct vq {
	unsigned int idx, num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t avail_idx;	/* our shadow of avail->idx */
	uint16_t last_used;
	uint16_t kicked_idx;	/* avail idx at the last kick decision */
	unsigned int num_free;
	uint16_t free_head;
	struct vq_head *heads;
	uint64_t ind_gpa;	/* num indirect tables of VNET_MAX_SEGS */
	uint64_t pool_gpa;	/* num buffers of 'stride' bytes */
	size_t stride, bufsz;
	unsigned int straddling;	/* buffers crossing a region boundary */
	int kick, call, err;
	bool event_idx, indirect;
	unsigned int segs;
	uint64_t kicks, calls;
};

struct vdev {
	int fd;
	const char *path;
	uint64_t features;
	struct gmem *gm;
	struct vq vq[2];
	int backend;
	size_t hdr_len;
	bool vhost_hdr;
	uint8_t *log;
	size_t log_size;
};

/* gmem.c */
int gmem_init(struct gmem *gm, unsigned int nregions, uint64_t total);
void gmem_free(struct gmem *gm);
uint64_t gmem_alloc(struct gmem *gm, uint64_t size, uint64_t align);
void gmem_release(struct gmem *gm, uint64_t brk);
void *gmem_hva(struct gmem *gm, uint64_t gpa, uint64_t len);
int gmem_write(struct gmem *gm, uint64_t gpa, const void *src, size_t len);
int gmem_read(struct gmem *gm, uint64_t gpa, void *dst, size_t len);
bool gmem_straddles(struct gmem *gm, uint64_t gpa, uint64_t len);
uint64_t vnet_mem_needed(const struct vnet_opts *o, unsigned int ndev);

/* vq.c */
int vq_setup(struct vq *vq, struct gmem *gm, unsigned int idx,
	     const struct vnet_opts *o);
int vq_add(struct vq *vq, struct gmem *gm, uint32_t buf, uint32_t len,
	   bool write);
void vq_publish(struct vq *vq);
bool vq_kick_needed(struct vq *vq);
int vq_kick(struct vq *vq);
int vq_get_used(struct vq *vq, uint32_t *len);
void vq_want_call(struct vq *vq);
uint64_t vq_buf_gpa(const struct vq *vq, uint32_t buf);
int vq_wait(struct vq *vq, unsigned int ms);
bool vq_has_used(struct vq *vq);
int efd_wait(int fd, unsigned int ms);

/* vdev.c */
int vdev_open(struct vdev *d, const char *path, struct gmem *gm);
int vdev_setup(struct vdev *d, const struct vnet_opts *o);
int vdev_set_backend(struct vdev *d, int fd);
int vdev_log_check(struct vdev *d, uint64_t gpa, uint64_t len);
void vdev_close(struct vdev *d);
int tap_open(const char *name, size_t hdr_len, bool vnet_hdr, bool offload);
int macvtap_open(const char *path, size_t hdr_len, bool offload);
int packet_open(const char *ifname);
int vnet_backend_open(const char *kind, const char *name, size_t hdr_len,
		      bool vhost_hdr, bool offload);

/* frames.c */
size_t frame_build(uint8_t *p, size_t len, uint32_t seq, bool gso);
int frame_check(const uint8_t *p, size_t len, uint32_t *seq, bool gso);
void frame_vnet_hdr(void *hdr, size_t frame_len, bool gso);

/* vnetdrv.c / hostile.c entry points */
int mode_hostile(const struct vnet_opts *o, const char *kind,
		 const char *tap, const char *tap2, const char *which);
int mode_misuse(const char *dev, const char *tap);
void hostile_list(void);
int vnet_healthy_loopback(const char *dev, const char *tap, uint64_t count);

#define VNET_MAGIC	0x70767274u	/* "pvrt" */
#define VNET_ETHERTYPE	0x88b5

#endif /* VNET_H */
