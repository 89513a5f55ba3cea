// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86_64 platform bring-up for core/: ACPI discovery, TSC calibration, the
 * hypervisor's page tables, the local APIC, starting every CPU, and the
 * report of what was found (CPUs by APIC ID, VMX/SVM features per CPU).
 */
#include "platform/acpi.h"
#include "platform/chipset.h"
#include "platform/platform.h"
#include "cpu/percpu.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/boot_info.h"
#include "core/cmdline.h"
#include "core/hv.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/table.h"

#define SMP_TIMEOUT_MS_DEFAULT	 1000
#define SMP_INIT_DELAY_US_LEGACY 10000

static struct acpi_info acpi;

const struct acpi_info *platform_acpi(void)
{
	return &acpi;
}

static const void *acpi_map_identity(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys == 0 || len == 0 || phys + len < phys || phys + len > paging_mapped_top())
		return NULL;
	return (const void *)(uintptr_t)phys;
}

static void report_acpi(void)
{
	pr_info("ACPI: revision %u, OEM \"%s\", %u tables via %s at 0x%llx", acpi.revision,
		acpi.oem_id, acpi.table_count, acpi.root_is_xsdt ? "XSDT" : "RSDT",
		(unsigned long long)acpi.root_phys);
	if (acpi.have_madt)
		pr_info("ACPI: MADT: %u CPUs, %u IOAPICs, %u interrupt overrides, LAPIC at 0x%llx",
			acpi.cpu_count, acpi.ioapic_count, acpi.iso_count,
			(unsigned long long)(acpi.lapic_addr64 ? acpi.lapic_addr64
							       : acpi.lapic_addr));
	for (uint32_t i = 0; i < acpi.ioapic_count; i++)
		pr_info("ACPI: IOAPIC %u at 0x%x, GSI base %u", acpi.ioapics[i].id,
			acpi.ioapics[i].addr, acpi.ioapics[i].gsi_base);
	for (uint32_t i = 0; i < acpi.mcfg_count; i++)
		pr_info("ACPI: MCFG: segment %u buses %u-%u at 0x%llx", acpi.mcfg[i].segment,
			acpi.mcfg[i].bus_start, acpi.mcfg[i].bus_end,
			(unsigned long long)acpi.mcfg[i].base);
}

/* A watchdog register as the hypervisor reads and writes it (memory is mapped first). */
static uint32_t wdt_read(const struct acpi_wdt_reg *r)
{
	if (r->space == ACPI_SPACE_IO)
		return r->size == 1   ? inb((uint16_t)r->addr)
		       : r->size == 2 ? inw((uint16_t)r->addr)
				      : inl((uint16_t)r->addr);
	return (uint32_t)mmio_read_sized(r->addr, r->size > 4 ? 4 : r->size);
}

static void wdt_write(const struct acpi_wdt_reg *r, uint32_t v)
{
	if (r->space == ACPI_SPACE_IO) {
		if (r->size == 1)
			outb((uint16_t)r->addr, (uint8_t)v);
		else if (r->size == 2)
			outw((uint16_t)r->addr, (uint16_t)v);
		else
			outl((uint16_t)r->addr, v);
		return;
	}
	mmio_write_sized(r->addr, r->size > 4 ? 4 : r->size, v);
}

/*
 * A watchdog ACPI describes (WDAT or WDRT) is the hypervisor's: its
 * registers are kept from every partition (the root's trapped, the others'
 * refused at boot), and WDAT's SET_STOPPED_STATE instructions are run now,
 * so a firmware-started timer cannot reset the machine. A WDRT has no stop
 * instructions: the boot log says its timer is left as the firmware set it.
 */
static void wdt_take(void)
{
	char regs[160];
	size_t n = 0;

	if (!acpi.wdt_table[0])
		return;
	for (uint32_t i = 0; i < acpi.wdt_reg_count; i++) {
		const struct acpi_wdt_reg *r = &acpi.wdt_regs[i];

		if (r->space == ACPI_SPACE_MEMORY && paging_map_device(r->addr, r->size) < 0) {
			pr_err("ACPI: %s register 0x%llx cannot be mapped; the watchdog is not "
			       "touched",
			       acpi.wdt_table, (unsigned long long)r->addr);
			return;
		}
		if (n < sizeof(regs))
			n += (size_t)snprintf(regs + n, sizeof(regs) - n, "%s%s 0x%llx/%u",
					      i ? ", " : "",
					      r->space == ACPI_SPACE_IO ? "port" : "memory",
					      (unsigned long long)r->addr, r->size);
	}
	for (uint32_t i = 0; i < acpi.wdt_stop_count; i++) {
		const struct acpi_wdat_insn *w = &acpi.wdt_stop[i];
		unsigned op = w->insn & ~ACPI_WDAT_PRESERVE;
		uint32_t mask = w->mask << w->bit_offset, x = (w->value & w->mask) << w->bit_offset;

		if (op != ACPI_WDAT_WRITE_VALUE && op != ACPI_WDAT_WRITE_COUNTDOWN)
			continue;
		if (w->insn & ACPI_WDAT_PRESERVE)
			x |= wdt_read(&w->reg) & ~mask;
		wdt_write(&w->reg, x);
	}
	pr_info("ACPI: %s hardware watchdog (%s) is the hypervisor's: %s", acpi.wdt_table, regs,
		acpi.wdt_stop_count
			? "halted by its SET_STOPPED_STATE instructions"
			: "no stop instructions, its timer left as the firmware set it");
}

static void report_cpu(const struct percpu *c)
{
	const struct virt_caps *v = &c->virt;

	if (v->svm)
		pr_info("cpu%u: APIC ID %u: AMD SVM rev %u, %u ASIDs, NPT %s, NRIP save %s, decode "
			"assists %s, AVIC %s",
			c->cpu_id, c->apic_id, v->svm_revision, v->asids, v->npt ? "yes" : "no",
			v->nrips ? "yes" : "no", v->decode_assists ? "yes" : "no",
			v->avic ? "yes" : "no");
	else if (v->vmx)
		pr_info("cpu%u: APIC ID %u: Intel VMX, EPT %s, unrestricted guest %s, VPID %s, "
			"preemption timer %s",
			c->cpu_id, c->apic_id, v->ept ? "yes" : "no",
			v->unrestricted_guest ? "yes" : "no", v->vpid ? "yes" : "no",
			v->preemption_timer ? "yes" : "no");
	else
		pr_warn("cpu%u: APIC ID %u: no usable virtualization (%s)", c->cpu_id, c->apic_id,
			v->vmx_locked_off ? "VMX locked off by firmware"
			: v->svm_disabled ? "SVM disabled by firmware"
					  : "no VMX or SVM");
}

/* Reports every CPU by state; returns how many are online now. */
static unsigned report_cpus(uint64_t entry_tsc)
{
	char ids[256];
	size_t n = 0;
	unsigned online = 0, svm_npt = 0, vmx_ept = 0, dead = 0, disabled = 0, halted = 0;
	uint64_t last = 0;

	ids[0] = '\0';
	for (unsigned i = 0; i < cpu_count; i++) {
		const struct percpu *c = &percpu[i];
		uint32_t state = __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);

		dead += state == CPU_DEAD;
		disabled += state == CPU_DISABLED;
		halted += state == CPU_HALTED;
		if (state == CPU_HALTED)
			pr_warn("cpu%u: APIC ID %u: halted after a fault", c->cpu_id, c->apic_id);
		if (state != CPU_ONLINE)
			continue;
		online++;
		if (n < sizeof(ids))
			n += (size_t)snprintf(ids + n, sizeof(ids) - n, "%s%u", n ? " " : "",
					      c->apic_id);
		report_cpu(c);
		if (c->virt.svm && c->virt.npt)
			svm_npt++;
		if (c->virt.vmx && c->virt.ept && c->virt.unrestricted_guest)
			vmx_ept++;
		last = MAX(last, c->checkin_tsc);
	}
	pr_info("cpus: %u online (APIC IDs %s), %u did not start, %u halted, %u disabled in MADT",
		online, ids, dead, halted, disabled);
	if (svm_npt == online)
		pr_info("virt: AMD SVM with NPT on all %u CPUs", online);
	else if (vmx_ept == online)
		pr_info("virt: Intel VMX with EPT and unrestricted guest on all %u CPUs", online);
	else
		pr_warn("virt: of %u CPUs, %u have SVM+NPT and %u VMX+EPT+unrestricted guest",
			online, svm_npt, vmx_ept);
	if (entry_tsc && last > entry_tsc)
		pr_info("boot: all CPUs checked in %llu us after hypervisor entry (%llu TSC "
			"cycles)",
			(unsigned long long)tsc_to_us(last - entry_tsc),
			(unsigned long long)(last - entry_tsc));
	return online;
}

unsigned platform_init(const struct boot_info *bi, struct memmap *mm)
{
	static char fault_test[16];
	bool allow_x2apic = cmdline_get_bool(bi->cmdline, "x2apic", true);
	struct smp_options smp = {
		.allow_x2apic = allow_x2apic,
		.timeout_us = 1000 * cmdline_get_u64(bi->cmdline, "smp_timeout_ms",
						     SMP_TIMEOUT_MS_DEFAULT),
		.phantom_apic_id = (uint32_t)cmdline_get_u64(bi->cmdline, "smp_phantom",
							     SMP_NO_PHANTOM),
	};
	struct percpu *bsp = &percpu[0];
	int rc;

	boot_entry_cycles = bi->entry_tsc;
	rc = paging_init(mm);
	if (rc < 0)
		hv_stop("cannot build the hypervisor page tables");
	cpu_harden();

	if (bi->rsdp_len == 0) {
		pr_err("ACPI: the loader passed no RSDP; no MADT, boot CPU only");
	} else if (acpi_parse(bi->rsdp, bi->rsdp_len, acpi_map_identity, NULL, &acpi) < 0) {
		pr_err("ACPI: tables unusable; boot CPU only");
		memset(&acpi, 0, sizeof(acpi));
	} else {
		report_acpi();
		wdt_take();
	}
	/* measured against the PM timer (if need be) while the APs start */
	time_calibrate_start(cmdline_get_u64(bi->cmdline, "tsc_khz", 0), acpi.pm_tmr_port,
			     acpi.pm_tmr_32bit);
	{
		bool slow = smp_needs_init_delay();

		smp.init_delay_us = cmdline_get_u64(bi->cmdline, "smp_init_delay_us",
						    slow ? SMP_INIT_DELAY_US_LEGACY : 0);
		if (smp.init_delay_us)
			pr_info("smp: waiting %llu us after INIT%s",
				(unsigned long long)smp.init_delay_us,
				slow ? " (a CPU model that needs it)" : "");
	}

	{
		uint32_t a, b, c, d;

		cpuid(1, 0, &a, &b, &c, &d);
		apic_init_cpu(apic_cpu_x2apic(allow_x2apic, b >> 24));
	}
	bsp->apic_id = apic_read_id();
	bsp->checkin_tsc = rdtsc();
	virt_detect(&bsp->virt);
	pr_info("apic: %s mode%s", apic_x2apic_mode() ? "x2APIC" : "xAPIC",
		apic_x2apic_mode()  ? ""
		: !bsp->virt.x2apic ? " (CPU has no x2APIC: IPI filtering will trap the APIC page)"
		: !allow_x2apic	    ? " (x2APIC turned off on the command line)"
				: " (kept for the Linux root on this CPU, which turns x2APIC off)");

	smp.icount_aid = cmdline_get_bool(bi->cmdline, "icount_aid", false);
	if (cmdline_get(bi->cmdline, "fault_test", fault_test, sizeof(fault_test)))
		smp.fault_test = fault_test;
	{
		static struct smp_cpu list[ACPI_MAX_CPUS];

		for (uint32_t i = 0; i < acpi.cpu_count && i < ACPI_MAX_CPUS; i++)
			list[i] = (struct smp_cpu){ acpi.cpus[i].apic_id, acpi.cpus[i].enabled };
		smp_start(acpi.have_madt ? list : NULL, acpi.cpu_count, mm, &smp);
	}
	time_calibrate_finish();
	cpu_report_hardening();
	return report_cpus(bi->entry_tsc);
}

unsigned arch_cpu_hw_ids(uint64_t *ids, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cpu_count && n < max; i++)
		if (percpu[i].state == CPU_ONLINE)
			ids[n++] = percpu[i].apic_id;
	return n;
}

int arch_cpu_by_hw_id(uint64_t hw_id)
{
	for (unsigned i = 0; i < cpu_count; i++)
		if (percpu[i].apic_id == hw_id && percpu[i].state == CPU_ONLINE)
			return (int)i;
	return -1;
}

/* one dword of a function's configuration space, at boot (no one else uses the ports yet) */
static uint32_t conf1_read(uint32_t bus, uint32_t devfn, uint32_t off)
{
	pci_conf1_select(bus << 8 | devfn, off);
	return inl(PCI_CONF1_DATA);
}

#define PCI_HDR_MULTI  0x80
#define PCI_HDR_BRIDGE 0x01

#define PCI_LIST_MAX 1024

/* The machine's functions, scanned once (the scan's report is printed once) */
static uint32_t pci_found[PCI_LIST_MAX];
static unsigned pci_found_n;
static bool pci_scanned;

uint32_t arch_pci_bridge_buses(uint32_t sbdf)
{
	uint32_t bus = (sbdf >> 8) & 0xff, devfn = sbdf & 0xff;
	uint32_t hdr = conf1_read(bus, devfn, 0x0c) >> 16, b;

	if ((hdr & 0x7f) != 1)
		return 0;
	b = conf1_read(bus, devfn, 0x18); /* primary, secondary, subordinate bus */
	return TABLE_PCI_BRIDGE((b >> 8) & 0xff, (b >> 16) & 0xff);
}

static unsigned pci_scan(uint32_t *sbdf, unsigned max);

unsigned arch_pci_list(uint32_t *sbdf, unsigned max)
{
	if (!pci_scanned) {
		pci_found_n = pci_scan(pci_found, PCI_LIST_MAX);
		pci_scanned = true;
	}
	if (pci_found_n > max)
		pr_warn("pci: %u functions, only the first %u are checked against the table",
			pci_found_n, max);
	memcpy(sbdf, pci_found, MIN(pci_found_n, max) * sizeof(*sbdf));
	return MIN(pci_found_n, max);
}

uint32_t arch_pci_class(uint32_t sbdf)
{
	return conf1_read((sbdf >> 8) & 0xff, sbdf & 0xff, 0x08) >> 8;
}

static unsigned pci_scan(uint32_t *sbdf, unsigned max)
{
	uint8_t queue[256], seen[256 / 8] = { 0 };
	unsigned head = 0, tail = 0, n = 0;

	/* bus 0 and, breadth first, every bus behind a bridge (each once) */
	queue[tail++] = 0;
	seen[0] = 1;
	while (head < tail) {
		uint32_t bus = queue[head++];

		for (uint32_t dev = 0; dev < 32; dev++) {
			for (uint32_t fn = 0; fn < 8; fn++) {
				uint32_t devfn = dev << 3 | fn, hdr, sec;

				if ((conf1_read(bus, devfn, 0) & 0xffff) == 0xffff) {
					if (fn == 0)
						break;
					continue;
				}
				if (n < max)
					sbdf[n] = bus << 8 | devfn; /* segment 0 */
				n++;
				hdr = (conf1_read(bus, devfn, 0x0c) >> 16) & 0xff;
				if ((hdr & 0x7f) == PCI_HDR_BRIDGE) {
					sec = (conf1_read(bus, devfn, 0x18) >> 8) & 0xff;
					if (sec && !(seen[sec / 8] & (1u << (sec % 8)))) {
						seen[sec / 8] |= (uint8_t)(1u << (sec % 8));
						queue[tail++] = (uint8_t)sec;
					}
				}
				if (fn == 0 && !(hdr & PCI_HDR_MULTI))
					break;
			}
		}
	}
	if (n > max)
		pr_warn("pci: %u functions, only the first %u are kept", n, max);
	pr_info("pci: %u functions on segment 0 (ports 0xcf8/0xcfc)", n);
	return MIN(n, max);
}

/* The ICH/PCH platform-control blocks (platform/chipset.h) */
static struct ich_platform ich;
static bool ich_probed;

/* a dword of the LPC bridge's configuration (before any partition runs) */
static uint32_t lpc_read(uint32_t off)
{
	pci_conf1_select(ICH_LPC_BDF, off);
	return inl(PCI_CONF1_DATA);
}

/* Once, before any root runs: what the chipset is, and its watchdog stopped. */
static void ich_probe(void)
{
	const struct acpi_info *ai = platform_acpi();
	const char *why = "no FADT";
	uint16_t cnt;

	ich_probed = true;
	if (!ai->have_fadt || !ich_find(lpc_read(0), lpc_read(0x08), lpc_read(ICH_LPC_PMBASE),
					lpc_read(ICH_LPC_ACPI_CNTL), lpc_read(ICH_LPC_RCBA),
					ai->pm1a_evt_blk, &ich, &why)) {
		pr_info("ich: no ICH-style TCO watchdog found (%s); the root's table decides its "
			"PM ports",
			why);
		return;
	}
	cnt = inw((uint16_t)(ich.tco + TCO1_CNT));
	if (!(cnt & TCO1_CNT_TMR_HLT)) {
		outw((uint16_t)(ich.tco + TCO_RLD), 1);
		outw((uint16_t)(ich.tco + TCO1_CNT), (uint16_t)(cnt | TCO1_CNT_TMR_HLT));
		cnt = inw((uint16_t)(ich.tco + TCO1_CNT));
		pr_warn("ich: the firmware left the hardware TCO watchdog running; %s",
			cnt & TCO1_CNT_TMR_HLT ? "halted"
					       : "it is locked running (TCO_LOCK): it will reset "
						 "the machine");
	}
	if (ich.rcrb) {
		uint32_t gcs = (uint32_t)mmio_read32(ich.rcrb + ICH_RCRB_GCS);

		if (!(gcs & ICH_GCS_NO_REBOOT))
			mmio_write32(ich.rcrb + ICH_RCRB_GCS, gcs | ICH_GCS_NO_REBOOT);
	}
	pr_info("ich: PM block at port 0x%x (the FADT's PM1a event block): the TCO watchdog "
		"(ports 0x%x-0x%x), SMI_EN (0x%x) and the RCRB (0x%llx) are the hypervisor's; the "
		"root gets a TCO watchdog of its own",
		ich.pmbase, ich.tco, ich.tco + ICH_TCO_LEN - 1, ich.smi_en,
		(unsigned long long)ich.rcrb);
}

const struct ich_platform *platform_ich(void)
{
	if (!ich_probed)
		ich_probe();
	return &ich;
}

static void ctl_port(struct table_platform_port *out, unsigned max, unsigned *n, uint32_t base,
		     uint32_t size, const char *what)
{
	if (!base || base > 0xffff || *n >= max)
		return;
	out[*n].base = (uint16_t)base;
	out[*n].size = (uint16_t)MIN(size, 0x10000 - base);
	out[*n].what = what;
	(*n)++;
}

unsigned arch_platform_ports(struct table_platform_port *out, unsigned max)
{
	const struct acpi_info *ai = &acpi;
	const struct ich_platform *ip = platform_ich();
	unsigned n = 0;

	if (ip->found)
		ctl_port(out, max, &n, ip->pmbase, ICH_PM_LEN,
			 "the chipset's PM block (PM1, SMI_EN, the TCO watchdog)");
	if (ai->have_fadt) {
		ctl_port(out, max, &n, ai->pm1a_evt_blk, 4, "the FADT's PM1a event block");
		ctl_port(out, max, &n, ai->pm1a_cnt_blk, 2, "the FADT's PM1a control block");
		ctl_port(out, max, &n, ai->pm1b_cnt_blk, 2, "the FADT's PM1b control block");
		ctl_port(out, max, &n, ai->smi_cmd, 1, "the FADT's SMI command port");
		if (ai->have_reset_reg && ai->reset_reg.space_id == 1 /* system I/O */)
			ctl_port(out, max, &n, (uint32_t)MIN(ai->reset_reg.address, 0x10000ULL), 1,
				 "the FADT's reset register");
	}
	for (uint32_t i = 0; i < ai->wdt_reg_count; i++)
		if (ai->wdt_regs[i].space == ACPI_SPACE_IO)
			ctl_port(out, max, &n, (uint32_t)ai->wdt_regs[i].addr, ai->wdt_regs[i].size,
				 "a hardware watchdog's register (WDAT/WDRT)");
	return n;
}

static void ctl_window(struct table_platform_window *out, unsigned max, unsigned *n, uint64_t base,
		       uint64_t size, const char *what, bool root_trapped)
{
	if (!base || !size || *n >= max)
		return;
	out[*n] = (struct table_platform_window){ base, size, what, root_trapped };
	(*n)++;
}

#define MSI_WINDOW	0xfee00000ULL /* the local APICs and MSI addresses: 1 MiB */
#define MSI_WINDOW_SIZE 0x100000ULL

unsigned arch_platform_windows(struct table_platform_window *out, unsigned max)
{
	const struct acpi_info *ai = &acpi;
	const struct ich_platform *ip = platform_ich();
	unsigned n = 0;

	for (uint32_t i = 0; i < ai->mcfg_count; i++) {
		const struct acpi_mcfg_entry *m = &ai->mcfg[i];

		ctl_window(out, max, &n, m->base + ((uint64_t)m->bus_start << 20),
			   (uint64_t)(m->bus_end - m->bus_start + 1) << 20,
			   "a PCI configuration window (MCFG)", false);
	}
	for (uint32_t i = 0; i < ai->ioapic_count && i < ACPI_MAX_IOAPICS; i++)
		ctl_window(out, max, &n, ai->ioapics[i].addr, PAGE_SIZE, "an IOAPIC (MADT)", false);
	/* the root's accesses to the reset register in memory are trapped (root/root_emul.c) */
	if (ai->have_fadt && ai->have_reset_reg && ai->reset_reg.space_id == 0 /* memory */)
		ctl_window(out, max, &n, ALIGN_DOWN(ai->reset_reg.address, PAGE_SIZE), PAGE_SIZE,
			   "the FADT's reset register", true);
	/* the root's accesses to a watchdog's memory registers are trapped (root/root_emul.c) */
	for (uint32_t i = 0; i < ai->wdt_reg_count; i++)
		if (ai->wdt_regs[i].space == ACPI_SPACE_MEMORY)
			ctl_window(out, max, &n, ALIGN_DOWN(ai->wdt_regs[i].addr, PAGE_SIZE),
				   PAGE_SIZE, "a hardware watchdog's registers (WDAT/WDRT)", true);
	ctl_window(out, max, &n, MSI_WINDOW, MSI_WINDOW_SIZE, "the local APIC and MSI window",
		   false);
	/* the root's are trapped: the HPET read-only (root/hpet.c), the RCRB (root/root_ich.c) */
	ctl_window(out, max, &n, ai->hpet_base, ACPI_HPET_SIZE, "the HPET (ACPI)", true);
	if (ip->found)
		ctl_window(out, max, &n, ip->rcrb, ICH_RCRB_LEN, "the chipset's RCRB", true);
	return n;
}
