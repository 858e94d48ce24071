// SPDX-License-Identifier: GPL-2.0
/*
 * Thread tuning: parse and validate a CPU list and a scheduling policy from
 * netlink, apply them to a live thread, and report a thread's policy.
 *
 * Nothing here keeps state. Callers hold vr_lock, which keeps the worker
 * (and so its task, which the worker's owner holds a reference to) alive.
 */
#include <linux/cpumask.h>
#include <linux/mmu_context.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/sched/deadline.h>
#include <linux/sched/prio.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <uapi/linux/sched/types.h>

#include "vr_sched.h"

int vr_thread_cfg_init(struct vr_thread_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!zalloc_cpumask_var(&cfg->cpus, GFP_KERNEL))
		return -ENOMEM;
	return 0;
}

void vr_thread_cfg_destroy(struct vr_thread_cfg *cfg)
{
	free_cpumask_var(cfg->cpus);
}

static int vr_parse_cpus(struct cpumask *mask, const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	/* The policy guarantees a NUL-terminated string. */
	if (cpulist_parse(nla_data(attr), mask)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "invalid CPU list (syntax or CPU number)");
		return -EINVAL;
	}
	if (cpumask_empty(mask)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "empty CPU list");
		return -EINVAL;
	}
	if (!cpumask_subset(mask, cpu_online_mask)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CPU list names CPUs that are not online");
		return -EINVAL;
	}
	return 0;
}

/* Refuse parameters that do not belong to @policy. */
static int vr_sched_only(struct nlattr **tb, const unsigned long allowed,
			 struct netlink_ext_ack *extack)
{
	int i;

	for (i = VR_SCHED_A_SCHED_NICE; i <= VR_SCHED_A_SCHED_PERIOD; i++) {
		if (tb[i] && !(allowed & BIT(i))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "parameter not valid for this policy");
			return -EINVAL;
		}
	}
	return 0;
}

static int vr_parse_sched(struct vr_thread_sched *s, const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VR_SCHED_A_SCHED_MAX + 1];
	int err;

	err = nla_parse_nested(tb, VR_SCHED_A_SCHED_MAX, nest,
			       vr_sched_nl_policy, extack);
	if (err)
		return err;
	if (!tb[VR_SCHED_A_SCHED_POLICY]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "sched: policy missing");
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	s->policy = nla_get_u32(tb[VR_SCHED_A_SCHED_POLICY]);

	switch (s->policy) {
	case VR_SCHED_THREAD_POLICY_OTHER:
	case VR_SCHED_THREAD_POLICY_BATCH:
		if (tb[VR_SCHED_A_SCHED_NICE])
			s->nice = nla_get_s32(tb[VR_SCHED_A_SCHED_NICE]);
		return vr_sched_only(tb, BIT(VR_SCHED_A_SCHED_NICE), extack);
	case VR_SCHED_THREAD_POLICY_IDLE:
		return vr_sched_only(tb, 0, extack);
	case VR_SCHED_THREAD_POLICY_FIFO:
	case VR_SCHED_THREAD_POLICY_RR:
		if (!tb[VR_SCHED_A_SCHED_PRIO]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "sched: fifo and rr need a prio (1..99)");
			return -EINVAL;
		}
		s->prio = nla_get_u32(tb[VR_SCHED_A_SCHED_PRIO]);
		return vr_sched_only(tb, BIT(VR_SCHED_A_SCHED_PRIO), extack);
	case VR_SCHED_THREAD_POLICY_DEADLINE:
		break;
	default:
		/* The policy range check makes this unreachable. */
		NL_SET_ERR_MSG_ATTR(extack, tb[VR_SCHED_A_SCHED_POLICY],
				    "unknown policy");
		return -EINVAL;
	}

	err = vr_sched_only(tb, BIT(VR_SCHED_A_SCHED_RUNTIME) |
			    BIT(VR_SCHED_A_SCHED_DEADLINE) |
			    BIT(VR_SCHED_A_SCHED_PERIOD), extack);
	if (err)
		return err;
	if (!tb[VR_SCHED_A_SCHED_RUNTIME] || !tb[VR_SCHED_A_SCHED_DEADLINE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "sched: deadline needs runtime and deadline");
		return -EINVAL;
	}
	s->runtime = nla_get_u64(tb[VR_SCHED_A_SCHED_RUNTIME]);
	s->deadline = nla_get_u64(tb[VR_SCHED_A_SCHED_DEADLINE]);
	s->period = tb[VR_SCHED_A_SCHED_PERIOD] ?
		    nla_get_u64(tb[VR_SCHED_A_SCHED_PERIOD]) : s->deadline;
	if (s->runtime > s->deadline) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VR_SCHED_A_SCHED_RUNTIME],
				    "DEADLINE runtime exceeds the deadline (need runtime <= deadline <= period)");
		return -EINVAL;
	}
	if (s->deadline > s->period) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VR_SCHED_A_SCHED_DEADLINE],
				    "DEADLINE deadline exceeds the period (need runtime <= deadline <= period)");
		return -EINVAL;
	}
	return 0;
}

int vr_thread_cfg_parse(struct vr_thread_cfg *cfg, const struct nlattr *cpus,
			const struct nlattr *sched,
			struct netlink_ext_ack *extack)
{
	int err;

	if (cpus) {
		err = vr_parse_cpus(cfg->cpus, cpus, extack);
		if (err)
			return err;
		cfg->has_cpus = true;
	}
	if (sched) {
		err = vr_parse_sched(&cfg->sched, sched, extack);
		if (err)
			return err;
		cfg->has_sched = true;
	}
	return 0;
}

static const int vr_policy_to_kernel[] = {
	[VR_SCHED_THREAD_POLICY_OTHER]		= SCHED_NORMAL,
	[VR_SCHED_THREAD_POLICY_FIFO]		= SCHED_FIFO,
	[VR_SCHED_THREAD_POLICY_RR]		= SCHED_RR,
	[VR_SCHED_THREAD_POLICY_DEADLINE]	= SCHED_DEADLINE,
	[VR_SCHED_THREAD_POLICY_BATCH]		= SCHED_BATCH,
	[VR_SCHED_THREAD_POLICY_IDLE]		= SCHED_IDLE,
};

static int vr_apply_sched(struct task_struct *task,
			  const struct vr_thread_sched *s,
			  struct netlink_ext_ack *extack)
{
	struct sched_attr attr = {
		.size		= sizeof(attr),
		.sched_policy	= vr_policy_to_kernel[s->policy],
		.sched_nice	= s->nice,
		.sched_priority	= s->prio,
		.sched_runtime	= s->runtime,
		.sched_deadline	= s->deadline,
		.sched_period	= s->period,
	};
	int err;

	err = sched_setattr_nocheck(task, &attr);
	switch (err) {
	case 0:
		break;
	case -EBUSY:
		NL_SET_ERR_MSG(extack,
			       "DEADLINE admission control refused the reservation (not enough free bandwidth on the worker's CPUs)");
		break;
	case -EPERM:
		NL_SET_ERR_MSG(extack,
			       "SCHED_DEADLINE needs the worker allowed on every CPU of its root domain");
		break;
	case -EINVAL:
		NL_SET_ERR_MSG(extack,
			       "the scheduler refused the parameters (DEADLINE period outside kernel.sched_deadline_period_{min,max}_us?)");
		break;
	default:
		NL_SET_ERR_MSG(extack, "the scheduler refused the policy");
		break;
	}
	return err;
}

static int vr_apply_cpus(struct task_struct *task, const struct cpumask *cpus,
			 struct netlink_ext_ack *extack)
{
	int err;

	err = set_cpus_allowed_ptr(task, cpus);
	if (err)
		NL_SET_ERR_MSG(extack, "the scheduler refused the CPU list");
	return err;
}

/*
 * Put a thread that left SCHED_DEADLINE back into its reservation @prev.
 * Leaving it for a fair policy also set the nice value, which a deadline
 * thread keeps (unused) for when it leaves again: restore that first.
 */
static int vr_restore_dl(struct task_struct *task,
			 const struct vr_thread_sched *prev, int nice)
{
	struct vr_thread_sched fair = {
		.policy	= VR_SCHED_THREAD_POLICY_OTHER,
		.nice	= nice,
	};

	if (task_nice(task) != nice && vr_apply_sched(task, &fair, NULL))
		return -EAGAIN;
	return vr_apply_sched(task, prev, NULL);
}

/*
 * Apply @cpus and/or @sched (either may be NULL) to @task, all or nothing
 * as far as the scheduler allows: a refused policy restores the previous
 * CPUs. SCHED_DEADLINE admission is checked against the root domain, so
 * the CPUs of a deadline thread cannot be narrowed here.
 */
int vr_thread_apply(struct task_struct *task, const struct cpumask *cpus,
		    const struct vr_thread_sched *sched,
		    struct netlink_ext_ack *extack)
{
	bool was_dl = READ_ONCE(task->policy) == SCHED_DEADLINE;
	bool will_dl = sched ? sched->policy == VR_SCHED_THREAD_POLICY_DEADLINE
			     : was_dl;
	cpumask_var_t old;
	int err;

	if (cpus && !cpumask_subset(cpus, task_cpu_possible_mask(task))) {
		NL_SET_ERR_MSG(extack, "CPU list names CPUs this thread may not run on");
		return -EINVAL;
	}
	/*
	 * The scheduler refuses SCHED_DEADLINE to user space unless the task
	 * may run on its whole root domain (admission control is per root
	 * domain); sched_setattr_nocheck() skips that check, so make it here
	 * against the active CPUs.
	 */
	if (will_dl && (cpus || !was_dl) &&
	    !cpumask_subset(cpu_active_mask, cpus ?: task->cpus_ptr)) {
		NL_SET_ERR_MSG(extack,
			       "SCHED_DEADLINE needs the worker allowed on every active CPU (its root domain): widen its cpus first");
		return -EINVAL;
	}
	if (!cpus)
		return sched ? vr_apply_sched(task, sched, extack) : 0;
	if (!sched)
		return vr_apply_cpus(task, cpus, extack);

	if (was_dl) {
		struct vr_thread_sched prev;
		int prev_nice;

		/*
		 * Leave DEADLINE first, while the thread may still run
		 * anywhere. A refused CPU list then restores the reservation:
		 * the thread's CPUs did not change, and the bandwidth it just
		 * released is normally still free. If admission control now
		 * refuses it (another reservation took the bandwidth in
		 * between), the thread keeps the new policy; say so.
		 */
		vr_thread_get_sched(task, &prev);
		prev_nice = task_nice(task);
		err = vr_apply_sched(task, sched, extack);
		if (err)
			return err;
		err = vr_apply_cpus(task, cpus, extack);
		if (err && vr_restore_dl(task, &prev, prev_nice))
			NL_SET_ERR_MSG(extack,
				       "the scheduler refused the CPU list, and the previous DEADLINE reservation could not be restored");
		return err;
	}

	if (!alloc_cpumask_var(&old, GFP_KERNEL))
		return -ENOMEM;
	cpumask_copy(old, task->cpus_ptr);
	err = vr_apply_cpus(task, cpus, extack);
	if (!err) {
		err = vr_apply_sched(task, sched, extack);
		if (err)
			set_cpus_allowed_ptr(task, old);
	}
	free_cpumask_var(old);
	return err;
}

void vr_thread_get_sched(struct task_struct *task, struct vr_thread_sched *s)
{
	memset(s, 0, sizeof(*s));
	switch (READ_ONCE(task->policy)) {
	case SCHED_NORMAL:
		s->policy = VR_SCHED_THREAD_POLICY_OTHER;
		s->nice = task_nice(task);
		break;
	case SCHED_BATCH:
		s->policy = VR_SCHED_THREAD_POLICY_BATCH;
		s->nice = task_nice(task);
		break;
	case SCHED_IDLE:
		s->policy = VR_SCHED_THREAD_POLICY_IDLE;
		break;
	case SCHED_FIFO:
		s->policy = VR_SCHED_THREAD_POLICY_FIFO;
		s->prio = READ_ONCE(task->rt_priority);
		break;
	case SCHED_RR:
		s->policy = VR_SCHED_THREAD_POLICY_RR;
		s->prio = READ_ONCE(task->rt_priority);
		break;
	case SCHED_DEADLINE:
		s->policy = VR_SCHED_THREAD_POLICY_DEADLINE;
		s->runtime = READ_ONCE(task->dl.dl_runtime);
		s->deadline = READ_ONCE(task->dl.dl_deadline);
		s->period = READ_ONCE(task->dl.dl_period);
		break;
	}
}

int vr_nl_put_sched(struct sk_buff *skb, int attr,
		    const struct vr_thread_sched *s)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	if (s->policy && nla_put_u32(skb, VR_SCHED_A_SCHED_POLICY, s->policy))
		goto err_cancel;
	switch (s->policy) {
	case VR_SCHED_THREAD_POLICY_OTHER:
	case VR_SCHED_THREAD_POLICY_BATCH:
		if (nla_put_s32(skb, VR_SCHED_A_SCHED_NICE, s->nice))
			goto err_cancel;
		break;
	case VR_SCHED_THREAD_POLICY_FIFO:
	case VR_SCHED_THREAD_POLICY_RR:
		if (nla_put_u32(skb, VR_SCHED_A_SCHED_PRIO, s->prio))
			goto err_cancel;
		break;
	case VR_SCHED_THREAD_POLICY_DEADLINE:
		if (nla_put_u64_64bit(skb, VR_SCHED_A_SCHED_RUNTIME, s->runtime,
				      VR_SCHED_A_SCHED_PAD) ||
		    nla_put_u64_64bit(skb, VR_SCHED_A_SCHED_DEADLINE,
				      s->deadline, VR_SCHED_A_SCHED_PAD) ||
		    nla_put_u64_64bit(skb, VR_SCHED_A_SCHED_PERIOD, s->period,
				      VR_SCHED_A_SCHED_PAD))
			goto err_cancel;
		break;
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
