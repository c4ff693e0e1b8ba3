#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make hostile-report (host side; rig/run-mode.sh hostile-report):
# every hostile-peer case (tools/testing/hostile) against the in-tree
# drivers and ours, in the rig. Prints the table from
# measure/hostile-report.sh (results/hostile.txt). Not a pass/fail test.
#
# When a case takes dom0 down, the case is recorded as a crash (its
# serial console kept as serial.log.N) and the rig boots again to run
# the cases that are left, at most HOSTILE_BOOTS (4) times.
# HOSTILE_RESUME=1 continues an interrupted run (keeps its rows).
set -uo pipefail
# Each boot has its own limit (RIG_TIMEOUT, default the table's).
. "$(dirname "$0")/../rig/rig-lib.sh"
rig_mode hostile-report || exit 2

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
# HOSTILE_RESUME=1 keeps the rows of an earlier, interrupted run.
if [ "${HOSTILE_RESUME:-0}" = 1 ] && [ -f "$RES/hostile-progress" ]; then
	mv "$RES/hostile-progress" "$OUT/hostile-progress.keep"
	rm -rf "$RES"
	mkdir -p "$RES"
	mv "$OUT/hostile-progress.keep" "$RES/hostile-progress"
else
	rm -rf "$RES"
	mkdir -p "$RES"
fi
boots=${HOSTILE_BOOTS:-4}
rc=1
for ((b = 1; b <= boots; b++)); do
	rm -f "$RES/token"
	rig_share
	echo "# hostile-report: boot $b, progress in $RES/hostile.log"
	rig_boot >/dev/null
	rc=$?
	[ -f "$RES/$RIG_REPORT" ] && break
	last=$(awk -F'|' '$1 == "start" { s = $2 "|" $3 "|" $4 }
		$1 == "row" && s == $2 "|" $3 "|" $4 { s = "" } END { print s }' \
		"$RES/hostile-progress" 2>/dev/null)
	if [ -z "$last" ]; then
		echo "# hostile-report: the rig failed outside any case"
		break
	fi
	cp "$OUT/serial.log" "$OUT/serial.log.$b"
	# Only a crash on the console is the case's doing; a QEMU stopped
	# from outside just runs the case again on the next boot.
	if grep -qE "$CRASH_RE" "$OUT/serial.log"; then
		echo "row|$last|CRASH: dom0 or Xen went down during this case (serial.log.$b)|crash" \
			>>"$RES/hostile-progress"
		echo "# hostile-report: $last took the rig down; booting again"
	else
		echo "# hostile-report: the rig stopped during $last without a crash on the console; booting again"
	fi
done
if [ -f "$RES/$RIG_REPORT" ]; then
	cat "$RES/$RIG_REPORT"
else
	echo "hostile-report: no table was produced"
	rig_keep_logs
	exit 1
fi
exit $rc
