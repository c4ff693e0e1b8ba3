#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netback in dom0 serving the in-tree netfront. Frontends asking
# for zero, too many or non-numeric queue counts, with a well-behaved
# guest (in-tree netfront) running iperf3 meanwhile, are the xs-queues-*
# cases of 60-hostile.
. "$(dirname "$0")/scenarios.sh"

mq_scenario ours intree 1 2 1
mq_scenario ours intree 4 2 2
mq_scenario ours intree 4 4 4 full
attach_detach ours intree 20
destroy_mid_iperf ours intree
