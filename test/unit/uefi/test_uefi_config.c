// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the UEFI loader's config parser and load-options reader (boot/uefi/uefi_config.c). */
#include <stdlib.h>

#include "../check.h"
#include "core/errno.h"
#include "../../../boot/uefi/uefi_config.h"

static struct uefi_config cfg;

static int parse(const char *text)
{
	test_log_clear();
	return uefi_config_parse(text, strlen(text), &cfg);
}

/* A string of n copies of c, in a buffer the caller frees. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_good(void)
{
	static const char text[] = "# Bulkhead\r\n"
				   "\n"
				   "   # indented comment\n"
				   "hypervisor \\EFI\\bulkhead\\bulkhead.elf\r\n"
				   "\tcmdline console=com1,115200 loglevel=info # not a comment \n"
				   "module \\EFI\\bulkhead\\qemu-demo.bin bulkhead-table\n"
				   "module EFI/bulkhead/initrd.img\troot  initrd \t\n"
				   "module /EFI/bulkhead/empty.bin\n"
				   "module \\m.bin caf\xc3\xa9"; /* no final newline */

	CHECK_EQ(parse(text), 0);
	CHECK_STR(cfg.hypervisor, "\\EFI\\bulkhead\\bulkhead.elf");
	CHECK_STR(cfg.cmdline, "console=com1,115200 loglevel=info # not a comment");
	CHECK_EQ(cfg.module_count, 4);
	CHECK_STR(cfg.modules[0].path, "\\EFI\\bulkhead\\qemu-demo.bin");
	CHECK_STR(cfg.modules[0].tag, "bulkhead-table");
	CHECK_STR(cfg.modules[1].path, "\\EFI\\bulkhead\\initrd.img");
	CHECK_STR(cfg.modules[1].tag, "root  initrd");
	CHECK_STR(cfg.modules[2].path, "\\EFI\\bulkhead\\empty.bin");
	CHECK_STR(cfg.modules[2].tag, "");
	CHECK_STR(cfg.modules[3].tag, "caf\xc3\xa9"); /* tags are bytes, like GRUB's */
	CHECK_STR(test_log_text(), "");

	/* Only the hypervisor line is required. */
	CHECK_EQ(parse("hypervisor a.elf"), 0);
	CHECK_STR(cfg.hypervisor, "\\a.elf");
	CHECK_STR(cfg.cmdline, "");
	CHECK_EQ(cfg.module_count, 0);
}

static void test_bad_directives(void)
{
	CHECK_EQ(parse("hypervisor /a.elf\nkernel /vmlinuz\n"), -HV_EINVAL);
	CHECK_LOG("uefi: config line 2: unknown directive 'kernel'");
	CHECK_EQ(parse("Hypervisor /a.elf\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: unknown directive 'Hypervisor'");
	CHECK_EQ(parse("hypervisor=/a.elf\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: unknown directive 'hypervisor=/a.elf'");

	CHECK_EQ(parse("hypervisor   \n"), -HV_EINVAL);
	CHECK_LOG("config line 1: 'hypervisor' needs a path");
	CHECK_EQ(parse("hypervisor /a.elf\nmodule\n"), -HV_EINVAL);
	CHECK_LOG("config line 2: 'module' needs a path");
	CHECK_EQ(parse("hypervisor /a.elf\ncmdline \t\n"), -HV_EINVAL);
	CHECK_LOG("config line 2: 'cmdline' needs an argument");

	CHECK_EQ(parse("hypervisor /a.elf extra words\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: 'hypervisor' takes one path, found extra text 'extra words'");
	CHECK_EQ(parse("hypervisor /a.elf\n#\nhypervisor /b.elf\n"), -HV_EINVAL);
	CHECK_LOG("config line 3: second 'hypervisor' line (the first is line 1)");
	CHECK_EQ(parse("cmdline a\nhypervisor /a.elf\ncmdline b\n"), -HV_EINVAL);
	CHECK_LOG("config line 3: second 'cmdline' line (the first is line 1)");

	CHECK_EQ(parse(""), -HV_EINVAL);
	CHECK_LOG("uefi: config has no 'hypervisor' line (0 lines read)");
	CHECK_EQ(parse("# only\n\ncmdline x\nmodule /m tag\n"), -HV_EINVAL);
	CHECK_LOG("uefi: config has no 'hypervisor' line (4 lines read)");
}

static void test_modules_limit(void)
{
	char text[4096];
	size_t n = 0;
	unsigned i;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "hypervisor /hv.elf\n");
	for (i = 0; i < BOOT_MODULES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "module /m%u.bin tag%u\n", i, i);
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(cfg.module_count, BOOT_MODULES_MAX);
	CHECK_STR(cfg.modules[BOOT_MODULES_MAX - 1].path, "\\m15.bin");
	CHECK_STR(cfg.modules[BOOT_MODULES_MAX - 1].tag, "tag15");
	snprintf(text + n, sizeof(text) - n, "module /one-too-many.bin\n");
	CHECK_EQ(parse(text), -HV_EINVAL);
	CHECK_LOG("config line 18: more than 16 modules");
}

static void test_lengths(void)
{
	char text[4096];
	char *s;

	/* Lines: UEFI_CFG_LINE_MAX bytes are read, one more is refused. */
	s = repeat('#', UEFI_CFG_LINE_MAX);
	snprintf(text, sizeof(text), "hypervisor /a\n%s\n", s);
	CHECK_EQ(parse(text), 0);
	free(s);
	s = repeat('#', UEFI_CFG_LINE_MAX + 1);
	snprintf(text, sizeof(text), "hypervisor /a\n%s\n", s);
	CHECK_EQ(parse(text), -HV_EINVAL);
	CHECK_LOG("config line 2 is longer than 1280 bytes");
	free(s);

	/* Paths: 255 bytes stored, with the leading '\' added when missing. */
	s = repeat('p', UEFI_CFG_PATH_MAX - 2);
	snprintf(text, sizeof(text), "hypervisor %s\n", s);
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(strlen(cfg.hypervisor), UEFI_CFG_PATH_MAX - 1);
	snprintf(text, sizeof(text), "hypervisor /%s\n", s);
	CHECK_EQ(parse(text), 0);
	snprintf(text, sizeof(text), "hypervisor /a\nmodule p%s tag\n", s);
	CHECK_EQ(parse(text), -HV_EINVAL);
	CHECK_LOG("config line 2: path 'pppppppppppppppppppppppppppppppp...' is 256 bytes, longer "
		  "than 255");
	free(s);

	/* Tags: BOOT_TAG_MAX - 1 bytes. */
	s = repeat('t', BOOT_TAG_MAX - 1);
	snprintf(text, sizeof(text), "hypervisor /a\nmodule /m %s\n", s);
	CHECK_EQ(parse(text), 0);
	CHECK_STR(cfg.modules[0].tag, s);
	snprintf(text, sizeof(text), "hypervisor /a\nmodule /m %st\n", s);
	CHECK_EQ(parse(text), -HV_EINVAL);
	CHECK_LOG("config line 2: module tag is 256 bytes, longer than 255");
	free(s);

	/* Command line: BOOT_CMDLINE_MAX - 1 bytes. */
	s = repeat('c', BOOT_CMDLINE_MAX - 1);
	snprintf(text, sizeof(text), "cmdline %s\nhypervisor /a\n", s);
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(strlen(cfg.cmdline), BOOT_CMDLINE_MAX - 1);
	snprintf(text, sizeof(text), "cmdline %sc\nhypervisor /a\n", s);
	CHECK_EQ(parse(text), -HV_EINVAL);
	CHECK_LOG("config line 1: cmdline is 1024 bytes, longer than 1023");
	free(s);
}

static void test_bad_bytes(void)
{
	static const char nul[] = "hypervisor /a\ncmd\0line x\n";
	static const char nul_end[] = "hypervisor /a\n\0";

	test_log_clear();
	CHECK_EQ(uefi_config_parse(nul, sizeof(nul) - 1, &cfg), -HV_EINVAL);
	CHECK_LOG("config line 2: NUL byte at column 4");
	test_log_clear();
	CHECK_EQ(uefi_config_parse(nul_end, sizeof(nul_end) - 1, &cfg), -HV_EINVAL);
	CHECK_LOG("config line 2: NUL byte at column 1");
	CHECK_EQ(parse("hypervisor /a\x01\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: control byte 0x01 at column 14");
	CHECK_EQ(parse("hypervisor /a\rb\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: control byte 0x0d at column 14");
	CHECK_EQ(parse("hypervisor /a\x7f\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: control byte 0x7f at column 14");
	CHECK_EQ(parse("hypervisor /caf\xc3\xa9.elf\n"), -HV_EINVAL);
	CHECK_LOG("config line 1: path has non-ASCII byte 0xc3 at offset 4");
	/* A CR at the very end of the buffer ends the line like CR LF. */
	CHECK_EQ(parse("hypervisor /a\r"), 0);
	CHECK_STR(cfg.hypervisor, "\\a");
}

/* Options as UCS-2 LE, the way firmware hands them over; n characters of s, plus NUL if nul. */
static size_t ucs2(uint8_t *out, const char *s, bool nul)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)s[i];
		out[2 * i + 1] = 0;
	}
	if (nul) {
		out[2 * n] = 0;
		out[2 * n + 1] = 0;
		n++;
	}
	return 2 * n;
}

static int opts(const char *s, bool nul, char *path)
{
	uint8_t buf[4096];
	size_t size = ucs2(buf, s, nul);

	test_log_clear();
	path[0] = '\0';
	return uefi_load_options_path(buf, size, path, UEFI_CFG_PATH_MAX);
}

static void test_load_options(void)
{
	/* The binary data OVMF puts into the boot entries it makes itself. */
	static const uint8_t guid[16] = { 0x4e, 0xac, 0x08, 0x81, 0x11, 0x9f, 0x59, 0x4d,
					  0x85, 0x0e, 0xe2, 0x1a, 0x52, 0x2c, 0x59, 0xb2 };
	static const uint8_t odd[3] = { 'a', 0, 'b' };
	static const uint8_t wide[4] = { 'a', 0, 0x00, 0x4e }; /* U+4E00 */
	char path[UEFI_CFG_PATH_MAX];
	char long_opts[700];
	char *s;

	CHECK_EQ(uefi_load_options_path(NULL, 0, path, sizeof(path)), 0);
	CHECK_EQ(uefi_load_options_path(guid, sizeof(guid), path, sizeof(path)), 0);
	CHECK_EQ(uefi_load_options_path(odd, sizeof(odd), path, sizeof(path)), 0);
	CHECK_EQ(uefi_load_options_path(wide, sizeof(wide), path, sizeof(path)), 0);

	CHECK_EQ(opts("bulkhead.efi \\EFI\\bulkhead\\alt.cfg", true, path), 1);
	CHECK_STR(path, "\\EFI\\bulkhead\\alt.cfg");
	CHECK_EQ(opts("fs0:\\EFI\\BOOT\\BOOTX64.EFI   /EFI/alt.cfg  more", false, path), 1);
	CHECK_STR(path, "\\EFI\\alt.cfg");
	CHECK_EQ(opts("\\EFI\\bulkhead\\other.cfg", true, path), 1); /* a boot entry's data */
	CHECK_STR(path, "\\EFI\\bulkhead\\other.cfg");
	CHECK_EQ(opts("x.efi \"fs1:cfg/a.cfg\"", true, path), 1);
	CHECK_STR(path, "\\cfg\\a.cfg");
	CHECK_EQ(opts("fs0:\\EFI\\bulkhead\\bulkhead /alt.cfg", true, path), 1); /* no .efi */
	CHECK_STR(path, "\\alt.cfg");
	CHECK_EQ(opts("/EFI/bulkhead/bulkhead.efi", true, path), 0); /* GRUB, no argument */
	CHECK_EQ(opts("\tBOOTX64.EFI", true, path), 0);
	CHECK_EQ(opts("", true, path), 0);
	CHECK_EQ(opts("   ", false, path), 0);
	CHECK_EQ(opts("a.efi fs0:", true, path), 0);
	CHECK_STR(test_log_text(), "");

	s = repeat('p', UEFI_CFG_PATH_MAX);
	snprintf(long_opts, sizeof(long_opts), "a.efi %s", s);
	CHECK_EQ(opts(long_opts, true, path), -HV_EINVAL);
	CHECK_LOG("uefi: load option: path 'pppppppppppppppppppppppppppppppp...' is 257 bytes");
	free(s);
	s = repeat('p', 600);
	CHECK_EQ(opts(s, true, path), -HV_EINVAL);
	CHECK_LOG("uefi: load options are longer than 511 characters");
	free(s);
}

int main(void)
{
	test_good();
	test_bad_directives();
	test_modules_limit();
	test_lengths();
	test_bad_bytes();
	test_load_options();
	return check_summary();
}
