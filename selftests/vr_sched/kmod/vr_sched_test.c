// SPDX-License-Identifier: GPL-2.0
/*
 * vr_sched_test: test-only module. It runs dummy worker threads registered
 * with vr_sched exactly as vhost_split's are (from the thread itself,
 * before its first unit of work), so the control plane can be tested
 * without guests.
 *
 * A dummy worker loops: hash a 256-byte buffer VRT_BATCH times, then sleep
 * about a millisecond. Each hash counts as one "packet" of 256 "bytes":
 * the counters are real (they count real loop iterations and real busy
 * time), but they are loop iterations, not network packets.
 *
 * Parameters (/sys/module/vr_sched_test/parameters/):
 *   nworkers   (load time) dummy workers created at load, alternating rx/tx
 *   add_worker (write "rx" or "tx") one more worker, owned by the writer
 *              (its tgid and comm); the write returns once it registered
 *   del_worker (write a vr_sched worker id, or "all")
 *   workers    (read) one line per worker with the policy, priority, nice
 *              and CPUs the thread had when it began its first batch
 *
 * Lifetime and locking: vrt_lock protects vrt_list and vrt_stopping. A
 * worker is on the list from its registration until del_worker or unload
 * takes it off and stops its thread; the thread unregisters itself before
 * it returns, so kthread_stop() returning means vr_sched has let go.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jhash.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <pvr/vr_sched_api.h>

#define VRT_BATCH	16
#define VRT_PKT_BYTES	256

struct vrt_worker {
	struct vr_worker vw;
	struct list_head node;		/* Protected by vrt_lock. */
	struct completion registered;
	int reg_err;
	u32 buf[VRT_PKT_BYTES / 4];
	/* Written by the thread before its first batch, then constant. */
	int first_policy;
	unsigned int first_prio;
	int first_nice;
	char first_cpus[64];
};

static DEFINE_MUTEX(vrt_lock);
static LIST_HEAD(vrt_list);
static bool vrt_stopping;
static u32 vrt_next_dev_id = 1;		/* Protected by vrt_lock. */

static int nworkers = 2;
module_param(nworkers, int, 0444);
MODULE_PARM_DESC(nworkers, "dummy workers created at load (0..64)");

static int vrt_thread(void *data)
{
	struct vrt_worker *t = data;
	u32 hash = 0;
	u64 start;
	int i;

	t->reg_err = vr_worker_register(&t->vw);
	t->first_policy = current->policy;
	t->first_prio = current->rt_priority;
	t->first_nice = task_nice(current);
	scnprintf(t->first_cpus, sizeof(t->first_cpus), "%*pbl",
		  cpumask_pr_args(current->cpus_ptr));
	complete(&t->registered);
	if (t->reg_err)
		goto out_wait;

	while (!kthread_should_stop()) {
		start = ktime_get_ns();
		for (i = 0; i < VRT_BATCH; i++) {
			t->buf[i % ARRAY_SIZE(t->buf)] = hash;
			hash = jhash2(t->buf, ARRAY_SIZE(t->buf), hash);
		}
		vr_worker_account(&t->vw, VRT_BATCH,
				  VRT_BATCH * VRT_PKT_BYTES,
				  ktime_get_ns() - start);
		usleep_range(1000, 2000);
		vr_worker_wakeup(&t->vw);
	}
	vr_worker_unregister(&t->vw);
	return 0;

out_wait:
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void vrt_destroy(struct vrt_worker *t)
{
	kthread_stop(t->vw.task);
	put_task_struct(t->vw.task);
	kfree(t);
}

static int vrt_create(u8 dir)
{
	struct task_struct *task;
	struct vrt_worker *t;
	int err;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	init_completion(&t->registered);
	t->vw.dir = dir;
	t->vw.owner_pid = task_tgid_nr(current);
	get_task_comm(t->vw.owner_comm, current);
	t->vw.kind = KBUILD_MODNAME;

	mutex_lock(&vrt_lock);
	if (vrt_stopping) {
		err = -ENODEV;
		goto err_stopping;
	}
	t->vw.dev_id = vrt_next_dev_id++;
	task = kthread_create(vrt_thread, t, "vrt-%s-%u",
			      dir == VR_SCHED_DIR_RX ? "rx" : "tx",
			      t->vw.dev_id);
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto err_stopping;
	}
	get_task_struct(task);
	t->vw.task = task;
	wake_up_process(task);
	wait_for_completion(&t->registered);
	if (t->reg_err) {
		err = t->reg_err;
		mutex_unlock(&vrt_lock);
		vrt_destroy(t);
		return err;
	}
	list_add_tail(&t->node, &vrt_list);
	mutex_unlock(&vrt_lock);
	return 0;

err_stopping:
	mutex_unlock(&vrt_lock);
	kfree(t);
	return err;
}

static int vrt_add_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "rx"))
		return vrt_create(VR_SCHED_DIR_RX);
	if (sysfs_streq(val, "tx"))
		return vrt_create(VR_SCHED_DIR_TX);
	return -EINVAL;
}

static const struct kernel_param_ops vrt_add_ops = {
	.set = vrt_add_set,
};
module_param_cb(add_worker, &vrt_add_ops, NULL, 0200);
MODULE_PARM_DESC(add_worker, "write rx or tx: start one more worker");

static int vrt_del_set(const char *val, const struct kernel_param *kp)
{
	struct vrt_worker *t, *tmp;
	LIST_HEAD(victims);
	bool all = sysfs_streq(val, "all");
	u32 id = 0;
	int err;

	if (!all) {
		err = kstrtou32(val, 0, &id);
		if (err)
			return err;
	}
	mutex_lock(&vrt_lock);
	list_for_each_entry_safe(t, tmp, &vrt_list, node)
		if (all || t->vw.id == id)
			list_move_tail(&t->node, &victims);
	mutex_unlock(&vrt_lock);
	if (!all && list_empty(&victims))
		return -ENOENT;
	list_for_each_entry_safe(t, tmp, &victims, node) {
		list_del(&t->node);
		vrt_destroy(t);
	}
	return 0;
}

static const struct kernel_param_ops vrt_del_ops = {
	.set = vrt_del_set,
};
module_param_cb(del_worker, &vrt_del_ops, NULL, 0200);
MODULE_PARM_DESC(del_worker, "write a worker id or all: stop workers");

static int vrt_workers_get(char *buf, const struct kernel_param *kp)
{
	struct vrt_worker *t;
	int len = 0;

	mutex_lock(&vrt_lock);
	list_for_each_entry(t, &vrt_list, node)
		len += scnprintf(buf + len, PAGE_SIZE - len,
				 "id=%u tid=%d dir=%s first_policy=%d first_prio=%u first_nice=%d first_cpus=%s\n",
				 t->vw.id, task_pid_nr(t->vw.task),
				 t->vw.dir == VR_SCHED_DIR_RX ? "rx" : "tx",
				 t->first_policy, t->first_prio, t->first_nice,
				 t->first_cpus);
	mutex_unlock(&vrt_lock);
	return len;
}

static const struct kernel_param_ops vrt_workers_ops = {
	.get = vrt_workers_get,
};
module_param_cb(workers, &vrt_workers_ops, NULL, 0444);
MODULE_PARM_DESC(workers, "the workers and their state at their first batch");

static void vrt_stop_all(void)
{
	struct vrt_worker *t, *tmp;
	LIST_HEAD(victims);

	mutex_lock(&vrt_lock);
	vrt_stopping = true;
	list_splice_init(&vrt_list, &victims);
	mutex_unlock(&vrt_lock);
	list_for_each_entry_safe(t, tmp, &victims, node) {
		list_del(&t->node);
		vrt_destroy(t);
	}
}

static int __init vrt_init(void)
{
	int i, err;

	if (nworkers < 0 || nworkers > 64)
		return -EINVAL;
	for (i = 0; i < nworkers; i++) {
		err = vrt_create(i % 2 ? VR_SCHED_DIR_TX : VR_SCHED_DIR_RX);
		if (err)
			goto err_create;
	}
	return 0;

err_create:
	vrt_stop_all();
	return err;
}

static void __exit vrt_exit(void)
{
	vrt_stop_all();
}

module_init(vrt_init);
module_exit(vrt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pvr test-only: dummy workers registered with vr_sched");
MODULE_AUTHOR("pvr developers");
