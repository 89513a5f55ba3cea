/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The UEFI loader's configuration file (\EFI\bulkhead\bulkhead.cfg) and its
 * load options: plain C, no EFI types, so the parser also builds for the host.
 *
 * Format: one directive per line; blank lines and lines whose first
 * non-blank character is '#' are ignored.
 *   hypervisor PATH          the hypervisor ELF (exactly one such line)
 *   cmdline TEXT...          the hypervisor command line (at most one)
 *   module PATH [TAG...]     a boot module; TAG is the rest of the line, as a
 *                            GRUB "module2 PATH TAG..." line would carry it
 * Paths are on the device the loader came from, use '/' or '\', and contain
 * no blanks; they are stored with '\' separators and a leading '\'.
 */
#ifndef BOOT_UEFI_CONFIG_H
#define BOOT_UEFI_CONFIG_H

#include "core/boot_info.h"
#include "core/types.h"

#define UEFI_CFG_PATH_MAX 256 /* bytes of a path, with its NUL */
/* Longer than "cmdline " plus the longest command line, so that limit speaks first. */
#define UEFI_CFG_LINE_MAX     1280
#define UEFI_CFG_FILE_MAX     (64 * 1024) /* the loader refuses larger config files */
#define UEFI_CFG_DEFAULT_PATH "\\EFI\\bulkhead\\bulkhead.cfg"

struct uefi_cfg_module {
	char path[UEFI_CFG_PATH_MAX];
	char tag[BOOT_TAG_MAX];
};

struct uefi_config {
	char hypervisor[UEFI_CFG_PATH_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t module_count;
	struct uefi_cfg_module modules[BOOT_MODULES_MAX];
};

/*
 * Parses len bytes of config text into *cfg (zeroed first). Returns 0, or
 * -HV_EINVAL after logging one line naming the line number and the fault
 * (unknown directive, missing argument, duplicate line, too many modules,
 * over-long line/path/tag/cmdline, NUL or control byte, no hypervisor line).
 */
int uefi_config_parse(const char *buf, size_t len, struct uefi_config *cfg);

/*
 * Finds a config path in the image's load options: size bytes of UCS-2 text
 * as the UEFI shell or GRUB's chainloader ("bulkhead.efi PATH") or a boot
 * entry's optional data ("PATH") gives them. The first word is the image
 * itself, and skipped, when it ends in ".efi" or another word follows; a
 * "fs0:"-style volume prefix is dropped (only the loader's own volume is
 * read). Returns 1 with the normalised path in path[path_size], 0 when
 * there is none (empty, or not printable text, such as the binary data
 * firmware puts in its own boot entries), or -HV_EINVAL after logging why
 * the path found cannot be used (too long, non-ASCII).
 */
int uefi_load_options_path(const void *opts, size_t size, char *path, size_t path_size);

#endif
