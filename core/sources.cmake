# SPDX-License-Identifier: GPL-2.0-only
# core/: arch-neutral hypervisor code; everything here also builds for the host.
bh_sources(CORE_SHARED log.c cmdline.c lib/util.c memmap.c palloc.c)
bh_sources(CORE_HV main.c partitions.c)
bh_sources(CORE_HV lib/string.c lib/printf.c)
include(${CMAKE_CURRENT_LIST_DIR}/table/sources.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/part_sources.cmake)
