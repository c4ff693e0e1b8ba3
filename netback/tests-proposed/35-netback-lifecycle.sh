#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proposed scenario for tools/testing/selftests/xen-net/: our netback in
# dom0 against the in-tree netfront, plus a "fake frontend" (a domU
# without a frontend driver whose frontend keys dom0 writes by hand) for
# the xenstore error paths. Can also be run alone with
#   tools/testing/rig/run-script.sh netback/tests-proposed/35-netback-lifecycle.sh
. "$(dirname "$0")/lib.sh" 2>/dev/null || . /host/selftests/lib.sh

P="netback ours/intree"

be_state() { xenstore-read "$(be_path "$1" "${2:-0}")/state" 2>/dev/null; }
fe_state() { xenstore-read "$(fe_path "$1" "${2:-0}")/state" 2>/dev/null; }
vif_of() { echo "vif$(domid "$1").${2:-0}"; }

# be_keys_ok NAME MAXQ: the backend directory advertises what it should.
be_keys_ok() {
	local p k v
	p=$(be_path "$1")
	for kv in multi-queue-max-queues=$2 feature-split-event-channels=1 \
		feature-sg=1 feature-gso-tcpv4=1 feature-gso-tcpv6=1 \
		feature-ipv6-csum-offload=1 feature-rx-copy=1 feature-rx-flip=0 \
		feature-multicast-control=1 feature-dynamic-multicast-control=1 \
		feature-ctrl-ring=1; do
		k=${kv%%=*}
		v=$(xenstore-read "$p/$k" 2>/dev/null)
		[ "$v" = "${kv#*=}" ] || { echo "$p/$k is '$v', not '${kv#*=}'" >&2; return 1; }
	done
	if xenstore-read "$p/feature-multi-queue" >/dev/null 2>&1; then
		echo "$p/feature-multi-queue must not exist" >&2
		return 1
	fi
}

# refront NAME IDX MAXQ: rebind the in-tree netfront in the guest with
# another max_queues, so it closes and reconnects with a different
# queue count. (Its module cannot be removed while in use.)
refront() {
	domu_exec "$1" "echo $3 >/sys/module/xen_netfront/parameters/max_queues &&
		echo vif-0 >/sys/bus/xen/drivers/vif/unbind &&
		echo vif-0 >/sys/bus/xen/drivers/vif/bind &&
		i=0; while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 50 ]; do sleep 0.2; i=\$((i+1)); done;
		ip addr add $(domu_ip "$2")/24 dev eth0 && ip link set eth0 up" 60
}

ethtool_ok() {
	local vif=$1 q=$2 s
	ethtool -i "$vif" | grep -q '^driver: xen-netback' || { ethtool -i "$vif" >&2; return 1; }
	s=$(ethtool -l "$vif") || return 1
	echo "$s" | awk '/Combined:/ { n++; v[n] = $2 } END { exit !(v[2] == '"$q"') }' ||
		{ echo "$s" >&2; return 1; }
	s=$(ethtool -S "$vif") || return 1
	for k in tx_packets rx_packets rx_gso_checksum_fixup q0_tx_packets q0_rx_bytes \
		"q$((q - 1))_rx_errors"; do
		echo "$s" | grep -q "^ *$k:" || { echo "no $k in ethtool -S" >&2; echo "$s" >&2; return 1; }
	done
	if echo "$s" | grep -q "^ *q${q}_"; then
		echo "ethtool -S shows more than $q queues" >&2
		return 1
	fi
}

xt_check "$P: loads with max_queues=4" netback_use ours max_queues=4 \
	rx_drain_timeout_msecs=1000 rx_stall_timeout_msecs=3000

# ---- a real guest ----------------------------------------------------------
if domu_create nb vcpus=2 front=intree fq=2 idx=1; then
	xt_pass "$P: domU boots with 2 queues"
	xt_check "$P: backend keys" be_keys_ok nb 4
	xt_check "$P: backend Connected" sh -c "[ \"\$(xenstore-read $(be_path nb)/state)\" = 4 ]"
	xt_check "$P: frontend layout, 2 queues" fe_layout_ok nb 2
	xt_check "$P: ping" ping_ok nb 1
	xt_check "$P: iperf3 4 streams guest-rx" iperf_ok nb 1 4 rx
	xt_check "$P: iperf3 4 streams guest-tx" iperf_ok nb 1 4 tx
	xt_check "$P: ethtool -i/-l/-S" ethtool_ok "$(vif_of nb)" 2
	xt_check "$P: both queues carried traffic" vif_queue_stats_all_busy "$(vif_of nb)" 2
	xt_check "$P: sha256 round trip 16 MiB" sha_roundtrip nb 1 16
	xt_diag "$(ethtool -S "$(vif_of nb)")"

	xt_check "$P: rmmod refused while a vif exists" sh -c '! rmmod xen-netback 2>/dev/null'
	xt_check "$P: vif still works after refused rmmod" ping_ok nb 1

	xt_check "$P: frontend reconnects with 1 queue" refront nb 1 1
	xt_check "$P: backend Connected again" wait_for "backend Connected" 30 \
		sh -c "[ \"\$(xenstore-read $(be_path nb)/state)\" = 4 ]"
	xt_check "$P: frontend layout, 1 queue" fe_layout_ok nb 1
	xt_check "$P: ping after reconnect (1 queue)" wait_for "ping" 20 ping_ok nb 1
	xt_check "$P: ethtool -l shows 1 queue" ethtool_ok "$(vif_of nb)" 1
	xt_check "$P: frontend reconnects with 2 queues" refront nb 1 2
	xt_check "$P: ping after reconnect (2 queues)" wait_for "ping" 20 ping_ok nb 1
	xt_check "$P: iperf3 2 streams guest-tx after reconnects" iperf_ok nb 1 2 tx

	# Guest stops taking packets: drain timeout drops, stall takes the
	# carrier down, and it comes back when the guest posts buffers again.
	vif=$(vif_of nb)
	domu_exec nb "ip link set eth0 down" >/dev/null
	timeout 8 ping -f "$(domu_ip 1)" >/dev/null 2>&1
	xt_check "$P: stalled guest: carrier off" wait_for "carrier off" 20 \
		sh -c "[ \"\$(cat /sys/class/net/$vif/carrier)\" = 0 ]"
	xt_check "$P: drain timeout dropped frames" sh -c \
		"ethtool -S $vif | awk '/^ *tx_expired:/ { exit !(\$2 > 0) }'"
	domu_exec nb "ip link set eth0 up" >/dev/null
	xt_check "$P: guest posts again: carrier on" wait_for "carrier on" 20 \
		sh -c "[ \"\$(cat /sys/class/net/$vif/carrier)\" = 1 ]"
	xt_check "$P: ping after stall" wait_for "ping" 20 ping_ok nb 1
else
	xt_fail "$P: domU boots with 2 queues"
fi

# ---- a fake frontend: error paths ---------------------------------------------
# fake_connect NAME KEY=VALUE...: write frontend keys, then state 4.
fake_connect() {
	local name=$1 p kv
	shift
	p=$(fe_path "$name")
	for kv in "$@"; do
		xenstore-write "$p/${kv%%=*}" "${kv#*=}"
	done
	xenstore-write "$p/state" 4
}

fake_reset() {
	local p
	p=$(fe_path "$1")
	for k in multi-queue-num-queues tx-ring-ref rx-ring-ref event-channel \
		request-rx-copy queue-0 queue-1; do
		xenstore-rm "$p/$k" 2>/dev/null
	done
	xenstore-rm "/local/domain/0/error/backend/vif/$(domid "$1")/0" 2>/dev/null
	xenstore-write "$p/state" 6
	wait_for "backend Closed" 20 sh -c "[ \"\$(xenstore-read $(be_path "$1")/state)\" = 6 ]" || return 1
	xenstore-write "$p/state" 1
	wait_for "backend InitWait" 20 sh -c "[ \"\$(xenstore-read $(be_path "$1")/state)\" = 2 ]"
}

# refused NAME WORD: the backend went Closing and left an error node
# mentioning WORD.
refused() {
	local e
	wait_for "backend Closing" 20 sh -c "[ \"\$(xenstore-read $(be_path "$1")/state)\" = 5 ]" || return 1
	e=$(xenstore-read "/local/domain/0/error/backend/vif/$(domid "$1")/0/error" 2>/dev/null)
	echo "error node: $e"
	grep -qi "$2" <<<"$e"
}

if domu_create fake front=none idx=3; then
	xt_pass "$P: fake-frontend domU boots"
	xt_check "$P: fake: backend waits in InitWait" wait_for "InitWait" 20 \
		sh -c "[ \"\$(xenstore-read $(be_path fake)/state)\" = 2 ]"
	fake_connect fake request-rx-copy=1 multi-queue-num-queues=99
	xt_check "$P: fake: 99 queues refused" refused fake queues
	fake_reset fake
	fake_connect fake request-rx-copy=1 multi-queue-num-queues=abc
	xt_check "$P: fake: non-numeric queue count refused" refused fake multi-queue-num-queues
	fake_reset fake
	fake_connect fake request-rx-copy=1 multi-queue-num-queues=0
	xt_check "$P: fake: 0 queues refused" refused fake queues
	fake_reset fake
	fake_connect fake request-rx-copy=0
	xt_check "$P: fake: request-rx-copy=0 refused" refused fake rx-copy
	fake_reset fake
	fake_connect fake request-rx-copy=1 tx-ring-ref=12345 rx-ring-ref=12346 event-channel=9
	xt_check "$P: fake: bad ring grants refused" refused fake mapping
	xt_check "$P: fake: dom0 still serves the real guest" ping_ok nb 1
	xt_check "$P: fake: domU destroyed cleanly" domu_destroy fake
else
	xt_fail "$P: fake-frontend domU boots"
fi

if domid nb >/dev/null; then
	xt_check "$P: domU console clean, destroyed" domu_destroy nb
fi
xt_check "$P: unloads once no vif is left" rmmod xen-netback
