#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Tests of the bulkhead-table tool that need a compiler at test time: a scenario
# written by `draft` or `to-c` must compile with the emitter and pass `check`.
# usage: BH_TABLES="A.bin B.bin" tool_test.sh CASE TOOL SOURCE_DIR WORK_DIR LIBHOST CC [CFLAG...]
set -u
case_name=$1 tool=$2 src=$3 work=$4 lib=$5 cc=$6
shift 6
cflags="$*"
tables=${BH_TABLES:-}
fixtures=$src/test/unit/table/fixtures
out=$work/$case_name
rm -rf "$out" && mkdir -p "$out" || exit 1

fail() {
	echo "FAIL: $*"
	exit 1
}

# compile SCENARIO.c BLOB: builds the scenario's generator and runs it
compile() {
	# shellcheck disable=SC2086 # cflags is a list
	"$cc" $cflags -std=gnu11 -DBULKHEAD_HOST=1 -I"$src/include" -I"$src/core/include" \
		-I"$src/tools/bhtable" "$1" "$src/tools/bhtable/gen_main.c" \
		"$src/tools/bhtable/host.c" "$lib" -o "$out/gen" 2>"$out/cc.log" ||
		{ cat "$out/cc.log"; fail "$1 does not compile"; }
	"$out/gen" "$2" || fail "the generator for $1 failed"
}

case $case_name in
check-bad)
	compile "$fixtures/bad-overlap.c" "$out/bad.bin"
	"$tool" check "$out/bad.bin" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	cat "$out/stderr"
	[ $rc -eq 1 ] || fail "check exited $rc on a bad table, expected 1"
	grep -q 'error: table: partition "rtos1" (id 1): memory\[0\] host 0x20000000 size 0x1000000 overlaps partition "root" (id 0) memory\[0\] host 0x5000000 size 0x20000000' "$out/stderr" ||
		fail "the overlap is not reported"
	grep -q "bad.bin: rejected" "$out/stderr" || fail "no verdict line"
	"$tool" check /nonexistent.bin 2>/dev/null && fail "a missing file passed"
	"$tool" frobnicate 2>/dev/null
	[ $? -eq 2 ] || fail "an unknown command did not exit 2"
	;;
roundtrip)
	# a shipped scenario written back as C compiles to the same bytes
	[ -n "$tables" ] || fail "BH_TABLES is empty"
	for bin in $tables; do
		"$tool" to-c "$bin" -o "$out/back.c" || fail "to-c $bin"
		compile "$out/back.c" "$out/back.bin"
		cmp "$bin" "$out/back.bin" || fail "$bin does not survive to-c and back"
		echo "$bin: identical after to-c and back"
	done
	;;
draft-q35)
	"$tool" draft --root "$fixtures/q35" -o "$out/draft.c" 2>"$out/stderr" || fail "draft failed"
	cat "$out/draft.c"
	for want in 'CPUS(0, 1, 2, 3)' 'VTD(0xfed90000, 0x1000, 0)' 'MMCONFIG(MMCFG(0xb0000000, 0, 0, 255))' \
		'IOAPIC(0, 0xfec00000, 0, 24)' 'MEM(0x100000, 0x100000, 0xf00000, RAM | LOADABLE)' \
		'PCI(0, 0x00, 0x1f, 2, CFG_ALL), /\* class 0x010601: SATA controller \*/' \
		'.board = "standard-pc-q35-ich9-2009"'; do
		grep -qF "$want" "$out/draft.c" || grep -q "$want" "$out/draft.c" || fail "draft lacks: $want"
	done
	compile "$out/draft.c" "$out/draft.bin"
	"$tool" check "$out/draft.bin" || fail "check refuses the draft"
	;;
draft-noroot)
	"$tool" draft --root "$fixtures/noroot" -o "$out/draft.c" 2>"$out/stderr" || fail "draft failed"
	cat "$out/stderr"
	grep -q "shows no addresses (not run as root?)" "$out/stderr" || fail "no warning about /proc/iomem"
	grep -q "CPUs from /proc/cpuinfo" "$out/stderr" || fail "no warning about the MADT"
	grep -qF 'CPUS(0, 2)' "$out/draft.c" || fail "CPUs not taken from /proc/cpuinfo"
	compile "$out/draft.c" "$out/draft.bin"
	"$tool" check "$out/draft.bin" || fail "check refuses the draft"
	;;
draft-host)
	if ! grep -q ' : System RAM$' /proc/iomem 2>/dev/null ||
		! grep ' : System RAM$' /proc/iomem | grep -qv '^0*-0* '; then
		echo "SKIP: /proc/iomem on this machine shows no System RAM addresses (not root, or hidden in a container)"
		exit 77
	fi
	"$tool" draft -o "$out/draft.c" || fail "draft failed on this machine"
	cat "$out/draft.c"
	compile "$out/draft.c" "$out/draft.bin"
	"$tool" check "$out/draft.bin" || fail "check refuses this machine's draft"
	"$tool" show "$out/draft.bin" >/dev/null || fail "show refuses this machine's draft"
	;;
show)
	bin=${tables%% *}
	"$tool" show "$bin" --svg "$out/picture.svg" >"$out/show.txt" || fail "show failed"
	cat "$out/show.txt"
	for want in 'partition "rtos1" (id 1): RT|RESTARTABLE|VIRTUAL_CONSOLE, on fault: restart' \
		'cpus (APIC IDs): 0 1' '"root-rtos1": host 0x22000000, 1 MiB; peers: root memory[2]' \
		'0x000001000000-0x000004ffffff      64 MiB  hypervisor' 'APIC ID 3: rtos2'; do
		grep -qF "$want" "$out/show.txt" || fail "show lacks: $want"
	done
	grep -q '^<svg ' "$out/picture.svg" && grep -q '</svg>' "$out/picture.svg" || fail "no SVG written"
	grep -c '<rect' "$out/picture.svg" | grep -qv '^[0-9]$' || fail "the SVG has too few shapes"
	;;
*)
	fail "unknown case $case_name"
	;;
esac
echo "PASS: $case_name"
