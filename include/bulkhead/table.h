/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The partition table blob: the binary form of a partitions/<board>/<scenario>.c
 * file, loaded as a boot module (tag "bulkhead-table") and read in place by
 * the hypervisor and by the host tool bulkhead-table.
 *
 * Layout rules, so that the same bytes mean the same thing everywhere:
 * - position-independent: every reference is an offset from the start of the
 *   blob or an index into one of the record arrays (sections); no pointers;
 * - fixed-width little-endian fields; only little-endian machines read or
 *   write blobs (x86_64 and arm64 as Bulkhead runs them);
 * - every record has a fixed size, pinned below with static asserts; reserved
 *   fields and unknown flag bits must be zero so they can gain a meaning in a
 *   later ABI version;
 * - strings are fixed-size char arrays that must hold a NUL.
 *
 * A blob is: struct bh_table_header, then the sections it lists (each an
 * array of one record type at an 8-byte aligned offset). A partition refers
 * to its CPUs, memory regions, PCI devices, port ranges and interrupt lines
 * by index ranges into the global arrays; the ranges of consecutive
 * partitions follow each other without gaps. The CRC32 (IEEE 802.3, as in
 * zlib) covers the whole blob (total_size bytes) with the crc32 field read
 * as zero.
 *
 * docs/partition-table.md describes every field and the checks applied.
 */
#ifndef BULKHEAD_TABLE_H
#define BULKHEAD_TABLE_H

#include <stdint.h>

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "partition table blobs are little-endian; big-endian hosts are not supported");
#endif

#define BH_TABLE_MAGIC	     0x00454c4241544842ULL /* "BHTABLE\0" read as a little-endian u64 */
#define BH_TABLE_ABI_VERSION 1
#define BH_TABLE_MODULE_TAG  "bulkhead-table" /* the boot module's string */

#define BH_TABLE_NAME_MAX	32   /* partition, board and link names, NUL included */
#define BH_TABLE_TAG_MAX	32   /* boot module tags, NUL included */
#define BH_TABLE_CMDLINE_MAX	1024 /* guest command line, NUL included */
#define BH_TABLE_LINK_PEERS_MAX 4
#define BH_TABLE_PCI_WINDOWS	4
#define BH_TABLE_PARTITIONS_MAX 64
#define BH_TABLE_MMCONFIG_MAX	64
#define BH_TABLE_IOMMUS_MAX	64
#define BH_TABLE_IRQCHIPS_MAX	128
#define BH_TABLE_ALIGN		8 /* every section starts at a multiple of this */

#define BH_TABLE_NONE 0xffffffffu /* "no such index / id" */

/* Section numbers: the order of bh_table_header.sections[]. */
#define BH_SECT_PLATFORM   0  /* exactly one struct bh_platform */
#define BH_SECT_PARTITIONS 1  /* struct bh_partition */
#define BH_SECT_MEMORY	   2  /* struct bh_mem_region */
#define BH_SECT_CPUS	   3  /* struct bh_cpu */
#define BH_SECT_PCI	   4  /* struct bh_pci_device */
#define BH_SECT_PIO	   5  /* struct bh_pio_range */
#define BH_SECT_IRQS	   6  /* struct bh_irq_range */
#define BH_SECT_LINKS	   7  /* struct bh_link */
#define BH_SECT_MMCONFIG   8  /* struct bh_mmconfig (platform) */
#define BH_SECT_IOMMUS	   9  /* struct bh_iommu (platform) */
#define BH_SECT_IRQCHIPS   10 /* struct bh_irqchip (platform) */
#define BH_SECT_COUNT	   11

struct bh_table_section {
	uint32_t offset;     /* from the start of the blob, multiple of BH_TABLE_ALIGN */
	uint32_t count;	     /* number of records */
	uint32_t entry_size; /* sizeof the record type in this ABI version */
	uint32_t reserved;
};

struct bh_table_header {
	uint64_t magic;		/* BH_TABLE_MAGIC */
	uint32_t abi_version;	/* BH_TABLE_ABI_VERSION */
	uint32_t header_size;	/* sizeof(struct bh_table_header) */
	uint32_t total_size;	/* bytes of the blob, header included */
	uint32_t crc32;		/* over total_size bytes, this field taken as zero */
	uint32_t flags;		/* none defined: 0 */
	uint32_t section_count; /* BH_SECT_COUNT */
	struct bh_table_section sections[BH_SECT_COUNT];
};

/* ---- platform ------------------------------------------------------------ */

#define BH_ARCH_X86_64 1
#define BH_ARCH_ARM64  2

#define BH_CONSOLE_NONE		  0
#define BH_CONSOLE_UART_8250_IO	  1 /* 16550-style UART at an I/O port (x86) */
#define BH_CONSOLE_UART_8250_MMIO 2
#define BH_CONSOLE_PL011	  3

struct bh_console {
	uint32_t type;	    /* BH_CONSOLE_* */
	uint32_t baud;	    /* 0: leave as the firmware set it */
	uint64_t base;	    /* I/O port or MMIO address */
	uint32_t reg_width; /* MMIO register stride in bytes (1 or 4); 0 for I/O ports */
	uint32_t reserved;
};

struct bh_platform {
	char board[BH_TABLE_NAME_MAX]; /* e.g. "qemu-x86_64" */
	uint32_t arch;		       /* BH_ARCH_* */
	uint32_t flags;		       /* none defined: 0 */
	uint64_t hv_base;	       /* the hypervisor's own memory: image and page pool */
	uint64_t hv_size;
	struct bh_console console; /* the hypervisor's console */
};

/* A PCI Express enhanced configuration window (ACPI MCFG entry). */
struct bh_mmconfig {
	uint64_t base; /* address of bus 0's configuration space in this window */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end; /* inclusive */
	uint32_t reserved;
};

#define BH_IOMMU_VTD	1 /* Intel VT-d remapping unit (ACPI DMAR DRHD) */
#define BH_IOMMU_AMDVI	2 /* AMD-Vi (ACPI IVRS IVHD) */
#define BH_IOMMU_SMMUV3 3

struct bh_iommu {
	uint32_t type;	/* BH_IOMMU_* */
	uint32_t flags; /* none defined: 0 */
	uint64_t base;	/* register block */
	uint64_t size;
	uint16_t segment;
	uint16_t bdf; /* AMD-Vi: the IOMMU's own PCI function; else 0 */
	uint32_t reserved;
};

#define BH_IRQCHIP_IOAPIC 1 /* lines are IOAPIC pins; gsi_base from the MADT */
#define BH_IRQCHIP_GICD	  2 /* GICv3 distributor; lines are SPI numbers - 32 */
#define BH_IRQCHIP_GICR	  3 /* GICv3 redistributors (no lines) */

struct bh_irqchip {
	uint32_t type; /* BH_IRQCHIP_* */
	uint32_t id;   /* IOAPIC ID; 0 for the GIC */
	uint64_t base;
	uint64_t size;
	uint32_t gsi_base; /* first global system interrupt of this chip */
	uint32_t lines;	   /* number of input lines (IOAPIC pins, SPIs) */
};

/* ---- partitions ----------------------------------------------------------- */

#define BH_PART_ROOT		(1u << 0) /* Linux root partition: exactly one */
#define BH_PART_RT		(1u << 1) /* real-time: no VM exits in steady state */
#define BH_PART_RESTARTABLE	(1u << 2) /* may be restarted from the root */
#define BH_PART_VIRTUAL_CONSOLE (1u << 3) /* has a hypervisor console readable from the root */
#define BH_PART_KNOWN_FLAGS	0x0000000fu

#define BH_FAULT_STOP	 0 /* park the partition's CPUs, mark it FAILED */
#define BH_FAULT_RESTART 1 /* stop, clear memory, reload the image, start again */

#define BH_IMAGE_BZIMAGE     1 /* Linux x86 boot protocol */
#define BH_IMAGE_ELF64	     2 /* loaded by program headers; entry from the ELF header */
#define BH_IMAGE_RAW	     3 /* copied to load_address, started at entry */
#define BH_IMAGE_ARM64_IMAGE 4 /* Linux arm64 Image */

/* image flags */
#define BH_IMAGE_F_START32   (1u << 0) /* x86 ELF64/raw: start in 32-bit protected mode, paging off */
#define BH_IMAGE_KNOWN_FLAGS 0x00000001u

struct bh_image {
	uint32_t format;	    /* BH_IMAGE_* */
	uint32_t flags;		    /* BH_IMAGE_F_* */
	uint64_t load_address;	    /* guest-physical; 0: the format's default (bzImage: 1 MiB) */
	uint64_t entry;		    /* guest-physical, RAW only (0 elsewhere: from the image) */
	char tag[BH_TABLE_TAG_MAX]; /* boot module holding the image */
	char initrd_tag[BH_TABLE_TAG_MAX]; /* boot module holding the initrd, "" if none */
	char cmdline[BH_TABLE_CMDLINE_MAX];
};

/* A half-open range [first, first + count) of records in one section. */
struct bh_index_range {
	uint32_t first;
	uint32_t count;
};

struct bh_partition {
	char name[BH_TABLE_NAME_MAX];
	uint32_t id;	       /* unique; the management tool's handle */
	uint32_t flags;	       /* BH_PART_* */
	uint32_t fault_policy; /* BH_FAULT_* */
	uint32_t reserved;
	struct bh_index_range cpus;   /* BH_SECT_CPUS */
	struct bh_index_range memory; /* BH_SECT_MEMORY */
	struct bh_index_range pci;    /* BH_SECT_PCI */
	struct bh_index_range pio;    /* BH_SECT_PIO */
	struct bh_index_range irqs;   /* BH_SECT_IRQS */
	struct bh_image image;
};

/*
 * A CPU's hardware id, all 64 bits meaningful (the hypervisor's partitions,
 * bh_guest_info.hw_ids and bh_partition_info.hw_ids carry it uncut):
 *   x86_64: the local (x2)APIC ID, below 0xffffffff;
 *   arm64:  the MPIDR_EL1 affinity fields, MPIDR_EL1 & BH_CPU_MPIDR_AFF_MASK:
 *           Aff3 in bits 39:32, Aff2 23:16, Aff1 15:8, Aff0 7:0; the U and MT
 *           bits (30, 24) and RES1 bit 31 are zero.
 */
#define BH_CPU_MPIDR_AFF_MASK 0x000000ff00ffffffULL

struct bh_cpu {
	uint64_t hw_id; /* APIC ID (x86) or MPIDR_EL1 & BH_CPU_MPIDR_AFF_MASK (arm64) */
	uint32_t flags; /* none defined: 0 */
	uint32_t reserved;
};

#define BH_MEM_READ	    (1u << 0)
#define BH_MEM_WRITE	    (1u << 1)
#define BH_MEM_EXEC	    (1u << 2)
#define BH_MEM_DMA	    (1u << 3) /* the partition's devices may DMA here (IOMMU mapping) */
#define BH_MEM_IO	    (1u << 4) /* device memory (MMIO), mapped uncached; not RAM */
#define BH_MEM_SHARED	    (1u << 5) /* an ivshmem link's shared memory, see struct bh_link */
#define BH_MEM_NO_HUGEPAGES (1u << 6) /* map with 4 KiB pages only (CVE-2018-12207) */
#define BH_MEM_LOADABLE	    (1u << 7) /* the partition's image may be loaded here */
#define BH_MEM_KNOWN_FLAGS  0x000000ffu

struct bh_mem_region {
	uint64_t host;	/* host-physical base, 4 KiB aligned */
	uint64_t guest; /* guest-physical base, 4 KiB aligned */
	uint64_t size;	/* multiple of 4 KiB */
	uint32_t flags; /* BH_MEM_* */
	uint32_t reserved;
};

/* What a partition may write in a PCI function's configuration space. */
#define BH_PCI_CFG_W_COMMAND (1u << 0) /* command and status registers */
#define BH_PCI_CFG_W_BARS    (1u << 1) /* base address registers (sizing, moving) */
#define BH_PCI_CFG_W_ROM     (1u << 2) /* expansion ROM BAR */
#define BH_PCI_CFG_W_MSI     (1u << 3) /* MSI capability (the hypervisor filters targets) */
#define BH_PCI_CFG_W_MSIX    (1u << 4) /* MSI-X capability */
#define BH_PCI_CFG_W_CAPS    (1u << 5) /* all other standard capabilities */
#define BH_PCI_CFG_W_EXT     (1u << 6) /* extended configuration space (0x100-0xfff) */
#define BH_PCI_CFG_W_ALL     0x0000007fu
#define BH_PCI_CFG_W_DEFAULT \
	(BH_PCI_CFG_W_COMMAND | BH_PCI_CFG_W_BARS | BH_PCI_CFG_W_MSI | BH_PCI_CFG_W_MSIX)

#define BH_PCI_CONFIG_SPACE 4096 /* bytes of configuration space per function (PCIe) */

/* Additional bytes [offset, offset + size) of config space the partition may write. */
struct bh_pci_window {
	uint16_t offset;
	uint16_t size; /* 0: unused slot */
};

struct bh_pci_device {
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;	    /* device << 3 | function */
	uint32_t flags;	    /* none defined: 0 */
	uint32_t cfg_write; /* BH_PCI_CFG_W_* */
	uint32_t reserved;
	struct bh_pci_window windows[BH_TABLE_PCI_WINDOWS];
};

#define BH_PCI_DEVFN(dev, fn) ((uint8_t)(((dev) << 3) | (fn)))

/* x86 I/O ports [base, base + size). */
struct bh_pio_range {
	uint32_t base;
	uint32_t size;
	uint32_t flags; /* none defined: 0 */
	uint32_t reserved;
};

/* Interrupt lines [first, first + count) of platform interrupt controller `chip`. */
struct bh_irq_range {
	uint32_t chip; /* index into BH_SECT_IRQCHIPS */
	uint32_t first;
	uint32_t count;
	uint32_t flags; /* none defined: 0 */
};

/* ---- inter-partition links (ivshmem) -------------------------------------- */

struct bh_link_peer {
	uint32_t partition_id;
	uint32_t region; /* index within the partition's memory regions: the SHARED one */
	uint32_t vector; /* doorbell: x86 IDT vector raised in this peer (32-255), or 0 when
			    the peer sees a virtual ivshmem PCI function and picks MSI-X itself */
	uint32_t flags;	 /* none defined: 0 */
};

struct bh_link {
	char name[BH_TABLE_NAME_MAX];
	uint64_t host; /* the shared memory, host-physical; a power of two in size */
	uint64_t size;
	uint32_t flags; /* none defined: 0 */
	uint32_t peer_count;
	struct bh_link_peer peers[BH_TABLE_LINK_PEERS_MAX];
};

/* ---- layout pins ---------------------------------------------------------- */

#define BH_TABLE_OFFSETOF(t, f) __builtin_offsetof(t, f)

_Static_assert(sizeof(struct bh_table_section) == 16, "bh_table_section layout");
_Static_assert(sizeof(struct bh_table_header) == 32 + 16 * BH_SECT_COUNT, "bh_table_header layout");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_table_header, crc32) == 20, "bh_table_header crc32");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_table_header, sections) == 32,
	       "bh_table_header sections");
_Static_assert(sizeof(struct bh_console) == 24, "bh_console layout");
_Static_assert(sizeof(struct bh_platform) == 80, "bh_platform layout");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_platform, console) == 56, "bh_platform console");
_Static_assert(sizeof(struct bh_mmconfig) == 16, "bh_mmconfig layout");
_Static_assert(sizeof(struct bh_iommu) == 32, "bh_iommu layout");
_Static_assert(sizeof(struct bh_irqchip) == 32, "bh_irqchip layout");
_Static_assert(sizeof(struct bh_image) == 1112, "bh_image layout");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_image, cmdline) == 88, "bh_image cmdline");
_Static_assert(sizeof(struct bh_index_range) == 8, "bh_index_range layout");
_Static_assert(sizeof(struct bh_partition) == 1200, "bh_partition layout");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_partition, cpus) == 48, "bh_partition cpus");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_partition, image) == 88, "bh_partition image");
_Static_assert(sizeof(struct bh_cpu) == 16, "bh_cpu layout");
_Static_assert(sizeof(struct bh_mem_region) == 32, "bh_mem_region layout");
_Static_assert(sizeof(struct bh_pci_window) == 4, "bh_pci_window layout");
_Static_assert(sizeof(struct bh_pci_device) == 32, "bh_pci_device layout");
_Static_assert(sizeof(struct bh_pio_range) == 16, "bh_pio_range layout");
_Static_assert(sizeof(struct bh_irq_range) == 16, "bh_irq_range layout");
_Static_assert(sizeof(struct bh_link_peer) == 16, "bh_link_peer layout");
_Static_assert(sizeof(struct bh_link) == 120, "bh_link layout");
_Static_assert(BH_TABLE_OFFSETOF(struct bh_link, peers) == 56, "bh_link peers");

#endif
