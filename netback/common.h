/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-netback (out-of-tree, multi-queue): definitions shared by the
 * files of the backend driver.
 *
 * Direction names: the Xen protocol speaks from the guest's point of
 * view, the kernel's net_device from ours. "Guest TX" (the tx ring) is
 * what the frontend sends; it arrives in this domain as netdev RX. "Guest
 * RX" (the rx ring) is what the netdev transmits towards the guest. In
 * code, tx_* is the tx ring / guest TX path and rx_* the rx ring / guest
 * RX path. The statistics exported to user space follow the netdev's
 * convention instead (see struct xnb_qstats).
 */
#ifndef XNB_COMMON_H
#define XNB_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/netif.h>

/*
 * The Kbuild file puts the project's include/ ahead of the kernel's, so
 * the netif.h above must be ours, which documents the protocol this
 * driver implements. Refuse to build against any other copy.
 */
#ifndef XNET_PUBLIC_IO_NETIF_H
#error "xen-netback: the project's xen/interface/io/netif.h is not the one in use"
#endif

#define XNB_DRV_NAME		"xen-netback"

/* Entries in a one-page tx / rx / control ring. */
#define XNB_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, XEN_PAGE_SIZE)
#define XNB_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, XEN_PAGE_SIZE)

/* Upper bound for the max_queues parameter. */
#define XNB_MAX_QUEUES_LIMIT	64

/* Largest number of extra-info slots one packet may carry. */
#define XNB_MAX_EXTRAS		(XEN_NETIF_EXTRA_TYPE_MAX - 1)

/*
 * Guest TX batching. One NAPI round parses at most XNB_TX_BATCH packets
 * into grant-copy operations and then issues them in one hypercall
 * batch. A packet of XEN_NETIF_NR_SLOTS_MIN slots needs at most one
 * operation per slot plus one per destination page boundary: two for
 * the linear area and one per Xen page of a 64 KiB frame.
 */
#define XNB_TX_BATCH		NAPI_POLL_WEIGHT
#define XNB_TX_OPS_PER_PKT	(XEN_NETIF_NR_SLOTS_MIN + 2 + \
				 DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, \
					      XEN_PAGE_SIZE))
#define XNB_TX_COPY_OPS		(2 * XNB_TX_RING_SIZE)

/*
 * Guest TX frames up to XNB_TX_COPYBREAK bytes are copied whole into
 * the skb's linear area; longer ones get XNB_TX_HDR_LEN bytes there
 * (enough for the usual Ethernet + IP + TCP headers) and the rest in
 * page fragments.
 */
#define XNB_TX_COPYBREAK	2048
#define XNB_TX_HDR_LEN		128

/* Guest RX: packets per kthread round, grant copies per hypercall. */
#define XNB_RX_BATCH		64
#define XNB_RX_COPY_OPS		256

/*
 * Bytes (truesize) at which the internal guest RX queue of one queue
 * stops its netdev queue; it holds at most twice this.
 */
#define XNB_RX_QUEUE_BYTES	(XNB_RX_RING_SIZE / 2 * XEN_PAGE_SIZE)

/* Drain timeout used for frontends without feature-rx-notify. */
#define XNB_RX_DRAIN_NO_NOTIFY_MS	30

/* Queue name "vifD.H-qN", interrupt names "vifD.H-qN-tx" / "-rx". */
#define XNB_QUEUE_NAME_LEN	(IFNAMSIZ + 12)
#define XNB_IRQ_NAME_LEN	(XNB_QUEUE_NAME_LEN + 3)

/*
 * Most headroom a frontend may ask for in front of received frames
 * (xdp-headroom); the rest of each page carries data.
 */
#define XNB_XDP_HEADROOM_MAX	2048U

/* Multicast filter entries a frontend may install. */
#define XNB_MCAST_MAX		64

/*
 * Tries of a xenstore transaction that keeps conflicting (-EAGAIN)
 * before the device gives up: only the toolstack writes the backend
 * directory, but nothing else stops the retries.
 */
#define XNB_XS_TRIES		16

/* Control ring / hashing limits. */
#define XNB_HASH_KEY_MAX	40	/* Toeplitz key bytes */
#define XNB_HASH_MAP_MAX	128	/* mapping table entries */
#define XNB_HASH_TAG_MAX	36	/* longest hash input (IPv6 + ports) */
#define XNB_HASH_CACHE_MAX	4096	/* cap for hash_cache_size */

#define XNB_HASH_TYPES_ALL	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/* Bits of xnb_queue.eoi_pending: which event awaits a late EOI. */
#define XNB_EOI_TX		BIT(0)	/* tx channel (split) */
#define XNB_EOI_RX		BIT(1)	/* rx channel (split) */
#define XNB_EOI_SHARED		BIT(2)	/* the single shared channel */

/* Bits of xnb_vif.flags. */
enum xnb_vif_flag {
	XNB_VIF_CONNECTED,	/* queues exist and the data path may run */
	XNB_VIF_DISABLED,	/* frontend misbehaved; vif shut down */
};

struct xnb_vif;
struct xnb_backend;

/*
 * struct xnb_qstats - counters of one queue, persistent across reconnects
 *
 * Named from the netdev's side: rx_* counts frames the guest sent (tx
 * ring), tx_* frames sent to the guest (rx ring). Each half has a single
 * writer (the queue's NAPI poll for rx_*, its kthread for tx_*) and its
 * own u64_stats_sync; drops in ndo_start_xmit, which runs concurrently
 * with the kthread, use an atomic.
 */
struct xnb_qstats {
	struct u64_stats_sync rx_syncp;	/* guards the rx_* counters */
	u64_stats_t rx_packets;		/* frames passed up the stack */
	u64_stats_t rx_bytes;		/* bytes of those frames */
	u64_stats_t rx_drops;		/* dropped: bad shape, no memory, ... */
	u64_stats_t rx_errors;		/* grant copy from the guest failed */
	u64_stats_t rx_csum_fixup;	/* GSO frames without csum_blank */

	struct u64_stats_sync tx_syncp ____cacheline_aligned_in_smp;
					/* guards the tx_* counters */
	u64_stats_t tx_packets;		/* frames copied to the guest */
	u64_stats_t tx_bytes;		/* bytes of those frames */
	u64_stats_t tx_drops;		/* dropped in the kthread */
	u64_stats_t tx_errors;		/* grant copy to the guest failed */
	u64_stats_t tx_expired;		/* dropped by the drain timeout */
	u64_stats_t tx_stalls;		/* times the queue was found stalled */

	atomic64_t tx_xmit_drops ____cacheline_aligned_in_smp;
					/* dropped in ndo_start_xmit */
	atomic64_t tx_steered;		/* put on this queue by rx-follows-tx */
};

/*
 * RX follows TX (rx-follows-tx): for each flow the guest sends, the
 * queue it sends on, so that the flow's frames to the guest take the
 * same queue. A table of XNB_STEER_SIZE entries indexed by the flow's
 * symmetric hash (the same for both directions); each entry packs the
 * hash (bits 0-31), the queue + 1 (bits 32-47, 0 = empty) and the
 * second it was last seen (bits 48-63, jiffies / HZ), and is read and
 * written whole. An entry unseen for XNB_STEER_AGE_S seconds no longer
 * steers; a colliding flow simply takes the entry over.
 */
#define XNB_STEER_SIZE		512
#define XNB_STEER_AGE_S		30

struct xnb_steer {
	atomic64_t ents[XNB_STEER_SIZE];
};

/*
 * struct xnb_tx_pkt - a guest TX frame between parsing and completion
 *
 * Filled while the tx ring is parsed, used once the batch of grant
 * copies has run: it says which operations belong to the frame and
 * which requests to answer.
 */
struct xnb_tx_pkt {
	struct sk_buff *skb;		/* destination skb, data not yet valid */
	u16 op_first;			/* first grant-copy op in tx_ops[] */
	u16 op_count;			/* number of ops for this frame */
	u16 flags;			/* XEN_NETTXF_* of the first request */
	u8 nr_ids;			/* data requests to answer */
	u8 nr_extras;			/* extra-info slots (NULL responses) */
	u16 ids[XEN_NETIF_NR_SLOTS_MIN];	/* request ids, in ring order */
};

/*
 * struct xnb_rx_op_info - bookkeeping for one guest RX grant copy
 */
struct xnb_rx_op_info {
	RING_IDX rsp;			/* response slot the copy fills */
	struct sk_buff *skb;		/* frame the data comes from */
};

/*
 * struct xnb_queue - one tx/rx ring pair and everything serving it
 *
 * The guest TX half is used by NAPI (softirq), the guest RX half by the
 * queue's kthread; the internal guest RX queue between ndo_start_xmit
 * and the kthread sits on its own cache line. Large scratch arrays come
 * last.
 */
struct xnb_queue {
	/* Read-mostly identity. */
	struct xnb_vif *vif;		/* owning interface */
	struct xnb_qstats *stats;	/* counters, in vif->qstats[] */
	unsigned int id;		/* queue number, 0-based */
	unsigned int tx_irq;		/* tx channel irq (the only one if shared) */
	unsigned int rx_irq;		/* rx channel irq (== tx_irq if shared) */
	atomic_t eoi_pending;		/* XNB_EOI_* bits awaiting a late EOI */

	/* Guest TX (tx ring), NAPI context. */
	struct napi_struct napi ____cacheline_aligned_in_smp;
					/* polls the tx ring */
	struct xen_netif_tx_back_ring tx;	/* mapped tx ring, private indices */
	unsigned int tx_nr_ops;		/* ops queued in tx_ops[] this round */
	unsigned int tx_nr_pkts;	/* frames queued in tx_pkts[] */
	bool rate_limited;		/* this round ran out of credit; the
					 * timer, not the poll, resumes
					 */
	unsigned long credit_bytes;	/* bytes allowed per credit period */
	unsigned long credit_usec;	/* credit period, 0 = unlimited */
	unsigned long remaining_credit;	/* bytes left in this period */
	u64 credit_window_start;	/* jiffies64 when the period began */
	struct timer_list credit_timer;	/* refills credit, restarts NAPI */

	/* Internal guest RX queue, shared by ndo_start_xmit and kthread. */
	struct sk_buff_head rx_queue ____cacheline_aligned_in_smp;
					/* frames waiting for rx ring slots */
	unsigned int rx_queue_bytes;	/* truesize of the frames in rx_queue */
	unsigned int rx_queue_max;	/* stop the netdev queue at this size;
					 * frames beyond twice it are dropped
					 */
	unsigned int rx_head_slots;	/* slots the head frame needs, 0 = empty */
	unsigned long rx_head_expires;	/* jiffies when the head frame expires */
	unsigned long rx_last_progress;	/* jiffies of the last frame copied
					 * to the guest (stall clock)
					 */

	/*
	 * Guest RX (rx ring): the kthread, or ndo_start_xmit when it finds
	 * the list empty, under rx_lock.
	 */
	struct xen_netif_rx_back_ring rx ____cacheline_aligned_in_smp;
					/* mapped rx ring, private indices */
	spinlock_t rx_lock;		/* who fills the rx ring; only tried
					 * from ndo_start_xmit (softirq)
					 */
	struct task_struct *rx_task;	/* the queue's guest RX kthread */
	wait_queue_head_t rx_wq;	/* rx_task sleeps here */
	unsigned int rx_nr_ops;		/* ops queued in rx_ops[] */
	bool rx_stalled;		/* guest stopped posting rx buffers */

	/* Cold. */
	struct dentry *dbg;			/* debugfs io_ring_qN, or NULL */
	char name[XNB_QUEUE_NAME_LEN];		/* vifD.H-qN */
	char tx_irq_name[XNB_IRQ_NAME_LEN];	/* vifD.H-qN-tx or vifD.H-qN */
	char rx_irq_name[XNB_IRQ_NAME_LEN];	/* vifD.H-qN-rx */

	/* Scratch for one guest TX round. */
	struct gnttab_copy tx_ops[XNB_TX_COPY_OPS];	/* grant copies */
	struct xnb_tx_pkt tx_pkts[XNB_TX_BATCH];	/* frames being built */

	/* Scratch for guest RX copies. */
	struct gnttab_copy rx_ops[XNB_RX_COPY_OPS];	/* grant copies */
	struct xnb_rx_op_info rx_op_info[XNB_RX_COPY_OPS];
							/* response of each op */
};

/*
 * struct xnb_rx_cb - per-skb state of a frame on the internal RX queue
 */
struct xnb_rx_cb {
	unsigned long expires;		/* jiffies after which it is dropped */
	u16 slots;			/* rx ring slots it needs */
	u8 gso_type;			/* XEN_NETIF_GSO_TYPE_*, NONE if not sent */
	u8 hash_type;			/* _XEN_NETIF_CTRL_HASH_TYPE_*, or 0xff */
	u8 failed;			/* a grant copy of it failed */
	u16 headroom;			/* bytes left free in front of the data
					 * of each slot (xdp-headroom)
					 */
	u32 hash;			/* Toeplitz hash when hash_type valid */
	u32 qbytes;			/* what it counts in rx_queue_bytes */
};

#define XNB_RX_CB(skb)		((struct xnb_rx_cb *)(skb)->cb)
#define XNB_HASH_TYPE_NONE	0xff

/*
 * struct xnb_hash_cfg - hashing configuration set over the control ring
 *
 * Published with RCU; every change makes a new copy, so readers on the
 * transmit path always see one consistent configuration.
 */
struct xnb_hash_cfg {
	struct rcu_head rcu;		/* for kfree_rcu() */
	u32 alg;			/* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
	u32 flags;			/* XEN_NETIF_CTRL_HASH_TYPE_* enabled */
	u32 gen;			/* key generation, tags cache entries */
	u32 map_size;			/* entries in map[], 0 = no mapping */
	u8 key[XNB_HASH_KEY_MAX];	/* Toeplitz key, zero padded */
	u32 map[XNB_HASH_MAP_MAX];	/* hash % map_size -> queue */
};

/*
 * struct xnb_hash_cache_ent - one remembered Toeplitz result
 */
struct xnb_hash_cache_ent {
	u32 gen;			/* key generation, 0 = empty */
	u32 val;			/* the hash */
	u8 len;				/* bytes of tag in use */
	u8 tag[XNB_HASH_TAG_MAX];	/* hash input */
};

/*
 * struct xnb_hash_cache - per-CPU, direct-mapped cache of Toeplitz results
 *
 * Used only with bottom halves disabled (the lookup disables them
 * itself), so each CPU owns its table and no lock is taken. Entries of an old key are
 * recognised by their generation and never match.
 */
struct xnb_hash_cache {
	unsigned int mask;		/* entries per CPU - 1 (power of 2) */
	struct xnb_hash_cache_ent __percpu *ents;	/* NULL when disabled */
};

/*
 * struct xnb_mcast - a multicast address the frontend subscribed to
 */
struct xnb_mcast {
	struct list_head link;		/* in xnb_vif.mcast_list */
	struct rcu_head rcu;		/* for kfree_rcu() */
	u8 addr[ETH_ALEN];		/* the address */
};

/*
 * struct xnb_vif - one virtual interface (netdev private data)
 */
struct xnb_vif {
	/* Read-mostly, used on every transmit. */
	struct net_device *dev;		/* our netdev, vifD.H */
	struct xnb_queue *queues;	/* array of num_queues */
	unsigned int num_queues;	/* live queues; 0 while disconnected */
	unsigned long flags;		/* XNB_VIF_* bits */
	unsigned long drain_timeout;	/* guest RX drain timeout, jiffies */
	unsigned long stall_timeout;	/* guest RX stall timeout, 0 = off */
	/* These two change when the frontend reconfigures. */
	u8 gso_mask;			/* BIT(XEN_NETIF_GSO_TYPE_*) frontend takes */
	u16 xdp_headroom;		/* frontend's xdp-headroom */
	bool can_sg;			/* frontend takes multi-slot frames */
	bool ip_csum;			/* frontend takes partial IPv4 csums */
	bool ipv6_csum;			/* frontend takes partial IPv6 csums */
	bool rx_notify;			/* frontend notifies on rx requests */
	bool multicast_control;		/* filter multicast by mcast_list */
	struct xnb_hash_cfg __rcu *hash;	/* control ring hash config */
	struct xnb_hash_cache hash_cache;	/* Toeplitz results */
	bool rx_follows_tx;		/* steer guest RX by steer (per vif) */
	struct xnb_steer *steer;	/* flows' TX queues, the vif's life */
	struct xnb_qstats *qstats;	/* max_queues counters */

	/* Identity and configuration. */
	domid_t domid;			/* frontend domain */
	unsigned int handle;		/* vif handle within the domain */
	unsigned int max_queues;	/* queues the netdev was sized for */
	unsigned int adv_max_queues;	/* multi-queue-max-queues advertised now
					 * (lowered by a request)
					 */
	unsigned int nr_queues_req;	/* queues the frontend asked for */
	u8 fe_mac[ETH_ALEN];		/* guest MAC from the "mac" key */
	struct xnb_backend *be;		/* xenbus side */

	/* Carrier and shutdown. */
	spinlock_t lock;		/* guards stalled_queues */
	unsigned int stalled_queues;	/* queues with a stalled guest RX */
	bool dp_up;			/* NAPI and irqs enabled (under RTNL) */
	struct work_struct fatal_work;	/* shuts the data path down */
	struct ratelimit_state fatal_rs;	/* xnb_fatal's log line */

	/* Multicast filter (guest TX extra-info requests). */
	spinlock_t mcast_lock;		/* serialises writers of mcast_list */
	struct list_head mcast_list;	/* struct xnb_mcast, RCU */
	unsigned int mcast_count;	/* entries in mcast_list */

	/* Control ring. */
	struct xen_netif_ctrl_back_ring ctrl;	/* mapped ring, NULL sring if none */
	unsigned int ctrl_irq;		/* its irq, 0 if none */
	char ctrl_irq_name[IFNAMSIZ + 5];	/* vifD.H-ctrl */
	struct work_struct ctrl_work;	/* serves the control ring, on xnb_wq */
	bool ctrl_served;		/* ctrl_work answered requests since
					 * the last EOI (not spurious)
					 */
	struct xnb_hash_cfg *hash_shadow;	/* current config, also when
						 * not published (algorithm none)
						 */
	u32 hash_gen;			/* last key generation handed out */

	/* Rate limit ("rate" key), applied to every queue. */
	unsigned long credit_bytes;	/* bytes per period */
	unsigned long credit_usec;	/* period, 0 = unlimited */

	/* debugfs: xen-netback/<vif>/ with ctrl and io_ring_qN. */
	struct dentry *dbg_dir;		/* the vif's directory, or NULL */
};

/* interface.c */
extern const struct net_device_ops xnb_netdev_ops;
struct xnb_vif *xnb_vif_create(struct device *parent, domid_t domid,
			       unsigned int handle, unsigned int max_queues);
void xnb_vif_destroy(struct xnb_vif *vif);
int xnb_queues_alloc(struct xnb_vif *vif, unsigned int num);
void xnb_queues_free(struct xnb_vif *vif);
int xnb_queue_connect(struct xnb_queue *queue, grant_ref_t tx_ref,
		      grant_ref_t rx_ref, evtchn_port_t tx_port,
		      evtchn_port_t rx_port);
void xnb_queue_disconnect(struct xnb_queue *queue);
void xnb_vif_start(struct xnb_vif *vif);
void xnb_vif_stop(struct xnb_vif *vif);
void xnb_vif_set_rate(struct xnb_vif *vif, unsigned long bytes,
		      unsigned long usec);
__printf(2, 3)
void xnb_fatal(struct xnb_vif *vif, const char *fmt, ...);

static inline bool xnb_vif_disabled(const struct xnb_vif *vif)
{
	return test_bit(XNB_VIF_DISABLED, &vif->flags);
}

/* tx.c: guest TX */
int xnb_tx_poll(struct napi_struct *napi, int budget);
void xnb_tx_credit_timer(struct timer_list *t);
void xnb_tx_rearm(struct xnb_queue *queue);
bool xnb_mcast_match(struct xnb_vif *vif, const u8 *addr);
void xnb_mcast_flush(struct xnb_vif *vif);

/* rx.c: guest RX */
int xnb_rx_thread(void *data);
bool xnb_rx_has_work(struct xnb_queue *queue);
bool xnb_rx_enqueue(struct xnb_queue *queue, struct sk_buff *skb);
void xnb_rx_kick(struct xnb_queue *queue);

/* hash.c: control ring and hashing */
void xnb_ctrl_init(struct xnb_vif *vif);
int xnb_ctrl_connect(struct xnb_vif *vif, grant_ref_t ref,
		     evtchn_port_t port);
void xnb_ctrl_disconnect(struct xnb_vif *vif);
u16 xnb_hash_select_queue(struct xnb_vif *vif, struct sk_buff *skb,
			  unsigned int num_queues);
void xnb_hash_fill_cb(struct xnb_vif *vif, struct sk_buff *skb);
void xnb_steer_learn(struct xnb_vif *vif, struct sk_buff *skb, u16 queue);
int xnb_steer_lookup(struct xnb_vif *vif, struct sk_buff *skb,
		     unsigned int num_queues);
u32 xnb_toeplitz(const u8 *key, unsigned int key_len, const u8 *data,
		 unsigned int len);

/* xenbus.c */
int xnb_xenbus_init(void);
void xnb_xenbus_exit(void);

/* ethtool.c */
extern const struct ethtool_ops xnb_ethtool_ops;
void xnb_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot);

/* debugfs.c */
void xnb_debugfs_init(void);
void xnb_debugfs_exit(void);
void xnb_debugfs_vif_add(struct xnb_vif *vif);
void xnb_debugfs_vif_remove(struct xnb_vif *vif);
void xnb_debugfs_queues_add(struct xnb_vif *vif);
void xnb_debugfs_queues_remove(struct xnb_vif *vif);

/* main.c: module parameters, sanitised at load time */
extern unsigned int xnb_max_queues;
extern bool xnb_separate_tx_rx_irq;
extern unsigned int xnb_fatal_skb_slots;
extern unsigned int xnb_rx_drain_timeout_msecs;
extern unsigned int xnb_rx_stall_timeout_msecs;
extern unsigned int xnb_hash_cache_size;
extern bool xnb_provides_xdp_headroom;
extern bool xnb_rx_follows_tx;
unsigned int xnb_max_queues_now(void);
extern struct workqueue_struct *xnb_wq;

#endif /* XNB_COMMON_H */
