#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# System tests: Debian's own Linux kernel (fetched from the Debian archive by
# tools/fetch-linux) boots as the root partition on CPUs 0-1 of the demo
# table (partitions/qemu-x86_64/demo.c) while the in-tree RTOS runs in rtos1
# and rtos2 on CPUs 2 and 3 (rtos1 reports every 200 ms, rtos2 every second,
# so rtos1 reports before Linux starts). The machine has a second NIC at
# 00:03.0 that the table gives rtos1. Skips (77) when no kernel could be fetched.
#   root-linux.sh BUILD_DIR MODE
# MODE:
#   bios, ovmf  the root's /init reports nproc, its RAM, its PCI functions,
#               reads rtos1's memory through /dev/mem (bios: and the
#               registers of rtos1's NIC, BAR0 and its I/O BAR, inside the
#               root's windows: denied), tries to move a BAR
#               of its NIC onto rtos1's memory and to aim an MSI-X entry of
#               it at rtos1's CPU, to unmask rtos1's IOAPIC pin (COM2), to
#               raise an SMI the FADT does not list (0xb2 = 0xa5), to aim
#               HPET timer 2 at rtos1's input 3, at FSB delivery and its route
#               (bh_hpet: dropped, reported, unchanged; Linux's own HPET
#               writes all pass), then
#               loads e1000e and brings eth0 up;
#               asserted: 2 CPUs, RAM as the table says, rtos1's NIC absent,
#               the probe denied and reported, the BAR, MSI-X, IOAPIC and
#               SMI_CMD writes dropped (the SMI one reported, the root going on), the NIC's MSI-X interrupts delivered (through the
#               trapped table), RTOS reports before, during and after
#   reboot      with its NIC up (e1000e, MSI-X), the root asks for a reboot:
#               the root restarts (a second Linux boot with both CPUs, the NIC
#               and its interrupts working again), the machine is not reset
#               (QEMU runs with -no-reboot), the RTOS reports go on throughout
#   poweroff    the root asks for a power-off: the root stops, the RTOS
#               partitions keep reporting
#   msr         the root reads MSRs through /dev/cpu/N/msr on both CPUs: ones the
#               policy reads from the hardware and one it refuses. QEMU's TCG
#               returns 0 for every MSR it does not model instead of raising
#               #GP, so no MSR of the policy faults there (on real hardware
#               0x1a0 and 0xce do on AMD, 0xc0010010 on Intel); the hypervisor
#               runs with fault_test=rootmsr, which makes root_msr() execute
#               the root's read of 0xce as a read of x2APIC register 0x803, an
#               access QEMU and real CPUs refuse with #GP while the APIC is in
#               xAPIC mode (the root's CPUs' are). Asserted: the hook ran on
#               both CPUs, the root got an error (#GP: EIO) for 0xce and for
#               the refused MSR, values for the others, it goes on to the end
#               of its /init, the RTOS partitions report afterwards, and the
#               hypervisor took no exception (before the fix-up table, the
#               first read halted the hypervisor's CPU 0 with a #GP)
#   rogue-reset a rogue root tries every way it has to reset or power off the
#               machine through ports, one attack per boot across root restarts
#               (bh_reset= in /init; BH_RESET_KINDS overrides the list):
#               0x92 = 0x01 (fast reset), 0x64 = 0xfe, 0x64 = 0xf0 (pulse), 0x64 =
#               0xd1 then 0x60 = 0xfe (output port), 0xcf9 = 0x06, outw 0xfe00 to
#               0x63 (straddles into 0x64), and last outl 0x20000000 to 0x602
#               (straddles into PM1a_CNT 0x604: SLP_EN). Asserted for each: one
#               hypervisor line naming the path, the root restarted (the last:
#               stopped), never "still runs" after the attack, QEMU never reset
#               (it runs with -no-reboot: a machine reset ends it before the
#               last --until), and at least 10 s of reports from both RTOS
#               partitions after each attack (10 of rtos2, 50 of rtos1)
#   watchdog    the root's own TCO watchdog (root_ich.c): a write to the chipset's
#               RCRB (HPET configuration) and to SMI_EN are dropped and reported;
#               Debian's lpc_ich + iTCO_wdt find "the" ICH9 TCO device, busybox
#               watchdog kicks it (-T 3: 5 ticks of 0.6 s, a reset at the second
#               zero) for 12 s, then is killed without closing the device.
#               Asserted: no restart while kicked, then one hypervisor line
#               naming the TCO watchdog's second timeout, the root restarted
#               alone (QEMU runs with -no-reboot: had the hardware TCO been
#               reached, the machine reset would end the run), the new kernel
#               finds SECOND_TO_STS set in TCO2_STS, the RTOS partitions report
#               after the restart, and never "still up" after the kicks stopped
#   string-io   the root's bh-strio (test/system/root-strio.c) writes a marker
#               line to COM1 with rep outsb (16 bytes, then a longer string
#               crossing a page boundary), rep outsw and rep outsb, and reads
#               the line status register with rep insb. Asserted: the marker
#               arrives intact on the console, the LSR reads 0x60 eight times,
#               the root goes on ("ROOT-STRIO: done", the end of /init), the
#               RTOS partitions report afterwards
set -uo pipefail
build=${1:?usage: root-linux.sh BUILD_DIR MODE}
mode=${2:?usage: root-linux.sh BUILD_DIR MODE}
top=$(cd "$(dirname "$0")/../.." && pwd)
linux=$build/linux
"$top/tools/fetch-linux" "$linux" >/dev/null
if [ ! -s "$linux/vmlinuz" ] || [ ! -s "$linux/initrd.gz" ]; then
	echo "skipped: no Debian kernel could be fetched"
	exit 77
fi
# RAM the table gives the root: 16 MiB + 0x1b000000 + 0x5de00000 bytes
table_ram_kb=$(((16 << 20) + 0x1b000000 + 0x5de00000))
table_ram_kb=$((table_ram_kb / 1024))
firmware=bios
args='' hv_args=''
case "$mode" in
bios) args="bh_devmem=0x20000000,0xfebc0000 bh_inb=0xc000 bh_pcibar=0000:00:02.0 bh_msix=0000:00:02.0:3 bh_e1000e iomem=relaxed bh_ioapic=3 bh_smi=0xa5 bh_chipset bh_hpet bh_wdat=0x520" ;;
ovmf) firmware=ovmf args="bh_devmem=0x20000000 bh_pcibar=0000:00:02.0 bh_msix=0000:00:02.0:3 bh_e1000e iomem=relaxed bh_ioapic=3 bh_smi=0xa5 bh_chipset bh_hpet" ;;
reboot) args="bh_e1000e bh_reboot" ;;
poweroff) args="bh_poweroff" ;;
msr) args="bh_rdmsr=0xce,0x1a0,0xc0010010,0x8b,0xfe,0x2ff,0xc0011029" hv_args=" fault_test=rootmsr" ;;
string-io) args="bh_strio" ;;
watchdog) args="bh_wdt=3 iomem=relaxed" ;;
rogue-reset)
	kinds=${BH_RESET_KINDS:-sysctl,kbc-fe,kbc-pulse,kbc-outport,cf9,kbc-straddle,pm1-straddle}
	args="bh_reset=$kinds bh_reset_wait=10"
	;;
*) echo "root-linux.sh: unknown mode $mode" >&2; exit 2 ;;
esac
name=root-linux-$mode
iso=$build/images/$name.iso
"$top/tools/mkimage" --hv "$build/bulkhead.elf" \
	--module "$build/partitions/qemu-x86_64-demo.bin" bulkhead-table \
	--module "$linux/vmlinuz" "linux $args" --module "$linux/initrd.gz" initrd \
	--module "$build/partitions/rtos/rtos.elf" "rtos1 report_every=200" \
	--module "$build/partitions/rtos/rtos.elf" rtos2 \
	--cmdline "console=com1,115200$hv_args" --timeout 0 --iso "$iso" >/dev/null || exit 1

# Common to all modes: the root boots on both of its CPUs beside the RTOS.
common=(
	--expect 'partition "root" \(id 0\).*checks passed'
	--expect 'table: copied into hypervisor memory at 0x[0-9a-f]+ \([0-9]+ bytes\); the module at 0x[0-9a-f]+ is zeroed'
	--expect 'svm: cpu[0-9]+: VM_CR\.R_INIT (set: a physical INIT becomes #SX|does not stick: a physical INIT reaching a partition.s CPU stops that partition)'
	--expect 'madt: the root.s copy lists 2 of 4 processor entries'
	--expect 'linux: partition "root": kernel protocol 2\.[0-9]+ at 0x'
	--expect 'Bulkhead: the boot CPU enters the root partition "root"'
	--expect 'apic: xAPIC mode \(kept for the Linux root'
	--expect '\[rtos1\] rtos rtos1: x2APIC, timer'
	--expect '\[rtos2\] rtos rtos2: x2APIC, timer'
	--expect "\[root\] \[ *[0-9.]+\] Command line: console=ttyS0,115200 $args"
	--expect 'cpu1: partition "root" vCPU 1 starts at 0x[0-9a-f]+ \(start-up IPI\)'
	--expect '\[root\] \[ *[0-9.]+\] smpboot: Total of 2 processors activated'
	--expect '\[root\] ROOT-INIT: nproc=2 '
	--expect 'linux: partition "root": own ACPI root tables at 0x[0-9a-f]+, MADT with its 2 CPU\(s\) at 0x[0-9a-f]+, FADT asking for physical APIC destinations'
	--expect '\[root\] \[ *[0-9.]+\] Setting APIC routing to physical flat'
	--order '\[rtos1\] rtos rtos1: latency ns' '\[root\] \[ *[0-9.]+\] Linux version'
	--order '\[root\] \[ *[0-9.]+\] Linux version' '\[rtos1\] rtos rtos1: latency ns'
	--order '\[root\] \[ *[0-9.]+\] Linux version' '\[rtos2\] rtos rtos2: latency ns'
	--absent 'FAILED' --absent 'CPU exception' --absent 'Kernel panic' --absent 'ERROR'
)
qemu=("$top/tools/run-qemu" --firmware "$firmware" --iso "$iso")

case "$mode" in
bios | ovmf)
	# SeaBIOS places rtos1's NIC (00:03.0) at 0xfebc0000 (BAR0) and 0xc000 (BAR1);
	# the root reads both: denied, reported (OVMF places them elsewhere: the
	# report line of the hole is asserted there)
	bar_probe=()
	wdat=()
	if [ "$mode" = bios ]; then
		# a WDAT (what industrial boards describe their watchdog with) added to QEMU's
		# tables: registers at ports 0x520 (SET_STOPPED_STATE) and 0x521 (ping)
		mkdir -p "${BULKHEAD_LOG_DIR:-$PWD/logs}"
		wdat_body=${BULKHEAD_LOG_DIR:-$PWD/logs}/$name-wdat.bin
		printf '%b' '\x20\0\0\0\0\0\xff\xff\xff\0\0\0\xe8\x03\0\0\x2c\x01\0\0\x01\0\0\0\x81\0\0\0\x02\0\0\0' \
			'\x0b\x82\0\0\x01\x08\0\x01\x20\x05\0\0\0\0\0\0\x01\0\0\0\x01\0\0\0' \
			'\x01\x02\0\0\x01\x08\0\x01\x21\x05\0\0\0\0\0\0\x01\0\0\0\x01\0\0\0' >"$wdat_body"
		wdat=(-- -acpitable "sig=WDAT,rev=1,data=$wdat_body")
	fi
	[ "$mode" = bios ] && bar_probe=(
		--expect 'ACPI: WDAT hardware watchdog \(port 0x520/1, port 0x521/1\) is the hypervisor.s: halted by its SET_STOPPED_STATE instructions'
		--expect 'partition "root": the WDAT watchdog.s registers are the hypervisor.s \(2 ports trapped, 0 pages unmapped\)'
		--expect 'partition "root" vCPU [01]: watchdog register 0x520 = 0x5a \(1 bytes at port 0x520\), the hypervisor.s: dropped'
		--expect '\[root\] ROOT-WDAT: wrote 0x5a to port 0x520; the root goes on'
		--expect 'partition "root": PCI 00:03\.0 BAR1 ports 0xc000-0xc03f \(rtos1\) taken from the root'
		--expect 'partition "root": read of 0xfebc0000 \(memory of BAR0 of PCI 00:03\.0, rtos1\) denied: reads as all ones'
		--expect '\[root\] ROOT-DEVMEM: 0xfebc0000 = 0xFFFFFFFF'
		--expect '\[root\] ROOT-INB: 0xc000 = 255')
	ram_min=$((table_ram_kb - 2048))
	[ "$mode" = ovmf ] && ram_min=$((table_ram_kb - 16384)) # OVMF keeps more for itself
	"$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect '\[root\] ROOT-PCI: 0000:00:02\.0 0x8086:0x10d3' \
		--expect '\[root\] ROOT-PCI: end of list' \
		--absent 'ROOT-PCI: 0000:00:03\.0' \
		--expect '\[root\] ROOT-DEVMEM: 0x20000000 = 0xFFFFFFFF' \
		--expect 'partition "root": read of 0x20000000 \(memory of rtos1\) denied: reads as all ones' \
		--expect 'root: PCI 0000:00:02\.0 write 0x10/4 = 0x20000000 dropped: BAR0 ' \
		--expect '\[root\] ROOT-PCIBAR: 0000:00:02\.0 BAR0 now 0x' \
		--absent 'ROOT-PCIBAR: .* now 0x20000000' \
		--expect 'root: PCI 0000:00:02\.0 BAR0 sized with decode on: answered 0xfffe0000 from the boot probe, the hardware keeps 0x[0-9a-f]{8}' \
		--expect '\[root\] ROOT-BARSIZE: 0000:00:02\.0 BAR0 sized 0xfffe0000; written back: same' \
		--expect 'partition "root": PCI 00:02\.0 MSI-X table \(5 entries\) at 0x[0-9a-f]+ trapped' \
		--expect 'root: MSI-X entry 0 of PCI 00:02\.0 write 0x0 dropped: MSI address 0xfee02000 targets APIC ID 2' \
		--expect '\[root\] ROOT-MSIX: 0000:00:02\.0 entry 0 vector control now 0x00000001' \
		--expect 'root: MSI-X entry 1 of PCI 00:02\.0 write 0x0 dropped: MSI address 0xfee01004 uses logical destination 0x01: only physical destinations are given' \
		--expect '\[root\] ROOT-MSIX: 0000:00:02\.0 entry 1 vector control now 0x00000001' \
		--expect '\[root\] ROOT-NIC: eth0 up; interrupts:.* eth0-tx-0=[1-9][0-9]* .* eth0=[1-9]' \
		--expect 'partition "root": IOAPIC 0xfec00000 pin 3 is not its own; redirection entry write 0x31 dropped' \
		--expect '\[root\] ROOT-IOAPIC: pin 3 redirection entry now 0x00010000' \
		--expect 'partition "root" vCPU [01]: SMI command port 0xb2 = 0xa5 \(1 bytes\), not a value the FADT lists: dropped' \
		--order 'SMI command port 0xb2 = 0xa5' '\[root\] ROOT-SMI: wrote 0xa5 to SMI_CMD 0xb2; the root goes on' \
		--expect 'root: PCI 0000:00:1f\.0 write 0x40/4 = 0xb01 dropped: write to 0x040 \(chipset register of a host or ISA/LPC bridge\) is never allowed' \
		--expect 'root: PCI 0000:00:1f\.0 write 0xf0/4 = 0xfed00001 dropped: write to 0x0f0 \(chipset register' \
		--expect 'root: PCI 0000:00:00\.0 write 0x60/4 = 0xe0000001 dropped: write to 0x060 \(chipset register' \
		--expect '\[root\] ROOT-CHIPSET: 0000:00:1f\.0 0x40 was 0x[0-9a-f]{8}, wrote 0x00000b01, now 0x[0-9a-f]{8}: unchanged' \
		--expect '\[root\] ROOT-CHIPSET: 0000:00:1f\.0 0xf0 was 0x[0-9a-f]{8}, wrote 0xfed00001, now 0x[0-9a-f]{8}: unchanged' \
		--expect '\[root\] ROOT-CHIPSET: 0000:00:00\.0 0x60 was 0x[0-9a-f]{8}, wrote 0xe0000001, now 0x[0-9a-f]{8}: unchanged' \
		--absent 'ROOT-CHIPSET: .*CHANGED' \
		--expect 'partition "root": HPET at 0xfed00000 read-only, its writes checked' \
		--expect 'partition "root": HPET write 0x604 at 0xfed00140 dropped: timer 2 would interrupt through IOAPIC input 3, not the root.s' \
		--expect 'partition "root": HPET write 0x4000 at 0xfed00140 dropped: timer 2 FSB \(MSI\) delivery is never the root.s' \
		--expect 'partition "root": HPET write 0xfee02000 at 0xfed00150 dropped: timer 2 FSB route' \
		--expect '\[root\] ROOT-HPET: timer 2 route 3 \+ enable: 0x[0-9A-F]+, now 0x[0-9A-F]+: unchanged' \
		--expect '\[root\] ROOT-HPET: timer 2 FSB enable: .*: unchanged' \
		--expect '\[root\] ROOT-HPET: timer 2 FSB route: .*: unchanged' \
		--absent 'ROOT-HPET: .*CHANGED' \
		--expect 'partition "root": PCI 00:03\.0 BAR0 memory 0x[0-9a-f]+-0x[0-9a-f]+ \(rtos1\) taken from the root' \
		--absent 'PCI 00:0[012]\.0 BAR.* taken from the root' \
		"${bar_probe[@]}" \
		--expect 'BIOS-e820: \[mem 0x0000000005000000-0x000000001fffffff\] usable' \
		--absent 'BIOS-e820: \[mem 0x00000000(0[1-4]|2[01])[0-9a-f]{6}-0x[0-9a-f]+\] usable' \
		--order '\[root\] ROOT-INIT: done' '\[rtos1\] rtos rtos1: latency ns' \
		--order '\[root\] ROOT-INIT: done' '\[rtos2\] rtos rtos2: latency ns' \
		-- "${qemu[@]}" --until 'ROOT-INIT: done' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --timeout 400 "${wdat[@]}" || exit 1
	# RAM: what Linux counts as System RAM is the table's RAM less the
	# firmware's holes in it (BIOS area, ACPI tables, the root's ACPI copies)
	ram=$(grep -aoE 'ROOT-RAM: System RAM [0-9]+ kB' "${BULKHEAD_LOG_DIR:-$PWD/logs}/$name.log" |
		grep -oE '[0-9]+' | head -1)
	if [ -z "$ram" ] || [ "$ram" -gt "$table_ram_kb" ] || [ "$ram" -lt "$ram_min" ]; then
		echo "FAIL: the root's System RAM (${ram:-none} kB) is not the table's $table_ram_kb kB less firmware holes (at least $ram_min kB)"
		exit 1
	fi
	echo "$name: System RAM $ram kB of the table's $table_ram_kb kB"
	# Linux's own MSIs are physical (the FADT copy asks for it): only the probe's logical entry drops
	n=$(grep -ac 'uses logical destination' "${BULKHEAD_LOG_DIR:-$PWD/logs}/$name.log")
	if [ "$n" != 1 ]; then
		echo "FAIL: $n logical-destination MSIs refused, not the probe's 1"
		exit 1
	fi
	# Linux's own HPET writes (legacy replacement, timer 0) all pass: only the probe's 3 drop
	n=$(grep -ac 'HPET write .* dropped' "${BULKHEAD_LOG_DIR:-$PWD/logs}/$name.log")
	if [ "$n" != 3 ]; then
		echo "FAIL: $n HPET writes dropped, not the probe's 3"
		exit 1
	fi
	;;
reboot)
	exec "$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect '\[root\] ROOT-INIT: boot 1: asking for a reboot' \
		--expect 'partition "root": reboot request \(ACPI reset register, port 0xcf9 = 0x[0-9a-f]+\): the partition restarts; the others keep running' \
		--expect 'partition "root" \(id 0\) restarted \(restart 1\); no other partition was touched' \
		--expect '\[root\] ROOT-INIT: boot 2: up again after the reboot' \
		--order 'ROOT-INIT: boot 1' 'partition "root" \(id 0\) restarted' \
		--order 'partition "root" \(id 0\) restarted' '\[root\] \[ *[0-9.]+\] smpboot: Total of 2 processors activated' \
		--order 'partition "root" \(id 0\) restarted' '\[root\] ROOT-INIT: nproc=2 ' \
		--order 'partition "root" \(id 0\) restarted' '\[rtos1\] rtos rtos1: latency ns' \
		--order 'partition "root" \(id 0\) restarted' '\[root\] ROOT-NIC: eth0 up; interrupts:.* eth0=[1-9]' \
		--order 'ROOT-INIT: boot 2' '\[rtos1\] rtos rtos1: latency ns' \
		--order 'ROOT-INIT: boot 2' '\[rtos2\] rtos rtos2: latency ns' \
		-- "${qemu[@]}" --until 'ROOT-INIT: boot 2' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --timeout 500
	;;
watchdog)
	if [ ! -s "$linux/iTCO_wdt.ko" ] || [ ! -s "$linux/lpc_ich.ko" ]; then
		echo "skipped: no iTCO_wdt.ko/lpc_ich.ko beside the kernel (tools/fetch-linux could not fetch them)"
		exit 77
	fi
	exec "$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect 'ich: PM block at port 0x600 \(the FADT.s PM1a event block\): the TCO watchdog \(ports 0x660-0x67f\), SMI_EN \(0x630\) and the RCRB \(0xfed1c000\) are the hypervisor.s' \
		--expect '\[root\] ROOT-WDT: boot 1: TCO2_STS 0x0000' \
		--expect 'partition "root": write of 0x80 to chipset register RCRB \+ 0x3404 \(4 bytes\) dropped' \
		--expect 'partition "root" vCPU [01]: SMI_EN 0x630 = 0x0 \(4 bytes at port 0x630\), the firmware.s: dropped' \
		--expect '\[root\] ROOT-PORT: .*0x630' \
		--expect '\[root\] \[ *[0-9.]+\] iTCO_wdt iTCO_wdt(\.[0-9]+\.auto)?: Found a ICH9 TCO device \(Version=2, TCOBASE=0x0660\)' \
		--expect '\[root\] ROOT-WDT: boot 1: iTCO_wdt, bootstatus 0' \
		--expect '\[root\] ROOT-WDT: boot 1: /sys/class/watchdog/watchdog0/timeout 3 s, kicked for 12 s; the kicks stop now' \
		--expect 'partition "root": reboot request \(TCO watchdog: second timeout, 5 x 0\.6 s without a reload, NO_REBOOT clear\): the partition restarts; the others keep running' \
		--expect 'partition "root" \(id 0\) restarted \(restart 1\); no other partition was touched' \
		--expect '\[root\] ROOT-WDT: boot 2: TCO2_STS 0x0002' \
		--expect '\[root\] ROOT-WDT: boot 2: up again after the watchdog' \
		--absent 'ROOT-WDT: boot 1: still up' --absent 'no /dev/watchdog' --absent 'ROOT-WDT: insmod' \
		--order 'the kicks stop now' 'reboot request \(TCO watchdog' \
		--order 'partition "root" \(id 0\) restarted' '\[rtos1\] rtos rtos1: latency ns' \
		--order 'partition "root" \(id 0\) restarted' '\[rtos2\] rtos rtos2: latency ns' \
		--order 'ROOT-WDT: boot 2: up again' '\[rtos1\] rtos rtos1: latency ns' \
		-- "${qemu[@]}" --until 'ROOT-WDT: boot 2: up again' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --timeout 500
	;;
poweroff)
	exec "$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect '\[root\] ROOT-INIT: asking for a power-off' \
		--expect 'partition "root": power-off request \(ACPI sleep, PM1a_CNT 0x[0-9a-f]+ = 0x[0-9a-f]+\): the partition stops; the others keep running' \
		--order 'power-off request' '\[rtos1\] rtos rtos1: latency ns' \
		--order 'power-off request' '\[rtos2\] rtos rtos2: latency ns' \
		-- "${qemu[@]}" --until 'power-off request' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --until 'rtos1: latency ns' --timeout 400
	;;
msr)
	if [ ! -s "$linux/msr.ko" ]; then
		echo "skipped: no msr.ko beside the kernel (tools/fetch-linux could not fetch it)"
		exit 77
	fi
	cpu_msr() { # CPU MSR VALUE-OR-ERROR: a line of the root's probe
		echo "\[root\] ROOT-MSR: cpu$1 $2 $3"
	}
	val='= 0x[0-9a-f]{16}'
	exec "$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect 'fault_test: partition "root": RDMSR 0xce executed as RDMSR 0x803' \
		--expect "$(cpu_msr 0 0xce 'error: Input/output error')" \
		--expect "$(cpu_msr 1 0xce 'error: Input/output error')" \
		--expect "$(cpu_msr 0 0xc0011029 'error: Input/output error')" \
		--expect "$(cpu_msr 1 0xc0011029 'error: Input/output error')" \
		--expect "$(cpu_msr 0 0x1a0 "$val")" --expect "$(cpu_msr 1 0x1a0 "$val")" \
		--expect "$(cpu_msr 0 0xc0010010 "$val")" --expect "$(cpu_msr 1 0xc0010010 "$val")" \
		--expect "$(cpu_msr 0 0x8b "$val")" --expect "$(cpu_msr 1 0x8b "$val")" \
		--expect "$(cpu_msr 0 0xfe "$val")" --expect "$(cpu_msr 1 0xfe "$val")" \
		--expect "$(cpu_msr 0 0x2ff "$val")" --expect "$(cpu_msr 1 0x2ff "$val")" \
		--expect '\[root\] ROOT-MSR: done' \
		--absent 'halted after an exception' \
		--order '\[root\] ROOT-MSR: done' '\[root\] ROOT-INIT: done' \
		--order '\[root\] ROOT-MSR: done' '\[rtos1\] rtos rtos1: latency ns' \
		--order '\[root\] ROOT-MSR: done' '\[rtos2\] rtos rtos2: latency ns' \
		-- "${qemu[@]}" --until 'ROOT-INIT: done' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --timeout 120
	;;
rogue-reset)
	# the hypervisor's line for each attack (a regex), and whether it restarts the root
	how() {
		case "$1" in
		sysctl) echo 'reboot request \(fast reset, port 0x92 = 0x01\)' ;;
		kbc-fe) echo 'reboot request \(keyboard controller, port 0x64 = 0xfe \(pulse reset line\)\)' ;;
		kbc-pulse) echo 'reboot request \(keyboard controller, port 0x64 = 0xf0 \(pulse reset line\)\)' ;;
		kbc-outport) echo 'reboot request \(keyboard controller output port, port 0x64 = 0xd1 then port 0x60 = 0xfe\)' ;;
		cf9) echo 'reboot request \((ACPI reset register, port 0xcf9 = 0x6|reset control, port 0xcf9 = 0x06)\)' ;;
		kbc-straddle) echo 'reboot request \(keyboard controller, port 0x64 = 0xfe \(pulse reset line\); a 2-byte write to port 0x63 reaching it\)' ;;
		pm1-straddle) echo 'power-off request \(ACPI sleep, PM1a_CNT 0x604 = 0x2000; a 4-byte write to port 0x602 reaching it\)' ;;
		*) echo "root-linux.sh: unknown attack $1" >&2; exit 2 ;;
		esac
	}
	IFS=, read -r -a list <<<"$kinds"
	checks=() j=0 restarts=0 stopped=0
	for k in "${list[@]}"; do
		j=$((j + 1))
		re="partition \"root\": $(how "$k")"
		checks+=(--expect "\[root\] ROOT-RESET: attack $j: $k " --expect "$re"
			--absent "ROOT-RESET: $k: the root still runs"
			--order "ROOT-RESET: attack $j: $k " "$re")
		if [ "$k" = pm1-straddle ]; then
			re+=': the partition stops; the others keep running'
			checks+=(--expect "$re")
			stopped=1
			break
		fi
		restarts=$((restarts + 1))
		checks+=(--expect "partition \"root\" \(id 0\) restarted \(restart $restarts\); no other partition was touched"
			--order "ROOT-RESET: attack $j: $k " "partition \"root\" \(id 0\) restarted \(restart $restarts\)")
	done
	if [ "$stopped" = 1 ]; then
		last='power-off request'
	else
		last="ROOT-RESET: all $j attacks made"
		checks+=(--expect "\[root\] $last; the root is up again \(boot $((j + 1))\)")
	fi
	# after the last attack: 12 more reports of rtos2 (1 s each; 50 of rtos1 need 10 s whole)
	untils=(--until "$last")
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do untils+=(--until 'rtos2: latency ns'); done
	"$top/test/system/boot-test.sh" --name "$name" "${common[@]}" "${checks[@]}" \
		-- "${qemu[@]}" "${untils[@]}" --timeout 300 || exit 1
	# RTOS reports between each attack's request line and the next attack (or the end)
	log=${BULKHEAD_LOG_DIR:-$PWD/logs}/$name.log
	counts=$(awk '
		/partition "root": (reboot|power-off) request/ { if (n) print r1, r2; n++; r1 = 0; r2 = 0; next }
		/ROOT-RESET: attack / { if (n) print r1, r2; n = 0 }
		/\[rtos1\] rtos rtos1: latency ns/ { r1++ }
		/\[rtos2\] rtos rtos2: latency ns/ { r2++ }
		END { if (n) print r1, r2 }' "$log")
	j=0
	while read -r r1 r2; do
		j=$((j + 1))
		if [ "$r1" -lt 50 ] || [ "$r2" -lt 10 ]; then
			echo "FAIL: after attack $j (${list[$((j - 1))]}) rtos1 reported $r1 times (50 needed), rtos2 $r2 (10 needed)"
			exit 1
		fi
		echo "$name: after attack $j (${list[$((j - 1))]}): rtos1 $r1 reports, rtos2 $r2"
	done <<<"$counts"
	if [ "$j" -ne "${#list[@]}" ]; then
		echo "FAIL: $j of ${#list[@]} attacks were answered by the hypervisor"
		exit 1
	fi
	;;
string-io)
	# the line bh-strio writes with string instructions, whole
	marker='ROOT-STRIO: rep outsb across a page: 0123456789abcdefghijklmnopqrstuvwxyz'
	marker+='ABCDEFGHIJKLMNOPQRSTUVWXYZ rep-outsw 0123456789abcdef end'
	exec "$top/test/system/boot-test.sh" --name "$name" "${common[@]}" \
		--expect "\[root\] $marker\$" \
		--expect '\[root\] ROOT-STRIO: rep insb 0x3fd x8: 60 60 60 60 60 60 60 60' \
		--expect '\[root\] ROOT-STRIO: done' \
		--absent 'ROOT-STRIO: (iopl|no /bin)' \
		--order '\[root\] ROOT-STRIO: done' '\[root\] ROOT-INIT: done' \
		--order '\[root\] ROOT-STRIO: done' '\[rtos1\] rtos rtos1: latency ns' \
		--order '\[root\] ROOT-STRIO: done' '\[rtos2\] rtos rtos2: latency ns' \
		-- "${qemu[@]}" --until 'ROOT-INIT: done' --until 'rtos1: latency ns' \
		--until 'rtos2: latency ns' --timeout 120
	;;
esac
