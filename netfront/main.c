// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: module set-up, network
 * device operations, and xenbus probe/remove.
 */

#define pr_fmt(fmt) "xen_netfront: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <xen/xen.h>
#include <xen/platform_pci.h>

#include "common.h"

/*
 * Writable: a new value applies from the next connection of each
 * interface (a restore, a migration, a new device), up to the queues
 * the interface was created with.
 */
unsigned int xnf_max_queues;
module_param_named(max_queues, xnf_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queues per interface, applied at each connection (default: online CPUs, at most 8)");

bool xnf_trusted = true;
module_param_named(trusted, xnf_trusted, bool, 0644);
MODULE_PARM_DESC(trusted,
		 "Trust backends not to read beyond transmitted data; if false, copy every packet into zeroed pages (default: true)");

/* The default for max_queues: online CPUs, at most 8. */
static unsigned int xnf_max_queues_default(void)
{
	return min_t(unsigned int, XNF_MAX_QUEUES_DEFAULT, num_online_cpus());
}

/* max_queues as a connection should use it now (0: the default). */
unsigned int xnf_max_queues_now(void)
{
	unsigned int n = READ_ONCE(xnf_max_queues);

	if (!n)
		n = xnf_max_queues_default();
	return min_t(unsigned int, n, XNF_MAX_QUEUES_LIMIT);
}

/*
 * Stop the device after the backend broke the protocol: one log line,
 * carrier off, no more ring processing until the next connection.
 */
void xnf_mark_broken(struct xnf_queue *q, const char *fmt, ...)
{
	struct xnf_info *info = q->info;
	struct va_format vaf;
	va_list args;

	if (test_and_set_bit(XNF_FLAG_BROKEN, &info->flags))
		return;
	atomic_inc(&info->protocol_errors);
	if (net_ratelimit()) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		netdev_err(q->netdev,
			   "queue %u: %pV; device disabled until the backend reconnects\n",
			   q->id, &vaf);
		va_end(args);
	}
	netif_carrier_off(q->netdev);
	netif_tx_stop_all_queues(q->netdev);
}

/* ---- net_device operations ------------------------------------------ */

static int xnf_open(struct net_device *dev)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < info->num_queues; i++) {
		struct xnf_queue *q = &info->queues[i];

		napi_enable(&q->napi);
		/* Pick up whatever arrived while we were down. */
		local_bh_disable();
		napi_schedule(&q->napi);
		local_bh_enable();
	}
	if (xnf_broken(info))
		return 0;
	for (i = 0; i < info->num_queues; i++)
		xnf_tx_start(&info->queues[i]);
	return 0;
}

static int xnf_close(struct net_device *dev)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int i;

	netif_tx_stop_all_queues(dev);
	for (i = 0; i < info->num_queues; i++)
		napi_disable(&info->queues[i].napi);
	return 0;
}

/* Spread flows over the queues by their hash; one flow stays on one queue. */
static u16 xnf_select_queue(struct net_device *dev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	unsigned int n = dev->real_num_tx_queues;

	if (n <= 1)
		return 0;
	return skb_get_hash(skb) % n;
}

static netdev_features_t xnf_features_check(struct sk_buff *skb,
					    struct net_device *dev,
					    netdev_features_t features)
{
	/* Let the stack segment what the 16-bit size field cannot carry. */
	if (skb_is_gso(skb) && skb->len > XEN_NETIF_MAX_TX_SIZE)
		features &= ~NETIF_F_GSO_MASK;
	return vlan_features_check(skb, features);
}

/* Offer only the offloads the backend advertised. */
static netdev_features_t xnf_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct xnf_info *info = netdev_priv(dev);
	u32 be = info->be_features;

	if (!(be & XNF_BE_SG))
		features &= ~NETIF_F_SG;
	if (!(be & XNF_BE_IPV6_CSUM))
		features &= ~NETIF_F_IPV6_CSUM;
	if (be & XNF_BE_NO_CSUM)
		features &= ~(NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM);
	if (!(be & XNF_BE_GSO_TCPV4))
		features &= ~NETIF_F_TSO;
	if (!(be & XNF_BE_GSO_TCPV6))
		features &= ~NETIF_F_TSO6;

	/* Segmentation offload needs scatter-gather and checksum offload. */
	if (!(features & NETIF_F_SG))
		features &= ~(NETIF_F_TSO | NETIF_F_TSO6);
	if (!(features & NETIF_F_IP_CSUM))
		features &= ~NETIF_F_TSO;
	if (!(features & NETIF_F_IPV6_CSUM))
		features &= ~NETIF_F_TSO6;
	return features;
}

static int xnf_set_features(struct net_device *dev, netdev_features_t features)
{
	if (!(features & NETIF_F_SG) && dev->mtu > ETH_DATA_LEN) {
		netdev_info(dev, "no scatter-gather: reducing MTU to %u\n",
			    ETH_DATA_LEN);
		WRITE_ONCE(dev->mtu, ETH_DATA_LEN);
	}
	return 0;
}

static int xnf_change_mtu(struct net_device *dev, int mtu)
{
	struct xnf_info *info = netdev_priv(dev);

	/* Without scatter-gather every packet must fit one page. */
	if (mtu > ETH_DATA_LEN && !(dev->features & NETIF_F_SG))
		return -EINVAL;
	/* Nor may a frame outgrow the page an XDP program sees it in. */
	if (mtu > XNF_XDP_MAX_MTU && xnf_xdp_on(info)) {
		netdev_warn(dev, "MTU %d is too large while an XDP program is attached (at most %d)\n",
			    mtu, XNF_XDP_MAX_MTU);
		return -EINVAL;
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

#ifdef CONFIG_NET_POLL_CONTROLLER
static void xnf_poll_controller(struct net_device *dev)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < READ_ONCE(info->num_queues); i++)
		napi_schedule(&info->queues[i].napi);
}
#endif

static const struct net_device_ops xnf_netdev_ops = {
	.ndo_open		= xnf_open,
	.ndo_stop		= xnf_close,
	.ndo_start_xmit		= xnf_start_xmit,
	.ndo_select_queue	= xnf_select_queue,
	.ndo_features_check	= xnf_features_check,
	.ndo_fix_features	= xnf_fix_features,
	.ndo_set_features	= xnf_set_features,
	.ndo_change_mtu		= xnf_change_mtu,
	.ndo_get_stats64	= xnf_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_bpf		= xnf_bpf,
	.ndo_xdp_xmit		= xnf_xdp_xmit,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= xnf_poll_controller,
#endif
};

/* ---- legacy sysfs attributes ------------------------------------------ */

/*
 * rxbuf_min, rxbuf_max and rxbuf_cur once sized the receive buffer
 * pool. The ring is always kept full now; the attributes stay so that
 * scripts that read or set them keep working: they report the ring
 * size, and a number written to the first two is accepted and has no
 * effect.
 */
static ssize_t rxbuf_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lu\n", (unsigned long)XNF_RX_RING_SIZE);
}

static ssize_t rxbuf_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	unsigned long v;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (kstrtoul(skip_spaces(buf), 0, &v))
		return -EBADMSG;
	return len;
}

static struct device_attribute xnf_attr_rxbuf_min =
	__ATTR(rxbuf_min, 0644, rxbuf_show, rxbuf_store);
static struct device_attribute xnf_attr_rxbuf_max =
	__ATTR(rxbuf_max, 0644, rxbuf_show, rxbuf_store);
static struct device_attribute xnf_attr_rxbuf_cur =
	__ATTR(rxbuf_cur, 0444, rxbuf_show, NULL);

static struct attribute *xnf_dev_attrs[] = {
	&xnf_attr_rxbuf_min.attr,
	&xnf_attr_rxbuf_max.attr,
	&xnf_attr_rxbuf_cur.attr,
	NULL
};

static const struct attribute_group xnf_dev_group = {
	.attrs = xnf_dev_attrs,
};

/* ---- xenbus driver ---------------------------------------------------- */

static void xnf_queue_init(struct xnf_info *info, unsigned int id)
{
	struct xnf_queue *q = &info->queues[id];
	const char *devid = strrchr(info->xbdev->nodename, '/');
	unsigned int i;

	q->info = info;
	q->netdev = info->netdev;
	q->id = id;
	q->tx_ring_ref = INVALID_GRANT_REF;
	q->rx_ring_ref = INVALID_GRANT_REF;
	for (i = 0; i < XNF_TX_RING_SIZE; i++)
		q->tx_slots[i].gref = INVALID_GRANT_REF;
	for (i = 0; i < XNF_RX_RING_SIZE; i++)
		q->rx_slots[i].gref = INVALID_GRANT_REF;
	u64_stats_init(&q->tx_stats.syncp);
	u64_stats_init(&q->rx_stats.syncp);
	timer_setup(&q->refill_timer, xnf_refill_timer_fn, 0);
	snprintf(q->name, sizeof(q->name), "vif%s-q%u",
		 devid ? devid + 1 : "", id);
}

static void xnf_setup_netdev(struct net_device *netdev, struct device *parent)
{
	netdev->netdev_ops = &xnf_netdev_ops;
	netdev->ethtool_ops = &xnf_ethtool_ops;

	/*
	 * Everything is offered here; ndo_fix_features trims the set to
	 * what the backend advertises once it is known.
	 */
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6;
	netdev->features = netdev->hw_features | NETIF_F_RXCSUM |
			   NETIF_F_GSO_ROBUST;

	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	netif_set_tso_max_size(netdev, XEN_NETIF_MAX_TX_SIZE);
	xdp_set_features_flag(netdev, NETDEV_XDP_ACT_BASIC |
			      NETDEV_XDP_ACT_REDIRECT |
			      NETDEV_XDP_ACT_NDO_XMIT);
	netdev->sysfs_groups[0] = &xnf_dev_group;

	/* skb->cb holds per-packet state while on the ring. */
	netdev->priv_flags &= ~IFF_TX_SKB_SHARING;

	SET_NETDEV_DEV(netdev, parent);
	netif_carrier_off(netdev);
}

static int xnf_probe(struct xenbus_device *dev,
		     const struct xenbus_device_id *id)
{
	struct net_device *netdev;
	struct xnf_info *info;
	unsigned int i, nq;
	int err;

	/*
	 * Room for the default queue count even if max_queues is lower now,
	 * so that raising it later takes effect at the next connection.
	 */
	nq = max(xnf_max_queues_now(), xnf_max_queues_default());
	netdev = alloc_etherdev_mq(sizeof(*info), nq);
	if (!netdev) {
		err = -ENOMEM;
		goto fail;
	}

	info = netdev_priv(netdev);
	info->netdev = netdev;
	info->xbdev = dev;
	info->alloc_queues = nq;
	info->be_max_queues = 1;
	mutex_init(&info->lock);
	INIT_DELAYED_WORK(&info->stale_work, xnf_stale_backend);
	atomic_set(&info->protocol_errors, 0);
	xnf_ctrl_init(info);

	info->queues = kvcalloc(info->alloc_queues, sizeof(*info->queues),
				GFP_KERNEL);
	if (!info->queues) {
		err = -ENOMEM;
		goto fail_netdev;
	}
	for (i = 0; i < info->alloc_queues; i++)
		xnf_queue_init(info, i);

	xnf_setup_netdev(netdev, &dev->dev);
	dev_set_drvdata(&dev->dev, info);

	err = xenbus_switch_state(dev, XenbusStateInitialising);
	if (err)
		goto fail_drvdata;
	return 0;

fail_drvdata:
	dev_set_drvdata(&dev->dev, NULL);
	kvfree(info->queues);
fail_netdev:
	free_netdev(netdev);
fail:
	xenbus_dev_fatal(dev, err, "creating the network device");
	return err;
}

static void xnf_remove(struct xenbus_device *dev)
{
	struct xnf_info *info = dev_get_drvdata(&dev->dev);
	struct net_device *netdev = info->netdev;

	mutex_lock(&info->lock);
	info->removing = true;
	mutex_unlock(&info->lock);
	cancel_delayed_work_sync(&info->stale_work);

	xnf_quiesce(info);
	xnf_bus_close(info);

	if (netdev->reg_state == NETREG_REGISTERED)
		unregister_netdev(netdev);

	mutex_lock(&info->lock);
	xnf_teardown(info);
	mutex_unlock(&info->lock);

	dev_set_drvdata(&dev->dev, NULL);
	kvfree(info->queues);
	free_netdev(netdev);
}

static const struct xenbus_device_id xnf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver xnf_driver = {
	.ids			= xnf_ids,
	.probe			= xnf_probe,
	.remove			= xnf_remove,
	.resume			= xnf_resume,
	.otherend_changed	= xnf_backend_changed,
};

static int __init xnf_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (!xen_has_pv_nic_devices())
		return -ENODEV;

	pr_info("Xen multi-queue network frontend, up to %u queues\n",
		xnf_max_queues_now());
	/*
	 * No module owner on purpose: the xenbus core would pin the owner
	 * while any vif is bound, so "rmmod" with a live interface could
	 * never work. Unloading is safe without the pin: module exit
	 * unregisters the driver, and the driver core unbinds every device
	 * (xnf_remove: closing handshake, interface unregistered, all
	 * grants ended) before the module's code goes away; xenbus stops
	 * the backend watch before calling remove.
	 */
	return __xenbus_register_frontend(&xnf_driver, NULL, XNF_MOD_NAME);
}
module_init(xnf_init);

static void __exit xnf_exit(void)
{
	xenbus_unregister_driver(&xnf_driver);
}
module_exit(xnf_exit);

MODULE_DESCRIPTION("Xen multi-queue paravirtual network frontend");
MODULE_LICENSE("GPL");
/* debian/changelog's first line, through the Makefile and Kbuild. */
MODULE_VERSION(NETMQ_VERSION);
MODULE_ALIAS("xen:vif");
MODULE_ALIAS("xennet");
