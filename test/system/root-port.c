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
#define SYS_write 1
#define SYS_exit  60
#define SYS_iopl  172

typedef unsigned long size_t;

static long sys2(long n, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys3(SYS_write, 1, (long)s, (long)slen(s));
}

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

long start(long argc, char **argv);

long start(long argc, char **argv)
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

/* argc at (%rsp), argv after it */
__asm__(".globl _start\n"
	"_start:\n\t"
	"xorl %ebp, %ebp\n\t"
	"movq (%rsp), %rdi\n\t"
	"leaq 8(%rsp), %rsi\n\t"
	"andq $-16, %rsp\n\t"
	"call start\n\t"
	"movl %eax, %edi\n\t"
	"movl $60, %eax\n\t"
	"syscall\n\t"
	"hlt\n");
