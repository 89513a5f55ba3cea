// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the page allocator (core/palloc.c); the pool is a host buffer. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "core/errno.h"
#include "core/palloc.h"

#define POOL_SIZE  (8 * SZ_2M) /* 4096 pages: one bitmap page */
#define POOL_PAGES (POOL_SIZE / PAGE_SIZE)

static uint8_t *pool;
static hpa_t pool_pa;

static bool all_bytes(hpa_t addr, uint64_t len, uint8_t v)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)addr;

	for (uint64_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_before_init(void)
{
	test_log_clear();
	CHECK_EQ(palloc_alloc(1, 1), 0);
	CHECK_LOG("palloc: alloc of 1 pages before palloc_init");
	palloc_free(0x1000, 1);
	CHECK_LOG("palloc: free of 0x1000 before palloc_init");
	CHECK_EQ(palloc_total_pages(), 0);
	CHECK_EQ(palloc_free_pages(), 0);
}

static void test_init_rejects(void)
{
	test_log_clear();
	CHECK_EQ(palloc_init(pool_pa + 8, POOL_SIZE - PAGE_SIZE), -HV_EINVAL);
	CHECK_LOG("palloc: pool [0x");
	CHECK_LOG(", +0xfff000) is not page-aligned");
	CHECK_EQ(palloc_init(pool_pa, POOL_SIZE - 8), -HV_EINVAL);
	CHECK_EQ(palloc_init(0, POOL_SIZE), -HV_EINVAL);
	CHECK_LOG("(or starts at 0)");
	test_log_clear();
	CHECK_EQ(palloc_init(pool_pa, PAGE_SIZE), -HV_EINVAL);
	CHECK_LOG("+0x1000) is smaller than 2 pages or wraps");
	CHECK_EQ(palloc_init(pool_pa, 0), -HV_EINVAL);
	CHECK_EQ(palloc_init(0xfffffffffffff000ull, 0x2000), -HV_EINVAL);
	CHECK_LOG("palloc: pool [0xfffffffffffff000, +0x2000) is smaller than 2 pages or wraps");
	/* the smallest pool: one bitmap page, one page to give */
	CHECK_EQ(palloc_init(pool_pa, 2 * PAGE_SIZE), 0);
	CHECK_EQ(palloc_total_pages(), 1);
	CHECK_EQ(palloc_alloc(1, 1), pool_pa + PAGE_SIZE);
	CHECK_EQ(palloc_alloc(1, 1), 0);
}

static void test_basic(void)
{
	hpa_t a, b, c;

	memset(pool, 0xaa, POOL_SIZE);
	CHECK_EQ(palloc_init(pool_pa, POOL_SIZE), 0);
	CHECK_EQ(palloc_total_pages(), POOL_PAGES - 1);
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);

	/* first fit, right after the bitmap page */
	a = palloc_alloc(1, 1);
	CHECK_EQ(a, pool_pa + PAGE_SIZE);
	CHECK(all_bytes(a, PAGE_SIZE, 0)); /* zeroed */
	b = palloc_alloc(3, 1);
	CHECK_EQ(b, pool_pa + 2 * PAGE_SIZE);
	CHECK(all_bytes(b, 3 * PAGE_SIZE, 0));
	CHECK(all_bytes(b + 3 * PAGE_SIZE, PAGE_SIZE, 0xaa)); /* nothing beyond */
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1 - 4);

	/* 2 MiB alignment: 512 pages */
	c = palloc_alloc(512, 512);
	CHECK_EQ(c, pool_pa + SZ_2M);
	CHECK(IS_ALIGNED(c, SZ_2M));
	CHECK(all_bytes(c, SZ_2M, 0));
	/* a 16 KiB aligned page goes into the hole before it */
	CHECK_EQ(palloc_alloc(1, 4), pool_pa + 8 * PAGE_SIZE);

	/* free and re-alloc: the same place, zeroed again */
	memset((void *)(uintptr_t)b, 0x55, 3 * PAGE_SIZE);
	palloc_free(b, 3);
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1 - 1 - 512 - 1);
	CHECK_EQ(palloc_alloc(2, 1), b);
	CHECK(all_bytes(b, 2 * PAGE_SIZE, 0));
	CHECK_EQ(palloc_alloc(1, 1), b + 2 * PAGE_SIZE);
	CHECK(all_bytes(b + 2 * PAGE_SIZE, PAGE_SIZE, 0));

	/* a run that needs more contiguous pages than any hole: after the 2 MiB block */
	CHECK_EQ(palloc_alloc(600, 1), c + SZ_2M);
}

static void test_errors(void)
{
	hpa_t a;

	CHECK_EQ(palloc_init(pool_pa, POOL_SIZE), 0);
	a = palloc_alloc(2, 1);
	CHECK(a);

	test_log_clear();
	palloc_free(a, 2);
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);
	CHECK_STR(test_log_text(), "");
	palloc_free(a, 2);
	CHECK_LOG("palloc: double free: page 0x");
	CHECK_LOG("(in a free of 2 pages at 0x");
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);

	/* partly allocated: nothing is freed */
	a = palloc_alloc(1, 1);
	test_log_clear();
	palloc_free(a, 2);
	CHECK_LOG("is not allocated, ignored");
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 2);
	palloc_free(a, 1);
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);

	test_log_clear();
	palloc_free(pool_pa + POOL_SIZE, 1);
	CHECK_LOG("palloc: free of 1 pages at 0x");
	CHECK_LOG("is outside the pool");
	test_log_clear();
	palloc_free(pool_pa, 1); /* the bitmap itself */
	CHECK_LOG("is outside the pool");
	test_log_clear();
	palloc_free(pool_pa + POOL_SIZE - PAGE_SIZE, 2); /* runs past the end */
	CHECK_LOG("is outside the pool");
	test_log_clear();
	palloc_free(pool_pa + PAGE_SIZE + 8, 1); /* not a page address */
	CHECK_LOG("is outside the pool");
	test_log_clear();
	palloc_free(pool_pa + PAGE_SIZE, UINT64_MAX);
	CHECK_LOG("is outside the pool");
	test_log_clear();
	palloc_free(pool_pa - PAGE_SIZE, 1);
	CHECK_LOG("is outside the pool");
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);

	test_log_clear();
	CHECK_EQ(palloc_alloc(1, 3), 0);
	CHECK_LOG("palloc: bad request: 1 pages aligned to 3 pages");
	CHECK_EQ(palloc_alloc(0, 1), 0);
	CHECK_EQ(palloc_alloc(1, 0), 0);
	CHECK_EQ(palloc_alloc(POOL_PAGES, 1), 0); /* more than the pool */
	CHECK_EQ(palloc_alloc(1, 1ULL << 62), 0); /* an alignment past everything */
	CHECK_EQ(palloc_alloc(1, 1ULL << 40), 0);
	CHECK_EQ(palloc_free_pages(), POOL_PAGES - 1);
}

static void test_exhaust(void)
{
	uint64_t n = 0;
	hpa_t a, first = 0, last = 0;

	CHECK_EQ(palloc_init(pool_pa, POOL_SIZE), 0);
	while ((a = palloc_alloc(1, 1)) != 0) {
		if (!first)
			first = a;
		CHECK(a > last);
		last = a;
		n++;
	}
	CHECK_EQ(n, POOL_PAGES - 1);
	CHECK_EQ(palloc_free_pages(), 0);
	CHECK_EQ(last, pool_pa + POOL_SIZE - PAGE_SIZE);
	CHECK_EQ(palloc_alloc(1, 1), 0);

	/* free every other page: no two contiguous */
	for (a = first; a <= last; a += 2 * PAGE_SIZE)
		palloc_free(a, 1);
	CHECK_EQ(palloc_free_pages(), (POOL_PAGES) / 2);
	CHECK_EQ(palloc_alloc(2, 1), 0);
	CHECK_EQ(palloc_alloc(1, 2), 0); /* every free page is at an odd page number */
	CHECK_EQ(palloc_alloc(1, 1), first);
	/* free a 2 MiB aligned block of 512 again */
	for (a = pool_pa + 4 * SZ_2M; a < pool_pa + 5 * SZ_2M; a += 2 * PAGE_SIZE)
		palloc_free(a, 1);
	CHECK_EQ(palloc_alloc(512, 512), pool_pa + 4 * SZ_2M);
}

/* A pool that needs more than one bitmap page and is not 2 MiB aligned. */
static void test_big_pool(void)
{
	uint64_t size = 160 * SZ_2M; /* 81920 pages: 3 bitmap pages */
	uint8_t *big = aligned_alloc(SZ_2M, size + SZ_2M);
	hpa_t base = (hpa_t)(uintptr_t)big + 5 * PAGE_SIZE;
	hpa_t a;
	uint64_t tail;

	CHECK(big != NULL);
	CHECK_EQ(palloc_init(base, size), 0);
	CHECK_EQ(palloc_total_pages(), size / PAGE_SIZE - 3);
	CHECK_EQ(palloc_alloc(1, 1), base + 3 * PAGE_SIZE);
	a = palloc_alloc(512, 512);
	CHECK_EQ(a, (hpa_t)(uintptr_t)big + SZ_2M);
	/* 503 pages free before the 2 MiB block, the rest after it up to the end */
	tail = size / PAGE_SIZE - 3 - 1 - 512 - 503;
	CHECK_EQ(palloc_alloc(tail + 1, 1), 0);
	CHECK_EQ(palloc_alloc(tail, 1), a + SZ_2M);
	CHECK_EQ(palloc_free_pages(), 503);
	CHECK_EQ(palloc_alloc(504, 1), 0);
	CHECK_EQ(palloc_alloc(503, 1), base + 4 * PAGE_SIZE);
	CHECK_EQ(palloc_free_pages(), 0);
	palloc_free(a, 512);
	CHECK_EQ(palloc_free_pages(), 512);
	free(big);
}

/*
 * CPUs allocate at the same time (partitions start on their own CPUs while
 * the boot CPU builds stage-2 tables): threads allocate, fill each block
 * with their own pattern, check it after the others had a chance to run,
 * and free. A page handed out twice shows as a foreign byte or a double free.
 */
#define RACE_THREADS 4
#define RACE_ROUNDS  20000
#define RACE_LIVE    8

struct racer {
	pthread_t t;
	unsigned id;
	unsigned long corrupt, failed;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	hpa_t live[RACE_LIVE] = { 0 };
	uint64_t len[RACE_LIVE] = { 0 };
	uint8_t pat[RACE_LIVE] = { 0 };
	unsigned seed = r->id * 2654435761u + 1;

	for (unsigned i = 0; i < RACE_ROUNDS; i++) {
		unsigned s = i % RACE_LIVE;

		if (live[s]) {
			if (!all_bytes(live[s], len[s], pat[s]))
				r->corrupt++;
			palloc_free(live[s], len[s] / PAGE_SIZE);
			live[s] = 0;
		}
		seed = seed * 1103515245u + 12345u;
		len[s] = (uint64_t)(1 + (seed >> 16) % 3) * PAGE_SIZE;
		live[s] = palloc_alloc(len[s] / PAGE_SIZE, (seed >> 20) & 1 ? 2 : 1);
		if (!live[s]) {
			r->failed++;
			continue;
		}
		pat[s] = (uint8_t)(r->id * 16 + i % 16 + 1);
		memset((void *)(uintptr_t)live[s], pat[s], len[s]);
		if ((seed >> 24) % 8 == 0)
			sched_yield();
	}
	for (unsigned s = 0; s < RACE_LIVE; s++)
		if (live[s]) {
			if (!all_bytes(live[s], len[s], pat[s]))
				r->corrupt++;
			palloc_free(live[s], len[s] / PAGE_SIZE);
		}
	return NULL;
}

static void test_concurrent(void)
{
	struct racer r[RACE_THREADS];
	uint64_t before;
	unsigned long corrupt = 0, failed = 0;

	CHECK_EQ(palloc_init(pool_pa, POOL_SIZE), 0);
	before = palloc_free_pages();
	for (unsigned i = 0; i < RACE_THREADS; i++) {
		r[i] = (struct racer){ .id = i };
		CHECK_EQ(pthread_create(&r[i].t, NULL, race, &r[i]), 0);
	}
	for (unsigned i = 0; i < RACE_THREADS; i++) {
		pthread_join(r[i].t, NULL);
		corrupt += r[i].corrupt;
		failed += r[i].failed;
	}
	CHECK_EQ(corrupt, 0);
	CHECK_EQ(failed, 0); /* 4 threads x 8 blocks x 3 pages fit the pool */
	CHECK_EQ(palloc_free_pages(), before);
	CHECK(!test_log_contains("double free"));
}

int main(void)
{
	pool = aligned_alloc(SZ_2M, POOL_SIZE);
	pool_pa = (hpa_t)(uintptr_t)pool;
	test_before_init();
	test_init_rejects();
	test_basic();
	test_errors();
	test_exhaust();
	test_big_pool();
	test_concurrent();
	free(pool);
	return check_summary();
}
