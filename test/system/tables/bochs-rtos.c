// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test table for Bochs (corei7_skylake_x, VMX + EPT), 3 CPUs, 512 MiB: two
 * RT partitions on CPUs 1 and 2, and a small root that these tests never
 * start (no "linux" module), so the boot CPU prints the consoles. The rogue-guest and RTOS tests on VMX use it
 * (test/system/CMakeLists.txt).
 */
#include "scenario.h"

BH_SCENARIO = {
	.platform = {
		.board = "bochs-x86_64-test",
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
			CPUS(0),
			MEMORY(MEM(0x00100000, 0x00100000, 0x00f00000, RAM | LOADABLE),
			       MEM(0x05000000, 0x05000000, 0x0b000000, RAM | LOADABLE)),
			.image = BZIMAGE("linux", "", ""),
		},
		{
			.name = "rtos1",
			.id = 1,
			.flags = RT | VIRTUAL_CONSOLE,
			CPUS(1),
			MEMORY(MEM(0x10000000, 0x00000000, MiB(16), RAM | LOADABLE)),
			.image = ELF64("rtos1", ""),
		},
		{
			.name = "rtos2",
			.id = 2,
			.flags = RT | VIRTUAL_CONSOLE,
			CPUS(2),
			MEMORY(MEM(0x11000000, 0x00000000, MiB(16), RAM | LOADABLE)),
			.image = ELF64("rtos2", ""),
		}),
};
