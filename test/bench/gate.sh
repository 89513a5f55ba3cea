#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Instruction-count gate: boots gate-icount.iso once under QEMU -icount
# shift=0,sleep=off (one instruction = one TSC cycle) and fails when a figure
# exceeds its budget in test/bench/budgets. Deterministic enough for the
# default suite: micro-benchmarks are the minimum over many short batches
# (test/guests/rogue.c, rogue=bench); the boot figure comes from one run with
# icount_aid=1, which keeps QEMU from counting whole time slices for each AP's
# INIT (arch/x86_64/cpu/smp.c), so it counts the hypervisor's instructions.
# usage: test/bench/gate.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: gate.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
budgets=$top/test/bench/budgets
log=$build/test-logs/gate-icount.log
mkdir -p "$build/test-logs"

"$top/tools/run-qemu" --until "bench cpuid round trip" --timeout 120 --firmware bios \
	--iso "$build/images/gate-icount.iso" -- -icount shift=0,sleep=off 2>&1 |
	tr -d '\r' >"$log"

declare -A got
got[boot_to_rtos1]=$(grep -o 'entering partition "rtos1" vCPU 0, [0-9]* us ([0-9]* TSC' "$log" |
	grep -o '([0-9]*' | tr -d '(' | head -1)
got[boot_all_cpus]=$(grep -o 'checked in [0-9]* us after hypervisor entry ([0-9]* TSC' "$log" |
	grep -o '([0-9]*' | tr -d '(' | head -1)
got[cpuid_round_trip]=$(grep -o 'bench cpuid round trip [0-9]*' "$log" | grep -o '[0-9]*$' | head -1)
got[port_write_round_trip]=$(grep -o 'bench port write round trip [0-9]*' "$log" |
	grep -o '[0-9]*$' | head -1)
got[hypercall_round_trip]=$(grep -o 'bench hypercall round trip [0-9]*' "$log" |
	grep -o '[0-9]*$' | head -1)

fail=0
# the fast exit path keeps some guest registers in the CPU: they must survive
if grep -q 'guest: registers kept across cpuid, port and hypercall exits' "$log"; then
	echo "ok   guest registers kept across fast exits"
else
	echo "FAIL guest registers: $(grep -o 'REGISTERS CHANGED.*' "$log" | head -1)"
	fail=1
fi
while read -r name max _; do
	case $name in '' | '#'*) continue ;; esac
	v=${got[$name]:-}
	if [ -z "$v" ]; then
		echo "FAIL $name: no measurement (log: $log)"
		fail=1
	elif [ "$v" -gt "$max" ]; then
		echo "FAIL $name: $v instructions, budget $max (test/bench/budgets)"
		fail=1
	else
		echo "ok   $name: $v instructions, budget $max"
	fi
done <"$budgets"
[ $fail = 0 ] || tail -20 "$log"
exit $fail
