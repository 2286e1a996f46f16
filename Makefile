# SPDX-License-Identifier: GPL-2.0
#
# zcblk: `make` builds the module for every target kernel whose headers
# are installed (or for KDIR=<tree> alone), libzcblk, zcblkctl and the
# selftests. `make demo` runs it in a VM, `make check` tests it.

REPO	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD	:= $(REPO)/build
VM	:= $(REPO)/selftests/vm
# Kernel releases to build for (Debian 12's 6.1 and 6.12 cloud kernels).
KRELS	?= $(shell $(VM)/kernels.sh 2>/dev/null)
W	?= 1

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

.PHONY: all modules userlib selftests check demo bench-quick deps clean help

all: modules userlib selftests

ifdef KDIR
# One given tree, built in place: kernel/zcblk.ko.
modules:
	$(Q)$(MAKE) -C $(KDIR) M=$(REPO) W=$(W) modules
else
# One object tree per kernel, made of links to the sources.
modules: $(addprefix $(BUILD)/kmod/,$(addsuffix /kernel/zcblk.ko,$(KRELS)))
	$(Q)test -n "$(KRELS)" || { echo "no kernel headers: make deps" >&2; exit 1; }

$(BUILD)/kmod/%/kernel/zcblk.ko: FORCE
	$(Q)mkdir -p $(BUILD)/kmod/$*/kernel
	$(Q)ln -sfn $(REPO)/Kbuild $(BUILD)/kmod/$*/Kbuild
	$(Q)ln -sfn $(REPO)/uapi $(BUILD)/kmod/$*/uapi
	$(Q)find $(BUILD)/kmod/$*/kernel -xtype l -delete
	$(Q)ln -sf $(REPO)/kernel/*.[ch] $(REPO)/kernel/Kbuild $(BUILD)/kmod/$*/kernel/
	$(Q)$(MAKE) -C /usr/src/linux-headers-$* M=$(BUILD)/kmod/$* W=$(W) modules
endif

userlib:
	$(Q)$(MAKE) -C userlib BUILD=$(BUILD)/userlib

selftests: userlib
	$(Q)$(MAKE) -C selftests BUILD=$(BUILD)/selftests USERLIB=$(BUILD)/userlib

deps:
	$(Q)$(VM)/install-deps.sh

check: deps
	$(Q)$(MAKE) all
	$(Q)$(VM)/check.sh

demo: deps
	$(Q)$(MAKE) all
	$(Q)$(VM)/vm.sh --quiet --kernel $(firstword $(KRELS)) -- selftests/demo.sh

bench-quick: deps
	$(Q)$(MAKE) all
	$(Q)$(VM)/vm.sh --quiet --kernel $(firstword $(KRELS)) -- selftests/bench/quick.sh

clean:
	$(Q)rm -rf $(BUILD)
	$(Q)rm -f kernel/*.o kernel/.*.cmd kernel/*.ko kernel/*.mod kernel/*.mod.c \
		kernel/modules.order kernel/Module.symvers .*.cmd modules.order Module.symvers

help:
	@echo "make            build module (all kernels), libzcblk, zcblkctl, selftests"
	@echo "make KDIR=...   build the module for one kernel tree, in place"
	@echo "make demo       boot a VM and show a zcblk disk at work"
	@echo "make check      build and run every test on every kernel"
	@echo "make bench-quick  passthrough vs block path vs null_blk, 4k QD32"

FORCE:
