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

/*
 * 6.8 passed get_rxfh/set_rxfh one struct ethtool_rxfh_param (and an
 * extack to set_rxfh). For 6.1 the struct is supplied with the fields
 * the drivers use, and XNET_RXFH_OPS(get, set) makes the two ethtool
 * ops of 6.1's signatures call 6.12-style get and set; on 6.12 it names
 * them directly.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
/* Included before <linux/types.h>: u8 and u32 spelled out. */
struct ethtool_rxfh_param {
	unsigned char hfunc;
	unsigned int *indir;
	unsigned char *key;
};

#define XNET_RXFH_OPS(get, set)	.get_rxfh = get##_compat, .set_rxfh = set##_compat
#define XNET_RXFH_COMPAT(get, set)					\
static int get##_compat(struct net_device *dev, u32 *indir, u8 *key,	\
			u8 *hfunc)					\
{									\
	struct ethtool_rxfh_param p = { .indir = indir, .key = key };	\
	int err = get(dev, &p);						\
									\
	if (hfunc)							\
		*hfunc = p.hfunc;					\
	return err;							\
}									\
static int set##_compat(struct net_device *dev, const u32 *indir,	\
			const u8 *key, const u8 hfunc)			\
{									\
	struct ethtool_rxfh_param p = {					\
		.hfunc = hfunc, .indir = (u32 *)indir, .key = (u8 *)key, \
	};								\
	return set(dev, &p, NULL);					\
}
#else
#define XNET_RXFH_OPS(get, set)	.get_rxfh = get, .set_rxfh = set
#define XNET_RXFH_COMPAT(get, set)
#endif

/* 6.8 added ethtool_puts(); 6.1 has only ethtool_sprintf(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define ethtool_puts(data, str)	ethtool_sprintf(data, "%s", str)
#endif

#endif /* XNET_COMPAT_H */
