// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: rate-controlled 64-byte single-flow traffic out of gen0, with
 * the kernel's pktgen (/proc/net/pktgen).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrbench.h"

#define PG		"/proc/net/pktgen"
#define PG_THREAD	PG "/kpktgend_0"
#define PG_CTRL		PG "/pgctrl"
/*
 * pktgen sleeps (hrtimer) only when the next frame is >= 100 us away and
 * busy-waits otherwise; several pktgen devices on one veth, each at a share
 * of the rate, keep the per-device gap above that so the generator does not
 * burn a whole vCPU of a 2-vCPU guest.
 */
#define PG_MIN_GAP_NS	150000
#define PG_MAX_DEVS	32
/* How long the pktgen thread may take to apply a command (starved guest). */
#define PG_SETTLE_S	20
/* How long "stop" may take to end the blocked "start" write. */
#define PG_STOP_S	10

#define STR_(x)		#x
#define STR(x)		STR_(x)

int pg_init(struct pktgen *pg)
{
	struct stat st;

	memset(pg, 0, sizeof(*pg));
	if (stat(PG, &st) || !S_ISDIR(st.st_mode))
		return fail("pktgen is not available (modprobe pktgen)");
	return BENCH_OK;
}

static bool pg_has_devices(void)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(PG);

	if (!d)
		return false;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, GEN_TX "@", strlen(GEN_TX) + 1))
			found = true;
	closedir(d);
	return found;
}

int pg_setup(struct pktgen *pg, long rate)
{
	static const char *const cmds[] = {
		"count 0", "clone_skb 0", "pkt_size " STR(FRAME),
		"dst_mac " ING_MAC, "dst 198.18.1.1",
		"src_min 198.18.0.1", "src_max 198.18.0.1",
		"udp_src_min 9", "udp_src_max 9",
		"udp_dst_min 9", "udp_dst_max 9",
	};
	char dev[32], path[96], cmd[64];
	unsigned int n = 1, i, j;
	double deadline;
	long share;

	if (pg_reset(pg))
		return BENCH_ERR;
	if (rate) {
		long long need = ((long long)rate * PG_MIN_GAP_NS + 999999999) /
				 1000000000;

		n = need < 1 ? 1 : need > PG_MAX_DEVS ? PG_MAX_DEVS : need;
	}
	for (i = 0; i < n; i++) {
		snprintf(dev, sizeof(dev), "%s@%u", GEN_TX, i);
		snprintf(cmd, sizeof(cmd), "add_device %s", dev);
		/*
		 * rem_device_all is applied by the pktgen thread when it next
		 * runs, which a starved guest may delay by seconds (EBUSY)
		 */
		deadline = now_s() + PG_SETTLE_S;
		while (write_file(PG_THREAD, cmd)) {
			if (now_s() > deadline || nap(0.1))
				return BENCH_ERR;
		}
		pg->ndevs = i + 1;
		snprintf(path, sizeof(path), "%s/%s", PG, dev);
		for (j = 0; j < ARRAY_SIZE(cmds); j++)
			if (write_file(path, cmds[j]))
				return BENCH_ERR;
		if (rate) {
			/* Spread the remainder so the devices add up to rate. */
			share = rate / n + ((long)i < rate % n ? 1 : 0);
			snprintf(cmd, sizeof(cmd), "ratep %ld",
				 share > 1 ? share : 1);
		} else {
			snprintf(cmd, sizeof(cmd), "delay 0");
		}
		if (write_file(path, cmd))
			return BENCH_ERR;
	}
	return BENCH_OK;
}

/* Writing "start" blocks until every device stops: a child does it. */
int pg_start(struct pktgen *pg)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork for pktgen start: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (write_file(PG_CTRL, "start")) {
			warn_line("vrbench: %s", bench_error());
			_exit(1);
		}
		_exit(0);
	}
	pg->start_pid = pid;
	return BENCH_OK;
}

int pg_stop(struct pktgen *pg)
{
	double deadline;
	int ret = BENCH_OK;
	pid_t got;

	if (!pg->start_pid)
		return BENCH_OK;
	ret = write_file(PG_CTRL, "stop");
	deadline = now_s() + PG_STOP_S;
	for (;;) {
		got = waitpid(pg->start_pid, NULL, WNOHANG);
		if (got == pg->start_pid || (got < 0 && errno != EINTR))
			break;
		if (now_s() > deadline || bench_stop) {
			kill(pg->start_pid, SIGKILL);
			while (waitpid(pg->start_pid, NULL, 0) < 0 &&
			       errno == EINTR)
				;
			break;
		}
		usleep(20000);
	}
	pg->start_pid = 0;
	return ret;
}

int pg_reset(struct pktgen *pg)
{
	double deadline;
	int ret;

	ret = pg_stop(pg);
	if (path_exists(PG_THREAD)) {
		if (write_file(PG_THREAD, "rem_device_all"))
			ret = BENCH_ERR;
		/* wait (bounded) until the thread has dropped the devices */
		deadline = now_s() + PG_SETTLE_S;
		while (now_s() < deadline && pg_has_devices())
			if (nap(0.1))
				break;
	}
	pg->ndevs = 0;
	return ret;
}
