#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the media test payloads into OUTDIR: mb2-hello.elf (nasm, GNU ld) and efi-probe.efi (gnu-efi).
set -euo pipefail
if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	echo "  builds OUTDIR/mb2-hello.elf and, when gnu-efi is installed, OUTDIR/efi-probe.efi" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mb2-hello.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

nasm -f elf32 -w+all -o "$tmp/mb2-hello.o" "$here/mb2-hello.asm"
ld -m elf_i386 -nostdlib -static --build-id=none -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments -T "$here/link.ld" \
	-o "$out/mb2-hello.elf" "$tmp/mb2-hello.o"

# gnu-efi's usual recipe: a PIC shared object relinked as a PE32+ application.
efi_lds=/usr/lib/elf_x86_64_efi.lds
efi_crt0=/usr/lib/crt0-efi-x86_64.o
if [ ! -f "$efi_lds" ] || [ ! -f "$efi_crt0" ] || [ ! -d /usr/include/efi ]; then
	echo "$0: gnu-efi not installed, efi-probe.efi not built" >&2
	exit 0
fi
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fpic -fshort-wchar \
	-fno-stack-protector -fno-strict-aliasing -mno-red-zone -maccumulate-outgoing-args \
	-DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI -I/usr/include/efi -I/usr/include/efi/x86_64 \
	-c -o "$tmp/efi-probe.o" "$here/efi-probe.c"
ld -nostdlib -znocombreloc -shared -Bsymbolic -T "$efi_lds" -L/usr/lib \
	-o "$tmp/efi-probe.so" "$efi_crt0" "$tmp/efi-probe.o" -lefi -lgnuefi
objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j .rel.* -j .rela.* -j .reloc --target=efi-app-x86_64 --subsystem=10 \
	"$tmp/efi-probe.so" "$out/efi-probe.efi"
