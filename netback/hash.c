// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the control ring, Toeplitz hashing and the choice of the
 * guest RX queue.
 *
 * The frontend configures hashing through requests on the control ring:
 * algorithm, which packet types to hash, the key and an optional table
 * mapping hash values to queues. Each request is served by a work item.
 * Guest data (key, table) is grant-copied into local memory, checked, and
 * only then committed: every change builds a new struct xnb_hash_cfg
 * which is published with RCU while the algorithm is Toeplitz, so the
 * transmit path reads one consistent configuration without locks.
 */
#include "common.h"

#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <net/flow_dissector.h>

#include <xen/events.h>

/* ---- Toeplitz ------------------------------------------------------------- */

/**
 * xnb_toeplitz - Toeplitz hash of @data under @key
 * @key: the key; bytes past @key_len count as zero
 * @key_len: key length
 * @data: hash input
 * @len: input length
 *
 * For every set bit of the input, most significant bit of the first
 * byte first, the 32 key bits starting at that bit's position are
 * XORed into the result. A 64-bit window holds the key bits from the
 * current input byte's position on.
 */
u32 xnb_toeplitz(const u8 *key, unsigned int key_len, const u8 *data,
		 unsigned int len)
{
	unsigned int i, next;
	u64 window = 0;
	u32 hash = 0;

	for (next = 0; next < 8; next++)
		window = (window << 8) | (next < key_len ? key[next] : 0);

	for (i = 0; i < len; i++, next++) {
		unsigned int bit;

		for (bit = 0; bit < 8; bit++)
			if (data[i] & (0x80 >> bit))
				hash ^= (u32)(window >> (32 - bit));
		window = (window << 8) | (next < key_len ? key[next] : 0);
	}
	return hash;
}

/* Hash @tag, from this CPU's cache when possible. BHs are disabled. */
static u32 xnb_hash_cached(struct xnb_vif *vif, const struct xnb_hash_cfg *cfg,
			   const u8 *tag, unsigned int len)
{
	struct xnb_hash_cache *cache = &vif->hash_cache;
	struct xnb_hash_cache_ent *ent;
	u32 val;

	ent = this_cpu_ptr(cache->ents) +
	      (jhash(tag, len, cfg->gen) & cache->mask);
	if (ent->gen == cfg->gen && ent->len == len &&
	    !memcmp(ent->tag, tag, len))
		return ent->val;

	val = xnb_toeplitz(cfg->key, sizeof(cfg->key), tag, len);
	ent->len = len;
	memcpy(ent->tag, tag, len);
	ent->val = val;
	ent->gen = cfg->gen;
	return val;
}

/*
 * Hash @tag. The per-CPU cache is used with BHs disabled, so that no
 * other lookup on this CPU runs in the middle of an update: the transmit
 * path has them disabled already, but AF_PACKET's qdisc bypass selects
 * the queue (ndo_select_queue) with them enabled. netpoll may transmit
 * with interrupts off, possibly from an interrupt that came during an
 * update; it gets no cache.
 */
static u32 xnb_hash_lookup(struct xnb_vif *vif, const struct xnb_hash_cfg *cfg,
			   const u8 *tag, unsigned int len)
{
	u32 val;

	if (!vif->hash_cache.ents || irqs_disabled())
		return xnb_toeplitz(cfg->key, sizeof(cfg->key), tag, len);

	local_bh_disable();
	val = xnb_hash_cached(vif, cfg, tag, len);
	local_bh_enable();
	return val;
}

/*
 * Hash a frame per @cfg. Returns the _XEN_NETIF_CTRL_HASH_TYPE_* used,
 * or XNB_HASH_TYPE_NONE when no enabled type applies (hash is then 0).
 */
static u8 xnb_hash_skb(struct xnb_vif *vif, const struct xnb_hash_cfg *cfg,
		       struct sk_buff *skb, u32 *hash)
{
	u32 flags = cfg->flags;
	struct flow_keys keys;
	u8 tag[XNB_HASH_TAG_MAX];
	unsigned int len;
	bool tcp;
	u8 type;

	*hash = 0;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!(flags & (XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
			       XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)))
			return XNB_HASH_TYPE_NONE;
		break;
	case htons(ETH_P_IPV6):
		if (!(flags & (XEN_NETIF_CTRL_HASH_TYPE_IPV6 |
			       XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)))
			return XNB_HASH_TYPE_NONE;
		break;
	default:
		return XNB_HASH_TYPE_NONE;
	}

	memset(&keys, 0, sizeof(keys));
	if (!skb_flow_dissect_flow_keys(skb, &keys, 0))
		return XNB_HASH_TYPE_NONE;
	tcp = keys.basic.ip_proto == IPPROTO_TCP &&
	      !(keys.control.flags & FLOW_DIS_IS_FRAGMENT);

	if (keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		memcpy(&tag[0], &keys.addrs.v4addrs.src, 4);
		memcpy(&tag[4], &keys.addrs.v4addrs.dst, 4);
		len = 8;
		if (tcp && (flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)) {
			type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
		} else if (flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4) {
			type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
			tcp = false;
		} else {
			return XNB_HASH_TYPE_NONE;
		}
	} else if (keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS) {
		memcpy(&tag[0], &keys.addrs.v6addrs.src, 16);
		memcpy(&tag[16], &keys.addrs.v6addrs.dst, 16);
		len = 32;
		if (tcp && (flags & XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)) {
			type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
		} else if (flags & XEN_NETIF_CTRL_HASH_TYPE_IPV6) {
			type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6;
			tcp = false;
		} else {
			return XNB_HASH_TYPE_NONE;
		}
	} else {
		return XNB_HASH_TYPE_NONE;
	}

	if (tcp) {
		memcpy(&tag[len], &keys.ports.src, 2);
		memcpy(&tag[len + 2], &keys.ports.dst, 2);
		len += 4;
	}

	*hash = xnb_hash_lookup(vif, cfg, tag, len);
	return type;
}

/**
 * xnb_hash_select_queue - guest RX queue for a frame (ndo_select_queue)
 * @vif: the interface
 * @skb: the frame
 * @num_queues: queues in use, at least 2
 *
 * With Toeplitz hashing on, the frontend's mapping table decides, or the
 * hash modulo the queue count if it set no table. Otherwise the stack's
 * flow hash modulo the queue count.
 */
u16 xnb_hash_select_queue(struct xnb_vif *vif, struct sk_buff *skb,
			  unsigned int num_queues)
{
	const struct xnb_hash_cfg *cfg;
	u32 hash, q;

	rcu_read_lock();
	cfg = rcu_dereference(vif->hash);
	if (!cfg) {
		rcu_read_unlock();
		return skb_get_hash(skb) % num_queues;
	}
	xnb_hash_skb(vif, cfg, skb, &hash);
	if (cfg->map_size)
		q = cfg->map[hash % cfg->map_size];
	else
		q = hash % num_queues;
	rcu_read_unlock();

	/* Table entries were checked against the queue count; be safe. */
	return q < num_queues ? q : 0;
}

/* ---- RX follows TX ------------------------------------------------------------ */

static u64 xnb_steer_ent(u32 hash, u16 queue, u16 now)
{
	return hash | (u64)(queue + 1) << 32 | (u64)now << 48;
}

/**
 * xnb_steer_learn - remember the queue a guest flow is sent on
 * @vif: the interface, with rx_follows_tx on
 * @skb: a frame from the guest, its network header set
 * @queue: the queue it came on
 *
 * Written only when the entry changes or is a second old, so that a
 * busy flow does not write its cache line for every frame.
 */
void xnb_steer_learn(struct xnb_vif *vif, struct sk_buff *skb, u16 queue)
{
	u32 hash = __skb_get_hash_symmetric(skb);
	u16 now = (u16)(jiffies / HZ);
	atomic64_t *ent;
	u64 old;

	if (!hash)
		return;
	ent = &vif->steer->ents[hash & (XNB_STEER_SIZE - 1)];
	old = atomic64_read(ent);
	if ((old & GENMASK_ULL(47, 0)) == (xnb_steer_ent(hash, queue, 0)) &&
	    (u16)(old >> 48) == now)
		return;
	atomic64_set(ent, xnb_steer_ent(hash, queue, now));
}

/**
 * xnb_steer_lookup - the queue a frame for the guest follows
 * @vif: the interface, with rx_follows_tx on
 * @skb: the frame
 * @num_queues: queues in use
 *
 * Returns the queue the guest last sent this flow on within
 * XNB_STEER_AGE_S seconds, or -1 (then the usual hash decides).
 */
int xnb_steer_lookup(struct xnb_vif *vif, struct sk_buff *skb,
		     unsigned int num_queues)
{
	u32 hash = __skb_get_hash_symmetric(skb);
	u16 now = (u16)(jiffies / HZ);
	unsigned int q;
	u64 e;

	if (!hash)
		return -1;
	e = atomic64_read(&vif->steer->ents[hash & (XNB_STEER_SIZE - 1)]);
	if ((u32)e != hash || (u16)(now - (u16)(e >> 48)) > XNB_STEER_AGE_S)
		return -1;
	q = (u16)(e >> 32);
	if (!q || q > num_queues)
		return -1;
	atomic64_inc(&vif->qstats[q - 1].tx_steered);
	return q - 1;
}

/**
 * xnb_hash_fill_cb - record the frame's hash for the guest's extra info
 * @vif: the interface
 * @skb: a frame about to be queued for the guest
 */
void xnb_hash_fill_cb(struct xnb_vif *vif, struct sk_buff *skb)
{
	struct xnb_rx_cb *cb = XNB_RX_CB(skb);
	const struct xnb_hash_cfg *cfg;

	cb->hash_type = XNB_HASH_TYPE_NONE;
	if (!rcu_access_pointer(vif->hash))
		return;

	rcu_read_lock();
	cfg = rcu_dereference(vif->hash);
	if (cfg)
		cb->hash_type = xnb_hash_skb(vif, cfg, skb, &cb->hash);
	rcu_read_unlock();
}

/* ---- control requests -------------------------------------------------------- */

/* Copy @len bytes from the start of the granted page into @dst. */
static int xnb_ctrl_copy_in(struct xnb_vif *vif, grant_ref_t gref, void *dst,
			    unsigned int len)
{
	struct gnttab_copy op[2];
	unsigned int n = 0, done = 0, i;

	while (done < len) {
		u8 *p = (u8 *)dst + done;
		unsigned int chunk = min_t(unsigned int, len - done,
					   XEN_PAGE_SIZE - xen_offset_in_page(p));

		op[n].source.u.ref = gref;
		op[n].source.domid = vif->domid;
		op[n].source.offset = done;
		op[n].dest.u.gmfn = virt_to_gfn(p);
		op[n].dest.domid = DOMID_SELF;
		op[n].dest.offset = xen_offset_in_page(p);
		op[n].len = chunk;
		op[n].flags = GNTCOPY_source_gref;
		n++;
		done += chunk;
	}
	if (!n)
		return 0;

	gnttab_batch_copy(op, n);
	for (i = 0; i < n; i++)
		if (op[i].status != GNTST_okay)
			return -EIO;
	return 0;
}

/* A private copy of the current configuration, to be changed. */
static struct xnb_hash_cfg *xnb_hash_begin(struct xnb_vif *vif)
{
	return kmemdup(vif->hash_shadow, sizeof(*vif->hash_shadow),
		       GFP_KERNEL);
}

/* Make @cfg the configuration; published while Toeplitz is selected. */
static void xnb_hash_commit(struct xnb_vif *vif, struct xnb_hash_cfg *cfg)
{
	struct xnb_hash_cfg *old = vif->hash_shadow;

	vif->hash_shadow = cfg;
	rcu_assign_pointer(vif->hash,
			   cfg->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ?
			   cfg : NULL);
	kfree_rcu(old, rcu);
}

static u32 xnb_ctrl_set_alg(struct xnb_vif *vif, u32 alg)
{
	struct xnb_hash_cfg *cfg;

	if (alg != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE &&
	    alg != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;

	cfg = xnb_hash_begin(vif);
	if (!cfg)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	cfg->alg = alg;
	xnb_hash_commit(vif, cfg);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_get_flags(struct xnb_vif *vif, u32 *data)
{
	if (vif->hash_shadow->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	*data = XNB_HASH_TYPES_ALL;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_set_flags(struct xnb_vif *vif, u32 flags)
{
	struct xnb_hash_cfg *cfg;

	if (flags & ~XNB_HASH_TYPES_ALL)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (vif->hash_shadow->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;

	cfg = xnb_hash_begin(vif);
	if (!cfg)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	cfg->flags = flags;
	xnb_hash_commit(vif, cfg);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_set_key(struct xnb_vif *vif, grant_ref_t gref, u32 len)
{
	struct xnb_hash_cfg *cfg;

	if (len > XNB_HASH_KEY_MAX)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;

	cfg = xnb_hash_begin(vif);
	if (!cfg)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	memset(cfg->key, 0, sizeof(cfg->key));
	if (xnb_ctrl_copy_in(vif, gref, cfg->key, len)) {
		kfree(cfg);
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	}
	/* A new generation retires every cached hash of the old key. */
	if (++vif->hash_gen == 0)
		vif->hash_gen = 1;
	cfg->gen = vif->hash_gen;
	xnb_hash_commit(vif, cfg);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_set_map_size(struct xnb_vif *vif, u32 size)
{
	struct xnb_hash_cfg *cfg;

	if (size > XNB_HASH_MAP_MAX)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;

	cfg = xnb_hash_begin(vif);
	if (!cfg)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	cfg->map_size = size;
	memset(cfg->map, 0, sizeof(cfg->map));
	xnb_hash_commit(vif, cfg);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_set_map(struct xnb_vif *vif, grant_ref_t gref, u32 len,
			    u32 off)
{
	u32 size = vif->hash_shadow->map_size;
	struct xnb_hash_cfg *cfg;
	u32 *buf, i, status;

	if (len > XEN_PAGE_SIZE / sizeof(u32) || off > size || len > size - off)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (!len)
		return XEN_NETIF_CTRL_STATUS_SUCCESS;

	buf = kmalloc_array(len, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;

	status = XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (xnb_ctrl_copy_in(vif, gref, buf, len * sizeof(*buf)))
		goto out;
	/* Check our copy, never the guest's page. */
	for (i = 0; i < len; i++)
		if (buf[i] >= vif->nr_queues_req)
			goto out;

	status = XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	cfg = xnb_hash_begin(vif);
	if (!cfg)
		goto out;
	memcpy(&cfg->map[off], buf, len * sizeof(*buf));
	xnb_hash_commit(vif, cfg);
	status = XEN_NETIF_CTRL_STATUS_SUCCESS;
out:
	kfree(buf);
	return status;
}

static void xnb_ctrl_request(struct xnb_vif *vif,
			     const struct xen_netif_ctrl_request *req,
			     struct xen_netif_ctrl_response *rsp)
{
	u32 status = XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	u32 data = 0;

	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		status = xnb_ctrl_set_alg(vif, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		status = xnb_ctrl_get_flags(vif, &data);
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		status = xnb_ctrl_set_flags(vif, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		status = xnb_ctrl_set_key(vif, req->data[0], req->data[1]);
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		data = XNB_HASH_MAP_MAX;
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		status = xnb_ctrl_set_map_size(vif, req->data[0]);
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		status = xnb_ctrl_set_map(vif, req->data[0], req->data[1],
					  req->data[2]);
		break;
	default:
		/* Includes the grant-mapping requests, not offered. */
		break;
	}

	rsp->id = req->id;
	rsp->type = req->type;
	rsp->status = status;
	rsp->data = data;
}

/*
 * Serve the control ring. One run answers at most one ring's worth of
 * requests and then requeues itself, so a frontend that keeps the ring
 * full cannot hold a worker: other work items get their turn between
 * runs. The event is acknowledged only once the ring is found empty;
 * until then the channel stays masked and the frontend's notifications
 * cost nothing.
 */
static void xnb_ctrl_work(struct work_struct *work)
{
	struct xnb_vif *vif = container_of(work, struct xnb_vif, ctrl_work);
	struct xen_netif_ctrl_back_ring *ring = &vif->ctrl;
	unsigned int budget = RING_SIZE(ring);
	RING_IDX prod;
	int more, notify;

	if (xnb_vif_disabled(vif))
		return;

	prod = READ_ONCE(ring->sring->req_prod);
	if (prod - ring->rsp_prod_pvt > RING_SIZE(ring)) {
		xnb_fatal(vif, "control ring: req_prod %u overruns rsp_prod %u",
			  prod, ring->rsp_prod_pvt);
		return;		/* no EOI: the channel stays masked */
	}
	/* Read the requests only after req_prod. */
	virt_rmb();

	while (ring->req_cons != prod && budget) {
		struct xen_netif_ctrl_request req;
		struct xen_netif_ctrl_response rsp;

		RING_COPY_REQUEST(ring, ring->req_cons, &req);
		ring->req_cons++;
		xnb_ctrl_request(vif, &req, &rsp);
		*RING_GET_RESPONSE(ring, ring->rsp_prod_pvt) = rsp;
		ring->rsp_prod_pvt++;
		vif->ctrl_served = true;
		budget--;
	}

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(ring, notify);
	if (notify)
		notify_remote_via_irq(vif->ctrl_irq);

	if (ring->req_cons == prod) {
		RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
		if (!more) {
			xen_irq_lateeoi(vif->ctrl_irq, vif->ctrl_served ?
					0 : XEN_EOI_FLAG_SPURIOUS);
			vif->ctrl_served = false;
			return;
		}
	}
	/* More to do: let other work run first. */
	queue_work(xnb_wq, &vif->ctrl_work);
}

static irqreturn_t xnb_ctrl_interrupt(int irq, void *dev_id)
{
	struct xnb_vif *vif = dev_id;

	/* A disabled vif leaves the event unacknowledged: masked. */
	if (!xnb_vif_disabled(vif))
		queue_work(xnb_wq, &vif->ctrl_work);
	return IRQ_HANDLED;
}

/* ---- set-up ----------------------------------------------------------------- */

/**
 * xnb_ctrl_init - one-time initialisation of the control ring state
 * @vif: a new interface
 */
void xnb_ctrl_init(struct xnb_vif *vif)
{
	INIT_WORK(&vif->ctrl_work, xnb_ctrl_work);
}

static int xnb_hash_cache_alloc(struct xnb_vif *vif)
{
	unsigned int n = min_t(unsigned int, READ_ONCE(xnb_hash_cache_size),
			       XNB_HASH_CACHE_MAX);

	vif->hash_cache.ents = NULL;
	if (!n)
		return 0;
	n = roundup_pow_of_two(n);
	vif->hash_cache.ents = __alloc_percpu(n * sizeof(struct xnb_hash_cache_ent),
					      __alignof__(struct xnb_hash_cache_ent));
	if (!vif->hash_cache.ents)
		return -ENOMEM;
	vif->hash_cache.mask = n - 1;
	return 0;
}

/**
 * xnb_ctrl_connect - map the control ring and start serving it
 * @vif: the interface; vif->nr_queues_req is set
 * @ref: grant of the ring page
 * @port: its event channel
 */
int xnb_ctrl_connect(struct xnb_vif *vif, grant_ref_t ref, evtchn_port_t port)
{
	struct xenbus_device *xdev = to_xenbus_device(vif->dev->dev.parent);
	struct xen_netif_ctrl_sring *sring;
	void *addr;
	int err;

	vif->hash_shadow = kzalloc(sizeof(*vif->hash_shadow), GFP_KERNEL);
	if (!vif->hash_shadow)
		return -ENOMEM;
	vif->hash_gen = 1;
	vif->hash_shadow->gen = 1;
	vif->ctrl_served = false;

	err = xnb_hash_cache_alloc(vif);
	if (err)
		goto err_shadow;

	err = xenbus_map_ring_valloc(xdev, &ref, 1, &addr);
	if (err)
		goto err_cache;
	sring = addr;
	BACK_RING_ATTACH(&vif->ctrl, sring, READ_ONCE(sring->rsp_prod),
			 XEN_PAGE_SIZE);
	if (READ_ONCE(sring->req_prod) - vif->ctrl.rsp_prod_pvt >
	    RING_SIZE(&vif->ctrl)) {
		err = -EIO;
		goto err_unmap;
	}

	snprintf(vif->ctrl_irq_name, sizeof(vif->ctrl_irq_name), "%s-ctrl",
		 vif->dev->name);
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(xdev, port,
							    xnb_ctrl_interrupt,
							    0,
							    vif->ctrl_irq_name,
							    vif);
	if (err < 0)
		goto err_unmap;
	vif->ctrl_irq = err;
	return 0;

err_unmap:
	xenbus_unmap_ring_vfree(xdev, vif->ctrl.sring);
	vif->ctrl.sring = NULL;
err_cache:
	free_percpu(vif->hash_cache.ents);
	vif->hash_cache.ents = NULL;
err_shadow:
	kfree(vif->hash_shadow);
	vif->hash_shadow = NULL;
	return err;
}

/**
 * xnb_ctrl_disconnect - stop serving the control ring and forget hashing
 * @vif: the interface; may have no control ring
 */
void xnb_ctrl_disconnect(struct xnb_vif *vif)
{
	struct xenbus_device *xdev = to_xenbus_device(vif->dev->dev.parent);

	if (!vif->hash_shadow)
		return;

	if (vif->ctrl_irq) {
		/* No new work, let running work finish, then unbind. */
		disable_irq(vif->ctrl_irq);
		cancel_work_sync(&vif->ctrl_work);
		unbind_from_irqhandler(vif->ctrl_irq, vif);
		vif->ctrl_irq = 0;
	}
	if (vif->ctrl.sring) {
		xenbus_unmap_ring_vfree(xdev, vif->ctrl.sring);
		vif->ctrl.sring = NULL;
	}

	/* Wait for transmits still hashing with the old configuration. */
	RCU_INIT_POINTER(vif->hash, NULL);
	synchronize_net();
	free_percpu(vif->hash_cache.ents);
	vif->hash_cache.ents = NULL;
	kfree(vif->hash_shadow);
	vif->hash_shadow = NULL;
}
