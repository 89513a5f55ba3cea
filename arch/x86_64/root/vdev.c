// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux root's emulated 16550A and IOAPIC window as pure decisions on
 * guest-controlled input (see root/vdev.h); the hardware work stays in
 * root_emul.c.
 */
#include "root/vdev.h"

#include "core/lib.h"

/* ---- 16550A (PC16550D data sheet, register and bit names as there) ---- */

#define UART_THR 0 /* DLL with DLAB */
#define UART_IER 1 /* DLM with DLAB */
#define UART_IIR 2 /* read; FCR on write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define LCR_DLAB 0x80
#define IER_MASK 0x0f /* the four interrupt enables; the upper bits read as 0 */
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_FIFO 0xc0 /* FIFOs enabled: what makes Linux see a 16550A */
#define FCR_FIFO 0x01
#define MCR_DTR	 0x01
#define MCR_RTS	 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08 /* gates the UART's interrupt to the PC's interrupt controller */
#define MCR_LOOP 0x10
#define LSR_IDLE 0x60 /* transmitter empty, holding register empty; never data ready */
#define MSR_CTS	 0x10
#define MSR_DSR	 0x20
#define MSR_RI	 0x40
#define MSR_DCD	 0x80
#define MSR_IDLE (MSR_CTS | MSR_DSR | MSR_DCD) /* a null-modem line that is always ready */

void vuart_reset(struct vuart *u)
{
	memset(u, 0, sizeof(*u));
}

bool vuart_line(const struct vuart *u)
{
	/* in loopback mode OUT2 is looped to DCD and the interrupt output is cut */
	return (u->reg[UART_IER] & IER_THRI) && u->thre &&
	       (u->reg[UART_MCR] & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
}

uint8_t vuart_read(struct vuart *u, unsigned reg)
{
	uint8_t mcr = u->reg[UART_MCR];
	uint8_t fifo = (u->fcr & FCR_FIFO) ? IIR_FIFO : 0;

	reg &= VUART_REGS - 1;
	if ((u->reg[UART_LCR] & LCR_DLAB) && reg <= UART_IER)
		return reg == UART_IER ? u->dlm : u->dll;
	switch (reg) {
	case UART_IIR:
		/* reading IIR while it reports THRE acknowledges that interrupt */
		if ((u->reg[UART_IER] & IER_THRI) && u->thre) {
			u->thre = false;
			return fifo | IIR_THRI;
		}
		return fifo | IIR_NONE;
	case UART_LSR:
		return LSR_IDLE;
	case UART_MSR:
		/* loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD */
		if (mcr & MCR_LOOP)
			return (uint8_t)(((mcr & MCR_RTS) ? MSR_CTS : 0) |
					 ((mcr & MCR_DTR) ? MSR_DSR : 0) |
					 ((mcr & MCR_OUT1) ? MSR_RI : 0) |
					 ((mcr & MCR_OUT2) ? MSR_DCD : 0));
		return MSR_IDLE;
	case UART_THR:
		return 0; /* no input: the receive buffer is always empty */
	default:
		return u->reg[reg];
	}
}

bool vuart_write(struct vuart *u, unsigned reg, uint8_t val, int *out_char)
{
	bool before = vuart_line(u);

	*out_char = -1;
	reg &= VUART_REGS - 1;
	if ((u->reg[UART_LCR] & LCR_DLAB) && reg <= UART_IER) {
		if (reg == UART_IER)
			u->dlm = val;
		else
			u->dll = val;
		return false;
	}
	switch (reg) {
	case UART_THR:
		if (!(u->reg[UART_MCR] & MCR_LOOP))
			*out_char = val;
		/* the character is gone at once: THRE drops and rises again, a new edge */
		u->thre = true;
		before = false;
		break;
	case UART_IER:
		/* enabling the THRE interrupt while the holding register is empty raises it */
		if ((val & IER_THRI) && !(u->reg[UART_IER] & IER_THRI))
			u->thre = true;
		u->reg[UART_IER] = val & IER_MASK;
		break;
	case UART_IIR:
		u->fcr = val;
		return false;
	case UART_LSR:
	case UART_MSR:
		return false; /* read-only here (factory test registers on the chip) */
	default:
		u->reg[reg] = val;
		break;
	}
	return !before && vuart_line(u);
}

/* ---- IOAPIC (82093AA data sheet, 3.2.4: the redirection table) ---- */

#define RTE_VECTOR(lo)	((lo)&0xff)
#define RTE_MODE(lo)	(((lo) >> 8) & 7)
#define RTE_LOGICAL	(1u << 11)
#define RTE_RO_BITS	((1u << 12) | (1u << 14)) /* delivery status, remote IRR */
#define RTE_DEST(hi)	((hi) >> 24)
#define RTE_DEST_MAX	0xffu
#define RTE_MODE_FIXED	0
#define RTE_MODE_LOWEST 1
#define RTE_MODE_NMI	4
#define VECTOR_MIN	32   /* 0-31 are exceptions */
#define INDEX_MASK	0xff /* the index register is 8 bits wide */

void vioapic_state_init(struct vioapic_state *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		s->rte[pin][0] = VIOAPIC_RTE_MASKED;
}

int vioapic_rte_target(const struct vdev_part *p, uint32_t lo, uint32_t hi)
{
	uint32_t dest = RTE_DEST(hi);
	uint32_t n = p->count < PART_CPUS_MAX ? p->count : PART_CPUS_MAX;

	for (uint32_t i = 0; i < n; i++) {
		const struct vdev_cpu *c = &p->cpu[i];

		if (!c->present)
			continue;
		if ((lo & RTE_LOGICAL) ? vdev_xapic_logical_match(c->ldr, c->dfr, dest)
				       : c->apic_id == dest)
			return (int)i;
	}
	return -1;
}

void vioapic_rte_to_hw(const struct vdev_part *p, const uint32_t rte[2], uint32_t hw[2],
		       const char **bad)
{
	uint32_t lo = rte[0];
	int t = vioapic_rte_target(p, lo, rte[1]);
	unsigned mode = RTE_MODE(lo);

	*bad = NULL;
	hw[0] = lo & ~RTE_LOGICAL;
	/* the hardware's physical destination is 8 bits: a CPU above 255 cannot be named */
	hw[1] = t >= 0 && p->cpu[t].apic_id <= RTE_DEST_MAX ? p->cpu[t].apic_id << 24 : 0;
	if (lo & VIOAPIC_RTE_MASKED)
		return;
	/* NMI too: a real NMI is the hypervisor's own stop/kick signal, it never reaches a guest */
	if (mode != RTE_MODE_FIXED && mode != RTE_MODE_LOWEST)
		*bad = "delivery mode not allowed";
	else if (t < 0)
		*bad = "destination is not one of the partition's CPUs";
	else if (p->cpu[t].apic_id > RTE_DEST_MAX)
		*bad = "destination CPU's APIC ID does not fit the entry's 8 bits";
	if (*bad)
		hw[0] |= VIOAPIC_RTE_MASKED;
}

static uint32_t env_pins(const struct vioapic_env *e)
{
	return e->pins == 0 || e->pins > VIOAPIC_PINS ? VIOAPIC_PINS : e->pins;
}

static bool env_owned(const struct vioapic_env *e, uint32_t pin)
{
	return !e->owned || e->owned(e->ctx, pin);
}

static uint32_t env_hw_read(const struct vioapic_env *e, uint32_t reg)
{
	return e->hw_read ? e->hw_read(e->ctx, reg) : 0;
}

static void hw_write(struct vioapic_result *r, uint32_t reg, uint32_t val)
{
	if (r->n_writes < VIOAPIC_HW_WRITES_MAX) {
		r->hw[r->n_writes].reg = reg;
		r->hw[r->n_writes].val = val;
		r->n_writes++;
	}
}

static bool warned(struct vioapic_state *s, uint32_t pin)
{
	uint8_t bit = (uint8_t)(1u << (pin % 8));

	if (s->warned[pin / 8] & bit)
		return true;
	s->warned[pin / 8] |= bit;
	return false;
}

/* A 32-bit access to the data window. */
static void window(struct vioapic_state *s, const struct vioapic_env *e, bool write, uint32_t val,
		   struct vioapic_result *r)
{
	uint32_t reg = s->sel & INDEX_MASK, pin, half, hw[2];
	const char *bad;

	if (reg < VIOAPIC_REDTBL) {
		/* ID, version, arbitration: the platform's; the root reads them only */
		if (!write)
			r->val = env_hw_read(e, reg);
		return;
	}
	pin = (reg - VIOAPIC_REDTBL) / 2;
	half = (reg - VIOAPIC_REDTBL) & 1;
	if (e->virt_pin >= 0 && pin == (uint32_t)e->virt_pin) {
		/* the emulated COM1's pin is virtual: it never reaches the hardware */
		if (!write) {
			r->val = s->rte[pin][half];
			return;
		}
		s->rte[pin][half] = half ? val : val & ~RTE_RO_BITS;
		r->virt_unmasked = half == 0 && !(val & VIOAPIC_RTE_MASKED);
		return;
	}
	if (pin >= env_pins(e)) {
		/* past the hardware's last entry: nothing there */
		r->val = 0;
		return;
	}
	if (!env_owned(e, pin)) {
		if (write && half == 0 && !(val & VIOAPIC_RTE_MASKED) && !warned(s, pin))
			snprintf(r->warn, sizeof(r->warn),
				 "pin %u is not its own; redirection entry write 0x%x dropped", pin,
				 val);
		if (!write)
			r->val = half ? 0 : VIOAPIC_RTE_MASKED;
		return;
	}
	if (!write) {
		r->val = half ? s->rte[pin][1]
			      : (s->rte[pin][0] & ~RTE_RO_BITS) |
					 (env_hw_read(e, reg) & RTE_RO_BITS);
		return;
	}
	s->rte[pin][half] = half ? val : val & ~RTE_RO_BITS;
	vioapic_rte_to_hw(e->part, s->rte[pin], hw, &bad);
	if (bad)
		snprintf(r->warn, sizeof(r->warn), "pin %u entry 0x%08x%08x: %s; masked", pin,
			 s->rte[pin][1], s->rte[pin][0], bad);
	/* mask first, so no half-written entry is ever live */
	hw_write(r, VIOAPIC_REDTBL + pin * 2, hw[0] | VIOAPIC_RTE_MASKED);
	hw_write(r, VIOAPIC_REDTBL + pin * 2 + 1, hw[1]);
	if (!(hw[0] & VIOAPIC_RTE_MASKED))
		hw_write(r, VIOAPIC_REDTBL + pin * 2, hw[0]);
}

void vioapic_access(struct vioapic_state *s, const struct vioapic_env *e, uint64_t off,
		    unsigned size, bool write, uint32_t val, struct vioapic_result *r)
{
	memset(r, 0, sizeof(*r));
	if (size != 4 || (off & 3)) {
		/* the registers are 32 bits wide and only 32-bit accesses are defined */
		if (!write)
			r->val = 0xffffffff;
		return;
	}
	if (off == VIOAPIC_REGSEL) {
		if (write)
			s->sel = val & INDEX_MASK;
		else
			r->val = s->sel;
	} else if (off == VIOAPIC_WIN) {
		window(s, e, write, val, r);
	} else if (off == VIOAPIC_EOI && write) {
		/*
		 * Passed on only for the vector of one of the root's own pins
		 * (not the virtual one): any other EOI could clear the remote
		 * IRR of another partition's level-triggered pin.
		 */
		for (uint32_t pin = 0; pin < e->pins && pin < VIOAPIC_PINS; pin++) {
			if ((int32_t)pin == e->virt_pin || !env_owned(e, pin) ||
			    (s->rte[pin][0] & 0xff) != (val & 0xff))
				continue;
			r->eoi = true;
			r->val = val;
			break;
		}
	}
}

int vioapic_virt_target(const struct vioapic_state *s, const struct vioapic_env *e, uint8_t *vector)
{
	uint32_t lo, hi;
	int t;

	if (e->virt_pin < 0 || e->virt_pin >= VIOAPIC_PINS)
		return -1;
	lo = s->rte[e->virt_pin][0];
	hi = s->rte[e->virt_pin][1];
	if ((lo & VIOAPIC_RTE_MASKED) ||
	    (RTE_MODE(lo) != RTE_MODE_FIXED && RTE_MODE(lo) != RTE_MODE_LOWEST) ||
	    RTE_VECTOR(lo) < VECTOR_MIN)
		return -1;
	t = vioapic_rte_target(e->part, lo, hi);
	if (t >= 0)
		*vector = (uint8_t)RTE_VECTOR(lo);
	return t;
}

void vioapic_reset(struct vioapic_state *s, const struct vioapic_env *e,
		   uint8_t mask_hw[VIOAPIC_PINS / 8])
{
	uint32_t pins = env_pins(e);

	memset(mask_hw, 0, VIOAPIC_PINS / 8);
	s->sel = 0;
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++) {
		bool virt = e->virt_pin >= 0 && pin == (uint32_t)e->virt_pin;

		if (s->rte[pin][0] != VIOAPIC_RTE_MASKED && !virt && pin < pins &&
		    env_owned(e, pin))
			mask_hw[pin / 8] |= (uint8_t)(1u << (pin % 8));
		s->rte[pin][0] = VIOAPIC_RTE_MASKED;
		s->rte[pin][1] = 0;
	}
}
