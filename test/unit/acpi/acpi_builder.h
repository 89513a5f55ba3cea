/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds synthetic ACPI tables with correct checksums in a fake physical
 * memory buffer (starting at FAKE_PHYS_BASE), plus the accessor that
 * acpi_parse() reads it through. Used by the ACPI unit test; the blobs it
 * makes are also the fuzzer's seed corpus.
 */
#ifndef TEST_ACPI_BUILDER_H
#define TEST_ACPI_BUILDER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/acpi.h"

/* The fuzz harness uses the same layout: RSDP copy, then memory from 0x1000. */
#define FAKE_PHYS_BASE 0x1000u
#define FAKE_MEM_SIZE  0x10000u
#define FAKE_RSDP_LEN  36u
#define TB_MAX	       8192u
#define FAKE_MAX_CALLS 256u

struct fake_mem {
	uint8_t rsdp[FAKE_RSDP_LEN];
	uint8_t mem[FAKE_MEM_SIZE];
	uint32_t top; /* bytes of mem in use */
	/* every accessor call, to check what the parser asked for */
	uint32_t calls;
	uint64_t call_phys[FAKE_MAX_CALLS];
	uint64_t call_len[FAKE_MAX_CALLS];
};

/* A table being assembled before it is placed in fake memory. */
struct tb {
	uint8_t b[TB_MAX];
	uint32_t len;
};

static inline const void *fake_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct fake_mem *m = ctx;
	uint64_t off;

	if (m->calls < FAKE_MAX_CALLS) {
		m->call_phys[m->calls] = phys;
		m->call_len[m->calls] = len;
	}
	m->calls++;
	if (phys < FAKE_PHYS_BASE)
		return NULL;
	off = phys - FAKE_PHYS_BASE;
	if (off > m->top || len > m->top - off)
		return NULL;
	return m->mem + off;
}

static inline void fake_init(struct fake_mem *m)
{
	memset(m, 0, sizeof(*m));
}

static inline uint8_t *fake_ptr(struct fake_mem *m, uint64_t phys)
{
	return m->mem + (phys - FAKE_PHYS_BASE);
}

static inline void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The byte that makes len bytes at p (with p[at] counted as zero) sum to zero. */
static inline void fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)(0x100 - sum);
}

static inline void tb_u8(struct tb *t, uint8_t v)
{
	t->b[t->len++] = v;
}

static inline void tb_u16(struct tb *t, uint16_t v)
{
	put_le(t->b + t->len, v, 2);
	t->len += 2;
}

static inline void tb_u32(struct tb *t, uint32_t v)
{
	put_le(t->b + t->len, v, 4);
	t->len += 4;
}

static inline void tb_u64(struct tb *t, uint64_t v)
{
	put_le(t->b + t->len, v, 8);
	t->len += 8;
}

static inline void tb_zero(struct tb *t, uint32_t n)
{
	memset(t->b + t->len, 0, n);
	t->len += n;
}

/* Starts a table with a 36-byte SDT header (length and checksum filled by tb_place). */
static inline void tb_begin(struct tb *t, const char *sig, uint8_t rev)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, 4);
	t->b[8] = rev;
	memcpy(t->b + 10, "BHTEST", 6);
	memcpy(t->b + 16, "SYNTHTBL", 8);
	put_le(t->b + 24, 1, 4);      /* OEM revision */
	memcpy(t->b + 28, "BHCT", 4); /* creator */
	put_le(t->b + 32, 1, 4);
	t->len = 36;
}

/* Reserves len bytes of fake memory at the given alignment offset; returns the address. */
static inline uint64_t fake_alloc(struct fake_mem *m, uint32_t len, uint32_t misalign)
{
	uint32_t off = ((m->top + 15u) & ~15u) + misalign;

	if (off + len > FAKE_MEM_SIZE) {
		fprintf(stderr, "fake ACPI memory exhausted\n");
		abort();
	}
	m->top = off + len;
	return FAKE_PHYS_BASE + off;
}

/* Fills in length and checksum and copies the table into fake memory. */
static inline uint64_t tb_place_at(struct fake_mem *m, struct tb *t, uint32_t misalign)
{
	uint64_t phys = fake_alloc(m, t->len, misalign);

	put_le(t->b + 4, t->len, 4);
	fix_checksum(t->b, t->len, 9);
	memcpy(fake_ptr(m, phys), t->b, t->len);
	return phys;
}

static inline uint64_t tb_place(struct fake_mem *m, struct tb *t)
{
	return tb_place_at(m, t, 0);
}

/* Re-checksums a placed table over len bytes (after a test changed it). */
static inline void fake_fix_table(struct fake_mem *m, uint64_t phys, uint32_t len)
{
	fix_checksum(fake_ptr(m, phys), len, 9);
}

/* Sets a placed table's length field and re-checksums it over its real size. */
static inline void fake_set_length(struct fake_mem *m, uint64_t phys, uint32_t real_len,
				   uint32_t new_len)
{
	put_le(fake_ptr(m, phys) + 4, new_len, 4);
	fake_fix_table(m, phys, real_len);
}

/* A root table (XSDT when xsdt, else RSDT) listing n addresses. */
static inline uint64_t fake_root(struct fake_mem *m, bool xsdt, const uint64_t *phys, unsigned n,
				 uint32_t misalign)
{
	static struct tb t;

	tb_begin(&t, xsdt ? "XSDT" : "RSDT", 1);
	for (unsigned i = 0; i < n; i++) {
		if (xsdt)
			tb_u64(&t, phys[i]);
		else
			tb_u32(&t, (uint32_t)phys[i]);
	}
	return tb_place_at(m, &t, misalign);
}

/* Writes m->rsdp: revision 0 (20 bytes valid) or 2 (36 bytes), both checksums. */
static inline void fake_rsdp(struct fake_mem *m, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *p = m->rsdp;

	memset(p, 0, FAKE_RSDP_LEN);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BHTEST", 6);
	p[15] = rev;
	put_le(p + 16, rsdt, 4);
	if (rev >= 2) {
		put_le(p + 20, FAKE_RSDP_LEN, 4);
		put_le(p + 24, xsdt, 8);
	}
	fix_checksum(p, 20, 8);
	if (rev >= 2)
		fix_checksum(p, FAKE_RSDP_LEN, 32);
}

/* MADT pieces (ACPI 6.5 section 5.2.12). */
static inline void madt_begin(struct tb *t, uint32_t lapic, uint32_t flags)
{
	tb_begin(t, "APIC", 5);
	tb_u32(t, lapic);
	tb_u32(t, flags);
}

static inline void madt_lapic(struct tb *t, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
	tb_u8(t, 0);
	tb_u8(t, 8);
	tb_u8(t, uid);
	tb_u8(t, apic_id);
	tb_u32(t, flags);
}

static inline void madt_ioapic(struct tb *t, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	tb_u8(t, 1);
	tb_u8(t, 12);
	tb_u8(t, id);
	tb_u8(t, 0);
	tb_u32(t, addr);
	tb_u32(t, gsi_base);
}

static inline void madt_iso(struct tb *t, uint8_t source, uint32_t gsi, uint16_t flags)
{
	tb_u8(t, 2);
	tb_u8(t, 10);
	tb_u8(t, 0); /* ISA */
	tb_u8(t, source);
	tb_u32(t, gsi);
	tb_u16(t, flags);
}

static inline void madt_lapic_override(struct tb *t, uint64_t addr)
{
	tb_u8(t, 5);
	tb_u8(t, 12);
	tb_u16(t, 0);
	tb_u64(t, addr);
}

static inline void madt_x2apic(struct tb *t, uint32_t apic_id, uint32_t flags, uint32_t uid)
{
	tb_u8(t, 9);
	tb_u8(t, 16);
	tb_u16(t, 0);
	tb_u32(t, apic_id);
	tb_u32(t, flags);
	tb_u32(t, uid);
}

/* MCFG (PCI Firmware Specification 3.3 section 4.1.2). */
static inline void mcfg_begin(struct tb *t)
{
	tb_begin(t, "MCFG", 1);
	tb_zero(t, 8);
}

static inline void mcfg_entry(struct tb *t, uint64_t base, uint16_t seg, uint8_t bus_start,
			      uint8_t bus_end)
{
	tb_u64(t, base);
	tb_u16(t, seg);
	tb_u8(t, bus_start);
	tb_u8(t, bus_end);
	tb_u32(t, 0);
}

/* FADT offsets used by the tests (ACPI 6.5 Table 5.9). */
#define T_FADT_DSDT	   40
#define T_FADT_SCI_INT	   46
#define T_FADT_SMI_CMD	   48
#define T_FADT_PM1A_CNT	   64
#define T_FADT_PM1B_CNT	   68
#define T_FADT_FLAGS	   112
#define T_FADT_RESET_REG   116
#define T_FADT_RESET_VALUE 128
#define T_FADT_X_DSDT	   140
#define T_FADT_CST_CNT	   95
#define T_FADT_LEN_V1	   116
#define T_FADT_LEN_V6	   276
#define T_RESET_REG_SUP	   (1u << 10)

/* A FADT of len bytes with the fields acpi_parse() reads. */
static inline void fadt_build(struct tb *t, uint32_t len, uint8_t rev, uint32_t flags,
			      uint32_t dsdt, uint64_t x_dsdt)
{
	tb_begin(t, "FACP", rev);
	tb_zero(t, len - 36);
	put_le(t->b + T_FADT_DSDT, dsdt, 4);
	put_le(t->b + T_FADT_SCI_INT, 9, 2);
	put_le(t->b + T_FADT_SMI_CMD, 0xb2, 4);
	t->b[T_FADT_SMI_CMD + 4] = 0xa0; /* ACPI_ENABLE */
	t->b[T_FADT_SMI_CMD + 5] = 0xa1; /* ACPI_DISABLE */
	t->b[T_FADT_SMI_CMD + 6] = 0xa2; /* S4BIOS_REQ */
	t->b[T_FADT_SMI_CMD + 7] = 0xa3; /* PSTATE_CNT */
	t->b[T_FADT_CST_CNT] = 0xa4;
	put_le(t->b + T_FADT_PM1A_CNT, 0x604, 4);
	put_le(t->b + T_FADT_PM1B_CNT, 0, 4);
	put_le(t->b + T_FADT_FLAGS, flags, 4);
	if (len >= T_FADT_RESET_VALUE + 1) {
		uint8_t *g = t->b + T_FADT_RESET_REG;

		g[0] = 1; /* system I/O */
		g[1] = 8;
		g[2] = 0;
		g[3] = 1; /* byte access */
		put_le(g + 4, 0xcf9, 8);
		t->b[T_FADT_RESET_VALUE] = 0x06;
	}
	if (len >= T_FADT_X_DSDT + 8)
		put_le(t->b + T_FADT_X_DSDT, x_dsdt, 8);
}

/* The blob the fuzz harness takes: the RSDP copy, then fake memory from FAKE_PHYS_BASE. */
static inline int fake_write_blob(const struct fake_mem *m, const char *path)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(m->rsdp, 1, FAKE_RSDP_LEN, f) == FAKE_RSDP_LEN &&
	     fwrite(m->mem, 1, m->top, f) == m->top;
	return fclose(f) == 0 && ok ? 0 : -1;
}

#endif
