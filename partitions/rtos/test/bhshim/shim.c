// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Test shim standing in for Bulkhead's partition start: loads the ELF64 it
 * gets as a Multiboot2 module, fills struct bh_guest_info and starts it in
 * 64-bit or 32-bit mode exactly as include/bulkhead/guest.h describes, so
 * the RTOS's Bulkhead entry can be tested without the hypervisor.
 * Options (shim command line): start=64|32 name=NAME port=N (0: hypercall)
 * info=zero (put struct bh_guest_info at address 0, where Bulkhead puts it
 * for a partition whose lowest RAM starts at guest-physical 0).
 */
#include <stdarg.h>
#include <stdint.h>

#include "bulkhead/guest.h"
#include "rtos/fmt.h"
#include "rtos/string.h"
#include "x86/cpu.h"

#define COM1		   0x3f8
#define MB2_TAG_CMDLINE	   1
#define MB2_TAG_MODULE	   3
#define ELF_PT_LOAD	   1
#define ELF_MACHINE_X86_64 62
#define MODULE_MAX	   (2u << 20)
#define LOAD_LIMIT	   0x800000u /* the shim itself starts here */
#define PART_RAM_BYTES	   (256ull << 20)
#define PIT_HZ		   1193182ull
#define PIT_MS		   50
#define PIT_TRIES	   3

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

void shim_main(uint32_t mb2);
_Noreturn void shim_start64(uint64_t entry, uint64_t info);
_Noreturn void shim_start32(uint32_t entry, uint32_t info);

static struct bh_guest_info info __attribute__((aligned(4096)));
static uint8_t module_copy[MODULE_MAX] __attribute__((aligned(4096)));
static char shim_cmdline[256];

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void putc_com1(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	rtos_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (const char *s = line; *s; s++) {
		if (*s == '\n')
			putc_com1('\r');
		putc_com1(*s);
	}
}

_Noreturn static void fail(const char *why)
{
	say("bhshim: ERROR: %s\n", why);
	outb(0xf4, 0x11);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Value of key=... in the shim command line, or NULL. */
static const char *opt(const char *key)
{
	size_t n = strlen(key);

	for (const char *s = shim_cmdline; *s; s++) {
		if ((s == shim_cmdline || s[-1] == ' ') && !memcmp(s, key, n) && s[n] == '=')
			return s + n + 1;
	}
	return NULL;
}

static uint32_t opt_u32(const char *key, uint32_t def)
{
	const char *v = opt(key);
	uint32_t r = 0;

	if (!v)
		return def;
	for (; *v >= '0' && *v <= '9'; v++)
		r = r * 10 + (uint32_t)(*v - '0');
	return r;
}

/* PIT channel 2 against the TSC, best of three: emulator hiccups only lengthen a try. */
static uint64_t measure_tsc_khz(void)
{
	const uint64_t latch = PIT_HZ * PIT_MS / 1000;
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < PIT_TRIES; i++) {
		uint64_t t0, t1;

		outb(0x61, (inb(0x61) & ~0x02) | 0x01);
		outb(0x43, 0xb0);
		outb(0x42, (uint8_t)latch);
		outb(0x42, (uint8_t)(latch >> 8));
		t0 = rdtsc();
		while (!(inb(0x61) & 0x20))
			;
		t1 = rdtsc();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best * PIT_HZ / (latch * 1000);
}

void shim_main(uint32_t mb2)
{
	uint32_t total = *(const uint32_t *)(uintptr_t)mb2, off = 8;
	const uint8_t *mod = NULL;
	uint32_t mod_size = 0;
	const char *mod_cmdline = "";
	const struct elf64_ehdr *eh;
	const char *name, *start;
	uintptr_t where;

	/* Everything needed from GRUB's structures is copied before anything is loaded. */
	while (off + 8 <= total) {
		const uint32_t *tag = (const uint32_t *)(uintptr_t)(mb2 + off);

		if (tag[0] == 0 || tag[1] < 8)
			break;
		if (tag[0] == MB2_TAG_CMDLINE)
			rtos_strlcpy(shim_cmdline, (const char *)&tag[2], sizeof(shim_cmdline));
		if (tag[0] == MB2_TAG_MODULE && !mod) {
			mod = (const uint8_t *)(uintptr_t)tag[2];
			mod_size = tag[3] - tag[2];
			mod_cmdline = (const char *)&tag[4];
		}
		off += (tag[1] + 7) & ~7u;
	}
	if (!mod || mod_size > sizeof(module_copy) || mod_size < sizeof(*eh))
		fail("no RTOS module (or one over 2 MiB)");
	rtos_strlcpy(info.cmdline, mod_cmdline, sizeof(info.cmdline));
	memcpy(module_copy, mod, mod_size);

	eh = (const struct elf64_ehdr *)module_copy;
	if (memcmp(eh->ident, "\177ELF\2\1", 6) || eh->machine != ELF_MACHINE_X86_64 ||
	    eh->phentsize != sizeof(struct elf64_phdr) ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > mod_size)
		fail("module is not an x86_64 ELF64 executable");
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const struct elf64_phdr *)(module_copy + eh->phoff) +
					      i;

		if (ph->type != ELF_PT_LOAD)
			continue;
		if (ph->offset + ph->filesz > mod_size || ph->filesz > ph->memsz ||
		    ph->paddr < BH_GUEST_RESERVED_BYTES || ph->paddr + ph->memsz > LOAD_LIMIT)
			fail("a PT_LOAD segment is outside the module or outside 64 KiB-8 MiB");
		memcpy((void *)(uintptr_t)ph->paddr, module_copy + ph->offset, ph->filesz);
		/* Garbage in .bss: the RTOS must clear its own, not trust the loader. */
		memset((void *)(uintptr_t)(ph->paddr + ph->filesz), 0xa5, ph->memsz - ph->filesz);
	}

	info.magic = BH_GUEST_MAGIC;
	info.version = BH_GUEST_INFO_VERSION;
	info.size = sizeof(info);
	info.partition_id = 1;
	info.cpu_count = 1;
	info.console_port = opt_u32("port", COM1);
	info.tsc_khz = measure_tsc_khz();
	info.hw_ids[0] = cpuid(1, 0).ebx >> 24; /* x86: the hw id is the APIC ID */
	name = opt("name");
	rtos_strlcpy(info.name, name ? name : "rtos", sizeof(info.name));
	for (char *c = info.name; *c; c++) {
		if (*c == ' ') {
			*c = '\0';
			break;
		}
	}
	info.mem_count = 1;
	info.mem[0].gpa = 0;
	info.mem[0].size = PART_RAM_BYTES;
	info.mem[0].type = BH_GUEST_MEM_RAM;

	/*
	 * Bulkhead owns the legacy 8259s and an RTOS partition never sees them;
	 * mask them as it would. (Left alone, QEMU keeps a PIT request raised
	 * through LINT0 and delivers it as vector -1, a #GP, once the guest
	 * masks LINT0 and enables interrupts.)
	 */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);

	start = opt("start");
	where = (uintptr_t)&info;
	if (opt("info") && opt("info")[0] == 'z') {
		/* Hide the constant from the compiler: address 0 is real memory here. */
		where = 0;
		__asm__ volatile("" : "+r"(where));
		memcpy((void *)where, &info, sizeof(info));
	}
	say("bhshim: loaded %u bytes, entry 0x%llx, info at %p (tsc_khz %llu, console_port 0x%x)"
	    ", %s-bit start\n",
	    mod_size, (unsigned long long)eh->entry, (void *)where,
	    (unsigned long long)info.tsc_khz, info.console_port,
	    start && start[0] == '3' ? "32" : "64");
	if (start && start[0] == '3')
		shim_start32((uint32_t)eh->entry, (uint32_t)where);
	shim_start64(eh->entry, where);
}
