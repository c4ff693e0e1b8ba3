#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deliberately broken scenario, run only with XNET_BREAK=1: iperf3
# against a domU port where no server listens. It must be reported as
# "not ok" and turn the whole run red; it exists to show the suite can.
# On the debug kernel (make check-debug) it also loads xnet_break.ko
# (break-mod/), which takes two locks in both orders and leaks an
# allocation: run.sh's checks after this script must fail on lockdep's
# report in dom0's kernel log and on kmemleak's.
. "$(dirname "$0")/lib.sh"

if [ "${RIG_KERNEL:-debian}" = debug ]; then
	xt_check "broken on purpose: xnet_break.ko loads in dom0" insmod /host/build/xnet_break.ko
	rmmod xnet_break 2>/dev/null
	# kmemleak reports only objects older than 5 s.
	sleep 6
fi

netback_use intree || true
domu_create broken front=intree idx=3 || true
xt_check "broken on purpose: iperf3 to a port with no server" \
	timeout 30 iperf3 -c "$(domu_ip 3)" -p 5999 -t 2 --connect-timeout 3000
domu_destroy broken >/dev/null 2>&1
