# SPDX-License-Identifier: GPL-2.0
#
# pvr top-level Makefile. The kernel modules are built by Kbuild (see the
# Kbuild file); this file only drives it, the lint passes, dkms, the user
# space tools and the VM selftests.
#
#   make                 modules for KVER (default: running kernel if its
#                        headers are installed, else the newest supported)
#   make KVER=6.12.x     modules for that kernel
#   make all-kernels     modules for every installed supported kernel
#   make warn|sparse|style  lint passes (fail on any warning in our files)
#   make tools           vrctl and the selftests' user space programs
#   make vm-test         the selftests in a VM, for every supported kernel
#   make check           everything CI runs (installs what is missing)
#   make check-debug     the selftests on a KASAN/lockdep/kmemleak 6.12 kernel
#   make demo            boot a throwaway VM and show pvr working
#   make bench[-quick]   forwarding benchmark, stock vs pvr, CSV + plots
#   make fuzz            libFuzzer targets, FUZZ_SECONDS each (default 600)
#   make install         modules_install + depmod for KVER
#   make dkms-build      dkms add/build for every installed supported kernel

SHELL := /bin/bash
PVR_VERSION := 0.1.0
MODULES := vr_sched vhost_split macvtap_mq
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

KERNELS := $(shell $(TOP)/scripts/kernels.sh)
RUNNING := $(shell uname -r)
ifeq ($(origin KVER),undefined)
  ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
    KVER := $(RUNNING)
  else
    KVER := $(lastword $(KERNELS))
  endif
endif
KDIR ?= /lib/modules/$(KVER)/build

# Each kernel gets its own copy of the sources so builds for different
# kernels never share objects (external modules cannot set an output
# directory on the kernels we support).
BUILD := $(TOP)/.build/$(KVER)
SRC_DIRS := Kbuild compat include $(MODULES)

.PHONY: all modules modules-locked testmods all-kernels warn sparse style tools vm-test check \
	check-debug report-check bench bench-quick demo install dkms-build clean deps sync fuzz spec-check soak

all: modules

deps:
	@$(TOP)/scripts/install-deps.sh

sync:
	@test -n "$(KVER)" || { echo "no supported kernel headers installed (run make deps)"; exit 1; }
	@test -e "$(KDIR)/Makefile" || { echo "no kernel build tree at $(KDIR)"; exit 1; }
	@mkdir -p $(BUILD)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
		$(addprefix $(TOP)/,$(SRC_DIRS)) $(BUILD)/

TESTMOD_DIRS := $(patsubst $(TOP)/selftests/%/kmod/Kbuild,%,$(wildcard $(TOP)/selftests/*/kmod/Kbuild))

# Several developers may build in one tree at once: one build per kernel
# at a time.
modules:
	@mkdir -p $(TOP)/.build
	@flock $(TOP)/.build/$(KVER).lock $(MAKE) --no-print-directory KVER=$(KVER) modules-locked

modules-locked: sync
	$(MAKE) -C $(KDIR) M=$(BUILD) modules
	@$(MAKE) --no-print-directory testmods

# Test-only kernel modules (selftests/<area>/kmod/): built per kernel into
# .build/<kver>/testmods/<area>/, never packaged or installed.
testmods:
	@set -e; for a in $(TESTMOD_DIRS); do \
		d=$(BUILD)/testmods/$$a; mkdir -p $$d; \
		rsync -a $(TOP)/selftests/$$a/kmod/ $$d/; \
		$(MAKE) -s -C $(KDIR) M=$$d KBUILD_EXTRA_SYMBOLS=$(BUILD)/Module.symvers \
			ccflags-y="-I$(TOP)/include" modules; \
	done

all-kernels:
	@set -e; for k in $(KERNELS); do $(MAKE) --no-print-directory KVER=$$k modules; done

# Lint: each pass rebuilds from scratch so every file is looked at, and fails
# on any diagnostic that names one of our files.
warn sparse:
	@set -e; for k in $(KERNELS); do \
		b=$(TOP)/.build/$@/$$k; rm -rf $$b; \
		$(MAKE) --no-print-directory KVER=$$k BUILD=$$b sync; \
		echo "  $@ $$k"; \
		if [ $@ = warn ]; then flags="W=1"; else flags="C=2"; fi; \
		$(MAKE) -C /lib/modules/$$k/build M=$$b $$flags modules \
			> $$b.log 2>&1 || { cat $$b.log; exit 1; }; \
		if [ $@ = sparse ] && ! grep -q '^  CHECK ' $$b.log; then \
			echo "sparse: did not run (is it installed?)"; exit 1; fi; \
		if grep -E '(warning|error):' $$b.log | grep -F "$$b/"; then \
			echo "$@: diagnostics in pvr sources for $$k"; exit 1; fi; \
	done; echo "$@: clean on: $(KERNELS)"

style:
	@$(TOP)/scripts/checkpatch.sh

# The UAPI header matches the YNL spec and compiles in user space alone.
spec-check:
	@python3 $(TOP)/vr_sched/check-spec.py
	@printf '#include <linux/vr_sched.h>\nint main(void) { return 0; }\n' | \
		$(CC) -Wall -Wextra -Werror -I$(TOP)/include/uapi -x c - -o /dev/null && \
		echo "spec-check: include/uapi/linux/vr_sched.h is userspace-clean"

# libFuzzer targets built from the kernel sources (fuzz/): FUZZ_SECONDS per
# target; make check runs a short bounded pass.
FUZZ_SECONDS ?= 600
fuzz:
	@$(TOP)/scripts/fuzz.sh $(FUZZ_SECONDS)

tools:
	@if [ -e $(TOP)/tools/vrctl/Makefile ]; then $(MAKE) -C $(TOP)/tools/vrctl; fi
	$(MAKE) -C $(TOP)/selftests
	$(MAKE) -C $(TOP)/bench

# Host-side test of the benchmark's report (no VM: it reads result files).
report-check: tools
	@$(TOP)/selftests/bench/check_report.sh

vm-test: all-kernels tools
	$(TOP)/scripts/vm-selftests.sh $(KERNELS)

check: deps
	$(MAKE) all-kernels
	$(MAKE) warn
	$(MAKE) sparse
	$(MAKE) style
	$(MAKE) spec-check
	$(MAKE) dkms-build
	$(MAKE) fuzz FUZZ_SECONDS=30
	$(MAKE) report-check
	$(MAKE) vm-test

# The selftests on a debug build of 6.12 (KASAN, UBSAN, lockdep, kmemleak,
# fault injection); the kernel is built once and cached outside the repo.
check-debug: deps
	@set -e; tree=$$($(TOP)/scripts/debug-kernel.sh); \
	rel=$$(cat $$tree/include/config/kernel.release); \
	$(MAKE) --no-print-directory KVER=$$rel KDIR=$$tree modules; \
	$(MAKE) --no-print-directory tools; \
	PVR_VM_MEM=3G PVR_VM_TIMEOUT=5400 PVR_TEST_TIMEOUT=1800 PVR_TEST_SLOW=4 \
		$(TOP)/scripts/vm-selftests.sh $$tree

# Forwarding benchmark (bench/run.sh): stock vs pvr in one VM run.
bench: deps
	$(MAKE) all-kernels tools
	$(TOP)/bench/run.sh $(BENCH_ARGS)

bench-quick: deps
	$(MAKE) all-kernels tools
	$(TOP)/bench/run.sh --quick $(BENCH_ARGS)

# Soak (scripts/soak.sh): 10 min of traffic through a 3-router PVR under
# configuration churn, then the accounting and leak checks.
# SOAK_ARGS="--minutes N --kernel 6.1".
soak: deps
	$(MAKE) all-kernels tools
	$(TOP)/scripts/soak.sh $(SOAK_ARGS)

demo: deps
	$(MAKE) all-kernels tools
	$(TOP)/scripts/demo.sh

install: modules
	$(MAKE) -C $(KDIR) M=$(BUILD) modules_install
	depmod -a $(KVER)
	install -D -m 0644 $(TOP)/vhost_split/60-vhost-split.rules \
		$(DESTDIR)/etc/udev/rules.d/60-vhost-split.rules

dkms-build:
	@$(TOP)/scripts/dkms-build.sh $(PVR_VERSION) $(KERNELS)

clean:
	rm -rf $(TOP)/.build
	-@if [ -e $(TOP)/tools/vrctl/Makefile ]; then $(MAKE) -C $(TOP)/tools/vrctl clean; fi
	-$(MAKE) -C $(TOP)/selftests clean
	-$(MAKE) -C $(TOP)/bench clean
