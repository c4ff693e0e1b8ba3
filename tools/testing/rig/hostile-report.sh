#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make hostile-report: every hostile-peer case (tools/testing/hostile)
# against the in-tree drivers and ours, in the rig. Prints the table
# from selftests/xen-net/hostile-report.sh (results/hostile.txt). Not a
# pass/fail test.
#
# When a case takes dom0 down, the case is recorded as a crash (its
# serial console kept as serial.log.N) and the rig boots again to run
# the cases that are left, at most HOSTILE_BOOTS (4) times.
set -uo pipefail
. "$(dirname "$0")/rig-lib.sh"

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
mkdir -p "$RES"
boots=${HOSTILE_BOOTS:-4}
rc=1
for ((b = 1; b <= boots; b++)); do
	rm -f "$RES/token"
	XNET_MODE=hostile rig_share
	echo "# hostile-report: boot $b, progress in $RES/hostile.log"
	RIG_TIMEOUT=${RIG_TIMEOUT:-5400} rig_boot >/dev/null
	rc=$?
	[ -f "$RES/hostile.txt" ] && break
	last=$(awk -F'|' '$1 == "start" { s = $2 "|" $3 "|" $4 }
		$1 == "row" && s == $2 "|" $3 "|" $4 { s = "" } END { print s }' \
		"$RES/hostile-progress" 2>/dev/null)
	if [ -z "$last" ]; then
		echo "# hostile-report: the rig failed outside any case"
		break
	fi
	cp "$OUT/serial.log" "$OUT/serial.log.$b"
	echo "row|$last|CRASH: the rig went down during this case (serial.log.$b)|dom0 crashed" \
		>>"$RES/hostile-progress"
	echo "# hostile-report: $last took the rig down; booting again"
done
if [ -f "$RES/hostile.txt" ]; then
	cat "$RES/hostile.txt"
else
	echo "hostile-report: no table was produced"
	rig_keep_logs
	exit 1
fi
exit $rc
