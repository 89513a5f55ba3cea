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
 * - any other port: reads return all ones, writes are dropped.
 * The decisions for COM1 and the IOAPIC are root/vdev.h's; this file does
 * the hardware accesses, the locking and the reports.
 */
#include <bulkhead/table.h>

#include "platform/acpi.h"
#include "platform/platform.h"
#include "root/root.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"
#include "core/partitions.h"
#include "core/spinlock.h"

#define COM1_BASE    0x3f8
#define COM1_ISA_IRQ 4

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
	int t;

	if (!com1_ioapic)
		return;
	spin_lock(&ioapic_lock);
	vioapic_env_of(p, com1_ioapic, &ctx, &vp, &e);
	t = vioapic_virt_target(&com1_ioapic->st, &e, &vector);
	spin_unlock(&ioapic_lock);
	if (t >= 0)
		apic_ipi((uint32_t)p->hw_ids[t], vector, "emulated COM1 interrupt");
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

#define ROOT_DENIED_REPORTS 32

void root_denied_access(struct vcpu *v, uint64_t gpa, bool write)
{
	static uint64_t last_page = ~0ULL;
	static unsigned reports;
	const char *owner = partitions_owner_of(gpa, v->part);

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

#define KBC_PULSE_RST 0xfe /* pulse the reset line (8042 command) */
#define RST_CNT_CPU   0x04 /* ICH reset control: reset the CPU */
#define PM1_SLP_EN    (1u << 13)

static bool root_owns_port(const struct partition *p, uint16_t port)
{
	for (uint32_t i = 0; i < p->pio_count; i++)
		if (port >= p->pio[i].base && port - p->pio[i].base < p->pio[i].size)
			return true;
	return false;
}

/* Reset and sleep registers: true when the access was a request (and is consumed). */
static bool power_request(struct vcpu *v, uint16_t port, unsigned size, uint64_t val)
{
	struct x86_root *xp = root_of(v->part);
	char how[64];

	if (port == PORT_KBC_CMD && (uint8_t)val == KBC_PULSE_RST) {
		root_request(v, ROOT_REQ_REBOOT, "keyboard controller, port 0x64 = 0xfe");
		return true;
	}
	if (xp->reset_port && port == xp->reset_port && (uint8_t)val == xp->reset_value) {
		snprintf(how, sizeof(how), "ACPI reset register, port 0x%x = 0x%x", port,
			 (unsigned)(uint8_t)val);
		root_request(v, ROOT_REQ_REBOOT, how);
		return true;
	}
	if (port == PORT_RST_CNT && (val & RST_CNT_CPU)) {
		snprintf(how, sizeof(how), "reset control, port 0xcf9 = 0x%x",
			 (unsigned)(uint8_t)val);
		root_request(v, ROOT_REQ_REBOOT, how);
		return true;
	}
	for (unsigned i = 0; i < 2; i++) {
		uint32_t cnt = (uint32_t)val;

		if (!xp->pm1_cnt[i] || port < xp->pm1_cnt[i] || port > xp->pm1_cnt[i] + 1)
			continue;
		if (port != xp->pm1_cnt[i])
			cnt <<= 8; /* a byte write to the upper half */
		else if (size == 1)
			cnt &= 0xff;
		if (cnt & PM1_SLP_EN) {
			snprintf(how, sizeof(how), "ACPI sleep, PM1%c_CNT 0x%x = 0x%x",
				 i ? 'b' : 'a', xp->pm1_cnt[i], cnt & 0xffff);
			root_request(v, ROOT_REQ_POWER_OFF, how);
			return true;
		}
	}
	return false;
}

static uint64_t port_access(uint16_t port, unsigned size, bool in, uint64_t val)
{
	if (in)
		return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	if (size == 1)
		outb(port, (uint8_t)val);
	else if (size == 2)
		outw(port, (uint16_t)val);
	else
		outl(port, (uint32_t)val);
	return 0;
}

static uint64_t root_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t val)
{
	struct partition *p = v->part;
	struct x86_root *xp = root_of(p);

	if (!in && power_request(v, port, size, val))
		return 0;

	if (port >= COM1_BASE && port < COM1_BASE + VUART_REGS) {
		uint32_t r = 0;

		vioapic_init();
		spin_lock(&xp->com1_lock);
		if (in) {
			r = vuart_read(&xp->com1, port - COM1_BASE);
		} else {
			int out;
			bool rose = vuart_write(&xp->com1, port - COM1_BASE, (uint8_t)val, &out);

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
	if (port == PCI_CONF1_ADDR && size == 4) {
		if (in)
			return xp->pci_cf8;
		xp->pci_cf8 = (uint32_t)val;
		return 0;
	}
	if (port >= PCI_CONF1_DATA && port < PCI_CONF1_DATA + 4)
		return root_pci_conf1(v, xp->pci_cf8, port, size, !in, (uint32_t)val);
	/* a port of its own intercepted only to watch for requests (PM1 control, 0x64) */
	if (root_owns_port(p, port) && (port < PCI_CONF1_ADDR || port > PCI_CONF1_DATA + 3))
		return port_access(port, size, in, val);
	return in ? insn_ones(size) : 0;
}

int root_port(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val)
{
	uint64_t r = root_io(v, port, size, in, *val);

	if (in)
		*val = (uint32_t)r;
	return 0;
}

void root_emul_reset(struct partition *p)
{
	struct x86_root *xp = root_of(p);

	spin_lock(&xp->com1_lock);
	vuart_reset(&xp->com1);
	spin_unlock(&xp->com1_lock);
	xp->pci_cf8 = 0;
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

	/* reads from the hardware: MTRRs, MISC_ENABLE, microcode, AMD SYSCFG */
	if (!write &&
	    (is_mtrr(msr) || msr == 0x1a0 || msr == 0x8b || msr == 0xce || msr == 0xc0010010)) {
		if (rdmsr_safe(hw_msr_for(v, msr), val) == 0)
			return true;
		pr_debug("partition \"%s\": RDMSR of MSR 0x%x: this CPU has none; #GP",
			 v->part->name, msr);
		return false;
	}
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
