// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the runner's self-test. Loading it always fails;
 * before that it can plant what the VM runner must catch:
 *   trigger=1  one deliberate kernel WARNING;
 *   redzone=1  one byte written just past a 32-byte kmalloc object, which
 *              the allocator's debug checks (slub_debug=Z, as vm.sh
 *              --kdebug boots) report as an overwritten red zone when the
 *              object is freed.
 * Never built into the pvr package; built from selftests/ only.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

#define PVR_WT_OBJ	32

static bool trigger;
module_param(trigger, bool, 0444);
MODULE_PARM_DESC(trigger, "emit a deliberate WARNING when loaded");

static bool redzone;
module_param(redzone, bool, 0444);
MODULE_PARM_DESC(redzone, "overwrite one byte past a kmalloc object");

static void pvr_warn_test_redzone(void)
{
	u8 *obj = kmalloc(PVR_WT_OBJ, GFP_KERNEL);

	if (!obj)
		return;
	/* Hide the object's size from the compiler: the overflow is the point. */
	OPTIMIZER_HIDE_VAR(obj);
	obj[PVR_WT_OBJ] = 0x5a;
	kfree(obj);
	pr_info("pvr_warn_test: wrote one byte past a %d-byte object\n",
		PVR_WT_OBJ);
}

static int __init pvr_warn_test_init(void)
{
	if (redzone)
		pvr_warn_test_redzone();
	if (trigger) {
		WARN(1, "pvr_warn_test: deliberate warning for the runner self-test\n");
		return -ECANCELED;
	}
	return -ENODEV;
}
module_init(pvr_warn_test_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pvr selftest: deliberate kernel warning and slab overflow");
