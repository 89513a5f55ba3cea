// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emitter: lays out a position-independent table blob from a struct
 * table_desc (the readable form scenario files are written in). It resolves
 * link peers by partition name and computes the CRC; judging the result is
 * left to table_validate(), so that a bad scenario gets the validator's
 * messages.
 */
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "internal.h"

uint64_t table_layout(struct bh_table_header *h, const uint32_t count[BH_SECT_COUNT])
{
	uint64_t off = sizeof(*h);

	memset(h, 0, sizeof(*h));
	h->magic = BH_TABLE_MAGIC;
	h->abi_version = BH_TABLE_ABI_VERSION;
	h->header_size = sizeof(*h);
	h->section_count = BH_SECT_COUNT;
	for (unsigned i = 0; i < BH_SECT_COUNT; i++) {
		off = ALIGN_UP(off, (uint64_t)BH_TABLE_ALIGN);
		if (off > UINT32_MAX)
			return UINT64_MAX;
		h->sections[i].offset = (uint32_t)off;
		h->sections[i].count = count[i];
		h->sections[i].entry_size = table_entry_size[i];
		off += (uint64_t)count[i] * table_entry_size[i];
	}
	if (off > UINT32_MAX)
		return UINT64_MAX;
	h->total_size = (uint32_t)off;
	return off;
}

/* Copies s into a fixed field; logs and fails when it does not fit. */
static int put_str(char *dst, size_t max, const char *s, const char *what, const char *owner)
{
	size_t len;

	if (!s)
		s = "";
	len = strlen(s);
	if (len >= max) {
		pr_err("table: emit: %s%s \"%.40s...\" has %zu characters, at most %zu fit", owner,
		       what, s, len, max - 1);
		return -HV_E2BIG;
	}
	memcpy(dst, s, len);
	return 0;
}

/* Sums counts into *total; false when the sum leaves 32 bits. */
static bool add_count(uint32_t *total, uint32_t n)
{
	if (*total + (uint64_t)n > UINT32_MAX)
		return false;
	*total += n;
	return true;
}

static int count_records(const struct table_desc *d, uint32_t count[BH_SECT_COUNT])
{
	count[BH_SECT_PLATFORM] = 1;
	count[BH_SECT_PARTITIONS] = d->partition_count;
	count[BH_SECT_LINKS] = d->link_count;
	count[BH_SECT_MMCONFIG] = d->platform.mmconfig_count;
	count[BH_SECT_IOMMUS] = d->platform.iommu_count;
	count[BH_SECT_IRQCHIPS] = d->platform.irqchip_count;
	for (uint32_t i = 0; i < d->partition_count; i++) {
		const struct table_desc_partition *p = &d->partitions[i];

		if (!add_count(&count[BH_SECT_CPUS], p->cpu_count) ||
		    !add_count(&count[BH_SECT_MEMORY], p->memory_count) ||
		    !add_count(&count[BH_SECT_PCI], p->pci_count) ||
		    !add_count(&count[BH_SECT_PIO], p->pio_count) ||
		    !add_count(&count[BH_SECT_IRQS], p->irq_count)) {
			pr_err("table: emit: more than 2^32 records in a section");
			return -HV_E2BIG;
		}
	}
	return 0;
}

static int put_partition(const struct table_desc_partition *dp, struct bh_partition *p,
			 uint32_t next[BH_SECT_COUNT])
{
	char owner[BH_TABLE_NAME_MAX + 32];
	int err;

	snprintf(owner, sizeof(owner), "partition \"%.31s\" ", dp->name ? dp->name : "");
	err = put_str(p->name, sizeof(p->name), dp->name, "name", owner);
	err = err ?: put_str(p->image.tag, sizeof(p->image.tag), dp->image.tag, "image tag", owner);
	err = err
		      ?: put_str(p->image.initrd_tag, sizeof(p->image.initrd_tag),
				 dp->image.initrd_tag, "image initrd_tag", owner);
	err = err
		      ?: put_str(p->image.cmdline, sizeof(p->image.cmdline), dp->image.cmdline,
				 "image cmdline", owner);
	if (err)
		return err;
	p->id = dp->id;
	p->flags = dp->flags;
	p->fault_policy = dp->fault_policy;
	p->cpus = (struct bh_index_range){ next[BH_SECT_CPUS], dp->cpu_count };
	p->memory = (struct bh_index_range){ next[BH_SECT_MEMORY], dp->memory_count };
	p->pci = (struct bh_index_range){ next[BH_SECT_PCI], dp->pci_count };
	p->pio = (struct bh_index_range){ next[BH_SECT_PIO], dp->pio_count };
	p->irqs = (struct bh_index_range){ next[BH_SECT_IRQS], dp->irq_count };
	next[BH_SECT_CPUS] += dp->cpu_count;
	next[BH_SECT_MEMORY] += dp->memory_count;
	next[BH_SECT_PCI] += dp->pci_count;
	next[BH_SECT_PIO] += dp->pio_count;
	next[BH_SECT_IRQS] += dp->irq_count;
	p->image.format = dp->image.format;
	p->image.flags = dp->image.flags;
	p->image.load_address = dp->image.load_address;
	p->image.entry = dp->image.entry;
	return 0;
}

/* Resolves a peer given by partition name to its id and SHARED region index. */
static void put_peer(const struct table_desc *d, const struct table_desc_link *dl, uint32_t k,
		     struct bh_link_peer *pe)
{
	const struct table_desc_peer *dpe = &dl->peers[k];
	const struct table_desc_partition *dp = NULL;

	pe->vector = dpe->vector;
	pe->flags = dpe->flags;
	if (!dpe->partition) {
		pe->partition_id = dpe->partition_id;
		pe->region = dpe->region;
		return;
	}
	pe->partition_id = BH_TABLE_NONE;
	pe->region = BH_TABLE_NONE;
	for (uint32_t i = 0; i < d->partition_count && !dp; i++)
		if (d->partitions[i].name && !strcmp(d->partitions[i].name, dpe->partition))
			dp = &d->partitions[i];
	if (!dp) {
		pr_warn("table: emit: link \"%s\" peer[%u] names partition \"%s\", which the table "
			"does not have",
			dl->name ? dl->name : "", k, dpe->partition);
		return;
	}
	pe->partition_id = dp->id;
	for (uint32_t j = 0; j < dp->memory_count; j++) {
		const struct bh_mem_region *r = &dp->memory[j];

		if ((r->flags & BH_MEM_SHARED) && r->host == dl->host && r->size == dl->size) {
			pe->region = j;
			return;
		}
	}
	pr_warn("table: emit: link \"%s\" peer[%u]: partition \"%s\" has no SHARED region at host "
		"0x%llx size 0x%llx",
		dl->name ? dl->name : "", k, dpe->partition, (unsigned long long)dl->host,
		(unsigned long long)dl->size);
}

static int put_link(const struct table_desc *d, const struct table_desc_link *dl, struct bh_link *l)
{
	int err = put_str(l->name, sizeof(l->name), dl->name, "name", "link ");

	if (err)
		return err;
	l->host = dl->host;
	l->size = dl->size;
	l->flags = dl->flags;
	l->peer_count = dl->peer_count;
	for (uint32_t k = 0; k < dl->peer_count && k < BH_TABLE_LINK_PEERS_MAX; k++)
		put_peer(d, dl, k, &l->peers[k]);
	return 0;
}

int table_emit(const struct table_desc *d, void *buf, size_t size, size_t *out_size)
{
	uint32_t count[BH_SECT_COUNT] = { 0 }, next[BH_SECT_COUNT] = { 0 };
	struct bh_table_header h;
	uint8_t *b = buf;
	uint64_t total;
	struct bh_platform *pl;
	struct bh_partition *parts;
	int err;

	*out_size = 0;
	err = count_records(d, count);
	if (err)
		return err;
	total = table_layout(&h, count);
	if (total == UINT64_MAX) {
		pr_err("table: emit: the blob would exceed 4 GiB");
		return -HV_E2BIG;
	}
	*out_size = (size_t)total;
	if (!buf || size < total)
		return -HV_ENOSPC;
	if ((uintptr_t)buf % BH_TABLE_ALIGN)
		return -HV_EINVAL;
	memset(b, 0, (size_t)total);
	memcpy(b, &h, sizeof(h));

#define SECT(s) (b + h.sections[s].offset)
	pl = (struct bh_platform *)SECT(BH_SECT_PLATFORM);
	err = put_str(pl->board, sizeof(pl->board), d->platform.board, "board", "platform ");
	if (err)
		return err;
	pl->arch = d->platform.arch;
	pl->flags = d->platform.flags;
	pl->hv_base = d->platform.hv_base;
	pl->hv_size = d->platform.hv_size;
	pl->console = d->platform.console;
	if (count[BH_SECT_MMCONFIG])
		memcpy(SECT(BH_SECT_MMCONFIG), d->platform.mmconfig,
		       count[BH_SECT_MMCONFIG] * sizeof(struct bh_mmconfig));
	if (count[BH_SECT_IOMMUS])
		memcpy(SECT(BH_SECT_IOMMUS), d->platform.iommus,
		       count[BH_SECT_IOMMUS] * sizeof(struct bh_iommu));
	if (count[BH_SECT_IRQCHIPS])
		memcpy(SECT(BH_SECT_IRQCHIPS), d->platform.irqchips,
		       count[BH_SECT_IRQCHIPS] * sizeof(struct bh_irqchip));

	parts = (struct bh_partition *)SECT(BH_SECT_PARTITIONS);
	for (uint32_t i = 0; i < d->partition_count; i++) {
		const struct table_desc_partition *dp = &d->partitions[i];
		struct bh_cpu *cpus = (struct bh_cpu *)SECT(BH_SECT_CPUS) + next[BH_SECT_CPUS];
		uint8_t *mem = SECT(BH_SECT_MEMORY) +
			       next[BH_SECT_MEMORY] * sizeof(struct bh_mem_region);
		uint8_t *pci = SECT(BH_SECT_PCI) + next[BH_SECT_PCI] * sizeof(struct bh_pci_device);
		uint8_t *pio = SECT(BH_SECT_PIO) + next[BH_SECT_PIO] * sizeof(struct bh_pio_range);
		uint8_t *irq = SECT(BH_SECT_IRQS) +
			       next[BH_SECT_IRQS] * sizeof(struct bh_irq_range);

		err = put_partition(dp, &parts[i], next);
		if (err)
			return err;
		for (uint32_t k = 0; k < dp->cpu_count; k++)
			cpus[k].hw_id = dp->cpus[k];
		if (dp->memory_count)
			memcpy(mem, dp->memory, dp->memory_count * sizeof(struct bh_mem_region));
		if (dp->pci_count)
			memcpy(pci, dp->pci, dp->pci_count * sizeof(struct bh_pci_device));
		if (dp->pio_count)
			memcpy(pio, dp->pio, dp->pio_count * sizeof(struct bh_pio_range));
		if (dp->irq_count)
			memcpy(irq, dp->irqs, dp->irq_count * sizeof(struct bh_irq_range));
	}
	for (uint32_t i = 0; i < d->link_count; i++) {
		err = put_link(d, &d->links[i], (struct bh_link *)SECT(BH_SECT_LINKS) + i);
		if (err)
			return err;
	}
#undef SECT
	((struct bh_table_header *)b)->crc32 = table_blob_crc(b, (size_t)total);
	return 0;
}
