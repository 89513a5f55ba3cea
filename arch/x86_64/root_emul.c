// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the root partition (Linux) may touch that it does not own, emulated
 * or filtered instead of stopping it (docs/linux-root.md):
 * - COM1: the hypervisor's console; the root sees a 16550 whose output goes
 *   to the console as "[root] ..." lines (no interrupts: polled output only);
 * - PCI configuration through ports 0xCF8/0xCFC: passed to the hardware for
 *   functions the table gives the root, all-ones for every other function;
 * - any other port: reads return all ones, writes are dropped.
 */
#include "arch/vcpu.h"
#include "arch/x86.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"

#define COM1_BASE      0x3f8
#define PCI_CFG_ADDR   0xcf8
#define PCI_CFG_DATA   0xcfc
#define PCI_CFG_ENABLE (1u << 31)
/* 16550 registers and bits (PC16550D data sheet) */
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_IDLE 0x60 /* transmitter empty, holding register empty */
#define IIR_NONE 0x01

static uint64_t ones(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static uint32_t com1_read(struct x86_part *xp, unsigned reg)
{
	uint8_t mcr = xp->com1[UART_MCR];

	if ((xp->com1[UART_LCR] & LCR_DLAB) && reg <= 1)
		return reg ? xp->com1_dlm : xp->com1_dll;
	switch (reg) {
	case UART_IIR:
		return IIR_NONE;
	case UART_LSR:
		return LSR_IDLE;
	case UART_MSR:
		/* loopback mode: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD; else CTS|DSR|DCD */
		if (mcr & MCR_LOOP)
			return ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) |
			       ((mcr & 0x08) << 4);
		return 0xb0;
	case UART_THR:
		return 0;
	default:
		return xp->com1[reg];
	}
}

static void com1_write(struct partition *p, struct x86_part *xp, unsigned reg, uint8_t val)
{
	if ((xp->com1[UART_LCR] & LCR_DLAB) && reg <= 1) {
		if (reg)
			xp->com1_dlm = val;
		else
			xp->com1_dll = val;
		return;
	}
	if (reg == UART_THR) {
		char c = (char)val;

		if (!(xp->com1[UART_MCR] & MCR_LOOP))
			part_console_write(p, &c, 1);
		return;
	}
	if (reg != UART_IIR && reg != UART_LSR && reg != UART_MSR)
		xp->com1[reg] = val;
}

/* True when the table gives the root this PCI function. */
static bool pci_owned(const struct partition *p, uint32_t cf8)
{
	uint32_t bdf = (cf8 >> 8) & 0xffff;

	for (uint32_t i = 0; i < p->pci_count; i++)
		if (p->pci[i] == bdf)
			return true;
	return false;
}

uint64_t root_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t val)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;

	if (port >= COM1_BASE && port < COM1_BASE + 8) {
		if (in)
			return com1_read(xp, port - COM1_BASE);
		com1_write(p, xp, port - COM1_BASE, (uint8_t)val);
		return 0;
	}
	if (port == PCI_CFG_ADDR && size == 4) {
		if (in)
			return xp->pci_cf8;
		xp->pci_cf8 = (uint32_t)val;
		return 0;
	}
	if (port >= PCI_CFG_DATA && port < PCI_CFG_DATA + 4) {
		uint16_t data = (uint16_t)port;

		if (!(xp->pci_cf8 & PCI_CFG_ENABLE) || !pci_owned(p, xp->pci_cf8))
			return in ? ones(size) : 0;
		/* one CPU at a time on the shared address/data pair */
		outl(PCI_CFG_ADDR, xp->pci_cf8);
		if (in)
			return size == 1 ? inb(data) : size == 2 ? inw(data) : inl(data);
		if (size == 1)
			outb(data, (uint8_t)val);
		else if (size == 2)
			outw(data, (uint16_t)val);
		else
			outl(data, (uint32_t)val);
		return 0;
	}
	return in ? ones(size) : 0;
}
