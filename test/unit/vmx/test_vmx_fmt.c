// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX formats (vmx/vmx_fmt.c): the start states' segments as VM entry
 * checks them, EPT leaves, the MSR bitmap's layout, the I/O exit
 * qualification, and the CR0 and XCR0 values the back end completes.
 */
#include <bulkhead/table.h>

#include "../check.h"
#include "vmx/vmx_fmt.h"

static void test_seg_ar(void)
{
	/* 64-bit code (attr 0x029b) with a 4 GiB limit: G set, L moved to bit 13 */
	CHECK_EQ(vmx_seg_ar(0x029b, 0xffffffff), 0xa09bu);
	/* flat data (0x0c93): D/B and G */
	CHECK_EQ(vmx_seg_ar(0x0c93, 0xffffffff), 0xc093u);
	/* real mode (0x0093, limit 0xffff) and a TSS (0x008b, 0x67): G clear */
	CHECK_EQ(vmx_seg_ar(0x0093, 0xffff), 0x0093u);
	CHECK_EQ(vmx_seg_ar(0x008b, 0x67), 0x008bu);
	/* G given with a small limit: cleared, VM entry would refuse it */
	CHECK_EQ(vmx_seg_ar(0x0893, 0xffff), 0x0093u);
	/* not present: unusable, nothing else */
	CHECK_EQ(vmx_seg_ar(0x0013, 0xffff), 1u << 16);
	CHECK_EQ(vmx_seg_ar(0, 0), 1u << 16);
	/* and back */
	CHECK_EQ(vmx_ar_attr(0xa09b), 0x0a9bu);
	CHECK_EQ(vmx_ar_attr(0xc093), 0x0c93u);
	CHECK_EQ(vmx_ar_attr(1u << 16), 0u);
}

static void test_ept_leaf(void)
{
	/* RAM: R/W/X, write-back */
	CHECK_EQ(vmx_ept_leaf(0x20000000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC, 0),
		 0x20000000ULL | 7 | (6 << 3));
	/* a 2 MiB read-only leaf: R, WB, large */
	CHECK_EQ(vmx_ept_leaf(0x40000000, BH_MEM_READ, 1), 0x40000000ULL | 1 | (6 << 3) | 0x80);
	/* MMIO: uncached (memory type 0), not executable */
	CHECK_EQ(vmx_ept_leaf(0xfe000000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO, 0),
		 0xfe000000ULL | 3);
	/* the format is address | attributes, as stage2.c requires */
	CHECK_EQ(vmx_ept_leaf(0x1000, BH_MEM_WRITE, 0) & ~0xfffULL, 0x1000ULL);
}

static void test_msr_bit(void)
{
	CHECK_EQ(vmx_msr_bit(0x10, false), 0x10);
	CHECK_EQ(vmx_msr_bit(0x10, true), 2048 * 8 + 0x10);
	CHECK_EQ(vmx_msr_bit(0x1fff, false), 0x1fff);
	CHECK_EQ(vmx_msr_bit(0xc0000080, false), 1024 * 8 + 0x80);
	CHECK_EQ(vmx_msr_bit(0xc0000102, true), 3072 * 8 + 0x102);
	CHECK_EQ(vmx_msr_bit(0xc0001fff, true), 3072 * 8 + 0x1fff);
	/* outside both ranges: no bit, always intercepted */
	CHECK_EQ(vmx_msr_bit(0x2000, false), -1);
	CHECK_EQ(vmx_msr_bit(0xbfffffff, true), -1);
	CHECK_EQ(vmx_msr_bit(0xc0002000, false), -1);
	CHECK_EQ(vmx_msr_bit(0xc0010114, true), -1); /* AMD's VM_CR: never passed */
	CHECK_EQ(vmx_msr_bit(0xffffffff, false), -1);
}

static void test_io(void)
{
	struct vexit e;

	/* out dx, al to 0x3f8 */
	vmx_decode_io(0x03f80000, 0, true, 0x029b, &e);
	CHECK_EQ(e.kind, VEXIT_IO);
	CHECK_EQ(e.io.port, 0x3f8);
	CHECK_EQ(e.io.size, 1);
	CHECK(!e.io.in && !e.io.str && !e.io.rep);
	/* in eax, 0xcfc */
	vmx_decode_io(0x0cfc0000 | 3 | 8, 0, true, 0x029b, &e);
	CHECK_EQ(e.io.port, 0xcfc);
	CHECK_EQ(e.io.size, 4);
	CHECK(e.io.in);
	/* rep outsw with a 32-bit address size from the instruction information */
	vmx_decode_io(0x03f80000 | 1 | 0x10 | 0x20, 1u << 7, true, 0x029b, &e);
	CHECK_EQ(e.io.size, 2);
	CHECK(e.io.str && e.io.rep);
	CHECK_EQ(e.io.addr_size, 4);
	vmx_decode_io(0x03f80010, 0, true, 0x029b, &e);
	CHECK_EQ(e.io.addr_size, 2);
	vmx_decode_io(0x03f80010, 2u << 7, true, 0x0c9b, &e);
	CHECK_EQ(e.io.addr_size, 8);
	/* a reserved encoding reads as 64-bit, never a size the emulation cannot use */
	vmx_decode_io(0x03f80010, 3u << 7, true, 0x0c9b, &e);
	CHECK_EQ(e.io.addr_size, 8);
	/* without the information: the code segment's default (L, then D) */
	vmx_decode_io(0x03f80010, 0xffffffff, false, 0x029b, &e);
	CHECK_EQ(e.io.addr_size, 8);
	vmx_decode_io(0x03f80010, 0, false, 0x0c9b, &e);
	CHECK_EQ(e.io.addr_size, 4);
	vmx_decode_io(0x03f80010, 0, false, 0x009b, &e);
	CHECK_EQ(e.io.addr_size, 2);
}

static void test_cr0(void)
{
	CHECK(vmx_cr0_ok(0x80050033));
	CHECK(vmx_cr0_ok(0x60000010)); /* CD and NW, real mode: the reset value */
	CHECK(vmx_cr0_ok(0x11));
	CHECK(!vmx_cr0_ok(0x80000000)); /* paging without protection */
	CHECK(!vmx_cr0_ok(0x20000011)); /* NW without CD */
	CHECK(!vmx_cr0_ok(1ULL << 32)); /* reserved high half */
}

static void test_xcr0(void)
{
	uint64_t sky = 0x2ff; /* x87, SSE, AVX, MPX, AVX-512, PKRU */

	CHECK(vmx_xcr0_ok(0, 1, sky));
	CHECK(vmx_xcr0_ok(0, 7, sky));
	CHECK(vmx_xcr0_ok(0, 0xe7, sky));
	CHECK(vmx_xcr0_ok(0, 0x207, sky));
	CHECK(!vmx_xcr0_ok(1, 7, sky));	     /* XCR1 is not writable */
	CHECK(!vmx_xcr0_ok(0, 0, sky));	     /* x87 must stay */
	CHECK(!vmx_xcr0_ok(0, 6, sky));	     /* likewise */
	CHECK(!vmx_xcr0_ok(0, 5, sky));	     /* AVX without SSE */
	CHECK(!vmx_xcr0_ok(0, 0x67, sky));   /* AVX-512 in part */
	CHECK(!vmx_xcr0_ok(0, 0xe3, sky));   /* AVX-512 without AVX */
	CHECK(!vmx_xcr0_ok(0, 0x1007, sky)); /* a component the CPU lacks */
	CHECK(vmx_xcr0_ok(0, 3, 3));
	CHECK(!vmx_xcr0_ok(0, 7, 3));
}

int main(void)
{
	test_seg_ar();
	test_ept_leaf();
	test_msr_bit();
	test_io();
	test_cr0();
	test_xcr0();
	return check_summary();
}
