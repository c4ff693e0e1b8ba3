// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: guest RX, i.e. frames this domain sends to the guest.
 *
 * ndo_start_xmit puts frames on a bounded per-queue list. A frame that
 * finds the list empty is copied to the guest at once, in the sender's
 * context, if the frontend has posted buffers for it; otherwise, or when
 * frames are waiting already, the queue's kthread is woken. It waits
 * until the frontend has posted enough buffers (rx requests) for the
 * frame at the head, then fills them with
 * grant copies: each buffer is a whole Xen page filled from offset 0, so
 * a frame of N bytes takes DIV_ROUND_UP(N, XEN_PAGE_SIZE) slots, plus one
 * per extra-info segment (GSO, hash) placed right after the first slot.
 * Copies are batched; responses are pushed, and the frontend notified,
 * once per batch and only for complete frames.
 *
 * If the guest stops posting buffers the list fills up and the netdev
 * queue is stopped; frames older than rx_drain_timeout_msecs are dropped,
 * and after rx_stall_timeout_msecs without progress the carrier goes off
 * until the guest posts buffers again.
 */
#include "common.h"

#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/sched.h>

#include <xen/events.h>

/**
 * xnb_rx_kick - wake the queue's kthread
 * @queue: the queue
 */
void xnb_rx_kick(struct xnb_queue *queue)
{
	wake_up(&queue->rx_wq);
}

/* Record what the kthread needs to know of the head frame. */
static void xnb_rx_set_head(struct xnb_queue *queue)
{
	struct sk_buff *skb = skb_peek(&queue->rx_queue);

	if (skb)
		WRITE_ONCE(queue->rx_head_expires, XNB_RX_CB(skb)->expires);
	WRITE_ONCE(queue->rx_head_slots, skb ? XNB_RX_CB(skb)->slots : 0);
}

static void xnb_rx_action(struct xnb_queue *queue);

/*
 * Fill the rx ring from the sender's context when nobody else does:
 * saves a kthread wake-up (two context switches) per frame when frames
 * come one at a time. The caller keeps GSO frames for the kthread: a
 * TCP stream's large frames amortise the wake-up, and copied one by one
 * each pushed (and signalled) the guest where a kthread round answers
 * several at once, which cost the in-tree netfront about 15 % more CPU
 * per byte at 4 queues (make bench, netback table). The lock is only
 * tried here, so a kthread holding it with softirqs enabled cannot
 * deadlock against a transmit on its own CPU; that frame is left to the
 * kthread. Never with interrupts off (netpoll): the list lock is taken
 * with spin_lock_irq. Returns false if frames are left for the kthread.
 */
static bool xnb_rx_inline(struct xnb_queue *queue)
{
	bool left;

	if (irqs_disabled() || !spin_trylock(&queue->rx_lock))
		return false;
	if (likely(!xnb_vif_disabled(queue->vif)))
		xnb_rx_action(queue);
	left = READ_ONCE(queue->rx_head_slots);
	spin_unlock(&queue->rx_lock);
	return !left;
}

/**
 * xnb_rx_enqueue - queue a frame for the guest (ndo_start_xmit context)
 * @queue: the queue chosen for the frame; its netdev tx queue fed it
 * @skb: the frame, its xnb_rx_cb filled in
 *
 * The list is accounted in skb->truesize, the memory it really pins.
 * Stops the netdev queue when the list reaches rx_queue_max; the kthread
 * wakes it again once the list has drained to half of that. Frames that
 * still come (a sender bypassing the qdisc, a queue stopped too late)
 * are refused once the list holds twice rx_queue_max.
 *
 * Return: false if the list is full; the caller drops the frame.
 */
bool xnb_rx_enqueue(struct xnb_queue *queue, struct sk_buff *skb)
{
	unsigned int size = skb->truesize;
	bool small = !skb_is_gso(skb);
	unsigned long flags;
	bool was_empty;

	XNB_RX_CB(skb)->qbytes = size;

	spin_lock_irqsave(&queue->rx_queue.lock, flags);
	if (queue->rx_queue_bytes + size > 2 * queue->rx_queue_max) {
		spin_unlock_irqrestore(&queue->rx_queue.lock, flags);
		return false;
	}
	was_empty = skb_queue_empty(&queue->rx_queue);
	__skb_queue_tail(&queue->rx_queue, skb);
	queue->rx_queue_bytes += size;
	if (was_empty)
		xnb_rx_set_head(queue);
	if (queue->rx_queue_bytes >= queue->rx_queue_max)
		netif_tx_stop_queue(netdev_get_tx_queue(queue->vif->dev,
							queue->id));
	spin_unlock_irqrestore(&queue->rx_queue.lock, flags);

	/*
	 * A non-empty list means the kthread is busy or waiting for ring
	 * space, which a new frame does not change. (The frame may be gone
	 * already: whether it is GSO was read before it was queued.)
	 */
	if (was_empty && !(small && xnb_rx_inline(queue)))
		xnb_rx_kick(queue);
	return true;
}

static struct sk_buff *xnb_rx_dequeue(struct xnb_queue *queue)
{
	struct sk_buff *skb;

	spin_lock_irq(&queue->rx_queue.lock);
	skb = __skb_dequeue(&queue->rx_queue);
	if (skb) {
		struct netdev_queue *txq;

		queue->rx_queue_bytes -= XNB_RX_CB(skb)->qbytes;
		xnb_rx_set_head(queue);
		txq = netdev_get_tx_queue(queue->vif->dev, queue->id);
		if (netif_tx_queue_stopped(txq) &&
		    queue->rx_queue_bytes <= queue->rx_queue_max / 2)
			netif_tx_wake_queue(txq);
	}
	spin_unlock_irq(&queue->rx_queue.lock);
	return skb;
}

static void xnb_rx_count_drops(struct xnb_queue *queue, unsigned int drops,
			       unsigned int expired)
{
	struct xnb_qstats *st = queue->stats;

	u64_stats_update_begin(&st->tx_syncp);
	u64_stats_add(&st->tx_drops, drops);
	u64_stats_add(&st->tx_expired, expired);
	u64_stats_update_end(&st->tx_syncp);
}

static void xnb_rx_purge(struct xnb_queue *queue)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	while ((skb = xnb_rx_dequeue(queue))) {
		kfree_skb(skb);
		n++;
	}
	if (n)
		xnb_rx_count_drops(queue, n, 0);
}

/* Drop head frames that waited longer than the drain timeout. */
static void xnb_rx_expire(struct xnb_queue *queue)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	while (READ_ONCE(queue->rx_head_slots) &&
	       time_after_eq(jiffies, READ_ONCE(queue->rx_head_expires))) {
		skb = xnb_rx_dequeue(queue);
		if (!skb)
			break;
		kfree_skb(skb);
		n++;
	}
	if (n)
		xnb_rx_count_drops(queue, n, n);
}

/*
 * Has the frontend posted @needed buffers? If not, ask it to notify us
 * once it has, then look once more: a frontend that posted before it
 * could see the new req_event is caught by the second read, one that
 * posts after it notifies. Two reads and one write whatever the
 * frontend does with req_prod meanwhile.
 */
static bool xnb_rx_slots_ready(struct xnb_queue *queue, unsigned int needed)
{
	struct xen_netif_rx_sring *sring = queue->rx.sring;
	RING_IDX cons = queue->rx.req_cons;

	if (READ_ONCE(sring->req_prod) - cons >= needed)
		return true;
	WRITE_ONCE(sring->req_event, cons + needed);
	/* Publish req_event before reading req_prod again. */
	mb();
	return READ_ONCE(sring->req_prod) - cons >= needed;
}

static bool xnb_rx_stall_due(struct xnb_queue *queue)
{
	unsigned long timeout = queue->vif->stall_timeout;

	return timeout && !queue->rx_stalled &&
	       time_after(jiffies, READ_ONCE(queue->rx_last_progress) + timeout);
}

/* Has the frontend posted @needed buffers? Only looks: writes nothing. */
static bool xnb_rx_slots_posted(struct xnb_queue *queue, unsigned int needed)
{
	RING_IDX cons = READ_ONCE(queue->rx.req_cons);

	return READ_ONCE(queue->rx.sring->req_prod) - cons >= needed;
}

/*
 * True when the head frame fits in the posted buffers, has expired, or
 * the queue's stall state has to change. With @arm (the kthread only) a
 * missing buffer count is also written to req_event, so that the
 * frontend notifies once it has posted them.
 */
static bool __xnb_rx_has_work(struct xnb_queue *queue, bool arm)
{
	unsigned int needed = READ_ONCE(queue->rx_head_slots);
	bool stalled = READ_ONCE(queue->rx_stalled);

	if (needed || stalled) {
		unsigned int n = max(needed, 1U);

		if (arm ? xnb_rx_slots_ready(queue, n) :
			  xnb_rx_slots_posted(queue, n))
			return true;
	}
	if (!needed)
		return false;
	return time_after_eq(jiffies, READ_ONCE(queue->rx_head_expires)) ||
	       xnb_rx_stall_due(queue);
}

/**
 * xnb_rx_has_work - might the kthread have something to do? (irq handler)
 * @queue: the queue
 *
 * Lets the rx interrupt handler recognise spurious events. It never
 * writes req_event: with one channel for both rings the handler could
 * otherwise write a stale "slots needed" after the kthread's last write,
 * and the frontend would never notify. Only the kthread arms req_event.
 */
bool xnb_rx_has_work(struct xnb_queue *queue)
{
	return __xnb_rx_has_work(queue, false);
}

/* How long the kthread may sleep before it has timeouts to handle. */
static long xnb_rx_sleep_time(struct xnb_queue *queue)
{
	struct xnb_vif *vif = queue->vif;
	unsigned long deadline;
	long left;

	if (!READ_ONCE(queue->rx_head_slots))
		return MAX_SCHEDULE_TIMEOUT;

	deadline = READ_ONCE(queue->rx_head_expires);
	if (vif->stall_timeout && !queue->rx_stalled) {
		unsigned long stall = READ_ONCE(queue->rx_last_progress) +
				      vif->stall_timeout + 1;

		if (time_before(stall, deadline))
			deadline = stall;
	}
	/* Frontends without feature-rx-notify never tell us; poll them. */
	if (!vif->rx_notify && time_after(deadline, jiffies + 1))
		deadline = jiffies + 1;

	left = (long)(deadline - jiffies);
	return left > 0 ? left : 0;
}

static bool xnb_rx_should_wake(struct xnb_queue *queue)
{
	if (kthread_should_stop())
		return true;
	return !xnb_vif_disabled(queue->vif) &&
	       __xnb_rx_has_work(queue, true);
}

static void xnb_rx_wait(struct xnb_queue *queue)
{
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&queue->rx_wq, &wait, TASK_INTERRUPTIBLE);
		if (xnb_rx_should_wake(queue))
			break;
		/* Idle: acknowledge the event that woke us, if any. */
		if (!xnb_vif_disabled(queue->vif) &&
		    (atomic_fetch_andnot(XNB_EOI_RX | XNB_EOI_SHARED,
					 &queue->eoi_pending) &
		     (XNB_EOI_RX | XNB_EOI_SHARED)))
			xen_irq_lateeoi(queue->rx_irq, 0);
		if (!schedule_timeout(xnb_rx_sleep_time(queue)))
			break;
	}
	finish_wait(&queue->rx_wq, &wait);
}

/* ---- filling the guest's buffers ------------------------------------------ */

/*
 * Walks the data of an skb: its linear area, its page fragments, then
 * the same for each skb on its frag_list.
 */
struct xnb_rx_cursor {
	struct sk_buff *skb;		/* skb whose data is being walked */
	struct sk_buff *next;		/* next skb of the frag_list */
	int frag;			/* -1: linear area, else fragment */
	unsigned int off;		/* bytes of the piece already used */
};

static void xnb_rx_cursor_init(struct xnb_rx_cursor *c, struct sk_buff *skb)
{
	c->skb = skb;
	c->next = skb_shinfo(skb)->frag_list;
	c->frag = -1;
	c->off = 0;
}

/* Current position and bytes left in its piece; NULL when exhausted. */
static u8 *xnb_rx_cursor_peek(struct xnb_rx_cursor *c, unsigned int *left)
{
	for (;;) {
		struct skb_shared_info *sh = skb_shinfo(c->skb);
		unsigned int len;
		u8 *base;

		if (c->frag < 0) {
			base = c->skb->data;
			len = skb_headlen(c->skb);
		} else if (c->frag < sh->nr_frags) {
			base = skb_frag_address(&sh->frags[c->frag]);
			len = skb_frag_size(&sh->frags[c->frag]);
		} else {
			if (!c->next)
				return NULL;
			c->skb = c->next;
			c->next = c->skb->next;
			c->frag = -1;
			c->off = 0;
			continue;
		}
		if (c->off < len) {
			if (unlikely(!base))
				return NULL;
			*left = len - c->off;
			return base + c->off;
		}
		c->frag++;
		c->off = 0;
	}
}

static void xnb_rx_flush(struct xnb_queue *queue)
{
	unsigned int i;
	int notify;

	if (queue->rx_nr_ops) {
		gnttab_batch_copy(queue->rx_ops, queue->rx_nr_ops);
		for (i = 0; i < queue->rx_nr_ops; i++) {
			struct xnb_rx_op_info *info = &queue->rx_op_info[i];

			if (likely(queue->rx_ops[i].status == GNTST_okay))
				continue;
			RING_GET_RESPONSE(&queue->rx, info->rsp)->status =
				XEN_NETIF_RSP_ERROR;
			XNB_RX_CB(info->skb)->failed = 1;
		}
		queue->rx_nr_ops = 0;
	}

	/* rsp_prod_pvt only covers complete frames. */
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&queue->rx, notify);
	if (notify)
		notify_remote_via_irq(queue->rx_irq);
}

/*
 * Queue copies of the next @len bytes of the frame into the buffer of
 * @req. Returns false if the skb holds fewer bytes than it claims.
 */
static bool xnb_rx_fill(struct xnb_queue *queue, struct xnb_rx_cursor *c,
			struct sk_buff *skb,
			const struct xen_netif_rx_request *req,
			RING_IDX idx, unsigned int doff, unsigned int len)
{
	while (len) {
		struct gnttab_copy *op;
		unsigned int left, n;
		u8 *p;

		p = xnb_rx_cursor_peek(c, &left);
		if (unlikely(!p))
			return false;
		n = min3(len, left,
			 (unsigned int)(XEN_PAGE_SIZE - xen_offset_in_page(p)));

		if (queue->rx_nr_ops == XNB_RX_COPY_OPS)
			xnb_rx_flush(queue);
		op = &queue->rx_ops[queue->rx_nr_ops];
		queue->rx_op_info[queue->rx_nr_ops].rsp = idx;
		queue->rx_op_info[queue->rx_nr_ops].skb = skb;
		queue->rx_nr_ops++;

		/*
		 * The data is always local: guest TX frames are copied into
		 * our own pages, so no skb holds another domain's mapped
		 * page. (Testing for one with xen_page_foreign() would
		 * misread page-cache pages, whose PG_checked shares the bit.)
		 */
		op->source.u.gmfn = virt_to_gfn(p);
		op->source.domid = DOMID_SELF;
		op->flags = GNTCOPY_dest_gref;
		op->source.offset = xen_offset_in_page(p);
		op->dest.u.ref = req->gref;
		op->dest.domid = queue->vif->domid;
		op->dest.offset = doff;
		op->len = n;

		c->off += n;
		doff += n;
		len -= n;
	}
	return true;
}

/* Put one frame on the rx ring; the ring has room for all its slots. */
static void xnb_rx_one(struct xnb_queue *queue, struct sk_buff *skb)
{
	struct xnb_rx_cb *cb = XNB_RX_CB(skb);
	struct xen_netif_extra_info extra[3];
	unsigned int nr_extras = 0, left = skb->len, i;
	unsigned int room = XEN_PAGE_SIZE - cb->headroom;
	RING_IDX first = queue->rx.req_cons;
	struct xnb_rx_cursor cur;
	bool ok = true;

	memset(extra, 0, sizeof(extra));
	if (cb->gso_type != XEN_NETIF_GSO_TYPE_NONE) {
		extra[nr_extras].type = XEN_NETIF_EXTRA_TYPE_GSO;
		extra[nr_extras].u.gso.type = cb->gso_type;
		extra[nr_extras].u.gso.size = skb_shinfo(skb)->gso_size;
		nr_extras++;
	}
	if (cb->hash_type != XNB_HASH_TYPE_NONE) {
		__le32 val = cpu_to_le32(cb->hash);

		extra[nr_extras].type = XEN_NETIF_EXTRA_TYPE_HASH;
		extra[nr_extras].u.hash.type = cb->hash_type;
		extra[nr_extras].u.hash.algorithm =
			XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		memcpy(extra[nr_extras].u.hash.value, &val, sizeof(val));
		nr_extras++;
	}
	if (cb->headroom) {
		extra[nr_extras].type = XEN_NETIF_EXTRA_TYPE_XDP;
		extra[nr_extras].u.xdp.headroom = cb->headroom;
		nr_extras++;
	}
	for (i = 0; i + 1 < nr_extras; i++)
		extra[i].flags = XEN_NETIF_EXTRA_FLAG_MORE;

	cb->failed = 0;
	xnb_rx_cursor_init(&cur, skb);

	while (left) {
		RING_IDX idx = queue->rx.req_cons++;
		struct xen_netif_rx_response *rsp;
		struct xen_netif_rx_request req;
		unsigned int len = min(left, room);
		u16 flags = 0;

		RING_COPY_REQUEST(&queue->rx, idx, &req);
		left -= len;
		if (left)
			flags |= XEN_NETRXF_more_data;
		if (idx == first) {
			if (skb->ip_summed == CHECKSUM_PARTIAL)
				flags |= XEN_NETRXF_csum_blank |
					 XEN_NETRXF_data_validated;
			else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
				flags |= XEN_NETRXF_data_validated;
			if (nr_extras)
				flags |= XEN_NETRXF_extra_info;
		}

		/* The request was copied; its slot now takes the response. */
		rsp = RING_GET_RESPONSE(&queue->rx, idx);
		rsp->id = req.id;
		rsp->offset = cb->headroom;
		rsp->flags = flags;
		rsp->status = len;

		if (ok && !xnb_rx_fill(queue, &cur, skb, &req, idx,
				       cb->headroom, len))
			ok = false;
		if (!ok) {
			rsp->status = XEN_NETIF_RSP_ERROR;
			cb->failed = 1;
		}

		if (idx == first) {
			for (i = 0; i < nr_extras; i++) {
				RING_IDX e = queue->rx.req_cons++;

				memcpy(RING_GET_RESPONSE(&queue->rx, e),
				       &extra[i], sizeof(extra[i]));
			}
		}
	}

	queue->rx.rsp_prod_pvt = queue->rx.req_cons;
}

static void xnb_rx_action(struct xnb_queue *queue)
{
	struct xnb_vif *vif = queue->vif;
	struct xnb_qstats *st = queue->stats;
	unsigned int pkts = 0, bytes = 0, errors = 0;
	struct sk_buff_head done;
	struct sk_buff *skb;

	__skb_queue_head_init(&done);

	while (pkts < XNB_RX_BATCH) {
		unsigned int needed = READ_ONCE(queue->rx_head_slots);
		RING_IDX prod;

		if (!needed)
			break;
		prod = READ_ONCE(queue->rx.sring->req_prod);
		if (unlikely(prod - queue->rx.rsp_prod_pvt > XNB_RX_RING_SIZE)) {
			xnb_fatal(vif, "%s: rx req_prod %u overruns rsp_prod %u",
				  queue->name, prod, queue->rx.rsp_prod_pvt);
			break;
		}
		if (prod - queue->rx.req_cons < needed)
			break;
		/* Read the requests only after req_prod. */
		virt_rmb();

		skb = xnb_rx_dequeue(queue);
		if (!skb)
			break;
		xnb_rx_one(queue, skb);
		__skb_queue_tail(&done, skb);
		pkts++;
	}

	if (!pkts)
		return;

	xnb_rx_flush(queue);
	WRITE_ONCE(queue->rx_last_progress, jiffies);

	/* The copies are done: the frames can go. */
	pkts = 0;
	while ((skb = __skb_dequeue(&done))) {
		if (unlikely(XNB_RX_CB(skb)->failed)) {
			errors++;
			kfree_skb(skb);
			continue;
		}
		pkts++;
		bytes += skb->len;
		consume_skb(skb);
	}

	u64_stats_update_begin(&st->tx_syncp);
	u64_stats_add(&st->tx_packets, pkts);
	u64_stats_add(&st->tx_bytes, bytes);
	u64_stats_add(&st->tx_errors, errors);
	u64_stats_update_end(&st->tx_syncp);
}

/* ---- stall detection --------------------------------------------------------- */

static void xnb_rx_check_stall(struct xnb_queue *queue)
{
	struct xnb_vif *vif = queue->vif;
	unsigned int needed = READ_ONCE(queue->rx_head_slots);

	if (!vif->stall_timeout)
		return;

	if (!queue->rx_stalled) {
		if (!needed || !xnb_rx_stall_due(queue) ||
		    xnb_rx_slots_ready(queue, needed))
			return;
		WRITE_ONCE(queue->rx_stalled, true);
		u64_stats_update_begin(&queue->stats->tx_syncp);
		u64_stats_inc(&queue->stats->tx_stalls);
		u64_stats_update_end(&queue->stats->tx_syncp);

		spin_lock_bh(&vif->lock);
		if (vif->stalled_queues++ == 0 &&
		    test_bit(XNB_VIF_CONNECTED, &vif->flags)) {
			netdev_info(vif->dev, "guest not posting RX buffers, carrier off\n");
			netif_carrier_off(vif->dev);
		}
		spin_unlock_bh(&vif->lock);
		return;
	}

	if (!xnb_rx_slots_ready(queue, max(needed, 1U)))
		return;
	WRITE_ONCE(queue->rx_stalled, false);
	WRITE_ONCE(queue->rx_last_progress, jiffies);

	spin_lock_bh(&vif->lock);
	if (--vif->stalled_queues == 0 &&
	    test_bit(XNB_VIF_CONNECTED, &vif->flags) &&
	    !xnb_vif_disabled(vif)) {
		netdev_info(vif->dev, "guest posting RX buffers again, carrier on\n");
		netif_carrier_on(vif->dev);
	}
	spin_unlock_bh(&vif->lock);
}

/**
 * xnb_rx_thread - the guest RX kthread of one queue
 * @data: the queue
 */
int xnb_rx_thread(void *data)
{
	struct xnb_queue *queue = data;
	struct xnb_vif *vif = queue->vif;

	for (;;) {
		xnb_rx_wait(queue);
		if (kthread_should_stop())
			break;

		if (unlikely(xnb_vif_disabled(vif))) {
			/* A transmit may still be filling the ring. */
			spin_lock(&queue->rx_lock);
			xnb_rx_purge(queue);
			spin_unlock(&queue->rx_lock);
			continue;
		}

		spin_lock(&queue->rx_lock);
		xnb_rx_action(queue);
		xnb_rx_check_stall(queue);
		xnb_rx_expire(queue);
		spin_unlock(&queue->rx_lock);
		cond_resched();
	}

	xnb_rx_purge(queue);
	return 0;
}
