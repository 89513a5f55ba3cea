// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX controls from the capability MSRs (vmx/vmx_caps.h). Bit numbers
 * and MSR layouts: Intel SDM vol. 3C, chapter 25 (VM-execution, VM-exit and
 * VM-entry control fields), vol. 3D, appendix A (VMX capability reporting).
 */
#include "vmx/vmx_caps.h"

#include "core/errno.h"
#include "core/lib.h"

/* IA32_VMX_BASIC */
#define BASIC_REVISION(b)  ((uint32_t)((b)&0x7fffffffu))
#define BASIC_VMCS_SIZE(b) ((uint32_t)(((b) >> 32) & 0x1fffu))
#define BASIC_MEMTYPE(b)   ((unsigned)(((b) >> 50) & 0xfu))
#define BASIC_TRUE_CTLS	   (1ULL << 55)
#define MEMTYPE_WB	   6

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_WALK_4	    (1ULL << 6)
#define EPT_WB		    (1ULL << 14)
#define EPT_2M		    (1ULL << 16)
#define EPT_1G		    (1ULL << 17)
#define EPT_INVEPT	    (1ULL << 20)
#define EPT_INVEPT_SINGLE   (1ULL << 25)
#define EPT_INVEPT_ALL	    (1ULL << 26)
#define VPID_INVVPID	    (1ULL << 32)
#define VPID_INVVPID_SINGLE (1ULL << 41)
#define VPID_INVVPID_ALL    (1ULL << 42)

/* CR0.PE and CR0.PG may be 0 in a guest with unrestricted guest on */
#define CR0_PE 1ULL
#define CR0_PG (1ULL << 31)

enum field { F_PIN, F_PROC, F_PROC2, F_EXIT, F_ENTRY, F_COUNT };

static const char *const field_name[F_COUNT] = {
	"pin-based control", "processor-based control", "secondary processor-based control",
	"VM-exit control",   "VM-entry control",
};

struct ctl {
	enum field f;
	uint8_t bit;
	const char *name;
};

/* What Bulkhead cannot run without (docs/partitions-x86.md, the SVM equivalents). */
static const struct ctl required[] = {
	{ F_PIN, 3, "NMI exiting" },  /* the hypervisor's kick and stop signal */
	{ F_PIN, 5, "virtual NMIs" }, /* NMIs injected into a guest */
	{ F_PROC, 25, "use I/O bitmaps" },
	{ F_PROC, 28, "use MSR bitmaps" },
	{ F_PROC, 31, "activate secondary controls" },
	{ F_PROC2, 1, "enable EPT" },
	{ F_PROC2, 7, "unrestricted guest" }, /* real-mode AP start, the 32-bit start */
	{ F_EXIT, 9, "host address-space size" },
	{ F_EXIT, 18, "save IA32_PAT" }, /* the guest's PAT never becomes the host's */
	{ F_EXIT, 19, "load IA32_PAT" },
	{ F_EXIT, 20, "save IA32_EFER" },
	{ F_EXIT, 21, "load IA32_EFER" },
	{ F_ENTRY, 14, "load IA32_PAT" },
	{ F_ENTRY, 15, "load IA32_EFER" },
};

/* Taken where the CPU allows them. */
static const struct ctl optional[] = {
	{ F_PROC2, 3, "enable RDTSCP" },
	{ F_PROC2, 12, "enable INVPCID" },
	{ F_PROC2, 20, "enable XSAVES/XRSTORS" },
};

/* Exits Bulkhead leaves off; a CPU that forces one on costs exits (reported). */
static const struct ctl unwanted[] = {
	{ F_PIN, 0, "external-interrupt exiting" }, /* RT partitions take their interrupts */
	{ F_PROC, 2, "interrupt-window exiting" },
	{ F_PROC, 7, "HLT exiting" },
	{ F_PROC, 12, "RDTSC exiting" },
	{ F_PROC, 15, "CR3-load exiting" },
	{ F_PROC, 16, "CR3-store exiting" },
	{ F_PROC, 24, "unconditional I/O exiting" },
};

#define ENTRY_IA32E (1u << 9)
#define PROC2_VPID  (1u << 5)

static int missing(char *why, size_t why_len, const char *what, enum field f, unsigned bit)
{
	snprintf(why, why_len, "VMX: %s (%s %u) is not available", what, field_name[f], bit);
	return -HV_ENODEV;
}

int vmx_setup_compute(const struct vmx_caps_in *in, struct vmx_setup *out, char *why,
		      size_t why_len)
{
	uint64_t cap[F_COUNT];
	uint32_t val[F_COUNT];
	uint64_t ev = in->ept_vpid;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->revision = BASIC_REVISION(in->basic);
	out->vmcs_size = BASIC_VMCS_SIZE(in->basic);
	out->true_ctls = in->basic & BASIC_TRUE_CTLS;
	if (!out->vmcs_size || out->vmcs_size > 4096) {
		snprintf(why, why_len, "VMX: VMCS size %u in IA32_VMX_BASIC is not 1-4096 bytes",
			 out->vmcs_size);
		return -HV_ENODEV;
	}
	if (BASIC_MEMTYPE(in->basic) != MEMTYPE_WB) {
		snprintf(why, why_len, "VMX: the VMCS memory type is %u, not write-back",
			 BASIC_MEMTYPE(in->basic));
		return -HV_ENODEV;
	}
	cap[F_PIN] = out->true_ctls ? in->true_pin : in->pin;
	cap[F_PROC] = out->true_ctls ? in->true_proc : in->proc;
	cap[F_EXIT] = out->true_ctls ? in->true_exit : in->exit;
	cap[F_ENTRY] = out->true_ctls ? in->true_entry : in->entry;
	cap[F_PROC2] = in->proc2; /* no TRUE variant; its allowed-0 word is 0 */
	/* the settings the CPU forces (allowed-0), then what Bulkhead wants on top */
	for (unsigned f = 0; f < F_COUNT; f++)
		val[f] = (uint32_t)cap[f];
	for (size_t i = 0; i < ARRAY_SIZE(required); i++) {
		const struct ctl *c = &required[i];

		if (!((cap[c->f] >> 32) & (1ULL << c->bit)))
			return missing(why, why_len, c->name, c->f, c->bit);
		val[c->f] |= 1u << c->bit;
	}
	for (size_t i = 0; i < ARRAY_SIZE(optional); i++) {
		const struct ctl *c = &optional[i];

		if ((cap[c->f] >> 32) & (1ULL << c->bit))
			val[c->f] |= 1u << c->bit;
	}
	if (!((cap[F_ENTRY] >> 32) & ENTRY_IA32E))
		return missing(why, why_len, "IA-32e mode guest", F_ENTRY, 9);
	out->entry_ia32e = ENTRY_IA32E;
	/* EPT: 4-level walks of write-back tables, and a way to flush them */
	if (!(ev & EPT_WALK_4) || !(ev & EPT_WB) || !(ev & EPT_INVEPT) ||
	    !(ev & (EPT_INVEPT_SINGLE | EPT_INVEPT_ALL))) {
		snprintf(why, why_len, "VMX: EPT lacks %s (IA32_VMX_EPT_VPID_CAP 0x%llx)",
			 !(ev & EPT_WALK_4) ? "4-level page walks"
			 : !(ev & EPT_WB)   ? "the write-back memory type"
					    : "INVEPT",
			 (unsigned long long)ev);
		return -HV_ENODEV;
	}
	out->invept_single = ev & EPT_INVEPT_SINGLE;
	out->ept_2m = ev & EPT_2M;
	out->ept_1g = ev & EPT_1G;
	/* VPIDs only with INVVPID to flush them */
	if (((cap[F_PROC2] >> 32) & PROC2_VPID) && (ev & VPID_INVVPID) &&
	    (ev & (VPID_INVVPID_SINGLE | VPID_INVVPID_ALL))) {
		val[F_PROC2] |= PROC2_VPID;
		out->vpid = true;
		out->invvpid_single = ev & VPID_INVVPID_SINGLE;
	}
	out->forced[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(unwanted); i++) {
		const struct ctl *c = &unwanted[i];

		if ((val[c->f] & (1u << c->bit)) && n < sizeof(out->forced))
			n += (size_t)snprintf(out->forced + n, sizeof(out->forced) - n, "%s%s",
					      n ? ", " : "", c->name);
	}
	out->pin = val[F_PIN];
	out->proc = val[F_PROC];
	out->proc2 = val[F_PROC2];
	out->exit = val[F_EXIT];
	out->entry = val[F_ENTRY];
	out->guest_cr0_must1 = in->cr0_fixed0 & ~(CR0_PE | CR0_PG);
	out->guest_cr0_may1 = in->cr0_fixed1;
	out->guest_cr4_must1 = in->cr4_fixed0;
	out->guest_cr4_may1 = in->cr4_fixed1;
	return 0;
}

#define FC_LOCKED	     (1ULL << 0)
#define FC_VMXON_OUTSIDE_SMX (1ULL << 2)

enum vmx_fc vmx_feature_control(uint64_t fc, uint64_t *write)
{
	*write = fc;
	if (!(fc & FC_LOCKED)) {
		*write = fc | FC_LOCKED | FC_VMXON_OUTSIDE_SMX;
		return VMX_FC_LOCK;
	}
	return (fc & FC_VMXON_OUTSIDE_SMX) ? VMX_FC_READY : VMX_FC_LOCKED_OFF;
}
