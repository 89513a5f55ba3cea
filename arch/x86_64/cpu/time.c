// SPDX-License-Identifier: GPL-2.0-only
/* TSC frequency: from CPUID leaf 0x15/0x16 when the CPU reports it, else measured against the PIT. */
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/log.h"

#define PIT_HZ		 1193182u /* 8254 input clock */
#define PIT_CH2		 0x42
#define PIT_CMD		 0x43
#define PIT_GATE	 0x61 /* NMI status/control port: bit 0 gate, bit 5 OUT2 */
#define PIT_CALIB_MS	 10
#define PIT_SPIN_LIMIT	 100000000ULL
#define TSC_KHZ_FALLBACK 1000000 /* 1 GHz, only when nothing could be measured */

static uint64_t tsc_khz;

static uint64_t tsc_khz_cpuid(void)
{
	uint32_t a, b, c, d, max;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (uint64_t)c * b / a / 1000;
	}
	return 0;
}

static uint64_t tsc_khz_pit(void)
{
	uint32_t count = PIT_HZ / (1000 / PIT_CALIB_MS);
	uint64_t t0, t1, spins = 0;

	outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02) | 0x01));
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		if (++spins > PIT_SPIN_LIMIT)
			return 0;
	t1 = rdtsc();
	return (t1 - t0) / PIT_CALIB_MS;
}

void time_calibrate(void)
{
	const char *src = "CPUID 0x15";

	tsc_khz = tsc_khz_cpuid();
	if (!tsc_khz) {
		src = "PIT";
		tsc_khz = tsc_khz_pit();
	}
	if (!tsc_khz) {
		pr_warn("time: TSC frequency unknown (no CPUID 0x15, PIT did not count); assuming "
			"1 GHz");
		tsc_khz = TSC_KHZ_FALLBACK;
		return;
	}
	pr_info("time: TSC %llu.%03llu MHz (%s)", (unsigned long long)(tsc_khz / 1000),
		(unsigned long long)(tsc_khz % 1000), src);
}

uint64_t time_tsc_khz(void)
{
	return tsc_khz;
}

uint64_t tsc_to_us(uint64_t cycles)
{
	return tsc_khz ? cycles * 1000 / tsc_khz : 0;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * (tsc_khz ? tsc_khz : TSC_KHZ_FALLBACK) / 1000;

	while (rdtsc() < end)
		cpu_pause();
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_cycles_khz(void)
{
	return tsc_khz;
}
