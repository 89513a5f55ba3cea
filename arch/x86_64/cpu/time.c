// SPDX-License-Identifier: GPL-2.0-only
/*
 * TSC frequency. Where the machine states it, it is read and not measured:
 *  - tsc_khz=N on the command line (an override; trusted as given);
 *  - CPUID 0x15 (TSC/crystal ratio and crystal frequency; Intel SDM vol. 2A,
 *    CPUID leaf 15H) when it lists the crystal frequency;
 *  - the hypervisor timing leaf 0x40000010 (EAX = TSC kHz) when running nested;
 *  - AMD family 17h/19h: the P0 frequency in MSR C001_0064, at which the TSC
 *    counts when HWCR.TscFreqSel is set (AMD PPR for family 17h, MSRC001_0064).
 * Otherwise it is measured against the ACPI PM timer (3.579545 MHz, from the
 * FADT), in two steps: time_calibrate_start() takes the first sample and a
 * rough estimate from a few ticks, so that timeouts work; the caller starts
 * the APs meanwhile; time_calibrate_finish() takes the second sample once
 * the window is long enough for the error bound (TARGET_PPM) or reaches
 * MAX_WINDOW_US. Each sample is a timer tick edge bracketed by TSC reads, so
 * the error bound is known and logged. Without a PM timer: CPUID 0x16's
 * nominal base frequency, else 10 ms of the PIT.
 */
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"

#define PIT_HZ		 1193182u /* 8254 input clock */
#define PIT_CH2		 0x42
#define PIT_CMD		 0x43
#define PIT_GATE	 0x61 /* NMI status/control port: bit 0 gate, bit 5 OUT2 */
#define PIT_CALIB_MS	 10
#define PIT_SPIN_LIMIT	 100000000ULL
#define TSC_KHZ_FALLBACK 1000000 /* 1 GHz, only when nothing could be measured */

#define PM_HZ		3579545u /* ACPI PM timer */
#define PM_ROUGH_TICKS	36	 /* ~10 us: the estimate timeouts use until the finish */
#define PM_EDGE_SPINS	100000	 /* reads before a PM timer that does not count is given up */
#define TARGET_PPM	100	 /* error bound the measured window aims at */
#define MIN_WINDOW_US	100
#define MAX_WINDOW_US	20000
#define PM_WRAP_SAFE_MS 2000 /* re-take the first edge after this: 24 bits wrap at 4.7 s */

#define MSR_AMD_HWCR	   0xc0010015
#define HWCR_TSC_FREQ_SEL  (1ULL << 24)
#define MSR_AMD_PSTATE_DEF 0xc0010064 /* P-state 0 */

static uint64_t tsc_khz;
/* the TSC at hypervisor entry (cpu/cpu.h), set by the platform bring-up */
uint64_t boot_entry_cycles;
static const char *tsc_src = "none";

/* a PM timer tick edge: the counter value and the TSC window it happened in */
struct pm_edge {
	uint32_t pm;
	uint64_t t_lo, t_hi;
};

static struct {
	bool active;
	uint16_t port;
	uint32_t mask;
	struct pm_edge e0;
} cal;

static void cpu_signature(uint32_t *vendor_ebx, uint32_t *family, uint32_t *max_leaf)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, max_leaf, vendor_ebx, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	*family = (a >> 8) & 0xf;
	if (*family == 0xf)
		*family += (a >> 20) & 0xff;
}

static bool under_hypervisor(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (c >> 31) & 1;
}

#define VENDOR_INTEL 0x756e6547 /* "Genu" */
#define VENDOR_AMD   0x68747541 /* "Auth" */
#define VENDOR_HYGON 0x6f677948 /* "Hygo" */

static uint64_t khz_cpuid(const char **src)
{
	uint32_t a, b, c, d, max, vendor, family;

	cpu_signature(&vendor, &family, &max);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c) {
			*src = "CPUID 0x15";
			return (uint64_t)c * b / a / 1000;
		}
	}
	if (under_hypervisor()) {
		cpuid(0x40000000, 0, &max, &b, &c, &d);
		if (max >= 0x40000010 && max < 0x40000100) {
			cpuid(0x40000010, 0, &a, &b, &c, &d);
			if (a) {
				*src = "hypervisor CPUID 0x40000010";
				return a;
			}
		}
		return 0; /* MSRs below may not exist under a hypervisor */
	}
	if (vendor == VENDOR_AMD && (family == 0x17 || family == 0x19) &&
	    (rdmsr(MSR_AMD_HWCR) & HWCR_TSC_FREQ_SEL)) {
		uint64_t p0 = rdmsr(MSR_AMD_PSTATE_DEF);
		uint32_t fid = (uint32_t)(p0 & 0xff), dfs = (uint32_t)((p0 >> 8) & 0x3f);

		if ((p0 >> 63) && fid && dfs) {
			*src = "AMD P0 frequency (MSR C001_0064)";
			return 200000ULL * fid / dfs;
		}
	}
	return 0;
}

/*
 * CPUID 0x16's base frequency is nominal, and an emulator may state one its
 * TSC does not keep (Bochs's Skylake-X says 3500 MHz; its TSC counts at the
 * configured ips): used only when there is nothing to measure against.
 */
static uint64_t khz_cpuid16(void)
{
	uint32_t a, b, c, d, max;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max < 0x16)
		return 0;
	cpuid(0x16, 0, &a, &b, &c, &d);
	return (uint64_t)(a & 0xffff) * 1000;
}

static uint32_t pm_read(void)
{
	return inl(cal.port) & cal.mask;
}

/* Waits for the PM timer to tick; false when it does not count. */
static bool pm_wait_edge(struct pm_edge *e)
{
	uint64_t before = rdtsc();
	uint32_t p0 = pm_read();

	for (unsigned i = 0; i < PM_EDGE_SPINS; i++) {
		uint64_t t0 = rdtsc();
		uint32_t p = pm_read();
		uint64_t t1 = rdtsc();

		if (p != p0) {
			/* the tick came after the previous read began and before this one ended */
			e->pm = p;
			e->t_lo = before;
			e->t_hi = t1;
			return true;
		}
		before = t0;
	}
	return false;
}

static uint64_t edge_mid(const struct pm_edge *e)
{
	return e->t_lo + (e->t_hi - e->t_lo) / 2;
}

/* kHz between two edges, and the error bound in ppm (both edges' half-widths) */
static uint64_t pm_khz(const struct pm_edge *a, const struct pm_edge *b, uint64_t *ppm)
{
	uint64_t ticks = (b->pm - a->pm) & cal.mask;
	uint64_t dt = edge_mid(b) - edge_mid(a);
	uint64_t err = (a->t_hi - a->t_lo) / 2 + (b->t_hi - b->t_lo) / 2;

	if (!ticks || !dt)
		return 0;
	*ppm = err * 1000000 / dt;
	return dt * PM_HZ / ticks / 1000;
}

static uint64_t khz_pit(void)
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

static void report(const char *detail)
{
	pr_info("time: TSC %llu.%03llu MHz (%s%s)", (unsigned long long)(tsc_khz / 1000),
		(unsigned long long)(tsc_khz % 1000), tsc_src, detail);
}

void time_calibrate_start(uint64_t khz_override, uint32_t pm_port, bool pm_32bit)
{
	struct pm_edge rough;
	uint64_t ppm;

	cal.active = false;
	if (khz_override) {
		tsc_khz = khz_override;
		tsc_src = "tsc_khz= on the command line";
		report("");
		return;
	}
	tsc_khz = khz_cpuid(&tsc_src);
	if (tsc_khz) {
		report(", as the CPU states it");
		return;
	}
	if (pm_port) {
		cal.port = (uint16_t)pm_port;
		cal.mask = pm_32bit ? 0xffffffffu : 0xffffffu;
		if (pm_wait_edge(&cal.e0)) {
			/* a rough figure from a few ticks, for timeouts until the finish */
			do {
				if (!pm_wait_edge(&rough))
					break;
			} while (((rough.pm - cal.e0.pm) & cal.mask) < PM_ROUGH_TICKS);
			tsc_khz = pm_khz(&cal.e0, &rough, &ppm);
			if (tsc_khz) {
				tsc_src = "ACPI PM timer";
				cal.active = true;
				return;
			}
		}
		pr_warn("time: the ACPI PM timer at port 0x%x does not count; using the PIT",
			pm_port);
	}
	tsc_khz = khz_cpuid16();
	if (tsc_khz) {
		tsc_src = "CPUID 0x16 base frequency, nominal";
		report("");
		return;
	}
	tsc_src = "PIT, 10 ms";
	tsc_khz = khz_pit();
	if (!tsc_khz) {
		pr_warn("time: TSC frequency unknown (no CPUID 0x15, PIT did not count); assuming "
			"1 GHz");
		tsc_khz = TSC_KHZ_FALLBACK;
		tsc_src = "assumed";
		return;
	}
	report("");
}

void time_calibrate_finish(void)
{
	struct pm_edge e1;
	uint64_t khz = 0, ppm = ~0ULL, window_us = 0;
	char detail[64];

	if (!cal.active)
		return;
	cal.active = false;
	/* a 24-bit PM timer wraps after 4.7 s (CPUs that time out): start the window afresh */
	if ((rdtsc() - edge_mid(&cal.e0)) / tsc_khz > PM_WRAP_SAFE_MS && !pm_wait_edge(&cal.e0)) {
		report(", rough: the PM timer stopped");
		return;
	}
	for (;;) {
		/* the window needed for TARGET_PPM, if the end edge is as sharp as the start one */
		uint64_t w0 = cal.e0.t_hi - cal.e0.t_lo;
		uint64_t need = w0 * 1000000 / TARGET_PPM;
		uint64_t min = MIN_WINDOW_US * tsc_khz / 1000, max = MAX_WINDOW_US * tsc_khz / 1000;

		need = need < min ? min : need > max ? max : need;
		while (rdtsc() - edge_mid(&cal.e0) < need)
			cpu_pause();
		if (!pm_wait_edge(&e1))
			break;
		khz = pm_khz(&cal.e0, &e1, &ppm);
		window_us = (edge_mid(&e1) - edge_mid(&cal.e0)) * 1000 / (khz ? khz : tsc_khz);
		if (!khz || ppm <= TARGET_PPM || window_us >= MAX_WINDOW_US)
			break;
	}
	if (khz)
		tsc_khz = khz;
	snprintf(detail, sizeof(detail), ", %llu us window, +/- %llu ppm",
		 (unsigned long long)window_us, (unsigned long long)ppm);
	report(khz ? detail : ", rough: the second sample failed");
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
