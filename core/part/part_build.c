// SPDX-License-Identifier: GPL-2.0-only
/*
 * A struct partition from its table record: identity, CPUs (hardware ids and
 * the hypervisor CPUs they are), memory, I/O ports, PCI functions and
 * interrupt lines. Pure copying and resolving, no memory is touched, so the
 * host build (unit tests) runs it too.
 */
#include <bulkhead/table.h>

#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partitions.h"
#include "core/table.h"

int part_build(struct partition *p, const struct table_view *t, const struct bh_partition *d)
{
	const struct bh_mem_region *mem = table_part_mem(t, d);
	const struct bh_cpu *cpus = table_part_cpus(t, d);
	const struct bh_pio_range *pio = table_part_pio(t, d);

	memset(p, 0, sizeof(*p));
	p->id = d->id;
	hv_strlcpy(p->name, d->name, sizeof(p->name));
	p->flags = d->flags;
	p->fault_policy = d->fault_policy;
	p->image_flags = d->image.flags;
	p->state = PART_STOPPED;
	p->tsc_khz = arch_cycles_khz();
	if (d->cpus.count > PART_CPUS_MAX || d->memory.count > PART_REGIONS_MAX ||
	    d->pio.count > PART_PIO_MAX) {
		pr_err("partition \"%s\": more CPUs, regions or port ranges than this build holds",
		       p->name);
		return -HV_E2BIG;
	}
	for (uint32_t i = 0; i < d->cpus.count; i++) {
		int cpu = arch_cpu_by_hw_id(cpus[i].hw_id);

		if (cpu < 0) {
			pr_err("partition \"%s\": CPU 0x%llx is not online", p->name,
			       (unsigned long long)cpus[i].hw_id);
			return -HV_ENODEV;
		}
		p->hw_ids[i] = cpus[i].hw_id; /* all 64 bits: an arm64 MPIDR has Aff3 */
		p->cpus[i] = (cpu_id_t)cpu;
	}
	p->cpu_count = d->cpus.count;
	for (uint32_t i = 0; i < d->memory.count; i++) {
		p->regions[i].gpa = mem[i].guest;
		p->regions[i].hpa = mem[i].host;
		p->regions[i].size = mem[i].size;
		p->regions[i].flags = mem[i].flags;
	}
	p->region_count = d->memory.count;
	for (uint32_t i = 0; i < d->pio.count; i++) {
		p->pio[i].base = pio[i].base;
		p->pio[i].size = pio[i].size;
	}
	p->pio_count = d->pio.count;
	for (uint32_t i = 0; i < d->pci.count && i < PART_PCI_MAX; i++) {
		const struct bh_pci_device *dev = &table_part_pci(t, d)[i];

		if (dev->segment == 0) {
			p->pci_rec[p->pci_count] = dev;
			p->pci[p->pci_count++] = (uint32_t)dev->bus << 8 | dev->devfn;
		}
	}
	p->irqs_known = t->n[BH_SECT_IRQCHIPS] > 0;
	for (uint32_t i = 0; i < d->irqs.count; i++) {
		const struct bh_irq_range *r = &table_part_irqs(t, d)[i];

		if (r->chip >= t->n[BH_SECT_IRQCHIPS] || p->irq_count >= PART_IRQS_MAX) {
			pr_err("partition \"%s\": interrupt range %u not usable", p->name, i);
			return -HV_E2BIG;
		}
		p->irqs[p->irq_count++] = (struct part_irq){
			.chip_base = t->irqchips[r->chip].base,
			.chip_type = t->irqchips[r->chip].type,
			.first = r->first,
			.count = r->count,
		};
	}
	return 0;
}
