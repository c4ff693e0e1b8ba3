/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <net/page_pool/helpers.h> for every supported kernel: 6.6 split
 * <net/page_pool.h> into page_pool/types.h and page_pool/helpers.h, so
 * 6.12 has this header and 6.1 has the old one only. compat/compat.h
 * (force-included) has already defined LINUX_VERSION_CODE.
 */
#ifndef XNET_COMPAT_PAGE_POOL_HELPERS_H
#define XNET_COMPAT_PAGE_POOL_HELPERS_H

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include_next <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

#endif /* XNET_COMPAT_PAGE_POOL_HELPERS_H */
