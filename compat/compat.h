/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences for the out-of-tree xen-netfront and
 * xen-netback. Every version test in the project lives in this file;
 * the driver sources use the xnet_* names defined here and no
 * LINUX_VERSION_CODE checks of their own.
 *
 * Supported: Debian 12's kernel (6.1) and bookworm-backports (6.12).
 */
#ifndef XNET_COMPAT_H
#define XNET_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "xen-netfront/xen-netback out-of-tree: Linux 6.1 or newer required"
#endif

/* ---- common ---------------------------------------------------------- */

/*
 * xenbus_driver.remove returns void from 6.11 on. Drivers define their
 * remove body as a void function and wrap it with this macro.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define XNET_XENBUS_REMOVE(name, fn)				\
	static void name(struct xenbus_device *dev) { fn(dev); }
#else
#define XNET_XENBUS_REMOVE(name, fn)				\
	static int name(struct xenbus_device *dev) { fn(dev); return 0; }
#endif

/* ---- netfront -------------------------------------------------------- */

/* ---- netback --------------------------------------------------------- */

#endif /* XNET_COMPAT_H */
