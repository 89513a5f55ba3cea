// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the console ring and its rate limit (core/part/cring.c):
 * lines come out whole, in order, with their CPU; a full ring and a
 * partition over its rate lose the new lines, counted, and the next line
 * that gets through is preceded by the count; the bucket refills with time
 * and never beyond its depth; wrapping around the end keeps lines intact.
 */
#include "../check.h"
#include "core/cring.h"

#define KHZ 1000000ULL /* 1 GHz: cycles per millisecond */

static char buf[1024];
static char out[CRING_LINE_MAX + 1];

static int get(struct cring *r, uint32_t *cpu)
{
	int n = cring_get(r, out, CRING_LINE_MAX, cpu);

	if (n >= 0)
		out[n] = 0;
	return n;
}

static void test_order_and_wrap(void)
{
	struct cring r;
	uint32_t cpu = 0;
	char line[64];

	cring_init(&r, buf, sizeof(buf), 0, 0, 0);
	CHECK_EQ(get(&r, &cpu), -1);
	CHECK(cring_put(&r, "hello", 5, 2, 0, KHZ));
	CHECK(cring_put(&r, "", 0, 3, 0, KHZ));
	CHECK(cring_put(&r, "world", 5, 65535, 0, KHZ));
	CHECK_EQ(get(&r, &cpu), 5);
	CHECK_STR(out, "hello");
	CHECK_EQ(cpu, 2u);
	CHECK_EQ(get(&r, &cpu), 0);
	CHECK_EQ(cpu, 3u);
	CHECK_EQ(get(&r, &cpu), 5);
	CHECK_EQ(cpu, 65535u);
	CHECK_EQ(get(&r, &cpu), -1);
	/* many rounds through the 1 KiB buffer: every line intact, in order */
	for (unsigned i = 0; i < 500; i++) {
		int n = snprintf(line, sizeof(line), "line %u of the wrap test", i);

		CHECK(cring_put(&r, line, (uint32_t)n, i & 3, 0, KHZ));
		if (i % 3 == 2)
			for (unsigned k = 0; k < 3; k++) {
				char want[64];

				snprintf(want, sizeof(want), "line %u of the wrap test", i - 2 + k);
				CHECK_EQ(get(&r, &cpu), (int)strlen(want));
				CHECK_STR(out, want);
			}
	}
	/* a line longer than CRING_LINE_MAX is cut there */
	{
		static char big[400];

		memset(big, 'x', sizeof(big));
		CHECK(cring_put(&r, big, sizeof(big), 0, 0, KHZ));
		while (get(&r, &cpu) >= 0 && out[0] != 'x')
			;
		CHECK_EQ(strlen(out), (size_t)CRING_LINE_MAX);
	}
	/* a smaller reader buffer takes the line's start and skips the rest */
	CHECK(cring_put(&r, "abcdef", 6, 0, 0, KHZ));
	CHECK(cring_put(&r, "next", 4, 0, 0, KHZ));
	CHECK_EQ(cring_get(&r, out, 3, &cpu), 3);
	CHECK_EQ(memcmp(out, "abc", 3), 0);
	CHECK_EQ(get(&r, &cpu), 4);
	CHECK_STR(out, "next");
}

static void test_full(void)
{
	struct cring r;
	uint32_t cpu, n = 0, got = 0;
	char line[100];

	memset(line, 'a', sizeof(line));
	cring_init(&r, buf, sizeof(buf), 0, 0, 0);
	while (cring_put(&r, line, sizeof(line), 1, 0, KHZ))
		n++;
	CHECK_EQ(n, 9u); /* 9 x 104 bytes in 1024 */
	CHECK_EQ(r.dropped, 1u);
	CHECK(!cring_put(&r, line, sizeof(line), 1, 0, KHZ));
	CHECK_EQ(r.dropped, 2u);
	/* two lines out: room for the count and one line */
	CHECK_EQ(get(&r, &cpu), 100);
	CHECK_EQ(get(&r, &cpu), 100);
	CHECK(cring_put(&r, "after", 5, 1, 0, KHZ));
	CHECK_EQ(r.dropped, 0u);
	CHECK_EQ(r.dropped_total, 2ULL);
	while (get(&r, &cpu) >= 0) {
		got++;
		if (out[0] == '(')
			CHECK_STR(out, "(2 lines dropped: console rate limit or ring full)");
	}
	CHECK_STR(out, "after");
	CHECK_EQ(got, 7u + 1 + 1); /* the 7 old lines, the count, "after" */
	/* no buffer: every line is refused (the caller prints instead) */
	cring_init(&r, NULL, 0, 0, 0, 0);
	CHECK(!cring_put(&r, "x", 1, 0, 0, KHZ));
}

static void test_rate(void)
{
	static char big[64 * 1024];
	struct cring r;
	uint32_t cpu;
	uint64_t t = 5 * KHZ;
	char line[100];
	unsigned ok = 0;

	memset(line, 'r', sizeof(line));
	/* 1000 bytes a second, a bucket of 400: a burst of 4 lines, then 1 per 100 ms */
	cring_init(&r, big, sizeof(big), 1000, 400, t);
	while (cring_put(&r, line, sizeof(line), 0, t, KHZ))
		ok++;
	CHECK_EQ(ok, 4u);
	CHECK_EQ(r.dropped, 1u);
	/* 50 ms later: 50 bytes, not enough */
	t += 50 * KHZ;
	CHECK(!cring_put(&r, line, sizeof(line), 0, t, KHZ));
	/* another 90 ms: 140 bytes; the note (50 bytes) and the line (100) do not fit */
	t += 90 * KHZ;
	CHECK(!cring_put(&r, line, sizeof(line), 0, t, KHZ));
	CHECK_EQ(r.dropped, 3u);
	/* 110 ms more: 250 bytes, both go in */
	t += 110 * KHZ;
	CHECK(cring_put(&r, line, sizeof(line), 0, t, KHZ));
	CHECK_EQ(r.dropped, 0u);
	/* a flood for 10 s of 1000 lines a second gets about 1000 bytes a second */
	ok = 0;
	for (unsigned i = 0; i < 10000; i++) {
		t += KHZ;
		ok += cring_put(&r, line, sizeof(line), 0, t, KHZ);
		while (cring_get(&r, out, CRING_LINE_MAX, &cpu) >= 0)
			;
	}
	/* each line that gets through carries the count note too: 150 bytes */
	CHECK(ok >= 60 && ok <= 70); /* (10 s x 1000 B/s + 100 left) / 150 B */
	/* a long silence refills the bucket to its depth, not beyond */
	t += 3600000ULL * KHZ;
	ok = 0;
	while (cring_put(&r, line, sizeof(line), 0, t, KHZ))
		ok++;
	CHECK(ok == 3 || ok == 4); /* the first carries the count of the dropped */
	/* time that runs backwards refills nothing */
	CHECK(!cring_put(&r, line, sizeof(line), 0, t - KHZ, KHZ));
}

int main(void)
{
	test_order_and_wrap();
	test_full();
	test_rate();
	return check_summary();
}
