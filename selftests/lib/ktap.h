/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP/TAP helpers for pvr selftests (C). Header-only:
 *
 *	ktap_plan(3);
 *	ktap_test(ok, "name %d", i);
 *	ktap_skip("name", "reason");
 *	return ktap_finish();	// 0 pass, 1 fail, 4 all skipped
 */
#ifndef PVR_KTAP_H
#define PVR_KTAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KTAP_EXIT_PASS	0
#define KTAP_EXIT_FAIL	1
#define KTAP_EXIT_SKIP	4

static unsigned int ktap_num, ktap_npass, ktap_nfail, ktap_nskip;

static inline void ktap_plan(unsigned int n)
{
	printf("TAP version 13\n1..%u\n", n);
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2)))
void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline __attribute__((format(printf, 2, 3)))
int ktap_test(int ok, const char *fmt, ...)
{
	va_list ap;

	ktap_num++;
	if (ok)
		ktap_npass++;
	else
		ktap_nfail++;
	printf("%sok %u ", ok ? "" : "not ", ktap_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return ok;
}

/* A skip must say why. */
static inline void ktap_skip(const char *name, const char *reason)
{
	ktap_num++;
	ktap_nskip++;
	printf("ok %u %s # SKIP %s\n", ktap_num, name, reason);
	fflush(stdout);
}

static inline int ktap_finish(void)
{
	printf("# totals: pass:%u fail:%u skip:%u\n", ktap_npass, ktap_nfail,
	       ktap_nskip);
	fflush(stdout);
	if (ktap_nfail)
		return KTAP_EXIT_FAIL;
	if (!ktap_npass && ktap_nskip)
		return KTAP_EXIT_SKIP;
	if (!ktap_npass) {
		printf("# no test point ran\n");
		return KTAP_EXIT_FAIL;
	}
	return KTAP_EXIT_PASS;
}

#endif /* PVR_KTAP_H */
