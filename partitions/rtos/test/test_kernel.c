// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Host unit test of the RTOS kernel's portable parts: clock math, formatting, options, statistics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "rtos/clock.h"
#include "rtos/fmt.h"
#include "rtos/latency.h"
#include "rtos/options.h"

static unsigned passed, failed;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (cond) {                                                                      \
			passed++;                                                                \
		} else {                                                                         \
			failed++;                                                                \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long va_ = (unsigned long long)(a), vb_ = (unsigned long long)(b);   \
		if (va_ == vb_) {                                                                  \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			fprintf(stderr, "%s:%d: %s == %s: %llu != %llu\n", __FILE__, __LINE__, #a, \
				#b, va_, vb_);                                                     \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                       \
	do {                                                                                  \
		const char *sa_ = (a), *sb_ = (b);                                            \
		if (strcmp(sa_, sb_) == 0) {                                                  \
			passed++;                                                             \
		} else {                                                                      \
			failed++;                                                             \
			fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, sa_, \
				sb_);                                                         \
		}                                                                             \
	} while (0)

/* Collects option warnings so tests can assert the exact message. */
static char warnings[1024];

static void collect(void *ctx, const char *line)
{
	(void)ctx;
	strncat(warnings, line, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static void test_mul_shr32(void)
{
	static const uint64_t v[] = { 0,
				      1,
				      0xffffffffULL,
				      0x100000000ULL,
				      0x123456789abcdefULL,
				      1000000ULL << 32,
				      0xfffffffffffULL,
				      3ULL << 40 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			unsigned __int128 p = (unsigned __int128)v[i] * v[j];

			if ((p >> 32) >> 64)
				continue; /* outside the contract */
			CHECK_EQ(mul_shr32(v[i], v[j]), (uint64_t)(p >> 32));
		}
	}
}

static void test_clock(void)
{
	struct rtos_clock c;

	CHECK(clock_init(&c, 999) == -1);
	CHECK(clock_init(&c, 100000001) == -1);
	CHECK(clock_init(&c, 1000000) == 0); /* 1 GHz: ticks are ns */
	CHECK_EQ(clock_to_ns(&c, 812), 812);
	CHECK(clock_to_ns(&c, 1000000) >= 999999 && clock_to_ns(&c, 1000000) <= 1000000);
	CHECK(clock_from_ns(&c, 1000000) >= 999999 && clock_from_ns(&c, 1000000) <= 1000000);

	CHECK(clock_init(&c, 2893204) == 0); /* a 2.893204 GHz TSC */
	/* 1 ms is 2893204 ticks; allow the fixed-point floor of one tick/ns. */
	CHECK(clock_from_ns(&c, 1000000) >= 2893203 && clock_from_ns(&c, 1000000) <= 2893204);
	CHECK(clock_to_ns(&c, 2893204) >= 999999 && clock_to_ns(&c, 2893204) <= 1000000);
	/* An hour of ticks converts without overflow. */
	CHECK(clock_to_ns(&c, 2893204ULL * 1000 * 3600) / 1000000 >= 3599999);
	CHECK_EQ(clock_to_ns(&c, UINT64_MAX), UINT64_MAX);

	/* Periods in us are exact: no drift between a 1 ms and a 10 ms grid. */
	CHECK_EQ(clock_from_us(&c, 1000), 2893204);
	CHECK_EQ(clock_from_us(&c, 10000), 10 * clock_from_us(&c, 1000));
	CHECK(clock_init(&c, 50000) == 0); /* Bochs: 50 MHz */
	CHECK_EQ(clock_from_us(&c, 1000), 50000);
	CHECK_EQ(clock_from_ns(&c, 1000000), 50000);
	CHECK_EQ(clock_to_ns(&c, 2), 40);
	CHECK_EQ(clock_from_us(&c, 4000000000u), 200000000000ULL);

	CHECK(clock_init(&c, 1000) == 0); /* 1 MHz: ns_mult above 2^32 */
	CHECK_EQ(clock_to_ns(&c, 5), 5000);
	CHECK_EQ(clock_to_ns(&c, UINT64_MAX / 2), UINT64_MAX);
}

static void test_fmt(void)
{
	char b[64];

	CHECK_EQ(rtos_snprintf(b, sizeof(b), "%d %i %u", -42, 7, 4000000000u), 16);
	CHECK_STR(b, "-42 7 4000000000");
	rtos_snprintf(b, sizeof(b), "%x %X %08x %-4d|%4d|", 0xbeefu, 0xbeefu, 0x1fu, 5, -5);
	CHECK_STR(b, "beef BEEF 0000001f 5   |  -5|");
	rtos_snprintf(b, sizeof(b), "%llu %lld %lx %zu", 18446744073709551615ULL,
		      -9223372036854775807LL - 1, 0xabcUL, (size_t)17);
	CHECK_STR(b, "18446744073709551615 -9223372036854775808 abc 17");
	rtos_snprintf(b, sizeof(b), "%s|%5s|%-5s|%c|%%|%03llu", "ab", "cd", "ef", 'g', 7ULL);
	CHECK_STR(b, "ab|   cd|ef   |g|%|007");
	/* Deliberately odd formats: keep the compiler's printf checks out of it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wformat-overflow"
	rtos_snprintf(b, sizeof(b), "%s %p", (const char *)NULL, (void *)0x1000);
	CHECK_STR(b, "(null) 0x1000");
	/* A lone % at the end does not read past the string. */
	CHECK_EQ(rtos_snprintf(b, sizeof(b), "x%"), 1);
	CHECK_STR(b, "x");
#pragma GCC diagnostic pop
	rtos_snprintf(b, sizeof(b), "%*d|%-*d|", 4, 1, 3, 2);
	CHECK_STR(b, "   1|2  |");
	/* Truncation: NUL-terminated, returns the full length. */
	CHECK_EQ(rtos_snprintf(b, 5, "%s", "abcdefgh"), 8);
	CHECK_STR(b, "abcd");
	CHECK_EQ(rtos_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_options(void)
{
	struct rtos_options o;

	options_defaults(&o);
	CHECK_EQ(o.period_us, 1000);
	CHECK_EQ(o.report_every, 1000);
	CHECK_EQ(o.exit_after, 0);
	CHECK_EQ(o.work_period_us, 10000);
	CHECK(o.timer == RTOS_TIMER_AUTO);
	CHECK(!o.idle_poll);
	CHECK_STR(o.name, "");

	/* The line GRUB passes for the native test, path included. */
	warnings[0] = '\0';
	CHECK_EQ(options_parse("/boot/rtos.elf name=native period_us=1000 report_every=200 "
			       "exit_after=3",
			       &o, collect, NULL),
		 0);
	CHECK_STR(warnings, "");
	CHECK_STR(o.name, "native");
	CHECK_EQ(o.period_us, 1000);
	CHECK_EQ(o.report_every, 200);
	CHECK_EQ(o.exit_after, 3);

	options_defaults(&o);
	CHECK_EQ(options_parse("  timer=oneshot\tidle=poll work_period_us=0x2710 "
			       "heartbeat_every=5  ",
			       &o, collect, NULL),
		 0);
	CHECK(o.timer == RTOS_TIMER_ONESHOT);
	CHECK(o.idle_poll);
	CHECK_EQ(o.work_period_us, 10000);
	CHECK_EQ(o.heartbeat_every, 5);
	CHECK_EQ(options_parse("timer=deadline idle=halt", &o, collect, NULL), 0);
	CHECK(o.timer == RTOS_TIMER_DEADLINE);
	CHECK(!o.idle_poll);

	/* Each bad item: one specific message, the old value kept. */
	options_defaults(&o);
	warnings[0] = '\0';
	CHECK_EQ(options_parse("period_us=10 report_every=abc exit_after=99999999999 "
			       "period_us= bogus=1 loose name=bad/name timer=fast idle=sleep",
			       &o, collect, NULL),
		 9);
	CHECK_STR(warnings,
		  "option \"period_us=10\": want a number in 50..1000000, keeping 1000\n"
		  "option \"report_every=abc\": want a number in 1..1000000, keeping 1000\n"
		  "option \"exit_after=99999999999\": want a number in 0..1000000, keeping 0\n"
		  "option \"period_us=\": want a number in 50..1000000, keeping 1000\n"
		  "option \"bogus=1\": unknown option, ignored\n"
		  "option \"loose\": not key=value, ignored\n"
		  "option \"name=bad/name\": want 1-31 characters of [A-Za-z0-9._-]\n"
		  "option \"timer=fast\": want auto, oneshot or deadline\n"
		  "option \"idle=sleep\": want halt or poll\n");
	CHECK_EQ(o.period_us, 1000);
	CHECK_EQ(o.report_every, 1000);
	CHECK_EQ(o.exit_after, 0);
	CHECK_STR(o.name, "");

	/* A name of exactly 31 characters fits, 32 do not. */
	options_defaults(&o);
	CHECK_EQ(strlen("abcdefghijklmnopqrstuvwxyz012345"), 32);
	CHECK_EQ(options_parse("name=abcdefghijklmnopqrstuvwxyz012345", &o, NULL, NULL), 1);
	CHECK_STR(o.name, "");
	CHECK_EQ(options_parse("name=abcdefghijklmnopqrstuvwxyz01234", &o, NULL, NULL), 0);
	CHECK_STR(o.name, "abcdefghijklmnopqrstuvwxyz01234");

	/* Overlong words are reported, not split; a path in front is not. */
	warnings[0] = '\0';
	CHECK_EQ(options_parse(
			 "/a/very/long/path/to/the/image/that/goes/on/and/on/for/more/than/"
			 "sixty-four/characters/rtos.elf "
			 "name=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			 &o, collect, NULL),
		 1);
	CHECK(strstr(warnings, "longer than 63 characters, ignored") != NULL);
	CHECK_EQ(options_parse(NULL, &o, collect, NULL), 0);
	CHECK_EQ(options_parse("", &o, collect, NULL), 0);
}

static void test_latency(void)
{
	struct lat_window w;
	struct lat_totals t = { .max_ns = 5120, .samples = 1000, .heartbeat = 100 };
	char line[320];
	int n;

	lat_window_reset(&w);
	CHECK_EQ(lat_avg(&w), 0);
	n = lat_format(line, sizeof(line), "empty", &w, &t);
	CHECK_STR(line, "rtos empty: latency ns min 0 avg 0 max 0 n 0 | hist <1us:0 <2us:0 "
			"<5us:0 <10us:0 <20us:0 <50us:0 <100us:0 >=100us:0 | early 0 missed 0 "
			"maxever 5120 hb 100\n");
	CHECK_EQ(n, strlen(line));

	/* Bucket edges: a bound belongs to the next bucket up. */
	lat_add(&w, 0);
	lat_add(&w, 999);
	lat_add(&w, 1000);
	lat_add(&w, 4999);
	lat_add(&w, 5000);
	lat_add(&w, 19999);
	lat_add(&w, 20000);
	lat_add(&w, 99999);
	lat_add(&w, 100000);
	lat_add(&w, 10000000);
	w.early = 1;
	w.missed = 2;
	CHECK_EQ(w.n, 10);
	CHECK_EQ(w.min_ns, 0);
	CHECK_EQ(w.max_ns, 10000000);
	CHECK_EQ(lat_avg(&w),
		 (0 + 999 + 1000 + 4999 + 5000 + 19999 + 20000 + 99999 + 100000 + 10000000) / 10);
	lat_format(line, sizeof(line), "rt1", &w, &t);
	CHECK_STR(line, "rtos rt1: latency ns min 0 avg 1025199 max 10000000 n 10 | hist <1us:2 "
			"<2us:1 <5us:1 <10us:1 <20us:1 <50us:1 <100us:1 >=100us:2 | early 1 "
			"missed 2 maxever 5120 hb 100\n");

	/* Too small a buffer: truncated, terminated, full length reported. */
	n = lat_format(line, 20, "rt1", &w, &t);
	CHECK_EQ(strlen(line), 19);
	CHECK(n > 100);

	/* The sum saturates instead of wrapping. */
	lat_window_reset(&w);
	lat_add(&w, UINT64_MAX - 5);
	lat_add(&w, 10);
	CHECK_EQ(w.sum_ns, UINT64_MAX);
}

int main(void)
{
	test_mul_shr32();
	test_clock();
	test_fmt();
	test_options();
	test_latency();
	printf("rtos kernel: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
