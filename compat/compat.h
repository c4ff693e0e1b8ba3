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

/*
 * xenbus_driver.remove returns void since v6.2, and also in 6.1.y
 * stable kernels that took that change (Debian 12's 6.1.0-56 has it);
 * older kernels want int. No version number tells the two 6.1 flavours
 * apart, so pick the wrapper whose type matches the member:
 *   XNF_XENBUS_REMOVE_DEFINE(xnf_remove, fn);   fn is void fn(dev)
 *   .remove = XNF_XENBUS_REMOVE_FN(xnf_remove),
 */
#define XNF_XENBUS_REMOVE_DEFINE(name, fn)				\
	static void __maybe_unused name##_void(struct xenbus_device *d)	\
	{								\
		fn(d);							\
	}								\
	static int __maybe_unused name##_int(struct xenbus_device *d)	\
	{								\
		name##_void(d);						\
		return 0;						\
	}
#define XNF_XENBUS_REMOVE_FN(name)					\
	__builtin_choose_expr(						\
		__builtin_types_compatible_p(				\
			typeof(((struct xenbus_driver *)NULL)->remove),	\
			void (*)(struct xenbus_device *)),		\
		name##_void, name##_int)

/*
 * <net/page_pool.h> was split into <net/page_pool/types.h> and
 * <net/page_pool/helpers.h> in 6.6 and no longer exists in 6.12.
 * Use as: #include XNF_PAGE_POOL_HEADER (a quoted include falls back
 * to the same search path as an angle-bracket one).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define XNF_PAGE_POOL_HEADER	"net/page_pool/helpers.h"
#else
#define XNF_PAGE_POOL_HEADER	"net/page_pool.h"
#endif

/*
 * page_pool_params.napi (6.5+) names the NAPI context that owns the
 * pool, so pages freed from that context are recycled without locking.
 * Older kernels lack the field; the pool then recycles through its ring.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define XNF_PP_PARAMS_SET_NAPI(pp, n)	((pp)->napi = (n))
#else
#define XNF_PP_PARAMS_SET_NAPI(pp, n)	do { } while (0)
#endif

/*
 * net_device.xdp_features (6.3+) tells the core which XDP actions a
 * driver implements; from then on a device that does not claim
 * NETDEV_XDP_ACT_NDO_XMIT is no redirect target. Older kernels have
 * no such field and ask the driver's ndo_bpf/ndo_xdp_xmit directly.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define XNF_SET_XDP_FEATURES(dev)					\
	xdp_set_features_flag(dev, NETDEV_XDP_ACT_BASIC |		\
			      NETDEV_XDP_ACT_REDIRECT |			\
			      NETDEV_XDP_ACT_NDO_XMIT)
#else
#define XNF_SET_XDP_FEATURES(dev)	do { } while (0)
#endif

/* ---- netback --------------------------------------------------------- */

/*
 * xenbus_driver.uevent takes a const xenbus_device from 6.3 on (driver
 * core made bus_type.uevent const). Use as the parameter's type:
 *	static int f(XNET_UEVENT_XENBUS_DEV *xdev, struct kobj_uevent_env *env)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define XNET_UEVENT_XENBUS_DEV	const struct xenbus_device
#else
#define XNET_UEVENT_XENBUS_DEV	struct xenbus_device
#endif

/*
 * xenbus_driver.remove returns void in both supported kernels (Debian's
 * 6.1.y carries that change), so xen-netback defines a void remove
 * directly and needs no wrapper for it.
 */

#endif /* XNET_COMPAT_H */
