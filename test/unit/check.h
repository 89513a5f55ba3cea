/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small assertion header for host unit tests. Each test program calls
 * CHECK*() and ends with check_summary(), which prints "N passed, N failed"
 * and returns the exit status for main().
 */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/types.h"

extern unsigned check_passed, check_failed;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (cond) {                                                                      \
			check_passed++;                                                          \
		} else {                                                                         \
			check_failed++;                                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                                          \
	do {                                                                                    \
		uint64_t va_ = (uint64_t)(a), vb_ = (uint64_t)(b);                              \
		if (va_ == vb_) {                                                               \
			check_passed++;                                                         \
		} else {                                                                        \
			check_failed++;                                                         \
			fprintf(stderr,                                                         \
				"%s:%d: CHECK_EQ failed: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 \
				")\n",                                                          \
				__FILE__, __LINE__, #a, #b, va_, vb_);                          \
		}                                                                               \
	} while (0)

#define CHECK_STR(a, b)                                                                          \
	do {                                                                                     \
		const char *sa_ = (a), *sb_ = (b);                                               \
		if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                       \
			check_passed++;                                                          \
		} else {                                                                         \
			check_failed++;                                                          \
			fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");           \
		}                                                                                \
	} while (0)

/* The hypervisor log as captured by the host sink (test/unit/host/host_env.c). */
void test_log_clear(void);
const char *test_log_text(void);
/* True when some captured log line contains needle. */
int test_log_contains(const char *needle);
/*
 * The host's arch_cpu_by_hw_id(): CPU i is online with hardware id ids[i]
 * (at most 64); none until a test calls this.
 */
void test_set_online_cpus(const hw_id_t *ids, unsigned n);

#define CHECK_LOG(needle)                                                                    \
	do {                                                                                 \
		if (test_log_contains(needle)) {                                             \
			check_passed++;                                                      \
		} else {                                                                     \
			check_failed++;                                                      \
			fprintf(stderr, "%s:%d: log lacks \"%s\"; log was:\n%s\n", __FILE__, \
				__LINE__, needle, test_log_text());                          \
		}                                                                            \
	} while (0)

int check_summary(void);

#endif
