// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the fault policy (core/fault.c): one report, one stop, even under a race. */
#include <pthread.h>

#include "../check.h"
#include "core/arch.h"
#include "part_fixture.h"

static struct partition part;
static unsigned stop_calls;
static struct partition *stop_last;

/* The arch layer's hook, recorded. */
void arch_part_stop_cpus(struct partition *p)
{
	__atomic_add_fetch(&stop_calls, 1, __ATOMIC_SEQ_CST);
	stop_last = p;
}

static unsigned log_count(const char *needle)
{
	unsigned n = 0;

	for (const char *s = test_log_text(); (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

static void test_report(void)
{
	test_log_clear();
	stop_calls = 0;
	part_fail(&part, 0, "EPT violation (write)", 0xffffffff81000123ull, 0xfee00000ull);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK_LOG("[cpu0] ERROR: partition \"rtos1\" (id 2) FAILED on vcpu 0 (cpu 2): EPT "
		  "violation (write), rip 0xffffffff81000123, address 0xfee00000\n");
	CHECK_EQ(stop_calls, 1);
	CHECK(stop_last == &part);

	/* a second fault (another vCPU of the same partition): nothing more */
	test_log_clear();
	part_fail(&part, 1, "triple fault", 0x1000, 0);
	CHECK_EQ(part.state, PART_FAILED);
	CHECK_EQ(stop_calls, 1);
	CHECK_EQ(test_log_text()[0], '\0');
}

static void test_cpu_and_reason(void)
{
	test_log_clear();
	part.state = PART_RUNNING;
	stop_calls = 0;
	part_fail(&part, 1, "forbidden IPI to APIC 0x0", 0x2000, 0x0);
	CHECK_LOG("partition \"rtos1\" (id 2) FAILED on vcpu 1 (cpu 3): forbidden IPI to APIC "
		  "0x0, rip 0x2000, address 0x0\n");
	CHECK_EQ(log_count("FAILED"), 1);

	/* an index the partition does not have: no cpus[] lookup */
	test_log_clear();
	part.state = PART_RUNNING;
	part_fail(&part, 7, NULL, 0, 0);
	CHECK_LOG("partition \"rtos1\" (id 2) FAILED on vcpu 7 (cpu ?): unknown, rip 0x0, address "
		  "0x0\n");
	part.state = PART_RUNNING;
	part.cpu_count = 100; /* corrupt: still bounded by the array */
	part_fail(&part, 40, "x", 0, 0);
	CHECK_LOG("FAILED on vcpu 40 (cpu ?): x");
	part.cpu_count = 2;
	CHECK_EQ(stop_calls, 3);
}

/* Stopped (a stop in progress) or invalid: state kept, fault reported, CPUs parked. */
static void test_not_running(void)
{
	static const uint32_t states[] = { PART_STOPPED, PART_INVALID };

	for (unsigned i = 0; i < ARRAY_SIZE(states); i++) {
		test_log_clear();
		part.state = states[i];
		stop_calls = 0;
		part_fail(&part, 1, "late fault", 0x10, 0x20);
		CHECK_EQ(part.state, states[i]);
		CHECK_EQ(stop_calls, 1);
		CHECK(!test_log_contains("FAILED"));
	}
	CHECK_LOG("[cpu0] WARN: partition \"rtos1\" (id 2) fault on vcpu 1 (cpu 3) in state 3, not "
		  "running: late fault, rip 0x10, address 0x20\n");
}

static void *racer(void *arg)
{
	part_fail(&part, (uint32_t)(uintptr_t)arg, "race", 0, 0);
	return NULL;
}

/* Both vCPUs of the partition fault at once: exactly one reports and stops. */
static void test_race(void)
{
	const unsigned rounds = 200;
	unsigned bad = 0;

	stop_calls = 0;
	for (unsigned r = 0; r < rounds; r++) {
		pthread_t t[2];

		test_log_clear();
		part.state = PART_RUNNING;
		pthread_create(&t[0], NULL, racer, (void *)0);
		pthread_create(&t[1], NULL, racer, (void *)1);
		pthread_join(t[0], NULL);
		pthread_join(t[1], NULL);
		if (log_count("FAILED") != 1 || part.state != PART_FAILED)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(stop_calls, rounds);
}

int main(void)
{
	fx_init(&part);
	test_report();
	test_cpu_and_reason();
	test_not_running();
	test_race();
	fx_free(&part);
	return check_summary();
}
