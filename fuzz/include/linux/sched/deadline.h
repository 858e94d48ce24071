/* SPDX-License-Identifier: GPL-2.0 */
/* Empty stand-in: fuzz/nl_shim.h (force-included) provides this API. */
