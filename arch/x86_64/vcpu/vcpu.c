// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of a vCPU on its physical CPU: virtualization on, the start
 * state (documented boot, or INIT and a start-up IPI for the APs of a
 * partition that starts them itself), the run loop that enters the guest
 * through the back end and hands each decoded exit to vcpu/exits.c, and
 * what a kick asks for (INIT, a restart). Also: handing vCPUs to their
 * CPUs, and the per-CPU exit report.
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

const struct vcpu_ops *vcpu_backend;

#define RESTART_WAIT_MS 100
#define DFR_FLAT	0xffffffffu /* the APIC's reset value: flat model */

static bool part_running(const struct partition *p)
{
	return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PART_RUNNING;
}

enum wait_result { WAIT_STOPPED, WAIT_SIPI, WAIT_KICKED };

/* An AP between INIT and its start-up IPI: waits in the hypervisor (woken by VEC_WAKE). */
static enum wait_result vcpu_wait_sipi(struct vcpu *v)
{
	while (part_running(v->part)) {
		if (__atomic_load_n(&v->kick, __ATOMIC_ACQUIRE) != VCPU_KICK_NONE)
			return WAIT_KICKED;
		if (__atomic_load_n(&v->start, __ATOMIC_ACQUIRE) == VCPU_START_SIPI)
			return WAIT_SIPI;
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
	return WAIT_STOPPED;
}

/* " name count" for each kind with a count (now - base; base may be NULL), into line; its length. */
static size_t exit_counts(const uint64_t *now, const uint64_t *base, char *line, size_t len)
{
	size_t n = 0;

	line[0] = '\0';
	for (unsigned r = 0; r < VEXIT_COUNT; r++) {
		uint64_t d = now[r] - (base ? base[r] : 0);

		if (d && n < len)
			n += (size_t)snprintf(line + n, len - n, " %s %llu",
					      r == VEXIT_VIRT_INSN ? vcpu_backend->virt_insn
								   : vcpu_exit_name(r),
					      (unsigned long long)d);
	}
	return n;
}

/*
 * vCPU 0 of a restarting partition, out of the guest: waits (bounded) for
 * the other vCPUs to leave theirs, clears what the old guest set in the
 * vCPUs, and lets the partition's registered emulation reload it.
 */
static int vcpu_restart(struct vcpu *v)
{
	struct partition *p = v->part;
	struct x86_part *xp = v->xp;
	uint64_t until = rdtsc() + time_tsc_khz() * RESTART_WAIT_MS;

	for (uint32_t i = 1; i < p->cpu_count; i++) {
		struct vcpu *ap = xp->vcpus[i];

		while (ap && __atomic_load_n(&ap->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING &&
		       rdtsc() < until)
			cpu_pause();
	}
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		if (xp->vcpus[i]) {
			char line[256];

			/* what the run that ends cost (the counters go on across restarts) */
			exit_counts(xp->vcpus[i]->exits, NULL, line, sizeof(line));
			pr_info("partition \"%s\" vCPU %u: %llu exits since the partition first "
				"started:%s",
				p->name, i, (unsigned long long)vcpu_exits_total(xp->vcpus[i]),
				line);
			xp->vcpus[i]->xapic_ldr = 0;
			xp->vcpus[i]->xapic_dfr = DFR_FLAT;
			xp->vcpus[i]->lvt_masked_said = false;
		}
	}
	if (!xp->emul.restart) {
		part_fail(p, v->index, "restart requested but the partition cannot be reloaded", 0,
			  0);
		return -HV_ENODEV;
	}
	return xp->emul.restart(v);
}

/* The start state of v's next entry; false when v is to park. */
static bool vcpu_next_state(struct vcpu *v, struct x86_state *s, enum wait_result *w)
{
	*w = WAIT_SIPI;
	for (;;) {
		switch (__atomic_load_n(&v->start, __ATOMIC_ACQUIRE)) {
		case VCPU_START_BOOT:
			vcpu_state_boot(v, s);
			return true;
		case VCPU_START_SIPI:
			memset(&v->regs, 0, sizeof(v->regs));
			vcpu_state_sipi(s, v->sipi_vector);
			pr_info("cpu%u: partition \"%s\" vCPU %u starts at 0x%x (start-up IPI)",
				arch_cpu_id(), v->part->name, v->index,
				(unsigned)v->sipi_vector << 12);
			return true;
		default: /* waiting for INIT or a start-up IPI */
			*w = vcpu_wait_sipi(v);
			if (*w != WAIT_SIPI)
				return false;
		}
	}
}

/* Runs on the partition's CPU: virtualization on, enter, and park when it stops. */
static void __noreturn vcpu_main(void *arg)
{
	const struct vcpu_ops *o = vcpu_backend;
	struct vcpu *v = arg;
	struct percpu *cpu = this_cpu();
	int rc = 0;

	if (!cpu->virt_on) {
		rc = o->cpu_enable();
		cpu->virt_on = rc == 0;
	}
	if (rc == 0)
		rc = o->vcpu_init(v);
	if (rc < 0) {
		part_fail(v->part, v->index, "could not set up the vCPU", 0, (uint64_t)-rc);
		goto park;
	}
	v->hw_cpu = cpu->apic_id;
	v->x2apic = cpu->x2apic;
	cpu->vcpu = v;
	/* the guest starts from the APIC state a restart leaves, not the firmware's (LINT0 ExtINT) */
	apic_reset_for_guest();
	{
		uint64_t now = rdtsc();

		pr_info("cpu%u: %s partition \"%s\" vCPU %u, %llu us (%llu TSC cycles) after "
			"hypervisor entry",
			cpu->cpu_id, v->start == VCPU_START_BOOT ? "entering" : "holding for",
			v->part->name, v->index,
			(unsigned long long)tsc_to_us(now - boot_entry_cycles),
			(unsigned long long)(now - boot_entry_cycles));
	}
	for (;;) {
		struct x86_state s;
		enum wait_result w;
		enum vcpu_kick kick;

		if (vcpu_next_state(v, &s, &w)) {
			v->pending.valid = false;
			o->load_state(v, &s);
			__atomic_store_n(&v->start, VCPU_START_RUNNING, __ATOMIC_RELEASE);
			vcpu_backend->run(v);
		} else if (w == WAIT_STOPPED) {
			break;
		}
		kick = __atomic_exchange_n(&v->kick, VCPU_KICK_NONE, __ATOMIC_ACQ_REL);
		if (kick == VCPU_KICK_NONE || !part_running(v->part))
			break;
		if (kick == VCPU_KICK_INIT) {
			/*
			 * INIT while running: back to waiting for a start-up IPI, in the
			 * hypervisor with interrupts on: nothing of the guest's APIC
			 * set-up may deliver there
			 */
			apic_reset_for_guest();
			__atomic_store_n(&v->start, VCPU_START_WAIT_SIPI, __ATOMIC_RELEASE);
			continue;
		}
		/* the partition restarts: nothing of the old guest's APIC state stays */
		apic_reset_for_guest();
		v->nmi_pending = 0;
		pr_debug("cpu%u: partition \"%s\" vCPU %u left the guest for its restart",
			 cpu->cpu_id, v->part->name, v->index);
		if (v->index != 0) {
			__atomic_store_n(&v->start, VCPU_START_WAIT_INIT, __ATOMIC_RELEASE);
			continue;
		}
		__atomic_store_n(&v->start, VCPU_START_BOOT, __ATOMIC_RELEASE);
		if (vcpu_restart(v) < 0)
			break;
	}
park:
	pr_info("cpu%u: partition \"%s\" stopped; CPU parked", cpu->cpu_id, v->part->name);
	cpu->state = CPU_PARKED;
	/* the first parked CPU prints the partitions' console lines from now on */
	if (part_console_claim_drainer()) {
		pr_info("cpu%u: prints the partitions' consoles", cpu->cpu_id);
		part_console_drainer();
	}
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

static bool cpu_free(cpu_id_t c)
{
	return c < cpu_count && percpu[c].state == CPU_ONLINE && c != arch_cpu_id() &&
	       !percpu[c].job;
}

static struct vcpu *vcpu_new(struct partition *p, uint32_t index, enum vcpu_start start)
{
	struct vcpu *v = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

	if (!v)
		return NULL;
	v->part = p;
	v->xp = p->arch;
	v->index = index;
	v->start = start;
	v->xapic_dfr = DFR_FLAT;
	v->xp->vcpus[index] = v;
	return v;
}

int arch_part_start(struct partition *p)
{
	/* every CPU is checked before any is handed over: a failure leaves none assigned */
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		if (!cpu_free(p->cpus[i])) {
			pr_err("partition \"%s\": CPU %u is not available", p->name, p->cpus[i]);
			return -HV_EBUSY;
		}
	}
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		struct vcpu *v = vcpu_new(p, i, VCPU_START_BOOT);

		if (!v)
			return -HV_ENOMEM;
		if (cpu_assign(p->cpus[i], vcpu_main, v) < 0)
			return -HV_EBUSY;
	}
	return 0;
}

void arch_enter_root(struct partition *p)
{
	struct x86_part *xp = p->arch;
	struct vcpu *v;

	if (p->cpus[0] != arch_cpu_id() || !(v = vcpu_new(p, 0, VCPU_START_BOOT))) {
		part_fail(p, 0, "the root's first CPU is not the boot CPU", 0, p->cpus[0]);
		arch_cpu_halt();
	}
	/* a partition that starts its APs itself (a PC's Linux) gets them waiting for INIT */
	for (uint32_t i = 1; i < p->cpu_count && xp->sipi_aps; i++) {
		struct vcpu *ap;

		if (!cpu_free(p->cpus[i]) || !(ap = vcpu_new(p, i, VCPU_START_WAIT_INIT)) ||
		    cpu_assign(p->cpus[i], vcpu_main, ap) < 0) {
			xp->vcpus[i] = NULL;
			pr_err("partition \"%s\": CPU %u is not available; the guest will not find "
			       "it",
			       p->name, p->cpus[i]);
		}
	}
	vcpu_main(v);
}

void arch_report_exits(uint64_t interval_us)
{
	static uint64_t last[MAX_CPUS][VEXIT_COUNT], last_sx[MAX_CPUS];

	for (unsigned c = 0; c < cpu_count; c++) {
		struct vcpu *v = __atomic_load_n(&percpu[c].vcpu, __ATOMIC_ACQUIRE);
		uint64_t sx = __atomic_load_n(&percpu[c].init_sx, __ATOMIC_RELAXED);
		char line[256];
		size_t n;
		uint64_t delta = 0, now[VEXIT_COUNT];

		if (sx != last_sx[c]) {
			pr_warn("cpu%u: %llu physical INIT(s) taken as #SX (VM_CR.R_INIT) and "
				"dropped since the last report; %llu in all",
				c, (unsigned long long)(sx - last_sx[c]), (unsigned long long)sx);
			last_sx[c] = sx;
		}
		if (!v)
			continue;
		for (unsigned r = 0; r < VEXIT_COUNT;
		     r++) /* one snapshot: the line and total agree */
			now[r] = __atomic_load_n(&v->exits[r], __ATOMIC_RELAXED);
		n = exit_counts(now, last[c], line, sizeof(line));
		for (unsigned r = 0; r < VEXIT_COUNT; r++) {
			delta += now[r] - last[c][r];
			last[c][r] = now[r];
		}
		pr_info("stats: cpu%u (%s): %llu exits in %llu ms%s%s; %llu since start", c,
			v->part->name, (unsigned long long)delta,
			(unsigned long long)(interval_us / 1000), n ? ":" : "", line,
			(unsigned long long)vcpu_exits_total(v));
	}
}
