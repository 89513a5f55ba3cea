// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root partition's MADT copy (only its own CPUs), its FADT copy (physical
 * APIC destinations asked for) and the RSDP/XSDT/RSDT copies that name them.
 */
#include "platform/acpi.h"
#include "root/madt_patch.h"
#include "platform/madt.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/le.h"
#include "core/log.h"

/* System description table header, ACPI 6.5 section 5.2.6. */
#define SDT_SIG_LEN	 4
#define SDT_OFF_LENGTH	 4
#define SDT_OFF_CHECKSUM 9
#define SDT_HDR_LEN	 36
#define ROOT_MAX_LEN	 (1u << 20) /* as acpi.c: a larger XSDT/RSDT is garbage */

/* Root System Description Pointer, ACPI 6.5 section 5.2.5.3. */
#define RSDP_SIGNATURE	   "RSD PTR "
#define RSDP_SIG_LEN	   8
#define RSDP_OFF_CHECKSUM  8
#define RSDP_OFF_REVISION  15
#define RSDP_OFF_RSDT	   16
#define RSDP_V1_LEN	   20
#define RSDP_OFF_LENGTH	   20
#define RSDP_OFF_XSDT	   24
#define RSDP_OFF_EXT_CHECK 32
#define RSDP_V2_LEN	   36
#define RSDP_REV_XSDT	   2

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* Sets byte at so that len bytes at p sum to zero. */
static void set_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)(0x100 - sum);
}

/* ---- MADT ----------------------------------------------------------------- */

static unsigned madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_TYPE_LAPIC:
		return MADT_LEN_LAPIC;
	case MADT_TYPE_IOAPIC:
		return MADT_LEN_IOAPIC;
	case MADT_TYPE_ISO:
		return MADT_LEN_ISO;
	case MADT_TYPE_NMI_SOURCE:
		return MADT_LEN_NMI_SOURCE;
	case MADT_TYPE_LAPIC_NMI:
		return MADT_LEN_LAPIC_NMI;
	case MADT_TYPE_LAPIC_ADDR:
		return MADT_LEN_LAPIC_ADDR;
	case MADT_TYPE_X2APIC:
		return MADT_LEN_X2APIC;
	case MADT_TYPE_X2APIC_NMI:
		return MADT_LEN_X2APIC_NMI;
	default:
		return MADT_ENTRY_HDR_LEN;
	}
}

/* What the patch needs to know about the root's CPUs while it walks the MADT. */
struct madt_root {
	const uint64_t *ids;
	unsigned n;
	/* per root CPU: offset of its kept entry (0: none yet; entries start at 44) and UID */
	uint32_t kept_off[MADT_ROOT_CPUS_MAX];
	uint32_t kept_uid[MADT_ROOT_CPUS_MAX];
	uint32_t processors; /* processor entries in the firmware MADT */
};

static int root_index(const struct madt_root *r, uint32_t apic_id)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->ids[i] == apic_id)
			return (int)i;
	return -1;
}

static bool uid_kept(const struct madt_root *r, uint32_t uid)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->kept_off[i] && r->kept_uid[i] == uid)
			return true;
	return false;
}

/* True for a processor entry; *id and *uid get its APIC ID and processor UID. */
static bool madt_cpu(const uint8_t *e, uint32_t *id, uint32_t *uid)
{
	if (e[0] == MADT_TYPE_LAPIC) {
		*id = e[MADT_LAPIC_OFF_ID];
		*uid = e[MADT_LAPIC_OFF_UID];
		return true;
	}
	if (e[0] == MADT_TYPE_X2APIC) {
		*id = le_get32(e + MADT_X2APIC_OFF_ID);
		*uid = le_get32(e + MADT_X2APIC_OFF_UID);
		return true;
	}
	return false;
}

/* Checks the header, the checksum and every entry's framing; *tlen gets the table length. */
static int madt_check(const uint8_t *t, size_t len, uint32_t *tlen)
{
	uint32_t off = MADT_HDR_LEN;

	if (len < MADT_HDR_LEN) {
		pr_err("madt: MADT copy is %zu bytes, shorter than its %u-byte header", len,
		       MADT_HDR_LEN);
		return -HV_EBADMSG;
	}
	if (memcmp(t, "APIC", SDT_SIG_LEN) != 0) {
		pr_err("madt: table signature is 0x%08x, not \"APIC\"", le_get32(t));
		return -HV_EBADMSG;
	}
	*tlen = le_get32(t + SDT_OFF_LENGTH);
	if (*tlen < MADT_HDR_LEN || *tlen > len || *tlen > MADT_PATCH_MAX_LEN) {
		pr_err("madt: MADT length field %u is outside %u..%zu", *tlen, MADT_HDR_LEN,
		       MIN(len, (size_t)MADT_PATCH_MAX_LEN));
		return -HV_EBADMSG;
	}
	if (!acpi_checksum_ok(t, *tlen)) {
		pr_err("madt: MADT has bad checksum over its %u bytes", *tlen);
		return -HV_EBADMSG;
	}
	while (off < *tlen) {
		uint32_t left = *tlen - off;
		uint8_t type, elen;

		if (left < MADT_ENTRY_HDR_LEN) {
			pr_err("madt: MADT entry at offset 0x%x is truncated: %u byte left before "
			       "the "
			       "table end",
			       off, left);
			return -HV_EBADMSG;
		}
		type = t[off];
		elen = t[off + 1];
		if (elen < MADT_ENTRY_HDR_LEN) {
			pr_err("madt: MADT entry at offset 0x%x has length %u (type %u)", off, elen,
			       type);
			return -HV_EBADMSG;
		}
		if (elen > left) {
			pr_err("madt: MADT entry at offset 0x%x (type %u, length %u) runs past the "
			       "table end at 0x%x",
			       off, type, elen, *tlen);
			return -HV_EBADMSG;
		}
		if (elen < madt_min_len(type)) {
			pr_err("madt: MADT entry at offset 0x%x (type %u) has length %u, needs %u",
			       off, type, elen, madt_min_len(type));
			return -HV_EBADMSG;
		}
		off += elen;
	}
	return 0;
}

/* First pass: which entry stays for each root CPU. The framing is already checked. */
static int madt_find_root_cpus(const uint8_t *t, uint32_t tlen, struct madt_root *r)
{
	for (uint32_t off = MADT_HDR_LEN; off < tlen; off += t[off + 1]) {
		uint32_t id, uid;
		int i;

		if (!madt_cpu(t + off, &id, &uid))
			continue;
		r->processors++;
		i = root_index(r, id);
		if (i < 0)
			continue;
		if (r->kept_off[i]) {
			pr_warn("madt: entry at offset 0x%x repeats APIC ID 0x%x (UID %u); left "
				"out of "
				"the root's copy",
				off, id, uid);
			continue;
		}
		r->kept_off[i] = off;
		r->kept_uid[i] = uid;
	}
	for (unsigned i = 0; i < r->n; i++) {
		if (!r->kept_off[i]) {
			pr_err("madt: the root's APIC ID 0x%llx has no processor entry in the MADT",
			       ull(r->ids[i]));
			return -HV_ENOENT;
		}
	}
	return 0;
}

/* Whether entry e at off goes into the root's copy. */
static bool madt_keep(const uint8_t *e, uint32_t off, const struct madt_root *r, unsigned *nmi_drop)
{
	uint32_t id, uid;
	int i;

	if (madt_cpu(e, &id, &uid)) {
		i = root_index(r, id);
		return i >= 0 && r->kept_off[i] == off;
	}
	switch (e[0]) {
	case MADT_TYPE_LAPIC_NMI:
		uid = e[MADT_LAPIC_NMI_OFF_UID];
		if (uid == MADT_NMI_ALL_CPUS || uid_kept(r, uid))
			return true;
		(*nmi_drop)++;
		return false;
	case MADT_TYPE_X2APIC_NMI:
		uid = le_get32(e + MADT_X2_NMI_OFF_UID);
		if (uid == MADT_X2_NMI_ALL_CPUS || uid_kept(r, uid))
			return true;
		(*nmi_drop)++;
		return false;
	case MADT_TYPE_MP_WAKEUP:
		pr_info("madt: multiprocessor wakeup mailbox at offset 0x%x left out of the root's "
			"copy",
			off);
		return false;
	default:
		return true;
	}
}

/* A kept processor entry whose firmware flags say disabled is enabled in the copy. */
static void madt_enable(uint8_t *e, uint32_t off)
{
	unsigned at = e[0] == MADT_TYPE_LAPIC ? MADT_LAPIC_OFF_FLAGS : MADT_X2APIC_OFF_FLAGS;
	uint32_t flags = le_get32(e + at);

	if (flags & MADT_CPU_ENABLED)
		return;
	pr_warn("madt: the root's processor entry at offset 0x%x has flags 0x%x (disabled); "
		"enabled "
		"in its copy",
		off, flags);
	le_put32(e + at, flags | MADT_CPU_ENABLED);
}

static int madt_check_ids(const uint64_t *ids, unsigned n)
{
	if (n == 0 || n > MADT_ROOT_CPUS_MAX) {
		pr_err("madt: %u root APIC IDs given; 1..%u allowed", n, MADT_ROOT_CPUS_MAX);
		return -HV_EINVAL;
	}
	for (unsigned i = 0; i < n; i++) {
		if (ids[i] > UINT32_MAX) {
			pr_err("madt: root APIC ID 0x%llx does not fit the 32 bits of an x2APIC ID",
			       ull(ids[i]));
			return -HV_EINVAL;
		}
		for (unsigned j = 0; j < i; j++) {
			if (ids[j] == ids[i]) {
				pr_err("madt: root APIC ID 0x%llx is listed twice", ull(ids[i]));
				return -HV_EINVAL;
			}
		}
	}
	return 0;
}

int madt_patch_for_root(const void *madt, size_t len, const uint64_t *root_apic_ids, unsigned n,
			void *out, size_t out_size, size_t *out_len)
{
	static struct madt_root r; /* 2 KiB: off the small hypervisor stacks; boot CPU only */
	const uint8_t *t = madt;
	uint8_t *o = out;
	uint32_t tlen, w = MADT_HDR_LEN;
	unsigned kept_cpus = 0, nmi_drop = 0;
	int ret;

	if (!t || !o || !out_len || (n && !root_apic_ids))
		return -HV_EINVAL;
	*out_len = 0;
	ret = madt_check_ids(root_apic_ids, n);
	if (ret)
		return ret;
	ret = madt_check(t, len, &tlen);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.ids = root_apic_ids;
	r.n = n;
	ret = madt_find_root_cpus(t, tlen, &r);
	if (ret)
		return ret;

	if (out_size < MADT_HDR_LEN)
		goto too_small;
	memcpy(o, t, MADT_HDR_LEN);
	for (uint32_t off = MADT_HDR_LEN; off < tlen; off += t[off + 1]) {
		uint8_t elen = t[off + 1];
		uint32_t id, uid;

		if (!madt_keep(t + off, off, &r, &nmi_drop))
			continue;
		if (elen > out_size - w)
			goto too_small;
		memcpy(o + w, t + off, elen);
		if (madt_cpu(o + w, &id, &uid)) {
			madt_enable(o + w, off);
			kept_cpus++;
		}
		w += elen;
	}
	le_put32(o + SDT_OFF_LENGTH, w);
	set_checksum(o, w, SDT_OFF_CHECKSUM);
	*out_len = w;
	pr_info("madt: the root's copy lists %u of %u processor entries (%u NMI entries dropped), "
		"%u bytes",
		kept_cpus, r.processors, nmi_drop, w);
	return 0;

too_small:
	pr_err("madt: the root's MADT copy does not fit the %zu-byte output buffer", out_size);
	return -HV_ENOSPC;
}

/* ---- FADT ----------------------------------------------------------------- */

/* ACPI 6.5 section 5.2.9: Flags at offset 112; bit 19 FORCE_APIC_PHYSICAL_DESTINATION_MODE */
#define FADT_OFF_FLAGS	       112
#define FADT_MIN_LEN	       116 /* ACPI 1.0's FADT ends with the flags */
#define FADT_MAX_LEN	       1024
#define FADT_OFF_REVISION      8
#define FADT_APIC_PHYSICAL     (1u << 19)
#define FADT_REV_APIC_PHYSICAL 2 /* the flag exists from FADT revision 2 (Linux checks it) */

int fadt_patch_for_root(const void *fadt, size_t len, void *out, size_t out_size, size_t *out_len)
{
	const uint8_t *t = fadt;
	uint8_t *o = out;
	uint32_t tlen;

	if (!t || !o || !out_len)
		return -HV_EINVAL;
	if (len < FADT_MIN_LEN || memcmp(t, "FACP", SDT_SIG_LEN) != 0) {
		pr_err("acpi: FADT copy is not an FADT (%zu bytes)", len);
		return -HV_EBADMSG;
	}
	tlen = le_get32(t + SDT_OFF_LENGTH);
	if (tlen < FADT_MIN_LEN || tlen > len || tlen > FADT_MAX_LEN) {
		pr_err("acpi: FADT length field %u is outside %u..%zu", tlen, FADT_MIN_LEN,
		       MIN(len, (size_t)FADT_MAX_LEN));
		return -HV_EBADMSG;
	}
	if (!acpi_checksum_ok(t, tlen)) {
		pr_err("acpi: FADT has bad checksum");
		return -HV_EBADMSG;
	}
	if (out_size < tlen) {
		pr_err("acpi: the root's FADT copy (%u bytes) does not fit the %zu-byte buffer",
		       tlen, out_size);
		return -HV_ENOSPC;
	}
	memcpy(o, t, tlen);
	le_put32(o + FADT_OFF_FLAGS, le_get32(o + FADT_OFF_FLAGS) | FADT_APIC_PHYSICAL);
	if (o[FADT_OFF_REVISION] < FADT_REV_APIC_PHYSICAL)
		pr_warn("acpi: FADT revision %u predates the physical-destination flag; the root "
			"may choose logical APIC destinations, which the hypervisor refuses in "
			"MSIs",
			o[FADT_OFF_REVISION]);
	set_checksum(o, tlen, SDT_OFF_CHECKSUM);
	*out_len = tlen;
	return 0;
}

/* ---- RSDP, XSDT, RSDT ------------------------------------------------------ */

/* Checks a root table (sig "XSDT"/"RSDT", entries of esize bytes); *tlen gets its length. */
static int root_check(const uint8_t *t, size_t len, const char *sig, uint32_t esize, uint32_t *tlen)
{
	if (len < SDT_HDR_LEN) {
		pr_err("acpi: %s copy is %zu bytes, shorter than its %u-byte header", sig, len,
		       SDT_HDR_LEN);
		return -HV_EBADMSG;
	}
	if (memcmp(t, sig, SDT_SIG_LEN) != 0) {
		pr_err("acpi: %s copy has signature 0x%08x", sig, le_get32(t));
		return -HV_EBADMSG;
	}
	*tlen = le_get32(t + SDT_OFF_LENGTH);
	if (*tlen < SDT_HDR_LEN || *tlen > len || *tlen > ROOT_MAX_LEN) {
		pr_err("acpi: %s length field %u is outside %u..%zu", sig, *tlen, SDT_HDR_LEN,
		       MIN(len, (size_t)ROOT_MAX_LEN));
		return -HV_EBADMSG;
	}
	if ((*tlen - SDT_HDR_LEN) % esize) {
		pr_err("acpi: %s has length %u: %u bytes of entries is not a multiple of %u", sig,
		       *tlen, *tlen - SDT_HDR_LEN, esize);
		return -HV_EBADMSG;
	}
	if (!acpi_checksum_ok(t, *tlen)) {
		pr_err("acpi: %s has bad checksum", sig);
		return -HV_EBADMSG;
	}
	return 0;
}

/* Copies a root table into o, replacing the MADT's and the FADT's entries; *olen gets its length. */
static int root_patch(const uint8_t *t, size_t len, const char *sig, uint32_t esize,
		      const struct acpi_root_in *in, uint8_t *o, size_t osize, size_t *olen)
{
	const uint64_t olds[2] = { in->madt_old, in->fadt_new ? in->fadt_old : 0 };
	const uint64_t news[2] = { in->madt_new, in->fadt_new };
	static const char *const names[2] = { "MADT", "FADT" };
	uint32_t tlen, replaced[2] = { 0, 0 };
	int ret;

	ret = root_check(t, len, sig, esize, &tlen);
	if (ret)
		return ret;
	if (!o || osize < tlen) {
		pr_err("acpi: the root's %s copy (%u bytes) does not fit the %zu-byte buffer", sig,
		       tlen, o ? osize : 0);
		return -HV_ENOSPC;
	}
	memcpy(o, t, tlen);
	for (uint32_t off = SDT_HDR_LEN; off < tlen; off += esize) {
		uint64_t v = esize == 8 ? le_get64(o + off) : le_get32(o + off);

		for (unsigned k = 0; k < 2; k++) {
			if (!olds[k] || v != olds[k])
				continue;
			if (esize == 8)
				le_put64(o + off, news[k]);
			else
				le_put32(o + off, (uint32_t)news[k]);
			replaced[k]++;
			break;
		}
	}
	for (unsigned k = 0; k < 2; k++) {
		if (olds[k] && !replaced[k]) {
			pr_err("acpi: %s lists no entry for the %s at 0x%llx", sig, names[k],
			       ull(olds[k]));
			return -HV_ENOENT;
		}
	}
	set_checksum(o, tlen, SDT_OFF_CHECKSUM);
	*olen = tlen;
	return 0;
}

/* Checks the RSDP as acpi.c does; *rlen gets the bytes it covers (20, or its length field). */
static int rsdp_check(const uint8_t *p, size_t len, uint32_t *rlen)
{
	if (!p || len < RSDP_V1_LEN) {
		pr_err("acpi: RSDP copy is %zu bytes, shorter than the %u-byte ACPI 1.0 RSDP",
		       p ? len : 0, RSDP_V1_LEN);
		return -HV_EINVAL;
	}
	if (memcmp(p, RSDP_SIGNATURE, RSDP_SIG_LEN) != 0) {
		pr_err("acpi: RSDP copy has a bad signature");
		return -HV_EINVAL;
	}
	if (!acpi_checksum_ok(p, RSDP_V1_LEN)) {
		pr_err("acpi: RSDP has bad checksum over its first %u bytes", RSDP_V1_LEN);
		return -HV_EBADMSG;
	}
	*rlen = RSDP_V1_LEN;
	if (p[RSDP_OFF_REVISION] < RSDP_REV_XSDT)
		return 0;
	if (len < RSDP_V2_LEN) {
		pr_err("acpi: RSDP revision %u needs %u bytes, copy has %zu", p[RSDP_OFF_REVISION],
		       RSDP_V2_LEN, len);
		return -HV_EINVAL;
	}
	*rlen = le_get32(p + RSDP_OFF_LENGTH);
	if (*rlen < RSDP_V2_LEN || *rlen > len || *rlen > ACPI_ROOT_RSDP_MAX) {
		pr_err("acpi: RSDP length field %u is outside %u..%zu", *rlen, RSDP_V2_LEN,
		       MIN(len, (size_t)ACPI_ROOT_RSDP_MAX));
		return -HV_EBADMSG;
	}
	if (!acpi_checksum_ok(p, *rlen)) {
		pr_err("acpi: RSDP has bad extended checksum over %u bytes", *rlen);
		return -HV_EBADMSG;
	}
	return 0;
}

static int root_tables(const struct acpi_root_in *in, struct acpi_root_out *out)
{
	uint64_t xsdt = 0;
	uint32_t rsdt, rlen;
	uint8_t *p;
	int ret;

	ret = rsdp_check(in->rsdp, in->rsdp_len, &rlen);
	if (ret)
		return ret;
	p = out->rsdp;
	memset(p, 0, sizeof(out->rsdp));
	memcpy(p, in->rsdp, rlen);
	rsdt = le_get32(p + RSDP_OFF_RSDT);
	if (p[RSDP_OFF_REVISION] >= RSDP_REV_XSDT)
		xsdt = le_get64(p + RSDP_OFF_XSDT);
	if (!xsdt && !rsdt) {
		pr_err("acpi: RSDP (revision %u) names no RSDT or XSDT", p[RSDP_OFF_REVISION]);
		return -HV_ENOENT;
	}
	if (!in->madt_new) {
		pr_err("acpi: no address given for the root's MADT copy");
		return -HV_EINVAL;
	}
	if (xsdt) {
		if (!in->xsdt || !in->xsdt_new) {
			pr_err("acpi: the RSDP names an XSDT at 0x%llx, but no XSDT bytes or no "
			       "address for its copy were given",
			       ull(xsdt));
			return -HV_EINVAL;
		}
		ret = root_patch(in->xsdt, in->xsdt_len, "XSDT", 8, in, out->xsdt, out->xsdt_size,
				 &out->xsdt_len);
		if (ret)
			return ret;
		le_put64(p + RSDP_OFF_XSDT, in->xsdt_new);
	}
	if (rsdt) {
		if (!in->rsdt || !in->rsdt_new) {
			pr_err("acpi: the RSDP names an RSDT at 0x%x, but no RSDT bytes or no "
			       "address "
			       "for its copy were given",
			       rsdt);
			return -HV_EINVAL;
		}
		if (in->madt_new > UINT32_MAX || in->rsdt_new > UINT32_MAX ||
		    in->madt_old > UINT32_MAX || in->fadt_new > UINT32_MAX) {
			pr_err("acpi: the RSDT's 32-bit entries cannot hold MADT 0x%llx -> 0x%llx "
			       "or "
			       "RSDT 0x%llx",
			       ull(in->madt_old), ull(in->madt_new), ull(in->rsdt_new));
			return -HV_ERANGE;
		}
		ret = root_patch(in->rsdt, in->rsdt_len, "RSDT", 4, in, out->rsdt, out->rsdt_size,
				 &out->rsdt_len);
		if (ret)
			return ret;
		le_put32(p + RSDP_OFF_RSDT, (uint32_t)in->rsdt_new);
	}
	/* the extended checksum covers the first one: fix that first */
	set_checksum(p, RSDP_V1_LEN, RSDP_OFF_CHECKSUM);
	if (rlen > RSDP_V1_LEN)
		set_checksum(p, rlen, RSDP_OFF_EXT_CHECK);
	out->rsdp_len = rlen;
	return 0;
}

int acpi_root_tables(const struct acpi_root_in *in, struct acpi_root_out *out)
{
	int ret;

	if (!in || !out)
		return -HV_EINVAL;
	out->rsdp_len = out->xsdt_len = out->rsdt_len = 0;
	ret = root_tables(in, out);
	if (ret)
		out->rsdp_len = out->xsdt_len = out->rsdt_len = 0;
	return ret;
}
