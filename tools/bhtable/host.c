// SPDX-License-Identifier: GPL-2.0-only
/* Host glue for the table tools: arch stand-ins, a stderr log sink, file helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bhtable.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/log.h"

static unsigned log_errors;

static void stderr_sink(const char *text, size_t len)
{
	static const struct {
		const char *from, *to;
	} levels[] = { { "ERROR: ", "error: " },
		       { "WARN: ", "warning: " },
		       { "debug: ", "debug: " } };

	/* "[cpu0] " means nothing on the host */
	if (len > 1 && text[0] == '[') {
		const char *close = memchr(text, ']', len);

		if (close && (size_t)(close - text) + 2 <= len) {
			len -= (size_t)(close - text) + 2;
			text = close + 2;
		}
	}
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		size_t n = strlen(levels[i].from);

		if (len >= n && !memcmp(text, levels[i].from, n)) {
			if (i == 0)
				log_errors++;
			fputs(levels[i].to, stderr);
			text += n;
			len -= n;
			break;
		}
	}
	fwrite(text, 1, len, stderr);
}

void bhtool_log_init(void)
{
	log_set_sink(stderr_sink);
	log_set_level(getenv("BHTABLE_DEBUG") ? LOG_DEBUG : LOG_INFO);
}

unsigned bhtool_log_errors(void)
{
	return log_errors;
}

void *bhtool_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *buf;

	if (!f) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	for (;;) {
		size_t n;

		if (!buf) {
			fprintf(stderr, "error: %s: out of memory\n", path);
			fclose(f);
			return NULL;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	if (ferror(f)) {
		fprintf(stderr, "error: %s: read error\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = len;
	return buf; /* malloc memory is aligned for any type, so 8 bytes at least */
}

int bhtool_write_file(const char *path, const void *buf, size_t size)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 5);
	FILE *f;

	if (!tmp)
		return -1;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	f = fopen(tmp, "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "error: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int bhtool_load(struct table_view *t, const void *blob, size_t size)
{
	void *scratch;
	int err = table_parse(t, blob, size);

	if (err)
		return err;
	scratch = malloc(table_scratch_size(t) + sizeof(uint64_t));
	if (!scratch) {
		fprintf(stderr, "error: out of memory for validation scratch space\n");
		return -HV_ENOMEM;
	}
	err = table_validate(t, scratch, table_scratch_size(t));
	free(scratch);
	return err;
}

/* The arch interface, for core/ code running on the host. */
cpu_id_t arch_cpu_id(void)
{
	return 0;
}

void arch_cpu_halt(void)
{
	abort();
}

uint64_t arch_cycles(void)
{
	return 0;
}

uint64_t arch_cycles_khz(void)
{
	return 0;
}

void arch_cpu_relax(void)
{
}
