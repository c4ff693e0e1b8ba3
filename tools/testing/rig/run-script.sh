#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Developer aid: boot the rig and run one shell script in dom0 instead
# of the suite (the mode "script" of tools/testing/modes). The script
# may source /host/selftests/xen-net/lib.sh for the helpers
# (netback_use, domu_create, domu_exec, ...). Its output is in
# OUT/share/results/suite.log, printed at the end.
#
#   tools/testing/rig/run-script.sh my-probe.sh
#
# Use a separate XNET_OUT (and ideally a separate clone) when another
# rig may be running from the same tree.
[ -f "${1:-}" ] || { echo "usage: run-script.sh FILE" >&2; exit 2; }
exec "$(dirname "$0")/run-mode.sh" script "$1"
