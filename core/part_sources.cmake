# SPDX-License-Identifier: GPL-2.0-only
# core/: the arch-neutral guest-facing pieces (guest memory, hypercalls, guest
# console, fault policy, ELF and raw guest loading, guest boot information).
bh_sources(CORE_SHARED gmem.c hypercall.c part_console.c fault.c elf.c guest_load.c)
