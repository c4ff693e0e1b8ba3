#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ours on both sides. One guest goes through 4 queues (the full
# checks), ethtool -L changes of its queue count while it carries
# traffic, second vifs with xl's mtu=9000 and mtu=1280, our
# rx-follows-tx (the longer lanes': make check has it in 30-netback,
# with the in-tree netfront), RSS set with ethtool -X (and refused
# without a control ring), 2 queues (the vif's limit lowered in our
# netback), rmmod/insmod cycles of our netfront, attach/detach cycles,
# rmmod/insmod cycles of our netback under this guest and a second one
# (each netfront rejoins the new backend by itself, in make check with
# max_queues=1: the flat layout, ours/ours) after a localhost live
# migration of the second one (refused by this Xen: a skip that names
# why), and, in the longer lanes, xl save / restore with a TCP stream
# and an iperf3 run held open across it onto our netback reloaded with
# max_queues=1. make check's checkpoints of our netfront are 40-netfront's
# (in-tree netback) and 75-xdp's (our netback, with XDP attached); our
# netback's with the in-tree netfront is 30-netback's.
. "$(dirname "$0")/scenarios.sh"

tag="ours/ours"
if pairing_guest ours ours; then
	mq_checks pg 1 ours ours 4 "$tag q=4 (netback max 4, netfront max 4)" full
	set_channels_checks pg 1 ours
	vif_mtu_checks pg 9000 5
	vif_mtu_checks pg 1280 6
	[ "$XNET_LANE" = check ] || rx_follows_tx_checks pg 1 ours 4
	rss_checks pg 1 ours
	rss_refused_checks pg 1
	xt_check "$tag: the vif limited to 2 queues, our netfront reconnects" \
		vif_limit_reconnect pg 1 ours 4 2
	mq_checks pg 1 ours ours 2 "$tag q=2 (vif limit 2, netfront max 4)"
	# A second guest (2 queues at most) for the netback reloads boots
	# while pg's netfront reloads (what those measure is pg's own), and
	# is up before the attach/detach cycles measure dom0. It runs the
	# second kernel (bookworm-backports') when the share has it, with
	# our netfront built for that kernel: make check's mixed-kernel
	# pairing (85-mixed-kernels, the longer lanes', has more checks).
	rlk=()
	[ -n "${XNET_BPO_ABI:-}" ] && rlk=(kernel="$XNET_BPO_ABI")
	( domu_create rl vcpus=2 front=ours fq=2 idx=2 vif="$XT_VIF" "${rlk[@]}" ) >/tmp/rl.create.err 2>&1 &
	rlboot=$!
	netfront_reload pg 1 "$(lane 1 10)" 4
	wait "$rlboot"
	rlrc=$?
	[ "$rlrc" = 0 ] || cat /tmp/rl.create.err >&2
	attach_detach pg 1 ours ours "$(lane 1 10 100)"
	if [ "$rlrc" = 0 ] && [ -n "${XNET_BPO_ABI:-}" ]; then
		xt_check "$tag: rl runs $XNET_BPO_ABI with our netfront built for it" \
			domu_exec rl "[ \"\$(uname -r)\" = '$XNET_BPO_ABI' ] &&
				grep -q O /sys/module/xen_netfront/taint"
	fi
	if [ "$rlrc" = 0 ] && wait_for "rl to carry ping" 30 ping_ok rl 2; then
		# (netback_reload destroys rl at its end.)
		live_migrate rl 2
		netback_reload pg 1 4 rl 2 2 "$(lane 1 "2 1 3 4 2 1 3 1 2 4" "1 4")"
	else
		xt_fail "$tag: a second guest for the netback reloads boots"
		domu_destroy rl >/dev/null 2>&1
	fi
	# In the longer lanes the reloads end at max_queues=4 and leave the
	# vif limit of 2 behind: 4 queues, then repeated checkpoints (5; 20
	# in check-debug) and the one with open connections.
	if [ "$XNET_LANE" != check ]; then
		checkpoint_cycles pg 1 "$(lane 0 5 20)"
		save_restore pg 1 ours ours 4
	else
		xt_check "$tag: domU console clean, destroyed" domu_destroy pg
	fi
fi
