#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark: Debian's Linux as the root partition against the same kernel
# booted natively by GRUB, in the same emulator with deterministic time
# (QEMU TCG, -icount shift=0: one instruction per virtual nanosecond, so
# every figure below is in guest time and repeatable).
#   A  Bulkhead, demo table, root only (the RTOS modules are left out, so
#      CPUs 2-3 are spare and one of them prints the exit report every
#      second: stats_ms=1000)
#   B  no hypervisor: GRUB's "Linux without hypervisor" entry, nr_cpus=2
#      (the root's own MADT lists its 2 CPUs; natively Linux would set up 4)
#   C  Bulkhead with the RTOS in rtos1 (1 kHz task, a report every 200 ms)
#      and the root booting: RTOS latency while Linux boots against after
# All runs use x2apic=off / xAPIC: QEMU aborts ("Bad icount read") when a
# guest touches the x2APIC timer under -icount (docs/testing.md).
# The root's /init hashes 64 MiB of tmpfs with sha256sum (bh_sha256=64).
#   linux-root.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: linux-root.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/bench-linux
mkdir -p "$out"
"$top/tools/fetch-linux" "$build/linux" >/dev/null
k=$build/linux/vmlinuz i=$build/linux/initrd.gz
[ -s "$k" ] && [ -s "$i" ] || { echo "skipped: no Debian kernel could be fetched"; exit 77; }
mib=64
table=$build/partitions/qemu-x86_64-demo.bin
rtos=$build/partitions/rtos/rtos.elf

"$top/tools/mkimage" --hv "$build/bulkhead.elf" --module "$table" bulkhead-table \
	--module "$k" "linux quiet bh_sha256=$mib" --module "$i" initrd \
	--cmdline "console=com1,115200 stats_ms=1000 x2apic=off" --timeout 0 --iso "$out/a.iso" >/dev/null || exit 1
"$top/tools/mkimage" --hv "$build/bulkhead.elf" --linux "$k" --initrd "$i" \
	--linux-cmdline "console=ttyS0,115200 quiet nr_cpus=2 bh_sha256=$mib" --default 2 \
	--timeout 0 --iso "$out/b.iso" >/dev/null || exit 1
"$top/tools/mkimage" --hv "$build/bulkhead.elf" --module "$table" bulkhead-table \
	--module "$k" linux --module "$i" initrd \
	--module "$rtos" "rtos1 period_us=1000 report_every=200" \
	--cmdline "console=com1,115200 stats_ms=0 x2apic=off" --timeout 0 --iso "$out/c.iso" >/dev/null || exit 1

run() { # name iso until...
	local name=$1 iso=$2
	shift 2
	local args=()
	for u in "$@"; do args+=(--until "$u"); done
	"$top/tools/run-qemu" --icount --iso "$iso" "${args[@]}" --timeout 1500 >"$out/$name.log" 2>&1
}
# BENCH_RUNS="a b c" (default) picks the runs; the others' logs are reused
runs=${BENCH_RUNS:-a b c}
echo "bench/linux-root: boots under -icount (several minutes each; logs in $out): $runs"
case " $runs " in *" a "*) run a "$out/a.iso" 'ROOT-INIT: done' 'stats: cpu1' 'stats: cpu1' 'stats: cpu1' & ;; esac
case " $runs " in *" b "*) run b "$out/b.iso" 'ROOT-INIT: done' & ;; esac
wait
case " $runs " in *" c "*) run c "$out/c.iso" 'ROOT-INIT: done' 'rtos1: latency' 'rtos1: latency' 'rtos1: latency' 'rtos1: latency' ;; esac

clean() { tr -d '\r' <"$1"; }
# Linux's own clock when /init starts (/proc/uptime; both boot with "quiet",
# so console output does not weigh on either side)
init_at() { clean "$1" | grep -oE 'ROOT-UPTIME: [0-9.]+ s at /init' | grep -oE '[0-9]+\.[0-9]+' | head -1; }
sha_s() { clean "$1" | grep -oE 'ROOT-SHA256: [0-9]+ MiB in [0-9.]+ \.\. [0-9.]+' |
	awk '{ print $7 - $5 }' | head -1; }
ta=$(init_at "$out/a.log") tb=$(init_at "$out/b.log")
sa=$(sha_s "$out/a.log") sb=$(sha_s "$out/b.log")
if [ -z "$ta" ] || [ -z "$tb" ] || [ -z "$sa" ] || [ -z "$sb" ]; then
	echo "FAIL: a run did not reach its /init report (see $out/a.log, $out/b.log)"
	exit 1
fi
awk -v a="$ta" -v b="$tb" 'BEGIN { printf "boot to /init (Linux clock): native %.3f s, Bulkhead %.3f s, ratio %.3f (goal <= 1.10)\n", b, a, a / b }'
awk -v a="$sa" -v b="$sb" -v m="$mib" 'BEGIN { printf "sha256sum %d MiB in tmpfs: native %.3f s, Bulkhead %.3f s, ratio %.4f (goal <= 1.005)\n", m, b, a, a / b }'

# VM exits of the root's CPUs: totals up to the first report after /init starts
# (by reason, summed over the 1 s reports), and per second once Linux idles
clean "$out/a.log" | awk '
	/ROOT-UPTIME: / { at_init = 1 }
	/stats: cpu[01] \(root\)/ {
		# "[cpu2] stats: cpu0 (root): N exits in 1000 ms: reason n ...; T since start"
		if (!done) {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^(cpuid|rdmsr|wrmsr|io|npf|s2|xapic|hypercall|nmi|init|shutdown|intr|svm-insn|virt-insn|forbidden|invalid|other)$/) {
					v = $(i + 1); sub(/;/, "", v); boot[$i] += v
				}
			if (at_init && $3 == "cpu1") done = 1
		}
		last[$3] = $0
	}
	END {
		s = ""; total = 0
		for (r in boot) { s = s " " r " " boot[r]; total += boot[r] }
		printf "VM exits on the root CPUs from entry to /init: %d (%s )\n", total, s
		for (c in last) print "idle root, last 1 s report: " last[c]
	}'

# RTOS latency while Linux boots (reports before "Run /init") against after
clean "$out/c.log" | awk '
	/ROOT-INIT: / { booted = 1 }
	/rtos1: latency ns/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "avg") avg = $(i + 1)
			if ($i == "max") max = $(i + 1)
		}
		if (booted) { na++; aa += avg; if (max > ma) ma = max }
		else { nb++; ab += avg; if (max > mb) mb = max }
	}
	END {
		if (!na || !nb) { print "RTOS latency: not enough reports (" nb " during boot, " na " after)"; exit }
		printf "RTOS latency (xAPIC, 1 kHz): during the Linux boot avg %.0f ns max %d ns (%d reports); root idle avg %.0f ns max %d ns (%d reports); ratio avg %.3f max %.3f\n",
			ab / nb, mb, nb, aa / na, ma, na, (ab / nb) / (aa / na), mb / ma
	}'
