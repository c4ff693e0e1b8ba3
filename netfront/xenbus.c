// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: backend state machine,
 * XenStore negotiation, and per-queue connection set-up and teardown.
 *
 * Connection life cycle:
 *   backend InitWait   -> set up queues, publish keys, go Connected
 *   backend Connected  -> announce ourselves (gratuitous ARP etc.)
 *   backend Closing    -> stop traffic, go Closed
 *   backend Closed     -> release rings, grants and channels
 *   resume             -> release everything; the new backend's InitWait
 *                         reconnects, renegotiating the queue count
 *   ethtool -L         -> close, release, and reconnect with the new
 *                         queue count while the backend follows
 *   backend restarting -> (its driver is unbound, e.g. rmmod) close,
 *                         release, go Initialising; the next backend's
 *                         InitWait reconnects (feature-rejoin)
 */

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/rtnetlink.h>
#include <xen/events.h>
#include <xen/page.h>
#include <net/page_pool/helpers.h>

#include "common.h"

/* How long remove() waits for each step of the closing handshake. */
#define XNF_CLOSE_WAIT_MS	3000
#define XNF_CLOSE_POLL_MS	10
/* How long an XDP attach waits for the backend to reconfigure. */
#define XNF_RECONF_WAIT_MS	2000
/*
 * How long a backend found Closed at probe has to answer our
 * Initialising with InitWait before we close. Loading the module waits
 * for every vif to connect or close (up to 5 minutes in the xenbus
 * core), so a vif whose backend is gone for good must not stay
 * Initialising.
 */
#define XNF_STALE_WAIT_MS	10000

/* ---- shared ring pages ------------------------------------------------ */

static int xnf_ring_alloc(struct xnf_queue *q, struct page **pagep,
			  grant_ref_t *refp)
{
	struct page *page;
	int ref;

	page = alloc_page(GFP_NOIO | __GFP_ZERO);
	if (!page)
		return -ENOMEM;

	ref = gnttab_grant_foreign_access(q->backend_id, xen_page_to_gfn(page), 0);
	if (ref < 0) {
		__free_page(page);
		return ref;
	}
	*pagep = page;
	*refp = ref;
	return 0;
}

/* End access to a ring page; the page is freed once the backend lets go. */
static void xnf_ring_free(struct page **pagep, grant_ref_t *refp)
{
	if (*refp != INVALID_GRANT_REF)
		gnttab_end_foreign_access(*refp, *pagep);
	else if (*pagep)
		__free_page(*pagep);
	*refp = INVALID_GRANT_REF;
	*pagep = NULL;
}

/* ---- grant references for the buffers ---------------------------------- */

/* Give each TX id and each RX position its own grant reference. */
static int xnf_grefs_claim(struct xnf_queue *q)
{
	grant_ref_t head;
	unsigned int i;
	int err;

	err = gnttab_alloc_grant_references(XNF_TX_RING_SIZE + XNF_RX_RING_SIZE,
					    &head);
	if (err < 0)
		return err;

	for (i = 0; i < XNF_TX_RING_SIZE; i++)
		q->tx_slots[i].gref = gnttab_claim_grant_reference(&head);
	for (i = 0; i < XNF_RX_RING_SIZE; i++)
		q->rx_slots[i].gref = gnttab_claim_grant_reference(&head);
	return 0;
}

/* ---- event channels ------------------------------------------------------ */

static int xnf_evtchn_bind(struct xnf_queue *q, evtchn_port_t *port,
			   irq_handler_t handler, const char *name)
{
	struct xenbus_device *dev = q->info->xbdev;
	int irq, err;

	err = xenbus_alloc_evtchn(dev, port);
	if (err)
		return err;

	irq = bind_evtchn_to_irqhandler_lateeoi(*port, handler, 0, name, q);
	if (irq < 0) {
		xenbus_free_evtchn(dev, *port);
		*port = 0;
		return irq;
	}
	return irq;
}

static int xnf_evtchn_setup_split(struct xnf_queue *q)
{
	int irq;

	snprintf(q->tx_irq_name, sizeof(q->tx_irq_name), "%s-tx", q->name);
	snprintf(q->rx_irq_name, sizeof(q->rx_irq_name), "%s-rx", q->name);

	irq = xnf_evtchn_bind(q, &q->tx_evtchn, xnf_tx_interrupt,
			      q->tx_irq_name);
	if (irq < 0)
		return irq;
	q->tx_irq = irq;

	irq = xnf_evtchn_bind(q, &q->rx_evtchn, xnf_rx_interrupt,
			      q->rx_irq_name);
	if (irq < 0) {
		unbind_from_irqhandler(q->tx_irq, q);
		q->tx_irq = 0;
		q->tx_evtchn = 0;
		return irq;
	}
	q->rx_irq = irq;
	q->split_evtchn = true;
	return 0;
}

static int xnf_evtchn_setup_single(struct xnf_queue *q)
{
	int irq;

	irq = xnf_evtchn_bind(q, &q->tx_evtchn, xnf_interrupt, q->name);
	if (irq < 0)
		return irq;
	q->tx_irq = irq;
	q->rx_irq = irq;
	q->rx_evtchn = q->tx_evtchn;
	q->split_evtchn = false;
	return 0;
}

static int xnf_evtchn_setup(struct xnf_queue *q, bool split)
{
	/* Fall back to one channel if two cannot be had. */
	if (split && !xnf_evtchn_setup_split(q))
		return 0;
	return xnf_evtchn_setup_single(q);
}

/* Unbinding also closes the event channel. */
static void xnf_evtchn_teardown(struct xnf_queue *q)
{
	if (q->tx_irq)
		unbind_from_irqhandler(q->tx_irq, q);
	if (q->split_evtchn && q->rx_irq)
		unbind_from_irqhandler(q->rx_irq, q);
	q->tx_irq = 0;
	q->rx_irq = 0;
	q->tx_evtchn = 0;
	q->rx_evtchn = 0;
	q->split_evtchn = false;
}

/* ---- one queue ------------------------------------------------------------ */

static int xnf_page_pool_create(struct xnf_queue *q)
{
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = XNF_RX_RING_SIZE,
		.nid = NUMA_NO_NODE,
		.dev = &q->info->xbdev->dev,
	};
	struct page_pool *pool;

	XNET_PP_PARAMS_SET_NAPI(&pp, &q->napi);
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	q->page_pool = pool;
	return 0;
}

/*
 * Allocate and grant the rings, the buffer grants, the page pool and
 * the event channel(s) of one queue. Nothing is published yet. Called
 * under RTNL: on a reconnect the netdev is registered, and its NAPI
 * list changes only under RTNL.
 */
static int xnf_queue_connect(struct xnf_queue *q, bool split)
{
	int err;

	ASSERT_RTNL();
	q->backend_id = q->info->xbdev->otherend_id;

	err = xnf_ring_alloc(q, &q->tx_ring_page, &q->tx_ring_ref);
	if (err)
		goto fail;
	err = xnf_ring_alloc(q, &q->rx_ring_page, &q->rx_ring_ref);
	if (err)
		goto fail_tx_ring;
	XEN_FRONT_RING_INIT(&q->tx, (struct xen_netif_tx_sring *)
			    page_address(q->tx_ring_page), XEN_PAGE_SIZE);
	XEN_FRONT_RING_INIT(&q->rx, (struct xen_netif_rx_sring *)
			    page_address(q->rx_ring_page), XEN_PAGE_SIZE);

	err = xnf_grefs_claim(q);
	if (err)
		goto fail_rx_ring;
	xnf_tx_reset(q);
	xnf_rx_reset(q);

	/* NAPI must exist before an event can try to schedule it. */
	netif_napi_add(q->netdev, &q->napi, xnf_poll);

	err = xnf_page_pool_create(q);
	if (err)
		goto fail_napi;

	err = xnf_xdp_rxq_reg(q);
	if (err)
		goto fail_pool;

	err = xnf_evtchn_setup(q, split);
	if (err)
		goto fail_rxq;

	q->connected = true;
	return 0;

fail_rxq:
	xnf_xdp_rxq_unreg(q);
fail_pool:
	page_pool_destroy(q->page_pool);
	q->page_pool = NULL;
fail_napi:
	netif_napi_del(&q->napi);
	xnf_tx_release(q);
	xnf_rx_release(q);
fail_rx_ring:
	xnf_ring_free(&q->rx_ring_page, &q->rx_ring_ref);
fail_tx_ring:
	xnf_ring_free(&q->tx_ring_page, &q->tx_ring_ref);
fail:
	return err;
}

/* Undo xnf_queue_connect(). NAPI must be disabled; called under RTNL. */
static void xnf_queue_disconnect(struct xnf_queue *q)
{
	if (!q->connected)
		return;
	q->connected = false;

	xnf_evtchn_teardown(q);
	timer_delete_sync(&q->refill_timer);

	xnf_tx_release(q);
	xnf_rx_release(q);
	xnf_xdp_rxq_unreg(q);
	page_pool_destroy(q->page_pool);
	q->page_pool = NULL;
	netif_napi_del(&q->napi);

	q->tx.sring = NULL;
	q->rx.sring = NULL;
	xnf_ring_free(&q->rx_ring_page, &q->rx_ring_ref);
	xnf_ring_free(&q->tx_ring_page, &q->tx_ring_ref);
}

/* ---- XenStore --------------------------------------------------------------- */

static int xnf_rm(struct xenbus_transaction xbt, const char *dir,
		  const char *node)
{
	int err = xenbus_rm(xbt, dir, node);

	return err == -ENOENT ? 0 : err;
}

/* Write the ring and event channel keys of @q under @dir. */
static int xnf_write_queue_keys(struct xenbus_transaction xbt,
				struct xnf_queue *q, const char *dir,
				const char **what)
{
	int err;

	*what = "tx-ring-ref";
	err = xenbus_printf(xbt, dir, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (err)
		return err;
	*what = "rx-ring-ref";
	err = xenbus_printf(xbt, dir, "rx-ring-ref", "%u", q->rx_ring_ref);
	if (err)
		return err;

	/* The backend prefers split keys; never leave a stale pair behind. */
	if (q->split_evtchn) {
		*what = "event-channel-tx";
		err = xenbus_printf(xbt, dir, "event-channel-tx", "%u",
				    q->tx_evtchn);
		if (err)
			return err;
		*what = "event-channel-rx";
		err = xenbus_printf(xbt, dir, "event-channel-rx", "%u",
				    q->rx_evtchn);
		if (err)
			return err;
		*what = "event-channel";
		return xnf_rm(xbt, dir, "event-channel");
	}

	*what = "event-channel";
	err = xenbus_printf(xbt, dir, "event-channel", "%u", q->tx_evtchn);
	if (err)
		return err;
	*what = "event-channel-tx";
	err = xnf_rm(xbt, dir, "event-channel-tx");
	if (err)
		return err;
	*what = "event-channel-rx";
	return xnf_rm(xbt, dir, "event-channel-rx");
}

/*
 * Remove keys a previous connection may have left that contradict the
 * layout being written now: queue-N directories we will not use, and,
 * for a multi-queue layout, the single-queue keys at the top.
 */
static int xnf_remove_stale_keys(struct xenbus_transaction xbt,
				 const char *top, unsigned int nq, bool mq,
				 const char **what)
{
	static const char * const flat[] = {
		"tx-ring-ref", "rx-ring-ref", "event-channel",
		"event-channel-tx", "event-channel-rx",
	};
	unsigned int i, n, idx;
	char **dir;
	int err = 0;

	if (nq > 1) {
		for (i = 0; i < ARRAY_SIZE(flat); i++) {
			*what = flat[i];
			err = xnf_rm(xbt, top, flat[i]);
			if (err)
				return err;
		}
	}

	if (!mq) {
		*what = "multi-queue-num-queues";
		err = xnf_rm(xbt, top, "multi-queue-num-queues");
		if (err)
			return err;
	}

	dir = xenbus_directory(xbt, top, "", &n);
	if (IS_ERR(dir))
		return 0;
	for (i = 0; i < n; i++) {
		if (strncmp(dir[i], "queue-", 6) ||
		    kstrtouint(dir[i] + 6, 10, &idx))
			continue;
		if (nq > 1 && idx < nq)
			continue;
		*what = "stale queue directory";
		err = xnf_rm(xbt, top, dir[i]);
		if (err)
			break;
	}
	kfree(dir);
	return err;
}

/*
 * The keys that depend on whether an XDP program is attached: the
 * headroom it needs (asked only of a backend that offers it; removed
 * otherwise), and no GSO on receive, since a program sees one page.
 */
static int xnf_write_xdp_keys(struct xnf_info *info,
			      struct xenbus_transaction xbt, bool xdp,
			      const char **what)
{
	static const char * const gso[] = {
		"feature-gso-tcpv4", "feature-gso-tcpv6",
	};
	const char *top = info->xbdev->nodename;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(gso); i++) {
		*what = gso[i];
		err = xenbus_write(xbt, top, gso[i], xdp ? "0" : "1");
		if (err)
			return err;
	}
	*what = "xdp-headroom";
	if (xdp && (info->be_features & XNF_BE_XDP_HEADROOM))
		return xenbus_printf(xbt, top, "xdp-headroom", "%u",
				     XNF_XDP_HEADROOM);
	return xnf_rm(xbt, top, "xdp-headroom");
}

static int xnf_write_keys(struct xnf_info *info, struct xenbus_transaction xbt,
			  unsigned int nq, bool mq, const char **what)
{
	static const char * const features[] = {
		"request-rx-copy", "feature-rx-notify", "feature-sg",
		"feature-ipv6-csum-offload", "feature-rejoin",
	};
	const char *top = info->xbdev->nodename;
	unsigned int i;
	char *path;
	int err;

	err = xnf_remove_stale_keys(xbt, top, nq, mq, what);
	if (err)
		return err;

	if (mq) {
		*what = "multi-queue-num-queues";
		err = xenbus_printf(xbt, top, "multi-queue-num-queues", "%u", nq);
		if (err)
			return err;
	}

	if (nq == 1) {
		err = xnf_write_queue_keys(xbt, &info->queues[0], top, what);
		if (err)
			return err;
	} else {
		for (i = 0; i < nq; i++) {
			path = kasprintf(GFP_KERNEL, "%s/queue-%u", top, i);
			if (!path) {
				*what = "queue directory path";
				return -ENOMEM;
			}
			err = xnf_write_queue_keys(xbt, &info->queues[i], path,
						   what);
			kfree(path);
			if (err)
				return err;
		}
	}

	for (i = 0; i < ARRAY_SIZE(features); i++) {
		*what = features[i];
		err = xenbus_write(xbt, top, features[i], "1");
		if (err)
			return err;
	}
	err = xnf_ctrl_publish(info, xbt, what);
	if (err)
		return err;
	return xnf_write_xdp_keys(info, xbt, xnf_xdp_on(info), what);
}

/*
 * Publish everything in one transaction, retried while it races, at
 * most XNF_XS_TRIES times in all. With @xdp_only, just the keys an XDP
 * program changes (@xdp says whether one is attached), and a failure is
 * not fatal to the device.
 */
static int xnf_publish_keys(struct xnf_info *info, unsigned int nq, bool mq,
			    bool xdp_only, bool xdp)
{
	struct xenbus_device *dev = info->xbdev;
	struct xenbus_transaction xbt;
	const char *what = "";
	unsigned int tries = 0;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err) {
			if (xdp_only)
				return err;
			xenbus_dev_fatal(dev, err, "starting transaction");
			return err;
		}

		if (xdp_only)
			err = xnf_write_xdp_keys(info, xbt, xdp, &what);
		else
			err = xnf_write_keys(info, xbt, nq, mq, &what);
		if (err && xdp_only) {
			xenbus_transaction_end(xbt, 1);
			dev_warn(&dev->dev, "writing %s: %d\n", what, err);
			return err;
		}
		if (err) {
			xenbus_transaction_end(xbt, 1);
			xenbus_dev_fatal(dev, err, "writing %s", what);
			return err;
		}

		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN && ++tries < XNF_XS_TRIES);

	if (err && !xdp_only)
		xenbus_dev_fatal(dev, err, "completing transaction");
	return err;
}

static int xnf_publish(struct xnf_info *info, unsigned int nq, bool mq)
{
	return xnf_publish_keys(info, nq, mq, false, false);
}

static int xnf_read_mac(struct xenbus_device *dev, u8 *mac)
{
	char *s;
	int err = 0;

	s = xenbus_read(XBT_NIL, dev->nodename, "mac", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (strlen(s) != 3 * ETH_ALEN - 1 || !mac_pton(s, mac))
		err = -EINVAL;
	kfree(s);
	return err;
}

static void xnf_read_backend_features(struct xnf_info *info)
{
	static const struct {
		const char *key;
		u32 bit;
	} keys[] = {
		{ "feature-sg", XNF_BE_SG },
		{ "feature-gso-tcpv4", XNF_BE_GSO_TCPV4 },
		{ "feature-gso-tcpv6", XNF_BE_GSO_TCPV6 },
		{ "feature-ipv6-csum-offload", XNF_BE_IPV6_CSUM },
		{ "feature-no-csum-offload", XNF_BE_NO_CSUM },
		{ "feature-xdp-headroom", XNF_BE_XDP_HEADROOM },
		{ "feature-ctrl-ring", XNF_BE_CTRL_RING },
	};
	const char *be = info->xbdev->otherend;
	unsigned int i;
	u32 f = 0;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (xenbus_read_unsigned(be, keys[i].key, 0))
			f |= keys[i].bit;
	info->be_features = f;
}

/* ---- connect and disconnect --------------------------------------------------- */

/*
 * The toolstack's MTU for this vif (netif.h, "MTU": xl's mtu= in the
 * vif spec, read-only to the guest; 0 if absent). Applied when it
 * differs from what the last connection read, so that an MTU the
 * guest's administrator set since survives reconnections that bring
 * no new value; the usual checks of dev_set_mtu() and ours (SG for
 * more than 1500, the XDP limit) apply.
 */
static void xnf_apply_mtu(struct xnf_info *info, unsigned int mtu)
{
	struct net_device *netdev = info->netdev;
	int err;

	if (!mtu || mtu == info->xs_mtu)
		return;
	info->xs_mtu = mtu;
	if (mtu == netdev->mtu || mtu > INT_MAX)
		return;
	err = dev_set_mtu(netdev, mtu);
	if (err)
		netdev_warn(netdev, "MTU %u from %s/mtu not applied (%d)\n",
			    mtu, info->xbdev->nodename, err);
	else
		netdev_info(netdev, "MTU %u from %s/mtu\n", mtu,
			    info->xbdev->nodename);
}

/* Bring the connected queues into service. Called under RTNL. */
static int xnf_start(struct xnf_info *info, unsigned int nq, const u8 *mac,
		     unsigned int mtu)
{
	struct net_device *netdev = info->netdev;
	unsigned int i;
	int err;

	err = netif_set_real_num_queues(netdev, nq, nq);
	if (err)
		return err;

	if (netdev->reg_state == NETREG_UNINITIALIZED) {
		eth_hw_addr_set(netdev, mac);
		err = register_netdevice(netdev);
		if (err)
			return err;
	} else if (!ether_addr_equal(netdev->dev_addr, mac)) {
		/* A restore or a migration may come with a new address. */
		netdev_info(netdev, "MAC address changed from %pM to %pM\n",
			    netdev->dev_addr, mac);
		eth_hw_addr_set(netdev, mac);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, netdev);
	}

	clear_bit(XNF_FLAG_BROKEN, &info->flags);
	WRITE_ONCE(info->num_queues, nq);
	netdev_update_features(netdev);
	/* After the features: more than 1500 needs SG. */
	xnf_apply_mtu(info, mtu);

	for (i = 0; i < nq; i++) {
		struct xnf_queue *q = &info->queues[i];

		local_bh_disable();
		xnf_rx_refill(q);
		local_bh_enable();
		if (netif_running(netdev)) {
			napi_enable(&q->napi);
			local_bh_disable();
			napi_schedule(&q->napi);
			local_bh_enable();
		}
	}

	netif_carrier_on(netdev);
	/*
	 * This wakes every queue of a running netdev (resume, reconnect);
	 * their rings were just reset and are empty, so each has room.
	 */
	netif_device_attach(netdev);
	return 0;
}

/*
 * Negotiate with a backend in InitWait: set up as many queues as both
 * sides allow (and no more than ethtool -L asked for), publish them and
 * start the interface. Called under RTNL.
 */
static int __xnf_connect(struct xnf_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int be_max, want, nq, mtu;
	u8 mac[ETH_ALEN];
	bool mq, split;
	int err = 0;

	if (!xenbus_read_unsigned(dev->otherend, "feature-rx-copy", 0)) {
		xenbus_dev_fatal(dev, -EPROTONOSUPPORT,
				 "backend %s does not offer feature-rx-copy, which this frontend requires",
				 dev->otherend);
		return -EPROTONOSUPPORT;
	}

	err = xnf_read_mac(dev, mac);
	if (err) {
		xenbus_dev_fatal(dev, err, "parsing %s/mac", dev->nodename);
		return err;
	}

	info->bounce = !READ_ONCE(xnf_trusted) ||
		       !xenbus_read_unsigned(dev->nodename, "trusted", 1);
	mtu = xenbus_read_unsigned(dev->nodename, "mtu", 0);

	/* No key, or a value of 1 or less: the classic single-queue layout. */
	be_max = xenbus_read_unsigned(dev->otherend, "multi-queue-max-queues", 0);
	mq = be_max > 1;
	want = mq ? min3(be_max, info->alloc_queues, xnf_max_queues_now()) : 1;
	if (info->req_queues)
		want = min(want, info->req_queues);
	info->be_max_queues = max(be_max, 1U);

	split = xenbus_read_unsigned(dev->otherend,
				     "feature-split-event-channels", 0);
	xnf_read_backend_features(info);

	for (nq = 0; nq < want; nq++) {
		err = xnf_queue_connect(&info->queues[nq], split);
		if (err)
			break;
	}
	if (!nq) {
		xenbus_dev_fatal(dev, err, "setting up queue 0");
		return err;
	}
	if (nq < want)
		dev_warn(&dev->dev,
			 "out of grants or event channels (%d) setting up queue %u; using %u of %u queues\n",
			 err, nq, nq, want);
	/* Without it only ethtool -X is lost. */
	if (info->be_features & XNF_BE_CTRL_RING)
		xnf_ctrl_connect(info);

	err = xnf_publish(info, nq, mq);
	if (err)
		goto fail;

	err = xnf_start(info, nq, mac, mtu);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting the interface");
		goto fail;
	}

	info->rejoin = false;
	dev_info(&dev->dev, "connected: %u queue%s, %s event channels%s\n",
		 nq, nq == 1 ? "" : "s", split ? "split" : "shared",
		 info->bounce ? ", bouncing TX data (untrusted backend)" : "");
	return 0;

fail:
	WRITE_ONCE(info->num_queues, 0);
	xnf_ctrl_disconnect(info);
	while (nq--)
		xnf_queue_disconnect(&info->queues[nq]);
	return err;
}

static int xnf_connect(struct xnf_info *info)
{
	int err;

	rtnl_lock();
	err = __xnf_connect(info);
	rtnl_unlock();
	return err;
}

/* Stop traffic but keep the rings: carrier off, transmit quiesced. */
static void __xnf_quiesce(struct xnf_info *info)
{
	struct net_device *netdev = info->netdev;

	ASSERT_RTNL();
	if (netdev->reg_state == NETREG_REGISTERED) {
		netif_carrier_off(netdev);
		netif_device_detach(netdev);
		netif_tx_disable(netdev);
	}
}

void xnf_quiesce(struct xnf_info *info)
{
	rtnl_lock();
	__xnf_quiesce(info);
	rtnl_unlock();
}

/* Release every queue's rings, grants and channels. Traffic is stopped. */
static void __xnf_teardown(struct xnf_info *info)
{
	struct net_device *netdev = info->netdev;
	unsigned int i, nq;

	ASSERT_RTNL();
	nq = info->num_queues;
	WRITE_ONCE(info->num_queues, 0);
	xnf_ctrl_disconnect(info);
	/* Redirected XDP frames that saw the queues are on the rings. */
	synchronize_net();
	for (i = 0; i < nq; i++) {
		struct xnf_queue *q = &info->queues[i];

		if (q->connected && netif_running(netdev))
			napi_disable(&q->napi);
		xnf_queue_disconnect(q);
	}
}

void xnf_teardown(struct xnf_info *info)
{
	rtnl_lock();
	__xnf_teardown(info);
	rtnl_unlock();
}

static void xnf_disconnect(struct xnf_info *info)
{
	xnf_quiesce(info);
	xnf_teardown(info);
}

/*
 * The backend closes because its driver is being replaced, not because
 * the device goes away: it wrote "restarting" before closing and
 * removes it once a frontend has connected to the next one.
 */
static bool xnf_backend_restarting(struct xenbus_device *dev)
{
	return xenbus_read_unsigned(dev->otherend, "restarting", 0) == 1;
}

/* Closed after a restarting backend: wait, Initialising, for the next. */
static void xnf_rejoin_wait(struct xnf_info *info)
{
	struct xenbus_device *dev = info->xbdev;

	if (info->num_queues)
		xnf_disconnect(info);
	info->rejoin = true;
	xenbus_switch_state(dev, XenbusStateInitialising);
	dev_info(&dev->dev, "backend restarting; waiting for it to return\n");
}

void xnf_backend_changed(struct xenbus_device *dev, enum xenbus_state state)
{
	struct xnf_info *info = dev_get_drvdata(&dev->dev);
	enum xenbus_state prev;

	dev_dbg(&dev->dev, "backend is %s, we are %s\n",
		xenbus_strstate(state), xenbus_strstate(dev->state));

	mutex_lock(&info->lock);
	if (info->removing)
		goto out;
	/*
	 * The watch read @state before we had the lock; a queue change
	 * (xnf_set_queues) may have moved the backend on meanwhile. A
	 * state that is no longer the backend's is dropped: the change
	 * that replaced it has its own event, which reads the newer one.
	 */
	if (xenbus_read_driver_state(dev->otherend) != state)
		goto out;

	prev = info->be_state;
	info->be_state = state;
	switch (state) {
	case XenbusStateInitWait:
		/*
		 * A restarted backend whose Closed we did not see, or one we
		 * gave up on (xnf_stale_backend) that came back after all.
		 */
		if (dev->state == XenbusStateClosed &&
		    (info->gave_up || xnf_backend_restarting(dev))) {
			info->gave_up = false;
			xnf_rejoin_wait(info);
		}
		if (dev->state != XenbusStateInitialising)
			break;
		if (!xnf_connect(info))
			xenbus_switch_state(dev, XenbusStateConnected);
		break;

	case XenbusStateConnected:
		/* Back from Reconfigured is no new connection. */
		if (dev->state == XenbusStateConnected && info->num_queues &&
		    prev != XenbusStateReconfigured)
			netdev_notify_peers(info->netdev);
		/* The backend has mapped the control ring now. */
		if (dev->state == XenbusStateConnected && info->num_queues)
			xnf_ctrl_start(info);
		break;

	case XenbusStateClosing:
		/*
		 * A queue change that timed out: closed already, and waiting
		 * for this backend's InitWait to connect again.
		 */
		if (dev->state == XenbusStateInitialising && info->rejoin)
			break;
		xnf_quiesce(info);
		if (dev->state != XenbusStateClosed)
			xenbus_frontend_closed(dev);
		break;

	case XenbusStateClosed:
		/*
		 * A backend still Closed from before we appeared (our
		 * netfront reloaded): it answers our Initialising with
		 * InitWait. Wait for that, for a while unless it is
		 * restarting.
		 */
		if (dev->state == XenbusStateInitialising) {
			if (!info->rejoin && !xnf_backend_restarting(dev))
				schedule_delayed_work(&info->stale_work,
						      msecs_to_jiffies(XNF_STALE_WAIT_MS));
			break;
		}
		xnf_disconnect(info);
		if (dev->state != XenbusStateClosed)
			xenbus_frontend_closed(dev);
		if (xnf_backend_restarting(dev))
			xnf_rejoin_wait(info);
		break;

	case XenbusStateUnknown:
		/* The backend vanished; nothing can be mapped any more. */
		if (info->num_queues)
			xnf_disconnect(info);
		break;

	default:
		break;
	}
out:
	mutex_unlock(&info->lock);
}

/*
 * A backend that was Closed when we probed and has not answered our
 * Initialising: close, so that nothing waits for this vif to connect
 * (modprobe, boot). If it does come back with InitWait, we rejoin it.
 */
void xnf_stale_backend(struct work_struct *work)
{
	struct xnf_info *info = container_of(to_delayed_work(work),
					     struct xnf_info, stale_work);
	struct xenbus_device *dev = info->xbdev;

	mutex_lock(&info->lock);
	if (!info->removing && !info->rejoin &&
	    dev->state == XenbusStateInitialising &&
	    xenbus_read_driver_state(dev->otherend) == XenbusStateClosed &&
	    !xnf_backend_restarting(dev)) {
		dev_warn(&dev->dev,
			 "backend %s stayed Closed for %u s; closing (its InitWait still reconnects)\n",
			 dev->otherend, XNF_STALE_WAIT_MS / 1000);
		info->gave_up = true;
		xenbus_frontend_closed(dev);
	}
	mutex_unlock(&info->lock);
}

/*
 * After a restore or migration the old backend is gone. Drop the old
 * connection; the xenbus core watches the new backend, whose InitWait
 * starts a fresh negotiation.
 */
int xnf_resume(struct xenbus_device *dev)
{
	struct xnf_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->lock);
	xnf_disconnect(info);
	mutex_unlock(&info->lock);
	return 0;
}

static bool xnf_wait_backend(struct xenbus_device *dev, enum xenbus_state a,
			     enum xenbus_state b)
{
	unsigned int waited;
	enum xenbus_state s;

	for (waited = 0; waited < XNF_CLOSE_WAIT_MS;
	     waited += XNF_CLOSE_POLL_MS) {
		s = xenbus_read_driver_state(dev->otherend);
		if (s == a || s == b || s == XenbusStateUnknown)
			return true;
		msleep(XNF_CLOSE_POLL_MS);
	}
	return false;
}

/*
 * Closing handshake for remove() and for a queue change: the backend
 * unmaps our pages when it sees us close, so that the grants can then
 * be ended immediately. The state is polled (remove() has no otherend
 * watch any more; a queue change holds info->lock, which the watch
 * handler waits for); a backend that does not answer is given up on
 * and its grants are released lazily.
 */
void xnf_bus_close(struct xnf_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	enum xenbus_state s = xenbus_read_driver_state(dev->otherend);

	if (s == XenbusStateClosed || s == XenbusStateUnknown)
		return;

	if (s != XenbusStateClosing) {
		xenbus_switch_state(dev, XenbusStateClosing);
		if (!xnf_wait_backend(dev, XenbusStateClosing, XenbusStateClosed))
			dev_warn(&dev->dev, "backend did not start closing\n");
	}

	xenbus_switch_state(dev, XenbusStateClosed);
	if (!xnf_wait_backend(dev, XenbusStateClosed, XenbusStateClosed))
		dev_warn(&dev->dev, "backend did not close\n");
}

/* How long xnf_set_queues tries info->lock: 25 times, 20 ms apart. */
#define XNF_SET_QUEUES_TRIES	25
#define XNF_SET_QUEUES_WAIT_MS	20

/*
 * ethtool -L: reconnect with @n queues, keeping the interface, its
 * addresses and its counters. The frontend closes (the backend unmaps
 * and frees its queues), releases its rings, goes back to Initialising
 * and, once the backend is in InitWait again, connects with the new
 * count; both the in-tree netback and ours accept a frontend that
 * returns with a different multi-queue-num-queues. @n stays the
 * device's limit for later connections (resume, backend reconnects).
 *
 * Called under RTNL, which info->lock nests outside of: the lock is
 * only tried, for up to half a second, as the watch handler holds it
 * for a xenstore read when it drops the states a previous queue change
 * passed (longer only when it waits for RTNL, and then trying again
 * cannot help). The backend's state is polled (bounded at each step);
 * the watch handler waits for the lock meanwhile and then drops the
 * states that have passed. A backend that does not come back to
 * InitWait in time leaves the device Initialising, and the watch
 * connects it when the backend does.
 */
int xnf_set_queues(struct xnf_info *info, unsigned int n)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int tries = 0;
	enum xenbus_state be;
	int err = 0;

	ASSERT_RTNL();
	while (!mutex_trylock(&info->lock)) {
		if (++tries >= XNF_SET_QUEUES_TRIES)
			return -EBUSY;
		msleep(XNF_SET_QUEUES_WAIT_MS);
	}
	if (info->removing || dev->state != XenbusStateConnected ||
	    !info->num_queues) {
		err = -ENOTCONN;
		goto out;
	}
	info->req_queues = n;
	if (n == info->num_queues)
		goto out;

	__xnf_quiesce(info);
	xnf_bus_close(info);
	__xnf_teardown(info);

	xenbus_switch_state(dev, XenbusStateInitialising);
	xnf_wait_backend(dev, XenbusStateInitWait, XenbusStateInitWait);
	be = xenbus_read_driver_state(dev->otherend);
	info->be_state = be;
	if (be != XenbusStateInitWait) {
		dev_warn(&dev->dev,
			 "backend is %s, not InitWait, after the queue change; connecting when it is\n",
			 xenbus_strstate(be));
		info->rejoin = true;
		err = -ETIMEDOUT;
		goto out;
	}
	err = __xnf_connect(info);
	if (!err)
		xenbus_switch_state(dev, XenbusStateConnected);
out:
	mutex_unlock(&info->lock);
	return err;
}

/*
 * Tell a connected backend that an XDP program was attached (@enable)
 * or detached: publish xdp-headroom and the receive GSO keys, then go
 * Reconfiguring and wait (bounded) for the backend to answer
 * Reconfigured before going back to Connected. Called under RTNL, which
 * keeps num_queues stable; info->lock is not taken (it nests outside
 * RTNL), so the state is polled rather than waited for by the watch.
 * A backend without feature-xdp-headroom is left alone, and a backend
 * that does not answer only costs the frames arriving without headroom
 * a move inside their page (xdp.c), so no failure here is fatal.
 */
int xnf_xdp_reconfigure(struct xnf_info *info, bool enable)
{
	struct xenbus_device *dev = info->xbdev;
	enum xenbus_state be;
	unsigned int waited;
	int err;

	ASSERT_RTNL();
	if (!info->num_queues || info->removing ||
	    dev->state != XenbusStateConnected ||
	    !(info->be_features & XNF_BE_XDP_HEADROOM))
		return 0;

	err = xnf_publish_keys(info, 0, false, true, enable);
	if (err)
		return err;

	/*
	 * A backend still in Reconfigured from the last time (the Linux
	 * netback stays there) cannot show that it saw this one.
	 */
	be = xenbus_read_driver_state(dev->otherend);
	xenbus_switch_state(dev, XenbusStateReconfiguring);
	if (be != XenbusStateReconfigured) {
		for (waited = 0; waited < XNF_RECONF_WAIT_MS;
		     waited += XNF_CLOSE_POLL_MS) {
			be = xenbus_read_driver_state(dev->otherend);
			if (be != XenbusStateConnected)
				break;
			msleep(XNF_CLOSE_POLL_MS);
		}
		if (be != XenbusStateReconfigured)
			dev_warn(&dev->dev, "backend is %s, not Reconfigured, after the XDP headroom request\n",
				 xenbus_strstate(be));
	}
	/* Unless the backend went away meanwhile. */
	if (be == XenbusStateReconfigured || be == XenbusStateConnected)
		xenbus_switch_state(dev, XenbusStateConnected);
	return 0;
}
