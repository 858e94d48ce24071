/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_split: a vhost-net compatible device with one RX and one TX worker.
 *
 * Object lifetime: a struct vhs_dev lives from open() to release() of the
 * character device (file->private_data); its two virtqueues are embedded.
 * The worker threads exist from SET_OWNER to RESET_OWNER or release; each
 * serves exactly one virtqueue. The owner's address space is pinned (mmget)
 * from SET_OWNER until both workers have stopped, so the owner may exit
 * before the device is released. A memory table is replaced whole and freed
 * only after every virtqueue has switched to its successor.
 *
 * Locking, outermost first:
 *   dev->mutex  serializes ioctls and release; protects the vhs_dev fields.
 *   vq->mutex   protects the vhs_vq fields marked so. The worker holds it
 *               around each batch of packets; an ioctl changing what a
 *               worker uses takes it, so it waits for the batch in progress
 *               to end and the worker sees the new state on its next batch.
 *               This is how ioctls quiesce the workers; no flush is needed.
 *               The RX and TX workers never take each other's vq mutex.
 * The poll wake callbacks run in atomic context: they only set a work bit
 * and wake the worker.
 */
#ifndef _VHS_H
#define _VHS_H

#include <linux/completion.h>
#include <linux/eventfd.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/ptr_ring.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <pvr/vr_sched_api.h>

#include "desc.h"

#define VHS_VQ_RX		0	/* index of VHOST_NET_VQ_RX */
#define VHS_VQ_TX		1
#define VHS_NVQS		2

#define VHS_MAX_SEG		1024	/* pieces per packet (UIO_MAXIOV) */
#define VHS_MAX_LOG		256	/* writable descriptors per packet */
#define VHS_MAX_PKT_HEADS	256	/* mergeable RX buffers per packet */
#define VHS_MAX_HEADS		512	/* used entries batched before flush */
#define VHS_RX_BATCH		64	/* tap ring pointers consumed at once */
#define VHS_LOG_PAGE		0x1000	/* VHOST_PAGE_SIZE */

#define VHS_FEATURES ((1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) |		\
		      (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |		\
		      (1ULL << VIRTIO_RING_F_EVENT_IDX) |		\
		      (1ULL << VHOST_F_LOG_ALL) |			\
		      (1ULL << VIRTIO_F_ANY_LAYOUT) |			\
		      (1ULL << VIRTIO_F_VERSION_1) |			\
		      (1ULL << VHOST_NET_F_VIRTIO_NET_HDR) |		\
		      (1ULL << VIRTIO_NET_F_MRG_RXBUF))

struct vhs_vq;

struct vhs_poll {
	poll_table table;
	wait_queue_head_t *wqh;		/* NULL when not polling */
	wait_queue_entry_t wait;
	__poll_t mask;
	struct vhs_vq *vq;
};

/* Tap ring pointers taken in a batch and not yet handed to recvmsg. */
struct vhs_rxq {
	void *queue[VHS_RX_BATCH];
	int head;
	int tail;
};

struct vhs_vq {
	struct vhs_dev *dev;
	unsigned int index;		/* VHS_VQ_RX or VHS_VQ_TX */
	u8 dir;				/* enum vr_sched_dir */
	struct mutex mutex;		/* held by the worker per batch */

	/* Ring configuration and state. Protected by mutex. */
	u32 num;
	struct vring_desc __user *desc;
	struct vring_avail __user *avail;
	struct vring_used __user *used;
	bool log_used;			/* VHOST_VRING_F_LOG */
	u64 log_addr;			/* guest address of the used ring */
	u16 last_avail_idx;		/* next avail entry to take */
	u16 avail_idx;			/* last avail->idx read */
	u16 last_used_idx;		/* used->idx published */
	u16 signalled_used;
	bool signalled_used_valid;
	u16 used_flags;
	bool broken;			/* stopped after a guest error */
	u32 busyloop_timeout;		/* microseconds */
	u64 acked_features;
	size_t vhost_hlen;		/* header added/stripped by us */
	size_t sock_hlen;		/* header handled by the socket */
	const struct vhs_mem *mem;
	void __user *log_base;
	struct eventfd_ctx *log_ctx;
	struct file *kick;
	struct eventfd_ctx *call_ctx;
	struct eventfd_ctx *err_ctx;
	/* Backend, holds a file reference. Also under dev->mutex. */
	struct socket *sock;
	struct ptr_ring *rx_ring;	/* tap/tun ring of sock (RX only) */
	struct vhs_rxq rxq;
	struct vhs_poll kick_poll;
	struct vhs_poll sock_poll;

	/* Per-packet scratch and the used batch. Protected by mutex. */
	unsigned int nheads;
	struct vring_used_elem heads[VHS_MAX_HEADS];
	struct vhs_seg seg[VHS_MAX_SEG];
	struct vhs_seg log[VHS_MAX_LOG];
	struct iovec iov[VHS_MAX_SEG];

	/* Worker. Set under dev->mutex while no worker runs. */
	struct task_struct *worker;
	unsigned long work;		/* VHS_WORK_* bits, atomic */
	struct vr_worker vrw;
	struct completion ready;
	int start_err;
};

#define VHS_WORK_QUEUED		0

struct vhs_dev {
	struct mutex mutex;		/* serializes ioctls and release */
	u32 id;

	/* Protected by mutex. */
	struct mm_struct *mm;		/* owner's, mmget() while set */
	struct task_struct *owner;	/* only during SET_OWNER */
	pid_t owner_tgid;
	u64 features;
	struct vhs_mem *mem;
	void __user *log_base;
	struct eventfd_ctx *log_ctx;

	struct vhs_vq vqs[VHS_NVQS];
};

static inline bool vhs_has(const struct vhs_vq *vq, unsigned int bit)
{
	return vq->acked_features & (1ULL << bit);
}

/* vq.c: ring access; all with vq->mutex held, in the owner's mm. */
int vhs_vq_fail(struct vhs_vq *vq, int err, const char *why);
int vhs_get_desc(struct vhs_vq *vq, struct vhs_chain *c);
void vhs_disable_notify(struct vhs_vq *vq);
bool vhs_enable_notify(struct vhs_vq *vq);
bool vhs_avail_empty(struct vhs_vq *vq);
void vhs_add_used(struct vhs_vq *vq, u32 head, u32 len);
int vhs_flush_used(struct vhs_vq *vq);
void vhs_flush_and_signal(struct vhs_vq *vq);
int vhs_log_write(struct vhs_vq *vq, u64 gpa, u64 len);
bool vhs_ring_access_ok(struct vhs_vq *vq, u32 num, void __user *desc,
			void __user *avail, void __user *used);
bool vhs_vq_access_ok(struct vhs_vq *vq);
bool vhs_mem_access_ok(const struct vhs_mem *mem);
bool vhs_vq_log_access_ok(struct vhs_vq *vq, void __user *log_base);
bool vhs_mem_log_access_ok(const struct vhs_mem *mem, void __user *log_base);
int vhs_vq_init_access(struct vhs_vq *vq);
void vhs_poll_init(struct vhs_poll *p, struct vhs_vq *vq, __poll_t mask);
int vhs_poll_start(struct vhs_poll *p, struct file *file);
void vhs_poll_stop(struct vhs_poll *p);
void vhs_vq_queue_work(struct vhs_vq *vq);

/* worker.c */
int vhs_workers_start(struct vhs_dev *dev);
void vhs_workers_stop(struct vhs_dev *dev);

/* net.c */
extern unsigned int vhs_weight_pkts;
extern unsigned int vhs_weight_bytes;
void vhs_handle_tx(struct vhs_vq *vq, u64 *pkts, u64 *bytes);
void vhs_handle_rx(struct vhs_vq *vq, u64 *pkts, u64 *bytes);
struct socket *vhs_get_socket(int fd);
struct ptr_ring *vhs_get_tap_ring(struct socket *sock);
void vhs_rxq_unconsume(struct vhs_vq *vq);

#endif /* _VHS_H */
