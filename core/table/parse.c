// SPDX-License-Identifier: GPL-2.0-only
/* Structural checks of a table blob (header, CRC, sections, index ranges, strings) and the view over it. */
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "internal.h"

const uint32_t table_entry_size[BH_SECT_COUNT] = {
	[BH_SECT_PLATFORM] = sizeof(struct bh_platform),
	[BH_SECT_PARTITIONS] = sizeof(struct bh_partition),
	[BH_SECT_MEMORY] = sizeof(struct bh_mem_region),
	[BH_SECT_CPUS] = sizeof(struct bh_cpu),
	[BH_SECT_PCI] = sizeof(struct bh_pci_device),
	[BH_SECT_PIO] = sizeof(struct bh_pio_range),
	[BH_SECT_IRQS] = sizeof(struct bh_irq_range),
	[BH_SECT_LINKS] = sizeof(struct bh_link),
	[BH_SECT_MMCONFIG] = sizeof(struct bh_mmconfig),
	[BH_SECT_IOMMUS] = sizeof(struct bh_iommu),
	[BH_SECT_IRQCHIPS] = sizeof(struct bh_irqchip),
};

/* Most records a section may hold (0: limited by the blob's size only). */
static const uint32_t sect_max[BH_SECT_COUNT] = {
	[BH_SECT_PLATFORM] = 1,
	[BH_SECT_PARTITIONS] = BH_TABLE_PARTITIONS_MAX,
	[BH_SECT_MMCONFIG] = BH_TABLE_MMCONFIG_MAX,
	[BH_SECT_IOMMUS] = BH_TABLE_IOMMUS_MAX,
	[BH_SECT_IRQCHIPS] = BH_TABLE_IRQCHIPS_MAX,
};

/* The sections a partition refers to by index range, in struct bh_partition order. */
static const unsigned part_sects[] = { BH_SECT_CPUS, BH_SECT_MEMORY, BH_SECT_PCI, BH_SECT_PIO,
				       BH_SECT_IRQS };

const struct bh_index_range *table_part_range(const struct bh_partition *p, unsigned sect)
{
	switch (sect) {
	case BH_SECT_CPUS:
		return &p->cpus;
	case BH_SECT_MEMORY:
		return &p->memory;
	case BH_SECT_PCI:
		return &p->pci;
	case BH_SECT_PIO:
		return &p->pio;
	case BH_SECT_IRQS:
		return &p->irqs;
	default:
		return NULL;
	}
}

enum str_problem {
	STR_OK = 0,
	STR_UNTERMINATED,
	STR_EMPTY,
	STR_UNPRINTABLE,
};

/*
 * Strings from the blob end up in log lines, so besides the NUL we insist on
 * printable ASCII: a name must not be able to forge or garble a message.
 */
static enum str_problem check_str(const char *s, size_t max, bool need_text, size_t *bad_at)
{
	size_t len = strnlen(s, max);

	if (len == max)
		return STR_UNTERMINATED;
	if (need_text && len == 0)
		return STR_EMPTY;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e) {
			*bad_at = i;
			return STR_UNPRINTABLE;
		}
	}
	return STR_OK;
}

/* Logs a string problem; `what` names the string's owner and field. */
static int str_field(const char *s, size_t max, bool need_text, const char *what)
{
	size_t at = 0;

	switch (check_str(s, max, need_text, &at)) {
	case STR_OK:
		return 0;
	case STR_UNTERMINATED:
		pr_err("table: %s is not NUL-terminated within its %zu bytes", what, max);
		break;
	case STR_EMPTY:
		pr_err("table: %s is empty", what);
		break;
	case STR_UNPRINTABLE:
		pr_err("table: %s has byte 0x%02x at offset %zu (only printable ASCII is allowed)",
		       what, (unsigned char)s[at], at);
		break;
	}
	return -HV_EINVAL;
}

static int parse_header(const struct bh_table_header *h, size_t size)
{
	uint32_t crc;

	if (h->magic != BH_TABLE_MAGIC) {
		pr_err("table: bad magic 0x%016llx, expected 0x%016llx (\"BHTABLE\")",
		       (unsigned long long)h->magic, (unsigned long long)BH_TABLE_MAGIC);
		return -HV_EINVAL;
	}
	if (h->abi_version != BH_TABLE_ABI_VERSION) {
		pr_err("table: ABI version %u is not supported (this build reads version %u)",
		       h->abi_version, BH_TABLE_ABI_VERSION);
		return -HV_EINVAL;
	}
	if (h->header_size != sizeof(*h)) {
		pr_err("table: header_size %u, expected %zu", h->header_size, sizeof(*h));
		return -HV_EINVAL;
	}
	if (h->total_size < sizeof(*h) || h->total_size > size) {
		pr_err("table: total_size %u is outside %zu..%zu (the header and the blob's size)",
		       h->total_size, sizeof(*h), size);
		return -HV_EINVAL;
	}
	crc = table_blob_crc(h, h->total_size);
	if (crc != h->crc32) {
		pr_err("table: CRC32 0x%08x in the header does not match the blob's 0x%08x",
		       h->crc32, crc);
		return -HV_EBADMSG;
	}
	if (h->flags) {
		pr_err("table: header flags 0x%x has unknown bits 0x%x", h->flags, h->flags);
		return -HV_EINVAL;
	}
	if (h->section_count != BH_SECT_COUNT) {
		pr_err("table: section_count %u, expected %u", h->section_count, BH_SECT_COUNT);
		return -HV_EINVAL;
	}
	return 0;
}

static int parse_sections(const struct bh_table_header *h)
{
	unsigned order[BH_SECT_COUNT], n = 0;

	for (unsigned i = 0; i < BH_SECT_COUNT; i++) {
		const struct bh_table_section *s = &h->sections[i];
		const char *name = table_section_name(i);
		uint64_t end = (uint64_t)s->offset + (uint64_t)s->count * s->entry_size;

		if (s->entry_size != table_entry_size[i]) {
			pr_err("table: section %s: entry_size %u, expected %u", name, s->entry_size,
			       table_entry_size[i]);
			return -HV_EINVAL;
		}
		if (s->reserved) {
			pr_err("table: section %s: reserved field is 0x%x, must be 0", name,
			       s->reserved);
			return -HV_EINVAL;
		}
		if (s->offset % BH_TABLE_ALIGN) {
			pr_err("table: section %s: offset 0x%x is not a multiple of %u", name,
			       s->offset, BH_TABLE_ALIGN);
			return -HV_EINVAL;
		}
		if (s->count && s->offset < h->header_size) {
			pr_err("table: section %s: offset 0x%x lies inside the header", name,
			       s->offset);
			return -HV_EINVAL;
		}
		if (end > h->total_size) {
			pr_err("table: section %s: %u entries at offset 0x%x end at 0x%llx, past "
			       "total_size 0x%x",
			       name, s->count, s->offset, (unsigned long long)end, h->total_size);
			return -HV_EINVAL;
		}
		if (sect_max[i] && s->count > sect_max[i]) {
			pr_err("table: section %s: %u entries, at most %u allowed", name, s->count,
			       sect_max[i]);
			return -HV_EINVAL;
		}
		if (s->count) {
			/* insertion sort by offset: eleven entries at most */
			unsigned j = n++;

			while (j > 0 && h->sections[order[j - 1]].offset > s->offset) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = i;
		}
	}
	for (unsigned k = 1; k < n; k++) {
		const struct bh_table_section *a = &h->sections[order[k - 1]];
		const struct bh_table_section *b = &h->sections[order[k]];

		if ((uint64_t)a->offset + (uint64_t)a->count * a->entry_size > b->offset) {
			pr_err("table: section %s at 0x%x overlaps section %s at 0x%x",
			       table_section_name(order[k]), b->offset,
			       table_section_name(order[k - 1]), a->offset);
			return -HV_EINVAL;
		}
	}
	if (h->sections[BH_SECT_PLATFORM].count != 1) {
		pr_err("table: section platform has %u entries, expected 1",
		       h->sections[BH_SECT_PLATFORM].count);
		return -HV_EINVAL;
	}
	if (h->sections[BH_SECT_PARTITIONS].count == 0) {
		pr_err("table: there are no partitions");
		return -HV_EINVAL;
	}
	return 0;
}

static int parse_partition(struct table_view *t, uint32_t i, uint32_t next[BH_SECT_COUNT])
{
	const struct bh_partition *p = &t->parts[i];
	char what[96];

	snprintf(what, sizeof(what), "partition[%u] name", i);
	if (str_field(p->name, sizeof(p->name), true, what))
		return -HV_EINVAL;
	snprintf(what, sizeof(what), "partition \"%s\" (id %u): image tag", p->name, p->id);
	if (str_field(p->image.tag, sizeof(p->image.tag), false, what))
		return -HV_EINVAL;
	snprintf(what, sizeof(what), "partition \"%s\" (id %u): image initrd_tag", p->name, p->id);
	if (str_field(p->image.initrd_tag, sizeof(p->image.initrd_tag), false, what))
		return -HV_EINVAL;
	snprintf(what, sizeof(what), "partition \"%s\" (id %u): image cmdline", p->name, p->id);
	if (str_field(p->image.cmdline, sizeof(p->image.cmdline), false, what))
		return -HV_EINVAL;

	for (unsigned k = 0; k < ARRAY_SIZE(part_sects); k++) {
		unsigned sect = part_sects[k];
		const struct bh_index_range *r = table_part_range(p, sect);

		if ((uint64_t)r->first + r->count > t->n[sect]) {
			pr_err("table: partition \"%s\" (id %u): %s range first %u count %u "
			       "exceeds the %u records of section %s",
			       p->name, p->id, table_section_name(sect), r->first, r->count,
			       t->n[sect], table_section_name(sect));
			return -HV_EINVAL;
		}
		/* ranges follow each other, so every record has exactly one owner */
		if (r->first != next[sect]) {
			pr_err("table: partition \"%s\" (id %u): %s range starts at %u, expected "
			       "%u (where the previous partition's ends)",
			       p->name, p->id, table_section_name(sect), r->first, next[sect]);
			return -HV_EINVAL;
		}
		next[sect] += r->count;
	}
	return 0;
}

/* Fills t from a blob whose header and sections were checked already. */
static void view_at(struct table_view *t, const void *blob)
{
	const struct bh_table_header *h = blob;

	t->blob = blob;
	t->size = h->total_size;
	t->hdr = h;
	for (unsigned i = 0; i < BH_SECT_COUNT; i++)
		t->n[i] = h->sections[i].count;
#define SECT_PTR(sect) ((const void *)(t->blob + h->sections[sect].offset))
	t->platform = SECT_PTR(BH_SECT_PLATFORM);
	t->parts = SECT_PTR(BH_SECT_PARTITIONS);
	t->mem = SECT_PTR(BH_SECT_MEMORY);
	t->cpus = SECT_PTR(BH_SECT_CPUS);
	t->pci = SECT_PTR(BH_SECT_PCI);
	t->pio = SECT_PTR(BH_SECT_PIO);
	t->irqs = SECT_PTR(BH_SECT_IRQS);
	t->links = SECT_PTR(BH_SECT_LINKS);
	t->mmcfg = SECT_PTR(BH_SECT_MMCONFIG);
	t->iommus = SECT_PTR(BH_SECT_IOMMUS);
	t->irqchips = SECT_PTR(BH_SECT_IRQCHIPS);
#undef SECT_PTR
}

void table_move(struct table_view *t, void *to)
{
	memcpy(to, t->blob, t->size);
	view_at(t, to);
}

int table_parse(struct table_view *t, const void *blob, size_t size)
{
	const struct bh_table_header *h = blob;
	uint32_t next[BH_SECT_COUNT] = { 0 };
	char what[96];
	int err;

	memset(t, 0, sizeof(*t));
	if (!blob || size < sizeof(*h)) {
		pr_err("table: blob of %zu bytes is smaller than the %zu-byte header",
		       blob ? size : 0, sizeof(*h));
		return -HV_EINVAL;
	}
	if ((uintptr_t)blob % BH_TABLE_ALIGN) {
		pr_err("table: blob at %p is not %u-byte aligned", blob, BH_TABLE_ALIGN);
		return -HV_EINVAL;
	}
	err = parse_header(h, size);
	if (err)
		return err;
	err = parse_sections(h);
	if (err)
		return err;

	view_at(t, blob);
	err = str_field(t->platform->board, sizeof(t->platform->board), true, "platform board");
	for (uint32_t i = 0; !err && i < t->n[BH_SECT_PARTITIONS]; i++)
		err = parse_partition(t, i, next);
	for (unsigned k = 0; !err && k < ARRAY_SIZE(part_sects); k++) {
		unsigned sect = part_sects[k];

		if (next[sect] != t->n[sect]) {
			pr_err("table: section %s: records %u..%u belong to no partition",
			       table_section_name(sect), next[sect], t->n[sect] - 1);
			err = -HV_EINVAL;
		}
	}
	for (uint32_t i = 0; !err && i < t->n[BH_SECT_LINKS]; i++) {
		snprintf(what, sizeof(what), "link[%u] name", i);
		err = str_field(t->links[i].name, sizeof(t->links[i].name), true, what);
	}
	if (err) {
		memset(t, 0, sizeof(*t));
		return err;
	}
	return 0;
}

int table_load(struct table_view *t, const void *blob, size_t size, void *scratch,
	       size_t scratch_size)
{
	int err = table_parse(t, blob, size);

	if (err)
		return err;
	return table_validate(t, scratch, scratch_size);
}

const struct bh_partition *table_find_partition(const struct table_view *t, uint32_t id)
{
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		if (t->parts[i].id == id)
			return &t->parts[i];
	return NULL;
}

const struct bh_partition *table_root(const struct table_view *t)
{
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		if (t->parts[i].flags & BH_PART_ROOT)
			return &t->parts[i];
	return NULL;
}

const struct bh_partition *table_owner(const struct table_view *t, unsigned sect, uint32_t idx)
{
	uint32_t lo = 0, hi = t->n[BH_SECT_PARTITIONS];

	if (sect != BH_SECT_CPUS && sect != BH_SECT_MEMORY && sect != BH_SECT_PCI &&
	    sect != BH_SECT_PIO && sect != BH_SECT_IRQS)
		return NULL;
	if (idx >= t->n[sect])
		return NULL;
	/*
	 * Ranges follow each other (table_parse), so the owner is the last
	 * partition whose range starts at or before idx.
	 */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (table_part_range(&t->parts[mid], sect)->first <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return &t->parts[lo];
}
