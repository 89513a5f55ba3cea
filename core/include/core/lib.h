/* SPDX-License-Identifier: GPL-2.0-only */
/* The few C library functions the hypervisor provides for itself (core/lib). */
#ifndef CORE_LIB_H
#define CORE_LIB_H

#include <stdarg.h>
#include "core/types.h"

#ifdef BULKHEAD_HOST
#include <stdio.h>
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t hv_strlcpy(char *dst, const char *src, size_t size);
/* Parses an unsigned number (0x hex or decimal); returns false on junk or overflow. */
bool hv_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
