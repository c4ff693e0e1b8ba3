#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the rig's dom0 after /init mounted the host share on /host.
# Brings up the Xen control plane, the bridge, then runs what the mode
# of /host/config (XNET_MODE) names in the table of modes (/host/modes,
# tools/testing/modes: its dom0 column) and writes the completion token
# the host waits for. Any failure to get that far leaves the token unwritten, which the
# host reports as a failure (fail closed).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RES=/host/results
mkdir -p "$RES"

say() { echo "XNET-RIG: $*" >/dev/hvc0; echo "# dom0: $*" >>"$RES/boot.log"; }

die() {
	say "boot failed: $*"
	dmesg >"$RES/dom0-dmesg.log" 2>&1
	busybox poweroff -f
}

# /dev/fd for process substitution and for tools that open it (dkms).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
modprobe xenfs || die "modprobe xenfs"
mount -t xenfs xenfs /proc/xen || die "mount xenfs"
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd bridge; do
	modprobe "$m" || die "modprobe $m"
done

XBIN=/usr/lib/xen-4.17/bin
mkdir -p /var/lib/xenstored /var/log/xen/console /var/run/xen
"$XBIN/xenstored" --pid-file /var/run/xenstored.pid || die "xenstored"
"$XBIN/xenconsoled" --log=guest --log-dir=/var/log/xen/console \
	--pid-file=/var/run/xenconsoled.pid || die "xenconsoled"
"$XBIN/xen-init-dom0" >>"$RES/boot.log" 2>&1 || die "xen-init-dom0"

ip link set lo up
brctl addbr xenbr0 || die "bridge"
brctl setfd xenbr0 0
ip addr add 198.18.0.1/24 dev xenbr0
ip -6 addr add 2001:2::1/64 dev xenbr0 nodad
ip link set xenbr0 up
sysctl -qw net.ipv6.conf.xenbr0.accept_dad=0 2>/dev/null
# Guest traffic crosses the bridge; keep it out of netfilter.
sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null

say "dom0 up: $(uname -r), $(nproc) vcpus, $(awk '/MemTotal/ { print $2 }' /proc/meminfo) kB"
echo up >"$RES/booted"

# shellcheck source=/dev/null
. /host/config
run=$(awk -v m="${XNET_MODE:-check}" '!/^#/ && $1 == m { print $4 }' /host/modes)
[ -n "$run" ] || die "mode '${XNET_MODE:-}' is not in /host/modes"
# Every mode starts in the selftests' directory (scripts of the script
# mode may source ./lib.sh).
cd /host/selftests/xen-net || die "no selftests"
/bin/bash "/host/$run" >"$RES/suite.log" 2>&1
rc=$?

xl dmesg >"$RES/xen-dmesg.log" 2>&1
dmesg >"$RES/dom0-dmesg.log" 2>&1
cp /var/log/xen/console/*.log "$RES/" 2>/dev/null
mkdir -p "$RES/xl-logs"
cp /var/log/xen/*.log "$RES/xl-logs/" 2>/dev/null
echo "$rc" >"$RES/suite.rc"
sync
echo XNET-SUITE-COMPLETE >"$RES/token"
sync
say "suite finished rc=$rc"
busybox poweroff -f
