// SPDX-License-Identifier: GPL-2.0-only
/* Decoder for the x86 MOV forms used on MMIO, from untrusted guest instruction bytes. */
#include "vcpu/insn.h"
#include "core/errno.h"

/*
 * Every byte is taken through cursor_next(), which stops at the smaller of
 * avail and INSN_MAX_LEN: an instruction the CPU would refuse as too long, or
 * one cut short by the fetch, both end there with -HV_E2BIG. Each step eats
 * one byte, so the decoder ends after at most INSN_MAX_LEN steps.
 */

/* Legacy prefixes, Intel SDM vol. 2A, 2.1.1 */
#define PFX_OPSIZE   0x66
#define PFX_ADDRSIZE 0x67
#define PFX_LOCK     0xf0
#define PFX_REPNE    0xf2
#define PFX_REP	     0xf3
#define PFX_ES	     0x26
#define PFX_CS	     0x2e
#define PFX_SS	     0x36
#define PFX_DS	     0x3e
#define PFX_FS	     0x64
#define PFX_GS	     0x65

/* REX prefix, SDM vol. 2A, 2.2.1: only in 64-bit mode, INC/DEC opcodes elsewhere */
#define REX_FIRST 0x40
#define REX_LAST  0x4f
#define REX_W	  0x08
#define REX_R	  0x04

/* Opcodes, SDM vol. 2B "MOV", "MOVZX", "MOVSX" */
#define OP_MOV_MR8     0x88 /* MOV r/m8, r8 */
#define OP_MOV_MR      0x89 /* MOV r/m, r */
#define OP_MOV_RM8     0x8a /* MOV r8, r/m8 */
#define OP_MOV_RM      0x8b /* MOV r, r/m */
#define OP_MOV_MI8     0xc6 /* MOV r/m8, imm8 (/0) */
#define OP_MOV_MI      0xc7 /* MOV r/m, imm16/32 (/0) */
#define OP_MOV_AL_OFF  0xa0 /* MOV AL, moffs8 */
#define OP_MOV_AX_OFF  0xa1 /* MOV eAX, moffs */
#define OP_MOV_OFF_AL  0xa2 /* MOV moffs8, AL */
#define OP_MOV_OFF_AX  0xa3 /* MOV moffs, eAX */
#define OP_ESCAPE      0x0f /* two-byte opcode map */
#define OP2_MOVZX_B    0xb6 /* MOVZX r, r/m8 */
#define OP2_MOVZX_W    0xb7 /* MOVZX r, r/m16 */
#define OP2_MOVSX_B    0xbe /* MOVSX r, r/m8 */
#define OP2_MOVSX_W    0xbf /* MOVSX r, r/m16 */
#define MOV_IMM_REGOPC 0    /* C6/C7 ModRM.reg must be 0; C6 F8/C7 F8 are XABORT/XBEGIN */

/* ModRM and SIB, SDM vol. 2A, 2.1.5, tables 2-1 (16-bit) and 2-2/2-3 (32/64-bit) */
#define MODRM_MOD(b)	((unsigned)(b) >> 6)
#define MODRM_REG(b)	(((unsigned)(b) >> 3) & 7)
#define MODRM_RM(b)	((unsigned)(b)&7)
#define SIB_BASE(b)	((unsigned)(b)&7)
#define MOD_NO_DISP	0
#define MOD_DISP8	1
#define MOD_REGISTER	3
#define RM_SIB		4 /* 32/64-bit addressing: a SIB byte follows */
#define RM_DISP32	5 /* with mod 00: disp32 alone (RIP/EIP-relative in 64-bit mode) */
#define SIB_BASE_DISP32 5 /* with mod 00: no base register, disp32 */
#define RM16_DISP16	6 /* 16-bit addressing with mod 00: disp16 alone */
#define HIGH8_FIRST	4 /* byte registers 4-7 without REX are AH, CH, DH, BH */
#define BYTE_HIGH_SHIFT 8

struct cursor {
	const uint8_t *bytes;
	size_t limit; /* min(avail, INSN_MAX_LEN) */
	size_t pos;
};

static int cursor_next(struct cursor *c, uint8_t *b)
{
	if (c->pos >= c->limit)
		return -HV_E2BIG;
	*b = c->bytes[c->pos++];
	return 0;
}

/* Takes an n-byte little-endian field (n <= 8). */
static int cursor_field(struct cursor *c, unsigned n, uint64_t *val)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		int err = cursor_next(c, &b);

		if (err)
			return err;
		v |= (uint64_t)b << (8 * i);
	}
	*val = v;
	return 0;
}

/* Takes the SIB byte and displacement that follow modrm; a register operand is no MMIO access. */
static int skip_mem_operand(struct cursor *c, uint8_t modrm, unsigned addr_bits)
{
	unsigned mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm), disp;
	uint64_t unused;

	if (mod == MOD_REGISTER)
		return -HV_EINVAL;
	if (addr_bits == 16) {
		if (mod == MOD_NO_DISP)
			disp = rm == RM16_DISP16 ? 2 : 0;
		else
			disp = mod == MOD_DISP8 ? 1 : 2;
		return cursor_field(c, disp, &unused);
	}
	disp = mod == MOD_NO_DISP ? 0 : (mod == MOD_DISP8 ? 1 : 4);
	if (rm == RM_SIB) {
		uint8_t sib;
		int err = cursor_next(c, &sib);

		if (err)
			return err;
		if (mod == MOD_NO_DISP && SIB_BASE(sib) == SIB_BASE_DISP32)
			disp = 4;
	} else if (mod == MOD_NO_DISP && rm == RM_DISP32) {
		disp = 4;
	}
	return cursor_field(c, disp, &unused);
}

/* Sign-extends the low size bytes of v to 64 bits. */
static uint64_t sign_extend(uint64_t v, unsigned size)
{
	uint64_t sign;

	if (size == 0 || size >= 8)
		return size ? v : 0;
	sign = 1ULL << (8 * size - 1);
	v &= insn_ones(size);
	return (v ^ sign) - sign;
}

/* Sets d->reg from a ModRM.reg field; byte operands without REX name AH..BH for 4-7. */
static void set_modrm_reg(struct insn_mmio *d, uint8_t modrm, uint8_t rex, bool byte_reg)
{
	unsigned r = MODRM_REG(modrm);

	if (byte_reg && !rex && r >= HIGH8_FIRST) {
		d->reg = (uint8_t)(r - HIGH8_FIRST);
		d->reg_high8 = true;
		return;
	}
	d->reg = (uint8_t)(r | (rex & REX_R ? 8 : 0));
}

/* What an opcode does, before its operand bytes are read. */
struct op_form {
	bool write;
	bool imm;      /* C6/C7: immediate source, ModRM.reg is an opcode extension */
	bool moffs;    /* A0-A3: no ModRM, an address-size offset, register rAX */
	bool byte_reg; /* the ModRM.reg operand is a byte register */
	uint8_t size;
	uint8_t dst_size;
	enum insn_ext ext;
};

/* Fills f for opcode op (and the second byte of 0F xx); -HV_EINVAL for anything else. */
static int classify(struct cursor *c, uint8_t op, unsigned opsz, struct op_form *f)
{
	uint8_t op2;
	int err;

	switch (op) {
	case OP_MOV_MR8:
	case OP_MOV_RM8:
		f->byte_reg = true;
		f->size = 1;
		f->write = op == OP_MOV_MR8;
		return 0;
	case OP_MOV_MR:
	case OP_MOV_RM:
		f->size = (uint8_t)opsz;
		f->write = op == OP_MOV_MR;
		return 0;
	case OP_MOV_MI8:
	case OP_MOV_MI:
		f->size = op == OP_MOV_MI8 ? 1 : (uint8_t)opsz;
		f->write = f->imm = true;
		return 0;
	case OP_MOV_AL_OFF:
	case OP_MOV_AX_OFF:
	case OP_MOV_OFF_AL:
	case OP_MOV_OFF_AX:
		f->moffs = true;
		f->size = op == OP_MOV_AL_OFF || op == OP_MOV_OFF_AL ? 1 : (uint8_t)opsz;
		f->write = op == OP_MOV_OFF_AL || op == OP_MOV_OFF_AX;
		return 0;
	case OP_ESCAPE:
		err = cursor_next(c, &op2);
		if (err)
			return err;
		switch (op2) {
		case OP2_MOVZX_B:
		case OP2_MOVZX_W:
		case OP2_MOVSX_B:
		case OP2_MOVSX_W:
			f->size = op2 == OP2_MOVZX_B || op2 == OP2_MOVSX_B ? 1 : 2;
			f->dst_size = (uint8_t)opsz;
			f->ext = op2 == OP2_MOVZX_B || op2 == OP2_MOVZX_W ? INSN_EXT_ZERO
									  : INSN_EXT_SIGN;
			return 0;
		default:
			return -HV_EINVAL;
		}
	default:
		return -HV_EINVAL;
	}
}

int insn_decode_mmio(const uint8_t *bytes, size_t avail, int mode_bits, struct insn_mmio *out)
{
	struct cursor c = { .bytes = bytes, .limit = MIN(avail, (size_t)INSN_MAX_LEN), .pos = 0 };
	struct op_form f = { 0 };
	struct insn_mmio d = { 0 };
	bool long_mode = mode_bits == INSN_MODE_64, opsize16 = false, addrsize = false;
	unsigned opsz, addr_bits;
	uint8_t rex = 0, op, modrm;
	uint64_t v;
	int err;

	if (mode_bits != INSN_MODE_64 && mode_bits != INSN_MODE_32)
		return -HV_EINVAL;

	/* prefixes: a REX counts only last, so the byte after it is the opcode */
	for (;;) {
		err = cursor_next(&c, &op);
		if (err)
			return err;
		if (rex)
			break;
		if (op == PFX_OPSIZE) {
			opsize16 = true;
		} else if (op == PFX_ADDRSIZE) {
			addrsize = true;
		} else if (op == PFX_ES || op == PFX_CS || op == PFX_SS || op == PFX_DS ||
			   op == PFX_FS || op == PFX_GS) {
			/* the fault address comes from the CPU: segments change nothing here */
		} else if (op == PFX_LOCK || op == PFX_REP || op == PFX_REPNE) {
			return -HV_EINVAL;
		} else if (long_mode && op >= REX_FIRST && op <= REX_LAST) {
			rex = op;
		} else {
			break;
		}
	}

	opsz = rex & REX_W ? 8 : (opsize16 ? 2 : 4);
	if (long_mode)
		addr_bits = addrsize ? 32 : 64;
	else
		addr_bits = addrsize ? 16 : 32;

	err = classify(&c, op, opsz, &f);
	if (err)
		return err;

	if (f.moffs) {
		/* the accumulator, whatever REX.R/B say; the offset has the address size */
		err = cursor_field(&c, addr_bits / 8, &v);
		if (err)
			return err;
		d.reg = INSN_RAX;
	} else {
		err = cursor_next(&c, &modrm);
		if (err)
			return err;
		if (f.imm && MODRM_REG(modrm) != MOV_IMM_REGOPC)
			return -HV_EINVAL;
		err = skip_mem_operand(&c, modrm, addr_bits);
		if (err)
			return err;
		if (f.imm) {
			/* C7 takes imm16 with 66h, else imm32 (sign-extended under REX.W) */
			unsigned imm_len = f.size == 8 ? 4 : f.size;

			err = cursor_field(&c, imm_len, &v);
			if (err)
				return err;
			d.src = INSN_SRC_IMM;
			d.imm = sign_extend(v, imm_len) & insn_ones(f.size);
		} else {
			set_modrm_reg(&d, modrm, rex, f.byte_reg);
		}
	}

	d.len = (uint8_t)c.pos;
	d.size = f.size;
	d.write = f.write;
	if (!f.write) {
		d.ext = f.ext;
		d.dst_size = f.ext == INSN_EXT_NONE ? f.size : f.dst_size;
	}
	*out = d;
	return 0;
}

uint64_t insn_reg_read(const uint64_t regs[INSN_NR_GPRS], uint8_t reg, bool high8, uint8_t size)
{
	if (high8)
		return size == 1 ? (regs[reg & 3] >> BYTE_HIGH_SHIFT) & 0xff : 0;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return 0;
	return regs[reg & (INSN_NR_GPRS - 1)] & insn_ones(size);
}

void insn_reg_write(uint64_t regs[INSN_NR_GPRS], uint8_t reg, bool high8, uint8_t size,
		    uint64_t val)
{
	uint64_t *r;

	if (high8) {
		if (size != 1)
			return;
		r = &regs[reg & 3];
		*r = (*r & ~(0xffULL << BYTE_HIGH_SHIFT)) | (val & 0xff) << BYTE_HIGH_SHIFT;
		return;
	}
	r = &regs[reg & (INSN_NR_GPRS - 1)];
	switch (size) {
	case 1:
	case 2:
		/* SDM vol. 1, 3.4.1.1: 8/16-bit results leave the rest of the register alone */
		*r = (*r & ~insn_ones(size)) | (val & insn_ones(size));
		break;
	case 4:
		/* ... while 32-bit results are zero-extended into the full register */
		*r = val & insn_ones(4);
		break;
	case 8:
		*r = val;
		break;
	default:
		break;
	}
}

uint64_t insn_write_value(const struct insn_mmio *in, const uint64_t regs[INSN_NR_GPRS])
{
	if (in->src == INSN_SRC_IMM)
		return in->imm & insn_ones(in->size);
	return insn_reg_read(regs, in->reg, in->reg_high8, in->size);
}

void insn_complete_read(const struct insn_mmio *in, uint64_t regs[INSN_NR_GPRS], uint64_t val)
{
	val &= insn_ones(in->size);
	if (in->ext == INSN_EXT_SIGN)
		val = sign_extend(val, in->size);
	insn_reg_write(regs, in->reg, in->reg_high8, in->dst_size, val);
}
