/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct boot_info: the only thing that crosses from boot/ (Multiboot2 entry,
 * own UEFI loader) into core/. Fixed-size, pointer-free and fixed-width so the
 * UEFI loader (gnu-efi, MS ABI) and the hypervisor agree on its layout.
 */
#ifndef CORE_BOOT_INFO_H
#define CORE_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC	  0x4f464e49544f4f42ULL /* "BOOTINFO" */
#define BOOT_INFO_VERSION 1

#define BOOT_MEMMAP_MAX	     256
#define BOOT_MODULES_MAX     16
#define BOOT_CMDLINE_MAX     1024
#define BOOT_TAG_MAX	     256
#define BOOT_LOADER_NAME_MAX 64
#define BOOT_RSDP_MAX	     36 /* ACPI 2.0+ RSDP; ACPI 1.0 RSDP is 20 bytes */

enum boot_path {
	BOOT_PATH_UNKNOWN = 0,
	BOOT_PATH_MB2_BIOS = 1,	   /* GRUB (or other MB2 loader) on BIOS */
	BOOT_PATH_MB2_UEFI = 2,	   /* GRUB on UEFI: MB2 info has an EFI64 tag */
	BOOT_PATH_UEFI_LOADER = 3, /* Bulkhead's own UEFI loader */
};

/* Memory types follow the e820 / MB2 numbering, plus one for EFI runtime. */
enum boot_mem_type {
	BOOT_MEM_RAM = 1, /* usable RAM */
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3, /* ACPI tables: RAM, but never handed out */
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
	BOOT_MEM_FIRMWARE = 6, /* EFI runtime services code/data */
	BOOT_MEM_PERSISTENT = 7,
};

struct boot_mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t type; /* enum boot_mem_type */
	uint32_t reserved;
};

struct boot_module {
	uint64_t start;		/* physical, inclusive */
	uint64_t end;		/* physical, exclusive */
	char tag[BOOT_TAG_MAX]; /* the module's string, e.g. "bulkhead-table" */
};

/* flags */
#define BOOT_INFO_F_RSDP_V2	  (1u << 0) /* rsdp holds an ACPI 2.0+ RSDP */
#define BOOT_INFO_F_MEM_TRUNCATED (1u << 1) /* more ranges than BOOT_MEMMAP_MAX */
#define BOOT_INFO_F_MOD_TRUNCATED (1u << 2) /* more modules than BOOT_MODULES_MAX */
#define BOOT_INFO_F_FRAMEBUFFER	  (1u << 3)
#define BOOT_INFO_F_EFI_MMAP	  (1u << 4) /* mem[] came from an EFI memory map */

struct boot_framebuffer {
	uint64_t addr;
	uint32_t pitch;
	uint32_t width;
	uint32_t height;
	uint8_t bpp;
	uint8_t type;
	uint8_t reserved[2];
};

struct boot_info {
	uint64_t magic;	  /* BOOT_INFO_MAGIC */
	uint32_t version; /* BOOT_INFO_VERSION */
	uint32_t size;	  /* sizeof(struct boot_info) */
	uint32_t path;	  /* enum boot_path */
	uint32_t flags;	  /* BOOT_INFO_F_* */
	uint32_t mem_count;
	uint32_t module_count;
	uint64_t efi_system_table; /* physical; 0 when not booted from UEFI */
	uint64_t image_start;	   /* where the hypervisor image was loaded */
	uint64_t image_end;
	uint64_t loader_tsc; /* TSC read by the loader just before entry, 0 if unknown */
	uint64_t entry_tsc;  /* TSC at hypervisor entry, set by boot/ itself */
	uint32_t rsdp_len;   /* bytes valid in rsdp[], 0 if none */
	uint32_t reserved0;
	uint8_t rsdp[BOOT_RSDP_MAX]; /* a copy of the RSDP (MB2 passes a copy) */
	uint8_t reserved1[4];
	uint64_t rsdp_phys; /* where the original RSDP lies, 0 if only a copy */
	struct boot_framebuffer fb;
	char loader_name[BOOT_LOADER_NAME_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_range mem[BOOT_MEMMAP_MAX];
	struct boot_module modules[BOOT_MODULES_MAX];
};

_Static_assert(sizeof(struct boot_mem_range) == 24, "boot_mem_range layout");
_Static_assert(sizeof(struct boot_module) == 16 + BOOT_TAG_MAX, "boot_module layout");
_Static_assert(sizeof(struct boot_framebuffer) == 24, "boot_framebuffer layout");

#endif
