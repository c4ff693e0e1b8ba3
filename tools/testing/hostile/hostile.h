/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared pieces of rogue-front and rogue-back: the netif wire format as
 * userspace sees it, minimal shared-ring index handling, and thin
 * wrappers around xenstore, /dev/xen/gntalloc, /dev/xen/gntdev and
 * /dev/xen/evtchn.
 *
 * The structure layouts follow include/xen/interface/io/netif.h of this
 * project (which is what the drivers are built against); they are
 * restated here because that header needs the kernel's ring.h.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <xenstore.h>

#define PG 4096u

/* ---- wire format ----------------------------------------------------- */

#define TXF_CSUM_BLANK		(1u << 0)
#define TXF_DATA_VALIDATED	(1u << 1)
#define TXF_MORE_DATA		(1u << 2)
#define TXF_EXTRA_INFO		(1u << 3)

#define RXF_DATA_VALIDATED	(1u << 0)
#define RXF_CSUM_BLANK		(1u << 1)
#define RXF_MORE_DATA		(1u << 2)
#define RXF_EXTRA_INFO		(1u << 3)

#define EXTRA_GSO		1
#define EXTRA_FLAG_MORE		1
#define GSO_TCPV4		1

#define RSP_DROPPED		(-2)
#define RSP_ERROR		(-1)
#define RSP_OKAY		0
#define RSP_NULL		1

struct tx_req {
	uint32_t gref;
	uint16_t offset;
	uint16_t flags;
	uint16_t id;
	uint16_t size;
};

struct tx_rsp {
	uint16_t id;
	int16_t status;
};

struct rx_req {
	uint16_t id;
	uint16_t pad;
	uint32_t gref;
};

struct rx_rsp {
	uint16_t id;
	uint16_t offset;
	uint16_t flags;
	int16_t status;
};

struct extra {
	uint8_t type;
	uint8_t flags;
	union {
		struct {
			uint16_t size;
			uint8_t type;
			uint8_t pad;
			uint16_t features;
		} gso;
		uint16_t pad[3];
	} u;
};

struct ctrl_req {
	uint16_t id;
	uint16_t type;
	uint32_t data[3];
};

struct ctrl_rsp {
	uint16_t id;
	uint16_t type;
	uint32_t status;
	uint32_t data;
};

#define CTRL_SET_HASH_KEY		3
#define CTRL_SET_HASH_MAPPING_SIZE	5
#define CTRL_SET_HASH_MAPPING		6
#define CTRL_SET_HASH_ALGORITHM		7
#define CTRL_ALG_TOEPLITZ		1

/*
 * A one-page shared ring: four indices, 48 bytes of padding, then the
 * entries (each the size of the larger of request and response). The
 * entry count is the largest power of two that fits in the page.
 */
struct sring {
	volatile uint32_t req_prod;
	volatile uint32_t req_event;
	volatile uint32_t rsp_prod;
	volatile uint32_t rsp_event;
	uint8_t pad[48];
	uint8_t ring[];
};

#define TX_ENT	12u	/* max(tx_req, tx_rsp) */
#define RX_ENT	8u
#define CTRL_ENT 16u

unsigned int ring_entries(unsigned int entsz);

static inline void *ring_slot(struct sring *s, unsigned int entsz, uint32_t idx)
{
	return s->ring + (idx & (ring_entries(entsz) - 1)) * entsz;
}

#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* ---- misc ------------------------------------------------------------ */

uint64_t now_ms(void);
void msleep(unsigned int ms);
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
void *gnt_share(int domid, unsigned int count, bool writable, uint32_t *refs);
/* gntdev (backend): map count refs of domid; NULL on failure. */
void *gnt_map(int domid, unsigned int count, const uint32_t *refs, bool writable);
void gnt_unmap(void *addr, unsigned int count);

int evt_open(void);
int evt_bind_unbound(int remote);
int evt_bind_interdomain(int remote, int rport);
int evt_unbind(int port);
int evt_notify(int port);
/* Wait up to ms for an event; returns the port or -1. Unmasks it. */
int evt_wait(int ms);

#endif
