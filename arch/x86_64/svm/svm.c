// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AMD SVM back end of the vCPU layer: only what is AMD. The VMCB (its
 * layout, the intercepts, loading a start state), VMRUN, decoding an exit
 * into a struct vexit, the EVENTINJ encoding, the MSRPM and IOPM formats
 * and the NPT entry format. What an exit means is decided in vcpu/exits.c.
 * External interrupts are not intercepted: a partition's own IDT takes them
 * and its LAPIC timer is its own.
 */
#include <bulkhead/table.h>

#include "cpu/percpu.h"
#include "svm/svm.h"
#include "vcpu/exits.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

#define V64(vmcb, off) (*(volatile uint64_t *)(uintptr_t)((vmcb) + (off)))
#define V32(vmcb, off) (*(volatile uint32_t *)(uintptr_t)((vmcb) + (off)))
#define V16(vmcb, off) (*(volatile uint16_t *)(uintptr_t)((vmcb) + (off)))
#define V8(vmcb, off)  (*(volatile uint8_t *)(uintptr_t)((vmcb) + (off)))

/* NPT entries are walked as user accesses: U/S must be set at every level. */
#define NPT_P	(1ULL << 0)
#define NPT_RW	(1ULL << 1)
#define NPT_US	(1ULL << 2)
#define NPT_PWT (1ULL << 3)
#define NPT_PCD (1ULL << 4)
#define NPT_PS	(1ULL << 7)
#define NPT_NX	(1ULL << 63)

#define MSRPM_PAGES 2 /* AMD APM vol. 2, 15.11: 8 KiB, 2 bits per MSR */
#define IOPM_PAGES  3 /* 15.10.1: 12 KiB, 1 bit per port */

/* Lengths of the intercepted instructions (no NRIP save under QEMU TCG) */
#define INSN_LEN_CPUID	 2
#define INSN_LEN_MSR	 2
#define INSN_LEN_VMMCALL 3

#define SVM_FEAT_NRIPS (1u << 3)

static bool svm_nrips;

static uint64_t npt_table(hpa_t t)
{
	return t | NPT_P | NPT_RW | NPT_US;
}

static uint64_t npt_leaf(hpa_t hpa, uint32_t flags, unsigned level)
{
	uint64_t e = hpa | NPT_P | NPT_US;

	if (flags & BH_MEM_WRITE)
		e |= NPT_RW;
	if (!(flags & BH_MEM_EXEC))
		e |= NPT_NX;
	if (flags & BH_MEM_IO)
		e |= NPT_PCD | NPT_PWT; /* PAT entry 3: uncached */
	if (level)
		e |= NPT_PS;
	return e;
}

/* NPT uses the host's paging formats: 1 GiB leaves where the CPU has them. */
static unsigned npt_max_level(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return 1;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	return (d & CPUID81_EDX_PDPE1GB) ? 2 : 1;
}

static int svm_cpu_enable(void)
{
	struct percpu *cpu = this_cpu();
	uint32_t a, b, c, d;

	cpuid(0x8000000a, 0, &a, &b, &c, &d);
	svm_nrips = !!(d & SVM_FEAT_NRIPS);
	cpu->virt_pages[0] = palloc_alloc(1, 1); /* VM_HSAVE area */
	cpu->virt_pages[1] = palloc_alloc(1, 1); /* the host's VMLOAD/VMSAVE state */
	if (!cpu->virt_pages[0] || !cpu->virt_pages[1])
		return -HV_ENOMEM;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME | EFER_NXE);
	wrmsr(MSR_VM_HSAVE_PA, cpu->virt_pages[0]);
	/*
	 * A physical INIT (from a forged MSI, another agent) would put the CPU
	 * in wait-for-SIPI under the hypervisor: with VM_CR.R_INIT it arrives
	 * as #SX instead, which the host counts and drops (cpu.c). Read back:
	 * an emulator may not keep the bit (QEMU TCG does not).
	 */
	{
		uint64_t vmcr = rdmsr(MSR_VM_CR);

		static bool said;

		cpu->init_redirect = (vmcr & VM_CR_R_INIT) ||
				     (wrmsr_safe(MSR_VM_CR, vmcr | VM_CR_R_INIT) == 0 &&
				      (rdmsr(MSR_VM_CR) & VM_CR_R_INIT));
		if (!__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
			pr_info("svm: cpu%u: %s", cpu->cpu_id,
				cpu->init_redirect
					? "VM_CR.R_INIT set: a physical INIT becomes #SX, counted "
					  "and dropped"
					: "VM_CR.R_INIT does not stick: a physical INIT reaching "
					  "a partition's CPU stops that partition");
	}
	/* the host's hidden state (GS base, TR, syscall MSRs) comes back by VMLOAD */
	__asm__ volatile("vmsave %0" ::"a"(cpu->virt_pages[1]) : "memory");
	return 0;
}

static int svm_vcpu_init(struct vcpu *v)
{
	const struct x86_part *xp = v->xp;
	hpa_t vmcb = palloc_alloc(1, 1);

	if (!vmcb)
		return -HV_ENOMEM;
	v->vmcx = vmcb;
	v->host_area = this_cpu()->virt_pages[1];
	memset((void *)(uintptr_t)vmcb, 0, PAGE_SIZE);
	V32(vmcb, VMCB_INTERCEPT_EXC) = 0;
	V32(vmcb, VMCB_INTERCEPT_MISC1) = SVM_I_NMI | SVM_I_INIT | SVM_I_CPUID | SVM_I_INVD |
					  SVM_I_INVLPGA | SVM_I_IOIO | SVM_I_MSR |
					  SVM_I_TASK_SWITCH | SVM_I_SHUTDOWN;
	V32(vmcb, VMCB_INTERCEPT_MISC2) = SVM_I_VMRUN | SVM_I_VMMCALL | SVM_I_VMLOAD |
					  SVM_I_VMSAVE | SVM_I_STGI | SVM_I_CLGI | SVM_I_SKINIT;
	V64(vmcb, VMCB_IOPM_BASE) = xp->io_bitmap;
	V64(vmcb, VMCB_MSRPM_BASE) = xp->msr_bitmap;
	V32(vmcb, VMCB_ASID) = xp->asid;
	V64(vmcb, VMCB_VINTR) = 0; /* V_INTR_MASKING off: the guest's IF masks real interrupts */
	V64(vmcb, VMCB_NP_ENABLE) = 1;
	V64(vmcb, VMCB_N_CR3) = xp->stage2_root;
	return 0;
}

static void set_seg(hpa_t vmcb, unsigned off, const struct x86_seg *s)
{
	V16(vmcb, off + SEG_SEL) = s->sel;
	V16(vmcb, off + SEG_ATTR) = s->attr;
	V32(vmcb, off + SEG_LIMIT) = s->limit;
	V64(vmcb, off + SEG_BASE) = s->base;
}

static void svm_load_state(struct vcpu *v, const struct x86_state *s)
{
	hpa_t vmcb = v->vmcx;

	set_seg(vmcb, VMCB_CS, &s->cs);
	set_seg(vmcb, VMCB_DS, &s->ds);
	set_seg(vmcb, VMCB_ES, &s->es);
	set_seg(vmcb, VMCB_SS, &s->ss);
	set_seg(vmcb, VMCB_FS, &s->fs);
	set_seg(vmcb, VMCB_GS, &s->gs);
	set_seg(vmcb, VMCB_GDTR, &s->gdtr);
	set_seg(vmcb, VMCB_IDTR, &s->idtr);
	set_seg(vmcb, VMCB_LDTR, &s->ldtr);
	set_seg(vmcb, VMCB_TR, &s->tr);
	V8(vmcb, VMCB_CPL) = 0;
	V64(vmcb, VMCB_EFER) = s->efer | EFER_SVME; /* VMRUN needs SVME; the guest reads it clear */
	V64(vmcb, VMCB_CR0) = s->cr0;
	V64(vmcb, VMCB_CR4) = s->cr4;
	V64(vmcb, VMCB_CR3) = s->cr3;
	V64(vmcb, VMCB_DR7) = s->dr7;
	V64(vmcb, VMCB_DR6) = s->dr6;
	V64(vmcb, VMCB_RFLAGS) = s->rflags;
	V64(vmcb, VMCB_RIP) = s->rip;
	V64(vmcb, VMCB_RSP) = s->rsp;
	V64(vmcb, VMCB_G_PAT) = s->pat; /* NPT: the guest's PAT is its own, apart from the host's */
	V64(vmcb, VMCB_EVENTINJ) = 0;
	V8(vmcb, VMCB_TLB_CONTROL) = SVM_TLB_FLUSH_ALL; /* nothing of an earlier guest stays */
}

static uint64_t svm_get(struct vcpu *v, enum vreg r)
{
	hpa_t vmcb = v->vmcx;

	switch (r) {
	case VREG_RIP:
		return V64(vmcb, VMCB_RIP);
	case VREG_RSP:
		return V64(vmcb, VMCB_RSP);
	case VREG_RFLAGS:
		return V64(vmcb, VMCB_RFLAGS);
	case VREG_CR0:
		return V64(vmcb, VMCB_CR0);
	case VREG_CR3:
		return V64(vmcb, VMCB_CR3);
	case VREG_CR4:
		return V64(vmcb, VMCB_CR4);
	case VREG_EFER:
		return V64(vmcb, VMCB_EFER) & ~EFER_SVME;
	case VREG_CS_ATTR:
		return V16(vmcb, VMCB_CS + SEG_ATTR);
	case VREG_SS_ATTR:
		return V16(vmcb, VMCB_SS + SEG_ATTR);
	case VREG_CS_BASE:
		return V64(vmcb, VMCB_CS + SEG_BASE);
	case VREG_DS_BASE:
		return V64(vmcb, VMCB_DS + SEG_BASE);
	case VREG_ES_BASE:
		return V64(vmcb, VMCB_ES + SEG_BASE);
	}
	return 0;
}

static void svm_set(struct vcpu *v, enum vreg r, uint64_t val)
{
	hpa_t vmcb = v->vmcx;

	switch (r) {
	case VREG_RIP:
		V64(vmcb, VMCB_RIP) = val;
		break;
	case VREG_RSP:
		V64(vmcb, VMCB_RSP) = val;
		break;
	case VREG_RFLAGS:
		V64(vmcb, VMCB_RFLAGS) = val;
		break;
	case VREG_EFER:
		V64(vmcb, VMCB_EFER) = val | EFER_SVME;
		break;
	default:
		break; /* the control registers and segments are the guest's own under SVM */
	}
}

static void svm_skip(struct vcpu *v, unsigned len)
{
	hpa_t vmcb = v->vmcx;

	if (svm_nrips && V64(vmcb, VMCB_NRIP))
		V64(vmcb, VMCB_RIP) = V64(vmcb, VMCB_NRIP);
	else
		V64(vmcb, VMCB_RIP) += len;
}

static const char *const virt_insn_names[] = {
	[SVM_EXIT_VMRUN - SVM_EXIT_VMRUN] = "SVM instruction VMRUN",
	[SVM_EXIT_VMLOAD - SVM_EXIT_VMRUN] = "SVM instruction VMLOAD",
	[SVM_EXIT_VMSAVE - SVM_EXIT_VMRUN] = "SVM instruction VMSAVE",
	[SVM_EXIT_STGI - SVM_EXIT_VMRUN] = "SVM instruction STGI",
	[SVM_EXIT_CLGI - SVM_EXIT_VMRUN] = "SVM instruction CLGI",
	[SVM_EXIT_SKINIT - SVM_EXIT_VMRUN] = "SVM instruction SKINIT",
};

/* An event from EXITINTINFO (same encoding as EVENTINJ). */
static void decode_event(uint64_t info, struct vevent *ev)
{
	ev->valid = info & SVM_EV_VALID;
	if (!ev->valid)
		return;
	ev->vector = (uint8_t)(info & SVM_EV_VECTOR);
	ev->type = (uint8_t)((info >> SVM_EV_TYPE_SHIFT) & 7);
	ev->has_error = info & SVM_EV_ERR_VALID;
	ev->error = (uint32_t)(info >> 32);
}

static void decode_io(hpa_t vmcb, uint64_t info, struct vexit *e)
{
	e->kind = VEXIT_IO;
	e->io.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT);
	e->io.in = info & SVM_IOIO_IN;
	e->io.str = info & SVM_IOIO_STR;
	e->io.rep = info & SVM_IOIO_REP;
	e->io.size = (uint8_t)((info >> SVM_IOIO_SZ_SHIFT) & 7);	    /* one-hot: 1, 2 or 4 */
	e->io.addr_size = (uint8_t)(((info >> SVM_IOIO_A_SHIFT) & 7) << 1); /* 2, 4 or 8 */
	/* EXITINFO2 is the next RIP, always given for IOIO */
	e->insn_len = (uint8_t)(V64(vmcb, VMCB_EXITINFO2) - V64(vmcb, VMCB_RIP));
}

static void decode_exit(hpa_t vmcb, struct vexit *e)
{
	uint32_t code = (uint32_t)V64(vmcb, VMCB_EXITCODE);
	uint64_t info = V64(vmcb, VMCB_EXITINFO1);

	e->insn_len = 0;
	switch (code) {
	case SVM_EXIT_CPUID:
		e->kind = VEXIT_CPUID;
		e->insn_len = INSN_LEN_CPUID;
		return;
	case SVM_EXIT_MSR:
		e->kind = (info & 1) ? VEXIT_MSR_WRITE : VEXIT_MSR_READ;
		e->insn_len = INSN_LEN_MSR;
		return; /* e->msr.msr: the caller fills it from RCX */
	case SVM_EXIT_IOIO:
		decode_io(vmcb, info, e);
		return;
	case SVM_EXIT_NPF:
		e->kind = VEXIT_S2;
		e->s2.gpa = V64(vmcb, VMCB_EXITINFO2);
		e->s2.write = info & SVM_NPF_WRITE;
		e->s2.fetch = info & SVM_NPF_FETCH;
		e->s2.present = info & SVM_NPF_PRESENT;
		return;
	case SVM_EXIT_VMMCALL:
		e->kind = VEXIT_HYPERCALL;
		e->insn_len = INSN_LEN_VMMCALL;
		return;
	case SVM_EXIT_NMI:
		e->kind = VEXIT_NMI;
		/*
		 * The hypervisor's own signal (a stop, or a kick to leave the guest
		 * or to inject an NMI). The NMI stays pending while GIF is clear:
		 * open GIF for an instant so the host takes it now (a kick's
		 * handler returns, a stop's halts); otherwise every VMRUN would
		 * exit again at once. IF is clear here: only the NMI gets in.
		 */
		__asm__ volatile("stgi; clgi" ::: "memory");
		return;
	case SVM_EXIT_INIT:
		e->kind = VEXIT_INIT;
		/*
		 * The INIT stays pending while GIF is clear. With R_INIT, opening
		 * GIF for an instant turns it into #SX, which the host takes now
		 * (counted, dropped); without, it would reset the CPU the moment
		 * GIF opens, and the exit path stops the partition first.
		 */
		e->init.redirected = this_cpu()->init_redirect;
		if (e->init.redirected)
			__asm__ volatile("stgi; clgi" ::: "memory");
		return;
	case SVM_EXIT_INTR:
		e->kind = VEXIT_INTR;
		return;
	case SVM_EXIT_SHUTDOWN:
		e->kind = VEXIT_SHUTDOWN;
		return;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		e->kind = VEXIT_VIRT_INSN;
		e->raw.what = virt_insn_names[code - SVM_EXIT_VMRUN];
		break;
	case SVM_EXIT_INVLPGA:
		e->kind = VEXIT_VIRT_INSN;
		e->raw.what = "SVM instruction INVLPGA";
		break;
	case SVM_EXIT_INVD:
		e->kind = VEXIT_FORBIDDEN;
		e->raw.what = "forbidden instruction INVD";
		break;
	case SVM_EXIT_TASK_SWITCH:
		e->kind = VEXIT_FORBIDDEN;
		e->raw.what = "hardware task switch";
		break;
	case SVM_EXIT_INVALID:
		e->kind = VEXIT_INVALID;
		e->raw.what = "VMRUN: invalid VMCB";
		break;
	default:
		e->kind = VEXIT_OTHER;
		e->raw.what = NULL;
		break;
	}
	e->raw.code = code;
	e->raw.info = info;
}

/* The next entry: an NMI from the partition, the queued event, RAX. */
static inline void svm_prepare(struct vcpu *v, hpa_t vmcb)
{
	/* the common case, nothing to inject, costs one test of each flag */
	if (__builtin_expect(v->nmi_pending || v->pending.valid, 0)) {
		const struct vevent *ev = &v->pending;

		vcpu_prepare_entry(v);
		if (ev->valid) {
			V64(vmcb, VMCB_EVENTINJ) = ev->vector |
						   ((uint64_t)ev->type << SVM_EV_TYPE_SHIFT) |
						   (ev->has_error ? SVM_EV_ERR_VALID : 0) |
						   SVM_EV_VALID | ((uint64_t)ev->error << 32);
			v->pending.valid = false;
		}
	}
	V64(vmcb, VMCB_RAX) = v->regs.gpr[INSN_RAX];
}

/*
 * The fast path of an exit (svm_entry.S calls it first): the exits whose
 * handlers use only RAX, RBX and caller-saved GPRs (vcpu_exit_fast_kind:
 * CPUID, hypercalls, port I/O, MSRs, the hypervisor's NMI) with no event in
 * flight, handled by the shared policy without the rest of the guest's
 * GPRs. Returns 0 to stop, 1 to enter again, 2 for the slow path.
 */
/* After a fast exit's handler: RIP, then stop or prepare the next entry. */
static inline int svm_exit_done(struct vcpu *v, hpa_t vmcb)
{
	V8(vmcb, VMCB_TLB_CONTROL) = 0;
	if (v->skip) {
		svm_skip(v, v->skip);
		v->skip = 0;
	}
	if (!vcpu_keep_running(v))
		return 0;
	svm_prepare(v, vmcb);
	return 1;
}

/*
 * The fast exits other than CPUID. Out of line: their handlers take the
 * address of locals (the decoded exit, the hypercall's arguments), which
 * gives a function a stack-protector check; CPUID's path stays without one.
 */
static __attribute__((noinline)) int svm_exit_fast_other(struct vcpu *v, hpa_t vmcb, uint32_t code)
{
	if (code == SVM_EXIT_VMMCALL) {
		v->exits[VEXIT_HYPERCALL]++;
		vcpu_exit_hypercall(v, INSN_LEN_VMMCALL);
	} else {
		struct vexit e;

		decode_exit(vmcb, &e);
		if (!vcpu_exit_fast_kind(e.kind))
			return 2;
		if (e.kind == VEXIT_MSR_READ || e.kind == VEXIT_MSR_WRITE)
			e.msr.msr = (uint32_t)v->regs.gpr[INSN_RCX];
		e.interrupted.valid = false;
		vcpu_handle_exit_slow(v, &e);
	}
	return svm_exit_done(v, vmcb);
}

int svm_exit_fast(struct vcpu *v)
{
	hpa_t vmcb = v->vmcx;
	uint32_t code = V32(vmcb, VMCB_EXITCODE);

	v->regs.gpr[INSN_RAX] = V64(vmcb, VMCB_RAX);
	if (code != SVM_EXIT_CPUID) {
		if (V32(vmcb, VMCB_EXITINTINFO) & SVM_EV_VALID)
			return 2;
		return svm_exit_fast_other(v, vmcb, code);
	}
	/*
	 * CPUID, the RT partitions' exit and the one the gate measures, in line
	 * to the end: an intercepted instruction is never taken while an event
	 * is being delivered (EXITINTINFO is clear), and RIP moves here rather
	 * than through v->skip.
	 */
	v->exits[VEXIT_CPUID]++;
	/* a plain load, not V64's volatile one: only leaves 1 and 7 need it */
	vcpu_cpuid_policy(v, *(const uint64_t *)(uintptr_t)(vmcb + VMCB_CR4));
	V8(vmcb, VMCB_TLB_CONTROL) = 0;
	svm_skip(v, INSN_LEN_CPUID);
	if (!vcpu_keep_running(v))
		return 0;
	svm_prepare(v, vmcb);
	return 1;
}

/* Every other exit, with all of the guest's GPRs in struct guest_regs. */
int svm_exit_slow(struct vcpu *v)
{
	hpa_t vmcb = v->vmcx;
	uint64_t intinfo = V64(vmcb, VMCB_EXITINTINFO);
	struct vexit e;

	V8(vmcb, VMCB_TLB_CONTROL) = 0;
	decode_exit(vmcb, &e);
	if (e.kind == VEXIT_MSR_READ || e.kind == VEXIT_MSR_WRITE)
		e.msr.msr = (uint32_t)v->regs.gpr[INSN_RCX];
	e.interrupted.valid = false;
	if (intinfo & SVM_EV_VALID)
		decode_event(intinfo, &e.interrupted);
	vcpu_handle_exit(v, &e);
	if (v->skip) {
		svm_skip(v, v->skip);
		v->skip = 0;
	}
	if (!vcpu_keep_running(v))
		return 0;
	svm_prepare(v, vmcb);
	return 1;
}

static void svm_run(struct vcpu *v)
{
	/*
	 * GIF off before the first VMLOAD of the guest's hidden state: from
	 * there to VMRUN the CPU runs the host with the guest's GS base and TR,
	 * and a kick NMI taken in that window would run the host's handler on
	 * them (this_cpu() through the guest's GS, the IST stack from the
	 * guest's TSS). Held off, the NMI makes VMRUN exit at once instead.
	 * Later entries of the loop start with GIF clear already (#VMEXIT
	 * clears it).
	 */
	__asm__ volatile("clgi" ::: "memory");
	if (vcpu_keep_running(v)) {
		svm_prepare(v, v->vmcx);
		svm_run_loop(v);
	}
	/* #VMEXIT cleared GIF: set it again, so the CPU takes the wake IPI while it waits */
	__asm__ volatile("stgi" ::: "memory");
}

static int svm_part_init(struct x86_part *xp)
{
	xp->msr_bitmap = palloc_alloc(MSRPM_PAGES, 1);
	xp->io_bitmap = palloc_alloc(IOPM_PAGES, 1);
	if (!xp->msr_bitmap || !xp->io_bitmap)
		return -HV_ENOMEM;
	memset((void *)(uintptr_t)xp->msr_bitmap, 0xff, MSRPM_PAGES * PAGE_SIZE);
	memset((void *)(uintptr_t)xp->io_bitmap, 0xff, IOPM_PAGES * PAGE_SIZE);
	return 0;
}

static void bit_set(uint8_t *map, uint32_t bit, bool on)
{
	if (on)
		map[bit / 8] |= (uint8_t)(1u << (bit % 8));
	else
		map[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
}

/* MSRPM: three 2 KiB ranges, two bits per MSR (read, then write); outside them always trapped */
static void svm_msr_intercept(struct x86_part *xp, uint32_t msr, bool read, bool write,
			      bool intercept)
{
	uint8_t *pm = (uint8_t *)(uintptr_t)xp->msr_bitmap;
	uint32_t base, bit;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800 * 8;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000 * 8;
	else
		return;
	bit = base + (msr & 0x1fff) * 2;
	if (read)
		bit_set(pm, bit, intercept);
	if (write)
		bit_set(pm, bit + 1, intercept);
}

static void svm_io_intercept(struct x86_part *xp, uint16_t port, unsigned n, bool intercept)
{
	uint8_t *io = (uint8_t *)(uintptr_t)xp->io_bitmap;

	for (uint32_t p = port; p < (uint32_t)port + n && p <= 0xffff; p++)
		bit_set(io, p, intercept);
}

static void svm_s2_flush(struct vcpu *v)
{
	V8(v->vmcx, VMCB_TLB_CONTROL) = SVM_TLB_FLUSH_ALL;
}

const struct vcpu_ops svm_ops = {
	.name = "SVM",
	.s2_name = "NPT",
	.virt_insn = "svm-insn",
	.cpu_enable = svm_cpu_enable,
	.vcpu_init = svm_vcpu_init,
	.load_state = svm_load_state,
	.run = svm_run,
	.get = svm_get,
	.set = svm_set,
	.part_init = svm_part_init,
	.msr_intercept = svm_msr_intercept,
	.io_intercept = svm_io_intercept,
	.s2_leaf = npt_leaf,
	.s2_table = npt_table,
	.s2_max_level = npt_max_level,
	.s2_flush = svm_s2_flush,
};
