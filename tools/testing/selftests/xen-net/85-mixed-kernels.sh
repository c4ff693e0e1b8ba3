#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mixed kernels: the rig's kernel (Debian 12's 6.1) as dom0 with our
# netback, a guest on bookworm-backports' kernel (6.12) with our
# netfront built for it: 4 queues, the xenstore layout, ping, iperf3
# both ways, new traffic on every queue on both sides, and the sha256
# round trip (16 MiB, 64 in check-full). Every result names both kernels.
# needs: the second kernel
# lane: full
# (make check boots 50-both's second guest, our netfront against our
# netback's reloads, on the second kernel instead.)
. "$(dirname "$0")/scenarios.sh"

if [ -z "${XNET_BPO_ABI:-}" ]; then
	xt_fail "mixed kernels: a second kernel is in the share" "XNET_BPO_ABI is empty"
	exit 0
fi
tag="dom0 $(uname -r), guest $XNET_BPO_ABI: ours/ours"
netback_use ours max_queues=4 || { xt_fail "$tag: our netback loads"; exit 0; }
if ! domu_create mk vcpus=4 front=ours fq=4 idx=1 kernel="$XNET_BPO_ABI"; then
	xt_fail "$tag: the guest boots"
	exit 0
fi
xt_check "$tag: the guest's kernel is $XNET_BPO_ABI" \
	domu_exec mk "[ \"\$(uname -r)\" = '$XNET_BPO_ABI' ]"
wait_for "the vif to carry ping" 30 ping_ok mk 1
mq_checks mk 1 ours ours 4 "$tag q=4"
xt_check "$tag: $(lane 16 64) MiB each way keeps its sha256" sha_roundtrip mk 1 "$(lane 16 64)"
xt_check "$tag: domU console clean, destroyed" domu_destroy mk
