/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Constants shared by the x86_64 port's assembly and C: selectors, vectors, stacks, boot magics. */
#ifndef X86_DEFS_H
#define X86_DEFS_H

/* Our GDT (entry.S): the 64-bit start from Bulkhead uses the same code/data selectors. */
#define GDT_CODE64  0x08
#define GDT_DATA    0x10
#define GDT_TSS	    0x18 /* a 16-byte system descriptor: slots 3 and 4 */
#define GDT_ENTRIES 5

/* Interrupt vectors (SDM Vol. 3A 6.2: 0-31 are exceptions). */
#define VEC_TIMER    0x30
#define VEC_SPURIOUS 0xff

/* Every CPU entering the image takes a ticket and a small stack of its own. */
#define ENTRY_CPUS_MAX	  16
#define ENTRY_STACK_SHIFT 12 /* 4 KiB */
#define BOOT_STACK_SIZE	  16384
#define IST_STACK_SIZE	  4096

/* Multiboot2 (Multiboot2 specification 3.1.1, 3.1.6, 3.3). */
#define MB2_HEADER_MAGIC     0xe85250d6
#define MB2_ARCH_I386	     0
#define MB2_HEADER_TAG_END   0
#define MB2_HEADER_TAG_ENTRY 3
#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* include/bulkhead/guest.h BH_GUEST_MAGIC32, repeated for assembly (checked in boot.c). */
#define BH_MAGIC32 0x42484753

/* Paging (SDM Vol. 3A 4.5): identity map of 0-4 GiB with 2 MiB pages. */
#define PTE_P	      0x1
#define PTE_RW	      0x2
#define PTE_PWT	      0x8
#define PTE_PCD	      0x10
#define PTE_PS	      0x80
#define PD_ENTRIES_4G 2048
/* 3 GiB and up hold device memory (local APIC, IOAPIC, PCI BARs): map it uncached. */
#define PD_FIRST_UNCACHED 1536

#define CR0_PE	 0x1
#define CR0_PG	 0x80000000
#define CR4_PAE	 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100

#endif
