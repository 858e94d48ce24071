/* SPDX-License-Identifier: GPL-2.0 */
/* vr_sched internals shared between its source files. */
#ifndef _VR_SCHED_H
#define _VR_SCHED_H

#include <pvr/vr_sched_api.h>

int vr_registry_init(void);
void vr_registry_exit(void);

#endif /* _VR_SCHED_H */
