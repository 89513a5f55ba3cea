/* SPDX-License-Identifier: GPL-2.0-only */
/* What the files of core/table/ share with each other and nobody else. */
#ifndef CORE_TABLE_INTERNAL_H
#define CORE_TABLE_INTERNAL_H

#include "core/table.h"

/* A record's sort key and index: sorting these keeps the sort's memory compact. */
struct table_key {
	uint64_t key;
	uint32_t idx;
	uint32_t pad;
};

/* Sorts by (key, idx): heapsort, O(n log n), no recursion, no memory. */
void table_sort_keys(struct table_key *k, uint32_t n);

/* The index range of a partition for one of the per-partition sections. */
const struct bh_index_range *table_part_range(const struct bh_partition *p, unsigned sect);

/* Record sizes of this ABI version, by section. */
extern const uint32_t table_entry_size[BH_SECT_COUNT];

/* Section offsets for a blob with these record counts; returns the total size. */
uint64_t table_layout(struct bh_table_header *h, const uint32_t count[BH_SECT_COUNT]);

/* End of [base, base + size) clamped to UINT64_MAX when it wraps. */
static inline uint64_t table_end(uint64_t base, uint64_t size)
{
	return base + size < base ? UINT64_MAX : base + size;
}

static inline bool table_overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return asize && bsize && a < table_end(b, bsize) && b < table_end(a, asize);
}

/* The local APIC / MSI window (Intel SDM vol. 3, 10.4.1 and 10.11.1). */
#define TABLE_X86_LAPIC_BASE 0xfee00000ULL
#define TABLE_X86_LAPIC_SIZE 0x00100000ULL
/* Configuration mechanism #1 ports (PCI Local Bus spec 3.0, 3.2.2.3.2). */
#define TABLE_X86_PCI_CFG_PORT 0xcf8u
#define TABLE_X86_PCI_CFG_SIZE 8u
#define TABLE_X86_PORTS	       0x10000u
/* A 16550 UART occupies 8 ports / registers. */
#define TABLE_UART_REGS 8u

/*
 * x86 ports that reset the machine, raise an SMI or control the platform:
 * never an RT partition's (the root's are trapped by the hypervisor).
 */

extern const struct table_platform_port table_x86_platform_ports[];
extern const unsigned table_x86_platform_port_count;
/* Each bus takes 1 MiB of an MMCONFIG window (PCI Firmware spec 3.0, 4.1.2). */
#define TABLE_MMCFG_BUS_SHIFT 20
/* bzImage protected-mode kernels load at 1 MiB by default (Linux boot protocol). */
#define TABLE_BZIMAGE_DEFAULT_LOAD 0x100000ULL
/* x86 exception vectors 0-31 are reserved (SDM vol. 3, 6.2). */
#define TABLE_X86_FIRST_VECTOR 32u
#define TABLE_X86_LAST_VECTOR  255u
/* GIC INTIDs 1020-1023 are special (GICv3 spec 2.2.1). */
#define TABLE_GIC_LAST_INTID 1019u
/* IOAPIC: at most 240 redirection entries (82093AA max redirection entry is 8 bits). */
#define TABLE_IOAPIC_LINES_MAX 240u
#define TABLE_GIC_SPIS_MAX     988u
/* MPIDR affinity fields Aff0-Aff2 (bits 0-23) and Aff3 (bits 32-39), ARM ARM D17.2.101. */
#define TABLE_MPIDR_AFF_MASK BH_CPU_MPIDR_AFF_MASK

#endif
