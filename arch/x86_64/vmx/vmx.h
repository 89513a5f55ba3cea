/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Intel VMX back end of the vCPU layer (vmx/vmx.c): what the composition
 * root (setup.c) needs to choose it.
 */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include "core/types.h"

struct vcpu_ops;
extern const struct vcpu_ops vmx_ops;

/*
 * Before any partition exists, on the boot CPU: the controls from the
 * capability MSRs (vmx/vmx_caps.c), reported, and VMXON/VMXOFF tried once.
 * 0, or -HV_E* with why naming what is missing.
 */
int vmx_backend_probe(char *why, size_t why_len);

#endif
