// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time checks of a validated table against the machine the hypervisor
 * found (CPUs, firmware memory map, PCI functions, boot modules). The verdict
 * is per partition: one that fails does not start, the others do.
 */
#include <stdarg.h>

#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "internal.h"

#define U64(x) ((unsigned long long)(x))

struct pctx {
	const struct table_view *t;
	const struct table_platform *hw;
	struct table_verdict *v;
	uint32_t failed;
};

static void fail(struct pctx *c, uint32_t pi, int status, const char *fmt, ...) __printf(4, 5);

/* Marks partition pi as not startable; the first reason is kept, every one is logged. */
static void fail(struct pctx *c, uint32_t pi, int status, const char *fmt, ...)
{
	const struct bh_partition *p = &c->t->parts[pi];
	struct table_verdict *v = &c->v[pi];
	char reason[TABLE_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	pr_err("table: partition \"%s\" (id %u) will not start: %s", p->name, p->id, reason);
	if (!v->status) {
		v->status = status;
		hv_strlcpy(v->reason, reason, sizeof(v->reason));
		c->failed++;
	}
}

bool table_module_matches(const char *module, const char *tag)
{
	size_t n = strlen(tag);

	if (!n || strncmp(module, tag, n))
		return false;
	return module[n] == '\0' || module[n] == ' ';
}

static const struct table_module *find_module(const struct table_platform *hw, const char *tag)
{
	for (uint32_t i = 0; i < hw->module_count; i++)
		if (hw->modules[i].tag && table_module_matches(hw->modules[i].tag, tag))
			return &hw->modules[i];
	return NULL;
}

/* ---- memory map ------------------------------------------------------------ */

enum mem_kind {
	KIND_HOLE,     /* not in the firmware map */
	KIND_RAM,      /* usable RAM, free for a partition */
	KIND_RAM_USED, /* RAM the boot still uses (modules, boot info, low memory) */
	KIND_FIRMWARE, /* RAM-backed firmware memory: ACPI, NVS, EFI runtime, ... */
	KIND_RESERVED, /* reserved: device memory or unknown */
	KIND_HV,       /* the hypervisor's image or pool */
};

static enum mem_kind kind_of(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
	case MEM_PARTITION:
		return KIND_RAM;
	case MEM_MODULE:
	case MEM_BOOTINFO:
	case MEM_LOWMEM:
		return KIND_RAM_USED;
	case MEM_HV_IMAGE:
	case MEM_HV_POOL:
		return KIND_HV;
	case BOOT_MEM_RESERVED:
		return KIND_RESERVED;
	default:
		return KIND_FIRMWARE;
	}
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
		return "RAM";
	case BOOT_MEM_RESERVED:
		return "reserved";
	case BOOT_MEM_ACPI_RECLAIM:
		return "ACPI tables";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI NVS";
	case BOOT_MEM_BAD:
		return "bad memory";
	case BOOT_MEM_FIRMWARE:
		return "EFI runtime";
	case BOOT_MEM_PERSISTENT:
		return "persistent memory";
	case MEM_HV_IMAGE:
		return "the hypervisor image";
	case MEM_MODULE:
		return "a boot module";
	case MEM_BOOTINFO:
		return "boot information";
	case MEM_LOWMEM:
		return "low memory in use";
	case MEM_HV_POOL:
		return "the hypervisor's page pool";
	case MEM_PARTITION:
		return "partition memory";
	default:
		return "of an unknown type";
	}
}

/* One stretch of [a, e) as the map describes it. */
struct stretch {
	uint64_t base;
	uint64_t end;
	uint32_t type; /* 0 for a hole */
	enum mem_kind kind;
};

/*
 * Walks the map over [a, e), calling visit for every stretch (holes
 * included) until it returns false. The map is sorted and disjoint
 * (memmap_init); a map that is not still gives a bounded walk.
 */
static void walk_map(const struct memmap *m, uint64_t a, uint64_t e,
		     bool (*visit)(void *ctx, const struct stretch *s), void *ctx)
{
	uint32_t n = MIN(m->count, (uint32_t)MEMMAP_MAX), lo = 0, hi = n;
	uint64_t at = a;

	while (lo < hi) { /* first range ending after a */
		uint32_t mid = lo + (hi - lo) / 2;

		if (table_end(m->r[mid].base, m->r[mid].size) <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t i = lo; i < n && at < e; i++) {
		const struct mem_range *r = &m->r[i];
		uint64_t rend = table_end(r->base, r->size);
		struct stretch s;

		if (rend <= at)
			continue;
		if (r->base >= e)
			break;
		if (r->base > at) {
			s = (struct stretch){ at, r->base, 0, KIND_HOLE };
			if (!visit(ctx, &s))
				return;
			at = r->base;
		}
		s = (struct stretch){ at, MIN(rend, e), r->type, kind_of(r->type) };
		if (!visit(ctx, &s))
			return;
		at = s.end;
	}
	if (at < e) {
		struct stretch s = { at, e, 0, KIND_HOLE };

		visit(ctx, &s);
	}
}

struct region_walk {
	struct pctx *c;
	uint32_t pi, j;
	const struct bh_mem_region *r;
	bool root, io;
	uint64_t ram_bytes;
	bool failed;
};

static bool visit_region(void *ctx, const struct stretch *s)
{
	struct region_walk *w = ctx;
	const char *what = s->type ? type_name(s->type) : "not in the firmware map";
	bool bad;
	const char *why;

	if (s->kind == KIND_RAM || s->kind == KIND_RAM_USED)
		w->ram_bytes += s->end - s->base;
	if (s->kind == KIND_HV) {
		bad = true;
		why = "";
	} else if (w->io) {
		bad = s->kind != KIND_HOLE && s->kind != KIND_RESERVED;
		why = " (an IO region must not be RAM)";
	} else if (w->root) {
		bad = false;
		why = "";
	} else {
		bad = s->kind != KIND_RAM;
		why = " (memory of a partition other than the root must be RAM)";
	}
	if (!bad)
		return true;
	fail(w->c, w->pi, -HV_EFAULT, "memory[%u] host 0x%llx size 0x%llx: 0x%llx-0x%llx is %s%s",
	     w->j, U64(w->r->host), U64(w->r->size), U64(s->base), U64(s->end - 1), what, why);
	w->failed = true;
	return false;
}

static void check_memory(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_mem_region *m = table_part_mem(t, p);
	uint64_t ram = 0;

	for (uint32_t j = 0; j < p->memory.count; j++) {
		struct region_walk w = {
			.c = c,
			.pi = pi,
			.j = j,
			.r = &m[j],
			.root = p->flags & BH_PART_ROOT,
			.io = m[j].flags & BH_MEM_IO,
		};

		if (c->hw->hv_size &&
		    table_overlaps(m[j].host, m[j].size, c->hw->hv_base, c->hw->hv_size)) {
			fail(c, pi, -HV_EFAULT,
			     "memory[%u] host 0x%llx size 0x%llx overlaps the hypervisor as loaded "
			     "at 0x%llx-0x%llx",
			     j, U64(m[j].host), U64(m[j].size), U64(c->hw->hv_base),
			     U64(c->hw->hv_base + c->hw->hv_size - 1));
			continue;
		}
		if (!c->hw->memmap)
			continue;
		walk_map(c->hw->memmap, m[j].host, table_end(m[j].host, m[j].size), visit_region,
			 &w);
		if (!w.io && !(m[j].flags & BH_MEM_SHARED))
			ram += w.ram_bytes;
	}
	/* a root region may span holes, but Linux needs some RAM to boot in */
	if (c->hw->memmap && (p->flags & BH_PART_ROOT) && !ram && !c->v[pi].status)
		fail(c, pi, -HV_EFAULT, "none of its memory is RAM in the firmware map");
}

/* ---- CPUs, devices, images ------------------------------------------------- */

static void check_cpus(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_cpu *cpus = table_part_cpus(t, p);
	bool x86 = t->platform->arch == BH_ARCH_X86_64;

	for (uint32_t j = 0; j < p->cpus.count; j++) {
		bool found = false;

		for (uint32_t k = 0; k < c->hw->cpu_count && !found; k++)
			found = c->hw->cpu_ids[k] == cpus[j].hw_id;
		if (!found)
			fail(c, pi, -HV_ENODEV,
			     "cpu[%u] %s 0x%llx is not among the machine's CPUs (%s)", j,
			     x86 ? "APIC ID" : "MPIDR", U64(cpus[j].hw_id),
			     x86 ? "MADT" : "device tree");
	}
}

/* A bridge partition pi has: none of the buses behind it may hold another partition's function. */
static void check_bridge(struct pctx *c, uint32_t pi, uint32_t j, const struct bh_pci_device *b,
			 uint32_t buses)
{
	const struct table_view *t = c->t;
	uint32_t sec = TABLE_PCI_BRIDGE_SEC(buses), sub = TABLE_PCI_BRIDGE_SUB(buses);

	for (uint32_t q = 0; q < t->n[BH_SECT_PARTITIONS]; q++) {
		const struct bh_partition *o = &t->parts[q];
		const struct bh_pci_device *od = table_part_pci(t, o);

		if (q == pi)
			continue;
		for (uint32_t i = 0; i < o->pci.count; i++) {
			if (od[i].segment != b->segment || od[i].bus < sec || od[i].bus > sub)
				continue;
			fail(c, pi, -HV_EPERM,
			     "pci[%u] %04x:%02x:%02x.%u is a bridge to buses %u-%u, which hold "
			     "partition \"%s\"'s %04x:%02x:%02x.%u (it could renumber, re-window "
			     "or reset it)",
			     j, b->segment, b->bus, b->devfn >> 3, b->devfn & 7u, sec, sub, o->name,
			     od[i].segment, od[i].bus, od[i].devfn >> 3, od[i].devfn & 7u);
			return;
		}
	}
}

static void check_pci(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_pci_device *d = table_part_pci(t, p);

	for (uint32_t j = 0; j < p->pci.count; j++) {
		uint32_t key = TABLE_SBDF(d[j].segment, d[j].bus, d[j].devfn);
		bool found = false;
		uint32_t k;

		for (k = 0; k < c->hw->pci_count && !found; k++)
			found = c->hw->pci[k] == key;
		if (found && c->hw->pci_class && table_pci_chipset_class(c->hw->pci_class[k - 1]) &&
		    (d[j].cfg_write & TABLE_PCI_CFG_W_CHIPSET))
			fail(c, pi, -HV_EPERM,
			     "pci[%u] %04x:%02x:%02x.%u is a host or ISA/LPC bridge (class "
			     "0x%06x): "
			     "cfg_write 0x%x grants its chipset registers (CAPS/EXT); use "
			     "CFG_DEFAULT",
			     j, d[j].segment, d[j].bus, d[j].devfn >> 3, d[j].devfn & 7u,
			     c->hw->pci_class[k - 1], d[j].cfg_write);
		if (found && c->hw->pci_bridge && c->hw->pci_bridge[k - 1])
			check_bridge(c, pi, j, &d[j], c->hw->pci_bridge[k - 1]);
		if (found)
			continue;
		/* the root gets "what it may use"; a device it lacks harms no one */
		if (p->flags & BH_PART_ROOT)
			pr_warn("table: partition \"%s\" (id %u): pci[%u] %04x:%02x:%02x.%u is not "
				"on the machine; the root starts without it",
				p->name, p->id, j, d[j].segment, d[j].bus, d[j].devfn >> 3,
				d[j].devfn & 7u);
		else
			fail(c, pi, -HV_ENODEV, "pci[%u] %04x:%02x:%02x.%u is not on the machine",
			     j, d[j].segment, d[j].bus, d[j].devfn >> 3, d[j].devfn & 7u);
	}
}

static void check_ports(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_pio_range *r = table_part_pio(t, p);

	if (p->flags & BH_PART_ROOT)
		return; /* the root's are trapped and emulated */
	for (uint32_t j = 0; j < p->pio.count; j++)
		for (uint32_t k = 0; k < c->hw->ctl_port_count; k++) {
			const struct table_platform_port *pp = &c->hw->ctl_ports[k];

			if (table_overlaps(r[j].base, r[j].size, pp->base, pp->size))
				fail(c, pi, -HV_EPERM,
				     "pio[%u] ports 0x%x-0x%llx include %s, the hypervisor's", j,
				     r[j].base, U64((uint64_t)r[j].base + r[j].size - 1), pp->what);
		}
}

static void check_windows(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_mem_region *m = table_part_mem(t, p);
	bool root = p->flags & BH_PART_ROOT;

	for (uint32_t j = 0; j < p->memory.count; j++)
		for (uint32_t k = 0; k < c->hw->ctl_window_count; k++) {
			const struct table_platform_window *w = &c->hw->ctl_windows[k];

			if ((root && w->root_trapped) ||
			    !table_overlaps(m[j].host, m[j].size, w->base, w->size))
				continue;
			fail(c, pi, -HV_EPERM,
			     "memory[%u] host 0x%llx-0x%llx covers %s at 0x%llx-0x%llx (the "
			     "firmware's description), the hypervisor's",
			     j, U64(m[j].host), U64(m[j].host + m[j].size - 1), w->what,
			     U64(w->base), U64(w->base + w->size - 1));
		}
}

static uint64_t loadable_bytes(const struct table_view *t, const struct bh_partition *p)
{
	const struct bh_mem_region *m = table_part_mem(t, p);
	uint64_t sum = 0;

	for (uint32_t j = 0; j < p->memory.count; j++)
		if ((m[j].flags & BH_MEM_LOADABLE) && !(m[j].flags & BH_MEM_IO))
			sum += m[j].size;
	return sum;
}

static void check_image(struct pctx *c, uint32_t pi)
{
	const struct table_view *t = c->t;
	const struct bh_partition *p = &t->parts[pi];
	const struct bh_image *im = &p->image;
	const struct table_module *mod = find_module(c->hw, im->tag);
	const struct bh_mem_region *m = table_part_mem(t, p);

	if (!mod) {
		fail(c, pi, -HV_ENOENT, "image tag \"%s\" names no boot module", im->tag);
		return;
	}
	if (im->initrd_tag[0] && !find_module(c->hw, im->initrd_tag))
		fail(c, pi, -HV_ENOENT, "image initrd_tag \"%s\" names no boot module",
		     im->initrd_tag);
	if (im->format == BH_IMAGE_RAW) {
		for (uint32_t j = 0; j < p->memory.count; j++) {
			uint64_t room;

			if (!(m[j].flags & BH_MEM_LOADABLE) || im->load_address < m[j].guest ||
			    im->load_address - m[j].guest >= m[j].size)
				continue;
			room = m[j].size - (im->load_address - m[j].guest);
			if (mod->size > room)
				fail(c, pi, -HV_E2BIG,
				     "raw image \"%s\" of 0x%llx bytes does not fit at 0x%llx in "
				     "memory[%u] (0x%llx bytes left)",
				     im->tag, U64(mod->size), U64(im->load_address), j, U64(room));
			return;
		}
	} else if (mod->size > loadable_bytes(t, p)) {
		fail(c, pi, -HV_E2BIG,
		     "image \"%s\" of 0x%llx bytes is larger than its LOADABLE memory (0x%llx "
		     "bytes)",
		     im->tag, U64(mod->size), U64(loadable_bytes(t, p)));
	}
}

int table_check_platform(const struct table_view *t, const struct table_platform *hw,
			 struct table_verdict *v, uint32_t v_count)
{
	struct pctx c = { .t = t, .hw = hw, .v = v };
	uint32_t n = t->n[BH_SECT_PARTITIONS];

	if (!t->hdr || v_count < n) {
		pr_err("table: platform check needs a parsed table and %u verdict slots (got %u)",
		       n, v_count);
		return -HV_EINVAL;
	}
	if (hw->arch && hw->arch != t->platform->arch) {
		pr_err("table: the table is for %s, this machine is %s",
		       table_arch_name(t->platform->arch), table_arch_name(hw->arch));
		return -HV_EINVAL;
	}
	if (!hw->memmap)
		pr_warn("table: no memory map; partition memory is not checked against it");
	if (hw->hv_size && (hw->hv_base < t->platform->hv_base ||
			    table_end(hw->hv_base, hw->hv_size) >
				    table_end(t->platform->hv_base, t->platform->hv_size)))
		pr_warn("table: the hypervisor at 0x%llx-0x%llx is outside the table's hypervisor "
			"memory 0x%llx-0x%llx",
			U64(hw->hv_base), U64(hw->hv_base + hw->hv_size - 1),
			U64(t->platform->hv_base),
			U64(t->platform->hv_base + t->platform->hv_size - 1));

	for (uint32_t i = 0; i < n; i++) {
		v[i].id = t->parts[i].id;
		v[i].status = 0;
		v[i].reason[0] = '\0';
	}
	if (!hw->cpu_ids)
		pr_warn("table: no CPU list; partition CPUs are not checked");
	if (!hw->pci)
		pr_warn("table: no PCI device list; partition devices are not checked");
	if (!hw->modules)
		pr_warn("table: no boot module list; image tags are not checked");
	for (uint32_t i = 0; i < n; i++) {
		if (hw->cpu_ids)
			check_cpus(&c, i);
		check_memory(&c, i);
		if (hw->pci)
			check_pci(&c, i);
		check_ports(&c, i);
		check_windows(&c, i);
		if (hw->modules)
			check_image(&c, i);
	}
	return (int)c.failed;
}
