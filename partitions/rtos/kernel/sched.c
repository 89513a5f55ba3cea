// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Fixed-priority preemptive scheduler without a periodic tick: the timer is
 * always armed for the earliest pending release, and its interrupt releases
 * what is due and switches to the highest-priority ready task.
 */
#include "rtos/sched.h"

#include "rtos/arch.h"

#define NO_DEADLINE UINT64_MAX

/* Sorted by priority, highest first; equal priorities keep the order they were added in. */
static struct rtos_task *tasks[RTOS_MAX_TASKS];
static unsigned task_count;
static struct rtos_task idle_task = { .name = "idle", .prio = 0, .state = TASK_READY };
static struct rtos_task *current = &idle_task;
static uint64_t armed = NO_DEADLINE; /* what the timer is set for, NO_DEADLINE: not set */
static uint64_t spin_slack;
static struct sched_stats stats;

static void task_main(void *arg);

void sched_init(uint64_t slack)
{
	spin_slack = slack;
}

int sched_add(struct rtos_task *t)
{
	unsigned i;

	if (task_count == RTOS_MAX_TASKS || !t->body || !t->stack ||
	    t->stack_size < RTOS_STACK_MIN || t->prio == 0)
		return -1;
	for (i = task_count; i > 0 && tasks[i - 1]->prio < t->prio; i--)
		tasks[i] = tasks[i - 1];
	tasks[i] = t;
	task_count++;
	t->state = TASK_WAITING;
	t->wake_pending = false;
	t->by_irq = false;
	t->jobs = 0;
	t->overruns = 0;
	t->sp = arch_stack_init(t->stack, t->stack_size, task_main, t);
	return 0;
}

static struct rtos_task *pick_next(void)
{
	for (unsigned i = 0; i < task_count; i++) {
		if (tasks[i]->state == TASK_READY)
			return tasks[i];
	}
	return &idle_task;
}

/* Interrupts off. Runs the highest-priority ready task; returns when this one is picked again. */
static void reschedule(void)
{
	struct rtos_task *next = pick_next(), *prev = current;

	if (next == prev)
		return;
	current = next;
	stats.switches++;
	arch_switch(&prev->sp, next->sp);
}

/* Interrupts off. Points the timer at the earliest release still pending. */
static void rearm(void)
{
	uint64_t d = NO_DEADLINE;

	for (unsigned i = 0; i < task_count; i++) {
		const struct rtos_task *t = tasks[i];

		if (t->period && t->state == TASK_WAITING && t->next_release < d)
			d = t->next_release;
	}
	if (d == armed)
		return;
	armed = d;
	if (d == NO_DEADLINE)
		arch_timer_disarm();
	else
		arch_timer_arm(d);
}

/* Interrupts off. Releases the periodic tasks due at now; returns the next pending release. */
static uint64_t release_due(uint64_t now, uint64_t entry, bool *any)
{
	uint64_t next = NO_DEADLINE;

	for (unsigned i = 0; i < task_count; i++) {
		struct rtos_task *t = tasks[i];

		if (!t->period || t->state != TASK_WAITING)
			continue;
		if (t->next_release <= now) {
			t->state = TASK_READY;
			t->release = t->next_release;
			t->irq_entry = entry;
			t->by_irq = true;
			*any = true;
		} else if (t->next_release < next) {
			next = t->next_release;
		}
	}
	return next;
}

void sched_timer_irq(uint64_t entry)
{
	uint64_t now = arch_counter();
	bool any = false;

	stats.irqs++;
	armed = NO_DEADLINE; /* it fired: a one-shot or deadline timer is no longer set */
	for (;;) {
		uint64_t next = release_due(now, entry, &any);

		/*
		 * A release this close is cheaper to wait out than to take another
		 * interrupt for; it also absorbs a one-shot timer that fires a
		 * little early because its rate is only calibrated.
		 */
		if (next == NO_DEADLINE || next - now > spin_slack)
			break;
		stats.spins++;
		while ((now = arch_counter()) < next)
			arch_cpu_relax();
	}
	if (!any)
		stats.idle++;
	rearm();
	reschedule();
}

/* Ends the current job: waits for the next release (or wake-up), running others meanwhile. */
static void job_done(struct rtos_task *t)
{
	unsigned long flags = arch_irq_save();

	t->jobs++;
	if (t->period) {
		uint64_t next = t->release + t->period;
		uint64_t now = arch_counter();

		/* Overran into the next period(s): skip those releases rather than run late back-to-back. */
		if (next <= now) {
			uint64_t missed = (now - next) / t->period + 1;

			t->overruns += missed;
			next += missed * t->period;
		}
		t->next_release = next;
		t->state = TASK_WAITING;
		t->by_irq = false;
		rearm();
	} else if (t->wake_pending) {
		t->wake_pending = false;
	} else {
		t->state = TASK_WAITING;
	}
	reschedule();
	arch_irq_restore(flags);
}

static void task_main(void *arg)
{
	struct rtos_task *t = arg;

	arch_irq_enable();
	for (;;) {
		t->body(t->arg);
		job_done(t);
	}
}

void sched_wake(struct rtos_task *t)
{
	unsigned long flags = arch_irq_save();

	if (t->state == TASK_READY) {
		t->wake_pending = true;
	} else {
		t->state = TASK_READY;
		t->by_irq = false;
		t->release = arch_counter();
	}
	reschedule();
	arch_irq_restore(flags);
}

_Noreturn void sched_start(uint64_t origin, bool idle_poll)
{
	arch_irq_save();
	for (unsigned i = 0; i < task_count; i++) {
		if (tasks[i]->period)
			tasks[i]->next_release = origin;
	}
	rearm();
	for (;;)
		arch_wait_for_irq(idle_poll);
}

struct rtos_task *sched_current(void)
{
	return current;
}

struct rtos_release sched_release(void)
{
	struct rtos_release r = {
		.deadline = current->release,
		.irq_entry = current->irq_entry,
		.by_irq = current->by_irq,
	};

	return r;
}

void sched_get_stats(struct sched_stats *s)
{
	unsigned long flags = arch_irq_save();

	*s = stats;
	arch_irq_restore(flags);
}
