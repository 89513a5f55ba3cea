// SPDX-License-Identifier: GPL-2.0-only
/* Hypervisor command-line lookup ("console=com1,115200 loglevel=debug x2apic=off"). */
#include "core/cmdline.h"
#include "core/lib.h"

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	bool found = false;

	if (!cmdline || !klen)
		return false;
	while (*p) {
		const char *w, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		end = p;
		if ((size_t)(end - w) < klen || strncmp(w, key, klen))
			continue;
		if (w + klen == end) {
			if (size)
				val[0] = '\0';
			found = true;
		} else if (w[klen] == '=') {
			size_t n = (size_t)(end - (w + klen + 1));

			if (size) {
				if (n > size - 1)
					n = size - 1;
				memcpy(val, w + klen + 1, n);
				val[n] = '\0';
			}
			found = true;
		}
	}
	return found;
}

uint64_t cmdline_get_u64(const char *cmdline, const char *key, uint64_t def)
{
	char buf[32];
	uint64_t v;

	if (!cmdline_get(cmdline, key, buf, sizeof(buf)))
		return def;
	return hv_parse_u64(buf, strlen(buf), &v) ? v : def;
}

bool cmdline_get_bool(const char *cmdline, const char *key, bool def)
{
	char buf[8];

	if (!cmdline_get(cmdline, key, buf, sizeof(buf)))
		return def;
	return !(!strcmp(buf, "off") || !strcmp(buf, "no") || !strcmp(buf, "0") ||
		 !strcmp(buf, "false"));
}
