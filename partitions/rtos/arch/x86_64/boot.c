// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The first C code: tells a native (Multiboot2) start from a Bulkhead one,
 * parks every CPU but the partition's boot CPU, then brings up descriptors,
 * console, TSC frequency and the local APIC and hands over to rtos_main().
 */
#include <stddef.h>
#include <stdint.h>

#include "bulkhead/guest.h"
#include "bulkhead/hypercall.h"
#include "rtos/arch.h"
#include "rtos/boot.h"
#include "rtos/console.h"
#include "rtos/string.h"
#include "x86/cpu.h"
#include "x86/x86.h"

_Static_assert(BH_MAGIC32 == BH_GUEST_MAGIC32, "x86/defs.h BH_MAGIC32 is out of date");

#define COM1_PORT 0x3f8
#define FOUR_GIB  (1ull << 32)
/* Multiboot2 boot information (Multiboot2 specification 3.6). */
#define MB2_TAG_END	0
#define MB2_TAG_CMDLINE 1
#define MB2_INFO_MAX	(1u << 20)
#define MB2_TAG_ALIGN	8
/* CPUID leaves for the TSC rate when nobody tells us (SDM Vol. 2A, CPUID). */
#define CPUID_LEAF_TSC_CRYSTAL	 0x15
#define CPUID_LEAF_FREQ		 0x16
#define CPUID_LEAF_TOPOLOGY	 0xb
#define CPUID1_EBX_APIC_ID_SHIFT 24
#define UART_PORT_MAX		 0xfff8

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

enum start_kind {
	START_MB2,	 /* GRUB (or any Multiboot2 loader) */
	START_BULKHEAD,	 /* Bulkhead with a valid struct bh_guest_info */
	START_BH_NOINFO, /* Bulkhead's CPUID signature, but no usable info */
	START_UNKNOWN,	 /* neither: assume bare metal without options */
};

uint64_t x86_tsc_khz;

static uint8_t boot_stack[BOOT_STACK_SIZE] __attribute__((aligned(16)));
static struct rtos_boot boot;
static int boot_cpu_claimed;
static struct start_state {
	enum start_kind kind;
	uint32_t magic;
	uint64_t info;
	const struct bh_guest_info *gi;
	const char *info_problem; /* why a bh_guest_info was not used */
	unsigned cpu_index;
	uint32_t apic_id;
} start;

static uint32_t cpuid_apic_id(void)
{
	struct cpuid_regs r = cpuid(0, 0);

	if (r.eax >= CPUID_LEAF_TOPOLOGY && cpuid(CPUID_LEAF_TOPOLOGY, 0).ebx != 0)
		return cpuid(CPUID_LEAF_TOPOLOGY, 0).edx; /* the full x2APIC ID */
	return cpuid(1, 0).ebx >> CPUID1_EBX_APIC_ID_SHIFT;
}

/* NULL when gi can be used, else what is wrong with it. */
static const char *check_guest_info(uint64_t info)
{
	const struct bh_guest_info *gi = (const struct bh_guest_info *)(uintptr_t)info;

	/* Address 0 is valid: Bulkhead writes it at offset 0 of the lowest RAM region. */
	if (info % 8 || info + sizeof(*gi) > FOUR_GIB)
		return "pointer not 8-byte aligned inside 0-4 GiB";
	if (gi->magic != BH_GUEST_MAGIC)
		return "bad magic";
	if (gi->version != BH_GUEST_INFO_VERSION)
		return "unknown version";
	if (gi->size < sizeof(*gi))
		return "size smaller than struct bh_guest_info";
	return NULL;
}

/* Which CPU of the partition this is; index 0 runs the RTOS. */
static unsigned find_cpu_index(const struct start_state *s, uint64_t ticket)
{
	if (s->kind == START_BULKHEAD) {
		const uint32_t slots = sizeof(s->gi->hw_ids) / sizeof(s->gi->hw_ids[0]);
		uint32_t n = s->gi->cpu_count < slots ? s->gi->cpu_count : slots;

		for (uint32_t i = 0; i < n; i++) {
			if (s->gi->hw_ids[i] == s->apic_id) /* x86: the hw id is the APIC ID */
				return i;
		}
	}
	if (s->kind == START_BULKHEAD || s->kind == START_BH_NOINFO) {
		if (bulkhead_cpuid_present())
			return cpuid(BH_CPUID_LEAF_INFO, 0).edx;
		return (unsigned)ticket;
	}
	return (rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP) ? 0 : (unsigned)ticket + 1;
}

/* Copies a fixed-size loader string, stopping at its NUL or the end, printable ASCII only. */
static void copy_loader_string(char *dst, size_t dst_size, const char *src, size_t src_size)
{
	size_t n = strnlen(src, src_size);

	if (n >= dst_size)
		n = dst_size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= ' ' && src[i] <= '~') ? src[i] : '?';
	dst[n] = '\0';
}

static void parse_mb2(uint64_t info)
{
	uint32_t total, off = 8;

	if (info == 0 || info % MB2_TAG_ALIGN || info + 8 > FOUR_GIB) {
		console_printf("rtos: WARN: Multiboot2 info at 0x%llx is not 8-byte aligned in 0-4 "
			       "GiB; no options\n",
			       (unsigned long long)info);
		return;
	}
	total = *(const uint32_t *)(uintptr_t)info;
	if (total < 16 || total > MB2_INFO_MAX || info + total > FOUR_GIB) {
		console_printf("rtos: WARN: Multiboot2 info total_size %u is outside 16..%u; no "
			       "options\n",
			       total, MB2_INFO_MAX);
		return;
	}
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const struct mb2_tag *)(uintptr_t)(info + off);

		if (tag->type == MB2_TAG_END)
			return;
		if (tag->size < sizeof(*tag) || tag->size > total - off) {
			console_printf(
				"rtos: WARN: Multiboot2 tag type %u at offset %u has size %u "
				"(%u bytes left); rest ignored\n",
				tag->type, off, tag->size, total - off);
			return;
		}
		if (tag->type == MB2_TAG_CMDLINE) {
			const char *s = (const char *)(tag + 1);
			size_t max = tag->size - sizeof(*tag);

			if (strnlen(s, max) >= max)
				console_printf("rtos: WARN: Multiboot2 command line is not "
					       "NUL-terminated; ignored\n");
			else if (strnlen(s, max) >= sizeof(boot.cmdline))
				console_printf("rtos: WARN: Multiboot2 command line is longer than "
					       "%u bytes; ignored\n",
					       (unsigned)sizeof(boot.cmdline) - 1);
			else
				copy_loader_string(boot.cmdline, sizeof(boot.cmdline), s, max);
		}
		off += (tag->size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
	}
}

/* The TSC rate from CPUID leaf 0x15 (crystal ratio) or 0x16 (base MHz); 0 if neither says. */
static uint64_t cpuid_tsc_khz(void)
{
	uint32_t max = cpuid(0, 0).eax;

	if (max >= CPUID_LEAF_TSC_CRYSTAL) {
		struct cpuid_regs r = cpuid(CPUID_LEAF_TSC_CRYSTAL, 0);

		if (r.eax && r.ebx && r.ecx)
			return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
	}
	if (max >= CPUID_LEAF_FREQ) {
		struct cpuid_regs r = cpuid(CPUID_LEAF_FREQ, 0);

		if (r.eax & 0xffff)
			return (uint64_t)(r.eax & 0xffff) * 1000;
	}
	return 0;
}

static uint64_t find_tsc_khz(bool native)
{
	uint64_t khz = 0;
	const char *how = "";

	if (start.kind == START_BULKHEAD && start.gi->tsc_khz) {
		khz = start.gi->tsc_khz;
	} else if (!native && bulkhead_cpuid_present() && cpuid(BH_CPUID_LEAF_INFO, 0).ecx) {
		khz = cpuid(BH_CPUID_LEAF_INFO, 0).ecx;
	} else if (native) {
		/* The PIT is only ours on bare metal: under Bulkhead its ports are not. */
		khz = pit_measure_tsc_khz();
		how = "PIT measurement failed";
	}
	if (!khz) {
		khz = cpuid_tsc_khz();
		if (khz)
			console_printf(
				"rtos: WARN: TSC frequency unknown (%s), %llu kHz from CPUID\n",
				native ? how : "bh_guest_info.tsc_khz 0", (unsigned long long)khz);
	}
	return khz;
}

static void boot_main(void *arg)
{
	bool native = start.kind == START_MB2 || start.kind == START_UNKNOWN;
	/* gi may well be a null pointer (guest-physical 0): test kind, never gi. */
	const struct bh_guest_info *gi = start.gi;
	bool have_gi = start.kind == START_BULKHEAD;
	bool gi_uart = have_gi && gi->console_port && gi->console_port <= UART_PORT_MAX;

	(void)arg;
	desc_init();
	x86_set_native(native);
	if (!native)
		hypercall_init();
	if (native) {
		uart_init(COM1_PORT);
		x86_console_set(CONSOLE_UART, COM1_PORT);
		pic_disable();
	} else if (gi_uart) {
		uart_init((uint16_t)gi->console_port);
		x86_console_set(CONSOLE_UART, (uint16_t)gi->console_port);
	} else {
		x86_console_set(CONSOLE_HYPERCALL, 0);
	}
	boot.console = native || gi_uart ? "uart" : "hypercall";
	boot.platform = native ? "native" : "bulkhead";
	boot.can_exit = native;
	boot.counter_name = "TSC";
	boot.hw_cpu_id_name = "APIC ID";
	boot.cpu_index = start.cpu_index;

	if (start.kind == START_MB2) {
		parse_mb2(start.info);
	} else if (start.kind == START_BULKHEAD) {
		copy_loader_string(boot.name, sizeof(boot.name), gi->name, sizeof(gi->name));
		copy_loader_string(boot.cmdline, sizeof(boot.cmdline), gi->cmdline,
				   sizeof(gi->cmdline));
		if (gi->console_port > UART_PORT_MAX)
			console_printf("rtos: WARN: bh_guest_info.console_port 0x%x is not an I/O "
				       "port; using the console hypercall\n",
				       (unsigned)gi->console_port);
	} else if (start.info_problem) {
		console_printf("rtos: WARN: struct bh_guest_info at 0x%llx not used: %s\n",
			       (unsigned long long)start.info, start.info_problem);
	} else if (start.kind == START_BH_NOINFO) {
		console_printf("rtos: WARN: Bulkhead's CPUID signature, but EAX 0x%x is not "
			       "BH_GUEST_MAGIC32: no boot information, no options\n",
			       (unsigned)start.magic);
	} else {
		console_printf("rtos: WARN: started with EAX 0x%x, neither Multiboot2 nor "
			       "Bulkhead; no options\n",
			       (unsigned)start.magic);
	}

	x86_tsc_khz = find_tsc_khz(native);
	if (!x86_tsc_khz) {
		console_printf("rtos: ERROR: TSC frequency unknown: %s, and CPUID leaves 0x15/0x16 "
			       "do not say; halting\n",
			       native ? "PIT measurement failed" : "bh_guest_info.tsc_khz is 0");
		arch_halt();
	}
	boot.counter_khz = x86_tsc_khz;
	if (!apic_init())
		arch_halt();
	boot.hw_cpu_id = apic_id();
	if (boot.hw_cpu_id != start.apic_id)
		console_printf("rtos: WARN: APIC ID register says %u, CPUID said %u\n",
			       (unsigned)boot.hw_cpu_id, (unsigned)start.apic_id);
	rtos_main(&boot);
}

_Noreturn void x86_entry(uint32_t magic, uint64_t info, uint64_t ticket)
{
	struct start_state me = { .magic = magic, .info = info };

	/* Every vCPU of the partition may be here at once: work on our own copy until we know. */
	if (magic == MB2_BOOTLOADER_MAGIC) {
		me.kind = START_MB2;
	} else if (magic == BH_GUEST_MAGIC32 && !(me.info_problem = check_guest_info(info))) {
		me.kind = START_BULKHEAD;
		me.gi = (const struct bh_guest_info *)(uintptr_t)info;
	} else if (magic == BH_GUEST_MAGIC32 || bulkhead_cpuid_present()) {
		me.kind = START_BH_NOINFO;
	} else {
		me.kind = START_UNKNOWN;
	}
	me.apic_id = cpuid_apic_id();
	me.cpu_index = find_cpu_index(&me, ticket);

	/* Only the partition's boot CPU runs the RTOS (for now); the others stay parked. */
	if (me.cpu_index != 0 || __atomic_exchange_n(&boot_cpu_claimed, 1, __ATOMIC_ACQ_REL))
		x86_park();
	start = me;
	x86_call_on_stack(boot_stack + sizeof(boot_stack), boot_main, NULL);
}
