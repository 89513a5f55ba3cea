#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks on Intel VMX + EPT under Bochs 2.7 (corei7_skylake_x), whose
# clock follows its instruction count (tools/run-bochs: clock sync=none,
# 50 M instructions per second, TSC 50 MHz), so guest time is deterministic
# and independent of the host's load:
#  1. CPUID, hypercall and trapped-port round trips as a guest sees them
#     (TSC cycles, loop overhead subtracted, minimum over batches), on VMX
#     and, with the same image on Bochs' ryzen model, on SVM
#  2. the RTOS's timer latency (x2APIC, TSC-deadline) natively, in an RT
#     partition beside an idle root, and in an RT partition while Debian's
#     Linux boots in the root on the two other CPUs (the Bochs demo table,
#     with a kernel from tools/fetch-linux; about 5 minutes), against native
#     on the same 3-CPU Bochs, the histograms, and the exits on the RTOS's
#     CPU
# What Bochs models and does not: one instruction per tick, no caches, no
# TLB or pipeline timing, no memory contention between CPUs; an EPT walk or
# a VM exit costs the instructions Bochs executes for it, not real cycles.
# usage: test/bench/bochs.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: bochs.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
img=$build/images
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
command -v bochs >/dev/null || {
	echo "skipped: bochs is not installed"
	exit 77
}

cpu=corei7_skylake_x
run() { # name timeout cpus iso until...
	local name=$1 t=$2 cpus=$3 iso=$4
	shift 4
	local u=()
	for x in "$@"; do u+=(--until "$x"); done
	"$top/tools/run-bochs" --iso "$iso" --cpus "$cpus" --cpu "$cpu" --timeout "$t" "${u[@]}" \
		>"$out/$name.log" 2>&1
	tr -d '\r' <"$out/$name.log" >"$out/$name.txt"
}

# the same image and method on both back ends: Skylake-X (VMX), Ryzen (SVM, NRIP save)
run cpuid 600 3 "$img/bench-vmx-cpuid.iso" "bench cpuid round trip"
grep -o 'bench [a-z ]* round trip.*' "$out/cpuid.txt" | sed 's/^/vmx: /' || fail=1
cpu=ryzen
run cpuid-svm 600 3 "$img/bench-vmx-cpuid.iso" "bench cpuid round trip"
grep -o 'bench [a-z ]* round trip.*' "$out/cpuid-svm.txt" | sed 's/^/svm: /' || fail=1
cpu=corei7_skylake_x

lat='latency ns min [0-9]* avg [0-9]* max [0-9]* n [0-9]* | hist[^|]*'
ten=()
for _ in 1 2 3 4 5 6 7 8 9 10; do ten+=("latency ns min"); done
# natively on the same Bochs machine (3 CPUs: Bochs' round robin between
# CPUs shapes when a timer interrupt is taken; one CPU alone measures
# 40-220 ns, three 0 ns)
run native 600 3 "$img/bench-rtos-native.iso" "${ten[@]}"
# 30 reports (3 s): the 1 s exit statistics of rtos1's CPU come in between
run idle 600 3 "$img/bench-vmx-rtos.iso" "${ten[@]}" "${ten[@]}" "${ten[@]}"

# min over the reports' minimums, max over their maximums, the mean of all
# samples, and the summed histogram
summary() { # file [from-regex to-regex]
	awk -v from="${2:-}" -v to="${3:-}" '
		from != "" && $0 ~ from { on = 1 }
		to != "" && $0 ~ to { on = 0 }
		(from == "" || on) && /latency ns min/ {
			for (i = 1; i <= NF; i++) {
				if ($i == "min") mn = $(i + 1); if ($i == "avg") av = $(i + 1)
				if ($i == "max") mx = $(i + 1); if ($i == "n") nn = $(i + 1)
				if ($i ~ /^[<>]=?[0-9]+us:/) {
					split($i, kv, ":"); h[kv[1]] += kv[2]
					if (!(kv[1] in h0)) { h0[kv[1]] = 1; keys[nk++] = kv[1] }
				}
			}
			if (!seen || mn < MIN) MIN = mn
			if (mx > MAX) MAX = mx
			sum += av * nn; N += nn; seen = 1; reports++
		}
		END {
			if (!N) { print "no reports"; exit 1 }
			printf "min %d avg %.1f max %d ns over %d samples (%d reports) | hist", MIN, sum / N, MAX, N, reports
			for (j = 0; j < nk; j++) printf " %s:%d", keys[j], h[keys[j]]
			printf "\n"
		}' "$1"
}
avg_of() { sed -n 's/.* avg \([0-9.]*\) .*/\1/p' <<<"$1"; }
compare() { # what partition-mean native-mean
	awk -v w="$1" -v p="$2" -v n="$3" 'BEGIN {
		printf "%s: mean latency %+.1f ns against native", w, p - n
		if (n > 0) printf ", ratio %.3f", p / n
		else printf " (native mean 0: no ratio)"
		printf "\n" }'
}

n=$(summary "$out/native.txt") || fail=1
i=$(summary "$out/idle.txt") || fail=1
echo "rtos native (Bochs, no hypervisor): $n"
echo "rtos in rtos1, root idle:           $i"
na=$(avg_of "$n")
ia=$(avg_of "$i")
[ -n "$na" ] && [ -n "$ia" ] && compare "root idle" "$ia" "$na"
grep -o 'stats: cpu1 (rtos1): [0-9]* exits in [0-9]* ms' "$out/idle.txt" | tail -3 | sed 's/^/vmx: /'

linux=$build/linux
"$top/tools/fetch-linux" "$linux" >/dev/null 2>&1 || true
if [ -s "$linux/vmlinuz" ] && [ -s "$linux/initrd.gz" ]; then
	iso=$out/linux.iso
	"$top/tools/mkimage" --hv "$build/bulkhead.elf" \
		--module "$build/partitions/bochs-x86_64-demo.bin" bulkhead-table \
		--module "$linux/vmlinuz" linux --module "$linux/initrd.gz" initrd \
		--module "$build/partitions/rtos/rtos.elf" "rtos1 period_us=1000 report_every=100" \
		--cmdline "console=com1,115200" --timeout 0 --iso "$iso" >/dev/null
	run linux 1200 3 "$iso" "ROOT-INIT: nproc"
	l=$(summary "$out/linux.txt" 'Linux version' 'ROOT-INIT') || fail=1
	echo "rtos in rtos1, Linux booting:       $l"
	la=$(avg_of "$l")
	[ -n "$na" ] && [ -n "$la" ] && compare "Linux booting" "$la" "$na"
	grep -o 'Linux version.*' "$out/linux.txt" | head -1 | cut -c1-40
	grep -o 'ROOT-UPTIME.*' "$out/linux.txt" | head -1
else
	echo "no Debian kernel: the Linux-booting case is left out"
fi
exit $fail
