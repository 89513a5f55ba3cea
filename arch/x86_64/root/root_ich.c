// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ICH/PCH platform-control registers around the Linux root
 * (root/ich.h, docs/threat-model.md "Watchdog and SMI enables"): found
 * once from the LPC bridge; the hardware TCO watchdog is the hypervisor's
 * (halted at boot, NO_REBOOT set), SMI_EN reads through and refuses
 * writes, the RCRB's chipset registers read through and refuse writes but
 * for GCS.NO_REBOOT, which is the root's own watchdog's. The root's TCO
 * ports reach its own watchdog (Linux: lpc_ich + iTCO_wdt, unchanged);
 * its second timeout restarts the root alone. The expiry is noticed at
 * the root's exits (root_ich_poll): every interrupt a root CPU takes ends
 * with an xAPIC EOI exit, so a root with one CPU still taking its timer
 * interrupts is restarted within a tick of the expiry.
 */
#include "root/root.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/lib.h"
#include "core/log.h"
#include "platform/chipset.h"

#define ICH_REPORTS 16

static void ich_report(const struct partition *p, const char *what)
{
	static unsigned reports;
	unsigned n = __atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED);

	if (n <= ICH_REPORTS)
		pr_warn("partition \"%s\": %s", p->name, what);
	else if (n == ICH_REPORTS + 1)
		pr_warn("partition \"%s\": more chipset register writes dropped; no more reports",
			p->name);
}

static uint64_t tco_period(void)
{
	return time_tsc_khz() * (TCO_TICK_US / 1000);
}

void root_ich_setup(struct partition *p, struct x86_part *xp, struct x86_root *rt)
{
	const struct ich_platform *ich = platform_ich();

	if (!ich->found)
		return;
	rt->ports.tco = ich->tco;
	rt->ports.smi_en = ich->smi_en;
	vcpu_trap_ports(xp, ich->tco, ICH_TCO_LEN);
	vcpu_trap_ports(xp, ich->smi_en, RPORT_SMI_EN_LEN);
	if (rt->ich_ready)
		return; /* a restart: root_ich_reset() reset the watchdog, the RCRB stays trapped */
	rt->ich_ready = true;
	vtco_reset(&rt->tco, tco_period(), true);
	rt->tco_deadline = 0;
	for (uint64_t a = ich->rcrb; ich->rcrb && a < ich->rcrb + ICH_RCRB_LEN; a += PAGE_SIZE)
		if (stage2_unmap_page(p, a) < 0) {
			pr_err("partition \"%s\": RCRB page 0x%llx could not be unmapped: the root "
			       "reaches the chipset's registers",
			       p->name, (unsigned long long)a);
			return;
		}
}

void root_ich_reset(struct partition *p)
{
	struct x86_root *rt = root_of(p);

	if (!rt->ich_ready)
		return;
	spin_lock(&rt->rport_lock);
	vtco_reset(&rt->tco, tco_period(), false);
	__atomic_store_n(&rt->tco_deadline, 0, __ATOMIC_RELEASE);
	spin_unlock(&rt->rport_lock);
}

/* The watchdog fired: the root restarts (or stops, without a copy of its image). */
static void tco_fired(struct vcpu *v, unsigned ticks)
{
	char how[RPORT_HOW_LEN];

	snprintf(how, sizeof(how),
		 "TCO watchdog: second timeout, %u x 0.6 s without a reload, NO_REBOOT clear",
		 ticks);
	root_request(v, ROOT_REQ_REBOOT, how);
}

/*
 * With rport_lock held, after the watchdog moved: publishes its next expiry
 * for root_ich_poll, unlocks, and restarts the root when it fired.
 */
static bool tco_settle(struct vcpu *v, struct x86_root *rt, enum vtco_event ev)
{
	unsigned ticks = rt->tco.tmr_loaded;

	__atomic_store_n(&rt->tco_deadline, rt->tco.expire, __ATOMIC_RELEASE);
	spin_unlock(&rt->rport_lock);
	if (ev != VTCO_REBOOT)
		return false;
	tco_fired(v, ticks);
	return true;
}

bool root_tco_access(struct vcpu *v, unsigned off, unsigned size, bool in, uint32_t *val)
{
	struct x86_root *rt = root_of(v->part);
	enum vtco_event ev;
	uint64_t now;

	spin_lock(&rt->rport_lock);
	now = rdtsc();
	ev = vtco_advance(&rt->tco, now);
	if (ev == VTCO_NONE) {
		if (in)
			*val = vtco_read(&rt->tco, off, size, now);
		else
			ev = vtco_write(&rt->tco, off, size, *val, now);
	}
	return tco_settle(v, rt, ev);
}

void root_ich_poll(struct vcpu *v)
{
	struct x86_root *rt = root_of(v->part);
	uint64_t due = __atomic_load_n(&rt->tco_deadline, __ATOMIC_ACQUIRE);

	if (!due || rdtsc() < due)
		return;
	spin_lock(&rt->rport_lock);
	tco_settle(v, rt, vtco_advance(&rt->tco, rdtsc()));
}

bool root_rcrb_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	struct partition *p = v->part;
	struct x86_root *rt = root_of(p);
	uint64_t rcrb = platform_ich()->rcrb, gcs = rcrb + ICH_RCRB_GCS;
	uint32_t hw, seen, mask, merged;
	unsigned shift;
	bool other;
	char what[128];

	if (!rt->ich_ready || !rcrb || gpa < rcrb || gpa - rcrb >= ICH_RCRB_LEN)
		return false;
	if (!write) {
		/* the chipset's registers read as they are, GCS with the root's NO_REBOOT */
		if (gpa >= gcs + 4 || gpa + size <= gcs) {
			*val = mmio_read_sized(gpa, size);
			return true;
		}
		hw = (uint32_t)mmio_read32(gcs);
		spin_lock(&rt->rport_lock);
		seen = vtco_gcs_read(&rt->tco, hw);
		spin_unlock(&rt->rport_lock);
		*val = 0;
		for (unsigned i = 0; i < size; i++) {
			uint64_t a = gpa + i;
			uint64_t b = a >= gcs && a < gcs + 4 ? (seen >> (8 * (a - gcs))) & 0xff
							     : mmio_read8(a);

			*val |= b << (8 * i);
		}
		return true;
	}
	if (gpa < gcs || gpa + size > gcs + 4) {
		snprintf(what, sizeof(what),
			 "write of 0x%llx to chipset register RCRB + 0x%llx (%u bytes) dropped",
			 (unsigned long long)*val, (unsigned long long)(gpa - rcrb), size);
		ich_report(p, what);
		return true;
	}
	/* inside GCS: its NO_REBOOT is the root's own watchdog's, the rest the hardware's */
	shift = (unsigned)(gpa - gcs) * 8;
	mask = size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1) << shift;
	hw = (uint32_t)mmio_read32(gcs);
	spin_lock(&rt->rport_lock);
	merged = (vtco_gcs_read(&rt->tco, hw) & ~mask) | (((uint32_t)*val << shift) & mask);
	other = vtco_gcs_write(&rt->tco, hw, merged);
	spin_unlock(&rt->rport_lock);
	if (other) {
		snprintf(what, sizeof(what),
			 "GCS (RCRB 0x%llx) = 0x%08x: only NO_REBOOT is the root's (its own "
			 "watchdog's); the other bits dropped",
			 (unsigned long long)gcs, merged);
		ich_report(p, what);
	}
	return true;
}
