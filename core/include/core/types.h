/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic typed identifiers used by every room of the hypervisor. */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t hpa_t;	    /* host physical address */
typedef uint64_t gpa_t;	    /* guest physical address */
typedef uint32_t cpu_id_t;  /* logical hypervisor CPU number, 0 = boot CPU */
typedef uint32_t apic_id_t; /* local (x2)APIC ID as found in the MADT */
/*
 * A CPU's hardware id, as the table's bh_cpu.hw_id: the APIC ID on x86, the
 * MPIDR_EL1 affinity fields (MPIDR_EL1 & 0xff00ffffff, Aff3 in bits 39:32) on
 * arm64. 64 bits wide so that no architecture's id is cut.
 */
typedef uint64_t hw_id_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))
#define SZ_2M	   (2ULL << 20)
#define SZ_1G	   (1ULL << 30)

#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#define __packed       __attribute__((packed))
#define __aligned(x)   __attribute__((aligned(x)))
#define __noreturn     __attribute__((noreturn))
#define __unused       __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#endif
