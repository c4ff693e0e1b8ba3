#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Selftest runner, run in the rig's dom0 by boot/dom0-boot.sh for the
# modes check and check-full (tools/testing/modes), or by hand there
# (make run_tests).
#
# Runs the scripts the host named (XNET_SCRIPTS, in that order; without
# it every NN-*.sh of this directory but the second kernel's
# NN-bpo-*.sh, or those whose names match a word of $TESTS, plus
# broken.sh with XNET_BREAK=1), each in its own bash, with the time
# limit of ./settings per script. Each script is one test of the
# top-level KTAP plan the host wrote first: its results are appended
# to $XT_RESULTS as a nested subtest (indented, with its own plan at
# its end), followed by "ok N SCRIPT" or "not ok N SCRIPT". After each
# script dom0's kernel log is checked for oops/WARN/BUG output (and the
# reports of the debug kernel's checkers, which all match it), and on
# the debug kernel (RIG_KERNEL=debug, make check-debug) kmemleak scans
# dom0 for objects leaked since the last script.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

SCRIPT_LIMIT=${SCRIPT_LIMIT:-$(sed -n 's/^timeout=//p' settings)}
# The debug kernel's checkers make every script slower, and the debug
# lane's counts make 60-hostile (100,000 fuzzed frames each way) and
# 50-both (attach/detach cycles, checkpoints) much longer.
if [ "${XNET_LANE:-check}" = debug ]; then
	SCRIPT_LIMIT=$((SCRIPT_LIMIT * 6))
elif [ "${RIG_KERNEL:-debian}" = debug ]; then
	SCRIPT_LIMIT=$((SCRIPT_LIMIT * 3))
fi

selected() {
	local t=$1 w
	[ -z "${TESTS:-}" ] && return 0
	for w in $TESTS; do
		[[ "$t" == *"$w"* ]] && return 0
	done
	return 1
}

if [ -n "${XNET_SCRIPTS:-}" ]; then
	scripts=$XNET_SCRIPTS
else
	scripts=""
	for t in [0-9][0-9]-*.sh; do
		[[ "$t" == *-bpo-* ]] && continue
		selected "$t" && scripts="$scripts $t"
	done
	[ "${XNET_BREAK:-0}" = 1 ] && scripts="$scripts broken.sh"
	# By hand (make run_tests): the plan is ours to write.
	# shellcheck disable=SC2086
	set -- $scripts
	printf 'KTAP version 1\n1..%d\n' "$#" | tee -a "$XT_RESULTS"
fi
# In the second kernel's boot every result names dom0's kernel.
if [ "${XNET_BOOT:-rig}" = bpo ]; then
	export XT_TAG="dom0 $(uname -r): "
	at="@$(uname -r)"
fi

# For the host's time table: the script running now, and each one's
# seconds once it ended (appended: a run may have two boots).
RUNDIR=${XT_RESULTS%/*}

# top N: the top-level results in the file (the host's group, the
# scripts of an earlier boot, those of this one so far).
top() {
	local n
	n=$(grep -cE '^(not )?ok ' "$XT_RESULTS" 2>/dev/null)
	echo "${n:-0}"
}
failed_subtests() {
	local n
	n=$(grep -cE "^${XT_INDENT}not ok " "$XT_RESULTS" 2>/dev/null)
	echo "${n:-0}"
}

# What leaked before the first script (boot) is not the scripts'.
if [ "${RIG_KERNEL:-debian}" = debug ]; then
	kmemleak_report >"$RUNDIR/kmemleak-boot.log" 2>&1
fi

for t in $scripts; do
	n=$(( $(top) + 1 ))
	printf '%s# Subtest: %s\n%sKTAP version 1\n' "$XT_INDENT" "$t${at:-}" "$XT_INDENT" |
		tee -a "$XT_RESULTS"
	XT_BASE=0
	XT_BASE=$(xt_count)
	export XT_BASE
	fails=$(failed_subtests)
	echo "$t${at:-}" >"$RUNDIR/running"
	dom0_log_mark
	t0=$(date +%s)
	timeout --kill-after=10 "$SCRIPT_LIMIT" bash "./$t"
	rc=$?
	xt_diag "$t took $(( $(date +%s) - t0 ))s"
	echo "$t${at:-} $(( $(date +%s) - t0 ))" >>"$RUNDIR/script-times"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		xt_fail "$t finished within ${SCRIPT_LIMIT}s" "timed out"
	elif [ "$(xt_count)" -eq 0 ]; then
		xt_fail "$t reported results" "script exited $rc without a result"
	fi
	bad=$(dom0_log_bad)
	if [ -n "$bad" ]; then
		xt_fail "$t: dom0 kernel log has no oops or warning" "$(echo "$bad" | head -n 20)"
	else
		xt_pass "$t: dom0 kernel log has no oops or warning"
	fi
	if [ "${RIG_KERNEL:-debian}" = debug ]; then
		if ! leaks=$(kmemleak_report 2>&1); then
			xt_fail "$t: kmemleak finds no leaked object in dom0" "kmemleak did not scan: $leaks"
		elif [ -n "$leaks" ]; then
			echo "$leaks" >>"$RUNDIR/kmemleak.log"
			xt_fail "$t: kmemleak finds no leaked object in dom0" "$(echo "$leaks" | head -n 40)"
		else
			xt_pass "$t: kmemleak finds no leaked object in dom0"
		fi
	fi
	domus_destroy_all >/dev/null 2>&1
	echo "${XT_INDENT}1..$(xt_count)" | tee -a "$XT_RESULTS"
	if [ "$(failed_subtests)" -eq "$fails" ]; then
		echo "ok $n $t${at:-}"
	else
		echo "not ok $n $t${at:-}"
	fi | tee -a "$XT_RESULTS"
done
