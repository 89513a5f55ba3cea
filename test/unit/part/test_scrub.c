// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for scrubbing behind the start (core/part/scrub.c): what is
 * deferred, that every unit is zeroed exactly once and before its stage-2
 * entries are written, by whichever of the loader, gmem, a fault or the boot
 * CPU comes first, also with several CPUs (threads) at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "bulkhead/table.h"
#include "core/errno.h"
#include "core/palloc.h"
#include "core/partition.h"
#include "core/scrub.h"

extern int (*test_s2_map_hook)(struct partition *p, gpa_t gpa, uint64_t size);

#define DIRTY 0xa5
#define GUARD 0x10000 /* host bytes around each region, which must stay dirty */

/*
 * Regions: A 0x0 +16 MiB (8 units), B 0x1003000 +0x305000 (2 partial units),
 * S shared memory, D device memory.
 */
enum { R_A, R_B, R_S, R_D, R_COUNT };
static const struct {
	gpa_t gpa;
	uint64_t size;
	uint32_t flags;
} layout[R_COUNT] = {
	[R_A] = { 0x0, 16ull << 20, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_LOADABLE },
	[R_B] = { 0x1003000, 0x305000, BH_MEM_READ | BH_MEM_WRITE },
	[R_S] = { 0x2000000, 0x100000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED },
	[R_D] = { 0x3000000, 0x1000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO },
};

static struct partition part;
static struct part_scrub *state; /* part.scrub as deferred: NULL again once all is done */
static uint8_t *backing[R_COUNT];

/* The stage-2 writes a scrub asked for, and whether the bytes were zero by then. */
#define MAPS_MAX 64
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	gpa_t gpa;
	uint64_t size;
	bool zero_before;
} maps[MAPS_MAX];
static unsigned n_maps, wrong_part;
static unsigned thread_errors; /* counted atomically: CHECK is not thread-safe */

static bool all_bytes(const uint8_t *b, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

static uint8_t *host_of(gpa_t gpa)
{
	for (unsigned i = 0; i < R_COUNT; i++)
		if (gpa >= layout[i].gpa && gpa - layout[i].gpa < layout[i].size)
			return backing[i] + GUARD + (gpa - layout[i].gpa);
	return NULL;
}

static int record_map(struct partition *p, gpa_t gpa, uint64_t size)
{
	pthread_mutex_lock(&maps_lock);
	if (p != &part)
		wrong_part++;
	if (n_maps < MAPS_MAX) {
		maps[n_maps].gpa = gpa;
		maps[n_maps].size = size;
		maps[n_maps].zero_before = all_bytes(host_of(gpa), size, 0);
	}
	n_maps++;
	pthread_mutex_unlock(&maps_lock);
	return 0;
}

static unsigned maps_of(gpa_t gpa, uint64_t size)
{
	unsigned n = 0;

	for (unsigned i = 0; i < n_maps && i < MAPS_MAX; i++)
		if (maps[i].gpa == gpa && maps[i].size == size) {
			CHECK(maps[i].zero_before);
			n++;
		}
	return n;
}

/* A fresh partition over dirty memory, deferred; s2: its tables exist. */
static void setup(bool s2)
{
	if (state)
		palloc_free((hpa_t)(uintptr_t)state, 1);
	state = NULL;
	memset(&part, 0, sizeof(part));
	snprintf(part.name, sizeof(part.name), "scrubbed");
	part.region_count = R_COUNT;
	for (unsigned i = 0; i < R_COUNT; i++) {
		memset(backing[i], DIRTY, layout[i].size + 2 * GUARD);
		part.regions[i].gpa = layout[i].gpa;
		part.regions[i].hpa = (hpa_t)(uintptr_t)(backing[i] + GUARD);
		part.regions[i].size = layout[i].size;
		part.regions[i].flags = layout[i].flags;
	}
	n_maps = 0;
	test_s2_map_hook = record_map;
	CHECK_EQ(part_scrub_defer(&part), 0);
	state = part.scrub;
	if (s2)
		part_scrub_s2_ready(&part);
}

static bool guards_dirty(void)
{
	for (unsigned i = 0; i < R_COUNT; i++)
		if (!all_bytes(backing[i], GUARD, DIRTY) ||
		    !all_bytes(backing[i] + GUARD + layout[i].size, GUARD, DIRTY))
			return false;
	return true;
}

static void test_defer(void)
{
	setup(false);
	CHECK(part.scrub != NULL);
	CHECK_EQ(state->units, 10);
	CHECK_EQ(state->left, 10);
	CHECK_EQ(state->n_spans, 2);
	/* nothing zeroed yet, nothing mapped */
	CHECK(all_bytes(host_of(0), 16ull << 20, DIRTY));
	CHECK(all_bytes(host_of(0x1003000), 0x305000, DIRTY));
	CHECK(!part_scrub_done(&part, 0));
	CHECK(!part_scrub_done(&part, 0xffffff));
	CHECK(!part_scrub_done(&part, 0x1307fff));
	/* shared, device and unowned memory is nobody's to scrub */
	CHECK(part_scrub_done(&part, 0x2000000));
	CHECK(part_scrub_done(&part, 0x3000000));
	CHECK(part_scrub_done(&part, 0x1000000));
	CHECK(part_scrub_done(&part, 0x1308000));
	CHECK(!part_scrub_fault(&part, 0x2000010));
	CHECK(!part_scrub_fault(&part, 0x3000000));
	CHECK(!part_scrub_fault(&part, 0x5000000));
	CHECK_EQ(n_maps, 0);
	/* the RAM the scrub covers, whatever its state; not shared, device or unowned memory */
	CHECK(part_scrub_region(&part, 0));
	CHECK(part_scrub_region(&part, 0xffffff));
	CHECK(part_scrub_region(&part, 0x1307fff));
	CHECK(!part_scrub_region(&part, 0x2000010));
	CHECK(!part_scrub_region(&part, 0x3000000));
	CHECK(!part_scrub_region(&part, 0x1000000));
	CHECK(!part_scrub_region(&part, 0x5000000));
}

static void test_loader_range(void)
{
	setup(false);
	/* before the stage-2 tables exist: zeroed, not mapped (the build maps DONE units) */
	part_scrub_range(&part, 0x8000, 0x100);
	CHECK(all_bytes(host_of(0), SZ_2M, 0));
	CHECK(all_bytes(host_of(SZ_2M), 14ull << 20, DIRTY));
	CHECK(part_scrub_done(&part, 0));
	CHECK(part_scrub_done(&part, SZ_2M - 1));
	CHECK(!part_scrub_done(&part, SZ_2M));
	CHECK_EQ(state->left, 9);
	/* a range across two units and into nothing */
	part_scrub_range(&part, 3 * SZ_2M - 8, 16);
	CHECK(all_bytes(host_of(2 * SZ_2M), 2 * SZ_2M, 0));
	CHECK(all_bytes(host_of(SZ_2M), SZ_2M, DIRTY));
	part_scrub_range(&part, (16ull << 20) - 1, 0x1000000);
	CHECK(all_bytes(host_of(7 * SZ_2M), SZ_2M, 0));
	CHECK(all_bytes(host_of(0x1003000), 0x305000, 0));
	CHECK_EQ(state->left, 4);
	/* empty and wrapping ranges do nothing */
	part_scrub_range(&part, SZ_2M, 0);
	part_scrub_range(&part, SZ_2M, ~0ull);
	CHECK_EQ(state->left, 4);
	CHECK_EQ(n_maps, 0);
	CHECK(guards_dirty());
}

static void test_fault(void)
{
	setup(true);
	CHECK(part_scrub_fault(&part, 0x512345));
	CHECK(all_bytes(host_of(0x400000), SZ_2M, 0));
	CHECK(all_bytes(host_of(0x600000), SZ_2M, DIRTY));
	CHECK_EQ(maps_of(0x400000, SZ_2M), 1);
	CHECK_EQ(state->by_fault, 1);
	/* a second fault there (a race with the map): handled, nothing done twice */
	CHECK(part_scrub_fault(&part, 0x400000));
	CHECK_EQ(n_maps, 1);
	CHECK_EQ(state->by_fault, 1);
	/* the partial units of B: mapped exactly as far as the region goes */
	CHECK(part_scrub_fault(&part, 0x1003000));
	CHECK_EQ(maps_of(0x1003000, 0x1fd000), 1);
	CHECK(part_scrub_fault(&part, 0x1307fff));
	CHECK_EQ(maps_of(0x1200000, 0x108000), 1);
	CHECK(all_bytes(host_of(0x1003000), 0x305000, 0));
	CHECK(guards_dirty());
}

static void test_gmem(void)
{
	setup(true);
	/* the hypervisor reads guest memory for the guest: zero, never the old bytes */
	const uint8_t *b = gmem_ptr(&part, 0x700000, 64, false);

	CHECK(b != NULL);
	CHECK(b && all_bytes(b, 64, 0));
	CHECK(all_bytes(host_of(0x600000), SZ_2M, 0));
	CHECK_EQ(maps_of(0x600000, SZ_2M), 1);
	/* a refused access scrubs nothing */
	CHECK(gmem_ptr(&part, 0x800000, 0, false) == NULL);
	CHECK(all_bytes(host_of(0x800000), SZ_2M, DIRTY));
}

static void test_boot_pass(void)
{
	setup(true);
	CHECK(part_scrub_fault(&part, 0));
	test_log_clear();
	part_scrub_all(&part);
	CHECK(part.scrub == NULL); /* nothing pending: the exit paths stop asking */
	CHECK(part_scrub_done(&part, SZ_2M));
	CHECK(!part_scrub_fault(&part, SZ_2M));
	/* a fault that raced the sweep's end is still recognised as the scrub's: retried */
	CHECK(part_scrub_region(&part, SZ_2M));
	CHECK_EQ(state->left, 0);
	CHECK_EQ(state->by_boot, 9);
	CHECK_EQ(n_maps, 10);
	for (uint64_t g = 0; g < (16ull << 20); g += SZ_2M)
		CHECK_EQ(maps_of(g, SZ_2M), 1);
	CHECK(all_bytes(host_of(0), 16ull << 20, 0));
	CHECK(all_bytes(host_of(0x1003000), 0x305000, 0));
	CHECK(all_bytes(host_of(0x2000000), 0x100000, DIRTY));
	CHECK(all_bytes(host_of(0x3000000), 0x1000, DIRTY));
	CHECK(guards_dirty());
	CHECK_LOG("partition \"scrubbed\": RAM scrubbed behind its start: 9 blocks (2 MiB) by the "
		  "boot CPU");
	CHECK_LOG("1 by the partition on first touch");
	/* once */
	test_log_clear();
	part_scrub_all(&part);
	CHECK(!test_log_contains("RAM scrubbed"));
	CHECK_EQ(n_maps, 10);
}

/* Several CPUs fault on every unit in different orders while the boot CPU sweeps. */
static void *faulter(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < 64; i++) {
		gpa_t g = (gpa_t)(rand_r(&seed) % 8) * SZ_2M + (uint64_t)(rand_r(&seed) % SZ_2M);

		/* DONE on return: zero, whoever did it */
		/* false only once the sweep is over and everything done */
		if ((!part_scrub_fault(&part, g) &&
		     __atomic_load_n(&part.scrub, __ATOMIC_ACQUIRE)) ||
		    !all_bytes(host_of(ALIGN_DOWN(g, SZ_2M)), SZ_2M, 0))
			__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *sweeper(void *arg)
{
	(void)arg;
	part_scrub_all(&part);
	return NULL;
}

static void test_threads(void)
{
	for (unsigned round = 0; round < 20; round++) {
		pthread_t t[5];

		setup(true);
		for (unsigned i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, faulter,
				       (void *)(uintptr_t)(round * 4 + i + 1));
		pthread_create(&t[4], NULL, sweeper, NULL);
		for (unsigned i = 0; i < 5; i++)
			pthread_join(t[i], NULL);
		CHECK_EQ(thread_errors, 0);
		part_scrub_range(&part, 0x1003000, 0x305000);
		CHECK_EQ(state->left, 0);
		CHECK_EQ(state->by_boot + state->by_fault, 10);
		/* each unit zeroed and mapped exactly once */
		CHECK_EQ(n_maps, 10);
		for (uint64_t g = 0; g < (16ull << 20); g += SZ_2M)
			CHECK_EQ(maps_of(g, SZ_2M), 1);
		CHECK(all_bytes(host_of(0), 16ull << 20, 0));
		CHECK(guards_dirty());
	}
}

/* No room for the state: the caller is told, and zeroes everything itself. */
static void test_no_room(void)
{
	hpa_t got[64];
	unsigned n = 0;

	if (state)
		palloc_free((hpa_t)(uintptr_t)state, 1);
	state = NULL;
	memset(&part, 0, sizeof(part));
	part.region_count = R_COUNT;
	for (unsigned i = 0; i < R_COUNT; i++) {
		part.regions[i].gpa = layout[i].gpa;
		part.regions[i].hpa = (hpa_t)(uintptr_t)(backing[i] + GUARD);
		part.regions[i].size = layout[i].size;
		part.regions[i].flags = layout[i].flags;
	}
	while (n < 64 && (got[n] = palloc_alloc(1, 1)) != 0)
		n++;
	CHECK(n < 64);
	memset(backing[R_A], DIRTY, layout[R_A].size + 2 * GUARD);
	test_log_clear();
	CHECK_EQ(part_scrub_defer(&part), -HV_ENOMEM);
	CHECK(part.scrub == NULL);
	CHECK(all_bytes(host_of(0), 16ull << 20, 0)); /* zeroed at once instead */
	CHECK_LOG("no room to scrub its RAM behind its start; zeroing it all now");
	CHECK(part_scrub_done(&part, 0));
	CHECK(!part_scrub_fault(&part, 0));
	for (unsigned i = 0; i < n; i++)
		palloc_free(got[i], 1);
}

int main(void)
{
	void *pool = aligned_alloc(PAGE_SIZE, 32 * PAGE_SIZE);

	CHECK(pool != NULL);
	CHECK_EQ(palloc_init((hpa_t)(uintptr_t)pool, 32 * PAGE_SIZE), 0);
	for (unsigned i = 0; i < R_COUNT; i++)
		backing[i] = malloc(layout[i].size + 2 * GUARD);
	test_defer();
	test_loader_range();
	test_fault();
	test_gmem();
	test_boot_pass();
	test_threads();
	test_no_room();
	CHECK_EQ(wrong_part, 0);
	return check_summary();
}
