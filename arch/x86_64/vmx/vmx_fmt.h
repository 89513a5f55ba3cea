/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX formats the back end writes and reads, as pure functions (unit
 * tested, test/unit/vmx/test_vmx_fmt.c): segment access rights, EPT leaves,
 * the MSR bitmap's layout, the I/O exit qualification, and the
 * architecture's rules for the CR0 and XCR0 values a guest writes, which the
 * back end completes itself (vmx/vmx.c).
 */
#ifndef VMX_VMX_FMT_H
#define VMX_VMX_FMT_H

#include "vcpu/vcpu.h"
#include "core/types.h"

/*
 * SVM-packed attributes (type, S, DPL, P in 7:0; AVL, L, D/B, G in 11:8) and a
 * byte-granular limit to VMX access rights (SDM vol. 3C, 25.4.1): bits 11:8
 * move to 15:12, a segment not present is unusable (bit 16), and G follows
 * the limit as VM entry checks it (26.3.1.2).
 */
uint32_t vmx_seg_ar(uint16_t attr, uint32_t limit);
/* VMX access rights back to the SVM-packed form (an unusable segment: 0). */
uint16_t vmx_ar_attr(uint32_t ar);

/* An EPT leaf (SDM 29.3.2): R always, W and X from the flags, UC for BH_MEM_IO, else WB. */
uint64_t vmx_ept_leaf(uint64_t hpa, uint32_t mem_flags, unsigned level);

/*
 * The bit of msr's read or write intercept in the 4 KiB MSR bitmap (SDM
 * 25.6.9), or -1 for an MSR outside 0-0x1fff and 0xc0000000-0xc0001fff
 * (always intercepted).
 */
int vmx_msr_bit(uint32_t msr, bool write);

/*
 * An I/O exit qualification (SDM 28.2.1, table 28-5) into e (kind VEXIT_IO).
 * String I/O's address size: from the VM-exit instruction information
 * (bits 9:7) when have_info, else the code segment's default (cs_attr,
 * SVM-packed: L, then D).
 */
void vmx_decode_io(uint64_t qual, uint32_t insn_info, bool have_info, uint16_t cs_attr,
		   struct vexit *e);

/* A MOV to CR0 the CPU would complete (#GP otherwise): bits 63:32 clear, PG only with PE, NW only with CD. */
bool vmx_cr0_ok(uint64_t val);
/*
 * An XSETBV of XCR0 the CPU would complete (#GP otherwise, SDM vol. 1,
 * 13.3): index 0, x87 set, only supported components, AVX with SSE,
 * AVX-512's three components together and with AVX.
 */
bool vmx_xcr0_ok(uint32_t index, uint64_t val, uint64_t supported);

#endif
