// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the root partition (Linux) may touch that it does not own, emulated
 * or filtered instead of stopping it (docs/linux-root.md):
 * - COM1: the hypervisor's console; the root sees a 16550A whose output goes
 *   to the console as "[root] ..." lines, with its transmitter interrupt
 *   raised on the CPU the root aimed ISA IRQ 4 at (a virtual IOAPIC pin);
 * - the IOAPIC: redirection entries of the root's own pins reach the
 *   hardware with their destination resolved to one of the root's CPUs;
 *   other partitions' pins cannot be changed;
 * - PCI configuration through ports 0xCF8/0xCFC: passed to the hardware for
 *   functions the table gives the root, all-ones for every other function;
 * - the reset and power registers (root/rport.h): emulated, or a reboot or
 *   power-off request of the root alone, whatever its table grants;
 * - any other port: reads return all ones, writes are dropped.
 * Every byte of an access counts: one that spans registers is split.
 * The decisions for COM1 and the IOAPIC are root/vdev.h's; this file does
 * the hardware accesses, the locking and the reports.
 */
#include <bulkhead/table.h>

#include "platform/acpi.h"
#include "platform/platform.h"
#include "root/hpet.h"
#include "root/root.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"
#include "core/partitions.h"
#include "core/spinlock.h"

#define COM1_BASE		  0x3f8
#define COM1_ISA_IRQ		  4
#define ROOT_REFUSED_HPET_REPORTS 16

/* One lock for every IOAPIC's index/data pair and the root's shadow entries */
static spinlock_t ioapic_lock;

/* The root's view of each IOAPIC. */
struct vioapic {
	uint64_t base;
	uint32_t gsi_base;
	uint32_t pins;	  /* redirection entries of the hardware */
	int32_t virt_pin; /* the emulated COM1's pin on this IOAPIC, or -1 */
	struct vioapic_state st;
};

static struct vioapic vioapics[ACPI_MAX_IOAPICS];
static unsigned vioapic_count;
static bool vioapic_ready;
static struct vioapic *com1_ioapic; /* the IOAPIC with the emulated COM1's pin */

static uint32_t ioapic_hw_read(uint64_t base, uint32_t reg)
{
	mmio_write32(base + VIOAPIC_REGSEL, reg);
	return mmio_read32(base + VIOAPIC_WIN);
}

static void ioapic_hw_write(uint64_t base, uint32_t reg, uint32_t val)
{
	mmio_write32(base + VIOAPIC_REGSEL, reg);
	mmio_write32(base + VIOAPIC_WIN, val);
}

static void vioapic_setup(void)
{
	const struct acpi_info *ai = platform_acpi();
	uint32_t gsi = COM1_ISA_IRQ;

	for (uint32_t i = 0; i < ai->iso_count; i++)
		if (ai->isos[i].bus == 0 && ai->isos[i].source == COM1_ISA_IRQ)
			gsi = ai->isos[i].gsi;
	for (uint32_t i = 0; i < ai->ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
		struct vioapic *io = &vioapics[vioapic_count++];

		io->base = ai->ioapics[i].addr;
		io->gsi_base = ai->ioapics[i].gsi_base;
		io->pins = ((ioapic_hw_read(io->base, VIOAPIC_VER) >> 16) & 0xff) + 1;
		io->virt_pin = -1;
		vioapic_state_init(&io->st);
		if (gsi >= io->gsi_base && gsi - io->gsi_base < VIOAPIC_PINS) {
			com1_ioapic = io;
			io->virt_pin = (int32_t)(gsi - io->gsi_base);
		}
	}
}

static void vioapic_init(void)
{
	if (__atomic_load_n(&vioapic_ready, __ATOMIC_ACQUIRE))
		return;
	/* the root's CPUs may race to the first access */
	spin_lock(&ioapic_lock);
	if (!vioapic_ready)
		vioapic_setup();
	__atomic_store_n(&vioapic_ready, true, __ATOMIC_RELEASE);
	spin_unlock(&ioapic_lock);
}

/* What the IOAPIC callbacks need. */
struct vioapic_ctx {
	const struct partition *p;
	uint64_t base;
};

static bool root_owns_pin(const void *ctx, uint32_t pin)
{
	const struct vioapic_ctx *c = ctx;

	return part_owns_irq(c->p, c->base, pin);
}

static uint32_t hw_read_cb(const void *ctx, uint32_t reg)
{
	return ioapic_hw_read(((const struct vioapic_ctx *)ctx)->base, reg);
}

static void vioapic_env_of(const struct partition *p, const struct vioapic *io,
			   struct vioapic_ctx *ctx, struct vdev_part *vp, struct vioapic_env *e)
{
	ctx->p = p;
	ctx->base = io->base;
	vcpu_vdev_part(p, vp);
	e->part = vp;
	e->owned = p->irqs_known ? root_owns_pin : NULL;
	e->hw_read = hw_read_cb;
	e->ctx = ctx;
	e->pins = io->pins;
	e->virt_pin = io->virt_pin;
}

/* Raises the emulated COM1's interrupt as the root programmed its (virtual) pin. */
static void com1_raise(struct partition *p)
{
	struct vioapic_ctx ctx;
	struct vdev_part vp;
	struct vioapic_env e;
	uint8_t vector = 0;
	uint32_t lo, hi;
	int t;

	if (!com1_ioapic)
		return;
	spin_lock(&ioapic_lock);
	vioapic_env_of(p, com1_ioapic, &ctx, &vp, &e);
	t = vioapic_virt_target(&com1_ioapic->st, &e, &vector);
	lo = com1_ioapic->st.rte[com1_ioapic->virt_pin][0];
	hi = com1_ioapic->st.rte[com1_ioapic->virt_pin][1];
	spin_unlock(&ioapic_lock);
	if (t >= 0) {
		apic_ipi((uint32_t)p->hw_ids[t], vector, "emulated COM1 interrupt");
	} else if (!(lo & VIOAPIC_RTE_MASKED)) {
		/* a masked pin gets it when unmasked (root_ioapic_access); an unmasked one is lost */
		static unsigned reports;

		if (__atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED) <= 8)
			pr_warn("partition \"%s\": emulated COM1 interrupt not delivered: "
				"redirection entry 0x%08x%08x names no CPU of the partition",
				p->name, hi, lo);
	}
}

bool root_ioapic_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val)
{
	struct partition *p = v->part;
	struct vioapic *io = NULL;
	struct vioapic_ctx ctx;
	struct vdev_part vp;
	struct vioapic_env e;
	struct vioapic_result r;

	vioapic_init();
	for (unsigned i = 0; i < vioapic_count; i++)
		if (gpa >= vioapics[i].base && gpa - vioapics[i].base < VIOAPIC_SPAN)
			io = &vioapics[i];
	if (!io)
		return false;
	spin_lock(&ioapic_lock);
	vioapic_env_of(p, io, &ctx, &vp, &e);
	vioapic_access(&io->st, &e, gpa - io->base, size, write, write ? *val : 0, &r);
	for (unsigned i = 0; i < r.n_writes; i++)
		ioapic_hw_write(io->base, r.hw[i].reg, r.hw[i].val);
	if (r.eoi)
		mmio_write32(io->base + VIOAPIC_EOI, r.val);
	spin_unlock(&ioapic_lock);
	if (!write)
		*val = r.val;
	if (r.warn[0])
		pr_warn("partition \"%s\": IOAPIC 0x%llx %s", p->name, (unsigned long long)io->base,
			r.warn);
	if (r.virt_unmasked) {
		/* unmasking the COM1 pin while the UART asserts its line delivers it */
		struct x86_root *rt = root_of(p);
		bool line;

		spin_lock(&rt->com1_lock);
		line = vuart_line(&rt->com1);
		spin_unlock(&rt->com1_lock);
		if (line)
			com1_raise(p);
	}
	return true;
}

/* ---- the HPET (root/hpet.h): read-only to the root, every write checked ---- */

static spinlock_t hpet_lock;

struct hpet_ctx {
	const struct partition *p;
	uint64_t base;
};

static bool hpet_owned(const void *ctx, uint32_t gsi)
{
	const struct hpet_ctx *c = ctx;

	if (!c->p->irqs_known)
		return true; /* a table without IRQCHIPS gives the root every pin */
	vioapic_init();
	for (unsigned i = 0; i < vioapic_count; i++)
		if (gsi >= vioapics[i].gsi_base && gsi - vioapics[i].gsi_base < vioapics[i].pins)
			return part_owns_irq(c->p, vioapics[i].base, gsi - vioapics[i].gsi_base);
	return false;
}

static uint32_t hpet_hw_read(const void *ctx, uint32_t off)
{
	return (uint32_t)mmio_read32(((const struct hpet_ctx *)ctx)->base + off);
}

void root_hpet_setup(struct partition *p, struct x86_root *rt)
{
	uint64_t base = platform_acpi()->hpet_base, page = base & ~(uint64_t)(PAGE_SIZE - 1);
	int rc;

	if (rt->hpet_page || !base)
		return; /* trapped at boot already (a restart), or no HPET */
	rc = stage2_protect_page(p, page);
	if (rc == -HV_ENOENT)
		return; /* not in the root's memory: it cannot reach it */
	if (rc < 0) {
		pr_err("partition \"%s\": the HPET page 0x%llx could not be made read-only; its "
		       "writes reach the hardware unchecked",
		       p->name, (unsigned long long)page);
		return;
	}
	rt->hpet_page = page;
	pr_info("partition \"%s\": HPET at 0x%llx read-only, its writes checked (no FSB "
		"delivery, timers only on the root's IOAPIC inputs)",
		p->name, (unsigned long long)base);
}

void root_wdt_setup(struct partition *p, struct x86_root *rt)
{
	const struct acpi_info *ai = platform_acpi();
	struct rport_platform *pf = &rt->ports;

	pf->n_wdt = 0;
	for (uint32_t i = 0; i < ai->wdt_reg_count; i++) {
		const struct acpi_wdt_reg *r = &ai->wdt_regs[i];
		uint64_t page = ALIGN_DOWN(r->addr, PAGE_SIZE);
		bool seen = false;

		if (r->space == ACPI_SPACE_IO) {
			if (pf->n_wdt < RPORT_WDT_MAX) {
				pf->wdt[pf->n_wdt].port = (uint16_t)r->addr;
				pf->wdt[pf->n_wdt].len = r->size;
				pf->n_wdt++;
				vcpu_trap_ports(p->arch, (uint16_t)r->addr, r->size);
			}
			continue;
		}
		for (unsigned k = 0; k < rt->n_wdt_pages; k++)
			seen |= rt->wdt_pages[k] == page;
		if (seen || rt->n_wdt_pages == ARRAY_SIZE(rt->wdt_pages))
			continue; /* a restart: unmapped at boot already */
		if (stage2_unmap_page(p, page) == 0)
			rt->wdt_pages[rt->n_wdt_pages++] = page;
	}
	if (ai->wdt_table[0])
		pr_info("partition \"%s\": the %s watchdog's registers are the hypervisor's (%u "
			"ports trapped, %u pages unmapped)",
			p->name, ai->wdt_table, pf->n_wdt, rt->n_wdt_pages);
}

bool root_wdt_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	const struct acpi_info *ai = platform_acpi();
	struct x86_root *rt = root_of(v->part);
	bool page = false;

	for (unsigned k = 0; k < rt->n_wdt_pages; k++)
		page |= rt->wdt_pages[k] == ALIGN_DOWN(gpa, PAGE_SIZE);
	if (!page)
		return false;
	if (!write) {
		*val = mmio_read_sized(gpa, size);
		return true;
	}
	for (uint32_t i = 0; i < ai->wdt_reg_count; i++) {
		const struct acpi_wdt_reg *r = &ai->wdt_regs[i];
		static unsigned reports;

		if (r->space != ACPI_SPACE_MEMORY || gpa >= r->addr + r->size ||
		    r->addr >= gpa + size)
			continue;
		if (__atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED) <= ROOT_REFUSED_HPET_REPORTS)
			pr_warn("partition \"%s\": write 0x%llx to %s watchdog register 0x%llx "
				"dropped: the hypervisor's",
				v->part->name, (unsigned long long)*val, ai->wdt_table,
				(unsigned long long)r->addr);
		return true;
	}
	mmio_write_sized(gpa, size, *val);
	return true;
}

bool root_reset_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	const struct acpi_info *ai = platform_acpi();
	struct x86_root *rt = root_of(v->part);
	char how[96];

	if (!rt->reset_mem_page || ALIGN_DOWN(gpa, PAGE_SIZE) != rt->reset_mem_page)
		return false;
	if (!write) {
		*val = mmio_read_sized(gpa, size);
		return true;
	}
	if (rport_reset_reg_hit(ai->reset_reg.address, ai->reset_value, gpa, size, *val)) {
		snprintf(how, sizeof(how), "ACPI reset register, memory 0x%llx = 0x%x",
			 (unsigned long long)ai->reset_reg.address, ai->reset_value);
		root_request(v, ROOT_REQ_REBOOT, how);
		return true;
	}
	mmio_write_sized(gpa, size, *val);
	return true;
}

bool root_reset_cfg_write(struct vcpu *v, uint32_t bdf, uint16_t off, unsigned size, uint32_t val)
{
	const struct acpi_info *ai = platform_acpi();
	struct x86_root *rt = root_of(v->part);
	char how[96];

	if (rt->reset_cfg_bdf < 0 || bdf != (uint32_t)rt->reset_cfg_bdf ||
	    !rport_reset_reg_hit(rt->reset_cfg_off, ai->reset_value, off, size, val))
		return false;
	snprintf(how, sizeof(how), "ACPI reset register, PCI 00:%02x.%u offset 0x%x = 0x%x",
		 bdf >> 3, bdf & 7, rt->reset_cfg_off, ai->reset_value);
	root_request(v, ROOT_REQ_REBOOT, how);
	return true;
}

bool root_hpet_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	struct partition *p = v->part;
	struct x86_root *rt = root_of(p);
	uint64_t base = platform_acpi()->hpet_base;
	struct hpet_ctx ctx = { .p = p, .base = base };
	struct hpet_env e = { .owned = hpet_owned, .hw_read = hpet_hw_read, .ctx = &ctx };
	char why[96];
	bool ok;

	if (!rt->hpet_page || gpa < rt->hpet_page || gpa - rt->hpet_page >= PAGE_SIZE)
		return false;
	if (!write || gpa < base || gpa - base >= ACPI_HPET_SIZE) {
		/* reads do not trap (the page is read-only); the rest of the page is reserved */
		if (!write)
			*val = mmio_read_sized(gpa, size);
		return true;
	}
	e.timers = ((hpet_hw_read(&ctx, HPET_GCAP) >> 8) & 0x1f) + 1;
	spin_lock(&hpet_lock);
	ok = hpet_write_allowed(&e, (uint32_t)(gpa - base), size, *val, why, sizeof(why));
	if (ok)
		mmio_write_sized(gpa, size, *val);
	spin_unlock(&hpet_lock);
	if (!ok) {
		static unsigned reports;

		if (__atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED) <= ROOT_REFUSED_HPET_REPORTS)
			pr_warn("partition \"%s\": HPET write 0x%llx at 0x%llx dropped: %s",
				p->name, (unsigned long long)*val, (unsigned long long)gpa, why);
	}
	return true;
}

void root_poll(struct vcpu *v)
{
	root_ich_poll(v);
	part_console_drain(1); /* one queued console line per exit at most */
}

#define ROOT_DENIED_REPORTS 32

void root_denied_access(struct vcpu *v, uint64_t gpa, bool write)
{
	static uint64_t last_page = ~0ULL;
	static unsigned reports;
	const char *owner = partitions_owner_of(gpa, v->part);
	char bar[64];

	if (!owner && root_pci_bar_of(gpa, bar, sizeof(bar)))
		owner = bar;

	/* the root's guest-physical addresses are host-physical (docs/linux-root.md) */
	if (!owner || (gpa & ~0xfffULL) == last_page || reports > ROOT_DENIED_REPORTS)
		return;
	last_page = gpa & ~0xfffULL;
	if (++reports > ROOT_DENIED_REPORTS) {
		pr_warn("partition \"%s\": more denied accesses; no more reports", v->part->name);
		return;
	}
	pr_warn("partition \"%s\": %s of 0x%llx (memory of %s) denied: %s", v->part->name,
		write ? "write" : "read", (unsigned long long)gpa, owner,
		write ? "dropped" : "reads as all ones");
}

bool root_owns_port(const void *ctx, uint32_t port)
{
	const struct partition *p = ctx;

	for (uint32_t i = 0; i < p->pio_count; i++)
		if (port >= p->pio[i].base && port - p->pio[i].base < p->pio[i].size)
			return !root_pci_foreign_port(p, port);
	return false;
}

static uint32_t port_access(uint16_t port, unsigned size, bool in, uint32_t val)
{
	if (in)
		return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	if (size == 1)
		outb(port, (uint8_t)val);
	else if (size == 2)
		outw(port, (uint16_t)val);
	else
		outl(port, val);
	return 0;
}

static uint32_t com1_access(struct vcpu *v, uint16_t port, bool in, uint8_t val)
{
	struct partition *p = v->part;
	struct x86_root *xp = root_of(p);
	uint32_t r = 0;

	vioapic_init();
	spin_lock(&xp->com1_lock);
	if (in) {
		r = vuart_read(&xp->com1, port - COM1_BASE);
	} else {
		int out;
		bool rose = vuart_write(&xp->com1, port - COM1_BASE, val, &out);

		if (out >= 0) {
			char c = (char)out;

			part_console_write(p, &c, 1);
		}
		if (rose)
			com1_raise(p);
	}
	spin_unlock(&xp->com1_lock);
	return r;
}

#define ROOT_REFUSED_PORT_REPORTS 16

/* A port write refused (rport.h RPORT_REFUSED): reported, the first few times per boot. */
static void root_refused_port(struct vcpu *v, const char *how)
{
	static unsigned reports;
	unsigned n = __atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED);

	if (n <= ROOT_REFUSED_PORT_REPORTS)
		pr_warn("partition \"%s\" vCPU %u: %s: dropped", v->part->name, v->index, how);
	else if (n == ROOT_REFUSED_PORT_REPORTS + 1)
		pr_warn("partition \"%s\": more refused port writes; no more reports",
			v->part->name);
}

/*
 * A reset or power register: emulated, passed to the hardware, or a request
 * (true: the root is restarting or stopping, the rest of the access is
 * dropped).
 */
static bool reset_reg_access(struct vcpu *v, const struct rport_piece *pc, uint16_t port,
			     unsigned size, bool in, uint32_t *val)
{
	struct x86_root *xp = root_of(v->part);
	struct rport_result r;
	char how[RPORT_HOW_LEN + 48];

	spin_lock(&xp->rport_lock);
	rport_access(&xp->ports, &xp->rport, pc, in, *val, &r);
	/* the 8042's command and data must reach it in the order the state saw */
	if (r.act == RPORT_PASS && root_owns_port(v->part, pc->port))
		r.val = port_access(pc->port, pc->size, in, *val);
	else if (r.act == RPORT_PASS)
		r.val = in ? (uint32_t)insn_ones(pc->size) : 0;
	spin_unlock(&xp->rport_lock);
	if (r.act == RPORT_REFUSED)
		root_refused_port(v, r.how);
	if (r.act != RPORT_REBOOT && r.act != RPORT_POWER_OFF) {
		*val = r.val;
		return false;
	}
	if (pc->port != port || pc->size != size)
		snprintf(how, sizeof(how), "%s; a %u-byte write to port 0x%x reaching it", r.how,
			 size, port);
	else
		snprintf(how, sizeof(how), "%s", r.how);
	root_request(v, r.act == RPORT_REBOOT ? ROOT_REQ_REBOOT : ROOT_REQ_POWER_OFF, how);
	return true;
}

/* One piece of an access: inside one register, or one byte (root/rport.h). */
static uint32_t piece_access(struct vcpu *v, const struct rport_piece *pc, bool in, uint32_t val)
{
	struct x86_root *xp = root_of(v->part);

	switch (pc->kind) {
	case RPORT_OWNED:
		return port_access(pc->port, pc->size, in, val);
	case RPORT_COM1: /* byte registers: a wider access was split */
		return com1_access(v, pc->port, in, (uint8_t)val);
	case RPORT_PCI_ADDR:
		if (in)
			return xp->pci_cf8;
		xp->pci_cf8 = val;
		return 0;
	case RPORT_PCI_DATA:
		return root_pci_conf1(v, xp->pci_cf8, pc->port, pc->size, !in, val);
	default: /* RPORT_DENIED */
		return in ? (uint32_t)insn_ones(pc->size) : 0;
	}
}

static uint32_t root_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t val)
{
	struct x86_root *xp = root_of(v->part);
	struct rport_piece pcs[RPORT_PIECES_MAX];
	unsigned n = rport_split(&xp->ports, port, size, pcs);
	uint32_t r = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct rport_piece *pc = &pcs[i];
		uint32_t pv = (uint32_t)((uint64_t)val >> pc->shift) &
			      (uint32_t)insn_ones(pc->size);

		if (pc->kind == RPORT_TCO) {
			if (root_tco_access(v, (unsigned)(pc->port - pc->reg), pc->size, in, &pv))
				return in ? (uint32_t)insn_ones(size)
					  : 0; /* it fired: restarting */
		} else if (pc->kind >= RPORT_KBC_DATA) {
			if (reset_reg_access(v, pc, port, size, in, &pv))
				return in ? (uint32_t)insn_ones(size) : 0;
		} else {
			pv = piece_access(v, pc, in, pv);
		}
		if (in)
			r |= (pv & (uint32_t)insn_ones(pc->size)) << pc->shift;
	}
	return r;
}

int root_port(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val)
{
	uint32_t r;

	root_poll(v); /* its watchdog and the consoles run on its exits */
	r = root_io(v, port, size, in, *val);

	if (in)
		*val = r;
	return 0;
}

void root_emul_reset(struct partition *p)
{
	struct x86_root *xp = root_of(p);

	spin_lock(&xp->com1_lock);
	vuart_reset(&xp->com1);
	spin_unlock(&xp->com1_lock);
	xp->pci_cf8 = 0;
	root_ich_reset(p);
	root_pci_quiesce(p);
	spin_lock(&ioapic_lock);
	for (unsigned i = 0; i < vioapic_count; i++) {
		struct vioapic *io = &vioapics[i];
		uint8_t mask_hw[VIOAPIC_PINS / 8];
		struct vioapic_ctx ctx;
		struct vdev_part vp;
		struct vioapic_env e;

		vioapic_env_of(p, io, &ctx, &vp, &e);
		vioapic_reset(&io->st, &e, mask_hw);
		for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++)
			if (mask_hw[pin / 8] & (1u << (pin % 8)))
				ioapic_hw_write(io->base, VIOAPIC_REDTBL + pin * 2,
						VIOAPIC_RTE_MASKED);
	}
	spin_unlock(&ioapic_lock);
}

static bool is_mtrr(uint32_t msr)
{
	return msr == 0xfe || msr == 0x2ff || (msr >= 0x200 && msr <= 0x21f) || msr == 0x250 ||
	       msr == 0x258 || msr == 0x259 || (msr >= 0x268 && msr <= 0x26f);
}

/*
 * Test hook, fault_test=rootmsr on the hypervisor's command line (system test
 * root-linux-msr): QEMU's TCG answers RDMSR of an MSR it does not model with
 * 0 instead of #GP, so none of the MSRs below faults there, while on real
 * hardware 0x1a0 and 0xce fault on AMD and 0xc0010010 on Intel. With the
 * hook, the root's read of 0xce (Intel's PLATFORM_INFO) is executed as a
 * read of x2APIC register 0x803 (version), which faults on QEMU and on real
 * CPUs alike while the APIC is in xAPIC mode, as the root's CPUs' APICs are:
 * a hardware read the CPU refuses, on the root's behalf.
 */
#define FAULT_TEST_ROOT_MSR 0xce
#define FAULT_TEST_HW_MSR   0x803

static uint32_t hw_msr_for(struct vcpu *v, uint32_t msr)
{
	if (msr != FAULT_TEST_ROOT_MSR || !fault_test_is("rootmsr"))
		return msr;
	pr_info("fault_test: partition \"%s\": RDMSR 0x%x executed as RDMSR 0x%x (x2APIC "
		"register, #GP in xAPIC mode)",
		v->part->name, msr, FAULT_TEST_HW_MSR);
	return FAULT_TEST_HW_MSR;
}

/*
 * Every hardware access here is a safe one: the MSR number is the root's
 * choice, and a CPU without that MSR raises #GP, which must reach the root
 * (as on hardware without the MSR), never the hypervisor.
 */
bool root_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *val)
{
	uint64_t hw;

	/* reads from the hardware: MTRRs, MISC_ENABLE, microcode, TSC_ADJUST, AMD SYSCFG */
	if (!write && (is_mtrr(msr) || msr == 0x1a0 || msr == 0x8b || msr == 0xce || msr == 0x3b ||
		       msr == 0xc0010010)) {
		if (rdmsr_safe(hw_msr_for(v, msr), val) == 0)
			return true;
		pr_debug("partition \"%s\": RDMSR of MSR 0x%x: this CPU has none; #GP",
			 v->part->name, msr);
		return false;
	}
	/*
	 * Intel's way to read the microcode revision: 0 into BIOS_SIGN_ID, then
	 * CPUID (executed by the hypervisor on this CPU) fills it in
	 */
	if (write && msr == 0x8b && *val == 0)
		return wrmsr_safe(msr, 0) == 0;
	/* memory types are the firmware's and the hypervisor's: the write is dropped */
	if (write && is_mtrr(msr)) {
		pr_debug("partition \"%s\": WRMSR 0x%x (MTRR) ignored", v->part->name, msr);
		return true;
	}
	/* the root may rewrite the APIC base as long as the mode stays: ignored */
	if (write && msr == MSR_IA32_APIC_BASE && rdmsr_safe(MSR_IA32_APIC_BASE, &hw) == 0 &&
	    !((*val ^ hw) & ((1ULL << 10) | (1ULL << 11))))
		return true;
	/* #GP, as on hardware without the MSR; Linux's rdmsr_safe copes */
	pr_debug("partition \"%s\": %s of MSR 0x%x refused with #GP", v->part->name,
		 write ? "WRMSR" : "RDMSR", msr);
	return false;
}
