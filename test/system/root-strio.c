// SPDX-License-Identifier: GPL-2.0-only
/*
 * bh-strio: string I/O by a Linux root to its emulated COM1 (system test
 * root-linux-string-io; tools/fetch-linux builds it into the initramfs with
 * the host's gcc, -static -nostdlib, and /init runs it for bh_strio).
 *
 * With iopl(3) it writes one marker line straight to the UART's transmit
 * register (port 0x3f8) with string instructions:
 *   "ROOT-STRIO: rep " (16 bytes, rep outsb),
 *   "outsb across a page: 0123...XYZ" (longer, rep outsb from a buffer that
 *   crosses a 4 KiB page boundary),
 *   " rep-outsw 0123456789abcdef" (rep outsw: one word per character, see
 *   below), " end\n" (rep outsb),
 * then reads the line status register (0x3fd) eight times with rep insb into
 * a buffer that crosses a page boundary and prints the bytes, and prints
 * "ROOT-STRIO: done" through the kernel's console. Every buffer is written
 * before the string instruction runs, so its pages are present and writable.
 *
 * A 16-bit OUT to 0x3f8 reaches an 8-bit 16550 as two byte cycles, 0x3f8 (the
 * character) and 0x3f9 (IER); each word carries the IER value read just
 * before, so IER keeps its value whether the access is split as on the bus
 * or taken as a byte write of the transmit register.
 */
#define COM1	 0x3f8
#define COM1_IER (COM1 + 1)
#define COM1_LSR (COM1 + 5)
#define LSR_TEMT 0x40

#include "root-nolibc.h"

#define PAGE 4096

static unsigned char inb(unsigned short port)
{
	unsigned char v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void rep_outsb(unsigned short port, const void *p, size_t n)
{
	__asm__ volatile("cld; rep outsb" : "+S"(p), "+c"(n) : "d"(port) : "memory");
}

static void rep_outsw(unsigned short port, const void *p, size_t n)
{
	__asm__ volatile("cld; rep outsw" : "+S"(p), "+c"(n) : "d"(port) : "memory");
}

static void rep_insb(unsigned short port, void *p, size_t n)
{
	__asm__ volatile("cld; rep insb" : "+D"(p), "+c"(n) : "d"(port) : "memory");
}

/* copies s to dst (no library: -nostdlib), returns its length */
static size_t put(unsigned char *dst, const char *s)
{
	size_t n = slen(s);

	for (size_t i = 0; i < n; i++)
		((volatile unsigned char *)dst)[i] = (unsigned char)s[i];
	return n;
}

static unsigned char pages[3 * PAGE] __attribute__((aligned(PAGE)));
static unsigned short words[64];

int main(long argc, char **argv)
{
	static const char hex[] = "0123456789abcdef";
	struct {
		long s, ns;
	} pause = { 0, 200000000 };
	unsigned char *cross = pages + PAGE; /* a page boundary */

	(void)argc;
	(void)argv;
	unsigned char *p16 = pages + 64, *plong = cross - 24, *pend = pages + 2 * PAGE + 64;
	const char *wtext = " rep-outsw 0123456789abcdef";
	char line[80];
	size_t n16, nlong, nend, nw, i;
	unsigned char ier, *in = cross + PAGE - 3;

	if (sys2(SYS_iopl, 3, 0) != 0) {
		say("ROOT-STRIO: iopl(3) failed\n");
		return 1;
	}
	n16 = put(p16, "ROOT-STRIO: rep ");
	nlong = put(plong, "outsb across a page: 0123456789abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	nend = put(pend, " end\n");
	for (i = 0; i < 8; i++)
		((volatile unsigned char *)in)[i] = 0xee;
	/* let the kernel's console output drain, then wait for an empty transmitter */
	sys2(SYS_nanosleep, (long)&pause, 0);
	while (!(inb(COM1_LSR) & LSR_TEMT))
		;
	ier = inb(COM1_IER);
	nw = slen(wtext);
	for (i = 0; i < nw; i++)
		words[i] = (unsigned short)((unsigned char)wtext[i] | ier << 8);

	rep_outsb(COM1, p16, n16);
	rep_outsb(COM1, plong, nlong);
	rep_outsw(COM1, words, nw);
	rep_outsb(COM1, pend, nend);
	rep_insb(COM1_LSR, in, 8);

	i = put((unsigned char *)line, "ROOT-STRIO: rep insb 0x3fd x8:");
	for (size_t k = 0; k < 8; k++) {
		line[i++] = ' ';
		line[i++] = hex[in[k] >> 4];
		line[i++] = hex[in[k] & 15];
	}
	line[i++] = '\n';
	line[i] = 0;
	say(line);
	say("ROOT-STRIO: done\n");
	return 0;
}
