#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/xen-vifctl without Xen: stub xl, xenstore-* and id commands go
# first in PATH. The stub xenstore is a directory tree (one directory per
# node, the value in its .v file); writing a request-<key> node into a
# vif backend directory runs a stub backend that adopts or rejects it the
# way our netback does (STUB_BACKEND=ignore: like the in-tree netback).
#
#   tools/testing/vifctl/test.sh      prints "N passed, N failed"
set -uo pipefail

TOOL=$(cd "$(dirname "$0")/../.." && pwd)/xen-vifctl
STUB=$(mktemp -d "${TMPDIR:-/tmp}/vifctl-test.XXXXXX") || exit 1
trap 'rm -rf "$STUB"' EXIT
export STUB
mkdir -p "$STUB/bin"

# ---- stubs -----------------------------------------------------------------

cat >"$STUB/bin/xenstore-read" <<'EOF'
#!/bin/bash
[[ -d $STUB/xs$1 ]] || { echo "xenstore-read: couldn't read path $1" >&2; exit 1; }
[[ ! -f $STUB/xs$1/.v ]] || cat "$STUB/xs$1/.v"
EOF
cat >"$STUB/bin/xenstore-exists" <<'EOF'
#!/bin/bash
[[ -d $STUB/xs$1 ]]
EOF
cat >"$STUB/bin/xenstore-list" <<'EOF'
#!/bin/bash
[[ -d $STUB/xs$1 ]] || { echo "xenstore-list: couldn't list path $1" >&2; exit 1; }
ls -1 "$STUB/xs$1"
EOF
cat >"$STUB/bin/xenstore-rm" <<'EOF'
#!/bin/bash
[[ -d $STUB/xs$1 ]] || { echo "xenstore-rm: could not remove path $1" >&2; exit 1; }
rm -rf "${STUB:?}/xs$1"
EOF
cat >"$STUB/bin/xenstore-write" <<'EOF'
#!/bin/bash
# xenstore-write PATH VALUE, then the stub backend for request- nodes
set -u
set_node() { mkdir -p "$STUB/xs$1" && printf '%s\n' "$2" >"$STUB/xs$1/.v"; }
set_node "$1" "$2"
echo "$1 $2" >>"$STUB/writes.log"
[[ $1 == /local/domain/0/backend/vif/*/*/request-* ]] || exit 0
[[ ${STUB_BACKEND:-ours} != ignore ]] || exit 0

be=${1%/request-*}
key=${1##*/request-}
val=$2
reject() { set_node "$be/error/request-$key" "$*"; exit 0; }
case $key in
multi-queue-max-queues) max=4 ;;
feature-sg | feature-gso-tcpv4 | feature-gso-tcpv6 | \
feature-ipv6-csum-offload | feature-split-event-channels | \
feature-ctrl-ring | rx-follows-tx) max=1 ;;
feature-multicast-control) max=0 ;;
*) reject "unknown feature $key" ;;
esac
[[ $val =~ ^[0-9]+$ ]] || reject "'$val' is not a number"
[[ $key != multi-queue-max-queues || $val != 0 ]] || reject "0 is below the minimum 1"
((val == 0 || max > 0)) || reject "this backend cannot enable $key"
((val <= max)) || reject "$val is above this backend's maximum $max"
# pending once the frontend has read the features
fe=$(cat "$STUB/xs$be/frontend/.v")
[[ $(cat "$STUB/xs$be/state/.v") != 4 ]] || exit 0
[[ $(cat "$STUB/xs$fe/state/.v") != [34] ]] || exit 0
rm -rf "${STUB:?}/xs$1" "$STUB/xs$be/error/request-$key"
set_node "$be/$key" "$((10#$val))"
EOF
cat >"$STUB/bin/id" <<'EOF'
#!/bin/bash
[[ $* == -u ]] || exec /usr/bin/id "$@"
echo "${STUB_UID:-0}"
EOF
cat >"$STUB/bin/xl" <<'EOF'
#!/bin/bash
# xl create [-p] CFG [overrides], domid, domname, unpause, destroy.
# create makes one vif per devid in STUB_VIFS (default 0).
set -u
set_node() { mkdir -p "$STUB/xs$1" && printf '%s\n' "$2" >"$STUB/xs$1/.v"; }
cmd=$1
shift
case $cmd in
create)
	paused=0
	if [[ $1 == -p ]]; then
		paused=1
		shift
	fi
	cfg=$1
	shift
	echo "create$([[ $paused == 1 ]] && echo " -p") CFG $*" >>"$STUB/xl.log"
	echo "$cfg" >"$STUB/created.path"
	cp "$cfg" "$STUB/created.cfg"
	name=$(sed -n "s/^name *= *[\"']\([^\"']*\)[\"'].*/\1/p" "$cfg")
	printf '%s\n' "$@" >"$STUB/created.args"
	for o in "$@"; do
		[[ ! $o =~ ^name=[\"\'](.*)[\"\']$ ]] || name=${BASH_REMATCH[1]}
	done
	[[ -z ${STUB_XL_FAIL-} ]] || { echo "libxl: error: stub failure" >&2; exit 1; }
	id=$(cat "$STUB/nextid")
	echo $((id + 1)) >"$STUB/nextid"
	mkdir -p "$STUB/dom/$id"
	echo "$name" >"$STUB/dom/$id/name"
	[[ $paused == 1 ]] && echo paused >"$STUB/dom/$id/status" ||
		echo running >"$STUB/dom/$id/status"
	for dev in ${STUB_VIFS:-0}; do
		fe=/local/domain/$id/device/vif/$dev
		be=/local/domain/0/backend/vif/$id/$dev
		set_node "$fe/backend" "$be"
		set_node "$fe/state" 1
		set_node "$be/frontend" "$fe"
		set_node "$be/state" 2
		set_node "$be/multi-queue-max-queues" 4
		set_node "$be/feature-sg" 1
		set_node "$be/feature-gso-tcpv4" 1
		set_node "$be/feature-ctrl-ring" 1
	done
	;;
domid)
	echo "domid $*" >>"$STUB/xl.log"
	for d in "$STUB"/dom/*; do
		[[ -d $d && $(cat "$d/name") == "$1" ]] || continue
		basename "$d"
		exit 0
	done
	echo "Can't get domid of domain name '$1', maybe this domain does not exist." >&2
	exit 1
	;;
domname)
	echo "domname $*" >>"$STUB/xl.log"
	[[ -d $STUB/dom/$1 ]] || { echo "Can't get domain name of domain id '$1', maybe this domain does not exist." >&2; exit 1; }
	cat "$STUB/dom/$1/name"
	;;
unpause)
	echo "unpause $*" >>"$STUB/xl.log"
	[[ -d $STUB/dom/$1 ]] || exit 1
	echo running >"$STUB/dom/$1/status"
	;;
destroy)
	echo "destroy $*" >>"$STUB/xl.log"
	[[ -d $STUB/dom/$1 ]] || exit 1
	rm -rf "${STUB:?}/dom/$1" "$STUB/xs/local/domain/$1" \
		"$STUB/xs/local/domain/0/backend/vif/$1"
	;;
*)
	echo "xl: stub does not know '$cmd'" >&2
	exit 1
	;;
esac
EOF
chmod +x "$STUB"/bin/*
export PATH=$STUB/bin:$PATH
unset XL XENSTORE_READ XENSTORE_WRITE XENSTORE_LIST XENSTORE_RM XENSTORE_EXISTS
unset STUB_BACKEND STUB_UID STUB_VIFS STUB_XL_FAIL

# ---- helpers ---------------------------------------------------------------

PASS=0
FAIL=0
N=0

reset_stub() {
	rm -rf "${STUB:?}/xs" "$STUB/dom" "$STUB"/*.log "$STUB"/created.*
	mkdir -p "$STUB/xs" "$STUB/dom"
	echo 1 >"$STUB/nextid"
	: >"$STUB/xl.log"
	: >"$STUB/writes.log"
}

# vifctl ARGS: run the tool; RC, OUT, ERR
vifctl() {
	"$TOOL" "$@" >"$STUB/out" 2>"$STUB/err" </dev/null
	RC=$?
	OUT=$(cat "$STUB/out")
	ERR=$(cat "$STUB/err")
}

# check NAME GOT WANT: one test point
check() {
	N=$((N + 1))
	if [[ $2 == "$3" ]]; then
		PASS=$((PASS + 1))
		echo "ok $N - $1"
	else
		FAIL=$((FAIL + 1))
		echo "not ok $N - $1"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") |
			sed -n 's/^[<>].*/#   &/p'
	fi
}

xs() { cat "$STUB/xs$1/.v" 2>/dev/null || echo "(absent)"; }
xs_set() { mkdir -p "$STUB/xs$1" && printf '%s\n' "$2" >"$STUB/xs$1/.v"; }
file() { cat "$1" 2>/dev/null; }

BE=/local/domain/0/backend/vif

# ---- help and usage ----------------------------------------------------------

reset_stub
vifctl --help
check "--help exits 0" "$RC" 0
check "--help prints the usage" "$(head -1 "$STUB/out")" \
	"Usage: xen-vifctl create [-t SECS] [--force] CONFIG [KEY=VALUE...]"
vifctl create -h
check "create -h exits 0" "$RC" 0
vifctl
check "no command: exit 2" "$RC" 2
check "no command: message" "$(head -1 "$STUB/err")" \
	"xen-vifctl: no command given"
vifctl frob
check "unknown command: exit 2" "$RC" 2
vifctl create -t x g.cfg
check "bad -t: exit 2" "$RC:$(head -1 "$STUB/err")" \
	"2:xen-vifctl: -t wants a whole number of seconds, 1 or more"

# ---- create: config rewriting and key mapping ----------------------------------

reset_stub
cat >"$STUB/g1.cfg" <<'EOF'
# a guest
name = "g1"
memory = 256
vif = [ "bridge=xenbr0,queues=2,features=sg:0;gso-tcpv4:0",   # first, "x"
	'mac=00:16:3e:00:00:01, queues=3,bridge=xenbr0',
	"bridge=xenbr0",
	"devid=7,features=ctrl-ring:0;feature-ipv6-csum-offload:0;multi-queue-max-queues:1;rx-follows-tx:1" ]
extra = "console=hvc0 queues=9"; on_crash = 'destroy'
disk = [ 'file:/x.img,xvda,w' ]
EOF
STUB_VIFS="0 1 2 7" vifctl create "$STUB/g1.cfg"
check "create: exit 0" "$RC" 0
check "create: config given to xl" "$(file "$STUB/created.cfg")" \
'# a guest
name = "g1"
memory = 256
vif = [ "bridge=xenbr0",   # first, "x"
	'"'mac=00:16:3e:00:00:01,bridge=xenbr0'"',
	"bridge=xenbr0",
	"devid=7" ]
extra = "console=hvc0 queues=9"; on_crash = '"'destroy'"'
disk = [ '"'file:/x.img,xvda,w'"' ]'
check "create: keys written" "$(file "$STUB/writes.log")" \
"$BE/1/0/request-multi-queue-max-queues 2
$BE/1/0/request-feature-sg 0
$BE/1/0/request-feature-gso-tcpv4 0
$BE/1/1/request-multi-queue-max-queues 3
$BE/1/7/request-feature-ctrl-ring 0
$BE/1/7/request-feature-ipv6-csum-offload 0
$BE/1/7/request-multi-queue-max-queues 1
$BE/1/7/request-rx-follows-tx 1"
check "create: one line per vif" "$OUT" \
"vif 0: multi-queue-max-queues=2 feature-sg=0 feature-gso-tcpv4=0 adopted
vif 1: multi-queue-max-queues=3 adopted
vif 7: feature-ctrl-ring=0 feature-ipv6-csum-offload=0 multi-queue-max-queues=1 rx-follows-tx=1 adopted"
check "create: nothing on stderr" "$ERR" ""
check "create: xl calls" "$(file "$STUB/xl.log")" \
"create -p CFG 
domid g1
unpause 1"
check "create: adopted in xenstore" \
	"$(xs $BE/1/0/multi-queue-max-queues) $(xs $BE/1/0/feature-sg) $(xs $BE/1/0/request-feature-sg)" \
	"2 0 (absent)"
check "create: domain running" "$(file "$STUB/dom/1/status")" running
check "create: temporary config removed" \
	"$(test -e "$(file "$STUB/created.path")" && echo present)" ""

# overrides: a name and a whole vif list on the command line
reset_stub
printf 'name = "g1"\nvif = [ "bridge=xenbr0,features=sg:0" ]\n' >"$STUB/o.cfg"
vifctl create "$STUB/o.cfg" 'name="g2"' 'vif = [ "bridge=xenbr1,features=queues:2" ]'
check "override: exit 0" "$RC" 0
check "override: args given to xl" "$(file "$STUB/created.args")" \
'name="g2"
vif = [ "bridge=xenbr1" ]'
check "override: the override's vif list counts" "$(file "$STUB/writes.log")" \
	"$BE/1/0/request-multi-queue-max-queues 2"
check "override: name from the override" "$(sed -n 2p "$STUB/xl.log")" \
	"domid g2"

# a config without requests goes to xl as it is
reset_stub
printf 'name = "g3"\nvif = [ "bridge=xenbr0" ]\n' >"$STUB/plain.cfg"
vifctl create "$STUB/plain.cfg"
check "no requests: exit 0" "$RC" 0
check "no requests: plain xl create" "$(file "$STUB/xl.log")" "create CFG "
check "no requests: the config itself" "$(file "$STUB/created.path")" \
	"$STUB/plain.cfg"

# ---- create: bad items -----------------------------------------------------------

bad() {
	reset_stub
	printf 'name = "b"\nvif = [ "%s" ]\n' "$1" >"$STUB/bad.cfg"
	vifctl create "$STUB/bad.cfg"
	check "bad item '$1': exit 2, message" "$RC:$ERR" \
		"2:xen-vifctl: $STUB/bad.cfg: line 2: vif 0: bad item $2"
	check "bad item '$1': xl not run" "$(file "$STUB/xl.log")" ""
}
bad "queues=" '"queues=": empty value'
bad "bridge=xenbr0,queues=2 " '"queues=2 ": value "2 " contains whitespace, '"':' or ';'"
bad "features=" '"features=": no NAME:VALUE pairs'
bad "features=sg" '"features=sg": "sg" is not NAME:VALUE'
bad "features=:1" '"features=:1": empty name in ":1"'
bad "features=sg:" '"features=sg:": empty value'
bad "features=s_g:1" '"features=s_g:1": name "s_g" may only contain A-Z a-z 0-9 -'
bad "features=sg:1:2" '"features=sg:1:2": value "1:2" contains whitespace, '"':' or ';'"
bad "features=sg:0;" '"features=sg:0;": empty entry (stray '"';')"
bad "features=sg:0;feature-sg:1" \
	'"features=sg:0;feature-sg:1": feature-sg is requested twice for this vif'
bad "queues=2,features=queues:3" \
	'"features=queues:3": multi-queue-max-queues is requested twice for this vif'

reset_stub
printf 'name = "b"\nvif = [ "bridge=xenbr0,queues=2 ]\n' >"$STUB/bad.cfg"
vifctl create "$STUB/bad.cfg"
check "unterminated string: exit 2, message" "$RC:$ERR" \
	"2:xen-vifctl: $STUB/bad.cfg: line 2: unterminated string"

# ---- create: the backend rejects, or does not act -------------------------------

reset_stub
printf 'name = "r"\nvif = [ "bridge=xenbr0,queues=99,features=sg:0" ]\n' >"$STUB/r.cfg"
vifctl create "$STUB/r.cfg"
check "rejected: exit 1" "$RC" 1
check "rejected: reason and destroy" "$ERR" \
"xen-vifctl: vif 0: request-multi-queue-max-queues=99 rejected: 99 is above this backend's maximum 4
xen-vifctl: domain r (id 1) destroyed (--force would have started it anyway)"
check "rejected: domain destroyed" "$(file "$STUB/xl.log")" \
"create -p CFG 
domid r
destroy 1"
check "rejected: gone" "$(test -d "$STUB/dom/1" && echo present)" ""

# values are not judged by the tool: the backend says what is wrong
reset_stub
printf 'name = "r"\nvif = [ "queues=abc,features=frob:1;multicast-control:1" ]\n' >"$STUB/r.cfg"
vifctl create "$STUB/r.cfg"
check "verbatim values: exit 1" "$RC" 1
check "verbatim values: the backend's reasons" "$(head -3 "$STUB/err")" \
"xen-vifctl: vif 0: request-multi-queue-max-queues=abc rejected: 'abc' is not a number
xen-vifctl: vif 0: request-feature-frob=1 rejected: unknown feature feature-frob
xen-vifctl: vif 0: request-feature-multicast-control=1 rejected: this backend cannot enable feature-multicast-control"

reset_stub
printf 'name = "f"\nvif = [ "queues=0" ]\n' >"$STUB/f.cfg"
vifctl create --force "$STUB/f.cfg"
check "--force: exit 1" "$RC" 1
check "--force: reason, unpaused" "$ERR" \
"xen-vifctl: vif 0: request-multi-queue-max-queues=0 rejected: 0 is below the minimum 1
xen-vifctl: --force: domain f (id 1) unpaused with the backend's values in force"
check "--force: xl unpause, no destroy" "$(sed -n 3,\$p "$STUB/xl.log")" \
	"unpause 1"
check "--force: domain running, old value in force" \
	"$(file "$STUB/dom/1/status") $(xs $BE/1/0/multi-queue-max-queues)" \
	"running 4"

reset_stub
printf 'name = "i"\nvif = [ "queues=2" ]\n' >"$STUB/i.cfg"
STUB_BACKEND=ignore vifctl create -t 1 "$STUB/i.cfg"
check "in-tree backend: exit 1" "$RC" 1
check "in-tree backend: message" "$(head -1 "$STUB/err")" \
	"xen-vifctl: vif 0: request-multi-queue-max-queues=2: the backend did not act on it within 1 s (the in-tree netback does not support request- keys)"
check "in-tree backend: destroyed" "$(sed -n 3p "$STUB/xl.log")" "destroy 1"

reset_stub
printf 'name = "x"\nvif = [ "queues=2" ]\n' >"$STUB/x.cfg"
STUB_XL_FAIL=1 vifctl create "$STUB/x.cfg"
check "xl create fails: exit 2" "$RC:$(tail -1 "$STUB/err")" \
	"2:xen-vifctl: xl create failed"

# ---- set ---------------------------------------------------------------------------

reset_stub
STUB_VIFS="0 1" "$STUB/bin/xl" create "$STUB/plain.cfg"
xs_set $BE/1/0/state 4
vifctl set g3 0 queues=2,features=sg:0
check "set while connected: exit 0" "$RC" 0
check "set while connected: pending" "$OUT" \
	"vif 0: multi-queue-max-queues=2 feature-sg=0 pending: takes effect when the vif next connects"
check "set while connected: keys stay" \
	"$(xs $BE/1/0/request-multi-queue-max-queues) $(xs $BE/1/0/multi-queue-max-queues)" \
	"2 4"

vifctl set g3 0 queues=9
check "set while connected, bad value: exit 1" "$RC" 1
check "set while connected, bad value: reason" "$ERR" \
	"xen-vifctl: vif 0: request-multi-queue-max-queues=9 rejected: 9 is above this backend's maximum 4"

vifctl set -t 2 1 1 features=gso-tcpv4:0
check "set by domid, not connected: exit 0" "$RC" 0
check "set by domid, not connected: adopted" "$OUT:$(xs $BE/1/1/feature-gso-tcpv4)" \
	"vif 1: feature-gso-tcpv4=0 adopted:0"

xs_set /local/domain/1/device/vif/1/state 3
vifctl set g3 1 features=sg:0
check "set while the frontend is Initialised: pending" "$RC:$OUT" \
	"0:vif 1: feature-sg=0 pending: takes effect when the vif next connects"
rm -rf "$STUB/xs$BE/1/1/request-feature-sg"
xs_set /local/domain/1/device/vif/1/state 1

vifctl set g3 0 bridge=xenbr1
check "set: other items refused" "$RC:$ERR" \
	'2:xen-vifctl: bad item "bridge=xenbr1": only queues= and features= can be set'
vifctl set g3 0 "features=sg"
check "set: bad item" "$RC:$ERR" \
	'2:xen-vifctl: bad item "features=sg": "sg" is not NAME:VALUE'
vifctl set g3 5 queues=2
check "set: no such vif" "$RC:$ERR" "2:xen-vifctl: domain g3 (id 1) has no vif 5"
vifctl set nope 0 queues=2
check "set: unknown domain" "$RC:$ERR" "2:xen-vifctl: no domain named 'nope'"
vifctl set g3 0
check "set: missing ITEM" "$RC" 2

# ---- show ----------------------------------------------------------------------------

vifctl show g3
check "show: exit 0" "$RC" 0
check "show: output" "$OUT" \
"domain g3 (id 1)
vif 0
  backend: $BE/1/0
  backend state: 4 (Connected)
  frontend multi-queue-num-queues: 1
  multi-queue-max-queues: 4
  feature-ctrl-ring: 1
  feature-gso-tcpv4: 1
  feature-sg: 1
  request-feature-sg: 0 (pending)
  request-multi-queue-max-queues: 9 (rejected)
  error/request-multi-queue-max-queues: 9 is above this backend's maximum 4
vif 1
  backend: $BE/1/1
  backend state: 2 (InitWait)
  frontend multi-queue-num-queues: 1
  multi-queue-max-queues: 4
  feature-ctrl-ring: 1
  feature-gso-tcpv4: 0
  feature-sg: 1"

xs_set /local/domain/1/device/vif/0/multi-queue-num-queues 2
vifctl show 1
check "show by domid: frontend queues" "$(sed -n 5p "$STUB/out")" \
	"  frontend multi-queue-num-queues: 2"

# a new request clears the old reason before the backend looks at it
vifctl set g3 0 queues=3
check "set again: pending, old reason gone" "$RC:$(xs $BE/1/0/error/request-multi-queue-max-queues)" \
	"0:(absent)"

vifctl show nope
check "show: unknown domain" "$RC:$ERR" "2:xen-vifctl: no domain named 'nope'"
vifctl show 42
check "show: unknown domid" "$RC:$ERR" "2:xen-vifctl: no domain with id 42"

# ---- replug ----------------------------------------------------------------------------

# Vifs as a reloaded netback leaves them: domain 1's vif 0 has a new
# interface and no hotplug-status, its vif 1 was plugged already;
# domain 2's vif 0 has no interface (no netback bound to it).
reset_stub
mkdir -p "$STUB/sys/vif-1-0/net/vif1.0" "$STUB/sys/vif-1-1/net/vif1.1"
export XEN_BACKEND_SYSFS=$STUB/sys
cat >"$STUB/bin/hotplug" <<'EOF'
#!/bin/bash
echo "$1 script=$script type=$XENBUS_TYPE path=$XENBUS_PATH base=$XENBUS_BASE_PATH vif=$vif netdev=$netdev" >>"$STUB/hotplug.log"
[[ -z ${STUB_HOTPLUG_MUTE-} ]] || exit 0
xenstore-write "/local/domain/0/$XENBUS_PATH/hotplug-status" connected
EOF
chmod +x "$STUB/bin/hotplug"
for v in 1/0 1/1 2/0; do
	xs_set "$BE/$v/state" 4
	xs_set "$BE/$v/script" "$STUB/bin/hotplug"
done
xs_set "$BE/1/1/hotplug-status" connected
xs_set "$BE/1/0/gatewaydev" eth9
mkdir -p "$STUB/dom/1" && echo g1 >"$STUB/dom/1/name"
vifctl replug g1
check "replug: exit 0" "$RC" 0
check "replug: the script ran once, as xl runs it" "$(file "$STUB/hotplug.log")" \
	"online script=$STUB/bin/hotplug type=vif path=backend/vif/1/0 base=backend vif=vif1.0 netdev=eth9"
check "replug: one line per vif" "$OUT" "vif 1.0: vif1.0 replugged by $STUB/bin/hotplug
vif 1.1: plugged already (connected)"
check "replug: hotplug-status" "$(xs $BE/1/0/hotplug-status)" connected

: >"$STUB/hotplug.log"
vifctl replug
check "replug all: domain 2's vif has no interface, exit 1" "$RC:$ERR" \
	"1:vif 2.0: no network interface (is xen-netback loaded?)"
check "replug all: nothing run again" "$(file "$STUB/hotplug.log")" ""

xs_set "$BE/1/0/state" 6
rm -rf "${STUB:?}/xs$BE/1/0/hotplug-status"
vifctl replug 1
check "replug: a Closed backend is skipped" "$RC:$(sed -n 1p "$STUB/out")" \
	"0:vif 1.0: backend is Closed, not waiting for its hotplug script; skipped"

xs_set "$BE/1/0/state" 2
STUB_HOTPLUG_MUTE=1 vifctl replug -t 1 g1
check "replug: a script that never says connected: exit 1" "$RC:$ERR" \
	"1:vif 1.0: $STUB/bin/hotplug ran but $BE/1/0/hotplug-status is not 'connected' after 1s"
vifctl replug -x
check "replug: unknown option" "$RC:$(head -1 "$STUB/err")" "2:xen-vifctl: replug: unknown option -x"
unset XEN_BACKEND_SYSFS

# ---- environment ------------------------------------------------------------------------

STUB_UID=1000 vifctl show g3
check "not root: exit 2" "$RC:$ERR" \
	"2:xen-vifctl: must be run as root (xl and xenstore need it)"
XL=/nonexistent/xl vifctl show g3
check "no xl: exit 2" "$RC:$ERR" \
	"2:xen-vifctl: /nonexistent/xl not found (is the Xen toolstack, xen-utils, installed?)"

# ---- shellcheck, when installed -----------------------------------------------------------

if command -v shellcheck >/dev/null; then
	check "shellcheck" "$(shellcheck "$TOOL" "$0" 2>&1)" ""
fi

echo "$PASS passed, $FAIL failed"
((FAIL == 0))
