// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM back end of the vCPU layer: VMCB set-up for the documented 64-bit
 * guest start, the exit loop and its handlers. External interrupts are not
 * intercepted: a partition's own IDT takes them and its LAPIC timer is its
 * own. What is intercepted (CPUID, MSRs not in the bitmap, I/O ports not in
 * the bitmap, nested page faults, shutdown, INIT, NMI, VMMCALL, the SVM
 * instructions) is either emulated or a violation of the partition's table.
 */
#include <bulkhead/guest.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/table.h>

#include "vcpu/guest_walk.h"
#include "vcpu/insn.h"
#include "cpu/percpu.h"
#include "svm/svm.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/guest_load.h"
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

#define GUEST_PAT	 0x0007040600070406ULL /* the power-on default PAT */
#define INSN_LEN_CPUID	 2
#define INSN_LEN_MSR	 2
#define INSN_LEN_VMMCALL 3

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

static int svm_cpu_enable(struct vcpu *v)
{
	uint32_t a, b, c, d;

	cpuid(0x8000000a, 0, &a, &b, &c, &d);
	svm_nrips = !!(d & (1u << 3));
	v->host_save = palloc_alloc(1, 1);
	v->host_vmcb = palloc_alloc(1, 1);
	v->vmcb = palloc_alloc(1, 1);
	if (!v->host_save || !v->host_vmcb || !v->vmcb)
		return -HV_ENOMEM;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME | EFER_NXE);
	wrmsr(MSR_VM_HSAVE_PA, v->host_save);
	/* the host's hidden state (GS base, TR, syscall MSRs) comes back by VMLOAD */
	__asm__ volatile("vmsave %0" ::"a"(v->host_vmcb) : "memory");
	return 0;
}

static void set_seg(hpa_t vmcb, unsigned off, uint16_t sel, uint16_t attr, uint32_t limit,
		    uint64_t base)
{
	V16(vmcb, off + SEG_SEL) = sel;
	V16(vmcb, off + SEG_ATTR) = attr;
	V32(vmcb, off + SEG_LIMIT) = limit;
	V64(vmcb, off + SEG_BASE) = base;
}

static int svm_vcpu_setup(struct vcpu *v)
{
	struct x86_part *xp = v->part->arch;
	hpa_t vmcb = v->vmcb;

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
	V8(vmcb, VMCB_TLB_CONTROL) = 1; /* flush everything on the first entry */
	V64(vmcb, VMCB_VINTR) = 0; /* V_INTR_MASKING off: the guest's IF masks real interrupts */
	V64(vmcb, VMCB_NP_ENABLE) = 1;
	V64(vmcb, VMCB_N_CR3) = xp->stage2_root;

	/* the documented 64-bit start (include/bulkhead/guest.h) */
	set_seg(vmcb, VMCB_CS, xp->cs, 0x029b, 0xffffffff, 0); /* 64-bit code, P, DPL 0 */
	set_seg(vmcb, VMCB_DS, xp->ds, 0x0c93, 0xffffffff, 0);
	set_seg(vmcb, VMCB_ES, xp->ds, 0x0c93, 0xffffffff, 0);
	set_seg(vmcb, VMCB_SS, xp->ds, 0x0c93, 0xffffffff, 0);
	set_seg(vmcb, VMCB_FS, xp->ds, 0x0c93, 0xffffffff, 0);
	set_seg(vmcb, VMCB_GS, xp->ds, 0x0c93, 0xffffffff, 0);
	set_seg(vmcb, VMCB_GDTR, 0, 0, 4 * 8 - 1, xp->gdt);
	set_seg(vmcb, VMCB_IDTR, 0, 0, 0, 0);
	set_seg(vmcb, VMCB_LDTR, 0, 0x0082, 0, 0);
	set_seg(vmcb, VMCB_TR, 0x18, 0x008b, 0x67, 0);
	V8(vmcb, VMCB_CPL) = 0;
	V64(vmcb, VMCB_EFER) = EFER_LME | EFER_LMA | EFER_SVME;
	V64(vmcb, VMCB_CR0) = CR0_PG | CR0_PE | CR0_ET | CR0_NE | CR0_WP;
	V64(vmcb, VMCB_CR4) = CR4_PAE;
	V64(vmcb, VMCB_CR3) = xp->cr3;
	V64(vmcb, VMCB_DR7) = 0x400;
	V64(vmcb, VMCB_DR6) = 0xffff0ff0;
	V64(vmcb, VMCB_RFLAGS) = 0x2;
	V64(vmcb, VMCB_RIP) = xp->entry;
	V64(vmcb, VMCB_RSP) = 0;
	V64(vmcb, VMCB_RAX) = BH_GUEST_MAGIC32;
	V64(vmcb, VMCB_G_PAT) = GUEST_PAT;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rdi = guest_info_gpa(v->part);
	v->regs.rsi = xp->boot_rsi; /* Linux boot protocol: the zero page */
	if (v->part->image_flags & BH_IMAGE_F_START32) {
		/* like a Multiboot2 hand-over: protected mode, paging off, EBX = info */
		set_seg(vmcb, VMCB_CS, 0x18, 0x0c9b, 0xffffffff, 0); /* 32-bit code */
		V64(vmcb, VMCB_EFER) = EFER_SVME;
		V64(vmcb, VMCB_CR0) = CR0_PE | CR0_ET | CR0_NE;
		V64(vmcb, VMCB_CR4) = 0;
		V64(vmcb, VMCB_CR3) = 0;
		v->regs.rbx = guest_info_gpa(v->part);
	}
	return 0;
}

/*
 * After INIT and a start-up IPI (AMD APM vol. 2, 14.1.3 and Intel SDM vol. 3A
 * 8.4.4): real mode, CS = vector << 8 with base vector << 12, IP 0, the
 * other registers at their INIT values. NPT makes real mode work without
 * paging in the guest.
 */
static void svm_vcpu_setup_sipi(struct vcpu *v, uint8_t vector)
{
	hpa_t vmcb = v->vmcb;

	svm_vcpu_setup(v);
	set_seg(vmcb, VMCB_CS, (uint16_t)(vector << 8), 0x009b, 0xffff, (uint64_t)vector << 12);
	set_seg(vmcb, VMCB_DS, 0, 0x0093, 0xffff, 0);
	set_seg(vmcb, VMCB_ES, 0, 0x0093, 0xffff, 0);
	set_seg(vmcb, VMCB_SS, 0, 0x0093, 0xffff, 0);
	set_seg(vmcb, VMCB_FS, 0, 0x0093, 0xffff, 0);
	set_seg(vmcb, VMCB_GS, 0, 0x0093, 0xffff, 0);
	set_seg(vmcb, VMCB_GDTR, 0, 0, 0xffff, 0);
	set_seg(vmcb, VMCB_IDTR, 0, 0, 0xffff, 0);
	set_seg(vmcb, VMCB_LDTR, 0, 0x0082, 0xffff, 0);
	set_seg(vmcb, VMCB_TR, 0, 0x008b, 0xffff, 0);
	V64(vmcb, VMCB_EFER) = EFER_SVME; /* VMRUN needs SVME; the guest reads EFER as 0 */
	V64(vmcb, VMCB_CR0) = CR0_ET;
	V64(vmcb, VMCB_CR3) = 0;
	V64(vmcb, VMCB_CR4) = 0;
	V64(vmcb, VMCB_RIP) = 0;
	V64(vmcb, VMCB_RSP) = 0;
	V64(vmcb, VMCB_RAX) = 0;
	memset(&v->regs, 0, sizeof(v->regs));
}

static void advance_rip(struct vcpu *v, unsigned len)
{
	if (svm_nrips && V64(v->vmcb, VMCB_NRIP))
		V64(v->vmcb, VMCB_RIP) = V64(v->vmcb, VMCB_NRIP);
	else
		V64(v->vmcb, VMCB_RIP) += len;
}

/* Injects #GP(0) into the guest at its next entry (APM vol. 2, 15.20: EVENTINJ). */
static void inject_gp(struct vcpu *v)
{
	V64(v->vmcb, VMCB_EVENTINJ) = 13 | (3u << 8) /* exception */ | (1u << 11) /* error code */ |
				      (1u << 31) /* valid */;
}

static bool is_linux_root(const struct vcpu *v)
{
	return ((const struct x86_part *)v->part->arch)->linux_root;
}

static void violation(struct vcpu *v, const char *reason, uint64_t addr)
{
	part_fail(v->part, v->index, reason, V64(v->vmcb, VMCB_RIP), addr);
}

static void handle_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)V64(v->vmcb, VMCB_RAX), sub = (uint32_t)v->regs.rcx;
	uint32_t a, b, c, d;

	v->exits[VEXIT_CPUID]++;
	if (leaf == BH_CPUID_LEAF_BASE) {
		a = BH_CPUID_LEAF_INFO;
		b = BH_CPUID_SIG_EBX;
		c = BH_CPUID_SIG_ECX;
		d = BH_CPUID_SIG_EDX;
	} else if (leaf == BH_CPUID_LEAF_INFO) {
		a = BH_HYPERCALL_ABI_VERSION;
		b = v->part->id;
		c = (uint32_t)v->part->tsc_khz;
		d = v->index;
	} else if ((leaf & 0xffffff00u) == 0x40000000u) {
		a = b = c = d = 0;
	} else {
		cpuid(leaf, sub, &a, &b, &c, &d);
		if (leaf == 1) {
			c &= ~(1u << 5); /* VMX */
			c |= 1u << 31;	 /* running under a hypervisor */
			if (!apic_x2apic_mode())
				c &= ~(1u << 21); /* x2APIC: this CPU's APIC stays in xAPIC mode */
			/* machine checks belong to the hypervisor: no MCE/MCA banks for guests */
			d &= ~((1u << 7) | (1u << 14));
		} else if (leaf == 0x80000001) {
			c &= ~(1u << 2); /* SVM */
		} else if (leaf == 0x8000000a) {
			a = b = c = d = 0;
		}
	}
	V64(v->vmcb, VMCB_RAX) = a;
	v->regs.rbx = b;
	v->regs.rcx = c;
	v->regs.rdx = d;
	advance_rip(v, INSN_LEN_CPUID);
}

static void handle_msr(struct vcpu *v)
{
	bool write = V64(v->vmcb, VMCB_EXITINFO1) & 1;
	uint32_t msr = (uint32_t)v->regs.rcx;
	uint64_t val = ((uint64_t)(uint32_t)v->regs.rdx << 32) | (uint32_t)V64(v->vmcb, VMCB_RAX);
	char reason[80];

	v->exits[write ? VEXIT_MSR_WRITE : VEXIT_MSR_READ]++;
	if (!write && msr == MSR_EFER) {
		val = V64(v->vmcb, VMCB_EFER) & ~EFER_SVME;
	} else if (write && msr == MSR_EFER) {
		/*
		 * The guest may toggle SCE and NXE, and LME while paging is off (a
		 * 32-bit start going to long mode); the CPU sets LMA itself when
		 * paging comes on. SVME stays set: VMRUN needs it in the guest's EFER.
		 */
		uint64_t cur = V64(v->vmcb, VMCB_EFER);
		uint64_t mut = EFER_SCE | EFER_NXE;

		if (!(V64(v->vmcb, VMCB_CR0) & CR0_PG))
			mut |= EFER_LME;
		if ((val & ~(EFER_SCE | EFER_NXE | EFER_LME | EFER_LMA)) != 0 ||
		    ((val ^ cur) & EFER_LME & ~mut)) {
			snprintf(reason, sizeof(reason), "WRMSR EFER 0x%llx not allowed",
				 (unsigned long long)val);
			violation(v, reason, msr);
			return;
		}
		V64(v->vmcb, VMCB_EFER) = (cur & ~mut) | (val & mut);
	} else if (write && msr == 0x830) {
		if (vcpu_send_ipi(v, val, reason, sizeof(reason)) < 0) {
			violation(v, reason, val >> 32);
			return;
		}
	} else if (is_linux_root(v)) {
		/* the root's MSRs outside the bitmap: the vendor-neutral policy (root_emul.c) */
		if (!root_msr(v, msr, write, &val)) {
			inject_gp(v);
			return;
		}
	} else {
		snprintf(reason, sizeof(reason), "%s of MSR 0x%x not allowed",
			 write ? "WRMSR" : "RDMSR", msr);
		violation(v, reason, msr);
		return;
	}
	if (!write) {
		V64(v->vmcb, VMCB_RAX) = (uint32_t)val;
		v->regs.rdx = val >> 32;
	}
	advance_rip(v, INSN_LEN_MSR);
}

static void handle_io(struct vcpu *v)
{
	uint64_t info = V64(v->vmcb, VMCB_EXITINFO1);
	char reason[80];

	v->exits[VEXIT_IO]++;
	if (is_linux_root(v) && !(info & SVM_IOIO_STR)) {
		unsigned size = (info & (1u << 6)) ? 4 : (info & (1u << 5)) ? 2 : 1;
		bool in = info & SVM_IOIO_IN;
		uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
		uint64_t val = root_io(v, (uint16_t)(info >> SVM_IOIO_PORT_SHIFT), size, in,
				       V64(v->vmcb, VMCB_RAX) & mask);

		if (in)
			V64(v->vmcb, VMCB_RAX) = (V64(v->vmcb, VMCB_RAX) & ~mask) | (val & mask);
		V64(v->vmcb, VMCB_RIP) = V64(v->vmcb, VMCB_EXITINFO2); /* next RIP, always given */
		return;
	}
	snprintf(reason, sizeof(reason), "I/O port 0x%llx %s not in the partition's table",
		 (unsigned long long)(info >> SVM_IOIO_PORT_SHIFT) & 0xffff,
		 (info & SVM_IOIO_IN) ? "read" : "write");
	violation(v, reason, (info >> SVM_IOIO_PORT_SHIFT) & 0xffff);
}

typedef int (*mmio_emulate_fn)(struct vcpu *v, const struct guest_paging *pg, uint64_t rip,
			       int mode_bits, uint64_t gpa, bool fault_write,
			       uint64_t regs[INSN_NR_GPRS], unsigned *len, char *why,
			       size_t why_len);

/* A trapped MMIO access: decode and emulate it (no decode assists under TCG). */
static bool handle_mmio(struct vcpu *v, uint64_t gpa, mmio_emulate_fn emulate)
{
	hpa_t vmcb = v->vmcb;
	struct guest_paging pg = {
		.cr0 = V64(vmcb, VMCB_CR0),
		.cr3 = V64(vmcb, VMCB_CR3),
		.cr4 = V64(vmcb, VMCB_CR4),
		.efer = V64(vmcb, VMCB_EFER),
	};
	bool long64 = (pg.efer & EFER_LMA) && (V16(vmcb, VMCB_CS + SEG_ATTR) & SVM_SEG_ATTR_L);
	uint64_t regs[INSN_NR_GPRS] = {
		[INSN_RAX] = V64(vmcb, VMCB_RAX), [INSN_RCX] = v->regs.rcx,
		[INSN_RDX] = v->regs.rdx,	  [INSN_RBX] = v->regs.rbx,
		[INSN_RSP] = V64(vmcb, VMCB_RSP), [INSN_RBP] = v->regs.rbp,
		[INSN_RSI] = v->regs.rsi,	  [INSN_RDI] = v->regs.rdi,
		[INSN_R8] = v->regs.r8,		  [INSN_R9] = v->regs.r9,
		[INSN_R10] = v->regs.r10,	  [INSN_R11] = v->regs.r11,
		[INSN_R12] = v->regs.r12,	  [INSN_R13] = v->regs.r13,
		[INSN_R14] = v->regs.r14,	  [INSN_R15] = v->regs.r15,
	};
	uint64_t rip = V64(vmcb, VMCB_RIP) + (long64 ? 0 : V64(vmcb, VMCB_CS + SEG_BASE));
	unsigned len = 0;
	char why[96];

	v->exits[emulate == vapic_emulate ? VEXIT_XAPIC : VEXIT_NPF]++;
	/* 16-bit code (CS.D clear outside long mode) is passed as such: the decoder refuses it */
	int mode = long64					      ? INSN_MODE_64
		   : (V16(vmcb, VMCB_CS + SEG_ATTR) & SVM_SEG_ATTR_D) ? INSN_MODE_32
								      : 16;
	bool fault_write = V64(vmcb, VMCB_EXITINFO1) & (1u << 1);

	if (!long64)
		rip &= 0xffffffffULL;
	if (emulate(v, &pg, rip, mode, gpa, fault_write, regs, &len, why, sizeof(why)) < 0) {
		violation(v, why, gpa);
		return true;
	}
	V64(vmcb, VMCB_RAX) = regs[INSN_RAX];
	V64(vmcb, VMCB_RSP) = regs[INSN_RSP];
	v->regs.rcx = regs[INSN_RCX];
	v->regs.rdx = regs[INSN_RDX];
	v->regs.rbx = regs[INSN_RBX];
	v->regs.rbp = regs[INSN_RBP];
	v->regs.rsi = regs[INSN_RSI];
	v->regs.rdi = regs[INSN_RDI];
	v->regs.r8 = regs[INSN_R8];
	v->regs.r9 = regs[INSN_R9];
	v->regs.r10 = regs[INSN_R10];
	v->regs.r11 = regs[INSN_R11];
	v->regs.r12 = regs[INSN_R12];
	v->regs.r13 = regs[INSN_R13];
	v->regs.r14 = regs[INSN_R14];
	v->regs.r15 = regs[INSN_R15];
	V64(vmcb, VMCB_RIP) += len;
	return true;
}

static void handle_npf(struct vcpu *v)
{
	uint64_t err = V64(v->vmcb, VMCB_EXITINFO1), gpa = V64(v->vmcb, VMCB_EXITINFO2);

	if (vapic_is_xapic_page(gpa) && handle_mmio(v, gpa, vapic_emulate))
		return;
	if (is_linux_root(v) && handle_mmio(v, gpa, root_mmio_emulate))
		return;
	v->exits[VEXIT_NPF]++;
	violation(v,
		  (err & (1u << 4)) ? "instruction fetch outside the partition's memory"
		  : (err & (1u << 1))
			  ? "write outside the partition's memory or to read-only memory"
			  : "read outside the partition's memory",
		  gpa);
}

static void handle_vmmcall(struct vcpu *v)
{
	struct hc_args a = {
		.nr = V64(v->vmcb, VMCB_RAX),
		.a0 = v->regs.rdi,
		.a1 = v->regs.rsi,
		.a2 = v->regs.rdx,
		.a3 = v->regs.r10,
	};

	v->exits[VEXIT_HYPERCALL]++;
	V64(v->vmcb, VMCB_RAX) = (uint64_t)hypercall_dispatch(v->part, v->index, &a);
	advance_rip(v, INSN_LEN_VMMCALL);
}

static void svm_vcpu_run(struct vcpu *v)
{
	struct partition *p = v->part;
	char reason[64];

	while (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PART_RUNNING &&
	       !__atomic_load_n(&v->kick, __ATOMIC_ACQUIRE)) {
		uint32_t code;

		/* an NMI another vCPU of the partition sent (AMD APM vol. 2, 15.20) */
		if (!(V64(v->vmcb, VMCB_EVENTINJ) & (1u << 31)) &&
		    __atomic_exchange_n(&v->nmi_pending, 0, __ATOMIC_ACQ_REL))
			V64(v->vmcb, VMCB_EVENTINJ) = 2 | (2u << 8) | (1u << 31);
		svm_vmrun(&v->regs, v->vmcb, v->host_vmcb);
		V8(v->vmcb, VMCB_TLB_CONTROL) = 0;
		v->exits_total++;
		code = (uint32_t)V64(v->vmcb, VMCB_EXITCODE);
		switch (code) {
		case SVM_EXIT_CPUID:
			handle_cpuid(v);
			break;
		case SVM_EXIT_MSR:
			handle_msr(v);
			break;
		case SVM_EXIT_IOIO:
			handle_io(v);
			break;
		case SVM_EXIT_NPF:
			handle_npf(v);
			break;
		case SVM_EXIT_VMMCALL:
			handle_vmmcall(v);
			break;
		case SVM_EXIT_NMI:
			/*
			 * The hypervisor's own signal (a stop, or a kick to leave the
			 * guest or to inject an NMI). The NMI stays pending while GIF is
			 * clear: open GIF for an instant so the host takes it now (a
			 * kick's handler returns, a stop's halts); otherwise every
			 * VMRUN would exit again at once. IF is clear here: only the
			 * NMI gets in.
			 */
			v->exits[VEXIT_NMI]++;
			__asm__ volatile("stgi; clgi" ::: "memory");
			break;
		case SVM_EXIT_INIT:
			v->exits[VEXIT_INIT]++;
			break;
		case SVM_EXIT_INTR:
			v->exits[VEXIT_INTR]++;
			break;
		case SVM_EXIT_SHUTDOWN:
			v->exits[VEXIT_SHUTDOWN]++;
			/* Linux's last way to reboot: for the root, a reboot request */
			if (is_linux_root(v))
				root_request(v, ROOT_REQ_REBOOT, "triple fault");
			else
				violation(v, "triple fault (shutdown)", 0);
			break;
		case SVM_EXIT_VMRUN:
		case SVM_EXIT_VMLOAD:
		case SVM_EXIT_VMSAVE:
		case SVM_EXIT_STGI:
		case SVM_EXIT_CLGI:
		case SVM_EXIT_SKINIT:
		case SVM_EXIT_INVLPGA:
			v->exits[VEXIT_VIRT_INSN]++;
			snprintf(reason, sizeof(reason), "forbidden SVM instruction (exit 0x%x)",
				 code);
			violation(v, reason, 0);
			break;
		case SVM_EXIT_INVD:
		case SVM_EXIT_TASK_SWITCH:
			v->exits[VEXIT_OTHER]++;
			violation(v,
				  code == SVM_EXIT_INVD ? "forbidden instruction INVD"
							: "hardware task switch",
				  0);
			break;
		case SVM_EXIT_INVALID:
			v->exits[VEXIT_OTHER]++;
			violation(v, "VMRUN refused the guest state (invalid VMCB)", 0);
			break;
		default:
			v->exits[VEXIT_OTHER]++;
			snprintf(reason, sizeof(reason), "unexpected SVM exit 0x%x", code);
			violation(v, reason, V64(v->vmcb, VMCB_EXITINFO1));
			break;
		}
	}
	/*
	 * #VMEXIT cleared GIF: set it again, so this CPU takes the wake IPI while
	 * it waits and a kick NMI still pending is delivered (and consumed) now.
	 */
	__asm__ volatile("stgi" ::: "memory");
}
const struct vcpu_ops svm_ops = {
	.name = "NPT",
	.cpu_enable = svm_cpu_enable,
	.vcpu_setup = svm_vcpu_setup,
	.vcpu_setup_sipi = svm_vcpu_setup_sipi,
	.vcpu_run = svm_vcpu_run,
	.s2_leaf = npt_leaf,
	.s2_table = npt_table,
};
