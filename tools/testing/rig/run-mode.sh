#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the rig with our drivers on both sides (4 queues, a
# 4-vcpu domU), run iperf3 with several streams and print a short
# report. When our drivers do not work yet, the report says so.
set -uo pipefail
. "$(dirname "$0")/rig-lib.sh"

mkdir -p "$OUT"
rig_setup || exit 1
rig_build || exit 1
rm -rf "$RES"
XNET_MODE=demo rig_share
echo "# demo: booting Xen under QEMU (a few minutes under emulation)"
rig_boot >/dev/null
rc=$?
if [ -f "$RES/demo.txt" ]; then
	cat "$RES/demo.txt"
else
	echo "demo: no report was produced"
	rig_keep_logs
	exit 1
fi
exit $rc
