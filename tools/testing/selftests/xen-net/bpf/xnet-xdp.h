/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared bits of the selftests' XDP programs. Self-contained (only the
 * kernel's UAPI headers), built with clang -target bpf by the rig and
 * loaded in the guest with iproute2 (ip link set DEV xdpdrv obj F.o).
 */
#ifndef XNET_XDP_H
#define XNET_XDP_H

#include <linux/bpf.h>
#include <linux/if_ether.h>

#define SEC(name)	__attribute__((section(name), used))
#define XNET_INLINE	static inline __attribute__((always_inline))

/* Helper by its number, as the kernel's UAPI defines them. */
static long (*xnet_redirect)(__u32 ifindex, __u64 flags) =
	(void *)BPF_FUNC_redirect;

/*
 * Turn an Ethernet frame around: swap its destination and source
 * addresses. Returns 0 if the frame is too short to have a header.
 */
XNET_INLINE int xnet_swap_macs(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char tmp[ETH_ALEN];

	if ((void *)(eth + 1) > end)
		return 0;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return 1;
}

#endif
