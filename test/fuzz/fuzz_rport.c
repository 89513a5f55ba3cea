// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/root/rport.c: a random platform (PM1a
 * and PM1b control ports, the FADT reset register and its value, which of
 * the first 4 KiB of ports the root owns; the rest it owns), then a
 * sequence of port accesses of 1, 2 or 4 bytes anywhere. abort()s when the
 * pieces do not cover the access exactly, one byte by one, each with the
 * kind of its byte, or when a write that carries a reset or sleep byte (by
 * an independent per-byte reading of the hardware facts) is not answered
 * by a request, or when a byte written to the SMI command port is refused
 * exactly when its value is not one the platform lists, and S4BIOS_REQ there
 * is a request too; a write with a byte in ICH SMI_EN (and no register of the
 * above) is refused, and every byte of the TCO block is in a RPORT_TCO piece
 * and no other byte is; likewise a WDAT watchdog register (RPORT_WDT), whose
 * writes are refused.
 *
 * Layout: 14 bytes of set-up, then 7 bytes per access: port (2), size
 * selector, direction, value (3; the top byte repeats the first).
 */
#include <stdlib.h>
#include <string.h>

#include "root/rport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SETUP_LEN 14
#define OP_LEN	  7

static uint8_t owned_bits[4096 / 8];

static bool owned(const void *ctx, uint32_t port)
{
	(void)ctx;
	return port >= 4096 ? port <= 0xffff : (owned_bits[port / 8] >> (port % 8)) & 1;
}

/* Whether port is the SMI command port and no reset or power register shadows it. */
static bool smi_port(const struct rport_platform *pf, uint32_t port)
{
	if (!pf->smi_cmd || port != pf->smi_cmd || port == pf->reset_port)
		return false;
	for (unsigned i = 0; i < 2; i++)
		if (pf->pm1_cnt[i] && port >= pf->pm1_cnt[i] && port - pf->pm1_cnt[i] < 2)
			return false;
	return port != 0x60 && port != 0x64 && port != 0x92 && port != 0xcf9;
}

/* Whether a register checked before SMI_EN and the TCO block owns port */
static bool shadowed(const struct rport_platform *pf, uint32_t port)
{
	if ((pf->reset_port && port == pf->reset_port) || (pf->smi_cmd && port == pf->smi_cmd))
		return true;
	for (unsigned i = 0; i < 2; i++)
		if (pf->pm1_cnt[i] && port >= pf->pm1_cnt[i] && port - pf->pm1_cnt[i] < 2)
			return true;
	return port == 0x60 || port == 0x64 || port == 0x92 || port == 0xcf9;
}

static bool smi_en_byte(const struct rport_platform *pf, uint32_t port)
{
	return pf->smi_en && port >= pf->smi_en && port - pf->smi_en < RPORT_SMI_EN_LEN &&
	       !shadowed(pf, port);
}

static bool tco_byte(const struct rport_platform *pf, uint32_t port)
{
	return pf->tco && port >= pf->tco && port - pf->tco < RPORT_TCO_LEN &&
	       !shadowed(pf, port) && !smi_en_byte(pf, port);
}

/* A byte of a WDAT/WDRT watchdog register (checked after everything above). */
static bool wdt_byte(const struct rport_platform *pf, uint32_t port)
{
	for (unsigned i = 0; i < pf->n_wdt; i++)
		if (pf->wdt[i].port && port >= pf->wdt[i].port &&
		    port - pf->wdt[i].port < pf->wdt[i].len)
			return !shadowed(pf, port) &&
			       !(pf->smi_en && port >= pf->smi_en &&
				 port - pf->smi_en < RPORT_SMI_EN_LEN) &&
			       !(pf->tco && port >= pf->tco && port - pf->tco < RPORT_TCO_LEN);
	return false;
}

/* Whether the byte v written at port asks the firmware to hibernate (S4BIOS_REQ). */
static bool byte_s4bios(const struct rport_platform *pf, uint32_t port, uint8_t v)
{
	return smi_port(pf, port) && v && v == pf->smi_values[RPORT_SMI_S4BIOS];
}

/* Whether the byte v written at port is refused as an SMI command (the oracle). */
static bool byte_refused(const struct rport_platform *pf, uint32_t port, uint8_t v)
{
	if (!smi_port(pf, port))
		return false;
	for (unsigned i = 0; i < RPORT_SMI_VALUES; i++)
		if (v && pf->smi_values[i] == v)
			return false;
	return true;
}

/* Whether the byte v written at port asks for a reset or sleep (the oracle). */
static bool byte_requests(const struct rport_platform *pf, bool pending, uint32_t port, uint8_t v)
{
	if (port > 0xffff)
		return false;
	if (pf->reset_port && port == pf->reset_port && v == pf->reset_value)
		return true;
	for (unsigned i = 0; i < 2; i++)
		if (pf->pm1_cnt[i] && port >= pf->pm1_cnt[i] && port - pf->pm1_cnt[i] < 2)
			return port == pf->pm1_cnt[i] + 1u && (v & 0x20);
	switch (port) {
	case 0x60:
		return pending && !(v & 1);
	case 0x64:
		return (v & 0xf1) == 0xf0;
	case 0x92:
		return v & 1;
	case 0xcf9:
		return v & 4;
	default:
		return false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rport_platform pf = { .owned = owned };
	struct rport_state s;
	const uint8_t *p = data, *end = data + size;

	if (size < SETUP_LEN)
		return 0;
	/* PM1 ports near the interesting ones now and then */
	pf.pm1_cnt[0] = (uint16_t)(p[0] | p[1] << 8);
	pf.pm1_cnt[1] = (uint16_t)(p[2] & 1 ? 0 : 0x600 + p[3]);
	pf.reset_port = (uint16_t)(p[4] & 1 ? 0xcf9 : p[4] & 2 ? 0 : 0x40 + p[5]);
	pf.reset_value = p[6];
	memset(owned_bits, p[7], sizeof(owned_bits));
	for (unsigned i = 0; i < sizeof(owned_bits); i++)
		owned_bits[i] ^= (uint8_t)(i * p[8]);
	/* SMI_CMD: none, 0xb2, or next to the other registers; two listed values */
	pf.smi_cmd = (uint16_t)(p[9] & 1 ? 0xb2 : p[9] & 2 ? 0 : 0x5e + (p[9] >> 2));
	pf.smi_values[p[9] % RPORT_SMI_VALUES] = p[10];
	pf.smi_values[(p[9] >> 4) % RPORT_SMI_VALUES] = (uint8_t)(p[10] + 1);
	/* ICH SMI_EN and TCO: none, q35's, or next to the registers above */
	pf.smi_en = (uint16_t)(p[11] & 1 ? 0x630 : p[11] & 2 ? 0 : 0x5c + (p[11] >> 2));
	pf.tco = (uint16_t)(p[12] & 1 ? 0x660 : p[12] & 2 ? 0 : 0x40 + (p[12] >> 2));
	/* a WDAT watchdog register: none, at 0x520, or next to the registers above */
	if (p[13] & 3) {
		pf.wdt[0].port = (uint16_t)(p[13] & 1 ? 0x520 : 0x5c + (p[13] >> 3));
		pf.wdt[0].len = (uint8_t)(1u << ((p[13] >> 2) % 3));
		pf.n_wdt = 1;
	}
	p += SETUP_LEN;
	rport_reset(&s);
	while (end - p >= OP_LEN) {
		uint32_t port = (uint32_t)(p[0] | p[1] << 8);
		unsigned sz = 1u << (p[2] % 3);
		bool in = p[3] & 1;
		uint32_t val = (uint32_t)(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[4] << 24);
		struct rport_piece pcs[RPORT_PIECES_MAX];
		unsigned n = rport_split(&pf, port, sz, pcs), covered = 0;
		bool want = false, got = false, pending = s.kbc_out_pending;
		bool refuse_want = false, refuse_got = false;

		p += OP_LEN;
		if (n < 1 || n > sz)
			abort();
		for (unsigned i = 0; i < n; i++) {
			/* past 0xffff a piece's port wraps; it is denied (checked below) */
			for (unsigned b = 0; b < pcs[i].size; b++)
				if (port + covered + b <= 0xffff &&
				    (tco_byte(&pf, port + covered + b) !=
					     (pcs[i].kind == RPORT_TCO) ||
				     wdt_byte(&pf, port + covered + b) !=
					     (pcs[i].kind == RPORT_WDT)))
					abort();
			if (pcs[i].shift != 8 * covered ||
			    pcs[i].port != (uint16_t)(port + covered) ||
			    (port + covered > 0xffff && pcs[i].kind != RPORT_DENIED) ||
			    (pcs[i].size != 1 && pcs[i].size != 2 && pcs[i].size != 4))
				abort();
			covered += pcs[i].size;
		}
		if (covered != sz)
			abort();
		/* a 4-byte access to 0xcf8 is CONFIG_ADDRESS, not a byte of 0xcf9 */
		for (unsigned b = 0; !in && !(port == 0xcf8 && sz == 4) && b < sz; b++) {
			want |= byte_requests(&pf, pending, port + b, (uint8_t)(val >> (8 * b))) ||
				byte_s4bios(&pf, port + b, (uint8_t)(val >> (8 * b)));
			refuse_want |= byte_refused(&pf, port + b, (uint8_t)(val >> (8 * b))) ||
				       smi_en_byte(&pf, port + b) || wdt_byte(&pf, port + b);
		}
		for (unsigned i = 0; i < n && !got; i++) {
			struct rport_result r;

			rport_access(&pf, &s, &pcs[i], in, (val >> pcs[i].shift), &r);
			if (r.act == RPORT_REBOOT || r.act == RPORT_POWER_OFF) {
				if (in || !r.how[0] || !memchr(r.how, 0, sizeof(r.how)))
					abort();
				got = true;
			}
			if (r.act == RPORT_REFUSED) {
				if (in || !r.how[0] || !memchr(r.how, 0, sizeof(r.how)))
					abort();
				refuse_got = true;
			}
		}
		/*
		 * A request ends the access early (the root restarts), so a later
		 * byte may have been asked too: every wanted request is answered,
		 * and no request comes without one.
		 */
		if (want != got)
			abort();
		/* without a request every piece ran: SMI refusals match exactly */
		if (!got && refuse_want != refuse_got)
			abort();
		if (got)
			rport_reset(&s); /* the root restarts */
	}
	return 0;
}
