// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Parser for the RTOS options: space-separated key=value words, every value range-checked. */
#include "rtos/options.h"

#include <stddef.h>

#include "rtos/fmt.h"
#include "rtos/string.h"

#define WORD_MAX 64

enum opt_key {
	OPT_PERIOD,
	OPT_REPORT,
	OPT_EXIT,
	OPT_WORK,
	OPT_HEARTBEAT,
	OPT_NUMERIC_COUNT,
};

/* Bounds keep the schedule sane: a 50 us period is already tight for the report task. */
static const struct rtos_option_range ranges[OPT_NUMERIC_COUNT] = {
	[OPT_PERIOD] = { "period_us", 50, 1000000, 1000 },
	[OPT_REPORT] = { "report_every", 1, 1000000, 1000 },
	[OPT_EXIT] = { "exit_after", 0, 1000000, 0 },
	[OPT_WORK] = { "work_period_us", 100, 10000000, 10000 },
	[OPT_HEARTBEAT] = { "heartbeat_every", 0, 1000000, 0 },
};

static uint32_t *numeric_field(struct rtos_options *o, enum opt_key k)
{
	switch (k) {
	case OPT_PERIOD:
		return &o->period_us;
	case OPT_REPORT:
		return &o->report_every;
	case OPT_EXIT:
		return &o->exit_after;
	case OPT_WORK:
		return &o->work_period_us;
	case OPT_HEARTBEAT:
		return &o->heartbeat_every;
	default:
		return NULL;
	}
}

void options_defaults(struct rtos_options *o)
{
	memset(o, 0, sizeof(*o));
	for (int k = 0; k < OPT_NUMERIC_COUNT; k++)
		*numeric_field(o, (enum opt_key)k) = ranges[k].def;
	o->timer = RTOS_TIMER_AUTO;
}

/* Decimal or 0x-hex; false for an empty string, a stray character or a value above max. */
static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		v = v * base + d;
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool streq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && memcmp(a, b, n) == 0;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

struct parse {
	void (*warn)(void *ctx, const char *line);
	void *ctx;
	int problems;
};

static void problem(struct parse *p, const char *what, const char *word)
{
	char line[128];

	rtos_snprintf(line, sizeof(line), "option \"%s\": %s", word, what);
	p->problems++;
	if (p->warn)
		p->warn(p->ctx, line);
}

static void apply(struct parse *p, struct rtos_options *o, char *word, bool first)
{
	char *eq = NULL;
	const char *val;

	for (char *c = word; *c; c++) {
		if (*c == '=') {
			eq = c;
			break;
		}
	}
	if (!eq) {
		if (!(first && word[0] == '/'))
			problem(p, "not key=value, ignored", word);
		return;
	}
	*eq = '\0';
	val = eq + 1;
	for (int k = 0; k < OPT_NUMERIC_COUNT; k++) {
		const struct rtos_option_range *r = &ranges[k];
		uint32_t v;

		if (!streq(r->key, word))
			continue;
		if (!parse_u32(val, r->max, &v) || v < r->min) {
			char what[96];

			*eq = '=';
			rtos_snprintf(what, sizeof(what), "want a number in %u..%u, keeping %u",
				      (unsigned)r->min, (unsigned)r->max,
				      (unsigned)*numeric_field(o, (enum opt_key)k));
			problem(p, what, word);
			return;
		}
		*numeric_field(o, (enum opt_key)k) = v;
		return;
	}
	if (streq(word, "name")) {
		if (strlen(val) >= sizeof(o->name) || !name_ok(val)) {
			*eq = '=';
			problem(p, "want 1-31 characters of [A-Za-z0-9._-]", word);
			return;
		}
		rtos_strlcpy(o->name, val, sizeof(o->name));
	} else if (streq(word, "timer")) {
		if (streq(val, "auto")) {
			o->timer = RTOS_TIMER_AUTO;
		} else if (streq(val, "oneshot")) {
			o->timer = RTOS_TIMER_ONESHOT;
		} else if (streq(val, "deadline")) {
			o->timer = RTOS_TIMER_DEADLINE;
		} else {
			*eq = '=';
			problem(p, "want auto, oneshot or deadline", word);
		}
	} else if (streq(word, "idle")) {
		if (streq(val, "halt")) {
			o->idle_poll = false;
		} else if (streq(val, "poll")) {
			o->idle_poll = true;
		} else {
			*eq = '=';
			problem(p, "want halt or poll", word);
		}
	} else {
		*eq = '=';
		problem(p, "unknown option, ignored", word);
	}
}

int options_parse(const char *cmdline, struct rtos_options *o,
		  void (*warn)(void *ctx, const char *line), void *ctx)
{
	struct parse p = { .warn = warn, .ctx = ctx, .problems = 0 };
	const char *s = cmdline;
	bool first = true;

	if (!s)
		return 0;
	while (*s) {
		char word[WORD_MAX];
		size_t n = 0;
		bool long_word = false;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
			if (n + 1 < sizeof(word))
				word[n++] = *s;
			else
				long_word = true;
			s++;
		}
		word[n] = '\0';
		if (long_word && !(first && word[0] == '/'))
			problem(&p, "longer than 63 characters, ignored", word);
		else if (!long_word)
			apply(&p, o, word, first);
		first = false;
	}
	return p.problems;
}
