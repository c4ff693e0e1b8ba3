#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark (make bench), run in dom0. Not a pass/fail test: it
# prints a table of iperf3 throughput, ours against the in-tree driver,
# measured in the same boot with alternating runs, and the median of
# BENCH_RUNS runs of BENCH_SECS seconds for each cell.
#
#   netback table:  our netback vs the in-tree one, in-tree netfront.
#                   The backend module is swapped between runs, so each
#                   run boots a fresh domU.
#   netfront table: our netfront vs the in-tree one, in-tree netback.
#                   Two domUs run side by side and take turns.
#   pair table:     ours on both sides vs in-tree on both sides; the
#                   backend is swapped between runs as for netback.
#   xdp table:      XDP_DROP in the guest, our netfront vs the in-tree
#                   one, side by side on our netback, one queue each:
#                   thousands of 64-byte frames per second that pktgen
#                   in dom0 gets through the vif (BENCH_XDP_PKTS frames
#                   a run).
#
#   rows:           what multi-queue is for, on the pair (the named
#                   driver on both sides, BENCH_ROW_QUEUES queues, 4):
#                   UDP datagrams of 64 and 1400 bytes per second that
#                   arrive (iperf3 -u at no rate limit, one sender per
#                   queue), and TCP request/response latency (sockperf
#                   ping-pong: median and 99th percentile of the
#                   one-way latency, half the round trip).
#   scale:          BENCH_SCALE guests at once (default "1 8 16"), 4
#                   queues each on one netback, in-tree netfront:
#                   aggregate throughput each way (iperf3 to every
#                   guest at once), its CPU s/GB (dom0, and the
#                   guests together) and events per MB each way;
#                   then more vifs of 4 queues are
#                   attached, the same number to every guest and at
#                   least 4 in all: the time each takes to connect
#                   (median over them), the backend's share of it
#                   (from the frontend's Connected to the backend's)
#                   and dom0 memory per queue (what
#                   dom0's kernel allocated for those vifs, kernel_kb,
#                   over their queues).
#   rft:            our netback's rx-follows-tx on against off (module
#                   parameter rx_follows_tx), our netfront, 4 queues,
#                   4 TCP streams each way: with it on, frames to the
#                   guest of a flow the guest sends leave on the
#                   queue it sends on. Throughput and CPU cost.
#   prof:           function profiles of the cells of BENCH_PROF_CELLS
#                   (SIDE:Q:LOAD; LOAD rx or tx: iperf3 TCP, urx or
#                   utx: 64-byte UDP, urx1400 or utx1400: 1400-byte
#                   UDP, rr: sockperf ping-pong, xdp: pktgen into
#                   XDP_DROP, side xdp: our netback with either
#                   netfront, as in the xdp table; side scale: either
#                   netback with the in-tree netfront in one guest of
#                   the scale table's shape, one stream; default
#                   the cells where ours is not ahead, "netback:1:rx
#                   pair:4:urx pair:4:rr"): one run per driver with
#                   ftrace's function_graph timing every function of
#                   the backend module in dom0 and of the frontend
#                   module in the guest, and a few kernel functions
#                   around them, for BENCH_PROF_SECS (2) seconds;
#                   calls and time per function go to
#                   results/profile-SIDE-qQ-LOAD-IMPL.txt. Not in the
#                   default sides (tracing costs time).
#
# BENCH_SIDES picks the tables (default "netback netfront pair xdp rows
# scale rft"; add prof by name).
#
# iperf3 uses as many streams as there are queues. "guest-rx" is
# dom0 -> domU, "guest-tx" is domU -> dom0.
#
# Each iperf3 run also records its CPU cost: the seconds of CPU time
# Xen accounted to dom0 and to the guest during the run (xl list), per
# GB moved. Under the instruction clock (RIG_CLOCK=icount, the default
# of make bench) both figures count emulated instructions and repeat
# within a few per cent; a cell whose runs spread by more than
# BENCH_SPREAD_MAX per cent is flagged with '!'.
cd "$(dirname "$0")" || exit 1
. ../selftests/xen-net/lib.sh
. ../selftests/xen-net/xdp-lib.sh
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECS:-5}
QUEUES=${BENCH_QUEUES:-"1 2 4"}
SIDES=${BENCH_SIDES:-"netback netfront pair xdp rows scale rft"}
PROF_CELLS=${BENCH_PROF_CELLS:-"netback:1:rx pair:4:urx pair:4:rr"}
ROWQ=${BENCH_ROW_QUEUES:-4}
SCALE=${BENCH_SCALE:-"1 8 16"}
SCALE_MEM=${BENCH_SCALE_MEM:-128}
# Runs per driver of each scale count above one guest: 16 guests take
# minutes to boot on the instruction clock, whose figures repeat anyway.
# One guest boots as fast as the tables' and gets their BENCH_RUNS.
SCALE_RUNS=${BENCH_SCALE_RUNS:-1}
XDP_PKTS=${BENCH_XDP_PKTS:-200000}
SPREAD_MAX=${BENCH_SPREAD_MAX:-3}
OUTF=/host/results/bench.txt
LOG=/host/results/bench.log
DATA=/tmp/bench.data
: >"$DATA"
: >"$LOG"

note() { echo "$*" >>"$LOG"; }

# record SIDE Q DIR IMPL VALUE [DOM0_COST GUEST_COST [EV_DOM0 EV_GUEST]]
record() { echo "$1 $2 $3 $4 $5 ${6:--} ${7:--} ${8:--} ${9:--}" >>"$DATA"; note "$*"; }

# cpu_secs NAME: the CPU seconds Xen has accounted to domain NAME.
cpu_secs() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $6 }'; }

# The interrupts counted so far on every CPU, summed over the lines of
# /proc/interrupts whose name (last field) matches the ERE in $re.
IRQ_SUM='awk -v re="$re" '\''NR == 1 { n = NF; next } $NF ~ re { for (i = 2; i <= n + 1; i++) s += $i } END { print s + 0 }'\'' /proc/interrupts'

# events NAME: "dom0 guest", the event channel interrupts so far of guest
# NAME's first vif: in dom0, those the guest sent to its backend (every
# queue's tx, rx or shared channel, vifD.0-qN...), and in the guest,
# those dom0 sent to its frontend (the in-tree netfront's ethN-qN...,
# ours vifN-qN...; the control ring's are left out).
events() {
	local d e0 eg
	d=$(domid "$1") || return 1
	e0=$(re="^vif${d}[.]0-q[0-9]+" sh -c "$IRQ_SUM")
	eg=$(domu_exec "$1" "re='-q[0-9]+(-tx|-rx)?\$'; $IRQ_SUM" 30 2>/dev/null) || eg=""
	echo "$e0 ${eg:--}"
}

# measured SIDE Q DIR IMPL NAME IDX: one iperf3 run against guest NAME
# (address IDX), recorded with dom0's and the guest's CPU seconds per
# GB moved, and the events each way per MB moved.
measured() {
	local side=$1 q=$2 dir=$3 impl=$4 name=$5 idx=$6 r d0 g0 d1 g1 dc gc e0 e1 ed eg
	e0=$(events "$name")
	d0=$(cpu_secs Domain-0) g0=$(cpu_secs "$name")
	r=$(iperf "$name" "$idx" "$q" "$dir" "$SECS" 2>>"$LOG") || return 1
	d1=$(cpu_secs Domain-0) g1=$(cpu_secs "$name")
	e1=$(events "$name")
	read -r dc gc ed eg <<<"$(awk -v r="$r" -v s="$SECS" \
		-v d0="$d0" -v d1="$d1" -v g0="$g0" -v g1="$g1" -v e0="$e0" -v e1="$e1" 'BEGIN {
			gb = r * s / 8 / 1000
			split(e0, a, " "); split(e1, b, " ")
			if (gb <= 0 || d0 == "" || d1 == "" || g0 == "" || g1 == "") printf "- - "
			else printf "%.2f %.2f ", (d1 - d0) / gb, (g1 - g0) / gb
			if (gb <= 0 || a[1] == "" || b[1] == "") printf "- "
			else printf "%.1f ", (b[1] - a[1]) / gb / 1000
			if (gb <= 0 || a[2] == "" || a[2] == "-" || b[2] == "" || b[2] == "-") print "-"
			else printf "%.1f\n", (b[2] - a[2]) / gb / 1000 }')"
	record "$side" "$q" "$dir" "$impl" "$r" "${dc:--}" "${gc:--}" "${ed:--}" "${eg:--}"
}

# median, then "min-max", of the numbers on stdin
summary() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1] "-" v[NR] }'
}

# median, then the spread of the runs ((max - min) / median, per cent,
# with '!' past SPREAD_MAX), of the numbers on stdin
spread() {
	sort -n | awk -v max="$SPREAD_MAX" '$1 != "-" { v[++n] = $1 } END {
		if (n == 0) { print "- -"; exit }
		if (n % 2) m = v[(n + 1) / 2]; else m = (v[n / 2] + v[n / 2 + 1]) / 2
		sp = m > 0 ? (v[n] - v[1]) * 100 / m : 0
		flag = (sp > max) ? "!" : ""
		printf "%s %.1f%%%s\n", m, sp, flag }'
}

# values of one cell: SIDE Q DIR IMPL [COLUMN: 5 throughput (default),
# 6 dom0's CPU s/GB, 7 the guest's, 8 and 9 the events per MB into dom0
# and into the guest]
cell() {
	awk -v s="$1" -v q="$2" -v d="$3" -v i="$4" -v c="${5:-5}" \
		'$1 == s && $2 == q && $3 == d && $4 == i { print $c }' "$DATA"
}

# med SIDE Q DIR IMPL [COLUMN]: the median of one cell's values, or '-'
med() {
	local m

	m=$(cell "$@" | spread)
	echo "${m%% *}"
}

# queue_split VIF: bytes each of the vif's tx queues (guest RX) has
# sent through its qdisc, "q0=N q1=N ...", for the log: with as many
# flows as queues, flows hashed onto the same queue explain a slow run.
queue_split() {
	tc -s qdisc show dev "$1" 2>/dev/null | awk '
		function hex(s, i, n) {
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		/^qdisc/ { p = ""; for (i = 1; i < NF; i++) if ($i == "parent") p = $(i + 1) }
		/^ Sent / && p ~ /^:[0-9a-f]+$/ { printf "q%d=%dM ", hex(substr(p, 2)) - 1, $2 / 1048576 }'
}

# ring_split NAME: the requests each TX ring of guest NAME's first vif
# has taken so far, "q0=N q1=N ...", from the in-tree netback's debugfs
# (the netfront table's backend): which queues the guest's flows use.
ring_split() {
	local d f
	d=$(domid "$1") || return 1
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	for f in /sys/kernel/debug/xen-netback/vif"$d".0/io_ring_q*; do
		[ -r "$f" ] || continue
		awk -v q="${f##*_q}" '/^TX:/ { t = 1; next }
			t && /^req prod/ { printf "q%s=%s ", q, $6; exit }' "$f"
	done
}

# guest_events NAME: "TX RX", the event channel interrupts so far of the
# TX and the RX channels of guest NAME's frontend (split channels).
guest_events() {
	domu_exec "$1" "re='-q[0-9]+-tx\$'; $IRQ_SUM; re='-q[0-9]+-rx\$'; $IRQ_SUM" 30 2>/dev/null | tr '\n' ' '
}

# one run with the backend swapped: SIDE netback keeps the in-tree
# netfront, SIDE pair uses the same driver (IMPL) on both sides.
backend_run() {
	local side=$1 impl=$2 q=$3 front=intree dir r
	[ "$side" = pair ] && front=$impl
	if ! netback_use "$impl" max_queues="$q" 2>>"$LOG" ||
	   ! domu_create bench vcpus=4 front="$front" fq="$q" idx=1 2>>"$LOG" ||
	   ! wait_for "ping over the $side pair" 20 ping_ok bench 1; then
		note "$side $impl q=$q: set-up failed"
		domus_destroy_all >/dev/null 2>&1
		return
	fi
	for dir in rx tx; do
		measured "$side" "$q" "$dir" "$impl" bench 1
		[ "$dir" = rx ] &&
			note "  $side $impl q=$q rx per queue: $(queue_split "vif$(domid bench).0")"
	done
	domu_destroy bench >/dev/null 2>&1
}

swap_backend_table() {
	local side=$1 q run order impl
	for q in $QUEUES; do
		for ((run = 1; run <= RUNS; run++)); do
			if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
			for impl in $order; do
				backend_run "$side" "$impl" "$q"
			done
		done
	done
}

has_side() { [[ " $SIDES " == *" $1 "* ]]; }

has_side netback && swap_backend_table netback

for q in $QUEUES; do
	has_side netfront || break
	netback_use intree max_queues="$q" 2>>"$LOG"
	ok_ours=0
	ok_intree=0
	domu_create bours vcpus=4 front=ours fq="$q" idx=1 2>>"$LOG" &&
		wait_for "ping over our netfront" 20 ping_ok bours 1 && ok_ours=1
	domu_create bintree vcpus=4 front=intree fq="$q" idx=2 2>>"$LOG" && ok_intree=1
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
		for dir in rx tx; do
			for impl in $order; do
				if [ "$impl" = ours ]; then
					[ $ok_ours = 1 ] || continue
					measured netfront "$q" "$dir" ours bours 1
					note "  netfront ours q=$q $dir so far: TX requests per queue $(ring_split bours)events TX RX $(guest_events bours)"
				else
					[ $ok_intree = 1 ] || continue
					measured netfront "$q" "$dir" intree bintree 2
					note "  netfront intree q=$q $dir so far: TX requests per queue $(ring_split bintree)events TX RX $(guest_events bintree)"
				fi
			done
		done
	done
	domus_destroy_all >/dev/null 2>&1
done

has_side pair && swap_backend_table pair

# udp_kpps NAME IDX STREAMS DIR SECS LEN: thousands of LEN-byte UDP
# datagrams per second that arrived (iperf3 at no rate limit; DIR as
# for iperf).
udp_kpps() {
	local rev="" out
	[ "$4" = tx ] && rev=-R
	out=$(timeout $(($5 + 40)) iperf3 -c "$(domu_ip "$2")" -u -b 0 -l "$6" -P "$3" \
		-t "$5" $rev -f m --connect-timeout 5000 2>&1) || {
		echo "$out" | tail -n 5 >&2
		return 1
	}
	# The last receiver line (the sum with several streams) has
	# "lost/total".
	echo "$out" | awk -v s="$5" '/receiver/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, a, "/"); v = a[2] - a[1] }
		}
		END { if (v == "") exit 1; printf "%.1f\n", v / s / 1000 }' || {
		echo "$out" | tail -n 5 >&2
		return 1
	}
}

# rr_us IDX SECS: sockperf TCP ping-pong against the guest's server:
# "P50 P99 N", the one-way latency's median and 99th percentile in
# microseconds and the round trips made.
rr_us() {
	local out p50 p99 n
	out=$(timeout $(($2 + 40)) sockperf pp --tcp -i "$(domu_ip "$1")" -p 11111 -t "$2" 2>&1) || {
		echo "$out" | tail -n 5 >&2
		return 1
	}
	p50=$(echo "$out" | awk '/percentile 50.000/ { print $NF }')
	p99=$(echo "$out" | awk '/percentile 99.000/ { print $NF }')
	n=$(echo "$out" | awk '/Valid Duration/ { for (i = 1; i <= NF; i++)
		if ($i ~ /^ReceivedMessages=/) { sub(/.*=/, "", $i); v = $i } } END { print v + 0 }')
	[ -n "$p50" ] && [ -n "$p99" ] || { echo "$out" | tail -n 5 >&2; return 1; }
	echo "$p50 $p99 $n"
}

# us_per C0 C1 N: microseconds of CPU per item, from CPU seconds C0 and
# C1 before and after N items; '-' when it cannot be told.
us_per() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {
		if (a == "" || b == "" || n + 0 <= 0) print "-"
		else printf "%.1f\n", (b - a) * 1000000 / n }'
}

# rows_run IMPL: the rows on the pair, IMPL on both sides.
rows_run() {
	local impl=$1 q=$ROWQ len dir r p50 p99 n d0 d1 g0 g1
	if ! netback_use "$impl" max_queues="$q" 2>>"$LOG" ||
	   ! domu_create bench vcpus=4 front="$impl" fq="$q" idx=1 2>>"$LOG" ||
	   ! wait_for "ping over the pair" 20 ping_ok bench 1; then
		note "rows $impl q=$q: set-up failed"
		domus_destroy_all >/dev/null 2>&1
		return
	fi
	for len in 64 1400; do
		for dir in rx tx; do
			d0=$(cpu_secs Domain-0) g0=$(cpu_secs bench)
			r=$(udp_kpps bench 1 "$q" "$dir" "$SECS" "$len" 2>>"$LOG") || continue
			d1=$(cpu_secs Domain-0) g1=$(cpu_secs bench)
			n=$(awk -v r="$r" -v s="$SECS" 'BEGIN { print r * 1000 * s }')
			record "udp$len" "$q" "$dir" "$impl" "$r" \
				"$(us_per "$d0" "$d1" "$n")" "$(us_per "$g0" "$g1" "$n")"
		done
	done
	d0=$(cpu_secs Domain-0) g0=$(cpu_secs bench)
	if r=$(rr_us 1 "$SECS" 2>>"$LOG"); then
		d1=$(cpu_secs Domain-0) g1=$(cpu_secs bench)
		read -r p50 p99 n <<<"$r"
		record rr50 "$q" rr "$impl" "$p50" \
			"$(us_per "$d0" "$d1" "$n")" "$(us_per "$g0" "$g1" "$n")"
		record rr99 "$q" rr "$impl" "$p99"
	fi
	domu_destroy bench >/dev/null 2>&1
}

if has_side rows; then
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
		for impl in $order; do
			rows_run "$impl"
		done
	done
fi

# mem_avail: dom0's MemAvailable, kB, once the caches are dropped (so
# that file pages coming and going between two samples do not count).
mem_avail() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

# kernel_kb: what dom0's kernel has allocated, kB: unreclaimable slab
# (kmalloc's large allocations count there too), vmalloc (kvcalloc'd
# arrays, kthread stacks) and per-CPU memory. It holds what a netback
# allocates for a vif, and unlike MemAvailable it does not move with
# the free pages the page allocator keeps on its per-CPU lists, which
# made MemAvailable's drop over 16 queues read 119 to 253 kB a queue
# for the same netback (the MemAvailable figure still goes to the log).
kernel_kb() {
	awk '/^(SUnreclaim|VmallocUsed|Percpu):/ { s += $2 } END { print s + 0 }' /proc/meminfo
}

# connect_ms NAME DEVID: attach one more vif to guest NAME; prints the
# milliseconds until both ends are Connected, then the backend's own
# share of them: from the frontend's switch to Connected, once it has
# written its rings, to the backend's (nothing after 60 s). The vif
# gets the suite's three-command hotplug script (XT_VIF_SCRIPT) rather
# than the toolstack's vif-bridge, the same for either backend: the
# many processes vif-bridge starts are slow under emulation and were
# most of the time measured, not the backend's own share. The two
# state changes are stamped by watches as they are seen, with bash's
# own clock: a process started per event (a xenstore-read of the new
# state) added some 150 ms to every connection under emulation.
connect_ms() {
	local d bp fp w t0 now st tb
	d=$(domid "$1") || return 1
	bp=/local/domain/0/backend/vif/$d/$2/state
	fp=/local/domain/$d/device/vif/$2/state
	w=/tmp/connect-watch
	{
		timeout 70 xenstore-watch "$fp" &
		timeout 70 xenstore-watch "$bp" &
		wait
	} 2>/dev/null | while read -r p _; do
		echo "${EPOCHREALTIME/./} $p"
	done >"$w" &
	sleep 0.5
	t0=$(date +%s%N)
	if ! xl network-attach "$1" bridge=xenbr0 script="$XT_VIF_SCRIPT" devid="$2" >/dev/null 2>&1; then
		pkill -f "xenstore-watch ($bp|$fp)\$" 2>/dev/null
		wait
		return 1
	fi
	while now=$(date +%s%N); [ $(((now - t0) / 1000000)) -lt 60000 ]; do
		st=$(xenstore-read "$bp" 2>/dev/null)
		[ "$st" = "$XB_CONNECTED" ] && break
		sleep 0.01
	done
	sleep 0.2
	pkill -f "xenstore-watch ($bp|$fp)\$" 2>/dev/null
	wait
	[ "$st" = "$XB_CONNECTED" ] || return 1
	# Each end's last state change was its switch to Connected.
	tb=$(awk -v f="$fp" -v b="$bp" '
		$2 == f { tf = $1 }
		$2 == b { t = $1 }
		END { if (tf != "" && t != "" && t >= tf) printf "%.1f\n", (t - tf) / 1000 }' "$w")
	echo "$(((now - t0) / 1000000)) ${tb:--}"
}

# guests_cpu_secs N: the CPU seconds Xen has accounted to guests s1..sN
# together (empty if one cannot be read).
guests_cpu_secs() {
	local i c s=0
	for ((i = 1; i <= $1; i++)); do
		c=$(cpu_secs "s$i")
		[ -n "$c" ] || return 1
		s=$(awk -v a="$s" -v b="$c" 'BEGIN { print a + b }')
	done
	echo "$s"
}

# guests_events N: "dom0 guests", the events of guests s1..sN summed as
# events() counts them for one guest (empty if one cannot be read).
guests_events() {
	local i e d=0 g=0
	for ((i = 1; i <= $1; i++)); do
		e=$(events "s$i") || return 1
		[ "${e#* }" != - ] || return 1
		d=$((d + ${e%% *})) g=$((g + ${e#* }))
	done
	echo "$d $g"
}

# scale_run IMPL N: N guests with 4 queues each on IMPL's netback; the
# throughput rows record dom0's and the guests' (together) CPU s/GB and
# the events each way per MB (all the guests' first vifs together).
scale_run() {
	local impl=$1 n=$2 i v per m0 m1 k0 k1 dir pids r sum t d0 d1 g0 g1 e0 e1
	netback_use "$impl" max_queues=4 2>>"$LOG" || { note "scale $impl $n: netback failed"; return; }
	for ((i = 1; i <= n; i++)); do
		domu_create "s$i" vcpus=1 mem="$SCALE_MEM" front=intree fq=4 idx="$i" 2>>"$LOG" || {
			note "scale $impl $n: guest s$i failed"
			domus_destroy_all >/dev/null 2>&1
			return
		}
	done
	for ((i = 1; i <= n; i++)); do
		wait_for "ping of s$i" 20 ping_ok "s$i" "$i" || note "scale $impl $n: no ping of s$i"
	done
	for dir in rx tx; do
		pids=""
		e0=$(guests_events "$n")
		d0=$(cpu_secs Domain-0) g0=$(guests_cpu_secs "$n")
		for ((i = 1; i <= n; i++)); do
			iperf "s$i" "$i" 1 "$dir" "$SECS" >"/tmp/scale-$i" 2>>"$LOG" &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086 # one pid a word
		wait $pids
		d1=$(cpu_secs Domain-0) g1=$(guests_cpu_secs "$n")
		e1=$(guests_events "$n")
		sum=0
		for ((i = 1; i <= n; i++)); do
			r=$(cat "/tmp/scale-$i" 2>/dev/null)
			[ -n "$r" ] || { note "scale $impl $n: no result from s$i ($dir)"; sum=""; break; }
			sum=$(awk -v a="$sum" -v b="$r" 'BEGIN { print a + b }')
		done
		[ -n "$sum" ] || continue
		[ "$dir" = rx ] &&
			note "  scale $impl $n rx per queue of s1: $(queue_split "vif$(domid s1).0")"
		# shellcheck disable=SC2046 # the costs and events, one a word
		record scale "$n" "$dir" "$impl" "$sum" $(awk -v r="$sum" -v s="$SECS" \
			-v d0="$d0" -v d1="$d1" -v g0="$g0" -v g1="$g1" -v e0="$e0" -v e1="$e1" 'BEGIN {
				gb = r * s / 8 / 1000
				split(e0, a, " "); split(e1, b, " ")
				if (gb <= 0 || d0 == "" || d1 == "" || g0 == "" || g1 == "") printf "- - "
				else printf "%.2f %.2f ", (d1 - d0) / gb, (g1 - g0) / gb
				if (gb <= 0 || a[2] == "" || b[2] == "") print "- -"
				else printf "%.1f %.1f\n", (b[1] - a[1]) / gb / 1000, (b[2] - a[2]) / gb / 1000 }')
	done
	# More vifs of 4 queues in every guest, at least 4 in all (one
	# vif's megabyte is inside MemAvailable's jitter; a guest's eighth
	# 4-queue vif of the in-tree netfront, 512 grants a queue, did not
	# connect): the time each takes to connect, and the dom0
	# kernel memory they take together. Measured on vifs alone, so that what
	# dom0 spends on a guest itself (its xl process, xenstore entries,
	# console, disk) does not count.
	per=$(((4 + n - 1) / n))
	m0=$(mem_avail) k0=$(kernel_kb)
	for ((i = 1; i <= n; i++)); do
		for ((v = 1; v <= per; v++)); do
			if t=$(connect_ms "s$i" "$v"); then
				record scale "$n" connect "$impl" "${t% *}"
				[ "${t#* }" != - ] && record scale "$n" backconn "$impl" "${t#* }"
			else
				note "scale $impl $n: vif $v of s$i did not connect"
				m0=""
			fi
		done
	done
	sleep 2
	m1=$(mem_avail) k1=$(kernel_kb)
	if [ -n "$m0" ]; then
		note "scale $impl $n: MemAvailable dropped $(((m0 - m1) / (n * per * 4))) kB a queue"
		record scale "$n" mem "$impl" $(((k1 - k0) / (n * per * 4)))
	fi
	domus_destroy_all >/dev/null 2>&1
}

if has_side scale; then
	for n in $SCALE; do
		runs=$SCALE_RUNS
		((n == 1)) && runs=$RUNS
		for ((run = 1; run <= runs; run++)); do
			if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
			for impl in $order; do
				scale_run "$impl" "$n"
			done
		done
	done
fi

# xdp_run NAME IDX IMPL: one XDP_DROP run; records kpps delivered, and
# the CPU microseconds Xen accounted to dom0 and to guest NAME per frame
# delivered (the other guest is idle meanwhile).
xdp_run() {
	local vif t0 t1 n0 n1 out d0 d1 g0 g1 cost
	vif=vif$(domid "$1").0
	n0=$(vif_sstat "$vif" tx_packets)
	d0=$(cpu_secs Domain-0) g0=$(cpu_secs "$1")
	t0=$(date +%s%N)
	out=$(pktgen_send "$vif" "$(domu_ip "$2")" "$(guest_mac "$1")" "$XDP_PKTS" 1 64 2>>"$LOG") || {
		note "xdp $3: pktgen failed"
		return
	}
	t1=$(date +%s%N)
	d1=$(cpu_secs Domain-0) g1=$(cpu_secs "$1")
	n1=$(vif_sstat "$vif" tx_packets)
	note "xdp $3: $((n1 - n0)) frames delivered in $(((t1 - t0) / 1000000)) ms; pktgen: $(echo $out)"
	cost=$(awk -v n=$((n1 - n0)) -v d0="$d0" -v d1="$d1" -v g0="$g0" -v g1="$g1" 'BEGIN {
		if (n <= 0 || d0 == "" || d1 == "" || g0 == "" || g1 == "") print "- -"
		else printf "%.1f %.1f\n", (d1 - d0) * 1e6 / n, (g1 - g0) * 1e6 / n }')
	# shellcheck disable=SC2086 # the two costs, one a word
	record xdp 1 rx "$3" "$(awk -v n=$((n1 - n0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.1f", n / (t / 1e6) }')" $cost
}

if has_side xdp; then
	netback_use ours max_queues=1 2>>"$LOG"
	ok_ours=0
	ok_intree=0
	domu_create xours vcpus=2 front=ours fq=1 idx=1 2>>"$LOG" &&
		xdp_attach xours drop >>"$LOG" 2>&1 && ok_ours=1
	domu_create xintree vcpus=2 front=intree fq=1 idx=2 2>>"$LOG" &&
		xdp_attach xintree drop >>"$LOG" 2>&1 && ok_intree=1
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="ours intree"; else order="intree ours"; fi
		for impl in $order; do
			if [ "$impl" = ours ]; then
				[ $ok_ours = 1 ] && xdp_run xours 1 ours
			else
				[ $ok_intree = 1 ] && xdp_run xintree 2 intree
			fi
		done
	done
	domus_destroy_all >/dev/null 2>&1
fi

# rft_run on|off: our netback with rx_follows_tx on or off, our
# netfront, 4 queues; records side rft, impl on or off.
rft_run() {
	local opt=$1 dir v=0
	[ "$opt" = on ] && v=1
	if ! netback_use ours max_queues=4 rx_follows_tx="$v" 2>>"$LOG" ||
	   ! domu_create bench vcpus=4 front=ours fq=4 idx=1 2>>"$LOG" ||
	   ! wait_for "ping over the pair" 20 ping_ok bench 1; then
		note "rft $opt: set-up failed"
		domus_destroy_all >/dev/null 2>&1
		return
	fi
	for dir in tx rx; do
		measured rft 4 "$dir" "$opt" bench 1
	done
	note "  rft $opt: steered to the guest $(ethtool -S "vif$(domid bench).0" |
		awk '/_tx_steered:/ { s += $2 } END { print s + 0 }') frames"
	domu_destroy bench >/dev/null 2>&1
}

if has_side rft; then
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="on off"; else order="off on"; fi
		for opt in $order; do
			rft_run "$opt"
		done
	done
fi

# Function profiles with ftrace's function_graph tracer: every function
# of the driver module on that side (*:mod:M) and the kernel functions
# of PROF_KFUNCS, each call timed from entry to return (inclusive of the
# traced calls beneath it). Sampling profilers do not work in the rig's
# PV domains (Documentation/testing.rst); a traced call's time is the
# domain's own clock (sched_clock), which the instruction clock drives.
PROF_KFUNCS="net_rx_action napi_gro_receive netif_receive_skb_list_internal
__dev_queue_xmit dev_hard_start_xmit gnttab_batch_copy notify_remote_via_irq
xen_irq_lateeoi __wake_up try_to_wake_up gnttab_end_foreign_access_ref
gnttab_grant_foreign_access_ref ip_rcv udp_rcv tcp_v4_rcv"
PROF_SECS=${BENCH_PROF_SECS:-2}
# FT_START, run with M (module), KB (buffer per CPU) and KF (kernel
# functions) set: select them and switch the tracer to function_graph,
# with recording still off (FT_ON). Switching patches every selected
# function and takes seconds of the emulated machine: done before the
# load starts. Fails if the module's functions cannot be selected.
FT_START='T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T || exit 1
echo 0 >$T/tracing_on && echo nop >$T/current_tracer || exit 1
echo $KB >$T/buffer_size_kb && echo 0 >$T/options/overwrite || exit 1
echo "*:mod:$M" >$T/set_ftrace_filter || exit 1
for f in $KF; do echo $f >>$T/set_ftrace_filter 2>/dev/null; done
echo 1 >$T/options/funcgraph-tail && echo 1 >$T/options/funcgraph-abstime || exit 1
echo function_graph >$T/current_tracer && echo >$T/trace'
FT_ON='echo 1 >/sys/kernel/tracing/tracing_on'
FT_OFF='echo 0 >/sys/kernel/tracing/tracing_on'
# FT_STOP: print each CPU's buffer counts, RAW (0) lines of the raw
# trace, then per function, the calls, the total
# milliseconds, the microseconds per call and the milliseconds per
# traced second, highest total first (N lines, default 40); then
# switch the tracer off and give its buffers back.
FT_STOP='T=/sys/kernel/tracing
for c in $T/per_cpu/cpu*; do
	echo "# ${c##*/}: $(grep -E "^(entries|overrun|dropped events):" $c/stats | tr "\n" " ")"
done
echo "# clock $(cat $T/trace_clock), $(wc -l <$T/trace) lines"
if [ "${RAW:-0}" != 0 ]; then
	echo "# first $RAW lines of the trace:"
	grep -v "^#" $T/trace | head -n $RAW
fi
lost=$(cat $T/per_cpu/cpu*/stats | awk "/^(overrun|dropped events):/ { s += \$NF } END { print s + 0 }")
awk -F"|" -v lost="$lost" "
	NF < 3 { next }
	{
		t = \$1 + 0; if (t > 0) { if (t0 == \"\" || t < t0) t0 = t; if (t > t1) t1 = t }
		k = split(\$2, a, \" \"); d = \"\"
		for (i = 1; i < k; i++) if (a[i + 1] == \"us\" && a[i] ~ /^[0-9.]+\$/) d = a[i]
		if (d == \"\") next
		s = \$NF
		if (s ~ /\\/\\*/) { sub(/.*\\/\\* */, \"\", s); sub(/ *\\*\\/.*/, \"\", s) }
		else if (s ~ /\\(\\);/) sub(/\\(\\);.*/, \"\", s)
		else next
		sub(/ \\[.*/, \"\", s); gsub(/[ \\t]/, \"\", s)
		c[s]++; tot[s] += d
	}
	END {
		w = t1 - t0
		printf \"# traced %.2f s, events lost %d; total ms, calls, us/call, ms per traced s\\n\", w, lost >\"/tmp/ft.head\"
		for (f in c) printf \"%9.2f %8d %8.2f %8.2f %s\\n\", tot[f] / 1000, c[f], tot[f] / c[f], (w > 0 ? tot[f] / 1000 / w : 0), f
	}" $T/trace | sort -k1,1 -rn | head -n ${N:-40} >/tmp/ft.rows
cat /tmp/ft.head /tmp/ft.rows
echo nop >$T/current_tracer; echo >$T/set_ftrace_filter; echo 1 >$T/buffer_size_kb'

# prof_load LOAD IDX S SECS: the load of a profiled cell against guest
# address IDX: rx or tx (iperf3 TCP, S streams), urx or utx (64-byte UDP
# datagrams, S senders; urx1400 or utx1400 for 1400-byte ones), rr
# (sockperf ping-pong), xdp (pktgen's 64-byte frames into the guest's
# XDP_DROP program, about SECS seconds' worth at the xdp table's rate).
# Prints its figure.
prof_load() {
	case "$1" in
	rx|tx)	iperf bench "$2" "$3" "$1" "$4" ;;
	urx|utx)	udp_kpps bench "$2" "$3" "${1#u}" "$4" 64 ;;
	urx1400|utx1400)	udp_kpps bench "$2" "$3" "${1:1:2}" "$4" 1400 ;;
	rr)	rr_us "$2" "$4" ;;
	xdp)	pktgen_send "vif$(domid bench).0" "$(domu_ip "$2")" "$(guest_mac bench)" \
			$(($4 * 7000)) 1 64 | pktgen_pps ;;
	*)	echo "prof: no load '$1'" >&2; return 1 ;;
	esac
}

# prof_run SIDE Q LOAD IMPL: one run of the cell's load with
# function_graph tracing dom0 (the backend module) and the guest (the
# frontend module) for PROF_SECS seconds in its middle; both reports go
# to the cell's profile file. Not one of the table's runs (tracing
# costs time).
prof_run() {
	local side=$1 q=$2 load=$3 impl=$4 back=intree front=intree f pid r secs
	local shape="vcpus=4 mem=512" streams=$2
	case "$side" in
	netback) back=$impl ;;
	netfront) front=$impl ;;
	xdp) back=ours front=$impl ;;
	scale) back=$impl shape="vcpus=1 mem=$SCALE_MEM" streams=1 ;;
	*) back=$impl front=$impl ;;
	esac
	secs=$((PROF_SECS + 6))
	f=/host/results/profile-$side-q$q-$load-$impl.txt
	if ! netback_use "$back" max_queues="$q" 2>>"$LOG" ||
	   ! domu_create bench $shape front="$front" fq="$q" idx=1 2>>"$LOG" ||
	   ! wait_for "ping over the $side pair" 20 ping_ok bench 1 ||
	   { [ "$load" = xdp ] && ! xdp_attach bench drop >>"$LOG" 2>&1; }; then
		note "prof $side $impl q=$q: set-up failed"
		domus_destroy_all >/dev/null 2>&1
		return
	fi
	if ! M=xen_netback KB=32768 KF="$PROF_KFUNCS" sh -c "$FT_START" 2>>"$LOG" ||
	   ! domu_exec bench "M=xen_netfront KB=16384 KF='$PROF_KFUNCS'; $FT_START" 120 >/dev/null 2>>"$LOG"; then
		note "prof $side $impl q=$q $load: tracing could not be set up"
	fi
	prof_load "$load" 1 "$streams" "$secs" >/tmp/prof.out 2>>"$LOG" &
	pid=$!
	sleep 2
	sh -c "$FT_ON" 2>>"$LOG"
	domu_exec bench "$FT_ON" 30 >/dev/null 2>>"$LOG"
	sleep "$PROF_SECS"
	# Both off first: the reports take a while.
	sh -c "$FT_OFF" 2>>"$LOG"
	domu_exec bench "$FT_OFF" 30 >/dev/null 2>>"$LOG"
	{
		echo "## dom0 (backend: $back)"
		sh -c "$FT_STOP" 2>&1
		echo "## guest (frontend: $front)"
		domu_exec bench "N=25; $FT_STOP" 600 2>&1
	} >/tmp/prof.txt
	wait "$pid"
	r=$(cat /tmp/prof.out)
	{
		echo "# $side q=$q $load, $impl: ${r:-?} ($secs s run, recorded from its 2nd second for about ${PROF_SECS} s; each side says its window)"
		echo "# function_graph: *:mod:xen_netback in dom0, *:mod:xen_netfront in the guest, and"
		echo "# ${PROF_KFUNCS//$'\n'/ }"
		cat /tmp/prof.txt
	} >"$f"
	note "prof $side q=$q $load $impl: ${r:-?}, $(basename "$f")"
	domu_destroy bench >/dev/null 2>&1
}

if has_side prof; then
	for c in $PROF_CELLS; do
		IFS=: read -r pside pq pload <<<"$c"
		for impl in ours intree; do
			prof_run "$pside" "$pq" "$pload" "$impl"
		done
	done
fi

# ratio A B: A / B to two places, or '-'
ratio() {
	awk -v o="$1" -v i="$2" 'BEGIN { if (o == "-" || i == "-" || i == 0) print "-"; else printf "%.2f", o / i }'
}

# costs SIDE Q DIR A B: the CPU columns of cell A against cell B, as
# four words: dom0's medians "A/B", their ratio B / A, the guest's
# "A/B", their ratio (a cost: above 1 is A ahead)
costs() {
	local ad bd ag bg

	ad=$(med "$1" "$2" "$3" "$4" 6) bd=$(med "$1" "$2" "$3" "$5" 6)
	ag=$(med "$1" "$2" "$3" "$4" 7) bg=$(med "$1" "$2" "$3" "$5" 7)
	echo "$ad/$bd $(ratio "$bd" "$ad") $ag/$bg $(ratio "$bg" "$ag")"
}

{
	if [ "${RIG_CLOCK:-host}" = icount ]; then
		echo "iperf3 throughput, Mbit/s of virtual time (QEMU instruction clock:"
		echo "a CPU cost per byte, repeatable; not parallel speed), median of $RUNS"
	else
		echo "iperf3 throughput, Mbit/s (QEMU on the host's clock: shows"
		echo "parallelism, swings between runs), median of $RUNS"
	fi
	echo "alternating runs of ${SECS}s; Xen 4.17 under QEMU TCG, 2 emulated CPUs;"
	echo "streams = queues"
	echo
	printf '%-9s %2s %-8s %7s %6s %7s %6s %5s | %-11s %5s | %-11s %5s | %-11s | %-11s\n' driver q direction \
		ours spread in-tree spread ratio "dom0 s/GB" ratio "guest s/GB" ratio "ev>dom0/MB" "ev>guest/MB"
	for side in $SIDES; do
		case "$side" in netback|netfront|pair) ;; *) continue ;; esac
		for q in $QUEUES; do
			for dir in rx tx; do
				# plain command substitution: read from <(...) came back empty in dom0
				o=$(cell "$side" "$q" "$dir" ours | spread)
				osp=${o#* } o=${o%% *}
				i=$(cell "$side" "$q" "$dir" intree | spread)
				isp=${i#* } i=${i%% *}
				read -r dc dr gc gr <<<"$(costs "$side" "$q" "$dir" ours intree)"
				e=$(med "$side" "$q" "$dir" ours 8)/$(med "$side" "$q" "$dir" intree 8)
				h=$(med "$side" "$q" "$dir" ours 9)/$(med "$side" "$q" "$dir" intree 9)
				printf '%-9s %2s %-8s %7s %6s %7s %6s %5s | %-11s %5s | %-11s %5s | %-11s | %-11s\n' \
					"$side" "$q" "guest-$dir" "$o" "$osp" "$i" "$isp" "$(ratio "$o" "$i")" \
					"$dc" "$dr" "$gc" "$gr" "$e" "$h"
			done
		done
	done
	echo
	echo "netback: in-tree netfront in the guest; netfront: in-tree netback"
	echo "in dom0; pair: the named driver on both sides."
	echo "spread: (slowest - fastest run) / median; '!' past ${SPREAD_MAX} %."
	echo "s/GB: CPU seconds Xen accounted to dom0 or to the guest per GB"
	echo "moved, ours/in-tree. ev>dom0/MB, ev>guest/MB: event channel"
	echo "interrupts per MB moved, the guest's to dom0 (counted in dom0)"
	echo "and dom0's to the guest (counted in the guest), ours/in-tree."
	echo "Every ratio is ours against in-tree with"
	echo "above 1.00 meaning ours ahead (for a cost: in-tree / ours)."
	echo "A '-' means no run of that driver completed; see bench.log."
	if has_side xdp; then
		echo
		echo "XDP_DROP in the guest, thousands of 64-byte frames per second"
		echo "delivered by our netback (pktgen in dom0, 1 queue), median of $RUNS;"
		echo "CPU us per frame delivered, ours/in-tree"
		printf '%-9s %7s %-13s %7s %-13s %6s | %-13s %5s | %-13s %5s\n' driver ours range in-tree range ratio \
			"dom0 us/frame" ratio "guest us/frame" ratio
		o=$(cell xdp 1 rx ours | summary)
		orng=${o#* } o=${o%% *}
		i=$(cell xdp 1 rx intree | summary)
		irng=${i#* } i=${i%% *}
		read -r dc dr gc gr <<<"$(costs xdp 1 rx ours intree)"
		printf '%-9s %7s %-13s %7s %-13s %6s | %-13s %5s | %-13s %5s\n' netfront "$o" "$orng" "$i" "$irng" \
			"$(ratio "$o" "$i")" "$dc" "$dr" "$gc" "$gr"
	fi
	if has_side rows; then
		echo
		echo "Small frames and latency, the named driver on both sides, $ROWQ queues,"
		echo "median of $RUNS: UDP kdatagrams/s that arrived (one sender per queue)"
		echo "and sockperf TCP ping-pong one-way latency (us, lower is better);"
		echo "CPU us per datagram that arrived or per round trip, ours/in-tree"
		printf '%-9s %-8s %8s %6s %8s %6s %5s | %-11s %5s | %-11s %5s\n' row direction ours spread \
			in-tree spread ratio "dom0 us/pkt" ratio "guest us/pkt" ratio
		for row in udp64:rx udp64:tx udp1400:rx udp1400:tx rr50:rr rr99:rr; do
			o=$(cell "${row%:*}" "$ROWQ" "${row#*:}" ours | spread)
			osp=${o#* } o=${o%% *}
			i=$(cell "${row%:*}" "$ROWQ" "${row#*:}" intree | spread)
			isp=${i#* } i=${i%% *}
			read -r dc dr gc gr <<<"$(costs "${row%:*}" "$ROWQ" "${row#*:}" ours intree)"
			case "$row" in
			rr*)	r=$(ratio "$i" "$o") d=latency ;;
			*)	r=$(ratio "$o" "$i") d=guest-${row#*:} ;;
			esac
			printf '%-9s %-8s %8s %6s %8s %6s %5s | %-11s %5s | %-11s %5s\n' "${row%:*}" "$d" \
				"$o" "$osp" "$i" "$isp" "$r" "$dc" "$dr" "$gc" "$gr"
		done
	fi
	if has_side rft; then
		echo
		echo "rx-follows-tx in our netback, on against off, our netfront, 4 queues,"
		echo "4 streams, median of $RUNS: Mbit/s, and CPU s/GB (on/off; ratio off/on)"
		printf '%-8s %7s %6s %7s %6s %5s | %-11s %5s | %-11s %5s\n' direction on spread off spread ratio \
			"dom0 s/GB" ratio "guest s/GB" ratio
		for dir in tx rx; do
			o=$(cell rft 4 "$dir" on | spread)
			osp=${o#* } o=${o%% *}
			i=$(cell rft 4 "$dir" off | spread)
			isp=${i#* } i=${i%% *}
			read -r dc dr gc gr <<<"$(costs rft 4 "$dir" on off)"
			printf '%-8s %7s %6s %7s %6s %5s | %-11s %5s | %-11s %5s\n' "guest-$dir" \
				"$o" "$osp" "$i" "$isp" "$(ratio "$o" "$i")" "$dc" "$dr" "$gc" "$gr"
		done
	fi
	if has_side prof; then
		echo
		echo "Profiles (function_graph in dom0 and the guest, one run per driver):"
		for c in $PROF_CELLS; do
			IFS=: read -r pside pq pload <<<"$c"
			for impl in ours intree; do
				f=profile-$pside-q$pq-$pload-$impl.txt
				[ -f "/host/results/$f" ] && echo "  results/$f"
			done
		done
	fi
	if has_side scale; then
		echo
		echo "Scale: N guests with 4 queues each on one netback (in-tree netfront),"
		echo "median of $SCALE_RUNS runs ($RUNS with N=1): aggregate Mbit/s (one stream per guest); then"
		echo "more 4-queue vifs, as many in every guest and at least 4 in all: dom0"
		echo "kB per queue of those vifs (dom0's unreclaimable slab, vmalloc and"
		echo "per-CPU memory, the rise), ms to connect one (the median over"
		echo "them) and the backend's share of that (from the frontend's Connected"
		echo "to the backend's); CPU s/GB of dom0 and of the guests together"
		echo "in the throughput rows, and events per MB as in the tables above"
		echo "(all the guests' first vifs together), ours/in-tree"
		printf '%-3s %-12s %8s %6s %8s %6s %5s | %-11s %5s | %-11s %5s | %-11s | %-11s\n' N row ours spread \
			in-tree spread ratio "dom0 s/GB" ratio "guest s/GB" ratio "ev>dom0/MB" "ev>guest/MB"
		for n in $SCALE; do
			for row in rx tx mem connect backconn; do
				o=$(cell scale "$n" "$row" ours | spread)
				osp=${o#* } o=${o%% *}
				i=$(cell scale "$n" "$row" intree | spread)
				isp=${i#* } i=${i%% *}
				case "$row" in
				rx|tx)	r=$(ratio "$o" "$i") d="guest-$row" ;;
				mem)	r=$(ratio "$i" "$o") d="kB/queue" ;;
				connect)	r=$(ratio "$i" "$o") d="connect ms" ;;
				*)	r=$(ratio "$i" "$o") d="backend ms" ;;
				esac
				case "$row" in
				rx|tx)
					read -r dc dr gc gr <<<"$(costs scale "$n" "$row" ours intree)"
					e=$(med scale "$n" "$row" ours 8)/$(med scale "$n" "$row" intree 8)
					h=$(med scale "$n" "$row" ours 9)/$(med scale "$n" "$row" intree 9)
					printf '%-3s %-12s %8s %6s %8s %6s %5s | %-11s %5s | %-11s %5s | %-11s | %-11s\n' "$n" "$d" \
						"$o" "$osp" "$i" "$isp" "$r" "$dc" "$dr" "$gc" "$gr" "$e" "$h" ;;
				*)
					printf '%-3s %-12s %8s %6s %8s %6s %5s\n' "$n" "$d" "$o" "$osp" "$i" "$isp" "$r" ;;
				esac
			done
		done
	fi
} >"$OUTF"
cat "$OUTF"
