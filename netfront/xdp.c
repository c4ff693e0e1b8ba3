// SPDX-License-Identifier: GPL-2.0
/*
 * Xen multi-queue paravirtual network frontend: XDP.
 *
 * One program per interface, run from each queue's NAPI poll on every
 * frame that fits one receive page. A frame reaches the program in its
 * receive page with XNF_XDP_HEADROOM bytes in front of it and room for
 * a struct skb_shared_info behind it. The backend is asked for that
 * headroom (xdp-headroom, with the Reconfiguring handshake, when it
 * offers feature-xdp-headroom); a frame that arrives without it (an
 * older backend, or one posted before the backend saw the request) is
 * moved inside its page first, so a program works with any backend.
 *
 * Frames longer than one page (GSO from the backend) cannot be shown
 * to a program that expects one buffer: while a program is attached
 * the frontend asks the backend for no GSO (feature-gso-tcpv4/6 = 0,
 * renegotiated with the same handshake), and a frame that still spans
 * several slots is dropped and counted in xdp_errors.
 *
 * XDP_TX and frames redirected to this interface (ndo_xdp_xmit) go out
 * on a TX ring as one request each, under the lock of that queue's
 * netdev TX queue, like any transmitted packet.
 */

#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/xdp.h>
#include <xen/page.h>
#include <net/page_pool/helpers.h>

#include "common.h"

/*
 * Run @prog on the one-slot frame described by @r in *@pagep. Returns
 * false if the frame is to be passed on to the stack, with @r updated
 * to where the program left it; true if the program (or an error)
 * consumed it. A page that left with the frame (XDP_TX, XDP_REDIRECT)
 * is cleared from *@pagep; any other stays for the next posting.
 */
bool xnf_xdp_run(struct xnf_queue *q, struct bpf_prog *prog, struct page **pagep,
		 struct xen_netif_rx_response *r, struct xnf_rx_tally *t)
{
	struct page *page = *pagep;
	unsigned int off = r->offset;
	unsigned int len = r->status;
	u8 *va = page_address(page);
	struct xdp_frame *xdpf;
	struct xdp_buff xdp;
	u32 act;

	if (off < XNF_XDP_HEADROOM || off + len > XNF_XDP_HEADROOM + XNF_XDP_MAX_FRAME) {
		if (len > XNF_XDP_MAX_FRAME) {
			t->xdp_errors++;
			return true;
		}
		memmove(va + XNF_XDP_HEADROOM, va + off, len);
		off = XNF_XDP_HEADROOM;
	}

	xdp_init_buff(&xdp, PAGE_SIZE, &q->xdp_rxq);
	xdp_prepare_buff(&xdp, va, off, len, false);
	act = bpf_prog_run_xdp(prog, &xdp);

	switch (act) {
	case XDP_PASS:
		r->offset = (u8 *)xdp.data - va;
		r->status = (u8 *)xdp.data_end - (u8 *)xdp.data;
		t->xdp_passed++;
		return false;
	case XDP_DROP:
		t->xdp_dropped++;
		return true;
	case XDP_TX:
		xdpf = xdp_convert_buff_to_frame(&xdp);
		if (unlikely(!xdpf)) {
			t->xdp_errors++;
			trace_xdp_exception(q->netdev, prog, act);
			return true;
		}
		if (unlikely(!xnf_xdp_tx_one(q, xdpf))) {
			/*
			 * The page now holds frame metadata: give it back
			 * rather than post it to the backend again.
			 */
			t->xdp_errors++;
			trace_xdp_exception(q->netdev, prog, act);
			page_pool_put_full_page(q->page_pool, page, true);
			*pagep = NULL;
			return true;
		}
		*pagep = NULL;
		t->xdp_tx++;
		t->xdp_tx_kick = true;
		return true;
	case XDP_REDIRECT:
		if (unlikely(xdp_do_redirect(q->netdev, &xdp, prog))) {
			t->xdp_errors++;
			trace_xdp_exception(q->netdev, prog, act);
			return true;
		}
		*pagep = NULL;
		t->xdp_redirect++;
		t->xdp_flush = true;
		return true;
	default:
		bpf_warn_invalid_xdp_action(q->netdev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(q->netdev, prog, act);
		t->xdp_aborted++;
		return true;
	}
}

/* Describe a connected queue's ring and page pool to XDP. */
int xnf_xdp_rxq_reg(struct xnf_queue *q)
{
	int err;

	err = xdp_rxq_info_reg(&q->xdp_rxq, q->netdev, q->id, q->napi.napi_id);
	if (err)
		return err;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 q->page_pool);
	if (err) {
		xdp_rxq_info_unreg(&q->xdp_rxq);
		return err;
	}
	q->xdp_rxq_reg = true;
	return 0;
}

/* Before the page pool goes: NAPI is off. */
void xnf_xdp_rxq_unreg(struct xnf_queue *q)
{
	if (!q->xdp_rxq_reg)
		return;
	xdp_rxq_info_unreg(&q->xdp_rxq);
	q->xdp_rxq_reg = false;
}

/*
 * Attach, replace or detach the program. Called under RTNL. The
 * program's reference is ours from here on; a replaced one is put.
 */
static int xnf_xdp_set(struct net_device *dev, struct bpf_prog *prog,
		       struct netlink_ext_ack *extack)
{
	struct xnf_info *info = netdev_priv(dev);
	bool was_on = xnf_xdp_on(info);
	struct bpf_prog *old;

	BUILD_BUG_ON(XNF_XDP_MAX_MTU + VLAN_ETH_HLEN > XNF_XDP_MAX_FRAME);

	if (prog && dev->mtu > XNF_XDP_MAX_MTU) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for XDP: a frame must fit one receive page with the XDP headroom, so the MTU can be at most "
				   __stringify(XNF_XDP_MAX_MTU));
		return -EINVAL;
	}

	/* Ask for headroom before the program needs it. */
	if (prog && !was_on)
		xnf_xdp_reconfigure(info, true);

	old = rtnl_dereference(info->xdp_prog);
	rcu_assign_pointer(info->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);

	if (!prog && was_on)
		xnf_xdp_reconfigure(info, false);
	return 0;
}

int xnf_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return xnf_xdp_set(dev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}
