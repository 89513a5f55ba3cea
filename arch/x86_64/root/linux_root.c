// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading Linux as the root partition (x86 boot protocol, 64-bit entry):
 * places kernel, initrd, command line, a copy of the RSDP, page tables and a
 * GDT in root RAM (arch/x86_64/linux_boot.c), builds the zero page with the
 * root's own e820, and sets the start state the protocol asks for: long
 * mode, identity map, CS = __BOOT_CS (0x10), DS = __BOOT_DS (0x18),
 * RSI = the zero page, RIP = kernel + 0x200.
 */
#include <bulkhead/table.h>

#include "platform/acpi.h"
#include "platform/platform.h"
#include "root/linux_boot.h"
#include "arch/x86_defs.h"
#include "root/madt_patch.h"
#include "root/root.h"
#include "vcpu/vcpu.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/le.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/partition.h"

#define LINUX_BOOT_CS  0x10
#define LINUX_BOOT_DS  0x18
#define RSDP_COPY_SIZE 4096
#define ACPI_HDR_LEN   36
#define ACPI_ALIGN     16
#define RSDP_SLOT      64 /* the RSDP copy's slot at the start of the ACPI block */
#define ROOT_TABLE_MAX (ACPI_HDR_LEN + 8 * ACPI_MAX_TABLES)
#define MADT_COPY_MAX  (16u << 10)
#define FADT_COPY_MAX  1024

/*
 * The root's own RSDP, XSDT/RSDT and a MADT that lists only its CPUs, so
 * Linux brings up exactly the root's processors (docs/linux-root.md).
 * Built before placement (for the size) and finished once the block's
 * address is known.
 */
struct root_acpi {
	uint8_t madt[MADT_COPY_MAX];
	size_t madt_len;
	uint8_t fadt[FADT_COPY_MAX]; /* with physical APIC destinations asked for */
	size_t fadt_len;	     /* 0: no FADT (the root's tables name none) */
	uint8_t xsdt[ROOT_TABLE_MAX], rsdt[ROOT_TABLE_MAX];
	/*
	 * The firmware's XSDT and RSDT as they were at boot: they lie in RAM the
	 * root may write, and a restart must not build the root's tables from
	 * what the previous root left there.
	 */
	uint8_t xsdt_src[ROOT_TABLE_MAX], rsdt_src[ROOT_TABLE_MAX];
	struct acpi_root_in in;
	size_t size; /* bytes of the block: RSDP slot, XSDT, RSDT, MADT, FADT */
	bool ready;  /* prepared once, at the first boot; a restart reuses it */
};

static const void *table_at(uint64_t phys, size_t *len)
{
	const uint8_t *t = (const uint8_t *)(uintptr_t)phys;

	if (!phys || phys + ACPI_HDR_LEN > paging_mapped_top())
		return NULL;
	*len = le_get32(t + 4);
	if (*len < ACPI_HDR_LEN || *len > ROOT_TABLE_MAX || phys + *len > paging_mapped_top())
		return NULL;
	return t;
}

/* 0 and ra->size > 0: the patched copies are ready; 0 and size 0: no ACPI for the root */
static int root_acpi_prepare(const struct partition *p, const struct linux_image *li,
			     struct root_acpi *ra)
{
	const struct acpi_info *ai = platform_acpi();
	uint64_t ids[PART_CPUS_MAX];
	const uint8_t *rsdp = li->rsdp;
	int rc = -HV_ENOENT;

	ra->size = 0;
	if (!li->rsdp_len || !ai->have_madt)
		return 0;
	for (uint32_t i = 0; i < ai->table_count; i++) {
		if (memcmp(ai->tables[i].signature, "APIC", 4) || !ai->tables[i].valid)
			continue;
		for (uint32_t c = 0; c < p->cpu_count; c++)
			ids[c] = p->hw_ids[c];
		rc = madt_patch_for_root((const void *)(uintptr_t)ai->tables[i].phys,
					 ai->tables[i].length, ids, p->cpu_count, ra->madt,
					 sizeof(ra->madt), &ra->madt_len);
		ra->in.madt_old = ai->tables[i].phys;
		break;
	}
	if (rc < 0) {
		pr_err("linux: partition \"%s\": no MADT of its own (error %d)", p->name, rc);
		return rc;
	}
	ra->fadt_len = 0;
	for (uint32_t i = 0; i < ai->table_count; i++) {
		if (memcmp(ai->tables[i].signature, "FACP", 4) || !ai->tables[i].valid)
			continue;
		rc = fadt_patch_for_root((const void *)(uintptr_t)ai->tables[i].phys,
					 ai->tables[i].length, ra->fadt, sizeof(ra->fadt),
					 &ra->fadt_len);
		if (rc < 0) {
			pr_err("linux: partition \"%s\": no FADT of its own (error %d)", p->name,
			       rc);
			return rc;
		}
		ra->in.fadt_old = ai->tables[i].phys;
		break;
	}
	ra->in.rsdp = rsdp;
	ra->in.rsdp_len = li->rsdp_len;
	ra->in.rsdt = table_at(le_get32(rsdp + 16), &ra->in.rsdt_len);
	if (rsdp[15] >= 2 && li->rsdp_len >= ACPI_ROOT_RSDP_MAX)
		ra->in.xsdt = table_at(le_get64(rsdp + 24), &ra->in.xsdt_len);
	/* copies in hypervisor memory: table_at() bounds both by ROOT_TABLE_MAX */
	if (ra->in.rsdt) {
		memcpy(ra->rsdt_src, ra->in.rsdt, ra->in.rsdt_len);
		ra->in.rsdt = ra->rsdt_src;
	}
	if (ra->in.xsdt) {
		memcpy(ra->xsdt_src, ra->in.xsdt, ra->in.xsdt_len);
		ra->in.xsdt = ra->xsdt_src;
	}
	ra->ready = true;
	ra->size = RSDP_SLOT + ALIGN_UP(ra->in.xsdt_len, ACPI_ALIGN) +
		   ALIGN_UP(ra->in.rsdt_len, ACPI_ALIGN) + ALIGN_UP(ra->madt_len, ACPI_ALIGN) +
		   ra->fadt_len;
	return 0;
}

/* Makes the copies for the block at gpa and writes them into the root. */
static int root_acpi_write(struct partition *p, struct root_acpi *ra, uint64_t gpa)
{
	struct acpi_root_out out = {
		.xsdt = ra->xsdt,
		.xsdt_size = sizeof(ra->xsdt),
		.rsdt = ra->rsdt,
		.rsdt_size = sizeof(ra->rsdt),
	};
	int rc;

	ra->in.xsdt_new = gpa + RSDP_SLOT;
	ra->in.rsdt_new = ra->in.xsdt_new + ALIGN_UP(ra->in.xsdt_len, ACPI_ALIGN);
	ra->in.madt_new = ra->in.rsdt_new + ALIGN_UP(ra->in.rsdt_len, ACPI_ALIGN);
	ra->in.fadt_new = ra->fadt_len ? ra->in.madt_new + ALIGN_UP(ra->madt_len, ACPI_ALIGN) : 0;
	rc = acpi_root_tables(&ra->in, &out);
	if (rc < 0)
		return rc;
	if (gmem_write(p, gpa, out.rsdp, out.rsdp_len) < 0 ||
	    (out.xsdt_len && gmem_write(p, ra->in.xsdt_new, out.xsdt, out.xsdt_len) < 0) ||
	    (out.rsdt_len && gmem_write(p, ra->in.rsdt_new, out.rsdt, out.rsdt_len) < 0) ||
	    gmem_write(p, ra->in.madt_new, ra->madt, ra->madt_len) < 0 ||
	    (ra->fadt_len && gmem_write(p, ra->in.fadt_new, ra->fadt, ra->fadt_len) < 0))
		return -HV_EFAULT;
	pr_info("linux: partition \"%s\": own ACPI root tables at 0x%llx, MADT with its %u "
		"CPU(s) at 0x%llx%s",
		p->name, (unsigned long long)gpa, p->cpu_count, (unsigned long long)ra->in.madt_new,
		ra->fadt_len ? ", FADT asking for physical APIC destinations after it" : "");
	return 0;
}

_Static_assert(sizeof(struct phys_span) == sizeof(struct linux_range), "span layouts");

#define ACPI_GAS_MEMORY	 0
#define ACPI_GAS_IO	 1
#define ACPI_GAS_PCI_CFG 2

/*
 * The root's ways to reset or power off the machine are intercepted even
 * where it owns the ports: the keyboard controller (command and data: the
 * pulse commands and the output port), System Control Port A, the reset
 * control register, the FADT's reset register and PM1 control
 * (docs/linux-root.md). root_emul.c checks every byte of an access, so an
 * access that merely reaches one of them is caught too (the I/O bitmap
 * intercepts an access when any of its bytes is trapped).
 */
static void trap_power_ports(struct partition *p, struct x86_part *xp, struct x86_root *rt)
{
	const struct acpi_info *ai = platform_acpi();
	struct rport_platform *pf = &rt->ports;

	memset(pf, 0, sizeof(*pf));
	pf->owned = root_owns_port;
	pf->ctx = p;
	rport_reset(&rt->rport);

	vcpu_trap_ports(xp, PORT_KBC_DATA, 1);
	vcpu_trap_ports(xp, PORT_KBC_CMD, 1);
	vcpu_trap_ports(xp, PORT_SYSCTL_A, 1);
	vcpu_trap_ports(xp, PORT_RST_CNT, 1);
	/* the chipset's TCO watchdog and SMI enables (ICH/PCH), a watchdog ACPI describes */
	root_ich_setup(p, xp, rt);
	root_wdt_setup(p, rt);
	if (!ai->have_fadt)
		return;
	for (unsigned i = 0; i < 2; i++) {
		uint32_t blk = i ? ai->pm1b_cnt_blk : ai->pm1a_cnt_blk;

		if (blk && blk < 0xffff) {
			pf->pm1_cnt[i] = (uint16_t)blk;
			vcpu_trap_ports(xp, pf->pm1_cnt[i], 2);
		}
	}
	/* the reset register elsewhere: in memory (its page trapped) or configuration space */
	rt->reset_cfg_bdf = -1;
	if (ai->have_reset_reg && ai->reset_reg.space_id == ACPI_GAS_MEMORY &&
	    ai->reset_reg.address) {
		uint64_t page = ALIGN_DOWN(ai->reset_reg.address, PAGE_SIZE);

		if (rt->reset_mem_page == page || stage2_unmap_page(p, page) == 0)
			rt->reset_mem_page = page;
	}
	if (ai->have_reset_reg && ai->reset_reg.space_id == ACPI_GAS_PCI_CFG) {
		/* ACPI 6.5 5.2.3.2: device in bits 47:32, function in 31:16, offset in 15:0 (bus 0) */
		uint64_t a = ai->reset_reg.address;

		if (((a >> 32) & 0xffff) < 32 && ((a >> 16) & 0xffff) < 8 &&
		    (a & 0xffff) < 0x1000) {
			rt->reset_cfg_bdf = (int32_t)((((a >> 32) & 0x1f) << 3) | ((a >> 16) & 7));
			rt->reset_cfg_off = (uint16_t)(a & 0xffff);
		}
	}
	if (ai->have_reset_reg && ai->reset_reg.space_id == ACPI_GAS_IO && ai->reset_reg.address &&
	    ai->reset_reg.address <= 0xffff) {
		pf->reset_port = (uint16_t)ai->reset_reg.address;
		pf->reset_value = ai->reset_value;
		vcpu_trap_ports(xp, pf->reset_port, 1);
	}
	/* SMI_CMD: only the commands the FADT lists reach the firmware's SMI handler */
	_Static_assert(ACPI_SMI_VALUES == RPORT_SMI_VALUES, "SMI_CMD value lists");
	if (ai->smi_cmd && ai->smi_cmd <= 0xffff) {
		pf->smi_cmd = (uint16_t)ai->smi_cmd;
		for (unsigned i = 0; i < ACPI_SMI_VALUES; i++)
			pf->smi_values[i] = ai->smi_values[i];
		vcpu_trap_ports(xp, pf->smi_cmd, 1);
	}
}

int root_linux_setup(struct partition *p, struct x86_part *xp, const struct linux_image *li)
{
	struct x86_root *rt = xp->priv;
	static struct bzimage_info info;
	static struct e820_entry e820[E820_MAX_ENTRIES_ZEROPAGE];
	static uint8_t bp[BOOT_PARAMS_SIZE];
	static struct root_acpi ra;
	struct linux_sizes sz = { 0 };
	struct linux_layout lay;
	uint64_t *gdt;
	unsigned n;
	int rc;

	rc = bzimage_parse(li->kernel, li->kernel_len, &info);
	if (rc < 0)
		return rc;
	rc = linux_build_e820(p, li->memmap, e820, ARRAY_SIZE(e820));
	if (rc < 0)
		return rc;
	n = (unsigned)rc;
	/* once: a restart reuses the MADT copy and the root tables read at boot */
	rc = ra.ready ? 0 : root_acpi_prepare(p, li, &ra);
	if (rc < 0)
		return rc;
	sz.initrd_size = li->initrd_len;
	sz.cmdline_len = strlen(li->cmdline) + 1;
	sz.pgtable_pages = LINUX_PGTABLE_PAGES_DEFAULT;
	/* without a MADT of its own the root gets the firmware RSDP (all CPUs listed) */
	sz.acpi_size = ra.size ? ra.size : li->rsdp_len ? RSDP_COPY_SIZE : 0;
	rc = linux_place(&info, &sz, e820, n, (const struct linux_range *)li->avoid, li->n_avoid,
			 &lay);
	if (rc < 0)
		return rc;
	if (gmem_write(p, lay.kernel_addr, (const uint8_t *)li->kernel + info.kernel_offset,
		       info.kernel_len) < 0 ||
	    (li->initrd_len && gmem_write(p, lay.initrd_addr, li->initrd, li->initrd_len) < 0) ||
	    gmem_write(p, lay.cmdline_addr, li->cmdline, sz.cmdline_len) < 0 ||
	    (ra.size && root_acpi_write(p, &ra, lay.acpi_addr) < 0) ||
	    (!ra.size && li->rsdp_len &&
	     gmem_write(p, lay.acpi_addr, li->rsdp, li->rsdp_len) < 0)) {
		pr_err("linux: partition \"%s\": the layout does not fit its memory", p->name);
		return -HV_EFAULT;
	}
	if (li->rsdp_len && linux_e820_set(e820, &n, ARRAY_SIZE(e820), lay.acpi_addr, lay.acpi_size,
					   E820_TYPE_ACPI) < 0)
		return -HV_ENOSPC;
	memset(bp, 0, sizeof(bp));
	rc = linux_build_boot_params(&info, &lay, e820, n, li->rsdp_len ? lay.acpi_addr : 0, bp,
				     sizeof(bp));
	if (rc < 0 || gmem_write(p, lay.boot_params_addr, bp, sizeof(bp)) < 0)
		return rc < 0 ? rc : -HV_EFAULT;

	gdt = gmem_ptr(p, lay.gdt_addr, GUEST_GDT_ENTRIES * 8, true);
	if (!gdt || lay.pgtable_size < GUEST_IDMAP_PAGES * PAGE_SIZE ||
	    guest_identity_map(p, lay.pgtable_addr) < 0)
		return -HV_EFAULT;
	/* the flat GDT's 64-bit code and data, one slot up: __BOOT_CS 0x10, __BOOT_DS 0x18 */
	guest_flat_gdt(gdt);
	gdt[3] = gdt[2];
	gdt[2] = gdt[1];
	gdt[1] = 0;

	xp->entry = lay.kernel_addr + BZ_ENTRY64_OFFSET;
	xp->cr3 = lay.pgtable_addr;
	xp->gdt = lay.gdt_addr;
	xp->cs = LINUX_BOOT_CS;
	xp->ds = LINUX_BOOT_DS;
	xp->boot_rsi = lay.boot_params_addr;
	xp->sipi_aps = true;
	if (li != &rt->image)
		rt->image = *li;
	trap_power_ports(p, xp, rt);
	root_hpet_setup(p, rt);
	rc = root_pci_setup(p, rt);
	if (rc < 0)
		return rc;
	pr_info("linux: partition \"%s\": kernel protocol %u.%02u at 0x%llx, initrd %llu KiB at "
		"0x%llx, zero page at 0x%llx, %u e820 entries",
		p->name, info.version >> 8, info.version & 0xff,
		(unsigned long long)lay.kernel_addr, (unsigned long long)(li->initrd_len >> 10),
		(unsigned long long)lay.initrd_addr, (unsigned long long)lay.boot_params_addr, n);
	return 0;
}

/*
 * The Linux root: the partition's x86 state, its PC registered with the vCPU
 * layer (every port and every address it does not own is emulated or
 * denied instead of stopping it, its MSR policy, reboot by triple fault,
 * restart), and the kernel placed by the boot protocol.
 */
_Static_assert(sizeof(struct x86_root) <= PAGE_SIZE, "struct x86_root fits one pool page");

int arch_part_create_linux(struct partition *p, const struct linux_image *li)
{
	struct x86_part *xp;
	struct x86_root *rt;
	int rc = vcpu_part_create(p, &xp);

	if (rc < 0)
		return rc;
	rt = (struct x86_root *)(uintptr_t)palloc_alloc(1, 1);
	if (!rt)
		return -HV_ENOMEM;
	xp->priv = rt;
	if (vcpu_emul_port(xp, 0, 0x10000, root_port) < 0 ||
	    vcpu_emul_mmio(xp, 0, 1ULL << 52, root_mmio) < 0)
		return -HV_ENOSPC;
	xp->emul.msr = root_msr;
	xp->emul.shutdown = root_shutdown;
	xp->emul.restart = root_restart;
	xp->emul.poll = root_poll;
	return root_linux_setup(p, xp, li);
}
