// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Console output: each printf is formatted into one buffer and written in one go. */
#include "rtos/console.h"

#include <stdarg.h>

#include "rtos/arch.h"
#include "rtos/fmt.h"

void console_write(const char *s, size_t len)
{
	arch_console_write(s, len);
}

int console_printf(const char *fmt, ...)
{
	char line[RTOS_CONSOLE_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rtos_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(line)) {
		/* Keep the line a line: a truncated message still ends in a newline. */
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	arch_console_write(line, (size_t)n);
	return n;
}
