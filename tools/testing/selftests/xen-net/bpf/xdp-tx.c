// SPDX-License-Identifier: GPL-2.0
/* Send every frame back where it came from, addresses swapped (XDP_TX). */
#include "xnet-xdp.h"

SEC("xdp")
int xnet_tx(struct xdp_md *ctx)
{
	if (!xnet_swap_macs(ctx))
		return XDP_DROP;
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
