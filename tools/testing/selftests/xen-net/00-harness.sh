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
# The debug kernel's filter: a report of intree-findings is recorded,
# not printed, and once however often the log is read; any other
# report is still printed.
xt_check "harness: kreport_filter records a known finding once and keeps an unknown report" \
	bash -c ". ./lib.sh; d=\$(mktemp -d); printf '%s\n' '[ 1.0] ------------[ cut here ]------------' \
		'[ 1.0] do not call blocking ops when !TASK_RUNNING; state=2 set at [<0>] prepare_to_wait_event+0x5b/0x180' \
		'[ 1.0] WARNING: CPU: 2 PID: 145 at kernel/sched/core.c:9893 __might_sleep+0x5a/0x70' \
		'[ 1.0]  xennet_remove+0x1dd/0x320 [xen_netfront]' '[ 1.0] ---[ end trace 0000000000000000 ]---' \
		'[ 2.0] BUG: KFENCE: use-after-free read in xnb_example' >\$d/log
	out=\$(RIG_KERNEL=debug XT_RESULTS=\$d/ktap kreport_filter harness <\$d/log 2>/dev/null)
	RIG_KERNEL=debug XT_RESULTS=\$d/ktap kreport_filter again <\$d/log >/dev/null 2>&1
	[ \"\$(grep -c '^== .*intree-netfront-close-sleeps' \$d/findings.log)\" = 1 ] &&
		[ \"\$out\" = '[ 2.0] BUG: KFENCE: use-after-free read in xnb_example' ]; r=\$?; rm -rf \$d; exit \$r"
