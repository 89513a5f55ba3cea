// SPDX-License-Identifier: GPL-2.0-only
/*
 * bh-port: one 2- or 4-byte port write by a Linux root, for the rogue-root
 * reset tests (root-linux-rogue-reset; tools/fetch-linux builds it into the
 * initramfs with the host's gcc, -static -nostdlib, as bh-strio).
 * /dev/port writes byte by byte, so an access that straddles two registers
 * needs its own instruction:
 *   bh-port w PORT VALUE   outw VALUE to PORT  (e.g. w 0x63 0xfe00: 0xfe reaches 0x64)
 *   bh-port l PORT VALUE   outl VALUE to PORT  (e.g. l 0x602 0x20000000: SLP_EN at 0x605)
 * PORT and VALUE are hexadecimal with 0x. Prints "ROOT-PORT: ..." before the
 * access and after it (the second line only if the root is still running).
 */
#include "root-nolibc.h"

/* "0x..." to a number; -1 when it is not one */
static long hex(const char *s)
{
	long v = 0;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return -1;
	for (s += 2; *s; s++) {
		int d = *s >= '0' && *s <= '9'	 ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
						 : -1;

		if (d < 0 || v > 0xfffffff)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

int main(long argc, char **argv)
{
	long port, val;

	if (argc != 4 || (argv[1][0] != 'w' && argv[1][0] != 'l') || argv[1][1]) {
		say("ROOT-PORT: usage: bh-port w|l 0xPORT 0xVALUE\n");
		return 2;
	}
	port = hex(argv[2]);
	val = hex(argv[3]);
	if (port < 0 || port > 0xffff || val < 0) {
		say("ROOT-PORT: bad port or value\n");
		return 2;
	}
	if (sys2(SYS_iopl, 3, 0) != 0) {
		say("ROOT-PORT: iopl(3) failed\n");
		return 1;
	}
	say(argv[1][0] == 'w' ? "ROOT-PORT: outw " : "ROOT-PORT: outl ");
	say(argv[3]);
	say(" to ");
	say(argv[2]);
	say("\n");
	if (argv[1][0] == 'w')
		__asm__ volatile("outw %w0, %w1" : : "a"(val), "Nd"(port));
	else
		__asm__ volatile("outl %k0, %w1" : : "a"(val), "Nd"(port));
	say("ROOT-PORT: returned from the access\n");
	return 0;
}
