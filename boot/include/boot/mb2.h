/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot2: the constants Bulkhead's header uses and the parser that turns
 * the boot information block GRUB hands over into one struct boot_info.
 * Constants: Multiboot2 specification 2.0, section 3.
 */
#ifndef BOOT_MB2_H
#define BOOT_MB2_H

#define MB2_HEADER_MAGIC     0xe85250d6u /* in the OS image header */
#define MB2_BOOTLOADER_MAGIC 0x36d76289u /* in EAX at entry */
#define MB2_ARCH_I386	     0

/* header tags (spec 3.1.3) */
#define MB2_HTAG_END		     0
#define MB2_HTAG_INFO_REQUEST	     1
#define MB2_HTAG_ADDRESS	     2
#define MB2_HTAG_ENTRY_ADDRESS	     3
#define MB2_HTAG_CONSOLE_FLAGS	     4
#define MB2_HTAG_FRAMEBUFFER	     5
#define MB2_HTAG_MODULE_ALIGN	     6
#define MB2_HTAG_EFI_BS		     7
#define MB2_HTAG_ENTRY_ADDRESS_EFI32 8
#define MB2_HTAG_ENTRY_ADDRESS_EFI64 9
#define MB2_HTAG_RELOCATABLE	     10

/* information tags (spec 3.6) */
#define MB2_TAG_END	       0
#define MB2_TAG_CMDLINE	       1
#define MB2_TAG_LOADER_NAME    2
#define MB2_TAG_MODULE	       3
#define MB2_TAG_BASIC_MEMINFO  4
#define MB2_TAG_BOOTDEV	       5
#define MB2_TAG_MMAP	       6
#define MB2_TAG_VBE	       7
#define MB2_TAG_FRAMEBUFFER    8
#define MB2_TAG_ELF_SECTIONS   9
#define MB2_TAG_APM	       10
#define MB2_TAG_EFI32	       11
#define MB2_TAG_EFI64	       12
#define MB2_TAG_SMBIOS	       13
#define MB2_TAG_ACPI_OLD       14
#define MB2_TAG_ACPI_NEW       15
#define MB2_TAG_NETWORK	       16
#define MB2_TAG_EFI_MMAP       17
#define MB2_TAG_EFI_BS	       18
#define MB2_TAG_EFI32_IH       19
#define MB2_TAG_EFI64_IH       20
#define MB2_TAG_LOAD_BASE_ADDR 21

#ifndef __ASSEMBLER__
#include "core/boot_info.h"
#include "core/types.h"

/*
 * Parses the Multiboot2 information block at info (at most max_len bytes may
 * be read; the block's own total_size must fit in that). Fills *bi (which the
 * caller has zeroed; the parser sets magic, version, size and path).
 * Returns 0, or a negative HV_E* error after logging one line that names what
 * is wrong (bad total size, a tag running past the block, a truncated or
 * malformed tag, no memory map). Unknown tags are skipped.
 */
int mb2_parse(const void *info, size_t max_len, struct boot_info *bi);
#endif

#endif
