/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The check on the root partition's PCI configuration writes: which bytes of
 * a function's configuration space the table lets the root write, and that
 * no write makes the function decode memory or ports, or send MSIs, outside
 * what the root owns. Pure: configuration space is reached only through the
 * caller's callbacks, so unit tests and the fuzzer use a fake one.
 * Rules for users: docs/pci-filter.md.
 */
#ifndef ARCH_PCI_FILTER_H
#define ARCH_PCI_FILTER_H

#include "bulkhead/table.h"
#include "core/types.h"

/* Reads size (1, 2 or 4) bytes at off (aligned to size) of the function. */
typedef uint32_t (*pci_cfg_read_fn)(void *ctx, uint16_t off, unsigned size);
/* Writes size (1, 2 or 4) bytes at off (aligned to size) of the function. */
typedef void (*pci_cfg_write_fn)(void *ctx, uint16_t off, unsigned size, uint32_t val);

struct pci_range {
	uint64_t base, size;
};

enum pci_bar_kind {
	PCI_BAR_NONE = 0, /* not implemented (sized 0) */
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,	  /* low half of a 64-bit BAR; the next BAR is its upper half */
	PCI_BAR_MEM64_HI, /* upper half of the BAR before it */
	PCI_BAR_ROM,
};

struct pci_bar {
	uint8_t kind; /* enum pci_bar_kind */
	bool prefetch;
	uint64_t size; /* bytes decoded; 0 when not implemented */
	/* Address bits the function implements (for MEM64 both halves): the
	   address it decodes is the register value AND this mask. */
	uint64_t mask;
};

/* Filled once by pci_func_probe() at boot, before the root runs. */
struct pci_func_info {
	uint8_t header_type; /* bits 6:0 of the header type: 0, 1 (bridge), others */
	uint32_t class_code; /* base class << 16 | subclass << 8 | programming interface */
	/* A host bridge (class 06 00) or ISA/LPC bridge (06 01): its registers from
	   0x40 on hold the platform's decoders and routing (PCIEXBAR, RCBA,
	   PMBASE, PIRQ routing, SMRAM, BIOS write enable, TOLUD...): never written
	   by a partition, whatever its table grants. */
	bool chipset;
	uint8_t n_bars; /* 6 for type 0, 2 for type 1, 0 otherwise */
	struct pci_bar bar[6];
	struct pci_bar rom;
	uint8_t msi_cap;   /* offset of the MSI capability, 0 if none */
	uint16_t msi_ctrl; /* its message control as probed (64-bit, per-vector masking) */
	uint8_t msix_cap;  /* offset of the MSI-X capability, 0 if none */
	uint8_t msix_bir;  /* BAR that holds the MSI-X table */
	uint32_t msix_offset;
	uint16_t msix_entries;
	/* Type 1: which optional windows the bridge implements. */
	bool bridge_io, bridge_io32, bridge_pref, bridge_pref64;
	/* Extended capabilities whose registers the root may never write, as
	   they would change BAR sizes or create functions with BARs of their
	   own (Resizable BAR, VF Resizable BAR, SR-IOV). */
	uint8_t n_locked;
	struct {
		uint16_t off, len;
		uint16_t id;
	} locked[4];
};

/*
 * Sizes the BARs and the expansion ROM (writes all-ones and zeros, reads
 * back, restores; memory and I/O decode are off in COMMAND meanwhile and
 * restored after), probes a bridge's optional windows, and walks the
 * capability list (bounded and loop-safe) and the extended capability list.
 * Returns 0, -HV_ENODEV when no function answers, -HV_EBADMSG for a
 * malformed function (BAR that is not a power-of-two sized naturally aligned
 * range, capability list that loops or points below 0x40, ...), each with
 * one log line.
 */
int pci_func_probe(pci_cfg_read_fn rd, pci_cfg_write_fn wr, void *ctx, struct pci_func_info *out);

/* What one partition may do with one function. */
struct pci_policy {
	const struct pci_range *mmio; /* where memory BARs / bridge windows may lie */
	unsigned n_mmio;
	const struct pci_range *pio; /* I/O BARs and windows: ports the partition owns */
	unsigned n_pio;
	const uint32_t *apic_ids; /* MSI physical destinations allowed */
	unsigned n_apic;
	uint32_t cfg_write;		     /* BH_PCI_CFG_W_* of this function */
	const struct bh_pci_window *windows; /* extra writable bytes */
	unsigned n_windows;
};

/*
 * True when writing val (size 1, 2 or 4 bytes at off) may go to the device
 * unchanged; false, with a one-line reason in why, when it must be dropped.
 * Reads the current bytes around the write through rd. Does not log.
 */
bool pci_cfg_write_allowed(const struct pci_func_info *fi, const struct pci_policy *pol,
			   pci_cfg_read_fn rd, void *ctx, uint16_t off, unsigned size, uint32_t val,
			   char *why, size_t why_len);

/*
 * True when the MSI message (address, data) delivers only to the partition's
 * CPUs with an allowed delivery mode and vector (Intel SDM vol. 3A 11.11).
 */
bool pci_msi_target_allowed(const struct pci_policy *pol, uint64_t addr, uint32_t data, char *why,
			    size_t why_len);

/* MSI-X table entry layout (PCI Local Bus 3.0 section 6.8.2.6). */
#define PCI_MSIX_ENTRY_SIZE   16
#define PCI_MSIX_ENTRY_MASKED (1u << 0) /* vector control: masked */

/*
 * The check for a write of size (4, or 8 at offset 0 or 8) bytes at off
 * within one MSI-X table entry, whose current four dwords are in entry: true
 * when the entry as it would be is masked or targets only the partition.
 * Linux masks an entry while it rewrites it, so only the unmask (or a write
 * to an unmasked entry) is checked.
 */
bool pci_msix_entry_write_allowed(const struct pci_policy *pol, const uint32_t entry[4],
				  unsigned off, unsigned size, uint64_t val, char *why,
				  size_t why_len);

/*
 * BAR sizing while the BAR decodes: a write of all ones to BAR register i
 * (0-5) would make the function decode from wherever the hardware rounds
 * it to until the value is written back. pci_bar_sizing_emulated() says
 * whether such a write is answered by the hypervisor instead (the BAR is
 * implemented and COMMAND cmd has its decode on); pci_bar_sizing_value() is
 * what the register then reads: what the hardware answered at boot (the
 * size mask with the type bits now has).
 */
bool pci_bar_sizing_emulated(const struct pci_func_info *fi, unsigned i, uint16_t cmd);
uint32_t pci_bar_sizing_value(const struct pci_func_info *fi, unsigned i, uint32_t now);

/* Where a write of size bytes at addr lies against an MSI-X table [table, table + len). */
enum pci_msix_span {
	PCI_MSIX_OUTSIDE, /* no byte in the table: the rest of its page (PBA, other registers) */
	PCI_MSIX_ENTRY,	  /* inside one entry, 4 bytes aligned or 8 at offset 0 or 8: checked */
	PCI_MSIX_REFUSED, /* in the table otherwise: across its ends or entries, or 1-2 bytes */
};
enum pci_msix_span pci_msix_write_span(uint64_t table, uint64_t len, uint64_t addr, unsigned size);

/*
 * True when the function's current configuration (read through rd) decodes
 * memory and ports only inside the policy's ranges and its enabled MSI
 * targets the partition; else false with the first reason in why. For boot
 * (turn decode off when it fails) and for tests.
 */
bool pci_func_state_allowed(const struct pci_func_info *fi, const struct pci_policy *pol,
			    pci_cfg_read_fn rd, void *ctx, char *why, size_t why_len);

#endif
