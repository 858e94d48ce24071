/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for building kernel sources of pvr into libFuzzer targets:
 * the few kernel helpers those files use, mapped onto libc. Force-included
 * (-include) before the kernel source file; it replaces helpers, never logic.
 */
#ifndef PVR_FUZZ_SHIM_H
#define PVR_FUZZ_SHIM_H

#include <endian.h>
#include <stddef.h>
#include <linux/types.h>

#define le16_to_cpu(x) le16toh((__u16)(x))
#define le32_to_cpu(x) le32toh((__u32)(x))
#define le64_to_cpu(x) le64toh((__u64)(x))
#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))

#endif /* PVR_FUZZ_SHIM_H */
