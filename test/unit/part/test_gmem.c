// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for guest memory access (core/gmem.c): every range it must refuse. */
#include "../check.h"
#include "core/errno.h"
#include "part_fixture.h"

static struct partition part;

static void test_region_of(void)
{
	struct partition *p = &part;

	CHECK(part_region_of(p, FX_RAM_GPA) == &p->regions[FX_RAM]);
	CHECK(part_region_of(p, FX_RAM_GPA + FX_RAM_SIZE - 1) == &p->regions[FX_RAM]);
	CHECK(part_region_of(p, FX_RAM_GPA + FX_RAM_SIZE) == &p->regions[FX_RAM2]);
	CHECK(part_region_of(p, FX_IO_GPA + 0x10) == &p->regions[FX_IO]);
	CHECK(part_region_of(p, FX_RAM_GPA - 1) == NULL);
	CHECK(part_region_of(p, 0) == NULL);
	CHECK(part_region_of(p, ~0ull) == NULL);
}

static void test_ptr_good(void)
{
	struct partition *p = &part;

	CHECK(gmem_ptr(p, FX_RAM_GPA, 1, false) == fx_host(p, FX_RAM, FX_RAM_GPA));
	CHECK(gmem_ptr(p, FX_RAM_GPA, FX_RAM_SIZE, true) == fx_host(p, FX_RAM, FX_RAM_GPA));
	CHECK(gmem_ptr(p, FX_RAM_GPA + 0x1234, 8, true) == fx_host(p, FX_RAM, FX_RAM_GPA + 0x1234));
	/* the last byte of a region */
	CHECK(gmem_ptr(p, FX_RAM_GPA + FX_RAM_SIZE - 1, 1, false) ==
	      fx_host(p, FX_RAM, FX_RAM_GPA + FX_RAM_SIZE - 1));
	/* shared memory is RAM too */
	CHECK(gmem_ptr(p, FX_SH_GPA + 0x100, 0x100, false) ==
	      fx_host(p, FX_SHARED, FX_SH_GPA + 0x100));
	CHECK(gmem_ptr(p, FX_SH_GPA, 0x10000, true) == fx_host(p, FX_SHARED, FX_SH_GPA));
	/* read-only: reads yes; write-only: writes yes */
	CHECK(gmem_ptr(p, FX_RO_GPA, 16, false) == fx_host(p, FX_RO, FX_RO_GPA));
	CHECK(gmem_ptr(p, FX_WO_GPA, 16, true) == fx_host(p, FX_WO, FX_WO_GPA));
}

static void test_ptr_refused(void)
{
	struct partition *p = &part;

	/* length 0 */
	CHECK(gmem_ptr(p, FX_RAM_GPA, 0, false) == NULL);
	CHECK(gmem_ptr(p, FX_RAM_GPA, 0, true) == NULL);
	/* wrap-around, and a range that ends exactly at 2^64 */
	CHECK(gmem_ptr(p, FX_RAM_GPA, ~0ull, false) == NULL);
	CHECK(gmem_ptr(p, FX_RAM_GPA + 0x10, 0xfffffffffffffff8ull, false) == NULL);
	CHECK(gmem_ptr(p, 0xfffffffffffff000ull, 0x2000, false) == NULL);
	CHECK(gmem_ptr(p, 0xfffffffffffff000ull, 0x1000, false) == NULL);
	/* outside every region; in the gap below RAM */
	CHECK(gmem_ptr(p, 0x1000, 4, false) == NULL);
	CHECK(gmem_ptr(p, FX_RAM_GPA - 4, 4, false) == NULL);
	/* starting in a gap, ending in RAM */
	CHECK(gmem_ptr(p, FX_RAM_GPA - 4, 8, false) == NULL);
	/* spanning two regions that touch in guest space */
	CHECK(gmem_ptr(p, FX_RAM_GPA + FX_RAM_SIZE - 4, 8, false) == NULL);
	CHECK(gmem_ptr(p, FX_RAM_GPA, FX_RAM_SIZE + 1, true) == NULL);
	/* running past the last region */
	CHECK(gmem_ptr(p, FX_WO_GPA + 0xff0, 0x20, true) == NULL);
	/* IO regions never, whatever their flags */
	CHECK(gmem_ptr(p, FX_IO_GPA, 4, false) == NULL);
	CHECK(gmem_ptr(p, FX_IO_GPA, 4, true) == NULL);
	/* write without BH_MEM_WRITE, read without BH_MEM_READ */
	CHECK(gmem_ptr(p, FX_RO_GPA, 4, true) == NULL);
	CHECK(gmem_ptr(p, FX_WO_GPA, 4, false) == NULL);
}

static void test_read_write(void)
{
	struct partition *p = &part;
	uint8_t buf[32], back[32];

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	CHECK_EQ(gmem_write(p, FX_RAM2_GPA + 0x101, buf, sizeof(buf)), 0);
	CHECK(memcmp(fx_host(p, FX_RAM2, FX_RAM2_GPA + 0x101), buf, sizeof(buf)) == 0);
	memset(back, 0, sizeof(back));
	CHECK_EQ(gmem_read(p, FX_RAM2_GPA + 0x101, back, sizeof(back)), 0);
	CHECK(memcmp(back, buf, sizeof(buf)) == 0);

	memset(back, 0x5a, sizeof(back));
	CHECK_EQ(gmem_read(p, FX_IO_GPA, back, sizeof(back)), -HV_EFAULT);
	CHECK(fx_all(back, sizeof(back), 0x5a)); /* nothing copied */
	CHECK_EQ(gmem_read(p, FX_WO_GPA, back, 4), -HV_EFAULT);
	CHECK_EQ(gmem_read(p, FX_RAM_GPA, back, 0), -HV_EFAULT);
	CHECK_EQ(gmem_write(p, FX_RO_GPA, buf, 4), -HV_EFAULT);
	CHECK(fx_all(fx_host(p, FX_RO, FX_RO_GPA), 4, FX_FILL));
	CHECK_EQ(gmem_write(p, FX_RAM_GPA + FX_RAM_SIZE - 8, buf, 16), -HV_EFAULT);
	CHECK(fx_all(fx_host(p, FX_RAM, FX_RAM_GPA + FX_RAM_SIZE - 8), 8, FX_FILL));
	CHECK_EQ(gmem_write(p, 0x1000, buf, 4), -HV_EFAULT);
	CHECK_EQ(gmem_write(p, FX_RO_GPA, buf, 4), -HV_EFAULT);
	CHECK_EQ(gmem_read(p, FX_RO_GPA, back, 4), 0);
	CHECK_EQ(gmem_write(p, FX_WO_GPA, buf, 4), 0);
}

/* A corrupt region count must not walk off the regions array. */
static void test_bad_count(void)
{
	struct partition *p = &part;
	uint32_t saved = p->region_count;

	p->region_count = 0xffffffffu;
	CHECK(gmem_ptr(p, FX_RAM_GPA, 4, false) != NULL);
	CHECK(gmem_ptr(p, 0x7f000000, 4, false) == NULL);
	p->region_count = 0;
	CHECK(gmem_ptr(p, FX_RAM_GPA, 4, false) == NULL);
	CHECK(part_region_of(p, FX_RAM_GPA) == NULL);
	p->region_count = saved;
}

int main(void)
{
	fx_init(&part);
	test_region_of();
	test_ptr_good();
	test_ptr_refused();
	test_read_write();
	test_bad_count();
	fx_free(&part);
	return check_summary();
}
