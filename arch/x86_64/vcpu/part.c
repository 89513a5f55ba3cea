// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 side of a partition's creation: stage-2 tables, the intercept
 * bitmaps (vcpu/intercept.c) and, for a documented 64-bit start, the guest
 * page tables and flat GDT in the reserved area of its lowest RAM region.
 */
#include <bulkhead/table.h>

#include "vcpu/vcpu.h"
#include "core/arch.h"
#include "core/guest_load.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

#define GUEST_PT_OFF  0x1000 /* inside the reserved first 64 KiB of the lowest RAM region */
#define GUEST_GDT_OFF 0x7000
#define GUEST_CS      0x08
#define GUEST_DS      0x10

#define DEBUGCON_PORT 0xe9 /* the Bochs/QEMU "debugcon" port */

static uint32_t next_asid = 1;

/*
 * A partition with a virtual console may also write it one byte at a time
 * through port 0xE9, as the Bochs and QEMU debug console ports do: no
 * hypercall ABI needed (early boot code, a port-I/O-only guest). Reads
 * return 0xE9, the presence signature those emulators give; NUL bytes are
 * dropped. Only when the table does not grant the port itself.
 */
static int debugcon_port(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val)
{
	(void)port;
	if (in) {
		*val = DEBUGCON_PORT;
		return 0;
	}
	for (unsigned i = 0; i < size; i++) {
		char c = (char)(*val >> (8 * i));

		if (c)
			part_console_write(v->part, &c, 1);
	}
	return 0;
}

int vcpu_part_create(struct partition *p, struct x86_part **out)
{
	struct x86_part *xp;
	int rc;

	if (!vcpu_backend) {
		pr_err("partition \"%s\": no usable virtualization back end", p->name);
		return -HV_ENODEV;
	}
	xp = (struct x86_part *)(uintptr_t)palloc_alloc(1, 1);
	if (!xp)
		return -HV_ENOMEM;
	p->arch = xp;
	xp->asid = next_asid++;
	xp->cs = GUEST_CS;
	xp->ds = GUEST_DS;
	rc = stage2_build(p);
	if (rc == 0)
		rc = vcpu_intercepts_init(p, xp);
	if (rc == 0 && (p->flags & BH_PART_VIRTUAL_CONSOLE))
		rc = vcpu_emul_port(xp, DEBUGCON_PORT, 1, debugcon_port);
	*out = xp;
	return rc;
}

/* Identity map of guest-physical 0-4 GiB and a flat GDT in the reserved area. */
static int build_boot64(struct partition *p, struct x86_part *xp)
{
	gpa_t base = guest_info_gpa(p);
	uint64_t *gdt = gmem_ptr(p, base + GUEST_GDT_OFF, GUEST_GDT_ENTRIES * 8, true);
	gpa_t pml4 = base + GUEST_PT_OFF;

	if (!gdt || guest_identity_map(p, pml4) < 0)
		return -HV_ENOSPC;
	guest_flat_gdt(gdt);
	xp->cr3 = pml4;
	xp->gdt = base + GUEST_GDT_OFF;
	return 0;
}

int arch_part_create(struct partition *p, uint64_t entry)
{
	struct x86_part *xp;
	int rc = vcpu_part_create(p, &xp);

	if (rc < 0)
		return rc;
	xp->entry = entry;
	return build_boot64(p, xp);
}
