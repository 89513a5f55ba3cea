// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest console: collects a partition's output (hypercall console, the
 * root's emulated COM1) into lines. Once some CPU may wait for the UART on
 * the partitions' behalf (part_console_async: the root's CPUs on their
 * exits, a monitor CPU, a parked CPU), a finished line goes into the
 * partition's ring (core/cring.h) and returns at once: no partition's CPU
 * waits for the UART, or for another CPU printing. A partition over its
 * rate or out of room loses its own lines. Before that, lines are printed
 * as they finish.
 */
#include "core/arch.h"
#include "core/cring.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"
#include "core/spinlock.h"

#define CONSOLE_PRINT_FIRST 0x20 /* ' ' */
#define CONSOLE_PRINT_LAST  0x7e /* '~' */

static bool async;	      /* a CPU drains the rings: lines are queued */
static uint32_t pending;      /* lines queued in all rings */
static spinlock_t drain_lock; /* one drainer at a time: lines stay in order */
static bool drainer_claimed;  /* a parked CPU drains for good */
/* the partitions with a ring, in the order they got one */
static struct partition *with_ring[PART_MAX];
static unsigned n_with_ring;

/* Emits the collected line; called with console_lock held. */
static void console_flush(struct partition *p)
{
	if (p->console_len > PART_CONSOLE_LINE - 1)
		p->console_len = PART_CONSOLE_LINE - 1;
	p->console_line[p->console_len] = '\0';
	if (__atomic_load_n(&async, __ATOMIC_ACQUIRE) && p->cring.buf) {
		if (cring_put(&p->cring, p->console_line, p->console_len, arch_cpu_id(),
			      arch_cycles(), arch_cycles_khz()))
			__atomic_add_fetch(&pending, 1, __ATOMIC_RELEASE);
	} else {
		log_printf(LOG_INFO, "[%.*s] %s", PART_NAME_MAX, p->name, p->console_line);
	}
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

void part_console_ring(struct partition *p, void *buf, uint32_t size, uint64_t rate)
{
	if (n_with_ring == PART_MAX)
		return; /* cannot happen: one per partition */
	spin_lock(&p->console_lock);
	cring_init(&p->cring, buf, size, rate, rate ? 4 * rate : 0, arch_cycles());
	spin_unlock(&p->console_lock);
	__atomic_store_n(&with_ring[n_with_ring], p, __ATOMIC_RELEASE);
	__atomic_store_n(&n_with_ring, n_with_ring + 1, __ATOMIC_RELEASE);
}

void part_console_async(void)
{
	if (!__atomic_exchange_n(&async, true, __ATOMIC_ACQ_REL))
		log_set_drain(part_console_flush_all);
}

unsigned part_console_drain(unsigned max)
{
	static char line[PART_CONSOLE_LINE];
	unsigned done = 0;
	bool more = true;

	if (!__atomic_load_n(&pending, __ATOMIC_ACQUIRE) || !spin_trylock(&drain_lock))
		return 0;
	/* round robin over the partitions, one line each, until max or empty */
	while (more && done < max) {
		more = false;
		for (unsigned i = 0;
		     i < __atomic_load_n(&n_with_ring, __ATOMIC_ACQUIRE) && done < max; i++) {
			struct partition *p = __atomic_load_n(&with_ring[i], __ATOMIC_ACQUIRE);
			uint32_t cpu = 0;
			int n;

			if (!p || !p->cring.buf || !spin_trylock(&p->console_lock))
				continue;
			n = cring_get(&p->cring, line, sizeof(line) - 1, &cpu);
			spin_unlock(&p->console_lock);
			if (n < 0)
				continue;
			__atomic_sub_fetch(&pending, 1, __ATOMIC_RELEASE);
			line[n] = '\0';
			log_printf_cpu(LOG_INFO, cpu, "[%.*s] %s", PART_NAME_MAX, p->name, line);
			done++;
			more = true;
		}
	}
	spin_unlock(&drain_lock);
	return done;
}

void part_console_flush_all(void)
{
	part_console_drain(~0u);
}

bool part_console_claim_drainer(void)
{
	return __atomic_load_n(&async, __ATOMIC_ACQUIRE) &&
	       !__atomic_exchange_n(&drainer_claimed, true, __ATOMIC_ACQ_REL);
}

void __noreturn part_console_drainer(void)
{
	for (;;) {
		if (!part_console_drain(~0u))
			arch_cpu_relax();
	}
}
