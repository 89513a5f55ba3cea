/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The RTOS workload: the latency task, a periodic work task and the report task. */
#ifndef RTOS_TASKS_H
#define RTOS_TASKS_H

#include <stdbool.h>

#include "rtos/clock.h"
#include "rtos/options.h"

/* arch_exit() codes */
#define RTOS_EXIT_SUCCESS 0
#define RTOS_EXIT_FAILURE 1

/* Priorities: the latency task preempts everything; printing runs last. */
#define PRIO_LATENCY 3
#define PRIO_WORK    2
#define PRIO_REPORT  1

/* Creates the tasks and starts the scheduler; the caller becomes the idle task. */
_Noreturn void tasks_start(const struct rtos_options *o, const struct rtos_clock *clk,
			   const char *name, bool can_exit);

#endif
