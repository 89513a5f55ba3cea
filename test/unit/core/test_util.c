// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for core/lib/util.c and the log line format. */
#include "../check.h"
#include "core/lib.h"
#include "core/log.h"

static void test_parse_u64(void)
{
	uint64_t v = 0;

	CHECK(hv_parse_u64("115200", 6, &v));
	CHECK_EQ(v, 115200);
	CHECK(hv_parse_u64("0x3f8", 5, &v));
	CHECK_EQ(v, 0x3f8);
	CHECK(hv_parse_u64("0xFFFFFFFFFFFFFFFF", 18, &v));
	CHECK_EQ(v, UINT64_MAX);
	CHECK(!hv_parse_u64("0x10000000000000000", 19, &v));  /* overflow */
	CHECK(!hv_parse_u64("18446744073709551616", 20, &v)); /* overflow */
	CHECK(!hv_parse_u64("", 0, &v));
	CHECK(!hv_parse_u64("12a", 3, &v));
	CHECK(!hv_parse_u64("0x", 2, &v));
}

static void test_strlcpy(void)
{
	char buf[4];

	CHECK_EQ(hv_strlcpy(buf, "abcdef", sizeof(buf)), 6);
	CHECK_STR(buf, "abc");
	CHECK_EQ(hv_strlcpy(buf, "x", sizeof(buf)), 1);
	CHECK_STR(buf, "x");
}

static void test_log_format(void)
{
	test_log_clear();
	pr_err("bad %s at 0x%x", "thing", 0x10);
	CHECK_STR(test_log_text(), "[cpu0] ERROR: bad thing at 0x10\n");
	test_log_clear();
	log_set_level(LOG_INFO);
	pr_debug("hidden");
	CHECK_STR(test_log_text(), "");
	log_set_level(LOG_DEBUG);
}

int main(void)
{
	test_parse_u64();
	test_strlcpy();
	test_log_format();
	return check_summary();
}
