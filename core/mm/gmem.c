// SPDX-License-Identifier: GPL-2.0-only
/* Guest memory access: turns a partition's guest-physical ranges into host pointers, checked. */
#include "core/lib.h"
#include "core/partition.h"
#include "core/scrub.h"
#include "core/errno.h"
#include "bulkhead/table.h"

const struct part_region *part_region_of(const struct partition *p, gpa_t gpa)
{
	uint32_t n = MIN(p->region_count, (uint32_t)PART_REGIONS_MAX);

	for (uint32_t i = 0; i < n; i++) {
		const struct part_region *r = &p->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

void *gmem_ptr(const struct partition *p, gpa_t gpa, uint64_t len, bool write)
{
	const struct part_region *r;
	uint64_t off;

	/* a range that reaches the very top of the address space counts as wrapping */
	if (len == 0 || gpa + len <= gpa)
		return NULL;
	r = part_region_of(p, gpa);
	if (!r)
		return NULL;
	/* device memory has side effects on access: the hypervisor never touches it for a guest */
	if (r->flags & BH_MEM_IO)
		return NULL;
	if (write ? !(r->flags & BH_MEM_WRITE) : !(r->flags & BH_MEM_READ))
		return NULL;
	off = gpa - r->gpa;
	/* all in this one region: regions adjacent in guest space need not be in host space */
	if (len > r->size - off)
		return NULL;
	/* RAM the guest has not touched yet is zeroed before the hypervisor touches it for it */
	if (p->scrub)
		part_scrub_range(p, gpa, len);
	return (void *)(uintptr_t)(r->hpa + off);
}

int gmem_read(const struct partition *p, gpa_t gpa, void *dst, uint64_t len)
{
	const void *src = gmem_ptr(p, gpa, len, false);

	if (!src)
		return -HV_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int gmem_write(const struct partition *p, gpa_t gpa, const void *src, uint64_t len)
{
	void *dst = gmem_ptr(p, gpa, len, true);

	if (!dst)
		return -HV_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

bool part_owns_irq(const struct partition *p, uint64_t chip_base, uint32_t line)
{
	uint32_t n = MIN(p->irq_count, (uint32_t)PART_IRQS_MAX);

	for (uint32_t i = 0; i < n; i++) {
		const struct part_irq *r = &p->irqs[i];

		if (r->chip_base == chip_base && line >= r->first && line - r->first < r->count)
			return true;
	}
	return false;
}
