#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness itself: Xen is up, and the helpers the other scripts rely
# on report failure when there is one (a test that cannot fail proves
# nothing).
. "$(dirname "$0")/lib.sh"

xt_check "harness: xl lists dom0" sh -c 'xl list | grep -q "^Domain-0"'
xt_check "harness: xenstore-ls reads dom0's tree" sh -c 'xenstore-ls /local/domain/0 | grep -q "^name = \"Domain-0\""'
xt_check "harness: iperf3 to an address with no server fails" \
	sh -c "! iperf3 -c $BRIDGE_IP -p 5999 -t 1 --connect-timeout 2000"
xt_check "harness: wait_for gives up on a condition that never holds" \
	bash -c ". ./lib.sh; ! wait_for 'the impossible' 1 false"
xt_check "harness: the kernel-log scanner matches a WARNING line" \
	bash -c ". ./lib.sh; echo 'WARNING: CPU: 0 PID: 1 at x.c:1' | grep -qE \"\$BAD_KERNEL_RE\""
