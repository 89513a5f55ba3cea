/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest images into partition memory (ELF64, raw) and the boot information
 * block (struct bh_guest_info) the guest finds at start: core/part/guest_load.c.
 */
#ifndef CORE_GUEST_LOAD_H
#define CORE_GUEST_LOAD_H

#include "core/types.h"

struct partition;
/*
 * Loads an ELF64 image into partition memory: each segment must lie entirely
 * in one RAM region flagged BH_MEM_LOADABLE, outside the first
 * BH_GUEST_RESERVED_BYTES of the partition's lowest RAM region. Copies file
 * bytes and zeroes the rest. Returns 0 and the entry, or a negative error.
 */
int guest_load_elf(struct partition *p, const void *img, size_t len, uint16_t machine,
		   uint64_t *entry);
/* Copies a raw image to load_gpa under the same rules. */
int guest_load_raw(struct partition *p, const void *img, size_t len, gpa_t load_gpa);

/* The lowest RAM region's base: where struct bh_guest_info goes. */
gpa_t guest_info_gpa(const struct partition *p);
/* Writes struct bh_guest_info (include/bulkhead/guest.h) for p at guest_info_gpa(p). */
int guest_write_info(struct partition *p, const char *cmdline);

#endif
