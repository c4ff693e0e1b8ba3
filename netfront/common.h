/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen multi-queue paravirtual network frontend: shared definitions.
 *
 * Layout of the driver:
 *   main.c     module parameters, net_device ops, xenbus probe/remove
 *   xenbus.c   backend state machine, XenStore negotiation, queue
 *              set-up and teardown
 *   tx.c       transmit path and transmit completion
 *   rx.c       receive buffer refill, NAPI poll, event channel handlers
 *   ethtool.c  ethtool operations and counters
 *   xdp.c      XDP programs: attaching, running them on received frames
 */
#ifndef XNF_COMMON_H
#define XNF_COMMON_H

#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <net/xdp.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/io/netif.h>

#ifndef XNET_PUBLIC_IO_NETIF_H
#error "the project's include/xen/interface/io/netif.h must shadow the kernel's copy"
#endif

#define XNF_DRV_NAME		"xen-netfront"
/* KBUILD_MODNAME carries the subdirectory in this out-of-tree build. */
#define XNF_MOD_NAME		"xen_netfront"

/* Both rings occupy exactly one Xen page. */
#define XNF_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, XEN_PAGE_SIZE)
#define XNF_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, XEN_PAGE_SIZE)

/*
 * Transmit limits. A backend only has to accept XEN_NETIF_NR_SLOTS_MIN
 * data slots per packet; the Linux backend drops anything longer and
 * treats a much longer chain as hostile. A packet may add one GSO
 * extra-info slot.
 */
#define XNF_TX_MAX_DATA_SLOTS	XEN_NETIF_NR_SLOTS_MIN
#define XNF_TX_MAX_PKT_SLOTS	(XNF_TX_MAX_DATA_SLOTS + 1)
/* Stop the queue when fewer free slots remain than one worst-case packet. */
#define XNF_TX_STOP_THRESH	XNF_TX_MAX_PKT_SLOTS
/* Wake it again once there is room for a burst, not just one packet. */
#define XNF_TX_WAKE_THRESH	(XNF_TX_STOP_THRESH + 32)

/*
 * Receive limits. A 64 KiB packet copied by the backend spans at most
 * 17 pages; allow one more. Anything longer is a protocol violation.
 */
#define XNF_RX_MAX_DATA_SLOTS	(XEN_NETIF_NR_SLOTS_MIN + 1)
#define XNF_RX_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)
#define XNF_RX_MAX_PKT_SLOTS	(XNF_RX_MAX_DATA_SLOTS + XNF_RX_MAX_EXTRAS)
/* Buffers are posted in batches of at least this many. */
#define XNF_RX_REFILL_BATCH	32
/* Packets up to this size are copied whole into the skb head. */
#define XNF_RX_COPYBREAK	256
/* Most header bytes copied into the skb head of a larger packet. */
#define XNF_RX_HDR_MAX		256

/*
 * Tries of a xenstore transaction that keeps conflicting (-EAGAIN): a
 * backend in dom0 can write our directory and so make every commit
 * fail; after this many the device gives up instead of retrying for
 * ever.
 */
#define XNF_XS_TRIES		16
#define XNF_MAX_QUEUES_DEFAULT	8
#define XNF_MAX_QUEUES_LIMIT	64

/*
 * XDP. Received frames are handed to a program in their receive page
 * with XDP_PACKET_HEADROOM bytes in front of them (the headroom the
 * backend is asked to leave; without it the frame is moved) and room
 * for a struct skb_shared_info behind them, so that a frame redirected
 * elsewhere can become an skb in place. That bounds the frame, and the
 * MTU an interface with a program may have. XNF_XDP_MAX_MTU is a
 * literal so that the refusal message can quote it; the build checks
 * that it fits.
 */
#define XNF_XDP_HEADROOM	XDP_PACKET_HEADROOM
#define XNF_XDP_MAX_FRAME	(PAGE_SIZE - XNF_XDP_HEADROOM - \
				 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
#define XNF_XDP_MAX_MTU		3500

#define XNF_QNAME_LEN		(IFNAMSIZ + 8)
#define XNF_IRQNAME_LEN		(XNF_QNAME_LEN + 4)

/* Bits in xnf_info.flags. */
#define XNF_FLAG_BROKEN		0	/* backend violated the protocol */

/* Offloads the backend advertised (xnf_info.be_features). */
#define XNF_BE_SG		BIT(0)
#define XNF_BE_GSO_TCPV4	BIT(1)
#define XNF_BE_GSO_TCPV6	BIT(2)
#define XNF_BE_IPV6_CSUM	BIT(3)
#define XNF_BE_NO_CSUM		BIT(4)
#define XNF_BE_XDP_HEADROOM	BIT(5)
#define XNF_BE_CTRL_RING	BIT(6)

/* RSS through the control ring: Toeplitz key and mapping table sizes. */
#define XNF_RSS_KEY_LEN		40
#define XNF_RSS_INDIR_MAX	128

/*
 * Per-queue transmit counters; written only under the TX queue lock.
 * ethtool.c reads them into struct xnf_stats.
 */
struct xnf_tx_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;		/* placed on the ring */
	u64_stats_t bytes;		/* bytes placed on the ring */
	u64_stats_t drops;		/* dropped before reaching the ring */
	u64_stats_t errors;		/* answered by the backend with an error */
	u64_stats_t linearized;		/* copied flat to fit the slot limit */
	u64_stats_t bounced;		/* copied into a fresh page */
	u64_stats_t stopped;		/* times a full ring stopped the queue */
	u64_stats_t xdp_xmit;		/* XDP frames redirected here, sent */
	u64_stats_t xdp_xmit_errors;	/* XDP frames redirected here, refused */
};

/* Per-queue receive counters; written only from the queue's NAPI. */
struct xnf_rx_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;		/* handed to the stack */
	u64_stats_t bytes;		/* bytes of those, L2 header included */
	u64_stats_t drops;		/* dropped for lack of memory */
	u64_stats_t errors;		/* malformed or error status: dropped */
	u64_stats_t csum_fixups;	/* GSO packets, checksum state repaired */
	u64_stats_t hashed;		/* with the backend's hash (extra-info) */
	u64_stats_t alloc_failed;	/* receive buffer allocations failed */
	u64_stats_t xdp_passed;		/* the XDP program passed to the stack */
	u64_stats_t xdp_dropped;	/* it dropped (XDP_DROP) */
	u64_stats_t xdp_tx;		/* it sent back out (XDP_TX) */
	u64_stats_t xdp_redirect;	/* it redirected (XDP_REDIRECT) */
	u64_stats_t xdp_aborted;	/* XDP_ABORTED or an undefined action */
	u64_stats_t xdp_errors;		/* the program could not see them, or
					 * their XDP_TX or XDP_REDIRECT failed:
					 * dropped
					 */
};

/*
 * One transmit request id. Ids index this array and are handed out from
 * xnf_queue.tx_free; each owns one grant reference for the life of the
 * connection. A busy id carries part of an skb, or a whole XDP frame
 * (which always fits one request), or a copy of one in its own page.
 */
struct xnf_tx_slot {
	struct sk_buff *skb;	/* packet this slot carries part of, or NULL */
	struct xdp_frame *xdpf;	/* XDP frame it carries, or NULL */
	struct page *copy;	/* page holding a copied XDP frame, or NULL */
	grant_ref_t gref;	/* grant reference owned by this id */
	bool published;		/* request is visible to the backend */
};

/*
 * One receive ring position. Position p of the ring always uses
 * rx_slots[p % XNF_RX_RING_SIZE] and carries that number as its id.
 */
struct xnf_rx_slot {
	struct page *page;	/* buffer page, or NULL; kept as a spare when unused */
	grant_ref_t gref;	/* grant reference owned by this position */
	bool granted;		/* page is currently granted to the backend */
};

struct xnf_info;

/*
 * One queue: a TX ring and an RX ring with their grants, event
 * channel(s) and NAPI context.
 *
 * Transmit state is serialised by the lock of the matching netdev TX
 * queue: the core holds it around ndo_start_xmit, the completion path in
 * NAPI takes it with __netif_tx_lock(), and the TX event handler only
 * ever tries it (it then reaps in hard irq context, or leaves the work to
 * NAPI when the lock is busy). Receive state belongs to
 * the queue's NAPI context and needs no lock: it is only touched
 * elsewhere while NAPI is disabled (connect and teardown).
 */
struct xnf_queue {
	/* Read-mostly: set up once per connection. */
	struct xnf_info *info;		/* device this queue belongs to */
	struct net_device *netdev;	/* same as info->netdev */
	unsigned int id;		/* queue number, 0-based */
	domid_t backend_id;		/* domain the grants are issued to */
	unsigned int tx_irq;		/* irq of the TX (or the only) event channel */
	unsigned int rx_irq;		/* irq of the RX event channel; == tx_irq if shared */
	bool split_evtchn;		/* separate TX and RX event channels */
	bool connected;			/* rings, grants and irqs are set up */

	/* Transmit path: protected by the netdev TX queue lock. */
	struct xen_netif_tx_front_ring tx ____cacheline_aligned_in_smp;
					/* producer/consumer indices + shared page */
	RING_IDX tx_pushed;		/* req_prod last published; the shared copy is untrusted */
	unsigned int tx_last_reqs;	/* requests of the newest packet on the ring */
	unsigned int tx_free_top;	/* number of ids on the tx_free stack */
	unsigned int tx_extra_pending;	/* extra-info slots still owed a NULL response */
	unsigned int tx_unpub_count;	/* entries in tx_unpub */
	unsigned int tx_xdpf_count;	/* slots holding an XDP frame: reaped in NAPI only */
	struct xnf_tx_stats tx_stats;	/* transmit counters */
	u16 tx_free[XNF_TX_RING_SIZE];	/* stack of idle request ids */
	u16 tx_unpub[XNF_TX_RING_SIZE];	/* ids written since the last publish */
	struct xnf_tx_slot tx_slots[XNF_TX_RING_SIZE]; /* state of each request id */

	/* Receive path: owned by NAPI. */
	struct napi_struct napi ____cacheline_aligned_in_smp;
					/* polls both rings of this queue */
	struct xen_netif_rx_front_ring rx ____cacheline_aligned_in_smp;
					/* producer/consumer indices + shared page */
	RING_IDX rx_pushed;		/* req_prod last published; the shared copy is untrusted */
	RING_IDX rx_seen;		/* rsp_prod up to which responses were examined */
	struct page_pool *page_pool;	/* source of receive buffer pages */
	struct xdp_rxq_info xdp_rxq;	/* this ring, as XDP programs see it */
	bool xdp_rxq_reg;		/* xdp_rxq is registered */
	struct xnf_rx_stats rx_stats;	/* receive counters */
	struct xnf_rx_slot rx_slots[XNF_RX_RING_SIZE]; /* state of each ring position */

	/* Event channel handlers: last producer values they saw. */
	RING_IDX tx_evt_prod ____cacheline_aligned_in_smp;
					/* TX rsp_prod at the last TX event */
	RING_IDX rx_evt_prod;		/* RX rsp_prod at the last RX event */

	/* Cold: used when connecting and tearing down. */
	struct page *tx_ring_page;	/* page holding the shared TX ring */
	struct page *rx_ring_page;	/* page holding the shared RX ring */
	grant_ref_t tx_ring_ref;	/* grant of tx_ring_page, published as tx-ring-ref */
	grant_ref_t rx_ring_ref;	/* grant of rx_ring_page, published as rx-ring-ref */
	evtchn_port_t tx_evtchn;	/* TX (or the only) event channel port */
	evtchn_port_t rx_evtchn;	/* RX event channel port; == tx_evtchn if shared */
	struct timer_list refill_timer;	/* retries a refill after allocation failure */
	char name[XNF_QNAME_LEN];	/* "vif<devid>-q<id>" */
	char tx_irq_name[XNF_IRQNAME_LEN]; /* "<name>-tx" */
	char rx_irq_name[XNF_IRQNAME_LEN]; /* "<name>-rx" */
};

/*
 * struct xnf_ctrl - the control ring and the RSS configuration (ctrl.c)
 *
 * The ring fields live for one connection; the configuration (key,
 * flags, table, configured) for the device's life.
 */
struct xnf_ctrl {
	struct mutex lock;		/* one request at a time; the fields below */
	wait_queue_head_t wq;		/* woken by the ring's interrupt */
	struct xen_netif_ctrl_front_ring ring; /* the ring, sring NULL if none */
	struct page *ring_page;		/* page of the shared ring */
	struct page *data_page;		/* key or table for a request, read-only */
	grant_ref_t ring_ref;		/* grant of ring_page: ctrl-ring-ref */
	grant_ref_t data_ref;		/* grant of data_page */
	evtchn_port_t evtchn;		/* event-channel-ctrl */
	int irq;			/* its irq, 0 if no ring */
	u16 next_id;			/* id of the next request */
	bool up;			/* backend Connected: requests may go */
	bool broken;			/* the backend broke the protocol */
	bool configured;		/* ethtool set something: send it at connect */
	u32 flags;			/* XEN_NETIF_CTRL_HASH_TYPE_* to hash */
	unsigned int indir_size;	/* mapping entries, 0 if none */
	u8 key[XNF_RSS_KEY_LEN];	/* Toeplitz key */
	u32 indir[XNF_RSS_INDIR_MAX];	/* hash -> queue */
	char irq_name[IFNAMSIZ + 8];	/* "vif<devid>-ctrl" */
};

/* Private data of the net_device. */
struct xnf_info {
	struct net_device *netdev;	/* the interface */
	struct xenbus_device *xbdev;	/* our xenbus device */
	struct xnf_queue *queues;	/* alloc_queues entries, kept for the device's life */
	unsigned int alloc_queues;	/* queues allocated (max_queues at probe) */
	unsigned int num_queues;	/* queues connected now, 0 when disconnected */
	unsigned int be_max_queues;	/* backend's multi-queue-max-queues (>= 1) */
	unsigned int req_queues;	/* ethtool -L's count, 0 if never set */
	unsigned int xs_mtu;		/* toolstack's mtu last read, 0 if none */
	unsigned long flags;		/* XNF_FLAG_* */
	u32 be_features;		/* XNF_BE_* offered by the backend */
	enum xenbus_state be_state;	/* backend state last seen by the watch */
	bool bounce;			/* copy TX data into zeroed pages (untrusted backend) */
	bool removing;			/* remove() has started: ignore backend changes */
	bool rejoin;			/* Initialising, waiting for the backend's
					 * InitWait: a queue change timed out, or
					 * the backend is restarting
					 */
	bool gave_up;			/* closed on a backend that stayed Closed
					 * (stale_work); its InitWait still
					 * reconnects
					 */
	struct delayed_work stale_work;	/* a backend Closed since probe: wait a
					 * while for its InitWait, then close
					 */
	struct bpf_prog __rcu *xdp_prog; /* XDP program, or NULL; set under RTNL */
	atomic_t protocol_errors;	/* times the backend was caught misbehaving */
	struct mutex lock;		/* serialises connect, disconnect, resume, remove */
	struct xnf_ctrl ctrl;		/* control ring and RSS */
};

/* main.c */
extern unsigned int xnf_max_queues;
extern bool xnf_trusted;
unsigned int xnf_max_queues_now(void);
__printf(2, 3) void xnf_mark_broken(struct xnf_queue *q, const char *fmt, ...);

static inline bool xnf_broken(const struct xnf_info *info)
{
	return test_bit(XNF_FLAG_BROKEN, &info->flags);
}

/* xenbus.c */
void xnf_backend_changed(struct xenbus_device *dev, enum xenbus_state state);
void xnf_stale_backend(struct work_struct *work);
int xnf_resume(struct xenbus_device *dev);
void xnf_quiesce(struct xnf_info *info);
void xnf_teardown(struct xnf_info *info);
void xnf_bus_close(struct xnf_info *info);
int xnf_xdp_reconfigure(struct xnf_info *info, bool enable);
int xnf_set_queues(struct xnf_info *info, unsigned int n);

/* tx.c */
netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *dev);
void xnf_tx_complete(struct xnf_queue *q, int budget);
bool xnf_tx_complete_irq(struct xnf_queue *q);
void xnf_tx_rearm(struct xnf_queue *q);
void xnf_tx_start(struct xnf_queue *q);
void xnf_tx_reset(struct xnf_queue *q);
void xnf_tx_release(struct xnf_queue *q);
bool xnf_xdp_tx_one(struct xnf_queue *q, struct xdp_frame *xdpf);
void xnf_xdp_tx_flush(struct xnf_queue *q);
int xnf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags);

/* rx.c */
int xnf_poll(struct napi_struct *napi, int budget);
void xnf_rx_reset(struct xnf_queue *q);
void xnf_rx_refill(struct xnf_queue *q);
void xnf_rx_release(struct xnf_queue *q);
void xnf_refill_timer_fn(struct timer_list *t);
irqreturn_t xnf_tx_interrupt(int irq, void *data);
irqreturn_t xnf_rx_interrupt(int irq, void *data);
irqreturn_t xnf_interrupt(int irq, void *data);

/* Counter changes of one poll, added to the queue counters at its end. */
struct xnf_rx_tally {
	unsigned int packets;
	unsigned int drops;
	unsigned int errors;
	unsigned int csum_fixups;
	unsigned int hashed;
	unsigned int xdp_passed;
	unsigned int xdp_dropped;
	unsigned int xdp_tx;
	unsigned int xdp_redirect;
	unsigned int xdp_aborted;
	unsigned int xdp_errors;
	bool xdp_tx_kick;	/* XDP_TX requests wait to be published */
	bool xdp_flush;		/* XDP_REDIRECT frames wait for xdp_do_flush() */
	u64 bytes;
};

/* xdp.c */
int xnf_bpf(struct net_device *dev, struct netdev_bpf *bpf);
bool xnf_xdp_run(struct xnf_queue *q, struct bpf_prog *prog, struct page **pagep,
		 struct xen_netif_rx_response *r, struct xnf_rx_tally *t);
int xnf_xdp_rxq_reg(struct xnf_queue *q);
void xnf_xdp_rxq_unreg(struct xnf_queue *q);

static inline bool xnf_xdp_on(const struct xnf_info *info)
{
	return !!rcu_access_pointer(info->xdp_prog);
}

/* ctrl.c */
void xnf_ctrl_init(struct xnf_info *info);
int xnf_ctrl_connect(struct xnf_info *info);
void xnf_ctrl_disconnect(struct xnf_info *info);
int xnf_ctrl_publish(struct xnf_info *info, struct xenbus_transaction xbt,
		     const char **what);
void xnf_ctrl_start(struct xnf_info *info);
u32 xnf_get_rxfh_indir_size(struct net_device *dev);
u32 xnf_get_rxfh_key_size(struct net_device *dev);
int xnf_get_rxfh(struct net_device *dev, struct ethtool_rxfh_param *rxfh);
int xnf_set_rxfh(struct net_device *dev, struct ethtool_rxfh_param *rxfh,
		 struct netlink_ext_ack *extack);
int xnf_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd,
		  u32 *rule_locs);
int xnf_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *cmd);

/* ethtool.c */
extern const struct ethtool_ops xnf_ethtool_ops;
void xnf_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot);

#endif /* XNF_COMMON_H */
