/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Intel ICH/PCH platform-control blocks (docs/threat-model.md,
 * "Watchdog and SMI enables"): the PM block with SMI_EN and the TCO
 * watchdog, and the chipset configuration registers (RCRB) with
 * GCS.NO_REBOOT, found from the LPC bridge. They are the hypervisor's: the
 * root's accesses are trapped (root/root_ich.c) and no other partition may
 * be given their ports (the boot-time check).
 */
#ifndef PLATFORM_CHIPSET_H
#define PLATFORM_CHIPSET_H

#include "core/types.h"

/* Configuration registers of the ISA/LPC bridge at 00:1f.0 (ICH6-ICH10, PCH 5-9 series) */
#define ICH_LPC_BDF	  0xf8 /* bus 0, device 0x1f, function 0 */
#define ICH_LPC_PMBASE	  0x40 /* ACPI/PM I/O base: bits 15:7, bit 0 reads 1 (I/O) */
#define ICH_LPC_ACPI_CNTL 0x44 /* bit 7: the PM block decodes */
#define ICH_LPC_RCBA	  0xf0 /* root complex base: bits 31:14, bit 0 enable */

#define ICH_PM_SMI_EN	  0x30 /* in the PM block: SMI_EN, 4 bytes */
#define ICH_PM_TCO	  0x60 /* in the PM block: the TCO registers */
#define ICH_TCO_LEN	  0x20
#define ICH_RCRB_LEN	  0x4000
#define ICH_RCRB_GCS	  0x3410 /* General Control and Status, 4 bytes */
#define ICH_GCS_NO_REBOOT (1u << 5)

/* What the configuration reads of the LPC bridge gave (ich_find). */
struct ich_platform {
	bool found;
	uint16_t pmbase; /* the PM block */
	uint16_t tco;	 /* pmbase + ICH_PM_TCO */
	uint16_t smi_en; /* pmbase + ICH_PM_SMI_EN */
	uint64_t rcrb;	 /* 0: the RCRB does not decode */
};

/*
 * The ICH/PCH PM, TCO and RCRB blocks from the LPC bridge's configuration
 * (vendor_device: dword 0, class_rev: dword 8, pmbase, acpi_cntl, rcba: the
 * dwords at those offsets), trusted only when the PM block decodes and is
 * where the FADT's PM1a event block says (pm1a_evt). Returns false, with
 * the reason, when this is not such a chipset.
 */
bool ich_find(uint32_t vendor_device, uint32_t class_rev, uint32_t pmbase, uint32_t acpi_cntl,
	      uint32_t rcba, uint32_t pm1a_evt, struct ich_platform *out, const char **why);

/* The TCO registers, offsets from the TCO base */
#define TCO_RLD	    0x00 /* 2: reads the count, a write reloads */
#define TCO_DAT_IN  0x02
#define TCO_DAT_OUT 0x03
#define TCO1_STS    0x04 /* 2 */
#define TCO2_STS    0x06 /* 2 */
#define TCO1_CNT    0x08 /* 2 */
#define TCO2_CNT    0x0a /* 2 */
#define TCO_MSG1    0x0c
#define TCO_MSG2    0x0d
#define TCO_WDCNT   0x0e
#define TCO_SW_IRQ  0x10 /* SW_IRQ_GEN */
#define TCO_TMR	    0x12 /* 2: the reload value, 10 bits, in ticks */

#define TCO1_STS_TIMEOUT   (1u << 3)
#define TCO2_STS_SECOND_TO (1u << 1)
#define TCO2_STS_BOOT	   (1u << 2)
#define TCO1_CNT_NMI_NOW   (1u << 9)
#define TCO1_CNT_TMR_HLT   (1u << 11)
#define TCO1_CNT_LOCK	   (1u << 12)
#define TCO_TMR_MASK	   0x3ffu
#define TCO_TMR_MIN	   4	   /* "values 0-3 are ignored" */
#define TCO_TICK_US	   600000u /* one count: 0.6 s */

#define ICH_PM_LEN 0x80 /* the whole PM block: PM1, timer, GPE0, SMI_EN/STS, TCO */

/* platform.c: the chipset found at boot (found false: none); the first call probes */
const struct ich_platform *platform_ich(void);

#endif
