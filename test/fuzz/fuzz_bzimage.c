// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the Linux boot data path (arch/x86_64/linux_boot.c):
 * bzimage_parse() on arbitrary images, then linux_place() and
 * linux_build_boot_params() on what it accepts, in a guest memory map that
 * is either fixed or itself built by linux_build_e820() from fuzzed root
 * regions and a fuzzed firmware map. Input: FUZZ_PARAMS bytes of parameters
 * (layout below), then the image. Every result is checked against the
 * promises the header makes; a broken promise aborts.
 *
 * Parameters: 0-3 initrd size, 4-5 command line length - 1, 6 page-table
 * pages, 7 memory map mode (0 QEMU demo, 1 one 2 GiB RAM range, 2 many small
 * pieces, 3 from linux_build_e820()), 8-9 ACPI copies size, 10-13 an avoided
 * range's base (bits 12+), 14-15 its size in pages, 16-39 four root regions
 * (guest MiB u16, size in 64 KiB u16, host offset in MiB s8, flags u8),
 * 40-63 six firmware ranges (base MiB u16, size MiB u8, type u8).
 */
#include <stdlib.h>
#include <string.h>

#include "root/linux_boot.h"
#include "bulkhead/table.h"

#define FUZZ_PARAMS  64
#define FUZZ_REGIONS 4
#define FUZZ_RANGES  6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static bool e820_sane(const struct e820_entry *e, int n, unsigned max)
{
	if (n < 0)
		return true;
	if ((unsigned)n > max)
		return false;
	for (int i = 0; i < n; i++) {
		if (!e[i].size || !e[i].type)
			return false;
		if (i && e[i - 1].addr + e[i - 1].size > e[i].addr)
			return false;
	}
	return true;
}

/* The hypervisor's page at host address h is not RAM wherever a root region shows it. */
static void check_hv_absent(const struct partition *root, uint64_t h, const struct e820_entry *e,
			    int n)
{
	for (unsigned j = 0; j < root->region_count; j++) {
		const struct part_region *r = &root->regions[j];
		uint64_t g;

		if (!r->size || r->gpa + r->size < r->gpa || r->hpa + r->size < r->hpa ||
		    h < r->hpa || h >= r->hpa + r->size)
			continue;
		g = r->gpa + (h - r->hpa);
		for (int i = 0; i < n; i++)
			if (e[i].type == E820_TYPE_RAM && g >= e[i].addr &&
			    g - e[i].addr < e[i].size)
				abort();
	}
}

/* A root partition and firmware map from parameter bytes 16-63; returns the e820 count. */
static int fuzz_e820(const uint8_t *p, struct e820_entry *e)
{
	static struct partition root;
	static struct memmap fw;
	struct boot_mem_range in[FUZZ_RANGES];
	int n;

	memset(&root, 0, sizeof(root));
	for (unsigned i = 0; i < FUZZ_REGIONS; i++) {
		const uint8_t *r = p + 16 + 6 * i;
		struct part_region *pr = &root.regions[i];

		pr->gpa = (uint64_t)rd(r, 2) << 20;
		pr->size = (uint64_t)rd(r + 2, 2) << 16;
		pr->hpa = pr->gpa + (uint64_t)((int64_t)(int8_t)r[4] * 0x100000);
		pr->flags = r[5];
	}
	root.region_count = FUZZ_REGIONS;
	for (unsigned i = 0; i < FUZZ_RANGES; i++) {
		const uint8_t *r = p + 40 + 4 * i;

		in[i].base = (uint64_t)rd(r, 2) << 20;
		in[i].size = (uint64_t)r[2] << 20;
		in[i].type = r[3] & 0x7;
		in[i].reserved = 0;
		/* some RAM is the hypervisor's: it must never show up */
		if (r[3] & 0x80)
			in[i].type = BOOT_MEM_RAM;
	}
	if (memmap_init(&fw, in, FUZZ_RANGES) < 0)
		return -1;
	if (p[40 + 3] & 0x80)
		memmap_carve(&fw, fw.r[0].base, PAGE_SIZE, MEM_HV_IMAGE);
	n = linux_build_e820(&root, &fw, e, E820_MAX_ENTRIES_ZEROPAGE);
	if (!e820_sane(e, n, E820_MAX_ENTRIES_ZEROPAGE))
		abort();
	if (fw.r[0].type == MEM_HV_IMAGE)
		check_hv_absent(&root, fw.r[0].base, e, n);
	return n;
}

static unsigned fixed_e820(uint8_t mode, struct e820_entry *e)
{
	unsigned n = 0;

	switch (mode) {
	case 0: /* the QEMU demo's root on SeaBIOS */
		e[n++] = (struct e820_entry){ 0x0, 0x9f000, E820_TYPE_RAM };
		e[n++] = (struct e820_entry){ 0x100000, 0xf00000, E820_TYPE_RAM };
		e[n++] = (struct e820_entry){ 0x5000000, 0x1b000000, E820_TYPE_RAM };
		e[n++] = (struct e820_entry){ 0x22200000, 0x5dde0000, E820_TYPE_RAM };
		e[n++] = (struct e820_entry){ 0x7ffe0000, 0x20000, E820_TYPE_RESERVED };
		break;
	case 1:
		e[n++] = (struct e820_entry){ 0x100000, 0x7ff00000, E820_TYPE_RAM };
		break;
	default: /* many small pieces with holes */
		for (unsigned i = 0; i < E820_MAX_ENTRIES_ZEROPAGE; i++)
			e[n++] = (struct e820_entry){ 0x100000 + (uint64_t)i * 0x1100000, 0x1000000,
						      i % 5 ? E820_TYPE_RAM : E820_TYPE_ACPI };
		break;
	}
	return n;
}

static bool in_ram(const struct e820_entry *e, int n, uint64_t base, uint64_t size)
{
	for (int i = 0; i < n; i++)
		if (e[i].type == E820_TYPE_RAM && e[i].addr <= base &&
		    base + size <= e[i].addr + e[i].size)
			return true;
	return false;
}

static bool disjoint(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return !as || !bs || a + as <= b || b + bs <= a;
}

static void check_layout(const struct bzimage_info *info, const struct linux_layout *l,
			 const struct e820_entry *e, int n, const struct linux_range *avoid)
{
	if (!in_ram(e, n, l->kernel_addr, l->kernel_size) ||
	    !in_ram(e, n, l->low_base, l->low_size) ||
	    (l->initrd_size && !in_ram(e, n, l->initrd_addr, l->initrd_size)))
		abort();
	if (l->kernel_addr + l->kernel_size > LINUX_PLACE_LIMIT ||
	    l->low_base + l->low_size > LINUX_PLACE_LIMIT ||
	    l->initrd_addr + l->initrd_size > LINUX_PLACE_LIMIT || l->low_base < LINUX_LOW_MIN)
		abort();
	if (info->relocatable ? !IS_ALIGNED(l->kernel_addr, info->kernel_alignment)
			      : l->kernel_addr != info->pref_address)
		abort();
	if (!disjoint(l->kernel_addr, l->kernel_size, l->low_base, l->low_size) ||
	    !disjoint(l->kernel_addr, l->kernel_size, l->initrd_addr, l->initrd_size) ||
	    !disjoint(l->low_base, l->low_size, l->initrd_addr, l->initrd_size) ||
	    !disjoint(l->kernel_addr, l->kernel_size, avoid->base, avoid->size) ||
	    !disjoint(l->low_base, l->low_size, avoid->base, avoid->size) ||
	    !disjoint(l->initrd_addr, l->initrd_size, avoid->base, avoid->size))
		abort();
	if (l->cmdline_addr + l->cmdline_len > l->low_base + l->low_size ||
	    l->boot_params_addr != l->low_base)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct e820_entry e[E820_MAX_ENTRIES_ZEROPAGE];
	static uint8_t bp[BOOT_PARAMS_SIZE];
	struct bzimage_info info;
	struct linux_sizes sz;
	struct linux_layout lay;
	struct linux_range avoid;
	const uint8_t *p = data;
	uint8_t *img;
	size_t len;
	int n;

	if (size < FUZZ_PARAMS)
		return 0;
	len = size - FUZZ_PARAMS;
	/* an exact-size copy: ASan flags any read past the image */
	img = malloc(len ? len : 1);
	if (!img)
		return 0;
	memcpy(img, data + FUZZ_PARAMS, len);

	if (bzimage_parse(img, len, &info) == 0) {
		if (info.hdr_len > BZ_HDR_MAX || info.kernel_offset >= len ||
		    info.kernel_offset + info.kernel_len != len ||
		    !IS_ALIGNED(info.mem_size, info.kernel_alignment) ||
		    info.mem_size < info.init_size)
			abort();
		sz.initrd_size = rd(p, 4);
		sz.cmdline_len = rd(p + 4, 2) + 1;
		sz.pgtable_pages = p[6];
		sz.acpi_size = rd(p + 8, 2);
		avoid.base = rd(p + 10, 4) & ~0xfffu;
		avoid.size = (uint64_t)rd(p + 14, 2) << 12;
		n = (p[7] & 3) == 3 ? fuzz_e820(p, e) : (int)fixed_e820(p[7] & 3, e);
		if (n >= 0 && linux_place(&info, &sz, e, (unsigned)n, &avoid, 1, &lay) == 0) {
			check_layout(&info, &lay, e, n, &avoid);
			/* the ACPI copies sit in RAM the placement chose: marking them works */
			if (lay.acpi_size) {
				unsigned cnt = (unsigned)n;
				int rc = linux_e820_set(e, &cnt, E820_MAX_ENTRIES_ZEROPAGE,
							lay.acpi_addr, lay.acpi_size,
							E820_TYPE_ACPI);

				if (rc == 0 ? !e820_sane(e, (int)cnt, E820_MAX_ENTRIES_ZEROPAGE)
					    : cnt + 2 <= E820_MAX_ENTRIES_ZEROPAGE)
					abort();
				n = (int)cnt;
			}
			if (linux_build_boot_params(&info, &lay, e, (unsigned)n, lay.acpi_addr, bp,
						    sizeof(bp)) != 0)
				abort(); /* a placement from linux_place() is always acceptable */
			if (memcmp(bp + BZ_HDR_OFFSET, img + BZ_HDR_OFFSET,
				   0x210 - BZ_HDR_OFFSET) ||
			    bp[0x210] != BZ_LOADER_UNDEFINED)
				abort();
		}
	}
	free(img);
	return 0;
}
