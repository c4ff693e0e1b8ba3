#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP helpers for 75-xdp.sh, 30-netback.sh, 40-netfront.sh and bench.sh,
# run in dom0. The programs
# (selftests/xen-net/bpf/*.c) are built on the host and sit in the domU
# image as /usr/lib/xnet-bpf/xdp-NAME.o; frames come from pktgen in
# dom0, sent straight into a vif.

XDP_OBJ=/usr/lib/xnet-bpf
# iproute2's ip, which loads XDP objects (through libbpf); a plain "ip"
# in the guest's shell is busybox's applet.
XDP_IP=/usr/sbin/ip

# xdp_attach NAME PROG: load xdp-PROG.o (pass, drop, tx, redirect) on
# the guest's eth0 in driver mode, replacing any program there; prints
# ip's output (extack included).
xdp_attach() {
	domu_exec "$1" "$XDP_IP -force link set dev eth0 xdpdrv obj $XDP_OBJ/xdp-$2.o sec xdp 2>&1"
}

# xdp_detach NAME
xdp_detach() {
	domu_exec "$1" "$XDP_IP link set dev eth0 xdpdrv off 2>&1"
}

# guest_mac NAME: the vif's MAC address as the backend has it.
guest_mac() { xenstore-read "$(be_path "$1")/mac"; }

# guest_estat NAME COUNTER: one line of our netfront's ethtool -S.
guest_estat() {
	domu_exec "$1" "ethtool -S eth0 | awk '\$1 == \"$2:\" { print \$2 }'"
}

# guest_sstat NAME COUNTER: /sys/class/net/eth0/statistics/COUNTER.
guest_sstat() { domu_exec "$1" "cat /sys/class/net/eth0/statistics/$2"; }

# vif_sstat VIF COUNTER: dom0's counter of the vif (tx: towards the guest).
vif_sstat() { cat "/sys/class/net/$1/statistics/$2"; }


NPKT=3000
# At most one frame per 100 us (300 us on the debug kernel): a guest
# that sends every frame back (XDP_TX, XDP_REDIRECT) keeps up, so every
# frame can be counted. (At 50 us, a make check under load once, and
# the debug kernel's slower dom0 always, filled the guest's TX ring:
# XDP_TX then drops and counts the frames in xdp_errors, as it should.)
GAP_NS=100000
[ "${RIG_KERNEL:-debian}" = debug ] && GAP_NS=300000

# xdp_get NAME KEY: one of our netfront's xdp_* totals.
xdp_get() { guest_estat "$1" "$2"; }

# delivered_is NAME VIF KEY C0 T0 MIN: the guest's KEY grew from C0 by
# what the vif delivered since T0 (tx_packets), at least MIN. The two
# counters are read a moment apart (the guest's through its agent), so
# a frame of other traffic (ARP) delivered in between may be on one
# side only: up to XDP_SLACK frames of difference are allowed.
XDP_SLACK=4
delivered_is() {
	local c t d
	c=$(xdp_get "$1" "$3") || return 1
	t=$(vif_sstat "$2" tx_packets) || return 1
	echo "guest $3 +$((c - $4)), vif delivered +$((t - $5))"
	d=$(( (c - $4) - (t - $5) ))
	[ $((t - $5)) -ge "$6" ] && [ $((c - $4)) -ge "$6" ] && [ ${d#-} -le $XDP_SLACK ]
}

# xdp_action_ok NAME IDX PROG KEY [NQ]: attach PROG, send NPKT frames
# over NQ queues; the guest counts each delivered frame under KEY. For
# tx and redirect the frames also come back: dom0's vif receives at
# least as many. Leaves the program attached.
xdp_action_ok() {
	local name=$1 idx=$2 prog=$3 key=$4 nq=${5:-1} vif c0 t0 r0 r1 c1 out want
	vif=vif$(domid "$name").0
	out=$(xdp_attach "$name" "$prog") || { echo "attach: $out" >&2; return 1; }
	c0=$(xdp_get "$name" "$key")
	t0=$(vif_sstat "$vif" tx_packets)
	r0=$(vif_sstat "$vif" rx_packets)
	pktgen_send "$vif" "$(domu_ip "$idx")" "$(guest_mac "$name")" "$NPKT" "$nq" 64 "$GAP_NS" >/dev/null || return 1
	wait_for "the guest's $key to match what $vif delivered" 20 \
		delivered_is "$name" "$vif" "$key" "$c0" "$t0" "$NPKT" || {
		delivered_is "$name" "$vif" "$key" "$c0" "$t0" "$NPKT" >&2
		return 1
	}
	delivered_is "$name" "$vif" "$key" "$c0" "$t0" "$NPKT"
	[ "$prog" = tx ] || [ "$prog" = redirect ] || return 0
	c1=$(xdp_get "$name" "$key")
	# Less the slack, as above: the guest's count and the vif's are
	# read a moment apart, and a frame of other traffic may be on one
	# side only (on the debug kernel the guest once sent back 3001 and
	# the vif had received 3000).
	want=$((c1 - c0 - XDP_SLACK))
	wait_for "$vif to receive the $((c1 - c0)) frames sent back (at least $want)" 20 \
		sh -c "[ \$((\$(cat /sys/class/net/$vif/statistics/rx_packets) - $r0)) -ge $want ]" || {
		echo "$vif received +$(( $(vif_sstat "$vif" rx_packets) - r0 )) of $((c1 - c0)) sent back" >&2
		return 1
	}
	r1=$(vif_sstat "$vif" rx_packets)
	echo "$vif received +$((r1 - r0)) frames back"
}

# no_ping NAME IDX: dom0's ping gets no answer.
no_ping() { ! ping -c 2 -i 0.3 -W 1 "$(domu_ip "$2")" >/dev/null 2>&1; }

# fe_xdp_keys NAME HEADROOM GSO [BE_STATES]: the frontend published
# xdp-headroom (or none, for "-") and feature-gso-tcpv4 = GSO, and is
# Connected; the backend is in one of BE_STATES (default
# $XB_CONNECTED; the in-tree netback stays in $XB_RECONFIGURED after a
# reconfiguration).
fe_xdp_keys() {
	local fe be h g fs bs
	fe=$(fe_path "$1") be=$(be_path "$1")
	h=$(xenstore-read "$fe/xdp-headroom" 2>/dev/null || echo -)
	g=$(xenstore-read "$fe/feature-gso-tcpv4" 2>/dev/null)
	fs=$(xenstore-read "$fe/state") bs=$(xenstore-read "$be/state")
	echo "xdp-headroom $h, feature-gso-tcpv4 $g, frontend/backend states $fs/$bs"
	[ "$h" = "$2" ] && [ "$g" = "$3" ] && [ "$fs" = "$XB_CONNECTED" ] && [[ " ${4:-$XB_CONNECTED} " == *" $bs "* ]]
}

# channels_max VIF N: ethtool -l's pre-set maximum of combined channels.
channels_max() {
	local m
	m=$(ethtool -l "$1" | awk '/^Combined:/ { print $2; exit }')
	echo "$1: pre-set maximum $m combined channels"
	[ "$m" = "$2" ]
}

# xdp_intree_front_checks NAME IDX Q TAG: the in-tree netfront on our
# netback (vif limited to Q queues): ethtool -l on the vif shows the
# limit, its XDP_DROP really drops what our netback delivers (it asks
# for the headroom our netback advertises), its XDP_PASS still
# delivers, and removing the program restores traffic.
xdp_intree_front_checks() {
	local name=$1 idx=$2 q=$3 tag=$4 vif r0 t0 r1 t1
	vif=vif$(domid "$name").0
	xt_check "$tag: ethtool -l on $vif shows the vif's limit $q" channels_max "$vif" "$q"
	xt_check "$tag: the in-tree netfront attaches XDP_DROP" xdp_attach "$name" drop
	xt_check "$tag: it asked our netback for headroom" \
		wait_for "xdp-headroom 256" 10 sh -c "[ \"\$(xenstore-read $(fe_path "$name")/xdp-headroom)\" = 256 ]"
	r0=$(guest_sstat "$name" rx_packets) t0=$(vif_sstat "$vif" tx_packets)
	pktgen_send "$vif" "$(domu_ip "$idx")" "$(guest_mac "$name")" "$NPKT" "$q" 64 "$GAP_NS" >/dev/null
	sleep 1
	r1=$(guest_sstat "$name" rx_packets) t1=$(vif_sstat "$vif" tx_packets)
	xt_diag "$tag: vif delivered +$((t1 - t0)), guest rx_packets +$((r1 - r0))"
	xt_check "$tag: XDP_DROP in the in-tree netfront drops what our netback delivers" \
		test $((t1 - t0)) -ge "$NPKT" -a $((r1 - r0)) -eq 0
	xt_check "$tag: nothing answers ping while XDP_DROP is attached" no_ping "$name" "$idx"
	xdp_attach "$name" pass >/dev/null
	xt_check "$tag: with XDP_PASS our netback's headroom layout reaches its stack intact" \
		wait_for "ping $name with XDP_PASS" 10 ping_ok "$name" "$idx"
	xdp_detach "$name" >/dev/null
	xt_check "$tag: ping after removing the program" wait_for "ping $name" 10 ping_ok "$name" "$idx"
}

# xdp_ours_on_intree_checks NAME IDX Q TAG: our netfront on the in-tree
# netback: XDP_DROP counts every frame (over Q queues), the headroom
# handshake with the in-tree netback (which stays Reconfigured),
# XDP_TX, XDP_PASS, traffic after the removal.
xdp_ours_on_intree_checks() {
	local name=$1 idx=$2 q=$3 tag=$4
	xt_check "$tag: XDP_DROP counts every frame dom0 delivered" xdp_action_ok "$name" "$idx" drop xdp_dropped "$q"
	xt_check "$tag: headroom asked for (Reconfiguring handshake)" fe_xdp_keys "$name" 256 0 "$XB_CONNECTED $XB_RECONFIGURED"
	xt_check "$tag: XDP_TX returns every frame to dom0" xdp_action_ok "$name" "$idx" tx xdp_tx
	xt_check "$tag: XDP_PASS delivers to the stack" xdp_action_ok "$name" "$idx" pass xdp_passed
	xt_check "$tag: ping with XDP_PASS" ping_ok "$name" "$idx"
	xdp_detach "$name" >/dev/null
	xt_check "$tag: iperf3 guest-rx after removing the program" iperf_ok "$name" "$idx" 2 rx
}
