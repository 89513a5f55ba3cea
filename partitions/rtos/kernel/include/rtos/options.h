/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The RTOS command-line options ("key=value" words) and their parser. */
#ifndef RTOS_OPTIONS_H
#define RTOS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "rtos/arch.h"
#include "rtos/boot.h"

struct rtos_options {
	char name[RTOS_NAME_MAX];
	uint32_t period_us;	  /* latency task period */
	uint32_t report_every;	  /* latency samples per report line */
	uint32_t exit_after;	  /* reports before a native run ends; 0: never */
	uint32_t work_period_us;  /* period of the checksum/heartbeat task */
	uint32_t heartbeat_every; /* reports between hypervisor heartbeats; 0: never */
	enum rtos_timer_pref timer;
	bool idle_poll; /* idle=poll: spin instead of halting */
};

struct rtos_option_range {
	const char *key;
	uint32_t min, max, def;
};

void options_defaults(struct rtos_options *o);

/*
 * Parses cmdline into o. Each unknown key, bad value or overlong word is
 * described in one line passed to warn(ctx, line) and skipped; a leading
 * word without '=' that starts with '/' (the image path GRUB prepends) is
 * ignored silently. Returns the number of problems.
 */
int options_parse(const char *cmdline, struct rtos_options *o,
		  void (*warn)(void *ctx, const char *line), void *ctx);

#endif
