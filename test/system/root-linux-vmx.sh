#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# System test on Intel VMX + EPT: Debian's own Linux kernel (tools/fetch-linux)
# boots as the root partition on CPUs 0-1 of the Bochs demo table
# (partitions/bochs-x86_64/demo.c; CPU 1 started by Linux with INIT and a
# start-up IPI, in real mode: unrestricted guest) under Bochs
# (corei7_skylake_x, 3 CPUs, 512 MiB) while the in-tree RTOS runs in rtos1
# on CPU 2. The root's /init
# reads rtos1's memory through /dev/mem (denied: all ones), then asks for a
# machine reset through port 0x92 (fast reset), which the hypervisor turns
# into a restart of the root alone.
# Asserted: the VMX back end, Linux up to its /init, the denied read and its
# report, the reset request answered by a restart of the root (Bochs itself
# never resets: a second boot of the firmware would show a second GRUB menu
# entry line), rtos1 reporting before Linux starts, during its boot and after
# the restart, and the root's exits by reason up to the restart. About 5
# minutes; label "extended". Skips (77) without Bochs or a Debian kernel.
#   root-linux-vmx.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: root-linux-vmx.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
linux=$build/linux
command -v bochs >/dev/null || {
	echo "skipped: bochs is not installed"
	exit 77
}
"$top/tools/fetch-linux" "$linux" >/dev/null
if [ ! -s "$linux/vmlinuz" ] || [ ! -s "$linux/initrd.gz" ]; then
	echo "skipped: no Debian kernel could be fetched"
	exit 77
fi
name=root-linux-vmx
args="bh_devmem=0x10000000 bh_reset=sysctl bh_reset_wait=1"
iso=$build/images/$name.iso
"$top/tools/mkimage" --hv "$build/bulkhead.elf" \
	--module "$build/partitions/bochs-x86_64-demo.bin" bulkhead-table \
	--module "$linux/vmlinuz" "linux $args" --module "$linux/initrd.gz" initrd \
	--module "$build/partitions/rtos/rtos.elf" "rtos1 report_every=1000" \
	--cmdline "console=com1,115200" --timeout 0 --iso "$iso" >/dev/null || exit 1

"$top/test/system/boot-test.sh" --name "$name" \
	--expect 'virt: VMX back end, stage 2 by EPT' \
	--expect 'partition "root": executable memory in 4 KiB EPT pages \(CVE-2018-12207' \
	--expect 'linux: partition "root": kernel protocol 2\.[0-9]+ at 0x' \
	--expect 'Bulkhead: the boot CPU enters the root partition "root"' \
	--expect '\[rtos1\] rtos rtos1: x2APIC, timer vector 0x[0-9a-f]+ in TSC-deadline mode' \
	--expect "\[root\] \[ *[0-9.]+\] Command line: console=ttyS0,115200 $args" \
	--expect 'cpu1: partition "root" vCPU 1 starts at 0x[0-9a-f]+ \(start-up IPI\)' \
	--expect '\[root\] \[ *[0-9.]+\] smpboot: Total of 2 processors activated' \
	--expect '\[root\] ROOT-INIT: nproc=2 ' \
	--expect '\[root\] ROOT-DEVMEM: 0x10000000 = 0xFFFFFFFF' \
	--expect 'partition "root": read of 0x10000000 \(memory of rtos1\) denied: reads as all ones' \
	--expect '\[root\] ROOT-RESET: attack 1: sysctl ' \
	--expect 'partition "root": reboot request \(fast reset, port 0x92 = 0x01\)' \
	--expect 'partition "root" vCPU 0: [0-9]+ exits since the partition first started: cpuid [0-9]+ .*io [0-9]+' \
	--expect 'partition "root" vCPU 1: [0-9]+ exits since the partition first started: ' \
	--expect 'partition "root" \(id 0\) restarted \(restart 1\); no other partition was touched' \
	--order '\[rtos1\] rtos rtos1: latency ns' '\[root\] \[ *[0-9.]+\] Linux version' \
	--order '\[root\] \[ *[0-9.]+\] Linux version' '\[rtos1\] rtos rtos1: latency ns' \
	--order 'restarted \(restart 1\)' '\[rtos1\] rtos rtos1: latency ns' \
	--order 'ROOT-RESET: attack 1: sysctl' 'reboot request \(fast reset' \
	--absent 'FAILED' --absent 'CPU exception' --absent 'Kernel panic' \
	--absent 'ROOT-RESET: sysctl: the root still runs' --absent 'invalid opcode' \
	--absent 'unchecked MSR access error: RDMSR from 0xe[78]' \
	-- "$top/tools/run-bochs" --iso "$iso" --cpus 3 --mem 512 \
	--until 'restarted \(restart 1\)' --until 'rtos1: latency ns' --until 'rtos1: latency ns' \
	--until 'rtos1: latency ns' --timeout 900 || exit 1
log=${BULKHEAD_LOG_DIR:-$PWD/logs}/$name.log
# the firmware ran once: the reset request never reached the machine
boots=$(grep -c 'booted via Multiboot2' "$log")
if [ "$boots" -ne 1 ]; then
	echo "FAIL: Bulkhead booted $boots times: the machine was reset"
	exit 1
fi
grep -a 'exits since the partition first started' "$log" | sed 's/^/root-linux-vmx: /'
