// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Bulkhead hypercalls (include/bulkhead/hypercall.h): detection, console write, heartbeat. */
#include <stdint.h>

#include "bulkhead/hypercall.h"
#include "x86/cpu.h"
#include "x86/x86.h"

/* CPUID leaf 0 vendor strings, EBX:EDX:ECX. */
#define VENDOR_AMD_EBX	 0x68747541 /* "Auth" */
#define VENDOR_AMD_EDX	 0x69746e65 /* "enti" */
#define VENDOR_AMD_ECX	 0x444d4163 /* "cAMD" */
#define VENDOR_HYGON_EBX 0x6f677948 /* "Hygo" */

/* Decided once at boot: the wrong instruction raises #UD. */
static bool use_vmmcall;

void hypercall_init(void)
{
	struct cpuid_regs r = cpuid(0, 0);

	use_vmmcall = (r.ebx == VENDOR_AMD_EBX && r.edx == VENDOR_AMD_EDX &&
		       r.ecx == VENDOR_AMD_ECX) ||
		      r.ebx == VENDOR_HYGON_EBX;
}

bool bulkhead_cpuid_present(void)
{
	struct cpuid_regs r;

	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR))
		return false;
	r = cpuid(BH_CPUID_LEAF_BASE, 0);
	return r.ebx == BH_CPUID_SIG_EBX && r.ecx == BH_CPUID_SIG_ECX &&
	       r.edx == BH_CPUID_SIG_EDX && r.eax >= BH_CPUID_LEAF_INFO;
}

static long hypercall2(unsigned long nr, unsigned long a0, unsigned long a1)
{
	long ret;

	if (use_vmmcall)
		__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "memory");
	return ret;
}

long hypercall_console_write(const char *s, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		uint64_t chunk = len - done > BH_CONSOLE_WRITE_MAX ? BH_CONSOLE_WRITE_MAX
								   : len - done;
		long r = hypercall2(BH_HC_CONSOLE_WRITE, (uintptr_t)(s + done), chunk);

		if (r <= 0)
			return done ? (long)done : r;
		done += (uint64_t)r;
	}
	return (long)done;
}

long hypercall_heartbeat(uint64_t count)
{
	return hypercall2(BH_HC_HEARTBEAT, count, 0);
}
