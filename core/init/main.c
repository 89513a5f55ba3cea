// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_main: the arch-neutral boot sequence. Reads the command line, reports
 * how the machine was booted and what it has, carves the hypervisor's own
 * memory out of the firmware map, and has the arch start every CPU.
 */
#include "core/arch.h"
#include "core/boot_info.h"
#include "core/cmdline.h"
#include "core/errno.h"
#include "core/hv.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/stackprot.h"
#include "core/memmap.h"
#include "core/palloc.h"
#include "core/partitions.h"

#define LOWMEM_TOP	   0x100000ULL
#define HV_POOL_MB_DEFAULT 32
#define HV_POOL_LIMIT	   (4 * SZ_1G) /* AP start-up needs page tables below 4 GiB */

static struct memmap memmap;
static hpa_t bi_image_end;
static hpa_t pool_base, pool_end;

static const char *const boot_path_names[] = {
	[BOOT_PATH_UNKNOWN] = "an unknown loader",
	[BOOT_PATH_MB2_BIOS] = "Multiboot2 on BIOS",
	[BOOT_PATH_MB2_UEFI] = "Multiboot2 on UEFI",
	[BOOT_PATH_UEFI_LOADER] = "its own UEFI loader",
};

void hv_stop(const char *reason)
{
	pr_err("STOP: %s; all CPUs halted", reason);
	arch_stop_other_cpus();
	arch_cpu_halt();
}

static void setup_console(const char *cmdline)
{
	char val[64];

	if (cmdline_get(cmdline, "loglevel", val, sizeof(val))) {
		if (!strcmp(val, "debug"))
			log_set_level(LOG_DEBUG);
		else if (!strcmp(val, "info"))
			log_set_level(LOG_INFO);
		else if (!strcmp(val, "warn"))
			log_set_level(LOG_WARN);
		else if (!strcmp(val, "error"))
			log_set_level(LOG_ERR);
		else
			pr_warn("cmdline: unknown loglevel \"%s\" (debug, info, warn, error)", val);
	}
	if (cmdline_get(cmdline, "console", val, sizeof(val)) && arch_console_setup(val) < 0) {
		arch_early_console();
		pr_warn("cmdline: console \"%s\" unusable; staying on COM1 at 115200", val);
	}
}

static void report_memory(const struct boot_info *bi)
{
	pr_info("memory: %u firmware ranges%s, %llu MiB usable RAM", bi->mem_count,
		(bi->flags & BOOT_INFO_F_EFI_MMAP) ? " (from the EFI memory map)" : "",
		(unsigned long long)(memmap_total(&memmap, BOOT_MEM_RAM) >> 20));
	for (uint32_t i = 0; i < memmap.count; i++) {
		const struct mem_range *r = &memmap.r[i];

		log_printf(memmap.count > 24 ? LOG_DEBUG : LOG_INFO, "  0x%012llx-0x%012llx %s",
			   (unsigned long long)r->base, (unsigned long long)(r->base + r->size),
			   memmap_type_name(r->type));
	}
	if (bi->flags & BOOT_INFO_F_MEM_TRUNCATED)
		pr_warn("memory: the firmware map had more than %u ranges; the rest were ignored",
			BOOT_MEMMAP_MAX);
}

/* Marks everything that is in use as something other than free RAM. */
static void carve_memory(const struct boot_info *bi)
{
	hpa_t img0 = ALIGN_DOWN(bi->image_start, PAGE_SIZE);
	hpa_t img1 = ALIGN_UP(bi->image_end, PAGE_SIZE);

	if (memmap_carve(&memmap, img0, img1 - img0, MEM_HV_IMAGE) < 0)
		hv_stop("the hypervisor image does not lie in RAM");

	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		hpa_t m0 = ALIGN_DOWN(m->start, PAGE_SIZE), m1 = ALIGN_UP(m->end, PAGE_SIZE);

		pr_info("module %u: 0x%llx-0x%llx (%llu KiB) \"%s\"", i,
			(unsigned long long)m->start, (unsigned long long)m->end,
			(unsigned long long)((m->end - m->start) >> 10), m->tag);
		if (m1 > m0 && memmap_carve(&memmap, m0, m1 - m0, MEM_MODULE) < 0)
			pr_warn("module %u (\"%s\") does not lie in free RAM; left as it is", i,
				m->tag);
	}
	if (bi->flags & BOOT_INFO_F_MOD_TRUNCATED)
		pr_warn("modules: more than %u; the rest were ignored", BOOT_MODULES_MAX);

	/* Below 1 MiB: BIOS data, and the page the AP start-up code runs from. */
	for (uint32_t i = 0; i < memmap.count; i++) {
		struct mem_range r = memmap.r[i];

		if (r.type != BOOT_MEM_RAM || r.base >= LOWMEM_TOP)
			continue;
		memmap_carve(&memmap, r.base, MIN(r.base + r.size, LOWMEM_TOP) - r.base,
			     MEM_LOWMEM);
	}
}

/*
 * The hypervisor's page pool: inside the table's hypervisor region when there
 * is a table (so nothing of the partitions' memory is taken), else the
 * highest free RAM below 4 GiB.
 */
static void setup_pool(const char *cmdline, hpa_t hv_base, uint64_t hv_size)
{
	uint64_t mb = cmdline_get_u64(cmdline, "hv_pool_mb", HV_POOL_MB_DEFAULT);
	uint64_t size = mb << 20;
	hpa_t base = 0;

	if (mb < 4 || mb > 4096) {
		pr_warn("cmdline: hv_pool_mb=%llu out of range 4-4096; using %u",
			(unsigned long long)mb, HV_POOL_MB_DEFAULT);
		size = (uint64_t)HV_POOL_MB_DEFAULT << 20;
	}
	if (hv_size) {
		/* the largest free RAM run inside the hypervisor region */
		uint64_t best = 0;

		for (uint32_t i = 0; i < memmap.count; i++) {
			const struct mem_range *r = &memmap.r[i];
			hpa_t b = MAX(r->base, hv_base);
			hpa_t e = MIN(r->base + r->size, hv_base + hv_size);

			if (r->type != BOOT_MEM_RAM || e <= b)
				continue;
			b = ALIGN_UP(b, PAGE_SIZE);
			e = ALIGN_DOWN(e, PAGE_SIZE);
			if (e > b && e - b > best) {
				best = e - b;
				base = b;
			}
		}
		if (best < size)
			size = best;
		if (!base || size < 4 * SZ_2M / 2 || base + size > HV_POOL_LIMIT)
			hv_stop("the table's hypervisor memory region has no room for the page "
				"pool");
	} else {
		/* right after the image, so the hypervisor's memory is one range */
		base = ALIGN_UP(bi_image_end, SZ_2M);
		if (!memmap_is_type(&memmap, base, size, BOOT_MEM_RAM) ||
		    base + size > HV_POOL_LIMIT)
			base = memmap_find_ram(&memmap, size, SZ_2M, HV_POOL_LIMIT);
	}
	if (!base || memmap_carve(&memmap, base, size, MEM_HV_POOL) < 0 ||
	    palloc_init(base, size) < 0)
		hv_stop("no RAM below 4 GiB for the hypervisor's page pool");
	pool_base = base;
	pool_end = base + size;
	pr_info("memory: hypervisor pool 0x%llx-0x%llx (%llu MiB)", (unsigned long long)base,
		(unsigned long long)(base + size), (unsigned long long)(size >> 20));
}

static uint64_t stats_ms;

/* Reports VM exit counts by CPU and reason every stats_ms milliseconds; never returns. */
static void __noreturn monitor_run(void)
{
	uint64_t ms = stats_ms;
	uint64_t khz = arch_cycles_khz();

	part_console_async(); /* this CPU prints the partitions' console lines */
	for (;;) {
		uint64_t end = arch_cycles() + ms * khz;

		while (arch_cycles() < end)
			if (!part_console_drain(~0u))
				arch_cpu_relax();
		arch_report_exits(ms * 1000);
	}
}

/* With no root partition, the boot CPU reports VM exit counts periodically. */
static void __noreturn monitor_loop(void)
{
	if (!stats_ms || !arch_cycles_khz() || !partitions_count()) {
		pr_info("Bulkhead: nothing to monitor; boot CPU idle");
		arch_cpu_halt();
	}
	monitor_run();
}

/*
 * With a root the boot CPU is the root's: the exit report runs on a CPU no
 * partition has, if there is one (the machine's spare CPUs, for
 * measurements; docs/partitions-x86.md).
 */
static void start_monitor_elsewhere(void)
{
	bool used[MAX_CPUS_CORE] = { false };

	if (!stats_ms || !arch_cycles_khz())
		return;
	for (unsigned i = 0; i < partitions_count(); i++) {
		const struct partition *p = partition_get(i);

		for (uint32_t c = 0; c < p->cpu_count; c++)
			if (p->cpus[c] < MAX_CPUS_CORE)
				used[p->cpus[c]] = true;
	}
	for (unsigned c = 1; c < MAX_CPUS_CORE; c++) {
		if (!used[c] && arch_cpu_start_job(c, monitor_run) == 0) {
			pr_info("Bulkhead: CPU %u reports VM exits every %llu ms", c,
				(unsigned long long)stats_ms);
			return;
		}
	}
	pr_info("Bulkhead: every CPU belongs to a partition; no VM exit reports");
}

void hv_main(const struct boot_info *bi)
{
	unsigned online, started;
	hpa_t hv_base = 0;
	uint64_t hv_size = 0;

	/* hv_main never returns: the old guard in its own frame is never checked */
	stack_guard_init(arch_cycles() ^ (uintptr_t)bi);
	arch_early_init();
	setup_console(bi->cmdline);
	log_raw("\n");
	pr_info("Bulkhead %s (x86_64) booted via %s, loader \"%s\"", BULKHEAD_VERSION,
		bi->path < ARRAY_SIZE(boot_path_names) ? boot_path_names[bi->path] : "?",
		bi->loader_name[0] ? bi->loader_name : "unnamed");
	pr_info("image: 0x%llx-0x%llx, command line \"%s\"", (unsigned long long)bi->image_start,
		(unsigned long long)bi->image_end, bi->cmdline);
	if (bi->efi_system_table)
		pr_info("UEFI system table at 0x%llx", (unsigned long long)bi->efi_system_table);

	if (memmap_init(&memmap, bi->mem, bi->mem_count) < 0)
		hv_stop("the firmware memory map is unusable");
	report_memory(bi);
	carve_memory(bi);
	bi_image_end = bi->image_end;
	partitions_find_table(bi, &hv_base, &hv_size);
	{
		uint64_t ids[PART_CPUS_MAX];
		unsigned n = partitions_linux_root_cpus(bi, ids, PART_CPUS_MAX);

		if (n)
			arch_prefer_xapic(ids, n);
	}
	setup_pool(bi->cmdline, hv_base, hv_size);
	if (!hv_size) {
		/* no table: the hypervisor's memory as placed, for the default table */
		hv_base = ALIGN_DOWN(bi->image_start, SZ_2M);
		hv_size = MAX(pool_end, ALIGN_UP(bi->image_end, SZ_2M)) - hv_base;
		if (pool_base < hv_base)
			hv_size = 0; /* not one range: the default table cannot be built */
	}

	online = arch_platform_init(bi, &memmap);
	pr_info("Bulkhead: boot complete, %u CPUs online", online);
	stats_ms = cmdline_get_u64(bi->cmdline, "stats_ms", 2000);
	/*
	 * When this CPU will drain the partitions' console rings afterwards
	 * (the monitor, or the root's exits), lines go into the rings from the
	 * first partition's start: an RT partition that reports while the
	 * boot CPU still builds the others must not wait for the UART itself
	 * (a 150-character line is 13 ms at 115200 baud).
	 */
	if (stats_ms && arch_cycles_khz())
		part_console_async();
	started = partitions_start(bi, &memmap, hv_base, hv_size);
	pr_info("Bulkhead: %u partition(s) running, %llu of %llu pool pages free", started,
		(unsigned long long)palloc_free_pages(), (unsigned long long)palloc_total_pages());
	if (partitions_root()) {
		start_monitor_elsewhere();
		pr_info("Bulkhead: the boot CPU enters the root partition \"%s\"",
			partitions_root()->name);
		/* the root's CPUs print the partitions' console lines on their exits */
		part_console_async();
		arch_enter_root(partitions_root());
	}
	monitor_loop();
}
