# SPDX-License-Identifier: GPL-2.0-only
# core/: arch-neutral hypervisor code; everything here also builds for the host.
#   init/       hv_main (the boot sequence), the command line
#   lib/        printf, string, log, small helpers
#   mm/         the memory map, the page pool, guest memory
#   part/       partitions from the table: set-up, image loading, console, fault policy
#   hypercall/  the hypercall dispatcher
#   table/      the partition table: parser, validator, boot checks, default table, emitter
# core/ sees only include/ and core/include/: it reaches the architecture
# through core/include/core/arch.h alone (the build enforces it).
bh_sources(CORE_SHARED lib/log.c init/cmdline.c lib/util.c mm/memmap.c mm/palloc.c)
bh_sources(CORE_SHARED mm/gmem.c hypercall/hypercall.c part/part_console.c part/cring.c part/fault.c part/elf.c
	part/guest_load.c part/part_build.c part/scrub.c)
bh_sources(CORE_HV init/main.c part/partitions.c)
bh_sources(CORE_HV lib/string.c lib/printf.c lib/stackprot.c)
include(${CMAKE_CURRENT_LIST_DIR}/table/sources.cmake)
