// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: ethtool operations and the vif's statistics.
 *
 * Every counter is in one table, xnb_stats_table, from which both
 * ethtool -S and the stack's totals (ndo_get_stats64) are built.
 * ethtool -S lists the vif's totals first, then the counters of each
 * queue now in use (q0_..., q1_..., ...). Totals include every queue
 * the net_device has, so they never go backwards across a reconnection
 * with fewer queues. Names follow the netdev's side (see struct
 * xnb_qstats).
 */
#include "common.h"

#include <linux/ethtool.h>
#include <linux/netdevice.h>

/* Snapshot of one queue's counters, or of the sum over all queues. */
struct xnb_stats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_drops;		/* in the kthread, in ndo_start_xmit, expired */
	u64 tx_errors;
	u64 tx_expired;
	u64 tx_stalls;
	u64 tx_steered;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_drops;
	u64 rx_errors;
	u64 rx_csum_fixup;
};

/*
 * struct xnb_stat - one counter of "ethtool -S"
 * @name: its name among the totals; per queue, q<N>_<name>
 * @offset: of its u64 in struct xnb_stats
 * @link: of the u64 in struct rtnl_link_stats64 that reports its total
 *	to the stack (ip -s link), or XNB_NO_LINK
 * @per_queue: listed for each queue in use as well as in the totals
 */
struct xnb_stat {
	const char *name;
	u16 offset;
	u16 link;
	bool per_queue;
};

#define XNB_NO_LINK	U16_MAX
#define XNB_STAT(n, f, q)	{ n, offsetof(struct xnb_stats, f), XNB_NO_LINK, q }
#define XNB_STAT_LINK(n, f, l)						\
	{ n, offsetof(struct xnb_stats, f),				\
	  offsetof(struct rtnl_link_stats64, l), true }

/* In the order ethtool -S prints the totals; per queue, the same order. */
static const struct xnb_stat xnb_stats_table[] = {
	XNB_STAT_LINK("tx_packets", tx_packets, tx_packets),
	XNB_STAT_LINK("tx_bytes", tx_bytes, tx_bytes),
	XNB_STAT_LINK("tx_drops", tx_drops, tx_dropped),
	XNB_STAT_LINK("tx_errors", tx_errors, tx_errors),
	XNB_STAT("tx_expired", tx_expired, false),
	XNB_STAT("tx_stalls", tx_stalls, false),
	XNB_STAT("tx_steered", tx_steered, true),
	XNB_STAT_LINK("rx_packets", rx_packets, rx_packets),
	XNB_STAT_LINK("rx_bytes", rx_bytes, rx_bytes),
	XNB_STAT_LINK("rx_drops", rx_drops, rx_dropped),
	XNB_STAT_LINK("rx_errors", rx_errors, rx_errors),
	XNB_STAT("rx_gso_checksum_fixup", rx_csum_fixup, false),
};

#define XNB_N_STATS	ARRAY_SIZE(xnb_stats_table)

static u64 *xnb_stat(struct xnb_stats *s, const struct xnb_stat *d)
{
	return (u64 *)((char *)s + d->offset);
}

static unsigned int xnb_n_queue_stats(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < XNB_N_STATS; i++)
		n += xnb_stats_table[i].per_queue;
	return n;
}

/* A consistent copy of one queue's counters. */
static void xnb_queue_stats(const struct xnb_qstats *qs, struct xnb_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&qs->rx_syncp);
		s->rx_packets = u64_stats_read(&qs->rx_packets);
		s->rx_bytes = u64_stats_read(&qs->rx_bytes);
		s->rx_drops = u64_stats_read(&qs->rx_drops);
		s->rx_errors = u64_stats_read(&qs->rx_errors);
		s->rx_csum_fixup = u64_stats_read(&qs->rx_csum_fixup);
	} while (u64_stats_fetch_retry(&qs->rx_syncp, start));

	do {
		start = u64_stats_fetch_begin(&qs->tx_syncp);
		s->tx_packets = u64_stats_read(&qs->tx_packets);
		s->tx_bytes = u64_stats_read(&qs->tx_bytes);
		s->tx_drops = u64_stats_read(&qs->tx_drops);
		s->tx_errors = u64_stats_read(&qs->tx_errors);
		s->tx_expired = u64_stats_read(&qs->tx_expired);
		s->tx_stalls = u64_stats_read(&qs->tx_stalls);
	} while (u64_stats_fetch_retry(&qs->tx_syncp, start));

	/* Expired frames are counted in tx_drops already. */
	s->tx_drops += atomic64_read(&qs->tx_xmit_drops);
	s->tx_steered = atomic64_read(&qs->tx_steered);
}

/* The vif's totals, over every queue the net_device has. */
static void xnb_stats_sum(struct net_device *dev, struct xnb_stats *sum)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct xnb_stats s;
	unsigned int i, q;

	memset(sum, 0, sizeof(*sum));
	for (q = 0; q < dev->num_tx_queues; q++) {
		xnb_queue_stats(&vif->qstats[q], &s);
		for (i = 0; i < XNB_N_STATS; i++)
			*xnb_stat(sum, &xnb_stats_table[i]) +=
				*xnb_stat(&s, &xnb_stats_table[i]);
	}
}

void xnb_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot)
{
	const struct xnb_stat *d;
	struct xnb_stats sum;
	unsigned int i;

	xnb_stats_sum(dev, &sum);
	for (i = 0; i < XNB_N_STATS; i++) {
		d = &xnb_stats_table[i];
		if (d->link != XNB_NO_LINK)
			*(u64 *)((char *)tot + d->link) = *xnb_stat(&sum, d);
	}
}

static void xnb_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, XNB_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, NETMQ_VERSION, sizeof(info->version));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

static int xnb_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return XNB_N_STATS + dev->real_num_tx_queues * xnb_n_queue_stats();
}

static void xnb_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < XNB_N_STATS; i++)
		ethtool_puts(&data, xnb_stats_table[i].name);
	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < XNB_N_STATS; i++)
			if (xnb_stats_table[i].per_queue)
				ethtool_sprintf(&data, "q%u_%s", q,
						xnb_stats_table[i].name);
}

static void xnb_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *estats, u64 *data)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct xnb_stats s;
	unsigned int q, i;

	xnb_stats_sum(dev, &s);
	for (i = 0; i < XNB_N_STATS; i++)
		*data++ = *xnb_stat(&s, &xnb_stats_table[i]);

	for (q = 0; q < dev->real_num_tx_queues; q++) {
		xnb_queue_stats(&vif->qstats[q], &s);
		for (i = 0; i < XNB_N_STATS; i++)
			if (xnb_stats_table[i].per_queue)
				*data++ = *xnb_stat(&s, &xnb_stats_table[i]);
	}
}

static void xnb_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct xnb_vif *vif = netdev_priv(dev);

	/* The limit advertised now, which a request may have lowered. */
	ch->max_combined = READ_ONCE(vif->adv_max_queues) ?: vif->max_queues;
	ch->combined_count = READ_ONCE(vif->num_queues);
}

const struct ethtool_ops xnb_ethtool_ops = {
	.get_drvinfo		= xnb_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= xnb_get_sset_count,
	.get_strings		= xnb_get_strings,
	.get_ethtool_stats	= xnb_get_ethtool_stats,
	.get_channels		= xnb_get_channels,
};
