// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The x86_64 implementation of the kernel's arch hooks (rtos/arch.h) that are not in apic.c. */
#include <stddef.h>
#include <stdint.h>

#include "rtos/arch.h"
#include "rtos/tasks.h"
#include "x86/cpu.h"
#include "x86/x86.h"

/* QEMU -device isa-debug-exit,iobase=0xf4: writing V ends QEMU with status (V << 1) | 1. */
#define DEBUG_EXIT_PORT	   0xf4
#define DEBUG_EXIT_SUCCESS 0x10 /* status 33 */
#define DEBUG_EXIT_FAILURE 0x11 /* status 35 */

/* The words arch_switch() pops: R15 R14 R13 R12 RBX RBP, then its return address. */
#define SWITCH_FRAME_WORDS 7

void x86_task_start(void);

static enum x86_console console_kind;
static uint16_t console_port;
static bool native;
static bool exit_on_fault;

void x86_console_set(enum x86_console kind, uint16_t port)
{
	console_kind = kind;
	console_port = port;
}

void x86_set_native(bool on)
{
	native = on;
}

uint64_t arch_counter(void)
{
	return rdtsc();
}

unsigned long arch_irq_save(void)
{
	unsigned long flags = read_flags();

	cli();
	return flags & RFLAGS_IF;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

void arch_irq_enable(void)
{
	sti();
}

void arch_wait_for_irq(bool poll)
{
	if (poll) {
		sti();
		cpu_pause();
	} else {
		/* STI's one-instruction shadow: no interrupt slips in between the two. */
		__asm__ volatile("sti; hlt" : : : "memory");
	}
}

void arch_cpu_relax(void)
{
	cpu_pause();
}

uintptr_t arch_stack_init(void *stack, size_t size, void (*entry)(void *), void *arg)
{
	/* Leave RSP 16-byte aligned after the switch's RET, as a CALL would. */
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 16) - SWITCH_FRAME_WORDS;

	sp[0] = 0;			   /* r15 */
	sp[1] = 0;			   /* r14 */
	sp[2] = (uintptr_t)entry;	   /* r13 */
	sp[3] = (uintptr_t)arg;		   /* r12 */
	sp[4] = 0;			   /* rbx */
	sp[5] = 0;			   /* rbp */
	sp[6] = (uintptr_t)x86_task_start; /* return address */
	return (uintptr_t)sp;
}

void arch_console_write(const char *s, size_t len)
{
	switch (console_kind) {
	case CONSOLE_UART:
		uart_write(console_port, s, len);
		break;
	case CONSOLE_HYPERCALL:
		hypercall_console_write(s, len);
		break;
	default:
		break;
	}
}

bool arch_exit(unsigned code)
{
	if (!native)
		return false;
	outb(DEBUG_EXIT_PORT, code == RTOS_EXIT_SUCCESS ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE);
	return false; /* still here: no isa-debug-exit device */
}

void arch_exit_on_fault(bool on)
{
	exit_on_fault = on;
}

void arch_heartbeat(uint64_t count)
{
	if (!native)
		hypercall_heartbeat(count);
}

_Noreturn void arch_halt(void)
{
	if (exit_on_fault)
		arch_exit(RTOS_EXIT_FAILURE);
	x86_park();
}
