// SPDX-License-Identifier: GPL-2.0-only
/*
 * The composition root of arch/x86_64: the one file that knows every room.
 * It brings the platform up (platform/), then chooses the vCPU back end
 * once every CPU has been seen: the only place that names svm_ops and
 * vmx_ops. Nothing else selects or names a back end.
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "platform/platform.h"
#include "root/root.h"
#include "svm/svm.h"
#include "vcpu/vcpu.h"
#include "vmx/vmx.h"
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/table.h"

/* The back end every online CPU supports, or NULL with the reason logged. */
static const struct vcpu_ops *choose_backend(void)
{
	unsigned online = 0, svm = 0, vmx = 0;

	for (unsigned i = 0; i < cpu_count; i++) {
		const struct virt_caps *c = &percpu[i].virt;

		if (percpu[i].state != CPU_ONLINE)
			continue;
		online++;
		svm += c->svm && c->npt;
		vmx += c->vmx && c->ept && c->unrestricted_guest;
	}
	if (online && svm == online)
		return &svm_ops;
	if (online && vmx == online) {
		char why[160];

		if (vmx_backend_probe(why, sizeof(why)) == 0)
			return &vmx_ops;
		pr_err("virt: %s: no partition can start", why);
	} else
		pr_err("virt: no back end: of %u CPUs, %u have SVM with NPT and %u VMX with EPT "
		       "and "
		       "unrestricted guest: no partition can start",
		       online, svm, vmx);
	return NULL;
}

unsigned arch_platform_init(const struct boot_info *bi, struct memmap *mm)
{
	unsigned online = platform_init(bi, mm);
	static uint32_t sbdf[256];
	static struct table_platform_window win[48];
	unsigned n = arch_platform_windows(win, ARRAY_SIZE(win));

	/* the device windows the hypervisor reads and writes, mapped wherever the firmware put them */
	for (unsigned i = 0; i < n; i++)
		if (win[i].size && paging_map_device(win[i].base, win[i].size) < 0)
			pr_warn("paging: %s at 0x%llx could not be mapped", win[i].what,
				(unsigned long long)win[i].base);

	/* every BAR as the firmware left it, before any partition runs (root/root_pci.c) */
	root_pci_census(sbdf, arch_pci_list(sbdf, ARRAY_SIZE(sbdf)));

	vcpu_backend = choose_backend();
	if (vcpu_backend)
		pr_info("virt: %s back end, stage 2 by %s", vcpu_backend->name,
			vcpu_backend->s2_name);
	return online;
}
