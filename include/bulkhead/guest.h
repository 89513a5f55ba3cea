/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * How Bulkhead starts a partition's guest image (ELF64 or raw) on x86_64.
 *
 * The first BH_GUEST_RESERVED_BYTES of the partition's lowest RAM region
 * (guest-physical) belong to the hypervisor: page tables at offset 0x1000
 * and a GDT at 0x7000 for a 64-bit start, and struct bh_guest_info at
 * BH_GUEST_INFO_OFFSET (never at guest-physical 0, which C code would take
 * for NULL). Images must be linked above the reserved bytes.
 *
 * 64-bit start (the default for ELF64): long mode, paging on with an
 * identity map of guest-physical 0-4 GiB (2 MiB pages, write-back), CS = 0x08
 * (64-bit code), DS/ES/SS = 0x10, RFLAGS = 0x2 (interrupts off), RSP = 0
 * (the guest sets its own stack), RDI = guest-physical address of struct
 * bh_guest_info, RAX = BH_GUEST_MAGIC32, RIP = the image's entry.
 *
 * 32-bit start (table image flag BH_IMAGE_F_START32): protected mode, paging
 * off, flat 4 GiB segments, EFLAGS = 0x2, ESP undefined, EAX =
 * BH_GUEST_MAGIC32, EBX = address of struct bh_guest_info, EIP = e_entry,
 * like a Multiboot2 loader hands over (but with this structure, not MB2).
 * An ELF64 image started this way must therefore have an e_entry that
 * works in both modes (the in-tree RTOS does).
 *
 * Every vCPU of a partition starts at the entry with the same structure; a
 * vCPU finds its index from its hardware id in hw_ids[] (or CPUID 0x40000001
 * EDX); index 0 is the partition's boot CPU. Interrupts are off and the
 * local APIC is in x2APIC mode when the CPU has it.
 */
#ifndef BULKHEAD_GUEST_H
#define BULKHEAD_GUEST_H

#include <stdint.h>

/*
 * BH_GUEST_INFO_VERSION 2: apic_ids[16] (u32) became hw_ids[16] (u64), so
 * that arm64 MPIDRs keep Aff3; everything after it moved and the structure
 * grew from 784 to 848 bytes. A guest checks version before reading the rest.
 */
#define BH_GUEST_MAGIC		0x0054534555474842ULL /* "BHGUEST\0" */
#define BH_GUEST_MAGIC32	0x42484753u	      /* "SGHB": in EAX at entry */
#define BH_GUEST_INFO_VERSION	2
#define BH_GUEST_RESERVED_BYTES 0x10000u /* 64 KiB */
#define BH_GUEST_INFO_OFFSET	0x8000u	 /* struct bh_guest_info, within the reserved bytes */
#define BH_GUEST_MEM_MAX	16
#define BH_GUEST_CMDLINE_MAX	256

#define BH_GUEST_MEM_RAM    1
#define BH_GUEST_MEM_SHARED 2 /* an ivshmem link region */
#define BH_GUEST_MEM_IO	    3 /* device MMIO passed through */

struct bh_guest_mem {
	uint64_t gpa;
	uint64_t size;
	uint32_t type; /* BH_GUEST_MEM_* */
	uint32_t reserved;
};

struct bh_guest_info {
	uint64_t magic;	  /* BH_GUEST_MAGIC */
	uint32_t version; /* BH_GUEST_INFO_VERSION */
	uint32_t size;	  /* sizeof(struct bh_guest_info) */
	uint32_t partition_id;
	uint32_t flags;	       /* table flags of the partition */
	uint32_t cpu_count;    /* vCPUs of this partition */
	uint32_t console_port; /* a passthrough 16550 I/O port, or 0: use BH_HC_CONSOLE_WRITE */
	uint64_t tsc_khz;      /* 0 = unknown */
	/*
	 * Hardware ids of the partition's CPUs, by cpu_index, as the table's
	 * bh_cpu.hw_id: the APIC ID on x86, MPIDR_EL1 & 0xff00ffffff on arm64.
	 */
	uint64_t hw_ids[16];
	char name[32];
	uint32_t mem_count;
	uint32_t reserved;
	struct bh_guest_mem mem[BH_GUEST_MEM_MAX];
	char cmdline[BH_GUEST_CMDLINE_MAX];
};

_Static_assert(sizeof(struct bh_guest_info) == 848, "bh_guest_info layout");
_Static_assert(__builtin_offsetof(struct bh_guest_info, tsc_khz) == 32, "bh_guest_info layout");
_Static_assert(__builtin_offsetof(struct bh_guest_info, hw_ids) == 40, "bh_guest_info layout");
_Static_assert(__builtin_offsetof(struct bh_guest_info, name) == 168, "bh_guest_info layout");
_Static_assert(__builtin_offsetof(struct bh_guest_info, mem) == 208, "bh_guest_info layout");
_Static_assert(__builtin_offsetof(struct bh_guest_info, cmdline) == 592, "bh_guest_info layout");
_Static_assert(BH_GUEST_INFO_OFFSET + sizeof(struct bh_guest_info) <= BH_GUEST_RESERVED_BYTES,
	       "bh_guest_info fits in the reserved bytes");

#endif
