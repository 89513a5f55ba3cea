/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MADT's layout (ACPI 6.5, section 5.2.12), shared by the parser of the
 * firmware's MADT (platform/acpi.c) and the builder of the root's copy
 * (root/madt_patch.c): one definition of each offset, type and length.
 */
#ifndef PLATFORM_MADT_H
#define PLATFORM_MADT_H

#define MADT_OFF_LAPIC		36
#define MADT_OFF_FLAGS		40
#define MADT_HDR_LEN		44
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_ENTRY_HDR_LEN	2
#define MADT_TYPE_LAPIC		0 /* 5.2.12.2 */
#define MADT_TYPE_IOAPIC	1 /* 5.2.12.3 */
#define MADT_TYPE_ISO		2 /* 5.2.12.5 */
#define MADT_TYPE_LAPIC_ADDR	5 /* 5.2.12.8 */
#define MADT_TYPE_X2APIC	9 /* 5.2.12.12 */
#define MADT_LEN_LAPIC		8
#define MADT_LEN_IOAPIC		12
#define MADT_LEN_ISO		10
#define MADT_LEN_LAPIC_ADDR	12
#define MADT_LEN_X2APIC		16
#define MADT_CPU_ENABLED	(1u << 0) /* Local APIC Flags */
#define MADT_CPU_ONLINE_CAPABLE (1u << 1)
#define MADT_TYPE_NMI_SOURCE	3    /* 5.2.12.6 */
#define MADT_TYPE_LAPIC_NMI	4    /* 5.2.12.7 */
#define MADT_TYPE_X2APIC_NMI	0x0a /* 5.2.12.13 */
#define MADT_TYPE_MP_WAKEUP	0x10 /* 5.2.12.19 */
#define MADT_LEN_NMI_SOURCE	8
#define MADT_LEN_LAPIC_NMI	6
#define MADT_LEN_X2APIC_NMI	12
#define MADT_LAPIC_OFF_UID	2
#define MADT_LAPIC_OFF_ID	3
#define MADT_LAPIC_OFF_FLAGS	4
#define MADT_X2APIC_OFF_ID	4
#define MADT_X2APIC_OFF_FLAGS	8
#define MADT_X2APIC_OFF_UID	12
#define MADT_LAPIC_NMI_OFF_UID	2
#define MADT_X2_NMI_OFF_UID	4
#define MADT_NMI_ALL_CPUS	0xffu	    /* Local APIC NMI: applies to all processors */
#define MADT_X2_NMI_ALL_CPUS	0xffffffffu /* Local x2APIC NMI: all processors */

#endif
