// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 side of partitions: stage-2 tables, MSR and I/O permission bitmaps,
 * the guest page tables and GDT of the documented 64-bit start, handing each
 * vCPU to its physical CPU, parking CPUs on a stop, and per-CPU exit counters.
 */
#include <bulkhead/guest.h>
#include <bulkhead/table.h>

#include "arch/percpu.h"
#include "arch/svm.h"
#include "arch/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_platform.h"
#include "core/arch.h"
#include "core/elf.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

#define MSRPM_PAGES   2	     /* AMD APM vol. 2, 15.11: 8 KiB, 2 bits per MSR */
#define IOPM_PAGES    3	     /* 12 KiB, 1 bit per port */
#define GUEST_PT_OFF  0x1000 /* inside the reserved first 64 KiB of the lowest RAM region */
#define GUEST_GDT_OFF 0x7000
#define PTE_P_RW      0x3ULL
#define PDE_2M	      0x83ULL

static const struct vcpu_ops *ops;
static uint32_t next_asid = 1;

/* x2APIC MSRs 0x800-0x8ff, except ICR writes: the partition's own LAPIC. */
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST	 0x8ff
#define MSR_X2APIC_ICR	 0x830

static const uint32_t msr_passthrough[] = {
	0x6e0,	    /* IA32_TSC_DEADLINE */
	0x174,	    /* SYSENTER_CS */
	0x175,	    /* SYSENTER_ESP */
	0x176,	    /* SYSENTER_EIP */
	0x277,	    /* PAT: goes to the VMCB's G_PAT under NPT */
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
};

static void msrpm_clear(uint8_t *pm, uint32_t msr, bool read, bool write)
{
	uint32_t base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800 * 8;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000 * 8;
	else
		return; /* outside the map: always intercepted */
	{
		uint32_t bit = base + (msr & 0x1fff) * 2;

		if (read)
			pm[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		if (write)
			pm[(bit + 1) / 8] &= (uint8_t) ~(1u << ((bit + 1) % 8));
	}
}

static int build_bitmaps(struct partition *p, struct x86_part *xp)
{
	uint8_t *pm, *io;

	xp->msr_bitmap = palloc_alloc(MSRPM_PAGES, 1);
	xp->io_bitmap = palloc_alloc(IOPM_PAGES, 1);
	if (!xp->msr_bitmap || !xp->io_bitmap)
		return -HV_ENOMEM;
	pm = (uint8_t *)(uintptr_t)xp->msr_bitmap;
	io = (uint8_t *)(uintptr_t)xp->io_bitmap;
	memset(pm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	memset(io, 0xff, IOPM_PAGES * PAGE_SIZE);
	for (uint32_t m = MSR_X2APIC_FIRST; m <= MSR_X2APIC_LAST; m++)
		msrpm_clear(pm, m, true, m != MSR_X2APIC_ICR);
	for (size_t i = 0; i < ARRAY_SIZE(msr_passthrough); i++)
		msrpm_clear(pm, msr_passthrough[i], true, true);
	for (size_t i = 0; i < ARRAY_SIZE(msr_read_only); i++)
		msrpm_clear(pm, msr_read_only[i], true, false);
	for (uint32_t i = 0; i < p->pio_count; i++)
		for (uint32_t port = p->pio[i].base;
		     port < p->pio[i].base + p->pio[i].size && port <= 0xffff; port++)
			io[port / 8] &= (uint8_t) ~(1u << (port % 8));
	return 0;
}

int guest_identity_map(struct partition *p, gpa_t at)
{
	uint64_t *pt = gmem_ptr(p, at, GUEST_IDMAP_PAGES * PAGE_SIZE, true);
	gpa_t pdpt = at + PAGE_SIZE, pd = pdpt + PAGE_SIZE;

	if (!pt)
		return -HV_ENOSPC;
	memset(pt, 0, GUEST_IDMAP_PAGES * PAGE_SIZE);
	pt[0] = pdpt | PTE_P_RW;
	for (unsigned i = 0; i < 4; i++)
		pt[512 + i] = (pd + i * PAGE_SIZE) | PTE_P_RW;
	for (unsigned i = 0; i < 4 * 512; i++)
		pt[1024 + i] = ((uint64_t)i << 21) | PDE_2M;
	return 0;
}

/* Identity map of guest-physical 0-4 GiB and a flat GDT in the reserved area. */
static int build_boot64(struct partition *p, struct x86_part *xp)
{
	gpa_t base = guest_info_gpa(p);
	uint64_t *gdt = gmem_ptr(p, base + GUEST_GDT_OFF, 4 * 8, true);
	gpa_t pml4 = base + GUEST_PT_OFF;

	if (!gdt || guest_identity_map(p, pml4) < 0)
		return -HV_ENOSPC;
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL; /* 0x08: 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL; /* 0x10: data */
	gdt[3] = 0x00cf9a000000ffffULL; /* 0x18: 32-bit code, for the 32-bit start */
	xp->cr3 = pml4;
	xp->gdt = base + GUEST_GDT_OFF;
	return 0;
}

static int part_create_common(struct partition *p, struct x86_part **out)
{
	struct x86_part *xp;
	int rc;

	if (!ops) {
		if (percpu[0].virt.svm && percpu[0].virt.npt) {
			ops = &svm_ops;
		} else {
			pr_err("partition \"%s\": this CPU has no SVM with NPT (VMX comes later)",
			       p->name);
			return -HV_ENODEV;
		}
	}
	xp = (struct x86_part *)(uintptr_t)palloc_alloc(1, 1);
	if (!xp)
		return -HV_ENOMEM;
	p->arch = xp;
	xp->asid = next_asid++;
	xp->cs = 0x08;
	xp->ds = 0x10;
	rc = stage2_build(p, ops);
	if (rc == 0)
		rc = build_bitmaps(p, xp);
	*out = xp;
	return rc;
}

int arch_part_create(struct partition *p, uint64_t entry)
{
	struct x86_part *xp;
	int rc = part_create_common(p, &xp);

	if (rc < 0)
		return rc;
	xp->entry = entry;
	return build_boot64(p, xp);
}

int arch_part_create_linux(struct partition *p, const struct linux_image *li)
{
	struct x86_part *xp;
	int rc = part_create_common(p, &xp);

	return rc < 0 ? rc : arch_linux_setup(p, xp, li);
}

/* Runs on the partition's CPU: enable SVM/VMX, enter, and park when it stops. */
static void __noreturn vcpu_enter(struct vcpu *v)
{
	struct percpu *cpu = this_cpu();
	int rc = ops->cpu_enable(v);

	if (rc == 0)
		rc = ops->vcpu_setup(v);
	if (rc < 0) {
		part_fail(v->part, v->index, "could not set up the vCPU", 0, (uint64_t)-rc);
	} else {
		uint64_t now = rdtsc();

		cpu->vcpu = v;
		pr_info("cpu%u: entering partition \"%s\" vCPU %u, %llu us (%llu TSC cycles) after "
			"hypervisor entry",
			cpu->cpu_id, v->part->name, v->index,
			(unsigned long long)tsc_to_us(now - boot_entry_cycles),
			(unsigned long long)(now - boot_entry_cycles));
		ops->vcpu_run(v);
	}
	pr_info("cpu%u: partition \"%s\" stopped; CPU parked", cpu->cpu_id, v->part->name);
	cpu->state = CPU_PARKED;
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

void arch_cpu_idle_loop(void)
{
	struct percpu *cpu = this_cpu();

	for (;;) {
		struct vcpu *v = __atomic_load_n(&cpu->assigned, __ATOMIC_ACQUIRE);

		if (v)
			vcpu_enter(v);
		/* sti's one-instruction shadow: a wake IPI cannot slip in before hlt */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}

int arch_part_start(struct partition *p)
{
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		struct percpu *cpu = &percpu[p->cpus[i]];
		struct vcpu *v = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

		if (!v)
			return -HV_ENOMEM;
		if (cpu->state != CPU_ONLINE || cpu->cpu_id == arch_cpu_id()) {
			pr_err("partition \"%s\": CPU %u is not available", p->name, cpu->cpu_id);
			return -HV_EBUSY;
		}
		v->part = p;
		v->index = i;
		__atomic_store_n(&cpu->assigned, v, __ATOMIC_RELEASE);
		apic_send_ipi(cpu->apic_id, VEC_WAKE);
	}
	return 0;
}

void arch_enter_root(struct partition *p)
{
	struct vcpu *v = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

	if (!v || p->cpus[0] != arch_cpu_id()) {
		part_fail(p, 0, "the root's first CPU is not the boot CPU", 0, p->cpus[0]);
		arch_cpu_halt();
	}
	v->part = p;
	v->index = 0;
	vcpu_enter(v);
}

void arch_part_stop_cpus(struct partition *p)
{
	cpu_id_t self = arch_cpu_id();

	for (uint32_t i = 0; i < p->cpu_count; i++)
		if (p->cpus[i] != self)
			apic_send_ipi(percpu[p->cpus[i]].apic_id, ICR_NMI);
}

static const char *const vexit_names[VEXIT_COUNT] = {
	[VEXIT_CPUID] = "cpuid",
	[VEXIT_MSR_READ] = "rdmsr",
	[VEXIT_MSR_WRITE] = "wrmsr",
	[VEXIT_IO] = "io",
	[VEXIT_NPF] = "npf",
	[VEXIT_XAPIC] = "xapic",
	[VEXIT_HYPERCALL] = "hypercall",
	[VEXIT_NMI] = "nmi",
	[VEXIT_INIT] = "init",
	[VEXIT_SHUTDOWN] = "shutdown",
	[VEXIT_INTR] = "intr",
	[VEXIT_VIRT_INSN] = "svm-insn",
	[VEXIT_OTHER] = "other",
};

void arch_report_exits(uint64_t interval_us)
{
	static uint64_t last[MAX_CPUS][VEXIT_COUNT];

	for (unsigned c = 0; c < cpu_count; c++) {
		struct vcpu *v = __atomic_load_n(&percpu[c].vcpu, __ATOMIC_ACQUIRE);
		char line[256];
		size_t n = 0;
		uint64_t delta = 0;

		if (!v)
			continue;
		for (unsigned r = 0; r < VEXIT_COUNT; r++) {
			uint64_t now = v->exits[r], d = now - last[c][r];

			last[c][r] = now;
			delta += d;
			if (d && n < sizeof(line))
				n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %llu",
						      vexit_names[r], (unsigned long long)d);
		}
		if (n == 0)
			line[0] = '\0';
		pr_info("stats: cpu%u (%s): %llu exits in %llu ms%s%s; %llu since start", c,
			v->part->name, (unsigned long long)delta,
			(unsigned long long)(interval_us / 1000), n ? ":" : "", line,
			(unsigned long long)v->exits_total);
	}
}
