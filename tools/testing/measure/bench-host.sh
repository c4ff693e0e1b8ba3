#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: iperf3 throughput of our drivers against the in-tree ones
# in one rig boot, alternating runs, medians (BENCH_RUNS runs of
# BENCH_SECS seconds each, default 3 x 5 s). Prints the table from
# selftests/xen-net/bench.sh. Not a pass/fail test.
set -uo pipefail
# The measurement has its own limit (RIG_TIMEOUT, default 5400 s);
# read it before rig-lib.sh sets the suite's.
BENCH_TIMEOUT=${RIG_TIMEOUT:-5400}
. "$(dirname "$0")/rig-lib.sh"

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
XNET_MODE=bench rig_share
echo "# bench: booting Xen under QEMU; progress in $RES/bench.log"
RIG_TIMEOUT=$BENCH_TIMEOUT rig_boot >/dev/null
rc=$?
if [ -f "$RES/bench.txt" ]; then
	cat "$RES/bench.txt"
else
	echo "bench: no table was produced; the runs that completed:"
	grep -E '^(netback|netfront|pair|xdp) [0-9]+ (rx|tx) (ours|intree) [0-9.]+$' \
		"$RES/bench.log" 2>/dev/null
	rig_keep_logs
	exit 1
fi
exit $rc
