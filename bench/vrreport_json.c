// SPDX-License-Identifier: GPL-2.0
/*
 * JSON for vrreport: a reader for meta.json that accepts what Python's
 * json.loads accepts (NaN, Infinity and -Infinity included; a duplicate
 * name keeps its first place and its last value), a writer with the
 * output of json.dump(indent=1), and str() of a loaded value as Python
 * prints it. Refused although Python takes them (a report has no use for
 * them): \u0000 and unpaired surrogates in strings, nesting deeper than
 * JSON_MAX_DEPTH.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vrreport.h"

#define JSON_MAX_DEPTH 512
/* Python refuses to convert integers longer than this (sys.int_info) */
#define PY_INT_MAX_DIGITS 4300

struct jparser {
	const char *s, *p, *end;
	char *err;
	int depth;
};

struct jval *jnew(enum jtype t)
{
	struct jval *v = xmalloc(sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->type = t;
	return v;
}

struct jval *jstr(const char *s)
{
	struct jval *v = jnew(J_STR);

	v->str = xstrdup(s);
	return v;
}

struct jval *jfloat(double x)
{
	struct jval *v = jnew(J_FLOAT);

	v->num = x;
	return v;
}

struct jval *jint(long x)
{
	struct jval *v = jnew(J_INT);

	v->str = xasprintf("%ld", x);
	return v;
}

struct jval *jbool(bool b)
{
	return jnew(b ? J_TRUE : J_FALSE);
}

static void jgrow(struct jval *c)
{
	if (c->n < c->cap)
		return;
	c->cap = c->cap ? 2 * c->cap : 8;
	c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	if (c->type == J_OBJ)
		c->k = xrealloc(c->k, c->cap * sizeof(*c->k));
}

void jarr_add(struct jval *a, struct jval *v)
{
	jgrow(a);
	a->v[a->n++] = v;
}

struct jval *jobj_get(const struct jval *o, const char *key)
{
	size_t i;

	if (!o || o->type != J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->k[i], key))
			return o->v[i];
	return NULL;
}

void jobj_set(struct jval *o, const char *key, struct jval *v)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (!strcmp(o->k[i], key)) {
			o->v[i] = v;
			return;
		}
	}
	jgrow(o);
	o->k[o->n] = xstrdup(key);
	o->v[o->n++] = v;
}

bool jtruthy(const struct jval *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case J_NULL:
	case J_FALSE:
		return false;
	case J_TRUE:
		return true;
	case J_INT:
		return strcmp(v->str, "0") != 0;
	case J_FLOAT:
		return py_true(v->num);
	case J_STR:
		return v->str[0] != 0;
	default:
		return v->n != 0;
	}
}

/* ------------------------------------------------------------- reader */

static bool jfail(struct jparser *j, const char *what)
{
	unsigned long line = 1, col = 1;
	const char *q;

	if (j->err)
		return false;
	for (q = j->s; q < j->p; q++) {
		if (*q == '\n')
			line++, col = 1;
		else
			col++;
	}
	j->err = xasprintf("line %lu column %lu: %s", line, col, what);
	return false;
}

static void jws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jlit(struct jparser *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static int hex4(const char *p)
{
	int v = 0, i, d;

	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static void put_utf8(struct sbuf *b, unsigned int cp)
{
	if (cp < 0x80) {
		sb_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(b, (char)(0xc0 | cp >> 6));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(b, (char)(0xe0 | cp >> 12));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(b, (char)(0xf0 | cp >> 18));
		sb_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* the one-character escapes of JSON and what they stand for */
static const char ESC_NAME[] = "\"\\/bfnrt";
static const char ESC_CHAR[] = "\"\\/\b\f\n\r\t";

/* at the opening quote */
static char *jstring(struct jparser *j)
{
	struct sbuf b = { 0 };
	const char *esc;
	int cp, lo;

	j->p++;
	for (;;) {
		if (j->p >= j->end) {
			jfail(j, "string not closed (truncated file?)");
			goto bad;
		}
		if (*j->p == '"')
			break;
		if ((unsigned char)*j->p < 0x20) {
			jfail(j, "control character in a string");
			goto bad;
		}
		if (*j->p != '\\') {
			sb_addc(&b, *j->p++);
			continue;
		}
		if (j->end - j->p < 2) {
			jfail(j, "string not closed (truncated file?)");
			goto bad;
		}
		j->p++;
		esc = strchr(ESC_NAME, *j->p);
		if (*j->p && esc) {
			sb_addc(&b, ESC_CHAR[esc - ESC_NAME]);
			j->p++;
			continue;
		}
		switch (*j->p++) {
		case 'u':
			j->p--;
			cp = j->end - j->p < 5 ? -1 : hex4(j->p + 1);
			if (cp < 0) {
				jfail(j, "bad \\u escape");
				goto bad;
			}
			j->p += 5;
			lo = -1;
			if (cp >= 0xd800 && cp <= 0xdbff && j->end - j->p >= 6 &&
			    j->p[0] == '\\' && j->p[1] == 'u')
				lo = hex4(j->p + 2);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				j->p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				jfail(j, "unpaired surrogate in a \\u escape");
				goto bad;
			} else if (!cp) {
				jfail(j, "\\u0000 in a string");
				goto bad;
			}
			put_utf8(&b, (unsigned int)cp);
			break;
		default:
			j->p--;
			jfail(j, "bad escape in a string");
			goto bad;
		}
	}
	j->p++;
	return sb_steal(&b);
bad:
	free(b.s);
	return NULL;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static struct jval *jnumber(struct jparser *j)
{
	const char *start = j->p, *q = j->p;
	bool frac = false;
	struct jval *v;
	char *text;

	if (q < j->end && *q == '-')
		q++;
	if (q >= j->end || !isdig(*q)) {
		jfail(j, q >= j->end ? "value missing (truncated file?)" :
		      "not a JSON value");
		return NULL;
	}
	if (*q == '0')
		q++;
	else
		while (q < j->end && isdig(*q))
			q++;
	if (q + 1 < j->end && *q == '.' && isdig(q[1])) {
		frac = true;
		for (q++; q < j->end && isdig(*q); q++)
			;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		const char *e = q + 1;

		if (e < j->end && (*e == '+' || *e == '-'))
			e++;
		if (e < j->end && isdig(*e)) {
			frac = true;
			for (q = e; q < j->end && isdig(*q); q++)
				;
		}
	}
	j->p = q;
	text = xmalloc((size_t)(q - start) + 1);
	memcpy(text, start, (size_t)(q - start));
	text[q - start] = 0;
	if (frac) {
		v = jfloat(strtod(text, NULL));
		free(text);
		return v;
	}
	if (strlen(text) - (text[0] == '-') > PY_INT_MAX_DIGITS) {
		free(text);
		j->p = start;
		jfail(j, "integer with more than 4300 digits");
		return NULL;
	}
	v = jnew(J_INT);
	if (!strcmp(text, "-0")) {
		free(text);
		text = xstrdup("0");
	}
	v->str = text;
	return v;
}

static struct jval *jvalue(struct jparser *j);

static struct jval *jcontainer(struct jparser *j, bool obj)
{
	struct jval *c = jnew(obj ? J_OBJ : J_ARR), *v;
	char close = obj ? '}' : ']';
	char *key = NULL;

	if (++j->depth > JSON_MAX_DEPTH) {
		jfail(j, "nested deeper than 512 levels");
		return NULL;
	}
	j->p++;
	jws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return c;
	}
	for (;;) {
		if (obj) {
			if (j->p >= j->end || *j->p != '"') {
				jfail(j, j->p >= j->end ?
				      "object not closed (truncated file?)" :
				      "expected a name in double quotes");
				return NULL;
			}
			key = jstring(j);
			if (!key)
				return NULL;
			jws(j);
			if (j->p >= j->end || *j->p != ':') {
				jfail(j, "expected ':'");
				return NULL;
			}
			j->p++;
			jws(j);
		}
		v = jvalue(j);
		if (!v)
			return NULL;
		if (obj) {
			jobj_set(c, key, v);
			free(key);
		} else {
			jarr_add(c, v);
		}
		jws(j);
		if (j->p < j->end && *j->p == close)
			break;
		if (j->p >= j->end || *j->p != ',') {
			jfail(j, j->p >= j->end ?
			      (obj ? "object not closed (truncated file?)" :
			       "array not closed (truncated file?)") :
			      "expected ',' or a closing bracket");
			return NULL;
		}
		j->p++;
		jws(j);
	}
	j->p++;
	j->depth--;
	return c;
}

static struct jval *jvalue(struct jparser *j)
{
	struct jval *v;
	char *s;

	if (j->p >= j->end) {
		jfail(j, "value missing (truncated file?)");
		return NULL;
	}
	switch (*j->p) {
	case '"':
		s = jstring(j);
		if (!s)
			return NULL;
		v = jnew(J_STR);
		v->str = s;
		return v;
	case '{':
		return jcontainer(j, true);
	case '[':
		return jcontainer(j, false);
	}
	if (jlit(j, "null"))
		return jnew(J_NULL);
	if (jlit(j, "true"))
		return jnew(J_TRUE);
	if (jlit(j, "false"))
		return jnew(J_FALSE);
	if (jlit(j, "NaN"))
		return jfloat(NAN);
	if (jlit(j, "Infinity"))
		return jfloat(INFINITY);
	if (jlit(j, "-Infinity"))
		return jfloat(-INFINITY);
	return jnumber(j);
}

struct jval *json_parse(const char *s, size_t len, char **err, bool *fatal)
{
	struct jparser j = { .s = s, .p = s, .end = s + len };
	struct jval *v;
	long bad = utf8_invalid(s, len);

	*err = NULL;
	*fatal = false;
	if (bad >= 0) {
		j.p = s + bad;
		jfail(&j, "not UTF-8 text");
		*err = j.err;
		return NULL;
	}
	jws(&j);
	v = jvalue(&j);
	if (v) {
		jws(&j);
		if (j.p < j.end) {
			jfail(&j, "extra data after the value");
			v = NULL;
		}
	}
	/* Python stops at its recursion limit with an exception */
	*fatal = !v && j.depth > JSON_MAX_DEPTH;
	*err = j.err;
	return v;
}

/* ------------------------------------------------------------- writer */

/* json.dumps(s) with ensure_ascii: only ' ' to '~' unescaped */
static void dump_str(struct sbuf *b, const char *s)
{
	const char *esc;
	unsigned int c;

	sb_addc(b, '"');
	while (*s) {
		c = utf8_next(&s);
		esc = c && c < 0x80 ? strchr(ESC_CHAR, (int)c) : NULL;
		if (esc && *esc != '/')
			sb_printf(b, "\\%c", ESC_NAME[esc - ESC_CHAR]);
		else if (c >= 0x20 && c < 0x7f)
			sb_addc(b, (char)c);
		else if (c < 0x10000)
			sb_printf(b, "\\u%04x", c);
		else
			sb_printf(b, "\\u%04x\\u%04x",
				  0xd800 + ((c - 0x10000) >> 10),
				  0xdc00 + ((c - 0x10000) & 0x3ff));
	}
	sb_addc(b, '"');
}

static void indent(struct sbuf *b, int level)
{
	sb_addc(b, '\n');
	while (level-- > 0)
		sb_addc(b, ' ');
}

void json_dump(struct sbuf *b, const struct jval *v, int level)
{
	size_t i;
	char *s;

	switch (v->type) {
	case J_NULL:
		sb_add(b, "null");
		break;
	case J_FALSE:
		sb_add(b, "false");
		break;
	case J_TRUE:
		sb_add(b, "true");
		break;
	case J_INT:
		sb_add(b, v->str);
		break;
	case J_FLOAT:
		if (isnan(v->num)) {
			sb_add(b, "NaN");
		} else if (isinf(v->num)) {
			sb_add(b, v->num < 0 ? "-Infinity" : "Infinity");
		} else {
			s = py_repr(v->num);
			sb_add(b, s);
			free(s);
		}
		break;
	case J_STR:
		dump_str(b, v->str);
		break;
	case J_ARR:
	case J_OBJ:
		if (!v->n) {
			sb_add(b, v->type == J_ARR ? "[]" : "{}");
			break;
		}
		sb_addc(b, v->type == J_ARR ? '[' : '{');
		for (i = 0; i < v->n; i++) {
			if (i)
				sb_addc(b, ',');
			indent(b, level + 1);
			if (v->type == J_OBJ) {
				dump_str(b, v->k[i]);
				sb_add(b, ": ");
			}
			json_dump(b, v->v[i], level + 1);
		}
		indent(b, level);
		sb_addc(b, v->type == J_ARR ? ']' : '}');
		break;
	}
}

/* --------------------------------------------------------- str(), repr() */

/*
 * str.isprintable() for non-ASCII code points, as far as a report needs:
 * the C1 controls, spaces other than ' ', format characters, private use.
 */
static bool py_printable(unsigned int c)
{
	return !((c >= 0x80 && c <= 0xa0) || c == 0xad || c == 0x1680 ||
		 (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
		 (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff ||
		 (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xfff9 && c <= 0xfffb) ||
		 c >= 0xf0000);
}

static void py_repr_str(struct sbuf *b, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	unsigned int c;

	sb_addc(b, q);
	while (*s) {
		const char *start = s;

		c = utf8_next(&s);
		if (c == (unsigned char)q || c == '\\')
			sb_printf(b, "\\%c", (char)c);
		else if (c == '\t')
			sb_add(b, "\\t");
		else if (c == '\n')
			sb_add(b, "\\n");
		else if (c == '\r')
			sb_add(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(b, "\\x%02x", c);
		else if (c < 0x7f || py_printable(c))
			sb_addn(b, start, (size_t)(s - start));
		else if (c <= 0xff)
			sb_printf(b, "\\x%02x", c);
		else if (c <= 0xffff)
			sb_printf(b, "\\u%04x", c);
		else
			sb_printf(b, "\\U%08x", c);
	}
	sb_addc(b, q);
}

static void py_repr_val(struct sbuf *b, const struct jval *v)
{
	size_t i;

	switch (v->type) {
	case J_STR:
		py_repr_str(b, v->str);
		break;
	case J_ARR:
	case J_OBJ:
		sb_addc(b, v->type == J_ARR ? '[' : '{');
		for (i = 0; i < v->n; i++) {
			if (i)
				sb_add(b, ", ");
			if (v->type == J_OBJ) {
				py_repr_str(b, v->k[i]);
				sb_add(b, ": ");
			}
			py_repr_val(b, v->v[i]);
		}
		sb_addc(b, v->type == J_ARR ? ']' : '}');
		break;
	default:
		py_str(b, v);
	}
}

void py_str(struct sbuf *b, const struct jval *v)
{
	char *s;

	switch (v->type) {
	case J_NULL:
		sb_add(b, "None");
		break;
	case J_FALSE:
		sb_add(b, "False");
		break;
	case J_TRUE:
		sb_add(b, "True");
		break;
	case J_INT:
	case J_STR:
		sb_add(b, v->str);
		break;
	case J_FLOAT:
		s = py_repr(v->num);
		sb_add(b, s);
		free(s);
		break;
	default:
		py_repr_val(b, v);
	}
}
