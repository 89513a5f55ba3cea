// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for hypercall dispatch (core/hypercall.c) and the guest console (core/part_console.c). */
#include "../check.h"
#include "bulkhead/hypercall.h"
#include "core/errno.h"
#include "core/log.h"
#include "part_fixture.h"

static struct partition part;

static int64_t hc(uint32_t vcpu, uint64_t nr, uint64_t a0, uint64_t a1)
{
	struct hc_args a = { .nr = nr, .a0 = a0, .a1 = a1, .a2 = 0x5a5a, .a3 = 0xa5a5 };

	return hypercall_dispatch(&part, vcpu, &a);
}

/* Puts text into guest RAM at gpa (through the host side) and returns gpa. */
static gpa_t put(int region, gpa_t gpa, const char *text, size_t len)
{
	memcpy(fx_host(&part, region, gpa), text, len);
	return gpa;
}

static int64_t console(const char *text)
{
	size_t len = strlen(text);

	return hc(0, BH_HC_CONSOLE_WRITE, put(FX_RAM, FX_RAM_GPA + 0x20000, text, len), len);
}

static void test_version_state(void)
{
	CHECK_EQ(hc(0, BH_HC_VERSION, 0, 0), BH_HYPERCALL_ABI_VERSION);
	CHECK_EQ(hc(1, BH_HC_VERSION, 0, 0), BH_HYPERCALL_ABI_VERSION);
	CHECK_EQ(hc(1, BH_HC_GET_STATE, 0, 0), BH_STATE_RUNNING);
}

static void test_unknown_and_vcpu(void)
{
	test_log_clear();
	CHECK_EQ(hc(0, 5, 0, 0), -BH_ENOSYS);
	CHECK_LOG("[cpu0] debug: hypercall: partition \"rtos1\" vcpu 0: unknown call number 5\n");
	CHECK_EQ(hc(1, 0xffffffffffffffffull, 0, 0), -BH_ENOSYS);
	CHECK_LOG("vcpu 1: unknown call number 18446744073709551615");
	CHECK_EQ(hc(0, 0x100000000ull, 0, 0), -BH_ENOSYS); /* not truncated to call 0 */

	test_log_clear();
	CHECK_EQ(hc(2, BH_HC_VERSION, 0, 0), -BH_EINVAL);
	CHECK_LOG("debug: hypercall: partition \"rtos1\" vcpu 2: call 0 from vcpu index 2 >= cpu "
		  "count 2");
	CHECK_EQ(hc(0xffffffffu, BH_HC_HEARTBEAT, 7, 0), -BH_EINVAL);
	CHECK_EQ(part.heartbeat_value, 0);
	/* a corrupt cpu_count does not let an index past the arrays */
	part.cpu_count = 1000;
	CHECK_EQ(hc(PART_CPUS_MAX, BH_HC_VERSION, 0, 0), -BH_EINVAL);
	part.cpu_count = 2;

	/* rejections stay below the default console level */
	test_log_clear();
	log_set_level(LOG_INFO);
	CHECK_EQ(hc(0, 99, 0, 0), -BH_ENOSYS);
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, 0x1000, 16), -BH_EFAULT);
	CHECK_EQ(test_log_text()[0], '\0');
	log_set_level(LOG_DEBUG);
}

static void test_heartbeat(void)
{
	uint64_t t0;

	CHECK_EQ(hc(1, BH_HC_HEARTBEAT, 0x1234, 0), 0);
	CHECK_EQ(part.heartbeat_value, 0x1234);
	t0 = part.heartbeat_cycles;
	CHECK(t0 != 0);
	CHECK_EQ(hc(0, BH_HC_HEARTBEAT, 0xffffffffffffffffull, 0), 0);
	CHECK_EQ(part.heartbeat_value, 0xffffffffffffffffull);
	CHECK(part.heartbeat_cycles >= t0);
}

static void test_console_basic(void)
{
	test_log_clear();
	CHECK_EQ(console("hello\n"), 6);
	CHECK_LOG("[cpu0] [rtos1] hello\n");

	/* a line split over several calls comes out once, whole */
	test_log_clear();
	CHECK_EQ(console("par"), 3);
	CHECK_EQ(test_log_text()[0], '\0');
	CHECK_EQ(console("ti"), 2);
	CHECK_EQ(console("al\nsecond"), 9);
	CHECK_LOG("[rtos1] partial\n");
	CHECK(!test_log_contains("second"));
	CHECK_EQ(console(" half\r\n"), 7);
	CHECK_LOG("[rtos1] second half\n");

	/* an empty line is a line */
	test_log_clear();
	CHECK_EQ(console("\n"), 1);
	CHECK_LOG("[cpu0] [rtos1] \n");

	/* len 0: nothing read, nothing written, even at an address that is not RAM */
	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, 0x1000, 0), 0);
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_IO_GPA, 0), 0);
	CHECK_EQ(test_log_text()[0], '\0');
}

static void test_console_control(void)
{
	static const char raw[] = "a\tb\x1b[31mc\rd\x7f\xff\x01\x00z\n";

	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, put(FX_RAM, FX_RAM_GPA + 0x30000, raw, sizeof(raw) - 1),
		    sizeof(raw) - 1),
		 (int64_t)sizeof(raw) - 1);
	CHECK_LOG("[rtos1] a\tb?[31mcd????z\n");
	CHECK(!test_log_contains("\x1b"));
	CHECK(!test_log_contains("\r"));
}

/* "[cpu0] [rtos1] " followed by n copies of c and a newline is in the log. */
static int log_has_run(char c, int n)
{
	char want[PART_CONSOLE_LINE + 32];
	int k = snprintf(want, sizeof(want), "[cpu0] [rtos1] ");

	memset(want + k, c, (size_t)n);
	want[k + n] = '\n';
	want[k + n + 1] = '\0';
	return test_log_contains(want);
}

static void test_console_long(void)
{
	char text[PART_CONSOLE_LINE + 41];
	const int over = 40;

	/* PART_CONSOLE_LINE + 40 characters: one full buffer, then the rest at the newline */
	memset(text, 'a', PART_CONSOLE_LINE + over);
	text[PART_CONSOLE_LINE + over] = '\n';
	test_log_clear();
	part_console_write(&part, text, PART_CONSOLE_LINE + over + 1);
	CHECK(log_has_run('a', PART_CONSOLE_LINE - 1));
	CHECK(log_has_run('a', over + 1));
	CHECK(!log_has_run('a', PART_CONSOLE_LINE));

	/* the largest hypercall, no newline: it waits in the buffer for the newline */
	memset(text, 'b', BH_CONSOLE_WRITE_MAX);
	test_log_clear();
	CHECK_EQ(hc(1, BH_HC_CONSOLE_WRITE, put(FX_RAM2, FX_RAM2_GPA, text, BH_CONSOLE_WRITE_MAX),
		    BH_CONSOLE_WRITE_MAX),
		 BH_CONSOLE_WRITE_MAX);
	CHECK_EQ(part.console_len, BH_CONSOLE_WRITE_MAX % (PART_CONSOLE_LINE - 1));
	CHECK_EQ(console("\n"), 1);
	CHECK(log_has_run('b', BH_CONSOLE_WRITE_MAX));
	CHECK_EQ(part.console_len, 0);

	/* exactly PART_CONSOLE_LINE - 1 then newline: the newline adds an empty line */
	test_log_clear();
	memset(text, 'c', PART_CONSOLE_LINE - 1);
	text[PART_CONSOLE_LINE - 1] = '\n';
	part_console_write(&part, text, PART_CONSOLE_LINE);
	CHECK(log_has_run('c', PART_CONSOLE_LINE - 1));
	CHECK_LOG("[cpu0] [rtos1] \n");

	/* a corrupt line length is flushed, not overrun */
	part.console_len = PART_CONSOLE_LINE + 100;
	part_console_write(&part, "x\n", 2);
	CHECK_EQ(part.console_len, 0);
}

static void test_console_bad(void)
{
	char text[BH_CONSOLE_WRITE_MAX + 1];

	memset(text, 'q', sizeof(text));
	put(FX_RAM, FX_RAM_GPA + 0x40000, text, sizeof(text));

	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_RAM_GPA + 0x40000, BH_CONSOLE_WRITE_MAX + 1),
		 -BH_EINVAL);
	CHECK_LOG("debug: hypercall: partition \"rtos1\" vcpu 0: console_write length 0x101 > 256");
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_RAM_GPA + 0x40000, 0xffffffffffffffffull),
		 -BH_EINVAL);
	CHECK(!test_log_contains("qqq"));

	/* outside RAM, straddling two regions, IO, no read permission, wrapping */
	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, 0x1000, 16), -BH_EFAULT);
	CHECK_LOG("debug: hypercall: partition \"rtos1\" vcpu 0: console_write buffer [0x1000, "
		  "+0x10) is not readable RAM");
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_RAM2_GPA - 8, 16), -BH_EFAULT);
	CHECK_LOG("console_write buffer [0x1ffff8, +0x10) is not readable RAM");
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_IO_GPA, 16), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_WO_GPA, 16), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, 0xffffffffffffff00ull, 0x100), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, FX_WO_GPA + 0xff8, 16), -BH_EFAULT);
	CHECK_EQ(part.console_len, 0);

	/* shared memory and read-only RAM are readable */
	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, put(FX_SHARED, FX_SH_GPA, "shm\n", 4), 4), 4);
	CHECK_LOG("[rtos1] shm\n");
	CHECK_EQ(hc(0, BH_HC_CONSOLE_WRITE, put(FX_RO, FX_RO_GPA + 0xfffc, "ro!\n", 4), 4), 4);
	CHECK_LOG("[rtos1] ro!\n");
}

static void test_partition_info(void)
{
	const gpa_t at = FX_RAM_GPA + 0x50003; /* unaligned on purpose */
	struct bh_partition_info info;
	uint8_t *host = fx_host(&part, FX_RAM, at);

	CHECK_EQ(hc(1, BH_HC_PARTITION_INFO, at, 0), 0);
	memcpy(&info, host, sizeof(info));
	CHECK_EQ(info.abi_version, BH_HYPERCALL_ABI_VERSION);
	CHECK_EQ(info.partition_id, 2);
	CHECK_STR(info.name, "rtos1");
	CHECK(fx_all((const uint8_t *)info.name + 5, sizeof(info.name) - 5, 0));
	CHECK_EQ(info.flags, BH_PART_RT);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.hw_ids[0], 4);
	CHECK_EQ(info.hw_ids[1], 6);
	CHECK_EQ(info.hw_ids[2], 0);
	CHECK_EQ(info.tsc_khz, 2400000);
	CHECK_EQ(info.ram_bytes, FX_RAM_BYTES); /* neither IO nor SHARED */
	CHECK_EQ(host[-1], FX_FILL);
	CHECK_EQ(host[sizeof(info)], FX_FILL);

	/* a name that fills its array still ends in NUL */
	memset(part.name, 'n', sizeof(part.name));
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, at, 0), 0);
	memcpy(&info, host, sizeof(info));
	CHECK_EQ(strnlen(info.name, sizeof(info.name)), PART_NAME_MAX - 1);
	strcpy(part.name, "rtos1");

	/* read-only RAM, IO, straddling, outside, the end of RAM, wrapping */
	test_log_clear();
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, FX_RO_GPA, 0), -BH_EFAULT);
	CHECK(fx_all(fx_host(&part, FX_RO, FX_RO_GPA), sizeof(info), FX_FILL));
	CHECK_LOG("debug: hypercall: partition \"rtos1\" vcpu 0: partition_info buffer [0x300000, "
		  "+0xc0) is not writable RAM");
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, FX_IO_GPA, 0), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, FX_RAM2_GPA - 0x40, 0), -BH_EFAULT);
	CHECK(fx_all(fx_host(&part, FX_RAM, FX_RAM2_GPA - 0x40), 0x40, FX_FILL));
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, 0x7000, 0), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, FX_WO_GPA + 0x1000 - sizeof(info) + 1, 0), -BH_EFAULT);
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, 0xffffffffffffffc0ull, 0), -BH_EFAULT);
	/* write-only RAM is fine for a write */
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, FX_WO_GPA + 0x1000 - sizeof(info), 0), 0);
}

/*
 * ABI version 2: the hardware ids are 64 bits. An arm64 MPIDR with Aff3
 * (bits 39:32) set, and the widest affinity value, come back uncut, in
 * place, with the fields around them where the layout says.
 */
static void test_partition_info_hw_ids(void)
{
	const gpa_t at = FX_RAM_GPA + 0x60000;
	const uint8_t *host = fx_host(&part, FX_RAM, at);
	struct bh_partition_info info;
	uint64_t raw;

	CHECK_EQ(BH_HYPERCALL_ABI_VERSION, 2);
	CHECK_EQ(sizeof(info), 192);
	part.hw_ids[0] = 0x100000003ull;
	part.hw_ids[1] = BH_CPU_MPIDR_AFF_MASK;
	CHECK_EQ(hc(0, BH_HC_PARTITION_INFO, at, 0), 0);
	memcpy(&info, host, sizeof(info));
	CHECK_EQ(info.abi_version, 2);
	CHECK_EQ(info.hw_ids[0], 0x100000003ull);
	CHECK_EQ(info.hw_ids[1], 0xff00ffffffull);
	CHECK_EQ(info.hw_ids[2], 0);
	/* raw bytes at the pinned offsets: the guest's view, not this compiler's */
	memcpy(&raw, host + 48, 8);
	CHECK_EQ(raw, 0x100000003ull);
	memcpy(&raw, host + 56, 8);
	CHECK_EQ(raw, 0xff00ffffffull);
	memcpy(&raw, host + 176, 8);
	CHECK_EQ(raw, 2400000); /* tsc_khz after the 16 ids */
	memcpy(&raw, host + 184, 8);
	CHECK_EQ(raw, FX_RAM_BYTES);
	CHECK_EQ(host[sizeof(info)], FX_FILL);
	part.hw_ids[0] = 4;
	part.hw_ids[1] = 6;
}

int main(void)
{
	fx_init(&part);
	test_version_state();
	test_unknown_and_vcpu();
	test_heartbeat();
	test_console_basic();
	test_console_control();
	test_console_long();
	test_console_bad();
	test_partition_info();
	test_partition_info_hw_ids();
	fx_free(&part);
	return check_summary();
}
