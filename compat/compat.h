/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences for the out-of-tree xen-netfront and
 * xen-netback, force-included into every file by Kbuild.
 *
 * Supported: Debian 12's kernel (6.1) and bookworm-backports (6.12).
 * The drivers are written against 6.12. Where 6.1 lacks a 6.12 name,
 * this file (or, for a header, compat/include/) supplies it for 6.1;
 * where no such name can be given, an XNET_* macro stands in. Every
 * version test of the project is here or in compat/include/.
 */
#ifndef XNET_COMPAT_H
#define XNET_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "xen-netfront/xen-netback out-of-tree: Linux 6.1 or newer required"
#endif

/* 6.3 made xenbus_driver.uevent take a const struct xenbus_device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define XNET_UEVENT_XENBUS_DEV	const struct xenbus_device
#else
#define XNET_UEVENT_XENBUS_DEV	struct xenbus_device
#endif

/* 6.3 added net_device.xdp_features; 6.1 has none and needs none. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define xdp_set_features_flag(dev, val)	((void)(dev))
#endif

/* 6.5 added page_pool_params.napi (lock-free recycling); 6.1 lacks it. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define XNET_PP_PARAMS_SET_NAPI(pp, n)	((pp)->napi = (n))
#else
#define XNET_PP_PARAMS_SET_NAPI(pp, n)	do { } while (0)
#endif

/* 6.6 split <net/page_pool.h>: compat/include/ has 6.12's name for 6.1. */

/* 6.8 added ethtool_puts(); 6.1 has only ethtool_sprintf(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define ethtool_puts(data, str)	ethtool_sprintf(data, "%s", str)
#endif

#endif /* XNET_COMPAT_H */
