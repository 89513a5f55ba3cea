// SPDX-License-Identifier: GPL-2.0-only
/* Multiboot2 boot information parser: validates the loader's tag list and fills struct boot_info. */
#include "boot/mb2.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

/* Block and tag framing (MB2 spec 2.0, 3.6.1 and 3.6.2). */
#define MB2_INFO_HDR_SIZE 8 /* u32 total_size, u32 reserved */
#define MB2_TAG_HDR_SIZE  8 /* u32 type, u32 size */
#define MB2_TAG_SIZE_OFF  4
#define MB2_TAG_ALIGN	  8
#define MB2_INFO_MIN_SIZE (MB2_INFO_HDR_SIZE + MB2_TAG_HDR_SIZE) /* header and END tag */

/* Offsets inside a tag, counted from the tag's first byte. */
#define MB2_MOD_START	     8 /* 3.6.6: u32 mod_start, u32 mod_end, string */
#define MB2_MOD_END	     12
#define MB2_MOD_STRING	     16
#define MB2_MMAP_ENTRY_SIZE  8 /* 3.6.8: u32 entry_size, u32 entry_version, entries */
#define MB2_MMAP_ENTRY_VER   12
#define MB2_MMAP_ENTRIES     16
#define MB2_MMAP_ENTRY_MIN   24 /* u64 base_addr, u64 length, u32 type, u32 reserved */
#define MB2_MMAP_ENTRY_ALIGN 8
#define MB2_MMAP_E_BASE	     0
#define MB2_MMAP_E_LENGTH    8
#define MB2_MMAP_E_TYPE	     16
#define MB2_FB_ADDR	     8 /* 3.6.12: u64 addr, u32 pitch, width, height, u8 bpp, type, rsvd */
#define MB2_FB_PITCH	     16
#define MB2_FB_WIDTH	     20
#define MB2_FB_HEIGHT	     24
#define MB2_FB_BPP	     28
#define MB2_FB_TYPE	     29
#define MB2_FB_FIXED	     31
#define MB2_EFI_PTR	     8	/* 3.6.13/3.6.14: u32 or u64 pointer */
#define MB2_ACPI_RSDP	     8	/* 3.6.16/3.6.17: a copy of the RSDP */
#define MB2_RSDP_V1_LEN	     20 /* ACPI 6.5, 5.2.5.3: RSDP up to RsdtAddress */
#define MB2_RSDP_V2_LEN	     36 /* ... up to the reserved bytes after ExtendedChecksum */
#define MB2_EMMAP_DESC_SIZE  8	/* 3.6.19: u32 descriptor_size, u32 descriptor_version, map */
#define MB2_EMMAP_DESC_VER   12
#define MB2_EMMAP_DESCS	     16
#define MB2_LOAD_BASE	     8 /* 3.6.23: u32 load_base_addr */

/* EFI_MEMORY_DESCRIPTOR (UEFI 2.10, 7.2.3 GetMemoryMap()). */
#define EFI_DESC_TYPE	   0
#define EFI_DESC_PHYS	   8
#define EFI_DESC_PAGES	   24
#define EFI_DESC_ATTR	   32
#define EFI_DESC_MIN	   40
#define EFI_PAGE_SHIFT	   12
#define EFI_MEMORY_RUNTIME (1ULL << 63)
#define EFI_RESERVED	   0
#define EFI_LOADER_CODE	   1
#define EFI_LOADER_DATA	   2
#define EFI_BS_CODE	   3
#define EFI_BS_DATA	   4
#define EFI_RT_CODE	   5
#define EFI_RT_DATA	   6
#define EFI_CONVENTIONAL   7
#define EFI_UNUSABLE	   8
#define EFI_ACPI_RECLAIM   9
#define EFI_ACPI_NVS	   10
#define EFI_PERSISTENT	   14

#define MB2_MSG_MAX 192

/* A tag seen during the walk; off == 0 means "not seen" (offset 0 is the block header). */
struct mb2_ref {
	uint32_t off;
	uint32_t size;
};

struct mb2_walk {
	const uint8_t *p;
	uint32_t total;
	struct boot_info *bi;
	struct mb2_ref mmap, efi_mmap, acpi_old, acpi_new, efi32, efi64;
	bool efi_bs_kept; /* tag 18: boot services still running, their memory is not free */
	bool cmdline_seen, loader_seen, fb_seen;
};

/* The block is 8-byte aligned by the spec, but the parser does not rely on it. */
static uint32_t rd32(const uint8_t *p, uint64_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p, uint64_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void __printf(4, 5)
	mb2_tag_log(int level, uint32_t type, const struct mb2_ref *t, const char *fmt, ...)
{
	char msg[MB2_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_printf(level, "mb2: tag type %u at offset 0x%x (size %u): %s", type, t->off, t->size,
		   msg);
}

#define mb2_tag_err(type, t, ...)  mb2_tag_log(LOG_ERR, type, t, __VA_ARGS__)
#define mb2_tag_warn(type, t, ...) mb2_tag_log(LOG_WARN, type, t, __VA_ARGS__)

/* The smallest size each tag we read may have; 0 = not read, no minimum beyond the header. */
static uint32_t mb2_tag_fixed(uint32_t type)
{
	switch (type) {
	case MB2_TAG_MODULE:
		return MB2_MOD_STRING;
	case MB2_TAG_MMAP:
		return MB2_MMAP_ENTRIES;
	case MB2_TAG_FRAMEBUFFER:
		return MB2_FB_FIXED;
	case MB2_TAG_EFI32:
		return MB2_EFI_PTR + sizeof(uint32_t);
	case MB2_TAG_EFI64:
		return MB2_EFI_PTR + sizeof(uint64_t);
	case MB2_TAG_ACPI_OLD:
		return MB2_ACPI_RSDP + MB2_RSDP_V1_LEN;
	case MB2_TAG_ACPI_NEW:
		return MB2_ACPI_RSDP + MB2_RSDP_V2_LEN;
	case MB2_TAG_EFI_MMAP:
		return MB2_EMMAP_DESCS;
	case MB2_TAG_LOAD_BASE_ADDR:
		return MB2_LOAD_BASE + sizeof(uint32_t);
	default:
		return 0;
	}
}

/* Checks that the string at off within tag t ends inside the tag; returns its length or -1. */
static long mb2_tag_string(const struct mb2_walk *w, const struct mb2_ref *t, uint32_t off)
{
	size_t room = t->size - off;
	size_t len = strnlen((const char *)w->p + t->off + off, room);

	return len < room ? (long)len : -1;
}

static int mb2_cmdline(struct mb2_walk *w, uint32_t type, const struct mb2_ref *t)
{
	const char *s = (const char *)w->p + t->off + MB2_TAG_HDR_SIZE;
	char *dst = type == MB2_TAG_CMDLINE ? w->bi->cmdline : w->bi->loader_name;
	size_t max = type == MB2_TAG_CMDLINE ? BOOT_CMDLINE_MAX : BOOT_LOADER_NAME_MAX;
	bool *seen = type == MB2_TAG_CMDLINE ? &w->cmdline_seen : &w->loader_seen;
	long len = mb2_tag_string(w, t, MB2_TAG_HDR_SIZE);

	if (len < 0) {
		mb2_tag_err(type, t, "string is not NUL-terminated within the tag");
		return -HV_EBADMSG;
	}
	if (*seen) {
		mb2_tag_warn(type, t, "second tag of this type ignored");
		return 0;
	}
	*seen = true;
	if ((size_t)len >= max)
		mb2_tag_warn(type, t, "string of %ld bytes truncated to %zu", len, max - 1);
	hv_strlcpy(dst, s, max);
	return 0;
}

static int mb2_module(struct mb2_walk *w, const struct mb2_ref *t)
{
	struct boot_info *bi = w->bi;
	uint32_t start = rd32(w->p, t->off + MB2_MOD_START);
	uint32_t end = rd32(w->p, t->off + MB2_MOD_END);
	long len = mb2_tag_string(w, t, MB2_MOD_STRING);
	const char *s = (const char *)w->p + t->off + MB2_MOD_STRING;
	struct boot_module *mod;

	if (end < start) {
		mb2_tag_err(MB2_TAG_MODULE, t, "mod_end 0x%x is below mod_start 0x%x", end, start);
		return -HV_EBADMSG;
	}
	if (len < 0) {
		mb2_tag_err(MB2_TAG_MODULE, t,
			    "module string is not NUL-terminated within the tag");
		return -HV_EBADMSG;
	}
	if (bi->module_count >= BOOT_MODULES_MAX) {
		bi->flags |= BOOT_INFO_F_MOD_TRUNCATED;
		mb2_tag_warn(MB2_TAG_MODULE, t,
			     "module \"%.32s\" at 0x%x dropped: only %u are kept", s, start,
			     BOOT_MODULES_MAX);
		return 0;
	}
	mod = &bi->modules[bi->module_count++];
	mod->start = start;
	mod->end = end;
	if ((size_t)len >= sizeof(mod->tag))
		mb2_tag_warn(MB2_TAG_MODULE, t, "module string of %ld bytes truncated to %zu", len,
			     sizeof(mod->tag) - 1);
	hv_strlcpy(mod->tag, s, sizeof(mod->tag));
	return 0;
}

/* Keeps the first tag of a kind the parser reads after the walk; a later one is ignored. */
static void mb2_keep(uint32_t type, struct mb2_ref *slot, const struct mb2_ref *t)
{
	if (slot->off) {
		mb2_tag_warn(type, t, "second tag of this type ignored");
		return;
	}
	*slot = *t;
}

static int mb2_mmap_check(struct mb2_walk *w, const struct mb2_ref *t)
{
	uint32_t esize = rd32(w->p, t->off + MB2_MMAP_ENTRY_SIZE);
	uint32_t ever = rd32(w->p, t->off + MB2_MMAP_ENTRY_VER);

	if (esize < MB2_MMAP_ENTRY_MIN || esize % MB2_MMAP_ENTRY_ALIGN) {
		mb2_tag_err(MB2_TAG_MMAP, t,
			    "entry_size %u is not a multiple of %u of at least %u bytes", esize,
			    MB2_MMAP_ENTRY_ALIGN, MB2_MMAP_ENTRY_MIN);
		return -HV_EBADMSG;
	}
	/* 3.6.8: later entry versions only append fields, so version 0's view still holds. */
	if (ever != 0)
		mb2_tag_warn(MB2_TAG_MMAP, t, "entry_version %u, reading entries as version 0",
			     ever);
	if ((t->size - MB2_MMAP_ENTRIES) % esize)
		mb2_tag_warn(MB2_TAG_MMAP, t, "%u trailing bytes after the last entry ignored",
			     (t->size - MB2_MMAP_ENTRIES) % esize);
	mb2_keep(MB2_TAG_MMAP, &w->mmap, t);
	return 0;
}

static int mb2_efi_mmap_check(struct mb2_walk *w, const struct mb2_ref *t)
{
	uint32_t dsize = rd32(w->p, t->off + MB2_EMMAP_DESC_SIZE);

	if (dsize < EFI_DESC_MIN) {
		mb2_tag_err(MB2_TAG_EFI_MMAP, t, "descriptor_size %u is below %u", dsize,
			    EFI_DESC_MIN);
		return -HV_EBADMSG;
	}
	if ((t->size - MB2_EMMAP_DESCS) % dsize)
		mb2_tag_warn(MB2_TAG_EFI_MMAP, t,
			     "%u trailing bytes after the last descriptor ignored",
			     (t->size - MB2_EMMAP_DESCS) % dsize);
	mb2_keep(MB2_TAG_EFI_MMAP, &w->efi_mmap, t);
	return 0;
}

static void mb2_framebuffer(struct mb2_walk *w, const struct mb2_ref *t)
{
	struct boot_framebuffer *fb = &w->bi->fb;

	if (w->fb_seen) {
		mb2_tag_warn(MB2_TAG_FRAMEBUFFER, t, "second tag of this type ignored");
		return;
	}
	w->fb_seen = true;
	fb->addr = rd64(w->p, t->off + MB2_FB_ADDR);
	fb->pitch = rd32(w->p, t->off + MB2_FB_PITCH);
	fb->width = rd32(w->p, t->off + MB2_FB_WIDTH);
	fb->height = rd32(w->p, t->off + MB2_FB_HEIGHT);
	fb->bpp = w->p[t->off + MB2_FB_BPP];
	fb->type = w->p[t->off + MB2_FB_TYPE];
	w->bi->flags |= BOOT_INFO_F_FRAMEBUFFER;
}

static int mb2_tag(struct mb2_walk *w, uint32_t type, const struct mb2_ref *t)
{
	uint32_t fixed = mb2_tag_fixed(type);

	if (t->size < fixed) {
		mb2_tag_err(type, t, "shorter than the %u bytes this tag type needs", fixed);
		return -HV_EBADMSG;
	}
	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER_NAME:
		return mb2_cmdline(w, type, t);
	case MB2_TAG_MODULE:
		return mb2_module(w, t);
	case MB2_TAG_MMAP:
		return mb2_mmap_check(w, t);
	case MB2_TAG_EFI_MMAP:
		return mb2_efi_mmap_check(w, t);
	case MB2_TAG_FRAMEBUFFER:
		mb2_framebuffer(w, t);
		return 0;
	case MB2_TAG_EFI32:
		mb2_keep(type, &w->efi32, t);
		return 0;
	case MB2_TAG_EFI64:
		mb2_keep(type, &w->efi64, t);
		return 0;
	case MB2_TAG_ACPI_OLD:
		mb2_keep(type, &w->acpi_old, t);
		return 0;
	case MB2_TAG_ACPI_NEW:
		mb2_keep(type, &w->acpi_new, t);
		return 0;
	case MB2_TAG_EFI_BS:
		w->efi_bs_kept = true;
		return 0;
	case MB2_TAG_LOAD_BASE_ADDR:
		w->bi->image_start = rd32(w->p, t->off + MB2_LOAD_BASE);
		return 0;
	default:
		return 0; /* unknown or unused: skipped */
	}
}

/* Appends a range, extending the previous one when it continues it with the same type. */
static void mb2_add_mem(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type,
			bool *warned)
{
	struct boot_mem_range *prev = bi->mem_count ? &bi->mem[bi->mem_count - 1] : NULL;

	if (size == 0)
		return;
	if (prev && prev->type == type && prev->base + prev->size == base &&
	    prev->size <= UINT64_MAX - size) {
		prev->size += size;
		return;
	}
	if (bi->mem_count >= BOOT_MEMMAP_MAX) {
		bi->flags |= BOOT_INFO_F_MEM_TRUNCATED;
		if (!*warned)
			pr_warn("mb2: more than %u memory ranges, dropping the rest from 0x%llx on",
				BOOT_MEMMAP_MAX, (unsigned long long)base);
		*warned = true;
		return;
	}
	bi->mem[bi->mem_count].base = base;
	bi->mem[bi->mem_count].size = size;
	bi->mem[bi->mem_count].type = type;
	bi->mem[bi->mem_count].reserved = 0;
	bi->mem_count++;
}

static void mb2_fill_mmap(struct mb2_walk *w)
{
	const struct mb2_ref *t = &w->mmap;
	uint32_t esize = rd32(w->p, t->off + MB2_MMAP_ENTRY_SIZE);
	uint32_t n = (t->size - MB2_MMAP_ENTRIES) / esize;
	bool warned = false;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = (uint64_t)t->off + MB2_MMAP_ENTRIES + (uint64_t)i * esize;
		uint32_t type = rd32(w->p, e + MB2_MMAP_E_TYPE);

		/* 3.6.8 types 1..5 are BOOT_MEM_RAM..BOOT_MEM_BAD; the rest is reserved. */
		if (type < BOOT_MEM_RAM || type > BOOT_MEM_BAD)
			type = BOOT_MEM_RESERVED;
		mb2_add_mem(w->bi, rd64(w->p, e + MB2_MMAP_E_BASE),
			    rd64(w->p, e + MB2_MMAP_E_LENGTH), type, &warned);
	}
}

static uint32_t mb2_efi_type(uint32_t efi, uint64_t attr, bool bs_kept)
{
	uint32_t type;

	switch (efi) {
	case EFI_BS_CODE:
	case EFI_BS_DATA:
		/* Still owned by firmware when the loader left boot services running. */
		type = bs_kept ? BOOT_MEM_RESERVED : BOOT_MEM_RAM;
		break;
	case EFI_CONVENTIONAL:
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		type = BOOT_MEM_RAM;
		break;
	case EFI_ACPI_RECLAIM:
		return BOOT_MEM_ACPI_RECLAIM;
	case EFI_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case EFI_RT_CODE:
	case EFI_RT_DATA:
		return BOOT_MEM_FIRMWARE;
	case EFI_UNUSABLE:
		return BOOT_MEM_BAD;
	case EFI_PERSISTENT:
		return BOOT_MEM_PERSISTENT;
	default:
		return BOOT_MEM_RESERVED;
	}
	/* UEFI 7.2.3: runtime services need the range mapped and untouched after boot. */
	if (type == BOOT_MEM_RAM && (attr & EFI_MEMORY_RUNTIME))
		type = BOOT_MEM_FIRMWARE;
	return type;
}

static void mb2_fill_efi_mmap(struct mb2_walk *w)
{
	const struct mb2_ref *t = &w->efi_mmap;
	uint32_t dsize = rd32(w->p, t->off + MB2_EMMAP_DESC_SIZE);
	uint32_t n = (t->size - MB2_EMMAP_DESCS) / dsize;
	bool warned = false;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)t->off + MB2_EMMAP_DESCS + (uint64_t)i * dsize;
		uint64_t pages = rd64(w->p, d + EFI_DESC_PAGES);
		uint64_t base = rd64(w->p, d + EFI_DESC_PHYS);
		uint32_t type = mb2_efi_type(rd32(w->p, d + EFI_DESC_TYPE),
					     rd64(w->p, d + EFI_DESC_ATTR), w->efi_bs_kept);

		if (pages > (UINT64_MAX >> EFI_PAGE_SHIFT)) {
			mb2_tag_warn(MB2_TAG_EFI_MMAP, t,
				     "descriptor %u at 0x%llx has 0x%llx pages, more than 2^64 "
				     "bytes; dropped",
				     i, (unsigned long long)base, (unsigned long long)pages);
			continue;
		}
		mb2_add_mem(w->bi, base, pages << EFI_PAGE_SHIFT, type, &warned);
	}
	w->bi->flags |= BOOT_INFO_F_EFI_MMAP;
}

/* Applies what the order of tags must not decide: ACPI new over old, type 6 over type 17. */
static int mb2_finish(struct mb2_walk *w)
{
	struct boot_info *bi = w->bi;

	if (w->efi64.off) {
		bi->efi_system_table = rd64(w->p, w->efi64.off + MB2_EFI_PTR);
		bi->path = BOOT_PATH_MB2_UEFI;
	} else if (w->efi32.off) {
		bi->efi_system_table = rd32(w->p, w->efi32.off + MB2_EFI_PTR);
		bi->path = BOOT_PATH_MB2_UEFI;
	} else {
		bi->path = BOOT_PATH_MB2_BIOS;
	}

	if (w->acpi_new.off) {
		memcpy(bi->rsdp, w->p + w->acpi_new.off + MB2_ACPI_RSDP, MB2_RSDP_V2_LEN);
		bi->rsdp_len = MB2_RSDP_V2_LEN;
		bi->flags |= BOOT_INFO_F_RSDP_V2;
	} else if (w->acpi_old.off) {
		memcpy(bi->rsdp, w->p + w->acpi_old.off + MB2_ACPI_RSDP, MB2_RSDP_V1_LEN);
		bi->rsdp_len = MB2_RSDP_V1_LEN;
	}

	bi->mem_count = 0;
	if (w->mmap.off)
		mb2_fill_mmap(w);
	else if (w->efi_mmap.off)
		mb2_fill_efi_mmap(w);
	if (bi->mem_count == 0) {
		pr_err("mb2: no memory map: neither a type 6 nor a type 17 tag with a non-empty "
		       "range");
		return -HV_ENOENT;
	}
	return 0;
}

int mb2_parse(const void *info, size_t max_len, struct boot_info *bi)
{
	struct mb2_walk w = { .p = info, .bi = bi };
	struct mb2_ref t = { 0, 0 };
	uint64_t off;

	if (!info || !bi)
		return -HV_EINVAL;
	if (max_len < MB2_INFO_HDR_SIZE) {
		pr_err("mb2: only %zu bytes of boot information, less than its %u-byte header",
		       max_len, MB2_INFO_HDR_SIZE);
		return -HV_EBADMSG;
	}
	w.total = rd32(w.p, 0);
	if (w.total < MB2_INFO_MIN_SIZE) {
		pr_err("mb2: total_size %u is less than %u", w.total, MB2_INFO_MIN_SIZE);
		return -HV_EBADMSG;
	}
	if (w.total > max_len) {
		pr_err("mb2: total_size %u exceeds the %zu bytes available", w.total, max_len);
		return -HV_EBADMSG;
	}

	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->module_count = 0;

	/* Every tag is at least 8 bytes, so the walk ends within total_size / 8 steps. */
	for (off = MB2_INFO_HDR_SIZE;; off += ALIGN_UP((uint64_t)t.size, MB2_TAG_ALIGN)) {
		uint32_t type;
		int ret;

		if (off >= w.total || w.total - off < MB2_TAG_HDR_SIZE) {
			pr_err("mb2: no END tag within total_size %u (tags stop at offset 0x%llx)",
			       w.total, (unsigned long long)off);
			return -HV_EBADMSG;
		}
		type = rd32(w.p, off);
		t.off = (uint32_t)off;
		t.size = rd32(w.p, off + MB2_TAG_SIZE_OFF);
		if (t.size < MB2_TAG_HDR_SIZE) {
			mb2_tag_err(type, &t, "size is less than the %u-byte tag header",
				    MB2_TAG_HDR_SIZE);
			return -HV_EBADMSG;
		}
		if (t.size > w.total - off) {
			mb2_tag_err(type, &t, "runs past total_size %u", w.total);
			return -HV_EBADMSG;
		}
		if (type == MB2_TAG_END)
			break;
		ret = mb2_tag(&w, type, &t);
		if (ret)
			return ret;
	}
	return mb2_finish(&w);
}
