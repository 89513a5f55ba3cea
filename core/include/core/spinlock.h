/* SPDX-License-Identifier: GPL-2.0-only */
/* A test-and-set spinlock for the few shared structures (console, allocator). */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include "core/arch.h"
#include "core/types.h"

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

/* Tries for at most spins iterations; returns whether the lock was taken. */
static inline bool spin_trylock_spin(spinlock_t *l, unsigned long spins)
{
	do {
		if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
			return true;
		arch_cpu_relax();
	} while (spins--);
	return false;
}

/* One try: whether the lock was taken. */
static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
