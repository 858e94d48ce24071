// SPDX-License-Identifier: GPL-2.0
/*
 * rawpkt: AF_PACKET traffic source and sink for the vhost_split tests.
 *
 *   rawpkt send IFACE COUNT [PPS] [SIZE]
 *       sends COUNT test frames (frames.c) on IFACE, paced to PPS (0 = as
 *       fast as possible); prints {"sent":N,"elapsed_ns":T}.
 *   rawpkt count IFACE EXPECT TIMEOUT_MS none|fwd|macswap [DST_MAC]
 *       counts incoming test frames on IFACE until EXPECT distinct ones
 *       arrived or TIMEOUT_MS passed (or 1 s without a frame after the
 *       first); checks each against the regenerated frame after the
 *       expected rewrite (fwd: dst MAC = DST_MAC, TTL - 1, IP checksum
 *       fixed; macswap: MACs swapped). Prints JSON; exit 0 if every
 *       expected frame arrived intact.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "vnet.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int open_sock(const char *ifname, bool rx)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, one = 1, sz = 4 << 20;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
		    rx ? htons(ETH_P_ALL) : 0);
	if (fd < 0)
		return -1;
	sll.sll_protocol = rx ? htons(ETH_P_ALL) : 0;
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		return -1;
	if (rx) {
		setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			   sizeof(one));
		/*
		 * A counter descheduled for a while on a loaded TCG host
		 * must not lose frames in its own socket: past rmem_max as
		 * root (SO_RCVBUFFORCE), else as much as allowed.
		 */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	return fd;
}

static int do_send(const char *ifname, uint64_t count, uint64_t pps,
		   size_t size)
{
	uint8_t f[2048];
	uint64_t i, t0, sent = 0, fails = 0;
	int fd = open_sock(ifname, false);

	if (fd < 0 || size > 1514) {
		perror("rawpkt send");
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		size_t len = frame_build(f, size, i, false);

		if (pps) {
			uint64_t due = t0 + i * 1000000000ULL / pps;
			struct timespec ts = {
				.tv_sec = due / 1000000000ULL,
				.tv_nsec = due % 1000000000ULL,
			};

			if (now_ns() < due)
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&ts, NULL);
		}
		while (send(fd, f, len, 0) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("rawpkt send");
				return 1;
			}
			fails++;
			usleep(50);
		}
		sent++;
	}
	printf("{\"sent\":%llu,\"elapsed_ns\":%llu,\"retries\":%llu}\n",
	       (unsigned long long)sent,
	       (unsigned long long)(now_ns() - t0),
	       (unsigned long long)fails);
	close(fd);
	return 0;
}

static void ip_csum(uint8_t *ip)
{
	uint32_t s = 0;
	int i;

	ip[10] = ip[11] = 0;
	for (i = 0; i < 20; i += 2)
		s += (ip[i] << 8) | ip[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	ip[10] = s >> 8;
	ip[11] = s & 0xff;
}

static int do_count(const char *ifname, uint64_t expect, uint64_t tmo_ms,
		    const char *xform, const char *mac)
{
	static uint8_t f[70000], ref[70000];
	uint8_t dmac[6] = { 0 }, *seen;
	uint64_t t0 = now_ns(), tfirst = 0, tlast = 0, got = 0, bad = 0;
	uint64_t dup = 0, foreign = 0;
	struct tpacket_stats st = { 0 };
	socklen_t stlen = sizeof(st);
	int fd = open_sock(ifname, true);

	if (fd < 0) {
		perror("rawpkt count");
		return 1;
	}
	if (mac && sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dmac[0],
			  &dmac[1], &dmac[2], &dmac[3], &dmac[4], &dmac[5]) != 6)
		return 2;
	seen = calloc(expect / 8 + 1, 1);
	if (!seen)
		return 1;
	printf("{\"listening\":true}\n");
	fflush(stdout);
	while (got < expect) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t t = now_ns();
		uint32_t w[3], seq;
		ssize_t n;

		if (t - t0 > tmo_ms * 1000000ULL ||
		    (tlast && t - tlast > 2000000000ULL))
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(fd, f, sizeof(f), MSG_DONTWAIT);
		if (n < 42 + 12 || f[12] != 0x08 || f[13] != 0)
			goto foreign;
		memcpy(w, f + 42, sizeof(w));
		if (ntohl(w[0]) != VNET_MAGIC)
			goto foreign;
		seq = ntohl(w[1]);
		tlast = now_ns();
		if (!tfirst)
			tfirst = tlast;
		frame_build(ref, n, seq, false);
		if (!strcmp(xform, "fwd")) {
			memcpy(ref, dmac, 6);
			ref[14 + 8]--;
			ip_csum(ref + 14);
		} else if (!strcmp(xform, "macswap")) {
			uint8_t tmp[6];

			memcpy(tmp, ref, 6);
			memcpy(ref, ref + 6, 6);
			memcpy(ref + 6, tmp, 6);
		}
		if (seq >= expect || memcmp(ref, f, n)) {
			bad++;
			continue;
		}
		if (seen[seq / 8] & (1 << (seq % 8))) {
			dup++;
			continue;
		}
		seen[seq / 8] |= 1 << (seq % 8);
		got++;
		continue;
foreign:
		foreign++;
	}
	/* Frames the socket itself dropped: the counter's loss, not the path's. */
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		st.tp_drops = 0;
	printf("{\"received\":%llu,\"expected\":%llu,\"corrupt\":%llu,\"dup\":%llu,"
	       "\"foreign\":%llu,\"sock_drops\":%u,\"elapsed_ns\":%llu}\n",
	       (unsigned long long)got, (unsigned long long)expect,
	       (unsigned long long)bad, (unsigned long long)dup,
	       (unsigned long long)foreign, st.tp_drops,
	       (unsigned long long)(tlast - tfirst));
	close(fd);
	return got == expect && !bad ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "send"))
		return do_send(argv[2], strtoull(argv[3], NULL, 0),
			       argc > 4 ? strtoull(argv[4], NULL, 0) : 0,
			       argc > 5 ? strtoul(argv[5], NULL, 0) : 60);
	if (argc >= 6 && !strcmp(argv[1], "count"))
		return do_count(argv[2], strtoull(argv[3], NULL, 0),
				strtoull(argv[4], NULL, 0), argv[5],
				argc > 6 ? argv[6] : NULL);
	fprintf(stderr, "usage: rawpkt send IFACE COUNT [PPS] [SIZE]\n"
		"       rawpkt count IFACE EXPECT TIMEOUT_MS none|fwd|macswap [DST_MAC]\n");
	return 2;
}
