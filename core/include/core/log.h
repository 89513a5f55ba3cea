/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor log: one line per call, prefixed with the CPU ("[cpu1] ").
 * Lines go to every registered console sink; the host build (unit tests)
 * registers a sink that records them so tests can assert on messages.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include "core/types.h"

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

typedef void (*log_sink_fn)(const char *text, size_t len);

void log_set_sink(log_sink_fn sink);
void log_set_level(int level);
int log_get_level(void);
/* Formats one log line; a trailing newline is added when missing. */
void log_printf(int level, const char *fmt, ...) __printf(2, 3);
/* Like log_printf, as written on cpu, without draining the partitions' consoles first. */
void log_printf_cpu(int level, unsigned cpu, const char *fmt, ...) __printf(3, 4);
/*
 * Called before each log_printf line reaches the sinks (the partitions'
 * queued console lines go out first, in order); NULL: none.
 */
void log_set_drain(void (*drain)(void));
/* Raw text to the console with no prefix (boot banner, register dumps). */
void log_raw(const char *fmt, ...) __printf(1, 2);

#define pr_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
