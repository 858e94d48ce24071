// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl misuse: each case runs on a fresh open of the device and prints
 * "misuse CASE RESULT" where RESULT is 0 or the errno name, so that the
 * output of two devices can be compared line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include "vnet.h"

#define MEMSZ	(1 << 20)

static uint8_t *mem;
static const char *tapname;

struct mcase {
	const char *name;
	bool owner;		/* SET_OWNER first */
	bool mem;		/* a valid memory table first */
	int (*fn)(int fd);
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

static int set_mem(int fd, unsigned int n, const struct vhost_memory_region *r)
{
	struct vhost_memory *m = calloc(1, sizeof(*m) + n * sizeof(*r));
	int e;

	if (!m)
		return ENOMEM;
	m->nregions = n;
	memcpy(m->regions, r, n * sizeof(*r));
	e = xioctl(fd, VHOST_SET_MEM_TABLE, m);
	free(m);
	return e;
}

static int good_mem(int fd)
{
	struct vhost_memory_region r = {
		.guest_phys_addr = 0, .memory_size = MEMSZ,
		.userspace_addr = (uintptr_t)mem,
	};

	return set_mem(fd, 1, &r);
}

static int vring_num(int fd, unsigned int idx, unsigned int num)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return xioctl(fd, VHOST_SET_VRING_NUM, &s);
}

static int vring_addr(int fd, uint64_t desc, uint64_t avail, uint64_t used,
		      unsigned int flags, uint64_t log)
{
	struct vhost_vring_addr a = {
		.index = 0, .flags = flags,
		.desc_user_addr = desc, .avail_user_addr = avail,
		.used_user_addr = used, .log_guest_addr = log,
	};

	return xioctl(fd, VHOST_SET_VRING_ADDR, &a);
}

static int backend(int fd, unsigned int idx, int bfd)
{
	struct vhost_vring_file f = { .index = idx, .fd = bfd };

	return xioctl(fd, VHOST_NET_SET_BACKEND, &f);
}

static int m_mem_no_owner(int fd) { return good_mem(fd); }
static int m_num_no_owner(int fd) { return vring_num(fd, 0, 256); }
static int m_unknown_no_owner(int fd)
{
	return xioctl(fd, _IO(VHOST_VIRTIO, 0xee), NULL);
}

static int m_backend_no_owner(int fd)
{
	int e = eventfd(0, 0), r = backend(fd, 0, e);

	close(e);
	return r;
}

static int m_features_no_owner(int fd)
{
	uint64_t f;

	return xioctl(fd, VHOST_GET_FEATURES, &f);
}

static int m_owner_twice(int fd) { return xioctl(fd, VHOST_SET_OWNER, NULL); }

static int child_ioctl(int fd, bool owner)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(owner ? xioctl(fd, VHOST_SET_OWNER, NULL) : good_mem(fd));
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int m_owner_other_process(int fd) { return child_ioctl(fd, true); }
static int m_mem_other_process(int fd) { return child_ioctl(fd, false); }
static int m_num_npot(int fd) { return vring_num(fd, 0, 100); }
static int m_num_zero(int fd) { return vring_num(fd, 0, 0); }
static int m_num_65536(int fd) { return vring_num(fd, 0, 65536); }
static int m_num_32768(int fd) { return vring_num(fd, 0, 32768); }
static int m_num_index(int fd) { return vring_num(fd, 2, 256); }

static int m_features_unknown(int fd)
{
	uint64_t f = 1ULL << 60;

	return xioctl(fd, VHOST_SET_FEATURES, &f);
}

static int m_mem_overlap(int fd)
{
	struct vhost_memory_region r[2] = {
		{ 0, MEMSZ, (uintptr_t)mem, 0 },
		{ MEMSZ / 2, MEMSZ / 2, (uintptr_t)mem, 0 },
	};

	return set_mem(fd, 2, r);
}

/* At GPA 0 "size 0" makes last = ~0: stock maps the whole space. */
static int m_mem_zero(int fd)
{
	struct vhost_memory_region r = { 0, 0, (uintptr_t)mem, 0 };

	return set_mem(fd, 1, &r);
}

static int m_mem_zero_1m(int fd)
{
	struct vhost_memory_region r = { 1 << 20, 0, (uintptr_t)mem, 0 };

	return set_mem(fd, 1, &r);
}

static int m_mem_gpa_overflow(int fd)
{
	struct vhost_memory_region r = { ~0ULL - 4095, MEMSZ, (uintptr_t)mem, 0 };

	return set_mem(fd, 1, &r);
}

static int m_mem_uaddr_overflow(int fd)
{
	struct vhost_memory_region r = { 0, MEMSZ, ~0ULL - 4095, 0 };

	return set_mem(fd, 1, &r);
}

static int m_mem_kernel_uaddr(int fd)
{
	struct vhost_memory_region r = { 0, MEMSZ, 0xffff888000000000ULL, 0 };

	return set_mem(fd, 1, &r);
}

static int m_mem_too_many(int fd)
{
	struct vhost_memory m = { .nregions = 65536 };

	return xioctl(fd, VHOST_SET_MEM_TABLE, &m);
}

static int m_mem_padding(int fd)
{
	struct vhost_memory m = { .nregions = 0, .padding = 1 };

	return xioctl(fd, VHOST_SET_MEM_TABLE, &m);
}

#define RING(o)	((uintptr_t)mem + (o))
static int m_addr_desc(int fd)
{
	return vring_addr(fd, RING(1), RING(8192), RING(12288), 0, 0);
}

static int m_addr_avail(int fd)
{
	return vring_addr(fd, RING(0), RING(8193), RING(12288), 0, 0);
}

static int m_addr_used(int fd)
{
	return vring_addr(fd, RING(0), RING(8192), RING(12290), 0, 0);
}

static int m_addr_log(int fd)
{
	return vring_addr(fd, RING(0), RING(8192), RING(12288),
			  1 << VHOST_VRING_F_LOG, 12290);
}

static int m_addr_kernel(int fd)
{
	return vring_addr(fd, 0xffff888000000000ULL, RING(8192), RING(12288),
			  0, 0);
}

static int m_addr_good(int fd)
{
	return vring_addr(fd, RING(0), RING(8192), RING(12288), 0, 0);
}

static int m_backend_eventfd(int fd)
{
	int e = eventfd(0, 0), r = backend(fd, 0, e);

	close(e);
	return r;
}

static int m_backend_badfd(int fd) { return backend(fd, 0, 9999); }

static int m_backend_udp(int fd)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), r = backend(fd, 0, s);

	close(s);
	return r;
}

static int m_backend_index(int fd)
{
	int t = tap_open(tapname, 12, true, false), r;

	if (t < 0)
		return -t;
	r = backend(fd, 2, t);
	close(t);
	return r;
}

static int m_unknown(int fd)
{
	return xioctl(fd, _IO(VHOST_VIRTIO, 0xee), NULL);
}

static int m_unknown_arg(int fd)
{
	uint64_t buf[8] = { 0 };

	return xioctl(fd, _IOW(VHOST_VIRTIO, 0xee, uint64_t), buf);
}

/* Ring resize while a backend is attached. */
static int m_num_while_running(int fd)
{
	int t = tap_open(tapname, 12, true, false), r;
	int k = eventfd(0, 0);
	struct vhost_vring_file f = { .index = 0, .fd = k };

	if (t < 0)
		return -t;
	vring_num(fd, 0, 256);
	m_addr_good(fd);
	xioctl(fd, VHOST_SET_VRING_KICK, &f);
	r = backend(fd, 0, t);
	if (r) {
		fprintf(stderr, "misuse: attaching the backend failed: %s\n",
			strerror(r));
		r = -1;
	} else {
		r = vring_num(fd, 0, 128);
		backend(fd, 0, -1);
	}
	close(t);
	close(k);
	return r;
}

static const struct mcase mcases[] = {
	{ "mem-table-before-owner", false, false, m_mem_no_owner },
	{ "vring-num-before-owner", false, false, m_num_no_owner },
	{ "backend-before-owner", false, false, m_backend_no_owner },
	{ "unknown-ioctl-before-owner", false, false, m_unknown_no_owner },
	{ "get-features-before-owner", false, false, m_features_no_owner },
	{ "set-owner-twice", true, false, m_owner_twice },
	{ "set-owner-second-process", true, false, m_owner_other_process },
	{ "mem-table-second-process", true, false, m_mem_other_process },
	{ "set-features-unknown-bit", true, false, m_features_unknown },
	{ "vring-num-not-power-of-2", true, true, m_num_npot },
	{ "vring-num-zero", true, true, m_num_zero },
	{ "vring-num-65536", true, true, m_num_65536 },
	{ "vring-num-32768", true, true, m_num_32768 },
	{ "vring-index-out-of-range", true, true, m_num_index },
	{ "mem-overlapping-regions", true, false, m_mem_overlap },
	{ "mem-zero-size-region", true, false, m_mem_zero },
	{ "mem-zero-size-region-at-1m", true, false, m_mem_zero_1m },
	{ "mem-gpa-overflow", true, false, m_mem_gpa_overflow },
	{ "mem-uaddr-overflow", true, false, m_mem_uaddr_overflow },
	{ "mem-kernel-uaddr", true, false, m_mem_kernel_uaddr },
	{ "mem-too-many-regions", true, false, m_mem_too_many },
	{ "mem-padding-nonzero", true, false, m_mem_padding },
	{ "vring-addr-desc-misaligned", true, true, m_addr_desc },
	{ "vring-addr-avail-misaligned", true, true, m_addr_avail },
	{ "vring-addr-used-misaligned", true, true, m_addr_used },
	{ "vring-addr-log-misaligned", true, true, m_addr_log },
	{ "vring-addr-kernel-pointer", true, true, m_addr_kernel },
	{ "vring-addr-valid", true, true, m_addr_good },
	{ "backend-eventfd", true, true, m_backend_eventfd },
	{ "backend-bad-fd", true, true, m_backend_badfd },
	{ "backend-udp-socket", true, true, m_backend_udp },
	{ "backend-index-out-of-range", true, true, m_backend_index },
	{ "vring-num-while-running", true, true, m_num_while_running },
	{ "unknown-ioctl", true, true, m_unknown },
	{ "unknown-ioctl-with-arg", true, true, m_unknown_arg },
};

static const char *ename(int e)
{
	const char *n;

	if (e < 0)
		return "HARNESS-ERROR";
	if (!e)
		return "0";
	n = strerrorname_np(e);
	return n ? n : "E?";
}

int mode_misuse(const char *dev, const char *tap)
{
	unsigned int i;
	int bad = 0;

	if (!tap) {
		fprintf(stderr, "misuse: needs --tap NAME\n");
		return 2;
	}
	tapname = tap;
	mem = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	alarm(30);
	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		const struct mcase *c = &mcases[i];
		int fd = open(dev, O_RDWR | O_CLOEXEC), e;

		if (fd < 0) {
			fprintf(stderr, "misuse: open %s: %s\n", dev,
				strerror(errno));
			return 1;
		}
		if ((c->owner && xioctl(fd, VHOST_SET_OWNER, NULL)) ||
		    (c->mem && good_mem(fd))) {
			printf("misuse %s HARNESS-ERROR\n", c->name);
			bad++;
			close(fd);
			continue;
		}
		e = c->fn(fd);
		if (e < 0)
			bad++;
		printf("misuse %s %s\n", c->name, ename(e));
		fflush(stdout);
		close(fd);
	}
	return bad ? 1 : 0;
}
