/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root partition's own view of the ACPI tables: a copy of the MADT that
 * lists only the root's processors, and copies of the RSDP and XSDT/RSDT
 * that point at it. The bytes come from firmware and are checked as
 * arch/x86_64/acpi.c checks them; the copies get fresh lengths and checksums.
 * Pure functions over caller buffers: the caller places the copies in the
 * root's memory.
 */
#ifndef ARCH_MADT_PATCH_H
#define ARCH_MADT_PATCH_H

#include "core/types.h"

/* The most root APIC IDs madt_patch_for_root() takes (ACPI_MAX_CPUS in acpi.h). */
#define MADT_ROOT_CPUS_MAX 256
/* A larger MADT is taken to be garbage: 256 KiB lists 16384 x2APIC entries. */
#define MADT_PATCH_MAX_LEN (256u << 10)
/* An RSDP copy is at most this long (ACPI 6.5 section 5.2.5.3: 36 bytes). */
#define ACPI_ROOT_RSDP_MAX 36

/*
 * Copies the MADT (len bytes, its length field at most len) into out and
 * leaves out every processor the root does not own:
 * - Local APIC (type 0) and Local x2APIC (type 9) entries stay only for the
 *   APIC IDs in root_apic_ids[0..n), the first entry of each ID (a repeat is
 *   dropped, as acpi.c ignores it), and are marked enabled;
 * - Local APIC NMI (type 4) and Local x2APIC NMI (type 0xA) entries stay
 *   when they name all processors (UID 0xFF / 0xFFFFFFFF) or a kept
 *   processor's UID;
 * - Multiprocessor Wakeup (type 0x10) is dropped: the root's APs must start
 *   through INIT/SIPI, which the hypervisor filters, not a firmware mailbox;
 * - everything else (IOAPIC, interrupt source overrides, NMI sources, the
 *   local APIC address override, unknown types) is copied as it is.
 * Length and checksum of the copy are recomputed; *out_len gets its size.
 * Not reentrant (boot CPU only): its working set is static.
 * Returns 0; -HV_EBADMSG for a malformed MADT (bad signature, length,
 * checksum or entry framing), -HV_ENOENT when a root APIC ID has no
 * processor entry, -HV_EINVAL for bad arguments, -HV_ENOSPC when out_size is
 * too small; each with one log line.
 */
int madt_patch_for_root(const void *madt, size_t len, const uint64_t *root_apic_ids, unsigned n,
			void *out, size_t out_size, size_t *out_len);

/*
 * Copies the FADT (len bytes, its length field at most len) into out with
 * FORCE_APIC_PHYSICAL_DESTINATION_MODE (flags bit 19) set: Linux then uses
 * physical APIC destinations (its "physical flat" driver), the only ones the
 * hypervisor passes in MSIs (docs/threat-model.md). Checksum recomputed;
 * *out_len gets the copy's length. Returns 0; -HV_EBADMSG for a malformed
 * FADT (signature, length, checksum), -HV_ENOSPC when out_size is too
 * small, -HV_EINVAL for bad arguments; each with one log line.
 */
int fadt_patch_for_root(const void *fadt, size_t len, void *out, size_t out_size, size_t *out_len);
/* The firmware's root tables and where the root's copies will sit. */
struct acpi_root_in {
	const void *rsdp; /* the firmware RSDP (boot_info holds a copy) */
	size_t rsdp_len;
	const void *xsdt; /* the firmware XSDT; needed when the RSDP names one */
	size_t xsdt_len;
	const void *rsdt; /* the firmware RSDT; needed when the RSDP names one */
	size_t rsdt_len;
	uint64_t madt_old; /* the firmware MADT's address as the root tables list it */
	uint64_t madt_new; /* guest-physical address of the patched MADT copy */
	uint64_t fadt_old; /* the firmware FADT's address as the root tables list it */
	uint64_t fadt_new; /* guest-physical address of the FADT copy; 0: the root keeps the firmware's */
	uint64_t xsdt_new; /* guest-physical address the XSDT copy will have */
	uint64_t rsdt_new; /* guest-physical address the RSDT copy will have (below 4 GiB) */
};

/* The copies: the RSDP here, the XSDT and RSDT in caller buffers. */
struct acpi_root_out {
	uint8_t rsdp[ACPI_ROOT_RSDP_MAX];
	size_t rsdp_len; /* 20 (ACPI 1.0) or the RSDP's length field */
	uint8_t *xsdt;	 /* buffer of xsdt_size bytes; xsdt_len 0 when the RSDP names none */
	size_t xsdt_size;
	size_t xsdt_len;
	uint8_t *rsdt; /* buffer of rsdt_size bytes; rsdt_len 0 when the RSDP names none */
	size_t rsdt_size;
	size_t rsdt_len;
};

/*
 * Makes the root's RSDP and the XSDT and/or RSDT it names: every root-table
 * entry equal to madt_old becomes madt_new (fadt_old fadt_new, when
 * fadt_new is set), the RSDP points at xsdt_new /
 * rsdt_new, and all checksums (table, RSDP first 20 bytes, RSDP extended)
 * are recomputed. The input RSDP and root tables are checked as acpi.c
 * checks them. Returns 0, or a negative HV_E* with one log line (malformed
 * input, no MADT (or FADT) entry in a root table, an address that does not fit an
 * RSDT entry, a buffer too small).
 */
int acpi_root_tables(const struct acpi_root_in *in, struct acpi_root_out *out);

#endif
