/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test tables for the 4-CPU QEMU machine, one variation each: a test file
 * defines what it changes, then includes this file. A small root (never
 * started in these tests: there is no "linux" module) and two RT partitions
 * as in partitions/qemu-x86_64/demo.c.
 *   TEST_RTOS1_IMAGE   rtos1's image (default: ELF64 "rtos1", 64-bit start)
 *   TEST_RTOS2_CPU     rtos2's APIC ID (default: 3)
 *   TEST_RTOS2_MEM     rtos2's RAM region (default: 16 MiB at 0x21000000)
 */
#include "scenario.h"

#ifndef TEST_RTOS1_IMAGE
#define TEST_RTOS1_IMAGE ELF64("rtos1", "")
#endif
#ifndef TEST_RTOS2_CPU
#define TEST_RTOS2_CPU 3
#endif
#ifndef TEST_RTOS2_MEM
#define TEST_RTOS2_MEM MEM(0x21000000, 0x00000000, MiB(16), RAM | LOADABLE)
#endif

BH_SCENARIO = {
	.platform = {
		.board = "qemu-x86_64-test",
		.arch = BH_ARCH_X86_64,
		.hv_base = MiB(16),
		.hv_size = MiB(64),
		.console = UART_IO(0x3f8, 115200),
	},
	PARTITIONS(
		{
			.name = "root",
			.id = 0,
			.flags = ROOT,
			CPUS(0, 1),
			MEMORY(MEM(0x00100000, 0x00100000, 0x00f00000, RAM | LOADABLE),
			       MEM(0x05000000, 0x05000000, 0x1b000000, RAM | LOADABLE)),
			.image = BZIMAGE("linux", "", ""),
		},
		{
			.name = "rtos1",
			.id = 1,
			.flags = RT | VIRTUAL_CONSOLE,
			CPUS(2),
			MEMORY(MEM(0x20000000, 0x00000000, MiB(16), RAM | LOADABLE)),
			.image = TEST_RTOS1_IMAGE,
		},
		{
			.name = "rtos2",
			.id = 2,
			.flags = RT | VIRTUAL_CONSOLE,
			CPUS(TEST_RTOS2_CPU),
			MEMORY(TEST_RTOS2_MEM),
			.image = ELF64("rtos2", ""),
		}),
};
