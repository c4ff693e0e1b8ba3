#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP helpers for 75-xdp.sh and bench.sh, run in dom0. The programs
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

# pktgen_send VIF IP MAC COUNT [QUEUES] [SIZE] [GAP_NS]: COUNT UDP
# frames of SIZE bytes (64) to IP/MAC, sent by pktgen directly on VIF,
# spread at random over its first QUEUES queues (1), at least GAP_NS
# nanoseconds apart (0: as fast as the vif takes them). Returns when all
# are sent (bounded); prints pktgen's result line ("... NNNpps ...").
pktgen_send() {
	local dev=$1 ip=$2 mac=$3 count=$4 nq=${5:-1} size=${6:-64} gap=${7:-0}
	local pg=/proc/net/pktgen
	[ -d $pg ] || modprobe pktgen || return 1
	echo rem_device_all >$pg/kpktgend_0 || return 1
	echo "add_device $dev" >$pg/kpktgend_0 || return 1
	local c
	for c in "count $count" "pkt_size $size" "delay $gap" "clone_skb 0" \
		 "dst $ip" "dst_mac $mac" "udp_src_min 9000" "udp_src_max 9999" \
		 "udp_dst_min 9" "udp_dst_max 9" "queue_map_min 0" \
		 "queue_map_max $((nq - 1))" "flag QUEUE_MAP_RND"; do
		echo "$c" >"$pg/$dev" || { echo "pktgen: '$c' refused" >&2; return 1; }
	done
	timeout 120 sh -c "echo start >$pg/pgctrl" ||
		{ echo "pktgen did not finish $count frames on $dev within 120 s" >&2; return 1; }
	grep -A1 'Result:' "$pg/$dev"
	echo rem_device_all >$pg/kpktgend_0
}

# pktgen_pps: the pps figure of pktgen_send's output on stdin.
pktgen_pps() { grep -oE '[0-9]+pps' | head -n1 | tr -d 'ps'; }
