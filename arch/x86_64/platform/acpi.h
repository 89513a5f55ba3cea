/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table discovery and parsing: RSDP, XSDT/RSDT, MADT, MCFG, FADT.
 * Every table's length and checksum is verified before any field is read; a
 * malformed table is rejected with a log message and not followed.
 * Physical memory is reached through an accessor, so the same parser runs in
 * the hypervisor (identity map) and in host unit tests and fuzzers.
 */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include "core/types.h"

#define ACPI_MAX_CPUS	 256
#define ACPI_MAX_IOAPICS 16
#define ACPI_MAX_ISOS	 32
#define ACPI_MAX_MCFG	 16
#define ACPI_MAX_TABLES	 64
#define ACPI_SMI_VALUES	 5 /* the FADT's SMI_CMD values */

/*
 * Returns a pointer through which len bytes at physical address phys can be
 * read, or NULL when that range is not accessible (the parser then rejects
 * whatever pointed there).
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, uint64_t len);

struct acpi_cpu {
	uint32_t apic_id;    /* xAPIC (8-bit) or x2APIC (32-bit) ID */
	uint32_t acpi_uid;   /* ACPI processor UID */
	bool enabled;	     /* MADT flags bit 0 */
	bool online_capable; /* MADT flags bit 1 (ACPI 6.3+) */
	bool x2apic_entry;   /* came from a type 9 (local x2APIC) entry */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct acpi_iso { /* interrupt source override */
	uint8_t bus;
	uint8_t source; /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity, trigger mode */
};

struct acpi_mcfg_entry {
	uint64_t base; /* ECAM base address for bus 0 of this segment */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end;
};

/* A generic address structure (ACPI 6.x section 5.2.3.2). */
struct acpi_gas {
	uint8_t space_id; /* 0 = system memory, 1 = system I/O */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};

/* A watchdog register (WDAT/WDRT): system memory or I/O space, 1, 2, 4 or 8 bytes. */
#define ACPI_WDT_REGS_MAX 16
#define ACPI_WDT_STOP_MAX 8
#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO	  1
struct acpi_wdt_reg {
	uint8_t space;
	uint8_t size;
	uint64_t addr;
};
/* One WDAT instruction (Microsoft "Hardware Watchdog Timers Design Specification"). */
#define ACPI_WDAT_READ_VALUE	  0x00
#define ACPI_WDAT_READ_COUNTDOWN  0x01
#define ACPI_WDAT_WRITE_VALUE	  0x02
#define ACPI_WDAT_WRITE_COUNTDOWN 0x03
#define ACPI_WDAT_PRESERVE	  0x80
struct acpi_wdat_insn {
	uint8_t insn; /* ACPI_WDAT_* | ACPI_WDAT_PRESERVE */
	struct acpi_wdt_reg reg;
	uint8_t bit_offset;
	uint32_t value, mask;
};

struct acpi_table_ref {
	char signature[5]; /* NUL-terminated */
	uint64_t phys;
	uint32_t length;
	bool valid; /* length and checksum verified */
};

struct acpi_info {
	/* RSDP */
	uint8_t revision; /* 0 = ACPI 1.0 (RSDT), >= 2 (XSDT) */
	char oem_id[7];
	uint64_t root_phys; /* XSDT, or RSDT for ACPI 1.0 */
	bool root_is_xsdt;

	/* every table the root table lists */
	uint32_t table_count;
	struct acpi_table_ref tables[ACPI_MAX_TABLES];

	/* MADT */
	bool have_madt;
	uint32_t lapic_addr;   /* as the MADT header gives it */
	uint64_t lapic_addr64; /* the one to use: lapic_addr, or a type 5 override */
	bool pcat_compat;      /* dual 8259 PICs present */
	uint32_t cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t cpus_ignored; /* CPUs listed beyond ACPI_MAX_CPUS (not in cpu_count) */
	uint32_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t iso_count;
	struct acpi_iso isos[ACPI_MAX_ISOS];

	/* MCFG */
	bool have_mcfg;
	uint32_t mcfg_count;
	struct acpi_mcfg_entry mcfg[ACPI_MAX_MCFG];

	/* FADT (only the fields the hypervisor needs for reset/power filtering) */
	bool have_fadt;
	uint32_t fadt_flags;
	uint16_t sci_int;
	uint32_t smi_cmd; /* SMI command port, 0: none */
	/* the values SMI_CMD takes (FADT order: ACPI enable/disable, S4BIOS, P-state, C-state; 0: none) */
	uint8_t smi_values[ACPI_SMI_VALUES];
	uint32_t pm1a_evt_blk; /* I/O port: on Intel chipsets the PM block's base (PMBASE) */
	uint32_t pm1a_cnt_blk; /* I/O port */
	uint32_t pm1b_cnt_blk;
	uint32_t pm_tmr_port; /* ACPI PM timer I/O port, 0 = none */
	bool pm_tmr_32bit;    /* TMR_VAL_EXT: 32-bit counter, else 24-bit */
	bool have_reset_reg;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint64_t dsdt_phys;

	/* HPET (the first one; 0: none or unusable) */
	uint64_t hpet_base;

	/*
	 * A hardware watchdog ACPI describes (WDAT, else WDRT): its registers
	 * are the hypervisor's (docs/threat-model.md), and WDAT's
	 * SET_STOPPED_STATE instructions halt it at boot.
	 */
	char wdt_table[5]; /* "WDAT", "WDRT", or "" */
	uint32_t wdt_reg_count;
	struct acpi_wdt_reg wdt_regs[ACPI_WDT_REGS_MAX];
	uint32_t wdt_stop_count;
	struct acpi_wdat_insn wdt_stop[ACPI_WDT_STOP_MAX];
};

#define ACPI_HPET_SIZE 0x400 /* the register block: 1 KiB */

/*
 * Parses the ACPI tables reachable from an RSDP (a copy of it in rsdp/rsdp_len,
 * as Multiboot2 passes it). Fills *out. Returns 0 on success (individual bad
 * tables are logged, skipped and left out of *out), or a negative HV_E* error
 * when the RSDP or the root table itself is unusable.
 */
int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       struct acpi_info *out);

/* Verifies an ACPI checksum: the bytes sum to zero modulo 256. */
bool acpi_checksum_ok(const void *data, size_t len);

#endif
