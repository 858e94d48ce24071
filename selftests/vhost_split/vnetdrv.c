// SPDX-License-Identifier: GPL-2.0
/*
 * vnetdrv: userspace virtio-net test driver for vhost-net compatible devices.
 *
 *   vnetdrv loopback --dev D --tap T [--tap T2 ...]   TX -> backend -> RX
 *   vnetdrv forward  --dev D --tap A --tap B          A.rx -> B.tx router
 *   vnetdrv hostile  --dev D --tap T --tap T2 --case C
 *   vnetdrv misuse   --dev D --tap T
 *   vnetdrv ownerkill --dev D --tap T
 *
 * Loopback needs the backend to send TX frames back (the tests put a tc
 * mirred redirect on the tap's ingress). Each --tap adds one device; with
 * two, both run at once. Results are printed as one JSON line; the exit
 * status is 0 only when every frame came back intact, no notification was
 * lost and (--log) every page the device wrote is marked dirty.
 *
 * Every wait is bounded (--timeout, ms without progress).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vnet.h"

#define MAX_PORTS	4
#define MAX_FRAME	65549
#define MAX_SIZES	16

struct port {
	struct vdev d;
	const char *name;
	int bfd;
	uint32_t *rx_free, rx_nfree;
	uint32_t *tx_free, tx_nfree;
	uint8_t *asm_buf;
	size_t asm_len;
	unsigned int asm_left;
	bool asm_bad;
	uint64_t sent, rcvd, corrupt, dup, foreign, bytes, dev_errors;
	uint64_t lost_calls, drops;
	uint8_t *seen;
	/* dirty log: ranges the device wrote, checked after a quiesce */
	uint64_t (*wr)[2];
	size_t nwr, wr_max;
	uint64_t log_fail;
	uint64_t detached_progress;
};

static struct {
	struct vnet_opts o;
	const char *dev2, *kind;
	const char *tap[MAX_PORTS];
	unsigned int ntap, nregions, nsizes, detach_cycles;
	size_t sizes[MAX_SIZES];
	uint64_t count, duration_ms;
	bool gso, bidir, reset;
	uint8_t dst_mac[6];
	const char *hcase;
} cfg;

static struct gmem gm;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void rx_refill(struct port *p)
{
	struct vq *vq = &p->d.vq[VNET_RX];
	bool added = false;

	while (p->rx_nfree) {
		uint32_t b = p->rx_free[p->rx_nfree - 1];

		if (vq_add(vq, &gm, b, vq->bufsz, true) < 0)
			break;
		p->rx_nfree--;
		added = true;
	}
	if (added) {
		vq_publish(vq);
		if (vq_kick_needed(vq))
			vq_kick(vq);
	}
}

static void port_note_write(struct port *p, uint64_t gpa, uint64_t len)
{
	if (!p->d.log)
		return;
	if (p->nwr == p->wr_max) {
		size_t n = p->wr_max ? 2 * p->wr_max : 4096;
		void *w = realloc(p->wr, n * sizeof(p->wr[0]));

		if (!w)
			return;
		p->wr = w;
		p->wr_max = n;
	}
	p->wr[p->nwr][0] = gpa;
	p->wr[p->nwr][1] = len;
	p->nwr++;
}

static void port_note_used(struct port *p, struct vq *vq)
{
	uint16_t i = vq->last_used - 1;

	port_note_write(p, vq->used_gpa + 2, 2);
	port_note_write(p, vq->used_gpa + 4 + 8ULL * (i % vq->num), 8);
}

typedef void (*frame_cb)(struct port *p, uint8_t *f, size_t len);

static int port_rx(struct port *p, frame_cb cb)
{
	struct vq *vq = &p->d.vq[VNET_RX];
	size_t hl = p->d.hdr_len;
	bool mrg = p->d.features & (1ULL << VIRTIO_NET_F_MRG_RXBUF);
	uint32_t len;
	int b, n = 0;

	while ((b = vq_get_used(vq, &len)) != -EAGAIN) {
		uint64_t gpa;
		size_t off = 0;

		if (b < 0 || len > vq->bufsz) {
			p->dev_errors++;
			if (b >= 0)
				p->rx_free[p->rx_nfree++] = b;
			continue;
		}
		gpa = vq_buf_gpa(vq, b);
		port_note_used(p, vq);
		port_note_write(p, gpa, len);
		if (!p->asm_left) {
			struct virtio_net_hdr_mrg_rxbuf h = { 0 };

			if (len < hl) {
				p->dev_errors++;
				p->rx_free[p->rx_nfree++] = b;
				continue;
			}
			gmem_read(&gm, gpa, &h, hl);
			p->asm_left = mrg ? h.num_buffers : 1;
			if (!p->asm_left)
				p->asm_left = 1;
			p->asm_len = 0;
			p->asm_bad = false;
			off = hl;
		}
		if (p->asm_len + len - off > MAX_FRAME + 64)
			p->asm_bad = true;
		else
			gmem_read(&gm, gpa + off, p->asm_buf + p->asm_len,
				  len - off);
		p->asm_len += len - off;
		p->asm_left--;
		p->rx_free[p->rx_nfree++] = b;
		if (!p->asm_left) {
			if (p->asm_bad)
				p->corrupt++;
			else
				cb(p, p->asm_buf, p->asm_len);
			n++;
		}
	}
	rx_refill(p);
	return n;
}

static void tx_reclaim(struct port *p)
{
	struct vq *vq = &p->d.vq[VNET_TX];
	uint32_t len;
	int b;

	while ((b = vq_get_used(vq, &len)) != -EAGAIN) {
		if (b < 0) {
			p->dev_errors++;
			continue;
		}
		port_note_used(p, vq);
		p->tx_free[p->tx_nfree++] = b;
	}
}

static int port_tx(struct port *p, const uint8_t *f, size_t len, bool gso)
{
	struct vq *vq = &p->d.vq[VNET_TX];
	struct virtio_net_hdr_mrg_rxbuf h;
	uint32_t b;
	uint64_t gpa;

	if (!p->tx_nfree)
		tx_reclaim(p);
	if (!p->tx_nfree || p->d.hdr_len + len > vq->bufsz)
		return -ENOSPC;
	b = p->tx_free[--p->tx_nfree];
	gpa = vq_buf_gpa(vq, b);
	frame_vnet_hdr(&h, len, gso);
	gmem_write(&gm, gpa, &h, p->d.hdr_len);
	gmem_write(&gm, gpa + p->d.hdr_len, f, len);
	if (vq_add(vq, &gm, b, p->d.hdr_len + len, false) < 0) {
		p->tx_free[p->tx_nfree++] = b;
		return -ENOSPC;
	}
	return 0;
}

static void port_tx_flush(struct port *p)
{
	struct vq *vq = &p->d.vq[VNET_TX];

	vq_publish(vq);
	if (vq_kick_needed(vq))
		vq_kick(vq);
}

/* Wait up to ms for any call on any port; counts lost notifications. */
static void ports_wait(struct port *ps, unsigned int n, unsigned int ms)
{
	struct pollfd pfd[2 * MAX_PORTS];
	unsigned int i, j;
	bool pending = false;
	uint64_t v;

	for (i = 0; i < n; i++)
		for (j = 0; j < 2; j++) {
			struct vq *vq = &ps[i].d.vq[j];

			vq_want_call(vq);
			pending |= vq_has_used(vq);
			pfd[2 * i + j].fd = vq->call;
			pfd[2 * i + j].events = POLLIN;
		}
	if (pending)
		ms = 0;
	if (poll(pfd, 2 * n, ms) > 0) {
		for (i = 0; i < 2 * n; i++)
			if (pfd[i].revents & POLLIN &&
			    read(pfd[i].fd, &v, sizeof(v)) == sizeof(v))
				ps[i / 2].d.vq[i % 2].calls++;
		return;
	}
	if (pending)
		return;
	/* Timed out: used elements published without a call are a bug. */
	for (i = 0; i < n; i++)
		for (j = 0; j < 2; j++) {
			struct vq *vq = &ps[i].d.vq[j];

			if (vq_has_used(vq) && efd_wait(vq->call, 2000) <= 0)
				ps[i].lost_calls++;
		}
}

/*
 * A persistent tap loses its carrier while no fd is attached; the kernel
 * then swaps in the noop qdisc (dropping everything sent to the tap) until
 * linkwatch sees the carrier back, which under TCG load can take seconds.
 * Wait (bounded) until the tap's operstate is no longer "down".
 */
static void tap_wait_carrier(const char *name)
{
	char path[128], state[32];
	int i;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	for (i = 0; i < 100; i++) {
		FILE *f = fopen(path, "r");

		if (!f)
			return;
		state[0] = 0;
		if (!fgets(state, sizeof(state), f))
			state[0] = 0;
		fclose(f);
		if (strncmp(state, "down", 4))
			break;
		usleep(50000);
	}
	usleep(50000);
}

static int port_init(struct port *p, const char *dev, const char *name,
		     int fd)
{
	unsigned int i;
	int r = 0;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->bfd = -1;
	if (fd >= 0) {
		p->d.fd = fd;
		p->d.path = dev;
		p->d.gm = &gm;
		p->d.backend = -1;
	} else {
		r = vdev_open(&p->d, dev, &gm);
	}
	if (r) {
		fprintf(stderr, "vnetdrv: open %s: %s\n", dev, strerror(-r));
		return r;
	}
	r = vdev_setup(&p->d, &cfg.o);
	if (r)
		return r;
	p->asm_buf = malloc(MAX_FRAME + 128);
	p->rx_free = calloc(cfg.o.ring, sizeof(uint32_t));
	p->tx_free = calloc(cfg.o.ring, sizeof(uint32_t));
	if (!p->asm_buf || !p->rx_free || !p->tx_free)
		return -ENOMEM;
	for (i = 0; i < cfg.o.ring; i++) {
		p->rx_free[p->rx_nfree++] = cfg.o.ring - 1 - i;
		p->tx_free[p->tx_nfree++] = cfg.o.ring - 1 - i;
	}
	if (name) {
		p->bfd = vnet_backend_open(cfg.kind, name, p->d.hdr_len,
					   cfg.o.vhost_hdr, cfg.gso);
		if (p->bfd < 0) {
			fprintf(stderr, "vnetdrv: backend %s %s: %s\n",
				cfg.kind, name, strerror(-p->bfd));
			return p->bfd;
		}
	}
	rx_refill(p);
	if (name && !strcmp(cfg.kind, "tap"))
		tap_wait_carrier(name);
	if (name)
		return vdev_set_backend(&p->d, p->bfd);
	return 0;
}

static void port_fini(struct port *p)
{
	vdev_close(&p->d);
	if (p->bfd >= 0)
		close(p->bfd);
	free(p->asm_buf);
	free(p->rx_free);
	free(p->tx_free);
	free(p->seen);
	free(p->wr);
}

/* ---- loopback ---- */

static void lb_frame(struct port *p, uint8_t *f, size_t len)
{
	uint32_t seq;
	int r = frame_check(f, len, &seq, cfg.gso);

	if (r > 0) {
		p->foreign++;
		return;
	}
	if (r < 0 || seq >= cfg.count) {
		if (p->corrupt < 5)
			fprintf(stderr, "vnetdrv: %s: corrupt frame len %zu seq %u\n",
				p->d.path, len, seq);
		p->corrupt++;
		return;
	}
	if (p->seen[seq / 8] & (1 << (seq % 8))) {
		p->dup++;
		return;
	}
	p->seen[seq / 8] |= 1 << (seq % 8);
	p->rcvd++;
	p->bytes += len;
}

static size_t frame_size(uint64_t seq)
{
	return cfg.sizes[seq % cfg.nsizes];
}

static unsigned int lb_window(struct port *p)
{
	size_t maxsz = 0, per;
	unsigned int i, rxbufs, w;

	for (i = 0; i < cfg.nsizes; i++)
		if (cfg.sizes[i] > maxsz)
			maxsz = cfg.sizes[i];
	per = (maxsz + p->d.hdr_len + p->d.vq[VNET_RX].bufsz - 1) /
	      p->d.vq[VNET_RX].bufsz;
	rxbufs = cfg.o.ring;
	if (!cfg.o.indirect && cfg.o.segs > 1)
		rxbufs /= cfg.o.segs;
	w = rxbufs / per / 2;
	return w ? w : 1;
}

static void port_detach_cycle(struct port *p)
{
	static uint8_t f[MAX_FRAME];
	uint16_t used0;
	unsigned int i;

	vdev_set_backend(&p->d, -1);
	used0 = p->d.vq[VNET_TX].used->idx;
	for (i = 0; i < 8 && p->sent < cfg.count; i++) {
		size_t len = frame_build(f, frame_size(p->sent), p->sent,
					 cfg.gso);

		if (port_tx(p, f, len, cfg.gso))
			break;
		p->sent++;
	}
	port_tx_flush(p);
	usleep(100000);
	if (p->d.vq[VNET_TX].used->idx != used0)
		p->detached_progress++;
	vdev_set_backend(&p->d, p->bfd);
}

static int run_loopback(struct port *ps, unsigned int n)
{
	static uint8_t f[MAX_FRAME];
	uint64_t t0 = now_ns(), last = t0, progress = 0, p0;
	unsigned int i, win[MAX_PORTS], cyc[MAX_PORTS] = { 0 };
	bool done;

	for (i = 0; i < n; i++) {
		ps[i].seen = calloc(cfg.count / 8 + 1, 1);
		if (!ps[i].seen)
			return -ENOMEM;
		win[i] = lb_window(&ps[i]);
	}
	for (;;) {
		done = true;
		p0 = progress;
		for (i = 0; i < n; i++) {
			struct port *p = &ps[i];
			bool queued = false;

			progress += port_rx(p, lb_frame);
			tx_reclaim(p);
			if (cyc[i] < cfg.detach_cycles &&
			    p->rcvd * (cfg.detach_cycles + 1) >=
			    cfg.count * (cyc[i] + 1)) {
				cyc[i]++;
				port_detach_cycle(p);
			}
			while (p->sent < cfg.count &&
			       p->sent - p->rcvd < win[i]) {
				size_t len = frame_build(f, frame_size(p->sent),
							 p->sent, cfg.gso);

				if (port_tx(p, f, len, cfg.gso))
					break;
				p->sent++;
				queued = true;
			}
			if (queued)
				port_tx_flush(p);
			if (p->rcvd < cfg.count)
				done = false;
		}
		if (done)
			break;
		if (progress != p0)
			last = now_ns();
		else if (now_ns() - last > cfg.o.timeout_ms * 1000000ULL)
			break;
		ports_wait(ps, n, 100);
	}
	return (int)((now_ns() - t0) / 1000000);
}

static int port_log_verify(struct port *p)
{
	size_t i;

	if (!p->d.log)
		return 0;
	/* Stock vhost logs after publishing used: quiesce first. */
	vdev_set_backend(&p->d, -1);
	for (i = 0; i < p->nwr; i++)
		if (vdev_log_check(&p->d, p->wr[i][0], p->wr[i][1]))
			p->log_fail++;
	return p->log_fail ? -1 : 0;
}

static bool port_report(struct port *p, const char *mode, int ms)
{
	int rx_err = efd_wait(p->d.vq[VNET_RX].err, 0) > 0;
	int tx_err = efd_wait(p->d.vq[VNET_TX].err, 0) > 0;
	bool ok = p->rcvd == cfg.count && !p->corrupt && !p->dup &&
		  !p->lost_calls && !p->dev_errors && !p->log_fail &&
		  !rx_err && !tx_err;
	unsigned int straddling = p->d.vq[0].straddling + p->d.vq[1].straddling;

	if (cfg.nregions > 1 && !straddling) {
		fprintf(stderr, "vnetdrv: --regions: no buffer straddles a region\n");
		ok = false;
	}

	printf("{\"mode\":\"%s\",\"dev\":\"%s\",\"backend\":\"%s\",\"features\":\"%#llx\","
	       "\"sent\":%llu,\"received\":%llu,\"bytes\":%llu,\"corrupt\":%llu,"
	       "\"dup\":%llu,\"foreign\":%llu,\"lost_calls\":%llu,\"dev_errors\":%llu,"
	       "\"straddling\":%u,\"log_ranges\":%zu,\"log_fail\":%llu,"
	       "\"detached_progress\":%llu,\"tx_kicks\":%llu,\"rx_calls\":%llu,"
	       "\"vq_err\":[%d,%d],\"tx_unconsumed\":%u,\"rx_posted\":%u,"
	       "\"elapsed_ms\":%d,\"ok\":%s}\n",
	       mode, p->d.path, p->name ? p->name : "",
	       (unsigned long long)p->d.features,
	       (unsigned long long)p->sent, (unsigned long long)p->rcvd,
	       (unsigned long long)p->bytes, (unsigned long long)p->corrupt,
	       (unsigned long long)p->dup, (unsigned long long)p->foreign,
	       (unsigned long long)p->lost_calls,
	       (unsigned long long)p->dev_errors,
	       straddling, p->nwr,
	       (unsigned long long)p->log_fail,
	       (unsigned long long)p->detached_progress,
	       (unsigned long long)p->d.vq[VNET_TX].kicks,
	       (unsigned long long)p->d.vq[VNET_RX].calls, rx_err, tx_err,
	       (uint16_t)(p->d.vq[VNET_TX].avail_idx - p->d.vq[VNET_TX].used->idx),
	       (uint16_t)(p->d.vq[VNET_RX].avail_idx - p->d.vq[VNET_RX].used->idx),
	       ms,
	       ok ? "true" : "false");
	fflush(stdout);
	return ok;
}

static void port_reset_stats(struct port *p)
{
	p->sent = p->rcvd = p->corrupt = p->dup = p->foreign = p->bytes = 0;
	p->lost_calls = p->dev_errors = 0;
	free(p->seen);
	p->seen = NULL;
}

/* RESET_OWNER, then set the same fd up again from scratch. */
static int port_reset_owner(struct port *p)
{
	const char *path = p->d.path;
	int i, r;

	if (ioctl(p->d.fd, VHOST_RESET_OWNER) < 0) {
		fprintf(stderr, "vnetdrv: RESET_OWNER: %s\n", strerror(errno));
		return -errno;
	}
	for (i = 0; i < 2; i++) {
		close(p->d.vq[i].kick);
		close(p->d.vq[i].call);
		close(p->d.vq[i].err);
		free(p->d.vq[i].heads);
	}
	r = vdev_setup(&p->d, &cfg.o);
	if (r)
		return r;
	p->d.path = path;
	p->rx_nfree = p->tx_nfree = 0;
	for (i = 0; i < (int)cfg.o.ring; i++) {
		p->rx_free[p->rx_nfree++] = cfg.o.ring - 1 - i;
		p->tx_free[p->tx_nfree++] = cfg.o.ring - 1 - i;
	}
	p->asm_left = 0;
	rx_refill(p);
	return vdev_set_backend(&p->d, p->bfd);
}

static int mode_loopback(void)
{
	struct port ps[MAX_PORTS];
	unsigned int i, n = cfg.ntap;
	bool ok = true;
	int ms, r;

	for (i = 0; i < n; i++) {
		const char *dev = (i & 1) && cfg.dev2 ? cfg.dev2 : cfg.o.dev;

		r = port_init(&ps[i], dev, cfg.tap[i], -1);
		if (r)
			return 1;
	}
	ms = run_loopback(ps, n);
	if (ms < 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (!cfg.reset)
			port_log_verify(&ps[i]);
		ok &= port_report(&ps[i], cfg.reset ? "loopback-before-reset" :
				  "loopback", ms);
	}
	if (cfg.reset) {
		for (i = 0; i < n; i++) {
			port_reset_stats(&ps[i]);
			if (port_reset_owner(&ps[i]))
				return 1;
		}
		ms = run_loopback(ps, n);
		for (i = 0; i < n; i++) {
			port_log_verify(&ps[i]);
			ok &= port_report(&ps[i], "loopback-after-reset", ms);
		}
	}
	for (i = 0; i < n; i++)
		port_fini(&ps[i]);
	return ok ? 0 : 1;
}

/* ---- forward: a router stand-in ---- */

static struct port *fwd_out;
static unsigned int fwd_wait_ms, fwd_batch;

static void fwd_frame(struct port *p, uint8_t *f, size_t len)
{
	uint8_t *ip = f + 14;
	uint32_t s;

	if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || (ip[0] >> 4) != 4 ||
	    ip[8] <= 1) {
		p->drops++;
		return;
	}
	memcpy(f, cfg.dst_mac, 6);
	ip[8]--;
	/* RFC 1624 incremental update: TTL is the high byte of word 4 */
	s = (uint16_t)~((ip[10] << 8) | ip[11]);
	s += 0xfeff;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	ip[10] = s >> 8;
	ip[11] = s & 0xff;
	if (port_tx(fwd_out, f, len, false)) {
		/*
		 * TX ring full: publish what is queued and give the device
		 * a bounded time to complete some (--no-drop), else drop as
		 * a router would.
		 */
		struct vq *tq = &fwd_out->d.vq[VNET_TX];
		uint64_t until = now_ns() + fwd_wait_ms * 1000000ULL;
		bool sent = false;

		port_tx_flush(fwd_out);
		while (fwd_wait_ms && now_ns() < until) {
			vq_want_call(tq);
			if (!vq_has_used(tq))
				efd_wait(tq->call, 10);
			if (!port_tx(fwd_out, f, len, false)) {
				sent = true;
				break;
			}
		}
		if (!sent) {
			p->drops++;
			return;
		}
	}
	if (++fwd_batch % 32 == 0)
		port_tx_flush(fwd_out);
	p->rcvd++;
	p->bytes += len;
}

/*
 * Frames the device has not consumed yet are lost when the driver closes
 * it, as a real guest's would be on shutdown: before reporting, give the
 * device up to ms to complete every queued TX buffer. Returns how many
 * are still outstanding.
 */
static unsigned int tx_drain(struct port *p, unsigned int ms)
{
	struct vq *vq = &p->d.vq[VNET_TX];
	uint64_t until = now_ns() + ms * 1000000ULL;

	port_tx_flush(p);
	for (;;) {
		tx_reclaim(p);
		if (vq->last_used == vq->avail_idx || now_ns() >= until)
			break;
		vq_want_call(vq);
		if (!vq_has_used(vq))
			efd_wait(vq->call, 10);
	}
	return (uint16_t)(vq->avail_idx - vq->last_used);
}

static int mode_forward(void)
{
	struct port ps[2];
	uint64_t t0 = 0, tlast, deadline, idle = cfg.o.timeout_ms * 1000000ULL;
	uint64_t pkts, bytes, drops;
	unsigned int i, unconsumed = 0;

	if (cfg.ntap != 2) {
		fprintf(stderr, "vnetdrv: forward needs two --tap\n");
		return 2;
	}
	for (i = 0; i < 2; i++)
		if (port_init(&ps[i], i && cfg.dev2 ? cfg.dev2 : cfg.o.dev,
			      cfg.tap[i], -1))
			return 1;
	/* Announce readiness so a script can start its traffic source. */
	printf("{\"ready\":true}\n");
	fflush(stdout);
	deadline = now_ns() + (cfg.duration_ms ? cfg.duration_ms : 600000) *
		   1000000ULL;
	tlast = now_ns();
	for (;;) {
		uint64_t got = 0, t;

		for (i = 0; i < 2; i++) {
			if (i == 1 && !cfg.bidir)
				break;
			fwd_out = &ps[!i];
			got += port_rx(&ps[i], fwd_frame);
			tx_reclaim(&ps[!i]);
			port_tx_flush(&ps[!i]);
		}
		t = now_ns();
		if (got) {
			if (!t0)
				t0 = t;
			tlast = t;
		}
		if (t > deadline || (cfg.count && ps[0].rcvd + ps[1].rcvd >=
				     cfg.count))
			break;
		/* idle timeout only once traffic started; --duration bounds */
		if (t0 && t - tlast > idle)
			break;
		ports_wait(ps, 2, 50);
	}
	for (i = 0; i < 2; i++)
		unconsumed += tx_drain(&ps[i], cfg.o.timeout_ms);
	pkts = ps[0].rcvd + ps[1].rcvd;
	bytes = ps[0].bytes + ps[1].bytes;
	drops = ps[0].drops + ps[1].drops;
	printf("{\"mode\":\"forward\",\"dev\":\"%s\",\"packets\":%llu,\"bytes\":%llu,"
	       "\"elapsed_ns\":%llu,\"drops\":%llu,\"lost_calls\":%llu,"
	       "\"dev_errors\":%llu,\"tx_unconsumed\":%u}\n", cfg.o.dev,
	       (unsigned long long)pkts, (unsigned long long)bytes,
	       (unsigned long long)(t0 ? tlast - t0 : 0),
	       (unsigned long long)drops,
	       (unsigned long long)(ps[0].lost_calls + ps[1].lost_calls),
	       (unsigned long long)(ps[0].dev_errors + ps[1].dev_errors),
	       unconsumed);
	for (i = 0; i < 2; i++)
		port_fini(&ps[i]);
	return 0;
}

/* ---- owner killed during traffic ---- */

static void frame_nop(struct port *p, uint8_t *f, size_t len)
{
	(void)f;
	(void)len;
	p->rcvd++;
}

static int mode_ownerkill(void)
{
	struct vhost_memory m = { 0 };
	int pfd[2], st, fd, r = 0;
	pid_t pid;
	char c;

	fd = open(cfg.o.dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 || pipe(pfd))
		return 1;
	pid = fork();
	if (pid == 0) {
		struct port p;
		uint64_t n = 0;

		static uint8_t f[2048];

		close(pfd[0]);
		memset(&p, 0, sizeof(p));
		p.bfd = -1;
		/* The child becomes the owner of the parent's open file. */
		if (port_init(&p, cfg.o.dev, cfg.tap[0], fd))
			_exit(3);
		for (;;) {
			size_t len = frame_build(f, 60, n, false);

			tx_reclaim(&p);
			port_rx(&p, frame_nop);
			if (!port_tx(&p, f, len, false))
				n++;
			port_tx_flush(&p);
			if (n == 200 && write(pfd[1], "x", 1) != 1)
				_exit(4);
			ports_wait(&p, 1, 10);
		}
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		fprintf(stderr, "vnetdrv: owner child never got traffic going\n");
		r = 1;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* The parent is not the owner of its own fd either: EPERM on stock */
	if (ioctl(fd, VHOST_SET_MEM_TABLE, &m) == 0) {
		fprintf(stderr, "vnetdrv: non-owner SET_MEM_TABLE succeeded\n");
		r = 1;
	}
	close(fd);
	printf("{\"mode\":\"ownerkill\",\"dev\":\"%s\",\"child_traffic\":%s,\"ok\":%s}\n",
	       cfg.o.dev, r ? "false" : "true", r ? "false" : "true");
	return r;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vnetdrv loopback|forward|ownerkill|hostile|misuse [options]\n"
		"  --dev PATH        vhost device (default /dev/vhost-net)\n"
		"  --dev2 PATH       device for the 2nd --tap (default --dev)\n"
		"  --tap NAME        backend (repeat: one device per backend)\n"
		"  --backend K       tap (default) | macvtap (NAME=/dev/tapN) | packet\n"
		"  --count N --size S[,S...] --gso --ring N --regions N --segs N\n"
		"  --no-version1 --no-mrg --no-event-idx --no-indirect --vhost-hdr\n"
		"  --log             VHOST_F_LOG_ALL, verify the dirty bitmap\n"
		"  --reset           RESET_OWNER after the run and run again\n"
		"  --detach N        detach/attach the backend N times under traffic\n"
		"  --timeout MS      give up after MS without progress (default 5000)\n"
		"  --duration MS --bidir --dst-mac M --no-drop  (forward)\n"
		"  --case NAME|all   (hostile)\n");
}

static int parse_sizes(const char *s)
{
	char *end;

	cfg.nsizes = 0;
	while (*s && cfg.nsizes < MAX_SIZES) {
		unsigned long v = strtoul(s, &end, 0);

		if (end == s || v < 54 || v > MAX_FRAME)
			return -1;
		cfg.sizes[cfg.nsizes++] = v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return cfg.nsizes ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, 0, 'd' }, { "dev2", 1, 0, 'D' },
		{ "tap", 1, 0, 't' }, { "backend", 1, 0, 'b' },
		{ "count", 1, 0, 'n' }, { "size", 1, 0, 's' },
		{ "gso", 0, 0, 'g' }, { "ring", 1, 0, 'r' },
		{ "regions", 1, 0, 'R' }, { "segs", 1, 0, 'S' },
		{ "no-version1", 0, 0, '1' }, { "no-mrg", 0, 0, 'm' },
		{ "no-event-idx", 0, 0, 'e' }, { "no-indirect", 0, 0, 'i' },
		{ "vhost-hdr", 0, 0, 'H' }, { "log", 0, 0, 'l' },
		{ "reset", 0, 0, 'x' }, { "detach", 1, 0, 'a' },
		{ "timeout", 1, 0, 'T' }, { "duration", 1, 0, 'u' },
		{ "bidir", 0, 0, 'B' }, { "dst-mac", 1, 0, 'M' },
		{ "case", 1, 0, 'c' }, { "no-drop", 0, 0, 'N' }, { 0 }
	};
	const char *mode;
	size_t maxsz = 0;
	unsigned int i, ndev;
	int c, r;

	if (argc < 2) {
		usage();
		return 2;
	}
	mode = argv[1];
	cfg.o.dev = "/dev/vhost-net";
	cfg.o.ring = 256;
	cfg.o.version1 = cfg.o.mrg = cfg.o.event_idx = cfg.o.indirect = true;
	cfg.o.segs = 1;
	cfg.o.timeout_ms = 5000;
	cfg.kind = "tap";
	cfg.count = 1000;
	cfg.nregions = 1;
	cfg.sizes[0] = 60;
	cfg.nsizes = 1;
	memcpy(cfg.dst_mac, "\x02\x00\x00\x00\x00\x03", 6);
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.o.dev = optarg; break;
		case 'D': cfg.dev2 = optarg; break;
		case 't':
			if (cfg.ntap == MAX_PORTS)
				return 2;
			cfg.tap[cfg.ntap++] = optarg;
			break;
		case 'b': cfg.kind = optarg; break;
		case 'n': cfg.count = strtoull(optarg, NULL, 0); break;
		case 's':
			if (parse_sizes(optarg)) {
				fprintf(stderr, "vnetdrv: bad --size %s\n", optarg);
				return 2;
			}
			break;
		case 'g': cfg.gso = true; break;
		case 'r': cfg.o.ring = strtoul(optarg, NULL, 0); break;
		case 'R': cfg.nregions = strtoul(optarg, NULL, 0); break;
		case 'S': cfg.o.segs = strtoul(optarg, NULL, 0); break;
		case '1': cfg.o.version1 = false; break;
		case 'm': cfg.o.mrg = false; break;
		case 'e': cfg.o.event_idx = false; break;
		case 'i': cfg.o.indirect = false; break;
		case 'H': cfg.o.vhost_hdr = true; break;
		case 'l': cfg.o.log = true; break;
		case 'x': cfg.reset = true; break;
		case 'a': cfg.detach_cycles = strtoul(optarg, NULL, 0); break;
		case 'T': cfg.o.timeout_ms = strtoul(optarg, NULL, 0); break;
		case 'u': cfg.duration_ms = strtoull(optarg, NULL, 0); break;
		case 'B': cfg.bidir = true; break;
		case 'M':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				   &cfg.dst_mac[0], &cfg.dst_mac[1],
				   &cfg.dst_mac[2], &cfg.dst_mac[3],
				   &cfg.dst_mac[4], &cfg.dst_mac[5]) != 6)
				return 2;
			break;
		case 'c': cfg.hcase = optarg; break;
		case 'N': fwd_wait_ms = 1000; break;
		default:
			usage();
			return 2;
		}
	}
	if (!cfg.o.ring || cfg.o.ring > 32768 || (cfg.o.ring & (cfg.o.ring - 1)) ||
	    !cfg.o.segs || cfg.o.segs > VNET_MAX_SEGS) {
		fprintf(stderr, "vnetdrv: bad --ring or --segs\n");
		return 2;
	}
	for (i = 0; i < cfg.nsizes; i++)
		if (cfg.sizes[i] > maxsz)
			maxsz = cfg.sizes[i];
	if (cfg.gso && maxsz < 1514)
		maxsz = MAX_FRAME;
	cfg.o.tx_bufsz = maxsz + 12;
	if (cfg.o.mrg)
		cfg.o.rx_bufsz = 1600;
	else
		cfg.o.rx_bufsz = (cfg.gso ? MAX_FRAME : 1514) + 12;
	if (cfg.o.rx_bufsz < cfg.o.segs * 16)
		cfg.o.rx_bufsz = cfg.o.segs * 16;
	ndev = (cfg.ntap ? cfg.ntap : 1) * (cfg.reset ? 2 : 1) + 2;
	/*
	 * --regions N: regions of 1/N of one device's needs, so the buffer
	 * pools of every device cross region boundaries.
	 */
	if (cfg.nregions > 1) {
		uint64_t one = vnet_mem_needed(&cfg.o, 1);

		cfg.nregions = (ndev * one) / (one / cfg.nregions) + 1;
		if (cfg.nregions > VNET_MAX_REGIONS) {
			fprintf(stderr, "vnetdrv: too many regions\n");
			return 2;
		}
	}
	r = gmem_init(&gm, cfg.nregions, vnet_mem_needed(&cfg.o, ndev));
	if (r) {
		fprintf(stderr, "vnetdrv: guest memory: %s\n", strerror(-r));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(mode, "loopback"))
		return cfg.ntap ? mode_loopback() : 2;
	if (!strcmp(mode, "forward"))
		return mode_forward();
	if (!strcmp(mode, "ownerkill"))
		return cfg.ntap ? mode_ownerkill() : 2;
	if (!strcmp(mode, "hostile"))
		return mode_hostile(&cfg.o, cfg.kind, cfg.tap[0],
				    cfg.ntap > 1 ? cfg.tap[1] : NULL,
				    cfg.hcase ? cfg.hcase : "all");
	if (!strcmp(mode, "list-hostile")) {
		hostile_list();
		return 0;
	}
	if (!strcmp(mode, "misuse"))
		return mode_misuse(cfg.o.dev, cfg.ntap ? cfg.tap[0] : NULL);
	usage();
	return 2;
}

/* Used by hostile mode: a fresh device on tap passes count frames. */
int vnet_healthy_loopback(const char *dev, const char *tap, uint64_t count)
{
	uint64_t saved_count = cfg.count, brk = gm.brk;
	struct port p;
	bool ok;
	int ms;

	cfg.count = count;
	if (port_init(&p, dev, tap, -1)) {
		port_fini(&p);
		gmem_release(&gm, brk);
		cfg.count = saved_count;
		return -1;
	}
	ms = run_loopback(&p, 1);
	ok = ms >= 0 && port_report(&p, "healthy-loopback", ms);
	port_fini(&p);
	gmem_release(&gm, brk);
	cfg.count = saved_count;
	return ok ? 0 : 1;
}
