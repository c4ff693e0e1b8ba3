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

# grant_is DOMID "FRAMES ACTIVE": the domain's grant table is that now.
grant_is() { [ "$(grant_info "$1")" = "$2" ]; }

# grant_active_le DOMID N: at most N of its grant entries are in use.
grant_active_le() {
	local g
	g=$(grant_info "$1")
	[ "${g#* }" -le "$2" ]
}

# mem_info [SNAP]: dom0's unreclaimable slab and free memory, in kB;
# with SNAP, the kB of every slab cache ("name kB", /proc/slabinfo's
# slabs times pages per slab) also go into that file.
mem_info() {
	[ -z "${1:-}" ] ||
		awk 'NR > 2 { print $1, $15 * $6 * 4 }' /proc/slabinfo >"$1"
	awk '/^SUnreclaim:/ { s = $2 } /^MemFree:/ { f = $2 } END { print s, f }' /proc/meminfo
}

# The debug kernel's checkers keep their own records of every live
# object and free them lazily (kmemleak after an RCU grace period,
# debugobjects in batches): what these caches hold is not the drivers'.
CHECKER_CACHES="kmemleak_object debug_objects_cache"

# slab_settle BEFORE SLACK_KB: give dom0's deferred frees (RCU callbacks,
# the checkers' batches) up to 20 s to bring its unreclaimable slab
# back within SLACK_KB of BEFORE. Not a check by itself.
slab_settle() {
	wait_for "dom0's unreclaimable slab within $2 kB of $1 kB" 20 \
		sh -c "[ \$(awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo) -le $(($1 + $2)) ]" || true
}

# slab_ok BEFORE AFTER SLACK_KB [SNAP0 SNAP1]: unreclaimable slab grew
# by at most SLACK_KB. With the snapshots of mem_info, the growth of
# CHECKER_CACHES is not counted, and a failure names the caches that
# grew most.
slab_ok() {
	local b=$1 a=$2 slack=$3 s0=${4:-} s1=${5:-} chk=0 snaps=0
	[ -n "$s1" ] && [ -f "$s0" ] && [ -f "$s1" ] && snaps=1
	if [ $snaps = 1 ]; then
		chk=$(awk -v list=" $CHECKER_CACHES " 'NR == FNR { b[$1] = $2; next }
			index(list, " " $1 " ") { d += $2 - b[$1] } END { print d + 0 }' "$s0" "$s1")
	fi
	if [ $((a - b - chk)) -gt "$slack" ]; then
		echo "unreclaimable slab grew from $b kB to $a kB (the checkers' own caches: $chk kB of it)" >&2
		if [ $snaps = 1 ]; then
			echo "caches that grew most, kB:" >&2
			awk 'NR == FNR { b[$1] = $2; next } $2 - b[$1] > 0 { print $2 - b[$1], $1 }' \
				"$s0" "$s1" | sort -rn | head -n 8 | sed 's/^/  /' >&2
		fi
		return 1
	fi
}

strict_for() { [ "$1" = ours ] && echo strict; }
txonly_for() { [ "$1" = intree ] && echo tx; }

# spread_traffic NAME IDX: many TCP flows both ways, so that the flow
# hash of each side puts traffic on every queue.
spread_traffic() {
	iperf "$1" "$2" 32 rx >/dev/null && iperf "$1" "$2" 32 tx >/dev/null
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

# front_ko ours: the guest's path of our netfront module.
front_ko() { echo /lib/modules/ours/xen-netfront.ko; }

# front_reconnect NAME IDX FRONT FQ: reconnect the guest's netfront
# (FRONT) with max_queues=FQ: ours is reloaded (rmmod, insmod); the
# in-tree one cannot be removed while it drives a device, so its
# (writable) max_queues is set and vif-0 unbound and bound again. The
# vif goes through a new connection, eth0 gets its addresses back and
# carries ping again.
front_reconnect() {
	local name=$1 idx=$2 front=$3 fq=$4 again
	if [ "$front" = ours ]; then
		again="rmmod xen-netfront && insmod $(front_ko ours) max_queues=$fq"
	else
		again="echo $fq >/sys/module/xen_netfront/parameters/max_queues &&
			echo vif-0 >/sys/bus/xen/drivers/vif/unbind && echo vif-0 >/sys/bus/xen/drivers/vif/bind"
	fi
	domu_exec "$name" "$again &&
		i=0; while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 100 ]; do sleep 0.2; i=\$((i+1)); done;
		ip addr add $(domu_ip "$idx")/24 dev eth0 && ip -6 addr add $(domu_ip6 "$idx")/64 dev eth0 &&
		ip link set eth0 up" 90 || return 1
	wait_for "$name's vif Connected again" 30 \
		sh -c "[ \"\$(xenstore-read $(be_path "$name")/state)\" = $XB_CONNECTED ]" || return 1
	wait_for "$name to answer ping after the reconnection" 30 ping_ok "$name" "$idx"
}

# vif_limit_reconnect NAME IDX FRONT FQ Q: ask our netback to limit the
# guest's vif 0 to Q queues (request-multi-queue-max-queues, pending
# while connected), then reconnect the frontend: the request is adopted
# and the new connection sees the lower maximum.
vif_limit_reconnect() {
	local name=$1 idx=$2 front=$3 fq=$4 q=$5 p
	p=$(be_path "$name")
	xenstore-write "$p/request-multi-queue-max-queues" "$q" || return 1
	front_reconnect "$name" "$idx" "$front" "$fq" || return 1
	[ "$(xenstore-read "$p/multi-queue-max-queues")" = "$q" ] ||
		{ echo "$p/multi-queue-max-queues is not $q after the reconnection" >&2; return 1; }
	! xenstore-exists "$p/request-multi-queue-max-queues" ||
		{ echo "the request was not adopted: $(xenstore-read "$p/error/request-multi-queue-max-queues" 2>/dev/null)" >&2; return 1; }
}

# pairing_guest BACK FRONT: load BACK with max_queues=4 and boot the
# guest "pg" (4 vcpus, FRONT with max_queues=4, address index 1) that a
# pairing script reuses from one scenario to the next. Reports its own
# failure.
pairing_guest() {
	local back=$1 front=$2 tag="$1/$2"
	netback_use "$back" max_queues=4 || { xt_fail "$tag: $back netback loads"; return 1; }
	if ! domu_create pg vcpus=4 front="$front" fq=4 idx=1 vif="$XT_VIF"; then
		xt_fail "$tag: domU boots"
		domus_destroy_all >/dev/null
		return 1
	fi
	wait_for "the vif to carry ping" 30 ping_ok pg 1
	return 0
}

# domu_console_clean NAME: no oops, warning or BUG on its console so far.
domu_console_clean() {
	local bad
	bad=$(domu_console_bad "$1")
	[ -z "$bad" ] || { echo "$bad" | head -n 20 >&2; return 1; }
}

# mq_checks NAME IDX BACK FRONT Q TAG [full]: the checks of a connected
# guest whose vif should have Q queues: the xenstore layout, the queue
# count in the guest, ping (v4, v6), iperf3 both ways with 4 streams,
# new traffic on every queue on our side(s), the guest's console. With
# "full" (once per pairing) also TSO (ethtool -k, segments larger than
# the MTU through the ring), a file each way with its sha256 (16 MiB,
# 64 MiB in check-full; MQ_SHA_MB sets it) and, in the longer lanes,
# iperf3 with 1 stream.
mq_checks() {
	local name=$1 idx=$2 back=$3 front=$4 q=$5 tag=$6 full=${7:-}
	local s dir streams=4 vif b0="" g0=""
	vif=vif$(domid "$name").0
	xt_check "$tag: frontend xenstore layout" fe_layout_ok "$name" "$q" 0 "$(strict_for "$front")"
	xt_check "$tag: guest sees $q queues" domu_queues_are "$name" "$q" "$(txonly_for "$front")"
	xt_check "$tag: ping" ping_ok "$name" "$idx"
	xt_check "$tag: ping6" ping -6 -c 3 -i 0.3 -W 5 "$(domu_ip6 "$idx")"
	[ -n "$full" ] && [ "$XNET_LANE" != check ] && streams="1 4"
	# The counters may outlive a reconnection: count what is new from
	# here. The iperf3 runs below often reach every queue already;
	# spread_traffic's 32 flows each way run only when they did not.
	[ "$back" = ours ] && b0=$(ethtool -S "$vif" 2>/dev/null)
	[ "$front" = ours ] && g0=$(domu_exec "$name" "ethtool -S eth0")
	for s in $streams; do
		for dir in rx tx; do
			xt_check "$tag: iperf3 $s stream(s) guest-$dir" iperf_ok "$name" "$idx" "$s" "$dir"
		done
	done
	if [ "$back" = ours ] || [ "$front" = ours ]; then
		{ [ "$back" != ours ] || queues_all_busy "$vif" "$q" "$b0"; } >/dev/null 2>&1 &&
			{ [ "$front" != ours ] || queues_all_busy "$name" "$q" "$g0"; } >/dev/null 2>&1 ||
			spread_traffic "$name" "$idx"
		[ "$back" = ours ] &&
			xt_check "$tag: dom0 ethtool -S shows new traffic on every queue" \
				queues_all_busy "$vif" "$q" "$b0"
		[ "$front" = ours ] &&
			xt_check "$tag: guest ethtool -S shows new traffic on every queue" \
				queues_all_busy "$name" "$q" "$g0"
	fi
	if [ -n "$full" ]; then
		xt_check "$tag: ethtool -k shows tcp-segmentation-offload on" \
			domu_exec "$name" "ethtool -k eth0 | grep -q '^tcp-segmentation-offload: on'"
		xt_check "$tag: ethtool -k shows scatter-gather on" \
			domu_exec "$name" "ethtool -k eth0 | grep -q '^scatter-gather: on'"
		xt_check "$tag: TSO: frames larger than the MTU arrive from the guest" \
			tso_through "$name" "$idx"
		s=${MQ_SHA_MB:-$(lane 16 64)}
		xt_check "$tag: $s MiB each way keeps its sha256" sha_roundtrip "$name" "$idx" "$s"
	fi
	xt_check "$tag: guest console clean" domu_console_clean "$name"
}

# set_channels_checks NAME IDX BACK: ethtool -L on our netfront in the
# running guest (4 queues, BACK's maximum 4): a change to 2 reconnects
# with 2 queues and keeps the interface (its ifindex, its address) and
# queue 0's counters; 5 is refused and changes nothing; ping every
# 10 ms from dom0 across one change (2 -> 4) loses some frames (the
# outage, reported); a download of a 64 MiB file keeps its sha256
# across changes 4 -> 1 -> 2 -> 4 (10 changes in check-full) made
# while it runs, and dom0's iperf3 completes across two more. Ends with
# 4 queues.
set_channels_checks() {
	local name=$1 idx=$2 back=$3 tag="$3/ours ethtool -L" out blob n seq ping lost rc
	out=$(domu_exec "$name" "cat /sys/class/net/eth0/ifindex; ethtool -S eth0 | awk '\$1 == \"q0_rx_packets:\" { print \$2 }'")
	local if0=${out%%$'\n'*} rx0=${out##*$'\n'}
	xt_check "$tag: combined 2 accepted" domu_exec "$name" "ethtool -L eth0 combined 2"
	xt_check "$tag: xenstore has 2 queues" wait_for "2 queues in xenstore" 30 fe_layout_ok "$name" 2 0 strict
	xt_check "$tag: the guest sees 2 queues, ethtool -l says 2" domu_exec "$name" \
		"[ \$(ls -d /sys/class/net/eth0/queues/tx-* | wc -l) = 2 ] && ethtool -l eth0 | awk '/^Combined:/ { c = \$2 } END { exit c != 2 }'"
	xt_check "$tag: same interface (ifindex $if0), its address kept, queue 0's counters kept" domu_exec "$name" \
		"[ \$(cat /sys/class/net/eth0/ifindex) = $if0 ] && ip -4 addr show dev eth0 | grep -q ' $(domu_ip "$idx")/' &&
		[ \$(ethtool -S eth0 | awk '\$1 == \"q0_rx_packets:\" { print \$2 }') -ge ${rx0:-0} ]"
	xt_check "$tag: ping after the change" wait_for "ping" 10 ping_ok "$name" "$idx"
	xt_check "$tag: combined 5 refused (more than the backend's 4), still 2 queues" domu_exec "$name" \
		"! ethtool -L eth0 combined 5 2>/dev/null && [ \$(ls -d /sys/class/net/eth0/queues/tx-* | wc -l) = 2 ]"
	# The outage of one change: pings every 10 ms lost meanwhile.
	ping -q -i 0.01 -c 400 -W 1 "$(domu_ip "$idx")" >/tmp/sc-ping.log 2>&1 &
	ping=$!
	sleep 0.5
	xt_check "$tag: combined 4 during a 10 ms ping" domu_exec "$name" "ethtool -L eth0 combined 4"
	wait "$ping"
	lost=$(awk '/transmitted/ { print $1 - $4 }' /tmp/sc-ping.log)
	xt_diag "$tag: one change 2 -> 4 lost ${lost:-?} of 400 pings 10 ms apart (about $(( ${lost:-0} * 10 )) ms)"
	xt_check "$tag: ping answers again after the change" test "${lost:-400}" -lt 400
	# A sha256-checked download across changes.
	blob=$(sha_blob 64)
	seq="1 2 4"
	[ "$XNET_LANE" = full ] && seq="1 2 4 1 2 4 1 2 4 3"
	out=$(domu_exec "$name" "wget -q -O - http://$BRIDGE_IP:8080/${blob##*/} | sha256sum >/tmp/sc.sum & p=\$!
		d=0; for n in $seq; do sleep 0.2; e=\$(ethtool -L eth0 combined \$n 2>&1) || echo FAILED \$n: \$e
			kill -0 \$p 2>/dev/null && d=\$((d + 1)); done
		wait \$p; echo during=\$d; cut -d' ' -f1 /tmp/sc.sum" 300)
	n=$(sed -n 's/^during=//p' <<<"$out")
	xt_diag "$tag: changes $seq, $n of them during the download"
	f=$(grep FAILED <<<"$out")
	[ -n "$f" ] && xt_diag "$tag: $f; the guest's log: $(domu_exec "$name" "dmesg | grep -E 'vif|netfront' | tail -n 4" | tr '\n' ' ')"
	xt_check "$tag: every change during the download accepted" test -z "$f"
	xt_check "$tag: the download spans a change" test "${n:-0}" -ge 1
	xt_check "$tag: the download keeps its sha256" test "$(tail -n 1 <<<"$out")" = "$(cat "$blob.sha")"
	# An iperf3 TCP stream across two changes.
	iperf3 -c "$(domu_ip "$idx")" -t 6 -f m >/tmp/sc-iperf.log 2>&1 &
	ping=$!
	sleep 1.5
	domu_exec "$name" "ethtool -L eth0 combined 2 && sleep 1 && ethtool -L eth0 combined 4" >/dev/null
	wait "$ping"
	rc=$?
	xt_check "$tag: iperf3 across changes 4 -> 2 -> 4 completes" sh -c "[ $rc = 0 ] || { tail -n 5 /tmp/sc-iperf.log; exit 1; }"
	xt_check "$tag: 4 queues again" wait_for "4 queues in xenstore" 30 fe_layout_ok "$name" 4 0 strict
	xt_check "$tag: guest console clean" domu_console_clean "$name"
}

# vif_mtu_checks NAME MTU DEVID: a second vif with xl's mtu=MTU on the
# running guest (ours on both sides), off the bridge (a hotplug script
# that only brings it up, so that the MTU dom0's vif gets is our
# netback's doing, not vif-bridge's): dom0's vif and the guest's
# interface both have MTU MTU, a ping of the largest payload that fits
# passes with fragmentation forbidden and one byte more is refused,
# iperf3 runs over it; detached at the end.
vif_mtu_checks() {
	local name=$1 mtu=$2 n=$3 tag="ours/ours vif mtu=$2" d vif be fe ifn ip
	d=$(domid "$name") || { xt_fail "$tag: the guest is running"; return; }
	vif=vif$d.$n be=/local/domain/0/backend/vif/$d/$n fe=/local/domain/$d/device/vif/$n
	ip=198.21.$n
	cat >/tmp/xt-vif-up.sh <<'SCRIPT'
#!/bin/sh
case "$1" in
online|add)
	ip link set dev "$vif" up && xenstore-write "$XENBUS_PATH/hotplug-status" connected || exit 1 ;;
esac
exit 0
SCRIPT
	chmod +x /tmp/xt-vif-up.sh
	if ! xlt network-attach "$name" script=/tmp/xt-vif-up.sh mtu="$mtu" devid="$n" >/tmp/mtu-attach.log 2>&1 ||
	   ! wait_for "vif $d.$n connected on both ends" 60 \
		sh -c "[ \"\$(xenstore-read $be/state)\" = $XB_CONNECTED ] && [ \"\$(xenstore-read $fe/state)\" = $XB_CONNECTED ]"; then
		xt_fail "$tag: the vif attaches and connects" "$(tail -n 3 /tmp/mtu-attach.log)"
		return
	fi
	xt_pass "$tag: the vif attaches and connects"
	xt_check "$tag: xl wrote mtu $mtu for both ends" \
		sh -c "[ \"\$(xenstore-read $be/mtu)\" = $mtu ] && [ \"\$(xenstore-read $fe/mtu)\" = $mtu ]"
	xt_check "$tag: dom0's $vif has MTU $mtu" sh -c "ip link show $vif | grep -q ' mtu $mtu '"
	ifn=$(domu_exec "$name" "for x in /sys/class/net/eth*; do
		[ \"\$(basename \$(readlink \$x/device))\" = vif-$n ] && basename \$x; done")
	xt_check "$tag: the guest's ${ifn:-interface} has MTU $mtu" domu_exec "$name" \
		"[ -n '$ifn' ] && [ \$(cat /sys/class/net/$ifn/mtu) = $mtu ] &&
		ip addr add $ip.2/24 dev $ifn && ip link set $ifn up"
	ip addr add "$ip.1/24" dev "$vif" 2>/dev/null
	xt_check "$tag: ping of $((mtu - 28)) bytes with fragmentation forbidden" \
		wait_for "ping $ip.2" 20 ping -c 2 -M "do" -s $((mtu - 28)) -W 2 "$ip.2"
	xt_check "$tag: $((mtu - 27)) bytes with fragmentation forbidden refused" \
		sh -c "! ping -c 1 -M do -s $((mtu - 27)) -W 1 $ip.2"
	xt_check "$tag: iperf3 over the vif" sh -c "iperf3 -c $ip.2 -t $IPERF_SECS -P 2 -f m | grep -q receiver"
	if ! xlt network-detach "$name" "$n" >/tmp/mtu-detach.log 2>&1 ||
	   ! wait_for "vif $d.$n gone" 60 sh -c "! xenstore-exists $be"; then
		xt_fail "$tag: the vif detaches" "$(tail -n 3 /tmp/mtu-detach.log)"
	else
		xt_pass "$tag: the vif detaches"
	fi
}

# queue_deltas BEFORE AFTER NQ KEY...: from two ethtool -S outputs,
# one line per queue q of the NQ: "q" and, for each KEY, how much
# qq_KEY grew between them (queue_sum).
queue_deltas() {
	local before=$1 after=$2 nq=$3 q k line
	shift 3
	for ((q = 0; q < nq; q++)); do
		line=$q
		for k in "$@"; do
			line="$line $(( $(queue_sum "$after" "$q" "$k") - $(queue_sum "$before" "$q" "$k") ))"
		done
		echo "$line"
	done
}

# steer_deltas BEFORE AFTER NQ: from two ethtool -S outputs of our vif,
# "Q RX TX STEERED" per queue: frames from the guest, to the guest, and
# of those placed by rx-follows-tx, between the two.
steer_deltas() {
	queue_deltas "$1" "$2" "$3" rx_packets tx_packets tx_steered
}

# steer_one_flow_ok DELTAS: at least 90 % of what went to the guest
# went on queues that carried the guest's data (2 % of its frames or
# more), and at least 90 % of it was steered. One flow's data usually
# comes on one queue, but the guest may move it (TCP picks a new hash
# for a socket after some retransmissions, and the in-tree netfront
# picks the queue by hash): the frames back follow it, which is the
# feature.
steer_one_flow_ok() {
	echo "$1"
	awk '{ if ($2 > maxrx) { maxrx = $2; q = $1 } rx[$1] = $2; tx[$1] = $3; r += $2; t += $3; st += $4 }
		END { for (i in rx) if (rx[i] * 50 >= r) on += tx[i]
			if (t < 20) { print "too few frames to the guest: " t; exit 1 }
			printf "data mostly on queue %d; %d of %d frames to the guest on queues with its data, %d steered\n", q, on, t, st
			exit !(on * 10 >= t * 9 && st * 10 >= t * 9) }' <<<"$1"
}

# rx_follows_tx_checks NAME IDX FRONT FQ: our netback's rx-follows-tx
# switched on for the guest's vif (request-rx-follows-tx, adopted at a
# reconnection of FRONT with max_queues FQ), then TCP flows the guest
# starts to dom0's iperf3: with one flow, the frames dom0 sends back
# (its ACKs) leave on the queue the guest sent on (in the longer lanes
# twice: two flows, two source ports, one after the other); with 4
# flows at once, at
# least 90 % of them are steered. The request to switch it off again
# is left pending for the next connection.
rx_follows_tx_checks() {
	local name=$1 idx=$2 front=$3 fq=$4 tag="ours/$3 rx-follows-tx" p vif b a i d
	p=$(be_path "$name")
	xenstore-write "$p/request-rx-follows-tx" 1
	xt_check "$tag: the frontend reconnects" front_reconnect "$name" "$idx" "$front" "$fq"
	xt_check "$tag: request adopted (rx-follows-tx = 1)" \
		sh -c "[ \"\$(xenstore-read $p/rx-follows-tx)\" = 1 ] && ! xenstore-exists $p/request-rx-follows-tx"
	vif=vif$(domid "$name").0
	for i in 1 2 3; do
		iperf3 -s -1 -D -p $((5300 + i)) >/dev/null 2>&1
	done
	sleep 0.5
	# One single flow in make check, two in the longer lanes.
	for i in $(lane 1 "1 2"); do
		b=$(ethtool -S "$vif")
		domu_exec "$name" "iperf3 -c $BRIDGE_IP -p $((5300 + i)) -t 2 -P 1 >/dev/null" 60 >/dev/null
		a=$(ethtool -S "$vif")
		d=$(steer_deltas "$b" "$a" "$fq")
		xt_check "$tag: one guest flow ($i): dom0's frames back on the queue the guest sent on" \
			steer_one_flow_ok "$d"
	done
	b=$(ethtool -S "$vif")
	domu_exec "$name" "iperf3 -c $BRIDGE_IP -p 5303 -t 2 -P 4 >/dev/null" 60 >/dev/null
	a=$(ethtool -S "$vif")
	d=$(steer_deltas "$b" "$a" "$fq")
	xt_diag "$tag: 4 guest flows, per queue: from the guest, to the guest, steered"
	xt_diag "$d"
	xt_check "$tag: 4 guest flows: at least 90 % of dom0's frames back steered" \
		awk '{ t += $3; st += $4 } END { exit !(t >= 20 && st * 10 >= t * 9) }' <<<"$d"
	pkill -f 'iperf3 -s -1' 2>/dev/null
	xenstore-write "$p/request-rx-follows-tx" 0
}

# guest_rx_deltas NAME NQ BEFORE: "Q PACKETS HASHED" per queue of the
# guest's eth0 (our netfront) since BEFORE (an earlier ethtool -S).
guest_rx_deltas() {
	local now
	now=$(domu_exec "$1" "ethtool -S eth0") || return 1
	queue_deltas "$3" "$now" "$2" rx_packets rx_hashed
}

# rss_flows NAME IDX N: N TCP flows from dom0 to the guest for a second
# (iperf3, guest-rx), and what the guest's queues received meanwhile.
rss_flows() {
	local name=$1 idx=$2 n=$3 b
	b=$(domu_exec "$name" "ethtool -S eth0") || return 1
	iperf "$name" "$idx" "$n" rx 1 >/dev/null || return 1
	guest_rx_deltas "$name" 4 "$b"
}

# rss_bypass NAME IDX N: N UDP flows from dom0 to the guest, one frame
# each, sent on its vif by an AF_PACKET socket with the qdisc bypass
# (pkt-bypass.pl), and what the guest's queues received meanwhile.
rss_bypass() {
	local name=$1 idx=$2 n=$3 b
	b=$(domu_exec "$name" "ethtool -S eth0") || return 1
	perl ./pkt-bypass.pl "vif$(domid "$name").0" "$(xenstore-read "$(be_path "$name")/mac")" \
		198.18.0.1 "$(domu_ip "$idx")" "$n" >/dev/null || return 1
	sleep 1
	guest_rx_deltas "$name" 4 "$b"
}

# rss_checks NAME IDX BACK: guest-set RSS through the control ring, our
# netfront with 4 queues on BACK's netback (ours or the in-tree one,
# both serve the ring): ethtool -x shows a 4-queue table and a key;
# "weight 0 0 0 1" puts every received flow on queue 3 (and, in the
# longer lanes, "weight 1 0 0 0" on queue 0), the frames carry the
# backend's hash (rx_hashed), "equal 4" spreads 16 flows; a new key is
# read back;
# rx-flow-hash for tcp4 can be narrowed to the addresses and set back.
rss_checks() {
	local name=$1 idx=$2 back=$3 tag="$3/ours RSS (ethtool -X)" d
	xt_check "$tag: ethtool -x shows the table of the 4 queues and a key" domu_exec "$name" \
		"ethtool -x eth0 | grep -q 'RX flow hash indirection table for eth0 with 4 RX ring' &&
		ethtool -x eth0 | grep -A1 'RSS hash key' | tail -n 1 | grep -q '^[0-9a-f][0-9a-f]:'"
	# The first queue as well as the last: the longer lanes'.
	if [ "$XNET_LANE" != check ]; then
		xt_check "$tag: weight 1 0 0 0 accepted" domu_exec "$name" "ethtool -X eth0 weight 1 0 0 0"
		d=$(rss_flows "$name" "$idx" 8)
		xt_diag "$tag: weight 1 0 0 0, 8 flows from dom0, per queue: received, hashed"
		xt_diag "$d"
		xt_check "$tag: weight 1 0 0 0: queue 0 received at least 95 % of 8 flows" \
			awk '{ t += $2; if ($1 == 0) z = $2 } END { exit !(t >= 100 && z * 100 >= t * 95) }' <<<"$d"
	fi
	xt_check "$tag: weight 0 0 0 1 accepted" domu_exec "$name" "ethtool -X eth0 weight 0 0 0 1"
	d=$(rss_flows "$name" "$idx" 8)
	xt_diag "$tag: weight 0 0 0 1, 8 flows from dom0, per queue: received, with the backend's hash"
	xt_diag "$d"
	xt_check "$tag: weight 0 0 0 1: queue 3 received at least 95 % of 8 flows" \
		awk '{ t += $2; if ($1 == 3) z = $2 } END { exit !(t >= 100 && z * 100 >= t * 95) }' <<<"$d"
	xt_check "$tag: the frames carried the backend's hash" \
		awk '{ h += $3; t += $2 } END { exit !(t > 0 && h * 10 >= t * 9) }' <<<"$d"
	# AF_PACKET's qdisc bypass calls the backend's queue selection
	# itself, preemptible: the guest's table must hold there too (and
	# the debug kernel checks the per-CPU hash cache is used safely).
	d=$(rss_bypass "$name" "$idx" 200)
	xt_diag "$tag: weight 0 0 0 1, 200 UDP flows from dom0 by AF_PACKET's qdisc bypass, per queue: received, hashed"
	xt_diag "$d"
	xt_check "$tag: weight 0 0 0 1: queue 3 received the 200 flows sent past the qdisc" \
		awk '{ t += $2; if ($1 == 3) z = $2 } END { exit !(z >= 200 && z * 100 >= t * 95) }' <<<"$d"
	# With "equal 4" each flow goes to its hash's entry. iperf3's
	# streams differ only in their source ports, and Toeplitz is linear
	# in its input bits, so how 16 of them fall on the 4 queues depends
	# on the key: reported, and at least two queues asked for.
	xt_check "$tag: equal 4 accepted" domu_exec "$name" "ethtool -X eth0 equal 4"
	d=$(rss_flows "$name" "$idx" 16)
	xt_diag "$tag: equal 4, 16 flows from dom0, per queue: received, hashed"
	xt_diag "$d"
	xt_check "$tag: equal 4: 16 flows spread over more than one queue" \
		awk '{ if ($2 >= 10) n++ } END { exit !(n >= 2) }' <<<"$d"
	xt_check "$tag: a new key is taken and read back" domu_exec "$name" \
		"k=\$(seq 101 140 | awk '{ printf \"%s%02x\", (NR > 1 ? \":\" : \"\"), \$1 }');
		ethtool -X eth0 hkey \$k && ethtool -x eth0 | grep -q \"\$(echo \$k | cut -c1-47)\""
	xt_check "$tag: rx-flow-hash tcp4 narrowed to the addresses, then back" domu_exec "$name" \
		"ethtool -N eth0 rx-flow-hash tcp4 sd || exit 1
		ethtool -n eth0 rx-flow-hash tcp4 | grep -q 'L4 bytes' && exit 1
		ethtool -N eth0 rx-flow-hash tcp4 sdfn && ethtool -n eth0 rx-flow-hash tcp4 | grep -q 'L4 bytes 0 & 1'"
	xt_check "$tag: guest console clean" domu_console_clean "$name"
}

# rss_refused_checks NAME IDX: with feature-ctrl-ring switched off for
# the vif in our netback (and the frontend reconnected), ethtool -X
# fails and says why; the request is withdrawn again afterwards.
rss_refused_checks() {
	local name=$1 idx=$2 p tag="ours/ours RSS without a control ring"
	p=$(be_path "$name")
	xenstore-write "$p/request-feature-ctrl-ring" 0
	xt_check "$tag: the frontend reconnects" front_reconnect "$name" "$idx" ours 4
	xt_check "$tag: ethtool -X fails, the log says why" domu_exec "$name" \
		"! ethtool -X eth0 equal 2 2>/dev/null && dmesg | tail -n 5 | grep -q 'offers no control ring'"
	xenstore-write "$p/request-feature-ctrl-ring" 1
}

# attach_detach NAME IDX BACK FRONT N: a second vif attached to the
# running guest and detached N times; the guest sees it come and go,
# and dom0's slab and the guest's grant table (frames, entries mapped
# by dom0) end where they started.
attach_detach() {
	local name=$1 idx=$2 back=$3 front=$4 n=$5 tag="$3/$4 attach/detach" i d g0 g1 m0 m1 bad=""
	d=$(domid "$name") || { xt_fail "$tag: the guest is running"; return; }
	local be=/local/domain/0/backend/vif/$d/1 fe=/local/domain/$d/device/vif/1
	# One cycle first: caches and per-cpu pools settle before measuring.
	xlt network-attach "$name" bridge=xenbr0 script="$XT_VIF_SCRIPT" >/dev/null 2>&1
	wait_for "vif $d.1 connected" 60 sh -c "[ \"\$(xenstore-read $be/state)\" = $XB_CONNECTED ]"
	xlt network-detach "$name" 1 >/dev/null 2>&1
	wait_for "vif $d.1 gone" 60 sh -c "! xenstore-exists $be"
	sleep 1
	g0=$(grant_info "$d")
	m0=$(mem_info /tmp/slab.0)
	for ((i = 1; i <= n; i++)); do
		if ! xlt network-attach "$name" bridge=xenbr0 script="$XT_VIF_SCRIPT" >/tmp/attach.log 2>&1; then
			bad="attach $i failed: $(cat /tmp/attach.log)"
			break
		fi
		# Both ends Connected: the guest's netfront took the new vif.
		if ! wait_for "vif $d.1 connected on both ends (cycle $i)" 60 \
			sh -c "[ \"\$(xenstore-read $be/state)\" = $XB_CONNECTED ] && [ \"\$(xenstore-read $fe/state)\" = $XB_CONNECTED ]"; then
			bad="cycle $i: second vif did not connect"
			break
		fi
		if ! xlt network-detach "$name" 1 >/tmp/detach.log 2>&1 ||
		   ! wait_for "vif $d.1 gone (cycle $i)" 60 sh -c "! xenstore-exists $be && ! xenstore-exists $fe"; then
			bad="cycle $i: detach did not complete: $(cat /tmp/detach.log)"
			break
		fi
	done
	[ -z "$bad" ] && ! domu_exec "$name" "[ ! -e /sys/class/net/eth1 ]" >/dev/null &&
		bad="eth1 is still present in the guest after the last detach"
	if [ -n "$bad" ]; then
		xt_fail "$tag: $(cycles "$n") complete" "$bad"
	else
		xt_pass "$tag: $(cycles "$n") complete"
	fi
	# Grants of the last vif are released as dom0 unmaps them.
	wait_for "the guest's grant table back to '$g0'" 10 grant_is "$d" "$g0"
	g1=$(grant_info "$d")
	slab_settle "${m0% *}" 1024
	m1=$(mem_info /tmp/slab.1)
	xt_diag "$tag: guest grant frames/active before '$g0' after '$g1'; dom0 slab/free kB before '$m0' after '$m1'"
	xt_check "$tag: guest grant table back to its start" test "$g0" = "$g1"
	xt_check "$tag: dom0 unreclaimable slab back to its start (+-1 MiB)" \
		slab_ok "${m0% *}" "${m1% *}" 1024 /tmp/slab.0 /tmp/slab.1
	xt_check "$tag: dom0 free memory back to its start (-8 MiB)" \
		test $(( ${m0#* } - ${m1#* } )) -lt 8192
	xt_check "$tag: first vif still carries traffic" iperf_ok "$name" "$idx" 1 rx
	xt_check "$tag: guest console clean" domu_console_clean "$name"
}

# destroy_mid_iperf NAME IDX BACK FRONT: xl destroy of the running guest
# while iperf3 runs; dom0 stays healthy, the vif and its backend
# directory go away, and a new domU works.
destroy_mid_iperf() {
	local name=$1 idx=$2 back=$3 front=$4 tag="$3/$4 destroy during iperf3" d ip
	d=$(domid "$name") || { xt_fail "$tag: the guest is running"; return; }
	iperf3 -c "$(domu_ip "$idx")" -t 30 -P 2 >/dev/null 2>&1 &
	ip=$!
	sleep 2
	xt_check "$tag: guest console clean before the destroy" domu_console_clean "$name"
	xlt destroy "$name"
	xt_check "$tag: vif$d.0 is gone" wait_for "vif$d.0 to disappear" 30 sh -c "! ip link show vif$d.0"
	xt_check "$tag: backend directory is gone" wait_for "backend dir of $d to go" 30 \
		sh -c "! xenstore-exists /local/domain/0/backend/vif/$d"
	kill "$ip" 2>/dev/null
	wait "$ip" 2>/dev/null
	if domu_create dm2 vcpus=1 front="$front" fq=1 idx=2 vif="$XT_VIF" && wait_for "ping" 30 ping_ok dm2 2; then
		xt_pass "$tag: a new domU works afterwards"
	else
		xt_fail "$tag: a new domU works afterwards"
	fi
	xt_check "$tag: the new domU's console clean, destroyed" domu_destroy dm2
}

# ck_start NAME IDX: traffic held open across a checkpoint. A TCP
# stream from the guest to dom0 (busybox nc, port 7100) of 4 MiB of
# random bytes: the first 1 MiB now, the rest once /tmp/ck.go exists in
# the guest (ck_finish), so the connection is open across the save and
# the restore. And an iperf3 run, guest-tx, of 15 s at a modest rate
# (45 s on the debug kernel, where xl save of a guest took longer than
# 15 s), started just before the save: its end falls into the
# checkpoint, so it completes only over the restored guest's new
# connection. Notes the guest's tx_packets in CK_TX0.
ck_start() {
	local name=$1 idx=$2
	rm -f /tmp/ck.recv /tmp/ck.iperf
	# The listener's stdin must not end: busybox nc would shut its side
	# down, and the guest's nc would stop sending.
	(tail -f /dev/null | timeout 600 busybox nc -l -p 7100 >/tmp/ck.recv 2>/dev/null; pkill -f 'tail -f /dev/null') &
	CK_NC=$!
	CK_TX0=$(domu_exec "$name" "cat /sys/class/net/eth0/statistics/tx_packets")
	domu_exec "$name" "rm -f /tmp/ck.go; head -c 4194304 /dev/urandom >/tmp/ck
		sha256sum </tmp/ck | cut -d' ' -f1 >/tmp/ck.sha
		({ head -c 1048576 /tmp/ck; i=0; while [ ! -f /tmp/ck.go ] && [ \$i -lt 3000 ]; do sleep 0.2; i=\$((i + 1)); done
		   tail -c +1048577 /tmp/ck; } | nc $BRIDGE_IP 7100) >/dev/null 2>&1 </dev/null &" >/dev/null
	# The first MiB is through before the save starts.
	wait_for "the first MiB of the stream in dom0" 30 \
		sh -c '[ "$(stat -c %s /tmp/ck.recv 2>/dev/null || echo 0)" -ge 1048576 ]'
	(timeout 400 iperf3 -c "$(domu_ip "$idx")" -R -t "$(lane 15 15 45)" -b 20M -f m --rcv-timeout 300000 \
		--connect-timeout 5000 >/tmp/ck.iperf 2>&1
	 echo "rc=$? end=$(date +%s)" >>/tmp/ck.iperf) &
	CK_IPERF=$!
}

# ck_finish NAME TAG SAVED: after the restore, the stream goes on to
# its end and arrives byte for byte, the iperf3 run completes after
# SAVED (when xl save had returned), and the guest's tx_packets went on
# counting from CK_TX0.
ck_finish() {
	local name=$1 tag=$2 saved=$3 want got tx1 end
	want=$(domu_exec "$name" "touch /tmp/ck.go; cat /tmp/ck.sha")
	if wait_for "the stream held across the checkpoint to end" 120 sh -c "! kill -0 $CK_NC"; then
		got=$(sha256sum </tmp/ck.recv | cut -d' ' -f1)
		xt_check "$tag: a TCP stream held open across it arrives whole (4 MiB, sha256)" \
			test -n "$want" -a "$got" = "$want"
	else
		xt_fail "$tag: a TCP stream held open across it arrives whole (4 MiB, sha256)" \
			"$(stat -c %s /tmp/ck.recv) bytes after 120 s"
		kill "$CK_NC" 2>/dev/null
	fi
	wait_for "the iperf3 run held across the checkpoint to end" 300 sh -c "! kill -0 $CK_IPERF"
	end=$(sed -n 's/^rc=0 end=//p' /tmp/ck.iperf)
	xt_diag "$tag: iperf3 held open: ended $(( ${end:-0} - saved )) s after xl save returned; $(grep receiver /tmp/ck.iperf | tr -s ' ' | cut -c1-80)"
	xt_check "$tag: an iperf3 run held open across it completes" \
		test -n "$end" -a "${end:-0}" -gt "$saved" -a -n "$(grep receiver /tmp/ck.iperf)"
	[ -n "$end" ] || xt_diag "$tag: iperf3: $(tail -n 3 /tmp/ck.iperf | tr '\n' ' ')"
	tx1=$(domu_exec "$name" "cat /sys/class/net/eth0/statistics/tx_packets")
	xt_diag "$tag: guest tx_packets $CK_TX0 before the save, $tx1 after the stream"
	xt_check "$tag: the guest's counters went on counting" \
		test "${tx1:-0}" -gt "${CK_TX0:-0}" -a "${CK_TX0:-0}" -gt 0
	pkill -f 'tail -f /dev/null' 2>/dev/null
}

# live_migrate NAME IDX: localhost live migration of the guest (xl
# migrate with an empty ssh command runs the receiving xl here). The
# rig's Xen (Debian's 4.17) is built without shadow paging, which is
# how Xen tracks a PV guest's dirty pages: xl stops at "Failed to
# enable logdirty: 95" before any driver is involved, and the guest
# runs on. That is a skip naming the reason; on a Xen that can, the
# migrated guest must carry ping afterwards.
live_migrate() {
	local name=$1 idx=$2 tag="live migration (localhost)"
	timeout 300 xl migrate -s "" "$name" "xl migrate-receive" >/tmp/lm.log 2>&1
	local rc=$?
	if [ "$rc" != 0 ] && grep -q 'Failed to enable logdirty: 95' /tmp/lm.log; then
		xt_skip "$tag: the migrated guest carries traffic" \
			"this Xen cannot track a PV guest's dirty pages (built without CONFIG_SHADOW_PAGING: 'Failed to enable logdirty: 95')"
		xt_check "$tag: after the refused migration the guest still carries ping" \
			wait_for "ping after the refused migration" 30 ping_ok "$name" "$idx"
	elif [ "$rc" = 0 ]; then
		xt_check "$tag: the migrated guest carries ping" \
			wait_for "ping after the migration" 60 ping_ok "$name" "$idx"
	else
		xt_fail "$tag: xl migrate" "$(tail -n 5 /tmp/lm.log)"
	fi
}

# checkpoint_once NAME IDX IMG: xl save of the guest to IMG, xl restore,
# and the vif carries ping again.
checkpoint_once() {
	local name=$1 idx=$2 img=$3
	rm -f "$img"
	timeout 300 xl save "$name" "$img" >/tmp/cc.log 2>&1 || { tail -n 5 /tmp/cc.log; return 1; }
	timeout 300 xl restore "$img" >/tmp/cc.log 2>&1 || { tail -n 5 /tmp/cc.log; rm -f "$img"; return 1; }
	rm -f "$img"
	wait_for "ping after the restore" 60 ping_ok "$name" "$idx"
}

# checkpoint_cycles NAME IDX N: N xl save / xl restore cycles of the
# running guest, each followed by ping. One cycle first, so that caches
# settle; after the N, dom0's and the guest's grant tables and dom0's
# unreclaimable slab are where they were after it.
checkpoint_cycles() {
	local name=$1 idx=$2 n=$3 tag="$(backend_now)/ours checkpoints" img i d bad="" g0 g1 h0 h1 m0 m1
	img=$(save_dir)/cc.save || { xt_fail "$tag: a tmpfs for the save image"; return; }
	checkpoint_once "$name" "$idx" "$img" >/dev/null 2>&1
	d=$(domid "$name") || { xt_fail "$tag: the guest is running after the first"; return; }
	g0=$(grant_info 0)
	h0=$(grant_info "$d")
	m0=$(mem_info /tmp/slab.0)
	for ((i = 1; i <= n; i++)); do
		checkpoint_once "$name" "$idx" "$img" >/tmp/cc.out 2>&1 || { bad="cycle $i: $(tail -n 5 /tmp/cc.out)"; break; }
	done
	if [ -n "$bad" ]; then
		xt_fail "$tag: $(cycles "$n") of xl save / xl restore, ping after each" "$bad"
		return
	fi
	xt_pass "$tag: $(cycles "$n") of xl save / xl restore, ping after each"
	d=$(domid "$name") || { xt_fail "$tag: the guest is running after them"; return; }
	wait_for "the guest's grant table back to '$h0'" 10 grant_is "$d" "$h0"
	g1=$(grant_info 0)
	h1=$(grant_info "$d")
	slab_settle "${m0% *}" 1024
	m1=$(mem_info /tmp/slab.1)
	xt_diag "$tag: grant frames/active of dom0 '$g0' -> '$g1', of the guest '$h0' -> '$h1'; dom0 slab/free kB '$m0' -> '$m1'"
	xt_check "$tag: dom0's grant table back to its start" test "$g0" = "$g1"
	xt_check "$tag: the guest's grant table back to its start" test "$h0" = "$h1"
	xt_check "$tag: dom0 unreclaimable slab back to its start (+-1 MiB)" \
		slab_ok "${m0% *}" "${m1% *}" 1024 /tmp/slab.0 /tmp/slab.1
}

# save_restore NAME IDX BACK FRONT Q [keep]: xl save of the running
# guest (Q queues) while a TCP stream and an iperf3 run are open
# (ck_start), the backend reloaded with max_queues=1, xl restore: the
# guest reconnects with 1 queue (and, with our netfront, without
# writing multi-queue-num-queues), the stream and iperf3 complete
# (ck_finish), it passes ping and iperf3, and is destroyed at the end
# (with "keep": its console is checked and it runs on, on a backend
# left at max_queues=1).
save_restore() {
	local name=$1 idx=$2 back=$3 front=$4 q=$5 keep=${6:-} tag="$3/$4 save/restore $5->1 queues"
	xt_check "$tag: $q queues before the save" fe_layout_ok "$name" "$q"
	local img saved
	img=$(save_dir)/sr.save || { xt_fail "$tag: a tmpfs for the save image"; return; }
	rm -f "$img"
	ck_start "$name" "$idx"
	if ! timeout 300 xl save "$name" "$img" >/tmp/sr.log 2>&1; then
		xt_fail "$tag: xl save" "$(tail -n 5 /tmp/sr.log)"
		rm -f "$img"
		domus_destroy_all >/dev/null
		return
	fi
	saved=$(date +%s)
	xt_pass "$tag: xl save"
	xt_check "$tag: backend reloads with max_queues=1" netback_use "$back" max_queues=1
	if ! timeout 300 xl restore "$img" >/tmp/sr.log 2>&1; then
		xt_fail "$tag: xl restore" "$(tail -n 5 /tmp/sr.log)"
		rm -f "$img"
		domus_destroy_all >/dev/null
		return
	fi
	rm -f "$img"
	xt_pass "$tag: xl restore"
	xt_check "$tag: reconnected" wait_for "the vif to reconnect" 60 sh -c \
		"[ \"\$(xenstore-read $(be_path "$name")/state)\" = $XB_CONNECTED ]"
	xt_check "$tag: 1 queue after the restore" fe_layout_ok "$name" 1 0 "$(strict_for "$front")"
	xt_check "$tag: guest sees 1 queue" domu_queues_are "$name" 1 "$(txonly_for "$front")"
	ck_finish "$name" "$tag" "$saved"
	xt_check "$tag: ping after restore" wait_for "ping after restore" 30 ping_ok "$name" "$idx"
	xt_check "$tag: iperf3 guest-rx after restore" iperf_ok "$name" "$idx" 1 rx
	xt_check "$tag: iperf3 guest-tx after restore" iperf_ok "$name" "$idx" 1 tx
	if [ "$keep" = keep ]; then
		xt_check "$tag: domU console clean" domu_console_clean "$name"
	else
		xt_check "$tag: domU console clean, destroyed" domu_destroy "$name"
	fi
}

# netfront_reload NAME IDX N FQ: rmmod/insmod of our netfront N times
# in the running guest, the last with max_queues=FQ; the guest's slab
# and its grant table end where they started, and the vif works.
netfront_reload() {
	local name=$1 idx=$2 n=$3 fq=$4 tag="$(backend_now)/ours netfront rmmod/insmod" d g0 g1 s0 s1 i
	d=$(domid "$name") || { xt_fail "$tag: the guest is running"; return; }
	# One reload first, so that caches settle before measuring.
	front_reconnect "$name" "$idx" ours "$fq" >/dev/null 2>&1
	g0=$(grant_info "$d")
	s0=$(domu_exec "$name" "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	for ((i = 1; i <= n; i++)); do
		front_reconnect "$name" "$idx" ours "$fq" >/tmp/reload.log 2>&1 || break
	done
	if [ "$i" -le "$n" ]; then
		xt_fail "$tag: $n reloads" "reload $i failed: $(tail -n 5 /tmp/reload.log)"
	else
		xt_pass "$tag: $n reloads"
	fi
	wait_for "the guest's grant table back to '$g0'" 10 grant_is "$d" "$g0"
	g1=$(grant_info "$d")
	s1=$(domu_exec "$name" "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	xt_diag "$tag: grant frames/active before '$g0' after '$g1'; guest slab kB before $s0 after $s1"
	xt_check "$tag: guest grant table back to its start" test "$g0" = "$g1"
	xt_check "$tag: guest unreclaimable slab back to its start (+-512 KiB)" slab_ok "$s0" "$s1" 512
	xt_check "$tag: ping after the reloads" ping_ok "$name" "$idx"
	xt_check "$tag: iperf3 after the reloads" iperf_ok "$name" "$idx" 2 rx
	xt_check "$tag: guest console clean" domu_console_clean "$name"
}

# backend_now: ours or intree, the netback loaded now.
backend_now() {
	if netback_is ours; then echo ours; else echo intree; fi
}

# reload_once MAX NAME...: rmmod our netback under the running guests
# NAME..., insmod it with max_queues=MAX and run xen-vifctl replug; each
# guest's vif 0 is Connected on both ends again. Prints the seconds that
# rmmod, insmod + replug and the reconnection took.
reload_once() {
	local max=$1 t0 t1 t2 n be fe
	shift
	t0=$(date +%s.%N)
	timeout 60 rmmod xen-netback || { echo "rmmod xen-netback failed" >&2; return 1; }
	t1=$(date +%s.%N)
	insmod "$OURS/xen-netback.ko" max_queues="$max" || return 1
	"$OURS/xen-vifctl" replug >/tmp/replug.log 2>&1 ||
		{ echo "xen-vifctl replug failed: $(cat /tmp/replug.log)" >&2; return 1; }
	for n in "$@"; do
		be=$(be_path "$n")
		fe=$(fe_path "$n")
		wait_for "$n's vif Connected on both ends" 30 sh -c \
			"[ \"\$(xenstore-read $be/state)\" = $XB_CONNECTED ] && [ \"\$(xenstore-read $fe/state)\" = $XB_CONNECTED ]" ||
			return 1
	done
	t2=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "rmmod %.1f s, back and connected %.1f s\n", b - a, c - b }'
}

# netback_reload NAME IDX FQ NAME2 IDX2 FQ2 MAXES: our netback reloaded
# (rmmod, insmod with the next max_queues of MAXES, xen-vifctl replug)
# under two guests with our netfront (max_queues FQ and FQ2), once to
# settle and then once per entry of MAXES, whose last entry should be
# the first reload's. No guest does anything: each netfront rejoins the
# new backend by itself, with min(max_queues, its own) queues. While
# the backend is away, each guest starts a 4 MiB download that retries
# until it gets through (without -T, which made the guest's busybox
# wget crash at every try: a try waits for TCP to connect); every one
# completes with its sha256. Then the
# guests' grant tables and dom0's slab are where they were after the
# first reload, and iperf3 runs both ways.
netback_reload() {
	local n1=$1 i1=$2 f1=$3 n2=$4 i2=$5 f2=$6 maxes=$7 tag="ours/ours netback rmmod/insmod" \
		d1 d2 g1 g2 m0 m1 m bad="" k=0 out blob want fetch t
	local first=${maxes##* }
	d1=$(domid "$n1") && d2=$(domid "$n2") || { xt_fail "$tag: both guests are running"; return; }
	blob=$(sha_blob 4)
	want=$(cat "$blob.sha")
	fetch="i=0; while [ \$i -lt 60 ]; do i=\$((i + 1));
		wget -q -O /tmp/rl.blob http://$BRIDGE_IP:8080/${blob##*/} && break; sleep 0.5; done;
		sha256sum </tmp/rl.blob | cut -d' ' -f1 >/tmp/rl.sum; rm -f /tmp/rl.blob; echo \$i >/tmp/rl.tries"
	# The first reload shows the handshake works at all, and settles
	# caches before the counts are taken.
	if ! t=$(reload_once "$first" "$n1" "$n2" 2>&1); then
		xt_fail "$tag: first reload, both guests rejoin" "$t"
		return
	fi
	xt_pass "$tag: first reload, both guests rejoin ($t)"
	g1=$(grant_info "$d1")
	g2=$(grant_info "$d2")
	m0=$(mem_info /tmp/slab.0)
	for m in $maxes; do
		k=$((k + 1))
		# While our netback is away, start the downloads in the guests:
		# rmmod first, then the guests, then insmod.
		if ! timeout 60 rmmod xen-netback; then
			bad="reload $k: rmmod xen-netback failed"
			break
		fi
		domu_exec "$n1" "rm -f /tmp/rl.sum; ($fetch) >/dev/null 2>&1 </dev/null &" >/dev/null &&
		domu_exec "$n2" "rm -f /tmp/rl.sum; ($fetch) >/dev/null 2>&1 </dev/null &" >/dev/null ||
			{ bad="reload $k: the guests did not start their downloads"; break; }
		insmod "$OURS/xen-netback.ko" max_queues="$m" ||
			{ bad="reload $k: insmod max_queues=$m failed"; break; }
		"$OURS/xen-vifctl" replug >/tmp/replug.log 2>&1 ||
			{ bad="reload $k: xen-vifctl replug failed: $(cat /tmp/replug.log)"; break; }
		if ! wait_for "both vifs Connected after reload $k" 30 sh -c \
			"[ \"\$(xenstore-read $(be_path "$n1")/state)\" = $XB_CONNECTED ] && [ \"\$(xenstore-read $(be_path "$n2")/state)\" = $XB_CONNECTED ]"; then
			bad="reload $k: a vif did not reconnect ($n1 $(xenstore-read "$(be_path "$n1")/state" 2>&1), $n2 $(xenstore-read "$(be_path "$n2")/state" 2>&1))"
			break
		fi
		if ! out=$(fe_layout_ok "$n1" "$((m < f1 ? m : f1))" 0 strict 2>&1) ||
		   ! out=$(fe_layout_ok "$n2" "$((m < f2 ? m : f2))" 0 strict 2>&1); then
			bad="reload $k (max_queues=$m): queue count not renegotiated: $out"
			break
		fi
		for n in "$n1" "$n2"; do
			if ! wait_for "$n's download after reload $k" 60 domu_exec "$n" "[ -s /tmp/rl.sum ]"; then
				bad="reload $k: $n's download did not complete"
				break 2
			fi
			out=$(domu_exec "$n" "echo \$(cat /tmp/rl.sum) \$(cat /tmp/rl.tries)")
			[ "${out% *}" = "$want" ] ||
				{ bad="reload $k: $n's download has sha256 ${out% *}, not $want"; break 2; }
			xt_diag "$tag: reload $k (max_queues=$m): $n's download got through at try ${out##* }"
		done
	done
	if [ -n "$bad" ]; then
		xt_fail "$tag: $k more reload(s), both guests rejoin each time with the new queue count and their downloads complete" "$bad"
		netback_is ours || insmod "$OURS/xen-netback.ko" max_queues="$first"
		return
	fi
	xt_pass "$tag: $k more reload(s), both guests rejoin each time with the new queue count and their downloads complete"
	wait_for "$n1's grant table back to '$g1'" 10 grant_is "$d1" "$g1"
	wait_for "$n2's grant table back to '$g2'" 10 grant_is "$d2" "$g2"
	slab_settle "${m0% *}" 1024
	m1=$(mem_info /tmp/slab.1)
	out="$n1 '$g1' -> '$(grant_info "$d1")', $n2 '$g2' -> '$(grant_info "$d2")'"
	xt_diag "$tag: guest grant frames/active $out; dom0 slab/free kB '$m0' -> '$m1'"
	xt_check "$tag: both guests' grant tables back to their start" \
		sh -c "[ \"\$1\" = \"\$2\" ] && [ \"\$3\" = \"\$4\" ]" - "$g1" "$(grant_info "$d1")" "$g2" "$(grant_info "$d2")"
	xt_check "$tag: dom0 unreclaimable slab back to its start (+-1 MiB)" \
		slab_ok "${m0% *}" "${m1% *}" 1024 /tmp/slab.0 /tmp/slab.1
	xt_check "$tag: $n1 iperf3 guest-rx after the reloads" iperf_ok "$n1" "$i1" 2 rx
	xt_check "$tag: $n2 iperf3 guest-tx after the reloads" iperf_ok "$n2" "$i2" 2 tx
	xt_check "$tag: $n1 console clean" domu_console_clean "$n1"
	xt_check "$tag: $n2 console clean, destroyed" domu_destroy "$n2"
}

# netback_held NAME IDX: with the in-tree netfront connected, our
# netback keeps itself loaded as the in-tree netback does (that
# netfront does not rejoin a restarted backend): rmmod is refused and
# the vif carries traffic as before.
netback_held() {
	local name=$1 idx=$2 tag="ours/intree netback rmmod"
	xt_check "$tag: refused while the in-tree netfront is connected" \
		sh -c '! rmmod xen-netback 2>/tmp/held.log && grep -q "in use" /tmp/held.log'
	xt_check "$tag: our netback still loaded" netback_is ours
	xt_check "$tag: the vif still carries ping" ping_ok "$name" "$idx"
}
