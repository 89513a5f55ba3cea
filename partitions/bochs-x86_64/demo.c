// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bochs demo (Intel VMX + EPT): root Linux on CPUs 0-1 (the second started
 * by Linux with INIT and a start-up IPI) and one RTOS on CPU 2, linked by
 * 1 MiB of ivshmem shared memory.
 *
 * Machine: Bochs 2.7, `cpu: model=corei7_skylake_x, count=3`, `megs: 512`
 * (i440FX chipset: no MMCONFIG, PCI configuration through ports 0xcf8/0xcfc).
 * GRUB module strings: bulkhead-table, linux, initrd, rtos1.
 *
 * Physical memory (512 MiB of RAM):
 *	0x00000000-0x00ffffff  root (BIOS area and firmware holes pass through)
 *	0x01000000-0x04ffffff  hypervisor: image at 16 MiB and its page pool
 *	0x05000000-0x0fffffff  root
 *	0x10000000-0x10ffffff  rtos1, seen by it at guest-physical 0
 *	0x11000000-0x110fffff  link root-rtos1
 *	0x11100000-0x1fffffff  root
 */
#include "scenario.h"

BH_SCENARIO = {
	.platform = {
		.board = "bochs-x86_64",
		.arch = BH_ARCH_X86_64,
		.hv_base = MiB(16),
		.hv_size = MiB(64),
		.console = UART_IO(0x3f8, 115200), /* COM1 */
		IRQCHIPS(IOAPIC(2, 0xfec00000, 0, 24)),
	},
	PARTITIONS(
		{
			.name = "root",
			.id = 0,
			.flags = ROOT | VIRTUAL_CONSOLE,
			CPUS(0, 1),
			MEMORY(
				MEM(0x00000000, 0x00000000, MiB(16), RAM | LOADABLE),
				MEM(0x05000000, 0x05000000, 0x0b000000, RAM | LOADABLE),
				MEM(0x11000000, 0x11000000, MiB(1), SHMEM),
				MEM(0x11100000, 0x11100000, 0x0ef00000, RAM | LOADABLE),
				/* PCI BARs (the Bochs BIOS assigns them from 0xc0000000 up) */
				MEM(0xc0000000, 0xc0000000, 0x3ec00000, MMIO),
				/* up to the local APIC */
				MEM(0xfec01000, 0xfec01000, 0x001ff000, MMIO),
				/* BIOS ROM */
				MEM(0xfef00000, 0xfef00000, 0x01100000, MMIO)),
			PCI_DEVICES(
				PCI(0, 0x00, 0x00, 0, CFG_DEFAULT | CFG_ROM), /* i440FX host bridge */
				PCI(0, 0x00, 0x01, 0, CFG_DEFAULT | CFG_ROM), /* PIIX3 ISA bridge */
				PCI(0, 0x00, 0x01, 1, CFG_ALL), /* PIIX3 IDE */
				PCI(0, 0x00, 0x01, 3, CFG_DEFAULT)), /* PIIX4 ACPI: a chipset function (class 06 80) */
			/* all ports but COM1 (hypervisor) and PCI config */
			PORTS(PIO(0x0000, 0x3f8), PIO(0x0400, 0x8f8), PIO(0x0d00, 0xf300)),
			/* all IOAPIC pins but 4 (COM1, hypervisor) */
			IRQS(PINS(0, 0, 4), PINS(0, 5, 19)),
			.image = BZIMAGE("linux", "initrd", "console=ttyS0,115200"),
		},
		{
			.name = "rtos1",
			.id = 1,
			.flags = RT | RESTARTABLE | VIRTUAL_CONSOLE,
			.fault_policy = FAULT_RESTART,
			CPUS(2),
			MEMORY(
				MEM(0x10000000, 0x00000000, MiB(16), RAM | LOADABLE),
				MEM(0x11000000, 0x01000000, MiB(1), SHMEM)),
			.image = ELF64("rtos1", ""),
		}),
	LINKS(LINK("root-rtos1", 0x11000000, MiB(1), PEER("root", 0), PEER("rtos1", 0x40))),
};
