// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the vifD.H net_device, queue set-up and tear-down, event
 * channel handlers.
 */
#include "common.h"

#include <linux/module.h>
#include <linux/if_vlan.h>
#include <linux/kthread.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <xen/events.h>

/* ---- event channels ----------------------------------------------- */

/*
 * All channels are bound "late EOI": Xen does not deliver the next
 * event of a channel until we acknowledge the previous one, so a
 * frontend cannot flood us. An event is acknowledged once the work it
 * announced is done (NAPI completes, the kthread goes idle) or at once
 * if it announced nothing. A disabled vif never acknowledges, which
 * leaves its channels masked.
 */

static bool xnb_tx_event(struct xnb_queue *queue)
{
	if (!RING_HAS_UNCONSUMED_REQUESTS(&queue->tx))
		return false;
	napi_schedule(&queue->napi);
	return true;
}

static bool xnb_rx_event(struct xnb_queue *queue)
{
	if (!xnb_rx_has_work(queue))
		return false;
	xnb_rx_kick(queue);
	return true;
}

static irqreturn_t xnb_tx_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *queue = dev_id;

	atomic_or(XNB_EOI_TX, &queue->eoi_pending);
	if (unlikely(xnb_vif_disabled(queue->vif)))
		return IRQ_HANDLED;
	if (!xnb_tx_event(queue)) {
		atomic_andnot(XNB_EOI_TX, &queue->eoi_pending);
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	}
	return IRQ_HANDLED;
}

static irqreturn_t xnb_rx_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *queue = dev_id;

	atomic_or(XNB_EOI_RX, &queue->eoi_pending);
	if (unlikely(xnb_vif_disabled(queue->vif)))
		return IRQ_HANDLED;
	if (!xnb_rx_event(queue)) {
		atomic_andnot(XNB_EOI_RX, &queue->eoi_pending);
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	}
	return IRQ_HANDLED;
}

static irqreturn_t xnb_shared_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *queue = dev_id;
	bool tx, rx;

	atomic_or(XNB_EOI_SHARED, &queue->eoi_pending);
	if (unlikely(xnb_vif_disabled(queue->vif)))
		return IRQ_HANDLED;
	tx = xnb_tx_event(queue);
	rx = xnb_rx_event(queue);
	if (!tx && !rx) {
		atomic_andnot(XNB_EOI_SHARED, &queue->eoi_pending);
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	}
	return IRQ_HANDLED;
}

/* ---- fatal errors ---------------------------------------------------- */

/**
 * xnb_fatal - a frontend broke the protocol: shut this vif down
 * @vif: the interface
 * @fmt: what was wrong, for the log
 *
 * Callable from any context. The first call per connection logs one
 * line (rate limited per vif: a frontend that keeps reconnecting and
 * faulting cannot hide another's) and marks the vif disabled: its NAPI
 * polls and kthreads stop touching the rings and its channels stay
 * masked. The netdev work (carrier off, NAPI and irqs off) is done from
 * a work item because it needs RTNL. The vif stays this way until the frontend
 * reconnects.
 */
void xnb_fatal(struct xnb_vif *vif, const char *fmt, ...)
{
	unsigned int i, n;
	struct va_format vaf;
	va_list args;

	if (test_and_set_bit(XNB_VIF_DISABLED, &vif->flags))
		return;

	if (__ratelimit(&vif->fatal_rs)) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		netdev_err(vif->dev, "frontend error, vif disabled: %pV\n",
			   &vaf);
		va_end(args);
	}

	/* Callers run in queue or control context: queues are stable. */
	n = READ_ONCE(vif->num_queues);
	for (i = 0; i < n; i++)
		xnb_rx_kick(&vif->queues[i]);

	schedule_work(&vif->fatal_work);
}

/* ---- data path on/off --------------------------------------------- */

/* Enable NAPI and interrupts of every queue. Caller holds RTNL. */
static void xnb_dp_up(struct xnb_vif *vif)
{
	unsigned int i;

	ASSERT_RTNL();
	if (vif->dp_up || !test_bit(XNB_VIF_CONNECTED, &vif->flags) ||
	    xnb_vif_disabled(vif) || !netif_running(vif->dev))
		return;

	for (i = 0; i < vif->num_queues; i++) {
		struct xnb_queue *queue = &vif->queues[i];

		napi_enable(&queue->napi);
		enable_irq(queue->tx_irq);
		if (queue->rx_irq != queue->tx_irq)
			enable_irq(queue->rx_irq);
	}
	vif->dp_up = true;

	/* Pick up whatever the frontend queued while we were down. */
	for (i = 0; i < vif->num_queues; i++) {
		xnb_tx_rearm(&vif->queues[i]);
		xnb_rx_kick(&vif->queues[i]);
	}
}

/* Disable interrupts and NAPI of every queue. Caller holds RTNL. */
static void xnb_dp_down(struct xnb_vif *vif)
{
	unsigned int i;

	ASSERT_RTNL();
	if (!vif->dp_up)
		return;

	for (i = 0; i < vif->num_queues; i++) {
		struct xnb_queue *queue = &vif->queues[i];

		disable_irq(queue->tx_irq);
		if (queue->rx_irq != queue->tx_irq)
			disable_irq(queue->rx_irq);
		napi_disable(&queue->napi);
		timer_delete_sync(&queue->credit_timer);
	}
	vif->dp_up = false;
}

static void xnb_fatal_work(struct work_struct *work)
{
	struct xnb_vif *vif = container_of(work, struct xnb_vif, fatal_work);

	rtnl_lock();
	if (xnb_vif_disabled(vif)) {
		netif_carrier_off(vif->dev);
		xnb_dp_down(vif);
	}
	rtnl_unlock();
}

/**
 * xnb_vif_start - the queues are connected: carrier on, data path up
 * @vif: the interface; vif->queues and the xenstore flags are set
 */
void xnb_vif_start(struct xnb_vif *vif)
{
	struct net_device *dev = vif->dev;
	unsigned int n = vif->nr_queues_req;

	rtnl_lock();
	netif_set_real_num_tx_queues(dev, n);
	netif_set_real_num_rx_queues(dev, n);
	/* Queues fully set up before ndo_start_xmit may see them. */
	smp_store_release(&vif->num_queues, n);

	if (!vif->can_sg && dev->mtu > ETH_DATA_LEN)
		dev_set_mtu(dev, ETH_DATA_LEN);
	netdev_update_features(dev);

	vif->stalled_queues = 0;
	clear_bit(XNB_VIF_DISABLED, &vif->flags);
	set_bit(XNB_VIF_CONNECTED, &vif->flags);
	netif_carrier_on(dev);
	xnb_dp_up(vif);
	netif_tx_wake_all_queues(dev);
	rtnl_unlock();

	/*
	 * A control event that came while the vif was still marked disabled
	 * from its last connection was left unacknowledged; serve whatever
	 * the frontend posted so far, which also acknowledges it.
	 */
	if (vif->ctrl_irq)
		queue_work(xnb_wq, &vif->ctrl_work);
}

/**
 * xnb_vif_stop - carrier off, data path down, no more transmits
 * @vif: the interface
 *
 * After this returns no NAPI poll runs, no interrupt handler runs and
 * ndo_start_xmit no longer sees any queue. The kthreads still run.
 */
void xnb_vif_stop(struct xnb_vif *vif)
{
	struct net_device *dev = vif->dev;

	rtnl_lock();
	/* Under vif->lock so a kthread ending a stall cannot undo this. */
	spin_lock_bh(&vif->lock);
	clear_bit(XNB_VIF_CONNECTED, &vif->flags);
	netif_carrier_off(dev);
	spin_unlock_bh(&vif->lock);
	xnb_dp_down(vif);
	netif_tx_disable(dev);
	WRITE_ONCE(vif->num_queues, 0);
	rtnl_unlock();

	/* Let transmits that saw the queues finish. */
	synchronize_net();
}

/* ---- queues --------------------------------------------------------- */

/**
 * xnb_queues_alloc - allocate and initialise @num queues (not connected)
 * @vif: the interface, without queues
 * @num: queue count, at most vif->max_queues
 */
int xnb_queues_alloc(struct xnb_vif *vif, unsigned int num)
{
	struct xnb_queue *queues;
	unsigned int i;

	queues = kvcalloc(num, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;

	for (i = 0; i < num; i++) {
		struct xnb_queue *queue = &queues[i];

		queue->vif = vif;
		queue->id = i;
		queue->stats = &vif->qstats[i];
		snprintf(queue->name, sizeof(queue->name), "%s-q%u",
			 vif->dev->name, i);
		atomic_set(&queue->eoi_pending, 0);

		timer_setup(&queue->credit_timer, xnb_tx_credit_timer, 0);
		queue->credit_bytes = vif->credit_bytes;
		queue->credit_usec = vif->credit_usec;
		queue->remaining_credit = vif->credit_bytes;
		queue->credit_window_start = get_jiffies_64();

		skb_queue_head_init(&queue->rx_queue);
		spin_lock_init(&queue->rx_lock);
		queue->rx_queue_max = XNB_RX_QUEUE_BYTES;
		queue->rx_last_progress = jiffies;
		init_waitqueue_head(&queue->rx_wq);
	}

	vif->queues = queues;
	return 0;
}

/* Free the queue array; every queue must be disconnected. */
void xnb_queues_free(struct xnb_vif *vif)
{
	kvfree(vif->queues);
	vif->queues = NULL;
}

static void xnb_unmap_rings(struct xnb_queue *queue)
{
	struct xenbus_device *xdev = to_xenbus_device(queue->vif->dev->dev.parent);

	if (queue->tx.sring) {
		xenbus_unmap_ring_vfree(xdev, queue->tx.sring);
		queue->tx.sring = NULL;
	}
	if (queue->rx.sring) {
		xenbus_unmap_ring_vfree(xdev, queue->rx.sring);
		queue->rx.sring = NULL;
	}
}

static int xnb_map_rings(struct xnb_queue *queue, grant_ref_t tx_ref,
			 grant_ref_t rx_ref)
{
	struct xenbus_device *xdev = to_xenbus_device(queue->vif->dev->dev.parent);
	struct xen_netif_tx_sring *txs;
	struct xen_netif_rx_sring *rxs;
	RING_IDX req, rsp;
	void *addr;
	int err;

	err = xenbus_map_ring_valloc(xdev, &tx_ref, 1, &addr);
	if (err)
		return err;
	txs = addr;
	req = READ_ONCE(txs->req_prod);
	rsp = READ_ONCE(txs->rsp_prod);
	BACK_RING_ATTACH(&queue->tx, txs, rsp, XEN_PAGE_SIZE);
	if (req - rsp > XNB_TX_RING_SIZE) {
		err = -EIO;
		goto err_unmap;
	}

	err = xenbus_map_ring_valloc(xdev, &rx_ref, 1, &addr);
	if (err)
		goto err_unmap;
	rxs = addr;
	req = READ_ONCE(rxs->req_prod);
	rsp = READ_ONCE(rxs->rsp_prod);
	BACK_RING_ATTACH(&queue->rx, rxs, rsp, XEN_PAGE_SIZE);
	if (req - rsp > XNB_RX_RING_SIZE) {
		err = -EIO;
		goto err_unmap;
	}
	return 0;

err_unmap:
	xnb_unmap_rings(queue);
	return err;
}

/* Bind a queue's event channel, disabled until xnb_dp_up(). */
static int xnb_bind(struct xnb_queue *queue, evtchn_port_t port,
		    irq_handler_t handler, const char *name)
{
	struct xenbus_device *xdev = to_xenbus_device(queue->vif->dev->dev.parent);

	return bind_interdomain_evtchn_to_irqhandler_lateeoi(xdev, port,
							    handler,
							    IRQF_NO_AUTOEN,
							    name, queue);
}

/**
 * xnb_queue_connect - map a queue's rings, bind its channels, start it
 * @queue: an allocated, unconnected queue
 * @tx_ref: grant of the tx ring page
 * @rx_ref: grant of the rx ring page
 * @tx_port: tx event channel (the only one if @rx_port equals it)
 * @rx_port: rx event channel
 *
 * The interrupts are bound disabled; xnb_vif_start() enables them.
 */
int xnb_queue_connect(struct xnb_queue *queue, grant_ref_t tx_ref,
		      grant_ref_t rx_ref, evtchn_port_t tx_port,
		      evtchn_port_t rx_port)
{
	struct xnb_vif *vif = queue->vif;
	struct task_struct *task;
	int err;

	err = xnb_map_rings(queue, tx_ref, rx_ref);
	if (err)
		return err;

	netif_napi_add(vif->dev, &queue->napi, xnb_tx_poll);

	if (tx_port == rx_port) {
		snprintf(queue->tx_irq_name, sizeof(queue->tx_irq_name), "%s",
			 queue->name);
		err = xnb_bind(queue, tx_port, xnb_shared_interrupt,
			       queue->tx_irq_name);
		if (err < 0)
			goto err_napi;
		queue->tx_irq = err;
		queue->rx_irq = err;
	} else {
		snprintf(queue->tx_irq_name, sizeof(queue->tx_irq_name),
			 "%s-tx", queue->name);
		err = xnb_bind(queue, tx_port, xnb_tx_interrupt,
			       queue->tx_irq_name);
		if (err < 0)
			goto err_napi;
		queue->tx_irq = err;

		snprintf(queue->rx_irq_name, sizeof(queue->rx_irq_name),
			 "%s-rx", queue->name);
		err = xnb_bind(queue, rx_port, xnb_rx_interrupt,
			       queue->rx_irq_name);
		if (err < 0)
			goto err_tx_irq;
		queue->rx_irq = err;
	}

	task = kthread_run(xnb_rx_thread, queue, "%s-rx", queue->name);
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto err_rx_irq;
	}
	queue->rx_task = task;
	return 0;

err_rx_irq:
	if (queue->rx_irq != queue->tx_irq)
		unbind_from_irqhandler(queue->rx_irq, queue);
	queue->rx_irq = 0;
err_tx_irq:
	unbind_from_irqhandler(queue->tx_irq, queue);
	queue->tx_irq = 0;
err_napi:
	netif_napi_del(&queue->napi);
	xnb_unmap_rings(queue);
	return err;
}

/**
 * xnb_queue_disconnect - undo xnb_queue_connect()
 * @queue: a connected queue whose data path is down (xnb_vif_stop())
 */
void xnb_queue_disconnect(struct xnb_queue *queue)
{
	if (queue->rx_task) {
		kthread_stop(queue->rx_task);
		queue->rx_task = NULL;
	}
	if (queue->rx_irq && queue->rx_irq != queue->tx_irq)
		unbind_from_irqhandler(queue->rx_irq, queue);
	queue->rx_irq = 0;
	if (queue->tx_irq)
		unbind_from_irqhandler(queue->tx_irq, queue);
	queue->tx_irq = 0;
	timer_delete_sync(&queue->credit_timer);
	if (queue->tx.sring) {
		netif_napi_del(&queue->napi);
		xnb_unmap_rings(queue);
	}
}

/**
 * xnb_vif_set_rate - apply a "rate" setting to the vif and its queues
 * @vif: the interface
 * @bytes: bytes allowed per period
 * @usec: period length, 0 for no limit
 */
void xnb_vif_set_rate(struct xnb_vif *vif, unsigned long bytes,
		      unsigned long usec)
{
	unsigned int i, n;

	vif->credit_bytes = bytes;
	vif->credit_usec = usec;

	n = READ_ONCE(vif->num_queues);
	for (i = 0; i < n; i++) {
		struct xnb_queue *queue = &vif->queues[i];

		WRITE_ONCE(queue->credit_bytes, bytes);
		WRITE_ONCE(queue->credit_usec, usec);
		/* A waiting queue re-evaluates its credit right away. */
		mod_timer_pending(&queue->credit_timer, jiffies);
	}
}

/* ---- net_device ops ------------------------------------------------- */

static netdev_tx_t xnb_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xnb_vif *vif = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);
	/* Pairs with the release in xnb_vif_start(): queues are ready. */
	unsigned int n = smp_load_acquire(&vif->num_queues);
	struct xnb_queue *queue;
	struct xnb_rx_cb *cb;
	unsigned int slots;

	BUILD_BUG_ON(sizeof(struct xnb_rx_cb) > sizeof(skb->cb));

	if (unlikely(qid >= dev->num_tx_queues))
		qid = 0;
	if (unlikely(!n || !test_bit(XNB_VIF_CONNECTED, &vif->flags) ||
		     xnb_vif_disabled(vif)))
		goto drop;
	/*
	 * Transiently possible while the queue count changes. Only the
	 * queue this netdev tx queue feeds may take the frame: the stop
	 * and wake of the netdev queue follow its fill level.
	 */
	if (unlikely(qid >= n))
		goto drop;
	queue = &vif->queues[qid];

	if (unlikely(skb->len < ETH_HLEN || !pskb_may_pull(skb, ETH_HLEN)))
		goto drop;

	if (vif->multicast_control) {
		const u8 *dst = eth_hdr(skb)->h_dest;

		if (is_multicast_ether_addr(dst) &&
		    !is_broadcast_ether_addr(dst) && !xnb_mcast_match(vif, dst))
			goto drop;
	}

	/*
	 * The headroom is fixed here for this frame: the kthread lays it
	 * out as counted, even if the frontend reconfigures meanwhile.
	 */
	cb = XNB_RX_CB(skb);
	cb->headroom = READ_ONCE(vif->xdp_headroom);
	slots = DIV_ROUND_UP(skb->len, XEN_PAGE_SIZE - cb->headroom);
	if (unlikely(slots > XEN_NETIF_NR_SLOTS_MIN ||
		     (slots > 1 && !vif->can_sg)))
		goto drop;

	cb->expires = jiffies + vif->drain_timeout;
	cb->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	if (skb_is_gso(skb)) {
		u8 type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) ?
			  XEN_NETIF_GSO_TYPE_TCPV4 : XEN_NETIF_GSO_TYPE_TCPV6;

		if (READ_ONCE(vif->gso_mask) & BIT(type)) {
			cb->gso_type = type;
			slots++;
		}
	}
	xnb_hash_fill_cb(vif, skb);
	if (cb->hash_type != XNB_HASH_TYPE_NONE)
		slots++;
	if (cb->headroom)
		slots++;
	cb->slots = slots;

	if (unlikely(!xnb_rx_enqueue(queue, skb)))
		goto drop;
	return NETDEV_TX_OK;

drop:
	atomic64_inc(&vif->qstats[qid].tx_xmit_drops);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static u16 xnb_select_queue(struct net_device *dev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	struct xnb_vif *vif = netdev_priv(dev);
	unsigned int n = dev->real_num_tx_queues;

	if (n <= 1)
		return 0;
	/* A hash configuration the guest set over the control ring wins. */
	if (rcu_access_pointer(vif->hash))
		return xnb_hash_select_queue(vif, skb, n);
	if (READ_ONCE(vif->rx_follows_tx)) {
		int q = xnb_steer_lookup(vif, skb, n);

		if (q >= 0)
			return q;
	}
	return skb_get_hash(skb) % n;
}

static int xnb_open(struct net_device *dev)
{
	struct xnb_vif *vif = netdev_priv(dev);

	xnb_dp_up(vif);
	netif_tx_start_all_queues(dev);
	return 0;
}

static int xnb_stop(struct net_device *dev)
{
	struct xnb_vif *vif = netdev_priv(dev);

	xnb_dp_down(vif);
	netif_tx_stop_all_queues(dev);
	return 0;
}

static int xnb_change_mtu(struct net_device *dev, int mtu)
{
	struct xnb_vif *vif = netdev_priv(dev);
	int max = vif->can_sg ? ETH_MAX_MTU - VLAN_ETH_HLEN : ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

static netdev_features_t xnb_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct xnb_vif *vif = netdev_priv(dev);

	if (!vif->can_sg)
		features &= ~NETIF_F_SG;
	if (!(READ_ONCE(vif->gso_mask) & BIT(XEN_NETIF_GSO_TYPE_TCPV4)))
		features &= ~NETIF_F_TSO;
	if (!(READ_ONCE(vif->gso_mask) & BIT(XEN_NETIF_GSO_TYPE_TCPV6)))
		features &= ~NETIF_F_TSO6;
	if (!vif->ip_csum)
		features &= ~NETIF_F_IP_CSUM;
	if (!vif->ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

const struct net_device_ops xnb_netdev_ops = {
	.ndo_open		= xnb_open,
	.ndo_stop		= xnb_stop,
	.ndo_start_xmit		= xnb_start_xmit,
	.ndo_select_queue	= xnb_select_queue,
	.ndo_get_stats64	= xnb_get_stats64,
	.ndo_change_mtu		= xnb_change_mtu,
	.ndo_fix_features	= xnb_fix_features,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/* ---- vif creation ------------------------------------------------------ */

/**
 * xnb_vif_create - allocate and register the vifD.H net_device
 * @parent: the xenbus device
 * @domid: frontend domain
 * @handle: vif handle
 * @max_queues: queues to size the netdev for (the advertised maximum)
 *
 * Each vif pins the module, so the module cannot be unloaded while a
 * vif exists; unbinding the device through sysfs tears it down instead.
 */
struct xnb_vif *xnb_vif_create(struct device *parent, domid_t domid,
			       unsigned int handle, unsigned int max_queues)
{
	/* Numerically largest unicast address, so a bridge won't pick it. */
	static const u8 placeholder_mac[ETH_ALEN] = {
		0xfe, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	struct net_device *dev;
	char name[IFNAMSIZ];
	struct xnb_vif *vif;
	unsigned int i;
	int err;

	snprintf(name, sizeof(name), "vif%u.%u", domid, handle);
	dev = alloc_netdev_mq(sizeof(*vif), name, NET_NAME_UNKNOWN,
			      ether_setup, max_queues);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(dev, parent);

	vif = netdev_priv(dev);
	vif->dev = dev;
	vif->domid = domid;
	vif->handle = handle;
	vif->max_queues = max_queues;
	vif->can_sg = true;
	vif->ip_csum = true;
	vif->credit_bytes = ULONG_MAX;
	spin_lock_init(&vif->lock);
	spin_lock_init(&vif->mcast_lock);
	INIT_LIST_HEAD(&vif->mcast_list);
	INIT_WORK(&vif->fatal_work, xnb_fatal_work);
	ratelimit_state_init(&vif->fatal_rs, 5 * HZ, 10);
	xnb_ctrl_init(vif);

	vif->qstats = kcalloc(max_queues, sizeof(*vif->qstats), GFP_KERNEL);
	if (!vif->qstats) {
		err = -ENOMEM;
		goto err_free_netdev;
	}
	vif->steer = kzalloc(sizeof(*vif->steer), GFP_KERNEL);
	if (!vif->steer) {
		err = -ENOMEM;
		goto err_free_stats;
	}
	for (i = 0; i < max_queues; i++) {
		u64_stats_init(&vif->qstats[i].rx_syncp);
		u64_stats_init(&vif->qstats[i].tx_syncp);
	}

	dev->netdev_ops = &xnb_netdev_ops;
	dev->ethtool_ops = &xnb_ethtool_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_FRAGLIST;
	dev->features = dev->hw_features | NETIF_F_RXCSUM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - VLAN_ETH_HLEN;
	eth_hw_addr_set(dev, placeholder_mac);
	netif_carrier_off(dev);

	err = register_netdev(dev);
	if (err)
		goto err_free_steer;

	/*
	 * No module reference of its own: the vif lives from probe to
	 * remove, and the xenbus core holds one for the bound device
	 * (given back for a frontend that rejoins, see xenbus.c).
	 */
	xnb_debugfs_vif_add(vif);
	return vif;

err_free_steer:
	kfree(vif->steer);
err_free_stats:
	kfree(vif->qstats);
err_free_netdev:
	free_netdev(dev);
	return ERR_PTR(err);
}

/**
 * xnb_vif_destroy - unregister and free a vif without queues
 * @vif: the interface, disconnected
 */
void xnb_vif_destroy(struct xnb_vif *vif)
{
	struct xnb_qstats *qstats = vif->qstats;
	struct xnb_steer *steer = vif->steer;

	cancel_work_sync(&vif->fatal_work);
	xnb_debugfs_vif_remove(vif);
	unregister_netdev(vif->dev);
	free_netdev(vif->dev);
	kfree(steer);
	kfree(qstats);
}
