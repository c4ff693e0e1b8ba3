// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by rogue-front and rogue-back: xenstore access through
 * libxenstore, grant sharing (gntalloc) and mapping (gntdev), event
 * channels (evtchn).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#include "hostile.h"

struct xs_handle *xs;
static int gntalloc_fd = -1, gntdev_fd = -1, evt_fd = -1;

unsigned int ring_entries(unsigned int entsz)
{
	unsigned int n = (PG - offsetof(struct sring, ring)) / entsz, p = 1;

	while (p * 2 <= n)
		p *= 2;
	return p;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void xs_init(void)
{
	xs = xs_open(0);
	if (!xs)
		die("cannot open xenstore: %s", strerror(errno));
}

static char *vfmt(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		die("out of memory");
	return p;
}

char *xs_get(const char *fmt, ...)
{
	va_list ap;
	char *path, *v;
	unsigned int len;

	va_start(ap, fmt);
	path = vfmt(fmt, ap);
	va_end(ap);
	v = xs_read(xs, XBT_NULL, path, &len);
	free(path);
	return v;
}

long xs_get_int(long def, const char *fmt, ...)
{
	va_list ap;
	char *path, *v, *end;
	unsigned int len;
	long r = def;

	va_start(ap, fmt);
	path = vfmt(fmt, ap);
	va_end(ap);
	v = xs_read(xs, XBT_NULL, path, &len);
	free(path);
	if (v) {
		errno = 0;
		r = strtol(v, &end, 10);
		if (errno || end == v || *end)
			r = def;
		free(v);
	}
	return r;
}

bool xs_put(const char *path, const char *fmt, ...)
{
	va_list ap;
	char *v;
	bool ok;

	va_start(ap, fmt);
	v = vfmt(fmt, ap);
	va_end(ap);
	ok = xs_write(xs, XBT_NULL, path, v, strlen(v));
	free(v);
	return ok;
}

bool xs_exists(const char *path)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);

	if (!v)
		return false;
	free(v);
	return true;
}

int xs_wait_state(const char *path, unsigned int ms, int want1, int want2)
{
	uint64_t end = now_ms() + ms;
	int st;

	for (;;) {
		st = (int)xs_get_int(-1, "%s", path);
		if (st == want1 || st == want2 || now_ms() >= end)
			return st;
		msleep(20);
	}
}

void *gnt_share(int domid, unsigned int count, bool writable, uint32_t *refs)
{
	struct ioctl_gntalloc_alloc_gref *a;
	size_t sz = sizeof(*a) + count * sizeof(uint32_t);
	void *p;

	if (gntalloc_fd < 0) {
		gntalloc_fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
		if (gntalloc_fd < 0)
			die("open /dev/xen/gntalloc: %s", strerror(errno));
	}
	a = calloc(1, sz);
	if (!a)
		die("out of memory");
	a->domid = domid;
	a->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
	a->count = count;
	if (ioctl(gntalloc_fd, IOCTL_GNTALLOC_ALLOC_GREF, a))
		die("IOCTL_GNTALLOC_ALLOC_GREF(%u): %s", count, strerror(errno));
	p = mmap(NULL, (size_t)count * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
		 gntalloc_fd, a->index);
	if (p == MAP_FAILED)
		die("mmap gntalloc: %s", strerror(errno));
	memcpy(refs, a->gref_ids, count * sizeof(uint32_t));
	free(a);
	return p;
}

void *gnt_map(int domid, unsigned int count, const uint32_t *refs, bool writable)
{
	struct ioctl_gntdev_map_grant_ref *m;
	size_t sz = sizeof(*m) + count * sizeof(m->refs[0]);
	unsigned int i;
	void *p;

	if (gntdev_fd < 0) {
		gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
		if (gntdev_fd < 0)
			die("open /dev/xen/gntdev: %s", strerror(errno));
	}
	m = calloc(1, sz);
	if (!m)
		die("out of memory");
	m->count = count;
	for (i = 0; i < count; i++) {
		m->refs[i].domid = domid;
		m->refs[i].ref = refs[i];
	}
	if (ioctl(gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, m)) {
		free(m);
		return NULL;
	}
	p = mmap(NULL, (size_t)count * PG, PROT_READ | (writable ? PROT_WRITE : 0),
		 MAP_SHARED, gntdev_fd, m->index);
	if (p == MAP_FAILED) {
		struct ioctl_gntdev_unmap_grant_ref u = { .index = m->index, .count = count };

		ioctl(gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		free(m);
		return NULL;
	}
	free(m);
	return p;
}

void gnt_unmap(void *addr, unsigned int count)
{
	struct ioctl_gntdev_get_offset_for_vaddr g = { .vaddr = (uintptr_t)addr };
	struct ioctl_gntdev_unmap_grant_ref u = { 0 };

	if (!addr)
		return;
	if (ioctl(gntdev_fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &g) == 0) {
		u.index = g.offset;
		u.count = g.count;
	}
	munmap(addr, (size_t)count * PG);
	if (u.count)
		ioctl(gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
}

int evt_open(void)
{
	if (evt_fd < 0) {
		evt_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
		if (evt_fd < 0)
			die("open /dev/xen/evtchn: %s", strerror(errno));
	}
	return evt_fd;
}

int evt_bind_unbound(int remote)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = remote };

	return ioctl(evt_open(), IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

int evt_bind_interdomain(int remote, int rport)
{
	struct ioctl_evtchn_bind_interdomain b = {
		.remote_domain = remote, .remote_port = rport,
	};

	return ioctl(evt_open(), IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

int evt_unbind(int port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return ioctl(evt_open(), IOCTL_EVTCHN_UNBIND, &u);
}

int evt_notify(int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return ioctl(evt_open(), IOCTL_EVTCHN_NOTIFY, &n);
}

int evt_wait(int ms)
{
	struct pollfd p = { .fd = evt_open(), .events = POLLIN };
	uint32_t port;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	if (read(evt_fd, &port, sizeof(port)) != sizeof(port))
		return -1;
	if (write(evt_fd, &port, sizeof(port)) != sizeof(port))
		return -1;
	return (int)port;
}
