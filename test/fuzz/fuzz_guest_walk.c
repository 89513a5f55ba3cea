// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for guest_walk() and guest_fetch_insn(). Input: six
 * little-endian u64 (CR0, CR3, CR4, EFER, the GVA, the guest memory size),
 * then 16-byte records (GPA, u64 value) that make a sparse guest memory: a
 * byte reads from the last record covering it, else 0; reads at or past the
 * memory size fail. Small inputs thus describe page tables anywhere in a
 * large guest. Checks: bounded entry reads per walk, naturally aligned
 * entries, results within MAXPHYADDR, identity without paging, and fetched
 * bytes equal to what a byte-by-byte walk finds.
 */
#include <stdlib.h>
#include <string.h>

#include "vcpu/guest_walk.h"
#include "core/errno.h"

#define HDR_WORDS   6
#define REC_LEN	    16
#define MAX_RECS    256
#define MAX_LEVELS  5
#define MAXPHYADDR  52
#define CR0_PG_BIT  (1ULL << 31)
#define CR4_PAE_BIT (1ULL << 5)
#define EFER_LM	    ((1ULL << 8) | (1ULL << 10))

struct fuzz_mem {
	const uint8_t *recs;
	size_t nrecs;
	uint64_t size;
	unsigned reads;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint8_t mem_byte(const struct fuzz_mem *m, uint64_t a)
{
	for (size_t i = m->nrecs; i-- > 0;) {
		uint64_t base = rd64(m->recs + i * REC_LEN);

		if (a - base < 8)
			return m->recs[i * REC_LEN + 8 + (a - base)];
	}
	return 0;
}

static int fuzz_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	struct fuzz_mem *m = ctx;
	uint8_t *out = dst;

	m->reads++;
	if (len == 0 || len > 4096)
		abort(); /* entries are 4/8 bytes, fetch chunks at most 15 */
	if (gpa >= m->size || len > m->size - gpa)
		return -HV_EFAULT;
	for (size_t i = 0; i < len; i++)
		out[i] = mem_byte(m, gpa + i);
	return 0;
}

/* The one walk whose reads are counted and checked. */
static int checked_walk(const struct guest_paging *pg, uint64_t gva, struct fuzz_mem *m,
			uint64_t *gpa)
{
	int rc;

	m->reads = 0;
	*gpa = 0;
	rc = guest_walk(pg, gva, fuzz_read, m, gpa);
	if (rc != 0 && rc != -HV_EFAULT)
		abort();
	if (m->reads > MAX_LEVELS)
		abort();
	if (rc == 0) {
		if (*gpa >> MAXPHYADDR)
			abort();
		if (!(pg->cr0 & CR0_PG_BIT) && *gpa != (gva & 0xffffffffULL))
			abort();
		/* no paging or 32-bit paging: PSE-36 reaches 40 bits at most */
		if (!(pg->cr4 & CR4_PAE_BIT) && (*gpa >> 40))
			abort();
		if ((pg->cr0 & CR0_PG_BIT) && !(pg->efer & EFER_LM) && !(pg->cr4 & CR4_PAE_BIT) &&
		    m->reads == 0)
			abort();
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_paging pg;
	struct fuzz_mem m;
	uint8_t out[GUEST_FETCH_MAX];
	uint64_t gva, gpa, again;
	size_t n;

	if (size < HDR_WORDS * 8)
		return 0;
	pg.cr0 = rd64(data);
	pg.cr3 = rd64(data + 8);
	pg.cr4 = rd64(data + 16);
	pg.efer = rd64(data + 24);
	gva = rd64(data + 32);
	m.size = rd64(data + 40);
	m.recs = data + HDR_WORDS * 8;
	m.nrecs = (size - HDR_WORDS * 8) / REC_LEN;
	if (m.nrecs > MAX_RECS)
		m.nrecs = MAX_RECS;

	int rc = checked_walk(&pg, gva, &m, &gpa);
	/* the same tables give the same answer */
	if (checked_walk(&pg, gva, &m, &again) != rc || (rc == 0 && again != gpa))
		abort();

	memset(out, 0, sizeof(out));
	n = guest_fetch_insn(&pg, gva, fuzz_read, &m, out);
	if (n > GUEST_FETCH_MAX)
		abort();
	if (n > 0 && rc != 0)
		abort();
	/* every fetched byte is the one the walk of its own address finds */
	for (size_t i = 0; i < n; i++) {
		uint64_t pa;

		if (checked_walk(&pg, gva + i, &m, &pa) != 0)
			abort();
		if (pa >= m.size || out[i] != mem_byte(&m, pa))
			abort();
	}
	return 0;
}
