// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: the control ring
 * (feature-ctrl-ring) and the receive-side scaling the guest sets
 * through it: the Toeplitz key, the hash types and the mapping from
 * hash to queue, which the backend then uses to pick the queue of each
 * frame for the guest (and reports in the hash extra-info slot).
 *
 * The ring is set up with every connection to a backend that offers
 * it, and is live once the backend is Connected. Requests go one at a
 * time (ctrl.lock): the request is pushed, the backend notified, and
 * the one response waited for, at most XNF_CTRL_WAIT_MS. A response
 * is copied once and must answer that request (its id and type); a
 * backend that breaks this, or does not answer, loses the ring until
 * the next connection. Key and mapping table go through one page
 * granted read-only to the backend.
 *
 * At each connection only the size of the mapping table is asked for
 * until the guest's administrator changes something (ethtool -X,
 * ethtool -N rx-flow-hash): until then the backend keeps its own
 * choice of queue. From then on the whole configuration is sent again
 * at every connection.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>

#include "common.h"

#define XNF_CTRL_WAIT_MS	1000

/* The hash types we ask for until told otherwise: all four. */
#define XNF_RSS_FLAGS_ALL						\
	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |	\
	 XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

static irqreturn_t xnf_ctrl_interrupt(int irq, void *data)
{
	struct xnf_ctrl *c = data;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (c->ring.sring &&
	    READ_ONCE(c->ring.sring->rsp_prod) != c->ring.rsp_cons) {
		eoi = 0;
		wake_up(&c->wq);
	}
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;
}

/* The defaults of a new device: a random key, queues in turn. */
void xnf_ctrl_init(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_init(&c->lock);
	init_waitqueue_head(&c->wq);
	c->ring_ref = INVALID_GRANT_REF;
	c->data_ref = INVALID_GRANT_REF;
	netdev_rss_key_fill(c->key, sizeof(c->key));
	c->flags = XNF_RSS_FLAGS_ALL;
}

static void xnf_ctrl_free_pages(struct xnf_ctrl *c)
{
	if (c->ring_ref != INVALID_GRANT_REF)
		gnttab_end_foreign_access(c->ring_ref, c->ring_page);
	else if (c->ring_page)
		__free_page(c->ring_page);
	if (c->data_ref != INVALID_GRANT_REF)
		gnttab_end_foreign_access(c->data_ref, c->data_page);
	else if (c->data_page)
		__free_page(c->data_page);
	c->ring_ref = INVALID_GRANT_REF;
	c->data_ref = INVALID_GRANT_REF;
	c->ring_page = NULL;
	c->data_page = NULL;
	c->ring.sring = NULL;
}

/**
 * xnf_ctrl_connect - set up the control ring for a new connection
 * @info: the device, negotiating with a backend that offers the ring
 *
 * Allocates and grants the ring and the data page and binds the event
 * channel; xnf_ctrl_publish() writes the keys. A failure leaves the
 * device without a control ring, which only costs ethtool -X.
 */
int xnf_ctrl_connect(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;
	struct xenbus_device *dev = info->xbdev;
	domid_t be = dev->otherend_id;
	int ref, irq, err;

	c->ring_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	c->data_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!c->ring_page || !c->data_page) {
		err = -ENOMEM;
		goto fail;
	}
	ref = gnttab_grant_foreign_access(be, xen_page_to_gfn(c->ring_page), 0);
	if (ref < 0) {
		err = ref;
		goto fail;
	}
	c->ring_ref = ref;
	ref = gnttab_grant_foreign_access(be, xen_page_to_gfn(c->data_page), 1);
	if (ref < 0) {
		err = ref;
		goto fail;
	}
	c->data_ref = ref;
	XEN_FRONT_RING_INIT(&c->ring, (struct xen_netif_ctrl_sring *)
			    page_address(c->ring_page), XEN_PAGE_SIZE);

	err = xenbus_alloc_evtchn(dev, &c->evtchn);
	if (err)
		goto fail;
	snprintf(c->irq_name, sizeof(c->irq_name), "vif%s-ctrl",
		 strrchr(dev->nodename, '/') + 1);
	irq = bind_evtchn_to_irqhandler_lateeoi(c->evtchn, xnf_ctrl_interrupt,
						0, c->irq_name, c);
	if (irq < 0) {
		xenbus_free_evtchn(dev, c->evtchn);
		c->evtchn = 0;
		err = irq;
		goto fail;
	}
	c->irq = irq;
	c->broken = false;
	return 0;

fail:
	xnf_ctrl_free_pages(c);
	dev_warn(&dev->dev, "no control ring (%d): the backend keeps its own choice of RX queue\n",
		 err);
	return err;
}

/* Release the ring of the connection that ended. */
void xnf_ctrl_disconnect(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_lock(&c->lock);
	WRITE_ONCE(c->up, false);
	if (c->irq)
		unbind_from_irqhandler(c->irq, c);
	c->irq = 0;
	c->evtchn = 0;
	xnf_ctrl_free_pages(c);
	mutex_unlock(&c->lock);
}

/* The frontend's keys of the ring, or their removal if there is none. */
int xnf_ctrl_publish(struct xnf_info *info, struct xenbus_transaction xbt,
		     const char **what)
{
	struct xnf_ctrl *c = &info->ctrl;
	const char *top = info->xbdev->nodename;
	int err;

	*what = "ctrl-ring-ref";
	if (!c->irq) {
		err = xenbus_rm(xbt, top, "ctrl-ring-ref");
		if (err && err != -ENOENT)
			return err;
		*what = "event-channel-ctrl";
		err = xenbus_rm(xbt, top, "event-channel-ctrl");
		return err == -ENOENT ? 0 : err;
	}
	err = xenbus_printf(xbt, top, "ctrl-ring-ref", "%u", c->ring_ref);
	if (err)
		return err;
	*what = "event-channel-ctrl";
	return xenbus_printf(xbt, top, "event-channel-ctrl", "%u", c->evtchn);
}

static void xnf_ctrl_break(struct xnf_info *info, const char *why)
{
	info->ctrl.broken = true;
	atomic_inc(&info->protocol_errors);
	netdev_err(info->netdev, "control ring: %s; not used again until the next connection\n",
		   why);
}

/*
 * One request and its response; *@data gets the response's data. Called
 * with ctrl.lock held.
 */
static int xnf_ctrl_request(struct xnf_info *info, u16 type, u32 d0, u32 d1,
			    u32 d2, u32 *data)
{
	struct xnf_ctrl *c = &info->ctrl;
	struct xen_netif_ctrl_response rsp;
	struct xen_netif_ctrl_request *req;
	RING_IDX prod;
	u16 id = c->next_id++;
	int notify;

	lockdep_assert_held(&c->lock);
	if (!READ_ONCE(c->up) || c->broken)
		return -ENOTCONN;

	req = RING_GET_REQUEST(&c->ring, c->ring.req_prod_pvt);
	req->id = id;
	req->type = type;
	req->data[0] = d0;
	req->data[1] = d1;
	req->data[2] = d2;
	c->ring.req_prod_pvt++;
	/* Notified when this one response is there. */
	c->ring.sring->rsp_event = c->ring.rsp_cons + 1;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&c->ring, notify);
	if (notify)
		notify_remote_via_irq(c->irq);

	if (!wait_event_timeout(c->wq, READ_ONCE(c->ring.sring->rsp_prod) !=
				c->ring.rsp_cons,
				msecs_to_jiffies(XNF_CTRL_WAIT_MS))) {
		xnf_ctrl_break(info, "no response within 1 s");
		return -ETIMEDOUT;
	}
	prod = READ_ONCE(c->ring.sring->rsp_prod);
	virt_rmb(); /* the response after the producer index */
	if (prod - c->ring.rsp_cons != 1) {
		xnf_ctrl_break(info, "more responses than requests");
		return -EIO;
	}
	RING_COPY_RESPONSE(&c->ring, c->ring.rsp_cons, &rsp);
	c->ring.rsp_cons++;
	if (rsp.id != id || rsp.type != type) {
		xnf_ctrl_break(info, "a response to no request of ours");
		return -EIO;
	}

	switch (rsp.status) {
	case XEN_NETIF_CTRL_STATUS_SUCCESS:
		if (data)
			*data = rsp.data;
		return 0;
	case XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER:
		return -EINVAL;
	case XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW:
		return -ENOSPC;
	default:
		xnf_ctrl_break(info, "a response with an undefined status");
		return -EIO;
	}
}

/*
 * Send the whole configuration: algorithm, key, hash types, mapping
 * table (the backend clears a table when its size is set). Called with
 * ctrl.lock held.
 */
static int xnf_ctrl_apply(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;
	u32 *page = page_address(c->data_page);
	unsigned int nq = READ_ONCE(info->num_queues);
	unsigned int i;
	int err;

	err = xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
			       XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0, NULL);
	if (err)
		return err;

	memcpy(page, c->key, sizeof(c->key));
	err = xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
			       c->data_ref, sizeof(c->key), 0, NULL);
	if (err)
		return err;

	err = xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
			       c->flags, 0, 0, NULL);
	if (err)
		return err;

	err = xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
			       c->indir_size, 0, 0, NULL);
	if (err)
		return err;

	/* Entries past the queues of this connection fall back to queue 0. */
	for (i = 0; i < c->indir_size; i++)
		page[i] = c->indir[i] < nq ? c->indir[i] : 0;
	return xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
				c->data_ref, c->indir_size, 0, NULL);
}

/* The default mapping: queues in turn over the whole table. */
static void xnf_ctrl_default_indir(struct xnf_info *info, unsigned int nq)
{
	struct xnf_ctrl *c = &info->ctrl;
	unsigned int i;

	for (i = 0; i < c->indir_size; i++)
		c->indir[i] = ethtool_rxfh_indir_default(i, nq);
}

/**
 * xnf_ctrl_start - the backend is Connected: the ring is live
 * @info: the device
 *
 * Asks for the largest mapping table (at most XNF_RSS_INDIR_MAX) and,
 * if the administrator configured hashing before, sends it again.
 */
void xnf_ctrl_start(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;
	unsigned int nq = READ_ONCE(info->num_queues);
	u32 size = 0;
	int err;

	mutex_lock(&c->lock);
	if (!c->irq || READ_ONCE(c->up))
		goto out;
	WRITE_ONCE(c->up, true);
	err = xnf_ctrl_request(info, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
			       0, 0, 0, &size);
	if (err || !size) {
		/* Hashing by the queue count only: no table to show. */
		c->indir_size = 0;
	} else {
		/* A table the administrator set is kept if it still fits. */
		size = min_t(u32, size, XNF_RSS_INDIR_MAX);
		if (size != c->indir_size || !c->configured) {
			c->indir_size = size;
			xnf_ctrl_default_indir(info, nq);
		}
	}
	if (c->configured) {
		err = xnf_ctrl_apply(info);
		if (err)
			netdev_warn(info->netdev, "RSS configuration not taken by the backend (%d)\n",
				    err);
	}
out:
	mutex_unlock(&c->lock);
}

/* ---- ethtool ------------------------------------------------------------------ */

static const char *xnf_ctrl_unusable(struct xnf_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	if (!(info->be_features & XNF_BE_CTRL_RING))
		return "the backend offers no control ring (feature-ctrl-ring)";
	if (!READ_ONCE(c->up))
		return "the control ring is not connected";
	if (c->broken)
		return "the control ring is disabled after a protocol error";
	if (!c->indir_size)
		return "the backend has no hash mapping table";
	return NULL;
}

u32 xnf_get_rxfh_indir_size(struct net_device *dev)
{
	struct xnf_info *info = netdev_priv(dev);

	return READ_ONCE(info->ctrl.indir_size);
}

u32 xnf_get_rxfh_key_size(struct net_device *dev)
{
	return XNF_RSS_KEY_LEN;
}

int xnf_get_rxfh(struct net_device *dev, struct ethtool_rxfh_param *rxfh)
{
	struct xnf_info *info = netdev_priv(dev);
	struct xnf_ctrl *c = &info->ctrl;

	mutex_lock(&c->lock);
	rxfh->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->indir)
		memcpy(rxfh->indir, c->indir,
		       c->indir_size * sizeof(*rxfh->indir));
	if (rxfh->key)
		memcpy(rxfh->key, c->key, sizeof(c->key));
	mutex_unlock(&c->lock);
	return 0;
}

int xnf_set_rxfh(struct net_device *dev, struct ethtool_rxfh_param *rxfh,
		 struct netlink_ext_ack *extack)
{
	struct xnf_info *info = netdev_priv(dev);
	struct xnf_ctrl *c = &info->ctrl;
	const char *why;
	unsigned int i;
	int err;

	if (rxfh->hfunc != ETH_RSS_HASH_NO_CHANGE &&
	    rxfh->hfunc != ETH_RSS_HASH_TOP) {
		NL_SET_ERR_MSG_MOD(extack, "only the Toeplitz hash is supported");
		return -EOPNOTSUPP;
	}
	mutex_lock(&c->lock);
	why = xnf_ctrl_unusable(info);
	if (why) {
		mutex_unlock(&c->lock);
		netdev_err(dev, "cannot set RSS: %s\n", why);
		NL_SET_ERR_MSG_MOD(extack, "no usable control ring to the backend");
		return -EOPNOTSUPP;
	}
	if (rxfh->indir) {
		for (i = 0; i < c->indir_size; i++) {
			if (rxfh->indir[i] >= info->num_queues) {
				mutex_unlock(&c->lock);
				return -EINVAL;
			}
		}
		memcpy(c->indir, rxfh->indir, c->indir_size * sizeof(*c->indir));
	}
	if (rxfh->key)
		memcpy(c->key, rxfh->key, sizeof(c->key));
	c->configured = true;
	err = xnf_ctrl_apply(info);
	mutex_unlock(&c->lock);
	if (err)
		netdev_err(dev, "the backend refused the RSS configuration (%d)\n",
			   err);
	return err;
}

/* The ethtool flow types we hash, and the hash type of each. */
static int xnf_flow_types(u32 flow_type, u32 *l3, u32 *l4)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		*l4 = XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
		return 0;
	case UDP_V4_FLOW:
	case IPV4_FLOW:
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		*l4 = 0;
		return 0;
	case TCP_V6_FLOW:
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		*l4 = XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
		return 0;
	case UDP_V6_FLOW:
	case IPV6_FLOW:
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		*l4 = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

int xnf_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd,
		  u32 *rule_locs)
{
	struct xnf_info *info = netdev_priv(dev);
	u32 l3, l4, flags = READ_ONCE(info->ctrl.flags);

	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = READ_ONCE(info->num_queues);
		return 0;
	case ETHTOOL_GRXFH:
		if (xnf_flow_types(cmd->flow_type, &l3, &l4))
			return -EINVAL;
		cmd->data = 0;
		if (l4 && (flags & l4))
			cmd->data = RXH_IP_SRC | RXH_IP_DST |
				    RXH_L4_B_0_1 | RXH_L4_B_2_3;
		else if (flags & l3)
			cmd->data = RXH_IP_SRC | RXH_IP_DST;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * ethtool -N rx-flow-hash: addresses and ports (TCP only), addresses,
 * or nothing; the hash types are per IP version, so "sd" for udp4 and
 * ip4 both mean IPv4 addresses.
 */
int xnf_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd)
{
	const u64 ip = RXH_IP_SRC | RXH_IP_DST;
	const u64 ports = RXH_L4_B_0_1 | RXH_L4_B_2_3;
	struct xnf_info *info = netdev_priv(dev);
	struct xnf_ctrl *c = &info->ctrl;
	const char *why;
	u32 l3, l4, flags;
	int err;

	if (cmd->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	if (xnf_flow_types(cmd->flow_type, &l3, &l4))
		return -EINVAL;

	mutex_lock(&c->lock);
	flags = c->flags;
	if (cmd->data == (ip | ports) && l4) {
		flags |= l3 | l4;
	} else if (cmd->data == ip) {
		flags = (flags | l3) & ~l4;
	} else if (!cmd->data) {
		flags &= l4 ? ~l4 : ~l3;
	} else {
		mutex_unlock(&c->lock);
		return -EINVAL;
	}
	why = xnf_ctrl_unusable(info);
	if (why) {
		mutex_unlock(&c->lock);
		netdev_err(dev, "cannot set the hash fields: %s\n", why);
		return -EOPNOTSUPP;
	}
	c->flags = flags;
	c->configured = true;
	err = xnf_ctrl_apply(info);
	mutex_unlock(&c->lock);
	return err;
}
