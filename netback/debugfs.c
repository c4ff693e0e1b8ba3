// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: debugfs, for looking at a stuck vif.
 *
 *   xen-netback/<vif>/ctrl          hashing set over the control ring
 *   xen-netback/<vif>/io_ring_q<N>  ring indices, pending counts and
 *                                   event channel state of queue N;
 *                                   writing "kick" sends an event
 *
 * The directory lives as long as the vif; the io_ring files exist
 * while the queues are connected (they are removed before the rings
 * are unmapped, and debugfs waits for readers on removal).
 */
#include "common.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <xen/events.h>

static struct dentry *xnb_dbg_root;

void xnb_debugfs_init(void)
{
	struct dentry *d = debugfs_create_dir("xen-netback", NULL);

	xnb_dbg_root = IS_ERR(d) ? NULL : d;
}

void xnb_debugfs_exit(void)
{
	debugfs_remove_recursive(xnb_dbg_root);
	xnb_dbg_root = NULL;
}

/* ---- io_ring_qN ---------------------------------------------------------- */

/*
 * One ring's indices, read from the oldest to the newest (responses
 * pushed, responses made, requests consumed, requests produced), so
 * that each is at least the one before even while the ring moves.
 */
static void xnb_dbg_ring(struct seq_file *m, const char *what,
			 const RING_IDX *rsp_prod, const RING_IDX *rsp_prod_pvt,
			 const RING_IDX *req_cons, const RING_IDX *req_prod,
			 const RING_IDX *req_event, const RING_IDX *rsp_event)
{
	RING_IDX rp, pvt, rc, qp;

	rp = READ_ONCE(*rsp_prod);
	smp_rmb(); /* each index no older than the one before */
	pvt = READ_ONCE(*rsp_prod_pvt);
	smp_rmb(); /* as above */
	rc = READ_ONCE(*req_cons);
	smp_rmb(); /* as above */
	qp = READ_ONCE(*req_prod);
	seq_printf(m, "%s ring: req_prod %u req_cons %u (unconsumed %u) rsp_prod_pvt %u rsp_prod %u (unpushed %u) req_event %u rsp_event %u\n",
		   what, qp, rc, qp - rc, pvt, rp, pvt - rp,
		   READ_ONCE(*req_event), READ_ONCE(*rsp_event));
}

static int xnb_dbg_io_ring_show(struct seq_file *m, void *v)
{
	struct xnb_queue *queue = m->private;
	struct xen_netif_tx_sring *txs = queue->tx.sring;
	struct xen_netif_rx_sring *rxs = queue->rx.sring;
	RING_IDX rx_cons = READ_ONCE(queue->rx.req_cons);

	seq_printf(m, "queue %u (%s)\n", queue->id, queue->name);
	xnb_dbg_ring(m, "tx", &txs->rsp_prod, &queue->tx.rsp_prod_pvt,
		     &queue->tx.req_cons, &txs->req_prod, &txs->req_event,
		     &txs->rsp_event);
	xnb_dbg_ring(m, "rx", &rxs->rsp_prod, &queue->rx.rsp_prod_pvt,
		     &queue->rx.req_cons, &rxs->req_prod, &rxs->req_event,
		     &rxs->rsp_event);
	smp_rmb(); /* the producer index no older than rx_cons */
	seq_printf(m, "rx buffers posted and unused: %u\n",
		   READ_ONCE(rxs->req_prod) - rx_cons);
	seq_printf(m, "rx queue: %u frames, %u bytes (stop at %u), head needs %u slots, stalled %d\n",
		   skb_queue_len(&queue->rx_queue),
		   READ_ONCE(queue->rx_queue_bytes), queue->rx_queue_max,
		   READ_ONCE(queue->rx_head_slots), READ_ONCE(queue->rx_stalled));
	seq_printf(m, "tx: rate limited %d, credit %lu of %lu bytes per %lu us\n",
		   READ_ONCE(queue->rate_limited),
		   READ_ONCE(queue->remaining_credit),
		   READ_ONCE(queue->credit_bytes),
		   READ_ONCE(queue->credit_usec));
	if (queue->tx_irq == queue->rx_irq)
		seq_printf(m, "event channel: shared, irq %u\n", queue->tx_irq);
	else
		seq_printf(m, "event channels: split, tx irq %u, rx irq %u\n",
			   queue->tx_irq, queue->rx_irq);
	seq_printf(m, "late EOI pending: tx %d rx %d shared %d; data path %s\n",
		   !!(atomic_read(&queue->eoi_pending) & XNB_EOI_TX),
		   !!(atomic_read(&queue->eoi_pending) & XNB_EOI_RX),
		   !!(atomic_read(&queue->eoi_pending) & XNB_EOI_SHARED),
		   READ_ONCE(queue->vif->dp_up) ? "up" : "down");
	return 0;
}

/*
 * "kick": act on both rings as if an event had come in (poll the tx
 * ring, wake the rx kthread), and send an event to the frontend on
 * each of the queue's channels, so that a side that missed one looks
 * at its rings again.
 */
static ssize_t xnb_dbg_io_ring_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct xnb_queue *queue = ((struct seq_file *)file->private_data)->private;
	char buf[16];
	size_t n = min(count, sizeof(buf) - 1);

	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	buf[n] = '\0';
	if (!sysfs_streq(buf, "kick"))
		return -EINVAL;

	if (!xnb_vif_disabled(queue->vif)) {
		local_bh_disable();
		napi_schedule(&queue->napi);
		local_bh_enable();
		xnb_rx_kick(queue);
	}
	notify_remote_via_irq(queue->tx_irq);
	if (queue->rx_irq != queue->tx_irq)
		notify_remote_via_irq(queue->rx_irq);
	return count;
}

static int xnb_dbg_io_ring_open(struct inode *inode, struct file *file)
{
	return single_open(file, xnb_dbg_io_ring_show, inode->i_private);
}

static const struct file_operations xnb_dbg_io_ring_fops = {
	.owner		= THIS_MODULE,
	.open		= xnb_dbg_io_ring_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= xnb_dbg_io_ring_write,
};

/* ---- ctrl --------------------------------------------------------------------- */

static int xnb_dbg_ctrl_show(struct seq_file *m, void *v)
{
	static const char * const types[] = {
		"ipv4", "ipv4+tcp", "ipv6", "ipv6+tcp",
	};
	struct xnb_vif *vif = m->private;
	const struct xnb_hash_cfg *cfg;
	unsigned int i;

	seq_printf(m, "control ring: %s\n",
		   READ_ONCE(vif->ctrl_irq) ? "connected" : "none");

	rcu_read_lock();
	cfg = rcu_dereference(vif->hash);
	if (!cfg) {
		seq_puts(m, "hash algorithm: none\n");
		goto out;
	}
	seq_printf(m, "hash algorithm: %s\n",
		   cfg->alg == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ?
		   "toeplitz" : "unknown");
	seq_puts(m, "hash types:");
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (cfg->flags & BIT(i))
			seq_printf(m, " %s", types[i]);
	seq_puts(m, "\n");
	seq_printf(m, "hash key: %*phN\n", XNB_HASH_KEY_MAX, cfg->key);
	if (!cfg->map_size) {
		seq_puts(m, "mapping: none (queue = hash % queues)\n");
		goto out;
	}
	seq_printf(m, "mapping: %u entries\n", cfg->map_size);
	for (i = 0; i < cfg->map_size; i++)
		seq_printf(m, "%s%u", i % 16 ? " " : i ? "\n  " : "  ",
			   cfg->map[i]);
	seq_puts(m, "\n");
out:
	rcu_read_unlock();
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(xnb_dbg_ctrl);

/* ---- per vif -------------------------------------------------------------------- */

void xnb_debugfs_vif_add(struct xnb_vif *vif)
{
	struct dentry *d;

	if (!xnb_dbg_root)
		return;
	d = debugfs_create_dir(vif->dev->name, xnb_dbg_root);
	if (IS_ERR(d))
		return;
	vif->dbg_dir = d;
	debugfs_create_file("ctrl", 0400, d, vif, &xnb_dbg_ctrl_fops);
}

void xnb_debugfs_vif_remove(struct xnb_vif *vif)
{
	debugfs_remove_recursive(vif->dbg_dir);
	vif->dbg_dir = NULL;
}

/* After the queues are connected. */
void xnb_debugfs_queues_add(struct xnb_vif *vif)
{
	unsigned int i;
	char name[24];

	if (!vif->dbg_dir)
		return;
	for (i = 0; i < vif->nr_queues_req; i++) {
		struct xnb_queue *queue = &vif->queues[i];
		struct dentry *d;

		snprintf(name, sizeof(name), "io_ring_q%u", i);
		d = debugfs_create_file(name, 0600, vif->dbg_dir, queue,
					&xnb_dbg_io_ring_fops);
		queue->dbg = IS_ERR(d) ? NULL : d;
	}
}

/* Before the queues are disconnected; waits for readers. */
void xnb_debugfs_queues_remove(struct xnb_vif *vif)
{
	unsigned int i;

	for (i = 0; i < vif->nr_queues_req; i++) {
		debugfs_remove(vif->queues[i].dbg);
		vif->queues[i].dbg = NULL;
	}
}
