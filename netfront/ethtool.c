// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: ethtool operations.
 *
 * ethtool -S lists device totals first, then the counters of each
 * queue now in use (q0_..., q1_..., ...). Totals include queues that a
 * previous connection used, so they never go backwards across a
 * reconnection with fewer queues.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "common.h"

struct xnf_stat_desc {
	const char *name;
	size_t offset;		/* of a u64 in struct xnf_stats */
};

#define XNF_STAT(n, f)	{ n, offsetof(struct xnf_stats, f) }

static const struct xnf_stat_desc xnf_queue_stat_descs[] = {
	XNF_STAT("tx_packets", tx_packets),
	XNF_STAT("tx_bytes", tx_bytes),
	XNF_STAT("tx_drops", tx_drops),
	XNF_STAT("tx_errors", tx_errors),
	XNF_STAT("rx_packets", rx_packets),
	XNF_STAT("rx_bytes", rx_bytes),
	XNF_STAT("rx_drops", rx_drops),
	XNF_STAT("rx_errors", rx_errors),
	XNF_STAT("xdp_passed", rx_xdp_passed),
	XNF_STAT("xdp_dropped", rx_xdp_dropped),
	XNF_STAT("xdp_tx", rx_xdp_tx),
	XNF_STAT("xdp_redirect", rx_xdp_redirect),
	XNF_STAT("xdp_aborted", rx_xdp_aborted),
	XNF_STAT("xdp_errors", rx_xdp_errors),
	XNF_STAT("xdp_xmit", tx_xdp_xmit),
};

static const struct xnf_stat_desc xnf_total_stat_descs[] = {
	XNF_STAT("tx_packets", tx_packets),
	XNF_STAT("tx_bytes", tx_bytes),
	XNF_STAT("tx_drops", tx_drops),
	XNF_STAT("tx_errors", tx_errors),
	XNF_STAT("rx_packets", rx_packets),
	XNF_STAT("rx_bytes", rx_bytes),
	XNF_STAT("rx_drops", rx_drops),
	XNF_STAT("rx_errors", rx_errors),
	XNF_STAT("tx_linearized", tx_linearized),
	XNF_STAT("tx_bounced", tx_bounced),
	XNF_STAT("tx_queue_stopped", tx_stopped),
	XNF_STAT("rx_gso_checksum_fixup", rx_csum_fixups),
	XNF_STAT("rx_alloc_failed", rx_alloc_failed),
	XNF_STAT("xdp_passed", rx_xdp_passed),
	XNF_STAT("xdp_dropped", rx_xdp_dropped),
	XNF_STAT("xdp_tx", rx_xdp_tx),
	XNF_STAT("xdp_redirect", rx_xdp_redirect),
	XNF_STAT("xdp_aborted", rx_xdp_aborted),
	XNF_STAT("xdp_errors", rx_xdp_errors),
	XNF_STAT("xdp_xmit", tx_xdp_xmit),
	XNF_STAT("xdp_xmit_errors", tx_xdp_xmit_errors),
};

/* Totals not kept per queue. */
static const char * const xnf_device_stat_names[] = {
	"protocol_errors",
};

#define XNF_N_QUEUE_STATS	ARRAY_SIZE(xnf_queue_stat_descs)
#define XNF_N_TOTAL_STATS	ARRAY_SIZE(xnf_total_stat_descs)
#define XNF_N_DEVICE_STATS	ARRAY_SIZE(xnf_device_stat_names)

static u64 xnf_stat_get(const struct xnf_stats *s,
			const struct xnf_stat_desc *d)
{
	return *(const u64 *)((const char *)s + d->offset);
}

static void xnf_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *drvinfo)
{
	struct xnf_info *info = netdev_priv(dev);

	strscpy(drvinfo->driver, XNF_DRV_NAME, sizeof(drvinfo->driver));
	strscpy(drvinfo->version, XNF_DRV_VERSION, sizeof(drvinfo->version));
	strscpy(drvinfo->bus_info, dev_name(&info->xbdev->dev),
		sizeof(drvinfo->bus_info));
}

static void xnf_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct xnf_info *info = netdev_priv(dev);

	ch->max_combined = min3(info->alloc_queues, info->be_max_queues,
				xnf_max_queues_now());
	ch->combined_count = info->num_queues;
}

static void xnf_get_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	ring->rx_max_pending = XNF_RX_RING_SIZE;
	ring->tx_max_pending = XNF_TX_RING_SIZE;
	ring->rx_pending = XNF_RX_RING_SIZE;
	ring->tx_pending = XNF_TX_RING_SIZE;
}

static int xnf_get_sset_count(struct net_device *dev, int sset)
{
	struct xnf_info *info = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return XNF_N_TOTAL_STATS + XNF_N_DEVICE_STATS +
	       info->num_queues * XNF_N_QUEUE_STATS;
}

static void xnf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int i, j;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < XNF_N_TOTAL_STATS; i++)
		ethtool_sprintf(&data, "%s", xnf_total_stat_descs[i].name);
	for (i = 0; i < XNF_N_DEVICE_STATS; i++)
		ethtool_sprintf(&data, "%s", xnf_device_stat_names[i]);
	for (j = 0; j < info->num_queues; j++)
		for (i = 0; i < XNF_N_QUEUE_STATS; i++)
			ethtool_sprintf(&data, "q%u_%s", j,
					xnf_queue_stat_descs[i].name);
}

static void xnf_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct xnf_info *info = netdev_priv(dev);
	struct xnf_stats sum = {}, s;
	unsigned int i, j;

	for (j = 0; j < info->alloc_queues; j++) {
		xnf_queue_stats(&info->queues[j], &s);
		xnf_stats_add(&sum, &s);
	}

	for (i = 0; i < XNF_N_TOTAL_STATS; i++)
		*data++ = xnf_stat_get(&sum, &xnf_total_stat_descs[i]);
	BUILD_BUG_ON(XNF_N_DEVICE_STATS != 1);
	*data++ = atomic_read(&info->protocol_errors);

	for (j = 0; j < info->num_queues; j++) {
		xnf_queue_stats(&info->queues[j], &s);
		for (i = 0; i < XNF_N_QUEUE_STATS; i++)
			*data++ = xnf_stat_get(&s, &xnf_queue_stat_descs[i]);
	}
}

const struct ethtool_ops xnf_ethtool_ops = {
	.get_drvinfo		= xnf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_channels		= xnf_get_channels,
	.get_ringparam		= xnf_get_ringparam,
	.get_sset_count		= xnf_get_sset_count,
	.get_strings		= xnf_get_strings,
	.get_ethtool_stats	= xnf_get_ethtool_stats,
	.get_ts_info		= ethtool_op_get_ts_info,
};
