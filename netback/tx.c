// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: guest TX, i.e. frames the frontend puts on its tx ring,
 * which this domain receives.
 *
 * One NAPI round reads requests into local copies (never trusting the
 * shared page twice), checks them, allocates an skb per frame and turns
 * the frame into grant-copy operations: the start of the frame into the
 * skb's linear area, the rest densely into freshly allocated pages. All
 * operations of the round go to Xen in one batch; then each frame is
 * answered (all of its requests with the same status) and handed to GRO.
 * Responses are pushed, and the frontend notified, once per batch.
 *
 * Only NAPI writes tx responses, so no lock is needed for them.
 */
#include "common.h"

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/rculist.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <net/busy_poll.h>
#include <xen/events.h>

/* What parsing one frame off the ring came to. */
enum xnb_tx_result {
	XNB_TX_STOP,		/* nothing (more) to do this round */
	XNB_TX_CONSUMED,	/* requests consumed and answered, no skb */
	XNB_TX_QUEUED,		/* frame queued in tx_pkts[] */
	XNB_TX_FATAL,		/* protocol violation, vif disabled */
};

/* A frame's requests, copied out of the ring. */
struct xnb_tx_frame {
	struct xen_netif_tx_request req[XEN_NETIF_NR_SLOTS_MIN];
					/* data requests; req[0].size is the
					 * first slot's own length once parsed
					 */
	struct xen_netif_extra_info extra[XNB_MAX_EXTRAS];
					/* indexed by type - 1, type 0 = absent */
	unsigned int nr_req;		/* entries used in req[] */
	unsigned int nr_extras;		/* extra-info slots consumed */
};

static void xnb_tx_respond(struct xnb_queue *queue, u16 id, s16 status,
			   unsigned int nulls)
{
	RING_IDX i = queue->tx.rsp_prod_pvt;
	struct xen_netif_tx_response *rsp;

	rsp = RING_GET_RESPONSE(&queue->tx, i++);
	rsp->id = id;
	rsp->status = status;
	while (nulls--) {
		rsp = RING_GET_RESPONSE(&queue->tx, i++);
		rsp->id = 0;
		rsp->status = XEN_NETIF_RSP_NULL;
	}
	queue->tx.rsp_prod_pvt = i;
}

/* Answer every request of a frame with @status. */
static void xnb_tx_respond_frame(struct xnb_queue *queue,
				 const struct xnb_tx_frame *f, s16 status)
{
	unsigned int i;

	for (i = 0; i < f->nr_req; i++)
		xnb_tx_respond(queue, f->req[i].id, status,
			       i ? 0 : f->nr_extras);
}

static void xnb_tx_push(struct xnb_queue *queue)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&queue->tx, notify);
	if (notify)
		notify_remote_via_irq(queue->tx_irq);
}

static void xnb_tx_count(struct xnb_queue *queue, u64_stats_t *ctr, u64 n)
{
	u64_stats_update_begin(&queue->stats->rx_syncp);
	u64_stats_add(ctr, n);
	u64_stats_update_end(&queue->stats->rx_syncp);
}

/* ---- credit-based rate limit ----------------------------------------- */

static void xnb_tx_add_credit(struct xnb_queue *queue)
{
	unsigned long bytes = READ_ONCE(queue->credit_bytes);
	/* Always allow a maximal GSO frame through, or the queue locks up. */
	unsigned long burst = max(bytes, 131072UL);
	unsigned long credit = queue->remaining_credit + bytes;

	if (credit < queue->remaining_credit)
		credit = ULONG_MAX;
	queue->remaining_credit = min(credit, burst);
}

/*
 * May a frame of @size bytes go now? If not, arm the timer that refills
 * the credit and resumes NAPI.
 */
static bool xnb_tx_credit_exceeded(struct xnb_queue *queue, unsigned int size)
{
	u64 period = usecs_to_jiffies(READ_ONCE(queue->credit_usec));
	u64 now = get_jiffies_64();
	u64 next = queue->credit_window_start + period;

	if (timer_pending(&queue->credit_timer))
		goto limited;

	if (time_after_eq64(now, next)) {
		queue->credit_window_start = now;
		next = now + period;
		xnb_tx_add_credit(queue);
	}
	if (size <= queue->remaining_credit)
		return false;

	mod_timer(&queue->credit_timer, (unsigned long)next);
limited:
	queue->rate_limited = true;
	return true;
}

/**
 * xnb_tx_credit_timer - a credit period ended: refill and resume NAPI
 * @t: the queue's credit_timer
 */
void xnb_tx_credit_timer(struct timer_list *t)
{
	struct xnb_queue *queue = from_timer(queue, t, credit_timer);

	queue->credit_window_start = get_jiffies_64();
	xnb_tx_add_credit(queue);
	xnb_tx_rearm(queue);
}

/**
 * xnb_tx_rearm - poll again if the frontend queued more, else ack the event
 * @queue: the queue, with NAPI not running
 */
void xnb_tx_rearm(struct xnb_queue *queue)
{
	int more;

	if (unlikely(xnb_vif_disabled(queue->vif)))
		return;

	RING_FINAL_CHECK_FOR_REQUESTS(&queue->tx, more);
	if (more) {
		napi_schedule(&queue->napi);
		return;
	}
	if (atomic_fetch_andnot(XNB_EOI_TX | XNB_EOI_SHARED,
				&queue->eoi_pending) &
	    (XNB_EOI_TX | XNB_EOI_SHARED))
		xen_irq_lateeoi(queue->tx_irq, 0);
}

/* ---- multicast filter ------------------------------------------------- */

static int xnb_mcast_add(struct xnb_vif *vif, const u8 *addr)
{
	struct xnb_mcast *m;
	int err = 0;

	if (!is_multicast_ether_addr(addr))
		return -EINVAL;

	spin_lock_bh(&vif->mcast_lock);
	list_for_each_entry(m, &vif->mcast_list, link)
		if (ether_addr_equal(m->addr, addr))
			goto out;
	if (vif->mcast_count >= XNB_MCAST_MAX) {
		err = -ENOSPC;
		goto out;
	}
	m = kzalloc(sizeof(*m), GFP_ATOMIC);
	if (!m) {
		err = -ENOMEM;
		goto out;
	}
	ether_addr_copy(m->addr, addr);
	list_add_tail_rcu(&m->link, &vif->mcast_list);
	vif->mcast_count++;
out:
	spin_unlock_bh(&vif->mcast_lock);
	return err;
}

static void xnb_mcast_del(struct xnb_vif *vif, const u8 *addr)
{
	struct xnb_mcast *m;

	spin_lock_bh(&vif->mcast_lock);
	list_for_each_entry(m, &vif->mcast_list, link) {
		if (ether_addr_equal(m->addr, addr)) {
			list_del_rcu(&m->link);
			vif->mcast_count--;
			kfree_rcu(m, rcu);
			break;
		}
	}
	spin_unlock_bh(&vif->mcast_lock);
}

/**
 * xnb_mcast_match - has the frontend subscribed to @addr?
 * @vif: the interface
 * @addr: a multicast MAC address
 */
bool xnb_mcast_match(struct xnb_vif *vif, const u8 *addr)
{
	struct xnb_mcast *m;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(m, &vif->mcast_list, link) {
		if (ether_addr_equal(m->addr, addr)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * xnb_mcast_flush - forget all subscriptions (the frontend disconnected)
 * @vif: the interface
 */
void xnb_mcast_flush(struct xnb_vif *vif)
{
	struct xnb_mcast *m, *tmp;

	spin_lock_bh(&vif->mcast_lock);
	list_for_each_entry_safe(m, tmp, &vif->mcast_list, link) {
		list_del_rcu(&m->link);
		kfree_rcu(m, rcu);
	}
	vif->mcast_count = 0;
	spin_unlock_bh(&vif->mcast_lock);
}

/* ---- parsing ----------------------------------------------------------- */

/*
 * Read the extra-info slots following the first request of a frame.
 * Returns false after a fatal error.
 */
static bool xnb_tx_get_extras(struct xnb_queue *queue, struct xnb_tx_frame *f,
			      RING_IDX *cons, RING_IDX prod)
{
	struct xen_netif_extra_info ex;

	do {
		if (*cons == prod) {
			xnb_fatal(queue->vif, "%s: extra info slot missing",
				  queue->name);
			return false;
		}
		if (f->nr_extras == XNB_MAX_EXTRAS) {
			xnb_fatal(queue->vif, "%s: more than %u extra info slots",
				  queue->name, XNB_MAX_EXTRAS);
			return false;
		}
		RING_COPY_REQUEST(&queue->tx, *cons, &ex);
		(*cons)++;
		f->nr_extras++;

		if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    ex.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
			xnb_fatal(queue->vif, "%s: unknown extra info type %u",
				  queue->name, ex.type);
			return false;
		}
		f->extra[ex.type - 1] = ex;
	} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);

	return true;
}

static bool xnb_tx_gso_valid(struct xnb_queue *queue,
			     const struct xen_netif_extra_info *gso)
{
	if (!gso->u.gso.size) {
		xnb_fatal(queue->vif, "%s: GSO size 0", queue->name);
		return false;
	}
	if (gso->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
	    gso->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6) {
		xnb_fatal(queue->vif, "%s: unknown GSO type %u", queue->name,
			  gso->u.gso.type);
		return false;
	}
	return true;
}

/* Handle a multicast add/delete request: a frame without data. */
static enum xnb_tx_result xnb_tx_mcast(struct xnb_queue *queue,
				       struct xnb_tx_frame *f)
{
	const struct xen_netif_extra_info *add, *del;
	s16 status = XEN_NETIF_RSP_OKAY;

	if (f->req[0].flags & XEN_NETTXF_more_data) {
		xnb_fatal(queue->vif, "%s: multicast request carries data",
			  queue->name);
		return XNB_TX_FATAL;
	}

	add = &f->extra[XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1];
	del = &f->extra[XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1];
	if (add->type && xnb_mcast_add(queue->vif, add->u.mcast.addr))
		status = XEN_NETIF_RSP_ERROR;
	if (del->type)
		xnb_mcast_del(queue->vif, del->u.mcast.addr);

	xnb_tx_respond_frame(queue, f, status);
	return XNB_TX_CONSUMED;
}

/*
 * Read the data requests after the first one. Frames of more than
 * XEN_NETIF_NR_SLOTS_MIN slots are dropped (their surplus requests are
 * answered at once), frames of more than fatal_skb_slots are fatal.
 * Returns XNB_TX_FATAL, XNB_TX_CONSUMED (dropped, answered) or
 * XNB_TX_QUEUED meaning "well-formed so far".
 */
static enum xnb_tx_result xnb_tx_get_slots(struct xnb_queue *queue,
					   struct xnb_tx_frame *f,
					   RING_IDX *cons, RING_IDX prod)
{
	struct xen_netif_tx_request *first = &f->req[0];
	unsigned int slots = 1, frag_bytes = 0;
	const char *drop = NULL;
	bool more = first->flags & XEN_NETTXF_more_data;

	while (more) {
		struct xen_netif_tx_request req;

		if (*cons == prod) {
			xnb_fatal(queue->vif, "%s: frame of %u+ slots runs past req_prod",
				  queue->name, slots);
			return XNB_TX_FATAL;
		}
		if (slots >= xnb_fatal_skb_slots) {
			xnb_fatal(queue->vif, "%s: frame of more than %u slots",
				  queue->name, xnb_fatal_skb_slots);
			return XNB_TX_FATAL;
		}
		RING_COPY_REQUEST(&queue->tx, *cons, &req);
		(*cons)++;
		slots++;
		more = req.flags & XEN_NETTXF_more_data;

		if (req.offset + req.size > XEN_PAGE_SIZE) {
			xnb_fatal(queue->vif, "%s: slot crosses a page (offset %u, size %u)",
				  queue->name, req.offset, req.size);
			return XNB_TX_FATAL;
		}
		if (slots > XEN_NETIF_NR_SLOTS_MIN) {
			drop = "too many slots";
			xnb_tx_respond(queue, req.id, XEN_NETIF_RSP_ERROR, 0);
			continue;
		}
		f->req[f->nr_req++] = req;
		frag_bytes += req.size;
	}

	if (!drop && frag_bytes > first->size)
		drop = "slot sizes exceed the frame size";
	if (!drop) {
		/* From here on req[0].size is the first slot's own length. */
		first->size -= frag_bytes;
		if (first->size < ETH_HLEN)
			drop = "first slot shorter than an Ethernet header";
	}
	if (!drop && first->offset + first->size > XEN_PAGE_SIZE) {
		xnb_fatal(queue->vif, "%s: first slot crosses a page (offset %u, size %u)",
			  queue->name, first->offset, first->size);
		return XNB_TX_FATAL;
	}

	if (drop) {
		net_dbg_ratelimited("%s: dropping frame of %u slots: %s\n",
				    queue->name, slots, drop);
		xnb_tx_respond_frame(queue, f, XEN_NETIF_RSP_ERROR);
		xnb_tx_count(queue, &queue->stats->rx_drops, 1);
		return XNB_TX_CONSUMED;
	}
	return XNB_TX_QUEUED;
}

/* ---- building ---------------------------------------------------------- */

/* The destination piece @seg of @skb: -1 is the linear area. */
static u8 *xnb_tx_dst(struct sk_buff *skb, int seg, unsigned int *len)
{
	skb_frag_t *frag;

	if (seg < 0) {
		*len = skb_headlen(skb);
		return skb->data;
	}
	frag = &skb_shinfo(skb)->frags[seg];
	*len = skb_frag_size(frag);
	return skb_frag_address(frag);
}

/* Allocate the skb for a frame of @len bytes: linear head plus pages. */
static struct sk_buff *xnb_tx_alloc_skb(struct xnb_queue *queue,
					unsigned int len)
{
	unsigned int lin = len <= XNB_TX_COPYBREAK ? len : XNB_TX_HDR_LEN;
	unsigned int rest = len - lin, i = 0;
	struct sk_buff *skb;

	BUILD_BUG_ON(DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, PAGE_SIZE) >
		     MAX_SKB_FRAGS);

	skb = napi_alloc_skb(&queue->napi, lin);
	if (unlikely(!skb))
		return NULL;
	__skb_put(skb, lin);

	while (rest) {
		unsigned int sz = min_t(unsigned int, rest, PAGE_SIZE);
		struct page *page = dev_alloc_page();

		if (unlikely(!page)) {
			kfree_skb(skb);
			return NULL;
		}
		skb_add_rx_frag(skb, i++, page, 0, sz, PAGE_SIZE);
		rest -= sz;
	}
	return skb;
}

/* Queue the grant copies moving the frame's data into @skb. */
static void xnb_tx_add_copies(struct xnb_queue *queue, struct sk_buff *skb,
			      const struct xnb_tx_frame *f)
{
	domid_t domid = queue->vif->domid;
	unsigned int i, dlen, doff = 0;
	int seg = -1;
	u8 *dst = xnb_tx_dst(skb, seg, &dlen);

	for (i = 0; i < f->nr_req; i++) {
		unsigned int soff = f->req[i].offset;
		unsigned int left = f->req[i].size;

		while (left) {
			struct gnttab_copy *op;
			unsigned int n;
			u8 *p;

			while (doff == dlen) {
				dst = xnb_tx_dst(skb, ++seg, &dlen);
				doff = 0;
			}
			p = dst + doff;
			n = min3(left, dlen - doff,
				 (unsigned int)(XEN_PAGE_SIZE - xen_offset_in_page(p)));

			op = &queue->tx_ops[queue->tx_nr_ops++];
			op->source.u.ref = f->req[i].gref;
			op->source.domid = domid;
			op->source.offset = soff;
			op->dest.u.gmfn = virt_to_gfn(p);
			op->dest.domid = DOMID_SELF;
			op->dest.offset = xen_offset_in_page(p);
			op->len = n;
			op->flags = GNTCOPY_source_gref;

			soff += n;
			doff += n;
			left -= n;
		}
	}
}

static void xnb_tx_set_hash(struct sk_buff *skb,
			    const struct xen_netif_extra_info *ex)
{
	enum pkt_hash_types type;
	__le32 val;

	switch (ex->u.hash.type) {
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6:
		type = PKT_HASH_TYPE_L3;
		break;
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP:
		type = PKT_HASH_TYPE_L4;
		break;
	default:
		return;
	}
	memcpy(&val, ex->u.hash.value, sizeof(val));
	skb_set_hash(skb, le32_to_cpu(val), type);
}

/* Take one frame off the ring and prepare its copies. */
static enum xnb_tx_result xnb_tx_build_one(struct xnb_queue *queue)
{
	struct xnb_vif *vif = queue->vif;
	const struct xen_netif_extra_info *gso, *hash;
	struct xnb_tx_frame f;
	struct xnb_tx_pkt *pkt;
	enum xnb_tx_result res;
	struct sk_buff *skb;
	RING_IDX cons = queue->tx.req_cons;
	RING_IDX prod = READ_ONCE(queue->tx.sring->req_prod);
	unsigned long usec;
	unsigned int i, len;

	if (unlikely(prod - queue->tx.rsp_prod_pvt > XNB_TX_RING_SIZE)) {
		xnb_fatal(vif, "%s: tx req_prod %u overruns rsp_prod %u",
			  queue->name, prod, queue->tx.rsp_prod_pvt);
		return XNB_TX_FATAL;
	}
	if (cons == prod)
		return XNB_TX_STOP;
	/* Read the requests only after req_prod. */
	virt_rmb();

	RING_COPY_REQUEST(&queue->tx, cons, &f.req[0]);
	len = f.req[0].size;

	usec = READ_ONCE(queue->credit_usec);
	if (usec) {
		if (xnb_tx_credit_exceeded(queue, len))
			return XNB_TX_STOP;
		queue->remaining_credit -= len;
	}

	cons++;
	f.nr_req = 1;
	f.nr_extras = 0;
	memset(f.extra, 0, sizeof(f.extra));
	res = XNB_TX_FATAL;
	if ((f.req[0].flags & XEN_NETTXF_extra_info) &&
	    !xnb_tx_get_extras(queue, &f, &cons, prod))
		goto out;

	gso = &f.extra[XEN_NETIF_EXTRA_TYPE_GSO - 1];
	if (gso->type && !xnb_tx_gso_valid(queue, gso))
		goto out;

	if (f.extra[XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1].type ||
	    f.extra[XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1].type) {
		res = xnb_tx_mcast(queue, &f);
		goto out;
	}

	res = xnb_tx_get_slots(queue, &f, &cons, prod);
	if (res != XNB_TX_QUEUED)
		goto out;

	skb = xnb_tx_alloc_skb(queue, len);
	if (unlikely(!skb)) {
		net_dbg_ratelimited("%s: no memory for a %u byte frame\n",
				    queue->name, len);
		xnb_tx_respond_frame(queue, &f, XEN_NETIF_RSP_ERROR);
		xnb_tx_count(queue, &queue->stats->rx_drops, 1);
		res = XNB_TX_CONSUMED;
		goto out;
	}

	if (gso->type) {
		skb_shinfo(skb)->gso_size = gso->u.gso.size;
		skb_shinfo(skb)->gso_type =
			gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
	}
	hash = &f.extra[XEN_NETIF_EXTRA_TYPE_HASH - 1];
	if (hash->type)
		xnb_tx_set_hash(skb, hash);

	pkt = &queue->tx_pkts[queue->tx_nr_pkts++];
	pkt->skb = skb;
	pkt->op_first = queue->tx_nr_ops;
	xnb_tx_add_copies(queue, skb, &f);
	pkt->op_count = queue->tx_nr_ops - pkt->op_first;
	pkt->flags = f.req[0].flags;
	pkt->nr_ids = f.nr_req;
	pkt->nr_extras = f.nr_extras;
	for (i = 0; i < f.nr_req; i++)
		pkt->ids[i] = f.req[i].id;

out:
	/* Also after a fatal error: every request read counts as consumed. */
	queue->tx.req_cons = cons;
	return res;
}

/* ---- completion ---------------------------------------------------------- */

/* Is this a TCP GSO frame matching its GSO type? Sets gso_segs. */
static bool xnb_tx_gso_setup(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	__be16 want = shinfo->gso_type & SKB_GSO_TCPV4 ?
		      htons(ETH_P_IP) : htons(ETH_P_IPV6);
	unsigned int hdrlen;

	if (skb->protocol != want ||
	    skb->csum_offset != offsetof(struct tcphdr, check))
		return false;

	hdrlen = skb_tcp_all_headers(skb);
	if (skb->len <= hdrlen) {
		/* No payload: nothing to segment. */
		shinfo->gso_size = 0;
		shinfo->gso_type = 0;
		return true;
	}
	shinfo->gso_segs = DIV_ROUND_UP(skb->len - hdrlen, shinfo->gso_size);
	return true;
}

/*
 * The copies of a frame succeeded: finish the skb and pass it up. TCP
 * goes through GRO. A UDP datagram (one the frontend left the checksum
 * of) goes on @up instead, passed up as a list without GRO: GRO cannot
 * merge it unless its socket asked for UDP GRO, and would only cost one
 * more socket lookup per datagram.
 */
static void xnb_tx_deliver(struct xnb_queue *queue, struct sk_buff *skb,
			   u16 flags, struct list_head *up)
{
	struct xnb_qstats *st = queue->stats;
	unsigned int len = skb->len;
	bool fixup = false;

	skb->protocol = eth_type_trans(skb, queue->vif->dev);
	skb_reset_network_header(skb);

	if (flags & XEN_NETTXF_csum_blank)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if (flags & XEN_NETTXF_data_validated)
		skb->ip_summed = CHECKSUM_UNNECESSARY;

	/* GSO needs a partial checksum; some frontends forget to ask. */
	if (skb_is_gso(skb) && skb->ip_summed != CHECKSUM_PARTIAL) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		fixup = true;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_setup(skb, fixup))
		goto drop;
	if (skb_is_gso(skb) && !xnb_tx_gso_setup(skb))
		goto drop;

	skb_record_rx_queue(skb, queue->id);
	if (READ_ONCE(queue->vif->rx_follows_tx))
		xnb_steer_learn(queue->vif, skb, queue->id);

	u64_stats_update_begin(&st->rx_syncp);
	u64_stats_inc(&st->rx_packets);
	u64_stats_add(&st->rx_bytes, len);
	if (fixup)
		u64_stats_inc(&st->rx_csum_fixup);
	u64_stats_update_end(&st->rx_syncp);

	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    skb->csum_offset == offsetof(struct udphdr, check)) {
		/* As GRO would, for the socket's busy polling. */
		skb_mark_napi_id(skb, &queue->napi);
		list_add_tail(&skb->list, up);
	} else {
		napi_gro_receive(&queue->napi, skb);
	}
	return;

drop:
	net_dbg_ratelimited("%s: dropping frame with bad checksum/GSO headers\n",
			    queue->name);
	xnb_tx_count(queue, &st->rx_drops, 1);
	kfree_skb(skb);
}

static void xnb_tx_complete(struct xnb_queue *queue, struct xnb_tx_pkt *pkt,
			    struct list_head *up)
{
	const struct gnttab_copy *op = &queue->tx_ops[pkt->op_first];
	s16 status = XEN_NETIF_RSP_OKAY;
	unsigned int i;

	for (i = 0; i < pkt->op_count; i++) {
		if (unlikely(op[i].status != GNTST_okay)) {
			net_dbg_ratelimited("%s: grant copy of ref %u failed: %d\n",
					    queue->name, op[i].source.u.ref,
					    op[i].status);
			status = XEN_NETIF_RSP_ERROR;
			break;
		}
	}

	for (i = 0; i < pkt->nr_ids; i++)
		xnb_tx_respond(queue, pkt->ids[i], status,
			       i ? 0 : pkt->nr_extras);

	if (likely(status == XEN_NETIF_RSP_OKAY)) {
		xnb_tx_deliver(queue, pkt->skb, pkt->flags, up);
	} else {
		xnb_tx_count(queue, &queue->stats->rx_errors, 1);
		kfree_skb(pkt->skb);
	}
	pkt->skb = NULL;
}

/* Run the batched copies, answer and deliver the frames built so far. */
static void xnb_tx_flush(struct xnb_queue *queue)
{
	LIST_HEAD(up);
	unsigned int i;

	if (queue->tx_nr_ops)
		gnttab_batch_copy(queue->tx_ops, queue->tx_nr_ops);
	for (i = 0; i < queue->tx_nr_pkts; i++)
		xnb_tx_complete(queue, &queue->tx_pkts[i], &up);
	queue->tx_nr_ops = 0;
	queue->tx_nr_pkts = 0;
	xnb_tx_push(queue);
	if (!list_empty(&up))
		netif_receive_skb_list(&up);
}

/* Process up to @budget frames; returns how many were consumed. */
static int xnb_tx_action(struct xnb_queue *queue, int budget)
{
	enum xnb_tx_result res = XNB_TX_QUEUED;
	int done = 0;

	/* Set again below if the credit runs out during this round. */
	queue->rate_limited = false;

	while (done < budget && res != XNB_TX_STOP && res != XNB_TX_FATAL) {
		while (done < budget && queue->tx_nr_pkts < XNB_TX_BATCH &&
		       queue->tx_nr_ops + XNB_TX_OPS_PER_PKT <= XNB_TX_COPY_OPS) {
			res = xnb_tx_build_one(queue);
			if (res == XNB_TX_STOP || res == XNB_TX_FATAL)
				break;
			done++;
		}
		xnb_tx_flush(queue);
	}
	return done;
}

/**
 * xnb_tx_poll - NAPI poll: serve the tx ring
 * @napi: the queue's NAPI context
 * @budget: most frames to process
 */
int xnb_tx_poll(struct napi_struct *napi, int budget)
{
	struct xnb_queue *queue = container_of(napi, struct xnb_queue, napi);
	int done;

	/* A disabled vif is taken down by its fatal work; just stop. */
	if (unlikely(xnb_vif_disabled(queue->vif))) {
		napi_complete(napi);
		return 0;
	}

	done = xnb_tx_action(queue, budget);

	if (done < budget && napi_complete_done(napi, done) &&
	    !queue->rate_limited)
		xnb_tx_rearm(queue);
	return done;
}
