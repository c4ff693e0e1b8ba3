// SPDX-License-Identifier: GPL-2.0
/*
 * rogue-back: a misbehaving Xen network backend, run in dom0 while no
 * netback module is loaded. For one vif the toolstack created it plays
 * the backend's part of the XenStore handshake (feature keys, InitWait,
 * Connected), maps the frontend's rings with gntdev, binds its event
 * channel with evtchn, then breaks one rule (one case per run) against
 * the guest's netfront and prints what it did and saw: one
 * human-readable line, then one RESULT line (format in hostile.h) with
 *
 *   outcome=attacked    the case did what it is about
 *   outcome=no-traffic  the frontend sent no TX request / posted no RX
 *                       buffer within --wait, so there was nothing to
 *                       answer badly
 *   outcome=served      (idle) a well-behaved backend, no attack
 *   outcome=noconnect   the frontend's rings could not be mapped or its
 *                       channel bound
 *   outcome=setup-failed  no vif appeared, or the frontend never connected
 *
 * and, where they apply, tx_after events_after fe_state (what the
 * frontend did in the 1.5 s after the attack), tx_seen, held, sent.
 * It then keeps playing backend until the vif is closed or detached, so
 * xl network-detach and netfront's own removal complete normally;
 * keep-mapped prints "EVENT case=keep-mapped event=holding ..." when
 * it starts holding the grants after the frontend closed.
 *
 *   rogue-back --list
 *   rogue-back CASE --domid D|any [--devid N] [--secs S] [--hold S] [--wait S]
 *   rogue-back --fuzz SEED --count N [--every K] [--late MS] --domid D|any [--devid N] [--secs S]
 *
 * --list prints the case table: name, our netfront's documented
 * reaction (expect) and a description. --fuzz is the seeded fuzzer (see "fuzz"
 * below and Documentation/hostile.rst): outcome=fuzzed or outcome=hang.
 *
 * --wait bounds the wait for the frontend's first TX request or RX
 * buffer (60 s), --secs the timed cases (3 s), --hold how long
 * keep-mapped holds the grants after the frontend closed (8 s).
 *
 * libxl needs nothing from a backend but the state changes: it waits
 * for InitWait (10 s) before it runs the vif's hotplug script, and on
 * detach writes online=0 and state=Closing, then waits (10 s) for
 * Closed. Use a hotplug script that does nothing (script=/bin/true):
 * there is no vifD.N device for vif-bridge to plug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile.h"

#define MAXHELD 64

struct back {
	int domid, devid, secs, hold, wait;
	char be[128];
	char *fe;
	netif_tx_sring_t *tx;
	netif_rx_sring_t *rx;
	int evt, fe_evt;
	RING_IDX tx_cons, tx_rsp, rx_cons, rx_rsp;
	void *held[MAXHELD];
	unsigned int nheld;
	unsigned long tx_seen, events;
};

static struct back B;
/* The RESULT line's outcome and reason, set by the case. */
static const char *outcome = "attacked";

static char reason[160];

#define bpath(key) xpath(B.be, key)
#define fpath(key) xpath(B.fe, key)

/* What the case did: the RESULT line's reason, and an observation. */
static void did(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void did(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	note("%s", reason);
}

static int fe_state(void)
{
	return (int)xs_get_int(-1, "%s", fpath("state"));
}

/* ---- finding the vif and the handshake -------------------------------- */

/* A backend directory in state Initialising (the toolstack just made
 * it); any domain unless B.domid >= 0, any devid unless B.devid >= 0. */
static bool find_vif(void)
{
	char **doms, **devs;
	unsigned int nd, nv, i, j;
	bool found = false;

	doms = xs_directory(xs, XBT_NULL, "/local/domain/0/backend/vif", &nd);
	for (i = 0; doms && i < nd && !found; i++) {
		int d = atoi(doms[i]);
		char p[96];

		if (B.domid >= 0 && d != B.domid)
			continue;
		snprintf(p, sizeof(p), "/local/domain/0/backend/vif/%d", d);
		devs = xs_directory(xs, XBT_NULL, p, &nv);
		for (j = 0; devs && j < nv && !found; j++) {
			int n = atoi(devs[j]);

			if (B.devid >= 0 && n != B.devid)
				continue;
			if (xs_get_int(-1, "%s/%d/state", p, n) != 1)
				continue;
			B.domid = d;
			B.devid = n;
			snprintf(B.be, sizeof(B.be), "%s/%d", p, n);
			found = true;
		}
		free(devs);
	}
	free(doms);
	return found;
}

static void attach(void)
{
	uint64_t end = now_ms() + 120000;
	int st;

	while (!find_vif()) {
		if (now_ms() > end)
			die("no vif backend directory in state Initialising appeared in 120 s");
		msleep(50);
	}
	B.fe = xs_get("%s", bpath("frontend"));
	if (!B.fe)
		die("%s has no frontend key", B.be);
	xs_put(bpath("feature-rx-copy"), "1");
	xs_put(bpath("feature-rx-flip"), "0");
	xs_put(bpath("hotplug-status"), "connected");
	xs_put(bpath("state"), "2");
	st = xs_wait_state(fpath("state"), 90000, 4, 3);
	if (st != 4 && st != 3)
		die("frontend %s did not connect (state %d)", B.fe, st);
}

static bool connect_rings(void)
{
	grant_ref_t ref;
	long v;

	v = xs_get_int(-1, "%s", fpath("tx-ring-ref"));
	if (v < 0)
		return false;
	ref = (grant_ref_t)v;
	B.tx = gnt_map(B.domid, 1, &ref, true);
	v = xs_get_int(-1, "%s", fpath("rx-ring-ref"));
	if (v < 0 || !B.tx)
		return false;
	ref = (grant_ref_t)v;
	B.rx = gnt_map(B.domid, 1, &ref, true);
	B.fe_evt = (int)xs_get_int(-1, "%s", fpath("event-channel"));
	if (B.fe_evt < 0)
		B.fe_evt = (int)xs_get_int(-1, "%s", fpath("event-channel-tx"));
	if (!B.rx || B.fe_evt < 0)
		return false;
	B.evt = evt_bind_interdomain(B.domid, B.fe_evt);
	if (B.evt < 0)
		return false;
	/* Ask to be notified of every new TX request. */
	WR_IDX(B.tx->req_event, 1);
	WR_IDX(B.rx->req_event, 1);
	xs_put(bpath("state"), "4");
	return true;
}

/* ---- ring helpers -------------------------------------------------------- */

static void kick(void)
{
	mb();
	evt_notify(B.evt);
}

static void tx_respond(uint16_t id, int16_t status)
{
	netif_tx_response_t *r = &SLOT(B.tx, netif_tx, B.tx_rsp++)->rsp;

	r->id = id;
	r->status = status;
}

static void tx_publish(void)
{
	wmb();
	WR_IDX(B.tx->rsp_prod, B.tx_rsp);
	kick();
}

/* Hold a mapping of a frontend page (data buffers) for later. */
static void hold_page(grant_ref_t gref, bool writable)
{
	void *p;

	if (B.nheld >= MAXHELD)
		return;
	p = gnt_map(B.domid, 1, &gref, writable);
	if (p)
		B.held[B.nheld++] = p;
}

enum txmode { TX_NORMAL, TX_NEVER };

/*
 * Consume the TX requests that are there. Returns the id of the first
 * data request taken (or -1); in TX_NORMAL mode every request is
 * answered (OKAY, NULL for extra-info slots) unless bad_first is set,
 * in which case the first data request is left for the caller.
 */
static int tx_take(enum txmode mode, bool bad_first, bool hold)
{
	RING_IDX prod = RD_IDX(B.tx->req_prod);
	int first = -1;

	rmb();
	if (prod - B.tx_cons > RING_ENTS(netif_tx))
		prod = B.tx_cons + RING_ENTS(netif_tx);
	while (B.tx_cons != prod) {
		netif_tx_request_t r = SLOT(B.tx, netif_tx, B.tx_cons++)->req;
		bool extra = r.flags & NETTXF_extra_info;

		B.tx_seen++;
		if (hold)
			hold_page(r.gref, false);
		if (first < 0 && bad_first) {
			first = r.id;
		} else if (mode == TX_NORMAL) {
			tx_respond(r.id, NETIF_RSP_OKAY);
		}
		while (extra && B.tx_cons != prod) {
			netif_extra_info_t e;

			/* An extra-info slot sits where a request would. */
			memcpy(&e, &SLOT(B.tx, netif_tx, B.tx_cons++)->req, sizeof(e));

			if (mode == TX_NORMAL)
				tx_respond(0, NETIF_RSP_NULL);
			extra = e.flags & XEN_NETIF_EXTRA_FLAG_MORE;
		}
	}
	WR_IDX(B.tx->req_event, B.tx_cons + 1);
	if (mode == TX_NORMAL)
		tx_publish();
	return first;
}

static void pump(unsigned int ms)
{
	if (evt_wait((int)ms) >= 0)
		B.events++;
}

/* Serve normally for ms, answering TX. */
static void serve(unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		tx_take(TX_NORMAL, false, false);
		pump(20);
	}
}

/* Wait (serving) until the frontend has posted a TX request; its id. */
static int wait_tx(unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	int id;

	while (now_ms() < end) {
		id = tx_take(TX_NORMAL, true, false);
		if (id >= 0)
			return id;
		pump(20);
	}
	return -1;
}

static netif_rx_request_t rx_next(void)
{
	netif_rx_request_t r = { 0 };
	RING_IDX prod = RD_IDX(B.rx->req_prod);

	rmb();
	if (B.rx_cons != prod)
		r = SLOT(B.rx, netif_rx, B.rx_cons++)->req;
	return r;
}

static void rx_respond(uint16_t id, uint16_t off, uint16_t flags, int16_t status)
{
	netif_rx_response_t *r = &SLOT(B.rx, netif_rx, B.rx_rsp++)->rsp;

	r->id = id;
	r->offset = off;
	r->flags = flags;
	r->status = status;
}

static void rx_publish(void)
{
	wmb();
	WR_IDX(B.rx->rsp_prod, B.rx_rsp);
	kick();
}

/* Watch the frontend for a while after the attack. */
static void aftermath(void)
{
	unsigned long seen = B.tx_seen, ev = B.events;

	int fs;

	serve(1500);
	fs = fe_state();
	note("then %lu TX requests and %lu events from the frontend in 1.5 s; frontend state %d",
	     B.tx_seen - seen, B.events - ev, fs);
	kv("tx_after", "%lu", B.tx_seen - seen);
	kv("events_after", "%lu", B.events - ev);
	kv("fe_state", "%d", fs);
}

/* ---- cases ------------------------------------------------------------------ */

static int case_tx_bad(const char *name)
{
	int id = wait_tx((unsigned int)B.wait * 1000);

	if (id < 0) {
		did("the frontend sent no TX request in %d s, nothing to answer badly", B.wait);
		outcome = "no-traffic";
		return 0;
	}
	kv("id", "%d", id);
	if (!strcmp(name, "tx-id-range")) {
		tx_respond((uint16_t)(id + 0x1000), NETIF_RSP_OKAY);
		did("answered TX id %d with id %d (ring has %u)", id, id + 0x1000,
		    RING_ENTS(netif_tx));
	} else if (!strcmp(name, "tx-id-unknown")) {
		tx_respond((uint16_t)((id + 128) & 0xff), NETIF_RSP_OKAY);
		did("answered TX id %d with id %d, never requested", id, (id + 128) & 0xff);
	} else if (!strcmp(name, "tx-status-undefined")) {
		tx_respond((uint16_t)id, 5);
		did("answered TX id %d with undefined status 5", id);
	} else {
		unsigned int i;

		tx_respond((uint16_t)id, NETIF_RSP_OKAY);
		for (i = 0; i < 40; i++)
			tx_respond((uint16_t)i, NETIF_RSP_OKAY);
		did("answered TX id %d, then pushed 40 responses for requests never made", id);
	}
	tx_publish();
	aftermath();
	return 0;
}

static int case_rx_bad(const char *name)
{
	netif_rx_request_t r;
	uint64_t end = now_ms() + (uint64_t)B.wait * 1000;

	while (RD_IDX(B.rx->req_prod) == B.rx_cons && now_ms() < end)
		pump(20);
	if (RD_IDX(B.rx->req_prod) == B.rx_cons) {
		did("the frontend posted no RX buffer in %d s", B.wait);
		outcome = "no-traffic";
		return 0;
	}
	r = rx_next();
	if (!strcmp(name, "rx-size-big")) {
		rx_respond(r.id, 0, 0, 5000);
		did("answered RX buffer %u with 5000 bytes (page is 4096)", r.id);
	} else if (!strcmp(name, "rx-offset-past")) {
		rx_respond(r.id, 4000, 0, 200);
		did("answered RX buffer %u with offset 4000 + 200 bytes", r.id);
	} else if (!strcmp(name, "rx-status-undefined")) {
		rx_respond(r.id, 0, 0, -5);
		did("answered RX buffer %u with undefined status -5", r.id);
	} else if (!strcmp(name, "rx-id-wrong")) {
		rx_respond((uint16_t)(r.id + 77), 0, 0, 60);
		did("answered RX buffer %u with id %u", r.id, r.id + 77);
	} else if (!strcmp(name, "rx-extra-garbage")) {
		netif_rx_request_t r2 = rx_next();
		netif_extra_info_t *e;

		rx_respond(r.id, 0, NETRXF_extra_info, 60);
		e = (netif_extra_info_t *)&SLOT(B.rx, netif_rx, B.rx_rsp++)->rsp;
		memset(e, 0xa5, sizeof(netif_rx_response_t));
		e->type = 0x77;
		e->flags = 0;
		did("answered RX buffer %u with a 60-byte packet and a garbage extra (type 0x77) in slot of buffer %u",
		     r.id, r2.id);
	} else {
		RING_IDX prod = RD_IDX(B.rx->req_prod), i;

		rmb();
		rx_respond(r.id, 0, 0, 60);
		for (i = 0; i < 40; i++)
			rx_respond((uint16_t)i, 0, 0, 60);
		B.rx_rsp = prod + 40;
		did("pushed RX rsp_prod to %u with req_prod %u (40 responses for buffers never posted)",
		    B.rx_rsp, prod);
	}
	rx_publish();
	aftermath();
	return 0;
}

static int case_storm(const char *name)
{
	uint64_t start = now_ms(), end = start + (uint64_t)B.secs * 1000;
	unsigned long n = 0;

	(void)name;
	while (now_ms() < end) {
		unsigned int k;

		for (k = 0; k < 64; k++)
			evt_notify(B.evt);
		n += 64;
		tx_take(TX_NORMAL, false, false);
	}
	did("sent %lu notifications in %d s (%lu/s)", n, B.secs,
	    (unsigned long)(n * 1000 / (now_ms() - start + 1)));
	kv("sent", "%lu", n);
	aftermath();
	return 0;
}

static int case_never(const char *name)
{
	uint64_t end = now_ms() + (uint64_t)B.secs * 1000;

	(void)name;
	while (now_ms() < end) {
		tx_take(TX_NEVER, false, true);
		pump(20);
	}
	did("took %lu TX requests in %d s and answered none (holding %u of their pages mapped)",
	    B.tx_seen, B.secs, B.nheld);
	kv("tx_seen", "%lu", B.tx_seen);
	kv("held", "%u", B.nheld);
	return 0;
}

static int case_keep_mapped(const char *name)
{
	unsigned int i;

	(void)name;
	for (i = 0; i < 32; i++) {
		netif_rx_request_t r = rx_next();

		if (!r.gref)
			break;
		hold_page(r.gref, true);
	}
	serve((unsigned int)B.secs * 1000);
	did("mapped %u of the frontend's RX buffers and will keep them (and both rings) %d s after it closes",
	    B.nheld, B.hold);
	kv("held", "%u", B.nheld);
	return 0;
}

static int case_idle(const char *name)
{
	(void)name;
	did("serving TX, never filling RX");
	outcome = "served";
	return 0;
}

/* ---- fuzz ------------------------------------------------------------------ */

/*
 * rogue-back --fuzz SEED --count N: a correct connection, then N RX
 * packets to the guest (ICMP echo requests to 198.19.DEVID.2 from
 * 198.19.DEVID.1, 02:00:00:00:00:01: the address 60-hostile gives the
 * guest's interface) of which most are valid; the others have one or
 * two fields, chains, extras or indices changed, or a TX response is
 * changed instead, as the PRNG of hostile.h seeded from SEED picks.
 * After every change and every --every packets a probe (an echo request
 * of its own) must come back as an echo reply on the TX ring.
 *
 * A netfront that broke off says why only inside the guest. So when a
 * probe is not answered the fuzzer closes the vif (Closing, Closed) and
 * waits for the guest's helper (hb_fuzz_back_helper in hostile-lib.sh)
 * to write "K PE L" to /local/domain/D/data/hbf-DEVID: the K-th time it
 * saw the vif Closed, the interface's protocol_errors as last read
 * while it was connected, and how many "device disabled" lines the
 * guest's log has; it unbinds and binds the device, which comes back
 * Initialising, and the fuzzer connects it again. PE > 0, or a new log
 * line, is a disable with a named reason (named_late when only the log
 * has it: netfront named it after the helper's last read, or only when
 * the backend closed); neither, no report, or a new connection that is
 * not served is a hang. With --late MS (0 by default) an unanswered
 * probe first gets one more chance of MS: a reply then counts as late,
 * and the vif goes on.
 */
enum fzb_mut {
	FB_VALID,
	FB_RX_ID,	/* an RX response id not its buffer's */
	FB_RX_OFFSET,	/* offset, sometimes past the page with the size */
	FB_RX_STATUS,	/* 0, error codes, undefined negatives, > a page */
	FB_RX_CSUM,	/* csum_blank / data_validated flipped */
	FB_RX_FLAGS,	/* more_data / extra_info flipped on one slot */
	FB_RX_SLOTS,	/* a chain of 2..24 slots */
	FB_RX_EXTRA,	/* an extra-info slot of any type 0..7 */
	FB_RX_EXTRA_CHAIN,	/* 1..8 chained extra-info slots */
	FB_RX_GSO,	/* GSO extra: type 0..3, odd sizes */
	FB_RX_HASH,	/* hash extra: any type */
	FB_RX_PROD,	/* rx rsp_prod published 1..8 ahead or behind */
	FB_TX_ID,	/* a TX response with another id */
	FB_TX_STATUS,	/* a TX response's status: undefined, ERROR, NULL */
	FB_TX_EXTRA,	/* one TX response too many */
	FB_TX_PROD,	/* tx rsp_prod published 1..8 ahead or behind */
	FB_NR
};

static const char *const fb_names[FB_NR] = {
	"valid", "rx-id", "rx-offset", "rx-status", "rx-csum", "rx-flags",
	"rx-slots", "rx-extra", "rx-extra-chain", "rx-gso", "rx-hash",
	"rx-prod", "tx-id", "tx-status", "tx-extra", "tx-prod",
};

/*
 * Each change has a soft form, which our netfront takes without
 * breaking off (a dropped packet, an error status, an odd but valid
 * offset, chain, extra or checksum flag), and some a hard one, which
 * breaks the protocol (an id not its ring position, data past its page,
 * undefined statuses and extras, too many slots or extras, responses
 * never asked for, indices that overrun). A change is hard FB_HARD_PCT
 * per cent of the time, so that a run keeps most of its packets on one
 * connection: each disable costs a reconnection (~3 s).
 */
static const unsigned int fb_soft[FB_NR] = {
	[FB_RX_OFFSET] = 2, [FB_RX_STATUS] = 4, [FB_RX_CSUM] = 8,
	[FB_RX_FLAGS] = 2, [FB_RX_SLOTS] = 2, [FB_RX_EXTRA] = 1,
	[FB_RX_EXTRA_CHAIN] = 1, [FB_RX_GSO] = 2, [FB_RX_HASH] = 2,
	[FB_TX_STATUS] = 4,
};

static const unsigned int fb_hard[FB_NR] = {
	[FB_RX_ID] = 1, [FB_RX_OFFSET] = 1, [FB_RX_STATUS] = 1, [FB_RX_FLAGS] = 1,
	[FB_RX_SLOTS] = 1, [FB_RX_EXTRA] = 1, [FB_RX_EXTRA_CHAIN] = 1,
	[FB_RX_GSO] = 1, [FB_RX_HASH] = 1, [FB_RX_PROD] = 1, [FB_TX_ID] = 1,
	[FB_TX_STATUS] = 1, [FB_TX_EXTRA] = 1, [FB_TX_PROD] = 1,
};

#define FB_HARD_PCT		2
#define FB_MAX_RECONNECTS	128
#define FB_MAX_SLOTS		24
#define FB_ICMP_ID		0x4242
#define FB_PROBE_ID		0x4243

static const uint8_t fb_our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

static struct {
	int seed, count, every, late_ms;
	unsigned long it, sent, mutated, probes, answered, disabled, late, named_late;
	unsigned long first_it, hang_it;
	char what[48], last[48], first_mut[48], hang_mut[48], hang_why[96];
	bool hang, capped;
	uint8_t mac[6];		/* the guest's */
	uint16_t probe_seq;
	bool probe_back;	/* the reply to probe_seq was seen */
	int reports;		/* the helper's K last read */
	long pe;		/* its protocol_errors */
	long logged;		/* its count of the guest's disable lines */
} ZB;

static uint16_t fb_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += (uint32_t)p[0] << 8 | p[1];
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An ICMP echo request of len bytes (>= 42) to the guest in buf. */
static void fb_echo(uint8_t *f, unsigned int len, uint16_t id, uint16_t seq)
{
	unsigned int i;
	uint16_t c;

	memcpy(f, ZB.mac, 6);
	memcpy(f + 6, fb_our_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(f + 14, 0, 20);
	f[14] = 0x45;
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	f[22] = 64;
	f[23] = 1;
	f[26] = 198; f[27] = 19; f[28] = (uint8_t)B.devid; f[29] = 1;
	f[30] = 198; f[31] = 19; f[32] = (uint8_t)B.devid; f[33] = 2;
	c = fb_csum(f + 14, 20);
	f[24] = c >> 8;
	f[25] = c & 0xff;
	f[34] = 8;
	f[35] = 0;
	f[36] = 0;
	f[37] = 0;
	f[38] = id >> 8;
	f[39] = id & 0xff;
	f[40] = seq >> 8;
	f[41] = seq & 0xff;
	for (i = 42; i < len; i++)
		f[i] = (uint8_t)i;
	c = fb_csum(f + 34, len - 34);
	f[36] = c >> 8;
	f[37] = c & 0xff;
}

/* Is the request's first slot the echo reply to our probe? */
static bool fb_is_probe_reply(const netif_tx_request_t *r)
{
	const uint8_t *p, *f;
	bool yes;

	if (r->offset + 42u > PG || r->size < 42)
		return false;
	p = gnt_map(B.domid, 1, &r->gref, false);
	if (!p)
		return false;
	f = p + r->offset;
	yes = f[12] == 0x08 && f[13] == 0x00 && f[23] == 1 && f[34] == 0 &&
	      (f[38] << 8 | f[39]) == FB_PROBE_ID &&
	      (f[40] << 8 | f[41]) == ZB.probe_seq;
	gnt_unmap((void *)p, 1);
	return yes;
}

/*
 * Answer the TX requests there (OKAY, NULL for extra-info slots),
 * looking for the probe's reply while one is awaited. With hold, the
 * first data request is left unanswered and its id returned.
 */
static int fb_tx_serve(bool hold)
{
	RING_IDX prod = RD_IDX(B.tx->req_prod);
	int held = -1;

	rmb();
	if (prod - B.tx_cons > RING_ENTS(netif_tx))
		prod = B.tx_cons + RING_ENTS(netif_tx);
	while (B.tx_cons != prod) {
		netif_tx_request_t r = SLOT(B.tx, netif_tx, B.tx_cons++)->req;
		bool extra = r.flags & NETTXF_extra_info;

		B.tx_seen++;
		if (!ZB.probe_back && fb_is_probe_reply(&r))
			ZB.probe_back = true;
		if (hold && held < 0)
			held = r.id;
		else
			tx_respond(r.id, NETIF_RSP_OKAY);
		while (extra && B.tx_cons != prod) {
			netif_extra_info_t e;

			memcpy(&e, &SLOT(B.tx, netif_tx, B.tx_cons++)->req, sizeof(e));
			tx_respond(0, NETIF_RSP_NULL);
			extra = e.flags & XEN_NETIF_EXTRA_FLAG_MORE;
		}
	}
	WR_IDX(B.tx->req_event, B.tx_cons + 1);
	tx_publish();
	return held;
}

/* Take n posted RX buffers (waiting up to ms for them); false when the
 * frontend has not posted that many. */
static bool fb_rx_take(netif_rx_request_t *req, unsigned int n, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	unsigned int i;

	while (RD_IDX(B.rx->req_prod) - B.rx_cons < n) {
		if (now_ms() >= end)
			return false;
		fb_tx_serve(false);
		WR_IDX(B.rx->req_event, B.rx_cons + n);
		mb();
		pump(10);
	}
	rmb();
	for (i = 0; i < n; i++)
		req[i] = SLOT(B.rx, netif_rx, B.rx_cons++)->req;
	return true;
}

/* Copy len bytes of f into the buffer of req at off. */
static bool fb_fill(const netif_rx_request_t *req, unsigned int off, const uint8_t *f,
		    unsigned int len)
{
	uint8_t *p = gnt_map(B.domid, 1, &req->gref, true);

	if (!p)
		return false;
	memcpy(p + off, f, len);
	gnt_unmap(p, 1);
	return true;
}

/* Publish rsp_prod d off ours (1..8 ahead or behind), then ours again. */
static void fb_prod_jump(RING_IDX *prod, RING_IDX *shared)
{
	int d = (int)fz_below(8) + 1;

	if (fz_chance(50))
		d = -d;
	wmb();
	WR_IDX(*shared, *prod + (RING_IDX)d);
	kick();
	if (d > 0) {
		*prod += (RING_IDX)d;
		return;
	}
	msleep(5);
	WR_IDX(*shared, *prod);
	kick();
}

/* An extra-info slot of type (random bytes), MORE set when more. */
static netif_extra_info_t *fb_extra(netif_rx_response_t *slot, uint8_t type, bool more)
{
	netif_extra_info_t *e = (netif_extra_info_t *)slot;
	uint64_t r = fz_next();

	memcpy(e, &r, sizeof(r));
	e->type = type;
	e->flags = more ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
	return e;
}

/* The j-th extra of a packet changed as m says (hard or soft). */
static void fb_extra_for(netif_rx_response_t *slot, enum fzb_mut m, bool hard, bool more)
{
	netif_extra_info_t *e;
	bool gso = m == FB_RX_GSO || (m != FB_RX_HASH && fz_chance(50));

	if (m == FB_RX_EXTRA && hard) {
		/* Any type, random bytes: NONE, multicast and types past XDP
		 * are not RX extras; GSO, hash and XDP are mostly invalid. */
		fb_extra(slot, (uint8_t)fz_below(8), more);
		return;
	}
	e = fb_extra(slot, gso ? XEN_NETIF_EXTRA_TYPE_GSO : XEN_NETIF_EXTRA_TYPE_HASH, more);
	if (hard && m != FB_RX_EXTRA_CHAIN) {
		if (gso) {
			/* Types NONE and 3, or size 0. */
			e->u.gso.type = fz_chance(50) ? (uint8_t)(fz_chance(50) ? 0 : 3) :
				XEN_NETIF_GSO_TYPE_TCPV4;
			e->u.gso.size = e->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ? 0 :
				(uint16_t)fz_next();
		} else {
			e->u.hash.type = (uint8_t)(_XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP + 1 +
						   fz_below(250));
		}
		return;
	}
	if (hard)	/* A chain too long: its slots may be valid. */
		return;
	if (gso) {
		e->u.gso.type = fz_chance(50) ? XEN_NETIF_GSO_TYPE_TCPV4 : XEN_NETIF_GSO_TYPE_TCPV6;
		e->u.gso.size = fz_chance(50) ? (uint16_t)(1 + fz_below(2)) :
			(uint16_t)(1 + fz_below(0xffff));
	} else {
		e->u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		e->u.hash.type = (uint8_t)fz_below(_XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP + 1);
	}
}

/*
 * One RX packet: an echo request of random length in 1..3 buffers,
 * changed as m says (its hard form when hard). Returns false when the
 * frontend has no buffers posted (it stopped, or is slow).
 */
static bool fb_rx_packet(enum fzb_mut m, bool hard, uint16_t id, uint16_t seq)
{
	static uint8_t frame[FB_MAX_SLOTS * 60 + 1500];
	static const int16_t soft_stats[] = { 0, NETIF_RSP_ERROR, NETIF_RSP_DROPPED };
	static const int16_t hard_stats[] = { -3, -5, -100, 4097, 32767 };
	netif_rx_request_t req[FB_MAX_SLOTS + 8];
	bool probe = id == FB_PROBE_ID;
	unsigned int len = probe ? 98 : 60 + fz_below(1341), k = 1, i, piece, nextra = 0, n0;
	uint16_t off0 = 0;
	netif_rx_response_t *r;
	uint16_t flags0 = 0;

	if (m == FB_VALID && !probe && fz_chance(30))
		k = 2 + fz_below(2);
	if (m == FB_RX_SLOTS) {
		/* Up to netfront's XEN_NETIF_NR_SLOTS_MIN + 1 data slots,
		 * or more. */
		k = hard ? XEN_NETIF_NR_SLOTS_MIN + 2 + fz_below(FB_MAX_SLOTS - XEN_NETIF_NR_SLOTS_MIN - 1) :
			   2 + fz_below(XEN_NETIF_NR_SLOTS_MIN);
		len = k * 60;
	}
	if (m == FB_RX_EXTRA || m == FB_RX_GSO || m == FB_RX_HASH)
		nextra = 1;
	if (m == FB_RX_EXTRA_CHAIN)	/* Up to 5 (the types past NONE), or more. */
		nextra = hard ? 6 + fz_below(3) : 1 + fz_below(5);
	/* A probe draws nothing from the PRNG: a run's packets depend on
	 * the seed alone, however many probes it took. */
	if (!probe && fz_chance(30))
		flags0 |= NETRXF_data_validated;
	if (m == FB_RX_CSUM)
		flags0 ^= fz_chance(50) ? NETRXF_csum_blank : NETRXF_data_validated;
	if (!fb_rx_take(req, k + nextra, 500))
		return false;
	fb_echo(frame, len, id, seq);
	piece = len / k;
	n0 = k > 1 ? piece : len;
	if (m == FB_RX_OFFSET)
		/* Inside the page when soft (the data is put there), past
		 * it when hard. */
		off0 = hard ? (uint16_t)(PG - n0 + 1 + fz_below(64)) :
			      (uint16_t)fz_below(PG - n0 + 1);
	for (i = 0; i < k; i++) {
		unsigned int n = i + 1 < k ? piece : len - piece * (k - 1);

		/* Extra-info slots take buffers too, but carry no data. */
		fb_fill(&req[i ? i + nextra : 0], i || hard ? 0 : off0, frame + i * piece, n);
	}
	/* The responses: first slot, its extras, the other slots. */
	r = &SLOT(B.rx, netif_rx, B.rx_rsp)->rsp;
	for (i = 0; i < k; i++) {
		unsigned int n = i + 1 < k ? piece : len - piece * (k - 1);
		netif_rx_request_t *q = &req[i ? i + nextra : 0];

		rx_respond(q->id, i ? 0 : off0,
			   (uint16_t)((i + 1 < k ? NETRXF_more_data : 0) |
				      (i ? 0 : flags0 | (nextra ? NETRXF_extra_info : 0))),
			   (int16_t)n);
		if (i == 0) {
			unsigned int j;

			for (j = 0; j < nextra; j++)
				fb_extra_for(&SLOT(B.rx, netif_rx, B.rx_rsp++)->rsp, m, hard,
					     j + 1 < nextra);
		}
	}
	/* A field of the first data slot (r). */
	switch (m) {
	case FB_RX_ID:
		r->id = (uint16_t)(r->id + 1 + fz_below(0xfffe));
		break;
	case FB_RX_STATUS:
		r->status = hard ? hard_stats[fz_below(sizeof(hard_stats) / sizeof(hard_stats[0]))] :
				   soft_stats[fz_below(sizeof(soft_stats) / sizeof(soft_stats[0]))];
		break;
	case FB_RX_FLAGS:
		/* more_data flipped joins the next packet or splits this
		 * one; extra_info flipped makes a data slot an extra. */
		r->flags ^= hard ? NETRXF_extra_info : NETRXF_more_data;
		break;
	default:
		break;
	}
	if (m == FB_RX_PROD)
		fb_prod_jump(&B.rx_rsp, &B.rx->rsp_prod);
	else
		rx_publish();
	return true;
}

/* A TX response changed as m says: only hard forms but for the status,
 * whose soft form (ERROR or DROPPED) needs a request to answer. */
static void fb_tx_change(enum fzb_mut m, bool hard)
{
	static const int16_t hard_stats[] = { NETIF_RSP_NULL, 2, -3, 0x7fff };
	int id = fb_tx_serve(true);

	switch (m) {
	case FB_TX_ID:
		tx_respond((uint16_t)(id < 0 ? fz_next() : id + 1 + fz_below(300)), NETIF_RSP_OKAY);
		break;
	case FB_TX_STATUS:
		if (!hard) {
			if (id >= 0)
				tx_respond((uint16_t)id, fz_chance(50) ? NETIF_RSP_ERROR :
					   NETIF_RSP_DROPPED);
			break;
		}
		if (id < 0)
			id = (int)fz_below(256);
		tx_respond((uint16_t)id, hard_stats[fz_below(sizeof(hard_stats) / sizeof(hard_stats[0]))]);
		break;
	case FB_TX_EXTRA:
		if (id >= 0)
			tx_respond((uint16_t)id, NETIF_RSP_OKAY);
		tx_respond((uint16_t)fz_below(256), NETIF_RSP_OKAY);
		break;
	default:
		if (id >= 0)
			tx_respond((uint16_t)id, NETIF_RSP_OKAY);
		fb_prod_jump(&B.tx_rsp, &B.tx->rsp_prod);
		return;
	}
	tx_publish();
}

/* A probe echo request must come back as a reply within ms. */
static bool fb_probe(unsigned int ms)
{
	uint64_t end = now_ms() + ms, next = 0;

	ZB.probes++;
	ZB.probe_seq++;
	ZB.probe_back = false;
	do {
		/* Again every 500 ms: the guest may not have had its
		 * address yet, or a changed packet swallowed the probe. */
		if (now_ms() >= next && fb_rx_packet(FB_VALID, false, FB_PROBE_ID, ZB.probe_seq))
			next = now_ms() + 500;
		fb_tx_serve(false);
		if (ZB.probe_back) {
			ZB.answered++;
			return true;
		}
		pump(10);
	} while (now_ms() < end);
	return false;
}

static void fb_hang(const char *mut, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fb_hang(const char *mut, const char *fmt, ...)
{
	va_list ap;

	ZB.hang = true;
	ZB.hang_it = ZB.it;
	snprintf(ZB.hang_mut, sizeof(ZB.hang_mut), "%s", mut);
	va_start(ap, fmt);
	vsnprintf(ZB.hang_why, sizeof(ZB.hang_why), fmt, ap);
	va_end(ap);
	event("hang", "iter=%lu mut=%s", ZB.it, mut);
}

/* Wait up to ms for the guest helper's next report; false without one. */
static bool fb_report(unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	char *v;
	int k;
	long pe, logged;

	do {
		v = xs_get("/local/domain/%d/data/hbf-%d", B.domid, B.devid);
		if (v && sscanf(v, "%d %ld %ld", &k, &pe, &logged) == 3 && k > ZB.reports) {
			free(v);
			ZB.reports = k;
			ZB.pe = pe;
			ZB.logged = logged;
			return true;
		}
		free(v);
		msleep(50);
	} while (now_ms() < end);
	return false;
}

/*
 * The probe was not answered: close the vif, learn from the guest's
 * helper whether netfront broke off with a reason, and connect again.
 * False when the run ends (a hang).
 */
static bool fb_disabled(const char *mut)
{
	long logged = ZB.logged;
	int st;

	if (ZB.late_ms > 0 && fb_probe((unsigned int)ZB.late_ms)) {
		ZB.late++;
		event("late", "iter=%lu mut=%s", ZB.it, mut);
		return true;
	}
	event("unanswered", "iter=%lu mut=%s", ZB.it, mut);
	xs_put(bpath("state"), "5");
	st = xs_wait_state(fpath("state"), 6000, 6, 6);
	if (st != 6) {
		fb_hang(mut, "the frontend is %s, not Closed, 6 s after the backend's Closing",
			state_name(st));
		return false;
	}
	gnt_unmap(B.tx, 1);
	gnt_unmap(B.rx, 1);
	evt_unbind(B.evt);
	B.tx = NULL;
	B.rx = NULL;
	B.evt = -1;
	B.tx_cons = B.tx_rsp = B.rx_cons = B.rx_rsp = 0;
	xs_put(bpath("state"), "6");
	if (!fb_report(20000)) {
		fb_hang(mut, "no protocol_errors report from the guest in 20 s (is hb_fuzz_back_helper running?)");
		return false;
	}
	if (ZB.pe <= 0 && ZB.logged <= logged) {
		fb_hang(mut, "stopped answering, protocol_errors %ld, no new disable logged", ZB.pe);
		return false;
	}
	if (ZB.pe <= 0)
		ZB.named_late++;
	ZB.disabled++;
	if (ZB.disabled == 1) {
		ZB.first_it = ZB.it;
		snprintf(ZB.first_mut, sizeof(ZB.first_mut), "%s", mut);
	}
	event("disabled", "iter=%lu mut=%s protocol_errors=%ld logged=%ld", ZB.it, mut, ZB.pe,
	      ZB.logged);
	if (ZB.disabled > FB_MAX_RECONNECTS) {
		fb_hang(mut, "more than %d disables", FB_MAX_RECONNECTS);
		return false;
	}
	/* The helper unbinds and binds the device: Initialising again. */
	st = xs_wait_state(fpath("state"), 20000, 1, 1);
	if (st != 1) {
		fb_hang(mut, "the frontend is %s, not Initialising, 20 s after Closed",
			state_name(st));
		return false;
	}
	xs_put(bpath("state"), "2");
	st = xs_wait_state(fpath("state"), 30000, 4, 3);
	if ((st != 4 && st != 3) || !connect_rings()) {
		fb_hang(mut, "the frontend did not connect again (state %s)", state_name(st));
		return false;
	}
	serve(300);
	/* The helper gives the new interface its address meanwhile. */
	if (!fb_probe(10000)) {
		fb_hang(mut, "a new connection is not served");
		return false;
	}
	if (ZB.disabled == FB_MAX_RECONNECTS) {
		ZB.capped = true;
		event("capped", "iter=%lu reconnects=%lu", ZB.it, ZB.disabled);
	}
	return true;
}

static int case_fuzz(const char *name)
{
	uint64_t start, end;
	enum fzb_mut m, m2;
	unsigned long last_it = 0;
	char *mac;
	bool ok, hard;

	(void)name;
	if (ZB.count <= 0 || ZB.every <= 0 || ZB.late_ms < 0)
		die("--count and --every must be positive, --late not negative");
	fz_seed((uint64_t)(uint32_t)ZB.seed);
	strcpy(ZB.first_mut, "none");
	strcpy(ZB.hang_mut, "none");
	strcpy(ZB.last, "none");
	mac = xs_get("%s", fpath("mac"));
	if (!mac || sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &ZB.mac[0], &ZB.mac[1],
			   &ZB.mac[2], &ZB.mac[3], &ZB.mac[4], &ZB.mac[5]) != 6)
		memset(ZB.mac, 0xff, 6);
	free(mac);
	/* Any report the helper left from an earlier run is not ours. */
	fb_report(0);
	if (!fb_probe(20000)) {
		did("the guest did not answer a valid echo request in 20 s before the first change");
		kv("preprobe", "none");
		outcome = "no-traffic";
		return 0;
	}
	event("fuzzing", "seed=%d count=%d every=%d", ZB.seed, ZB.count, ZB.every);
	start = now_ms();
	end = start + (uint64_t)B.secs * 1000;
	for (ZB.it = 0; ZB.sent < (unsigned long)ZB.count && now_ms() < end; ZB.it++) {
		m = FB_VALID;
		m2 = FB_VALID;
		hard = false;
		if (fz_chance(15)) {
			hard = fz_chance(FB_HARD_PCT);
			m = (enum fzb_mut)fz_weighted(hard ? fb_hard : fb_soft, FB_NR);
			/* Now and then a second soft change (one of the two
			 * is made). */
			if (!hard && m <= FB_RX_FLAGS && fz_chance(20))
				m2 = (enum fzb_mut)(FB_RX_OFFSET + fz_below(FB_RX_FLAGS - FB_RX_OFFSET + 1));
		}
		if (m2 != FB_VALID)
			snprintf(ZB.what, sizeof(ZB.what), "%s+%s", fb_names[m], fb_names[m2]);
		else
			snprintf(ZB.what, sizeof(ZB.what), "%s%s", hard ? "hard-" : "", fb_names[m]);
		if (ZB.capped && m != FB_VALID) {
			m = FB_VALID;
			m2 = FB_VALID;
			snprintf(ZB.what, sizeof(ZB.what), "valid(capped)");
		}
		if (m >= FB_TX_ID) {
			fb_tx_change(m, hard);
			ok = true;
		} else {
			ok = fb_rx_packet(m2 != FB_VALID && fz_chance(50) ? m2 : m, hard,
					  FB_ICMP_ID, (uint16_t)ZB.it);
		}
		fb_tx_serve(false);
		if (ok) {
			ZB.sent++;
			if (m != FB_VALID) {
				ZB.mutated++;
				snprintf(ZB.last, sizeof(ZB.last), "%s", ZB.what);
				last_it = ZB.it;
			}
			if (m == FB_VALID && (ZB.it + 1) % (unsigned long)ZB.every)
				continue;
		}
		/* After a change, every --every packets, or out of buffers. */
		if (!fb_probe(1500) && !fb_disabled(m != FB_VALID ? ZB.what : ZB.last))
			break;
	}
	if (!ZB.hang && !fb_probe(3000)) {
		unsigned long before = ZB.disabled;

		if (fb_disabled(ZB.last) && ZB.disabled > before)
			note("netfront broke off after the last packet");
	}
	did("fuzzed with seed %d: %lu packets/responses in %lu ms (%lu changed), %lu probes answered of %lu (%lu late), disabled %lu times (%lu named in the log only)%s",
	    ZB.seed, ZB.sent, (unsigned long)(now_ms() - start), ZB.mutated, ZB.answered,
	    ZB.probes, ZB.late, ZB.disabled, ZB.named_late,
	    ZB.capped ? " (capped: later changes drawn, not sent)" : "");
	if (ZB.sent < (unsigned long)ZB.count && !ZB.hang)
		note("stopped at the time limit of %d s", B.secs);
	if (ZB.disabled)
		note("first disabled at iteration %lu after %s", ZB.first_it, ZB.first_mut);
	if (ZB.hang)
		note("HANG at iteration %lu after %s: %s (last change: %s at iteration %lu)",
		     ZB.hang_it, ZB.hang_mut, ZB.hang_why, ZB.last, last_it);
	kv("seed", "%d", ZB.seed);
	kv("count", "%lu", ZB.sent);
	kv("want", "%d", ZB.count);
	kv("mutated", "%lu", ZB.mutated);
	kv("probes", "%lu", ZB.probes);
	kv("answered", "%lu", ZB.answered);
	kv("disabled", "%lu", ZB.disabled);
	kv("late", "%lu", ZB.late);
	kv("named_late", "%lu", ZB.named_late);
	kv("first_disable_iter", "%ld", ZB.disabled ? (long)ZB.first_it : -1L);
	kv("first_disable_mut", "%s", ZB.first_mut);
	kv("hang", "%d", ZB.hang);
	kv("hang_iter", "%ld", ZB.hang ? (long)ZB.hang_it : -1L);
	kv("hang_mut", "%s", ZB.hang_mut);
	kv("capped", "%d", ZB.capped);
	kv("fe_state", "%d", fe_state());
	outcome = ZB.hang ? "hang" : "fuzzed";
	return 0;
}

/* ---- after the case: play backend until the vif goes away ------------------ */

static void linger(bool answer_tx, bool keep)
{
	uint64_t end = now_ms() + 600000, closing_since = 0;
	int fs, bs;

	for (;;) {
		fs = fe_state();
		bs = (int)xs_get_int(-1, "%s", bpath("state"));
		if (bs < 0 || fs < 0 || fs == 6 || fs == 1 || now_ms() > end)
			break;
		if (fs == 5 && bs != 5 && bs != 6)
			xs_put(bpath("state"), "5");
		if (bs == 5 && xs_get_int(1, "%s", bpath("online")) == 0) {
			/* The toolstack is detaching: give the frontend 6 s. */
			if (!closing_since)
				closing_since = now_ms();
			else if (now_ms() - closing_since > 6000)
				break;
		}
		/* (A fuzz run that hung may have left no rings.) */
		if (answer_tx && B.tx)
			tx_take(TX_NORMAL, false, false);
		pump(50);
	}
	if (keep) {
		event("holding", "fe_state=%d held=%u secs=%d", fs, B.nheld, B.hold);
		msleep((unsigned int)B.hold * 1000);
	}
	while (B.nheld)
		gnt_unmap(B.held[--B.nheld], 1);
	gnt_unmap(B.tx, 1);
	gnt_unmap(B.rx, 1);
	if (B.evt >= 0)
		evt_unbind(B.evt);
	if (xs_exists(bpath("state")))
		xs_put(bpath("state"), "6");
}

/*
 * The cases, with our netfront's documented reaction (expect; see
 * Documentation/netfront.rst and Documentation/hostile.rst), which
 * 60-hostile checks:
 *   disable  protocol_errors rises and "device disabled until the backend
 *            reconnects" is logged (and the attack happened:
 *            outcome=attacked)
 *   alive    the guest stays up and the device keeps working
 *   bounded  an ifdown/ifup on the full ring drops nothing in the
 *            driver's transmit, and removing the driver afterwards
 *            finishes in time
 *   any      nothing asked beyond staying up
 *   helper   not an attack (idle serves the victim's first vif); the
 *            suite does not run it as a case
 */
static const struct hcase cases[] = {
	{ "idle", "helper", "a well-behaved backend that answers TX and sends nothing", case_idle },
	{ "tx-id-range", "disable", "TX response with an id out of range", case_tx_bad },
	{ "tx-id-unknown", "disable", "TX response for a request never made", case_tx_bad },
	{ "tx-status-undefined", "disable", "TX response with an undefined status", case_tx_bad },
	{ "tx-rsp-overflow", "disable", "more TX responses than requests", case_tx_bad },
	{ "rx-size-big", "disable", "RX response larger than a page", case_rx_bad },
	{ "rx-offset-past", "disable", "RX response with offset + size past the page", case_rx_bad },
	{ "rx-status-undefined", "disable", "RX response with an undefined status", case_rx_bad },
	{ "rx-id-wrong", "disable", "RX response whose id is not its ring slot's", case_rx_bad },
	{ "rx-extra-garbage", "disable", "RX extra-info slot of garbage", case_rx_bad },
	{ "rx-rsp-overflow", "disable", "more RX responses than buffers", case_rx_bad },
	{ "evtchn-storm", "alive", "notify the frontend in a loop (--secs)", case_storm },
	{ "keep-mapped", "any", "keep grants mapped after the frontend closed (--hold)", case_keep_mapped },
	{ "tx-never-complete", "bounded", "take TX requests and never answer (--secs)", case_never },
	{ "fuzz", "helper", "--fuzz SEED --count N: seeded structured fuzzing (--secs bounds it)", case_fuzz },
};

int main(int argc, char **argv)
{
	const struct hopt opts[] = {
		{ "domid", &B.domid, true },
		{ "devid", &B.devid, false },
		{ "secs", &B.secs, false },
		{ "wait", &B.wait, false },
		{ "hold", &B.hold, false },
		{ "fuzz", &ZB.seed, false },
		{ "count", &ZB.count, false },
		{ "every", &ZB.every, false },
		{ "late", &ZB.late_ms, false },
		{ NULL, NULL, false },
	};
	const char *usage = "rogue-back --list | CASE --domid D|any [--devid N] [--secs S] [--hold S] [--wait S]"
			    " | --fuzz SEED --count N [--every K] [--late MS] --domid D|any [--devid N] [--secs S]";
	const struct hcase *c;
	char where[48];

	B.domid = -2;
	B.devid = -1;
	B.secs = -1;
	B.hold = 8;
	B.wait = 60;
	B.evt = -1;
	ZB.seed = 1;
	ZB.every = 64;
	c = hostile_args(argc, argv, "rogue-back", cases, sizeof(cases) / sizeof(cases[0]),
			 opts, usage);
	if (B.secs < 0)
		B.secs = c->fn == case_fuzz ? 600 : 3;
	if (B.domid == -2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	xs_init();
	attach();
	snprintf(where, sizeof(where), "vif %d/%d", B.domid, B.devid);
	if (!connect_rings()) {
		result(where, "noconnect", "cannot map the frontend's rings or bind its channel");
		xs_put(bpath("state"), "6");
		return 3;
	}
	serve(300);
	c->fn(c->name);
	result(where, outcome, "%s", reason);
	linger(strcmp(c->name, "tx-never-complete") != 0, !strcmp(c->name, "keep-mapped"));
	return 0;
}
