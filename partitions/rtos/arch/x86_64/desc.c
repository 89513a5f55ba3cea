// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The IDT, the TSS (a separate stack for NMI, #DF and #MC) and the exception/unexpected-vector handler. */
#include <stddef.h>
#include <stdint.h>

#include "rtos/arch.h"
#include "rtos/boot.h"
#include "rtos/console.h"
#include "x86/cpu.h"
#include "x86/x86.h"

#define IDT_VECTORS	       256
#define EXCEPTION_VECTORS      32
#define ISR_STUB_SIZE	       16
#define GATE_INTERRUPT	       0x8e /* present, DPL 0, 64-bit interrupt gate (SDM Vol. 3A 6.14.1) */
#define TSS_AVAILABLE	       0x89 /* present, 64-bit TSS available (SDM Vol. 3A 8.2.3) */
#define IST_EMERGENCY	       1
#define VEC_NMI		       2
#define VEC_DF		       8
#define VEC_PF		       14
#define VEC_MC		       18
#define UNEXPECTED_REPORTS_MAX 4

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* Layout pushed by isr.S isr_common. */
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void x86_trap(struct x86_trap_frame *f);

extern const uint8_t x86_isr_stubs[];
void x86_timer_isr(void);
void x86_spurious_isr(void);

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static int in_exception;
static uint64_t unexpected;

static const char *const exception_names[EXCEPTION_VECTORS] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
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

static void set_gate(unsigned vec, uintptr_t handler, uint8_t ist)
{
	struct idt_gate *g = &idt[vec];

	g->offset_lo = (uint16_t)handler;
	g->selector = GDT_CODE64;
	g->ist = ist;
	g->attr = GATE_INTERRUPT;
	g->offset_mid = (uint16_t)(handler >> 16);
	g->offset_hi = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void desc_init(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	tss.ist[IST_EMERGENCY - 1] = (uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	x86_gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			       (uint64_t)TSS_AVAILABLE << 40 | ((limit >> 16) & 0xf) << 48 |
			       ((base >> 24) & 0xff) << 56;
	x86_gdt[GDT_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)GDT_TSS));

	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		bool emergency = v == VEC_NMI || v == VEC_DF || v == VEC_MC;

		set_gate(v, (uintptr_t)x86_isr_stubs + v * ISR_STUB_SIZE,
			 emergency ? IST_EMERGENCY : 0);
	}
	set_gate(VEC_TIMER, (uintptr_t)x86_timer_isr, 0);
	set_gate(VEC_SPURIOUS, (uintptr_t)x86_spurious_isr, 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static void dump(const struct x86_trap_frame *f)
{
	const char *n = rtos_name();

	console_printf("rtos %s: CPU exception %s (vector %llu), error 0x%llx\n", n,
		       exception_names[f->vector], (unsigned long long)f->vector,
		       (unsigned long long)f->error);
	console_printf("rtos %s:   rip 0x%016llx cs 0x%llx rflags 0x%llx rsp 0x%016llx ss 0x%llx\n",
		       n, (unsigned long long)f->rip, (unsigned long long)f->cs,
		       (unsigned long long)f->rflags, (unsigned long long)f->rsp,
		       (unsigned long long)f->ss);
	if (f->vector == VEC_PF)
		console_printf("rtos %s:   cr2 0x%016llx\n", n, (unsigned long long)read_cr2());
	console_printf("rtos %s:   rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", n,
		       (unsigned long long)f->rax, (unsigned long long)f->rbx,
		       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	console_printf("rtos %s:   rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n", n,
		       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
		       (unsigned long long)f->rbp, (unsigned long long)f->r8);
	console_printf("rtos %s:   r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n", n,
		       (unsigned long long)f->r9, (unsigned long long)f->r10,
		       (unsigned long long)f->r11, (unsigned long long)f->r12);
	console_printf("rtos %s:   r13 %016llx r14 %016llx r15 %016llx\n", n,
		       (unsigned long long)f->r13, (unsigned long long)f->r14,
		       (unsigned long long)f->r15);
}

void x86_trap(struct x86_trap_frame *f)
{
	if (f->vector >= EXCEPTION_VECTORS) {
		/* No interrupt source is enabled but the timer; say so a few times, then stay quiet. */
		if (unexpected++ < UNEXPECTED_REPORTS_MAX)
			console_printf(
				"rtos %s: WARN: unexpected interrupt vector 0x%llx, ignored\n",
				rtos_name(), (unsigned long long)f->vector);
		apic_eoi();
		return;
	}
	/* An exception while reporting one (say, a broken console) only halts. */
	if (in_exception++ == 0) {
		dump(f);
		console_printf("rtos %s: halted after a CPU exception\n", rtos_name());
	}
	arch_halt();
}
