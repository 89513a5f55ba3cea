/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decisions behind the Linux root's emulated devices (docs/linux-root.md,
 * "Running the root"): a 16550A UART model and the root's view of an
 * IOAPIC's redirection table. Pure: no hardware, no locks; the hypervisor
 * glue (root_emul.c) performs what these functions return, and unit tests
 * and the fuzzer drive them directly.
 */
#ifndef ARCH_VDEV_H
#define ARCH_VDEV_H

#include "vcpu/vipi.h"
#include "core/partition.h"
#include "core/types.h"

/* ---- 16550A UART (PC16550D data sheet) ---- */

#define VUART_REGS 8

struct vuart {
	uint8_t reg[VUART_REGS]; /* IER, LCR, MCR, SCR as written; others unused */
	uint8_t dll, dlm;	 /* divisor latch */
	uint8_t fcr;		 /* last FIFO control write */
	bool thre;		 /* the transmitter-empty interrupt is pending */
};

void vuart_reset(struct vuart *u);
/* Whether the UART drives its interrupt line (THRE pending, enabled, OUT2 gate open). */
bool vuart_line(const struct vuart *u);
/* A read of register reg (0-7 from the base port; higher bits ignored). */
uint8_t vuart_read(struct vuart *u, unsigned reg);
/*
 * A write of val to register reg. *out_char is the byte to print, or -1.
 * Returns true when the interrupt line rose (the caller raises the interrupt).
 */
bool vuart_write(struct vuart *u, unsigned reg, uint8_t val, int *out_char);

/* ---- IOAPIC redirection table (82093AA data sheet) ---- */

#define VIOAPIC_PINS	   240 /* room for any 8-bit index: 0x10 + 2 * pins */
#define VIOAPIC_SPAN	   0x1000
#define VIOAPIC_REGSEL	   0x00
#define VIOAPIC_WIN	   0x10
#define VIOAPIC_EOI	   0x40
#define VIOAPIC_VER	   0x01 /* version register: max redirection entry in bits 23:16 */
#define VIOAPIC_REDTBL	   0x10
#define VIOAPIC_RTE_MASKED (1u << 16)
#define VIOAPIC_WARN_LEN   128

/* The root's view of one IOAPIC: its index register and its own entries. */
struct vioapic_state {
	uint32_t sel;
	uint32_t rte[VIOAPIC_PINS][2];
	uint8_t warned[VIOAPIC_PINS / 8]; /* a foreign pin's dropped write was reported */
};

/* What an IOAPIC access is checked against. */
struct vioapic_env {
	const struct vdev_part *part;
	/* Whether the root owns pin; NULL: every pin (a table without IRQCHIPS). */
	bool (*owned)(const void *ctx, uint32_t pin);
	/* Reads a hardware IOAPIC register (index reg); needed for reads only. */
	uint32_t (*hw_read)(const void *ctx, uint32_t reg);
	const void *ctx;
	uint32_t pins;	  /* redirection entries the hardware has (1..VIOAPIC_PINS) */
	int32_t virt_pin; /* the emulated COM1's pin on this IOAPIC, or -1 */
};

#define VIOAPIC_HW_WRITES_MAX 3

/* What the glue does for one access, in this order. */
struct vioapic_result {
	uint32_t val; /* the value a read returns */
	unsigned n_writes;
	struct {
		uint32_t reg, val;
	} hw[VIOAPIC_HW_WRITES_MAX]; /* hardware register writes (index, value) */
	bool eoi;		     /* forward val to the hardware's EOI register */
	bool virt_unmasked;	     /* the virtual pin's low half was written unmasked */
	char warn[VIOAPIC_WARN_LEN]; /* a line to report ("" if none), starting "pin N" */
};

void vioapic_state_init(struct vioapic_state *s);
/* An access at offset off (of size bytes) of the IOAPIC's page; never fails. */
void vioapic_access(struct vioapic_state *s, const struct vioapic_env *e, uint64_t off,
		    unsigned size, bool write, uint32_t val, struct vioapic_result *r);
/*
 * The vCPU index a redirection entry (xAPIC format) sends to, or -1. First
 * present match; a logical destination by each vCPU's LDR/DFR.
 */
int vioapic_rte_target(const struct vdev_part *p, uint32_t lo, uint32_t hi);
/*
 * The hardware value of one of the root's entries: destination resolved to
 * one of its CPUs in physical mode; masked, with *bad set, when it names
 * none or asks for a delivery mode other than fixed, lowest priority or NMI.
 */
void vioapic_rte_to_hw(const struct vdev_part *p, const uint32_t rte[2], uint32_t hw[2],
		       const char **bad);
/*
 * Where the virtual pin's interrupt goes now: the target vCPU index (and
 * *vector), or -1 when it is masked, not fixed/lowest, a vector below 32, or
 * names none of the partition's CPUs.
 */
int vioapic_virt_target(const struct vioapic_state *s, const struct vioapic_env *e,
			uint8_t *vector);
/*
 * Back to reset: every entry masked, index 0. Sets in mask_hw the pins whose
 * hardware entry the glue must mask (the root's own pins it had changed).
 */
void vioapic_reset(struct vioapic_state *s, const struct vioapic_env *e,
		   uint8_t mask_hw[VIOAPIC_PINS / 8]);

#endif
