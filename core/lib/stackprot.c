// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stack protector of the hypervisor image (GCC -fstack-protector-strong
 * with a global guard): the guard value, chosen at boot, and what happens
 * when a function finds its frame overwritten: one report line, and the
 * calling CPU halts, as for any CPU exception; the other CPUs go on.
 */
#include "core/arch.h"
#include "core/log.h"
#include "core/stackprot.h"

/* A fixed value until stack_guard_init() runs, with a zero low byte (stops string copies). */
uintptr_t __stack_chk_guard = 0x2f8a4c1b7e93d000ULL;

void __noreturn __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	pr_err("stack protector: a stack frame on CPU %u was overwritten; that CPU halts",
	       arch_cpu_id());
	arch_cpu_halt();
}

__attribute__((noinline, no_stack_protector)) void stack_guard_init(uint64_t seed)
{
	/* splitmix64: every bit of the seed reaches every bit of the guard */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	__stack_chk_guard = (uintptr_t)(z & ~0xffULL);
}
