// SPDX-License-Identifier: GPL-2.0-only
/* Printable names of table sections, formats and flag sets, for messages and the host tool. */
#include "core/lib.h"
#include "internal.h"

static const char *const sect_names[BH_SECT_COUNT] = {
	[BH_SECT_PLATFORM] = "platform", [BH_SECT_PARTITIONS] = "partitions",
	[BH_SECT_MEMORY] = "memory",	 [BH_SECT_CPUS] = "cpus",
	[BH_SECT_PCI] = "pci",		 [BH_SECT_PIO] = "pio",
	[BH_SECT_IRQS] = "irqs",	 [BH_SECT_LINKS] = "links",
	[BH_SECT_MMCONFIG] = "mmconfig", [BH_SECT_IOMMUS] = "iommus",
	[BH_SECT_IRQCHIPS] = "irqchips",
};

const char *table_section_name(unsigned sect)
{
	return sect < BH_SECT_COUNT ? sect_names[sect] : "?";
}

const char *table_image_format_name(uint32_t format)
{
	switch (format) {
	case BH_IMAGE_BZIMAGE:
		return "bzImage";
	case BH_IMAGE_ELF64:
		return "ELF64";
	case BH_IMAGE_RAW:
		return "raw";
	case BH_IMAGE_ARM64_IMAGE:
		return "arm64 Image";
	default:
		return "unknown";
	}
}

const char *table_arch_name(uint32_t arch)
{
	switch (arch) {
	case BH_ARCH_X86_64:
		return "x86_64";
	case BH_ARCH_ARM64:
		return "arm64";
	default:
		return "unknown";
	}
}

/* Appends the names of the set bits of flags to buf, '|'-separated; unknown bits as hex. */
static void flags_str(uint32_t flags, const char *const *names, unsigned count, char *buf,
		      size_t size)
{
	size_t pos = 0;
	uint32_t unknown = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < 32; bit++) {
		int n;

		if (!(flags & (1u << bit)))
			continue;
		if (bit >= count || !names[bit]) {
			unknown |= 1u << bit;
			continue;
		}
		n = snprintf(buf + pos, size - pos, "%s%s", pos ? "|" : "", names[bit]);
		if (n < 0 || (size_t)n >= size - pos)
			return;
		pos += (size_t)n;
	}
	if (unknown)
		snprintf(buf + pos, size - pos, "%s0x%x", pos ? "|" : "", unknown);
	else if (!pos)
		snprintf(buf, size, "-");
}

void table_mem_flags_str(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = { "READ", "WRITE",  "EXEC",	       "DMA",
					     "IO",   "SHARED", "NO_HUGEPAGES", "LOADABLE" };

	flags_str(flags, names, ARRAY_SIZE(names), buf, size);
}

void table_part_flags_str(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = { "ROOT", "RT", "RESTARTABLE", "VIRTUAL_CONSOLE" };

	flags_str(flags, names, ARRAY_SIZE(names), buf, size);
}

void table_pci_cfg_str(uint32_t cfg_write, char *buf, size_t size)
{
	static const char *const names[] = {
		"COMMAND", "BARS", "ROM", "MSI", "MSIX", "CAPS", "EXT"
	};

	if (cfg_write == BH_PCI_CFG_W_ALL) {
		snprintf(buf, size, "ALL");
		return;
	}
	flags_str(cfg_write, names, ARRAY_SIZE(names), buf, size);
}
