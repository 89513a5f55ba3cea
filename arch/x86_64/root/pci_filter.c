// SPDX-License-Identifier: GPL-2.0-only
/* Which configuration writes the root may make to its PCI functions (pure; see pci_filter.h). */
#include "root/pci_filter.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

/* Type 0 and type 1 header, PCI Local Bus 3.0 section 6.1, PCI-to-PCI Bridge 1.2 section 3.2. */
#define CFG_VENDOR	  0x00
#define CFG_COMMAND	  0x04
#define CFG_STATUS	  0x06
#define CFG_CLASS_REV	  0x08 /* revision ID, then the class code in bits 31:8 */
#define CFG_CACHE_LINE	  0x0c
#define CFG_LATENCY	  0x0d
#define CFG_HEADER_TYPE	  0x0e
#define CFG_BIST	  0x0f
#define CFG_BAR0	  0x10
#define CFG_ROM0	  0x30 /* type 0 */
#define CFG_CAP_PTR	  0x34
#define CFG_ROM1	  0x38 /* type 1 */
#define CFG_INT_LINE	  0x3c
#define CFG_HDR_END	  0x40
#define CFG_STD_END	  0x100
#define CFG_BUS_NUMBERS	  0x18
#define CFG_IO_BASE	  0x1c
#define CFG_IO_LIMIT	  0x1d
#define CFG_MEM_BASE	  0x20
#define CFG_PREF_BASE	  0x24
#define CFG_PREF_BASE_HI  0x28
#define CFG_PREF_LIMIT_HI 0x2c
#define CFG_IO_BASE_HI	  0x30
#define CFG_IO_LIMIT_HI	  0x32
#define CFG_BRIDGE_CTL	  0x3e
#define HDR_TYPE_MASK	  0x7f
#define HDR_NORMAL	  0
#define HDR_BRIDGE	  1
#define CLASS_HOST_BR	  0x0600
#define CLASS_ISA_BR	  0x0601
#define CLASS_OTHER_BR	  0x0680 /* PIIX4's power management function (PMBASE, SMBus base) */
#define CMD_IO		  (1u << 0)
#define CMD_MEM		  (1u << 1)
#define STATUS_CAP_LIST	  (1u << 4)
#define BAR_IO		  (1u << 0)
#define BAR_IO_FLAGS	  0x3u
#define BAR_MEM_FLAGS	  0xfu
#define BAR_MEM_TYPE(v)	  (((v) >> 1) & 3u)
#define BAR_MEM_TYPE_64	  2u
#define BAR_MEM_TYPE_RSVD 3u
#define BAR_MEM_PREFETCH  (1u << 3)
#define ROM_ENABLE	  (1u << 0)
#define ROM_ADDR_MASK	  0xfffff800u
#define BRIDGE_IO_ADDR	  0xf0u	  /* I/O base/limit bits 7:4 = address 15:12 */
#define BRIDGE_IO_32	  0x01u	  /* low nibble: 32-bit I/O addressing */
#define BRIDGE_IO_GRAN	  0xfffu  /* I/O window granularity - 1 */
#define BRIDGE_MEM_ADDR	  0xfff0u /* memory base/limit bits 15:4 = address 31:20 */
#define BRIDGE_MEM_GRAN	  0xfffffu
#define BRIDGE_PREF_64	  0x1u
#define BRIDGE_CTL_VGA	  (1u << 3)
#define BRIDGE_CTL_VGA16  (1u << 4)
#define VGA_MEM_BASE	  0xa0000u
#define VGA_MEM_SIZE	  0x20000u
#define PIO_SPACE	  0x10000u /* x86 I/O ports */
#define CFG_SPACE	  BH_PCI_CONFIG_SPACE
#define CAP_ID_PM	  0x01
#define CAP_ID_MSI	  0x05
#define CAP_ID_PCIE	  0x10
#define CAP_ID_MSIX	  0x11
#define CAP_PTR_MASK	  0xfcu	 /* 6.7: software masks the two low bits */
#define CAP_TTL		  48	 /* dwords in 0x40-0xff, as Linux's PCI_FIND_CAP_TTL */
#define ECAP_ID_SRIOV	  0x0010 /* PCIe 6.0 section 9.3.3 */
#define ECAP_ID_REBAR	  0x0015 /* PCIe 6.0 section 7.8.6 */
#define ECAP_ID_VF_REBAR  0x0024 /* PCIe 6.0 section 9.3.7.5 */
#define ECAP_NEXT(h)	  (((h) >> 20) & 0xffcu)
#define ECAP_TTL	  ((CFG_SPACE - CFG_STD_END) / 4)
#define SRIOV_CAP_LEN	  0x40
#define REBAR_CTRL0	  8
#define REBAR_NBARS(c)	  (((c) >> 5) & 7u)
#define REBAR_ENTRY_LEN	  8

/* MSI capability, PCI Local Bus 3.0 section 6.8.1. */
#define MSI_CTRL	   2
#define MSI_ADDR_LO	   4
#define MSI_ADDR_HI	   8
#define MSI_CTRL_ENABLE	   (1u << 0)
#define MSI_CTRL_MME(c)	   (((c) >> 4) & 7u)
#define MSI_CTRL_64	   (1u << 7)
#define MSI_CTRL_MASKING   (1u << 8)
#define MSI_CTRL_EXT_DATA  (1u << 10) /* PCIe 4.0: Extended Message Data Enable */
#define MSIX_CTRL	   2
#define MSIX_TABLE	   4u
#define MSIX_CAP_LEN	   12u
#define MSIX_CTRL_SIZE(c)  (((c)&0x7ffu) + 1u)
#define MSIX_BIR(t)	   ((t)&7u)
#define MSIX_ENTRY_ADDR_LO 0
#define MSIX_ENTRY_ADDR_HI 4
#define MSIX_ENTRY_DATA	   8
#define MSIX_ENTRY_CTRL	   12

/* MSI message format, Intel SDM vol. 3A section 11.11.1 and 11.11.2. */
#define MSI_ADDR_BASE_MASK 0xfff00000u
#define MSI_ADDR_BASE	   APIC_DEFAULT_BASE
#define MSI_ADDR_DEST(a)   (((a) >> 12) & 0xffu)
#define MSI_ADDR_LOGICAL   (1u << 2)
#define MSI_ADDR_RSVD	   0xff0u /* bits 11:4: remappable format, extended ID */
#define MSI_DEST_BROADCAST 0xffu
#define MSI_DATA_RSVD	   0xffff0000u
#define MSI_DATA_VECTOR(d) ((d)&0xffu)
#define MSI_DATA_DM(d)	   (((d) >> 8) & 7u)
#define MSI_DM_FIXED	   0
#define MSI_DM_LOWPRI	   1
#define MSI_DM_NMI	   4
#define MSI_VECTOR_MIN	   16 /* 0-15 are reserved for exceptions */

static const char *const msi_dm_name[8] = {
	"fixed", "lowest priority", "SMI", "reserved (3)", "NMI", "INIT", "reserved (6)", "ExtINT",
};

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static bool fail(char *why, size_t why_len, const char *fmt, ...) __printf(3, 4);

static bool fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* [base, base + size) inside one of the ranges; no sum that can wrap. */
static bool in_ranges(const struct pci_range *r, unsigned n, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (base >= r[i].base && size <= r[i].size && base - r[i].base <= r[i].size - size)
			return true;
	return false;
}

static bool in_pio(const struct pci_policy *pol, uint64_t base, uint64_t size)
{
	return base < PIO_SPACE && size <= PIO_SPACE - base &&
	       in_ranges(pol->pio, pol->n_pio, base, size);
}

/* A mask whose set bits are one run reaching the top of its width: size-aligned decode. */
static bool mask_contiguous(uint64_t m)
{
	uint64_t t = m + (m & -m);

	return (t & (t - 1)) == 0;
}

/* ---- probe ---- */

static uint64_t bar_mask(uint32_t lo, uint32_t hi, bool is64, uint32_t flags)
{
	return ((is64 ? (uint64_t)hi << 32 : 0) | lo) & ~(uint64_t)flags;
}

static int probe_bar(pci_cfg_read_fn rd, pci_cfg_write_fn wr, void *ctx, struct pci_func_info *fi,
		     unsigned i)
{
	uint16_t off = (uint16_t)(CFG_BAR0 + 4 * i);
	uint32_t orig = rd(ctx, off, 4), ones, zeros, oh = 0, onesh = 0, zerosh = 0, flags;
	struct pci_bar *b = &fi->bar[i];
	bool is64 = false;
	uint64_t m, hard1;

	wr(ctx, off, 4, 0xffffffffu);
	ones = rd(ctx, off, 4);
	wr(ctx, off, 4, 0);
	zeros = rd(ctx, off, 4);
	wr(ctx, off, 4, orig);
	flags = (orig & BAR_IO) ? BAR_IO_FLAGS : BAR_MEM_FLAGS;
	if ((ones & flags) != (orig & flags) || (zeros & flags) != (orig & flags)) {
		pr_err("pci: BAR%u type bits change when written (0x%x, then 0x%x)", i, ones,
		       zeros);
		return -HV_EBADMSG;
	}
	if (!(orig & BAR_IO)) {
		if (BAR_MEM_TYPE(orig) == BAR_MEM_TYPE_RSVD) {
			pr_err("pci: BAR%u 0x%x has the reserved memory type 3", i, orig);
			return -HV_EBADMSG;
		}
		is64 = BAR_MEM_TYPE(orig) == BAR_MEM_TYPE_64;
	}
	if (is64) {
		if (i + 1 >= fi->n_bars) {
			pr_err("pci: BAR%u 0x%x is 64-bit but is the last BAR", i, orig);
			return -HV_EBADMSG;
		}
		oh = rd(ctx, (uint16_t)(off + 4), 4);
		wr(ctx, (uint16_t)(off + 4), 4, 0xffffffffu);
		onesh = rd(ctx, (uint16_t)(off + 4), 4);
		wr(ctx, (uint16_t)(off + 4), 4, 0);
		zerosh = rd(ctx, (uint16_t)(off + 4), 4);
		wr(ctx, (uint16_t)(off + 4), 4, oh);
	}
	m = bar_mask(ones, onesh, is64, flags);
	hard1 = bar_mask(zeros, zerosh, is64, flags);
	if (hard1) {
		pr_err("pci: BAR%u has address bits 0x%llx that stay set when written 0", i,
		       ull(hard1));
		return -HV_EBADMSG;
	}
	if (m && !mask_contiguous(m)) {
		pr_err("pci: BAR%u size mask 0x%llx is not a power-of-two size", i, ull(m));
		return -HV_EBADMSG;
	}
	b->kind = (orig & BAR_IO) ? PCI_BAR_IO : is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
	b->prefetch = !(orig & BAR_IO) && (orig & BAR_MEM_PREFETCH);
	b->mask = m;
	b->size = m & -m;
	if (is64) {
		fi->bar[i + 1] = *b;
		fi->bar[i + 1].kind = PCI_BAR_MEM64_HI;
	}
	return is64 ? 2 : 1;
}

static int probe_rom(pci_cfg_read_fn rd, pci_cfg_write_fn wr, void *ctx, struct pci_func_info *fi,
		     uint16_t off)
{
	uint32_t orig = rd(ctx, off, 4), ones, zeros;

	wr(ctx, off, 4, ROM_ADDR_MASK);
	ones = rd(ctx, off, 4) & ROM_ADDR_MASK;
	wr(ctx, off, 4, 0);
	zeros = rd(ctx, off, 4) & ROM_ADDR_MASK;
	wr(ctx, off, 4, orig);
	if (zeros) {
		pr_err("pci: expansion ROM address bits 0x%x stay set when written 0", zeros);
		return -HV_EBADMSG;
	}
	if (ones && !mask_contiguous(ones)) {
		pr_err("pci: expansion ROM size mask 0x%x is not a power-of-two size", ones);
		return -HV_EBADMSG;
	}
	fi->rom.kind = ones ? PCI_BAR_ROM : PCI_BAR_NONE;
	fi->rom.mask = ones;
	fi->rom.size = ones & -ones;
	return 0;
}

/* A window that is hardwired to 0 is not implemented (PCI-to-PCI Bridge 1.2 section 3.2.5). */
static void probe_bridge(pci_cfg_read_fn rd, pci_cfg_write_fn wr, void *ctx,
			 struct pci_func_info *fi)
{
	uint32_t io = rd(ctx, CFG_IO_BASE, 2), pref = rd(ctx, CFG_PREF_BASE, 4), r;
	const uint32_t io_bits = BRIDGE_IO_ADDR | BRIDGE_IO_ADDR << 8;
	const uint32_t pref_bits = BRIDGE_MEM_ADDR | BRIDGE_MEM_ADDR << 16;

	wr(ctx, CFG_IO_BASE, 2, io_bits);
	r = rd(ctx, CFG_IO_BASE, 2);
	wr(ctx, CFG_IO_BASE, 2, io);
	fi->bridge_io = ((r | io) & io_bits) != 0;
	fi->bridge_io32 = (io & 0xfu) == BRIDGE_IO_32;
	wr(ctx, CFG_PREF_BASE, 4, pref_bits);
	r = rd(ctx, CFG_PREF_BASE, 4);
	wr(ctx, CFG_PREF_BASE, 4, pref);
	fi->bridge_pref = ((r | pref) & pref_bits) != 0;
	fi->bridge_pref64 = (pref & 0xfu) == BRIDGE_PREF_64;
}

static unsigned msi_cap_len(uint16_t ctrl)
{
	/* ID, next, control, address (4 or 8), data, extended data, then mask and pending. */
	unsigned len = (ctrl & MSI_CTRL_64) ? 0x10 : 0x0c;

	return (ctrl & MSI_CTRL_MASKING) ? len + 8 : len;
}

static int probe_caps(pci_cfg_read_fn rd, void *ctx, struct pci_func_info *fi, bool *pcie)
{
	uint64_t seen = 0;
	unsigned prev = CFG_CAP_PTR, ptr = rd(ctx, CFG_CAP_PTR, 1) & CAP_PTR_MASK;

	for (unsigned ttl = 0; ptr; ttl++) {
		unsigned id, idx;

		if (ptr < CFG_HDR_END) {
			pr_err("pci: capability pointer 0x%x (at 0x%x) is below 0x40", ptr, prev);
			return -HV_EBADMSG;
		}
		idx = (ptr - CFG_HDR_END) / 4;
		if ((seen >> idx) & 1 || ttl >= CAP_TTL) {
			pr_err("pci: capability list loops back to 0x%x (from 0x%x)", ptr, prev);
			return -HV_EBADMSG;
		}
		seen |= 1ull << idx;
		id = rd(ctx, (uint16_t)ptr, 1);
		if (id == CAP_ID_PCIE)
			*pcie = true;
		if (id == CAP_ID_MSI) {
			uint16_t ctrl = (uint16_t)rd(ctx, (uint16_t)(ptr + MSI_CTRL), 2);

			if (fi->msi_cap) {
				pr_err("pci: second MSI capability at 0x%x (first at 0x%x)", ptr,
				       fi->msi_cap);
				return -HV_EBADMSG;
			}
			if (ptr + msi_cap_len(ctrl) > CFG_STD_END) {
				pr_err("pci: MSI capability at 0x%x (control 0x%x) runs past 0xff",
				       ptr, ctrl);
				return -HV_EBADMSG;
			}
			fi->msi_cap = (uint8_t)ptr;
			fi->msi_ctrl = ctrl;
		}
		if (id == CAP_ID_MSIX) {
			uint16_t ctrl;
			uint32_t tbl;
			const struct pci_bar *b;

			if (fi->msix_cap) {
				pr_err("pci: second MSI-X capability at 0x%x (first at 0x%x)", ptr,
				       fi->msix_cap);
				return -HV_EBADMSG;
			}
			if (ptr + MSIX_CAP_LEN > CFG_STD_END) {
				pr_err("pci: MSI-X capability at 0x%x runs past 0xff", ptr);
				return -HV_EBADMSG;
			}
			ctrl = (uint16_t)rd(ctx, (uint16_t)(ptr + MSIX_CTRL), 2);
			tbl = rd(ctx, (uint16_t)(ptr + MSIX_TABLE), 4);
			b = MSIX_BIR(tbl) < fi->n_bars ? &fi->bar[MSIX_BIR(tbl)] : NULL;
			if (!b || (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) ||
			    (uint64_t)(tbl & ~7u) + MSIX_CTRL_SIZE(ctrl) * PCI_MSIX_ENTRY_SIZE >
				    b->size) {
				pr_err("pci: MSI-X table (BIR %u, offset 0x%x, %u entries) is not "
				       "inside a "
				       "memory BAR",
				       MSIX_BIR(tbl), tbl & ~7u, MSIX_CTRL_SIZE(ctrl));
				return -HV_EBADMSG;
			}
			fi->msix_cap = (uint8_t)ptr;
			fi->msix_bir = (uint8_t)MSIX_BIR(tbl);
			fi->msix_offset = tbl & ~7u;
			fi->msix_entries = (uint16_t)MSIX_CTRL_SIZE(ctrl);
		}
		prev = ptr;
		ptr = rd(ctx, (uint16_t)(ptr + 1), 1) & CAP_PTR_MASK;
	}
	return 0;
}

static int probe_ext_caps(pci_cfg_read_fn rd, void *ctx, struct pci_func_info *fi)
{
	uint64_t seen[ECAP_TTL / 64] = { 0 };
	unsigned prev = CFG_STD_END, pos = CFG_STD_END;

	while (pos) {
		unsigned idx, id, len;
		uint32_t h;

		if (pos < CFG_STD_END) {
			pr_err("pci: extended capability pointer 0x%x (at 0x%x) is below 0x100",
			       pos, prev);
			return -HV_EBADMSG;
		}
		idx = (pos - CFG_STD_END) / 4;
		if ((seen[idx / 64] >> (idx % 64)) & 1) {
			pr_err("pci: extended capability list loops back to 0x%x (from 0x%x)", pos,
			       prev);
			return -HV_EBADMSG;
		}
		seen[idx / 64] |= 1ull << (idx % 64);
		h = rd(ctx, (uint16_t)pos, 4);
		if (h == 0 || h == 0xffffffffu)
			break;
		id = h & 0xffffu;
		if (id == ECAP_ID_SRIOV || id == ECAP_ID_REBAR || id == ECAP_ID_VF_REBAR) {
			if (id == ECAP_ID_SRIOV) {
				len = SRIOV_CAP_LEN;
			} else {
				unsigned n = REBAR_NBARS(rd(ctx, (uint16_t)(pos + REBAR_CTRL0), 4));

				len = REBAR_CTRL0 + REBAR_ENTRY_LEN * (n ? n : 1);
			}
			if (fi->n_locked == ARRAY_SIZE(fi->locked)) {
				pr_err("pci: more than %zu SR-IOV/Resizable BAR capabilities (0x%x "
				       "at "
				       "0x%x)",
				       ARRAY_SIZE(fi->locked), id, pos);
				return -HV_EBADMSG;
			}
			fi->locked[fi->n_locked].off = (uint16_t)pos;
			fi->locked[fi->n_locked].len = (uint16_t)MIN(len, CFG_SPACE - pos);
			fi->locked[fi->n_locked].id = (uint16_t)id;
			fi->n_locked++;
		}
		prev = pos;
		pos = ECAP_NEXT(h);
	}
	return 0;
}

int pci_func_probe(pci_cfg_read_fn rd, pci_cfg_write_fn wr, void *ctx, struct pci_func_info *out)
{
	uint32_t vendor = rd(ctx, CFG_VENDOR, 2), cmd;
	uint16_t rom = 0;
	bool pcie = false;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (vendor == 0xffffu || vendor == 0) {
		pr_err("pci: no function answers (vendor ID 0x%04x)", vendor);
		return -HV_ENODEV;
	}
	out->header_type = (uint8_t)(rd(ctx, CFG_HEADER_TYPE, 1) & HDR_TYPE_MASK);
	out->class_code = rd(ctx, CFG_CLASS_REV, 4) >> 8;
	out->chipset = (out->class_code >> 8) == CLASS_HOST_BR ||
		       (out->class_code >> 8) == CLASS_ISA_BR ||
		       (out->class_code >> 8) == CLASS_OTHER_BR;
	if (out->header_type == HDR_NORMAL) {
		out->n_bars = 6;
		rom = CFG_ROM0;
	} else if (out->header_type == HDR_BRIDGE) {
		out->n_bars = 2;
		rom = CFG_ROM1;
	}
	/* Sizing moves the BARs: nothing may decode them meanwhile. */
	cmd = rd(ctx, CFG_COMMAND, 2);
	if (out->n_bars && (cmd & (CMD_IO | CMD_MEM)))
		wr(ctx, CFG_COMMAND, 2, cmd & ~(CMD_IO | CMD_MEM));
	for (unsigned i = 0; i < out->n_bars && ret >= 0; i += (unsigned)ret)
		ret = probe_bar(rd, wr, ctx, out, i);
	if (ret >= 0 && rom)
		ret = probe_rom(rd, wr, ctx, out, rom);
	if (ret >= 0 && out->header_type == HDR_BRIDGE)
		probe_bridge(rd, wr, ctx, out);
	if (out->n_bars && (cmd & (CMD_IO | CMD_MEM)))
		wr(ctx, CFG_COMMAND, 2, cmd);
	if (ret < 0)
		return ret;
	if (out->n_bars && (rd(ctx, CFG_STATUS, 2) & STATUS_CAP_LIST))
		ret = probe_caps(rd, ctx, out, &pcie);
	if (ret >= 0 && pcie)
		ret = probe_ext_caps(rd, ctx, out);
	return ret < 0 ? ret : 0;
}

/* ---- the write check ---- */

/* Configuration space as it would be after the write: one dword replaced. */
struct view {
	pci_cfg_read_fn rd;
	void *ctx;
	uint16_t dw;
	uint32_t val;
	bool overlay;
};

static uint32_t vrd(const struct view *v, uint16_t off, unsigned size)
{
	uint32_t d;

	if (!v->overlay || (off & ~3u) != v->dw)
		return v->rd(v->ctx, off, size);
	d = v->val >> (8 * (off & 3u));
	return size == 4 ? d : d & ((1u << (8 * size)) - 1);
}

static bool check_bar(const struct pci_func_info *fi, const struct pci_policy *pol,
		      const struct view *v, unsigned i, char *why, size_t why_len)
{
	const struct pci_bar *b = &fi->bar[i];
	uint16_t off = (uint16_t)(CFG_BAR0 + 4 * i);
	uint32_t cmd = vrd(v, CFG_COMMAND, 2);
	uint64_t addr;

	if (!b->size)
		return true;
	if (b->kind == PCI_BAR_IO) {
		addr = vrd(v, off, 4) & b->mask;
		if (!(cmd & CMD_IO) || in_pio(pol, addr, b->size))
			return true;
		return fail(why, why_len,
			    "BAR%u 0x%llx (size 0x%llx) outside the partition's I/O ports", i,
			    ull(addr), ull(b->size));
	}
	if (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64)
		return true;
	addr = vrd(v, off, 4);
	if (b->kind == PCI_BAR_MEM64)
		addr |= (uint64_t)vrd(v, (uint16_t)(off + 4), 4) << 32;
	addr &= b->mask;
	if (!(cmd & CMD_MEM) || in_ranges(pol->mmio, pol->n_mmio, addr, b->size))
		return true;
	return fail(why, why_len,
		    "BAR%u 0x%llx (size 0x%llx) outside the partition's device memory", i,
		    ull(addr), ull(b->size));
}

static uint16_t rom_off(const struct pci_func_info *fi)
{
	return fi->header_type == HDR_BRIDGE ? CFG_ROM1 : CFG_ROM0;
}

static bool check_rom(const struct pci_func_info *fi, const struct pci_policy *pol,
		      const struct view *v, char *why, size_t why_len)
{
	uint32_t r = vrd(v, rom_off(fi), 4);
	uint64_t addr = r & fi->rom.mask;

	if (!fi->rom.size || !(r & ROM_ENABLE) || !(vrd(v, CFG_COMMAND, 2) & CMD_MEM) ||
	    in_ranges(pol->mmio, pol->n_mmio, addr, fi->rom.size))
		return true;
	return fail(why, why_len,
		    "expansion ROM 0x%llx (size 0x%llx) outside the partition's device memory",
		    ull(addr), ull(fi->rom.size));
}

static bool check_bridge_io(const struct pci_func_info *fi, const struct pci_policy *pol,
			    const struct view *v, char *why, size_t why_len)
{
	uint64_t base, limit;

	if (!fi->bridge_io || !(vrd(v, CFG_COMMAND, 2) & CMD_IO))
		return true;
	base = (uint64_t)(vrd(v, CFG_IO_BASE, 1) & BRIDGE_IO_ADDR) << 8;
	limit = (uint64_t)(vrd(v, CFG_IO_LIMIT, 1) & BRIDGE_IO_ADDR) << 8 | BRIDGE_IO_GRAN;
	if (fi->bridge_io32) {
		base |= (uint64_t)vrd(v, CFG_IO_BASE_HI, 2) << 16;
		limit |= (uint64_t)vrd(v, CFG_IO_LIMIT_HI, 2) << 16;
	}
	if (base > limit || in_pio(pol, base, limit - base + 1))
		return true;
	return fail(why, why_len,
		    "bridge I/O window 0x%llx-0x%llx outside the partition's I/O ports", ull(base),
		    ull(limit));
}

static bool check_bridge_mem(const struct pci_func_info *fi, const struct pci_policy *pol,
			     const struct view *v, bool pref, char *why, size_t why_len)
{
	uint16_t off = pref ? CFG_PREF_BASE : CFG_MEM_BASE;
	uint32_t w;
	uint64_t base, limit;

	if ((pref && !fi->bridge_pref) || !(vrd(v, CFG_COMMAND, 2) & CMD_MEM))
		return true;
	w = vrd(v, off, 4);
	base = (uint64_t)(w & BRIDGE_MEM_ADDR) << 16;
	limit = (uint64_t)((w >> 16) & BRIDGE_MEM_ADDR) << 16 | BRIDGE_MEM_GRAN;
	if (pref && fi->bridge_pref64) {
		base |= (uint64_t)vrd(v, CFG_PREF_BASE_HI, 4) << 32;
		limit |= (uint64_t)vrd(v, CFG_PREF_LIMIT_HI, 4) << 32;
	}
	if (base > limit || in_ranges(pol->mmio, pol->n_mmio, base, limit - base + 1))
		return true;
	return fail(why, why_len,
		    "bridge %smemory window 0x%llx-0x%llx outside the partition's device memory",
		    pref ? "prefetchable " : "", ull(base), ull(limit));
}

/* VGA Enable forwards the legacy VGA ranges (PCI-to-PCI Bridge 1.2 section 12.1.1). */
static bool check_bridge_vga(const struct pci_policy *pol, const struct view *v, char *why,
			     size_t why_len)
{
	uint32_t ctl = vrd(v, CFG_BRIDGE_CTL, 2), cmd = vrd(v, CFG_COMMAND, 2);

	if (!(ctl & BRIDGE_CTL_VGA))
		return true;
	if ((cmd & CMD_MEM) && !in_ranges(pol->mmio, pol->n_mmio, VGA_MEM_BASE, VGA_MEM_SIZE))
		return fail(
			why, why_len,
			"bridge control 0x%x: VGA memory 0xa0000-0xbffff is not the partition's",
			ctl);
	if (!(cmd & CMD_IO))
		return true;
	if (!(ctl & BRIDGE_CTL_VGA16))
		return fail(why, why_len,
			    "bridge control 0x%x: VGA with 10-bit I/O decode forwards aliases of "
			    "0x3b0-0x3df",
			    ctl);
	if (!in_pio(pol, 0x3b0, 0x0c) || !in_pio(pol, 0x3c0, 0x20))
		return fail(why, why_len,
			    "bridge control 0x%x: VGA ports 0x3b0-0x3df are not the partition's",
			    ctl);
	return true;
}

static uint32_t msi_data(const struct pci_func_info *fi, const struct view *v, uint16_t ctrl)
{
	uint16_t off = (uint16_t)(fi->msi_cap + ((fi->msi_ctrl & MSI_CTRL_64) ? 0x0c : 0x08));
	uint32_t data = vrd(v, off, 2);

	if (ctrl & MSI_CTRL_EXT_DATA)
		data |= vrd(v, (uint16_t)(off + 2), 2) << 16;
	return data;
}

static bool check_msi(const struct pci_func_info *fi, const struct pci_policy *pol,
		      const struct view *v, char *why, size_t why_len)
{
	uint16_t ctrl;
	uint64_t addr;
	uint32_t data;

	if (!fi->msi_cap)
		return true;
	ctrl = (uint16_t)vrd(v, (uint16_t)(fi->msi_cap + MSI_CTRL), 2);
	if (!(ctrl & MSI_CTRL_ENABLE))
		return true;
	addr = vrd(v, (uint16_t)(fi->msi_cap + MSI_ADDR_LO), 4);
	if (fi->msi_ctrl & MSI_CTRL_64)
		addr |= (uint64_t)vrd(v, (uint16_t)(fi->msi_cap + MSI_ADDR_HI), 4) << 32;
	/* Multiple Message Enable lets the function replace the low data bits: check the lowest vector. */
	data = msi_data(fi, v, ctrl) & ~((1u << MSI_CTRL_MME(ctrl)) - 1);
	return pci_msi_target_allowed(pol, addr, data, why, why_len);
}

/* Which rule governs one byte of configuration space. */
enum byte_class {
	B_RO,	   /* read-only in every function: passed on, the device ignores it */
	B_SCRATCH, /* cache line size, latency timer, interrupt line */
	B_COMMAND,
	B_BAR,
	B_ROM,
	B_BRIDGE,
	B_BUSNUM, /* a bridge's primary, secondary and subordinate bus: never */
	B_MSI,
	B_MSIX,
	B_MSIX_RO, /* table and PBA location: never, so the trapped table stays where it is */
	B_CAPS,
	B_EXT,
	B_LOCKED,  /* SR-IOV and Resizable BAR: never */
	B_DENY,	   /* header type we do not know: never */
	B_CHIPSET, /* beyond the header of a host or ISA/LPC bridge: never */
};

static const struct {
	uint32_t need;
	const char *name;
} class_info[] = {
	[B_RO] = { 0, "read-only register" },
	[B_SCRATCH] = { 0, "scratch register" },
	[B_COMMAND] = { BH_PCI_CFG_W_COMMAND, "COMMAND/STATUS/BIST" },
	[B_BAR] = { BH_PCI_CFG_W_BARS, "BAR" },
	[B_ROM] = { BH_PCI_CFG_W_ROM, "expansion ROM" },
	[B_BRIDGE] = { BH_PCI_CFG_W_ALL, "bridge windows/control" },
	[B_BUSNUM] = { 0, "bridge bus numbers" },
	[B_MSI] = { BH_PCI_CFG_W_MSI, "MSI capability" },
	[B_MSIX] = { BH_PCI_CFG_W_MSIX, "MSI-X message control" },
	[B_MSIX_RO] = { 0, "MSI-X table/PBA location" },
	[B_CAPS] = { BH_PCI_CFG_W_CAPS, "capability" },
	[B_EXT] = { BH_PCI_CFG_W_EXT, "extended configuration space" },
	[B_LOCKED] = { 0, "SR-IOV/Resizable BAR capability" },
	[B_DENY] = { 0, "register of an unknown header type" },
	[B_CHIPSET] = { 0, "chipset register of a host or ISA/LPC bridge" },
};

static const char *perm_name(uint32_t need)
{
	switch (need) {
	case BH_PCI_CFG_W_COMMAND:
		return "COMMAND";
	case BH_PCI_CFG_W_BARS:
		return "BARS";
	case BH_PCI_CFG_W_ROM:
		return "ROM";
	case BH_PCI_CFG_W_MSI:
		return "MSI";
	case BH_PCI_CFG_W_MSIX:
		return "MSIX";
	case BH_PCI_CFG_W_CAPS:
		return "CAPS";
	case BH_PCI_CFG_W_EXT:
		return "EXT";
	default:
		return "ALL";
	}
}

static enum byte_class header_class(const struct pci_func_info *fi, unsigned b)
{
	if (b < CFG_COMMAND)
		return B_RO;
	if (b < CFG_COMMAND + 4 || b == CFG_BIST)
		return B_COMMAND;
	if (b == CFG_CACHE_LINE || b == CFG_LATENCY)
		return B_SCRATCH;
	if (b < CFG_BAR0)
		return B_RO;
	if (fi->header_type != HDR_NORMAL && fi->header_type != HDR_BRIDGE)
		return B_DENY;
	if (b == CFG_INT_LINE)
		return B_SCRATCH;
	if (b < CFG_BAR0 + 4u * fi->n_bars)
		return B_BAR;
	if (b >= rom_off(fi) && b < rom_off(fi) + 4u)
		return B_ROM;
	/*
	 * The buses behind a bridge are checked at boot against the other
	 * partitions' functions (table_check_platform): renumbered, they could
	 * claim another partition's bus. The latency timer byte (0x1b) is free.
	 */
	if (fi->header_type == HDR_BRIDGE && b >= CFG_BUS_NUMBERS && b < CFG_BUS_NUMBERS + 3)
		return B_BUSNUM;
	if (fi->header_type == HDR_BRIDGE &&
	    (b < CFG_CAP_PTR || b == CFG_BRIDGE_CTL || b == CFG_BRIDGE_CTL + 1))
		return B_BRIDGE;
	return B_RO;
}

static enum byte_class byte_class(const struct pci_func_info *fi, unsigned b)
{
	if (b < CFG_HDR_END)
		return header_class(fi, b);
	if (fi->chipset)
		return B_CHIPSET;
	if (fi->header_type != HDR_NORMAL && fi->header_type != HDR_BRIDGE)
		return B_DENY;
	if (b < CFG_STD_END) {
		if (fi->msi_cap && b >= fi->msi_cap && b < fi->msi_cap + msi_cap_len(fi->msi_ctrl))
			return B_MSI;
		if (fi->msix_cap && b >= fi->msix_cap && b < fi->msix_cap + MSIX_CAP_LEN)
			return b < fi->msix_cap + MSIX_TABLE ? B_MSIX : B_MSIX_RO;
		return B_CAPS;
	}
	for (unsigned i = 0; i < fi->n_locked; i++)
		if (b >= fi->locked[i].off && b < fi->locked[i].off + fi->locked[i].len)
			return B_LOCKED;
	return B_EXT;
}

static bool in_window(const struct pci_policy *pol, unsigned b)
{
	for (unsigned i = 0; i < pol->n_windows; i++)
		if (b >= pol->windows[i].offset &&
		    b - pol->windows[i].offset < pol->windows[i].size)
			return true;
	return false;
}

static bool byte_allowed(const struct pci_func_info *fi, const struct pci_policy *pol, unsigned b,
			 char *why, size_t why_len)
{
	enum byte_class c = byte_class(fi, b);
	uint32_t need = class_info[c].need;

	if (c == B_MSIX_RO || c == B_LOCKED || c == B_DENY || c == B_CHIPSET || c == B_BUSNUM)
		return fail(why, why_len, "write to 0x%03x (%s) is never allowed", b,
			    class_info[c].name);
	if ((pol->cfg_write & need) == need || in_window(pol, b))
		return true;
	if (c == B_BAR)
		return fail(why, why_len, "write to 0x%03x (BAR%u) needs cfg_write %s", b,
			    (b - CFG_BAR0) / 4, perm_name(need));
	return fail(why, why_len, "write to 0x%03x (%s) needs cfg_write %s", b, class_info[c].name,
		    perm_name(need));
}

/* True when [off, off + size) overlaps [reg, reg + len). */
static bool touches(unsigned off, unsigned size, unsigned reg, unsigned len)
{
	return off < reg + len && reg < off + size;
}

/* The memory and port decoders and the MSI message the write can change, as they would be. */
static bool targets_allowed(const struct pci_func_info *fi, const struct pci_policy *pol,
			    const struct view *v, unsigned off, unsigned size, uint32_t val,
			    char *why, size_t why_len)
{
	bool cmd = touches(off, size, CFG_COMMAND, 2);
	bool hdr_known = fi->header_type == HDR_NORMAL || fi->header_type == HDR_BRIDGE;

	if (!hdr_known) {
		uint32_t now = v->rd(v->ctx, CFG_COMMAND, 2), after = vrd(v, CFG_COMMAND, 2);

		if (cmd && (after & ~now & (CMD_IO | CMD_MEM)))
			return fail(why, why_len,
				    "COMMAND 0x%x enables decode of a function with header type %u",
				    after, fi->header_type);
		return true;
	}
	for (unsigned i = 0; i < fi->n_bars; i++) {
		unsigned lo = fi->bar[i].kind == PCI_BAR_MEM64_HI ? i - 1 : i;

		if (!cmd && !touches(off, size, CFG_BAR0 + 4 * i, 4))
			continue;
		/* BAR sizing (a whole dword of all-ones), as Linux does with decode on for
		   host bridges; a partial one would move the BAR anywhere. */
		if (!cmd && size == 4 && val == 0xffffffffu)
			continue;
		if (!check_bar(fi, pol, v, lo, why, why_len))
			return false;
	}
	if ((cmd || touches(off, size, rom_off(fi), 4)) && !check_rom(fi, pol, v, why, why_len))
		return false;
	if (fi->header_type == HDR_BRIDGE) {
		if ((cmd || touches(off, size, CFG_IO_BASE, 2) ||
		     touches(off, size, CFG_IO_BASE_HI, 4)) &&
		    !check_bridge_io(fi, pol, v, why, why_len))
			return false;
		if ((cmd || touches(off, size, CFG_MEM_BASE, 4)) &&
		    !check_bridge_mem(fi, pol, v, false, why, why_len))
			return false;
		if ((cmd || touches(off, size, CFG_PREF_BASE, 12)) &&
		    !check_bridge_mem(fi, pol, v, true, why, why_len))
			return false;
		if ((cmd || touches(off, size, CFG_BRIDGE_CTL, 2)) &&
		    !check_bridge_vga(pol, v, why, why_len))
			return false;
	}
	if (fi->msi_cap && touches(off, size, fi->msi_cap, msi_cap_len(fi->msi_ctrl)) &&
	    !check_msi(fi, pol, v, why, why_len))
		return false;
	return true;
}

bool pci_cfg_write_allowed(const struct pci_func_info *fi, const struct pci_policy *pol,
			   pci_cfg_read_fn rd, void *ctx, uint16_t off, unsigned size, uint32_t val,
			   char *why, size_t why_len)
{
	struct view v = { .rd = rd, .ctx = ctx, .dw = (uint16_t)(off & ~3u), .overlay = true };
	unsigned shift = 8 * (off & 3u);
	uint32_t bytes;

	if ((size != 1 && size != 2 && size != 4) || (off & (size - 1)) || off + size > CFG_SPACE)
		return fail(why, why_len, "write of %u bytes at 0x%x is misaligned or past 4 KiB",
			    size, off);
	bytes = size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1) << shift;
	val = size == 4 ? val : val & ((1u << (8 * size)) - 1);
	for (unsigned b = off; b < off + size; b++)
		if (!byte_allowed(fi, pol, b, why, why_len))
			return false;
	v.val = (rd(ctx, v.dw, 4) & ~bytes) | (val << shift);
	return targets_allowed(fi, pol, &v, off, size, val, why, why_len);
}

bool pci_msi_target_allowed(const struct pci_policy *pol, uint64_t addr, uint32_t data, char *why,
			    size_t why_len)
{
	unsigned dest = MSI_ADDR_DEST(addr), dm = MSI_DATA_DM(data);

	if ((addr >> 32) || ((uint32_t)addr & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE)
		return fail(
			why, why_len,
			"MSI address 0x%llx is outside the interrupt range 0xfee00000-0xfeefffff",
			ull(addr));
	if (addr & MSI_ADDR_RSVD)
		return fail(why, why_len,
			    "MSI address 0x%llx sets bits 11:4 (remappable format or extended "
			    "destination)",
			    ull(addr));
	if (addr & MSI_ADDR_LOGICAL) {
		/*
		 * Which CPUs a logical destination reaches is decided by the
		 * hardware logical IDs, which are the hypervisor's (no one's),
		 * never by the LDR values a root writes: physical mode only. Linux
		 * uses it, the root's FADT copy asking for it (docs/threat-model.md).
		 */
		return fail(why, why_len,
			    "MSI address 0x%llx uses logical destination 0x%02x: only physical "
			    "destinations are given",
			    ull(addr), dest);
	} else {
		unsigned i;

		for (i = 0; i < pol->n_apic && dest != MSI_DEST_BROADCAST; i++)
			if (pol->apic_ids[i] == dest)
				break;
		if (dest == MSI_DEST_BROADCAST || i == pol->n_apic)
			return fail(why, why_len,
				    "MSI address 0x%llx targets APIC ID %u, not the partition's",
				    ull(addr), dest);
	}
	if (data & MSI_DATA_RSVD)
		return fail(why, why_len, "MSI data 0x%x sets reserved bits 31:16", data);
	if (dm != MSI_DM_FIXED && dm != MSI_DM_LOWPRI && dm != MSI_DM_NMI)
		return fail(why, why_len, "MSI data 0x%x has delivery mode %s", data,
			    msi_dm_name[dm]);
	if (dm != MSI_DM_NMI && MSI_DATA_VECTOR(data) < MSI_VECTOR_MIN)
		return fail(why, why_len, "MSI data 0x%x has vector %u, below %u", data,
			    MSI_DATA_VECTOR(data), MSI_VECTOR_MIN);
	return true;
}

bool pci_msix_entry_write_allowed(const struct pci_policy *pol, const uint32_t entry[4],
				  unsigned off, unsigned size, uint64_t val, char *why,
				  size_t why_len)
{
	uint32_t e[4];

	if (!((size == 4 && off < PCI_MSIX_ENTRY_SIZE && !(off & 3)) ||
	      (size == 8 && (off == 0 || off == 8))))
		return fail(why, why_len, "MSI-X entry write of %u bytes at 0x%x is not supported",
			    size, off);
	memcpy(e, entry, sizeof(e));
	e[off / 4] = (uint32_t)val;
	if (size == 8)
		e[off / 4 + 1] = (uint32_t)(val >> 32);
	if (e[MSIX_ENTRY_CTRL / 4] & PCI_MSIX_ENTRY_MASKED)
		return true;
	return pci_msi_target_allowed(
		pol, (uint64_t)e[MSIX_ENTRY_ADDR_HI / 4] << 32 | e[MSIX_ENTRY_ADDR_LO / 4],
		e[MSIX_ENTRY_DATA / 4], why, why_len);
}

bool pci_func_state_allowed(const struct pci_func_info *fi, const struct pci_policy *pol,
			    pci_cfg_read_fn rd, void *ctx, char *why, size_t why_len)
{
	struct view v = { .rd = rd, .ctx = ctx };

	/* A write to COMMAND re-checks every decoder; MSI on its own. */
	return targets_allowed(fi, pol, &v, CFG_COMMAND, 2, 0, why, why_len) &&
	       (!fi->msi_cap || check_msi(fi, pol, &v, why, why_len));
}

enum pci_msix_span pci_msix_write_span(uint64_t table, uint64_t len, uint64_t addr, unsigned size)
{
	uint64_t off;

	if (size == 0)
		return PCI_MSIX_OUTSIDE;
	if (addr + size < addr)
		return PCI_MSIX_REFUSED; /* wraps: nothing a CPU issues */
	if (addr >= table + len || addr + size <= table)
		return PCI_MSIX_OUTSIDE; /* no byte in the table */
	if (addr < table || addr + size > table + len)
		return PCI_MSIX_REFUSED; /* reaches into the table from outside, or out of it */
	off = (addr - table) % PCI_MSIX_ENTRY_SIZE;
	if ((size == 4 && (off & 3) == 0) || (size == 8 && (off == 0 || off == 8)))
		return PCI_MSIX_ENTRY;
	return PCI_MSIX_REFUSED;
}

bool pci_bar_sizing_emulated(const struct pci_func_info *fi, unsigned i, uint16_t cmd)
{
	const struct pci_bar *b;

	if (i >= fi->n_bars || i >= 6)
		return false;
	b = fi->bar[i].kind == PCI_BAR_MEM64_HI && i > 0 ? &fi->bar[i - 1] : &fi->bar[i];
	switch (b->kind) {
	case PCI_BAR_IO:
		return (cmd & CMD_IO) && b->size;
	case PCI_BAR_MEM32:
	case PCI_BAR_MEM64:
		return (cmd & CMD_MEM) && b->size;
	default:
		return false; /* not implemented: the hardware answers 0 and decodes nothing */
	}
}

uint32_t pci_bar_sizing_value(const struct pci_func_info *fi, unsigned i, uint32_t now)
{
	const struct pci_bar *b = &fi->bar[i];

	if (b->kind == PCI_BAR_MEM64_HI && i > 0)
		return (uint32_t)(fi->bar[i - 1].mask >> 32);
	if (b->kind == PCI_BAR_IO)
		return (uint32_t)b->mask | (now & BAR_IO_FLAGS);
	return (uint32_t)b->mask | (now & BAR_MEM_FLAGS);
}
