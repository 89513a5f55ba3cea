// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/pci_filter.c. The input builds a fake
 * PCI function (4 KiB of bytes, each with a mask of writable bits; BARs,
 * expansion ROM, bridge windows, MSI and MSI-X placed by a few control
 * bytes, the rest raw), a policy, and then a sequence of configuration
 * writes. Writes the filter allows are applied; after each, the harness
 * checks on its own model of the device that nothing decodes outside the
 * policy's ranges (a BAR half of all-ones from sizing excepted) and that an
 * enabled MSI targets the partition, and abort()s otherwise.
 *
 * Layout: 16 control bytes, 256 bytes of standard configuration space,
 * 40 bytes of policy, then 7-byte writes (offset 2, size 1, value 4).
 */
#include <stdlib.h>
#include <string.h>

#include "root/pci_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTRL_LEN    16
#define STD_LEN	    256
#define POL_LEN	    40
#define WRITE_LEN   7
#define MSI_AT	    0x50
#define MSIX_AT	    0x70
#define BRIDGE	    0x01u /* ctrl[0] bits */
#define HAS_MSI	    0x02u
#define HAS_MSIX    0x04u
#define RAW_CAPS    0x08u
#define BRIDGE_VGA  0x10u
#define CHIPSET	    0x20u /* class 06 00 (host bridge), with 0x40 set 06 01 (ISA/LPC) */
#define CHIPSET_ISA 0x40u

struct fake {
	uint8_t cfg[4096];
	uint8_t wmask[4096];
};

static struct fake dev;

static uint32_t fake_rd(void *ctx, uint16_t off, unsigned size)
{
	struct fake *f = ctx;
	uint32_t v = 0;

	if (off + size > sizeof(f->cfg) || (off & (size - 1)))
		abort();
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void fake_wr(void *ctx, uint16_t off, unsigned size, uint32_t val)
{
	struct fake *f = ctx;

	if (off + size > sizeof(f->cfg) || (off & (size - 1)))
		abort();
	for (unsigned i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(val >> (8 * i)), m = f->wmask[off + i];

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | (b & m));
	}
}

static void set_mask(unsigned off, unsigned size, uint32_t m)
{
	for (unsigned i = 0; i < size; i++)
		dev.wmask[off + i] = (uint8_t)(m >> (8 * i));
}

static void set_val(unsigned off, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++)
		dev.cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The harness's own idea of each BAR: kind and the address bits it implements. */
struct model_bar {
	int kind; /* 0 none, 1 io, 2 mem32, 3 mem64 (this and the next) */
	uint64_t mask;
};

static struct model_bar mbar[6];
static unsigned n_bars;
static uint64_t rom_mask;
static bool bridge;

static bool inside(const struct pci_range *r, unsigned n, uint64_t base, uint64_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (base >= r[i].base && len <= r[i].size && base - r[i].base <= r[i].size - len)
			return true;
	return false;
}

static bool inside_pio(const struct pci_policy *pol, uint64_t base, uint64_t len)
{
	return base < 0x10000 && len <= 0x10000 - base && inside(pol->pio, pol->n_pio, base, len);
}

/* msi: where the probe found the MSI capability (0: none). */
static void property(const struct pci_policy *pol, unsigned msi)
{
	uint32_t cmd = (uint32_t)get(&dev.cfg[4], 2);
	char why[160];

	for (unsigned i = 0; i < n_bars; i++) {
		uint32_t lo = (uint32_t)get(&dev.cfg[0x10 + 4 * i], 4), hi = 0;
		uint64_t m = mbar[i].mask, addr, sz;
		bool sizing;

		if (!mbar[i].kind || !m)
			continue;
		if (mbar[i].kind == 3)
			hi = (uint32_t)get(&dev.cfg[0x14 + 4 * i], 4);
		addr = ((uint64_t)hi << 32 | lo) & m;
		sz = m & -m;
		sizing = (lo & (uint32_t)m) == (uint32_t)m ||
			 (mbar[i].kind == 3 && (hi & (uint32_t)(m >> 32)) == (uint32_t)(m >> 32));
		if (mbar[i].kind == 1 && (cmd & 1) && !sizing && !inside_pio(pol, addr, sz))
			abort();
		if (mbar[i].kind >= 2 && (cmd & 2) && !sizing &&
		    !inside(pol->mmio, pol->n_mmio, addr, sz))
			abort();
		if (mbar[i].kind == 3)
			i++;
	}
	if (rom_mask && (cmd & 2)) {
		uint32_t r = (uint32_t)get(&dev.cfg[bridge ? 0x38 : 0x30], 4);

		if ((r & 1) && !inside(pol->mmio, pol->n_mmio, r & rom_mask, rom_mask & -rom_mask))
			abort();
	}
	if (bridge) {
		uint64_t b = (get(&dev.cfg[0x20], 2) & 0xfff0) << 16;
		uint64_t l = (get(&dev.cfg[0x22], 2) & 0xfff0) << 16 | 0xfffff;
		uint64_t ctl = get(&dev.cfg[0x3e], 2);

		if ((cmd & 2) && b <= l && !inside(pol->mmio, pol->n_mmio, b, l - b + 1))
			abort();
		b = (get(&dev.cfg[0x24], 2) & 0xfff0) << 16 | get(&dev.cfg[0x28], 4) << 32;
		l = (get(&dev.cfg[0x26], 2) & 0xfff0) << 16 | 0xfffff |
		    get(&dev.cfg[0x2c], 4) << 32;
		if ((cmd & 2) && b <= l && !inside(pol->mmio, pol->n_mmio, b, l - b + 1))
			abort();
		b = (get(&dev.cfg[0x1c], 1) & 0xf0) << 8 | get(&dev.cfg[0x30], 2) << 16;
		l = (get(&dev.cfg[0x1d], 1) & 0xf0) << 8 | 0xfff | get(&dev.cfg[0x32], 2) << 16;
		if ((cmd & 1) && b <= l && !inside_pio(pol, b, l - b + 1))
			abort();
		if ((ctl & 8) && (cmd & 2) && !inside(pol->mmio, pol->n_mmio, 0xa0000, 0x20000))
			abort();
		if ((ctl & 8) && (cmd & 1) &&
		    (!(ctl & 0x10) || !inside_pio(pol, 0x3b0, 0x0c) ||
		     !inside_pio(pol, 0x3c0, 0x20)))
			abort();
	}
	if (msi && (dev.cfg[msi + 2] & 1)) {
		uint32_t ctrl = (uint32_t)get(&dev.cfg[msi + 2], 2);
		bool is64 = ctrl & 0x80;
		uint64_t addr = get(&dev.cfg[msi + 4], 4);
		unsigned doff = msi + (is64 ? 0xc : 0x8);
		uint32_t d = (uint32_t)get(&dev.cfg[doff], 2);

		if (is64)
			addr |= get(&dev.cfg[msi + 8], 4) << 32;
		if (ctrl & 0x400)
			d |= (uint32_t)get(&dev.cfg[doff + 2], 2) << 16;
		d &= ~((1u << ((ctrl >> 4) & 7)) - 1);
		if (!pci_msi_target_allowed(pol, addr, d, why, sizeof(why)))
			abort();
		/* independent of the filter: never a logical destination (bit 2) */
		if (addr & 4)
			abort();
	}
}

/* A BAR of kind k (0-3) and log2 size s at slot i; returns the slots used. */
static unsigned build_bar(unsigned i, uint8_t spec, const uint8_t *val)
{
	unsigned k = spec & 3, s = (spec >> 2) & 0x3f;
	uint16_t off = (uint16_t)(0x10 + 4 * i);
	uint64_t m;

	if (k == 3 && i + 1 >= n_bars)
		k = 2;
	mbar[i].kind = (int)k;
	if (k == 0) {
		set_mask(off, 4, 0);
		mbar[i].mask = 0;
		return 1;
	}
	if (k == 1) {
		s = 2 + s % 8;
		m = ~((1ull << s) - 1) & ((spec & 0x80) ? 0xffffu : 0xffffffffu);
		set_val(off, 4, ((uint32_t)get(val, 4) & (uint32_t)m) | 1);
		set_mask(off, 4, (uint32_t)m);
	} else if (k == 2) {
		s = 4 + s % 28;
		m = ~((1ull << s) - 1) & 0xffffffffu;
		set_val(off, 4, ((uint32_t)get(val, 4) & (uint32_t)m) | (spec & 0x80 ? 8 : 0));
		set_mask(off, 4, (uint32_t)m);
	} else {
		s = 4 + s % 44;
		m = ~((1ull << s) - 1) & 0x0000ffffffffffffull;
		set_val(off, 4, ((uint32_t)get(val, 4) & (uint32_t)m) | 0xc);
		set_val(off + 4, 4, (uint32_t)(get(val + 4, 4) & (m >> 32)));
		set_mask(off, 4, (uint32_t)m);
		set_mask(off + 4, 4, (uint32_t)(m >> 32));
	}
	mbar[i].mask = m;
	return k == 3 ? 2 : 1;
}

static void build(const uint8_t *ctrl, const uint8_t *std)
{
	memset(&dev, 0, sizeof(dev));
	memset(mbar, 0, sizeof(mbar));
	memcpy(dev.cfg, std, STD_LEN);
	bridge = ctrl[0] & BRIDGE;
	n_bars = bridge ? 2 : 6;
	set_val(0, 2, 0x8086);
	dev.cfg[0x0e] = bridge ? 1 : 0;
	if (ctrl[0] & CHIPSET) {
		dev.cfg[0x0b] = 0x06;
		dev.cfg[0x0a] = (ctrl[0] & CHIPSET_ISA) ? 0x01 : 0x00;
	}
	set_mask(0x04, 2, 0x0547);
	set_mask(0x0c, 2, 0xffff);
	set_mask(0x3c, 1, 0xff);
	for (unsigned i = 0; i < n_bars;)
		i += build_bar(i, ctrl[1 + i], &std[0x40 + 8 * i]);
	rom_mask = ((0xffffffffu << (11 + ctrl[7] % 21)) & 0xfffff800u);
	if (ctrl[7] & 0x80)
		rom_mask = 0;
	set_mask(bridge ? 0x38 : 0x30, 4, (uint32_t)rom_mask | 1);
	set_val(bridge ? 0x38 : 0x30, 4, (uint32_t)get(&std[0x30], 4) & ((uint32_t)rom_mask | 1));
	if (bridge) {
		set_mask(0x18, 4, 0xffffffffu);
		set_mask(0x1c, 2, 0xf0f0);
		set_val(0x1c, 2, 0x0101);
		set_mask(0x20, 4, 0xfff0fff0u);
		set_mask(0x24, 4, 0xfff0fff0u);
		set_val(0x24, 2, (uint32_t)((get(&dev.cfg[0x24], 2) & 0xfff0) | 1));
		set_val(0x26, 2, (uint32_t)((get(&dev.cfg[0x26], 2) & 0xfff0) | 1));
		set_mask(0x28, 4, 0xffffffffu);
		set_mask(0x2c, 4, 0xffffffffu);
		set_mask(0x30, 4, 0xffffffffu);
		set_mask(0x3e, 2, (ctrl[0] & BRIDGE_VGA) ? 0x7f : 0x67);
	}
	if (ctrl[0] & RAW_CAPS) {
		for (unsigned i = 0x40; i < 0x100; i++)
			dev.wmask[i] = ctrl[8 + (i % 8)];
		return;
	}
	set_val(0x06, 2, 0x10);
	dev.cfg[0x34] = 0;
	for (unsigned i = 0x40; i < 0x100; i++)
		dev.wmask[i] = 0xff;
	if (ctrl[0] & HAS_MSI) {
		dev.cfg[0x34] = MSI_AT;
		set_val(MSI_AT, 2, (ctrl[0] & HAS_MSIX) ? MSIX_AT << 8 | 0x05 : 0x05);
		set_val(MSI_AT + 2, 2, (uint32_t)(ctrl[14] | ctrl[15] << 8) & 0x07ff & ~1u);
		set_mask(MSI_AT, 4, 0x04710000u);
	}
	if (ctrl[0] & HAS_MSIX) {
		if (!(ctrl[0] & HAS_MSI))
			dev.cfg[0x34] = MSIX_AT;
		set_val(MSIX_AT, 2, 0x11);
		set_val(MSIX_AT + 2, 2, ctrl[13] & 0x7u);
		set_mask(MSIX_AT, 4, 0xc0000000u);
		set_mask(MSIX_AT + 4, 4, 0);
		set_mask(MSIX_AT + 8, 4, 0);
	}
	for (unsigned i = 0x100; i < 0x180; i++)
		dev.wmask[i] = 0xff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_func_info fi;
	struct pci_range mmio[2], pio[1];
	uint32_t apics[2];
	struct bh_pci_window wins[2];
	struct pci_policy pol;
	const uint8_t *p;
	char why[160];

	if (size < CTRL_LEN + STD_LEN + POL_LEN)
		return 0;
	build(data, data + CTRL_LEN);
	if (pci_func_probe(fake_rd, fake_wr, &dev, &fi))
		return 0;
	/* Boot: decode and MSI off, as the lead does for a function that starts outside. */
	p = data + CTRL_LEN + STD_LEN;
	mmio[0] = (struct pci_range){ get(p, 5) << 12, get(p + 5, 4) << 4 };
	mmio[1] = (struct pci_range){ get(p + 9, 8), get(p + 17, 8) };
	pio[0] = (struct pci_range){ get(p + 25, 2), get(p + 27, 2) };
	apics[0] = p[29];
	apics[1] = p[30];
	wins[0] = (struct bh_pci_window){ (uint16_t)get(p + 31, 2), p[33] };
	wins[1] = (struct bh_pci_window){ (uint16_t)(get(p + 34, 2) & 0xff), p[36] & 0xf };
	pol = (struct pci_policy){
		.mmio = mmio,
		.n_mmio = 2,
		.pio = pio,
		.n_pio = 1,
		.apic_ids = apics,
		.n_apic = 2,
		.cfg_write = p[38] & BH_PCI_CFG_W_ALL,
		.windows = wins,
		.n_windows = p[39] % 3,
	};
	if (!pci_func_state_allowed(&fi, &pol, fake_rd, &dev, why, sizeof(why))) {
		dev.cfg[4] &= (uint8_t)~3u;
		if (fi.msi_cap)
			dev.cfg[fi.msi_cap + 2] &= (uint8_t)~1u;
	}
	property(&pol, fi.msi_cap);
	for (p += POL_LEN; p + WRITE_LEN <= data + size; p += WRITE_LEN) {
		uint16_t off = (uint16_t)get(p, 2);
		unsigned sz = p[2] % 3 == 0 ? 1 : p[2] % 3 == 1 ? 2 : 4;
		uint32_t val = (uint32_t)get(p + 3, 4);

		off = (off & 0x8000) ? off & 0xfff : off & 0xff;
		if (p[2] & 0x80)
			off &= (uint16_t) ~(sz - 1);
		if (!pci_cfg_write_allowed(&fi, &pol, fake_rd, &dev, off, sz, val, why,
					   sizeof(why)))
			continue;
		if (off + sz > 4096 || (off & (sz - 1)))
			abort();
		/* a host or ISA/LPC bridge's registers past the header are never written */
		if (fi.chipset && off + sz > 0x40)
			abort();
		if (fi.chipset !=
		    ((fi.class_code >> 8) == 0x0600 || (fi.class_code >> 8) == 0x0601))
			abort();
		fake_wr(&dev, off, sz, val);
		property(&pol, fi.msi_cap);
	}
	return 0;
}
