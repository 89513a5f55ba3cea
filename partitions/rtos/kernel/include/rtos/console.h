/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Line-oriented console output on top of the port's console (UART or hypercall). */
#ifndef RTOS_CONSOLE_H
#define RTOS_CONSOLE_H

#include <stddef.h>

/* One formatted line is written with one arch_console_write() (one hypercall). */
#define RTOS_CONSOLE_LINE_MAX 256

void console_write(const char *s, size_t len);
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
