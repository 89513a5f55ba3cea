// SPDX-License-Identifier: GPL-2.0-only
/* Local APIC access in x2APIC (MSR) or xAPIC (MMIO) mode, and IPI sending. */
#include "cpu/percpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/errno.h"
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"

/* Intel SDM vol. 3A, 11.4.4 and 11.12 */
#define APIC_BASE_BSP	    (1ULL << 8)
#define APIC_BASE_EXTD	    (1ULL << 10)
#define APIC_BASE_EN	    (1ULL << 11)
#define APIC_BASE_ADDR_MASK 0xffffff000ULL
#define SVR_ENABLE	    0x100
#define SVR_SPURIOUS_VEC    0xff
#define ICR_BUSY	    (1u << 12)
#define ICR_SPIN_LIMIT	    10000000u

static uint64_t xapic_base = APIC_DEFAULT_BASE;

void apic_init_cpu(bool allow_x2apic)
{
	uint32_t a, b, c, d;
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if ((c & CPUID1_ECX_X2APIC) && (allow_x2apic || (base & APIC_BASE_EXTD))) {
		if (!(base & APIC_BASE_EXTD))
			wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD);
		this_cpu()->x2apic = true;
		wrmsr(X2APIC_MSR_SVR, SVR_ENABLE | SVR_SPURIOUS_VEC);
	} else {
		this_cpu()->x2apic = false;
		xapic_base = base & APIC_BASE_ADDR_MASK;
		mmio_write32(xapic_base + XAPIC_SVR, SVR_ENABLE | SVR_SPURIOUS_VEC);
		/*
		 * The logical ID is the hypervisor's, and no one's: flat model,
		 * logical ID 0 matches no logical destination. A guest's LDR and
		 * DFR are virtual (vcpu/vapic.c).
		 */
		mmio_write32(xapic_base + XAPIC_DFR, 0xffffffffu);
		mmio_write32(xapic_base + XAPIC_LDR, 0);
	}
}

bool apic_x2apic_mode(void)
{
	return this_cpu()->x2apic;
}

uint32_t apic_read_id(void)
{
	if (this_cpu()->x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_ID);
	return (uint32_t)mmio_read32(xapic_base + XAPIC_ID) >> 24;
}

int apic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	unsigned spins = 0;

	if (this_cpu()->x2apic) {
		wrmsr(X2APIC_MSR_ICR, ((uint64_t)apic_id << 32) | icr_low);
		return 0;
	}
	if (apic_id > 0xff)
		return -HV_EINVAL;
	while (mmio_read32(xapic_base + XAPIC_ICR_LO) & ICR_BUSY)
		if (++spins > ICR_SPIN_LIMIT)
			return -HV_ETIMEDOUT;
	mmio_write32(xapic_base + XAPIC_ICR_HI, apic_id << 24);
	mmio_write32(xapic_base + XAPIC_ICR_LO, icr_low);
	spins = 0;
	while (mmio_read32(xapic_base + XAPIC_ICR_LO) & ICR_BUSY)
		if (++spins > ICR_SPIN_LIMIT)
			return -HV_ETIMEDOUT;
	return 0;
}

int apic_ipi(uint32_t apic_id, uint32_t icr_low, const char *what)
{
	int rc = -HV_EINVAL;

	for (unsigned attempt = 0; attempt < IPI_ATTEMPTS; attempt++) {
		rc = apic_send_ipi(apic_id, icr_low);
		if (rc != -HV_ETIMEDOUT)
			break;
	}
	if (rc < 0)
		pr_err("apic: %s (ICR 0x%x) to APIC ID %u not delivered: %s", what, icr_low,
		       apic_id, rc == -HV_ETIMEDOUT ? "the APIC stayed busy" : "no such xAPIC ID");
	return rc;
}

void apic_eoi(void)
{
	if (this_cpu()->x2apic)
		wrmsr(X2APIC_MSR_EOI, 0);
	else
		mmio_write32(xapic_base + XAPIC_EOI, 0);
}

/* registers by xAPIC offset; the x2APIC MSR is 0x800 + offset / 16 (SDM vol. 3A, 11.12.1.2) */
static uint32_t apic_reg_read(uint32_t off)
{
	if (this_cpu()->x2apic)
		return (uint32_t)rdmsr(0x800 + off / 16);
	return mmio_read32(xapic_base + off);
}

static void apic_reg_write(uint32_t off, uint32_t val)
{
	if (this_cpu()->x2apic)
		wrmsr(0x800 + off / 16, val);
	else
		mmio_write32(xapic_base + off, val);
}

#define APIC_ISR0     0x100
#define APIC_EOIS_MAX 256

void apic_reset_for_guest(void)
{
	unsigned eois = 0;

	/* timer, thermal, performance, LINT0, LINT1, error */
	for (uint32_t off = XAPIC_LVT_TIMER; off <= XAPIC_LVT_ERROR; off += 0x10)
		apic_reg_write(off, APIC_LVT_MASKED);
	apic_reg_write(XAPIC_TMICT, 0);
	apic_reg_write(XAPIC_TPR, 0);
	apic_reg_write(XAPIC_SVR, SVR_ENABLE | SVR_SPURIOUS_VEC);
	/* end whatever the previous guest left in service */
	for (uint32_t i = 0; i < 8 && eois < APIC_EOIS_MAX; i++) {
		while (apic_reg_read(APIC_ISR0 + i * 0x10) && eois < APIC_EOIS_MAX) {
			apic_eoi();
			eois++;
		}
	}
}

/*
 * CPUs whose APIC stays in xAPIC mode: a Linux root's. Without interrupt
 * remapping Linux turns a firmware-enabled x2APIC off, so its CPUs keep the
 * xAPIC (trapped and emulated); every other CPU may use x2APIC.
 */
static uint64_t xapic_cpus[16];
static unsigned xapic_cpu_count;

void arch_prefer_xapic(const uint64_t *hw_ids, unsigned n)
{
	xapic_cpu_count = MIN(n, (unsigned)ARRAY_SIZE(xapic_cpus));
	for (unsigned i = 0; i < xapic_cpu_count; i++)
		xapic_cpus[i] = hw_ids[i];
}

bool apic_cpu_x2apic(bool allowed, uint32_t apic_id)
{
	for (unsigned i = 0; i < xapic_cpu_count; i++)
		if (xapic_cpus[i] == apic_id)
			return false;
	return allowed;
}
