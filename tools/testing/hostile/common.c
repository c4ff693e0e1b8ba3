// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by rogue-front and rogue-back: argument parsing and
 * the case table's --list, the observations and the RESULT line (format
 * in hostile.h), xenstore access through libxenstore, grant sharing
 * (gntalloc) and mapping (gntdev), event channels (evtchn).
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

static const char *prog_name = "hostile", *case_name = "-";
static char obs[1024], kvs[1024];
static bool result_done;

/* ---- arguments and the case table ----------------------------------------- */

static void list_cases(const struct hcase *cases, size_t ncases)
{
	size_t i;

	for (i = 0; i < ncases; i++)
		printf("CASE name=%s expect=%s desc=\"%s\"\n", cases[i].name,
		       cases[i].expect, cases[i].desc);
}

static void __attribute__((noreturn)) usage_exit(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(2);
}

const struct hcase *hostile_args(int argc, char **argv, const char *prog,
				 const struct hcase *cases, size_t ncases,
				 const struct hopt *opts, const char *usage)
{
	const char *name = NULL;
	const struct hopt *o;
	bool fuzz = false;
	size_t i;
	int a;

	prog_name = prog;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list")) {
			list_cases(cases, ncases);
			exit(0);
		}
		if (argv[a][0] != '-') {
			if (name)
				usage_exit(usage);
			name = argv[a];
			continue;
		}
		for (o = opts; o->name; o++)
			if (argv[a][1] == '-' && !strcmp(argv[a] + 2, o->name))
				break;
		if (!o->name || a + 1 >= argc)
			usage_exit(usage);
		a++;
		*o->val = o->any_ok && !strcmp(argv[a], "any") ? -1 : atoi(argv[a]);
		if (!strcmp(o->name, "fuzz"))
			fuzz = true;
	}
	if (!name && fuzz)
		name = "fuzz";
	if (!name || (fuzz && strcmp(name, "fuzz")))
		usage_exit(usage);
	for (i = 0; i < ncases; i++)
		if (!strcmp(cases[i].name, name))
			break;
	if (i == ncases) {
		fprintf(stderr, "%s: unknown case %s (see --list)\n", prog, name);
		exit(2);
	}
	case_name = cases[i].name;
	return &cases[i];
}

/* ---- observations and the result line --------------------------------------- */

static void vappend(char *buf, size_t size, const char *sep, const char *fmt, va_list ap)
{
	size_t n = strlen(buf);

	if (n && n + strlen(sep) < size) {
		strcpy(buf + n, sep);
		n += strlen(sep);
	}
	if (n < size)
		vsnprintf(buf + n, size - n, fmt, ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vappend(obs, sizeof(obs), "; ", fmt, ap);
	va_end(ap);
}

/* Values are single words: spaces and quotes become '_'. */
static void word(char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '"' || *s == '\t' || *s == '\n')
			*s = '_';
}

void kv(const char *key, const char *fmt, ...)
{
	char val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	word(val);
	snprintf(kvs + strlen(kvs), sizeof(kvs) - strlen(kvs), " %s=%s", key, val);
}

static void vresult(const char *where, const char *outcome, const char *fmt, va_list ap)
{
	char reason[256], *q;

	if (result_done)
		return;
	result_done = true;
	vsnprintf(reason, sizeof(reason), fmt, ap);
	for (q = reason; *q; q++)
		if (*q == '"' || *q == '\n')
			*q = '\'';
	fflush(stderr);
	if (obs[0])
		printf("%s %s %s: %s\n", prog_name, case_name, where, obs);
	printf("RESULT case=%s outcome=%s%s reason=\"%s\"\n", case_name, outcome, kvs,
	       reason);
	fflush(stdout);
}

void result(const char *where, const char *outcome, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(where, outcome, fmt, ap);
	va_end(ap);
}

void event(const char *what, const char *fmt, ...)
{
	char rest[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	printf("EVENT case=%s event=%s%s%s\n", case_name, what, rest[0] ? " " : "", rest);
	fflush(stdout);
}

const char *state_name(int s)
{
	static const char *const n[] = { "Unknown", "Initialising", "InitWait",
		"Initialised", "Connected", "Closing", "Closed", "Reconfiguring",
		"Reconfigured" };

	if (s < 0)
		return "gone";
	return s < 9 ? n[s] : "?";
}

const char *xpath(const char *dir, const char *key)
{
	static char buf[8][256];
	static unsigned int i;

	i = (i + 1) & 7;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, key);
	return buf[i];
}

/* ---- the fuzzer's random numbers -------------------------------------------- */

static uint64_t fz_state = 1;

void fz_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	/* splitmix64 of the seed: nearby seeds give unrelated states. */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	fz_state = z ? z : 1;
}

uint64_t fz_next(void)
{
	uint64_t x = fz_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fz_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint32_t fz_below(uint32_t n)
{
	if (!n)
		return 0;
	/* The high half: xorshift64*'s low bits are its weakest. */
	return (uint32_t)(((fz_next() >> 32) * (uint64_t)n) >> 32);
}

bool fz_chance(unsigned int pct)
{
	return fz_below(100) < pct;
}

unsigned int fz_weighted(const unsigned int *weights, unsigned int n)
{
	unsigned int i, sum = 0, r;

	for (i = 0; i < n; i++)
		sum += weights[i];
	r = fz_below(sum);
	for (i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return 0;
}

/* ---- misc -------------------------------------------------------------------- */

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
	va_start(ap, fmt);
	vresult("set-up", "setup-failed", fmt, ap);
	va_end(ap);
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

/*
 * gntalloc's file offset of each mapping gnt_share() made, which
 * gnt_unshare() needs to give the grants back: munmap() alone leaves
 * them allocated, and gntalloc allows a guest 1024 by default.
 */
#define GNT_SHARES	256
static struct {
	void *addr;
	uint64_t index;
	unsigned int count;
} gnt_shares[GNT_SHARES];

void *gnt_share(int domid, unsigned int count, bool writable, grant_ref_t *refs)
{
	struct ioctl_gntalloc_alloc_gref *a;
	size_t sz = sizeof(*a) + count * sizeof(uint32_t);
	unsigned int i;
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
	for (i = 0; i < GNT_SHARES && gnt_shares[i].addr; i++)
		;
	/* A mapping that could not be given back would leak its grants. */
	if (i == GNT_SHARES)
		die("more than %d grant mappings at once", GNT_SHARES);
	if (ioctl(gntalloc_fd, IOCTL_GNTALLOC_ALLOC_GREF, a))
		die("IOCTL_GNTALLOC_ALLOC_GREF(%u): %s", count, strerror(errno));
	p = mmap(NULL, (size_t)count * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
		 gntalloc_fd, a->index);
	if (p == MAP_FAILED)
		die("mmap gntalloc: %s", strerror(errno));
	gnt_shares[i].addr = p;
	gnt_shares[i].index = a->index;
	gnt_shares[i].count = count;
	memcpy(refs, a->gref_ids, count * sizeof(*refs));
	free(a);
	return p;
}

void gnt_unshare(void *addr)
{
	struct ioctl_gntalloc_dealloc_gref d = { 0 };

	if (!addr)
		return;
	for (unsigned int i = 0; i < GNT_SHARES; i++) {
		if (gnt_shares[i].addr == addr) {
			d.index = gnt_shares[i].index;
			d.count = gnt_shares[i].count;
			gnt_shares[i].addr = NULL;
			munmap(addr, (size_t)d.count * PG);
			if (ioctl(gntalloc_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d))
				note("IOCTL_GNTALLOC_DEALLOC_GREF(%u): %s", d.count,
				     strerror(errno));
			return;
		}
	}
	note("gnt_unshare: %p was not shared here", addr);
}

void *gnt_map(int domid, unsigned int count, const grant_ref_t *refs, bool writable)
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
