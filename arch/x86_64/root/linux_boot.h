/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The data side of booting Linux as the root partition through the x86 boot
 * protocol (Linux Documentation/arch/x86/boot.rst, zero-page.rst): the
 * bzImage setup header parser, the placement of kernel, initrd, command line
 * and boot structures in the root's memory, the root's e820 map and the
 * boot_params ("zero page") builder. Pure functions over caller buffers; the
 * vCPU side (64-bit entry, page tables, AP start) lives elsewhere.
 */
#ifndef ARCH_LINUX_BOOT_H
#define ARCH_LINUX_BOOT_H

#include "core/memmap.h"
#include "core/partition.h"
#include "core/types.h"

/* boot_params is one page (zero-page.rst). */
#define BOOT_PARAMS_SIZE 4096u

/* e820 types as Linux reads them (arch/x86/include/asm/e820/types.h). */
#define E820_TYPE_RAM	   1
#define E820_TYPE_RESERVED 2
#define E820_TYPE_ACPI	   3
#define E820_TYPE_NVS	   4
#define E820_TYPE_UNUSABLE 5
#define E820_TYPE_PMEM	   7

/* boot_params.e820_table holds at most this many entries (zero-page.rst, 0x2d0). */
#define E820_MAX_ENTRIES_ZEROPAGE 128

/* One entry of boot_params.e820_table: 20 bytes, packed (struct boot_e820_entry in Linux). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __packed;

_Static_assert(sizeof(struct e820_entry) == 20, "e820_entry layout");

/* The setup header sits at 0x1f1 of the image and of boot_params (boot.rst). */
#define BZ_HDR_OFFSET 0x1f1
/* boot_params.edd_mbr_sig_buffer starts here: a setup header may not reach it. */
#define BZ_HDR_LIMIT 0x290
#define BZ_HDR_MAX   (BZ_HDR_LIMIT - BZ_HDR_OFFSET)

/* loadflags (boot.rst, "loadflags"). */
#define BZ_LOADED_HIGH	 (1u << 0) /* protected-mode code at 0x100000: a bzImage */
#define BZ_KASLR_FLAG	 (1u << 1) /* set by the kernel itself */
#define BZ_QUIET_FLAG	 (1u << 5)
#define BZ_KEEP_SEGMENTS (1u << 6) /* obsolete; 32-bit entry only */
#define BZ_CAN_USE_HEAP	 (1u << 7) /* heap_end_ptr is valid; real-mode setup only */

/* xloadflags (boot.rst, "xloadflags", protocol 2.12). */
#define BZ_XLF_KERNEL_64	      (1u << 0) /* has the 64-bit entry at +0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define BZ_XLF_EFI_HANDOVER_32	      (1u << 2)
#define BZ_XLF_EFI_HANDOVER_64	      (1u << 3)
#define BZ_XLF_EFI_KEXEC	      (1u << 4)
#define BZ_XLF_5LEVEL		      (1u << 5)
#define BZ_XLF_5LEVEL_ENABLED	      (1u << 6)

/* The 64-bit entry point is the protected-mode kernel's load address plus this (boot.rst). */
#define BZ_ENTRY64_OFFSET 0x200
/* type_of_loader: "undefined" (boot.rst; no loader ID is assigned to Bulkhead). */
#define BZ_LOADER_UNDEFINED 0xff

/* What bzimage_parse() found; every field as the image has it unless noted. */
struct bzimage_info {
	uint16_t version;    /* boot protocol: 0x020f is 2.15 */
	uint8_t setup_sects; /* as used: an image's 0 means 4 */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;   /* relocatable_kernel */
	uint8_t min_alignment; /* log2 of the smallest workable alignment */
	uint32_t syssize;      /* protected-mode code in 16-byte units */
	uint32_t code32_start;
	uint32_t kernel_alignment; /* a power of two, 4 KiB .. 1 GiB */
	uint32_t init_size;	   /* memory the kernel needs from its load address */
	uint32_t cmdline_size;	   /* longest command line, terminating NUL excluded */
	uint32_t initrd_addr_max;  /* highest address the initrd's last byte may have */
	uint64_t pref_address;
	size_t kernel_offset;	 /* (setup_sects + 1) * 512: the protected-mode kernel */
	size_t kernel_len;	 /* image bytes from kernel_offset to the end: what is copied */
	uint64_t mem_size;	 /* max(init_size, kernel_len) aligned up to kernel_alignment */
	uint32_t hdr_len;	 /* setup header bytes from 0x1f1: 0x202 + byte 0x201 - 0x1f1 */
	uint8_t hdr[BZ_HDR_MAX]; /* the setup header, copied into boot_params as it is */
};

/*
 * Checks a bzImage's setup header (every offset bounds-checked against len)
 * and fills *out. Needs boot protocol 2.12 or later, a 64-bit entry
 * (XLF_KERNEL_64) and LOADED_HIGH. Returns 0, or -HV_ENOEXEC with one log
 * line naming the field and value that were refused.
 */
int bzimage_parse(const void *img, size_t len, struct bzimage_info *out);

/* A guest-physical range. */
struct linux_range {
	uint64_t base;
	uint64_t size;
};

/* Lowest guest-physical address for the kernel when pref_address is not free. */
#define LINUX_KERNEL_MIN (16ull << 20)
/* Boot structures go at or above this: below is BIOS data and Linux's real-mode trampoline. */
#define LINUX_LOW_MIN (1ull << 20)
/* Everything is placed below 4 GiB (kernel, initrd, boot structures). */
#define LINUX_PLACE_LIMIT (4ull << 30)
/* Identity map of 0-4 GiB with 2 MiB pages: PML4, PDPT and four page directories. */
#define LINUX_PGTABLE_PAGES_DEFAULT 6

/* What the boot needs room for besides the kernel (whose size is bzimage_info.mem_size). */
struct linux_sizes {
	uint64_t initrd_size;	/* 0: no initrd */
	uint64_t cmdline_len;	/* command line bytes including the NUL (at least 1) */
	uint32_t pgtable_pages; /* identity page tables the vCPU side builds */
	uint64_t acpi_size;	/* the root's RSDP/XSDT/RSDT/MADT copies; 0: none */
};

/*
 * Where everything goes, guest-physical. The "low block" at low_base holds,
 * in this order and each page-aligned: boot_params (one page), the GDT (one
 * page), the page tables, the ACPI copies, the command line.
 */
struct linux_layout {
	uint64_t kernel_addr; /* the protected-mode kernel; 64-bit entry at + BZ_ENTRY64_OFFSET */
	uint64_t kernel_size; /* reserved for it: bzimage_info.mem_size */
	uint64_t initrd_addr; /* 0 when there is no initrd */
	uint64_t initrd_size;
	uint64_t low_base;
	uint64_t low_size;
	uint64_t boot_params_addr;
	uint64_t gdt_addr;
	uint64_t pgtable_addr;
	uint64_t pgtable_size;
	uint64_t acpi_addr; /* 0 when acpi_size was 0 */
	uint64_t acpi_size;
	uint64_t cmdline_addr;
	uint64_t cmdline_len; /* including the NUL */
};

/*
 * Chooses non-overlapping guest-physical places, all below 4 GiB, inside the
 * E820_TYPE_RAM entries of e820 (the root's map as linux_build_e820() made
 * it: sorted, merged) and outside every range of avoid (boot modules still
 * to be copied from, and the like):
 * - the kernel at pref_address when [pref_address, + mem_size) lies in one
 *   RAM entry, else at the lowest kernel_alignment-aligned address at or
 *   above max(pref_address, 16 MiB) where it fits (a non-relocatable kernel
 *   only at pref_address);
 * - the initrd as high as it fits below min(initrd_addr_max + 1, 4 GiB),
 *   page-aligned;
 * - the low block as low as it fits at or above 1 MiB.
 * Returns 0, or -HV_ENOSPC / -HV_EINVAL with one log line naming what does
 * not fit.
 */
int linux_place(const struct bzimage_info *info, const struct linux_sizes *sz,
		const struct e820_entry *e820, unsigned n, const struct linux_range *avoid,
		unsigned n_avoid, struct linux_layout *out);

/*
 * Fills the BOOT_PARAMS_SIZE-byte zero page at bp (bp_size bytes): the setup
 * header copied from the image, type_of_loader, command line, initrd, RSDP,
 * code32_start and the e820 table (n entries). rsdp_addr 0 leaves Linux to
 * search for the RSDP itself (it would then find the firmware's, unpatched).
 * Returns 0, or -HV_EINVAL with a log line when the layout breaks one of the
 * kernel's limits (command line length, initrd_addr_max, 4 GiB).
 */
int linux_build_boot_params(const struct bzimage_info *info, const struct linux_layout *lay,
			    const struct e820_entry *e820, unsigned n, uint64_t rsdp_addr, void *bp,
			    size_t bp_size);

/*
 * The root partition's e820 map, guest-physical, sorted and merged:
 * - E820_TYPE_RAM where a root region that is RAM to it (readable, writable,
 *   neither BH_MEM_IO nor BH_MEM_SHARED) is backed by firmware RAM (also RAM
 *   carved as a module, boot information, low memory or partition memory;
 *   never the hypervisor's image or pool);
 * - the firmware's own type (reserved, ACPI, NVS, unusable, persistent; EFI
 *   runtime as reserved) where any root region covers a non-RAM firmware
 *   range, clipped to the region;
 * - every ACPI reclaim and ACPI NVS range of the firmware map, whole and at
 *   its host address, whether or not a root region covers it: Linux must be
 *   able to read the tables;
 * - nothing else (other partitions' memory and the hypervisor are absent).
 * Where two of these overlap, anything beats RAM. Returns the number of
 * entries written to out, or -HV_ENOSPC (more than max) / -HV_EINVAL.
 */
int linux_build_e820(const struct partition *root, const struct memmap *fw, struct e820_entry *out,
		     unsigned max);

/*
 * Gives [base, base + size) the type inside one E820_TYPE_RAM entry of the
 * sorted map e820[0..*n), splitting it; for marking the ACPI copies placed in
 * the low block as E820_TYPE_ACPI. Returns 0, -HV_EINVAL (not inside one RAM
 * entry) or -HV_ENOSPC (max entries reached).
 */
int linux_e820_set(struct e820_entry *e820, unsigned *n, unsigned max, uint64_t base, uint64_t size,
		   uint32_t type);

#endif
