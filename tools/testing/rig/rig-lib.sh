#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the rig, shared by the host scripts of every mode
# (run-mode.sh, check.sh, measure/*-host.sh).
#
#   rig_mode MODE  the mode's line of tools/testing/modes: lane, host
#                  and dom0 scripts, report, time limit
#   rig_setup      packages, kernel ABIs, images (cached), checkpatch
#   rig_build      build our modules for the rig kernel
#   rig_share      lay out the 9p share: boot script, tests, modules,
#                  the domU initramfs (cached base + per-run overlay)
#   rig_boot       boot Xen + dom0 under QEMU (TCG), run the mode's
#                  dom0 script there, stream its results, fail closed
#
# Layout of a run (OUT, default <repo>/out):
#   OUT/share/     what dom0 sees on /host: the parts of tools/testing
#                  that run there, in the same layout (boot/, modes,
#                  selftests/xen-net/, measure/, hostile/), and build/
#                  (our modules, the tools), the domU initramfs, config
#   OUT/share/results/  KTAP, suite log, guest and Xen console logs
#   OUT/serial.log Xen and dom0 console (serial port)

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTING=$(cd "$RIG_DIR/.." && pwd)
REPO=$(cd "$TESTING/../.." && pwd)
SELFTESTS=$TESTING/selftests/xen-net
OUT=${XNET_OUT:-$REPO/out}
SHARE=$OUT/share
RES=$SHARE/results
# Xen and dom0 must be up within this many seconds.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
# Each boot's Xen and dom0 start, for the time table (none when no boot
# came up).
RIG_UP_ROWS=""
# CRASH_RE: what the serial console shows when Xen or dom0 went down.
# shellcheck source=../selftests/xen-net/crash-re.sh
. "$SELFTESTS/crash-re.sh"

rig_log() { echo "# rig: $*"; }

# rig_mode MODE: read MODE's line of the table of modes
# (tools/testing/modes) into XNET_MODE, XNET_LANE (unless already set),
# RIG_HOST, RIG_DOM0, RIG_REPORT, RIG_TIMEOUT, RIG_CLOCK and RIG_KERNEL
# (unless already set: RIG_TIMEOUT=SECS overrides the table's limit,
# RIG_CLOCK=host|icount its clock, RIG_KERNEL=debian|debug its kernel).
rig_mode() {
	local line
	line=$(awk -v m="$1" '!/^#/ && $1 == m' "$TESTING/modes")
	[ -n "$line" ] || {
		echo "rig: no mode '$1'; the modes are: $(awk '!/^#/ && NF { printf "%s ", $1 }' "$TESTING/modes")" >&2
		return 2
	}
	# shellcheck disable=SC2034 # RIG_*: for the mode's host script
	read -r XNET_MODE lane RIG_HOST RIG_DOM0 RIG_REPORT limit clock kernel <<<"$line"
	XNET_LANE=${XNET_LANE:-$lane}
	RIG_TIMEOUT=${RIG_TIMEOUT:-$limit}
	RIG_CLOCK=${RIG_CLOCK:-$clock}
	RIG_KERNEL=${RIG_KERNEL:-$kernel}
	case "$RIG_KERNEL" in
	debian|debug) ;;
	*) echo "rig: RIG_KERNEL is debian or debug, not '$RIG_KERNEL'" >&2; return 2 ;;
	esac
	case "$XNET_LANE" in
	check|full|debug) ;;
	*) echo "rig: XNET_LANE is check, full or debug, not '$XNET_LANE'" >&2; return 2 ;;
	esac
	case "$RIG_CLOCK" in
	host|icount) ;;
	*) echo "rig: RIG_CLOCK is host or icount, not '$RIG_CLOCK'" >&2; return 2 ;;
	esac
	export XNET_MODE XNET_LANE RIG_TIMEOUT RIG_CLOCK RIG_KERNEL
}

# rig_accel: QEMU's options for RIG_CLOCK. host: one host thread per
# emulated CPU, the host's clock. icount: one host thread for both
# CPUs, and virtual time advanced by the instructions executed (2^2 ns
# each), with idle time skipped rather than slept through.
rig_accel() {
	if [ "${RIG_CLOCK:-host}" = icount ]; then
		echo "-accel tcg,thread=single -icount shift=2,sleep=off"
	else
		echo "-accel tcg,thread=multi"
	fi
}

# rig_setup: tools, both kernels' headers, the images of each kernel:
# IMAGES (the rig's kernel, Debian 12's) and IMAGES_BPO (bookworm-
# backports', empty when it is not available). With RIG_KERNEL=debug
# the rig's kernel is the debug build of Debian 12's (RIG_ABI and
# RIG_KDIR name it) and there is no second kernel.
rig_setup() {
	local vars
	vars=$("$RIG_DIR/host-packages.sh") || return 1
	eval "$vars"
	[ -n "${RIG_ABI:-}" ] && [ -d "${RIG_KDIR:-}" ] ||
		{ echo "rig: no rig kernel ABI or headers" >&2; return 1; }
	export KAPT_CONFIG
	if [ "${RIG_KERNEL:-debian}" = debug ]; then
		vars=$("$RIG_DIR/debug-kernel.sh" "$RIG_KDIR/.config") || return 1
		eval "$vars"
		RIG_ABI=$DBG_ABI RIG_KDIR=$DBG_KDIR BPO_ABI="" BPO_KDIR=""
		IMAGES=$(XNET_KTREE=$DBG_KTREE "$RIG_DIR/images.sh" "$RIG_ABI") || return 1
	else
		IMAGES=$("$RIG_DIR/images.sh" "$RIG_ABI") || return 1
	fi
	rig_log "rig kernel $RIG_ABI, images in $IMAGES"
	IMAGES_BPO=""
	if [ -n "${BPO_ABI:-}" ] && [ -d "${BPO_KDIR:-}" ]; then
		IMAGES_BPO=$("$RIG_DIR/images.sh" "$BPO_ABI") || return 1
		rig_log "second kernel $BPO_ABI, images in $IMAGES_BPO"
	fi
}

# rig_build_for KDIR ABI DIR: our modules for one kernel, kept in
# DIR/ABI. DIR is outside the tree: the kernel's "make clean" between
# two kernels removes every .ko under the tree, out/ included.
rig_build_for() {
	local kdir=$1 abi=$2 dir=$3 log=$OUT/build-$2.log
	make -C "$REPO" KDIR="$kdir" clean >/dev/null 2>&1
	make -C "$REPO" KDIR="$kdir" -j"$(nproc)" modules >"$log" 2>&1 || {
		tail -n 30 "$log"
		return 1
	}
	mkdir -p "$dir/$abi"
	cp "$REPO/netback/xen-netback.ko" "$REPO/netfront/xen-netfront.ko" "$dir/$abi/"
}

# rig_build: our modules for each kernel (OUT/kbuild/ABI), the hostile
# peers, the XDP programs.
rig_build() {
	local tmp
	tmp=$(mktemp -d) || return 1
	if ! rig_build_for "$RIG_KDIR" "$RIG_ABI" "$tmp" ||
	   { [ -n "$IMAGES_BPO" ] && ! rig_build_for "$BPO_KDIR" "$BPO_ABI" "$tmp"; }; then
		rm -rf "$tmp"
		return 1
	fi
	make -C "$REPO" KDIR="$RIG_KDIR" clean >/dev/null 2>&1
	rm -rf "$OUT/kbuild"
	mv "$tmp" "$OUT/kbuild"
	chmod 755 "$OUT/kbuild"
	# The hostile peers (tools/testing/hostile): rogue-front goes into
	# the domU overlay, rogue-back is staged for the share (rig_share
	# copies $OUT/hostile-bin into /host/build), and so is a copy of
	# rogue-front, whose --list the selftests read in dom0.
	rm -rf "$OUT/hostile-build" "$OUT/hostile-bin"
	make -C "$REPO/tools/testing/hostile" B="$OUT/hostile-build" >"$OUT/build-hostile.log" 2>&1 || {
		tail -n 30 "$OUT/build-hostile.log"
		return 1
	}
	mkdir -p "$OUT/domU-extra/usr/bin" "$OUT/hostile-bin"
	cp "$OUT/hostile-build/rogue-front" "$OUT/domU-extra/usr/bin/"
	cp "$OUT/hostile-build/rogue-back" "$OUT/hostile-build/rogue-front" "$OUT/hostile-bin/"
	rig_build_bpf || return 1
	[ "${RIG_KERNEL:-debian}" = debug ] || return 0
	# check-debug's module that is wrong on purpose (XNET_BREAK=1),
	# built in a copy: kbuild writes next to the sources.
	rm -rf "$OUT/break-build"
	cp -r "$SELFTESTS/break-mod" "$OUT/break-build"
	make -C "$RIG_KDIR" M="$OUT/break-build" modules >"$OUT/build-break.log" 2>&1 || {
		tail -n 30 "$OUT/build-break.log"
		return 1
	}
	cp "$OUT/break-build/xnet_break.ko" "$OUT/hostile-bin/"
}

# The selftests' XDP programs (selftests/xen-net/bpf/*.c) go into the
# domU overlay as /usr/lib/xnet-bpf/NAME.o, loaded there with ip(8).
rig_build_bpf() {
	local f dst=$OUT/domU-extra/usr/lib/xnet-bpf
	rm -rf "$dst"
	mkdir -p "$dst"
	for f in "$SELFTESTS"/bpf/*.c; do
		clang -O2 -Wall -Werror -target bpf -I"/usr/include/$(gcc -print-multiarch)" \
			-c "$f" -o "$dst/$(basename "${f%.c}").o" >>"$OUT/build-bpf.log" 2>&1 || {
			tail -n 30 "$OUT/build-bpf.log"
			return 1
		}
	done
}

# rig_domu_initrd ABI IMAGES DEST: the domU initramfs of one kernel: the
# cached base archive, then a per-run overlay (our netfront built for
# that kernel, the domU init, the test programs) appended to it (the
# kernel unpacks concatenated archives).
rig_domu_initrd() {
	local abi=$1 images=$2 dest=$3 ov=$OUT/domU-overlay-$1
	rm -rf "$ov"
	mkdir -p "$ov/lib/modules/ours"
	cp "$OUT/kbuild/$abi/xen-netfront.ko" "$ov/lib/modules/ours/"
	install -m 0755 "$TESTING/boot/domU-init" "$ov/init"
	if [ -d "$OUT/domU-extra" ]; then
		cp -a "$OUT/domU-extra/." "$ov/"
	fi
	cp "$images/domU-base.cpio.gz" "$dest"
	(cd "$ov" && find . | cpio -o -H newc --quiet | gzip -1) >>"$dest"
}

# Every setting the host passes into dom0 (/host/config), with its
# default: NAME=DEFAULT, one a line. XNET_BOOT, XNET_RIG_ABI and
# XNET_BPO_ABI are set by rig_share for each boot. An empty default
# leaves the value to dom0's side (HB_SECS follows the lane there, and
# so do HB_FUZZ_SEEDS, HB_FUZZ_COUNT, HB_FUZZ_SECS and HB_FUZZ_LATE_MS).
RIG_SETTINGS='XNET_MODE=check
XNET_LANE=check
RIG_CLOCK=host
RIG_KERNEL=debian
XNET_BOOT=rig
XNET_RIG_ABI=
XNET_BPO_ABI=
XNET_SCRIPTS=
TESTS=
XNET_BREAK=0
BENCH_RUNS=3
BENCH_SECS=5
BENCH_QUEUES=1 2 4
BENCH_SIDES=netback netfront pair xdp rows scale rft
BENCH_ROW_QUEUES=4
BENCH_SCALE=1 8 16
BENCH_SCALE_MEM=128
BENCH_SCALE_RUNS=1
BENCH_PROF_CELLS=netback:1:rx pair:4:urx pair:4:rr
BENCH_PROF_SECS=2
BENCH_SPREAD_MAX=3
BENCH_XDP_PKTS=200000
HB_ONLY=
HB_SECS=
HB_FUZZ_SEEDS=
HB_FUZZ_COUNT=
HB_FUZZ_SECS=
HB_FUZZ_LATE_MS=
HB_FUZZ_SIDES=netback netfront'

# rig_config: RIG_SETTINGS as exported shell assignments, each its
# value in the environment or else its default.
rig_config() {
	local name def
	while IFS='=' read -r name def; do
		printf 'export %s=%q\n' "$name" "${!name:-$def}"
	done <<<"$RIG_SETTINGS"
}

# rig_share [bpo]: lay out the share for a boot of the rig's kernel
# (default) or of the second kernel ("bpo") as dom0: /host/build has our
# modules for dom0's kernel, /host/domU.cpio.gz the domU initramfs of
# the same kernel (its vmlinuz is in the dom0 image), and
# /host/guests/ABI/ the other kernel's domU kernel and initramfs, for a
# guest of the other kernel. BOOT_IMAGES is what rig_boot boots.
rig_share() {
	local boot=${1:-rig} abi images oabi oimages
	if [ "$boot" = bpo ]; then
		abi=$BPO_ABI images=$IMAGES_BPO oabi=$RIG_ABI oimages=$IMAGES
	else
		abi=$RIG_ABI images=$IMAGES oabi=${BPO_ABI:-} oimages=${IMAGES_BPO:-}
	fi
	BOOT_IMAGES=$images
	# Keep results/: check.sh has written its host-side results there.
	find "$SHARE" -mindepth 1 -maxdepth 1 ! -name results -exec rm -rf {} + 2>/dev/null
	mkdir -p "$SHARE/boot" "$SHARE/selftests" "$SHARE/hostile" "$SHARE/build" "$RES"
	cp "$TESTING/modes" "$SHARE/"
	cp "$TESTING/boot/dom0-boot.sh" "$SHARE/boot/"
	cp "$TESTING/selftests/Makefile" "$SHARE/selftests/"
	cp -r "$SELFTESTS" "$SHARE/selftests/"
	cp -r "$TESTING/measure" "$SHARE/"
	cp "$TESTING/hostile/hostile-lib.sh" "$SHARE/hostile/"
	cp "$OUT/kbuild/$abi/"*.ko "$SHARE/build/"
	install -m 0755 "$REPO/tools/xen-vifctl" "$SHARE/build/"
	if [ -d "$OUT/hostile-bin" ]; then
		cp -r "$OUT/hostile-bin/." "$SHARE/build/"
	fi
	if [ -n "${XNET_SCRIPT:-}" ]; then
		cp "$XNET_SCRIPT" "$SHARE/script.sh"
	fi
	[ "$boot" = rig ] && rig_share_packages
	rig_domu_initrd "$abi" "$images" "$SHARE/domU.cpio.gz"
	if [ -n "$oimages" ]; then
		mkdir -p "$SHARE/guests/$oabi"
		cp "$oimages/vmlinuz" "$SHARE/guests/$oabi/vmlinuz"
		rig_domu_initrd "$oabi" "$oimages" "$SHARE/guests/$oabi/domU.cpio.gz"
	fi
	XNET_BOOT=$boot XNET_RIG_ABI=$RIG_ABI XNET_BPO_ABI=${IMAGES_BPO:+$BPO_ABI} \
		rig_config >"$SHARE/config"
}

# The Debian packages check.sh built ($OUT/deb) and, for DKMS to build
# them in dom0, the rig kernel's unpacked headers as one uncompressed
# tar (share/kheaders.tar, usr/src and usr/lib of the cache's tree):
# in the share, not in the dom0 image, whose initramfs is unpacked at
# every boot. One tar read over 9p into dom0's RAM costs seconds; the
# compiler reading thousands of headers over 9p cost minutes.
rig_share_packages() {
	local root=${RIG_KDIR%/usr/src/*}
	ls "$OUT"/deb/*.deb >/dev/null 2>&1 || return 0
	mkdir -p "$SHARE/deb"
	cp "$OUT"/deb/*.deb "$SHARE/deb/"
	tar -C "$root" -cf "$SHARE/kheaders.tar" usr/src usr/lib
}

# rig_dom0_args: what dom0's command line adds. A kernel log buffer big
# enough for a whole run: the checks of dom0's log (dom0_log_bad, the
# hostile cases) find the new lines by counting lines, which a wrapped
# buffer (Debian's default is 128 KiB, about 1500 of the rig's lines)
# would hide; and the debug kernel's checkers print a lot.
rig_dom0_args() {
	echo " log_buf_len=16M"
}

# rig_boot: returns 0 when dom0 wrote the completion token, else 1.
# Streams KTAP lines from results/ktap while the suite runs. Leaves, for
# the time table: RIG_START, RIG_UP (dom0 up), RIG_END (host seconds),
# RIG_RUNNING and RIG_RUNNING_SINCE (the script dom0 had started last,
# from results/running, and when the host first saw it), RIG_WHY (why
# the boot failed, empty when it did not).
rig_boot() {
	local serial=$OUT/serial.log qpid now shown=0 n cur
	RIG_WHY="" RIG_UP="" RIG_RUNNING="" RIG_RUNNING_SINCE=""
	# One rig at a time on this machine: two emulated machines on the
	# same cores make every time limit and every figure meaningless.
	# The wait for another rig does not count against RIG_TIMEOUT.
	RIG_WAITED=$(date +%s)
	exec 7>"${XNET_RIG_LOCK:-/var/lock/xen-netmq-rig.lock}"
	if ! flock -n 7; then
		rig_log "another rig is running on this machine; waiting for it"
		flock 7
	fi
	RIG_WAITED=$(( $(date +%s) - RIG_WAITED ))
	rm -f "$serial" "$RES/running" "$RES/booted" "$RES/token"
	: >>"$RES/ktap"
	shown=$(wc -l <"$RES/ktap")
	# shellcheck disable=SC2046 # rig_accel's words are QEMU options
	qemu-system-x86_64 $(rig_accel) -cpu qemu64 -smp 2 -m "${RIG_MEM:-3072}" \
		-display none -monitor none -serial "file:$serial" -no-reboot -nic none \
		-kernel "$BOOT_IMAGES/xen.elf" \
		-append "console=com1 dom0_mem=1536M,max:1536M noreboot loglvl=all guest_loglvl=all" \
		-initrd "$BOOT_IMAGES/vmlinuz console=hvc0 quiet rdinit=/init panic_on_oops=1 panic_on_warn=1$(rig_dom0_args),$BOOT_IMAGES/dom0.cpio.gz" \
		-virtfs "local,path=$SHARE,mount_tag=host,security_model=none" \
		>"$OUT/qemu.log" 2>&1 &
	qpid=$!
	RIG_START=$(date +%s)
	while :; do
		sleep 2
		n=$(wc -l <"$RES/ktap")
		if [ "$n" -gt "$shown" ]; then
			sed -n "$((shown + 1)),${n}p" "$RES/ktap"
			shown=$n
		fi
		now=$(date +%s)
		[ -z "$RIG_UP" ] && [ -f "$RES/booted" ] && RIG_UP=$now
		cur=$(cat "$RES/running" 2>/dev/null)
		if [ -n "$cur" ] && [ "$cur" != "$RIG_RUNNING" ]; then
			RIG_RUNNING=$cur
			RIG_RUNNING_SINCE=$now
		fi
		if [ -f "$RES/token" ]; then
			break
		fi
		if ! kill -0 "$qpid" 2>/dev/null; then
			RIG_WHY="QEMU exited before the suite finished"
			break
		fi
		if grep -qE "$CRASH_RE|XNET-RIG: boot failed|XNET-RIG: cannot" "$serial" 2>/dev/null; then
			sleep 3
			RIG_WHY="crash or boot failure on the serial console"
			break
		fi
		if [ -z "$RIG_UP" ] && [ $((now - RIG_START)) -gt "$BOOT_TIMEOUT" ]; then
			RIG_WHY="Xen and dom0 not up after ${BOOT_TIMEOUT}s"
			break
		fi
		if [ $((now - RIG_START)) -gt "$RIG_TIMEOUT" ]; then
			RIG_WHY="stopped at its limit of ${RIG_TIMEOUT}s"
			break
		fi
	done
	sleep 1
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	RIG_END=$(date +%s)
	# For the time table, over all boots of a run.
	RIG_BOOTS_SECS=$(( ${RIG_BOOTS_SECS:-0} + RIG_END - RIG_START ))
	RIG_WAITED_ALL=$(( ${RIG_WAITED_ALL:-0} + RIG_WAITED ))
	[ -n "$RIG_UP" ] && RIG_UP_ROWS+="Xen_and_dom0_boot_($(rig_boot_abi)) $((RIG_UP - RIG_START))
"
	n=$(wc -l <"$RES/ktap")
	[ "$n" -gt "$shown" ] && sed -n "$((shown + 1)),${n}p" "$RES/ktap"
	rig_log "boot took $((RIG_END - RIG_START))s"
	exec 7>&-
	if [ -n "$RIG_WHY" ]; then
		echo "# rig: FAILED: $RIG_WHY$(rig_where)"
		rig_keep_logs
		return 1
	fi
	return 0
}

# rig_where: ", while NAME was running (for N s)" when dom0 was inside a
# script at the end of the boot.
rig_where() {
	[ -n "$RIG_RUNNING" ] && [ ! -f "$RES/token" ] || return 0
	grep -qx "${RIG_RUNNING%% *} [0-9]*" "$RES/script-times" 2>/dev/null && return 0
	[ -n "$RIG_WHY" ] || return 0
	echo ", while ${RIG_RUNNING%% *} was running (for $((RIG_END - RIG_RUNNING_SINCE)) s)"
}

# rig_boot_abi: the kernel the booted images carry.
rig_boot_abi() { sed -n 's/^ABI=//p' "$BOOT_IMAGES/versions" 2>/dev/null; }

# rig_time_table T0 T_SETUP T_BOOT: where the run's time went, as KTAP
# comments: the host's set-up (T0 to T_SETUP) and builds (to T_BOOT),
# each boot's Xen and dom0 start, each script (dom0's
# results/script-times, NAME@KERNEL), the rest, and the share of
# RIG_TIMEOUT the boots used (flagged past half).
rig_time_table() {
	local t0=$1 tsetup=$2 tboot=$3 boot=${RIG_BOOTS_SECS:-0} sum=0 name secs share
	echo "# time: where this run's time went (seconds)"
	printf '# time:   %-52s %5d\n' "host set-up (tool packages, headers, images)" $((tsetup - t0))
	printf '# time:   %-52s %5d\n' "host builds, lint, tool test, package" $((tboot - tsetup))
	[ "${RIG_WAITED_ALL:-0}" -gt 0 ] &&
		printf '# time:   %-52s %5d\n' "waiting for another rig on this machine" "$RIG_WAITED_ALL"
	while read -r name secs; do
		[ -n "$secs" ] || continue
		printf '# time:   %-52s %5d\n' "${name//_/ }" "$secs"
		sum=$((sum + secs))
	done <<<"$RIG_UP_ROWS"
	while read -r name secs; do
		[ -n "$secs" ] || continue
		printf '# time:   %-52s %5d\n' "$name" "$secs"
		sum=$((sum + secs))
	done <"$RES/script-times" 2>/dev/null
	if [ -n "$(rig_where)" ]; then
		printf '# time:   %-52s %5d (stopped)\n' "${RIG_RUNNING%% *}" $((RIG_END - RIG_RUNNING_SINCE))
		sum=$((sum + RIG_END - RIG_RUNNING_SINCE))
	fi
	[ "$boot" -gt "$sum" ] &&
		printf '# time:   %-52s %5d\n' "between scripts, shutdown" $((boot - sum))
	share=$((boot * 100 / RIG_TIMEOUT))
	printf '# time:   %-52s %5d = %d %% of its limit of %d s\n' "rig boots in all" "$boot" "$share" "$RIG_TIMEOUT"
	printf '# time:   %-52s %5d\n' "whole run" $((RIG_END - t0))
	if [ "$share" -gt 50 ]; then
		echo "# time: WARNING: the suite used more than half of its limit; trim it or move repetitions to a longer lane"
	fi
}

rig_keep_logs() {
	echo "# rig: logs kept in $OUT:"
	echo "#   Xen + dom0 serial console: $OUT/serial.log"
	ls "$RES"/*.log 2>/dev/null | sed 's/^/#   /'
	echo "# rig: last lines of the serial console:"
	tail -n 25 "$OUT/serial.log" 2>/dev/null | sed 's/^/#   /'
}
