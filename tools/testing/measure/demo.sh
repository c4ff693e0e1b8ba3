#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo (make demo), run in dom0: our netback, a 4-vcpu domU with our
# netfront, 4 queues, iperf3 with 4 streams each way. Writes a short
# readable report to /host/results/demo.txt. If one of our drivers does
# not load or the vif does not come up, the report says so and shows
# what it could.
cd "$(dirname "$0")" || exit 1
. ../selftests/xen-net/lib.sh
REPORT=/host/results/demo.txt
Q=4

say() { echo "$*" >>"$REPORT"; }
: >"$REPORT"
say "xen-netmq demo: our netback in dom0, our netfront in a 4-vcpu domU, $Q queues"
say "======================================================================"

problem=""
if ! netback_use ours max_queues=$Q 2>>"$REPORT"; then
	problem="our netback did not load in dom0"
elif ! domu_create demo vcpus=4 front=ours fq=$Q idx=1 2>>"$REPORT"; then
	problem="the domU with our netfront did not come up"
elif ! wait_for "the vif to pass traffic" 30 ping_ok demo 1; then
	problem="no ping between dom0 and the domU over our drivers"
fi

if [ -n "$problem" ]; then
	say ""
	say "Our drivers do not work end to end yet: $problem."
	say ""
	say "Backend module loaded: $(cat /sys/module/xen_netback/taint 2>/dev/null | grep -q O && echo ours || echo 'in-tree or none')"
	d=$(domid demo)
	if [ -n "$d" ]; then
		say "Frontend state: $(xenstore-read "$(fe_path demo)/state" 2>/dev/null), backend state: $(xenstore-read "$(be_path demo)/state" 2>/dev/null)"
		say "Frontend errors: $(xenstore-ls "/local/domain/$d/error" 2>/dev/null | head -n 5)"
		say "Backend errors: $(xenstore-ls "/local/domain/0/error" 2>/dev/null | head -n 5)"
		say "Last lines of the domU console:"
		domu_console demo | tail -n 15 | sed 's/^/  /' >>"$REPORT"
	fi
	say "dom0 kernel log, last lines:"
	dmesg | tail -n 10 | sed 's/^/  /' >>"$REPORT"
	exit 0
fi

say ""
say "Negotiated xenstore keys"
say "------------------------"
be=$(be_path demo)
fe=$(fe_path demo)
for k in multi-queue-max-queues feature-split-event-channels feature-sg feature-gso-tcpv4 \
	 feature-gso-tcpv6 feature-ipv6-csum-offload feature-ctrl-ring; do
	say "  backend  $k = $(xenstore-read "$be/$k" 2>/dev/null || echo '(absent)')"
done
say "  frontend multi-queue-num-queues = $(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo '(absent)')"
xenstore-ls "$fe" 2>/dev/null | grep -E '^ *(queue-[0-9]+|tx-ring-ref|rx-ring-ref|event-channel.*) ' |
	sed 's/^/  frontend /' >>"$REPORT"

say ""
say "Throughput (iperf3, 4 streams, 5 s)"
say "-----------------------------------"
for dir in rx tx; do
	r=$(iperf demo 1 4 "$dir" 5 2>&1 | tail -n 1)
	say "  guest $dir: $r Mbit/s"
done

vif=vif$(domid demo).0
say ""
say "Per-queue packets after the runs"
say "--------------------------------"
say "  dom0 $vif (ethtool -S, tx = to the guest):"
ethtool -S "$vif" 2>/dev/null | grep -E '^\s*q[0-9]+_(rx|tx)_packets' | sed 's/^\s*/    /' >>"$REPORT"
say "  domU eth0 (ethtool -S):"
domu_exec demo "ethtool -S eth0 | grep -E '^\\s*q[0-9]+_(rx|tx)_packets'" 2>/dev/null |
	sed 's/^\s*/    /' >>"$REPORT"
domu_destroy demo >/dev/null 2>&1
say ""
say "done."
