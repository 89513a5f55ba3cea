#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# System test of the in-tree RTOS without the hypervisor: puts rtos.elf on a
# GRUB (BIOS) ISO and boots it under QEMU TCG with x2APIC and with xAPIC
# only, then checks the boot banner and the latency reports on COM1. With
# bhshim.elf in BUILD_DIR it also starts the RTOS the way Bulkhead does
# (include/bulkhead/guest.h, 64-bit and 32-bit start) through that shim, and
# with Bochs installed it boots once there (x2APIC with the TSC-deadline timer,
# which QEMU TCG lacks).
#
# Usage: rtos-native.sh BUILD_DIR RTOS_ELF
# Env:   RTOS_TEST_CASES   cases to run (default "x2apic xapic bh64 bh32 bochs";
#                          also "icount": xAPIC under -icount shift=0,sleep=off)
#        RTOS_TEST_TIMEOUT seconds per boot (default 120)
#        RTOS_TEST_MAX_NS  largest average latency of a report (default 10000000 = 10 ms)
#        RTOS_TEST_WORST_NS largest single latency (default 100000000 = 100 ms): under
#                          TCG guest time follows the host, so one host stall shows up
#                          as one long latency (17.8 ms seen with a build running beside)
#        RTOS_TEST_KEEP=1  keep the work folder (ISOs, serial logs)
#        QEMU              emulator binary (default qemu-system-x86_64)
# Exit:  0 all passed, 1 a case failed, 77 skipped (tools or image missing).
set -u

build=${1:?usage: rtos-native.sh BUILD_DIR RTOS_ELF}
elf=${2:?usage: rtos-native.sh BUILD_DIR RTOS_ELF}
shim=$build/bhshim.elf
cases=${RTOS_TEST_CASES:-x2apic xapic bh64 bh32 bochs}
run_bochs=$(cd "$(dirname "$0")/../.." && pwd)/tools/run-bochs
timeout_s=${RTOS_TEST_TIMEOUT:-120}
max_ns=${RTOS_TEST_MAX_NS:-10000000}
worst_ns=${RTOS_TEST_WORST_NS:-100000000}
qemu=${QEMU:-qemu-system-x86_64}
reports=3
every=200
opts="period_us=1000 report_every=$every exit_after=$reports"
# isa-debug-exit: the RTOS writes 0x10 after its last report, QEMU exits with (0x10 << 1) | 1.
exit_done=33
assert_re='iotlb_to_section'

for tool in "$qemu" grub-mkrescue xorriso timeout; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not found"
		exit 77
	fi
done
if [ ! -f "$elf" ]; then
	echo "SKIP: $elf is missing (build the rtos target first)"
	exit 77
fi
if [ ! -d /usr/lib/grub/i386-pc ]; then
	echo "SKIP: GRUB for BIOS (grub-pc-bin) is not installed"
	exit 77
fi

mkdir -p "$build"
work=$(mktemp -d "$build/rtos-native.XXXXXX")
qpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	if [ "${RTOS_TEST_KEEP:-0}" = 1 ]; then
		echo "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# mkiso CASE MENUENTRY-BODY: a BIOS GRUB ISO with rtos.elf (and the shim) on it.
mkiso() {
	local dir=$work/$1.iso.d
	mkdir -p "$dir/boot/grub"
	cp "$elf" "$dir/boot/rtos.elf"
	[ -f "$shim" ] && cp "$shim" "$dir/boot/bhshim.elf"
	cat >"$dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_output serial
set timeout=0
menuentry rtos {
	$2
}
CFG
	if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$work/$1.iso" "$dir" \
		>"$work/$1.mkrescue.log" 2>&1; then
		echo "  grub-mkrescue failed:"
		sed 's/^/    /' "$work/$1.mkrescue.log"
		return 1
	fi
}

# boot CASE CPU UNTIL-LINES [QEMU ARGS...]: runs QEMU on CASE.iso until it exits, or until
# the log holds UNTIL-LINES latency lines (0: wait for the exit); retries once on the
# known TCG assertion. Sets $status: QEMU's exit status, "stopped" or 124 (timeout).
boot() {
	local case=$1 cpu=$2 until=$3 log=$work/$1.log try t
	shift 3
	for try in 1 2; do
		"$qemu" -M q35 -m 256 -smp 1 -cpu "$cpu" -display none -monitor none \
			-serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-cdrom "$work/$case.iso" "$@" </dev/null >"$log" 2>&1 &
		qpid=$!
		status=124
		for ((t = 0; t < timeout_s * 10; t++)); do
			if ! kill -0 "$qpid" 2>/dev/null; then
				wait "$qpid"
				status=$?
				break
			fi
			# A halted RTOS never ends QEMU itself under a Bulkhead-style start.
			if grep -q "halted after\|ERROR" "$log"; then
				status=halted
				break
			fi
			if [ "$until" -gt 0 ] &&
				[ "$(grep -c "latency ns " "$log")" -ge "$until" ]; then
				status=stopped
				break
			fi
			sleep 0.1
		done
		kill "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
		qpid=
		if [ "$try" = 1 ] && grep -q "$assert_re" "$log"; then
			echo "note: QEMU hit the known TCG assertion ($assert_re); running once more"
			continue
		fi
		return 0
	done
}

# boot_bochs CASE: the ISO under Bochs (no isa-debug-exit there: stop on the last line).
boot_bochs() {
	"$run_bochs" --iso "$work/$1.iso" --smp 1 --timeout "$timeout_s" \
		--until "done after $reports reports|halted after" </dev/null >"$work/$1.log" 2>&1
	status=$?
	[ "$status" = 0 ] && status=stopped
}

# check LOG NAME PLATFORM APIC_RE NATIVE TIMER: prints what is wrong, returns non-zero on failure.
# NATIVE: 1 QEMU must end through isa-debug-exit, 0 a Bulkhead-style start that runs on,
# 2 native but stopped by the runner.
check() {
	local log=$1 name=$2 platform=$3 apic_re=$4 native=$5 timer=$6 bad=0 lines
	local banner="^rtos $name: up on cpu 0 \\(APIC ID 0\\), TSC [0-9]+\\.[0-9]{3} MHz, timer $timer, console uart, $platform\$"

	tr -d '\r' <"$log" >"$log.txt"
	if [ "$native" = 1 ] && [ "$status" != "$exit_done" ]; then
		echo "  QEMU exit status $status, want $exit_done (isa-debug-exit after $reports reports)"
		bad=1
	elif [ "$native" != 1 ] && [ "$status" != stopped ]; then
		echo "  the emulator ended with status $status before the last expected line"
		bad=1
	fi
	[ "$status" = 124 ] && echo "  (timed out after $timeout_s s)"
	if ! grep -Eq "$banner" "$log.txt"; then
		echo "  no boot banner matching: $banner"
		bad=1
	fi
	if ! grep -Eq "^rtos $name: $apic_re" "$log.txt"; then
		echo "  no interrupt-controller line matching: rtos $name: $apic_re"
		bad=1
	fi
	if grep -Eq "CPU exception|ERROR|WARN" "$log.txt"; then
		echo "  unexpected error output:"
		grep -E "CPU exception|ERROR|WARN" "$log.txt" | sed 's/^/    /'
		bad=1
	fi
	# Each latency line: n = report_every, min <= avg <= max, avg < max_ns, max < worst_ns,
	# histogram sums to n.
	lines=$(grep -E "^rtos $name: latency ns " "$log.txt")
	if ! awk -v want_n="$every" -v max_ns="$max_ns" -v worst_ns="$worst_ns" -v want_lines="$reports" '
		{
			if (!match($0, /min [0-9]+ avg [0-9]+ max [0-9]+ n [0-9]+ \| hist /)) {
				print "  malformed latency line: " $0; bad = 1; next
			}
			split(substr($0, RSTART, RLENGTH), f, " ")
			min = f[2] + 0; avg = f[4] + 0; max = f[6] + 0; n = f[8] + 0
			sum = 0
			split(substr($0, RSTART + RLENGTH), h, " ")
			for (i = 1; i <= 8; i++) {
				if (h[i] !~ /^(<|>=)[0-9]+us:[0-9]+$/) {
					print "  malformed histogram bucket \"" h[i] "\" in: " $0; bad = 1; next
				}
				split(h[i], kv, ":")
				sum += kv[2]
			}
			if (n != want_n) { print "  n " n ", want " want_n ": " $0; bad = 1 }
			if (!(min <= avg && avg <= max)) { print "  min/avg/max out of order: " $0; bad = 1 }
			if (avg >= max_ns) { print "  avg " avg " ns >= " max_ns " ns: " $0; bad = 1 }
			if (max >= worst_ns) { print "  max " max " ns >= " worst_ns " ns: " $0; bad = 1 }
			if (sum != n) { print "  histogram sums to " sum ", n is " n ": " $0; bad = 1 }
			count++
		}
		END {
			if (count < want_lines) {
				print "  " count + 0 " latency lines, want at least " want_lines; bad = 1
			}
			exit bad
		}' <<<"$lines"; then
		bad=1
	fi
	if [ "$native" != 0 ] && ! grep -Eq "^rtos $name: done after $reports reports" "$log.txt"; then
		echo "  no \"done after $reports reports\" line"
		bad=1
	fi
	if [ "$native" = 0 ] &&
		! grep -Eq "^rtos $name: exit_after=$reports ignored" "$log.txt"; then
		echo "  no \"exit_after=$reports ignored\" line (a Bulkhead start must not exit)"
		bad=1
	fi
	return "$bad"
}

x2apic_re="x2APIC, timer vector 0x30 one-shot at"
xapic_re="xAPIC at 0xfee00000, timer vector 0x30 one-shot at"
passed=0
failed=0
skipped=0
for case in $cases; do
	extra=()
	native=1
	timer=one-shot
	name=native
	cpu=qemu64,+x2apic
	apic_re=$x2apic_re
	platform=native
	entry="multiboot2 /boot/rtos.elf name=native $opts"
	case $case in
	x2apic) ;;
	xapic)
		cpu=qemu64
		apic_re=$xapic_re
		;;
	icount)
		# x2APIC timer MSRs abort QEMU 10 under icount ("Bad icount read"): use xAPIC.
		cpu=qemu64
		apic_re=$xapic_re
		# shellcheck disable=SC2054 # one argument with commas
		extra=(-icount shift=0,sleep=off)
		;;
	bochs)
		if ! command -v bochs >/dev/null || [ ! -x "$run_bochs" ]; then
			echo "SKIP: rtos-native/bochs: bochs or $run_bochs is missing"
			skipped=$((skipped + 1))
			continue
		fi
		native=2
		name=bochs
		cpu=corei7_skylake_x
		timer=tsc-deadline
		apic_re="x2APIC, timer vector 0x30 in TSC-deadline mode"
		entry="multiboot2 /boot/rtos.elf name=bochs $opts"
		;;
	bh64 | bh32)
		if [ ! -f "$shim" ]; then
			echo "SKIP: rtos-native/$case: $shim is missing"
			skipped=$((skipped + 1))
			continue
		fi
		native=0
		name=rt-$case
		# Bulkhead puts the info at offset 0 of the lowest RAM: guest-physical 0 here
		info=zero
		[ "$case" = bh32 ] && info=high
		platform=bulkhead
		entry="multiboot2 /boot/bhshim.elf start=${case#bh} name=$name port=1016 info=$info
	module2 /boot/rtos.elf $opts"
		;;
	*)
		echo "FAIL: unknown case $case"
		failed=$((failed + 1))
		continue
		;;
	esac
	start=$(date +%s)
	status=none
	if mkiso "$case" "$entry"; then
		if [ "$case" = bochs ]; then
			boot_bochs "$case"
		elif [ "$native" = 1 ]; then
			boot "$case" "$cpu" 0 "${extra[@]}"
		else
			boot "$case" "$cpu" "$reports" "${extra[@]}"
		fi
	fi
	secs=$(($(date +%s) - start))
	log=$work/$case.log
	touch "$log"
	if check "$log" "$name" "$platform" "$apic_re" "$native" "$timer"; then
		echo "PASS: rtos-native/$case (-cpu $cpu ${extra[*]}, ${secs} s)"
		grep -E "^(bhshim|rtos $name: (up on|latency))" "$log.txt" | sed 's/^/  /'
		passed=$((passed + 1))
	else
		echo "FAIL: rtos-native/$case (-cpu $cpu ${extra[*]}, ${secs} s); serial log:"
		sed 's/^/  | /' "$log.txt" | tail -40
		failed=$((failed + 1))
	fi
done
echo "rtos-native: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
