// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test table: rtos2 names APIC ID 7, which the 4-CPU test machine does not
 * have. The boot-time check must refuse rtos2 alone; rtos1 runs.
 */
#define TEST_RTOS2_CPU 7
#include "qemu-test.h"
