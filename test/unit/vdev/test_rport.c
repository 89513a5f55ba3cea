// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the root's ports byte by byte and its reset and power
 * registers (arch/x86_64/root/rport.c): every reset and power-off path of
 * the PC, accesses that straddle into one, and what a well-behaved Linux
 * needs from the same registers.
 */
#include "../check.h"
#include "root/rport.h"

/* the QEMU q35 demo: the root owns 0x0-0x2f7, 0x300-0x3f7, 0x400-0xcf7, 0xd00-0xffff */
static bool demo_owned(const void *ctx, uint32_t port)
{
	(void)ctx;
	return port < 0x2f8 || (port >= 0x300 && port < 0x3f8) || (port >= 0x400 && port < 0xcf8) ||
	       (port >= 0xd00 && port <= 0xffff);
}

static const struct rport_platform q35 = {
	.pm1_cnt = { 0x604, 0 },
	.reset_port = 0xcf9,
	.reset_value = 0x0f, /* QEMU q35 FADT: 0xcf9 = 0xf */
	.smi_cmd = 0xb2,
	.smi_values = { 0x02, 0x03 }, /* QEMU q35 FADT: ACPI_ENABLE, ACPI_DISABLE */
	.owned = demo_owned,
};

/*
 * A write of val (size bytes at port), piece by piece: the first request,
 * else REFUSED when a piece was refused, else PASS/DONE.
 */
static enum rport_action wr(const struct rport_platform *pf, struct rport_state *s, uint32_t port,
			    unsigned size, uint32_t val, char *how)
{
	struct rport_piece pcs[RPORT_PIECES_MAX];
	unsigned n = rport_split(pf, port, size, pcs);
	enum rport_action act = RPORT_PASS;

	if (how)
		how[0] = 0;
	for (unsigned i = 0; i < n; i++) {
		struct rport_result r;

		rport_access(pf, s, &pcs[i], false, (val >> pcs[i].shift) & 0xffffffffu, &r);
		if (r.act == RPORT_REBOOT || r.act == RPORT_POWER_OFF) {
			if (how)
				snprintf(how, RPORT_HOW_LEN, "%s", r.how);
			return r.act;
		}
		if (r.act == RPORT_REFUSED) {
			CHECK(r.how[0] != 0);
			if (how)
				snprintf(how, RPORT_HOW_LEN, "%s", r.how);
			act = RPORT_REFUSED;
		} else if (r.act == RPORT_DONE && act != RPORT_REFUSED) {
			act = RPORT_DONE;
		}
	}
	return act;
}

static struct rport_result rd1(struct rport_state *s, uint32_t port)
{
	struct rport_piece pc[RPORT_PIECES_MAX];
	struct rport_result r;

	CHECK_EQ(rport_split(&q35, port, 1, pc), 1);
	rport_access(&q35, s, &pc[0], true, 0, &r);
	return r;
}

static void test_split(void)
{
	struct rport_piece p[RPORT_PIECES_MAX];

	/* one register: one piece */
	CHECK_EQ(rport_split(&q35, 0x64, 1, p), 1);
	CHECK_EQ(p[0].kind, RPORT_KBC_CMD);
	CHECK_EQ(rport_split(&q35, 0x604, 2, p), 1);
	CHECK_EQ(p[0].kind, RPORT_PM1A_CNT);
	CHECK_EQ(p[0].size, 2);
	CHECK_EQ(rport_split(&q35, 0xcf8, 4, p), 1);
	CHECK_EQ(p[0].kind, RPORT_PCI_ADDR);
	CHECK_EQ(rport_split(&q35, 0xcfc, 4, p), 1);
	CHECK_EQ(p[0].kind, RPORT_PCI_DATA);
	/* the root's own ports: one piece, the access as it was */
	CHECK_EQ(rport_split(&q35, 0x600, 4, p), 1);
	CHECK_EQ(p[0].kind, RPORT_OWNED);
	CHECK_EQ(p[0].size, 4);
	CHECK_EQ(rport_split(&q35, 0x2f8, 1, p), 1);
	CHECK_EQ(p[0].kind, RPORT_DENIED);
	/* outw to 0x63: 0x63 is the root's, 0x64 the keyboard controller's */
	CHECK_EQ(rport_split(&q35, 0x63, 2, p), 2);
	CHECK_EQ(p[0].kind, RPORT_OWNED);
	CHECK_EQ(p[0].port, 0x63);
	CHECK_EQ(p[0].size, 1);
	CHECK_EQ(p[1].kind, RPORT_KBC_CMD);
	CHECK_EQ(p[1].port, 0x64);
	CHECK_EQ(p[1].shift, 8);
	/* outl to 0x602: two bytes of PM1a_EN, then PM1a_CNT whole */
	CHECK_EQ(rport_split(&q35, 0x602, 4, p), 3);
	CHECK_EQ(p[2].kind, RPORT_PM1A_CNT);
	CHECK_EQ(p[2].port, 0x604);
	CHECK_EQ(p[2].size, 2);
	CHECK_EQ(p[2].shift, 16);
	/* outl to 0x605: the upper byte of PM1a_CNT, then the root's 0x606-0x608 */
	CHECK_EQ(rport_split(&q35, 0x605, 4, p), 4);
	CHECK_EQ(p[0].kind, RPORT_PM1A_CNT);
	CHECK_EQ(p[0].port, 0x605);
	CHECK_EQ(p[0].size, 1);
	/* outl to 0xcf6 reaches 0xcf9 (and denied 0xcf8) */
	CHECK_EQ(rport_split(&q35, 0xcf6, 4, p), 4);
	CHECK_EQ(p[2].kind, RPORT_DENIED);
	CHECK_EQ(p[3].kind, RPORT_ACPI_RESET);
	CHECK_EQ(p[3].shift, 24);
	/* a 4-byte access at 0xcfb: denied 0xcfb, 0xcfc-0xcfe as 2 + 1 */
	CHECK_EQ(rport_split(&q35, 0xcfb, 4, p), 3);
	CHECK_EQ(p[1].kind, RPORT_PCI_DATA);
	CHECK_EQ(p[1].size, 2);
	CHECK_EQ(p[2].size, 1);
	/* a 2-byte access to 0x3f7 reaches COM1's transmit register, a byte of its own */
	CHECK_EQ(rport_split(&q35, 0x3f7, 2, p), 2);
	CHECK_EQ(p[1].kind, RPORT_COM1);
	CHECK_EQ(p[1].port, 0x3f8);
	/* COM1's registers are bytes */
	CHECK_EQ(rport_split(&q35, 0x3f8, 2, p), 2);
	/* past 0xffff: denied */
	CHECK_EQ(rport_split(&q35, 0xfffe, 4, p), 4);
	CHECK_EQ(p[1].kind, RPORT_OWNED);
	CHECK_EQ(p[2].kind, RPORT_DENIED);
	CHECK_EQ(p[3].kind, RPORT_DENIED);
	/* nothing owned: the reset registers are still the reset registers */
	{
		struct rport_platform none = q35;

		none.owned = NULL;
		CHECK_EQ(rport_split(&none, 0x63, 2, p), 2);
		CHECK_EQ(p[0].kind, RPORT_DENIED);
		CHECK_EQ(p[1].kind, RPORT_KBC_CMD);
	}
}

static void test_kbc(void)
{
	struct rport_state s;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	/* every pulse command with bit 0 clear resets */
	for (unsigned c = 0xf0; c <= 0xff; c++) {
		enum rport_action a = wr(&q35, &s, 0x64, 1, c, how);

		if (c & 1) {
			CHECK_EQ(a, RPORT_DONE); /* pulses A20 or nothing: dropped */
		} else {
			char want[RPORT_HOW_LEN];

			CHECK_EQ(a, RPORT_REBOOT);
			snprintf(want, sizeof(want),
				 "keyboard controller, port 0x64 = 0x%02x (pulse reset line)", c);
			CHECK(!strcmp(how, want));
		}
	}
	/* what Linux's i8042 driver sends passes: CTR read/write, tests, AUX on/off */
	static const uint8_t linux_cmds[] = { 0x20, 0x60, 0xaa, 0xab, 0xa7, 0xa8,
					      0xa9, 0xad, 0xae, 0xd3, 0xd4, 0xd0 };
	for (unsigned i = 0; i < sizeof(linux_cmds); i++)
		CHECK_EQ(wr(&q35, &s, 0x64, 1, linux_cmds[i], NULL), RPORT_PASS);
	/* data after such a command passes */
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0x00, NULL), RPORT_PASS);
	CHECK_EQ(rd1(&s, 0x60).act, RPORT_PASS);
	CHECK_EQ(rd1(&s, 0x64).act, RPORT_PASS);
	/* A20 commands: the platform's */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xdd, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xdf, NULL), RPORT_DONE);
	/* 0xd1 then an output port with bit 0 clear: reset */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xd1, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0xfe, how), RPORT_REBOOT);
	CHECK(!strcmp(how,
		      "keyboard controller output port, port 0x64 = 0xd1 then port 0x60 = 0xfe"));
	/* the data phase is over: the next data byte is a keyboard byte again */
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0xfe, NULL), RPORT_PASS);
	/* 0xd1 then bit 0 set (A20 on, as Linux's real-mode setup writes 0xdf): consumed */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xd1, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0xdf, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0xdf, NULL), RPORT_PASS);
	/* another command cancels a pending output-port write */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xd1, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0x20, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0x00, NULL), RPORT_PASS);
	/* a restart forgets a pending one */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xd1, NULL), RPORT_DONE);
	rport_reset(&s);
	CHECK_EQ(wr(&q35, &s, 0x60, 1, 0x00, NULL), RPORT_PASS);
	/* straddling: outw 0xfe00 to 0x63 is 0xfe to 0x64 */
	CHECK_EQ(wr(&q35, &s, 0x63, 2, 0xfe00, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "keyboard controller, port 0x64 = 0xfe (pulse reset line)"));
	CHECK_EQ(wr(&q35, &s, 0x63, 2, 0x2000, NULL), RPORT_PASS);
	/* outl to 0x61 with 0xfe in its top byte */
	CHECK_EQ(wr(&q35, &s, 0x61, 4, 0xfe000000, NULL), RPORT_REBOOT);
	/* outw to 0x60: the data byte and the root's 0x61, no command */
	CHECK_EQ(wr(&q35, &s, 0x60, 2, 0xfefe, NULL), RPORT_PASS);
	/* outw to 0x5f after 0xd1: its upper byte is the output port */
	CHECK_EQ(wr(&q35, &s, 0x64, 1, 0xd1, NULL), RPORT_DONE);
	CHECK_EQ(wr(&q35, &s, 0x5f, 2, 0x0000, how), RPORT_REBOOT);
	CHECK(!strcmp(how,
		      "keyboard controller output port, port 0x64 = 0xd1 then port 0x60 = 0x00"));
}

static void test_sysctl_a(void)
{
	struct rport_state s;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	/* reads: A20 on */
	CHECK_EQ(rd1(&s, 0x92).act, RPORT_DONE);
	CHECK_EQ(rd1(&s, 0x92).val, 0x02);
	/* A20 writes without the reset bit: remembered, never the hardware's */
	CHECK_EQ(wr(&q35, &s, 0x92, 1, 0x00, NULL), RPORT_DONE);
	CHECK_EQ(rd1(&s, 0x92).val, 0x00);
	CHECK_EQ(wr(&q35, &s, 0x92, 1, 0x02, NULL), RPORT_DONE);
	CHECK_EQ(rd1(&s, 0x92).val, 0x02);
	/* bit 0: reset */
	CHECK_EQ(wr(&q35, &s, 0x92, 1, 0x01, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "fast reset, port 0x92 = 0x01"));
	CHECK_EQ(wr(&q35, &s, 0x92, 1, 0x03, NULL), RPORT_REBOOT);
	/* straddling: outw to 0x91, outl to 0x90 */
	CHECK_EQ(wr(&q35, &s, 0x91, 2, 0x0100, NULL), RPORT_REBOOT);
	CHECK_EQ(wr(&q35, &s, 0x90, 4, 0x00010000, NULL), RPORT_REBOOT);
	CHECK_EQ(wr(&q35, &s, 0x90, 4, 0x01000000, NULL), RPORT_DONE); /* 0x92 = 0 */
	/* even with no port owned */
	{
		struct rport_platform none = q35;

		none.owned = NULL;
		CHECK_EQ(wr(&none, &s, 0x91, 2, 0x0100, NULL), RPORT_REBOOT);
	}
}

static void test_rst_cnt(void)
{
	struct rport_state s;
	struct rport_platform no_fadt = q35;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	/* on q35 0xcf9 is also the FADT's reset register (value 0xf) */
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x0f, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "ACPI reset register, port 0xcf9 = 0xf"));
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x06, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "reset control, port 0xcf9 = 0x06"));
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x0e, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "reset control, port 0xcf9 = 0x0e"));
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x04, NULL), RPORT_REBOOT);
	/* Linux's reboot=pci: read, write cf9 | 2, then cf9 | 6 */
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x02, NULL), RPORT_DONE);
	CHECK_EQ(rd1(&s, 0xcf9).act, RPORT_DONE);
	CHECK_EQ(rd1(&s, 0xcf9).val, 0x02);
	CHECK_EQ(wr(&q35, &s, 0xcf9, 1, 0x0a, NULL), RPORT_DONE);
	CHECK_EQ(rd1(&s, 0xcf9).val, 0x0a);
	/* without a FADT: the fixed register alone */
	no_fadt.reset_port = 0;
	no_fadt.pm1_cnt[0] = 0;
	CHECK_EQ(wr(&no_fadt, &s, 0xcf9, 1, 0x06, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "reset control, port 0xcf9 = 0x06"));
	/* straddling from the root's 0xcf6 (0xcf8 is no one's) */
	CHECK_EQ(wr(&no_fadt, &s, 0xcf6, 4, 0x06000000, NULL), RPORT_REBOOT);
	CHECK_EQ(wr(&q35, &s, 0xcf6, 4, 0x06000000, NULL), RPORT_REBOOT);
	/* a 4-byte write to 0xcf8 is the PCI address, not a reset */
	CHECK_EQ(wr(&q35, &s, 0xcf8, 4, 0x80000600, NULL), RPORT_PASS);
	/* a 2-byte one reaches 0xcf9 */
	CHECK_EQ(wr(&q35, &s, 0xcf8, 2, 0x0600, NULL), RPORT_REBOOT);
}

static void test_acpi_reset(void)
{
	struct rport_platform pf = q35;
	struct rport_state s;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	/* a reset register at its own port: the value resets, others pass */
	pf.reset_port = 0xb0;
	pf.reset_value = 0x5a;
	CHECK_EQ(wr(&pf, &s, 0xb0, 1, 0x5a, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "ACPI reset register, port 0xb0 = 0x5a"));
	CHECK_EQ(wr(&pf, &s, 0xb0, 1, 0x5b, NULL), RPORT_PASS);
	CHECK_EQ(wr(&pf, &s, 0xaf, 2, 0x5a00, NULL), RPORT_REBOOT);
	/* a reset register at 0x64 keeps the keyboard controller's own paths */
	pf.reset_port = 0x64;
	pf.reset_value = 0xfe;
	CHECK_EQ(wr(&pf, &s, 0x64, 1, 0xfe, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "ACPI reset register, port 0x64 = 0xfe"));
	CHECK_EQ(wr(&pf, &s, 0x64, 1, 0xfc, how), RPORT_REBOOT);
	CHECK(!strcmp(how, "keyboard controller, port 0x64 = 0xfc (pulse reset line)"));
	CHECK_EQ(wr(&pf, &s, 0x64, 1, 0xaa, NULL), RPORT_PASS);
	/* a reset register inside PM1 control keeps SLP_EN a power-off */
	pf.reset_port = 0x605;
	pf.reset_value = 0x01;
	CHECK_EQ(wr(&pf, &s, 0x605, 1, 0x01, NULL), RPORT_REBOOT);
	CHECK_EQ(wr(&pf, &s, 0x605, 1, 0x20, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "ACPI sleep, PM1a_CNT 0x604 = 0x2000"));
	CHECK_EQ(wr(&pf, &s, 0x604, 2, 0x2000, NULL), RPORT_POWER_OFF);
}

static void test_pm1(void)
{
	struct rport_platform pf = q35;
	struct rport_state s;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	/* SLP_EN with any SLP_TYP: power-off */
	CHECK_EQ(wr(&q35, &s, 0x604, 2, 0x2000, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "ACPI sleep, PM1a_CNT 0x604 = 0x2000"));
	CHECK_EQ(wr(&q35, &s, 0x604, 2, 0x3401, NULL), RPORT_POWER_OFF);
	/* SCI_EN and SLP_TYP without SLP_EN: the hardware's */
	CHECK_EQ(wr(&q35, &s, 0x604, 2, 0x0001, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0x604, 2, 0x1c00, NULL), RPORT_PASS);
	/* byte writes: the upper byte carries SLP_EN */
	CHECK_EQ(wr(&q35, &s, 0x604, 1, 0xff, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0x605, 1, 0x20, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "ACPI sleep, PM1a_CNT 0x604 = 0x2000"));
	/* straddling: outl to 0x602 and 0x603, outw to 0x603 */
	CHECK_EQ(wr(&q35, &s, 0x602, 4, 0x20000000, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "ACPI sleep, PM1a_CNT 0x604 = 0x2000"));
	CHECK_EQ(wr(&q35, &s, 0x602, 4, 0x00010000, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0x603, 4, 0x00200000, NULL), RPORT_POWER_OFF);
	CHECK_EQ(wr(&q35, &s, 0x603, 2, 0x2000, NULL), RPORT_PASS); /* 0x604, SLP_EN is 0x605 */
	/* outl to 0x605: its first byte is PM1a_CNT's upper one */
	CHECK_EQ(wr(&q35, &s, 0x605, 4, 0x00000020, NULL), RPORT_POWER_OFF);
	/* PM1b */
	pf.pm1_cnt[1] = 0x804;
	CHECK_EQ(wr(&pf, &s, 0x804, 2, 0x2000, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "ACPI sleep, PM1b_CNT 0x804 = 0x2000"));
	CHECK_EQ(wr(&pf, &s, 0x802, 4, 0x20000000, NULL), RPORT_POWER_OFF);
	/* reads pass */
	{
		struct rport_piece pc[RPORT_PIECES_MAX];
		struct rport_result r;

		CHECK_EQ(rport_split(&q35, 0x604, 2, pc), 1);
		rport_access(&q35, &s, &pc[0], true, 0, &r);
		CHECK_EQ(r.act, RPORT_PASS);
	}
}

static void test_smi_cmd(void)
{
	struct rport_platform pf = q35;
	struct rport_piece pc[RPORT_PIECES_MAX];
	struct rport_state s;
	struct rport_result r;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	CHECK_EQ(rport_split(&q35, 0xb2, 1, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_SMI_CMD);
	/* the FADT's values reach the firmware */
	CHECK_EQ(wr(&q35, &s, 0xb2, 1, 0x02, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0xb2, 1, 0x03, NULL), RPORT_PASS);
	/* anything else is refused with a report, never a reset or a power-off */
	CHECK_EQ(wr(&q35, &s, 0xb2, 1, 0xa5, how), RPORT_REFUSED);
	CHECK(!strcmp(how, "SMI command port 0xb2 = 0xa5 (1 bytes), not a value the FADT lists"));
	/* 0 is never a command, even though the unused FADT slots hold it */
	CHECK_EQ(wr(&q35, &s, 0xb2, 1, 0x00, NULL), RPORT_REFUSED);
	for (uint32_t v = 0; v <= 0xff; v++)
		CHECK_EQ(wr(&q35, &s, 0xb2, 1, v, NULL),
			 v == 0x02 || v == 0x03 ? RPORT_PASS : RPORT_REFUSED);
	/* wider accesses: the SMI_CMD byte is checked on its own; 0xb3 (APMS) is the root's */
	CHECK_EQ(rport_split(&q35, 0xb2, 2, pc), 2);
	CHECK_EQ(pc[0].kind, RPORT_SMI_CMD);
	CHECK_EQ(pc[1].kind, RPORT_OWNED);
	CHECK_EQ(wr(&q35, &s, 0xb2, 2, 0x5502, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0xb2, 2, 0x0255, NULL), RPORT_REFUSED);
	CHECK_EQ(wr(&q35, &s, 0xb0, 4, 0x00020000, NULL), RPORT_PASS);
	CHECK_EQ(wr(&q35, &s, 0xb0, 4, 0x00ff0000, how), RPORT_REFUSED);
	CHECK(!strcmp(how, "SMI command port 0xb2 = 0xff (1 bytes), not a value the FADT lists"));
	CHECK_EQ(wr(&q35, &s, 0xb1, 2, 0xee00, NULL), RPORT_REFUSED);
	/* reads pass (the port reads back what the chipset latched) */
	rport_access(&q35, &s, &pc[0], true, 0, &r);
	CHECK_EQ(r.act, RPORT_PASS);
	/* every listed slot counts, the order does not */
	pf.smi_values[3] = 0x04;
	pf.smi_values[4] = 0x85;
	CHECK_EQ(wr(&pf, &s, 0xb2, 1, 0x04, NULL), RPORT_PASS);
	CHECK_EQ(wr(&pf, &s, 0xb2, 1, 0x85, NULL), RPORT_PASS);
	CHECK_EQ(wr(&pf, &s, 0xb2, 1, 0x86, NULL), RPORT_REFUSED);
	/* S4BIOS_REQ: the firmware would hibernate the machine, so it stops the root */
	pf.smi_values[RPORT_SMI_S4BIOS] = 0x05;
	CHECK_EQ(wr(&pf, &s, 0xb2, 1, 0x05, how), RPORT_POWER_OFF);
	CHECK(!strcmp(how, "S4BIOS request, SMI command port 0xb2 = 0x5 (firmware hibernation)"));
	CHECK_EQ(wr(&pf, &s, 0xb1, 2, 0x0500, NULL), RPORT_POWER_OFF);
	/* no SMI_CMD in the FADT: the port is an ordinary one */
	pf.smi_cmd = 0;
	CHECK_EQ(rport_split(&pf, 0xb2, 1, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	CHECK_EQ(strcmp(rport_kind_name(RPORT_SMI_CMD), "SMI command"), 0);
}

/* No access of any size at any port reaches a reset register without being seen. */
static void test_sweep(void)
{
	struct rport_state s;
	unsigned hits = 0;

	for (uint32_t port = 0; port <= 0xffff; port++)
		for (unsigned size = 1; size <= 4; size *= 2) {
			struct rport_piece pcs[RPORT_PIECES_MAX];
			unsigned n = rport_split(&q35, port, size, pcs), covered = 0;

			CHECK(n >= 1 && n <= size);
			for (unsigned i = 0; i < n; i++) {
				CHECK_EQ(pcs[i].shift, 8 * covered);
				CHECK(pcs[i].size == 1 || pcs[i].size == 2 || pcs[i].size == 4);
				covered += pcs[i].size;
			}
			CHECK_EQ(covered, size);
			/* 0xfe in every byte: any byte at 0x64 pulses the reset line */
			rport_reset(&s);
			if (port <= 0x64 && port + size > 0x64) {
				CHECK_EQ(wr(&q35, &s, port, size, 0xfefefefe, NULL), RPORT_REBOOT);
				hits++;
			}
		}
	CHECK_EQ(hits, 7); /* 0x64/1, 0x63/2, 0x64/2, 0x61-0x64/4 */
	CHECK_EQ(strcmp(rport_kind_name(RPORT_SYSCTL_A), "system control port A"), 0);
}

/* ICH/PCH SMI_EN and the TCO block (root/ich.h): found at boot, then never the root's */
static void test_ich_blocks(void)
{
	struct rport_platform pf = q35;
	struct rport_piece pc[RPORT_PIECES_MAX];
	struct rport_state s;
	struct rport_result r;
	char how[RPORT_HOW_LEN];
	unsigned n;

	rport_reset(&s);
	/* not found (another chipset): the root's own ports, as the table says */
	CHECK_EQ(rport_split(&pf, 0x630, 4, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	CHECK_EQ(rport_split(&pf, 0x660, 2, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	pf.smi_en = 0x630;
	pf.tco = 0x660;
	/* SMI_EN: reads pass, every write is refused with a report, whatever its width */
	CHECK_EQ(rport_split(&pf, 0x630, 4, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_SMI_EN);
	CHECK_EQ(pc[0].reg, 0x630);
	rport_access(&pf, &s, &pc[0], true, 0, &r);
	CHECK_EQ(r.act, RPORT_PASS);
	CHECK_EQ(wr(&pf, &s, 0x630, 4, 0xffffdfff, how), RPORT_REFUSED);
	CHECK(!strcmp(how, "SMI_EN 0x630 = 0xffffdfff (4 bytes at port 0x630), the firmware's"));
	CHECK_EQ(wr(&pf, &s, 0x631, 1, 0x00, how), RPORT_REFUSED);
	CHECK(!strcmp(how, "SMI_EN 0x630 = 0x0 (1 bytes at port 0x631), the firmware's"));
	/* an access that straddles into SMI_EN from the root's own 0x62e */
	n = rport_split(&pf, 0x62e, 4, pc);
	CHECK_EQ(n, 3);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	CHECK_EQ(pc[1].kind, RPORT_OWNED);
	CHECK_EQ(pc[2].kind, RPORT_SMI_EN);
	CHECK_EQ(pc[2].size, 2);
	CHECK_EQ(pc[2].shift, 16);
	CHECK_EQ(wr(&pf, &s, 0x62e, 4, 0x12345678, NULL), RPORT_REFUSED);
	/* 0x634 (SMI_STS) stays the root's */
	CHECK_EQ(rport_split(&pf, 0x634, 4, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	/* the TCO block: one piece per access inside it, offset from its base */
	CHECK_EQ(rport_split(&pf, 0x668, 2, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_TCO);
	CHECK_EQ(pc[0].reg, 0x660);
	CHECK_EQ(pc[0].port, 0x668);
	CHECK_EQ(rport_split(&pf, 0x660, 4, pc), 1);
	CHECK_EQ(pc[0].size, 4);
	/* rport_access leaves it to the watchdog (root_emul.c) */
	rport_access(&pf, &s, &pc[0], false, 0x1, &r);
	CHECK_EQ(r.act, RPORT_PASS);
	/* straddling out of the block at 0x67f: the TCO byte and the root's 0x680-0x682 */
	n = rport_split(&pf, 0x67f, 4, pc);
	CHECK_EQ(n, 4);
	CHECK_EQ(pc[0].kind, RPORT_TCO);
	CHECK_EQ(pc[0].size, 1);
	CHECK_EQ(pc[1].kind, RPORT_OWNED);
	/* and into it from below: 0x65e-0x65f the root's, 0x660-0x661 the watchdog's */
	n = rport_split(&pf, 0x65e, 4, pc);
	CHECK_EQ(n, 3);
	CHECK_EQ(pc[2].kind, RPORT_TCO);
	CHECK_EQ(pc[2].size, 2);
	CHECK_EQ(pc[2].port, 0x660);
	CHECK_EQ(strcmp(rport_kind_name(RPORT_TCO), "TCO watchdog"), 0);
	CHECK_EQ(strcmp(rport_kind_name(RPORT_SMI_EN), "SMI enable"), 0);
}

/* A watchdog ACPI describes (WDAT/WDRT): its I/O registers read, never written. */
static void test_wdt(void)
{
	struct rport_platform pf = q35;
	struct rport_piece pc[RPORT_PIECES_MAX];
	struct rport_state s;
	struct rport_result r;
	char how[RPORT_HOW_LEN];

	rport_reset(&s);
	CHECK_EQ(rport_split(&pf, 0x520, 1, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	pf.wdt[0].port = 0x520;
	pf.wdt[0].len = 1;
	pf.wdt[1].port = 0x524;
	pf.wdt[1].len = 4;
	pf.n_wdt = 2;
	CHECK_EQ(rport_split(&pf, 0x520, 1, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_WDT);
	rport_access(&pf, &s, &pc[0], true, 0, &r);
	CHECK_EQ(r.act, RPORT_PASS);
	CHECK_EQ(wr(&pf, &s, 0x520, 1, 0x01, how), RPORT_REFUSED);
	CHECK(!strcmp(how, "watchdog register 0x520 = 0x1 (1 bytes at port 0x520), the "
			   "hypervisor's"));
	/* 0x521-0x523 stay the root's; a 4-byte write from 0x51f reaches 0x520 */
	CHECK_EQ(rport_split(&pf, 0x521, 2, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_OWNED);
	CHECK_EQ(wr(&pf, &s, 0x51f, 4, 0x12345678, NULL), RPORT_REFUSED);
	CHECK_EQ(wr(&pf, &s, 0x51f, 1, 0x12, NULL), RPORT_PASS);
	/* a 4-byte register: any byte of it */
	CHECK_EQ(rport_split(&pf, 0x526, 1, pc), 1);
	CHECK_EQ(pc[0].kind, RPORT_WDT);
	CHECK_EQ(pc[0].reg, 0x524);
	CHECK_EQ(wr(&pf, &s, 0x527, 1, 0, NULL), RPORT_REFUSED);
	CHECK_EQ(wr(&pf, &s, 0x528, 1, 0, NULL), RPORT_PASS);
	CHECK(!strcmp(rport_kind_name(RPORT_WDT), "watchdog register"));
}

/* The FADT reset register in memory or configuration space: every byte position. */
static void test_reset_reg_hit(void)
{
	CHECK(rport_reset_reg_hit(0xfed00100, 0x06, 0xfed00100, 1, 0x06));
	CHECK(!rport_reset_reg_hit(0xfed00100, 0x06, 0xfed00100, 1, 0x04));
	CHECK(rport_reset_reg_hit(0xfed00102, 0x06, 0xfed00100, 4, 0x00060000));
	CHECK(!rport_reset_reg_hit(0xfed00102, 0x06, 0xfed00100, 2, 0x0606));
	CHECK(!rport_reset_reg_hit(0xfed00102, 0x06, 0xfed00103, 1, 0x06));
	CHECK(rport_reset_reg_hit(0xfed00107, 0x0e, 0xfed00100, 8, 0x0e00000000000000ULL));
	CHECK(!rport_reset_reg_hit(0xfed00100, 0x06, 0xfed00100, 0, 0x06));
	CHECK(!rport_reset_reg_hit(0xfed00100, 0x06, 0xfed000f8, 8, 0x06));
	CHECK(rport_reset_reg_hit(0x4c, 0x06, 0x4c, 1, 0x06)); /* a config-space offset */
	CHECK(rport_reset_reg_hit(0x4c, 0x06, 0x4c, 4, 0xffffff06));
	CHECK(!rport_reset_reg_hit(0x4c, 0x06, 0x48, 4, 0x06ffffff));
	CHECK(rport_reset_reg_hit(0x4f, 0x06, 0x4c, 4, 0x06ffffff));
}

int main(void)
{
	test_split();
	test_kbc();
	test_sysctl_a();
	test_rst_cnt();
	test_acpi_reset();
	test_pm1();
	test_smi_cmd();
	test_sweep();
	test_ich_blocks();
	test_wdt();
	test_reset_reg_hit();
	return check_summary();
}
