// SPDX-License-Identifier: GPL-2.0
/*
 * fi_setup: drive pvr's setup paths under fault injection (fail-nth).
 *
 *   fi_setup vhost DEVICE TAPNAME   open, SET_OWNER, SET_MEM_TABLE, vring
 *                                   setup and backend attach of a vhost-net
 *                                   compatible DEVICE, with a tap backend
 *   fi_setup link LOWER             create a macvtap_mq link on LOWER
 *                                   (rtnetlink), open its queue, delete it
 *
 * For every step it makes the 1st, 2nd, 3rd ... fault-injection point the
 * step reaches fail (/proc/thread-self/fail-nth), until the step completes
 * with no point left to fail. Each injected failure must surface as a clean
 * error return (any negative errno; the step is then retried from scratch)
 * or be absorbed (the step succeeds: the kernel had a fallback); after the
 * sweep the full sequence must still work. Leaks and warnings are judged by
 * the VM runner (kmemleak, dmesg) and by the module unloading afterwards.
 * Output: TAP, one point per step.
 */
#include <errno.h>
#include <net/if.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/vhost.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "../lib/ktap.h"

#define MAX_NTH		2000
#define RING		256
#define MEM_SIZE	(1 << 20)

static int nth_fd = -1;

static void nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len) {
		perror("fail-nth write");
		exit(KTAP_EXIT_FAIL);
	}
}

/* Remaining count: non-zero means the armed point was never reached. */
static unsigned int nth_disarm(void)
{
	char buf[16] = "";
	unsigned int left;

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0) {
		perror("fail-nth read");
		exit(KTAP_EXIT_FAIL);
	}
	left = (unsigned int)strtoul(buf, NULL, 10);
	nth_arm(0);
	return left;
}

/* ------------------------------------------------------------- vhost */

struct vh {
	const char *dev, *tap;
	void *mem;
	int fd, tapfd, kick, call;
};

static int tap_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void vh_close(struct vh *v)
{
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

/* The steps, each building on the previous ones. 0 or -errno. */
static int vh_step(struct vh *v, int step)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} mt = { .m.nregions = 1 };
	uint64_t base = (uint64_t)(uintptr_t)v->mem, features;
	struct vhost_vring_addr addr;
	struct vhost_vring_file f;
	struct vhost_vring_state st;
	unsigned int q;

	switch (step) {
	case 0:
		v->fd = open(v->dev, O_RDWR);
		return v->fd < 0 ? -errno : 0;
	case 1:
		return ioctl(v->fd, VHOST_SET_OWNER) ? -errno : 0;
	case 2:
		if (ioctl(v->fd, VHOST_GET_FEATURES, &features))
			return -errno;
		features &= (1ULL << 32) | (1ULL << 15);	/* VERSION_1, MRG_RXBUF */
		if (ioctl(v->fd, VHOST_SET_FEATURES, &features))
			return -errno;
		mt.r.guest_phys_addr = 0;
		mt.r.memory_size = MEM_SIZE;
		mt.r.userspace_addr = base;
		return ioctl(v->fd, VHOST_SET_MEM_TABLE, &mt) ? -errno : 0;
	case 3:
		for (q = 0; q < 2; q++) {
			st.index = q;
			st.num = RING;
			if (ioctl(v->fd, VHOST_SET_VRING_NUM, &st))
				return -errno;
			st.num = 0;
			if (ioctl(v->fd, VHOST_SET_VRING_BASE, &st))
				return -errno;
			memset(&addr, 0, sizeof(addr));
			addr.index = q;
			addr.desc_user_addr = base + q * 0x10000;
			addr.avail_user_addr = addr.desc_user_addr + 16 * RING;
			addr.used_user_addr = addr.desc_user_addr + 0x8000;
			if (ioctl(v->fd, VHOST_SET_VRING_ADDR, &addr))
				return -errno;
			f.index = q;
			f.fd = v->kick;
			if (ioctl(v->fd, VHOST_SET_VRING_KICK, &f))
				return -errno;
			f.fd = v->call;
			if (ioctl(v->fd, VHOST_SET_VRING_CALL, &f))
				return -errno;
		}
		return 0;
	case 4:
		for (q = 0; q < 2; q++) {
			f.index = q;
			f.fd = v->tapfd;
			if (ioctl(v->fd, VHOST_NET_SET_BACKEND, &f))
				return -errno;
		}
		return 0;
	}
	return -EINVAL;
}

static const char *const vh_names[] = {
	"device open", "SET_OWNER", "SET_FEATURES + SET_MEM_TABLE",
	"vring setup", "backend attach",
};

/*
 * Sweep one step: for n = 1, 2, ... redo steps 0..step-1 cleanly, arm
 * fail-nth = n, run the step, disarm. Stops when the step completed without
 * reaching the nth point. Returns the number of points failed, or -1 when
 * a clean redo failed (state was corrupted by an earlier failure).
 */
static int vh_sweep(struct vh *v, int step, unsigned int *absorbed)
{
	unsigned int n, left;
	int i, err;

	*absorbed = 0;
	for (n = 1; n <= MAX_NTH; n++) {
		for (i = 0; i < step; i++) {
			err = vh_step(v, i);
			if (err) {
				ktap_diag("%s: clean redo of '%s' failed: %s after %u injections",
					  vh_names[step], vh_names[i], strerror(-err), n - 1);
				vh_close(v);
				return -1;
			}
		}
		nth_arm(n);
		err = vh_step(v, step);
		left = nth_disarm();
		vh_close(v);
		if (left)		/* ran to the end with no point left */
			return err ? -1 : (int)(n - 1);
		if (!err)
			(*absorbed)++;
	}
	ktap_diag("%s: still injecting after %u points", vh_names[step], MAX_NTH);
	return -1;
}

static int run_vhost(const char *dev, const char *tapname)
{
	struct vh v = { .dev = dev, .tap = tapname, .fd = -1 };
	unsigned int absorbed;
	int step, n, err;

	v.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	v.tapfd = tap_open(tapname);
	v.kick = eventfd(0, EFD_NONBLOCK);
	v.call = eventfd(0, EFD_NONBLOCK);
	if (v.mem == MAP_FAILED || v.tapfd < 0 || v.kick < 0 || v.call < 0) {
		ktap_diag("setup failed: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}

	ktap_plan(6);
	for (step = 0; step < 5; step++) {
		n = vh_sweep(&v, step, &absorbed);
		ktap_test(n >= 0, "%s on %s: %d allocation failures injected, each a clean error (%u absorbed)",
			  vh_names[step], dev, n, absorbed);
	}
	/* After all of that, the whole sequence still works. */
	err = 0;
	for (step = 0; step < 5 && !err; step++)
		err = vh_step(&v, step);
	ktap_test(!err, "%s works after the sweep (%s)", dev, err ? strerror(-err) : "ok");
	vh_close(&v);
	close(v.tapfd);
	return ktap_finish();
}

/* -------------------------------------------------------------- link */

static int rtnl_link(struct mnl_socket *nl, int cmd, const char *name,
		     unsigned int lower)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	struct nlattr *li;
	uint32_t seq = (uint32_t)time(NULL);
	int ret;

	nlh->nlmsg_type = cmd;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (cmd == RTM_NEWLINK ? NLM_F_CREATE | NLM_F_EXCL : 0);
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (cmd == RTM_NEWLINK) {
		mnl_attr_put_u32(nlh, IFLA_LINK, lower);
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvtap_mq");
		mnl_attr_nest_end(nlh, li);
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, seq, mnl_socket_get_portid(nl), NULL, NULL);
	return ret < 0 ? -errno : 0;
}

static int queue_open(const char *name)
{
	char path[64];
	unsigned int idx = if_nametoindex(name);
	int fd;

	if (!idx)
		return -ENODEV;
	snprintf(path, sizeof(path), "/dev/tap%u", idx);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int run_link(const char *lowername)
{
	unsigned int lower = if_nametoindex(lowername), n, left, absorbed;
	const char *name = "pvrfi0";
	struct mnl_socket *nl;
	int err, i, ok;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!lower || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ktap_diag("setup failed: %s", strerror(errno));
		return KTAP_EXIT_FAIL;
	}
	ktap_plan(3);
	for (i = 0; i < 2; i++) {
		ok = 0;
		absorbed = 0;
		for (n = 1; n <= MAX_NTH; n++) {
			if (i == 1 && rtnl_link(nl, RTM_NEWLINK, name, lower)) {
				ktap_diag("clean link creation failed after %u injections", n - 1);
				break;
			}
			nth_arm(n);
			err = i == 0 ? rtnl_link(nl, RTM_NEWLINK, name, lower) :
				       queue_open(name);
			left = nth_disarm();
			/* Whatever happened, the link must be deletable or gone. */
			rtnl_link(nl, RTM_DELLINK, name, 0);
			if (if_nametoindex(name)) {
				ktap_diag("link still present after delete");
				break;
			}
			if (left) {
				ok = !err;
				break;
			}
			if (!err)
				absorbed++;
		}
		ktap_test(ok, "%s: %u allocation failures injected, each a clean error (%u absorbed)",
			  i == 0 ? "macvtap_mq link creation" : "macvtap_mq queue open",
			  n - 1, absorbed);
	}
	err = rtnl_link(nl, RTM_NEWLINK, name, lower);
	if (!err)
		err = queue_open(name);
	ktap_test(!err, "link creation and queue open work after the sweep (%s)",
		  err ? strerror(-err) : "ok");
	rtnl_link(nl, RTM_DELLINK, name, 0);
	mnl_socket_close(nl);
	return ktap_finish();
}

int main(int argc, char **argv)
{
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		ktap_plan(1);
		ktap_skip("fault injection", "kernel without CONFIG_FAULT_INJECTION (no fail-nth); make check-debug runs this");
		return ktap_finish();
	}
	if (argc == 4 && !strcmp(argv[1], "vhost"))
		return run_vhost(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "link"))
		return run_link(argv[2]);
	fprintf(stderr, "usage: fi_setup vhost DEVICE TAPNAME | link LOWER\n");
	return KTAP_EXIT_FAIL;
}
