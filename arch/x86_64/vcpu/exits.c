// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic exit handlers of the x86 vCPU layer: what a decoded exit
 * (struct vexit, from svm/ or vmx/) means for the partition. One shared
 * policy for every back end: CPUID, MSRs, port I/O (string forms too),
 * stage-2 faults (trapped xAPIC page, registered MMIO), hypercalls,
 * shutdown, and the violations that stop a partition. Events the CPU was
 * delivering when the exit happened are re-injected, never lost.
 * Builds for the host too: unit tests drive it with a fake back end.
 */
#include <bulkhead/guest.h>
#include <bulkhead/hypercall.h>

#include "vcpu/guest_walk.h"
#include "vcpu/insn.h"
#include "vcpu/exits.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/scrub.h"

#define RFLAGS_DF      (1ULL << 10)
#define SEG_ATTR_L     (1u << 9)  /* 64-bit code segment */
#define SEG_ATTR_D     (1u << 10) /* default operand and address size 32 */
#define STRIO_MAX_ITER 1024	  /* elements per exit; a longer REP resumes in the guest */

/* off the CPUID/MSR/port fast path: no inlining into the dispatcher */
#define COLD __attribute__((noinline, cold))

static const char *const exit_names[VEXIT_COUNT] = {
	[VEXIT_CPUID] = "cpuid",
	[VEXIT_MSR_READ] = "rdmsr",
	[VEXIT_MSR_WRITE] = "wrmsr",
	[VEXIT_IO] = "io",
	[VEXIT_S2] = "s2",
	[VEXIT_XAPIC] = "xapic",
	[VEXIT_HYPERCALL] = "hypercall",
	[VEXIT_NMI] = "nmi",
	[VEXIT_INIT] = "init",
	[VEXIT_SHUTDOWN] = "shutdown",
	[VEXIT_INTR] = "intr",
	[VEXIT_VIRT_INSN] = "virt-insn",
	[VEXIT_FORBIDDEN] = "forbidden",
	[VEXIT_INVALID] = "invalid",
	[VEXIT_CTLREG] = "ctlreg",
	[VEXIT_OTHER] = "other",
};

const char *vcpu_exit_name(enum vexit_kind k)
{
	return (unsigned)k < VEXIT_COUNT ? exit_names[k] : "?";
}

COLD void vcpu_violation(struct vcpu *v, const char *reason, uint64_t addr)
{
	part_fail(v->part, v->index, reason, vcpu_backend->get(v, VREG_RIP), addr);
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	v->pending = (struct vevent){
		.valid = true,
		.type = VEVENT_EXCEPTION,
		.vector = vector,
		.has_error = has_error,
		.error = error,
	};
}

/*
 * EFER as a guest may change it: SCE and NXE, and LME while paging is off
 * (a 32-bit start going to long mode); the CPU sets LMA itself when paging
 * comes on. Returns false for anything else.
 */
static COLD bool efer_write(struct vcpu *v, uint64_t val)
{
	uint64_t cur = vcpu_backend->get(v, VREG_EFER);
	uint64_t mut = EFER_SCE | EFER_NXE;

	if (!(vcpu_backend->get(v, VREG_CR0) & CR0_PG))
		mut |= EFER_LME;
	if ((val & ~(EFER_SCE | EFER_NXE | EFER_LME | EFER_LMA)) != 0 ||
	    ((val ^ cur) & EFER_LME & ~mut))
		return false;
	vcpu_backend->set(v, VREG_EFER, (cur & ~mut) | (val & mut));
	return true;
}

void vcpu_lvt_masked(struct vcpu *v, const char *why)
{
	if (v->lvt_masked_said)
		return;
	v->lvt_masked_said = true;
	pr_info("partition \"%s\" vCPU %u: %s", v->part->name, v->index, why);
}

static void exit_msr(struct vcpu *v, const struct vexit *e, bool write)
{
	uint64_t *r = v->regs.gpr;
	uint32_t msr = e->msr.msr;
	uint64_t val = write ? (r[INSN_RDX] << 32) | (uint32_t)r[INSN_RAX] : 0;
	char reason[128];

	if (msr == MSR_EFER) {
		if (!write) {
			val = vcpu_backend->get(v, VREG_EFER);
		} else if (!efer_write(v, val)) {
			snprintf(reason, sizeof(reason), "WRMSR EFER 0x%llx not allowed",
				 (unsigned long long)val);
			vcpu_violation(v, reason, msr);
			return;
		}
	} else if (write && msr == X2APIC_MSR_ICR) {
		if (vcpu_send_ipi(v, val, reason, sizeof(reason)) < 0) {
			vcpu_violation(v, reason, val >> 32);
			return;
		}
	} else if (write && msr > X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST &&
		   vapic_lvt_reg((msr - X2APIC_MSR_FIRST) << 4)) {
		/* an LVT entry of the CPU's own x2APIC, written for the guest once checked */
		uint32_t lvt = (uint32_t)val;
		int rc = vapic_lvt_check((msr - X2APIC_MSR_FIRST) << 4, &lvt, reason,
					 sizeof(reason));

		if (rc < 0) {
			vcpu_violation(v, reason, msr);
			return;
		}
		if (rc == VAPIC_LVT_MASKED)
			vcpu_lvt_masked(v, reason);
		if (wrmsr_safe(msr, (val & ~0xffffffffULL) | lvt) < 0) {
			vcpu_inject_exception(v, X86_EXC_GP, true,
					      0); /* as the hardware refused it */
			return;
		}
	} else if (v->xp->emul.msr) {
		if (!v->xp->emul.msr(v, msr, write, &val)) {
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
			return;
		}
	} else {
		snprintf(reason, sizeof(reason), "%s of MSR 0x%x not allowed",
			 write ? "WRMSR" : "RDMSR", msr);
		vcpu_violation(v, reason, msr);
		return;
	}
	if (!write) {
		r[INSN_RAX] = (uint32_t)val;
		r[INSN_RDX] = val >> 32;
	}
	vcpu_skip(v, e->insn_len);
}

static COLD void io_refused(struct vcpu *v, const struct vexit *e)
{
	char reason[80];

	snprintf(reason, sizeof(reason), "I/O port 0x%x %s not in the partition's table",
		 e->io.port, e->io.in ? "read" : "write");
	vcpu_violation(v, reason, e->io.port);
}

/* The guest's paging state, for walks of its page tables. */
static struct guest_paging guest_paging_of(struct vcpu *v)
{
	const struct vcpu_ops *o = vcpu_backend;

	return (struct guest_paging){
		.cr0 = o->get(v, VREG_CR0),
		.cr3 = o->get(v, VREG_CR3),
		.cr4 = o->get(v, VREG_CR4),
		.efer = o->get(v, VREG_EFER),
	};
}

static int s2_gpa_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	return gmem_read(ctx, gpa, dst, len);
}

/* size bytes between guest-linear lin and buf, page by page; 0 or -HV_EFAULT */
static int guest_linear_copy(struct vcpu *v, const struct guest_paging *pg, uint64_t lin, void *buf,
			     unsigned size, bool to_guest)
{
	uint8_t *b = buf;

	while (size) {
		unsigned chunk = (unsigned)MIN((uint64_t)size, PAGE_SIZE - (lin & (PAGE_SIZE - 1)));
		uint64_t gpa;
		int rc;

		if (guest_walk(pg, lin, s2_gpa_read, v->part, &gpa) < 0)
			return -HV_EFAULT;
		rc = to_guest ? gmem_write(v->part, gpa, b, chunk)
			      : gmem_read(v->part, gpa, b, chunk);
		if (rc < 0)
			return -HV_EFAULT;
		lin += chunk;
		b += chunk;
		size -= chunk;
	}
	return 0;
}

/*
 * INS/OUTS (with or without REP) to an emulated port: element by element
 * through the guest's page tables, RSI/RDI and RCX updated as the CPU would
 * (direction flag, address size). In 64-bit mode the segment bases are 0
 * (an FS/GS override is not honoured); in 32-bit mode DS (OUTS) and ES
 * (INS) bases apply. 16-bit code is refused. At most STRIO_MAX_ITER
 * elements per exit: a longer REP goes back to the guest with RIP
 * unchanged and continues.
 */
static COLD void exit_io_string(struct vcpu *v, const struct vexit *e,
				const struct vcpu_port_range *pr)
{
	const struct vcpu_ops *o = vcpu_backend;
	uint64_t *r = v->regs.gpr;
	struct guest_paging pg = guest_paging_of(v);
	uint64_t cs = o->get(v, VREG_CS_ATTR);
	bool long64 = (pg.efer & EFER_LMA) && (cs & SEG_ATTR_L);
	unsigned asz = e->io.addr_size ? e->io.addr_size : long64 ? 8 : 4;
	uint64_t amask = asz == 8 ? ~0ULL : (1ULL << (8 * asz)) - 1;
	int idx = e->io.in ? INSN_RDI : INSN_RSI;
	uint64_t base = long64 ? 0 : o->get(v, e->io.in ? VREG_ES_BASE : VREG_DS_BASE);
	int64_t step = (o->get(v, VREG_RFLAGS) & RFLAGS_DF) ? -(int64_t)e->io.size : e->io.size;
	uint64_t count = e->io.rep ? r[INSN_RCX] & amask : 1, n;

	if (!long64 && !(cs & SEG_ATTR_D)) {
		vcpu_violation(v, "string I/O in 16-bit code is not emulated", e->io.port);
		return;
	}
	n = MIN(count, (uint64_t)STRIO_MAX_ITER);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t lin = (base + (r[idx] & amask)) & (long64 ? ~0ULL : 0xffffffffULL);
		uint32_t val = 0;

		if (!e->io.in && guest_linear_copy(v, &pg, lin, &val, e->io.size, false) < 0)
			goto fault;
		if (pr->fn(v, e->io.port, e->io.size, e->io.in, &val) < 0) {
			io_refused(v, e);
			return;
		}
		if (e->io.in && guest_linear_copy(v, &pg, lin, &val, e->io.size, true) < 0)
			goto fault;
		r[idx] = (r[idx] & ~amask) | ((r[idx] + (uint64_t)step) & amask);
		if (e->io.rep)
			r[INSN_RCX] = (r[INSN_RCX] & ~amask) | ((r[INSN_RCX] - 1) & amask);
	}
	if (count == n)
		vcpu_skip(v, e->insn_len);
	return;
fault:
	vcpu_violation(v,
		       "string I/O through guest memory that does not translate to the "
		       "partition's RAM",
		       e->io.port);
}

static void exit_io(struct vcpu *v, const struct vexit *e)
{
	const struct vcpu_port_range *pr = vcpu_emul_find_port(v->xp, e->io.port);
	uint64_t *rax = &v->regs.gpr[INSN_RAX];
	uint64_t mask = insn_ones(e->io.size);
	uint32_t val;

	if (!pr) {
		io_refused(v, e);
		return;
	}
	if (e->io.str) {
		exit_io_string(v, e, pr);
		return;
	}
	val = e->io.in ? 0 : (uint32_t)(*rax & mask);
	if (pr->fn(v, e->io.port, e->io.size, e->io.in, &val) < 0) {
		io_refused(v, e);
		return;
	}
	if (e->io.in) /* IN EAX zero-extends into RAX, like any 32-bit register write */
		*rax = e->io.size == 4 ? val : (*rax & ~mask) | (val & mask);
	vcpu_skip(v, e->insn_len);
}

/* What the guest had at RIP when an MMIO access could not be decoded, for the report. */
static COLD void mmio_report(const struct vcpu *v, const struct vexit *e, uint64_t rip,
			     const uint8_t *bytes, size_t n)
{
	char hex[3 * GUEST_FETCH_MAX + 1] = "";

	for (size_t i = 0; i < n; i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x", bytes[i]);
	pr_err("partition \"%s\" vCPU %u: %s of 0x%llx at rip 0x%llx: %zu instruction bytes "
	       "fetched:%s",
	       v->part->name, v->index, e->s2.write ? "write" : "read",
	       (unsigned long long)e->s2.gpa, (unsigned long long)rip, n, hex);
	if (v->mmio_last_exit)
		pr_err("partition \"%s\" vCPU %u: last emulated MMIO access: 0x%llx at rip 0x%llx, "
		       "%llu exits ago",
		       v->part->name, v->index, (unsigned long long)v->mmio_last_gpa,
		       (unsigned long long)v->mmio_last_rip,
		       (unsigned long long)(vcpu_exits_total(v) - v->mmio_last_exit));
}

/*
 * A stage-2 fault at an address with emulation (the trapped xAPIC page, a
 * registered MMIO range): fetch the instruction through the guest's page
 * tables, decode it, perform the access, write back the registers. Returns
 * false when it cannot be emulated (why says why).
 */
static COLD bool emulate_mmio(struct vcpu *v, const struct vexit *e, bool xapic,
			      const struct vcpu_mmio_range *mr, char *why, size_t why_len)
{
	const struct vcpu_ops *o = vcpu_backend;
	uint64_t *r = v->regs.gpr;
	struct guest_paging pg = guest_paging_of(v);
	uint64_t cs = o->get(v, VREG_CS_ATTR), rip = o->get(v, VREG_RIP), val = 0;
	bool long64 = (pg.efer & EFER_LMA) && (cs & SEG_ATTR_L);
	/* 16-bit code (CS.D clear outside long mode) is passed as such: the decoder refuses it */
	int mode = long64 ? INSN_MODE_64 : (cs & SEG_ATTR_D) ? INSN_MODE_32 : 16;
	uint8_t bytes[GUEST_FETCH_MAX];
	struct insn_mmio in;
	size_t n;
	int rc;

	if (!long64)
		rip = (rip + o->get(v, VREG_CS_BASE)) & 0xffffffffULL;
	n = guest_fetch_insn(&pg, rip, s2_gpa_read, v->part, bytes);
	if (n == 0 || insn_decode_mmio(bytes, n, mode, &in) < 0) {
		mmio_report(v, e, rip, bytes, n);
		snprintf(why, why_len, "MMIO access by an instruction that cannot be emulated");
		return false;
	}
	/* another vCPU may have rewritten the instruction since the fault */
	if (in.write != e->s2.write) {
		snprintf(why, why_len, "MMIO access changed between fault and decode");
		return false;
	}
	r[INSN_RSP] = o->get(v, VREG_RSP);
	if (in.write)
		val = insn_write_value(&in, r);
	if (xapic)
		rc = vapic_access(v, (uint32_t)(e->s2.gpa - XAPIC_PAGE), in.size, in.write, &val,
				  why, why_len);
	else
		rc = mr->fn(v, e->s2.gpa, in.size, in.write, &val);
	if (rc < 0) {
		if (!xapic)
			snprintf(why, why_len, "MMIO %s of 0x%llx refused",
				 in.write ? "write" : "read", (unsigned long long)e->s2.gpa);
		return false;
	}
	if (!in.write) {
		insn_complete_read(&in, r, val);
		o->set(v, VREG_RSP, r[INSN_RSP]);
	}
	vcpu_skip(v, in.len);
	v->mmio_last_rip = rip;
	v->mmio_last_gpa = e->s2.gpa;
	v->mmio_last_exit = vcpu_exits_total(v);
	return true;
}

static bool xapic_gpa(const struct vcpu *v, uint64_t gpa)
{
	return !v->x2apic && gpa >= XAPIC_PAGE && gpa < XAPIC_PAGE + PAGE_SIZE;
}

static COLD void exit_s2(struct vcpu *v, const struct vexit *e)
{
	uint64_t gpa = e->s2.gpa;
	bool xapic = xapic_gpa(v, gpa);
	const struct vcpu_mmio_range *mr = xapic ? NULL : vcpu_emul_find_mmio(v->xp, gpa);
	char why[96];

	/* the partition's timers run on its exits (the root's xAPIC EOIs, its MMIO) */
	if (v->xp->emul.poll)
		v->xp->emul.poll(v);
	/* the emulated pages first: they are the exits of a running guest */
	if ((xapic || mr) && !e->s2.fetch && !e->interrupted.valid) {
		if (!emulate_mmio(v, e, xapic, mr, why, sizeof(why)))
			vcpu_violation(v, why, gpa);
		return;
	}
	/*
	 * RAM not scrubbed yet has no entry (core/scrub.h): zeroed and mapped
	 * now, the access is retried (an interrupted event goes in again). A
	 * fault that raced the end of the boot CPU's sweep finds no scrub state
	 * but its entry there: retried too. A second such fault at one address
	 * means the entry did not appear.
	 */
	if (!e->s2.present && !xapic && !mr &&
	    (part_scrub_fault(v->part, gpa) || part_scrub_region(v->part, gpa))) {
		if (v->scrub_retry_gpa != gpa + 1) {
			v->scrub_retry_gpa = gpa + 1;
			return;
		}
		vcpu_violation(v, "stage-2 entry missing after scrubbing", gpa);
		return;
	}
	if (e->interrupted.valid) {
		/* the fault hit while the CPU delivered an event (IDT, stack): nothing to emulate */
		vcpu_violation(v, "event delivery touched memory outside the partition's RAM", gpa);
		return;
	}
	vcpu_violation(v,
		       e->s2.fetch   ? "instruction fetch outside the partition's memory"
		       : e->s2.write ? "write outside the partition's memory or to read-only memory"
				     : "read outside the partition's memory",
		       gpa);
}

/*
 * Whether an event the exit interrupted must be injected again. Software
 * interrupts and exceptions (INTn, INT3, INTO) are not: the CPU saved the
 * RIP of their instruction, which raises them again when it re-executes.
 */
static bool reinjectable(const struct vevent *ev)
{
	switch (ev->type) {
	case VEVENT_EXTINT:
	case VEVENT_NMI:
		return true;
	case VEVENT_EXCEPTION:
		return ev->vector != 3 && ev->vector != 4; /* #BP, #OF: INT3, INTO */
	default:
		return false;
	}
}

void vcpu_handle_exit_slow(struct vcpu *v, const struct vexit *e)
{
	char reason[80];

	enum vexit_kind k = e->kind < VEXIT_COUNT ? e->kind : VEXIT_OTHER;

	if (k == VEXIT_S2 && xapic_gpa(v, e->s2.gpa))
		k = VEXIT_XAPIC;
	v->exits[k]++;
	/* an event the exit interrupted goes in again at the next entry (SDM 27.2.4, APM 15.7.2) */
	if (e->interrupted.valid && reinjectable(&e->interrupted))
		v->pending = e->interrupted;
	switch (e->kind) {
	case VEXIT_CPUID:
		vcpu_exit_cpuid(v, e->insn_len);
		break;
	case VEXIT_MSR_READ:
	case VEXIT_MSR_WRITE:
		exit_msr(v, e, e->kind == VEXIT_MSR_WRITE);
		break;
	case VEXIT_IO:
		exit_io(v, e);
		break;
	case VEXIT_S2:
		exit_s2(v, e);
		break;
	case VEXIT_HYPERCALL:
		vcpu_exit_hypercall(v, e->insn_len);
		break;
	case VEXIT_INIT:
		/*
		 * A physical INIT reached the partition's CPU (nothing the
		 * hypervisor sends: its INITs to a vCPU are virtual). Redirected
		 * as #SX, it is gone: counted per CPU, said by the exit report,
		 * and the guest goes on. Otherwise it is still pending and would
		 * reset the CPU under the hypervisor as soon as GIF opens: the
		 * partition stops with the reason (docs/threat-model.md).
		 */
		if (!e->init.redirected)
			part_fail(v->part, v->index,
				  "a physical INIT reached its CPU, which cannot redirect it "
				  "(no VM_CR.R_INIT): the INIT takes the CPU",
				  0, 0);
		break;
	case VEXIT_NMI: /* the hypervisor's kick or stop: the run loop sees why */
	case VEXIT_INTR:
	case VEXIT_CTLREG: /* completed by the back end */
		break;
	case VEXIT_SHUTDOWN:
		if (v->xp->emul.shutdown)
			v->xp->emul.shutdown(v);
		else
			vcpu_violation(v, "triple fault (shutdown)", 0);
		break;
	case VEXIT_VIRT_INSN:
		snprintf(reason, sizeof(reason), "forbidden %s (exit 0x%llx)",
			 e->raw.what ? e->raw.what : "virtualization instruction",
			 (unsigned long long)e->raw.code);
		vcpu_violation(v, reason, 0);
		break;
	case VEXIT_FORBIDDEN:
		vcpu_violation(v, e->raw.what ? e->raw.what : "forbidden instruction", 0);
		break;
	case VEXIT_INVALID:
		snprintf(reason, sizeof(reason), "the CPU refused the guest state (%s)",
			 e->raw.what ? e->raw.what : "invalid");
		vcpu_violation(v, reason, e->raw.info);
		break;
	default:
		snprintf(reason, sizeof(reason), "unexpected exit 0x%llx",
			 (unsigned long long)e->raw.code);
		vcpu_violation(v, reason, e->raw.info);
		break;
	}
}
