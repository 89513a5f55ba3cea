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

#include "platform/acpi.h"
#include "platform/platform.h"
#include "root/pci_filter.h"
#include "root/root.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/partitions.h"
#include "core/spinlock.h"

#define PCI_CFG_ENABLE	    (1u << 31)
#define PCI_COMMAND	    0x04
#define PCI_CMD_DECODE	    0x0003 /* I/O and memory space enable */
#define PCI_CMD_MASTER	    0x0004 /* bus master: the function may DMA and send MSIs */
#define PCI_MSI_ENABLE	    0x0001 /* MSI message control */
#define PCI_MSIX_ENABLE	    0x8000 /* MSI-X message control */
#define ROOT_PCI_REPORTS    32
#define ROOT_PCI_RANGES_MAX PART_REGIONS_MAX

#define MSIX_TRAPS_MAX 16

/* An MSI-X table the root reaches only through the hypervisor. */
struct msix_trap {
	int f;		/* function index */
	uint64_t table; /* the table: [table, table + len) */
	uint64_t len;
	uint64_t page_lo;  /* the trapped pages around it */
	uint64_t page_hi;  /* exclusive */
	uint32_t bar_boot; /* BAR dword(s) of the table's BAR as the firmware set them */
	uint32_t bar_boot_hi;
};

struct root_pci {
	struct pci_func_info info[PART_PCI_MAX];
	bool probed[PART_PCI_MAX];
	struct msix_trap traps[MSIX_TRAPS_MAX];
	unsigned n_traps;
	spinlock_t msix_lock; /* an entry's check and write, against the root's other CPUs */
	uint8_t sizing[PART_PCI_MAX]; /* BAR registers being sized (emulated), bit per BAR */
	struct pci_range mmio[ROOT_PCI_RANGES_MAX];
	unsigned n_mmio;
	struct pci_range pio[PART_PIO_MAX];
	unsigned n_pio;
	uint32_t apic_ids[PART_CPUS_MAX];
	/*
	 * Each function's write policy, copied from the table before the root
	 * runs: the table module lies in memory the root may reuse (GRUB puts
	 * modules in root RAM; with OVMF below 1 MiB, where Linux puts its
	 * real-mode trampoline), so it is never read again afterwards.
	 */
	bool have_rec[PART_PCI_MAX];
	uint32_t cfg_write[PART_PCI_MAX];
	struct bh_pci_window windows[PART_PCI_MAX][BH_TABLE_PCI_WINDOWS];
	/* I/O BARs of functions not the root's, inside its ports: denied */
	struct pci_range foreign_pio[16];
	unsigned n_foreign_pio;
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
		return (uint32_t)insn_ones(size);
	pci_conf1_select(x->bdf, off);
	return size == 1   ? inb(PCI_CONF1_DATA + (off & 3))
	       : size == 2 ? inw(PCI_CONF1_DATA + (off & 2))
			   : inl(PCI_CONF1_DATA);
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
	pci_conf1_select(x->bdf, off);
	if (size == 1)
		outb(PCI_CONF1_DATA + (off & 3), (uint8_t)val);
	else if (size == 2)
		outw(PCI_CONF1_DATA + (off & 2), (uint16_t)val);
	else
		outl(PCI_CONF1_DATA, val);
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
	bool rec = rp->have_rec[f];

	memset(pol, 0, sizeof(*pol));
	pol->mmio = rp->mmio;
	pol->n_mmio = rp->n_mmio;
	pol->pio = rp->pio;
	pol->n_pio = rp->n_pio;
	pol->apic_ids = rp->apic_ids;
	pol->n_apic = p->cpu_count;
	pol->cfg_write = rec ? rp->cfg_write[f] : 0;
	pol->windows = rec ? rp->windows[f] : NULL;
	pol->n_windows = rec ? BH_TABLE_PCI_WINDOWS : 0;
}

#define PCI_BAR0	 0x10
#define PCI_BAR_MEM_MASK 0xfffffff0u

/*
 * Unmaps the pages of function f's MSI-X table from the root, so every
 * entry write is checked (pci_msix_entry_write_allowed). The BAR holding
 * the table then stays where the firmware put it (see cfg_access).
 */
static void trap_msix(struct partition *p, struct root_pci *rp, int f, struct cfg_ctx *c)
{
	const struct pci_func_info *fi = &rp->info[f];
	const struct pci_bar *b;
	struct msix_trap *t;
	uint64_t base;

	if (!fi->msix_cap || fi->msix_bir >= fi->n_bars)
		return;
	b = &fi->bar[fi->msix_bir];
	if ((b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || !b->size)
		return;
	if (rp->n_traps == MSIX_TRAPS_MAX) {
		pr_warn("partition \"%s\": too many MSI-X tables to trap; PCI %02x:%02x.%u's "
			"decode is turned off",
			p->name, c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7);
		cfg_write(c, PCI_COMMAND, 2, cfg_read(c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
		return;
	}
	t = &rp->traps[rp->n_traps];
	t->f = f;
	t->bar_boot = cfg_read(c, (uint16_t)(PCI_BAR0 + 4 * fi->msix_bir), 4);
	t->bar_boot_hi = b->kind == PCI_BAR_MEM64
				 ? cfg_read(c, (uint16_t)(PCI_BAR0 + 4 * fi->msix_bir + 4), 4)
				 : 0;
	base = ((uint64_t)t->bar_boot_hi << 32 | (t->bar_boot & PCI_BAR_MEM_MASK)) & b->mask;
	t->table = base + fi->msix_offset;
	t->len = (uint64_t)fi->msix_entries * PCI_MSIX_ENTRY_SIZE;
	t->page_lo = ALIGN_DOWN(t->table, PAGE_SIZE);
	t->page_hi = ALIGN_UP(t->table + t->len, PAGE_SIZE);
	/* the hypervisor performs the root's table accesses: mapped for it wherever the BAR lies */
	if (paging_map_device(t->page_lo, t->page_hi - t->page_lo) < 0) {
		pr_err("partition \"%s\": PCI %02x:%02x.%u's MSI-X table at 0x%llx cannot be "
		       "mapped "
		       "for the hypervisor; its decode is turned off",
		       p->name, c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7,
		       (unsigned long long)t->table);
		cfg_write(c, PCI_COMMAND, 2, cfg_read(c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
		return;
	}
	for (uint64_t a = t->page_lo; a < t->page_hi; a += PAGE_SIZE)
		if (stage2_unmap_page(p, a) < 0) {
			/* fail closed: a table the root could write directly must not decode */
			pr_err("partition \"%s\": PCI %02x:%02x.%u's MSI-X table page 0x%llx could "
			       "not be trapped; its decode is turned off",
			       p->name, c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7,
			       (unsigned long long)a);
			cfg_write(c, PCI_COMMAND, 2, cfg_read(c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
			return;
		}
	rp->n_traps++;
	pr_info("partition \"%s\": PCI %02x:%02x.%u MSI-X table (%u entries) at 0x%llx trapped",
		p->name, c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7, fi->msix_entries,
		(unsigned long long)t->table);
}

/* ---- other functions' BARs inside the root's windows ---- */

#define CENSUS_MAX 128

/* A BAR of some function of the machine, as the firmware left it (at boot). */
struct census_bar {
	uint32_t bdf;
	uint8_t bar;
	bool io;
	uint64_t base, size;
};

static struct census_bar census[CENSUS_MAX];
static unsigned n_census;

void root_pci_census(const uint32_t *sbdf, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct cfg_ctx c = { .bdf = sbdf[i] & 0xffff, .ecam = ecam_of(sbdf[i] & 0xffff) };
		struct pci_func_info fi;

		if (pci_func_probe(cfg_read, cfg_write, &c, &fi) < 0)
			continue;
		for (unsigned b = 0; b < fi.n_bars; b++) {
			const struct pci_bar *pb = &fi.bar[b];
			uint64_t reg = cfg_read(&c, (uint16_t)(PCI_BAR0 + 4 * b), 4), base;

			if (!pb->size || (pb->kind != PCI_BAR_IO && pb->kind != PCI_BAR_MEM32 &&
					  pb->kind != PCI_BAR_MEM64))
				continue;
			if (pb->kind == PCI_BAR_MEM64)
				reg |= (uint64_t)cfg_read(&c, (uint16_t)(PCI_BAR0 + 4 * b + 4), 4)
				       << 32;
			base = reg & pb->mask;
			if (!base)
				continue; /* not placed */
			if (n_census == CENSUS_MAX) {
				pr_warn("pci: more than %u BARs; the rest are not kept from the "
					"root",
					CENSUS_MAX);
				return;
			}
			census[n_census++] = (struct census_bar){ .bdf = c.bdf,
								  .bar = (uint8_t)b,
								  .io = pb->kind == PCI_BAR_IO,
								  .base = base,
								  .size = pb->size };
		}
	}
}

/* The partition that owns function bdf, or NULL */
static const struct partition *bdf_owner(uint32_t bdf)
{
	for (unsigned i = 0; i < partitions_count(); i++) {
		const struct partition *q = partition_get(i);

		if (q && func_index(q, bdf) >= 0)
			return q;
	}
	return NULL;
}

/*
 * Every BAR of a function that is not the root's leaves the root's reach:
 * its memory pages are unmapped from the root's stage 2 (the table's MMIO
 * windows may cover them), its ports are no longer the root's.
 */
static void punch_foreign_bars(struct partition *p, struct root_pci *rp)
{
	for (unsigned i = 0; i < n_census; i++) {
		const struct census_bar *cb = &census[i];
		const struct partition *q;
		unsigned pages = 0;

		if (func_index(p, cb->bdf) >= 0)
			continue; /* the root's own */
		q = bdf_owner(cb->bdf);
		if (cb->io) {
			if (rp->n_foreign_pio == ARRAY_SIZE(rp->foreign_pio))
				continue;
			rp->foreign_pio[rp->n_foreign_pio++] = (struct pci_range){ cb->base,
										   cb->size };
			vcpu_trap_ports(p->arch, (uint16_t)cb->base, (unsigned)cb->size);
		} else {
			for (uint64_t a = ALIGN_DOWN(cb->base, PAGE_SIZE); a < cb->base + cb->size;
			     a += PAGE_SIZE)
				if (part_region_of(p, a)) {
					if (stage2_unmap_page(p, a) < 0) {
						pr_err("partition \"%s\": page 0x%llx of PCI "
						       "%02x:%02x.%u BAR%u could not be unmapped",
						       p->name, (unsigned long long)a, cb->bdf >> 8,
						       (cb->bdf >> 3) & 0x1f, cb->bdf & 7, cb->bar);
						break;
					}
					pages++;
				}
			if (!pages)
				continue;
		}
		pr_info("partition \"%s\": PCI %02x:%02x.%u BAR%u %s 0x%llx-0x%llx (%s) taken "
			"from the root",
			p->name, cb->bdf >> 8, (cb->bdf >> 3) & 0x1f, cb->bdf & 7, cb->bar,
			cb->io ? "ports" : "memory", (unsigned long long)cb->base,
			(unsigned long long)(cb->base + cb->size - 1),
			q ? q->name : "no partition's");
	}
}

bool root_pci_foreign_port(const struct partition *p, uint32_t port)
{
	const struct root_pci *rp = root_of(p)->pci;

	for (unsigned i = 0; rp && i < rp->n_foreign_pio; i++)
		if (port >= rp->foreign_pio[i].base &&
		    port - rp->foreign_pio[i].base < rp->foreign_pio[i].size)
			return true;
	return false;
}

bool root_pci_bar_of(uint64_t gpa, char *buf, size_t len)
{
	for (unsigned i = 0; i < n_census; i++) {
		const struct census_bar *cb = &census[i];
		const struct partition *q;

		if (cb->io || gpa < cb->base || gpa - cb->base >= cb->size)
			continue;
		q = bdf_owner(cb->bdf);
		snprintf(buf, len, "BAR%u of PCI %02x:%02x.%u, %s", cb->bar, cb->bdf >> 8,
			 (cb->bdf >> 3) & 0x1f, cb->bdf & 7, q ? q->name : "no partition's");
		return true;
	}
	return false;
}

int root_pci_setup(struct partition *p, struct x86_root *xp)
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
		rp->apic_ids[i] = (uint32_t)p->hw_ids[i]; /* x86: the hw id is an APIC ID */
	for (uint32_t f = 0; f < p->pci_count; f++) {
		const struct bh_pci_device *rec = p->pci_rec[f];

		if (!rec)
			continue;
		rp->have_rec[f] = true;
		rp->cfg_write[f] = rec->cfg_write;
		memcpy(rp->windows[f], rec->windows, sizeof(rp->windows[f]));
	}
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
				"its decode is turned off",
				p->name, c.bdf >> 8, (c.bdf >> 3) & 0x1f, c.bdf & 7, why);
			cfg_write(&c, PCI_COMMAND, 2,
				  cfg_read(&c, PCI_COMMAND, 2) & ~PCI_CMD_DECODE);
		}
		trap_msix(p, rp, (int)f, &c);
	}
	punch_foreign_bars(p, rp);
	return 0;
}

/*
 * True (with the reason) when a write would move the BAR that holds one of
 * the function's trapped MSI-X tables: sizing (all ones) and writing the
 * firmware's value back are fine, anything else is refused.
 */
static bool msix_bar_moves(const struct root_pci *rp, int f, struct cfg_ctx *c, uint16_t off,
			   unsigned size, uint32_t val, char *why, size_t why_len)
{
	for (unsigned i = 0; i < rp->n_traps; i++) {
		const struct msix_trap *t = &rp->traps[i];
		const struct pci_func_info *fi = &rp->info[f];
		uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * fi->msix_bir);
		bool is64 = fi->bar[fi->msix_bir].kind == PCI_BAR_MEM64;
		uint16_t dw = off & ~3u;
		uint32_t shift = (off & 3) * 8;
		uint32_t mask = (size == 4 ? 0xffffffffu : ((1u << (size * 8)) - 1)) << shift;
		uint32_t now, boot;

		if (t->f != f || (dw != reg && !(is64 && dw == reg + 4)))
			continue;
		now = (cfg_read(c, dw, 4) & ~mask) | ((val << shift) & mask);
		boot = dw == reg ? t->bar_boot : t->bar_boot_hi;
		if (now == 0xffffffff || (now & ~0xfu) == (boot & ~0xfu))
			return false;
		snprintf(why, why_len, "BAR%u holds the MSI-X table and stays at 0x%x",
			 fi->msix_bir + (dw != reg), boot & ~0xfu);
		return true;
	}
	return false;
}

/* BAR register i (0-5) that the dword at off is, or -1. */
static int bar_reg(const struct root_pci *rp, int f, uint16_t off)
{
	unsigned dw = off & ~3u;

	if (!rp || !rp->probed[f] || dw < PCI_BAR0 || dw >= PCI_BAR0 + 4u * rp->info[f].n_bars)
		return -1;
	return (int)((dw - PCI_BAR0) / 4);
}

/*
 * BAR sizing while the BAR decodes (pci_filter.h): a write of all ones is
 * remembered instead of done (true: consumed); any other write to the
 * register ends the sizing and goes on to the policy.
 */
static bool bar_sizing_write(struct root_pci *rp, int f, struct cfg_ctx *c, uint16_t off,
			     unsigned size, uint32_t val)
{
	int i = bar_reg(rp, f, off);

	if (i < 0)
		return false;
	if (size == 4 && val == 0xffffffffu &&
	    pci_bar_sizing_emulated(&rp->info[f], (unsigned)i,
				    (uint16_t)cfg_read(c, PCI_COMMAND, 2))) {
		static unsigned sizing_reports;
		uint32_t hw = cfg_read(c, (uint16_t)(off & ~3u), 4);

		rp->sizing[f] |= (uint8_t)(1u << i);
		if (sizing_reports++ < ROOT_PCI_REPORTS)
			pr_info("root: PCI 0000:%02x:%02x.%u BAR%d sized with decode on: answered "
				"0x%x from the boot probe, the hardware keeps 0x%x",
				c->bdf >> 8, (c->bdf >> 3) & 0x1f, c->bdf & 7, i,
				pci_bar_sizing_value(&rp->info[f], (unsigned)i, hw), hw);
		return true;
	}
	rp->sizing[f] &= (uint8_t) ~(1u << i);
	return false;
}

/* A read, with the size mask for a BAR register being sized. */
static uint32_t bar_sizing_read(const struct root_pci *rp, int f, struct cfg_ctx *c, uint16_t off,
				unsigned size)
{
	int i = bar_reg(rp, f, off);
	uint32_t v;

	if (i < 0 || !(rp->sizing[f] & (1u << i)))
		return cfg_read(c, off, size);
	v = pci_bar_sizing_value(&rp->info[f], (unsigned)i, cfg_read(c, off & ~3u, 4));
	return (uint32_t)((v >> (8 * (off & 3))) & insn_ones(size));
}

/* One access to config space of function bdf at off; the lock is held. */
static uint32_t cfg_access(struct vcpu *v, struct cfg_ctx *c, uint16_t off, unsigned size,
			   bool write, uint32_t val)
{
	struct partition *p = v->part;
	struct root_pci *rp = root_of(p)->pci;
	int f = func_index(p, c->bdf);
	struct pci_policy pol;
	char why[128];

	if (f < 0)
		return write ? 0 : (uint32_t)insn_ones(size);
	if (!write)
		return bar_sizing_read(rp, f, c, off, size);
	if (bar_sizing_write(rp, f, c, off, size, val))
		return 0;
	if (!rp || !rp->probed[f]) {
		why[0] = '\0';
		snprintf(why, sizeof(why), "the function could not be probed at boot");
	} else if (msix_bar_moves(rp, f, c, off, size, val, why, sizeof(why))) {
		/* why says which BAR */
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
		return write ? 0 : (uint32_t)insn_ones(size);
	if (write && root_reset_cfg_write(v, c.bdf, off, size, val))
		return 0; /* a reboot request: the root restarts */
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
		if (write && root_reset_cfg_write(v, c.bdf, (uint16_t)(rel & 0xfff), size, *val))
			return true; /* a reboot request: the root restarts */
		spin_lock(&pci_lock);
		r = cfg_access(v, &c, (uint16_t)(rel & 0xfff), size, write, *val);
		spin_unlock(&pci_lock);
		if (!write)
			*val = r;
		return true;
	}
	return false;
}

bool root_pci_msix(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	struct partition *p = v->part;
	struct root_pci *rp = root_of(p)->pci;

	for (unsigned i = 0; rp && i < rp->n_traps; i++) {
		const struct msix_trap *t = &rp->traps[i];
		enum pci_msix_span span;
		struct pci_policy pol;
		uint64_t entry_no;
		bool ok = false;
		char why[128];

		if (gpa < t->page_lo || gpa >= t->page_hi)
			continue;
		if (!write) {
			*val = mmio_read_sized(gpa, size);
			return true;
		}
		span = pci_msix_write_span(t->table, t->len, gpa, size);
		if (span == PCI_MSIX_OUTSIDE) {
			mmio_write_sized(gpa, size, *val); /* the PBA, other registers */
			return true;
		}
		entry_no = gpa > t->table ? (gpa - t->table) / PCI_MSIX_ENTRY_SIZE : 0;
		snprintf(why, sizeof(why), "a %u-byte write at 0x%llx is not one entry field", size,
			 (unsigned long long)gpa);
		make_policy(p, rp, t->f, &pol);
		/* read, check and write as one: another root CPU may write the same entry */
		spin_lock(&rp->msix_lock);
		if (span == PCI_MSIX_ENTRY) {
			uint64_t e = t->table + entry_no * PCI_MSIX_ENTRY_SIZE;
			uint32_t entry[4];

			for (unsigned k = 0; k < 4; k++)
				entry[k] = (uint32_t)mmio_read32(e + 4 * k);
			ok = pci_msix_entry_write_allowed(&pol, entry, (unsigned)(gpa - e), size,
							  *val, why, sizeof(why));
			if (ok)
				mmio_write_sized(gpa, size, *val);
		}
		spin_unlock(&rp->msix_lock);
		if (!ok && reports < ROOT_PCI_REPORTS) {
			reports++;
			pr_warn("%s: MSI-X entry %llu of PCI %02x:%02x.%u write 0x%llx dropped: %s",
				p->name, (unsigned long long)entry_no, p->pci[t->f] >> 8,
				(p->pci[t->f] >> 3) & 0x1f, p->pci[t->f] & 7,
				(unsigned long long)*val, why);
		}
		return true;
	}
	return false;
}

void root_pci_quiesce(struct partition *p)
{
	struct root_pci *rp = root_of(p)->pci;

	if (!rp)
		return;
	spin_lock(&pci_lock);
	for (uint32_t f = 0; f < p->pci_count; f++) {
		struct cfg_ctx c = { .bdf = p->pci[f], .ecam = ecam_of(p->pci[f]) };
		const struct pci_func_info *fi = &rp->info[f];

		rp->sizing[f] = 0; /* the next kernel sizes afresh */
		if (!rp->probed[f])
			continue;
		cfg_write(&c, PCI_COMMAND, 2, cfg_read(&c, PCI_COMMAND, 2) & ~PCI_CMD_MASTER);
		if (fi->msi_cap)
			cfg_write(&c, (uint16_t)(fi->msi_cap + 2), 2,
				  cfg_read(&c, (uint16_t)(fi->msi_cap + 2), 2) & ~PCI_MSI_ENABLE);
		if (fi->msix_cap)
			cfg_write(&c, (uint16_t)(fi->msix_cap + 2), 2,
				  cfg_read(&c, (uint16_t)(fi->msix_cap + 2), 2) & ~PCI_MSIX_ENABLE);
	}
	spin_unlock(&pci_lock);
}
