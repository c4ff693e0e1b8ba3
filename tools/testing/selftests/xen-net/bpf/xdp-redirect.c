// SPDX-License-Identifier: GPL-2.0
/*
 * Redirect every frame, addresses swapped, to the interface it came in
 * on: it leaves through that driver's ndo_xdp_xmit (XDP_REDIRECT).
 */
#include "xnet-xdp.h"

SEC("xdp")
int xnet_redirect_back(struct xdp_md *ctx)
{
	if (!xnet_swap_macs(ctx))
		return XDP_DROP;
	return xnet_redirect(ctx->ingress_ifindex, 0);
}

char _license[] SEC("license") = "GPL";
