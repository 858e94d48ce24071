// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: errors, logging, time, files and child commands.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vrbench.h"

extern char **environ;

/* ------------------------------------------------------------- errors */

static char errmsg[2048];

static int set_error(int code, const char *fmt, va_list ap)
{
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	return code;
}

int fail(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = set_error(BENCH_ERR, fmt, ap);
	va_end(ap);
	return ret;
}

int stall(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = set_error(BENCH_STALL, fmt, ap);
	va_end(ap);
	return ret;
}

const char *bench_error(void)
{
	return errmsg;
}

char *error_save(void)
{
	return xstrdup(errmsg);
}

int error_restore(int code, char *saved)
{
	snprintf(errmsg, sizeof(errmsg), "%s", saved);
	free(saved);
	return code;
}

volatile sig_atomic_t bench_stop;

static void on_stop_signal(int sig)
{
	bench_stop = sig;
}

/*
 * No SA_RESTART: a blocking wait (sleep, poll, netlink receive) returns
 * EINTR, sees bench_stop and ends, so the run cleans up (vr_sched rules
 * are host-wide and must not outlive it).
 */
void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		warn_line("vrbench: sigaction: %s", strerror(errno));
}

bool debug_enabled(void)
{
	const char *v = getenv("VRBENCH_DEBUG");

	return v && *v;
}

/* Progress lines: stdout, flushed at once (a VM console reads them live). */
void log_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void warn_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void die_oom(void)
{
	fputs("vrbench: out of memory\n", stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die_oom();
	return d;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		die_oom();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void note_vappend(char **note, const char *fmt, va_list ap)
{
	char *txt = xvasprintf(fmt, ap), *joined;

	if (*note && **note) {
		joined = xasprintf("%s; %s", *note, txt);
		free(txt);
		txt = joined;
	}
	free(*note);
	*note = txt;
}

void note_append(char **note, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	note_vappend(note, fmt, ap);
	va_end(ap);
}

void row_note(struct row *r, const char *fmt, ...)
{
	struct cell *c = &r->c[F_NOTE];
	char *note = c->kind == CELL_STR ? c->s : NULL;
	va_list ap;

	va_start(ap, fmt);
	note_vappend(&note, fmt, ap);
	va_end(ap);
	c->kind = CELL_STR;
	c->s = note;
}

/* --------------------------------------------------------------- time */

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int nap(double seconds)
{
	struct timespec ts;

	if (bench_stop)
		return fail("interrupted");
	if (seconds <= 0)
		return BENCH_OK;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts)) {
		if (errno != EINTR)
			return fail("nanosleep: %s", strerror(errno));
		if (bench_stop)
			return fail("interrupted");
	}
	return BENCH_OK;
}

/* -------------------------------------------------------------- files */

/* One write of "val\n", as "echo val > path": procfs and sysfs commands. */
int write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	char *line = xcalloc(1, len + 2);
	ssize_t n;
	int fd, err = 0;

	memcpy(line, val, len);
	line[len] = '\n';
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		n = write(fd, line, len + 1);
		if (n < 0)
			err = errno;
		else if ((size_t)n != len + 1)
			err = EIO;
		if (close(fd) && !err)
			err = errno;
	}
	free(line);
	if (err)
		return fail("write '%s' to %s: %s", val, path, strerror(err));
	return BENCH_OK;
}

/* The start of a small file, NUL-terminated. */
int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return fail("read %s: %s", path, strerror(err));
	buf[n] = '\0';
	return BENCH_OK;
}

/* The first number of a file (sysfs counters, ifindex). */
int read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;

	if (read_text(path, buf, sizeof(buf)))
		return BENCH_ERR;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return fail("%s: not a number: '%s'", path, buf);
	return BENCH_OK;
}

int dev_stat(const char *dev, const char *name, uint64_t *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", dev,
		 name);
	return read_u64(path, val);
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ----------------------------------------------------------- commands */

struct capture {
	int fd;
	char buf[4096];
	size_t len;
};

static void capture_read(struct capture *c)
{
	char tmp[1024];
	ssize_t n = read(c->fd, tmp, sizeof(tmp));
	size_t room = sizeof(c->buf) - 1 - c->len;

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	/* keep the start; an error message comes first */
	if ((size_t)n > room)
		n = room;
	memcpy(c->buf + c->len, tmp, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

static const char *strip(char *s)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	while (*s && strchr(" \t\r\n", *s))
		s++;
	return s;
}

static char *join_argv(const char *const argv[])
{
	char *s = xstrdup(argv[0]), *t;
	unsigned int i;

	for (i = 1; argv[i]; i++) {
		t = xasprintf("%s %s", s, argv[i]);
		free(s);
		s = t;
	}
	return s;
}

int run_argv(bool check, const char *const argv[])
{
	struct capture out = { .fd = -1 }, err = { .fd = -1 };
	posix_spawn_file_actions_t fa;
	int po[2], pe[2], ret, wstatus;
	struct pollfd pfd[2];
	const char *what;
	char *cmd;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC))
		return fail("%s: pipe: %s", argv[0], strerror(errno));
	if (pipe2(pe, O_CLOEXEC)) {
		ret = errno;
		close(po[0]);
		close(po[1]);
		return fail("%s: pipe: %s", argv[0], strerror(ret));
	}
	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	if (!ret)
		ret = posix_spawnp(&pid, argv[0], &fa, NULL,
				   (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	if (ret) {
		close(po[0]);
		close(pe[0]);
		return fail("%s: %s", argv[0], strerror(ret));
	}
	out.fd = po[0];
	err.fd = pe[0];
	while (out.fd >= 0 || err.fd >= 0) {
		pfd[0].fd = out.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = err.fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = errno;
			if (out.fd >= 0)
				close(out.fd);
			if (err.fd >= 0)
				close(err.fd);
			waitpid(pid, NULL, 0);
			return fail("%s: poll: %s", argv[0], strerror(ret));
		}
		if (pfd[0].revents)
			capture_read(&out);
		if (pfd[1].revents)
			capture_read(&err);
	}
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			return fail("%s: waitpid: %s", argv[0],
				    strerror(errno));
	}
	ret = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
	      128 + WTERMSIG(wstatus);
	if (!ret)
		return 0;
	what = *strip(err.buf) ? strip(err.buf) : strip(out.buf);
	if (!check) {
		/* only what it printed: the caller words the error */
		snprintf(errmsg, sizeof(errmsg), "%s", what);
		return ret;
	}
	cmd = join_argv(argv);
	fail("%s: %s", cmd, what);
	free(cmd);
	return BENCH_ERR;
}

void fmt_exit_status(char *buf, size_t len, bool exited, int wstatus)
{
	if (!exited)
		snprintf(buf, len, "None");
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "-%d", WTERMSIG(wstatus));
	else
		snprintf(buf, len, "%d", WEXITSTATUS(wstatus));
}
