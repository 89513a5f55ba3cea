// SPDX-License-Identifier: GPL-2.0-only
/*
 * Architectural start states, the same for every back end: the documented
 * 64-bit start (include/bulkhead/guest.h) and its 32-bit variant, the state
 * after INIT and a start-up IPI, and the guest page tables and GDT the
 * 64-bit start needs. The back end loads a struct x86_state into its
 * control block; segment attributes use the SVM-packed form (descriptor
 * bits 40-47 in 7:0, bits 52-55 in 11:8).
 */
#include <bulkhead/guest.h>
#include <bulkhead/table.h>

#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/guest_load.h"
#include "core/errno.h"
#include "core/lib.h"

#define PTE_P_RW 0x3ULL
#define PDE_2M	 0x83ULL

/* segment attributes: type, S, DPL 0, P (bits 7:0), AVL, L, D/B, G (bits 11:8) */
#define ATTR_CODE64 0x029b /* execute/read, accessed, L */
#define ATTR_CODE32 0x0c9b /* execute/read, accessed, D, G */
#define ATTR_DATA32 0x0c93 /* read/write, accessed, D/B, G */
#define ATTR_CODE16 0x009b
#define ATTR_DATA16 0x0093
#define ATTR_LDT    0x0082
#define ATTR_TSS64  0x008b /* busy 64-bit TSS */
#define TSS_SEL	    0x18

#define RFLAGS_RESET 0x2ULL
#define DR6_RESET    0xffff0ff0ULL
#define DR7_RESET    0x400ULL
#define PAT_RESET    0x0007040600070406ULL /* the power-on default PAT */

static struct x86_seg seg(uint16_t sel, uint16_t attr, uint32_t limit, uint64_t base)
{
	return (struct x86_seg){ .sel = sel, .attr = attr, .limit = limit, .base = base };
}

void guest_flat_gdt(uint64_t gdt[GUEST_GDT_ENTRIES])
{
	gdt[0] = 0;
	gdt[1] = GDT_DESC_CODE64; /* 0x08 */
	gdt[2] = GDT_DESC_DATA;	  /* 0x10 */
	gdt[3] = GDT_DESC_CODE32; /* 0x18, for the 32-bit start */
}

int guest_identity_map(struct partition *p, gpa_t at)
{
	uint64_t *pt = gmem_ptr(p, at, GUEST_IDMAP_PAGES * PAGE_SIZE, true);
	gpa_t pdpt = at + PAGE_SIZE, pd = pdpt + PAGE_SIZE;

	if (!pt)
		return -HV_ENOSPC;
	memset(pt, 0, GUEST_IDMAP_PAGES * PAGE_SIZE);
	pt[0] = pdpt | PTE_P_RW;
	for (unsigned i = 0; i < 4; i++)
		pt[512 + i] = (pd + i * PAGE_SIZE) | PTE_P_RW;
	for (unsigned i = 0; i < 4 * 512; i++)
		pt[1024 + i] = ((uint64_t)i << 21) | PDE_2M;
	return 0;
}

void vcpu_state_boot(struct vcpu *v, struct x86_state *s)
{
	const struct x86_part *xp = v->xp;
	struct x86_seg data = seg(xp->ds, ATTR_DATA32, 0xffffffff, 0);
	uint64_t *r = v->regs.gpr;

	memset(s, 0, sizeof(*s));
	s->cs = seg(xp->cs, ATTR_CODE64, 0xffffffff, 0);
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->gdtr = seg(0, 0, GUEST_GDT_ENTRIES * 8 - 1, xp->gdt);
	s->idtr = seg(0, 0, 0, 0);
	s->ldtr = seg(0, ATTR_LDT, 0, 0);
	s->tr = seg(TSS_SEL, ATTR_TSS64, 0x67, 0);
	s->efer = EFER_LME | EFER_LMA;
	s->cr0 = CR0_PG | CR0_PE | CR0_ET | CR0_NE | CR0_WP;
	s->cr4 = CR4_PAE;
	s->cr3 = xp->cr3;
	s->dr7 = DR7_RESET;
	s->dr6 = DR6_RESET;
	s->rflags = RFLAGS_RESET;
	s->rip = xp->entry;
	s->pat = PAT_RESET;
	memset(&v->regs, 0, sizeof(v->regs));
	r[INSN_RAX] = BH_GUEST_MAGIC32;
	r[INSN_RDI] = guest_info_gpa(v->part);
	r[INSN_RSI] = xp->boot_rsi; /* Linux boot protocol: the zero page */
	if (v->part->image_flags & BH_IMAGE_F_START32) {
		/* like a Multiboot2 hand-over: protected mode, paging off, EBX = info */
		s->cs = seg(0x18, ATTR_CODE32, 0xffffffff, 0);
		s->efer = 0;
		s->cr0 = CR0_PE | CR0_ET | CR0_NE;
		s->cr4 = 0;
		s->cr3 = 0;
		r[INSN_RBX] = guest_info_gpa(v->part);
	}
}

/*
 * After INIT and a start-up IPI (AMD APM vol. 2, 14.1.3 and Intel SDM vol. 3A
 * 8.4.4): real mode, CS = vector << 8 with base vector << 12, IP 0, the other
 * registers at their INIT values. Stage 2 makes real mode work without
 * paging in the guest.
 */
void vcpu_state_sipi(struct x86_state *s, uint8_t vector)
{
	struct x86_seg data = seg(0, ATTR_DATA16, 0xffff, 0);

	memset(s, 0, sizeof(*s));
	s->cs = seg((uint16_t)(vector << 8), ATTR_CODE16, 0xffff, (uint64_t)vector << 12);
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->gdtr = seg(0, 0, 0xffff, 0);
	s->idtr = seg(0, 0, 0xffff, 0);
	s->ldtr = seg(0, ATTR_LDT, 0xffff, 0);
	s->tr = seg(0, ATTR_TSS64, 0xffff, 0);
	s->cr0 = CR0_ET;
	s->dr7 = DR7_RESET;
	s->dr6 = DR6_RESET;
	s->rflags = RFLAGS_RESET;
	s->pat = PAT_RESET;
}
