# SPDX-License-Identifier: GPL-2.0
#
# zcblk: `make` builds the module for every target kernel whose headers
# are installed (or for KDIR=<tree> alone), libzcblk, zcblkctl and the
# selftests. `make demo` runs it in a VM, `make check` tests it.
# `make install` installs what `make` built (DESTDIR, PREFIX, KRELS/KDIR);
# `make dkms-install` hands the module's sources to DKMS instead.

REPO	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD	:= $(REPO)/build
VM	:= $(REPO)/selftests/vm
# Kernel releases to build for (Debian 12's 6.1 and 6.12 cloud kernels).
KRELS	?= $(shell $(VM)/kernels.sh 2>/dev/null)
W	?= 1
# The module's version (MODULE_VERSION), for DKMS and zcblk.pc.
ZCBLK_VERSION := $(shell sed -n 's/.*ZCBLK_VERSION[[:space:]]*"\(.*\)".*/\1/p' \
		   $(REPO)/kernel/dev.h)

# Installation. The module goes to $(DESTDIR)/lib/modules/<rel>/updates,
# whatever PREFIX is; depmod and ldconfig run only without DESTDIR.
# <linux/zcblk.h> goes to $(INCLUDEDIR)/zcblk/linux, not beside the
# kernel's uapi headers (linux-libc-dev's $(INCLUDEDIR)/linux with
# PREFIX=/usr): zcblk.pc's Cflags add -I$(INCLUDEDIR)/zcblk for <zcblk.h>.
PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
MODDIR		:= /lib/modules
DKMS_SRC	:= /usr/src/zcblk-$(ZCBLK_VERSION)
# libzcblk's functions (its version script's list): each gets a man page,
# a ".so" link to libzcblk.3, which documents them all.
LIBZCBLK_FUNCS	:= $(shell sed -n 's/^[[:space:]]*\(zcblk_[a-z0-9_]*\);$$/\1/p' \
		   $(REPO)/userlib/lib/libzcblk.map 2>/dev/null)
# Kernels `dkms-install` builds for now (later ones: AUTOINSTALL).
DKMS_KRELS	?= $(shell uname -r)

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

CACHE	:= $(or $(ZCBLK_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/zcblk)

.PHONY: all modules userlib selftests ynl-gen check check-host check-packages check-debug check-debug-cli coverage stress fuzz soak demo bench bench-quick bench-costs bench-ab bench-scaling deps clean help \
	install install-modules install-userlib uninstall uninstall-modules \
	uninstall-userlib dkms-install dkms-uninstall deb

all: modules userlib selftests

ifdef KDIR
# One given tree, built in place: kernel/zcblk.ko.
modules:
	$(Q)$(MAKE) -C $(KDIR) M=$(REPO) W=$(W) modules

# What install-modules installs: <rel>:<zcblk.ko> pairs. UTS_RELEASE, not
# include/config/kernel.release: Debian's 6.1 headers have 6.1.<n> there.
KMODS = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	  $(KDIR)/include/generated/utsrelease.h 2>/dev/null):$(REPO)/kernel/zcblk.ko
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
	$(Q)$(MAKE) -C $(or $(wildcard /usr/src/linux-headers-$*),$(CACHE)/kernels/$*/lib/modules/$*/build) \
		M=$(BUILD)/kmod/$* W=$(W) modules

KMODS = $(foreach rel,$(KRELS),$(rel):$(BUILD)/kmod/$(rel)/kernel/zcblk.ko)
endif

userlib:
	$(Q)$(MAKE) -C userlib BUILD=$(BUILD)/userlib

selftests: userlib
	$(Q)$(MAKE) -C selftests BUILD=$(BUILD)/selftests USERLIB=$(BUILD)/userlib

deps:
	$(Q)$(VM)/install-deps.sh

# Regenerate uapi/linux/zcblk.h and kernel/netlink-gen.[ch] from
# Documentation/netlink/zcblk.yaml with the kernel's YNL generator
# (Documentation/netlink.rst, "Generated code").
ynl-gen:
	$(Q)$(REPO)/selftests/host/ynl_gen.sh --update

install: install-modules install-userlib

# Installs the modules `make` built (it builds none): one per kernel of
# KRELS, or the one of KDIR.
install-modules:
	$(Q)test -n "$(KMODS)" || { echo "no kernel headers: make deps" >&2; exit 1; }
	$(Q)set -e; for m in $(KMODS); do \
		rel=$${m%%:*} ko=$${m#*:}; \
		test -n "$$rel" || { echo "$(KDIR): no kernel release" >&2; exit 1; }; \
		test -f "$$ko" || { echo "$$ko: not built (make modules)" >&2; exit 1; }; \
		vermagic=$$(modinfo -F vermagic "$$ko"); \
		test "$${vermagic%% *}" = "$$rel" || \
			{ echo "$$ko: built for $${vermagic%% *}, not $$rel" >&2; exit 1; }; \
		install -D -m 644 "$$ko" "$(DESTDIR)$(MODDIR)/$$rel/updates/zcblk.ko"; \
		if [ -z "$(DESTDIR)" ]; then depmod -a "$$rel"; fi; \
	done

install-userlib: userlib
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(ZCBLK_VERSION)|g' \
		$(REPO)/userlib/zcblk.pc.in >$(BUILD)/userlib/zcblk.pc
	$(Q)install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/zcblk/linux \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR)
	$(Q)install -m 755 $(BUILD)/userlib/libzcblk.so.1 $(DESTDIR)$(LIBDIR)/
	$(Q)ln -sfn libzcblk.so.1 $(DESTDIR)$(LIBDIR)/libzcblk.so
	$(Q)install -m 644 $(BUILD)/userlib/libzcblk.a $(DESTDIR)$(LIBDIR)/
	$(Q)install -m 644 $(REPO)/userlib/include/zcblk.h \
		$(REPO)/userlib/include/zcblk_dev.h \
		$(REPO)/userlib/include/zcblk_media.h \
		$(REPO)/userlib/include/zcblk_monitor.h \
		$(REPO)/userlib/include/zcblk_pt.h $(DESTDIR)$(INCLUDEDIR)/
	$(Q)install -m 644 $(REPO)/uapi/linux/zcblk.h $(DESTDIR)$(INCLUDEDIR)/zcblk/linux/
	$(Q)install -m 644 $(BUILD)/userlib/zcblk.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(Q)install -m 755 $(BUILD)/userlib/zcblkctl $(DESTDIR)$(SBINDIR)/
	$(Q)install -m 644 $(REPO)/userlib/man/zcblkctl.8 $(DESTDIR)$(MANDIR)/man8/
	$(Q)install -m 644 $(REPO)/userlib/man/libzcblk.3 $(DESTDIR)$(MANDIR)/man3/
	$(Q)set -e; for f in $(LIBZCBLK_FUNCS); do \
		printf '.so man3/libzcblk.3\n' >$(DESTDIR)$(MANDIR)/man3/$$f.3; \
		chmod 644 $(DESTDIR)$(MANDIR)/man3/$$f.3; \
	done
	$(Q)install -m 644 $(REPO)/userlib/zcblkctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/zcblkctl
	$(Q)if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

uninstall: uninstall-modules uninstall-userlib

uninstall-modules:
	$(Q)set -e; for m in $(KMODS); do \
		rel=$${m%%:*}; \
		test -n "$$rel" || continue; \
		rm -f "$(DESTDIR)$(MODDIR)/$$rel/updates/zcblk.ko"; \
		if [ -z "$(DESTDIR)" ] && [ -d "$(MODDIR)/$$rel" ]; then \
			depmod -a "$$rel"; \
		fi; \
	done

uninstall-userlib:
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/libzcblk.so.1 $(DESTDIR)$(LIBDIR)/libzcblk.so \
		$(DESTDIR)$(LIBDIR)/libzcblk.a $(DESTDIR)$(INCLUDEDIR)/zcblk.h \
		$(DESTDIR)$(INCLUDEDIR)/zcblk_dev.h \
		$(DESTDIR)$(INCLUDEDIR)/zcblk_media.h \
		$(DESTDIR)$(INCLUDEDIR)/zcblk_monitor.h \
		$(DESTDIR)$(INCLUDEDIR)/zcblk_pt.h \
		$(DESTDIR)$(INCLUDEDIR)/zcblk/linux/zcblk.h \
		$(DESTDIR)$(PKGCONFIGDIR)/zcblk.pc $(DESTDIR)$(SBINDIR)/zcblkctl \
		$(DESTDIR)$(MANDIR)/man8/zcblkctl.8 \
		$(DESTDIR)$(MANDIR)/man3/libzcblk.3 \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(addsuffix .3,$(LIBZCBLK_FUNCS))) \
		$(DESTDIR)$(BASHCOMPDIR)/zcblkctl
	$(Q)rmdir $(DESTDIR)$(INCLUDEDIR)/zcblk/linux $(DESTDIR)$(INCLUDEDIR)/zcblk \
		2>/dev/null || true
	$(Q)if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

# The module's sources to $(DKMS_SRC), then (without DESTDIR) dkms add and
# install for DKMS_KRELS; dkms rebuilds it for later kernels itself.
dkms-install:
	$(Q)test -n "$(ZCBLK_VERSION)" || { echo "no ZCBLK_VERSION in kernel/dev.h" >&2; exit 1; }
	$(Q)install -d $(DESTDIR)$(DKMS_SRC)/kernel $(DESTDIR)$(DKMS_SRC)/uapi/linux
	$(Q)install -m 644 $(REPO)/Kbuild $(REPO)/Makefile $(REPO)/dkms.conf $(DESTDIR)$(DKMS_SRC)/
	$(Q)install -m 644 $(REPO)/kernel/*.[ch] $(REPO)/kernel/Kbuild $(DESTDIR)$(DKMS_SRC)/kernel/
	$(Q)install -m 644 $(REPO)/uapi/linux/zcblk.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/
	$(Q)set -e; if [ -z "$(DESTDIR)" ]; then \
		dkms status -m zcblk -v $(ZCBLK_VERSION) | grep -q . || \
			dkms add -m zcblk -v $(ZCBLK_VERSION); \
		for rel in $(DKMS_KRELS); do \
			dkms install -m zcblk -v $(ZCBLK_VERSION) -k "$$rel"; \
		done; \
	fi

dkms-uninstall:
	$(Q)set -e; if [ -z "$(DESTDIR)" ] && \
		dkms status -m zcblk -v $(ZCBLK_VERSION) | grep -q .; then \
		dkms remove -m zcblk -v $(ZCBLK_VERSION) --all; \
	fi
	$(Q)rm -rf $(DESTDIR)$(DKMS_SRC)

# Debian packages (debian/, Documentation/packaging.rst) into build/deb/:
# dpkg-buildpackage -b on a copy of the tree without build/ or what
# .gitignore names, then lintian, which must report no error and no
# warning (debian/ has no overrides: it reports nothing).
DEB_DIR	:= $(BUILD)/deb
deb:
	$(Q)v=$$(cd $(REPO) && dpkg-parsechangelog -S Version) && \
	test "$$v" = "$(ZCBLK_VERSION)" || \
		{ echo "debian/changelog: version $$v, kernel/dev.h: $(ZCBLK_VERSION)" >&2; exit 1; }
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src/zcblk-$(ZCBLK_VERSION)
	$(Q)tar -C $(REPO) --exclude=./build --exclude-vcs --exclude-vcs-ignores -cf - . | \
		tar -C $(DEB_DIR)/src/zcblk-$(ZCBLK_VERSION) -xf -
	$(Q)cd $(DEB_DIR)/src/zcblk-$(ZCBLK_VERSION) && \
		dpkg-buildpackage -us -uc -b >$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 40 $(DEB_DIR)/build.log >&2; exit 1; }
	$(Q)mv $(DEB_DIR)/src/*.deb $(DEB_DIR)/src/*.changes $(DEB_DIR)/src/*.buildinfo $(DEB_DIR)/
	$(Q)rm -rf $(DEB_DIR)/src
	$(Q)lintian --fail-on error,warning --info $(DEB_DIR)/*.changes | tee $(DEB_DIR)/lintian.txt
	$(Q)ls $(DEB_DIR)/*.deb

check: deps
	$(Q)$(MAKE) all deb
	$(Q)$(VM)/check.sh

# The host checks of make check alone (checkpatch, shellcheck, W=1 builds,
# ...): a few minutes, to run before every commit.
check-host: deps
	$(Q)$(MAKE) all
	$(Q)ZCBLK_VMS=0 $(VM)/check.sh

# The Debian packages installed in a VM per stock kernel, DKMS building the
# module there (selftests/tests-packages.txt); .ci/run runs it after check.
check-packages: deps
	$(Q)$(MAKE) all deb
	$(Q)ZCBLK_HOST_CHECKS=0 ZCBLK_TESTS=selftests/tests-packages.txt $(VM)/check.sh

# The debug kernel (KASAN, lockdep, kmemleak, fault injection), built once
# into the cache, then the tests of selftests/tests-debug-{a,b}.txt on it,
# each half in a VM of its own, both at once. check-debug-cli runs the
# zcblkctl scripts of tests-debug-cli.txt there, which CI's budget leaves
# out (Documentation/testing.rst).
# TCG's max CPU has 5-level paging. Once, under load, an interrupt in the
# debug kernel's early boot (identify_cpu) drew a KASAN "wild-memory-access
# in do_raw_spin_lock" at a 5-level direct-map address, before zcblk was
# loaded: its VMs run with 4-level paging, as most hardware does.
DEBUG_CPU	:= max,la57=off
define check_debug
	$(Q)$(MAKE) userlib selftests
	$(Q)rel=$$($(VM)/debug-kernel.sh) && \
	$(MAKE) KRELS=$$rel modules && \
	KERNELS=$$rel ZCBLK_HOST_CHECKS=0 ZCBLK_DEBUG=1 ZCBLK_CPU=$(DEBUG_CPU) \
	ZCBLK_TESTS="$(1)" ZCBLK_VM_TIMEOUT=4800 $(VM)/check.sh
endef
check-debug: deps
	$(call check_debug,selftests/tests-debug-a.txt selftests/tests-debug-b.txt)

check-debug-cli: deps
	$(call check_debug,selftests/tests-debug-cli.txt)

# Line and branch coverage of kernel/ by check-debug's tests, in
# build/coverage/ (index.html, summary.txt); fails more than 2 points
# below the figures of selftests/coverage.txt (Documentation/testing.rst).
coverage: deps
	$(Q)$(MAKE) userlib selftests
	$(Q)$(VM)/coverage.sh

# Long runs, not in CI, on the debug kernel (KERNELS="<rel> ..." picks
# others): stress runs the race tests at full counts, fuzz the fuzzer for
# FUZZ_SECONDS, soak selftests/soak.sh for DURATION seconds. LONG_LIST:
# the test list, "<name> <timeout>" pairs.
FUZZ_SECONDS	?= 600
DURATION	?= 600
stress: LONG_LIST = race_lifecycle 3600 race_unload 1800 race_backing 1800
stress: LONG_SECS = 3600
fuzz: LONG_LIST = fuzz_passthru $(shell echo $$(($(FUZZ_SECONDS) + 600)))
fuzz: LONG_SECS = $(FUZZ_SECONDS)
fuzz: LONG_ENV = ZCBLK_FUZZ_SECONDS=$(FUZZ_SECONDS)
soak: LONG_LIST = soak.sh $(shell echo $$(($(DURATION) + 900)))
soak: LONG_SECS = $(DURATION)
soak: LONG_ENV = ZCBLK_SOAK_SECONDS=$(DURATION)
stress fuzz soak: deps
	$(Q)$(MAKE) userlib selftests
	$(Q)mkdir -p $(BUILD) && printf '%s %s\n' $(LONG_LIST) >$(BUILD)/$@.txt
	$(Q)rels="$(KERNELS)"; [ -n "$$rels" ] || rels=$$($(VM)/debug-kernel.sh) && \
	$(MAKE) KRELS="$$rels" modules && \
	KERNELS="$$rels" ZCBLK_HOST_CHECKS=0 ZCBLK_DEBUG=1 ZCBLK_CPU=$(DEBUG_CPU) \
	ZCBLK_GUEST_ENV="$(LONG_ENV)" ZCBLK_TESTS=$(BUILD)/$@.txt \
	ZCBLK_VM_TIMEOUT=$$(($(LONG_SECS) * 2 + 1800)) $(VM)/check.sh

demo: deps
	$(Q)$(MAKE) all
	$(Q)$(VM)/vm.sh --quiet --kernel $(firstword $(KRELS)) -- selftests/demo.sh

# One-vCPU VMs, deterministic (-icount) and wall clock: results in
# Documentation/performance/results/<kernel>-<date>.{md,json,png}.
# KERNELS: the kernels to measure (default the first of KRELS, 6.1).
bench: deps
	$(Q)$(MAKE) all
	$(Q)$(REPO)/selftests/bench/run.sh $(or $(KERNELS),$(firstword $(KRELS)))

bench-quick: deps
	$(Q)$(MAKE) all
	$(Q)$(REPO)/selftests/bench/run.sh --quick $(firstword $(KRELS))

# Instructions per I/O by function, passthrough against block path (one
# deterministic VM per kernel): results/costs-<kernel>-<date>.md.
bench-costs: deps
	$(Q)$(MAKE) all
	$(Q)$(REPO)/selftests/bench/run.sh --costs $(or $(KERNELS),$(KRELS))

# Builds of the module from BENCH_AB's NAME=REV pairs (default: base=HEAD
# new=WORK, the work tree) in one deterministic VM per kernel.
bench-ab: deps
	$(Q)$(MAKE) userlib
	$(Q)$(REPO)/selftests/bench/run.sh --ab $(or $(KERNELS),$(KRELS))

# Two fio jobs on two queues against one (two-vCPU wall-clock VM per
# kernel): results/scaling-<kernel>-<date>.md.
bench-scaling: deps
	$(Q)$(MAKE) all
	$(Q)$(REPO)/selftests/bench/run.sh --scaling $(or $(KERNELS),$(KRELS))

clean:
	$(Q)rm -rf $(BUILD)
	$(Q)rm -f kernel/*.o kernel/.*.cmd kernel/*.ko kernel/*.mod kernel/*.mod.c \
		kernel/modules.order kernel/Module.symvers .*.cmd modules.order Module.symvers

help:
	@echo "make            build module (all kernels), libzcblk, zcblkctl, selftests"
	@echo "make modules KDIR=...  build the module for one kernel tree, in place"
	@echo "                (make KDIR=... builds userlib and the selftests too)"
	@echo "make demo       boot a VM and show a zcblk disk at work"
	@echo "make check      build, run the host checks and the tests on every kernel"
	@echo "make check-host the host checks alone (checkpatch, shellcheck, W=1, ...)"
	@echo "make deb        Debian packages into build/deb/ (lintian-clean)"
	@echo "make check-packages  install them in a VM per kernel: DKMS, modprobe, fio"
	@echo "make check-debug  the tests on a KASAN/lockdep/kmemleak kernel (built once)"
	@echo "make check-debug-cli  zcblkctl's, nvme-cli's, fio's tests there (not in CI)"
	@echo "make coverage   line and branch coverage of kernel/ by those tests (build/coverage/)"
	@echo "make stress     race tests at full counts (debug kernel; KERNELS=...)"
	@echo "make fuzz       the fuzzer for FUZZ_SECONDS (600) on the debug kernel"
	@echo "make soak       fio verify + settings/injection churn, DURATION s (600)"
	@echo "make bench      passthrough, block path, null_blk, brd: results in"
	@echo "                Documentation/performance/results (KERNELS=...; ~35 min each)"
	@echo "make bench-quick  passthrough vs block path vs null_blk, 4k QD32"
	@echo "make bench-costs  instructions per I/O by kernel function (KERNELS=...)"
	@echo "make bench-ab   instructions per I/O of module builds, BENCH_AB=\"a=REV b=WORK\""
	@echo "make bench-scaling  2 jobs on 2 queues vs 1: zcblk null (chr, blk), null_blk"
	@echo "make install    install the built module(s), libzcblk, zcblkctl, man pages"
	@echo "                (DESTDIR, PREFIX=/usr/local, KRELS or KDIR); make uninstall"
	@echo "make dkms-install  module sources to $(DKMS_SRC), dkms add + install"

FORCE:
