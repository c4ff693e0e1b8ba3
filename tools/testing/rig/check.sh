#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build and lint our modules for
# both supported kernels, build (or reuse) the rig images, boot Xen +
# dom0 under QEMU once and run the selftests there. Prints KTAP and
# ends with "N passed, N failed". Exit status 0 only when the suite
# completed and nothing failed.
#
# Environment:
#   TESTS="word ..."   run only selftest scripts whose names contain a word
#   XNET_BREAK=1       add a deliberately failing scenario (shows the
#                      suite can go red)
#   XNET_OUT=DIR       where logs and the share go (default out/)
#   XNET_CACHE=DIR     image cache (default /var/cache/xen-netmq)
#   XNET_LANE=full     the longer lane (make check-full): the same
#                      scripts with the longer loops and bigger counts
#   RIG_TIMEOUT=SECS   limit for the whole boot (default 2400; 5400 for
#                      the full lane)
set -uo pipefail
T0=$(date +%s)
XNET_LANE=${XNET_LANE:-check}
case "$XNET_LANE" in
check)	RIG_TIMEOUT=${RIG_TIMEOUT:-2400} ;;
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

booted=0
if ! rig_build; then
	echo "not ok $(( $(grep -cE '^(not )?ok ' "$K") + 1 )) build for the rig kernel" | tee -a "$K"
else
	rig_share
	T_BOOT=$(date +%s)
	booted=1
	if ! rig_boot; then
		echo "not ok $(( $(grep -cE '^(not )?ok ' "$K") + 1 )) rig: suite completed (token written by dom0)" | tee -a "$K"
	fi
fi

pass=$(grep -cE '^ok ' "$K")
fail=$(grep -cE '^not ok ' "$K")
skip=$(grep -cE '^ok .*# SKIP' "$K")
if [ "$fail" -ne 0 ] && [ "$booted" = 1 ] && [ -z "$RIG_WHY" ]; then
	rig_keep_logs
fi
echo "# results in $K"
[ "$booted" = 1 ] && rig_time_table "$T0" "$T_SETUP" "$T_BOOT"
summary="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && summary="$((pass - skip)) passed, $fail failed, $skip skipped"
# A boot that did not finish says why on the last line.
[ "$booted" = 1 ] && [ -n "$RIG_WHY" ] && summary="$summary; the rig $RIG_WHY$(rig_where)"
echo "$summary"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && [ -f "$RES/token" ]
