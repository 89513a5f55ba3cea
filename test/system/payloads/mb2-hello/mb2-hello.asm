; SPDX-License-Identifier: GPL-2.0-only
; Tiny Multiboot2 kernel that reports what its boot loader handed over on COM1, to test boot media and runners.
;
; Output (one line each, CR LF):
;   mb2-hello: cmdline=<string>                 (when the loader gave a command line)
;   mb2-hello: module tag=<string> size=0x<hex> (one per module, in order)
;   mb2-hello: ok, loader=<name>, efi=<yes/no>  (always last)
; then it writes 0 to isa-debug-exit (QEMU ends with status 1) and halts
; (Bochs and real machines stay halted).

bits 32

; Multiboot2 spec 3.1.1 (header) and 3.6 (boot information).
MB2_HEADER_MAGIC	equ 0xe85250d6
MB2_ARCH_I386		equ 0
MB2_BOOT_MAGIC		equ 0x36d76289	; in EAX on entry
MB2_TAG_END		equ 0
MB2_TAG_CMDLINE		equ 1
MB2_TAG_LOADER_NAME	equ 2
MB2_TAG_MODULE		equ 3
MB2_TAG_EFI32_ST	equ 11
MB2_TAG_EFI64_ST	equ 12
MB2_TAG_ALIGN		equ 8
MB2_INFO_MAX		equ 0x100000	; refuse absurd sizes instead of walking off

COM1			equ 0x3f8
UART_THR		equ 0		; transmit holding register
UART_DLL		equ 0		; divisor latch low (DLAB=1)
UART_IER		equ 1
UART_DLM		equ 1		; divisor latch high (DLAB=1)
UART_FCR		equ 2
UART_LCR		equ 3
UART_MCR		equ 4
UART_LSR		equ 5
UART_LSR_THRE		equ 0x20
UART_LCR_DLAB		equ 0x80
UART_LCR_8N1		equ 0x03
UART_FCR_ENABLE_CLEAR	equ 0xc7
UART_MCR_DTR_RTS	equ 0x03
UART_DIV_115200		equ 1

DEBUG_EXIT_PORT		equ 0xf4	; QEMU -device isa-debug-exit,iobase=0xf4

section .mb2hdr progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; end tag: type 0, flags 0, size 8
	dw 0
	dw 0
	dd 8
mb2_header_end:

section .text
global _start
_start:
	cli
	cld
	mov esp, stack_top
	mov ebp, ebx			; MBI pointer, kept in EBP throughout
	push eax
	call uart_init
	pop eax
	cmp eax, MB2_BOOT_MAGIC
	je .magic_ok
	mov esi, s_badmagic
	call puts
	jmp finish

.magic_ok:
	mov eax, [ebp]			; total_size
	cmp eax, MB2_INFO_MAX
	jbe .size_ok
	mov esi, s_badsize
	call puts
	jmp finish
.size_ok:
	lea edi, [ebp + eax]		; end of the information
	lea ebx, [ebp + 8]		; first tag
.next_tag:
	lea eax, [ebx + 8]
	cmp eax, edi
	ja .tags_done
	mov eax, [ebx]			; type
	mov ecx, [ebx + 4]		; size
	cmp eax, MB2_TAG_END
	je .tags_done
	cmp ecx, 8
	jb .tags_done
	cmp eax, MB2_TAG_CMDLINE
	je .cmdline
	cmp eax, MB2_TAG_LOADER_NAME
	je .loader
	cmp eax, MB2_TAG_MODULE
	je .module
	cmp eax, MB2_TAG_EFI32_ST
	je .efi
	cmp eax, MB2_TAG_EFI64_ST
	je .efi
	jmp .advance
.cmdline:
	mov esi, s_cmdline
	call puts
	lea esi, [ebx + 8]
	call puts
	mov esi, s_crlf
	call puts
	jmp .advance
.loader:
	lea eax, [ebx + 8]
	mov [loader_name], eax
	jmp .advance
.efi:
	mov dword [efi_flag], 1
	jmp .advance
.module:
	mov esi, s_module
	call puts
	lea esi, [ebx + 16]
	call puts
	mov esi, s_size
	call puts
	mov eax, [ebx + 12]		; mod_end
	sub eax, [ebx + 8]		; - mod_start
	call puthex
	mov esi, s_crlf
	call puts
.advance:
	mov ecx, [ebx + 4]
	add ecx, MB2_TAG_ALIGN - 1
	and ecx, ~(MB2_TAG_ALIGN - 1)
	add ebx, ecx
	jmp .next_tag

.tags_done:
	mov esi, s_ok
	call puts
	mov esi, [loader_name]
	call puts
	mov esi, s_efi
	call puts
	mov esi, s_no
	cmp dword [efi_flag], 0
	je .print_efi
	mov esi, s_yes
.print_efi:
	call puts
	mov esi, s_crlf
	call puts

finish:
	mov al, 0
	out DEBUG_EXIT_PORT, al
.halt:
	hlt
	jmp .halt

uart_init:
	mov dx, COM1 + UART_IER
	xor al, al
	out dx, al
	mov dx, COM1 + UART_LCR
	mov al, UART_LCR_DLAB
	out dx, al
	mov dx, COM1 + UART_DLL
	mov al, UART_DIV_115200
	out dx, al
	mov dx, COM1 + UART_DLM
	xor al, al
	out dx, al
	mov dx, COM1 + UART_LCR
	mov al, UART_LCR_8N1
	out dx, al
	mov dx, COM1 + UART_FCR
	mov al, UART_FCR_ENABLE_CLEAR
	out dx, al
	mov dx, COM1 + UART_MCR
	mov al, UART_MCR_DTR_RTS
	out dx, al
	ret

; putc: AL = character; clobbers EDX, ECX
putc:
	mov ah, al
	mov dx, COM1 + UART_LSR
	mov ecx, 0x100000		; give up waiting rather than hang
.wait:
	in al, dx
	test al, UART_LSR_THRE
	jnz .ready
	loop .wait
.ready:
	mov dx, COM1 + UART_THR
	mov al, ah
	out dx, al
	ret

; puts: ESI = NUL-terminated string (at most 255 characters printed)
puts:
	push esi
	push ebx
	mov ebx, 255
.loop:
	lodsb
	test al, al
	jz .done
	call putc
	dec ebx
	jnz .loop
.done:
	pop ebx
	pop esi
	ret

; puthex: EAX = value, printed as 8 hex digits
puthex:
	push ebx
	push esi
	mov ebx, eax
	mov esi, 8
.digit:
	rol ebx, 4
	mov eax, ebx
	and eax, 0xf
	mov al, [hexdigits + eax]
	call putc
	dec esi
	jnz .digit
	pop esi
	pop ebx
	ret

section .rodata
hexdigits:	db "0123456789abcdef"
s_cmdline:	db "mb2-hello: cmdline=", 0
s_module:	db "mb2-hello: module tag=", 0
s_size:		db " size=0x", 0
s_ok:		db "mb2-hello: ok, loader=", 0
s_efi:		db ", efi=", 0
s_yes:		db "yes", 0
s_no:		db "no", 0
s_crlf:		db 13, 10, 0
s_unknown:	db "unknown", 0
s_badmagic:	db "mb2-hello: FAIL: not started by a Multiboot2 loader (EAX is not 0x36d76289)", 13, 10, 0
s_badsize:	db "mb2-hello: FAIL: boot information larger than 1 MiB", 13, 10, 0

section .data
loader_name:	dd s_unknown
efi_flag:	dd 0

section .bss
align 16
stack:		resb 4096
stack_top:
