#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the build and the rig need on the host (Debian 12), and
# resolve the kernel ABI versions of the two supported kernels.
#
# The bookworm-backports suite is added with the URI the machine's own
# apt sources already use for bookworm, so no mirror is named here.
#
# Prints shell assignments on stdout:
#   RIG_ABI=6.1.0-NN-amd64     (Debian 12's linux-image-amd64)
#   BPO_ABI=6.12.NN+bpo-amd64  (bookworm-backports' linux-image-amd64)
# Everything else goes to stderr.
set -euo pipefail

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

add_backports() {
	local uri
	if apt-cache policy 2>/dev/null | grep -q 'bookworm-backports'; then
		return 0
	fi
	uri=$(debian_uri | head -n1)
	if [ -z "$uri" ]; then
		log "no bookworm apt source found; cannot add bookworm-backports"
		return 1
	fi
	log "adding bookworm-backports from $uri"
	cat >/etc/apt/sources.list.d/xen-netmq-backports.sources <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	APT_UPDATED=0
}

APT_UPDATED=${APT_UPDATED:-0}
apt_update() {
	if [ "$APT_UPDATED" = 0 ]; then
		log "apt-get update"
		apt-get update -q >&2
		APT_UPDATED=1
	fi
}

# Name of the package the metapackage depends on, e.g.
# linux-image-6.1.0-56-amd64; $1 is an apt target release or "".
resolve_abi() {
	local rel=$1 pkg ver
	if [ -n "$rel" ]; then
		ver=$(apt-cache policy linux-image-amd64 | awk -v r="$rel" '
			/^ [ *]{3}[0-9]/ { v = $NF == "" ? $2 : $(NF-1); cand = $0 }
			index($0, r) { print prev; exit } { prev = $0 }' |
			awk '{ print ($1 == "***") ? $2 : $1 }')
		[ -n "$ver" ] || return 1
		pkg=$(apt-cache show "linux-image-amd64=$ver" |
			sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1)
	else
		pkg=$(apt-cache depends linux-image-amd64 |
			sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1)
	fi
	[ -n "$pkg" ] || return 1
	echo "${pkg#linux-image-}"
}

main() {
	need_root
	# Two rigs starting together must not race for apt's lock.
	exec 8>/var/lock/xen-netmq-host-packages.lock
	flock 8
	local missing=() p
	for p in qemu-system-x86 qemu-utils debootstrap cpio busybox-static sparse \
		 dkms linux-source-6.1 xz-utils kmod gcc make bc flex bison libelf-dev \
		 libxen-dev; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	add_backports || true
	apt_update
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
	fi

	local rig bpo=""
	rig=$(resolve_abi "") || { log "cannot resolve linux-image-amd64"; exit 1; }
	bpo=$(resolve_abi bookworm-backports) || bpo=""
	for p in "linux-headers-$rig" ${bpo:+"linux-headers-$bpo"}; do
		if ! dpkg -s "$p" >/dev/null 2>&1; then
			log "installing $p"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >&2
		fi
	done
	echo "RIG_ABI=$rig"
	echo "BPO_ABI=$bpo"
}

main "$@"
