#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict over the driver sources. checkpatch.pl comes from
# Debian's linux-source-6.1 package (installed by host-packages.sh); the
# few files it needs are unpacked once into the cache.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
CP=${XNET_CACHE:-/var/cache/xen-netmq}/checkpatch
TAR=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | head -n1)

if [ ! -x "$CP/scripts/checkpatch.pl" ]; then
	[ -n "$TAR" ] || { echo "checkpatch.sh: linux-source package missing" >&2; exit 1; }
	rm -rf "$CP"
	mkdir -p "$CP"
	tar -C "$CP" --strip-components=1 -xaf "$TAR" --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

cd "$REPO"
# CAMELCASE: the drivers use the kernel's own names for the XenBus
# states (enum xenbus_state: XenbusStateConnected, ...), which come from
# the Xen ABI header and are CamelCase; checkpatch cannot tell them from
# names of our own.
run() {
	perl "$CP/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,CAMELCASE "$@" 2>&1 |
		grep -E ': (ERROR|WARNING|CHECK):' || true
}
# Driver sources: the full --strict set.
drv=$(ls netfront/*.[ch] netback/*.[ch] 2>/dev/null | grep -v "\.mod\.c$")
# compat/ (compat.h and the header shims under compat/include/) is
# where version tests belong by design.
# include/xen/interface/ is the Xen public ABI header, kept in Xen's
# portable style (uint16_t, no BIT()) like every copy of it; not linted.
compat=$(find compat -name '*.h' | sort)
# shellcheck disable=SC2086
bad="$(run -f $drv)$(run --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_WITH_FLOW_CONTROL -f $compat)"
if [ -n "$bad" ]; then
	echo "$bad"
	exit 1
fi
echo "checkpatch --strict: $(echo $drv | wc -w) driver files and compat/ clean"
