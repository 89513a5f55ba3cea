// SPDX-License-Identifier: GPL-2.0-only
/*
 * Idle CPUs: each waits (interrupts on, halted) for the boot CPU to give it
 * work, a function and its argument, and runs it for good. The vCPU layer
 * assigns vCPUs this way; core/ assigns jobs (the exit report) through
 * arch_cpu_start_job(). Nothing here knows what a vCPU is.
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "core/arch.h"
#include "core/errno.h"

void arch_cpu_idle_loop(void)
{
	struct percpu *cpu = this_cpu();

	for (;;) {
		void (*fn)(void *) = __atomic_load_n(&cpu->job, __ATOMIC_ACQUIRE);

		if (fn)
			fn(cpu->job_arg);
		/* sti's one-instruction shadow: a wake IPI cannot slip in before hlt */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}

int cpu_assign(unsigned c, void (*fn)(void *), void *arg)
{
	struct percpu *cpu = &percpu[c];

	if (c >= cpu_count || c == arch_cpu_id() || cpu->state != CPU_ONLINE || cpu->job)
		return -HV_EBUSY;
	cpu->job_arg = arg;
	__atomic_store_n(&cpu->job, fn, __ATOMIC_RELEASE);
	return apic_ipi(cpu->apic_id, VEC_WAKE, "wake-up") < 0 ? -HV_EIO : 0;
}

/* core's jobs take no argument: the function itself travels as the argument */
static void run_job(void *arg)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)arg;

	fn();
}

int arch_cpu_start_job(unsigned c, void (*fn)(void))
{
	return cpu_assign(c, run_job, (void *)(uintptr_t)fn) < 0 ? -1 : 0;
}
