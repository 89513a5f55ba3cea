// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the emulated 16550A of the Linux root (arch/x86_64/vdev.c). */
#include "../check.h"
#include "root/vdev.h"

enum { THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

#define OUT2 0x08
#define LOOP 0x10
#define DLAB 0x80

/* A write that must not print anything; returns whether the line rose. */
static bool wr(struct vuart *u, unsigned reg, uint8_t val)
{
	int out;
	bool rose = vuart_write(u, reg, val, &out);

	CHECK_EQ(out, -1);
	return rose;
}

static void test_reset_values(void)
{
	struct vuart u;

	vuart_reset(&u);
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	CHECK_EQ(vuart_read(&u, LSR), 0x60);
	CHECK_EQ(vuart_read(&u, MSR), 0xb0);
	CHECK_EQ(vuart_read(&u, THR), 0);
	CHECK(!vuart_line(&u));
	/* the scratch register keeps what was written: Linux's probe */
	CHECK(!wr(&u, SCR, 0xa5));
	CHECK_EQ(vuart_read(&u, SCR), 0xa5);
	/* LSR and MSR are not writable */
	CHECK(!wr(&u, LSR, 0x00));
	CHECK(!wr(&u, MSR, 0x00));
	CHECK_EQ(vuart_read(&u, LSR), 0x60);
	CHECK_EQ(vuart_read(&u, MSR), 0xb0);
	/* only the low three bits of the register number count */
	CHECK_EQ(vuart_read(&u, 8 + SCR), 0xa5);
	/* IER keeps its four enables only */
	CHECK(!wr(&u, IER, 0xf0));
	CHECK_EQ(vuart_read(&u, IER), 0);
}

/* drivers/tty/serial/8250/8250_port.c, serial8250_do_startup(): the THRE test */
static void test_linux_thre_probe(void)
{
	struct vuart u;

	vuart_reset(&u);
	CHECK(!wr(&u, MCR, OUT2)); /* no line yet: IER off */
	CHECK(wr(&u, IER, 0x02));  /* THRI on: the empty holding register raises it */
	CHECK(vuart_line(&u));
	CHECK_EQ(vuart_read(&u, IIR), 0x02); /* iir1: THRI reported (and acknowledged) */
	CHECK(!vuart_line(&u));
	CHECK(!wr(&u, IER, 0x00));
	CHECK(wr(&u, IER, 0x02)); /* off and on again: THRI again */
	CHECK_EQ(vuart_read(&u, IIR), 0x02);
	CHECK_EQ(vuart_read(&u, IIR), 0x01); /* acknowledged: nothing pending */
	/* enabling THRI while already enabled is no new edge */
	CHECK(!wr(&u, IER, 0x03));
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
}

static void test_tx_loop(void)
{
	struct vuart u;
	int out;

	vuart_reset(&u);
	wr(&u, MCR, OUT2 | 0x03);
	CHECK(wr(&u, IER, 0x02));
	CHECK_EQ(vuart_read(&u, IIR), 0x02);
	for (const char *s = "hi\n"; *s; s++) {
		CHECK(vuart_write(&u, THR, (uint8_t)*s, &out)); /* each byte: a new edge */
		CHECK_EQ(out, *s);
		CHECK_EQ(vuart_read(&u, LSR), 0x60);
		CHECK_EQ(vuart_read(&u, IIR), 0x02);
	}
	/* a write while THRE is still pending (not acknowledged): the line rises anew */
	CHECK(vuart_write(&u, THR, 'a', &out));
	CHECK(vuart_write(&u, THR, 'b', &out));
	CHECK_EQ(out, 'b');
	/* with THRI off, characters still go out but no interrupt */
	vuart_read(&u, IIR);
	wr(&u, IER, 0x00);
	CHECK(!vuart_write(&u, THR, 'c', &out));
	CHECK_EQ(out, 'c');
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	/* the byte value 0xff is a character, not "none" */
	vuart_write(&u, THR, 0xff, &out);
	CHECK_EQ(out, 0xff);
}

static void test_out2_gate(void)
{
	struct vuart u;
	int out;

	vuart_reset(&u);
	CHECK(!wr(&u, IER, 0x02)); /* THRE pending, but OUT2 closes the gate */
	CHECK(!vuart_line(&u));
	CHECK(!vuart_write(&u, THR, 'x', &out));
	CHECK(wr(&u, MCR, OUT2)); /* opening the gate with THRE pending: an edge */
	CHECK(vuart_line(&u));
	CHECK(!wr(&u, MCR, OUT2 | 0x01)); /* already up: no new edge */
	CHECK(!wr(&u, MCR, 0x00));
	CHECK(!vuart_line(&u));
	/* IIR still reports THRE without OUT2: the gate is outside the UART */
	CHECK_EQ(vuart_read(&u, IIR), 0x02);
}

static void test_loopback(void)
{
	struct vuart u;
	int out;

	vuart_reset(&u);
	wr(&u, IER, 0x02);
	CHECK(!wr(&u, MCR, LOOP | OUT2)); /* loopback cuts the interrupt output */
	CHECK(!vuart_line(&u));
	CHECK(!vuart_write(&u, THR, 'z', &out));
	CHECK_EQ(out, -1); /* nothing leaves the chip */
	/* MSR mirrors the modem control outputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD */
	wr(&u, MCR, LOOP);
	CHECK_EQ(vuart_read(&u, MSR), 0x00);
	wr(&u, MCR, LOOP | 0x02);
	CHECK_EQ(vuart_read(&u, MSR), 0x10);
	wr(&u, MCR, LOOP | 0x01);
	CHECK_EQ(vuart_read(&u, MSR), 0x20);
	wr(&u, MCR, LOOP | 0x04);
	CHECK_EQ(vuart_read(&u, MSR), 0x40);
	wr(&u, MCR, LOOP | 0x08);
	CHECK_EQ(vuart_read(&u, MSR), 0x80);
	wr(&u, MCR, LOOP | 0x0f);
	CHECK_EQ(vuart_read(&u, MSR), 0xf0);
	/* leaving loopback with OUT2 set and THRE pending raises the line */
	CHECK(wr(&u, MCR, OUT2));
	CHECK_EQ(vuart_read(&u, MSR), 0xb0);
}

static void test_dlab_and_fifo(void)
{
	struct vuart u;
	int out;

	vuart_reset(&u);
	wr(&u, IER, 0x02);
	wr(&u, LCR, DLAB | 0x03);
	CHECK(!vuart_write(&u, THR, 0x01, &out)); /* DLL, not a character */
	CHECK_EQ(out, -1);
	CHECK(!wr(&u, IER, 0x00)); /* DLM, not IER */
	CHECK_EQ(vuart_read(&u, THR), 0x01);
	CHECK_EQ(vuart_read(&u, IER), 0x00);
	wr(&u, IER, 0x7f);
	CHECK_EQ(vuart_read(&u, IER), 0x7f);
	CHECK_EQ(vuart_read(&u, LCR), DLAB | 0x03);
	wr(&u, LCR, 0x03);
	CHECK_EQ(vuart_read(&u, IER), 0x02); /* IER untouched by the divisor writes */
	CHECK_EQ(vuart_read(&u, THR), 0);
	/* FIFOs on: IIR bits 7:6 set (a 16550A to Linux), also with an interrupt pending */
	wr(&u, IIR, 0x07);
	CHECK_EQ(vuart_read(&u, IIR), 0xc2);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	wr(&u, IIR, 0x00);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	/* divisor latch survives DLAB off/on */
	wr(&u, LCR, DLAB);
	CHECK_EQ(vuart_read(&u, THR), 0x01);
	CHECK_EQ(vuart_read(&u, IER), 0x7f);
	vuart_reset(&u);
	CHECK_EQ(vuart_read(&u, LCR), 0);
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
}

int main(void)
{
	test_reset_values();
	test_linux_thre_probe();
	test_tx_loop();
	test_out2_gate();
	test_loopback();
	test_dlab_and_fifo();
	return check_summary();
}
