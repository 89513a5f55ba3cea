/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Macros for writing a partition table as a C file (partitions/<board>/<scenario>.c).
 * A scenario defines one `BH_SCENARIO = { ... };` with designated
 * initializers; the build compiles it with the emitter into a small program
 * that writes the blob, then runs `bulkhead-table check` on it.
 *
 *	MEM(host, guest, size, flags)   one memory region; flags from
 *	                                RAM, MMIO, SHMEM, READ, WRITE, EXEC, DMA,
 *	                                IO, SHARED, NO_HUGEPAGES, LOADABLE
 *	CPUS(0, 1)                      CPUs by APIC ID (x86) or MPIDR (arm64)
 *	PCI(seg, bus, dev, fn, what)    a PCI function and what the partition may
 *	                                write in its config space (CFG_DEFAULT, CFG_ALL, ...)
 *	PIO(base, size)                 x86 I/O ports
 *	PINS(chip, first, count)        interrupt lines of platform irqchip `chip`
 *	LINK(name, host, size, PEER(...), ...)  ivshmem shared memory and its peers
 *
 * docs/partition-table.md explains every field.
 */
#ifndef BHTABLE_SCENARIO_H
#define BHTABLE_SCENARIO_H

#include "core/table.h"

extern const struct table_desc bh_scenario;
#define BH_SCENARIO const struct table_desc bh_scenario

#define BH_COUNT(type, ...) (sizeof((type[]){ __VA_ARGS__ }) / sizeof(type))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* ---- platform ---- */
#define UART_IO(port, baud_rate)                                                     \
	{                                                                            \
		.type = BH_CONSOLE_UART_8250_IO, .base = (port), .baud = (baud_rate) \
	}
#define UART_MMIO(addr, width, baud_rate)                                                \
	{                                                                                \
		.type = BH_CONSOLE_UART_8250_MMIO, .base = (addr), .reg_width = (width), \
		.baud = (baud_rate)                                                      \
	}
#define PL011(addr, baud_rate)                                                                \
	{                                                                                     \
		.type = BH_CONSOLE_PL011, .base = (addr), .reg_width = 4, .baud = (baud_rate) \
	}
#define NO_CONSOLE                      \
	{                               \
		.type = BH_CONSOLE_NONE \
	}

#define MMCONFIG(...)                                            \
	.mmconfig = (const struct bh_mmconfig[]){ __VA_ARGS__ }, \
	.mmconfig_count = BH_COUNT(const struct bh_mmconfig, __VA_ARGS__)
#define MMCFG(addr, seg, first_bus, last_bus)                                                     \
	{                                                                                         \
		.base = (addr), .segment = (seg), .bus_start = (first_bus), .bus_end = (last_bus) \
	}
#define IOMMUS(...)                                         \
	.iommus = (const struct bh_iommu[]){ __VA_ARGS__ }, \
	.iommu_count = BH_COUNT(const struct bh_iommu, __VA_ARGS__)
#define VTD(addr, bytes, seg)                                                           \
	{                                                                               \
		.type = BH_IOMMU_VTD, .base = (addr), .size = (bytes), .segment = (seg) \
	}
#define AMDVI(addr, bytes, seg, pci_bdf)                                                   \
	{                                                                                  \
		.type = BH_IOMMU_AMDVI, .base = (addr), .size = (bytes), .segment = (seg), \
		.bdf = (pci_bdf)                                                           \
	}
#define IRQCHIPS(...)                                           \
	.irqchips = (const struct bh_irqchip[]){ __VA_ARGS__ }, \
	.irqchip_count = BH_COUNT(const struct bh_irqchip, __VA_ARGS__)
/* An IOAPIC: its ID, register page, first GSI and number of pins. */
#define IOAPIC(apic_id, addr, gsi, pins)                                                    \
	{                                                                                   \
		.type = BH_IRQCHIP_IOAPIC, .id = (apic_id), .base = (addr), .size = KiB(4), \
		.gsi_base = (gsi), .lines = (pins)                                          \
	}

/* ---- partitions ---- */
#define PARTITIONS(...)                                                     \
	.partitions = (const struct table_desc_partition[]){ __VA_ARGS__ }, \
	.partition_count = BH_COUNT(const struct table_desc_partition, __VA_ARGS__)

#define ROOT		BH_PART_ROOT
#define RT		BH_PART_RT
#define RESTARTABLE	BH_PART_RESTARTABLE
#define VIRTUAL_CONSOLE BH_PART_VIRTUAL_CONSOLE
#define FAULT_STOP	BH_FAULT_STOP
#define FAULT_RESTART	BH_FAULT_RESTART

#define CPUS(...) \
	.cpus = (const uint64_t[]){ __VA_ARGS__ }, .cpu_count = BH_COUNT(uint64_t, __VA_ARGS__)

#define MEMORY(...)                                              \
	.memory = (const struct bh_mem_region[]){ __VA_ARGS__ }, \
	.memory_count = BH_COUNT(const struct bh_mem_region, __VA_ARGS__)
#define MEM(host_addr, guest_addr, bytes, what)                                              \
	{                                                                                    \
		.host = (host_addr), .guest = (guest_addr), .size = (bytes), .flags = (what) \
	}

#define READ	     BH_MEM_READ
#define WRITE	     BH_MEM_WRITE
#define EXEC	     BH_MEM_EXEC
#define DMA	     BH_MEM_DMA
#define IO	     BH_MEM_IO
#define SHARED	     BH_MEM_SHARED
#define NO_HUGEPAGES BH_MEM_NO_HUGEPAGES
#define LOADABLE     BH_MEM_LOADABLE
#define RAM	     (READ | WRITE | EXEC | DMA) /* ordinary guest RAM */
#define MMIO	     (READ | WRITE | IO)	 /* device registers, uncached */
#define SHMEM	     (READ | WRITE | SHARED)	 /* a link's shared memory */

#define PCI_DEVICES(...)                                      \
	.pci = (const struct bh_pci_device[]){ __VA_ARGS__ }, \
	.pci_count = BH_COUNT(const struct bh_pci_device, __VA_ARGS__)
#define PCI(seg, bus_nr, dev, fn, what)                                            \
	{                                                                          \
		.segment = (seg), .bus = (bus_nr), .devfn = BH_PCI_DEVFN(dev, fn), \
		.cfg_write = (what)                                                \
	}
#define CFG_COMMAND BH_PCI_CFG_W_COMMAND
#define CFG_BARS    BH_PCI_CFG_W_BARS
#define CFG_ROM	    BH_PCI_CFG_W_ROM
#define CFG_MSI	    BH_PCI_CFG_W_MSI
#define CFG_MSIX    BH_PCI_CFG_W_MSIX
#define CFG_CAPS    BH_PCI_CFG_W_CAPS
#define CFG_EXT	    BH_PCI_CFG_W_EXT
#define CFG_DEFAULT BH_PCI_CFG_W_DEFAULT
#define CFG_ALL	    BH_PCI_CFG_W_ALL

#define PORTS(...)                                           \
	.pio = (const struct bh_pio_range[]){ __VA_ARGS__ }, \
	.pio_count = BH_COUNT(const struct bh_pio_range, __VA_ARGS__)
#define PIO(first_port, ports)                        \
	{                                             \
		.base = (first_port), .size = (ports) \
	}

#define IRQS(...)                                             \
	.irqs = (const struct bh_irq_range[]){ __VA_ARGS__ }, \
	.irq_count = BH_COUNT(const struct bh_irq_range, __VA_ARGS__)
#define PINS(irqchip, first_line, lines)                                   \
	{                                                                  \
		.chip = (irqchip), .first = (first_line), .count = (lines) \
	}

/* ---- images ---- */
#define BZIMAGE(module, initrd_module, command_line)                                        \
	{                                                                                   \
		.format = BH_IMAGE_BZIMAGE, .tag = (module), .initrd_tag = (initrd_module), \
		.cmdline = (command_line)                                                   \
	}
#define ARM64_IMAGE(module, initrd_module, command_line)                                        \
	{                                                                                       \
		.format = BH_IMAGE_ARM64_IMAGE, .tag = (module), .initrd_tag = (initrd_module), \
		.cmdline = (command_line)                                                       \
	}
#define ELF64(module, command_line)                                                  \
	{                                                                            \
		.format = BH_IMAGE_ELF64, .tag = (module), .cmdline = (command_line) \
	}
/* an ELF64 image started in 32-bit protected mode (include/bulkhead/guest.h) */
#define ELF64_START32(module, command_line)                                             \
	{                                                                               \
		.format = BH_IMAGE_ELF64, .flags = BH_IMAGE_F_START32, .tag = (module), \
		.cmdline = (command_line)                                               \
	}
#define RAW(module, load_at, entry_at)                                              \
	{                                                                           \
		.format = BH_IMAGE_RAW, .tag = (module), .load_address = (load_at), \
		.entry = (entry_at)                                                 \
	}

/* ---- links ---- */
#define LINKS(...)                                                \
	.links = (const struct table_desc_link[]){ __VA_ARGS__ }, \
	.link_count = BH_COUNT(const struct table_desc_link, __VA_ARGS__)
#define LINK(link_name, host_addr, bytes, ...)                                    \
	{                                                                         \
		.name = (link_name), .host = (host_addr), .size = (bytes),        \
		.peers = (const struct table_desc_peer[]){ __VA_ARGS__ },         \
		.peer_count = BH_COUNT(const struct table_desc_peer, __VA_ARGS__) \
	}
/* A peer by partition name; vector: the doorbell's IDT vector, 0 = virtual PCI device. */
#define PEER(partition_name, doorbell)                              \
	{                                                           \
		.partition = (partition_name), .vector = (doorbell) \
	}

#endif
