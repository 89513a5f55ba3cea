// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bulkhead-table draft`: describes the running Linux machine as a scenario
 * .c file that gives everything to the root partition. It reads /proc/iomem,
 * /sys/bus/pci/devices, and the ACPI MADT, MCFG, DMAR and IVRS tables in
 * /sys/firmware/acpi/tables (all under --root DIR, for tests), builds the
 * table with the hypervisor's own default-table code, checks it, and prints
 * it. What cannot be read is replaced by a guess and a warning.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bhtable.h"
#include "core/errno.h"

#define U64(x) ((unsigned long long)(x))

#define DRAFT_HV_BASE	   0x1000000ULL /* 16 MiB: where the hypervisor image loads */
#define DRAFT_HV_SIZE	   0x4000000ULL /* image and page pool */
#define DRAFT_IO_LIMIT	   (4ULL << 30) /* below: holes are device memory; above: only listed ranges */
#define DRAFT_IOAPIC_PINS  24		/* the MADT does not say; 24 is the common count */
#define DRAFT_COM1	   0x3f8
#define DRAFT_BAUD	   115200
#define DRAFT_MAX_CPUS	   4096
#define DRAFT_MAX_PCI	   4096
#define DRAFT_MAX_PLATFORM 64

/* ACPI 6.5: table header 5.2.6; MADT 5.2.12; MCFG: PCI Firmware spec 3.3, 4.1.2. */
#define ACPI_HEADER_LEN	  36
#define MADT_ENTRIES	  44
#define MADT_LOCAL_APIC	  0
#define MADT_IOAPIC	  1
#define MADT_LOCAL_X2APIC 9
#define MADT_ENABLED	  1u
#define MCFG_ENTRIES	  44
#define MCFG_ENTRY_LEN	  16
/* VT-d spec 4.1, 8.1 and 8.3: DMAR header, DRHD structure. */
#define DMAR_ENTRIES 48
#define DMAR_DRHD    0
/* AMD IOMMU spec 3.08, 5.2.2: IVRS header, IVHD blocks. */
#define IVRS_ENTRIES	  48
#define IVHD_TYPE_10	  0x10
#define IVHD_TYPE_11	  0x11
#define IVHD_TYPE_40	  0x40
#define AMDVI_MMIO_SIZE	  0x80000ULL
#define PCI_CLASS_UNKNOWN 0xffffffffu

struct iomem_entry {
	uint64_t start, end; /* inclusive, as /proc/iomem prints them */
	char name[64];
};

struct draft {
	const char *root;
	struct iomem_entry *iomem;
	size_t iomem_count;
	struct memmap map;
	uint64_t cpus[DRAFT_MAX_CPUS];
	uint32_t cpu_count;
	uint32_t pci[DRAFT_MAX_PCI];
	uint32_t pci_class[DRAFT_MAX_PCI];
	uint32_t pci_count;
	struct bh_mmconfig mmcfg[DRAFT_MAX_PLATFORM];
	uint32_t mmcfg_count;
	struct bh_irqchip irqchips[DRAFT_MAX_PLATFORM];
	uint32_t irqchip_count;
	struct bh_iommu iommus[DRAFT_MAX_PLATFORM];
	uint32_t iommu_count;
	uint64_t hv_base, hv_size;
	bool hv_given;
	uint32_t console_port; /* 0: none */
	char board[BH_TABLE_NAME_MAX];
	const char *cmdline;
	char notes[1024]; /* lines for the file's heading */
};

static void note(struct draft *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A line for the draft's heading comment, also printed as a warning. */
static void note(struct draft *d, const char *fmt, ...)
{
	size_t len = strlen(d->notes);
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "warning: draft: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	va_start(ap, fmt);
	if (len + 2 < sizeof(d->notes)) {
		d->notes[len++] = '\n';
		vsnprintf(d->notes + len, sizeof(d->notes) - len, fmt, ap);
	}
	va_end(ap);
}

static char *root_path(const struct draft *d, const char *path)
{
	size_t n = strlen(d->root) + strlen(path) + 1;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s", d->root, path);
	return p;
}

/* Reads a file under the root quietly; NULL when it is missing or unreadable. */
static uint8_t *read_quiet(const struct draft *d, const char *path, size_t *len)
{
	char *full = root_path(d, path);
	FILE *f = full ? fopen(full, "rb") : NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = NULL;

	free(full);
	if (!f)
		return NULL;
	for (;;) {
		uint8_t *nb = realloc(buf, cap + 1);

		if (!nb) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* An ACPI table's bytes, with its length checked against what was read. */
static uint8_t *read_acpi(struct draft *d, const char *sig, size_t *len)
{
	char path[64];
	uint8_t *t;

	snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s", sig);
	t = read_quiet(d, path, len);
	if (!t)
		return NULL;
	if (*len < ACPI_HEADER_LEN || memcmp(t, sig, 4) || get32(t + 4) > *len ||
	    get32(t + 4) < ACPI_HEADER_LEN) {
		note(d, "%s: not a valid ACPI %s table; ignored", path, sig);
		free(t);
		return NULL;
	}
	*len = get32(t + 4);
	return t;
}

/* ---- /proc/iomem ----------------------------------------------------------- */

static uint32_t iomem_type(const char *name)
{
	if (!strcmp(name, "System RAM"))
		return BOOT_MEM_RAM;
	if (!strcmp(name, "ACPI Tables"))
		return BOOT_MEM_ACPI_RECLAIM;
	if (!strcmp(name, "ACPI Non-volatile Storage"))
		return BOOT_MEM_ACPI_NVS;
	if (!strcmp(name, "Unusable memory"))
		return BOOT_MEM_BAD;
	if (!strncmp(name, "Persistent Memory", 17))
		return BOOT_MEM_PERSISTENT;
	/* "Reserved", and device windows ("PCI Bus 0000:00", "IOAPIC 0", ...) */
	return BOOT_MEM_RESERVED;
}

static int read_iomem(struct draft *d)
{
	size_t len, cap = 0;
	char *text = (char *)read_quiet(d, "/proc/iomem", &len);
	bool any_address = false;

	if (!text) {
		note(d, "%s/proc/iomem is not readable: memory is guessed from /proc/meminfo",
		     d->root);
		return -1;
	}
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long start, end;
		int name_at = 0;
		struct iomem_entry *e;

		if (line[0] == ' ') /* nested: part of a top-level range */
			continue;
		if (sscanf(line, "%llx-%llx : %n", &start, &end, &name_at) < 2 || !name_at ||
		    end < start)
			continue;
		if (start || end)
			any_address = true;
		if (d->iomem_count == cap) {
			struct iomem_entry *n;

			cap = cap ? cap * 2 : 64;
			n = realloc(d->iomem, cap * sizeof(*n));
			if (!n)
				break;
			d->iomem = n;
		}
		e = &d->iomem[d->iomem_count++];
		e->start = start;
		e->end = end;
		snprintf(e->name, sizeof(e->name), "%s", line + name_at);
	}
	free(text);
	if (!any_address) {
		note(d,
		     "%s/proc/iomem shows no addresses (not run as root?): memory is guessed from "
		     "/proc/meminfo",
		     d->root);
		d->iomem_count = 0;
		return -1;
	}
	for (size_t i = 0; i < d->iomem_count; i++) {
		const struct iomem_entry *e = &d->iomem[i];
		struct mem_range *prev = d->map.count ? &d->map.r[d->map.count - 1] : NULL;

		if (d->map.count == MEMMAP_MAX) {
			note(d,
			     "/proc/iomem has more than %u top-level ranges; the rest are ignored",
			     MEMMAP_MAX);
			break;
		}
		if (prev && e->start < prev->base + prev->size)
			continue; /* out of order or overlapping: not a top-level layout we know */
		d->map.r[d->map.count++] = (struct mem_range){ e->start, e->end - e->start + 1,
							       iomem_type(e->name) };
	}
	return 0;
}

/* Without /proc/iomem: RAM from 0 to MemTotal, nothing else known. */
static void guess_memory(struct draft *d)
{
	size_t len;
	char *text = (char *)read_quiet(d, "/proc/meminfo", &len);
	unsigned long long kib = 0;
	char *at = text ? strstr(text, "MemTotal:") : NULL;

	if (at)
		sscanf(at, "MemTotal: %llu kB", &kib);
	free(text);
	if (!kib) {
		kib = 1ULL << 20;
		note(d, "MemTotal unknown: assuming 1 GiB of RAM");
	}
	d->map.count = 1;
	d->map.r[0] = (struct mem_range){ 0, ALIGN_DOWN(kib << 10, PAGE_SIZE), BOOT_MEM_RAM };
}

/* ---- CPUs and interrupt controllers: MADT, else /proc/cpuinfo -------------- */

static void read_madt(struct draft *d)
{
	size_t len;
	uint8_t *t = read_acpi(d, "APIC", &len);

	if (!t) {
		note(d,
		     "no ACPI MADT in %s/sys/firmware/acpi/tables: CPUs from /proc/cpuinfo, no "
		     "IOAPICs",
		     d->root);
		return;
	}
	for (size_t at = MADT_ENTRIES; at + 2 <= len;) {
		uint8_t type = t[at], elen = t[at + 1];

		if (elen < 2 || at + elen > len)
			break;
		if (type == MADT_LOCAL_APIC && elen >= 8 && (get32(t + at + 4) & MADT_ENABLED) &&
		    d->cpu_count < DRAFT_MAX_CPUS)
			d->cpus[d->cpu_count++] = t[at + 3];
		else if (type == MADT_LOCAL_X2APIC && elen >= 16 &&
			 (get32(t + at + 8) & MADT_ENABLED) && d->cpu_count < DRAFT_MAX_CPUS)
			d->cpus[d->cpu_count++] = get32(t + at + 4);
		else if (type == MADT_IOAPIC && elen >= 12 && d->irqchip_count < DRAFT_MAX_PLATFORM)
			d->irqchips[d->irqchip_count++] = (struct bh_irqchip){
				.type = BH_IRQCHIP_IOAPIC,
				.id = t[at + 2],
				.base = get32(t + at + 4),
				.size = PAGE_SIZE,
				.gsi_base = get32(t + at + 8),
				.lines = DRAFT_IOAPIC_PINS,
			};
		at += elen;
	}
	free(t);
	if (d->irqchip_count)
		note(d, "IOAPIC pin counts are assumed to be %u (the MADT does not give them)",
		     DRAFT_IOAPIC_PINS);
}

static void read_cpuinfo(struct draft *d)
{
	size_t len;
	char *text = (char *)read_quiet(d, "/proc/cpuinfo", &len);

	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		unsigned id;

		if (!strncmp(line, "apicid", 6) && sscanf(line, "apicid : %u", &id) == 1 &&
		    d->cpu_count < DRAFT_MAX_CPUS)
			d->cpus[d->cpu_count++] = id;
	}
	free(text);
	if (!d->cpu_count) {
		note(d, "no CPUs found: assuming one CPU with APIC ID 0");
		d->cpus[d->cpu_count++] = 0;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- PCI, MCFG, IOMMUs ------------------------------------------------------ */

static int cmp_pci_idx(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void read_pci(struct draft *d)
{
	char *dir = root_path(d, "/sys/bus/pci/devices");
	DIR *dp = dir ? opendir(dir) : NULL;
	uint64_t keyed[DRAFT_MAX_PCI];
	struct dirent *e;

	if (!dp) {
		note(d, "%s is not readable: no PCI devices", dir ? dir : "PCI devices");
		free(dir);
		return;
	}
	while ((e = readdir(dp)) && d->pci_count < DRAFT_MAX_PCI) {
		unsigned seg, bus, dev, fn;
		char path[320];
		size_t len;
		char *cls;
		unsigned long class_code = PCI_CLASS_UNKNOWN;

		if (sscanf(e->d_name, "%4x:%2x:%2x.%1u", &seg, &bus, &dev, &fn) != 4 ||
		    seg > 0xffff || bus > 0xff || dev > 31 || fn > 7)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", e->d_name);
		cls = (char *)read_quiet(d, path, &len);
		if (cls)
			class_code = strtoul(cls, NULL, 16);
		free(cls);
		/* sort key in the high bits, class in the low */
		keyed[d->pci_count++] = (uint64_t)TABLE_SBDF(seg, bus, BH_PCI_DEVFN(dev, fn))
						<< 32 |
					(uint32_t)class_code;
	}
	closedir(dp);
	free(dir);
	qsort(keyed, d->pci_count, sizeof(keyed[0]), cmp_pci_idx);
	for (uint32_t i = 0; i < d->pci_count; i++) {
		d->pci[i] = (uint32_t)(keyed[i] >> 32);
		d->pci_class[i] = (uint32_t)keyed[i];
	}
}

static void read_mcfg(struct draft *d)
{
	size_t len;
	uint8_t *t = read_acpi(d, "MCFG", &len);

	if (!t)
		return;
	for (size_t at = MCFG_ENTRIES; at + MCFG_ENTRY_LEN <= len; at += MCFG_ENTRY_LEN) {
		if (d->mmcfg_count == DRAFT_MAX_PLATFORM)
			break;
		d->mmcfg[d->mmcfg_count++] = (struct bh_mmconfig){
			.base = get64(t + at),
			.segment = get16(t + at + 8),
			.bus_start = t[at + 10],
			.bus_end = t[at + 11],
		};
	}
	free(t);
}

static void read_dmar(struct draft *d)
{
	size_t len;
	uint8_t *t = read_acpi(d, "DMAR", &len);

	if (!t)
		return;
	for (size_t at = DMAR_ENTRIES; at + 4 <= len;) {
		uint16_t type = get16(t + at), elen = get16(t + at + 2);

		if (elen < 4 || at + elen > len)
			break;
		if (type == DMAR_DRHD && elen >= 16 && d->iommu_count < DRAFT_MAX_PLATFORM) {
			/* "Size": the register set is 2^N 4 KiB pages (VT-d 3.0 8.3) */
			unsigned pages_log2 = t[at + 5] & 0xf;

			d->iommus[d->iommu_count++] = (struct bh_iommu){
				.type = BH_IOMMU_VTD,
				.base = get64(t + at + 8),
				.size = PAGE_SIZE << pages_log2,
				.segment = get16(t + at + 6),
			};
		}
		at += elen;
	}
	free(t);
}

static void read_ivrs(struct draft *d)
{
	size_t len;
	uint8_t *t = read_acpi(d, "IVRS", &len);

	if (!t)
		return;
	for (size_t at = IVRS_ENTRIES; at + 4 <= len;) {
		uint8_t type = t[at];
		uint16_t blen = get16(t + at + 2);
		bool seen = false;

		if (blen < 4 || at + blen > len)
			break;
		if ((type == IVHD_TYPE_10 || type == IVHD_TYPE_11 || type == IVHD_TYPE_40) &&
		    blen >= 24) {
			uint64_t base = get64(t + at + 8);

			/* types 10h, 11h and 40h may all describe the same unit */
			for (uint32_t i = 0; i < d->iommu_count; i++)
				seen |= d->iommus[i].base == base;
			if (!seen && d->iommu_count < DRAFT_MAX_PLATFORM)
				d->iommus[d->iommu_count++] = (struct bh_iommu){
					.type = BH_IOMMU_AMDVI,
					.base = base,
					.size = AMDVI_MMIO_SIZE,
					.segment = get16(t + at + 16),
					.bdf = get16(t + at + 4),
				};
		}
		at += blen;
	}
	free(t);
}

/* ---- choices ---------------------------------------------------------------- */

static bool is_ram(const struct memmap *m, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];

		if (r->type == BOOT_MEM_RAM && base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

/* 64 MiB of RAM for the hypervisor: at 16 MiB when possible, else the first 2 MiB-aligned fit. */
static void choose_hv(struct draft *d)
{
	if (d->hv_given) {
		if (!is_ram(&d->map, d->hv_base, d->hv_size))
			note(d, "--hv 0x%llx size 0x%llx is not all RAM", U64(d->hv_base),
			     U64(d->hv_size));
		return;
	}
	d->hv_base = DRAFT_HV_BASE;
	d->hv_size = DRAFT_HV_SIZE;
	if (is_ram(&d->map, d->hv_base, d->hv_size))
		return;
	for (uint32_t i = 0; i < d->map.count; i++) {
		const struct mem_range *r = &d->map.r[i];
		uint64_t base = ALIGN_UP(MAX(r->base, DRAFT_HV_BASE), SZ_2M);

		if (r->type == BOOT_MEM_RAM && base + d->hv_size <= r->base + r->size) {
			d->hv_base = base;
			note(d,
			     "RAM at 16 MiB is too small: the hypervisor's memory is put at 0x%llx",
			     U64(base));
			return;
		}
	}
	note(d, "found no 64 MiB of RAM for the hypervisor; the draft assumes 16 MiB anyway");
}

static void read_board(struct draft *d)
{
	size_t len, n = 0;
	char *text = (char *)read_quiet(d, "/sys/class/dmi/id/product_name", &len);

	for (size_t i = 0; text && text[i] && n + 1 < sizeof(d->board); i++) {
		unsigned char c = (unsigned char)text[i];

		if (isalnum(c))
			d->board[n++] = (char)tolower(c);
		else if (n && d->board[n - 1] != '-' && c != '\n')
			d->board[n++] = '-';
	}
	while (n && d->board[n - 1] == '-')
		n--;
	d->board[n] = '\0';
	free(text);
	if (!n)
		snprintf(d->board, sizeof(d->board), "draft");
}

/* The /proc/iomem names a region covers, for a comment next to it. */
static const char *region_note(void *ctx, const struct bh_mem_region *r)
{
	static char buf[160];
	const struct draft *d = ctx;
	size_t pos = 0, shown = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < d->iomem_count; i++) {
		const struct iomem_entry *e = &d->iomem[i];

		if (e->end < r->host || e->start >= r->host + r->size)
			continue;
		if (shown == 3) {
			snprintf(buf + pos, sizeof(buf) - pos, ", ...");
			break;
		}
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s%s", shown ? ", " : "",
					e->name);
		if (pos >= sizeof(buf))
			break;
		shown++;
	}
	return buf;
}

/* PCI class codes (PCI Code and ID Assignment spec 1.12), the common ones. */
static const char *class_name(uint32_t class_code)
{
	static const struct {
		uint32_t base_sub;
		const char *name;
	} names[] = {
		{ 0x0100, "SCSI controller" },
		{ 0x0101, "IDE controller" },
		{ 0x0104, "RAID controller" },
		{ 0x0106, "SATA controller" },
		{ 0x0108, "NVMe controller" },
		{ 0x0180, "storage controller" },
		{ 0x0200, "Ethernet controller" },
		{ 0x0280, "network controller" },
		{ 0x0300, "VGA controller" },
		{ 0x0380, "display controller" },
		{ 0x0403, "audio device" },
		{ 0x0600, "host bridge" },
		{ 0x0601, "ISA bridge" },
		{ 0x0604, "PCI bridge" },
		{ 0x0780, "communication controller" },
		{ 0x0806, "IOMMU" },
		{ 0x0880, "system peripheral" },
		{ 0x0c03, "USB controller" },
		{ 0x0c05, "SMBus controller" },
		{ 0xffff, "unassigned class" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].base_sub == class_code >> 8)
			return names[i].name;
	return NULL;
}

static const char *pci_note(void *ctx, const struct bh_pci_device *dev)
{
	static char buf[64];
	const struct draft *d = ctx;
	uint32_t key = TABLE_SBDF(dev->segment, dev->bus, dev->devfn);

	for (uint32_t i = 0; i < d->pci_count; i++) {
		const char *name;

		if (d->pci[i] != key || d->pci_class[i] == PCI_CLASS_UNKNOWN)
			continue;
		name = class_name(d->pci_class[i]);
		snprintf(buf, sizeof(buf), "class 0x%06x%s%s", d->pci_class[i], name ? ": " : "",
			 name ? name : "");
		return buf;
	}
	return NULL;
}

static void usage_draft(void)
{
	fprintf(stderr, "usage: bulkhead-table draft [--root DIR] [-o FILE.c] [--hv BASE,SIZE]\n"
			"                            [--console PORT|none] [--board NAME] "
			"[--cmdline TEXT]\n");
}

static bool parse_args(struct draft *d, int argc, char **argv, const char **out)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			usage_draft();
			return false;
		}
		i++;
		if (!strcmp(a, "--root")) {
			d->root = v;
		} else if (!strcmp(a, "-o")) {
			*out = v;
		} else if (!strcmp(a, "--hv")) {
			char *end;

			d->hv_base = strtoull(v, &end, 0);
			if (*end != ',')
				return usage_draft(), false;
			d->hv_size = strtoull(end + 1, &end, 0);
			if (*end || !d->hv_size)
				return usage_draft(), false;
			d->hv_given = true;
		} else if (!strcmp(a, "--console")) {
			d->console_port = strcmp(v, "none") ? (uint32_t)strtoul(v, NULL, 0) : 0;
		} else if (!strcmp(a, "--board")) {
			snprintf(d->board, sizeof(d->board), "%s", v);
		} else if (!strcmp(a, "--cmdline")) {
			d->cmdline = v;
		} else {
			usage_draft();
			return false;
		}
	}
	return true;
}

int bhtool_draft(int argc, char **argv)
{
	/* the module strings the draft's root expects: a kernel and an initrd */
	static const struct table_module draft_modules[] = { { "linux", 0 }, { "initrd", 0 } };
	static struct draft d; /* large: keep it off the stack */
	const char *out = NULL;
	struct table_platform hw = { 0 };
	struct bhtool_notes notes;
	struct table_view t;
	char heading[2048];
	size_t size = 0;
	void *blob;
	FILE *f;
	int err;

	memset(&d, 0, sizeof(d));
	d.root = "";
	d.console_port = DRAFT_COM1;
	d.cmdline = "console=ttyS0,115200";
	if (!parse_args(&d, argc, argv, &out))
		return 2;
	if (!d.board[0])
		read_board(&d);
	if (read_iomem(&d))
		guess_memory(&d);
	read_madt(&d);
	if (!d.cpu_count)
		read_cpuinfo(&d);
	qsort(d.cpus, d.cpu_count, sizeof(d.cpus[0]), cmp_u64);
	read_pci(&d);
	read_mcfg(&d);
	read_dmar(&d);
	read_ivrs(&d);
	choose_hv(&d);

	hw.arch = BH_ARCH_X86_64;
	hw.cpu_ids = d.cpus;
	hw.cpu_count = d.cpu_count;
	hw.memmap = &d.map;
	hw.pci = d.pci;
	hw.pci_count = d.pci_count;
	hw.pci_class =
		d.pci_class; /* chipset bridges get CFG_DEFAULT (PCI_CLASS_UNKNOWN is not one) */
	hw.hv_base = d.hv_base;
	hw.hv_size = d.hv_size;
	if (d.console_port)
		hw.console = (struct bh_console){ .type = BH_CONSOLE_UART_8250_IO,
						  .base = d.console_port,
						  .baud = DRAFT_BAUD };
	hw.mmcfg = d.mmcfg;
	hw.mmcfg_count = d.mmcfg_count;
	hw.irqchips = d.irqchips;
	hw.irqchip_count = d.irqchip_count;
	hw.iommus = d.iommus;
	hw.iommu_count = d.iommu_count;
	hw.io_limit = DRAFT_IO_LIMIT;
	hw.modules = draft_modules;
	hw.module_count = sizeof(draft_modules) / sizeof(draft_modules[0]);
	hw.board = d.board;
	hw.root_cmdline = d.cmdline;

	table_build_default(&hw, NULL, 0, &size);
	blob = size ? calloc(1, size) : NULL;
	err = blob ? table_build_default(&hw, blob, size, &size) : -HV_EINVAL;
	if (!err)
		err = bhtool_load(&t, blob, size);
	if (err) {
		fprintf(stderr,
			"error: draft: the machine's description does not make a valid table "
			"(%d)\n",
			err);
		free(blob);
		free(d.iomem);
		return 1;
	}

	snprintf(heading, sizeof(heading),
		 "Draft partition table for \"%s\", written by `bulkhead-table draft`\n"
		 "from /proc/iomem, /sys/bus/pci/devices and /sys/firmware/acpi/tables%s%s.\n"
		 "Everything belongs to the root partition: move CPUs, memory, devices,\n"
		 "ports and interrupt pins into RTOS partitions by hand, then build it like\n"
		 "the scenarios in partitions/ (docs/partition-table.md). The hypervisor\n"
		 "keeps 0x%llx-0x%llx%s.%s%s",
		 d.board, d.root[0] ? " under " : "", d.root, U64(d.hv_base),
		 U64(d.hv_base + d.hv_size - 1), d.console_port ? " and its console's UART" : "",
		 d.notes[0] ? "\n\nNotes from the draft:" : "", d.notes);
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "error: %s: %s\n", out, strerror(errno));
		free(blob);
		free(d.iomem);
		return 1;
	}
	notes = (struct bhtool_notes){ .region = region_note, .pci = pci_note, .ctx = &d };
	bhtool_print_c(f, &t, heading, &notes);
	if (out && fclose(f)) {
		fprintf(stderr, "error: %s: write failed\n", out);
		err = 1;
	}
	free(blob);
	free(d.iomem);
	return err ? 1 : 0;
}
