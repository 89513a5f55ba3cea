/* SPDX-License-Identifier: GPL-2.0-only */
/* Software walk of a guest's own page tables, for the hypervisor's reads of guest memory (RIP). */
#ifndef ARCH_GUEST_WALK_H
#define ARCH_GUEST_WALK_H

#include "core/types.h"

#define GUEST_FETCH_MAX 15 /* the longest x86 instruction, SDM vol. 2A, 2.3.11 */

/* Reads len bytes of guest-physical memory at gpa into dst; returns 0 or -HV_EFAULT. */
typedef int (*gpa_read_fn)(void *ctx, uint64_t gpa, void *dst, size_t len);

/* The guest's paging state as the VMCB/VMCS holds it. */
struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
};

/*
 * Translates the guest-virtual (linear) address gva under the guest's paging
 * mode: none (CR0.PG=0), 32-bit (4M pages with CR4.PSE), PAE, 4-level long
 * mode, or 5-level with CR4.LA57. Checks present bits only: it serves the
 * hypervisor's own reads, not the guest's permissions. Entries are read
 * through rd; entries pointing anywhere are fine, since rd bounds every read.
 * Returns 0 with *gpa set, or -HV_EFAULT (not present, non-canonical, rd failed).
 */
int guest_walk(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
	       uint64_t *gpa);

/*
 * Fetches up to GUEST_FETCH_MAX instruction bytes at gva, stopping early at a
 * page boundary past which the address does not translate or cannot be read.
 * Returns the number of bytes fetched (0 when the first byte cannot be).
 */
size_t guest_fetch_insn(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
			uint8_t out[GUEST_FETCH_MAX]);

#endif
