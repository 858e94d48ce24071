// SPDX-License-Identifier: GPL-2.0
/*
 * vr_sched/registry.c compiled unchanged into nl_fuzz, plus one helper:
 * reset its id cursors so that every fuzz input starts from the same
 * worker and rule ids (an input that names rule 1 means the same rule on
 * every run, so findings reproduce on their own).
 */
#include "registry.c"

void fuzz_registry_reset(void);

void fuzz_registry_reset(void)
{
	vr_worker_next_id = 0;
	vr_rule_next_id = 0;
}
