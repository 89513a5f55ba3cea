// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmx_setup_compute(): the controls from the capability MSRs. A Skylake-
 * class set (TRUE controls, EPT with 2 MiB and 1 GiB leaves, VPID), the
 * same without TRUE controls (CR3 exiting forced on), and each missing
 * piece named.
 */
#include <string.h>

#include "../check.h"
#include "vmx/vmx_caps.h"
#include "core/errno.h"

/* allowed-1 in the high word, allowed-0 (must be 1) in the low word */
#define CAP(may1, must1) (((uint64_t)(may1) << 32) | (uint32_t)(must1))

static struct vmx_caps_in skylake(void)
{
	return (struct vmx_caps_in){
		/* revision 4, 1024-byte VMCS, write-back, TRUE controls (bit 55) */
		.basic = 0x00da040000000004ULL,
		.pin = CAP(0x7f, 0x16),
		.proc = CAP(0xfff9fffe, 0x0401e172),
		.exit = CAP(0x01ffffff, 0x00036dff),
		.entry = CAP(0x0003ffff, 0x000011ff),
		.cr0_fixed0 = 0x80000021,
		.cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000,
		.cr4_fixed1 = 0x3727ff,
		.proc2 = CAP(0x00f5bfff, 0),
		.ept_vpid = 0x00000f0106734141ULL,
		.true_pin = CAP(0x7f, 0x16),
		.true_proc = CAP(0xfff9fffe, 0x04006172),
		.true_exit = CAP(0x01ffffff, 0x00036dfb),
		.true_entry = CAP(0x0003ffff, 0x000011fb),
	};
}

static struct vmx_setup s;
static char why[160];

static int compute(const struct vmx_caps_in *in)
{
	why[0] = '\0';
	return vmx_setup_compute(in, &s, why, sizeof(why));
}

static void test_skylake(void)
{
	struct vmx_caps_in in = skylake();

	CHECK_EQ(compute(&in), 0);
	CHECK_EQ(s.revision, 4);
	CHECK_EQ(s.vmcs_size, 1024);
	CHECK(s.true_ctls);
	/* the default-1 bits, NMI exiting and virtual NMIs; no external-interrupt exiting */
	CHECK_EQ(s.pin, 0x16u | 0x08u | 0x20u);
	CHECK(!(s.pin & 1));
	/* TRUE controls let CR3-load/store exiting be off */
	CHECK_EQ(s.proc, 0x04006172u | (1u << 25) | (1u << 28) | (1u << 31));
	CHECK(!(s.proc & ((1u << 15) | (1u << 16) | (1u << 7) | (1u << 12) | (1u << 24))));
	/* EPT, unrestricted guest, VPID; RDTSCP, INVPCID, XSAVES where allowed */
	CHECK_EQ(s.proc2, (1u << 1) | (1u << 7) | (1u << 5) | (1u << 3) | (1u << 12) | (1u << 20));
	CHECK_EQ(s.exit, 0x00036dfbu | (1u << 9) | (0xfu << 18));
	CHECK_EQ(s.entry, 0x000011fbu | (1u << 14) | (1u << 15));
	CHECK(!(s.entry & (1u << 9))); /* IA-32e mode: the caller's, with EFER.LMA */
	CHECK_EQ(s.entry_ia32e, 1u << 9);
	CHECK(s.vpid && s.ept_2m && s.ept_1g && s.invept_single && s.invvpid_single);
	CHECK_STR(s.forced, "");
	/* unrestricted guest: a guest's CR0 need not have PE and PG */
	CHECK_EQ(s.guest_cr0_must1, 0x20);
	CHECK_EQ(s.guest_cr4_must1, 0x2000);
}

static void test_default_ctls(void)
{
	struct vmx_caps_in in = skylake();

	/* without TRUE controls the CPU forces CR3-load/store exiting on: said, not fatal */
	in.basic &= ~(1ULL << 55);
	CHECK_EQ(compute(&in), 0);
	CHECK(!s.true_ctls);
	CHECK(s.proc & (1u << 15));
	CHECK_STR(s.forced, "CR3-load exiting, CR3-store exiting");
	/* an allowed-0 external-interrupt exiting would be said first */
	in.pin = CAP(0x7f, 0x17);
	CHECK_EQ(compute(&in), 0);
	CHECK_STR(s.forced, "external-interrupt exiting, CR3-load exiting, CR3-store exiting");
}

static void test_missing(void)
{
	static const struct {
		int field; /* 0 pin, 1 proc, 2 proc2, 3 exit, 4 entry */
		unsigned bit;
		const char *why;
	} cases[] = {
		{ 0, 3, "VMX: NMI exiting (pin-based control 3) is not available" },
		{ 0, 5, "VMX: virtual NMIs (pin-based control 5) is not available" },
		{ 1, 25, "VMX: use I/O bitmaps (processor-based control 25) is not available" },
		{ 1, 28, "VMX: use MSR bitmaps (processor-based control 28) is not available" },
		{ 1, 31,
		  "VMX: activate secondary controls (processor-based control 31) is not "
		  "available" },
		{ 2, 1, "VMX: enable EPT (secondary processor-based control 1) is not available" },
		{ 2, 7,
		  "VMX: unrestricted guest (secondary processor-based control 7) is not "
		  "available" },
		{ 3, 9, "VMX: host address-space size (VM-exit control 9) is not available" },
		{ 3, 19, "VMX: load IA32_PAT (VM-exit control 19) is not available" },
		{ 3, 21, "VMX: load IA32_EFER (VM-exit control 21) is not available" },
		{ 4, 9, "VMX: IA-32e mode guest (VM-entry control 9) is not available" },
		{ 4, 14, "VMX: load IA32_PAT (VM-entry control 14) is not available" },
		{ 4, 15, "VMX: load IA32_EFER (VM-entry control 15) is not available" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmx_caps_in in = skylake();
		uint64_t *f = cases[i].field == 0   ? &in.true_pin
			      : cases[i].field == 1 ? &in.true_proc
			      : cases[i].field == 2 ? &in.proc2
			      : cases[i].field == 3 ? &in.true_exit
						    : &in.true_entry;

		*f &= ~(1ULL << (32 + cases[i].bit));
		CHECK_EQ(compute(&in), -HV_ENODEV);
		CHECK_STR(why, cases[i].why);
	}
	/* the default MSRs are not read when TRUE controls exist */
	{
		struct vmx_caps_in in = skylake();

		in.proc2 &= ~(1ULL << (32 + 3)); /* no RDTSCP: optional, left out */
		in.pin = 0;
		CHECK_EQ(compute(&in), 0);
		CHECK(!(s.proc2 & (1u << 3)));
	}
}

static void test_ept_vpid(void)
{
	struct vmx_caps_in in = skylake();

	in.ept_vpid &= ~(1ULL << 14);
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK(strstr(why, "EPT lacks the write-back memory type") != NULL);
	in = skylake();
	in.ept_vpid &= ~(1ULL << 6);
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK(strstr(why, "EPT lacks 4-level page walks") != NULL);
	in = skylake();
	in.ept_vpid &= ~((1ULL << 25) | (1ULL << 26));
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK(strstr(why, "EPT lacks INVEPT") != NULL);
	/* all-context INVEPT only: fine, said in the result */
	in = skylake();
	in.ept_vpid &= ~(1ULL << 25);
	CHECK_EQ(compute(&in), 0);
	CHECK(!s.invept_single);
	/* no 1 GiB leaves, no 2 MiB leaves: 4 KiB EPT */
	in = skylake();
	in.ept_vpid &= ~((1ULL << 16) | (1ULL << 17));
	CHECK_EQ(compute(&in), 0);
	CHECK(!s.ept_2m && !s.ept_1g);
	/* VPID without INVVPID is not used */
	in = skylake();
	in.ept_vpid &= ~(1ULL << 32);
	CHECK_EQ(compute(&in), 0);
	CHECK(!s.vpid);
	CHECK(!(s.proc2 & (1u << 5)));
	/* all-context INVVPID only */
	in = skylake();
	in.ept_vpid &= ~(1ULL << 41);
	CHECK_EQ(compute(&in), 0);
	CHECK(s.vpid && !s.invvpid_single);
}

static void test_basic(void)
{
	struct vmx_caps_in in = skylake();

	in.basic &= ~(0xfULL << 50); /* uncacheable VMCS */
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK_STR(why, "VMX: the VMCS memory type is 0, not write-back");
	in = skylake();
	in.basic &= ~(0x1fffULL << 32);
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK_STR(why, "VMX: VMCS size 0 in IA32_VMX_BASIC is not 1-4096 bytes");
	in.basic |= 0x1001ULL << 32;
	CHECK_EQ(compute(&in), -HV_ENODEV);
	/* nothing at all: the first requirement is named */
	memset(&in, 0, sizeof(in));
	in.basic = 0x00da040000000004ULL;
	CHECK_EQ(compute(&in), -HV_ENODEV);
	CHECK_STR(why, "VMX: NMI exiting (pin-based control 3) is not available");
}

static void test_feature_control(void)
{
	uint64_t w;

	CHECK_EQ(vmx_feature_control(0, &w), VMX_FC_LOCK);
	CHECK_EQ(w, 0x5);
	CHECK_EQ(vmx_feature_control(0x2, &w), VMX_FC_LOCK); /* inside SMX only, unlocked */
	CHECK_EQ(w, 0x7);
	CHECK_EQ(vmx_feature_control(0x5, &w), VMX_FC_READY);
	CHECK_EQ(w, 0x5);
	CHECK_EQ(vmx_feature_control(0xff07, &w), VMX_FC_READY);
	CHECK_EQ(vmx_feature_control(0x1, &w), VMX_FC_LOCKED_OFF);
	CHECK_EQ(vmx_feature_control(0x3, &w), VMX_FC_LOCKED_OFF);
	/* CR0/CR4 for VMX operation: fixed-1 bits set, fixed-0 bits clear */
	CHECK_EQ(vmx_fix_cr(0x80000011, 0x80000021, 0xffffffff), 0x80000031);
	CHECK_EQ(vmx_fix_cr(0x2020, 0x2000, 0x3727ff), 0x2020);
	CHECK_EQ(vmx_fix_cr(0x400020, 0x2000, 0x3727ff), 0x2020); /* bit 22 may not be 1 */
}

int main(void)
{
	test_skylake();
	test_default_ctls();
	test_missing();
	test_ept_vpid();
	test_basic();
	test_feature_control();
	return check_summary();
}
