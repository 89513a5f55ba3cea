// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception fix-ups: instructions that are allowed to fault.
 *
 * An instruction whose operand comes from a guest (an MSR number the root
 * asked for) may raise #GP on one CPU and not on another: an Intel-only MSR
 * on an AMD CPU, an MSR an emulator does not model, an x2APIC register while
 * the APIC is in xAPIC mode. Such an instruction is given a label, and a pair
 * {address of the instruction, address to resume at} goes into the linker
 * section .ex_table (hv.ld keeps it between __ex_table_start and
 * __ex_table_end). When the instruction raises #GP, x86_exception() finds the
 * faulting RIP here and returns to the fix-up address instead of halting the
 * CPU; the fix-up code sets the caller's error result. Nothing else is
 * recovered: an exception at any other address still halts the CPU.
 */
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/errno.h"

/* One .ex_table entry, as EXTABLE_ENTRY below emits it. */
struct extable_entry {
	uint64_t insn;	/* address of the instruction that may fault */
	uint64_t fixup; /* where to resume when it does */
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

/* asm text: a table entry for label `insn` resuming at label `fixup` */
#define EXTABLE_ENTRY(insn, fixup)          \
	".pushsection .ex_table, \"a\"\n\t" \
	".balign 8\n\t"                     \
	".quad " insn ", " fixup "\n\t"     \
	".popsection\n\t"

uint64_t extable_fixup(uint64_t rip)
{
	/* a handful of entries: a linear scan, no sorting needed */
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}

/*
 * The fix-up code lies in .text.fixup, out of the normal path: it stores the
 * error, zeroes the result and jumps back behind the instruction.
 */
int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo, hi;
	int err;

	__asm__ volatile("1:	rdmsr\n\t"
			 "xorl %[err], %[err]\n"
			 "2:\n\t"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3:	movl %[fail], %[err]\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "jmp 2b\n\t"
			 ".popsection\n\t" EXTABLE_ENTRY("1b", "3b")
			 : [err] "=&r"(err), "=a"(lo), "=d"(hi)
			 : "c"(msr), [fail] "i"(-HV_EIO)
			 : "memory");
	*val = ((uint64_t)hi << 32) | lo;
	return err;
}

int wrmsr_safe(uint32_t msr, uint64_t val)
{
	int err;

	__asm__ volatile("1:	wrmsr\n\t"
			 "xorl %[err], %[err]\n"
			 "2:\n\t"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3:	movl %[fail], %[err]\n\t"
			 "jmp 2b\n\t"
			 ".popsection\n\t" EXTABLE_ENTRY("1b", "3b")
			 : [err] "=&r"(err)
			 : "c"(msr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32)), [fail] "i"(-HV_EIO)
			 : "memory");
	return err;
}

int xsetbv_safe(uint32_t xcr, uint64_t val)
{
	int err;

	__asm__ volatile("1:	xsetbv\n\t"
			 "xorl %[err], %[err]\n"
			 "2:\n\t"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3:	movl %[fail], %[err]\n\t"
			 "jmp 2b\n\t"
			 ".popsection\n\t" EXTABLE_ENTRY("1b", "3b")
			 : [err] "=&r"(err)
			 : "c"(xcr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32)), [fail] "i"(-HV_EIO)
			 : "memory");
	return err;
}
