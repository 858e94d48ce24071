// SPDX-License-Identifier: GPL-2.0
/*
 * Implementations behind nl_shim.h: allocation with fail-nth injection,
 * lock flags, lists of indexed objects (xarray API), CPU masks and list
 * parsing, message building and netlink attribute validation/parsing.
 * Written from the kernel's documented semantics (lib/nlattr.c policy
 * rules, bitmap_parselist() syntax, xa_alloc_cyclic() contract), not
 * copied from it.
 */
#include <assert.h>
#include <strings.h>

#include "nl_shim.h"

/* ------------------------------------------------ allocation, fail-nth */

/* Set by the harness: 0 = off, n = the nth allocation from now fails. */
unsigned int fuzz_fail_nth;
unsigned int fuzz_failed;	/* how many allocations failed */

static bool alloc_fails(void)
{
	if (!fuzz_fail_nth || --fuzz_fail_nth)
		return false;
	fuzz_failed++;
	return true;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return alloc_fails() ? NULL : malloc(size ?: 1);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return alloc_fails() ? NULL : calloc(1, size ?: 1);
}

void kfree(const void *p)
{
	free((void *)p);
}

static int cpulist_print(char *buf, size_t size, unsigned int nbits,
			 const unsigned long *bits);

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int len;

	(void)gfp;
	if (alloc_fails())
		return NULL;
	va_start(ap, fmt);
	if (!strcmp(fmt, "%*pbl")) {
		unsigned int nbits = va_arg(ap, unsigned int);
		const unsigned long *bits = va_arg(ap, const unsigned long *);

		len = cpulist_print(NULL, 0, nbits, bits);
		s = malloc(len + 1);
		assert(s);
		cpulist_print(s, len + 1, nbits, bits);
	} else {
		assert(!strstr(fmt, "%*p"));	/* other %p extensions: add them */
		if (vasprintf(&s, fmt, ap) < 0)
			s = NULL;
	}
	va_end(ap);
	return s;
}

/* ------------------------------------------------------------- locks */

struct mutex fuzz_rtnl;
static unsigned int mutexes_held;	/* other than RTNL */

void fuzz_assert_held(const struct mutex *m, const char *what)
{
	if (!m->held) {
		fprintf(stderr, "lock assertion failed: %s not held\n", what);
		abort();
	}
}

/* vr_sched never nests its mutex and RTNL (registry.c). */
void mutex_lock(struct mutex *m)
{
	assert(!m->held);
	assert(!fuzz_rtnl.held);
	m->held = true;
	mutexes_held++;
}

void mutex_unlock(struct mutex *m)
{
	assert(m->held);
	m->held = false;
	mutexes_held--;
}

void rtnl_lock(void)
{
	assert(!fuzz_rtnl.held);
	assert(!mutexes_held);
	fuzz_rtnl.held = true;
}

void rtnl_unlock(void)
{
	assert(fuzz_rtnl.held);
	fuzz_rtnl.held = false;
}

/* ------------------------------------------------------------ xarray */

/* Index of the first slot with index >= @index. */
static unsigned int xa_lower(const struct xarray *xa, unsigned long index)
{
	unsigned int lo = 0, hi = xa->n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (xa->slots[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	unsigned int i = xa_lower(xa, index);

	return i < xa->n && xa->slots[i].index == index ? xa->slots[i].entry : NULL;
}

void *xa_find_from(struct xarray *xa, unsigned long *index)
{
	unsigned int i = xa_lower(xa, *index);

	if (i == xa->n)
		return NULL;
	*index = xa->slots[i].index;
	return xa->slots[i].entry;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	unsigned int i = xa_lower(xa, index);
	void *entry;

	if (i == xa->n || xa->slots[i].index != index)
		return NULL;
	entry = xa->slots[i].entry;
	memmove(&xa->slots[i], &xa->slots[i + 1],
		(xa->n - i - 1) * sizeof(xa->slots[0]));
	xa->n--;
	return entry;
}

/* First free index in [lo, hi], or false. */
static bool xa_free_in(const struct xarray *xa, u64 lo, u64 hi, u32 *id)
{
	unsigned int i = xa_lower(xa, lo);
	u64 cand = lo;

	for (; i < xa->n && xa->slots[i].index == cand; i++)
		cand++;
	if (cand > hi)
		return false;
	*id = (u32)cand;
	return true;
}

/*
 * As the kernel's: the first free index from *next (clamped to the limit)
 * upwards, else from the bottom of the limit (returning 1: wrapped); -EBUSY
 * when full, -ENOMEM when the store fails. *next becomes id + 1.
 */
int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp)
{
	u64 lo = limit.min > xa->base ? limit.min : xa->base;
	u64 start = *next > lo ? *next : lo;
	unsigned int i;
	int ret = 0;

	(void)gfp;
	if (!xa_free_in(xa, start, limit.max, id)) {
		if (start == lo || !xa_free_in(xa, lo, start - 1, id))
			return -EBUSY;
		ret = 1;
	}
	if (xa->n == xa->cap) {
		struct xa_slot *s;

		if (alloc_fails())
			return -ENOMEM;
		s = realloc(xa->slots, (xa->cap * 2 + 4) * sizeof(*s));
		assert(s);
		xa->slots = s;
		xa->cap = xa->cap * 2 + 4;
	}
	i = xa_lower(xa, *id);
	memmove(&xa->slots[i + 1], &xa->slots[i], (xa->n - i) * sizeof(*xa->slots));
	xa->slots[i].index = *id;
	xa->slots[i].entry = entry;
	xa->n++;
	*next = *id + 1;
	return ret;
}

void xa_destroy(struct xarray *xa)
{
	free(xa->slots);
	xa->slots = NULL;
	xa->n = 0;
	xa->cap = 0;
}

/* ------------------------------------------------------------ cpumask */

bool alloc_cpumask_var(cpumask_var_t *m, gfp_t gfp)
{
	*m = kmalloc(sizeof(**m), gfp);
	return *m;
}

bool zalloc_cpumask_var(cpumask_var_t *m, gfp_t gfp)
{
	*m = kzalloc(sizeof(**m), gfp);
	return *m;
}

void free_cpumask_var(cpumask_var_t m)
{
	kfree(m);
}

bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	assert(cpu < nr_cpu_ids);
	return m->bits[cpu / BITS_PER_LONG] & BIT(cpu % BITS_PER_LONG);
}

void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	assert(cpu < nr_cpu_ids);
	m->bits[cpu / BITS_PER_LONG] |= BIT(cpu % BITS_PER_LONG);
}

bool cpumask_empty(const struct cpumask *m)
{
	unsigned int c;

	for (c = 0; c < nr_cpu_ids; c++)
		if (cpumask_test_cpu(c, m))
			return false;
	return true;
}

bool cpumask_subset(const struct cpumask *a, const struct cpumask *b)
{
	unsigned int c;

	for (c = 0; c < nr_cpu_ids; c++)
		if (cpumask_test_cpu(c, a) && !cpumask_test_cpu(c, b))
			return false;
	return true;
}

bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	return cpumask_subset(a, b) && cpumask_subset(b, a);
}

void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}

/* Bits past nbits must never be set: the print asserts it. */
static int cpulist_print(char *buf, size_t size, unsigned int nbits,
			 const unsigned long *bits)
{
	unsigned int c, first, total = 0;
	int n;

#define TESTBIT(i) (bits[(i) / BITS_PER_LONG] & BIT((i) % BITS_PER_LONG))
	for (c = nbits; c < NR_CPUS; c++)
		assert(!TESTBIT(c));
	if (size)
		buf[0] = 0;
	for (c = 0; c < nbits; c++) {
		if (!TESTBIT(c))
			continue;
		first = c;
		while (c + 1 < nbits && TESTBIT(c + 1))
			c++;
		n = snprintf(buf ? buf + total : NULL, buf ? size - total : 0,
			     first == c ? "%s%u" : "%s%u-%u", total ? "," : "",
			     first, c);
		total += n;
	}
#undef TESTBIT
	return total;
}

/* The kernel's isspace() counts Latin-1 NBSP (0xa0) as space. */
static bool k_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

static bool bp_end_of_str(char c)
{
	return c == '\0' || c == '\n';
}

static bool bp_region_sep(char c)
{
	return k_isspace(c) || c == ',';
}

static bool bp_end_of_region(char c)
{
	return bp_region_sep(c) || bp_end_of_str(c);
}

/* A decimal number or N (the last bit). NULL + *err on failure. */
static const char *bp_num(const char *s, unsigned int *num, unsigned int last,
			  int *err)
{
	unsigned long long n = 0;
	bool overflow = false;
	const char *p = s;

	if (*s == 'N') {
		*num = last;
		return s + 1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (ULLONG_MAX - 9) / 10)
			overflow = true;
		n = n * 10 + (unsigned int)(*p - '0');
	}
	if (p == s) {
		*err = -EINVAL;
		return NULL;
	}
	if (overflow || n > UINT_MAX) {
		*err = -EOVERFLOW;
		return NULL;
	}
	*num = (unsigned int)n;
	return p;
}

/*
 * bitmap_parselist(): comma/space separated regions "A", "A-B",
 * "A-B:used/group" or "all[:used/group]"; N is the last bit. Returns 0,
 * -EINVAL (syntax), -ERANGE (bit too large) or -EOVERFLOW.
 */
int bitmap_parselist(const char *s, unsigned long *maskp, int nbits)
{
	unsigned int start, end, used, group, last = (unsigned int)nbits - 1, b;
	int err = 0;

	memset(maskp, 0, BITS_TO_LONGS(nbits) * sizeof(long));
	for (;;) {
		while (bp_region_sep(*s))
			s++;
		if (bp_end_of_str(*s))
			return 0;
		if (!strncasecmp(s, "all", 3)) {
			start = 0;
			end = last;
			s += 3;
		} else {
			s = bp_num(s, &start, last, &err);
			if (!s)
				return err;
			end = start;
			if (!bp_end_of_region(*s)) {
				if (*s != '-')
					return -EINVAL;
				s = bp_num(s + 1, &end, last, &err);
				if (!s)
					return err;
			}
		}
		if (bp_end_of_region(*s)) {
			used = end + 1;
			group = end + 1;
		} else {
			if (*s != ':')
				return -EINVAL;
			s = bp_num(s + 1, &used, last, &err);
			if (!s)
				return err;
			if (*s != '/')
				return -EINVAL;
			s = bp_num(s + 1, &group, last, &err);
			if (!s)
				return err;
		}
		if (start > end || !group || used > group)
			return -EINVAL;
		if (end >= (unsigned int)nbits)
			return -ERANGE;
		for (b = start; b <= end; b += group) {
			unsigned int i, n = end - b + 1 < used ? end - b + 1 : used;

			for (i = 0; i < n; i++)
				maskp[(b + i) / BITS_PER_LONG] |= BIT((b + i) % BITS_PER_LONG);
			if (end - b < group)
				break;
		}
	}
}

/* ----------------------------------------------------------- sk_buff */

/*
 * The tailroom the kernel's alloc_skb() gives on x86-64: the data area plus
 * struct skb_shared_info (320 bytes) rounded up to a kmalloc size class,
 * minus the shared info. Callers may rely on no more than they asked for;
 * the slack is modelled so that a finding here is one in the kernel too.
 */
static unsigned int skb_alloc_size(unsigned int size)
{
	static const unsigned int classes[] = {
		32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
	};
	unsigned int need = ((size + 63) & ~63U) + 320, i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (need <= classes[i])
			return classes[i] - 320;
	return (need + 4095) / 4096 * 4096 - 320;	/* page allocation */
}

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb = kzalloc(sizeof(*skb), gfp);

	if (!skb)
		return NULL;
	size = skb_alloc_size(size);
	skb->data = kmalloc(size, gfp);
	if (!skb->data) {
		kfree(skb);
		return NULL;
	}
	/* Unwritten bytes are poison: a reader of them is caught by checks. */
	memset(skb->data, 0xa5, size);
	skb->size = size;
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	kfree(skb->data);
	kfree(skb);
}

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tail = skb_tail_pointer(skb);

	assert(len <= skb_tailroom(skb));
	skb->len += len;
	return tail;
}

void nlmsg_trim(struct sk_buff *skb, const void *mark)
{
	if (!mark)
		return;
	assert((const unsigned char *)mark >= skb->data &&
	       (const unsigned char *)mark <= skb_tail_pointer(skb));
	skb->len = (const unsigned char *)mark - skb->data;
}

int nla_put(struct sk_buff *skb, int type, int len, const void *data)
{
	struct nlattr *nla;

	assert(len >= 0 && len <= U16_MAX - NLA_HDRLEN);
	if (skb_tailroom(skb) < (unsigned int)nla_total_size(len))
		return -EMSGSIZE;
	nla = skb_put(skb, nla_total_size(len));
	nla->nla_type = (u16)type;
	nla->nla_len = (u16)nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	memset((char *)nla_data(nla) + len, 0, nla_total_size(len) - nla_attr_size(len));
	return 0;
}

struct nlattr *nla_nest_start(struct sk_buff *skb, int type)
{
	struct nlattr *start = (struct nlattr *)skb_tail_pointer(skb);

	if (nla_put(skb, type | NLA_F_NESTED, 0, NULL))
		return NULL;
	return start;
}

int nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	unsigned long len = skb_tail_pointer(skb) - (unsigned char *)start;

	assert(len <= U16_MAX);		/* would wrap nla_len */
	start->nla_len = (u16)len;
	return skb->len;
}

void nla_nest_cancel(struct sk_buff *skb, struct nlattr *start)
{
	nlmsg_trim(skb, start);
}

ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize)
{
	size_t srclen = nla_len(nla), len;
	const char *src = nla_data(nla);
	ssize_t ret;

	if (!dstsize || dstsize > U16_MAX)
		return -E2BIG;
	if (srclen && src[srclen - 1] == '\0')
		srclen--;
	if (srclen >= dstsize) {
		len = dstsize - 1;
		ret = -E2BIG;
	} else {
		len = srclen;
		ret = (ssize_t)len;
	}
	memcpy(dst, src, len);
	memset(dst + len, 0, dstsize - len);
	return ret;
}

/* --------------------------------------------------------- genetlink */

void *genlmsg_put(struct sk_buff *skb, u32 portid, u32 seq,
		  const struct genl_family *family, int flags, u8 cmd)
{
	unsigned int len = NLMSG_ALIGN(NLMSG_HDRLEN + GENL_HDRLEN + family->hdrsize);
	struct genlmsghdr *gh;
	struct nlmsghdr *nlh;

	if (skb_tailroom(skb) < len)
		return NULL;
	nlh = skb_put(skb, len);
	memset(nlh, 0, len);
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + family->hdrsize;
	nlh->nlmsg_type = (u16)family->id;
	nlh->nlmsg_flags = (u16)flags;
	nlh->nlmsg_pid = portid;
	nlh->nlmsg_seq = seq;
	gh = nlmsg_data(nlh);
	gh->cmd = cmd;
	gh->version = (u8)family->version;
	return (char *)gh + GENL_HDRLEN;
}

static struct nlmsghdr *genl_nlh(void *hdr)
{
	return (struct nlmsghdr *)((char *)hdr - GENL_HDRLEN - NLMSG_HDRLEN);
}

void genlmsg_end(struct sk_buff *skb, void *hdr)
{
	struct nlmsghdr *nlh = genl_nlh(hdr);

	nlh->nlmsg_len = skb_tail_pointer(skb) - (unsigned char *)nlh;
}

void genlmsg_cancel(struct sk_buff *skb, void *hdr)
{
	if (hdr)
		nlmsg_trim(skb, genl_nlh(hdr));
}

void genl_dump_check_consistent(struct netlink_callback *cb, void *hdr)
{
	if (cb->prev_seq && cb->seq != cb->prev_seq)
		genl_nlh(hdr)->nlmsg_flags |= NLM_F_DUMP_INTR;
	cb->prev_seq = cb->seq;
}

/* --------------------------------------------- attribute validation */

static const u8 nla_exact_len[NLA_TYPE_MAX + 1] = {
	[NLA_U8] = 1, [NLA_U16] = 2, [NLA_U32] = 4, [NLA_U64] = 8,
	[NLA_S8] = 1, [NLA_S16] = 2, [NLA_S32] = 4, [NLA_S64] = 8,
	[NLA_BE16] = 2, [NLA_BE32] = 4,
};

static const u8 nla_min_len[NLA_TYPE_MAX + 1] = {
	[NLA_U8] = 1, [NLA_U16] = 2, [NLA_U32] = 4, [NLA_U64] = 8,
	[NLA_MSECS] = 8, [NLA_NESTED] = NLA_HDRLEN,
	[NLA_S8] = 1, [NLA_S16] = 2, [NLA_S32] = 4, [NLA_S64] = 8,
	[NLA_BE16] = 2, [NLA_BE32] = 4,
};

static int nla_bad(struct netlink_ext_ack *extack, const struct nlattr *nla,
		   const struct nla_policy *pt, const char *msg, int err)
{
	NL_SET_ERR_MSG_ATTR(extack, nla, msg);
	if (extack)
		extack->policy = pt;
	return err;
}

/* Range checks of integer policies (RANGE, MIN, MAX, RANGE_PTR). */
static int nla_check_range(const struct nla_policy *pt, const struct nlattr *nla,
			   struct netlink_ext_ack *extack)
{
	const void *d = nla_data(nla);
	bool is_signed = false;
	u64 v = 0, lo = 0, hi = 0;
	s64 sv = 0, slo = 0, shi = 0;

	switch (pt->type) {
	case NLA_U8:
		v = *(const u8 *)d;
		hi = U8_MAX;
		break;
	case NLA_U16:
		v = *(const u16 *)d;
		hi = U16_MAX;
		break;
	case NLA_U32:
		v = *(const u32 *)d;
		hi = U32_MAX;
		break;
	case NLA_U64:
		memcpy(&v, d, 8);
		hi = U64_MAX;
		break;
	case NLA_BINARY:
		v = nla_len(nla);
		hi = U16_MAX;
		break;
	case NLA_S8:
		sv = *(const s8 *)d;
		slo = INT8_MIN;
		shi = INT8_MAX;
		is_signed = true;
		break;
	case NLA_S16:
		sv = *(const s16 *)d;
		slo = INT16_MIN;
		shi = INT16_MAX;
		is_signed = true;
		break;
	case NLA_S32:
		sv = *(const s32 *)d;
		slo = INT32_MIN;
		shi = INT32_MAX;
		is_signed = true;
		break;
	case NLA_S64:
		memcpy(&sv, d, 8);
		slo = INT64_MIN;
		shi = INT64_MAX;
		is_signed = true;
		break;
	default:
		fprintf(stderr, "shim: range check on policy type %u\n", pt->type);
		abort();
	}
	if (is_signed) {
		switch (pt->validation_type) {
		case NLA_VALIDATE_RANGE:
			slo = pt->min;
			shi = pt->max;
			break;
		case NLA_VALIDATE_MIN:
			slo = pt->min;
			break;
		case NLA_VALIDATE_MAX:
			shi = pt->max;
			break;
		default:
			abort();	/* signed RANGE_PTR: not used by vr_sched */
		}
		if (sv < slo || sv > shi)
			return nla_bad(extack, nla, pt, "integer out of range", -ERANGE);
		return 0;
	}
	switch (pt->validation_type) {
	case NLA_VALIDATE_RANGE:
		assert(pt->min >= 0 && pt->max >= 0);
		lo = (u64)pt->min;
		hi = (u64)pt->max;
		break;
	case NLA_VALIDATE_MIN:
		assert(pt->min >= 0);
		lo = (u64)pt->min;
		break;
	case NLA_VALIDATE_MAX:
		assert(pt->max >= 0);
		hi = (u64)pt->max;
		break;
	case NLA_VALIDATE_RANGE_PTR:
		lo = pt->range->min;
		hi = pt->range->max;
		break;
	}
	if (v < lo || v > hi)
		return nla_bad(extack, nla, pt, "integer out of range", -ERANGE);
	return 0;
}

static int nla_validate_stream(const struct nlattr *head, int len, int maxtype,
			       const struct nla_policy *policy,
			       unsigned int validate,
			       struct netlink_ext_ack *extack,
			       struct nlattr **tb, unsigned int depth);

/* One attribute against its policy entry (strictness from @validate). */
static int nla_validate_one(const struct nlattr *nla, const struct nla_policy *pt,
			    unsigned int validate, struct netlink_ext_ack *extack,
			    unsigned int depth)
{
	int len = nla_len(nla), minlen;
	bool nested = pt->type == NLA_NESTED || pt->type == NLA_NESTED_ARRAY;
	const char *s = nla_data(nla);
	int err;

	assert(pt->type <= NLA_TYPE_MAX);
	if (nla_exact_len[pt->type] && len != nla_exact_len[pt->type] &&
	    (validate & NL_VALIDATE_STRICT_ATTRS))
		return nla_bad(extack, nla, pt, "invalid attribute length", -EINVAL);
	if (validate & NL_VALIDATE_NESTED) {
		if (nested && !(nla->nla_type & NLA_F_NESTED))
			return nla_bad(extack, nla, pt, "NLA_F_NESTED is missing", -EINVAL);
		if (!nested && pt->type != NLA_UNSPEC &&
		    (nla->nla_type & NLA_F_NESTED))
			return nla_bad(extack, nla, pt, "NLA_F_NESTED not expected", -EINVAL);
	}

	switch (pt->type) {
	case NLA_REJECT:
		return nla_bad(extack, nla, pt, "Attribute failed policy validation", -EINVAL);
	case NLA_FLAG:
		if (len > 0)
			goto out_range;
		break;
	case NLA_NUL_STRING:
		minlen = pt->len ? (len < pt->len + 1 ? len : pt->len + 1) : len;
		if (!minlen || !memchr(s, '\0', minlen))
			return nla_bad(extack, nla, pt, "Attribute failed policy validation", -EINVAL);
		fallthrough;
	case NLA_STRING:
		if (len < 1)
			goto out_range;
		if (pt->len) {
			int slen = s[len - 1] == '\0' ? len - 1 : len;

			if (slen > pt->len)
				goto out_range;
		}
		break;
	case NLA_BINARY:
		if (pt->len && len > pt->len)
			goto out_range;
		break;
	case NLA_NESTED:
		if (!len)
			break;
		if (len < NLA_HDRLEN)
			goto out_range;
		if (pt->nested_policy) {
			err = nla_validate_stream(nla_data(nla), len, pt->len,
						  pt->nested_policy, validate,
						  extack, NULL, depth + 1);
			if (err < 0)
				return err;
		}
		break;
	case NLA_UNSPEC:
		if (validate & NL_VALIDATE_UNSPEC)
			return nla_bad(extack, nla, NULL, "Unsupported attribute", -EINVAL);
		if (len < pt->len)
			goto out_range;
		break;
	case NLA_U8:
	case NLA_U16:
	case NLA_U32:
	case NLA_U64:
	case NLA_MSECS:
	case NLA_S8:
	case NLA_S16:
	case NLA_S32:
	case NLA_S64:
	case NLA_BE16:
	case NLA_BE32:
		minlen = pt->len ? pt->len : nla_min_len[pt->type];
		if (len < minlen)
			goto out_range;
		break;
	default:
		fprintf(stderr, "shim: policy type %u not implemented\n", pt->type);
		abort();
	}

	switch (pt->validation_type) {
	case NLA_VALIDATE_NONE:
		return 0;
	case NLA_VALIDATE_RANGE:
	case NLA_VALIDATE_MIN:
	case NLA_VALIDATE_MAX:
	case NLA_VALIDATE_RANGE_PTR:
		return nla_check_range(pt, nla, extack);
	default:
		fprintf(stderr, "shim: validation type %u not implemented\n",
			pt->validation_type);
		abort();
	}

out_range:
	return nla_bad(extack, nla, pt, "Attribute failed policy validation", -ERANGE);
}

#define MAX_POLICY_RECURSION_DEPTH	10

static int nla_validate_stream(const struct nlattr *head, int len, int maxtype,
			       const struct nla_policy *policy,
			       unsigned int validate,
			       struct netlink_ext_ack *extack,
			       struct nlattr **tb, unsigned int depth)
{
	const struct nlattr *nla;
	int rem, err;

	if (depth >= MAX_POLICY_RECURSION_DEPTH) {
		NL_SET_ERR_MSG(extack, "allowed policy recursion depth exceeded");
		return -EINVAL;
	}
	if (tb)
		memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	nla_for_each_attr(nla, head, len, rem) {
		int type = nla_type(nla);

		if (type == 0 || type > maxtype) {
			if (validate & NL_VALIDATE_MAXTYPE) {
				NL_SET_ERR_MSG_ATTR(extack, nla, "Unknown attribute type");
				return -EINVAL;
			}
			continue;
		}
		if (policy) {
			err = nla_validate_one(nla, &policy[type], validate,
					       extack, depth);
			if (err < 0)
				return err;
		}
		if (tb)
			tb[type] = (struct nlattr *)nla;
	}
	if (rem > 0) {
		NL_SET_ERR_MSG(extack, "bytes leftover after parsing attributes");
		if (validate & NL_VALIDATE_TRAILING)
			return -EINVAL;
	}
	return 0;
}

int __nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head,
		int len, const struct nla_policy *policy, unsigned int validate,
		struct netlink_ext_ack *extack)
{
	return nla_validate_stream(head, len, maxtype, policy, validate, extack,
				   tb, 0);
}
