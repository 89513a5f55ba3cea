// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared intercept policy, written into the back end's bitmap format
 * through its operations: which MSRs every partition reaches directly,
 * which it may only read, and the I/O ports its table grants. Everything
 * else is intercepted (vcpu/exits.c decides).
 */
#include "vcpu/vcpu.h"
#include "core/errno.h"
#include "core/lib.h"

/* x2APIC MSRs 0x800-0x8ff, except ICR and LVT writes: the partition's own LAPIC. */

static const uint32_t msr_passthrough[] = {
	0x6e0,	    /* IA32_TSC_DEADLINE */
	0x174,	    /* SYSENTER_CS */
	0x175,	    /* SYSENTER_ESP */
	0x176,	    /* SYSENTER_EIP */
	0x277,	    /* PAT: the back end keeps the guest's PAT apart from the host's */
	0xc0000081, /* STAR */
	0xc0000082, /* LSTAR */
	0xc0000083, /* CSTAR */
	0xc0000084, /* SFMASK */
	0xc0000100, /* FS_BASE */
	0xc0000101, /* GS_BASE */
	0xc0000102, /* KERNEL_GS_BASE */
	0xc0000103, /* TSC_AUX */
};

/* read passthrough, write intercepted */
static const uint32_t msr_read_only[] = {
	0x10, /* TSC */
	0x1b, /* APIC_BASE */
	0xe7, /* MPERF and APERF: this CPU's own counts (Linux reads them every tick */
	0xe8, /* where CPUID.6 reports them: frequency invariance) */
};

int vcpu_intercepts_init(struct partition *p, struct x86_part *xp)
{
	const struct vcpu_ops *o = vcpu_backend;
	int rc = o->part_init(xp);

	if (rc < 0)
		return rc;
	for (uint32_t m = X2APIC_MSR_FIRST; m <= X2APIC_MSR_LAST; m++)
		o->msr_intercept(xp, m, true, m != X2APIC_MSR_ICR, false);
	/* LVT entries: checked on write (vcpu/lvt.c); set up once, no steady-state exit */
	for (uint32_t m = X2APIC_MSR_FIRST; m <= X2APIC_MSR_LAST; m++)
		if (vapic_lvt_reg((m - X2APIC_MSR_FIRST) << 4))
			o->msr_intercept(xp, m, false, true, true);
	for (size_t i = 0; i < ARRAY_SIZE(msr_passthrough); i++)
		o->msr_intercept(xp, msr_passthrough[i], true, true, false);
	for (size_t i = 0; i < ARRAY_SIZE(msr_read_only); i++)
		o->msr_intercept(xp, msr_read_only[i], true, false, false);
	for (uint32_t i = 0; i < p->pio_count; i++) {
		uint32_t base = p->pio[i].base, end = MIN(base + p->pio[i].size, 0x10000u);

		if (base < end)
			o->io_intercept(xp, (uint16_t)base, end - base, false);
	}
	return 0;
}

void vcpu_trap_ports(struct x86_part *xp, uint16_t port, unsigned n)
{
	vcpu_backend->io_intercept(xp, port, n, true);
}
