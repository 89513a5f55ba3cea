// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root's reboot and power-off requests (docs/linux-root.md): a reboot
 * restarts the root alone from the hypervisor's copy of its kernel and
 * initrd, a power-off stops it; the machine is never reset and no other
 * partition is touched. The vCPU layer calls root_restart() on vCPU 0 once
 * every vCPU has left the guest, and root_shutdown() for a triple fault.
 */
#include "root/root.h"
#include "core/log.h"

void root_request(struct vcpu *v, enum root_request req, const char *how)
{
	struct partition *p = v->part;
	struct x86_part *xp = v->xp;
	uint32_t running = PART_RUNNING;

	if (req == ROOT_REQ_REBOOT && root_of(p)->image.kept) {
		if (__atomic_exchange_n(&xp->restarting, 1, __ATOMIC_ACQ_REL))
			return; /* a restart is already under way */
		pr_info("partition \"%s\": reboot request (%s): the partition restarts; the others "
			"keep running",
			p->name, how);
		for (uint32_t i = 0; i < p->cpu_count; i++)
			if (xp->vcpus[i])
				vcpu_kick(v, xp->vcpus[i], VCPU_KICK_RESTART);
		return;
	}
	if (!__atomic_compare_exchange_n(&p->state, &running, PART_STOPPED, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return;
	pr_info("partition \"%s\": %s request (%s): the partition stops%s; the others keep running",
		p->name, req == ROOT_REQ_REBOOT ? "reboot" : "power-off", how,
		req == ROOT_REQ_REBOOT ? " (no copy of its image to restart it from)" : "");
	arch_part_stop_cpus(p);
}

/* Linux's last way to reboot: for the root, a reboot request */
void root_shutdown(struct vcpu *v)
{
	root_request(v, ROOT_REQ_REBOOT, "triple fault");
}

int root_restart(struct vcpu *v)
{
	struct partition *p = v->part;
	struct x86_part *xp = v->xp;
	struct x86_root *rt = root_of(p);
	int rc;

	root_emul_reset(p);
	rc = root_linux_setup(p, xp, &rt->image);
	if (rc < 0) {
		part_fail(p, v->index, "restart: the kernel could not be loaded again", 0,
			  (uint64_t)-rc);
		return rc;
	}
	rt->restarts++;
	pr_info("partition \"%s\" (id %u) restarted (restart %u); no other partition was touched",
		p->name, p->id, rt->restarts);
	__atomic_store_n(&xp->restarting, 0, __ATOMIC_RELEASE);
	return 0;
}
