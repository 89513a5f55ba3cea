// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for arch/x86_64/madt_patch.c: the root's MADT copy keeps only
 * its own processors (and their NMI entries) with a valid length and
 * checksum, malformed firmware MADTs are refused with their log line, and the
 * RSDP/XSDT/RSDT copies point at the new MADT so that acpi_parse() of the
 * root's tables sees exactly the root's CPUs. Synthetic tables from
 * test/unit/acpi/acpi_builder.h. With BULKHEAD_LINUX_SEED_DIR set, the MADTs
 * are also written there as seeds for fuzz_madt_patch.
 */
#include "../acpi/acpi_builder.h"
#include "../check.h"
#include "root/madt_patch.h"
#include "core/errno.h"

#define LAPIC_BASE  0xfee00000u
#define IOAPIC_BASE 0xfec00000u
#define ENABLED	    1u
#define ONLINE_CAP  2u
#define OUT_MAX	    4096u

/* Offsets of entries in the full MADT. */
#define OFF_LAPIC1 0x34
#define OFF_LAPIC2 0x3c

static struct tb t;
static uint8_t out[OUT_MAX];
static size_t out_len;
static struct fake_mem m;
static struct acpi_info info;

/* Local APIC NMI (ACPI 6.5 section 5.2.12.7): UID 0xff names all processors. */
static void madt_lapic_nmi(struct tb *b, uint8_t uid)
{
	tb_u8(b, 4);
	tb_u8(b, 6);
	tb_u8(b, uid);
	tb_u16(b, 5); /* flags: active high, edge */
	tb_u8(b, 1);  /* LINT1 */
}

/* Local x2APIC NMI (5.2.12.13): UID 0xffffffff names all processors. */
static void madt_x2apic_nmi(struct tb *b, uint32_t uid)
{
	tb_u8(b, 0xa);
	tb_u8(b, 12);
	tb_u16(b, 5);
	tb_u32(b, uid);
	tb_u8(b, 1);
	tb_zero(b, 3);
}

static void madt_end(struct tb *b)
{
	put_le(b->b + 4, b->len, 4);
	fix_checksum(b->b, b->len, 9);
}

/* One of each entry kind: four xAPIC CPUs, one x2APIC CPU, NMIs for some of them. */
static void full_madt(void)
{
	madt_begin(&t, LAPIC_BASE, 1);
	madt_lapic(&t, 0, 0, ENABLED);		/* 0x2c */
	madt_lapic(&t, 1, 1, ENABLED);		/* 0x34 */
	madt_lapic(&t, 2, 2, ENABLED);		/* 0x3c */
	madt_lapic(&t, 3, 3, ONLINE_CAP);	/* 0x44: not enabled in firmware */
	madt_x2apic(&t, 0x100, ENABLED, 0x100); /* 0x4c */
	madt_ioapic(&t, 0, IOAPIC_BASE, 0);	/* 0x5c */
	madt_iso(&t, 0, 2, 0);			/* 0x68 */
	madt_iso(&t, 9, 9, 0x000d);		/* 0x72 */
	madt_lapic_nmi(&t, 0xff);		/* 0x7c */
	madt_lapic_nmi(&t, 1);			/* 0x82 */
	madt_lapic_nmi(&t, 2);			/* 0x88 */
	madt_x2apic_nmi(&t, 0x100);		/* 0x8e */
	madt_x2apic_nmi(&t, 0xffffffff);	/* 0x9a */
	/* NMI source (type 3), 0xa6 */
	tb_u8(&t, 3);
	tb_u8(&t, 8);
	tb_u16(&t, 0);
	tb_u32(&t, 23);
	madt_lapic_override(&t, LAPIC_BASE); /* 0xae */
	/* multiprocessor wakeup mailbox (type 0x10), 0xba */
	tb_u8(&t, 0x10);
	tb_u8(&t, 16);
	tb_u16(&t, 0);
	tb_u32(&t, 0);
	tb_u64(&t, 0x7f000000);
	/* a type this code does not know, 0xca */
	tb_u8(&t, 0x7f);
	tb_u8(&t, 4);
	tb_u16(&t, 0xbeef);
	madt_end(&t); /* 0xce bytes */
}

static int patch(const uint64_t *ids, unsigned n)
{
	test_log_clear();
	memset(out, 0xa5, sizeof(out));
	out_len = 12345;
	return madt_patch_for_root(t.b, t.len, ids, n, out, sizeof(out), &out_len);
}

/* Types (and for CPUs the APIC IDs) of the entries of the copy, in order, as a string. */
static const char *entries(void)
{
	static char buf[512];
	size_t w = 0;

	buf[0] = '\0';
	for (size_t off = 44; off + 2 <= out_len && out[off + 1] >= 2; off += out[off + 1]) {
		uint32_t v = 0;

		if (out[off] == 0)
			v = out[off + 3];
		else if (out[off] == 9 || out[off] == 0xa)
			v = get_le32(out + off + 4);
		else if (out[off] == 4)
			v = out[off + 2];
		w += (size_t)snprintf(buf + w, sizeof(buf) - w, "%s%x", w ? " " : "", out[off]);
		if (out[off] == 0 || out[off] == 9 || out[off] == 4 || out[off] == 0xa)
			w += (size_t)snprintf(buf + w, sizeof(buf) - w, ":%x", v);
	}
	return buf;
}

static void write_seed(const char *name, const uint8_t *ids, size_t ids_len)
{
	const char *dir = getenv("BULKHEAD_LINUX_SEED_DIR");
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	/* fuzz_madt_patch input: mode byte, ID count, IDs (4 bytes each), MADT */
	CHECK(fwrite(ids, 1, ids_len, f) == ids_len);
	CHECK(fwrite(t.b, 1, t.len, f) == t.len);
	CHECK(fclose(f) == 0);
}

static void test_patch(void)
{
	static const uint64_t root01[] = { 0, 1 };
	static const uint64_t root_x2[] = { 0x100, 2 };
	static const uint64_t root3[] = { 3 };
	static const uint8_t seed01[] = { 0, 2, 0, 0, 0, 0, 1, 0, 0, 0 };
	static const uint8_t seed_x2[] = { 1, 2, 0, 1, 0, 0, 2, 0, 0, 0 };

	full_madt();
	write_seed("full_root01", seed01, sizeof(seed01));
	write_seed("full_root_x2", seed_x2, sizeof(seed_x2));

	/* root on CPUs 0 and 1: CPUs 2, 3 and 0x100 and the NMIs naming them go */
	CHECK_EQ(patch(root01, 2), 0);
	CHECK_STR(entries(), "0:0 0:1 1 2 2 4:ff 4:1 a:ffffffff 3 5 7f");
	CHECK_EQ(out_len, t.len - 2 * 8 - 16 - 6 - 12 - 16);
	CHECK_EQ(get_le32(out + 4), out_len);
	CHECK(acpi_checksum_ok(out, out_len));
	CHECK(memcmp(out, t.b, 4) == 0);
	CHECK(memcmp(out + 10, t.b + 10, 44 - 10) == 0); /* OEM fields, LAPIC address, flags */
	CHECK_EQ(out[out_len], 0xa5);			 /* nothing written past the copy */
	CHECK_LOG("madt: the root's copy lists 2 of 5 processor entries (2 NMI entries dropped)");
	CHECK_LOG("madt: multiprocessor wakeup mailbox at offset 0xba left out of the root's copy");

	/* an x2APIC CPU and an xAPIC one: the x2APIC NMI for UID 0x100 stays */
	CHECK_EQ(patch(root_x2, 2), 0);
	CHECK_STR(entries(), "0:2 9:100 1 2 2 4:ff 4:2 a:100 a:ffffffff 3 5 7f");
	CHECK(acpi_checksum_ok(out, out_len));

	/* a root CPU the firmware lists as not enabled is enabled in the copy */
	CHECK_EQ(patch(root3, 1), 0);
	CHECK_STR(entries(), "0:3 1 2 2 4:ff a:ffffffff 3 5 7f");
	CHECK_EQ(get_le32(out + 44 + 4), ONLINE_CAP | ENABLED);
	CHECK(acpi_checksum_ok(out, out_len));
	CHECK_LOG("madt: the root's processor entry at offset 0x44 has flags 0x2 (disabled); "
		  "enabled in its copy");

	/* the output buffer holds exactly the copy, or the call fails */
	CHECK_EQ(patch(root01, 2), 0);
	{
		size_t need = out_len, got;

		test_log_clear();
		CHECK_EQ(madt_patch_for_root(t.b, t.len, root01, 2, out, need, &got), 0);
		CHECK_EQ(got, need);
		CHECK_EQ(madt_patch_for_root(t.b, t.len, root01, 2, out, need - 1, &got),
			 -HV_ENOSPC);
		CHECK_LOG("madt: the root's MADT copy does not fit the 139-byte output buffer");
		CHECK_EQ(got, 0);
		CHECK_EQ(madt_patch_for_root(t.b, t.len, root01, 2, out, 43, &got), -HV_ENOSPC);
	}

	/* a MADT copy longer than its length field: only the table is read */
	CHECK_EQ(madt_patch_for_root(t.b, t.len + 100, root01, 2, out, sizeof(out), &out_len), 0);
	CHECK_STR(entries(), "0:0 0:1 1 2 2 4:ff 4:1 a:ffffffff 3 5 7f");
}

static void test_duplicates(void)
{
	static const uint64_t root1[] = { 1 };

	/* APIC ID 1 twice (xAPIC and x2APIC): the first stays, as acpi.c keeps it */
	madt_begin(&t, LAPIC_BASE, 1);
	madt_lapic(&t, 0, 0, ENABLED);
	madt_lapic(&t, 1, 1, ENABLED);
	madt_x2apic(&t, 1, ENABLED, 7);
	madt_x2apic_nmi(&t, 7);
	madt_end(&t);
	CHECK_EQ(patch(root1, 1), 0);
	CHECK_STR(entries(), "0:1");
	CHECK_LOG("madt: entry at offset 0x3c repeats APIC ID 0x1 (UID 7); left out of the root's "
		  "copy");
	CHECK_LOG("lists 1 of 3 processor entries (1 NMI entries dropped)");
}

static void test_bad_input(void)
{
	static const uint64_t root01[] = { 0, 1 };
	static const uint64_t absent[] = { 0, 7 };
	static const uint64_t twice[] = { 1, 0, 1 };
	static const uint64_t wide[] = { 0x100000000ull };
	uint64_t many[MADT_ROOT_CPUS_MAX + 1];
	size_t len;

	full_madt();
	CHECK_EQ(patch(absent, 2), -HV_ENOENT);
	CHECK_LOG("madt: the root's APIC ID 0x7 has no processor entry in the MADT");
	CHECK_EQ(out_len, 0);
	CHECK_EQ(patch(twice, 3), -HV_EINVAL);
	CHECK_LOG("madt: root APIC ID 0x1 is listed twice");
	CHECK_EQ(patch(wide, 1), -HV_EINVAL);
	CHECK_LOG("madt: root APIC ID 0x100000000 does not fit the 32 bits of an x2APIC ID");
	CHECK_EQ(patch(root01, 0), -HV_EINVAL);
	CHECK_LOG("madt: 0 root APIC IDs given; 1..256 allowed");
	for (unsigned i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = i;
	CHECK_EQ(patch(many, ARRAY_SIZE(many)), -HV_EINVAL);
	CHECK_LOG("madt: 257 root APIC IDs given");
	CHECK_EQ(patch(many, MADT_ROOT_CPUS_MAX), -HV_ENOENT); /* 4..255 are not in the MADT */
	CHECK_LOG("madt: the root's APIC ID 0x4 has no processor entry");
	CHECK_EQ(madt_patch_for_root(NULL, 44, root01, 2, out, sizeof(out), &out_len), -HV_EINVAL);
	CHECK_EQ(madt_patch_for_root(t.b, t.len, root01, 2, NULL, sizeof(out), &out_len),
		 -HV_EINVAL);

	/* header */
	test_log_clear();
	CHECK_EQ(madt_patch_for_root(t.b, 43, root01, 2, out, sizeof(out), &out_len), -HV_EBADMSG);
	CHECK_LOG("madt: MADT copy is 43 bytes, shorter than its 44-byte header");
	memcpy(t.b, "APIX", 4);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: table signature is 0x58495041, not \"APIC\"");
	full_madt();
	len = t.len;
	t.len -= 1; /* the length field now runs past the copy */
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT length field 206 is outside 44..205");
	t.len = len;
	put_le(t.b + 4, 40, 4);
	fix_checksum(t.b, t.len, 9);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT length field 40 is outside 44..206");
	full_madt();
	t.b[9] ^= 1;
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT has bad checksum over its 206 bytes");

	/* entry framing, as acpi.c checks it */
	full_madt();
	t.b[OFF_LAPIC2 + 1] = 0;
	fix_checksum(t.b, t.len, 9);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT entry at offset 0x3c has length 0 (type 0)");
	full_madt();
	t.b[OFF_LAPIC1 + 1] = 6;
	fix_checksum(t.b, t.len, 9);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT entry at offset 0x34 (type 0) has length 6, needs 8");
	full_madt();
	t.b[t.len - 3] = 200; /* the last entry's length */
	fix_checksum(t.b, t.len, 9);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT entry at offset 0xca (type 127, length 200) runs past the table end "
		  "at 0xce");
	full_madt();
	tb_u8(&t, 0); /* one stray byte after the last entry */
	madt_end(&t);
	CHECK_EQ(patch(root01, 2), -HV_EBADMSG);
	CHECK_LOG("madt: MADT entry at offset 0xce is truncated: 1 byte left before the table end");
	/* a short NMI entry */
	madt_begin(&t, LAPIC_BASE, 1);
	madt_lapic(&t, 0, 0, ENABLED);
	tb_u8(&t, 4);
	tb_u8(&t, 5);
	tb_u8(&t, 0);
	tb_u16(&t, 5);
	madt_end(&t);
	CHECK_EQ(patch(root01, 1), -HV_EBADMSG);
	CHECK_LOG("madt: MADT entry at offset 0x34 (type 4) has length 5, needs 6");
}

/* ---- the root's RSDP/XSDT/RSDT, checked end to end with acpi_parse() ---- */

static uint64_t madt_phys, fadt_phys, xsdt_phys, rsdt_phys;

/* A firmware table set: MADT and FADT, listed by an XSDT and an RSDT, RSDP revision rev. */
static void firmware_tables(uint8_t rev)
{
	uint64_t list[2];

	fake_init(&m);
	full_madt();
	madt_phys = tb_place(&m, &t);
	fadt_build(&t, T_FADT_LEN_V6, 6, 0, 0, 0);
	fadt_phys = tb_place(&m, &t);
	list[0] = fadt_phys;
	list[1] = madt_phys;
	xsdt_phys = fake_root(&m, true, list, 2, 0);
	rsdt_phys = fake_root(&m, false, list, 2, 0);
	fake_rsdp(&m, rev, (uint32_t)rsdt_phys, rev >= 2 ? xsdt_phys : 0);
}

/* fuzz_madt_patch input for acpi_root_tables(): mode 5, no IDs, RSDP, XSDT, RSDT. */
static void write_tables_seed(uint32_t xlen, uint32_t rlen)
{
	const char *dir = getenv("BULKHEAD_LINUX_SEED_DIR");
	static const uint8_t head[] = { 5, 0 };
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/root_tables", dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fwrite(head, 1, sizeof(head), f) == sizeof(head));
	CHECK(fwrite(m.rsdp, 1, FAKE_RSDP_LEN, f) == FAKE_RSDP_LEN);
	CHECK(fwrite(fake_ptr(&m, xsdt_phys), 1, xlen, f) == xlen);
	CHECK(fwrite(fake_ptr(&m, rsdt_phys), 1, rlen, f) == rlen);
	CHECK(fclose(f) == 0);
}

static int root_tables(struct acpi_root_in *in, struct acpi_root_out *o)
{
	test_log_clear();
	return acpi_root_tables(in, o);
}

static void test_root_tables(void)
{
	static const uint64_t root01[] = { 0, 1 };
	static uint8_t xsdt[256], rsdt[256];
	struct acpi_root_in in;
	struct acpi_root_out o = {
		.xsdt = xsdt, .xsdt_size = sizeof(xsdt), .rsdt = rsdt, .rsdt_size = sizeof(rsdt)
	};
	uint64_t madt_new, xsdt_new, rsdt_new;
	uint32_t xlen, rlen;

	firmware_tables(2);
	xlen = get_le32(fake_ptr(&m, xsdt_phys) + 4);
	rlen = get_le32(fake_ptr(&m, rsdt_phys) + 4);
	CHECK_EQ(madt_patch_for_root(fake_ptr(&m, madt_phys), t.len, root01, 2, out, sizeof(out),
				     &out_len),
		 0);
	/* where the lead would put the copies: here, after the firmware's tables */
	madt_new = fake_alloc(&m, (uint32_t)out_len, 0);
	xsdt_new = fake_alloc(&m, xlen, 4);
	rsdt_new = fake_alloc(&m, rlen, 0);
	in = (struct acpi_root_in){ .rsdp = m.rsdp,
				    .rsdp_len = FAKE_RSDP_LEN,
				    .xsdt = fake_ptr(&m, xsdt_phys),
				    .xsdt_len = xlen,
				    .rsdt = fake_ptr(&m, rsdt_phys),
				    .rsdt_len = rlen,
				    .madt_old = madt_phys,
				    .madt_new = madt_new,
				    .xsdt_new = xsdt_new,
				    .rsdt_new = rsdt_new };
	CHECK_EQ(root_tables(&in, &o), 0);
	CHECK_EQ(o.rsdp_len, 36);
	CHECK_EQ(o.xsdt_len, xlen);
	CHECK_EQ(o.rsdt_len, rlen);
	CHECK(acpi_checksum_ok(o.rsdp, 20));
	CHECK(acpi_checksum_ok(o.rsdp, 36));
	CHECK(acpi_checksum_ok(xsdt, xlen));
	CHECK(acpi_checksum_ok(rsdt, rlen));
	CHECK_EQ(get_le32(o.rsdp + 16), rsdt_new);
	CHECK_EQ(get_le32(o.rsdp + 24) | (uint64_t)get_le32(o.rsdp + 28) << 32, xsdt_new);
	CHECK_EQ(get_le32(xsdt + 36 + 8), madt_new);
	CHECK_EQ(get_le32(xsdt + 36), fadt_phys); /* the other tables stay where they are */
	CHECK_EQ(get_le32(rsdt + 36 + 4), madt_new);
	write_tables_seed(xlen, rlen);

	/* with the FADT copy: both entries replaced, the FADT's flag set, nothing else changed */
	{
		static uint8_t fadt[1024];
		const uint8_t *f0 = fake_ptr(&m, fadt_phys);
		uint32_t flen = get_le32(f0 + 4);
		size_t fl = 0;
		uint64_t fadt_new;

		CHECK_EQ(fadt_patch_for_root(f0, flen, fadt, sizeof(fadt), &fl), 0);
		CHECK_EQ(fl, flen);
		CHECK(acpi_checksum_ok(fadt, flen));
		CHECK_EQ(get_le32(fadt + 112), get_le32(f0 + 112) | (1u << 19));
		CHECK(!memcmp(fadt, f0, 9) && !memcmp(fadt + 10, f0 + 10, 102) &&
		      !memcmp(fadt + 116, f0 + 116, flen - 116));
		fadt_new = fake_alloc(&m, flen, 0);
		memcpy(fake_ptr(&m, fadt_new), fadt, flen);
		in.fadt_old = fadt_phys;
		in.fadt_new = fadt_new;
		CHECK_EQ(root_tables(&in, &o), 0);
		CHECK(acpi_checksum_ok(xsdt, xlen));
		CHECK(acpi_checksum_ok(rsdt, rlen));
		CHECK_EQ(get_le32(xsdt + 36), fadt_new);
		CHECK_EQ(get_le32(xsdt + 36 + 8), madt_new);
		CHECK_EQ(get_le32(rsdt + 36), fadt_new);
		CHECK_EQ(get_le32(rsdt + 36 + 4), madt_new);
		/* an FADT the root tables do not list */
		in.fadt_old = 0x5000;
		CHECK_EQ(root_tables(&in, &o), -HV_ENOENT);
		CHECK_LOG("acpi: XSDT lists no entry for the FADT at 0x5000");
		/* no copy wanted: the old entry stays whatever fadt_old says */
		in.fadt_new = 0;
		CHECK_EQ(root_tables(&in, &o), 0);
		CHECK_EQ(get_le32(xsdt + 36), fadt_phys);
		in.fadt_old = 0;
	}

	/* the root's view: acpi_parse() of the copies finds only the root's CPUs */
	memcpy(fake_ptr(&m, madt_new), out, out_len);
	memcpy(fake_ptr(&m, xsdt_new), xsdt, xlen);
	memcpy(fake_ptr(&m, rsdt_new), rsdt, rlen);
	memcpy(m.rsdp, o.rsdp, o.rsdp_len);
	test_log_clear();
	CHECK_EQ(acpi_parse(m.rsdp, FAKE_RSDP_LEN, fake_map, &m, &info), 0);
	CHECK(info.have_madt);
	CHECK(info.have_fadt);
	CHECK_EQ(info.root_phys, xsdt_new);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.cpus[0].apic_id, 0);
	CHECK_EQ(info.cpus[1].apic_id, 1);
	CHECK(info.cpus[0].enabled && info.cpus[1].enabled);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ(info.iso_count, 2);
	CHECK_EQ(info.lapic_addr64, LAPIC_BASE);
	CHECK(info.pcat_compat);
	CHECK_EQ(info.tables[1].phys, madt_new);
	/* and through the RSDT, as an ACPI 1.0 reader would go */
	m.rsdp[15] = 0;
	fix_checksum(m.rsdp, 20, 8);
	CHECK_EQ(acpi_parse(m.rsdp, 20, fake_map, &m, &info), 0);
	CHECK_EQ(info.root_phys, rsdt_new);
	CHECK_EQ(info.cpu_count, 2);

	/* ACPI 1.0: an RSDT only; the XSDT bytes are not needed */
	firmware_tables(0);
	in.rsdp = m.rsdp;
	in.rsdp_len = 20;
	in.xsdt = NULL;
	in.rsdt = fake_ptr(&m, rsdt_phys);
	in.madt_old = madt_phys;
	CHECK_EQ(root_tables(&in, &o), 0);
	CHECK_EQ(o.rsdp_len, 20);
	CHECK_EQ(o.xsdt_len, 0);
	CHECK_EQ(o.rsdt_len, rlen);
	CHECK(acpi_checksum_ok(o.rsdp, 20));
	CHECK_EQ(get_le32(o.rsdp + 16), rsdt_new);
	/* the copy of an ACPI 1.0 RSDP stays 20 bytes even from a longer buffer */
	in.rsdp_len = 36;
	CHECK_EQ(root_tables(&in, &o), 0);
	CHECK_EQ(o.rsdp_len, 20);

	/* ACPI 2.0 with an XSDT only */
	firmware_tables(2);
	m.rsdp[16] = m.rsdp[17] = m.rsdp[18] = m.rsdp[19] = 0;
	fix_checksum(m.rsdp, 20, 8);
	fix_checksum(m.rsdp, 36, 32);
	in.rsdp = m.rsdp;
	in.rsdp_len = 36;
	in.xsdt = fake_ptr(&m, xsdt_phys);
	in.rsdt = NULL;
	in.rsdt_new = 0;
	in.madt_new = 0x123456789ull; /* above 4 GiB is fine for an XSDT */
	CHECK_EQ(root_tables(&in, &o), 0);
	CHECK_EQ(o.rsdt_len, 0);
	CHECK_EQ(get_le32(xsdt + 36 + 8), 0x23456789);
	CHECK_EQ(get_le32(xsdt + 36 + 12), 1);
}

static void test_root_tables_bad(void)
{
	static uint8_t xsdt[256], rsdt[256];
	struct acpi_root_in in, good;
	struct acpi_root_out o = {
		.xsdt = xsdt, .xsdt_size = sizeof(xsdt), .rsdt = rsdt, .rsdt_size = sizeof(rsdt)
	};
	uint8_t x[256];
	uint32_t xlen, rlen;

	firmware_tables(2);
	xlen = get_le32(fake_ptr(&m, xsdt_phys) + 4);
	rlen = get_le32(fake_ptr(&m, rsdt_phys) + 4);
	good = (struct acpi_root_in){ .rsdp = m.rsdp,
				      .rsdp_len = 36,
				      .xsdt = fake_ptr(&m, xsdt_phys),
				      .xsdt_len = xlen,
				      .rsdt = fake_ptr(&m, rsdt_phys),
				      .rsdt_len = rlen,
				      .madt_old = madt_phys,
				      .madt_new = 0x9000,
				      .xsdt_new = 0xa000,
				      .rsdt_new = 0xb000 };
	CHECK_EQ(root_tables(&good, &o), 0);

	/* RSDP */
	in = good;
	in.rsdp_len = 19;
	CHECK_EQ(root_tables(&in, &o), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP copy is 19 bytes, shorter than the 20-byte ACPI 1.0 RSDP");
	CHECK_EQ(o.rsdp_len, 0);
	in.rsdp_len = 35;
	CHECK_EQ(root_tables(&in, &o), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP revision 2 needs 36 bytes, copy has 35");
	m.rsdp[0] = 'X';
	CHECK_EQ(root_tables(&good, &o), -HV_EINVAL);
	CHECK_LOG("acpi: RSDP copy has a bad signature");
	firmware_tables(2);
	m.rsdp[8] ^= 1;
	CHECK_EQ(root_tables(&good, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP has bad checksum over its first 20 bytes");
	firmware_tables(2);
	m.rsdp[32] ^= 1;
	CHECK_EQ(root_tables(&good, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP has bad extended checksum over 36 bytes");
	firmware_tables(2);
	put_le(m.rsdp + 20, 40, 4);
	fix_checksum(m.rsdp, 20, 8);
	CHECK_EQ(root_tables(&good, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: RSDP length field 40 is outside 36..36");
	firmware_tables(2);
	memset(m.rsdp + 16, 0, 4);
	memset(m.rsdp + 24, 0, 8);
	fix_checksum(m.rsdp, 20, 8);
	fix_checksum(m.rsdp, 36, 32);
	CHECK_EQ(root_tables(&good, &o), -HV_ENOENT);
	CHECK_LOG("acpi: RSDP (revision 2) names no RSDT or XSDT");

	/* what the caller must give */
	firmware_tables(2);
	in = good;
	in.xsdt = NULL;
	CHECK_EQ(root_tables(&in, &o), -HV_EINVAL);
	CHECK_LOG("acpi: the RSDP names an XSDT at 0x");
	in = good;
	in.rsdt_new = 0;
	CHECK_EQ(root_tables(&in, &o), -HV_EINVAL);
	CHECK_LOG("acpi: the RSDP names an RSDT at 0x");
	CHECK_EQ(o.xsdt_len, 0); /* nothing reported half done */
	in = good;
	in.madt_new = 0;
	CHECK_EQ(root_tables(&in, &o), -HV_EINVAL);
	CHECK_LOG("acpi: no address given for the root's MADT copy");
	in = good;
	in.madt_new = 0x100000000ull;
	CHECK_EQ(root_tables(&in, &o), -HV_ERANGE);
	CHECK_LOG("acpi: the RSDT's 32-bit entries cannot hold MADT 0x");
	in = good;
	in.madt_old = 0x5000;
	CHECK_EQ(root_tables(&in, &o), -HV_ENOENT);
	CHECK_LOG("acpi: XSDT lists no entry for the MADT at 0x5000");
	in = good;
	o.xsdt_size = xlen - 1;
	CHECK_EQ(root_tables(&in, &o), -HV_ENOSPC);
	CHECK_LOG("acpi: the root's XSDT copy (52 bytes) does not fit the 51-byte buffer");
	o.xsdt_size = sizeof(xsdt);
	CHECK_EQ(acpi_root_tables(NULL, &o), -HV_EINVAL);
	CHECK_EQ(acpi_root_tables(&good, NULL), -HV_EINVAL);

	/* the root tables themselves */
	memcpy(x, fake_ptr(&m, xsdt_phys), xlen);
	in = good;
	in.xsdt = x;
	in.xsdt_len = 35;
	CHECK_EQ(root_tables(&in, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: XSDT copy is 35 bytes, shorter than its 36-byte header");
	in.xsdt_len = xlen;
	memcpy(x, "RSDT", 4);
	CHECK_EQ(root_tables(&in, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: XSDT copy has signature 0x54445352");
	memcpy(x, "XSDT", 4);
	put_le(x + 4, xlen + 8, 4);
	fix_checksum(x, xlen, 9);
	CHECK_EQ(root_tables(&in, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: XSDT length field 60 is outside 36..52");
	put_le(x + 4, xlen - 4, 4);
	fix_checksum(x, xlen - 4, 9);
	CHECK_EQ(root_tables(&in, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: XSDT has length 48: 12 bytes of entries is not a multiple of 8");
	memcpy(x, fake_ptr(&m, xsdt_phys), xlen);
	x[20] ^= 1;
	CHECK_EQ(root_tables(&in, &o), -HV_EBADMSG);
	CHECK_LOG("acpi: XSDT has bad checksum");
}

/* fadt_patch_for_root() with bad input */
static void test_fadt_bad(void)
{
	static uint8_t f[300], o[300];
	size_t ol = 0;

	fadt_build(&t, T_FADT_LEN_V6, 6, 0, 0, 0);
	memcpy(f, t.b, t.len);
	put_le(f + 4, t.len, 4);
	fix_checksum(f, t.len, 9);
	test_log_clear();
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), 0);
	CHECK_EQ(fadt_patch_for_root(NULL, t.len, o, sizeof(o), &ol), -HV_EINVAL);
	CHECK_EQ(fadt_patch_for_root(f, t.len, NULL, sizeof(o), &ol), -HV_EINVAL);
	CHECK_EQ(fadt_patch_for_root(f, 115, o, sizeof(o), &ol), -HV_EBADMSG);
	CHECK_LOG("acpi: FADT copy is not an FADT (115 bytes)");
	f[0] = 'X';
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), -HV_EBADMSG);
	f[0] = 'F';
	put_le(f + 4, t.len + 1, 4);
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), -HV_EBADMSG);
	CHECK_LOG("acpi: FADT length field");
	put_le(f + 4, 100, 4);
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), -HV_EBADMSG);
	put_le(f + 4, t.len, 4);
	fix_checksum(f, t.len, 9);
	f[40] ^= 1;
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), -HV_EBADMSG);
	CHECK_LOG("acpi: FADT has bad checksum");
	f[40] ^= 1;
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, t.len - 1, &ol), -HV_ENOSPC);
	CHECK_LOG("does not fit");
	/* a revision 1 FADT: copied, flag set, a warning that Linux does not read it */
	f[8] = 1;
	fix_checksum(f, t.len, 9);
	test_log_clear();
	CHECK_EQ(fadt_patch_for_root(f, t.len, o, sizeof(o), &ol), 0);
	CHECK_LOG("predates the physical-destination flag");
	CHECK(get_le32(o + 112) & (1u << 19));
}

int main(void)
{
	test_patch();
	test_duplicates();
	test_bad_input();
	test_root_tables();
	test_root_tables_bad();
	test_fadt_bad();
	return check_summary();
}
