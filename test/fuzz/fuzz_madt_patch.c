// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/madt_patch.c. Input: a mode byte, a count
 * byte, count root APIC IDs (4 bytes each, little-endian), then table bytes.
 * Mode bit 2 clear: the bytes are a MADT for madt_patch_for_root(); bit 0
 * first repairs its length field and checksum so mutations reach the entry
 * walk. A copy that comes back must be a well-formed MADT listing only root
 * processors, at most once each; it is then run through acpi_root_tables()
 * with a generated RSDP/XSDT/RSDT. Mode bit 2 set: the bytes are an RSDP (36
 * bytes), an XSDT (its length field says how long) and an RSDT (the rest) for
 * acpi_root_tables(); bit 0 repairs their checksums. The MADT-mode bytes
 * also go through fadt_patch_for_root() (mode bit 1 names them "FACP").
 */
#include <stdlib.h>
#include <string.h>

#include "platform/acpi.h"
#include "root/madt_patch.h"

#define MODE_FIXUP	 0x01u
#define MODE_FACP	 0x02u
#define MODE_ROOT_TABLES 0x04u
#define OUT_SIZE	 (MADT_PATCH_MAX_LEN + 64)
#define RSDP_LEN	 36u
#define SDT_HDR		 36u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
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

static bool is_root(const uint64_t *ids, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The copy is a MADT whose processor entries are root CPUs, each at most once. */
static void check_copy(const uint8_t *o, size_t len, size_t in_len, const uint64_t *ids, unsigned n)
{
	unsigned seen = 0;

	if (len < 44 || len > in_len || rd32(o + 4) != len || !acpi_checksum_ok(o, len) ||
	    memcmp(o, "APIC", 4) != 0)
		abort();
	for (size_t off = 44; off < len;) {
		uint32_t id;

		if (len - off < 2 || o[off + 1] < 2 || o[off + 1] > len - off)
			abort();
		if (o[off] == 0 || o[off] == 9) {
			id = o[off] == 0 ? o[off + 3] : rd32(o + off + 4);
			if (!is_root(ids, n, id))
				abort();
			/* enabled, as Linux needs to see them */
			if (!(o[off] == 0 ? o[off + 4] & 1 : o[off + 8] & 1))
				abort();
			seen++;
		}
		if (o[off] == 0x10)
			abort();
		off += o[off + 1];
	}
	if (seen != n)
		abort();
}

/* The patched MADT's root tables: an XSDT and an RSDT naming it at 0x1000, and their RSDP. */
static void run_root_tables(void)
{
	static uint8_t rsdp[RSDP_LEN], xsdt[SDT_HDR + 16], rsdt[SDT_HDR + 8], xo[64], ro[64];
	struct acpi_root_in in;
	struct acpi_root_out out = {
		.xsdt = xo, .xsdt_size = sizeof(xo), .rsdt = ro, .rsdt_size = sizeof(ro)
	};

	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	wr(rsdp + 16, 0x3000, 4);
	wr(rsdp + 20, RSDP_LEN, 4);
	wr(rsdp + 24, 0x2000, 8);
	fix_sum(rsdp, 20, 8);
	fix_sum(rsdp, RSDP_LEN, 32);
	memset(xsdt, 0, sizeof(xsdt));
	memcpy(xsdt, "XSDT", 4);
	wr(xsdt + 4, sizeof(xsdt), 4);
	wr(xsdt + SDT_HDR, 0x5000, 8);
	wr(xsdt + SDT_HDR + 8, 0x1000, 8);
	fix_sum(xsdt, sizeof(xsdt), 9);
	memset(rsdt, 0, sizeof(rsdt));
	memcpy(rsdt, "RSDT", 4);
	wr(rsdt + 4, sizeof(rsdt), 4);
	wr(rsdt + SDT_HDR, 0x1000, 4);
	wr(rsdt + SDT_HDR + 4, 0x5000, 4);
	fix_sum(rsdt, sizeof(rsdt), 9);
	in = (struct acpi_root_in){ .rsdp = rsdp,
				    .rsdp_len = sizeof(rsdp),
				    .xsdt = xsdt,
				    .xsdt_len = sizeof(xsdt),
				    .rsdt = rsdt,
				    .rsdt_len = sizeof(rsdt),
				    .madt_old = 0x1000,
				    .madt_new = 0x9000,
				    .xsdt_new = 0xa000,
				    .rsdt_new = 0xb000 };
	if (acpi_root_tables(&in, &out) != 0 || !acpi_checksum_ok(out.rsdp, 20) ||
	    !acpi_checksum_ok(out.rsdp, RSDP_LEN) || !acpi_checksum_ok(xo, out.xsdt_len) ||
	    !acpi_checksum_ok(ro, out.rsdt_len) || rd32(xo + SDT_HDR + 8) != 0x9000 ||
	    rd32(ro + SDT_HDR) != 0x9000)
		abort();
}

static void fuzz_madt(uint8_t *t, size_t len, const uint64_t *ids, unsigned n, bool fixup)
{
	static uint8_t out[OUT_SIZE];
	size_t out_len;

	if (fixup && len >= 44) {
		wr(t + 4, len, 4);
		fix_sum(t, len, 9);
	}
	/* the same bytes as an FADT: a copy that comes back is one, with the flag set */
	{
		static uint8_t fo[1024];
		size_t fl = 0;

		if (fadt_patch_for_root(t, len, fo, sizeof(fo), &fl) == 0 &&
		    (fl < 116 || fl > len || memcmp(fo, "FACP", 4) || !acpi_checksum_ok(fo, fl) ||
		     !(rd32(fo + 112) & (1u << 19)) || memcmp(fo + 116, t + 116, fl - 116)))
			abort();
	}
	if (madt_patch_for_root(t, len, ids, n, out, sizeof(out), &out_len) == 0) {
		check_copy(out, out_len, rd32(t + 4), ids, n);
		run_root_tables();
	}
}

static void fuzz_root_tables(uint8_t *b, size_t len, const uint64_t *ids, unsigned n, bool fixup)
{
	static uint8_t xo[1 << 12], ro[1 << 12];
	struct acpi_root_out out = {
		.xsdt = xo, .xsdt_size = sizeof(xo), .rsdt = ro, .rsdt_size = sizeof(ro)
	};
	struct acpi_root_in in = { .rsdp = b, .rsdp_len = len < RSDP_LEN ? len : RSDP_LEN };
	size_t rest = len - in.rsdp_len, xlen = 0;
	uint8_t *x = b + in.rsdp_len;

	if (rest >= SDT_HDR) {
		xlen = rd32(x + 4);
		if (xlen > rest)
			xlen = rest;
	}
	in.xsdt = x;
	in.xsdt_len = xlen;
	in.rsdt = x + xlen;
	in.rsdt_len = rest - xlen;
	if (fixup) {
		if (in.rsdp_len == RSDP_LEN) {
			fix_sum(b, 20, 8);
			fix_sum(b, RSDP_LEN, 32);
		}
		if (xlen >= SDT_HDR)
			fix_sum(x, xlen, 9);
		if (in.rsdt_len >= SDT_HDR && rd32(x + xlen + 4) <= in.rsdt_len)
			fix_sum(x + xlen, rd32(x + xlen + 4), 9);
	}
	in.madt_old = xlen >= SDT_HDR + 8 ? rd32(x + SDT_HDR) : 0;
	/* the second XSDT entry, when there is one, stands for the FADT to be replaced */
	in.fadt_old = xlen >= SDT_HDR + 16 && n > 3 ? rd32(x + SDT_HDR + 8) : 0;
	in.fadt_new = in.fadt_old ? ids[3] : 0;
	in.madt_new = n ? ids[0] : 0x9000;
	in.xsdt_new = n > 1 ? ids[1] : 0xa000;
	in.rsdt_new = n > 2 ? ids[2] : 0xb000;
	if (acpi_root_tables(&in, &out) == 0) {
		if (!acpi_checksum_ok(out.rsdp, 20) || out.rsdp_len > ACPI_ROOT_RSDP_MAX ||
		    !acpi_checksum_ok(out.rsdp, out.rsdp_len) ||
		    (out.xsdt_len && !acpi_checksum_ok(xo, out.xsdt_len)) ||
		    (out.rsdt_len && !acpi_checksum_ok(ro, out.rsdt_len)) ||
		    (!out.xsdt_len && !out.rsdt_len))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t ids[MADT_ROOT_CPUS_MAX + 1];
	unsigned n;
	size_t off;
	uint8_t mode, *copy;

	if (size < 2)
		return 0;
	mode = data[0];
	n = data[1];
	off = 2;
	for (unsigned i = 0; i < n; i++, off += 4) {
		if (size - off < 4)
			return 0;
		ids[i] = rd32(data + off);
	}
	/* an exact-size copy: ASan flags any read past the input */
	copy = malloc(size - off ? size - off : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + off, size - off);
	if (mode & MODE_ROOT_TABLES)
		fuzz_root_tables(copy, size - off, ids, n, mode & MODE_FIXUP);
	else {
		if ((mode & MODE_FACP) && size - off >= 4)
			memcpy(copy, "FACP", 4);
		fuzz_madt(copy, size - off, ids, n, mode & MODE_FIXUP);
	}
	free(copy);
	return 0;
}
