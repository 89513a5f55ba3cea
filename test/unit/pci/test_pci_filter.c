// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for arch/x86_64/pci_filter.c on a fake configuration space: each
 * byte has a value and a mask of the bits a write changes, which is enough to
 * model BAR sizing (address bits below the size are not writable), read-only
 * registers and a capability list. Covers probing (and malformed functions),
 * every write rule with its exact reason, and the sequences Linux uses: BAR
 * sizing and restore, 64-bit BAR reassignment, MSI programming.
 */
#include "../check.h"
#include "root/pci_filter.h"
#include "core/errno.h"

struct fake {
	uint8_t cfg[4096];
	uint8_t wmask[4096];
};

static struct fake dev;
static struct pci_func_info fi;
static char why[160];

static uint32_t fake_rd(void *ctx, uint16_t off, unsigned size)
{
	struct fake *f = ctx;
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void fake_wr(void *ctx, uint16_t off, unsigned size, uint32_t val)
{
	struct fake *f = ctx;

	for (unsigned i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(val >> (8 * i)), m = f->wmask[off + i];

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | (b & m));
	}
}

static void set(unsigned off, unsigned size, uint32_t val, uint32_t wmask)
{
	for (unsigned i = 0; i < size; i++) {
		dev.cfg[off + i] = (uint8_t)(val >> (8 * i));
		dev.wmask[off + i] = (uint8_t)(wmask >> (8 * i));
	}
}

/* Type 0 endpoint: see the offsets below. */
#define A_BAR0	  0xc0000000u	 /* mem32, 4 KiB */
#define A_BAR1	  0xe000u	 /* I/O, 32 ports */
#define A_BAR2	  0x200000000ull /* mem64 prefetchable, 1 MiB (BAR2/BAR3) */
#define A_BAR5	  0xc0010000u	 /* mem32, 16 KiB: MSI-X table */
#define A_ROM	  0xc0040000u	 /* 64 KiB */
#define A_PM	  0x40
#define A_MSI	  0x50
#define A_MSIX	  0x70
#define A_PCIE	  0x80
#define A_AER	  0x100
#define A_REBAR	  0x140
#define MSI_64	  0x0080u
#define MSI_MASK  0x0100u
#define MSI_MMC_4 0x0004u /* 4 vectors capable */

static void dev_a(void)
{
	memset(&dev, 0, sizeof(dev));
	set(0x00, 4, 0x12348086, 0);
	set(0x04, 2, 0, 0x0547);
	set(0x06, 2, 0x0010, 0); /* capability list */
	set(0x08, 4, 0x02000001, 0);
	set(0x0c, 2, 0, 0xffff);
	set(0x10, 4, A_BAR0, 0xfffff000u);
	set(0x14, 4, A_BAR1 | 1, 0xffffffe0u);
	set(0x18, 4, (uint32_t)A_BAR2 | 0xc, 0xfff00000u);
	set(0x1c, 4, (uint32_t)(A_BAR2 >> 32), 0xffffffffu);
	set(0x24, 4, A_BAR5, 0xffffc000u);
	set(0x30, 4, A_ROM, 0xffff0001u);
	set(0x34, 1, A_PM, 0);
	set(0x3c, 1, 0, 0xff);
	set(0x3d, 1, 1, 0);
	set(A_PM, 4, 0x00035001, 0);
	set(A_PM + 4, 4, 0, 0x3);
	set(A_MSI, 2, 0x7005, 0);
	set(A_MSI + 2, 2, MSI_64 | MSI_MASK | MSI_MMC_4, 0x0071);
	set(A_MSI + 4, 4, 0, 0xfffffffcu);
	set(A_MSI + 8, 4, 0, 0xffffffffu);
	set(A_MSI + 0xc, 2, 0, 0xffff);
	set(A_MSI + 0x10, 4, 0, 0xf);
	set(A_MSIX, 2, 0x8011, 0);
	set(A_MSIX + 2, 2, 7, 0xc000); /* 8 entries */
	set(A_MSIX + 4, 4, 0x0000 | 5, 0);
	set(A_MSIX + 8, 4, 0x0800 | 5, 0);
	set(A_PCIE, 2, 0x0010, 0);
	set(A_PCIE + 8, 2, 0, 0xffff); /* device control */
	set(A_AER, 4, (uint32_t)A_REBAR << 20 | 0x00010001, 0);
	set(A_AER + 8, 4, 0, 0xffffffffu);
	set(A_REBAR, 4, 0x00010015, 0);
	set(A_REBAR + 4, 4, 0x00000ff0, 0);
	set(A_REBAR + 8, 4, 0x00000020 | 2, 0x3f00); /* one BAR, BAR2 */
}

#define B_BAR0 0xc0020000u

/* Type 1 bridge with 32-bit I/O and 64-bit prefetchable windows. */
static void dev_b(void)
{
	memset(&dev, 0, sizeof(dev));
	set(0x00, 4, 0xabcd8086, 0);
	set(0x04, 2, 0, 0x0547);
	set(0x08, 4, 0x06040000, 0);
	set(0x0e, 1, 0x01, 0);
	set(0x10, 4, B_BAR0, 0xfffff000u);
	set(0x18, 4, 0x00020100, 0xffffffffu);
	set(0x1c, 2, 0x01f1, 0xf0f0);	       /* I/O window disabled, 32-bit */
	set(0x20, 4, 0x0000fff0, 0xfff0fff0u); /* memory window disabled */
	set(0x24, 4, 0x0001fff1, 0xfff0fff0u); /* prefetchable disabled, 64-bit */
	set(0x28, 4, 0, 0xffffffffu);
	set(0x2c, 4, 0, 0xffffffffu);
	set(0x30, 4, 0, 0xffffffffu);
	set(0x38, 4, 0, 0xfffff801u);
	set(0x3c, 1, 0, 0xff);
	set(0x3e, 2, 0, 0x007f);
}

static const struct pci_range mmio[] = {
	{ 0xc0000000u, 0x100000u },
	{ 0x200000000ull, 0x10000000u },
};
static const struct pci_range pio[] = { { 0xe000u, 0x100u }, { 0x3b0u, 0x30u } };
static const uint32_t apics[] = { 0, 2 };
static struct bh_pci_window wins[2];
static struct pci_policy pol;

static void policy(uint32_t cfg_write)
{
	pol = (struct pci_policy){
		.mmio = mmio,
		.n_mmio = 2,
		.pio = pio,
		.n_pio = 1,
		.apic_ids = apics,
		.n_apic = 2,
		.cfg_write = cfg_write,
		.windows = wins,
		.n_windows = 0,
	};
}

/* The check, and when it passes the write itself (so sequences build state). */
static bool w(uint16_t off, unsigned size, uint32_t val)
{
	why[0] = 0;
	if (!pci_cfg_write_allowed(&fi, &pol, fake_rd, &dev, off, size, val, why, sizeof(why)))
		return false;
	fake_wr(&dev, off, size, val);
	return true;
}

#define CHECK_REFUSED(off, size, val, msg) \
	do {                               \
		CHECK(!w(off, size, val)); \
		CHECK_STR(why, msg);       \
	} while (0)

static int probe(void)
{
	test_log_clear();
	return pci_func_probe(fake_rd, fake_wr, &dev, &fi);
}

static void test_probe_a(void)
{
	struct fake before;

	dev_a();
	set(0x04, 2, 0x0006, 0x0547); /* decode on: probe turns it off and back on */
	before = dev;
	CHECK_EQ(probe(), 0);
	CHECK(memcmp(&before, &dev, sizeof(dev)) == 0);
	CHECK_EQ(fi.header_type, 0);
	CHECK_EQ(fi.n_bars, 6);
	CHECK_EQ(fi.bar[0].kind, PCI_BAR_MEM32);
	CHECK_EQ(fi.bar[0].size, 0x1000);
	CHECK_EQ(fi.bar[1].kind, PCI_BAR_IO);
	CHECK_EQ(fi.bar[1].size, 0x20);
	CHECK_EQ(fi.bar[2].kind, PCI_BAR_MEM64);
	CHECK(fi.bar[2].prefetch);
	CHECK_EQ(fi.bar[2].size, 0x100000);
	CHECK_EQ(fi.bar[2].mask, 0xfffffffffff00000ull);
	CHECK_EQ(fi.bar[3].kind, PCI_BAR_MEM64_HI);
	CHECK_EQ(fi.bar[4].kind, PCI_BAR_MEM32);
	CHECK_EQ(fi.bar[4].size, 0);
	CHECK_EQ(fi.bar[5].size, 0x4000);
	CHECK_EQ(fi.rom.kind, PCI_BAR_ROM);
	CHECK_EQ(fi.rom.size, 0x10000);
	CHECK_EQ(fi.msi_cap, A_MSI);
	CHECK_EQ(fi.msi_ctrl, MSI_64 | MSI_MASK | MSI_MMC_4);
	CHECK_EQ(fi.msix_cap, A_MSIX);
	CHECK_EQ(fi.msix_bir, 5);
	CHECK_EQ(fi.msix_offset, 0);
	CHECK_EQ(fi.msix_entries, 8);
	CHECK_EQ(fi.n_locked, 1);
	CHECK_EQ(fi.locked[0].off, A_REBAR);
	CHECK_EQ(fi.locked[0].len, 16);
}

static void test_probe_bad(void)
{
	dev_a();
	set(0, 2, 0xffff, 0);
	CHECK_EQ(probe(), -HV_ENODEV);
	CHECK_LOG("pci: no function answers (vendor ID 0xffff)");

	dev_a();
	set(A_PCIE + 1, 1, A_MSI, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: capability list loops back to 0x50 (from 0x80)");

	dev_a();
	set(A_MSI + 1, 1, 0x20, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: capability pointer 0x20 (at 0x50) is below 0x40");

	/* 48 capabilities fill 0x40-0xff: fine; a 49th can only loop. */
	dev_a();
	for (unsigned p = 0x40; p < 0x100; p += 4)
		set(p, 2, (p + 4 < 0x100 ? p + 4 : 0) << 8 | 0x09, 0);
	CHECK_EQ(probe(), 0);
	CHECK_EQ(fi.msi_cap, 0);
	set(0xfc + 1, 1, 0x40, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: capability list loops back to 0x40 (from 0xfc)");

	dev_a();
	set(A_PCIE + 1, 1, 0x90, 0);
	set(0x90, 2, 0x0005, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: second MSI capability at 0x90 (first at 0x50)");

	dev_a();
	set(A_MSIX + 4, 4, 0x3ff0 | 5, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: MSI-X table (BIR 5, offset 0x3ff0, 8 entries) is not inside a memory BAR");

	dev_a();
	set(0x10, 4, A_BAR0, 0xfff0f000u);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: BAR0 size mask 0xfff0f000 is not a power-of-two size");
	/* Decode stays as it was after a failed probe. */
	CHECK_EQ(fake_rd(&dev, 4, 2), 0);

	dev_a();
	set(0x10, 4, A_BAR0 | 0x100000, 0xffeff000u);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: BAR0 has address bits 0x100000 that stay set when written 0");

	dev_a();
	set(0x24, 4, 0x4, 0xfff00000u);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: BAR5 0x4 is 64-bit but is the last BAR");

	dev_a();
	set(0x10, 4, A_BAR0 | 0x6, 0xfffff000u);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: BAR0 0xc0000006 has the reserved memory type 3");

	dev_a();
	set(A_REBAR, 4, (uint32_t)A_AER << 20 | 0x00010015, 0);
	CHECK_EQ(probe(), -HV_EBADMSG);
	CHECK_LOG("pci: extended capability list loops back to 0x100 (from 0x140)");
}

static void test_basic_rules(void)
{
	dev_a();
	CHECK_EQ(probe(), 0);
	policy(0);
	CHECK_REFUSED(0x11, 2, 0, "write of 2 bytes at 0x11 is misaligned or past 4 KiB");
	CHECK_REFUSED(0xffe, 4, 0, "write of 4 bytes at 0xffe is misaligned or past 4 KiB");
	CHECK_REFUSED(0x10, 3, 0, "write of 3 bytes at 0x10 is misaligned or past 4 KiB");
	CHECK(!pci_cfg_write_allowed(&fi, &pol, fake_rd, &dev, 0xfff, 2, 0, NULL, 0));
	CHECK(w(0x00, 4, 0xdeadbeef)); /* read-only: the device ignores it */
	CHECK_EQ(fake_rd(&dev, 0, 4), 0x12348086);
	CHECK(w(0x0c, 1, 0x10));
	CHECK(w(0x0d, 1, 0x40));
	CHECK(w(0x3c, 1, 11));
	CHECK_REFUSED(0x04, 2, 0x0006,
		      "write to 0x004 (COMMAND/STATUS/BIST) needs cfg_write COMMAND");
	CHECK_REFUSED(0x0c, 4, 0, "write to 0x00f (COMMAND/STATUS/BIST) needs cfg_write COMMAND");
	CHECK_REFUSED(0x10, 4, A_BAR0, "write to 0x010 (BAR0) needs cfg_write BARS");
	CHECK_REFUSED(0x30, 4, A_ROM | 1, "write to 0x030 (expansion ROM) needs cfg_write ROM");
	CHECK_REFUSED(A_MSI + 2, 2, 1, "write to 0x052 (MSI capability) needs cfg_write MSI");
	CHECK_REFUSED(A_MSIX + 2, 2, 0x8000,
		      "write to 0x072 (MSI-X message control) needs cfg_write MSIX");
	CHECK_REFUSED(A_PM + 4, 2, 3, "write to 0x044 (capability) needs cfg_write CAPS");
	CHECK_REFUSED(A_AER + 8, 4, 0,
		      "write to 0x108 (extended configuration space) needs cfg_write EXT");
	/* A window grants bytes of its own. */
	wins[0] = (struct bh_pci_window){ A_PM + 4, 2 };
	pol.n_windows = 1;
	CHECK(w(A_PM + 4, 2, 3));
	CHECK_REFUSED(A_PM + 4, 4, 3, "write to 0x046 (capability) needs cfg_write CAPS");
	policy(BH_PCI_CFG_W_CAPS | BH_PCI_CFG_W_EXT | BH_PCI_CFG_W_COMMAND);
	CHECK(w(A_PM + 4, 4, 0));
	CHECK(w(A_AER + 8, 4, 0x1234));
	CHECK(w(0x04, 2, 0x0006));
	CHECK(w(0x0f, 1, 0x40));
	/* Never, whatever cfg_write says. */
	policy(BH_PCI_CFG_W_ALL);
	CHECK_REFUSED(A_MSIX + 4, 4, 0x1000 | 5,
		      "write to 0x074 (MSI-X table/PBA location) is never allowed");
	CHECK_REFUSED(A_REBAR + 8, 4, 0x100 | 2,
		      "write to 0x148 (SR-IOV/Resizable BAR capability) is never allowed");
	wins[0] = (struct bh_pci_window){ A_MSIX, 12 };
	pol.n_windows = 1;
	CHECK(!w(A_MSIX + 8, 4, 0));
}

static void test_bars(void)
{
	dev_a();
	CHECK_EQ(probe(), 0);
	policy(BH_PCI_CFG_W_DEFAULT);

	/* Decode off: a BAR may hold anything; turning decode on checks them all. */
	CHECK(w(0x10, 4, 0xfed00000u));
	CHECK_REFUSED(0x04, 2, 0x0002,
		      "BAR0 0xfed00000 (size 0x1000) outside the partition's device memory");
	CHECK(w(0x04, 2, 0x0001)); /* I/O decode only: BAR1 is inside */
	CHECK(w(0x10, 4, A_BAR0 + 0x1000));
	CHECK(w(0x04, 2, 0x0007));
	CHECK(pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why)));

	/* Decode on: the BAR as it would be must be inside. */
	CHECK_REFUSED(0x10, 4, 0xfed00000u,
		      "BAR0 0xfed00000 (size 0x1000) outside the partition's device memory");
	CHECK(w(0x10, 4, 0xc00ff000u)); /* the last page of the window: fine */
	CHECK_REFUSED(0x13, 1, 0xfe,
		      "BAR0 0xfe0ff000 (size 0x1000) outside the partition's device memory");
	CHECK_REFUSED(0x14, 4, 0xf001, "BAR1 0xf000 (size 0x20) outside the partition's I/O ports");
	CHECK(w(0x14, 4, 0xe0e1));
	CHECK_REFUSED(0x14, 4, 0xe101, "BAR1 0xe100 (size 0x20) outside the partition's I/O ports");
	CHECK(w(0x14, 4, 0xe0f1));     /* size-aligned down to 0xe0e0 */
	CHECK(w(0x20, 4, 0x12345678)); /* BAR4 not implemented */

	/* Sizing with decode on (Linux does so for host bridges): all-ones, then restore. */
	CHECK(w(0x10, 4, 0xffffffffu));
	CHECK_EQ(fake_rd(&dev, 0x10, 4), 0xfffff000u);
	CHECK(w(0x10, 4, A_BAR0));
	/* A partial all-ones write would move the BAR: checked as any other. */
	CHECK_REFUSED(0x12, 2, 0xffff,
		      "BAR0 0xffff0000 (size 0x1000) outside the partition's device memory");
	/* ... and the all-ones BAR cannot stay decoding across a COMMAND write. */
	CHECK(w(0x10, 4, 0xffffffffu));
	CHECK_REFUSED(0x04, 2, 0x0007,
		      "BAR0 0xfffff000 (size 0x1000) outside the partition's device memory");
	CHECK(!pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why)));
	CHECK(w(0x10, 4, A_BAR0));

	/* 64-bit BAR, decode on: the upper half first would land outside. */
	CHECK_REFUSED(0x1c, 4, 0x3,
		      "BAR2 0x300000000 (size 0x100000) outside the partition's device memory");
	CHECK(w(0x18, 4, 0x00400000 | 0xc));
	CHECK_EQ(fake_rd(&dev, 0x18, 4), 0x0040000c);
	/* Linux's reassignment: decode off, low, high, decode back on. */
	CHECK(w(0x04, 2, 0x0005));
	CHECK(w(0x18, 4, 0x20000000 | 0xc));
	CHECK(w(0x1c, 4, 0x0));
	CHECK_REFUSED(0x04, 2, 0x0007,
		      "BAR2 0x20000000 (size 0x100000) outside the partition's device memory");
	CHECK(w(0x18, 4, 0x08000000 | 0xc));
	CHECK(w(0x1c, 4, 0x2));
	CHECK(w(0x04, 2, 0x0007));
	CHECK(pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why)));
	/* Linux's sizing of the 64-bit BAR with decode on: each half in turn. */
	CHECK(w(0x18, 4, 0xffffffffu));
	CHECK(w(0x18, 4, 0x08000000 | 0xc));
	CHECK(w(0x1c, 4, 0xffffffffu));
	CHECK(w(0x1c, 4, 0x2));
	/* Linux's sizing with decode off: all allowed, and enabling passes after the restore. */
	CHECK(w(0x04, 2, 0x0004));
	for (unsigned i = 0; i < 6; i++) {
		uint32_t old = fake_rd(&dev, (uint16_t)(0x10 + 4 * i), 4);

		CHECK(w((uint16_t)(0x10 + 4 * i), 4, 0xffffffffu));
		CHECK(w((uint16_t)(0x10 + 4 * i), 4, old));
	}
	CHECK(w(0x04, 2, 0x0007));

	/* W_ALL does not lift the address check. */
	policy(BH_PCI_CFG_W_ALL);
	CHECK_REFUSED(0x10, 4, 0xfed00000u,
		      "BAR0 0xfed00000 (size 0x1000) outside the partition's device memory");
	/* Nor does a window over the BAR. */
	policy(0);
	wins[0] = (struct bh_pci_window){ 0x10, 4 };
	pol.n_windows = 1;
	CHECK_REFUSED(0x10, 4, 0xfed00000u,
		      "BAR0 0xfed00000 (size 0x1000) outside the partition's device memory");
	CHECK(w(0x10, 4, A_BAR0 + 0x2000));
}

static void test_rom(void)
{
	dev_a();
	CHECK_EQ(probe(), 0);
	policy(BH_PCI_CFG_W_DEFAULT | BH_PCI_CFG_W_ROM);
	CHECK(w(0x04, 2, 0x0002));
	CHECK(w(0x30, 4, 0xfffff800u)); /* Linux's ROM sizing: enable bit clear */
	CHECK_EQ(fake_rd(&dev, 0x30, 4), 0xffff0000u);
	CHECK_REFUSED(
		0x30, 4, 0xffff0001u,
		"expansion ROM 0xffff0000 (size 0x10000) outside the partition's device memory");
	CHECK(w(0x30, 4, A_ROM));
	CHECK(w(0x30, 1, 0x01)); /* the enable bit alone */
	CHECK_REFUSED(
		0x32, 2, 0xfed0,
		"expansion ROM 0xfed00000 (size 0x10000) outside the partition's device memory");
	CHECK(w(0x30, 4, 0));
	CHECK(w(0x04, 2, 0x0000));
	CHECK(w(0x30, 4, 0xfed00001u));
	CHECK_REFUSED(
		0x04, 2, 0x0002,
		"expansion ROM 0xfed00000 (size 0x10000) outside the partition's device memory");
}

static void test_msi(void)
{
	dev_a();
	CHECK_EQ(probe(), 0);
	policy(BH_PCI_CFG_W_DEFAULT);
	/* Linux: control, address low, high, data, then enable. Data is 0 meanwhile. */
	CHECK(w(A_MSI + 2, 2, MSI_64 | MSI_MASK));
	CHECK(w(A_MSI + 4, 4, 0xfee02000u));
	CHECK(w(A_MSI + 8, 4, 0));
	CHECK(w(A_MSI + 0xc, 2, 0x0041));
	CHECK(w(A_MSI + 2, 2, MSI_64 | MSI_MASK | 1));
	/* Enabled: every change is checked as the message would be. */
	CHECK_REFUSED(A_MSI + 4, 4, 0xfee03000u,
		      "MSI address 0xfee03000 targets APIC ID 3, not the partition's");
	CHECK(w(A_MSI + 4, 4, 0xfee00000u));
	CHECK_REFUSED(
		A_MSI + 8, 4, 1,
		"MSI address 0x1fee00000 is outside the interrupt range 0xfee00000-0xfeefffff");
	CHECK_REFUSED(A_MSI + 0xc, 2, 0x0200 | 0x41, "MSI data 0x241 has delivery mode SMI");
	CHECK_REFUSED(A_MSI + 0xc, 1, 0x0e, "MSI data 0xe has vector 14, below 16");
	CHECK(w(A_MSI + 0x10, 4, 0xf)); /* mask bits */
	/* Multiple Message Enable: the function replaces the low data bits. */
	CHECK(w(A_MSI + 2, 2, MSI_64 | MSI_MASK | 1 | 0x20)); /* 4 vectors: 0x40-0x43 */
	CHECK(w(A_MSI + 0xc, 2, 0x0012));		      /* 0x10-0x13 */
	CHECK_REFUSED(A_MSI + 0xc, 2, 0x0013 - 0x4, "MSI data 0xc has vector 12, below 16");
	/* Disabled: programming is free; enabling checks. */
	CHECK(w(A_MSI + 2, 2, MSI_64 | MSI_MASK));
	CHECK(w(A_MSI + 4, 4, 0xfee0f004u));
	CHECK_REFUSED(A_MSI + 2, 2, MSI_64 | MSI_MASK | 1,
		      "MSI address 0xfee0f004 uses logical destination 0x0f: only physical "
		      "destinations are given");
	/* a logical destination naming only the partition's own CPUs is refused too */
	CHECK(w(A_MSI + 4, 4, 0xfee01004u));
	CHECK_REFUSED(A_MSI + 2, 2, MSI_64 | MSI_MASK | 1,
		      "MSI address 0xfee01004 uses logical destination 0x01: only physical "
		      "destinations are given");
	CHECK(w(A_MSI + 4, 4, 0xfee02000u));
	CHECK(w(A_MSI + 2, 2, MSI_64 | MSI_MASK | 1));
	CHECK(pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why)));
	/* MSI-X: only the control word. */
	CHECK(w(A_MSIX + 2, 2, 0xc000));
	CHECK(w(A_MSIX + 3, 1, 0x80));
}

static void test_msi_target(void)
{
	policy(0);
#define T(addr, data) pci_msi_target_allowed(&pol, addr, data, why, sizeof(why))
	CHECK(T(0xfee00000u, 0x30));
	CHECK(T(0xfee02008u, 0x130)); /* redirection hint, lowest priority */
	CHECK(T(0xfee02000u, 0x400)); /* NMI: vector ignored */
	/* logical destinations: never, whatever the root's LDRs say */
	CHECK(!T(0xfee01004u, 0x30));
	CHECK_STR(why, "MSI address 0xfee01004 uses logical destination 0x01: only physical "
		       "destinations are given");
	CHECK(!T(0xfee0100cu, 0x130)); /* with the redirection hint, lowest priority */
	CHECK(!T(0xfee00004u, 0x30));
	CHECK_STR(why, "MSI address 0xfee00004 uses logical destination 0x00: only physical "
		       "destinations are given");
	CHECK(!T(0xfeeff000u, 0x30));
	CHECK_STR(why, "MSI address 0xfeeff000 targets APIC ID 255, not the partition's");
	CHECK(!T(0xfee00010u, 0x30));
	CHECK_STR(why, "MSI address 0xfee00010 sets bits 11:4 (remappable format or extended "
		       "destination)");
	CHECK(!T(0xfed00000u, 0x30));
	CHECK_STR(why,
		  "MSI address 0xfed00000 is outside the interrupt range 0xfee00000-0xfeefffff");
	CHECK(!T(0xfee00000u, 0x10030));
	CHECK_STR(why, "MSI data 0x10030 sets reserved bits 31:16");
	CHECK(!T(0xfee00000u, 0x530));
	CHECK_STR(why, "MSI data 0x530 has delivery mode INIT");
	CHECK(!T(0xfee00000u, 0x730));
	CHECK_STR(why, "MSI data 0x730 has delivery mode ExtINT");
	CHECK(!T(0xfee00000u, 0x330));
	CHECK_STR(why, "MSI data 0x330 has delivery mode reserved (3)");
	CHECK(!T(0xfee00000u, 0x10f));
	CHECK_STR(why, "MSI data 0x10f has vector 15, below 16");
#undef T
	/* MSI-X entry: Linux masks, writes address, data, then unmasks. */
	policy(0);
	{
		uint32_t e[4] = { 0, 0, 0, PCI_MSIX_ENTRY_MASKED };

		CHECK(pci_msix_entry_write_allowed(&pol, e, 0, 4, 0xfee03000u, why, sizeof(why)));
		e[0] = 0xfee03000u;
		CHECK(pci_msix_entry_write_allowed(&pol, e, 8, 4, 0x41, why, sizeof(why)));
		e[2] = 0x41;
		CHECK(!pci_msix_entry_write_allowed(&pol, e, 12, 4, 0, why, sizeof(why)));
		CHECK_STR(why, "MSI address 0xfee03000 targets APIC ID 3, not the partition's");
		CHECK(pci_msix_entry_write_allowed(&pol, e, 0, 8, 0xfee02000u, why, sizeof(why)));
		e[0] = 0xfee02000u;
		CHECK(pci_msix_entry_write_allowed(&pol, e, 12, 4, 0, why, sizeof(why)));
		e[3] = 0;
		CHECK(!pci_msix_entry_write_allowed(&pol, e, 8, 4, 0x2, why, sizeof(why)));
		CHECK_STR(why, "MSI data 0x2 has vector 2, below 16");
		CHECK(!pci_msix_entry_write_allowed(&pol, e, 2, 4, 0, why, sizeof(why)));
		CHECK_STR(why, "MSI-X entry write of 4 bytes at 0x2 is not supported");
	}
}

static void test_bridge(void)
{
	dev_b();
	CHECK_EQ(probe(), 0);
	CHECK_EQ(fi.header_type, 1);
	CHECK_EQ(fi.n_bars, 2);
	CHECK_EQ(fi.bar[0].size, 0x1000);
	CHECK_EQ(fi.bar[1].size, 0);
	CHECK_EQ(fi.rom.size, 0x800);
	CHECK(fi.bridge_io && fi.bridge_io32 && fi.bridge_pref && fi.bridge_pref64);
	policy(BH_PCI_CFG_W_DEFAULT);
	CHECK_REFUSED(0x18, 4, 0x00030100, "write to 0x018 (bridge bus numbers) is never allowed");
	CHECK_REFUSED(0x3e, 2, 0x40, "write to 0x03e (bridge windows/control) needs cfg_write ALL");
	CHECK(w(0x3c, 1, 5));
	policy(BH_PCI_CFG_W_ALL);
	/* bus numbers: never, whatever the table grants (the boot check placed partitions by them) */
	CHECK_REFUSED(0x18, 4, 0x00030100, "write to 0x018 (bridge bus numbers) is never allowed");
	CHECK_REFUSED(0x19, 1, 0x05, "write to 0x019 (bridge bus numbers) is never allowed");
	CHECK_REFUSED(0x1a, 1, 0x05, "write to 0x01a (bridge bus numbers) is never allowed");
	CHECK(w(0x1b, 1, 0x40));   /* the secondary latency timer */
	CHECK(w(0x04, 2, 0x0007)); /* all windows disabled: fine */
	/* Memory window [0xc0000000, 0xc00fffff]: inside; one more MiB is not. */
	CHECK(w(0x20, 4, 0xc000c000u));
	CHECK_REFUSED(
		0x22, 2, 0xc010,
		"bridge memory window 0xc0000000-0xc01fffff outside the partition's device memory");
	CHECK(w(0x20, 4, 0x0000fff0u)); /* disabled again */
	/* Prefetchable, 64-bit: Linux clears the upper limit, writes base/limit, then the uppers. */
	CHECK(w(0x2c, 4, 0));
	CHECK_REFUSED(0x24, 4, 0x00f10001u,
		      "bridge prefetchable memory window 0x0-0xffffff outside the "
		      "partition's device memory");
	CHECK(w(0x04, 2, 0x0005)); /* memory decode off meanwhile */
	CHECK(w(0x24, 4, 0x00f10001u));
	CHECK(w(0x28, 4, 2));
	CHECK(w(0x2c, 4, 2));
	CHECK(w(0x04, 2, 0x0007));
	CHECK_REFUSED(0x2c, 4, 3,
		      "bridge prefetchable memory window 0x200000000-0x300ffffff outside the "
		      "partition's device memory");
	/* I/O window: 0xe000-0xefff is more than the partition's 256 ports. */
	CHECK_REFUSED(0x1c, 2, 0xe1e1,
		      "bridge I/O window 0xe000-0xefff outside the partition's I/O ports");
	CHECK_REFUSED(0x30, 4, 0x00010000,
		      "bridge I/O window 0xf000-0x10fff outside the partition's I/O ports");
	/* VGA forwarding: memory 0xa0000-0xbffff is not in the partition's windows. */
	CHECK_REFUSED(0x3e, 2, 0x18,
		      "bridge control 0x18: VGA memory 0xa0000-0xbffff is not the partition's");
	CHECK(w(0x04, 2, 0x0005));
	CHECK_REFUSED(
		0x3e, 2, 0x08,
		"bridge control 0x8: VGA with 10-bit I/O decode forwards aliases of 0x3b0-0x3df");
	pol.n_pio = 2;
	CHECK(w(0x3e, 2, 0x18));
	CHECK(w(0x3e, 2, 0x40)); /* secondary bus reset: not an address */
	CHECK(pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why)));
	/* The bridge's own BAR and ROM follow the endpoint rules. */
	CHECK(w(0x04, 2, 0x0007));
	CHECK_REFUSED(0x10, 4, 0xfed00000u,
		      "BAR0 0xfed00000 (size 0x1000) outside the partition's device memory");
	CHECK_REFUSED(
		0x38, 4, 0xfed00001u,
		"expansion ROM 0xfed00000 (size 0x800) outside the partition's device memory");
	CHECK(w(0x38, 4, 0xc0080001u));
}

static void test_unknown_header(void)
{
	dev_b();
	set(0x0e, 1, 0x02, 0); /* CardBus bridge */
	CHECK_EQ(probe(), 0);
	CHECK_EQ(fi.n_bars, 0);
	policy(BH_PCI_CFG_W_ALL);
	CHECK_REFUSED(0x10, 4, 0,
		      "write to 0x010 (register of an unknown header type) is never allowed");
	CHECK_REFUSED(0x80, 4, 0,
		      "write to 0x080 (register of an unknown header type) is never allowed");
	CHECK_REFUSED(0x04, 2, 0x0002,
		      "COMMAND 0x2 enables decode of a function with header type 2");
	CHECK(w(0x04, 2, 0x0004));
	CHECK(w(0x0c, 1, 0x10));
}

/* BAR sizing with decode on: emulated from the boot probe, per BAR type. */
static void test_bar_sizing(void)
{
	struct pci_func_info bf;

	memset(&bf, 0, sizeof(bf));
	bf.n_bars = 6;
	bf.bar[0] = (struct pci_bar){ .kind = PCI_BAR_MEM64,
				      .size = 0x4000,
				      .mask = 0xffffffffffffc000ULL };
	bf.bar[1] = (struct pci_bar){ .kind = PCI_BAR_MEM64_HI };
	bf.bar[2] = (struct pci_bar){ .kind = PCI_BAR_IO, .size = 0x20, .mask = 0xffffffe0u };
	bf.bar[3] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .size = 0x20000, .mask = 0xfffe0000u };
	/* BAR4, BAR5 not implemented */
	/* memory decode on: the memory BARs are emulated, the I/O BAR is not */
	CHECK(pci_bar_sizing_emulated(&bf, 0, 0x2));
	CHECK(pci_bar_sizing_emulated(&bf, 1, 0x2));
	CHECK(!pci_bar_sizing_emulated(&bf, 2, 0x2));
	CHECK(pci_bar_sizing_emulated(&bf, 3, 0x2));
	CHECK(!pci_bar_sizing_emulated(&bf, 4, 0x3));
	CHECK(!pci_bar_sizing_emulated(&bf, 6, 0x3));
	/* I/O decode on only */
	CHECK(!pci_bar_sizing_emulated(&bf, 0, 0x1));
	CHECK(pci_bar_sizing_emulated(&bf, 2, 0x1));
	/* decode off: the hardware is sized, as at boot */
	for (unsigned i = 0; i < 6; i++)
		CHECK(!pci_bar_sizing_emulated(&bf, i, 0x4));
	/* what the register reads: the size mask with the type bits it has now */
	CHECK_EQ(pci_bar_sizing_value(&bf, 0, 0xfebf000cu), 0xffffc00cu); /* 64-bit, prefetchable */
	CHECK_EQ(pci_bar_sizing_value(&bf, 1, 0x00000001u), 0xffffffffu);
	CHECK_EQ(pci_bar_sizing_value(&bf, 2, 0x0000c041u), 0xffffffe1u);
	CHECK_EQ(pci_bar_sizing_value(&bf, 3, 0xfeb00000u), 0xfffe0000u);
}

/* Which writes near an MSI-X table are checked, passed or refused. */
static void test_msix_span(void)
{
	const uint64_t tb = 0xfebf1010, len = 5 * PCI_MSIX_ENTRY_SIZE; /* table not page-aligned */
	unsigned in = 0, out = 0, refused = 0;

	/* the fields of every entry: 4 bytes aligned, 8 at offsets 0 and 8 */
	for (uint64_t e = tb; e < tb + len; e += PCI_MSIX_ENTRY_SIZE) {
		for (unsigned o = 0; o < 16; o += 4)
			CHECK_EQ(pci_msix_write_span(tb, len, e + o, 4), PCI_MSIX_ENTRY);
		CHECK_EQ(pci_msix_write_span(tb, len, e, 8), PCI_MSIX_ENTRY);
		CHECK_EQ(pci_msix_write_span(tb, len, e + 8, 8), PCI_MSIX_ENTRY);
		CHECK_EQ(pci_msix_write_span(tb, len, e + 4, 8),
			 PCI_MSIX_REFUSED); /* across fields */
		CHECK_EQ(pci_msix_write_span(tb, len, e + 12, 8),
			 PCI_MSIX_REFUSED); /* across entries or out */
		CHECK_EQ(pci_msix_write_span(tb, len, e + 1, 4), PCI_MSIX_REFUSED);
		CHECK_EQ(pci_msix_write_span(tb, len, e + 2, 2), PCI_MSIX_REFUSED);
		CHECK_EQ(pci_msix_write_span(tb, len, e + 3, 1), PCI_MSIX_REFUSED);
	}
	/* reaching in from before the table, or out past its end */
	CHECK_EQ(pci_msix_write_span(tb, len, tb - 4, 8), PCI_MSIX_REFUSED);
	CHECK_EQ(pci_msix_write_span(tb, len, tb - 1, 2), PCI_MSIX_REFUSED);
	CHECK_EQ(pci_msix_write_span(tb, len, tb + len - 4, 8), PCI_MSIX_REFUSED);
	/* beside it: the rest of the page */
	CHECK_EQ(pci_msix_write_span(tb, len, tb - 8, 8), PCI_MSIX_OUTSIDE);
	CHECK_EQ(pci_msix_write_span(tb, len, tb - 1, 1), PCI_MSIX_OUTSIDE);
	CHECK_EQ(pci_msix_write_span(tb, len, tb + len, 8), PCI_MSIX_OUTSIDE);
	CHECK_EQ(pci_msix_write_span(tb, len, tb, 0), PCI_MSIX_OUTSIDE);
	/* wrapping the address space */
	CHECK_EQ(pci_msix_write_span(tb, len, ~0ULL - 2, 8), PCI_MSIX_REFUSED);
	/* every byte address and size around the table: a write touching it is never OUTSIDE */
	for (uint64_t a = tb - 16; a < tb + len + 16; a++)
		for (unsigned sz = 1; sz <= 8; sz *= 2) {
			enum pci_msix_span s = pci_msix_write_span(tb, len, a, sz);
			bool touches = a < tb + len && a + sz > tb;

			CHECK_EQ(s == PCI_MSIX_OUTSIDE, !touches);
			in += s == PCI_MSIX_ENTRY;
			out += s == PCI_MSIX_OUTSIDE;
			refused += s == PCI_MSIX_REFUSED;
		}
	CHECK_EQ(in, 5 * (4 + 2));
	CHECK(out > 0 && refused > 0);
}

/*
 * Host bridges (class 06 00) and ISA/LPC bridges (06 01): nothing from 0x40
 * on, whatever cfg_write and the windows grant (PCIEXBAR at 0x60 of Intel's
 * MCH, PMBASE 0x40, ACPI_CNTL 0x44, RCBA 0xf0 of the ICH9 LPC), in the
 * extended space too; the header keeps its rules.
 */
static void test_chipset(void)
{
	/* host, ISA/LPC (two programming interfaces) and "other" bridges (PIIX4's PM function) */
	static const uint32_t classes[] = { 0x06000000, 0x06010000, 0x06018000, 0x06800000 };
	static const struct {
		uint16_t off;
		unsigned size;
		uint32_t val;
	} writes[] = { { 0x40, 4, 0xb001 },	 { 0x44, 1, 0x80 }, { 0x60, 4, 0xb0000001u },
		       { 0xf0, 4, 0xfed1c001u }, { 0x100, 4, 0 },   { 0xa0, 2, 0xb000 } };

	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++) {
		dev_a();
		set(0x08, 4, classes[i] | 0x02, 0);
		set(0xa0, 4, 0x0601, 0xffffff80u); /* a writable chipset register */
		CHECK_EQ(probe(), 0);
		CHECK(fi.chipset);
		CHECK_EQ(fi.class_code, classes[i] >> 8);
		policy(BH_PCI_CFG_W_ALL);
		wins[0] = (struct bh_pci_window){ 0x40, 0xc0 };
		pol.n_windows = 1;
		for (unsigned k = 0; k < ARRAY_SIZE(writes); k++) {
			char msg[96];

			snprintf(msg, sizeof(msg),
				 "write to 0x%03x (chipset register of a host or ISA/LPC bridge) "
				 "is never allowed",
				 writes[k].off);
			CHECK_REFUSED(writes[k].off, writes[k].size, writes[k].val, msg);
		}
		CHECK_EQ(fake_rd(&dev, 0xa0, 4), 0x0601); /* the filter wrote nothing */
		/* the header as for any function */
		CHECK(w(0x04, 2, 0x0006));
		CHECK(w(0x3c, 1, 5));
	}
	/* other classes keep the table's rules: a network controller's capabilities */
	dev_a();
	CHECK_EQ(probe(), 0);
	CHECK(!fi.chipset);
	CHECK_EQ(fi.class_code, 0x020000);
	policy(BH_PCI_CFG_W_ALL);
	CHECK(w(A_PM + 4, 2, 3));
	/* a PCI-to-PCI bridge (06 04) is a bridge, not a chipset function */
	dev_b();
	CHECK_EQ(probe(), 0);
	CHECK(!fi.chipset);
}

int main(void)
{
	test_chipset();
	test_msix_span();
	test_bar_sizing();
	test_probe_a();
	test_probe_bad();
	test_basic_rules();
	test_bars();
	test_rom();
	test_msi();
	test_msi_target();
	test_bridge();
	test_unknown_header();
	return check_summary();
}
