// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the hypervisor's own string functions: the portable C ones
 * of core/lib/string.c (linked renamed, core_*) and, on an x86_64 host, the
 * image's arch/x86_64/cpu/string.S (x86_*), compared byte for byte with the
 * host C library over every small length and alignment, overlapping and not.
 */
#include <stdlib.h>

#include "../check.h"

void *core_memcpy(void *dst, const void *src, size_t n);
void *core_memmove(void *dst, const void *src, size_t n);
void *core_memset(void *dst, int c, size_t n);
int core_memcmp(const void *a, const void *b, size_t n);
size_t core_strlen(const char *s);
size_t core_strnlen(const char *s, size_t max);
int core_strcmp(const char *a, const char *b);
int core_strncmp(const char *a, const char *b, size_t n);
char *core_strchr(const char *s, int c);
#ifdef BH_TEST_X86_STRING
void *x86_memcpy(void *dst, const void *src, size_t n);
void *x86_memset(void *dst, int c, size_t n);
#endif

#define BUF	 512
#define MAX_LEN	 80 /* every length up to this, at every alignment */
#define MAX_OFF	 16
#define BIG	 4099 /* a length past whole pages and words, odd */
#define BIG_BUF	 (BIG + 2 * MAX_OFF)
#define SIGN(x)	 (((x) > 0) - ((x) < 0))
#define GUARD(i) ((uint8_t)(0x5a ^ (i)*13))

typedef void *(*copy_fn)(void *, const void *, size_t);
typedef void *(*fill_fn)(void *, int, size_t);

static uint8_t got[BIG_BUF], want[BIG_BUF], src[BIG_BUF];
static unsigned mismatches;

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = GUARD(i + seed);
}

/* One comparison per call, so that a broken function fails once, not a million times. */
static void same(const char *what, size_t doff, size_t soff, size_t len)
{
	if (memcmp(got, want, sizeof(got)) != 0) {
		if (mismatches++ < 5)
			fprintf(stderr, "%s: dst +%zu src +%zu len %zu differs from libc\n", what,
				doff, soff, len);
	}
}

static void check_copy(const char *what, copy_fn fn)
{
	unsigned before = mismatches;

	for (size_t doff = 0; doff < MAX_OFF; doff++)
		for (size_t soff = 0; soff < MAX_OFF; soff++)
			for (size_t len = 0; len <= MAX_LEN; len++) {
				pattern(src, BUF, 1);
				pattern(got, BUF, 7);
				pattern(want, BUF, 7);
				CHECK_EQ(fn(got + doff, src + soff, len), got + doff);
				memcpy(want + doff, src + soff, len);
				same(what, doff, soff, len);
			}
	for (size_t off = 0; off < MAX_OFF; off++) {
		pattern(src, sizeof(src), 3);
		pattern(got, sizeof(got), 9);
		pattern(want, sizeof(want), 9);
		fn(got + off, src + MAX_OFF - off, BIG);
		memcpy(want + off, src + MAX_OFF - off, BIG);
		same(what, off, MAX_OFF - off, BIG);
	}
	CHECK_EQ(mismatches, before);
}

/* Overlap both ways (and none) inside one buffer, at every distance up to MAX_OFF. */
static void check_move(void)
{
	unsigned before = mismatches;

	for (size_t a = 0; a < 2 * MAX_OFF; a++)
		for (size_t b = 0; b < 2 * MAX_OFF; b++)
			for (size_t len = 0; len <= MAX_LEN; len++) {
				pattern(got, BUF, 5);
				pattern(want, BUF, 5);
				CHECK_EQ(core_memmove(got + a, got + b, len), got + a);
				memmove(want + a, want + b, len);
				same("memmove", a, b, len);
			}
	for (size_t d = 0; d < MAX_OFF; d++) {
		pattern(got, sizeof(got), 2);
		pattern(want, sizeof(want), 2);
		core_memmove(got + d, got + MAX_OFF, BIG); /* down */
		memmove(want + d, want + MAX_OFF, BIG);
		same("memmove down", d, MAX_OFF, BIG);
		core_memmove(got + MAX_OFF + d, got + MAX_OFF, BIG); /* up */
		memmove(want + MAX_OFF + d, want + MAX_OFF, BIG);
		same("memmove up", MAX_OFF + d, MAX_OFF, BIG);
	}
	CHECK_EQ(mismatches, before);
}

static void check_fill(const char *what, fill_fn fn)
{
	static const int values[] = { 0, 0xa5, 0xff, 0x1ff, -1, 0x7f };
	unsigned before = mismatches;

	for (size_t v = 0; v < ARRAY_SIZE(values); v++)
		for (size_t off = 0; off < MAX_OFF; off++)
			for (size_t len = 0; len <= MAX_LEN; len++) {
				pattern(got, BUF, 4);
				pattern(want, BUF, 4);
				CHECK_EQ(fn(got + off, values[v], len), got + off);
				memset(want + off, values[v], len);
				same(what, off, 0, len);
			}
	for (size_t off = 0; off < MAX_OFF; off++) {
		pattern(got, sizeof(got), 8);
		pattern(want, sizeof(want), 8);
		fn(got + off, 0x3c, BIG);
		memset(want + off, 0x3c, BIG);
		same(what, off, 0, BIG);
	}
	CHECK_EQ(mismatches, before);
}

static void test_memcmp(void)
{
	uint8_t a[40], b[40];

	pattern(a, sizeof(a), 1);
	memcpy(b, a, sizeof(b));
	CHECK_EQ(core_memcmp(a, b, 0), 0);
	CHECK_EQ(core_memcmp(a, b, sizeof(a)), 0);
	for (size_t i = 0; i < sizeof(a); i++) {
		b[i] = (uint8_t)(a[i] + 1);
		CHECK_EQ(SIGN(core_memcmp(a, b, sizeof(a))), SIGN(memcmp(a, b, sizeof(a))));
		CHECK_EQ(core_memcmp(a, b, i), 0); /* the difference is past the length */
		b[i] = 0x80 | a[i];		   /* bytes compare unsigned */
		CHECK_EQ(SIGN(core_memcmp(a, b, sizeof(a))), SIGN(memcmp(a, b, sizeof(a))));
		b[i] = a[i];
	}
}

static void test_str(void)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "ab\x80", "abcdefgh" };
	const char text[] = "bulkhead";

	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		CHECK_EQ(core_strlen(s[i]), strlen(s[i]));
		for (size_t max = 0; max < 10; max++)
			CHECK_EQ(core_strnlen(s[i], max), strnlen(s[i], max));
		for (size_t j = 0; j < ARRAY_SIZE(s); j++) {
			CHECK_EQ(SIGN(core_strcmp(s[i], s[j])), SIGN(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 6; n++)
				CHECK_EQ(SIGN(core_strncmp(s[i], s[j], n)),
					 SIGN(strncmp(s[i], s[j], n)));
		}
	}
	CHECK_EQ(core_strnlen("abc", 0), 0); /* reads nothing */
	CHECK(core_strchr(text, 'k') == text + 3);
	CHECK(core_strchr(text, 'b') == text);
	CHECK(core_strchr(text, 'z') == NULL);
	CHECK(core_strchr(text, '\0') == text + 8);
	CHECK(core_strchr(text, 'a' + 256) == text + 6); /* c is taken as a char */
}

int main(void)
{
	check_copy("core memcpy", core_memcpy);
	check_move();
	check_fill("core memset", core_memset);
	test_memcmp();
	test_str();
#ifdef BH_TEST_X86_STRING
	check_copy("x86 memcpy", x86_memcpy);
	check_fill("x86 memset", x86_memset);
#endif
	return check_summary();
}
