#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the tools the build and the rig need on the host (Debian 12),
# and unpack the kernel headers of the two supported kernels into the
# cache, never onto the host.
#
# Tools (QEMU, debootstrap, compilers, sparse, ...) are installed with
# apt-get and named in one line before the install. Kernel packages are
# never installed: Debian's 6.12 headers depend on the 6.12 image, and
# installing that would change what the host boots. Instead the headers
# packages (arch, common and kbuild) are downloaded and unpacked with
# dpkg -x under $XNET_CACHE/headers/, their absolute paths rewritten to
# the unpacked tree, and the modules are built against that tree.
#
# Kernel and Xen packages are resolved through a private apt state in
# $XNET_CACHE/apt: the machine's own sources plus bookworm-backports,
# taken with the URI the machine already uses for bookworm, so neither
# the host's apt configuration nor its package lists change, and no
# mirror is named here.
#
# Prints shell assignments on stdout:
#   KAPT_CONFIG=FILE           the private apt configuration (APT_CONFIG)
#   RIG_ABI=6.1.0-NN-amd64     (Debian 12's linux-image-amd64)
#   RIG_KDIR=DIR               its unpacked headers
#   BPO_ABI=6.12.NN+deb12-amd64 (bookworm-backports' linux-image-amd64)
#   BPO_KDIR=DIR               its unpacked headers (empty if unavailable)
# Everything else goes to stderr.
set -euo pipefail

CACHE_ROOT=${XNET_CACHE:-/var/cache/xen-netmq}
# gcc-12 is the compiler both kernels name in .kernelvariables; dwarves
# (pahole) is run by 6.12's module link (BTF); libxen-dev
# builds the hostile peers; linux-source-6.1 gives checkpatch; clang
# and linux-libc-dev (UAPI headers) build the selftests' XDP programs;
# debhelper, dh-dkms, dpkg-dev, python3-docutils (rst2man) and lintian
# build and check the Debian packages (make deb).
TOOLS="qemu-system-x86 qemu-utils debootstrap cpio busybox-static sparse
linux-source-6.1 xz-utils kmod gcc gcc-12 make bc dwarves libxen-dev
clang linux-libc-dev debhelper dh-dkms dpkg-dev python3-docutils lintian"

log() { echo "# host: $*" >&2; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "host-packages.sh: needs root for apt-get" >&2
		exit 1
	fi
}

# The first deb URI serving a bookworm suite, from either source format.
debian_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk '
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") found = uri }
			/^$/ { uri = "" }
			END { if (found != "") print found }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$f" ] || continue
		awk '$1 == "deb" && $3 == "bookworm" { print $2 }' "$f"
	done
}

install_tools() {
	local missing=() p
	for p in $TOOLS; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	log "installing tool packages: ${missing[*]}"
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# kapt_setup: the private apt state; sets KAPT_CONFIG. Its lists are
# refreshed once a day (or when missing).
kapt_setup() {
	local d=$CACHE_ROOT/apt uri f
	mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial"
	KAPT_CONFIG=$d/apt.conf
	# The machine's own sources, except the backports file an earlier
	# version of this script added to the host.
	rm -f "$d"/parts/*
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		[ "${f##*/}" = xen-netmq-backports.sources ] && continue
		cp "$f" "$d/parts/"
	done
	if [ -e /etc/apt/sources.list ]; then
		cp /etc/apt/sources.list "$d/sources.list"
	else
		: >"$d/sources.list"
	fi
	uri=$(debian_uri | head -n1)
	if [ -n "$uri" ]; then
		cat >"$d/parts/xen-netmq-backports.sources" <<-SRC
		Types: deb
		URIs: $uri
		Suites: bookworm-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		SRC
	else
		log "no bookworm apt source found; the second kernel is not available"
	fi
	cat >"$KAPT_CONFIG" <<-CONF
	Dir::Etc::SourceList "$d/sources.list";
	Dir::Etc::SourceParts "$d/parts";
	Dir::State::Lists "$d/lists";
	Dir::Cache "$d/cache";
	APT::Sandbox::User "root";
	CONF
	if [ -z "$(find "$d/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
		log "apt-get update (private lists for kernel packages)"
		APT_CONFIG=$KAPT_CONFIG apt-get update -q >&2
	fi
}

kapt_cache() { APT_CONFIG=$KAPT_CONFIG apt-cache "$@"; }

# Version of linux-image-amd64 from release $1 ("" = the default
# candidate), then the ABI its image package carries.
resolve_abi() {
	local rel=$1 ver pkg
	if [ -n "$rel" ]; then
		ver=$(kapt_cache madison linux-image-amd64 |
			awk -F'|' -v r="$rel" 'index($3, r "/") { gsub(/ /, "", $2); print $2; exit }')
	else
		ver=$(kapt_cache policy linux-image-amd64 | awk '/Candidate:/ { print $2 }')
	fi
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
	pkg=$(kapt_cache show "linux-image-amd64=$ver" |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1)
	[ -n "$pkg" ] || return 1
	echo "${pkg#linux-image-}"
}

# headers_tree ABI: unpack linux-headers-ABI with the common and kbuild
# packages it depends on into the cache; prints the build directory.
headers_tree() {
	local abi=$1 ver dep common kbuild key dir tmp f
	ver=$(kapt_cache policy "linux-headers-$abi" | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || { log "no linux-headers-$abi"; return 1; }
	dep=$(kapt_cache show "linux-headers-$abi=$ver" | sed -n 's/^Depends: //p' | head -n1)
	common=$(tr ',' '\n' <<<"$dep" | grep -oE 'linux-headers-[^ ]+-common' | head -n1)
	kbuild=$(tr ',' '\n' <<<"$dep" | grep -oE 'linux-kbuild-[^ ]+' | head -n1)
	[ -n "$common" ] && [ -n "$kbuild" ] || { log "cannot read the dependencies of linux-headers-$abi"; return 1; }
	key=$abi-$ver
	dir=$CACHE_ROOT/headers/$key
	if [ ! -f "$dir/complete" ]; then
		log "unpacking linux-headers-$abi $ver ($common, $kbuild) into $dir"
		rm -rf "$dir"
		tmp=$dir/debs
		mkdir -p "$tmp" "$dir/root"
		(cd "$tmp" && APT_CONFIG=$KAPT_CONFIG apt-get download -q \
			"linux-headers-$abi=$ver" "$common=$ver" "$kbuild=$ver" >&2)
		for f in "$tmp"/*.deb; do
			dpkg -x "$f" "$dir/root"
		done
		rm -rf "$tmp"
		# The arch tree includes the common tree's Makefile by its
		# absolute path; point it into the unpacked copy.
		sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" \
			"$dir/root/usr/src/linux-headers-$abi/Makefile"
		# lib/modules/ABI/{build,source} are absolute links: make them
		# relative so they resolve inside the copy.
		for f in build source; do
			[ -L "$dir/root/lib/modules/$abi/$f" ] || continue
			ln -sfn "../../../usr/src/$(basename "$(readlink "$dir/root/lib/modules/$abi/$f")")" \
				"$dir/root/lib/modules/$abi/$f"
		done
		[ -f "$dir/root/usr/src/linux-headers-$abi/.config" ] ||
			{ log "unpacked headers of $abi have no .config"; return 1; }
		touch "$dir/complete"
	fi
	echo "$dir/root/usr/src/linux-headers-$abi"
}

main() {
	need_root
	# Two rigs starting together must not race for apt's lock or for
	# the unpacked trees.
	exec 8>/var/lock/xen-netmq-host-packages.lock
	flock 8
	mkdir -p "$CACHE_ROOT"
	install_tools
	kapt_setup

	local rig bpo="" rkdir bkdir="" keep f
	rig=$(resolve_abi "") || { log "cannot resolve linux-image-amd64"; exit 1; }
	bpo=$(resolve_abi bookworm-backports) || bpo=""
	rkdir=$(headers_tree "$rig")
	if [ -n "$bpo" ]; then
		bkdir=$(headers_tree "$bpo") || bkdir=""
	fi
	# Keep only the trees in use.
	keep="${rkdir%/root/*} ${bkdir%/root/*}"
	for f in "$CACHE_ROOT"/headers/*; do
		[ -d "$f" ] || continue
		[[ " $keep " == *" $f "* ]] || rm -rf "$f"
	done
	echo "KAPT_CONFIG=$KAPT_CONFIG"
	echo "RIG_ABI=$rig"
	echo "RIG_KDIR=$rkdir"
	echo "BPO_ABI=$bpo"
	echo "BPO_KDIR=$bkdir"
}

main "$@"
