/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's arch-neutral entry point, called by boot/ with the boot information. */
#ifndef CORE_HV_H
#define CORE_HV_H

#include "core/boot_info.h"
#include "core/types.h"

#define BULKHEAD_VERSION "0.1.0"

/* Takes over the machine; bi must stay valid only until hv_main copies it. */
void __noreturn hv_main(const struct boot_info *bi);

/* Prints a one-line reason, halts every CPU that is online, never returns. */
void __noreturn hv_stop(const char *reason);

#endif
