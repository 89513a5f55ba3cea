// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C side of both entry paths: turns what the firmware or loader handed
 * over (a Multiboot2 information block, or the UEFI loader's boot_info) into
 * one checked struct boot_info and calls hv_main().
 */
#include "boot/mb2.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/hv.h"
#include "core/lib.h"
#include "core/log.h"

/* The largest MB2 information block we accept: far above what GRUB builds. */
#define MB2_INFO_MAX (1u << 20)

extern char __image_start[], __image_end[];
extern uint64_t boot_entry_tsc;

void __noreturn boot_mb2_main(uint32_t magic, uint32_t info);
void __noreturn boot_uefi_main(uint64_t info);

static struct boot_info boot_info;

void boot_mb2_main(uint32_t magic, uint32_t info)
{
	uint32_t total;
	int rc;

	arch_early_console();
	if (magic != MB2_BOOTLOADER_MAGIC) {
		pr_err("boot: entered at the Multiboot2 entry with EAX=0x%x, not 0x%x", magic,
		       MB2_BOOTLOADER_MAGIC);
		hv_stop("not started by a Multiboot2 loader");
	}
	if (info == 0 || (info & 7)) {
		pr_err("boot: Multiboot2 information block at 0x%x is not 8-byte aligned", info);
		hv_stop("bad Multiboot2 information");
	}
	total = *(const volatile uint32_t *)(uintptr_t)info;
	if (total > MB2_INFO_MAX) {
		pr_err("boot: Multiboot2 information block claims %u bytes (limit %u)", total,
		       MB2_INFO_MAX);
		hv_stop("bad Multiboot2 information");
	}
	rc = mb2_parse((const void *)(uintptr_t)info, total, &boot_info);
	if (rc < 0)
		hv_stop("bad Multiboot2 information");
	boot_info.image_start = (uintptr_t)__image_start;
	boot_info.image_end = (uintptr_t)__image_end;
	boot_info.entry_tsc = boot_entry_tsc;
	hv_main(&boot_info);
}

void boot_uefi_main(uint64_t info)
{
	const struct boot_info *in = (const struct boot_info *)(uintptr_t)info;

	arch_early_console();
	if (!info || in->magic != BOOT_INFO_MAGIC || in->version != BOOT_INFO_VERSION ||
	    in->size != sizeof(struct boot_info)) {
		pr_err("boot: the UEFI loader passed boot_info at 0x%llx with magic 0x%llx "
		       "version %u size %u (want version %u size %zu)",
		       (unsigned long long)info, info ? (unsigned long long)in->magic : 0ULL,
		       info ? in->version : 0, info ? in->size : 0, BOOT_INFO_VERSION,
		       sizeof(struct boot_info));
		hv_stop("loader and hypervisor disagree on boot_info");
	}
	memcpy(&boot_info, in, sizeof(boot_info));
	if (boot_info.mem_count > BOOT_MEMMAP_MAX)
		boot_info.mem_count = BOOT_MEMMAP_MAX;
	if (boot_info.module_count > BOOT_MODULES_MAX)
		boot_info.module_count = BOOT_MODULES_MAX;
	boot_info.cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
	boot_info.loader_name[BOOT_LOADER_NAME_MAX - 1] = '\0';
	for (uint32_t i = 0; i < boot_info.module_count; i++)
		boot_info.modules[i].tag[BOOT_TAG_MAX - 1] = '\0';
	if (boot_info.rsdp_len > BOOT_RSDP_MAX)
		boot_info.rsdp_len = BOOT_RSDP_MAX;
	boot_info.path = BOOT_PATH_UEFI_LOADER;
	boot_info.image_start = (uintptr_t)__image_start;
	boot_info.image_end = (uintptr_t)__image_end;
	boot_info.entry_tsc = boot_entry_tsc;
	hv_main(&boot_info);
}
