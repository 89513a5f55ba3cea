// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test table: rtos2 owns 1 GiB at host 4 GiB (QEMU -m 3G puts RAM there), so
 * its stage-2 map can use one 1 GiB page on a CPU with pdpe1gb.
 */
#define TEST_RTOS2_MEM MEM(GiB(4), 0x00000000, GiB(1), RAM | LOADABLE)
#include "qemu-test.h"
