/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test helpers for the partition table: a valid three-partition table (the
 * QEMU demo's shape) held in mutable arrays, so each test can break exactly
 * one thing, emit it, and check the validator's verdict and message.
 */
#ifndef TEST_TABLE_TEST_H
#define TEST_TABLE_TEST_H

#include <stdlib.h>

#include "../check.h"
#include "core/errno.h"
#include "core/table.h"

#define TT_PARTS 4
#define TT_ITEMS 8

struct tt {
	struct table_desc d;
	struct table_desc_partition parts[TT_PARTS];
	uint64_t cpus[TT_PARTS][TT_ITEMS];
	struct bh_mem_region mem[TT_PARTS][TT_ITEMS];
	struct bh_pci_device pci[TT_PARTS][TT_ITEMS];
	struct bh_pio_range pio[TT_PARTS][TT_ITEMS];
	struct bh_irq_range irqs[TT_PARTS][TT_ITEMS];
	struct table_desc_link links[TT_ITEMS];
	struct table_desc_peer peers[TT_ITEMS][BH_TABLE_LINK_PEERS_MAX + 1];
	struct bh_mmconfig mmcfg[TT_ITEMS];
	struct bh_irqchip irqchips[TT_ITEMS];
	struct bh_iommu iommus[TT_ITEMS];
	/* the emitted blob */
	uint64_t blob[16384];
	size_t size;
	struct table_view view;
};

#define TT_RAM	 (BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_DMA | BH_MEM_LOADABLE)
#define TT_MMIO	 (BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO)
#define TT_SHMEM (BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED)

static inline struct bh_mem_region tt_mem(uint64_t host, uint64_t guest, uint64_t size,
					  uint32_t flags)
{
	return (struct bh_mem_region){ .host = host, .guest = guest, .size = size, .flags = flags };
}

static inline struct bh_pci_device tt_pci(unsigned bus, unsigned dev, unsigned fn)
{
	return (struct bh_pci_device){ .bus = (uint8_t)bus,
				       .devfn = BH_PCI_DEVFN(dev, fn),
				       .cfg_write = BH_PCI_CFG_W_DEFAULT };
}

/* Points the description's arrays at the struct's storage (counts stay as set). */
static inline void tt_wire(struct tt *t)
{
	t->d.partitions = t->parts;
	t->d.links = t->links;
	t->d.platform.mmconfig = t->mmcfg;
	t->d.platform.irqchips = t->irqchips;
	t->d.platform.iommus = t->iommus;
	for (int i = 0; i < TT_PARTS; i++) {
		t->parts[i].cpus = t->cpus[i];
		t->parts[i].memory = t->mem[i];
		t->parts[i].pci = t->pci[i];
		t->parts[i].pio = t->pio[i];
		t->parts[i].irqs = t->irqs[i];
	}
	for (int i = 0; i < TT_ITEMS; i++)
		t->links[i].peers = t->peers[i];
}

/*
 * The valid table: root (id 0) on CPUs 0-1, rtos1 (id 1) on CPU 2 with COM2
 * and PCI 00:03.0, rtos2 (id 2) on CPU 3; links root-rtos1 and root-rtos2.
 */
static inline void tt_good(struct tt *t)
{
	struct table_desc_partition *p;

	memset(t, 0, sizeof(*t));
	tt_wire(t);
	t->d.platform.board = "test-board";
	t->d.platform.arch = BH_ARCH_X86_64;
	t->d.platform.hv_base = 0x1000000;
	t->d.platform.hv_size = 0x4000000;
	t->d.platform.console = (struct bh_console){ .type = BH_CONSOLE_UART_8250_IO,
						     .base = 0x3f8,
						     .baud = 115200 };
	t->mmcfg[0] = (struct bh_mmconfig){ .base = 0xb0000000, .bus_start = 0, .bus_end = 255 };
	t->d.platform.mmconfig_count = 1;
	t->irqchips[0] = (struct bh_irqchip){
		.type = BH_IRQCHIP_IOAPIC, .base = 0xfec00000, .size = 0x1000, .lines = 24
	};
	t->d.platform.irqchip_count = 1;

	p = &t->parts[0];
	p->name = "root";
	p->id = 0;
	p->flags = BH_PART_ROOT;
	t->cpus[0][0] = 0;
	t->cpus[0][1] = 1;
	p->cpu_count = 2;
	t->mem[0][0] = tt_mem(0x0, 0x0, 0x1000000, TT_RAM);
	t->mem[0][1] = tt_mem(0x5000000, 0x5000000, 0x1b000000, TT_RAM);
	t->mem[0][2] = tt_mem(0x22000000, 0x22000000, 0x100000, TT_SHMEM);
	t->mem[0][3] = tt_mem(0x22100000, 0x22100000, 0x100000, TT_SHMEM);
	t->mem[0][4] = tt_mem(0x22200000, 0x22200000, 0x5de00000, TT_RAM);
	t->mem[0][5] = tt_mem(0x80000000, 0x80000000, 0x30000000, TT_MMIO);
	p->memory_count = 6;
	t->pci[0][0] = tt_pci(0, 0, 0);
	t->pci[0][1] = tt_pci(0, 2, 0);
	p->pci_count = 2;
	t->pio[0][0] = (struct bh_pio_range){ .base = 0x0, .size = 0x2f8 };
	t->pio[0][1] = (struct bh_pio_range){ .base = 0x300, .size = 0xf8 };
	t->pio[0][2] = (struct bh_pio_range){ .base = 0x400, .size = 0x8f8 };
	t->pio[0][3] = (struct bh_pio_range){ .base = 0xd00, .size = 0xf300 };
	p->pio_count = 4;
	t->irqs[0][0] = (struct bh_irq_range){ .chip = 0, .first = 0, .count = 3 };
	t->irqs[0][1] = (struct bh_irq_range){ .chip = 0, .first = 5, .count = 19 };
	p->irq_count = 2;
	p->image = (struct table_desc_image){ .format = BH_IMAGE_BZIMAGE,
					      .tag = "linux",
					      .initrd_tag = "initrd",
					      .cmdline = "console=ttyS0" };

	p = &t->parts[1];
	p->name = "rtos1";
	p->id = 1;
	p->flags = BH_PART_RT | BH_PART_RESTARTABLE;
	p->fault_policy = BH_FAULT_RESTART;
	t->cpus[1][0] = 2;
	p->cpu_count = 1;
	t->mem[1][0] = tt_mem(0x20000000, 0x0, 0x1000000, TT_RAM);
	t->mem[1][1] = tt_mem(0x22000000, 0x1000000, 0x100000, TT_SHMEM);
	p->memory_count = 2;
	t->pci[1][0] = tt_pci(0, 3, 0);
	p->pci_count = 1;
	t->pio[1][0] = (struct bh_pio_range){ .base = 0x2f8, .size = 8 };
	p->pio_count = 1;
	t->irqs[1][0] = (struct bh_irq_range){ .chip = 0, .first = 3, .count = 1 };
	p->irq_count = 1;
	p->image = (struct table_desc_image){ .format = BH_IMAGE_ELF64, .tag = "rtos1" };

	p = &t->parts[2];
	p->name = "rtos2";
	p->id = 2;
	p->flags = BH_PART_RT | BH_PART_VIRTUAL_CONSOLE;
	t->cpus[2][0] = 3;
	p->cpu_count = 1;
	t->mem[2][0] = tt_mem(0x21000000, 0x0, 0x1000000, TT_RAM);
	t->mem[2][1] = tt_mem(0x22100000, 0x1000000, 0x100000, TT_SHMEM);
	p->memory_count = 2;
	p->image = (struct table_desc_image){ .format = BH_IMAGE_ELF64, .tag = "rtos2" };
	t->d.partition_count = 3;

	t->links[0] = (struct table_desc_link){ .name = "root-rtos1",
						.host = 0x22000000,
						.size = 0x100000,
						.peers = t->peers[0],
						.peer_count = 2 };
	t->peers[0][0] = (struct table_desc_peer){ .partition = "root" };
	t->peers[0][1] = (struct table_desc_peer){ .partition = "rtos1", .vector = 0x40 };
	t->links[1] = (struct table_desc_link){ .name = "root-rtos2",
						.host = 0x22100000,
						.size = 0x100000,
						.peers = t->peers[1],
						.peer_count = 2 };
	t->peers[1][0] = (struct table_desc_peer){ .partition = "root" };
	t->peers[1][1] = (struct table_desc_peer){ .partition = "rtos2", .vector = 0x40 };
	t->d.link_count = 2;
}

/* Emits t->d into t->blob; returns table_emit's result. */
static inline int tt_emit(struct tt *t)
{
	return table_emit(&t->d, t->blob, sizeof(t->blob), &t->size);
}

/* Parses and validates t->blob as it is. */
static inline int tt_check_blob(struct tt *t)
{
	size_t need;
	void *scratch;
	int err = table_parse(&t->view, t->blob, t->size);

	if (err)
		return err;
	need = table_scratch_size(&t->view);
	scratch = malloc(need ? need : 1);
	err = table_validate(&t->view, scratch, need);
	free(scratch);
	return err;
}

/* Emits, parses and validates. */
static inline int tt_run(struct tt *t)
{
	int err = tt_emit(t);

	return err ? err : tt_check_blob(t);
}

/* Recomputes the CRC after a test patched the blob. */
static inline void tt_fix_crc(struct tt *t)
{
	struct bh_table_header *h = (struct bh_table_header *)t->blob;

	h->crc32 = table_blob_crc(t->blob, h->total_size);
}

/* Number of error lines in the captured log. */
static inline int tt_errors(void)
{
	int n = 0;

	for (const char *s = test_log_text(); (s = strstr(s, "ERROR: ")); s++)
		n++;
	return n;
}

/*
 * The table must be rejected with `msg` in the log, and (when errors > 0)
 * with exactly that many error lines: each bad table fails for its own reason.
 */
#define TT_REJECT(t, msg, errors)                                                           \
	do {                                                                                \
		int err_;                                                                   \
		test_log_clear();                                                           \
		err_ = tt_run(t);                                                           \
		CHECK(err_ < 0);                                                            \
		CHECK_LOG(msg);                                                             \
		if ((errors) > 0 && tt_errors() != (errors)) {                              \
			check_failed++;                                                     \
			fprintf(stderr, "%s:%d: expected %d error line(s), log was:\n%s\n", \
				__FILE__, __LINE__, (int)(errors), test_log_text());        \
		}                                                                           \
	} while (0)

/* Same, for a blob already patched by the test. */
#define TT_REJECT_BLOB(t, msg)               \
	do {                                 \
		test_log_clear();            \
		CHECK(tt_check_blob(t) < 0); \
		CHECK_LOG(msg);              \
		CHECK_EQ(tt_errors(), 1);    \
	} while (0)

/* ---- machines for the boot-time checks ---- */

static inline void tt_map_add(struct memmap *m, uint64_t base, uint64_t end, uint32_t type)
{
	m->r[m->count++] = (struct mem_range){ .base = base, .size = end - base, .type = type };
}

/* SeaBIOS e820 for QEMU q35 with ram_end bytes of RAM below 2 GiB (-m 2G: 0x80000000). */
static inline void tt_map_seabios(struct memmap *m, uint64_t ram_end)
{
	m->count = 0;
	tt_map_add(m, 0x0, 0x9fc00, BOOT_MEM_RAM);
	tt_map_add(m, 0x9fc00, 0xa0000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xf0000, 0x100000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0x100000, ram_end - 0x20000, BOOT_MEM_RAM);
	tt_map_add(m, ram_end - 0x20000, ram_end, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xb0000000, 0xc0000000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xfed1c000, 0xfed20000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xfeffc000, 0xff000000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xfffc0000, 0x100000000ULL, BOOT_MEM_RESERVED);
}

/* An OVMF-style map for q35 -m 2G: NVS and reserved ranges scattered in RAM. */
static inline void tt_map_ovmf(struct memmap *m)
{
	m->count = 0;
	tt_map_add(m, 0x0, 0xa0000, BOOT_MEM_RAM);
	tt_map_add(m, 0x100000, 0x800000, BOOT_MEM_RAM);
	tt_map_add(m, 0x800000, 0x808000, BOOT_MEM_ACPI_NVS);
	tt_map_add(m, 0x808000, 0x80b000, BOOT_MEM_RAM);
	tt_map_add(m, 0x80b000, 0x80c000, BOOT_MEM_ACPI_NVS);
	tt_map_add(m, 0x80c000, 0x811000, BOOT_MEM_RAM);
	tt_map_add(m, 0x811000, 0x900000, BOOT_MEM_ACPI_NVS);
	tt_map_add(m, 0x900000, 0x7e8ef000, BOOT_MEM_RAM);
	tt_map_add(m, 0x7e8ef000, 0x7eb6f000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0x7eb6f000, 0x7eb7f000, BOOT_MEM_ACPI_RECLAIM);
	tt_map_add(m, 0x7eb7f000, 0x7ebff000, BOOT_MEM_ACPI_NVS);
	tt_map_add(m, 0x7ebff000, 0x7ef60000, BOOT_MEM_FIRMWARE);
	tt_map_add(m, 0x7ef60000, 0x7ef64000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0x7ef64000, 0x7ef66000, BOOT_MEM_ACPI_NVS);
	tt_map_add(m, 0x7ef66000, 0x7ff78000, BOOT_MEM_RAM);
	tt_map_add(m, 0x7ff78000, 0x80000000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xb0000000, 0xc0000000, BOOT_MEM_RESERVED);
	tt_map_add(m, 0xffc00000, 0x100000000ULL, BOOT_MEM_RESERVED);
}

static const uint64_t tt_q35_cpus[] = { 0, 1, 2, 3 };
static const uint32_t tt_q35_pci[] = {
	TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x00, 0)), TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x01, 0)),
	TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x02, 0)), TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x03, 0)),
	TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x1f, 0)), TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x1f, 2)),
	TABLE_SBDF(0, 0, BH_PCI_DEVFN(0x1f, 3)),
};
/* their classes: host bridge, VGA, two NICs, ISA/LPC bridge, AHCI, SMBus */
static const uint32_t tt_q35_class[] = {
	0x060000, 0x030000, 0x020000, 0x020000, 0x060100, 0x010601, 0x0c0500,
};
static const struct table_module tt_q35_modules[] = {
	{ "bulkhead-table", 0x2000 }, { "linux console=ttyS0", 0x800000 },
	{ "initrd", 0x400000 },	      { "rtos1", 0x20000 },
	{ "rtos2", 0x20000 },
};
static const struct bh_mmconfig tt_q35_mmcfg[] = { { .base = 0xb0000000, .bus_end = 255 } };
static const struct bh_irqchip tt_q35_ioapic[] = {
	{ .type = BH_IRQCHIP_IOAPIC, .base = 0xfec00000, .size = 0x1000, .lines = 24 },
};

/* q35's platform-control ports as x86 finds them (platform.c arch_platform_ports) */
static const struct table_platform_port tt_q35_ctl[] = {
	{ 0x600, 0x80, "the chipset's PM block (PM1, SMI_EN, the TCO watchdog)" },
	{ 0x600, 4, "the FADT's PM1a event block" },
	{ 0x604, 2, "the FADT's PM1a control block" },
	{ 0xb2, 1, "the FADT's SMI command port" },
	{ 0xcf9, 1, "the FADT's reset register" },
};

/* q35's platform register windows as x86 finds them (platform.c arch_platform_windows) */
static const struct table_platform_window tt_q35_win[] = {
	{ 0xb0000000, 0x10000000, "a PCI configuration window (MCFG)", false },
	{ 0xfec00000, 0x1000, "an IOAPIC (MADT)", false },
	{ 0xfee00000, 0x100000, "the local APIC and MSI window", false },
	{ 0xfed00000, 0x400, "the HPET (ACPI)", true },
	{ 0xfed1c000, 0x4000, "the chipset's RCRB", true },
};

/* What the hypervisor would find on QEMU q35 -smp 4 -m 2G with the demo's modules. */
static inline void tt_q35(struct table_platform *hw, struct memmap *m)
{
	tt_map_seabios(m, 0x80000000);
	*hw = (struct table_platform){
		.arch = BH_ARCH_X86_64,
		.cpu_ids = tt_q35_cpus,
		.cpu_count = 4,
		.memmap = m,
		.pci = tt_q35_pci,
		.pci_class = tt_q35_class,
		.pci_count = ARRAY_SIZE(tt_q35_pci),
		.modules = tt_q35_modules,
		.module_count = ARRAY_SIZE(tt_q35_modules),
		.hv_base = 0x1000000,
		.hv_size = 0x4000000,
		.console = { .type = BH_CONSOLE_UART_8250_IO, .base = 0x3f8, .baud = 115200 },
		.mmcfg = tt_q35_mmcfg,
		.mmcfg_count = 1,
		.irqchips = tt_q35_ioapic,
		.irqchip_count = 1,
		.ctl_ports = tt_q35_ctl,
		.ctl_port_count = ARRAY_SIZE(tt_q35_ctl),
		.ctl_windows = tt_q35_win,
		.ctl_window_count = ARRAY_SIZE(tt_q35_win),
	};
}

/* Reads a file into a fresh 8-byte aligned buffer; NULL if it is missing. */
static inline void *tt_read(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint64_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 8);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

#endif
