/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The few string and memory routines the freestanding kernel (and the compiler) need. */
#ifndef RTOS_STRING_H
#define RTOS_STRING_H

#include <stddef.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
/* Copies at most size - 1 bytes and NUL-terminates; returns strlen(s). */
size_t rtos_strlcpy(char *d, const char *s, size_t size);

#endif
