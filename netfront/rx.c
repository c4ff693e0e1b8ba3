// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: receive path, NAPI poll
 * and event channel handlers.
 *
 * The RX ring is kept full of granted pages. Ring position p always
 * uses buffer slot p % ring size and carries that number as its id, so
 * a response at position p must answer the buffer posted there; extra
 * info slots, which carry no id, use up the buffer of their position
 * without writing to it, and that page is reposted.
 *
 * Everything the backend writes is untrusted: responses are copied out
 * of the shared page once and checked before use, and a response that
 * breaks the protocol stops the device (see xnf_mark_broken()).
 */

#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <xen/events.h>
#include <xen/page.h>
#include <net/page_pool/helpers.h>

#include "common.h"

#define XNF_RX_MASK	(XNF_RX_RING_SIZE - 1)

/* One received packet, gathered from the ring before it is consumed. */
struct xnf_rx_pkt {
	struct xen_netif_rx_response data[XNF_RX_MAX_DATA_SLOTS];
	u8 data_pos[XNF_RX_MAX_DATA_SLOTS];	/* slot offset from the first */
	unsigned int ndata;			/* data slots */
	unsigned int nslots;			/* data and extra-info slots */
	unsigned int len;			/* total bytes */
	bool error;				/* a slot carried an error status */
	bool has_gso;
	bool has_hash;
	u16 xdp_headroom;			/* from an XDP extra-info slot */
	struct xen_netif_extra_info gso;
	struct xen_netif_extra_info hash;
};

/* Check a data response found at ring position @pos. */
static const char *xnf_rx_check_data(const struct xen_netif_rx_response *r,
				     RING_IDX pos)
{
	if (r->id != (pos & XNF_RX_MASK))
		return "RX response id does not match its ring position";
	if (r->flags & XEN_NETRXF_gso_prefix)
		return "RX GSO prefix slot that was never requested";
	if (r->status < XEN_NETIF_RSP_DROPPED)
		return "RX response with an undefined status";
	if (r->status >= 0 &&
	    (r->offset >= XEN_PAGE_SIZE ||
	     (unsigned int)r->offset + r->status > XEN_PAGE_SIZE))
		return "RX data outside its buffer page";
	return NULL;
}

static const char *xnf_rx_check_extra(struct xnf_rx_pkt *pkt,
				      const struct xen_netif_extra_info *ex)
{
	switch (ex->type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		if (!ex->u.gso.size ||
		    (ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
		     ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6))
			return "RX GSO extra with a bad size or type";
		pkt->gso = *ex;
		pkt->has_gso = true;
		return NULL;
	case XEN_NETIF_EXTRA_TYPE_HASH:
		if (ex->u.hash.type > _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)
			return "RX hash extra with an undefined hash type";
		pkt->hash = *ex;
		pkt->has_hash = true;
		return NULL;
	case XEN_NETIF_EXTRA_TYPE_XDP:
		if (ex->u.xdp.headroom >= XEN_PAGE_SIZE)
			return "RX XDP extra with a headroom beyond the page";
		pkt->xdp_headroom = ex->u.xdp.headroom;
		return NULL;
	default:
		/* Multicast extras are TX only. */
		return "RX extra-info slot of an unexpected type";
	}
}

/*
 * A backend that announces headroom in an XDP extra-info slot either
 * places each slot's data at the offset it reports, or (the Linux
 * netback) reports offset 0 and a length that counts the headroom in
 * front of the data. Bring the second form to the first.
 */
static const char *xnf_rx_unpad(struct xnf_rx_pkt *pkt)
{
	unsigned int h = pkt->xdp_headroom, j;

	pkt->len = 0;
	for (j = 0; j < pkt->ndata; j++) {
		struct xen_netif_rx_response *r = &pkt->data[j];

		if (r->status < 0)
			continue;
		if (!r->offset) {
			if (r->status < h)
				return "RX data shorter than its XDP headroom";
			r->offset = h;
			r->status -= h;
		}
		pkt->len += r->status;
	}
	return NULL;
}

/*
 * Copy and check the slots of the packet starting at @cons. Returns the
 * number of slots it uses, 0 if it is not completely visible yet, or
 * -EPROTO after marking the device broken.
 */
static int xnf_rx_gather(struct xnf_queue *q, RING_IDX cons, RING_IDX prod,
			 struct xnf_rx_pkt *pkt)
{
	unsigned int avail = prod - cons;
	struct xen_netif_rx_response r;
	unsigned int n = 0, nextra = 0;
	const char *bad;
	bool more;

	BUILD_BUG_ON(sizeof(struct xen_netif_extra_info) != sizeof(r));

	pkt->ndata = 0;
	pkt->len = 0;
	pkt->error = false;
	pkt->has_gso = false;
	pkt->has_hash = false;
	pkt->xdp_headroom = 0;

	do {
		if (n == avail)
			return 0;
		if (pkt->ndata == XNF_RX_MAX_DATA_SLOTS) {
			bad = "RX packet spans too many slots";
			goto bad;
		}
		RING_COPY_RESPONSE(&q->rx, cons + n, &r);
		bad = xnf_rx_check_data(&r, cons + n);
		if (bad)
			goto bad;
		pkt->data[pkt->ndata] = r;
		pkt->data_pos[pkt->ndata] = n;
		pkt->ndata++;
		n++;
		if (r.status < 0)
			pkt->error = true;
		else
			pkt->len += r.status;
		more = r.flags & XEN_NETRXF_more_data;

		/* Extra-info slots follow the first data slot only. */
		if (pkt->ndata == 1 && (r.flags & XEN_NETRXF_extra_info)) {
			struct xen_netif_extra_info ex;

			do {
				if (n == avail)
					return 0;
				if (nextra == XNF_RX_MAX_EXTRAS) {
					bad = "RX packet has too many extra-info slots";
					goto bad;
				}
				RING_COPY_RESPONSE(&q->rx, cons + n, &ex);
				bad = xnf_rx_check_extra(pkt, &ex);
				if (bad) {
					memcpy(&r, &ex, sizeof(r));
					goto bad;
				}
				n++;
				nextra++;
			} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
		}
	} while (more);

	if (pkt->xdp_headroom) {
		bad = xnf_rx_unpad(pkt);
		if (bad)
			goto bad;
	}
	pkt->nslots = n;
	return n;

bad:
	xnf_mark_broken(q, "%s (ring position %u, response %*ph)", bad,
			cons + n, (int)sizeof(r), &r);
	return -EPROTO;
}

/* Put the data of @pkt into a new skb, taking pages from the ring slots. */
static struct sk_buff *xnf_rx_build(struct xnf_queue *q, RING_IDX cons,
				    const struct xnf_rx_pkt *pkt)
{
	struct sk_buff *skb;
	unsigned int j;

	skb = napi_alloc_skb(&q->napi, XNF_RX_HDR_MAX);
	if (unlikely(!skb))
		return NULL;
	skb_mark_for_recycle(skb);

	for (j = 0; j < pkt->ndata; j++) {
		const struct xen_netif_rx_response *r = &pkt->data[j];
		struct xnf_rx_slot *s;
		unsigned int off = r->offset;
		unsigned int len = r->status;

		if (!len)
			continue;
		s = &q->rx_slots[(cons + pkt->data_pos[j]) & XNF_RX_MASK];

		if (j == 0) {
			void *va = page_address(s->page) + off;
			unsigned int hlen = len;

			if (pkt->len > XNF_RX_COPYBREAK)
				hlen = eth_get_headlen(q->netdev, va,
						       min_t(unsigned int, len,
							     XNF_RX_HDR_MAX));
			skb_put_data(skb, va, hlen);
			/* A fully copied page stays in its slot as a spare. */
			if (hlen == len)
				continue;
			off += hlen;
			len -= hlen;
		}

		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS) {
			kfree_skb(skb);
			return ERR_PTR(-E2BIG);
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, s->page, off,
				len, PAGE_SIZE);
		s->page = NULL;
	}
	return skb;
}

static void xnf_rx_set_hash(struct sk_buff *skb,
			    const struct xen_netif_extra_info *ex)
{
	const u8 *v = ex->u.hash.value;
	bool l4 = ex->u.hash.type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP ||
		  ex->u.hash.type == _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
	u32 hash = v[0] | v[1] << 8 | v[2] << 16 | (u32)v[3] << 24;

	skb_set_hash(skb, hash, l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
}

/* The packet really is TCP over the IP version its GSO type names. */
static bool xnf_rx_gso_matches(const struct sk_buff *skb, u8 gso_type)
{
	__be16 proto = gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
		       htons(ETH_P_IP) : htons(ETH_P_IPV6);

	return skb->protocol == proto &&
	       skb->csum_offset == offsetof(struct tcphdr, check) &&
	       skb_transport_offset(skb) + (int)sizeof(struct tcphdr) <=
	       (int)skb_headlen(skb) &&
	       tcp_hdrlen(skb) >= sizeof(struct tcphdr);
}

/*
 * Apply protocol, GSO and checksum state. Returns false if the packet
 * is malformed and must be dropped.
 */
static bool xnf_rx_finish(struct xnf_queue *q, struct sk_buff *skb,
			  const struct xnf_rx_pkt *pkt, struct xnf_rx_tally *t)
{
	u16 flags = pkt->data[0].flags;
	bool recalc = false;

	if (!pskb_may_pull(skb, ETH_HLEN))
		return false;
	skb->protocol = eth_type_trans(skb, q->netdev);
	skb_reset_network_header(skb);

	if (pkt->has_gso) {
		skb_shinfo(skb)->gso_size = pkt->gso.u.gso.size;
		skb_shinfo(skb)->gso_type =
			(pkt->gso.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			 SKB_GSO_TCPV4 : SKB_GSO_TCPV6) | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_segs = 0;
	}

	if (flags & XEN_NETRXF_csum_blank)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if (flags & XEN_NETRXF_data_validated)
		skb->ip_summed = CHECKSUM_UNNECESSARY;

	/* A GSO packet must be CHECKSUM_PARTIAL; some backends forget. */
	if (skb_is_gso(skb) && skb->ip_summed != CHECKSUM_PARTIAL) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		recalc = true;
		t->csum_fixups++;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_setup(skb, recalc))
		return false;

	/*
	 * The stack trusts the GSO type: a "TCP" segment that is really
	 * something else would only fail (loudly) when it is segmented.
	 */
	if (skb_is_gso(skb) && !xnf_rx_gso_matches(skb, pkt->gso.u.gso.type))
		return false;

	if (pkt->has_hash) {
		xnf_rx_set_hash(skb, &pkt->hash);
		t->hashed++;
	}
	skb_record_rx_queue(skb, q->id);
	return true;
}

/*
 * Consume the @pkt->nslots slots at @cons: end the backend's access to
 * every buffer first, then build and deliver the packet. Returns false
 * if the device had to be marked broken.
 */
static bool xnf_rx_consume(struct xnf_queue *q, RING_IDX cons,
			   struct xnf_rx_pkt *pkt, struct bpf_prog *prog,
			   struct xnf_rx_tally *t)
{
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < pkt->nslots; i++) {
		struct xnf_rx_slot *s = &q->rx_slots[(cons + i) & XNF_RX_MASK];

		if (!gnttab_end_foreign_access_ref(s->gref)) {
			xnf_mark_broken(q, "backend still maps an RX buffer it has filled");
			return false;
		}
		s->granted = false;
	}

	if (unlikely(pkt->error || !pkt->len)) {
		t->errors++;
		return true;
	}

	if (prog) {
		/* The first slot is the only data slot of a one-page frame. */
		if (pkt->ndata != 1) {
			t->xdp_errors++;
			return true;
		}
		if (xnf_xdp_run(q, prog, &q->rx_slots[cons & XNF_RX_MASK].page,
				&pkt->data[0], t))
			return true;
		pkt->len = pkt->data[0].status;
	}

	skb = xnf_rx_build(q, cons, pkt);
	if (IS_ERR_OR_NULL(skb)) {
		if (skb)
			t->errors++;
		else
			t->drops++;
		return true;
	}

	if (unlikely(!xnf_rx_finish(q, skb, pkt, t))) {
		t->errors++;
		kfree_skb(skb);
		return true;
	}

	t->packets++;
	t->bytes += pkt->len;
	napi_gro_receive(&q->napi, skb);
	return true;
}

/* Process up to @budget packets. */
static int xnf_rx_process(struct xnf_queue *q, int budget)
{
	RING_IDX cons = q->rx.rsp_cons;
	RING_IDX prod = READ_ONCE(q->rx.sring->rsp_prod);
	struct xnf_rx_stats *st = &q->rx_stats;
	struct xnf_rx_tally t = {};
	struct bpf_prog *prog;
	struct xnf_rx_pkt pkt;
	int done = 0;

	if (unlikely(prod - cons > q->rx_pushed - cons)) {
		xnf_mark_broken(q,
				"more RX responses than posted buffers (consumed %u, produced %u, posted %u)",
				cons, prod, q->rx_pushed);
		return 0;
	}
	virt_rmb(); /* read responses only after the producer index */

	rcu_read_lock();
	prog = rcu_dereference(q->info->xdp_prog);
	while (cons != prod && done < budget) {
		int n = xnf_rx_gather(q, cons, prod, &pkt);

		if (n <= 0)
			break;
		if (!xnf_rx_consume(q, cons, &pkt, prog, &t))
			break;
		cons += n;
		q->rx.rsp_cons = cons;
		done++;
	}
	if (t.xdp_tx_kick)
		xnf_xdp_tx_flush(q);
	if (t.xdp_flush)
		xdp_do_flush();
	rcu_read_unlock();

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->packets, t.packets);
	u64_stats_add(&st->bytes, t.bytes);
	u64_stats_add(&st->drops, t.drops);
	u64_stats_add(&st->errors, t.errors);
	u64_stats_add(&st->csum_fixups, t.csum_fixups);
	u64_stats_add(&st->hashed, t.hashed);
	u64_stats_add(&st->xdp_passed, t.xdp_passed);
	u64_stats_add(&st->xdp_dropped, t.xdp_dropped);
	u64_stats_add(&st->xdp_tx, t.xdp_tx);
	u64_stats_add(&st->xdp_redirect, t.xdp_redirect);
	u64_stats_add(&st->xdp_aborted, t.xdp_aborted);
	u64_stats_add(&st->xdp_errors, t.xdp_errors);
	u64_stats_update_end(&st->syncp);

	q->rx_seen = prod;
	return done;
}

/* Post buffers until the ring is full, if enough positions are free. */
void xnf_rx_refill(struct xnf_queue *q)
{
	RING_IDX prod = q->rx.req_prod_pvt;
	unsigned int space = XNF_RX_RING_SIZE - (prod - q->rx.rsp_cons);
	bool failed = false;
	int notify;

	if (space < XNF_RX_REFILL_BATCH)
		return;

	for (; space; space--, prod++) {
		struct xnf_rx_slot *s = &q->rx_slots[prod & XNF_RX_MASK];
		struct xen_netif_rx_request req;

		if (unlikely(s->granted))
			break;
		if (!s->page) {
			s->page = page_pool_alloc_pages(q->page_pool,
							GFP_ATOMIC | __GFP_NOWARN |
							__GFP_ZERO);
			if (unlikely(!s->page)) {
				failed = true;
				break;
			}
			/*
			 * A recycled page may hold data the stack wrote; an
			 * untrusted backend must only ever see zeroes.
			 */
			if (unlikely(q->info->bounce))
				clear_page(page_address(s->page));
		}
		gnttab_page_grant_foreign_access_ref_one(s->gref, q->backend_id,
							 s->page, 0);
		s->granted = true;

		req.id = prod & XNF_RX_MASK;
		req.pad = 0;
		req.gref = s->gref;
		*RING_GET_REQUEST(&q->rx, prod) = req;
	}
	q->rx.req_prod_pvt = prod;

	if (unlikely(failed)) {
		u64_stats_update_begin(&q->rx_stats.syncp);
		u64_stats_inc(&q->rx_stats.alloc_failed);
		u64_stats_update_end(&q->rx_stats.syncp);
		/* Retry soon if the backend may not fit a packet. */
		if (prod - q->rx.rsp_cons < XNF_RX_MAX_PKT_SLOTS)
			mod_timer(&q->refill_timer, jiffies + HZ / 10);
	}

	if (prod == q->rx_pushed)
		return;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	q->rx_pushed = prod;
	if (notify)
		notify_remote_via_irq(q->rx_irq);
}

void xnf_refill_timer_fn(struct timer_list *t)
{
	struct xnf_queue *q = from_timer(q, t, refill_timer);

	napi_schedule(&q->napi);
}

/*
 * Ask for an event on the next response of either ring. Returns true if
 * responses arrived meanwhile and the queue must be polled again.
 */
static bool xnf_rearm(struct xnf_queue *q)
{
	WRITE_ONCE(q->rx.sring->rsp_event, q->rx_seen + 1);
	xnf_tx_rearm(q);
	virt_mb(); /* publish the event indices before looking again */
	return READ_ONCE(q->rx.sring->rsp_prod) != q->rx_seen ||
	       READ_ONCE(q->tx.sring->rsp_prod) != READ_ONCE(q->tx.rsp_cons);
}

int xnf_poll(struct napi_struct *napi, int budget)
{
	struct xnf_queue *q = container_of(napi, struct xnf_queue, napi);
	int done = 0;

	if (unlikely(xnf_broken(q->info)))
		goto complete;

	xnf_tx_complete(q, budget);
	if (likely(budget))
		done = xnf_rx_process(q, budget);
	if (unlikely(xnf_broken(q->info))) {
		done = 0;
		goto complete;
	}
	xnf_rx_refill(q);

	if (done < budget && napi_complete_done(napi, done) && xnf_rearm(q))
		napi_schedule(napi);
	return done;

complete:
	napi_complete(napi);
	return done;
}

/* Reset the ring positions for a new connection. Grants are assigned. */
void xnf_rx_reset(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_RX_RING_SIZE; i++) {
		q->rx_slots[i].page = NULL;
		q->rx_slots[i].granted = false;
	}
	q->rx_pushed = 0;
	q->rx_seen = 0;
	q->rx_evt_prod = 0;
}

/*
 * Take every buffer back and give back all grant references. Runs with
 * the queue quiesced. A buffer the backend still maps goes to the grant
 * table's deferred release, which holds its own page reference; the
 * page pool then lets go of the page instead of recycling it.
 */
void xnf_rx_release(struct xnf_queue *q)
{
	unsigned int i;

	for (i = 0; i < XNF_RX_RING_SIZE; i++) {
		struct xnf_rx_slot *s = &q->rx_slots[i];

		if (s->granted) {
			if (!gnttab_try_end_foreign_access(s->gref))
				gnttab_end_foreign_access(s->gref, NULL);
			s->granted = false;
			s->gref = INVALID_GRANT_REF;
		} else if (s->gref != INVALID_GRANT_REF) {
			gnttab_free_grant_reference(s->gref);
			s->gref = INVALID_GRANT_REF;
		}
		if (s->page) {
			page_pool_put_full_page(q->page_pool, s->page, false);
			s->page = NULL;
		}
	}
}

/* True, and remember @prod, if the producer moved since the last event. */
static bool xnf_evt_news(RING_IDX *seen, RING_IDX prod)
{
	if (prod == *seen)
		return false;
	*seen = prod;
	return true;
}

/*
 * The handlers acknowledge with the late-EOI interface: an event that
 * brought no new responses is reported as spurious, so a backend that
 * floods events gets throttled. Once the device is broken, events are
 * not acknowledged at all, which leaves the channel masked.
 */
irqreturn_t xnf_tx_interrupt(int irq, void *data)
{
	struct xnf_queue *q = data;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (unlikely(xnf_broken(q->info)))
		return IRQ_HANDLED;
	if (xnf_evt_news(&q->tx_evt_prod, READ_ONCE(q->tx.sring->rsp_prod))) {
		eoi = 0;
		if (xnf_tx_complete_irq(q))
			napi_schedule(&q->napi);
		else if (unlikely(xnf_broken(q->info)))
			return IRQ_HANDLED;
	}
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;
}

irqreturn_t xnf_rx_interrupt(int irq, void *data)
{
	struct xnf_queue *q = data;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (unlikely(xnf_broken(q->info)))
		return IRQ_HANDLED;
	if (xnf_evt_news(&q->rx_evt_prod, READ_ONCE(q->rx.sring->rsp_prod))) {
		eoi = 0;
		napi_schedule(&q->napi);
	}
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;
}

irqreturn_t xnf_interrupt(int irq, void *data)
{
	struct xnf_queue *q = data;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	bool tx, rx;

	if (unlikely(xnf_broken(q->info)))
		return IRQ_HANDLED;
	tx = xnf_evt_news(&q->tx_evt_prod, READ_ONCE(q->tx.sring->rsp_prod));
	rx = xnf_evt_news(&q->rx_evt_prod, READ_ONCE(q->rx.sring->rsp_prod));
	/* Transmit completions alone need no NAPI round. */
	if (rx || (tx && xnf_tx_complete_irq(q)))
		napi_schedule(&q->napi);
	else if (unlikely(xnf_broken(q->info)))
		return IRQ_HANDLED;
	if (tx || rx)
		eoi = 0;
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;
}
