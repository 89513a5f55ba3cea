// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux root's ports byte by byte, and its view of the PC's reset and
 * power registers (root/rport.h). Hardware facts used here:
 * - 8042 keyboard controller: commands 0xf0-0xff pulse the output-port
 *   bits whose command bit is clear for about 6 us; output-port bit 0 is
 *   the CPU reset line, bit 1 the A20 gate. Command 0xd1 makes the next
 *   data byte (port 0x60) the new output port: bit 0 clear resets.
 *   Commands 0xdd/0xdf (some controllers) switch A20 off/on.
 * - System Control Port A (0x92): bit 0 set resets the CPUs (INIT),
 *   bit 1 is A20.
 * - ICH/PCH RST_CNT (0xcf9): bit 2 starts a reset of the kind bits 1 and 3
 *   choose (0x06 hard, 0x0e full; 0x04 soft/INIT).
 * - ACPI: writing the FADT's RESET_VALUE to RESET_REG resets; SLP_EN
 *   (bit 13) in PM1a/PM1b control enters the sleep state SLP_TYP names,
 *   S5 being power-off.
 * - SMI_CMD (FADT; port 0xb2 on Intel chipsets): a write raises an SMI
 *   whose handler runs the firmware's code for that value in SMM, outside
 *   every partition. The FADT lists the values an OS uses (ACPI_ENABLE,
 *   ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT, CST_CNT); any other value is some
 *   firmware service no OS is told about, and is refused. S4BIOS_REQ makes
 *   the firmware hibernate the whole machine: it is a power-off request.
 */
#include "root/rport.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/lib.h"

#define COM1_BASE     0x3f8
#define COM1_REGS     8
#define PORT_LIMIT    0x10000
#define KBC_CMD_PULSE 0xf0 /* 0xf0-0xff: pulse the output-port bits whose bit is clear */
#define KBC_A20_OFF   0xdd
#define KBC_A20_ON    0xdf
#define KBC_OUT_RESET 0x01 /* output port bit 0: the CPU reset line (active low) */
#define SYSCTL_A_RST  0x01
#define SYSCTL_A_A20  0x02

static const char *const kind_names[] = {
	[RPORT_DENIED] = "not the root's",
	[RPORT_OWNED] = "the root's",
	[RPORT_COM1] = "COM1",
	[RPORT_PCI_ADDR] = "PCI address",
	[RPORT_PCI_DATA] = "PCI data",
	[RPORT_KBC_DATA] = "keyboard controller data",
	[RPORT_KBC_CMD] = "keyboard controller command",
	[RPORT_SYSCTL_A] = "system control port A",
	[RPORT_RST_CNT] = "reset control",
	[RPORT_ACPI_RESET] = "ACPI reset register",
	[RPORT_PM1A_CNT] = "PM1a control",
	[RPORT_PM1B_CNT] = "PM1b control",
	[RPORT_SMI_CMD] = "SMI command",
	[RPORT_SMI_EN] = "SMI enable",
	[RPORT_WDT] = "watchdog register",
	[RPORT_TCO] = "TCO watchdog",
};

const char *rport_kind_name(enum rport_kind k)
{
	return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}

static bool owned(const struct rport_platform *pf, uint32_t port)
{
	return pf->owned && pf->owned(pf->ctx, port);
}

/* The fixed PC register at port, or RPORT_DENIED when there is none. */
static enum rport_kind fixed_kind(uint32_t port)
{
	switch (port) {
	case PORT_KBC_DATA:
		return RPORT_KBC_DATA;
	case PORT_KBC_CMD:
		return RPORT_KBC_CMD;
	case PORT_SYSCTL_A:
		return RPORT_SYSCTL_A;
	case PORT_RST_CNT:
		return RPORT_RST_CNT;
	default:
		return RPORT_DENIED;
	}
}

/* The reset or power register at port other than the FADT's reset register, if any. */
static enum rport_kind power_kind(const struct rport_platform *pf, uint32_t port, uint16_t *reg)
{
	*reg = (uint16_t)port;
	for (unsigned i = 0; i < 2; i++)
		if (pf->pm1_cnt[i] && port >= pf->pm1_cnt[i] && port - pf->pm1_cnt[i] < 2) {
			*reg = pf->pm1_cnt[i];
			return i ? RPORT_PM1B_CNT : RPORT_PM1A_CNT;
		}
	return fixed_kind(port);
}

/* What the byte at port is, and the first port of its register. */
static enum rport_kind byte_kind(const struct rport_platform *pf, uint32_t port, uint16_t *reg)
{
	enum rport_kind k;

	*reg = (uint16_t)port;
	if (port >= PORT_LIMIT)
		return RPORT_DENIED;
	if (pf->reset_port && port == pf->reset_port)
		return RPORT_ACPI_RESET;
	k = power_kind(pf, port, reg);
	if (k != RPORT_DENIED)
		return k;
	if (pf->smi_cmd && port == pf->smi_cmd)
		return RPORT_SMI_CMD;
	if (pf->smi_en && port >= pf->smi_en && port - pf->smi_en < RPORT_SMI_EN_LEN) {
		*reg = pf->smi_en;
		return RPORT_SMI_EN;
	}
	if (pf->tco && port >= pf->tco && port - pf->tco < RPORT_TCO_LEN) {
		*reg = pf->tco;
		return RPORT_TCO;
	}
	for (unsigned i = 0; i < pf->n_wdt && i < RPORT_WDT_MAX; i++)
		if (pf->wdt[i].port && port >= pf->wdt[i].port &&
		    port - pf->wdt[i].port < pf->wdt[i].len) {
			*reg = pf->wdt[i].port;
			return RPORT_WDT;
		}
	if (port >= PCI_CONF1_DATA && port < PCI_CONF1_DATA + 4) {
		*reg = PCI_CONF1_DATA;
		return RPORT_PCI_DATA;
	}
	if (port >= PCI_CONF1_ADDR && port < PCI_CONF1_DATA)
		return RPORT_DENIED; /* 0xcf8-0xcfb other than a 4-byte access to 0xcf8 */
	if (port >= COM1_BASE && port < COM1_BASE + COM1_REGS)
		return RPORT_COM1;
	if (owned(pf, port)) {
		*reg = 0; /* the root's own ports form one run */
		return RPORT_OWNED;
	}
	*reg = 0;
	return RPORT_DENIED;
}

static void piece(struct rport_piece *p, enum rport_kind k, uint32_t port, unsigned size,
		  unsigned byte, uint16_t reg)
{
	p->kind = k;
	p->port = (uint16_t)port;
	p->size = (uint8_t)size;
	p->shift = (uint8_t)(8 * byte);
	p->reg = reg;
}

unsigned rport_split(const struct rport_platform *pf, uint32_t port, unsigned size,
		     struct rport_piece out[RPORT_PIECES_MAX])
{
	enum rport_kind k[4];
	uint16_t reg[4];
	unsigned n = 0, i = 0;
	bool same = true;

	if (size != 1 && size != 2 && size != 4)
		size = 1;
	if (port == PCI_CONF1_ADDR && size == 4) {
		piece(&out[0], RPORT_PCI_ADDR, port, 4, 0, PCI_CONF1_ADDR);
		return 1;
	}
	for (unsigned b = 0; b < size; b++) {
		k[b] = byte_kind(pf, port + b, &reg[b]);
		if (k[b] != k[0] || reg[b] != reg[0])
			same = false;
	}
	if (same) {
		piece(&out[0], k[0], port, size, 0, reg[0]);
		return 1;
	}
	/*
	 * A mixed access: each register's bytes together (a run of 3 as 2 + 1),
	 * the root's own and denied ports byte by byte.
	 */
	while (i < size) {
		unsigned len = 1;

		if (k[i] != RPORT_OWNED && k[i] != RPORT_DENIED)
			while (i + len < size && k[i + len] == k[i] && reg[i + len] == reg[i])
				len++;
		if (len == 3)
			len = 2;
		piece(&out[n++], k[i], port + i, len, i, reg[i]);
		i += len;
	}
	return n;
}

void rport_reset(struct rport_state *s)
{
	s->sysctl_a = SYSCTL_A_A20;
	s->rst_cnt = 0;
	s->kbc_out_pending = false;
}

static void request(struct rport_result *r, enum rport_action act, const char *fmt, unsigned a,
		    unsigned b)
{
	r->act = act;
	snprintf(r->how, sizeof(r->how), fmt, a, b);
}

/* A write of val to the fixed register of kind k (a byte). */
static void fixed_write(struct rport_state *s, enum rport_kind k, uint8_t val,
			struct rport_result *r)
{
	switch (k) {
	case RPORT_KBC_CMD:
		s->kbc_out_pending = false;
		if ((val & KBC_CMD_PULSE) == KBC_CMD_PULSE) {
			if (!(val & KBC_OUT_RESET))
				request(r, RPORT_REBOOT,
					"keyboard controller, port 0x%x = 0x%02x (pulse reset "
					"line)",
					PORT_KBC_CMD, val);
			else
				r->act = RPORT_DONE; /* pulses A20 or nothing: dropped */
		} else if (val == KBC_CMD_WR_OUT) {
			s->kbc_out_pending = true; /* kept from the controller */
			r->act = RPORT_DONE;
		} else if (val == KBC_A20_OFF || val == KBC_A20_ON) {
			r->act = RPORT_DONE; /* A20 is the platform's: always on */
		}
		return;
	case RPORT_KBC_DATA:
		if (!s->kbc_out_pending)
			return;
		s->kbc_out_pending = false;
		if (!(val & KBC_OUT_RESET))
			request(r, RPORT_REBOOT,
				"keyboard controller output port, port 0x64 = 0xd1 then port 0x%x "
				"= 0x%02x",
				PORT_KBC_DATA, val);
		else
			r->act = RPORT_DONE; /* A20 and the other lines stay the platform's */
		return;
	case RPORT_SYSCTL_A:
		if (val & SYSCTL_A_RST) {
			request(r, RPORT_REBOOT, "fast reset, port 0x%x = 0x%02x", PORT_SYSCTL_A,
				val);
			return;
		}
		s->sysctl_a = val; /* A20 and the rest: remembered, never the hardware's */
		r->act = RPORT_DONE;
		return;
	case RPORT_RST_CNT:
		if (val & RST_CNT_CPU) {
			request(r, RPORT_REBOOT, "reset control, port 0x%x = 0x%02x", PORT_RST_CNT,
				val);
			return;
		}
		s->rst_cnt = val & (RST_CNT_SYS | RST_CNT_FULL);
		r->act = RPORT_DONE;
		return;
	default:
		return;
	}
}

/* A write to SMI_CMD: the FADT's values pass, any other is refused. */
static void smi_write(const struct rport_platform *pf, const struct rport_piece *p, uint32_t val,
		      struct rport_result *r)
{
	val &= p->size == 1 ? 0xffu : p->size == 2 ? 0xffffu : 0xffffffffu;
	if (p->size == 1 && val != 0 && val == pf->smi_values[RPORT_SMI_S4BIOS]) {
		/* the firmware would hibernate the whole machine: a power-off of the root */
		r->act = RPORT_POWER_OFF;
		snprintf(r->how, sizeof(r->how),
			 "S4BIOS request, SMI command port 0x%x = 0x%x (firmware hibernation)",
			 p->port, val);
		return;
	}
	if (p->size == 1 && val != 0)
		for (unsigned i = 0; i < ARRAY_SIZE(pf->smi_values); i++)
			if (pf->smi_values[i] && pf->smi_values[i] == val)
				return; /* RPORT_PASS */
	r->act = RPORT_REFUSED;
	snprintf(r->how, sizeof(r->how),
		 "SMI command port 0x%x = 0x%x (%u bytes), not a value "
		 "the FADT lists",
		 p->port, val, p->size);
}

static void fixed_read(const struct rport_state *s, enum rport_kind k, struct rport_result *r)
{
	if (k == RPORT_SYSCTL_A) {
		r->act = RPORT_DONE;
		r->val = s->sysctl_a;
	} else if (k == RPORT_RST_CNT) {
		r->act = RPORT_DONE;
		r->val = s->rst_cnt;
	}
}

void rport_access(const struct rport_platform *pf, struct rport_state *s,
		  const struct rport_piece *p, bool in, uint32_t val, struct rport_result *r)
{
	enum rport_kind k = p->kind;
	uint16_t reg = p->reg;

	r->act = RPORT_PASS;
	r->val = 0;
	r->how[0] = 0;
	if (k == RPORT_ACPI_RESET) {
		if (!in && (uint8_t)val == pf->reset_value) {
			request(r, RPORT_REBOOT, "ACPI reset register, port 0x%x = 0x%x", p->port,
				(uint8_t)val);
			return;
		}
		/* otherwise the register that lives there, if any (a byte) */
		k = power_kind(pf, p->port, &reg);
	}
	if (k == RPORT_SMI_CMD) {
		if (!in)
			smi_write(pf, p, val, r);
		return;
	}
	if (k == RPORT_SMI_EN) {
		/* which events raise an SMI is the firmware's: the root reads them only */
		if (!in) {
			r->act = RPORT_REFUSED;
			snprintf(r->how, sizeof(r->how),
				 "SMI_EN 0x%x = 0x%x (%u bytes at port 0x%x), the firmware's",
				 p->reg, val, p->size, p->port);
		}
		return;
	}
	if (k == RPORT_WDT) {
		/* the platform's watchdog is the hypervisor's: the root reads it only */
		if (!in) {
			r->act = RPORT_REFUSED;
			snprintf(r->how, sizeof(r->how),
				 "watchdog register 0x%x = 0x%x (%u bytes at port 0x%x), the "
				 "hypervisor's",
				 p->reg, val, p->size, p->port);
		}
		return;
	}
	if (k == RPORT_PM1A_CNT || k == RPORT_PM1B_CNT) {
		uint32_t cnt = (val & (p->size == 1 ? 0xffu : 0xffffu)) << (8 * (p->port - reg));

		if (!in && (cnt & PM1_CNT_SLP_EN)) {
			r->act = RPORT_POWER_OFF;
			snprintf(r->how, sizeof(r->how), "ACPI sleep, PM1%c_CNT 0x%x = 0x%x",
				 k == RPORT_PM1B_CNT ? 'b' : 'a', reg, cnt & 0xffff);
		}
		return;
	}
	if (k < RPORT_KBC_DATA || k > RPORT_RST_CNT)
		return;
	if (in)
		fixed_read(s, k, r);
	else
		fixed_write(s, k, (uint8_t)val, r);
}

bool rport_reset_reg_hit(uint64_t reg, uint8_t reset_value, uint64_t addr, unsigned size,
			 uint64_t val)
{
	if (size == 0 || size > 8 || reg < addr || reg - addr >= size)
		return false;
	return (uint8_t)(val >> (8 * (reg - addr))) == reset_value;
}
