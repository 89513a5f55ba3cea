// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux root's PCI configuration space, through ports 0xCF8/0xCFC and
 * through MMCONFIG (ECAM): functions the table gives the root are reached,
 * every write first checked by the PCI filter (arch/x86_64/pci_filter.c,
 * docs/pci-filter.md) so no BAR or MSI can be aimed at another partition;
 * every other function reads as absent (all ones) and ignores writes.
 * Each function is probed once at boot, before the root runs.
 */
#include <bulkhead/table.h>

#include "arch/acpi.h"
#include "arch/pci_filter.h"
#include "arch/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_platform.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/spinlock.h"

#define PCI_CFG_ADDR	    0xcf8
#define PCI_CFG_DATA	    0xcfc
#define PCI_CFG_ENABLE	    (1u << 31)
#define PCI_COMMAND	    0x04
#define PCI_CMD_DECODE	    0x0003 /* I/O and memory space enable */
#define ROOT_PCI_REPORTS    32
#define ROOT_PCI_RANGES_MAX PART_REGIONS_MAX

struct root_pci {
	struct pci_func_info info[PART_PCI_MAX];
	bool probed[PART_PCI_MAX];
	struct pci_range mmio[ROOT_PCI_RANGES_MAX];
	unsigned n_mmio;
	struct pci_range pio[PART_PIO_MAX];
	unsigned n_pio;
	uint32_t apic_ids[PART_CPUS_MAX];
};

/* One configuration access at a time, whichever way it goes to the hardware. */
static spinlock_t pci_lock;
static unsigned reports;

/* How the filter reaches one function: conf1 ports, or its ECAM page. */
struct cfg_ctx {
	uint32_t bdf;
	uint64_t ecam; /* 0: use ports 0xCF8/0xCFC (offsets below 0x100 only) */
};

static uint32_t cfg_read(void *c, uint16_t off, unsigned size)
{
	const struct cfg_ctx *x = c;

	if (x->ecam) {
		uint64_t a = x->ecam + off;

		return size == 1 ? mmio_read8(a) : size == 2 ? mmio_read16(a) : mmio_read32(a);
	}
	if (off >= 0x100)
		return 0xffffffff >> (32 - size * 8);
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | x->bdf << 8 | (off & 0xfc));
	return size == 1   ? inb(PCI_CFG_DATA + (off & 3))
	       : size == 2 ? inw(PCI_CFG_DATA + (off & 2))
			   : inl(PCI_CFG_DATA);
}

static void cfg_write(void *c, uint16_t off, unsigned size, uint32_t val)
{
	const struct cfg_ctx *x = c;

	if (x->ecam) {
		uint64_t a = x->ecam + off;

		if (size == 1)
			mmio_write8(a, (uint8_t)val);
		else if (size == 2)
			mmio_write16(a, (uint16_t)val);
		else
			mmio_write32(a, val);
		return;
	}
	if (off >= 0x100)
		return;
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | x->bdf << 8 | (off & 0xfc));
	if (size == 1)
		outb(PCI_CFG_DATA + (off & 3), (uint8_t)val);
	else if (size == 2)
		outw(PCI_CFG_DATA + (off & 2), (uint16_t)val);
	else
		outl(PCI_CFG_DATA, val);
}

/* The ECAM page of bus/devfn in segment 0, or 0 when no MCFG entry covers it. */
static uint64_t ecam_of(uint32_t bdf)
{
	const struct acpi_info *ai = platform_acpi();
	uint32_t bus = bdf >> 8;

	for (uint32_t i = 0; i < ai->mcfg_count; i++) {
		const struct acpi_mcfg_entry *m = &ai->mcfg[i];

		if (m->segment == 0 && bus >= m->bus_start && bus <= m->bus_end)
			return m->base + ((uint64_t)bdf << 12);
	}
	return 0;
}

static int func_index(const struct partition *p, uint32_t bdf)
{
	for (uint32_t i = 0; i < p->pci_count; i++)
		if (p->pci[i] == bdf)
			return (int)i;
	return -1;
}

static void make_policy(const struct partition *p, const struct root_pci *rp, int f,
			struct pci_policy *pol)
{
	const struct x86_part *xp = p->arch;
	const struct bh_pci_device *rec = p->pci_rec[f];

	memset(pol, 0, sizeof(*pol));
	pol->mmio = rp->mmio;
	pol->n_mmio = rp->n_mmio;
	pol->pio = rp->pio;
	pol->n_pio = rp->n_pio;
	pol->apic_ids = rp->apic_ids;
	pol->n_apic = p->cpu_count;
	for (uint32_t i = 0; i < p->cpu_count; i++)
		if (xp->vcpus[i] && (xp->vcpus[i]->xapic_dfr >> 28) == 0xf)
			pol->logical_mask |= (uint8_t)(xp->vcpus[i]->xapic_ldr >> 24);
	pol->cfg_write = rec ? rec->cfg_write : 0;
	pol->windows = rec ? rec->windows : NULL;
	pol->n_windows = rec ? BH_TABLE_PCI_WINDOWS : 0;
}

int root_pci_setup(struct partition *p, struct x86_part *xp)
{
	struct root_pci *rp;
	size_t pages = ALIGN_UP(sizeof(*rp), PAGE_SIZE) / PAGE_SIZE;

	if (xp->pci)
		return 0; /* a restart: the functions were probed at boot */
	rp = (struct root_pci *)(uintptr_t)palloc_alloc(pages, 1);
	if (!rp)
		return -HV_ENOMEM;
	memset(rp, 0, sizeof(*rp));
	xp->pci = rp;
	for (uint32_t i = 0; i < p->region_count && rp->n_mmio < ROOT_PCI_RANGES_MAX; i++)
		if (p->regions[i].flags & BH_MEM_IO)
			rp->mmio[rp->n_mmio++] = (struct pci_range){ p->regions[i].hpa,
								     p->regions[i].size };
	for (uint32_t i = 0; i < p->pio_count; i++)
		rp->pio[rp->n_pio++] = (struct pci_range){ p->pio[i].base, p->pio[i].size };
	for (uint32_t i = 0; i < p->cpu_count; i++)
		rp->apic_ids[i] = p->hw_ids[i];
	for (uint32_t f = 0; f < p->pci_count; f++) {
		struct cfg_ctx c = { .bdf = p->pci[f], .ecam = ecam_of(p->pci[f]) };
		struct pci_policy pol;
		char why[128];

		if (cfg_read(&c, 0, 2) == 0xffff)
			continue; /* not present on this machine */
		if (pci_func_probe(cfg_read, cfg_write, &c, &rp->info[f]) < 0) {
			pr_warn("partition \"%s\": PCI %02x:%02x.%u cannot be probed; its decode "
				"is turned off",
				p->name, c.bdf >> 8, (c.bdf >> 3) & 0x1f, c.bdf & 7);
			cfg_write(&c, PCI_COMMAND, 2,
				  cfg_read(&c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
			continue;
		}
		rp->probed[f] = true;
		make_policy(p, rp, (int)f, &pol);
		if (!pci_func_state_allowed(&rp->info[f], &pol, cfg_read, &c, why, sizeof(why))) {
			pr_warn("partition \"%s\": PCI %02x:%02x.%u as the firmware left it: %s; "
				"its "
				"decode is turned off",
				p->name, c.bdf >> 8, (c.bdf >> 3) & 0x1f, c.bdf & 7, why);
			cfg_write(&c, PCI_COMMAND, 2,
				  cfg_read(&c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
		}
	}
	return 0;
}

/* One access to config space of function bdf at off; the lock is held. */
static uint32_t cfg_access(struct vcpu *v, struct cfg_ctx *c, uint16_t off, unsigned size,
			   bool write, uint32_t val)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;
	struct root_pci *rp = xp->pci;
	int f = func_index(p, c->bdf);
	struct pci_policy pol;
	char why[128];

	if (f < 0)
		return write ? 0 : 0xffffffff >> (32 - size * 8);
	if (!write)
		return cfg_read(c, off, size);
	if (!rp || !rp->probed[f]) {
		why[0] = '\0';
		snprintf(why, sizeof(why), "the function could not be probed at boot");
	} else {
		make_policy(p, rp, f, &pol);
		if (pci_cfg_write_allowed(&rp->info[f], &pol, cfg_read, c, off, size, val, why,
					  sizeof(why))) {
			cfg_write(c, off, size, val);
			return 0;
		}
	}
	if (reports < ROOT_PCI_REPORTS) {
		reports++;
		pr_warn("%s: PCI 0000:%02x:%02x.%u write 0x%x/%u = 0x%x dropped: %s", p->name,
			c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7, off, size, val, why);
	}
	return 0;
}

uint32_t root_pci_conf1(struct vcpu *v, uint32_t cf8, uint16_t port, unsigned size, bool write,
			uint32_t val)
{
	struct cfg_ctx c = { .bdf = (cf8 >> 8) & 0xffff };
	uint16_t off = (uint16_t)((cf8 & 0xfc) | (port & 3));
	uint32_t r;

	if (!(cf8 & PCI_CFG_ENABLE) || (off & (size - 1)))
		return write ? 0 : 0xffffffff >> (32 - size * 8);
	spin_lock(&pci_lock);
	r = cfg_access(v, &c, off, size, write, val);
	spin_unlock(&pci_lock);
	return r;
}

bool root_pci_mmcfg(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val)
{
	const struct acpi_info *ai = platform_acpi();

	for (uint32_t i = 0; i < ai->mcfg_count; i++) {
		const struct acpi_mcfg_entry *m = &ai->mcfg[i];
		uint64_t span = (uint64_t)(m->bus_end - m->bus_start + 1) << 20;
		uint64_t rel;
		struct cfg_ctx c;
		uint32_t r;

		if (gpa < m->base || gpa - m->base >= span || m->segment != 0)
			continue;
		rel = gpa - m->base;
		if (size > 4 || (rel & (size - 1))) {
			if (!write)
				*val = 0xffffffff;
			return true;
		}
		c.bdf = (uint32_t)((m->bus_start << 8) + (rel >> 12));
		c.ecam = m->base + (rel & ~0xfffULL);
		spin_lock(&pci_lock);
		r = cfg_access(v, &c, (uint16_t)(rel & 0xfff), size, write, *val);
		spin_unlock(&pci_lock);
		if (!write)
			*val = r;
		return true;
	}
	return false;
}
