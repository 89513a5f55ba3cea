// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The workload the RTOS runs: a highest-priority latency task that measures
 * how late its timer interrupt arrives, a lower-priority periodic task doing
 * a checksum (the heartbeat), and a lowest-priority task that prints reports
 * so that slow console output never delays a measurement.
 */
#include "rtos/tasks.h"

#include <stdint.h>

#include "rtos/arch.h"
#include "rtos/console.h"
#include "rtos/latency.h"
#include "rtos/sched.h"
#include "rtos/string.h"

#define TASK_STACK_SIZE 16384
#define WORK_BYTES	4096
#define REPORT_LINE_MAX 320
/* Releases closer than this are waited out in the timer handler instead of re-armed. */
#define SPIN_SLACK_US 2

enum { TASK_LATENCY, TASK_WORK, TASK_REPORT, TASK_COUNT };

static uint8_t stacks[TASK_COUNT][TASK_STACK_SIZE] __attribute__((aligned(16)));
static struct rtos_task task[TASK_COUNT];

static struct {
	const struct rtos_options *opt;
	const struct rtos_clock *clk;
	const char *name;
	bool can_exit;

	/* Owned by the latency task. */
	struct lat_window win;
	struct lat_totals totals;
	uint64_t overruns_seen;

	/* A finished window handed to the report task; pub_full guards it. */
	struct lat_window pub;
	struct lat_totals pub_totals;
	bool pub_full;
	uint64_t dropped; /* windows the report task was too slow to take */

	/* Owned by the work task. */
	uint8_t work_buf[WORK_BYTES];
	uint32_t work_expected;
	bool work_bad;
	uint64_t heartbeat;

	/* Owned by the report task. */
	uint32_t reports;
} app;

static void latency_job(void *arg)
{
	struct rtos_task *self = arg;
	struct rtos_release r = sched_release();
	uint64_t ns = 0;

	if (self->overruns != app.overruns_seen) {
		app.win.missed += self->overruns - app.overruns_seen;
		app.overruns_seen = self->overruns;
	}
	if (!r.by_irq)
		return;
	/* The interrupt may enter before the deadline (a calibrated one-shot timer running fast). */
	if (r.irq_entry < r.deadline)
		app.win.early++;
	else
		ns = clock_to_ns(app.clk, r.irq_entry - r.deadline);
	lat_add(&app.win, ns);
	app.totals.samples++;
	if (ns > app.totals.max_ns)
		app.totals.max_ns = ns;
	if (app.win.n < app.opt->report_every)
		return;
	if (app.pub_full) {
		app.dropped++;
	} else {
		app.pub = app.win;
		app.pub_totals = app.totals;
		app.pub_totals.heartbeat = app.heartbeat;
		app.pub_full = true;
		sched_wake(&task[TASK_REPORT]);
	}
	lat_window_reset(&app.win);
}

/* Fletcher-32 over bytes: cheap, order-sensitive, and its value for the buffer is known up front. */
static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t a = 0xffff, b = 0xffff;

	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65535;
		b = (b + a) % 65535;
	}
	return b << 16 | a;
}

static void work_job(void *arg)
{
	uint32_t sum = checksum(app.work_buf, sizeof(app.work_buf));

	(void)arg;
	app.heartbeat++;
	if (sum != app.work_expected && !app.work_bad) {
		app.work_bad = true;
		console_printf(
			"rtos %s: ERROR: work checksum 0x%08x, expected 0x%08x: memory changed "
			"under the RTOS\n",
			app.name, sum, app.work_expected);
	}
}

static void report_job(void *arg)
{
	struct lat_window w;
	struct lat_totals t;
	char line[REPORT_LINE_MAX];
	unsigned long flags;
	int n;

	(void)arg;
	flags = arch_irq_save();
	w = app.pub;
	t = app.pub_totals;
	app.pub_full = false;
	arch_irq_restore(flags);

	n = lat_format(line, sizeof(line), app.name, &w, &t);
	if (n >= (int)sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	console_write(line, (size_t)n);
	app.reports++;
	if (app.opt->heartbeat_every && app.reports % app.opt->heartbeat_every == 0)
		arch_heartbeat(t.heartbeat);
	if (app.opt->exit_after && app.reports >= app.opt->exit_after && app.can_exit) {
		struct sched_stats s;

		sched_get_stats(&s);
		console_printf(
			"rtos %s: done after %u reports: %llu samples, maxever %llu ns, "
			"timer irqs %llu (idle %llu, spins %llu), switches %llu, dropped %llu\n",
			app.name, (unsigned)app.reports, (unsigned long long)t.samples,
			(unsigned long long)t.max_ns, (unsigned long long)s.irqs,
			(unsigned long long)s.idle, (unsigned long long)s.spins,
			(unsigned long long)s.switches, (unsigned long long)app.dropped);
		arch_exit(app.work_bad ? RTOS_EXIT_FAILURE : RTOS_EXIT_SUCCESS);
	}
}

static void add_task(unsigned i, const char *name, unsigned prio, uint64_t period,
		     void (*body)(void *))
{
	struct rtos_task *t = &task[i];

	t->name = name;
	t->prio = prio;
	t->period = period;
	t->body = body;
	t->arg = t;
	t->stack = stacks[i];
	t->stack_size = sizeof(stacks[i]);
	if (sched_add(t)) {
		console_printf("rtos %s: ERROR: cannot add task %s\n", app.name, name);
		arch_halt();
	}
}

_Noreturn void tasks_start(const struct rtos_options *o, const struct rtos_clock *clk,
			   const char *name, bool can_exit)
{
	uint64_t period = clock_from_us(clk, o->period_us);

	app.opt = o;
	app.clk = clk;
	app.name = name;
	app.can_exit = can_exit;
	lat_window_reset(&app.win);
	for (size_t i = 0; i < sizeof(app.work_buf); i++)
		app.work_buf[i] = (uint8_t)(i * 31 + 7);
	app.work_expected = checksum(app.work_buf, sizeof(app.work_buf));

	sched_init(clock_from_us(clk, SPIN_SLACK_US));
	add_task(TASK_LATENCY, "latency", PRIO_LATENCY, period, latency_job);
	add_task(TASK_WORK, "work", PRIO_WORK, clock_from_us(clk, o->work_period_us), work_job);
	add_task(TASK_REPORT, "report", PRIO_REPORT, 0, report_job);
	/* Start one period from now: both periodic tasks share the grid, so releases coincide. */
	sched_start(arch_counter() + period, o->idle_poll);
}
