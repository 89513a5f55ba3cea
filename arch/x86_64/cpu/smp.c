// SPDX-License-Identifier: GPL-2.0-only
/*
 * Application processor start-up: INIT-SIPI-SIPI through a real-mode
 * trampoline below 1 MiB, one CPU at a time. Each AP gets its own stack with
 * an unmapped guard page below it and an IST stack for fatal exceptions. A CPU
 * that never answers is reported and left out.
 */
#include "cpu/percpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

#define TRAMPOLINE_MIN 0x1000 /* keep the real-mode IVT and BDA page untouched */

extern char trampoline_start[], trampoline_end[];
extern char tr_gdt_desc[], tr_far32[], tr_far64[], tr_cr3[], tr_efer[], tr_stack[], tr_percpu[],
	tr_entry[], tr_started[];
extern const uint64_t tr_off_gdt, tr_off_pm32, tr_off_lm64;

void ap_entry64(struct percpu *cpu);
void __noreturn ap_main(struct percpu *cpu);

static bool smp_allow_x2apic;
static const char *smp_fault_test;

/*
 * fault_test=stack|ud|pf|canary|wx|nx on the command line makes CPU 1 break a rule of its
 * own right after it checks in, to show that an exception in the hypervisor
 * stops that CPU only (system test "exception-contained").
 * fault_test=rootmsr is for root_msr() (root/root_emul.c, system test
 * "root-linux-msr"): CPU 1 does nothing here.
 */
static void __attribute__((noinline)) fault_recurse(volatile uint64_t *depth)
{
	volatile uint8_t pad[256];

	pad[0] = (uint8_t)++ * depth;
	if (*depth != 0) /* always true: recurse until the guard page stops it */
		fault_recurse(depth);
	pad[1] = pad[0];
}

bool fault_test_is(const char *kind)
{
	return smp_fault_test && !strcmp(smp_fault_test, kind);
}

/* fault_test=canary: overwrites its own stack frame past a local array */
static __attribute__((noinline)) void smash_stack(void)
{
	volatile char buf[16];
	volatile unsigned n = 64;

	for (unsigned i = 0; i < n; i++)
		((volatile char *)buf)[i] = 0x41;
}

/* fault_test=nx: a return instruction in data, called */
static uint8_t data_code[16] = { 0xc3 };

static void run_fault_test(const char *kind)
{
	volatile uint64_t depth = 0;

	if (!strcmp(kind, "rootmsr"))
		return;
	pr_info("fault_test: CPU %u triggers \"%s\"", arch_cpu_id(), kind);
	if (!strcmp(kind, "stack"))
		fault_recurse(&depth);
	else if (!strcmp(kind, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "pf"))
		(void)*(volatile uint64_t *)(uintptr_t)0xdead0000000ULL;
	else if (!strcmp(kind, "canary"))
		smash_stack();
	else if (!strcmp(kind, "wx")) /* write the hypervisor's own code */
		*(volatile uint8_t *)(uintptr_t)&ap_main = 0x90;
	else if (!strcmp(kind, "nx"))
		((void (*)(void))(uintptr_t)data_code)();
	pr_warn("fault_test: \"%s\" did not fault (kinds: stack, ud, pf, canary, wx, nx)", kind);
}

#define TR_FIELD(base, sym) ((void *)((base) + ((sym)-trampoline_start)))

static hpa_t find_trampoline_page(const struct memmap *mm)
{
	for (uint32_t i = 0; i < mm->count; i++) {
		const struct mem_range *r = &mm->r[i];
		hpa_t p = ALIGN_UP(MAX(r->base, (hpa_t)TRAMPOLINE_MIN), PAGE_SIZE);

		if (r->type != MEM_LOWMEM)
			continue;
		if (p + PAGE_SIZE <= r->base + r->size && p + PAGE_SIZE <= LOWMEM_TOP)
			return p;
	}
	return 0;
}

static int alloc_cpu_stacks(struct percpu *cpu)
{
	hpa_t s = palloc_alloc(CPU_STACK_PAGES + 1, 1);
	hpa_t ist = palloc_alloc(CPU_IST_PAGES + 1, 1);

	if (!s || !ist)
		return -HV_ENOMEM;
	/* the lowest page of each stack is a guard: an overflow faults instead of corrupting */
	if (paging_unmap_page(s) < 0 || paging_unmap_page(ist) < 0)
		return -HV_EFAULT;
	cpu->stack_top = s + (CPU_STACK_PAGES + 1) * PAGE_SIZE;
	cpu->ist_top = ist + (CPU_IST_PAGES + 1) * PAGE_SIZE;
	return 0;
}

void ap_main(struct percpu *cpu)
{
	cpu_init_tables(cpu);
	cpu_harden();
	apic_init_cpu(apic_cpu_x2apic(smp_allow_x2apic, cpu->apic_id));
	virt_detect(&cpu->virt);
	if (apic_read_id() != cpu->apic_id)
		pr_warn("smp: CPU %u came up with APIC ID %u, expected %u", cpu->cpu_id,
			apic_read_id(), cpu->apic_id);
	cpu->checkin_tsc = rdtsc();
	__atomic_store_n(&cpu->state, CPU_ONLINE, __ATOMIC_RELEASE);
	if (smp_fault_test && cpu->cpu_id == 1)
		run_fault_test(smp_fault_test);
	arch_cpu_idle_loop();
}

/*
 * The 10 ms between INIT and the first SIPI (Intel SDM vol. 3A, 9.4.4.1) is
 * for old processors: the APIC of Intel's family 6 and later and of AMD's
 * family 0Fh and later takes the SIPI right away, which is also what Linux
 * assumes for them (its init_udelay quirk). Everything else keeps the wait;
 * smp_init_delay_us= overrides the choice.
 */
bool smp_needs_init_delay(void)
{
	uint32_t a, b, c, d, vendor, family;

	cpuid(0, 0, &a, &vendor, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	family = (a >> 8) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	if (vendor == 0x756e6547 /* GenuineIntel */)
		return family != 6 && family < 0x10; /* P5 and older, and NetBurst (0Fh) */
	if (vendor == 0x68747541 /* AuthenticAMD */)
		return family < 0xf;
	if (vendor == 0x6f677948 /* HygonGenuine */)
		return false;
	return true;
}

/*
 * icount_aid=1, for measurements under QEMU -icount only: QEMU processes an
 * AP's INIT when the SIPI wakes it, inside a round-robin time slice whose
 * whole budget (the time to the next timer deadline, shared among the CPUs)
 * it then counts as executed: 2-8 ms of guest time per AP that no
 * instruction used. A PIT channel 0 one-shot 100 us ahead bounds that slice.
 * On hardware it only costs three port writes, but it stops the firmware's
 * 18.2 Hz tick (channel 0 ends in mode 0, as the root's OS finds it).
 */
static void icount_aid(void)
{
	outb(0x43, 0x30); /* channel 0, lobyte/hibyte, mode 0 (interrupt on terminal count) */
	outb(0x40, 120);  /* 120 / 1.193182 MHz = 100 us */
	outb(0x40, 0);
}

/* Waits until the AP checked in (it may have halted since, after a fault of its own). */
static bool wait_checkin(struct percpu *cpu, uint64_t timeout_us)
{
	uint64_t end = rdtsc() + timeout_us * time_tsc_khz() / 1000;

	do {
		if (__atomic_load_n(&cpu->state, __ATOMIC_ACQUIRE) != CPU_STARTING)
			return true;
		cpu_pause();
	} while (rdtsc() < end);
	return __atomic_load_n(&cpu->state, __ATOMIC_ACQUIRE) != CPU_STARTING;
}

static int start_ap(struct percpu *cpu, hpa_t tr, uint64_t timeout_us, bool aid)
{
	volatile uint32_t *started = TR_FIELD(tr, tr_started);
	uint32_t vector = (uint32_t)(tr >> PAGE_SHIFT);
	int rc;

	*(uint64_t *)TR_FIELD(tr, tr_stack) = cpu->stack_top;
	*(uint64_t *)TR_FIELD(tr, tr_percpu) = (uintptr_t)cpu;
	*started = 0;
	cpu->state = CPU_STARTING;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	/*
	 * Intel SDM vol. 3A, 9.4.4.1: INIT (sent to all APs at once by smp_start), SIPI, 200 us,
	 * SIPI. The second SIPI only when the AP has not started on the first, which it
	 * normally does well within the 200 us.
	 */
	if (aid)
		icount_aid();
	rc = apic_send_ipi(cpu->apic_id, ICR_SIPI | vector);
	if (rc < 0)
		return rc;
	{
		uint64_t end = rdtsc() + 200 * time_tsc_khz() / 1000;

		while (!*started && rdtsc() < end)
			cpu_pause();
	}
	if (!*started) {
		rc = apic_send_ipi(cpu->apic_id, ICR_SIPI | vector);
		if (rc < 0)
			return rc;
	}
	return wait_checkin(cpu, timeout_us) ? 0 : -HV_ETIMEDOUT;
}

unsigned smp_start(const struct smp_cpu *list, unsigned n, const struct memmap *mm,
		   const struct smp_options *opt)
{
	struct percpu *bsp = &percpu[0];
	unsigned online = 1;
	hpa_t tr;
	size_t tr_len = (size_t)(trampoline_end - trampoline_start);

	smp_allow_x2apic = opt->allow_x2apic;
	smp_fault_test = opt->fault_test;
	/* the boot CPU gets a guarded stack for fatal exceptions too */
	{
		hpa_t ist = palloc_alloc(CPU_IST_PAGES + 1, 1);

		if (ist && paging_unmap_page(ist) == 0) {
			bsp->ist_top = ist + (CPU_IST_PAGES + 1) * PAGE_SIZE;
			bsp->tss.ist[0] = bsp->ist_top;
		}
	}
	cpu_count = 1;
	if (!list) {
		pr_warn("smp: no usable MADT; running on the boot CPU only");
		return online;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct smp_cpu *ac = &list[i];
		struct percpu *cpu;

		if (ac->apic_id == bsp->apic_id)
			continue;
		if (cpu_count >= MAX_CPUS) {
			pr_warn("smp: more than %u CPUs; APIC ID %u and later are not used",
				MAX_CPUS, ac->apic_id);
			break;
		}
		cpu = &percpu[cpu_count];
		cpu->cpu_id = cpu_count;
		cpu->apic_id = ac->apic_id;
		cpu_count++;
		if (!ac->enabled) {
			cpu->state = CPU_DISABLED;
			continue;
		}
		cpu->state = CPU_ABSENT;
	}
	/* smp_phantom=ID: a MADT-like entry with no CPU behind it, to test the timeout path */
	if (opt->phantom_apic_id != SMP_NO_PHANTOM && cpu_count < MAX_CPUS) {
		struct percpu *cpu = &percpu[cpu_count];

		pr_info("smp: adding phantom APIC ID %u for testing", opt->phantom_apic_id);
		cpu->cpu_id = cpu_count++;
		cpu->apic_id = opt->phantom_apic_id;
		cpu->state = CPU_ABSENT;
	}

	tr = find_trampoline_page(mm);
	if (!tr || tr_len > PAGE_SIZE) {
		pr_err("smp: no free page below 1 MiB for the AP start-up code; boot CPU only");
		return online;
	}
	memcpy((void *)(uintptr_t)tr, trampoline_start, tr_len);
	*(uint32_t *)TR_FIELD(tr, tr_gdt_desc + 2) = (uint32_t)(tr + tr_off_gdt);
	*(uint32_t *)TR_FIELD(tr, tr_far32) = (uint32_t)(tr + tr_off_pm32);
	*(uint32_t *)TR_FIELD(tr, tr_far64) = (uint32_t)(tr + tr_off_lm64);
	*(uint64_t *)TR_FIELD(tr, tr_cr3) = paging_cr3();
	*(uint64_t *)TR_FIELD(tr, tr_efer) = EFER_LME | (paging_nx() ? EFER_NXE : 0);
	/* the one page below 1 MiB that runs in long mode, only while APs start */
	if (paging_set_exec(tr, true) < 0) {
		pr_err("smp: cannot map the AP start-up page executable; boot CPU only");
		return online;
	}
	*(uint64_t *)TR_FIELD(tr, tr_entry) = (uintptr_t)ap_entry64;

	/* INIT every AP together, so an INIT wait is paid once, not per CPU */
	for (unsigned c = 1; c < cpu_count; c++)
		if (percpu[c].state != CPU_DISABLED &&
		    apic_send_ipi(percpu[c].apic_id, ICR_INIT) < 0)
			percpu[c].state = CPU_DEAD;
	/* an eighth more: the TSC frequency may still be a rough figure here */
	if (opt->init_delay_us)
		udelay(opt->init_delay_us + opt->init_delay_us / 8);

	for (unsigned c = 1; c < cpu_count; c++) {
		struct percpu *cpu = &percpu[c];
		int rc;

		if (cpu->state == CPU_DISABLED)
			continue;
		if (cpu->state == CPU_DEAD) {
			pr_err("smp: CPU %u (APIC ID %u): INIT could not be sent; left out", c,
			       cpu->apic_id);
			continue;
		}
		rc = alloc_cpu_stacks(cpu);
		if (rc < 0) {
			pr_err("smp: no memory for CPU %u (APIC ID %u) stacks", c, cpu->apic_id);
			cpu->state = CPU_DEAD;
			continue;
		}
		rc = start_ap(cpu, tr, opt->timeout_us, opt->icount_aid);
		if (rc < 0) {
			pr_err("smp: CPU %u (APIC ID %u) did not answer INIT-SIPI-SIPI within %llu "
			       "ms; left out",
			       c, cpu->apic_id, (unsigned long long)(opt->timeout_us / 1000));
			/* back to wait-for-SIPI, so a late start cannot run on the next CPU's stack */
			apic_send_ipi(cpu->apic_id, ICR_INIT);
			cpu->state = CPU_DEAD;
			continue;
		}
		if (cpu->state == CPU_ONLINE)
			online++;
	}
	/* every AP is in long mode or left out (and sent INIT again): no code runs below 1 MiB */
	paging_set_exec(tr, false);
	return online;
}
