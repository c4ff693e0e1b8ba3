// SPDX-License-Identifier: GPL-2.0
/* Pass every frame to the stack. */
#include "xnet-xdp.h"

SEC("xdp")
int xnet_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
