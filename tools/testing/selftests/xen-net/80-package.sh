#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (make deb; check.sh builds them on the host and
# puts them in the share's deb/): apt-get installs xen-netmq-dkms and
# xen-netmq-tools in dom0 without a network, DKMS builds both modules
# for the running kernel, modprobe then loads our netback from
# updates/dkms, a guest created with the packaged xen-vifctl connects
# with 4 queues, and purging the packages brings the in-tree module
# back.
#
# make check-full only: DKMS compiles both modules inside the emulated
# dom0, 8-9 minutes of the suite. make check builds the same package
# source the way its dkms.conf says on the host instead (rig/check.sh,
# rig/dkms-build.sh).
# lane: full
#
# The kernel headers are not in the dom0 image (its initramfs is
# unpacked at every boot): the host puts its unpacked headers tree into
# the share as kheaders.tar, and this script unpacks it where the
# headers packages would put it.
. "$(dirname "$0")/lib.sh"

tag=package
DEBS=$HOST/deb
KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
KH_TAR=$HOST/kheaders.tar
PLACED=()

# headers_in: /usr/src/linux-headers-*, /usr/lib/linux-kbuild-* and
# /lib/modules/KVER/{build,source} as the headers packages lay them out.
headers_in() {
	local f t
	[ -f "$KH_TAR" ] || { echo "no $KH_TAR" >&2; return 1; }
	t=$(tar -tf "$KH_TAR" usr/src usr/lib | awk -F/ 'NF >= 3 && $3 != "" { print "/" $1 "/" $2 "/" $3 }' | sort -u)
	for f in $t; do
		[ -e "$f" ] && { echo "$f exists already" >&2; return 1; }
		PLACED+=("$f")
	done
	grep -q "^/usr/src/linux-headers-$KVER$" <<<"$t" ||
		{ echo "no headers for $KVER in $KH_TAR" >&2; return 1; }
	tar -C / -xf "$KH_TAR" usr/src usr/lib || return 1
	# host-packages.sh pointed the arch Makefile's include of the common
	# tree into the host's cache; the packages have it under /usr/src.
	sed -i 's|^include .*/usr/src/|include /usr/src/|' "/usr/src/linux-headers-$KVER/Makefile" ||
		return 1
	# build and source, as the headers packages make them (the cache
	# has them as relative links, which /lib -> usr/lib would break).
	ln -sfn "/usr/src/linux-headers-$KVER" "$MODDIR/build" || return 1
	PLACED+=("$MODDIR/build")
	t=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | head -n1)
	if [ -n "$t" ]; then
		ln -sfn "$t" "$MODDIR/source" || return 1
		PLACED+=("$MODDIR/source")
	fi
	[ -f "$MODDIR/build/.config" ] || { echo "$MODDIR/build/.config not readable" >&2; return 1; }
}

headers_out() {
	[ ${#PLACED[@]} -gt 0 ] && rm -rf "${PLACED[@]}"
	PLACED=()
}

# If a check below stops the script early, leave dom0 as the next
# script expects it: no package, the in-tree module found by modprobe.
cleanup() {
	if dpkg -s xen-netmq-dkms >/dev/null 2>&1 || dpkg -s xen-netmq-tools >/dev/null 2>&1; then
		domus_destroy_all >/dev/null 2>&1
		rmmod xen-netback 2>/dev/null
		DEBIAN_FRONTEND=noninteractive timeout 300 apt-get purge -y -q \
			xen-netmq-dkms xen-netmq-tools >/dev/null 2>&1
	fi
	headers_out 2>/dev/null
}
trap cleanup EXIT

# modpath MODULE: the file modprobe would load.
modpath() { modinfo -n "$1" 2>/dev/null; }

# from_dkms MODULE: modprobe finds MODULE in updates/dkms.
from_dkms() {
	local p
	p=$(modpath "$1")
	echo "$1: $p"
	[[ "$p" == "$MODDIR/updates/dkms/$1.ko"* ]]
}

# in_tree MODULE: modprobe finds MODULE under kernel/drivers/net.
in_tree() {
	local p
	p=$(modpath "$1")
	echo "$1: $p"
	[[ "$p" == "$MODDIR/kernel/drivers/net/"* ]]
}

dkms_installed() {
	local s
	s=$(dkms status -m xen-netmq -v "$1" -k "$KVER" 2>&1)
	echo "dkms status: $s"
	[[ "$s" == *": installed"* ]] && return 0
	tail -n 30 /var/lib/dkms/xen-netmq/"$1"/build/make.log 2>/dev/null
	return 1
}

dkms_forgot() {
	local s left
	s=$(dkms status -m xen-netmq 2>&1)
	left=$(ls "$MODDIR"/updates/dkms/xen-net* 2>/dev/null)
	[ -z "$s" ] && [ -z "$left" ] && [ ! -e /usr/src/xen-netmq-"$1" ] && return 0
	echo "dkms status: '$s'; left in updates/dkms: '$left'" >&2
	return 1
}

# ours_loaded VERSION: the loaded xen-netback is out of tree and
# reports the package's version.
ours_loaded() {
	netback_is ours || { echo "the loaded xen-netback is not out of tree" >&2; return 1; }
	[ "$(cat /sys/module/xen_netback/version 2>/dev/null)" = "$1" ] ||
		{ echo "xen_netback version '$(cat /sys/module/xen_netback/version 2>/dev/null)', wanted '$1'" >&2; return 1; }
}

load_packaged() {
	modprobe xen-netback max_queues=4 || return 1
	ours_loaded "$1"
}

dkms_deb=$(ls "$DEBS"/xen-netmq-dkms_*_all.deb 2>/dev/null | head -n1)
tools_deb=$(ls "$DEBS"/xen-netmq-tools_*_all.deb 2>/dev/null | head -n1)
if [ -z "$dkms_deb" ] || [ -z "$tools_deb" ]; then
	xt_fail "$tag: the host's make deb put both packages into the share" "$(ls -l "$DEBS" 2>&1)"
	exit 0
fi
ver=$(dpkg-deb -f "$dkms_deb" Version)
xt_diag "packages: ${dkms_deb##*/} ${tools_deb##*/}"

t0=$(date +%s)
xt_check "$tag: kernel headers of $KVER from the share in place" headers_in || exit 0
xt_diag "unpacking the headers took $(( $(date +%s) - t0 ))s"
netback_use intree >/dev/null 2>&1
xt_check "$tag: before the install, modprobe finds the in-tree xen-netback" in_tree xen-netback

# apt needs its cache directories; the image has them emptied. dkms
# uses bash's <(...), which needs /dev/fd; the rig's /dev is a bare
# devtmpfs without it. apt has no package lists here, so it cannot
# fetch anything: what the packages depend on must be in the image.
mkdir -p /var/cache/apt/archives/partial /var/lib/apt/lists/partial
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
t0=$(date +%s)
DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q \
	-o Dpkg::Use-Pty=0 "$dkms_deb" "$tools_deb" >/tmp/pkg-install.log 2>&1
rc=$?
xt_diag "apt-get install (DKMS build included) took $(( $(date +%s) - t0 ))s, exit $rc"
xt_check "$tag: apt-get installs both packages with no network" \
	sh -c "[ $rc = 0 ] || { tail -n 30 /tmp/pkg-install.log; exit 1; }"
xt_check "$tag: DKMS built and installed xen-netmq $ver for $KVER" dkms_installed "$ver"
xt_check "$tag: modprobe finds xen-netback in updates/dkms" from_dkms xen-netback
xt_check "$tag: modprobe finds xen-netfront in updates/dkms" from_dkms xen-netfront
xt_check "$tag: xen-vifctl(8) and /usr/sbin/xen-vifctl installed" \
	sh -c 'test -s /usr/share/man/man8/xen-vifctl.8.gz && /usr/sbin/xen-vifctl --help >/dev/null'

domus_destroy_all >/dev/null 2>&1
rmmod xen-netback 2>/dev/null
xt_check "$tag: modprobe xen-netback loads ours, version $ver" load_packaged "$ver"

if domu_create pkg vcpus=4 front=intree fq=4 idx=1 via="/usr/sbin/xen-vifctl create" \
	vif="bridge=xenbr0,queues=4"; then
	xt_check "$tag: the packaged xen-vifctl created the guest" test "$DOMU_CREATE_RC" = 0
	xt_check "$tag: the guest connected with 4 queues" \
		wait_for "the guest's vif with 4 queues" 30 fe_layout_ok pkg 4
	xt_check "$tag: the guest sees 4 tx queues" domu_queues_are pkg 4 tx
	xt_check "$tag: ping" wait_for "ping pkg" 30 ping_ok pkg 1
	xt_check "$tag: iperf3 guest-rx, 4 streams, 2 s" iperf_ok pkg 1 4 rx 2
	xt_check "$tag: guest console clean, destroyed" domu_destroy pkg
else
	xt_fail "$tag: a guest boots on the packaged netback"
fi

domus_destroy_all >/dev/null 2>&1
rmmod xen-netback 2>/dev/null
DEBIAN_FRONTEND=noninteractive timeout 300 apt-get purge -y -q -o Dpkg::Use-Pty=0 \
	xen-netmq-dkms xen-netmq-tools >/tmp/pkg-purge.log 2>&1
rc=$?
xt_check "$tag: apt-get purge removes both packages" \
	sh -c "[ $rc = 0 ] && ! dpkg -s xen-netmq-dkms >/dev/null 2>&1 && ! dpkg -s xen-netmq-tools >/dev/null 2>&1 ||
		{ tail -n 30 /tmp/pkg-purge.log; exit 1; }"
xt_check "$tag: DKMS forgot xen-netmq, updates/dkms and /usr/src are empty of it" dkms_forgot "$ver"
xt_check "$tag: after the purge, modprobe finds the in-tree xen-netback" in_tree xen-netback
xt_check "$tag: after the purge, modprobe finds the in-tree xen-netfront" in_tree xen-netfront
xt_check "$tag: modprobe xen-netback loads the in-tree module again" netback_use intree
headers_out
