// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for hypercall dispatch, the guest console and the fault
 * path. The input is a sequence of 19-byte records (op, vcpu, sel, a0, a1)
 * run against a fixture partition. op & 7 is the call number (5-7 unknown),
 * op bit 7 takes the raw op byte instead, op bit 6 reports a fault with
 * part_fail() instead of calling (sel bits 2-3 then set the state to
 * RUNNING or STOPPED for the next fault). sel bit 0 turns a0 into an address near a
 * region chosen by the input (so that many calls hit valid memory, edges and
 * neighbours), sel bit 1 turns a1 into a small length. Every result is
 * compared with an independent model of which ranges are readable/writable
 * RAM; the console may only ever log printable lines of bounded length, and
 * read-only and device memory never change.
 */
#include <stdlib.h>
#include <string.h>

#include "bulkhead/hypercall.h"
#include "bulkhead/table.h"
#include "core/arch.h"
#include "core/log.h"
#include "core/partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC	  19
#define FILL_RO	  0x5a
#define NAME	  "fz"
#define OP_RAW	  0x80
#define OP_FAIL	  0x40
#define SEL_NEAR  0x01
#define SEL_SMALL 0x02
#define SEL_RUN	  0x04 /* after a fault: back to RUNNING */
#define SEL_STOP  0x08 /* after a fault: STOPPED */
#define VCPU_WILD 0x80

enum { R_RAM, R_RAM2, R_RO, R_IO, R_SHARED, R_WO, R_COUNT };

static const struct part_region layout[R_COUNT] = {
	[R_RAM] = { 0x100000, 0, 0x10000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC },
	[R_RAM2] = { 0x110000, 0, 0x1000, BH_MEM_READ | BH_MEM_WRITE }, /* touches R_RAM */
	[R_RO] = { 0x200000, 0, 0x1000, BH_MEM_READ },
	[R_IO] = { 0x300000, 0, 0x1000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO },
	[R_SHARED] = { 0x400000, 0, 0x1000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED },
	[R_WO] = { 0x500000, 0, 0x1000, BH_MEM_WRITE },
};

static struct partition part;
static uint8_t *mem[R_COUNT];
static uint8_t *initial[R_COUNT]; /* each region's bytes at the start of an input */
static unsigned stops;

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

void arch_part_stop_cpus(struct partition *p)
{
	check(p == &part);
	stops++;
}

/* Every console line: "[cpuN] [fz] " then printable text, at most PART_CONSOLE_LINE - 1 long. */
static void sink(const char *text, size_t len)
{
	static const char tag[] = "] [" NAME "] ";
	const char *t = memchr(text, ']', len);

	check(len > 0 && text[len - 1] == '\n');
	check(memchr(text, '\n', len) == text + len - 1);
	if (!t || (size_t)(text + len - t) < sizeof(tag) - 1 ||
	    memcmp(t, tag, sizeof(tag) - 1) != 0)
		return;
	t += sizeof(tag) - 1;
	check((size_t)(text + len - 1 - t) <= PART_CONSOLE_LINE - 1);
	for (; t < text + len - 1; t++)
		check(*t == '\t' || (*t >= 0x20 && *t <= 0x7e));
}

static void setup(void)
{
	for (int i = 0; i < R_COUNT; i++) {
		mem[i] = aligned_alloc(4096, layout[i].size);
		initial[i] = malloc(layout[i].size);
		check(mem[i] != NULL && initial[i] != NULL);
		/* every byte value, so the console sees control characters too */
		for (uint64_t k = 0; k < layout[i].size; k++)
			initial[i][k] = (i == R_RO || i == R_IO) ? FILL_RO : (uint8_t)(k * 13 + i);
	}
	log_set_sink(sink);
	log_set_level(LOG_DEBUG);
}

static void reset(void)
{
	memset(&part, 0, sizeof(part));
	part.id = 3;
	memcpy(part.name, NAME, sizeof(NAME));
	part.flags = BH_PART_RT;
	part.state = PART_RUNNING;
	part.cpu_count = 2;
	part.hw_ids[0] = 1;
	part.hw_ids[1] = 0x100000003ull; /* an arm64 MPIDR with Aff3: carried uncut */
	part.cpus[0] = 1;
	part.cpus[1] = 2;
	part.region_count = R_COUNT;
	for (int i = 0; i < R_COUNT; i++) {
		part.regions[i] = layout[i];
		part.regions[i].hpa = (hpa_t)(uintptr_t)mem[i];
		memcpy(mem[i], initial[i], layout[i].size);
	}
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The model: [gpa, gpa + len) inside one region that is RAM and has the right. */
static bool model_ok(gpa_t gpa, uint64_t len, uint32_t right)
{
	if (len == 0 || gpa + len <= gpa)
		return false;
	for (int i = 0; i < R_COUNT; i++) {
		const struct part_region *r = &layout[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return !(r->flags & BH_MEM_IO) && (r->flags & right) &&
			       len <= r->size - (gpa - r->gpa);
	}
	return false;
}

/* memcmp, not a byte loop: the fuzzer's instrumentation makes loops here slow. */
static bool untouched(int i)
{
	return memcmp(mem[i], initial[i], layout[i].size) == 0;
}

static void check_info(gpa_t gpa)
{
	struct bh_partition_info info;
	int i;

	for (i = 0; i < R_COUNT; i++)
		if (gpa >= layout[i].gpa && gpa - layout[i].gpa < layout[i].size)
			break;
	check(i < R_COUNT);
	memcpy(&info, mem[i] + (gpa - layout[i].gpa), sizeof(info));
	check(info.abi_version == BH_HYPERCALL_ABI_VERSION && info.partition_id == 3);
	check(strcmp(info.name, NAME) == 0 && info.cpu_count == 2);
	check(info.hw_ids[0] == 1 && info.hw_ids[1] == 0x100000003ull && info.hw_ids[2] == 0);
	check(info.ram_bytes == 0x10000 + 0x1000 + 0x1000 + 0x1000);
}

static void one(const uint8_t *rec)
{
	uint8_t op = rec[0], vb = rec[1], sel = rec[2];
	uint64_t a0 = rd64(rec + 3), a1 = rd64(rec + 11);
	struct hc_args a;
	uint32_t vcpu = (vb & VCPU_WILD) ? (uint32_t)a1 : vb % 3u;
	int64_t ret;

	if (sel & SEL_NEAR) {
		const struct part_region *r = &layout[(a0 >> 32) % R_COUNT];

		/* anywhere in the region, or up to 4 KiB before or after it */
		a0 = r->gpa - 0x1000 + (a0 & 0xffff) % (r->size + 0x2000);
	}
	if (sel & SEL_SMALL)
		a1 %= BH_CONSOLE_WRITE_MAX + 8;

	if (op & OP_FAIL) {
		uint32_t before = part.state;
		unsigned s = stops;

		part_fail(&part, vcpu, "fuzz", a0, a1);
		check(part.state == (before == PART_RUNNING ? PART_FAILED : before));
		check(stops == s + (before != PART_FAILED));
		if (sel & SEL_RUN)
			part.state = PART_RUNNING;
		else if (sel & SEL_STOP)
			part.state = PART_STOPPED;
		return;
	}
	a.nr = (op & OP_RAW) ? op : (op & 7u);
	a.a0 = a0;
	a.a1 = a1;
	a.a2 = a1 ^ a0;
	a.a3 = ~a0;
	ret = hypercall_dispatch(&part, vcpu, &a);
	if (vcpu >= 2) {
		check(ret == -BH_EINVAL);
		return;
	}
	switch (a.nr) {
	case BH_HC_VERSION:
		check(ret == BH_HYPERCALL_ABI_VERSION);
		break;
	case BH_HC_CONSOLE_WRITE:
		if (a1 == 0)
			check(ret == 0);
		else if (a1 > BH_CONSOLE_WRITE_MAX)
			check(ret == -BH_EINVAL);
		else
			check(ret == (model_ok(a0, a1, BH_MEM_READ) ? (int64_t)a1 : -BH_EFAULT));
		break;
	case BH_HC_PARTITION_INFO:
		check(ret == (model_ok(a0, sizeof(struct bh_partition_info), BH_MEM_WRITE)
				      ? 0
				      : -BH_EFAULT));
		if (ret == 0)
			check_info(a0);
		break;
	case BH_HC_GET_STATE:
		check(ret == BH_STATE_RUNNING);
		break;
	case BH_HC_HEARTBEAT:
		check(ret == 0 && part.heartbeat_value == a0);
		break;
	default:
		check(ret == -BH_ENOSYS);
	}
	check(part.console_len < PART_CONSOLE_LINE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!mem[0])
		setup();
	reset();
	for (size_t off = 0; off + REC <= size; off += REC)
		one(data + off);
	check(untouched(R_RO) && untouched(R_IO));
	/* flush what is left, through the same filter */
	part_console_write(&part, "\n", 1);
	check(part.console_len == 0);
	return 0;
}
