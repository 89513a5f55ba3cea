/* SPDX-License-Identifier: GPL-2.0-only */
/* Firmware discovery for the rest of arch/x86_64: the platform bring-up and what it found. */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include "core/boot_info.h"
#include "core/memmap.h"
#include "core/types.h"

/*
 * Discovers the platform (ACPI, CPUs), calibrates time, builds the
 * hypervisor's page tables, starts every other CPU and reports what it
 * found. Returns the number of CPUs online.
 */
unsigned platform_init(const struct boot_info *bi, struct memmap *mm);

/* The firmware's ACPI tables as parsed at boot (zeroed when unusable) */
struct acpi_info;
const struct acpi_info *platform_acpi(void);

#endif
