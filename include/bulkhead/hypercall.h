/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Bulkhead hypercall ABI: what a partition may ask of the hypervisor.
 *
 * Detection: CPUID leaf 0x40000000 returns EAX = highest hypervisor leaf,
 * EBX:ECX:EDX = "Bulk" "head" "\0\0\0\0". Leaf 0x40000001 returns EAX = ABI
 * version, EBX = partition id, ECX = TSC frequency in kHz (0 = unknown),
 * EDX = this vCPU's index within its partition.
 *
 * Calling convention (x86_64): VMMCALL on AMD, VMCALL on Intel (the wrong one
 * raises #UD in the guest). RAX = call number, arguments in RDI, RSI, RDX,
 * R10; the result comes back in RAX (>= 0 success, < 0 a BH_E* error). All
 * other registers are preserved. Guest addresses are guest-physical and must
 * lie entirely inside the partition's own RAM; lengths are bounded below.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdint.h>

#define BH_CPUID_LEAF_BASE 0x40000000u
#define BH_CPUID_LEAF_INFO 0x40000001u
#define BH_CPUID_SIG_EBX   0x6b6c7542u /* "Bulk" */
#define BH_CPUID_SIG_ECX   0x64616568u /* "head" */
#define BH_CPUID_SIG_EDX   0x00000000u

/*
 * Version 2: bh_partition_info.apic_ids[] (u32) became hw_ids[] (u64); the
 * structure grew from 128 to 192 bytes. The call numbers are unchanged.
 */
#define BH_HYPERCALL_ABI_VERSION 2

enum bh_hypercall {
	BH_HC_VERSION = 0,	  /* () -> BH_HYPERCALL_ABI_VERSION */
	BH_HC_CONSOLE_WRITE = 1,  /* (gpa buf, len <= BH_CONSOLE_WRITE_MAX) -> bytes written */
	BH_HC_PARTITION_INFO = 2, /* (gpa struct bh_partition_info *) -> 0 */
	BH_HC_GET_STATE = 3,	  /* () -> enum bh_partition_state of the caller */
	BH_HC_HEARTBEAT = 4, /* (counter) -> 0; the hypervisor records the last value and time */
};

#define BH_CONSOLE_WRITE_MAX 256

/* errors (negated in RAX) */
#define BH_EPERM  1
#define BH_EFAULT 14 /* an address outside the partition's RAM */
#define BH_EINVAL 22 /* a bad length or argument */
#define BH_ENOSYS 38 /* unknown call number */

enum bh_partition_state {
	BH_STATE_STOPPED = 0,
	BH_STATE_RUNNING = 1,
	BH_STATE_FAILED = 2,
};

#define BH_PARTITION_NAME_MAX 32
#define BH_PARTITION_CPUS_MAX 16

struct bh_partition_info {
	uint32_t abi_version;
	uint32_t partition_id;
	char name[BH_PARTITION_NAME_MAX];
	uint32_t flags; /* table flags of the partition (ROOT, RT, ...) */
	uint32_t cpu_count;
	uint64_t hw_ids[BH_PARTITION_CPUS_MAX]; /* as bh_guest_info.hw_ids, by vCPU index */
	uint64_t tsc_khz;
	uint64_t ram_bytes;
};

_Static_assert(sizeof(struct bh_partition_info) == 192, "bh_partition_info layout");
_Static_assert(__builtin_offsetof(struct bh_partition_info, hw_ids) == 48,
	       "bh_partition_info layout");
_Static_assert(__builtin_offsetof(struct bh_partition_info, tsc_khz) == 176,
	       "bh_partition_info layout");
_Static_assert(__builtin_offsetof(struct bh_partition_info, ram_bytes) == 184,
	       "bh_partition_info layout");

#endif
