// SPDX-License-Identifier: GPL-2.0-only
/* Fault policy: a partition that breaks a rule is stopped, marked FAILED and reported once. */
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"

/*
 * The fault policy (docs: ARCHITECTURE.md, "Fault policy"):
 *
 * - Any violation by a partition (an access outside its memory, a triple
 *   fault, a forbidden IPI, a bad hypercall the exit handlers treat as
 *   fatal) stops that partition only. The hypervisor and the other
 *   partitions keep running; guest input never panics the hypervisor.
 * - Stopping means: state RUNNING -> FAILED, one pr_err line with the
 *   reason, the guest RIP/PC and the faulting address, then every other CPU
 *   of the partition is parked by the arch layer (IPI/NMI). The CPU that
 *   called part_fail() parks itself afterwards.
 * - Several CPUs of one partition may fault at the same moment: the
 *   compare-exchange on the state lets exactly one of them report and stop
 *   the others; the rest just park.
 * - A fault in a partition that is STOPPED (a stop or restart in progress)
 *   or INVALID (its start failed half-way) leaves the state to whoever set
 *   it, but is reported as a warning and still parks the partition's CPUs:
 *   none of them should be running guest code then.
 * - BH_FAULT_RESTART does not act here: the partition stays FAILED until the
 *   restart path (a request from the root's management tool) clears its
 *   memory, reloads its image and starts it again.
 */
void part_fail(struct partition *p, uint32_t vcpu_index, const char *reason, uint64_t rip,
	       uint64_t addr)
{
	uint32_t state = PART_RUNNING;
	char cpu[16];

	if (!reason)
		reason = "unknown";
	if (vcpu_index < p->cpu_count && vcpu_index < PART_CPUS_MAX)
		snprintf(cpu, sizeof(cpu), "%u", p->cpus[vcpu_index]);
	else
		snprintf(cpu, sizeof(cpu), "?");
	if (__atomic_compare_exchange_n(&p->state, &state, PART_FAILED, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST)) {
		pr_err("partition \"%.*s\" (id %u) FAILED on vcpu %u (cpu %s): %s, rip 0x%llx, "
		       "address 0x%llx",
		       PART_NAME_MAX, p->name, p->id, vcpu_index, cpu, reason,
		       (unsigned long long)rip, (unsigned long long)addr);
	} else if (state == PART_FAILED) {
		return; /* another CPU of p reported and is stopping the rest */
	} else {
		pr_warn("partition \"%.*s\" (id %u) fault on vcpu %u (cpu %s) in state %u, not "
			"running: %s, rip 0x%llx, address 0x%llx",
			PART_NAME_MAX, p->name, p->id, vcpu_index, cpu, state, reason,
			(unsigned long long)rip, (unsigned long long)addr);
	}
	arch_part_stop_cpus(p);
}

#ifdef BULKHEAD_FUZZ
/*
 * Fuzz builds link every host source of core/ with a small arch stand-in
 * (test/fuzz/fuzz_env.c) that has no partition CPUs to stop; a harness that
 * cares defines its own.
 */
__attribute__((weak)) void arch_part_stop_cpus(struct partition *p)
{
	(void)p;
}
#endif
