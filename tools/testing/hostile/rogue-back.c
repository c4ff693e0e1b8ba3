// SPDX-License-Identifier: GPL-2.0
/*
 * rogue-back: a misbehaving Xen network backend, run in dom0 while no
 * netback module is loaded. For one vif the toolstack created it plays
 * the backend's part of the XenStore handshake (feature keys, InitWait,
 * Connected), maps the frontend's rings with gntdev, binds its event
 * channel with evtchn, then breaks one rule (one case per run) against
 * the guest's netfront and prints one line of what it did and saw.
 * It then keeps playing backend until the vif is closed or detached, so
 * xl network-detach and netfront's own removal complete normally.
 *
 *   rogue-back --list
 *   rogue-back CASE --domid D|any [--devid N] [--secs S] [--hold S] [--wait S]
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
	struct sring *tx, *rx;
	int evt, fe_evt;
	uint32_t tx_cons, tx_rsp, rx_cons, rx_rsp;
	void *held[MAXHELD];
	unsigned int nheld;
	unsigned long tx_seen, events;
};

static struct back B;
static char obs[1024];

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(obs);

	if (n && n < sizeof(obs) - 2) {
		obs[n++] = ';';
		obs[n++] = ' ';
		obs[n] = 0;
	}
	va_start(ap, fmt);
	vsnprintf(obs + n, sizeof(obs) - n, fmt, ap);
	va_end(ap);
}

static char *bpath(const char *key)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) & 3;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", B.be, key);
	return buf[i];
}

static char *fpath(const char *key)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) & 3;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", B.fe, key);
	return buf[i];
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
	uint32_t ref;
	long v;

	v = xs_get_int(-1, "%s", fpath("tx-ring-ref"));
	if (v < 0)
		return false;
	ref = (uint32_t)v;
	B.tx = gnt_map(B.domid, 1, &ref, true);
	v = xs_get_int(-1, "%s", fpath("rx-ring-ref"));
	if (v < 0 || !B.tx)
		return false;
	ref = (uint32_t)v;
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
	B.tx->req_event = 1;
	B.rx->req_event = 1;
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
	struct tx_rsp *r = ring_slot(B.tx, TX_ENT, B.tx_rsp++);

	r->id = id;
	r->status = status;
}

static void tx_publish(void)
{
	wmb();
	B.tx->rsp_prod = B.tx_rsp;
	kick();
}

/* Hold a mapping of a frontend page (data buffers) for later. */
static void hold_page(uint32_t gref, bool writable)
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
	uint32_t prod = B.tx->req_prod;
	int first = -1;

	rmb();
	if (prod - B.tx_cons > ring_entries(TX_ENT))
		prod = B.tx_cons + ring_entries(TX_ENT);
	while (B.tx_cons != prod) {
		struct tx_req r = *(struct tx_req *)ring_slot(B.tx, TX_ENT, B.tx_cons++);
		bool extra = r.flags & TXF_EXTRA_INFO;

		B.tx_seen++;
		if (hold)
			hold_page(r.gref, false);
		if (first < 0 && bad_first) {
			first = r.id;
		} else if (mode == TX_NORMAL) {
			tx_respond(r.id, RSP_OKAY);
		}
		while (extra && B.tx_cons != prod) {
			struct extra e = *(struct extra *)ring_slot(B.tx, TX_ENT, B.tx_cons++);

			if (mode == TX_NORMAL)
				tx_respond(0, RSP_NULL);
			extra = e.flags & EXTRA_FLAG_MORE;
		}
	}
	B.tx->req_event = B.tx_cons + 1;
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

static struct rx_req rx_next(void)
{
	struct rx_req r = { 0 };
	uint32_t prod = B.rx->req_prod;

	rmb();
	if (B.rx_cons != prod)
		r = *(struct rx_req *)ring_slot(B.rx, RX_ENT, B.rx_cons++);
	return r;
}

static void rx_respond(uint16_t id, uint16_t off, uint16_t flags, int16_t status)
{
	struct rx_rsp *r = ring_slot(B.rx, RX_ENT, B.rx_rsp++);

	r->id = id;
	r->offset = off;
	r->flags = flags;
	r->status = status;
}

static void rx_publish(void)
{
	wmb();
	B.rx->rsp_prod = B.rx_rsp;
	kick();
}

/* Watch the frontend for a while after the attack. */
static void aftermath(void)
{
	unsigned long seen = B.tx_seen, ev = B.events;

	serve(1500);
	note("then %lu TX requests and %lu events from the frontend in 1.5 s; frontend state %d",
	     B.tx_seen - seen, B.events - ev, fe_state());
}

/* ---- cases ------------------------------------------------------------------ */

static int case_tx_bad(const char *name)
{
	int id = wait_tx((unsigned int)B.wait * 1000);

	if (id < 0) {
		note("the frontend sent no TX request in %d s, nothing to answer badly", B.wait);
		return 0;
	}
	if (!strcmp(name, "tx-id-range")) {
		tx_respond((uint16_t)(id + 0x1000), RSP_OKAY);
		note("answered TX id %d with id %d (ring has 256)", id, id + 0x1000);
	} else if (!strcmp(name, "tx-id-unknown")) {
		tx_respond((uint16_t)((id + 128) & 0xff), RSP_OKAY);
		note("answered TX id %d with id %d, never requested", id, (id + 128) & 0xff);
	} else if (!strcmp(name, "tx-status-undefined")) {
		tx_respond((uint16_t)id, 5);
		note("answered TX id %d with undefined status 5", id);
	} else {
		unsigned int i;

		tx_respond((uint16_t)id, RSP_OKAY);
		for (i = 0; i < 40; i++)
			tx_respond((uint16_t)i, RSP_OKAY);
		note("answered TX id %d, then pushed 40 responses for requests never made", id);
	}
	tx_publish();
	aftermath();
	return 0;
}

static int case_rx_bad(const char *name)
{
	struct rx_req r;
	uint64_t end = now_ms() + (uint64_t)B.wait * 1000;

	while (B.rx->req_prod == B.rx_cons && now_ms() < end)
		pump(20);
	if (B.rx->req_prod == B.rx_cons) {
		note("the frontend posted no RX buffer in %d s", B.wait);
		return 0;
	}
	r = rx_next();
	if (!strcmp(name, "rx-size-big")) {
		rx_respond(r.id, 0, 0, 5000);
		note("answered RX buffer %u with 5000 bytes (page is 4096)", r.id);
	} else if (!strcmp(name, "rx-offset-past")) {
		rx_respond(r.id, 4000, 0, 200);
		note("answered RX buffer %u with offset 4000 + 200 bytes", r.id);
	} else if (!strcmp(name, "rx-status-undefined")) {
		rx_respond(r.id, 0, 0, -5);
		note("answered RX buffer %u with undefined status -5", r.id);
	} else if (!strcmp(name, "rx-id-wrong")) {
		rx_respond((uint16_t)(r.id + 77), 0, 0, 60);
		note("answered RX buffer %u with id %u", r.id, r.id + 77);
	} else if (!strcmp(name, "rx-extra-garbage")) {
		struct rx_req r2 = rx_next();
		struct extra *e;

		rx_respond(r.id, 0, RXF_EXTRA_INFO, 60);
		e = ring_slot(B.rx, RX_ENT, B.rx_rsp++);
		memset(e, 0xa5, sizeof(struct rx_rsp));
		e->type = 0x77;
		e->flags = 0;
		note("answered RX buffer %u with a 60-byte packet and a garbage extra (type 0x77) in slot of buffer %u",
		     r.id, r2.id);
	} else {
		uint32_t prod = B.rx->req_prod, i;

		rmb();
		rx_respond(r.id, 0, 0, 60);
		for (i = 0; i < 40; i++)
			rx_respond((uint16_t)i, 0, 0, 60);
		B.rx_rsp = prod + 40;
		note("pushed RX rsp_prod to %u with req_prod %u (40 responses for buffers never posted)",
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
	note("sent %lu notifications in %d s (%lu/s)", n, B.secs,
	     n * 1000 / (now_ms() - start + 1));
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
	note("took %lu TX requests in %d s and answered none (holding %u of their pages mapped)",
	     B.tx_seen, B.secs, B.nheld);
	return 0;
}

static int case_keep_mapped(const char *name)
{
	unsigned int i;

	(void)name;
	for (i = 0; i < 32; i++) {
		struct rx_req r = rx_next();

		if (!r.gref)
			break;
		hold_page(r.gref, true);
	}
	serve((unsigned int)B.secs * 1000);
	note("mapped %u of the frontend's RX buffers and will keep them (and both rings) %d s after it closes",
	     B.nheld, B.hold);
	return 0;
}

static int case_idle(const char *name)
{
	(void)name;
	note("serving TX, never filling RX");
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
		printf("rogue-back: frontend state %d, holding %u data pages and both rings for %d s\n",
		       fs, B.nheld, B.hold);
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

static const struct {
	const char *name, *what;
	int (*fn)(const char *name);
} cases[] = {
	{ "idle", "a well-behaved backend that answers TX and sends nothing", case_idle },
	{ "tx-id-range", "TX response with an id out of range", case_tx_bad },
	{ "tx-id-unknown", "TX response for a request never made", case_tx_bad },
	{ "tx-status-undefined", "TX response with an undefined status", case_tx_bad },
	{ "tx-rsp-overflow", "more TX responses than requests", case_tx_bad },
	{ "rx-size-big", "RX response larger than a page", case_rx_bad },
	{ "rx-offset-past", "RX response with offset + size past the page", case_rx_bad },
	{ "rx-status-undefined", "RX response with an undefined status", case_rx_bad },
	{ "rx-id-wrong", "RX response whose id is not its ring slot's", case_rx_bad },
	{ "rx-extra-garbage", "RX extra-info slot of garbage", case_rx_bad },
	{ "rx-rsp-overflow", "more RX responses than buffers", case_rx_bad },
	{ "evtchn-storm", "notify the frontend in a loop (--secs)", case_storm },
	{ "tx-never-complete", "take TX requests and never answer (--secs)", case_never },
	{ "keep-mapped", "keep grants mapped after the frontend closed (--hold)", case_keep_mapped },
};

int main(int argc, char **argv)
{
	const char *name = NULL;
	unsigned int i;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	B.domid = -2;
	B.devid = -1;
	B.secs = 3;
	B.hold = 8;
	B.wait = 60;
	B.evt = -1;
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list")) {
			for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
				printf("%-22s %s\n", cases[i].name, cases[i].what);
			return 0;
		} else if (!strcmp(argv[a], "--domid") && a + 1 < argc) {
			a++;
			B.domid = strcmp(argv[a], "any") ? atoi(argv[a]) : -1;
		} else if (!strcmp(argv[a], "--devid") && a + 1 < argc) {
			B.devid = atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--secs") && a + 1 < argc) {
			B.secs = atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--wait") && a + 1 < argc) {
			B.wait = atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--hold") && a + 1 < argc) {
			B.hold = atoi(argv[++a]);
		} else if (argv[a][0] != '-' && !name) {
			name = argv[a];
		} else {
			name = NULL;
			break;
		}
	}
	if (!name || B.domid == -2) {
		fprintf(stderr, "usage: rogue-back --list | CASE --domid D|any [--devid N] [--secs S] [--hold S] [--wait S]\n");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, name))
			break;
	if (i == sizeof(cases) / sizeof(cases[0])) {
		fprintf(stderr, "rogue-back: unknown case %s (see --list)\n", name);
		return 2;
	}
	xs_init();
	attach();
	if (!connect_rings()) {
		printf("rogue-back %s: cannot map the frontend's rings or bind its channel\n", name);
		xs_put(bpath("state"), "6");
		return 3;
	}
	serve(300);
	cases[i].fn(name);
	printf("rogue-back %s vif %d/%d: %s\n", name, B.domid, B.devid, obs);
	linger(strcmp(name, "tx-never-complete") != 0, !strcmp(name, "keep-mapped"));
	return 0;
}
