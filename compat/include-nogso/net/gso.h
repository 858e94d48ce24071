/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for kernels before 6.5, where the GSO helpers (net/gso.h) were
 * still declared in netdevice.h. Only on the include path for those.
 */
#ifndef _PVR_COMPAT_NET_GSO_H
#define _PVR_COMPAT_NET_GSO_H
#include <linux/netdevice.h>
#endif
