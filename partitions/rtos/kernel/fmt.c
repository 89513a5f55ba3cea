// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* printf-style formatting for the freestanding kernel (no floating point, no allocation). */
#include "rtos/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#include "rtos/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, including those that did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emits digits (most significant first) with sign, zero padding and field width applied. */
static void emit(struct out *o, const char *digits, int ndigits, char sign, int width, bool left,
		 bool zero)
{
	int len = ndigits + (sign ? 1 : 0);

	if (!left && !zero)
		pad(o, ' ', width - len);
	if (sign)
		put(o, sign);
	if (!left && zero)
		pad(o, '0', width - len);
	for (int i = 0; i < ndigits; i++)
		put(o, digits[i]);
	if (left)
		pad(o, ' ', width - len);
}

static int to_digits(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0;

	do {
		rev[n++] = set[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int rtos_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (const char *p = fmt; *p; p++) {
		bool left = false, zero = false;
		int width = 0, lng = 0;
		char digits[24];
		char sign = 0;
		uint64_t v;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && width < 1000)
				width = width * 10 + (*p++ - '0');
		}
		for (;; p++) {
			if (*p == 'l')
				lng++;
			else if (*p == 'z')
				lng = 2;
			else if (*p != 'h')
				break;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			/* long and long long are both 64 bits on every port (LP64). */
			int64_t s = lng ? va_arg(ap, long long) : va_arg(ap, int);

			if (s < 0) {
				sign = '-';
				v = (uint64_t)0 - (uint64_t)s;
			} else {
				v = (uint64_t)s;
			}
			emit(&o, digits, to_digits(digits, v, 10, false), sign, width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			emit(&o, digits, to_digits(digits, v, *p == 'u' ? 10 : 16, *p == 'X'), 0,
			     width, left, zero);
			break;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			put(&o, '0');
			put(&o, 'x');
			emit(&o, digits, to_digits(digits, v, 16, false), 0, width - 2, left, zero);
			break;
		case 'c':
			digits[0] = (char)va_arg(ap, int);
			emit(&o, digits, 1, 0, width, left, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (!s)
				s = "(null)";
			n = (int)strnlen(s, 4096);
			if (!left)
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (left)
				pad(&o, ' ', width - n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--; /* a lone '%' at the end: stop at the terminator */
			break;
		default:
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int rtos_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rtos_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t rtos_strlcpy(char *d, const char *s, size_t size)
{
	size_t n = strlen(s);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(d, s, c);
		d[c] = '\0';
	}
	return n;
}
