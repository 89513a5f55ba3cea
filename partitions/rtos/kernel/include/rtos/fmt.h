/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* A small printf-like formatter: %d %i %u %x %X %p %s %c %% with - 0 width * and h l ll z. */
#ifndef RTOS_FMT_H
#define RTOS_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf(): always NUL-terminates when size > 0, returns the untruncated length. */
int rtos_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int rtos_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
