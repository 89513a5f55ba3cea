// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux boot data path on a real Debian linux-image-6.1 amd64 bzImage:
 * parse, place in the QEMU demo root's memory, build boot_params. The kernel
 * is not in the repository; fetch it with
 *	apt-get download linux-image-6.1.0-<abi>-amd64
 *	dpkg-deb -x linux-image-*.deb build-linux/kernel
 * or name a bzImage in BULKHEAD_LINUX_BZIMAGE. Without one the test says so
 * and passes.
 */
#include <glob.h>
#include <stdlib.h>

#include "../check.h"
#include "bz_builder.h"
#include "core/errno.h"

/* Where the test looks, in this order, when BULKHEAD_LINUX_BZIMAGE is not set. */
static const char *const patterns[] = {
	BH_SOURCE_DIR "/build-linux/kernel/boot/vmlinuz-6.1*-amd64",
	BH_SOURCE_DIR "/build-linux/boot/vmlinuz-6.1*-amd64",
	BH_SOURCE_DIR "/build-linux/vmlinuz",
};

static struct bzimage_info info;
static uint8_t bp[BOOT_PARAMS_SIZE];

static bool find_kernel(char *path, size_t size)
{
	const char *env = getenv("BULKHEAD_LINUX_BZIMAGE");

	if (env) {
		snprintf(path, size, "%s", env);
		return true;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(patterns); i++) {
		glob_t g;

		if (glob(patterns[i], 0, NULL, &g) == 0 && g.gl_pathc) {
			/* the newest ABI sorts last */
			snprintf(path, size, "%s", g.gl_pathv[g.gl_pathc - 1]);
			globfree(&g);
			return true;
		}
		globfree(&g);
	}
	snprintf(path, size, "%s", patterns[0]);
	return false;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)size);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* What every Debian 6.1 amd64 kernel's header says (CONFIG_PHYSICAL_START/ALIGN, x86_64). */
static void check_fields(const uint8_t *img, size_t len)
{
	CHECK_EQ(info.version, 0x020f);
	CHECK(info.loadflags & BZ_LOADED_HIGH);
	CHECK(info.xloadflags & BZ_XLF_KERNEL_64);
	CHECK(info.xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G);
	CHECK_EQ(info.relocatable, 1);
	CHECK_EQ(info.kernel_alignment, 0x200000);
	CHECK_EQ(info.min_alignment, 21);
	CHECK_EQ(info.pref_address, 0x1000000);
	CHECK_EQ(info.cmdline_size, 2047);
	CHECK_EQ(info.initrd_addr_max, 0x7fffffff);
	CHECK_EQ(info.kernel_offset, ((size_t)info.setup_sects + 1) * 512);
	CHECK_EQ(info.kernel_len, len - info.kernel_offset);
	CHECK((uint64_t)info.syssize * 16 <= info.kernel_len);
	CHECK(info.init_size > info.kernel_len); /* room to decompress */
	CHECK_EQ(info.mem_size, ALIGN_UP((uint64_t)info.init_size, 0x200000));
	CHECK(info.hdr_len >= 0x26c - 0x1f1);
	CHECK(memcmp(info.hdr, img + 0x1f1, info.hdr_len) == 0);
	printf("bzImage: protocol %u.%02u, setup_sects %u, syssize 0x%x, kernel 0x%zx bytes at "
	       "0x%zx, init_size 0x%x, alignment 0x%x, pref_address 0x%llx, loadflags 0x%x, "
	       "xloadflags 0x%x, cmdline_size %u, initrd_addr_max 0x%x, header 0x1f1-0x%x\n",
	       info.version >> 8, info.version & 0xff, info.setup_sects, info.syssize,
	       info.kernel_len, info.kernel_offset, info.init_size, info.kernel_alignment,
	       (unsigned long long)info.pref_address, info.loadflags, info.xloadflags,
	       info.cmdline_size, info.initrd_addr_max, 0x1f1 + info.hdr_len);
}

/* Placed in the QEMU demo root next to GRUB's modules, then the zero page. */
static void check_boot(const uint8_t *img)
{
	static const char cmdline[] = "console=ttyS0,115200";
	static const struct linux_range modules[] = {
		{ 0x5000000, 0x800000 },  /* this bzImage, as GRUB loaded it */
		{ 0x5800000, 0x1800000 }, /* the initrd module */
	};
	struct linux_sizes sz = {
		.initrd_size = 0x1800000,
		.cmdline_len = sizeof(cmdline),
		.pgtable_pages = LINUX_PGTABLE_PAGES_DEFAULT,
		.acpi_size = 0x400,
	};
	struct e820_entry e[E820_MAX_ENTRIES_ZEROPAGE];
	unsigned n = t_demo_e820(e);
	struct linux_layout lay;

	CHECK_EQ(linux_place(&info, &sz, e, n, modules, ARRAY_SIZE(modules), &lay), 0);
	CHECK_EQ(lay.kernel_addr, 0x7000000); /* past both modules, 2 MiB aligned */
	CHECK_EQ(lay.kernel_size, info.mem_size);
	CHECK_EQ(lay.initrd_addr, 0x7ffe0000 - 0x1800000);
	CHECK_EQ(lay.boot_params_addr, 0x100000);
	CHECK_EQ(linux_e820_set(e, &n, ARRAY_SIZE(e), lay.acpi_addr, lay.acpi_size, E820_TYPE_ACPI),
		 0);
	CHECK_EQ(linux_build_boot_params(&info, &lay, e, n, lay.acpi_addr, bp, sizeof(bp)), 0);
	CHECK(memcmp(bp + 0x1f1, img + 0x1f1, 0x210 - 0x1f1) == 0);
	CHECK_EQ(bp[0x210], 0xff);
	CHECK_EQ(t_get(bp + T_CODE32_START, 4), lay.kernel_addr);
	CHECK_EQ(t_get(bp + T_CMD_LINE_PTR, 4), lay.cmdline_addr);
	CHECK_EQ(t_get(bp + T_RAMDISK_IMAGE, 4), lay.initrd_addr);
	CHECK_EQ(t_get(bp + T_RAMDISK_SIZE, 4), 0x1800000);
	CHECK(memcmp(bp + T_KERNEL_ALIGNMENT, img + T_KERNEL_ALIGNMENT,
		     0x250 - T_KERNEL_ALIGNMENT) == 0);
	CHECK(memcmp(bp + T_PREF_ADDRESS, img + T_PREF_ADDRESS, 0x1f1 + info.hdr_len - 0x258) == 0);
	CHECK_EQ(bp[T_BP_E820_ENTRIES], n);
	CHECK_EQ(t_get(bp + T_BP_RSDP, 8), lay.acpi_addr);
	printf("placed: kernel 0x%llx, initrd 0x%llx, boot_params 0x%llx, command line 0x%llx, %u "
	       "e820 entries\n",
	       (unsigned long long)lay.kernel_addr, (unsigned long long)lay.initrd_addr,
	       (unsigned long long)lay.boot_params_addr, (unsigned long long)lay.cmdline_addr, n);
}

int main(void)
{
	char path[1024];
	uint8_t *img;
	size_t len = 0;

	if (!find_kernel(path, sizeof(path))) {
		printf("skipped: no kernel at %s\n", path);
		CHECK(1);
		return check_summary();
	}
	img = read_file(path, &len);
	if (!img) {
		fprintf(stderr, "%s: cannot be read\n", path);
		CHECK(img != NULL);
		return check_summary();
	}
	printf("kernel: %s (%zu bytes)\n", path, len);
	test_log_clear();
	CHECK_EQ(bzimage_parse(img, len, &info), 0);
	if (!test_log_contains("linux: bzImage protocol"))
		fprintf(stderr, "%s", test_log_text());
	check_fields(img, len);
	check_boot(img);
	free(img);
	return check_summary();
}
