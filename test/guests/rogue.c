// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small partition guest for system tests: says hello through the console
 * hypercall, then breaks the rule named on its command line
 * ("rogue=npf|mmio|msr|io|ipi|xipi|nmi|init|lvt|xlvt|triple|vmrun|bench|flood|halt|none") so the tests can
 * check that the hypervisor stops it, and only it. With "none" (or after a
 * rule that the hypervisor lets pass) it sends heartbeats forever.
 * "rogue=scrub" breaks no rule: it checks that its RAM reads as zero outside
 * its image and the reserved area (core/scrub.h), touching the last 2 MiB
 * block first, before the boot CPU can have scrubbed it.
 */
#include <stdint.h>

#include <bulkhead/guest.h>
#include <bulkhead/hypercall.h>

static int amd;

static int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t ret;

	if (amd)
		__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "memory");
	return ret;
}

static unsigned slen(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

static void puts_hc(const char *s)
{
	hypercall(BH_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)s, slen(s));
}

static int starts(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static const char *option(const char *cmdline, const char *key)
{
	for (const char *s = cmdline; *s; s++)
		if ((s == cmdline || s[-1] == ' ') && starts(s, key))
			return s + slen(key);
	return "";
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void put_u64(uint64_t v)
{
	char buf[24];
	int i = 23;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_hc(buf + i);
}

/*
 * rogue=bench: TSC cycles per round trip of an intercepted CPUID, and of the
 * cheapest hypercall (VMMCALL/VMCALL BH_HC_VERSION), with the same loop
 * around a non-exiting instruction subtracted. Under QEMU -icount shift=0
 * one TSC cycle is one instruction, but of the whole machine: another CPU
 * that runs in between counts too. So each figure is the minimum over
 * BENCH_ROUNDS short batches, where a batch without interleaving is the
 * common case. The trapped port write is a NUL byte to the debug console
 * port 0xE9 (emulated for partitions with a virtual console; NUL is dropped).
 */
#define BENCH_ROUNDS 200
#define BENCH_BATCH  16

enum { B_CPUID, B_HC, B_PORT, B_NOP, B_KINDS };

static uint64_t bench_batch(int kind)
{
	uint64_t t0, t1;
	uint32_t a, b, c, d;

	t0 = rdtsc();
	for (int i = 0; i < BENCH_BATCH; i++) {
		if (kind == B_CPUID)
			__asm__ volatile("cpuid"
					 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
					 : "a"(0), "c"(0));
		else if (kind == B_HC)
			(void)hypercall(BH_HC_VERSION, 0, 0);
		else if (kind == B_PORT)
			__asm__ volatile("outb %%al, $0xe9" ::"a"(0));
		else
			__asm__ volatile("xchg %%ax, %%ax"
					 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
					 : "a"(0), "c"(0));
	}
	t1 = rdtsc();
	return t1 - t0;
}

static void bench_line(const char *what, uint64_t batch, uint64_t nop)
{
	puts_hc("guest: bench ");
	puts_hc(what);
	puts_hc(" round trip ");
	put_u64((batch - nop) / BENCH_BATCH);
	puts_hc(" cycles (loop overhead ");
	put_u64(nop / BENCH_BATCH);
	puts_hc(", min of ");
	put_u64(BENCH_ROUNDS);
	puts_hc(" batches of ");
	put_u64(BENCH_BATCH);
	puts_hc(")\n");
}

/*
 * Whether an exit keeps the registers its handler does not own: RBX (not
 * for CPUID), RBP and R12-R15 are loaded with patterns, the exiting
 * instruction runs, and they are read back. The hypervisor's fast exit
 * path leaves some of them in the CPU instead of saving them.
 */
#define REGS_PROBE(insn, out)                                    \
	__asm__ volatile("push %%rbp\n\t"                        \
			 "push %[o]\n\t"                         \
			 "movabs $0x1111111111111111, %%rbx\n\t" \
			 "movabs $0x5555555555555555, %%rbp\n\t" \
			 "movabs $0xcccccccccccccccc, %%r12\n\t" \
			 "movabs $0xdddddddddddddddd, %%r13\n\t" \
			 "movabs $0xeeeeeeeeeeeeeeee, %%r14\n\t" \
			 "movabs $0xffffffffffffffff, %%r15\n\t" \
			 "xor %%eax, %%eax\n\t"                  \
			 "xor %%ecx, %%ecx\n\t" insn "\n\t"      \
			 "pop %%rax\n\t"                         \
			 "mov %%rbx, 0(%%rax)\n\t"               \
			 "mov %%rbp, 8(%%rax)\n\t"               \
			 "mov %%r12, 16(%%rax)\n\t"              \
			 "mov %%r13, 24(%%rax)\n\t"              \
			 "mov %%r14, 32(%%rax)\n\t"              \
			 "mov %%r15, 40(%%rax)\n\t"              \
			 "pop %%rbp"                             \
			 :                                       \
			 : [o] "r"(out)                          \
			 : "rax", "rbx", "rcx", "rdx", "r12", "r13", "r14", "r15", "memory")

static int regs_kept(const char *what, const uint64_t out[6], int rbx)
{
	static const uint64_t want[6] = { 0x1111111111111111ULL, 0x5555555555555555ULL,
					  0xccccccccccccccccULL, 0xddddddddddddddddULL,
					  0xeeeeeeeeeeeeeeeeULL, 0xffffffffffffffffULL };

	for (int i = rbx ? 0 : 1; i < 6; i++) {
		if (out[i] != want[i]) {
			puts_hc("guest: REGISTERS CHANGED by a ");
			puts_hc(what);
			puts_hc(" exit\n");
			return 0;
		}
	}
	return 1;
}

static void regs_check(void)
{
	uint64_t out[6];
	int ok = 1;

	REGS_PROBE("cpuid", out);
	ok &= regs_kept("cpuid", out, 0);
	REGS_PROBE("outb %%al, $0xe9", out);
	ok &= regs_kept("port write", out, 1);
	if (amd)
		REGS_PROBE("vmmcall", out);
	else
		REGS_PROBE("vmcall", out);
	ok &= regs_kept("hypercall", out, 1);
	REGS_PROBE("mov $0x10, %%ecx\n\trdmsr", out); /* TSC: read passes, no exit; the control */
	ok &= regs_kept("rdmsr", out, 1);
	if (ok)
		puts_hc("guest: registers kept across cpuid, port and hypercall exits\n");
}

static void bench(void)
{
	uint64_t min[B_KINDS];

	for (int k = 0; k < B_KINDS; k++)
		min[k] = ~0ULL;
	for (int r = 0; r < BENCH_ROUNDS; r++)
		for (int k = 0; k < B_KINDS; k++) {
			uint64_t t = bench_batch(k);

			if (t < min[k])
				min[k] = t;
		}
	regs_check();
	bench_line("hypercall", min[B_HC], min[B_NOP]);
	bench_line("port write", min[B_PORT], min[B_NOP]);
	bench_line("cpuid", min[B_CPUID], min[B_NOP]);
}

extern char image_end[];

static void put_hex(uint64_t v)
{
	char buf[19];

	buf[0] = '0';
	buf[1] = 'x';
	for (int i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = '\0';
	puts_hc(buf);
}

/* The first RAM region of the boot information (the lowest: this guest's image is in it). */
static const struct bh_guest_mem *first_ram(const struct bh_guest_info *info)
{
	for (uint32_t i = 0; i < info->mem_count && i < BH_GUEST_MEM_MAX; i++)
		if (info->mem[i].type == BH_GUEST_MEM_RAM)
			return &info->mem[i];
	return 0;
}

/* Reads [from, to) 8 bytes at a time; returns the first address that is not zero, or 0. */
static uint64_t first_nonzero(uint64_t from, uint64_t to)
{
	for (uint64_t a = from; a < to; a += 8)
		if (*(volatile uint64_t *)(uintptr_t)a)
			return a;
	return 0;
}

static void scrub_check(const struct bh_guest_info *info, uint64_t last)
{
	const struct bh_guest_mem *m = first_ram(info);
	uint64_t img = ((uint64_t)(uintptr_t)image_end + 4095) & ~4095ull, end, bad;

	if (!m || last) {
		puts_hc("guest: SCRUB FAILED: ");
		puts_hc(m ? "the last word of RAM was not zero\n" : "no RAM region\n");
		return;
	}
	end = m->gpa + m->size;
	bad = first_nonzero(m->gpa + BH_GUEST_RESERVED_BYTES, 0x100000);
	if (!bad)
		bad = first_nonzero(img, end);
	if (bad) {
		puts_hc("guest: SCRUB FAILED: RAM not zero at ");
		put_hex(bad);
		puts_hc("\n");
		return;
	}
	puts_hc("guest: scrub: RAM outside the image reads zero, ");
	put_u64((end - img + 0x100000 - m->gpa - BH_GUEST_RESERVED_BYTES) >> 10);
	puts_hc(" KiB checked\n");
}

void guest_main(const struct bh_guest_info *info);

void guest_main(const struct bh_guest_info *info)
{
	uint32_t a, b, c, d;
	const char *rogue;
	uint64_t beat = 0, last = 0;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	amd = b == 0x68747541; /* "Auth"enticAMD */
	if (info->magic != BH_GUEST_MAGIC)
		for (;;)
			__asm__ volatile("cli; hlt");
	if (starts(option(info->cmdline, "rogue="), "scrub") && first_ram(info)) {
		const struct bh_guest_mem *m = first_ram(info);

		last = *(volatile uint64_t *)(uintptr_t)(m->gpa + m->size - 8);
	}
	puts_hc("guest: hello from ");
	puts_hc(info->name);
	puts_hc("\n");
	rogue = option(info->cmdline, "rogue=");
	if (starts(rogue, "npf")) {
		puts_hc("guest: reading memory outside my partition\n");
		(void)*(volatile uint64_t *)(uintptr_t)0x30000000;
	} else if (starts(rogue, "mmio")) {
		puts_hc("guest: writing the IOAPIC\n");
		*(volatile uint32_t *)(uintptr_t)0xfec00000 = 0;
	} else if (starts(rogue, "msr")) {
		puts_hc("guest: writing a forbidden MSR\n");
		__asm__ volatile("wrmsr" ::"c"(0x1d9), "a"(1), "d"(0)); /* DEBUGCTL */
	} else if (starts(rogue, "io")) {
		puts_hc("guest: writing a forbidden port\n");
		__asm__ volatile("outb %%al, $0x80" ::"a"(0));
	} else if (starts(rogue, "ipi")) {
		puts_hc("guest: sending an IPI to APIC ID 0\n");
		__asm__ volatile("wrmsr" ::"c"(0x830), "a"(0x4030), "d"(0));
	} else if (starts(rogue, "xipi")) {
		/* the xAPIC page: ICR high (destination APIC ID 0), then ICR low */
		puts_hc("guest: sending an IPI to APIC ID 0 through the xAPIC page\n");
		*(volatile uint32_t *)(uintptr_t)0xfee00310 = 0;
		*(volatile uint32_t *)(uintptr_t)0xfee00300 = 0x4030;
	} else if (starts(rogue, "nmi")) {
		puts_hc("guest: sending an NMI to APIC ID 0\n");
		__asm__ volatile("wrmsr" ::"c"(0x830), "a"(0x4400), "d"(0));
	} else if (starts(rogue, "init")) {
		puts_hc("guest: sending INIT to APIC ID 0\n");
		__asm__ volatile("wrmsr" ::"c"(0x830), "a"(0x4500), "d"(0));
	} else if (starts(rogue, "xlvt")) {
		puts_hc("guest: programming an SMI into LINT0 through the xAPIC page\n");
		*(volatile uint32_t *)(uintptr_t)0xfee00350 = 0x200;
	} else if (starts(rogue, "lvt")) {
		puts_hc("guest: programming an SMI into LINT0 (x2APIC)\n");
		__asm__ volatile("wrmsr" ::"c"(0x835), "a"(0x200), "d"(0));
	} else if (starts(rogue, "triple")) {
		static const struct {
			uint16_t limit;
			uint64_t base;
		} __attribute__((packed)) no_idt = { 0, 0 };

		puts_hc("guest: triple fault\n");
		__asm__ volatile("lidt %0; int3" ::"m"(no_idt));
	} else if (starts(rogue, "vmrun")) {
		/* the vendor's own: VMRUN is #UD on Intel, VMXON on AMD */
		static uint64_t region __attribute__((aligned(4096)));

		if (amd) {
			puts_hc("guest: executing VMRUN\n");
			__asm__ volatile("vmrun %%rax" ::"a"(0));
		} else {
			puts_hc("guest: executing VMXON\n");
			__asm__ volatile("vmxon %0" ::"m"(region) : "cc", "memory");
		}
	} else if (starts(rogue, "bench")) {
		bench();
	} else if (starts(rogue, "scrub")) {
		scrub_check(info, last);
	} else if (starts(rogue, "flood")) {
		/* as many console lines as the CPU can make: only this partition loses lines */
		puts_hc("guest: flooding the console\n");
		for (uint64_t n = 0;; n++) {
			puts_hc("guest: flood line ");
			put_u64(n);
			puts_hc(" ..................................................\n");
		}
	} else if (starts(rogue, "halt")) {
		puts_hc("guest: halting for good\n");
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	puts_hc("guest: still running\n");
	for (;;) {
		hypercall(BH_HC_HEARTBEAT, ++beat, 0);
		for (volatile uint64_t i = 0; i < 50000000; i++)
			;
	}
}
