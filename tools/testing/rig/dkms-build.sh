#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh DEB KDIR: build the module source that the
# xen-netmq-dkms package DEB installs under /usr/src, the way DKMS
# does, for the kernel whose headers are KDIR, without installing
# anything: the package is unpacked into a temporary directory, its
# dkms.conf is read as DKMS reads it (a bash fragment, with
# kernel_source_dir and kernelver set), MAKE[0] runs in the source
# tree, and every BUILT_MODULE_NAME[i] must then be in
# BUILT_MODULE_LOCATION[i] with the package's version and KDIR's
# kernel release in its modinfo. make check's host test of the
# package; 80-package.sh (make check-full) installs it in dom0 with
# DKMS itself.
#
# Exit status: 0 when both modules were built as described, 1 otherwise.
set -uo pipefail

deb=${1:?usage: dkms-build.sh DEB KDIR}
kdir=${2:?usage: dkms-build.sh DEB KDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dpkg-deb -x "$deb" "$tmp/root" || exit 1
conf=$(find "$tmp/root/usr/src" -mindepth 2 -maxdepth 2 -name dkms.conf | head -n 1)
[ -n "$conf" ] || { echo "$deb has no /usr/src/*/dkms.conf" >&2; exit 1; }
src=${conf%/dkms.conf}
# The release a module's vermagic carries (and uname -r, DKMS's
# kernelver): UTS_RELEASE. Debian 12's 6.1 headers answer "make
# kernelrelease" with the upstream version instead.
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$krel" ] || { echo "no kernel release from $kdir" >&2; exit 1; }
echo "package source ${src#"$tmp/root"}, kernel $krel"

# DKMS sources dkms.conf with these set.
# shellcheck disable=SC2034
kernel_source_dir=$kdir kernelver=$krel arch=$(uname -m)
PACKAGE_NAME="" PACKAGE_VERSION=""
declare -a MAKE BUILT_MODULE_NAME BUILT_MODULE_LOCATION DEST_MODULE_LOCATION
# shellcheck disable=SC1090
. "$conf" || exit 1
if [ -z "$PACKAGE_NAME" ] || [ -z "$PACKAGE_VERSION" ]; then
	echo "dkms.conf names no PACKAGE_NAME or PACKAGE_VERSION" >&2
	exit 1
fi
[ "${src##*/}" = "$PACKAGE_NAME-$PACKAGE_VERSION" ] ||
	{ echo "source directory ${src##*/} is not $PACKAGE_NAME-$PACKAGE_VERSION, as DKMS expects" >&2; exit 1; }
[ ${#BUILT_MODULE_NAME[@]} -gt 0 ] || { echo "dkms.conf names no module" >&2; exit 1; }

echo "MAKE[0]: ${MAKE[0]}"
(cd "$src" && eval "${MAKE[0]}") >"$tmp/make.log" 2>&1 ||
	{ tail -n 20 "$tmp/make.log" >&2; exit 1; }

rc=0
for i in "${!BUILT_MODULE_NAME[@]}"; do
	ko=$src/${BUILT_MODULE_LOCATION[$i]:-}/${BUILT_MODULE_NAME[$i]}.ko
	if [ ! -f "$ko" ]; then
		echo "${BUILT_MODULE_NAME[$i]}.ko is not in ${BUILT_MODULE_LOCATION[$i]:-.}" >&2
		rc=1
		continue
	fi
	v=$(modinfo -F version "$ko")
	m=$(modinfo -F vermagic "$ko")
	echo "${BUILT_MODULE_NAME[$i]}: version $v, vermagic $m, to ${DEST_MODULE_LOCATION[$i]:-?}"
	[ "$v" = "$PACKAGE_VERSION" ] ||
		{ echo "${BUILT_MODULE_NAME[$i]}: version '$v', the package is $PACKAGE_VERSION" >&2; rc=1; }
	[ "${m%% *}" = "$krel" ] ||
		{ echo "${BUILT_MODULE_NAME[$i]}: built for '${m%% *}', not $krel" >&2; rc=1; }
done
exit $rc
