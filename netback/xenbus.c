// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the xenbus driver. Advertises what the backend offers,
 * follows the frontend through the xenbus states, reads its xenstore
 * keys and connects or disconnects the vif accordingly.
 */
#include "common.h"

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

/* ---- advertised features ----------------------------------------------- */

/*
 * Everything the backend advertises in its xenstore directory comes from
 * this one table. Per vif, the driver's values at probe time become the
 * vif's limits (xnb_backend.cap[]) and the advertised values start equal
 * to them (xnb_backend.feat[]). The connect code consults feat[], never
 * the module parameters.
 *
 * The administrator (or the toolstack) may lower a tunable entry for one
 * vif by writing "request-<key> = <value>" in the backend directory. A
 * valid request is adopted: the value is advertised and the request node
 * removed. An invalid one stays, with the reason in error/request-<key>.
 * Requests are adopted whenever the backend (re)enters InitWait, and at
 * once when written while no frontend is negotiating; a frontend that is
 * already connected sees them at its next connection. Adding a tunable
 * feature is one line in xnb_features[]. An entry with a limit (our
 * rx-follows-tx) starts at its default and may be raised up to the
 * limit as well.
 */
enum xnb_feat {
	XNB_FEAT_MAX_QUEUES,
	XNB_FEAT_SPLIT_EVTCHN,
	XNB_FEAT_SG,
	XNB_FEAT_GSO_TCPV4,
	XNB_FEAT_GSO_TCPV6,
	XNB_FEAT_IPV6_CSUM,
	XNB_FEAT_RX_COPY,
	XNB_FEAT_RX_FLIP,
	XNB_FEAT_MCAST_CTRL,
	XNB_FEAT_DYN_MCAST_CTRL,
	XNB_FEAT_CTRL_RING,
	XNB_FEAT_XDP_HEADROOM,
	XNB_FEAT_RX_FOLLOWS_TX,
	XNB_FEAT_NR
};

/**
 * struct xnb_feature - one advertised key
 * @key: xenstore key in the backend directory
 * @value: the driver's value for a new vif, which is also the most a
 *	request may ask for on that vif unless @limit says otherwise
 * @min: least value the key may take
 * @max: largest value the key may take
 * @tunable: a "request-<key>" may change it per vif
 * @limit: if set, the most a request may ask for (for a choice of ours
 *	that is off by default, not a capability)
 */
struct xnb_feature {
	const char *key;
	unsigned int (*value)(void);
	unsigned int min;
	unsigned int max;
	bool tunable;
	unsigned int (*limit)(void);
};

static unsigned int xnb_feat_zero(void)
{
	return 0;
}

static unsigned int xnb_feat_one(void)
{
	return 1;
}

static unsigned int xnb_feat_queues(void)
{
	return xnb_max_queues_now();
}

static unsigned int xnb_feat_split(void)
{
	return READ_ONCE(xnb_separate_tx_rx_irq);
}

static unsigned int xnb_feat_xdp_headroom(void)
{
	return READ_ONCE(xnb_provides_xdp_headroom);
}

static unsigned int xnb_feat_rx_follows_tx(void)
{
	return READ_ONCE(xnb_rx_follows_tx);
}

static const struct xnb_feature xnb_features[XNB_FEAT_NR] = {
	[XNB_FEAT_MAX_QUEUES] = { "multi-queue-max-queues", xnb_feat_queues,
				  1, XNB_MAX_QUEUES_LIMIT, true },
	[XNB_FEAT_SPLIT_EVTCHN] = { "feature-split-event-channels",
				    xnb_feat_split, 0, 1, true },
	[XNB_FEAT_SG] = { "feature-sg", xnb_feat_one, 0, 1, true },
	[XNB_FEAT_GSO_TCPV4] = { "feature-gso-tcpv4", xnb_feat_one, 0, 1, true },
	[XNB_FEAT_GSO_TCPV6] = { "feature-gso-tcpv6", xnb_feat_one, 0, 1, true },
	[XNB_FEAT_IPV6_CSUM] = { "feature-ipv6-csum-offload", xnb_feat_one,
				 0, 1, true },
	[XNB_FEAT_RX_COPY] = { "feature-rx-copy", xnb_feat_one, 1, 1, false },
	[XNB_FEAT_RX_FLIP] = { "feature-rx-flip", xnb_feat_zero, 0, 0, false },
	[XNB_FEAT_MCAST_CTRL] = { "feature-multicast-control", xnb_feat_one,
				  0, 1, true },
	[XNB_FEAT_DYN_MCAST_CTRL] = { "feature-dynamic-multicast-control",
				      xnb_feat_one, 0, 1, true },
	[XNB_FEAT_CTRL_RING] = { "feature-ctrl-ring", xnb_feat_one, 0, 1, true },
	[XNB_FEAT_XDP_HEADROOM] = { "feature-xdp-headroom",
				    xnb_feat_xdp_headroom, 0, 1, true },
	/* Ours, not the protocol's: frontends ignore it. */
	[XNB_FEAT_RX_FOLLOWS_TX] = { "rx-follows-tx", xnb_feat_rx_follows_tx,
				     0, 1, true, xnb_feat_one },
};

/*
 * struct xnb_backend - xenbus-side state of one vif
 */
struct xnb_backend {
	struct xenbus_device *xdev;	/* our xenbus device */
	struct xnb_vif *vif;		/* the interface, from probe on */
	enum xenbus_state state;	/* state we are in (maybe not yet
					 * published, see hotplug_watch)
					 */
	enum xenbus_state fe_state;	/* last frontend state seen */
	unsigned int cap[XNB_FEAT_NR];	/* most a request may set */
	unsigned int feat[XNB_FEAT_NR];	/* values advertised for this vif */
	const char *script;		/* hotplug script, for uevents */
	struct xenbus_watch hotplug_watch;	/* "hotplug-status"; node set
						 * while Connected is held back
						 */
	struct xenbus_watch rate_watch;	/* our "rate" key */
	struct xenbus_watch mcast_watch;	/* frontend's
						 * "request-multicast-control"
						 */
	struct xenbus_watch request_watch;	/* our directory, for
						 * "request-<key>" nodes
						 */
	bool ref_given;			/* the frontend rejoins a restarted
					 * backend (feature-rejoin): the
					 * module reference xenbus holds for
					 * this device is given back, so that
					 * rmmod need not wait for the guest
					 */
};

/* At probe: the vif's limits, and the values advertised until requested. */
static void xnb_features_init(struct xnb_backend *be)
{
	unsigned int i;

	for (i = 0; i < XNB_FEAT_NR; i++) {
		const struct xnb_feature *f = &xnb_features[i];

		be->feat[i] = clamp(f->value(), f->min, f->max);
		be->cap[i] = f->limit ? clamp(f->limit(), f->min, f->max) :
					be->feat[i];
	}
}

static int xnb_features_write(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	struct xenbus_transaction xbt;
	unsigned int tries = 0;
	unsigned int i;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(xdev, err, "starting transaction");
		return err;
	}
	for (i = 0; i < XNB_FEAT_NR; i++) {
		err = xenbus_printf(xbt, xdev->nodename, xnb_features[i].key,
				    "%u", be->feat[i]);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			xenbus_dev_fatal(xdev, err, "writing %s/%s",
					 xdev->nodename, xnb_features[i].key);
			return err;
		}
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN && ++tries < XNB_XS_TRIES)
		goto again;
	if (err) {
		xenbus_dev_fatal(xdev, err, "completing transaction");
		return err;
	}
	/* What ethtool -l reports as the vif's limit. */
	if (be->vif)
		WRITE_ONCE(be->vif->adv_max_queues,
			   be->feat[XNB_FEAT_MAX_QUEUES]);
	return 0;
}

/* ---- xenstore helpers ---------------------------------------------------- */

/*
 * Read a decimal unsigned key strictly. Absent: @dflt. Returns -EINVAL
 * for anything that is not a plain number.
 */
static int xnb_read_uint(const char *dir, const char *node,
			 unsigned int dflt, unsigned int *val)
{
	char *s;
	int err;

	s = xenbus_read(XBT_NIL, dir, node, NULL);
	if (IS_ERR(s)) {
		if (PTR_ERR(s) != -ENOENT)
			return PTR_ERR(s);
		*val = dflt;
		return 0;
	}
	err = kstrtouint(s, 10, val);
	kfree(s);
	return err;
}

static int xnb_read_mac(struct xenbus_device *xdev, u8 *mac)
{
	char *s;
	int err = 0;

	s = xenbus_read(XBT_NIL, xdev->nodename, "mac", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (strlen(s) != 17 || !mac_pton(s, mac))
		err = -EINVAL;
	kfree(s);
	return err;
}

/* "rate" is "<bytes>,<usec>"; absent or malformed means unlimited. */
static void xnb_read_rate(struct xenbus_device *xdev, unsigned long *bytes,
			  unsigned long *usec)
{
	unsigned long b, u;
	char *s, *comma;

	*bytes = ULONG_MAX;
	*usec = 0;

	s = xenbus_read(XBT_NIL, xdev->nodename, "rate", NULL);
	if (IS_ERR(s))
		return;
	comma = strchr(s, ',');
	if (comma) {
		*comma = '\0';
		if (!kstrtoul(s, 10, &b) && !kstrtoul(comma + 1, 10, &u)) {
			*bytes = b;
			*usec = u;
			kfree(s);
			return;
		}
	}
	dev_warn(&xdev->dev, "malformed %s/rate, not rate limiting\n",
		 xdev->nodename);
	kfree(s);
}

static int xnb_watch(struct xenbus_watch *w, const char *dir,
		     const char *node,
		     bool (*will_handle)(struct xenbus_watch *, const char *,
					 const char *),
		     void (*cb)(struct xenbus_watch *, const char *,
				const char *))
{
	int err;

	/* An empty @node watches @dir itself, and so all below it. */
	w->node = *node ? kasprintf(GFP_KERNEL, "%s/%s", dir, node) :
			  kstrdup(dir, GFP_KERNEL);
	if (!w->node)
		return -ENOMEM;
	w->will_handle = will_handle;
	w->callback = cb;
	err = register_xenbus_watch(w);
	if (err) {
		kfree(w->node);
		w->node = NULL;
	}
	return err;
}

static void xnb_unwatch(struct xenbus_watch *w)
{
	if (!w->node)
		return;
	unregister_xenbus_watch(w);
	kfree(w->node);
	w->node = NULL;
}

static void xnb_rate_changed(struct xenbus_watch *w, const char *path,
			     const char *token)
{
	struct xnb_backend *be = container_of(w, struct xnb_backend,
					      rate_watch);
	unsigned long bytes, usec;

	xnb_read_rate(be->xdev, &bytes, &usec);
	xnb_vif_set_rate(be->vif, bytes, usec);
}

/*
 * The frontend can write request-multicast-control as often as it likes;
 * each event would keep the single xenwatch thread, which serves every
 * device, busy. The callback reads the key afresh, so while one event is
 * queued further ones add nothing: drop them (xenbus counts the queued
 * events in nr_pending under its event lock, and takes one off before
 * calling us).
 */
static bool xnb_mcast_will_handle(struct xenbus_watch *w, const char *path,
				  const char *token)
{
	return !w->nr_pending;
}

static void xnb_mcast_changed(struct xenbus_watch *w, const char *path,
			      const char *token)
{
	struct xnb_backend *be = container_of(w, struct xnb_backend,
					      mcast_watch);

	WRITE_ONCE(be->vif->multicast_control,
		   !!xenbus_read_unsigned(be->xdev->otherend,
					  "request-multicast-control", 0));
}

/*
 * The hotplug script reports "connected" once the vif is set up (added to
 * the bridge, ...). Connected is published only then.
 */
static void xnb_hotplug_changed(struct xenbus_watch *w, const char *path,
				const char *token)
{
	struct xnb_backend *be = container_of(w, struct xnb_backend,
					      hotplug_watch);
	char *s;

	s = xenbus_read(XBT_NIL, be->xdev->nodename, "hotplug-status", NULL);
	if (IS_ERR(s))
		return;
	if (!strcmp(s, "connected")) {
		xnb_unwatch(w);
		xenbus_switch_state(be->xdev, be->state);
	}
	kfree(s);
}

/* ---- per-vif requests ------------------------------------------------------ */

#define XNB_REQUEST_PREFIX	"request-"
#define XNB_REASON_LEN		96

static int xnb_feature_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < XNB_FEAT_NR; i++)
		if (!strcmp(xnb_features[i].key, key))
			return i;
	return -ENOENT;
}

/*
 * Check "request-@key = @str" against the table and this vif's limits.
 * Returns the feature's index with the value in @val, or -EINVAL with a
 * readable reason in @why.
 */
static int xnb_request_check(struct xnb_backend *be, const char *key,
			     const char *str, unsigned int *val, char *why)
{
	const struct xnb_feature *f;
	int i;

	i = xnb_feature_find(key);
	if (i < 0) {
		snprintf(why, XNB_REASON_LEN, "unknown feature %.48s", key);
		return -EINVAL;
	}
	f = &xnb_features[i];
	if (!f->tunable) {
		snprintf(why, XNB_REASON_LEN, "%s cannot be set per vif", key);
		return -EINVAL;
	}
	if (kstrtouint(str, 10, val)) {
		snprintf(why, XNB_REASON_LEN, "'%.24s' is not a number", str);
		return -EINVAL;
	}
	if (*val < f->min) {
		snprintf(why, XNB_REASON_LEN, "%u is below the minimum %u",
			 *val, f->min);
		return -EINVAL;
	}
	if (f->max == 1 && *val > 1) {
		snprintf(why, XNB_REASON_LEN, "%u is not 0 or 1", *val);
		return -EINVAL;
	}
	if (*val > be->cap[i]) {
		if (f->max == 1)
			snprintf(why, XNB_REASON_LEN,
				 "this backend cannot enable %s", key);
		else
			snprintf(why, XNB_REASON_LEN,
				 "%u is above this backend's maximum %u",
				 *val, be->cap[i]);
		return -EINVAL;
	}
	return i;
}

/* Publish why @node was refused, once per distinct reason. */
static void xnb_request_refuse(struct xnb_backend *be, const char *err_dir,
			       const char *node, const char *why)
{
	char *old;

	old = xenbus_read(XBT_NIL, err_dir, node, NULL);
	if (!IS_ERR(old)) {
		bool same = !strcmp(old, why);

		kfree(old);
		if (same)
			return;
	}
	dev_info(&be->xdev->dev, "%s refused: %s\n", node, why);
	if (xenbus_write(XBT_NIL, err_dir, node, why))
		dev_warn(&be->xdev->dev, "cannot write %s/%s\n", err_dir, node);
}

/*
 * Check every request node of our directory. An invalid one gets its
 * reason under error/; a valid one loses any old reason and, with
 * @adopt, becomes the advertised value and its node is removed.
 * Returns true when a value was adopted.
 */
static bool xnb_requests_scan(struct xnb_backend *be, bool adopt)
{
	struct xenbus_device *xdev = be->xdev;
	char why[XNB_REASON_LEN];
	char **names, *err_dir, *str;
	unsigned int n, k, val;
	bool adopted = false;
	int i;

	names = xenbus_directory(XBT_NIL, xdev->nodename, "", &n);
	if (IS_ERR(names))
		return false;
	err_dir = kasprintf(GFP_KERNEL, "%s/error", xdev->nodename);
	if (!err_dir)
		goto out;

	for (k = 0; k < n; k++) {
		const char *node = names[k];

		if (!str_has_prefix(node, XNB_REQUEST_PREFIX))
			continue;
		str = xenbus_read(XBT_NIL, xdev->nodename, node, NULL);
		if (IS_ERR(str))
			continue;	/* removed meanwhile */
		i = xnb_request_check(be, node + strlen(XNB_REQUEST_PREFIX),
				      str, &val, why);
		kfree(str);
		if (i < 0) {
			xnb_request_refuse(be, err_dir, node, why);
			continue;
		}
		if (xenbus_exists(XBT_NIL, err_dir, node))
			xenbus_rm(XBT_NIL, err_dir, node);
		if (!adopt)
			continue;
		be->feat[i] = val;
		xenbus_rm(XBT_NIL, xdev->nodename, node);
		dev_info(&xdev->dev, "%s = %u for this vif\n",
			 xnb_features[i].key, val);
		adopted = true;
	}
	kfree(err_dir);
out:
	kfree(names);
	return adopted;
}

/* Adopt what is requested, then advertise. */
static int xnb_features_update(struct xnb_backend *be)
{
	xnb_requests_scan(be, true);
	return xnb_features_write(be);
}

/* A frontend past Initialising has read (or is reading) our features. */
static bool xnb_fe_negotiated(struct xnb_backend *be)
{
	return be->state == XenbusStateConnected ||
	       be->fe_state == XenbusStateInitialised ||
	       be->fe_state == XenbusStateConnected;
}

static void xnb_request_changed(struct xenbus_watch *w, const char *path,
				const char *token)
{
	struct xnb_backend *be = container_of(w, struct xnb_backend,
					      request_watch);
	size_t len = strlen(be->xdev->nodename);

	if (strncmp(path, be->xdev->nodename, len) ||
	    !str_has_prefix(path + len, "/" XNB_REQUEST_PREFIX))
		return;
	/* Checked now; adopted now or at the next connection. */
	if (xnb_fe_negotiated(be))
		xnb_requests_scan(be, false);
	else if (xnb_requests_scan(be, true))
		xnb_features_write(be);
}

/* ---- connect / disconnect --------------------------------------------------- */

/*
 * The receive settings a frontend may change while connected, with the
 * Reconfiguring handshake: the headroom it wants in front of each
 * frame (xdp-headroom, for XDP) and whether it takes GSO frames.
 * Re-read at each connection and each Reconfiguring.
 */
static void xnb_read_frontend_rx(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	struct xnb_vif *vif = be->vif;
	const char *fe = xdev->otherend;
	unsigned int headroom = 0;
	u8 gso = 0;

	if (be->feat[XNB_FEAT_XDP_HEADROOM] &&
	    (xnb_read_uint(fe, "xdp-headroom", 0, &headroom) ||
	     headroom > XNB_XDP_HEADROOM_MAX)) {
		dev_warn(&xdev->dev, "%s/xdp-headroom is not a number up to %u; no headroom\n",
			 fe, XNB_XDP_HEADROOM_MAX);
		headroom = 0;
	}
	WRITE_ONCE(vif->xdp_headroom, headroom);

	/* An offload turned off for this vif is off both ways. */
	if (be->feat[XNB_FEAT_GSO_TCPV4] &&
	    xenbus_read_unsigned(fe, "feature-gso-tcpv4", 0))
		gso |= BIT(XEN_NETIF_GSO_TYPE_TCPV4);
	if (be->feat[XNB_FEAT_GSO_TCPV6] &&
	    xenbus_read_unsigned(fe, "feature-gso-tcpv6", 0))
		gso |= BIT(XEN_NETIF_GSO_TYPE_TCPV6);
	/* GSO frames span slots: no GSO without scatter-gather. */
	if (!vif->can_sg)
		gso = 0;
	WRITE_ONCE(vif->gso_mask, gso);
}

static int xnb_read_frontend(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	struct xnb_vif *vif = be->vif;
	const char *fe = xdev->otherend;
	unsigned int rx_copy;
	int err;

	err = xnb_read_uint(fe, "request-rx-copy", 0, &rx_copy);
	if (err || rx_copy != 1) {
		xenbus_dev_fatal(xdev, err ?: -EOPNOTSUPP,
				 "%s/request-rx-copy must be 1: only copying receive is supported",
				 fe);
		return err ?: -EOPNOTSUPP;
	}

	vif->rx_notify = !!xenbus_read_unsigned(fe, "feature-rx-notify", 0);
	if (vif->rx_notify) {
		vif->drain_timeout = msecs_to_jiffies(xnb_rx_drain_timeout_msecs);
		vif->stall_timeout = msecs_to_jiffies(xnb_rx_stall_timeout_msecs);
	} else {
		/* We must poll such a frontend: keep little, never stall. */
		vif->drain_timeout = msecs_to_jiffies(XNB_RX_DRAIN_NO_NOTIFY_MS);
		vif->stall_timeout = 0;
	}

	vif->can_sg = be->feat[XNB_FEAT_SG] &&
		      xenbus_read_unsigned(fe, "feature-sg", 0);
	xnb_read_frontend_rx(be);
	vif->ip_csum = !xenbus_read_unsigned(fe, "feature-no-csum-offload", 0);
	vif->ipv6_csum = be->feat[XNB_FEAT_IPV6_CSUM] &&
			 xenbus_read_unsigned(fe, "feature-ipv6-csum-offload", 0);
	vif->multicast_control = be->feat[XNB_FEAT_MCAST_CTRL] &&
		xenbus_read_unsigned(fe, "request-multicast-control", 0);
	WRITE_ONCE(vif->rx_follows_tx, !!be->feat[XNB_FEAT_RX_FOLLOWS_TX]);
	return 0;
}

static int xnb_connect_ctrl(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	unsigned int ref, port;
	int err;

	if (!be->feat[XNB_FEAT_CTRL_RING])
		return 0;

	err = xenbus_scanf(XBT_NIL, xdev->otherend, "ctrl-ring-ref", "%u",
			   &ref);
	if (err < 0)
		return 0;	/* no control ring */
	err = xenbus_scanf(XBT_NIL, xdev->otherend, "event-channel-ctrl", "%u",
			   &port);
	if (err != 1) {
		err = err < 0 ? err : -EINVAL;
		xenbus_dev_fatal(xdev, err, "reading %s/event-channel-ctrl",
				 xdev->otherend);
		return err;
	}

	err = xnb_ctrl_connect(be->vif, ref, port);
	if (err)
		xenbus_dev_fatal(xdev, err,
				 "mapping control ring %u, event channel %u",
				 ref, port);
	return err;
}

static int xnb_connect_queue(struct xnb_backend *be, struct xnb_queue *queue,
			     unsigned int num_queues)
{
	struct xenbus_device *xdev = be->xdev;
	unsigned int tx_ref, rx_ref, tx_port, rx_port;
	char *dir;
	int err;

	/* One queue: keys at the top. Several: under queue-N/. */
	if (num_queues == 1)
		dir = kstrdup(xdev->otherend, GFP_KERNEL);
	else
		dir = kasprintf(GFP_KERNEL, "%s/queue-%u", xdev->otherend,
				queue->id);
	if (!dir) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating a path");
		return -ENOMEM;
	}

	err = xenbus_gather(XBT_NIL, dir, "tx-ring-ref", "%u", &tx_ref,
			    "rx-ring-ref", "%u", &rx_ref, NULL);
	if (err) {
		xenbus_dev_fatal(xdev, err, "reading %s/tx-ring-ref and rx-ring-ref",
				 dir);
		goto out;
	}

	err = xenbus_gather(XBT_NIL, dir, "event-channel-tx", "%u", &tx_port,
			    "event-channel-rx", "%u", &rx_port, NULL);
	if (err) {
		err = xenbus_scanf(XBT_NIL, dir, "event-channel", "%u",
				   &tx_port);
		if (err != 1) {
			err = err < 0 ? err : -EINVAL;
			xenbus_dev_fatal(xdev, err,
					 "reading %s/event-channel or event-channel-tx/-rx",
					 dir);
			goto out;
		}
		rx_port = tx_port;
	}

	err = xnb_queue_connect(queue, tx_ref, rx_ref, tx_port, rx_port);
	if (err)
		xenbus_dev_fatal(xdev, err,
				 "%s: mapping rings %u/%u, event channels %u/%u",
				 queue->name, tx_ref, rx_ref, tx_port, rx_port);
out:
	kfree(dir);
	return err;
}

/*
 * The xenbus core holds a reference on this module for every bound
 * device, so that rmmod cannot unload it under a connected guest. A
 * frontend that advertises feature-rejoin closes and connects again by
 * itself when its backend restarts (the restart handshake in
 * Documentation/protocol.rst), so for such a vif the reference is given
 * back: rmmod then unbinds the device (xnb_remove, which takes the
 * reference again for the core to drop). Any other frontend keeps the
 * module held, as the in-tree netback does.
 */
static void xnb_module_ref_update(struct xnb_backend *be, bool rejoins)
{
	if (be->ref_given == rejoins)
		return;
	if (rejoins)
		module_put(THIS_MODULE);
	else
		__module_get(THIS_MODULE);
	be->ref_given = rejoins;
}

/*
 * The frontend says Connected: read its keys and bring the vif up.
 * On failure the device has been moved to Closing with an error node.
 */
static int xnb_connect(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	struct xnb_vif *vif = be->vif;
	unsigned int max = be->feat[XNB_FEAT_MAX_QUEUES];
	unsigned long bytes, usec;
	unsigned int nq, i;
	int err;

	err = xnb_read_uint(xdev->otherend, "multi-queue-num-queues", 1, &nq);
	if (err) {
		xenbus_dev_fatal(xdev, err,
				 "%s/multi-queue-num-queues is not a number",
				 xdev->otherend);
		return err;
	}
	if (nq < 1 || nq > max) {
		xenbus_dev_fatal(xdev, -EINVAL,
				 "frontend requested %u queues, valid range is 1..%u",
				 nq, max);
		return -EINVAL;
	}

	err = xnb_read_mac(xdev, vif->fe_mac);
	if (err) {
		xenbus_dev_fatal(xdev, err, "parsing %s/mac", xdev->nodename);
		return err;
	}

	err = xnb_read_frontend(be);
	if (err)
		return err;

	xnb_read_rate(xdev, &bytes, &usec);
	xnb_vif_set_rate(vif, bytes, usec);
	vif->nr_queues_req = nq;

	err = xnb_connect_ctrl(be);
	if (err)
		return err;

	err = xnb_queues_alloc(vif, nq);
	if (err) {
		xenbus_dev_fatal(xdev, err, "allocating %u queues", nq);
		goto err_ctrl;
	}
	for (i = 0; i < nq; i++) {
		err = xnb_connect_queue(be, &vif->queues[i], nq);
		if (err)
			goto err_queues;
	}

	xnb_vif_start(vif);
	xnb_debugfs_queues_add(vif);

	/* Optional: without them, later changes are simply not seen. */
	if (xnb_watch(&be->rate_watch, xdev->nodename, "rate", NULL,
		      xnb_rate_changed))
		dev_warn(&xdev->dev, "cannot watch %s/rate\n", xdev->nodename);
	if (be->feat[XNB_FEAT_DYN_MCAST_CTRL] &&
	    be->feat[XNB_FEAT_MCAST_CTRL] &&
	    xnb_watch(&be->mcast_watch, xdev->otherend,
		      "request-multicast-control", xnb_mcast_will_handle,
		      xnb_mcast_changed))
		dev_warn(&xdev->dev, "cannot watch %s/request-multicast-control\n",
			 xdev->otherend);

	xnb_module_ref_update(be, xenbus_read_unsigned(xdev->otherend,
						       "feature-rejoin", 0) == 1);
	/* A restart is over once a frontend has connected again. */
	xenbus_rm(XBT_NIL, xdev->nodename, "restarting");

	/* Hold Connected back until the hotplug script is done. */
	xnb_unwatch(&be->hotplug_watch);
	if (xnb_watch(&be->hotplug_watch, xdev->nodename, "hotplug-status",
		      NULL, xnb_hotplug_changed))
		dev_warn(&xdev->dev, "cannot watch %s/hotplug-status, not waiting for it\n",
			 xdev->nodename);
	return 0;

err_queues:
	while (i--)
		xnb_queue_disconnect(&vif->queues[i]);
	xnb_queues_free(vif);
err_ctrl:
	xnb_ctrl_disconnect(vif);
	return err;
}

/* Undo xnb_connect(); harmless when not connected. */
static void xnb_disconnect(struct xnb_backend *be)
{
	struct xnb_vif *vif = be->vif;
	unsigned int i;

	if (!vif)
		return;

	xnb_unwatch(&be->mcast_watch);
	xnb_unwatch(&be->rate_watch);
	if (!vif->queues)
		return;

	xnb_debugfs_queues_remove(vif);
	xnb_vif_stop(vif);
	for (i = 0; i < vif->nr_queues_req; i++)
		xnb_queue_disconnect(&vif->queues[i]);
	xnb_ctrl_disconnect(vif);
	/* Nothing can report a fatal error any more. */
	cancel_work_sync(&vif->fatal_work);
	xnb_mcast_flush(vif);
	xnb_queues_free(vif);
}

/*
 * The frontend went Reconfiguring on a live connection: adopt its new
 * headroom and GSO wishes. Frames already queued keep the layout they
 * were queued with (xnb_rx_cb), so the ring stays consistent.
 */
static void xnb_reconfigure(struct xnb_backend *be)
{
	struct xnb_vif *vif = be->vif;

	xnb_read_frontend_rx(be);
	rtnl_lock();
	netdev_update_features(vif->dev);
	rtnl_unlock();
	dev_info(&be->xdev->dev, "reconfigured: xdp-headroom %u, GSO to the guest %s\n",
		 vif->xdp_headroom, vif->gso_mask ? "on" : "off");
}

/* ---- state machine ------------------------------------------------------------- */

/* Write @state to xenstore, unless it is Connected and hotplug is pending. */
static void xnb_publish_state(struct xnb_backend *be, enum xenbus_state state)
{
	be->state = state;
	if (state == XenbusStateConnected && be->hotplug_watch.node)
		return;
	xnb_unwatch(&be->hotplug_watch);
	xenbus_switch_state(be->xdev, state);
}

/*
 * The next step from @cur towards @target. The backend moves
 * Initialising -> InitWait -> Connected, and from anywhere through
 * Closing to Closed; from Closed it can start over at InitWait.
 */
static enum xenbus_state xnb_next_state(enum xenbus_state cur,
					enum xenbus_state target)
{
	switch (cur) {
	case XenbusStateInitialising:
		return target == XenbusStateClosed ? XenbusStateClosed : XenbusStateInitWait;
	case XenbusStateInitWait:
		return target == XenbusStateConnected ? XenbusStateConnected :
						    XenbusStateClosing;
	case XenbusStateClosed:
		return target == XenbusStateClosing ? XenbusStateClosing :
						  XenbusStateInitWait;
	case XenbusStateConnected:
	case XenbusStateClosing:
	default:
		return cur == XenbusStateClosing ? XenbusStateClosed : XenbusStateClosing;
	}
}

static void xnb_set_state(struct xnb_backend *be, enum xenbus_state target)
{
	while (be->state != target) {
		enum xenbus_state next = xnb_next_state(be->state, target);

		if (be->state == XenbusStateConnected)
			xnb_disconnect(be);
		/* xenbus_dev_fatal() moves a failed device to Closing. */
		if ((next == XenbusStateConnected && xnb_connect(be)) ||
		    (next == XenbusStateInitWait && xnb_features_update(be))) {
			be->state = XenbusStateClosing;
			return;
		}
		xnb_publish_state(be, next);
	}
}

static void xnb_frontend_changed(struct xenbus_device *xdev,
				 enum xenbus_state fe_state)
{
	struct xnb_backend *be = dev_get_drvdata(&xdev->dev);

	dev_dbg(&xdev->dev, "frontend %s\n", xenbus_strstate(fe_state));
	be->fe_state = fe_state;

	switch (fe_state) {
	case XenbusStateInitialising:
		xnb_set_state(be, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
		break;
	case XenbusStateConnected:
		/* Back from a reconfiguration: the connection went on. */
		if (be->state == XenbusStateConnected &&
		    xdev->state == XenbusStateReconfigured) {
			xenbus_switch_state(xdev, XenbusStateConnected);
			break;
		}
		xnb_set_state(be, XenbusStateConnected);
		break;
	case XenbusStateReconfiguring:
		/* The receive settings may change on a live connection. */
		if (be->state == XenbusStateConnected)
			xnb_reconfigure(be);
		xenbus_switch_state(xdev, XenbusStateReconfigured);
		break;
	case XenbusStateClosing:
		xnb_set_state(be, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		xnb_set_state(be, XenbusStateClosed);
		if (xenbus_dev_is_online(xdev))
			break;
		fallthrough;	/* the toolstack is removing the device */
	case XenbusStateUnknown:
		xnb_set_state(be, XenbusStateClosed);
		device_unregister(&xdev->dev);
		break;
	default:
		xenbus_dev_fatal(xdev, -EINVAL, "frontend in unknown state %d",
				 fe_state);
		break;
	}
}

/* ---- probe / remove ----------------------------------------------------------- */

/*
 * xnb_uevent runs whenever user space asks (echo change > uevent), with
 * no lock of the driver core held, so it may race with xnb_remove: it
 * looks up the backend under this lock, and xnb_remove clears drvdata
 * under it before freeing anything the uevent reads.
 */
static DEFINE_SPINLOCK(xnb_uevent_lock);

/* How long an unbind waits for a connected frontend to close. */
#define XNB_RESTART_WAIT_MS	2000
#define XNB_RESTART_POLL_MS	10

/*
 * Write "restarting" = 1, but only into a backend directory that still
 * has its state node: the toolstack may be removing it right now, and
 * a write would create it again.
 */
static int xnb_restart_mark(struct xenbus_device *xdev)
{
	struct xenbus_transaction xbt;
	unsigned int tries = 0;
	int cur, err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err)
		return err;
	if (xenbus_scanf(xbt, xdev->nodename, "state", "%d", &cur) != 1) {
		xenbus_transaction_end(xbt, 1);
		return -ENOENT;
	}
	err = xenbus_write(xbt, xdev->nodename, "restarting", "1");
	if (err) {
		xenbus_transaction_end(xbt, 1);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN && ++tries < XNB_XS_TRIES)
		goto again;
	return err;
}

/*
 * The driver is unbound (rmmod, or unbind in sysfs) from a device the
 * toolstack still wants: announce that a backend will return
 * ("restarting" = 1), go Closing and give a connected frontend a bounded
 * time to close before its rings are unmapped. xnb_remove goes Closed
 * afterwards. Returns whether the handshake was started.
 */
static bool xnb_restart_begin(struct xnb_backend *be)
{
	struct xenbus_device *xdev = be->xdev;
	unsigned int waited;
	enum xenbus_state fe;

	if (be->state != XenbusStateConnected &&
	    be->state != XenbusStateInitWait)
		return false;
	if (!xenbus_dev_is_online(xdev) || xnb_restart_mark(xdev))
		return false;

	xenbus_switch_state(xdev, XenbusStateClosing);
	if (be->state != XenbusStateConnected)
		return true;
	for (waited = 0; waited < XNB_RESTART_WAIT_MS;
	     waited += XNB_RESTART_POLL_MS) {
		fe = xenbus_read_driver_state(xdev->otherend);
		if (fe == XenbusStateClosed || fe == XenbusStateUnknown)
			return true;
		msleep(XNB_RESTART_POLL_MS);
	}
	dev_warn(&xdev->dev, "frontend did not close in %u ms; unmapping its rings\n",
		 XNB_RESTART_WAIT_MS);
	return true;
}

static void xnb_remove(struct xenbus_device *xdev)
{
	struct xnb_backend *be = dev_get_drvdata(&xdev->dev);
	bool restart;

	if (!be)
		return;

	xnb_unwatch(&be->request_watch);
	xnb_unwatch(&be->hotplug_watch);
	restart = xnb_restart_begin(be);
	xenbus_rm(XBT_NIL, xdev->nodename, "hotplug-status");
	/* The hotplug script still learns the vif's name from this one. */
	if (be->vif)
		kobject_uevent(&xdev->dev.kobj, KOBJ_OFFLINE);

	spin_lock(&xnb_uevent_lock);
	dev_set_drvdata(&xdev->dev, NULL);
	spin_unlock(&xnb_uevent_lock);

	if (be->vif) {
		xnb_disconnect(be);
		xnb_vif_destroy(be->vif);
		be->vif = NULL;
	}
	if (restart) {
		xenbus_switch_state(xdev, XenbusStateClosed);
		dev_info(&xdev->dev, "unbound; the frontend may rejoin the next backend\n");
	}
	/* The xenbus core drops its reference once we return. */
	if (be->ref_given)
		__module_get(THIS_MODULE);
	kfree(be->script);
	kfree(be);
}

/*
 * The toolstack's MTU for the vif: xl's mtu= in the vif spec, written to
 * the backend directory (which only dom0 writes) when it is not 1500.
 * vif-bridge also sets it from its hotplug script; this covers the
 * scripts that do not. The vif's checks apply (more than 1500 is taken
 * back at connection time if the frontend has no SG).
 */
static void xnb_vif_toolstack_mtu(struct xnb_backend *be)
{
	struct net_device *dev = be->vif->dev;
	unsigned int mtu;
	int err;

	mtu = xenbus_read_unsigned(be->xdev->nodename, "mtu", 0);
	if (!mtu || mtu == dev->mtu)
		return;
	err = -EINVAL;
	rtnl_lock();
	if (mtu <= INT_MAX)
		err = dev_set_mtu(dev, mtu);
	rtnl_unlock();
	if (err)
		dev_warn(&be->xdev->dev, "MTU %u from %s/mtu not applied (%d)\n",
			 mtu, be->xdev->nodename, err);
}

static int xnb_probe(struct xenbus_device *xdev,
		     const struct xenbus_device_id *id)
{
	struct xnb_backend *be;
	struct xnb_vif *vif;
	unsigned int handle;
	char *script;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating backend state");
		return -ENOMEM;
	}
	be->xdev = xdev;
	be->state = XenbusStateInitialising;
	dev_set_drvdata(&xdev->dev, be);

	err = xenbus_scanf(XBT_NIL, xdev->nodename, "handle", "%u", &handle);
	if (err != 1) {
		err = err < 0 ? err : -EINVAL;
		xenbus_dev_fatal(xdev, err, "reading %s/handle", xdev->nodename);
		goto fail;
	}

	/* Optional: it only feeds the hotplug uevent. */
	script = xenbus_read(XBT_NIL, xdev->nodename, "script", NULL);
	if (!IS_ERR(script))
		be->script = script;

	/* Advertised, requests adopted, on the way to InitWait below. */
	xnb_features_init(be);

	/* The netdev must exist before the hotplug script runs on InitWait. */
	vif = xnb_vif_create(&xdev->dev, xdev->otherend_id, handle,
			     be->cap[XNB_FEAT_MAX_QUEUES]);
	if (IS_ERR(vif)) {
		err = PTR_ERR(vif);
		xenbus_dev_fatal(xdev, err, "creating vif%u.%u",
				 xdev->otherend_id, handle);
		goto fail;
	}
	vif->be = be;
	be->vif = vif;
	xnb_vif_toolstack_mtu(be);

	xnb_set_state(be, XenbusStateInitWait);
	if (xnb_watch(&be->request_watch, xdev->nodename, "", NULL,
		      xnb_request_changed))
		dev_warn(&xdev->dev, "cannot watch %s, later requests are not seen\n",
			 xdev->nodename);
	kobject_uevent(&xdev->dev.kobj, KOBJ_ONLINE);
	return 0;

fail:
	xnb_remove(xdev);
	return err;
}

/* Environment for the hotplug script when udev runs it. */
static int xnb_uevent(XNET_UEVENT_XENBUS_DEV *xdev,
		      struct kobj_uevent_env *env)
{
	struct xnb_backend *be;
	int err = 0;

	spin_lock(&xnb_uevent_lock);
	be = dev_get_drvdata(&xdev->dev);
	if (!be)
		goto out;
	if (be->script) {
		err = add_uevent_var(env, "script=%s", be->script);
		if (err)
			goto out;
	}
	if (be->vif)
		err = add_uevent_var(env, "vif=%s", be->vif->dev->name);
out:
	spin_unlock(&xnb_uevent_lock);
	return err;
}

static const struct xenbus_device_id xnb_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver xnb_driver = {
	.ids			= xnb_ids,
	.probe			= xnb_probe,
	.remove			= xnb_remove,
	.uevent			= xnb_uevent,
	.otherend_changed	= xnb_frontend_changed,
	.allow_rebind		= true,
};

int xnb_xenbus_init(void)
{
	return xenbus_register_backend(&xnb_driver);
}

void xnb_xenbus_exit(void)
{
	xenbus_unregister_driver(&xnb_driver);
}
