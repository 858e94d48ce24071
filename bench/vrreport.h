/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrreport: the host-side report of vrbench (see vrreport.c). Shared
 * helpers: growing strings, Python-compatible formatting (the report's text
 * and JSON are byte-compatible with what the former bench/report.py wrote),
 * the results.csv reader and the meta.json reader/writer.
 */
#ifndef VRREPORT_H
#define VRREPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* ------------------------------------------------------------ util.c */

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing NUL-terminated string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_add(struct sbuf *b, const char *s);
void sb_addc(struct sbuf *b, char c);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s padded with spaces to width code points, like Python's %-Ns / %Ns. */
void sb_pad(struct sbuf *b, const char *s, size_t width, bool left);
/* empty it (allocated, "") */
void sb_reset(struct sbuf *b);
/* the string, which the caller frees; b is empty again */
char *sb_steal(struct sbuf *b);

/* Read a whole file; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);
/* os.path.join(dir, name) */
char *path_join(const char *dir, const char *name);

/* UTF-8: offset of the first invalid byte, or -1 when s is valid UTF-8. */
long utf8_invalid(const char *s, size_t len);
/* Decode one code point of valid UTF-8 at *s, advancing *s. */
unsigned int utf8_next(const char **s);
size_t utf8_width(const char *s);
bool py_isspace(unsigned int cp);
/* Python's str.rstrip() / str.strip(), in place. */
void py_rstrip(char *s);
char *py_strip(char *s);

/* Python float(s); false when s is not a number Python would accept. */
bool py_float(const char *s, double *out);
/* repr(float) */
char *py_repr(double x);
/* "%.<prec>f" % x, "%<width>.<prec>f" % x (nan and inf as Python prints) */
char *py_fixed(double x, int prec);
char *py_fixed_w(double x, int width, int prec);
/* round(x, 3) */
double py_round3(double x);
/* Python truthiness of a float */
static inline bool py_true(double x)
{
	return x != 0.0;
}

/* ------------------------------------------------------------- csv.c */

struct csv_row {
	char **f;		/* as many fields as the header has */
	unsigned long line;	/* line of the file the record starts on */
};

struct csv {
	const char *path;
	char **hdr;
	size_t ncol;
	struct csv_row *rows;
	size_t nrows;
};

/*
 * Python's csv.DictReader over a file opened in text mode: universal
 * newlines, excel dialect, records with no field skipped. Dies with the
 * file and line on a malformed file.
 */
void csv_load(struct csv *t, const char *path);
/* Column index of name (the last one of that name, as DictReader), or -1. */
long csv_col(const struct csv *t, const char *name);
/* r[name]: dies when the file has no such column. */
const char *csv_get(const struct csv *t, const struct csv_row *r,
		    const char *name);
/* r.get(name): NULL when the file has no such column. */
const char *csv_opt(const struct csv *t, const struct csv_row *r,
		    const char *name);

/* ------------------------------------------------------------ json.c */

enum jtype { J_NULL, J_FALSE, J_TRUE, J_INT, J_FLOAT, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *str;		/* J_STR (UTF-8); J_INT: the digits */
	double num;		/* J_FLOAT */
	size_t n, cap;		/* J_ARR, J_OBJ */
	struct jval **v;	/* items / member values */
	char **k;		/* J_OBJ: member names, in insertion order */
};

/*
 * Parse as Python's json.loads does (NaN/Infinity accepted, duplicate
 * names: the last value at the first name's place). NULL on a syntax
 * error, with a message in *err; *fatal when Python would not have
 * treated it as a syntax error (nesting too deep).
 */
struct jval *json_parse(const char *s, size_t len, char **err, bool *fatal);
struct jval *jobj_get(const struct jval *o, const char *key);
/* dict[key] = v: replaces in place, else appends */
void jobj_set(struct jval *o, const char *key, struct jval *v);
void jarr_add(struct jval *a, struct jval *v);
struct jval *jnew(enum jtype t);
struct jval *jstr(const char *s);
struct jval *jfloat(double x);
struct jval *jint(long x);
struct jval *jbool(bool b);
bool jtruthy(const struct jval *v);
/* json.dump(v, indent=1) */
void json_dump(struct sbuf *b, const struct jval *v, int level);
/* str(v) as Python prints the value json.loads made */
void py_str(struct sbuf *b, const struct jval *v);

#endif
