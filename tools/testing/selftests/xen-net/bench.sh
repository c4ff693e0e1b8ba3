#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark (make bench), run in dom0. Not a pass/fail test: it
# prints a table of iperf3 throughput, ours against the in-tree driver,
# measured in the same boot with alternating runs, and the median of
# BENCH_RUNS runs of BENCH_SECS seconds for each cell.
#
#   netback table:  our netback vs the in-tree one, in-tree netfront.
#                   The backend module is swapped between runs, so each
#                   run boots a fresh domU.
#   netfront table: our netfront vs the in-tree one, in-tree netback.
#                   Two domUs run side by side and take turns.
#
# iperf3 uses as many streams as there are queues. "guest-rx" is
# dom0 -> domU, "guest-tx" is domU -> dom0.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECS:-5}
QUEUES=${BENCH_QUEUES:-"1 2 4"}
OUTF=/host/results/bench.txt
LOG=/host/results/bench.log
DATA=/tmp/bench.data
: >"$DATA"
: >"$LOG"

note() { echo "$*" >>"$LOG"; }

# record SIDE Q DIR IMPL VALUE
record() { echo "$1 $2 $3 $4 $5" >>"$DATA"; note "$*"; }

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# one netback run: load IMPL, boot a domU, measure both directions.
netback_run() {
	local impl=$1 q=$2 dir r
	if ! netback_use "$impl" max_queues="$q" 2>>"$LOG" ||
	   ! domu_create bench vcpus=4 front=intree fq="$q" idx=1 2>>"$LOG"; then
		note "netback $impl q=$q: set-up failed"
		domus_destroy_all >/dev/null 2>&1
		return
	fi
	for dir in rx tx; do
		r=$(iperf bench 1 "$q" "$dir" "$SECS" 2>>"$LOG") && record netback "$q" "$dir" "$impl" "$r"
	done
	domu_destroy bench >/dev/null 2>&1
}

for q in $QUEUES; do
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
		for impl in $order; do
			netback_run "$impl" "$q"
		done
	done
done

for q in $QUEUES; do
	netback_use intree max_queues="$q" 2>>"$LOG"
	ok_ours=0
	ok_intree=0
	domu_create bours vcpus=4 front=ours fq="$q" idx=1 2>>"$LOG" &&
		wait_for "ping over our netfront" 20 ping_ok bours 1 && ok_ours=1
	domu_create bintree vcpus=4 front=intree fq="$q" idx=2 2>>"$LOG" && ok_intree=1
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
		for dir in rx tx; do
			for impl in $order; do
				if [ "$impl" = ours ]; then
					[ $ok_ours = 1 ] || continue
					r=$(iperf bours 1 "$q" "$dir" "$SECS" 2>>"$LOG") &&
						record netfront "$q" "$dir" ours "$r"
				else
					[ $ok_intree = 1 ] || continue
					r=$(iperf bintree 2 "$q" "$dir" "$SECS" 2>>"$LOG") &&
						record netfront "$q" "$dir" intree "$r"
				fi
			done
		done
	done
	domus_destroy_all >/dev/null 2>&1
done

{
	echo "iperf3 throughput, Mbit/s, median of $RUNS alternating runs of ${SECS}s"
	echo "(Xen 4.17 under QEMU TCG, 2 emulated CPUs; streams = queues)"
	echo
	printf '%-9s %6s %-9s %10s %10s %7s\n' driver queues direction ours in-tree ratio
	for side in netback netfront; do
		for q in $QUEUES; do
			for dir in rx tx; do
				o=$(awk -v s=$side -v q="$q" -v d=$dir '$1 == s && $2 == q && $3 == d && $4 == "ours" { print $5 }' "$DATA" | median)
				i=$(awk -v s=$side -v q="$q" -v d=$dir '$1 == s && $2 == q && $3 == d && $4 == "intree" { print $5 }' "$DATA" | median)
				ratio=$(awk -v o="$o" -v i="$i" 'BEGIN { if (o == "-" || i == "-" || i == 0) print "-"; else printf "%.2f", o / i }')
				printf '%-9s %6s %-9s %10s %10s %7s\n' "$side" "$q" "guest-$dir" "$o" "$i" "$ratio"
			done
		done
	done
	echo
	echo "A '-' means no run of that driver completed; see bench.log."
} >"$OUTF"
cat "$OUTF"
