/* SPDX-License-Identifier: GPL-2.0-only */
/* The stack protector's guard (core/lib/stackprot.c). */
#ifndef CORE_STACKPROT_H
#define CORE_STACKPROT_H

#include "core/types.h"

/*
 * Sets the guard from a seed (the cycle counter at boot). Called once, from
 * hv_main, before any other CPU runs: frames already on the stack keep the
 * old guard, so only functions that never return may be live across it.
 */
void stack_guard_init(uint64_t seed);

#endif
