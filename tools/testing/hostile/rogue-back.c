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
 *
 * --list prints the case table: name, our netfront's documented
 * reaction (expect) and a description.
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
		if (answer_tx)
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
};

int main(int argc, char **argv)
{
	const struct hopt opts[] = {
		{ "domid", &B.domid, true },
		{ "devid", &B.devid, false },
		{ "secs", &B.secs, false },
		{ "wait", &B.wait, false },
		{ "hold", &B.hold, false },
		{ NULL, NULL, false },
	};
	const char *usage = "rogue-back --list | CASE --domid D|any [--devid N] [--secs S] [--hold S] [--wait S]";
	const struct hcase *c;
	char where[48];

	B.domid = -2;
	B.devid = -1;
	B.secs = 3;
	B.hold = 8;
	B.wait = 60;
	B.evt = -1;
	c = hostile_args(argc, argv, "rogue-back", cases, sizeof(cases) / sizeof(cases[0]),
			 opts, usage);
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
