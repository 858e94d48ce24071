/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in: the 64-bit kernel's bound on pid_max. */
#ifndef PVR_FUZZ_THREADS_H
#define PVR_FUZZ_THREADS_H
#define PID_MAX_LIMIT	(4 * 1024 * 1024)
#endif
