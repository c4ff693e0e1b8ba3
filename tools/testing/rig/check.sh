#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build and lint our modules for
# both supported kernels, build (or reuse) the rig images of both, boot
# Xen + dom0 under QEMU with the rig's kernel (Debian 12's) and run the
# selftests there, then boot again with the second kernel
# (bookworm-backports') as dom0 for its scripts (NN-bpo-*.sh). Prints
# KTAP, the time table and ends with "N passed, N failed". Exit status
# 0 only when every boot completed and nothing failed.
#
# Environment:
#   TESTS="word ..."   run only selftest scripts whose names contain a word
#   XNET_BREAK=1       add a deliberately failing scenario (shows the
#                      suite can go red)
#   XNET_OUT=DIR       where logs and the share go (default out/)
#   XNET_CACHE=DIR     image cache (default /var/cache/xen-netmq)
#   XNET_LANE=full     the longer lane (make check-full): the same
#                      scripts with the longer loops and bigger counts
#   RIG_TIMEOUT=SECS   limit for the whole boot (default 3600; 5400 for
#                      the full lane)
set -uo pipefail
T0=$(date +%s)
XNET_LANE=${XNET_LANE:-check}
case "$XNET_LANE" in
check)	RIG_TIMEOUT=${RIG_TIMEOUT:-3600} ;;
full)	RIG_TIMEOUT=${RIG_TIMEOUT:-5400} ;;
*)	echo "check.sh: XNET_LANE is check or full, not '$XNET_LANE'" >&2; exit 2 ;;
esac
export XNET_LANE
. "$(dirname "$0")/rig-lib.sh"

mkdir -p "$OUT"
rig_setup || { echo "not ok 1 rig set-up"; echo "0 passed, 1 failed"; exit 1; }
T_SETUP=$(date +%s)

rm -rf "$RES" "$OUT/serial.log"
mkdir -p "$RES"
K=$RES/ktap
echo "KTAP version 1" | tee "$K"

host_test() {
	local name=$1 n
	shift
	n=$(( $(grep -cE '^(not )?ok ' "$K") + 1 ))
	if "$@" >"$OUT/host-test.log" 2>&1; then
		echo "ok $n $name" | tee -a "$K"
	else
		sed 's/^/# /' "$OUT/host-test.log" | tail -n 30 | tee -a "$K"
		echo "not ok $n $name" | tee -a "$K"
	fi
}

# build_clean KDIR: W=1 + sparse build with no compiler or sparse output.
build_clean() {
	make -C "$REPO" KDIR="$1" clean >/dev/null 2>&1
	make -C "$REPO" KDIR="$1" W=1 C=2 -j"$(nproc)" modules >"$OUT/build.log" 2>&1 || {
		cat "$OUT/build.log"
		return 1
	}
	! grep -E 'warning:|error:' "$OUT/build.log"
}

if [ -n "${BPO_KDIR:-}" ]; then
	host_test "build: ${BPO_KDIR##*/} W=1 C=2 warning-free" build_clean "$BPO_KDIR"
fi
host_test "build: ${RIG_KDIR##*/} W=1 C=2 warning-free" build_clean "$RIG_KDIR"
host_test "style: checkpatch --strict clean" "$RIG_DIR/checkpatch.sh"
host_test "tools: xen-vifctl against stub xl/xenstore" "$REPO/tools/testing/vifctl/test.sh"
# The packages 80-package.sh installs in dom0 (rig_share copies them).
rm -rf "$OUT/deb"
host_test "package: make deb builds xen-netmq-dkms and xen-netmq-tools, lintian clean" \
	make -C "$REPO" deb DEB_OUT="$OUT/deb"

# The scripts of each boot: the rig's kernel as dom0 runs every script
# but the second kernel's (NN-bpo-*.sh), which need that kernel as
# dom0; their boot starts with the harness. TESTS picks by name.
picked() {
	local t w
	for t in $(cd "$SELFTESTS" && ls [0-9][0-9]-*.sh); do
		if [ -n "${TESTS:-}" ]; then
			for w in $TESTS; do
				[[ "$t" == *"$w"* ]] && break
			done
			[[ "$t" == *"$w"* ]] || continue
		fi
		echo "$t"
	done
}
RIG_SCRIPTS=$(picked | grep -v -- '-bpo-' | tr '\n' ' ')
BPO_SCRIPTS=$(picked | grep -- '-bpo-' | tr '\n' ' ')
[ -n "$BPO_SCRIPTS" ] && BPO_SCRIPTS="00-harness.sh $BPO_SCRIPTS"

# boot_suite rig|bpo SCRIPTS: one boot; a failed boot is a failed test.
booted=0 all_done=1
boot_suite() {
	local left
	XNET_SCRIPTS=$2 rig_share "$1"
	booted=1
	# The boots share the run's limit.
	left=$((RIG_TIMEOUT - ${RIG_BOOTS_SECS:-0}))
	if ! RIG_TIMEOUT=$left rig_boot; then
		RIG_WHY="${RIG_WHY/limit of ${left}s/limit of ${RIG_TIMEOUT}s}"
		echo "not ok $(( $(grep -cE '^(not )?ok ' "$K") + 1 )) rig: suite completed on $(rig_boot_abi) (token written by dom0)" | tee -a "$K"
		all_done=0
		return 1
	fi
}

T_BOOT=$(date +%s)
if ! rig_build; then
	echo "not ok $(( $(grep -cE '^(not )?ok ' "$K") + 1 )) build for the rig kernels" | tee -a "$K"
	all_done=0
else
	T_BOOT=$(date +%s)
	if [ -n "$BPO_SCRIPTS" ] && [ -z "$IMAGES_BPO" ]; then
		echo "not ok $(( $(grep -cE '^(not )?ok ' "$K") + 1 )) the second kernel (bookworm-backports) is available" | tee -a "$K"
		all_done=0
		BPO_SCRIPTS=""
	fi
	ok=1
	[ -n "$RIG_SCRIPTS" ] && { boot_suite rig "$RIG_SCRIPTS" || ok=0; }
	if [ "$ok" = 1 ] && [ -n "$BPO_SCRIPTS" ]; then
		boot_suite bpo "$BPO_SCRIPTS"
	fi
fi

pass=$(grep -cE '^ok ' "$K")
fail=$(grep -cE '^not ok ' "$K")
skip=$(grep -cE '^ok .*# SKIP' "$K")
if [ "$fail" -ne 0 ] && [ "$booted" = 1 ] && [ -z "${RIG_WHY:-}" ]; then
	rig_keep_logs
fi
echo "# results in $K"
[ "$booted" = 1 ] && rig_time_table "$T0" "$T_SETUP" "$T_BOOT"
summary="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$((pass - skip)) passed, $fail failed, $skip skipped"
# A boot that did not finish says why on the last line.
[ "$booted" = 1 ] && [ -n "${RIG_WHY:-}" ] &&
	summary="$summary; the rig ($(rig_boot_abi)) $RIG_WHY$(rig_where)"
echo "$summary"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && [ "$booted" = 1 ] && [ "$all_done" = 1 ]
