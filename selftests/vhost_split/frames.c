// SPDX-License-Identifier: GPL-2.0
/*
 * Test frames: Ethernet/IPv4/UDP (or IPv4/TCP for GSO) whose L4 payload
 * starts with {magic, seq, frame length} followed by a pattern derived from
 * seq, so a receiver can regenerate the whole frame and compare it byte for
 * byte.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/virtio_net.h>

#include "vnet.h"

#define ETH_LEN		14
#define IP_LEN		20
#define UDP_LEN		8
#define TCP_LEN		20
#define GSO_MSS		1448

static const uint8_t dst_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	return s;
}

size_t frame_build(uint8_t *p, size_t len, uint32_t seq, bool gso)
{
	size_t l4 = gso ? TCP_LEN : UDP_LEN, off = ETH_LEN + IP_LEN + l4, i;
	uint8_t *ip = p + ETH_LEN, *th = ip + IP_LEN;
	uint32_t w[3];
	uint16_t v;

	if (len < off + sizeof(w))
		len = off + sizeof(w);
	w[0] = htonl(VNET_MAGIC);
	w[1] = htonl(seq);
	w[2] = htonl(len);
	memcpy(p, dst_mac, 6);
	memcpy(p + 6, src_mac, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	memset(ip, 0, IP_LEN + l4);
	ip[0] = 0x45;
	v = htons(len - ETH_LEN);
	memcpy(ip + 2, &v, 2);
	v = htons(seq & 0xffff);
	memcpy(ip + 4, &v, 2);
	ip[8] = 64;
	ip[9] = gso ? 6 : 17;
	ip[12] = 198; ip[13] = 18; ip[14] = 0; ip[15] = 1;
	ip[16] = 198; ip[17] = 18; ip[18] = 1; ip[19] = 1;
	v = htons(~csum_fold(csum_add(0, ip, IP_LEN)) & 0xffff);
	memcpy(ip + 10, &v, 2);
	th[0] = 0x30; th[1] = 0x39;	/* port 12345 -> 9 */
	th[2] = 0x00; th[3] = 0x09;
	if (gso) {
		uint32_t s = 0;

		th[12] = 5 << 4;
		th[13] = 0x18;	/* PSH ACK */
		th[14] = 0xff; th[15] = 0xff;
		/* CHECKSUM_PARTIAL: the pseudo header sum, not inverted */
		s = csum_add(s, ip + 12, 8);
		s += 6 + (len - ETH_LEN - IP_LEN);
		v = htons(csum_fold(s));
		memcpy(th + 16, &v, 2);
	} else {
		v = htons(len - ETH_LEN - IP_LEN);
		memcpy(th + 4, &v, 2);	/* UDP checksum 0: none */
	}
	memcpy(p + off, w, sizeof(w));
	for (i = off + sizeof(w); i < len; i++)
		p[i] = (uint8_t)(seq * 131 + i * 7 + (i >> 8));
	return len;
}

/* 0 = our frame and intact, 1 = not one of ours, -1 = ours but corrupt. */
int frame_check(const uint8_t *p, size_t len, uint32_t *seq, bool gso)
{
	static uint8_t ref[70000];
	size_t off = ETH_LEN + IP_LEN + (gso ? TCP_LEN : UDP_LEN);
	uint32_t w[3];

	if (len < off + sizeof(w) || len > sizeof(ref) || p[12] != 0x08 ||
	    p[13] != 0x00)
		return 1;
	memcpy(w, p + off, sizeof(w));
	if (ntohl(w[0]) != VNET_MAGIC)
		return 1;
	*seq = ntohl(w[1]);
	if (ntohl(w[2]) != len)
		return -1;
	frame_build(ref, len, *seq, gso);
	return memcmp(ref, p, len) ? -1 : 0;
}

void frame_vnet_hdr(void *hdr, size_t frame_len, bool gso)
{
	struct virtio_net_hdr_mrg_rxbuf *h = hdr;

	memset(h, 0, sizeof(*h));
	if (!gso || frame_len <= ETH_LEN + IP_LEN + TCP_LEN + GSO_MSS)
		return;
	h->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h->hdr.hdr_len = ETH_LEN + IP_LEN + TCP_LEN;
	h->hdr.gso_size = GSO_MSS;
	h->hdr.csum_start = ETH_LEN + IP_LEN;
	h->hdr.csum_offset = 16;
}
