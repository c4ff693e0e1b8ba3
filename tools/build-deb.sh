#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian source package and its two binary packages
# (xen-netmq-dkms, xen-netmq-tools), built from a copy of the tree so
# that nothing is written into it, then checked with lintian.
#
# Usage: tools/build-deb.sh [OUTDIR]   (default: out/deb in the tree)
#
# OUTDIR receives the .deb, .dsc, .tar.xz, .buildinfo and .changes
# files and lintian.log; whatever was there before is removed. The
# build directory under OUTDIR is removed after a successful build and
# kept after a failed one. The build dependencies (debian/control) and
# lintian come from host-packages.sh in the rig, or from apt-get.
#
# Exit status: 0 built and lintian reported no error or warning (the
# tags the packages override are explained in debian/); 1 otherwise.
set -euo pipefail

TREE=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TREE/out/deb}

log() { echo "# deb: $*"; }

for t in dpkg-buildpackage dpkg-parsechangelog lintian rst2man dh dh_dkms; do
	command -v "$t" >/dev/null || {
		echo "build-deb.sh: $t missing; install debhelper dh-dkms dpkg-dev python3-docutils lintian" >&2
		exit 1
	}
done

src=$(dpkg-parsechangelog -l "$TREE/debian/changelog" -SSource)
ver=$(dpkg-parsechangelog -l "$TREE/debian/changelog" -SVersion)

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# An OUTDIR inside the tree (out/, or an XNET_OUT there) stays out of
# the copy.
skip=
case "$OUT/" in
"$TREE"/*) skip=${OUT#"$TREE"/}/ ;;
esac
find "$OUT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
BUILD=$OUT/build
COPY=$BUILD/$src-$ver
mkdir -p "$COPY"

# The copy: the files git tracks, as they are in the work tree (a new
# file must be git-added first), so build products, run output and
# stray files stay behind. Outside a git work tree, the whole tree
# without out/, OUTDIR, .git and kernel build products.
if git -C "$TREE" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$TREE" && git ls-files -z --cached |
		xargs -0 -r sh -c 'for f; do
			case "$f" in "$0"?*) continue ;; esac
			[ -e "$f" ] && printf "%s\0" "$f"
		done' "${skip:-/}" |
		tar -c --null -T - -f -) | tar -x -C "$COPY" -f -
else
	tar -c -C "$TREE" --exclude=./out ${skip:+--exclude="./${skip%/}"} --exclude=./.git --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude=Module.symvers --exclude=modules.order -f - . | tar -x -C "$COPY" -f -
fi

log "building $src $ver in $BUILD"
if ! (cd "$COPY" && dpkg-buildpackage -us -uc -sa) >"$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log"
	echo "build-deb.sh: dpkg-buildpackage failed; full log in $OUT/build.log, tree in $COPY" >&2
	exit 1
fi
find "$BUILD" -maxdepth 1 -type f -exec mv -t "$OUT" {} +
rm -rf "$BUILD"

changes=$OUT/${src}_${ver}_$(dpkg-architecture -qDEB_BUILD_ARCH).changes
log "lintian $changes"
rc=0
lintian --info --display-info --pedantic --show-overrides --fail-on error,warning \
	"$changes" >"$OUT/lintian.log" 2>&1 || rc=$?
cat "$OUT/lintian.log"
if [ "$rc" -ne 0 ]; then
	echo "build-deb.sh: lintian reported errors or warnings (exit $rc)" >&2
	exit 1
fi
log "lintian: no error or warning"
ls -1 "$OUT"/*.deb | sed 's/^/# deb: built /'
