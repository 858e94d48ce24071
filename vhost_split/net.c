// SPDX-License-Identifier: GPL-2.0
/*
 * Packet movers of vhost_split and the backend sockets they use.
 *
 * TX (guest -> backend): each available chain is one packet, sent with
 * sendmsg() straight from the guest pages (the worker runs in the owner's
 * mm, so the chain's pieces are plain user iovecs).
 * RX (backend -> guest): the packet length is peeked first (from a batch of
 * pointers taken from the tap/tun ring, or from an AF_PACKET receive queue),
 * enough guest buffers are gathered (several with MRG_RXBUF), then
 * recvmsg() writes the packet into them and we write or fix the header.
 *
 * Both run with their vq->mutex held for a whole batch, bounded by the
 * weight_pkts and weight_bytes module parameters; a worker that hits the
 * bound requeues itself and yields. Used entries are published and the
 * guest is called once per batch (or when the used batch fills up).
 */
#include <linux/file.h>
#include <linux/if_packet.h>
#include <linux/if_tap.h>
#include <linux/if_tun.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/skb_array.h>
#include <net/sock.h>
#include <net/xdp.h>

#include "vhs.h"

unsigned int vhs_weight_pkts = 256;
module_param_named(weight_pkts, vhs_weight_pkts, uint, 0644);
MODULE_PARM_DESC(weight_pkts, "Packets a worker moves before it yields (default 256)");

unsigned int vhs_weight_bytes = 0x80000;
module_param_named(weight_bytes, vhs_weight_bytes, uint, 0644);
MODULE_PARM_DESC(weight_bytes, "Bytes a worker moves before it yields (default 512 KiB)");

static bool vhs_over_budget(u64 pkts, u64 bytes)
{
	return pkts >= READ_ONCE(vhs_weight_pkts) ||
	       bytes >= READ_ONCE(vhs_weight_bytes);
}

static bool vhs_busypoll_more(struct vhs_vq *vq, u64 endtime)
{
	return !need_resched() && !kthread_should_stop() &&
	       !signal_pending(current) && local_clock() < endtime;
}

/* Build the iovec array of pieces [first, first + n) of the last chain. */
static void vhs_fill_iov(struct vhs_vq *vq, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		vq->iov[i].iov_base = (void __user *)(unsigned long)vq->seg[first + i].addr;
		vq->iov[i].iov_len = vq->seg[first + i].len;
	}
}

/* ------------------------------------------------------------------- TX */

static void vhs_tx_busypoll(struct vhs_vq *vq)
{
	u64 endtime = local_clock() + (u64)vq->busyloop_timeout * NSEC_PER_USEC;

	while (vhs_busypoll_more(vq, endtime)) {
		if (!vhs_avail_empty(vq))
			return;
		cpu_relax();
	}
}

void vhs_handle_tx(struct vhs_vq *vq, u64 *pkts, u64 *bytes)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct vhs_chain c = {
		.seg = vq->seg, .max_seg = VHS_MAX_SEG,
	};
	struct socket *sock;
	int head, err;

	mutex_lock(&vq->mutex);
	sock = vq->sock;
	if (!sock || vq->broken)
		goto out;
	vhs_poll_stop(&vq->sock_poll);
	vhs_disable_notify(vq);

	for (;;) {
		size_t len;

		if (vq->nheads >= VHS_MAX_HEADS)
			vhs_flush_and_signal(vq);
		head = vhs_get_desc(vq, &c);
		if (head < 0)
			break;
		if (head == vq->num) {
			if (vq->busyloop_timeout) {
				vhs_tx_busypoll(vq);
				if (!vhs_avail_empty(vq))
					continue;
			}
			if (unlikely(vhs_enable_notify(vq))) {
				vhs_disable_notify(vq);
				continue;
			}
			break;
		}
		if (c.nin || !c.nout) {
			vhs_vq_fail(vq, -EINVAL, "unexpected descriptor format for TX");
			break;
		}
		len = c.out_len;
		if (len < vq->vhost_hlen) {
			vhs_vq_fail(vq, -EINVAL, "TX buffer shorter than the header");
			break;
		}
		vhs_fill_iov(vq, 0, c.nout);
		iov_iter_init(&msg.msg_iter, ITER_SOURCE, vq->iov, c.nout, len);
		/* The guest's header is ours to drop: the socket wants none. */
		iov_iter_advance(&msg.msg_iter, vq->vhost_hlen);
		len -= vq->vhost_hlen;

		err = sock->ops->sendmsg(sock, &msg, len);
		if (unlikely(err == -EAGAIN || err == -ENOMEM || err == -ENOBUFS)) {
			/* Give the chain back; retry when the socket drains. */
			vq->last_avail_idx--;
			vhs_poll_start(&vq->sock_poll, sock->file);
			break;
		}
		if (unlikely(err == -EFAULT)) {
			vhs_vq_fail(vq, err, "TX buffer not readable");
			break;
		}
		if (err < 0)
			pr_debug_ratelimited("dev %u: TX sendmsg: %d, packet dropped\n",
					     vq->dev->id, err);
		vhs_add_used(vq, head, 0);
		(*pkts)++;
		*bytes += len;
		if (vhs_over_budget(*pkts, *bytes)) {
			vhs_vq_queue_work(vq);
			break;
		}
	}
	vhs_flush_and_signal(vq);
out:
	mutex_unlock(&vq->mutex);
}

/* ------------------------------------------------------------------- RX */

static void *vhs_rxq_peek(struct vhs_vq *vq)
{
	struct vhs_rxq *q = &vq->rxq;

	if (q->head == q->tail) {
		q->head = 0;
		q->tail = ptr_ring_consume_batched(vq->rx_ring, q->queue,
						   VHS_RX_BATCH);
		if (!q->tail)
			return NULL;
	}
	return q->queue[q->head];
}

/* Put back pointers taken from the ring but not delivered. */
void vhs_rxq_unconsume(struct vhs_vq *vq)
{
	struct vhs_rxq *q = &vq->rxq;

	if (vq->rx_ring && q->head != q->tail)
		ptr_ring_unconsume(vq->rx_ring, q->queue + q->head,
				   q->tail - q->head, tun_ptr_free);
	q->head = 0;
	q->tail = 0;
}

/* Length of the next packet of the backend, 0 if none. */
static int vhs_rx_peek(struct vhs_vq *vq)
{
	struct sock *sk = vq->sock->sk;
	struct sk_buff *skb;
	unsigned long flags;
	int len = 0;
	void *ptr;

	if (vq->rx_ring) {
		ptr = vhs_rxq_peek(vq);
		if (!ptr)
			return 0;
		if (tun_is_xdp_frame(ptr))
			return tun_ptr_to_xdp(ptr)->len;
		return __skb_array_len_with_tag(ptr);
	}

	spin_lock_irqsave(&sk->sk_receive_queue.lock, flags);
	skb = skb_peek(&sk->sk_receive_queue);
	if (skb) {
		len = skb->len;
		if (skb_vlan_tag_present(skb))
			len += VLAN_HLEN;
	}
	spin_unlock_irqrestore(&sk->sk_receive_queue.lock, flags);
	return len;
}

static int vhs_rx_busypoll(struct vhs_vq *vq)
{
	u64 endtime = local_clock() + (u64)vq->busyloop_timeout * NSEC_PER_USEC;
	int len;

	while (vhs_busypoll_more(vq, endtime)) {
		len = vhs_rx_peek(vq);
		if (len)
			return len;
		cpu_relax();
	}
	return 0;
}

/*
 * Gather guest buffers for @need bytes into vq->heads (after the batched
 * ones), vq->seg and vq->log. Returns the number of heads, 0 when the guest
 * has not posted enough, -E2BIG when the packet cannot fit what the guest
 * offers (in both cases no buffer is consumed), or another negative errno
 * after breaking the ring.
 */
static int vhs_get_rx_bufs(struct vhs_vq *vq, u64 need, bool mergeable,
			   bool logging, unsigned int *nseg, unsigned int *nlog)
{
	struct vring_used_elem *heads = vq->heads + vq->nheads;
	struct vhs_chain c;
	int count = 0;
	u64 got = 0;
	int head;

	*nseg = 0;
	*nlog = 0;
	while (got < need) {
		if (count >= VHS_MAX_PKT_HEADS)
			goto err_too_big;
		c.seg = vq->seg + *nseg;
		c.max_seg = VHS_MAX_SEG - *nseg;
		c.log = logging ? vq->log + *nlog : NULL;
		c.max_log = VHS_MAX_LOG - *nlog;
		head = vhs_get_desc(vq, &c);
		if (head < 0)
			return head;
		if (head == vq->num) {
			vq->last_avail_idx -= count;
			return 0;
		}
		if (c.nout || !c.nin)
			return vhs_vq_fail(vq, -EINVAL, "unexpected descriptor format for RX");
		heads[count].id = __cpu_to_virtio32(true, head);
		heads[count].len = __cpu_to_virtio32(true, min_t(u64, c.in_len, need - got));
		got += c.in_len;
		*nseg += c.nin;
		*nlog += c.nlog;
		count++;
		if (!mergeable && got < need)
			goto err_too_big;
	}
	return count;

err_too_big:
	vq->last_avail_idx -= count;
	return -E2BIG;
}

/* Consume and drop the next packet of the backend. */
static void vhs_rx_drop(struct vhs_vq *vq, struct msghdr *msg)
{
	char byte;
	struct kvec kv = { .iov_base = &byte, .iov_len = 1 };

	iov_iter_kvec(&msg->msg_iter, ITER_DEST, &kv, 1, 1);
	vq->sock->ops->recvmsg(vq->sock, msg, 1, MSG_DONTWAIT | MSG_TRUNC);
}

/* Write our header, or fix num_buffers in the socket's. */
static int vhs_rx_header(struct vhs_vq *vq, unsigned int nseg, int count,
			 bool mergeable)
{
	struct virtio_net_hdr_mrg_rxbuf hdr = {
		.hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.num_buffers = __cpu_to_virtio16(true, count),
	};
	struct iov_iter it;
	size_t off = 0, len = vq->vhost_hlen;
	const void *src = &hdr;

	if (!len) {
		if (!mergeable)
			return 0;
		/* The socket wrote the header: patch its num_buffers. */
		off = offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers);
		len = sizeof(hdr.num_buffers);
		src = &hdr.num_buffers;
	}
	iov_iter_init(&it, ITER_DEST, vq->iov, nseg, off + len);
	iov_iter_advance(&it, off);
	if (copy_to_iter(src, len, &it) != len)
		return vhs_vq_fail(vq, -EFAULT, "RX buffer not writable");
	return 0;
}

/* Log every writable piece the packet (of @len bytes) went into. */
static void vhs_rx_log(struct vhs_vq *vq, unsigned int nlog, u64 len)
{
	unsigned int i;

	for (i = 0; i < nlog && len; i++) {
		u64 n = min(len, vq->log[i].len);

		if (vhs_log_write(vq, vq->log[i].addr, n))
			return;
		len -= n;
	}
}

void vhs_handle_rx(struct vhs_vq *vq, u64 *pkts, u64 *bytes)
{
	bool mergeable, logging;
	unsigned int nseg, nlog;
	struct socket *sock;
	int plen, count, err;

	mutex_lock(&vq->mutex);
	sock = vq->sock;
	if (!sock || vq->broken)
		goto out;
	mergeable = vhs_has(vq, VIRTIO_NET_F_MRG_RXBUF);
	logging = vhs_has(vq, VHOST_F_LOG_ALL) && vq->log_base;
	/* No wakeups per packet while we drain the socket ourselves. */
	vhs_poll_stop(&vq->sock_poll);
	vhs_disable_notify(vq);

	for (;;) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		size_t sock_len, total;

		if (vq->nheads > VHS_MAX_HEADS - VHS_MAX_PKT_HEADS)
			vhs_flush_and_signal(vq);
		plen = vhs_rx_peek(vq);
		if (!plen && vq->busyloop_timeout)
			plen = vhs_rx_busypoll(vq);
		if (!plen) {
			/* Drained: wake us when the next packet arrives. */
			vhs_poll_start(&vq->sock_poll, sock->file);
			break;
		}
		sock_len = plen + vq->sock_hlen;
		total = sock_len + vq->vhost_hlen;
		count = vhs_get_rx_bufs(vq, total, mergeable, logging, &nseg,
					&nlog);
		if (vq->rx_ring)
			msg.msg_control = vq->rxq.queue[vq->rxq.head];
		if (count == -E2BIG) {
			/* Too big for what the guest offers: drop it. */
			if (vq->rx_ring)
				vq->rxq.head++;
			vhs_rx_drop(vq, &msg);
			pr_debug_ratelimited("dev %u: RX packet of %d bytes dropped\n",
					     vq->dev->id, plen);
			continue;
		}
		if (count < 0)
			break;
		if (!count) {
			if (unlikely(vhs_enable_notify(vq))) {
				vhs_disable_notify(vq);
				continue;
			}
			/* Keep the packet; the guest's kick brings us back. */
			break;
		}
		if (vq->rx_ring)
			vq->rxq.head++;

		vhs_fill_iov(vq, 0, nseg);
		iov_iter_init(&msg.msg_iter, ITER_DEST, vq->iov, nseg, total);
		iov_iter_advance(&msg.msg_iter, vq->vhost_hlen);
		err = sock->ops->recvmsg(sock, &msg, sock_len,
					 MSG_DONTWAIT | MSG_TRUNC);
		if (unlikely(err == -EFAULT)) {
			vhs_vq_fail(vq, err, "RX buffer not writable");
			break;
		}
		if (unlikely(err != sock_len)) {
			/* Somebody else read the socket meanwhile. */
			pr_debug_ratelimited("dev %u: RX recvmsg %d, expected %zu\n",
					     vq->dev->id, err, sock_len);
			vq->last_avail_idx -= count;
			continue;
		}
		if (vhs_rx_header(vq, nseg, count, mergeable))
			break;
		if (logging)
			vhs_rx_log(vq, nlog, total);
		vq->nheads += count;
		(*pkts)++;
		*bytes += plen;
		if (vhs_over_budget(*pkts, *bytes)) {
			vhs_vq_queue_work(vq);
			break;
		}
	}
	vhs_flush_and_signal(vq);
out:
	mutex_unlock(&vq->mutex);
}

/* --------------------------------------------------------------- backends */

static struct socket *vhs_get_raw_socket(int fd)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return ERR_PTR(-ENOTSOCK);
	if (sock->sk->sk_type != SOCK_RAW) {
		err = -ESOCKTNOSUPPORT;
		goto err_put;
	}
	if (sock->sk->sk_family != AF_PACKET) {
		err = -EPFNOSUPPORT;
		goto err_put;
	}
	return sock;

err_put:
	sockfd_put(sock);
	return ERR_PTR(err);
}

static struct socket *vhs_get_tap_socket(int fd)
{
	struct file *file = fget(fd);
	struct socket *sock;

	if (!file)
		return ERR_PTR(-EBADF);
	sock = tun_get_socket(file);
	if (!IS_ERR(sock))
		return sock;
	sock = tap_get_socket(file);
	if (IS_ERR(sock))
		fput(file);
	return sock;
}

/*
 * The backend of VHOST_NET_SET_BACKEND: NULL for fd -1 (detach), a tap/tun
 * queue or an AF_PACKET raw socket (holding a file reference), or
 * ERR_PTR(-ENOTSOCK) for anything else, as stock vhost-net answers.
 */
struct socket *vhs_get_socket(int fd)
{
	struct socket *sock;

	if (fd == -1)
		return NULL;
	sock = vhs_get_raw_socket(fd);
	if (!IS_ERR(sock))
		return sock;
	sock = vhs_get_tap_socket(fd);
	if (!IS_ERR(sock))
		return sock;
	return ERR_PTR(-ENOTSOCK);
}

struct ptr_ring *vhs_get_tap_ring(struct socket *sock)
{
	struct ptr_ring *ring;

	ring = tun_get_tx_ring(sock->file);
	if (!IS_ERR(ring))
		return ring;
	ring = tap_get_ptr_ring(sock->file);
	if (!IS_ERR(ring))
		return ring;
	return NULL;
}
