// SPDX-License-Identifier: GPL-2.0-only
/* Hypercall dispatch: checks and runs the calls of include/bulkhead/hypercall.h. */
#include "bulkhead/hypercall.h"
#include "bulkhead/table.h"
#include "core/arch.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/partition.h"

_Static_assert(PART_CPUS_MAX <= BH_PARTITION_CPUS_MAX, "hw_ids[] holds every vCPU");
_Static_assert(sizeof(((struct bh_partition_info *)0)->hw_ids[0]) == sizeof(hw_id_t),
	       "bh_partition_info.hw_ids[] carries hardware ids uncut");
_Static_assert(PART_NAME_MAX <= BH_PARTITION_NAME_MAX, "name[] holds every partition name");

/*
 * Rejections are logged at debug level only: the guest chooses how often it
 * calls, and must not be able to flood the hypervisor console.
 */
#define hc_reject(p, vcpu, fmt, ...)                                                              \
	pr_debug("hypercall: partition \"%.*s\" vcpu %u: " fmt, PART_NAME_MAX, (p)->name, (vcpu), \
		 __VA_ARGS__)

static int64_t hc_console_write(struct partition *p, uint32_t vcpu, gpa_t gpa, uint64_t len)
{
	/* a private copy: other vCPUs may change the buffer while it is filtered */
	char buf[BH_CONSOLE_WRITE_MAX];

	if (len == 0)
		return 0;
	if (len > BH_CONSOLE_WRITE_MAX) {
		hc_reject(p, vcpu, "console_write length 0x%llx > %u", (unsigned long long)len,
			  BH_CONSOLE_WRITE_MAX);
		return -BH_EINVAL;
	}
	if (gmem_read(p, gpa, buf, len) < 0) {
		hc_reject(p, vcpu, "console_write buffer [0x%llx, +0x%llx) is not readable RAM",
			  (unsigned long long)gpa, (unsigned long long)len);
		return -BH_EFAULT;
	}
	part_console_write(p, buf, (size_t)len);
	return (int64_t)len;
}

static uint64_t part_ram_bytes(const struct partition *p)
{
	uint32_t n = MIN(p->region_count, (uint32_t)PART_REGIONS_MAX);
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		if (!(p->regions[i].flags & (BH_MEM_IO | BH_MEM_SHARED)))
			sum += p->regions[i].size;
	return sum;
}

static int64_t hc_partition_info(struct partition *p, uint32_t vcpu, gpa_t gpa)
{
	struct bh_partition_info info;
	uint32_t cpus = MIN(p->cpu_count, (uint32_t)PART_CPUS_MAX);

	memset(&info, 0, sizeof(info));
	info.abi_version = BH_HYPERCALL_ABI_VERSION;
	info.partition_id = p->id;
	memcpy(info.name, p->name, strnlen(p->name, PART_NAME_MAX - 1));
	info.flags = p->flags;
	info.cpu_count = cpus;
	for (uint32_t i = 0; i < cpus; i++)
		info.hw_ids[i] = p->hw_ids[i];
	info.tsc_khz = p->tsc_khz;
	info.ram_bytes = part_ram_bytes(p);
	if (gmem_write(p, gpa, &info, sizeof(info)) < 0) {
		hc_reject(p, vcpu, "partition_info buffer [0x%llx, +0x%zx) is not writable RAM",
			  (unsigned long long)gpa, sizeof(info));
		return -BH_EFAULT;
	}
	return 0;
}

int64_t hypercall_dispatch(struct partition *p, uint32_t vcpu_index, const struct hc_args *a)
{
	if (vcpu_index >= p->cpu_count || vcpu_index >= PART_CPUS_MAX) {
		hc_reject(p, vcpu_index, "call %llu from vcpu index %u >= cpu count %u",
			  (unsigned long long)a->nr, vcpu_index, p->cpu_count);
		return -BH_EINVAL;
	}
	switch (a->nr) {
	case BH_HC_VERSION:
		return BH_HYPERCALL_ABI_VERSION;
	case BH_HC_CONSOLE_WRITE:
		return hc_console_write(p, vcpu_index, a->a0, a->a1);
	case BH_HC_PARTITION_INFO:
		return hc_partition_info(p, vcpu_index, a->a0);
	case BH_HC_GET_STATE:
		/* only a running partition executes guest code that can call */
		return BH_STATE_RUNNING;
	case BH_HC_HEARTBEAT:
		/* the root's management tool reads these without a lock */
		__atomic_store_n(&p->heartbeat_value, a->a0, __ATOMIC_RELAXED);
		__atomic_store_n(&p->heartbeat_cycles, arch_cycles(), __ATOMIC_RELEASE);
		return 0;
	default:
		hc_reject(p, vcpu_index, "unknown call number %llu", (unsigned long long)a->nr);
		return -BH_ENOSYS;
	}
}
