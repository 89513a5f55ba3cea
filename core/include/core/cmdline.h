/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor command line: space-separated "key=value" and "flag" words. */
#ifndef CORE_CMDLINE_H
#define CORE_CMDLINE_H

#include "core/types.h"

/*
 * Finds the last "key=value" word (later words override earlier ones) and
 * copies value into val (NUL-terminated, truncated to size). A bare "key"
 * yields an empty value. Returns false when key is absent.
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t size);

/* Like cmdline_get, for a number; returns def when absent or not a number. */
uint64_t cmdline_get_u64(const char *cmdline, const char *key, uint64_t def);

/* "off", "no", "0", "false" are false; anything else present is true; absent gives def. */
bool cmdline_get_bool(const char *cmdline, const char *key, bool def);

#endif
