#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Baseline with both in-tree drivers: the reference the rig measures
# ours against. With 2 queues: the xenstore layout, the queue count
# the guest sees, ping, iperf3 both ways with 1 and 2 streams.
. "$(dirname "$0")/lib.sh"

for q in 2; do
	tag="baseline intree/intree q=$q"
	if ! netback_use intree max_queues=$q; then
		xt_fail "$tag: in-tree netback loads"
		continue
	fi
	if ! domu_create base vcpus=2 front=intree fq=2 idx=1; then
		xt_fail "$tag: domU boots and its agent answers"
		continue
	fi
	xt_pass "$tag: domU boots and its agent answers"
	xt_diag "$(xenstore-ls -f "$(fe_path base)" | grep -E 'queue|ring-ref|event-channel')"
	xt_check "$tag: frontend xenstore layout" fe_layout_ok base "$q"
	xt_check "$tag: guest sees $q tx queues" domu_queues_are base "$q" tx
	xt_check "$tag: ping" ping_ok base 1
	for s in 1 2; do
		for dir in rx tx; do
			xt_check "$tag: iperf3 $s stream(s) guest-$dir" iperf_ok base 1 "$s" "$dir"
		done
	done
	xt_check "$tag: domU console clean, destroyed" domu_destroy base
done
