// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for guest image loading and the boot information block (core/guest_load.c). */
#include "../check.h"
#include "bulkhead/guest.h"
#include "core/elf.h"
#include "core/guest_load.h"
#include "core/errno.h"
#include "elf_builder.h"
#include "part_fixture.h"

static struct partition part;
static uint8_t img[16384] __aligned(16);
static size_t img_len;

static void refill(void)
{
	for (int i = 0; i < FX_REGIONS; i++)
		memset(fx_host(&part, i, part.regions[i].gpa), FX_FILL, part.regions[i].size);
}

static int load(const struct eb_seg *segs, unsigned n, uint64_t entry, uint64_t *got)
{
	img_len = eb_build(img, sizeof(img), EM_X86_64, entry, segs, n);
	test_log_clear();
	return guest_load_elf(&part, img, img_len, ELF_MACHINE_X86_64, got);
}

static bool seg_loaded(unsigned i, int region, gpa_t gpa, uint64_t filesz, uint64_t memsz)
{
	const uint8_t *h = fx_host(&part, region, gpa);

	for (uint64_t k = 0; k < filesz; k++)
		if (h[k] != eb_byte(i, k))
			return false;
	return fx_all(h + filesz, memsz - filesz, 0);
}

static void test_elf_good(void)
{
	static const struct eb_seg segs[] = {
		{ 0, PF_R | PF_X, 0x110000, 0x123, 0x123 }, /* first byte past the reserved area */
		{ 0, PF_R | PF_W, 0x120008, 0x10, 0x1000 }, /* data + bss */
		{ 0, PF_R | PF_W, 0x200000, 0, 0x40000 },   /* bss filling all of RAM2 */
		{ 0, PF_R, 0x1ff000, 0x80, 0x1000 },	    /* up to the last byte of RAM */
	};
	uint64_t entry = 0;

	refill();
	CHECK_EQ(load(segs, 4, 0x110004, &entry), 0);
	CHECK_EQ(test_log_text()[0], '\0');
	CHECK_EQ(entry, 0x110004);
	CHECK(seg_loaded(0, FX_RAM, 0x110000, 0x123, 0x123));
	CHECK(seg_loaded(1, FX_RAM, 0x120008, 0x10, 0x1000));
	CHECK(seg_loaded(2, FX_RAM2, 0x200000, 0, 0x40000));
	CHECK(seg_loaded(3, FX_RAM, 0x1ff000, 0x80, 0x1000));
	/* nothing around the segments touched; the reserved area neither */
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x10ffff), FX_FILL);
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x110123), FX_FILL);
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x120007), FX_FILL);
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x121008), FX_FILL);
	CHECK(fx_all(fx_host(&part, FX_RAM, FX_RAM_GPA), BH_GUEST_RESERVED_BYTES, FX_FILL));

	/* a bss-only segment whose file offset points far outside the image (found by fuzzing) */
	refill();
	img_len = eb_build(img, sizeof(img), EM_X86_64, 0x110004, segs, 3);
	eb_phdr(img, 2)->p_offset = 0xffffffffffff0000ull;
	CHECK_EQ(guest_load_elf(&part, img, img_len, ELF_MACHINE_X86_64, &entry), 0);
	CHECK(seg_loaded(2, FX_RAM2, 0x200000, 0, 0x40000));
}

/* Expects the load to fail with msg and guest memory untouched. */
#define LOAD_BAD(segs, n, entry, err, msg)                                               \
	do {                                                                             \
		uint64_t e_ = 0xdead;                                                    \
		refill();                                                                \
		CHECK_EQ(load(segs, n, entry, &e_), err);                                \
		CHECK_LOG(msg);                                                          \
		CHECK_EQ(e_, 0xdead);                                                    \
		CHECK(fx_all(fx_host(&part, FX_RAM, FX_RAM_GPA), FX_RAM_SIZE, FX_FILL)); \
		CHECK(fx_all(fx_host(&part, FX_RAM2, FX_RAM2_GPA), 0x40000, FX_FILL));   \
		CHECK(fx_all(fx_host(&part, FX_SHARED, FX_SH_GPA), 0x10000, FX_FILL));   \
	} while (0)

static void test_elf_bad(void)
{
	/* the good text segment first: it must not be written either */
	struct eb_seg s[2] = { { 0, PF_R | PF_X, 0x110000, 0x100, 0x100 } };

	/* read-only RAM that is not LOADABLE */
	s[1] = (struct eb_seg){ 0, PF_R, FX_RO_GPA, 0x100, 0x100 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "[cpu0] ERROR: guest: partition \"rtos1\": ELF segment 1 [0x300000, +0x100) is "
		 "in region [0x300000, +0x10000) flags 0x1, not loadable RAM\n");
	/* shared memory flagged LOADABLE is still not RAM for an image */
	s[1] = (struct eb_seg){ 0, PF_R, FX_SH_GPA + 0x1000, 0x10, 0x10 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "ELF segment 1 [0x81000, +0x10) is in region [0x80000, +0x10000) flags 0xa3, not "
		 "loadable RAM");
	/* device memory */
	s[1] = (struct eb_seg){ 0, PF_R, FX_IO_GPA, 0x10, 0x10 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT, "ELF segment 1 [0xa0000, +0x10) is in region");
	/* the reserved first 64 KiB of the lowest RAM region, at its start, end and across */
	s[1] = (struct eb_seg){ 0, PF_R, FX_RAM_GPA, 0x10, 0x10 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "guest: partition \"rtos1\": ELF segment 1 [0x100000, +0x10) overlaps the "
		 "reserved area [0x100000, 0x110000) for boot information");
	s[1] = (struct eb_seg){ 0, PF_R, 0x10ffff, 0, 1 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "ELF segment 1 [0x10ffff, +0x1) overlaps the reserved");
	s[0] = (struct eb_seg){ 0, PF_R | PF_X, 0x10f000, 0x100, 0x2000 };
	LOAD_BAD(s, 1, 0x110000, -HV_EFAULT,
		 "ELF segment 0 [0x10f000, +0x2000) overlaps the reserved");
	s[0] = (struct eb_seg){ 0, PF_R | PF_X, 0x110000, 0x100, 0x100 };
	/* straddling two regions that touch in guest space */
	s[1] = (struct eb_seg){ 0, PF_R, 0x1ff000, 0x100, 0x2000 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "ELF segment 1 [0x1ff000, +0x2000) runs past the end of region [0x100000, "
		 "+0x100000)");
	/* past the last region, and nowhere at all */
	s[1] = (struct eb_seg){ 0, PF_R, 0x23f000, 0x10, 0x2000 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT, "ELF segment 1 [0x23f000, +0x2000) runs past the end");
	s[1] = (struct eb_seg){ 0, PF_R, 0x50000000, 0x10, 0x10 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT,
		 "ELF segment 1 [0x50000000, +0x10) starts outside the partition's memory");
	/* starting in a gap below RAM */
	s[1] = (struct eb_seg){ 0, PF_R, 0xff000, 0x10, 0x2000 };
	LOAD_BAD(s, 2, 0x110000, -HV_EFAULT, "ELF segment 1 [0xff000, +0x2000) starts outside");
	/* a parse error comes back as is */
	s[1] = (struct eb_seg){ 0, PF_R, 0x120000, 0x20, 0x10 };
	LOAD_BAD(s, 2, 0x110000, -HV_ENOEXEC, "elf: program header 1: filesz 0x20 > memsz 0x10");
}

static void test_raw(void)
{
	static const char blob[] = "raw guest image bytes";

	refill();
	test_log_clear();
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), 0x150001), 0);
	CHECK(memcmp(fx_host(&part, FX_RAM, 0x150001), blob, sizeof(blob)) == 0);
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x150000), FX_FILL);
	CHECK_EQ(*fx_host(&part, FX_RAM, 0x150001 + sizeof(blob)), FX_FILL);
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), FX_RAM2_GPA), 0);
	CHECK_EQ(test_log_text()[0], '\0');

	refill();
	test_log_clear();
	CHECK_EQ(guest_load_raw(&part, blob, 0, 0x150000), -HV_EINVAL);
	CHECK_LOG("guest: partition \"rtos1\": raw image at 0x150000 is empty");
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), FX_RAM_GPA + 0x100), -HV_EFAULT);
	CHECK_LOG("guest: partition \"rtos1\": raw image 0 [0x100100, +0x16) overlaps the reserved "
		  "area [0x100000, 0x110000)");
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), FX_RAM2_GPA - 8), -HV_EFAULT);
	CHECK_LOG(
		"raw image 0 [0x1ffff8, +0x16) runs past the end of region [0x100000, +0x100000)");
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), 0xfffffffffffffff0ull), -HV_EFAULT);
	CHECK_LOG("raw image 0 [0xfffffffffffffff0, +0x16) wraps around");
	CHECK_EQ(guest_load_raw(&part, blob, sizeof(blob), FX_RO_GPA), -HV_EFAULT);
	CHECK_LOG("raw image 0 [0x300000, +0x16) is in region [0x300000, +0x10000) flags 0x1, not "
		  "loadable RAM");
	CHECK(fx_all(fx_host(&part, FX_RAM, FX_RAM_GPA), FX_RAM_SIZE, FX_FILL));
	CHECK(fx_all(fx_host(&part, FX_RO, FX_RO_GPA), 0x10000, FX_FILL));
}

static void test_info(void)
{
	struct bh_guest_info gi;
	char longline[400];

	CHECK_EQ(guest_info_gpa(&part),
		 FX_RAM_GPA + BH_GUEST_INFO_OFFSET); /* not the IO or SHARED region below it */
	refill();
	test_log_clear();
	CHECK_EQ(guest_write_info(&part, "console=hvc debug"), 0);
	CHECK_EQ(test_log_text()[0], '\0');
	memcpy(&gi, fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET), sizeof(gi));
	CHECK_EQ(*fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET + sizeof(gi)), FX_FILL);
	CHECK_EQ(*fx_host(&part, FX_RAM, FX_RAM_GPA), FX_FILL);
	CHECK_EQ(gi.magic, BH_GUEST_MAGIC);
	CHECK_EQ(gi.version, BH_GUEST_INFO_VERSION);
	CHECK_EQ(gi.size, sizeof(gi));
	CHECK_EQ(gi.partition_id, 2);
	CHECK_EQ(gi.flags, BH_PART_RT);
	CHECK_EQ(gi.cpu_count, 2);
	CHECK_EQ(gi.console_port, 0);
	CHECK_EQ(gi.tsc_khz, 2400000);
	CHECK_EQ(gi.hw_ids[0], 4);
	CHECK_EQ(gi.hw_ids[1], 6);
	CHECK_EQ(gi.hw_ids[2], 0);
	CHECK_STR(gi.name, "rtos1");
	CHECK_EQ(gi.mem_count, FX_REGIONS);
	for (int i = 0; i < FX_REGIONS; i++) {
		CHECK_EQ(gi.mem[i].gpa, fx_layout[i].gpa);
		CHECK_EQ(gi.mem[i].size, fx_layout[i].size);
		CHECK_EQ(gi.mem[i].reserved, 0);
	}
	CHECK_EQ(gi.mem[FX_SHARED].type, BH_GUEST_MEM_SHARED);
	CHECK_EQ(gi.mem[FX_IO].type, BH_GUEST_MEM_IO);
	CHECK_EQ(gi.mem[FX_RAM].type, BH_GUEST_MEM_RAM);
	CHECK_EQ(gi.mem[FX_RO].type, BH_GUEST_MEM_RAM);
	CHECK_EQ(gi.mem[FX_WO].type, BH_GUEST_MEM_RAM);
	CHECK_EQ(gi.mem[FX_REGIONS].gpa, 0);
	CHECK_EQ(gi.mem[FX_REGIONS].type, 0);
	CHECK_STR(gi.cmdline, "console=hvc debug");
	CHECK(fx_all((const uint8_t *)gi.cmdline + 18, sizeof(gi.cmdline) - 18, 0));

	/* a passthrough UART, no command line, a name filling its array */
	part.console_port = 0x2f8;
	memset(part.name, 'N', sizeof(part.name));
	CHECK_EQ(guest_write_info(&part, NULL), 0);
	memcpy(&gi, fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET), sizeof(gi));
	CHECK_EQ(gi.console_port, 0x2f8);
	CHECK_EQ(gi.cmdline[0], '\0');
	CHECK_EQ(strnlen(gi.name, sizeof(gi.name)), PART_NAME_MAX - 1);
	strcpy(part.name, "rtos1");
	part.console_port = 0;

	/* a command line too long: cut, terminated, reported */
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	test_log_clear();
	CHECK_EQ(guest_write_info(&part, longline), 0);
	memcpy(&gi, fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET), sizeof(gi));
	CHECK_EQ(strnlen(gi.cmdline, sizeof(gi.cmdline)), BH_GUEST_CMDLINE_MAX - 1);
	CHECK_LOG("WARN: guest: partition \"rtos1\": command line cut to 255 bytes");
	/* 255 characters fit without a warning */
	longline[BH_GUEST_CMDLINE_MAX - 1] = '\0';
	test_log_clear();
	CHECK_EQ(guest_write_info(&part, longline), 0);
	CHECK_EQ(test_log_text()[0], '\0');
}

static void test_info_bad(void)
{
	struct partition saved = part;

	/* a lowest RAM region smaller than the reserved area */
	part.regions[FX_RAM].size = 0x8000;
	test_log_clear();
	CHECK_EQ(guest_write_info(&part, ""), -HV_ENOSPC);
	CHECK_LOG(
		"guest: partition \"rtos1\": lowest RAM region [0x100000, +0x8000) is smaller than "
		"the 0x10000 bytes reserved for boot information");
	/* no RAM at all */
	part.region_count = 2;
	CHECK_EQ(guest_info_gpa(&part), 0);
	CHECK_EQ(guest_write_info(&part, ""), -HV_ENOSPC);
	CHECK_LOG("guest: partition \"rtos1\" has no RAM region for its boot information");
	{
		uint64_t e = 0;
		static const struct eb_seg s[] = { { 0, PF_R | PF_X, 0xa0000, 0x10, 0x10 } };

		CHECK_EQ(load(s, 1, 0xa0000, &e), -HV_EFAULT);
	}
	part = saved;

	/* the lowest RAM region is found wherever it sits in the array */
	part.regions[FX_WO].gpa = 0x40000;
	CHECK_EQ(guest_info_gpa(&part), 0x40000 + BH_GUEST_INFO_OFFSET);
	CHECK_EQ(guest_write_info(&part, ""), -HV_ENOSPC); /* 4 KiB */
	part = saved;

	/* more regions than the block lists: the first 16, and a warning */
	part.region_count = BH_GUEST_MEM_MAX + 2;
	for (unsigned i = FX_REGIONS; i < part.region_count; i++)
		part.regions[i] = (struct part_region){ 0x10000000ull + i * 0x1000, 0, 0x1000,
							BH_MEM_READ | BH_MEM_IO };
	test_log_clear();
	CHECK_EQ(guest_write_info(&part, ""), 0);
	CHECK_LOG("WARN: guest: partition \"rtos1\": 18 memory regions, the boot information lists "
		  "the first 16");
	CHECK_EQ(((struct bh_guest_info *)fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET))
			 ->mem_count,
		 BH_GUEST_MEM_MAX);
	part = saved;
}

/*
 * Guest info version 2: 64-bit hardware ids. An arm64 MPIDR with Aff3 set and
 * the widest affinity value arrive uncut, at the pinned offsets.
 */
static void test_info_hw_ids(void)
{
	const uint8_t *host = fx_host(&part, FX_RAM, FX_RAM_GPA + BH_GUEST_INFO_OFFSET);
	struct bh_guest_info gi;
	uint64_t raw;

	CHECK_EQ(BH_GUEST_INFO_VERSION, 2);
	CHECK_EQ(sizeof(gi), 848);
	refill();
	part.hw_ids[0] = 0x100000003ull;
	part.hw_ids[1] = BH_CPU_MPIDR_AFF_MASK;
	CHECK_EQ(guest_write_info(&part, "x"), 0);
	memcpy(&gi, host, sizeof(gi));
	CHECK_EQ(gi.version, 2);
	CHECK_EQ(gi.size, 848);
	CHECK_EQ(gi.hw_ids[0], 0x100000003ull);
	CHECK_EQ(gi.hw_ids[1], 0xff00ffffffull);
	CHECK_EQ(gi.hw_ids[2], 0);
	memcpy(&raw, host + 40, 8);
	CHECK_EQ(raw, 0x100000003ull);
	memcpy(&raw, host + 48, 8);
	CHECK_EQ(raw, 0xff00ffffffull);
	CHECK_STR((const char *)host + 168, "rtos1"); /* name right after the 16 ids */
	CHECK_STR((const char *)host + 592, "x");     /* cmdline */
	CHECK_EQ(host[848], FX_FILL);
	part.hw_ids[0] = 4;
	part.hw_ids[1] = 6;
}

int main(void)
{
	fx_init(&part);
	test_elf_good();
	test_elf_bad();
	test_raw();
	test_info();
	test_info_hw_ids();
	test_info_bad();
	fx_free(&part);
	return check_summary();
}
