#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP, and the smaller things the in-tree drivers have, with our
# netfront (4 queues) on our netback: XDP_DROP, XDP_TX, XDP_REDIRECT
# (back out of the same netfront: ndo_xdp_xmit), XDP_PASS (iperf3,
# sha256), the MTU refusal, 1 (check-full: 20) attach/detach cycle(s)
# under traffic without leaks, frames on every queue; our netback's
# debugfs and ethtool -l; the netfront's rxbuf_* attributes; a
# save/restore that brings a new MAC address and a max_queues lowered
# at run time, with the program still attached. Frames come from
# pktgen in dom0, sent straight into the vif, and are counted on both
# sides. The in-tree netfront's XDP on our netback is checked in
# 30-netback, our netfront's XDP on the in-tree netback in 40-netfront,
# on the guests those scripts boot anyway.
. "$(dirname "$0")/scenarios.sh"
. "$(dirname "$0")/xdp-lib.sh"

DBG=/sys/kernel/debug/xen-netback
# every_queue_counted NAME KEY NQ: qN_KEY > 0 for every queue.
every_queue_counted() {
	local s n
	s=$(domu_exec "$1" "ethtool -S eth0 | grep -E '^ *q[0-9]+_$2:'") || return 1
	echo "$s"
	for ((n = 0; n < $3; n++)); do
		[ "$(queue_sum "$s" "$n" "$2")" -gt 0 ] ||
			{ echo "no frames counted on queue $n" >&2; return 1; }
	done
}

# stat_at_least NAME KEY MIN / stats_zero NAME KEY...: our netfront's
# ethtool -S totals.
stat_at_least() {
	local v
	v=$(xdp_get "$1" "$2")
	echo "$2 = $v"
	[ -n "$v" ] && [ "$v" -ge "$3" ]
}
stats_zero() {
	local name=$1 k v
	shift
	for k in "$@"; do
		v=$(xdp_get "$name" "$k")
		echo "$k = $v"
		[ "$v" = 0 ] || return 1
	done
}

# mtu_refused NAME: with MTU 4000 the attach fails and ip prints our
# extack message; the MTU goes back to 1500.
mtu_refused() {
	local out rc
	out=$(domu_exec "$1" "$XDP_IP link set dev eth0 mtu 4000 && $XDP_IP link set dev eth0 xdpdrv obj $XDP_OBJ/xdp-pass.o sec xdp 2>&1")
	rc=$?
	echo "$out"
	domu_exec "$1" "$XDP_IP link set dev eth0 mtu 1500" >/dev/null
	[ $rc != 0 ] && grep -q "MTU too large for XDP" <<<"$out"
}

# ---- debugfs --------------------------------------------------------------

# ring_field TEXT RING FIELD: a number from an io_ring_qN line in TEXT
# (one read of the file: the indices move while traffic flows).
ring_field() {
	awk -v r="$2 ring:" -v f="$3" 'index($0, r) == 1 {
		for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }' <<<"$1"
}

# io_ring_sane FILE: indices in range of a 256-slot ring on both rings.
io_ring_sane() {
	local f=$1 r rp rc pp p t
	t=$(cat "$f") || return 1
	for r in tx rx; do
		rp=$(ring_field "$t" "$r" req_prod) rc=$(ring_field "$t" "$r" req_cons)
		pp=$(ring_field "$t" "$r" rsp_prod_pvt) p=$(ring_field "$t" "$r" rsp_prod)
		[ -n "$rp" ] && [ -n "$rc" ] && [ -n "$pp" ] && [ -n "$p" ] ||
			{ echo "$f: no $r ring line" >&2; echo "$t" >&2; return 1; }
		if [ $(((rp - rc) & 0xffffffff)) -gt 256 ] || [ $(((rc - pp) & 0xffffffff)) -gt 256 ] ||
		   [ $(((pp - p) & 0xffffffff)) -gt 256 ]; then
			echo "$f: $r indices out of order: $rp $rc $pp $p" >&2
			return 1
		fi
	done
}

# rx_cons_all DIR: the rx ring's req_cons of every io_ring file, one
# line (one read of each file).
rx_cons_all() {
	local f
	for f in "$1"/io_ring_q*; do
		printf '%s ' "$(ring_field "$(cat "$f")" rx req_cons)"
	done
}

# debugfs_busy NAME: during guest-rx traffic (many flows, so that every
# queue gets some) the rx rings' req_cons move and every io_ring file
# reads sane indices.
debugfs_busy() {
	local d=$DBG/vif$(domid "$1").0 f a b pid
	iperf3 -c "$(domu_ip 1)" -t 4 -P 16 >/dev/null 2>&1 &
	pid=$!
	sleep 1.5
	a=$(rx_cons_all "$d")
	for f in "$d"/io_ring_q*; do
		io_ring_sane "$f" || { kill $pid; wait $pid; return 1; }
	done
	sleep 1
	b=$(rx_cons_all "$d")
	wait $pid
	echo "rx req_cons per queue: $a then $b"
	head -n 3 "$d/io_ring_q0"
	[ -n "${a// /}" ] && [ "$a" != "$b" ]
}

# kick_ok NAME: writing kick to io_ring_q0 raises the guest's queue-0
# receive interrupt count (the event reached the frontend).
guest_q0_irqs() {
	domu_exec "$1" "awk '/vif0-q0-rx/ { s = 0; for (i = 2; i <= NF; i++) if (\$i ~ /^[0-9]+\$/) s += \$i; print s }' /proc/interrupts"
}
kick_ok() {
	local d=$DBG/vif$(domid "$1").0 a
	a=$(guest_q0_irqs "$1")
	[ -n "$a" ] || { echo "no vif0-q0-rx line in the guest's /proc/interrupts" >&2; return 1; }
	echo kick >"$d/io_ring_q0" || return 1
	local i b
	for i in 1 2 3 4 5 6 7 8 9 10; do
		b=$(guest_q0_irqs "$1")
		[ "$b" -gt "$a" ] && break
		sleep 0.3
	done
	echo "guest vif0-q0-rx interrupts $a then $b"
	[ "$b" -gt "$a" ] && ! echo bogus >"$d/io_ring_q0" 2>/dev/null
}

# ---- leaks -----------------------------------------------------------------

# attach_cycles NAME N: N attach/detach cycles of the pass program
# during guest-rx iperf3; grants and the guest's slab end where they
# started, and traffic flows afterwards.
attach_cycles() {
	local name=$1 n=$2 d g0 g1 s0 s1 pid out
	d=$(domid "$name")
	g0=$(grant_info "$d")
	s0=$(domu_exec "$name" "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	iperf3 -c "$(domu_ip 1)" -t 60 -P 2 >/dev/null 2>&1 &
	pid=$!
	sleep 1
	out=$(domu_exec "$name" "i=0; while [ \$i -lt $n ]; do
		$XDP_IP link set dev eth0 xdpdrv obj $XDP_OBJ/xdp-pass.o sec xdp || exit 1
		$XDP_IP link set dev eth0 xdpdrv off || exit 2
		i=\$((i + 1)); done; echo \$i cycles" 120)
	local rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "$out"
	[ $rc = 0 ] || return 1
	wait_for "the guest's grant table back to '$g0'" 10 grant_is "$d" "$g0"
	g1=$(grant_info "$d")
	s1=$(domu_exec "$name" "awk '/^SUnreclaim:/ { print \$2 }' /proc/meminfo")
	echo "grant frames/active before '$g0' after '$g1'; guest slab kB $s0 -> $s1"
	[ "$g0" = "$g1" ] && slab_ok "$s0" "$s1" 512 && iperf_ok "$name" 1 2 rx
}

# ---- save/restore ---------------------------------------------------------------

NEWMAC=00:16:3e:5a:17:42

# restore_new_config NAME: save the guest, restore it with a config
# that gives its vif a new MAC address.
restore_new_config() {
	local name=$1 img
	img=$(save_dir)/$name.save || return 1
	sed "s|^vif = .*|vif = [ \"$XT_VIF,mac=$NEWMAC\" ]|" "/tmp/$name.cfg" >"/tmp/$name.restore.cfg"
	rm -f "$img"
	timeout 300 xl save "$name" "$img" >/tmp/"$name".sr.log 2>&1 &&
		timeout 300 xl restore "/tmp/$name.restore.cfg" "$img" >>/tmp/"$name".sr.log 2>&1
	local rc=$?
	rm -f "$img"
	[ $rc = 0 ] || { tail -n 5 /tmp/"$name".sr.log >&2; return 1; }
	wait_for "the restored vif to connect" 60 sh -c \
		"[ \"\$(xenstore-read $(be_path "$name")/state)\" = $XB_CONNECTED ] && [ \"\$(xenstore-read $(fe_path "$name")/state)\" = $XB_CONNECTED ]"
}

tag="xdp ours/ours"
if ! netback_use ours max_queues=4; then
	xt_fail "$tag: our netback loads with max_queues=4"
	exit 0
fi
if ! domu_create xa vcpus=4 front=ours fq=4 idx=1 vif="$XT_VIF"; then
	xt_fail "$tag: domU with 4 queues boots"
	exit 0
fi
vifa=vif$(domid xa).0
wait_for "ping xa" 30 ping_ok xa 1
xt_check "$tag: 4 queues" fe_layout_ok xa 4 0 strict
xt_check "$tag: our netback advertises feature-xdp-headroom" \
	sh -c "[ \"\$(xenstore-read $(be_path xa)/feature-xdp-headroom)\" = 1 ]"
xt_check "$tag: our netback's provides_xdp_headroom parameter is 1" \
	sh -c "[ \"\$(cat /sys/module/xen_netback/parameters/provides_xdp_headroom)\" = Y ]"
xt_check "$tag: ethtool -l on $vifa shows the vif's limit 4" channels_max "$vifa" 4

# Legacy attributes: present, report the ring size, accept a number.
xt_check "$tag: rxbuf_min/max/cur read 256, a number written is accepted, junk refused" \
	domu_exec xa 'cd /sys/class/net/eth0 && [ "$(cat rxbuf_min rxbuf_max rxbuf_cur | tr "\n" " ")" = "256 256 256 " ] &&
		[ "$(stat -c %a rxbuf_min rxbuf_max rxbuf_cur | tr "\n" " ")" = "644 644 444 " ] &&
		echo 512 >rxbuf_min && echo 1024 >rxbuf_max && ! echo junk >rxbuf_max 2>/dev/null &&
		! echo 1 >rxbuf_cur 2>/dev/null && [ "$(cat rxbuf_min)" = 256 ]'

# debugfs
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
xt_check "$tag: debugfs has io_ring_q0..q3 and ctrl for $vifa" \
	sh -c "cd $DBG/$vifa && ls && [ -f ctrl ] && [ -f io_ring_q0 ] && [ -f io_ring_q1 ] && [ -f io_ring_q2 ] && [ -f io_ring_q3 ] && [ ! -e io_ring_q4 ]"
xt_check "$tag: debugfs ctrl shows the hash configuration" \
	sh -c "cat $DBG/$vifa/ctrl && grep -q '^hash algorithm: ' $DBG/$vifa/ctrl"
xt_check "$tag: debugfs io_ring indices are sane and move during traffic" debugfs_busy xa
xt_check "$tag: debugfs kick sends an event to the guest" kick_ok xa

# The MTU must leave the XDP headroom in a page.
xt_check "$tag: attaching with MTU 4000 fails with the extack message" mtu_refused xa
xt_check "$tag: no program attached after the refusal" \
	domu_exec xa "$XDP_IP link show dev eth0 | grep -q mtu && ! $XDP_IP link show dev eth0 | grep -q prog/xdp"

# DROP, on all four queues.
xt_check "$tag: XDP_DROP counts every frame dom0 delivered, on 4 queues" \
	xdp_action_ok xa 1 drop xdp_dropped 4
xt_check "$tag: XDP_DROP saw frames on every queue" every_queue_counted xa xdp_dropped 4
xt_check "$tag: the frontend asked for headroom and no GSO (Reconfiguring handshake)" \
	fe_xdp_keys xa 256 0
xt_check "$tag: nothing answers ping while XDP_DROP is attached" no_ping xa 1
xdp_detach xa >/dev/null
xt_check "$tag: removing XDP_DROP restores traffic (ping)" wait_for "ping xa" 10 ping_ok xa 1
xt_check "$tag: headroom released and GSO back after the removal" fe_xdp_keys xa - 1

xt_check "$tag: XDP_TX returns every frame to dom0" xdp_action_ok xa 1 tx xdp_tx
xt_check "$tag: XDP_REDIRECT back out of the same netfront" xdp_action_ok xa 1 redirect xdp_redirect
xt_check "$tag: redirected frames left through ndo_xdp_xmit" stat_at_least xa xdp_xmit $NPKT
xt_check "$tag: XDP_PASS delivers to the stack" xdp_action_ok xa 1 pass xdp_passed
xt_check "$tag: iperf3 guest-rx with XDP_PASS" iperf_ok xa 1 4 rx
xt_check "$tag: iperf3 guest-tx with XDP_PASS" iperf_ok xa 1 2 tx
xt_check "$tag: $(lane 8 64) MiB each way keeps its sha256 with XDP_PASS" sha_roundtrip xa 1 "$(lane 8 64)"
xt_check "$tag: no frame fell outside XDP (xdp_errors, xdp_aborted 0)" stats_zero xa xdp_errors xdp_aborted
xdp_detach xa >/dev/null
n=$(lane 1 20)
xt_check "$tag: $(cycles "$n") of attach/detach under traffic leak no grants or slab" attach_cycles xa "$n"

# A new MAC address and a lower max_queues, applied at the next
# connection (a restore), with the program attached throughout.
xt_check "$tag: max_queues is writable at run time" \
	domu_exec xa "cd /sys/module/xen_netfront/parameters && [ \"\$(stat -c %a max_queues)\" = 644 ] &&
		echo 2 >max_queues && [ \"\$(cat max_queues)\" = 2 ]"
xdp_attach xa pass >/dev/null
p0=$(xdp_get xa xdp_passed)
if xt_check "$tag: save and restore with a new MAC" restore_new_config xa; then
	xt_check "$tag: the restored guest uses the new MAC" \
		domu_exec xa "[ \"\$(cat /sys/class/net/eth0/address)\" = $NEWMAC ]"
	xt_check "$tag: the restored guest connected with max_queues 2" fe_layout_ok xa 2 0 strict
	xt_check "$tag: headroom asked for again at the new connection" fe_xdp_keys xa 256 0
	xt_check "$tag: ping after the restore" wait_for "ping xa" 30 ping_ok xa 1
	xt_check "$tag: XDP_PASS still runs after the restore" \
		stat_at_least xa xdp_passed $((p0 + 3))
	xt_check "$tag: debugfs follows the new connection (io_ring_q0..q1)" \
		sh -c "[ -f $DBG/vif$(domid xa).0/io_ring_q1 ] && [ ! -e $DBG/vif$(domid xa).0/io_ring_q2 ]"
fi
da=$(domid xa)
xt_check "$tag: domU console clean, destroyed" domu_destroy xa
xt_check "$tag: the vif's debugfs directory went with it" \
	wait_for "$DBG/vif$da.0 to go" 10 sh -c "[ ! -e $DBG/vif$da.0 ]"
