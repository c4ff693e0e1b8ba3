/* SPDX-License-Identifier: MIT */
/*
 * Xen paravirtual network interface: the wire format shared by a
 * frontend (guest NIC driver) and a backend (driver-domain side).
 *
 * This is the project's own description of the protocol. The numeric
 * constants and structure layouts are fixed by the Xen ABI and must not
 * change; everything else here is explanation. The XenStore side of the
 * protocol (which keys each end writes and when) is described in
 * Documentation/protocol.rst; the short version is repeated below so
 * that a driver author can work from this file alone.
 *
 * This header deliberately lives at the same include path as the
 * kernel's copy. The top-level Kbuild prepends our include/ directory
 * to LINUXINCLUDE so that <xen/interface/io/netif.h> resolves here
 * rather than to the kernel's version.
 */

#ifndef XNET_PUBLIC_IO_NETIF_H
#define XNET_PUBLIC_IO_NETIF_H

#include <xen/interface/io/ring.h>
#include <xen/interface/grant_table.h>

/*
 * XenStore keys, in brief
 * -----------------------
 * Backend directory (written by the backend, read by the frontend):
 *   feature-rx-copy = 1            backend copies into guest buffers
 *   feature-rx-flip = 0            page flipping is not offered
 *   feature-sg, feature-gso-tcpv4, feature-gso-tcpv6,
 *   feature-ipv6-csum-offload      offloads the backend accepts on TX
 *   feature-split-event-channels   one event channel per ring allowed
 *   feature-multicast-control, feature-dynamic-multicast-control
 *   feature-ctrl-ring              backend serves a control ring
 *   multi-queue-max-queues = N     most queues a frontend may request;
 *                                  absent or <= 1 means single queue
 *
 * Frontend directory (written by the frontend before Connected):
 *   multi-queue-num-queues = M     1 <= M <= multi-queue-max-queues;
 *                                  omitted for a single queue
 *   tx-ring-ref, rx-ring-ref       grant references of the ring pages
 *   event-channel                  one channel for both rings, or
 *   event-channel-tx, event-channel-rx  split channels
 *   request-rx-copy = 1, feature-rx-notify = 1, feature-sg,
 *   feature-gso-tcpv4, feature-gso-tcpv6, feature-ipv6-csum-offload,
 *   feature-no-csum-offload        what the frontend can receive
 *   ctrl-ring-ref, event-channel-ctrl   optional control ring
 *
 * With one queue the ring and channel keys sit at the top of the
 * frontend directory. With M >= 2 they sit under queue-0/ ... queue-(M-1)/
 * and none of them appear at the top.
 */

/*
 * A backend must accept a packet spread over this many TX slots. Older
 * guests split packets this finely, so this is the floor for the
 * backend's per-packet slot limit.
 */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* Largest value "xdp-headroom" may take. */
#define XEN_NETIF_MAX_XDP_HEADROOM 0x7FFF

/*
 * Control ring
 * ------------
 * A single-page ring, granted by the frontend (ctrl-ring-ref) with its
 * own event channel (event-channel-ctrl). Each request gets exactly one
 * response; responses may come back in any order and carry the id of
 * the request they answer.
 */

/* Hash types: which packet fields feed the hash (bit numbers, masks). */
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4		0
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4		(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	1
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6		2
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6		(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	3
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/*
 * Hash inputs, as byte ranges of an option-less IP packet:
 *   IPV4      src addr [12..15] + dst addr [16..19]            (8 bytes)
 *   IPV4_TCP  the above + src port [20..21] + dst port [22..23] (12 bytes)
 *   IPV6      src addr [8..23] + dst addr [24..39]             (32 bytes)
 *   IPV6_TCP  the above + src port [40..41] + dst port [42..43] (36 bytes)
 * When both a plain and a TCP type are enabled, TCP packets use the TCP
 * type and everything else the plain one.
 */

#define XEN_NETIF_CTRL_HASH_ALGORITHM_NONE	0
/*
 * Toeplitz: walk the input bit by bit from the most significant bit of
 * the first byte; for every set bit, XOR the 32-bit window of the key
 * that starts at that bit position into the result. Key bytes past the
 * end of the key are zero.
 */
#define XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ	1

/*
 * Control request: 8 bytes of header and data.
 *   id      echoed in the response
 *   type    XEN_NETIF_CTRL_TYPE_*
 *   data[]  type-specific arguments, unused ones zero
 */
struct xen_netif_ctrl_request {
	uint16_t id;
	uint16_t type;
#define XEN_NETIF_CTRL_TYPE_INVALID		0
#define XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS	1 /* -> data: supported types */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS	2 /* data[0]: type mask */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_KEY	3 /* data[0]: gref, [1]: len */
#define XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE 4 /* -> data: max entries */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE 5 /* data[0]: entries */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING	6 /* gref, len, offset */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM	7 /* data[0]: algorithm */
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE 8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING	9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING	10
	uint32_t data[3];
};

/*
 * Control response.
 *   id      the request's id
 *   type    the request's type
 *   status  XEN_NETIF_CTRL_STATUS_*
 *   data    type-specific result
 *
 * SET_HASH_KEY: the key is read from the start of the granted page; a
 *   length of zero clears it; longer than the backend's key buffer is
 *   BUFFER_OVERFLOW.
 * SET_HASH_MAPPING_SIZE: resets the table to all zeroes; 0 selects plain
 *   "hash modulo queue count" steering; above the maximum reported by
 *   GET_HASH_MAPPING_SIZE is INVALID_PARAMETER.
 * SET_HASH_MAPPING: writes data[1] 32-bit queue numbers, read from the
 *   start of the granted page, at entry offset data[2]. A range that
 *   runs past the table, does not fit in the page, or names a queue the
 *   vif does not have is rejected and leaves the table as it was.
 */
struct xen_netif_ctrl_response {
	uint16_t id;
	uint16_t type;
	uint32_t status;
#define XEN_NETIF_CTRL_STATUS_SUCCESS		0
#define XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED	1
#define XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER	2
#define XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW	3
	uint32_t data;
};

DEFINE_RING_TYPES(xen_netif_ctrl, struct xen_netif_ctrl_request,
		  struct xen_netif_ctrl_response);

/*
 * Guest transmit (frontend -> backend)
 * ------------------------------------
 * A packet is one or more TX requests. The first carries the total
 * packet length in `size`; each later one carries its own fragment
 * length. All but the last set XEN_NETTXF_more_data. A request with
 * XEN_NETTXF_extra_info is followed by one or more extra-info slots
 * (struct xen_netif_extra_info overlaid on the request), chained with
 * XEN_NETIF_EXTRA_FLAG_MORE. Each data request gets one response with
 * the same id; extra-info slots get a XEN_NETIF_RSP_NULL response.
 *
 * Guest receive (backend -> frontend)
 * -----------------------------------
 * The frontend posts empty pages (id + gref). The backend copies packet
 * data into them and answers with the buffer's id, the data offset in
 * the page and, in `status`, the byte count (or a negative error). The
 * first response of a packet may set XEN_NETRXF_extra_info, in which
 * case the next slot holds an extra-info segment rather than data.
 */

#define _XEN_NETTXF_csum_blank		0	/* L4 checksum not yet filled in */
#define XEN_NETTXF_csum_blank		(1U << _XEN_NETTXF_csum_blank)
#define _XEN_NETTXF_data_validated	1	/* checksum already verified */
#define XEN_NETTXF_data_validated	(1U << _XEN_NETTXF_data_validated)
#define _XEN_NETTXF_more_data		2	/* another data slot follows */
#define XEN_NETTXF_more_data		(1U << _XEN_NETTXF_more_data)
#define _XEN_NETTXF_extra_info		3	/* extra-info slot(s) follow */
#define XEN_NETTXF_extra_info		(1U << _XEN_NETTXF_extra_info)

#define XEN_NETIF_MAX_TX_SIZE 0xFFFF
struct xen_netif_tx_request {
	grant_ref_t gref;	/* page holding this fragment */
	uint16_t offset;	/* start of the fragment in that page */
	uint16_t flags;		/* XEN_NETTXF_* */
	uint16_t id;		/* echoed in the response */
	uint16_t size;		/* first slot: packet length; else fragment */
};

#define XEN_NETIF_EXTRA_TYPE_NONE	0	/* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO	1	/* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	2	/* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	3	/* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_HASH	4	/* u.hash */
#define XEN_NETIF_EXTRA_TYPE_XDP	5	/* u.xdp */
#define XEN_NETIF_EXTRA_TYPE_MAX	6

#define _XEN_NETIF_EXTRA_FLAG_MORE	0	/* another extra slot follows */
#define XEN_NETIF_EXTRA_FLAG_MORE	(1U << _XEN_NETIF_EXTRA_FLAG_MORE)

#define XEN_NETIF_GSO_TYPE_NONE		0
#define XEN_NETIF_GSO_TYPE_TCPV4	1
#define XEN_NETIF_GSO_TYPE_TCPV6	2

/* Extra-info slot: the same 8 bytes as a TX request or RX response. */
struct xen_netif_extra_info {
	uint8_t type;		/* XEN_NETIF_EXTRA_TYPE_* */
	uint8_t flags;		/* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			uint16_t size;		/* MSS, never 0 */
			uint8_t type;		/* XEN_NETIF_GSO_TYPE_* */
			uint8_t pad;
			uint16_t features;	/* none defined, must be 0 */
		} gso;
		struct {
			uint8_t addr[6];	/* multicast MAC */
		} mcast;
		struct {
			uint8_t type;		/* _XEN_NETIF_CTRL_HASH_TYPE_* */
			uint8_t algorithm;	/* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
			uint8_t value[4];	/* hash, little endian */
		} hash;
		struct {
			uint16_t headroom;
			uint16_t pad[2];
		} xdp;
		uint16_t pad[3];
	} u;
};

struct xen_netif_tx_response {
	uint16_t id;		/* the request's id */
	int16_t status;		/* XEN_NETIF_RSP_* */
};

struct xen_netif_rx_request {
	uint16_t id;		/* echoed in the response */
	uint16_t pad;
	grant_ref_t gref;	/* writable page for the backend to fill */
};

#define _XEN_NETRXF_data_validated	0	/* checksum verified */
#define XEN_NETRXF_data_validated	(1U << _XEN_NETRXF_data_validated)
#define _XEN_NETRXF_csum_blank		1	/* L4 checksum not filled in */
#define XEN_NETRXF_csum_blank		(1U << _XEN_NETRXF_csum_blank)
#define _XEN_NETRXF_more_data		2	/* packet continues in next slot */
#define XEN_NETRXF_more_data		(1U << _XEN_NETRXF_more_data)
#define _XEN_NETRXF_extra_info		3	/* extra-info slot follows */
#define XEN_NETRXF_extra_info		(1U << _XEN_NETRXF_extra_info)
#define _XEN_NETRXF_gso_prefix		4	/* legacy GSO prefix slot */
#define XEN_NETRXF_gso_prefix		(1U << _XEN_NETRXF_gso_prefix)

struct xen_netif_rx_response {
	uint16_t id;		/* the request's id */
	uint16_t offset;	/* start of data within the page */
	uint16_t flags;		/* XEN_NETRXF_* */
	int16_t status;		/* > 0: byte count; <= 0: XEN_NETIF_RSP_* */
};

DEFINE_RING_TYPES(xen_netif_tx, struct xen_netif_tx_request,
		  struct xen_netif_tx_response);
DEFINE_RING_TYPES(xen_netif_rx, struct xen_netif_rx_request,
		  struct xen_netif_rx_response);

#define XEN_NETIF_RSP_DROPPED	-2
#define XEN_NETIF_RSP_ERROR	-1
#define XEN_NETIF_RSP_OKAY	0
#define XEN_NETIF_RSP_NULL	1	/* answer to an extra-info slot */

#endif /* XNET_PUBLIC_IO_NETIF_H */
