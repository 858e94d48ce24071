/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel API that vr_sched/{netlink,registry,
 * sched}.c use, so that nl_fuzz can compile those files unchanged.
 * Force-included (-include) before each of them; the kernel headers they
 * name resolve to the empty files under fuzz/include/. Implementations are
 * in nl_shim.c (netlink attribute validation and parsing, message building,
 * xarray, cpumask) and nl_fuzz.c (the fake kernel objects: tasks, devices,
 * scheduler calls, multicast). These replace kernel helpers, never logic
 * of vr_sched.
 *
 * Semantics follow the kernel's documented ones (x86-64: no 64-bit
 * attribute padding). Locks are flags the harness checks: taking a held
 * lock, releasing a free one or a missing lockdep/RTNL assertion aborts.
 */
#ifndef PVR_FUZZ_NL_SHIM_H
#define PVR_FUZZ_NL_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/sched/types.h>

/* ------------------------------------------------------------ basics */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef unsigned int gfp_t;

#define __init
#define __exit
#define __ro_after_init
#define __always_unused	__attribute__((unused))
#define fallthrough	__attribute__((__fallthrough__))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define GFP_KERNEL	0x1u
#define BIT(n)		(1UL << (n))
#define U8_MAX		0xffU
#define U16_MAX		0xffffU
#define U32_MAX		0xffffffffU
#define U64_MAX		(~0ULL)
#define S32_MIN		INT32_MIN
#define S32_MAX		INT32_MAX
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BITS_PER_LONG	64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#define min(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); \
		     __a < __b ? __a : __b; })
#define max(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); \
		     __a > __b ? __a : __b; })
#define min_t(t, a, b) ({ t __a = (a); t __b = (b); __a < __b ? __a : __b; })
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }

/* A WARN in vr_sched is a finding. */
void fuzz_warn(const char *file, int line, const char *cond);
#define WARN_ON(c) ({ bool __c = !!(c); \
		      if (__c) fuzz_warn(__FILE__, __LINE__, #c); __c; })
#define WARN_ON_ONCE(c)	WARN_ON(c)

void fuzz_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_info(fmt, ...)		fuzz_printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)		fuzz_printk(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	fuzz_printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)		fuzz_printk(fmt, ##__VA_ARGS__)

struct module;
#define THIS_MODULE	((struct module *)NULL)
#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym

/* ---------------------------------------------------- memory (failslab) */

/* Allocations fail when the harness's fail-nth countdown reaches them. */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* printf formats, plus "%*pbl" (cpumask_pr_args) as the only argument. */
char *kasprintf(gfp_t gfp, const char *fmt, ...);

/* ------------------------------------------------------------ locking */

struct mutex {
	bool held;
};

#define DEFINE_MUTEX(m)	struct mutex m = { .held = false }
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
void fuzz_assert_held(const struct mutex *m, const char *what);
#define lockdep_assert_held(m)	fuzz_assert_held(m, #m)
#define lockdep_is_held(m)	((m)->held)

void rtnl_lock(void);
void rtnl_unlock(void);
extern struct mutex fuzz_rtnl;
#define ASSERT_RTNL()		fuzz_assert_held(&fuzz_rtnl, "RTNL")

/* -------------------------------------------------------------- lists */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(n)	{ &(n), &(n) }
#define LIST_HEAD(n)		struct list_head n = LIST_HEAD_INIT(n)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = NULL;
	e->prev = NULL;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(p, type, member)	container_of(p, type, member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, typeof(*pos), member))

/* ------------------------------------------------------------- xarray */

/* A sorted array of (index, entry): the xarray API, not its structure. */
struct xa_slot {
	unsigned long index;
	void *entry;
};

struct xarray {
	struct xa_slot *slots;
	unsigned int n, cap;
	unsigned long base;		/* lowest index xa_alloc hands out */
};

struct xa_limit {
	u32 min, max;
};

#define DEFINE_XARRAY_ALLOC1(name)	struct xarray name = { .base = 1 }
#define XA_LIMIT(lo, hi)		((struct xa_limit){ .min = lo, .max = hi })
#define xa_limit_32b			XA_LIMIT(0, UINT_MAX)

void *xa_load(struct xarray *xa, unsigned long index);
void *xa_erase(struct xarray *xa, unsigned long index);
int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp);
/* First entry at index >= *index, or NULL; sets *index. */
void *xa_find_from(struct xarray *xa, unsigned long *index);
void xa_destroy(struct xarray *xa);

static inline bool xa_empty(const struct xarray *xa)
{
	return !xa->n;
}

#define xa_for_each_start(xa, index, entry, start)			\
	for (index = (start), entry = xa_find_from(xa, &index); entry;	\
	     index++, entry = xa_find_from(xa, &index))
#define xa_for_each(xa, index, entry)	xa_for_each_start(xa, index, entry, 0)

/* ------------------------------------------------------------ cpumask */

#define NR_CPUS		64
extern unsigned int nr_cpu_ids;

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};

typedef struct cpumask *cpumask_var_t;

extern const struct cpumask *const cpu_possible_mask;
extern const struct cpumask *const cpu_online_mask;
extern const struct cpumask *const cpu_active_mask;

#define cpumask_bits(m)		((m)->bits)
#define cpumask_pr_args(m)	nr_cpu_ids, cpumask_bits(m)

bool alloc_cpumask_var(cpumask_var_t *m, gfp_t gfp);
bool zalloc_cpumask_var(cpumask_var_t *m, gfp_t gfp);
void free_cpumask_var(cpumask_var_t m);
bool cpumask_empty(const struct cpumask *m);
bool cpumask_subset(const struct cpumask *a, const struct cpumask *b);
bool cpumask_equal(const struct cpumask *a, const struct cpumask *b);
void cpumask_copy(struct cpumask *dst, const struct cpumask *src);
bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m);
void cpumask_set_cpu(unsigned int cpu, struct cpumask *m);
int bitmap_parselist(const char *buf, unsigned long *maskp, int nbits);
#define cpulist_parse(buf, m)	bitmap_parselist(buf, cpumask_bits(m), nr_cpu_ids)

/* ---------------------------------------------------- tasks, scheduler */

#define TASK_COMM_LEN	16
#define MAX_NICE	19
#define MIN_NICE	(-20)
#define MAX_RT_PRIO	100
#ifndef SCHED_NORMAL
#define SCHED_NORMAL	0
#define SCHED_FIFO	1
#define SCHED_RR	2
#define SCHED_BATCH	3
#define SCHED_IDLE	5
#define SCHED_DEADLINE	6
#endif

struct sched_dl_entity {
	u64 dl_runtime, dl_deadline, dl_period;
};

struct task_struct {
	pid_t pid;
	unsigned int policy;
	int nice;			/* stands for static_prio */
	unsigned int rt_priority;
	struct sched_dl_entity dl;
	const struct cpumask *cpus_ptr;
	struct cpumask cpus_mask;
};

static inline int task_nice(const struct task_struct *p)
{
	return p->nice;
}

static inline pid_t task_pid_nr(const struct task_struct *p)
{
	return p->pid;
}

#define task_cpu_possible_mask(p)	cpu_possible_mask

/* Fakes of the scheduler, in the harness. */
int sched_setattr_nocheck(struct task_struct *p, const struct sched_attr *attr);
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *mask);

/* ---------------------------------------------------- u64_stats_sync */

typedef struct {
	u64 v;
} u64_stats_t;

struct u64_stats_sync {
	int unused;
};

static inline void u64_stats_init(struct u64_stats_sync *s) { (void)s; }
static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *s)
{
	(void)s;
	return 0;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *s,
					 unsigned int start)
{
	(void)s;
	(void)start;
	return false;
}

static inline void u64_stats_update_begin(struct u64_stats_sync *s) { (void)s; }
static inline void u64_stats_update_end(struct u64_stats_sync *s) { (void)s; }
static inline u64 u64_stats_read(const u64_stats_t *p) { return p->v; }
static inline void u64_stats_add(u64_stats_t *p, unsigned long v) { p->v += v; }
static inline void u64_stats_inc(u64_stats_t *p) { p->v++; }

/* ------------------------------------------------- net, devices, sock */

#ifndef IFNAMSIZ
#define IFNAMSIZ	16
#endif

struct net {
	int id;
};

extern struct net init_net;

enum {
	NETREG_UNINITIALIZED = 0,
	NETREG_REGISTERED,
	NETREG_UNREGISTERING,
	NETREG_UNREGISTERED,
};

struct net_device {
	char name[IFNAMSIZ];
	int ifindex;
	struct net *net;
	u8 reg_state;
};

struct sock {
	struct net *net;
};

static inline struct net *dev_net(const struct net_device *d) { return d->net; }
static inline struct net *sock_net(const struct sock *sk) { return sk->net; }
static inline bool net_eq(const struct net *a, const struct net *b)
{
	return a == b;
}

/* Fakes of the device tables, in the harness. */
struct net_device *__dev_get_by_index(struct net *net, int ifindex);
struct net_device *__dev_get_by_name(struct net *net, const char *name);

#define NETDEV_REGISTER		0x0005
#define NETDEV_CHANGENAME	0x000A
#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long event,
			     void *ptr);
};

struct netdev_notifier_info {
	struct net_device *dev;
};

static inline struct net_device *
netdev_notifier_info_to_dev(const struct netdev_notifier_info *info)
{
	return info->dev;
}

int register_netdevice_notifier(struct notifier_block *nb);
int unregister_netdevice_notifier(struct notifier_block *nb);

/* ----------------------------------------------------------- sk_buff */

struct netlink_skb_parms {
	u32 portid;
};

struct sk_buff {
	unsigned char *data;
	unsigned int len;	/* bytes used */
	unsigned int size;	/* bytes allocated */
	struct sock *sk;
	struct netlink_skb_parms nlcb;
};

#define NETLINK_CB(skb)		((skb)->nlcb)
#define NLMSG_GOODSIZE		3776U	/* SKB_WITH_OVERHEAD(PAGE_SIZE), x86-64 */

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->data + skb->len;
}

static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return skb->size - skb->len;
}

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
void kfree_skb(struct sk_buff *skb);
void *skb_put(struct sk_buff *skb, unsigned int len);
void nlmsg_trim(struct sk_buff *skb, const void *mark);

/* ------------------------------------------------------------ netlink */

enum {
	NLA_UNSPEC,
	NLA_U8,
	NLA_U16,
	NLA_U32,
	NLA_U64,
	NLA_STRING,
	NLA_FLAG,
	NLA_MSECS,
	NLA_NESTED,
	NLA_NESTED_ARRAY,
	NLA_NUL_STRING,
	NLA_BINARY,
	NLA_S8,
	NLA_S16,
	NLA_S32,
	NLA_S64,
	NLA_BITFIELD32,
	NLA_REJECT,
	NLA_BE16,
	NLA_BE32,
	NLA_SINT,
	NLA_UINT,
	__NLA_TYPE_MAX,
};

#define NLA_TYPE_MAX (__NLA_TYPE_MAX - 1)

enum nla_policy_validation {
	NLA_VALIDATE_NONE,
	NLA_VALIDATE_RANGE,
	NLA_VALIDATE_RANGE_WARN_TOO_LONG,
	NLA_VALIDATE_MIN,
	NLA_VALIDATE_MAX,
	NLA_VALIDATE_MASK,
	NLA_VALIDATE_RANGE_PTR,
	NLA_VALIDATE_FUNCTION,
};

struct netlink_range_validation {
	u64 min, max;
};

struct nla_policy {
	u8 type;
	u8 validation_type;
	u16 len;
	union {
		const struct nla_policy *nested_policy;
		struct netlink_range_validation *range;
		struct {
			s16 min, max;
		};
	};
};

#define NLA_ENSURE_INT_TYPE(tp)	(tp)
#define NLA_POLICY_RANGE(tp, _min, _max) {				\
	.type = NLA_ENSURE_INT_TYPE(tp),				\
	.validation_type = NLA_VALIDATE_RANGE,				\
	.min = _min, .max = _max }
#define NLA_POLICY_MIN(tp, _min) {					\
	.type = NLA_ENSURE_INT_TYPE(tp),				\
	.validation_type = NLA_VALIDATE_MIN, .min = _min }
#define NLA_POLICY_MAX(tp, _max) {					\
	.type = NLA_ENSURE_INT_TYPE(tp),				\
	.validation_type = NLA_VALIDATE_MAX, .max = _max }
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_INT_TYPE(tp),				\
	.validation_type = NLA_VALIDATE_RANGE_PTR, .range = _range }
#define NLA_POLICY_NESTED(policy) {					\
	.type = NLA_NESTED, .nested_policy = policy,			\
	.len = ARRAY_SIZE(policy) - 1 }

/* Validation strictness, as enum netlink_validation. */
#define NL_VALIDATE_LIBERAL		0
#define NL_VALIDATE_TRAILING		BIT(0)
#define NL_VALIDATE_MAXTYPE		BIT(1)
#define NL_VALIDATE_UNSPEC		BIT(2)
#define NL_VALIDATE_STRICT_ATTRS	BIT(3)
#define NL_VALIDATE_NESTED		BIT(4)
#define NL_VALIDATE_STRICT		(NL_VALIDATE_TRAILING |		\
					 NL_VALIDATE_MAXTYPE |		\
					 NL_VALIDATE_UNSPEC |		\
					 NL_VALIDATE_STRICT_ATTRS |	\
					 NL_VALIDATE_NESTED)

struct netlink_ext_ack {
	const char *_msg;
	const struct nlattr *bad_attr;
	const struct nla_policy *policy;
};

#define NL_SET_ERR_MSG(extack, msg) do {				\
	struct netlink_ext_ack *__ea = (extack);			\
	if (__ea)							\
		__ea->_msg = (msg);					\
} while (0)
#define NL_SET_ERR_MSG_MOD(extack, msg)	NL_SET_ERR_MSG(extack, msg)
#define NL_SET_BAD_ATTR(extack, attr) do {				\
	struct netlink_ext_ack *__ea = (extack);			\
	if (__ea)							\
		__ea->bad_attr = (attr);				\
} while (0)
#define NL_SET_ERR_MSG_ATTR(extack, attr, msg) do {			\
	NL_SET_ERR_MSG(extack, msg);					\
	NL_SET_BAD_ATTR(extack, attr);					\
} while (0)

static inline void *nla_data(const struct nlattr *nla)
{
	return (char *)nla + NLA_HDRLEN;
}

static inline int nla_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

static inline int nla_type(const struct nlattr *nla)
{
	return nla->nla_type & NLA_TYPE_MASK;
}

static inline int nla_ok(const struct nlattr *nla, int remaining)
{
	return remaining >= (int)sizeof(*nla) &&
	       nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= remaining;
}

static inline struct nlattr *nla_next(const struct nlattr *nla, int *remaining)
{
	unsigned int totlen = NLA_ALIGN(nla->nla_len);

	*remaining -= totlen;
	return (struct nlattr *)((char *)nla + totlen);
}

#define nla_for_each_attr(pos, head, len, rem)				\
	for (pos = head, rem = len; nla_ok(pos, rem);			\
	     pos = nla_next(pos, &(rem)))

static inline void *nlmsg_data(const struct nlmsghdr *nlh)
{
	return (unsigned char *)nlh + NLMSG_HDRLEN;
}

static inline int nlmsg_len(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len - NLMSG_HDRLEN;
}

static inline struct nlattr *nlmsg_attrdata(const struct nlmsghdr *nlh,
					    int hdrlen)
{
	return (struct nlattr *)((unsigned char *)nlmsg_data(nlh) +
				 NLMSG_ALIGN(hdrlen));
}

static inline int nlmsg_attrlen(const struct nlmsghdr *nlh, int hdrlen)
{
	return nlmsg_len(nlh) - NLMSG_ALIGN(hdrlen);
}

#define nlmsg_for_each_attr(pos, nlh, hdrlen, rem)			\
	nla_for_each_attr(pos, nlmsg_attrdata(nlh, hdrlen),		\
			  nlmsg_attrlen(nlh, hdrlen), rem)

static inline int nla_attr_size(int payload)
{
	return NLA_HDRLEN + payload;
}

static inline int nla_total_size(int payload)
{
	return NLA_ALIGN(nla_attr_size(payload));
}

static inline int nla_total_size_64bit(int payload)
{
	return nla_total_size(payload);
}

static inline u8 nla_get_u8(const struct nlattr *nla)
{
	return *(u8 *)nla_data(nla);
}

static inline u16 nla_get_u16(const struct nlattr *nla)
{
	return *(u16 *)nla_data(nla);
}

static inline u32 nla_get_u32(const struct nlattr *nla)
{
	return *(u32 *)nla_data(nla);
}

static inline s32 nla_get_s32(const struct nlattr *nla)
{
	return *(s32 *)nla_data(nla);
}

static inline u64 nla_get_u64(const struct nlattr *nla)
{
	u64 v;

	memcpy(&v, nla_data(nla), sizeof(v));
	return v;
}

ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize);

int __nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head,
		int len, const struct nla_policy *policy, unsigned int validate,
		struct netlink_ext_ack *extack);

static inline int nla_parse_nested(struct nlattr *tb[], int maxtype,
				   const struct nlattr *nla,
				   const struct nla_policy *policy,
				   struct netlink_ext_ack *extack)
{
	if (!(nla->nla_type & NLA_F_NESTED)) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "NLA_F_NESTED is missing");
		return -EINVAL;
	}
	return __nla_parse(tb, maxtype, nla_data(nla), nla_len(nla), policy,
			   NL_VALIDATE_STRICT, extack);
}

int nla_put(struct sk_buff *skb, int type, int len, const void *data);

static inline int nla_put_u8(struct sk_buff *skb, int type, u8 v)
{
	return nla_put(skb, type, sizeof(v), &v);
}

static inline int nla_put_u32(struct sk_buff *skb, int type, u32 v)
{
	return nla_put(skb, type, sizeof(v), &v);
}

static inline int nla_put_s32(struct sk_buff *skb, int type, s32 v)
{
	return nla_put(skb, type, sizeof(v), &v);
}

static inline int nla_put_u64_64bit(struct sk_buff *skb, int type, u64 v,
				    int padattr)
{
	(void)padattr;
	return nla_put(skb, type, sizeof(v), &v);
}

static inline int nla_put_string(struct sk_buff *skb, int type, const char *s)
{
	return nla_put(skb, type, strlen(s) + 1, s);
}

struct nlattr *nla_nest_start(struct sk_buff *skb, int type);
int nla_nest_end(struct sk_buff *skb, struct nlattr *start);
void nla_nest_cancel(struct sk_buff *skb, struct nlattr *start);

static inline struct sk_buff *nlmsg_new(size_t payload, gfp_t gfp)
{
	return alloc_skb(NLMSG_ALIGN(NLMSG_HDRLEN + payload), gfp);
}

static inline void nlmsg_free(struct sk_buff *skb)
{
	kfree_skb(skb);
}

/* --------------------------------------------------------- genetlink */

#define GENL_ADMIN_PERM		0x01
#define GENL_CMD_CAP_DO		0x02
#define GENL_CMD_CAP_DUMP	0x04
#define GENL_UNS_ADMIN_PERM	0x10
#define GENL_DONT_VALIDATE_STRICT	BIT(0)
#define GENL_DONT_VALIDATE_DUMP		BIT(1)
#define GENL_DONT_VALIDATE_DUMP_STRICT	BIT(2)

struct genl_info {
	u32 snd_seq;
	u32 snd_portid;
	const struct genl_family *family;
	const struct nlmsghdr *nlhdr;
	struct genlmsghdr *genlhdr;
	struct nlattr **attrs;
	struct net *_net;
	struct netlink_ext_ack *extack;
};

static inline struct net *genl_info_net(const struct genl_info *info)
{
	return info->_net;
}

struct netlink_callback {
	struct sk_buff *skb;
	const struct nlmsghdr *nlh;
	struct netlink_ext_ack *extack;
	unsigned int prev_seq, seq;
	long args[6];
};

struct genl_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

struct genl_multicast_group {
	char name[GENL_NAMSIZ];
	u8 flags;
};

struct genl_family {
	unsigned int hdrsize;
	char name[GENL_NAMSIZ];
	unsigned int version;
	unsigned int maxattr;
	u8 netnsok:1;
	u8 parallel_ops:1;
	u8 n_ops;
	u8 n_mcgrps;
	u8 resv_start_op;
	const struct nla_policy *policy;
	const struct genl_ops *ops;
	const struct genl_multicast_group *mcgrps;
	struct module *module;
	int id;
};

void *genlmsg_put(struct sk_buff *skb, u32 portid, u32 seq,
		  const struct genl_family *family, int flags, u8 cmd);
void genlmsg_end(struct sk_buff *skb, void *hdr);
void genlmsg_cancel(struct sk_buff *skb, void *hdr);
void genl_dump_check_consistent(struct netlink_callback *cb, void *hdr);

static inline struct sk_buff *genlmsg_new(size_t payload, gfp_t gfp)
{
	return nlmsg_new(GENL_HDRLEN + payload, gfp);
}

/* Fakes of delivery and registration, in the harness. */
int genlmsg_reply(struct sk_buff *skb, struct genl_info *info);
int genlmsg_multicast_allns(const struct genl_family *family,
			    struct sk_buff *skb, u32 portid, unsigned int group);
int genlmsg_multicast_netns(const struct genl_family *family, struct net *net,
			    struct sk_buff *skb, u32 portid, unsigned int group,
			    gfp_t flags);
int genl_has_listeners(const struct genl_family *family, struct net *net,
		       unsigned int group);
int genl_register_family(struct genl_family *family);
int genl_unregister_family(const struct genl_family *family);

#endif /* PVR_FUZZ_NL_SHIM_H */
