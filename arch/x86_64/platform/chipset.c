// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which ICH/PCH this is, from its LPC bridge's configuration (pure; the
 * reads are platform.c's). Hardware facts (Intel ICH9 datasheet, LPC
 * configuration and PM/TCO I/O; the same from ICH6 to the 9-series PCH):
 * PMBASE is LPC bridge (00:1f.0) register 0x40 (bits 15:7, bit 0 reads 1),
 * decoding while ACPI_CNTL (0x44) bit 7 is set; SMI_EN is the dword at
 * PMBASE + 0x30, the TCO registers the 32 ports at PMBASE + 0x60; RCBA
 * (register 0xf0, bits 31:14, bit 0 enable) places the 16 KiB RCRB. From
 * the 100-series PCH on, register 0x40 is no longer PMBASE: the FADT's
 * PM1a event block, which is PMBASE on these chipsets, tells them apart.
 */
#include "platform/chipset.h"

#define ICH_VENDOR_INTEL 0x8086
#define ICH_CLASS_ISA	 0x060100 /* class 06 (bridge), subclass 01 (ISA), prog-if 00 */
#define ICH_PMBASE_IO	 0x1u
#define ICH_PMBASE_MASK	 0xff80u
#define ICH_ACPI_EN	 0x80u
#define ICH_RCBA_EN	 0x1u
#define ICH_RCBA_MASK	 0xffffc000u

bool ich_find(uint32_t vendor_device, uint32_t class_rev, uint32_t pmbase, uint32_t acpi_cntl,
	      uint32_t rcba, uint32_t pm1a_evt, struct ich_platform *out, const char **why)
{
	uint32_t base = pmbase & ICH_PMBASE_MASK;

	*out = (struct ich_platform){ 0 };
	if ((vendor_device & 0xffff) != ICH_VENDOR_INTEL || class_rev >> 8 != ICH_CLASS_ISA) {
		*why = "no Intel ISA/LPC bridge at 00:1f.0";
		return false;
	}
	if (!(pmbase & ICH_PMBASE_IO) || !(acpi_cntl & ICH_ACPI_EN) || !base) {
		*why = "the LPC bridge's PM block (register 0x40) does not decode";
		return false;
	}
	if (base != pm1a_evt) {
		*why = "the LPC bridge's PM block is not the FADT's PM1a event block (not an "
		       "ICH-style chipset)";
		return false;
	}
	out->found = true;
	out->pmbase = (uint16_t)base;
	out->tco = (uint16_t)(base + ICH_PM_TCO);
	out->smi_en = (uint16_t)(base + ICH_PM_SMI_EN);
	out->rcrb = rcba & ICH_RCBA_EN ? rcba & ICH_RCBA_MASK : 0;
	*why = "";
	return true;
}
