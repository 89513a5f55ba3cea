# SPDX-License-Identifier: GPL-2.0-only
# boot/: firmware hand-off. The parsers also build for the host (tests, fuzzers).
bh_sources(BOOT_SHARED mb2/mb2_parse.c uefi/uefi_config.c uefi/uefi_elf.c uefi/uefi_mmap.c)
bh_sources(BOOT_HV entry.S boot.c)
