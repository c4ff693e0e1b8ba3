#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netback in dom0 serving the in-tree netfront.
. "$(dirname "$0")/scenarios.sh"

mq_scenario ours intree 1 2 1
mq_scenario ours intree 4 2 2
mq_scenario ours intree 4 4 4 full
attach_detach ours intree 20
bad_queue_requests ours
destroy_mid_iperf ours intree
