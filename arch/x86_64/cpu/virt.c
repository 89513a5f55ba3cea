// SPDX-License-Identifier: GPL-2.0-only
/* Detection of Intel VMX (EPT, unrestricted guest) and AMD SVM (NPT) on the calling CPU. */
#include "cpu/percpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/lib.h"

/* IA32_FEATURE_CONTROL (SDM vol. 3C, 23.7) */
#define FC_LOCKED	     (1ULL << 0)
#define FC_VMXON_OUTSIDE_SMX (1ULL << 2)
/* IA32_VMX_PROCBASED_CTLS allowed-1 (bit 63: activate secondary controls) */
#define PROC_ACTIVATE_SECONDARY (1ULL << 63)
/* IA32_VMX_PROCBASED_CTLS2 allowed-1 bits live in the high dword (SDM vol. 3D, A.3.3) */
#define PROC2_ENABLE_EPT	   (1ULL << (32 + 1))
#define PROC2_ENABLE_VPID	   (1ULL << (32 + 5))
#define PROC2_UNRESTRICTED	   (1ULL << (32 + 7))
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define PIN_PREEMPTION_TIMER	   (1ULL << (32 + 6))
/* VM_CR (AMD APM vol. 2, 15.30.1) */
#define VM_CR_SVMDIS (1ULL << 4)
/* CPUID 0x8000000A EDX (AMD APM vol. 3, E.4.10) */
#define SVM_FEAT_NPT	(1u << 0)
#define SVM_FEAT_NRIPS	(1u << 3)
#define SVM_FEAT_DECODE (1u << 7)
#define SVM_FEAT_AVIC	(1u << 13)

void virt_detect(struct virt_caps *v)
{
	uint32_t a, b, c, d, maxext;

	memset(v, 0, sizeof(*v));
	cpuid(1, 0, &a, &b, &c, &d);
	v->x2apic = !!(c & CPUID1_ECX_X2APIC);
	if (c & CPUID1_ECX_VMX) {
		uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

		v->vmx_present = true;
		v->vmx_locked_off = (fc & FC_LOCKED) && !(fc & FC_VMXON_OUTSIDE_SMX);
		v->vmx = !v->vmx_locked_off;
		if (rdmsr(MSR_IA32_VMX_PROCBASED_CTLS) & PROC_ACTIVATE_SECONDARY) {
			uint64_t p2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);

			v->ept = !!(p2 & PROC2_ENABLE_EPT);
			v->vpid = !!(p2 & PROC2_ENABLE_VPID);
			v->unrestricted_guest = !!(p2 & PROC2_UNRESTRICTED);
		}
		v->preemption_timer = !!(rdmsr(MSR_IA32_VMX_PINBASED_CTLS) & PIN_PREEMPTION_TIMER);
	}
	cpuid(0x80000000, 0, &maxext, &b, &c, &d);
	if (maxext >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		if (c & CPUID81_ECX_SVM) {
			v->svm_present = true;
			v->svm_disabled = !!(rdmsr(MSR_VM_CR) & VM_CR_SVMDIS);
			v->svm = !v->svm_disabled;
			if (maxext >= 0x8000000a) {
				cpuid(0x8000000a, 0, &a, &b, &c, &d);
				v->svm_revision = a & 0xff;
				v->asids = b;
				v->npt = !!(d & SVM_FEAT_NPT);
				v->nrips = !!(d & SVM_FEAT_NRIPS);
				v->decode_assists = !!(d & SVM_FEAT_DECODE);
				v->avic = !!(d & SVM_FEAT_AVIC);
			}
		}
	}
}
