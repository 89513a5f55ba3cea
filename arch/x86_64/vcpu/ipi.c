// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPIs, NMIs and INIT/SIPI inside a partition, and the hypervisor's own
 * signals to a partition's CPUs (kicks, wake-ups, the stop NMI). The
 * decision is the pure vipi_decide() (vcpu/vipi.c); this file delivers it.
 * Every hypervisor IPI goes through apic_ipi(), which retries and reports:
 * a stop or a kick that was not delivered is never silently lost.
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "vcpu/vcpu.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

static uint32_t apic_of(const struct vcpu *t)
{
	return percpu[t->part->cpus[t->index]].apic_id;
}

void vcpu_kick(struct vcpu *self, struct vcpu *t, enum vcpu_kick why)
{
	__atomic_store_n(&t->kick, why, __ATOMIC_RELEASE);
	if (t == self)
		return; /* its exit loop sees the kick */
	if (__atomic_load_n(&t->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING)
		/* leave the guest through an NMI the hypervisor takes as a kick */
		apic_ipi(apic_of(t), ICR_NMI, "kick NMI");
	else
		apic_ipi(apic_of(t), VEC_WAKE, "kick wake-up");
}

void vcpu_vdev_part(const struct partition *p, struct vdev_part *out)
{
	const struct x86_part *xp = p->arch;

	out->count = p->cpu_count < PART_CPUS_MAX ? p->cpu_count : PART_CPUS_MAX;
	out->linux_root = xp->sipi_aps;
	for (uint32_t i = 0; i < out->count; i++) {
		const struct vcpu *t = xp->vcpus[i];

		out->cpu[i].present = t != NULL;
		out->cpu[i].apic_id = (uint32_t)p->hw_ids[i];
		out->cpu[i].ldr = t ? t->xapic_ldr : 0;
		out->cpu[i].dfr = t ? t->xapic_dfr : 0xffffffff;
	}
}

/* INIT and start-up IPIs to the partition's own APs: the AP's start state, never the hardware. */
static void emulate_init_sipi(struct vcpu *v, uint32_t t, const struct vipi *d)
{
	struct vcpu *ap = v->xp->vcpus[t];
	uint32_t st = __atomic_load_n(&ap->start, __ATOMIC_ACQUIRE);

	if (d->kind == VIPI_INIT) {
		if (st == VCPU_START_RUNNING)
			vcpu_kick(v, ap, VCPU_KICK_INIT);
		else if (st != VCPU_START_BOOT)
			__atomic_store_n(&ap->start, VCPU_START_WAIT_SIPI, __ATOMIC_RELEASE);
		return;
	}
	/* a start-up IPI only counts while the AP waits for one (Intel SDM vol. 3A 8.4.4) */
	if (st == VCPU_START_WAIT_SIPI) {
		ap->sipi_vector = d->vector;
		__atomic_store_n(&ap->start, VCPU_START_SIPI, __ATOMIC_RELEASE);
		apic_ipi(apic_of(ap), VEC_WAKE, "start-up wake-up");
	}
}

/*
 * NMIs never reach a partition CPU as real NMIs (the hypervisor takes those
 * as its stop signal): the target is made to leave the guest and gets the
 * NMI injected at its next entry.
 */
static void inject_nmi(struct vcpu *v, struct vcpu *t)
{
	__atomic_store_n(&t->nmi_pending, 1, __ATOMIC_RELEASE);
	if (t != v && __atomic_load_n(&t->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING)
		apic_ipi(apic_of(t), ICR_NMI, "NMI kick");
}

int vcpu_send_ipi(struct vcpu *v, uint64_t icr, char *why, size_t why_len)
{
	struct partition *p = v->part;
	struct vdev_part vp;
	struct vipi d;

	vcpu_vdev_part(p, &vp);
	if (!vipi_decide(&vp, v->index, v->x2apic, icr, &d)) {
		snprintf(why, why_len, "forbidden %s (ICR 0x%llx)", d.why, (unsigned long long)icr);
		return -HV_EPERM;
	}
	for (uint32_t i = 0; i < vp.count; i++) {
		if (!(d.targets & (1u << i)) || !v->xp->vcpus[i])
			continue;
		switch (d.kind) {
		case VIPI_PHYS:
			/* the guest's own IPI: a failure is what its APIC would show, not ours */
			apic_ipi(vp.cpu[i].apic_id, d.low, "partition IPI");
			break;
		case VIPI_NMI:
			inject_nmi(v, v->xp->vcpus[i]);
			break;
		case VIPI_INIT:
		case VIPI_SIPI:
			emulate_init_sipi(v, i, &d);
			break;
		default:
			break; /* INIT de-assert: nothing on a modern APIC */
		}
	}
	return 0;
}

void arch_part_stop_cpus(struct partition *p)
{
	cpu_id_t self = arch_cpu_id();

	for (uint32_t i = 0; i < p->cpu_count; i++) {
		if (p->cpus[i] == self)
			continue;
		if (apic_ipi(percpu[p->cpus[i]].apic_id, ICR_NMI, "stop NMI") < 0)
			pr_err("partition \"%s\": cpu%u did not get the stop NMI: it may keep "
			       "running until its next VM exit",
			       p->name, p->cpus[i]);
	}
}
