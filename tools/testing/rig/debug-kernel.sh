#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or find in the cache) the debug kernel of make check-debug:
# Debian's own source of the rig's kernel (the linux-source-6.1
# package), configured from Debian's config of that kernel, cut down
# to the modules the rig loads (localmodconfig), with the kernel's
# checkers turned on (DEBUG_OPTIONS below). Xen PV dom0 and domU both
# boot it.
#
# Usage: debug-kernel.sh BASE_CONFIG
#   BASE_CONFIG  Debian's .config of the rig's kernel (the unpacked
#                headers host-packages.sh made have it)
# Prints, for eval:
#   DBG_ABI=6.1.NNN-xnetdbg   the kernel release
#   DBG_KDIR=DIR              its build tree (out-of-tree modules build
#                             against it like against headers)
#   DBG_KTREE=DIR             boot/vmlinuz-ABI and lib/modules/ABI, the
#                             way a linux-image package lays them out
#                             (images.sh reads it instead of a package)
#
# KASAN is not among the checkers: Xen PV enters the kernel through
# xen_start_kernel, which (unlike head64.c's x86_64_start_kernel) maps
# no KASAN shadow in 6.1, and KASAN's own set-up writes the page tables
# directly, which a PV guest may not. KFENCE, sampling every
# KFENCE_MS milliseconds, is the use-after-free and out-of-bounds
# detector instead.
#
# The patches in rig/debug-kernel/ are applied to the source first
# (each says why: a report in code that is not ours, which would
# otherwise switch a checker off for the rest of the boot).
#
# The cache key is the source package's version, the base config, the
# module list, the options and the patches, so a new upload, a new
# Debian config, another choice of modules or checkers or a new patch
# builds again. One build tree per source version is kept and reused,
# so a new key rebuilds only what changed. XNET_CACHE overrides the cache root (default
# /var/cache/xen-netmq; the kernel goes to its debug-kernel/). On this
# 2-core machine the build takes about half an hour.
set -euo pipefail

BASE=${1:?usage: debug-kernel.sh BASE_CONFIG}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE_ROOT=${XNET_CACHE:-/var/cache/xen-netmq}
SRCPKG=linux-source-6.1
LOCALVERSION=-xnetdbg
KFENCE_MS=10

# What the rig loads: dom0 (the 9p share, the bridge, Xen's devices,
# netback, pktgen) and the domU (netfront and the devices the hostile
# peers use). localmodconfig keeps these and drops every other module.
RIG_MODULES="9p 9pnet 9pnet_virtio netfs fscache virtio virtio_ring virtio_pci
virtio_pci_legacy_dev virtio_pci_modern_dev bridge stp llc pktgen
xen_netback xen_netfront xen_gntdev xen_gntalloc xen_evtchn xenfs
xen_privcmd xen_blkback tun veth dummy loop sch_netem sch_ingress
sch_mqprio cls_bpf act_bpf ifb"

# The checkers (issue 15): "y", "n" or a value for each option.
DEBUG_OPTIONS="KFENCE=y KFENCE_SAMPLE_INTERVAL=$KFENCE_MS
PROVE_LOCKING=y DEBUG_ATOMIC_SLEEP=y DEBUG_PREEMPT=y
LOCKDEP_BITS=16 LOCKDEP_CHAINS_BITS=17 LOCKDEP_STACK_TRACE_BITS=20
DEBUG_KMEMLEAK=y DEBUG_KMEMLEAK_DEFAULT_OFF=n DEBUG_KMEMLEAK_AUTO_SCAN=n
DEBUG_KMEMLEAK_MEM_POOL_SIZE=40000
UBSAN=y UBSAN_BOUNDS=y UBSAN_SHIFT=y UBSAN_DIV_ZERO=y UBSAN_SANITIZE_ALL=y
UBSAN_TRAP=n UBSAN_BOOL=n UBSAN_ENUM=n UBSAN_ALIGNMENT=n
DEBUG_OBJECTS=y DEBUG_OBJECTS_WORK=y DEBUG_OBJECTS_TIMERS=y
DEBUG_OBJECTS_FREE=y DEBUG_OBJECTS_RCU_HEAD=y
DEBUG_LIST=y DEBUG_SG=y DEBUG_NET=y
DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=n DEBUG_INFO_NONE=y DEBUG_INFO=n
DEBUG_INFO_BTF=n MODULE_SIG_ALL=n LOCALVERSION_AUTO=n"

log() { echo "# debug-kernel: $*" >&2; }

[ -f "$BASE" ] || { echo "debug-kernel.sh: no base config $BASE" >&2; exit 1; }
# The kernel's own build needs these besides what host-packages.sh has.
need=""
for p in $SRCPKG bison flex libelf-dev libssl-dev bc cpio kmod; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		need="$need $p"
done
if [ -n "$need" ]; then
	log "installing:$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >&2
fi
TAR=$(ls /usr/src/linux-source-6.1.tar.xz)
srcver=$(dpkg-query -W -f='${Version}' $SRCPKG)

PATCHES=$(ls "$HERE"/debug-kernel/*.patch 2>/dev/null || true)
# shellcheck disable=SC2086 # PATCHES: file names without blanks
patches_sum=$(cat /dev/null $PATCHES | sha256sum | cut -c1-16)
key=$(printf '%s\n' "$srcver" "$LOCALVERSION" "$RIG_MODULES" "$DEBUG_OPTIONS" "$patches_sum" |
	cat - "$BASE" | sha256sum | cut -c1-16)
TOP=$CACHE_ROOT/debug-kernel
D=$TOP/$key
mkdir -p "$TOP"
exec 9>"$TOP/.lock"
flock 9

# The source, patched in place (.xnet-patched names the patch set), and
# its build tree.
SRC=$TOP/src-$srcver
B=$TOP/build-$srcver
emit() {
	echo "DBG_ABI=$(cat "$D/abi")"
	echo "DBG_KDIR=$B"
	echo "DBG_KTREE=$D/tree"
}
if [ -f "$D/complete" ]; then
	log "cached in $D ($(cat "$D/abi"))"
	emit
	exit 0
fi

# patched_files PATCH...: the files the patches change.
patched_files() {
	[ "$#" -gt 0 ] || return 0
	sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$@"
}
if [ ! -f "$SRC/complete" ] || [ "$(cat "$SRC/.xnet-patched" 2>/dev/null)" != "$patches_sum" ]; then
	log "unpacking $SRCPKG $srcver, applying $(echo "$PATCHES" | grep -c . || true) patch(es)"
	old=$(cat "$SRC/.xnet-patch-files" 2>/dev/null || true)
	rm -rf "$SRC" "$TOP/unpack"
	mkdir -p "$TOP/unpack"
	# tar keeps the archive's times: the build tree sees only what the
	# patches (old and new) touch as changed.
	tar -C "$TOP/unpack" -xJf "$TAR"
	mv "$TOP/unpack/linux-source-6.1" "$SRC"
	rmdir "$TOP/unpack"
	for p in $PATCHES; do
		patch -s -p1 -d "$SRC" <"$p" >&2 || { echo "debug-kernel.sh: $p does not apply" >&2; exit 1; }
	done
	# shellcheck disable=SC2086
	new=$(patched_files $PATCHES)
	for f in $old $new; do
		[ ! -e "$SRC/$f" ] || touch "$SRC/$f"
	done
	echo "$new" >"$SRC/.xnet-patch-files"
	echo "$patches_sum" >"$SRC/.xnet-patched"
	touch "$SRC/complete"
fi

rm -rf "$D"
mkdir -p "$B" "$D/tree/boot"
cp "$BASE" "$B/.config"
{
	echo "Module Size Used"
	for m in $RIG_MODULES; do echo "$m 1 0"; done
} >"$D/lsmod"
M="make -C $SRC O=$B"
log "configuring (Debian's config, the rig's modules, the checkers)"
$M LSMOD="$D/lsmod" localmodconfig </dev/null >"$D/config.log" 2>&1
cfg() { "$SRC/scripts/config" --file "$B/.config" "$@"; }
cfg --set-str LOCALVERSION "$LOCALVERSION" --set-str SYSTEM_TRUSTED_KEYS "" \
	--set-str SYSTEM_REVOCATION_KEYS "" --set-str MODULE_SIG_KEY certs/signing_key.pem
for o in $DEBUG_OPTIONS; do
	case "${o#*=}" in
	y) cfg --enable "${o%%=*}" ;;
	n) cfg --disable "${o%%=*}" ;;
	*) cfg --set-val "${o%%=*}" "${o#*=}" ;;
	esac
done
$M olddefconfig >>"$D/config.log" 2>&1
# Every checker asked for must have survived olddefconfig's dependency
# resolution: a missing one would make a clean run mean nothing.
bad=""
for o in $DEBUG_OPTIONS; do
	n=${o%%=*} v=${o#*=}
	case "$v" in
	n) grep -q "^CONFIG_$n=" "$B/.config" && bad="$bad $n" ;;
	*) grep -qx "CONFIG_$n=$v" "$B/.config" || bad="$bad $n" ;;
	esac
done
for n in XEN_NETDEV_BACKEND XEN_NETDEV_FRONTEND XEN_GNTDEV XEN_GRANT_DEV_ALLOC \
	 XEN_DEV_EVTCHN XENFS XEN_PRIVCMD BRIDGE NET_PKTGEN; do
	grep -qx "CONFIG_$n=m" "$B/.config" || bad="$bad $n(=m)"
done
[ -z "$bad" ] || { echo "debug-kernel.sh: not set as asked:$bad" >&2; exit 1; }
cp "$B/.config" "$D/config"

log "building in $D (about half an hour on 2 cores)"
t0=$(date +%s)
if ! $M -j"$(nproc)" bzImage modules >"$D/build.log" 2>&1; then
	tail -n 40 "$D/build.log" >&2
	exit 1
fi
# The release (with LOCALVERSION) is known once the build has synced
# its configuration.
ABI=$(cat "$B/include/config/kernel.release")
$M INSTALL_MOD_PATH="$D/tree" INSTALL_MOD_STRIP=1 modules_install >>"$D/build.log" 2>&1
cp "$B/arch/x86/boot/bzImage" "$D/tree/boot/vmlinuz-$ABI"
rm -f "$D/tree/lib/modules/$ABI/build" "$D/tree/lib/modules/$ABI/source"
echo "$ABI" >"$D/abi"
touch "$D/complete"
log "built $ABI in $(( $(date +%s) - t0 )) s"
# Older builds' trees: only the newest is kept.
for f in "$TOP"/*/; do
	f=${f%/}
	case "${f##*/}" in "$key"|src-*|build-*) continue ;; esac
	rm -rf "$f"
done
emit
