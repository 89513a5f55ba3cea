#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-test of tools/mkimage, run-qemu and run-bochs: boots the mb2-hello payload from every kind of medium.
#
# usage: test/system/images.sh BUILD_DIR [--no-bochs] [--with-bulkhead]
# Builds the payloads into BUILD_DIR/images-test/ and prints PASS/FAIL/SKIP per
# case, then "N passed, N failed". Exit status 1 when a case failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/tools
payloads=$root/test/system/payloads/mb2-hello

usage() {
	echo "usage: $0 BUILD_DIR [--no-bochs] [--with-bulkhead]" >&2
	echo "  --no-bochs       leave out the Bochs case" >&2
	echo "  --with-bulkhead  also boot BUILD_DIR/bulkhead.elf from an ISO and wait for 'Bulkhead:'" >&2
	exit 2
}

[ $# -ge 1 ] || usage
build=$1
shift
bochs=1 with_bulkhead=0
for a in "$@"; do
	case $a in
	--no-bochs) bochs=0 ;;
	--with-bulkhead) with_bulkhead=1 ;;
	*) usage ;;
	esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)
out=$build/images-test
rm -rf "$out"
mkdir -p "$out/logs"

passed=0 failed=0 skipped=0
pass() {
	echo "PASS $1 ($2 s)"
	passed=$((passed + 1))
}
fail() {
	local name=$1 why=$2 log=${3:-}
	echo "FAIL $name: $why"
	if [ -n "$log" ] && [ -f "$log" ]; then
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
	failed=$((failed + 1))
}
skip() {
	echo "SKIP $1: $2"
	skipped=$((skipped + 1))
}

# expect NAME LOG PATTERN... : every extended regex must match a line of LOG.
expect() {
	local name=$1 log=$2 p
	shift 2
	for p in "$@"; do
		if ! grep -aqE -- "$p" "$log"; then
			echo "'$p' not in the serial output"
			return 1
		fi
	done
}

# boot NAME UNTIL PATTERNS... -- RUNNER ARGS...: runs RUNNER (run-qemu or
# run-bochs) until UNTIL matches, then checks the other patterns.
boot() {
	local name=$1 until=$2 t0 rc why
	shift 2
	local -a pats=()
	while [ "$1" != -- ]; do
		pats+=("$1")
		shift
	done
	shift
	local log=$out/logs/$name.log
	t0=$SECONDS
	set +e
	"$@" --until "$until" --timeout 120 >"$log" 2>&1
	rc=$?
	set -e
	if [ "$rc" -ne 0 ]; then
		fail "$name" "runner exit status $rc" "$log"
		return 0
	fi
	if ! why=$(expect "$name" "$log" "${pats[@]}"); then
		fail "$name" "$why" "$log"
		return 0
	fi
	pass "$name" $((SECONDS - t0))
}

# --- payloads and inputs -------------------------------------------------------
if ! "$payloads/build.sh" "$out" >"$out/logs/build.log" 2>&1; then
	cat "$out/logs/build.log"
	echo "FAIL build: payloads did not build"
	echo "0 passed, 1 failed"
	exit 1
fi
head -c 100 /dev/zero >"$out/table.bin"
head -c 1234 /dev/zero >"$out/rtos1.bin"
head -c 4096 /dev/zero >"$out/linux.bin"
probe=
[ ! -f "$out/efi-probe.efi" ] || probe=$out/efi-probe.efi

common=(--hv "$out/mb2-hello.elf"
	--module "$out/table.bin" bulkhead-table
	--module "$out/rtos1.bin" rtos1
	--module "$out/linux.bin" linux console=ttyS0
	--cmdline "console=com1,115200 loglevel=4"
	--timeout 0)
[ -z "$probe" ] || common+=(--loader "$probe")
mb2_lines=('^mb2-hello: cmdline=console=com1,115200 loglevel=4$'
	'^mb2-hello: module tag=bulkhead-table size=0x00000064$'
	'^mb2-hello: module tag=rtos1 size=0x000004d2$'
	'^mb2-hello: module tag=linux console=ttyS0 size=0x00001000$')
bios_ok='mb2-hello: ok, loader=GRUB.*, efi=no'
efi_ok='mb2-hello: ok, loader=GRUB.*, efi=yes'

# --- mkimage: arguments and media ------------------------------------------------------
t0=$SECONDS
set +e
"$tools/mkimage" --iso "$out/x.iso" >/dev/null 2>&1
rc_usage=$?
"$tools/mkimage" --hv "$out/table.bin" --iso "$out/x.iso" >/dev/null 2>&1
rc_notmb2=$?
"$tools/mkimage" --hv "$out/mb2-hello.elf" --default 2 --iso "$out/x.iso" >/dev/null 2>&1
rc_nolinux=$?
set -e
if [ "$rc_usage" = 2 ] && [ "$rc_notmb2" = 1 ] && [ "$rc_nolinux" = 2 ]; then
	pass mkimage-rejects-bad-arguments $((SECONDS - t0))
else
	fail mkimage-rejects-bad-arguments "exit statuses $rc_usage/$rc_notmb2/$rc_nolinux, expected 2/1/2"
fi

for kind in iso disk; do
	t0=$SECONDS
	if "$tools/mkimage" "${common[@]}" "--$kind" "$out/hello.$kind" >"$out/logs/mkimage-$kind.log" 2>&1; then
		pass "mkimage-$kind" $((SECONDS - t0))
	else
		fail "mkimage-$kind" "mkimage failed" "$out/logs/mkimage-$kind.log"
	fi
done
if [ -n "$probe" ]; then
	for kind in iso disk; do
		"$tools/mkimage" "${common[@]}" --default 1 "--$kind" "$out/probe.$kind" >/dev/null
	done
fi
"$tools/mkimage" "${common[@]}" --linux "$out/linux.bin" --initrd "$out/table.bin" \
	--linux-cmdline "console=ttyS0 quiet" --disk "$out/linux.disk" >/dev/null

# The ESP of the disk image: the loader's config and GRUB's menu.
esp_offset=$((4096 * 512))
if [ -f "$out/linux.disk" ]; then
	t0=$SECONDS
	cfg=$(MTOOLS_SKIP_CHECK=1 mtype -i "$out/linux.disk@@$esp_offset" ::/boot/grub/grub.cfg 2>&1 || true)
	why=
	for p in "multiboot2 /boot/bulkhead.elf 'console=com1,115200' 'loglevel=4'" \
		"module2 /boot/linux.bin 'linux' 'console=ttyS0'" \
		"linux /boot/1-linux.bin 'console=ttyS0' 'quiet'" \
		"initrd /boot/1-table.bin" 'set default=bulkhead' 'set timeout=0'; do
		grep -qF -- "$p" <<<"$cfg" || why="grub.cfg lacks: $p"
	done
	if [ -n "$probe" ]; then
		lcfg=$(MTOOLS_SKIP_CHECK=1 mtype -i "$out/linux.disk@@$esp_offset" ::/EFI/bulkhead/bulkhead.cfg 2>&1 || true)
		for p in 'hypervisor \EFI\bulkhead\bulkhead.elf' 'cmdline console=com1,115200 loglevel=4' \
			'module \EFI\bulkhead\table.bin bulkhead-table' 'module \EFI\bulkhead\linux.bin linux console=ttyS0'; do
			grep -qxF -- "$p" <<<"$lcfg" || why="bulkhead.cfg lacks the line: $p"
		done
	fi
	if [ -z "$why" ]; then
		pass disk-config-files $((SECONDS - t0))
	else
		fail disk-config-files "$why"
	fi
fi

# --- boots -------------------------------------------------------------------------------
q=("$tools/run-qemu" --mem 512M --smp 2)
boot iso-seabios "$bios_ok" "${mb2_lines[@]}" -- "${q[@]}" --iso "$out/hello.iso"
boot iso-ovmf "$efi_ok" "${mb2_lines[@]}" -- "${q[@]}" --firmware ovmf --iso "$out/hello.iso"
boot disk-seabios "$bios_ok" "${mb2_lines[@]}" -- "${q[@]}" --disk "$out/hello.disk"
boot disk-ovmf "$efi_ok" "${mb2_lines[@]}" -- "${q[@]}" --firmware ovmf --disk "$out/hello.disk"
# The hybrid ISO written to a USB stick: QEMU shows it as a hard disk.
boot iso-as-usb-seabios "$bios_ok" "${mb2_lines[@]}" -- "${q[@]}" --disk "$out/hello.iso"
boot iso-as-usb-ovmf "$efi_ok" "${mb2_lines[@]}" -- "${q[@]}" --firmware ovmf --disk "$out/hello.iso"
boot kernel-mb2-seabios "$bios_ok" '^mb2-hello: module tag=rtos1 size=0x000004d2$' -- \
	"${q[@]}" --kernel "$out/mb2-hello.elf" --module "$out/rtos1.bin" rtos1

if [ -n "$probe" ]; then
	# The own-loader entry: the loader must find its config on the device
	# UEFI says it was loaded from (cfg=own). On a CD, GRUB cannot name the El
	# Torito image to UEFI, so only a scan of all volumes finds it (cfg=other).
	boot own-loader-disk-ovmf 'efi-probe: cfg=' '^efi-probe: cfg=own first-line=# Generated by tools/mkimage' -- \
		"${q[@]}" --firmware ovmf --disk "$out/probe.disk"
	boot own-loader-iso-usb-ovmf 'efi-probe: cfg=' '^efi-probe: cfg=own ' -- \
		"${q[@]}" --firmware ovmf --disk "$out/probe.iso"
	boot own-loader-iso-cd-ovmf 'efi-probe: cfg=' '^efi-probe: cfg=(own|other) ' -- \
		"${q[@]}" --firmware ovmf --iso "$out/probe.iso"
	boot own-loader-disk-seabios-refused 'own UEFI loader needs UEFI firmware' -- \
		"${q[@]}" --disk "$out/probe.disk"
else
	skip own-loader "gnu-efi missing: efi-probe.efi not built"
fi

# A failing guest must fail the runner: wrong expectation, short timeout.
t0=$SECONDS
set +e
"${q[@]}" --iso "$out/hello.iso" --until 'no such line' --timeout 60 >"$out/logs/no-match.log" 2>&1
rc_nomatch=$?
set -e
if [ "$rc_nomatch" = 1 ]; then
	pass run-qemu-no-match-fails $((SECONDS - t0))
else
	fail run-qemu-no-match-fails "exit status $rc_nomatch, expected 1" "$out/logs/no-match.log"
fi

if [ "$bochs" = 1 ]; then
	if command -v bochs >/dev/null; then
		boot bochs-iso "$bios_ok" "${mb2_lines[@]}" -- "$tools/run-bochs" --iso "$out/hello.iso"
	else
		skip bochs-iso "bochs not installed"
	fi
fi

if [ "$with_bulkhead" = 1 ]; then
	if [ -f "$build/bulkhead.elf" ]; then
		"$tools/mkimage" --hv "$build/bulkhead.elf" --cmdline "console=com1,115200" \
			--timeout 0 --iso "$out/bulkhead.iso" >/dev/null
		# 'Bulkhead:' and not 'Bulkhead': GRUB prints "Booting `Bulkhead'".
		boot bulkhead-iso-seabios 'Bulkhead:' -- "${q[@]}" --iso "$out/bulkhead.iso"
		boot bulkhead-iso-ovmf 'Bulkhead:' -- "${q[@]}" --firmware ovmf --iso "$out/bulkhead.iso"
	else
		skip bulkhead "$build/bulkhead.elf not built"
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
