// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bulkhead-table show`: a table in words (per partition: CPUs, memory map,
 * devices, ports, interrupts, image, links; then the machine's memory and
 * CPUs by owner) and, with --svg, the same ownership as a picture.
 */
#include <stdlib.h>
#include <string.h>

#include "bhtable.h"

#define U64(x) ((unsigned long long)(x))

/* "16 MiB", "4 KiB", or "0x1234 bytes" when no unit divides it. */
static const char *size_str(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && size >= 1024 && !(size % 1024)) {
		size /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "0x%llx bytes", U64(size));
	else
		snprintf(buf, len, "%llu %s", U64(size), units[u]);
	return buf;
}

static const char *console_str(const struct bh_console *c, char *buf, size_t len)
{
	switch (c->type) {
	case BH_CONSOLE_NONE:
		snprintf(buf, len, "none");
		break;
	case BH_CONSOLE_UART_8250_IO:
		snprintf(buf, len, "8250 UART at port 0x%llx, %u baud", U64(c->base), c->baud);
		break;
	case BH_CONSOLE_UART_8250_MMIO:
		snprintf(buf, len, "8250 UART at 0x%llx (%u-byte registers), %u baud", U64(c->base),
			 c->reg_width, c->baud);
		break;
	case BH_CONSOLE_PL011:
		snprintf(buf, len, "PL011 at 0x%llx, %u baud", U64(c->base), c->baud);
		break;
	default:
		snprintf(buf, len, "type %u", c->type);
	}
	return buf;
}

static const char *irqchip_name(uint32_t type)
{
	switch (type) {
	case BH_IRQCHIP_IOAPIC:
		return "IOAPIC";
	case BH_IRQCHIP_GICD:
		return "GIC distributor";
	case BH_IRQCHIP_GICR:
		return "GIC redistributors";
	default:
		return "unknown";
	}
}

static const char *iommu_name(uint32_t type)
{
	switch (type) {
	case BH_IOMMU_VTD:
		return "VT-d";
	case BH_IOMMU_AMDVI:
		return "AMD-Vi";
	case BH_IOMMU_SMMUV3:
		return "SMMUv3";
	default:
		return "unknown";
	}
}

/* The link whose peer (partition p, its memory[j]) is, or NULL. */
static const struct bh_link *link_of(const struct table_view *t, const struct bh_partition *p,
				     uint32_t j)
{
	for (uint32_t i = 0; i < t->n[BH_SECT_LINKS]; i++) {
		const struct bh_link *l = &t->links[i];

		for (uint32_t k = 0; k < l->peer_count && k < BH_TABLE_LINK_PEERS_MAX; k++)
			if (l->peers[k].partition_id == p->id && l->peers[k].region == j)
				return l;
	}
	return NULL;
}

static void show_partition(FILE *f, const struct table_view *t, const struct bh_partition *p)
{
	bool x86 = t->platform->arch == BH_ARCH_X86_64;
	char buf[256], sz[32];

	table_part_flags_str(p->flags, buf, sizeof(buf));
	fprintf(f, "\npartition \"%s\" (id %u): %s, on fault: %s\n", p->name, p->id, buf,
		p->fault_policy == BH_FAULT_RESTART ? "restart" : "stop");

	fprintf(f, "  cpus (%s):", x86 ? "APIC IDs" : "MPIDRs");
	for (uint32_t i = 0; i < p->cpus.count; i++)
		fprintf(f, " %llu", U64(table_part_cpus(t, p)[i].hw_id));
	fprintf(f, "\n  memory:\n");
	for (uint32_t i = 0; i < p->memory.count; i++) {
		const struct bh_mem_region *r = &table_part_mem(t, p)[i];
		const struct bh_link *l = link_of(t, p, i);

		table_mem_flags_str(r->flags, buf, sizeof(buf));
		fprintf(f, "    [%u] host 0x%012llx-0x%012llx  guest 0x%012llx  %10s  %s", i,
			U64(r->host), U64(r->host + r->size - 1), U64(r->guest),
			size_str(r->size, sz, sizeof(sz)), buf);
		if (l)
			fprintf(f, "  (link \"%s\")", l->name);
		fprintf(f, "\n");
	}
	if (p->pci.count) {
		fprintf(f, "  pci:\n");
		for (uint32_t i = 0; i < p->pci.count; i++) {
			const struct bh_pci_device *d = &table_part_pci(t, p)[i];

			table_pci_cfg_str(d->cfg_write, buf, sizeof(buf));
			fprintf(f, "    %04x:%02x:%02x.%u  may write: %s", d->segment, d->bus,
				d->devfn >> 3, d->devfn & 7, buf);
			for (unsigned w = 0; w < BH_TABLE_PCI_WINDOWS; w++)
				if (d->windows[w].size)
					fprintf(f, ", 0x%x-0x%x", d->windows[w].offset,
						d->windows[w].offset + d->windows[w].size - 1);
			fprintf(f, "\n");
		}
	}
	if (p->pio.count) {
		fprintf(f, "  ports:");
		for (uint32_t i = 0; i < p->pio.count; i++) {
			const struct bh_pio_range *r = &table_part_pio(t, p)[i];

			fprintf(f, "%s 0x%04x-0x%04llx", i ? "," : "", r->base,
				U64((uint64_t)r->base + r->size - 1));
		}
		fprintf(f, "\n");
	}
	if (p->irqs.count) {
		fprintf(f, "  interrupts:");
		for (uint32_t i = 0; i < p->irqs.count; i++) {
			const struct bh_irq_range *r = &table_part_irqs(t, p)[i];
			const struct bh_irqchip *ic;

			if (r->chip >= t->n[BH_SECT_IRQCHIPS] || !r->count) {
				fprintf(f, "%s chip %u lines %u+%u", i ? "," : "", r->chip,
					r->first, r->count);
				continue;
			}
			ic = &t->irqchips[r->chip];
			fprintf(f, "%s %s %u %s %u-%u (GSI %u-%u)", i ? "," : "",
				irqchip_name(ic->type), r->chip,
				ic->type == BH_IRQCHIP_GICD ? "SPIs" : "pins", r->first,
				r->first + r->count - 1, ic->gsi_base + r->first,
				ic->gsi_base + r->first + r->count - 1);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "  image: %s from boot module \"%s\"", table_image_format_name(p->image.format),
		p->image.tag);
	if (p->image.initrd_tag[0])
		fprintf(f, ", initrd \"%s\"", p->image.initrd_tag);
	if (p->image.load_address)
		fprintf(f, ", load at 0x%llx", U64(p->image.load_address));
	if (p->image.entry)
		fprintf(f, ", entry 0x%llx", U64(p->image.entry));
	if (p->image.cmdline[0])
		fprintf(f, ", cmdline \"%s\"", p->image.cmdline);
	fprintf(f, "\n");
}

/* One line of the machine memory map: a range and who has it. */
struct owner_row {
	uint64_t base, size;
	int part; /* index into t->parts; -1: the hypervisor */
	uint32_t region;
};

static int cmp_row(const void *a, const void *b)
{
	const struct owner_row *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->part - y->part;
}

/* All regions and the hypervisor's memory, sorted by host address; caller frees. */
static struct owner_row *owner_rows(const struct table_view *t, size_t *count)
{
	size_t n = 0;
	struct owner_row *rows = calloc(t->n[BH_SECT_MEMORY] + 1, sizeof(*rows));

	if (!rows)
		return NULL;
	rows[n++] = (struct owner_row){ t->platform->hv_base, t->platform->hv_size, -1, 0 };
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++) {
		const struct bh_partition *p = &t->parts[i];

		for (uint32_t j = 0; j < p->memory.count; j++)
			rows[n++] = (struct owner_row){ table_part_mem(t, p)[j].host,
							table_part_mem(t, p)[j].size, (int)i, j };
	}
	qsort(rows, n, sizeof(*rows), cmp_row);
	*count = n;
	return rows;
}

int bhtool_show(FILE *f, const struct table_view *t, const char *name)
{
	const struct bh_platform *pl = t->platform;
	struct owner_row *rows;
	size_t nrows = 0;
	char buf[160], sz[32];

	fprintf(f, "%s: board \"%s\" (%s), table ABI %u, %u bytes, CRC32 0x%08x\n", name, pl->board,
		table_arch_name(pl->arch), t->hdr->abi_version, t->hdr->total_size, t->hdr->crc32);
	fprintf(f, "hypervisor: memory 0x%012llx-0x%012llx (%s), console %s\n", U64(pl->hv_base),
		U64(pl->hv_base + pl->hv_size - 1), size_str(pl->hv_size, sz, sizeof(sz)),
		console_str(&pl->console, buf, sizeof(buf)));
	for (uint32_t i = 0; i < t->n[BH_SECT_MMCONFIG]; i++)
		fprintf(f, "mmconfig[%u]: segment %u buses %u-%u at 0x%llx\n", i,
			t->mmcfg[i].segment, t->mmcfg[i].bus_start, t->mmcfg[i].bus_end,
			U64(t->mmcfg[i].base));
	for (uint32_t i = 0; i < t->n[BH_SECT_IOMMUS]; i++)
		fprintf(f, "iommus[%u]: %s at 0x%llx (%s), segment %u\n", i,
			iommu_name(t->iommus[i].type), U64(t->iommus[i].base),
			size_str(t->iommus[i].size, sz, sizeof(sz)), t->iommus[i].segment);
	for (uint32_t i = 0; i < t->n[BH_SECT_IRQCHIPS]; i++) {
		const struct bh_irqchip *ic = &t->irqchips[i];

		fprintf(f, "irqchips[%u]: %s id %u at 0x%llx, %u lines from GSI %u\n", i,
			irqchip_name(ic->type), ic->id, U64(ic->base), ic->lines, ic->gsi_base);
	}
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		show_partition(f, t, &t->parts[i]);

	if (t->n[BH_SECT_LINKS])
		fprintf(f, "\nlinks:\n");
	for (uint32_t i = 0; i < t->n[BH_SECT_LINKS]; i++) {
		const struct bh_link *l = &t->links[i];

		fprintf(f, "  \"%s\": host 0x%llx, %s; peers:", l->name, U64(l->host),
			size_str(l->size, sz, sizeof(sz)));
		for (uint32_t k = 0; k < l->peer_count && k < BH_TABLE_LINK_PEERS_MAX; k++) {
			const struct bh_link_peer *pe = &l->peers[k];
			const struct bh_partition *p = table_find_partition(t, pe->partition_id);

			fprintf(f, "%s %s memory[%u] ", k ? "," : "", p ? p->name : "?",
				pe->region);
			if (pe->vector)
				fprintf(f, "(doorbell vector 0x%x)", pe->vector);
			else
				fprintf(f, "(doorbell: virtual ivshmem PCI function)");
		}
		fprintf(f, "\n");
	}

	rows = owner_rows(t, &nrows);
	fprintf(f, "\nmemory by owner (host-physical):\n");
	for (size_t i = 0; rows && i < nrows; i++) {
		const struct owner_row *r = &rows[i];

		if (r->part < 0) {
			fprintf(f, "  0x%012llx-0x%012llx  %10s  hypervisor\n", U64(r->base),
				U64(r->base + r->size - 1), size_str(r->size, sz, sizeof(sz)));
			continue;
		}
		table_mem_flags_str(table_part_mem(t, &t->parts[r->part])[r->region].flags, buf,
				    sizeof(buf));
		fprintf(f, "  0x%012llx-0x%012llx  %10s  %-12s %s\n", U64(r->base),
			U64(r->base + r->size - 1), size_str(r->size, sz, sizeof(sz)),
			t->parts[r->part].name, buf);
	}
	free(rows);
	fprintf(f, "\ncpus by owner:\n");
	for (uint32_t i = 0; i < t->n[BH_SECT_CPUS]; i++) {
		const struct bh_partition *p = table_owner(t, BH_SECT_CPUS, i);

		fprintf(f, "  %s %llu: %s\n",
			t->platform->arch == BH_ARCH_X86_64 ? "APIC ID" : "MPIDR",
			U64(t->cpus[i].hw_id), p ? p->name : "?");
	}
	return 0;
}

/* ---- SVG ------------------------------------------------------------------- */

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
				       "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };
#define HV_COLOR     "#333333"
#define SHARED_COLOR "#a0a0ff"

static const char *part_color(int part)
{
	return part < 0 ? HV_COLOR
			: palette[(unsigned)part % (sizeof(palette) / sizeof(palette[0]))];
}

static void svg_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* Width of a bar segment: grows with log2 of the size, so 4 KiB and 1 TiB both show. */
static double seg_weight(uint64_t size)
{
	double w = 1;

	while (size > 4096) {
		size >>= 1;
		w += 1;
	}
	return w;
}

int bhtool_svg(const char *path, const struct table_view *t, const char *title)
{
	const double left = 20, width = 960, bar_y = 150, bar_h = 60, row_h = 18;
	size_t nrows = 0;
	struct owner_row *rows = owner_rows(t, &nrows);
	FILE *f = fopen(path, "w");
	double total = 0, x = left;
	double list_y = bar_y + bar_h + 90;
	double height = list_y + row_h * (double)(nrows + 2) + 20;
	char sz[32];

	if (!f || !rows) {
		fprintf(stderr, "error: %s: cannot write the picture\n", path);
		if (f)
			fclose(f);
		free(rows);
		return -1;
	}
	for (size_t i = 0; i < nrows; i++)
		total += seg_weight(rows[i].size);

	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"font-family=\"monospace\" font-size=\"12\">\n",
		left * 2 + width, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%.0f\" y=\"24\" font-size=\"16\">", left);
	svg_text(f, title);
	fprintf(f, ": board ");
	svg_text(f, t->platform->board);
	fprintf(f, "</text>\n");

	/* CPUs: one box each, in table order, coloured by owner */
	fprintf(f, "<text x=\"%.0f\" y=\"52\">CPUs (%s)</text>\n", left,
		t->platform->arch == BH_ARCH_X86_64 ? "APIC ID" : "MPIDR");
	for (uint32_t i = 0; i < t->n[BH_SECT_CPUS]; i++) {
		const struct bh_partition *p = table_owner(t, BH_SECT_CPUS, i);
		int part = p ? (int)(p - t->parts) : 0;
		double cx = left + 60.0 * i;

		fprintf(f, "<rect x=\"%.1f\" y=\"60\" width=\"54\" height=\"40\" fill=\"%s\"/>\n",
			cx, part_color(part));
		fprintf(f, "<text x=\"%.1f\" y=\"85\" fill=\"white\">%llu</text>\n", cx + 6,
			U64(t->cpus[i].hw_id));
	}

	/* legend: partitions, the hypervisor, shared memory; IO regions are paler */
	for (uint32_t i = 0; i <= t->n[BH_SECT_PARTITIONS] + 1; i++) {
		uint32_t np = t->n[BH_SECT_PARTITIONS];
		double lx = left + 60.0 * t->n[BH_SECT_CPUS] + 30 + 160.0 * (i / 3);
		double ly = 58.0 + 16 * (i % 3);

		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			lx, ly,
			i < np	  ? part_color((int)i)
			: i == np ? HV_COLOR
				  : SHARED_COLOR);
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">", lx + 16, ly + 11);
		svg_text(f, i < np ? t->parts[i].name : i == np ? "hypervisor" : "shared (link)");
		fprintf(f, "</text>\n");
	}
	fprintf(f, "<text x=\"%.0f\" y=\"120\" fill=\"#666\">paler: IO (device memory)</text>\n",
		left);

	/* memory: one segment per region, left to right by host address */
	fprintf(f,
		"<text x=\"%.0f\" y=\"%.0f\">memory by host-physical address (widths grow with "
		"log2 of the size)</text>\n",
		left, bar_y - 10);
	for (size_t i = 0; i < nrows; i++) {
		const struct owner_row *r = &rows[i];
		double w = width * seg_weight(r->size) / total;
		bool shared = r->part >= 0 &&
			      (table_part_mem(t, &t->parts[r->part])[r->region].flags &
			       BH_MEM_SHARED);

		bool io = r->part >= 0 &&
			  (table_part_mem(t, &t->parts[r->part])[r->region].flags & BH_MEM_IO);

		fprintf(f,
			"<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
			"fill-opacity=\"%s\" stroke=\"white\"><title>",
			x, bar_y, w, bar_h, shared ? SHARED_COLOR : part_color(r->part),
			io ? "0.45" : "1");
		svg_text(f, r->part < 0 ? "hypervisor" : t->parts[r->part].name);
		fprintf(f, " 0x%llx-0x%llx</title></rect>\n", U64(r->base),
			U64(r->base + r->size - 1));
		fprintf(f,
			"<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" transform=\"rotate(60 %.1f "
			"%.0f)\">0x%llx</text>\n",
			x, bar_y + bar_h + 12, x, bar_y + bar_h + 12, U64(r->base));
		x += w;
	}

	/* the same as a list, with the legend colours */
	for (size_t i = 0; i < nrows; i++) {
		const struct owner_row *r = &rows[i];
		double y = list_y + row_h * (double)i;
		bool shared = r->part >= 0 &&
			      (table_part_mem(t, &t->parts[r->part])[r->region].flags &
			       BH_MEM_SHARED);

		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
			left, y - 11, shared ? SHARED_COLOR : part_color(r->part));
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">0x%012llx-0x%012llx %10s  ", left + 22, y,
			U64(r->base), U64(r->base + r->size - 1),
			size_str(r->size, sz, sizeof(sz)));
		svg_text(f, r->part < 0 ? "hypervisor" : t->parts[r->part].name);
		if (shared)
			fprintf(f, " (shared)");
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
	free(rows);
	if (fclose(f)) {
		fprintf(stderr, "error: %s: write failed\n", path);
		return -1;
	}
	return 0;
}
