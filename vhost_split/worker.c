// SPDX-License-Identifier: GPL-2.0
/*
 * The two worker threads of a device: "vhs-rx-<owner tgid>" moves packets
 * from the backend socket to the guest, "vhs-tx-<owner tgid>" from the
 * guest to the backend socket. Each serves one virtqueue only.
 *
 * Lifetime: created by SET_OWNER (under dev->mutex), stopped by RESET_OWNER
 * or release (under dev->mutex, never with a vq mutex held, since the
 * worker takes its vq mutex). The device keeps a task reference from
 * creation to kthread_stop(). Before its first packet a worker adopts the
 * owner's mm and cgroups and registers with vr_sched, from its own context,
 * then reports readiness; it unregisters before it exits.
 */
#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "vhs.h"

static void vhs_worker_loop(struct vhs_vq *vq)
{
	for (;;) {
		u64 pkts = 0, bytes = 0, start;

		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return;
		}
		if (!test_and_clear_bit(VHS_WORK_QUEUED, &vq->work)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);

		vr_worker_wakeup(&vq->vrw);
		start = ktime_get_ns();
		if (vq->index == VHS_VQ_RX)
			vhs_handle_rx(vq, &pkts, &bytes);
		else
			vhs_handle_tx(vq, &pkts, &bytes);
		vr_worker_account(&vq->vrw, pkts, bytes, ktime_get_ns() - start);
		cond_resched();
	}
}

static int vhs_worker_fn(void *data)
{
	struct vhs_vq *vq = data;
	struct vhs_dev *dev = vq->dev;
	int err;

	kthread_use_mm(dev->mm);
	err = cgroup_attach_task_all(dev->owner, current);
	if (!err)
		err = vr_worker_register(&vq->vrw);
	vq->start_err = err;
	complete(&vq->ready);
	if (!err) {
		vhs_worker_loop(vq);
		vr_worker_unregister(&vq->vrw);
	} else {
		/* Wait to be stopped: the creator calls kthread_stop(). */
		while (!kthread_should_stop())
			schedule_timeout_interruptible(HZ);
	}
	kthread_unuse_mm(dev->mm);
	return err;
}

static void vhs_worker_stop(struct vhs_vq *vq)
{
	if (!vq->worker)
		return;
	kthread_stop(vq->worker);
	put_task_struct(vq->worker);
	vq->worker = NULL;
}

static int vhs_worker_start(struct vhs_dev *dev, struct vhs_vq *vq)
{
	struct task_struct *t;

	t = kthread_create(vhs_worker_fn, vq, "vhs-%s-%d",
			   vq->index == VHS_VQ_RX ? "rx" : "tx", dev->owner_tgid);
	if (IS_ERR(t))
		return PTR_ERR(t);

	memset(&vq->vrw, 0, sizeof(vq->vrw));
	vq->vrw.task = t;
	vq->vrw.dir = vq->dir;
	vq->vrw.owner_pid = dev->owner_tgid;
	get_task_comm(vq->vrw.owner_comm, dev->owner);
	vq->vrw.dev_id = dev->id;
	vq->vrw.kind = KBUILD_MODNAME;

	get_task_struct(t);
	vq->worker = t;
	vq->work = 0;
	reinit_completion(&vq->ready);
	wake_up_process(t);
	wait_for_completion(&vq->ready);
	if (vq->start_err) {
		int err = vq->start_err;

		vhs_worker_stop(vq);
		return err;
	}
	return 0;
}

int vhs_workers_start(struct vhs_dev *dev)
{
	int err;

	lockdep_assert_held(&dev->mutex);
	err = vhs_worker_start(dev, &dev->vqs[VHS_VQ_RX]);
	if (err)
		return err;
	err = vhs_worker_start(dev, &dev->vqs[VHS_VQ_TX]);
	if (err)
		goto err_tx;
	return 0;

err_tx:
	vhs_worker_stop(&dev->vqs[VHS_VQ_RX]);
	return err;
}

void vhs_workers_stop(struct vhs_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	vhs_worker_stop(&dev->vqs[VHS_VQ_TX]);
	vhs_worker_stop(&dev->vqs[VHS_VQ_RX]);
}
