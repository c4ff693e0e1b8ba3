#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-vif feature control: request-<key> nodes in our netback's
# directory, written by tools/xen-vifctl from a domain config, with the
# in-tree netfront and ours as the peers.
. "$(dirname "$0")/scenarios.sh"

VIFCTL=$OURS/xen-vifctl
tag="per-vif features"

# be_key NAME DEVID KEY: a key of the vif's backend directory.
be_key() { xenstore-read "$(be_path "$1" "$2")/$3" 2>/dev/null; }

# be_is NAME DEVID KEY VALUE
be_is() {
	local v
	v=$(be_key "$1" "$2" "$3")
	[ "$v" = "$4" ] || { echo "$(be_path "$1" "$2")/$3 is '$v', wanted '$4'" >&2; return 1; }
}

# adopted NAME DEVID KEY VALUE: advertised and the request node gone.
adopted() {
	be_is "$@" || return 1
	! xenstore-exists "$(be_path "$1" "$2")/request-$3" ||
		{ echo "request-$3 still there" >&2; return 1; }
}

# refused NAME DEVID REQUEST VALUE DEFAULT_KEY DEFAULT: the request node
# kept with its value, a reason under error/, the default in force.
refused() {
	local name=$1 dev=$2 req=$3 val=$4 key=$5 dflt=$6 p why
	p=$(be_path "$name" "$dev")
	be_is "$name" "$dev" "$req" "$val" || return 1
	why=$(xenstore-read "$p/error/$req" 2>/dev/null)
	[ -n "$why" ] || { echo "no reason in $p/error/$req" >&2; return 1; }
	echo "reason: $why"
	grep -qF -- "$why" /tmp/rj.create.log ||
		{ echo "xen-vifctl did not print the reason" >&2; return 1; }
	be_is "$name" "$dev" "$key" "$dflt"
}

# vif_up NAME DEVID Q: backend Connected, frontend with Q queues.
vif_up() { be_is "$1" "$2" state "$XB_CONNECTED" && fe_layout_ok "$1" "$3" "$2"; }

# said_pending RC OUTPUT
said_pending() { [ "$1" = 0 ] && grep -qi pending <<<"$2"; }

# pending NAME KEY ADVERTISED REQUESTED
pending() { be_is "$1" 0 "$2" "$3" && be_is "$1" 0 "request-$2" "$4"; }

# guest_feature NAME FEATURE on|off: a line of the guest's ethtool -k
# (top-level or indented sub-feature) says FEATURE: on|off.
# The grep runs in the guest: domu_exec returns only the end of a long
# output such as ethtool -k's.
guest_feature() {
	domu_exec "$1" "ethtool -k eth0 | grep -E '^[[:space:]]*$2: $3'" && return 0
	domu_exec "$1" "ethtool -k eth0 | grep -E 'segmentation|scatter'" >&2
	return 1
}

vifctl_reload_ours() {
	domu_exec "$1" "rmmod xen-netfront && insmod /lib/modules/ours/xen-netfront.ko max_queues=4 &&
		i=0; while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 100 ]; do sleep 0.2; i=\$((i+1)); done;
		ip addr add $(domu_ip "$2")/24 dev eth0 && ip link set eth0 up" 90
}

netback_use ours max_queues=4 || { xt_fail "$tag: our netback loads with max_queues=4"; exit 0; }

# ---- two guests at once, one limited to 2 queues -------------------------
# A: in-tree netfront, queues=2 and no scatter-gather; B: our netfront,
# no TCPv4 segmentation offload, queue count left to the default (4).
# Both are created at once (a boot is mostly one emulated CPU's work),
# and with them rj, the guest of the refused requests further down;
# each one's status and xen-vifctl's exit status go to /tmp/NAME.rc.
( domu_create fa vcpus=4 front=intree fq=4 idx=1 via="$VIFCTL create" \
	vif="bridge=xenbr0,queues=2,features=sg:0"; echo "$? $DOMU_CREATE_RC" >/tmp/fa.rc ) &
( domu_create fb vcpus=4 front=ours fq=4 idx=2 via="$VIFCTL create" \
	vif="bridge=xenbr0,features=gso-tcpv4:0"; echo "$? $DOMU_CREATE_RC" >/tmp/fb.rc ) &
# One guest, four vifs, each with a request the backend must refuse; it
# runs anyway (--force) with the defaults, and its first vif carries
# the guest's network.
( domu_create rj vcpus=2 front=ours fq=2 idx=3 via="$VIFCTL create --force" \
	vifs='"bridge=xenbr0,queues=0", "bridge=xenbr0,queues=99", "bridge=xenbr0,queues=abc", "bridge=xenbr0,features=bogus:1"' \
	; echo "$? $DOMU_CREATE_RC" >/tmp/rj.rc ) &
wait
read -r ok_a rc_a </tmp/fa.rc
read -r ok_b rc_b </tmp/fb.rc
[ "$ok_a" = 0 ] || { xt_fail "$tag: guest A created with xen-vifctl"; exit 0; }
xt_check "$tag: xen-vifctl create exits 0 for A" test "$rc_a" = 0
[ "$ok_b" = 0 ] || { xt_fail "$tag: guest B created with xen-vifctl"; exit 0; }
xt_check "$tag: xen-vifctl create exits 0 for B" test "$rc_b" = 0
xt_diag "$(cat /tmp/fa.create.log /tmp/fb.create.log)"

xt_check "$tag: A's backend advertises 2 queues, request adopted" \
	adopted fa 0 multi-queue-max-queues 2
xt_check "$tag: A's backend advertises feature-sg=0, request adopted" \
	adopted fa 0 feature-sg 0
xt_check "$tag: B's backend keeps 4 queues" be_is fb 0 multi-queue-max-queues 4
xt_check "$tag: B's backend advertises feature-gso-tcpv4=0, request adopted" \
	adopted fb 0 feature-gso-tcpv4 0
xt_check "$tag: A (in-tree netfront) negotiated 2 queues" fe_layout_ok fa 2
xt_check "$tag: B (our netfront) negotiated 4 queues" fe_layout_ok fb 4
xt_check "$tag: A's in-tree netfront turned scatter-gather off" \
	guest_feature fa scatter-gather off
xt_check "$tag: B's netfront turned TCPv4 segmentation offload off" \
	guest_feature fb tx-tcp-segmentation off
for g in "fa 1 2" "fb 2 4"; do
	set -- $g
	xt_check "$tag: $1: ping" wait_for "ping $1" 30 ping_ok "$1" "$2"
	xt_check "$tag: $1: iperf3 guest-rx, 4 streams" iperf_ok "$1" "$2" 4 rx
	xt_check "$tag: $1: iperf3 guest-tx, 4 streams" iperf_ok "$1" "$2" 4 tx
	xt_check "$tag: $1: dom0 ethtool -S shows traffic on each of its $3 queues" \
		queues_all_busy "vif$(domid "$1").0" "$3"
done
xt_check "$tag: A's console clean, destroyed" domu_destroy fa

# ---- a request made while B is connected waits for its next connection ---
out=$("$VIFCTL" set fb 0 queues=2 2>&1)
rc=$?
xt_diag "xen-vifctl set fb 0 queues=2: exit $rc: $out"
xt_check "$tag: set on a connected vif exits 0 and says it is pending" \
	said_pending "$rc" "$out"
xt_check "$tag: connected B still advertises 4 queues, request kept" \
	pending fb multi-queue-max-queues 4 2
xt_check "$tag: connected B keeps its 4 queues" fe_layout_ok fb 4
xt_check "$tag: B still pings" ping_ok fb 2
xt_check "$tag: B's netfront reloads (the vif reconnects)" vifctl_reload_ours fb 2
xt_check "$tag: reconnected B negotiated 2 queues" \
	wait_for "B's queue-1 being the last" 30 fe_layout_ok fb 2
xt_check "$tag: the pending request was adopted" adopted fb 0 multi-queue-max-queues 2
xt_check "$tag: B's ping after the reconnection" wait_for "ping B" 30 ping_ok fb 2
xt_check "$tag: B's iperf3 after the reconnection" iperf_ok fb 2 2 rx
# The vif's counters outlive the reconnection: count what is new.
b0=$(ethtool -S "vif$(domid fb).0")
spread_traffic fb 2
xt_check "$tag: B's new traffic on both queues" queues_all_busy "vif$(domid fb).0" 2 "$b0"
xt_check "$tag: B's console clean, destroyed" domu_destroy fb

# ---- refused requests --------------------------------------------------------
# rj, created with fa and fb.
read -r ok_j rc_j </tmp/rj.rc
[ "$ok_j" = 0 ] || { xt_fail "$tag: guest with refused requests created"; exit 0; }
xt_diag "$(cat /tmp/rj.create.log)"
xt_check "$tag: xen-vifctl create reports the refusal (exit 1)" \
	sh -c "[ '$rc_j' = 1 ] || { echo 'xen-vifctl create exited $rc_j' >&2; exit 1; }"
xt_check "$tag: queues=0 refused with a reason, 4 queues in force" \
	refused rj 0 request-multi-queue-max-queues 0 multi-queue-max-queues 4
xt_check "$tag: queues=99 refused with a reason, 4 queues in force" \
	refused rj 1 request-multi-queue-max-queues 99 multi-queue-max-queues 4
xt_check "$tag: queues=abc refused with a reason, 4 queues in force" \
	refused rj 2 request-multi-queue-max-queues abc multi-queue-max-queues 4
xt_check "$tag: an unknown feature refused with a reason, defaults in force" \
	refused rj 3 request-feature-bogus 1 feature-sg 1
for dev in 0 1 2 3; do
	xt_check "$tag: vif $dev with a refused request connected with 2 queues" \
		vif_up rj "$dev" 2
done
xt_check "$tag: the guest's network works" wait_for "ping rj" 30 ping_ok rj 3
xt_check "$tag: iperf3 with the refused requests" iperf_ok rj 3 2 rx
xt_check "$tag: rj's console clean, destroyed" domu_destroy rj

# Without --force a refused request leaves no domain behind.
domu_create rj2 front=ours idx=4 via="$VIFCTL create" vif="bridge=xenbr0,queues=99" 2>/dev/null
rc=$?
xt_check "$tag: without --force a refused request fails the create and destroys the domain" \
	sh -c "[ $rc != 0 ] && ! xl domid rj2 2>/dev/null"
domus_destroy_all >/dev/null
