#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netfront in a domU against the in-tree netback. One guest goes
# through 4 queues (the full checks, then our netfront's XDP on the
# in-tree netback), ethtool -L changes of its queue count while it
# carries traffic, RSS set with ethtool -X through the in-tree
# netback's control ring, attach/detach cycles, and xl save / restore
# onto the backend reloaded with max_queues=1 (1 queue, the flat
# layout). In the longer lanes rmmod/insmod cycles of our netfront
# ending with max_queues=2 (2 queues) come before the attach/detach
# cycles (make check has them in 50-both, against our netback).
. "$(dirname "$0")/scenarios.sh"
. "$(dirname "$0")/xdp-lib.sh"

tag="intree/ours"
if pairing_guest intree ours; then
	mq_checks pg 1 intree ours 4 "$tag q=4 (netback max 4, netfront max 4)" full
	xdp_ours_on_intree_checks pg 1 4 "xdp ours/intree"
	set_channels_checks pg 1 intree
	rss_checks pg 1 intree
	sq=4
	if [ "$XNET_LANE" != check ]; then
		netfront_reload pg 1 "$(lane 1 10)" 2
		mq_checks pg 1 intree ours 2 "$tag q=2 (netback max 4, netfront max 2)"
		sq=2
	fi
	attach_detach pg 1 intree ours "$(lane 1 20)"
	save_restore pg 1 intree ours "$sq"
fi
