/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Linux root's ports byte by byte (docs/linux-root.md, "Reset and
 * power"): which register each byte of an access lands in, how an access
 * that spans several registers splits, and the model of the PC's reset and
 * power registers as the root sees them. Pure: no hardware, no locks; the
 * glue (root_emul.c) performs what these functions return, and the unit
 * tests drive them directly.
 *
 * A CPU's IN/OUT of 2 or 4 bytes reaches each byte's device on the bus: an
 * OUTW to 0x63 writes 0x64 too, an OUTL to 0x602 writes PM1a_CNT at 0x604.
 * The vCPU layer hands over the first port and the size; ownership and the
 * reset/power checks apply to every byte.
 */
#ifndef ROOT_RPORT_H
#define ROOT_RPORT_H

#include "core/types.h"

/* What a byte of the root's port space is. */
enum rport_kind {
	RPORT_DENIED,	  /* not the root's: reads all ones, writes dropped */
	RPORT_OWNED,	  /* the root's, no reset/power function: the hardware's */
	RPORT_COM1,	  /* a register of the emulated COM1 */
	RPORT_PCI_ADDR,	  /* 0xcf8 as a 4-byte register (PCI configuration address) */
	RPORT_PCI_DATA,	  /* 0xcfc-0xcff (PCI configuration data, filtered) */
	RPORT_KBC_DATA,	  /* 0x60 */
	RPORT_KBC_CMD,	  /* 0x64 */
	RPORT_SYSCTL_A,	  /* 0x92 */
	RPORT_RST_CNT,	  /* 0xcf9 */
	RPORT_ACPI_RESET, /* the FADT's reset register, when it is a port */
	RPORT_PM1A_CNT,	  /* the FADT's PM1a control block (2 bytes) */
	RPORT_PM1B_CNT,	  /* the FADT's PM1b control block (2 bytes) */
	RPORT_SMI_CMD,	  /* the FADT's SMI command port (a byte) */
	RPORT_SMI_EN, /* ICH/PCH SMI_EN (4 bytes at PMBASE + 0x30): reads pass, writes refused */
	RPORT_TCO,    /* ICH/PCH TCO watchdog (32 ports): the root's own (root/ich.h) */
	RPORT_WDT,    /* a WDAT/WDRT watchdog register: reads pass, writes refused */
};

#define RPORT_SMI_VALUES 5 /* ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT, CST_CNT */
#define RPORT_SMI_S4BIOS 2 /* smi_values[] slot of S4BIOS_REQ */
#define RPORT_SMI_EN_LEN 4
#define RPORT_TCO_LEN	 32
#define RPORT_WDT_MAX	 8

/* The platform's reset and power ports (from the FADT; 0: none). */
struct rport_platform {
	uint16_t pm1_cnt[2];
	uint16_t reset_port;
	uint8_t reset_value;
	uint16_t smi_cmd;		      /* the SMI command port */
	uint8_t smi_values[RPORT_SMI_VALUES]; /* the commands the FADT lists for it (0: none) */
	uint16_t smi_en;		      /* ICH/PCH SMI_EN (0: none found) */
	uint16_t tco;			      /* ICH/PCH TCO block (0: none found) */
	/* a watchdog ACPI describes (WDAT/WDRT): its I/O registers */
	struct {
		uint16_t port;
		uint8_t len;
	} wdt[RPORT_WDT_MAX];
	uint8_t n_wdt;
	/* whether the root owns port (its table); NULL: it owns nothing */
	bool (*owned)(const void *ctx, uint32_t port);
	const void *ctx;
};

/* One register-sized piece of an access. */
struct rport_piece {
	enum rport_kind kind;
	uint16_t port; /* the piece's first port */
	uint8_t size;  /* 1, 2 or 4 */
	uint8_t shift; /* its bytes' position in the access's value, in bits */
	uint16_t reg;  /* the register's first port */
};

#define RPORT_PIECES_MAX 4

/*
 * Splits an access of size 1, 2 or 4 at port into pieces, each inside one
 * register (the whole access when it lies in one; byte by byte where a run
 * of the root's own ports meets anything else). Bytes past 0xffff are
 * denied. Returns the number of pieces.
 */
unsigned rport_split(const struct rport_platform *pf, uint32_t port, unsigned size,
		     struct rport_piece out[RPORT_PIECES_MAX]);

/* The root's view of the reset and power registers (reset by rport_reset). */
struct rport_state {
	uint8_t sysctl_a;     /* port 0x92 as last written, reset bit clear */
	uint8_t rst_cnt;      /* 0xcf9: SYS_RST and FULL_RST as last written */
	bool kbc_out_pending; /* 0x64 = 0xd1 seen: the next 0x60 write is the output port */
};

void rport_reset(struct rport_state *s);

enum rport_action {
	RPORT_PASS,	 /* the hardware's (when the root owns the port; else denied) */
	RPORT_DONE,	 /* emulated: a read's value in val, a write consumed */
	RPORT_REBOOT,	 /* the root asked for a reset: restart the root (how says which) */
	RPORT_POWER_OFF, /* the root asked to sleep or power off: stop the root */
	RPORT_REFUSED,	 /* dropped and reported (how says what): the root goes on */
};

#define RPORT_HOW_LEN 80

struct rport_result {
	enum rport_action act;
	uint32_t val;		 /* RPORT_DONE reads */
	char how[RPORT_HOW_LEN]; /* REBOOT, POWER_OFF, REFUSED: the register and value */
};

/*
 * A piece of kind RPORT_KBC_DATA .. RPORT_SMI_EN or RPORT_WDT (others,
 * RPORT_TCO included: RPORT_PASS):
 * the access of p->size bytes, val its value (writes, already shifted down
 * by p->shift).
 */
void rport_access(const struct rport_platform *pf, struct rport_state *s,
		  const struct rport_piece *p, bool in, uint32_t val, struct rport_result *r);

/*
 * The FADT's reset register in memory or PCI configuration space (GAS space
 * 0 or 2): whether a write of size bytes of val at addr (a physical address,
 * or a configuration-space offset of the register's function) puts
 * reset_value into the register's byte at reg.
 */
bool rport_reset_reg_hit(uint64_t reg, uint8_t reset_value, uint64_t addr, unsigned size,
			 uint64_t val);

/* The name of a kind, for reports. */
const char *rport_kind_name(enum rport_kind k);

#endif
