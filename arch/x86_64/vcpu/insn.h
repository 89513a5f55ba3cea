/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoder for the x86 MOV forms a guest uses on trapped MMIO pages (docs/mmio-decoding.md). */
#ifndef ARCH_INSN_H
#define ARCH_INSN_H

#include "core/types.h"

#define INSN_MAX_LEN 15 /* Intel SDM vol. 2A, 2.3.11; AMD APM vol. 3, 1.1 */
#define INSN_NR_GPRS 16

/* mode_bits of insn_decode_mmio(): CS.L=1 long mode, or 32-bit protected mode (CS.D=1). */
#define INSN_MODE_64 64
#define INSN_MODE_32 32

/* GPR numbers as the instruction encodes them (ModRM.reg plus REX.R). */
enum insn_gpr {
	INSN_RAX,
	INSN_RCX,
	INSN_RDX,
	INSN_RBX,
	INSN_RSP,
	INSN_RBP,
	INSN_RSI,
	INSN_RDI,
	INSN_R8,
	INSN_R9,
	INSN_R10,
	INSN_R11,
	INSN_R12,
	INSN_R13,
	INSN_R14,
	INSN_R15,
};

enum insn_src { INSN_SRC_REG, INSN_SRC_IMM };
enum insn_ext { INSN_EXT_NONE, INSN_EXT_ZERO, INSN_EXT_SIGN };

struct insn_mmio {
	uint8_t len;	   /* instruction length in bytes (1-15) */
	uint8_t size;	   /* access size: 1, 2, 4 or 8 */
	bool write;	   /* true: guest writes memory */
	enum insn_src src; /* for writes */
	uint8_t reg;	   /* GPR 0-15 (enum insn_gpr): write source, read destination */
	bool reg_high8;	   /* AH/CH/DH/BH (legacy high-byte regs, no REX); reg is then 0-3 */
	uint64_t imm;	   /* for INSN_SRC_IMM: the value written, already extended to size */
	enum insn_ext ext; /* MOVZX/MOVSX on reads */
	uint8_t dst_size;  /* register width written for reads (movzx r32 <- m8: 4); 0 for writes */
};

/*
 * Decodes one instruction from bytes[0..avail) in mode_bits (INSN_MODE_64 or
 * INSN_MODE_32; anything else is rejected). Returns 0, -HV_EINVAL (not one of
 * the supported MMIO forms; nothing is logged, the caller reports it) or
 * -HV_E2BIG (needs more bytes than avail, or longer than INSN_MAX_LEN). Reads
 * no byte at or past avail or past INSN_MAX_LEN; *out is written only on success.
 */
int insn_decode_mmio(const uint8_t *bytes, size_t avail, int mode_bits, struct insn_mmio *out);

/*
 * x86 register semantics on regs[] in enum insn_gpr order: reads return the
 * low size bytes (or bits 15:8 when high8); 8/16-bit writes merge into the old
 * value, 32-bit writes zero bits 63:32, 64-bit writes replace it. reg is taken
 * modulo 16 (modulo 4 with high8); a size other than 1, 2, 4, 8 reads 0 and
 * writes nothing.
 */
uint64_t insn_reg_read(const uint64_t regs[INSN_NR_GPRS], uint8_t reg, bool high8, uint8_t size);
void insn_reg_write(uint64_t regs[INSN_NR_GPRS], uint8_t reg, bool high8, uint8_t size,
		    uint64_t val);

/* The size-byte value a decoded write stores: the immediate or the source register. */
uint64_t insn_write_value(const struct insn_mmio *in, const uint64_t regs[INSN_NR_GPRS]);
/* Finishes a decoded read: extends val (size bytes from the device) and writes the register. */
void insn_complete_read(const struct insn_mmio *in, uint64_t regs[INSN_NR_GPRS], uint64_t val);

/* All ones in the low size bytes (1, 2, 4 or 8): what a read of nothing returns. */
static inline uint64_t insn_ones(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

#endif
