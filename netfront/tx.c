// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: transmit path.
 *
 * A packet becomes one request per piece of data that lies within one
 * Xen page, plus an extra-info slot after the first request when it is
 * a TCP segmentation offload packet. The first request carries the
 * packet length; the others carry their own length. Each data request
 * gets its own id and grant; the packet is freed when the last of them
 * has been answered.
 */

#include <linux/skbuff.h>
#include <linux/etherdevice.h>
#include <net/xdp.h>
#include <xen/events.h>
#include <xen/page.h>

#include "common.h"

/* Per-packet bookkeeping kept in skb->cb while the packet is on the ring. */
struct xnf_tx_cb {
	u16 pending;		/* data requests not yet answered */
	s16 status;		/* first non-OKAY status seen, else OKAY */
	bool keep;		/* a grant could not be ended: never free */
};

#define XNF_TX_CB(skb)	((struct xnf_tx_cb *)(skb)->cb)

/* State while the requests of one packet are written to the ring. */
struct xnf_tx_ctx {
	struct xnf_queue *q;
	struct sk_buff *skb;
	struct xen_netif_tx_request last;	/* written once its successor is known */
	RING_IDX last_idx;			/* ring index reserved for @last */
	bool have_last;
};

static unsigned int xnf_tx_free_slots(const struct xnf_queue *q)
{
	return XNF_TX_RING_SIZE - (q->tx.req_prod_pvt - q->tx.rsp_cons);
}

/* Ring slots the data of @skb needs: one per Xen page touched. */
static unsigned int xnf_tx_count_slots(const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int i, n;

	n = gnttab_count_grant(offset_in_page(skb->data), skb_headlen(skb));
	for (i = 0; i < si->nr_frags; i++) {
		const skb_frag_t *f = &si->frags[i];

		n += gnttab_count_grant(skb_frag_off(f), skb_frag_size(f));
	}
	return n;
}

/* Bytes of the linear area that lie in its first Xen page. */
static unsigned int xnf_tx_first_len(const struct sk_buff *skb)
{
	return min_t(unsigned int, skb_headlen(skb),
		     XEN_PAGE_SIZE - xen_offset_in_page(skb->data));
}

/*
 * Copy @skb into a new linear skb whose data starts on a Xen page
 * boundary in zero-filled memory, so that the granted pages hold
 * nothing but this packet.
 */
static struct sk_buff *xnf_tx_bounce(struct sk_buff *skb)
{
	struct sk_buff *n;

	n = alloc_skb(ALIGN(skb->len, XEN_PAGE_SIZE),
		      GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);
	if (!n)
		return NULL;

	/* Power-of-two kmalloc sizes are naturally aligned. */
	if (!IS_ALIGNED((unsigned long)n->data, XEN_PAGE_SIZE))
		goto fail;

	skb_put(n, skb->len);
	if (skb_copy_bits(skb, 0, n->data, skb->len))
		goto fail;

	skb_copy_header(n, skb);
	skb_headers_offset_update(n, skb_headroom(n) - skb_headroom(skb));
	return n;

fail:
	kfree_skb(n);
	return NULL;
}

/* Take an idle id, grant the piece of page it describes and fill a request. */
static void xnf_tx_grant(struct xnf_queue *q, struct sk_buff *skb,
			 struct page *page, unsigned int off, unsigned int len,
			 struct xen_netif_tx_request *req)
{
	struct xnf_tx_slot *slot;
	unsigned long gfn;
	u16 id;

	id = q->tx_free[--q->tx_free_top];
	slot = &q->tx_slots[id];

	gfn = pfn_to_gfn(page_to_xen_pfn(page) + (off >> XEN_PAGE_SHIFT));
	gnttab_grant_foreign_access_ref(slot->gref, q->backend_id, gfn, 1);

	slot->skb = skb;
	slot->published = false;
	q->tx_unpub[q->tx_unpub_count++] = id;
	XNF_TX_CB(skb)->pending++;

	req->gref = slot->gref;
	req->offset = xen_offset_in_page(off);
	req->flags = 0;
	req->id = id;
	req->size = len;
}

/* Emit the request held back in @c, marking whether another follows. */
static void xnf_tx_flush_last(struct xnf_tx_ctx *c, bool more)
{
	if (!c->have_last)
		return;
	if (more)
		c->last.flags |= XEN_NETTXF_more_data;
	*RING_GET_REQUEST(&c->q->tx, c->last_idx) = c->last;
	c->have_last = false;
}

/* Add requests for @len bytes at @off within (possibly compound) @page. */
static void xnf_tx_add_range(struct xnf_tx_ctx *c, struct page *page,
			     unsigned int off, unsigned int len)
{
	struct xnf_queue *q = c->q;

	page += off >> PAGE_SHIFT;
	off &= ~PAGE_MASK;

	while (len) {
		unsigned int n = min_t(unsigned int, len,
				       XEN_PAGE_SIZE - xen_offset_in_page(off));
		RING_IDX idx = q->tx.req_prod_pvt++;

		xnf_tx_flush_last(c, true);
		xnf_tx_grant(q, c->skb, page, off, n, &c->last);
		c->last_idx = idx;
		c->have_last = true;

		len -= n;
		off += n;
		if (off == PAGE_SIZE) {
			page++;
			off = 0;
		}
	}
}

/* Write all requests of @skb; the caller has checked there is room. */
static void xnf_tx_queue_skb(struct xnf_queue *q, struct sk_buff *skb)
{
	struct xnf_tx_cb *cb = XNF_TX_CB(skb);
	struct xnf_tx_ctx c = { .q = q, .skb = skb };
	struct xen_netif_tx_request first;
	unsigned int off = offset_in_page(skb->data);
	struct page *page = virt_to_page(skb->data);
	unsigned int flen = xnf_tx_first_len(skb);
	const skb_frag_t *frag;
	RING_IDX first_idx;
	u16 flags = 0;
	unsigned int i;

	cb->pending = 0;
	cb->status = XEN_NETIF_RSP_OKAY;
	cb->keep = false;

	/* The first request is written last, once its flags are known. */
	first_idx = q->tx.req_prod_pvt++;
	xnf_tx_grant(q, skb, page, off, flen, &first);

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		flags |= XEN_NETTXF_data_validated;

	if (skb_is_gso(skb)) {
		struct xen_netif_extra_info gso = {
			.type = XEN_NETIF_EXTRA_TYPE_GSO,
			.u.gso.size = skb_shinfo(skb)->gso_size,
			.u.gso.type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) ?
				      XEN_NETIF_GSO_TYPE_TCPV6 :
				      XEN_NETIF_GSO_TYPE_TCPV4,
		};

		*(struct xen_netif_extra_info *)
			RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt) = gso;
		q->tx.req_prod_pvt++;
		q->tx_extra_pending++;
		flags |= XEN_NETTXF_extra_info;
	}

	xnf_tx_add_range(&c, page, off + flen, skb_headlen(skb) - flen);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		frag = &skb_shinfo(skb)->frags[i];
		xnf_tx_add_range(&c, skb_frag_page(frag), skb_frag_off(frag),
				 skb_frag_size(frag));
	}

	if (c.have_last)
		flags |= XEN_NETTXF_more_data;
	xnf_tx_flush_last(&c, false);

	first.flags = flags;
	first.size = skb->len;
	*RING_GET_REQUEST(&q->tx, first_idx) = first;
	q->tx_last_reqs = q->tx.req_prod_pvt - first_idx;
}

/* Publish written requests and notify the backend if it asked for it. */
static void xnf_tx_kick(struct xnf_queue *q)
{
	int notify;

	unsigned int i;

	if (q->tx.req_prod_pvt == q->tx_pushed)
		return;
	/* Answers are accepted only for requests the backend can see. */
	for (i = 0; i < q->tx_unpub_count; i++)
		q->tx_slots[q->tx_unpub[i]].published = true;
	q->tx_unpub_count = 0;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	q->tx_pushed = q->tx.req_prod_pvt;
	if (notify)
		notify_remote_via_irq(q->tx_irq);
}

static bool xnf_tx_gso_ok(const struct sk_buff *skb)
{
	return !skb_is_gso(skb) ||
	       (skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6));
}

/*
 * The TX response count to ask the next event at: once every packet
 * but the newest has been answered, as long as the backend answers in
 * order; the next response when only one packet is out or the queue is
 * stopped (it waits for room). A backend that answers slot by slot then
 * raises one event per packet or fewer, not one per response, and the
 * newest packet still completes on an event of its own.
 */
static RING_IDX xnf_tx_event_index(const struct xnf_queue *q,
				   struct netdev_queue *txq)
{
	RING_IDX cons = q->tx.rsp_cons;
	unsigned int out = q->tx_pushed - cons;

	if (out <= q->tx_last_reqs || netif_tx_queue_stopped(txq))
		return cons + 1;
	return cons + out - q->tx_last_reqs;
}

/*
 * Write the TX event index, then look again: true if the responses
 * have reached it already, when no event will come for them. The
 * caller holds the TX queue lock.
 */
static bool xnf_tx_arm(struct xnf_queue *q, struct netdev_queue *txq)
{
	RING_IDX evt = xnf_tx_event_index(q, txq);

	WRITE_ONCE(q->tx.sring->rsp_event, evt);
	virt_mb(); /* publish the event index before looking again */
	return READ_ONCE(q->tx.sring->rsp_prod) - q->tx.rsp_cons >=
	       evt - q->tx.rsp_cons;
}

netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xnf_info *info = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qid);
	bool more = netdev_xmit_more();
	struct xnf_tx_stats *st;
	struct xnf_queue *q;
	struct sk_buff *nskb;
	unsigned int slots;
	bool linearized = false;
	bool bounced = false;
	bool stopped = false;

	q = &info->queues[qid];
	st = &q->tx_stats;

	if (unlikely(qid >= READ_ONCE(info->num_queues) || xnf_broken(info)))
		goto drop_nokick;

	if (unlikely(xnf_tx_free_slots(q) < XNF_TX_MAX_PKT_SLOTS)) {
		/*
		 * Cannot happen: a queue runs only with room for a maximal
		 * frame and stops before it has less. Should it anyway,
		 * drop rather than return NETDEV_TX_BUSY, which would have
		 * the stack retry at once while the backend holds the ring.
		 */
		netif_tx_stop_queue(txq);
		xnf_tx_kick(q);
		goto drop_nokick;
	}

	if (unlikely(skb->len > XEN_NETIF_MAX_TX_SIZE || skb->len < ETH_HLEN ||
		     !xnf_tx_gso_ok(skb)))
		goto drop;

	slots = xnf_tx_count_slots(skb);
	if (unlikely(slots > XNF_TX_MAX_DATA_SLOTS)) {
		if (skb_linearize(skb))
			goto drop;
		linearized = true;
		slots = xnf_tx_count_slots(skb);
	}

	if (unlikely(info->bounce || xnf_tx_first_len(skb) < ETH_HLEN ||
		     (slots > 1 && !(info->be_features & XNF_BE_SG)))) {
		nskb = xnf_tx_bounce(skb);
		if (!nskb)
			goto drop;
		dev_consume_skb_any(skb);
		skb = nskb;
		bounced = true;
		slots = xnf_tx_count_slots(skb);
	}

	if (unlikely(slots > XNF_TX_MAX_DATA_SLOTS ||
		     (slots > 1 && !(info->be_features & XNF_BE_SG))))
		goto drop;

	skb_tx_timestamp(skb);
	xnf_tx_queue_skb(q, skb);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, skb->len);
	u64_stats_add(&st->linearized, linearized);
	u64_stats_add(&st->bounced, bounced);
	if (xnf_tx_free_slots(q) < XNF_TX_STOP_THRESH) {
		netif_tx_stop_queue(txq);
		u64_stats_inc(&st->stopped);
		stopped = true;
	}
	u64_stats_update_end(&st->syncp);

	/* Room comes with the next response: ask for its event. */
	if (unlikely(stopped) && xnf_tx_arm(q, txq))
		napi_schedule(&q->napi);

	if (!more || netif_xmit_stopped(txq))
		xnf_tx_kick(q);
	return NETDEV_TX_OK;

drop:
	if (!more)
		xnf_tx_kick(q);
drop_nokick:
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->drops);
	u64_stats_update_end(&st->syncp);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static bool xnf_tx_slot_busy(const struct xnf_tx_slot *slot)
{
	return slot->skb || slot->xdpf || slot->copy;
}

static void xnf_tx_count_status(struct xnf_queue *q, s16 status)
{
	if (likely(status == XEN_NETIF_RSP_OKAY))
		return;
	u64_stats_update_begin(&q->tx_stats.syncp);
	if (status == XEN_NETIF_RSP_DROPPED)
		u64_stats_inc(&q->tx_stats.drops);
	else
		u64_stats_inc(&q->tx_stats.errors);
	u64_stats_update_end(&q->tx_stats.syncp);
}

/* An XDP frame's only request has been answered. */
static void xnf_tx_xdp_done(struct xnf_queue *q, struct xnf_tx_slot *slot,
			    s16 status)
{
	xnf_tx_count_status(q, status);
	if (slot->xdpf) {
		xdp_return_frame(slot->xdpf);
		q->tx_xdpf_count--;
	}
	if (slot->copy)
		__free_page(slot->copy);
	slot->xdpf = NULL;
	slot->copy = NULL;
}

/* Account for and free a packet whose last request has been answered. */
static void xnf_tx_done(struct xnf_queue *q, struct sk_buff *skb, int budget)
{
	xnf_tx_count_status(q, XNF_TX_CB(skb)->status);
	napi_consume_skb(skb, budget);
}

/*
 * Check one TX response and retire the request it answers. Returns
 * NULL, or the reason the response is unacceptable.
 */
static const char *xnf_tx_retire(struct xnf_queue *q,
				 const struct xen_netif_tx_response *rsp,
				 int budget)
{
	struct xnf_tx_slot *slot;
	struct sk_buff *skb;
	struct xnf_tx_cb *cb;

	switch (rsp->status) {
	case XEN_NETIF_RSP_NULL:
		if (!q->tx_extra_pending)
			return "TX NULL response with no extra-info request outstanding";
		q->tx_extra_pending--;
		return NULL;
	case XEN_NETIF_RSP_OKAY:
	case XEN_NETIF_RSP_ERROR:
	case XEN_NETIF_RSP_DROPPED:
		break;
	default:
		return "TX response with an undefined status";
	}

	if (rsp->id >= XNF_TX_RING_SIZE)
		return "TX response id out of range";
	slot = &q->tx_slots[rsp->id];
	/*
	 * The request must be in flight and published. Its ring index says
	 * nothing: the backend answers out of order and may hold a request
	 * while hundreds of later ones complete.
	 */
	if (!xnf_tx_slot_busy(slot) || !slot->published)
		return "TX response for a request that is not outstanding";
	if (!gnttab_end_foreign_access_ref(slot->gref))
		return "backend still maps a TX buffer it has completed";

	q->tx_free[q->tx_free_top++] = rsp->id;
	if (!slot->skb) {
		xnf_tx_xdp_done(q, slot, rsp->status);
		return NULL;
	}
	skb = slot->skb;
	slot->skb = NULL;

	cb = XNF_TX_CB(skb);
	if (rsp->status != XEN_NETIF_RSP_OKAY &&
	    cb->status == XEN_NETIF_RSP_OKAY)
		cb->status = rsp->status;
	if (--cb->pending == 0)
		xnf_tx_done(q, skb, budget);
	return NULL;
}

/**
 * xnf_tx_start - let the stack transmit on @q if its ring has room
 * @q: a connected queue
 *
 * The backend may leave the ring nearly full across an ifdown/ifup; a
 * queue started then would meet a ring without room for a maximal
 * frame. Such a queue stays stopped, and xnf_tx_complete() wakes it
 * once the backend has answered enough requests.
 */
void xnf_tx_start(struct xnf_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);

	__netif_tx_lock_bh(txq);
	if (xnf_tx_free_slots(q) >= XNF_TX_STOP_THRESH)
		netif_tx_start_queue(txq);
	__netif_tx_unlock_bh(txq);
}

/*
 * Reap the TX responses the backend has produced. The caller holds the
 * queue's TX lock (marking the device broken takes no lock of its own).
 * Returns false if the backend broke the protocol.
 */
static bool xnf_tx_reap(struct xnf_queue *q, struct netdev_queue *txq,
			int budget)
{
	struct xen_netif_tx_response rsp = {};
	const char *bad = NULL;
	RING_IDX cons, prod, pushed;

	cons = q->tx.rsp_cons;
	prod = READ_ONCE(q->tx.sring->rsp_prod);
	pushed = q->tx_pushed;
	if (prod - cons > pushed - cons) {
		xnf_mark_broken(q,
				"more TX responses than published requests (consumed %u, produced %u, published %u)",
				cons, prod, pushed);
		return false;
	}
	virt_rmb(); /* read responses only after the producer index */

	for (; cons != prod; cons++) {
		RING_COPY_RESPONSE(&q->tx, cons, &rsp);
		bad = xnf_tx_retire(q, &rsp, budget);
		if (unlikely(bad))
			break;
	}
	WRITE_ONCE(q->tx.rsp_cons, cons);	/* read locklessly by NAPI */

	if (!bad && netif_tx_queue_stopped(txq) &&
	    xnf_tx_free_slots(q) >= XNF_TX_WAKE_THRESH &&
	    netif_carrier_ok(q->netdev))
		netif_tx_wake_queue(txq);

	if (likely(!bad))
		return true;
	xnf_mark_broken(q, "%s (id %u, status %d, response %u of %u, published %u)",
			bad, rsp.id, rsp.status, cons, prod, pushed);
	return false;
}

/* Reap TX responses. Called from NAPI. */
void xnf_tx_complete(struct xnf_queue *q, int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);

	/* A hint only: the event handler may be reaping on another CPU. */
	if (READ_ONCE(q->tx.sring->rsp_prod) == READ_ONCE(q->tx.rsp_cons))
		return;

	/*
	 * With no budget this is netpoll, which may have interrupted a
	 * transmit on this CPU that holds the lock: never spin then.
	 */
	if (!budget) {
		if (!__netif_tx_trylock(txq))
			return;
	} else {
		__netif_tx_lock(txq, smp_processor_id());
	}
	xnf_tx_reap(q, txq, budget);
	__netif_tx_unlock(txq);
}

/**
 * xnf_tx_rearm - ask the backend for an event on a later TX response
 * @q: a connected queue
 *
 * Called from NAPI as it completes; the index is xnf_tx_event_index()'s.
 * It is computed and written under the TX lock, so that it agrees with
 * the consumer and the requests out, and never goes back behind what
 * the event handler has already reaped and armed.
 */
void xnf_tx_rearm(struct xnf_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);

	__netif_tx_lock(txq, smp_processor_id());
	WRITE_ONCE(q->tx.sring->rsp_event, xnf_tx_event_index(q, txq));
	__netif_tx_unlock(txq);
}

/**
 * xnf_tx_complete_irq - reap TX responses from the event handler
 * @q: a connected queue whose TX producer moved
 *
 * A completed transmit then needs no NAPI round of its own (a
 * request/response exchange used to cost two polls per round trip).
 * The lock is only tried. Frames are freed with the irq-safe path; XDP
 * frames are not (their memory may go back to a page pool, which wants
 * softirq context), so while any is on the ring NAPI does the reaping.
 * At most one ring's worth of responses is reaped here.
 *
 * Returns true if NAPI must run: the lock was busy, an XDP frame is on
 * the ring, or the responses reached the re-armed event index already.
 */
bool xnf_tx_complete_irq(struct xnf_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);
	bool again;

	if (!__netif_tx_trylock(txq))
		return true;
	if (q->tx_xdpf_count || !q->connected) {
		__netif_tx_unlock(txq);
		return true;
	}
	if (!xnf_tx_reap(q, txq, 0)) {
		__netif_tx_unlock(txq);
		return false;
	}
	again = xnf_tx_arm(q, txq);
	__netif_tx_unlock(txq);
	return again;
}

/* ---- XDP frames ----------------------------------------------------------- */

/*
 * Put one XDP frame on @q's ring as a single request. The caller holds
 * the queue's netdev TX lock. Room for a worst-case packet is left, so
 * that ndo_start_xmit never finds the ring fuller than its stop
 * threshold allows. On success the frame belongs to the ring.
 */
static bool xnf_xdp_queue(struct xnf_queue *q, struct xdp_frame *xdpf)
{
	struct xen_netif_tx_request *req;
	struct xnf_tx_slot *slot;
	unsigned int off = offset_in_page(xdpf->data);
	struct page *page = virt_to_page(xdpf->data);
	struct page *copy = NULL;
	u16 id;

	if (unlikely(xnf_tx_free_slots(q) < XNF_TX_MAX_PKT_SLOTS + 2 ||
		     xdp_frame_has_frags(xdpf) || xdpf->len < ETH_HLEN ||
		     off + xdpf->len > XEN_PAGE_SIZE))
		return false;

	/* An untrusted backend sees a zeroed page with the frame only. */
	if (unlikely(q->info->bounce)) {
		copy = alloc_page(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);
		if (!copy)
			return false;
		memcpy(page_address(copy), xdpf->data, xdpf->len);
		page = copy;
		off = 0;
	}

	id = q->tx_free[--q->tx_free_top];
	slot = &q->tx_slots[id];
	gnttab_grant_foreign_access_ref(slot->gref, q->backend_id,
					xen_page_to_gfn(page), 1);
	slot->skb = NULL;
	slot->copy = copy;
	slot->xdpf = copy ? NULL : xdpf;
	if (!copy)
		q->tx_xdpf_count++;
	slot->published = false;
	q->tx_unpub[q->tx_unpub_count++] = id;

	q->tx_last_reqs = 1;
	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);
	req->gref = slot->gref;
	req->offset = off;
	req->flags = 0;
	req->id = id;
	req->size = xdpf->len;
	q->tx.req_prod_pvt++;

	u64_stats_update_begin(&q->tx_stats.syncp);
	u64_stats_inc(&q->tx_stats.packets);
	u64_stats_add(&q->tx_stats.bytes, xdpf->len);
	u64_stats_update_end(&q->tx_stats.syncp);

	if (copy)
		xdp_return_frame(xdpf);
	return true;
}

/* XDP_TX from @q's NAPI poll; published by xnf_xdp_tx_flush(). */
bool xnf_xdp_tx_one(struct xnf_queue *q, struct xdp_frame *xdpf)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);
	bool ok;

	__netif_tx_lock(txq, smp_processor_id());
	ok = xnf_xdp_queue(q, xdpf);
	__netif_tx_unlock(txq);
	return ok;
}

void xnf_xdp_tx_flush(struct xnf_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->netdev, q->id);

	__netif_tx_lock(txq, smp_processor_id());
	xnf_tx_kick(q);
	__netif_tx_unlock(txq);
}

/*
 * ndo_xdp_xmit: frames redirected to this interface, from any CPU in
 * softirq context. Returns how many were taken; the caller frees the
 * others.
 */
int xnf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	struct xnf_info *info = netdev_priv(dev);
	unsigned int nq = READ_ONCE(info->num_queues);
	struct netdev_queue *txq;
	struct xnf_queue *q;
	int i, sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	if (unlikely(!nq || xnf_broken(info) || !netif_carrier_ok(dev)))
		return -ENETDOWN;

	q = &info->queues[smp_processor_id() % nq];
	txq = netdev_get_tx_queue(dev, q->id);
	__netif_tx_lock(txq, smp_processor_id());
	/* The queue may have been torn down since num_queues was read. */
	if (likely(q->connected)) {
		for (i = 0; i < n; i++) {
			if (!xnf_xdp_queue(q, frames[i]))
				break;
			sent++;
		}
		if (sent && (flags & XDP_XMIT_FLUSH))
			xnf_tx_kick(q);
	}
	u64_stats_update_begin(&q->tx_stats.syncp);
	u64_stats_add(&q->tx_stats.xdp_xmit, sent);
	u64_stats_add(&q->tx_stats.xdp_xmit_errors, n - sent);
	u64_stats_update_end(&q->tx_stats.syncp);
	__netif_tx_unlock(txq);
	return sent;
}

/* Reset the id stack and slots for a new connection. Grants are assigned. */
void xnf_tx_reset(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_TX_RING_SIZE; i++) {
		q->tx_slots[i].skb = NULL;
		q->tx_slots[i].xdpf = NULL;
		q->tx_slots[i].copy = NULL;
		q->tx_free[i] = XNF_TX_RING_SIZE - 1 - i;
	}
	q->tx_free_top = XNF_TX_RING_SIZE;
	q->tx_unpub_count = 0;
	q->tx_pushed = 0;
	q->tx_last_reqs = 0;
	q->tx_extra_pending = 0;
	q->tx_xdpf_count = 0;
	q->tx_evt_prod = 0;
}

/*
 * Drop every packet still on the ring and give back all grant
 * references. Runs with the queue quiesced (NAPI off, irqs unbound, no
 * transmit in progress). A grant the backend still maps is handed to
 * the grant table's deferred release; the packet owning it is then
 * never freed, so its memory cannot be reused while the backend can
 * still read it.
 */
void xnf_tx_release(struct xnf_queue *q)
{
	unsigned int i, kept = 0;

	for (i = 0; i < XNF_TX_RING_SIZE; i++) {
		struct xnf_tx_slot *slot = &q->tx_slots[i];
		struct sk_buff *skb = slot->skb;
		struct xnf_tx_cb *cb;

		if (slot->gref == INVALID_GRANT_REF)
			continue;

		if (slot->xdpf || slot->copy) {
			if (gnttab_try_end_foreign_access(slot->gref)) {
				xnf_tx_xdp_done(q, slot, XEN_NETIF_RSP_OKAY);
			} else {
				/* The page goes with the deferred release. */
				gnttab_end_foreign_access(slot->gref, slot->copy);
				slot->xdpf = NULL;
				slot->copy = NULL;
				kept++;
			}
			slot->gref = INVALID_GRANT_REF;
			continue;
		}

		if (!skb) {
			gnttab_free_grant_reference(slot->gref);
			slot->gref = INVALID_GRANT_REF;
			continue;
		}

		cb = XNF_TX_CB(skb);
		if (!gnttab_try_end_foreign_access(slot->gref)) {
			gnttab_end_foreign_access(slot->gref, NULL);
			cb->keep = true;
		}
		slot->gref = INVALID_GRANT_REF;
		slot->skb = NULL;

		if (--cb->pending)
			continue;
		if (cb->keep)
			kept++;
		else
			dev_kfree_skb_any(skb);
	}

	if (kept)
		netdev_warn(q->netdev,
			    "queue %u: %u transmitted packets still mapped by the backend are kept allocated\n",
			    q->id, kept);
}
