// SPDX-License-Identifier: GPL-2.0-only
/* Host stand-ins for the arch interface and a capturing log sink for unit tests. */
#include <stdlib.h>
#include <time.h>

#include "../check.h"
#include "core/arch.h"
#include "core/log.h"

unsigned check_passed, check_failed;

static char log_buf[1 << 16];
static size_t log_len;

static void host_sink(const char *text, size_t len)
{
	if (getenv("BULKHEAD_TEST_VERBOSE"))
		fwrite(text, 1, len, stderr);
	if (log_len + len >= sizeof(log_buf))
		log_len = 0; /* keep the newest lines */
	memcpy(log_buf + log_len, text, len);
	log_len += len;
	log_buf[log_len] = '\0';
}

__attribute__((constructor)) static void host_env_init(void)
{
	log_set_sink(host_sink);
	log_set_level(LOG_DEBUG);
}

void test_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

const char *test_log_text(void)
{
	return log_buf;
}

int test_log_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

int check_summary(void)
{
	printf("%u passed, %u failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

cpu_id_t arch_cpu_id(void)
{
	return 0;
}

void arch_cpu_halt(void)
{
	fprintf(stderr, "arch_cpu_halt called in a host test\n");
	abort();
}

uint64_t arch_cycles(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t arch_cycles_khz(void)
{
	return 1000000; /* nanoseconds */
}

void arch_cpu_relax(void)
{
}

/* The online CPUs a test declared: hypervisor CPU i has hardware id online_ids[i]. */
static hw_id_t online_ids[64];
static unsigned online_count;

void test_set_online_cpus(const hw_id_t *ids, unsigned n)
{
	online_count = n < ARRAY_SIZE(online_ids) ? n : (unsigned)ARRAY_SIZE(online_ids);
	memcpy(online_ids, ids, online_count * sizeof(ids[0]));
}

int arch_cpu_by_hw_id(hw_id_t hw_id)
{
	for (unsigned i = 0; i < online_count; i++)
		if (online_ids[i] == hw_id)
			return (int)i;
	return -1;
}

/* Stage-2 entries written after a scrub (core/scrub.h): a test may watch them. */
int (*test_s2_map_hook)(struct partition *p, gpa_t gpa, uint64_t size);

int arch_part_s2_map(struct partition *p, gpa_t gpa, uint64_t size)
{
	return test_s2_map_hook ? test_s2_map_hook(p, gpa, size) : 0;
}
