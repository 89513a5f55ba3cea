#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks under QEMU -icount shift=0,sleep=off, where one guest
# instruction is one nanosecond of guest time and the TSC counts those
# nanoseconds, so the numbers are deterministic and mean "instructions":
#  1. hypervisor entry -> all CPUs checked in, and -> first RTOS instruction
#  2. CPUID and hypercall exit round trips as the guest sees them (loop
#     overhead subtracted, minimum over many batches)
#  3. RTOS timer-interrupt latency natively (GRUB) and under Bulkhead, and
#     their ratio. QEMU 10 aborts on x2APIC timer MSRs under icount, so this
#     runs with xAPIC: under Bulkhead the APIC page traps (about 3 exits per
#     period), which the ratio includes.
# usage: test/bench/icount.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: icount.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
img=$build/images
ic=(-- -icount shift=0,sleep=off)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0

run() { # name timeout until args...
	local name=$1 t=$2 until=$3
	shift 3
	"$top/tools/run-qemu" --until "$until" --timeout "$t" "$@" >"$out/$name.log" 2>&1
	tr -d '\r' <"$out/$name.log" >"$out/$name.txt"
}

run cpuid 300 "bench cpuid round trip" --firmware bios --iso "$img/bench-cpuid.iso" "${ic[@]}"
checkin=$(grep -o 'checked in [0-9]* us after hypervisor entry ([0-9]* TSC' "$out/cpuid.txt" | grep -o '([0-9]*' | tr -d '(')
first=$(grep -o 'entering partition "rtos1" vCPU 0, [0-9]* us ([0-9]* TSC' "$out/cpuid.txt" | grep -o '([0-9]*' | tr -d '(')
cpuid=$(grep -o 'bench cpuid round trip [0-9]* cycles (loop overhead [0-9]*' "$out/cpuid.txt")
echo "boot: entry -> all CPUs checked in: ${checkin:-?} instructions"
echo "boot: entry -> first instruction of rtos1: ${first:-?} instructions"
echo "svm: ${cpuid:-no result}) instructions"
[ -n "$cpuid" ] || fail=1
# the same with icount_aid=1: without the time slices QEMU counts for each AP's INIT
run aid 300 "bench cpuid round trip" --firmware bios --iso "$img/gate-icount.iso" "${ic[@]}"
checkin=$(grep -o 'checked in [0-9]* us after hypervisor entry ([0-9]* TSC' "$out/aid.txt" | grep -o '([0-9]*' | tr -d '(')
first=$(grep -o 'entering partition "rtos1" vCPU 0, [0-9]* us ([0-9]* TSC' "$out/aid.txt" | grep -o '([0-9]*' | tr -d '(')
echo "boot, icount_aid=1: entry -> all CPUs checked in: ${checkin:-?} instructions"
echo "boot, icount_aid=1: entry -> first instruction of rtos1: ${first:-?} instructions"
grep -o 'bench [a-z]* round trip.*' "$out/aid.txt"

lat='rtos [a-z0-9]*: latency ns min [0-9]* avg [0-9]* max [0-9]* n [0-9]*'
run native 600 "$lat.*" --firmware bios --iso "$img/bench-rtos-native.iso" --no-x2apic "${ic[@]}"
run bulkhead 600 "rtos1: latency ns" --firmware bios --iso "$img/bench-rtos.iso" --no-x2apic "${ic[@]}"
n=$(grep -o "$lat" "$out/native.txt" | head -1)
b=$(grep -o "$lat" "$out/bulkhead.txt" | head -1)
echo "rtos native:   ${n:-no result}"
echo "rtos bulkhead: ${b:-no result}"
if [ -n "$n" ] && [ -n "$b" ]; then
	na=$(sed 's/.*avg \([0-9]*\).*/\1/' <<<"$n")
	ba=$(sed 's/.*avg \([0-9]*\).*/\1/' <<<"$b")
	echo "rtos latency avg ratio bulkhead/native: $ba/$na = $(awk "BEGIN{printf \"%.2f\", $ba/($na?$na:1)}")"
else
	fail=1
	tail -5 "$out/native.txt" "$out/bulkhead.txt"
fi
exit $fail
