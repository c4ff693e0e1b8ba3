#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The second kernel (bookworm-backports' 6.12) as dom0 and in the
# guests: our netback built for it serving the in-tree 6.12 netfront
# and our netfront built for 6.12, each with 4 queues: the xenstore
# layout, ping, iperf3 both ways, new traffic on every queue, and the
# sha256 round trip (16 MiB, 64 in check-full). Runs only in the
# second kernel's boot (run.sh prefixes every result with dom0's
# kernel).
. "$(dirname "$0")/scenarios.sh"

k=$(uname -r)
netback_use ours max_queues=4 || { xt_fail "our netback loads"; exit 0; }
# Both guests boot at once: each boot is mostly one emulated CPU's work.
domu_create ga vcpus=4 front=intree fq=4 idx=1 >/tmp/ga.boot 2>&1 &
pa=$!
domu_create gb vcpus=4 front=ours fq=4 idx=2 >/tmp/gb.boot 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
for g in "ga 1 intree $ra" "gb 2 ours $rb"; do
	set -- $g
	tag="guest $k, $3 netfront: ours/$3"
	if [ "$4" != 0 ]; then
		xt_fail "$tag: the guest boots" "$(tail -n 5 /tmp/$1.boot)"
		continue
	fi
	xt_check "$tag: the guest's kernel is $k" domu_exec "$1" "[ \"\$(uname -r)\" = '$k' ]"
	wait_for "the vif to carry ping" 30 ping_ok "$1" "$2"
	mq_checks "$1" "$2" ours "$3" 4 "$tag q=4"
	xt_check "$tag: $(lane 16 64) MiB each way keeps its sha256" sha_roundtrip "$1" "$2" "$(lane 16 64)"
	xt_check "$tag: domU console clean, destroyed" domu_destroy "$1"
done
