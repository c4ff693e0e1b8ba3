#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench (host side; rig/run-mode.sh bench): iperf3 throughput of
# our drivers against the in-tree ones in one rig boot, alternating
# runs, medians (BENCH_RUNS runs of BENCH_SECS seconds each, default
# 3 x 5 s). Prints the table measure/bench.sh writes in dom0
# (results/bench.txt), or the runs that completed when there is none.
# Not a pass/fail test.
set -uo pipefail
. "$(dirname "$0")/../rig/rig-lib.sh"
rig_mode bench || exit 2
# The scale row's 16 guests of BENCH_SCALE_MEM MB beside dom0's 1536 MB.
export RIG_MEM=${RIG_MEM:-4608}

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
rig_share
echo "# bench: booting Xen under QEMU; progress in $RES/bench.log"
rig_boot >/dev/null
rc=$?
if [ -f "$RES/$RIG_REPORT" ]; then
	cat "$RES/$RIG_REPORT"
else
	echo "bench: no table was produced; the runs that completed:"
	grep -E '^(netback|netfront|pair|xdp|udp64|udp1400|rr50|rr99|scale|rft) [0-9]+ (rx|tx|rr|mem|connect) (ours|intree|on|off) [0-9.]+( [0-9.-]+)*$' \
		"$RES/bench.log" 2>/dev/null
	rig_keep_logs
	exit 1
fi
exit $rc
