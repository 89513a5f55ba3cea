// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the UEFI loader's input parsers: the first byte picks
 * the config file parser, the load-options reader, the hypervisor ELF check
 * or the memory map conversion; the rest is that parser's input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../boot/uefi/uefi_config.h"
#include "../../boot/uefi/uefi_elf.h"
#include "../../boot/uefi/uefi_mmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct uefi_config cfg;
static struct uefi_elf_image img;
static struct boot_info bi;

static void fuzz_config(const uint8_t *p, size_t n)
{
	if (uefi_config_parse((const char *)p, n, &cfg) == 0) {
		uint32_t i;

		/* Whatever is accepted must be bounded and terminated. */
		if (cfg.hypervisor[0] != '\\' || cfg.module_count > BOOT_MODULES_MAX ||
		    strnlen(cfg.cmdline, sizeof(cfg.cmdline)) == sizeof(cfg.cmdline))
			abort();
		for (i = 0; i < cfg.module_count; i++)
			if (strnlen(cfg.modules[i].tag, BOOT_TAG_MAX) == BOOT_TAG_MAX ||
			    cfg.modules[i].path[0] != '\\')
				abort();
	}
}

static void fuzz_options(const uint8_t *p, size_t n)
{
	char path[UEFI_CFG_PATH_MAX];
	/* A copy of exactly n bytes, so reading past the options is caught. */
	uint8_t *copy = malloc(n ? n : 1);

	memcpy(copy, p, n);
	if (uefi_load_options_path(copy, n, path, sizeof(path)) == 1 && path[0] != '\\')
		abort();
	free(copy);
}

static void fuzz_elf(const uint8_t *p, size_t n)
{
	uint32_t i;

	if (uefi_elf_check(p, n, &img) != 0)
		return;
	if (img.count == 0 || img.count > UEFI_ELF_SEGMENTS_MAX ||
	    img.phys_end > UEFI_ELF_PHYS_LIMIT)
		abort();
	for (i = 0; i < img.count; i++) {
		const struct uefi_elf_segment *s = &img.seg[i];

		if (s->filesz > s->memsz || s->offset > n || s->filesz > n - s->offset ||
		    s->paddr < img.phys_start || s->paddr + s->memsz > img.phys_end)
			abort();
		if (i && img.seg[i - 1].paddr + img.seg[i - 1].memsz > s->paddr)
			abort();
	}
}

static void fuzz_mmap(const uint8_t *p, size_t n)
{
	size_t dsize;
	uint64_t addr = 0, len = 0, base = 0, size = 0;
	uint32_t i, type;

	if (n < 17)
		return;
	/* Descriptor sizes around the real ones, some below the minimum. */
	dsize = 32 + p[0] % 32;
	memcpy(&addr, p + 1, 8);
	memcpy(&len, p + 9, 8);
	p += 17;
	n -= 17;
	if (uefi_mmap_convert(p, n, dsize, &bi) == 0) {
		if (bi.mem_count > BOOT_MEMMAP_MAX)
			abort();
		for (i = 1; i < bi.mem_count; i++)
			if (bi.mem[i].base < bi.mem[i - 1].base)
				abort();
	}
	if (uefi_mmap_find(p, n, dsize, addr, &base, &size, &type) &&
	    (addr < base || addr - base >= size))
		abort();
	uefi_mmap_check_reusable(p, n, dsize, addr, len, addr & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_config(data + 1, size - 1);
		break;
	case 1:
		fuzz_options(data + 1, size - 1);
		break;
	case 2:
		fuzz_elf(data + 1, size - 1);
		break;
	default:
		fuzz_mmap(data + 1, size - 1);
		break;
	}
	return 0;
}
