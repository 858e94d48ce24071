# SPDX-License-Identifier: GPL-2.0
#
# Build-time probes of the target kernel's headers. Each probe defines a
# COMPAT_* flag that compat/compat.h turns into a shim; the feature code
# never tests kernel versions. Included from the top-level Kbuild, where
# $(srctree) is the target kernel's source (for Debian headers packages,
# the -common directory).

PVR_COMPAT_CFLAGS :=

pvr_hdr = $(firstword $(wildcard $(srctree)/include/$(1) $(objtree)/include/$(1)))
pvr_has = $(shell grep -s -q -E -e '$(2)' $(call pvr_hdr,$(1)) && echo y)

# eventfd_signal() lost its count argument in 6.8.
ifneq ($(call pvr_has,linux/eventfd.h,eventfd_signal\(struct eventfd_ctx \*ctx\)),y)
PVR_COMPAT_CFLAGS += -DCOMPAT_EVENTFD_SIGNAL_HAS_COUNT
endif

# net/gso.h was split out of netdevice.h in 6.5; older kernels get a
# stand-in that includes netdevice.h.
ifeq ($(call pvr_hdr,net/gso.h),)
PVR_COMPAT_CFLAGS += -I$(PVR_ROOT)/compat/include-nogso
endif

# struct class's namespace() callback takes a const struct device since 6.2.
ifneq ($(call pvr_has,linux/device/class.h,namespace..const struct device),y)
PVR_COMPAT_CFLAGS += -DCOMPAT_CLASS_NAMESPACE_NONCONST
endif
