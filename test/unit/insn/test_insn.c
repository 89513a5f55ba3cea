// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for arch/x86_64/insn.c: every supported MOV form (bytes from GNU
 * as, checked against objdump), every truncation of each, rejected forms, and
 * the x86 register read/write semantics the MMIO emulation relies on.
 */
#include <stdlib.h>

#include "../check.h"
#include "vcpu/insn.h"
#include "core/errno.h"

struct enc {
	int mode;
	uint8_t b[INSN_MAX_LEN];
	uint8_t len, size;
	bool write;
	enum insn_src src;
	uint8_t reg;
	bool high8;
	uint64_t imm;
	enum insn_ext ext;
	uint8_t dst_size;
};

static const struct enc good[] = {
	/* mov %al,(%rdi) */
	{ 64, { 0x88, 0x07 }, 2, 1, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %ah,(%rdi) */
	{ 64, { 0x88, 0x27 }, 2, 1, true, INSN_SRC_REG, 0, true, 0x0, INSN_EXT_NONE, 0 },
	/* mov %bh,(%rax) */
	{ 64, { 0x88, 0x38 }, 2, 1, true, INSN_SRC_REG, 3, true, 0x0, INSN_EXT_NONE, 0 },
	/* mov %sil,(%rdi) */
	{ 64, { 0x40, 0x88, 0x37 }, 3, 1, true, INSN_SRC_REG, 6, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %spl,(%rax) */
	{ 64, { 0x40, 0x88, 0x20 }, 3, 1, true, INSN_SRC_REG, 4, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %r8b,(%rdi) */
	{ 64, { 0x44, 0x88, 0x07 }, 3, 1, true, INSN_SRC_REG, 8, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %r15b,(%r15) */
	{ 64, { 0x45, 0x88, 0x3f }, 3, 1, true, INSN_SRC_REG, 15, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %eax,(%rdi) */
	{ 64, { 0x89, 0x07 }, 2, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %ecx,0x300(%rbx) */
	{ 64,
	  { 0x89, 0x8b, 0x00, 0x03, 0x00, 0x00 },
	  6,
	  4,
	  true,
	  INSN_SRC_REG,
	  1,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %edx,0x20(%rbx) */
	{ 64, { 0x89, 0x53, 0x20 }, 3, 4, true, INSN_SRC_REG, 2, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %rax,(%rdi) */
	{ 64, { 0x48, 0x89, 0x07 }, 3, 8, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %r9,(%r10) */
	{ 64, { 0x4d, 0x89, 0x0a }, 3, 8, true, INSN_SRC_REG, 9, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %ax,(%rdi) */
	{ 64, { 0x66, 0x89, 0x07 }, 3, 2, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %r11w,0x10(%r12) */
	{ 64,
	  { 0x66, 0x45, 0x89, 0x5c, 0x24, 0x10 },
	  6,
	  2,
	  true,
	  INSN_SRC_REG,
	  11,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %eax,(%rsp) */
	{ 64, { 0x89, 0x04, 0x24 }, 3, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %ecx,0x8(%rax,%rbx,4) */
	{ 64,
	  { 0x89, 0x4c, 0x98, 0x08 },
	  4,
	  4,
	  true,
	  INSN_SRC_REG,
	  1,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %edx,0x12345678(,%rcx,8) */
	{ 64,
	  { 0x89, 0x14, 0xcd, 0x78, 0x56, 0x34, 0x12 },
	  7,
	  4,
	  true,
	  INSN_SRC_REG,
	  2,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %esi,0x1000(%rip) */
	{ 64,
	  { 0x89, 0x35, 0x00, 0x10, 0x00, 0x00 },
	  6,
	  4,
	  true,
	  INSN_SRC_REG,
	  6,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %edi,(%r13) */
	{ 64,
	  { 0x41, 0x89, 0x7d, 0x00 },
	  4,
	  4,
	  true,
	  INSN_SRC_REG,
	  7,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %eax,(%r12) */
	{ 64,
	  { 0x41, 0x89, 0x04, 0x24 },
	  4,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %eax,0x80(%rax,%r9,2) */
	{ 64,
	  { 0x42, 0x89, 0x84, 0x48, 0x80, 0x00, 0x00, 0x00 },
	  8,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %r14d,-0x4(%rbp) */
	{ 64,
	  { 0x44, 0x89, 0x75, 0xfc },
	  4,
	  4,
	  true,
	  INSN_SRC_REG,
	  14,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %rax,%fs:0x10 */
	{ 64,
	  { 0x64, 0x48, 0x89, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00 },
	  9,
	  8,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %eax,(%edi) */
	{ 64, { 0x67, 0x89, 0x07 }, 3, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %eax,0x10(%ebx,%ecx,2) */
	{ 64,
	  { 0x67, 0x89, 0x44, 0x4b, 0x10 },
	  5,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %esp,-0x80(%eip) */
	{ 64,
	  { 0x67, 0x89, 0x25, 0x80, 0xff, 0xff, 0xff },
	  7,
	  4,
	  true,
	  INSN_SRC_REG,
	  4,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %r12,0x7fffffff(%r13,%r14,8) */
	{ 64,
	  { 0x4f, 0x89, 0xa4, 0xf5, 0xff, 0xff, 0xff, 0x7f },
	  8,
	  8,
	  true,
	  INSN_SRC_REG,
	  12,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov (%rdi),%al */
	{ 64, { 0x8a, 0x07 }, 2, 1, false, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 1 },
	/* mov (%rdi),%ch */
	{ 64, { 0x8a, 0x2f }, 2, 1, false, INSN_SRC_REG, 1, true, 0x0, INSN_EXT_NONE, 1 },
	/* mov (%rdi),%dil */
	{ 64, { 0x40, 0x8a, 0x3f }, 3, 1, false, INSN_SRC_REG, 7, false, 0x0, INSN_EXT_NONE, 1 },
	/* mov (%rdi),%r10b */
	{ 64, { 0x44, 0x8a, 0x17 }, 3, 1, false, INSN_SRC_REG, 10, false, 0x0, INSN_EXT_NONE, 1 },
	/* mov (%rdi),%eax */
	{ 64, { 0x8b, 0x07 }, 2, 4, false, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 4 },
	/* mov 0x300(%rax),%r8d */
	{ 64,
	  { 0x44, 0x8b, 0x80, 0x00, 0x03, 0x00, 0x00 },
	  7,
	  4,
	  false,
	  INSN_SRC_REG,
	  8,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* mov (%rsi),%rdx */
	{ 64, { 0x48, 0x8b, 0x16 }, 3, 8, false, INSN_SRC_REG, 2, false, 0x0, INSN_EXT_NONE, 8 },
	/* mov (%rsi),%r15 */
	{ 64, { 0x4c, 0x8b, 0x3e }, 3, 8, false, INSN_SRC_REG, 15, false, 0x0, INSN_EXT_NONE, 8 },
	/* mov (%rsi),%bx */
	{ 64, { 0x66, 0x8b, 0x1e }, 3, 2, false, INSN_SRC_REG, 3, false, 0x0, INSN_EXT_NONE, 2 },
	/* mov 0x20(%rip),%eax */
	{ 64,
	  { 0x8b, 0x05, 0x20, 0x00, 0x00, 0x00 },
	  6,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* mov (%r8,%r9,1),%r12 */
	{ 64,
	  { 0x4f, 0x8b, 0x24, 0x08 },
	  4,
	  8,
	  false,
	  INSN_SRC_REG,
	  12,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  8 },
	/* mov %gs:0x0,%al */
	{ 64,
	  { 0x65, 0x8a, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00 },
	  8,
	  1,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  1 },
	/* movb $0x12,(%rdi) */
	{ 64, { 0xc6, 0x07, 0x12 }, 3, 1, true, INSN_SRC_IMM, 0, false, 0x12ULL, INSN_EXT_NONE, 0 },
	/* movb $0xff,0x10(%rax) */
	{ 64,
	  { 0xc6, 0x40, 0x10, 0xff },
	  4,
	  1,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0xffULL,
	  INSN_EXT_NONE,
	  0 },
	/* movw $0x1234,(%rdi) */
	{ 64,
	  { 0x66, 0xc7, 0x07, 0x34, 0x12 },
	  5,
	  2,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x1234ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movw $0x8001,(%r9) */
	{ 64,
	  { 0x66, 0x41, 0xc7, 0x01, 0x01, 0x80 },
	  6,
	  2,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x8001ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movl $0x12345678,(%rdi) */
	{ 64,
	  { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 },
	  6,
	  4,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x12345678ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movl $0x80000000,0x300(%rbx) */
	{ 64,
	  { 0xc7, 0x83, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 },
	  10,
	  4,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x80000000ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movq $-1,(%rdi) */
	{ 64,
	  { 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff },
	  7,
	  8,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0xffffffffffffffffULL,
	  INSN_EXT_NONE,
	  0 },
	/* movq $0x7fffffff,(%r8) */
	{ 64,
	  { 0x49, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f },
	  7,
	  8,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x7fffffffULL,
	  INSN_EXT_NONE,
	  0 },
	/* movl $1,0x1000(%rip) */
	{ 64,
	  { 0xc7, 0x05, 0x00, 0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 },
	  10,
	  4,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x1ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movq $-2,0x12345678(%rax,%r12,8) */
	{ 64,
	  { 0x4a, 0xc7, 0x84, 0xe0, 0x78, 0x56, 0x34, 0x12, 0xfe, 0xff, 0xff, 0xff },
	  12,
	  8,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0xfffffffffffffffeULL,
	  INSN_EXT_NONE,
	  0 },
	/* movzbl (%rdi),%eax */
	{ 64, { 0x0f, 0xb6, 0x07 }, 3, 1, false, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_ZERO, 4 },
	/* movzbw (%rdi),%ax */
	{ 64,
	  { 0x66, 0x0f, 0xb6, 0x07 },
	  4,
	  1,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_ZERO,
	  2 },
	/* movzbq (%rdi),%r9 */
	{ 64,
	  { 0x4c, 0x0f, 0xb6, 0x0f },
	  4,
	  1,
	  false,
	  INSN_SRC_REG,
	  9,
	  false,
	  0x0ULL,
	  INSN_EXT_ZERO,
	  8 },
	/* movzbl (%rdi),%esi */
	{ 64, { 0x0f, 0xb6, 0x37 }, 3, 1, false, INSN_SRC_REG, 6, false, 0x0, INSN_EXT_ZERO, 4 },
	/* movzwl (%rdi),%eax */
	{ 64, { 0x0f, 0xb7, 0x07 }, 3, 2, false, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_ZERO, 4 },
	/* movzwq 0x10(%rsi),%rcx */
	{ 64,
	  { 0x48, 0x0f, 0xb7, 0x4e, 0x10 },
	  5,
	  2,
	  false,
	  INSN_SRC_REG,
	  1,
	  false,
	  0x0ULL,
	  INSN_EXT_ZERO,
	  8 },
	/* movsbl (%rdi),%edx */
	{ 64, { 0x0f, 0xbe, 0x17 }, 3, 1, false, INSN_SRC_REG, 2, false, 0x0, INSN_EXT_SIGN, 4 },
	/* movsbq (%rdi),%rax */
	{ 64,
	  { 0x48, 0x0f, 0xbe, 0x07 },
	  4,
	  1,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  8 },
	/* movswl (%rdi),%esi */
	{ 64, { 0x0f, 0xbf, 0x37 }, 3, 2, false, INSN_SRC_REG, 6, false, 0x0, INSN_EXT_SIGN, 4 },
	/* movswq (%rdi),%r11 */
	{ 64,
	  { 0x4c, 0x0f, 0xbf, 0x1f },
	  4,
	  2,
	  false,
	  INSN_SRC_REG,
	  11,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  8 },
	/* movsbw (%rdi),%cx */
	{ 64,
	  { 0x66, 0x0f, 0xbe, 0x0f },
	  4,
	  1,
	  false,
	  INSN_SRC_REG,
	  1,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  2 },
	/* movswl 0x20(%rip),%r13d */
	{ 64,
	  { 0x44, 0x0f, 0xbf, 0x2d, 0x20, 0x00, 0x00, 0x00 },
	  8,
	  2,
	  false,
	  INSN_SRC_REG,
	  13,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  4 },
	/* movabs 0xfee00020,%eax */
	{ 64,
	  { 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  9,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* movabs %al,0xfee00300 */
	{ 64,
	  { 0xa2, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  9,
	  1,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movabs 0xfee000b0,%rax */
	{ 64,
	  { 0x48, 0xa1, 0xb0, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  10,
	  8,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  8 },
	/* movabs %ax,0xfee00310 */
	{ 64,
	  { 0x66, 0xa3, 0x10, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  10,
	  2,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movabs 0xfee00020,%al */
	{ 64,
	  { 0xa0, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  9,
	  1,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  1 },
	/* addr32 mov 0xfee00020,%eax */
	{ 64,
	  { 0x67, 0xa1, 0x20, 0x00, 0xe0, 0xfe },
	  6,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* addr32 mov %rax,0xfee00020 */
	{ 64,
	  { 0x67, 0x48, 0xa3, 0x20, 0x00, 0xe0, 0xfe },
	  7,
	  8,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %eax,(%edi) */
	{ 32, { 0x89, 0x07 }, 2, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov %ah,(%edi) */
	{ 32, { 0x88, 0x27 }, 2, 1, true, INSN_SRC_REG, 0, true, 0x0, INSN_EXT_NONE, 0 },
	/* mov %bl,(%edi) */
	{ 32, { 0x88, 0x1f }, 2, 1, true, INSN_SRC_REG, 3, false, 0x0, INSN_EXT_NONE, 0 },
	/* mov 0x300(%ebx),%eax */
	{ 32,
	  { 0x8b, 0x83, 0x00, 0x03, 0x00, 0x00 },
	  6,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* mov (%esi),%dh */
	{ 32, { 0x8a, 0x36 }, 2, 1, false, INSN_SRC_REG, 2, true, 0x0, INSN_EXT_NONE, 1 },
	/* mov %ax,(%edi) */
	{ 32, { 0x66, 0x89, 0x07 }, 3, 2, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* movl $0,0xfee00020 */
	{ 32,
	  { 0xc7, 0x05, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  10,
	  4,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movw $0xabcd,(%edi) */
	{ 32,
	  { 0x66, 0xc7, 0x07, 0xcd, 0xab },
	  5,
	  2,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0xabcdULL,
	  INSN_EXT_NONE,
	  0 },
	/* movb $0x80,(%edi) */
	{ 32, { 0xc6, 0x07, 0x80 }, 3, 1, true, INSN_SRC_IMM, 0, false, 0x80ULL, INSN_EXT_NONE, 0 },
	/* mov 0xfee00020,%eax */
	{ 32,
	  { 0xa1, 0x20, 0x00, 0xe0, 0xfe },
	  5,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* mov %eax,0xfee00030 */
	{ 32,
	  { 0xa3, 0x30, 0x00, 0xe0, 0xfe },
	  5,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %al,0xfee00030 */
	{ 32,
	  { 0xa2, 0x30, 0x00, 0xe0, 0xfe },
	  5,
	  1,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* addr16 mov 0x1234,%eax */
	{ 32,
	  { 0x67, 0xa1, 0x34, 0x12 },
	  4,
	  4,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  4 },
	/* addr16 mov %eax,(%bx) */
	{ 32, { 0x67, 0x89, 0x07 }, 3, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* addr16 mov %ecx,0x1234 */
	{ 32,
	  { 0x67, 0x89, 0x0e, 0x34, 0x12 },
	  5,
	  4,
	  true,
	  INSN_SRC_REG,
	  1,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* addr16 mov %edx,0x10(%bx) */
	{ 32,
	  { 0x67, 0x89, 0x57, 0x10 },
	  4,
	  4,
	  true,
	  INSN_SRC_REG,
	  2,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* addr16 mov %ebx,0x1234(%bp,%si) */
	{ 32,
	  { 0x67, 0x89, 0x9a, 0x34, 0x12 },
	  5,
	  4,
	  true,
	  INSN_SRC_REG,
	  3,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* movzbl (%edi),%eax */
	{ 32, { 0x0f, 0xb6, 0x07 }, 3, 1, false, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_ZERO, 4 },
	/* movswl 0x4(%esp),%ebp */
	{ 32,
	  { 0x0f, 0xbf, 0x6c, 0x24, 0x04 },
	  5,
	  2,
	  false,
	  INSN_SRC_REG,
	  5,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  4 },
	/* mov %eax,0x12345678(,%ecx,4) */
	{ 32,
	  { 0x89, 0x04, 0x8d, 0x78, 0x56, 0x34, 0x12 },
	  7,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %edi,(%esp) */
	{ 32, { 0x89, 0x3c, 0x24 }, 3, 4, true, INSN_SRC_REG, 7, false, 0x0, INSN_EXT_NONE, 0 },

	/* ds ds ds movq $0x1,0x12345678(%rax,%rcx,8): 15 bytes, the longest allowed */
	{ 64,
	  { 0x3e, 0x3e, 0x3e, 0x48, 0xc7, 0x84, 0xc8, 0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00,
	    0x00 },
	  15,
	  8,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x1ULL,
	  INSN_EXT_NONE,
	  0 },
	/* data16 mov %rax,(%rdi): REX.W wins over 66 */
	{ 64,
	  { 0x66, 0x48, 0x89, 0x07 },
	  4,
	  8,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* data16 movq $-1,(%rdi): REX.W keeps imm32 */
	{ 64,
	  { 0x66, 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff },
	  8,
	  8,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0xffffffffffffffffULL,
	  INSN_EXT_NONE,
	  0 },
	/* data16 mov %ax,(%rdi): a repeated prefix */
	{ 64,
	  { 0x66, 0x66, 0x89, 0x07 },
	  4,
	  2,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* rex mov %eax,(%rdi): an empty REX */
	{ 64, { 0x40, 0x89, 0x07 }, 3, 4, true, INSN_SRC_REG, 0, false, 0x0, INSN_EXT_NONE, 0 },
	/* cs ss ds es mov %eax,(%rdi) */
	{ 64,
	  { 0x2e, 0x36, 0x3e, 0x26, 0x89, 0x07 },
	  6,
	  4,
	  true,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* mov %r8w,(%edi): 67, 66 and REX.R together */
	{ 64,
	  { 0x67, 0x66, 0x44, 0x89, 0x07 },
	  5,
	  2,
	  true,
	  INSN_SRC_REG,
	  8,
	  false,
	  0x0ULL,
	  INSN_EXT_NONE,
	  0 },
	/* rex movzbl (%rdi),%eax */
	{ 64,
	  { 0x40, 0x0f, 0xb6, 0x07 },
	  4,
	  1,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_ZERO,
	  4 },
	/* movzww (%rdi),%ax */
	{ 64,
	  { 0x66, 0x0f, 0xb7, 0x07 },
	  4,
	  2,
	  false,
	  INSN_SRC_REG,
	  0,
	  false,
	  0x0ULL,
	  INSN_EXT_ZERO,
	  2 },
	/* movsww %gs:-0x10(%r12d),%r9w */
	{ 64,
	  { 0x65, 0x67, 0x66, 0x45, 0x0f, 0xbf, 0x4c, 0x24, 0xf0 },
	  9,
	  2,
	  false,
	  INSN_SRC_REG,
	  9,
	  false,
	  0x0ULL,
	  INSN_EXT_SIGN,
	  2 },
	/* data16 movb $0x12,(%rdi): 66 changes nothing for a byte store */
	{ 64,
	  { 0x66, 0xc6, 0x07, 0x12 },
	  4,
	  1,
	  true,
	  INSN_SRC_IMM,
	  0,
	  false,
	  0x12ULL,
	  INSN_EXT_NONE,
	  0 },
};

struct bad {
	const char *what;
	int mode;
	uint8_t b[INSN_MAX_LEN + 4];
	uint8_t n;
	int err;
};

static const struct bad bad[] = {
	{ "lock prefix", 64, { 0xf0, 0x89, 0x07 }, 3, -HV_EINVAL },
	{ "rep prefix", 64, { 0xf3, 0x89, 0x07 }, 3, -HV_EINVAL },
	{ "repne prefix", 64, { 0xf2, 0x8b, 0x07 }, 3, -HV_EINVAL },
	{ "lock after other prefixes", 64, { 0x66, 0x3e, 0xf0, 0x89, 0x07 }, 5, -HV_EINVAL },
	{ "mov %eax,%eax: mod=11", 64, { 0x89, 0xc0 }, 2, -HV_EINVAL },
	{ "mov %ecx,%edx: mod=11", 64, { 0x8b, 0xd1 }, 2, -HV_EINVAL },
	{ "mov %al,%bl: mod=11", 64, { 0x88, 0xc3 }, 2, -HV_EINVAL },
	{ "movb $1,%al: mod=11", 64, { 0xc6, 0xc0, 0x01 }, 3, -HV_EINVAL },
	{ "movl $1,%eax: mod=11", 64, { 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00 }, 6, -HV_EINVAL },
	{ "movzbl %al,%eax: mod=11", 64, { 0x0f, 0xb6, 0xc0 }, 3, -HV_EINVAL },
	{ "c6 /1 is not mov", 64, { 0xc6, 0x0f, 0x01 }, 3, -HV_EINVAL },
	{ "c7 /7 (xbegin)", 64, { 0xc7, 0xf8, 0x00, 0x00, 0x00, 0x00 }, 6, -HV_EINVAL },
	{ "c6 f8 (xabort)", 64, { 0xc6, 0xf8, 0x00 }, 3, -HV_EINVAL },
	{ "add %eax,(%rdi)", 64, { 0x01, 0x07 }, 2, -HV_EINVAL },
	{ "xchg %eax,(%rdi)", 64, { 0x87, 0x07 }, 2, -HV_EINVAL },
	{ "movsxd (%rdi),%rax", 64, { 0x48, 0x63, 0x07 }, 3, -HV_EINVAL },
	{ "movsb (string)", 64, { 0xa4 }, 1, -HV_EINVAL },
	{ "rep movsl", 64, { 0xf3, 0xa5 }, 2, -HV_EINVAL },
	{ "VEX vmovd", 64, { 0xc5, 0xf9, 0x7e, 0x07 }, 4, -HV_EINVAL },
	{ "0f 0f (3DNow!)", 64, { 0x0f, 0x0f, 0x07, 0x00 }, 4, -HV_EINVAL },
	{ "0f b8 (popcnt without f3)", 64, { 0x0f, 0xb8, 0x07 }, 3, -HV_EINVAL },
	{ "cmpxchg", 64, { 0x0f, 0xb1, 0x0f }, 3, -HV_EINVAL },
	{ "REX before 66", 64, { 0x48, 0x66, 0x89, 0x07 }, 4, -HV_EINVAL },
	{ "REX before a segment override", 64, { 0x48, 0x65, 0x89, 0x07 }, 4, -HV_EINVAL },
	{ "two REX prefixes", 64, { 0x48, 0x41, 0x89, 0x07 }, 4, -HV_EINVAL },
	{ "REX before lock", 64, { 0x48, 0xf0, 0x89, 0x07 }, 4, -HV_EINVAL },
	{ "dec %eax in 32-bit mode is no REX", 32, { 0x48, 0x89, 0x07 }, 3, -HV_EINVAL },
	{ "32-bit mode, mod=11", 32, { 0x67, 0x89, 0xc0 }, 3, -HV_EINVAL },
	{ "16 prefixes",
	  64,
	  { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x89, 0x07 },
	  18,
	  -HV_E2BIG },
	{ "16 bytes: 4 prefixes before 12 bytes",
	  64,
	  { 0x3e, 0x3e, 0x3e, 0x3e, 0x48, 0xc7, 0x84, 0xc8, 0x78, 0x56, 0x34, 0x12, 0x01, 0x00,
	    0x00, 0x00 },
	  16,
	  -HV_E2BIG },
	{ "nothing to decode", 64, { 0 }, 0, -HV_E2BIG },
	{ "prefix only", 64, { 0x66 }, 1, -HV_E2BIG },
	{ "REX only", 64, { 0x48 }, 1, -HV_E2BIG },
	{ "nop", 64, { 0x90 }, 1, -HV_EINVAL },
	{ "mov $imm,%eax (b8)", 64, { 0xb8, 0x00, 0x00, 0x00, 0x00 }, 5, -HV_EINVAL },
};

static uint8_t *exact_copy(const uint8_t *b, size_t n)
{
	/* an exact-size heap copy: ASan reports any read past n */
	uint8_t *p = malloc(n ? n : 1);

	memcpy(p, b, n);
	return p;
}

static void check_good(const struct enc *e)
{
	struct insn_mmio d, sentinel;
	uint8_t *p = exact_copy(e->b, e->len);
	uint8_t padded[INSN_MAX_LEN + 8];

	memset(&d, 0xa5, sizeof(d));
	CHECK_EQ(insn_decode_mmio(p, e->len, e->mode, &d), 0);
	CHECK_EQ(d.len, e->len);
	CHECK_EQ(d.size, e->size);
	CHECK_EQ(d.write, e->write);
	CHECK_EQ(d.reg, e->reg);
	CHECK_EQ(d.reg_high8, e->high8);
	if (e->write) {
		CHECK_EQ(d.src, e->src);
		CHECK_EQ(d.imm, e->src == INSN_SRC_IMM ? e->imm : 0);
		CHECK_EQ(d.dst_size, 0);
	} else {
		CHECK_EQ(d.ext, e->ext);
		CHECK_EQ(d.dst_size, e->dst_size);
	}

	/* the bytes after the instruction change nothing */
	memset(padded, 0xf0, sizeof(padded));
	memcpy(padded, e->b, e->len);
	memset(&sentinel, 0, sizeof(sentinel));
	CHECK_EQ(insn_decode_mmio(padded, sizeof(padded), e->mode, &sentinel), 0);
	CHECK_EQ(sentinel.len, d.len);
	CHECK_EQ(sentinel.size, d.size);
	CHECK_EQ(sentinel.write, d.write);
	CHECK_EQ(sentinel.src, d.src);
	CHECK_EQ(sentinel.reg, d.reg);
	CHECK_EQ(sentinel.reg_high8, d.reg_high8);
	CHECK_EQ(sentinel.imm, d.imm);
	CHECK_EQ(sentinel.ext, d.ext);
	CHECK_EQ(sentinel.dst_size, d.dst_size);

	/* cut short anywhere: more bytes needed, nothing written */
	for (uint8_t n = 0; n < e->len; n++) {
		uint8_t *q = exact_copy(e->b, n);

		memset(&sentinel, 0x5a, sizeof(sentinel));
		memcpy(&d, &sentinel, sizeof(d));
		CHECK_EQ(insn_decode_mmio(q, n, e->mode, &d), -HV_E2BIG);
		CHECK(memcmp(&sentinel, &d, sizeof(d)) == 0);
		free(q);
	}
	free(p);
}

static void test_table(void)
{
	unsigned n64 = 0, n32 = 0;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		unsigned before = check_failed;

		check_good(&good[i]);
		if (check_failed != before)
			fprintf(stderr, "  ... in good[%zu]\n", i);
		if (good[i].mode == INSN_MODE_64)
			n64++;
		else
			n32++;
	}
	CHECK(n64 >= 60);
	CHECK(n32 >= 15);
}

static void test_rejects(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct bad *b = &bad[i];
		uint8_t *p = exact_copy(b->b, b->n);
		struct insn_mmio d, sentinel;
		int rc;

		memset(&sentinel, 0x3c, sizeof(sentinel));
		memcpy(&d, &sentinel, sizeof(d));
		rc = insn_decode_mmio(p, b->n, b->mode, &d);
		if (rc != b->err)
			fprintf(stderr, "%s: got %d, want %d\n", b->what, rc, b->err);
		CHECK_EQ(rc, b->err);
		CHECK(memcmp(&sentinel, &d, sizeof(d)) == 0);
		free(p);
	}
}

static void test_modes(void)
{
	static const uint8_t mov[] = { 0x89, 0x07 };
	struct insn_mmio d;

	/* 16-bit code and unknown modes are refused, not guessed */
	CHECK_EQ(insn_decode_mmio(mov, sizeof(mov), 16, &d), -HV_EINVAL);
	CHECK_EQ(insn_decode_mmio(mov, sizeof(mov), 0, &d), -HV_EINVAL);
	CHECK_EQ(insn_decode_mmio(mov, sizeof(mov), 65, &d), -HV_EINVAL);
	CHECK_EQ(insn_decode_mmio(NULL, 0, INSN_MODE_64, &d), -HV_E2BIG);

	/* the same bytes differ by mode: moffs width, and 67 picks 16-bit ModRM in 32-bit mode */
	static const uint8_t moffs[] = { 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0 };
	CHECK_EQ(insn_decode_mmio(moffs, sizeof(moffs), INSN_MODE_64, &d), 0);
	CHECK_EQ(d.len, 9);
	CHECK_EQ(insn_decode_mmio(moffs, sizeof(moffs), INSN_MODE_32, &d), 0);
	CHECK_EQ(d.len, 5);
	static const uint8_t a67[] = { 0x67, 0x89, 0x06, 0x34, 0x12, 0x00, 0x00 };
	CHECK_EQ(insn_decode_mmio(a67, sizeof(a67), INSN_MODE_32, &d), 0);
	CHECK_EQ(d.len, 5); /* [disp16] */
	CHECK_EQ(insn_decode_mmio(a67, sizeof(a67), INSN_MODE_64, &d), 0);
	CHECK_EQ(d.len, 3); /* (%esi) */
}

#define R(i) (0x1122334455667788ULL + ((uint64_t)(i) << 56))

static void fill(uint64_t regs[INSN_NR_GPRS])
{
	for (unsigned i = 0; i < INSN_NR_GPRS; i++)
		regs[i] = R(i);
}

static void test_reg_read(void)
{
	uint64_t regs[INSN_NR_GPRS];

	fill(regs);
	CHECK_EQ(insn_reg_read(regs, INSN_RAX, false, 1), 0x88);
	CHECK_EQ(insn_reg_read(regs, INSN_RAX, true, 1), 0x77);
	CHECK_EQ(insn_reg_read(regs, INSN_RBX, true, 1), 0x77);
	CHECK_EQ(insn_reg_read(regs, INSN_RCX, false, 2), 0x7788);
	CHECK_EQ(insn_reg_read(regs, INSN_RDX, false, 4), 0x55667788);
	CHECK_EQ(insn_reg_read(regs, INSN_R15, false, 8), R(15));
	CHECK_EQ(insn_reg_read(regs, INSN_RSP, false, 1), 0x88); /* SPL with REX */
	regs[INSN_RBX] = 0xbeef;
	CHECK_EQ(insn_reg_read(regs, INSN_RBX, true, 1), 0xbe);
	CHECK_EQ(insn_reg_read(regs, INSN_RBX, false, 1), 0xef);
	/* out-of-range arguments stay inside the array and read nothing odd */
	CHECK_EQ(insn_reg_read(regs, 16 + INSN_RBX, false, 2), 0xbeef);
	CHECK_EQ(insn_reg_read(regs, INSN_RBX, true, 2), 0);
	CHECK_EQ(insn_reg_read(regs, INSN_RBX, false, 3), 0);
	CHECK_EQ(insn_reg_read(regs, 7, true, 1), 0xbe); /* high8 uses reg & 3 */
}

static void test_reg_write(void)
{
	uint64_t regs[INSN_NR_GPRS], want[INSN_NR_GPRS];

	fill(regs);
	fill(want);
	insn_reg_write(regs, INSN_RAX, false, 1, 0xabcd);
	want[INSN_RAX] = (R(0) & ~0xffULL) | 0xcd;
	insn_reg_write(regs, INSN_RCX, true, 1, 0x1ab);
	want[INSN_RCX] = (R(1) & ~0xff00ULL) | 0xab00;
	insn_reg_write(regs, INSN_RDX, false, 2, 0xffff1234);
	want[INSN_RDX] = (R(2) & ~0xffffULL) | 0x1234;
	insn_reg_write(regs, INSN_RBX, false, 4, 0xffffffff80000000ULL);
	want[INSN_RBX] = 0x80000000ULL; /* 32-bit writes zero bits 63:32 */
	insn_reg_write(regs, INSN_R9, false, 8, 0xfedcba9876543210ULL);
	want[INSN_R9] = 0xfedcba9876543210ULL;
	insn_reg_write(regs, INSN_RSI, false, 1, 0x42); /* SIL */
	want[INSN_RSI] = (R(6) & ~0xffULL) | 0x42;
	/* bad sizes write nothing */
	insn_reg_write(regs, INSN_R10, false, 3, 0);
	insn_reg_write(regs, INSN_R11, true, 2, 0);
	insn_reg_write(regs, INSN_R12, false, 0, 0);
	for (unsigned i = 0; i < INSN_NR_GPRS; i++)
		CHECK_EQ(regs[i], want[i]);
}

/* Decodes bytes in long mode and completes the read with val from the "device". */
static uint64_t emulate_read(const uint8_t *b, size_t n, uint64_t old, uint64_t val, uint8_t reg)
{
	uint64_t regs[INSN_NR_GPRS] = { 0 };
	struct insn_mmio d;

	regs[reg] = old;
	CHECK_EQ(insn_decode_mmio(b, n, INSN_MODE_64, &d), 0);
	CHECK(!d.write);
	insn_complete_read(&d, regs, val);
	return regs[reg];
}

static void test_emulation(void)
{
	static const uint8_t movzbl[] = { 0x0f, 0xb6, 0x07 };	    /* movzbl (%rdi),%eax */
	static const uint8_t movsbl[] = { 0x0f, 0xbe, 0x17 };	    /* movsbl (%rdi),%edx */
	static const uint8_t movsbq[] = { 0x48, 0x0f, 0xbe, 0x07 }; /* movsbq (%rdi),%rax */
	static const uint8_t movsbw[] = { 0x66, 0x0f, 0xbe, 0x0f }; /* movsbw (%rdi),%cx */
	static const uint8_t movswq[] = { 0x4c, 0x0f, 0xbf, 0x1f }; /* movswq (%rdi),%r11 */
	static const uint8_t movzwq[] = { 0x48, 0x0f, 0xb7, 0x4e,
					  0x10 };	      /* movzwq 0x10(%rsi),%rcx */
	static const uint8_t mov_ch[] = { 0x8a, 0x2f };	      /* mov (%rdi),%ch */
	static const uint8_t mov_ax[] = { 0x66, 0x8b, 0x07 }; /* mov (%rdi),%ax */
	static const uint8_t mov_eax[] = { 0x8b, 0x07 };      /* mov (%rdi),%eax */
	static const uint64_t old = 0xaaaaaaaaaaaaaaaaULL;

	CHECK_EQ(emulate_read(movzbl, sizeof(movzbl), old, 0xfff, INSN_RAX), 0xff);
	CHECK_EQ(emulate_read(movsbl, sizeof(movsbl), old, 0x80, INSN_RDX), 0xffffff80ULL);
	CHECK_EQ(emulate_read(movsbq, sizeof(movsbq), old, 0x80, INSN_RAX), 0xffffffffffffff80ULL);
	CHECK_EQ(emulate_read(movsbw, sizeof(movsbw), old, 0x80, INSN_RCX), 0xaaaaaaaaaaaaff80ULL);
	CHECK_EQ(emulate_read(movswq, sizeof(movswq), old, 0x8000, INSN_R11),
		 0xffffffffffff8000ULL);
	CHECK_EQ(emulate_read(movswq, sizeof(movswq), old, 0x7fff, INSN_R11), 0x7fff);
	CHECK_EQ(emulate_read(movzwq, sizeof(movzwq), old, 0xffff8000, INSN_RCX), 0x8000);
	CHECK_EQ(emulate_read(mov_ch, sizeof(mov_ch), old, 0x12, INSN_RCX), 0xaaaaaaaaaaaa12aaULL);
	CHECK_EQ(emulate_read(mov_ax, sizeof(mov_ax), old, 0x12345678, INSN_RAX),
		 0xaaaaaaaaaaaa5678ULL);
	CHECK_EQ(emulate_read(mov_eax, sizeof(mov_eax), old, 0xfee00000, INSN_RAX), 0xfee00000);
}

static void test_write_value(void)
{
	/* mov %bh,(%rax); mov %r9,(%r10); mov %r11w,0x10(%r12) */
	static const uint8_t mov_bh[] = { 0x88, 0x38 };
	static const uint8_t mov_r9[] = { 0x4d, 0x89, 0x0a };
	static const uint8_t mov_w[] = { 0x66, 0x45, 0x89, 0x5c, 0x24, 0x10 };
	static const uint8_t movq_m1[] = { 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t movl_imm[] = { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 };
	uint64_t regs[INSN_NR_GPRS];
	struct insn_mmio d;

	fill(regs);
	CHECK_EQ(insn_decode_mmio(mov_bh, sizeof(mov_bh), INSN_MODE_64, &d), 0);
	CHECK_EQ(insn_write_value(&d, regs), 0x77);
	CHECK_EQ(insn_decode_mmio(mov_r9, sizeof(mov_r9), INSN_MODE_64, &d), 0);
	CHECK_EQ(insn_write_value(&d, regs), R(9));
	CHECK_EQ(insn_decode_mmio(mov_w, sizeof(mov_w), INSN_MODE_64, &d), 0);
	CHECK_EQ(insn_write_value(&d, regs), 0x7788);
	CHECK_EQ(insn_decode_mmio(movq_m1, sizeof(movq_m1), INSN_MODE_64, &d), 0);
	CHECK_EQ(insn_write_value(&d, regs), ~0ULL);
	CHECK_EQ(insn_decode_mmio(movl_imm, sizeof(movl_imm), INSN_MODE_64, &d), 0);
	CHECK_EQ(insn_write_value(&d, regs), 0x12345678);
}

int main(void)
{
	test_table();
	test_rejects();
	test_modes();
	test_reg_read();
	test_reg_write();
	test_emulation();
	test_write_value();
	return check_summary();
}
