// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU q35 demo: root Linux on CPUs 0-1 and two RTOS partitions on CPUs 2
 * and 3, each linked to the root by 1 MiB of ivshmem shared memory.
 *
 * Machine: qemu-system-x86_64 -M q35 -smp 4 -m 2G (SeaBIOS or OVMF), with a
 * second NIC for rtos1 (-device e1000,addr=03.0; tools/run-qemu adds it);
 * GRUB loads the modules with these strings:
 *	multiboot2 /boot/bulkhead.elf
 *	module2 /boot/qemu-x86_64-demo.bin bulkhead-table
 *	module2 /boot/vmlinuz linux
 *	module2 /boot/initrd.gz initrd
 *	module2 /boot/rtos.elf rtos1
 *	module2 /boot/rtos.elf rtos2
 *
 * Physical memory (2 GiB of RAM below 4 GiB):
 *	0x00000000-0x00ffffff  root (BIOS area and firmware holes pass through)
 *	0x01000000-0x04ffffff  hypervisor: image at 16 MiB and its page pool
 *	0x05000000-0x1fffffff  root
 *	0x20000000-0x20ffffff  rtos1, seen by it at guest-physical 0
 *	0x21000000-0x21ffffff  rtos2, seen by it at guest-physical 0
 *	0x22000000-0x220fffff  link root-rtos1
 *	0x22100000-0x221fffff  link root-rtos2
 *	0x22200000-0x7fffffff  root (SeaBIOS keeps the top 128 KiB as reserved)
 */
#include "scenario.h"

BH_SCENARIO = {
	.platform = {
		.board = "qemu-x86_64",
		.arch = BH_ARCH_X86_64,
		.hv_base = MiB(16),
		.hv_size = MiB(64),
		.console = UART_IO(0x3f8, 115200), /* COM1 */
		MMCONFIG(MMCFG(0xb0000000, 0, 0, 255)),
		IRQCHIPS(IOAPIC(0, 0xfec00000, 0, 24)),
	},
	PARTITIONS(
		{
			.name = "root",
			.id = 0,
			.flags = ROOT | VIRTUAL_CONSOLE,
			CPUS(0, 1),
			MEMORY(
				MEM(0x00000000, 0x00000000, MiB(16), RAM | LOADABLE),
				MEM(0x05000000, 0x05000000, 0x1b000000, RAM | LOADABLE),
				MEM(0x22000000, 0x22000000, MiB(1), SHMEM),
				MEM(0x22100000, 0x22100000, MiB(1), SHMEM),
				MEM(0x22200000, 0x22200000, 0x5de00000, RAM | LOADABLE),
				/* 32-bit PCI window below MMCONFIG */
				MEM(0x80000000, 0x80000000, 0x30000000, MMIO),
				/* PCI BARs up to the IOAPIC */
				MEM(0xc0000000, 0xc0000000, 0x3ec00000, MMIO),
				/* HPET, chipset registers, TPM: up to the local APIC */
				MEM(0xfec01000, 0xfec01000, 0x001ff000, MMIO),
				/* firmware flash */
				MEM(0xfef00000, 0xfef00000, 0x01100000, MMIO),
				/* 64-bit PCI window */
				MEM(GiB(4), GiB(4), GiB(1020), MMIO)),
			PCI_DEVICES(
				PCI(0, 0x00, 0x00, 0, CFG_DEFAULT | CFG_ROM), /* host bridge */
				PCI(0, 0x00, 0x01, 0, CFG_ALL), /* VGA */
				PCI(0, 0x00, 0x02, 0, CFG_ALL), /* e1000e */
				PCI(0, 0x00, 0x1f, 0, CFG_DEFAULT | CFG_ROM), /* ICH9 LPC */
				PCI(0, 0x00, 0x1f, 2, CFG_ALL), /* ICH9 AHCI */
				PCI(0, 0x00, 0x1f, 3, CFG_ALL)), /* ICH9 SMBus */
			/* all ports but COM2 (rtos1), COM1 (hypervisor) and PCI config */
			PORTS(PIO(0x0000, 0x2f8), PIO(0x0300, 0xf8), PIO(0x0400, 0x8f8),
			      PIO(0x0d00, 0xf300)),
			/* all IOAPIC pins but 3 (COM2, rtos1) and 4 (COM1, hypervisor) */
			IRQS(PINS(0, 0, 3), PINS(0, 5, 19)),
			.image = BZIMAGE("linux", "initrd", "console=ttyS0,115200"),
		},
		{
			.name = "rtos1",
			.id = 1,
			.flags = RT | RESTARTABLE | VIRTUAL_CONSOLE,
			.fault_policy = FAULT_RESTART,
			CPUS(2),
			MEMORY(
				MEM(0x20000000, 0x00000000, MiB(16), RAM | LOADABLE),
				MEM(0x22000000, 0x01000000, MiB(1), SHMEM)),
			PCI_DEVICES(PCI(0, 0x00, 0x03, 0, CFG_DEFAULT)), /* its own NIC */
			PORTS(PIO(0x2f8, 8)), /* COM2 */
			IRQS(PINS(0, 3, 1)),  /* COM2's interrupt */
			.image = ELF64("rtos1", ""),
		},
		{
			.name = "rtos2",
			.id = 2,
			.flags = RT | VIRTUAL_CONSOLE,
			.fault_policy = FAULT_STOP,
			CPUS(3),
			MEMORY(
				MEM(0x21000000, 0x00000000, MiB(16), RAM | LOADABLE),
				MEM(0x22100000, 0x01000000, MiB(1), SHMEM)),
			.image = ELF64("rtos2", ""),
		}),
	/* doorbells: vector 0x40 in the RTOS, a virtual ivshmem PCI function in the root */
	LINKS(
		LINK("root-rtos1", 0x22000000, MiB(1), PEER("root", 0), PEER("rtos1", 0x40)),
		LINK("root-rtos2", 0x22100000, MiB(1), PEER("root", 0), PEER("rtos2", 0x40))),
};
