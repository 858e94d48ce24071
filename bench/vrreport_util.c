// SPDX-License-Identifier: GPL-2.0
/*
 * vrreport helpers: errors, memory, growing strings, files, UTF-8 and the
 * number formatting of Python (repr(float), "%.Nf", float(), round()) that
 * the report's outputs were defined with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vrreport.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vrreport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vrreport: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die("formatting failed: %s", strerror(errno));
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
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

/* ---------------------------------------------------------------- sbuf */

static void sb_grow(struct sbuf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need < more)
		die("string too long");
	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	sb_add(b, s);
	free(s);
}

void sb_pad(struct sbuf *b, const char *s, size_t width, bool left)
{
	size_t w = utf8_width(s);

	if (left)
		sb_add(b, s);
	for (; w < width; w++)
		sb_addc(b, ' ');
	if (!left)
		sb_add(b, s);
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	sb_addn(b, "", 0);
}

char *sb_steal(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* --------------------------------------------------------------- files */

char *read_file(const char *path, size_t *len)
{
	struct sbuf b = { 0 };
	char chunk[65536];
	FILE *f = fopen(path, "r");
	size_t n;
	int err;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_addn(&b, chunk, n);
	if (ferror(f)) {
		err = errno ? errno : EIO;
		fclose(f);
		free(b.s);
		errno = err;
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return sb_steal(&b);
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (name[0] == '/' || !n)
		return xstrdup(name);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

/* ---------------------------------------------------------------- utf-8 */

long utf8_invalid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, n;
	unsigned int cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 1;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 2;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 3;
		else
			return (long)i;
		cp = s[i] & (0x3f >> n);
		min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
		if (len - i <= n)
			return (long)i;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (long)i;
		i += n + 1;
	}
	return -1;
}

unsigned int utf8_next(const char **str)
{
	const unsigned char *s = (const unsigned char *)*str;
	unsigned int cp;
	size_t n, k;

	if (s[0] < 0x80) {
		*str += 1;
		return s[0];
	}
	n = s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;
	cp = s[0] & (0x3f >> n);
	for (k = 1; k <= n && s[k]; k++)
		cp = cp << 6 | (s[k] & 0x3f);
	*str += k;
	return cp;
}

size_t utf8_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* str.isspace() */
bool py_isspace(unsigned int c)
{
	return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) ||
	       c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

void py_rstrip(char *s)
{
	const char *p = s;
	char *end = s;

	while (*p) {
		unsigned int c = utf8_next(&p);

		if (!py_isspace(c))
			end = (char *)p;
	}
	*end = 0;
}

char *py_strip(char *s)
{
	const char *p = s, *q;

	for (;;) {
		q = p;
		if (!*p || !py_isspace(utf8_next(&p)))
			break;
	}
	s = (char *)q;
	py_rstrip(s);
	return s;
}

/* --------------------------------------------------------------- numbers */

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* digit (['_'] digit)*, copied without the underscores; false if none. */
static bool digitpart(const char **s, struct sbuf *out)
{
	const char *p = *s;

	if (!isdig(*p))
		return false;
	for (;;) {
		sb_addc(out, *p++);
		if (*p == '_' && isdig(p[1]))
			p++;
		else if (!isdig(*p))
			break;
	}
	*s = p;
	return true;
}

/* the spaces float() ignores around a number: \x1c-\x1f are not */
static bool float_space(unsigned int c)
{
	return c < 0x80 ? c == ' ' || (c >= 0x09 && c <= 0x0d) : py_isspace(c);
}

/*
 * float(str) of Python: [sign] digits [. digits] [e [sign] digits], an
 * underscore allowed between two digits, or inf, infinity, nan, with
 * spaces around. (Non-ASCII digits, which Python also takes, are not.)
 */
bool py_float(const char *str, double *out)
{
	struct sbuf b = { 0 };
	const char *p, *q, *end;
	bool neg = false, ok = false;
	char *copy;

	if (!str)
		return false;
	for (p = str; *p; p = q) {
		q = p;
		if (!float_space(utf8_next(&q)))
			break;
	}
	for (end = q = p; *q;)
		if (!float_space(utf8_next(&q)))
			end = q;
	copy = xmalloc((size_t)(end - p) + 1);
	memcpy(copy, p, (size_t)(end - p));
	copy[end - p] = 0;
	p = copy;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
		*out = neg ? -INFINITY : INFINITY;
		ok = true;
		goto done;
	}
	if (!strcasecmp(p, "nan")) {
		*out = neg ? -NAN : NAN;
		ok = true;
		goto done;
	}
	sb_addc(&b, neg ? '-' : '+');
	if (digitpart(&p, &b)) {
		if (*p == '.') {
			sb_addc(&b, *p++);
			digitpart(&p, &b);
		}
	} else if (*p == '.') {
		sb_addc(&b, *p++);
		if (!digitpart(&p, &b))
			goto done;
	} else {
		goto done;
	}
	if (*p == 'e' || *p == 'E') {
		sb_addc(&b, *p++);
		if (*p == '+' || *p == '-')
			sb_addc(&b, *p++);
		if (!digitpart(&p, &b))
			goto done;
	}
	if (*p)
		goto done;
	*out = strtod(b.s, NULL);
	ok = true;
done:
	free(b.s);
	free(copy);
	return ok;
}

/*
 * The shortest digit string that reads back as x (x > 0, finite), the one
 * closest to x among those: what repr() prints. digits gets no trailing
 * zero; *decpt is where the decimal point goes (x = 0.DIGITS * 10^decpt).
 */
static void shortest(double x, char digits[20], int *decpt)
{
	char buf[48], cand[3][24], *e;
	int exp[3], p, i, k;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, x);
		/* buf: D[.DDD]e[+-]XX */
		k = 0;
		for (e = buf; *e != 'e'; e++)
			if (isdig(*e))
				cand[0][k++] = *e;
		cand[0][k] = 0;
		exp[0] = atoi(e + 1);
		/* the next p-digit numbers above and below */
		memcpy(cand[1], cand[0], sizeof(cand[1]));
		exp[1] = exp[0];
		for (i = p - 1; i >= 0 && cand[1][i] == '9'; i--)
			cand[1][i] = '0';
		if (i >= 0) {
			cand[1][i]++;
		} else {
			cand[1][0] = '1';
			exp[1]++;
		}
		memcpy(cand[2], cand[0], sizeof(cand[2]));
		exp[2] = exp[0];
		if (cand[2][0] == '1' && strspn(cand[2] + 1, "0") == (size_t)p - 1) {
			memset(cand[2], '9', (size_t)p);
			exp[2]--;
		} else {
			for (i = p - 1; cand[2][i] == '0'; i--)
				cand[2][i] = '9';
			cand[2][i]--;
		}
		for (k = 0; k < 3; k++) {
			snprintf(buf, sizeof(buf), "%c.%se%d", cand[k][0],
				 cand[k] + 1, exp[k]);
			if (strtod(buf, NULL) == x)
				break;
		}
		if (k < 3)
			break;
	}
	if (p > 17) {	/* cannot happen: 17 digits always read back */
		snprintf(buf, sizeof(buf), "%.16e", x);
		k = 0;
		for (e = buf; *e != 'e'; e++)
			if (isdig(*e))
				cand[0][k++] = *e;
		cand[0][k] = 0;
		exp[0] = atoi(e + 1);
		k = 0;
	}
	i = (int)strlen(cand[k]);
	while (i > 1 && cand[k][i - 1] == '0')
		i--;
	memcpy(digits, cand[k], (size_t)i);
	digits[i] = 0;
	*decpt = exp[k] + 1;
}

char *py_repr(double x)
{
	struct sbuf b = { 0 };
	char d[20];
	int decpt, n, i;

	if (isnan(x))
		return xstrdup("nan");
	if (isinf(x))
		return xstrdup(x < 0 ? "-inf" : "inf");
	if (signbit(x))
		sb_addc(&b, '-');
	if (x == 0) {
		sb_add(&b, "0.0");
		return sb_steal(&b);
	}
	shortest(fabs(x), d, &decpt);
	n = (int)strlen(d);
	if (decpt <= -4 || decpt > 16) {
		sb_addc(&b, d[0]);
		if (n > 1) {
			sb_addc(&b, '.');
			sb_add(&b, d + 1);
		}
		sb_printf(&b, "e%c%02d", decpt - 1 < 0 ? '-' : '+',
			  abs(decpt - 1));
	} else if (decpt <= 0) {
		sb_add(&b, "0.");
		for (i = 0; i < -decpt; i++)
			sb_addc(&b, '0');
		sb_add(&b, d);
	} else if (decpt >= n) {
		sb_add(&b, d);
		for (i = n; i < decpt; i++)
			sb_addc(&b, '0');
		sb_add(&b, ".0");
	} else {
		sb_addn(&b, d, (size_t)decpt);
		sb_addc(&b, '.');
		sb_add(&b, d + decpt);
	}
	return sb_steal(&b);
}

char *py_fixed(double x, int prec)
{
	if (isnan(x))
		return xstrdup("nan");
	if (isinf(x))
		return xstrdup(x < 0 ? "-inf" : "inf");
	return xasprintf("%.*f", prec, x);
}

char *py_fixed_w(double x, int width, int prec)
{
	char *s = py_fixed(x, prec), *r;

	r = xasprintf("%*s", width, s);
	free(s);
	return r;
}

double py_round3(double x)
{
	char *s;
	double r;

	if (!isfinite(x))
		return x;
	s = xasprintf("%.3f", x);
	r = strtod(s, NULL);
	free(s);
	return r;
}
