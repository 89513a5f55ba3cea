// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table validator: what a parsed table means must hold together (no
 * resource given twice, nothing in the hypervisor's memory or in what it
 * keeps for itself, flags known, sizes mappable, links complete, images
 * placeable, one root). Duplicates and overlaps are found by sorting index
 * arrays in caller-provided scratch memory, so the cost is O(n log n).
 */
#include <stdarg.h>

#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "internal.h"

#define U64(x) ((unsigned long long)(x))

#define VLINE_MAX 440

struct vctx {
	const struct table_view *t;
	uint32_t errors;
	bool x86;
	struct table_key *keys; /* sort space, as many entries as the largest section */
	uint32_t *link_of;	/* per memory record: the link it is shared through, or NONE */
};

static void verr(struct vctx *c, const char *fmt, ...) __printf(2, 3);
static void perr(struct vctx *c, const struct bh_partition *p, const char *fmt, ...) __printf(3, 4);

static void verr(struct vctx *c, const char *fmt, ...)
{
	char line[VLINE_MAX];
	va_list ap;

	if (++c->errors > TABLE_ERRORS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_err("table: %s", line);
}

/* An error about partition p: the line starts with its name and id. */
static void perr(struct vctx *c, const struct bh_partition *p, const char *fmt, ...)
{
	char line[VLINE_MAX];
	va_list ap;

	if (++c->errors > TABLE_ERRORS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_err("table: partition \"%s\" (id %u): %s", p->name, p->id, line);
}

static uint32_t local_index(const struct bh_partition *p, unsigned sect, uint32_t idx)
{
	return idx - table_part_range(p, sect)->first;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static bool fits_phys(uint64_t base, uint64_t size)
{
	return base + size >= base && base + size <= (1ULL << TABLE_PHYS_BITS_MAX);
}

/* ---- platform -------------------------------------------------------------- */

static uint64_t mmcfg_start(const struct bh_mmconfig *m)
{
	return m->base + ((uint64_t)m->bus_start << TABLE_MMCFG_BUS_SHIFT);
}

static uint64_t mmcfg_size(const struct bh_mmconfig *m)
{
	if (m->bus_end < m->bus_start)
		return 0;
	return (uint64_t)(m->bus_end - m->bus_start + 1) << TABLE_MMCFG_BUS_SHIFT;
}

static void check_console(struct vctx *c, const struct bh_console *con)
{
	switch (con->type) {
	case BH_CONSOLE_NONE:
		break;
	case BH_CONSOLE_UART_8250_IO:
		if (!c->x86)
			verr(c, "platform console: an I/O-port UART needs x86");
		else if (con->base + TABLE_UART_REGS > TABLE_X86_PORTS)
			verr(c, "platform console: port 0x%llx is beyond port 0xffff",
			     U64(con->base));
		break;
	case BH_CONSOLE_UART_8250_MMIO:
	case BH_CONSOLE_PL011:
		if (!con->base || !IS_ALIGNED(con->base, 4) || !fits_phys(con->base, PAGE_SIZE))
			verr(c, "platform console: MMIO address 0x%llx is not a usable address",
			     U64(con->base));
		if (con->reg_width != 1 && con->reg_width != 4)
			verr(c, "platform console: reg_width %u, expected 1 or 4", con->reg_width);
		break;
	default:
		verr(c, "platform console: type %u is unknown", con->type);
	}
	if (con->reserved)
		verr(c, "platform console: reserved field is 0x%x, must be 0", con->reserved);
}

static void check_platform(struct vctx *c)
{
	const struct table_view *t = c->t;
	const struct bh_platform *pl = t->platform;

	if (pl->arch != BH_ARCH_X86_64 && pl->arch != BH_ARCH_ARM64)
		verr(c, "platform arch %u is unknown", pl->arch);
	if (pl->flags)
		verr(c, "platform flags 0x%x has unknown bits 0x%x", pl->flags, pl->flags);
	if (!pl->hv_size || !IS_ALIGNED(pl->hv_base, PAGE_SIZE) ||
	    !IS_ALIGNED(pl->hv_size, PAGE_SIZE) || !fits_phys(pl->hv_base, pl->hv_size))
		verr(c,
		     "platform hypervisor memory 0x%llx size 0x%llx is not a non-empty 4 KiB "
		     "aligned range",
		     U64(pl->hv_base), U64(pl->hv_size));
	check_console(c, &pl->console);

	for (uint32_t i = 0; i < t->n[BH_SECT_MMCONFIG]; i++) {
		const struct bh_mmconfig *m = &t->mmcfg[i];

		if (m->bus_end < m->bus_start)
			verr(c, "mmconfig[%u] bus range %u-%u is empty", i, m->bus_start,
			     m->bus_end);
		if (!IS_ALIGNED(m->base, 1ULL << TABLE_MMCFG_BUS_SHIFT) ||
		    !fits_phys(mmcfg_start(m), mmcfg_size(m)))
			verr(c,
			     "mmconfig[%u] base 0x%llx is not 1 MiB aligned inside the physical "
			     "address space",
			     i, U64(m->base));
		if (m->reserved)
			verr(c, "mmconfig[%u] reserved field is 0x%x, must be 0", i, m->reserved);
		for (uint32_t j = 0; j < i; j++) {
			const struct bh_mmconfig *o = &t->mmcfg[j];

			if (o->segment == m->segment && m->bus_start <= o->bus_end &&
			    o->bus_start <= m->bus_end)
				verr(c, "mmconfig[%u] segment %u buses %u-%u overlap mmconfig[%u]",
				     i, m->segment, m->bus_start, m->bus_end, j);
		}
	}
	for (uint32_t i = 0; i < t->n[BH_SECT_IOMMUS]; i++) {
		const struct bh_iommu *u = &t->iommus[i];
		bool known = c->x86 ? (u->type == BH_IOMMU_VTD || u->type == BH_IOMMU_AMDVI)
				    : u->type == BH_IOMMU_SMMUV3;

		if (!known)
			verr(c, "iommus[%u] type %u is unknown for %s", i, u->type,
			     table_arch_name(pl->arch));
		if (!u->size || !IS_ALIGNED(u->base, PAGE_SIZE) ||
		    !IS_ALIGNED(u->size, PAGE_SIZE) || !fits_phys(u->base, u->size))
			verr(c, "iommus[%u] registers 0x%llx size 0x%llx are not a 4 KiB aligned range",
			     i, U64(u->base), U64(u->size));
		if (u->flags || u->reserved)
			verr(c, "iommus[%u] flags 0x%x / reserved 0x%x must be 0", i, u->flags,
			     u->reserved);
	}
	for (uint32_t i = 0; i < t->n[BH_SECT_IRQCHIPS]; i++) {
		const struct bh_irqchip *ic = &t->irqchips[i];
		uint32_t max_lines = 0;

		if (c->x86 && ic->type == BH_IRQCHIP_IOAPIC)
			max_lines = TABLE_IOAPIC_LINES_MAX;
		else if (!c->x86 && ic->type == BH_IRQCHIP_GICD)
			max_lines = TABLE_GIC_SPIS_MAX;
		else if (c->x86 || ic->type != BH_IRQCHIP_GICR) {
			verr(c, "irqchips[%u] type %u is unknown for %s", i, ic->type,
			     table_arch_name(pl->arch));
			continue;
		}
		if (ic->lines > max_lines || (max_lines && !ic->lines))
			verr(c, "irqchips[%u] has %u lines, expected 1-%u", i, ic->lines,
			     max_lines);
		if (!ic->size || !fits_phys(ic->base, ic->size))
			verr(c, "irqchips[%u] registers 0x%llx size 0x%llx are not a usable range",
			     i, U64(ic->base), U64(ic->size));
		for (uint32_t j = 0; j < i; j++) {
			const struct bh_irqchip *o = &t->irqchips[j];

			if (o->type == ic->type && ic->lines && o->lines &&
			    table_overlaps(ic->gsi_base, ic->lines, o->gsi_base, o->lines))
				verr(c, "irqchips[%u] interrupts %u-%u overlap irqchips[%u] %u-%u",
				     i, ic->gsi_base, ic->gsi_base + ic->lines - 1, j, o->gsi_base,
				     o->gsi_base + o->lines - 1);
		}
	}
}

/* ---- partitions ------------------------------------------------------------ */

static void check_partitions(struct vctx *c)
{
	const struct table_view *t = c->t;
	uint32_t n = t->n[BH_SECT_PARTITIONS];
	const struct bh_partition *root = NULL;

	for (uint32_t i = 0; i < n; i++) {
		const struct bh_partition *p = &t->parts[i];
		uint32_t unknown = p->flags & ~BH_PART_KNOWN_FLAGS;

		if (unknown)
			perr(c, p, "flags 0x%x has unknown bits 0x%x", p->flags, unknown);
		if (p->reserved)
			perr(c, p, "reserved field is 0x%x, must be 0", p->reserved);
		if (p->fault_policy != BH_FAULT_STOP && p->fault_policy != BH_FAULT_RESTART)
			perr(c, p, "fault_policy %u is unknown", p->fault_policy);
		if (p->fault_policy == BH_FAULT_RESTART && !(p->flags & BH_PART_RESTARTABLE))
			perr(c, p, "fault_policy RESTART needs the RESTARTABLE flag");
		if ((p->flags & BH_PART_ROOT) && (p->flags & BH_PART_RESTARTABLE))
			perr(c, p, "the root partition cannot be RESTARTABLE");
		if (!p->cpus.count)
			perr(c, p, "has no CPUs");
		if (!p->memory.count)
			perr(c, p, "has no memory regions");
		if (p->flags & BH_PART_ROOT) {
			if (root)
				perr(c, p,
				     "has the ROOT flag, as does partition \"%s\" (id %u); exactly "
				     "one root is allowed",
				     root->name, root->id);
			else
				root = p;
		}
	}
	if (!root)
		verr(c, "no partition has the ROOT flag; exactly one must");

	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){ .key = t->parts[i].id, .idx = i };
	table_sort_keys(c->keys, n);
	for (uint32_t i = 1; i < n; i++) {
		const struct bh_partition *a = &t->parts[c->keys[i - 1].idx];
		const struct bh_partition *b = &t->parts[c->keys[i].idx];

		if (a->id == b->id)
			perr(c, b, "has the same id as partition \"%s\"", a->name);
	}
	/* at most BH_TABLE_PARTITIONS_MAX names: comparing all pairs is cheap */
	for (uint32_t i = 1; i < n; i++) {
		for (uint32_t j = 0; j < i; j++) {
			if (!strncmp(t->parts[i].name, t->parts[j].name, BH_TABLE_NAME_MAX)) {
				perr(c, &t->parts[i], "has the same name as partition id %u",
				     t->parts[j].id);
				break;
			}
		}
	}
}

/* ---- CPUs ------------------------------------------------------------------ */

static void check_cpus(struct vctx *c)
{
	const struct table_view *t = c->t;
	uint32_t n = t->n[BH_SECT_CPUS];
	const char *what = c->x86 ? "APIC ID" : "MPIDR";

	for (uint32_t i = 0; i < n; i++) {
		const struct bh_cpu *cpu = &t->cpus[i];
		const struct bh_partition *p = table_owner(t, BH_SECT_CPUS, i);
		uint32_t j = local_index(p, BH_SECT_CPUS, i);

		if (c->x86 && cpu->hw_id >= 0xffffffffULL)
			perr(c, p, "cpu[%u] APIC ID 0x%llx is not a valid x2APIC ID", j,
			     U64(cpu->hw_id));
		if (!c->x86 && (cpu->hw_id & ~TABLE_MPIDR_AFF_MASK))
			perr(c, p, "cpu[%u] MPIDR 0x%llx has bits outside the affinity fields", j,
			     U64(cpu->hw_id));
		if (cpu->flags || cpu->reserved)
			perr(c, p, "cpu[%u] flags 0x%x / reserved 0x%x must be 0", j, cpu->flags,
			     cpu->reserved);
	}
	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){ .key = t->cpus[i].hw_id, .idx = i };
	table_sort_keys(c->keys, n);
	for (uint32_t i = 1; i < n; i++) {
		uint32_t a = c->keys[i - 1].idx, b = c->keys[i].idx;
		const struct bh_partition *pa = table_owner(t, BH_SECT_CPUS, a);
		const struct bh_partition *pb = table_owner(t, BH_SECT_CPUS, b);

		if (t->cpus[a].hw_id != t->cpus[b].hw_id)
			continue;
		if (pa == pb)
			perr(c, pb, "cpu[%u] %s %llu is listed twice (also cpu[%u])",
			     local_index(pb, BH_SECT_CPUS, b), what, U64(t->cpus[b].hw_id),
			     local_index(pa, BH_SECT_CPUS, a));
		else
			perr(c, pb,
			     "cpu[%u] %s %llu is also given to partition \"%s\" (id %u) cpu[%u]",
			     local_index(pb, BH_SECT_CPUS, b), what, U64(t->cpus[b].hw_id),
			     pa->name, pa->id, local_index(pa, BH_SECT_CPUS, a));
	}
}

/* ---- memory ---------------------------------------------------------------- */

/* Ranges the hypervisor keeps for itself, which no partition may map. */
static void check_region_platform(struct vctx *c, const struct bh_partition *p, uint32_t j,
				  const struct bh_mem_region *r)
{
	const struct table_view *t = c->t;
	const struct bh_platform *pl = t->platform;

	if (table_overlaps(r->host, r->size, pl->hv_base, pl->hv_size))
		perr(c, p,
		     "memory[%u] host 0x%llx size 0x%llx overlaps the hypervisor's memory "
		     "0x%llx-0x%llx",
		     j, U64(r->host), U64(r->size), U64(pl->hv_base),
		     U64(pl->hv_base + pl->hv_size - 1));
	for (uint32_t i = 0; i < t->n[BH_SECT_MMCONFIG]; i++) {
		const struct bh_mmconfig *m = &t->mmcfg[i];

		if (table_overlaps(r->host, r->size, mmcfg_start(m), mmcfg_size(m)))
			perr(c, p,
			     "memory[%u] host 0x%llx size 0x%llx overlaps PCI MMCONFIG window "
			     "mmconfig[%u] 0x%llx-0x%llx, which the hypervisor filters",
			     j, U64(r->host), U64(r->size), i, U64(mmcfg_start(m)),
			     U64(mmcfg_start(m) + mmcfg_size(m) - 1));
	}
	for (uint32_t i = 0; i < t->n[BH_SECT_IOMMUS]; i++) {
		const struct bh_iommu *u = &t->iommus[i];

		if (table_overlaps(r->host, r->size, u->base, u->size))
			perr(c, p,
			     "memory[%u] host 0x%llx size 0x%llx overlaps the registers of "
			     "iommus[%u] at 0x%llx",
			     j, U64(r->host), U64(r->size), i, U64(u->base));
	}
	for (uint32_t i = 0; i < t->n[BH_SECT_IRQCHIPS]; i++) {
		const struct bh_irqchip *ic = &t->irqchips[i];

		if (table_overlaps(r->host, r->size, ic->base, ic->size))
			perr(c, p,
			     "memory[%u] host 0x%llx size 0x%llx overlaps interrupt controller "
			     "irqchips[%u] at 0x%llx",
			     j, U64(r->host), U64(r->size), i, U64(ic->base));
	}
	if ((pl->console.type == BH_CONSOLE_UART_8250_MMIO ||
	     pl->console.type == BH_CONSOLE_PL011) &&
	    table_overlaps(r->host, r->size, ALIGN_DOWN(pl->console.base, PAGE_SIZE), PAGE_SIZE))
		perr(c, p,
		     "memory[%u] host 0x%llx size 0x%llx overlaps the hypervisor console at 0x%llx",
		     j, U64(r->host), U64(r->size), U64(pl->console.base));
	if (c->x86 && table_overlaps(r->host, r->size, TABLE_X86_LAPIC_BASE, TABLE_X86_LAPIC_SIZE))
		perr(c, p,
		     "memory[%u] host 0x%llx size 0x%llx overlaps the local APIC window "
		     "0x%llx-0x%llx, which the hypervisor virtualizes",
		     j, U64(r->host), U64(r->size), TABLE_X86_LAPIC_BASE,
		     TABLE_X86_LAPIC_BASE + TABLE_X86_LAPIC_SIZE - 1);
}

static void check_region(struct vctx *c, const struct bh_partition *p, uint32_t j,
			 const struct bh_mem_region *r)
{
	uint32_t unknown = r->flags & ~BH_MEM_KNOWN_FLAGS;

	if (unknown)
		perr(c, p, "memory[%u] host 0x%llx flags 0x%x has unknown bits 0x%x", j,
		     U64(r->host), r->flags, unknown);
	if (r->reserved)
		perr(c, p, "memory[%u] reserved field is 0x%x, must be 0", j, r->reserved);
	if (!r->size) {
		perr(c, p, "memory[%u] host 0x%llx has size 0", j, U64(r->host));
		return;
	}
	if (!IS_ALIGNED(r->host, PAGE_SIZE))
		perr(c, p,
		     "memory[%u] host 0x%llx is not 4 KiB aligned (the page tables map 4 KiB pages "
		     "at the least)",
		     j, U64(r->host));
	if (!IS_ALIGNED(r->guest, PAGE_SIZE))
		perr(c, p,
		     "memory[%u] guest 0x%llx is not 4 KiB aligned (the page tables map 4 KiB "
		     "pages at the least)",
		     j, U64(r->guest));
	if (!IS_ALIGNED(r->size, PAGE_SIZE))
		perr(c, p, "memory[%u] host 0x%llx size 0x%llx is not a multiple of 4 KiB", j,
		     U64(r->host), U64(r->size));
	if (!fits_phys(r->host, r->size))
		perr(c, p,
		     "memory[%u] host 0x%llx size 0x%llx ends beyond the %u-bit physical address "
		     "space",
		     j, U64(r->host), U64(r->size), TABLE_PHYS_BITS_MAX);
	if (!fits_phys(r->guest, r->size))
		perr(c, p,
		     "memory[%u] guest 0x%llx size 0x%llx ends beyond the %u-bit guest-physical "
		     "address space",
		     j, U64(r->guest), U64(r->size), TABLE_PHYS_BITS_MAX);
	if (!(r->flags & (BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC)))
		perr(c, p, "memory[%u] host 0x%llx has none of READ, WRITE, EXEC", j, U64(r->host));
	if ((r->flags & BH_MEM_IO) && (r->flags & BH_MEM_LOADABLE))
		perr(c, p, "memory[%u] host 0x%llx is both IO and LOADABLE", j, U64(r->host));
	if ((r->flags & BH_MEM_IO) && (r->flags & BH_MEM_SHARED))
		perr(c, p, "memory[%u] host 0x%llx is both IO and SHARED", j, U64(r->host));
	check_region_platform(c, p, j, r);
}

/* Overlaps in host-physical space, over all partitions: sort by base, sweep. */
static void check_host_overlaps(struct vctx *c)
{
	const struct table_view *t = c->t;
	uint32_t n = t->n[BH_SECT_MEMORY], hold = BH_TABLE_NONE;
	uint64_t hold_end = 0;

	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){ .key = t->mem[i].host, .idx = i };
	table_sort_keys(c->keys, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = c->keys[i].idx;
		const struct bh_mem_region *rb = &t->mem[b];
		uint64_t end = table_end(rb->host, rb->size);

		if (!rb->size)
			continue;
		if (hold != BH_TABLE_NONE && rb->host < hold_end) {
			const struct bh_mem_region *ra = &t->mem[hold];
			const struct bh_partition *pa = table_owner(t, BH_SECT_MEMORY, hold);
			const struct bh_partition *pb = table_owner(t, BH_SECT_MEMORY, b);
			bool shared = c->link_of[hold] != BH_TABLE_NONE &&
				      c->link_of[hold] == c->link_of[b];

			if (shared && pa != pb) {
				/* the same link's memory in another peer: that is the point */
			} else if (pa == pb) {
				perr(c, pb,
				     "memory[%u] host 0x%llx size 0x%llx overlaps memory[%u] host "
				     "0x%llx size 0x%llx of the same partition",
				     local_index(pb, BH_SECT_MEMORY, b), U64(rb->host),
				     U64(rb->size), local_index(pa, BH_SECT_MEMORY, hold),
				     U64(ra->host), U64(ra->size));
			} else {
				perr(c, pb,
				     "memory[%u] host 0x%llx size 0x%llx overlaps partition \"%s\" "
				     "(id %u) memory[%u] host 0x%llx size 0x%llx",
				     local_index(pb, BH_SECT_MEMORY, b), U64(rb->host),
				     U64(rb->size), pa->name, pa->id,
				     local_index(pa, BH_SECT_MEMORY, hold), U64(ra->host),
				     U64(ra->size));
			}
		}
		if (hold == BH_TABLE_NONE || end > hold_end) {
			hold = b;
			hold_end = end;
		}
	}
}

/* Overlaps in one partition's guest-physical space. */
static void check_guest_overlaps(struct vctx *c, const struct bh_partition *p)
{
	const struct table_view *t = c->t;
	uint32_t first = p->memory.first, n = p->memory.count, hold = BH_TABLE_NONE;
	struct table_key *k = c->keys + first;
	uint64_t hold_end = 0;

	for (uint32_t i = 0; i < n; i++)
		k[i] = (struct table_key){ .key = t->mem[first + i].guest, .idx = first + i };
	table_sort_keys(k, n);
	for (uint32_t i = 0; i < n; i++) {
		const struct bh_mem_region *rb = &t->mem[k[i].idx];
		uint64_t end = table_end(rb->guest, rb->size);

		if (!rb->size)
			continue;
		if (hold != BH_TABLE_NONE && rb->guest < hold_end)
			perr(c, p,
			     "memory[%u] guest 0x%llx size 0x%llx overlaps memory[%u] guest 0x%llx "
			     "size 0x%llx",
			     k[i].idx - first, U64(rb->guest), U64(rb->size), hold - first,
			     U64(t->mem[hold].guest), U64(t->mem[hold].size));
		if (hold == BH_TABLE_NONE || end > hold_end) {
			hold = k[i].idx;
			hold_end = end;
		}
	}
}

static void check_memory(struct vctx *c)
{
	const struct table_view *t = c->t;

	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++) {
		const struct bh_partition *p = &t->parts[i];

		for (uint32_t j = 0; j < p->memory.count; j++) {
			uint32_t k = p->memory.first + j;
			const struct bh_mem_region *r = &t->mem[k];

			check_region(c, p, j, r);
			if ((r->flags & BH_MEM_SHARED) && c->link_of[k] == BH_TABLE_NONE)
				perr(c, p, "memory[%u] host 0x%llx is SHARED but no link uses it",
				     j, U64(r->host));
		}
	}
	check_host_overlaps(c);
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		check_guest_overlaps(c, &t->parts[i]);
}

/* ---- links ----------------------------------------------------------------- */

static void check_peer(struct vctx *c, uint32_t li, uint32_t k)
{
	const struct table_view *t = c->t;
	const struct bh_link *l = &t->links[li];
	const struct bh_link_peer *pe = &l->peers[k];
	const struct bh_partition *p = table_find_partition(t, pe->partition_id);
	const struct bh_mem_region *r;
	uint32_t g;

	if (pe->flags)
		verr(c, "link \"%s\": peer[%u] flags 0x%x has unknown bits 0x%x", l->name, k,
		     pe->flags, pe->flags);
	if (pe->vector &&
	    (c->x86 ? pe->vector < TABLE_X86_FIRST_VECTOR || pe->vector > TABLE_X86_LAST_VECTOR
		    : pe->vector > TABLE_GIC_LAST_INTID))
		verr(c, "link \"%s\": peer[%u] doorbell vector %u is not 0 or %u-%u", l->name, k,
		     pe->vector, c->x86 ? TABLE_X86_FIRST_VECTOR : 1,
		     c->x86 ? TABLE_X86_LAST_VECTOR : TABLE_GIC_LAST_INTID);
	if (!p) {
		verr(c, "link \"%s\": peer[%u] partition id %u does not exist", l->name, k,
		     pe->partition_id);
		return;
	}
	for (uint32_t m = 0; m < k; m++)
		if (l->peers[m].partition_id == pe->partition_id) {
			verr(c, "link \"%s\": peer[%u] partition \"%s\" (id %u) is also peer[%u]",
			     l->name, k, p->name, p->id, m);
			return;
		}
	if (pe->region >= p->memory.count) {
		verr(c,
		     "link \"%s\": peer[%u] partition \"%s\" (id %u) has no memory[%u] (it has %u "
		     "regions); its SHARED region for the link is missing",
		     l->name, k, p->name, p->id, pe->region, p->memory.count);
		return;
	}
	g = p->memory.first + pe->region;
	r = &t->mem[g];
	if (!(r->flags & BH_MEM_SHARED)) {
		verr(c,
		     "link \"%s\": peer[%u] partition \"%s\" (id %u) memory[%u] host 0x%llx is not "
		     "SHARED",
		     l->name, k, p->name, p->id, pe->region, U64(r->host));
		return;
	}
	if (r->host != l->host || r->size != l->size) {
		verr(c,
		     "link \"%s\": peer[%u] partition \"%s\" (id %u) memory[%u] host 0x%llx size "
		     "0x%llx differs from the link's host 0x%llx size 0x%llx",
		     l->name, k, p->name, p->id, pe->region, U64(r->host), U64(r->size),
		     U64(l->host), U64(l->size));
		return;
	}
	if (c->link_of[g] != BH_TABLE_NONE) {
		verr(c,
		     "link \"%s\": peer[%u] partition \"%s\" (id %u) memory[%u] already belongs to "
		     "link \"%s\"",
		     l->name, k, p->name, p->id, pe->region, t->links[c->link_of[g]].name);
		return;
	}
	c->link_of[g] = li;
}

static void check_links(struct vctx *c)
{
	const struct table_view *t = c->t;

	for (uint32_t i = 0; i < t->n[BH_SECT_MEMORY]; i++)
		c->link_of[i] = BH_TABLE_NONE;
	for (uint32_t li = 0; li < t->n[BH_SECT_LINKS]; li++) {
		const struct bh_link *l = &t->links[li];

		for (uint32_t m = 0; m < li; m++)
			if (!strncmp(t->links[m].name, l->name, BH_TABLE_NAME_MAX))
				verr(c, "link \"%s\": the name is also links[%u]'s", l->name, m);
		if (l->flags)
			verr(c, "link \"%s\": flags 0x%x has unknown bits 0x%x", l->name, l->flags,
			     l->flags);
		if (!is_pow2(l->size) || l->size < PAGE_SIZE || !IS_ALIGNED(l->host, PAGE_SIZE) ||
		    !fits_phys(l->host, l->size))
			verr(c,
			     "link \"%s\": shared memory host 0x%llx size 0x%llx is not a 4 KiB "
			     "aligned power-of-two range",
			     l->name, U64(l->host), U64(l->size));
		if (l->peer_count > BH_TABLE_LINK_PEERS_MAX) {
			verr(c, "link \"%s\": peer_count %u exceeds %u", l->name, l->peer_count,
			     BH_TABLE_LINK_PEERS_MAX);
			continue;
		}
		if (l->peer_count < 2)
			verr(c, "link \"%s\": has %u peer(s), needs at least 2", l->name,
			     l->peer_count);
		for (uint32_t k = 0; k < l->peer_count; k++)
			check_peer(c, li, k);
	}
}

/* ---- PCI --------------------------------------------------------------------- */

static uint32_t pci_key(const struct bh_pci_device *d)
{
	return TABLE_SBDF(d->segment, d->bus, d->devfn);
}

#define SBDF_FMT     "%04x:%02x:%02x.%u"
#define SBDF_ARGS(d) (d)->segment, (d)->bus, (d)->devfn >> 3, (d)->devfn & 7u

static bool pci_on_mmcfg(const struct table_view *t, const struct bh_pci_device *d)
{
	for (uint32_t i = 0; i < t->n[BH_SECT_MMCONFIG]; i++) {
		const struct bh_mmconfig *m = &t->mmcfg[i];

		if (m->segment == d->segment && d->bus >= m->bus_start && d->bus <= m->bus_end)
			return true;
	}
	return false;
}

static void check_pci(struct vctx *c)
{
	const struct table_view *t = c->t;
	uint32_t n = t->n[BH_SECT_PCI];

	for (uint32_t i = 0; i < n; i++) {
		const struct bh_pci_device *d = &t->pci[i];
		const struct bh_partition *p = table_owner(t, BH_SECT_PCI, i);
		uint32_t j = local_index(p, BH_SECT_PCI, i);
		uint32_t unknown = d->cfg_write & ~BH_PCI_CFG_W_ALL;

		if (d->flags || d->reserved)
			perr(c, p, "pci[%u] " SBDF_FMT " flags 0x%x / reserved 0x%x must be 0", j,
			     SBDF_ARGS(d), d->flags, d->reserved);
		if (unknown)
			perr(c, p, "pci[%u] " SBDF_FMT " cfg_write 0x%x has unknown bits 0x%x", j,
			     SBDF_ARGS(d), d->cfg_write, unknown);
		for (unsigned w = 0; w < BH_TABLE_PCI_WINDOWS; w++) {
			const struct bh_pci_window *win = &d->windows[w];

			if (!win->size && win->offset)
				perr(c, p,
				     "pci[%u] " SBDF_FMT " window[%u] has offset 0x%x but size 0",
				     j, SBDF_ARGS(d), w, win->offset);
			else if ((uint32_t)win->offset + win->size > BH_PCI_CONFIG_SPACE)
				perr(c, p,
				     "pci[%u] " SBDF_FMT " window[%u] 0x%x+0x%x ends beyond the "
				     "%u-byte configuration space",
				     j, SBDF_ARGS(d), w, win->offset, win->size,
				     BH_PCI_CONFIG_SPACE);
		}
		if (t->n[BH_SECT_MMCONFIG] && !pci_on_mmcfg(t, d))
			perr(c, p,
			     "pci[%u] " SBDF_FMT " is on no PCI MMCONFIG window of the platform", j,
			     SBDF_ARGS(d));
	}
	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){ .key = pci_key(&t->pci[i]), .idx = i };
	table_sort_keys(c->keys, n);
	for (uint32_t i = 1; i < n; i++) {
		uint32_t a = c->keys[i - 1].idx, b = c->keys[i].idx;
		const struct bh_partition *pa = table_owner(t, BH_SECT_PCI, a);
		const struct bh_partition *pb = table_owner(t, BH_SECT_PCI, b);
		const struct bh_pci_device *d = &t->pci[b];

		if (pci_key(&t->pci[a]) != pci_key(d))
			continue;
		if (pa == pb)
			perr(c, pb, "pci[%u] " SBDF_FMT " is listed twice (also pci[%u])",
			     local_index(pb, BH_SECT_PCI, b), SBDF_ARGS(d),
			     local_index(pa, BH_SECT_PCI, a));
		else
			perr(c, pb,
			     "pci[%u] " SBDF_FMT
			     " is also given to partition \"%s\" (id %u) pci[%u]",
			     local_index(pb, BH_SECT_PCI, b), SBDF_ARGS(d), pa->name, pa->id,
			     local_index(pa, BH_SECT_PCI, a));
	}
}

/* ---- I/O ports ------------------------------------------------------------- */

const struct table_platform_port table_x86_platform_ports[] = {
	{ 0x60, 1, "the keyboard controller's data port 0x60 (output port: reset)" },
	{ 0x64, 1, "the keyboard controller's command port 0x64 (reset pulse)" },
	{ 0x92, 1, "System Control Port A 0x92 (fast reset, A20)" },
	{ 0xb2, 2, "the APM/SMI command ports 0xb2-0xb3 (SMI)" },
};
/* the reset control register 0xcf9 is inside 0xcf8-0xcff, refused for every partition */
const unsigned table_x86_platform_port_count = ARRAY_SIZE(table_x86_platform_ports);

static void check_pio(struct vctx *c)
{
	const struct table_view *t = c->t;
	const struct bh_console *con = &t->platform->console;
	uint32_t n = t->n[BH_SECT_PIO], hold = BH_TABLE_NONE;
	uint64_t hold_end = 0;
	bool has_root = false;

	/* without a root, that error is the one to fix first */
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		has_root |= (t->parts[i].flags & BH_PART_ROOT) != 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct bh_pio_range *r = &t->pio[i];
		const struct bh_partition *p = table_owner(t, BH_SECT_PIO, i);
		uint32_t j = local_index(p, BH_SECT_PIO, i);
		uint64_t last = (uint64_t)r->base + r->size - 1;

		if (!c->x86) {
			perr(c, p, "pio[%u]: %s has no I/O ports", j,
			     table_arch_name(t->platform->arch));
			continue;
		}
		if (r->flags || r->reserved)
			perr(c, p, "pio[%u] flags 0x%x / reserved 0x%x must be 0", j, r->flags,
			     r->reserved);
		if (!r->size) {
			perr(c, p, "pio[%u] base 0x%x has size 0", j, r->base);
			continue;
		}
		if (last >= TABLE_X86_PORTS) {
			perr(c, p, "pio[%u] base 0x%x size 0x%x ends beyond port 0xffff", j,
			     r->base, r->size);
			continue;
		}
		if (table_overlaps(r->base, r->size, TABLE_X86_PCI_CFG_PORT,
				   TABLE_X86_PCI_CFG_SIZE))
			perr(c, p,
			     "pio[%u] ports 0x%x-0x%llx include the PCI configuration ports "
			     "0xcf8-0xcff, which the hypervisor emulates",
			     j, r->base, U64(last));
		for (unsigned k = 0;
		     has_root && !(p->flags & BH_PART_ROOT) && k < table_x86_platform_port_count;
		     k++) {
			const struct table_platform_port *pp = &table_x86_platform_ports[k];

			if (table_overlaps(r->base, r->size, pp->base, pp->size))
				perr(c, p,
				     "pio[%u] ports 0x%x-0x%llx include %s, which only the root "
				     "may "
				     "have (trapped by the hypervisor)",
				     j, r->base, U64(last), pp->what);
		}
		if (con->type == BH_CONSOLE_UART_8250_IO &&
		    table_overlaps(r->base, r->size, con->base, TABLE_UART_REGS))
			perr(c, p,
			     "pio[%u] ports 0x%x-0x%llx overlap the hypervisor console at 0x%llx",
			     j, r->base, U64(last), U64(con->base));
	}
	if (!c->x86)
		return;
	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){ .key = t->pio[i].base, .idx = i };
	table_sort_keys(c->keys, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = c->keys[i].idx;
		const struct bh_pio_range *rb = &t->pio[b];
		uint64_t end = (uint64_t)rb->base + rb->size;

		if (!rb->size)
			continue;
		if (hold != BH_TABLE_NONE && rb->base < hold_end) {
			const struct bh_pio_range *ra = &t->pio[hold];
			const struct bh_partition *pa = table_owner(t, BH_SECT_PIO, hold);
			const struct bh_partition *pb = table_owner(t, BH_SECT_PIO, b);

			perr(c, pb,
			     "pio[%u] ports 0x%x-0x%llx overlap partition \"%s\" (id %u) pio[%u] "
			     "ports 0x%x-0x%llx",
			     local_index(pb, BH_SECT_PIO, b), rb->base, U64(end - 1), pa->name,
			     pa->id, local_index(pa, BH_SECT_PIO, hold), ra->base,
			     U64((uint64_t)ra->base + ra->size - 1));
		}
		if (hold == BH_TABLE_NONE || end > hold_end) {
			hold = b;
			hold_end = end;
		}
	}
}

/* ---- interrupt lines ------------------------------------------------------- */

static const char *irq_unit(const struct table_view *t, uint32_t chip)
{
	if (chip < t->n[BH_SECT_IRQCHIPS] && t->irqchips[chip].type == BH_IRQCHIP_GICD)
		return "SPIs";
	return "pins";
}

static bool irq_valid(const struct table_view *t, const struct bh_irq_range *r)
{
	return r->chip < t->n[BH_SECT_IRQCHIPS] && r->count &&
	       (uint64_t)r->first + r->count <= t->irqchips[r->chip].lines;
}

static void check_irqs(struct vctx *c)
{
	const struct table_view *t = c->t;
	uint32_t n = t->n[BH_SECT_IRQS], hold = BH_TABLE_NONE;
	uint64_t hold_end = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct bh_irq_range *r = &t->irqs[i];
		const struct bh_partition *p = table_owner(t, BH_SECT_IRQS, i);
		uint32_t j = local_index(p, BH_SECT_IRQS, i);

		if (r->flags)
			perr(c, p, "irqs[%u] flags 0x%x has unknown bits 0x%x", j, r->flags,
			     r->flags);
		if (r->chip >= t->n[BH_SECT_IRQCHIPS])
			perr(c, p,
			     "irqs[%u] chip %u does not exist (the platform has %u interrupt "
			     "controllers)",
			     j, r->chip, t->n[BH_SECT_IRQCHIPS]);
		else if (!r->count)
			perr(c, p, "irqs[%u] chip %u first %u has count 0", j, r->chip, r->first);
		else if (!irq_valid(t, r))
			perr(c, p, "irqs[%u] chip %u %s %u-%llu exceed its %u lines", j, r->chip,
			     irq_unit(t, r->chip), r->first, U64((uint64_t)r->first + r->count - 1),
			     t->irqchips[r->chip].lines);
	}
	for (uint32_t i = 0; i < n; i++)
		c->keys[i] = (struct table_key){
			.key = (uint64_t)t->irqs[i].chip << 32 | t->irqs[i].first, .idx = i
		};
	table_sort_keys(c->keys, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = c->keys[i].idx;
		const struct bh_irq_range *rb = &t->irqs[b];
		uint64_t end = (uint64_t)rb->first + rb->count;

		if (!irq_valid(t, rb))
			continue;
		if (hold != BH_TABLE_NONE && t->irqs[hold].chip != rb->chip)
			hold = BH_TABLE_NONE;
		if (hold != BH_TABLE_NONE && rb->first < hold_end) {
			const struct bh_irq_range *ra = &t->irqs[hold];
			const struct bh_partition *pa = table_owner(t, BH_SECT_IRQS, hold);
			const struct bh_partition *pb = table_owner(t, BH_SECT_IRQS, b);

			perr(c, pb,
			     "irqs[%u] chip %u %s %u-%llu overlap partition \"%s\" (id %u) "
			     "irqs[%u] %s %u-%u",
			     local_index(pb, BH_SECT_IRQS, b), rb->chip, irq_unit(t, rb->chip),
			     rb->first, U64(end - 1), pa->name, pa->id,
			     local_index(pa, BH_SECT_IRQS, hold), irq_unit(t, ra->chip), ra->first,
			     ra->first + ra->count - 1);
		}
		if (hold == BH_TABLE_NONE || end > hold_end) {
			hold = b;
			hold_end = end;
		}
	}
}

/* ---- images ---------------------------------------------------------------- */

/* The partition's region with all of `flags` whose guest range holds gpa, or NULL. */
static const struct bh_mem_region *region_at(const struct table_view *t,
					     const struct bh_partition *p, uint64_t gpa,
					     uint32_t flags)
{
	const struct bh_mem_region *m = table_part_mem(t, p);

	for (uint32_t i = 0; i < p->memory.count; i++)
		if ((m[i].flags & flags) == flags && gpa >= m[i].guest &&
		    gpa - m[i].guest < m[i].size)
			return &m[i];
	return NULL;
}

static bool has_loadable(const struct table_view *t, const struct bh_partition *p)
{
	const struct bh_mem_region *m = table_part_mem(t, p);

	for (uint32_t i = 0; i < p->memory.count; i++)
		if ((m[i].flags & BH_MEM_LOADABLE) && !(m[i].flags & BH_MEM_IO))
			return true;
	return false;
}

static void check_image(struct vctx *c, const struct bh_partition *p)
{
	const struct table_view *t = c->t;
	const struct bh_image *im = &p->image;
	const char *fmt = table_image_format_name(im->format);
	uint64_t load = im->load_address;
	bool linux_image = im->format == BH_IMAGE_BZIMAGE || im->format == BH_IMAGE_ARM64_IMAGE;

	if (im->format < BH_IMAGE_BZIMAGE || im->format > BH_IMAGE_ARM64_IMAGE) {
		perr(c, p, "image format %u is unknown", im->format);
		return;
	}
	if ((im->format == BH_IMAGE_BZIMAGE && !c->x86) ||
	    (im->format == BH_IMAGE_ARM64_IMAGE && c->x86)) {
		perr(c, p, "image format %s is not for %s", fmt,
		     table_arch_name(t->platform->arch));
		return;
	}
	if (im->flags & ~BH_IMAGE_KNOWN_FLAGS)
		perr(c, p, "image flags 0x%x has unknown bits 0x%x", im->flags,
		     im->flags & ~BH_IMAGE_KNOWN_FLAGS);
	if ((im->flags & BH_IMAGE_F_START32) &&
	    (!c->x86 || (im->format != BH_IMAGE_ELF64 && im->format != BH_IMAGE_RAW)))
		perr(c, p, "image flag START32 needs an x86 ELF64 or raw image, not %s", fmt);
	if (!im->tag[0])
		perr(c, p, "image tag is empty (no boot module would hold the image)");
	if (im->initrd_tag[0] && !linux_image)
		perr(c, p,
		     "image initrd_tag \"%s\" is given for a %s image (only Linux images take an "
		     "initrd)",
		     im->initrd_tag, fmt);
	if (im->entry && im->format != BH_IMAGE_RAW)
		perr(c, p,
		     "image entry 0x%llx is only used by raw images (a %s image names its own)",
		     U64(im->entry), fmt);
	if (!has_loadable(t, p)) {
		perr(c, p, "has no LOADABLE memory region to put its %s image in", fmt);
		return;
	}
	if (im->format == BH_IMAGE_BZIMAGE && !load)
		load = TABLE_BZIMAGE_DEFAULT_LOAD;
	if (im->format == BH_IMAGE_RAW && !load)
		perr(c, p, "image load address is 0; a raw image needs one");
	else if (load && !region_at(t, p, load, BH_MEM_LOADABLE))
		perr(c, p,
		     "image load address 0x%llx is in no LOADABLE memory region (the image would "
		     "not fit its memory)",
		     U64(load));
	if (im->format == BH_IMAGE_RAW && !region_at(t, p, im->entry, BH_MEM_EXEC))
		perr(c, p, "image entry 0x%llx is in no EXEC memory region", U64(im->entry));
}

/* ---- the whole table ------------------------------------------------------- */

size_t table_scratch_size(const struct table_view *t)
{
	uint32_t most = 0;

	for (unsigned s = 0; s < BH_SECT_COUNT; s++)
		most = MAX(most, t->n[s]);
	return (size_t)most * sizeof(struct table_key) +
	       (size_t)t->n[BH_SECT_MEMORY] * sizeof(uint32_t);
}

int table_validate(const struct table_view *t, void *scratch, size_t scratch_size)
{
	struct vctx c = { .t = t };
	size_t need;

	if (!t->hdr) {
		pr_err("table: validate called without a parsed table");
		return -HV_EINVAL;
	}
	need = table_scratch_size(t);
	if (scratch_size < need || (need && (!scratch || (uintptr_t)scratch % sizeof(uint64_t)))) {
		pr_err("table: validation needs %zu bytes of 8-byte aligned scratch memory, got "
		       "%zu",
		       need, scratch_size);
		return -HV_ENOMEM;
	}
	c.keys = scratch;
	c.link_of = (uint32_t *)((uint8_t *)scratch +
				 (need - t->n[BH_SECT_MEMORY] * sizeof(uint32_t)));
	c.x86 = t->platform->arch == BH_ARCH_X86_64;

	check_platform(&c);
	check_partitions(&c);
	check_cpus(&c);
	check_links(&c);
	check_memory(&c);
	check_pci(&c);
	check_pio(&c);
	check_irqs(&c);
	for (uint32_t i = 0; i < t->n[BH_SECT_PARTITIONS]; i++)
		check_image(&c, &t->parts[i]);

	if (c.errors > TABLE_ERRORS_SHOWN)
		pr_err("table: %u errors in all, the first %u shown", c.errors, TABLE_ERRORS_SHOWN);
	return c.errors ? -HV_EINVAL : 0;
}
