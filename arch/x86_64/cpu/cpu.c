// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU descriptor tables (GDT with TSS, one shared IDT) and the exception
 * handler: a #GP raised by an instruction listed in the fix-up table
 * (cpu/extable.c: rdmsr_safe, wrmsr_safe) resumes at its fix-up; any other
 * CPU exception in the hypervisor prints a register dump and halts that CPU
 * only.
 */
#include "cpu/percpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"

#define IDT_ENTRIES	   256
#define IDT_GATE_INTR	   0x8e /* present, DPL 0, 64-bit interrupt gate */
#define IST_FATAL	   1	/* IST slot for #DF, NMI, #MC */
#define VEC_NMI		   2
#define VEC_SX		   30
#define SX_INIT_REDIRECTED 1 /* #SX error code: an INIT redirected by VM_CR.R_INIT */
#define VEC_DF		   8
#define VEC_GP		   13
#define VEC_SPURIOUS	   0xff /* apic.c programs the SVR with it */
#define VEC_MC		   18

struct percpu percpu[MAX_CPUS];
unsigned cpu_count;
/* hv_stop() is stopping every CPU: an NMI halts instead of kicking */
static volatile bool stopping;

static bool percpu_ready;

/* a back end's entry window (cpu_nmi_window): an NMI in [lo, hi) resumes at to */
static uint64_t nmi_win_lo, nmi_win_hi, nmi_win_to;

bool cpu_stopping(void)
{
	return stopping;
}

void cpu_nmi_window(uint64_t lo, uint64_t hi, uint64_t to)
{
	nmi_win_lo = lo;
	nmi_win_hi = hi;
	nmi_win_to = to;
}

struct idt_gate {
	uint16_t off0;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off1;
	uint32_t off2;
	uint32_t reserved;
} __packed;

static struct idt_gate idt[IDT_ENTRIES] __aligned(16);
extern const uint64_t isr_table[IDT_ENTRIES];

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/* Register frame built by isr_common (arch/x86_64/isr.S). */
struct regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void x86_exception(struct regs *r);

static const char *const exc_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved 31",
};

static void idt_init(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint64_t a = isr_table[v];

		idt[v].off0 = (uint16_t)a;
		idt[v].sel = GDT_CODE;
		idt[v].ist = (v == VEC_NMI || v == VEC_DF || v == VEC_MC) ? IST_FATAL : 0;
		idt[v].type = IDT_GATE_INTR;
		idt[v].off1 = (uint16_t)(a >> 16);
		idt[v].off2 = (uint32_t)(a >> 32);
	}
}

void cpu_init_tables(struct percpu *cpu)
{
	uint64_t tss = (uintptr_t)&cpu->tss;
	struct desc_ptr gdtr = { sizeof(cpu->gdt) - 1, (uintptr_t)cpu->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	cpu->self = cpu;
	cpu->gdt[0] = 0;
	cpu->gdt[1] = GDT_DESC_CODE64;
	cpu->gdt[2] = GDT_DESC_DATA;
	cpu->gdt[3] = 0;
	/* 64-bit TSS descriptor (SDM vol. 3A, 8.2.3): type 9, present */
	cpu->gdt[4] = (sizeof(cpu->tss) - 1) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		      ((tss >> 24) & 0xff) << 56;
	cpu->gdt[5] = tss >> 32;
	cpu->gdt[6] = 0;
	memset(&cpu->tss, 0, sizeof(cpu->tss));
	cpu->tss.rsp[0] = cpu->stack_top;
	cpu->tss.ist[IST_FATAL - 1] = cpu->ist_top;
	cpu->tss.iomap_base = sizeof(cpu->tss); /* no I/O bitmap */

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 :
			 : "m"(gdtr), "i"(GDT_CODE), "i"(GDT_DATA), "r"(GDT_TSS), "m"(idtr)
			 : "rax", "memory");
	wrmsr(MSR_GS_BASE, (uintptr_t)cpu);
}

void arch_early_init(void)
{
	extern char boot_stack_top[];
	struct percpu *bsp = &percpu[0];

	idt_init();
	bsp->cpu_id = 0;
	bsp->stack_top = (uintptr_t)boot_stack_top;
	/* the BSP's IST stack is the top of the boot stack until SMP set-up gives it its own */
	bsp->ist_top = (uintptr_t)boot_stack_top;
	cpu_init_tables(bsp);
	bsp->state = CPU_ONLINE;
	cpu_count = 1;
	percpu_ready = true;
}

cpu_id_t arch_cpu_id(void)
{
	return percpu_ready ? this_cpu()->cpu_id : 0;
}

void arch_cpu_relax(void)
{
	cpu_pause();
}

void arch_cpu_halt(void)
{
	if (percpu_ready)
		this_cpu()->state = CPU_HALTED;
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

void x86_exception(struct regs *r)
{
	const char *name = r->vector < 32 ? exc_names[r->vector] : "external interrupt";

	if (r->vector == VEC_NMI) {
		/*
		 * A kick (leave the guest, take an injected NMI) or a partition
		 * stop for the vCPU this CPU runs: the VM exit it caused is all
		 * that was wanted, the exit loop sees why. From hv_stop(), or on
		 * a CPU without a vCPU: this CPU stops.
		 */
		if (percpu_ready) {
			if (!stopping && this_cpu()->vcpu) {
				/* between a back end's last look at the kick and its VM entry */
				if (r->rip >= nmi_win_lo && r->rip < nmi_win_hi)
					r->rip = nmi_win_to;
				return;
			}
		}
		arch_cpu_halt();
	}
	if (r->vector == VEC_WAKE) {
		apic_eoi();
		return;
	}
	if (r->vector == VEC_SX && r->error == SX_INIT_REDIRECTED && percpu_ready) {
		/*
		 * A physical INIT, redirected by VM_CR.R_INIT (AMD APM vol. 2,
		 * "Security Exception"): dropped and counted. Not printed here:
		 * the CPU may hold the log lock; the exit report says it.
		 */
		__atomic_add_fetch(&this_cpu()->init_sx, 1, __ATOMIC_RELAXED);
		return;
	}
	if (r->vector >= 32) {
		/*
		 * Only idle CPUs take interrupts, and only the wake IPI is meant for
		 * them: a stray one is noted and acknowledged (not the spurious
		 * vector, which has no in-service bit), so it cannot block later ones.
		 */
		pr_warn("unexpected interrupt vector %llu ignored", (unsigned long long)r->vector);
		if (r->vector != VEC_SPURIOUS)
			apic_eoi();
		return;
	}
	if (r->vector == VEC_GP && (r->cs & 3) == 0) {
		/* an instruction allowed to fault: its fix-up reports the error to the caller */
		uint64_t fixup = extable_fixup(r->rip);

		if (fixup) {
			r->rip = fixup;
			return;
		}
	}
	pr_err("CPU exception %s (vector %llu, error 0x%llx) at rip 0x%016llx", name,
	       (unsigned long long)r->vector, (unsigned long long)r->error,
	       (unsigned long long)r->rip);
	log_raw("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n"
		"  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
		(unsigned long long)r->rax, (unsigned long long)r->rbx, (unsigned long long)r->rcx,
		(unsigned long long)r->rdx, (unsigned long long)r->rsi, (unsigned long long)r->rdi,
		(unsigned long long)r->rbp, (unsigned long long)r->rsp);
	log_raw("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n"
		"  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
		(unsigned long long)r->r8, (unsigned long long)r->r9, (unsigned long long)r->r10,
		(unsigned long long)r->r11, (unsigned long long)r->r12, (unsigned long long)r->r13,
		(unsigned long long)r->r14, (unsigned long long)r->r15);
	log_raw("  cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx\n"
		"  rflags %08llx cs %04llx ss %04llx\n",
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4(),
		(unsigned long long)r->rflags, (unsigned long long)r->cs,
		(unsigned long long)r->ss);
	pr_err("CPU %u halted after an exception; other CPUs go on", arch_cpu_id());
	arch_cpu_halt();
}

void arch_stop_other_cpus(void)
{
	stopping = true; /* the NMI handler halts this CPU's peers instead of returning */
	for (unsigned i = 0; i < cpu_count; i++) {
		struct percpu *c = &percpu[i];

		if (c->state == CPU_ONLINE && c->cpu_id != arch_cpu_id())
			apic_ipi(c->apic_id, ICR_NMI, "stop NMI");
	}
}

static bool smep, smap;

void cpu_harden(void)
{
	uint32_t a, b, c, d;
	uint64_t cr4 = read_cr4();

	__asm__ volatile("mov %%cr0, %%rax; or %0, %%rax; mov %%rax, %%cr0" ::"i"(CR0_WP)
			 : "rax", "memory");
	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	cpuid(7, 0, &a, &b, &c, &d);
	/* the hypervisor's map has no user pages: SMEP and SMAP cost nothing and catch stray accesses */
	if (b & CPUID7_EBX_SMEP)
		cr4 |= CR4_SMEP;
	if (b & CPUID7_EBX_SMAP)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	if (arch_cpu_id() == 0) {
		smep = b & CPUID7_EBX_SMEP;
		smap = b & CPUID7_EBX_SMAP;
	}
}

void cpu_report_hardening(void)
{
	pr_info("hardening: %s, CR0.WP on, SMEP %s, SMAP %s, stack protector (strong, "
		"random guard), guard page under every stack",
		paging_nx() ? "W^X (code read-only, data and guest memory not executable)"
			    : "no NX on this CPU (code read-only, data executable)",
		smep ? "on" : "not on this CPU", smap ? "on" : "not on this CPU");
}
