/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every pvr object. Makes the newest kernel API names
 * work on the older supported kernels, driven by the COMPAT_* flags that
 * compat/compat.mk derives from the target's headers. This is the only place
 * in pvr that knows about kernel differences.
 */
#ifndef _PVR_COMPAT_H
#define _PVR_COMPAT_H

#ifdef COMPAT_EVENTFD_SIGNAL_HAS_COUNT
#include <linux/eventfd.h>
/* 6.8 dropped the count argument; every caller passed 1. */
#define eventfd_signal(ctx) eventfd_signal((ctx), 1)
#endif

/* struct class's namespace() callback takes a const struct device since 6.2. */
#ifdef COMPAT_CLASS_NAMESPACE_NONCONST
#define PVR_CLASS_NS_CONST
#else
#define PVR_CLASS_NS_CONST const
#endif

#endif /* _PVR_COMPAT_H */
