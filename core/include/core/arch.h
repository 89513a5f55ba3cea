/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arch interface: everything core/ may ask of the architecture. core/
 * includes this header and no arch/ header. Each arch (and the host build
 * used by unit tests) implements these functions.
 */
#ifndef CORE_ARCH_H
#define CORE_ARCH_H

#include "core/types.h"

/* Logical number of the calling CPU (0 = boot CPU). */
cpu_id_t arch_cpu_id(void);
/* Stops the calling CPU for good (interrupts off, halt loop). */
void __noreturn arch_cpu_halt(void);
/* A monotonic cycle counter (TSC on x86) and its frequency in kHz (0 = unknown). */
uint64_t arch_cycles(void);
uint64_t arch_cycles_khz(void);
/* Spin-wait hint. */
void arch_cpu_relax(void);

#endif
