// SPDX-License-Identifier: GPL-2.0-only
/* Linux x86 boot protocol, data side: bzImage header, placement, e820 map and boot_params. */
#include "root/linux_boot.h"
#include "bulkhead/table.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/le.h"
#include "core/log.h"

/*
 * Setup header fields: the same offsets in the image's first sectors and in
 * boot_params (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header"). The image is read byte by byte: it may sit at any alignment.
 */
#define HDR_SETUP_SECTS	     0x1f1
#define HDR_SYSSIZE	     0x1f4
#define HDR_BOOT_FLAG	     0x1fe
#define HDR_JUMP_OFFSET	     0x201 /* 0x200 is a short jump; this byte + 0x202 ends the header */
#define HDR_HEADER	     0x202
#define HDR_VERSION	     0x206
#define HDR_TYPE_OF_LOADER   0x210
#define HDR_LOADFLAGS	     0x211
#define HDR_CODE32_START     0x214
#define HDR_RAMDISK_IMAGE    0x218
#define HDR_RAMDISK_SIZE     0x21c
#define HDR_HEAP_END_PTR     0x224
#define HDR_EXT_LOADER_VER   0x226
#define HDR_EXT_LOADER_TYPE  0x227
#define HDR_CMD_LINE_PTR     0x228
#define HDR_INITRD_ADDR_MAX  0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE	     0x234
#define HDR_MIN_ALIGNMENT    0x235
#define HDR_XLOADFLAGS	     0x236
#define HDR_CMDLINE_SIZE     0x238
#define HDR_HARDWARE_SUBARCH 0x23c
#define HDR_SUBARCH_DATA     0x240
#define HDR_SETUP_DATA	     0x250
#define HDR_PREF_ADDRESS     0x258
#define HDR_INIT_SIZE	     0x260
#define HDR_MIN_END	     0x264 /* the header must reach past init_size (protocol 2.10) */
#define BOOT_FLAG_MAGIC	     0xaa55
#define HDRS_MAGIC	     0x53726448u /* "HdrS" read as a little-endian u32 */
#define PROTO_MIN	     0x020c	 /* 2.12: xloadflags, the 64-bit entry made official */
#define SECTOR_SIZE	     512u
#define SETUP_SECTS_DEFAULT  4u /* boot.rst: "if this field is 0, the real value is 4" */
#define SYSSIZE_UNIT	     16u
#define KERNEL_ALIGN_MAX     SZ_1G

/* boot_params fields outside the setup header (Documentation/arch/x86/zero-page.rst). */
#define BP_ACPI_RSDP_ADDR    0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE  0x0c4
#define BP_EXT_CMD_LINE_PTR  0x0c8
#define BP_E820_ENTRIES	     0x1e8
#define BP_E820_TABLE	     0x2d0
#define BP_E820_ENTRY_SIZE   20
#define BP_EDDBUF	     0xd00 /* the e820 table must end before this */

_Static_assert(BP_E820_TABLE + E820_MAX_ENTRIES_ZEROPAGE * BP_E820_ENTRY_SIZE <= BP_EDDBUF,
	       "e820_table fits boot_params");
_Static_assert(BZ_HDR_LIMIT <= BOOT_PARAMS_SIZE, "setup header fits boot_params");

#define FOUR_GIB (4ull << 30)

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* base + size, or UINT64_MAX when that does not fit in 64 bits. */
static uint64_t end_of(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* ---- bzImage setup header ------------------------------------------------- */

/* Reads and checks the fields that decide where and how the kernel can be entered. */
static int bz_check_entry(const uint8_t *p, size_t len, struct bzimage_info *out)
{
	uint8_t raw_sects = p[HDR_SETUP_SECTS];

	out->setup_sects = raw_sects ? raw_sects : SETUP_SECTS_DEFAULT;
	out->kernel_offset = ((size_t)out->setup_sects + 1) * SECTOR_SIZE;
	if (out->kernel_offset >= len) {
		pr_err("linux: bzImage setup_sects %u puts the protected-mode kernel at 0x%zx, at "
		       "or "
		       "past the image end 0x%zx",
		       raw_sects, out->kernel_offset, len);
		return -HV_ENOEXEC;
	}
	out->kernel_len = len - out->kernel_offset;
	out->syssize = le_get32(p + HDR_SYSSIZE);
	if (out->syssize == 0 || (uint64_t)out->syssize * SYSSIZE_UNIT > out->kernel_len) {
		pr_err("linux: bzImage syssize 0x%x (0x%llx bytes) is 0 or more than the 0x%zx "
		       "bytes "
		       "after the setup code",
		       out->syssize, ull((uint64_t)out->syssize * SYSSIZE_UNIT), out->kernel_len);
		return -HV_ENOEXEC;
	}
	out->loadflags = p[HDR_LOADFLAGS];
	if (!(out->loadflags & BZ_LOADED_HIGH)) {
		pr_err("linux: bzImage loadflags 0x%02x lack LOADED_HIGH (bit 0): a zImage, not a "
		       "bzImage",
		       out->loadflags);
		return -HV_ENOEXEC;
	}
	out->xloadflags = le_get16(p + HDR_XLOADFLAGS);
	if (!(out->xloadflags & BZ_XLF_KERNEL_64)) {
		pr_err("linux: bzImage xloadflags 0x%04x lack XLF_KERNEL_64 (bit 0): no 64-bit "
		       "entry",
		       out->xloadflags);
		return -HV_ENOEXEC;
	}
	return 0;
}

/* Reads and checks the fields that decide where the kernel may be placed. */
static int bz_check_memory(const uint8_t *p, struct bzimage_info *out)
{
	uint64_t code = (uint64_t)out->syssize * SYSSIZE_UNIT;

	out->kernel_alignment = le_get32(p + HDR_KERNEL_ALIGNMENT);
	if (!is_pow2(out->kernel_alignment) || out->kernel_alignment < PAGE_SIZE ||
	    out->kernel_alignment > KERNEL_ALIGN_MAX) {
		pr_err("linux: bzImage kernel_alignment 0x%x is not a power of two from 4 KiB to 1 "
		       "GiB",
		       out->kernel_alignment);
		return -HV_ENOEXEC;
	}
	out->relocatable = p[HDR_RELOCATABLE];
	out->min_alignment = p[HDR_MIN_ALIGNMENT];
	out->pref_address = le_get64(p + HDR_PREF_ADDRESS);
	if (!IS_ALIGNED(out->pref_address, PAGE_SIZE)) {
		pr_err("linux: bzImage pref_address 0x%llx is not page-aligned",
		       ull(out->pref_address));
		return -HV_ENOEXEC;
	}
	if (!out->relocatable && out->pref_address == 0) {
		pr_err("linux: bzImage relocatable_kernel is 0 and pref_address is 0: no address "
		       "to "
		       "load it at");
		return -HV_ENOEXEC;
	}
	out->init_size = le_get32(p + HDR_INIT_SIZE);
	if (out->init_size < code) {
		pr_err("linux: bzImage init_size 0x%x is smaller than its protected-mode code "
		       "(syssize "
		       "0x%x = 0x%llx bytes)",
		       out->init_size, out->syssize, ull(code));
		return -HV_ENOEXEC;
	}
	out->mem_size = ALIGN_UP(MAX((uint64_t)out->init_size, (uint64_t)out->kernel_len),
				 (uint64_t)out->kernel_alignment);
	out->code32_start = le_get32(p + HDR_CODE32_START);
	out->cmdline_size = le_get32(p + HDR_CMDLINE_SIZE);
	out->initrd_addr_max = le_get32(p + HDR_INITRD_ADDR_MAX);
	return 0;
}

int bzimage_parse(const void *img, size_t len, struct bzimage_info *out)
{
	const uint8_t *p = img;
	uint32_t hdr_end;
	int ret;

	if (!out)
		return -HV_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!p || len < SECTOR_SIZE) {
		pr_err("linux: bzImage is %zu bytes, shorter than its %u-byte boot sector",
		       p ? len : 0, SECTOR_SIZE);
		return -HV_ENOEXEC;
	}
	if (le_get16(p + HDR_BOOT_FLAG) != BOOT_FLAG_MAGIC) {
		pr_err("linux: bzImage boot_flag at 0x1fe is 0x%04x, not 0xaa55",
		       le_get16(p + HDR_BOOT_FLAG));
		return -HV_ENOEXEC;
	}
	if (len < HDR_VERSION + 2) {
		pr_err("linux: bzImage is %zu bytes: it ends inside the setup header magic and "
		       "version at 0x202",
		       len);
		return -HV_ENOEXEC;
	}
	if (le_get32(p + HDR_HEADER) != HDRS_MAGIC) {
		pr_err("linux: bzImage header magic at 0x202 is 0x%08x, not \"HdrS\" (boot "
		       "protocol "
		       "2.00 or later)",
		       le_get32(p + HDR_HEADER));
		return -HV_ENOEXEC;
	}
	out->version = le_get16(p + HDR_VERSION);
	if (out->version < PROTO_MIN) {
		pr_err("linux: bzImage boot protocol version %u.%02u is older than 2.12 (64-bit "
		       "entry, xloadflags)",
		       out->version >> 8, out->version & 0xff);
		return -HV_ENOEXEC;
	}
	hdr_end = HDR_HEADER + p[HDR_JUMP_OFFSET];
	if (hdr_end < HDR_MIN_END || hdr_end > BZ_HDR_LIMIT) {
		pr_err("linux: bzImage setup header ends at 0x%x (0x202 + byte 0x201 = 0x%02x), "
		       "outside 0x%x..0x%x",
		       hdr_end, p[HDR_JUMP_OFFSET], HDR_MIN_END, BZ_HDR_LIMIT);
		return -HV_ENOEXEC;
	}
	if (hdr_end > len) {
		pr_err("linux: bzImage setup header ends at 0x%x, past the image end 0x%zx",
		       hdr_end, len);
		return -HV_ENOEXEC;
	}
	ret = bz_check_entry(p, len, out);
	if (!ret)
		ret = bz_check_memory(p, out);
	if (ret) {
		memset(out, 0, sizeof(*out));
		return ret;
	}
	out->hdr_len = hdr_end - BZ_HDR_OFFSET;
	memcpy(out->hdr, p + BZ_HDR_OFFSET, out->hdr_len);
	if (!out->relocatable)
		pr_warn("linux: bzImage is not relocatable: it runs only at pref_address 0x%llx",
			ull(out->pref_address));
	pr_debug("linux: bzImage protocol %u.%02u, %u setup sectors, 0x%zx bytes of kernel, "
		 "init_size 0x%x, alignment 0x%x, pref_address 0x%llx, xloadflags 0x%x",
		 out->version >> 8, out->version & 0xff, out->setup_sects, out->kernel_len,
		 out->init_size, out->kernel_alignment, ull(out->pref_address), out->xloadflags);
	return 0;
}

/* ---- placement ------------------------------------------------------------ */

#define PLACED_MAX 2 /* kernel and initrd block later searches */

/* Ranges a placement must not touch: the caller's, and what was placed before. */
struct blockers {
	const struct linux_range *avoid;
	unsigned n_avoid;
	struct linux_range placed[PLACED_MAX];
	unsigned n_placed;
};

static bool overlaps(const struct linux_range *r, uint64_t a, uint64_t e)
{
	return r->size && r->base < e && a < end_of(r->base, r->size);
}

/* A range that [a, a + size) overlaps, or NULL; a + size does not wrap (callers stay below 4 GiB). */
static const struct linux_range *blocker_of(const struct blockers *b, uint64_t a, uint64_t size)
{
	uint64_t e = a + size;

	for (unsigned i = 0; i < b->n_avoid; i++)
		if (overlaps(&b->avoid[i], a, e))
			return &b->avoid[i];
	for (unsigned i = 0; i < b->n_placed; i++)
		if (overlaps(&b->placed[i], a, e))
			return &b->placed[i];
	return NULL;
}

/* The part of RAM entry e inside [min, limit), as [*lo, *hi); false when it cannot hold size. */
static bool ram_window(const struct e820_entry *e, uint64_t min, uint64_t limit, uint64_t size,
		       uint64_t *lo, uint64_t *hi)
{
	if (e->type != E820_TYPE_RAM)
		return false;
	*lo = MAX(e->addr, min);
	*hi = MIN(end_of(e->addr, e->size), limit);
	return *lo < *hi && size <= *hi - *lo;
}

/*
 * The lowest align-aligned place for size bytes in RAM entry e within [min,
 * limit). Each blocker is stepped over at most once (the candidate only
 * rises past it), so the loop ends after n_avoid + n_placed + 1 rounds.
 */
static bool fit_low(const struct e820_entry *e, uint64_t min, uint64_t limit, uint64_t size,
		    uint64_t align, const struct blockers *b, uint64_t *at)
{
	uint64_t lo, hi, a;

	if (!ram_window(e, min, limit, size, &lo, &hi))
		return false;
	a = ALIGN_UP(lo, align);
	for (unsigned round = 0; round <= b->n_avoid + b->n_placed; round++) {
		const struct linux_range *r;

		if (a < lo || a > hi || size > hi - a)
			return false;
		r = blocker_of(b, a, size);
		if (!r) {
			*at = a;
			return true;
		}
		if (end_of(r->base, r->size) > hi)
			return false;
		a = ALIGN_UP(r->base + r->size, align);
	}
	return false;
}

/* The highest align-aligned place for size bytes in RAM entry e within [min, limit). */
static bool fit_high(const struct e820_entry *e, uint64_t min, uint64_t limit, uint64_t size,
		     uint64_t align, const struct blockers *b, uint64_t *at)
{
	uint64_t lo, hi, a;

	if (!ram_window(e, min, limit, size, &lo, &hi))
		return false;
	a = ALIGN_DOWN(hi - size, align);
	for (unsigned round = 0; round <= b->n_avoid + b->n_placed; round++) {
		const struct linux_range *r;

		if (a < lo)
			return false;
		r = blocker_of(b, a, size);
		if (!r) {
			*at = a;
			return true;
		}
		if (r->base < lo + size)
			return false;
		a = ALIGN_DOWN(r->base - size, align);
	}
	return false;
}

static bool find_low(const struct e820_entry *e820, unsigned n, uint64_t min, uint64_t limit,
		     uint64_t size, uint64_t align, const struct blockers *b, uint64_t *at)
{
	bool found = false;

	for (unsigned i = 0; i < n; i++) {
		uint64_t a;

		if (fit_low(&e820[i], min, limit, size, align, b, &a) && (!found || a < *at)) {
			*at = a;
			found = true;
		}
	}
	return found;
}

static bool find_high(const struct e820_entry *e820, unsigned n, uint64_t min, uint64_t limit,
		      uint64_t size, uint64_t align, const struct blockers *b, uint64_t *at)
{
	bool found = false;

	for (unsigned i = 0; i < n; i++) {
		uint64_t a;

		if (fit_high(&e820[i], min, limit, size, align, b, &a) && (!found || a > *at)) {
			*at = a;
			found = true;
		}
	}
	return found;
}

/* True when [a, a + size) lies inside one RAM entry, below limit, and touches no blocker. */
static bool fits_at(const struct e820_entry *e820, unsigned n, uint64_t a, uint64_t size,
		    uint64_t limit, const struct blockers *b)
{
	if (a >= limit || size > limit - a || blocker_of(b, a, size))
		return false;
	for (unsigned i = 0; i < n; i++)
		if (e820[i].type == E820_TYPE_RAM && e820[i].addr <= a &&
		    a + size <= end_of(e820[i].addr, e820[i].size))
			return true;
	return false;
}

static int place_kernel(const struct bzimage_info *info, const struct e820_entry *e820, unsigned n,
			const struct blockers *b, uint64_t *at)
{
	uint64_t size = info->mem_size, align = info->kernel_alignment;
	uint64_t pref = info->pref_address, min;

	if (pref && (!info->relocatable || IS_ALIGNED(pref, align)) &&
	    fits_at(e820, n, pref, size, LINUX_PLACE_LIMIT, b)) {
		*at = pref;
		return 0;
	}
	if (!info->relocatable) {
		pr_err("linux: the kernel is not relocatable and 0x%llx-0x%llx (pref_address + "
		       "0x%llx) "
		       "is not free root RAM below 4 GiB",
		       ull(pref), ull(end_of(pref, size)), ull(size));
		return -HV_ENOSPC;
	}
	/*
	 * The decompressor moves itself up to LOAD_PHYSICAL_ADDR (which
	 * pref_address reports) when loaded lower, into memory we never
	 * checked: so never below pref_address.
	 */
	min = MAX(pref, LINUX_KERNEL_MIN);
	if (!find_low(e820, n, min, LINUX_PLACE_LIMIT, size, align, b, at)) {
		pr_err("linux: no room for the kernel: 0x%llx bytes aligned to 0x%llx in root RAM "
		       "from 0x%llx to 4 GiB",
		       ull(size), ull(align), ull(min));
		return -HV_ENOSPC;
	}
	return 0;
}

static int check_sizes(const struct bzimage_info *info, const struct linux_sizes *sz)
{
	if (sz->cmdline_len == 0) {
		pr_err("linux: command line length 0: it needs at least its terminating NUL");
		return -HV_EINVAL;
	}
	if (sz->cmdline_len - 1 > info->cmdline_size) {
		pr_err("linux: command line of %llu bytes is longer than the kernel's cmdline_size "
		       "%u",
		       ull(sz->cmdline_len - 1), info->cmdline_size);
		return -HV_EINVAL;
	}
	if (sz->initrd_size >= LINUX_PLACE_LIMIT || sz->acpi_size >= LINUX_PLACE_LIMIT ||
	    sz->cmdline_len >= LINUX_PLACE_LIMIT ||
	    sz->pgtable_pages >= LINUX_PLACE_LIMIT / PAGE_SIZE) {
		pr_err("linux: initrd 0x%llx, ACPI copies 0x%llx, command line 0x%llx bytes or %u "
		       "page "
		       "table pages: too large for memory below 4 GiB",
		       ull(sz->initrd_size), ull(sz->acpi_size), ull(sz->cmdline_len),
		       sz->pgtable_pages);
		return -HV_ENOSPC;
	}
	return 0;
}

/* Lays out the low block at base: boot_params, GDT, page tables, ACPI copies, command line. */
static void layout_low(const struct linux_sizes *sz, uint64_t base, struct linux_layout *out)
{
	uint64_t at = base;

	out->low_base = base;
	out->boot_params_addr = at;
	at += PAGE_SIZE;
	out->gdt_addr = at;
	at += PAGE_SIZE;
	out->pgtable_addr = at;
	out->pgtable_size = (uint64_t)sz->pgtable_pages * PAGE_SIZE;
	at += out->pgtable_size;
	out->acpi_addr = sz->acpi_size ? at : 0;
	out->acpi_size = sz->acpi_size;
	at += ALIGN_UP(sz->acpi_size, PAGE_SIZE);
	out->cmdline_addr = at;
	out->cmdline_len = sz->cmdline_len;
	at += ALIGN_UP(sz->cmdline_len, PAGE_SIZE);
	out->low_size = at - base;
}

int linux_place(const struct bzimage_info *info, const struct linux_sizes *sz,
		const struct e820_entry *e820, unsigned n, const struct linux_range *avoid,
		unsigned n_avoid, struct linux_layout *out)
{
	struct blockers b = { .avoid = avoid, .n_avoid = avoid ? n_avoid : 0 };
	uint64_t low_size, initrd_limit;
	int ret;

	if (!info || !sz || !out || (n && !e820))
		return -HV_EINVAL;
	memset(out, 0, sizeof(*out));
	ret = check_sizes(info, sz);
	if (ret)
		return ret;

	ret = place_kernel(info, e820, n, &b, &out->kernel_addr);
	if (ret)
		return ret;
	out->kernel_size = info->mem_size;
	b.placed[b.n_placed++] = (struct linux_range){ out->kernel_addr, out->kernel_size };

	if (sz->initrd_size) {
		/* initrd_addr_max names the last byte the initrd may occupy */
		initrd_limit = MIN((uint64_t)info->initrd_addr_max + 1, LINUX_PLACE_LIMIT);
		if (!find_high(e820, n, LINUX_LOW_MIN, initrd_limit, sz->initrd_size, PAGE_SIZE, &b,
			       &out->initrd_addr)) {
			pr_err("linux: no room for the initrd: 0x%llx bytes in root RAM from 1 MiB "
			       "to "
			       "0x%llx (initrd_addr_max 0x%x)",
			       ull(sz->initrd_size), ull(initrd_limit), info->initrd_addr_max);
			return -HV_ENOSPC;
		}
		out->initrd_size = sz->initrd_size;
		b.placed[b.n_placed++] = (struct linux_range){ out->initrd_addr, sz->initrd_size };
	}

	low_size = 2 * PAGE_SIZE + (uint64_t)sz->pgtable_pages * PAGE_SIZE +
		   ALIGN_UP(sz->acpi_size, PAGE_SIZE) + ALIGN_UP(sz->cmdline_len, PAGE_SIZE);
	if (!find_low(e820, n, LINUX_LOW_MIN, LINUX_PLACE_LIMIT, low_size, PAGE_SIZE, &b,
		      &out->low_base)) {
		pr_err("linux: no room for the boot structures: 0x%llx bytes in root RAM from 1 "
		       "MiB "
		       "to 4 GiB",
		       ull(low_size));
		return -HV_ENOSPC;
	}
	layout_low(sz, out->low_base, out);
	pr_info("linux: kernel at 0x%llx-0x%llx, initrd at 0x%llx (0x%llx bytes), boot_params at "
		"0x%llx, command line at 0x%llx",
		ull(out->kernel_addr), ull(out->kernel_addr + out->kernel_size),
		ull(out->initrd_addr), ull(out->initrd_size), ull(out->boot_params_addr),
		ull(out->cmdline_addr));
	return 0;
}

/* ---- boot_params ---------------------------------------------------------- */

/* Refuses a layout that breaks a limit the kernel states in its header. */
static int check_layout(const struct bzimage_info *info, const struct linux_layout *lay)
{
	bool above_4g = info->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G;

	if (lay->cmdline_len && lay->cmdline_len - 1 > info->cmdline_size) {
		pr_err("linux: command line of %llu bytes is longer than the kernel's cmdline_size "
		       "%u",
		       ull(lay->cmdline_len - 1), info->cmdline_size);
		return -HV_EINVAL;
	}
	/* initrd_addr_max is the 32-bit loaders' limit; XLF_CAN_BE_LOADED_ABOVE_4G lifts it */
	if (!above_4g && lay->initrd_size &&
	    end_of(lay->initrd_addr, lay->initrd_size) - 1 > info->initrd_addr_max) {
		pr_err("linux: initrd at 0x%llx-0x%llx ends above initrd_addr_max 0x%x",
		       ull(lay->initrd_addr), ull(end_of(lay->initrd_addr, lay->initrd_size)),
		       info->initrd_addr_max);
		return -HV_EINVAL;
	}
	if (!above_4g && (end_of(lay->kernel_addr, lay->kernel_size) > FOUR_GIB ||
			  end_of(lay->cmdline_addr, lay->cmdline_len) > FOUR_GIB ||
			  end_of(lay->initrd_addr, lay->initrd_size) > FOUR_GIB)) {
		pr_err("linux: kernel 0x%llx, command line 0x%llx or initrd 0x%llx reaches above 4 "
		       "GiB, and xloadflags 0x%x lack XLF_CAN_BE_LOADED_ABOVE_4G",
		       ull(lay->kernel_addr), ull(lay->cmdline_addr), ull(lay->initrd_addr),
		       info->xloadflags);
		return -HV_EINVAL;
	}
	return 0;
}

/* Clears a loader-owned header field the image might carry a stray value in. */
static void clear_hdr_field(uint8_t *bp, const struct bzimage_info *info, unsigned off, unsigned n)
{
	if (off + n <= BZ_HDR_OFFSET + info->hdr_len)
		memset(bp + off, 0, n);
}

int linux_build_boot_params(const struct bzimage_info *info, const struct linux_layout *lay,
			    const struct e820_entry *e820, unsigned n, uint64_t rsdp_addr, void *bp,
			    size_t bp_size)
{
	uint8_t *b = bp;
	int ret;

	if (!info || !lay || !b || (n && !e820))
		return -HV_EINVAL;
	if (bp_size < BOOT_PARAMS_SIZE) {
		pr_err("linux: boot_params buffer is %zu bytes; it needs %u", bp_size,
		       BOOT_PARAMS_SIZE);
		return -HV_EINVAL;
	}
	if (n > E820_MAX_ENTRIES_ZEROPAGE) {
		pr_err("linux: the e820 map has %u entries; boot_params holds %u", n,
		       E820_MAX_ENTRIES_ZEROPAGE);
		return -HV_EINVAL;
	}
	if (info->hdr_len < HDR_MIN_END - BZ_HDR_OFFSET || info->hdr_len > BZ_HDR_MAX) {
		pr_err("linux: setup header length %u is outside %u..%u: not from bzimage_parse()",
		       info->hdr_len, HDR_MIN_END - BZ_HDR_OFFSET, BZ_HDR_MAX);
		return -HV_EINVAL;
	}
	ret = check_layout(info, lay);
	if (ret)
		return ret;

	/* zero first: the kernel reads every field it does not get as "absent" */
	memset(b, 0, BOOT_PARAMS_SIZE);
	memcpy(b + BZ_HDR_OFFSET, info->hdr, info->hdr_len);
	clear_hdr_field(b, info, HDR_HEAP_END_PTR, 2);
	clear_hdr_field(b, info, HDR_EXT_LOADER_VER, 2);
	clear_hdr_field(b, info, HDR_HARDWARE_SUBARCH, 4 + 8); /* a PC: subarch 0, no data */
	clear_hdr_field(b, info, HDR_SETUP_DATA, 8);
	b[HDR_TYPE_OF_LOADER] = BZ_LOADER_UNDEFINED;
	/*
	 * CAN_USE_HEAP and KEEP_SEGMENTS concern the real-mode setup code and
	 * the 32-bit entry; the 64-bit entry used here reads neither.
	 */
	b[HDR_LOADFLAGS] = info->loadflags & (uint8_t) ~(BZ_CAN_USE_HEAP | BZ_KEEP_SEGMENTS);
	le_put32(b + HDR_CODE32_START, (uint32_t)lay->kernel_addr);
	if (lay->cmdline_len) {
		le_put32(b + HDR_CMD_LINE_PTR, (uint32_t)lay->cmdline_addr);
		le_put32(b + BP_EXT_CMD_LINE_PTR, (uint32_t)(lay->cmdline_addr >> 32));
	}
	if (lay->initrd_size) {
		le_put32(b + HDR_RAMDISK_IMAGE, (uint32_t)lay->initrd_addr);
		le_put32(b + HDR_RAMDISK_SIZE, (uint32_t)lay->initrd_size);
		le_put32(b + BP_EXT_RAMDISK_IMAGE, (uint32_t)(lay->initrd_addr >> 32));
		le_put32(b + BP_EXT_RAMDISK_SIZE, (uint32_t)(lay->initrd_size >> 32));
	}
	le_put64(b + BP_ACPI_RSDP_ADDR, rsdp_addr);
	b[BP_E820_ENTRIES] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = b + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;

		le_put64(e, e820[i].addr);
		le_put64(e + 8, e820[i].size);
		le_put32(e + 16, e820[i].type);
	}
	return 0;
}

/* ---- the root's e820 map -------------------------------------------------- */

/* Where two views of one address disagree, the higher rank wins: anything beats RAM. */
static unsigned e820_rank(uint32_t type)
{
	switch (type) {
	case 0:
		return 0;
	case E820_TYPE_RAM:
		return 1;
	case E820_TYPE_PMEM:
		return 2;
	case E820_TYPE_RESERVED:
		return 3;
	case E820_TYPE_UNUSABLE:
		return 4;
	case E820_TYPE_ACPI:
		return 5;
	default: /* E820_TYPE_NVS */
		return 6;
	}
}

static uint32_t e820_better(uint32_t a, uint32_t b)
{
	return e820_rank(b) > e820_rank(a) ? b : a;
}

/* The root's e820 type for memory of firmware-map type t seen through a region; 0 = absent. */
static uint32_t root_type(uint32_t t, bool region_ram)
{
	switch (t) {
	case BOOT_MEM_RAM:
	case MEM_PARTITION:
	case MEM_MODULE:
	case MEM_BOOTINFO:
	case MEM_LOWMEM:
		return region_ram ? E820_TYPE_RAM : 0;
	case MEM_HV_IMAGE:
	case MEM_HV_POOL:
		return 0; /* never the hypervisor's, whatever a region claims */
	case BOOT_MEM_ACPI_RECLAIM:
		return E820_TYPE_ACPI;
	case BOOT_MEM_ACPI_NVS:
		return E820_TYPE_NVS;
	case BOOT_MEM_BAD:
		return E820_TYPE_UNUSABLE;
	case BOOT_MEM_PERSISTENT:
		return E820_TYPE_PMEM;
	case BOOT_MEM_RESERVED:
	case BOOT_MEM_FIRMWARE: /* EFI runtime: the root boots without EFI, so just reserved */
	default:
		return t >= MEM_HV_IMAGE ? 0 : E820_TYPE_RESERVED;
	}
}

static bool is_acpi_type(uint32_t t)
{
	return t == BOOT_MEM_ACPI_RECLAIM || t == BOOT_MEM_ACPI_NVS;
}

/* Memory the root uses as RAM: readable, writable, not device memory, not a link's. */
static bool region_is_ram(const struct part_region *r)
{
	return (r->flags & (BH_MEM_READ | BH_MEM_WRITE)) == (BH_MEM_READ | BH_MEM_WRITE) &&
	       !(r->flags & (BH_MEM_IO | BH_MEM_SHARED));
}

static bool region_usable(const struct part_region *r)
{
	return r->size && r->size <= UINT64_MAX - r->gpa && r->size <= UINT64_MAX - r->hpa;
}

struct e820_sweep {
	const struct partition *root;
	const struct memmap *fw;
	uint32_t regions;
	uint32_t ranges;
	uint64_t next; /* the lowest edge above the current point */
	bool have_next;
};

static void sweep_edge(struct e820_sweep *s, uint64_t g, uint64_t v)
{
	if (v > g && (!s->have_next || v < s->next)) {
		s->next = v;
		s->have_next = true;
	}
}

/*
 * The root's type at guest address g; also finds the next edge above g.
 * Guest ranges of valid regions do not overlap (the table validator sees to
 * that); where they do anyway, g is RAM only when every region covering it
 * says RAM, so a region showing the hypervisor or a hole there wins.
 */
static uint32_t sweep_at(struct e820_sweep *s, uint64_t g)
{
	uint32_t best = 0;
	bool veto_ram = false;

	s->have_next = false;
	for (uint32_t i = 0; i < s->regions; i++) {
		const struct part_region *r = &s->root->regions[i];
		uint64_t rend = r->gpa + r->size, hend = r->hpa + r->size;
		bool inside = g >= r->gpa && g < rend, ram = region_is_ram(r);
		uint32_t here = 0; /* absent unless a firmware range says otherwise */

		if (!region_usable(r))
			continue;
		sweep_edge(s, g, r->gpa);
		sweep_edge(s, g, rend);
		for (uint32_t j = 0; j < s->ranges; j++) {
			const struct mem_range *f = &s->fw->r[j];
			uint64_t b = MAX(f->base, r->hpa), e = MIN(end_of(f->base, f->size), hend);

			if (b >= e)
				continue;
			/* the firmware range as the region shows it in guest space */
			b = r->gpa + (b - r->hpa);
			e = r->gpa + (e - r->hpa);
			sweep_edge(s, g, b);
			sweep_edge(s, g, e);
			if (inside && g >= b && g < e)
				here = e820_better(here, root_type(f->type, ram));
		}
		if (inside && !here)
			veto_ram = true;
		best = e820_better(best, here);
	}
	if (veto_ram && best == E820_TYPE_RAM)
		best = 0;
	for (uint32_t j = 0; j < s->ranges; j++) {
		const struct mem_range *f = &s->fw->r[j];
		uint64_t e = end_of(f->base, f->size);

		if (!is_acpi_type(f->type) || !f->size)
			continue;
		sweep_edge(s, g, f->base);
		sweep_edge(s, g, e);
		if (g >= f->base && g < e)
			best = e820_better(best, root_type(f->type, false));
	}
	return best;
}

static int e820_emit(struct e820_entry *out, unsigned *count, unsigned max, uint64_t base,
		     uint64_t end, uint32_t type)
{
	struct e820_entry *last = *count ? &out[*count - 1] : NULL;

	if (last && last->type == type && last->addr + last->size == base) {
		last->size = end - last->addr;
		return 0;
	}
	if (*count >= max) {
		pr_err("linux: the root's e820 map needs more than %u entries (at 0x%llx)", max,
		       ull(base));
		return -HV_ENOSPC;
	}
	out[*count].addr = base;
	out[*count].size = end - base;
	out[*count].type = type;
	(*count)++;
	return 0;
}

/*
 * A sweep over guest-physical space from edge to edge: every region edge and
 * every firmware-range edge as a region maps it. Each step costs regions x
 * ranges (at most 32 x 512) and there are at most that many edges; the
 * point only moves up, so the walk ends.
 */
int linux_build_e820(const struct partition *root, const struct memmap *fw, struct e820_entry *out,
		     unsigned max)
{
	struct e820_sweep s = { .root = root, .fw = fw };
	unsigned count = 0;
	uint64_t g = 0;

	if (!root || !fw || (max && !out))
		return -HV_EINVAL;
	if (root->region_count > PART_REGIONS_MAX || fw->count > MEMMAP_MAX) {
		pr_err("linux: root has %u regions (max %u), firmware map %u ranges (max %u)",
		       root->region_count, PART_REGIONS_MAX, fw->count, MEMMAP_MAX);
		return -HV_EINVAL;
	}
	s.regions = root->region_count;
	s.ranges = fw->count;
	for (uint32_t i = 0; i < s.regions; i++)
		if (!region_usable(&root->regions[i]))
			pr_warn("linux: root region %u (gpa 0x%llx, hpa 0x%llx, size 0x%llx) is "
				"empty "
				"or wraps; left out of the e820 map",
				i, ull(root->regions[i].gpa), ull(root->regions[i].hpa),
				ull(root->regions[i].size));

	for (;;) {
		uint32_t t = sweep_at(&s, g);
		uint64_t next = s.have_next ? s.next : UINT64_MAX;
		int ret;

		if (t) {
			ret = e820_emit(out, &count, max, g, next, t);
			if (ret)
				return ret;
		}
		if (!s.have_next)
			break;
		g = next;
	}
	return (int)count;
}

int linux_e820_set(struct e820_entry *e820, unsigned *n, unsigned max, uint64_t base, uint64_t size,
		   uint32_t type)
{
	uint64_t end = base + size;

	if (!e820 || !n || *n > max || !size || size > UINT64_MAX - base)
		return -HV_EINVAL;
	for (unsigned i = 0; i < *n; i++) {
		struct e820_entry old = e820[i];
		uint64_t old_end = end_of(old.addr, old.size);
		unsigned need, j = i;

		if (old.type != E820_TYPE_RAM || base < old.addr || end > old_end)
			continue;
		need = (base > old.addr) + (end < old_end);
		if (*n + need > max) {
			pr_err("linux: marking 0x%llx-0x%llx as e820 type %u needs more than %u "
			       "entries",
			       ull(base), ull(end), type, max);
			return -HV_ENOSPC;
		}
		memmove(&e820[i + 1 + need], &e820[i + 1], (*n - i - 1) * sizeof(e820[0]));
		*n += need;
		if (base > old.addr)
			e820[j++] = (struct e820_entry){ old.addr, base - old.addr, E820_TYPE_RAM };
		e820[j++] = (struct e820_entry){ base, size, type };
		if (end < old_end)
			e820[j] = (struct e820_entry){ end, old_end - end, E820_TYPE_RAM };
		return 0;
	}
	pr_err("linux: 0x%llx-0x%llx is not inside one RAM entry of the root's e820 map", ull(base),
	       ull(end));
	return -HV_EINVAL;
}
