// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for mb2_parse(): the input is the Multiboot2 information
 * block (max_len = input size), copied to an 8-byte aligned buffer as a loader
 * would place it. A block that parses is checked for sane output and fed on
 * to memmap_init().
 */
#include <stdlib.h>
#include <string.h>

#include "boot/mb2.h"
#include "core/memmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct boot_info bi;
static struct memmap map;

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void check_output(void)
{
	check(bi.magic == BOOT_INFO_MAGIC && bi.size == sizeof(bi));
	check(bi.path == BOOT_PATH_MB2_BIOS || bi.path == BOOT_PATH_MB2_UEFI);
	check(bi.mem_count >= 1 && bi.mem_count <= BOOT_MEMMAP_MAX);
	check(bi.module_count <= BOOT_MODULES_MAX);
	check(bi.rsdp_len == 0 || bi.rsdp_len == 20 || bi.rsdp_len == 36);
	check(strnlen(bi.cmdline, sizeof(bi.cmdline)) < sizeof(bi.cmdline));
	check(strnlen(bi.loader_name, sizeof(bi.loader_name)) < sizeof(bi.loader_name));
	for (uint32_t i = 0; i < bi.module_count; i++) {
		check(bi.modules[i].end >= bi.modules[i].start);
		check(strnlen(bi.modules[i].tag, BOOT_TAG_MAX) < BOOT_TAG_MAX);
	}
	for (uint32_t i = 0; i < bi.mem_count; i++) {
		check(bi.mem[i].size != 0);
		check(bi.mem[i].type >= BOOT_MEM_RAM && bi.mem[i].type <= BOOT_MEM_PERSISTENT);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf = aligned_alloc(8, ALIGN_UP(size + 1, 8));

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&bi, 0, sizeof(bi));
	if (mb2_parse(buf, size, &bi) == 0) {
		check_output();
		if (memmap_init(&map, bi.mem, bi.mem_count) == 0) {
			for (uint32_t i = 0; i < map.count; i++) {
				const struct mem_range *r = &map.r[i];

				check(r->size && r->base + r->size > r->base);
				check(i == 0 || map.r[i - 1].base + map.r[i - 1].size <= r->base);
			}
		}
	}
	free(buf);
	return 0;
}
