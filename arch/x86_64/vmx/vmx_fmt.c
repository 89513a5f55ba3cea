// SPDX-License-Identifier: GPL-2.0-only
/* The VMX formats as pure functions (vmx/vmx_fmt.h). */
#include "vmx/vmx_fmt.h"

#include <bulkhead/table.h>

#define AR_G	    (1u << 15)
#define AR_UNUSABLE (1u << 16)
#define ATTR_P	    0x80u

#define EPT_R	  (1ULL << 0)
#define EPT_W	  (1ULL << 1)
#define EPT_X	  (1ULL << 2)
#define EPT_MT_UC (0ULL << 3)
#define EPT_MT_WB (6ULL << 3)
#define EPT_LARGE (1ULL << 7)

#define CR0_PE (1ULL << 0)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)

#define XCR0_X87    1ULL
#define XCR0_SSE    2ULL
#define XCR0_AVX    4ULL
#define XCR0_AVX512 0xe0ULL

uint32_t vmx_seg_ar(uint16_t attr, uint32_t limit)
{
	uint32_t ar;

	if (!(attr & ATTR_P))
		return AR_UNUSABLE;
	ar = (attr & 0xffu) | ((uint32_t)(attr & 0xf00u) << 4);
	return limit > 0xfffff ? ar | AR_G : ar & ~AR_G;
}

uint16_t vmx_ar_attr(uint32_t ar)
{
	if (ar & AR_UNUSABLE)
		return 0;
	return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

uint64_t vmx_ept_leaf(uint64_t hpa, uint32_t mem_flags, unsigned level)
{
	uint64_t e = hpa | EPT_R;

	if (mem_flags & BH_MEM_WRITE)
		e |= EPT_W;
	if (mem_flags & BH_MEM_EXEC)
		e |= EPT_X;
	/* MMIO uncached whatever the guest's PAT says; RAM write-back, combined with it */
	e |= (mem_flags & BH_MEM_IO) ? EPT_MT_UC : EPT_MT_WB;
	if (level)
		e |= EPT_LARGE;
	return e;
}

int vmx_msr_bit(uint32_t msr, bool write)
{
	int base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		base = 1024 * 8;
	else
		return -1;
	return base + (write ? 2048 * 8 : 0) + (int)(msr & 0x1fff);
}

void vmx_decode_io(uint64_t qual, uint32_t insn_info, bool have_info, uint16_t cs_attr,
		   struct vexit *e)
{
	e->kind = VEXIT_IO;
	e->io.size = (uint8_t)((qual & 7) + 1);
	e->io.in = qual & (1u << 3);
	e->io.str = qual & (1u << 4);
	e->io.rep = qual & (1u << 5);
	e->io.port = (uint16_t)(qual >> 16);
	e->io.addr_size = 8;
	if (!e->io.str)
		return;
	if (have_info) {
		unsigned a = (insn_info >> 7) & 7; /* 0: 16, 1: 32, 2: 64 bits */

		e->io.addr_size = a == 0 ? 2 : a == 1 ? 4 : 8;
	} else {
		e->io.addr_size = (cs_attr & (1u << 9)) ? 8 : (cs_attr & (1u << 10)) ? 4 : 2;
	}
}

bool vmx_cr0_ok(uint64_t val)
{
	return !(val >> 32) && (!(val & CR0_PG) || (val & CR0_PE)) &&
	       (!(val & CR0_NW) || (val & CR0_CD));
}

bool vmx_xcr0_ok(uint32_t index, uint64_t val, uint64_t supported)
{
	uint64_t avx512 = val & XCR0_AVX512;

	return index == 0 && (val & XCR0_X87) && !(val & ~supported) &&
	       (!(val & XCR0_AVX) || (val & XCR0_SSE)) &&
	       (!avx512 || (avx512 == XCR0_AVX512 && (val & XCR0_AVX)));
}
