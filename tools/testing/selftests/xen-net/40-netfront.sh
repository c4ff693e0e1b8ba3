#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netfront in a domU against the in-tree netback.
. "$(dirname "$0")/scenarios.sh"

mq_scenario intree ours 1 2 1
mq_scenario intree ours 2 4 2
mq_scenario intree ours 4 4 4 full
save_restore intree ours
attach_detach intree ours 20
netfront_reload intree 10
