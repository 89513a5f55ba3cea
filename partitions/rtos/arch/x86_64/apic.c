// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The local APIC and its timer, in x2APIC mode (MSRs, which Bulkhead passes
 * through on RTOS cores) or xAPIC mode (MMIO), with the timer in
 * TSC-deadline mode or in one-shot mode calibrated against the TSC.
 */
#include <stdint.h>

#include "rtos/arch.h"
#include "rtos/boot.h"
#include "rtos/clock.h"
#include "rtos/console.h"
#include "rtos/fmt.h"
#include "rtos/sched.h"
#include "x86/cpu.h"
#include "x86/x86.h"

/* xAPIC register offsets; the x2APIC MSR is 0x800 + offset / 16 (SDM Vol. 3A 11.12.1.2). */
#define APIC_ID	       0x20
#define APIC_TPR       0x80
#define APIC_EOI       0xb0
#define APIC_SVR       0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_TMICT     0x380 /* timer initial count */
#define APIC_TMCCT     0x390 /* timer current count */
#define APIC_TDCR      0x3e0 /* timer divide configuration */

#define SVR_APIC_ENABLE	       0x100
#define LVT_MASKED	       (1u << 16)
#define LVT_TIMER_TSC_DEADLINE (2u << 17) /* SDM Vol. 3A 11.5.1, Figure 11-8 */
#define TDCR_DIVIDE_1	       0xb
#define XAPIC_ID_SHIFT	       24
#define COUNT_MAX	       0xffffffffull

/* Long enough that a few microseconds of read-out skew stay below 1e-4. */
#define CALIBRATE_MS	25
#define CALIBRATE_TRIES 3
#define FOUR_GIB	(1ull << 32)

static bool x2apic;
static volatile uint32_t *mmio;
static uint64_t mmio_phys;
static bool deadline_mode;
static uint64_t apic_per_tsc;  /* APIC timer ticks per TSC tick, 32.32 fixed point */
static uint64_t max_delta_tsc; /* the longest span one initial count can cover */

static uint32_t apic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

bool apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	x2apic = (cpuid(1, 0).ecx & CPUID1_ECX_X2APIC) || (base & APIC_BASE_EXTD);
	if (x2apic) {
		/* x2APIC is entered from xAPIC mode: EN before EXTD (SDM Vol. 3A 11.12.5). */
		if (!(base & APIC_BASE_EN)) {
			base |= APIC_BASE_EN;
			wrmsr(MSR_APIC_BASE, base);
		}
		if (!(base & APIC_BASE_EXTD))
			wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
	} else {
		if (!(base & APIC_BASE_EN))
			wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
		mmio_phys = base & APIC_BASE_ADDR_MASK;
		if (mmio_phys >= FOUR_GIB) {
			console_printf(
				"rtos %s: ERROR: xAPIC at 0x%llx is above the 4 GiB identity "
				"map\n",
				rtos_name(), (unsigned long long)mmio_phys);
			return false;
		}
		mmio = (volatile uint32_t *)(uintptr_t)mmio_phys;
	}
	apic_write(APIC_SVR, SVR_APIC_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_TPR, 0);
	/*
	 * Firmware leaves LINT0 in ExtINT mode for the 8259s, whose IRQ 0 sits
	 * on vector 8 (#DF) until remapped. Nothing of theirs is wanted, under
	 * Bulkhead either: the hypervisor owns the legacy PICs.
	 */
	apic_write(APIC_LVT_LINT0, LVT_MASKED);
	return true;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2apic ? id : id >> XAPIC_ID_SHIFT;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/*
 * Measures the APIC timer rate against the TSC with the timer masked. Each
 * end of the window is bracketed by two TSC reads; a try whose brackets are
 * widest (a preempted vCPU, an emulator hiccup) is the least trusted, so the
 * tightest of a few tries wins.
 */
static int calibrate(void)
{
	uint64_t window = x86_tsc_khz * CALIBRATE_MS, best_slop = UINT64_MAX;
	uint64_t best_ticks = 0, best_span = 0;

	for (int t = 0; t < CALIBRATE_TRIES; t++) {
		uint64_t s0, s1, e0, e1, ticks, slop;
		uint32_t left;

		apic_write(APIC_LVT_TIMER, VEC_TIMER | LVT_MASKED);
		s0 = rdtsc();
		apic_write(APIC_TMICT, (uint32_t)COUNT_MAX);
		s1 = rdtsc();
		while (rdtsc() - s1 < window)
			cpu_pause();
		e0 = rdtsc();
		left = apic_read(APIC_TMCCT);
		e1 = rdtsc();
		apic_write(APIC_TMICT, 0);
		ticks = COUNT_MAX - left;
		if (left == 0 || ticks == 0) {
			console_printf("rtos %s: ERROR: APIC timer %s during calibration (current "
				       "count 0x%x)\n",
				       rtos_name(), left ? "did not count" : "ran out",
				       (unsigned)left);
			return -1;
		}
		slop = (s1 - s0) + (e1 - e0);
		if (slop < best_slop) {
			best_slop = slop;
			best_ticks = ticks;
			best_span = (e0 + (e1 - e0) / 2) - (s0 + (s1 - s0) / 2);
		}
	}
	apic_per_tsc = (best_ticks << 32) / best_span;
	if (apic_per_tsc == 0) {
		console_printf("rtos %s: ERROR: APIC timer too slow (%llu ticks in %u ms)\n",
			       rtos_name(), (unsigned long long)best_ticks, CALIBRATE_MS);
		return -1;
	}
	max_delta_tsc = (COUNT_MAX << 32) / apic_per_tsc;
	return 0;
}

int arch_timer_init(enum rtos_timer_pref pref, struct arch_timer_info *info)
{
	bool has_deadline = cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE;
	char where[40];

	if (x2apic)
		rtos_snprintf(where, sizeof(where), "x2APIC");
	else
		rtos_snprintf(where, sizeof(where), "xAPIC at 0x%llx",
			      (unsigned long long)mmio_phys);
	if (pref == RTOS_TIMER_DEADLINE && !has_deadline)
		console_printf("rtos %s: WARN: timer=deadline: the CPU has no TSC-deadline timer "
			       "(CPUID.1:ECX[24] clear), using one-shot\n",
			       rtos_name());
	apic_write(APIC_TDCR, TDCR_DIVIDE_1);
	if (has_deadline && pref != RTOS_TIMER_ONESHOT) {
		apic_write(APIC_LVT_TIMER, VEC_TIMER | LVT_TIMER_TSC_DEADLINE);
		/* Order the LVT write before any deadline write (SDM Vol. 3A 11.5.4.1). */
		__asm__ volatile("mfence; lfence" : : : "memory");
		wrmsr(MSR_TSC_DEADLINE, 0);
		deadline_mode = true;
		info->mode = "tsc-deadline";
		rtos_snprintf(info->detail, sizeof(info->detail),
			      "%s, timer vector 0x%x in TSC-deadline mode", where, VEC_TIMER);
		return 0;
	}
	if (calibrate())
		return -1;
	apic_write(APIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
	{
		uint64_t khz = mul_shr32(x86_tsc_khz, apic_per_tsc);

		info->mode = "one-shot";
		rtos_snprintf(info->detail, sizeof(info->detail),
			      "%s, timer vector 0x%x one-shot at %llu.%03llu MHz (divide 1, "
			      "best of %u x %u ms)",
			      where, VEC_TIMER, (unsigned long long)(khz / 1000),
			      (unsigned long long)(khz % 1000), CALIBRATE_TRIES, CALIBRATE_MS);
	}
	return 0;
}

void arch_timer_arm(uint64_t deadline)
{
	uint64_t now, delta, count;

	if (deadline_mode) {
		/* 0 would disarm it instead (SDM Vol. 3A 11.5.4.1). */
		wrmsr(MSR_TSC_DEADLINE, deadline ? deadline : 1);
		return;
	}
	now = rdtsc();
	count = 1;
	if (deadline > now) {
		delta = deadline - now;
		/* Round up: firing a tick late is measured; firing early costs a second interrupt. */
		count = delta >= max_delta_tsc ? COUNT_MAX : mul_shr32(delta, apic_per_tsc) + 1;
		if (count > COUNT_MAX)
			count = COUNT_MAX;
	}
	apic_write(APIC_TMICT, (uint32_t)count);
}

void arch_timer_disarm(void)
{
	if (deadline_mode)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		apic_write(APIC_TMICT, 0);
}

void x86_timer_interrupt(uint64_t entry_tsc)
{
	apic_eoi();
	sched_timer_irq(entry_tsc);
}
