#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deliberately broken scenario, run only with XNET_BREAK=1: iperf3
# against a domU port where no server listens. It must be reported as
# "not ok" and turn the whole run red; it exists to show the suite can.
. "$(dirname "$0")/lib.sh"

netback_use intree || true
domu_create broken front=intree idx=3 || true
xt_check "broken on purpose: iperf3 to a port with no server" \
	timeout 30 iperf3 -c "$(domu_ip 3)" -p 5999 -t 2 --connect-timeout 3000
domu_destroy broken >/dev/null 2>&1
