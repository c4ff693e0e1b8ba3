#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netback in dom0 serving the in-tree netfront. One guest goes
# through the queue counts by reconnecting: 4 queues (the full checks,
# then our rx-follows-tx with the in-tree netfront),
# 2 (the netfront's maximum lowered; check-full only), xl save /
# restore with a TCP stream and an iperf3 run held open across it onto
# our netback reloaded with max_queues=1 (the reference for our
# netfront's in 40 and 50), 1 (the vif's limit lowered in our
# netback: the flat layout) with the in-tree netfront's XDP (it gets
# the headroom our netback advertises), rmmod of our netback refused
# while that netfront is connected (it does not rejoin a restarted
# backend), then attach/detach cycles and xl destroy during iperf3. Frontends asking for zero, too many or non-numeric
# queue counts are the xs-queues-* cases of 60-hostile.
. "$(dirname "$0")/scenarios.sh"
. "$(dirname "$0")/xdp-lib.sh"

tag="ours/intree"
if pairing_guest ours intree; then
	mq_checks pg 1 ours intree 4 "$tag q=4 (netback max 4, netfront max 4)" full
	rx_follows_tx_checks pg 1 intree 4
	# The 2-queue step is check-full's: 40 and 50 check 2 queues in
	# make check, and the next step reconnects with max_queues=2.
	sq=4
	if [ "$XNET_LANE" = full ]; then
		xt_check "$tag: in-tree netfront reconnects with max_queues=2" front_reconnect pg 1 intree 2
		mq_checks pg 1 ours intree 2 "$tag q=2 (netback max 4, netfront max 2)"
		sq=2
	fi
	# The in-tree netfront across a checkpoint, the reference for ours
	# (40, 50): restored onto our netback at max_queues=1, where the
	# next steps run on.
	save_restore pg 1 ours intree "$sq" keep
	xt_check "$tag: the vif limited to 1 queue, in-tree netfront reconnects" \
		vif_limit_reconnect pg 1 intree 2 1
	mq_checks pg 1 ours intree 1 "$tag q=1 (vif limit 1, netfront max 2)"
	xdp_intree_front_checks pg 1 1 "xdp intree/ours"
	netback_held pg 1
	attach_detach pg 1 ours intree "$(lane 1 20)"
	destroy_mid_iperf pg 1 ours intree
fi
