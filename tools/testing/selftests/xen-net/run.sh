#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Selftest runner, run in the rig's dom0 by rig/dom0-boot.sh.
#
# Runs every NN-*.sh script of this directory in order (or those whose
# names match a word of $TESTS), each in its own bash, with a time limit
# per script. Appends KTAP lines to $XT_RESULTS (the host wrote the
# header and its own build checks first), and after each script checks
# dom0's kernel log for oops/WARN/BUG output. Ends with the plan line.
#
# XNET_MODE=check (default) runs the suite; demo and bench run demo.sh
# or bench.sh instead; script runs /host/script.sh (rig/run-script.sh).
cd "$(dirname "$0")" || exit 1
. ./lib.sh

SCRIPT_LIMIT=${SCRIPT_LIMIT:-1500}

case "${XNET_MODE:-check}" in
demo)	exec bash ./demo.sh ;;
bench)	exec bash ./bench.sh ;;
hostile) exec bash ./hostile-report.sh ;;
script)	exec bash /host/script.sh ;;
esac

selected() {
	local t=$1 w
	[ -z "${TESTS:-}" ] && return 0
	for w in $TESTS; do
		[[ "$t" == *"$w"* ]] && return 0
	done
	return 1
}

# Scripts of work still in progress (none now): not part of the default
# suite until they pass in it; run them by name with TESTS=.
PENDING=${PENDING-""}

# The host names the scripts of this boot (XNET_SCRIPTS): those of the
# second kernel's boot (NN-bpo-*.sh) need it as dom0. Without a list,
# every script that runs on the rig's kernel.
if [ -n "${XNET_SCRIPTS:-}" ]; then
	scripts=$XNET_SCRIPTS
else
	scripts=$(ls [0-9][0-9]-*.sh | grep -v -- '-bpo-')
fi
# In the second kernel's boot every result names dom0's kernel.
if [ "${XNET_BOOT:-rig}" = bpo ]; then
	export XT_TAG="dom0 $(uname -r): "
	at="@$(uname -r)"
fi
if [ -z "${TESTS:-}" ]; then
	for p in $PENDING; do
		scripts=$(echo "$scripts" | grep -v "^$p")
		xt_diag "not in the default suite yet (in progress): $p"
	done
fi
[ "${XNET_BREAK:-0}" = 1 ] && scripts="$scripts broken.sh"

# For the host's time table: the script running now, and each one's
# seconds once it ended (appended: a run may have two boots).
RUNDIR=${XT_RESULTS%/*}

for t in $scripts; do
	selected "$t" || continue
	xt_diag "---- $t"
	echo "$t${at:-}" >"$RUNDIR/running"
	dom0_log_mark
	before=$(xt_count)
	t0=$(date +%s)
	timeout --kill-after=10 "$SCRIPT_LIMIT" bash "./$t"
	rc=$?
	xt_diag "$t took $(( $(date +%s) - t0 ))s"
	echo "$t${at:-} $(( $(date +%s) - t0 ))" >>"$RUNDIR/script-times"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		xt_fail "$t finished within ${SCRIPT_LIMIT}s" "timed out"
	elif [ "$(xt_count)" -eq "$before" ]; then
		xt_fail "$t reported results" "script exited $rc without a result"
	fi
	bad=$(dom0_log_bad)
	if [ -n "$bad" ]; then
		xt_fail "$t: dom0 kernel log has no oops or warning" "$(echo "$bad" | head -n 20)"
	else
		xt_pass "$t: dom0 kernel log has no oops or warning"
	fi
	domus_destroy_all >/dev/null 2>&1
done

echo "1..$(xt_count)" | tee -a "$XT_RESULTS"
