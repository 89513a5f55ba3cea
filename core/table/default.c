// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table the hypervisor builds when the boot modules hold none: one root
 * partition that gets everything the hypervisor does not keep, so that a new
 * machine boots Linux under Bulkhead on the first try.
 *
 * Memory is described page by page from the firmware map: a page with any
 * byte the hypervisor keeps is not given; else a page with any byte of RAM
 * or RAM-backed firmware memory (ACPI, NVS, EFI runtime) is given as RAM -
 * a root region may span such ranges, the boot code hands them to Linux as
 * reserved; else the page (reserved, or not in the map at all) is given as
 * IO. The sweep walks the boundaries of all ranges involved without storing
 * them (O(k^2) in the number of ranges, a few hundred at most), so it needs
 * no memory.
 */
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "internal.h"

#define DEFAULT_IO_LIMIT (64ULL << 30)
#define PHYS_TOP	 (1ULL << TABLE_PHYS_BITS_MAX)

/* In rising priority: a page gets the highest class of any byte in it. */
enum cls {
	CLS_NONE = 0, /* not given */
	CLS_IO = 1,
	CLS_RAM = 2,
	CLS_KEEP = 3, /* the hypervisor keeps it */
};

struct dctx {
	const struct table_platform *hw;
	bool x86;
	uint64_t io_limit;
	uint32_t map_count;
	/* output of a sweep */
	struct bh_mem_region *out; /* NULL: count only */
	uint32_t regions;
};

static enum cls class_of_type(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
	case MEM_MODULE:
	case MEM_BOOTINFO:
	case MEM_LOWMEM:
	case MEM_PARTITION:
		return CLS_RAM;
	case MEM_HV_IMAGE:
	case MEM_HV_POOL:
		return CLS_KEEP;
	case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS:
	case BOOT_MEM_FIRMWARE:
	case BOOT_MEM_PERSISTENT:
		return CLS_RAM;
	case BOOT_MEM_BAD:
		return CLS_NONE;
	default: /* reserved: device memory as often as not */
		return CLS_IO;
	}
}

/*
 * Range number i of everything the sweep considers: the map's ranges, the
 * holes between them (IO below io_limit), and the ranges the hypervisor
 * keeps. Returns false past the last one; an empty range has a == b.
 */
static bool range_at(const struct dctx *d, uint32_t i, uint64_t *a, uint64_t *b, enum cls *cls)
{
	const struct table_platform *hw = d->hw;
	const struct mem_range *r = hw->memmap->r;
	uint32_t n = d->map_count;

	*cls = CLS_KEEP;
	if (i < n) {
		*a = r[i].base;
		*b = table_end(r[i].base, r[i].size);
		*cls = class_of_type(r[i].type);
		return true;
	}
	i -= n;
	if (i <= n) {
		*a = i ? table_end(r[i - 1].base, r[i - 1].size) : 0;
		*b = MIN(i < n ? r[i].base : d->io_limit, d->io_limit);
		if (*b < *a)
			*b = *a;
		*cls = CLS_IO;
		return true;
	}
	i -= n + 1;
	if (i == 0) {
		*a = hw->hv_base;
		*b = table_end(hw->hv_base, hw->hv_size);
		return true;
	}
	i--;
	if (i < hw->mmcfg_count) {
		const struct bh_mmconfig *m = &hw->mmcfg[i];

		*a = m->base + ((uint64_t)m->bus_start << TABLE_MMCFG_BUS_SHIFT);
		*b = m->bus_end < m->bus_start
			     ? *a
			     : table_end(*a, (uint64_t)(m->bus_end - m->bus_start + 1)
						     << TABLE_MMCFG_BUS_SHIFT);
		return true;
	}
	i -= hw->mmcfg_count;
	if (i < hw->irqchip_count) {
		*a = hw->irqchips[i].base;
		*b = table_end(*a, hw->irqchips[i].size);
		return true;
	}
	i -= hw->irqchip_count;
	if (i < hw->iommu_count) {
		*a = hw->iommus[i].base;
		*b = table_end(*a, hw->iommus[i].size);
		return true;
	}
	i -= hw->iommu_count;
	if (i == 0) {
		bool mmio = hw->console.type == BH_CONSOLE_UART_8250_MMIO ||
			    hw->console.type == BH_CONSOLE_PL011;

		*a = hw->console.base;
		*b = mmio ? table_end(*a, 1) : *a;
		return true;
	}
	if (i == 1) {
		*a = TABLE_X86_LAPIC_BASE;
		*b = d->x86 ? TABLE_X86_LAPIC_BASE + TABLE_X86_LAPIC_SIZE : *a;
		return true;
	}
	return false;
}

/* Range i widened to whole pages and clipped to the physical address space. */
static bool page_range_at(const struct dctx *d, uint32_t i, uint64_t *a, uint64_t *b, enum cls *cls)
{
	if (!range_at(d, i, a, b, cls))
		return false;
	if (*a >= *b || *a >= PHYS_TOP) {
		*a = *b = 0;
		return true;
	}
	*a = ALIGN_DOWN(*a, PAGE_SIZE);
	*b = *b > PHYS_TOP - PAGE_SIZE ? PHYS_TOP : ALIGN_UP(*b, PAGE_SIZE);
	return true;
}

static void put_region(struct dctx *d, uint64_t a, uint64_t b, enum cls cls)
{
	if (cls != CLS_RAM && cls != CLS_IO)
		return;
	if (d->out) {
		struct bh_mem_region *r = &d->out[d->regions];

		r->host = a;
		r->guest = a;
		r->size = b - a;
		r->flags = cls == CLS_RAM ? BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_DMA |
						    BH_MEM_LOADABLE
					  : BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO;
	}
	d->regions++;
}

/* Walks the address space from 0 in segments of one class; merges neighbours. */
static void sweep(struct dctx *d)
{
	uint64_t x = 0, run_start = 0;
	enum cls run = CLS_NONE;

	d->regions = 0;
	for (;;) {
		uint64_t next = UINT64_MAX, a, b;
		enum cls cls = CLS_NONE, c;

		for (uint32_t i = 0; page_range_at(d, i, &a, &b, &c); i++) {
			if (a == b)
				continue;
			if (a <= x && x < b && c > cls)
				cls = c;
			if (a > x && a < next)
				next = a;
			if (b > x && b < next)
				next = b;
		}
		if (cls != run) {
			put_region(d, run_start, x, run);
			run = cls;
			run_start = x;
		}
		if (next == UINT64_MAX)
			break;
		x = next;
	}
	put_region(d, run_start, x, run);
}

/* I/O ports [0, 0x10000) without the console's and the PCI configuration ports. */
static uint32_t root_ports(const struct table_platform *hw, struct bh_pio_range *out)
{
	uint32_t cut[2][2] = { { TABLE_X86_PCI_CFG_PORT,
				 TABLE_X86_PCI_CFG_PORT + TABLE_X86_PCI_CFG_SIZE },
			       { 0, 0 } };
	uint32_t ncut = 1, n = 0, at = 0;

	if (hw->console.type == BH_CONSOLE_UART_8250_IO &&
	    hw->console.base + TABLE_UART_REGS <= TABLE_X86_PORTS) {
		uint32_t a = (uint32_t)hw->console.base, b = a + TABLE_UART_REGS;

		if (b <= cut[0][0]) {
			cut[1][0] = cut[0][0];
			cut[1][1] = cut[0][1];
			cut[0][0] = a;
			cut[0][1] = b;
			ncut = 2;
		} else if (a >= cut[0][1]) {
			cut[1][0] = a;
			cut[1][1] = b;
			ncut = 2;
		} else { /* overlapping the config ports: widen the cut */
			cut[0][0] = MIN(a, cut[0][0]);
			cut[0][1] = MAX(b, cut[0][1]);
		}
	}
	for (uint32_t k = 0; k <= ncut; k++) {
		uint32_t end = k < ncut ? cut[k][0] : TABLE_X86_PORTS;

		if (end > at) {
			if (out)
				out[n] = (struct bh_pio_range){ .base = at, .size = end - at };
			n++;
		}
		if (k < ncut)
			at = cut[k][1];
	}
	return n;
}

static bool irq_chip_has_lines(const struct table_platform *hw, uint32_t i)
{
	uint32_t type = hw->irqchips[i].type;

	return hw->irqchips[i].lines && (type == BH_IRQCHIP_IOAPIC || type == BH_IRQCHIP_GICD);
}

int table_build_default(const struct table_platform *given, void *buf, size_t size,
			size_t *out_size)
{
	struct table_platform plat = *given, *hw = &plat;
	struct dctx d = { .hw = hw };
	uint32_t count[BH_SECT_COUNT] = { 0 };
	const char *cmdline = hw->root_cmdline ? hw->root_cmdline : "";
	const char *board = hw->board ? hw->board : "default";
	struct bh_table_header h;
	struct bh_platform *pl;
	struct bh_partition *p;
	uint8_t *b = buf;
	uint64_t total;
	uint32_t nirq = 0;

	*out_size = 0;
	/* a list given as NULL counts as empty */
	if (!hw->mmcfg)
		hw->mmcfg_count = 0;
	if (!hw->irqchips)
		hw->irqchip_count = 0;
	if (!hw->iommus)
		hw->iommu_count = 0;
	if (!hw->pci)
		hw->pci_count = 0;
	if (!hw->modules)
		hw->module_count = 0;
	if (!hw->cpu_ids)
		hw->cpu_count = 0;
	if (!hw->memmap || !hw->cpu_count || !hw->hv_size) {
		pr_err("table: a default table needs a memory map, CPUs and the hypervisor's "
		       "memory");
		return -HV_EINVAL;
	}
	if (strlen(cmdline) >= BH_TABLE_CMDLINE_MAX || strlen(board) >= BH_TABLE_NAME_MAX) {
		pr_err("table: default table: root command line or board name too long");
		return -HV_E2BIG;
	}
	d.x86 = hw->arch != BH_ARCH_ARM64;
	d.io_limit = hw->io_limit ? MIN(hw->io_limit, PHYS_TOP) : DEFAULT_IO_LIMIT;
	d.map_count = MIN(hw->memmap->count, (uint32_t)MEMMAP_MAX);
	sweep(&d);
	if (!d.regions) {
		pr_err("table: default table: the memory map leaves nothing for the root");
		return -HV_EINVAL;
	}
	for (uint32_t i = 0; i < hw->irqchip_count; i++)
		nirq += irq_chip_has_lines(hw, i);

	count[BH_SECT_PLATFORM] = 1;
	count[BH_SECT_PARTITIONS] = 1;
	count[BH_SECT_CPUS] = hw->cpu_count;
	count[BH_SECT_MEMORY] = d.regions;
	count[BH_SECT_PCI] = hw->pci_count;
	count[BH_SECT_PIO] = d.x86 ? root_ports(hw, NULL) : 0;
	count[BH_SECT_IRQS] = nirq;
	count[BH_SECT_MMCONFIG] = hw->mmcfg_count;
	count[BH_SECT_IOMMUS] = hw->iommu_count;
	count[BH_SECT_IRQCHIPS] = hw->irqchip_count;
	total = table_layout(&h, count);
	if (total == UINT64_MAX)
		return -HV_E2BIG;
	*out_size = (size_t)total;
	if (!buf || size < total)
		return -HV_ENOSPC;
	if ((uintptr_t)buf % BH_TABLE_ALIGN)
		return -HV_EINVAL;
	memset(b, 0, (size_t)total);
	memcpy(b, &h, sizeof(h));

#define SECT(s) (b + h.sections[s].offset)
	pl = (struct bh_platform *)SECT(BH_SECT_PLATFORM);
	hv_strlcpy(pl->board, board, sizeof(pl->board));
	pl->arch = d.x86 ? BH_ARCH_X86_64 : BH_ARCH_ARM64;
	pl->hv_base = hw->hv_base;
	pl->hv_size = hw->hv_size;
	pl->console = hw->console;
	if (count[BH_SECT_MMCONFIG])
		memcpy(SECT(BH_SECT_MMCONFIG), hw->mmcfg,
		       count[BH_SECT_MMCONFIG] * sizeof(struct bh_mmconfig));
	if (count[BH_SECT_IOMMUS])
		memcpy(SECT(BH_SECT_IOMMUS), hw->iommus,
		       count[BH_SECT_IOMMUS] * sizeof(struct bh_iommu));
	if (count[BH_SECT_IRQCHIPS])
		memcpy(SECT(BH_SECT_IRQCHIPS), hw->irqchips,
		       count[BH_SECT_IRQCHIPS] * sizeof(struct bh_irqchip));

	p = (struct bh_partition *)SECT(BH_SECT_PARTITIONS);
	hv_strlcpy(p->name, "root", sizeof(p->name));
	p->id = 0;
	p->flags = BH_PART_ROOT;
	p->fault_policy = BH_FAULT_STOP;
	p->cpus = (struct bh_index_range){ 0, count[BH_SECT_CPUS] };
	p->memory = (struct bh_index_range){ 0, count[BH_SECT_MEMORY] };
	p->pci = (struct bh_index_range){ 0, count[BH_SECT_PCI] };
	p->pio = (struct bh_index_range){ 0, count[BH_SECT_PIO] };
	p->irqs = (struct bh_index_range){ 0, count[BH_SECT_IRQS] };
	p->image.format = d.x86 ? BH_IMAGE_BZIMAGE : BH_IMAGE_ARM64_IMAGE;
	hv_strlcpy(p->image.tag, "linux", sizeof(p->image.tag));
	for (uint32_t i = 0; i < hw->module_count; i++)
		if (hw->modules[i].tag && table_module_matches(hw->modules[i].tag, "initrd"))
			hv_strlcpy(p->image.initrd_tag, "initrd", sizeof(p->image.initrd_tag));
	hv_strlcpy(p->image.cmdline, cmdline, sizeof(p->image.cmdline));

	for (uint32_t i = 0; i < hw->cpu_count; i++)
		((struct bh_cpu *)SECT(BH_SECT_CPUS))[i].hw_id = hw->cpu_ids[i];
	d.out = (struct bh_mem_region *)SECT(BH_SECT_MEMORY);
	sweep(&d);
	for (uint32_t i = 0; i < count[BH_SECT_PCI]; i++) {
		struct bh_pci_device *dev = (struct bh_pci_device *)SECT(BH_SECT_PCI) + i;

		dev->segment = (uint16_t)(hw->pci[i] >> 16);
		dev->bus = (uint8_t)(hw->pci[i] >> 8);
		dev->devfn = (uint8_t)hw->pci[i];
		/* a chipset bridge's own registers are never the root's (table_pci_chipset_class) */
		dev->cfg_write = hw->pci_class && table_pci_chipset_class(hw->pci_class[i])
					 ? BH_PCI_CFG_W_ALL & ~TABLE_PCI_CFG_W_CHIPSET
					 : BH_PCI_CFG_W_ALL;
	}
	if (d.x86)
		root_ports(hw, (struct bh_pio_range *)SECT(BH_SECT_PIO));
	for (uint32_t i = 0, k = 0; i < hw->irqchip_count; i++) {
		if (!irq_chip_has_lines(hw, i))
			continue;
		((struct bh_irq_range *)SECT(BH_SECT_IRQS))[k++] = (struct bh_irq_range){
			.chip = i, .first = 0, .count = hw->irqchips[i].lines
		};
	}
#undef SECT
	((struct bh_table_header *)b)->crc32 = table_blob_crc(b, (size_t)total);
	return 0;
}
