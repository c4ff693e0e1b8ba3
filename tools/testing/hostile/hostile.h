/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared pieces of rogue-front and rogue-back: the netif wire format
 * (from the Xen public headers the host installs, libxen-dev's
 * /usr/include/xen/io/netif.h and ring.h), the case table and its
 * --list, the result line, argument parsing, and thin wrappers around
 * xenstore, /dev/xen/gntalloc, /dev/xen/gntdev and /dev/xen/evtchn.
 *
 * Machine-readable output (parsed by hostile/hostile-lib.sh,
 * documented in Documentation/hostile.rst). Every line is a tag and
 * then space-separated key=value pairs; a value is one word without
 * spaces or quotes, except the last key of a line (desc, reason),
 * whose value is in double quotes and may hold spaces:
 *
 *   --list, one line per case:
 *     CASE name=NAME expect=REACTION desc="one-line description"
 *   at the end of every run, exactly one line:
 *     RESULT case=NAME outcome=OUTCOME [KEY=VALUE ...] reason="text"
 *   while a case runs, a step the caller may wait for:
 *     EVENT case=NAME event=WHAT [KEY=VALUE ...]
 *
 * expect is our driver's documented reaction (one word, see the
 * tables in rogue-front.c and rogue-back.c); what the in-tree drivers
 * do is measured by make hostile-report, never recorded here.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <xenstore.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#define PG 4096u

/* Entries of a one-page shared ring of type t (netif_tx, netif_rx, ...). */
#define RING_ENTS(t)	((uint32_t)__CONST_RING_SIZE(t, PG))
/* Entry idx of a shared ring (index wrapped to the ring). */
#define SLOT(s, t, idx)	(&(s)->ring[(idx) & (RING_ENTS(t) - 1)])

/* The shared indices are written by the peer: read them once. */
#define RD_IDX(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WR_IDX(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* ---- cases, arguments and output ---------------------------------------- */

/* One row of a peer's case table. */
struct hcase {
	const char *name;
	/* Our driver's documented reaction: one word, no spaces. */
	const char *expect;
	const char *desc;
	int (*fn)(const char *name);
};

/* An integer option --NAME VALUE; any_ok accepts the word "any" as -1. */
struct hopt {
	const char *name;
	int *val;
	bool any_ok;
};

/*
 * Parse argv: --list prints the table and exits 0; otherwise one case
 * name and the options. Exits 2 with usage on anything else. Returns
 * the case's row and records its name for the result line. An option
 * named "fuzz" given without a case name selects the case "fuzz".
 */
const struct hcase *hostile_args(int argc, char **argv, const char *prog,
				 const struct hcase *cases, size_t ncases,
				 const struct hopt *opts, const char *usage);

/* Human-readable observations, joined with "; " (printed before RESULT). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A key=value pair of the result line (key: [a-z0-9_]; value: one word). */
void kv(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Print the observations (prefix: "PROG CASE WHERE: ") and the one
 * RESULT line of the run; later calls (and die()) print nothing more.
 */
void result(const char *where, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An EVENT line for the current case. */
void event(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Name of a XenbusState value ("gone" for a missing key). */
const char *state_name(int s);
/* DIR/KEY in one of a few static buffers (valid for the next 7 calls). */
const char *xpath(const char *dir, const char *key);

/* ---- the fuzzer's random numbers ----------------------------------------- */

/*
 * A small PRNG of our own (xorshift64*, its state seeded through
 * splitmix64) so that a seed gives the same sequence on every build
 * and machine: a fuzz run is reproduced from its seed alone.
 */
void fz_seed(uint64_t seed);
uint64_t fz_next(void);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t fz_below(uint32_t n);
/* True with a probability of pct per cent. */
bool fz_chance(unsigned int pct);
/* Index into weights[0..n) picked with probability proportional to each. */
unsigned int fz_weighted(const unsigned int *weights, unsigned int n);

/* ---- misc ------------------------------------------------------------ */

uint64_t now_ms(void);
void msleep(unsigned int ms);
/* Set-up failed: a RESULT line with outcome=setup-failed, exit 2. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- xenstore -------------------------------------------------------- */

extern struct xs_handle *xs;
void xs_init(void);
/* Returns a malloc'ed value or NULL. */
char *xs_get(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Integer value of a key, or def when it is missing or not a number. */
long xs_get_int(long def, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool xs_put(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool xs_exists(const char *path);
/* Poll until key path equals one of the states, or ms pass; returns the
 * last value read (-1 if missing). */
int xs_wait_state(const char *path, unsigned int ms, int want1, int want2);

/* ---- grants and event channels ------------------------------------------ */

/* gntalloc (frontend): count pages granted to domid; refs filled in. */
void *gnt_share(int domid, unsigned int count, bool writable, grant_ref_t *refs);
/* Unmap what gnt_share() returned and give its grants back. */
void gnt_unshare(void *addr);
/* gntdev (backend): map count refs of domid; NULL on failure. */
void *gnt_map(int domid, unsigned int count, const grant_ref_t *refs, bool writable);
void gnt_unmap(void *addr, unsigned int count);

int evt_open(void);
int evt_bind_unbound(int remote);
int evt_bind_interdomain(int remote, int rport);
int evt_unbind(int port);
int evt_notify(int port);
/* Wait up to ms for an event; returns the port or -1. Unmasks it. */
int evt_wait(int ms);

#endif
