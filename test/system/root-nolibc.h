/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the Linux root's small test programs (root-strio.c, root-port.c)
 * share: raw x86_64 Linux system calls and console output, without a C
 * library (tools/fetch-linux builds them -static -nostdlib), and the entry
 * point: _start calls int main(long argc, char **argv) and exits with its
 * value.
 */
#ifndef ROOT_NOLIBC_H
#define ROOT_NOLIBC_H

#define SYS_write     1
#define SYS_nanosleep 35
#define SYS_exit      60
#define SYS_iopl      172

typedef unsigned long size_t;

static inline long sys2(long n, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

static inline long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static inline size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* a string to standard output (the kernel's console under the test's /init) */
static inline void say(const char *s)
{
	sys3(SYS_write, 1, (long)s, (long)slen(s));
}

int main(long argc, char **argv);

/* argc at (%rsp), argv after it */
__asm__(".globl _start\n"
	"_start:\n\t"
	"xorl %ebp, %ebp\n\t"
	"movq (%rsp), %rdi\n\t"
	"leaq 8(%rsp), %rsi\n\t"
	"andq $-16, %rsp\n\t"
	"call main\n\t"
	"movl %eax, %edi\n\t"
	"movl $60, %eax\n\t"
	"syscall\n\t"
	"hlt\n");

#endif
