// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the memory map. Input: one byte n, then n ranges of
 * 17 bytes (flags, base, size), then operations of 19 bytes (op, a, b, with
 * the same encoding), each a carve, find_ram, lookup or is_type. Flag bit 7
 * selects a compact encoding (page numbers in a small window, plus an odd
 * offset) so that ranges overlap often; without it the raw 64-bit values are
 * used, to reach wrap-around and the top of the address space. After init and
 * after every operation the map must be sorted, non-overlapping, non-empty
 * and merged, with RAM on page boundaries, and a carve must move exactly the
 * carved bytes from RAM to the new type (or change nothing when it fails).
 */
#include <string.h>

#include "core/memmap.h"

#define REC_RANGE 17
#define REC_OP	  19
#define F_COMPACT 0x80
#define F_ODD	  0x40
#define N_OPS	  4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct memmap map, before;
static struct boot_mem_range in[256];

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Compact: up to 64 Ki pages (256 MiB) in, plus an odd offset when F_ODD is set. */
static uint64_t decode(uint8_t flags, uint64_t raw)
{
	if (!(flags & F_COMPACT))
		return raw;
	return ((raw & 0xffff) << PAGE_SHIFT) + ((flags & F_ODD) ? ((raw >> 16) & 0xfff) : 0);
}

static void check_map(const struct memmap *m)
{
	check(m->count <= MEMMAP_MAX);
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];

		check(r->size != 0);
		check(r->base + r->size > r->base || r->base + r->size == 0);
		check(r->base + r->size != 0); /* the last page is never in the map */
		if (r->type == BOOT_MEM_RAM)
			check(IS_ALIGNED(r->base, PAGE_SIZE) && IS_ALIGNED(r->size, PAGE_SIZE));
		if (i) {
			const struct mem_range *p = &m->r[i - 1];

			check(p->base + p->size <= r->base);
			check(p->base + p->size != r->base || p->type != r->type);
		}
		check(memmap_lookup(m, r->base) == r);
		check(memmap_lookup(m, r->base + r->size - 1) == r);
		check(memmap_is_type(m, r->base, r->size, r->type));
	}
}

static void op_carve(uint64_t base, uint64_t len, uint8_t t)
{
	static const uint32_t types[] = { MEM_HV_IMAGE,	     MEM_MODULE,  MEM_BOOTINFO,
					  MEM_LOWMEM,	     MEM_HV_POOL, MEM_PARTITION,
					  BOOT_MEM_RESERVED, BOOT_MEM_RAM };
	uint32_t type = types[t % (sizeof(types) / sizeof(types[0]))];
	uint64_t ram = memmap_total(&map, BOOT_MEM_RAM), had = memmap_total(&map, type);
	int ret;

	memcpy(&before, &map, sizeof(map));
	ret = memmap_carve(&map, base, len, type);
	if (ret) {
		check(memcmp(&before, &map, sizeof(map)) == 0);
		return;
	}
	{
		uint64_t b = ALIGN_DOWN(base, PAGE_SIZE), e = ALIGN_UP(base + len, PAGE_SIZE);

		check(type != BOOT_MEM_RAM);
		check(memmap_is_type(&before, b, e - b, BOOT_MEM_RAM));
		check(memmap_is_type(&map, b, e - b, type));
		check(memmap_total(&map, BOOT_MEM_RAM) == ram - (e - b));
		check(memmap_total(&map, type) == had + (e - b));
	}
}

static void op_find(uint64_t len, uint64_t align_limit)
{
	uint64_t align = 1ULL << (align_limit & 31);
	uint64_t limit = align_limit >> 8;
	hpa_t r = memmap_find_ram(&map, len, align, limit);

	if (!r)
		return;
	check(len != 0 && IS_ALIGNED(r, align) && IS_ALIGNED(r, PAGE_SIZE));
	check(memmap_is_type(&map, r, len, BOOT_MEM_RAM));
	check(!limit || (r + len <= limit && r + len > r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t n;

	if (size < 1)
		return 0;
	n = data[0];
	data++;
	size--;
	if (n > size / REC_RANGE)
		n = (uint32_t)(size / REC_RANGE);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = data + i * REC_RANGE;

		in[i].base = decode(p[0], rd64(p + 1));
		in[i].size = decode(p[0], rd64(p + 9));
		in[i].type = p[0] & 0x0f; /* 0 and 8..15 are unknown types */
		in[i].reserved = 0;
	}
	data += n * REC_RANGE;
	size -= n * REC_RANGE;
	if (memmap_init(&map, in, n)) {
		check(map.count == 0);
		return 0;
	}
	check_map(&map);

	for (; size >= REC_OP; data += REC_OP, size -= REC_OP) {
		uint8_t op = data[0];
		uint64_t a = decode(op, rd64(data + 1)), b = decode(op, rd64(data + 9));

		switch (op % N_OPS) {
		case 0:
			op_carve(a, b, data[17]);
			break;
		case 1:
			op_find(b, rd64(data + 1));
			break;
		case 2: {
			const struct mem_range *r = memmap_lookup(&map, a);

			check(!r || (r->base <= a && a - r->base < r->size));
			break;
		}
		default:
			(void)memmap_is_type(&map, a, b, data[18] & 7);
			break;
		}
		check_map(&map);
	}
	return 0;
}
