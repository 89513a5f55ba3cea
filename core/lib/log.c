// SPDX-License-Identifier: GPL-2.0-only
/* Hypervisor log: per-line CPU prefix, levels, and pluggable console sinks. */
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"

#define LOG_LINE_MAX 512

static log_sink_fn log_sink;
static void (*log_drain)(void);
static int log_level = LOG_INFO;

static const char *const level_tag[] = {
	[LOG_ERR] = "ERROR: ",
	[LOG_WARN] = "WARN: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

void log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}

void log_set_level(int level)
{
	if (level < LOG_ERR)
		level = LOG_ERR;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	log_level = level;
}

int log_get_level(void)
{
	return log_level;
}

static void log_emit(const char *buf, int len)
{
	if (len < 0)
		return;
	if ((size_t)len >= LOG_LINE_MAX)
		len = LOG_LINE_MAX - 1;
	if (log_sink)
		log_sink(buf, (size_t)len);
}

void log_set_drain(void (*drain)(void))
{
	log_drain = drain;
}

static void log_vprintf(int level, unsigned cpu, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n, m;

	if (level > log_level)
		return;
	if (level < LOG_ERR)
		level = LOG_ERR;
	n = snprintf(line, sizeof(line), "[cpu%u] %s", cpu, level_tag[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n') {
		line[n++] = '\n';
		line[n] = '\0';
	}
	log_emit(line, n);
}

void log_printf(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	if (log_drain)
		log_drain();
	va_start(ap, fmt);
	log_vprintf(level, arch_cpu_id(), fmt, ap);
	va_end(ap);
}

void log_printf_cpu(int level, unsigned cpu, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, cpu, fmt, ap);
	va_end(ap);
}

void log_raw(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_emit(line, n);
}
