// SPDX-License-Identifier: GPL-2.0
/*
 * results.csv reader: what Python's csv.DictReader returns for a file
 * opened in text mode (universal newlines; excel dialect: ',' separated,
 * '"' quoted, "" inside quotes is one '"', text after a closing quote kept,
 * newlines inside quotes kept; empty lines skipped). Unlike Python it
 * refuses what only a damaged file has: bytes that are not UTF-8, a NUL
 * byte, a quote left open at the end of the file, a record with fewer
 * fields than the header.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vrreport.h"

enum state { START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED };

struct parser {
	struct csv *t;
	enum state st;
	struct sbuf field;
	char **fields;
	size_t nf, capf;
	unsigned long line, rec_line, quote_line;
	bool have_hdr;
};

static void save_field(struct parser *p)
{
	if (p->nf == p->capf) {
		p->capf = p->capf ? 2 * p->capf : 16;
		p->fields = xrealloc(p->fields, p->capf * sizeof(*p->fields));
	}
	p->fields[p->nf++] = sb_steal(&p->field);
}

static void end_record(struct parser *p)
{
	struct csv *t = p->t;
	struct csv_row *r;
	size_t i;

	if (!p->have_hdr) {
		/* DictReader: the first record names the columns, even empty */
		t->hdr = p->fields;
		t->ncol = p->nf;
		p->have_hdr = true;
		goto reset;
	}
	if (!p->nf)	/* an empty line */
		return;
	if (p->nf < t->ncol)
		die("%s:%lu: %zu field%s, the header has %zu (truncated file?)",
		    t->path, p->rec_line, p->nf, p->nf == 1 ? "" : "s",
		    t->ncol);
	/* fields beyond the header are ignored, as DictReader does */
	for (i = t->ncol; i < p->nf; i++)
		free(p->fields[i]);
	if (!(t->nrows & (t->nrows + 1)))
		t->rows = xrealloc(t->rows, 2 * (t->nrows + 1) * sizeof(*r));
	r = &t->rows[t->nrows++];
	r->f = p->fields;
	r->line = p->rec_line;
reset:
	p->fields = NULL;
	p->nf = p->capf = 0;
}

/*
 * c: a character other than '\n', or -1 for the end of a line. A '\n'
 * outside quotes acts exactly as the end of its line does in Python's
 * parser, so it is passed as -1; inside quotes it is part of the field.
 */
static void step(struct parser *p, int c)
{
	switch (p->st) {
	case START_RECORD:
		if (c == -1) {
			end_record(p);	/* an empty line */
			break;
		}
		p->rec_line = p->line;
		p->st = START_FIELD;
		/* fall through */
	case START_FIELD:
		if (c == '"') {
			p->st = IN_QUOTED;
			p->quote_line = p->line;
		} else if (c == ',' || c == -1) {
			save_field(p);
		} else {
			sb_addc(&p->field, (char)c);
			p->st = IN_FIELD;
		}
		break;
	case IN_FIELD:
		if (c == ',' || c == -1) {
			save_field(p);
			p->st = START_FIELD;
		} else {
			sb_addc(&p->field, (char)c);
		}
		break;
	case IN_QUOTED:
		if (c == '"')
			p->st = QUOTE_IN_QUOTED;
		else if (c != -1)
			sb_addc(&p->field, (char)c);
		break;
	case QUOTE_IN_QUOTED:
		if (c == '"') {
			sb_addc(&p->field, '"');
			p->st = IN_QUOTED;
		} else if (c == ',' || c == -1) {
			save_field(p);
			p->st = START_FIELD;
		} else {
			sb_addc(&p->field, (char)c);
			p->st = IN_FIELD;
		}
		break;
	}
	if (c == -1 && p->st == START_FIELD) {
		p->st = START_RECORD;
		end_record(p);
	}
}

void csv_load(struct csv *t, const char *path)
{
	struct parser p = { .t = t, .line = 1 };
	size_t len, i, j;
	char *buf, *nul;
	long bad;

	memset(t, 0, sizeof(*t));
	t->path = path;
	buf = read_file(path, &len);
	if (!buf)
		die("%s: %s", path, strerror(errno));
	bad = utf8_invalid(buf, len);
	nul = memchr(buf, 0, len);
	if (bad >= 0 || nul) {
		bool utf8 = bad >= 0 && (!nul || buf + bad < nul);
		size_t at = utf8 ? (size_t)bad : (size_t)(nul - buf);
		unsigned long line = 1;

		for (i = 0; i < at; i++)
			line += buf[i] == '\n';
		die("%s:%lu: %s", path, line,
		    utf8 ? "not UTF-8 text" : "NUL byte in the text");
	}
	/* universal newlines: \r\n and \r read as \n */
	for (i = j = 0; i < len; i++) {
		if (buf[i] == '\r') {
			buf[j++] = '\n';
			if (i + 1 < len && buf[i + 1] == '\n')
				i++;
		} else {
			buf[j++] = buf[i];
		}
	}
	len = j;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			step(&p, (unsigned char)buf[i]);
			continue;
		}
		if (p.st == IN_QUOTED)
			sb_addc(&p.field, '\n');
		else
			step(&p, -1);
		p.line++;
	}
	if (len && buf[len - 1] != '\n')
		step(&p, -1);
	if (p.st == IN_QUOTED)
		die("%s:%lu: quoted field not closed at the end of the file (truncated file?)",
		    path, p.quote_line);
	free(buf);
	free(p.field.s);
}

long csv_col(const struct csv *t, const char *name)
{
	size_t i;

	for (i = t->ncol; i-- > 0;)
		if (!strcmp(t->hdr[i], name))
			return (long)i;
	return -1;
}

const char *csv_opt(const struct csv *t, const struct csv_row *r,
		    const char *name)
{
	long c = csv_col(t, name);

	return c < 0 ? NULL : r->f[c];
}

const char *csv_get(const struct csv *t, const struct csv_row *r,
		    const char *name)
{
	const char *v = csv_opt(t, r, name);

	if (!v)
		die("%s: no column '%s' (line %lu needs it)", t->path, name,
		    r->line);
	return v;
}
