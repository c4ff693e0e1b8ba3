#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The entry point of every mode of the rig: rig/run-mode.sh MODE [ARG]
# (make check, check-full, demo, bench and hostile-report call it).
# MODE is a line of tools/testing/modes. When the line names a host
# script, that script runs (check.sh for the suite, measure/*-host.sh
# for the measurements that need more than one boot and a report);
# otherwise this one does the mode: one boot that runs the mode's dom0
# script, then the report it left in results/ is printed (demo:
# demo.txt; script: suite.log). The exit status is the boot's: 0 when
# dom0 finished and wrote the completion token, 1 when not (or when no
# report was produced).
#
#   tools/testing/rig/run-mode.sh demo
#   tools/testing/rig/run-mode.sh script FILE   run FILE in dom0 instead
#                                               of a suite (a developer
#                                               aid; FILE may source
#                                               /host/selftests/xen-net/lib.sh)
#
# Environment: RIG_TIMEOUT=SECS overrides the table's limit; XNET_OUT,
# XNET_CACHE, and the settings rig-lib.sh passes into dom0
# (RIG_SETTINGS) are read as for make check (see check.sh).
set -uo pipefail
. "$(dirname "$0")/rig-lib.sh"
[ -n "${1:-}" ] || { echo "usage: run-mode.sh MODE [FILE]" >&2; exit 2; }
rig_mode "$1" || exit 2
shift
if [ "$RIG_HOST" != - ]; then
	exec "$TESTING/$RIG_HOST" "$@"
fi
if [ "$XNET_MODE" = script ]; then
	[ -f "${1:-}" ] || { echo "usage: run-mode.sh script FILE" >&2; exit 2; }
	XNET_SCRIPT=$(realpath "$1")
	export XNET_SCRIPT
fi

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
rig_share
echo "# $XNET_MODE: booting Xen under QEMU (a few minutes under emulation)"
rig_boot >/dev/null
rc=$?
if [ -f "$RES/$RIG_REPORT" ]; then
	cat "$RES/$RIG_REPORT"
else
	echo "$XNET_MODE: no report was produced"
	rig_keep_logs
	exit 1
fi
exit $rc
