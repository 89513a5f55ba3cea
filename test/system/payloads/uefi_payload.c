// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test payload for the UEFI loader's system test: stands in for the
 * hypervisor, checks the entry state and struct boot_info, prints them on
 * COM1 ("payload: ..." lines) and ends QEMU through isa-debug-exit.
 */
#include <stdarg.h>

#include "core/boot_info.h"
#include "core/lib.h"

/* 16550 UART (PC16550D datasheet): transmit holding register, line status. */
#define COM1_BASE     0x3f8
#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define UART_SPIN_MAX 100000 /* give up on a stuck UART rather than hang */

/* QEMU -device isa-debug-exit,iobase=0xf4,iosize=4: QEMU exits with (value << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_DONE 0x10 /* exit status 33 */

#define RFLAGS_IF  (1ULL << 9)	/* SDM Vol. 1, 3.4.3.2 */
#define CR0_PG	   (1ULL << 31) /* SDM Vol. 3A, 2.5 */
#define MSR_EFER   0xc0000080	/* SDM Vol. 3A, 2.2.1 */
#define EFER_LMA   (1ULL << 10)
#define BELOW_4G   0x100000000ULL
#define PEEK_BYTES 24 /* bytes of each module shown */
#define LINE_MAX   300
#define DATA_PROBE 0x5a17c0deu

void payload_entry(uint64_t boot_info_phys);

static volatile uint32_t data_probe = DATA_PROBE; /* checks the file bytes were copied */
static volatile uint8_t bss_probe[16384];	  /* checks the bss was zeroed */
static bool failed;

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void uart_putc(char c)
{
	unsigned spin = 0;

	while (!(inb(COM1_BASE + UART_LSR) & UART_LSR_THRE) && spin++ < UART_SPIN_MAX)
		;
	outb(COM1_BASE + UART_THR, (uint8_t)c);
}

static void __printf(1, 2) say(const char *fmt, ...)
{
	char line[LINE_MAX];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (i = 0; line[i]; i++) {
		if (line[i] == '\n')
			uart_putc('\r');
		uart_putc(line[i]);
	}
}

static void fail(const char *what)
{
	failed = true;
	say("payload: FAIL %s\n", what);
}

static __noreturn void finish(void)
{
	say("payload: result %s\n", failed ? "FAIL" : "PASS");
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_DONE);
	for (;;)
		asm volatile("cli; hlt");
}

static bool in_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint32_t i;

	for (i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		if (r->type == BOOT_MEM_RAM && base >= r->base && base - r->base <= r->size &&
		    size <= r->size - (base - r->base))
			return true;
	}
	return false;
}

static void check_mem(const struct boot_info *bi, uint64_t bi_phys)
{
	uint64_t ram = 0;
	uint32_t i;

	if (bi->mem_count == 0 || bi->mem_count > BOOT_MEMMAP_MAX) {
		fail("mem_count");
		return;
	}
	for (i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_range *r = &bi->mem[i], *prev = i ? &bi->mem[i - 1] : NULL;

		if (r->type < BOOT_MEM_RAM || r->type > BOOT_MEM_PERSISTENT)
			fail("mem type out of range");
		if (r->size == 0)
			fail("empty mem range");
		if (prev && r->base < prev->base + prev->size)
			fail("mem ranges unsorted or overlapping");
		if (prev && r->base == prev->base + prev->size && r->type == prev->type)
			fail("adjacent mem ranges of one type not merged");
		if (r->type == BOOT_MEM_RAM)
			ram += r->size;
	}
	if (!in_ram(bi, bi_phys, sizeof(*bi)))
		fail("boot_info not in RAM");
	if (!in_ram(bi, bi->image_start, bi->image_end - bi->image_start))
		fail("image not in RAM");
	for (i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		if (!in_ram(bi, bi->modules[i].start, bi->modules[i].end - bi->modules[i].start))
			fail("module not in RAM");
	say("payload: mem ranges=%u ram=%llu MiB\n", bi->mem_count,
	    (unsigned long long)(ram >> 20));
}

static void show_modules(const struct boot_info *bi)
{
	uint32_t i;

	for (i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
		const struct boot_module *m = &bi->modules[i];
		const char *data = (const char *)(uintptr_t)m->start;
		char peek[PEEK_BYTES + 1];
		size_t j, n = MIN((uint64_t)PEEK_BYTES, m->end - m->start);

		if (m->start & (PAGE_SIZE - 1) || m->end < m->start || m->end > BELOW_4G)
			fail("module placement");
		for (j = 0; j < n; j++)
			peek[j] = data[j] >= 0x20 && data[j] < 0x7f ? data[j] : '.';
		peek[n] = '\0';
		say("payload: module %u tag='%.*s' size=%llu data='%s'\n", i, BOOT_TAG_MAX, m->tag,
		    (unsigned long long)(m->end - m->start), peek);
	}
}

static void check_rsdp(const struct boot_info *bi)
{
	const char *sig = "RSD PTR ";

	if (bi->rsdp_len != 20 && bi->rsdp_len != BOOT_RSDP_MAX) {
		fail("rsdp_len");
		return;
	}
	if (memcmp(bi->rsdp, sig, 8) != 0)
		fail("rsdp copy has no signature");
	if (bi->rsdp_phys &&
	    memcmp((const void *)(uintptr_t)bi->rsdp_phys, bi->rsdp, bi->rsdp_len) != 0)
		fail("rsdp copy differs from rsdp_phys");
	if (!(bi->flags & BOOT_INFO_F_RSDP_V2) != (bi->rsdp_len == 20))
		fail("RSDP_V2 flag disagrees with rsdp_len");
}

__attribute__((section(".text.entry"))) void payload_entry(uint64_t boot_info_phys)
{
	const struct boot_info *bi = (const struct boot_info *)(uintptr_t)boot_info_phys;
	uint64_t rflags, cr0;
	uint32_t lo, hi;
	size_t i;

	asm volatile("pushfq; popq %0" : "=r"(rflags));
	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	say("\npayload: entered rdi=0x%llx if=%d lma=%d pg=%d\n",
	    (unsigned long long)boot_info_phys, !!(rflags & RFLAGS_IF), !!(lo & EFER_LMA),
	    !!(cr0 & CR0_PG));
	if (rflags & RFLAGS_IF)
		fail("interrupts enabled at entry");
	if (boot_info_phys & (PAGE_SIZE - 1) || boot_info_phys >= BELOW_4G)
		fail("boot_info not page-aligned below 4 GiB");
	if (bi->magic != BOOT_INFO_MAGIC) {
		say("payload: bad magic 0x%llx\n", (unsigned long long)bi->magic);
		fail("magic");
		finish();
	}
	say("payload: magic ok version=%u size=%u path=%u flags=0x%x modules=%u mem=%u "
	    "rsdp=0x%llx rsdp_len=%u\n",
	    bi->version, bi->size, bi->path, bi->flags, bi->module_count, bi->mem_count,
	    (unsigned long long)bi->rsdp_phys, bi->rsdp_len);
	if (bi->version != BOOT_INFO_VERSION || bi->size != sizeof(*bi))
		fail("version or size");
	if (!(bi->flags & BOOT_INFO_F_EFI_MMAP))
		fail("EFI_MMAP flag");
	say("payload: cmdline=%.*s\n", BOOT_CMDLINE_MAX, bi->cmdline);
	say("payload: loader=%.*s\n", BOOT_LOADER_NAME_MAX, bi->loader_name);
	say("payload: image=0x%llx-0x%llx entry=0x%llx efi_st=0x%llx tsc=%s\n",
	    (unsigned long long)bi->image_start, (unsigned long long)bi->image_end,
	    (unsigned long long)(uintptr_t)payload_entry, (unsigned long long)bi->efi_system_table,
	    bi->loader_tsc ? "set" : "zero");
	if (bi->flags & BOOT_INFO_F_FRAMEBUFFER)
		say("payload: framebuffer 0x%llx %ux%u pitch=%u bpp=%u\n",
		    (unsigned long long)bi->fb.addr, bi->fb.width, bi->fb.height, bi->fb.pitch,
		    bi->fb.bpp);
	if (bi->image_start > (uintptr_t)payload_entry || bi->image_end <= (uintptr_t)&data_probe)
		fail("image_start/image_end do not cover the payload");
	if (!bi->efi_system_table || !bi->loader_tsc)
		fail("efi_system_table or loader_tsc missing");
	check_rsdp(bi);
	show_modules(bi);
	check_mem(bi, boot_info_phys);
	for (i = 0; i < sizeof(bss_probe); i++)
		if (bss_probe[i])
			break;
	say("payload: probes data=%s bss=%s\n", data_probe == DATA_PROBE ? "ok" : "BAD",
	    i == sizeof(bss_probe) ? "ok" : "BAD");
	if (data_probe != DATA_PROBE || i != sizeof(bss_probe))
		fail("data or bss probe");
	finish();
}
