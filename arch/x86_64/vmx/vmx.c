// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Intel VMX back end of the vCPU layer: only what is Intel. VMXON per
 * CPU, the VMCS (controls from vmx/vmx_caps.c, host state, loading a start
 * state), VMLAUNCH/VMRESUME (vmx/vmx_entry.S), decoding an exit into a
 * struct vexit, event injection, the MSR and I/O bitmap formats and the EPT
 * entry format. What an exit means is decided in vcpu/exits.c, as for SVM.
 *
 * What VMX needs on top of SVM, all here:
 *  - CR0.NE and CR4.VMXE must stay set while a guest runs: they are owned
 *    through the guest/host masks, and the guest reads its own values from
 *    the read shadows; a MOV to CR0/CR4 that changes an owned bit exits and
 *    is completed here (and CR4.VMXE is refused: no nested VMX).
 *  - XSETBV always exits: the guest's XCR0 is checked and set here.
 *  - A physical NMI makes a VM exit (NMI exiting) and is gone: a stop of
 *    every CPU (cpu_stopping()) halts the CPU there. The kick window of the
 *    entry is closed by cpu_nmi_window().
 *  - An NMI for the guest waits for an NMI window when the guest blocks
 *    NMIs (virtual NMIs), where SVM injects regardless.
 * External interrupts are not intercepted: a partition's own IDT takes them
 * and its LAPIC timer is its own (zero exits on an RT CPU).
 */
#include <bulkhead/table.h>

#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "vcpu/exits.h"
#include "vcpu/vcpu.h"
#include "vmx/vmcs.h"
#include "vmx/vmx.h"
#include "vmx/vmx_caps.h"
#include "vmx/vmx_fmt.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

/* EPT table entries (Intel SDM vol. 3C, 29.3.2; leaves: vmx/vmx_fmt.c) */
#define EPT_R	       (1ULL << 0)
#define EPT_W	       (1ULL << 1)
#define EPT_X	       (1ULL << 2)
#define EPTP_WB_4LVL   (6ULL | (3ULL << 3))
#define INVEPT_SINGLE  1
#define INVEPT_ALL     2
#define INVVPID_SINGLE 1
#define INVVPID_ALL    2

#define MSR_BITMAP_PAGES 1 /* SDM 25.6.9: read low, read high, write low, write high */
#define IO_BITMAP_PAGES	 2 /* 25.6.4: A (ports 0-0x7fff) and B */

#define MSR_IA32_ARCH_CAPABILITIES 0x10a
#define ARCH_CAP_PSCHANGE_MC_NO	   (1ULL << 6)
#define CPUID7_EDX_ARCH_CAP	   (1u << 29)
#define CPUID1_ECX_XSAVE	   (1u << 26)
#define BASIC_INSOUTS_INFO	   (1ULL << 54)
#define RFLAGS_RESERVED1	   0x2ULL
#define XCR0_X87		   1ULL

#define INSN_LEN_CPUID	2
#define INSN_LEN_VMCALL 3

/* per vCPU, in the page at v->host_area */
struct vmx_vcpu {
	bool launched;	 /* VMLAUNCH done: VMRESUME from now on */
	bool nmi_window; /* NMI-window exiting on: an NMI waits for the guest to unblock NMIs */
	bool flush;	 /* stage-2 changed: INVEPT before the next entry */
	uint16_t vpid;
	uint64_t eptp;
	uint64_t xcr0_mask; /* the XCR0 bits the CPU supports (CPUID 0xd) */
};

static struct vmx_setup vs;
static struct vmx_caps_in vcaps;
static bool insouts_info;  /* VM-exit instruction information for INS/OUTS */
static bool exec_4k;	   /* CVE-2018-12207: executable guest memory in 4 KiB EPT pages */
static uint32_t next_vpid; /* VPID 0 is the host's */

int vmx_enter(struct vcpu *v, uint32_t launched, const volatile uint32_t *kick,
	      const volatile uint32_t *state, uint32_t running);
extern const char vmx_exit_entry[], vmx_window_start[], vmx_window_end[], vmx_window_abort[];

static inline struct vmx_vcpu *vx(const struct vcpu *v)
{
	return (struct vmx_vcpu *)(uintptr_t)v->host_area;
}

static inline void invept(unsigned type, uint64_t eptp)
{
	struct {
		uint64_t eptp, zero;
	} d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" ::"m"(d), "r"((uint64_t)type) : "cc", "memory");
}

static inline void invvpid(unsigned type, uint16_t vpid)
{
	struct {
		uint64_t vpid, addr;
	} d = { vpid, 0 };

	__asm__ volatile("invvpid %0, %1" ::"m"(d), "r"((uint64_t)type) : "cc", "memory");
}

/* ---- the back end chosen: controls, CVE-2018-12207 ------------------------------------- */

int vmx_backend_probe(char *why, size_t why_len)
{
	struct vmx_on_state st;
	uint32_t a, b, c, d;
	uint64_t arch_cap = 0;
	int rc;

	vmx_caps_read(&vcaps);
	rc = vmx_setup_compute(&vcaps, &vs, why, why_len);
	if (rc < 0)
		return rc;
	insouts_info = vcaps.basic & BASIC_INSOUTS_INFO;
	pr_info("vmx: the controls Bulkhead needs are there: pin 0x%x, proc 0x%x, proc2 0x%x, "
		"exit 0x%x, entry 0x%x (%s control MSRs); VPID %s, EPT 2 MiB %s, 1 GiB %s",
		vs.pin, vs.proc, vs.proc2, vs.exit, vs.entry, vs.true_ctls ? "TRUE" : "default",
		vs.vpid ? "yes" : "no", vs.ept_2m ? "yes" : "no", vs.ept_1g ? "yes" : "no");
	if (vs.forced[0])
		pr_warn("vmx: the CPU forces on %s: exits a guest would not otherwise make",
			vs.forced);
	/* machine check on a page-size change of executable memory (Intel SDM, "IF_PSCHANGE_MC_NO") */
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (d & CPUID7_EDX_ARCH_CAP)
			(void)rdmsr_safe(MSR_IA32_ARCH_CAPABILITIES, &arch_cap);
	}
	exec_4k = !(arch_cap & ARCH_CAP_PSCHANGE_MC_NO);
	pr_info("vmx: IA32_ARCH_CAPABILITIES 0x%llx: %s", (unsigned long long)arch_cap,
		exec_4k ? "no IF_PSCHANGE_MC_NO, executable guest memory gets 4 KiB EPT pages "
			  "(CVE-2018-12207)"
			: "IF_PSCHANGE_MC_NO, large EPT pages for all memory");
	rc = vmx_on(&vcaps, &st, why, why_len);
	if (rc < 0)
		return rc;
	vmx_off(&st);
	pr_info("vmx: cpu%u: VMXON and VMXOFF done (IA32_FEATURE_CONTROL %s)", arch_cpu_id(),
		st.locked_here ? "locked by Bulkhead" : "locked by the firmware");
	cpu_nmi_window((uintptr_t)vmx_window_start, (uintptr_t)vmx_window_end,
		       (uintptr_t)vmx_window_abort);
	return 0;
}

/* ---- EPT ----------------------------------------------------------------------------- */

static uint64_t ept_table(hpa_t t)
{
	return t | EPT_R | EPT_W | EPT_X;
}

static uint64_t ept_leaf(hpa_t hpa, uint32_t flags, unsigned level)
{
	return vmx_ept_leaf(hpa, flags, level);
}

static unsigned ept_max_level(void)
{
	return vs.ept_1g ? 2 : vs.ept_2m ? 1 : 0;
}

static bool ept_exec_4k(void)
{
	return exec_4k;
}

/* ---- per CPU and per vCPU set-up ----------------------------------------------------- */

static int vmx_cpu_enable(void)
{
	struct percpu *cpu = this_cpu();
	struct vmx_on_state st;
	uint32_t a, b, c, d;
	char why[160];
	int rc;

	/* the guests' XSETBV is completed by the host's */
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & CPUID1_ECX_XSAVE)
		write_cr4(read_cr4() | CR4_OSXSAVE);
	rc = vmx_on(&vcaps, &st, why, sizeof(why));
	if (rc < 0) {
		pr_err("cpu%u: %s", cpu->cpu_id, why);
		return rc;
	}
	cpu->virt_pages[0] = st.region;
	return 0;
}

static uint16_t host_sel(unsigned which)
{
	uint16_t s = 0;

	switch (which) {
	case VSEG_CS:
		__asm__ volatile("mov %%cs, %0" : "=r"(s));
		break;
	case VSEG_SS:
		__asm__ volatile("mov %%ss, %0" : "=r"(s));
		break;
	case VSEG_DS:
		__asm__ volatile("mov %%ds, %0" : "=r"(s));
		break;
	case VSEG_ES:
		__asm__ volatile("mov %%es, %0" : "=r"(s));
		break;
	default:
		break;
	}
	return s & 0xfff8; /* RPL and TI must be 0 */
}

/* The host state a VM exit loads (SDM 26.5): this CPU's tables, stacks and MSRs. */
static void vmx_host_state(const struct percpu *cpu)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, host_sel(VSEG_CS));
	vmwrite(VMCS_HOST_SS_SEL, host_sel(VSEG_SS));
	vmwrite(VMCS_HOST_DS_SEL, host_sel(VSEG_DS));
	vmwrite(VMCS_HOST_ES_SEL, host_sel(VSEG_ES));
	vmwrite(VMCS_HOST_FS_SEL, 0);
	vmwrite(VMCS_HOST_GS_SEL, 0);
	vmwrite(VMCS_HOST_TR_SEL, GDT_TSS);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(VMCS_HOST_TR_BASE, (uintptr_t)&cpu->tss);
	vmwrite(VMCS_HOST_GDTR_BASE, (uintptr_t)cpu->gdt);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, rdmsr(0x174));
	vmwrite(VMCS_HOST_SYSENTER_ESP, rdmsr(0x175));
	vmwrite(VMCS_HOST_SYSENTER_EIP, rdmsr(0x176));
	vmwrite(VMCS_HOST_PAT, rdmsr(0x277));
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_RIP, (uintptr_t)vmx_exit_entry);
}

static int vmx_vcpu_init(struct vcpu *v)
{
	const struct x86_part *xp = v->xp;
	hpa_t vmcs = palloc_alloc(1, 1), priv = palloc_alloc(1, 1);
	struct vmx_vcpu *x = (struct vmx_vcpu *)(uintptr_t)priv;
	uint32_t a, b, c, d;
	uint8_t failed;

	if (!vmcs || !priv)
		return -HV_ENOMEM;
	memset((void *)(uintptr_t)vmcs, 0, PAGE_SIZE);
	memset(x, 0, PAGE_SIZE);
	*(volatile uint32_t *)(uintptr_t)vmcs = vs.revision;
	__asm__ volatile("vmclear %1; setna %0" : "=q"(failed) : "m"(vmcs) : "cc", "memory");
	if (!failed)
		__asm__ volatile("vmptrld %1; setna %0"
				 : "=q"(failed)
				 : "m"(vmcs)
				 : "cc", "memory");
	if (failed) {
		pr_err("cpu%u: VMCLEAR/VMPTRLD of the VMCS failed", arch_cpu_id());
		return -HV_EIO;
	}
	v->vmcx = vmcs;
	v->host_area = priv;
	x->eptp = xp->stage2_root | EPTP_WB_4LVL;
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0xd) {
		cpuid(0xd, 0, &a, &b, &c, &d);
		x->xcr0_mask = ((uint64_t)d << 32) | a;
	}
	vmwrite(VMCS_PIN_CTLS, vs.pin);
	vmwrite(VMCS_PROC_CTLS, vs.proc);
	vmwrite(VMCS_PROC2_CTLS, vs.proc2);
	vmwrite(VMCS_EXIT_CTLS, vs.exit);
	vmwrite(VMCS_ENTRY_CTLS, vs.entry);
	vmwrite(VMCS_EXC_BITMAP, 0);
	vmwrite(VMCS_PF_MASK, 0);
	vmwrite(VMCS_PF_MATCH, 0);
	vmwrite(VMCS_CR3_TARGETS, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_N, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_N, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_N, 0);
	vmwrite(VMCS_ENTRY_INTR, 0);
	vmwrite(VMCS_IO_BITMAP_A, xp->io_bitmap);
	vmwrite(VMCS_IO_BITMAP_B, xp->io_bitmap + PAGE_SIZE);
	vmwrite(VMCS_MSR_BITMAP, xp->msr_bitmap);
	vmwrite(VMCS_EPTP, x->eptp);
	if (vs.vpid) {
		/* one per vCPU, never the host's 0 */
		x->vpid = (uint16_t)(__atomic_add_fetch(&next_vpid, 1, __ATOMIC_RELAXED) % 0xffff +
				     1);
		vmwrite(VMCS_VPID, x->vpid);
	}
	/* the bits VMX operation fixes are the host's; the guest reads its own from the shadows */
	vmwrite(VMCS_CR0_MASK, vs.guest_cr0_must1 | ~vs.guest_cr0_may1);
	vmwrite(VMCS_CR4_MASK, vs.guest_cr4_must1 | ~vs.guest_cr4_may1);
	vmwrite(VMCS_LINK_PTR, ~0ULL);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmx_host_state(this_cpu());
	return 0;
}

static void set_seg(unsigned which, const struct x86_seg *s)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * which, s->sel);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * which, s->limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * which, vmx_seg_ar(s->attr, s->limit));
	vmwrite(VMCS_GUEST_ES_BASE + 2 * which, s->base);
}

static void vmx_flush_guest(const struct vmx_vcpu *x)
{
	invept(vs.invept_single ? INVEPT_SINGLE : INVEPT_ALL, x->eptp);
	if (vs.vpid)
		invvpid(vs.invvpid_single ? INVVPID_SINGLE : INVVPID_ALL, x->vpid);
}

/* The IA-32e mode guest entry control follows EFER.LMA (SDM 26.2.4 and 28.2: exits update it). */
static void vmx_set_efer(uint64_t efer)
{
	uint32_t entry = vmread32(VMCS_ENTRY_CTLS) & ~vs.entry_ia32e;

	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CTLS, entry | ((efer & EFER_LMA) ? vs.entry_ia32e : 0));
}

static void vmx_load_state(struct vcpu *v, const struct x86_state *s)
{
	struct vmx_vcpu *x = vx(v);

	set_seg(VSEG_CS, &s->cs);
	set_seg(VSEG_DS, &s->ds);
	set_seg(VSEG_ES, &s->es);
	set_seg(VSEG_SS, &s->ss);
	set_seg(VSEG_FS, &s->fs);
	set_seg(VSEG_GS, &s->gs);
	set_seg(VSEG_LDTR, &s->ldtr);
	set_seg(VSEG_TR, &s->tr);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	vmwrite(VMCS_GUEST_CR0,
		(s->cr0 | vs.guest_cr0_must1) & (vs.guest_cr0_may1 | CR0_PE | CR0_PG));
	vmwrite(VMCS_CR0_SHADOW, s->cr0);
	vmwrite(VMCS_GUEST_CR4, (s->cr4 | vs.guest_cr4_must1) & vs.guest_cr4_may1);
	vmwrite(VMCS_CR4_SHADOW, s->cr4);
	vmwrite(VMCS_GUEST_CR3, s->cr3);
	vmwrite(VMCS_GUEST_DR7, s->dr7);
	vmwrite(VMCS_GUEST_RSP, s->rsp);
	vmwrite(VMCS_GUEST_RIP, s->rip);
	vmwrite(VMCS_GUEST_RFLAGS, s->rflags | RFLAGS_RESERVED1);
	vmwrite(VMCS_GUEST_PAT, s->pat); /* the guest's PAT is its own, apart from the host's */
	vmx_set_efer(s->efer);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_INTR_STATE, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_ENTRY_INTR, 0);
	/* what VMX leaves in the CPU rather than the VMCS: CR2, DR6, XCR0 */
	__asm__ volatile("mov %0, %%cr2" ::"r"(0ULL));
	__asm__ volatile("mov %0, %%dr6" ::"r"(s->dr6));
	if (read_cr4() & CR4_OSXSAVE)
		(void)xsetbv_safe(0, XCR0_X87);
	if (x->nmi_window) {
		x->nmi_window = false;
		vmwrite(VMCS_PROC_CTLS, vmread32(VMCS_PROC_CTLS) & ~PROC_NMI_WINDOW);
	}
	/* nothing of an earlier guest stays in the TLBs */
	vmx_flush_guest(x);
	x->flush = false;
}

/* ---- guest state by name ------------------------------------------------------------- */

static uint64_t vmx_get(struct vcpu *v, enum vreg r)
{
	(void)v;
	switch (r) {
	case VREG_RIP:
		return vmread(VMCS_GUEST_RIP);
	case VREG_RSP:
		return vmread(VMCS_GUEST_RSP);
	case VREG_RFLAGS:
		return vmread(VMCS_GUEST_RFLAGS);
	case VREG_CR0:
		return (vmread(VMCS_GUEST_CR0) & ~vmread(VMCS_CR0_MASK)) |
		       (vmread(VMCS_CR0_SHADOW) & vmread(VMCS_CR0_MASK));
	case VREG_CR3:
		return vmread(VMCS_GUEST_CR3);
	case VREG_CR4:
		return (vmread(VMCS_GUEST_CR4) & ~vmread(VMCS_CR4_MASK)) |
		       (vmread(VMCS_CR4_SHADOW) & vmread(VMCS_CR4_MASK));
	case VREG_EFER:
		return vmread(VMCS_GUEST_EFER);
	case VREG_CS_ATTR:
		return vmx_ar_attr(vmread32(VMCS_GUEST_ES_AR + 2 * VSEG_CS));
	case VREG_SS_ATTR:
		return vmx_ar_attr(vmread32(VMCS_GUEST_ES_AR + 2 * VSEG_SS));
	case VREG_CS_BASE:
		return vmread(VMCS_GUEST_CS_BASE);
	case VREG_DS_BASE:
		return vmread(VMCS_GUEST_DS_BASE);
	case VREG_ES_BASE:
		return vmread(VMCS_GUEST_ES_BASE);
	}
	return 0;
}

static void vmx_set(struct vcpu *v, enum vreg r, uint64_t val)
{
	(void)v;
	switch (r) {
	case VREG_RIP:
		vmwrite(VMCS_GUEST_RIP, val);
		break;
	case VREG_RSP:
		vmwrite(VMCS_GUEST_RSP, val);
		break;
	case VREG_RFLAGS:
		vmwrite(VMCS_GUEST_RFLAGS, val | RFLAGS_RESERVED1);
		break;
	case VREG_EFER:
		vmx_set_efer(val);
		break;
	default:
		break; /* control registers change through the CR-access exits */
	}
}

/* RIP past the exiting instruction; an STI or MOV SS shadow ends with it (SDM 26.3.1.5). */
static void vmx_skip(unsigned len)
{
	uint32_t intr = vmread32(VMCS_GUEST_INTR_STATE);

	vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + len);
	if (intr & (GUEST_BLOCK_STI | GUEST_BLOCK_MOVSS))
		vmwrite(VMCS_GUEST_INTR_STATE, intr & ~(GUEST_BLOCK_STI | GUEST_BLOCK_MOVSS));
}

/* ---- exits the back end completes itself: control registers, XSETBV ------------------- */

static uint64_t gpr_get(struct vcpu *v, unsigned reg)
{
	return reg == INSN_RSP ? vmread(VMCS_GUEST_RSP) : v->regs.gpr[reg];
}

static void gpr_set(struct vcpu *v, unsigned reg, uint64_t val)
{
	if (reg == INSN_RSP)
		vmwrite(VMCS_GUEST_RSP, val);
	else
		v->regs.gpr[reg] = val;
}

/*
 * MOV to CR0 that changed an owned bit (NE, or a bit VMX fixes): the guest's
 * value kept in the shadow, the CPU's with the fixed bits. Paging turned on
 * or off with EFER.LME activates or leaves long mode (SDM vol. 3A, 9.8.5).
 */
static bool vmx_write_cr0(struct vcpu *v, uint64_t val)
{
	uint64_t old = vmx_get(v, VREG_CR0), efer = vmread(VMCS_GUEST_EFER);

	if (!vmx_cr0_ok(val))
		return false;
	if ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(vmx_get(v, VREG_CR4) & CR4_PAE))
			return false;
		vmx_set_efer(efer | EFER_LMA);
	} else if (!(val & CR0_PG) && (old & CR0_PG) && (efer & EFER_LMA)) {
		vmx_set_efer(efer & ~EFER_LMA);
	}
	vmwrite(VMCS_CR0_SHADOW, val);
	vmwrite(VMCS_GUEST_CR0, (val | vs.guest_cr0_must1) & (vs.guest_cr0_may1 | CR0_PE | CR0_PG));
	return true;
}

static bool vmx_write_cr4(struct vcpu *v, uint64_t val)
{
	(void)v;
	/* no VMX for guests (CPUID hides it); a bit the CPU cannot set faults as it would */
	if ((val >> 32) || (val & CR4_VMXE) || (val & ~vs.guest_cr4_may1))
		return false;
	vmwrite(VMCS_CR4_SHADOW, val);
	vmwrite(VMCS_GUEST_CR4, val | vs.guest_cr4_must1);
	return true;
}

static void vmx_exit_cr(struct vcpu *v, uint64_t qual)
{
	unsigned cr = qual & 15, type = (qual >> 4) & 3, reg = (qual >> 8) & 15;
	bool ok = true;

	if (type == 0) { /* MOV to CR */
		uint64_t val = gpr_get(v, reg);

		if (cr == 0)
			ok = vmx_write_cr0(v, val);
		else if (cr == 4)
			ok = vmx_write_cr4(v, val);
		else if (cr == 3) /* only where the CPU forces CR3-load exiting */
			vmwrite(VMCS_GUEST_CR3, val & ~(1ULL << 63));
		else if (cr == 8)
			__asm__ volatile("mov %0, %%cr8" ::"r"(val & 15));
		else
			ok = false;
		if (ok)
			vmx_flush_guest(vx(v));
	} else if (type == 1) { /* MOV from CR: CR3 and CR8 only exit for it */
		uint64_t val = 0;

		if (cr == 3)
			val = vmread(VMCS_GUEST_CR3);
		else if (cr == 8)
			__asm__ volatile("mov %%cr8, %0" : "=r"(val));
		gpr_set(v, reg, val);
	} else {
		ok = false; /* CLTS and LMSW touch no owned bit: they do not exit */
	}
	if (ok)
		vcpu_skip(v, vmread32(VMCS_EXIT_INSN_LEN));
	else
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
}

/* XSETBV (always an exit): XCR0 with x87, SSE before AVX, AVX-512 whole and on AVX. */
static void vmx_exit_xsetbv(struct vcpu *v)
{
	uint64_t *r = v->regs.gpr;
	uint64_t val = ((r[INSN_RDX] & 0xffffffffULL) << 32) | (uint32_t)r[INSN_RAX];

	if (vmx_xcr0_ok((uint32_t)r[INSN_RCX], val, vx(v)->xcr0_mask) && xsetbv_safe(0, val) == 0)
		vcpu_skip(v, vmread32(VMCS_EXIT_INSN_LEN));
	else
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
}

/* ---- exits --------------------------------------------------------------------------- */

static void decode_event(uint32_t info, uint32_t err, struct vevent *ev)
{
	ev->valid = info & INTR_VALID;
	if (!ev->valid)
		return;
	ev->vector = (uint8_t)(info & INTR_VECTOR);
	ev->type = (uint8_t)((info >> INTR_TYPE_SHIFT) & 7);
	ev->has_error = info & INTR_ERR_VALID;
	ev->error = ev->has_error ? err : 0;
}

/* Exits that need no decoding beyond their reason: what they are, for the shared layer. */
static const struct {
	uint16_t reason;
	uint8_t kind; /* enum vexit_kind */
	const char *what;
} simple_exits[] = {
	{ EXIT_TRIPLE, VEXIT_SHUTDOWN, NULL },
	{ EXIT_EXTINT, VEXIT_INTR, NULL },
	{ EXIT_VMCLEAR, VEXIT_VIRT_INSN, "VMX instruction VMCLEAR" },
	{ EXIT_VMCLEAR + 1, VEXIT_VIRT_INSN, "VMX instruction VMLAUNCH" },
	{ EXIT_VMCLEAR + 2, VEXIT_VIRT_INSN, "VMX instruction VMPTRLD" },
	{ EXIT_VMCLEAR + 3, VEXIT_VIRT_INSN, "VMX instruction VMPTRST" },
	{ EXIT_VMCLEAR + 4, VEXIT_VIRT_INSN, "VMX instruction VMREAD" },
	{ EXIT_VMCLEAR + 5, VEXIT_VIRT_INSN, "VMX instruction VMRESUME" },
	{ EXIT_VMCLEAR + 6, VEXIT_VIRT_INSN, "VMX instruction VMWRITE" },
	{ EXIT_VMCLEAR + 7, VEXIT_VIRT_INSN, "VMX instruction VMXOFF" },
	{ EXIT_VMXON, VEXIT_VIRT_INSN, "VMX instruction VMXON" },
	{ EXIT_INVEPT, VEXIT_VIRT_INSN, "VMX instruction INVEPT" },
	{ EXIT_INVVPID, VEXIT_VIRT_INSN, "VMX instruction INVVPID" },
	{ EXIT_INVD, VEXIT_FORBIDDEN, "forbidden instruction INVD" },
	{ EXIT_GETSEC, VEXIT_FORBIDDEN, "forbidden instruction GETSEC" },
	{ EXIT_TASK_SWITCH, VEXIT_FORBIDDEN, "hardware task switch" },
};

static void decode_exit(struct vcpu *v, uint32_t reason, struct vexit *e)
{
	uint32_t basic = reason & 0xffff;
	uint64_t qual = 0;

	e->insn_len = 0;
	e->raw.code = reason;
	e->raw.info = 0;
	e->raw.what = NULL;
	if (reason & EXIT_ENTRY_FAILED) {
		e->kind = VEXIT_INVALID;
		e->raw.what = basic == EXIT_BAD_GUEST	   ? "VM entry: invalid guest state"
			      : basic == EXIT_BAD_MSR_LOAD ? "VM entry: MSR loading"
			      : basic == EXIT_MC_ENTRY	   ? "VM entry: machine check"
							   : "VM entry failed";
		e->raw.info = vmread(VMCS_EXIT_QUAL);
		return;
	}
	switch (basic) {
	case EXIT_CPUID:
		e->kind = VEXIT_CPUID;
		e->insn_len = INSN_LEN_CPUID;
		return;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		e->kind = basic == EXIT_WRMSR ? VEXIT_MSR_WRITE : VEXIT_MSR_READ;
		e->insn_len = (uint8_t)vmread32(VMCS_EXIT_INSN_LEN);
		e->msr.msr = (uint32_t)v->regs.gpr[INSN_RCX];
		return;
	case EXIT_IO:
		vmx_decode_io(vmread(VMCS_EXIT_QUAL), vmread32(VMCS_EXIT_INSN_INFO), insouts_info,
			      (uint16_t)vmx_get(v, VREG_CS_ATTR), e);
		e->insn_len = (uint8_t)vmread32(VMCS_EXIT_INSN_LEN);
		return;
	case EXIT_EPT_VIOLATION:
		qual = vmread(VMCS_EXIT_QUAL);
		e->kind = VEXIT_S2;
		e->s2.gpa = vmread(VMCS_GUEST_PHYS);
		e->s2.write = qual & EPTV_WRITE;
		e->s2.fetch = qual & EPTV_FETCH;
		e->s2.present = qual & EPTV_PRESENT;
		/* an IRET that unblocked NMIs faulted: blocked again (SDM 28.2.3) */
		if ((qual & EPTV_NMI_UNBLOCK) && !(vmread32(VMCS_IDT_VEC) & INTR_VALID))
			vmwrite(VMCS_GUEST_INTR_STATE,
				vmread32(VMCS_GUEST_INTR_STATE) | GUEST_BLOCK_NMI);
		return;
	case EXIT_VMCALL:
		e->kind = VEXIT_HYPERCALL;
		e->insn_len = INSN_LEN_VMCALL;
		return;
	case EXIT_EXC_NMI: {
		uint32_t info = vmread32(VMCS_EXIT_INTR);

		if (((info >> INTR_TYPE_SHIFT) & 7) == INTR_TYPE_NMI) {
			/*
			 * The hypervisor's own signal (a stop, or a kick to leave
			 * the guest or to inject an NMI): the exit consumed it, so
			 * what the host's NMI handler would decide happens here (on
			 * SVM the handler runs when GIF opens): a stop of every CPU
			 * halts this one, a kick returns to the loop, which sees why.
			 * Not INT 2: a real NMI during it would reuse the handler's
			 * IST stack.
			 */
			e->kind = VEXIT_NMI;
			if (cpu_stopping())
				arch_cpu_halt();
			return;
		}
		e->kind = VEXIT_OTHER; /* no exception is intercepted */
		e->raw.info = info;
		return;
	}
	case EXIT_INIT:
		/* VMX root operation blocks INIT and the exit consumed it: dropped */
		e->kind = VEXIT_INIT;
		e->init.redirected = true;
		return;
	case EXIT_EPT_MISCONFIG:
		e->kind = VEXIT_OTHER;
		e->raw.info = vmread(VMCS_GUEST_PHYS);
		return;
	default:
		for (size_t i = 0; i < ARRAY_SIZE(simple_exits); i++) {
			if (simple_exits[i].reason == basic) {
				e->kind = simple_exits[i].kind;
				e->raw.what = simple_exits[i].what;
				return;
			}
		}
		e->kind = VEXIT_OTHER;
		e->raw.info = vmread(VMCS_EXIT_QUAL);
		return;
	}
}

/* The next entry: a stage-2 flush, an NMI from the partition, the queued event. */
static void vmx_prepare_slow(struct vcpu *v, struct vmx_vcpu *x)
{
	const struct vevent *ev = &v->pending;

	if (x->flush) {
		x->flush = false;
		invept(vs.invept_single ? INVEPT_SINGLE : INVEPT_ALL, x->eptp);
	}
	/* an NMI for the guest waits until the guest does not block NMIs (virtual NMIs) */
	if (!ev->valid && v->nmi_pending &&
	    (vmread32(VMCS_GUEST_INTR_STATE) &
	     (GUEST_BLOCK_STI | GUEST_BLOCK_MOVSS | GUEST_BLOCK_NMI))) {
		if (!x->nmi_window) {
			x->nmi_window = true;
			vmwrite(VMCS_PROC_CTLS, vmread32(VMCS_PROC_CTLS) | PROC_NMI_WINDOW);
		}
		return;
	}
	vcpu_prepare_entry(v);
	if (ev->valid) {
		uint32_t info = ev->vector | ((uint32_t)ev->type << INTR_TYPE_SHIFT) | INTR_VALID;

		/* real mode (unrestricted guest) delivers no error code (SDM 26.2.1.3) */
		if (ev->has_error && (vmread(VMCS_GUEST_CR0) & CR0_PE)) {
			info |= INTR_ERR_VALID;
			vmwrite(VMCS_ENTRY_EXC_ERR, ev->error);
		}
		if (ev->type == VEVENT_SOFT_INT || ev->type == VEVENT_SOFT_EXCEPTION)
			vmwrite(VMCS_ENTRY_INSN_LEN, vmread32(VMCS_EXIT_INSN_LEN));
		vmwrite(VMCS_ENTRY_INTR, info);
		v->pending.valid = false;
	}
}

static inline void vmx_prepare(struct vcpu *v, struct vmx_vcpu *x)
{
	if (__builtin_expect(v->nmi_pending || v->pending.valid || x->flush, 0))
		vmx_prepare_slow(v, x);
}

static void vmx_exit(struct vcpu *v, struct vmx_vcpu *x)
{
	uint32_t reason = vmread32(VMCS_EXIT_REASON);
	uint32_t idt = vmread32(VMCS_IDT_VEC);
	struct vexit e;

	if (__builtin_expect(reason == EXIT_CPUID && !(idt & INTR_VALID), 1)) {
		/* CPUID, the RT partitions' exit and the one the gate measures: in line */
		v->exits[VEXIT_CPUID]++;
		vcpu_cpuid_policy(v, vmread(VMCS_GUEST_CR4));
		vmx_skip(INSN_LEN_CPUID);
		return;
	}
	decode_exit(v, reason, &e);
	e.interrupted.valid = false;
	if (idt & INTR_VALID)
		decode_event(idt, vmread32(VMCS_IDT_VEC_ERR), &e.interrupted);
	switch (reason) {
	case EXIT_CR: /* instructions: never taken while an event is delivered */
		v->exits[VEXIT_CTLREG]++;
		vmx_exit_cr(v, vmread(VMCS_EXIT_QUAL));
		break;
	case EXIT_XSETBV:
		v->exits[VEXIT_CTLREG]++;
		vmx_exit_xsetbv(v);
		break;
	case EXIT_NMI_WINDOW:
		x->nmi_window = false;
		vmwrite(VMCS_PROC_CTLS, vmread32(VMCS_PROC_CTLS) & ~PROC_NMI_WINDOW);
		v->exits[VEXIT_NMI]++;
		break;
	default:
		vcpu_handle_exit(v, &e);
		break;
	}
	if (v->skip) {
		vmx_skip(v->skip);
		v->skip = 0;
	}
}

static void vmx_run(struct vcpu *v)
{
	struct vmx_vcpu *x = vx(v);

	while (vcpu_keep_running(v)) {
		int rc;

		vmx_prepare(v, x);
		rc = vmx_enter(v, x->launched, &v->kick, &v->part->state, PART_RUNNING);
		if (rc == 2)
			continue; /* kicked or stopped just before the entry: the loop looks again */
		if (rc == 1) {
			char why[96];

			snprintf(why, sizeof(why), "VM%s failed, VM-instruction error %u",
				 x->launched ? "RESUME" : "LAUNCH", vmread32(VMCS_INSN_ERROR));
			vcpu_violation(v, why, 0);
			return;
		}
		x->launched = true;
		vmx_exit(v, x);
	}
}

/* ---- bitmaps ------------------------------------------------------------------------- */

static int vmx_part_init(struct x86_part *xp)
{
	xp->msr_bitmap = palloc_alloc(MSR_BITMAP_PAGES, 1);
	xp->io_bitmap = palloc_alloc(IO_BITMAP_PAGES, 1);
	if (!xp->msr_bitmap || !xp->io_bitmap)
		return -HV_ENOMEM;
	memset((void *)(uintptr_t)xp->msr_bitmap, 0xff, MSR_BITMAP_PAGES * PAGE_SIZE);
	memset((void *)(uintptr_t)xp->io_bitmap, 0xff, IO_BITMAP_PAGES * PAGE_SIZE);
	return 0;
}

static void bit_set(uint8_t *map, uint32_t bit, bool on)
{
	if (on)
		map[bit / 8] |= (uint8_t)(1u << (bit % 8));
	else
		map[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
}

/* Four 1 KiB maps: read 0-0x1fff, read 0xc0000000-0xc0001fff, then the same for writes. */
static void vmx_msr_intercept(struct x86_part *xp, uint32_t msr, bool read, bool write,
			      bool intercept)
{
	uint8_t *bm = (uint8_t *)(uintptr_t)xp->msr_bitmap;

	if (vmx_msr_bit(msr, false) < 0)
		return; /* outside both ranges every access exits */
	if (read)
		bit_set(bm, (uint32_t)vmx_msr_bit(msr, false), intercept);
	if (write)
		bit_set(bm, (uint32_t)vmx_msr_bit(msr, true), intercept);
}

/* Bitmaps A and B side by side: one bit per port, like the SVM IOPM's first 8 KiB. */
static void vmx_io_intercept(struct x86_part *xp, uint16_t port, unsigned n, bool intercept)
{
	uint8_t *io = (uint8_t *)(uintptr_t)xp->io_bitmap;

	for (uint32_t p = port; p < (uint32_t)port + n && p <= 0xffff; p++)
		bit_set(io, p, intercept);
}

static void vmx_s2_flush(struct vcpu *v)
{
	vx(v)->flush = true; /* INVEPT acts on the CPU that runs it: at v's next entry */
}

const struct vcpu_ops vmx_ops = {
	.name = "VMX",
	.s2_name = "EPT",
	.virt_insn = "vmx-insn",
	.cpu_enable = vmx_cpu_enable,
	.vcpu_init = vmx_vcpu_init,
	.load_state = vmx_load_state,
	.run = vmx_run,
	.get = vmx_get,
	.set = vmx_set,
	.part_init = vmx_part_init,
	.msr_intercept = vmx_msr_intercept,
	.io_intercept = vmx_io_intercept,
	.s2_leaf = ept_leaf,
	.s2_table = ept_table,
	.s2_max_level = ept_max_level,
	.s2_exec_4k = ept_exec_4k,
	.s2_flush = vmx_s2_flush,
};
