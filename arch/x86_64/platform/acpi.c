// SPDX-License-Identifier: GPL-2.0-only
/* ACPI table parser: RSDP -> XSDT/RSDT -> MADT, MCFG and FADT, from untrusted firmware memory. */
#include "platform/acpi.h"
#include "platform/madt.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/le.h"
#include "core/log.h"

/*
 * Every multi-byte field is read with the byte-wise little-endian helpers
 * below: firmware tables sit at any alignment (an XSDT's 64-bit entries start
 * at offset 36), so no field is read through a typed pointer.
 */

/* Root System Description Pointer, ACPI 6.5 section 5.2.5.3. */
#define RSDP_SIGNATURE	  "RSD PTR "
#define RSDP_SIG_LEN	  8
#define RSDP_OFF_OEMID	  9
#define RSDP_OEMID_LEN	  6
#define RSDP_OFF_REVISION 15
#define RSDP_OFF_RSDT	  16
#define RSDP_V1_LEN	  20 /* the ACPI 1.0 checksum covers these bytes */
#define RSDP_OFF_LENGTH	  20
#define RSDP_OFF_XSDT	  24
#define RSDP_V2_LEN	  36
#define RSDP_REV_XSDT	  2 /* revision from which Length, XsdtAddress exist */

/* System description table header, ACPI 6.5 section 5.2.6. */
#define SDT_SIG_LEN    4
#define SDT_OFF_LENGTH 4
#define SDT_HDR_LEN    36

/*
 * Sizes beyond which a table is taken to be garbage rather than firmware: a
 * 1 MiB XSDT would list 131072 tables; the largest real SSDTs are some
 * hundred KiB.
 */
#define ROOT_MAX_LEN  (1u << 20)
#define TABLE_MAX_LEN (16u << 20)

/* Multiple APIC Description Table, ACPI 6.5 section 5.2.12. */

/* MCFG, PCI Firmware Specification 3.3 section 4.1.2: 8 reserved bytes, then entries. */
#define MCFG_HDR_LEN	   44
#define MCFG_ENTRY_LEN	   16
#define MCFG_OFF_BASE	   0
#define MCFG_OFF_SEGMENT   8
#define MCFG_OFF_BUS_START 10
#define MCFG_OFF_BUS_END   11

/* Fixed ACPI Description Table, ACPI 6.5 section 5.2.9 (FADT Format table). */
#define FADT_OFF_DSDT	     40
#define FADT_OFF_SCI_INT     46
#define FADT_OFF_SMI_CMD     48
#define FADT_OFF_ACPI_ENABLE 52 /* then ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT */
#define FADT_OFF_CST_CNT     95
#define FADT_OFF_PM1A_EVT    56
#define FADT_OFF_PM1A_CNT    64
#define FADT_OFF_PM1B_CNT    68
#define FADT_OFF_PM_TMR	     76
#define FADT_OFF_PM_TMR_LEN  91
#define FADT_OFF_FLAGS	     112
#define FADT_V1_LEN	     116 /* ACPI 1.0 FADT ends after Flags */
#define FADT_OFF_RESET_REG   116
#define FADT_OFF_RESET_VALUE 128
#define FADT_OFF_X_DSDT	     140
#define FADT_OFF_X_PM_TMR    208
#define FADT_RESET_REG_SUP   (1u << 10) /* Fixed Feature Flags */
#define FADT_TMR_VAL_EXT     (1u << 8)	/* the PM timer counts 32 bits, not 24 */
#define GAS_SPACE_PCI_CONFIG 2		/* generic address structure, 5.2.3.2: space IDs 0-2 */
#define GAS_SPACE_IO	     1
#define GAS_OFF_ADDRESS	     4

struct acpi_parser {
	acpi_map_fn map;
	void *ctx;
	struct acpi_info *out;
	const char *root_name;
	/* address of the first valid table of each kind, for duplicate warnings */
	uint64_t madt_phys, mcfg_phys, fadt_phys, hpet_phys, wdat_phys, wdrt_phys;
	bool madt_seen, mcfg_seen, fadt_seen, hpet_seen, wdat_seen, wdrt_seen;
};

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

bool acpi_checksum_ok(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* Copies len firmware bytes as a printable string (for logs and oem_id). */
static void copy_printable(char *dst, const uint8_t *src, size_t len)
{
	size_t i;

	for (i = 0; i < len && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[i] = '\0';
}

/* The name a table goes by in the spec and in log lines. */
static const char *table_name(const uint8_t *sig, char buf[SDT_SIG_LEN + 1])
{
	if (memcmp(sig, "APIC", SDT_SIG_LEN) == 0)
		return "MADT";
	if (memcmp(sig, "FACP", SDT_SIG_LEN) == 0)
		return "FADT";
	copy_printable(buf, sig, SDT_SIG_LEN);
	return buf;
}

static void madt_clear(struct acpi_info *out)
{
	out->have_madt = false;
	out->lapic_addr = 0;
	out->lapic_addr64 = 0;
	out->pcat_compat = false;
	out->cpu_count = 0;
	out->cpus_ignored = 0;
	out->ioapic_count = 0;
	out->iso_count = 0;
	memset(out->cpus, 0, sizeof(out->cpus));
	memset(out->ioapics, 0, sizeof(out->ioapics));
	memset(out->isos, 0, sizeof(out->isos));
}

static unsigned madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_TYPE_LAPIC:
		return MADT_LEN_LAPIC;
	case MADT_TYPE_IOAPIC:
		return MADT_LEN_IOAPIC;
	case MADT_TYPE_ISO:
		return MADT_LEN_ISO;
	case MADT_TYPE_LAPIC_ADDR:
		return MADT_LEN_LAPIC_ADDR;
	case MADT_TYPE_X2APIC:
		return MADT_LEN_X2APIC;
	default:
		return MADT_ENTRY_HDR_LEN;
	}
}

static void madt_add_cpu(struct acpi_info *out, uint32_t off, uint32_t apic_id, uint32_t uid,
			 uint32_t flags, bool x2apic)
{
	struct acpi_cpu *cpu;

	/*
	 * A second entry with the same APIC ID cannot name a different CPU;
	 * keeping the first stops the hypervisor from starting one CPU twice.
	 */
	for (uint32_t i = 0; i < out->cpu_count; i++) {
		if (out->cpus[i].apic_id == apic_id) {
			pr_warn("acpi: MADT entry at offset 0x%x repeats APIC ID 0x%x (UID %u); "
				"ignored",
				off, apic_id, uid);
			return;
		}
	}
	if (out->cpu_count == ACPI_MAX_CPUS) {
		out->cpus_ignored++;
		return;
	}
	cpu = &out->cpus[out->cpu_count++];
	cpu->apic_id = apic_id;
	cpu->acpi_uid = uid;
	cpu->enabled = flags & MADT_CPU_ENABLED;
	cpu->online_capable = flags & MADT_CPU_ONLINE_CAPABLE;
	cpu->x2apic_entry = x2apic;
}

static void madt_entry(struct acpi_parser *ps, const uint8_t *e, uint32_t off, bool *lapic_override)
{
	struct acpi_info *out = ps->out;

	switch (e[0]) {
	case MADT_TYPE_LAPIC:
		madt_add_cpu(out, off, e[3], e[2], le_get32(e + 4), false);
		break;
	case MADT_TYPE_X2APIC:
		madt_add_cpu(out, off, le_get32(e + 4), le_get32(e + 12), le_get32(e + 8), true);
		break;
	case MADT_TYPE_IOAPIC:
		if (out->ioapic_count == ACPI_MAX_IOAPICS) {
			pr_warn("acpi: MADT entry at offset 0x%x: IOAPIC ID %u beyond the limit of "
				"%u; ignored",
				off, e[2], ACPI_MAX_IOAPICS);
			break;
		}
		out->ioapics[out->ioapic_count].id = e[2];
		out->ioapics[out->ioapic_count].addr = le_get32(e + 4);
		out->ioapics[out->ioapic_count].gsi_base = le_get32(e + 8);
		out->ioapic_count++;
		break;
	case MADT_TYPE_ISO:
		if (out->iso_count == ACPI_MAX_ISOS) {
			pr_warn("acpi: MADT entry at offset 0x%x: override of IRQ %u beyond the "
				"limit of %u; ignored",
				off, e[3], ACPI_MAX_ISOS);
			break;
		}
		out->isos[out->iso_count].bus = e[2];
		out->isos[out->iso_count].source = e[3];
		out->isos[out->iso_count].gsi = le_get32(e + 4);
		out->isos[out->iso_count].flags = le_get16(e + 8);
		out->iso_count++;
		break;
	case MADT_TYPE_LAPIC_ADDR:
		/* the spec allows one; a second could only disagree */
		if (*lapic_override) {
			pr_warn("acpi: MADT entry at offset 0x%x is a second local APIC address "
				"override (0x%llx); ignored",
				off, ull(le_get64(e + 4)));
			break;
		}
		*lapic_override = true;
		out->lapic_addr64 = le_get64(e + 4);
		break;
	default:
		break;
	}
}

/*
 * A malformed entry rejects the whole MADT (have_madt = false, every MADT
 * field cleared): after one entry's length is wrong, the framing of every
 * later entry is in doubt, and a partial CPU or IOAPIC list would let the
 * hypervisor hand out hardware it has not seen described.
 */
static void parse_madt(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	bool lapic_override = false;
	uint32_t off = MADT_HDR_LEN;

	if (len < MADT_HDR_LEN) {
		pr_err("acpi: MADT at 0x%llx has length %u, shorter than its %u-byte header; "
		       "MADT rejected",
		       ull(phys), len, MADT_HDR_LEN);
		return;
	}
	out->lapic_addr = le_get32(t + MADT_OFF_LAPIC);
	out->lapic_addr64 = out->lapic_addr;
	out->pcat_compat = le_get32(t + MADT_OFF_FLAGS) & MADT_PCAT_COMPAT;

	while (off < len) {
		uint32_t left = len - off;
		uint8_t type, elen;

		if (left < MADT_ENTRY_HDR_LEN) {
			pr_err("acpi: MADT entry at offset 0x%x is truncated: %u byte left before "
			       "the table end; MADT rejected",
			       off, left);
			goto reject;
		}
		type = t[off];
		elen = t[off + 1];
		if (elen < MADT_ENTRY_HDR_LEN) {
			pr_err("acpi: MADT entry at offset 0x%x has length %u (type %u); MADT "
			       "rejected",
			       off, elen, type);
			goto reject;
		}
		if (elen > left) {
			pr_err("acpi: MADT entry at offset 0x%x (type %u, length %u) runs past the "
			       "table end at 0x%x; MADT rejected",
			       off, type, elen, len);
			goto reject;
		}
		if (elen < madt_min_len(type)) {
			pr_err("acpi: MADT entry at offset 0x%x (type %u) has length %u, needs %u; "
			       "MADT rejected",
			       off, type, elen, madt_min_len(type));
			goto reject;
		}
		madt_entry(ps, t + off, off, &lapic_override);
		off += elen;
	}

	if (out->cpus_ignored)
		pr_warn("acpi: MADT lists %u more CPUs than the limit of %u; they are ignored",
			out->cpus_ignored, ACPI_MAX_CPUS);
	if (out->cpu_count == 0)
		pr_warn("acpi: MADT at 0x%llx lists no processor", ull(phys));
	out->have_madt = true;
	return;

reject:
	madt_clear(out);
}

static void parse_mcfg(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	uint32_t n;

	if (len < MCFG_HDR_LEN) {
		pr_err("acpi: MCFG at 0x%llx has length %u, shorter than its %u-byte header; "
		       "MCFG rejected",
		       ull(phys), len, MCFG_HDR_LEN);
		return;
	}
	if ((len - MCFG_HDR_LEN) % MCFG_ENTRY_LEN) {
		pr_err("acpi: MCFG at 0x%llx has length %u: %u bytes of entries is not a multiple "
		       "of %u; MCFG rejected",
		       ull(phys), len, len - MCFG_HDR_LEN, MCFG_ENTRY_LEN);
		return;
	}
	n = (len - MCFG_HDR_LEN) / MCFG_ENTRY_LEN;
	/*
	 * A bad entry drops only that segment: each entry describes its own
	 * ECAM window, so the others stay trustworthy.
	 */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off = MCFG_HDR_LEN + i * MCFG_ENTRY_LEN;
		const uint8_t *e = t + off;
		struct acpi_mcfg_entry *m;

		if (e[MCFG_OFF_BUS_START] > e[MCFG_OFF_BUS_END]) {
			pr_warn("acpi: MCFG entry %u at offset 0x%x (segment %u) has bus_start %u "
				"> "
				"bus_end %u; entry ignored",
				i, off, le_get16(e + MCFG_OFF_SEGMENT), e[MCFG_OFF_BUS_START],
				e[MCFG_OFF_BUS_END]);
			continue;
		}
		if (out->mcfg_count == ACPI_MAX_MCFG) {
			pr_warn("acpi: MCFG lists more than %u segments; entry %u and later "
				"ignored",
				ACPI_MAX_MCFG, i);
			break;
		}
		m = &out->mcfg[out->mcfg_count++];
		m->base = le_get64(e + MCFG_OFF_BASE);
		m->segment = le_get16(e + MCFG_OFF_SEGMENT);
		m->bus_start = e[MCFG_OFF_BUS_START];
		m->bus_end = e[MCFG_OFF_BUS_END];
	}
	out->have_mcfg = true;
}

/*
 * HPET description table: after the header, the event timer block ID (4),
 * the base address as a GAS (12: space, width, offset, access, address),
 * the HPET number (1), the minimum tick (2), page protection (1).
 */
#define HPET_LEN	  56
#define HPET_OFF_BASE_GAS 40

static void parse_hpet(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	const uint8_t *g = t + HPET_OFF_BASE_GAS;
	uint64_t base;

	if (len < HPET_LEN) {
		pr_err("acpi: HPET at 0x%llx has length %u, shorter than %u; HPET rejected",
		       ull(phys), len, HPET_LEN);
		return;
	}
	base = le_get64(g + 4);
	if (g[0] != 0 || !base || (base & (ACPI_HPET_SIZE - 1))) {
		pr_err("acpi: HPET at 0x%llx: base 0x%llx in address space %u is not a 1 KiB "
		       "aligned memory address; HPET rejected",
		       ull(phys), ull(base), g[0]);
		return;
	}
	out->hpet_base = base;
}

/*
 * Hardware watchdogs described to the OS (Microsoft's "Hardware Watchdog
 * Timers Design Specification"). WDAT: after the header, the watchdog
 * header length (4), PCI segment (2), bus, device, function (3), reserved
 * (3), timer period (4), maximum and minimum count (4 + 4), flags (1),
 * reserved (3), the instruction count (4), then 24-byte instructions:
 * action (1), instruction (1), reserved (2), register as a GAS (12), value
 * (4), mask (4). WDRT: the control and count registers as GASes (12 + 12),
 * then PCI IDs and the maximum count. The hypervisor needs the registers
 * (to keep them from every partition) and WDAT's stop instructions.
 */
#define WDAT_OFF_COUNT	 64
#define WDAT_OFF_ENTRIES 68
#define WDAT_ENTRY_LEN	 24
#define WDAT_SET_STOPPED 0x0b /* action SET_STOPPED_STATE */
#define WDRT_LEN	 71
#define WDRT_OFF_CONTROL 36
#define WDRT_OFF_COUNT	 48

/* A GAS as a watchdog register: memory or I/O, a size from the access size or the bit width. */
static bool wdt_gas(const uint8_t *g, struct acpi_wdt_reg *r)
{
	unsigned size = g[3] >= 1 && g[3] <= 4 ? 1u << (g[3] - 1) : (g[1] + 7u) / 8u;

	r->space = g[0];
	r->addr = le_get64(g + 4);
	r->size = (uint8_t)size;
	if (r->space != ACPI_SPACE_MEMORY && r->space != ACPI_SPACE_IO)
		return false;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return false;
	if (!r->addr || r->addr + size < r->addr)
		return false;
	return r->space == ACPI_SPACE_MEMORY || (r->addr + size <= 0x10000 && size <= 4);
}

static void wdt_add_reg(struct acpi_info *out, const struct acpi_wdt_reg *r)
{
	for (uint32_t i = 0; i < out->wdt_reg_count; i++) {
		struct acpi_wdt_reg *o = &out->wdt_regs[i];

		if (o->space == r->space && o->addr == r->addr) {
			o->size = MAX(o->size, r->size);
			return;
		}
	}
	if (out->wdt_reg_count < ACPI_WDT_REGS_MAX)
		out->wdt_regs[out->wdt_reg_count++] = *r;
}

static void parse_wdat(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	uint32_t n, regs = 0;

	if (len < WDAT_OFF_ENTRIES) {
		pr_err("acpi: WDAT at 0x%llx has length %u, shorter than %u; WDAT rejected",
		       ull(phys), len, WDAT_OFF_ENTRIES);
		return;
	}
	n = le_get32(t + WDAT_OFF_COUNT);
	if (n > (len - WDAT_OFF_ENTRIES) / WDAT_ENTRY_LEN) {
		pr_err("acpi: WDAT at 0x%llx lists %u instructions; its %u bytes hold %u; WDAT "
		       "rejected",
		       ull(phys), n, len, (len - WDAT_OFF_ENTRIES) / WDAT_ENTRY_LEN);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t + WDAT_OFF_ENTRIES + i * WDAT_ENTRY_LEN;
		struct acpi_wdt_reg r;

		if (!wdt_gas(e + 4, &r)) {
			pr_err("acpi: WDAT instruction %u: register 0x%llx in address space %u "
			       "(%u bytes) is not a memory or I/O register; WDAT rejected",
			       i, ull(le_get64(e + 8)), e[4], r.size);
			out->wdt_reg_count = out->wdt_stop_count = 0;
			return;
		}
		wdt_add_reg(out, &r);
		regs++;
		if (e[0] == WDAT_SET_STOPPED && out->wdt_stop_count < ACPI_WDT_STOP_MAX)
			out->wdt_stop[out->wdt_stop_count++] = (struct acpi_wdat_insn){
				.insn = e[1],
				.reg = r,
				.bit_offset = e[6],
				.value = le_get32(e + 16),
				.mask = le_get32(e + 20),
			};
	}
	if (regs)
		memcpy(out->wdt_table, "WDAT", 5);
}

static void parse_wdrt(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	struct acpi_wdt_reg r[2];

	if (out->wdt_table[0])
		return; /* a WDAT describes the watchdog fully */
	if (len < WDRT_LEN) {
		pr_err("acpi: WDRT at 0x%llx has length %u, shorter than %u; WDRT rejected",
		       ull(phys), len, WDRT_LEN);
		return;
	}
	if (!wdt_gas(t + WDRT_OFF_CONTROL, &r[0]) || !wdt_gas(t + WDRT_OFF_COUNT, &r[1])) {
		pr_err("acpi: WDRT at 0x%llx: a register is not a memory or I/O register; WDRT "
		       "rejected",
		       ull(phys));
		return;
	}
	wdt_add_reg(out, &r[0]);
	wdt_add_reg(out, &r[1]);
	memcpy(out->wdt_table, "WDRT", 5);
}

/* True when the FADT of length len holds the size bytes at off (older revisions are shorter). */
static bool fadt_has(uint32_t len, uint32_t off, uint32_t size)
{
	return off + size <= len;
}

static void parse_fadt(struct acpi_parser *ps, uint64_t phys, const uint8_t *t, uint32_t len)
{
	struct acpi_info *out = ps->out;
	uint64_t x_dsdt = 0;

	if (len < FADT_V1_LEN) {
		pr_err("acpi: FADT at 0x%llx has length %u, shorter than the ACPI 1.0 FADT (%u); "
		       "FADT rejected",
		       ull(phys), len, FADT_V1_LEN);
		return;
	}
	out->sci_int = le_get16(t + FADT_OFF_SCI_INT);
	out->smi_cmd = le_get32(t + FADT_OFF_SMI_CMD);
	/* the commands SMI_CMD takes: ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT, CST_CNT */
	for (unsigned i = 0; i < ACPI_SMI_VALUES - 1; i++)
		out->smi_values[i] = t[FADT_OFF_ACPI_ENABLE + i];
	out->smi_values[ACPI_SMI_VALUES - 1] = t[FADT_OFF_CST_CNT];
	out->pm1a_evt_blk = le_get32(t + FADT_OFF_PM1A_EVT);
	out->pm1a_cnt_blk = le_get32(t + FADT_OFF_PM1A_CNT);
	out->pm1b_cnt_blk = le_get32(t + FADT_OFF_PM1B_CNT);
	out->fadt_flags = le_get32(t + FADT_OFF_FLAGS);

	if (fadt_has(len, FADT_OFF_X_DSDT, 8))
		x_dsdt = le_get64(t + FADT_OFF_X_DSDT);
	out->dsdt_phys = x_dsdt ? x_dsdt : le_get32(t + FADT_OFF_DSDT);

	/* ACPI PM timer (3.579545 MHz): X_PM_TMR_BLK wins when set; only port I/O is used */
	out->pm_tmr_port = 0;
	if (fadt_has(len, FADT_OFF_X_PM_TMR, 12) &&
	    le_get64(t + FADT_OFF_X_PM_TMR + GAS_OFF_ADDRESS) != 0) {
		uint64_t a = le_get64(t + FADT_OFF_X_PM_TMR + GAS_OFF_ADDRESS);

		if (t[FADT_OFF_X_PM_TMR] == GAS_SPACE_IO && a <= 0xfffc)
			out->pm_tmr_port = (uint32_t)a;
	} else if (t[FADT_OFF_PM_TMR_LEN] >= 4 && le_get32(t + FADT_OFF_PM_TMR) <= 0xfffc) {
		out->pm_tmr_port = le_get32(t + FADT_OFF_PM_TMR);
	}
	out->pm_tmr_32bit = (out->fadt_flags & FADT_TMR_VAL_EXT) != 0;

	out->have_reset_reg = false;
	if (out->fadt_flags & FADT_RESET_REG_SUP) {
		const uint8_t *g = t + FADT_OFF_RESET_REG;

		if (!fadt_has(len, FADT_OFF_RESET_VALUE, 1)) {
			pr_warn("acpi: FADT at 0x%llx sets RESET_REG_SUP but its length %u has no "
				"RESET_REG (needs %u); no reset register",
				ull(phys), len, FADT_OFF_RESET_VALUE + 1);
		} else if (le_get64(g + GAS_OFF_ADDRESS) == 0 || g[0] > GAS_SPACE_PCI_CONFIG) {
			pr_warn("acpi: FADT at 0x%llx RESET_REG (space %u, address 0x%llx) is not "
				"usable; no reset register",
				ull(phys), g[0], ull(le_get64(g + GAS_OFF_ADDRESS)));
		} else {
			out->reset_reg.space_id = g[0];
			out->reset_reg.bit_width = g[1];
			out->reset_reg.bit_offset = g[2];
			out->reset_reg.access_size = g[3];
			out->reset_reg.address = le_get64(g + GAS_OFF_ADDRESS);
			out->reset_value = t[FADT_OFF_RESET_VALUE];
			out->have_reset_reg = true;
		}
	}
	out->have_fadt = true;
}

/* Returns true when this is the first valid table of its kind; warns on a later one. */
static bool first_of_kind(bool *seen, uint64_t *first, uint64_t phys, const char *name)
{
	if (*seen) {
		pr_warn("acpi: %s at 0x%llx duplicates the one at 0x%llx; ignored", name, ull(phys),
			ull(*first));
		return false;
	}
	*seen = true;
	*first = phys;
	return true;
}

/* Records, verifies and, for the tables we know, parses entry idx of the root table. */
static void visit_table(struct acpi_parser *ps, uint32_t idx, uint64_t phys)
{
	struct acpi_info *out = ps->out;
	struct acpi_table_ref *ref;
	const uint8_t *hdr, *t;
	char namebuf[SDT_SIG_LEN + 1];
	const char *name;
	uint32_t len;

	if (phys == 0) {
		pr_warn("acpi: %s entry %u is a null address; skipped", ps->root_name, idx);
		return;
	}
	hdr = ps->map(ps->ctx, phys, SDT_HDR_LEN);
	if (!hdr) {
		pr_err("acpi: %s entry %u at 0x%llx cannot be mapped; skipped", ps->root_name, idx,
		       ull(phys));
		return;
	}
	len = le_get32(hdr + SDT_OFF_LENGTH);
	ref = &out->tables[out->table_count++];
	memcpy(ref->signature, hdr, SDT_SIG_LEN);
	ref->signature[SDT_SIG_LEN] = '\0';
	ref->phys = phys;
	ref->length = len;
	ref->valid = false;
	name = table_name(hdr, namebuf);

	if (len < SDT_HDR_LEN) {
		pr_err("acpi: %s at 0x%llx has length %u, shorter than its %u-byte header", name,
		       ull(phys), len, SDT_HDR_LEN);
		return;
	}
	if (len > TABLE_MAX_LEN) {
		pr_err("acpi: %s at 0x%llx has implausible length 0x%x", name, ull(phys), len);
		return;
	}
	t = ps->map(ps->ctx, phys, len);
	if (!t) {
		pr_err("acpi: %s at 0x%llx (length 0x%x) cannot be mapped", name, ull(phys), len);
		return;
	}
	if (!acpi_checksum_ok(t, len)) {
		pr_err("acpi: %s at 0x%llx has bad checksum", name, ull(phys));
		return;
	}
	ref->valid = true;

	/* the header mapping told us the signature; t is read from here on */
	if (memcmp(ref->signature, "APIC", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->madt_seen, &ps->madt_phys, phys, name))
			parse_madt(ps, phys, t, len);
	} else if (memcmp(ref->signature, "MCFG", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->mcfg_seen, &ps->mcfg_phys, phys, name))
			parse_mcfg(ps, phys, t, len);
	} else if (memcmp(ref->signature, "FACP", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->fadt_seen, &ps->fadt_phys, phys, name))
			parse_fadt(ps, phys, t, len);
	} else if (memcmp(ref->signature, "HPET", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->hpet_seen, &ps->hpet_phys, phys, name))
			parse_hpet(ps, phys, t, len);
	} else if (memcmp(ref->signature, "WDAT", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->wdat_seen, &ps->wdat_phys, phys, name))
			parse_wdat(ps, phys, t, len);
	} else if (memcmp(ref->signature, "WDRT", SDT_SIG_LEN) == 0) {
		if (first_of_kind(&ps->wdrt_seen, &ps->wdrt_phys, phys, name))
			parse_wdrt(ps, phys, t, len);
	}
}

/* Validates the RSDP copy and picks the root table; fills revision, oem_id, root_*. */
static int parse_rsdp(const uint8_t *p, size_t rsdp_len, struct acpi_info *out)
{
	uint64_t xsdt = 0;
	uint32_t rsdt;

	if (rsdp_len < RSDP_V1_LEN) {
		pr_err("acpi: RSDP copy is %zu bytes, shorter than the %u-byte ACPI 1.0 RSDP",
		       rsdp_len, RSDP_V1_LEN);
		return -HV_EINVAL;
	}
	if (memcmp(p, RSDP_SIGNATURE, RSDP_SIG_LEN) != 0) {
		char sig[RSDP_SIG_LEN + 1];

		copy_printable(sig, p, RSDP_SIG_LEN);
		pr_err("acpi: RSDP has bad signature '%s'", sig);
		return -HV_EINVAL;
	}
	if (!acpi_checksum_ok(p, RSDP_V1_LEN)) {
		pr_err("acpi: RSDP has bad checksum over its first %u bytes", RSDP_V1_LEN);
		return -HV_EBADMSG;
	}
	out->revision = p[RSDP_OFF_REVISION];
	copy_printable(out->oem_id, p + RSDP_OFF_OEMID, RSDP_OEMID_LEN);
	rsdt = le_get32(p + RSDP_OFF_RSDT);

	if (out->revision >= RSDP_REV_XSDT) {
		uint32_t len;

		/* without the full copy neither XsdtAddress nor its checksum can be trusted */
		if (rsdp_len < RSDP_V2_LEN) {
			pr_err("acpi: RSDP revision %u needs %u bytes, copy has %zu", out->revision,
			       RSDP_V2_LEN, rsdp_len);
			return -HV_EINVAL;
		}
		len = le_get32(p + RSDP_OFF_LENGTH);
		if (len < RSDP_V2_LEN || len > rsdp_len) {
			pr_err("acpi: RSDP length field %u is outside %u..%zu", len, RSDP_V2_LEN,
			       rsdp_len);
			return -HV_EBADMSG;
		}
		if (!acpi_checksum_ok(p, len)) {
			pr_err("acpi: RSDP has bad extended checksum over %u bytes", len);
			return -HV_EBADMSG;
		}
		xsdt = le_get64(p + RSDP_OFF_XSDT);
	}
	if (xsdt) {
		out->root_phys = xsdt;
		out->root_is_xsdt = true;
	} else if (rsdt) {
		out->root_phys = rsdt;
		out->root_is_xsdt = false;
	} else {
		pr_err("acpi: RSDP (revision %u) gives no RSDT or XSDT address", out->revision);
		return -HV_ENOENT;
	}
	return 0;
}

static void log_summary(const struct acpi_info *out)
{
	uint32_t enabled = 0;

	for (uint32_t i = 0; i < out->cpu_count; i++)
		enabled += out->cpus[i].enabled;
	pr_debug("acpi: revision %u OEM '%s', %s at 0x%llx lists %u tables", out->revision,
		 out->oem_id, out->root_is_xsdt ? "XSDT" : "RSDT", ull(out->root_phys),
		 out->table_count);
	if (out->have_madt)
		pr_debug("acpi: MADT: %u CPUs (%u enabled), %u IOAPICs, %u overrides, LAPIC at "
			 "0x%llx%s",
			 out->cpu_count, enabled, out->ioapic_count, out->iso_count,
			 ull(out->lapic_addr64), out->pcat_compat ? ", 8259 PICs" : "");
	if (out->have_mcfg)
		pr_debug("acpi: MCFG: %u ECAM segments", out->mcfg_count);
	if (out->have_fadt && out->have_reset_reg)
		pr_debug("acpi: FADT: SCI %u, DSDT at 0x%llx, reset register 0x%llx (space %u) "
			 "value "
			 "0x%x",
			 out->sci_int, ull(out->dsdt_phys), ull(out->reset_reg.address),
			 out->reset_reg.space_id, out->reset_value);
	else if (out->have_fadt)
		pr_debug("acpi: FADT: SCI %u, DSDT at 0x%llx, no reset register", out->sci_int,
			 ull(out->dsdt_phys));
}

/*
 * The accessor's pointers are used as long as acpi_parse() runs and several
 * at once (the root table stays in use while each listed table is mapped).
 */
int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx, struct acpi_info *out)
{
	struct acpi_parser ps = { .map = map, .ctx = ctx, .out = out };
	const uint8_t *hdr, *root;
	uint32_t len, esize, n;
	int ret;

	if (!out)
		return -HV_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!rsdp || !map) {
		pr_err("acpi: no RSDP or no memory accessor given");
		return -HV_EINVAL;
	}
	ret = parse_rsdp(rsdp, rsdp_len, out);
	if (ret)
		return ret;

	ps.root_name = out->root_is_xsdt ? "XSDT" : "RSDT";
	esize = out->root_is_xsdt ? 8 : 4;
	hdr = map(ctx, out->root_phys, SDT_HDR_LEN);
	if (!hdr) {
		pr_err("acpi: %s at 0x%llx cannot be mapped", ps.root_name, ull(out->root_phys));
		return -HV_EFAULT;
	}
	if (memcmp(hdr, ps.root_name, SDT_SIG_LEN) != 0) {
		char sig[SDT_SIG_LEN + 1];

		copy_printable(sig, hdr, SDT_SIG_LEN);
		pr_err("acpi: %s at 0x%llx has signature '%s'", ps.root_name, ull(out->root_phys),
		       sig);
		return -HV_EBADMSG;
	}
	len = le_get32(hdr + SDT_OFF_LENGTH);
	if (len < SDT_HDR_LEN) {
		pr_err("acpi: %s at 0x%llx has length %u, shorter than its %u-byte header",
		       ps.root_name, ull(out->root_phys), len, SDT_HDR_LEN);
		return -HV_EBADMSG;
	}
	if (len > ROOT_MAX_LEN) {
		pr_err("acpi: %s at 0x%llx has implausible length 0x%x (limit 0x%x)", ps.root_name,
		       ull(out->root_phys), len, ROOT_MAX_LEN);
		return -HV_EBADMSG;
	}
	if ((len - SDT_HDR_LEN) % esize) {
		pr_err("acpi: %s at 0x%llx has length %u: %u bytes of entries is not a multiple "
		       "of %u",
		       ps.root_name, ull(out->root_phys), len, len - SDT_HDR_LEN, esize);
		return -HV_EBADMSG;
	}
	root = map(ctx, out->root_phys, len);
	if (!root) {
		pr_err("acpi: %s at 0x%llx (length 0x%x) cannot be mapped", ps.root_name,
		       ull(out->root_phys), len);
		return -HV_EFAULT;
	}
	if (!acpi_checksum_ok(root, len)) {
		pr_err("acpi: %s at 0x%llx has bad checksum", ps.root_name, ull(out->root_phys));
		return -HV_EBADMSG;
	}

	n = (len - SDT_HDR_LEN) / esize;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = root + SDT_HDR_LEN + i * esize;

		if (out->table_count == ACPI_MAX_TABLES) {
			pr_warn("acpi: %s lists %u entries, more than %u; entry %u and later "
				"ignored",
				ps.root_name, n, ACPI_MAX_TABLES, i);
			break;
		}
		visit_table(&ps, i, esize == 8 ? le_get64(e) : le_get32(e));
	}
	log_summary(out);
	return 0;
}
