// SPDX-License-Identifier: GPL-2.0-only
/*
 * Freestanding string and memory functions, in portable C: the hypervisor
 * image and the UEFI loader have no C library. memcpy, memmove and memset
 * are weak: an arch may link faster ones over them (x86_64:
 * arch/x86_64/cpu/string.S); the rest are used as they are.
 */
#include "core/lib.h"

/*
 * GCC may recognise a copy, fill or length loop and replace it by a call to
 * memcpy, memset or strlen (loop distribution): inside those functions that
 * is endless recursion. GCC 12 leaves freestanding code alone, but that is
 * no promise (older ones did not, and hosted builds of this file for the
 * unit tests do it), so every function here says so. Clang forms no such
 * calls under -fno-builtin, which the image and loader builds use.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define no_libcall __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define no_libcall
#endif

/* Whole words where both sides allow it; may_alias: any object's bytes may be copied. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static inline bool words_ok(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

__attribute__((weak)) no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (words_ok(d, s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

__attribute__((weak)) no_libcall void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* d below s, or no overlap: front to back never reads a byte already written */
		if (words_ok(d, s) && (uintptr_t)s - (uintptr_t)d >= WORD) {
			for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
				*(word_t *)d = *(const word_t *)s;
		}
		while (n--)
			*d++ = *s++;
	} else {
		/* d inside (s, s + n): back to front */
		if (words_ok(d + n, s + n) && (uintptr_t)d - (uintptr_t)s >= WORD) {
			for (; n >= WORD; n -= WORD)
				*(word_t *)(d + n - WORD) = *(const word_t *)(s + n - WORD);
		}
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

__attribute__((weak)) no_libcall void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	const unsigned char b = (unsigned char)c;
	const uint64_t w = 0x0101010101010101ULL * b;

	for (; n && ((uintptr_t)d & (WORD - 1)); n--)
		*d++ = b;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n--)
		*d++ = b;
	return dst;
}

no_libcall int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

no_libcall size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

no_libcall size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

no_libcall int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

no_libcall int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

no_libcall char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
