#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell library for the xen-net selftests. Runs in the rig's dom0.
#
# Results: every test ends in exactly one xt_pass / xt_fail / xt_skip,
# which appends a KTAP line ("ok N name" / "not ok N name") to the
# shared results file, indented as a subtest of the script (run.sh
# writes the script's own line after it); numbering starts at 1 in each
# script (XT_BASE: the subtest lines already in the file when it
# started). Diagnostics are KTAP comments ("# ...").
#
# Waits: every wait is bounded (wait_for) and names what it waited for
# when it gives up.
#
# Domains: domu_create boots a PV domU from the busybox image with the
# chosen netfront; domu_exec runs a command inside it through xenstore
# (not the network under test). Guest consoles are scanned for oops,
# WARN and BUG output whenever a domU is destroyed, and dom0's kernel
# log after every script.

XT_RESULTS=${XT_RESULTS:-/host/results/ktap}
XT_DOM0_LOG_MARK=${XT_DOM0_LOG_MARK:-/tmp/xt-dmesg-mark}
HOST=/host
OURS=$HOST/build
DOMU_KERNEL=/boot/vmlinuz-domU
DOMU_INITRD=$HOST/domU.cpio.gz
CONSOLE_DIR=/var/log/xen/console
BRIDGE_IP=198.18.0.1
BRIDGE_IP6=2001:2::1
# The lane (XNET_LANE, from the host): "check" for make check, "full"
# for make check-full, which runs the same scripts with the longer
# loops and bigger counts, "debug" for make check-debug: make check's
# scripts and cases on the debug kernel, with the few counts that look
# for leaks and teardown races raised (fuzzing, attach/detach,
# checkpoints).
XNET_LANE=${XNET_LANE:-check}
# lane N_CHECK N_FULL [N_DEBUG]: the count for this lane (the debug
# lane's is N_CHECK unless given).
lane() {
	case "$XNET_LANE" in
	full) echo "$2" ;;
	debug) echo "${3-$1}" ;;
	*) echo "$1" ;;
	esac
}
# cycles N: "1 cycle" or "N cycles", for test names.
cycles() {
	if [ "$1" = 1 ]; then echo "1 cycle"; else echo "$1 cycles"; fi
}
# Seconds of an iperf3 run that only has to show data moving.
IPERF_SECS=${IPERF_SECS:-$(lane 1 3)}
# What a kernel prints when something went wrong that a test must not
# hide (BAD_KERNEL_RE), in the one list both sides of the rig read.
. "$(dirname "${BASH_SOURCE[0]}")/crash-re.sh"
# xenbus states (xen/interface/io/xenbus.h), as the state nodes hold
# them; for the scripts that source this file.
# shellcheck disable=SC2034
XB_UNKNOWN=0 XB_INITIALISING=1 XB_INITWAIT=2 XB_INITIALISED=3 XB_CONNECTED=4 \
	XB_CLOSING=5 XB_CLOSED=6 XB_RECONFIGURING=7 XB_RECONFIGURED=8

# ---- results -----------------------------------------------------------

# Subtests are indented by XT_INDENT (four spaces, KTAP's nesting).
XT_INDENT='    '

# xt_count: the results of this script so far.
xt_count() {
	local n
	n=$(grep -cE "^$XT_INDENT(not )?ok " "$XT_RESULTS" 2>/dev/null)
	echo "$(( ${n:-0} - ${XT_BASE:-0} ))"
}

xt_emit() {
	local n
	n=$(( $(xt_count) + 1 ))
	echo "$XT_INDENT$1 $n ${XT_TAG:-}$2" | tee -a "$XT_RESULTS"
	# When each result came, to see where the suite's time goes.
	printf '%(%T)T %s %s %s\n' -1 "$1" "$n" "${XT_TAG:-}$2" >>"${XT_RESULTS%/*}/times.log"
}

xt_diag() {
	local l
	while IFS= read -r l; do
		echo "$XT_INDENT# $l"
	done <<<"$*" | tee -a "$XT_RESULTS"
}

xt_pass() { xt_emit ok "$1"; }

xt_fail() {
	[ -n "${2:-}" ] && xt_diag "$1: $2"
	xt_emit "not ok" "$1"
	return 1
}

xt_skip() { xt_emit ok "$1 # SKIP ${2:-}"; }

# xt_check NAME CMD...: pass when CMD succeeds; its output is kept as
# diagnostics when it fails.
xt_check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		xt_pass "$name"
	else
		[ -n "$out" ] && xt_diag "$(echo "$out" | tail -n 25)"
		xt_fail "$name" "exit $rc"
	fi
}

# ---- kmemleak (make check-debug's kernel) ---------------------------------

XT_KMEMLEAK=/sys/kernel/debug/kmemleak

# kmemleak_report: scan dom0's memory now and print every object
# kmemleak finds unreferenced (allocated over 5 s ago, reported for the
# first time), then mark them seen, so that the next call prints only
# new ones. Two scans: kmemleak holds back an object whose contents
# changed since its previous scan (a new one's first scan included),
# so a leak shows only at the second scan after its last write.
# Fails when the kernel has no kmemleak.
kmemleak_report() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	[ -w "$XT_KMEMLEAK" ] || return 1
	echo scan >"$XT_KMEMLEAK" || return 1
	echo scan >"$XT_KMEMLEAK" || return 1
	cat "$XT_KMEMLEAK"
	echo clear >"$XT_KMEMLEAK"
}

# wait_for DESC SECONDS CMD...: poll CMD every half second until it
# succeeds or SECONDS pass.
wait_for() {
	local desc=$1 limit=$2 end
	shift 2
	end=$(( $(date +%s) + limit ))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		if [ "$(date +%s)" -ge "$end" ]; then
			echo "gave up after ${limit}s waiting for: $desc" >&2
			return 1
		fi
		sleep 0.5
	done
}

# ---- dom0 kernel log ---------------------------------------------------

# dom0_log_mark: remember how far dom0's kernel log has been checked.
dom0_log_mark() {
	dmesg | wc -l >"$XT_DOM0_LOG_MARK"
}

# dom0_log_bad: print new bad lines in dom0's kernel log since the mark.
dom0_log_bad() {
	local from=0
	[ -f "$XT_DOM0_LOG_MARK" ] && from=$(cat "$XT_DOM0_LOG_MARK")
	dmesg | tail -n +"$((from + 1))" | kreport_filter dom0
}

# kreport_filter WHERE: the bad lines (BAD_KERNEL_RE) of a kernel log on
# stdin. On the debug kernel the log is first cut into reports (from
# "cut here" or a first bad line to the end of the stack dump or "end
# trace", at most 400 lines), and
# a report that matches a known finding of intree-findings is appended
# to results/findings.log (with WHERE and the finding's name) instead
# of being printed. Lines matching XT_PEER_RE, when a caller sets it
# (what a hostile peer makes a kernel print: hostile-lib.sh), are left
# out.
XT_FINDINGS=$(dirname "${BASH_SOURCE[0]}")/intree-findings
kreport_filter() {
	if [ "${RIG_KERNEL:-debian}" != debug ]; then
		grep -E "$BAD_KERNEL_RE" | grep -vE "${XT_PEER_RE:-^\$}"
		return
	fi
	awk -v bad="$BAD_KERNEL_RE" -v where="$1" -v known="$XT_FINDINGS" \
	    -v out="${XT_RESULTS%/*}/findings.log" -v peer="${XT_PEER_RE:-}" '
	BEGIN {
		while ((getline l < known) > 0) {
			if (l ~ /^#/ || split(l, f, "\t") < 2)
				continue
			nk++; kname[nk] = f[1]; kre[nk] = f[2]
		}
		# A console is read by several checks: a report already
		# recorded (its first lines, time stamps included) is not
		# recorded again.
		k = -1
		while ((getline l < out) > 0) {
			if (l ~ /^== /) {
				if (k >= 0)
					seen[key] = 1
				k = 0; key = ""
			} else if (k >= 0 && k < 3) {
				key = key l "\n"; k++
			}
		}
		if (k >= 0)
			seen[key] = 1
		close(out)
	}
	function flush(  i, j, one) {
		if (n == 0)
			return
		one = ""
		for (i = 1; i <= n; i++)
			one = one " " buf[i]
		for (j = 1; j <= nk; j++)
			if (one ~ kre[j]) {
				key = ""
				for (i = 1; i <= n && i <= 3; i++)
					key = key buf[i] "\n"
				if (key in seen) {
					n = 0
					return
				}
				seen[key] = 1
				printf "== %s: %s\n", where, kname[j] >> out
				printf "known finding %s in %s (results/findings.log)\n", kname[j], where > "/dev/stderr"
				for (i = 1; i <= n; i++)
					print buf[i] >> out
				n = 0
				return
			}
		for (i = 1; i <= n; i++)
			if (buf[i] ~ bad)
				print buf[i]
		n = 0
	}
	{
		if (peer != "" && $0 ~ peer)
			next
		if (n > 0 && $0 ~ /cut here/)
			flush()
		if (n == 0 && ($0 ~ /cut here/ || $0 ~ bad)) {
			n = 1; buf[1] = $0
		} else if (n > 0) {
			buf[++n] = $0
		}
		if (n > 0 && ($0 ~ /<\/TASK>|---\[ end (trace|Kernel panic)/ || n >= 400))
			flush()
	}
	END { flush() }'
}

# xlt ARGS: xl with a time limit, for the commands that wait on a
# backend or a guest (create, destroy, network-attach/-detach).
xlt() {
	timeout 120 xl "$@"
}

# ---- netback -----------------------------------------------------------

domus_destroy_all() {
	local d
	for d in $(xl list | awk 'NR > 2 { print $1 }'); do
		xlt destroy "$d" >/dev/null 2>&1
	done
	wait_for "all domUs gone" 60 sh -c '[ "$(xl list | wc -l)" -le 2 ]'
}

# netback_use ours|intree [module parameters...]: (re)load the backend.
# Destroys every domU first, since a backend with vifs cannot unload.
netback_use() {
	local which=$1
	shift
	domus_destroy_all || return 1
	if [ -d /sys/module/xen_netback ]; then
		timeout 60 rmmod xen-netback || return 1
	fi
	case "$which" in
	ours)	insmod "$OURS/xen-netback.ko" "$@" || return 1 ;;
	intree)	modprobe xen-netback "$@" || return 1 ;;
	*)	echo "netback_use: ours or intree, not '$which'" >&2; return 1 ;;
	esac
	NETBACK_NOW=$which
	netback_is "$which"
}

# netback_is ours|intree: the loaded backend is the one asked for. Ours
# is out of tree, so the kernel marks it with the O taint flag.
netback_is() {
	local t
	t=$(cat /sys/module/xen_netback/taint 2>/dev/null) || return 1
	case "$1" in
	ours)	[[ "$t" == *O* ]] ;;
	intree)	[[ "$t" != *O* ]] ;;
	esac
}

# save_dir: the directory for xl save images, a tmpfs of its own
# (mounted at the first call). dom0's root is its initramfs, a tmpfs at
# half of dom0's memory that the image already fills most of: a guest's
# memory image and check-full's 64 MiB files do not fit in it together.
XT_SAVE_DIR=/var/tmp/xt-save
save_dir() {
	mkdir -p "$XT_SAVE_DIR" || return 1
	mountpoint -q "$XT_SAVE_DIR" ||
		mount -t tmpfs -o size=640m xt-save "$XT_SAVE_DIR" || return 1
	echo "$XT_SAVE_DIR"
}

# ---- domUs -------------------------------------------------------------

# The vif hotplug script of the guests whose tests are about the
# drivers, not about the toolstack's scripts: it puts the vif on the
# bridge, brings it up and says so in xenstore (the backend connects only
# after hotplug-status = connected), as vif-bridge does, without the
# dozens of processes vif-bridge starts, each slow under emulation.
# 10-baseline, 20-smoke, 70-features, 80-package and the second kernel's
# scripts keep the toolstack's vif-bridge. libxl passes the interface in
# $vif, the bridge in $bridge and the backend path in $XENBUS_PATH; a
# failure fails the xl command.
XT_VIF_SCRIPT=/tmp/xt-vif-bridge.sh
cat >"$XT_VIF_SCRIPT" <<'SCRIPT'
#!/bin/sh
case "$1" in
online|add)
	ip link set dev "$vif" master "${bridge:-xenbr0}" &&
		ip link set dev "$vif" up &&
		xenstore-write "$XENBUS_PATH/hotplug-status" connected || exit 1 ;;
esac
exit 0
SCRIPT
chmod +x "$XT_VIF_SCRIPT"
# The vif spec of those guests.
XT_VIF="bridge=xenbr0,script=$XT_VIF_SCRIPT"

# domu_create NAME [key=value...]
#   vcpus=N (1)  mem=MB (256)  front=ours|intree|none (intree)
#   fq=N         frontend max_queues (0: module default)
#   idx=N        address index: 198.18.0.(10+N), 2001:2::(10+N) (1)
#   vif=SPEC     xl vif spec (bridge=xenbr0); vif2=SPEC adds a second
#   vifs=LIST    the whole vif list, quoted items ("a", "b"), instead
#   kernel=ABI   boot the guest on that kernel (its vmlinuz and domU
#                initramfs from /host/guests/ABI/); default dom0's own
#   via=CMD      create with CMD CONFIG instead of xl create (for
#                xen-vifctl); its exit status is left in DOMU_CREATE_RC
#                and a non-zero one is not a failure if the domain exists
# Waits (bounded) for the domU's agent, then prints nothing; use
# domid NAME for its id.
domu_create() {
	local name=$1 vcpus=1 mem=256 front=intree fq=0 idx=1 vif="bridge=xenbr0" vif2=""
	local kv cfg vifs="" via="" kern=$DOMU_KERNEL initrd=$DOMU_INITRD pow
	local -a cmd=(xl create)
	shift
	for kv in "$@"; do
		case "$kv" in
		vcpus=*) vcpus=${kv#*=} ;;
		mem=*) mem=${kv#*=} ;;
		front=*) front=${kv#*=} ;;
		fq=*) fq=${kv#*=} ;;
		idx=*) idx=${kv#*=} ;;
		vif=*) vif=${kv#*=} ;;
		vif2=*) vif2=${kv#*=} ;;
		vifs=*) vifs=${kv#*=} ;;
		via=*) via=${kv#*=} ;;
		kernel=*)
			if [ "${kv#*=}" != "$(uname -r)" ]; then
				kern=$HOST/guests/${kv#*=}/vmlinuz
				initrd=$HOST/guests/${kv#*=}/domU.cpio.gz
				[ -f "$kern" ] || { echo "domu_create: no guest kernel ${kv#*=} in the share" >&2; return 1; }
			fi ;;
		*) echo "domu_create: unknown $kv" >&2; return 1 ;;
		esac
	done
	cfg=/tmp/$name.cfg
	# A warning panics the guest, as it does dom0, except the in-tree
	# netfront's on the debug kernel: its known findings
	# (intree-findings) are recorded and the guest goes on.
	pow=panic_on_warn=1
	[ "${RIG_KERNEL:-debian}" = debug ] && [ "$front" = intree ] && pow=
	[ -n "$vifs" ] || vifs="\"$vif\"${vif2:+, \"$vif2\"}"
	cat >"$cfg" <<-CFG
	name = "$name"
	type = "pv"
	kernel = "$kern"
	ramdisk = "$initrd"
	extra = "console=hvc0 quiet panic_on_oops=1 $pow xnet.front=$front xnet.fq=$fq xnet.ip=$(domu_ip "$idx") xnet.ip6=$(domu_ip6 "$idx")"
	memory = $mem
	vcpus = $vcpus
	vif = [ $vifs ]
	on_crash = "preserve"
	on_poweroff = "destroy"
	CFG
	rm -f "$CONSOLE_DIR/guest-$name.log"
	[ -n "$via" ] && read -ra cmd <<<"$via"
	# (xl create runs the vifs' hotplug scripts; on the debug kernel
	# three guests created at once took 4 minutes to come up.)
	local limit=120
	[ "${RIG_KERNEL:-debian}" = debug ] && limit=360
	timeout "$limit" "${cmd[@]}" "$cfg" >/tmp/"$name".create.log 2>&1
	DOMU_CREATE_RC=$?
	if [ "$DOMU_CREATE_RC" -ne 0 ] && { [ -z "$via" ] || ! domid "$name" >/dev/null; }; then
		cat /tmp/"$name".create.log >&2
		return 1
	fi
	wait_for "$name's agent to report ready in xenstore" 180 \
		sh -c "[ \"\$(xenstore-read /local/domain/\$(xl domid $name)/data/agent)\" = ready ]" || {
		domu_console "$name" | tail -n 30 >&2
		return 1
	}
}

domu_ip() { echo "198.18.0.$((10 + $1))"; }
domu_ip6() { echo "2001:2::$((10 + $1))"; }
# domid NAME: the domain's id. xl is slow to start under emulation, so
# the id is kept in /tmp/xt-domid/NAME and checked against the name
# xenstore has for it (a restored domain gets a new id).
domid() {
	local f=/tmp/xt-domid/$1 d
	if [ -f "$f" ]; then
		d=$(<"$f")
		if [ "$(xenstore-read "/local/domain/$d/name" 2>/dev/null)" = "$1" ]; then
			echo "$d"
			return 0
		fi
	fi
	d=$(xl domid "$1" 2>/dev/null) || { rm -f "$f"; return 1; }
	mkdir -p /tmp/xt-domid
	echo "$d" >"$f"
	echo "$d"
}

domu_console() {
	cat "$CONSOLE_DIR/guest-$1.log" 2>/dev/null
}

# domu_exec NAME CMD [TIMEOUT]: run CMD (a shell string) in the domU;
# prints its output (last 3.5 kB), returns its exit status.
domu_exec() {
	local name=$1 cmd=$2 limit=${3:-120} d seq base end i
	d=$(domid "$name") || { echo "domu_exec: no domain $name" >&2; return 1; }
	base=/local/domain/$d/data
	seq=$(( $(xenstore-read $base/cmd-seq) + 1 ))
	xenstore-write -R $base/cmd "$cmd" || return 1
	xenstore-write $base/cmd-seq "$seq" || return 1
	# Most commands answer within a second or two: poll rc-seq every
	# 0.1 s for the first 2 s. Then wait on a watch of rc-seq, at most
	# a second at a time: a change that lands before the watch is set
	# costs that second, no more.
	end=$(( $(date +%s) + limit ))
	for i in $(seq 20); do
		[ "$(xenstore-read $base/rc-seq)" = "$seq" ] && break
		sleep 0.1
	done
	while [ "$(xenstore-read $base/rc-seq)" != "$seq" ]; do
		if [ "$(date +%s)" -ge "$end" ]; then
			echo "gave up after ${limit}s waiting for: $name to run '$cmd'" >&2
			return 124
		fi
		timeout 1 xenstore-watch -n 2 $base/rc-seq >/dev/null 2>&1
	done
	xenstore-read -R $base/out
	return "$(xenstore-read $base/rc)"
}

# domu_alive NAME...: each domain exists and has not crashed (one xl
# list for all of them); DOMU_DEAD names those that are not.
domu_alive() {
	local l
	l=$(xl list 2>/dev/null)
	DOMU_DEAD=$(awk -v names="$*" 'BEGIN { n = split(names, w, " "); for (i = 1; i <= n; i++) want[w[i]] = 1 }
		NR > 1 && ($1 in want) { seen[$1] = 1; if ($5 ~ /c/) print $1 }
		END { for (n in want) if (!(n in seen)) print n }' <<<"$l")
	[ -z "$DOMU_DEAD" ]
}

# domu_console_bad NAME: print bad kernel lines from its console (on
# the debug kernel, but for known findings: kreport_filter).
domu_console_bad() {
	domu_console "$1" | kreport_filter "guest $1"
}

# domu_destroy NAME: destroy it; fails if its console shows an oops or
# a warning, or if it had crashed.
domu_destroy() {
	local name=$1 bad rc=0 d
	d=$(domid "$name")
	domu_alive "$name" || { echo "$name crashed or vanished" >&2; rc=1; }
	bad=$(domu_console_bad "$name")
	if [ -n "$bad" ]; then
		echo "$name console:" >&2
		echo "$bad" | head -n 20 >&2
		rc=1
	fi
	xlt destroy "$name" >/dev/null 2>&1
	if [ -n "$d" ]; then
		wait_for "$name to disappear" 60 sh -c "! xenstore-exists /local/domain/$d" || rc=1
	fi
	return $rc
}

# ---- xenstore helpers --------------------------------------------------

fe_path() { echo "/local/domain/$(domid "$1")/device/vif/${2:-0}"; }
be_path() { echo "/local/domain/0/backend/vif/$(domid "$1")/${2:-0}"; }

# xs_keys PATH: the key names directly under PATH, sorted.
xs_keys() { xenstore-list "$1" 2>/dev/null | sort; }

# fe_layout_ok NAME QUEUES [DEVID] [strict]: the frontend's directory
# has the multi-queue layout for QUEUES: flat ring/channel keys for 1,
# else queue-0..queue-(Q-1) with those keys and none at the top. Unless
# "strict" (our netfront) is asked for, two leftovers of the in-tree
# netfront are tolerated: multi-queue-num-queues = 1 with one queue
# (it writes the key), and queue-N directories of an earlier connection
# with N >= QUEUES (it never removes them when it reconnects with fewer
# queues; the backend reads only the queues the count names).
fe_layout_ok() {
	local name=$1 q=$2 dev=${3:-0} strict=${4:-} p top n sub k
	p=$(fe_path "$name" "$dev")
	top=$(xs_keys "$p")
	if [ -z "$strict" ]; then
		top=$(awk -v q="$q" '!/^queue-[0-9]+$/ || substr($0, 7) + 0 < (q > 1 ? q : 0)' <<<"$top")
	fi
	if [ "$q" -eq 1 ]; then
		for k in tx-ring-ref rx-ring-ref; do
			grep -qx "$k" <<<"$top" || { echo "missing $p/$k" >&2; return 1; }
		done
		grep -qE '^event-channel(-tx|-rx)?$' <<<"$top" ||
			{ echo "no event channel at $p" >&2; return 1; }
		if grep -qE '^queue-[0-9]+$' <<<"$top" ||
		   { grep -qx multi-queue-num-queues <<<"$top" &&
		     { [ -n "$strict" ] || [ "$(xenstore-read "$p/multi-queue-num-queues")" != 1 ]; }; }; then
			echo "single queue but $p has multi-queue keys:" >&2
			echo "$top" >&2
			return 1
		fi
		return 0
	fi
	[ "$(xenstore-read "$p/multi-queue-num-queues")" = "$q" ] ||
		{ echo "$p/multi-queue-num-queues is not $q" >&2; return 1; }
	if grep -qE '^(tx-ring-ref|rx-ring-ref|event-channel(-tx|-rx)?)$' <<<"$top"; then
		echo "ring keys at the top of $p with $q queues" >&2
		return 1
	fi
	[ "$(grep -cE '^queue-[0-9]+$' <<<"$top")" -eq "$q" ] ||
		{ echo "$p does not have exactly $q queue-N dirs" >&2; echo "$top" >&2; return 1; }
	for ((n = 0; n < q; n++)); do
		sub=$(xs_keys "$p/queue-$n")
		for k in tx-ring-ref rx-ring-ref; do
			grep -qx "$k" <<<"$sub" || { echo "missing $p/queue-$n/$k" >&2; return 1; }
		done
		grep -qE '^event-channel(-tx|-rx)?$' <<<"$sub" ||
			{ echo "no event channel in $p/queue-$n" >&2; return 1; }
	done
}

# ---- traffic -----------------------------------------------------------

# ping_ok NAME: dom0 reaches the domU over IPv4.
ping_ok() {
	ping -c 3 -i 0.3 -W 5 "$(domu_ip "${2:-1}")" >/dev/null
}

# iperf NAME IDX STREAMS DIR(tx|rx) [SECONDS]: run iperf3 from dom0 to
# the domU's server; prints the receiver's Mbit/s. DIR is from the
# guest's point of view: tx = guest sends (iperf3 -R), rx = guest gets.
# SECONDS defaults to IPERF_SECS (1 in make check, 3 in check-full).
iperf() {
	local idx=$2 streams=$3 dir=$4 secs=${5:-$IPERF_SECS} rev="" out mbps
	[ "$dir" = tx ] && rev=-R
	out=$(timeout $((secs + 40)) iperf3 -c "$(domu_ip "$idx")" -P "$streams" -t "$secs" \
		$rev -f m --connect-timeout 5000 2>&1) || {
		echo "$out" | tail -n 5 >&2
		return 1
	}
	mbps=$(echo "$out" | awk '/receiver/ { v = $(NF-2) } END { print v }')
	[ -n "$mbps" ] || { echo "$out" | tail -n 5 >&2; return 1; }
	echo "$mbps"
}

# iperf_ok NAME IDX STREAMS DIR: iperf3 completes with non-zero rate.
iperf_ok() {
	local r
	r=$(iperf "$@") || return 1
	echo "iperf3 $3 stream(s) guest-$4: $r Mbit/s"
	awk -v r="$r" 'BEGIN { exit !(r > 0) }'
}

# domu_queues_are NAME Q [tx]: the guest's eth0 has Q tx and Q rx
# queues in sysfs. With "tx" only the tx queues are checked: the in-tree
# netfront sets the real number of tx queues only, so its rx-N entries
# stay at the count it allocated (its own max_queues).
domu_queues_are() {
	local got want="$2 $2"
	got=$(domu_exec "$1" 'echo $(ls -d /sys/class/net/eth0/queues/tx-* | wc -l) $(ls -d /sys/class/net/eth0/queues/rx-* | wc -l)')
	[ "${3:-}" = tx ] && { got=${got%% *}; want=$2; }
	[ "$got" = "$want" ] || { echo "eth0 has tx/rx queues '$got', wanted '$want'" >&2; return 1; }
}

# queue_sum STATS N [KEY]: in ethtool -S output STATS, queue N's
# counter qN_KEY, or without KEY the sum of its qN_*packets counters.
queue_sum() {
	awk -v q="q${2}_" -v k="${3:+q${2}_$3:}" '
		k != "" { if ($1 == k) t += $2; next }
		index($1, q) == 1 && $1 ~ /packets:$/ { t += $2 }
		END { print t + 0 }' <<<"$1"
}

# queue_stats_busy STATS Q BEFORE WHAT: in ethtool -S output STATS, each
# of the queues q0..q(Q-1) counts more packets (queue_sum) than in
# BEFORE (an earlier output; none: 0).
queue_stats_busy() {
	local s=$1 q=$2 before=$3 what=$4 n now was
	for ((n = 0; n < q; n++)); do
		now=$(queue_sum "$s" "$n")
		was=$(queue_sum "$before" "$n")
		if [ "$now" -le "$was" ]; then
			echo "no new packets on queue $n of $what ($was before, $now now):" >&2
			grep -E "^\s*q${n}_" <<<"$s" >&2
			return 1
		fi
	done
}

# queues_all_busy WHERE Q [BEFORE]: ethtool -S shows packets on each of
# the Q queues (more than in BEFORE, an earlier ethtool -S output, when
# given). WHERE is a vif in dom0 (vifD.N, our netback) or a domU's name
# (its eth0, our netfront); the in-tree drivers have no per-queue
# counters in ethtool -S (the in-tree backend has them in debugfs).
queues_all_busy() {
	local s what
	case "$1" in
	vif[0-9]*)
		s=$(ethtool -S "$1") || return 1
		what=$1 ;;
	*)
		s=$(domu_exec "$1" "ethtool -S eth0") || return 1
		what="the guest's eth0" ;;
	esac
	queue_stats_busy "$s" "$2" "${3:-}" "$what"
}

# sha_blob SIZE_MB: a file of SIZE_MB random MiB that dom0's HTTP
# server (port 8080, started here) serves as /blob-SIZE_MB, with its
# sha256 in FILE.sha; prints the file's path.
sha_blob() {
	local blob=/tmp/www/blob-$1
	mkdir -p /tmp/www
	if [ ! -f "$blob.sha" ]; then
		head -c $(($1 << 20)) /dev/urandom >"$blob"
		sha256sum <"$blob" | cut -d' ' -f1 >"$blob.sha"
	fi
	pgrep -f 'busybox httpd -p 8080' >/dev/null ||
		busybox httpd -p 8080 -h /tmp/www
	echo "$blob"
}

# sha_roundtrip NAME IDX SIZE_MB: a file of random bytes goes dom0 ->
# domU and domU -> dom0 over HTTP, and both copies keep their sha256.
# The random file is made once per size and reused.
sha_roundtrip() {
	local name=$1 idx=$2 mb=$3 want got ip blob
	ip=$(domu_ip "$idx")
	blob=$(sha_blob "$mb")
	want=$(cat "$blob.sha")
	got=$(domu_exec "$name" "wget -q -O /tmp/www/back http://$BRIDGE_IP:8080/${blob##*/} && sha256sum </tmp/www/back | cut -d' ' -f1" 300) || {
		echo "domU could not fetch the blob: $got" >&2
		return 1
	}
	[ "$got" = "$want" ] || { echo "dom0->domU sha256 mismatch: $got vs $want" >&2; return 1; }
	got=$(timeout 300 busybox wget -q -O - "http://$ip:8080/back" | sha256sum | cut -d' ' -f1)
	domu_exec "$name" "rm -f /tmp/www/back" >/dev/null
	[ "$got" = "$want" ] || { echo "domU->dom0 sha256 mismatch: $got vs $want" >&2; return 1; }
}

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
