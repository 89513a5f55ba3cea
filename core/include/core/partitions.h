/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-time partition set-up: find and check the table, build and start the partitions. */
#ifndef CORE_PARTITIONS_H
#define CORE_PARTITIONS_H

#include "core/boot_info.h"
#include "core/memmap.h"
#include "core/partition.h"

/*
 * Finds the table module ("bulkhead-table") and checks its structure. Returns
 * true when a table was found and parsed; its platform section then names the
 * hypervisor's memory (*hv_base, *hv_size). Must run before the page pool
 * exists (so the pool can go where the table says).
 */
bool partitions_find_table(const struct boot_info *bi, hpa_t *hv_base, uint64_t *hv_size);

/*
 * Validates the table (or, with none, builds the "everything to the root" one
 * for the hypervisor memory [hv_base, hv_base + hv_size)), checks it
 * against the machine, builds every partition that passed and starts those
 * that can run. Returns the number of partitions started.
 */
unsigned partitions_start(const struct boot_info *bi, const struct memmap *mm, hpa_t hv_base,
			  uint64_t hv_size);

/*
 * After partitions_find_table: the hardware ids of the root's CPUs when the
 * root will boot Linux (a bzImage module is there), else 0 ids.
 */
unsigned partitions_linux_root_cpus(const struct boot_info *bi, uint64_t *hw_ids, unsigned max);

struct table_view;
struct bh_partition;
/*
 * Fills *p from partition record d of the parsed table t: ids, flags, CPUs
 * (each hardware id must be an online CPU: arch_cpu_by_hw_id), memory, ports,
 * PCI functions of segment 0 and interrupt lines. State STOPPED, no memory
 * touched. Returns 0, or a negative HV_E* after one log line.
 */
int part_build(struct partition *p, const struct table_view *t, const struct bh_partition *d);

/* The partitions built at boot, for statistics and the management interface. */
unsigned partitions_count(void);
struct partition *partition_get(unsigned i);
/* The root partition, built and ready for the boot CPU to enter, or NULL. */
struct partition *partitions_root(void);

/*
 * Who owns host-physical address hpa, for reports: a partition's name, "the
 * hypervisor", or NULL when it is nobody's memory in the table.
 */
const char *partitions_owner_of(hpa_t hpa, const struct partition *except);

#endif
