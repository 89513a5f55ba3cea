// SPDX-License-Identifier: GPL-2.0-only
/* Guest console: collects a partition's hypercall output into lines for the hypervisor log. */
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"

#define CONSOLE_PRINT_FIRST 0x20 /* ' ' */
#define CONSOLE_PRINT_LAST  0x7e /* '~' */

/* Emits the collected line; called with console_lock held. */
static void console_flush(struct partition *p)
{
	if (p->console_len > PART_CONSOLE_LINE - 1)
		p->console_len = PART_CONSOLE_LINE - 1;
	p->console_line[p->console_len] = '\0';
	log_printf(LOG_INFO, "[%.*s] %s", PART_NAME_MAX, p->name, p->console_line);
	p->console_len = 0;
}

/*
 * Only printable ASCII reaches the log: a guest must not be able to send
 * escape sequences to the operator's terminal or forge a line break that
 * makes its text look like a hypervisor message.
 */
void part_console_write(struct partition *p, const char *text, size_t len)
{
	spin_lock(&p->console_lock);
	if (p->console_len >= PART_CONSOLE_LINE - 1)
		console_flush(p);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			console_flush(p);
			continue;
		}
		if (c == '\r')
			continue;
		if (c != '\t' && (c < CONSOLE_PRINT_FIRST || c > CONSOLE_PRINT_LAST))
			c = '?';
		p->console_line[p->console_len++] = (char)c;
		if (p->console_len == PART_CONSOLE_LINE - 1)
			console_flush(p);
	}
	spin_unlock(&p->console_lock);
}
