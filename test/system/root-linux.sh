#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# System test: Debian's own Linux kernel (fetched from the Debian archive by
# tools/fetch-linux) boots as the root partition on CPU 0 while the in-tree
# RTOS runs in both RT partitions; the RTOS reports must go on during the
# Linux boot, and the memory map Linux is given must hold no RAM of the
# hypervisor (16-80 MiB) or of the RTOS partitions and links (512-546 MiB).
# Skips (77) when no kernel could be fetched.
#   root-linux.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: root-linux.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
linux=$build/linux
"$top/tools/fetch-linux" "$linux" >/dev/null
if [ ! -s "$linux/vmlinuz" ] || [ ! -s "$linux/initrd.gz" ]; then
	echo "skipped: no Debian kernel could be fetched"
	exit 77
fi
iso=$build/images/root-linux.iso
# The root's CPUs keep their APIC in xAPIC mode (without interrupt
# remapping Linux turns a pre-enabled x2APIC off); the RTOS CPUs use x2APIC.
"$top/tools/mkimage" --hv "$build/bulkhead.elf" \
	--module "$build/partitions/qemu-x86_64-demo.bin" bulkhead-table \
	--module "$linux/vmlinuz" "linux bh_devmem=0x20000000" --module "$linux/initrd.gz" initrd \
	--module "$build/partitions/rtos/rtos.elf" rtos1 --module "$build/partitions/rtos/rtos.elf" rtos2 \
	--cmdline "console=com1,115200" --timeout 0 --iso "$iso" >/dev/null || exit 1
exec "$top/test/system/boot-test.sh" --name root-linux \
	--expect 'partition "root" \(id 0\).*checks passed' \
	--expect 'linux: partition "root": kernel protocol 2\.[0-9]+ at 0x' \
	--expect 'Bulkhead: the boot CPU enters the root partition "root"' \
	--expect 'apic: xAPIC mode \(kept for the Linux root' \
	--expect '\[rtos1\] rtos rtos1: x2APIC, timer' \
	--expect '\[rtos2\] rtos rtos2: x2APIC, timer' \
	--expect '\[root\] \[ *[0-9.]+\] Linux version 6\.' \
	--expect '\[root\] \[ *[0-9.]+\] Command line: console=ttyS0,115200' \
	--expect '\[root\] \[ *[0-9.]+\] Run /init as init process' \
	--order '\[root\] \[ *[0-9.]+\] Linux version' '\[rtos1\] rtos rtos1: latency ns' \
	--order '\[root\] \[ *[0-9.]+\] Linux version' '\[rtos2\] rtos rtos2: latency ns' \
	--expect 'BIOS-e820: \[mem 0x0000000005000000-0x000000001fffffff\] usable' \
	--absent 'BIOS-e820: \[mem 0x00000000(0[1-4]|2[01])[0-9a-f]{6}-0x[0-9a-f]+\] usable' \
	--absent 'FAILED' --absent 'CPU exception' --absent 'Kernel panic' \
	-- "$top/tools/run-qemu" --firmware bios --iso "$iso" \
	--until "ROOT-INIT: done" --timeout 300
