// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for acpi_parse(): the first 36 bytes are the RSDP copy,
 * the rest is physical memory from FUZZ_PHYS_BASE. When bit 0 of RSDP byte 33
 * (reserved) is set, the harness first repairs the checksums of the RSDP, the
 * root table and the tables it lists, so mutations get past the checksum
 * gates and reach the MADT/MCFG/FADT parsers; with the bit clear the input is
 * parsed as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "platform/acpi.h"

#define FUZZ_PHYS_BASE 0x1000u
#define FUZZ_RSDP_LEN  36u
#define FUZZ_FIXUP     0x01u
#define FUZZ_FIX_MAX   80u /* root entries repaired: a little past ACPI_MAX_TABLES */

struct fuzz_mem {
	const uint8_t *data;
	size_t len;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const void *fuzz_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct fuzz_mem *m = ctx;
	uint64_t off;

	if (phys < FUZZ_PHYS_BASE)
		return NULL;
	off = phys - FUZZ_PHYS_BASE;
	if (off > m->len || len > m->len - off)
		return NULL;
	return m->data + off;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	if (at >= len)
		return;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)(0x100 - sum);
}

/* Returns the table at phys with a repaired checksum, or NULL; *len gets its length. */
static uint8_t *fix_table(uint8_t *mem, size_t mem_len, uint64_t phys, uint32_t *len)
{
	uint64_t off;

	if (phys < FUZZ_PHYS_BASE)
		return NULL;
	off = phys - FUZZ_PHYS_BASE;
	if (off > mem_len || mem_len - off < 36)
		return NULL;
	*len = rd32(mem + off + 4);
	if (*len < 36 || *len > mem_len - off)
		return NULL;
	fix_sum(mem + off, *len, 9);
	return mem + off;
}

static void fixup(uint8_t *rsdp, size_t rsdp_len, uint8_t *mem, size_t mem_len)
{
	uint64_t root;
	uint32_t root_len, esize;
	uint8_t *t;

	if (rsdp_len < FUZZ_RSDP_LEN)
		return;
	fix_sum(rsdp, 20, 8);
	if (rsdp[15] >= 2) {
		uint32_t len = rd32(rsdp + 20);

		if (len >= 33 && len <= rsdp_len)
			fix_sum(rsdp, len, 32);
	}
	root = rsdp[15] >= 2 && rd64(rsdp + 24) ? rd64(rsdp + 24) : rd32(rsdp + 16);
	esize = rsdp[15] >= 2 && rd64(rsdp + 24) ? 8 : 4;
	t = fix_table(mem, mem_len, root, &root_len);
	if (!t)
		return;
	for (uint32_t i = 0; i < FUZZ_FIX_MAX && 36 + (i + 1) * esize <= root_len; i++) {
		const uint8_t *e = t + 36 + i * esize;
		uint32_t len;

		fix_table(mem, mem_len, esize == 8 ? rd64(e) : rd32(e), &len);
	}
	/* a listed table may overlap the root: make the root whole again last */
	fix_sum(t, root_len, 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	struct fuzz_mem m;
	size_t rsdp_len = size < FUZZ_RSDP_LEN ? size : FUZZ_RSDP_LEN;
	uint8_t *copy;

	/* an exact-size copy: ASan flags any read past the input */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	m.data = copy + rsdp_len;
	m.len = size - rsdp_len;
	if (rsdp_len == FUZZ_RSDP_LEN && (copy[33] & FUZZ_FIXUP))
		fixup(copy, rsdp_len, copy + rsdp_len, m.len);

	if (acpi_parse(copy, rsdp_len, fuzz_map, &m, &info) == 0) {
		/* what the parser hands on must respect the limits it was given */
		if (info.table_count > ACPI_MAX_TABLES || info.cpu_count > ACPI_MAX_CPUS ||
		    info.ioapic_count > ACPI_MAX_IOAPICS || info.iso_count > ACPI_MAX_ISOS ||
		    info.mcfg_count > ACPI_MAX_MCFG)
			abort();
		for (uint32_t i = 0; i < info.mcfg_count; i++)
			if (info.mcfg[i].bus_start > info.mcfg[i].bus_end)
				abort();
		for (uint32_t i = 0; i < info.cpu_count; i++)
			for (uint32_t j = i + 1; j < info.cpu_count; j++)
				if (info.cpus[i].apic_id == info.cpus[j].apic_id)
					abort();
	}
	free(copy);
	return 0;
}
