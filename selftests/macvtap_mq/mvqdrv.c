// SPDX-License-Identifier: GPL-2.0
/*
 * mvqdrv: queue reader and frame sender for the macvtap_mq selftests.
 *
 * Runs a list of actions given on the command line, in order, keeping the
 * tap queue fds open between them:
 *
 *   open PATH N [novnet] [offload HEX]   open PATH N times (one queue each)
 *   detach Q | attach Q                  TUNSETQUEUE on queue Q (global index)
 *   send IFNAME DSTMAC COUNT [LEN]       COUNT UDP/IPv4 frames of one flow,
 *                                        raw AF_PACKET, qdisc bypassed
 *   sendfor IFNAME DSTMAC MS             send that flow for MS milliseconds
 *   udp DSTIP COUNT LEN [GSOSIZE]        COUNT UDP datagrams of LEN payload
 *                                        bytes (UDP_SEGMENT if GSOSIZE)
 *   drain [QUIET_MS]                     read every queue until quiet
 *   drainq Q [QUIET_MS]                  read queue Q only
 *   readfor MS                           read all queues for MS, count errors
 *   pace Q PPS                           "run" reads queue Q at PPS frames
 *                                        per second (0: not at all)
 *   visit Q MS                           "run" reads queue Q only every MS
 *                                        (a consumer woken in batches)
 *   run MS                               read for MS: paced queues at their
 *                                        pace, the others as fast as they can
 *   sendrate IFNAME DSTMAC PPS MS        send the flow at PPS for MS
 *   print                                per-queue results, then reset them
 *   write PATH VALUE                     write a file, print the errno
 *   cat PATH                             print "cat PATH VALUE"
 *   getif Q                              TUNGETIFF on queue Q, print the errno
 *   sh CMD                               run CMD with system(3)
 *   bgsh CMD                             start CMD with sh -c and go on (the
 *                                        next actions run meanwhile, e.g. a
 *                                        snapshot during "run"); each one is
 *                                        waited for before exit: "bgsh rc N"
 *   fuzz IFNAME DSTMAC COUNT             COUNT hostile frames: random vnet
 *                                        header (GSO/csum metadata), random
 *                                        ethertype, length and IP header
 *   sleep MS
 *
 * Output lines are "key value..." for the shell test to check. Exit 0
 * unless an action could not be carried out at all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define MAXQ		512	/* above the tap limit, so the kernel refuses */
#define TEST_SPORT	40000
#define TEST_DPORT	9999
#define FRAME_MAX	(65536 + 128)

struct queue {
	int fd;
	int vnet;
	long pace;		/* frames per second for "run", -1 = unpaced */
	long visit_ms;		/* "run" reads it only this often; 0 = always */
	/* results since the last print */
	unsigned long frames, other, payload, gso, partial, csum_ok, csum_bad;
	unsigned long errors;
	int lasterr;
};

static struct queue queues[MAXQ];
static int nq;
static unsigned char buf[FRAME_MAX];

static void die(const char *what)
{
	fprintf(stderr, "mvqdrv: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* 1 ok, 0 bad; a zero UDP checksum means none and counts as ok. */
static int udp4_csum_ok(const struct iphdr *ip, const struct udphdr *uh,
			size_t ulen)
{
	uint32_t sum = 0;
	uint16_t w;

	if (!uh->check)
		return 1;
	sum = csum_add(sum, &ip->saddr, 4);
	sum = csum_add(sum, &ip->daddr, 4);
	sum += IPPROTO_UDP;
	sum += ulen;
	sum = csum_add(sum, uh, ulen);
	w = csum_fold(sum);
	return w == 0;
}

static void account(struct queue *q, const unsigned char *p, ssize_t len)
{
	const struct virtio_net_hdr *vh = NULL;
	const struct ether_header *eh;
	const struct iphdr *ip;
	const struct udphdr *uh;
	size_t ihl, ulen;

	if (q->vnet) {
		if (len < (ssize_t)sizeof(*vh)) {
			q->other++;
			return;
		}
		vh = (const void *)p;
		p += sizeof(*vh);
		len -= sizeof(*vh);
	}
	eh = (const void *)p;
	if (len < (ssize_t)(sizeof(*eh) + sizeof(*ip) + sizeof(*uh)) ||
	    eh->ether_type != htons(ETHERTYPE_IP)) {
		q->other++;
		return;
	}
	ip = (const void *)(eh + 1);
	ihl = ip->ihl * 4;
	if (ip->protocol != IPPROTO_UDP || ihl < sizeof(*ip) ||
	    len < (ssize_t)(sizeof(*eh) + ihl + sizeof(*uh))) {
		q->other++;
		return;
	}
	uh = (const void *)((const unsigned char *)ip + ihl);
	if (uh->dest != htons(TEST_DPORT)) {
		q->other++;
		return;
	}
	ulen = len - sizeof(*eh) - ihl;
	q->frames++;
	q->payload += ulen - sizeof(*uh);
	if (vh && vh->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		q->gso++;
	if (vh && (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		q->partial++;
	else if (udp4_csum_ok(ip, uh, ulen))
		q->csum_ok++;
	else
		q->csum_bad++;
}

/* Read what @q has now; returns frames read, -1 on a read error. */
static int read_queue(struct queue *q)
{
	int n = 0;
	ssize_t r;

	for (;;) {
		r = read(q->fd, buf, sizeof(buf));
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return n;
			q->errors++;
			q->lasterr = errno;
			return -1;
		}
		if (r == 0)
			return n;
		account(q, buf, r);
		n++;
	}
}

static void drain(int only, long quiet_ms)
{
	struct pollfd pfd[MAXQ];
	int i, n, got;

	for (;;) {
		n = 0;
		for (i = 0; i < nq; i++) {
			if (only >= 0 && i != only)
				continue;
			pfd[n].fd = queues[i].fd;
			pfd[n].events = POLLIN;
			n++;
		}
		if (poll(pfd, n, quiet_ms) <= 0)
			return;
		got = 0;
		for (i = 0; i < nq; i++) {
			if (only >= 0 && i != only)
				continue;
			if (read_queue(&queues[i]) > 0)
				got = 1;
		}
		if (!got)
			return;
	}
}

/* Read at most @max frames from @q now; returns the number read. */
static long read_some(struct queue *q, long max)
{
	long n = 0;
	ssize_t r;

	while (n < max) {
		r = read(q->fd, buf, sizeof(buf));
		if (r < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				q->errors++;
				q->lasterr = errno;
			}
			break;
		}
		if (r == 0)
			break;
		account(q, buf, r);
		n++;
	}
	return n;
}

/*
 * Paced readers: queue i may have taken pace * elapsed frames by now; a
 * reader that fell behind (descheduled) catches up, as a real consumer
 * with a backlog would. A queue with a visit period is looked at only that
 * often, and then takes everything due (unpaced: everything queued).
 */
static void run_paced(long ms)
{
	long start = now_ms(), end = start + ms, t, due;
	long taken[MAXQ] = { 0 }, visited[MAXQ];
	int i;

	for (i = 0; i < nq; i++)
		visited[i] = start;
	while ((t = now_ms()) < end) {
		for (i = 0; i < nq; i++) {
			struct queue *q = &queues[i];

			if (q->visit_ms) {
				if (t - visited[i] < q->visit_ms)
					continue;
				visited[i] = t;
			}
			if (q->pace < 0) {
				read_queue(q);
				continue;
			}
			due = q->pace * (t - start) / 1000 - taken[i];
			if (due > 0)
				taken[i] += read_some(q, due);
		}
		usleep(2000);
	}
}

static void readfor(long ms)
{
	long end = now_ms() + ms;
	int i;

	while (now_ms() < end) {
		for (i = 0; i < nq; i++)
			read_queue(&queues[i]);
		usleep(1000);
	}
}

static void open_queues(const char *path, int n, int vnet, long offload)
{
	struct ifreq ifr;
	int i, fd;

	for (i = 0; i < n; i++) {
		if (nq == MAXQ) {
			errno = ENOSPC;
			die("open");
		}
		fd = open(path, O_RDWR | O_NONBLOCK);
		if (fd < 0)
			die(path);
		if (!vnet) {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
			if (ioctl(fd, TUNSETIFF, &ifr))
				die("TUNSETIFF");
		}
		if (offload >= 0 && ioctl(fd, TUNSETOFFLOAD, offload))
			printf("offload %#lx errno %d\n", offload, errno);
		memset(&queues[nq], 0, sizeof(queues[nq]));
		queues[nq].fd = fd;
		queues[nq].vnet = vnet;
		queues[nq].pace = -1;
		nq++;
	}
	printf("open %s %d\n", path, n);
}

static void set_queue(int q, int attach)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = attach ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
	if (q < 0 || q >= nq) {
		errno = EINVAL;
		die("queue index");
	}
	printf("%s %d rc %d\n", attach ? "attach" : "detach", q,
	       ioctl(queues[q].fd, TUNSETQUEUE, &ifr) ? errno : 0);
}

static int parse_mac(const char *s, unsigned char *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

/* One UDP/IPv4 flow: 10.99.0.1:40000 -> 10.99.0.2:9999. */
static size_t build_frame(unsigned char *f, const unsigned char *dst,
			  const unsigned char *src, size_t len, uint32_t seq)
{
	struct ether_header *eh = (void *)f;
	struct iphdr *ip = (void *)(eh + 1);
	struct udphdr *uh = (void *)(ip + 1);
	size_t iplen = len - sizeof(*eh);

	memset(f, 0, len);
	memcpy(eh->ether_dhost, dst, 6);
	memcpy(eh->ether_shost, src, 6);
	eh->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(iplen);
	ip->saddr = htonl(0x0a630001);
	ip->daddr = htonl(0x0a630002);
	ip->check = htons(csum_fold(csum_add(0, ip, sizeof(*ip))));
	uh->source = htons(TEST_SPORT);
	uh->dest = htons(TEST_DPORT);
	uh->len = htons(iplen - sizeof(*ip));
	memcpy(uh + 1, &seq, sizeof(seq));
	return len;
}

static int raw_socket(const char *ifname, struct sockaddr_ll *sll,
		      unsigned char *src)
{
	int fd, one = 1, sndbuf = 64 << 20;
	struct ifreq ifr;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("AF_PACKET");
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	/* Queued frames stay charged to us until the reader takes them. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die(ifname);
	memcpy(src, ifr.ifr_hwaddr.sa_data, 6);
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = if_nametoindex(ifname);
	sll->sll_halen = 6;
	return fd;
}

static void send_frames(const char *ifname, const char *dmac, long count,
			size_t len, long ms)
{
	unsigned char dst[6], src[6], f[1514];
	unsigned long sent = 0, failed = 0;
	struct sockaddr_ll sll;
	long end = ms ? now_ms() + ms : 0;
	int fd;

	if (len < 60 || len > sizeof(f) || parse_mac(dmac, dst)) {
		errno = EINVAL;
		die("send arguments");
	}
	fd = raw_socket(ifname, &sll, src);
	memcpy(sll.sll_addr, dst, 6);
	while (ms ? now_ms() < end : (long)sent < count) {
		build_frame(f, dst, src, len, sent);
		if (sendto(fd, f, len, 0, (void *)&sll, sizeof(sll)) != (ssize_t)len) {
			if (!ms)
				die("sendto");
			failed++;
			continue;
		}
		sent++;
	}
	close(fd);
	printf("sent %lu failed %lu\n", sent, failed);
}

/* The test flow at @pps for @ms; catches up after a scheduling delay. */
static void send_paced(const char *ifname, const char *dmac, long pps, long ms)
{
	unsigned char dst[6], src[6], f[60];
	unsigned long sent = 0, failed = 0;
	long start = now_ms(), t;
	struct sockaddr_ll sll;
	int fd;

	if (pps <= 0 || parse_mac(dmac, dst)) {
		errno = EINVAL;
		die("sendrate arguments");
	}
	fd = raw_socket(ifname, &sll, src);
	memcpy(sll.sll_addr, dst, 6);
	while ((t = now_ms()) < start + ms) {
		while ((long)(sent + failed) < pps * (t - start) / 1000) {
			build_frame(f, dst, src, sizeof(f), sent);
			if (sendto(fd, f, sizeof(f), 0, (void *)&sll,
				   sizeof(sll)) == (ssize_t)sizeof(f))
				sent++;
			else
				failed++;
		}
		usleep(1000);
	}
	close(fd);
	printf("sent %lu failed %lu\n", sent, failed);
}

static void fuzz_frames(const char *ifname, const char *dmac, long count)
{
	static const uint16_t types[] = { ETHERTYPE_IP, ETHERTYPE_IPV6,
					  ETHERTYPE_VLAN, 0x88b5, 0 };
	static const uint8_t gso[] = { 0, 1, 3, 4, 5, 0x81, 0x7f };
	unsigned char f[sizeof(struct virtio_net_hdr) + 1514];
	struct virtio_net_hdr *vh = (void *)f;
	unsigned char *eth = f + sizeof(*vh), dst[6], src[6];
	unsigned long accepted = 0;
	struct sockaddr_ll sll;
	int fd, one = 1;
	long n;
	size_t len, i;

	if (parse_mac(dmac, dst)) {
		errno = EINVAL;
		die("fuzz mac");
	}
	fd = raw_socket(ifname, &sll, src);
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)))
		die("PACKET_VNET_HDR");
	memcpy(sll.sll_addr, dst, 6);
	srandom(1234);
	for (n = 0; n < count; n++) {
		len = 14 + random() % 1500;
		for (i = 0; i < sizeof(f); i++)
			f[i] = random();
		memcpy(eth, dst, 6);
		memcpy(eth + 6, src, 6);
		if (types[n % 5]) {
			eth[12] = types[n % 5] >> 8;
			eth[13] = types[n % 5] & 0xff;
		}
		if (eth[12] == 0x08 && eth[13] == 0x00 && len > 34) {
			eth[14] = 0x45;		/* mostly plausible IPv4 */
			eth[23] = random() % 2 ? IPPROTO_UDP : IPPROTO_TCP;
		}
		/*
		 * GSO without NEEDS_CSUM is a known way to make the stock tx
		 * path (veth1 segmenting) warn; keep to metadata the kernel's
		 * own virtio_net_hdr_to_skb() checks can accept or refuse.
		 */
		vh->gso_type = gso[random() % sizeof(gso)];
		vh->flags = vh->gso_type ? VIRTIO_NET_HDR_F_NEEDS_CSUM :
					   random() % 4;
		vh->hdr_len = random() % 256;
		vh->gso_size = random() % 4 ? random() % 1600 : 0;
		vh->csum_start = random() % 128;
		vh->csum_offset = random() % 4 ? 6 : random() % 64;
		if (sendto(fd, f, sizeof(*vh) + len, 0, (void *)&sll,
			   sizeof(sll)) > 0)
			accepted++;
	}
	close(fd);
	printf("fuzz sent %ld accepted %lu\n", count, accepted);
}

static void send_udp(const char *dstip, long count, size_t len, int gso)
{
	char cbuf[CMSG_SPACE(sizeof(uint16_t))];
	static char payload[65000];
	struct sockaddr_in sin;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	unsigned long sent = 0;
	int fd, sndbuf = 64 << 20;

	if (len > sizeof(payload)) {
		errno = EINVAL;
		die("udp length");
	}
	memset(payload, 'p', len);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("udp socket");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(TEST_DPORT);
	if (inet_pton(AF_INET, dstip, &sin.sin_addr) != 1) {
		errno = EINVAL;
		die("udp address");
	}
	iov.iov_base = payload;
	iov.iov_len = len;
	for (; (long)sent < count; sent++) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (gso) {
			msg.msg_control = cbuf;
			msg.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_UDP;
			cm->cmsg_type = UDP_SEGMENT;
			cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			*(uint16_t *)CMSG_DATA(cm) = gso;
		}
		if (sendmsg(fd, &msg, 0) != (ssize_t)len)
			die("udp sendmsg");
	}
	close(fd);
	printf("udp sent %lu\n", sent);
}

static void print_results(void)
{
	int i;

	printf("counts");
	for (i = 0; i < nq; i++)
		printf(" %lu", queues[i].frames);
	printf("\n");
	for (i = 0; i < nq; i++) {
		struct queue *q = &queues[i];

		printf("queue %d frames %lu payload %lu gso %lu partial %lu csum_ok %lu csum_bad %lu other %lu errors %lu lasterr %d\n",
		       i, q->frames, q->payload, q->gso, q->partial, q->csum_ok,
		       q->csum_bad, q->other, q->errors, q->lasterr);
		q->frames = q->payload = q->gso = q->partial = 0;
		q->csum_ok = q->csum_bad = q->other = q->errors = 0;
		q->lasterr = 0;
	}
	fflush(stdout);
}

static void write_file(const char *path, const char *val)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		err = errno;
	else if (write(fd, val, strlen(val)) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	printf("write %s %s errno %d\n", path, val, err);
}

static void cat_file(const char *path)
{
	char v[256];
	FILE *f = fopen(path, "r");

	if (!f || !fgets(v, sizeof(v), f))
		snprintf(v, sizeof(v), "error:%d\n", errno);
	if (f)
		fclose(f);
	printf("cat %s %s", path, v);
}

static void get_if(int q)
{
	struct ifreq ifr;

	if (q < 0 || q >= nq) {
		errno = EINVAL;
		die("queue index");
	}
	memset(&ifr, 0, sizeof(ifr));
	printf("getif %d errno %d\n", q,
	       ioctl(queues[q].fd, TUNGETIFF, &ifr) ? errno : 0);
}

#define NEED(n) do { if (i + (n) >= argc) goto usage; } while (0)

int main(int argc, char **argv)
{
	int i, vnet;
	long offload;
	pid_t bg = -1;		/* > 0 once a "bgsh" command was started */

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "open")) {
			NEED(2);
			vnet = 1;
			offload = -1;
			const char *path = argv[++i];
			int n = atoi(argv[++i]);

			while (i + 1 < argc) {
				if (!strcmp(argv[i + 1], "novnet")) {
					vnet = 0;
					i++;
				} else if (!strcmp(argv[i + 1], "offload") &&
					   i + 2 < argc) {
					offload = strtol(argv[i + 2], NULL, 0);
					i += 2;
				} else {
					break;
				}
			}
			open_queues(path, n, vnet, offload);
		} else if (!strcmp(a, "detach") || !strcmp(a, "attach")) {
			NEED(1);
			set_queue(atoi(argv[++i]), a[0] == 'a');
		} else if (!strcmp(a, "send")) {
			NEED(3);
			const char *ifn = argv[i + 1], *mac = argv[i + 2];
			long count = atol(argv[i + 3]);
			size_t len = 60;

			i += 3;
			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				len = atoi(argv[++i]);
			send_frames(ifn, mac, count, len, 0);
		} else if (!strcmp(a, "fuzz")) {
			NEED(3);
			fuzz_frames(argv[i + 1], argv[i + 2], atol(argv[i + 3]));
			i += 3;
		} else if (!strcmp(a, "sendfor")) {
			NEED(3);
			send_frames(argv[i + 1], argv[i + 2], 0, 60,
				    atol(argv[i + 3]));
			i += 3;
		} else if (!strcmp(a, "udp")) {
			NEED(3);
			int gso = 0;
			const char *ip = argv[i + 1];
			long count = atol(argv[i + 2]);
			size_t len = atol(argv[i + 3]);

			i += 3;
			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				gso = atoi(argv[++i]);
			send_udp(ip, count, len, gso);
		} else if (!strcmp(a, "drain")) {
			long quiet = 300;

			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				quiet = atol(argv[++i]);
			drain(-1, quiet);
		} else if (!strcmp(a, "drainq")) {
			NEED(1);
			int q = atoi(argv[++i]);
			long quiet = 300;

			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				quiet = atol(argv[++i]);
			drain(q, quiet);
		} else if (!strcmp(a, "pace")) {
			NEED(2);
			int q = atoi(argv[i + 1]);

			if (q < 0 || q >= nq) {
				errno = EINVAL;
				die("pace queue index");
			}
			queues[q].pace = atol(argv[i + 2]);
			i += 2;
		} else if (!strcmp(a, "visit")) {
			NEED(2);
			int q = atoi(argv[i + 1]);
			long ms = atol(argv[i + 2]);

			if (q < 0 || q >= nq || ms < 0) {
				errno = EINVAL;
				die("visit queue index or period");
			}
			queues[q].visit_ms = ms;
			i += 2;
		} else if (!strcmp(a, "run")) {
			NEED(1);
			run_paced(atol(argv[++i]));
		} else if (!strcmp(a, "sendrate")) {
			NEED(4);
			send_paced(argv[i + 1], argv[i + 2], atol(argv[i + 3]),
				   atol(argv[i + 4]));
			i += 4;
		} else if (!strcmp(a, "readfor")) {
			NEED(1);
			readfor(atol(argv[++i]));
		} else if (!strcmp(a, "print")) {
			print_results();
		} else if (!strcmp(a, "write")) {
			NEED(2);
			write_file(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(a, "cat")) {
			NEED(1);
			cat_file(argv[++i]);
		} else if (!strcmp(a, "sh")) {
			NEED(1);
			fflush(stdout);
			printf("sh rc %d\n", system(argv[++i]));
		} else if (!strcmp(a, "bgsh")) {
			NEED(1);
			fflush(stdout);
			bg = fork();
			if (bg < 0)
				die("fork");
			if (bg == 0) {
				execl("/bin/sh", "sh", "-c", argv[i + 1],
				      (char *)NULL);
				_exit(127);
			}
			i++;
		} else if (!strcmp(a, "getif")) {
			NEED(1);
			get_if(atoi(argv[++i]));
		} else if (!strcmp(a, "sleep")) {
			NEED(1);
			usleep(atol(argv[++i]) * 1000);
		} else {
			goto usage;
		}
	}
	if (bg > 0) {
		int st;

		/* every bgsh child, not only the last one */
		while (wait(&st) > 0)
			printf("bgsh rc %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return 0;
usage:
	fprintf(stderr, "mvqdrv: bad or incomplete action '%s' (see the source header)\n",
		argv[i]);
	return 2;
}
