// SPDX-License-Identifier: GPL-2.0
/* Drop every frame. */
#include "xnet-xdp.h"

SEC("xdp")
int xnet_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
