// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the runner's self-test: with trigger=1 it emits one
 * deliberate kernel warning and refuses to load, so the test can prove that
 * the VM runner fails a run whose kernel log shows a WARNING. Never built
 * into the pvr package; built from selftests/ only.
 */
#include <linux/bug.h>
#include <linux/module.h>

static bool trigger;
module_param(trigger, bool, 0444);
MODULE_PARM_DESC(trigger, "emit a deliberate WARNING when loaded");

static int __init pvr_warn_test_init(void)
{
	if (trigger) {
		WARN(1, "pvr_warn_test: deliberate warning for the runner self-test\n");
		return -ECANCELED;
	}
	return -ENODEV;
}
module_init(pvr_warn_test_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pvr selftest: deliberate kernel warning");
