// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: ethtool operations and the vif's statistics.
 */
#include "common.h"

#include <linux/ethtool.h>
#include <linux/netdevice.h>

/* A consistent copy of one queue's counters. */
struct xnb_qstats_snap {
	u64 rx_packets, rx_bytes, rx_drops, rx_errors, rx_csum_fixup;
	u64 tx_packets, tx_bytes, tx_drops, tx_errors, tx_expired, tx_stalls;
};

static void xnb_qstats_read(struct xnb_qstats *qs, struct xnb_qstats_snap *s)
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
}

void xnb_get_stats64(struct net_device *dev,
		     struct rtnl_link_stats64 *stats)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct xnb_qstats_snap s;
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		xnb_qstats_read(&vif->qstats[i], &s);
		stats->rx_packets += s.rx_packets;
		stats->rx_bytes += s.rx_bytes;
		stats->rx_dropped += s.rx_drops;
		stats->rx_errors += s.rx_errors;
		stats->tx_packets += s.tx_packets;
		stats->tx_bytes += s.tx_bytes;
		stats->tx_dropped += s.tx_drops;
		stats->tx_errors += s.tx_errors;
	}
}

/* Interface-wide counters of "ethtool -S", summed over all queues. */
static const char xnb_vif_stat_names[][ETH_GSTRING_LEN] = {
	"tx_packets", "tx_bytes", "tx_drops", "tx_errors", "tx_expired",
	"tx_stalls", "rx_packets", "rx_bytes", "rx_drops", "rx_errors",
	"rx_gso_checksum_fixup",
};

/* Per-queue counters, printed as "q<N>_<name>". */
static const char * const xnb_queue_stat_names[] = {
	"tx_packets", "tx_bytes", "tx_drops", "tx_errors",
	"rx_packets", "rx_bytes", "rx_drops", "rx_errors",
};

#define XNB_VIF_STATS	ARRAY_SIZE(xnb_vif_stat_names)
#define XNB_QUEUE_STATS	ARRAY_SIZE(xnb_queue_stat_names)

static void xnb_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, XNB_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, XNB_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

static int xnb_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return XNB_VIF_STATS + XNB_QUEUE_STATS * dev->real_num_tx_queues;
}

static void xnb_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;

	memcpy(data, xnb_vif_stat_names, sizeof(xnb_vif_stat_names));
	data += sizeof(xnb_vif_stat_names);
	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < XNB_QUEUE_STATS; i++)
			ethtool_sprintf(&data, "q%u_%s", q,
					xnb_queue_stat_names[i]);
}

static void xnb_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *estats, u64 *data)
{
	struct xnb_vif *vif = netdev_priv(dev);
	u64 *sum = data, *per = data + XNB_VIF_STATS;
	struct xnb_qstats_snap s;
	unsigned int q;

	memset(sum, 0, XNB_VIF_STATS * sizeof(*sum));
	for (q = 0; q < dev->num_tx_queues; q++) {
		xnb_qstats_read(&vif->qstats[q], &s);

		sum[0] += s.tx_packets;
		sum[1] += s.tx_bytes;
		sum[2] += s.tx_drops;
		sum[3] += s.tx_errors;
		sum[4] += s.tx_expired;
		sum[5] += s.tx_stalls;
		sum[6] += s.rx_packets;
		sum[7] += s.rx_bytes;
		sum[8] += s.rx_drops;
		sum[9] += s.rx_errors;
		sum[10] += s.rx_csum_fixup;

		if (q >= dev->real_num_tx_queues)
			continue;
		*per++ = s.tx_packets;
		*per++ = s.tx_bytes;
		*per++ = s.tx_drops;
		*per++ = s.tx_errors;
		*per++ = s.rx_packets;
		*per++ = s.rx_bytes;
		*per++ = s.rx_drops;
		*per++ = s.rx_errors;
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
