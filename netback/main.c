// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: module parameters, load and unload.
 */
#include "common.h"

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/cpumask.h>

#include <xen/xen.h>

/*
 * Parameters marked 0644 may be changed at run time; a change applies to
 * interfaces created (max_queues) or control rings connected
 * (hash_cache_size) afterwards.
 */
unsigned int xnb_max_queues;
module_param_named(max_queues, xnb_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queues a frontend may use per vif (default: min(8, online CPUs))");

bool xnb_separate_tx_rx_irq = true;
module_param_named(separate_tx_rx_irq, xnb_separate_tx_rx_irq, bool, 0644);
MODULE_PARM_DESC(separate_tx_rx_irq,
		 "Offer one event channel per ring (feature-split-event-channels)");

unsigned int xnb_fatal_skb_slots = 20;
module_param_named(fatal_skb_slots, xnb_fatal_skb_slots, uint, 0444);
MODULE_PARM_DESC(fatal_skb_slots,
		 "Guest TX frames with more slots than this disable the vif (min 18)");

unsigned int xnb_rx_drain_timeout_msecs = 10000;
module_param_named(rx_drain_timeout_msecs, xnb_rx_drain_timeout_msecs,
		   uint, 0444);
MODULE_PARM_DESC(rx_drain_timeout_msecs,
		 "Drop frames queued for a guest longer than this (ms)");

unsigned int xnb_rx_stall_timeout_msecs = 60000;
module_param_named(rx_stall_timeout_msecs, xnb_rx_stall_timeout_msecs,
		   uint, 0444);
MODULE_PARM_DESC(rx_stall_timeout_msecs,
		 "Carrier off when a guest posts no RX buffers for this long (ms, 0 = never)");

bool xnb_provides_xdp_headroom = true;
module_param_named(provides_xdp_headroom, xnb_provides_xdp_headroom, bool,
		   0644);
MODULE_PARM_DESC(provides_xdp_headroom,
		 "Offer frontends headroom for XDP in front of received frames (feature-xdp-headroom)");

bool xnb_rx_follows_tx;
module_param_named(rx_follows_tx, xnb_rx_follows_tx, bool, 0644);
MODULE_PARM_DESC(rx_follows_tx,
		 "Default for new vifs: send each flow's frames to the guest on the queue the guest sends that flow on (rx-follows-tx)");

unsigned int xnb_hash_cache_size = 64;
module_param_named(hash_cache_size, xnb_hash_cache_size, uint, 0644);
MODULE_PARM_DESC(hash_cache_size,
		 "Toeplitz hash cache entries per vif (0 = no cache)");

#define XNB_MAX_QUEUES_DEFAULT	8

/* The driver's own workqueue: serves the control rings. */
struct workqueue_struct *xnb_wq;

/* max_queues as a new vif should use it: the parameter may change. */
unsigned int xnb_max_queues_now(void)
{
	unsigned int n = READ_ONCE(xnb_max_queues);

	return clamp_t(unsigned int, n, 1, XNB_MAX_QUEUES_LIMIT);
}

static int __init xnb_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;

	if (!xnb_max_queues)
		xnb_max_queues = min_t(unsigned int, XNB_MAX_QUEUES_DEFAULT,
				       num_online_cpus());
	if (xnb_max_queues > XNB_MAX_QUEUES_LIMIT) {
		pr_info("max_queues %u capped to %u\n", xnb_max_queues,
			XNB_MAX_QUEUES_LIMIT);
		xnb_max_queues = XNB_MAX_QUEUES_LIMIT;
	}

	if (xnb_fatal_skb_slots < XEN_NETIF_NR_SLOTS_MIN) {
		pr_info("fatal_skb_slots %u raised to %u\n",
			xnb_fatal_skb_slots, XEN_NETIF_NR_SLOTS_MIN);
		xnb_fatal_skb_slots = XEN_NETIF_NR_SLOTS_MIN;
	}
	if (xnb_fatal_skb_slots > XNB_TX_RING_SIZE)
		xnb_fatal_skb_slots = XNB_TX_RING_SIZE;

	xnb_wq = alloc_workqueue("%s", 0, 0, XNB_DRV_NAME);
	if (!xnb_wq)
		return -ENOMEM;

	xnb_debugfs_init();
	err = xnb_xenbus_init();
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	xnb_debugfs_exit();
	destroy_workqueue(xnb_wq);
	return err;
}
module_init(xnb_init);

static void __exit xnb_exit(void)
{
	xnb_xenbus_exit();
	xnb_debugfs_exit();
	destroy_workqueue(xnb_wq);
}
module_exit(xnb_exit);

MODULE_DESCRIPTION("Xen multi-queue paravirtual network backend");
MODULE_LICENSE("GPL");
/* debian/changelog's first line, through the Makefile and Kbuild. */
MODULE_VERSION(NETMQ_VERSION);
MODULE_ALIAS("xen-backend:vif");
