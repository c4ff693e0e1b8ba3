#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make hostile-report, run in dom0: every hostile-peer case against the
# in-tree drivers and ours, one table in /host/results/hostile.txt:
#
#   netback:  rogue-front (domU) against the in-tree netback and ours,
#             a bystander guest running iperf3 meanwhile;
#   netfront: rogue-back (dom0, netback unloaded) against the in-tree
#             netfront and ours.
#
# Each side also gets the seeded fuzzer (rogue-front/rogue-back
# --fuzz), one row per seed of HB_FUZZ_SEEDS ("1 2", HB_FUZZ_COUNT 1000
# frames each): against netback after the cases, against netfront on
# the fresh victim before them, as 60-hostile.sh runs it.
#
# A measurement, not a pass/fail test. Each cell is the attacked
# driver's reaction; "!!" adds what no driver may do (crash, WARN,
# memory growth, bystander traffic failing, a removal that hangs).
#
# Progress is kept in /host/results/hostile-progress ("start" before a
# case, "row" after it). A case that takes dom0 down leaves a "start"
# without its "row": the host wrapper records it as a crash and boots
# again, and this script skips every case that already has a row.
cd "$(dirname "$0")" || exit 1
# The report observes each case as long as check-full does.
HB_SECS=${HB_SECS:-4}
. ../hostile/hostile-lib.sh
OUTF=/host/results/hostile.txt
HB_LOG=/host/results/hostile.log
PROG=/host/results/hostile-progress
touch "$PROG" "$HB_LOG"
# The cases come from the peers' tables (rogue-front/rogue-back --list).
if [ -z "$HB_FRONT_CASES" ] || [ -z "$HB_BACK_CASES" ]; then
	echo "hostile-report: no case list from $ROGUE_FRONT --list or $ROGUE_BACK --list" | tee "$OUTF"
	exit 1
fi

hb_done() { grep -q "^row|$1|$2|$3|" "$PROG"; }

# The fuzz rows, one a seed (fuzz-SEED), unless HB_FUZZ_SEEDS is none
# or HB_ONLY leaves "fuzz" out.
HB_FUZZ_ROWS=
if [ "$HB_FUZZ_SEEDS" != none ] && hb_selected fuzz; then
	for seed in $HB_FUZZ_SEEDS; do
		HB_FUZZ_ROWS="$HB_FUZZ_ROWS fuzz-$seed:fuzz"
	done
fi

# hb_todo SIDE IMPL CASES: some case of the list still lacks a row.
hb_todo() {
	local c
	for c in $3; do
		hb_selected "${c%%:*}" || continue
		hb_done "$1" "$2" "${c%%:*}" || return 0
	done
	for c in $HB_FUZZ_ROWS; do
		hb_done "$1" "$2" "${c%%:*}" || return 0
	done
	return 1
}

hb_row() {
	local bad=$5
	echo "row|$1|$2|$3|$4|$bad" >>"$PROG"
	sync
}

# hb_one SIDE IMPL NAME CMD...: one row: CMD (which leaves HB_LINE,
# HB_REACT and HB_BAD) between the progress marks, its stderr and
# RESULT line in the log.
hb_one() {
	local side=$1 impl=$2 name=$3
	shift 3
	echo "start|$side|$impl|$name" >>"$PROG"
	sync
	"$@" 2>>"$HB_LOG"
	echo "$side $impl $name: $HB_LINE" >>"$HB_LOG"
	hb_row "$side" "$impl" "$name" "$HB_REACT" "$HB_BAD"
}

# hb_set_up_failed SIDE IMPL CASES: a row for each case (and fuzz row)
# still without one.
hb_set_up_failed() {
	local c
	for c in $3 $HB_FUZZ_ROWS; do
		hb_done "$1" "$2" "${c%%:*}" || hb_row "$1" "$2" "${c%%:*}" "set-up failed" ""
	done
	domus_destroy_all >/dev/null 2>&1
}

# hb_fresh_victim IMPL: rogue-back's victim guest destroyed and booted
# again with the netfront IMPL.
hb_fresh_victim() {
	domu_destroy hvict >/dev/null 2>&1
	kill "$HB_IDLE" 2>/dev/null
	hb_back_victim "$1" 2>>"$HB_LOG"
}

# hb_side_fuzz SIDE IMPL: the fuzz rows of one side that lack a row.
hb_side_fuzz() {
	local side=$1 impl=$2 c name peer=front
	[ "$side" = netfront ] && peer=back
	for c in $HB_FUZZ_ROWS; do
		name=${c%%:*}
		hb_done "$side" "$impl" "$name" && continue
		hb_one "$side" "$impl" "$name" hb_fuzz "$peer" "${name#fuzz-}" "$HB_FUZZ_COUNT"
		# A netfront that hung may hold the guest's xenbus (the
		# in-tree one's removal waits for it): the next seed and the
		# cases get a fresh victim.
		if [ "$side" = netfront ] && [ "$(hb_kv "$HB_LINE" hang)" != 0 ]; then
			hb_fresh_victim "$impl" ||
				echo "$side $impl: no fresh victim after $name" >>"$HB_LOG"
		fi
	done
}

# One side (netback or netfront) for one implementation.
hb_side() {
	local side=$1 impl=$2 cases c name
	if [ "$side" = netback ]; then cases=$HB_FRONT_CASES; else cases=$HB_BACK_CASES; fi
	hb_todo "$side" "$impl" "$cases" || return 0
	echo "# $side $impl" >>"$HB_LOG"
	if [ "$side" = netback ]; then
		# Our netback revives a vif on reconnection, so one vif serves
		# case after case; the in-tree one keeps a vif disabled for
		# good, so each case gets a fresh vif.
		if [ "$impl" = ours ]; then HB_FRESH=0; else HB_FRESH=1; fi
		if ! hb_front_setup "$impl" 2>>"$HB_LOG"; then
			hb_set_up_failed "$side" "$impl" "$cases"
			return
		fi
	elif ! hb_no_netback || ! hb_back_victim "$impl" 2>>"$HB_LOG"; then
		hb_set_up_failed "$side" "$impl" "$cases"
		return
	else
		# As in 60-hostile.sh, the fuzzer meets a fresh netfront.
		hb_side_fuzz "$side" "$impl"
	fi
	for c in $cases; do
		name=${c%%:*}
		hb_selected "$name" || continue
		hb_done "$side" "$impl" "$name" && continue
		if [ "$side" = netback ]; then
			hb_one "$side" "$impl" "$name" hb_front_case "$name" "${c#*:}"
		else
			# A crashed victim is replaced before the next case.
			domu_alive hvict || hb_fresh_victim "$impl"
			hb_one "$side" "$impl" "$name" hb_back_case "$name" "${c#*:}"
		fi
	done
	[ "$side" = netback ] && hb_side_fuzz "$side" "$impl"
	if [ "$side" = netback ]; then hb_front_teardown; else hb_back_teardown; fi
	echo "$side $impl: $HB_PHASE_NOTE ${HB_PHASE_BAD:+!! $HB_PHASE_BAD}" >>"$HB_LOG"
	echo "phase|$side|$impl|$HB_PHASE_NOTE|$HB_PHASE_BAD" >>"$PROG"
	domus_destroy_all >/dev/null 2>&1
}

# netfront first: it is the shorter half.
for side in netfront netback; do
	for impl in intree ours; do
		hb_side "$side" "$impl"
	done
done

cell() {
	awk -F'|' -v s="$1" -v i="$2" -v c="$3" '
		$1 == "row" && $2 == s && $3 == i && $4 == c {
			r = $5; if ($6 != "") r = r " !! " $6 }
		END { print (r == "" ? "-" : r) }' "$PROG"
}

{
	echo "Hostile peers: reaction of the in-tree drivers and ours"
	echo "(rogue-front against netback, rogue-back against netfront; see"
	echo "Documentation/hostile.rst. '!!' marks what no driver may do.)"
	for side in netback netfront; do
		echo
		echo "== $side"
		if [ "$side" = netback ]; then cases=$HB_FRONT_CASES; else cases=$HB_BACK_CASES; fi
		for c in $cases $HB_FUZZ_ROWS; do
			name=${c%%:*}
			[[ "$name" == fuzz-* ]] || hb_selected "$name" || continue
			echo "$name"
			echo "    in-tree: $(cell "$side" intree "$name")"
			echo "    ours:    $(cell "$side" ours "$name")"
		done
		awk -F'|' -v s="$side" '$1 == "phase" && $2 == s {
			print "    phase " $3 ": " $4 ($5 != "" ? " !! " $5 : "") }' "$PROG"
	done
} >"$OUTF"
cat "$OUTF"
