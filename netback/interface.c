// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the backend lands. */
#include <linux/module.h>
#include <xen/interface/io/netif.h>

static int __init xenvif_init(void)
{
	BUILD_BUG_ON(sizeof(struct xen_netif_extra_info) != 8);
	return 0;
}
module_init(xenvif_init);

static void __exit xenvif_exit(void)
{
}
module_exit(xenvif_exit);

MODULE_DESCRIPTION("Xen multi-queue paravirtual network backend");
MODULE_LICENSE("GPL");
