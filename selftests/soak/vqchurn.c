// SPDX-License-Identifier: GPL-2.0
/*
 * vqchurn: one extra reader of a macvtap_mq queue for the soak run, behind
 * its own vhost device (the vhost_split test driver's ring code), whose
 * backend and queue attachment the soak's churn loop toggles under traffic.
 *
 *   vqchurn --dev /dev/vhost-split --tap /dev/tapN [--ring N] [--idle MS]
 *
 *   SIGUSR1          backend: detach (VHOST_NET_SET_BACKEND -1) if attached,
 *                    else attach it again
 *   SIGUSR2          queue: TUNSETQUEUE IFF_DETACH_QUEUE if attached, else
 *                    IFF_ATTACH_QUEUE
 *   SIGTERM, SIGINT  attach the backend, detach the queue, drain what the
 *                    ring still holds, print one JSON line and exit 0
 *
 * Every transition is logged on stderr with a wall-clock timestamp. Frames
 * are counted once each (a merged-buffer chain is one frame), so the soak
 * can put "read by vqchurn" into its packet accounting. Single threaded;
 * the signal handlers only bump counters the main loop acts on.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "vnet.h"

static volatile sig_atomic_t want_backend, want_queue, want_stop;

static struct {
	struct gmem gm;
	struct vdev d;
	int qfd;
	bool backend_on, queue_on;
	uint64_t frames, buffers, dev_errors, backend_cycles, queue_cycles;
	uint64_t op_errors;
	unsigned int asm_left;
} s;

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void logev(const char *what, int err)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "%lld.%03ld vqchurn %s%s%s (frames %llu)\n",
		(long long)ts.tv_sec, ts.tv_nsec / 1000000, what,
		err ? ": " : "", err ? strerror(err) : "",
		(unsigned long long)s.frames);
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_backend++;
	else if (sig == SIGUSR2)
		want_queue++;
	else
		want_stop = 1;
}

static void rx_refill(uint32_t *freel, unsigned int *nfree)
{
	struct vq *vq = &s.d.vq[VNET_RX];
	bool added = false;

	while (*nfree) {
		if (vq_add(vq, &s.gm, freel[*nfree - 1], vq->bufsz, true) < 0)
			break;
		(*nfree)--;
		added = true;
	}
	if (added) {
		vq_publish(vq);
		if (vq_kick_needed(vq))
			vq_kick(vq);
	}
}

/* Take every used RX buffer; returns the number of frames completed. */
static unsigned int rx_drain(uint32_t *freel, unsigned int *nfree)
{
	struct vq *vq = &s.d.vq[VNET_RX];
	bool mrg = s.d.features & (1ULL << VIRTIO_NET_F_MRG_RXBUF);
	unsigned int n = 0;
	uint32_t len;
	int b;

	while ((b = vq_get_used(vq, &len)) != -EAGAIN) {
		if (b < 0 || len > vq->bufsz) {
			s.dev_errors++;
			if (b >= 0)
				freel[(*nfree)++] = b;
			continue;
		}
		s.buffers++;
		if (!s.asm_left) {
			struct virtio_net_hdr_mrg_rxbuf h = { 0 };

			if (len < s.d.hdr_len) {
				s.dev_errors++;
				freel[(*nfree)++] = b;
				continue;
			}
			gmem_read(&s.gm, vq_buf_gpa(vq, b), &h, s.d.hdr_len);
			s.asm_left = mrg && h.num_buffers ? h.num_buffers : 1;
		}
		freel[(*nfree)++] = b;
		if (!--s.asm_left) {
			s.frames++;
			n++;
		}
	}
	rx_refill(freel, nfree);
	return n;
}

static void set_backend(bool on)
{
	struct vhost_vring_file f = { .index = VNET_RX, .fd = on ? s.qfd : -1 };
	int err = 0;

	/* Only the RX ring: TX never carries anything here. */
	if (ioctl(s.d.fd, VHOST_NET_SET_BACKEND, &f) < 0) {
		err = errno;
		s.op_errors++;
	} else {
		s.backend_on = on;
		if (on)
			s.backend_cycles++;
	}
	logev(on ? "backend attach" : "backend detach", err);
}

static void set_queue(bool on)
{
	struct ifreq ifr;
	int err = 0;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = on ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
	if (ioctl(s.qfd, TUNSETQUEUE, &ifr) < 0) {
		err = errno;
		s.op_errors++;
	} else {
		s.queue_on = on;
		if (on)
			s.queue_cycles++;
	}
	logev(on ? "queue attach" : "queue detach", err);
}

static int wait_rx(unsigned int ms)
{
	struct vq *vq = &s.d.vq[VNET_RX];

	vq_want_call(vq);
	if (vq_has_used(vq))
		return 1;
	return efd_wait(vq->call, ms);
}

static int setup(const char *dev, const char *tap, unsigned int ring)
{
	struct vnet_opts o = {
		.dev = dev, .ring = ring, .version1 = true, .mrg = true,
		.event_idx = true, .indirect = true, .segs = 1,
		.rx_bufsz = 1600, .tx_bufsz = 1600, .timeout_ms = 5000,
	};
	struct vhost_vring_file f = { .index = VNET_RX };
	int r;

	r = gmem_init(&s.gm, 1, vnet_mem_needed(&o, 1));
	if (r)
		return r;
	r = vdev_open(&s.d, dev, &s.gm);
	if (r)
		return r;
	r = vdev_setup(&s.d, &o);
	if (r)
		return r;
	s.qfd = macvtap_open(tap, s.d.hdr_len, false);
	if (s.qfd < 0)
		return s.qfd;
	f.fd = s.qfd;
	if (ioctl(s.d.fd, VHOST_NET_SET_BACKEND, &f) < 0)
		return -errno;
	s.backend_on = s.queue_on = true;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, 0, 'd' }, { "tap", 1, 0, 't' },
		{ "ring", 1, 0, 'r' }, { "idle", 1, 0, 'i' }, { 0 }
	};
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM, SIGINT };
	const char *dev = "/dev/vhost-split", *tap = NULL;
	unsigned int ring = 256, idle = 1000, nfree = 0, i;
	struct sigaction sa;
	uint32_t *freel;
	uint64_t last;
	int c, r;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 't': tap = optarg; break;
		case 'r': ring = strtoul(optarg, NULL, 0); break;
		case 'i': idle = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: vqchurn --dev D --tap /dev/tapN [--ring N] [--idle MS]\n");
			return 2;
		}
	}
	if (!tap || !ring || ring > 4096 || (ring & (ring - 1))) {
		fprintf(stderr, "vqchurn: need --tap and a power-of-two --ring <= 4096\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	s.qfd = -1;
	s.d.fd = -1;
	r = setup(dev, tap, ring);
	if (r) {
		fprintf(stderr, "vqchurn: setup %s on %s: %s\n", dev, tap, strerror(-r));
		return 1;
	}
	freel = calloc(ring, sizeof(*freel));
	if (!freel)
		return 1;
	for (i = 0; i < ring; i++)
		freel[nfree++] = ring - 1 - i;
	rx_refill(freel, &nfree);
	printf("{\"ready\":true}\n");
	fflush(stdout);

	while (!want_stop) {
		if (want_backend) {
			want_backend--;
			set_backend(!s.backend_on);
		}
		if (want_queue) {
			want_queue--;
			set_queue(!s.queue_on);
		}
		rx_drain(freel, &nfree);
		wait_rx(100);
	}

	/* Quiesce: nothing new can arrive, then take what is queued. */
	if (!s.backend_on)
		set_backend(true);
	if (s.queue_on)
		set_queue(false);
	last = mono_ms();
	while (mono_ms() - last < idle) {
		if (rx_drain(freel, &nfree))
			last = mono_ms();
		wait_rx(50);
	}
	printf("{\"mode\":\"vqchurn\",\"dev\":\"%s\",\"received\":%llu,\"buffers\":%llu,"
	       "\"dev_errors\":%llu,\"backend_cycles\":%llu,\"queue_cycles\":%llu,"
	       "\"op_errors\":%llu}\n", dev,
	       (unsigned long long)s.frames, (unsigned long long)s.buffers,
	       (unsigned long long)s.dev_errors,
	       (unsigned long long)s.backend_cycles,
	       (unsigned long long)s.queue_cycles,
	       (unsigned long long)s.op_errors);
	fflush(stdout);
	vdev_close(&s.d);
	close(s.qfd);
	free(freel);
	return s.dev_errors || s.op_errors ? 1 : 0;
}
