// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the partition table: the blob parser, the validator
 * and the boot-time checks on arbitrary blobs, and the default-table builder
 * on arbitrary memory maps (whose output the validator must accept).
 *
 * An input starting with 'B' is a blob (the seeds are the shipped tables);
 * the harness fixes the CRC of even-sized ones so that mutations get past it
 * to the checks behind. Any other input describes a machine for the default
 * table.
 */
#include <stdlib.h>
#include <string.h>

#include "core/errno.h"
#include "core/table.h"

static const uint64_t cpus[] = { 0, 1, 2, 3 };
static const uint32_t pci[] = { TABLE_SBDF(0, 0, 0), TABLE_SBDF(0, 0, 0x10),
				TABLE_SBDF(0, 0, 0xfa) };
static const struct table_module modules[] = {
	{ "linux", 0x800000 }, { "initrd", 0x100000 }, { "rtos1", 0x10000 }, { "rtos2", 0x10000 }
};
static const struct bh_mmconfig mmcfg[] = { { .base = 0xb0000000, .bus_end = 255 } };
static const struct bh_irqchip ioapic[] = {
	{ .type = BH_IRQCHIP_IOAPIC, .base = 0xfec00000, .size = 0x1000, .lines = 24 },
};

static struct memmap map;

static void q35(struct table_platform *hw)
{
	*hw = (struct table_platform){
		.arch = BH_ARCH_X86_64,
		.cpu_ids = cpus,
		.cpu_count = 4,
		.memmap = &map,
		.pci = pci,
		.pci_count = 3,
		.modules = modules,
		.module_count = 4,
		.hv_base = 0x1000000,
		.hv_size = 0x4000000,
		.console = { .type = BH_CONSOLE_UART_8250_IO, .base = 0x3f8 },
		.mmcfg = mmcfg,
		.mmcfg_count = 1,
		.irqchips = ioapic,
		.irqchip_count = 1,
	};
}

static void q35_map(void)
{
	map.count = 0;
	map.r[map.count++] = (struct mem_range){ 0x0, 0x9fc00, BOOT_MEM_RAM };
	map.r[map.count++] = (struct mem_range){ 0x100000, 0x7fee0000, BOOT_MEM_RAM };
	map.r[map.count++] = (struct mem_range){ 0xb0000000, 0x10000000, BOOT_MEM_RESERVED };
}

static void fuzz_blob(const uint8_t *data, size_t size)
{
	struct table_platform hw;
	struct table_verdict v[BH_TABLE_PARTITIONS_MAX];
	struct table_view t;
	uint64_t *blob = malloc(size + 8);
	void *scratch;
	size_t need;

	if (!blob)
		return;
	memcpy(blob, data, size);
	if (size >= sizeof(struct bh_table_header) && !(size & 1)) {
		struct bh_table_header *h = (struct bh_table_header *)blob;

		if (h->total_size <= size)
			h->crc32 = table_blob_crc(blob, h->total_size);
	}
	if (table_parse(&t, blob, size)) {
		free(blob);
		return;
	}
	need = table_scratch_size(&t);
	scratch = malloc(need + 4);
	if (scratch && !table_validate(&t, scratch, need)) {
		q35_map();
		q35(&hw);
		table_check_platform(&t, &hw, v, BH_TABLE_PARTITIONS_MAX);
	}
	free(scratch);
	free(blob);
}

/*
 * The machine: byte 1 picks the CPU count and the hypervisor's place, then
 * 9 bytes per memory range: a gap and a size in pages (20 bits each) and a type.
 */
static void fuzz_default(const uint8_t *data, size_t size)
{
	static const uint32_t types[] = {
		BOOT_MEM_RAM,	     BOOT_MEM_RESERVED, BOOT_MEM_ACPI_RECLAIM,
		BOOT_MEM_ACPI_NVS,   BOOT_MEM_BAD,	BOOT_MEM_FIRMWARE,
		BOOT_MEM_PERSISTENT, MEM_HV_IMAGE,	MEM_MODULE,
		MEM_BOOTINFO,	     MEM_LOWMEM,	MEM_HV_POOL,
		MEM_PARTITION,	     BOOT_MEM_RAM,	BOOT_MEM_RAM
	};
	struct table_platform hw;
	struct table_verdict v[1];
	struct table_view t;
	uint64_t at = 0, *blob;
	size_t need = 0;
	uint64_t scratch[4096];
	bool loadable = false;

	if (size < 2)
		return;
	q35(&hw);
	hw.cpu_count = 1 + (data[1] & 3);
	hw.hv_base = (uint64_t)(data[1] >> 2) << 24;
	hw.console.type = data[1] & 0x80 ? BH_CONSOLE_NONE : BH_CONSOLE_UART_8250_IO;
	map.count = 0;
	for (size_t i = 2; i + 9 <= size && map.count < MEMMAP_MAX; i += 9) {
		uint32_t gap, len;

		memcpy(&gap, data + i, 4);
		memcpy(&len, data + i + 4, 4);
		at += (uint64_t)(gap & 0xfffff) << 12;
		if (!(len & 0xfffff))
			continue;
		map.r[map.count++] = (struct mem_range){
			.base = at,
			.size = (uint64_t)(len & 0xfffff) << 12,
			.type = types[data[i + 8] % (sizeof(types) / sizeof(types[0]))],
		};
		at += map.r[map.count - 1].size;
	}
	/* where a bzImage goes: the validator wants it loadable */
	for (uint32_t i = 0; i < map.count; i++) {
		const struct mem_range *r = &map.r[i];
		bool ramlike = r->type != BOOT_MEM_RESERVED && r->type != BOOT_MEM_BAD &&
			       r->type != MEM_HV_IMAGE && r->type != MEM_HV_POOL;

		if (0x100000 >= r->base && 0x100000 - r->base < r->size)
			loadable = ramlike;
	}
	if (0x100000 >= hw.hv_base && 0x100000 - hw.hv_base < hw.hv_size)
		loadable = false;

	if (table_build_default(&hw, NULL, 0, &need) != -HV_ENOSPC)
		return;
	blob = malloc(need);
	if (!blob || table_build_default(&hw, blob, need, &need)) {
		free(blob);
		return;
	}
	if (table_parse(&t, blob, need))
		abort(); /* the builder must lay out a well-formed blob */
	if (table_scratch_size(&t) <= sizeof(scratch) &&
	    table_validate(&t, scratch, sizeof(scratch)))
		if (loadable)
			abort(); /* the default table must be valid where Linux can load */
	table_check_platform(&t, &hw, v, 1);
	free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	if (size && data[0] == 'B')
		fuzz_blob(data, size);
	else
		fuzz_default(data, size);
	return 0;
}
