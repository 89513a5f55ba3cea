/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Interfaces between the files of the x86_64 port. */
#ifndef X86_X86_H
#define X86_X86_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/defs.h"

/* entry.S */
extern uint64_t x86_gdt[GDT_ENTRIES];
_Noreturn void x86_park(void);
/* switch.S: runs fn(arg) on a fresh stack; fn must not return. */
_Noreturn void x86_call_on_stack(void *stack_top, void (*fn)(void *), void *arg);

/* boot.c: the TSC frequency, and the first C code each CPU runs, from entry.S. */
extern uint64_t x86_tsc_khz;
_Noreturn void x86_entry(uint32_t magic, uint64_t info, uint64_t ticket);

/* desc.c */
void desc_init(void);

/* apic.c; x86_timer_interrupt is called from isr.S with the TSC read at entry. */
void x86_timer_interrupt(uint64_t entry_tsc);
bool apic_init(void);
uint32_t apic_id(void);
void apic_eoi(void);

/* uart.c: a polled 16550 */
void uart_init(uint16_t port);
void uart_write(uint16_t port, const char *s, uint64_t len);

/* pit.c: TSC frequency measured against PIT channel 2 (native only); 0 on failure. */
uint64_t pit_measure_tsc_khz(void);
/* Remaps the legacy PICs off the exception vectors and masks them (native only). */
void pic_disable(void);

/* hypercall.c */
void hypercall_init(void);
long hypercall_console_write(const char *s, uint64_t len);
long hypercall_heartbeat(uint64_t count);
bool bulkhead_cpuid_present(void);

/* arch.c */
enum x86_console { CONSOLE_NONE, CONSOLE_UART, CONSOLE_HYPERCALL };
void x86_console_set(enum x86_console kind, uint16_t port);
void x86_set_native(bool native);

#endif
