// SPDX-License-Identifier: GPL-2.0
/*
 * A module that is wrong on purpose, for make check-debug with
 * XNET_BREAK=1: broken.sh loads it in dom0 to show that the debug
 * kernel's checkers turn the lane red. Loading it takes two mutexes in
 * one order and then in the other, which lockdep reports as a possible
 * circular locking dependency, and loses the only pointers to some
 * allocations, which kmemleak reports at its next scan. Nothing else
 * loads it.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static DEFINE_MUTEX(xbrk_first);
static DEFINE_MUTEX(xbrk_second);

/* Allocations lost on purpose, and where each is held until the next. */
#define XBRK_LEAKS	32
static void *xbrk_held;

static int __init xbrk_init(void)
{
	void *p;
	int i;

	mutex_lock(&xbrk_first);
	mutex_lock(&xbrk_second);
	mutex_unlock(&xbrk_second);
	mutex_unlock(&xbrk_first);

	mutex_lock(&xbrk_second);
	mutex_lock(&xbrk_first);
	mutex_unlock(&xbrk_first);
	mutex_unlock(&xbrk_second);

	/*
	 * Several: a stale copy of the last pointer may stay on a stack
	 * that kmemleak scans (a cached kernel stack), which would count
	 * as a reference.
	 */
	for (i = 0; i < XBRK_LEAKS; i++) {
		p = kmalloc(256, GFP_KERNEL);
		if (p)
			memset(p, 0x5a, 256);
		WRITE_ONCE(xbrk_held, p);
	}
	WRITE_ONCE(xbrk_held, NULL);
	pr_info("xnet_break: took two mutexes in both orders, dropped %d 256-byte allocations\n",
		XBRK_LEAKS);
	return 0;
}

static void __exit xbrk_exit(void)
{
}

module_init(xbrk_init);
module_exit(xbrk_exit);
MODULE_DESCRIPTION("Deliberate lock-order and leak errors for the rig's debug lane");
MODULE_LICENSE("GPL");
