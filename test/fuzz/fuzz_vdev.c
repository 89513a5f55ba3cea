// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/vdev.c: a random partition (1-4 CPUs,
 * APIC IDs, LDR/DFR, Linux root or not), a random IOAPIC ownership, then a
 * sequence of UART accesses, IOAPIC accesses, ICR writes, LDR/DFR changes
 * and resets. The harness keeps its own copy of the hardware redirection
 * table and abort()s when an IPI targets a CPU outside the partition, a
 * hardware entry is live with a destination outside the partition or a
 * forbidden delivery mode, a foreign or the virtual pin reaches the
 * hardware, a foreign pin's hardware value is read, or an answer is out of
 * its range.
 *
 * Layout: 24 bytes of set-up (see setup()), then operations of a kind byte
 * and a fixed-size payload each.
 */
#include <stdlib.h>
#include <string.h>

#include "root/vdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SETUP_LEN  24
#define MAX_CPUS   4
#define HW_PINS	   24
#define MASKED	   0x10000u
#define LOGICAL	   0x800u
#define MODE(lo)   (((lo) >> 8) & 7)
#define ICR_SH(x)  (((x) >> 18) & 3)
#define ICR_NOPHYS ((1u << 11) | (3u << 18))

static struct vdev_part part;
static struct vioapic_state st;
static struct vioapic_env env;
static struct vuart uart;
static uint32_t owned_mask;
static uint32_t hw[256];
static bool x2apic;

static bool owned(const void *ctx, uint32_t pin)
{
	(void)ctx;
	return pin < 32 && (owned_mask & (1u << pin));
}

static bool hw_pin_allowed(uint32_t pin)
{
	/* 0 or more than the model: every entry the model has (as vdev.c reads it) */
	uint32_t pins = env.pins == 0 || env.pins > VIOAPIC_PINS ? VIOAPIC_PINS : env.pins;

	return pin < pins && (!env.owned || owned(NULL, pin)) &&
	       !(env.virt_pin >= 0 && pin == (uint32_t)env.virt_pin);
}

static uint32_t hw_read(const void *ctx, uint32_t reg)
{
	(void)ctx;
	if (reg > 0xff)
		abort();
	/* a foreign pin's real value must not leak to the root */
	if (reg >= VIOAPIC_REDTBL && !hw_pin_allowed((reg - VIOAPIC_REDTBL) / 2))
		abort();
	return hw[reg];
}

static uint32_t present_mask(void)
{
	uint32_t m = 0;

	for (uint32_t i = 0; i < part.count; i++)
		if (part.cpu[i].present)
			m |= 1u << i;
	return m;
}

static bool is_partition_apic(uint32_t id)
{
	for (uint32_t i = 0; i < part.count; i++)
		if (part.cpu[i].present && part.cpu[i].apic_id == id)
			return true;
	return false;
}

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * 0: CPU count - 1 (2 bits), Linux root (bit 2), x2APIC (bit 3), ownership
 * filtered (bit 4); 1: virtual pin (0xff: none); 2: hardware pins; 3-6:
 * owned pins; 7: unused; 8-23: per CPU present, APIC ID, LDR byte, DFR byte.
 */
static void setup(const uint8_t *p)
{
	memset(&part, 0, sizeof(part));
	memset(hw, 0, sizeof(hw));
	part.count = (p[0] & 3) + 1;
	part.linux_root = p[0] & 4;
	x2apic = p[0] & 8;
	for (uint32_t i = 0; i < part.count; i++) {
		const uint8_t *c = p + 8 + 4 * i;

		part.cpu[i].present = i == 0 || (c[0] & 1);
		/* mostly small IDs, so that destinations hit; sometimes above 255 */
		part.cpu[i].apic_id = (c[0] & 2) ? c[1] + 0xf0u : c[1] & 0xfu;
		part.cpu[i].ldr = (uint32_t)c[2] << 24;
		part.cpu[i].dfr = (c[3] & 1) ? 0xffffffff : 0x0fffffff;
	}
	owned_mask = (uint32_t)get(p + 3, 4);
	env.part = &part;
	env.owned = (p[0] & 0x10) ? owned : NULL;
	env.hw_read = hw_read;
	env.ctx = NULL;
	env.pins = p[2] % 130; /* 0 and values past the model included */
	env.virt_pin = p[1] == 0xff ? -1 : (int32_t)(p[1] % HW_PINS);
	vioapic_state_init(&st);
	vuart_reset(&uart);
}

static void check_ipi(uint32_t self, uint64_t icr)
{
	struct vipi d;
	bool ok = vipi_decide(&part, self, x2apic, icr, &d);
	unsigned mode = MODE((uint32_t)icr);

	if (!ok) {
		if (d.kind != VIPI_REFUSED || !d.why || d.targets)
			abort();
		return;
	}
	if (d.why || self >= part.count)
		abort();
	/* only the partition's present CPUs */
	if (d.targets & ~present_mask())
		abort();
	if (mode == 2 || mode == 3 || mode == 7)
		abort();
	switch (d.kind) {
	case VIPI_PHYS:
		if (mode != 0 && mode != 1)
			abort();
		if (d.low & ICR_NOPHYS)
			abort();
		if (mode == 1 && (icr & LOGICAL) && (d.targets & (d.targets - 1)))
			abort();
		break;
	case VIPI_NMI:
		if (mode != 4)
			abort();
		break;
	case VIPI_INIT:
	case VIPI_INIT_DEASSERT:
	case VIPI_SIPI:
		/* a Linux root's AP, physically named, one, never the sender */
		if (!part.linux_root || ICR_SH(icr) || (icr & LOGICAL))
			abort();
		if ((d.targets & (d.targets - 1)) || (d.targets & (1u << self)))
			abort();
		if (d.kind == VIPI_SIPI ? mode != 6 : mode != 5)
			abort();
		break;
	default:
		abort();
	}
}

static void check_ioapic(uint64_t off, unsigned sz, bool write, uint32_t val)
{
	struct vioapic_result r;

	memset(&r, 0xa5, sizeof(r));
	vioapic_access(&st, &env, off, sz, write, val, &r);
	if (r.n_writes > VIOAPIC_HW_WRITES_MAX || strnlen(r.warn, sizeof(r.warn)) >= sizeof(r.warn))
		abort();
	if (!write && (r.n_writes || r.eoi))
		abort();
	if (r.eoi && (off != VIOAPIC_EOI || sz != 4))
		abort();
	for (unsigned i = 0; i < r.n_writes; i++) {
		uint32_t reg = r.hw[i].reg, pin;

		if (reg < VIOAPIC_REDTBL || reg > 0xff)
			abort();
		pin = (reg - VIOAPIC_REDTBL) / 2;
		if (!hw_pin_allowed(pin))
			abort();
		/* the first write of an entry is its masked low half */
		if (i == 0 && ((reg & 1) || !(r.hw[i].val & MASKED)))
			abort();
		hw[reg] = r.hw[i].val;
		/* every live entry: physical, allowed mode, a partition CPU */
		uint32_t lo = hw[VIOAPIC_REDTBL + pin * 2], hi = hw[VIOAPIC_REDTBL + pin * 2 + 1];

		if (!(lo & MASKED) &&
		    ((lo & LOGICAL) || (MODE(lo) != 0 && MODE(lo) != 1 && MODE(lo) != 4) ||
		     !is_partition_apic(hi >> 24)))
			abort();
	}
}

static void check_virt(void)
{
	uint8_t vec = 0;
	int t = vioapic_virt_target(&st, &env, &vec);

	if (t >= (int)part.count || (t >= 0 && (!part.cpu[t].present || vec < 32)))
		abort();
}

static void check_reset(void)
{
	uint8_t mask[VIOAPIC_PINS / 8];

	vioapic_reset(&st, &env, mask);
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++)
		if ((mask[pin / 8] & (1u << (pin % 8)))) {
			if (!hw_pin_allowed(pin))
				abort();
			hw[VIOAPIC_REDTBL + pin * 2] = MASKED;
		}
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++)
		if (st.rte[pin][0] != MASKED || st.rte[pin][1])
			abort();
	vuart_reset(&uart);
}

static void check_uart(bool write, uint8_t reg, uint8_t val)
{
	int out = -2;

	if (!write) {
		(void)vuart_read(&uart, reg);
		return;
	}
	if (vuart_write(&uart, reg, val, &out) && !vuart_line(&uart))
		abort();
	if (out < -1 || out > 0xff || (out >= 0 && out != val))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;

	if (size < SETUP_LEN)
		return 0;
	setup(p);
	p += SETUP_LEN;
	while (p < end) {
		uint8_t kind = *p++ % 8;
		size_t left = (size_t)(end - p);

		switch (kind) {
		case 0: /* UART access: reg, value, write */
		case 1:
			if (left < 2)
				return 0;
			check_uart(kind == 1, p[0], p[1]);
			p += 2;
			break;
		case 2: /* IOAPIC index write (the common case, to reach the window) */
			if (left < 1)
				return 0;
			check_ioapic(VIOAPIC_REGSEL, 4, true, p[0]);
			p += 1;
			break;
		case 3: /* IOAPIC window access: value (4), write */
			if (left < 5)
				return 0;
			check_ioapic(VIOAPIC_WIN, 4, p[4] & 1, (uint32_t)get(p, 4));
			check_virt();
			p += 5;
			break;
		case 4: /* any IOAPIC access: offset (2), size, write, value (4) */
			if (left < 8)
				return 0;
			check_ioapic(get(p, 2) & 0xfff, p[2] % 9, p[3] & 1,
				     (uint32_t)get(p + 4, 4));
			p += 8;
			break;
		case 5: /* ICR write: sender, value (8) */
			if (left < 9)
				return 0;
			check_ipi(p[0] % (part.count + 1), get(p + 1, 8));
			p += 9;
			break;
		case 6: /* the guest writes its LDR/DFR: CPU, LDR byte, DFR flat */
			if (left < 3)
				return 0;
			part.cpu[p[0] % part.count].ldr = (uint32_t)p[1] << 24;
			part.cpu[p[0] % part.count].dfr = (p[2] & 1) ? 0xffffffff : 0x0fffffff;
			p += 3;
			break;
		default:
			check_reset();
			break;
		}
	}
	return 0;
}
