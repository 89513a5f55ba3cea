/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The narrow set of hooks the portable RTOS kernel needs from an
 * architecture port (x86_64 today, arm64 later).
 */
#ifndef RTOS_ARCH_H
#define RTOS_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which per-CPU timer mode the user asked for (option timer=). */
enum rtos_timer_pref {
	RTOS_TIMER_AUTO,     /* the best the CPU offers */
	RTOS_TIMER_ONESHOT,  /* a count-down timer reprogrammed for each release */
	RTOS_TIMER_DEADLINE, /* an absolute-deadline timer on the counter itself */
};

struct arch_timer_info {
	const char *mode; /* as the boot banner names it: "one-shot", "tsc-deadline" */
	char detail[128]; /* one human-readable line: interrupt controller, timer rate */
};

/* The free-running, monotonic counter all kernel times are expressed in (x86: the TSC). */
uint64_t arch_counter(void);

/*
 * Sets up the timer interrupt of this CPU. Returns 0, or a negative value
 * when no usable timer exists (the port has then said why on the console).
 */
int arch_timer_init(enum rtos_timer_pref pref, struct arch_timer_info *info);
/* Interrupts at or after counter value deadline; a deadline in the past fires at once. */
void arch_timer_arm(uint64_t deadline);
void arch_timer_disarm(void);

/* Disables interrupts and returns the previous state for arch_irq_restore(). */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
/* The idle task's body: enable interrupts and wait for one (poll: spin instead of halting). */
void arch_wait_for_irq(bool poll);
void arch_cpu_relax(void);

/*
 * Prepares a new task stack so that the first arch_switch() to the returned
 * stack pointer calls entry(arg) with interrupts still disabled.
 */
uintptr_t arch_stack_init(void *stack, size_t size, void (*entry)(void *), void *arg);
/* Saves the callee-saved state on the current stack into *save_sp and resumes load_sp. */
void arch_switch(uintptr_t *save_sp, uintptr_t load_sp);

void arch_console_write(const char *s, size_t len);
/* Ends the run (native test harness only); returns false where that is not possible. */
bool arch_exit(unsigned code);
/* With on, a fatal error (CPU exception, arch_halt()) also ends the run with a failure code. */
void arch_exit_on_fault(bool on);
/* Tells the hypervisor this partition is alive; a no-op without one. */
void arch_heartbeat(uint64_t count);
_Noreturn void arch_halt(void);

#endif
