# SPDX-License-Identifier: GPL-2.0
#
# The one list of what a kernel or Xen prints when it went down, read
# by both sides of the rig: the host (rig/rig-lib.sh) stops a boot and
# measure/hostile-report-host.sh names a case a crash when the serial
# console shows it; in dom0, lib.sh fails a test when dom0's kernel log
# or a guest's console shows it or any other sign of a bug
# (BAD_KERNEL_RE below). The serial console is scanned for the fatal
# part only: dom0 panics on an oops or a warning anyway (panic_on_oops,
# panic_on_warn), and a soft lockup there fails the script through the
# kernel-log check without cutting the rest of the boot short.
# shellcheck shell=bash disable=SC2034

# Linux's panic, Xen's panic, trap and BUG lines.
CRASH_RE='Kernel panic|Panic on CPU|FATAL TRAP|Xen BUG'
# Any of those, or any other oops, warning or sanitizer report.
BAD_KERNEL_RE="Oops|BUG:|WARNING:|$CRASH_RE|general protection fault|Call Trace:|RIP: 0010|soft lockup|hung_task|refcount_t:|UBSAN:|KASAN:"
