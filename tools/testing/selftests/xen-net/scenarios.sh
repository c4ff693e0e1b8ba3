#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scenarios shared by the per-pairing scripts (30-netback: ours/in-tree,
# 40-netfront: in-tree/ours, 50-both: ours/ours). Each function runs one
# scenario for a BACK/FRONT pairing and reports its own KTAP lines.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# grant_info DOMID: "frames active" of the domain's grant table as Xen
# reports it ('g' debug key): table frames in use, and entries that
# another domain has mapped or is copying right now.
grant_info() {
	local d=$1
	xl dmesg -c >/dev/null
	xl debug-keys g
	xl dmesg -c | awk -v d="d$d " '
		/grant-table for remote/ { cur = ($0 ~ ("remote " d)) }
		cur && / frames \(/ { for (i = 2; i < NF; i++) if ($(i + 1) == "frames") { f = $i; break } }
		cur && /^\(XEN\) \[0x/ { a++ }
		END { print f + 0, a + 0 }'
}

# mem_info: dom0's unreclaimable slab and free memory, in kB.
mem_info() {
	awk '/^SUnreclaim:/ { s = $2 } /^MemFree:/ { f = $2 } END { print s, f }' /proc/meminfo
}

# leak_ok WHAT BEFORE AFTER SLACK_KB: slab grew by at most SLACK_KB.
slab_ok() {
	local b=$1 a=$2 slack=$3
	if [ $((a - b)) -gt "$slack" ]; then
		echo "unreclaimable slab grew from $b kB to $a kB" >&2
		return 1
	fi
}

strict_for() { [ "$1" = ours ] && echo strict; }
txonly_for() { [ "$1" = intree ] && echo tx; }

# domu_queue_stats_all_busy NAME Q: our netfront's ethtool -S in the
# guest shows packets on each of its Q queues.
domu_queue_stats_all_busy() {
	local s n
	s=$(domu_exec "$1" "ethtool -S eth0") || return 1
	for ((n = 0; n < $2; n++)); do
		echo "$s" | awk -v q="q${n}_" '
			index($1, q) == 1 && $1 ~ /packets:$/ && $2 > 0 { ok = 1 }
			END { exit !ok }' || {
			echo "no packets on queue $n of the guest's eth0:" >&2
			echo "$s" | grep -E "^\s*q${n}_" >&2
			return 1
		}
	done
}

# spread_traffic NAME IDX: many TCP flows both ways, so that the flow
# hash of each side puts traffic on every queue.
spread_traffic() {
	iperf "$1" "$2" 32 rx 2 >/dev/null && iperf "$1" "$2" 32 tx 2 >/dev/null
}

# tso_through NAME IDX: while the guest sends with iperf3, the average
# frame dom0 receives on its vif is larger than the MTU, so the guest's
# TSO sent large segments through the ring.
tso_through() {
	local vif b0 p0 b1 p1
	vif=vif$(domid "$1").0
	b0=$(cat "/sys/class/net/$vif/statistics/rx_bytes") || return 1
	p0=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	iperf "$1" "$2" 2 tx >/dev/null || return 1
	b1=$(cat "/sys/class/net/$vif/statistics/rx_bytes")
	p1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
	[ "$p1" -gt "$p0" ] || { echo "no frames from the guest on $vif" >&2; return 1; }
	echo "average frame from the guest on $vif: $(((b1 - b0) / (p1 - p0))) bytes"
	[ $(((b1 - b0) / (p1 - p0))) -gt 1600 ]
}

# mq_scenario BACK FRONT NB_MAX FE_MAX WANT [full]
#   The backend allows NB_MAX queues, the frontend asks for up to FE_MAX;
#   WANT queues must be negotiated. Checks the xenstore layout, the
#   queue count in the guest, ping (v4, v6), iperf3 both ways with 4
#   streams, per-queue traffic on our side. With "full" (once per
#   pairing, to keep the suite short) also iperf3 with 1 stream, TSO
#   (ethtool -k, segments larger than the MTU through the ring) and a
#   64 MiB file each way.
mq_scenario() {
	local back=$1 front=$2 nbmax=$3 femax=$4 q=$5 full=${6:-} vcpus=2 vif
	local tag="$back/$front q=$q (netback max $nbmax, netfront max $femax)"
	[ "$q" -gt 2 ] && vcpus=4
	netback_use "$back" max_queues="$nbmax" ||
		{ xt_fail "$tag: $back netback loads"; return; }
	if ! domu_create mq vcpus=$vcpus front="$front" fq="$femax" idx=1; then
		xt_fail "$tag: domU boots"
		domus_destroy_all >/dev/null
		return
	fi
	wait_for "the vif to carry ping" 30 ping_ok mq 1
	xt_check "$tag: frontend xenstore layout" fe_layout_ok mq "$q" 0 "$(strict_for "$front")"
	xt_check "$tag: guest sees $q queues" domu_queues_are mq "$q" "$(txonly_for "$front")"
	xt_check "$tag: ping" ping_ok mq 1
	xt_check "$tag: ping6" ping -6 -c 3 -i 0.3 -W 5 "$(domu_ip6 1)"
	local s dir streams=4
	[ -n "$full" ] && streams="1 4"
	for s in $streams; do
		for dir in rx tx; do
			xt_check "$tag: iperf3 $s stream(s) guest-$dir" iperf_ok mq 1 "$s" "$dir"
		done
	done
	if [ "$back" = ours ] || [ "$front" = ours ]; then
		spread_traffic mq 1
		[ "$back" = ours ] &&
			xt_check "$tag: dom0 ethtool -S shows traffic on every queue" \
				vif_queue_stats_all_busy "vif$(domid mq).0" "$q"
		[ "$front" = ours ] &&
			xt_check "$tag: guest ethtool -S shows traffic on every queue" \
				domu_queue_stats_all_busy mq "$q"
	fi
	if [ -n "$full" ]; then
		xt_check "$tag: ethtool -k shows tcp-segmentation-offload on" \
			domu_exec mq "ethtool -k eth0 | grep -q '^tcp-segmentation-offload: on'"
		xt_check "$tag: ethtool -k shows scatter-gather on" \
			domu_exec mq "ethtool -k eth0 | grep -q '^scatter-gather: on'"
		xt_check "$tag: TSO: frames larger than the MTU arrive from the guest" \
			tso_through mq 1
		xt_check "$tag: 64 MiB each way keeps its sha256" sha_roundtrip mq 1 64
	fi
	xt_check "$tag: domU console clean, destroyed" domu_destroy mq
}

# attach_detach BACK FRONT N: a second vif attached and detached N times
# on a running domU; the guest sees it come and go, and dom0's slab and
# the guest's grant table (frames, entries mapped by dom0) end where
# they started.
attach_detach() {
	local back=$1 front=$2 n=$3 tag="$1/$2 attach/detach" i d g0 g1 m0 m1 bad=""
	netback_use "$back" max_queues=2 || { xt_fail "$tag: $back netback loads"; return; }
	domu_create ad vcpus=2 front="$front" fq=2 idx=2 ||
		{ xt_fail "$tag: domU boots"; domus_destroy_all >/dev/null; return; }
	d=$(domid ad)
	# One cycle first: caches and per-cpu pools settle before measuring.
	xlt network-attach ad bridge=xenbr0 >/dev/null 2>&1
	wait_for "vif $d.1 connected" 60 sh -c "[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/1/state)\" = 4 ]"
	xlt network-detach ad 1 >/dev/null 2>&1
	wait_for "vif $d.1 gone" 60 sh -c "! xenstore-exists /local/domain/0/backend/vif/$d/1"
	sleep 1
	g0=$(grant_info "$d")
	m0=$(mem_info)
	local be=/local/domain/0/backend/vif/$d/1 fe=/local/domain/$d/device/vif/1
	for ((i = 1; i <= n; i++)); do
		if ! xlt network-attach ad bridge=xenbr0 >/tmp/attach.log 2>&1; then
			bad="attach $i failed: $(cat /tmp/attach.log)"
			break
		fi
		# Both ends Connected: the guest's netfront took the new vif.
		if ! wait_for "vif $d.1 connected on both ends (cycle $i)" 60 \
			sh -c "[ \"\$(xenstore-read $be/state)\" = 4 ] && [ \"\$(xenstore-read $fe/state)\" = 4 ]"; then
			bad="cycle $i: second vif did not connect"
			break
		fi
		if ! xlt network-detach ad 1 >/tmp/detach.log 2>&1 ||
		   ! wait_for "vif $d.1 gone (cycle $i)" 60 sh -c "! xenstore-exists $be && ! xenstore-exists $fe"; then
			bad="cycle $i: detach did not complete: $(cat /tmp/detach.log)"
			break
		fi
	done
	[ -z "$bad" ] && ! domu_exec ad "[ ! -e /sys/class/net/eth1 ]" >/dev/null &&
		bad="eth1 is still present in the guest after the last detach"
	if [ -n "$bad" ]; then
		xt_fail "$tag: $n cycles complete" "$bad"
	else
		xt_pass "$tag: $n cycles complete"
	fi
	sleep 2
	g1=$(grant_info "$d")
	m1=$(mem_info)
	xt_diag "$tag: guest grant frames/active before '$g0' after '$g1'; dom0 slab/free kB before '$m0' after '$m1'"
	xt_check "$tag: guest grant table back to its start" test "$g0" = "$g1"
	xt_check "$tag: dom0 unreclaimable slab back to its start (+-1 MiB)" \
		slab_ok "${m0% *}" "${m1% *}" 1024
	xt_check "$tag: dom0 free memory back to its start (-8 MiB)" \
		test $(( ${m0#* } - ${m1#* } )) -lt 8192
	xt_check "$tag: first vif still carries traffic" iperf_ok ad 2 1 rx
	xt_check "$tag: domU console clean, destroyed" domu_destroy ad
}

# destroy_mid_iperf BACK FRONT: xl destroy while iperf3 runs; dom0 stays
# healthy, the vif and its backend directory go away, and a new domU
# works.
destroy_mid_iperf() {
	local back=$1 front=$2 tag="$1/$2 destroy during iperf3" d ip
	netback_use "$back" max_queues=2 || { xt_fail "$tag: netback loads"; return; }
	domu_create dm vcpus=2 front="$front" fq=2 idx=1 ||
		{ xt_fail "$tag: domU boots"; domus_destroy_all >/dev/null; return; }
	d=$(domid dm)
	iperf3 -c "$(domu_ip 1)" -t 30 -P 2 >/dev/null 2>&1 &
	ip=$!
	sleep 4
	xlt destroy dm
	xt_check "$tag: vif$d.0 is gone" wait_for "vif$d.0 to disappear" 30 sh -c "! ip link show vif$d.0"
	xt_check "$tag: backend directory is gone" wait_for "backend dir of $d to go" 30 \
		sh -c "! xenstore-exists /local/domain/0/backend/vif/$d"
	kill "$ip" 2>/dev/null
	wait "$ip" 2>/dev/null
	if domu_create dm2 vcpus=1 front="$front" fq=1 idx=2 && wait_for "ping" 30 ping_ok dm2 2; then
		xt_pass "$tag: a new domU works afterwards"
	else
		xt_fail "$tag: a new domU works afterwards"
	fi
	domu_destroy dm2 >/dev/null 2>&1
}

# save_restore BACK FRONT: xl save a 2-queue domU, reload the backend
# with max_queues=1, xl restore: the guest reconnects with 1 queue (and,
# with our netfront, without writing multi-queue-num-queues) and passes
# ping and iperf3.
save_restore() {
	local back=$1 front=$2 tag="$1/$2 save/restore 2->1 queues"
	netback_use "$back" max_queues=2 || { xt_fail "$tag: netback loads"; return; }
	domu_create sr vcpus=2 mem=256 front="$front" fq=2 idx=1 ||
		{ xt_fail "$tag: domU boots"; domus_destroy_all >/dev/null; return; }
	wait_for "ping" 30 ping_ok sr 1
	xt_check "$tag: 2 queues before the save" fe_layout_ok sr 2
	rm -f /tmp/sr.save
	if ! timeout 300 xl save sr /tmp/sr.save >/tmp/sr.log 2>&1; then
		xt_fail "$tag: xl save" "$(tail -n 5 /tmp/sr.log)"
		domus_destroy_all >/dev/null
		return
	fi
	xt_pass "$tag: xl save"
	xt_check "$tag: backend reloads with max_queues=1" netback_use "$back" max_queues=1
	if ! timeout 300 xl restore /tmp/sr.save >/tmp/sr.log 2>&1; then
		xt_fail "$tag: xl restore" "$(tail -n 5 /tmp/sr.log)"
		rm -f /tmp/sr.save
		domus_destroy_all >/dev/null
		return
	fi
	rm -f /tmp/sr.save
	xt_pass "$tag: xl restore"
	xt_check "$tag: reconnected" wait_for "the vif to reconnect" 60 sh -c \
		"[ \"\$(xenstore-read $(be_path sr)/state)\" = 4 ]"
	xt_check "$tag: 1 queue after the restore" fe_layout_ok sr 1 0 "$(strict_for "$front")"
	xt_check "$tag: guest sees 1 queue" domu_queues_are sr 1 "$(txonly_for "$front")"
	xt_check "$tag: ping after restore" wait_for "ping after restore" 30 ping_ok sr 1
	xt_check "$tag: iperf3 guest-rx after restore" iperf_ok sr 1 1 rx
	xt_check "$tag: iperf3 guest-tx after restore" iperf_ok sr 1 1 tx
	xt_check "$tag: domU console clean, destroyed" domu_destroy sr
}

# netfront_reload BACK N: rmmod/insmod of our netfront N times in a
# running guest with a live vif; the guest's slab and its grant table
# end where they started, and the vif works at the end.
netfront_reload() {
	local back=$1 n=$2 tag="$1/ours netfront rmmod/insmod" d g0 g1 s0 s1 i out
	netback_use "$back" max_queues=2 || { xt_fail "$tag: netback loads"; return; }
	domu_create rl vcpus=2 front=ours fq=2 idx=1 ||
		{ xt_fail "$tag: domU boots"; domus_destroy_all >/dev/null; return; }
	d=$(domid rl)
	local reload="rmmod xen-netfront && insmod /lib/modules/ours/xen-netfront.ko max_queues=2 &&
		i=0; while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 100 ]; do sleep 0.2; i=\$((i+1)); done;
		ip addr add $(domu_ip 1)/24 dev eth0 && ip link set eth0 up"
	domu_exec rl "$reload" >/dev/null
	sleep 2
	g0=$(grant_info "$d")
	s0=$(domu_exec rl "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	for ((i = 1; i <= n; i++)); do
		out=$(domu_exec rl "$reload" 60) || break
	done
	if [ "$i" -le "$n" ]; then
		xt_fail "$tag: $n reloads" "reload $i failed: $out"
	else
		xt_pass "$tag: $n reloads"
	fi
	sleep 2
	g1=$(grant_info "$d")
	s1=$(domu_exec rl "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	xt_diag "$tag: grant frames/active before '$g0' after '$g1'; guest slab kB before $s0 after $s1"
	xt_check "$tag: guest grant table back to its start" test "$g0" = "$g1"
	xt_check "$tag: guest unreclaimable slab back to its start (+-512 KiB)" slab_ok "$s0" "$s1" 512
	xt_check "$tag: ping after the reloads" wait_for "ping" 30 ping_ok rl 1
	xt_check "$tag: iperf3 after the reloads" iperf_ok rl 1 2 rx
	xt_check "$tag: domU console clean, destroyed" domu_destroy rl
}
