// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes a table as a scenario .c file in the style of partitions/ (the
 * macros of scenario.h), so that compiling it gives back the same blob.
 * Used by `draft` and `to-c`.
 */
#include <string.h>

#include "bhtable.h"

#define U64(x) ((unsigned long long)(x))

static void put_cstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Prints the names of bits of flags from names[], " | "-joined, after `lead` (may be NULL). */
static void put_flags(FILE *f, uint32_t flags, const char *lead, const char *const *names,
		      unsigned count)
{
	bool any = false;

	if (lead) {
		fputs(lead, f);
		any = true;
	}
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		if (any)
			fputs(" | ", f);
		if (bit < count && names[bit])
			fputs(names[bit], f);
		else
			fprintf(f, "0x%x", 1u << bit);
		any = true;
	}
	if (!any)
		fputs("0", f);
}

static void put_mem_flags(FILE *f, uint32_t flags)
{
	static const char *const names[] = { "READ", "WRITE",  "EXEC",	       "DMA",
					     "IO",   "SHARED", "NO_HUGEPAGES", "LOADABLE" };
	static const struct {
		uint32_t mask;
		const char *name;
	} combos[] = {
		{ BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_DMA, "RAM" },
		{ BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO, "MMIO" },
		{ BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED, "SHMEM" },
	};

	for (unsigned i = 0; i < sizeof(combos) / sizeof(combos[0]); i++) {
		if ((flags & combos[i].mask) == combos[i].mask) {
			put_flags(f, flags & ~combos[i].mask, combos[i].name, names,
				  sizeof(names) / sizeof(names[0]));
			return;
		}
	}
	put_flags(f, flags, NULL, names, sizeof(names) / sizeof(names[0]));
}

static void put_part_flags(FILE *f, uint32_t flags)
{
	static const char *const names[] = { "ROOT", "RT", "RESTARTABLE", "VIRTUAL_CONSOLE" };

	put_flags(f, flags, NULL, names, sizeof(names) / sizeof(names[0]));
}

static void put_cfg(FILE *f, uint32_t cfg)
{
	static const char *const names[] = { "CFG_COMMAND", "CFG_BARS", "CFG_ROM", "CFG_MSI",
					     "CFG_MSIX",    "CFG_CAPS", "CFG_EXT" };

	if ((cfg & BH_PCI_CFG_W_ALL) == BH_PCI_CFG_W_ALL)
		put_flags(f, cfg & ~BH_PCI_CFG_W_ALL, "CFG_ALL", names, 0);
	else if ((cfg & BH_PCI_CFG_W_DEFAULT) == BH_PCI_CFG_W_DEFAULT)
		put_flags(f, cfg & ~BH_PCI_CFG_W_DEFAULT, "CFG_DEFAULT", names,
			  sizeof(names) / sizeof(names[0]));
	else
		put_flags(f, cfg, NULL, names, sizeof(names) / sizeof(names[0]));
}

static void put_console(FILE *f, const struct bh_console *c)
{
	if (c->type == BH_CONSOLE_NONE && !c->base && !c->baud && !c->reg_width)
		fprintf(f, "NO_CONSOLE");
	else if (c->type == BH_CONSOLE_UART_8250_IO && !c->reg_width)
		fprintf(f, "UART_IO(0x%llx, %u)", U64(c->base), c->baud);
	else if (c->type == BH_CONSOLE_UART_8250_MMIO)
		fprintf(f, "UART_MMIO(0x%llx, %u, %u)", U64(c->base), c->reg_width, c->baud);
	else if (c->type == BH_CONSOLE_PL011 && c->reg_width == 4)
		fprintf(f, "PL011(0x%llx, %u)", U64(c->base), c->baud);
	else
		fprintf(f, "{ .type = %u, .base = 0x%llx, .reg_width = %u, .baud = %u }", c->type,
			U64(c->base), c->reg_width, c->baud);
}

static void put_platform(FILE *f, const struct table_view *t)
{
	const struct bh_platform *pl = t->platform;

	fprintf(f, "\t.platform = {\n\t\t.board = ");
	put_cstr(f, pl->board);
	fprintf(f, ",\n\t\t.arch = %s,\n",
		pl->arch == BH_ARCH_ARM64 ? "BH_ARCH_ARM64" : "BH_ARCH_X86_64");
	fprintf(f, "\t\t.hv_base = 0x%llx,\n\t\t.hv_size = 0x%llx,\n", U64(pl->hv_base),
		U64(pl->hv_size));
	fprintf(f, "\t\t.console = ");
	put_console(f, &pl->console);
	fprintf(f, ",\n");
	if (t->n[BH_SECT_MMCONFIG]) {
		fprintf(f, "\t\tMMCONFIG(");
		for (uint32_t i = 0; i < t->n[BH_SECT_MMCONFIG]; i++) {
			const struct bh_mmconfig *m = &t->mmcfg[i];

			fprintf(f, "%sMMCFG(0x%llx, %u, %u, %u)", i ? ",\n\t\t\t " : "",
				U64(m->base), m->segment, m->bus_start, m->bus_end);
		}
		fprintf(f, "),\n");
	}
	if (t->n[BH_SECT_IOMMUS]) {
		fprintf(f, "\t\tIOMMUS(");
		for (uint32_t i = 0; i < t->n[BH_SECT_IOMMUS]; i++) {
			const struct bh_iommu *u = &t->iommus[i];

			fprintf(f, "%s", i ? ",\n\t\t       " : "");
			if (u->type == BH_IOMMU_VTD)
				fprintf(f, "VTD(0x%llx, 0x%llx, %u)", U64(u->base), U64(u->size),
					u->segment);
			else if (u->type == BH_IOMMU_AMDVI)
				fprintf(f, "AMDVI(0x%llx, 0x%llx, %u, 0x%x)", U64(u->base),
					U64(u->size), u->segment, u->bdf);
			else
				fprintf(f,
					"{ .type = %u, .base = 0x%llx, .size = 0x%llx, .segment = "
					"%u, .bdf = 0x%x }",
					u->type, U64(u->base), U64(u->size), u->segment, u->bdf);
		}
		fprintf(f, "),\n");
	}
	if (t->n[BH_SECT_IRQCHIPS]) {
		fprintf(f, "\t\tIRQCHIPS(");
		for (uint32_t i = 0; i < t->n[BH_SECT_IRQCHIPS]; i++) {
			const struct bh_irqchip *ic = &t->irqchips[i];

			fprintf(f, "%s", i ? ",\n\t\t\t " : "");
			if (ic->type == BH_IRQCHIP_IOAPIC && ic->size == 0x1000)
				fprintf(f, "IOAPIC(%u, 0x%llx, %u, %u)", ic->id, U64(ic->base),
					ic->gsi_base, ic->lines);
			else
				fprintf(f,
					"{ .type = %u, .id = %u, .base = 0x%llx, .size = 0x%llx, "
					".gsi_base = %u, .lines = %u }",
					ic->type, ic->id, U64(ic->base), U64(ic->size),
					ic->gsi_base, ic->lines);
		}
		fprintf(f, "),\n");
	}
	fprintf(f, "\t},\n");
}

static void put_image(FILE *f, const struct bh_image *im)
{
	bool plain = !im->flags && !im->load_address && !im->entry;

	fprintf(f, "\t\t\t.image = ");
	if (plain && (im->format == BH_IMAGE_BZIMAGE || im->format == BH_IMAGE_ARM64_IMAGE)) {
		fprintf(f, "%s(", im->format == BH_IMAGE_BZIMAGE ? "BZIMAGE" : "ARM64_IMAGE");
		put_cstr(f, im->tag);
		fprintf(f, ", ");
		put_cstr(f, im->initrd_tag);
		fprintf(f, ", ");
		put_cstr(f, im->cmdline);
		fprintf(f, "),\n");
	} else if (plain && im->format == BH_IMAGE_ELF64 && !im->initrd_tag[0]) {
		fprintf(f, "ELF64(");
		put_cstr(f, im->tag);
		fprintf(f, ", ");
		put_cstr(f, im->cmdline);
		fprintf(f, "),\n");
	} else {
		fprintf(f, "{\n\t\t\t\t.format = %u,\n\t\t\t\t.flags = 0x%x,\n", im->format,
			im->flags);
		fprintf(f, "\t\t\t\t.load_address = 0x%llx,\n\t\t\t\t.entry = 0x%llx,\n",
			U64(im->load_address), U64(im->entry));
		fprintf(f, "\t\t\t\t.tag = ");
		put_cstr(f, im->tag);
		fprintf(f, ",\n\t\t\t\t.initrd_tag = ");
		put_cstr(f, im->initrd_tag);
		fprintf(f, ",\n\t\t\t\t.cmdline = ");
		put_cstr(f, im->cmdline);
		fprintf(f, ",\n\t\t\t},\n");
	}
}

static void put_pci(FILE *f, const struct bh_pci_device *d)
{
	bool windows = false;

	for (unsigned w = 0; w < BH_TABLE_PCI_WINDOWS; w++)
		windows |= d->windows[w].offset || d->windows[w].size;
	if (!windows) {
		fprintf(f, "PCI(%u, 0x%02x, 0x%02x, %u, ", d->segment, d->bus, d->devfn >> 3,
			d->devfn & 7);
		put_cfg(f, d->cfg_write);
		fprintf(f, ")");
		return;
	}
	fprintf(f,
		"{ .segment = %u, .bus = 0x%02x, .devfn = BH_PCI_DEVFN(0x%02x, %u), .cfg_write = ",
		d->segment, d->bus, d->devfn >> 3, d->devfn & 7);
	put_cfg(f, d->cfg_write);
	fprintf(f, ", .windows = {");
	for (unsigned w = 0; w < BH_TABLE_PCI_WINDOWS; w++)
		fprintf(f, "%s { 0x%x, 0x%x }", w ? "," : "", d->windows[w].offset,
			d->windows[w].size);
	fprintf(f, " } }");
}

static void put_partition(FILE *f, const struct table_view *t, const struct bh_partition *p,
			  const struct bhtool_notes *notes)
{
	fprintf(f, "\t\t{\n\t\t\t.name = ");
	put_cstr(f, p->name);
	fprintf(f, ",\n\t\t\t.id = %u,\n\t\t\t.flags = ", p->id);
	put_part_flags(f, p->flags);
	fprintf(f, ",\n\t\t\t.fault_policy = %s,\n",
		p->fault_policy == BH_FAULT_RESTART ? "FAULT_RESTART" : "FAULT_STOP");
	if (p->cpus.count) {
		const struct bh_cpu *c = table_part_cpus(t, p);

		fprintf(f, "\t\t\tCPUS(");
		for (uint32_t i = 0; i < p->cpus.count; i++)
			fprintf(f, "%s%llu", i ? ", " : "", U64(c[i].hw_id));
		fprintf(f, "),\n");
	}
	if (p->memory.count) {
		const struct bh_mem_region *m = table_part_mem(t, p);

		fprintf(f, "\t\t\tMEMORY(");
		for (uint32_t i = 0; i < p->memory.count; i++) {
			const char *text = notes && notes->region ? notes->region(notes->ctx, &m[i])
								  : NULL;

			fprintf(f, "\n\t\t\t\tMEM(0x%llx, 0x%llx, 0x%llx, ", U64(m[i].host),
				U64(m[i].guest), U64(m[i].size));
			put_mem_flags(f, m[i].flags);
			fprintf(f, ")%s", i + 1 < p->memory.count ? "," : "),");
			if (text && *text)
				fprintf(f, " /* %s */", text);
		}
		fprintf(f, "\n");
	}
	if (p->pci.count) {
		const struct bh_pci_device *d = table_part_pci(t, p);

		fprintf(f, "\t\t\tPCI_DEVICES(");
		for (uint32_t i = 0; i < p->pci.count; i++) {
			const char *text = notes && notes->pci ? notes->pci(notes->ctx, &d[i])
							       : NULL;

			fprintf(f, "\n\t\t\t\t");
			put_pci(f, &d[i]);
			fprintf(f, "%s", i + 1 < p->pci.count ? "," : "),");
			if (text && *text)
				fprintf(f, " /* %s */", text);
		}
		fprintf(f, "\n");
	}
	if (p->pio.count) {
		const struct bh_pio_range *r = table_part_pio(t, p);

		fprintf(f, "\t\t\tPORTS(");
		for (uint32_t i = 0; i < p->pio.count; i++)
			fprintf(f, "%sPIO(0x%04x, 0x%x)", i ? ", " : "", r[i].base, r[i].size);
		fprintf(f, "),\n");
	}
	if (p->irqs.count) {
		const struct bh_irq_range *r = table_part_irqs(t, p);

		fprintf(f, "\t\t\tIRQS(");
		for (uint32_t i = 0; i < p->irqs.count; i++)
			fprintf(f, "%sPINS(%u, %u, %u)", i ? ", " : "", r[i].chip, r[i].first,
				r[i].count);
		fprintf(f, "),\n");
	}
	put_image(f, &p->image);
	fprintf(f, "\t\t}");
}

static void put_links(FILE *f, const struct table_view *t)
{
	fprintf(f, "\tLINKS(");
	for (uint32_t i = 0; i < t->n[BH_SECT_LINKS]; i++) {
		const struct bh_link *l = &t->links[i];
		uint32_t n = l->peer_count < BH_TABLE_LINK_PEERS_MAX ? l->peer_count
								     : BH_TABLE_LINK_PEERS_MAX;

		fprintf(f, "\n\t\tLINK(");
		put_cstr(f, l->name);
		fprintf(f, ", 0x%llx, 0x%llx", U64(l->host), U64(l->size));
		for (uint32_t k = 0; k < n; k++) {
			const struct bh_link_peer *pe = &l->peers[k];
			const struct bh_partition *p = table_find_partition(t, pe->partition_id);

			if (p) {
				fprintf(f, ", PEER(");
				put_cstr(f, p->name);
				fprintf(f, ", 0x%x)", pe->vector);
			} else {
				fprintf(f, ", { .partition_id = %u, .region = %u, .vector = 0x%x }",
					pe->partition_id, pe->region, pe->vector);
			}
		}
		fprintf(f, ")%s", i + 1 < t->n[BH_SECT_LINKS] ? "," : "),\n");
	}
}

void bhtool_print_c(FILE *f, const struct table_view *t, const char *heading,
		    const struct bhtool_notes *notes)
{
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0-only\n/*\n");
	for (const char *s = heading; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		fprintf(f, " *%s%.*s\n", len ? " " : "", (int)len, s);
		s += len + (nl ? 1 : 0);
	}
	fprintf(f, " */\n#include \"scenario.h\"\n\nBH_SCENARIO = {\n");
	put_platform(f, t);
	fprintf(f, "\tPARTITIONS(\n");
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++) {
		put_partition(f, t, &t->parts[i], notes);
		fprintf(f, "%s\n", i + 1 < t->n[BH_SECT_PARTITIONS] ? "," : "),");
	}
	if (t->n[BH_SECT_LINKS])
		put_links(f, t);
	fprintf(f, "};\n");
}
