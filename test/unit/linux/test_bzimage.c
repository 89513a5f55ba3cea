// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the bzImage setup header parser and the boot_params builder
 * (arch/x86_64/linux_boot.c): a good synthetic image, every rejection with
 * its log line, and the zero page field by field. With BULKHEAD_LINUX_SEED_DIR
 * set, the good image is also written there as a seed for fuzz_bzimage.
 */
#include <stdlib.h>

#include "../check.h"
#include "bz_builder.h"
#include "core/errno.h"

static uint8_t img[T_IMAGE_LEN + 4096];
static struct bzimage_info info;
static uint8_t bp[BOOT_PARAMS_SIZE + 64];

static int parse(size_t len)
{
	test_log_clear();
	return bzimage_parse(img, len, &info);
}

/* A fresh good image with one field changed, parsed; returns bzimage_parse()'s result. */
static int parse_with(unsigned off, uint64_t v, unsigned n)
{
	bz_build(img);
	t_put(img + off, v, n);
	return parse(T_IMAGE_LEN);
}

/*
 * fuzz_bzimage input: FUZZ_PARAMS parameter bytes (the harness describes
 * them), then the image.
 */
#define FUZZ_PARAMS 64

static void write_seed(const char *name, const uint8_t *params)
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
	CHECK(fwrite(params, 1, FUZZ_PARAMS, f) == FUZZ_PARAMS);
	CHECK(fwrite(img, 1, T_IMAGE_LEN, f) == T_IMAGE_LEN);
	CHECK(fclose(f) == 0);
}

static void write_seeds(void)
{
	/* QEMU demo map, 32 MiB initrd, 20-byte command line, GRUB's bzImage at 80 MiB */
	static const uint8_t demo[FUZZ_PARAMS] = {
		0x00, 0x00, 0x00, 0x02, 19, 0, 6, 0, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x08,
	};
	/* one big RAM range, no initrd */
	static const uint8_t big[FUZZ_PARAMS] = { 0, 0, 0, 0, 0, 0, 6, 1 };
	/* a map from linux_build_e820(): demo-like regions over RAM with a hypervisor page */
	static const uint8_t built[FUZZ_PARAMS] = {
		0x00,
		0x00,
		0x40,
		0x00,
		40,
		0,
		6,
		3,
		0x00,
		0x02,
		0,
		0,
		0,
		0,
		0,
		0,
		/* regions: guest MiB, size in 64 KiB, host offset MiB, flags */
		0x00,
		0x00,
		0x00,
		0x01,
		0,
		0x0f,
		0x50,
		0x00,
		0x00,
		0x1b,
		0,
		0x0f,
		0x22,
		0x02,
		0x00,
		0x0e,
		0,
		0x0f,
		0x20,
		0x02,
		0x10,
		0x00,
		0,
		0x23,
		/* firmware ranges: base MiB, size MiB, type (0x80: RAM with a hypervisor page) */
		0x00,
		0x00,
		0xff,
		0x81,
		0xff,
		0x00,
		0xff,
		0x01,
		0xfe,
		0x01,
		0xff,
		0x01,
		0xfd,
		0x02,
		0x10,
		0x03,
		0xfe,
		0x0f,
		0x01,
		0x02,
		0xb0,
		0x0b,
		0x10,
		0x02,
	};

	write_seed("demo", demo);
	write_seed("one_range", big);
	write_seed("built_map", built);
}

static void test_good(void)
{
	bz_build(img);
	CHECK_EQ(parse(T_IMAGE_LEN), 0);
	CHECK_EQ(info.version, 0x020f);
	CHECK_EQ(info.setup_sects, T_SECTS);
	CHECK_EQ(info.loadflags, 0x01);
	CHECK_EQ(info.xloadflags, 0x7f);
	CHECK_EQ(info.relocatable, 1);
	CHECK_EQ(info.min_alignment, 21);
	CHECK_EQ(info.syssize, T_KERNEL_BYTES / 16);
	CHECK_EQ(info.code32_start, 0x100000);
	CHECK_EQ(info.kernel_alignment, T_ALIGN);
	CHECK_EQ(info.init_size, T_INIT_BYTES);
	CHECK_EQ(info.cmdline_size, T_CMDLINE_MAX);
	CHECK_EQ(info.initrd_addr_max, 0x7fffffff);
	CHECK_EQ(info.pref_address, T_PREF);
	CHECK_EQ(info.kernel_offset, (T_SECTS + 1) * 512);
	CHECK_EQ(info.kernel_len, T_KERNEL_BYTES);
	CHECK_EQ(info.mem_size, T_INIT_BYTES); /* already a multiple of the alignment */
	CHECK_EQ(info.hdr_len, T_HDR_END - 0x1f1);
	CHECK(memcmp(info.hdr, img + 0x1f1, info.hdr_len) == 0);
	CHECK_LOG("linux: bzImage protocol 2.15, 3 setup sectors, 0x800 bytes of kernel");
	write_seeds();

	/* setup_sects 0 means 4 */
	bz_build(img);
	img[T_SETUP_SECTS] = 0;
	t_put(img + T_SYSSIZE, (T_IMAGE_LEN - 5 * 512) / 16, 4);
	CHECK_EQ(parse(T_IMAGE_LEN), 0);
	CHECK_EQ(info.setup_sects, 4);
	CHECK_EQ(info.kernel_offset, 5 * 512);
	CHECK_EQ(info.kernel_len, T_IMAGE_LEN - 5 * 512);

	/* trailing bytes (a signature, say) are copied along; init_size rounds up */
	bz_build(img);
	t_put(img + T_INIT_SIZE, 0x1234567, 4);
	CHECK_EQ(parse(T_IMAGE_LEN + 100), 0);
	CHECK_EQ(info.kernel_len, T_KERNEL_BYTES + 100);
	CHECK_EQ(info.mem_size, 0x1400000);

	/* the shortest header that holds init_size (protocol 2.10 layout) */
	bz_build(img);
	img[T_JUMP + 1] = 0x62;
	CHECK_EQ(parse(T_IMAGE_LEN), 0);
	CHECK_EQ(info.hdr_len, 0x264 - 0x1f1);

	/* not relocatable, but with a place to go: accepted with a warning */
	CHECK_EQ(parse_with(T_RELOCATABLE, 0, 1), 0);
	CHECK_EQ(info.relocatable, 0);
	CHECK_LOG("linux: bzImage is not relocatable: it runs only at pref_address 0x1000000");
}

static void test_reject(void)
{
	bz_build(img);
	CHECK_EQ(parse(511), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage is 511 bytes, shorter than its 512-byte boot sector");
	CHECK_EQ(memcmp(&info, &(struct bzimage_info){ 0 }, sizeof(info)), 0);
	test_log_clear();
	CHECK_EQ(bzimage_parse(NULL, 4096, &info), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage is 0 bytes");
	CHECK_EQ(bzimage_parse(img, T_IMAGE_LEN, NULL), -HV_EINVAL);

	CHECK_EQ(parse_with(T_BOOT_FLAG, 0x55aa, 2), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage boot_flag at 0x1fe is 0x55aa, not 0xaa55");

	bz_build(img);
	CHECK_EQ(parse(0x204), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage is 516 bytes: it ends inside the setup header magic and version");

	CHECK_EQ(parse_with(T_HEADER, 0x53726449, 4), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage header magic at 0x202 is 0x53726449, not \"HdrS\"");

	CHECK_EQ(parse_with(T_VERSION, 0x020b, 2), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage boot protocol version 2.11 is older than 2.12");

	CHECK_EQ(parse_with(T_JUMP + 1, 0x50, 1), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage setup header ends at 0x252 (0x202 + byte 0x201 = 0x50), outside "
		  "0x264..0x290");
	CHECK_EQ(parse_with(T_JUMP + 1, 0x8f, 1), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage setup header ends at 0x291");

	bz_build(img);
	CHECK_EQ(parse(0x260), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage setup header ends at 0x26c, past the image end 0x260");

	CHECK_EQ(parse_with(T_SETUP_SECTS, 200, 1), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage setup_sects 200 puts the protected-mode kernel at 0x19200, at or "
		  "past the image end 0x1000");
	bz_build(img);
	CHECK_EQ(parse((T_SECTS + 1) * 512), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage setup_sects 3 puts the protected-mode kernel at 0x800");

	CHECK_EQ(parse_with(T_SYSSIZE, 0, 4), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage syssize 0x0 (0x0 bytes) is 0 or more than the 0x800 bytes");
	CHECK_EQ(parse_with(T_SYSSIZE, T_KERNEL_BYTES / 16 + 1, 4), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage syssize 0x81 (0x810 bytes) is 0 or more than the 0x800 bytes "
		  "after the setup code");
	CHECK_EQ(parse_with(T_SYSSIZE, 0xffffffff, 4), -HV_ENOEXEC);
	CHECK_LOG("syssize 0xffffffff (0xffffffff0 bytes)");

	CHECK_EQ(parse_with(T_LOADFLAGS, 0x80, 1), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage loadflags 0x80 lack LOADED_HIGH (bit 0)");

	CHECK_EQ(parse_with(T_XLOADFLAGS, 0x7e, 2), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage xloadflags 0x007e lack XLF_KERNEL_64 (bit 0): no 64-bit entry");

	CHECK_EQ(parse_with(T_KERNEL_ALIGNMENT, 0x300000, 4), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage kernel_alignment 0x300000 is not a power of two from 4 KiB to 1 "
		  "GiB");
	CHECK_EQ(parse_with(T_KERNEL_ALIGNMENT, 0, 4), -HV_ENOEXEC);
	CHECK_LOG("kernel_alignment 0x0 is not");
	CHECK_EQ(parse_with(T_KERNEL_ALIGNMENT, 0x800, 4), -HV_ENOEXEC);
	CHECK_LOG("kernel_alignment 0x800 is not");
	CHECK_EQ(parse_with(T_KERNEL_ALIGNMENT, 0x80000000, 4), -HV_ENOEXEC);
	CHECK_LOG("kernel_alignment 0x80000000 is not");

	CHECK_EQ(parse_with(T_PREF_ADDRESS, 0x1000100, 8), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage pref_address 0x1000100 is not page-aligned");

	bz_build(img);
	img[T_RELOCATABLE] = 0;
	t_put(img + T_PREF_ADDRESS, 0, 8);
	CHECK_EQ(parse(T_IMAGE_LEN), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage relocatable_kernel is 0 and pref_address is 0");

	CHECK_EQ(parse_with(T_INIT_SIZE, T_KERNEL_BYTES - 16, 4), -HV_ENOEXEC);
	CHECK_LOG("linux: bzImage init_size 0x7f0 is smaller than its protected-mode code (syssize "
		  "0x80 = 0x800 bytes)");
	CHECK_EQ(info.version, 0); /* nothing half-filled on failure */
}

/* A layout as linux_place() would make it for the synthetic image. */
static struct linux_layout good_layout(void)
{
	struct linux_layout l = {
		.kernel_addr = 0x5000000,
		.kernel_size = T_INIT_BYTES,
		.initrd_addr = 0x7d000000,
		.initrd_size = 0x2fe0000,
		.low_base = 0x100000,
		.low_size = 0xa000,
		.boot_params_addr = 0x100000,
		.gdt_addr = 0x101000,
		.pgtable_addr = 0x102000,
		.pgtable_size = 0x6000,
		.acpi_addr = 0x108000,
		.acpi_size = 0x200,
		.cmdline_addr = 0x109000,
		.cmdline_len = 21,
	};
	return l;
}

static int build(const struct linux_layout *l, const struct e820_entry *e, unsigned n)
{
	test_log_clear();
	memset(bp, 0xee, sizeof(bp));
	return linux_build_boot_params(&info, l, e, n, 0x108000, bp, BOOT_PARAMS_SIZE);
}

static void test_boot_params(void)
{
	struct e820_entry e[E820_MAX_ENTRIES_ZEROPAGE + 1];
	struct linux_layout l = good_layout();
	unsigned n = t_demo_e820(e);

	bz_build(img);
	t_put(img + T_SETUP_DATA, 0x123456789ull, 8); /* a stray loader field in the image */
	t_put(img + T_HEAP_END_PTR, 0x9e00, 2);
	t_put(img + T_SUBARCH, 3, 4);
	CHECK_EQ(parse(T_IMAGE_LEN), 0);
	CHECK_EQ(build(&l, e, n), 0);

	/* the header as the image has it, loader fields set or cleared */
	CHECK_EQ(bp[0x1f1], T_SECTS);
	CHECK(memcmp(bp + T_HEADER, "HdrS", 4) == 0);
	CHECK_EQ(t_get(bp + T_VERSION, 2), 0x020f);
	CHECK_EQ(t_get(bp + T_VID_MODE, 2), 0xffff);
	CHECK_EQ(t_get(bp + T_BOOT_FLAG, 2), 0xaa55);
	CHECK_EQ(t_get(bp + T_KERNEL_ALIGNMENT, 4), T_ALIGN);
	CHECK_EQ(t_get(bp + T_INIT_SIZE, 4), T_INIT_BYTES);
	CHECK_EQ(t_get(bp + T_PREF_ADDRESS, 8), T_PREF);
	CHECK_EQ(bp[T_TYPE_OF_LOADER], 0xff);
	CHECK_EQ(bp[T_LOADFLAGS], 0x01);
	CHECK_EQ(t_get(bp + T_CODE32_START, 4), 0x5000000);
	CHECK_EQ(t_get(bp + T_CMD_LINE_PTR, 4), 0x109000);
	CHECK_EQ(t_get(bp + T_BP_EXT_CMD_LINE, 4), 0);
	CHECK_EQ(t_get(bp + T_RAMDISK_IMAGE, 4), 0x7d000000);
	CHECK_EQ(t_get(bp + T_RAMDISK_SIZE, 4), 0x2fe0000);
	CHECK_EQ(t_get(bp + T_BP_EXT_RD_IMAGE, 4), 0);
	CHECK_EQ(t_get(bp + T_BP_EXT_RD_SIZE, 4), 0);
	CHECK_EQ(t_get(bp + T_BP_RSDP, 8), 0x108000);
	CHECK_EQ(t_get(bp + T_SETUP_DATA, 8), 0);
	CHECK_EQ(t_get(bp + T_HEAP_END_PTR, 2), 0);
	CHECK_EQ(t_get(bp + T_SUBARCH, 4), 0);
	CHECK_EQ(bp[T_BP_SENTINEL], 0);

	/* the e820 table: 20-byte packed entries at 0x2d0 */
	CHECK_EQ(bp[T_BP_E820_ENTRIES], n);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *p = bp + T_BP_E820_TABLE + 20 * i;

		CHECK_EQ(t_get(p, 8), e[i].addr);
		CHECK_EQ(t_get(p + 8, 8), e[i].size);
		CHECK_EQ(t_get(p + 16, 4), e[i].type);
	}
	CHECK_EQ(t_get(bp + T_BP_E820_TABLE + 20 * n, 8), 0);

	/* everything else is zero; the buffer beyond the page is untouched */
	{
		unsigned nonzero = 0;

		for (unsigned i = 0; i < BOOT_PARAMS_SIZE; i++) {
			bool set = (i >= T_BP_RSDP && i < T_BP_RSDP + 8) ||
				   i == T_BP_E820_ENTRIES || (i >= 0x1f1 && i < T_HDR_END) ||
				   (i >= T_BP_E820_TABLE && i < T_BP_E820_TABLE + 20 * n);

			nonzero += !set && bp[i] != 0;
		}
		CHECK_EQ(nonzero, 0);
		CHECK_EQ(bp[BOOT_PARAMS_SIZE], 0xee);
	}

	/* no initrd, no command line: their fields stay zero */
	l.initrd_addr = l.initrd_size = 0;
	l.cmdline_addr = l.cmdline_len = 0;
	CHECK_EQ(build(&l, e, 0), 0);
	CHECK_EQ(t_get(bp + T_RAMDISK_IMAGE, 4), 0);
	CHECK_EQ(t_get(bp + T_CMD_LINE_PTR, 4), 0);
	CHECK_EQ(bp[T_BP_E820_ENTRIES], 0);

	/* above 4 GiB: the ext_ fields carry the high halves (XLF_CAN_BE_LOADED_ABOVE_4G set) */
	l = good_layout();
	l.initrd_addr = 0x123400000ull;
	l.initrd_size = 0x100001000ull;
	l.cmdline_addr = 0x200000000ull;
	CHECK_EQ(build(&l, e, n), 0);
	CHECK_EQ(t_get(bp + T_RAMDISK_IMAGE, 4), 0x23400000);
	CHECK_EQ(t_get(bp + T_BP_EXT_RD_IMAGE, 4), 1);
	CHECK_EQ(t_get(bp + T_RAMDISK_SIZE, 4), 0x1000);
	CHECK_EQ(t_get(bp + T_BP_EXT_RD_SIZE, 4), 1);
	CHECK_EQ(t_get(bp + T_CMD_LINE_PTR, 4), 0);
	CHECK_EQ(t_get(bp + T_BP_EXT_CMD_LINE, 4), 2);

	/* without it: everything below 4 GiB, the initrd's last byte at most initrd_addr_max */
	info.xloadflags &= (uint16_t)~BZ_XLF_CAN_BE_LOADED_ABOVE_4G;
	CHECK_EQ(build(&l, e, n), -HV_EINVAL);
	CHECK_LOG("ends above initrd_addr_max 0x7fffffff");
	l.initrd_addr = 0x7d000000;
	l.initrd_size = 0x3001000;
	CHECK_EQ(build(&l, e, n), -HV_EINVAL);
	CHECK_LOG("linux: initrd at 0x7d000000-0x80001000 ends above initrd_addr_max 0x7fffffff");
	l.initrd_size = 0x3000000; /* its last byte at 0x7fffffff exactly */
	CHECK_EQ(build(&l, e, n), -HV_EINVAL);
	CHECK_LOG("linux: kernel 0x5000000, command line 0x200000000 or initrd 0x7d000000 reaches "
		  "above 4 GiB, and xloadflags 0x7d lack XLF_CAN_BE_LOADED_ABOVE_4G");
	l.cmdline_addr = 0xfffff000;
	CHECK_EQ(build(&l, e, n), 0);
	l.kernel_addr = 0xfe000000; /* its init_size ends at 4 GiB exactly */
	CHECK_EQ(build(&l, e, n), 0);
	l.kernel_addr = 0xfe200000;
	CHECK_EQ(build(&l, e, n), -HV_EINVAL);
	CHECK_LOG("linux: kernel 0xfe200000");
	CHECK_EQ(parse(T_IMAGE_LEN), 0);

	/* the kernel's own limits */
	l = good_layout();
	l.cmdline_len = T_CMDLINE_MAX + 2;
	CHECK_EQ(build(&l, e, n), -HV_EINVAL);
	CHECK_LOG(
		"linux: command line of 2048 bytes is longer than the kernel's cmdline_size 2047");
	l.cmdline_len = T_CMDLINE_MAX + 1;
	CHECK_EQ(build(&l, e, n), 0);

	/* bad arguments */
	l = good_layout();
	CHECK_EQ(build(&l, e, E820_MAX_ENTRIES_ZEROPAGE + 1), -HV_EINVAL);
	CHECK_LOG("linux: the e820 map has 129 entries; boot_params holds 128");
	test_log_clear();
	CHECK_EQ(linux_build_boot_params(&info, &l, e, n, 0, bp, 4095), -HV_EINVAL);
	CHECK_LOG("linux: boot_params buffer is 4095 bytes; it needs 4096");
	CHECK_EQ(linux_build_boot_params(NULL, &l, e, n, 0, bp, 4096), -HV_EINVAL);
	CHECK_EQ(linux_build_boot_params(&info, &l, NULL, 1, 0, bp, 4096), -HV_EINVAL);
	{
		struct bzimage_info empty = { 0 };

		test_log_clear();
		CHECK_EQ(linux_build_boot_params(&empty, &l, e, n, 0, bp, 4096), -HV_EINVAL);
		CHECK_LOG("linux: setup header length 0 is outside 115..159");
	}
}

int main(void)
{
	test_good();
	test_reject();
	test_boot_params();
	return check_summary();
}
