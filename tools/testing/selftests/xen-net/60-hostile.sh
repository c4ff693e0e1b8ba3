#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our drivers against hostile peers (tools/testing/hostile):
#   netback: rogue-front in a domU without netfront breaks one rule per
#            case on a fresh vif, while a bystander guest (in-tree
#            netfront) runs iperf3;
#   netfront: rogue-back in dom0 (netback unloaded) breaks one rule per
#            case against our netfront.
# One KTAP line per case: the attacked side stays up (no oops/WARN, no
# crashed guest), memory stays bounded, the bystander's iperf3 keeps
# moving data and the driver reacts the documented way (the expect
# column of the peers' case tables, judged from their RESULT lines and
# what dom0 and the guest show; see Documentation/hostile.rst).
# make check runs the cases of HB_CHECK_FRONT and HB_CHECK_BACK
# (hostile-lib.sh), check-full all of them (check-debug make check's);
# HB_ONLY="word ..." picks cases by name in any lane. HB_SECS (2; 4 in
# check-full) is the length of the timed cases. Then the fuzzer
# (against netfront: before its cases, in check-full, check-debug or
# with HB_ONLY=fuzz only), one KTAP line per seed of HB_FUZZ_SEEDS
# ("1 2"; "1 2 3" in check-full, "1 2 3 4" in check-debug),
# HB_FUZZ_COUNT frames each (1000; 20000; 25000: 100,000 each way in
# check-debug): it must send them all and the
# driver must never stop answering without a named reason (hang=0).
. "$(dirname "$0")/../../hostile/hostile-lib.sh"
HB_LOG=/host/results/hostile-60.log
# One vif serves case after case (rogue-front reconnects at its end); a
# new one is attached only when the backend did not return to InitWait.
HB_FRESH=0
: >"$HB_LOG"

hb_report() {
	local side=$1 name=$2 exp=$3
	xt_diag "$side $name: $HB_LINE"
	xt_diag "$side $name: reaction: $HB_REACT"
	if [ -n "$HB_BAD" ]; then
		xt_fail "hostile $side $name: attacked side stays up, memory bounded" "$HB_BAD"
	elif [ "$HB_EXPECT_OK" != 1 ]; then
		xt_fail "hostile $side $name: reacts as documented ($exp)" "got: $HB_REACT"
	else
		xt_pass "hostile $side $name: $exp"
	fi
}

# hb_fuzz_report SIDE SEED: the KTAP line of one fuzz run (hb_fuzz).
hb_fuzz_report() {
	local side=$1 seed=$2
	xt_diag "$side fuzz seed $seed: $HB_LINE"
	xt_diag "$side fuzz seed $seed: $HB_REACT"
	if [ -n "$HB_BAD" ]; then
		xt_fail "hostile $side fuzz seed $seed: attacked side stays up, memory bounded" "$HB_BAD"
	elif [ "$HB_EXPECT_OK" != 1 ]; then
		xt_fail "hostile $side fuzz seed $seed: $HB_FUZZ_COUNT frames, no hang" "got: $HB_REACT"
	else
		xt_pass "hostile $side fuzz seed $seed: $HB_FUZZ_COUNT frames, no hang"
	fi
}

# hb_fuzz_wanted SIDE: the fuzz runs against SIDE (netback or netfront)
# unless HB_FUZZ_SIDES or HB_ONLY leaves it out (HB_FUZZ_SEEDS and
# HB_FUZZ_COUNT follow the lane); against netfront not in make check's
# lane, for time, unless HB_ONLY asks for it.
hb_fuzz_wanted() {
	[ "$HB_FUZZ_SEEDS" != none ] || return 1
	[[ " ${HB_FUZZ_SIDES:-netback netfront} " == *" $1 "* ]] || return 1
	[ "$1" = netback ] || [ "$XNET_LANE" != check ] || [ -n "${HB_ONLY:-}" ] || return 1
	[ -z "${HB_ONLY:-}" ] || hb_selected fuzz
}

# The cases and the reaction documented for each come from the peers'
# tables (rogue-front --list, rogue-back --list; hostile-lib.sh).
if [ ! -x "$ROGUE_BACK" ] || [ ! -x "$ROGUE_FRONT" ]; then
	xt_fail "hostile: tools built" "$ROGUE_BACK or $ROGUE_FRONT is missing"
	exit 0
fi
if [ -z "$HB_FRONT_CASES" ] || [ -z "$HB_BACK_CASES" ]; then
	xt_fail "hostile: tools built" "rogue-front --list or rogue-back --list printed no case"
	exit 0
fi

# hb_wanted SIDE NAME: the case runs in this lane (see above).
hb_wanted() {
	if [ -n "${HB_ONLY:-}" ]; then
		hb_selected "$2"
	elif [ "$XNET_LANE" = full ]; then
		return 0
	elif [ "$1" = front ]; then
		hb_in_check "$2" "$HB_CHECK_FRONT"
	else
		hb_in_check "$2" "$HB_CHECK_BACK"
	fi
}
unknown="$(hb_check_unknown "$HB_FRONT_CASES" "$HB_CHECK_FRONT") $(hb_check_unknown "$HB_BACK_CASES" "$HB_CHECK_BACK")"
if [ -n "${unknown// /}" ]; then
	xt_fail "hostile: make check's cases are in the peers' tables" "no such case: $unknown"
else
	xt_pass "hostile: make check's cases are in the peers' tables"
fi

# hb_side_wanted SIDE(front|back) FUZZ(netback|netfront): a case of
# SIDE's peer or its fuzzer runs: otherwise (HB_ONLY, HB_FUZZ_SIDES)
# the side is not set up at all.
hb_side_wanted() {
	local c cases=$HB_FRONT_CASES
	[ "$1" = back ] && cases=$HB_BACK_CASES
	for c in $cases; do
		hb_wanted "$1" "${c%%:*}" && return 0
	done
	hb_fuzz_wanted "$2"
}

# ---- our netback under attack -------------------------------------------------
if ! hb_side_wanted front netback; then
	xt_diag "hostile netback: no case and no fuzz run selected"
elif hb_front_setup ours; then
	for c in $HB_FRONT_CASES; do
		name=${c%%:*}
		hb_wanted front "$name" || continue
		hb_front_case "$name" "${c#*:}"
		hb_report netback "$name" "${c#*:}"
	done
	if hb_fuzz_wanted netback; then
		for seed in $HB_FUZZ_SEEDS; do
			hb_fuzz front "$seed" "$HB_FUZZ_COUNT"
			hb_fuzz_report netback "$seed"
		done
	fi
	hb_front_teardown
	xt_diag "$HB_PHASE_NOTE"
	if [ -n "$HB_PHASE_BAD" ]; then
		xt_fail "hostile netback: grants and slab back after the cases" "$HB_PHASE_BAD"
	else
		xt_pass "hostile netback: grants and slab back after the cases"
	fi
else
	xt_fail "hostile netback: our netback, a bystander and a rogue guest start"
fi

# ---- our netfront under attack ------------------------------------------------
if ! hb_side_wanted back netfront; then
	xt_diag "hostile netfront: no case and no fuzz run selected"
elif hb_no_netback && hb_back_victim ours; then
	# The fuzzer against netfront runs on the fresh victim, before the
	# cases, and only in check-full and check-debug (or with
	# HB_ONLY=fuzz), for time.
	# (Run after the cases it once failed: tx-never-complete leaves a
	# vif whose backend stays Closed, and our netfront, loaded again,
	# waited for that backend, so the xenbus core held the load for up
	# to 5 minutes. It now gives such a backend 10 s, and
	# tx-never-complete checks the reload.)
	if hb_fuzz_wanted netfront; then
		for seed in $HB_FUZZ_SEEDS; do
			hb_fuzz back "$seed" "$HB_FUZZ_COUNT"
			hb_fuzz_report netfront "$seed"
		done
	fi
	for c in $HB_BACK_CASES; do
		name=${c%%:*}
		hb_wanted back "$name" || continue
		hb_back_case "$name" "${c#*:}"
		hb_report netfront "$name" "${c#*:}"
	done
	hb_back_teardown
	xt_diag "$HB_PHASE_NOTE"
	if [ -n "$HB_PHASE_BAD" ]; then
		xt_fail "hostile netfront: guest alive, grants released after the cases" "$HB_PHASE_BAD"
	else
		xt_pass "hostile netfront: guest alive, grants released after the cases"
	fi
else
	xt_fail "hostile netfront: a guest with our netfront starts against rogue-back" \
		"$(tail -n 3 /tmp/hb-idle.log 2>/dev/null)"
fi
domus_destroy_all >/dev/null 2>&1
