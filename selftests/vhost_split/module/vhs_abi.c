// SPDX-License-Identifier: GPL-2.0
/*
 * vhs_abi: module-level checks of a vhost-net style device, run against
 * /dev/vhost-split and, in the same run, the stock /dev/vhost-net.
 *
 *   vhs_abi errnos DEV...        ioctl misuse: each errno as stock returns
 *   vhs_abi traffic DEV [opts]   tap loopback through the device:
 *        --frames N   frames each way (default 200)
 *        --len L      frame length, 60..1514 (default 60)
 *        --mrg --no-evidx --indirect --vhost-hdr --legacy
 *        --log        dirty logging: every page written is marked
 *        --packet     AF_PACKET backend (the tap fd plays the wire)
 *        --busyloop U busy-poll timeout in microseconds
 *        --switch     with --seconds: detach/attach backends under load
 *        --seconds S  bidirectional load for S seconds instead
 *        --workers    check the vhs-rx/tx-<pid> threads (name, cgroup,
 *                     CPU time under load when pinned to different CPUs)
 *   vhs_abi hostile DEV...       hostile guest: each bad ring stops with
 *                                the error eventfd signalled
 *   vhs_abi hold DEV             open + SET_OWNER, print "ready", wait
 *
 * Output is TAP; exit 0 pass, 1 fail, 4 skip.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define GPA_BASE	0x40000000ULL
#define MEM_SIZE	(4UL << 20)
#define RING_NUM	256
#define BUF_SIZE	2048
#define ETH_P_TEST	0x88b5
#define MAGIC		0x76687321u

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "?";
}

static int xioctl(int fd, unsigned long req, const void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

static void expect(const char *dev, const char *what, int got, int want)
{
	ktap_test(got == want, "%s: %s: %s (stock: %s)", dev, what, ename(got),
		  ename(want));
}

/* ------------------------------------------------------------- errnos */

static int mem_table(int fd, uint32_t n, uint32_t pad,
		     const struct vhost_memory_region *r)
{
	struct vhost_memory *m = calloc(1, sizeof(*m) + (n + 1) * sizeof(*r));
	int err;

	m->nregions = n;
	m->padding = pad;
	if (r)
		memcpy(m->regions, r, n * sizeof(*r));
	err = xioctl(fd, VHOST_SET_MEM_TABLE, m);
	free(m);
	return err;
}

static int tap_open(const char *name, bool vnet_hdr, int hdr_len)
{
	struct ifreq ifr = { 0 };
	char path[128];
	int fd, s;
	FILE *f;

	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		goto err;
	if (vnet_hdr && ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) < 0)
		goto err;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	f = fopen(path, "w");
	if (f) {
		fputs("1", f);
		fclose(f);
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return fd;
err:
	close(fd);
	return -1;
}

/* Returns the errno the device gave for @what in a child process. */
static int child_errno(int fd, unsigned long req, void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(xioctl(fd, req, arg));
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void errnos(const char *dev)
{
	struct vhost_memory_region r[2] = { 0 };
	struct vhost_vring_state s = { 0, RING_NUM };
	struct vhost_vring_file f = { 0, -1 };
	struct vhost_vring_addr a = { 0 };
	uint64_t feat;
	void *mem, *ro;
	int fd, tap, udp, nul, err;
	char ifname[IFNAMSIZ];
	struct vhost_memory_region *many;

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		char why[160];

		snprintf(why, sizeof(why), "cannot open %s: %s", dev, strerror(errno));
		ktap_skip(dev, why);
		return;
	}
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r[0].guest_phys_addr = GPA_BASE;
	r[0].memory_size = MEM_SIZE;
	r[0].userspace_addr = (uintptr_t)mem;

	/* Before SET_OWNER. */
	expect(dev, "GET_FEATURES before SET_OWNER", xioctl(fd, VHOST_GET_FEATURES, &feat), 0);
	expect(dev, "SET_VRING_NUM before SET_OWNER", xioctl(fd, VHOST_SET_VRING_NUM, &s), EPERM);
	expect(dev, "SET_MEM_TABLE before SET_OWNER", mem_table(fd, 1, 0, r), EPERM);
	expect(dev, "SET_BACKEND before SET_OWNER", xioctl(fd, VHOST_NET_SET_BACKEND, &f), EPERM);
	expect(dev, "RESET_OWNER before SET_OWNER", xioctl(fd, VHOST_RESET_OWNER, NULL), EPERM);
	expect(dev, "unknown ioctl before SET_OWNER", xioctl(fd, _IOW(VHOST_VIRTIO, 0x7e, int), &s), EPERM);

	expect(dev, "SET_OWNER", xioctl(fd, VHOST_SET_OWNER, NULL), 0);
	expect(dev, "SET_OWNER twice", xioctl(fd, VHOST_SET_OWNER, NULL), EBUSY);
	expect(dev, "SET_OWNER from another process", child_errno(fd, VHOST_SET_OWNER, NULL), EBUSY);
	expect(dev, "SET_VRING_NUM from another process", child_errno(fd, VHOST_SET_VRING_NUM, &s), EPERM);

	s.num = 3;
	expect(dev, "VRING_NUM 3", xioctl(fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	s.num = 0;
	expect(dev, "VRING_NUM 0", xioctl(fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	s.num = 65536;
	expect(dev, "VRING_NUM 65536", xioctl(fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	s.num = 32768;
	expect(dev, "VRING_NUM 32768", xioctl(fd, VHOST_SET_VRING_NUM, &s), 0);
	s.index = 2;
	s.num = 256;
	expect(dev, "VRING_NUM on ring 2", xioctl(fd, VHOST_SET_VRING_NUM, &s), ENOBUFS);
	s.index = 0;
	expect(dev, "VRING_NUM 256", xioctl(fd, VHOST_SET_VRING_NUM, &s), 0);
	s.num = 0x10000;
	expect(dev, "VRING_BASE 0x10000", xioctl(fd, VHOST_SET_VRING_BASE, &s), EINVAL);
	expect(dev, "unknown ioctl", xioctl(fd, _IOW(VHOST_VIRTIO, 0x7e, int), &s), ENOTTY);

	expect(dev, "MEM_TABLE padding", mem_table(fd, 1, 1, r), EOPNOTSUPP);
	many = calloc(65, sizeof(*many));
	expect(dev, "MEM_TABLE 65 regions", mem_table(fd, 65, 0, many), E2BIG);
	free(many);
	r[1] = r[0];
	r[1].memory_size = 0;
	expect(dev, "MEM_TABLE zero-size region", mem_table(fd, 2, 0, r), EFAULT);
	r[1].guest_phys_addr = ~0ULL - 0xfff;
	r[1].memory_size = 0x2000;
	expect(dev, "MEM_TABLE guest range wraps", mem_table(fd, 2, 0, r), EFAULT);
	r[1] = r[0];
	r[1].guest_phys_addr = 0x1000;
	r[1].userspace_addr = 0xffff800000000000ULL;
	/* Stock checks user addresses only once a backend is attached. */
	expect(dev, "MEM_TABLE kernel address, idle rings", mem_table(fd, 2, 0, r), 0);
	r[1] = r[0];
	r[1].guest_phys_addr = 0;
	r[1].memory_size = 0;
	expect(dev, "MEM_TABLE zero-size region at 0 (wraps to all)", mem_table(fd, 2, 0, r), 0);
	r[1] = r[0];
	r[1].guest_phys_addr = 0x1000;
	r[1].userspace_addr = ~0ULL - 4095;
	expect(dev, "MEM_TABLE user range wraps, idle rings", mem_table(fd, 2, 0, r), 0);
	r[1] = r[0];
	r[1].guest_phys_addr = GPA_BASE + 0x1000;
	r[1].memory_size = 0x1000;
	expect(dev, "MEM_TABLE overlapping regions", mem_table(fd, 2, 0, r), 0);
	expect(dev, "MEM_TABLE one region", mem_table(fd, 1, 0, r), 0);

	a.index = 0;
	a.desc_user_addr = (uintptr_t)mem;
	a.avail_user_addr = (uintptr_t)mem + 4097;
	a.used_user_addr = (uintptr_t)mem + 8192;
	expect(dev, "VRING_ADDR odd avail", xioctl(fd, VHOST_SET_VRING_ADDR, &a), EINVAL);
	a.avail_user_addr = (uintptr_t)mem + 4096;
	a.used_user_addr = (uintptr_t)mem + 8194;
	expect(dev, "VRING_ADDR misaligned used", xioctl(fd, VHOST_SET_VRING_ADDR, &a), EINVAL);
	a.used_user_addr = (uintptr_t)mem + 8192;
	a.flags = 2;
	expect(dev, "VRING_ADDR unknown flag", xioctl(fd, VHOST_SET_VRING_ADDR, &a), EOPNOTSUPP);
	a.flags = 0;

	feat = 1ULL << 63;
	expect(dev, "SET_FEATURES unknown bit", xioctl(fd, VHOST_SET_FEATURES, &feat), EOPNOTSUPP);
	expect(dev, "SET_BACKEND_FEATURES unknown bit",
	       xioctl(fd, VHOST_SET_BACKEND_FEATURES, &feat), EOPNOTSUPP);

	nul = open("/dev/null", O_RDWR);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	f.index = 0;
	f.fd = nul;
	expect(dev, "VRING_KICK not an eventfd", xioctl(fd, VHOST_SET_VRING_KICK, &f), EINVAL);
	f.fd = 9999;
	expect(dev, "VRING_CALL closed fd", xioctl(fd, VHOST_SET_VRING_CALL, &f), EBADF);
	err = 9999;
	expect(dev, "LOG_FD closed fd", xioctl(fd, VHOST_SET_LOG_FD, &err), EBADF);
	f.index = 2;
	f.fd = -1;
	expect(dev, "SET_BACKEND ring 2", xioctl(fd, VHOST_NET_SET_BACKEND, &f), ENOBUFS);
	f.index = 0;
	expect(dev, "SET_BACKEND detach idle ring", xioctl(fd, VHOST_NET_SET_BACKEND, &f), 0);
	f.fd = nul;
	expect(dev, "SET_BACKEND /dev/null", xioctl(fd, VHOST_NET_SET_BACKEND, &f), ENOTSOCK);
	f.fd = udp;
	expect(dev, "SET_BACKEND UDP socket", xioctl(fd, VHOST_NET_SET_BACKEND, &f), ENOTSOCK);
	f.fd = 9999;
	expect(dev, "SET_BACKEND closed fd", xioctl(fd, VHOST_NET_SET_BACKEND, &f), ENOTSOCK);

	snprintf(ifname, sizeof(ifname), "vhse%d", getpid() % 100000);
	tap = tap_open(ifname, false, 0);
	if (tap < 0) {
		ktap_skip("SET_BACKEND with read-only used ring", "no /dev/net/tun");
	} else {
		r[1] = r[0];
		r[1].guest_phys_addr = 0x1000;
		r[1].userspace_addr = 0xffff800000000000ULL;
		mem_table(fd, 2, 0, r);
		f.fd = tap;
		expect(dev, "SET_BACKEND with a kernel address region",
		       xioctl(fd, VHOST_NET_SET_BACKEND, &f), EFAULT);
		r[1].userspace_addr = ~0ULL - 4095;
		mem_table(fd, 2, 0, r);
		expect(dev, "SET_BACKEND with a wrapping user range",
		       xioctl(fd, VHOST_NET_SET_BACKEND, &f), EFAULT);
		r[1].guest_phys_addr = 0;
		r[1].memory_size = 0;
		r[1].userspace_addr = (uintptr_t)mem;
		mem_table(fd, 2, 0, r);
		expect(dev, "SET_BACKEND with a zero-size region at 0",
		       xioctl(fd, VHOST_NET_SET_BACKEND, &f), EFAULT);
		expect(dev, "MEM_TABLE one region again", mem_table(fd, 1, 0, r), 0);
		a.used_user_addr = (uintptr_t)ro;
		expect(dev, "VRING_ADDR read-only used", xioctl(fd, VHOST_SET_VRING_ADDR, &a), 0);
		f.fd = tap;
		expect(dev, "SET_BACKEND with read-only used ring",
		       xioctl(fd, VHOST_NET_SET_BACKEND, &f), EFAULT);
		a.used_user_addr = (uintptr_t)mem + 8192;
		expect(dev, "VRING_ADDR writable used", xioctl(fd, VHOST_SET_VRING_ADDR, &a), 0);
		expect(dev, "SET_BACKEND tap", xioctl(fd, VHOST_NET_SET_BACKEND, &f), 0);
		s.num = 128;
		expect(dev, "VRING_NUM with backend", xioctl(fd, VHOST_SET_VRING_NUM, &s), EBUSY);
		s.num = 0;
		expect(dev, "VRING_BASE with backend", xioctl(fd, VHOST_SET_VRING_BASE, &s), EBUSY);
		f.fd = -1;
		expect(dev, "SET_BACKEND detach", xioctl(fd, VHOST_NET_SET_BACKEND, &f), 0);
		expect(dev, "RESET_OWNER", xioctl(fd, VHOST_RESET_OWNER, NULL), 0);
		expect(dev, "SET_OWNER after RESET_OWNER", xioctl(fd, VHOST_SET_OWNER, NULL), 0);
		close(tap);
	}
	close(udp);
	close(nul);
	close(fd);
	munmap(mem, MEM_SIZE);
	munmap(ro, 65536);
}

/* ------------------------------------------------------------ traffic */

struct ring {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t avail_idx;
	uint16_t used_seen;
	int kick, call, err;
};

struct ctx {
	int fd, tap, pkt;
	char ifname[IFNAMSIZ];
	int ifindex;
	uint8_t *mem;
	uint64_t features;
	size_t hdr_len;
	bool mrg, indirect, vhost_hdr, packet;
	unsigned int len;
	uint8_t *log;		/* dirty bitmap when --log */
	uint64_t log_missing;
	struct ring rx, tx;
	uint32_t tx_seq, rx_seq;
	uint64_t tx_done, rx_done, tx_seen, rx_bad;
};

static uint64_t gpa(struct ctx *c, void *p)
{
	return GPA_BASE + ((uint8_t *)p - c->mem);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Ring layout inside guest memory: rings at 0 (rx) / 64K (tx). */
static int ring_setup(struct ctx *c, struct ring *r, unsigned int idx)
{
	uint8_t *base = c->mem + idx * 65536;
	struct vhost_vring_state s = { idx, RING_NUM };
	struct vhost_vring_addr a = { .index = idx };
	struct vhost_vring_file f = { .index = idx };

	r->desc = (void *)base;
	r->avail = (void *)(base + 4096);
	r->used = (void *)(base + 8192);
	a.desc_user_addr = (uintptr_t)r->desc;
	a.avail_user_addr = (uintptr_t)r->avail;
	a.used_user_addr = (uintptr_t)r->used;
	r->kick = eventfd(0, EFD_NONBLOCK);
	r->call = eventfd(0, EFD_NONBLOCK);
	r->err = eventfd(0, EFD_NONBLOCK);
	if (xioctl(c->fd, VHOST_SET_VRING_NUM, &s))
		return -1;
	s.num = 0;
	if (xioctl(c->fd, VHOST_SET_VRING_BASE, &s) ||
	    xioctl(c->fd, VHOST_SET_VRING_ADDR, &a))
		return -1;
	f.fd = r->kick;
	if (xioctl(c->fd, VHOST_SET_VRING_KICK, &f))
		return -1;
	f.fd = r->call;
	if (xioctl(c->fd, VHOST_SET_VRING_CALL, &f))
		return -1;
	f.fd = r->err;
	return xioctl(c->fd, VHOST_SET_VRING_ERR, &f) ? -1 : 0;
}

static void ring_kick(struct ring *r)
{
	uint64_t one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (write(r->kick, &one, sizeof(one)) < 0)
		perror("kick");
}

static void ring_publish(struct ring *r, uint16_t head)
{
	r->avail->ring[r->avail_idx % RING_NUM] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->avail_idx++;
	__atomic_store_n(&r->avail->idx, r->avail_idx, __ATOMIC_RELEASE);
}

static uint16_t used_idx(struct ring *r)
{
	return __atomic_load_n(&r->used->idx, __ATOMIC_ACQUIRE);
}

static uint8_t *buf_of(struct ctx *c, bool tx, unsigned int i)
{
	return c->mem + (tx ? 2 : 1) * (1UL << 20) + i * BUF_SIZE;
}

/* Indirect tables live at 3 MiB: 2 descriptors per ring slot. */
static struct vring_desc *ind_of(struct ctx *c, bool tx, unsigned int i)
{
	return (struct vring_desc *)(c->mem + (3UL << 20) +
				     ((tx ? RING_NUM : 0) + i) * 32);
}

/* Chain for slot i: header and data as two descriptors, maybe indirect. */
static void post(struct ctx *c, struct ring *r, bool tx, unsigned int i,
		 uint32_t len)
{
	uint16_t w = tx ? 0 : VRING_DESC_F_WRITE;
	uint8_t *b = buf_of(c, tx, i);
	struct vring_desc d[2] = {
		{ gpa(c, b), c->hdr_len, w | VRING_DESC_F_NEXT, 1 },
		{ gpa(c, b + c->hdr_len), len - c->hdr_len, w, 0 },
	};

	if (c->indirect) {
		memcpy(ind_of(c, tx, i), d, sizeof(d));
		r->desc[i].addr = gpa(c, ind_of(c, tx, i));
		r->desc[i].len = sizeof(d);
		r->desc[i].flags = VRING_DESC_F_INDIRECT;
	} else if (tx) {
		/* Two direct descriptors: slots i and i + RING_NUM / 2. */
		d[0].next = i + RING_NUM / 2;
		r->desc[i] = d[0];
		r->desc[i + RING_NUM / 2] = d[1];
	} else {
		r->desc[i].addr = gpa(c, b);
		r->desc[i].len = len;
		r->desc[i].flags = VRING_DESC_F_WRITE;
	}
	ring_publish(r, i);
}

static void fill_frame(uint8_t *p, unsigned int len, uint32_t seq)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 1 }, src[6] = { 2, 0, 0, 0, 0, 2 };
	uint32_t m = htonl(MAGIC), s = htonl(seq);
	unsigned int i;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = ETH_P_TEST >> 8;
	p[13] = ETH_P_TEST & 0xff;
	memcpy(p + 14, &m, 4);
	memcpy(p + 18, &s, 4);
	for (i = 22; i < len; i++)
		p[i] = (uint8_t)(seq + i);
}

static bool frame_ok(const uint8_t *p, unsigned int len, uint32_t *seq)
{
	uint32_t m, s;
	unsigned int i;

	if (len < 22 || p[12] != ETH_P_TEST >> 8 || p[13] != (ETH_P_TEST & 0xff))
		return false;
	memcpy(&m, p + 14, 4);
	memcpy(&s, p + 18, 4);
	if (ntohl(m) != MAGIC)
		return false;
	*seq = ntohl(s);
	for (i = 22; i < len; i++)
		if (p[i] != (uint8_t)(*seq + i))
			return false;
	return true;
}

/* TX: up to @n frames from the guest, reclaiming completed ones. */
static void tx_round(struct ctx *c, unsigned int n)
{
	unsigned int i, slots = c->indirect ? RING_NUM : RING_NUM / 2;

	/* Reclaim. */
	while (c->tx.used_seen != used_idx(&c->tx)) {
		c->tx.used_seen++;
		c->tx_done++;
	}
	for (i = 0; i < n; i++) {
		uint16_t inflight = c->tx.avail_idx - c->tx.used_seen;
		unsigned int slot = c->tx.avail_idx % slots;
		uint8_t *b = buf_of(c, true, slot);

		if (inflight >= slots)
			break;
		memset(b, 0, c->hdr_len);
		fill_frame(b + c->hdr_len, c->len, c->tx_seq++);
		post(c, &c->tx, true, slot, c->hdr_len + c->len);
	}
	ring_kick(&c->tx);
}

/* Drain what the guest's frames produced on the tap interface. */
static void tx_capture(struct ctx *c)
{
	uint8_t p[2048];
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	uint32_t seq;
	ssize_t n;

	if (c->packet) {
		/* AF_PACKET backend: the guest's frames leave through the tap. */
		while ((n = read(c->tap, p, sizeof(p))) > 0)
			if (frame_ok(p, n, &seq))
				c->tx_seen++;
		return;
	}
	while ((n = recvfrom(c->pkt, p, sizeof(p), MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &sl)) > 0) {
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (frame_ok(p, n, &seq))
			c->tx_seen++;
		sl = sizeof(sll);
	}
}

/* RX: inject @n frames into the tap, then check what reached the guest. */
static void rx_inject(struct ctx *c, unsigned int n)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_ifindex = c->ifindex, .sll_halen = 6,
	};
	uint8_t p[2048];
	unsigned int i;

	for (i = 0; i < n; i++) {
		fill_frame(p, c->len, c->rx_seq++);
		if (c->packet) {
			if (write(c->tap, p, c->len) < 0)
				continue;
			continue;
		}
		/* A full tap queue drops silently; so may sendto. */
		sendto(c->pkt, p, c->len, 0, (struct sockaddr *)&to, sizeof(to));
	}
}

/* Every page of [addr, addr + len) must be marked dirty. */
static void log_check(struct ctx *c, uint64_t addr, uint64_t len)
{
	uint64_t pg;

	for (pg = addr / 4096; pg <= (addr + len - 1) / 4096; pg++)
		if (!(c->log[pg / 8] & (1u << (pg % 8))))
			c->log_missing++;
}

static void rx_reap(struct ctx *c)
{
	while (c->rx.used_seen != used_idx(&c->rx)) {
		struct vring_used_elem *e = &c->rx.used->ring[c->rx.used_seen % RING_NUM];
		uint8_t *b = buf_of(c, false, e->id);
		struct virtio_net_hdr_mrg_rxbuf *h = (void *)b;
		uint32_t seq;

		if (e->id >= RING_NUM || e->len != c->hdr_len + c->len ||
		    (c->mrg && h->num_buffers != 1) ||
		    !frame_ok(b + c->hdr_len, c->len, &seq)) {
			if (c->rx_bad++ < 3)
				ktap_diag("bad RX used elem id %u len %u", e->id, e->len);
		} else {
			c->rx_done++;
			if (c->log)
				log_check(c, gpa(c, b), e->len);
		}
		c->rx.used_seen++;
		post(c, &c->rx, false, e->id, BUF_SIZE);
	}
	ring_kick(&c->rx);
}

static int find_worker(const char *prefix, pid_t owner)
{
	char want[32], path[300], comm[64];
	struct dirent *de;
	int found = 0, tid = -1;
	DIR *d = opendir("/proc");

	snprintf(want, sizeof(want), "%s-%d\n", prefix, owner);
	while ((de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want)) {
			found++;
			tid = atoi(de->d_name);
		}
		fclose(f);
	}
	closedir(d);
	return found == 1 ? tid : -found - 1;
}

static bool same_file(const char *a, const char *b)
{
	char x[4096] = "", y[4096] = "";
	FILE *f = fopen(a, "r"), *g = fopen(b, "r");
	size_t nx = 0, ny = 0;

	if (f) {
		nx = fread(x, 1, sizeof(x) - 1, f);
		fclose(f);
	}
	if (g) {
		ny = fread(y, 1, sizeof(y) - 1, g);
		fclose(g);
	}
	return f && g && nx == ny && !memcmp(x, y, nx);
}

static unsigned long long cpu_ticks(int tid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			       &ut, &st);
	}
	fclose(f);
	return ut + st;
}

static int pin(int tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

static int traffic(const char *dev, int argc, char **argv)
{
	struct vhost_memory_region reg;
	struct vhost_vring_file be;
	unsigned int frames = 200, seconds = 0, i;
	int backend;
	bool evidx = true, legacy = false, workers = false, log = false, sw = false;
	unsigned int busyloop = 0;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int rxtid = -1, txtid = -1;
	uint64_t avail, t0;
	struct ctx c = { 0 };
	char name[160];

	c.len = 60;
	for (i = 0; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--frames") && i + 1 < (unsigned int)argc)
			frames = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--len") && i + 1 < (unsigned int)argc)
			c.len = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < (unsigned int)argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mrg"))
			c.mrg = true;
		else if (!strcmp(argv[i], "--no-evidx"))
			evidx = false;
		else if (!strcmp(argv[i], "--indirect"))
			c.indirect = true;
		else if (!strcmp(argv[i], "--vhost-hdr"))
			c.vhost_hdr = true;
		else if (!strcmp(argv[i], "--legacy"))
			legacy = true;
		else if (!strcmp(argv[i], "--workers"))
			workers = true;
		else if (!strcmp(argv[i], "--log"))
			log = true;
		else if (!strcmp(argv[i], "--switch"))
			sw = true;
		else if (!strcmp(argv[i], "--packet"))
			c.packet = c.vhost_hdr = true;
		else if (!strcmp(argv[i], "--busyloop") && i + 1 < (unsigned int)argc)
			busyloop = atoi(argv[++i]);
	}
	if (c.len < 60 || c.len > 1514)
		c.len = 60;
	c.features = (legacy ? 0 : 1ULL << VIRTIO_F_VERSION_1) |
		     (evidx ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
		     (c.mrg ? 1ULL << VIRTIO_NET_F_MRG_RXBUF : 0) |
		     (c.indirect ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC : 0) |
		     (c.vhost_hdr ? 1ULL << VHOST_NET_F_VIRTIO_NET_HDR : 0) |
		     (log ? 1ULL << VHOST_F_LOG_ALL : 0);
	c.hdr_len = (legacy && !c.mrg) ? sizeof(struct virtio_net_hdr) :
		    sizeof(struct virtio_net_hdr_mrg_rxbuf);
	snprintf(name, sizeof(name), "%s traffic len %u%s%s%s%s%s%s%s%s%s", dev, c.len,
		 c.mrg ? " mrg" : "", evidx ? " evidx" : "",
		 c.indirect ? " indirect" : "", c.vhost_hdr ? " vhost-hdr" : "",
		 legacy ? " legacy" : " v1", log ? " log" : "",
		 c.packet ? " af_packet" : "", sw ? " switch" : "",
		 busyloop ? " busyloop" : "");

	c.fd = open(dev, O_RDWR);
	if (c.fd < 0) {
		ktap_skip(name, "cannot open the device");
		return 0;
	}
	snprintf(c.ifname, sizeof(c.ifname), "vhst%d", getpid() % 100000);
	c.tap = tap_open(c.ifname, !c.vhost_hdr, c.hdr_len);
	if (c.tap >= 0 && c.packet)
		fcntl(c.tap, F_SETFL, O_NONBLOCK);
	if (c.tap < 0) {
		ktap_test(0, "%s: tap setup: %s", name, strerror(errno));
		return 0;
	}
	c.ifindex = if_nametoindex(c.ifname);
	c.pkt = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = c.ifindex;
	bind(c.pkt, (struct sockaddr *)&sll, sizeof(sll));
	/* With --packet that socket is the backend, the tap fd the wire. */
	backend = c.packet ? c.pkt : c.tap;

	c.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	reg.guest_phys_addr = GPA_BASE;
	reg.memory_size = MEM_SIZE;
	reg.userspace_addr = (uintptr_t)c.mem;
	reg.flags_padding = 0;
	if (xioctl(c.fd, VHOST_SET_OWNER, NULL) ||
	    xioctl(c.fd, VHOST_GET_FEATURES, &avail) ||
	    (c.features & ~avail) ||
	    xioctl(c.fd, VHOST_SET_FEATURES, &c.features) ||
	    mem_table(c.fd, 1, 0, &reg) ||
	    ring_setup(&c, &c.rx, 0) || ring_setup(&c, &c.tx, 1)) {
		ktap_test(0, "%s: device setup: %s", name, strerror(errno));
		return 0;
	}
	if (log) {
		struct vhost_vring_addr a = { .index = 0, .flags = 1 << VHOST_VRING_F_LOG };
		uint64_t base;
		int lfd = eventfd(0, EFD_NONBLOCK);

		/* One bit per 4 KiB guest page up to the end of guest memory. */
		c.log = calloc(1, (GPA_BASE + MEM_SIZE) / 4096 / 8 + 8);
		base = (uintptr_t)c.log;
		a.desc_user_addr = (uintptr_t)c.rx.desc;
		a.avail_user_addr = (uintptr_t)c.rx.avail;
		a.used_user_addr = (uintptr_t)c.rx.used;
		a.log_guest_addr = gpa(&c, c.rx.used);
		if (xioctl(c.fd, VHOST_SET_LOG_BASE, &base) ||
		    xioctl(c.fd, VHOST_SET_LOG_FD, &lfd) ||
		    xioctl(c.fd, VHOST_SET_VRING_ADDR, &a)) {
			ktap_test(0, "%s: log setup: %s", name, strerror(errno));
			return 0;
		}
	}
	if (busyloop) {
		struct vhost_vring_state bs = { 0, busyloop };

		xioctl(c.fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &bs);
		bs.index = 1;
		xioctl(c.fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &bs);
		bs.num = 0;
		ktap_test(!xioctl(c.fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, &bs) &&
			  bs.index == 1 && bs.num == busyloop,
			  "%s: busy-loop timeout reads back", name);
	}
	for (i = 0; i < RING_NUM; i++)
		post(&c, &c.rx, false, i, BUF_SIZE);
	be.index = 0;
	be.fd = backend;
	if (xioctl(c.fd, VHOST_NET_SET_BACKEND, &be)) {
		ktap_test(0, "%s: rx backend: %s", name, strerror(errno));
		return 0;
	}
	be.index = 1;
	if (xioctl(c.fd, VHOST_NET_SET_BACKEND, &be)) {
		ktap_test(0, "%s: tx backend: %s", name, strerror(errno));
		return 0;
	}
	ring_kick(&c.rx);

	if (workers) {
		rxtid = find_worker("vhs-rx", getpid());
		txtid = find_worker("vhs-tx", getpid());
		ktap_test(rxtid > 0 && txtid > 0, "%s: one vhs-rx-%d and one vhs-tx-%d thread",
			  dev, getpid(), getpid());
		if (rxtid > 0 && txtid > 0) {
			char a[64], b[64];

			snprintf(a, sizeof(a), "/proc/%d/cgroup", rxtid);
			snprintf(b, sizeof(b), "/proc/%d/cgroup", txtid);
			ktap_test(same_file(a, "/proc/self/cgroup") &&
				  same_file(b, "/proc/self/cgroup"),
				  "%s: workers are in the owner's cgroups", dev);
			if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
				pin(rxtid, 0);
				pin(txtid, 1);
			}
		}
	}

	t0 = now_ms();
	if (seconds) {
		unsigned long long rx0 = 0, tx0 = 0;

		if (rxtid > 0) {
			rx0 = cpu_ticks(rxtid);
			tx0 = cpu_ticks(txtid);
		}
		uint64_t last_switch = t0;
		unsigned int switches = 0;

		while (now_ms() - t0 < seconds * 1000ULL) {
			if (sw && now_ms() - last_switch > 200) {
				struct vhost_vring_file f = { 0, -1 };

				/* Detach and re-attach both rings under traffic. */
				for (f.index = 0; f.index < 2; f.index++) {
					f.fd = -1;
					if (xioctl(c.fd, VHOST_NET_SET_BACKEND, &f))
						c.rx_bad++;
					f.fd = backend;
					if (xioctl(c.fd, VHOST_NET_SET_BACKEND, &f))
						c.rx_bad++;
				}
				switches++;
				last_switch = now_ms();
			}
			tx_round(&c, 32);
			rx_inject(&c, 32);
			usleep(1000);
			tx_capture(&c);
			rx_reap(&c);
		}
		usleep(200000);
		tx_capture(&c);
		rx_reap(&c);
		ktap_diag("%s: %.1f s: tx %llu done %llu seen, rx %llu sent %llu received",
			  name, (now_ms() - t0) / 1000.0, (unsigned long long)c.tx_done,
			  (unsigned long long)c.tx_seen, (unsigned long long)c.rx_seq,
			  (unsigned long long)c.rx_done);
		ktap_test(c.tx_seen > 0 && c.rx_done > 0 && !c.rx_bad,
			  "%s: bidirectional load moved frames both ways%s", name,
			  switches ? " across backend switches" : "");
		if (rxtid > 0) {
			unsigned long long rx1 = cpu_ticks(rxtid) - rx0;
			unsigned long long tx1 = cpu_ticks(txtid) - tx0;

			ktap_diag("worker CPU ticks under load: rx %llu tx %llu", rx1, tx1);
			ktap_test(rx1 > 0 && tx1 > 0,
				  "%s: both workers accumulated CPU time", dev);
		}
	} else {
		while ((c.tx_seq < frames || c.tx_seen < frames) && now_ms() - t0 < 20000) {
			if (c.tx_seq < frames)
				tx_round(&c, frames - c.tx_seq);
			usleep(2000);
			tx_capture(&c);
		}
		ktap_test(c.tx_seen == frames, "%s: TX %u frames seen on the tap (%llu)",
			  name, frames, (unsigned long long)c.tx_seen);
		t0 = now_ms();
		while (c.rx_done + c.rx_bad < frames && now_ms() - t0 < 20000) {
			if (c.rx_seq < frames && c.rx_seq - c.rx_done < 64)
				rx_inject(&c, c.rx_seq + 32 <= frames ? 32 : frames - c.rx_seq);
			usleep(2000);
			rx_reap(&c);
		}
		ktap_test(c.rx_done == frames && !c.rx_bad,
			  "%s: RX %u frames into guest buffers (%llu ok, %llu bad)",
			  name, frames, (unsigned long long)c.rx_done,
			  (unsigned long long)c.rx_bad);
	}
	{
		struct vhost_vring_file f = { 0, -1 };
		struct vhost_vring_state st = { 0 };
		bool ok = true;
		uint64_t v;

		/* Detached, every chain the device took must have been used. */
		usleep(100000);
		for (f.index = 0; f.index < 2; f.index++) {
			struct ring *r = f.index ? &c.tx : &c.rx;

			st.index = f.index;
			if (xioctl(c.fd, VHOST_NET_SET_BACKEND, &f) ||
			    xioctl(c.fd, VHOST_GET_VRING_BASE, &st) ||
			    (uint16_t)st.num != used_idx(r)) {
				ktap_diag("ring %u: base %u used %u", f.index, st.num, used_idx(r));
				ok = false;
			}
		}
		ktap_test(ok, "%s: no guest buffer lost (vring base == used index)", name);
		if (c.log) {
			log_check(&c, gpa(&c, c.rx.used), 4);
			ktap_test(c.rx_done && !c.log_missing,
				  "%s: dirty log marks every page written (%llu missing)",
				  name, (unsigned long long)c.log_missing);
		}
		ktap_test(read(c.rx.err, &v, sizeof(v)) < 0 && read(c.tx.err, &v, sizeof(v)) < 0,
			  "%s: no ring error signalled", name);
	}
	close(c.fd);
	close(c.pkt);
	close(c.tap);
	munmap(c.mem, MEM_SIZE);
	return 0;
}

/* ------------------------------------------------------------ hostile */

enum hcase {
	H_ADDR, H_ZERO, H_4G, H_LOOP, H_IND_NEXT, H_IND_NESTED, H_IND_LEN,
	H_AVAIL_JUMP, H_HEAD, H_USED_RO, H_UNMAPPED, H_SPAN, H_MAX
};

static const char *const hname[H_MAX] = {
	"descriptor address outside the memory table",
	"zero-length chain",
	"chain of more than 4 GiB",
	"chain loop",
	"INDIRECT with NEXT",
	"nested indirect",
	"indirect table length not a multiple of 16",
	"avail index jumps by more than the ring size",
	"head index >= ring size",
	"used ring read-only",
	"guest memory unmapped while running",
	"buffer spanning two memory regions (legal)",
};

static bool wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(fd, &v, sizeof(v)) == sizeof(v);
}

/*
 * One fresh device per case on a shared tap. Regions: [GPA_BASE, +4M) and,
 * from 8 GiB, a 2 MiB window onto a second mapping (for spanning buffers)
 * followed by 8 GiB of address space for length games.
 */
static void hostile_case(const char *dev, int tap, int pkt, enum hcase hc)
{
	struct vhost_memory_region reg[3];
	struct vhost_vring_file be = { 1, tap };
	uint64_t feat = (1ULL << VIRTIO_F_VERSION_1) |
			(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	struct ctx c = { 0 };
	uint8_t *mem2, *b;
	struct vring_desc *d, *ind;
	bool bad = hc != H_SPAN;
	uint32_t seq;
	bool ok;

	c.len = 60;
	c.hdr_len = sizeof(struct virtio_net_hdr_mrg_rxbuf);
	c.fd = open(dev, O_RDWR);
	c.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	mem2 = mmap(NULL, 2UL << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	reg[0] = (struct vhost_memory_region){ GPA_BASE, MEM_SIZE, (uintptr_t)c.mem, 0 };
	reg[1] = (struct vhost_memory_region){ 8ULL << 30, 2UL << 20, (uintptr_t)mem2, 0 };
	reg[2] = (struct vhost_memory_region){ (8ULL << 30) + (2UL << 20), 8ULL << 30,
					       (uintptr_t)c.mem, 0 };
	if (c.fd < 0 || xioctl(c.fd, VHOST_SET_OWNER, NULL) ||
	    xioctl(c.fd, VHOST_SET_FEATURES, &feat) || mem_table(c.fd, 3, 0, reg) ||
	    ring_setup(&c, &c.rx, 0) || ring_setup(&c, &c.tx, 1) ||
	    xioctl(c.fd, VHOST_NET_SET_BACKEND, &be)) {
		ktap_test(0, "%s: hostile %s: setup: %s", dev, hname[hc], strerror(errno));
		goto out;
	}

	d = c.tx.desc;
	b = buf_of(&c, true, 0);
	memset(b, 0, c.hdr_len);
	fill_frame(b + c.hdr_len, c.len, 4242);
	d[0].addr = gpa(&c, b);
	d[0].len = c.hdr_len + c.len;
	d[0].flags = 0;
	ind = ind_of(&c, true, 0);
	switch (hc) {
	case H_ADDR:
		d[0].addr = 0x1000;
		break;
	case H_ZERO:
		d[0].len = 0;
		break;
	case H_4G:
		ind[0] = (struct vring_desc){ (8ULL << 30) + (2UL << 20), 0x80000000u,
					      VRING_DESC_F_NEXT, 1 };
		ind[1] = (struct vring_desc){ (8ULL << 30) + (2UL << 20), 0x80000000u, 0, 0 };
		d[0] = (struct vring_desc){ gpa(&c, ind), 32, VRING_DESC_F_INDIRECT, 0 };
		break;
	case H_LOOP:
		d[0].flags = VRING_DESC_F_NEXT;
		d[0].next = 1;
		d[1] = d[0];
		d[1].next = 0;
		break;
	case H_IND_NEXT:
		ind[0] = d[0];
		d[0] = (struct vring_desc){ gpa(&c, ind), 16,
					    VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1 };
		d[1] = ind[0];
		break;
	case H_IND_NESTED:
		ind[0] = (struct vring_desc){ gpa(&c, ind + 1), 16, VRING_DESC_F_INDIRECT, 0 };
		ind[1] = d[0];
		d[0] = (struct vring_desc){ gpa(&c, ind), 16, VRING_DESC_F_INDIRECT, 0 };
		break;
	case H_IND_LEN:
		ind[0] = d[0];
		d[0] = (struct vring_desc){ gpa(&c, ind), 20, VRING_DESC_F_INDIRECT, 0 };
		break;
	case H_SPAN:
		/* 30 bytes at the end of region 1, the rest at the start of 2. */
		memcpy(mem2 + (2UL << 20) - 30, b, 30);
		memcpy(c.mem, b + 30, d[0].len - 30);
		d[0].addr = (8ULL << 30) + (2UL << 20) - 30;
		break;
	default:
		break;
	}
	/* Before the chain is visible, so no earlier run can take it. */
	if (hc == H_USED_RO)
		mprotect(c.tx.used, 4096, PROT_READ);
	if (hc == H_UNMAPPED)
		munmap(c.mem + (2UL << 20), 1UL << 20);
	if (hc == H_AVAIL_JUMP) {
		c.tx.avail->ring[0] = 0;
		__atomic_store_n(&c.tx.avail->idx, RING_NUM + 5, __ATOMIC_RELEASE);
	} else if (hc == H_HEAD) {
		ring_publish(&c.tx, RING_NUM + 3);
	} else {
		ring_publish(&c.tx, 0);
	}
	ring_kick(&c.tx);

	if (bad) {
		ok = wait_fd(c.tx.err, 5000);
		ktap_test(ok, "%s: hostile %s: ring stopped, error eventfd signalled",
			  dev, hname[hc]);
	} else {
		uint8_t p[2048];
		ssize_t n;
		uint64_t t0 = now_ms();

		ok = false;
		while (!ok && now_ms() - t0 < 5000) {
			n = recv(pkt, p, sizeof(p), MSG_DONTWAIT);
			if (n > 0 && frame_ok(p, n, &seq) && seq == 4242)
				ok = true;
			else if (n <= 0)
				usleep(10000);
		}
		ktap_test(ok && !wait_fd(c.tx.err, 0), "%s: %s: frame sent intact",
			  dev, hname[hc]);
	}
out:
	if (c.fd >= 0)
		close(c.fd);
	munmap(c.mem, MEM_SIZE);
	munmap(mem2, 2UL << 20);
}

static void hostile(const char *dev)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	char ifname[IFNAMSIZ];
	int tap, pkt, i;

	snprintf(ifname, sizeof(ifname), "vhsh%d", getpid() % 100000);
	tap = tap_open(ifname, true, sizeof(struct virtio_net_hdr_mrg_rxbuf));
	if (tap < 0) {
		ktap_test(0, "%s: hostile: tap setup: %s", dev, strerror(errno));
		return;
	}
	pkt = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	bind(pkt, (struct sockaddr *)&sll, sizeof(sll));
	for (i = 0; i < H_MAX; i++)
		hostile_case(dev, tap, pkt, i);
	close(pkt);
	close(tap);
}

static int hold(const char *dev)
{
	int fd = open(dev, O_RDWR);

	if (fd < 0 || xioctl(fd, VHOST_SET_OWNER, NULL)) {
		perror(dev);
		return 1;
	}
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s errnos DEV... | traffic DEV [opts] | hold DEV\n",
			argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[1], "hold"))
		return hold(argv[2]);
	printf("TAP version 13\n");
	if (!strcmp(argv[1], "errnos")) {
		for (i = 2; i < argc; i++)
			errnos(argv[i]);
	} else if (!strcmp(argv[1], "hostile")) {
		for (i = 2; i < argc; i++)
			hostile(argv[i]);
	} else if (!strcmp(argv[1], "traffic")) {
		traffic(argv[2], argc - 3, argv + 3);
	} else {
		return 2;
	}
	printf("1..%u\n", ktap_num);
	return ktap_finish();
}
