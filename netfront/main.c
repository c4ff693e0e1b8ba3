// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the frontend lands. */
#include <linux/module.h>
#include <xen/interface/io/netif.h>

static int __init xennet_init(void)
{
	BUILD_BUG_ON(sizeof(struct xen_netif_tx_request) != 12);
	return 0;
}
module_init(xennet_init);

static void __exit xennet_exit(void)
{
}
module_exit(xennet_exit);

MODULE_DESCRIPTION("Xen multi-queue paravirtual network frontend");
MODULE_LICENSE("GPL");
