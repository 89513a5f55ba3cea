// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading Linux as the root partition (x86 boot protocol, 64-bit entry):
 * places kernel, initrd, command line, a copy of the RSDP, page tables and a
 * GDT in root RAM (arch/x86_64/linux_boot.c), builds the zero page with the
 * root's own e820, and sets the start state the protocol asks for: long
 * mode, identity map, CS = __BOOT_CS (0x10), DS = __BOOT_DS (0x18),
 * RSI = the zero page, RIP = kernel + 0x200.
 */
#include <bulkhead/table.h>

#include "arch/linux_boot.h"
#include "arch/vcpu.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"

#define LINUX_BOOT_CS  0x10
#define LINUX_BOOT_DS  0x18
#define RSDP_COPY_SIZE 4096

_Static_assert(sizeof(struct phys_span) == sizeof(struct linux_range), "span layouts");

int arch_linux_setup(struct partition *p, struct x86_part *xp, const struct linux_image *li)
{
	static struct bzimage_info info;
	static struct e820_entry e820[E820_MAX_ENTRIES_ZEROPAGE];
	static uint8_t bp[BOOT_PARAMS_SIZE];
	struct linux_sizes sz = { 0 };
	struct linux_layout lay;
	uint64_t *gdt;
	unsigned n;
	int rc;

	rc = bzimage_parse(li->kernel, li->kernel_len, &info);
	if (rc < 0)
		return rc;
	rc = linux_build_e820(p, li->memmap, e820, ARRAY_SIZE(e820));
	if (rc < 0)
		return rc;
	n = (unsigned)rc;
	sz.initrd_size = li->initrd_len;
	sz.cmdline_len = strlen(li->cmdline) + 1;
	sz.pgtable_pages = LINUX_PGTABLE_PAGES_DEFAULT;
	sz.acpi_size = li->rsdp_len ? RSDP_COPY_SIZE : 0;
	rc = linux_place(&info, &sz, e820, n, (const struct linux_range *)li->avoid, li->n_avoid,
			 &lay);
	if (rc < 0)
		return rc;
	if (gmem_write(p, lay.kernel_addr, (const uint8_t *)li->kernel + info.kernel_offset,
		       info.kernel_len) < 0 ||
	    (li->initrd_len && gmem_write(p, lay.initrd_addr, li->initrd, li->initrd_len) < 0) ||
	    gmem_write(p, lay.cmdline_addr, li->cmdline, sz.cmdline_len) < 0 ||
	    (li->rsdp_len && gmem_write(p, lay.acpi_addr, li->rsdp, li->rsdp_len) < 0)) {
		pr_err("linux: partition \"%s\": the layout does not fit its memory", p->name);
		return -HV_EFAULT;
	}
	if (li->rsdp_len && linux_e820_set(e820, &n, ARRAY_SIZE(e820), lay.acpi_addr, lay.acpi_size,
					   E820_TYPE_ACPI) < 0)
		return -HV_ENOSPC;
	memset(bp, 0, sizeof(bp));
	rc = linux_build_boot_params(&info, &lay, e820, n, li->rsdp_len ? lay.acpi_addr : 0, bp,
				     sizeof(bp));
	if (rc < 0 || gmem_write(p, lay.boot_params_addr, bp, sizeof(bp)) < 0)
		return rc < 0 ? rc : -HV_EFAULT;

	gdt = gmem_ptr(p, lay.gdt_addr, 4 * 8, true);
	if (!gdt || lay.pgtable_size < GUEST_IDMAP_PAGES * PAGE_SIZE ||
	    guest_identity_map(p, lay.pgtable_addr) < 0)
		return -HV_EFAULT;
	gdt[0] = gdt[1] = 0;
	gdt[2] = 0x00af9a000000ffffULL; /* __BOOT_CS: 64-bit code */
	gdt[3] = 0x00cf92000000ffffULL; /* __BOOT_DS */

	xp->entry = lay.kernel_addr + BZ_ENTRY64_OFFSET;
	xp->cr3 = lay.pgtable_addr;
	xp->gdt = lay.gdt_addr;
	xp->cs = LINUX_BOOT_CS;
	xp->ds = LINUX_BOOT_DS;
	xp->boot_rsi = lay.boot_params_addr;
	xp->linux_root = true;
	pr_info("linux: partition \"%s\": kernel protocol %u.%02u at 0x%llx, initrd %llu KiB at "
		"0x%llx, zero page at 0x%llx, %u e820 entries",
		p->name, info.version >> 8, info.version & 0xff,
		(unsigned long long)lay.kernel_addr, (unsigned long long)(li->initrd_len >> 10),
		(unsigned long long)lay.initrd_addr, (unsigned long long)lay.boot_params_addr, n);
	return 0;
}
