// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for arch/x86_64/acpi.c: good ACPI 1.0 and 2.0 table sets and
 * malformed ones, each asserting the outcome and the log line. With
 * BULKHEAD_ACPI_SEED_DIR set, the good sets are also written there as seed
 * inputs for test/fuzz/fuzz_acpi.c.
 */
#include "../check.h"
#include "acpi_builder.h"
#include "core/errno.h"
#include "core/log.h"

#define LAPIC_BASE   0xfee00000u
#define LAPIC_OVR    0x1fee00000ull
#define IOAPIC_BASE  0xfec00000u
#define ECAM_BASE    0xb0000000ull
#define UNMAPPED     0xdead0000ull
#define MADT_PCAT    1u
#define CPU_ENABLED  1u
#define CPU_ONLINE_C 2u
#define ISO_LEVEL_LO 0x000fu /* active low, level triggered */
#define SEED_FIXUP   0x01u   /* RSDP byte 33: fuzz harness repairs checksums */

static struct fake_mem m;
static struct acpi_info info;
static struct tb t;

static int parse(size_t rsdp_len)
{
	test_log_clear();
	m.calls = 0;
	return acpi_parse(m.rsdp, rsdp_len, fake_map, &m, &info);
}

/* Writes the current fake memory as a fuzz seed when BULKHEAD_ACPI_SEED_DIR is set. */
static void write_seed(const char *name)
{
	const char *dir = getenv("BULKHEAD_ACPI_SEED_DIR");
	uint8_t saved[FAKE_RSDP_LEN];
	char path[512];

	if (!dir)
		return;
	memcpy(saved, m.rsdp, sizeof(saved));
	m.rsdp[33] |= SEED_FIXUP;
	if (m.rsdp[15] >= 2)
		fix_checksum(m.rsdp, FAKE_RSDP_LEN, 32);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK(fake_write_blob(&m, path) == 0);
	memcpy(m.rsdp, saved, sizeof(saved));
}

/* The full MADT of the good ACPI 2.0 set. */
static uint64_t place_good_madt(uint32_t misalign)
{
	madt_begin(&t, LAPIC_BASE, MADT_PCAT);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	madt_lapic(&t, 1, 1, CPU_ENABLED);
	madt_lapic(&t, 2, 2, CPU_ENABLED);
	madt_lapic(&t, 3, 3, 0); /* present in firmware, not usable */
	madt_x2apic(&t, 0x100, CPU_ONLINE_C, 4);
	madt_ioapic(&t, 2, IOAPIC_BASE, 0);
	madt_iso(&t, 0, 2, 0);
	madt_iso(&t, 9, 9, ISO_LEVEL_LO);
	madt_lapic_override(&t, LAPIC_OVR);
	tb_u8(&t, 0x7f); /* an entry type we do not know: skipped by its length */
	tb_u8(&t, 4);
	tb_u16(&t, 0);
	return tb_place_at(&m, &t, misalign);
}

static uint64_t place_small_madt(uint8_t ncpu)
{
	madt_begin(&t, LAPIC_BASE, 0);
	for (uint8_t i = 0; i < ncpu; i++)
		madt_lapic(&t, i, i, CPU_ENABLED);
	return tb_place(&m, &t);
}

static uint64_t place_good_mcfg(void)
{
	mcfg_begin(&t);
	mcfg_entry(&t, ECAM_BASE, 0, 0, 255);
	return tb_place(&m, &t);
}

static uint64_t place_good_fadt(void)
{
	fadt_build(&t, T_FADT_LEN_V6, 6, T_RESET_REG_SUP, 0x2000, 0x7000);
	return tb_place(&m, &t);
}

/* A minimal ACPI 2.0 set: XSDT -> {MADT with 2 CPUs, MCFG, FADT}; returns the XSDT. */
static uint64_t build_simple2(uint64_t *madt, uint64_t *mcfg, uint64_t *fadt)
{
	uint64_t tbl[3];

	fake_init(&m);
	tbl[0] = place_small_madt(2);
	tbl[1] = place_good_mcfg();
	tbl[2] = place_good_fadt();
	if (madt)
		*madt = tbl[0];
	if (mcfg)
		*mcfg = tbl[1];
	if (fadt)
		*fadt = tbl[2];
	return fake_root(&m, true, tbl, 3, 0);
}

static void test_checksum(void)
{
	const uint8_t ok[] = { 0x10, 0xf0, 0x00 };
	const uint8_t bad[] = { 0x10, 0xf1 };

	CHECK(acpi_checksum_ok(ok, sizeof(ok)));
	CHECK(!acpi_checksum_ok(bad, sizeof(bad)));
	CHECK(acpi_checksum_ok(bad, 0));
}

static void test_good_acpi2(void)
{
	uint64_t tbl[4], rsdt, xsdt;
	uint32_t xsdt_len;

	fake_init(&m);
	tbl[0] = place_good_madt(3); /* odd addresses: no aligned reads are assumed */
	tbl[1] = place_good_mcfg();
	tbl[2] = place_good_fadt();
	tb_begin(&t, "SSDT", 2);
	tb_zero(&t, 8);
	tbl[3] = tb_place(&m, &t);
	rsdt = fake_root(&m, false, tbl, 1, 0); /* must be ignored: the XSDT wins */
	xsdt = fake_root(&m, true, tbl, 4, 1);
	xsdt_len = 36 + 4 * 8;
	fake_rsdp(&m, 2, (uint32_t)rsdt, xsdt);
	write_seed("acpi2_full");

	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_EQ(info.revision, 2);
	CHECK_STR(info.oem_id, "BHTEST");
	CHECK(info.root_is_xsdt);
	CHECK_EQ(info.root_phys, xsdt);
	/* the root table is mapped header first, then whole */
	CHECK_EQ(m.call_phys[0], xsdt);
	CHECK_EQ(m.call_len[0], 36);
	CHECK_EQ(m.call_phys[1], xsdt);
	CHECK_EQ(m.call_len[1], xsdt_len);

	CHECK_EQ(info.table_count, 4);
	CHECK_STR(info.tables[0].signature, "APIC");
	CHECK_STR(info.tables[1].signature, "MCFG");
	CHECK_STR(info.tables[2].signature, "FACP");
	CHECK_STR(info.tables[3].signature, "SSDT");
	for (unsigned i = 0; i < 4; i++) {
		CHECK(info.tables[i].valid);
		CHECK_EQ(info.tables[i].phys, tbl[i]);
	}
	CHECK_EQ(info.tables[3].length, 44);

	CHECK(info.have_madt);
	CHECK_EQ(info.lapic_addr, LAPIC_BASE);
	CHECK_EQ(info.lapic_addr64, LAPIC_OVR);
	CHECK(info.pcat_compat);
	CHECK_EQ(info.cpu_count, 5);
	CHECK_EQ(info.cpus_ignored, 0);
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(info.cpus[i].apic_id, i);
		CHECK_EQ(info.cpus[i].acpi_uid, i);
		CHECK(info.cpus[i].enabled);
		CHECK(!info.cpus[i].x2apic_entry);
	}
	CHECK_EQ(info.cpus[3].apic_id, 3);
	CHECK(!info.cpus[3].enabled);
	CHECK(!info.cpus[3].online_capable);
	CHECK_EQ(info.cpus[4].apic_id, 0x100);
	CHECK_EQ(info.cpus[4].acpi_uid, 4);
	CHECK(info.cpus[4].x2apic_entry);
	CHECK(!info.cpus[4].enabled);
	CHECK(info.cpus[4].online_capable);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ(info.ioapics[0].id, 2);
	CHECK_EQ(info.ioapics[0].addr, IOAPIC_BASE);
	CHECK_EQ(info.ioapics[0].gsi_base, 0);
	CHECK_EQ(info.iso_count, 2);
	CHECK_EQ(info.isos[0].bus, 0);
	CHECK_EQ(info.isos[0].source, 0);
	CHECK_EQ(info.isos[0].gsi, 2);
	CHECK_EQ(info.isos[0].flags, 0);
	CHECK_EQ(info.isos[1].source, 9);
	CHECK_EQ(info.isos[1].gsi, 9);
	CHECK_EQ(info.isos[1].flags, ISO_LEVEL_LO);

	CHECK(info.have_mcfg);
	CHECK_EQ(info.mcfg_count, 1);
	CHECK_EQ(info.mcfg[0].base, ECAM_BASE);
	CHECK_EQ(info.mcfg[0].segment, 0);
	CHECK_EQ(info.mcfg[0].bus_start, 0);
	CHECK_EQ(info.mcfg[0].bus_end, 255);

	CHECK(info.have_fadt);
	CHECK_EQ(info.fadt_flags, T_RESET_REG_SUP);
	CHECK_EQ(info.sci_int, 9);
	CHECK_EQ(info.smi_cmd, 0xb2);
	for (unsigned i = 0; i < ACPI_SMI_VALUES; i++)
		CHECK_EQ(info.smi_values[i], 0xa0 + i); /* enable, disable, S4BIOS, P-, C-state */
	CHECK_EQ(info.pm1a_cnt_blk, 0x604);
	CHECK_EQ(info.pm1b_cnt_blk, 0);
	CHECK(info.have_reset_reg);
	CHECK_EQ(info.reset_reg.space_id, 1);
	CHECK_EQ(info.reset_reg.bit_width, 8);
	CHECK_EQ(info.reset_reg.access_size, 1);
	CHECK_EQ(info.reset_reg.address, 0xcf9);
	CHECK_EQ(info.reset_value, 6);
	CHECK_EQ(info.dsdt_phys, 0x7000); /* X_DSDT preferred */

	CHECK_LOG("debug: acpi: MADT: 5 CPUs (3 enabled), 1 IOAPICs, 2 overrides");
	CHECK(!test_log_contains("ERROR"));
	CHECK(!test_log_contains("WARN"));
}

static void test_good_acpi1(void)
{
	uint64_t tbl[2], rsdt;

	fake_init(&m);
	tbl[0] = place_small_madt(2);
	fadt_build(&t, T_FADT_LEN_V1, 1, 0, 0x3000, 0);
	tbl[1] = tb_place(&m, &t);
	rsdt = fake_root(&m, false, tbl, 2, 2);
	fake_rsdp(&m, 0, (uint32_t)rsdt, 0);
	write_seed("acpi1");

	CHECK_EQ(parse(20), 0); /* as Multiboot2's old-RSDP tag passes it */
	CHECK_EQ(info.revision, 0);
	CHECK(!info.root_is_xsdt);
	CHECK_EQ(info.root_phys, rsdt);
	CHECK_EQ(info.table_count, 2);
	CHECK(info.have_madt);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.lapic_addr64, LAPIC_BASE);
	CHECK(!info.pcat_compat);
	CHECK(!info.have_mcfg);
	CHECK(info.have_fadt);
	CHECK(!info.have_reset_reg);
	CHECK_EQ(info.dsdt_phys, 0x3000);
	CHECK(!test_log_contains("ERROR"));
	CHECK(!test_log_contains("WARN"));
}

/* Revision 2 with XsdtAddress 0 falls back to the RSDT. */
static void test_rev2_without_xsdt(void)
{
	uint64_t tbl[1], rsdt;

	fake_init(&m);
	tbl[0] = place_small_madt(1);
	rsdt = fake_root(&m, false, tbl, 1, 0);
	fake_rsdp(&m, 2, (uint32_t)rsdt, 0);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK(!info.root_is_xsdt);
	CHECK_EQ(info.root_phys, rsdt);
	CHECK_EQ(info.cpu_count, 1);
}

static void test_rsdp_bad_signature(void)
{
	build_simple2(NULL, NULL, NULL);
	fake_rsdp(&m, 2, 0, FAKE_PHYS_BASE);
	memcpy(m.rsdp, "RSD PTX ", 8);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EINVAL);
	CHECK_LOG("ERROR: acpi: RSDP has bad signature 'RSD PTX '");
}

static void test_rsdp_bad_checksum(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	m.rsdp[9] ^= 1; /* OEM ID: inside the 20-byte checksum */
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP has bad checksum over its first 20 bytes");
	CHECK_EQ(m.calls, 0);
}

static void test_rsdp_bad_ext_checksum(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	m.rsdp[34] ^= 1; /* reserved: only the extended checksum covers it */
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP has bad extended checksum over 36 bytes");
	CHECK_EQ(m.calls, 0);
}

static void test_rsdp_too_short(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(19), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP copy is 19 bytes, shorter than the 20-byte ACPI 1.0 RSDP");
	CHECK_EQ(parse(20), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP revision 2 needs 36 bytes, copy has 20");
	CHECK_EQ(parse(35), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP revision 2 needs 36 bytes, copy has 35");
}

static void test_rsdp_bad_length_field(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	put_le(m.rsdp + 20, 20, 4);
	fix_checksum(m.rsdp, FAKE_RSDP_LEN, 32);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP length field 20 is outside 36..36");

	put_le(m.rsdp + 20, 40, 4); /* longer than the copy */
	fix_checksum(m.rsdp, FAKE_RSDP_LEN, 32);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP length field 40 is outside 36..36");
}

static void test_rsdp_no_root(void)
{
	build_simple2(NULL, NULL, NULL);
	fake_rsdp(&m, 2, 0, 0);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_ENOENT);
	CHECK_LOG("acpi: RSDP (revision 2) gives no RSDT or XSDT address");
}

static void test_xsdt_bad_checksum(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	fake_ptr(&m, xsdt)[40] ^= 0x10; /* an entry address */
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("ERROR: acpi: XSDT at 0x");
	CHECK_LOG(" has bad checksum");
	CHECK_EQ(info.table_count, 0);
	CHECK(!info.have_madt);
}

static void test_xsdt_bad_signature(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	memcpy(fake_ptr(&m, xsdt), "RSDT", 4);
	fake_fix_table(&m, xsdt, 36 + 3 * 8);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("has signature 'RSDT'");
}

static void test_xsdt_short_length(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	fake_set_length(&m, xsdt, 36 + 3 * 8, 20);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("has length 20, shorter than its 36-byte header");
}

static void test_xsdt_partial_entry(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	fake_set_length(&m, xsdt, 36 + 3 * 8, 36 + 3 * 8 - 4);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("has length 56: 20 bytes of entries is not a multiple of 8");
}

static void test_xsdt_huge_length(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	fake_set_length(&m, xsdt, 36 + 3 * 8, 0x200000 + 36);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EBADMSG);
	CHECK_LOG("has implausible length 0x200024 (limit 0x100000)");
	CHECK_EQ(m.calls, 1); /* never asked to map the whole claimed length */
}

/* A plausible length that runs past mapped memory: the header maps, the table not. */
static void test_xsdt_body_unmappable(void)
{
	uint64_t xsdt = build_simple2(NULL, NULL, NULL);

	fake_rsdp(&m, 2, 0, xsdt);
	fake_set_length(&m, xsdt, 36 + 3 * 8, 36 + 1000 * 8);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EFAULT);
	CHECK_LOG("(length 0x1f64) cannot be mapped");
}

static void test_root_unmappable(void)
{
	build_simple2(NULL, NULL, NULL);
	fake_rsdp(&m, 2, 0, UNMAPPED);
	CHECK_EQ(parse(FAKE_RSDP_LEN), -HV_EFAULT);
	CHECK_LOG("ERROR: acpi: XSDT at 0xdead0000 cannot be mapped");

	fake_rsdp(&m, 0, 0x10, 0);
	CHECK_EQ(parse(20), -HV_EFAULT);
	CHECK_LOG("ERROR: acpi: RSDT at 0x10 cannot be mapped");
}

static void test_listed_table_unmappable(void)
{
	uint64_t tbl[4], xsdt;

	fake_init(&m);
	tbl[0] = place_small_madt(2);
	tbl[1] = UNMAPPED;
	tbl[2] = 0;
	tbl[3] = place_good_mcfg();
	xsdt = fake_root(&m, true, tbl, 4, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("ERROR: acpi: XSDT entry 1 at 0xdead0000 cannot be mapped; skipped");
	CHECK_LOG("WARN: acpi: XSDT entry 2 is a null address; skipped");
	CHECK_EQ(info.table_count, 2);
	CHECK(info.have_madt);
	CHECK(info.have_mcfg);
}

static void test_listed_table_bad_length(void)
{
	uint64_t tbl[2], xsdt;

	fake_init(&m);
	tb_begin(&t, "SSDT", 2);
	tbl[0] = tb_place(&m, &t);
	fake_set_length(&m, tbl[0], 36, 30);
	tb_begin(&t, "HPET", 1);
	tbl[1] = tb_place(&m, &t);
	fake_set_length(&m, tbl[1], 36, 0x4000); /* past the end of fake memory */
	xsdt = fake_root(&m, true, tbl, 2, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("acpi: SSDT at 0x");
	CHECK_LOG(" has length 30, shorter than its 36-byte header");
	CHECK_LOG("(length 0x4000) cannot be mapped");
	CHECK_EQ(info.table_count, 2);
	CHECK(!info.tables[0].valid);
	CHECK_EQ(info.tables[0].length, 30);
	CHECK(!info.tables[1].valid);
}

static void test_madt_bad_checksum(void)
{
	uint64_t madt, mcfg, xsdt = build_simple2(&madt, &mcfg, NULL);
	char want[80];

	fake_rsdp(&m, 2, 0, xsdt);
	fake_ptr(&m, madt)[36] ^= 1;
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	snprintf(want, sizeof(want), "ERROR: acpi: MADT at 0x%llx has bad checksum",
		 (unsigned long long)madt);
	CHECK_LOG(want);
	CHECK(!info.have_madt);
	CHECK_EQ(info.cpu_count, 0);
	CHECK(!info.tables[0].valid);
	CHECK(info.tables[1].valid);
	CHECK(info.have_mcfg);
	CHECK_EQ(info.mcfg_count, 1);
	CHECK(info.have_fadt);
}

/* Builds a set whose MADT is t as it stands, and parses it. */
static int parse_with_madt(void)
{
	uint64_t tbl[2], xsdt;

	fake_init(&m);
	tbl[0] = tb_place(&m, &t);
	tbl[1] = place_good_mcfg();
	xsdt = fake_root(&m, true, tbl, 2, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	return parse(FAKE_RSDP_LEN);
}

static void check_madt_rejected(void)
{
	CHECK(!info.have_madt);
	CHECK_EQ(info.cpu_count, 0);
	CHECK_EQ(info.ioapic_count, 0);
	CHECK_EQ(info.lapic_addr64, 0);
	CHECK(info.tables[0].valid);
	CHECK(info.have_mcfg); /* the other tables are still used */
}

static void test_madt_zero_length_entry(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	tb_u8(&t, 0); /* type 0 at offset 0x34, length 0 */
	tb_u8(&t, 0);
	tb_zero(&t, 6);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("ERROR: acpi: MADT entry at offset 0x34 has length 0 (type 0); MADT rejected");
	check_madt_rejected();

	madt_begin(&t, LAPIC_BASE, 0);
	tb_u8(&t, 1); /* length 1 is as bad */
	tb_u8(&t, 1);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("MADT entry at offset 0x2c has length 1 (type 1); MADT rejected");
	check_madt_rejected();
}

static void test_madt_entry_past_end(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	madt_x2apic(&t, 0x200, CPU_ENABLED, 1);
	t.len -= 6; /* the x2APIC entry still says 16 bytes */
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("MADT entry at offset 0x34 (type 9, length 16) runs past the table end at 0x3e; "
		  "MADT rejected");
	check_madt_rejected();
}

static void test_madt_trailing_byte(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	tb_u8(&t, 0);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("MADT entry at offset 0x34 is truncated: 1 byte left before the table end");
	check_madt_rejected();
}

static void test_madt_short_x2apic(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	tb_u8(&t, 9);
	tb_u8(&t, 12);
	tb_u16(&t, 0);
	tb_u32(&t, 0x300);
	tb_u32(&t, CPU_ENABLED);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("MADT entry at offset 0x34 (type 9) has length 12, needs 16; MADT rejected");
	check_madt_rejected();
}

static void test_madt_short_header(void)
{
	tb_begin(&t, "APIC", 5);
	tb_u32(&t, LAPIC_BASE);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("has length 40, shorter than its 44-byte header; MADT rejected");
	CHECK(!info.have_madt);
}

static void test_madt_too_many_cpus(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	for (uint32_t i = 0; i < ACPI_MAX_CPUS + 44; i++)
		madt_x2apic(&t, i, CPU_ENABLED, i);
	madt_ioapic(&t, 1, IOAPIC_BASE, 0); /* after the excess: still parsed */
	CHECK_EQ(parse_with_madt(), 0);
	write_seed("madt_many_cpus");
	CHECK_LOG("WARN: acpi: MADT lists 44 more CPUs than the limit of 256; they are ignored");
	CHECK(info.have_madt);
	CHECK_EQ(info.cpu_count, ACPI_MAX_CPUS);
	CHECK_EQ(info.cpus_ignored, 44);
	CHECK_EQ(info.cpus[255].apic_id, 255);
	CHECK_EQ(info.ioapic_count, 1);
}

static void test_madt_duplicate_apic_id(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	madt_lapic(&t, 1, 1, CPU_ENABLED);
	madt_lapic(&t, 2, 1, CPU_ENABLED);  /* offset 0x3c */
	madt_x2apic(&t, 0, CPU_ENABLED, 3); /* offset 0x44: same as xAPIC ID 0 */
	madt_lapic(&t, 4, 4, CPU_ENABLED);
	CHECK_EQ(parse_with_madt(), 0);
	CHECK_LOG("WARN: acpi: MADT entry at offset 0x3c repeats APIC ID 0x1 (UID 2); ignored");
	CHECK_LOG("WARN: acpi: MADT entry at offset 0x44 repeats APIC ID 0x0 (UID 3); ignored");
	CHECK(info.have_madt);
	CHECK_EQ(info.cpu_count, 3);
	CHECK_EQ(info.cpus[1].acpi_uid, 1);
	CHECK_EQ(info.cpus[2].apic_id, 4);
}

static void test_madt_limits_and_overrides(void)
{
	madt_begin(&t, LAPIC_BASE, 0);
	madt_lapic(&t, 0, 0, CPU_ENABLED);
	for (uint8_t i = 0; i < ACPI_MAX_IOAPICS + 1; i++)
		madt_ioapic(&t, i, IOAPIC_BASE + i * 0x1000u, i * 24u);
	for (uint8_t i = 0; i < ACPI_MAX_ISOS + 1; i++)
		madt_iso(&t, i, i, 0);
	madt_lapic_override(&t, LAPIC_OVR);
	madt_lapic_override(&t, 0x2fee00000ull);
	CHECK_EQ(parse_with_madt(), 0);
	write_seed("madt_limits");
	CHECK_LOG("IOAPIC ID 16 beyond the limit of 16; ignored");
	CHECK_LOG("override of IRQ 32 beyond the limit of 32; ignored");
	CHECK_LOG("is a second local APIC address override (0x2fee00000); ignored");
	CHECK(info.have_madt);
	CHECK_EQ(info.ioapic_count, ACPI_MAX_IOAPICS);
	CHECK_EQ(info.iso_count, ACPI_MAX_ISOS);
	CHECK_EQ(info.lapic_addr64, LAPIC_OVR);
}

static void test_madt_duplicate(void)
{
	uint64_t tbl[3], xsdt;
	char want[120];

	fake_init(&m);
	tbl[0] = place_small_madt(2);
	tbl[1] = place_small_madt(4);
	tbl[2] = place_good_mcfg();
	xsdt = fake_root(&m, true, tbl, 3, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	write_seed("dup_madt");
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	snprintf(want, sizeof(want),
		 "WARN: acpi: MADT at 0x%llx duplicates the one at 0x%llx; ignored",
		 (unsigned long long)tbl[1], (unsigned long long)tbl[0]);
	CHECK_LOG(want);
	CHECK(info.have_madt);
	CHECK_EQ(info.cpu_count, 2);
	CHECK(info.tables[1].valid);

	/* a first MADT with a bad checksum does not count: the second is used */
	fake_ptr(&m, tbl[0])[40] ^= 1;
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("has bad checksum");
	CHECK(!test_log_contains("duplicates"));
	CHECK(info.have_madt);
	CHECK_EQ(info.cpu_count, 4);
}

static void test_mcfg_partial_entry(void)
{
	uint64_t tbl[1], xsdt;

	fake_init(&m);
	mcfg_begin(&t);
	mcfg_entry(&t, ECAM_BASE, 0, 0, 255);
	tb_zero(&t, 8);
	tbl[0] = tb_place(&m, &t);
	xsdt = fake_root(&m, true, tbl, 1, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("has length 68: 24 bytes of entries is not a multiple of 16; MCFG rejected");
	CHECK(!info.have_mcfg);
	CHECK_EQ(info.mcfg_count, 0);
}

static void test_mcfg_bad_bus_range(void)
{
	uint64_t tbl[1], xsdt;

	fake_init(&m);
	mcfg_begin(&t);
	mcfg_entry(&t, ECAM_BASE, 0, 10, 5);
	mcfg_entry(&t, 0xc0000000ull, 1, 0, 63);
	tbl[0] = tb_place(&m, &t);
	xsdt = fake_root(&m, true, tbl, 1, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	write_seed("mcfg_two");
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("WARN: acpi: MCFG entry 0 at offset 0x2c (segment 0) has bus_start 10 > "
		  "bus_end 5; entry ignored");
	CHECK(info.have_mcfg);
	CHECK_EQ(info.mcfg_count, 1);
	CHECK_EQ(info.mcfg[0].segment, 1);
	CHECK_EQ(info.mcfg[0].base, 0xc0000000ull);
	CHECK_EQ(info.mcfg[0].bus_end, 63);
}

static void test_mcfg_too_many(void)
{
	uint64_t tbl[1], xsdt;

	fake_init(&m);
	mcfg_begin(&t);
	for (uint16_t i = 0; i < ACPI_MAX_MCFG + 2; i++)
		mcfg_entry(&t, ECAM_BASE + i * 0x10000000ull, i, 0, 255);
	tbl[0] = tb_place(&m, &t);
	xsdt = fake_root(&m, true, tbl, 1, 0);
	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("MCFG lists more than 16 segments; entry 16 and later ignored");
	CHECK_EQ(info.mcfg_count, ACPI_MAX_MCFG);
}

/* An HPET description table: block ID, base GAS (space, width, offset, access, address), ... */
static uint64_t place_hpet(uint32_t len, uint8_t space, uint64_t base)
{
	tb_begin(&t, "HPET", 1);
	tb_u32(&t, 0x8086a201);
	tb_u8(&t, space);
	tb_u8(&t, 64);
	tb_u8(&t, 0);
	tb_u8(&t, 0);
	tb_u64(&t, base);
	tb_u8(&t, 0);
	tb_u16(&t, 0x80);
	tb_u8(&t, 0);
	if (len > 56)
		tb_zero(&t, len - 56);
	return tb_place(&m, &t);
}

static void test_hpet(void)
{
	static const struct {
		uint32_t len;
		uint8_t space;
		uint64_t base;
		uint64_t want;
		const char *log;
	} cases[] = {
		{ 56, 0, 0xfed00000, 0xfed00000, NULL },
		{ 60, 0, 0xfed00400, 0xfed00400, NULL },
		{ 56, 1, 0xfed00000, 0,
		  "in address space 1 is not a 1 KiB aligned memory address" },
		{ 56, 0, 0xfed00010, 0,
		  "base 0xfed00010 in address space 0 is not a 1 KiB aligned" },
		{ 56, 0, 0, 0, "HPET rejected" },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t tbl[1], xsdt;

		fake_init(&m);
		tbl[0] = place_hpet(cases[i].len, cases[i].space, cases[i].base);
		xsdt = fake_root(&m, true, tbl, 1, 0);
		fake_rsdp(&m, 2, 0, xsdt);
		if (i == 0)
			write_seed("hpet");
		CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
		CHECK_EQ(info.hpet_base, cases[i].want);
		if (cases[i].log)
			CHECK_LOG(cases[i].log);
	}
	/* too short to hold the base: rejected, nothing read past its end */
	{
		uint64_t tbl[1], xsdt;

		fake_init(&m);
		tb_begin(&t, "HPET", 1);
		tb_u32(&t, 0x8086a201);
		tb_u8(&t, 0);
		tbl[0] = tb_place(&m, &t);
		xsdt = fake_root(&m, true, tbl, 1, 0);
		fake_rsdp(&m, 2, 0, xsdt);
		CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
		CHECK_EQ(info.hpet_base, 0ULL);
		CHECK_LOG("acpi: HPET at 0x");
		CHECK_LOG("shorter than 56; HPET rejected");
	}
}

/* A WDAT instruction: action, instruction, GAS (space, width, access, address), value, mask. */
static void wdat_entry(uint8_t action, uint8_t insn, uint8_t space, uint8_t width, uint8_t access,
		       uint64_t addr, uint32_t value, uint32_t mask)
{
	tb_u8(&t, action);
	tb_u8(&t, insn);
	tb_u16(&t, 0);
	tb_u8(&t, space);
	tb_u8(&t, width);
	tb_u8(&t, 0);
	tb_u8(&t, access);
	tb_u64(&t, addr);
	tb_u32(&t, value);
	tb_u32(&t, mask);
}

/* The WDAT header after the ACPI header; count instructions follow (or not). */
static void wdat_head(uint32_t count)
{
	tb_begin(&t, "WDAT", 1);
	tb_u32(&t, 32);
	tb_u16(&t, 0);
	tb_u8(&t, 0xff);
	tb_u8(&t, 0xff);
	tb_u8(&t, 0xff);
	tb_zero(&t, 3);
	tb_u32(&t, 1000); /* ms per count */
	tb_u32(&t, 300);
	tb_u32(&t, 1);
	tb_u8(&t, 0x81);
	tb_zero(&t, 3);
	tb_u32(&t, count);
}

static void parse_one(uint64_t tbl)
{
	uint64_t xsdt = fake_root(&m, true, &tbl, 1, 0);

	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
}

static void test_wdat(void)
{
	/* the registers, deduplicated, and the stop instructions */
	fake_init(&m);
	wdat_head(4);
	wdat_entry(0x0b, 0x82, 1, 8, 1, 0x520, 1, 1);	      /* SET_STOPPED_STATE */
	wdat_entry(0x01, 0x02, 1, 8, 1, 0x521, 1, 1);	      /* RESET (ping) */
	wdat_entry(0x06, 0x03, 0, 32, 3, 0xfed40004, 0, ~0u); /* SET_COUNTDOWN: memory */
	wdat_entry(0x09, 0x82, 1, 8, 1, 0x520, 0, 1);	      /* SET_RUNNING_STATE: same reg */
	parse_one(tb_place(&m, &t));
	write_seed("wdat");
	CHECK_STR(info.wdt_table, "WDAT");
	CHECK_EQ(info.wdt_reg_count, 3);
	CHECK_EQ(info.wdt_regs[0].space, 1);
	CHECK_EQ(info.wdt_regs[0].addr, 0x520);
	CHECK_EQ(info.wdt_regs[0].size, 1);
	CHECK_EQ(info.wdt_regs[1].addr, 0x521);
	CHECK_EQ(info.wdt_regs[2].space, 0);
	CHECK_EQ(info.wdt_regs[2].addr, 0xfed40004ULL);
	CHECK_EQ(info.wdt_regs[2].size, 4);
	CHECK_EQ(info.wdt_stop_count, 1);
	CHECK_EQ(info.wdt_stop[0].insn, 0x82);
	CHECK_EQ(info.wdt_stop[0].reg.addr, 0x520);
	CHECK_EQ(info.wdt_stop[0].value, 1);
	CHECK_EQ(info.wdt_stop[0].mask, 1);

	/* more instructions than the table holds: rejected, nothing read past its end */
	fake_init(&m);
	wdat_head(3);
	wdat_entry(0x0b, 0x02, 1, 8, 1, 0x520, 1, 1);
	parse_one(tb_place(&m, &t));
	CHECK_STR(info.wdt_table, "");
	CHECK_EQ(info.wdt_reg_count, 0);
	CHECK_LOG("lists 3 instructions; its 92 bytes hold 1; WDAT rejected");
	/* shorter than its header */
	fake_init(&m);
	tb_begin(&t, "WDAT", 1);
	tb_u32(&t, 32);
	parse_one(tb_place(&m, &t));
	CHECK_EQ(info.wdt_reg_count, 0);
	CHECK_LOG("shorter than 68; WDAT rejected");
	/* a register in PCI configuration space, an I/O register past 0xffff, address 0 */
	{
		static const struct {
			uint8_t space, width, access;
			uint64_t addr;
		} bad[] = {
			{ 2, 8, 1, 0x520 },   { 1, 32, 3, 0xfffe }, { 1, 8, 1, 0 },
			{ 0, 24, 0, 0x1000 }, { 1, 64, 4, 0x520 },
		};

		for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
			fake_init(&m);
			wdat_head(2);
			wdat_entry(0x01, 0x02, 1, 8, 1, 0x521, 1, 1);
			wdat_entry(0x0b, 0x02, bad[i].space, bad[i].width, bad[i].access,
				   bad[i].addr, 1, 1);
			parse_one(tb_place(&m, &t));
			CHECK_EQ(info.wdt_reg_count, 0);
			CHECK_EQ(info.wdt_stop_count, 0);
			CHECK_LOG("is not a memory or I/O register; WDAT rejected");
		}
	}
	/* WDRT: the control and count registers */
	fake_init(&m);
	tb_begin(&t, "WDRT", 1);
	tb_u8(&t, 0);
	tb_u8(&t, 32);
	tb_u8(&t, 0);
	tb_u8(&t, 3);
	tb_u64(&t, 0xfed40000);
	tb_u8(&t, 1);
	tb_u8(&t, 16);
	tb_u8(&t, 0);
	tb_u8(&t, 2);
	tb_u64(&t, 0x530);
	tb_zero(&t, 11);
	parse_one(tb_place(&m, &t));
	write_seed("wdrt");
	CHECK_STR(info.wdt_table, "WDRT");
	CHECK_EQ(info.wdt_reg_count, 2);
	CHECK_EQ(info.wdt_regs[0].addr, 0xfed40000ULL);
	CHECK_EQ(info.wdt_regs[1].space, 1);
	CHECK_EQ(info.wdt_regs[1].size, 2);
	CHECK_EQ(info.wdt_stop_count, 0);
	/* a WDRT one byte short */
	fake_init(&m);
	tb_begin(&t, "WDRT", 1);
	tb_zero(&t, 34);
	parse_one(tb_place(&m, &t));
	CHECK_EQ(info.wdt_reg_count, 0);
	CHECK_LOG("shorter than 71; WDRT rejected");
}

static void test_fadt_short(void)
{
	uint64_t tbl[1], rsdt;

	fake_init(&m);
	fadt_build(&t, T_FADT_LEN_V1, 1, T_RESET_REG_SUP, 0x3000, 0);
	tbl[0] = tb_place(&m, &t);
	rsdt = fake_root(&m, false, tbl, 1, 0);
	fake_rsdp(&m, 0, (uint32_t)rsdt, 0);
	CHECK_EQ(parse(20), 0);
	CHECK_LOG("sets RESET_REG_SUP but its length 116 has no RESET_REG (needs 129); no reset "
		  "register");
	CHECK(info.have_fadt);
	CHECK(!info.have_reset_reg);
	CHECK_EQ(info.reset_reg.address, 0);
	CHECK_EQ(info.sci_int, 9);
	CHECK_EQ(info.dsdt_phys, 0x3000);

	/* ACPI 2.0-sized FADT without X_DSDT (length 132 < 148): DSDT from the 32-bit field */
	fake_init(&m);
	fadt_build(&t, 132, 3, T_RESET_REG_SUP, 0x3000, 0);
	tbl[0] = tb_place(&m, &t);
	rsdt = fake_root(&m, false, tbl, 1, 0);
	fake_rsdp(&m, 0, (uint32_t)rsdt, 0);
	CHECK_EQ(parse(20), 0);
	CHECK(info.have_reset_reg);
	CHECK_EQ(info.reset_reg.address, 0xcf9);
	CHECK_EQ(info.dsdt_phys, 0x3000);

	/* shorter than ACPI 1.0's FADT: rejected */
	fake_init(&m);
	fadt_build(&t, 100, 1, 0, 0x3000, 0);
	tbl[0] = tb_place(&m, &t);
	rsdt = fake_root(&m, false, tbl, 1, 0);
	fake_rsdp(&m, 0, (uint32_t)rsdt, 0);
	CHECK_EQ(parse(20), 0);
	CHECK_LOG("has length 100, shorter than the ACPI 1.0 FADT (116); FADT rejected");
	CHECK(!info.have_fadt);
}

static void test_fadt_reset_reg_unusable(void)
{
	uint64_t fadt, xsdt = build_simple2(NULL, NULL, &fadt);

	fake_rsdp(&m, 2, 0, xsdt);
	put_le(fake_ptr(&m, fadt) + T_FADT_RESET_REG + 4, 0, 8);
	put_le(fake_ptr(&m, fadt) + T_FADT_X_DSDT, 0, 8);
	fake_fix_table(&m, fadt, T_FADT_LEN_V6);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("RESET_REG (space 1, address 0x0) is not usable; no reset register");
	CHECK(info.have_fadt);
	CHECK(!info.have_reset_reg);
	CHECK_EQ(info.dsdt_phys, 0x2000); /* X_DSDT is 0: the 32-bit DSDT */
}

static void test_too_many_tables(void)
{
	uint64_t tbl[ACPI_MAX_TABLES + 6], xsdt;

	fake_init(&m);
	for (unsigned i = 0; i < ARRAY_SIZE(tbl); i++) {
		tb_begin(&t, "OEM1", 1);
		tbl[i] = tb_place(&m, &t);
	}
	xsdt = fake_root(&m, true, tbl, ARRAY_SIZE(tbl), 0);
	fake_rsdp(&m, 2, 0, xsdt);
	CHECK_EQ(parse(FAKE_RSDP_LEN), 0);
	CHECK_LOG("WARN: acpi: XSDT lists 70 entries, more than 64; entry 64 and later ignored");
	CHECK_EQ(info.table_count, ACPI_MAX_TABLES);
	CHECK(info.tables[63].valid);
}

static void test_bad_arguments(void)
{
	fake_init(&m);
	CHECK_EQ(acpi_parse(NULL, 36, fake_map, &m, &info), -HV_EINVAL);
	CHECK_EQ(acpi_parse(m.rsdp, 36, NULL, &m, &info), -HV_EINVAL);
	CHECK_EQ(acpi_parse(m.rsdp, 36, fake_map, &m, NULL), -HV_EINVAL);
}

int main(void)
{
	test_checksum();
	test_good_acpi2();
	test_good_acpi1();
	test_rev2_without_xsdt();
	test_rsdp_bad_signature();
	test_rsdp_bad_checksum();
	test_rsdp_bad_ext_checksum();
	test_rsdp_too_short();
	test_rsdp_bad_length_field();
	test_rsdp_no_root();
	test_xsdt_bad_checksum();
	test_xsdt_bad_signature();
	test_xsdt_short_length();
	test_xsdt_partial_entry();
	test_xsdt_huge_length();
	test_xsdt_body_unmappable();
	test_root_unmappable();
	test_listed_table_unmappable();
	test_listed_table_bad_length();
	test_madt_bad_checksum();
	test_madt_zero_length_entry();
	test_madt_entry_past_end();
	test_madt_trailing_byte();
	test_madt_short_x2apic();
	test_madt_short_header();
	test_madt_too_many_cpus();
	test_madt_duplicate_apic_id();
	test_madt_limits_and_overrides();
	test_madt_duplicate();
	test_mcfg_partial_entry();
	test_mcfg_bad_bus_range();
	test_mcfg_too_many();
	test_hpet();
	test_wdat();
	test_fadt_short();
	test_fadt_reset_reg_unusable();
	test_too_many_tables();
	test_bad_arguments();
	return check_summary();
}
