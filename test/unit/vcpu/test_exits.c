// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic exit handlers (arch/x86_64/vcpu/exits.c, emul.c) driven by a
 * fake back end: the CPUID and MSR policies, port I/O and MMIO dispatch to
 * registered emulation (string I/O too), stage-2 faults, hypercalls,
 * shutdown, exit counters, and the re-injection of an event an exit
 * interrupted. The guest is a test partition whose RAM is host memory.
 */
#include <bulkhead/guest.h>
#include <bulkhead/hypercall.h>

#include "../check.h"
#include "../part/part_fixture.h"
#include "vcpu/exits.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "core/errno.h"
#include "core/scrub.h"

int test_log_contains(const char *needle);
void test_log_clear(void);

/* ---- the fake back end: guest state in a struct ---- */

static struct {
	uint64_t reg[VREG_SS_ATTR + 1];
	unsigned skips;
} fk;

static uint64_t fake_get(struct vcpu *v, enum vreg r)
{
	(void)v;
	return fk.reg[r];
}

static void fake_set(struct vcpu *v, enum vreg r, uint64_t val)
{
	(void)v;
	fk.reg[r] = val;
}

static const struct vcpu_ops fake_ops = {
	.name = "fake",
	.s2_name = "fake",
	.virt_insn = "fake-insn",
	.get = fake_get,
	.set = fake_set,
};

const struct vcpu_ops *vcpu_backend = &fake_ops;

/* ---- what the handlers call outside exits.c ---- */

static uint64_t ipi_icr;
static int ipi_calls, ipi_refuse;
static unsigned stops;

int vcpu_send_ipi(struct vcpu *v, uint64_t icr, char *why, size_t why_len)
{
	(void)v;
	ipi_calls++;
	ipi_icr = icr;
	if (ipi_refuse) {
		snprintf(why, why_len, "forbidden IPI");
		return -HV_EPERM;
	}
	return 0;
}

static uint32_t vapic_off;
static uint64_t vapic_val;

int vapic_access(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val, char *why,
		 size_t why_len)
{
	(void)v;
	(void)why;
	(void)why_len;
	vapic_off = off;
	if (size != 4)
		return -HV_EINVAL;
	if (write)
		vapic_val = *val;
	else
		*val = 0xfeedbeef;
	return 0;
}

/* the CPU's own MSRs: an LVT write that passed the policy lands here */
static uint32_t wrmsr_msr;
static uint64_t wrmsr_val;
static int wrmsr_calls, wrmsr_fault;

int wrmsr_safe(uint32_t msr, uint64_t val)
{
	wrmsr_calls++;
	wrmsr_msr = msr;
	wrmsr_val = val;
	return wrmsr_fault ? -HV_EFAULT : 0;
}

void arch_part_stop_cpus(struct partition *p)
{
	(void)p;
	stops++;
}

/* ---- registered emulation ---- */

static uint8_t port_log[4096];
static unsigned port_n;
static uint32_t port_last, in_value = 0x11223344;
static uint16_t port_port;
static unsigned port_size;

static int port_fn(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val)
{
	(void)v;
	port_port = port;
	port_size = size;
	if (in) {
		*val = in_value & (uint32_t)insn_ones(size);
		return 0;
	}
	port_last = *val;
	for (unsigned i = 0; i < size && port_n < sizeof(port_log); i++)
		port_log[port_n++] = (uint8_t)(*val >> (8 * i));
	return 0;
}

static uint64_t mmio_gpa, mmio_val;
static unsigned mmio_size;
static bool mmio_write;

static int mmio_fn(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	(void)v;
	mmio_gpa = gpa;
	mmio_size = size;
	mmio_write = write;
	if (write)
		mmio_val = *val;
	else
		*val = 0xa5a5a5a5a5a5a5a5ULL;
	return 0;
}

static int msr_calls;
static bool msr_allow;

static bool msr_fn(struct vcpu *v, uint32_t msr, bool write, uint64_t *val)
{
	(void)v;
	(void)msr;
	msr_calls++;
	if (msr_allow && !write)
		*val = 0x1234567890ULL;
	return msr_allow;
}

static int shutdowns;

static void shutdown_fn(struct vcpu *v)
{
	(void)v;
	shutdowns++;
}

/* ---- fixture ---- */

/* What a back end does around the generic handler: hand over the exit, then apply v->skip. */
static void handle(struct vcpu *v, const struct vexit *e)
{
	vcpu_handle_exit(v, e);
	if (v->skip) {
		fk.reg[VREG_RIP] += v->skip;
		fk.skips++;
		v->skip = 0;
	}
}

static struct partition part;
static struct x86_part xp;
static struct vcpu vc;

#define RIP0	 0x101000ULL /* code in FX_RAM */
#define DATA_GPA 0x102000ULL

static void setup(bool root)
{
	if (part.region_count)
		fx_free(&part);
	fx_init(&part);
	memset(&xp, 0, sizeof(xp));
	memset(&vc, 0, sizeof(vc));
	memset(&fk, 0, sizeof(fk));
	part.arch = &xp;
	vc.part = &part;
	vc.xp = &xp;
	vc.index = 1;
	vc.x2apic = true;
	fk.reg[VREG_RIP] = RIP0;
	fk.reg[VREG_CR0] = CR0_PE | CR0_ET; /* protected mode, paging off: linear = physical */
	fk.reg[VREG_EFER] = 0;
	fk.reg[VREG_CS_ATTR] = 0x0c9b; /* 32-bit code */
	fk.reg[VREG_RFLAGS] = 0x2;
	if (root) {
		CHECK_EQ(vcpu_emul_port(&xp, 0, 0x10000, port_fn), 0);
		CHECK_EQ(vcpu_emul_mmio(&xp, 0xfe000000, 0x100000, mmio_fn), 0);
		xp.emul.msr = msr_fn;
		xp.emul.shutdown = shutdown_fn;
	}
	port_n = 0;
	ipi_calls = ipi_refuse = 0;
	msr_calls = 0;
	shutdowns = 0;
	stops = 0;
	test_log_clear();
}

static struct vexit ex(enum vexit_kind k, unsigned len)
{
	struct vexit e;

	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.insn_len = (uint8_t)len;
	return e;
}

static void test_cpuid(void)
{
	struct vexit e = ex(VEXIT_CPUID, 2);
	uint32_t a, b, c, d;

	setup(false);
	vc.x2apic = false;
	vc.regs.gpr[INSN_RAX] = 1;
	handle(&vc, &e);
	cpuid(1, 0, &a, &b, &c, &d);
	CHECK(vc.regs.gpr[INSN_RCX] & (1u << 31));		    /* hypervisor present */
	CHECK(!(vc.regs.gpr[INSN_RCX] & (1u << 5)));		    /* no VMX */
	CHECK(!(vc.regs.gpr[INSN_RCX] & (1u << 21)));		    /* no x2APIC on an xAPIC CPU */
	CHECK(!(vc.regs.gpr[INSN_RDX] & ((1u << 7) | (1u << 14)))); /* no MCE/MCA */
	CHECK_EQ(vc.regs.gpr[INSN_RAX], a);			    /* the rest passes */
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	CHECK_EQ(vc.exits[VEXIT_CPUID], 1);
	/* OSXSAVE follows the guest's CR4.OSXSAVE, never the host's (setup: CR4 0) */
	CHECK(!(vc.regs.gpr[INSN_RCX] & (1u << 27)));
	fk.reg[VREG_CR4] = 1ULL << 18;
	vc.regs.gpr[INSN_RAX] = 1;
	handle(&vc, &e);
	CHECK_EQ(!!(vc.regs.gpr[INSN_RCX] & (1u << 27)), !!(c & (1u << 26))); /* where XSAVE is */
	fk.reg[VREG_CR4] = 0;
	vc.regs.gpr[INSN_RAX] = 7;
	vc.regs.gpr[INSN_RCX] = 0;
	handle(&vc, &e);
	CHECK(!(vc.regs.gpr[INSN_RCX] & (1u << 4))); /* OSPKE: CR4.PKE is clear */

	vc.regs.gpr[INSN_RAX] = BH_CPUID_LEAF_BASE;
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], BH_CPUID_LEAF_INFO);
	CHECK_EQ(vc.regs.gpr[INSN_RBX], BH_CPUID_SIG_EBX);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], BH_CPUID_SIG_ECX);
	CHECK_EQ(vc.regs.gpr[INSN_RDX], BH_CPUID_SIG_EDX);
	vc.regs.gpr[INSN_RAX] = BH_CPUID_LEAF_INFO;
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], BH_HYPERCALL_ABI_VERSION);
	CHECK_EQ(vc.regs.gpr[INSN_RBX], part.id);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], (uint32_t)part.tsc_khz);
	CHECK_EQ(vc.regs.gpr[INSN_RDX], 1);
	vc.regs.gpr[INSN_RAX] = 0x40000007; /* other hypervisor leaves: zero */
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX] | vc.regs.gpr[INSN_RBX] | vc.regs.gpr[INSN_RDX], 0);
	vc.regs.gpr[INSN_RAX] = 0x8000000a; /* the SVM leaf: hidden */
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX] | vc.regs.gpr[INSN_RBX] | vc.regs.gpr[INSN_RDX], 0);
	CHECK_EQ(vc.exits[VEXIT_CPUID], 7);
	CHECK_EQ(fk.skips, 7);
	CHECK_EQ(part.state, PART_RUNNING);
}

static void test_msr(void)
{
	struct vexit rd = ex(VEXIT_MSR_READ, 2), wr = ex(VEXIT_MSR_WRITE, 2);

	setup(false);
	fk.reg[VREG_EFER] = EFER_LME | EFER_LMA;
	rd.msr.msr = MSR_EFER;
	handle(&vc, &rd);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], EFER_LME | EFER_LMA);
	CHECK_EQ(vc.regs.gpr[INSN_RDX], 0);
	/* SCE and NXE may change; LME may not while paging is on */
	fk.reg[VREG_CR0] |= CR0_PG;
	wr.msr.msr = MSR_EFER;
	vc.regs.gpr[INSN_RAX] = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
	handle(&vc, &wr);
	CHECK_EQ(fk.reg[VREG_EFER], EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 4);
	vc.regs.gpr[INSN_RAX] = EFER_SCE; /* LME off with paging on */
	handle(&vc, &wr);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("WRMSR EFER 0x1 not allowed"));
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 4); /* a violation does not advance */

	/* an x2APIC ICR write goes to the IPI filter */
	setup(false);
	wr.msr.msr = 0x830;
	vc.regs.gpr[INSN_RAX] = 0x4030;
	vc.regs.gpr[INSN_RDX] = 7;
	handle(&vc, &wr);
	CHECK_EQ(ipi_calls, 1);
	CHECK_EQ(ipi_icr, 0x700004030ULL);
	CHECK_EQ(part.state, PART_RUNNING);
	ipi_refuse = 1;
	handle(&vc, &wr);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("forbidden IPI"));

	/* x2APIC LVT entries: fixed, NMI, ExtINT or masked go to the CPU's APIC */
	setup(false);
	wrmsr_calls = wrmsr_fault = 0;
	wr.msr.msr = 0x835; /* LINT0 */
	vc.regs.gpr[INSN_RDX] = 0;
	vc.regs.gpr[INSN_RAX] = 0x700; /* ExtINT, unmasked: Linux's virtual wire */
	test_log_clear();
	handle(&vc, &wr);
	CHECK_EQ(wrmsr_calls, 1);
	CHECK_EQ(wrmsr_msr, 0x835);
	CHECK_EQ(wrmsr_val, 0x10700); /* written masked, said once */
	CHECK(test_log_contains("APIC LVT 0x350 = 0x700: ExtINT (the 8259's virtual wire) is "
				"never given; written masked"));
	CHECK_EQ(part.state, PART_RUNNING);
	test_log_clear();
	handle(&vc, &wr);
	CHECK(!test_log_contains("ExtINT"));
	CHECK_EQ(wrmsr_calls, 2);
	wrmsr_calls = 1;
	fk.reg[VREG_RIP] -= 2;		 /* as if that second write had not been */
	vc.regs.gpr[INSN_RAX] = 0x10200; /* SMI, masked */
	handle(&vc, &wr);
	CHECK_EQ(wrmsr_calls, 2);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 4);
	/* the hardware refuses a value (reserved bits): #GP for the guest, nothing else */
	wrmsr_fault = 1;
	vc.regs.gpr[INSN_RAX] = 0x400;
	handle(&vc, &wr);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.vector, 13);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 4);
	vc.pending.valid = false;
	wrmsr_fault = 0;
	/* an unmasked SMI through LINT1: the partition stops, the APIC is not written */
	wr.msr.msr = 0x836;
	vc.regs.gpr[INSN_RAX] = 0x200;
	handle(&vc, &wr);
	CHECK_EQ(wrmsr_calls, 3);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("APIC LVT 0x360 = 0x200: SMI delivery refused"));
	/* INIT through the performance counter LVT */
	setup(false);
	wr.msr.msr = 0x834;
	vc.regs.gpr[INSN_RAX] = 0x500;
	handle(&vc, &wr);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("APIC LVT 0x340 = 0x500: INIT delivery refused"));
	/* the timer entry (no delivery mode) is checked too: an exception vector stops it */
	setup(false);
	wrmsr_calls = 0;
	wr.msr.msr = 0x832;
	vc.regs.gpr[INSN_RAX] = 0x20012; /* periodic, vector 18 (#MC) */
	handle(&vc, &wr);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK_EQ(wrmsr_calls, 0);
	CHECK(test_log_contains("APIC LVT 0x320 = 0x20012: vector 18 is an exception vector"));
	setup(false);
	vc.regs.gpr[INSN_RAX] = 0x400ec; /* TSC-deadline, vector 0xec: passes */
	handle(&vc, &wr);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(wrmsr_calls, 1);
	CHECK_EQ(wrmsr_val, 0x400ec);

	/* an RT partition: any other MSR is a violation */
	setup(false);
	rd.msr.msr = 0x1a0;
	handle(&vc, &rd);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("RDMSR of MSR 0x1a0 not allowed"));
	CHECK_EQ(stops, 1);

	/* registered MSR emulation: done, or #GP without advancing */
	setup(true);
	msr_allow = true;
	handle(&vc, &rd);
	CHECK_EQ(msr_calls, 1);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], 0x34567890);
	CHECK_EQ(vc.regs.gpr[INSN_RDX], 0x12);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	msr_allow = false;
	handle(&vc, &rd);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.type, VEVENT_EXCEPTION);
	CHECK_EQ(vc.pending.vector, 13);
	CHECK(vc.pending.has_error);
	CHECK_EQ(vc.pending.error, 0);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(vc.exits[VEXIT_MSR_READ], 2);
}

/* The LVT policy itself, every register and delivery mode. */
static void test_lvt_policy(void)
{
	static const uint32_t with_mode[] = { 0x2f0, 0x330, 0x340, 0x350, 0x360 };
	char why[128];
	uint32_t v;

	for (uint32_t off = 0; off < 0x400; off += 0x10) {
		bool has = false, lvt = off == 0x320 || off == 0x370;

		for (size_t i = 0; i < sizeof(with_mode) / sizeof(with_mode[0]); i++)
			has |= off == with_mode[i];
		lvt |= has;
		CHECK_EQ(vapic_lvt_has_mode(off), has);
		CHECK_EQ(vapic_lvt_reg(off), lvt);
		for (uint32_t mode = 0; mode < 8; mode++) {
			uint32_t val = 0x31 | mode << 8;
			/* the timer and error entries have no mode field: their bits 10:8 mean nothing here */
			uint32_t eff = has ? mode : 0;
			int want = !lvt			  ? 0
				   : eff == 0 || eff == 4 ? 0
				   : eff == 7		  ? VAPIC_LVT_MASKED
							  : -HV_EPERM;

			v = val;
			CHECK_EQ(vapic_lvt_check(off, &v, why, sizeof(why)), want);
			CHECK_EQ(v, want == VAPIC_LVT_MASKED ? val | 0x10000 : val);
			v = val | 0x10000; /* masked: anything */
			CHECK_EQ(vapic_lvt_check(off, &v, why, sizeof(why)), 0);
			CHECK_EQ(v, val | 0x10000);
		}
		/* a fixed vector below 32 is an exception vector; NMI ignores the vector */
		v = 0x1f;
		CHECK_EQ(vapic_lvt_check(off, &v, why, sizeof(why)), lvt ? -HV_EPERM : 0);
		v = 0x20;
		CHECK_EQ(vapic_lvt_check(off, &v, why, sizeof(why)), 0);
		v = 0x400;
		CHECK_EQ(vapic_lvt_check(off, &v, why, sizeof(why)),
			 lvt && !has ? -HV_EPERM : 0); /* no mode field: vector 0 */
	}
	v = 0x600;
	CHECK_EQ(vapic_lvt_check(0x350, &v, why, sizeof(why)), -HV_EPERM);
	CHECK(!strcmp(why, "APIC LVT 0x350 = 0x600: reserved (6) delivery refused"));
	v = 0x10;
	CHECK_EQ(vapic_lvt_check(0x370, &v, why, sizeof(why)), -HV_EPERM);
	CHECK(!strcmp(why, "APIC LVT 0x370 = 0x10: vector 16 is an exception vector"));
}

/* The xAPIC page's write policy: what reaches the CPU's APIC, what stays virtual. */
static void test_vapic_policy(void)
{
	static const uint32_t forwarded[] = { 0x80, 0xb0, 0x280, 0x380, 0x3e0 };
	char why[128];
	uint32_t v;

	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		v = 0x12345678;
		CHECK_EQ(vapic_write_policy(forwarded[i], &v, why, sizeof(why)), VAPIC_FORWARD);
		CHECK_EQ(v, 0x12345678);
	}
	/* LDR and DFR are the vCPU's own: reserved bits as the APIC has them */
	v = 0x01ffffff;
	CHECK_EQ(vapic_write_policy(0xd0, &v, why, sizeof(why)), VAPIC_LDR);
	CHECK_EQ(v, 0x01000000);
	v = 0x0;
	CHECK_EQ(vapic_write_policy(0xe0, &v, why, sizeof(why)), VAPIC_DFR);
	CHECK_EQ(v, 0x0fffffff);
	v = 0x02000000;
	CHECK_EQ(vapic_write_policy(0x310, &v, why, sizeof(why)), VAPIC_ICR_HI);
	v = 0x4030;
	CHECK_EQ(vapic_write_policy(0x300, &v, why, sizeof(why)), VAPIC_ICR_LO);
	/* SVR: any spurious vector (Linux writes 0x10f at shutdown) */
	v = 0x1ff;
	CHECK_EQ(vapic_write_policy(0xf0, &v, why, sizeof(why)), VAPIC_FORWARD);
	v = 0x10f;
	CHECK_EQ(vapic_write_policy(0xf0, &v, why, sizeof(why)), VAPIC_FORWARD);
	CHECK_EQ(v, 0x10f);
	/* LVT entries through the LVT policy */
	v = 0x700;
	CHECK_EQ(vapic_write_policy(0x350, &v, why, sizeof(why)), VAPIC_MASKED);
	CHECK_EQ(v, 0x10700);
	v = 0x400;
	CHECK_EQ(vapic_write_policy(0x360, &v, why, sizeof(why)), VAPIC_FORWARD);
	v = 0x200;
	CHECK_EQ(vapic_write_policy(0x360, &v, why, sizeof(why)), VAPIC_REFUSED);
	v = 0xec;
	CHECK_EQ(vapic_write_policy(0x320, &v, why, sizeof(why)), VAPIC_FORWARD);
	/* everything else: the ID, read-only and reserved registers, offset 0 */
	for (uint32_t off = 0; off < 0x1000; off += 0x10) {
		bool known = off == 0x80 || off == 0xb0 || off == 0xd0 || off == 0xe0 ||
			     off == 0xf0 || off == 0x280 || off == 0x300 || off == 0x310 ||
			     off == 0x380 || off == 0x3e0 || vapic_lvt_reg(off);

		v = 0x101ff; /* masked for an LVT entry */
		CHECK_EQ(vapic_write_policy(off, &v, why, sizeof(why)) == VAPIC_REFUSED, !known);
	}
	v = 0x5000000;
	CHECK_EQ(vapic_write_policy(0x20, &v, why, sizeof(why)), VAPIC_REFUSED);
	CHECK(!strcmp(why, "APIC ID 0x20 write 0x5000000 refused"));
	v = 1;
	CHECK_EQ(vapic_write_policy(0, &v, why, sizeof(why)), VAPIC_REFUSED);
	CHECK(!strcmp(why, "APIC register 0x0 write 0x1 refused"));
}

/* A physical INIT at a partition's CPU: dropped when redirected, else the partition stops. */
static void test_init_exit(void)
{
	struct vexit e = ex(VEXIT_INIT, 0);

	setup(false);
	e.init.redirected = true;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(vc.exits[VEXIT_INIT], 1);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0);
	e.init.redirected = false;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("a physical INIT reached its CPU, which cannot redirect it"));
}

static struct vexit io(uint16_t port, unsigned size, bool in, unsigned len)
{
	struct vexit e = ex(VEXIT_IO, len);

	e.io.port = port;
	e.io.size = (uint8_t)size;
	e.io.in = in;
	return e;
}

static void test_io(void)
{
	struct vexit e = io(0x80, 1, false, 2);

	/* nothing registered: the table's ports never exit, anything else is a violation */
	setup(false);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("I/O port 0x80 write not in the partition's table"));

	setup(true);
	vc.regs.gpr[INSN_RAX] = 0xffffffffdeadbe41ULL;
	handle(&vc, &e);
	CHECK_EQ(port_port, 0x80);
	CHECK_EQ(port_size, 1);
	CHECK_EQ(port_last, 0x41); /* only the access's bytes go out */
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	e = io(0x3fd, 1, true, 1);
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], 0xffffffffdeadbe44ULL); /* IN AL merges */
	e = io(0xcfc, 2, true, 2);
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], 0xffffffffdead3344ULL); /* IN AX merges */
	e = io(0xcfc, 4, true, 1);
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], 0x11223344ULL); /* IN EAX zero-extends */
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 6);
	CHECK_EQ(vc.exits[VEXIT_IO], 4);
	CHECK_EQ(part.state, PART_RUNNING);
}

static void test_string_io(void)
{
	static const char msg[] = "Bulkhead string I/O";
	const unsigned n = sizeof(msg) - 1;
	struct vexit e = io(0x3f8, 1, false, 2);
	uint8_t *mem;

	setup(true);
	mem = fx_host(&part, FX_RAM, DATA_GPA);
	memcpy(mem, msg, n);
	e.io.str = e.io.rep = true;
	e.io.addr_size = 4;
	vc.regs.gpr[INSN_RSI] = DATA_GPA;
	vc.regs.gpr[INSN_RCX] = n;
	handle(&vc, &e);
	CHECK_EQ(port_n, n);
	CHECK(memcmp(port_log, msg, n) == 0);
	CHECK_EQ(vc.regs.gpr[INSN_RSI], DATA_GPA + n);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], 0);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	CHECK_EQ(part.state, PART_RUNNING);

	/* OUTSW without REP: one element, RSI += 2 */
	port_n = 0;
	e.io.size = 2;
	e.io.rep = false;
	vc.regs.gpr[INSN_RSI] = DATA_GPA;
	vc.regs.gpr[INSN_RCX] = 99;
	handle(&vc, &e);
	CHECK_EQ(port_n, 2);
	CHECK_EQ(port_last, (uint32_t)('B' | 'u' << 8));
	CHECK_EQ(vc.regs.gpr[INSN_RSI], DATA_GPA + 2);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], 99);

	/* REP INSB with the direction flag set: RDI goes down */
	e = io(0x3fd, 1, true, 2);
	e.io.str = e.io.rep = true;
	e.io.addr_size = 4;
	fk.reg[VREG_RFLAGS] |= 1u << 10;
	vc.regs.gpr[INSN_RDI] = DATA_GPA + 0x103;
	vc.regs.gpr[INSN_RCX] = 4;
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RDI], DATA_GPA + 0xff);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], 0);
	CHECK(fx_all(mem + 0x100, 4, 0x44));

	/* a long REP goes back to the guest after 1024 elements, RIP unchanged */
	port_n = 0;
	fk.reg[VREG_RFLAGS] = 0x2;
	e = io(0x3f8, 1, false, 2);
	e.io.str = e.io.rep = true;
	e.io.addr_size = 4;
	vc.regs.gpr[INSN_RSI] = DATA_GPA;
	vc.regs.gpr[INSN_RCX] = 3000;
	{
		uint64_t rip = fk.reg[VREG_RIP];

		handle(&vc, &e);
		CHECK_EQ(vc.regs.gpr[INSN_RCX], 3000 - 1024);
		CHECK_EQ(fk.reg[VREG_RIP], rip);
		handle(&vc, &e);
		handle(&vc, &e);
		CHECK_EQ(vc.regs.gpr[INSN_RCX], 0);
		CHECK_EQ(fk.reg[VREG_RIP], rip + 2);
		CHECK_EQ(port_n, 3000); /* every byte went out, once */
	}

	/* REP with RCX = 0 does nothing but move on */
	port_n = 0;
	handle(&vc, &e);
	CHECK_EQ(port_n, 0);

	/* a buffer outside the partition's RAM stops it; 16-bit code is refused */
	vc.regs.gpr[INSN_RSI] = 0x40000000;
	vc.regs.gpr[INSN_RCX] = 1;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("string I/O through guest memory"));
	setup(true);
	fk.reg[VREG_CS_ATTR] = 0x009b;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("string I/O in 16-bit code"));
}

static struct vexit s2(uint64_t gpa, bool write)
{
	struct vexit e = ex(VEXIT_S2, 0);

	e.s2.gpa = gpa;
	e.s2.write = write;
	return e;
}

static void test_mmio(void)
{
	uint8_t *code;
	struct vexit e;

	setup(true);
	code = fx_host(&part, FX_RAM, RIP0);
	code[0] = 0x89; /* mov %eax, (%rbx) */
	code[1] = 0x03;
	code[2] = 0x8b; /* mov (%rbx), %ecx */
	code[3] = 0x0b;
	vc.regs.gpr[INSN_RAX] = 0xcafef00d;
	e = s2(0xfe001000, true);
	handle(&vc, &e);
	CHECK(mmio_write);
	CHECK_EQ(mmio_gpa, 0xfe001000);
	CHECK_EQ(mmio_size, 4);
	CHECK_EQ(mmio_val, 0xcafef00d);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 2);
	e = s2(0xfe001004, false);
	handle(&vc, &e);
	CHECK(!mmio_write);
	CHECK_EQ(vc.regs.gpr[INSN_RCX], 0xa5a5a5a5);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 4);
	CHECK_EQ(vc.exits[VEXIT_S2], 2);
	CHECK_EQ(part.state, PART_RUNNING);

	/* the decoded access must match the fault */
	fk.reg[VREG_RIP] = RIP0;
	e = s2(0xfe001000, false);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("MMIO access changed between fault and decode"));

	/* the trapped xAPIC page on an xAPIC CPU: counted apart, emulated by vapic */
	setup(false);
	vc.x2apic = false;
	code = fx_host(&part, FX_RAM, RIP0);
	code[0] = 0x89;
	code[1] = 0x03;
	vc.regs.gpr[INSN_RAX] = 0x4030;
	e = s2(XAPIC_PAGE + 0x300, true);
	handle(&vc, &e);
	CHECK_EQ(vapic_off, 0x300);
	CHECK_EQ(vapic_val, 0x4030);
	CHECK_EQ(vc.exits[VEXIT_XAPIC], 1);
	CHECK_EQ(vc.exits[VEXIT_S2], 0);
	CHECK_EQ(part.state, PART_RUNNING);

	/* no emulation: a violation naming the kind of access */
	e = s2(0x40000000, true);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("write outside the partition's memory"));
	setup(true);
	e = s2(0xfe000000, false);
	e.s2.fetch = true;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("instruction fetch outside the partition's memory"));
}

static void test_reinject(void)
{
	struct vexit e = ex(VEXIT_NMI, 0);

	/* an external interrupt being delivered when the kick NMI came: not lost */
	setup(false);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_EXTINT, .vector = 0x31 };
	handle(&vc, &e);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.type, VEVENT_EXTINT);
	CHECK_EQ(vc.pending.vector, 0x31);
	CHECK_EQ(vc.exits[VEXIT_NMI], 1);
	CHECK_EQ(part.state, PART_RUNNING);

	/* an exception with its error code, interrupted by a CPUID-free exit (an I/O one) */
	setup(true);
	e = io(0x80, 1, false, 2);
	e.interrupted = (struct vevent){
		.valid = true, .type = VEVENT_EXCEPTION, .vector = 14, .has_error = true, .error = 6
	};
	handle(&vc, &e);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.vector, 14);
	CHECK(vc.pending.has_error);
	CHECK_EQ(vc.pending.error, 6);

	/* software interrupts and INT3/INTO re-execute instead */
	setup(false);
	e = ex(VEXIT_NMI, 0);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_SOFT_INT, .vector = 0x80 };
	handle(&vc, &e);
	CHECK(!vc.pending.valid);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_EXCEPTION, .vector = 3 };
	handle(&vc, &e);
	CHECK(!vc.pending.valid);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_NMI, .vector = 2 };
	handle(&vc, &e);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.type, VEVENT_NMI);

	/* a stage-2 fault during event delivery cannot be emulated: the partition stops */
	setup(true);
	e = s2(0xfe000000, true);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_EXTINT, .vector = 0x40 };
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("event delivery"));
}

/* Stage-2 entries the scrub asked for (test/unit/host/host_env.c calls the hook). */
extern int (*test_s2_map_hook)(struct partition *p, gpa_t gpa, uint64_t size);
static gpa_t s2map_gpa;
static uint64_t s2map_size;
static unsigned s2map_calls;

static int s2map_fn(struct partition *p, gpa_t gpa, uint64_t size)
{
	(void)p;
	s2map_gpa = gpa;
	s2map_size = size;
	s2map_calls++;
	return 0;
}

/* FX_RAM2 (one 256 KiB unit) deferred, as core/scrub.c leaves it after a load. */
static void defer_ram2(void)
{
	struct part_scrub *s = calloc(1, sizeof(*s) + 1);

	s->p = &part;
	s->s2_ready = true;
	s->n_spans = 1;
	s->spans[0] = (struct scrub_span){ .gpa = FX_RAM2_GPA,
					   .hpa = part.regions[FX_RAM2].hpa,
					   .size = part.regions[FX_RAM2].size,
					   .first = 0,
					   .count = 1 };
	s->units = s->left = 1;
	part.scrub = s;
	s2map_calls = 0;
	test_s2_map_hook = s2map_fn;
}

static void undefer(void)
{
	free(part.scrub);
	part.scrub = NULL;
}

static void test_scrub_fault(void)
{
	const uint8_t *ram2;
	struct vexit e;

	/* a not-present fault in RAM not scrubbed yet: zeroed, mapped, retried */
	setup(false);
	defer_ram2();
	ram2 = fx_host(&part, FX_RAM2, FX_RAM2_GPA);
	CHECK_EQ(ram2[0x1234], FX_FILL);
	e = s2(FX_RAM2_GPA + 0x1234, true);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(ram2[0x1234], 0);
	CHECK_EQ(ram2[0x3ffff], 0);
	CHECK_EQ(s2map_calls, 1);
	CHECK_EQ(s2map_gpa, FX_RAM2_GPA);
	CHECK_EQ(s2map_size, 0x40000);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0); /* the access runs again */
	CHECK_EQ(vc.exits[VEXIT_S2], 1);
	CHECK_EQ(part.scrub->by_fault, 1);
	/* a race with another CPU's map: another address is retried too */
	e = s2(FX_RAM2_GPA + 0x2000, false);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK_EQ(s2map_calls, 1);
	/* the same address again: the entry never appeared, the partition stops */
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("stage-2 entry missing after scrubbing"));
	undefer();

	/* a protection fault in deferred RAM is not the scrub's: a violation */
	setup(false);
	defer_ram2();
	e = s2(FX_RAM2_GPA, true);
	e.s2.present = true;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("write outside the partition's memory or to read-only memory"));
	CHECK_EQ(s2map_calls, 0);
	undefer();

	/* the fault hit while an interrupt was delivered (its stack not scrubbed): retried */
	setup(false);
	defer_ram2();
	e = s2(FX_RAM2_GPA + 0x100, true);
	e.interrupted = (struct vevent){ .valid = true, .type = VEVENT_EXTINT, .vector = 0x40 };
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_RUNNING);
	CHECK(vc.pending.valid);
	CHECK_EQ(vc.pending.vector, 0x40);
	CHECK_EQ(s2map_calls, 1);
	undefer();

	/* without deferred RAM the fault is what it was: outside the partition */
	setup(false);
	e = s2(0x40000000, false);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("read outside the partition's memory"));
	test_s2_map_hook = NULL;
}

static void test_hypercall_shutdown_other(void)
{
	struct vexit e = ex(VEXIT_HYPERCALL, 3);

	setup(false);
	vc.regs.gpr[INSN_RAX] = BH_HC_VERSION;
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], BH_HYPERCALL_ABI_VERSION);
	CHECK_EQ(fk.reg[VREG_RIP], RIP0 + 3);
	vc.regs.gpr[INSN_RAX] = 999;
	handle(&vc, &e);
	CHECK_EQ(vc.regs.gpr[INSN_RAX], (uint64_t)-BH_ENOSYS);
	CHECK_EQ(vc.exits[VEXIT_HYPERCALL], 2);

	e = ex(VEXIT_SHUTDOWN, 0);
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("triple fault (shutdown)"));
	setup(true);
	handle(&vc, &e);
	CHECK_EQ(shutdowns, 1);
	CHECK_EQ(part.state, PART_RUNNING);

	setup(false);
	e = ex(VEXIT_VIRT_INSN, 0);
	e.raw.what = "SVM instruction VMRUN";
	e.raw.code = 0x80;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("forbidden SVM instruction VMRUN (exit 0x80)"));
	setup(false);
	e = ex(VEXIT_OTHER, 0);
	e.raw.code = 0x1234;
	handle(&vc, &e);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK(test_log_contains("unexpected exit 0x1234"));
	CHECK_EQ(vc.exits[VEXIT_OTHER], 1);
}

static void test_registry(void)
{
	struct x86_part x;

	memset(&x, 0, sizeof(x));
	CHECK_EQ(vcpu_emul_port(&x, 0x3f8, 8, port_fn), 0);
	CHECK_EQ(vcpu_emul_port(&x, 0x3f8, 8, port_fn), 0); /* again: no second entry */
	CHECK_EQ(x.emul.n_port, 1);
	CHECK_EQ(vcpu_emul_port(&x, 0xfff0, 0x11, port_fn), -HV_EINVAL); /* past 0xffff */
	CHECK_EQ(vcpu_emul_port(&x, 0, 0, port_fn), -HV_EINVAL);
	CHECK(vcpu_emul_find_port(&x, 0x3ff) != NULL);
	CHECK(vcpu_emul_find_port(&x, 0x400) == NULL);
	CHECK(vcpu_emul_find_port(&x, 0x3f7) == NULL);
	CHECK_EQ(vcpu_emul_mmio(&x, ~0ULL - 10, 100, mmio_fn), -HV_EINVAL); /* wraps */
	for (unsigned i = 0; i < VCPU_EMUL_RANGES; i++)
		CHECK_EQ(vcpu_emul_mmio(&x, 0x1000 * (i + 1), 0x1000, mmio_fn), 0);
	CHECK_EQ(vcpu_emul_mmio(&x, 0x100000, 0x1000, mmio_fn), -HV_ENOSPC);
	CHECK(vcpu_emul_find_mmio(&x, 0x8fff) != NULL);
	CHECK(vcpu_emul_find_mmio(&x, 0x9000) == NULL);
}

int main(void)
{
	test_lvt_policy();
	test_vapic_policy();
	test_init_exit();
	test_cpuid();
	test_msr();
	test_io();
	test_string_io();
	test_mmio();
	test_reinject();
	test_scrub_fault();
	test_hypercall_shutdown_other();
	test_registry();
	fx_free(&part);
	return check_summary();
}
