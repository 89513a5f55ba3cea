// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for arch/x86_64/guest_walk.c: page tables built in a fake guest
 * memory for every paging mode, large pages, a missing entry at each level
 * (the number of entry reads says where the walk stopped), and instruction
 * fetches across page boundaries. With BULKHEAD_WALK_SEED_DIR set, some of
 * the set-ups are also written there as seeds for test/fuzz/fuzz_guest_walk.c.
 */
#include <stdlib.h>

#include "../check.h"
#include "vcpu/guest_walk.h"
#include "arch/x86.h"
#include "core/errno.h"

#define MEM_SIZE    (16 * PAGE_SIZE) /* guest memory at GPA 0 */
#define P	    (1ULL << 0)
#define RW	    (1ULL << 1)
#define PWT_PCD	    (3ULL << 3)
#define PS	    (1ULL << 7)
#define PAT_LARGE   (1ULL << 12) /* PAT bit of a large-page entry */
#define NX	    (1ULL << 63)
#define HIGH_SW	    (0x7ffULL << 52) /* protection keys and software bits */
#define CR4_PSE_    (1ULL << 4)
#define CR4_LA57_   (1ULL << 12)
#define EFER_LMA_   (1ULL << 10)
#define CR3_NOFLUSH (1ULL << 63)
#define OUTSIDE	    0x80000000ULL /* a GPA past guest memory */

/* table pages in the fake memory */
#define T1 0x1000ULL
#define T2 0x2000ULL
#define T3 0x3000ULL
#define T4 0x4000ULL
#define T5 0x7000ULL
#define D1 0x5000ULL
#define D2 0x9000ULL
#define D3 0xb000ULL

static uint8_t mem[MEM_SIZE];

struct fake {
	unsigned reads;
	unsigned misaligned;
};

static int fake_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	struct fake *f = ctx;

	f->reads++;
	/* page-table entries are read whole and naturally aligned */
	if ((len == 4 || len == 8) && (gpa & (len - 1)))
		f->misaligned++;
	if (gpa > MEM_SIZE || len > MEM_SIZE - gpa)
		return -HV_EFAULT;
	memcpy(dst, mem + gpa, len);
	return 0;
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(mem + gpa, &v, 8);
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(mem + gpa, &v, 4);
}

static struct fake fk;
static uint64_t got;

/* Walks gva; returns the result and leaves the GPA in got and the read count in fk. */
static int walk(const struct guest_paging *pg, uint64_t gva)
{
	fk.reads = 0;
	got = 0xdeadbeef;
	return guest_walk(pg, gva, fake_read, &fk, &got);
}

#define CHECK_WALK(pg, gva, want, nreads)   \
	do {                                \
		CHECK_EQ(walk(pg, gva), 0); \
		CHECK_EQ(got, want);        \
		CHECK_EQ(fk.reads, nreads); \
	} while (0)

#define CHECK_FAULT(pg, gva, nreads)                 \
	do {                                         \
		CHECK_EQ(walk(pg, gva), -HV_EFAULT); \
		CHECK_EQ(fk.reads, nreads);          \
	} while (0)

/* Writes header (cr0 cr3 cr4 efer gva mem_size) and the non-zero words of mem as fuzz records. */
static void write_seed(const char *name, const struct guest_paging *pg, uint64_t gva)
{
	const char *dir = getenv("BULKHEAD_WALK_SEED_DIR");
	uint64_t hdr[6] = { pg->cr0, pg->cr3, pg->cr4, pg->efer, gva, MEM_SIZE };
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(hdr, sizeof(hdr), 1, f);
	for (uint64_t a = 0; a < MEM_SIZE; a += 8) {
		uint64_t v;

		memcpy(&v, mem + a, 8);
		if (v) {
			fwrite(&a, 8, 1, f);
			fwrite(&v, 8, 1, f);
		}
	}
	fclose(f);
}

static void test_no_paging(void)
{
	struct guest_paging pg = { .cr0 = CR0_PE, .cr4 = CR4_PAE, .efer = EFER_LME };

	CHECK_WALK(&pg, 0x12345, 0x12345, 0);
	CHECK_WALK(&pg, 0xfee00300, 0xfee00300, 0);
	/* linear addresses are 32 bits wide without paging */
	CHECK_WALK(&pg, 0x100001234ULL, 0x1234, 0);
}

static void test_32bit(void)
{
	struct guest_paging pg = { .cr0 = CR0_PE | CR0_PG, .cr3 = T1 | PWT_PCD };
	uint64_t va = (1ULL << 22) | (0x23 << 12) | 0x456;

	memset(mem, 0, sizeof(mem));
	put32(T1 + 1 * 4, (uint32_t)(T2 | P | RW));
	put32(T2 + 0x23 * 4, (uint32_t)(D1 | P));
	put32(T2 + 0x24 * 4, (uint32_t)D1); /* not present */
	put32(T1 + 3 * 4, (uint32_t)(0x00c00000 | PS | P));
	/* PSE-36: PDE bits 20:13 give address bits 39:32; bit 12 is PAT */
	put32(T1 + 4 * 4, (uint32_t)(0x01400000 | (0x05 << 13) | PAT_LARGE | PS | P));
	put32(T1 + 6 * 4, (uint32_t)(0xfffff000 | P));
	put32(T2 + 0x3ff * 4, (uint32_t)(0xfffff000 | P));
	write_seed("pg32", &pg, va);

	CHECK_WALK(&pg, va, D1 | 0x456, 2);
	CHECK_WALK(&pg, va | 0x300000000ULL, D1 | 0x456, 2); /* bits 63:32 ignored */
	CHECK_FAULT(&pg, (1ULL << 22) | (0x24 << 12), 2);    /* PTE not present */
	CHECK_FAULT(&pg, 5ULL << 22, 1);		     /* PDE not present */
	CHECK_WALK(&pg, (1ULL << 22) | (0x3ff << 12) | 0xfff, 0xffffffffULL, 2);
	/* without CR4.PSE the PS bit means nothing: 0xc00000 is a page table, outside memory */
	CHECK_FAULT(&pg, (3ULL << 22) | 0x12345, 2);

	pg.cr4 = CR4_PSE_;
	write_seed("pg32_pse", &pg, (3ULL << 22) | 0x12345);
	CHECK_WALK(&pg, (3ULL << 22) | 0x12345, 0xc12345, 1);
	CHECK_WALK(&pg, (4ULL << 22) | 0x3fffff, 0x5017fffffULL, 1);
	CHECK_WALK(&pg, va, D1 | 0x456, 2); /* 4K pages still work */
	/* a PDE pointing outside guest memory */
	CHECK_FAULT(&pg, 6ULL << 22, 2);
	CHECK_EQ(fk.misaligned, 0);
}

static void test_pae(void)
{
	const uint64_t pdpt = T1 + 0x20; /* PAE CR3 is 32-byte aligned, not page aligned */
	struct guest_paging pg = {
		.cr0 = CR0_PE | CR0_PG, .cr3 = pdpt | PWT_PCD, .cr4 = CR4_PAE, .efer = EFER_NXE
	};
	uint64_t va = (2ULL << 30) | (5 << 21) | (7 << 12) | 0x89;

	memset(mem, 0, sizeof(mem));
	put64(pdpt + 2 * 8, T2 | P);
	put64(T2 + 5 * 8, T3 | P | RW);
	put64(T3 + 7 * 8, NX | D1 | P);
	put64(T3 + 8 * 8, D1);					/* not present */
	put64(T2 + 6 * 8, 0x123400000ULL | PAT_LARGE | PS | P); /* 2M page above 4G */
	put64(T2 + 9 * 8, OUTSIDE | P);				/* PT outside memory */
	put64(pdpt + 3 * 8, T4);				/* not present */
	put64(T1 + 2 * 8, T3 | P); /* what a page-aligned CR3 would pick */
	write_seed("pae", &pg, va);

	CHECK_WALK(&pg, va, D1 | 0x89, 3);
	CHECK_WALK(&pg, va | 0xffffffff00000000ULL, D1 | 0x89, 3);
	CHECK_WALK(&pg, (2ULL << 30) | (6 << 21) | 0x1abcd, 0x12341abcdULL, 2);
	CHECK_FAULT(&pg, (2ULL << 30) | (5 << 21) | (8 << 12), 3); /* PTE */
	CHECK_FAULT(&pg, (2ULL << 30) | (4 << 21), 2);		   /* PDE */
	CHECK_FAULT(&pg, 3ULL << 30, 1);			   /* PDPTE */
	CHECK_FAULT(&pg, 0, 1);					   /* PDPTE 0 is empty */
	CHECK_FAULT(&pg, (2ULL << 30) | (9 << 21), 3);		   /* PT outside memory */
	/* PAE ignores CR4.PSE: PS in a PDE is always a 2M page */
	pg.cr4 |= CR4_PSE_;
	CHECK_WALK(&pg, (2ULL << 30) | (6 << 21) | 0x1abcd, 0x12341abcdULL, 2);
	CHECK_EQ(fk.misaligned, 0);
}

/* 4-level indices of the test address */
#define I4			0x0feULL
#define I3			0x1a3ULL
#define I2			0x05bULL
#define I1			0x1c2ULL
#define VA(i4, i3, i2, i1, off) (((i4) << 39) | ((i3) << 30) | ((i2) << 21) | ((i1) << 12) | (off))

static void build_long(void)
{
	memset(mem, 0, sizeof(mem));
	put64(T1 + I4 * 8, T2 | P | RW);
	put64(T2 + I3 * 8, T3 | P | RW);
	put64(T3 + I2 * 8, T4 | P | RW);
	put64(T4 + I1 * 8, NX | HIGH_SW | D1 | P);
	put64(T4 + (I1 + 1) * 8, 0x000ffffffffff000ULL | P); /* the top of a 52-bit space */
	put64(T4 + (I1 + 2) * 8, D1 | RW);		     /* not present */
	put64(T3 + (I2 + 1) * 8, 0x7fe00000ULL | PAT_LARGE | PS | P);
	put64(T3 + (I2 + 2) * 8, OUTSIDE | P);
	put64(T3 + (I2 + 3) * 8, T4); /* not present */
	put64(T2 + (I3 + 1) * 8, (5ULL << 30) | 0x3fffe000ULL | PAT_LARGE | PS | P);
	put64(T2 + (I3 + 2) * 8, T3);	       /* not present */
	put64(T1 + 256 * 8, T2 | P);	       /* the kernel half shares the lower tables */
	put64(T1 + (I4 - 2) * 8, T2 | PS | P); /* PS is reserved in a PML4E */
}

static void test_long4(void)
{
	struct guest_paging pg = { .cr0 = CR0_PE | CR0_PG,
				   .cr3 = T1 | 0x5 | CR3_NOFLUSH,
				   .cr4 = CR4_PAE,
				   .efer = EFER_LME | EFER_LMA_ | EFER_NXE };
	const uint64_t va = VA(I4, I3, I2, I1, 0x9ab);
	const uint64_t kernel = 0xffff000000000000ULL | VA(256ULL, I3, I2, I1, 0x9ab);

	build_long();
	write_seed("long4", &pg, va);
	CHECK_WALK(&pg, va, D1 | 0x9ab, 4);
	CHECK_WALK(&pg, kernel, D1 | 0x9ab, 4);
	CHECK_WALK(&pg, VA(I4, I3, I2, I1 + 1, 0x123), 0x000ffffffffff123ULL, 4);
	CHECK_WALK(&pg, VA(I4, I3, I2 + 1, 0ULL, 0x1fffff), 0x7fffffffULL, 3);
	CHECK_WALK(&pg, VA(I4, I3 + 1, 0ULL, 0ULL, 0x12345678), (5ULL << 30) | 0x12345678, 2);
	CHECK_WALK(&pg, VA(I4 - 2, I3, I2, I1, 0x9abULL), D1 | 0x9ab, 4); /* PS ignored */
	CHECK_FAULT(&pg, VA(I4, I3, I2, I1 + 2, 0ULL), 4);		  /* PTE */
	CHECK_FAULT(&pg, VA(I4, I3, I2 + 3, 0ULL, 0ULL), 3);		  /* PDE */
	CHECK_FAULT(&pg, VA(I4, I3 + 2, 0ULL, 0ULL, 0ULL), 2);		  /* PDPTE */
	CHECK_FAULT(&pg, VA(I4 + 1, 0ULL, 0ULL, 0ULL, 0ULL), 1);	  /* PML4E */
	CHECK_FAULT(&pg, VA(I4, I3, I2 + 2, 0ULL, 0ULL), 4);		  /* PT outside */
	/* non-canonical: refused before any read */
	CHECK_FAULT(&pg, 0x0000800000000000ULL, 0);
	CHECK_FAULT(&pg, 0xffff7ffffffff000ULL, 0);
	CHECK_FAULT(&pg, va | (1ULL << 50), 0);
	/* LME with PG set is long mode even before the LMA bit is seen */
	pg.efer = EFER_LME;
	CHECK_WALK(&pg, va, D1 | 0x9ab, 4);
	/* long mode without PAE cannot exist */
	pg.cr4 = 0;
	CHECK_FAULT(&pg, va, 0);
	CHECK_EQ(fk.misaligned, 0);
}

static void test_long5(void)
{
	struct guest_paging pg = { .cr0 = CR0_PE | CR0_PG,
				   .cr3 = T5,
				   .cr4 = CR4_PAE | CR4_LA57_,
				   .efer = EFER_LME | EFER_LMA_ };
	const uint64_t low = VA(I4, I3, I2, I1, 0x9ab);
	const uint64_t va = (1ULL << 48) | low; /* canonical only with 57-bit addresses */

	build_long();
	put64(T5 + 1 * 8, T1 | P);
	put64(T5 + 0x1ff * 8, T1 | PS | P); /* PS is reserved in a PML5E too */
	write_seed("long5", &pg, va);
	CHECK_WALK(&pg, va, D1 | 0x9ab, 5);
	CHECK_WALK(&pg, 0xff00000000000000ULL | (0x1ffULL << 48) | low, D1 | 0x9ab, 5);
	CHECK_FAULT(&pg, low, 1); /* PML5E 0 not present */
	CHECK_FAULT(&pg, 0x0100000000000000ULL, 0);
	CHECK_FAULT(&pg, 0xfe00000000000000ULL, 0);
	CHECK_FAULT(&pg, VA(I4 + 1, 0ULL, 0ULL, 0ULL, 0ULL) | (1ULL << 48), 2);
	/* the same address under 4-level paging is non-canonical */
	pg.cr4 = CR4_PAE;
	pg.cr3 = T1;
	CHECK_FAULT(&pg, va, 0);
	CHECK_EQ(fk.misaligned, 0);
}

static void test_fetch(void)
{
	struct guest_paging pg = {
		.cr0 = CR0_PE | CR0_PG, .cr3 = T1, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA_
	};
	const uint64_t base = 0x400000; /* PML4E 0, PDPTE 0, PDE 2 */
	uint8_t out[GUEST_FETCH_MAX], want[GUEST_FETCH_MAX];

	memset(mem, 0, sizeof(mem));
	put64(T1, T2 | P);
	put64(T2, T3 | P);
	put64(T3 + 2 * 8, T4 | P);
	put64(T4 + 0 * 8, D2 | P);		       /* 0x400000 */
	put64(T4 + 1 * 8, D3 | P);		       /* 0x401000: not next to D2 */
	put64(T4 + 3 * 8, OUTSIDE | P);		       /* 0x403000: outside memory */
	put64(T4 + 4 * 8, (MEM_SIZE - PAGE_SIZE) | P); /* 0x404000: the last page */
	put64(T4 + 5 * 8, OUTSIDE | P);		       /* 0x405000 */
	for (unsigned i = 0; i < GUEST_FETCH_MAX; i++)
		want[i] = (uint8_t)(0xa0 + i);
	memcpy(mem + D2 + PAGE_SIZE - 8, want, 8);
	memcpy(mem + D3, want + 8, GUEST_FETCH_MAX - 8);
	memcpy(mem + D3 + PAGE_SIZE - 8, want, 8);
	memcpy(mem + MEM_SIZE - 5, want, 5);
	memcpy(mem + D2 + 0x100, want, GUEST_FETCH_MAX);
	write_seed("fetch_cross", &pg, base + PAGE_SIZE - 8);

	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_fetch_insn(&pg, base + PAGE_SIZE - 8, fake_read, &fk, out), 15);
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_fetch_insn(&pg, base + 0x100, fake_read, &fk, out), 15);
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	/* the next page is not present: what lies before the boundary */
	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_fetch_insn(&pg, base + 2 * PAGE_SIZE - 8, fake_read, &fk, out), 8);
	CHECK(memcmp(out, want, 8) == 0);
	CHECK_EQ(guest_fetch_insn(&pg, base + 2 * PAGE_SIZE, fake_read, &fk, out), 0);
	/* a PTE pointing outside guest memory: it translates, but nothing can be read */
	CHECK_EQ(walk(&pg, base + 3 * PAGE_SIZE), 0);
	CHECK_EQ(got, OUTSIDE);
	CHECK_EQ(guest_fetch_insn(&pg, base + 3 * PAGE_SIZE, fake_read, &fk, out), 0);
	/* ... and one reached by crossing from the last page of memory */
	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_fetch_insn(&pg, base + 5 * PAGE_SIZE - 5, fake_read, &fk, out), 5);
	CHECK(memcmp(out, want, 5) == 0);
	/* non-canonical */
	CHECK_EQ(guest_fetch_insn(&pg, 0x0000800000000000ULL, fake_read, &fk, out), 0);

	/* without paging: the end of guest memory */
	pg.cr0 = CR0_PE;
	memset(out, 0, sizeof(out));
	CHECK_EQ(guest_fetch_insn(&pg, MEM_SIZE - 5, fake_read, &fk, out), 5);
	CHECK(memcmp(out, want, 5) == 0);
	CHECK_EQ(guest_fetch_insn(&pg, MEM_SIZE, fake_read, &fk, out), 0);
	CHECK_EQ(fk.misaligned, 0);
}

int main(void)
{
	test_no_paging();
	test_32bit();
	test_pae();
	test_long4();
	test_long5();
	test_fetch();
	return check_summary();
}
