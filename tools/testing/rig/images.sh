#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or find in the cache) everything the rig boots:
#   xen.elf           the Xen hypervisor, unpacked to a multiboot ELF
#   vmlinuz           the Debian kernel used by dom0 and every domU
#   dom0.cpio.gz      dom0 root: debootstrap minbase + Xen tools + modules
#   domU-base.cpio.gz busybox, iperf3, sockperf, ethtool, xenstore tools, the
#                     in-tree Xen modules; the per-run overlay adds ours
#
# Usage: images.sh ABI   (e.g. 6.1.0-56-amd64)
# Prints the cache directory holding the images on stdout.
# XNET_KTREE=DIR takes the kernel from DIR (boot/vmlinuz-ABI and
# lib/modules/ABI, as a linux-image package has them: make
# check-debug's kernel, rig/debug-kernel.sh) instead of Debian's
# package; its vmlinuz's hash stands for the package version in the key.
#
# The dom0 root (debootstrap minbase and the Xen tools) does not depend
# on the kernel: it is built once and kept as images/root-KEY/root.tar
# for every kernel's images. The cache key of a kernel's images is made
# of the kernel and Xen package versions plus a hash of this script and
# the dom0 init, so a new security upload or a change in how images are
# made rebuilds them. XNET_CACHE overrides the
# cache root (default /var/cache/xen-netmq; images go to its images/).
# Nothing depends on the cache existing: a missing or partial entry is
# rebuilt from scratch. Packages are resolved and downloaded through
# the private apt state host-packages.sh made (KAPT_CONFIG); nothing is
# installed on the host.
set -euo pipefail

ABI=${1:?usage: images.sh ABI}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE_ROOT=${XNET_CACHE:-/var/cache/xen-netmq}
XENPKG=xen-hypervisor-4.17-amd64
KPKG=linux-image-$ABI
# Packages in dom0's root. busybox-static gives nc/httpd/wget to tests;
# sockperf measures latency in make bench (and serves it in the guest).
# dkms, gcc-12 and make (with what dkms depends on: dpkg-dev, binutils,
# patch) let 80-package.sh install the xen-netmq-dkms package offline
# and build it; the kernel headers come from the share, not the image.
DOM0_PKGS=xen-utils-4.17,xenstore-utils,iperf3,sockperf,iproute2,kmod,bridge-utils,procps,ethtool,iputils-ping,busybox-static,dkms,gcc-12,make

log() { echo "# images: $*" >&2; }

export APT_CONFIG=${KAPT_CONFIG:?images.sh: KAPT_CONFIG not set (run host-packages.sh)}

candidate() {
	apt-cache policy "$1" | awk '/Candidate:/ { print $2 }'
}

KTREE=${XNET_KTREE:-}
if [ -n "$KTREE" ]; then
	kver=local-$(sha256sum "$KTREE/boot/vmlinuz-$ABI" | cut -c1-16)
else
	kver=$(candidate "$KPKG")
fi
xver=$(candidate "$XENPKG")
if [ -z "$kver" ] || [ "$kver" = "(none)" ] || [ -z "$xver" ] || [ "$xver" = "(none)" ]; then
	echo "images.sh: cannot resolve $KPKG or $XENPKG (apt-get update?)" >&2
	exit 1
fi
rkey=$(printf '%s\n' "$xver" "$DOM0_PKGS" | cat - "$HERE/images.sh" | sha256sum | cut -c1-16)
RDIR=$CACHE_ROOT/images/root-$rkey
key=$(printf '%s\n' "$ABI" "$kver" "$rkey" | cat - "$HERE/images.sh" "$HERE/../boot/dom0-init" |
	sha256sum | cut -c1-16)
DIR=$CACHE_ROOT/images/$key

# One builder at a time per cache root (two rigs may start together).
mkdir -p "$CACHE_ROOT/images"
exec 9>"$CACHE_ROOT/images/.lock"
flock 9

if [ -f "$DIR/complete" ]; then
	log "cached images in $DIR"
	touch "$DIR/complete" "$RDIR/complete"
	echo "$DIR"
	exit 0
fi

# ---- dom0 root, shared by the kernels ---------------------------------------
if [ ! -f "$RDIR/complete" ]; then
	log "debootstrap of dom0's root (about a minute) into $RDIR"
	rm -rf "$RDIR"
	mkdir -p "$RDIR"
	R=$RDIR/root
	env -u APT_CONFIG debootstrap --variant=minbase --include="$DOM0_PKGS" bookworm "$R" \
		>"$RDIR/debootstrap.log" 2>&1 || {
		tail -20 "$RDIR/debootstrap.log" >&2
		exit 1
	}
	# The toolchain DKMS needs, without what a module build never runs:
	# LTO, the sanitizer and profiler runtimes, gold and dwp (about 100
	# MB of the 210 MB the toolchain adds).
	rm -f "$R"/usr/lib/gcc/x86_64-linux-gnu/12/{lto1,libasan.a,libtsan.a,liblsan.a,libubsan.a} \
		"$R"/usr/lib/x86_64-linux-gnu/lib{asan,tsan,lsan,ubsan,gprofng}.so* \
		"$R"/usr/bin/x86_64-linux-gnu-{lto-dump-12,ld.gold,dwp,gp-*,gprofng}
	rm -rf "$R"/usr/share/{doc,man,info,locale} "$R"/var/cache/apt/* \
		"$R"/var/lib/apt/lists/* "$R"/usr/lib/udev/hwdb.bin
	tar -C "$R" -cf "$RDIR/root.tar" .
	rm -rf "$R"
	touch "$RDIR/complete"
fi

log "building images for $KPKG $kver, $XENPKG $xver into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
WORK=$DIR/work
mkdir -p "$WORK/debs"

mkdir -p "$WORK/kernel" "$WORK/xen"
if [ -n "$KTREE" ]; then
	(cd "$WORK/debs" && apt-get download -q "$XENPKG=$xver" >&2)
	cp -a "$KTREE/." "$WORK/kernel/"
else
	(cd "$WORK/debs" && apt-get download -q "$KPKG=$kver" "$XENPKG=$xver" >&2)
	dpkg -x "$WORK"/debs/linux-image-*.deb "$WORK/kernel"
fi
dpkg -x "$WORK"/debs/xen-hypervisor-*.deb "$WORK/xen"
zcat "$WORK"/xen/boot/xen-*.gz >"$DIR/xen.elf"
cp "$WORK/kernel/boot/vmlinuz-$ABI" "$DIR/vmlinuz"

# ---- dom0 root ------------------------------------------------------------
ROOT=$WORK/dom0
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$RDIR/root.tar"

# Only the module directories the rig can use: keeps the initramfs small,
# which matters because dom0 unpacks it under emulation.
MSRC=$WORK/kernel/lib/modules/$ABI
MDST=$ROOT/lib/modules/$ABI
mkdir -p "$MDST/kernel/drivers/net"
cp -a "$MSRC"/modules.builtin* "$MSRC/modules.order" "$MDST/"
# A kernel cut down to the rig's modules (the debug kernel) lacks some
# of these directories.
for d in arch block crypto fs lib mm net virt; do
	[ ! -d "$MSRC/kernel/$d" ] || cp -a "$MSRC/kernel/$d" "$MDST/kernel/"
done
for d in xen virtio block char; do
	[ ! -d "$MSRC/kernel/drivers/$d" ] || cp -a "$MSRC/kernel/drivers/$d" "$MDST/kernel/drivers/"
done
find "$MSRC/kernel/drivers/net" -maxdepth 1 -name '*.ko*' -exec cp -a {} "$MDST/kernel/drivers/net/" \;
cp -a "$MSRC/kernel/drivers/net/xen-netback" "$MDST/kernel/drivers/net/"
rm -rf "$MDST/kernel/fs/"{btrfs,xfs,ocfs2,gfs2,nfs,nfsd,ceph,smb,cifs,f2fs,ext4,jfs,ubifs,reiserfs} \
	"$MDST/kernel/net/"{wireless,mac80211,bluetooth,netfilter,ipv4/netfilter,ipv6/netfilter,sunrpc,ceph,rxrpc}
depmod -b "$ROOT" "$ABI"

install -m 0755 "$HERE/../boot/dom0-init" "$ROOT/init"
cp "$DIR/vmlinuz" "$ROOT/boot/vmlinuz-domU"
echo rig-dom0 >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost rig-dom0\n' >"$ROOT/etc/hosts"

# ---- domU base ------------------------------------------------------------
U=$WORK/domU
mkdir -p "$U"/{bin,sbin,usr/bin,usr/sbin,lib64,lib/x86_64-linux-gnu,etc,proc,sys,dev,tmp,run,root}
cp "$ROOT/bin/busybox" "$U/bin/busybox"
for app in $(chroot "$ROOT" /bin/busybox --list); do
	[ "$app" = busybox ] || ln -sf busybox "$U/bin/$app"
done
copy_bin() {
	local src=$1 dst=$2 lib
	cp "$ROOT/$src" "$U/$dst"
	for lib in $(chroot "$ROOT" ldd "$src" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
		[ -e "$U/$lib" ] || { mkdir -p "$U/$(dirname "$lib")"; cp -L "$ROOT/$lib" "$U/$lib"; }
	done
}
copy_bin /usr/bin/iperf3 usr/bin/iperf3
copy_bin /usr/bin/sockperf usr/bin/sockperf
copy_bin /usr/sbin/ethtool usr/sbin/ethtool
copy_bin /usr/bin/xenstore usr/bin/xenstore
copy_bin /usr/bin/ip usr/sbin/ip
copy_bin /usr/sbin/tc usr/sbin/tc
rm -f "$U/bin/ip" "$U/sbin/ip" "$U/bin/tc" "$U/sbin/tc"
for t in read write exists list ls rm chmod watch; do
	ln -sf xenstore "$U/usr/bin/xenstore-$t"
done
UM=$U/lib/modules/$ABI
mkdir -p "$UM"
# Plain .ko files: busybox's insmod does not unpack the .ko.xz that
# 6.12's packages carry.
for m in drivers/net/xen-netfront drivers/xen/xen-evtchn drivers/xen/xen-gntalloc \
	 drivers/xen/xen-gntdev drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs; do
	f=$(ls "$MSRC/kernel/$m".ko* | head -n1)
	case "$f" in
	*.xz)	xz -dc "$f" >"$UM/$(basename "${f%.xz}")" ;;
	*)	cp "$f" "$UM/" ;;
	esac
done
echo rig-domU >"$U/etc/hostname"

# ---- pack ---------------------------------------------------------------
log "packing initramfs images"
(cd "$ROOT" && find . -xdev | cpio -o -H newc --quiet | gzip -1) >"$DIR/dom0.cpio.gz"
(cd "$U" && find . | cpio -o -H newc --quiet | gzip -9) >"$DIR/domU-base.cpio.gz"
printf 'ABI=%s\nKVER=%s\nXENVER=%s\n' "$ABI" "$kver" "$xver" >"$DIR/versions"
rm -rf "$WORK"
touch "$DIR/complete"
# Old entries: keep this one and those used within a day (another
# tree's rig may be waiting to boot one of them).
for f in "$CACHE_ROOT"/images/*/; do
	f=${f%/}
	[ "${f##*/}" = "$key" ] || [ "$f" = "$RDIR" ] && continue
	[ -n "$(find "$f/complete" -mmin -1440 2>/dev/null)" ] || rm -rf "$f"
done
log "images ready ($(du -sh "$DIR" | cut -f1))"
echo "$DIR"
