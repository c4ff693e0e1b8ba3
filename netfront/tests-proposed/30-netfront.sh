#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our netfront in a domU against the in-tree netback in dom0: queue
# negotiation and the xenstore layout it produces, traffic both ways
# over IPv4 and IPv6 with data integrity, ethtool, hot-unplug and
# re-plug, module reload with a live vif, and save/restore onto a
# backend offering fewer queues (the count is renegotiated).
#
# Proposed for tools/testing/selftests/xen-net/; lives under
# netfront/tests-proposed/ until it is adopted.
. "$(dirname "$0")/lib.sh"

D=nf
T="netfront ours/intree"

# eth_in NAME: name of the guest's first ethernet interface, if any.
eth_in() {
	domu_exec "$1" 'ls /sys/class/net | grep -m1 "^eth"'
}

# guest_up NAME IDX: give the guest's interface its address and bring it up.
guest_up() {
	local ifc
	ifc=$(eth_in "$1") || return 1
	[ -n "$ifc" ] || { echo "no ethernet interface in $1" >&2; return 1; }
	domu_exec "$1" "ip addr add $(domu_ip "$2")/24 dev $ifc 2>/dev/null; \
		ip -6 addr add $(domu_ip6 "$2")/64 dev $ifc nodad 2>/dev/null; \
		ip link set $ifc up" >/dev/null
}

# ethtool_has NAME CMD REGEX: CMD's output in the guest has a line
# matching REGEX (xenstore hands the output back with \n and \t escaped).
ethtool_has() {
	local out
	out=$(domu_exec "$1" "$2") || return 1
	out=$(printf '%b' "$out")
	grep -qE "$3" <<<"$out" || { echo "$out" >&2; return 1; }
}

has_eth() { [ -n "$(eth_in "$1")" ]; }
no_eth() { [ -z "$(eth_in "$1")" ]; }
fe_gone() { [ -z "$(xenstore-read "$(fe_path "$1" "${2:-0}")/state" 2>/dev/null)" ]; }

fe_state_is() {
	[ "$(xenstore-read "$(fe_path "$1" "${3:-0}")/state" 2>/dev/null)" = "$2" ]
}

# ---- two queues: backend offers 4, a 2-vcpu guest asks for its default
if netback_use intree max_queues=4 && domu_create $D vcpus=2 front=ours idx=1; then
	xt_pass "$T q=2: domU with our netfront boots"
	xt_diag "$(xenstore-ls -f "$(fe_path $D)" | grep -E 'queue|ring-ref|event-channel|feature|request')"
	xt_check "$T q=2: xenstore layout has queue-0 and queue-1" fe_layout_ok $D 2
	xt_check "$T q=2: guest has 2 tx and 2 rx queues" domu_queues_are $D 2
	xt_check "$T q=2: ethtool -i names our driver" \
		ethtool_has $D "ethtool -i eth0" '^driver: xen-netfront'
	xt_check "$T q=2: ethtool -l reports 2 combined channels" \
		ethtool_has $D "ethtool -l eth0 | sed -n '/Current/,\$p'" '^Combined:[[:space:]]+2'
	xt_check "$T q=2: ping" wait_for "ping over our netfront" 30 ping_ok $D 1
	# The guest speaks first, so dom0 learns its neighbour entry from the
	# guest's solicitation whatever the bridge does with multicast.
	xt_check "$T q=2: guest pings dom0 over IPv6" \
		domu_exec $D "ping -6 -c 3 -W 5 $BRIDGE_IP6"
	xt_check "$T q=2: ping6" ping -6 -c 3 -i 0.3 -W 5 "$(domu_ip6 1)"
	for s in 1 4; do
		for dir in rx tx; do
			xt_check "$T q=2: iperf3 $s stream(s) guest-$dir" iperf_ok $D 1 "$s" "$dir"
		done
	done
	xt_check "$T q=2: iperf3 over IPv6 guest-tx" \
		timeout 60 iperf3 -6 -c "$(domu_ip6 1)" -t 3 -R --connect-timeout 5000
	xt_check "$T q=2: 16 MiB both ways keep their sha256" sha_roundtrip $D 1 16
	xt_diag "$(domu_exec $D 'ethtool -S eth0')"
	xt_check "$T q=2: ethtool -S has per-queue and total counters" \
		ethtool_has $D "ethtool -S eth0" '^[[:space:]]*q1_rx_packets: [1-9]'
	xt_check "$T q=2: no protocol errors counted" \
		ethtool_has $D "ethtool -S eth0" '^[[:space:]]*protocol_errors: 0$'

	# Hot-unplug and re-plug.
	xt_check "$T: xl network-detach" xl network-detach $D 0
	xt_check "$T: frontend directory removed after detach" \
		wait_for "the frontend directory to go" 60 fe_gone $D 0
	xt_check "$T: guest interface gone after detach" \
		wait_for "eth0 to go" 30 no_eth $D
	xt_check "$T: xl network-attach" xl network-attach $D bridge=xenbr0
	if wait_for "a new vif in the guest" 60 has_eth $D; then
		xt_diag "$(xenstore-ls -f "$(fe_path $D 1)" | grep -E 'queue|ring-ref|event-channel|state')"
		guest_up $D 1
		# The new vif has a new MAC; forget the old neighbour entry.
		ip neigh flush "$(domu_ip 1)" 2>/dev/null
		xt_check "$T: ping after re-plug" wait_for "ping after re-plug" 30 ping_ok $D 1
	else
		xt_fail "$T: re-plugged vif appears in the guest"
	fi

	# Module reload with a live vif.
	xt_check "$T: rmmod with a live vif" domu_exec $D "rmmod xen-netfront"
	xt_check "$T: frontend Closed after rmmod" wait_for "frontend Closed" 30 \
		fe_state_is $D 6 "$(xenstore-list "/local/domain/$(domid $D)/device/vif" | head -n1)"
	xt_check "$T: insmod again" domu_exec $D "insmod /lib/modules/ours/xen-netfront.ko"
	wait_for "the vif to come back" 60 has_eth $D
	guest_up $D 1
	ip neigh flush "$(domu_ip 1)" 2>/dev/null
	xt_check "$T: ping after module reload" wait_for "ping after reload" 30 ping_ok $D 1
	xt_diag "$(domu_exec $D 'dmesg | grep -iE "vif|netfront|eth" | tail -n 20')"
	xt_check "$T q=2: domU console clean, destroyed" domu_destroy $D
else
	xt_fail "$T q=2: domU with our netfront boots"
fi

# ---- backend offers one queue: the classic flat layout, no num-queues key
if netback_use intree max_queues=1 && domu_create $D vcpus=2 front=ours idx=1; then
	xt_pass "$T q=1: domU with our netfront boots"
	xt_check "$T q=1: flat layout, no multi-queue-num-queues" fe_layout_ok $D 1 0 strict
	xt_check "$T q=1: guest has 1 tx and 1 rx queue" domu_queues_are $D 1
	xt_check "$T q=1: ping" wait_for "ping over our netfront" 30 ping_ok $D 1
	xt_check "$T q=1: iperf3 2 streams guest-rx" iperf_ok $D 1 2 rx
	xt_check "$T q=1: iperf3 2 streams guest-tx" iperf_ok $D 1 2 tx
	xt_check "$T q=1: domU console clean, destroyed" domu_destroy $D
else
	xt_fail "$T q=1: domU with our netfront boots"
fi

# ---- save/restore onto a backend with fewer queues
if netback_use intree max_queues=4 && domu_create $D vcpus=2 mem=256 front=ours idx=1; then
	xt_check "$T save: 2 queues before saving" fe_layout_ok $D 2
	ping_ok $D 1 >/dev/null 2>&1
	if xt_check "$T save: xl save" xl save $D /tmp/$D.save; then
		if netback_use intree max_queues=1; then
			xt_check "$T save: xl restore onto a 1-queue backend" xl restore /tmp/$D.save
			xt_check "$T save: reconnected" wait_for "frontend Connected" 60 fe_state_is $D 4
			xt_check "$T save: renegotiated to the flat layout" fe_layout_ok $D 1 0 strict
			xt_check "$T save: guest now has 1 tx and 1 rx queue" domu_queues_are $D 1
			xt_check "$T save: ping after restore" wait_for "ping after restore" 60 ping_ok $D 1
			xt_check "$T save: iperf3 after restore" iperf_ok $D 1 2 rx
			xt_check "$T save: domU console clean, destroyed" domu_destroy $D
		else
			xt_fail "$T save: in-tree netback reloads with 1 queue"
		fi
	fi
	rm -f /tmp/$D.save
else
	xt_fail "$T save: domU with our netfront boots"
fi
