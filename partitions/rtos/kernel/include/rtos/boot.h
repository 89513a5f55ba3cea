/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* What an architecture port hands the portable kernel once its CPU, console and counter are up. */
#ifndef RTOS_BOOT_H
#define RTOS_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#define RTOS_NAME_MAX	 32
#define RTOS_CMDLINE_MAX 256

struct rtos_boot {
	char name[RTOS_NAME_MAX];	/* from the loader (may be empty; name= overrides) */
	char cmdline[RTOS_CMDLINE_MAX]; /* "key=value ..." options */
	uint64_t counter_khz;		/* frequency of arch_counter() */
	const char *counter_name;	/* "TSC" */
	unsigned cpu_index;		/* index of this CPU within the partition */
	uint32_t hw_cpu_id;		/* the interrupt controller's id of this CPU */
	const char *hw_cpu_id_name;	/* "APIC ID" */
	const char *console;		/* "uart" or "hypercall" */
	const char *platform;		/* "native" or "bulkhead" */
	bool can_exit;			/* arch_exit() works (native test runs) */
};

/* The kernel's entry once the port is ready; interrupts are off. */
_Noreturn void rtos_main(struct rtos_boot *boot);

/* The partition name for messages ("rtos" until rtos_main() has decided). */
const char *rtos_name(void);

#endif
