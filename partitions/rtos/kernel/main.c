// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The portable kernel's entry: options, timer, the boot banner, then the tasks. */
#include "rtos/boot.h"

#include "rtos/arch.h"
#include "rtos/clock.h"
#include "rtos/console.h"
#include "rtos/options.h"
#include "rtos/string.h"
#include "rtos/tasks.h"

static const char *name = "rtos";
static struct rtos_options opts;
static struct rtos_clock clk;

const char *rtos_name(void)
{
	return name;
}

static void warn_option(void *ctx, const char *line)
{
	(void)ctx;
	console_printf("rtos %s: WARN: %s\n", name, line);
}

_Noreturn void rtos_main(struct rtos_boot *boot)
{
	struct arch_timer_info ti = { .mode = "none", .detail = "" };

	/* The name prefixes every message, so it is taken before the options are checked aloud. */
	options_defaults(&opts);
	options_parse(boot->cmdline, &opts, NULL, NULL);
	if (opts.name[0])
		name = opts.name;
	else if (boot->name[0])
		name = boot->name;
	options_defaults(&opts);
	options_parse(boot->cmdline, &opts, warn_option, NULL);

	if (clock_init(&clk, boot->counter_khz)) {
		console_printf("rtos %s: ERROR: %s frequency %llu kHz is outside %llu..%llu kHz\n",
			       name, boot->counter_name, (unsigned long long)boot->counter_khz,
			       RTOS_CLOCK_KHZ_MIN, RTOS_CLOCK_KHZ_MAX);
		arch_halt();
	}
	if (arch_timer_init(opts.timer, &ti)) {
		console_printf("rtos %s: ERROR: no usable timer, halting\n", name);
		arch_halt();
	}
	console_printf("rtos %s: up on cpu %u (%s %u), %s %llu.%03llu MHz, timer %s, console %s, "
		       "%s\n",
		       name, boot->cpu_index, boot->hw_cpu_id_name, (unsigned)boot->hw_cpu_id,
		       boot->counter_name, (unsigned long long)(boot->counter_khz / 1000),
		       (unsigned long long)(boot->counter_khz % 1000), ti.mode, boot->console,
		       boot->platform);
	console_printf("rtos %s: %s\n", name, ti.detail);
	console_printf("rtos %s: latency task every %u us, work task every %u us, report every %u "
		       "samples, idle %s\n",
		       name, (unsigned)opts.period_us, (unsigned)opts.work_period_us,
		       (unsigned)opts.report_every, opts.idle_poll ? "poll" : "halt");
	if (opts.exit_after && boot->can_exit)
		arch_exit_on_fault(true);
	if (opts.exit_after && !boot->can_exit)
		console_printf("rtos %s: exit_after=%u ignored: only a native run can end itself\n",
			       name, (unsigned)opts.exit_after);
	tasks_start(&opts, &clk, name, boot->can_exit);
}
