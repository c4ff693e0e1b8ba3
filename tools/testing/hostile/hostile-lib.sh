#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile-peer cases, shared by 60-hostile.sh (ours, pass/fail) and
# hostile-report.sh (ours and in-tree, a table). Runs in dom0.
#
#   rogue-front (in a domU without netfront, /usr/bin in its initramfs)
#   attacks the netback in dom0; rogue-back (/host/build, in dom0 with
#   no netback loaded) attacks the netfront of a domU. /host/build has
#   a copy of rogue-front too, for its --list.
#
# The cases and our drivers' documented reaction to each come from the
# peers' case tables (rogue-front --list, rogue-back --list: lines
# "CASE name=NAME expect=REACTION desc=\"...\""); each run of a peer
# ends in one line "RESULT case=NAME outcome=OUTCOME KEY=VALUE ...
# reason=\"...\"" (tools/testing/hostile/hostile.h), which hb_kv reads.
#
# Each case runs on a fresh vif of a domain that is reused across the
# cases (xl network-attach devid=N, then network-detach). After a case
# hb_front_case / hb_back_case leave:
#   HB_LINE     the rogue's RESULT line (what it did and saw)
#   HB_REACT    the attacked driver's reaction in a few words
#   HB_BAD      empty, or what went wrong that no driver may do
#               (crash, WARN, hang, unbounded memory, iperf3 of the
#               bystander guest failing)
#   HB_EXPECT_OK 1 when the reaction is the one documented for ours
#               (hb_front_judge / hb_back_judge)
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/xen-net/scenarios.sh"

ROGUE_BACK=${ROGUE_BACK:-$OURS/rogue-back}
ROGUE_FRONT=${ROGUE_FRONT:-$OURS/rogue-front}
# How long the timed cases (floods, storms, slow rings) run.
HB_SECS=${HB_SECS:-$(lane 2 4)}
# Both netbacks take rx_drain_timeout_msecs (default 10 s); a shorter one
# lets the RX cases, which flood the rogue for HB_SECS + 2 s, see frames
# that the guest never took being dropped.
HB_DRAIN_MS=${HB_DRAIN_MS:-1000}
# The bystander guest's iperf3 rate through the netback phase.
HB_BY_RATE=${HB_BY_RATE:-50M}

# hb_kv LINE KEY: the value of KEY in a CASE, RESULT or EVENT line;
# fails when the line has no such key. Plain values are one word; the
# last key of a line may have a quoted value (desc, reason), which is
# looked up only by its own name.
hb_kv() {
	local line=$1 key=$2 head re
	re="(^| )$key=\"([^\"]*)\""
	if [[ "$line" =~ $re ]]; then
		echo "${BASH_REMATCH[2]}"
		return 0
	fi
	# Keys before the first quoted value only: a reason may contain "k=v".
	head=${line%%=\"*}
	[ "$head" != "$line" ] && head=${head% *}
	re="(^| )$key=([^ \"]*)( |$)"
	[[ "$head" =~ $re ]] || return 1
	echo "${BASH_REMATCH[2]}"
}

# The one line a guest's kernel prints because of an attack rather than a
# bug: the grant table's note that the backend still maps a grant the
# frontend ends (rogue-back holds pages; netfront then disables the
# device, ours with "backend still maps ...", which the case's reaction
# shows). In a guest under rogue-back it is not a failure.
HB_PEER_RE='xen:grant_table: WARNING: g[.]e[.] 0x[0-9a-f]+ still in use!'

# hb_guest_bad: the lines of a guest's log on stdin that fail a case
# (BAD_KERNEL_RE, but HB_PEER_RE).
hb_guest_bad() {
	grep -E "$BAD_KERNEL_RE" | grep -vE "$HB_PEER_RE"
}

# hb_cases PEER: "NAME:EXPECT" for each case of PEER's table (--list),
# in its order; rows whose reaction is "helper" are not cases.
hb_cases() {
	local l name expect
	[ -x "$1" ] || return 1
	while IFS= read -r l; do
		[[ "$l" == "CASE "* ]] || continue
		if ! name=$(hb_kv "$l" name) || ! expect=$(hb_kv "$l" expect); then
			continue
		fi
		[ "$expect" = helper ] && continue
		echo "$name:$expect"
	done < <("$1" --list 2>/dev/null)
}

# Cases against netback (rogue-front) and against netfront (rogue-back),
# with our driver's documented reaction; what each reaction asks is in
# hb_front_judge / hb_back_judge and in the peers' tables.
HB_FRONT_CASES=$(hb_cases "$ROGUE_FRONT")
HB_BACK_CASES=$(hb_cases "$ROGUE_BACK")
HB_REMOVE_LIMIT=${HB_REMOVE_LIMIT:-30}
# tx-never-complete, our netfront: seconds within which loading it again
# must return while the case's vif stays with its backend Closed (our
# netfront gives such a backend 10 s, then closes that vif).
HB_RELOAD_LIMIT=${HB_RELOAD_LIMIT:-30}
# rx-small-flood: frames dom0 may hold for one guest queue that takes
# none. Our cap is 1 MiB of truesize (about 1000 of pktgen's 64-byte
# frames); a cap counted in bytes of data would let it hold 8700.
HB_SKB_LIMIT=${HB_SKB_LIMIT:-3000}
# xs-mcast-flood: the guest's writes load xenstored, which every attach
# uses whatever the backend does: traced here, a quiet attach reached
# netback's probe 1.0-1.8 s after xl started, one during the flood
# 2.8-4.7 s, with either netback. So the attach during the flood of the
# watched key is compared with one during the same flood of a key
# nothing watches (the control): it may take twice as long plus this
# much for the emulated machine's jitter.
HB_WATCH_SLACK_MS=${HB_WATCH_SLACK_MS:-1500}
# xs-mcast-flood: each of the rogue's two phases ends when dom0 has
# timed its attach (xs-flood-next, xs-flood-stop); this bounds a phase
# whose end never comes. On the debug kernel one such attach, xl's
# exit included, took 40 s, longer than the 10 s the phases once had,
# and the watched phase was over before dom0 could time anything in it.
HB_FLOOD_SECS=${HB_FLOOD_SECS:-60}

# The fuzzer (rogue-front/rogue-back --fuzz, Documentation/hostile.rst):
# the seeds each side runs (1 2; 1 2 3 in check-full), the frames
# (packets) of each run (1000; 20000), and the time limit of a run (45
# s; 1200 s: it stops there and reports the count it sent, a failure).
# A run of 1000 takes 10-20 s. HB_FUZZ_SEEDS=none runs none.
HB_FUZZ_SEEDS=${HB_FUZZ_SEEDS:-$(lane "1 2" "1 2 3" "1 2 3 4")}
HB_FUZZ_COUNT=${HB_FUZZ_COUNT:-$(lane 1000 20000 25000)}
HB_FUZZ_SECS=${HB_FUZZ_SECS:-$(lane 45 1200 2400)}
# The peers' --late: ms more to wait for a probe's answer before they
# count a disable (0; 0; 3000: on the debug kernel dom0 or the guest
# can be slow for a second without having disabled anything).
HB_FUZZ_LATE_MS=${HB_FUZZ_LATE_MS:-$(lane 0 0 3000)}
# A netfront's log line when it disables the device: ours, and the
# in-tree one's.
HB_FRONT_DISABLED_RE='device disabled until the backend reconnects|Disabled for further use'

hb_log() { printf '# %(%T)T %s\n' -1 "$*" >>"${HB_LOG:-/dev/null}"; }

# The rogue guest's vifs stay off the bridge (dom0 talks to them
# directly) and use this hotplug script instead of vif-bridge, which
# takes many seconds under emulation. libxl runs it with "online" or
# "offline" and XENBUS_PATH/vif in the environment; a backend waits for
# hotplug-status = connected before it connects.
HB_VIF_SCRIPT=/tmp/hb-vif.sh
cat >"$HB_VIF_SCRIPT" <<'SCRIPT'
#!/bin/sh
case "$1" in
online|add)
	ip link set "$vif" up 2>/dev/null
	xenstore-write "$XENBUS_PATH/hotplug-status" connected ;;
esac
exit 0
SCRIPT
chmod +x "$HB_VIF_SCRIPT"

# The cases 60-hostile.sh runs in make check (lane check, HB_ONLY
# empty); check-full and hostile-report run every case. One case per
# class of rule, the cases the security fixes were proved with among
# them: xenstore (the queue count, a ring not granted), TX requests
# (a zero fragment, too many slots, ring overflow, double fetch), guest
# RX (no buffers, the small-frame flood against the queue cap), the
# control ring (hash mapping range, the flood), the event channel and
# the per-vif fatal log; against netfront response ids
# and overflows on both rings, an RX size past the page, the event
# channel, grants kept mapped and TX that never completes; the watch
# flood (xs-mcast-flood), timed against the same flood of a key nothing
# watches.
HB_CHECK_FRONT="xs-queues-zero xs-ring-not-granted tx-zero-frag tx-too-many-slots
	tx-ring-overflow tx-double-fetch rx-no-buffers rx-small-flood ctrl-mapping-range
	ctrl-flood evtchn-storm fatal-many-vifs xs-mcast-flood"
HB_CHECK_BACK="tx-id-range tx-rsp-overflow rx-size-big rx-rsp-overflow evtchn-storm
	keep-mapped tx-never-complete"

# hb_in_check NAME LIST: NAME is one of LIST's words.
hb_in_check() {
	local w
	for w in $2; do
		[ "$w" = "$1" ] && return 0
	done
	return 1
}

# hb_check_unknown CASES LIST: the words of LIST that are no case of
# CASES (NAME:EXPECT lines): a renamed case must not silently leave
# make check.
hb_check_unknown() {
	local w
	for w in $2; do
		grep -q "^$w:" <<<"$1" || echo "$w"
	done
}

# Only the cases whose names contain a word of $HB_ONLY (all if empty).
hb_selected() {
	local w
	[ -z "${HB_ONLY:-}" ] && return 0
	for w in $HB_ONLY; do
		[[ "$1" == *"$w"* ]] && return 0
	done
	return 1
}

# dmesg lines after line $1 that mention vif D.N (either spelling).
hb_dmesg_vif() {
	dmesg | tail -n +"$(($1 + 1))" | grep -E "vif$2\.$3[: ]|vif-$2-$3[: ]"
}

hb_stat() {
	cat "/sys/class/net/$1/statistics/$2" 2>/dev/null || echo 0
}

hb_ethtool() {
	ethtool -S "$1" 2>/dev/null | awk -v k="$2:" '$1 == k { print $2 }'
}

# ---- netback under attack ---------------------------------------------------

# Vifs the rogue guest has from its start, besides vif 0 and the one
# each case attaches: HB_PROBE_DEVID for ctrl-probe beside ctrl-flood,
# HB_MANY_DEVIDS for fatal-many-vifs (more vifs than the fatal log's
# burst of 10, so that a log budget shared by all vifs would run out).
HB_PROBE_DEVID=89
HB_MANY_DEVIDS=$(seq -s " " 90 100)
hb_rogue_vifs() {
	local v='"bridge=xenbr0"' i
	for i in $HB_PROBE_DEVID $HB_MANY_DEVIDS; do
		v="$v, \"devid=$i,script=$HB_VIF_SCRIPT\""
	done
	echo "$v"
}

# skbuff_head_cache objects in use in dom0: every frame dom0 holds for
# a guest is one of them.
hb_skbs() {
	awk '$1 == "skbuff_head_cache" { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}

# hb_attach_ms GUEST DEVID: attach vif DEVID to GUEST and print the
# milliseconds from the start of xl network-attach until the backend
# reached InitWait (bounded: 60 s).
hb_attach_ms() {
	local d p t0 now xp
	d=$(domid "$1") || return 1
	p=/local/domain/0/backend/vif/$d/$2/state
	t0=$(date +%s%N)
	xlt network-attach "$1" script="$HB_VIF_SCRIPT" devid="$2" >/tmp/hb-attach2.log 2>&1 &
	xp=$!
	while now=$(date +%s%N); [ $(((now - t0) / 1000000)) -lt 60000 ]; do
		[ "$(xenstore-read "$p" 2>/dev/null)" -ge "$XB_INITWAIT" ] 2>/dev/null && break
	done
	if [ $(((now - t0) / 1000000)) -ge 60000 ]; then
		# Where it stood, for the log: the backend's nodes, and what
		# dom0's xenbus threads were doing.
		hb_log "attach of $1's vif $2: no InitWait in 60 s; backend: $(xenstore-ls \
			"/local/domain/0/backend/vif/$d/$2" 2>&1 | tr '\n' ' ' | cut -c1-400)"
		local t
		for t in $(pgrep -x 'xenwatch|xenbus'); do
			hb_log "  $(cat "/proc/$t/comm"): $(tr '\n' ' ' <"/proc/$t/stack" 2>/dev/null | cut -c1-300)"
		done
	fi
	wait "$xp"
	hb_log "attach of $1's vif $2: xl network-attach exited $?: $(tail -n 1 /tmp/hb-attach2.log)"
	[ $(((now - t0) / 1000000)) -lt 60000 ] && echo $(((now - t0) / 1000000))
}

# hb_front_setup BACK: load BACK netback, boot a bystander guest
# (in-tree netfront) and the rogue guest (no netfront).
hb_front_setup() {
	HB_BACK=$1
	HB_DEVID=0
	netback_use "$1" max_queues=2 rx_drain_timeout_msecs="$HB_DRAIN_MS" || return 1
	# Both guests boot at once; each create's failure is its own.
	local good
	( domu_create hgood vcpus=1 front=intree idx=1 ) &
	good=$!
	domu_create hrogue vcpus=1 front=none idx=3 vifs="$(hb_rogue_vifs)" || { wait "$good"; return 1; }
	wait "$good" || return 1
	HB_RDOM=$(domid hrogue)
	wait_for "hgood to answer ping" 30 ping_ok hgood 1
	HB_G0=$(grant_info "$HB_RDOM")
	HB_M0=$(mem_info)
	HB_CUR=""
	# The bystander's iperf3 runs through the whole phase; each case
	# checks that it kept moving data (one report a second).
	# Paced (HB_BY_RATE): enough to show the backend still serves its
	# other vifs, without taking the emulated CPUs from everything else.
	iperf3 -c "$(domu_ip 1)" -t 3000 -i 1 -b "$HB_BY_RATE" --forceflush -f m >/tmp/hb-by.log 2>&1 &
	HB_BY=$!
}

# hb_bystander_ok LINE: a one-second iperf3 report after LINE of its
# log shows data moving.
hb_bystander_ok() {
	wait_for "a bystander iperf3 report with data" 10 sh -c "tail -n +$(($1 + 1)) /tmp/hb-by.log |
		awk '{ for (i = 2; i <= NF; i++) if (\$i ~ /bits\/sec\$/ && \$(i - 1) > 0) f = 1 } END { exit !f }'"
}

# hb_front_react NAME: the attacked netback's reaction in a few words,
# from what dom0 saw of the vif (HB_ERR: its error node, HB_ST: backend
# state, HB_DMESG: dom0's log lines naming it, HB_DROPS0/1: rx_drops,
# HB_RD0/1: rx_dropped + rx_errors, HB_TD0/1: tx_dropped, before and
# after) and from rogue-front's RESULT line (HB_LINE).
hb_front_react() {
	local name=$1 reason react errs
	if [ -n "$HB_ERR" ]; then
		react="error node: ${HB_ERR:0:60}; backend state $HB_ST"
	elif grep -qE 'vif disabled|disabling' <<<"$HB_DMESG"; then
		# Ours names the reason on its "vif disabled" line; the in-tree
		# backend logs it on the line before "fatal error; disabling".
		reason=$(grep -m1 'vif disabled:' <<<"$HB_DMESG" | sed 's/.*vif disabled: //')
		[ -z "$reason" ] && reason=$(grep -B1 -m1 'fatal error; disabling' <<<"$HB_DMESG" | head -n1 |
			sed 's/.*vif[0-9]*\.[0-9]*: //')
		react="vif disabled: ${reason:0:70}"
	elif [ -n "$HB_DROPS0" ] && [ "${HB_DROPS1:-0}" -gt "$HB_DROPS0" ]; then
		react="dropped, rx_drops +$((HB_DROPS1 - HB_DROPS0))"
	elif [ "${HB_RD1:-0}" -gt "${HB_RD0:-0}" ]; then
		react="dropped, rx_dropped+rx_errors +$((HB_RD1 - HB_RD0))"
	elif errs=$(hb_kv "$HB_LINE" error) && [ "$errs" -gt 0 ] 2>/dev/null; then
		# Answered with an error but counted nowhere.
		react="dropped ($errs error responses), no counter"
	elif [ "$name" = fatal-many-vifs ]; then
		react="${HB_MANY% *} of $(wc -w <<<"$HB_MANY_DEVIDS") vifs logged as disabled, ${HB_MANY#* } stopped serving"
	elif [ "$name" = ctrl-flood ]; then
		react="answered $(hb_kv "$HB_LINE" answered || echo '?') of $(hb_kv "$HB_LINE" posted || echo '?'), then $(hb_kv "$HB_LINE" after_status || echo '?')"
		react="$react; another vif's ring: $(hb_kv "$HB_LINE2" calls || echo '?') calls, $(hb_kv "$HB_LINE2" unanswered || echo '?') unanswered, slowest $(hb_kv "$HB_LINE2" max_ms || echo '?') ms"
	elif [[ "$name" == ctrl-* ]]; then
		react="status=$(hb_kv "$HB_LINE" status)"
		hb_kv "$HB_LINE" status2 >/dev/null && react="$react status2=$(hb_kv "$HB_LINE" status2)"
	elif [ "$name" = xs-mcast-flood ]; then
		react="$(hb_kv "$HB_LINE" control_writes || echo '?') then $(hb_kv "$HB_LINE" writes || echo '?') writes; another guest's vif attach: ${HB_CTRL:-?} ms while an unwatched key is rewritten, ${HB_FLOOD:-?} ms while the watched one is"
	elif [ "$(hb_kv "$HB_LINE" outcome)" = serves ]; then
		react="accepted, still serves"
	else
		react="no answer (outcome $(hb_kv "$HB_LINE" outcome || echo none)), state $HB_ST"
	fi
	if [[ "$name" == rx-* ]]; then
		react="$react; RX buffers posted $(hb_kv "$HB_LINE" rx_posted || echo '?'), filled $(hb_kv "$HB_LINE" rx_filled || echo '?'); tx_dropped +$((${HB_TD1:-0} - ${HB_TD0:-0}))"
	fi
	[[ "$name" == rx-small-* ]] && react="$react; dom0 held at most ${HB_SKB:-?} more sk_buffs"
	echo "$react"
}

# hb_front_judge NAME EXPECT: succeeds when our netback reacted to case
# NAME the way EXPECT (its row in rogue-front's table) documents, from
# the same observations as hb_front_react.
hb_front_judge() {
	local name=$1 expect=$2 outcome disabled=0 got
	outcome=$(hb_kv "$HB_LINE" outcome)
	grep -q 'vif disabled' <<<"$HB_DMESG" && disabled=1
	case "$expect" in
	error)	[ -n "$HB_ERR" ] && [ "$HB_ST" != "$XB_CONNECTED" ] || return 1
		# A refused queue count must say that it was the queue count.
		if [[ "$name" == xs-queues-* ]] && ! grep -qi queue <<<"$HB_ERR"; then
			return 1
		fi ;;
	fatal)	grep -q 'frontend error, vif disabled' <<<"$HB_DMESG" && [ "$outcome" = stopped ] ;;
	drop)	[ "${HB_DROPS1:-0}" -gt "${HB_DROPS0:-0}" ] && [ "$outcome" = serves ] ;;
	serve)	[ "$outcome" = serves ] && [ "$disabled" = 0 ] ;;
	drain)	[ "$outcome" = serves ] && [ "${HB_TD1:-0}" -gt "${HB_TD0:-0}" ] && [ "$disabled" = 0 ] ;;
	capped)	hb_front_judge "$name" drain && [ -n "$HB_SKB" ] && [ "$HB_SKB" -le "$HB_SKB_LIMIT" ] ;;
	serve-other)
		hb_front_judge "$name" serve && [ "$(hb_kv "$HB_LINE2" outcome)" = serves ] &&
			[ "$(hb_kv "$HB_LINE2" unanswered)" = 0 ] && [ "$(hb_kv "$HB_LINE2" max_ms)" -le 1000 ] 2>/dev/null ;;
	watch)	hb_front_judge "$name" serve && [ -n "$HB_CTRL" ] && [ -n "$HB_FLOOD" ] &&
			[ "$HB_FLOOD" -le $((2 * HB_CTRL + HB_WATCH_SLACK_MS)) ] ;;
	fatal-each)
		local k
		k=$(wc -w <<<"$HB_MANY_DEVIDS")
		[ "$HB_MANY" = "$k $k" ] ;;
	ctrl=*)	got=$({ hb_kv "$HB_LINE" status; hb_kv "$HB_LINE" status2; } | sort -u)
		[ "$got" = "${expect#ctrl=}" ] ;;
	any)	return 0 ;;
	*)	return 1 ;;
	esac
}

# hb_other_detach GUEST DEVID: detach a vif of another guest (bounded).
hb_other_detach() {
	local d
	d=$(domid "$1") || return 1
	xlt network-detach "$1" "$2" >/tmp/hb-detach2.log 2>&1 &&
		wait_for "backend dir of vif $d/$2 to go" 30 sh -c \
			"! xenstore-exists /local/domain/0/backend/vif/$d/$2"
}

# hb_rx_small D N VIF SECS: with the rogue connected on VIF and posting
# no RX buffer, pktgen floods it with 64-byte frames for SECS; prints
# how many more sk_buffs dom0 held at most meanwhile (sampled).
hb_rx_small() {
	local d=$1 n=$2 vif=$3 secs=$4 mac skb0 skb max=0 pg end
	wait_for "the rogue's vif $d/$n to connect" 20 sh -c \
		"[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/$n/state)\" = $XB_CONNECTED ]" || return 1
	mac=$(xenstore-read "/local/domain/0/backend/vif/$d/$n/mac")
	skb0=$(hb_skbs)
	pktgen_send "$vif" "198.20.$n.2" "$mac" 100000000 >/tmp/hb-pg.log 2>&1 &
	pg=$!
	end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt "$end" ]; do
		skb=$(hb_skbs)
		[ $((skb - skb0)) -gt "$max" ] && max=$((skb - skb0))
		sleep 0.2
	done
	echo stop >/proc/net/pktgen/pgctrl 2>/dev/null
	wait "$pg"
	echo "$max"
}

# hb_front_case NAME EXPECT
hb_front_case() {
	local name=$1 expect=$2 n d vif mark m0 m1 by pids="" out cmd bg i
	HB_LINE="" HB_REACT="" HB_BAD="" HB_EXPECT_OK=0
	HB_LINE2="" HB_SKB="" HB_CTRL="" HB_FLOOD="" HB_MANY=""
	HB_ERR="" HB_ST="" HB_DMESG="" HB_DROPS0="" HB_DROPS1="" HB_RD0=0 HB_RD1=0 HB_TD0=0 HB_TD1=0
	HB_DEVID=$((HB_DEVID + 1))
	n=$HB_DEVID
	d=$HB_RDOM
	vif=vif$d.$n
	# HB_FRESH=0: reuse the last vif when it went back to InitWait after
	# rogue-front's reconnection; otherwise (or HB_FRESH=1) a new one.
	if [ "${HB_FRESH:-1}" = 0 ] && [ -n "$HB_CUR" ] &&
	   [ "$(xenstore-read "/local/domain/0/backend/vif/$d/$HB_CUR/state" 2>/dev/null)" = "$XB_INITWAIT" ]; then
		HB_DEVID=$((HB_DEVID - 1))
		n=$HB_CUR
		vif=vif$d.$n
		hb_log "$name: reusing vif $d/$n"
	else
		[ -n "$HB_CUR" ] && hb_detach_rogue "$HB_CUR"
		hb_log "$name: attach vif $d/$n"
		if ! xlt network-attach hrogue script="$HB_VIF_SCRIPT" devid="$n" >/tmp/hb-attach.log 2>&1; then
			HB_BAD="xl network-attach failed: $(tail -n 2 /tmp/hb-attach.log)"
			HB_REACT="no vif"
			HB_CUR=""
			return
		fi
		wait_for "$vif" 20 ip link show "$vif"
		hb_log "$name: attached"
	fi
	HB_CUR=$n
	mark=$(dmesg | wc -l)
	m0=$(mem_info)
	HB_DROPS0=$(hb_ethtool "$vif" rx_drops)
	HB_RD0=$(($(hb_stat "$vif" rx_dropped) + $(hb_stat "$vif" rx_errors)))
	HB_TD0=$(hb_stat "$vif" tx_dropped)
	by=$(wc -l </tmp/hb-by.log)
	cmd="rogue-front $name --devid $n --secs $HB_SECS"
	if [[ "$name" == rx-* ]]; then
		# Frames for the rogue's MAC while it posts few or no buffers.
		local mac
		mac=$(xenstore-read "/local/domain/0/backend/vif/$d/$n/mac")
		ip addr add "198.20.$n.1/24" dev "$vif" 2>/dev/null
		ip neigh replace "198.20.$n.2" lladdr "$mac" dev "$vif" nud permanent
		# (rx-small-* floods with pktgen instead, below)
		[[ "$name" == rx-small-* ]] || for _ in 1 2 3 4; do
			timeout $((HB_SECS + 5)) ping -q -f -s 1400 -w $((HB_SECS + 2)) "198.20.$n.2" >/dev/null 2>&1 &
			pids="$pids $!"
		done
	fi
	case "$name" in
	ctrl-flood)
		# A well-behaved control ring on another vif of the same backend,
		# asked every 20 ms from before the flood until after it.
		cmd="rogue-front ctrl-probe --devid $HB_PROBE_DEVID --secs $((HB_SECS + 4)) >/tmp/probe.log 2>&1 &
			p=\$!; i=0
			while ! grep -q event=ready /tmp/probe.log && [ \$i -lt 150 ]; do sleep 0.1; i=\$((i + 1)); done
			$cmd; wait \$p; cat /tmp/probe.log" ;;
	xs-mcast-flood)
		cmd="rogue-front $name --devid $n --secs $HB_FLOOD_SECS" ;;
	fatal-many-vifs)
		cmd="for i in $HB_MANY_DEVIDS; do rogue-front $name --devid \$i >/tmp/fm-\$i.log 2>&1 & done
			wait; grep -h '^RESULT ' /tmp/fm-*.log | sed 's/ reason=.*//'" ;;
	esac
	case "$name" in
	xs-mcast-flood|rx-small-*)
		# The attack runs in the guest while dom0 measures.
		( domu_exec hrogue "$cmd" $((2 * HB_FLOOD_SECS + 30)) >/tmp/hb-rf.out 2>&1 ) &
		bg=$!
		if [ "$name" = xs-mcast-flood ]; then
			local fe=/local/domain/$d/device/vif/$n att=""
			if wait_for "the rogue to rewrite a key nothing watches" 30 \
				xenstore-exists "$fe/xs-flood-control"; then
				HB_CTRL=$(hb_attach_ms hgood 7)
				att=7
				# Both timings must fall inside their phase.
				xenstore-exists "$fe/xs-flood-control" ||
					HB_BAD="${HB_BAD}the unwatched phase ended before the attach was timed; "
			else
				HB_BAD="${HB_BAD}the rogue's unwatched phase was not seen; "
			fi
			xenstore-write "$fe/xs-flood-next" 1
			if wait_for "the rogue to rewrite request-multicast-control" 30 \
				xenstore-exists "$fe/request-multicast-control"; then
				HB_FLOOD=$(hb_attach_ms hgood 8)
				att="$att 8"
				xenstore-exists "$fe/request-multicast-control" ||
					HB_BAD="${HB_BAD}the watched phase ended before the attach was timed; "
			else
				HB_BAD="${HB_BAD}the rogue's watched phase was not seen; "
			fi
			xenstore-write "$fe/xs-flood-stop" 1
		else
			HB_SKB=$(hb_rx_small "$d" "$n" "$vif" "$HB_SECS")
		fi
		wait "$bg"
		out=$(cat /tmp/hb-rf.out)
		if [ "$name" = xs-mcast-flood ]; then
			xenstore-rm "/local/domain/$d/device/vif/$n/xs-flood-next" 2>/dev/null
			xenstore-rm "/local/domain/$d/device/vif/$n/xs-flood-stop" 2>/dev/null
			for i in $att; do
				hb_other_detach hgood "$i" || HB_BAD="${HB_BAD}detach of hgood's vif $i did not complete; "
			done
		fi ;;
	*)	out=$(domu_exec hrogue "$cmd" 90) ;;
	esac
	HB_LINE=$(grep -m1 "^RESULT case=$name " <<<"$out")
	HB_LINE2=$(grep -m1 '^RESULT case=ctrl-probe ' <<<"$out")
	if [ "$name" = fatal-many-vifs ]; then
		# Vifs of the many that logged being disabled, and that stopped.
		local i logged=0
		for i in $HB_MANY_DEVIDS; do
			hb_dmesg_vif "$mark" "$d" "$i" | grep -qE 'vif disabled|disabling' && logged=$((logged + 1))
		done
		HB_MANY="$logged $(grep -c '^RESULT .*outcome=stopped' <<<"$out")"
	fi
	hb_log "$name: rogue-front done"
	# shellcheck disable=SC2086
	[ -n "$pids" ] && wait $pids 2>/dev/null
	m1=$(mem_info)
	HB_DROPS1=$(hb_ethtool "$vif" rx_drops)
	HB_RD1=$(($(hb_stat "$vif" rx_dropped) + $(hb_stat "$vif" rx_errors)))
	HB_TD1=$(hb_stat "$vif" tx_dropped)
	HB_ST=$(xenstore-read "/local/domain/0/backend/vif/$d/$n/state" 2>/dev/null)
	HB_ERR=$(xenstore-read "/local/domain/0/error/backend/vif/$d/$n/error" 2>/dev/null)
	HB_DMESG=$(hb_dmesg_vif "$mark" "$d" "$n")
	[ -n "$HB_DMESG" ] && hb_log "$name dmesg: $HB_DMESG"
	hb_log "$name: $out"
	HB_REACT=$(hb_front_react "$name")
	# What no driver may do.
	[ -z "$HB_LINE" ] && HB_BAD="${HB_BAD}rogue-front printed no RESULT line: $(tail -n 2 <<<"$out" | tr '\n' ' '); "
	domu_alive hrogue hgood
	[[ "$DOMU_DEAD" == *hrogue* ]] && HB_BAD="${HB_BAD}rogue domU died; "
	[[ "$DOMU_DEAD" == *hgood* ]] && HB_BAD="${HB_BAD}bystander domU died; "
	if grep -qE "$BAD_KERNEL_RE" <<<"$HB_DMESG" || [ -n "$(dom0_log_bad_since "$mark")" ]; then
		HB_BAD="${HB_BAD}oops/WARN in dom0: $(dom0_log_bad_since "$mark" | head -n 2); "
	fi
	if [ $(( ${m1% *} - ${m0% *} )) -gt 4096 ]; then
		HB_BAD="${HB_BAD}dom0 slab grew by $(( ${m1% *} - ${m0% *} )) kB; "
	fi
	if ! kill -0 "$HB_BY" 2>/dev/null || ! hb_bystander_ok "$by"; then
		HB_BAD="${HB_BAD}bystander iperf3 stopped moving data: $(tail -n 1 /tmp/hb-by.log); "
	fi
	# Expectation for our netback.
	hb_front_judge "$name" "$expect" && HB_EXPECT_OK=1
	xenstore-rm "/local/domain/0/error/backend/vif/$d/$n" 2>/dev/null
	hb_log "$name: checked"
	if [ "${HB_FRESH:-1}" != 0 ]; then
		hb_detach_rogue "$n"
	fi
}

# hb_detach_rogue N: detach the rogue guest's vif N (bounded).
hb_detach_rogue() {
	local d=$HB_RDOM
	if ! xlt network-detach hrogue "$1" >/tmp/hb-detach.log 2>&1 ||
	   ! wait_for "backend dir of vif $d/$1 to go" 30 sh -c \
		"! xenstore-exists /local/domain/0/backend/vif/$d/$1"; then
		HB_BAD="${HB_BAD}network-detach did not complete: $(tail -n 1 /tmp/hb-detach.log); "
	fi
	[ "$HB_CUR" = "$1" ] && HB_CUR=""
	hb_log "detached vif $d/$1"
}

# dom0_log_bad_since LINE: bad kernel lines in dom0's log after LINE.
dom0_log_bad_since() {
	dmesg | tail -n +"$(($1 + 1))" | grep -E "$BAD_KERNEL_RE"
}

# hb_front_teardown: grant and memory balance of the whole phase.
hb_front_teardown() {
	local g1 m1 by
	HB_PHASE_BAD=""
	by=$(wc -l </tmp/hb-by.log)
	hb_bystander_ok "$by" || HB_PHASE_BAD="bystander iperf3 not moving data at the end; "
	kill -INT "$HB_BY" 2>/dev/null
	wait "$HB_BY" 2>/dev/null
	[ -n "$HB_CUR" ] && hb_detach_rogue "$HB_CUR"
	wait_for "dom0 to map no more of the rogue's grants than before" 10 grant_active_le "$HB_RDOM" "${HB_G0#* }"
	g1=$(grant_info "$HB_RDOM")
	m1=$(mem_info)
	HB_PHASE_NOTE="rogue guest grant frames/active before '$HB_G0' after '$g1'; dom0 slab/free kB before '$HB_M0' after '$m1'; bystander: $(grep -E 'sender *$' /tmp/hb-by.log | tail -n 1 | sed 's/ *sender *$//')"
	[ "${g1#* }" -gt "${HB_G0#* }" ] &&
		HB_PHASE_BAD="dom0 still maps $(( ${g1#* } - ${HB_G0#* } )) more grants of the rogue guest; "
	[ $(( ${m1% *} - ${HB_M0% *} )) -gt 8192 ] &&
		HB_PHASE_BAD="${HB_PHASE_BAD}dom0 slab grew by $(( ${m1% *} - ${HB_M0% *} )) kB over the phase; "
	domu_destroy hrogue >/dev/null 2>&1 || HB_PHASE_BAD="${HB_PHASE_BAD}rogue domU console shows a problem; "
	domu_destroy hgood >/dev/null 2>&1 || HB_PHASE_BAD="${HB_PHASE_BAD}bystander domU console shows a problem; "
}

# ---- netfront under attack ----------------------------------------------------

# The netback module must be out of the way: rogue-back plays backend.
hb_no_netback() {
	domus_destroy_all || return 1
	if [ -d /sys/module/xen_netback ]; then
		timeout 60 rmmod xen-netback || return 1
	fi
}

# hb_back_victim FRONT: boot the guest under attack; its vif 0 is served
# by a well-behaved rogue-back ("idle").
hb_back_victim() {
	HB_FRONT=$1
	HB_DEVID=0
	"$ROGUE_BACK" idle --domid any --devid 0 >/tmp/hb-idle.log 2>&1 &
	HB_IDLE=$!
	if ! domu_create hvict vcpus=1 front="$1" idx=4 vif="bridge=xenbr0,script=/bin/true"; then
		kill "$HB_IDLE" 2>/dev/null
		return 1
	fi
	HB_VDOM=$(domid hvict)
	HB_VG0=$(grant_info "$HB_VDOM")
}

# hb_back_judge EXPECT: succeeds when our netfront reacted the way
# EXPECT (its row in rogue-back's table) documents, from rogue-back's
# RESULT line (HB_LINE) and what the guest showed: HB_PE0/HB_PE1 its
# protocol_errors before and after, HB_GLOG its kernel log, HB_ALIVE 1
# when it is still up, HB_RM_SECS/HB_RM_RC how long the driver's
# removal took and its status, HB_TXDROP_NEW the frames the driver
# dropped in its transmit after an ifdown/ifup with the ring full and
# HB_REQUEUES the qdisc's requeue count then (tx-never-complete only).
hb_back_judge() {
	case "$1" in
	disable) [ "$(hb_kv "$HB_LINE" outcome)" = attacked ] &&
		 [ -n "$HB_PE1" ] && [ "$HB_PE1" -gt "${HB_PE0:-0}" ] &&
		 grep -q 'device disabled until the backend reconnects' <<<"$HB_GLOG" ;;
	alive)	 [ "$HB_ALIVE" = 1 ] ;;
	bounded) [ -n "$HB_RM_SECS" ] && [ "$HB_RM_SECS" -le "$HB_REMOVE_LIMIT" ] && [ "$HB_RM_RC" = 0 ] &&
		 [ "$HB_TXDROP_NEW" = 0 ] &&
		 { [ "$HB_FRONT" != ours ] || { [ "$HB_INS_RC" = 0 ] && [ "$HB_INS_SECS" -le "$HB_RELOAD_LIMIT" ]; }; } ;;
	any)	 return 0 ;;
	*)	 return 1 ;;
	esac
}

# hb_back_attach N PID: attach vif N to the victim for the rogue-back of
# PID; on failure say so in HB_BAD and HB_REACT, stop PID, return 1.
hb_back_attach() {
	xlt network-attach hvict bridge=xenbr0 script=/bin/true devid="$1" >/tmp/hb-attach.log 2>&1 &&
		return 0
	HB_BAD="xl network-attach failed: $(tail -n 2 /tmp/hb-attach.log); "
	HB_REACT="no vif"
	kill "$2" 2>/dev/null
	return 1
}

# hb_back_case NAME EXPECT
hb_back_case() {
	local name=$1 expect=$2 n d rb ifn t0 t1 log st out outcome
	HB_LINE="" HB_REACT="" HB_BAD="" HB_EXPECT_OK=0
	HB_PE0="" HB_PE1="" HB_GLOG="" HB_ALIVE=0 HB_RM_SECS="" HB_RM_RC="" HB_REQUEUES=""
	HB_INS_SECS="" HB_INS_RC=""
	HB_TXDROP_NEW=""
	HB_DEVID=$((HB_DEVID + 1))
	n=$HB_DEVID
	d=$HB_VDOM
	log=/tmp/hb-back-$n.log
	"$ROGUE_BACK" "$name" --domid "$d" --devid "$n" --secs "$HB_SECS" --hold 8 --wait 60 >"$log" 2>&1 &
	rb=$!
	hb_back_attach "$n" "$rb" || return
	hb_log "$name: attached vif $d/$n"
	# One trip to the guest: find the interface of vif N, note its
	# protocol_errors, bring it up and send traffic, so that there are
	# TX requests to answer.
	out=$(domu_exec hvict "dmesg -c >/dev/null; i=0; ifn=
		while [ -z \"\$ifn\" ] && [ \$i -lt 60 ]; do
			for x in /sys/class/net/eth*; do
				[ \"\$(basename \$(readlink \$x/device) 2>/dev/null)\" = vif-$n ] && ifn=\$(basename \$x)
			done
			[ -z \"\$ifn\" ] && sleep 0.25; i=\$((i + 1))
		done
		echo IF=\$ifn; [ -n \"\$ifn\" ] || exit 1
		ethtool -S \$ifn 2>/dev/null | awk '/protocol_errors:/ { print \"PE=\" \$2 }'
		ip addr add 198.19.$n.2/24 dev \$ifn; ip link set \$ifn up
		/usr/sbin/ip neigh replace 198.19.$n.1 lladdr 02:00:00:00:00:01 dev \$ifn
		for k in 1 2 3 4; do ping -c 20 -W 1 198.19.$n.1 >/dev/null 2>&1 & done" 60)
	ifn=$(echo "$out" | sed -n 's/^IF=//p')
	HB_PE0=$(echo "$out" | sed -n 's/^PE=//p')
	hb_log "$name: guest interface '$ifn', protocol_errors '$HB_PE0'"
	wait_for "rogue-back to report" $((HB_SECS + 70)) grep -q "^RESULT case=$name " "$log"
	HB_LINE=$(grep -m1 "^RESULT " "$log")
	sleep 1
	HB_GLOG=$(domu_exec hvict "dmesg; [ -n '$ifn' ] && ethtool -S $ifn 2>/dev/null |
		awk '/protocol_errors:/ { print \"PE=\" \$2 }'" 30)
	HB_PE1=$(echo "$HB_GLOG" | sed -n 's/^PE=//p')
	hb_log "$name: $(grep -v '^EVENT ' "$log" | head -n 3 | tr '\n' ' ')"
	hb_log "$name guest log: $(echo "$HB_GLOG" | grep -iE 'xen|vif|eth|net' | tail -n 5)"
	if [ "$name" = tx-never-complete ]; then
		# The ring is full of requests the backend never answers: fill
		# what room is left, then ifdown/ifup and send again. A driver
		# that restarts its queue then meets a ring without room: it
		# returns NETDEV_TX_BUSY (the stack retries at once) or drops
		# the frame in its transmit (the interface's tx_dropped grows).
		# One that keeps the queue stopped leaves the frames in the
		# qdisc, which counts one "requeue" for each frame it took out
		# before it saw the queue stopped: the requeue count is
		# reported, tx_dropped is judged (HB_TXDROP_NEW, "bounded").
		out=$(domu_exec hvict "[ -n '$ifn' ] || exit 1
			for k in 1 2 3 4; do ping -q -c 100 -i 0.002 -W 1 198.19.$n.1 >/dev/null 2>&1 & done; wait
			echo TXD0=\$(cat /sys/class/net/$ifn/statistics/tx_dropped)
			ip link set $ifn down; ip link set $ifn up; sleep 0.5
			ping -q -c 3 -i 0.05 -W 1 198.19.$n.1 >/dev/null 2>&1; sleep 0.5
			echo TXD1=\$(cat /sys/class/net/$ifn/statistics/tx_dropped)
			/usr/sbin/tc -s qdisc show dev $ifn" 60)
		HB_REQUEUES=$(echo "$out" | grep -oE 'requeues [0-9]+' | awk '{ s += $2 } END { print s + 0 }')
		grep -q 'requeues' <<<"$out" || HB_REQUEUES=""
		HB_TXDROP_NEW=$(( $(echo "$out" | sed -n 's/^TXD1=//p' | grep -E '^[0-9]+$' || echo -1) - \
			$(echo "$out" | sed -n 's/^TXD0=//p' | grep -E '^[0-9]+$' || echo 0) ))
		hb_log "$name: qdisc after ifdown/ifup on a full ring: $(echo "$out" | tr '\n' ' ' | cut -c1-300)"
		t0=$(date +%s)
		if [ "$HB_FRONT" = ours ]; then
			domu_exec hvict "rmmod xen-netfront" $((HB_REMOVE_LIMIT + 60)) >/tmp/hb-rm.log 2>&1
		else
			# The in-tree module cannot be removed while in use: unbind.
			domu_exec hvict "echo vif-$n >/sys/bus/xen/drivers/vif/unbind" \
				$((HB_REMOVE_LIMIT + 60)) >/tmp/hb-rm.log 2>&1
		fi
		st=$?
		t1=$(date +%s)
		HB_RM_SECS=$((t1 - t0)) HB_RM_RC=$st
		HB_REACT="after ifdown/ifup on a full ring: frames dropped in transmit $HB_TXDROP_NEW, qdisc requeues ${HB_REQUEUES:-?}; removal took $HB_RM_SECS s (rc $st)"
		if [ "$HB_FRONT" = ours ]; then
			# The vif stays, its backend Closed for good once
			# rogue-back has gone: loading the driver again must not
			# wait for it (the xenbus core waits up to 5 minutes for
			# a vif that stays Initialising).
			wait_for "rogue-back $name to exit" 30 sh -c "! kill -0 $rb"
			t0=$(date +%s)
			domu_exec hvict "insmod /lib/modules/ours/xen-netfront.ko" 400 >/tmp/hb-ins.log 2>&1
			st=$?
			HB_INS_SECS=$(( $(date +%s) - t0 )) HB_INS_RC=$st
			HB_REACT="$HB_REACT; loading it again with that vif's backend Closed took $HB_INS_SECS s (rc $st)"
		fi
	fi
	# The reaction.
	if [ -z "$HB_REACT" ]; then
		local dis
		# What the driver logged about this interface.
		dis=$(echo "$HB_GLOG" | grep -E "${ifn:-nosuchif}[: ]|vif-${n}[: ]" |
			grep -vE 'ADDRCONF|link becomes ready|renamed from' | tail -n 2 |
			sed 's/^\[[ 0-9.]*\] //' | tr '\n' ' ' | cut -c1-150)
		if [ -n "$dis" ]; then
			HB_REACT="logged: $dis"
		else
			HB_REACT="no reaction logged"
		fi
		[ -n "$HB_PE1" ] && HB_REACT="$HB_REACT (protocol_errors ${HB_PE0:-?}->$HB_PE1)"
	fi
	if [ -z "$HB_LINE" ]; then
		HB_REACT="$HB_REACT; rogue-back printed no RESULT line: $(tail -n 2 "$log" | tr '\n' ' ')"
	elif outcome=$(hb_kv "$HB_LINE" outcome) && [ "$outcome" != attacked ]; then
		HB_REACT="$HB_REACT; rogue-back: $outcome, $(hb_kv "$HB_LINE" reason)"
	fi
	domu_alive hvict && HB_ALIVE=1
	hb_back_judge "$expect" && HB_EXPECT_OK=1
	if [ -n "$(hb_guest_bad <<<"$HB_GLOG")" ] || [ "$HB_ALIVE" != 1 ]; then
		HB_BAD="${HB_BAD}guest crashed or warned: $(hb_guest_bad <<<"$HB_GLOG" | head -n 2); "
		HB_REACT="CRASH"
		HB_EXPECT_OK=0
	fi
	if [ "$name" = keep-mapped ]; then
		local gm
		# Detach while rogue-back keeps the pages mapped (--hold 8):
		# libxl waits for its Closed, written only after the hold.
		xlt network-detach hvict "$n" >/tmp/hb-detach.log 2>&1 &
		wait_for "rogue-back to hold the pages" 20 grep -q "^EVENT case=keep-mapped event=holding" "$log"
		sleep 1
		gm=$(grant_info "$d")
		wait $! 2>/dev/null
		domu_alive hvict || HB_BAD="${HB_BAD}guest died while its grants stayed mapped; "
		wait_for "rogue-back to let go" 30 sh -c "! kill -0 $rb"
		sleep 1
		HB_REACT="$HB_REACT; guest grants frames/active while held '$gm', after release '$(grant_info "$d")'"
		domu_alive hvict || HB_BAD="${HB_BAD}guest died after the grants were released; "
	elif [ "$name" != tx-never-complete ]; then
		xlt network-detach hvict "$n" >/tmp/hb-detach.log 2>&1 ||
			HB_BAD="${HB_BAD}network-detach failed: $(tail -n 1 /tmp/hb-detach.log); "
	fi
	wait_for "rogue-back $name to exit" 30 sh -c "! kill -0 $rb" || kill "$rb" 2>/dev/null
	wait "$rb" 2>/dev/null
	hb_log "$name: done"
}

# hb_back_teardown: the victim's grant table once every vif is gone.
hb_back_teardown() {
	local g1 n
	HB_PHASE_BAD=""
	for n in $(xenstore-list "/local/domain/0/backend/vif/$HB_VDOM" 2>/dev/null); do
		[ "$n" = 0 ] && continue
		xlt network-detach hvict "$n" >/dev/null 2>&1
	done
	wait_for "no more of the victim's grants mapped than before" 10 grant_active_le "$HB_VDOM" "${HB_VG0#* }"
	g1=$(grant_info "$HB_VDOM")
	HB_PHASE_NOTE="victim guest grant frames/active before '$HB_VG0' after '$g1'"
	[ "${g1#* }" -gt "${HB_VG0#* }" ] &&
		HB_PHASE_BAD="$(( ${g1#* } - ${HB_VG0#* } )) more grants of the victim still mapped after the cases; "
	domu_alive hvict || HB_PHASE_BAD="${HB_PHASE_BAD}victim guest is not alive; "
	XT_PEER_RE=$HB_PEER_RE domu_destroy hvict >/dev/null 2>&1 ||
		HB_PHASE_BAD="${HB_PHASE_BAD}victim console shows a problem; "
	kill "$HB_IDLE" 2>/dev/null
	wait "$HB_IDLE" 2>/dev/null
}

# ---- the fuzzer -------------------------------------------------------------

# hb_fuzz_judge SIDE: the fuzz run in HB_LINE passes: it sent every
# frame it was asked for and the driver never stopped answering without
# a named reason (hang=0). Against netback (front) each disable the
# rogue saw must also be logged ("vif disabled", HB_FUZZ_LOGGED) unless
# the fatal log was rate limited (HB_FUZZ_SUPP); against netfront
# rogue-back itself asks the guest for protocol_errors at each one.
hb_fuzz_judge() {
	local hang count want dis
	hang=$(hb_kv "$HB_LINE" hang) && count=$(hb_kv "$HB_LINE" count) &&
		want=$(hb_kv "$HB_LINE" want) && dis=$(hb_kv "$HB_LINE" disabled) || return 1
	[ "$hang" = 0 ] && [ "$count" = "$want" ] || return 1
	[ "$1" = front ] || return 0
	[ "${HB_FUZZ_LOGGED:-0}" -ge "$dis" ] || [ -n "$HB_FUZZ_SUPP" ]
}

# hb_fuzz_react: the run in a few words, from HB_LINE.
hb_fuzz_react() {
	local k v react=""
	for k in count want mutated answered probes disabled late named_late first_disable_iter first_disable_mut; do
		# (named_late: rogue-back's only.)
		v=$(hb_kv "$HB_LINE" "$k") || { [ "$k" = named_late ] && continue; v='?'; }
		react="$react $k=$v"
	done
	if [ "$(hb_kv "$HB_LINE" hang)" = 1 ]; then
		react="HANG at iteration $(hb_kv "$HB_LINE" hang_iter) after $(hb_kv "$HB_LINE" hang_mut):$react"
	fi
	[ -n "$HB_FUZZ_LOGGED" ] && react="$react; dom0 logged $HB_FUZZ_LOGGED disables${HB_FUZZ_SUPP:+ (rate limited)}"
	echo "${react# }"
}

# hb_fuzz_front SEED COUNT: rogue-front --fuzz SEED --count COUNT
# against the netback of hb_front_setup, on a vif of the rogue guest
# (the last case's when it is back in InitWait, else a new one). Leaves
# HB_LINE, HB_REACT, HB_BAD and HB_EXPECT_OK like hb_front_case.
hb_fuzz_front() {
	local seed=$1 count=$2 n d vif mark m0 m1 by out
	HB_LINE="" HB_REACT="" HB_BAD="" HB_EXPECT_OK=0 HB_FUZZ_LOGGED="" HB_FUZZ_SUPP=""
	d=$HB_RDOM
	# As hb_front_case: HB_FRESH=0 reuses a vif back in InitWait.
	if [ "${HB_FRESH:-1}" = 0 ] && [ -n "$HB_CUR" ] &&
	   [ "$(xenstore-read "/local/domain/0/backend/vif/$d/$HB_CUR/state" 2>/dev/null)" = "$XB_INITWAIT" ]; then
		n=$HB_CUR
	else
		[ -n "$HB_CUR" ] && hb_detach_rogue "$HB_CUR"
		HB_DEVID=$((HB_DEVID + 1))
		n=$HB_DEVID
		if ! xlt network-attach hrogue script="$HB_VIF_SCRIPT" devid="$n" >/tmp/hb-attach.log 2>&1; then
			HB_BAD="xl network-attach failed: $(tail -n 2 /tmp/hb-attach.log)"
			HB_REACT="no vif"
			return
		fi
	fi
	HB_CUR=$n
	vif=vif$d.$n
	wait_for "$vif" 20 ip link show "$vif"
	hb_log "fuzz $seed: vif $d/$n, $count frames"
	mark=$(dmesg | wc -l)
	m0=$(mem_info)
	by=$(wc -l </tmp/hb-by.log)
	# The guest can write no more than 2 kB of answer (xenstore's entry
	# quota), and a run prints an EVENT line per disable: its log stays
	# in the guest; back come the human line (cut short), the hang and
	# capped events, the disables counted by change, and the RESULT line.
	out=$(domu_exec hrogue "l=/tmp/hbf-front-$seed.log
		rogue-front --fuzz $seed --count $count --late $HB_FUZZ_LATE_MS --devid $n --secs $HB_FUZZ_SECS >\$l 2>&1
		grep '^rogue-front ' \$l | cut -c 1-500
		grep -E '^EVENT case=fuzz event=(hang|capped)' \$l | head -n 2
		echo DISABLES: \$(sed -n 's/^EVENT case=fuzz event=disabled .*mut=\\([^ ]*\\).*/\\1/p' \$l |
			sort | uniq -c | sort -rn | head -n 12 | tr -s ' \\n' ' ')
		grep -m1 '^RESULT case=fuzz ' \$l" \
		$((HB_FUZZ_SECS + 120)))
	HB_LINE=$(grep -m1 '^RESULT case=fuzz ' <<<"$out")
	hb_log "fuzz $seed: $(grep -E '^(rogue-front|EVENT case=fuzz event=(hang|capped)|DISABLES:)' <<<"$out" | tr '\n' ' ')"
	[ -n "$HB_LINE" ] || hb_log "fuzz $seed: guest answered: $(tail -c 600 <<<"$out" | tr '\n' ' ')"
	HB_FUZZ_LOGGED=$(hb_dmesg_vif "$mark" "$d" "$n" | grep -c 'vif disabled')
	HB_FUZZ_SUPP=$(dmesg | tail -n +"$((mark + 1))" | grep -m1 'xnb_fatal.*callbacks suppressed')
	m1=$(mem_info)
	[ -z "$HB_LINE" ] && HB_BAD="${HB_BAD}rogue-front printed no RESULT line: $(tail -n 2 <<<"$out" | tr '\n' ' '); "
	domu_alive hrogue hgood
	[[ "$DOMU_DEAD" == *hrogue* ]] && HB_BAD="${HB_BAD}rogue domU died; "
	[[ "$DOMU_DEAD" == *hgood* ]] && HB_BAD="${HB_BAD}bystander domU died; "
	[ -n "$(dom0_log_bad_since "$mark")" ] &&
		HB_BAD="${HB_BAD}oops/WARN in dom0: $(dom0_log_bad_since "$mark" | head -n 2); "
	[ $(( ${m1% *} - ${m0% *} )) -gt 4096 ] &&
		HB_BAD="${HB_BAD}dom0 slab grew by $(( ${m1% *} - ${m0% *} )) kB; "
	if ! kill -0 "$HB_BY" 2>/dev/null || ! hb_bystander_ok "$by"; then
		HB_BAD="${HB_BAD}bystander iperf3 stopped moving data: $(tail -n 1 /tmp/hb-by.log); "
	fi
	HB_REACT=$(hb_fuzz_react)
	hb_fuzz_judge front && HB_EXPECT_OK=1
	xenstore-rm "/local/domain/0/error/backend/vif/$d/$n" 2>/dev/null
}

# hb_fuzz_back_helper N SECS: the guest's side of a rogue-back fuzz run
# on vif N, for at most SECS (or until /tmp/hbf-stop-N exists): give
# the interface 198.19.N.2 (the probes' address) and, whenever the vif
# is Closed (rogue-back closes it after an unanswered probe), write
# "K PE L" to data/hbf-N (the K-th time, the interface's
# protocol_errors, the guest's log lines of a netfront disable: ours,
# "device disabled until the backend reconnects", and the in-tree
# one's "Disabled for further use"), then
# unbind and bind the device for a new connection (a new device, whose
# protocol_errors start at 0). netfront detaches the device when the
# backend closes (netif_device_detach: ethtool then fails with ENODEV),
# so the helper reads protocol_errors every 0.2 s while it is connected
# and reports the last value it read; a disable after that last read
# (on the debug kernel the guest can be that slow) is still in the log
# (L, counted from the run's start: hb_fuzz_back empties the log).
# Prints a command for domu_exec; it runs in the background.
hb_fuzz_back_helper() {
	local n=$1 secs=$2
	cat <<EOF
( n=$n; end=\$((\$(date +%s) + $secs))
k=\$(xenstore-read data/hbf-\$n 2>/dev/null | cut -d' ' -f1); k=\${k:-0}
ifn() { for x in /sys/class/net/eth*; do
	[ "\$(basename "\$(readlink \$x/device)" 2>/dev/null)" = vif-\$n ] && basename \$x; done; }
pe_stat() { ethtool -S "\$(ifn)" 2>/dev/null | awk '/protocol_errors:/ { print \$2 }'; }
up() { i=0; f=; last=0
	while [ -z "\$f" ] && [ \$i -lt 40 ]; do f=\$(ifn); [ -z "\$f" ] && sleep 0.25; i=\$((i + 1)); done
	[ -n "\$f" ] || return 1
	ip addr add 198.19.\$n.2/24 dev \$f 2>/dev/null; ip link set \$f up
	/usr/sbin/ip neigh replace 198.19.\$n.1 lladdr 02:00:00:00:00:01 dev \$f
	echo "\$(date +%T) \$f up: \$(ip -4 addr show dev \$f | grep -o 'inet [0-9./]*')"; }
up
while [ \$(date +%s) -lt \$end ] && [ ! -e /tmp/hbf-stop-\$n ]; do
	if [ "\$(xenstore-read device/vif/\$n/state 2>/dev/null)" = 6 ]; then
		pe=\$(pe_stat); pe=\${pe:-\$last}
		l=\$(dmesg | grep -cE '$HB_FRONT_DISABLED_RE')
		k=\$((k + 1)); xenstore-write data/hbf-\$n "\$k \$pe \$l"
		echo "\$(date +%T) closed: report \$k, protocol_errors \$pe, disables logged \$l"
		echo vif-\$n >/sys/bus/xen/drivers/vif/unbind; echo vif-\$n >/sys/bus/xen/drivers/vif/bind
		up
	else
		pe=\$(pe_stat); [ -n "\$pe" ] && last=\$pe
		sleep 0.2
	fi
done ) </dev/null >/tmp/hbf-$n.log 2>&1 &
EOF
}

# hb_fuzz_back SEED COUNT: rogue-back --fuzz SEED --count COUNT against
# the netfront of hb_back_victim, on a new vif with the guest's helper
# (hb_fuzz_back_helper) running. Leaves HB_LINE, HB_REACT, HB_BAD and
# HB_EXPECT_OK like hb_back_case, and HB_GLOG the guest's log.
hb_fuzz_back() {
	local seed=$1 count=$2 n d log rb lines peer
	HB_LINE="" HB_REACT="" HB_BAD="" HB_EXPECT_OK=0 HB_GLOG="" HB_FUZZ_LOGGED="" HB_FUZZ_SUPP=""
	HB_DEVID=$((HB_DEVID + 1))
	n=$HB_DEVID
	d=$HB_VDOM
	log=/tmp/hb-fuzz-back-$n.log
	# tx-never-complete ends by removing our netfront from the guest:
	# load it again, or the new vif has no driver.
	if [ "$HB_FRONT" = ours ] &&
	   ! domu_exec hvict "[ -d /sys/module/xen_netfront ] || insmod /lib/modules/ours/xen-netfront.ko" 60 >/dev/null; then
		HB_BAD="our netfront could not be loaded again in the guest; "
		HB_REACT="no netfront"
		return
	fi
	"$ROGUE_BACK" --fuzz "$seed" --count "$count" --late "$HB_FUZZ_LATE_MS" --domid "$d" --devid "$n" \
		--secs "$HB_FUZZ_SECS" >"$log" 2>&1 &
	rb=$!
	hb_back_attach "$n" "$rb" || return
	hb_log "fuzz $seed: attached vif $d/$n, $count packets"
	domu_exec hvict "dmesg -c >/dev/null; $(hb_fuzz_back_helper "$n" $((HB_FUZZ_SECS + 120)))" 30 >/dev/null
	wait_for "rogue-back --fuzz to report" $((HB_FUZZ_SECS + 150)) grep -q '^RESULT case=fuzz ' "$log"
	HB_LINE=$(grep -m1 '^RESULT ' "$log")
	hb_log "fuzz $seed: $(grep -E '^(rogue-back|EVENT case=fuzz event=(hang|capped))' "$log" | tr '\n' ' ')"
	hb_log "fuzz $seed: DISABLES: $(sed -n 's/^EVENT case=fuzz event=disabled .*mut=\([^ ]*\).*/\1/p' "$log" |
		sort | uniq -c | sort -rn | head -n 12 | tr -s ' \n' ' ')"
	if [ "$(hb_kv "$HB_LINE" outcome)" != fuzzed ] || [ "$(hb_kv "$HB_LINE" hang)" != 0 ]; then
		# What the guest's side looked like: the helper's log, the
		# address and neighbour, ICMP counters, the driver's counters.
		hb_log "fuzz $seed: guest: $(domu_exec hvict "{ tail -c 500 /tmp/hbf-$n.log
			ip -4 addr show | grep -o 'inet 198[0-9./]*'; /usr/sbin/ip neigh show | grep 198.19
			grep '^Icmp:' /proc/net/snmp | tail -n 1 | cut -c 1-120
			for x in /sys/class/net/eth*; do echo \$(basename \$x) \$(basename \$(readlink \$x/device)) \$(cat \$x/operstate)
				ethtool -S \$(basename \$x) 2>/dev/null | grep -E 'protocol_errors|rx_packets|rx_drop|rx_err' | tr -s ' \n' ' '; done; } 2>&1 | tail -c 1800" 30 |
			tail -c 1500 | tr '\n' ' ')"
	fi
	domu_exec hvict "touch /tmp/hbf-stop-$n" 30 >/dev/null
	# The guest's kernel log may be longer than an answer can be: only
	# the disables counted and the first bad lines come back.
	HB_GLOG=$(domu_exec hvict "echo GUEST_DISABLES=\$(dmesg | grep -cE '$HB_FRONT_DISABLED_RE')
		echo GUEST_PEER=\$(dmesg | grep -cE '$HB_PEER_RE')
		dmesg | grep -E '$BAD_KERNEL_RE' | grep -vE '$HB_PEER_RE' | head -n 4 | cut -c 1-300" 30)
	lines=$(sed -n 's/^GUEST_DISABLES=//p' <<<"$HB_GLOG")
	[ -z "$HB_LINE" ] && HB_BAD="${HB_BAD}rogue-back printed no RESULT line: $(tail -n 2 "$log" | tr '\n' ' '); "
	HB_ALIVE=0
	domu_alive hvict && HB_ALIVE=1
	if [ -n "$(hb_guest_bad <<<"$HB_GLOG")" ] || [ "$HB_ALIVE" != 1 ]; then
		HB_BAD="${HB_BAD}guest crashed or warned: $(hb_guest_bad <<<"$HB_GLOG" | head -n 2); "
	fi
	peer=$(sed -n 's/^GUEST_PEER=//p' <<<"$HB_GLOG")
	HB_REACT="$(hb_fuzz_react); the guest logged $lines disables"
	[ "${peer:-0}" != 0 ] && HB_REACT="$HB_REACT, $peer grants the backend still mapped when netfront ended them"
	hb_fuzz_judge back && HB_EXPECT_OK=1
	xlt network-detach hvict "$n" >/tmp/hb-detach.log 2>&1 ||
		HB_BAD="${HB_BAD}network-detach failed: $(tail -n 1 /tmp/hb-detach.log); "
	wait_for "rogue-back --fuzz to exit" 30 sh -c "! kill -0 $rb" || kill "$rb" 2>/dev/null
	wait "$rb" 2>/dev/null
	xenstore-rm "/local/domain/$d/data/hbf-$n" 2>/dev/null
	hb_log "fuzz $seed: done"
}

# hb_fuzz SIDE SEED COUNT: one fuzz run against netback (SIDE front:
# rogue-front in the rogue guest) or netfront (back: rogue-back in dom0).
hb_fuzz() {
	case "$1" in
	front)	hb_fuzz_front "$2" "$3" ;;
	back)	hb_fuzz_back "$2" "$3" ;;
	*)	return 1 ;;
	esac
}
