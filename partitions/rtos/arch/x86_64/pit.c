// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Native-only legacy timers: TSC calibration against PIT channel 2, and silencing the 8259 PICs. */
#include <stdint.h>

#include "x86/cpu.h"
#include "x86/x86.h"

/* 8254 PIT (Intel 82C54 data sheet) and the gate/output bits of port 0x61. */
#define PIT_HZ		       1193182ull
#define PIT_CH2		       0x42
#define PIT_CMD		       0x43
#define PIT_CMD_CH2_LOHI_MODE0 0xb0
#define PORT_B		       0x61
#define PORT_B_GATE2	       0x01
#define PORT_B_SPEAKER	       0x02
#define PORT_B_OUT2	       0x20
#define CALIBRATE_MS	       50
#define CALIBRATE_TRIES	       3
#define POLLS_MAX	       100000000u
/* Below 1 MHz the measurement went wrong (no PIT: port 0x61 reads back all ones). */
#define TSC_KHZ_MIN 1000

/* 8259A: ICW1-ICW4, then mask everything (8259A data sheet). */
#define PIC1_CMD		  0x20
#define PIC1_DATA		  0x21
#define PIC2_CMD		  0xa0
#define PIC2_DATA		  0xa1
#define ICW1_INIT_ICW4		  0x11
#define ICW3_MASTER_SLAVE_ON_IRQ2 0x04
#define ICW3_SLAVE_ID		  0x02
#define ICW4_8086		  0x01
#define PIC1_VECTOR		  0x20
#define PIC2_VECTOR		  0x28
#define PIC_MASK_ALL		  0xff

uint64_t pit_measure_tsc_khz(void)
{
	const uint64_t latch = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t best = UINT64_MAX, khz;

	for (int t = 0; t < CALIBRATE_TRIES; t++) {
		uint64_t t0, t1;
		unsigned polls = 0;

		outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
		/* Mode 0: OUT2 drops when the count is written and rises when it reaches 0. */
		outb(PIT_CMD, PIT_CMD_CH2_LOHI_MODE0);
		outb(PIT_CH2, (uint8_t)latch);
		outb(PIT_CH2, (uint8_t)(latch >> 8));
		t0 = rdtsc();
		while (!(inb(PORT_B) & PORT_B_OUT2)) {
			if (++polls == POLLS_MAX)
				return 0;
		}
		t1 = rdtsc();
		/* Every delay (an interrupted poll, an emulator hiccup) only lengthens a try. */
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	khz = best * PIT_HZ / (latch * 1000);
	return khz < TSC_KHZ_MIN ? 0 : khz;
}

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, PIC1_VECTOR);
	outb(PIC2_DATA, PIC2_VECTOR);
	outb(PIC1_DATA, ICW3_MASTER_SLAVE_ON_IRQ2);
	outb(PIC2_DATA, ICW3_SLAVE_ID);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
}
