/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Fixed-priority preemptive, tick-less scheduler over a handful of static tasks. */
#ifndef RTOS_SCHED_H
#define RTOS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTOS_MAX_TASKS 8
#define RTOS_STACK_MIN 2048

enum rtos_task_state {
	TASK_WAITING, /* for its next release or a wake-up */
	TASK_READY,   /* released; runs when no higher-priority task is ready */
};

struct rtos_task {
	/* Filled by the owner before sched_add(). */
	const char *name;
	unsigned prio;		 /* larger runs first; 0 belongs to the idle task */
	uint64_t period;	 /* in counter ticks; 0: an event task run by sched_wake() */
	void (*body)(void *arg); /* one job: called once per release */
	void *arg;
	void *stack;
	size_t stack_size;

	/* Scheduler state. */
	enum rtos_task_state state;
	bool wake_pending;
	bool by_irq;	    /* this job was released by a timer interrupt */
	uint64_t release;   /* release time (deadline the timer was set for) of this job */
	uint64_t irq_entry; /* counter at entry of the interrupt that released it */
	uint64_t next_release;
	uint64_t jobs;
	uint64_t overruns; /* releases skipped because a job ran past them */
	uintptr_t sp;
};

struct rtos_release {
	uint64_t deadline;
	uint64_t irq_entry;
	bool by_irq;
};

struct sched_stats {
	uint64_t irqs;	/* timer interrupts taken */
	uint64_t idle;	/* interrupts that released nothing (early or for a later task) */
	uint64_t spins; /* times the handler waited out an imminent release */
	uint64_t switches;
};

/* slack: releases due within this many ticks are waited for in the handler, not re-armed. */
void sched_init(uint64_t slack);
/* Returns 0, or -1 for a full table or a task without body, stack or priority. */
int sched_add(struct rtos_task *t);
/* Releases every periodic task first at origin, then the boot context becomes the idle task. */
_Noreturn void sched_start(uint64_t origin, bool idle_poll);
/* Makes an event task ready (again, if it is already ready or running). */
void sched_wake(struct rtos_task *t);
struct rtos_task *sched_current(void);
struct rtos_release sched_release(void);
void sched_get_stats(struct sched_stats *s);

/* Called by the port's timer interrupt handler with interrupts off; entry is the counter at entry. */
void sched_timer_irq(uint64_t entry);

#endif
