#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ours on both sides: the same scenarios with our netfront as the peer
# of our netback.
. "$(dirname "$0")/scenarios.sh"

# The 1- and 2-queue cases, destroy during iperf3 and the long
# attach/reload loops already ran against each in-tree peer; here the
# loops are shorter to keep the suite within its time budget. save_restore ends with a single queue,
# so the flat layout is exercised ours/ours too.
mq_scenario ours ours 4 4 4 full
save_restore ours ours
attach_detach ours ours 3
netfront_reload ours 3
