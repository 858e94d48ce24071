// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: the routers. Each is `vnetdrv forward` (selftests/vhost_split):
 * a userspace virtio-net driver driving two vhost devices (vhost-net or
 * vhost-split) exactly as QEMU's virtio-net would, and forwarding as a
 * router does (DMAC rewrite, TTL--, checksum update). It stands in for a
 * router VM; it is NOT one: no vCPU, no guest kernel.
 *
 * A router prints {"ready":true} once its devices are set up and, when its
 * run ends, one JSON line with "mode":"forward" and its counters. It ends
 * `--timeout` ms after its last packet, which is how the routers end after
 * pktgen stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vrbench.h"

extern char **environ;

#define READY_TIMEOUT_S	15

/* Read what the router printed; false at EOF or on an error. */
static bool router_read(struct router *r)
{
	char buf[4096];
	ssize_t n;

	if (r->out_fd < 0)
		return false;
	n = read(r->out_fd, buf, sizeof(buf));
	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (n < 0)
			warn_line("vrbench: read from router %d: %s",
				  (int)r->pid, strerror(errno));
		close(r->out_fd);
		r->out_fd = -1;
		return false;
	}
	r->out = xrealloc(r->out, r->out_len + n + 1);
	memcpy(r->out + r->out_len, buf, n);
	r->out_len += n;
	r->out[r->out_len] = '\0';
	return true;
}

/* Wait up to @seconds for output; false at EOF, timeout or interrupt. */
static bool router_poll_read(struct router *r, double seconds)
{
	struct pollfd pfd = { .fd = r->out_fd, .events = POLLIN };
	int ms = seconds > 0 ? (int)(seconds * 1000) : 0, n;

	if (r->out_fd < 0)
		return false;
	n = poll(&pfd, 1, ms);
	if (n < 0) {
		if (errno != EINTR)
			warn_line("vrbench: poll router output: %s",
				  strerror(errno));
		return !bench_stop && errno == EINTR;
	}
	if (n == 0)
		return false;
	return router_read(r);
}

static bool router_reap(struct router *r, bool block)
{
	pid_t got;

	while (!r->exited) {
		got = waitpid(r->pid, &r->wstatus, block ? 0 : WNOHANG);
		if (got == r->pid) {
			r->exited = true;
		} else if (got < 0 && errno == EINTR) {
			continue;
		} else {
			if (got < 0)
				warn_line("vrbench: waitpid %d: %s",
					  (int)r->pid, strerror(errno));
			break;
		}
	}
	return r->exited;
}

/* What the router wrote to stderr: its last 300 bytes, one line. */
static void router_why(const struct router *r, char *buf, size_t len)
{
	char tmp[4097], flat[2 * sizeof(tmp)], *s, *d;
	off_t size, off;
	size_t keep;
	ssize_t n;

	buf[0] = '\0';
	size = lseek(r->err_fd, 0, SEEK_END);
	if (size < 0)
		return;
	off = size > 4096 ? size - 4096 : 0;
	n = pread(r->err_fd, tmp, sizeof(tmp) - 1, off);
	if (n <= 0)
		return;
	tmp[n] = '\0';
	while (n > 0 && strchr(" \t\r\n", tmp[n - 1]))
		tmp[--n] = '\0';
	for (s = tmp; *s && strchr(" \t\r\n", *s); s++)
		;
	/* newlines become "; " */
	for (d = flat; *s; s++) {
		if (*s == '\n') {
			*d++ = ';';
			*d++ = ' ';
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
	keep = d - flat > 300 ? (size_t)(d - flat) - 300 : 0;
	snprintf(buf, len, "%s", flat + keep);
}

/* The last {"mode":"forward",...} line the router printed, if any. */
static bool router_result(const struct router *r, struct router_result *res)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "\"packets\":", offsetof(struct router_result, packets) },
		{ "\"elapsed_ns\":", offsetof(struct router_result, elapsed_ns) },
		{ "\"drops\":", offsetof(struct router_result, drops) },
		{ "\"lost_calls\":", offsetof(struct router_result, lost_calls) },
		{ "\"dev_errors\":", offsetof(struct router_result, dev_errors) },
	};
	static const char mode[] = "\"mode\":\"forward\"";
	const char *line = r->out, *found = NULL, *nl, *p;
	size_t flen = 0, len, i;
	char *copy;

	while (line && *line) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (line[0] == '{' && memmem(line, len, mode, strlen(mode))) {
			found = line;
			flen = len;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!found)
		return false;
	/*
	 * A flat object of numbers and strings (vnetdrv's own format): each
	 * counter is looked up by its key; a missing one counts 0.
	 */
	copy = xcalloc(1, flen + 1);
	memcpy(copy, found, flen);
	memset(res, 0, sizeof(*res));
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		p = strstr(copy, keys[i].key);
		if (p)
			*(uint64_t *)((char *)res + keys[i].off) =
				strtoull(p + strlen(keys[i].key), NULL, 10);
	}
	free(copy);
	return true;
}

static int router_wait_ready(struct router *r, unsigned int i)
{
	double deadline = now_s() + READY_TIMEOUT_S;
	char why[400], rc[16];
	size_t scanned = 0;

	while (now_s() < deadline && !bench_stop) {
		if (!router_poll_read(r, 0.2)) {
			if (r->out_fd < 0)
				break;	/* EOF: it exited */
			continue;
		}
		/* complete lines only, as readline() gave them */
		while (r->out && scanned < r->out_len) {
			char *nl = memchr(r->out + scanned, '\n',
					  r->out_len - scanned);

			if (!nl)
				break;
			*nl = '\0';
			if (strstr(r->out + scanned, "\"ready\"")) {
				*nl = '\n';
				return BENCH_OK;
			}
			*nl = '\n';
			scanned = nl - r->out + 1;
		}
	}
	router_reap(r, false);
	router_why(r, why, sizeof(why));
	fmt_exit_status(rc, sizeof(rc), r->exited, r->wstatus);
	return fail("router %u did not start (exit %s): %s", i, rc, why);
}

static int router_spawn(struct router *r, unsigned int i,
			const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char errpath[64];
	int pipefd[2], ret;

	snprintf(errpath, sizeof(errpath), "/tmp/vrbench-router-%u.err", i);
	r->err_fd = open(errpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
			 0666);
	if (r->err_fd < 0)
		return fail("open %s: %s", errpath, strerror(errno));
	if (pipe2(pipefd, O_CLOEXEC))
		return fail("router %u: pipe: %s", i, strerror(errno));
	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, r->err_fd, 2);
	if (!ret)
		ret = posix_spawn(&r->pid, argv[0], &fa, NULL,
				  (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		r->pid = 0;
		return fail("router %u: start %s: %s", i, argv[0],
			    strerror(ret));
	}
	r->out_fd = pipefd[0];
	return BENCH_OK;
}

/*
 * router_cpus=: the routers start with that affinity (vrbench sets its own
 * around the spawn and the child inherits it), so whatever they create
 * when they attach inherits it too: on 6.4 and later, stock vhost-net's
 * worker is a vhost_task forked from its owner. vhost_split's workers are
 * placed by vr_sched rules (rule=), not by this.
 */
static int routers_pin(const struct bench_config *cfg, cpu_set_t *saved)
{
	if (!cfg->router_cpus)
		return BENCH_OK;
	if (sched_getaffinity(0, sizeof(*saved), saved))
		return fail("sched_getaffinity: %s", strerror(errno));
	if (sched_setaffinity(0, sizeof(cfg->router_set), &cfg->router_set))
		return fail("router_cpus=%s: %s", cfg->router_cpus,
			    strerror(errno));
	return BENCH_OK;
}

static int routers_unpin(const struct bench_config *cfg,
			 const cpu_set_t *saved)
{
	if (cfg->router_cpus &&
	    sched_setaffinity(0, sizeof(*saved), saved))
		return fail("sched_setaffinity back: %s", strerror(errno));
	return BENCH_OK;
}

int routers_start(struct routers *rs, const char *vnetdrv,
		  const struct bench_config *cfg, const char *ing_tap,
		  const char *egr_tap, long duration_ms, double idle)
{
	char ring[24], duration[24], timeout[24];
	cpu_set_t saved;
	unsigned int i;
	int ret = BENCH_OK;

	memset(rs, 0, sizeof(*rs));
	rs->idle = idle;
	snprintf(ring, sizeof(ring), "%ld", cfg->ring);
	snprintf(duration, sizeof(duration), "%ld", duration_ms);
	snprintf(timeout, sizeof(timeout), "%d", (int)(idle * 1000));
	for (i = 0; i < (unsigned int)cfg->routers; i++) {
		const char *const argv[] = {
			vnetdrv, "forward", "--dev", vhost_dev_path(cfg->dev),
			"--backend", "macvtap", "--tap", ing_tap,
			"--tap", egr_tap, "--ring", ring,
			"--dst-mac", SINK_MAC, "--duration", duration,
			"--timeout", timeout, "--count", "0", NULL,
		};
		struct router *r = &rs->r[i];

		r->out_fd = r->err_fd = -1;
		rs->n = i + 1;
		if (routers_pin(cfg, &saved)) {
			ret = BENCH_ERR;
		} else {
			ret = router_spawn(r, i, argv);
			if (routers_unpin(cfg, &saved))
				ret = BENCH_ERR;
		}
		if (ret || router_wait_ready(r, i)) {
			routers_close(rs);
			return BENCH_ERR;
		}
	}
	return BENCH_OK;
}

bool routers_alive(struct routers *rs)
{
	bool alive = true;
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		if (router_reap(&rs->r[i], false))
			alive = false;
	return alive;
}

/*
 * Why routers ended inside the window. A router that ends closes its tap
 * queue (its frames go with it), so what is left to show is what each
 * ended router had received.
 */
void routers_stall_report(struct routers *rs, char **out)
{
	struct router_result res;
	char why[400], rc[16];
	unsigned int i;

	for (i = 0; i < rs->n; i++) {
		struct router *r = &rs->r[i];

		if (!router_reap(r, false))
			continue;
		while (router_poll_read(r, 1.0))
			;
		if (router_result(r, &res)) {
			note_append(out, "router %u ended after %" PRIu64 " packets (none for %.1f s)",
				    i, res.packets, rs->idle);
		} else {
			router_why(r, why, sizeof(why));
			fmt_exit_status(rc, sizeof(rc), true, r->wstatus);
			note_append(out, "router %u exited %s: %s", i, rc, why);
		}
	}
}

/* Its output to the end and its exit, or SIGKILL at @until. */
static void router_end(struct router *r, double until)
{
	while (r->out_fd >= 0 && now_s() < until && !bench_stop)
		router_poll_read(r, until - now_s());
	while (!router_reap(r, false) && now_s() < until && !bench_stop)
		usleep(10000);
	if (!r->exited) {
		if (kill(r->pid, SIGKILL))
			warn_line("vrbench: kill router %d: %s", (int)r->pid,
				  strerror(errno));
		router_reap(r, true);
	}
	while (router_poll_read(r, 1.0))
		;
}

/*
 * Wait for the routers to end their run; collect their results. A router
 * that never got a packet (e.g. an idle queue under hash) has no idle
 * timeout to end on: it is killed and reports nothing.
 */
int routers_finish(struct routers *rs, double timeout,
		   struct router_result *res)
{
	double deadline = now_s() + timeout, left;
	char why[400], rc[16];
	unsigned int i;

	rs->killed = 0;
	for (i = 0; i < rs->n; i++) {
		struct router *r = &rs->r[i];

		left = deadline - now_s();
		router_end(r, now_s() + (left > 0.1 ? left : 0.1));
		if (router_result(r, &res[i]))
			continue;
		if (!WIFSIGNALED(r->wstatus) ||
		    WTERMSIG(r->wstatus) != SIGKILL) {
			router_why(r, why, sizeof(why));
			fmt_exit_status(rc, sizeof(rc), r->exited, r->wstatus);
			return fail("router %u gave no result (exit %s): %s", i,
				    rc, why);
		}
		rs->killed++;
		memset(&res[i], 0, sizeof(res[i]));
	}
	routers_close(rs);
	return BENCH_OK;
}

void routers_close(struct routers *rs)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++) {
		struct router *r = &rs->r[i];

		if (r->pid > 0 && !router_reap(r, false)) {
			if (kill(r->pid, SIGKILL))
				warn_line("vrbench: kill router %d: %s",
					  (int)r->pid, strerror(errno));
			router_reap(r, true);
		}
		if (r->out_fd >= 0)
			close(r->out_fd);
		if (r->err_fd >= 0)
			close(r->err_fd);
		free(r->out);
		memset(r, 0, sizeof(*r));
		r->out_fd = r->err_fd = -1;
	}
	rs->n = 0;
}
