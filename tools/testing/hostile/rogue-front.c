// SPDX-License-Identifier: GPL-2.0
/*
 * rogue-front: a misbehaving Xen network frontend, run in a domU that
 * has no netfront loaded. It shares its rings with gntalloc, binds its
 * event channels with evtchn and writes the frontend keys of one vif
 * itself, then breaks one rule of the protocol (one case per run) and
 * prints what it did and saw of the backend: one human-readable line,
 * then one RESULT line (format in hostile.h) with
 *
 *   outcome=serves     a valid frame sent after the attack was answered
 *                      OKAY (for the xs-* cases: the backend connected
 *                      and answered one)
 *   outcome=stopped    the backend was Connected but that frame got no
 *                      OKAY answer
 *   outcome=connected  (xs-connected-first) the backend says Connected;
 *                      there is no ring to send a frame on
 *   outcome=refused    (xs-*) the backend did not reach Connected in 6 s
 *   outcome=noconnect  a case that needs a correct connection got none
 *   outcome=setup-failed  rogue-front's own set-up failed
 *
 * and, where they apply, rsp okay error dropped null other (TX responses
 * to the attack), preprobe=ok|none (a valid frame before the attack),
 * rx_posted rx_filled, status status2 (control-ring answers), be_state.
 *
 *   rogue-front --list
 *   rogue-front CASE [--devid N] [--secs S]
 *   rogue-front --fuzz SEED --count N [--every K] [--late MS] [--devid N] [--secs S]
 *
 * --list prints the case table: name, our netback's documented reaction
 * (expect) and a description. --fuzz is the seeded fuzzer (see "fuzz" below
 * and Documentation/hostile.rst): outcome=fuzzed or outcome=hang, with
 * seed count want mutated probes answered disabled late first_disable_iter
 * first_disable_mut hang hang_iter hang_mut capped. Exit status: 0 the case ran (whatever the
 * backend did), 2 set-up failed, 3 the backend never connected when the
 * case needed it.
 *
 * At the end it closes and starts over (Initialising, its keys removed),
 * so a backend that supports reconnection serves the next case on the
 * same vif.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <xen/sys/gntalloc.h>

#include "hostile.h"

#define NDATA	4	/* data pages: 0 frames, 1 hash key, 2 hash mapping */
#define NRXBUF	16

struct front {
	int self, devid, beid, secs;
	char fe[96];
	char *be;
	uint8_t mac[6];
	netif_tx_sring_t *tx;
	netif_rx_sring_t *rx;
	xen_netif_ctrl_sring_t *ctrl;
	grant_ref_t txref, rxref, ctrlref;
	int evt, evt_ctrl;
	uint8_t *data[NDATA];	/* one mapping per page */
	grant_ref_t dref[NDATA];
	uint8_t *rxbuf;
	grant_ref_t rxref_buf[NRXBUF];
	RING_IDX tx_prod, tx_cons, rx_prod, rx_cons, ctrl_prod, ctrl_cons;
};

struct tally {
	unsigned int okay, error, dropped, null, other, total;
};

static struct front F;
/* The RESULT line's outcome and reason, set by the case. */
static const char *outcome = "serves";
static char reason[160];

#define fpath(key) xpath(F.fe, key)
#define bpath(key) xpath(F.be, key)

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

static int be_state(void)
{
	return (int)xs_get_int(-1, "%s", bpath("state"));
}

/* ---- set-up --------------------------------------------------------- */

static void fe_clean(void);

static void fe_open(void)
{
	char *mac;

	xs_init();
	F.self = (int)xs_get_int(-1, "domid");
	if (F.self < 0)
		die("cannot read my domid from xenstore");
	snprintf(F.fe, sizeof(F.fe), "/local/domain/%d/device/vif/%d", F.self, F.devid);
	F.be = xs_get("%s", fpath("backend"));
	if (!F.be)
		die("%s has no backend key (no such vif?)", F.fe);
	F.beid = (int)xs_get_int(0, "%s", fpath("backend-id"));
	fe_clean();
	mac = xs_get("%s", fpath("mac"));
	if (!mac || sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &F.mac[0], &F.mac[1],
			   &F.mac[2], &F.mac[3], &F.mac[4], &F.mac[5]) != 6)
		memcpy(F.mac, "\x00\x16\x3e\x00\x00\x01", 6);
	free(mac);
}

/* Remove what an earlier case may have left in the frontend directory. */
static void fe_clean(void)
{
	static const char *const keys[] = { "tx-ring-ref", "rx-ring-ref",
		"event-channel", "event-channel-tx", "event-channel-rx", "queue-0",
		"queue-1", "multi-queue-num-queues", "ctrl-ring-ref",
		"event-channel-ctrl", "request-rx-copy", "feature-rx-notify" };
	char key[32];
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		xs_rm(xs, XBT_NULL, fpath(keys[i]));
	for (i = 0; i < 32; i++) {
		snprintf(key, sizeof(key), "flood-%u", i);
		xs_rm(xs, XBT_NULL, fpath(key));
	}
}

/* A fresh shared ring page (indices 0, events at 1); every netif ring
 * type has the same header, so the TX type stands for all of them. */
static void *ring_new(grant_ref_t *ref)
{
	netif_tx_sring_t *s = gnt_share(F.beid, 1, true, ref);

	memset(s, 0, PG);
	SHARED_RING_INIT(s);
	return s;
}

static void fe_alloc(bool ctrl)
{
	F.tx = ring_new(&F.txref);
	F.rx = ring_new(&F.rxref);
	if (ctrl)
		F.ctrl = ring_new(&F.ctrlref);
	/* One grant allocation per page, so each has its own mapping. */
	for (unsigned int i = 0; i < NDATA; i++)
		F.data[i] = gnt_share(F.beid, 1, true, &F.dref[i]);
	F.rxbuf = gnt_share(F.beid, NRXBUF, true, F.rxref_buf);
	F.evt = evt_bind_unbound(F.beid);
	if (F.evt < 0)
		die("cannot bind an unbound event channel: %s", strerror(errno));
	if (ctrl) {
		F.evt_ctrl = evt_bind_unbound(F.beid);
		if (F.evt_ctrl < 0)
			die("cannot bind the control event channel: %s", strerror(errno));
	}
}

/* Ring keys of one queue under dir ("" for the flat layout). */
static void write_queue_keys(const char *dir, grant_ref_t tx, grant_ref_t rx, int evt)
{
	char k[64];

	snprintf(k, sizeof(k), "%s%stx-ring-ref", dir, *dir ? "/" : "");
	xs_put(fpath(k), "%u", tx);
	snprintf(k, sizeof(k), "%s%srx-ring-ref", dir, *dir ? "/" : "");
	xs_put(fpath(k), "%u", rx);
	snprintf(k, sizeof(k), "%s%sevent-channel", dir, *dir ? "/" : "");
	xs_put(fpath(k), "%d", evt);
}

static void write_common_keys(void)
{
	xs_put(fpath("request-rx-copy"), "1");
	xs_put(fpath("feature-rx-notify"), "1");
	if (F.ctrl) {
		xs_put(fpath("ctrl-ring-ref"), "%u", F.ctrlref);
		xs_put(fpath("event-channel-ctrl"), "%d", F.evt_ctrl);
	}
}

static int wait_initwait(void)
{
	int st = xs_wait_state(bpath("state"), 20000, 2, 2);

	if (st != 2)
		die("backend %s is %s, not InitWait", F.be, state_name(st));
	return st;
}

static void rx_post(unsigned int n);

/* A correct single-queue connection, the backend in InitWait already;
 * returns the backend's state after (bounded) waiting for Connected. */
static int fe_connect_quiet(bool ctrl, unsigned int nrx)
{
	int st;

	fe_alloc(ctrl);
	write_queue_keys("", F.txref, F.rxref, F.evt);
	write_common_keys();
	xs_put(fpath("state"), "4");
	st = xs_wait_state(bpath("state"), 15000, 4, 6);
	if (st == 4)
		rx_post(nrx);
	return st;
}

/* A correct single-queue connection. Returns true when the backend
 * reached Connected. */
static bool fe_connect(bool ctrl, unsigned int nrx)
{
	int st;

	wait_initwait();
	st = fe_connect_quiet(ctrl, nrx);
	if (st != 4) {
		note("backend did not connect (state %s)", state_name(st));
		kv("be_state", "%d", st);
		return false;
	}
	return true;
}

/*
 * Give back what fe_alloc() took, after fe_close(): the backend has
 * unmapped the pages, so giving them back ends their grants (a fuzz
 * run reconnects up to 128 times, and the guest may allocate only
 * 1024 grants). The ring indices start from 0 on the next connection.
 */
static void fe_release(void)
{
	unsigned int i;

	gnt_unshare(F.tx);
	gnt_unshare(F.rx);
	gnt_unshare(F.ctrl);
	for (i = 0; i < NDATA; i++)
		gnt_unshare(F.data[i]);
	gnt_unshare(F.rxbuf);
	evt_unbind(F.evt);
	if (F.ctrl)
		evt_unbind(F.evt_ctrl);
	F.tx = NULL;
	F.rx = NULL;
	F.ctrl = NULL;
	F.tx_prod = F.tx_cons = F.rx_prod = F.rx_cons = 0;
	F.ctrl_prod = F.ctrl_cons = 0;
}

/*
 * Leave like a frontend that closes (Closing, Closed), then start over
 * (Initialising, keys removed) so that the vif can serve the next case:
 * a backend that supports reconnection goes back to InitWait.
 */
static void fe_close(void)
{
	xs_put(fpath("state"), "5");
	xs_wait_state(bpath("state"), 2000, 5, 6);
	xs_put(fpath("state"), "6");
	xs_wait_state(bpath("state"), 3000, 6, 2);
	fe_clean();
	xs_put(fpath("state"), "1");
	xs_wait_state(bpath("state"), 5000, 2, 2);
}

/* A case that needed a connection did not get one. */
static void __attribute__((noreturn)) give_up(void)
{
	result("vif", "noconnect", "the backend did not connect, the case did not run");
	fe_close();
	exit(3);
}

/* ---- TX ------------------------------------------------------------- */

static uint16_t csum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	while (n > 1) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * An IPv4/TCP frame of len bytes at the start of data page 0: broadcast
 * destination, our MAC as source, 198.18.0.250 -> 198.18.0.251 port 9.
 * The TCP checksum is left to the peer (csum_blank) when asked for.
 */
static void build_frame(unsigned int len)
{
	uint8_t *f = F.data[0];
	unsigned int i, iplen = len - 14;

	for (i = 0; i < PG; i++)
		f[i] = (uint8_t)(i * 7);
	memset(f, 0xff, 6);
	memcpy(f + 6, F.mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(f + 14, 0, 40);
	f[14] = 0x45;
	f[16] = iplen >> 8;
	f[17] = iplen & 0xff;
	f[22] = 64;
	f[23] = 6;
	f[26] = 198; f[27] = 18; f[28] = 0; f[29] = 250;
	f[30] = 198; f[31] = 18; f[32] = 0; f[33] = 251;
	{
		uint16_t c = csum16(f + 14, 20);

		f[24] = c >> 8;
		f[25] = c & 0xff;
	}
	f[34] = 0x30; f[35] = 0x39;	/* sport 12345 */
	f[36] = 0; f[37] = 9;		/* dport 9 */
	f[46] = 0x50;			/* data offset 5 */
	f[47] = 0x18;			/* PSH|ACK */
	f[48] = 0xff; f[49] = 0xff;
}

static netif_tx_request_t *tx_slot(RING_IDX i)
{
	return &SLOT(F.tx, netif_tx, i)->req;
}

static void tx_put(grant_ref_t gref, uint16_t off, uint16_t flags, uint16_t id, uint16_t size)
{
	netif_tx_request_t *r = tx_slot(F.tx_prod++);

	r->gref = gref;
	r->offset = off;
	r->flags = flags;
	r->id = id;
	r->size = size;
}

static void tx_put_extra(uint8_t type, uint8_t flags, uint16_t gso_size, uint8_t gso_type)
{
	netif_extra_info_t *e = (netif_extra_info_t *)tx_slot(F.tx_prod++);

	memset(e, 0, sizeof(netif_tx_request_t));
	e->type = type;
	e->flags = flags;
	e->u.gso.size = gso_size;
	e->u.gso.type = gso_type;
}

static void tx_push(void)
{
	wmb();
	WR_IDX(F.tx->req_prod, F.tx_prod);
	mb();
	evt_notify(F.evt);
}

/* Collect TX responses for up to ms (stop early after want). */
static unsigned int tx_collect(struct tally *t, unsigned int ms, unsigned int want)
{
	uint64_t end = now_ms() + ms;
	unsigned int got = 0;

	for (;;) {
		RING_IDX prod = RD_IDX(F.tx->rsp_prod);

		rmb();
		/* Never read past what we published: a bogus rsp_prod is data. */
		if (prod - F.tx_cons > F.tx_prod - F.tx_cons)
			prod = F.tx_prod;
		while (F.tx_cons != prod) {
			netif_tx_response_t *r = &SLOT(F.tx, netif_tx, F.tx_cons++)->rsp;

			switch (r->status) {
			case NETIF_RSP_OKAY: t->okay++; break;
			case NETIF_RSP_ERROR: t->error++; break;
			case NETIF_RSP_DROPPED: t->dropped++; break;
			case NETIF_RSP_NULL: t->null++; break;
			default: t->other++; break;
			}
			t->total++;
			got++;
		}
		if ((want && got >= want) || now_ms() >= end)
			return got;
		WR_IDX(F.tx->rsp_event, F.tx_cons + 1);
		mb();
		evt_wait(20);
	}
}

static void tally_note(const char *what, const struct tally *t)
{
	note("%s: %u responses (okay %u, error %u, dropped %u, null %u, other %u)",
	     what, t->total, t->okay, t->error, t->dropped, t->null, t->other);
	kv("rsp", "%u", t->total);
	kv("okay", "%u", t->okay);
	kv("error", "%u", t->error);
	kv("dropped", "%u", t->dropped);
	kv("null", "%u", t->null);
	kv("other", "%u", t->other);
}

/* One valid 60-byte frame; true when it is answered within ms. */
static bool tx_probe(unsigned int ms)
{
	struct tally t = { 0 };

	build_frame(60);
	tx_put(F.dref[0], 0, 0, 200, 60);
	tx_push();
	tx_collect(&t, ms, 1);
	return t.total > 0 && t.okay > 0;
}

static bool need_connection(bool ctrl, unsigned int nrx)
{
	if (!fe_connect(ctrl, nrx))
		give_up();
	if (ctrl)
		return true;
	if (!tx_probe(3000)) {
		note("a valid frame got no OKAY before the attack");
		kv("preprobe", "none");
		return false;
	}
	kv("preprobe", "ok");
	return true;
}

/* The case's last step: is a valid frame still answered? */
static void after_attack(unsigned int ms)
{
	int st;

	if (tx_probe(ms)) {
		note("a later valid frame was answered OKAY (vif still serves)");
		outcome = "serves";
	} else {
		note("a later valid frame got no answer (vif disabled)");
		outcome = "stopped";
	}
	st = be_state();
	note("backend state %s", state_name(st));
	kv("be_state", "%d", st);
}

/* Send what the case queued, collect, then see if the vif still works. */
static void tx_finish(const char *what)
{
	struct tally t = { 0 };

	tx_push();
	tx_collect(&t, 1500, 0);
	did("%s", what);
	tally_note("bad requests", &t);
	after_attack(1500);
}

static int case_tx(const char *name)
{
	unsigned int i;

	need_connection(false, 8);
	build_frame(1400);
	if (!strcmp(name, "tx-zero-frag")) {
		tx_put(F.dref[0], 0, NETTXF_more_data, 1, 60);
		tx_put(F.dref[0], 60, 0, 2, 0);
		tx_finish("sent a 60-byte frame whose second slot has size 0");
	} else if (!strcmp(name, "tx-size-lt-first")) {
		tx_put(F.dref[0], 0, NETTXF_more_data, 1, 60);
		tx_put(F.dref[0], 100, 0, 2, 100);
		tx_finish("sent a frame of total size 60 whose slots add up to more (second slot 100 bytes)");
	} else if (!strcmp(name, "tx-slots-19")) {
		tx_put(F.dref[0], 0, NETTXF_more_data, 0, 19 * 60);
		for (i = 1; i < 19; i++)
			tx_put(F.dref[0], i * 60, i < 18 ? NETTXF_more_data : 0, i, 60);
		tx_finish("sent a frame of 19 slots (above XEN_NETIF_NR_SLOTS_MIN, below fatal_skb_slots)");
	} else if (!strcmp(name, "tx-too-many-slots")) {
		tx_put(F.dref[0], 0, NETTXF_more_data, 0, 21 * 60);
		for (i = 1; i < 21; i++)
			tx_put(F.dref[0], i * 60, i < 20 ? NETTXF_more_data : 0, i, 60);
		tx_finish("sent a frame of 21 slots (more than fatal_skb_slots=20)");
	} else if (!strcmp(name, "tx-offset-past-page") || !strcmp(name, "fatal-many-vifs")) {
		tx_put(F.dref[0], 4000, 0, 1, 200);
		tx_finish("sent a slot with offset 4000 + size 200 (past the page)");
	} else if (!strcmp(name, "tx-id-reuse")) {
		build_frame(60);
		tx_put(F.dref[0], 0, 0, 7, 60);
		tx_put(F.dref[0], 0, 0, 7, 60);
		tx_put(F.dref[0], 0, 0, 7, 60);
		tx_finish("sent three frames with the same id 7 while pending");
	} else if (!strcmp(name, "tx-extra-unknown")) {
		tx_put(F.dref[0], 0, NETTXF_extra_info, 1, 200);
		tx_put_extra(9, 0, 0, 0);
		tx_finish("sent a frame with an extra-info slot of unknown type 9");
	} else if (!strcmp(name, "tx-gso-type-unknown")) {
		tx_put(F.dref[0], 0, NETTXF_extra_info | NETTXF_csum_blank, 1, 1400);
		tx_put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1000, 7);
		tx_finish("sent a GSO extra with GSO type 7");
	} else if (!strcmp(name, "tx-gso-size-zero")) {
		tx_put(F.dref[0], 0, NETTXF_extra_info | NETTXF_csum_blank, 1, 1400);
		tx_put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4);
		tx_finish("sent a TCPv4 GSO extra with size 0");
	} else if (!strcmp(name, "tx-gso-size-big")) {
		tx_put(F.dref[0], 0, NETTXF_extra_info | NETTXF_csum_blank, 1, 1400);
		tx_put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 9000, XEN_NETIF_GSO_TYPE_TCPV4);
		tx_finish("sent a 1400-byte TCPv4 frame with GSO size 9000");
	} else if (!strcmp(name, "tx-extra-no-end")) {
		tx_put(F.dref[0], 0, NETTXF_extra_info, 1, 200);
		for (i = 0; i < 8; i++)
			tx_put_extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1000, XEN_NETIF_GSO_TYPE_TCPV4);
		tx_finish("sent a frame followed by 8 chained extra-info slots, all with MORE set");
	} else if (!strcmp(name, "tx-ring-overflow")) {
		tx_put(F.dref[0], 0, 0, 1, 60);
		F.tx_prod += 1000;
		wmb();
		WR_IDX(F.tx->req_prod, F.tx_prod);
		mb();
		evt_notify(F.evt);
		F.tx_prod -= 1000;
		{
			struct tally t = { 0 };

			tx_collect(&t, 1500, 0);
			did("published req_prod 1001 requests ahead of the backend (ring holds %u)",
			    RING_ENTS(netif_tx));
			tally_note("responses", &t);
		}
		/* A probe needs a sane index again. */
		WR_IDX(F.tx->req_prod, F.tx_prod);
		after_attack(1500);
	} else {
		return -1;
	}
	return 0;
}

/* Keep flipping the size of the newest request between two valid
 * values while notifying: a backend that reads the field twice sees
 * both. */
static int case_double_fetch(const char *name)
{
	uint64_t end;
	unsigned int posted = 0, k;
	struct tally t = { 0 };

	(void)name;
	need_connection(false, 8);
	build_frame(1400);
	end = now_ms() + (uint64_t)F.secs * 1000;
	while (now_ms() < end) {
		volatile netif_tx_request_t *r;

		if (F.tx_prod - F.tx_cons < RING_ENTS(netif_tx) - 2) {
			tx_put(F.dref[0], 0, 0, (uint16_t)(posted & 0xff), 60);
			posted++;
			wmb();
			WR_IDX(F.tx->req_prod, F.tx_prod);
		}
		r = tx_slot(F.tx_prod - 1);
		for (k = 0; k < 256; k++) {
			r->size = (k & 1) ? 4000 : 60;
			if (!(k & 31))
				evt_notify(F.evt);
		}
		r->size = 60;
		tx_collect(&t, 0, 0);
	}
	tx_collect(&t, 1500, 0);
	did("posted %u frames for %d s, flipping each one's size 60<->4000 while notifying",
	    posted, F.secs);
	kv("posted", "%u", posted);
	tally_note("responses", &t);
	after_attack(1500);
	return 0;
}

/* ---- RX ------------------------------------------------------------- */

static void rx_post(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		netif_rx_request_t *r = &SLOT(F.rx, netif_rx, F.rx_prod)->req;

		r->id = (uint16_t)(F.rx_prod & (RING_ENTS(netif_rx) - 1));
		r->gref = F.rxref_buf[F.rx_prod % NRXBUF];
		F.rx_prod++;
	}
	wmb();
	WR_IDX(F.rx->req_prod, F.rx_prod);
	mb();
	if (n)
		evt_notify(F.evt);
}

static unsigned int rx_reap(void)
{
	RING_IDX prod = RD_IDX(F.rx->rsp_prod);
	unsigned int n = 0;

	rmb();
	if (prod - F.rx_cons > F.rx_prod - F.rx_cons)
		prod = F.rx_prod;
	while (F.rx_cons != prod) {
		F.rx_cons++;
		n++;
	}
	WR_IDX(F.rx->rsp_event, F.rx_cons + 1);
	mb();
	return n;
}

static int case_rx(const char *name)
{
	uint64_t end;
	unsigned int got = 0;

	need_connection(false, 0);
	end = now_ms() + (uint64_t)F.secs * 1000;
	if (!strcmp(name, "rx-no-buffers") || !strcmp(name, "rx-small-flood")) {
		while (now_ms() < end) {
			evt_wait(200);
			got += rx_reap();
		}
		did("connected without posting an RX buffer and waited %d s", F.secs);
		note("%u RX responses arrived (the ring had no requests)", got);
		kv("rx_posted", "0");
	} else {
		unsigned int posted = 0;

		while (now_ms() < end) {
			if (F.rx_prod == F.rx_cons) {
				rx_post(1);
				posted++;
			}
			evt_wait(100);
			got += rx_reap();
		}
		did("posted one RX buffer at a time for %d s", F.secs);
		note("%u posted, %u filled", posted, got);
		kv("rx_posted", "%u", posted);
	}
	kv("rx_filled", "%u", got);
	after_attack(1500);
	return 0;
}

/* ---- control ring ---------------------------------------------------- */

static const char *ctrl_status_name(long s)
{
	switch (s) {
	case XEN_NETIF_CTRL_STATUS_SUCCESS: return "SUCCESS";
	case XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED: return "NOT_SUPPORTED";
	case XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER: return "INVALID_PARAMETER";
	case XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW: return "BUFFER_OVERFLOW";
	case -1: return "NO_RESPONSE";
	}
	return "UNDEFINED";
}

/* Put one control request on the ring and notify the backend. */
static void ctrl_push(uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2)
{
	struct xen_netif_ctrl_request *r = &SLOT(F.ctrl, xen_netif_ctrl, F.ctrl_prod)->req;

	r->id = (uint16_t)F.ctrl_prod;
	r->type = type;
	r->data[0] = d0;
	r->data[1] = d1;
	r->data[2] = d2;
	F.ctrl_prod++;
	wmb();
	WR_IDX(F.ctrl->req_prod, F.ctrl_prod);
	mb();
	evt_notify(F.evt_ctrl);
}

static long ctrl_call(uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2)
{
	uint64_t end;

	ctrl_push(type, d0, d1, d2);
	end = now_ms() + 3000;
	while (RD_IDX(F.ctrl->rsp_prod) == F.ctrl_cons && now_ms() < end) {
		WR_IDX(F.ctrl->rsp_event, F.ctrl_cons + 1);
		mb();
		evt_wait(20);
	}
	if (RD_IDX(F.ctrl->rsp_prod) == F.ctrl_cons)
		return -1;
	rmb();
	{
		struct xen_netif_ctrl_response *p =
			&SLOT(F.ctrl, xen_netif_ctrl, F.ctrl_cons)->rsp;

		F.ctrl_cons = RD_IDX(F.ctrl->rsp_prod);
		return p->status;
	}
}

static int case_ctrl(const char *name)
{
	uint32_t *map;
	long s;
	unsigned int i;

	if (!fe_connect(true, 8))
		give_up();
	/* The data pages exist only once fe_connect() has shared them. */
	map = (uint32_t *)F.data[2];
	s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
		      XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0);
	note("SET_HASH_ALGORITHM toeplitz: %s", ctrl_status_name(s));
	kv("alg_status", "%s", ctrl_status_name(s));
	/*
	 * status (and status2) are the answers to the requests the case is
	 * about; those of the set-up requests before them have their own keys.
	 */
	if (!strcmp(name, "ctrl-key-long")) {
		memset(F.data[1], 0x5a, PG);
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, F.dref[1], 64, 0);
		did("SET_HASH_KEY of 64 bytes (max 40)");
		kv("status", "%s", ctrl_status_name(s));
	} else if (!strcmp(name, "ctrl-mapping-size")) {
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 4096, 0, 0);
		did("SET_HASH_MAPPING_SIZE 4096");
		kv("status", "%s", ctrl_status_name(s));
	} else if (!strcmp(name, "ctrl-mapping-queue")) {
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 128, 0, 0);
		note("SET_HASH_MAPPING_SIZE 128: %s", ctrl_status_name(s));
		kv("size_status", "%s", ctrl_status_name(s));
		for (i = 0; i < 16; i++)
			map[i] = 7;
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, F.dref[2], 16, 0);
		did("SET_HASH_MAPPING of 16 entries naming queue 7 (1 queue)");
		kv("status", "%s", ctrl_status_name(s));
	} else {
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 128, 0, 0);
		note("SET_HASH_MAPPING_SIZE 128: %s", ctrl_status_name(s));
		kv("size_status", "%s", ctrl_status_name(s));
		memset(map, 0, PG);
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, F.dref[2], 16, 120);
		kv("status", "%s", ctrl_status_name(s));
		s = ctrl_call(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, F.dref[2], 2048, 0);
		kv("status2", "%s", ctrl_status_name(s));
		did("SET_HASH_MAPPING offset 120 + 16 entries (status), then 2048 entries (status2), table 128");
	}
	after_attack(1500);
	return 0;
}

/*
 * ctrl-flood: keep the control ring full of cheap requests (type 0,
 * which no backend supports) for --secs, with rsp_event always asking
 * for a notification on the next response, so that the backend works
 * as hard as one guest can make it. Reports how many it answered.
 */
static int case_ctrl_flood(const char *name)
{
	const RING_IDX ents = RING_ENTS(xen_netif_ctrl);
	unsigned long posted = 0, answered = 0, other = 0, bad = 0;
	uint64_t start, end;
	RING_IDX rsp;

	(void)name;
	if (!fe_connect(true, 8))
		give_up();
	start = now_ms();
	end = start + (uint64_t)F.secs * 1000;
	while (now_ms() < end) {
		rsp = RD_IDX(F.ctrl->rsp_prod);
		if (rsp - F.ctrl_cons > F.ctrl_prod - F.ctrl_cons) {
			bad++;
			break;
		}
		rmb();
		for (; F.ctrl_cons != rsp; F.ctrl_cons++) {
			struct xen_netif_ctrl_response *p =
				&SLOT(F.ctrl, xen_netif_ctrl, F.ctrl_cons)->rsp;

			if (p->status != XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED)
				other++;
			answered++;
		}
		while (F.ctrl_prod - F.ctrl_cons < ents) {
			struct xen_netif_ctrl_request *r =
				&SLOT(F.ctrl, xen_netif_ctrl, F.ctrl_prod)->req;

			r->id = (uint16_t)F.ctrl_prod;
			r->type = XEN_NETIF_CTRL_TYPE_INVALID;
			r->data[0] = r->data[1] = r->data[2] = 0;
			F.ctrl_prod++;
			posted++;
		}
		wmb();
		WR_IDX(F.ctrl->req_prod, F.ctrl_prod);
		WR_IDX(F.ctrl->rsp_event, F.ctrl_cons + 1);
		mb();
		evt_notify(F.evt_ctrl);
	}
	did("kept the control ring full of type-0 requests for %d s: %lu posted, %lu answered (%lu/s)",
	    F.secs, posted, answered,
	    (unsigned long)(answered * 1000 / (now_ms() - start + 1)));
	/* Collect what is still outstanding (bounded), then ask once more. */
	end = now_ms() + 3000;
	while (!bad && F.ctrl_cons != F.ctrl_prod && now_ms() < end) {
		rsp = RD_IDX(F.ctrl->rsp_prod);
		if (rsp - F.ctrl_cons > F.ctrl_prod - F.ctrl_cons) {
			bad++;
			break;
		}
		rmb();
		if (rsp == F.ctrl_cons) {
			WR_IDX(F.ctrl->rsp_event, F.ctrl_cons + 1);
			mb();
			evt_wait(20);
			continue;
		}
		for (; F.ctrl_cons != rsp; F.ctrl_cons++) {
			if (SLOT(F.ctrl, xen_netif_ctrl, F.ctrl_cons)->rsp.status !=
			    XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED)
				other++;
			answered++;
		}
	}
	if (F.ctrl_cons != F.ctrl_prod)
		note("%u requests still unanswered 3 s after the flood",
		     F.ctrl_prod - F.ctrl_cons);
	else
		note("all %lu requests answered", answered);
	if (other)
		note("%lu answers were not NOT_SUPPORTED", other);
	if (bad)
		note("rsp_prod %u ran past the requests posted (%u)",
		     RD_IDX(F.ctrl->rsp_prod), F.ctrl_prod);
	kv("posted", "%lu", posted);
	kv("answered", "%lu", answered);
	kv("unexpected", "%lu", other);
	/* Does the ring still answer a real request once the flood stops? */
	if (!bad && F.ctrl_cons == F.ctrl_prod) {
		long st = ctrl_call(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0);

		note("GET_HASH_MAPPING_SIZE after the flood: %s", ctrl_status_name(st));
		kv("after_status", "%s", ctrl_status_name(st));
	} else {
		kv("after_status", "%s", ctrl_status_name(-1));
	}
	after_attack(3000);
	return 0;
}

/*
 * ctrl-probe (a helper, not a case): a well-behaved frontend that asks
 * its own control ring GET_HASH_MAPPING_SIZE every 20 ms for --secs,
 * while another vif of the same backend is attacked (60-hostile runs it
 * beside ctrl-flood). Prints "EVENT case=ctrl-probe event=ready" once
 * connected; reports how many calls it made, how many got no answer
 * within ctrl_call's 3 s, and the slowest answer.
 */
static int case_ctrl_probe(const char *name)
{
	unsigned long calls = 0, lost = 0, slow = 0, sum = 0;
	uint64_t end, t0, dt;
	long st;

	(void)name;
	if (!fe_connect(true, 8))
		give_up();
	event("ready", "control ring connected");
	end = now_ms() + (uint64_t)F.secs * 1000;
	while (now_ms() < end) {
		t0 = now_ms();
		st = ctrl_call(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0);
		dt = now_ms() - t0;
		calls++;
		if (st < 0)
			lost++;
		else
			sum += dt;
		if (dt > slow)
			slow = dt;
		msleep(20);
	}
	did("asked GET_HASH_MAPPING_SIZE %lu times in %d s: %lu unanswered, slowest %lu ms",
	    calls, F.secs, lost, slow);
	kv("calls", "%lu", calls);
	kv("unanswered", "%lu", lost);
	kv("max_ms", "%lu", slow);
	kv("avg_ms", "%lu", calls > lost ? sum / (calls - lost) : 0);
	outcome = lost ? "stopped" : "serves";
	return 0;
}

/*
 * xs-mcast-flood: rewrite request-multicast-control, a key the frontend
 * owns and the backend watches, in a tight loop (XSA-349
 * class: every write can queue a watch event in the backend's domain).
 *
 * First, as the control, the same loop on a key of the frontend's
 * directory that nothing watches (xs-flood-control), until dom0 writes
 * xs-flood-next there or --secs pass: xenstored is as busy in both
 * phases, and only the second one feeds a watch. The second phase ends
 * when dom0 writes xs-flood-stop or --secs pass. 60-hostile times
 * another guest's vif attach in each phase.
 */
static unsigned long mcast_flood_phase(const char *key, const char *until)
{
	uint64_t end = now_ms() + (uint64_t)F.secs * 1000;
	unsigned long n = 0;

	while (now_ms() < end) {
		xs_put(fpath(key), "%lu", n++ & 1);
		if (!(n % 16) && xs_exists(fpath(until)))
			break;
	}
	xs_rm(xs, XBT_NULL, fpath(key));
	return n;
}

static int case_mcast_flood(const char *name)
{
	unsigned long ctrl, n;
	uint64_t start, ms;

	(void)name;
	if (!fe_connect(false, 8))
		give_up();
	event("flooding", "rewriting xs-flood-control, which nothing watches");
	start = now_ms();
	ctrl = mcast_flood_phase("xs-flood-control", "xs-flood-next");
	note("rewrote xs-flood-control %lu times in %lu ms", ctrl,
	     (unsigned long)(now_ms() - start));
	event("flooding", "rewriting request-multicast-control");
	start = now_ms();
	n = mcast_flood_phase("request-multicast-control", "xs-flood-stop");
	ms = now_ms() - start;
	did("rewrote xs-flood-control %lu times, then request-multicast-control %lu times in %lu ms (%lu/s)",
	    ctrl, n, (unsigned long)ms, (unsigned long)(n * 1000 / (ms + 1)));
	kv("control_writes", "%lu", ctrl);
	kv("writes", "%lu", n);
	after_attack(3000);
	return 0;
}

/* ---- storms ------------------------------------------------------------ */

static int case_storm(const char *name)
{
	uint64_t start, end;
	unsigned long n = 0;

	if (!fe_connect(!strcmp(name, "evtchn-storm"), 8))
		give_up();
	start = now_ms();
	end = start + (uint64_t)F.secs * 1000;
	if (!strcmp(name, "evtchn-storm")) {
		while (now_ms() < end) {
			unsigned int k;

			for (k = 0; k < 64; k++) {
				evt_notify(F.evt);
				evt_notify(F.evt_ctrl);
				n += 2;
			}
		}
		did("sent %lu notifications on 2 channels in %d s (%lu/s)", n, F.secs,
		    (unsigned long)(n * 1000 / (now_ms() - start + 1)));
		kv("notifications", "%lu", n);
	} else {
		char key[64];

		while (now_ms() < end) {
			if ((n & 3) == 3) {
				xs_put(fpath("state"), "4");
			} else {
				snprintf(key, sizeof(key), "flood-%lu", n % 32);
				xs_put(fpath(key), "%lu", n);
			}
			n++;
		}
		did("made %lu xenstore writes under the frontend directory in %d s (%lu/s; every 4th rewrites state=4)",
		    n, F.secs, (unsigned long)(n * 1000 / (now_ms() - start + 1)));
		kv("writes", "%lu", n);
		for (n = 0; n < 32; n++) {
			snprintf(key, sizeof(key), "flood-%lu", n);
			xs_rm(xs, XBT_NULL, fpath(key));
		}
	}
	after_attack(3000);
	return 0;
}

/* ---- xenstore ------------------------------------------------------------ */

/* A grant reference that is not granted: shared once, then revoked. */
static grant_ref_t revoked_gref(void)
{
	int fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	struct {
		struct ioctl_gntalloc_alloc_gref a;
	} al;
	struct ioctl_gntalloc_dealloc_gref d;

	if (fd < 0)
		die("open gntalloc: %s", strerror(errno));
	memset(&al, 0, sizeof(al));
	al.a.domid = F.beid;
	al.a.count = 1;
	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &al.a))
		die("IOCTL_GNTALLOC_ALLOC_GREF: %s", strerror(errno));
	d.index = al.a.index;
	d.count = 1;
	if (ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d))
		die("IOCTL_GNTALLOC_DEALLOC_GREF: %s", strerror(errno));
	close(fd);
	return al.a.gref_ids[0];
}

static int case_xs(const char *name)
{
	long maxq;
	int st;

	wait_initwait();
	maxq = xs_get_int(1, "%s", bpath("multi-queue-max-queues"));
	if (!strcmp(name, "xs-connected-first")) {
		xs_put(fpath("state"), "4");
		did("wrote state=Connected with no ring keys");
	} else {
		fe_alloc(false);
		write_common_keys();
		if (!strcmp(name, "xs-queues-zero") || !strcmp(name, "xs-queues-over-max") ||
		    !strcmp(name, "xs-queues-nan")) {
			const char *v = !strcmp(name, "xs-queues-zero") ? "0" :
					!strcmp(name, "xs-queues-nan") ? "abc" : NULL;
			char buf[24];

			if (!v) {
				snprintf(buf, sizeof(buf), "%ld", maxq + 1);
				v = buf;
			}
			write_queue_keys("", F.txref, F.rxref, F.evt);
			write_queue_keys("queue-0", F.txref, F.rxref, F.evt);
			xs_put(fpath("multi-queue-num-queues"), "%s", v);
			did("multi-queue-num-queues=%s (backend max %ld), valid rings flat and in queue-0",
			     v, maxq);
		} else if (!strcmp(name, "xs-queue-keys-missing") ||
			   !strcmp(name, "xs-flat-and-queue")) {
			grant_ref_t tx2, rx2;
			int evt2 = evt_bind_unbound(F.beid);

			ring_new(&tx2);
			ring_new(&rx2);
			write_queue_keys("queue-0", F.txref, F.rxref, F.evt);
			if (!strcmp(name, "xs-queue-keys-missing")) {
				xs_put(fpath("queue-1/tx-ring-ref"), "%u", tx2);
				did("multi-queue-num-queues=2 (backend max %ld); queue-1 has only tx-ring-ref",
				     maxq);
			} else {
				write_queue_keys("queue-1", tx2, rx2, evt2);
				write_queue_keys("", F.txref, F.rxref, F.evt);
				did("multi-queue-num-queues=2 (backend max %ld) with queue-0/, queue-1/ and flat ring keys",
				     maxq);
			}
			xs_put(fpath("multi-queue-num-queues"), "2");
		} else if (!strcmp(name, "xs-ring-not-granted")) {
			grant_ref_t bad = revoked_gref();

			write_queue_keys("", bad, F.rxref, F.evt);
			did("tx-ring-ref=%u, a grant already revoked", bad);
		} else if (!strcmp(name, "xs-evtchn-unbound")) {
			int p = evt_bind_unbound(F.beid);

			evt_unbind(p);
			write_queue_keys("", F.txref, F.rxref, p);
			did("event-channel=%d, a port already closed", p);
		} else {
			return -1;
		}
		xs_put(fpath("state"), "4");
	}
	st = xs_wait_state(bpath("state"), 6000, 4, 5);
	kv("be_state", "%d", st);
	if (st == 4 && F.tx) {
		bool ok = tx_probe(1500);

		note(ok ? "backend Connected and answers TX" :
		     "backend Connected but does not answer TX");
		outcome = ok ? "serves" : "stopped";
	} else {
		note("backend state %s after 6 s", state_name(st));
		outcome = st == 4 ? "connected" : "refused";
	}
	return 0;
}

/* ---- fuzz ------------------------------------------------------------------ */

/*
 * rogue-front --fuzz SEED --count N: a correct connection (control ring
 * included), then N frames of which most are valid and the rest are
 * valid frames with one or two fields, chains or indices changed, picked
 * by the PRNG of hostile.h seeded from SEED. After every changed frame
 * and every --every valid ones, a probe frame must be answered OKAY;
 * when it is not, and no probe is answered --late milliseconds more
 * either (0 by default), the backend has stopped serving the vif: the
 * fuzzer records the iteration and the change, closes, starts over and
 * goes on (at most FZ_MAX_RECONNECTS times). An answer within --late
 * counts as late, not as a disable: a dom0 that is only slow (a debug
 * kernel while kmemleak scans) has not disabled anything. A backend that does not serve a
 * fresh connection, or whose control ring goes silent while the vif
 * still serves, has hung: that ends the run.
 */
enum fz_mut {
	FZ_VALID,
	FZ_ID,		/* a random request id */
	FZ_CSUM,	/* csum_blank / data_validated flipped */
	FZ_FLAGS,	/* more_data / extra_info flipped on one slot */
	FZ_SIZE,	/* one slot's size */
	FZ_OFFSET,	/* one slot's offset */
	FZ_GREF,	/* one slot's grant: not ours, a ring, 0 */
	FZ_SLOTS,	/* a chain of 2..24 slots */
	FZ_TOTAL,	/* the frame's size against the sum of its slots */
	FZ_EXTRA_TYPE,	/* an extra-info slot of any type 0..7 */
	FZ_EXTRA_CHAIN,	/* 1..8 chained extra-info slots */
	FZ_GSO,		/* GSO extra: type 0..3, odd sizes */
	FZ_MCAST,	/* multicast add/del extra, odd addresses, data */
	FZ_HASH,	/* hash extra: any type and value */
	FZ_TX_PROD,	/* tx req_prod published 1..8 ahead or behind */
	FZ_RX_REQ,	/* an RX buffer with a random grant or id */
	FZ_RX_PROD,	/* rx req_prod published 1..8 ahead or behind */
	FZ_CTRL,	/* a control-ring request: any type, odd data */
	FZ_NR
};

static const char *const fz_names[FZ_NR] = {
	"valid", "id", "csum", "flags", "size", "offset", "gref", "slots",
	"total", "extra-type", "extra-chain", "gso", "mcast", "hash",
	"tx-prod", "rx-req", "rx-prod", "ctrl",
};

/*
 * Each change has a soft form, which our netback takes without
 * disabling the vif (the frame is dropped or answered with an error,
 * Documentation/netback.rst), and some a hard one, which is meant to
 * be fatal (a slot past its page, more than fatal_skb_slots slots or
 * XNB_MAX_EXTRAS extras, unknown extra or GSO types, a multicast
 * request with data, indices that overrun). A change is hard
 * FZ_HARD_PCT per cent of the time, so that a run keeps most of its
 * frames on one connection: each disable costs a reconnection (~2 s).
 */
static const unsigned int fz_soft[FZ_NR] = {
	[FZ_ID] = 8, [FZ_CSUM] = 8, [FZ_FLAGS] = 2, [FZ_SIZE] = 3,
	[FZ_OFFSET] = 2, [FZ_GREF] = 6, [FZ_SLOTS] = 2, [FZ_TOTAL] = 5,
	[FZ_EXTRA_TYPE] = 1, [FZ_EXTRA_CHAIN] = 1, [FZ_GSO] = 2,
	[FZ_MCAST] = 5, [FZ_HASH] = 5, [FZ_RX_REQ] = 4,
	[FZ_RX_PROD] = 1, [FZ_CTRL] = 6,
};

static const unsigned int fz_hard[FZ_NR] = {
	[FZ_FLAGS] = 2, [FZ_SIZE] = 2, [FZ_OFFSET] = 2, [FZ_SLOTS] = 1,
	[FZ_EXTRA_TYPE] = 2, [FZ_EXTRA_CHAIN] = 1, [FZ_GSO] = 2,
	[FZ_MCAST] = 1, [FZ_TX_PROD] = 2,
};

#define FZ_HARD_PCT		2

#define FZ_MAX_RECONNECTS	128
#define FZ_PROBE_ID		0xfffe
#define FZ_MAX_SLOTS		24
#define FZ_MAX_EXTRAS		8

/* One frame before it goes on the ring. */
struct fz_frame {
	netif_tx_request_t slot[FZ_MAX_SLOTS];
	netif_extra_info_t extra[FZ_MAX_EXTRAS];
	unsigned int nslots, nextras;
};

static struct {
	int seed, count, every, late_ms;
	unsigned long it, sent, probes, answered, disabled, late, mutated;
	unsigned long first_it, hang_it, ctrl_sent, ctrl_answered;
	char first_mut[48], hang_mut[48], last[48];
	int first_state;
	bool hang, capped;
	char hang_why[96];
	uint16_t next_id;
	char what[48];		/* the current iteration's changes */
} Z;

/* What a changed request id is, never the probe's. */
static uint16_t fz_id(void)
{
	uint16_t id = (uint16_t)fz_next();

	return id == FZ_PROBE_ID ? id ^ 1 : id;
}

/* A valid frame of len bytes (data page 0) in 1..4 slots, sometimes
 * with checksum flags and a valid GSO or hash extra. */
static void fz_valid(struct fz_frame *f, unsigned int len)
{
	unsigned int k = fz_chance(30) ? 2 + fz_below(3) : 1;
	unsigned int off, i, piece;
	uint16_t flags = 0;

	if (fz_chance(50))
		flags |= NETTXF_csum_blank;
	else if (fz_chance(30))
		flags |= NETTXF_data_validated;
	memset(f, 0, sizeof(*f));
	/* The first slot keeps at least 60 bytes; the rest is split. */
	piece = (len - 60) / k;
	if (!piece)
		k = 1;
	off = len;
	for (i = k - 1; i >= 1; i--) {
		off -= piece;
		f->slot[i].gref = F.dref[0];
		f->slot[i].offset = (uint16_t)off;
		f->slot[i].size = (uint16_t)piece;
		f->slot[i].id = Z.next_id++ & 0x7fff;
	}
	f->slot[0].gref = F.dref[0];
	f->slot[0].offset = 0;
	f->slot[0].size = (uint16_t)len;
	f->slot[0].id = Z.next_id++ & 0x7fff;
	f->slot[0].flags = flags;
	for (i = 0; i + 1 < k; i++)
		f->slot[i].flags |= NETTXF_more_data;
	f->nslots = k;
	if (fz_chance(15)) {
		netif_extra_info_t *e = &f->extra[f->nextras++];

		e->type = XEN_NETIF_EXTRA_TYPE_GSO;
		e->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
		e->u.gso.size = (uint16_t)(536 + fz_below(913));
		f->slot[0].flags |= NETTXF_csum_blank;
	}
	if (fz_chance(10)) {
		netif_extra_info_t *e = &f->extra[f->nextras++];
		uint32_t v = (uint32_t)fz_next();

		e->type = XEN_NETIF_EXTRA_TYPE_HASH;
		e->u.hash.type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
		e->u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		memcpy(e->u.hash.value, &v, sizeof(v));
	}
}

static void fz_extra(struct fz_frame *f, uint8_t type)
{
	netif_extra_info_t *e;
	uint64_t r = fz_next();

	if (f->nextras >= FZ_MAX_EXTRAS)
		return;
	e = &f->extra[f->nextras++];
	memcpy(e, &r, sizeof(r));	/* 8 random bytes, then the type */
	e->type = type;
	e->flags = 0;
}

/* Change the frame (or the indices, after it is queued) as m says, in
 * its hard form when hard (see fz_soft and fz_hard). */
static void fz_mutate(struct fz_frame *f, enum fz_mut m, bool hard)
{
	netif_tx_request_t *s = &f->slot[fz_below(f->nslots)];
	static const uint16_t soft_sizes[] = { 0, 1, 13, 14, 59, 60 };
	static const uint16_t hard_sizes[] = { 4097, 8192, 65535 };
	unsigned int i, n;

	switch (m) {
	case FZ_ID:
		s->id = fz_id();
		break;
	case FZ_CSUM:
		f->slot[0].flags ^= fz_chance(50) ? NETTXF_csum_blank : NETTXF_data_validated;
		break;
	case FZ_FLAGS:
		if (hard) {
			/* A chain that runs on past the frame, or an
			 * extra-info slot that is a data request. */
			s->flags ^= fz_chance(50) ? NETTXF_more_data : NETTXF_extra_info;
		} else if (f->nslots > 1) {
			/* The frame ends early: its last slots make frames
			 * of their own, dropped or sent. */
			f->slot[fz_below(f->nslots - 1)].flags &= ~NETTXF_more_data;
		} else {
			f->slot[0].flags ^= NETTXF_data_validated;
		}
		break;
	case FZ_SIZE:
		if (hard)
			s->size = hard_sizes[fz_below(sizeof(hard_sizes) / sizeof(hard_sizes[0]))];
		else if (fz_chance(50))
			s->size = soft_sizes[fz_below(sizeof(soft_sizes) / sizeof(soft_sizes[0]))];
		else	/* Slots stay well inside the page (frames <= 1400). */
			s->size = (uint16_t)(s->size + fz_below(129) - 64);
		break;
	case FZ_OFFSET:
		/* A slot is at most a page: past it when hard, inside else. */
		s->offset = hard ? (uint16_t)(PG - s->size + 1 + fz_below(64)) :
			    (uint16_t)fz_below(PG - s->size + 1);
		break;
	case FZ_GREF:
		switch (fz_below(4)) {
		case 0: s->gref = fz_below(4096); break;
		case 1: s->gref = F.txref; break;
		case 2: s->gref = F.rxref_buf[fz_below(NRXBUF)]; break;
		default: s->gref = 0; break;
		}
		break;
	case FZ_SLOTS:
		/* Up to fatal_skb_slots (20; above 18 dropped), or more. */
		n = hard ? 21 + fz_below(FZ_MAX_SLOTS - 20) : 2 + fz_below(19);
		for (i = 0; i < n; i++) {
			f->slot[i].gref = F.dref[0];
			f->slot[i].offset = (uint16_t)((i * 60) % 4000);
			f->slot[i].size = 60;
			f->slot[i].id = Z.next_id++ & 0x7fff;
			f->slot[i].flags = i + 1 < n ? NETTXF_more_data : 0;
		}
		f->slot[0].size = (uint16_t)(n * 60);
		f->nslots = n;
		break;
	case FZ_TOTAL:
		n = 1 + fz_below(200);
		if (fz_chance(50))
			f->slot[0].size = (uint16_t)(f->slot[0].size + n);
		else	/* Smaller, never wrapping past 0. */
			f->slot[0].size = f->slot[0].size > n ? (uint16_t)(f->slot[0].size - n) :
					  (uint16_t)(f->slot[0].size / 2);
		break;
	case FZ_EXTRA_TYPE:
		if (hard) {
			/* NONE, types past XDP, or a GSO extra of random bytes. */
			static const uint8_t types[] = { 0, 6, 7, XEN_NETIF_EXTRA_TYPE_GSO };

			fz_extra(f, types[fz_below(sizeof(types) / sizeof(types[0]))]);
		} else if (f->nslots == 1 && fz_chance(50)) {
			/* A multicast request of random bytes (no data). */
			f->slot[0].flags &= ~NETTXF_more_data;
			fz_extra(f, fz_chance(50) ? XEN_NETIF_EXTRA_TYPE_MCAST_ADD :
				    XEN_NETIF_EXTRA_TYPE_MCAST_DEL);
		} else {
			fz_extra(f, fz_chance(50) ? XEN_NETIF_EXTRA_TYPE_HASH :
				    5 /* XEN_NETIF_EXTRA_TYPE_XDP */);
		}
		break;
	case FZ_EXTRA_CHAIN:
		/* Up to XNB_MAX_EXTRAS (5), or more. */
		f->nextras = 0;
		n = hard ? 6 + fz_below(FZ_MAX_EXTRAS - 5) : 1 + fz_below(5);
		for (i = 0; i < n; i++) {
			fz_extra(f, fz_chance(50) ? XEN_NETIF_EXTRA_TYPE_GSO :
				    XEN_NETIF_EXTRA_TYPE_HASH);
			f->extra[i].u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
			f->extra[i].u.gso.size = 1000;
		}
		break;
	case FZ_GSO:
		fz_extra(f, XEN_NETIF_EXTRA_TYPE_GSO);
		if (hard && fz_chance(50)) {
			/* Types NONE and 3, any size. */
			f->extra[f->nextras - 1].u.gso.type = fz_chance(50) ? 0 : 3;
			f->extra[f->nextras - 1].u.gso.size = (uint16_t)fz_next();
		} else if (hard) {
			f->extra[f->nextras - 1].u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
			f->extra[f->nextras - 1].u.gso.size = 0;
		} else {
			/* A known type, odd sizes. */
			f->extra[f->nextras - 1].u.gso.type = fz_chance(50) ?
				XEN_NETIF_GSO_TYPE_TCPV4 : XEN_NETIF_GSO_TYPE_TCPV6;
			f->extra[f->nextras - 1].u.gso.size = fz_chance(50) ?
				(uint16_t)(1 + fz_below(2)) : (uint16_t)(1 + fz_below(0xffff));
		}
		f->slot[0].flags |= fz_chance(80) ? NETTXF_csum_blank : 0;
		break;
	case FZ_MCAST: {
		netif_extra_info_t *e;

		f->nextras = 0;
		fz_extra(f, fz_chance(60) ? XEN_NETIF_EXTRA_TYPE_MCAST_ADD :
			    XEN_NETIF_EXTRA_TYPE_MCAST_DEL);
		e = &f->extra[0];
		/* Mostly a multicast address from a small set, so that adds
		 * and deletes meet; sometimes a unicast one. */
		e->u.mcast.addr[0] = fz_chance(85) ? 0x01 : 0x02;
		e->u.mcast.addr[1] = 0x00;
		e->u.mcast.addr[2] = 0x5e;
		e->u.mcast.addr[3] = 0x00;
		e->u.mcast.addr[4] = 0x00;
		e->u.mcast.addr[5] = (uint8_t)fz_below(80);
		if (hard) {
			/* A request that carries data: two slots at least. */
			if (f->nslots == 1) {
				f->slot[1] = f->slot[0];
				f->slot[1].flags = 0;
				f->slot[1].id = Z.next_id++ & 0x7fff;
				f->nslots = 2;
			}
			f->slot[0].flags |= NETTXF_more_data;
		} else {
			f->nslots = 1;
			f->slot[0].flags &= ~NETTXF_more_data;
			f->slot[0].size = fz_chance(50) ? 0 : f->slot[0].size;
		}
		break;
	}
	case FZ_HASH:
		fz_extra(f, XEN_NETIF_EXTRA_TYPE_HASH);
		f->extra[f->nextras - 1].u.hash.type = (uint8_t)fz_below(8);
		break;
	default:
		/* Index and control changes: fz_send() and fz_ctrl(). */
		break;
	}
}

/* Put the frame on the tx ring (extras after its first slot). */
static void fz_queue(const struct fz_frame *f)
{
	unsigned int i;

	for (i = 0; i < f->nslots; i++) {
		netif_tx_request_t r = f->slot[i];

		if (i == 0 && f->nextras)
			r.flags |= NETTXF_extra_info;
		*tx_slot(F.tx_prod++) = r;
		if (i == 0) {
			unsigned int j;

			for (j = 0; j < f->nextras; j++) {
				netif_extra_info_t e = f->extra[j];

				if (j + 1 < f->nextras)
					e.flags |= XEN_NETIF_EXTRA_FLAG_MORE;
				memcpy(tx_slot(F.tx_prod++), &e, sizeof(e));
			}
		}
	}
}

/* Publish a producer index d slots off ours (ahead or behind), then
 * ours again a moment later. Slots ahead hold what an earlier lap left
 * there: once the backend may have read them, they count as sent. */
static void fz_prod_jump(RING_IDX *prod, RING_IDX *shared, int evt)
{
	int d = (int)fz_below(8) + 1;

	if (fz_chance(50))
		d = -d;
	wmb();
	WR_IDX(*shared, *prod + (RING_IDX)d);
	mb();
	evt_notify(evt);
	if (d > 0) {
		*prod += (RING_IDX)d;
		return;
	}
	msleep(5);
	WR_IDX(*shared, *prod);
	mb();
	evt_notify(evt);
}

/* Take the TX responses that are there; true when one is the probe's
 * and OKAY. */
static bool fz_tx_reap(void)
{
	RING_IDX prod = RD_IDX(F.tx->rsp_prod);
	bool probe = false;

	rmb();
	if (prod - F.tx_cons > F.tx_prod - F.tx_cons)
		prod = F.tx_prod;
	while (F.tx_cons != prod) {
		netif_tx_response_t *r = &SLOT(F.tx, netif_tx, F.tx_cons++)->rsp;

		if (r->id == FZ_PROBE_ID && r->status == NETIF_RSP_OKAY)
			probe = true;
	}
	WR_IDX(F.tx->rsp_event, F.tx_cons + 1);
	mb();
	return probe;
}

/* Keep RX buffers posted: take the filled ones, post as many again. */
static void fz_rx_keep(void)
{
	unsigned int n = rx_reap();

	if (n)
		rx_post(n);
}

/* Put a valid probe frame on the ring: false when there is no room. */
static bool fz_probe_send(void)
{
	Z.probes++;
	if (F.tx_prod - F.tx_cons >= RING_ENTS(netif_tx) - 1)
		return false;
	build_frame(60);
	tx_put(F.dref[0], 0, 0, FZ_PROBE_ID, 60);
	tx_push();
	return true;
}

/* A valid probe frame must be answered OKAY within ms. */
static bool fz_probe(unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	/* Room for one more request, or no answer can come. */
	if (!fz_probe_send())
		return false;
	do {
		if (fz_tx_reap()) {
			Z.answered++;
			return true;
		}
		evt_wait(10);
	} while (now_ms() < end);
	return false;
}

/*
 * After an unanswered probe: is a probe (that one, or a new one once
 * the ring has room) answered within --late ms after all?
 */
static bool fz_late(void)
{
	uint64_t end = now_ms() + (uint64_t)Z.late_ms;
	bool sent = false;

	while (now_ms() < end) {
		if (fz_tx_reap()) {
			Z.answered++;
			Z.late++;
			event("late", "iter=%lu mut=%s", Z.it, Z.last);
			return true;
		}
		if (!sent && F.tx_prod - F.tx_cons < RING_ENTS(netif_tx) - 1)
			sent = fz_probe_send();
		evt_wait(10);
	}
	return false;
}

/* A control request with bounded wait: its status, or -1. */
static long fz_ctrl_call(uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2,
			 unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	RING_IDX prod;

	ctrl_push(type, d0, d1, d2);
	for (;;) {
		prod = RD_IDX(F.ctrl->rsp_prod);
		if (prod - F.ctrl_cons <= F.ctrl_prod - F.ctrl_cons && prod == F.ctrl_prod)
			break;
		if (now_ms() >= end)
			return -1;
		WR_IDX(F.ctrl->rsp_event, F.ctrl_cons + 1);
		mb();
		evt_wait(10);
	}
	rmb();
	F.ctrl_cons = prod;
	return SLOT(F.ctrl, xen_netif_ctrl, prod - 1)->rsp.status;
}

/* A control request of any type 0..9 with data that is sometimes
 * valid: the key and mapping pages, small sizes and offsets. */
static bool fz_ctrl(void)
{
	uint32_t d[3], *map = (uint32_t *)F.data[2];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		switch (fz_below(4)) {
		case 0: d[i] = i == 0 ? F.dref[1 + fz_below(2)] : fz_below(3); break;
		case 1: d[i] = fz_below(300); break;
		case 2: d[i] = (uint32_t)fz_next(); break;
		default: d[i] = 1u << fz_below(32); break;
		}
	}
	for (i = 0; i < 16; i++)
		map[i] = fz_below(3);
	Z.ctrl_sent++;
	if (fz_ctrl_call((uint16_t)fz_below(10), d[0], d[1], d[2], 1000) < 0)
		return false;
	Z.ctrl_answered++;
	return true;
}

/* One iteration: a frame (or control request) made from the PRNG. */
static enum fz_mut fz_send(bool *ctrl_silent)
{
	enum fz_mut m = FZ_VALID, m2 = FZ_VALID;
	bool hard = false;
	struct fz_frame f;
	unsigned int len = 60 + fz_below(1341);

	*ctrl_silent = false;
	if (fz_chance(15)) {
		hard = fz_chance(FZ_HARD_PCT);
		m = (enum fz_mut)fz_weighted(hard ? fz_hard : fz_soft, FZ_NR);
		/* Now and then a second (soft) field change on top. */
		if (!hard && m <= FZ_GREF && fz_chance(20))
			m2 = (enum fz_mut)(1 + fz_below(FZ_GREF));
	}
	build_frame(len);
	fz_valid(&f, len);
	fz_mutate(&f, m, hard);
	fz_mutate(&f, m2, false);
	if (m2 != FZ_VALID)
		snprintf(Z.what, sizeof(Z.what), "%s+%s", fz_names[m], fz_names[m2]);
	else
		snprintf(Z.what, sizeof(Z.what), "%s%s", hard ? "hard-" : "", fz_names[m]);
	if (Z.capped && m != FZ_VALID) {
		/* Out of reconnections: the change is drawn, not sent. */
		fz_valid(&f, len);
		snprintf(Z.what, sizeof(Z.what), "valid(capped)");
		m = FZ_VALID;
	}
	switch (m) {
	case FZ_CTRL:
		*ctrl_silent = !fz_ctrl();
		return m;
	case FZ_RX_REQ: {
		netif_rx_request_t *r = &SLOT(F.rx, netif_rx, F.rx_prod)->req;

		r->id = fz_id();
		r->gref = fz_chance(50) ? fz_below(4096) : F.txref;
		F.rx_prod++;
		wmb();
		WR_IDX(F.rx->req_prod, F.rx_prod);
		mb();
		evt_notify(F.evt);
		break;
	}
	case FZ_RX_PROD:
		fz_prod_jump(&F.rx_prod, &F.rx->req_prod, F.evt);
		break;
	default:
		break;
	}
	fz_queue(&f);
	if (m == FZ_TX_PROD)
		fz_prod_jump(&F.tx_prod, &F.tx->req_prod, F.evt);
	else
		tx_push();
	return m;
}

static void fz_hang(const char *mut, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fz_hang(const char *mut, const char *fmt, ...)
{
	va_list ap;

	Z.hang = true;
	Z.hang_it = Z.it;
	snprintf(Z.hang_mut, sizeof(Z.hang_mut), "%s", mut);
	va_start(ap, fmt);
	vsnprintf(Z.hang_why, sizeof(Z.hang_why), fmt, ap);
	va_end(ap);
	event("hang", "iter=%lu mut=%s", Z.it, mut);
}

/*
 * The probe was not answered, nor one within --late after it: the vif
 * is disabled. Record it, close
 * and connect again (the backend must come back to InitWait, connect
 * and answer a probe: otherwise it hangs). False when the run ends.
 */
static bool fz_disabled(const char *mut)
{
	int st;

	if (fz_late())
		return true;
	st = be_state();
	Z.disabled++;
	if (Z.disabled == 1) {
		Z.first_it = Z.it;
		snprintf(Z.first_mut, sizeof(Z.first_mut), "%s", mut);
		Z.first_state = st;
	}
	event("disabled", "iter=%lu mut=%s be_state=%d", Z.it, mut, st);
	if (Z.disabled > FZ_MAX_RECONNECTS) {
		/* Should not happen: capped changes are not sent. */
		fz_hang(mut, "more than %d disables", FZ_MAX_RECONNECTS);
		return false;
	}
	fe_close();
	fe_release();
	st = xs_wait_state(bpath("state"), 15000, 2, 2);
	if (st != 2) {
		fz_hang(mut, "backend %s, not InitWait, after the frontend closed",
			state_name(st));
		return false;
	}
	st = fe_connect_quiet(true, 8);
	if (st != 4) {
		fz_hang(mut, "backend %s, not Connected, on a new connection",
			state_name(st));
		return false;
	}
	if (!fz_probe(3000)) {
		fz_hang(mut, "a new connection is not served");
		return false;
	}
	if (Z.disabled == FZ_MAX_RECONNECTS) {
		Z.capped = true;
		event("capped", "iter=%lu reconnects=%lu", Z.it, Z.disabled);
	}
	return true;
}

static int case_fuzz(const char *name)
{
	uint64_t start, end;
	enum fz_mut m;
	bool ctrl_silent, ok;
	unsigned long last_it = 0;

	(void)name;
	if (Z.count <= 0 || Z.every <= 0 || Z.late_ms < 0)
		die("--count and --every must be positive, --late not negative");
	fz_seed((uint64_t)(uint32_t)Z.seed);
	strcpy(Z.first_mut, "none");
	strcpy(Z.hang_mut, "none");
	strcpy(Z.last, "none");
	Z.first_state = -1;
	if (!fe_connect(true, 8))
		give_up();
	if (!fz_probe(3000)) {
		note("a valid frame got no OKAY before the first change");
		kv("preprobe", "none");
		outcome = "stopped";
		return 0;
	}
	event("fuzzing", "seed=%d count=%d every=%d", Z.seed, Z.count, Z.every);
	start = now_ms();
	end = start + (uint64_t)F.secs * 1000;
	for (Z.it = 0; Z.sent < (unsigned long)Z.count && now_ms() < end; Z.it++) {
		/* Room for the largest frame, or the backend stopped taking them. */
		if (F.tx_prod - F.tx_cons > RING_ENTS(netif_tx) - 40) {
			uint64_t t = now_ms() + 1000;

			while (F.tx_prod - F.tx_cons > RING_ENTS(netif_tx) - 40 && now_ms() < t) {
				fz_tx_reap();
				evt_wait(10);
			}
			if (F.tx_prod - F.tx_cons > RING_ENTS(netif_tx) - 40 &&
			    !fz_probe(1000) && !fz_disabled(Z.last))
				break;
		}
		m = fz_send(&ctrl_silent);
		Z.sent++;
		if (m != FZ_VALID) {
			Z.mutated++;
			snprintf(Z.last, sizeof(Z.last), "%s", Z.what);
			last_it = Z.it;
		}
		fz_tx_reap();
		fz_rx_keep();
		/* Probe after every change, and every --every frames. */
		if (m == FZ_VALID && (Z.it + 1) % (unsigned long)Z.every)
			continue;
		ok = fz_probe(1000);
		if (ok && ctrl_silent) {
			fz_hang(Z.what, "the control ring did not answer while the vif serves");
			break;
		}
		if (!ok && !fz_disabled(m != FZ_VALID ? Z.what : Z.last))
			break;
	}
	/* The last word: does the vif still serve? */
	if (!Z.hang && !fz_probe(1500)) {
		unsigned long before = Z.disabled;

		if (fz_disabled(Z.last) && Z.disabled > before)
			note("the vif was disabled after the last frame");
	}
	did("fuzzed with seed %d: %lu frames in %lu ms (%lu changed), %lu probes answered of %lu (%lu late), disabled %lu times%s",
	    Z.seed, Z.sent, (unsigned long)(now_ms() - start), Z.mutated, Z.answered,
	    Z.probes, Z.late, Z.disabled, Z.capped ? " (capped: later changes drawn, not sent)" : "");
	if (Z.sent < (unsigned long)Z.count && !Z.hang)
		note("stopped at the time limit of %d s", F.secs);
	if (Z.disabled)
		note("first disabled at iteration %lu after %s (backend %s)", Z.first_it,
		     Z.first_mut, state_name(Z.first_state));
	if (Z.hang)
		note("HANG at iteration %lu after %s: %s (last change: %s at iteration %lu)",
		     Z.hang_it, Z.hang_mut, Z.hang_why, Z.last, last_it);
	note("control requests answered %lu of %lu", Z.ctrl_answered, Z.ctrl_sent);
	kv("seed", "%d", Z.seed);
	kv("count", "%lu", Z.sent);
	kv("want", "%d", Z.count);
	kv("mutated", "%lu", Z.mutated);
	kv("probes", "%lu", Z.probes);
	kv("answered", "%lu", Z.answered);
	kv("disabled", "%lu", Z.disabled);
	kv("late", "%lu", Z.late);
	kv("first_disable_iter", "%ld", Z.disabled ? (long)Z.first_it : -1L);
	kv("first_disable_mut", "%s", Z.first_mut);
	kv("hang", "%d", Z.hang);
	kv("hang_iter", "%ld", Z.hang ? (long)Z.hang_it : -1L);
	kv("hang_mut", "%s", Z.hang_mut);
	kv("capped", "%d", Z.capped);
	kv("be_state", "%d", be_state());
	outcome = Z.hang ? "hang" : "fuzzed";
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

/*
 * The cases, with our netback's documented reaction (expect; see
 * Documentation/netback.rst and Documentation/hostile.rst), which
 * 60-hostile checks:
 *   error   an error node is written and the vif does not connect
 *           (for xs-queues-*, the error names the queue count)
 *   fatal   "frontend error, vif disabled" is logged and the vif stops
 *           serving (outcome=stopped)
 *   drop    rx_drops rises and the vif still serves (outcome=serves)
 *   serve   the vif still serves, nothing disabled
 *   drain   serve, and frames for the guest older than the drain
 *           timeout were dropped (the vif's tx_dropped rose)
 *   ctrl=S  every answer the case is about (status, status2) is S
 *   capped  drain, and the frames dom0 holds for the guest stay within
 *           the guest-RX cap (sk_buffs counted during the flood)
 *   serve-other  serve, and ctrl-probe on another vif of the same
 *           backend got every answer, none slower than 1 s
 *   watch   serve, and another guest's vif attach during the flood
 *           takes at most twice the time of one without it
 *   fatal-each  fatal on each of the 11 vifs at once, each one logged
 *   any     nothing asked beyond staying up
 */
static const struct hcase cases[] = {
	{ "xs-queues-zero", "error", "multi-queue-num-queues = 0", case_xs },
	{ "xs-queues-over-max", "error", "multi-queue-num-queues above the backend's maximum", case_xs },
	{ "xs-queues-nan", "error", "multi-queue-num-queues not a number", case_xs },
	{ "xs-queue-keys-missing", "error", "2 queues, queue-1 without rx-ring-ref/event-channel", case_xs },
	{ "xs-flat-and-queue", "any", "2 queues, ring keys both flat and in queue-N/", case_xs },
	{ "xs-ring-not-granted", "error", "tx-ring-ref that is not granted", case_xs },
	{ "xs-evtchn-unbound", "error", "event-channel that is not bound", case_xs },
	{ "xs-connected-first", "error", "state Connected before any key", case_xs },
	{ "tx-zero-frag", "serve", "a zero-length fragment", case_tx },
	{ "tx-size-lt-first", "drop", "total size smaller than the slots carry", case_tx },
	{ "tx-slots-19", "drop", "19 slots (drop range)", case_tx },
	{ "tx-too-many-slots", "fatal", "21 slots, more than fatal_skb_slots", case_tx },
	{ "tx-offset-past-page", "fatal", "offset + size past the page", case_tx },
	{ "tx-id-reuse", "serve", "one request id used three times while pending", case_tx },
	{ "tx-extra-unknown", "fatal", "extra-info of unknown type", case_tx },
	{ "tx-gso-type-unknown", "fatal", "GSO extra with unknown GSO type", case_tx },
	{ "tx-gso-size-zero", "fatal", "GSO extra with size 0", case_tx },
	{ "tx-gso-size-big", "any", "GSO size larger than the packet", case_tx },
	{ "tx-extra-no-end", "fatal", "8 chained extra-info slots", case_tx },
	{ "tx-ring-overflow", "fatal", "req_prod more than a ring ahead", case_tx },
	{ "tx-double-fetch", "any", "request size flipped after publishing (--secs)", case_double_fetch },
	{ "rx-no-buffers", "drain", "never post RX buffers (--secs)", case_rx },
	{ "rx-one-slot", "serve", "post one RX buffer at a time (--secs)", case_rx },
	{ "rx-small-flood", "capped", "never post RX buffers while dom0 floods 64-byte frames (--secs)", case_rx },
	{ "ctrl-key-long", "ctrl=BUFFER_OVERFLOW", "hash key longer than 40 bytes", case_ctrl },
	{ "ctrl-mapping-size", "ctrl=INVALID_PARAMETER", "hash mapping size above the maximum", case_ctrl },
	{ "ctrl-mapping-queue", "ctrl=INVALID_PARAMETER", "mapping entry naming a queue that does not exist", case_ctrl },
	{ "ctrl-mapping-range", "ctrl=INVALID_PARAMETER", "mapping offset + length past the table", case_ctrl },
	{ "ctrl-flood", "serve-other", "keep the control ring full of type-0 requests (--secs)", case_ctrl_flood },
	{ "ctrl-probe", "helper", "ask the control ring every 20 ms (--secs), beside ctrl-flood", case_ctrl_probe },
	{ "evtchn-storm", "serve", "notify every channel in a loop (--secs)", case_storm },
	{ "xenstore-flood", "serve", "write under the device directory in a loop (--secs)", case_storm },
	{ "xs-mcast-flood", "watch", "rewrite an unwatched key, then request-multicast-control, each until dom0 says (--secs at most)", case_mcast_flood },
	{ "fatal-many-vifs", "fatal-each", "11 vifs send a slot past its page at once", case_tx },
	{ "fuzz", "helper", "--fuzz SEED --count N: seeded structured fuzzing (--secs bounds it)", case_fuzz },
};

int main(int argc, char **argv)
{
	const struct hopt opts[] = {
		{ "devid", &F.devid, false },
		{ "secs", &F.secs, false },
		{ "fuzz", &Z.seed, false },
		{ "count", &Z.count, false },
		{ "every", &Z.every, false },
		{ "late", &Z.late_ms, false },
		{ NULL, NULL, false },
	};
	const struct hcase *c;
	char where[48];
	int rc;

	F.secs = -1;
	Z.seed = 1;
	Z.every = 64;
	c = hostile_args(argc, argv, "rogue-front", cases, sizeof(cases) / sizeof(cases[0]),
			 opts, "rogue-front --list | CASE [--devid N] [--secs S] | --fuzz SEED --count N [--every K] [--late MS] [--devid N] [--secs S]");
	if (F.secs < 0)
		F.secs = c->fn == case_fuzz ? 600 : 5;
	fe_open();
	rc = c->fn(c->name);
	snprintf(where, sizeof(where), "vif %d/%d", F.self, F.devid);
	result(where, outcome, "%s", reason);
	fe_close();
	return rc < 0 ? 2 : 0;
}
