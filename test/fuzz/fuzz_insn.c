// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for insn_decode_mmio(): bit 0 of the first input byte
 * picks long mode or 32-bit mode, the rest are instruction bytes. Checks what
 * a decode promises: a length within 15 and within the bytes given, fields in
 * range, the same answer from exactly len bytes, more bytes needed from
 * len - 1, and no change from bytes past the decision.
 */
#include <stdlib.h>
#include <string.h>

#include "vcpu/insn.h"
#include "core/errno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int decode_copy(const uint8_t *b, size_t n, int mode, struct insn_mmio *d)
{
	/* an exact-size copy: ASan flags any read past n */
	uint8_t *p = malloc(n ? n : 1);
	int rc;

	if (!p)
		abort();
	memcpy(p, b, n);
	rc = insn_decode_mmio(p, n, mode, d);
	free(p);
	return rc;
}

static bool valid_size(unsigned s)
{
	return s == 1 || s == 2 || s == 4 || s == 8;
}

/* Field by field: padding bytes in the struct carry nothing. */
static bool same(const struct insn_mmio *a, const struct insn_mmio *b)
{
	return a->len == b->len && a->size == b->size && a->write == b->write && a->src == b->src &&
	       a->reg == b->reg && a->reg_high8 == b->reg_high8 && a->imm == b->imm &&
	       a->ext == b->ext && a->dst_size == b->dst_size;
}

static void check_decoded(const struct insn_mmio *d, size_t avail)
{
	if (d->len < 1 || d->len > INSN_MAX_LEN || d->len > avail)
		abort();
	if (!valid_size(d->size) || d->reg >= INSN_NR_GPRS)
		abort();
	if (d->reg_high8 && (d->reg > INSN_RBX || d->size != 1 || d->src != INSN_SRC_REG))
		abort();
	if (d->write) {
		if (d->dst_size || d->ext != INSN_EXT_NONE)
			abort();
		if (d->src == INSN_SRC_IMM && d->size < 8 && (d->imm >> (8 * d->size)))
			abort();
		if (d->src == INSN_SRC_REG && d->imm)
			abort();
	} else {
		if (d->src != INSN_SRC_REG || d->imm || !valid_size(d->dst_size) ||
		    d->dst_size < d->size)
			abort();
		if (d->ext == INSN_EXT_NONE && d->dst_size != d->size)
			abort();
	}
}

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Runs the register helpers on a decoded instruction and checks x86 semantics independently. */
static void check_emulation(const struct insn_mmio *d, uint64_t seed)
{
	uint64_t regs[INSN_NR_GPRS], before[INSN_NR_GPRS];
	uint64_t val = seed * 0x9e3779b97f4a7c15ULL, want, old;
	unsigned shift = d->reg_high8 ? 8 : 0;

	for (unsigned i = 0; i < INSN_NR_GPRS; i++)
		regs[i] = before[i] = (seed + i) * 0xd1b54a32d192ed03ULL;
	if (d->write) {
		want = d->src == INSN_SRC_IMM ? d->imm : (regs[d->reg] >> shift) & mask_of(d->size);
		if (insn_write_value(d, regs) != want)
			abort();
		return;
	}
	insn_complete_read(d, regs, val);
	want = val & mask_of(d->size);
	if (d->ext == INSN_EXT_SIGN && (want >> (8 * d->size - 1)))
		want |= ~mask_of(d->size);
	want &= mask_of(d->dst_size);
	old = before[d->reg];
	/* 8/16-bit destinations merge; 32-bit ones clear bits 63:32, as want already does */
	if (d->dst_size < 4)
		want = (old & ~(mask_of(d->dst_size) << shift)) | want << shift;
	for (unsigned i = 0; i < INSN_NR_GPRS; i++)
		if (regs[i] != (i == d->reg ? want : before[i]))
			abort();
}

static void fuzz_mode(const uint8_t *b, size_t n, int mode)
{
	uint8_t padded[INSN_MAX_LEN + 1];
	struct insn_mmio d, again;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = decode_copy(b, n, mode, &d);
	if (rc != 0 && rc != -HV_EINVAL && rc != -HV_E2BIG)
		abort();
	if (rc == 0) {
		check_decoded(&d, n);
		check_emulation(&d, n ? b[n - 1] : 0);
		/* the length is exact: those bytes alone decode the same, one fewer does not */
		memset(&again, 0, sizeof(again));
		if (decode_copy(b, d.len, mode, &again) != 0 || !same(&again, &d))
			abort();
		if (decode_copy(b, d.len - 1u, mode, &again) != -HV_E2BIG)
			abort();
	}
	/* a decision never depends on bytes after the 15th, nor on more bytes than it took */
	if (n > 0 && n <= INSN_MAX_LEN && rc != -HV_E2BIG) {
		memset(padded, 0xcc, sizeof(padded));
		memcpy(padded, b, n);
		memset(&again, 0, sizeof(again));
		if (insn_decode_mmio(padded, sizeof(padded), mode, &again) != rc)
			abort();
		if (rc == 0 && !same(&again, &d))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int mode;

	if (size < 1)
		return 0;
	mode = data[0] & 1 ? INSN_MODE_32 : INSN_MODE_64;
	fuzz_mode(data + 1, size - 1, mode);
	/* the other mode too, on the same bytes */
	fuzz_mode(data + 1, size - 1, mode == INSN_MODE_64 ? INSN_MODE_32 : INSN_MODE_64);
	return 0;
}
