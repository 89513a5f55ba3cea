// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the root partition (Linux) may touch that it does not own, emulated
 * or filtered instead of stopping it (docs/linux-root.md):
 * - COM1: the hypervisor's console; the root sees a 16550A whose output goes
 *   to the console as "[root] ..." lines, with its transmitter interrupt
 *   raised on the CPU the root aimed ISA IRQ 4 at (a virtual IOAPIC pin);
 * - the IOAPIC: redirection entries of the root's own pins reach the
 *   hardware with their destination resolved to one of the root's CPUs;
 *   other partitions' pins cannot be changed;
 * - PCI configuration through ports 0xCF8/0xCFC: passed to the hardware for
 *   functions the table gives the root, all-ones for every other function;
 * - any other port: reads return all ones, writes are dropped.
 */
#include <bulkhead/table.h>

#include "arch/acpi.h"
#include "arch/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_platform.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"
#include "core/partitions.h"
#include "core/spinlock.h"

#define COM1_BASE    0x3f8
#define COM1_ISA_IRQ 4
#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc
/* 16550 registers and bits (PC16550D data sheet) */
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2 /* read; FCR on write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define LCR_DLAB 0x80
#define MCR_OUT2 0x08 /* gates the UART's interrupt to the PC's interrupt controller */
#define MCR_LOOP 0x10
#define LSR_IDLE 0x60 /* transmitter empty, holding register empty */
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_FIFO 0xc0 /* FIFOs enabled: what makes Linux see a 16550A */
#define FCR_FIFO 0x01

/* IOAPIC (82093AA data sheet): index at +0, data at +0x10, EOI at +0x40 */
#define IOAPIC_SPAN	0x1000
#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_EOI	0x40
#define IOAPIC_REDTBL	0x10
#define RTE_VECTOR(lo)	((lo)&0xff)
#define RTE_MODE(lo)	(((lo) >> 8) & 7)
#define RTE_LOGICAL	(1u << 11)
#define RTE_RO_BITS	((1u << 12) | (1u << 14)) /* delivery status, remote IRR */
#define RTE_MASKED	(1u << 16)
#define RTE_MODE_FIXED	0
#define RTE_MODE_LOWEST 1
#define RTE_MODE_NMI	4
#define RTE_PINS_MAX	240 /* redirection entries 0x10..0xff */

/* One lock for every IOAPIC's index/data pair and the root's shadow entries */
static spinlock_t ioapic_lock;

/* The root's view of each IOAPIC: its index register and its own redirection entries. */
struct vioapic {
	uint64_t base;
	uint32_t gsi_base;
	uint32_t sel;
	uint32_t rte[RTE_PINS_MAX][2];
	uint8_t warned[RTE_PINS_MAX / 8];
};

static struct vioapic vioapics[ACPI_MAX_IOAPICS];
static unsigned vioapic_count;
static struct vioapic *com1_ioapic; /* the IOAPIC with the emulated COM1's pin */
static uint32_t com1_pin;

static void vioapic_init(void)
{
	const struct acpi_info *ai = platform_acpi();
	uint32_t gsi = COM1_ISA_IRQ;

	if (vioapic_count)
		return;
	for (uint32_t i = 0; i < ai->iso_count; i++)
		if (ai->isos[i].bus == 0 && ai->isos[i].source == COM1_ISA_IRQ)
			gsi = ai->isos[i].gsi;
	for (uint32_t i = 0; i < ai->ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
		struct vioapic *io = &vioapics[vioapic_count++];

		io->base = ai->ioapics[i].addr;
		io->gsi_base = ai->ioapics[i].gsi_base;
		for (unsigned pin = 0; pin < RTE_PINS_MAX; pin++)
			io->rte[pin][0] = RTE_MASKED;
		if (gsi >= io->gsi_base && gsi - io->gsi_base < RTE_PINS_MAX) {
			com1_ioapic = io;
			com1_pin = gsi - io->gsi_base;
		}
	}
}

/* The root's vCPU an interrupt with this destination goes to (xAPIC format), or NULL. */
static struct vcpu *rte_target(const struct partition *p, uint32_t lo, uint32_t hi)
{
	const struct x86_part *xp = p->arch;
	uint32_t dest = hi >> 24;

	for (uint32_t i = 0; i < p->cpu_count; i++) {
		struct vcpu *t = xp->vcpus[i];

		if (!t)
			continue;
		if ((lo & RTE_LOGICAL) ? vcpu_xapic_logical_match(t, dest) : p->hw_ids[i] == dest)
			return t;
	}
	return NULL;
}

/* Raises the emulated COM1's interrupt as the root programmed its (virtual) pin. */
static void com1_raise(struct partition *p)
{
	uint32_t lo, hi;
	struct vcpu *t;

	if (!com1_ioapic)
		return;
	spin_lock(&ioapic_lock);
	lo = com1_ioapic->rte[com1_pin][0];
	hi = com1_ioapic->rte[com1_pin][1];
	spin_unlock(&ioapic_lock);
	if ((lo & RTE_MASKED) ||
	    (RTE_MODE(lo) != RTE_MODE_FIXED && RTE_MODE(lo) != RTE_MODE_LOWEST) ||
	    RTE_VECTOR(lo) < 32)
		return;
	t = rte_target(p, lo, hi);
	if (t)
		apic_send_ipi(p->hw_ids[t->index], RTE_VECTOR(lo));
}

static bool com1_line(const struct x86_part *xp)
{
	return (xp->com1[UART_IER] & IER_THRI) && xp->com1_thre &&
	       (xp->com1[UART_MCR] & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
}

static uint32_t com1_read(struct x86_part *xp, unsigned reg)
{
	uint8_t mcr = xp->com1[UART_MCR];
	uint8_t fifo = (xp->com1_fcr & FCR_FIFO) ? IIR_FIFO : 0;

	if ((xp->com1[UART_LCR] & LCR_DLAB) && reg <= 1)
		return reg ? xp->com1_dlm : xp->com1_dll;
	switch (reg) {
	case UART_IIR:
		/* reading IIR while it reports THRE acknowledges that interrupt */
		if ((xp->com1[UART_IER] & IER_THRI) && xp->com1_thre) {
			xp->com1_thre = false;
			return fifo | IIR_THRI;
		}
		return fifo | IIR_NONE;
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
	bool before = com1_line(xp);

	if ((xp->com1[UART_LCR] & LCR_DLAB) && reg <= 1) {
		if (reg)
			xp->com1_dlm = val;
		else
			xp->com1_dll = val;
		return;
	}
	switch (reg) {
	case UART_THR:
		if (!(xp->com1[UART_MCR] & MCR_LOOP)) {
			char c = (char)val;

			part_console_write(p, &c, 1);
		}
		/* the character is gone at once: THRE drops and rises again, a new edge */
		xp->com1_thre = true;
		before = false;
		break;
	case UART_IER:
		/* enabling the THRE interrupt while the holding register is empty raises it */
		if ((val & IER_THRI) && !(xp->com1[UART_IER] & IER_THRI))
			xp->com1_thre = true;
		xp->com1[UART_IER] = val & 0x0f;
		break;
	case UART_IIR:
		xp->com1_fcr = val;
		return;
	case UART_LSR:
	case UART_MSR:
		return;
	default:
		xp->com1[reg] = val;
		break;
	}
	if (!before && com1_line(xp))
		com1_raise(p);
}

static uint64_t ones(unsigned size);

/*
 * The value the hardware gets for one of the root's redirection entries: the
 * destination resolved to one of the root's CPUs (physical mode), masked
 * when it names none or asks for a delivery mode that could reach others.
 */
static void rte_to_hw(const struct partition *p, const uint32_t rte[2], uint32_t hw[2],
		      const char **bad)
{
	uint32_t lo = rte[0], hi = rte[1];
	struct vcpu *t = rte_target(p, lo, hi);
	unsigned mode = RTE_MODE(lo);

	*bad = NULL;
	hw[0] = lo & ~RTE_LOGICAL;
	hw[1] = t ? p->hw_ids[t->index] << 24 : 0;
	if (lo & RTE_MASKED)
		return;
	if (mode != RTE_MODE_FIXED && mode != RTE_MODE_LOWEST && mode != RTE_MODE_NMI)
		*bad = "delivery mode not allowed";
	else if (!t)
		*bad = "destination is not one of the partition's CPUs";
	if (*bad)
		hw[0] |= RTE_MASKED;
}

static uint32_t ioapic_hw_read(uint64_t base, uint32_t reg)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	return mmio_read32(base + IOAPIC_WIN);
}

static void ioapic_hw_write(uint64_t base, uint32_t reg, uint32_t val)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	mmio_write32(base + IOAPIC_WIN, val);
}

/* A 32-bit data-window access by the root, with the lock held. */
static uint32_t vioapic_window(struct vcpu *v, struct vioapic *io, bool write, uint32_t val)
{
	struct partition *p = v->part;
	uint32_t reg = io->sel, pin, half, hw[2];
	const char *bad;
	bool owned;

	if (reg < IOAPIC_REDTBL) {
		/* ID, version, arbitration: the platform's; the root reads them only */
		return write ? 0 : ioapic_hw_read(io->base, reg);
	}
	pin = (reg - IOAPIC_REDTBL) / 2;
	half = (reg - IOAPIC_REDTBL) & 1;
	owned = !p->irqs_known || part_owns_irq(p, io->base, pin);
	if (io == com1_ioapic && pin == com1_pin) {
		/* the emulated COM1's pin is virtual: it never reaches the hardware */
		if (!write)
			return io->rte[pin][half];
		io->rte[pin][half] = half ? val : val & ~RTE_RO_BITS;
		return 0;
	}
	if (!owned) {
		if (write && half == 0 && !(val & RTE_MASKED) &&
		    !(io->warned[pin / 8] & (1u << (pin % 8)))) {
			io->warned[pin / 8] |= (uint8_t)(1u << (pin % 8));
			pr_warn("partition \"%s\": IOAPIC 0x%llx pin %u is not its own; "
				"redirection entry write 0x%x dropped",
				p->name, (unsigned long long)io->base, pin, val);
		}
		return write ? 0 : half ? 0 : RTE_MASKED;
	}
	if (!write)
		return half ? io->rte[pin][1]
			    : (io->rte[pin][0] & ~RTE_RO_BITS) |
				       (ioapic_hw_read(io->base, reg) & RTE_RO_BITS);
	io->rte[pin][half] = half ? val : val & ~RTE_RO_BITS;
	rte_to_hw(p, io->rte[pin], hw, &bad);
	if (bad)
		pr_warn("partition \"%s\": IOAPIC pin %u entry 0x%08x%08x: %s; masked", p->name,
			pin, io->rte[pin][1], io->rte[pin][0], bad);
	/* mask first, so no half-written entry is ever live */
	ioapic_hw_write(io->base, IOAPIC_REDTBL + pin * 2, hw[0] | RTE_MASKED);
	ioapic_hw_write(io->base, IOAPIC_REDTBL + pin * 2 + 1, hw[1]);
	if (!(hw[0] & RTE_MASKED))
		ioapic_hw_write(io->base, IOAPIC_REDTBL + pin * 2, hw[0]);
	return 0;
}

bool root_ioapic_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val)
{
	struct vioapic *io = NULL;
	uint64_t off;
	bool raise = false;

	vioapic_init();
	for (unsigned i = 0; i < vioapic_count; i++)
		if (gpa >= vioapics[i].base && gpa - vioapics[i].base < IOAPIC_SPAN)
			io = &vioapics[i];
	if (!io)
		return false;
	off = gpa - io->base;
	if (size != 4 || (off & 3)) {
		if (!write)
			*val = 0xffffffff;
		return true;
	}
	spin_lock(&ioapic_lock);
	if (off == IOAPIC_REGSEL) {
		if (write)
			io->sel = *val & 0xff;
		else
			*val = io->sel;
	} else if (off == IOAPIC_WIN) {
		uint32_t r = vioapic_window(v, io, write, *val);

		if (!write)
			*val = r;
		/* unmasking the COM1 pin while the UART asserts its line delivers it */
		raise = write && io == com1_ioapic && io->sel == IOAPIC_REDTBL + com1_pin * 2 &&
			!(*val & RTE_MASKED);
	} else if (off == IOAPIC_EOI && write) {
		mmio_write32(io->base + IOAPIC_EOI, *val);
	} else if (!write) {
		*val = 0;
	}
	spin_unlock(&ioapic_lock);
	if (raise) {
		struct x86_part *xp = v->part->arch;
		bool line;

		spin_lock(&xp->com1_lock);
		line = com1_line(xp);
		spin_unlock(&xp->com1_lock);
		if (line)
			com1_raise(v->part);
	}
	return true;
}

static uint64_t ones(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

#define ROOT_DENIED_REPORTS 32

void root_denied_access(struct vcpu *v, uint64_t gpa, bool write)
{
	static uint64_t last_page = ~0ULL;
	static unsigned reports;
	const char *owner = partitions_owner_of(gpa, v->part);

	/* the root's guest-physical addresses are host-physical (docs/linux-root.md) */
	if (!owner || (gpa & ~0xfffULL) == last_page || reports > ROOT_DENIED_REPORTS)
		return;
	last_page = gpa & ~0xfffULL;
	if (++reports > ROOT_DENIED_REPORTS) {
		pr_warn("partition \"%s\": more denied accesses; no more reports", v->part->name);
		return;
	}
	pr_warn("partition \"%s\": %s of 0x%llx (memory of %s) denied: %s", v->part->name,
		write ? "write" : "read", (unsigned long long)gpa, owner,
		write ? "dropped" : "reads as all ones");
}

#define PORT_KBC_CMD  0x64
#define KBC_PULSE_RST 0xfe /* pulse the reset line (8042 command) */
#define PORT_RST_CNT  0xcf9
#define RST_CNT_CPU   0x04 /* ICH reset control: reset the CPU */
#define PM1_SLP_EN    (1u << 13)

static bool root_owns_port(const struct partition *p, uint16_t port)
{
	for (uint32_t i = 0; i < p->pio_count; i++)
		if (port >= p->pio[i].base && port - p->pio[i].base < p->pio[i].size)
			return true;
	return false;
}

/* Reset and sleep registers: true when the access was a request (and is consumed). */
static bool power_request(struct vcpu *v, uint16_t port, unsigned size, uint64_t val)
{
	struct x86_part *xp = v->part->arch;
	char how[64];

	if (port == PORT_KBC_CMD && (uint8_t)val == KBC_PULSE_RST) {
		root_request(v, ROOT_REQ_REBOOT, "keyboard controller, port 0x64 = 0xfe");
		return true;
	}
	if (xp->reset_port && port == xp->reset_port && (uint8_t)val == xp->reset_value) {
		snprintf(how, sizeof(how), "ACPI reset register, port 0x%x = 0x%x", port,
			 (unsigned)(uint8_t)val);
		root_request(v, ROOT_REQ_REBOOT, how);
		return true;
	}
	if (port == PORT_RST_CNT && (val & RST_CNT_CPU)) {
		snprintf(how, sizeof(how), "reset control, port 0xcf9 = 0x%x",
			 (unsigned)(uint8_t)val);
		root_request(v, ROOT_REQ_REBOOT, how);
		return true;
	}
	for (unsigned i = 0; i < 2; i++) {
		uint32_t cnt = (uint32_t)val;

		if (!xp->pm1_cnt[i] || port < xp->pm1_cnt[i] || port > xp->pm1_cnt[i] + 1)
			continue;
		if (port != xp->pm1_cnt[i])
			cnt <<= 8; /* a byte write to the upper half */
		else if (size == 1)
			cnt &= 0xff;
		if (cnt & PM1_SLP_EN) {
			snprintf(how, sizeof(how), "ACPI sleep, PM1%c_CNT 0x%x = 0x%x",
				 i ? 'b' : 'a', xp->pm1_cnt[i], cnt & 0xffff);
			root_request(v, ROOT_REQ_POWER_OFF, how);
			return true;
		}
	}
	return false;
}

static uint64_t port_access(uint16_t port, unsigned size, bool in, uint64_t val)
{
	if (in)
		return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	if (size == 1)
		outb(port, (uint8_t)val);
	else if (size == 2)
		outw(port, (uint16_t)val);
	else
		outl(port, (uint32_t)val);
	return 0;
}

uint64_t root_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t val)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;

	if (!in && power_request(v, port, size, val))
		return 0;

	if (port >= COM1_BASE && port < COM1_BASE + 8) {
		uint32_t r = 0;

		vioapic_init();
		spin_lock(&xp->com1_lock);
		if (in)
			r = com1_read(xp, port - COM1_BASE);
		else
			com1_write(p, xp, port - COM1_BASE, (uint8_t)val);
		spin_unlock(&xp->com1_lock);
		return r;
	}
	if (port == PCI_CFG_ADDR && size == 4) {
		if (in)
			return xp->pci_cf8;
		xp->pci_cf8 = (uint32_t)val;
		return 0;
	}
	if (port >= PCI_CFG_DATA && port < PCI_CFG_DATA + 4)
		return root_pci_conf1(v, xp->pci_cf8, port, size, !in, (uint32_t)val);
	/* a port of its own intercepted only to watch for requests (PM1 control, 0x64) */
	if (root_owns_port(p, port) && (port < PCI_CFG_ADDR || port > PCI_CFG_DATA + 3))
		return port_access(port, size, in, val);
	return in ? ones(size) : 0;
}

void root_emul_reset(struct partition *p)
{
	struct x86_part *xp = p->arch;

	spin_lock(&xp->com1_lock);
	memset(xp->com1, 0, sizeof(xp->com1));
	xp->com1_dll = xp->com1_dlm = xp->com1_fcr = 0;
	xp->com1_thre = false;
	spin_unlock(&xp->com1_lock);
	xp->pci_cf8 = 0;
	spin_lock(&ioapic_lock);
	for (unsigned i = 0; i < vioapic_count; i++) {
		struct vioapic *io = &vioapics[i];

		io->sel = 0;
		for (uint32_t pin = 0; pin < RTE_PINS_MAX; pin++) {
			bool owned = !p->irqs_known || part_owns_irq(p, io->base, pin);

			if (io->rte[pin][0] != RTE_MASKED && owned &&
			    !(io == com1_ioapic && pin == com1_pin))
				ioapic_hw_write(io->base, IOAPIC_REDTBL + pin * 2, RTE_MASKED);
			io->rte[pin][0] = RTE_MASKED;
			io->rte[pin][1] = 0;
		}
	}
	spin_unlock(&ioapic_lock);
}
