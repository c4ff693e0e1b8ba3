#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Developer aid: boot the rig and run one shell script in dom0 instead
# of the suite. The script may source /host/selftests/lib.sh for the
# helpers (netback_use, domu_create, domu_exec, ...). Its output is in
# OUT/share/results/suite.log, printed at the end.
#
#   tools/testing/rig/run-script.sh my-probe.sh
#
# Use a separate XNET_OUT (and ideally a separate clone) when another
# rig may be running from the same tree.
set -uo pipefail
[ -f "${1:-}" ] || { echo "usage: run-script.sh FILE" >&2; exit 2; }
XNET_SCRIPT=$(realpath "$1")
export XNET_SCRIPT
. "$(dirname "$0")/rig-lib.sh"
mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
XNET_MODE=script rig_share
rig_boot >/dev/null
rc=$?
cat "$RES/suite.log" 2>/dev/null
exit $rc
