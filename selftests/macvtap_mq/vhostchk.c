// SPDX-License-Identifier: GPL-2.0
/*
 * vhostchk: stock vhost-net as the consumer of one macvtap_mq queue.
 *
 *   vhostchk /dev/tapN IFNAME DSTMAC COUNT
 *
 * Plays a minimal legacy virtio-net guest: one memory region, the RX
 * virtqueue (index 0) with 256 write-only buffers, eventfds for kick and
 * call. Attaches the tap fd with VHOST_NET_SET_BACKEND, sends COUNT UDP
 * frames (port 9999) into IFNAME towards DSTMAC with a raw socket and
 * waits until vhost-net has put them into the used ring.
 * Prints "backend rc E", "received N", "valid N"; exits 0 when all
 * COUNT frames arrived intact, 1 otherwise, 2 on setup errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QSZ		256
#define BUFSZ		2048
#define MEMSZ		(4 << 20)
#define OFF_DESC	0x0
#define OFF_AVAIL	0x1000
#define OFF_USED	0x2000
#define OFF_BUFS	0x10000

static unsigned char *mem;

static void die(const char *what)
{
	fprintf(stderr, "vhostchk: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void setup_vhost(int vfd, int tapfd, int kick, int call)
{
	struct vhost_memory *vm;
	struct vhost_vring_state st;
	struct vhost_vring_addr addr;
	struct vhost_vring_file f;
	uint64_t features = 0;
	int rc;

	if (ioctl(vfd, VHOST_SET_OWNER))
		die("VHOST_SET_OWNER");
	if (ioctl(vfd, VHOST_SET_FEATURES, &features))
		die("VHOST_SET_FEATURES");
	vm = calloc(1, sizeof(*vm) + sizeof(vm->regions[0]));
	if (!vm)
		die("calloc");
	vm->nregions = 1;
	vm->regions[0].guest_phys_addr = 0;
	vm->regions[0].memory_size = MEMSZ;
	vm->regions[0].userspace_addr = (uintptr_t)mem;
	if (ioctl(vfd, VHOST_SET_MEM_TABLE, vm))
		die("VHOST_SET_MEM_TABLE");
	free(vm);

	st.index = 0;
	st.num = QSZ;
	if (ioctl(vfd, VHOST_SET_VRING_NUM, &st))
		die("VHOST_SET_VRING_NUM");
	st.num = 0;
	if (ioctl(vfd, VHOST_SET_VRING_BASE, &st))
		die("VHOST_SET_VRING_BASE");
	memset(&addr, 0, sizeof(addr));
	addr.index = 0;
	addr.desc_user_addr = (uintptr_t)(mem + OFF_DESC);
	addr.avail_user_addr = (uintptr_t)(mem + OFF_AVAIL);
	addr.used_user_addr = (uintptr_t)(mem + OFF_USED);
	if (ioctl(vfd, VHOST_SET_VRING_ADDR, &addr))
		die("VHOST_SET_VRING_ADDR");
	f.index = 0;
	f.fd = kick;
	if (ioctl(vfd, VHOST_SET_VRING_KICK, &f))
		die("VHOST_SET_VRING_KICK");
	f.fd = call;
	if (ioctl(vfd, VHOST_SET_VRING_CALL, &f))
		die("VHOST_SET_VRING_CALL");
	f.fd = tapfd;
	rc = ioctl(vfd, VHOST_NET_SET_BACKEND, &f);
	printf("backend rc %d\n", rc ? errno : 0);
	if (rc)
		exit(1);
}

static void post_buffers(int kick)
{
	struct vring_desc *desc = (void *)(mem + OFF_DESC);
	struct vring_avail *avail = (void *)(mem + OFF_AVAIL);
	uint64_t one = 1;
	int i;

	for (i = 0; i < QSZ; i++) {
		desc[i].addr = OFF_BUFS + (uint64_t)i * BUFSZ;
		desc[i].len = BUFSZ;
		desc[i].flags = VRING_DESC_F_WRITE;
		avail->ring[i] = i;
	}
	__atomic_store_n(&avail->idx, QSZ, __ATOMIC_RELEASE);
	if (write(kick, &one, sizeof(one)) != sizeof(one))
		die("kick");
}

static void send_frames(const char *ifname, const char *dmac, int count)
{
	unsigned char f[60] = { 0 };
	struct ether_header *eh = (void *)f;
	struct iphdr *ip = (void *)(eh + 1);
	struct udphdr *uh = (void *)(ip + 1);
	struct sockaddr_ll sll;
	int fd, i, sndbuf = 16 << 20;
	struct ifreq ifr;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("AF_PACKET");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die(ifname);
	if (sscanf(dmac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &eh->ether_dhost[0],
		   &eh->ether_dhost[1], &eh->ether_dhost[2], &eh->ether_dhost[3],
		   &eh->ether_dhost[4], &eh->ether_dhost[5]) != 6) {
		errno = EINVAL;
		die("mac");
	}
	memcpy(eh->ether_shost, ifr.ifr_hwaddr.sa_data, 6);
	eh->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(f) - sizeof(*eh));
	ip->saddr = htonl(0x0a630001);
	ip->daddr = htonl(0x0a630002);
	uh->source = htons(40000);
	uh->dest = htons(9999);
	uh->len = htons(sizeof(f) - sizeof(*eh) - sizeof(*ip));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, eh->ether_dhost, 6);
	for (i = 0; i < count; i++)
		if (sendto(fd, f, sizeof(f), 0, (void *)&sll, sizeof(sll)) !=
		    sizeof(f))
			die("sendto");
	close(fd);
}

int main(int argc, char **argv)
{
	struct vring_used *used;
	int tapfd, vfd, kick, call, count, i, valid = 0;
	struct timespec start, now;
	uint16_t got = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: vhostchk /dev/tapN IFNAME DSTMAC COUNT\n");
		return 2;
	}
	count = atoi(argv[4]);
	if (count < 1 || count > QSZ) {
		fprintf(stderr, "vhostchk: COUNT must be 1..%d\n", QSZ);
		return 2;
	}
	mem = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	tapfd = open(argv[1], O_RDWR);
	if (tapfd < 0)
		die(argv[1]);
	vfd = open("/dev/vhost-net", O_RDWR);
	if (vfd < 0)
		die("/dev/vhost-net");
	kick = eventfd(0, EFD_NONBLOCK);
	call = eventfd(0, EFD_NONBLOCK);
	if (kick < 0 || call < 0)
		die("eventfd");

	setup_vhost(vfd, tapfd, kick, call);
	post_buffers(kick);
	send_frames(argv[2], argv[3], count);

	used = (void *)(mem + OFF_USED);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { .fd = call, .events = POLLIN };
		uint64_t v;

		got = __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE);
		if (got >= count)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 10)
			break;
		if (poll(&p, 1, 100) > 0 && read(call, &v, sizeof(v)) < 0)
			die("call");
	}
	for (i = 0; i < got && i < QSZ; i++) {
		struct vring_used_elem *e = &used->ring[i];
		unsigned char *b = mem + OFF_BUFS + (uint64_t)e->id * BUFSZ;
		size_t hl = sizeof(struct virtio_net_hdr);
		struct udphdr *uh = (void *)(b + hl + 14 + 20);

		if (e->id < QSZ && e->len == hl + 60 && uh->dest == htons(9999))
			valid++;
	}
	printf("received %u\nvalid %d\n", got, valid);
	close(vfd);
	close(tapfd);
	return got == count && valid == count ? 0 : 1;
}
