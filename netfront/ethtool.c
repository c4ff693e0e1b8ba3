// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: ethtool operations.
 *
 * Statistics: every counter is in one table, xnf_stats_table, from
 * which both ethtool -S and the stack's totals (ndo_get_stats64) are
 * built. ethtool -S lists the device totals first, then the counters of
 * each queue now in use (q0_..., q1_..., ...). Totals include queues
 * that a previous connection used, so they never go backwards across a
 * reconnection with fewer queues.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "common.h"

/* Snapshot of one queue's counters, or of the sum over all queues. */
struct xnf_stats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_drops;
	u64 tx_errors;
	u64 tx_linearized;
	u64 tx_bounced;
	u64 tx_stopped;
	u64 tx_xdp_xmit;
	u64 tx_xdp_xmit_errors;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_drops;
	u64 rx_errors;
	u64 rx_csum_fixups;
	u64 rx_hashed;
	u64 rx_alloc_failed;
	u64 rx_xdp_passed;
	u64 rx_xdp_dropped;
	u64 rx_xdp_tx;
	u64 rx_xdp_redirect;
	u64 rx_xdp_aborted;
	u64 rx_xdp_errors;
	u64 protocol_errors;	/* of the device, not kept per queue */
};

/*
 * struct xnf_stat - one counter of "ethtool -S"
 * @name: its name among the totals; per queue, q<N>_<name>
 * @offset: of its u64 in struct xnf_stats
 * @link: of the u64 in struct rtnl_link_stats64 that reports its total
 *	to the stack (ip -s link), or XNF_NO_LINK
 * @per_queue: listed for each queue in use as well as in the totals
 */
struct xnf_stat {
	const char *name;
	u16 offset;
	u16 link;
	bool per_queue;
};

#define XNF_NO_LINK	U16_MAX
#define XNF_STAT(n, f, q)	{ n, offsetof(struct xnf_stats, f), XNF_NO_LINK, q }
#define XNF_STAT_LINK(n, f, l)						\
	{ n, offsetof(struct xnf_stats, f),				\
	  offsetof(struct rtnl_link_stats64, l), true }

/* In the order ethtool -S prints the totals; per queue, the same order. */
static const struct xnf_stat xnf_stats_table[] = {
	XNF_STAT_LINK("tx_packets", tx_packets, tx_packets),
	XNF_STAT_LINK("tx_bytes", tx_bytes, tx_bytes),
	XNF_STAT_LINK("tx_drops", tx_drops, tx_dropped),
	XNF_STAT_LINK("tx_errors", tx_errors, tx_errors),
	XNF_STAT_LINK("rx_packets", rx_packets, rx_packets),
	XNF_STAT_LINK("rx_bytes", rx_bytes, rx_bytes),
	XNF_STAT_LINK("rx_drops", rx_drops, rx_dropped),
	XNF_STAT_LINK("rx_errors", rx_errors, rx_errors),
	XNF_STAT("tx_linearized", tx_linearized, false),
	XNF_STAT("tx_bounced", tx_bounced, false),
	XNF_STAT("tx_queue_stopped", tx_stopped, false),
	XNF_STAT("rx_gso_checksum_fixup", rx_csum_fixups, false),
	XNF_STAT("rx_hashed", rx_hashed, true),
	XNF_STAT("rx_alloc_failed", rx_alloc_failed, false),
	XNF_STAT("xdp_passed", rx_xdp_passed, true),
	XNF_STAT("xdp_dropped", rx_xdp_dropped, true),
	XNF_STAT("xdp_tx", rx_xdp_tx, true),
	XNF_STAT("xdp_redirect", rx_xdp_redirect, true),
	XNF_STAT("xdp_aborted", rx_xdp_aborted, true),
	XNF_STAT("xdp_errors", rx_xdp_errors, true),
	XNF_STAT("xdp_xmit", tx_xdp_xmit, true),
	XNF_STAT("xdp_xmit_errors", tx_xdp_xmit_errors, false),
	XNF_STAT("protocol_errors", protocol_errors, false),
};

#define XNF_N_STATS	ARRAY_SIZE(xnf_stats_table)

static u64 *xnf_stat(struct xnf_stats *s, const struct xnf_stat *d)
{
	return (u64 *)((char *)s + d->offset);
}

static unsigned int xnf_n_queue_stats(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < XNF_N_STATS; i++)
		n += xnf_stats_table[i].per_queue;
	return n;
}

/* A consistent copy of one queue's counters. */
static void xnf_queue_stats(const struct xnf_queue *q, struct xnf_stats *s)
{
	const struct xnf_tx_stats *tx = &q->tx_stats;
	const struct xnf_rx_stats *rx = &q->rx_stats;
	unsigned int start;

	memset(s, 0, sizeof(*s));
	do {
		start = u64_stats_fetch_begin(&tx->syncp);
		s->tx_packets = u64_stats_read(&tx->packets);
		s->tx_bytes = u64_stats_read(&tx->bytes);
		s->tx_drops = u64_stats_read(&tx->drops);
		s->tx_errors = u64_stats_read(&tx->errors);
		s->tx_linearized = u64_stats_read(&tx->linearized);
		s->tx_bounced = u64_stats_read(&tx->bounced);
		s->tx_stopped = u64_stats_read(&tx->stopped);
		s->tx_xdp_xmit = u64_stats_read(&tx->xdp_xmit);
		s->tx_xdp_xmit_errors = u64_stats_read(&tx->xdp_xmit_errors);
	} while (u64_stats_fetch_retry(&tx->syncp, start));

	do {
		start = u64_stats_fetch_begin(&rx->syncp);
		s->rx_packets = u64_stats_read(&rx->packets);
		s->rx_bytes = u64_stats_read(&rx->bytes);
		s->rx_drops = u64_stats_read(&rx->drops);
		s->rx_errors = u64_stats_read(&rx->errors);
		s->rx_csum_fixups = u64_stats_read(&rx->csum_fixups);
		s->rx_hashed = u64_stats_read(&rx->hashed);
		s->rx_alloc_failed = u64_stats_read(&rx->alloc_failed);
		s->rx_xdp_passed = u64_stats_read(&rx->xdp_passed);
		s->rx_xdp_dropped = u64_stats_read(&rx->xdp_dropped);
		s->rx_xdp_tx = u64_stats_read(&rx->xdp_tx);
		s->rx_xdp_redirect = u64_stats_read(&rx->xdp_redirect);
		s->rx_xdp_aborted = u64_stats_read(&rx->xdp_aborted);
		s->rx_xdp_errors = u64_stats_read(&rx->xdp_errors);
	} while (u64_stats_fetch_retry(&rx->syncp, start));
}

/*
 * The device totals. They include queues a previous connection used
 * beyond the current count, so they never go backwards.
 */
static void xnf_stats_sum(struct xnf_info *info, struct xnf_stats *sum)
{
	struct xnf_stats s;
	unsigned int i, j;

	memset(sum, 0, sizeof(*sum));
	for (j = 0; j < info->alloc_queues; j++) {
		xnf_queue_stats(&info->queues[j], &s);
		for (i = 0; i < XNF_N_STATS; i++)
			*xnf_stat(sum, &xnf_stats_table[i]) +=
				*xnf_stat(&s, &xnf_stats_table[i]);
	}
	sum->protocol_errors = atomic_read(&info->protocol_errors);
}

void xnf_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot)
{
	struct xnf_info *info = netdev_priv(dev);
	const struct xnf_stat *d;
	struct xnf_stats sum;
	unsigned int i;

	xnf_stats_sum(info, &sum);
	for (i = 0; i < XNF_N_STATS; i++) {
		d = &xnf_stats_table[i];
		if (d->link != XNF_NO_LINK)
			*(u64 *)((char *)tot + d->link) = *xnf_stat(&sum, d);
	}
}

static void xnf_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *drvinfo)
{
	struct xnf_info *info = netdev_priv(dev);

	strscpy(drvinfo->driver, XNF_DRV_NAME, sizeof(drvinfo->driver));
	strscpy(drvinfo->version, NETMQ_VERSION, sizeof(drvinfo->version));
	strscpy(drvinfo->bus_info, dev_name(&info->xbdev->dev),
		sizeof(drvinfo->bus_info));
}

/* What a connection can use now: the backend's, max_queues', ours. */
static unsigned int xnf_channels_max(const struct xnf_info *info)
{
	return min3(info->alloc_queues, info->be_max_queues,
		    xnf_max_queues_now());
}

static void xnf_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct xnf_info *info = netdev_priv(dev);

	ch->max_combined = xnf_channels_max(info);
	ch->combined_count = info->num_queues;
}

/* ethtool -L combined N: reconnect with N queues (xnf_set_queues). */
static int xnf_set_channels(struct net_device *dev,
			    struct ethtool_channels *ch)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int max = xnf_channels_max(info);

	if (ch->rx_count || ch->tx_count || ch->other_count ||
	    !ch->combined_count)
		return -EINVAL;
	if (ch->combined_count > max) {
		netdev_err(dev, "%u queues asked for; at most %u now (backend %u, max_queues %u, device %u)\n",
			   ch->combined_count, max, info->be_max_queues,
			   xnf_max_queues_now(), info->alloc_queues);
		return -EINVAL;
	}
	return xnf_set_queues(info, ch->combined_count);
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
	return XNF_N_STATS + info->num_queues * xnf_n_queue_stats();
}

static void xnf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int i, j;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < XNF_N_STATS; i++)
		ethtool_puts(&data, xnf_stats_table[i].name);
	for (j = 0; j < info->num_queues; j++)
		for (i = 0; i < XNF_N_STATS; i++)
			if (xnf_stats_table[i].per_queue)
				ethtool_sprintf(&data, "q%u_%s", j,
						xnf_stats_table[i].name);
}

static void xnf_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct xnf_info *info = netdev_priv(dev);
	struct xnf_stats s;
	unsigned int i, j;

	xnf_stats_sum(info, &s);
	for (i = 0; i < XNF_N_STATS; i++)
		*data++ = *xnf_stat(&s, &xnf_stats_table[i]);

	for (j = 0; j < info->num_queues; j++) {
		xnf_queue_stats(&info->queues[j], &s);
		for (i = 0; i < XNF_N_STATS; i++)
			if (xnf_stats_table[i].per_queue)
				*data++ = *xnf_stat(&s, &xnf_stats_table[i]);
	}
}

XNET_RXFH_COMPAT(xnf_get_rxfh, xnf_set_rxfh)

const struct ethtool_ops xnf_ethtool_ops = {
	.get_drvinfo		= xnf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_channels		= xnf_get_channels,
	.set_channels		= xnf_set_channels,
	.get_rxnfc		= xnf_get_rxnfc,
	.set_rxnfc		= xnf_set_rxnfc,
	.get_rxfh_indir_size	= xnf_get_rxfh_indir_size,
	.get_rxfh_key_size	= xnf_get_rxfh_key_size,
	XNET_RXFH_OPS(xnf_get_rxfh, xnf_set_rxfh),
	.get_ringparam		= xnf_get_ringparam,
	.get_sset_count		= xnf_get_sset_count,
	.get_strings		= xnf_get_strings,
	.get_ethtool_stats	= xnf_get_ethtool_stats,
	.get_ts_info		= ethtool_op_get_ts_info,
};
