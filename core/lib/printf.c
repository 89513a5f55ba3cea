// SPDX-License-Identifier: GPL-2.0-only
/*
 * vsnprintf for the hypervisor image: d i u x X o p s c %, flags "-0 +#",
 * width and precision (also "*"), length modifiers hh h l ll z t j.
 */
#include "core/lib.h"

struct out {
	char *buf;
	size_t size;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_padded(struct out *o, const char *s, size_t len, int width, bool left, char pad,
		       const char *prefix)
{
	size_t plen = strlen(prefix);
	int fill = width - (int)(len + plen);

	if (pad == '0') {
		while (*prefix)
			put(o, *prefix++);
	}
	if (!left)
		for (; fill > 0; fill--)
			put(o, pad);
	while (*prefix)
		put(o, *prefix++);
	while (len--)
		put(o, *s++);
	if (left)
		for (; fill > 0; fill--)
			put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, plus = false, space = false, alt = false;
		char pad = ' ';
		int width = 0, prec = -1, lng = 0;
		char tmp[66];
		const char *prefix = "";
		unsigned long long v;
		unsigned base;
		bool neg = false, upper = false;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else if (*fmt == '+')
				plus = true;
			else if (*fmt == ' ')
				space = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		if (left)
			pad = ' ';
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 2;
			else if (*fmt == 'h')
				lng = lng > -2 ? lng - 1 : lng;
			else
				break;
		}
		switch (*fmt) {
		case '\0':
			fmt--;
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, left, ' ', "");
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t len;

			if (!s)
				s = "(null)";
			len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			put_padded(&o, s, len, width, left, ' ', "");
			continue;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			prefix = "0x";
			break;
		case 'd':
		case 'i': {
			long long sv;

			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			neg = sv < 0;
			v = neg ? 0ULL - (unsigned long long)sv : (unsigned long long)sv;
			base = 10;
			prefix = neg ? "-" : plus ? "+" : space ? " " : "";
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			upper = *fmt == 'X';
			if (alt && base == 16 && v)
				prefix = upper ? "0X" : "0x";
			else if (alt && base == 8)
				prefix = "0";
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		{
			const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
			int n = 0, i;
			char num[66];

			do {
				tmp[n++] = digits[v % base];
				v /= base;
			} while (v);
			while (prec > n && n < 64)
				tmp[n++] = '0';
			for (i = 0; i < n; i++)
				num[i] = tmp[n - 1 - i];
			if (prec >= 0)
				pad = ' ';
			put_padded(&o, num, (size_t)n, width, left, pad, prefix);
		}
	}
	if (o.size)
		o.buf[o.pos < o.size ? o.pos : o.size - 1] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
