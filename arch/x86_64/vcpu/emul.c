// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registration of partition-specific emulation: port and MMIO ranges with
 * their handlers, looked up by the generic exit handlers (vcpu/exits.c).
 * The vCPU layer never names what registers (the Linux root's PC in root/);
 * ranges are registered while the partition is built, before it runs, and
 * the first registered range that covers an address wins.
 */
#include "vcpu/vcpu.h"
#include "core/errno.h"

int vcpu_emul_port(struct x86_part *xp, uint16_t base, uint32_t count,
		   int (*fn)(struct vcpu *, uint16_t, unsigned, bool, uint32_t *))
{
	struct vcpu_emul *em = &xp->emul;

	if (!fn || count == 0 || base + (uint64_t)count > 0x10000)
		return -HV_EINVAL;
	for (unsigned i = 0; i < em->n_port; i++)
		if (em->port[i].base == base && em->port[i].count == count && em->port[i].fn == fn)
			return 0; /* a restart registers again */
	if (em->n_port == VCPU_EMUL_RANGES)
		return -HV_ENOSPC;
	em->port[em->n_port++] = (struct vcpu_port_range){ base, count, fn };
	return 0;
}

int vcpu_emul_mmio(struct x86_part *xp, uint64_t base, uint64_t size,
		   int (*fn)(struct vcpu *, uint64_t, unsigned, bool, uint64_t *))
{
	struct vcpu_emul *em = &xp->emul;

	if (!fn || size == 0 || base + size - 1 < base)
		return -HV_EINVAL;
	for (unsigned i = 0; i < em->n_mmio; i++)
		if (em->mmio[i].base == base && em->mmio[i].size == size && em->mmio[i].fn == fn)
			return 0;
	if (em->n_mmio == VCPU_EMUL_RANGES)
		return -HV_ENOSPC;
	em->mmio[em->n_mmio++] = (struct vcpu_mmio_range){ base, size, fn };
	return 0;
}

const struct vcpu_port_range *vcpu_emul_find_port(const struct x86_part *xp, uint16_t port)
{
	for (unsigned i = 0; i < xp->emul.n_port; i++) {
		const struct vcpu_port_range *r = &xp->emul.port[i];

		if (port >= r->base && (uint32_t)(port - r->base) < r->count)
			return r;
	}
	return NULL;
}

const struct vcpu_mmio_range *vcpu_emul_find_mmio(const struct x86_part *xp, uint64_t gpa)
{
	for (unsigned i = 0; i < xp->emul.n_mmio; i++) {
		const struct vcpu_mmio_range *r = &xp->emul.mmio[i];

		if (gpa >= r->base && gpa - r->base < r->size)
			return r;
	}
	return NULL;
}
