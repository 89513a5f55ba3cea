// SPDX-License-Identifier: GPL-2.0-only
/* Polled 16550 UART console: the hypervisor's log output on x86_64. */
#include "arch/x86.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/spinlock.h"

/* 16550 registers (National Semiconductor PC16550D data sheet, table II) */
#define UART_THR     0 /* transmit holding (DLAB=0) */
#define UART_DLL     0 /* divisor latch low (DLAB=1) */
#define UART_IER     1
#define UART_DLM     1
#define UART_FCR     2
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define UART_SCR     7
#define LCR_8N1	     0x03
#define LCR_DLAB     0x80
#define LSR_THRE     0x20
#define UART_CLOCK   115200 /* 1.8432 MHz / 16 */
#define UART_TX_SPIN 100000

static uint16_t uart_port;
static spinlock_t uart_lock;

static void uart_putc(char c)
{
	unsigned spins = 0;

	while (!(inb(uart_port + UART_LSR) & LSR_THRE) && ++spins < UART_TX_SPIN)
		cpu_pause();
	outb(uart_port + UART_THR, (uint8_t)c);
}

static void uart_sink(const char *text, size_t len)
{
	/* A CPU that faults while printing must still get its dump out. */
	bool locked = spin_trylock_spin(&uart_lock, 1000000);

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			uart_putc('\r');
		uart_putc(text[i]);
	}
	if (locked)
		spin_unlock(&uart_lock);
}

static int uart_init(uint16_t port, uint32_t baud)
{
	uint32_t div;

	if (baud == 0 || baud > UART_CLOCK || UART_CLOCK % baud)
		return -HV_EINVAL;
	div = UART_CLOCK / baud;
	/* A missing UART reads back 0xff from its scratch register writes. */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return -HV_ENODEV;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, (uint8_t)div);
	outb(port + UART_DLM, (uint8_t)(div >> 8));
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0x07); /* enable and clear FIFOs */
	outb(port + UART_MCR, 0x03); /* DTR, RTS */
	uart_port = port;
	log_set_sink(uart_sink);
	return 0;
}

void arch_early_console(void)
{
	if (!uart_port && uart_init(0x3f8, 115200) < 0)
		log_set_sink(NULL);
}

static const struct {
	const char *name;
	uint16_t port;
} com_ports[] = { { "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 }, { "com4", 0x2e8 } };

int arch_console_setup(const char *spec)
{
	const char *comma = strchr(spec, ',');
	size_t name_len = comma ? (size_t)(comma - spec) : strlen(spec);
	uint64_t port = 0, baud = 115200;

	if (name_len == 4 && !strncmp(spec, "none", 4)) {
		log_set_sink(NULL);
		uart_port = 0;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(com_ports); i++)
		if (strlen(com_ports[i].name) == name_len &&
		    !strncmp(spec, com_ports[i].name, name_len))
			port = com_ports[i].port;
	if (!port && (!hv_parse_u64(spec, name_len, &port) || port == 0 || port > 0xfff8))
		return -HV_EINVAL;
	if (comma && (!hv_parse_u64(comma + 1, strlen(comma + 1), &baud) || baud > UART_CLOCK))
		return -HV_EINVAL;
	return uart_init((uint16_t)port, (uint32_t)baud);
}
