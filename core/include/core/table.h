/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The partition table in core/: a view over a blob in place (no copies, no
 * allocation), the validator shared by the hypervisor and the host tool, the
 * boot-time checks against the hardware found, the "everything to the root"
 * default table, and the emitter that lays out a blob from a description.
 *
 * Every message starts with "table: " and names the partition, the field and
 * the offending value, e.g.
 *   table: partition "rtos1" (id 2): memory[1] host 0x21000000 size 0x1000000
 *   overlaps partition "rtos2" (id 3) memory[0]
 */
#ifndef CORE_TABLE_H
#define CORE_TABLE_H

#include "bulkhead/table.h"
#include "core/memmap.h"
#include "core/types.h"

/* Messages beyond this many per call are counted but not printed. */
#define TABLE_ERRORS_SHOWN 32

/* The largest physical address width any supported MMU maps (x86 and arm64: 52 bits). */
#define TABLE_PHYS_BITS_MAX 52

/*
 * A parsed blob. Valid after table_parse() returned 0, for as long as the
 * blob stays in place; every index range in it has been bounds-checked.
 */
struct table_view {
	const uint8_t *blob;
	uint32_t size;
	const struct bh_table_header *hdr;
	const struct bh_platform *platform;
	const struct bh_partition *parts;
	const struct bh_mem_region *mem;
	const struct bh_cpu *cpus;
	const struct bh_pci_device *pci;
	const struct bh_pio_range *pio;
	const struct bh_irq_range *irqs;
	const struct bh_link *links;
	const struct bh_mmconfig *mmcfg;
	const struct bh_iommu *iommus;
	const struct bh_irqchip *irqchips;
	uint32_t n[BH_SECT_COUNT]; /* record count of each section */
};

/* CRC32 (IEEE 802.3, reflected 0xEDB88320, as zlib's crc32()); start with crc = 0. */
uint32_t table_crc32(uint32_t crc, const void *data, size_t len);

/* The blob's CRC as the header should carry it: the crc32 field read as zero. */
uint32_t table_blob_crc(const void *blob, size_t size);

/*
 * Checks the blob's structure (magic, version, sizes, CRC, section bounds and
 * alignment, index ranges, strings) and fills *t. The blob must be 8-byte
 * aligned. Returns 0, or -HV_EINVAL / -HV_EBADMSG after logging why.
 */
int table_parse(struct table_view *t, const void *blob, size_t size);

/*
 * Copies a parsed blob (t->size bytes) to to, 8-byte aligned, and points t
 * at the copy: the same checked bytes, so nothing is parsed again.
 */
void table_move(struct table_view *t, void *to);

/* Bytes of scratch memory table_validate() needs for this table. */
size_t table_scratch_size(const struct table_view *t);

/*
 * Checks what the table means: overlaps, duplicates, flags, alignments,
 * links, images, the root rule (docs/partition-table.md lists them all).
 * scratch must hold table_scratch_size(t) bytes, 8-byte aligned. Logs every
 * problem (the first TABLE_ERRORS_SHOWN of them). Returns 0, -HV_EINVAL when
 * the table is wrong, or -HV_ENOMEM when scratch is too small.
 * Cost: O(n log n) in the number of records, no recursion.
 */
int table_validate(const struct table_view *t, void *scratch, size_t scratch_size);

/* table_parse() then table_validate(). */
int table_load(struct table_view *t, const void *blob, size_t size, void *scratch,
	       size_t scratch_size);

/* Records of one partition (after table_parse). */
static inline const struct bh_mem_region *table_part_mem(const struct table_view *t,
							 const struct bh_partition *p)
{
	return t->mem + p->memory.first;
}

static inline const struct bh_cpu *table_part_cpus(const struct table_view *t,
						   const struct bh_partition *p)
{
	return t->cpus + p->cpus.first;
}

static inline const struct bh_pci_device *table_part_pci(const struct table_view *t,
							 const struct bh_partition *p)
{
	return t->pci + p->pci.first;
}

static inline const struct bh_pio_range *table_part_pio(const struct table_view *t,
							const struct bh_partition *p)
{
	return t->pio + p->pio.first;
}

static inline const struct bh_irq_range *table_part_irqs(const struct table_view *t,
							 const struct bh_partition *p)
{
	return t->irqs + p->irqs.first;
}

/* The partition with this id, or NULL. */
const struct bh_partition *table_find_partition(const struct table_view *t, uint32_t id);

/* The partition owning record idx of a per-partition section (CPUS..IRQS), or NULL. */
const struct bh_partition *table_owner(const struct table_view *t, unsigned sect, uint32_t idx);

/* The first ROOT partition, or NULL. */
const struct bh_partition *table_root(const struct table_view *t);

/* Names for messages and the host tool. */
const char *table_section_name(unsigned sect);
const char *table_image_format_name(uint32_t format);
const char *table_arch_name(uint32_t arch);
/* "READ|WRITE|EXEC" style lists of set flag names; unknown bits as hex. */
void table_mem_flags_str(uint32_t flags, char *buf, size_t size);
void table_part_flags_str(uint32_t flags, char *buf, size_t size);
void table_pci_cfg_str(uint32_t cfg_write, char *buf, size_t size);

/* ---- boot-time checks against the hardware ------------------------------- */

/* A boot module: its string ("rtos1", "linux console=ttyS0") and size in bytes. */
struct table_module {
	const char *tag;
	uint64_t size;
};

/* PCI function address as one number: segment << 16 | bus << 8 | devfn. */
#define TABLE_SBDF(seg, bus, devfn) (((uint32_t)(seg) << 16) | ((uint32_t)(bus) << 8) | (devfn))

/*
 * What the hypervisor found on the machine. Fields the check does not need
 * may be zero/NULL: a missing list skips the checks that need it (with a
 * warning).
 */
/* A run of I/O ports that controls the platform (reset, power, SMI, watchdog), named */
struct table_platform_port {
	uint16_t base, size;
	const char *what;
};

/*
 * A window of platform registers in the physical address space (x86: the
 * MCFG's configuration windows, the IOAPICs, the local APIC/MSI range, the
 * HPET, the chipset's RCRB), as the firmware describes it, named.
 */
struct table_platform_window {
	uint64_t base, size;
	const char *what;
	bool root_trapped; /* the root's accesses to it are trapped and checked: it may have it */
};

#define TABLE_PCI_BRIDGE(sec, sub) ((1u << 16) | ((uint32_t)(sub) << 8) | (uint32_t)(sec))
#define TABLE_PCI_BRIDGE_SEC(v)	   ((v)&0xffu)
#define TABLE_PCI_BRIDGE_SUB(v)	   (((v) >> 8) & 0xffu)

struct table_platform {
	uint32_t arch; /* BH_ARCH_*, 0 = do not check */
	/* CPUs enabled in the MADT (APIC IDs) or the device tree (MPIDRs) */
	const uint64_t *cpu_ids;
	uint32_t cpu_count;
	/* the firmware memory map; carved hypervisor ranges (MEM_HV_*) may be marked */
	const struct memmap *memmap;
	/* PCI functions present, TABLE_SBDF() values */
	const uint32_t *pci;
	uint32_t pci_count;
	/* their class codes (base << 16 | sub << 8 | interface), same order; NULL: unknown */
	const uint32_t *pci_class;
	/*
	 * Same order: for a PCI-to-PCI bridge TABLE_PCI_BRIDGE(secondary,
	 * subordinate), else 0; NULL: unknown. A partition may not have a bridge
	 * whose buses hold another partition's function: it could renumber,
	 * re-window or reset them.
	 */
	const uint32_t *pci_bridge;
	/* boot modules */
	const struct table_module *modules;
	uint32_t module_count;
	/* the hypervisor's own memory (image and pool) as actually placed; 0 size = unknown */
	hpa_t hv_base;
	uint64_t hv_size;
	/*
	 * Platform-control ports the firmware and chipset describe (x86: the
	 * FADT's PM1 blocks, SMI_CMD and reset register, the ICH/PCH PM block
	 * with SMI_EN and the TCO watchdog): no partition but the root may have
	 * them (the root's are trapped), whatever the table says.
	 */
	const struct table_platform_port *ctl_ports;
	uint32_t ctl_port_count;
	/*
	 * Platform register windows as the firmware describes them: no
	 * partition's memory may cover one, but the root's those it traps.
	 */
	const struct table_platform_window *ctl_windows;
	uint32_t ctl_window_count;

	/* used only by table_build_default() */
	struct bh_console console;
	const struct bh_mmconfig *mmcfg;
	uint32_t mmcfg_count;
	const struct bh_irqchip *irqchips;
	uint32_t irqchip_count;
	const struct bh_iommu *iommus;
	uint32_t iommu_count;
	uint64_t io_limit;	  /* unlisted address space below this goes to the root as IO;
				     0 = 64 GiB */
	const char *board;	  /* NULL = "default" */
	const char *root_cmdline; /* NULL = "" */
};

/*
 * A host bridge (class 06 00) or ISA/LPC bridge (06 01): its registers from
 * 0x40 on are the platform's decoders and routing; no table may grant them
 * (BH_PCI_CFG_W_CAPS or _EXT), and the root's writes there are dropped.
 */
static inline bool table_pci_chipset_class(uint32_t class_code)
{
	/* host bridge, ISA/LPC bridge, "other" bridge (PIIX4's power management function) */
	return (class_code >> 8) == 0x0600 || (class_code >> 8) == 0x0601 ||
	       (class_code >> 8) == 0x0680;
}

#define TABLE_PCI_CFG_W_CHIPSET (BH_PCI_CFG_W_CAPS | BH_PCI_CFG_W_EXT)

#define TABLE_REASON_MAX 160

/* The outcome of the boot-time check for one partition (same order as t->parts). */
struct table_verdict {
	uint32_t id;
	int status; /* 0: may start; -HV_ENODEV etc.: must not start */
	char reason[TABLE_REASON_MAX];
};

/*
 * Checks a validated table against the machine: each partition's CPUs exist,
 * its RAM is RAM in the firmware map (a ROOT region may span holes) and its IO
 * regions are not, nothing lies in the hypervisor's memory, its PCI devices
 * exist (a missing one only warns for the root), and a boot module carries
 * each image and initrd tag (and a RAW image fits at its load address).
 * Fills v[0..t->n[BH_SECT_PARTITIONS]) and logs one line per failure. A
 * failed partition does not start; the others are not affected (the policy
 * in docs/partition-table.md). Returns the number of partitions that failed,
 * or -HV_EINVAL when v is too short or the table's architecture differs.
 */
int table_check_platform(const struct table_view *t, const struct table_platform *hw,
			 struct table_verdict *v, uint32_t v_count);

/* True when module string `module` carries `tag` ("tag" or "tag <args>"). */
bool table_module_matches(const char *module, const char *tag);

/*
 * Writes into buf a table that gives the root partition ("root", id 0,
 * bzImage tag "linux", initrd "initrd" when such a module exists) every CPU,
 * every PCI function, all RAM and device memory outside the hypervisor's
 * memory and the ranges the hypervisor keeps (MMCONFIG, IOMMUs, interrupt
 * controllers, the local APIC window, the console), all I/O ports but the
 * console's and the PCI configuration ports, and every IOAPIC pin.
 * *out_size gets the blob's size (also when buf is too small).
 * Returns 0, -HV_ENOSPC (buf too small) or -HV_EINVAL (nothing to give).
 */
int table_build_default(const struct table_platform *hw, void *buf, size_t size, size_t *out_size);

/* ---- describing a table for the emitter ----------------------------------- */

/*
 * The emitter's input: plain structs with pointers and counts, easy to write
 * with designated initializers (tools/bhtable/scenario.h adds macros).
 * Records that need no resolving are given in their blob form.
 */
struct table_desc_image {
	uint32_t format;
	uint32_t flags;
	uint64_t load_address;
	uint64_t entry;
	const char *tag;
	const char *initrd_tag; /* NULL = none */
	const char *cmdline;	/* NULL = "" */
};

struct table_desc_partition {
	const char *name;
	uint32_t id;
	uint32_t flags;
	uint32_t fault_policy;
	const uint64_t *cpus; /* hardware ids */
	uint32_t cpu_count;
	const struct bh_mem_region *memory;
	uint32_t memory_count;
	const struct bh_pci_device *pci;
	uint32_t pci_count;
	const struct bh_pio_range *pio;
	uint32_t pio_count;
	const struct bh_irq_range *irqs;
	uint32_t irq_count;
	struct table_desc_image image;
};

/*
 * A link peer: by partition name, resolved to its id and to the index of its
 * SHARED region at the link's host address. With partition == NULL the raw
 * partition_id and region are written as given (tests use this).
 */
struct table_desc_peer {
	const char *partition;
	uint32_t vector;
	uint32_t flags;
	uint32_t partition_id;
	uint32_t region;
};

struct table_desc_link {
	const char *name;
	hpa_t host;
	uint64_t size;
	uint32_t flags;
	const struct table_desc_peer *peers;
	uint32_t peer_count;
};

struct table_desc_platform {
	const char *board;
	uint32_t arch;
	uint32_t flags;
	hpa_t hv_base;
	uint64_t hv_size;
	struct bh_console console;
	const struct bh_mmconfig *mmconfig;
	uint32_t mmconfig_count;
	const struct bh_iommu *iommus;
	uint32_t iommu_count;
	const struct bh_irqchip *irqchips;
	uint32_t irqchip_count;
};

struct table_desc {
	struct table_desc_platform platform;
	const struct table_desc_partition *partitions;
	uint32_t partition_count;
	const struct table_desc_link *links;
	uint32_t link_count;
};

/*
 * Lays out the blob for d in buf (8-byte aligned) and sets its CRC. Checks
 * only what the layout needs (strings fit, counts fit in 32 bits); meaning
 * is table_validate()'s job, so a bad description still gives a blob.
 * *out_size gets the blob's size, also when buf is NULL or too small.
 * Returns 0, -HV_ENOSPC (buf too small) or -HV_E2BIG (a string too long,
 * logged).
 */
int table_emit(const struct table_desc *d, void *buf, size_t size, size_t *out_size);

#endif
