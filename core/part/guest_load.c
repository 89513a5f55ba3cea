// SPDX-License-Identifier: GPL-2.0-only
/* Guest image loading (ELF64, raw) into partition memory and the boot information block. */
#include "bulkhead/guest.h"
#include "bulkhead/table.h"
#include "core/elf.h"
#include "core/errno.h"
#include "core/guest_load.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"
#include "core/scrub.h"

_Static_assert(PART_CPUS_MAX <= ARRAY_SIZE(((struct bh_guest_info *)0)->hw_ids),
	       "bh_guest_info.hw_ids[] holds every vCPU");
_Static_assert(sizeof(((struct bh_guest_info *)0)->hw_ids[0]) == sizeof(hw_id_t),
	       "bh_guest_info.hw_ids[] carries hardware ids uncut");
_Static_assert(PART_NAME_MAX <= 32, "bh_guest_info.name[] holds every partition name");
_Static_assert(sizeof(struct bh_guest_info) <= BH_GUEST_RESERVED_BYTES,
	       "the boot information fits the reserved area");

static bool region_is_ram(const struct part_region *r)
{
	return !(r->flags & (BH_MEM_IO | BH_MEM_SHARED));
}

static const struct part_region *lowest_ram(const struct partition *p)
{
	uint32_t n = MIN(p->region_count, (uint32_t)PART_REGIONS_MAX);
	const struct part_region *low = NULL;

	for (uint32_t i = 0; i < n; i++) {
		const struct part_region *r = &p->regions[i];

		if (region_is_ram(r) && r->size && (!low || r->gpa < low->gpa))
			low = r;
	}
	return low;
}

/* The loader writes through the hypervisor's 1:1 map: guest access rights do not apply. */
static void *region_hptr(const struct part_region *r, gpa_t gpa)
{
	return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
}

/*
 * Checks that [gpa, gpa + size) may receive image bytes: one LOADABLE RAM
 * region, clear of the reserved area at the bottom of the lowest RAM region
 * (boot information, and the GDT and page tables of a 64-bit start). Returns
 * the host pointer, or NULL after one log line naming what (e.g. "ELF segment
 * 2") and the range.
 */
static void *load_target(const struct partition *p, const char *what, unsigned idx, gpa_t gpa,
			 uint64_t size)
{
	const struct part_region *r, *low;
	uint64_t res_end;

	if (gpa + size <= gpa) {
		pr_err("guest: partition \"%.*s\": %s %u [0x%llx, +0x%llx) wraps around",
		       PART_NAME_MAX, p->name, what, idx, (unsigned long long)gpa,
		       (unsigned long long)size);
		return NULL;
	}
	r = part_region_of(p, gpa);
	if (!r) {
		pr_err("guest: partition \"%.*s\": %s %u [0x%llx, +0x%llx) starts outside the "
		       "partition's memory",
		       PART_NAME_MAX, p->name, what, idx, (unsigned long long)gpa,
		       (unsigned long long)size);
		return NULL;
	}
	if (size > r->size - (gpa - r->gpa)) {
		pr_err("guest: partition \"%.*s\": %s %u [0x%llx, +0x%llx) runs past the end of "
		       "region [0x%llx, +0x%llx)",
		       PART_NAME_MAX, p->name, what, idx, (unsigned long long)gpa,
		       (unsigned long long)size, (unsigned long long)r->gpa,
		       (unsigned long long)r->size);
		return NULL;
	}
	if (!region_is_ram(r) || !(r->flags & BH_MEM_LOADABLE)) {
		pr_err("guest: partition \"%.*s\": %s %u [0x%llx, +0x%llx) is in region [0x%llx, "
		       "+0x%llx) flags 0x%x, not loadable RAM",
		       PART_NAME_MAX, p->name, what, idx, (unsigned long long)gpa,
		       (unsigned long long)size, (unsigned long long)r->gpa,
		       (unsigned long long)r->size, r->flags);
		return NULL;
	}
	low = lowest_ram(p); /* not NULL: r is a RAM region */
	res_end = low->gpa + MIN((uint64_t)BH_GUEST_RESERVED_BYTES, low->size);
	if (gpa < res_end && low->gpa < gpa + size) {
		pr_err("guest: partition \"%.*s\": %s %u [0x%llx, +0x%llx) overlaps the reserved "
		       "area [0x%llx, 0x%llx) for boot information",
		       PART_NAME_MAX, p->name, what, idx, (unsigned long long)gpa,
		       (unsigned long long)size, (unsigned long long)low->gpa,
		       (unsigned long long)res_end);
		return NULL;
	}
	part_scrub_range(p, gpa, size); /* the rest of its 2 MiB blocks must read as zero too */
	return region_hptr(r, gpa);
}

int guest_load_elf(struct partition *p, const void *img, size_t len, uint16_t machine,
		   uint64_t *entry)
{
	struct elf_info info;
	void *dst[ELF_SEGMENTS_MAX];
	int ret;

	ret = elf64_parse(img, len, machine, &info);
	if (ret < 0)
		return ret;
	/* every segment is checked before the first byte is written */
	for (uint32_t i = 0; i < info.seg_count; i++) {
		dst[i] = load_target(p, "ELF segment", i, info.seg[i].paddr, info.seg[i].memsz);
		if (!dst[i])
			return -HV_EFAULT;
	}
	for (uint32_t i = 0; i < info.seg_count; i++) {
		const struct elf_segment *s = &info.seg[i];
		uint8_t *d = dst[i];

		/* a bss-only segment's offset was never checked against the image */
		if (s->filesz)
			memcpy(d, (const uint8_t *)img + s->offset, s->filesz);
		memset(d + s->filesz, 0, s->memsz - s->filesz);
	}
	*entry = info.entry;
	return 0;
}

int guest_load_raw(struct partition *p, const void *img, size_t len, gpa_t load_gpa)
{
	void *dst;

	if (len == 0) {
		pr_err("guest: partition \"%.*s\": raw image at 0x%llx is empty", PART_NAME_MAX,
		       p->name, (unsigned long long)load_gpa);
		return -HV_EINVAL;
	}
	dst = load_target(p, "raw image", 0, load_gpa, len);
	if (!dst)
		return -HV_EFAULT;
	memcpy(dst, img, len);
	return 0;
}

gpa_t guest_info_gpa(const struct partition *p)
{
	const struct part_region *low = lowest_ram(p);

	/* a partition that passed the table checks always has RAM */
	return low ? low->gpa + BH_GUEST_INFO_OFFSET : 0;
}

static uint32_t guest_mem_type(const struct part_region *r)
{
	if (r->flags & BH_MEM_IO)
		return BH_GUEST_MEM_IO;
	if (r->flags & BH_MEM_SHARED)
		return BH_GUEST_MEM_SHARED;
	return BH_GUEST_MEM_RAM;
}

int guest_write_info(struct partition *p, const char *cmdline)
{
	const struct part_region *low = lowest_ram(p);
	uint32_t regions = MIN(p->region_count, (uint32_t)PART_REGIONS_MAX);
	uint32_t cpus = MIN(p->cpu_count, (uint32_t)PART_CPUS_MAX);
	struct bh_guest_info info;
	size_t n;

	if (!low) {
		pr_err("guest: partition \"%.*s\" has no RAM region for its boot information",
		       PART_NAME_MAX, p->name);
		return -HV_ENOSPC;
	}
	if (low->size < BH_GUEST_RESERVED_BYTES) {
		pr_err("guest: partition \"%.*s\": lowest RAM region [0x%llx, +0x%llx) is smaller "
		       "than the 0x%x bytes reserved for boot information",
		       PART_NAME_MAX, p->name, (unsigned long long)low->gpa,
		       (unsigned long long)low->size, BH_GUEST_RESERVED_BYTES);
		return -HV_ENOSPC;
	}
	memset(&info, 0, sizeof(info));
	info.magic = BH_GUEST_MAGIC;
	info.version = BH_GUEST_INFO_VERSION;
	info.size = sizeof(info);
	info.partition_id = p->id;
	info.flags = p->flags;
	info.cpu_count = cpus;
	info.console_port = p->console_port;
	info.tsc_khz = p->tsc_khz;
	for (uint32_t i = 0; i < cpus; i++)
		info.hw_ids[i] = p->hw_ids[i];
	memcpy(info.name, p->name, strnlen(p->name, PART_NAME_MAX - 1));
	if (regions > BH_GUEST_MEM_MAX)
		pr_warn("guest: partition \"%.*s\": %u memory regions, the boot information lists "
			"the first %u",
			PART_NAME_MAX, p->name, regions, BH_GUEST_MEM_MAX);
	info.mem_count = MIN(regions, (uint32_t)BH_GUEST_MEM_MAX);
	for (uint32_t i = 0; i < info.mem_count; i++) {
		info.mem[i].gpa = p->regions[i].gpa;
		info.mem[i].size = p->regions[i].size;
		info.mem[i].type = guest_mem_type(&p->regions[i]);
	}
	if (cmdline) {
		n = strnlen(cmdline, BH_GUEST_CMDLINE_MAX);
		if (n == BH_GUEST_CMDLINE_MAX) {
			pr_warn("guest: partition \"%.*s\": command line cut to %u bytes",
				PART_NAME_MAX, p->name, BH_GUEST_CMDLINE_MAX - 1);
			n = BH_GUEST_CMDLINE_MAX - 1;
		}
		memcpy(info.cmdline, cmdline, n);
	}
	/* the whole reserved area: the arch layer puts the start state's tables there */
	part_scrub_range(p, low->gpa, BH_GUEST_RESERVED_BYTES);
	memcpy(region_hptr(low, low->gpa + BH_GUEST_INFO_OFFSET), &info, sizeof(info));
	return 0;
}
