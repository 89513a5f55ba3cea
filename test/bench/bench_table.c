// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of table validation against the number of memory
 * regions, from 1,250 to 80,000 (10,000 is the reference), regions in random
 * host order so the sorts do real work. Prints a table and the growth from
 * 10,000 to 80,000 regions next to what n log n and n^2 predict; fails when
 * the growth looks quadratic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arch.h"
#include "core/log.h"
#include "core/table.h"

#define PARTS	      8
#define REGION_SIZE   0x1000ULL
#define REGION_STRIDE 0x2000ULL /* a hole between regions: nothing merges */
#define HIGH_BASE     0x100000000ULL
#define REFERENCE     10000u

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct result {
	uint32_t regions;
	size_t bytes;
	double parse_us, validate_us;
};

/* Builds a table of n regions over PARTS partitions and times parse and validate. */
static int run(uint32_t n, struct result *res)
{
	static char names[PARTS][16], tags[PARTS][16];
	struct table_desc_partition parts[PARTS];
	uint64_t cpus[PARTS];
	struct bh_mem_region *mem = calloc(n, sizeof(*mem));
	uint32_t *slot = calloc(n, sizeof(*slot));
	struct table_desc d = { 0 };
	struct table_view t;
	size_t size = 0, need;
	uint64_t *blob;
	void *scratch;
	double best_parse = 1e30, best_validate = 1e30;
	int rounds;

	if (!mem || !slot)
		return -1;
	/* a random permutation of address slots */
	for (uint32_t i = 0; i < n; i++)
		slot[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(next_random() % (i + 1)), tmp = slot[i];

		slot[i] = slot[j];
		slot[j] = tmp;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = HIGH_BASE + slot[i] * REGION_STRIDE;

		mem[i] = (struct bh_mem_region){ .host = a,
						 .guest = a,
						 .size = REGION_SIZE,
						 .flags = BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO };
	}
	memset(parts, 0, sizeof(parts));
	for (uint32_t p = 0; p < PARTS; p++) {
		uint32_t first = n / PARTS * p, count = p + 1 < PARTS ? n / PARTS : n - first;

		snprintf(names[p], sizeof(names[p]), p ? "rtos%u" : "root", p);
		snprintf(tags[p], sizeof(tags[p]), p ? "rtos%u" : "linux", p);
		cpus[p] = p;
		/* the first region of each partition is its RAM, where the image loads */
		mem[first] = (struct bh_mem_region){ .host = 0x10000000ULL * (p + 1),
						     .guest = p ? 0 : 0x10000000,
						     .size = 0x1000000,
						     .flags = BH_MEM_READ | BH_MEM_WRITE |
							      BH_MEM_EXEC | BH_MEM_LOADABLE };
		parts[p] = (struct table_desc_partition){
			.name = names[p],
			.id = p,
			.flags = p ? BH_PART_RT : BH_PART_ROOT,
			.cpus = &cpus[p],
			.cpu_count = 1,
			.memory = mem + first,
			.memory_count = count,
			.image = { .format = p ? BH_IMAGE_ELF64 : BH_IMAGE_BZIMAGE,
				   .tag = tags[p],
				   .load_address = p ? 0 : 0x10000000 },
		};
	}
	d.platform = (struct table_desc_platform){
		.board = "bench", .arch = BH_ARCH_X86_64, .hv_base = 0x1000000, .hv_size = 0x4000000
	};
	d.partitions = parts;
	d.partition_count = PARTS;

	table_emit(&d, NULL, 0, &size);
	blob = malloc(size);
	if (!blob || table_emit(&d, blob, size, &size))
		return -1;
	if (table_parse(&t, blob, size))
		return -1;
	need = table_scratch_size(&t);
	scratch = malloc(need);
	/* enough rounds for a stable minimum */
	rounds = n >= 40000 ? 5 : n >= 10000 ? 10 : 30;
	for (int r = 0; r < rounds; r++) {
		double t0 = now_us(), t1, t2;
		int err = table_parse(&t, blob, size);

		t1 = now_us();
		err = err ?: table_validate(&t, scratch, need);
		t2 = now_us();
		if (err) {
			fprintf(stderr, "bench table with %u regions is invalid (%d)\n", n, err);
			return -1;
		}
		if (t1 - t0 < best_parse)
			best_parse = t1 - t0;
		if (t2 - t1 < best_validate)
			best_validate = t2 - t1;
	}
	res->regions = n;
	res->bytes = size;
	res->parse_us = best_parse;
	res->validate_us = best_validate;
	free(scratch);
	free(blob);
	free(mem);
	free(slot);
	return 0;
}

static void print_log(const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

int main(void)
{
	static const uint32_t sizes[] = { 1250, 2500, 5000, REFERENCE, 20000, 40000, 80000 };
	struct result res[sizeof(sizes) / sizeof(sizes[0])];
	double ref = 0, big = 0, growth, nlogn;

	log_set_sink(print_log);
	printf("table validation cost: %d partitions, regions in random host order\n", PARTS);
	printf("%9s %11s %10s %12s %10s\n", "regions", "blob bytes", "parse us", "validate us",
	       "ns/region");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (run(sizes[i], &res[i]))
			return 1;
		printf("%9u %11zu %10.1f %12.1f %10.1f\n", res[i].regions, res[i].bytes,
		       res[i].parse_us, res[i].validate_us,
		       (res[i].parse_us + res[i].validate_us) * 1e3 / res[i].regions);
		if (sizes[i] == REFERENCE)
			ref = res[i].parse_us + res[i].validate_us;
		if (sizes[i] == 80000)
			big = res[i].parse_us + res[i].validate_us;
	}
	growth = big / ref;
	nlogn = 8.0 * log(80000.0) / log((double)REFERENCE);
	printf("10,000 regions: %.2f ms to parse and validate\n", ref / 1e3);
	printf("growth from 10,000 to 80,000 regions: x%.1f (n log n predicts x%.1f, n^2 x64)\n",
	       growth, nlogn);
	if (growth > 24.0) {
		printf("FAIL: validation grows faster than n log n\n");
		return 1;
	}
	return 0;
}

/* The arch interface, for core/ code in this host program. */
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
