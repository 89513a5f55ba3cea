// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* A polled 16550 UART at 115200 8N1: COM1 natively, or a port Bulkhead passes through. */
#include <stdint.h>

#include "x86/cpu.h"
#include "x86/x86.h"

/* 16550 registers (offsets from the base port) and bits. */
#define UART_THR	 0
#define UART_DLL	 0
#define UART_IER	 1
#define UART_DLM	 1
#define UART_FCR	 2
#define UART_LCR	 3
#define UART_MCR	 4
#define UART_LSR	 5
#define LCR_DLAB	 0x80
#define LCR_8N1		 0x03
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS	 0x03 /* OUT2 stays off: no UART interrupts */
#define LSR_THRE	 0x20
#define DIVISOR_115200	 1 /* 1.8432 MHz / 16 / 115200 */
/* Give up on a transmitter that never drains (absent or wedged UART) instead of hanging. */
#define THRE_POLLS_MAX 1000000

void uart_init(uint16_t port)
{
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, DIVISOR_115200);
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS);
}

static void put(uint16_t port, char c)
{
	for (unsigned i = 0; i < THRE_POLLS_MAX && !(inb(port + UART_LSR) & LSR_THRE); i++)
		cpu_pause();
	outb(port + UART_THR, (uint8_t)c);
}

void uart_write(uint16_t port, const char *s, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put(port, '\r');
		put(port, s[i]);
	}
}
