#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our two modules load and unload in the rig's kernel: netback in dom0,
# and, in the longer lanes, netfront in a domU started without a
# frontend (make check loads our netfront at the boot of 40-netfront's
# and 50-both's guests, and 50-both removes and loads it again).
. "$(dirname "$0")/lib.sh"

xt_check "smoke: our netback loads in dom0" netback_use ours
xt_check "smoke: modinfo describes our netback's max_queues" \
	sh -c "modinfo -p $OURS/xen-netback.ko | grep -q '^max_queues:'"
xt_check "smoke: our netback unloads" rmmod xen-netback
xt_check "smoke: the in-tree netback reloads after ours" netback_use intree

[ "$XNET_LANE" = check ] && exit 0
if domu_create smoke front=none idx=2; then
	xt_check "smoke: our netfront loads in a domU" \
		domu_exec smoke "insmod /lib/modules/ours/xen-netfront.ko && grep -q '^xen_netfront ' /proc/modules"
	xt_check "smoke: our netfront unloads" domu_exec smoke "rmmod xen-netfront"
	xt_check "smoke: domU console clean" domu_destroy smoke
else
	xt_fail "smoke: domU without a frontend boots"
fi
