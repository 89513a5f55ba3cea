/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Linux root's PC, inside the hypervisor: what the root partition may
 * touch that it does not own, emulated or filtered (docs/linux-root.md).
 * It plugs into the vCPU layer by registration (struct vcpu_emul: ports,
 * MMIO, MSRs, shutdown, restart); the vCPU layer never names it.
 */
#ifndef ROOT_ROOT_H
#define ROOT_ROOT_H

#include "root/ich.h"
#include "root/rport.h"
#include "root/vdev.h"
#include "vcpu/vcpu.h"
#include "core/arch.h"
#include "core/spinlock.h"

/* The root's emulated devices and restart state (struct x86_part.priv). */
struct x86_root {
	struct vuart com1;	  /* the root's view of the emulated COM1 */
	spinlock_t com1_lock;	  /* the root's CPUs share the emulated UART */
	uint32_t pci_cf8;	  /* the root's last write to port 0xcf8 */
	struct linux_image image; /* what a restart reloads (image.kept: restartable) */
	uint32_t restarts;
	struct root_pci *pci;	     /* root_pci.c: the root's functions as probed at boot */
	struct rport_platform ports; /* reset and power ports, the root's ownership */
	struct rport_state rport;    /* the root's view of the reset registers */
	spinlock_t rport_lock;	     /* the root's CPUs share it (and the TCO watchdog) */
	struct vtco tco;	     /* root_ich.c: the root's own TCO watchdog */
	uint64_t tco_deadline;	     /* TSC of its next expiry (0: halted), read without the lock */
	bool ich_ready;		     /* the watchdog set up and the RCRB trapped (at boot) */
	uint64_t hpet_page;	     /* the HPET's page, read-only in the root's stage 2 (0: not) */
	uint64_t wdt_pages[8];	     /* pages of a WDAT/WDRT watchdog's registers, unmapped */
	unsigned n_wdt_pages;
	uint64_t reset_mem_page; /* the FADT reset register's page when in memory, unmapped */
	int32_t reset_cfg_bdf;	 /* the FADT reset register's function when in config space; -1 */
	uint16_t reset_cfg_off;
};

static inline struct x86_root *root_of(const struct partition *p)
{
	return ((struct x86_part *)p->arch)->priv;
}

/* What the Linux root asked for through a reset or sleep register. */
enum root_request {
	ROOT_REQ_REBOOT,
	ROOT_REQ_POWER_OFF,
};

/*
 * restart.c: the root asked for a reboot or power-off (how: which register,
 * for the report). A reboot restarts the root when the hypervisor kept its
 * image; otherwise, and for a power-off, the root stops. The other
 * partitions are never touched, and the machine is never reset.
 */
void root_request(struct vcpu *v, enum root_request req, const char *how);
/* restart.c: the vCPU layer's restart and shutdown hooks for the root */
int root_restart(struct vcpu *v);
void root_shutdown(struct vcpu *v);

/* linux_root.c: places a Linux kernel in the root and sets its boot-protocol start state */
int root_linux_setup(struct partition *p, struct x86_part *xp, const struct linux_image *li);

/* root_emul.c: whether the root's table gives it port (ctx: the partition) */
bool root_owns_port(const void *ctx, uint32_t port);
/*
 * root_emul.c: the root's intercepted port accesses (registered for every
 * port): each byte by what it is (root/rport.h): its own ports pass to the
 * hardware, COM1 and PCI configuration are emulated, reset and power
 * registers are emulated or become a reboot or power-off request, the rest
 * reads all ones and drops writes.
 */
int root_port(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val);
/*
 * root_emul.c: the root's access to an MSR outside the bitmap: true when it is
 * done (a read's value in *val; a write carried out or dropped), false when
 * the root gets #GP.
 */
bool root_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *val);
/*
 * root_emul.c: a 32-bit access of the root to an IOAPIC's page (emulated:
 * index/data, only the root's own pins). False when gpa is not an IOAPIC's.
 */
bool root_ioapic_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val);
/*
 * root_emul.c: the root touched memory it does not own (the access is denied:
 * reads give all ones, writes are dropped); reported when it belongs to
 * another partition or the hypervisor, at most one line per page and
 * ROOT_DENIED_REPORTS lines in all.
 */
void root_denied_access(struct vcpu *v, uint64_t gpa, bool write);
/*
 * root_emul.c: at the root's first setup, maps the HPET's page (ACPI) read-only
 * when the root's table gives it that memory, so its writes trap
 */
void root_hpet_setup(struct partition *p, struct x86_root *rt);
/* root_emul.c: a root write to the HPET page (checked, root/hpet.h); false when gpa is not it */
bool root_hpet_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
/*
 * A watchdog ACPI describes (WDAT/WDRT) is the hypervisor's: its I/O
 * registers go to the port filter (RPORT_WDT), the pages of its memory
 * registers are unmapped from the root; reads pass, writes to a register
 * are dropped and reported, other bytes of those pages pass.
 */
void root_wdt_setup(struct partition *p, struct x86_root *rt);
/*
 * The FADT's reset register in memory (GAS space 0): its page is unmapped
 * from the root; a write that puts the reset value in it is a reboot
 * request, everything else passes. In PCI configuration space (GAS space
 * 2, bus 0): root_pci.c asks root_reset_cfg_write() before its filter.
 */
bool root_reset_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
bool root_reset_cfg_write(struct vcpu *v, uint32_t bdf, uint16_t off, unsigned size, uint32_t val);
bool root_wdt_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
/* root_emul.c: the emulated devices and the root's IOAPIC pins back to their reset state */
void root_emul_reset(struct partition *p);
/* root_mmio.c: the root's accesses to memory it does not own (registered for all of it) */
int root_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);

/*
 * root_ich.c: the ICH/PCH TCO watchdog, SMI_EN and RCRB (root/ich.h), found
 * once from the LPC bridge: the hardware's are the hypervisor's (the TCO
 * timer halted, NO_REBOOT set), the root's ports to them are trapped
 * (rt->ports.tco, .smi_en) and its RCRB pages unmapped; the root gets a
 * watchdog of its own. Called at every setup of the root (boot, restart).
 */
void root_ich_setup(struct partition *p, struct x86_part *xp, struct x86_root *rt);
/* root_ich.c: a root access to its TCO block at off; true when it fired (restarting) */
bool root_tco_access(struct vcpu *v, unsigned off, unsigned size, bool in, uint32_t *val);
/* root_emul.c: at a root exit (vcpu_emul.poll): the watchdog, one queued console line */
void root_poll(struct vcpu *v);
/* root_ich.c: at a root exit: the watchdog's expiry, when it is due */
void root_ich_poll(struct vcpu *v);
/* root_ich.c: a root access inside the trapped RCRB; false when gpa is not there */
bool root_rcrb_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
/* root_ich.c: for a root restart: the watchdog as a new kernel finds it */
void root_ich_reset(struct partition *p);

/*
 * root_pci.c: sizes the BARs of every function of the machine (sbdf: the
 * boot scan), before any partition runs; the root's setup then takes the
 * BARs of functions that are not the root's out of its reach.
 */
void root_pci_census(const uint32_t *sbdf, unsigned n);
/* root_pci.c: whether port is in an I/O BAR of a function that is not the root's */
bool root_pci_foreign_port(const struct partition *p, uint32_t port);
/* root_pci.c: the BAR (and its function's owner) at gpa, for reports; false if none */
bool root_pci_bar_of(uint64_t gpa, char *buf, size_t len);
/* root_pci.c: probes the root's PCI functions once (at boot; a restart keeps them) */
int root_pci_setup(struct partition *p, struct x86_root *rt);
/*
 * root_pci.c: for a root restart: bus mastering, MSI and MSI-X off on every
 * function of the root, so no DMA or interrupt of the old kernel's drivers
 * reaches the new kernel; its drivers turn them on again.
 */
void root_pci_quiesce(struct partition *p);
/* root_pci.c: a root access to port 0xCFC..0xCFF with address cf8 (filtered) */
uint32_t root_pci_conf1(struct vcpu *v, uint32_t cf8, uint16_t port, unsigned size, bool write,
			uint32_t val);
/* root_pci.c: a root access inside MMCONFIG (filtered); false when gpa is not MMCONFIG */
bool root_pci_mmcfg(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val);
/* root_pci.c: a root access to a trapped MSI-X table page; false when gpa is not one */
bool root_pci_msix(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);

#endif
