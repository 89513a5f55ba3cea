/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IPI filter of the vCPU layer: a partition's CPUs as interrupt
 * destinations and what an ICR write may do. Pure: no hardware, no locks;
 * vcpu/ipi.c performs what vipi_decide() returns, and unit tests and the
 * fuzzer drive it directly. The root's emulated IOAPIC (root/vdev.h) resolves
 * its destinations with the same description.
 */
#ifndef VCPU_VIPI_H
#define VCPU_VIPI_H

#include "core/partition.h"
#include "core/types.h"

/* ---- the CPUs of a partition as interrupt destinations ---- */

struct vdev_cpu {
	bool present;	  /* the vCPU exists (a root AP that was unavailable does not) */
	uint32_t apic_id; /* physical APIC ID */
	uint32_t ldr;	  /* xAPIC LDR as the guest wrote it (logical ID in bits 31:24) */
	uint32_t dfr;	  /* xAPIC DFR as the guest wrote it; 0xffffffff = flat model */
};

struct vdev_part {
	uint32_t count; /* vCPUs, at most PART_CPUS_MAX */
	bool linux_root;
	struct vdev_cpu cpu[PART_CPUS_MAX];
};

/* Whether an xAPIC logical ID (LDR, DFR) matches an 8-bit logical destination. */
bool vdev_xapic_logical_match(uint32_t ldr, uint32_t dfr, uint32_t dest);

/* ---- IPIs a guest writes to its ICR (Intel SDM vol. 3A, 11.6.1 and 11.12.9) ---- */

enum vipi_kind {
	VIPI_REFUSED,
	VIPI_PHYS,	    /* fixed or lowest priority: physical IPI with .low to each target */
	VIPI_NMI,	    /* inject an NMI into each target */
	VIPI_INIT,	    /* INIT (assert) to the target: emulated */
	VIPI_INIT_DEASSERT, /* INIT level de-assert: nothing to do */
	VIPI_SIPI,	    /* start-up IPI with .vector to the target: emulated */
};

struct vipi {
	enum vipi_kind kind;
	const char *why;  /* VIPI_REFUSED: the reason */
	uint32_t targets; /* bit i: vCPU i (present ones only) */
	uint32_t low;	  /* VIPI_PHYS: ICR low word, logical bit and shorthand cleared */
	uint8_t vector;	  /* VIPI_SIPI */
};

/*
 * The decision for an ICR value (x2APIC format: destination in bits 63:32)
 * written by vCPU self of p; x2apic: the APIC runs in x2APIC mode. Returns
 * false (out->kind VIPI_REFUSED, out->why set) when the IPI could leave the
 * partition or is not one a partition may send.
 */
bool vipi_decide(const struct vdev_part *p, uint32_t self, bool x2apic, uint64_t icr,
		 struct vipi *out);

#endif
