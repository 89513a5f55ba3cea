// SPDX-License-Identifier: GPL-2.0-only
/* Test table: rtos1 is started in 32-bit protected mode (BH_IMAGE_F_START32). */
#define TEST_RTOS1_IMAGE ELF64_START32("rtos1", "")
#include "qemu-test.h"
