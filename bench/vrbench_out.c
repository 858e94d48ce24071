// SPDX-License-Identifier: GPL-2.0
/*
 * vrbench: results.csv rows and the meta.json writer.
 *
 * bench/vrreport reads these files. The columns, their order and the way
 * numbers are written are those of the Python driver vrbench replaced
 * (its csv module and json.dump(indent=1)), so results of older runs read
 * the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vrbench.h"

const char *const field_names[NFIELDS] = {
	[F_CONFIG] = "config",
	[F_PHASE] = "phase",
	[F_ROUTERS] = "routers",
	[F_TARGET_PPS] = "target_pps",
	[F_OFFERED_PPS] = "offered_pps",
	[F_FORWARDED_PPS] = "forwarded_pps",
	[F_FWD_RATIO] = "fwd_ratio",
	[F_DROP_GEN_PPS] = "drop_gen_pps",
	[F_DROP_IN_EARLY_PPS] = "drop_in_early_pps",
	[F_DROP_IN_FULL_PPS] = "drop_in_full_pps",
	[F_DROP_IN_DEV_PPS] = "drop_in_dev_pps",
	[F_DROP_ROUTER_PPS] = "drop_router_pps",
	[F_DROP_EGRESS_PPS] = "drop_egress_pps",
	[F_DROP_SINK_PPS] = "drop_sink_pps",
	[F_QUEUE_ENQUEUED] = "queue_enqueued",
	[F_QUEUE_EARLY] = "queue_early",
	[F_QUEUE_FULL] = "queue_full",
	[F_WORKER_NS_PER_PKT] = "worker_ns_per_pkt",
	[F_ROUTER_NS_PER_PKT] = "router_ns_per_pkt",
	[F_WORKER_CPU] = "worker_cpu",
	[F_ROUTER_CPU] = "router_cpu",
	[F_WORKER_CPUS] = "worker_cpus",
	[F_GEN_LIMITED] = "gen_limited",
	[F_WINDOW_S] = "window_s",
	[F_STATUS] = "status",
	[F_NOTE] = "note",
	[F_QUEUE_DROP_KINDS] = "queue_drop_kinds",
	[F_QUEUE_OCC] = "queue_occ",
	[F_QUEUE_STATE] = "queue_state",
	[F_TOTAL_OFFERED] = "total_offered",
	[F_TOTAL_FORWARDED] = "total_forwarded",
	[F_TOTAL_ROUTER_RX] = "total_router_rx",
};

/* -------------------------------------------------------------- numbers */

/*
 * Python's round(v, n): the decimal string correctly rounded to n places
 * (glibc's printf rounds the exact binary value, half to even, as Python
 * does), read back as the nearest double.
 */
double py_round(double v, int decimals)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return strtod(buf, NULL);
}

/* Python's round(v): an integer, ties to even (the default FP mode). */
long long py_round_int(double v)
{
	return llrint(v);
}

/*
 * Python's repr() of a value py_round() made: the shortest string that
 * reads back as the same double, which for |v| < 1e16 is the %.nf string
 * without trailing zeros, one digit after the point kept ("7400.0").
 */
void fmt_float(char *buf, size_t len, double v, int decimals)
{
	size_t n;

	snprintf(buf, len, "%.*f", decimals > 0 ? decimals : 1, v);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
}

/* ----------------------------------------------------------------- rows */

struct row *row_new(void)
{
	return xcalloc(1, sizeof(struct row));
}

void row_free(struct row *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < NFIELDS; i++)
		free(r->c[i].s);
	free(r);
}

static struct cell *cell_reset(struct row *r, enum field f)
{
	struct cell *c = &r->c[f];

	free(c->s);
	memset(c, 0, sizeof(*c));
	return c;
}

void row_str(struct row *r, enum field f, const char *s)
{
	struct cell *c = cell_reset(r, f);

	c->kind = CELL_STR;
	c->s = xstrdup(s);
}

void row_int(struct row *r, enum field f, long long v)
{
	struct cell *c = cell_reset(r, f);

	c->kind = CELL_INT;
	c->i = v;
}

void row_float(struct row *r, enum field f, double v, int decimals)
{
	struct cell *c = cell_reset(r, f);

	c->kind = CELL_FLOAT;
	c->decimals = decimals;
	c->f = py_round(v, decimals);
}

bool row_is(const struct row *r, enum field f, const char *s)
{
	return r->c[f].kind == CELL_STR && !strcmp(r->c[f].s, s);
}

double row_num(const struct row *r, enum field f)
{
	switch (r->c[f].kind) {
	case CELL_INT:
		return r->c[f].i;
	case CELL_FLOAT:
		return r->c[f].f;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------------ CSV */

/*
 * As Python's csv module (excel dialect): a field with a comma, a quote or
 * a line break is quoted, quotes doubled; lines end with CRLF.
 */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int csv_end(FILE *f)
{
	fputs("\r\n", f);
	if (fflush(f) || ferror(f))
		return fail("write results.csv: %s",
			    strerror(errno ? errno : EIO));
	return BENCH_OK;
}

int csv_write_header(FILE *f)
{
	unsigned int i;

	for (i = 0; i < NFIELDS; i++) {
		if (i)
			fputc(',', f);
		csv_field(f, field_names[i]);
	}
	return csv_end(f);
}

int csv_write_row(FILE *f, const struct row *r)
{
	char num[64];
	unsigned int i;

	for (i = 0; i < NFIELDS; i++) {
		const struct cell *c = &r->c[i];

		if (i)
			fputc(',', f);
		switch (c->kind) {
		case CELL_UNSET:
			break;
		case CELL_STR:
			csv_field(f, c->s);
			break;
		case CELL_INT:
			fprintf(f, "%lld", c->i);
			break;
		case CELL_FLOAT:
			fmt_float(num, sizeof(num), c->f, c->decimals);
			fputs(num, f);
			break;
		}
	}
	return csv_end(f);
}

/* ----------------------------------------------------------------- JSON */

/*
 * A string as json.dump writes it (ensure_ascii): short escapes for quote,
 * backslash and \b \f \n \r \t, \u00XX for other control characters and DEL,
 * and \uXXXX (surrogate pairs above U+FFFF) for everything outside ASCII. A
 * byte that is not valid UTF-8 (router stderr can be anything) becomes
 * U+FFFD, so the file stays valid JSON.
 */
static void json_quote(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int cp, need, i;

	fputc('"', f);
	while (*s) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			s++;
			continue;
		case '\\':
			fputs("\\\\", f);
			s++;
			continue;
		case '\b':
			fputs("\\b", f);
			s++;
			continue;
		case '\f':
			fputs("\\f", f);
			s++;
			continue;
		case '\n':
			fputs("\\n", f);
			s++;
			continue;
		case '\r':
			fputs("\\r", f);
			s++;
			continue;
		case '\t':
			fputs("\\t", f);
			s++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			s++;
			continue;
		}
		if (c < 0x7f) {
			fputc(c, f);
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			need = 0;
			cp = 0xfffd;
		}
		for (i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (i <= need || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			cp = 0xfffd;	/* invalid: replace the lead byte only */
			need = 0;
		}
		s += need + 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			fprintf(f, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
				0xdc00 + (cp & 0x3ff));
		} else {
			fprintf(f, "\\u%04x", cp);
		}
	}
	fputc('"', f);
}

/* Each item on its own line, indented one space per level. */
static void json_item(struct json_writer *w, const char *key)
{
	int i;

	if (w->depth > 0) {
		fputs(w->count[w->depth]++ ? ",\n" : "\n", w->f);
		for (i = 0; i < w->depth; i++)
			fputc(' ', w->f);
	}
	if (key) {
		json_quote(w->f, key);
		fputs(": ", w->f);
	}
}

void json_open(struct json_writer *w, const char *key, char bracket)
{
	json_item(w, key);
	fputc(bracket, w->f);
	w->count[++w->depth] = 0;
}

/* An empty list or object stays on one line: "[]". */
void json_close(struct json_writer *w, char bracket)
{
	int i;

	if (w->count[w->depth]) {
		fputc('\n', w->f);
		for (i = 0; i < w->depth - 1; i++)
			fputc(' ', w->f);
	}
	fputc(bracket, w->f);
	w->depth--;
}

void json_string(struct json_writer *w, const char *key, const char *s)
{
	json_item(w, key);
	json_quote(w->f, s);
}

void json_int(struct json_writer *w, const char *key, long long v)
{
	json_item(w, key);
	fprintf(w->f, "%lld", v);
}

void json_float(struct json_writer *w, const char *key, double v,
		int decimals)
{
	char num[64];

	json_item(w, key);
	fmt_float(num, sizeof(num), v, decimals);
	fputs(num, w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	json_item(w, key);
	fputs("null", w->f);
}
