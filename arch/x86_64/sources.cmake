# SPDX-License-Identifier: GPL-2.0-only
# arch/x86_64/: CPU bring-up, ACPI, APIC, SMP, console UART.
bh_sources(X86_SHARED acpi.c)
bh_sources(X86_HV)
