# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree xen-netfront / xen-netback.
#
#   make                   build both modules against KDIR
#   make KDIR=/usr/src/linux-headers-X    build for another kernel
#   make clean | modules_install | dkms-install
#   make deb               Debian packages (xen-netmq-dkms, xen-netmq-tools)
#                          into out/deb/ (DEB_OUT=DIR elsewhere), with lintian
#   make install           modules_install + install-tools
#   make install-tools     tools/xen-vifctl into $(DESTDIR)$(PREFIX)/sbin
#   make test-tools        test xen-vifctl against stub xl/xenstore (no Xen)
#   make check             set up the Xen-in-QEMU rig and run the suite
#   make check-full        the same scripts with the longer loops (not CI)
#   make check-debug       the suite on a debug build of the rig's kernel
#                          (KFENCE, lockdep, kmemleak, UBSAN, ...; not CI)
#   make demo              boot the rig with our drivers, 4 queues, report
#   make bench             throughput table, ours against in-tree
#   make hostile-report    every hostile-peer case against both drivers
#   make style             checkpatch --strict over the driver sources
#   make sparse            sparse (C=2) and W=1, failing on any warning

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
PWD := $(CURDIR)
# The version is written in one place, the first line of
# debian/changelog. The copy DKMS builds has no debian/: dkms.conf
# passes NETMQ_VERSION on the command line instead.
NETMQ_VERSION := $(shell sed -n '1{s/^[^(]*(\([^)]*\)).*/\1/;s/^[0-9]*://;s/-[^-]*$$//;p}' \
	$(CURDIR)/debian/changelog 2>/dev/null)
ifeq ($(NETMQ_VERSION),)
$(error no version: this tree has no debian/changelog; pass NETMQ_VERSION=... as dkms.conf does)
endif
KBUILD_ARGS = -C $(KDIR) M=$(PWD) NETMQ_VERSION=$(NETMQ_VERSION)
DEB_OUT ?= $(CURDIR)/out/deb
RIG := tools/testing/rig

all: modules

modules:
	$(MAKE) $(KBUILD_ARGS) modules

clean:
	$(MAKE) $(KBUILD_ARGS) clean 2>/dev/null || \
		find . -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		  -o -name Module.symvers -o -name modules.order | xargs rm -f

modules_install:
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))

install: modules_install install-tools

install-tools:
	install -d $(DESTDIR)$(PREFIX)/sbin
	install -m 0755 tools/xen-vifctl $(DESTDIR)$(PREFIX)/sbin/xen-vifctl

test-tools:
	tools/testing/vifctl/test.sh

KVER ?= $(shell uname -r)

dkms-install:
	mkdir -p /usr/src/xen-netmq-$(NETMQ_VERSION)
	cp -a Kbuild Makefile compat include netfront netback \
		/usr/src/xen-netmq-$(NETMQ_VERSION)/
	sed 's/#MODULE_VERSION#/$(NETMQ_VERSION)/' dkms.conf \
		>/usr/src/xen-netmq-$(NETMQ_VERSION)/dkms.conf
	dkms add -m xen-netmq -v $(NETMQ_VERSION) || true
	dkms build -m xen-netmq -v $(NETMQ_VERSION) -k $(KVER)
	dkms install -m xen-netmq -v $(NETMQ_VERSION) -k $(KVER)

# Source and binary packages from a copy of the tree, checked with
# lintian; nothing is written into the tree.
deb:
	tools/build-deb.sh $(DEB_OUT)

# Warning-free W=1 build plus sparse: any compiler or sparse output fails.
sparse:
	$(MAKE) $(KBUILD_ARGS) clean >/dev/null
	$(MAKE) $(KBUILD_ARGS) W=1 C=2 modules 2>&1 | tee .build.log
	@! grep -E 'warning:|error:' .build.log

style:
	$(RIG)/checkpatch.sh

# The rig's modes: each is a line of tools/testing/modes (its host and
# dom0 scripts, its report and time limit), run by rig/run-mode.sh.
RIG_MODES := check check-full check-debug demo bench hostile-report

$(RIG_MODES):
	$(RIG)/run-mode.sh $@

.PHONY: all modules clean modules_install install install-tools test-tools \
	dkms-install deb sparse style check check-full check-debug demo bench hostile-report
