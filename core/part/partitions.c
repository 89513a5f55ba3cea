// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time partition set-up, arch-neutral: find the table module, check its
 * structure and meaning, check it against the machine (CPUs, memory, boot
 * modules), build a struct partition for each partition that passed, load
 * its image and hand it to the arch layer to start. A partition that fails a
 * check is reported and not started; the others are not affected.
 */
#include <bulkhead/table.h>

#include "core/arch.h"
#include "core/elf.h"
#include "core/errno.h"
#include "core/guest_load.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/partitions.h"
#include "core/scrub.h"
#include "core/table.h"

#define DEFAULT_TABLE_PAGES 16

static struct table_view table;
static bool table_found;
static const struct boot_module *table_module;
static struct partition parts[PART_MAX];
static unsigned part_count;
static struct partition *root;
static hpa_t hv_mem_base;
static uint64_t hv_mem_size;

struct partition *partitions_root(void)
{
	return root;
}

const char *partitions_owner_of(hpa_t hpa, const struct partition *except)
{
	if (hpa >= hv_mem_base && hpa - hv_mem_base < hv_mem_size)
		return "the hypervisor";
	for (unsigned i = 0; i < part_count; i++) {
		const struct partition *q = &parts[i];

		if (q == except)
			continue;
		for (uint32_t r = 0; r < q->region_count; r++)
			if (hpa >= q->regions[r].hpa &&
			    hpa - q->regions[r].hpa < q->regions[r].size)
				return q->name;
	}
	return NULL;
}

unsigned partitions_count(void)
{
	return part_count;
}

struct partition *partition_get(unsigned i)
{
	return i < part_count ? &parts[i] : NULL;
}

bool partitions_find_table(const struct boot_info *bi, hpa_t *hv_base, uint64_t *hv_size)
{
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (!table_module_matches(m->tag, BH_TABLE_MODULE_TAG))
			continue;
		table_module = m;
		pr_info("table: module %u, %llu bytes", i, (unsigned long long)(m->end - m->start));
		if (table_parse(&table, (const void *)(uintptr_t)m->start, m->end - m->start) < 0) {
			pr_err("table: the partition table module is malformed; no partition will "
			       "start");
			return false;
		}
		table_found = true;
		*hv_base = table.platform->hv_base;
		*hv_size = table.platform->hv_size;
		return true;
	}
	return false;
}

static const struct boot_module *find_module(const struct boot_info *bi, const char *tag)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (table_module_matches(bi->modules[i].tag, tag))
			return &bi->modules[i];
	return NULL;
}

static int load_image(const struct boot_info *bi, struct partition *p, const struct bh_partition *d,
		      uint64_t *entry)
{
	const struct boot_module *m = find_module(bi, d->image.tag);
	const void *img;
	size_t len;
	int rc;

	if (!m)
		return -HV_ENOENT; /* table_check_platform() already said so */
	img = (const void *)(uintptr_t)m->start;
	len = (size_t)(m->end - m->start);
	/* RAM reads as zero: nothing of a previous run or the firmware leaks in (core/scrub.h) */
	(void)part_scrub_defer(p);
	switch (d->image.format) {
	case BH_IMAGE_ELF64:
		rc = guest_load_elf(p, img, len, ELF_MACHINE_X86_64, entry);
		break;
	case BH_IMAGE_RAW:
		rc = guest_load_raw(p, img, len, d->image.load_address);
		*entry = d->image.entry;
		break;
	default:
		pr_err("partition \"%s\": image format %s is not supported for this partition yet",
		       p->name, table_image_format_name(d->image.format));
		return -HV_ENOSYS;
	}
	if (rc == 0) {
		/* words after the tag on the module line extend the table's command line */
		static char cmdline[BH_TABLE_CMDLINE_MAX + BOOT_TAG_MAX];
		const char *extra = strchr(m->tag, ' ');

		snprintf(cmdline, sizeof(cmdline), "%s%s%s", d->image.cmdline,
			 (extra && d->image.cmdline[0]) ? " " : "", extra ? extra + 1 : "");
		rc = guest_write_info(p, cmdline);
	}
	return rc;
}

/*
 * The root restarts on its own reboot request (docs/linux-root.md), so the
 * hypervisor keeps kernel and initrd: GRUB put the modules in memory the
 * root's Linux reuses. Without room in the pool the root is not restartable.
 */
static void keep_linux_copy(struct partition *p, struct linux_image *li)
{
	uint64_t kpages = ALIGN_UP(li->kernel_len, PAGE_SIZE) / PAGE_SIZE;
	uint64_t ipages = ALIGN_UP(li->initrd_len, PAGE_SIZE) / PAGE_SIZE;
	hpa_t k = palloc_alloc(kpages, 1);
	hpa_t i = ipages ? palloc_alloc(ipages, 1) : 0;

	if (!k || (ipages && !i)) {
		if (k)
			palloc_free(k, kpages);
		pr_warn("partition \"%s\": no room in the hypervisor pool for a copy of its "
			"kernel and initrd (%llu KiB; hv_pool_mb=): a reboot request will stop it",
			p->name, (unsigned long long)((kpages + ipages) * 4));
		return;
	}
	memcpy((void *)(uintptr_t)k, li->kernel, li->kernel_len);
	if (ipages)
		memcpy((void *)(uintptr_t)i, li->initrd, li->initrd_len);
	li->kernel = (const void *)(uintptr_t)k;
	li->initrd = ipages ? (const void *)(uintptr_t)i : NULL;
	li->kept = true;
}

/*
 * A Linux root: its RAM is not cleared (GRUB's modules live there), the
 * kernel is placed around them, and the start state is the boot protocol's.
 */
static int load_linux(const struct boot_info *bi, const struct memmap *mm, struct partition *p,
		      const struct bh_partition *d)
{
	static struct phys_span avoid[BOOT_MODULES_MAX];
	static char cmdline[BH_TABLE_CMDLINE_MAX + BOOT_TAG_MAX];
	const struct boot_module *k = find_module(bi, d->image.tag);
	const struct boot_module *i = d->image.initrd_tag[0] ? find_module(bi, d->image.initrd_tag)
							     : NULL;
	const char *extra = k ? strchr(k->tag, ' ') : NULL;
	struct linux_image li = { 0 };

	if (!k)
		return -HV_ENOENT;
	for (uint32_t m = 0; m < bi->module_count; m++) {
		avoid[m].base = ALIGN_DOWN(bi->modules[m].start, PAGE_SIZE);
		avoid[m].size = ALIGN_UP(bi->modules[m].end, PAGE_SIZE) - avoid[m].base;
	}
	snprintf(cmdline, sizeof(cmdline), "%s%s%s", d->image.cmdline,
		 (extra && d->image.cmdline[0]) ? " " : "", extra ? extra + 1 : "");
	li.kernel = (const void *)(uintptr_t)k->start;
	li.kernel_len = (size_t)(k->end - k->start);
	if (i) {
		li.initrd = (const void *)(uintptr_t)i->start;
		li.initrd_len = (size_t)(i->end - i->start);
	}
	li.cmdline = cmdline;
	li.memmap = mm;
	li.rsdp = bi->rsdp_len ? bi->rsdp : NULL;
	li.rsdp_len = bi->rsdp_len;
	li.avoid = avoid;
	li.n_avoid = bi->module_count;
	keep_linux_copy(p, &li);
	return arch_part_create_linux(p, &li);
}

static void report_partition(const struct bh_partition *d, const struct table_verdict *v)
{
	char flags[64];

	table_part_flags_str(d->flags, flags, sizeof(flags));
	pr_info("partition \"%s\" (id %u): %u CPUs, %u memory regions, %u port ranges, image "
		"\"%s\" (%s), flags %s: %s",
		d->name, d->id, d->cpus.count, d->memory.count, d->pio.count, d->image.tag,
		table_image_format_name(d->image.format), flags[0] ? flags : "none",
		v->status == 0 ? "checks passed" : v->reason);
}

unsigned partitions_linux_root_cpus(const struct boot_info *bi, uint64_t *hw_ids, unsigned max)
{
	const struct bh_partition *r = table_found ? table_root(&table) : NULL;
	unsigned n = 0;

	if (!r || r->image.format != BH_IMAGE_BZIMAGE || !find_module(bi, r->image.tag))
		return 0;
	for (uint32_t i = 0; i < r->cpus.count && n < max; i++)
		hw_ids[n++] = table_part_cpus(&table, r)[i].hw_id;
	return n;
}

/* No table module: give the root everything the hypervisor does not keep. */
/*
 * The table moves into hypervisor memory before any guest runs: the module
 * GRUB or the loader placed lies in RAM a partition may own (the root's, as
 * a rule), and policy read from there after a guest starts would be
 * policy the guest writes. The view moves with it (every pointer then
 * points into the copy) and the module's bytes are zeroed, so a reader of
 * the old place would find no table rather than a stale one.
 */
static bool table_to_hv_memory(void)
{
	size_t size = table.size, pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	void *copy = (void *)(uintptr_t)palloc_alloc(pages, 1);

	if (!copy) {
		pr_err("table: no pool memory for a copy of the table (%zu bytes); no partition "
		       "will start",
		       size);
		return false;
	}
	table_move(&table, copy);
	memset((void *)(uintptr_t)table_module->start, 0, size);
	pr_info("table: copied into hypervisor memory at 0x%llx (%zu bytes); the module at "
		"0x%llx is zeroed",
		(unsigned long long)(uintptr_t)copy, size, (unsigned long long)table_module->start);
	return true;
}

static bool build_default_table(const struct table_platform *hw)
{
	size_t need = 0;
	void *buf;

	table_build_default(hw, NULL, 0, &need);
	if (!need)
		return false;
	buf = (void *)(uintptr_t)palloc_alloc(ALIGN_UP(need, PAGE_SIZE) / PAGE_SIZE, 1);
	if (!buf || table_build_default(hw, buf, need, &need) < 0 ||
	    table_parse(&table, buf, need) < 0)
		return false;
	pr_info("table: none given; built the default table: everything to partition \"%s\" "
		"(%u CPUs, %u memory regions, %u port ranges)",
		table.parts[0].name, table.parts[0].cpus.count, table.parts[0].memory.count,
		table.parts[0].pio.count);
	return true;
}

/*
 * Console rings (core/cring.h): the root's large and unlimited (its COM1
 * carries Linux's boot log), an RT partition's limited to
 * CONSOLE_RT_RATE bytes a second (a few report lines a second pass; a
 * flood loses its own lines).
 */
#define CONSOLE_ROOT_PAGES 16
#define CONSOLE_RT_PAGES   4
#define CONSOLE_RT_RATE	   2048

static void console_ring(struct partition *p)
{
	bool is_root = p->flags & BH_PART_ROOT;
	size_t pages = is_root ? CONSOLE_ROOT_PAGES : CONSOLE_RT_PAGES;
	void *buf = (void *)(uintptr_t)palloc_alloc(pages, 1);

	if (!buf) {
		pr_warn("partition \"%s\": no memory for a console ring; its lines are printed "
			"as they come",
			p->name);
		return;
	}
	part_console_ring(p, buf, (uint32_t)(pages * PAGE_SIZE), is_root ? 0 : CONSOLE_RT_RATE);
}

/*
 * The boot CPU zeroes what the started partitions have not touched yet
 * (core/scrub.h): a partition that touches a block first zeroes it itself.
 */
static void scrub_behind(void)
{
	for (unsigned i = 0; i < part_count; i++)
		if (parts[i].state == PART_RUNNING)
			part_scrub_all(&parts[i]);
}

unsigned partitions_start(const struct boot_info *bi, const struct memmap *mm, hpa_t hv_base,
			  uint64_t hv_size)
{
	static struct table_verdict verdicts[BH_TABLE_PARTITIONS_MAX];
	static uint64_t cpu_ids[256];
	static uint32_t pci_ids[1024], pci_classes[1024], pci_bridges[1024];
	static struct table_module mods[BOOT_MODULES_MAX];
	static struct table_platform_port ctl_ports[32];
	static struct table_platform_window ctl_windows[48];
	struct table_platform hw = { 0 };
	size_t scratch_size;
	void *scratch;
	unsigned started = 0;
	int failed;

	hw.arch = BH_ARCH_X86_64;
	hw.cpu_count = arch_cpu_hw_ids(cpu_ids, ARRAY_SIZE(cpu_ids));
	hw.cpu_ids = cpu_ids;
	hw.memmap = mm;
	for (uint32_t i = 0; i < bi->module_count; i++) {
		mods[i].tag = bi->modules[i].tag;
		mods[i].size = bi->modules[i].end - bi->modules[i].start;
	}
	hw.modules = mods;
	hw.module_count = bi->module_count;
	hw.pci_count = arch_pci_list(pci_ids, ARRAY_SIZE(pci_ids));
	hw.pci = pci_ids;
	for (uint32_t i = 0; i < hw.pci_count; i++)
		pci_classes[i] = arch_pci_class(pci_ids[i]);
	hw.pci_class = pci_classes;
	for (uint32_t i = 0; i < hw.pci_count; i++)
		pci_bridges[i] = arch_pci_bridge_buses(pci_ids[i]);
	hw.pci_bridge = pci_bridges;
	hw.ctl_port_count = arch_platform_ports(ctl_ports, ARRAY_SIZE(ctl_ports));
	hw.ctl_ports = ctl_ports;
	hw.ctl_window_count = arch_platform_windows(ctl_windows, ARRAY_SIZE(ctl_windows));
	hw.ctl_windows = ctl_windows;
	hw.hv_base = hv_base;
	hw.hv_size = hv_size;
	hv_mem_base = hv_base;
	hv_mem_size = hv_size;
	if (table_found && !table_to_hv_memory())
		return 0;
	if (!table_found) {
		if (table_module)
			return 0; /* a table was given but is malformed: start nothing */
		if (!build_default_table(&hw)) {
			pr_err("table: none given, and no default table could be built");
			return 0;
		}
	}
	scratch_size = table_scratch_size(&table);
	scratch = (void *)(uintptr_t)palloc_alloc(ALIGN_UP(scratch_size, PAGE_SIZE) / PAGE_SIZE, 1);
	if (!scratch || table_validate(&table, scratch, scratch_size) < 0) {
		pr_err("table: board \"%s\" refused; no partition will start",
		       table.platform->board);
		return 0;
	}
	pr_info("table: board \"%s\", %u partitions, CRC 0x%08x, checks passed",
		table.platform->board, table.n[BH_SECT_PARTITIONS], table.hdr->crc32);

	failed = table_check_platform(&table, &hw, verdicts, ARRAY_SIZE(verdicts));
	if (failed < 0) {
		pr_err("table: does not fit this machine; no partition will start");
		return 0;
	}

	/*
	 * Two passes: the RT partitions first, so they run while the root's
	 * kernel is placed and its large stage 2 is built; then the root.
	 */
	for (uint32_t n = 0; n < 2 * table.n[BH_SECT_PARTITIONS] && part_count < PART_MAX; n++) {
		uint32_t i = n % table.n[BH_SECT_PARTITIONS];
		const struct bh_partition *d = &table.parts[i];
		struct partition *p = &parts[part_count];
		uint64_t entry = 0;
		int rc;

		if (n == table.n[BH_SECT_PARTITIONS])
			scrub_behind(); /* the RT partitions run: their RAM next, before the root */
		if (!(d->flags & BH_PART_ROOT) != (n < table.n[BH_SECT_PARTITIONS]))
			continue; /* pass 1: all but the root; pass 2: the root */
		report_partition(d, &verdicts[i]);
		if (verdicts[i].status != 0)
			continue;
		rc = part_build(p, &table, d);
		if (rc == 0)
			console_ring(p);
		if (rc == 0 && d->image.format == BH_IMAGE_BZIMAGE)
			rc = load_linux(bi, mm, p, d);
		else if (rc == 0)
			rc = load_image(bi, p, d, &entry);
		if (rc == 0 && d->image.format != BH_IMAGE_BZIMAGE)
			rc = arch_part_create(p, entry);
		if (rc == 0)
			part_scrub_s2_ready(p);
		part_count++;
		if (rc < 0) {
			p->state = PART_INVALID;
			pr_err("partition \"%s\": not started (error %d)", p->name, rc);
			continue;
		}
		p->state = PART_RUNNING;
		if (d->flags & BH_PART_ROOT) {
			/* the boot CPU enters the root last, once everything else runs */
			root = p;
			started++;
			continue;
		}
		rc = arch_part_start(p);
		if (rc < 0) {
			p->state = PART_INVALID;
			pr_err("partition \"%s\": could not start its CPUs (error %d)", p->name,
			       rc);
			continue;
		}
		pr_info("partition \"%s\" (id %u) started on %u CPU(s), entry 0x%llx", p->name,
			p->id, p->cpu_count, (unsigned long long)entry);
		/*
		 * A pause, free on hardware, hands an emulator's round robin (QEMU
		 * TCG) to the woken CPUs now rather than after the next partition's
		 * set-up: their first instruction is not held up by it.
		 */
		arch_cpu_relax();
		started++;
	}
	scrub_behind();
	return started;
}
